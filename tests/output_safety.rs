//! Writing output safely, end to end with the real binary:
//!
//! * an input — the plan, a roster, a holiday calendar, a baseline, the
//!   actuals — is never overwritten by `--output`, whatever path names it
//!   (the same, `./x`, absolute, `../dir/x`, a hard link, a symbolic link),
//!   and `init` never overwrites without `--force`;
//! * a device, FIFO or `/dev/stdout` is written in place, never replaced by
//!   a regular file; a symbolic link to a file writes its target, atomically,
//!   and stays a link;
//! * SIGINT, SIGTERM and SIGHUP during a large write remove the temporary
//!   file and end the process by that signal; an ignored signal stays
//!   ignored; a temporary file left by `kill -9` is cleared away by a later
//!   run, while a live run's never is;
//! * a closed pipe still ends quietly with the signal handling installed.

#[allow(dead_code)]
#[path = "../examples/generate.rs"]
mod generate;

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{lines, salesplit};

const PLAN: &str =
    "[plan]\nyear = 2026\n[target]\nsales = 1200\n[time]\nspread = \"workdays\"\nholidays = [\"our-days.csv\"]\n\
                    level = \"quarter\"\n[[split]]\nby = \"region\"\nweights = { East = 1, West = 1 }\n\
                    [[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n";
const REPS: &str = "name,region,weight\nWang,East,1\nLi,West,1\n";
const DAYS: &str = "date,name,is_off_day\n2026-05-01,Labour Day,true\n";
const SALES: &str = "date,region,salesperson,sales\n2026-01-05,East,Wang,10\n";

/// The expected CSV of PLAN by region (checked by hand: 1,200 in halves).
const BY_REGION: &str = "region,period,start,end,sales\nEast,2026,2026-01-01,2026-12-31,600.00\n\
                         West,2026,2026-01-01,2026-12-31,600.00\n";

/// A folder with the plan and its files, and `sub/` to run from.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    for (name, text) in [("plan.toml", PLAN), ("reps.csv", REPS), ("our-days.csv", DAYS), ("sales.csv", SALES)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = salesplit().current_dir(dir).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Every file in `dir` is as `folder` wrote it, and no temporary file is left.
#[track_caller]
fn untouched(dir: &Path) {
    for (name, text) in [("plan.toml", PLAN), ("reps.csv", REPS), ("our-days.csv", DAYS), ("sales.csv", SALES)] {
        assert_eq!(std::fs::read_to_string(dir.join(name)).unwrap(), text, "{name} was changed");
    }
    assert_eq!(temps(dir), Vec::<PathBuf>::new());
}

/// Our temporary files in `dir`.
fn temps(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".salesplit-"))
        .collect();
    found.sort();
    found
}

// ------------------------------------------------------ inputs are never overwritten

#[test]
fn the_plan_named_as_the_output_is_refused() {
    let dir = folder();
    let (code, stdout, stderr) =
        run(dir.path(), &["decompose", "plan.toml", "--format", "csv", "--output", "plan.toml"]);
    assert_eq!(
        stderr,
        lines(&[
            "error[E0904]: --output plan.toml would overwrite the plan plan.toml",
            " = help: write the output to another file"
        ])
    );
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    untouched(dir.path());
}

#[test]
fn the_plan_is_refused_by_any_path_that_leads_to_it() {
    let dir = folder();
    std::fs::hard_link(dir.path().join("plan.toml"), dir.path().join("hard.toml")).unwrap();
    std::os::unix::fs::symlink("plan.toml", dir.path().join("link.toml")).unwrap();
    std::os::unix::fs::symlink("../link.toml", dir.path().join("sub/chain.toml")).unwrap();
    let sub = dir.path().join("sub");
    let name = dir.path().file_name().unwrap().to_str().unwrap();
    let absolute = dir.path().join("plan.toml").display().to_string();
    let up_and_down = format!("../../{name}/plan.toml");
    // Run from sub/: the plan is ../plan.toml.
    for output in
        ["../plan.toml", "./../plan.toml", &absolute, &up_and_down, "../hard.toml", "../link.toml", "chain.toml"]
    {
        let (code, stdout, stderr) = run(&sub, &["decompose", "../plan.toml", "--format", "csv", "--output", output]);
        let mut expected = vec![format!("error[E0904]: --output {output} would overwrite the plan ../plan.toml")];
        if output != "../plan.toml" {
            expected.push(format!(" = note: {output} and ../plan.toml are the same file"));
        }
        expected.push(" = help: write the output to another file".to_string());
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(stderr, lines(&expected), "--output {output}");
        assert_eq!((code, stdout.as_str()), (Some(1), ""), "--output {output}");
        untouched(dir.path());
        assert!(std::fs::symlink_metadata(dir.path().join("link.toml")).unwrap().file_type().is_symlink());
    }
}

