//! The plan file and the engine say no clearly, in one run, and never panic
//! (issue 11): plans of levels only, holds that cannot add up, holds on
//! periods that weigh nothing, endless or huge files named as plans (under
//! a memory limit), org trees too large to hold, keys that TOML wants
//! quoted, suggestions that mean what the user meant, every independent
//! problem of a plan (calendar ones included) in one run, and helps whose
//! TOML parses. Each test pins the whole of stderr and the exit code.

use crate::common;

use crate::common::{fails_with, lines, run_in};

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
    let out =
        runs(&[("plan.toml", LEVELS_ONLY)], &["decompose", "plan.toml", "--by", "region,quarter", "--format", "csv"]);
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
        "error[E0405]: [time.fixed] holds every quarter of 2026, and they add up to 900,000.00, not 1,000,000.00",
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
            "error[E0405]: [time.fixed] holds every quarter of 2026, and they add up to 1,100,000.00, not 1,000,000.00",
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
fn a_hold_written_without_its_year_is_shown_with_it() {
    let plan = "[plan]\nyear = 2026\n\n[target]\nsales = 1_000\n\n[time.fixed]\nQ1 = 200\n\"2026-03-W1\" = \"10.50\"\n";
    let expected = lines(&[
        "error[E0406]: [time.fixed] names Q1, which is not a period of this plan",
        "  --> plan.toml:8:1",
        "  |",
        "8 | Q1 = 200",
        "  | ^^^^^^^^",
        "  = note: this plan covers 2026-01-01 to 2026-12-31: the year 2026, quarters 2026-Q1 to 2026-Q4, months 2026-01 to 2026-12, weeks such as 2026-01-W1 and days 2026-01-01 to 2026-12-31",
        "  = help: write the period with its year, as in the output's period column: `\"2026-Q1\" = 200`",
    ]);
    plan_fails("validate", plan, &expected);
    // Cents are shown quoted, so the line stays exact as TOML.
    let cents = plan.replace("Q1 = 200", "Q1 = \"200.50\"");
    let (code, _, err) = run_in(&[("plan.toml", &cents)], &["validate", "plan.toml"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("`\"2026-Q1\" = \"200.50\"`"), "{err}");
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
            "error[E0405]: [time.fixed] holds every month of 2026-Q1, and they add up to 250,000.00, not 300,000.00",
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
            "error[E0405]: [time.fixed] holds every month of 2026-Q1, and they add up to 250,000.00, not 300,000.00",
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
        "error[E0404]: 2026-03-W1 is held at 10.00, but none of its days has a positive weight to carry it",
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
fn lists_nested_past_the_parser_depth_are_a_syntax_error_with_a_fix() {
    for nested in
        [format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)), format!("a = {}", "{b=".repeat(5_000))]
    {
        let (code, out, err) = run_in(&[("plan.toml", &nested)], &["validate", "plan.toml"]);
        assert_eq!(code, Some(1), "{err}");
        assert!(out.is_empty());
        let first = err.lines().next().unwrap();
        assert_eq!(first, "error[E0101]: this is not valid TOML: cannot recurse further; max recursion depth met");
        assert!(err.lines().nth(1).unwrap().starts_with("  --> plan.toml:1:"), "{err}");
        assert_eq!(
            err.lines().last().unwrap(),
            "  = help: a plan nests lists and tables a few levels deep at most: remove the extra `[` and `{` where \
             the caret points"
        );
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
            "error[E0101]: this is not valid TOML: invalid unquoted key, expected letters, numbers, `-`, `_`",
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
            "error[E0301]: the shares of the slots add up to 90%, not 100%",
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
            "error[E0103]: [plan] must be a table, found an integer",
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
    assert!(stderr.starts_with("error[E"), "{stderr}");
    assert!(stderr.contains(says), "{stderr}");
    assert!(stderr.contains("\n  = help: "), "{stderr}");
}

#[test]
fn endless_or_huge_plans_are_refused_within_a_gigabyte() {
    refused_cleanly("decompose", "/dev/zero", "error[E0608]: /dev/zero is longer than 16 MB: too large to be a plan");
    refused_cleanly("validate", "/dev/urandom", "error[E0601]: the plan is not UTF-8 text");
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
    refused_cleanly("decompose", fifo.to_str().unwrap(), "plan.fifo is longer than 16 MB: too large to be a plan");
    // The feeder stops on a closed pipe; kill it in case it had not started writing.
    let _ = feeder.kill();
    let _ = feeder.wait();
}

#[test]
fn every_problem_of_a_plan_comes_in_one_run_calendar_ones_included() {
    // A key typo, a special day outside the year, a month (February, whose Sundays
    // are all set to 0) with a share but no working day, a hold that names no
    // period and slots that do not add up: five independent problems, one run.
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[time]
spread = "workdays"
workweek = ["sun"]
months = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

[time.days]
"2027-01-05" = 2
"2026-02-01" = 0
"2026-02-08" = 0
"2026-02-15" = 0
"2026-02-22" = 0

[time.fixed]
"2026-13" = 5

[[time.slots]]
name = "am"
share = "30%"

[[split]]
by = "region"
wieghts = { East = 1 }
"#;
    let expected = lines(&[
        "error[E0301]: the shares of the slots add up to 30%, not 100%",
        "   --> plan.toml:22:1",
        "   |",
        "22 | [[time.slots]]",
        "   | ^^^^^^^^^^^^^^",
        "   = help: make the slots' percentages add up to exactly 100% of the day (these are 70% short)",
        "",
        "error[E0102]: unknown key `wieghts` in [[split]]",
        "   --> plan.toml:28:1",
        "   |",
        "28 | wieghts = { East = 1 }",
        "   | ^^^^^^^",
        "   = help: did you mean `weights`?",
        "",
        "error[E0403]: special day 2027-01-05 is not in the plan year (2026-01-01 to 2026-12-31)",
        "   --> plan.toml:13:1",
        "   |",
        "13 | \"2027-01-05\" = 2",
        "   | ^^^^^^^^^^^^",
        "   = help: correct the date, or move it to the plan that covers 2027-01-05; this plan can only weigh its own days",
        "",
        "error[E0404]: month 2026-02 has a share of the target but no day in it has a positive weight",
        "  --> plan.toml:7:2",
        "  |",
        "7 | [time]",
        "  |  ^^^^",
        "  = help: give some day of that month a positive weight (check `weekdays`, `workweek`, `spread` and [time.days]), or give the month a weight of 0 in `months`",
        "",
        "error[E0406]: [time.fixed] names 2026-13, which is not a period of this plan",
        "   --> plan.toml:20:1",
        "   |",
        "20 | \"2026-13\" = 5",
        "   | ^^^^^^^^^^^^^",
        "   = note: this plan covers 2026-01-01 to 2026-12-31: the year 2026, quarters 2026-Q1 to 2026-Q4, months 2026-01 to 2026-12, weeks such as 2026-01-W1 and days 2026-01-01 to 2026-12-31",
        "   = help: hold a period of the plan year by its label, as in the output's period column",
        "",
        "5 problems found; nothing was computed",
    ]);
    plan_fails("validate", plan, &expected);
    plan_fails("decompose", plan, &expected);
}

#[test]
fn a_hold_larger_than_the_target_is_reported_beside_a_hold_that_names_no_period() {
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[time.fixed]
"2026-13" = 5
"2026-Q2" = 2_000_000
"#;
    let (status, stdout, stderr) = run_in(&[("plan.toml", plan)], &["validate", "plan.toml"]);
    assert_eq!((status, stdout.as_str()), (Some(1), ""));
    assert!(
        stderr.contains("error[E0406]: [time.fixed] names 2026-13, which is not a period of this plan\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error[E0405]: the holds inside 2026 add up to 2,000,000.00, more than the target `sales`\n  --> plan.toml:9:1\n"
        ),
        "{stderr}"
    );
    assert!(stderr.ends_with("2 problems found; nothing was computed\n"), "{stderr}");
}

#[test]
fn an_org_tree_too_large_to_hold_is_refused_from_the_member_counts() {
    let members: Vec<String> = (1..=20).map(|i| format!("M{i} = 1")).collect();
    let mut plan = "[plan]\nyear = 2026\n\n[target]\nsales = 1_000_000\n".to_string();
    for i in 0..8 {
        plan += &format!("\n[[split]]\nby = \"s{i}\"\nweights = {{ {} }}\n", members.join(", "));
    }
    let expected = lines(&[
        "error[E0307]: the plan's org tree has 25,600,000,000 leaves, more than the 10,000,000 salesplit can hold",
        "   --> plan.toml:36:6",
        "   |",
        "36 | by = \"s7\"",
        "   |      ^^^^",
        "   = note: nodes after each split: s0 20, then s1 400, then s2 8,000, then s3 160,000, then s4 3,200,000, then s5 64,000,000, then s6 1,280,000,000, then s7 25,600,000,000",
        "   = note: the tree is held in memory, about 200 bytes a leaf, before the first figure is written",
        "   = help: split by fewer levels or members, or give each parent only its own members (a `[split.within.\"…\"]` table per parent, or a roster whose parent column names them)",
    ]);
    // At once: under a 1 GB limit, nothing of the 25.6 billion leaves is allocated.
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, &plan).unwrap();
    let (status, stdout, stderr) = under_one_gigabyte("decompose", path.to_str().unwrap());
    assert_eq!((status, stdout.as_str()), (Some(1), ""));
    assert!(stderr.ends_with(&expected[expected.find(" = note").unwrap() - 3..]), "{stderr}");
    fails_with(1, &[("plan.toml", &plan)], &["validate", "plan.toml"], &expected);
}

