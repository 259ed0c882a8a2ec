//! Stage `cli`: where output goes. Stdout is buffered; a file is written to
//! a temporary file beside it and renamed into place only when the whole
//! output is written, so a failed run never clobbers or half-writes it.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// An open output: stdout or a temporary file waiting to be renamed.
pub enum Output {
    /// Buffered stdout.
    Stdout(BufWriter<std::io::Stdout>),
    /// A temporary file and the path it becomes on [`Output::commit`].
    File {
        /// The temporary file, in the target's folder.
        temp: BufWriter<tempfile::NamedTempFile>,
        /// The final path.
        path: PathBuf,
    },
}

impl Output {
    /// Stdout, or a temporary file beside `path`.
    pub fn open(path: Option<&Path>) -> Result<Output, Error> {
        let Some(path) = path else {
            return Ok(Output::Stdout(BufWriter::with_capacity(1 << 16, std::io::stdout())));
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".salesplit-").suffix(".tmp");
        // A temporary file is private by default; the result should get the
        // mode a plain write would give it: the old file's, or 0666 less the umask.
        match std::fs::metadata(path) {
            Ok(meta) => {
                builder.permissions(meta.permissions());
            }
            #[cfg(unix)]
            Err(_) => {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
            #[cfg(not(unix))]
            Err(_) => {}
        }
        let temp = builder.tempfile_in(dir).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            action: "create",
            source,
        })?;
        Ok(Output::File { temp: BufWriter::with_capacity(1 << 16, temp), path: path.to_path_buf() })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::Stdout(w) => w,
            Output::File { temp, .. } => temp,
        }
    }

    /// Wraps a write failure with the output's name.
    pub fn error(&self, source: std::io::Error) -> Error {
        let path = match self {
            Output::Stdout(_) => PathBuf::from("<stdout>"),
            Output::File { path, .. } => path.clone(),
        };
        Error::Io { path, action: "write", source }
    }

    /// Flushes, and for a file renames the temporary file into place.
    pub fn commit(self) -> Result<(), Error> {
        match self {
            Output::Stdout(mut w) => {
                w.flush().map_err(|source| Error::Io { path: PathBuf::from("<stdout>"), action: "write", source })
            }
            Output::File { temp, path } => {
                let temp = temp.into_inner().map_err(|e| Error::Io {
                    path: path.clone(),
                    action: "write",
                    source: e.into_error(),
                })?;
                temp.persist(&path).map_err(|e| Error::Io { path: path.clone(), action: "write", source: e.error })?;
                Ok(())
            }
        }
    }
}
