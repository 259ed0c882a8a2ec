//! The error catalogue: every kind of bad input the brief's "Says no clearly"
//! covers, one test each, through the real binary. Each test pins the whole
//! of stderr — what a sales manager reads: where (`plan.toml:12:9` with the
//! line and a caret, or `reps.csv line 7`), what is wrong, the arithmetic
//! when sums are off, and what would fix it — and checks that the run exits
//! with code 1 (2 for usage errors) and prints nothing on stdout.

use assert_cmd::Command;

/// Writes `files` into a fresh folder, runs `salesplit` there with `args`
/// (so messages name `plan.toml`, not a temporary path) and returns the exit
/// code, stdout and stderr.
fn run_in(files: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::TempDir::new().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = Command::cargo_bin("salesplit").unwrap().current_dir(dir.path()).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Asserts that running `args` over `files` fails with exit code `code`,
/// nothing on stdout and exactly `expected` on stderr.
#[track_caller]
fn fails_with(code: i32, files: &[(&str, &str)], args: &[&str], expected: &str) {
    let (status, stdout, stderr) = run_in(files, args);
    assert_eq!(stderr, expected, "stderr of salesplit {args:?}");
    assert_eq!(stdout, "", "stdout of salesplit {args:?}");
    assert_eq!(status, Some(code), "exit code of salesplit {args:?}");
}

/// `salesplit decompose plan.toml` with `plan` as plan.toml must say exactly `expected`.
#[track_caller]
fn plan_fails(plan: &str, expected: &str) {
    fails_with(1, &[("plan.toml", plan)], &["decompose", "plan.toml"], expected);
}

/// As [`plan_fails`], with `roster` as reps.csv beside the plan.
#[track_caller]
fn roster_fails(plan: &str, roster: &str, expected: &str) {
    fails_with(1, &[("plan.toml", plan), ("reps.csv", roster)], &["decompose", "plan.toml"], expected);
}

/// `decompose plan.toml` plus `args` on a valid plan must say exactly `expected`.
#[track_caller]
fn request_fails(args: &[&str], expected: &str) {
    let mut all = vec!["decompose", "plan.toml"];
    all.extend_from_slice(args);
    fails_with(1, &[("plan.toml", TWO_REGIONS)], &all, expected);
}

/// The expected text: one line each, every line ending in a line break.
fn lines(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// A valid plan, for the errors in the request rather than the plan.
const TWO_REGIONS: &str = r#"[plan]
name = "2026 plan"
year = 2026

[target]
sales = 12_000_000

[[split]]
by = "region"
weights = { East = 1, West = 2 }
"#;

/// A plan whose salespeople come from reps.csv, each under a region.
const WITH_ROSTER: &str = r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = 1, West = 1 }

[[split]]
by = "salesperson"
roster = "reps.csv"
"#;

// ---------------------------------------------------------------- plan.toml

#[test]
fn toml_syntax_error_points_at_the_missing_brace() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = 1, West = 2
"#,
        &lines(&[
            "error: this is not valid TOML: unclosed inline table, expected `}`",
            "  --> plan.toml:9:31",
            "  |",
            "9 | weights = { East = 1, West = 2",
            "  |                               ^",
            "  = help: add the missing `}` where the caret points",
        ]),
    );
}

#[test]
fn unknown_key_suggests_the_nearest_and_says_it_once() {
    // One message: the typo, not also "split `region` has no members".
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
wieghts = { East = 1, West = 2 }
"#,
        &lines(&[
            "error: unknown key `wieghts` in [[split]]",
            "  --> plan.toml:9:1",
            "  |",
            "9 | wieghts = { East = 1, West = 2 }",
            "  | ^^^^^^^",
            "  = help: did you mean `weights`?",
        ]),
    );
}