#[test]
fn a_roster_repeated_under_a_thousand_products_is_refused_before_it_is_shared() {
    let products: Vec<String> = (1..=1000).map(|i| format!("P{i} = 1")).collect();
    let plan = format!(
        "[plan]\nyear = 2026\n\n[target]\nsales = 1_000_000\n\n[[split]]\nby = \"region\"\nweights = {{ A = 1, B = 1 }}\n\n\
         [[split]]\nby = \"product\"\nweights = {{ {} }}\n\n[[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n",
        products.join(", ")
    );
    let mut roster = String::from("name,region,weight\n");
    for i in 0..20_000 {
        roster += &format!("R{i},{},1\n", if i % 2 == 0 { "A" } else { "B" });
    }
    let (status, stdout, stderr) = run_in(&[("plan.toml", &plan), ("reps.csv", &roster)], &["decompose", "plan.toml"]);
    assert_eq!((status, stdout.as_str()), (Some(1), ""));
    assert!(
        stderr.starts_with(
            "error[E0307]: the plan's org tree has 20,000,000 leaves, more than the 10,000,000 salesplit can hold\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("= note: nodes after each split: region 2, then product 2,000, then salesperson 20,000,000\n")
    );
}

#[test]
fn a_roster_need_not_cover_a_member_that_every_within_table_replaces() {
    // `referral` is in the split's own weights, but every region names its own
    // segments without it: it has no share anywhere, so it needs no salesperson.
    let plan = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[[split]]
by = "region"
weights = { East = 1, West = 1 }

[[split]]
by = "segment"
weights = { new = 1, existing = 1, referral = 1 }
[split.within.East]
weights = { new = 1, existing = 2 }
[split.within.West]
weights = { new = 2, existing = 1 }

[[split]]
by = "salesperson"
roster = "reps.csv"
"#;
    let roster = "name,segment,weight\nAnn,new,1\nBob,existing,1\n";
    let files = [("plan.toml", plan), ("reps.csv", roster)];
    let out = runs(&files, &["decompose", "plan.toml", "--by", "region,segment,salesperson,year", "--format", "csv"]);
    assert_eq!(
        out,
        lines(&[
            "region,segment,salesperson,period,start,end,sales",
            "East,new,Ann,2026,2026-01-01,2026-12-31,166666.67",
            "East,existing,Bob,2026,2026-01-01,2026-12-31,333333.33",
            "West,new,Ann,2026,2026-01-01,2026-12-31,333333.33",
            "West,existing,Bob,2026,2026-01-01,2026-12-31,166666.67",
        ])
    );
    // Where a region does use the default set, `referral` has a share and needs people.
    let partly = plan.replace("[split.within.West]\nweights = { new = 2, existing = 1 }\n", "");
    let (status, _, stderr) = run_in(&[("plan.toml", &partly), ("reps.csv", roster)], &["validate", "plan.toml"]);
    assert_eq!(status, Some(1));
    assert!(
        stderr
            .starts_with("error[E0303]: segment `referral` has a share of the target but no salesperson in reps.csv\n"),
        "{stderr}"
    );
}

#[test]
fn a_split_of_tens_of_thousands_of_members_runs_in_little_memory() {
    // Each member used to keep a copy of its whole line: 20,000 SKUs on one
    // line took about 4 GB. Now the run fits well within 1 GB (a debug build).
    let weights: Vec<String> = (0..20_000).map(|i| format!("SKU{i} = {}", 1 + i % 7)).collect();
    let plan = format!(
        "[plan]\nyear = 2026\n\n[target]\nsales = 100_000_000\n\n[[split]]\nby = \"sku\"\nweights = {{ {} }}\n",
        weights.join(", ")
    );
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("skus.toml");
    std::fs::write(&path, plan).unwrap();
    let (status, stdout, stderr) = under_one_gigabyte("validate", path.to_str().unwrap());
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stdout.ends_with("is valid: 100,000,000.00 sales for 2026, split by sku (20000)\n"), "{stdout}");
}

