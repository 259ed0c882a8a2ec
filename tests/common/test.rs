//! A test of the real binary in just's style: files in a fresh folder, the
//! arguments, and the FULL stdout, stderr and exit code expected.
//!
//! ```ignore
//! Test::new()
//!     .file("plan.toml", PLAN)
//!     .args(&["decompose", "plan.toml"])
//!     .stderr("error: ...\n")
//!     .status(1)
//!     .run();
//! ```
//!
//! Unless told otherwise a test expects nothing on stdout, nothing on stderr
//! and exit code 0; a difference fails with a line diff of what was
//! expected (`-`) and what the binary printed (`+`).

use std::fmt::Write as _;

use super::salesplit;

/// One run of `salesplit` and what it must print.
#[must_use = "a Test does nothing until .run()"]
pub(crate) struct Test {
    files: Vec<(String, Vec<u8>)>,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    env: Vec<(String, String)>,
    stdout: String,
    stderr: String,
    status: i32,
}

/// What a run printed, and its exit code (`None` when a signal ended it).
#[derive(Debug)]
pub(crate) struct Output {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Default for Test {
    fn default() -> Self {
        Test::new()
    }
}

impl Test {
    pub(crate) fn new() -> Test {
        Test {
            files: Vec::new(),
            args: Vec::new(),
            stdin: None,
            env: Vec::new(),
            stdout: String::new(),
            stderr: String::new(),
            status: 0,
        }
    }

    /// A file written into the test's folder before the run (`name` may
    /// name a subfolder: `data/reps.csv`).
    pub(crate) fn file(mut self, name: &str, text: impl AsRef<[u8]>) -> Test {
        self.files.push((name.to_string(), text.as_ref().to_vec()));
        self
    }

    /// Several files, as [`Test::file`].
    pub(crate) fn files(mut self, files: &[(&str, &str)]) -> Test {
        for (name, text) in files {
            self = self.file(name, text);
        }
        self
    }

    /// Arguments after `salesplit`.
    pub(crate) fn args(mut self, args: &[&str]) -> Test {
        self.args.extend(args.iter().map(std::string::ToString::to_string));
        self
    }

    /// What the binary reads on stdin (nothing otherwise). No command reads
    /// stdin today; the builder has it for the first one that will.
    #[allow(dead_code)]
    pub(crate) fn stdin(mut self, text: impl AsRef<[u8]>) -> Test {
        self.stdin = Some(text.as_ref().to_vec());
        self
    }

    /// An environment variable for the run.
    pub(crate) fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// The whole of stdout expected.
    pub(crate) fn stdout(mut self, text: &str) -> Test {
        self.stdout = text.to_string();
        self
    }

    /// The whole of stderr expected.
    pub(crate) fn stderr(mut self, text: &str) -> Test {
        self.stderr = text.to_string();
        self
    }

    /// The exit code expected.
    pub(crate) fn status(mut self, code: i32) -> Test {
        self.status = code;
        self
    }

    /// Runs the binary and returns what it printed, asserting nothing.
    pub(crate) fn output(&self) -> Output {
        let dir = tempfile::TempDir::new().unwrap();
        for (name, text) in &self.files {
            let path = dir.path().join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(path, text).unwrap();
        }
        let mut cmd = salesplit();
        cmd.current_dir(dir.path()).args(&self.args);
        for (key, value) in &self.env {
            cmd.env(key, value);
        }
        if let Some(stdin) = &self.stdin {
            cmd.write_stdin(stdin.clone());
        }
        let out = cmd.output().unwrap();
        Output {
            status: out.status.code(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// Runs the binary and asserts the whole of stdout, stderr and the exit
    /// code; every difference is reported at once, stdout and stderr as line
    /// diffs.
    #[track_caller]
    pub(crate) fn run(self) -> Output {
        let out = self.output();
        let command = format!("salesplit {}", self.args.join(" "));
        let mut problems = String::new();
        if out.stdout != self.stdout {
            let _ = write!(
                problems,
                "stdout of `{command}` differs (- expected, + got):\n{}",
                diff(&self.stdout, &out.stdout)
            );
        }
        if out.stderr != self.stderr {
            let _ = write!(
                problems,
                "stderr of `{command}` differs (- expected, + got):\n{}",
                diff(&self.stderr, &out.stderr)
            );
        }
        if out.status != Some(self.status) {
            let _ = writeln!(problems, "exit code of `{command}`: expected {}, got {:?}", self.status, out.status);
        }
        assert!(problems.is_empty(), "{problems}");
        out
    }
}

/// A line diff (longest common subsequence): common lines indented, lines
/// only expected marked `-`, lines only printed marked `+`; a missing final
/// line break is noted.
pub(super) fn diff(expected: &str, got: &str) -> String {
    let a: Vec<&str> = expected.split_inclusive('\n').collect();
    let b: Vec<&str> = got.split_inclusive('\n').collect();
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let line = |mark: char, text: &str| match text.strip_suffix('\n') {
        Some(text) => format!("{mark} {text}\n"),
        None => format!("{mark} {text}⏎ (no line break at the end)\n"),
    };
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out += &line(' ', a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out += &line('-', a[i]);
            i += 1;
        } else {
            out += &line('+', b[j]);
            j += 1;
        }
    }
    out
}