#[test]
fn wrong_type_says_what_was_found() {
    plan_fails(
        r#"[plan]
year = "2026"

[target]
sales = 10_000_000
"#,
        &lines(&[
            "error: year must be a whole number, found a string",
            "  --> plan.toml:2:8",
            "  |",
            "2 | year = \"2026\"",
            "  |        ^^^^^^",
            "  = help: write it without quotes, e.g. `year = 2026`",
        ]),
    );
}

#[test]
fn negative_weight_names_the_member() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = -1, West = 2 }
"#,
        &lines(&[
            "error: split `region`: the weight of `East` is negative (-1)",
            "  --> plan.toml:9:20",
            "  |",
            "9 | weights = { East = -1, West = 2 }",
            "  |                    ^^",
            "  = help: write a weight of 0 or more (0 gives `East` no share)",
        ]),
    );
}

#[test]
fn percentages_that_miss_100_show_the_sum() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "product"
weights = { A = "30%", B = "40%", C = "25%" }
"#,
        &lines(&[
            "error: the weights of split `product` add up to 95%, not 100%",
            "  --> plan.toml:9:11",
            "  |",
            "9 | weights = { A = \"30%\", B = \"40%\", C = \"25%\" }",
            "  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = note: 30% + 40% + 25% = 95%",
            "  = help: make the percentages add up to exactly 100%, or write relative weights without %",
        ]),
    );
}

#[test]
fn percentages_and_relative_numbers_do_not_mix() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "product"
weights = { A = "30%", B = 40, C = "30%" }
"#,
        &lines(&[
            "error: the weights of split `product` mix percentages (30%) and relative numbers (40)",
            "  --> plan.toml:9:11",
            "  |",
            "9 | weights = { A = \"30%\", B = 40, C = \"30%\" }",
            "  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = help: write every weight as a percentage, or every weight as a plain number",
        ]),
    );
}

#[test]
fn all_weights_zero_leaves_nobody_to_share() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "product"
weights = { A = 0, B = 0 }
"#,
        &lines(&[
            "error: split `product`: every weight is zero, so there is nobody to share the amount",
            "  --> plan.toml:9:11",
            "  |",
            "9 | weights = { A = 0, B = 0 }",
            "  |           ^^^^^^^^^^^^^^^^",
            "  = help: give at least one member a positive weight",
        ]),
    );
}

#[test]
fn what_fixed_amounts_leave_needs_a_positive_weight() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
fixed = { East = 6_000_000 }
weights = { West = 0 }
"#,
        &lines(&[
            "error: split `region`: 4000000.00 is left after the fixed amounts, but no member has a positive weight to share it",
            "  --> plan.toml:9:9",
            "  |",
            "9 | fixed = { East = 6_000_000 }",
            "  |         ^^^^^^^^^^^^^^^^^^^^",
            "  = note: 10000000.00 (the target `sales`) - 6000000.00 = 4000000.00",
            "  = help: give a member a positive weight in `weights`, or make the fixed amounts add up to 10000000.00",
        ]),
    );
}

#[test]
fn fixed_amounts_above_their_parent_show_the_arithmetic() {
    // East's share is 10_000_000 × 1/4 = 2_500_000; its fixed products ask for 3_000_000.
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = 1, West = 3 }

[[split]]
by = "product"
weights = { A = 1 }
[split.within.East]
fixed = { A = 2_000_000, B = 1_000_000 }
"#,
        &lines(&[
            "error: split `product` under `East`: the fixed amounts add up to more than there is to share",
            "   --> plan.toml:15:9",
            "   |",
            "15 | fixed = { A = 2_000_000, B = 1_000_000 }",
            "   |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "   = note: 2000000.00 + 1000000.00 = 3000000.00, but `East`'s share is 2500000.00",
            "   = help: lower the fixed amounts to 2500000.00 or less in all, or give `East` a larger share",
        ]),
    );
}