/// The snippets of TOML a help shows in backticks: those with ` = ` in them
/// or that are a table header (`[plan]`); a lone token such as `[` is not TOML.
fn toml_snippets(help: &str) -> Vec<&str> {
    help.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains(" = ") || (s.len() > 2 && s.starts_with('[') && s.ends_with(']')))
        .collect()
}

/// Whether a snippet parses as TOML: as a document (`year = 2026`,
/// `[plan]`) or as a value (`{ name = "calls", rate = "20%" }`).
fn parses(snippet: &str) -> bool {
    snippet.parse::<toml::Table>().is_ok() || format!("x = {snippet}").parse::<toml::Table>().is_ok()
}

#[test]
fn every_help_that_shows_toml_shows_toml_that_parses() {
    const HEAD: &str = "[plan]\nyear = 2026\n";
    let split = |rest: &str| format!("{HEAD}[target]\nsales = 1_000\n[[split]]\nby = \"region\"\n{rest}");
    let plans: Vec<String> = vec![
        "plan = 5\n[target]\nsales = 1\n".to_string(),
        "[target]\nsales = 1\n".to_string(),
        "[plan]\nname = \"x\"\n[target]\nsales = 1\n".to_string(),
        "[plan]\nyear = \"2026\"\n[target]\nsales = 1\n".to_string(),
        format!("{HEAD}start = \"2026-04-15\"\n[target]\nsales = 1\n"),
        format!("{HEAD}start = \"soon\"\n[target]\nsales = 1\n"),
        format!("{HEAD}fy_label = \"middle\"\n[target]\nsales = 1\n"),
        HEAD.to_string(),
        format!("{HEAD}[target]\n"),
        format!("target = 5\n{HEAD}"),
        format!("{HEAD}[target]\nsales = \"30%\"\n"),
        format!("{HEAD}[target]\n\"销售额\" = \"30%\"\n"),
        format!("{HEAD}[target]\nsales = 1\n[target.new]\nkind = \"count\"\n"),
        format!("{HEAD}[target]\nsales = 1\n[target.new]\nkind = \"count\"\ntotal = 1.5\n"),
        format!("{HEAD}[target.share]\nkind = \"level\"\n"),
        format!("{HEAD}[target.share]\nkind = \"level\"\ntotal = 5\n"),
        format!("{HEAD}[target.share]\nkind = \"level\"\nvalue = \"5%\"\npath = 5\n"),
        format!("{HEAD}[target.share]\nkind = \"rate\"\nvalue = \"5%\"\n"),
        format!("{HEAD}[target.sales]\ntotal = 1\ngrowth = \"5%\"\n"),
        format!("{HEAD}[target.\"销售额\"]\ntotal = 1\ntime = 5\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\nweekdays = 5\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\nfixed = 5\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\ndays = 5\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\nslots = 5\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\nworkweek = 5\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\nholidays = 5\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\nlevel = \"slot\"\n"),
        format!("{HEAD}[target]\nsales = 1\n[time]\nstart = \"x\"\n[time.days]\n\"2026-02-30\" = 1\n"),
        format!("{HEAD}[target]\nsales = 1\n[[time.slots]]\nname = \"am\"\n"),
        format!("time = 5\n{HEAD}[target]\nsales = 1\n"),
        format!("{HEAD}[target]\nsales = 1\n[track]\ntolerance = 5\n"),
        format!("track = 5\n{HEAD}[target]\nsales = 1\n"),
        format!("split = [1]\n{HEAD}[target]\nsales = 1\n"),
        split(""),
        split("weights = 5\n"),
        split("fixed = 5\n"),
        split("weights = \"histroy\"\n"),
        split("weights = { East = 1 }\n[[split]]\nby = \"product\"\nwithin = 5\n"),
        split("weights = { East = 1 }\n[[split]]\nby = \"product\"\nwithin = { East = 5 }\n"),
        split("weights = { \"华东\" = 1, \"华北\" = 1 }\n[[split]]\nby = \"product\"\n[split.within.\"华东\"]\nweights = { A = 1 }\n"),
        split("weights = { East = 1 }\nover_assign = 5\n"),
        split("weights = { East = 1 }\n[funnel]\ndeal_size = 10\n"),
        split("weights = { East = 1 }\n[funnel]\nwhere = 5\ndeal_size = 10\nstages = []\n"),
        split("weights = { East = 1 }\n[funnel]\ndeal_size = 10\nstages = [5]\n"),
        split("weights = { East = 1 }\n[funnel]\ndeal_size = 0\nstages = [{ name = \"calls\" }]\n"),
        format!("funnel = 5\n{HEAD}[target]\nsales = 1\n"),
        format!("{HEAD}[target]\n\"销售额\" = 1\n\"回款\" = 1\n[funnel]\ndeal_size = 10\nstages = [{{ name = \"deals\", rate = \"100%\" }}]\n"),
        split("weights = { 东北 = 1, 华北 = 2 }\n"),
        format!("{HEAD}[target.sales]\nbaseline = \"none.csv\"\ngrowth = {{ Q1 = \"1%\" }}\n"),
        format!("{HEAD}[target.sales]\nbaseline = \"none.csv\"\ngrowth = 5\n"),
    ];
    let mut shown = 0;
    for plan in &plans {
        let (status, _, stderr) = run_in(&[("plan.toml", plan)], &["validate", "plan.toml"]);
        assert_eq!(status, Some(1), "{plan}\n{stderr}");
        for help in stderr.lines().filter_map(|l| l.split_once("= help: ").map(|(_, h)| h)) {
            for snippet in toml_snippets(help) {
                shown += 1;
                assert!(parses(snippet), "this help shows TOML that does not parse: `{snippet}`\n{plan}\n{stderr}");
            }
        }
    }
    // Not a vacuous pass: most of these helps show TOML.
    assert!(shown >= 40, "only {shown} snippets of TOML were shown");
}

