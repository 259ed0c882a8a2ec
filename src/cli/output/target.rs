//! Stage `cli`: what an `--output` path names, found before anything is
//! computed. A regular file (or a name not taken yet) is replaced
//! atomically: written to a temporary file beside it and renamed onto it; a
//! symbolic link is followed to that file, so the link stays a link. A
//! device, FIFO or socket (`/dev/null`, a named pipe), or an open file of this
//! process (`/dev/stdout`, `/dev/fd/1`), is written in place: renaming over
//! it would replace `/dev/null` with a regular file.
//!
//! Contract: [`Target::resolve`] fails, with an [`Error::Io`] whose advice
//! names the fix, when the output cannot be written — a folder, a path
//! through a file, a missing or read-only folder, a read-only file, a loop
//! of links — so that a run is refused before it starts, not after.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;

/// Links followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// How an output is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Through a temporary file beside [`Target::file`], renamed onto it
    /// when complete; `mode` is the replaced file's permissions, if there
    /// is one (a new file gets 0666 less the umask).
    Replace {
        /// The permissions of the file replaced.
        mode: Option<std::fs::Permissions>,
    },
    /// Opened and written in place (appending): a device, FIFO or socket,
    /// or a file this process has open (`/dev/stdout`). Nothing is renamed.
    Direct,
}

/// An `--output` path, resolved.
#[derive(Clone, Debug)]
pub struct Target {
    /// The path as the user gave it, for messages.
    pub named: PathBuf,
    /// The file written: `named` with its symbolic links followed.
    pub file: PathBuf,
    /// How it is written.
    pub kind: Kind,
}

/// The folder a path is in (`.` for a bare name).
pub(super) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

impl Target {
    /// Finds what `named` is and checks that it can be written, without
    /// touching it.
    pub fn resolve(named: &Path) -> Result<Target, Error> {
        let fail =
            |action: &'static str, source: std::io::Error| Error::Io { path: named.to_path_buf(), action, source };
        let mut file = named.to_path_buf();
        for _ in 0..=MAX_LINKS {
            let meta = match std::fs::symlink_metadata(&file) {
                Ok(meta) => meta,
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    check_folder(folder_of(&file)).map_err(|e| fail("create", e))?;
                    return Ok(Target { named: named.to_path_buf(), file, kind: Kind::Replace { mode: None } });
                }
                Err(e) => return Err(fail("create", e)),
            };
            let kind = meta.file_type();
            if kind.is_symlink() {
                // `/proc/self/fd/1` and the like stand for an open file, not
                // a name: write to it in place (appending, as `>>` would, so
                // that `--output /dev/stdout >> log` keeps the log).
                if in_procfs(&file) {
                    return Ok(direct(named));
                }
                let link = std::fs::read_link(&file).map_err(|e| fail("create", e))?;
                file = folder_of(&file).join(link);
                continue;
            }
            if kind.is_dir() {
                return Err(fail("write", ErrorKind::IsADirectory.into()));
            }
            if !kind.is_file() {
                return Ok(direct(named));
            }
            // A file marked read-only is not replaced behind its owner's
            // back, though renaming over it would work.
            writable(&file).map_err(|e| fail("write", e))?;
            check_folder(folder_of(&file)).map_err(|e| fail("create", e))?;
            let mode = Some(meta.permissions());
            return Ok(Target { named: named.to_path_buf(), file, kind: Kind::Replace { mode } });
        }
        #[cfg(unix)]
        let looped = std::io::Error::from_raw_os_error(libc::ELOOP);
        #[cfg(not(unix))]
        let looped = std::io::Error::other("too many levels of symbolic links");
        Err(fail("write", looped))
    }

    /// Refuses, before anything is computed, an output that is one of the
    /// run's inputs by any name — the same path, another path to it, a hard
    /// or a symbolic link. Each input comes with what it is (`the plan`,
    /// `the actuals`), or `""` for a file the plan reads (a roster, a
    /// calendar, a baseline).
    pub fn refuse_inputs<'a>(&self, inputs: impl IntoIterator<Item = (&'a Path, &'a str)>) -> Result<(), Error> {
        let Some(output) = FileId::of(&self.named) else { return Ok(()) };
        for (input, what) in inputs {
            if FileId::of(input).as_ref() != Some(&output) {
                continue;
            }
            let input_shown = input.display();
            let what = if what.is_empty() {
                format!("{input_shown}, which the plan reads")
            } else {
                format!("{what} {input_shown}")
            };
            let mut d = Diagnostic::new(
                Code::WouldOverwrite,
                format!("--output {} would overwrite {what}", self.named.display()),
            )
            .help("write the output to another file");
            if self.named != input {
                d = d.note(format!("{} and {input_shown} are the same file", self.named.display()));
            }
            return Err(Error::invalid(d));
        }
        Ok(())
    }
}

/// A file's identity: its device and inode on Unix, where a hard link, a
/// symbolic link and any spelling of a path to the same file share it; else
/// its canonical path.
#[derive(Debug, PartialEq, Eq)]
struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    /// The identity of what `path` leads to, if it exists.
    fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(path).ok().map(|m| FileId((m.dev(), m.ino())))
        }
        #[cfg(not(unix))]
        {
            std::fs::canonicalize(path).ok().map(FileId)
        }
    }
}

fn direct(named: &Path) -> Target {
    Target { named: named.to_path_buf(), file: named.to_path_buf(), kind: Kind::Direct }
}

/// Whether `path` is in `/proc` (Linux's magic links to open files).
fn in_procfs(path: &Path) -> bool {
    std::fs::canonicalize(folder_of(path)).is_ok_and(|folder| folder.starts_with("/proc"))
}

/// The output's folder must exist and take a new file (the temporary one).
fn check_folder(folder: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(folder)?;
    if !meta.is_dir() {
        return Err(ErrorKind::NotADirectory.into());
    }
    access(folder, true)
}

/// Whether this process may write `file` (as `>` would need).
fn writable(file: &Path) -> std::io::Result<()> {
    access(file, false)
}

/// `access(2)`: may this process write `path` (and, for a `folder`, enter it)?
#[cfg(unix)]
fn access(path: &Path, folder: bool) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return Ok(()) };
    let mode = if folder { libc::W_OK | libc::X_OK } else { libc::W_OK };
    // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
    if unsafe { libc::access(c_path.as_ptr(), mode) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn access(_path: &Path, _folder: bool) -> std::io::Result<()> {
    Ok(())
}