#[test]
fn total_not_a_multiple_of_the_precision() {
    plan_fails(
        r#"[plan]
year = 2026
precision = "100"

[target]
sales = 10_000_050
"#,
        &lines(&[
            "error: target `sales` = 10000050 is not a multiple of the precision 100",
            "  --> plan.toml:6:9",
            "  |",
            "6 | sales = 10_000_050",
            "  |         ^^^^^^^^^^",
            "  = help: round the total to a multiple of 100, such as 10000000 or 10000100, or use a finer precision",
        ]),
    );
}

#[test]
fn precision_not_a_power_of_ten() {
    plan_fails(
        r#"[plan]
year = 2026
precision = "0.05"

[target]
sales = 10_000_000
"#,
        &lines(&[
            "error: precision 0.05 is not a power of ten",
            "  --> plan.toml:3:13",
            "  |",
            "3 | precision = \"0.05\"",
            "  |             ^^^^^^",
            "  = help: use a rounding unit such as \"0.01\", \"1\", \"100\" or \"1000\"",
        ]),
    );
}

#[test]
fn nan_is_not_a_weight() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = nan, West = 2 }
"#,
        &lines(&[
            "error: split `region`, weight of `East`: NaN is not a number salesplit can share",
            "  --> plan.toml:9:20",
            "  |",
            "9 | weights = { East = nan, West = 2 }",
            "  |                    ^^^",
            "  = help: write a finite number: a relative weight such as 1 or 1.2, or a percentage such as \"30%\"",
        ]),
    );
}

#[test]
fn infinity_is_not_a_target() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = inf
"#,
        &lines(&[
            "error: target `sales`: infinity is not a number salesplit can share",
            "  --> plan.toml:5:9",
            "  |",
            "5 | sales = inf",
            "  |         ^^^",
            "  = help: write a finite number: an amount such as 10_000_000 or \"1250000.50\"",
        ]),
    );
}

#[test]
fn more_than_28_significant_digits_is_not_exact() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = "0.12345678901234567890123456789", West = 1 }
"#,
        &lines(&[
            "error: split `region`, weight of `East`: `0.12345678901234567890123456789` has 29 significant digits; salesplit computes exactly with at most 28",
            "  --> plan.toml:9:20",
            "  |",
            "9 | weights = { East = \"0.12345678901234567890123456789\", West = 1 }",
            "  |                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = help: write it with at most 28 significant digits",
        ]),
    );
}

#[test]
fn a_weight_too_small_to_keep_is_refused_not_rounded_to_zero() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = 1e-30, West = 1 }
"#,
        &lines(&[
            "error: split `region`, weight of `East`: `1e-30` has more than 28 decimal places; salesplit computes exactly with at most 28",
            "  --> plan.toml:9:20",
            "  |",
            "9 | weights = { East = 1e-30, West = 1 }",
            "  |                    ^^^^^",
            "  = help: write it with at most 28 decimal places",
        ]),
    );
}

#[test]
fn start_not_the_first_of_a_month() {
    plan_fails(
        r#"[plan]
year = 2026
start = "2026-04-15"

[target]
sales = 10_000_000
"#,
        &lines(&[
            "error: start 2026-04-15 is not the 1st of a month",
            "  --> plan.toml:3:9",
            "  |",
            "3 | start = \"2026-04-15\"",
            "  |         ^^^^^^^^^^^^",
            "  = help: a fiscal year starts on the 1st of a month, e.g. `start = \"2026-04-01\"`",
        ]),
    );
}

#[test]
fn months_need_12_numbers() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
months = [6, 5, 8, 8, 9, 8, 8, 8, 9, 10, 12]
"#,
        &lines(&[
            "error: `months` has 11 numbers; it needs exactly 12",
            "  --> plan.toml:8:10",
            "  |",
            "8 | months = [6, 5, 8, 8, 9, 8, 8, 8, 9, 10, 12]",
            "  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = help: write 12 weights, one per fiscal month, in fiscal order",
        ]),
    );
}

