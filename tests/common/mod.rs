//! Helpers the integration tests share: running the real binary ([`Test`])
//! and reading what it prints (CSV here, JSON with numbers as written in
//! [`json`]), and the reference rounding rule of the property tests
//! ([`rounding`]). Each test file uses some of them.

pub(crate) mod json;
pub(crate) mod rounding;
mod test;

pub(crate) use test::Test;

use std::collections::BTreeMap;

use assert_cmd::Command;
use rust_decimal::Decimal;

/// The `salesplit` binary built by this crate, with the environment that
/// changes terminal tables (width, colour) cleared so tables are reproducible.
pub(crate) fn salesplit() -> Command {
    let mut cmd = Command::cargo_bin("salesplit").unwrap();
    cmd.env_remove("COLUMNS").env_remove("CLICOLOR_FORCE").env_remove("NO_COLOR");
    cmd
}

/// Writes `files` into a fresh folder, runs `salesplit` there with `args`
/// (so messages name `plan.toml`, not a temporary path) and returns the exit
/// code, stdout and stderr ([`Test::output`]).
pub(crate) fn run_in(files: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let out = Test::new().files(files).args(args).output();
    (out.status, out.stdout, out.stderr)
}

/// CSV rows as maps from column name to text.
pub(crate) fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| headers.iter().zip(r.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

/// One column of [`csv_rows`].
pub(crate) fn column(rows: &[BTreeMap<String, String>], name: &str) -> Vec<String> {
    rows.iter().map(|r| r[name].clone()).collect()
}

/// A decimal from its text.
pub(crate) fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Asserts that running `args` over `files` fails with exit code `code`,
/// nothing on stdout and exactly `expected` on stderr ([`Test::run`]).
#[track_caller]
pub(crate) fn fails_with(code: i32, files: &[(&str, &str)], args: &[&str], expected: &str) {
    Test::new().files(files).args(args).stderr(expected).status(code).run();
}

/// `salesplit decompose plan.toml` with `plan` as plan.toml must fail with
/// exactly `expected` (exit 1, nothing on stdout).
#[track_caller]
pub(crate) fn plan_fails(plan: &str, expected: &str) {
    fails_with(1, &[("plan.toml", plan)], &["decompose", "plan.toml"], expected);
}

/// As [`plan_fails`], with `roster` as reps.csv beside the plan.
#[track_caller]
pub(crate) fn roster_fails(plan: &str, roster: &str, expected: &str) {
    fails_with(1, &[("plan.toml", plan), ("reps.csv", roster)], &["decompose", "plan.toml"], expected);
}

/// The expected text: one line each, every line ending in a line break.
pub(crate) fn lines(lines: &[&str]) -> String {
    lines.iter().flat_map(|l| [*l, "\n"]).collect()
}

/// A python3 that can `import {modules}` (e.g. `"pyarrow.parquet"`):
/// `SALESPLIT_PYTHON`, else `python3` on PATH, else `/usr/bin/python3`
/// (Debian's python3-uno is for the system python, which a pyenv or venv
/// python3 on PATH hides). `None` when none can, so a test can skip.
pub(crate) fn python_with(modules: &str) -> Option<std::path::PathBuf> {
    let candidates = [
        std::env::var_os("SALESPLIT_PYTHON").map(std::path::PathBuf::from),
        Some("python3".into()),
        Some("/usr/bin/python3".into()),
    ];
    candidates.into_iter().flatten().find(|python| {
        std::process::Command::new(python)
            .args(["-c", &format!("import {modules}")])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}
