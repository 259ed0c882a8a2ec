//! The plan file and the engine say no clearly, in one run, and never panic
//! (issue 11): plans of levels only, holds that cannot add up, holds on
//! periods that weigh nothing, endless or huge files named as plans (under
//! a memory limit), org trees too large to hold, keys that TOML wants
//! quoted, suggestions that mean what the user meant, every independent
//! problem of a plan (calendar ones included) in one run, and helps whose
//! TOML parses. Each test pins the whole of stderr and the exit code.

mod common;

use common::{fails_with, lines, run_in};

/// `salesplit <command> plan.toml` with `plan` as plan.toml must say exactly `expected`.
#[track_caller]
fn plan_fails(command: &str, plan: &str, expected: &str) {
    fails_with(1, &[("plan.toml", plan)], &[command, "plan.toml"], expected);
}

/// Runs `args` over `files` and returns stdout, asserting a clean success.
#[track_caller]
fn runs(files: &[(&str, &str)], args: &[&str]) -> String {
    let (status, stdout, stderr) = run_in(files, args);
    assert_eq!(status, Some(0), "salesplit {args:?} failed: {stderr}");
    assert_eq!(stderr, "", "stderr of salesplit {args:?}");
    stdout
}

const LEVELS_ONLY: &str = r#"[plan]
year = 2026

[target.share]
kind = "level"
value = "5%"
path = { "2026-Q4" = "6%" }

[[split]]
by = "region"
weights = { East = 1, West = 0 }
"#;

#[test]
fn a_plan_of_levels_only_gives_every_member_the_level() {
    // README: a level is not split, every member inherits it (a zero weight changes nothing).
    let out = runs(&[("plan.toml", LEVELS_ONLY)], &["decompose", "plan.toml", "--by", "region,quarter", "--format", "csv"]);
    assert_eq!(
        out,
        lines(&[
            "region,period,start,end,share",
            "East,2026-Q1,2026-01-01,2026-03-31,0.05",
            "East,2026-Q2,2026-04-01,2026-06-30,0.05",
            "East,2026-Q3,2026-07-01,2026-09-30,0.05",
            "East,2026-Q4,2026-10-01,2026-12-31,0.06",
            "West,2026-Q1,2026-01-01,2026-03-31,0.05",
            "West,2026-Q2,2026-04-01,2026-06-30,0.05",
            "West,2026-Q3,2026-07-01,2026-09-30,0.05",
            "West,2026-Q4,2026-10-01,2026-12-31,0.06",
        ])
    );
    let plain = LEVELS_ONLY.replace("[[split]]\nby = \"region\"\nweights = { East = 1, West = 0 }\n", "");
    let out = runs(&[("plan.toml", &plain)], &["decompose", "plan.toml", "--by", "month", "--format", "csv"]);
    assert_eq!(out.lines().count(), 13);
    assert!(out.ends_with("2026-12,2026-12-01,2026-12-31,0.06\n"), "{out}");
    let out = runs(&[("plan.toml", &plain)], &["validate", "plan.toml"]);
    assert_eq!(out, "plan.toml is valid: share at 5% for 2026\n");
}

#[test]
fn holds_on_every_quarter_must_add_up_to_the_target() {
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[time.fixed]
"2026-Q1" = 200_000
"2026-Q2" = 300_000
"2026-Q3" = 300_000
"2026-Q4" = 100_000
"#;
    let expected = lines(&[
        "error: [time.fixed] holds every quarter of 2026, and they add up to 900,000.00, not 1,000,000.00",
        "  --> plan.toml:8:1",
        "  |",
        "8 | \"2026-Q1\" = 200_000",
        "  | ^^^^^^^^^^^^^^^^^^^",
        "  = note: 200,000.00 + 300,000.00 + 300,000.00 + 100,000.00 = 900,000.00, not 1,000,000.00 (the target `sales`)",
        "  = help: make the holds add up to 1,000,000.00, or leave one quarter unheld so that it takes the rest",
    ]);
    plan_fails("decompose", plan, &expected);
    plan_fails("validate", plan, &expected);
    // Over the target: the same arithmetic.
    let over = plan.replace("100_000", "300_000");
    plan_fails(
        "validate",
        &over,
        &lines(&[
            "error: [time.fixed] holds every quarter of 2026, and they add up to 1,100,000.00, not 1,000,000.00",
            "  --> plan.toml:8:1",
            "  |",
            "8 | \"2026-Q1\" = 200_000",
            "  | ^^^^^^^^^^^^^^^^^^^",
            "  = note: 200,000.00 + 300,000.00 + 300,000.00 + 300,000.00 = 1,100,000.00, not 1,000,000.00 (the target `sales`)",
            "  = help: make the holds add up to 1,000,000.00, or leave one quarter unheld so that it takes the rest",
        ]),
    );
}