#[test]
fn quarters_need_4_numbers() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
quarters = [20, 25, 25, 30, 10]
"#,
        &lines(&[
            "error: `quarters` has 5 numbers; it needs exactly 4",
            "  --> plan.toml:8:12",
            "  |",
            "8 | quarters = [20, 25, 25, 30, 10]",
            "  |            ^^^^^^^^^^^^^^^^^^^^",
            "  = help: write 4 weights, one per quarter",
        ]),
    );
}

#[test]
fn within_must_name_a_member_of_the_previous_split() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { "华东" = 1, "华北" = 2 }

[[split]]
by = "product"
weights = { A = 1, B = 1 }
[split.within."华西"]
weights = { A = 2, B = 1 }
"#,
        &lines(&[
            "error: `within` names `华西`, which is not a member of split `region`",
            "   --> plan.toml:14:15",
            "   |",
            "14 | [split.within.\"华西\"]",
            "   |               ^^^^^^",
            "   = help: did you mean `华东`? The members of `region` are: 华东, 华北",
        ]),
    );
}

#[test]
fn a_month_with_a_share_needs_a_day_with_weight() {
    // Under spread = "even" every month weighs 1, but every day weighs 0.
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
weekdays = { mon = 0, tue = 0, wed = 0, thu = 0, fri = 0, sat = 0, sun = 0 }
"#,
        &lines(&[
            "error: every month (2026-01 to 2026-12) has a share of the target but no day with a positive weight",
            "  --> plan.toml:7:2",
            "  |",
            "7 | [time]",
            "  |  ^^^^",
            "  = note: every day weighs 0: a day weighs its `weekdays` coefficient (mon 0, tue 0, wed 0, thu 0, fri 0, sat 0, sun 0)",
            "  = help: give some weekday a positive weight in `weekdays` (check `spread` too), or give those months a weight of 0 in `months`",
        ]),
    );
}

#[test]
fn several_independent_errors_are_reported_together() {
    plan_fails(
        r#"[plan]
year = 2026
precision = "0.05"

[target]
sales = 10_000_000

[time]
spread = "evne"
months = [1, 2, 3]

[[split]]
by = "product"
weights = { A = "30%", B = "40%", C = "25%" }
"#,
        &lines(&[
            "error: precision 0.05 is not a power of ten",
            "  --> plan.toml:3:13",
            "  |",
            "3 | precision = \"0.05\"",
            "  |             ^^^^^^",
            "  = help: use a rounding unit such as \"0.01\", \"1\", \"100\" or \"1000\"",
            "",
            "error: spread `evne` is not one of even, days, workdays",
            "  --> plan.toml:9:10",
            "  |",
            "9 | spread = \"evne\"",
            "  |          ^^^^^^",
            "  = help: did you mean `even`?",
            "",
            "error: `months` has 3 numbers; it needs exactly 12",
            "   --> plan.toml:10:10",
            "   |",
            "10 | months = [1, 2, 3]",
            "   |          ^^^^^^^^^",
            "   = help: write 12 weights, one per fiscal month, in fiscal order",
            "",
            "error: the weights of split `product` add up to 95%, not 100%",
            "   --> plan.toml:14:11",
            "   |",
            "14 | weights = { A = \"30%\", B = \"40%\", C = \"25%\" }",
            "   |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "   = note: 30% + 40% + 25% = 95%",
            "   = help: make the percentages add up to exactly 100%, or write relative weights without %",
            "",
            "4 problems found; nothing was computed",
        ]),
    );
}

#[test]
fn an_error_in_one_split_does_not_hide_the_next_splits_errors() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 1_000

[[split]]
by = "region"
weights = { East = -1, West = 2 }

[[split]]
by = "product"
weights = { A = "60%", B = "60%" }
"#,
        &lines(&[
            "error: split `region`: the weight of `East` is negative (-1)",
            "  --> plan.toml:9:20",
            "  |",
            "9 | weights = { East = -1, West = 2 }",
            "  |                    ^^",
            "  = help: write a weight of 0 or more (0 gives `East` no share)",
            "",
            "error: the weights of split `product` add up to 120%, not 100%",
            "   --> plan.toml:13:11",
            "   |",
            "13 | weights = { A = \"60%\", B = \"60%\" }",
            "   |           ^^^^^^^^^^^^^^^^^^^^^^^^",
            "   = note: 60% + 60% = 120%",
            "   = help: make the percentages add up to exactly 100%, or write relative weights without %",
            "",
            "2 problems found; nothing was computed",
        ]),
    );
}