#[test]
fn a_bare_number_where_a_percentage_belongs_is_refused_with_the_percentage_to_write() {
    let track = "[plan]\nyear = 2026\n\n[target]\nsales = 1_000\n\n[track]\ntolerance = 0.9\n";
    plan_fails(
        "validate",
        track,
        &lines(&[
            "error[E0205]: tolerance is 0.9, a bare number: it must be a percentage",
            "  --> plan.toml:8:13",
            "  |",
            "8 | tolerance = 0.9",
            "  |             ^^^",
            "  = help: write it as a percentage in quotes: `tolerance = \"90%\"` (0.9 as a fraction), or `tolerance = \"0.9%\"` if you mean 0.9 percent",
        ]),
    );
    plan_fails(
        "validate",
        &track.replace("0.9", "5"),
        &lines(&[
            "error[E0205]: tolerance is 5, a bare number: it must be a percentage",
            "  --> plan.toml:8:13",
            "  |",
            "8 | tolerance = 5",
            "  |             ^",
            "  = help: write it as a percentage in quotes: `tolerance = \"5%\"`",
        ]),
    );
    let growth = "[plan]\nyear = 2026\n\n[target.sales]\nbaseline = \"sales-2025.csv\"\ngrowth = 0.15\n";
    let baseline = "date,sales\n2025-03-01,100\n";
    fails_with(
        1,
        &[("plan.toml", growth), ("sales-2025.csv", baseline)],
        &["validate", "plan.toml"],
        &lines(&[
            "error[E0205]: growth is 0.15, a bare number: it must be a percentage",
            "  --> plan.toml:6:10",
            "  |",
            "6 | growth = 0.15",
            "  |          ^^^^",
            "  = help: write it as a percentage in quotes: `\"15%\"` (0.15 as a fraction), or `\"0.15%\"` if you mean 0.15 percent",
        ]),
    );
    let funnel = "[plan]\nyear = 2026\n\n[target]\nsales = 1_000\n\n[funnel]\ndeal_size = 10\nstages = [{ name = \"deals\", rate = 0.25 }]\n";
    plan_fails(
        "validate",
        funnel,
        &lines(&[
            "error[E0205]: a stage's rate is 0.25, a bare number: it must be a percentage",
            "  --> plan.toml:9:36",
            "  |",
            "9 | stages = [{ name = \"deals\", rate = 0.25 }]",
            "  |                                    ^^^^",
            "  = help: write it as a percentage in quotes: `rate = \"25%\"` (0.25 as a fraction), or `rate = \"0.25%\"` if you mean 0.25 percent",
        ]),
    );
    let over = "[plan]\nyear = 2026\n\n[target]\nsales = 1_000\n\n[[split]]\nby = \"team\"\nweights = { A = 1 }\nover_assign = 0.1\n";
    plan_fails(
        "validate",
        over,
        &lines(&[
            "error[E0205]: over_assign is 0.1, a bare number: it must be a percentage",
            "   --> plan.toml:10:15",
            "   |",
            "10 | over_assign = 0.1",
            "   |               ^^^",
            "   = help: write it as a percentage in quotes: `over_assign = \"10%\"` (0.1 as a fraction), or `over_assign = \"0.1%\"` if you mean 0.1 percent",
        ]),
    );
}

