//! Cross-stage: the library's one error type. Every failure a user can cause
//! is an [`Error`]; the binary maps it to an exit code and prints it as is.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::terminal_text::escaped;
use crate::diagnostic::{Code, Diagnostic};

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
        /// What we were doing: "read" (an input), "write" (the output, or
        /// data to it), "create" (a new file or the temporary file beside the
        /// output, in its folder), "check". It decides the message's advice.
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

    /// For a file error: why it failed, in words (`it is a folder, not a
    /// file`), and what would fix it — the two parts of its message, for a
    /// stage that shows a file error at the place that names the file (a
    /// roster named in the plan). `None` for bad input.
    pub fn io_advice(&self) -> Option<(String, String)> {
        match self {
            Error::Io { path, action, source } => Some(io_advice(path, action, source)),
            Error::Invalid(_) => None,
        }
    }

    /// As [`Error::io_advice`], for a file the plan names (a roster, a
    /// holiday calendar, a baseline): a missing one is looked for beside the
    /// plan, so the help says so.
    pub fn plan_input_advice(&self) -> Option<(String, String)> {
        match self {
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => Some((
                "no such file".to_string(),
                "check the path; it is read relative to the plan file's folder".to_string(),
            )),
            _ => self.io_advice(),
        }
    }

    /// The kind of every problem, in the order shown: a file error's by
    /// its action ([`Code::CannotRead`] or [`Code::CannotWrite`]).
    pub fn codes(&self) -> Vec<Code> {
        match self {
            Error::Invalid(ds) => ds.iter().map(|d| d.code).collect(),
            Error::Io { action, .. } => vec![io_code(action)],
        }
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
                let (reason, help) = io_advice(path, action, source);
                // Creating the temporary file is part of writing the output.
                let verb = if *action == "create" { "write" } else { action };
                let path = path.display().to_string();
                let code = io_code(action);
                writeln!(f, "error[{code}]: cannot {verb} {}: {}", escaped(&path), escaped(&reason))?;
                writeln!(f, "  = help: {}", escaped(&help))
            }
        }
    }
}

/// The kind of a file error: reading an input, or writing the output.
fn io_code(action: &str) -> Code {
    if writes(action) {
        Code::CannotWrite
    } else {
        Code::CannotRead
    }
}

/// Whether `action` puts something on disk (the output, its temporary file)
/// rather than reading an input.
fn writes(action: &str) -> bool {
    matches!(action, "write" | "create")
}

/// The folder a path is in, as the user would write it (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    }
}