// ----------------------------------------------------------------- reps.csv

#[test]
fn roster_missing_its_parent_column() {
    roster_fails(
        WITH_ROSTER,
        "name,weight\n张伟,1\n",
        &lines(&[
            "error: the roster has no `region` column",
            "  --> reps.csv line 1",
            "  |",
            "1 | name,weight",
            "  | ^^^^^^^^^^^",
            "  = note: each row names the member of split `region` that the person belongs to",
            "  = help: add a `region` column; the roster's header is name,region,weight",
        ]),
    );
}

#[test]
fn roster_row_under_an_unknown_parent() {
    roster_fails(
        WITH_ROSTER,
        "name,region,weight\nAnn,East,1\nBob,Eats,1\nCid,West,1\n",
        &lines(&[
            "error: `Bob`'s region `Eats` is not a member of split `region`",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,Eats,1",
            "  |     ^^^^",
            "  = help: did you mean `East`? The members of `region` are: East, West",
        ]),
    );
}

#[test]
fn roster_duplicate_name_under_one_parent() {
    roster_fails(
        WITH_ROSTER,
        "name,region,weight\nAnn,East,1\nBob,West,1\nAnn,East,2\n",
        &lines(&[
            "error: `Ann` appears twice under region `East`",
            "  --> reps.csv line 4",
            "  |",
            "4 | Ann,East,2",
            "  | ^^^",
            "  = note: it is also on line 2",
            "  = help: give each person one row, or tell namesakes apart (`张伟 (2)`)",
        ]),
    );
}

#[test]
fn roster_saved_with_crlf_line_ends_names_the_right_line() {
    // Excel writes CRLF; the message must still point at line 3, not line 2.
    roster_fails(
        WITH_ROSTER,
        "name,region,weight\r\nAnn,East,1\r\nBob,West,abc\r\n",
        &lines(&[
            "error: the weight of `Bob` is not usable: `abc` is not a number",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,West,abc",
            "  |          ^^^",
            "  = help: write a relative weight such as 1 or 1.2, or a percentage such as 30%",
        ]),
    );
}

#[test]
fn roster_empty_weight() {
    roster_fails(
        WITH_ROSTER,
        "name,region,weight\nAnn,East,1\nBob,West,\n",
        &lines(&[
            "error: `Bob` has an empty weight",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,West,",
            "  |          ^",
            "  = help: write a weight for `Bob`, such as 1 or 1.2, or 0 to give `Bob` no target",
        ]),
    );
}

#[test]
fn roster_bad_weight() {
    roster_fails(
        WITH_ROSTER,
        "name,region,weight\nAnn,East,1\nBob,West,abc\n",
        &lines(&[
            "error: the weight of `Bob` is not usable: `abc` is not a number",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,West,abc",
            "  |          ^^^",
            "  = help: write a relative weight such as 1 or 1.2, or a percentage such as 30%",
        ]),
    );
}

#[test]
fn a_parent_with_a_target_and_nobody_in_the_roster() {
    roster_fails(
        WITH_ROSTER,
        "name,region,weight\nAnn,East,1\n",
        &lines(&[
            "error: region `West` has a share of the target but no salesperson in reps.csv",
            "   --> plan.toml:12:6",
            "   |",
            "12 | by = \"salesperson\"",
            "   |      ^^^^^^^^^^^^^",
            "   = note: with nobody to share it, `West`'s share of the target would be lost",
            "   = help: add a row with region `West` to reps.csv, or give `West` a weight of 0 in split `region`",
        ]),
    );
}

// ------------------------------------------------------------ missing files

