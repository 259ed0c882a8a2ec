//! Stage `cli`: where output goes. Stdout is buffered. A file is written to a
//! temporary file beside it and renamed into place only when the whole
//! output is written, so a failed or interrupted run never clobbers or
//! half-writes it; a symbolic link is followed, so the link stays a link. A
//! device, FIFO or `/dev/stdout` is written in place, never renamed over
//! ([`Target`] decides which). The temporary file is removed on an error, on
//! Ctrl-C, SIGTERM or SIGHUP ([`LiveTemps`]), and by the next run into that
//! folder if the process was killed outright ([`TempName::sweep`]).

mod live_temps;
mod target;
mod temp_name;

pub(super) use live_temps::{LiveTemp, LiveTemps};
pub(super) use target::Kind;
pub use target::Target;
pub(super) use temp_name::TempName;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Bytes buffered before a write to the file or stdout.
const BUFFER: usize = 1 << 16;

/// An open output: stdout, a special file written in place, or a
/// temporary file waiting to be renamed.
pub enum Output {
    /// Buffered stdout.
    Stdout(BufWriter<std::io::Stdout>),
    /// A device, FIFO or open file of this process, written in place.
    Direct {
        /// The open file.
        file: BufWriter<std::fs::File>,
        /// The path as the user named it.
        path: PathBuf,
    },
    /// A temporary file and the path it becomes on [`Output::commit`].
    File {
        /// The temporary file, in the target's folder.
        temp: BufWriter<tempfile::NamedTempFile>,
        /// Registered for removal on a signal until it is renamed.
        live: LiveTemp,
        /// The path as the user named it, for messages.
        path: PathBuf,
        /// The file it replaces: `path` with its symbolic links followed.
        file: PathBuf,
    },
}

impl Output {
    /// Stdout, or the file `path` (see [`Target::resolve`]).
    pub fn open(path: Option<&Path>) -> Result<Output, Error> {
        match path {
            None => Ok(Output::Stdout(BufWriter::with_capacity(BUFFER, std::io::stdout()))),
            Some(path) => Output::open_target(&Target::resolve(path)?),
        }
    }

    /// Opens a resolved target: a special file in place; else a temporary
    /// file beside the target, after clearing away the ones earlier runs
    /// left there.
    pub fn open_target(target: &Target) -> Result<Output, Error> {
        let path = target.named.clone();
        let mode = match &target.kind {
            Kind::Direct => {
                let file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&target.named)
                    .map_err(|source| Error::Io { path: path.clone(), action: "write", source })?;
                return Ok(Output::Direct { file: BufWriter::with_capacity(BUFFER, file), path });
            }
            Kind::Replace { mode } => mode,
        };
        let folder = target::folder_of(&target.file);
        TempName::sweep(folder);
        let prefix = TempName::prefix();
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(TempName::suffix());
        // A temporary file is private by default; the result should get the
        // mode a plain write would give it: the old file's, or 0666 less the umask.
        match mode {
            Some(mode) => {
                builder.permissions(mode.clone());
            }
            #[cfg(unix)]
            None => {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
            #[cfg(not(unix))]
            None => {}
        }
        LiveTemps::install();
        let temp =
            builder.tempfile_in(folder).map_err(|source| Error::Io { path: path.clone(), action: "create", source })?;
        let live = LiveTemp::register(temp.path());
        Ok(Output::File { temp: BufWriter::with_capacity(BUFFER, temp), live, path, file: target.file.clone() })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::Stdout(w) => w,
            Output::Direct { file, .. } => file,
            Output::File { temp, .. } => temp,
        }
    }

    /// Wraps a write failure with the output's name.
    pub fn error(&self, source: std::io::Error) -> Error {
        let path = match self {
            Output::Stdout(_) => PathBuf::from("<stdout>"),
            Output::Direct { path, .. } | Output::File { path, .. } => path.clone(),
        };
        Error::Io { path, action: "write", source }
    }

    /// Flushes, and for a file renames the temporary file into place.
    pub fn commit(self) -> Result<(), Error> {
        match self {
            Output::Stdout(mut w) => {
                w.flush().map_err(|source| Error::Io { path: PathBuf::from("<stdout>"), action: "write", source })
            }
            Output::Direct { mut file, path } => {
                file.flush().map_err(|source| Error::Io { path, action: "write", source })
            }
            Output::File { temp, live, path, file } => {
                let temp = temp.into_inner().map_err(|e| Error::Io {
                    path: path.clone(),
                    action: "write",
                    source: e.into_error(),
                })?;
                live.commit(|| temp.persist(&file)).map_err(|e| Error::Io {
                    path: path.clone(),
                    action: "write",
                    source: e.error,
                })?;
                Ok(())
            }
        }
    }
}