#[test]
fn a_roster_calendar_or_baseline_the_plan_reads_is_refused() {
    let dir = folder();
    std::os::unix::fs::symlink("../reps.csv", dir.path().join("sub/reps-link.csv")).unwrap();
    for (output, input) in
        [("reps.csv", "reps.csv"), ("./our-days.csv", "our-days.csv"), ("sub/reps-link.csv", "reps.csv")]
    {
        let (code, _, stderr) = run(dir.path(), &["decompose", "plan.toml", "--format", "csv", "--output", output]);
        let mut expected =
            vec![format!("error[E0904]: --output {output} would overwrite {input}, which the plan reads")];
        if output != input {
            expected.push(format!(" = note: {output} and {input} are the same file"));
        }
        expected.push(" = help: write the output to another file".to_string());
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(stderr, lines(&expected));
        assert_eq!(code, Some(1));
        untouched(dir.path());
    }
    // A baseline: the shipped history example, copied.
    let history = tempfile::TempDir::new().unwrap();
    for name in ["history.toml", "sales-2025.csv"] {
        std::fs::copy(Path::new("examples").join(name), history.path().join(name)).unwrap();
    }
    let before = std::fs::read(history.path().join("sales-2025.csv")).unwrap();
    let (code, stdout, stderr) =
        run(history.path(), &["decompose", "history.toml", "--format", "csv", "--output", "./sales-2025.csv"]);
    assert_eq!(
        stderr,
        lines(&[
            "error[E0904]: --output ./sales-2025.csv would overwrite sales-2025.csv, which the plan reads",
            " = note: ./sales-2025.csv and sales-2025.csv are the same file",
            " = help: write the output to another file",
        ])
    );
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert!(std::fs::read(history.path().join("sales-2025.csv")).unwrap() == before);
}

#[test]
fn track_refuses_to_overwrite_its_actuals_or_the_plans_files_also_when_replanning() {
    let dir = folder();
    std::fs::hard_link(dir.path().join("sales.csv"), dir.path().join("sub/sales-copy.csv")).unwrap();
    for replan in [false, true] {
        for (output, what) in [
            ("sales.csv", "the actuals sales.csv"),
            ("sub/sales-copy.csv", "the actuals sales.csv"),
            ("reps.csv", "reps.csv, which the plan reads"),
            ("plan.toml", "the plan plan.toml"),
        ] {
            let mut args = vec!["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-31"];
            args.extend(["--format", "csv", "--output", output]);
            if replan {
                args.push("--replan");
            }
            let (code, stdout, stderr) = run(dir.path(), &args);
            assert!(
                stderr.starts_with(&format!("error[E0904]: --output {output} would overwrite {what}\n")),
                "{args:?}: {stderr}"
            );
            assert!(stderr.ends_with(" = help: write the output to another file\n"), "{stderr}");
            assert_eq!((code, stdout.as_str()), (Some(1), ""));
            untouched(dir.path());
        }
    }
}

#[test]
fn the_same_file_is_refused_before_anything_else_is_looked_at() {
    let dir = folder();
    // A --by that does not exist, and actuals that do not: the output check comes first.
    let (code, _, stderr) =
        run(dir.path(), &["decompose", "plan.toml", "--by", "nosuch", "--format", "csv", "--output", "plan.toml"]);
    assert!(stderr.starts_with("error[E0904]: --output plan.toml would overwrite the plan plan.toml\n"), "{stderr}");
    assert_eq!(code, Some(1));
    let (code, _, stderr) =
        run(dir.path(), &["track", "plan.toml", "--actuals", "missing.csv", "--output", "reps.csv"]);
    assert!(
        stderr.starts_with("error[E0904]: --output reps.csv would overwrite reps.csv, which the plan reads\n"),
        "{stderr}"
    );
    assert_eq!(code, Some(1));
    untouched(dir.path());
}