#[test]
fn missing_plan_file() {
    fails_with(
        1,
        &[],
        &["decompose", "plan.toml"],
        &lines(&[
            "error: cannot read plan.toml: no such file or directory",
            "  = help: check the file name; a relative path is read from the folder salesplit runs in",
        ]),
    );
}

#[test]
fn missing_roster_file() {
    plan_fails(
        WITH_ROSTER,
        &lines(&[
            "error: cannot read roster reps.csv: no such file",
            "   --> plan.toml:13:10",
            "   |",
            "13 | roster = \"reps.csv\"",
            "   |          ^^^^^^^^^^",
            "   = help: check the path; it is read relative to the plan file's folder",
        ]),
    );
}

// ------------------------------------------------------ --by and --period

#[test]
fn unknown_by_name() {
    request_fails(
        &["--by", "regoin,month"],
        &lines(&[
            "error: --by names `regoin`, which is not a split of this plan or a time level",
            " = help: did you mean `region`? This plan's names are: region, year, quarter, month, week, day, iso-week",
        ]),
    );
}

#[test]
fn malformed_period() {
    request_fails(
        &["--period", "2026-13"],
        &lines(&[
            "error: --period `2026-13` is not a period",
            " = help: write a period such as 2026, 2026-Q1, 2026-01, 2026-01-W1 or 2026-01-01, or one of today, tomorrow, this-week, next-week, this-month, next-month, this-quarter, next-quarter",
        ]),
    );
}

#[test]
fn period_outside_the_plan() {
    request_fails(
        &["--period", "2025-03"],
        &lines(&[
            "error: --period 2025-03 is not in this plan, which covers 2026-01-01 to 2026-12-31",
            " = help: ask for a period of the plan year, such as 2026, 2026-Q1, 2026-01, 2026-01-W1 or 2026-01-01",
        ]),
    );
}

#[test]
fn period_finer_than_the_breakdown() {
    request_fails(
        &["--by", "region,quarter", "--period", "2026-03"],
        &lines(&[
            "error: --period 2026-03 is a month, finer than the breakdown's quarter level",
            " = help: ask for months with --by region,month, or for a period of a quarter or coarser",
        ]),
    );
}

#[test]
fn a_table_too_large_for_a_terminal_suggests_csv() {
    // Two regions by day: 2 x 365 = 730 cells is fine; a third of the
    // limit's cells per region times 365 days is not.
    let many: Vec<String> = (1..=60).map(|i| format!("R{i} = 1")).collect();
    let plan = format!(
        "[plan]\nyear = 2026\n[target]\nsales = 1_000_000\n[[split]]\nby = \"region\"\nweights = {{ {} }}\n",
        many.join(", ")
    );
    fails_with(
        1,
        &[("plan.toml", &plan)],
        &["decompose", "plan.toml", "--by", "region,day"],
        &lines(&[
            "error: the table would have 21,900 cells, too many to read in a terminal",
            " = help: write them with --format csv --output FILE, or narrow --by (e.g. --by region,month) or --period",
        ]),
    );
}

// ------------------------------------------------------------ usage errors

#[test]
fn unknown_flag_is_a_usage_error() {
    fails_with(
        2,
        &[("plan.toml", TWO_REGIONS)],
        &["decompose", "plan.toml", "--frobnicate"],
        &lines(&[
            "error: unexpected argument '--frobnicate' found",
            "",
            "  tip: a similar argument exists: '--format'",
            "",
            "Usage: salesplit decompose --format <FORMAT> <PLAN>",
            "",
            "For more information, try '--help'.",
        ]),
    );
}

#[test]
fn missing_plan_argument_is_a_usage_error() {
    fails_with(
        2,
        &[],
        &["decompose"],
        &lines(&[
            "error: the following required arguments were not provided:",
            "  <PLAN>",
            "",
            "Usage: salesplit decompose <PLAN>",
            "",
            "For more information, try '--help'.",
        ]),
    );
}