#[test]
fn suggestions_mean_what_the_user_meant() {
    let plan = |within: &str| {
        format!(
            "[plan]\nyear = 2026\n\n[target]\nsales = 1_000\n\n[[split]]\nby = \"region\"\n\
             weights = {{ N = 1, S = 1, \"东北\" = 1, \"华南\" = 1 }}\n\n[[split]]\nby = \"product\"\n\
             weights = {{ A = 1 }}\n[split.within.\"{within}\"]\nweights = {{ B = 1 }}\n"
        )
    };
    let help = |within: &str| {
        let (status, _, stderr) = run_in(&[("plan.toml", &plan(within))], &["validate", "plan.toml"]);
        assert_eq!(status, Some(1), "{stderr}");
        stderr.lines().find_map(|l| l.split_once("= help: ").map(|(_, h)| h.to_string())).unwrap()
    };
    // Another case of a member, not the nearest spelling (`s` is one edit from `N` too).
    assert_eq!(help("s"), "did you mean `S`? The members of `region` are: N, S, 东北, 华南");
    // 西南 is another region than 华南: list the members rather than guess.
    assert_eq!(help("西南"), "write one of the members of `region`: N, S, 东北, 华南");
    // The same characters in another order is a slip.
    assert_eq!(help("北东"), "did you mean `东北`? The members of `region` are: N, S, 东北, 华南");
    // Never a Chinese name for a Latin typo.
    assert_eq!(help("Nan"), "write one of the members of `region`: N, S, 东北, 华南");
}