#[test]
fn holds_on_every_month_of_a_held_quarter_must_add_up_to_it() {
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_200_000

[time.fixed]
"2026-Q1" = 300_000
"2026-01" = 100_000
"2026-02" = 100_000
"2026-03" = 50_000
"#;
    plan_fails(
        "decompose",
        plan,
        &lines(&[
            "error: [time.fixed] holds every month of 2026-Q1, and they add up to 250,000.00, not 300,000.00",
            "  --> plan.toml:9:1",
            "  |",
            "9 | \"2026-01\" = 100_000",
            "  | ^^^^^^^^^^^^^^^^^^^",
            "  = note: 100,000.00 + 100,000.00 + 50,000.00 = 250,000.00, not 300,000.00 (the hold of 2026-Q1)",
            "  = help: make the holds of 2026-01 to 2026-03 add up to 300,000.00, hold 2026-Q1 at 250,000.00, or leave one month unheld so that it takes the rest",
        ]),
    );
    // Q1 not held: its share of the target (a quarter of 1,200,000) is what the months must make.
    let implied = plan.replace("\"2026-Q1\" = 300_000\n", "");
    plan_fails(
        "validate",
        &implied,
        &lines(&[
            "error: [time.fixed] holds every month of 2026-Q1, and they add up to 250,000.00, not 300,000.00",
            "  --> plan.toml:8:1",
            "  |",
            "8 | \"2026-01\" = 100_000",
            "  | ^^^^^^^^^^^^^^^^^^^",
            "  = note: 100,000.00 + 100,000.00 + 50,000.00 = 250,000.00, not 300,000.00 (2026-Q1's share of the target)",
            "  = help: make the holds of 2026-01 to 2026-03 add up to 300,000.00, or leave one month unheld so that it takes the rest",
        ]),
    );
    // Adding up exactly is fine.
    let exact = plan.replace("\"2026-03\" = 50_000", "\"2026-03\" = 100_000");
    let out = runs(&[("plan.toml", &exact)], &["decompose", "plan.toml", "--by", "month", "--format", "csv"]);
    assert!(out.contains("2026-03,2026-03-01,2026-03-31,100000.00\n"), "{out}");
}

#[test]
fn a_hold_on_a_week_of_no_working_day_is_an_error_before_anything_is_written() {
    // 1 March 2026 is a Sunday, so with weeks from Monday 2026-03-W1 is that Sunday alone.
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[time]
spread = "workdays"
week_start = "mon"

[time.fixed]
"2026-03-W1" = 10
"#;
    let expected = lines(&[
        "error: 2026-03-W1 is held at 10.00, but none of its days has a positive weight to carry it",
        "   --> plan.toml:12:1",
        "   |",
        "12 | \"2026-03-W1\" = 10",
        "   | ^^^^^^^^^^^^^^^^^",
        "   = note: 2026-03-W1 is 2026-03-01, and under spread = \"workdays\" a day outside the workweek (mon, tue, wed, thu, fri) weighs 0",
        "   = help: hold another period, or give 2026-03-01 a weight in [time.days]",
    ]);
    plan_fails("validate", plan, &expected);
    for by in ["week", "day"] {
        fails_with(1, &[("plan.toml", plan)], &["decompose", "plan.toml", "--by", by, "--format", "csv"], &expected);
    }
}

