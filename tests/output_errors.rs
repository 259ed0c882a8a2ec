//! The catalogue of file errors: each common way a plan, an actuals file or
//! an output cannot be read or written gets one clear message — what, where,
//! and a `help:` that says what would fix it — and exit 1 with nothing on
//! stdout: a folder given as a file, a path through a file, a missing output
//! folder, a read-only file or folder, no permission to read, a loop of
//! symbolic links, a full disk. Permission cases run as `nobody` (through
//! `setpriv`) when the tests run as root, since root may write anything.

use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::{fails_with, lines};

const PLAN: &str = "[plan]\nyear = 2026\n[target]\nsales = 1200\n[time]\nlevel = \"quarter\"\n";

#[test]
fn a_folder_given_as_the_plan() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let out = common::salesplit().current_dir(dir.path()).args(["decompose", "plans"]).output().unwrap();
    assert_failed(
        &out,
        &lines(&[
            "error[E0903]: plans is a folder, not a plan file",
            "  --> plans",
            "  = help: name the plan's .toml file; plans holds none",
        ]),
    );
    std::fs::write(dir.path().join("plans/2026.toml"), PLAN).unwrap();
    std::fs::write(dir.path().join("plans/reps.csv"), "name,weight\n").unwrap();
    let out = common::salesplit().current_dir(dir.path()).args(["decompose", "plans"]).output().unwrap();
    assert_failed(
        &out,
        &lines(&[
            "error[E0903]: plans is a folder, not a plan file",
            "  --> plans",
            "  = help: name the plan's .toml file, e.g. `plans/2026.toml`",
        ]),
    );
}

#[test]
fn a_plan_path_through_a_file() {
    fails_with(
        1,
        &[("plan.toml", PLAN)],
        &["decompose", "plan.toml/q1.toml"],
        &lines(&[
            "error[E0901]: cannot read plan.toml/q1.toml: plan.toml is a file, not a folder",
            "  = help: check the path: a file cannot have files inside it",
        ]),
    );
}

#[test]
fn a_folder_given_as_the_actuals() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    let out = common::salesplit()
        .current_dir(dir.path())
        .args(["track", "plan.toml", "--actuals", "exports", "--as-of", "2026-03-31"])
        .output()
        .unwrap();
    assert_failed(
        &out,
        &lines(&[
            "error[E0901]: cannot read exports: it is a folder, not a file",
            "  = help: name a file inside it (ls exports lists them)",
        ]),
    );
}

#[test]
fn an_actuals_path_through_a_file() {
    fails_with(
        1,
        &[("plan.toml", PLAN)],
        &["track", "plan.toml", "--actuals", "plan.toml/sales.csv", "--as-of", "2026-03-31"],
        &lines(&[
            "error[E0901]: cannot read plan.toml/sales.csv: plan.toml is a file, not a folder",
            "  = help: check the path: a file cannot have files inside it",
        ]),
    );
}

#[test]
fn a_folder_given_as_the_output() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    let out = common::salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "csv", "--output", "reports"])
        .output()
        .unwrap();
    assert_failed(
        &out,
        &lines(&[
            "error[E0902]: cannot write reports: it is a folder, not a file",
            "  = help: name a file inside it for the output, e.g. reports/out.csv",
        ]),
    );
    assert!(dir.path().join("reports").is_dir());
}

#[test]
fn an_output_path_through_a_file() {
    fails_with(
        1,
        &[("plan.toml", PLAN)],
        &["decompose", "plan.toml", "--format", "csv", "--output", "plan.toml/q.csv"],
        &lines(&[
            "error[E0902]: cannot write plan.toml/q.csv: plan.toml is a file, not a folder",
            "  = help: check the path: a file cannot have files inside it",
        ]),
    );
}

#[test]
fn a_missing_output_folder() {
    fails_with(
        1,
        &[("plan.toml", PLAN)],
        &["decompose", "plan.toml", "--format", "csv", "--output", "reports/2026/q.csv"],
        &lines(&[
            "error[E0902]: cannot write reports/2026/q.csv: the folder reports/2026 does not exist",
            "  = help: create the folder first (mkdir -p reports/2026), or write the output to a folder that exists",
        ]),
    );
}