#[test]
fn a_long_list_of_members_is_shortened_in_a_help() {
    let weights: Vec<String> = (1..=500).map(|i| format!("SKU{i} = 1")).collect();
    let plan = format!(
        "[plan]\nyear = 2026\n\n[target]\nsales = 1_000\n\n[[split]]\nby = \"sku\"\nweights = {{ {} }}\n\n\
         [[split]]\nby = \"store\"\nweights = {{ A = 1 }}\n[split.within.\"XYZ-9\"]\nweights = {{ B = 1 }}\n",
        weights.join(", ")
    );
    let (status, _, stderr) = run_in(&[("plan.toml", &plan)], &["validate", "plan.toml"]);
    assert_eq!(status, Some(1));
    assert!(
        stderr.contains(
            "= help: write one of the members of `sku`: SKU1, SKU2, SKU3, SKU4, SKU5, SKU6, SKU7, SKU8, SKU9, SKU10 and 490 more\n"
        ),
        "{stderr}"
    );
}

#[test]
fn the_unplanned_note_names_the_known_path_not_the_split_just_before() {
    // The company's salespeople come under their region, with product in between:
    // 王磊 is in 东北, so under 华东 he is unplanned, whatever the product.
    let sales = "date,region,product,salesperson,sales\n2026-01-05,华东,A,王磊,100\n";
    let dir = tempfile::TempDir::new().unwrap();
    let actuals = dir.path().join("sales.csv");
    std::fs::write(&actuals, sales).unwrap();
    let out = common::salesplit()
        .args(["track", "examples/company.toml", "--actuals", actuals.to_str().unwrap(), "--as-of", "2026-01-31"])
        .args(["--by", "region", "--format", "csv"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "= note: the first, on line 2: salesperson `王磊` is not in the plan under region `华东`, product `A`\n"
        ),
        "{stderr}"
    );
}