#[test]
fn another_file_is_written_as_before() {
    let dir = folder();
    let (code, stdout, stderr) =
        run(dir.path(), &["decompose", "plan.toml", "--by", "region", "--format", "csv", "--output", "sub/out.csv"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    assert_eq!(std::fs::read_to_string(dir.path().join("sub/out.csv")).unwrap(), BY_REGION);
    untouched(dir.path());
    assert_eq!(temps(&dir.path().join("sub")), Vec::<PathBuf>::new());
}

#[test]
fn init_never_overwrites_without_force_even_through_a_link() {
    let dir = folder();
    std::os::unix::fs::symlink("plan.toml", dir.path().join("link.toml")).unwrap();
    std::os::unix::fs::symlink("nowhere.toml", dir.path().join("dangling.toml")).unwrap();
    for target in ["plan.toml", "./plan.toml", "link.toml", "dangling.toml"] {
        let (code, stdout, stderr) = run(dir.path(), &["init", "--template", "shop", target]);
        assert!(stderr.starts_with(&format!("error[E0904]: {target} already exists\n")), "{target}: {stderr}");
        assert_eq!((code, stdout.as_str()), (Some(1), ""));
        untouched(dir.path());
        assert!(!dir.path().join("nowhere.toml").exists());
    }
}

// ------------------------------------------------------ devices, FIFOs, links

#[test]
fn a_fifo_is_written_in_place_and_stays_a_fifo() {
    let dir = folder();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let (code, stdout, stderr) =
        run(dir.path(), &["decompose", "plan.toml", "--by", "region", "--format", "csv", "--output", "pipe"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    // Checked before joining: had the FIFO been replaced, its reader would wait forever.
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO was replaced");
    assert_eq!(reader.join().unwrap(), BY_REGION);
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_device_node_is_written_in_place_and_stays_a_device() {
    let dir = folder();
    // A twin of /dev/null (character device 1,3) in the test's own folder, so
    // that a regression replaces this one and never the system's.
    let null = dir.path().join("null");
    if !device_twin(&null, 3) {
        return;
    }
    let (code, stdout, stderr) = run(dir.path(), &["decompose", "plan.toml", "--format", "csv", "--output", "null"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    assert!(std::fs::symlink_metadata(&null).unwrap().file_type().is_char_device(), "the device was replaced");
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_link_to_dev_null_stays_a_link_and_dev_null_a_device() {
    let dir = folder();
    std::os::unix::fs::symlink("/dev/null", dir.path().join("discard.csv")).unwrap();
    let (code, stdout, stderr) =
        run(dir.path(), &["decompose", "plan.toml", "--format", "csv", "--output", "discard.csv"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    assert_eq!(std::fs::read_link(dir.path().join("discard.csv")).unwrap(), Path::new("/dev/null"));
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    // (`--output /dev/null` itself is not run here: a regression would
    // destroy the machine's /dev/null. The device node test above stands in.)
}

/// A link in `dir` to this process's stdout, as `/dev/stdout` is: it takes
/// the same path through the code, but a regression could only replace this
/// link, never the system's `/dev/stdout`.
fn stdout_link(dir: &Path) -> &'static str {
    std::os::unix::fs::symlink("/proc/self/fd/1", dir.join("stdout")).unwrap();
    "stdout"
}

#[test]
fn dev_stdout_is_the_real_stdout_and_appends_to_a_redirected_file() {
    let dir = folder();
    let link = stdout_link(dir.path());
    for output in [link, "/dev/fd/1"] {
        let args = ["decompose", "plan.toml", "--by", "region", "--format", "csv", "--output", output];
        let (code, stdout, stderr) = run(dir.path(), &args);
        assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), BY_REGION, ""), "--output {output}");
        // `salesplit … --output /dev/stdout >> log` keeps what the log had.
        let log = dir.path().join("log.csv");
        std::fs::write(&log, "earlier\n").unwrap();
        let appending = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        let status = Command::new(assert_cmd::cargo::cargo_bin("salesplit"))
            .current_dir(dir.path())
            .args(args)
            .stdout(appending)
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(std::fs::read_to_string(&log).unwrap(), format!("earlier\n{BY_REGION}"), "--output {output}");
        assert!(std::fs::symlink_metadata(dir.path().join(link)).unwrap().file_type().is_symlink());
    }
}

#[test]
fn a_link_to_a_file_writes_the_file_atomically_and_stays_a_link() {
    let dir = folder();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let real = dir.path().join("data/real.csv");
    std::fs::write(&real, "old\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    // sub/out.csv -> ../link.csv -> data/real.csv: relative links, followed hop by hop.
    std::os::unix::fs::symlink("data/real.csv", dir.path().join("link.csv")).unwrap();
    std::os::unix::fs::symlink("../link.csv", dir.path().join("sub/out.csv")).unwrap();
    let (code, stdout, stderr) =
        run(dir.path(), &["decompose", "plan.toml", "--by", "region", "--format", "csv", "--output", "sub/out.csv"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    assert_eq!(std::fs::read_to_string(&real).unwrap(), BY_REGION);
    assert_eq!(std::fs::read_link(dir.path().join("sub/out.csv")).unwrap(), Path::new("../link.csv"));
    assert_eq!(std::fs::read_link(dir.path().join("link.csv")).unwrap(), Path::new("data/real.csv"));
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o640, "the file keeps its mode");
    for folder in [dir.path().to_path_buf(), dir.path().join("sub"), dir.path().join("data")] {
        assert_eq!(temps(&folder), Vec::<PathBuf>::new());
    }
    // A link to nothing yet: the file it names is created, the link stays.
    std::os::unix::fs::symlink("data/new.csv", dir.path().join("fresh.csv")).unwrap();
    let (code, _, _) =
        run(dir.path(), &["decompose", "plan.toml", "--by", "region", "--format", "csv", "--output", "fresh.csv"]);
    assert_eq!(code, Some(0));
    assert_eq!(std::fs::read_to_string(dir.path().join("data/new.csv")).unwrap(), BY_REGION);
    assert!(std::fs::symlink_metadata(dir.path().join("fresh.csv")).unwrap().file_type().is_symlink());
}

// ------------------------------------------------------ signals

/// A plan whose CSV by day is about 125 MB: 2,000 people, 3 products,
/// 10 regions (2,190,000 rows): seconds to write in a debug build.
fn big_plan() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::TempDir::new().unwrap();
    let spec = generate::Spec { reps: 2000, products: 3, regions: 10, ..generate::Spec::default() };
    let plan = generate::write_plan(dir.path(), &spec).unwrap();
    (dir, plan)
}

/// Starts a large decompose to `out.csv` in `dir` with `ignored` signals
/// ignored and the others at their default (whatever the test runner
/// inherited), and waits until its temporary file has grown past 1 MB.
fn start_big_write(dir: &Path, plan: &Path, ignored: &[libc::c_int]) -> (std::process::Child, PathBuf) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("salesplit"));
    cmd.current_dir(dir)
        .args(["decompose"])
        .arg(plan)
        .args(["--format", "csv", "--output", "out.csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let ignored = ignored.to_vec();
    // SAFETY: only async-signal-safe calls (signal) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            for s in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                let action = if ignored.contains(&s) { libc::SIG_IGN } else { libc::SIG_DFL };
                libc::signal(s, action);
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    loop {
        if let Some(temp) = temps(dir).into_iter().find(|t| std::fs::metadata(t).is_ok_and(|m| m.len() > 1 << 20)) {
            return (child, temp);
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before it could be interrupted");
        }
        assert!(started.elapsed() < Duration::from_secs(120), "no temporary file grew");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn send(child: &std::process::Child, signal: libc::c_int) {
    // SAFETY: kill has no memory preconditions; the child is ours and not yet reaped.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
}

#[test]
fn sigint_sigterm_and_sighup_remove_the_temporary_file_and_end_the_run_by_that_signal() {
    let (dir, plan) = big_plan();
    let out = dir.path().join("out.csv");
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        std::fs::write(&out, "yesterday's file\n").unwrap();
        let (child, temp) = start_big_write(dir.path(), &plan, &[]);
        send(&child, signal);
        let result = child.wait_with_output().unwrap();
        assert_eq!(result.status.signal(), Some(signal), "ended by signal {signal}: {:?}", result.status);
        assert!(!temp.exists(), "signal {signal} left {}", temp.display());
        assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "yesterday's file\n", "the output was clobbered");
        assert_eq!(String::from_utf8_lossy(&result.stdout), "");
    }
}

#[test]
fn a_signal_ignored_at_start_stays_ignored() {
    // As under `nohup`: SIGHUP ignored, so the run goes on to the end.
    let (dir, plan) = big_plan();
    let (child, _) = start_big_write(dir.path(), &plan, &[libc::SIGHUP]);
    send(&child, libc::SIGHUP);
    let result = child.wait_with_output().unwrap();
    assert_eq!(result.status.code(), Some(0), "{}", String::from_utf8_lossy(&result.stderr));
    let written = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert_eq!(written.lines().count(), 1 + 2_190_000, "header and every row");
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
}

#[test]
fn a_temporary_file_left_by_kill_9_is_cleared_by_a_later_run_but_a_live_ones_never() {
    let (dir, plan) = big_plan();
    let (child, left) = start_big_write(dir.path(), &plan, &[]);
    send(&child, libc::SIGKILL);
    let result = child.wait_with_output().unwrap();
    assert_eq!(result.status.signal(), Some(libc::SIGKILL));
    assert!(left.exists(), "SIGKILL cannot be caught: the file is left");
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    let age = |path: &Path, when| std::fs::File::options().write(true).open(path).unwrap().set_modified(when).unwrap();
    age(&left, hour_ago);
    // Others of ours that must stay: a live process's (this test's, old), a
    // fresh one of a dead process (perhaps another machine's live run), and
    // files that only look alike.
    let live = dir.path().join(format!(".salesplit-{}-Ab12Cd.tmp", std::process::id()));
    let fresh = dir.path().join(".salesplit-4194311-Xy34Zw.tmp");
    let notes = dir.path().join(".salesplit-notes.tmp");
    let other = dir.path().join("salesplit-1-abcdef.tmp");
    for path in [&live, &fresh, &notes, &other] {
        std::fs::write(path, "x").unwrap();
    }
    age(&live, hour_ago);
    age(&notes, hour_ago);
    age(&other, hour_ago);
    let (code, _, stderr) =
        run(dir.path(), &["decompose", "plan.toml", "--by", "region", "--format", "csv", "--output", "small.csv"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert!(!left.exists(), "the stale file was not cleared");
    for path in [&live, &fresh, &notes, &other] {
        assert!(path.exists(), "{} was removed", path.display());
    }
}

// ------------------------------------------------------ closed pipes

#[test]
fn a_closed_pipe_ends_quietly_with_the_signal_handling_installed() {
    let (dir, plan) = big_plan();
    let link = stdout_link(dir.path());
    for output in [None, Some(link)] {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("salesplit"));
        cmd.current_dir(dir.path()).arg("decompose").arg(&plan).args(["--format", "csv"]);
        if let Some(o) = output {
            cmd.args(["--output", o]);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut first = [0u8; 64];
        child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
        drop(child.stdout.take());
        let result = child.wait_with_output().unwrap();
        assert_eq!(result.status.code(), Some(0), "--output {output:?}: {:?}", result.status);
        assert_eq!(String::from_utf8_lossy(&result.stderr), "");
    }
}

#[test]
fn a_fifo_whose_reader_goes_away_ends_quietly() {
    let (dir, plan) = big_plan();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut first = [0u8; 64];
            std::fs::File::open(fifo).unwrap().read_exact(&mut first).unwrap();
        })
    };
    let out = salesplit()
        .current_dir(dir.path())
        .arg("decompose")
        .arg(&plan)
        .args(["--format", "csv", "--output", "pipe"])
        .output()
        .unwrap();
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO was replaced");
    reader.join().unwrap();
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stderr).as_ref()), (Some(0), ""));
}

/// Makes `path` a twin of the memory device `1,minor` (3 is /dev/null, 7
/// /dev/full); false, with a note, where device nodes cannot be made.
fn device_twin(path: &Path, minor: u32) -> bool {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mknod has no other preconditions.
    if unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, minor)) } != 0 {
        eprintln!("skipped: cannot make a device node here ({})", std::io::Error::last_os_error());
        return false;
    }
    true
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[test]
fn init_never_writes_over_a_fifo_or_device_even_with_force() {
    let dir = folder();
    mkfifo(&dir.path().join("pipe.toml"));
    std::os::unix::fs::symlink("/dev/null", dir.path().join("null.toml")).unwrap();
    for target in ["pipe.toml", "null.toml"] {
        let (code, stdout, stderr) = run(dir.path(), &["init", "--force", "--template", "shop", target]);
        assert_eq!(
            stderr,
            lines(&[
                &format!("error[E0903]: {target} is not a regular file (a device, FIFO or socket)"),
                " = help: name a new file for the plan, e.g. salesplit init plan.toml",
            ])
        );
        assert_eq!((code, stdout.as_str()), (Some(1), ""));
    }
    assert!(std::fs::symlink_metadata(dir.path().join("pipe.toml")).unwrap().file_type().is_fifo());
    assert!(std::fs::symlink_metadata(dir.path().join("null.toml")).unwrap().file_type().is_symlink());
    assert_eq!(temps(dir.path()), Vec::<PathBuf>::new());
}