#[test]
fn a_missing_output_folder_is_refused_before_the_actuals_are_read() {
    // The actuals do not exist either: the output is checked first.
    fails_with(
        1,
        &[("plan.toml", PLAN)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--format", "csv", "--output", "out/standing.csv"],
        &lines(&[
            "error[E0902]: cannot write out/standing.csv: the folder out does not exist",
            "  = help: create the folder first (mkdir -p out), or write the output to a folder that exists",
        ]),
    );
}

#[test]
fn a_loop_of_symbolic_links_as_the_plan_the_actuals_or_the_output() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    std::os::unix::fs::symlink("b.toml", dir.path().join("a.toml")).unwrap();
    std::os::unix::fs::symlink("a.toml", dir.path().join("b.toml")).unwrap();
    let run = |args: &[&str]| common::salesplit().current_dir(dir.path()).args(args).output().unwrap();
    assert_failed(
        &run(&["decompose", "a.toml"]),
        &lines(&[
            "error[E0901]: cannot read a.toml: its symbolic links go round in a loop",
            "  = help: point the link at a real file (ls -l a.toml shows where it points)",
        ]),
    );
    assert_failed(
        &run(&["track", "plan.toml", "--actuals", "a.toml", "--as-of", "2026-03-31"]),
        &lines(&[
            "error[E0901]: cannot read a.toml: its symbolic links go round in a loop",
            "  = help: point the link at a real file (ls -l a.toml shows where it points)",
        ]),
    );
    assert_failed(
        &run(&["decompose", "plan.toml", "--format", "csv", "--output", "b.toml"]),
        &lines(&[
            "error[E0902]: cannot write b.toml: its symbolic links go round in a loop",
            "  = help: point the link at a real file (ls -l b.toml shows where it points)",
        ]),
    );
    // The links are left as they were.
    assert_eq!(std::fs::read_link(dir.path().join("b.toml")).unwrap(), Path::new("a.toml"));
}

#[test]
#[cfg(target_os = "linux")]
fn an_output_in_a_folder_that_takes_no_new_file() {
    // /proc exists but refuses new files (ENOENT even for root): the
    // message names the folder, never the temporary file's made-up name.
    fails_with(
        1,
        &[("plan.toml", PLAN)],
        &["decompose", "plan.toml", "--format", "csv", "--output", "/proc/salesplit-out.csv"],
        &lines(&[
            "error[E0902]: cannot write /proc/salesplit-out.csv: new files cannot be made in the folder /proc",
            "  = help: the output is written to a temporary file in its folder, then renamed into place: write the \
             output to a folder of your own",
        ]),
    );
}

#[test]
fn a_full_disk() {
    // A twin of /dev/full (character device 1,7), which fails every write
    // with ENOSPC as a full disk does. The test's own, so that a regression
    // could only replace it, never the system's /dev/full.
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    let c = std::ffi::CString::new(dir.path().join("full").to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mknod has no other preconditions.
    if unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 7)) } != 0 {
        eprintln!("skipped: cannot make a device node here ({})", std::io::Error::last_os_error());
        return;
    }
    let out = common::salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "csv", "--output", "full"])
        .output()
        .unwrap();
    assert_failed(
        &out,
        &lines(&[
            "error[E0902]: cannot write full: the disk is full",
            "  = help: free some space on the disk, or write the output to another disk",
        ]),
    );
}

#[test]
fn a_read_only_output_file_is_not_replaced() {
    let dir = shared_folder();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    std::fs::write(dir.path().join("q.csv"), "kept\n").unwrap();
    set_mode(&dir.path().join("q.csv"), 0o444);
    // The folder may be written: only the file's own mode refuses.
    set_mode(dir.path(), 0o777);
    let Some(out) = as_nobody(dir.path(), &["decompose", "plan.toml", "--format", "csv", "--output", "q.csv"]) else {
        return;
    };
    assert_failed(
        &out,
        &lines(&[
            "error[E0902]: cannot write q.csv: the file is read-only (permission denied)",
            "  = help: make it writable (chmod u+w q.csv), or write the output to another file",
        ]),
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("q.csv")).unwrap(), "kept\n");
}

#[test]
fn a_read_only_output_folder() {
    let dir = shared_folder();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    let Some(out) = as_nobody(dir.path(), &["decompose", "plan.toml", "--format", "csv", "--output", "q.csv"]) else {
        return;
    };
    assert_failed(
        &out,
        &lines(&[
            "error[E0902]: cannot write q.csv: the folder . cannot be written to (permission denied)",
            "  = help: the output is written to a temporary file in its folder, then renamed into place: choose a \
             folder you can write to, or ask for write access to this one",
        ]),
    );
}