#[test]
fn an_empty_or_blank_member_name_is_refused_without_false_followers() {
    // `""` and `"  "` can be named by no roster or actuals file (their
    // cells are trimmed), and a table would show an empty row; the split
    // after the bad one is not told that it has no parent split.
    plan_fails(
        "decompose",
        r#"[plan]
year = 2026
[target]
sales = 1000
[[split]]
by = "region"
weights = { "  " = 1, B = 2 }
[[split]]
by = "product"
weights = { A = 1, "" = 2 }
fixed = { "" = 1 }
[split.within.B]
weights = { A = 1 }
"#,
        &lines(&[
            "error[E0107]: split `region` has a member with a name of only spaces",
            "  --> plan.toml:7:13",
            "  |",
            "7 | weights = { \"  \" = 1, B = 2 }",
            "  |             ^^^^",
            "  = help: write the member's name between the quotes, or remove the entry",
            "",
            "error[E0107]: split `product` has a member with an empty name",
            "   --> plan.toml:10:20",
            "   |",
            "10 | weights = { A = 1, \"\" = 2 }",
            "   |                    ^^",
            "   = help: write the member's name between the quotes, or remove the entry",
            "",
            "error[E0107]: split `product` has a member with an empty name",
            "   --> plan.toml:11:11",
            "   |",
            "11 | fixed = { \"\" = 1 }",
            "   |           ^^",
            "   = help: write the member's name between the quotes, or remove the entry",
            "",
            "3 problems found; nothing was computed",
        ]),
    );
}

#[test]
fn a_calendar_error_and_a_split_error_come_in_one_run() {
    // Issue 12: the split checks that the engine made (dated people on two
    // splits) are the plan reader's now, so they come with the calendar's.
    let plan = "[plan]\nyear = 2026\n\n[target]\nsales = 10_000_000\n\n[time]\n\
                weekdays = { mon = 0, tue = 0, wed = 0, thu = 0, fri = 0, sat = 0, sun = 0 }\n\n\
                [[split]]\nby = \"team\"\nroster = \"teams.csv\"\n\n[[split]]\nby = \"rep\"\nroster = \"reps.csv\"\n";
    let expected = lines(&[
        "error[E0404]: every month (2026-01 to 2026-12) has a share of the target but no day with a positive weight",
        "  --> plan.toml:7:2",
        "  |",
        "7 | [time]",
        "  |  ^^^^",
        "  = note: every day weighs 0: a day weighs its `weekdays` coefficient (mon 0, tue 0, wed 0, thu 0, fri 0, sat 0, sun 0)",
        "  = help: give some weekday a positive weight in `weekdays` (check `spread` too), or give those months a weight of 0 in `months`",
        "",
        "error[E0506]: splits `team` and `rep` both have people with dates, ramps or vacancies",
        "   --> plan.toml:15:6",
        "   |",
        "15 | by = \"rep\"",
        "   |      ^^^^^",
        "   = help: keep `start`, `end`, `ramp` and `vacancy` on one roster split (the people)",
        "",
        "2 problems found; nothing was computed",
    ]);
    let files = [
        ("plan.toml", plan),
        ("teams.csv", "name,weight,start\nNorth,1,\nSouth,1,2026-04-01\n"),
        ("reps.csv", "name,team,weight,start\nAnn,North,1,\nBob,North,1,2026-05-01\nCy,South,1,\n"),
    ];
    fails_with(1, &files, &["decompose", "plan.toml"], &expected);
    fails_with(1, &files, &["validate", "plan.toml"], &expected);
}