/// `path` as one shell word, for a command in a help: as is when plain,
/// else in single quotes (`mkdir -p 'my reports'`).
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || "_-./:+@%,=".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Why `action` on `path` failed, in words, and what would fix it. The
/// common cases — a missing file or folder, a folder given as a file, a path
/// through a file, no permission, a symbolic-link loop, a full or read-only
/// disk — each get their own; anything else keeps the system's reason.
fn io_advice(path: &Path, action: &str, source: &std::io::Error) -> (String, String) {
    use std::io::ErrorKind;
    let shown = shell_word(path);
    let folder = folder_of(path);
    let write = writes(action);
    #[cfg(unix)]
    if source.raw_os_error() == Some(libc::ELOOP) {
        return (
            "its symbolic links go round in a loop".to_string(),
            format!("point the link at a real file (ls -l {shown} shows where it points)"),
        );
    }
    #[cfg(unix)]
    if source.raw_os_error() == Some(libc::ENAMETOOLONG) {
        return ("the name is too long for the file system".to_string(), "use a shorter file name".to_string());
    }
    match source.kind() {
        // A missing output folder, unless the folder is there (then the
        // system's reason is the better one).
        ErrorKind::NotFound if write && !folder.is_dir() => (
            format!("the folder {} does not exist", folder.display()),
            format!(
                "create the folder first (mkdir -p {}), or write the output to a folder that exists",
                shell_word(folder)
            ),
        ),
        ErrorKind::NotFound if !write => (
            "no such file or directory".to_string(),
            "check the file name; a relative path is read from the folder salesplit runs in".to_string(),
        ),
        ErrorKind::IsADirectory => (
            "it is a folder, not a file".to_string(),
            if write {
                format!("name a file inside it for the output, e.g. {}", path.join("out.csv").display())
            } else {
                format!("name a file inside it (ls {shown} lists them)")
            },
        ),
        ErrorKind::NotADirectory => {
            // The first part of the path that is a file, not a folder.
            let file = path.ancestors().skip(1).find(|p| !p.as_os_str().is_empty() && p.is_file());
            let reason = match file {
                Some(file) => format!("{} is a file, not a folder", file.display()),
                None => "a part of the path is a file, not a folder".to_string(),
            };
            (reason, "check the path: a file cannot have files inside it".to_string())
        }
        // The folder is there but takes no new file (`/proc`, a mount that
        // refuses creation): the temporary file cannot be made beside it.
        ErrorKind::NotFound if action == "create" => (
            format!("new files cannot be made in the folder {}", folder.display()),
            "the output is written to a temporary file in its folder, then renamed into place: write the output \
             to a folder of your own"
                .to_string(),
        ),
        ErrorKind::PermissionDenied if action == "create" => (
            format!("the folder {} cannot be written to (permission denied)", folder.display()),
            "the output is written to a temporary file in its folder, then renamed into place: choose a folder \
             you can write to, or ask for write access to this one"
                .to_string(),
        ),
        ErrorKind::PermissionDenied if write => (
            "the file is read-only (permission denied)".to_string(),
            format!("make it writable (chmod u+w {shown}), or write the output to another file"),
        ),
        ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            format!("ask for read access, or copy the file somewhere you can read it (ls -l {shown} shows who may)"),
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => (
            if source.kind() == ErrorKind::StorageFull { "the disk is full" } else { "the disk quota is used up" }
                .to_string(),
            "free some space on the disk, or write the output to another disk".to_string(),
        ),
        ErrorKind::ReadOnlyFilesystem => (
            "the file system is read-only".to_string(),
            "write the output to a folder on a disk that can be written".to_string(),
        ),
        ErrorKind::FileTooLarge => (
            "the file would be larger than the file system allows".to_string(),
            "write a smaller breakdown (a coarser --by or a shorter --period), or to another disk".to_string(),
        ),
        _ if write => (
            system_reason(source),
            "check that the output's folder exists and can be written to, or write the output elsewhere".to_string(),
        ),
        _ => (system_reason(source), "check that the file exists and that you can read it".to_string()),
    }
}

/// The system's reason without a wrapper's decoration: tempfile adds
/// ` at path "/folder/.salesplit-….tmp"`, a name the user never chose.
fn system_reason(source: &std::io::Error) -> String {
    match source.get_ref().and_then(|inner| inner.source()) {
        Some(inner) => inner.to_string(),
        None => source.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn io(path: &str, action: &'static str, source: std::io::Error) -> String {
        Error::Io { path: PathBuf::from(path), action, source }.to_string()
    }

    #[test]
    fn a_file_error_says_why_and_what_would_fix_it() {
        assert_eq!(
            io("plans", "read", std::io::ErrorKind::IsADirectory.into()),
            "error[E0901]: cannot read plans: it is a folder, not a file\n  = help: name a file inside it (ls plans lists them)\n"
        );
        assert_eq!(
            io("<stdout>", "write", std::io::ErrorKind::StorageFull.into()),
            "error[E0902]: cannot write <stdout>: the disk is full\n  = help: free some space on the disk, or write the output to another disk\n"
        );
        // A command in a help quotes a path that the shell would split.
        assert_eq!(
            io("my reports/q1.csv", "create", std::io::ErrorKind::NotFound.into()),
            "error[E0902]: cannot write my reports/q1.csv: the folder my reports does not exist\n  = help: create the folder \
             first (mkdir -p 'my reports'), or write the output to a folder that exists\n"
        );
        // Escape sequences in a file name are shown escaped.
        assert!(io("a\x1b[2J.toml", "read", std::io::ErrorKind::NotFound.into())
            .starts_with("error[E0901]: cannot read a\\u{1b}[2J.toml: no such file or directory\n"));
        let e = Error::Io { path: "r.csv".into(), action: "read", source: std::io::ErrorKind::PermissionDenied.into() };
        let (reason, help) = e.io_advice().unwrap();
        assert_eq!(reason, "permission denied");
        assert!(help.contains("ls -l r.csv"), "{help}");
        assert_eq!(Error::Invalid(vec![]).io_advice(), None);
    }
}
