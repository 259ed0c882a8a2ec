//! Cross-stage: the library's one error type. Every failure a user can cause
//! is an [`Error`]; the binary maps it to an exit code and prints it as is.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// Everything that can go wrong in salesplit, by kind.
#[derive(Debug)]
pub enum Error {
    /// One or more problems in the plan, a data file or the request
    /// (`--by`, `--period`). All independent problems are reported together.
    Invalid(Vec<Diagnostic>),
    /// A file could not be read or written.
    Io {
        /// The file as the user named it.
        path: PathBuf,
        /// What we were doing: "read", "write", "create".
        action: &'static str,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl Error {
    /// A single problem.
    pub fn invalid(d: Diagnostic) -> Error {
        Error::Invalid(vec![d])
    }

    /// The problems, when this is bad input.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Invalid(ds) => ds,
            Error::Io { .. } => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(ds) => {
                for (i, d) in ds.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                if ds.len() > 1 {
                    writeln!(f)?;
                    writeln!(f, "{} problems found; nothing was computed", ds.len())?;
                }
                Ok(())
            }
            Error::Io { path, action, source } => {
                let reason = match source.kind() {
                    std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                    std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                    _ => source.to_string(),
                };
                writeln!(f, "error: cannot {action} {}: {reason}", path.display())?;
                if source.kind() == std::io::ErrorKind::NotFound && *action == "read" {
                    writeln!(
                        f,
                        "  = help: check the file name; a relative path is read from the folder salesplit runs in"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Invalid(_) => None,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