#[test]
fn a_plan_without_read_permission() {
    let dir = shared_folder();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    set_mode(&dir.path().join("plan.toml"), 0o600);
    let Some(out) = as_nobody(dir.path(), &["decompose", "plan.toml"]) else { return };
    assert_failed(
        &out,
        &lines(&[
            "error[E0901]: cannot read plan.toml: permission denied",
            "  = help: ask for read access, or copy the file somewhere you can read it (ls -l plan.toml shows who may)",
        ]),
    );
}

/// Asserts exit 1, nothing on stdout and exactly `stderr`.
#[track_caller]
fn assert_failed(out: &std::process::Output, stderr: &str) {
    assert_eq!(String::from_utf8_lossy(&out.stderr), stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(out.status.code(), Some(1));
}

/// A folder that `nobody` may read and enter, but not write (0755).
fn shared_folder() -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    set_mode(dir.path(), 0o755);
    dir
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Runs salesplit in `dir` as a user without root's right to write anything:
/// as is when the tests do not run as root, else as `nobody` through
/// `setpriv`. `None` (with a note on stderr) when that cannot be done here.
fn as_nobody(dir: &Path, args: &[&str]) -> Option<std::process::Output> {
    let bin = assert_cmd::cargo::cargo_bin("salesplit");
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Some(common::salesplit().current_dir(dir).args(args).output().unwrap());
    }
    let nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin)
            .args(args)
            .current_dir(dir)
            .env_remove("COLUMNS")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("NO_COLOR")
            .output()
    };
    match nobody(&["--version"]) {
        Ok(out) if out.status.success() => Some(nobody(args).unwrap()),
        _ => {
            eprintln!("skipped: running as root, and `setpriv` cannot run salesplit as nobody here");
            None
        }
    }
}

/// A plan of `total` at `precision`, shared by two regions equally or 1:2.
fn big_plan(total: &str, precision: &str, weights: &str) -> String {
    format!(
        "[plan]\nname = \"Big\"\nyear = 2026\nprecision = \"{precision}\"\n[target]\nsales = {total}\n\
         [time]\nlevel = \"year\"\n[[split]]\nby = \"region\"\nweights = {{ {weights} }}\n"
    )
}

#[test]
fn a_figure_with_more_digits_than_an_xlsx_number_keeps_is_refused() {
    // 10^15 / 3 at cents: 333,333,333,333,333.33 is 17 significant digits;
    // a workbook would show 333,333,333,333,333.00 (Excel keeps 15).
    let plan = big_plan("1_000_000_000_000_000", "0.01", "East = 1, West = 2");
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), &plan).unwrap();
    let args = ["decompose", "plan.toml", "--format", "xlsx", "--output", "out.xlsx"];
    let out = common::salesplit().current_dir(dir.path()).args(args).output().unwrap();
    assert_failed(
        &out,
        &lines(&[
            "error[E0905]: the figure 333,333,333,333,333.33 (sales of East, 2026) has 17 significant digits, more \
             than the 15 an xlsx number keeps",
            " = note: Excel and LibreOffice store a number to 15 digits: the workbook would show other figures than \
             the plan's",
            " = help: use --format csv or json, which keep every digit, or a coarser [plan] precision (such as \
             \"1000\")",
        ]),
    );
    assert!(!dir.path().join("out.xlsx").exists(), "no workbook is left");
    // CSV keeps every digit.
    let out = common::salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "csv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(",333333333333333.33\n"));
    // At precision 1000 the figures have 12 digits and 10^15 itself one: the workbook is written.
    std::fs::write(dir.path().join("plan.toml"), plan.replace("\"0.01\"", "\"1000\"")).unwrap();
    let out = common::salesplit().current_dir(dir.path()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("out.xlsx").exists());
}

#[test]
fn a_total_with_more_digits_than_an_xlsx_number_keeps_is_refused_and_nothing_clobbered() {
    // Each region's 999,999,999,999,999 fits in 15 digits; their total does not.
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), big_plan("1_999_999_999_999_998", "1", "East = 1, West = 1")).unwrap();
    std::fs::write(dir.path().join("out.xlsx"), "last month's workbook").unwrap();
    let out = common::salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "xlsx", "--output", "out.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "error[E0905]: the figure 1,999,999,999,999,998 (the total of sales) has 16 significant digits, more than \
             the 15 an xlsx number keeps\n"
        ),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("out.xlsx")).unwrap(), "last month's workbook");
}