#[test]
fn an_unquoted_chinese_key_is_told_to_be_quoted() {
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[[split]]
by = "region"
weights = { 东北 = 1, 华北 = 2 }
"#;
    plan_fails(
        "decompose",
        plan,
        &lines(&[
            "error: this is not valid TOML: invalid unquoted key, expected letters, numbers, `-`, `_`",
            "  --> plan.toml:9:13",
            "  |",
            "9 | weights = { 东北 = 1, 华北 = 2 }",
            "  |             ^^^^",
            "  = help: TOML keys other than A-Z a-z 0-9 - _ must be quoted: write `\"东北\" = 1`, and so every such key",
        ]),
    );
}

#[test]
fn slots_that_do_not_add_up_are_one_error_not_two() {
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[time]
level = "slot"

[[time.slots]]
name = "am"
share = "30%"

[[time.slots]]
name = "pm"
share = "60%"
"#;
    plan_fails(
        "validate",
        plan,
        &lines(&[
            "error: the shares of the slots add up to 90%, not 100%",
            "   --> plan.toml:10:1",
            "   |",
            "10 | [[time.slots]]",
            "   | ^^^^^^^^^^^^^^",
            "   = note: 30% + 60% = 90%",
            "   = help: make the slots' percentages add up to exactly 100% of the day (these are 10% short)",
        ]),
    );
}

#[test]
fn a_table_written_as_a_value_gets_a_help_that_parses() {
    plan_fails(
        "decompose",
        "plan = 5\n[target]\nsales = 1\n",
        &lines(&[
            "error: [plan] must be a table, found an integer",
            "  --> plan.toml:1:8",
            "  |",
            "1 | plan = 5",
            "  |        ^",
            "  = help: write [plan] as a table: a line `[plan]` with its keys below it, e.g. `year = 2026`",
        ]),
    );
}

/// Runs salesplit on `path` under a 1 GB address-space limit, as a shell's
/// `ulimit -v` sets it, and returns its exit code and stderr.
fn under_one_gigabyte(command: &str, path: &str) -> (Option<i32>, String, String) {
    let binary = assert_cmd::cargo::cargo_bin("salesplit");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1000000 && exec \"$0\" \"$@\"")
        .arg(binary)
        .args([command, path])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[track_caller]
fn refused_cleanly(command: &str, path: &str, says: &str) {
    let (status, stdout, stderr) = under_one_gigabyte(command, path);
    assert_eq!(status, Some(1), "salesplit {command} {path}: {stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(says), "{stderr}");
    assert!(stderr.contains("\n  = help: "), "{stderr}");
}

#[test]
fn endless_or_huge_plans_are_refused_within_a_gigabyte() {
    refused_cleanly("decompose", "/dev/zero", "error: /dev/zero is longer than 64 MB: too large to be a plan");
    refused_cleanly("validate", "/dev/urandom", "error: the plan is not UTF-8 text");
    let dir = tempfile::TempDir::new().unwrap();
    let folder = dir.path().to_str().unwrap().to_string();
    refused_cleanly("decompose", &folder, "is a folder, not a plan file");
    // A sparse 1 GB file: refused by its size, before reading it.
    let big = dir.path().join("big.toml");
    std::fs::File::create(&big).unwrap().set_len(1 << 30).unwrap();
    refused_cleanly("decompose", big.to_str().unwrap(), "big.toml is 1,073 MB: too large to be a plan");
    // A FIFO fed forever.
    let fifo = dir.path().join("plan.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let mut feeder = std::process::Command::new("sh")
        .arg("-c")
        .arg("yes '# a plan that never ends' > \"$0\" 2>/dev/null")
        .arg(&fifo)
        .spawn()
        .unwrap();
    refused_cleanly("decompose", fifo.to_str().unwrap(), "plan.fifo is longer than 64 MB: too large to be a plan");
    // The feeder stops on a closed pipe; kill it in case it had not started writing.
    let _ = feeder.kill();
    let _ = feeder.wait();
}
