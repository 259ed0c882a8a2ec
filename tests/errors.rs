//! The error catalogue: every kind of bad input the brief's "Says no clearly"
//! covers, one test each, through the real binary. Each test pins the whole
//! of stderr — what a sales manager reads: where (`plan.toml:12:9` with the
//! line and a caret, or `reps.csv line 7`), what is wrong, the arithmetic
//! when sums are off, and what would fix it — and checks that the run exits
//! with code 1 (2 for usage errors) and prints nothing on stdout.

use crate::common::{lines, plan_fails, roster_fails, Test};

/// `decompose plan.toml` plus `args` on a valid plan must say exactly `expected`.
#[track_caller]
fn request_fails(args: &[&str], expected: &str) {
    let mut all = vec!["decompose", "plan.toml"];
    all.extend_from_slice(args);
    Test::new().files(&[("plan.toml", TWO_REGIONS)]).args(&all).stderr(expected).status(1).run();
}

/// As [`plan_fails`], with `csv` as our-days.csv (a company's holiday calendar) beside the plan.
#[track_caller]
fn holidays_fail(plan: &str, csv: &str, expected: &str) {
    Test::new()
        .files(&[("plan.toml", plan), ("our-days.csv", csv)])
        .args(&["decompose", "plan.toml"])
        .stderr(expected)
        .status(1)
        .run();
}

/// Asserts that `decompose plan.toml` plus `args` over `plan` succeeds, prints
/// its figures on stdout and exactly `expected` (the warnings) on stderr.
#[track_caller]
fn warns(plan: &str, args: &[&str], expected: &str) {
    let mut all = vec!["decompose", "plan.toml"];
    all.extend_from_slice(args);
    let out = Test::new().file("plan.toml", plan).args(&all).output();
    assert_eq!(out.stderr, expected, "stderr of salesplit {all:?}");
    assert!(!out.stdout.is_empty(), "stdout of salesplit {all:?} is empty");
    assert_eq!(out.status, Some(0), "exit code of salesplit {all:?}");
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
            "error[E0101]: this is not valid TOML: unclosed inline table, expected `}`",
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
            "error[E0102]: unknown key `wieghts` in [[split]]",
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
            "error[E0103]: year must be a whole number, found a string",
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
            "error[E0204]: split `region`: the weight of `East` is negative (-1)",
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
            "error[E0301]: the weights of split `product` add up to 95%, not 100%",
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
            "error[E0301]: the weights of split `product` mix percentages (30%) and relative numbers (40)",
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
            "error[E0304]: split `product`: every weight is zero, so there is nobody to share the amount",
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
            "error[E0304]: split `region`: 4000000.00 is left after the fixed amounts, but no member has a positive weight to share it",
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
            "error[E0305]: split `product` under `East`: the fixed amounts add up to more than there is to share",
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
            "error[E0208]: target `sales` = 10000050 is not a multiple of the precision 100",
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
            "error[E0209]: precision 0.05 is not a power of ten",
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
            "error[E0201]: split `region`, weight of `East`: NaN is not a number salesplit can share",
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
        r"[plan]
year = 2026

[target]
sales = inf
",
        &lines(&[
            "error[E0201]: target `sales`: infinity is not a number salesplit can share",
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
            "error[E0202]: split `region`, weight of `East`: `0.12345678901234567890123456789` has 29 significant digits; salesplit computes exactly with at most 28",
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
            "error[E0202]: split `region`, weight of `East`: `1e-30` has more than 28 decimal places; salesplit computes exactly with at most 28",
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
            "error[E0402]: start 2026-04-15 is not the 1st of a month",
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
        r"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
months = [6, 5, 8, 8, 9, 8, 8, 8, 9, 10, 12]
",
        &lines(&[
            "error[E0211]: `months` has 11 numbers; it needs exactly 12",
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
        r"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
quarters = [20, 25, 25, 30, 10]
",
        &lines(&[
            "error[E0211]: `quarters` has 5 numbers; it needs exactly 4",
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
            "error[E0302]: `within` names `华西`, which is not a member of split `region`",
            "   --> plan.toml:14:15",
            "   |",
            "14 | [split.within.\"华西\"]",
            "   |               ^^^^^^",
            "   = help: write one of the members of `region`: 华东, 华北",
        ]),
    );
}

#[test]
fn a_month_with_a_share_needs_a_day_with_weight() {
    // Under spread = "even" every month weighs 1, but every day weighs 0.
    plan_fails(
        r"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
weekdays = { mon = 0, tue = 0, wed = 0, thu = 0, fri = 0, sat = 0, sun = 0 }
",
        &lines(&[
            "error[E0404]: every month (2026-01 to 2026-12) has a share of the target but no day with a positive weight",
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
            "error[E0209]: precision 0.05 is not a power of ten",
            "  --> plan.toml:3:13",
            "  |",
            "3 | precision = \"0.05\"",
            "  |             ^^^^^^",
            "  = help: use a rounding unit such as \"0.01\", \"1\", \"100\" or \"1000\"",
            "",
            "error[E0105]: spread `evne` is not one of even, days, workdays",
            "  --> plan.toml:9:10",
            "  |",
            "9 | spread = \"evne\"",
            "  |          ^^^^^^",
            "  = help: did you mean `even`?",
            "",
            "error[E0211]: `months` has 3 numbers; it needs exactly 12",
            "   --> plan.toml:10:10",
            "   |",
            "10 | months = [1, 2, 3]",
            "   |          ^^^^^^^^^",
            "   = help: write 12 weights, one per fiscal month, in fiscal order",
            "",
            "error[E0301]: the weights of split `product` add up to 95%, not 100%",
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
            "error[E0204]: split `region`: the weight of `East` is negative (-1)",
            "  --> plan.toml:9:20",
            "  |",
            "9 | weights = { East = -1, West = 2 }",
            "  |                    ^^",
            "  = help: write a weight of 0 or more (0 gives `East` no share)",
            "",
            "error[E0301]: the weights of split `product` add up to 120%, not 100%",
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
            "error[E0603]: the roster has no `region` column",
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
            "error[E0302]: `Bob`'s region `Eats` is not a member of split `region`",
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
            "error[E0501]: `Ann` appears twice under region `East`",
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
            "error[E0201]: the weight of `Bob` is not usable: `abc` is not a number",
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
            "error[E0607]: `Bob` has an empty weight",
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
            "error[E0201]: the weight of `Bob` is not usable: `abc` is not a number",
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
            "error[E0303]: region `West` has a share of the target but no salesperson in reps.csv",
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
    Test::new()
        .files(&[])
        .args(&["decompose", "plan.toml"])
        .stderr(&lines(&[
            "error[E0901]: cannot read plan.toml: no such file or directory",
            "  = help: check the file name; a relative path is read from the folder salesplit runs in",
        ]))
        .status(1)
        .run();
}

#[test]
fn missing_roster_file() {
    plan_fails(
        WITH_ROSTER,
        &lines(&[
            "error[E0901]: cannot read roster reps.csv: no such file",
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
            "error[E0801]: --by names `regoin`, which is not a split of this plan or a time level",
            " = help: did you mean `region`? This plan's names are: region, year, quarter, month, week, day, iso-week",
        ]),
    );
}

#[test]
fn malformed_period() {
    request_fails(
        &["--period", "2026-13"],
        &lines(&[
            "error[E0803]: --period `2026-13` is not a period",
            " = help: write a period such as 2026, 2026-Q1, 2026-01, 2026-01-W1 or 2026-01-01, or one of today, tomorrow, this-week, next-week, this-month, next-month, this-quarter, next-quarter",
        ]),
    );
}

#[test]
fn period_outside_the_plan() {
    request_fails(
        &["--period", "2025-03"],
        &lines(&[
            "error[E0805]: --period 2025-03 is not in this plan, which covers 2026-01-01 to 2026-12-31",
            " = help: ask for a period of the plan year, such as 2026, 2026-Q1, 2026-01, 2026-01-W1 or 2026-01-01",
        ]),
    );
}

#[test]
fn period_finer_than_the_breakdown() {
    request_fails(
        &["--by", "region,quarter", "--period", "2026-03"],
        &lines(&[
            "error[E0804]: --period 2026-03 is a month, finer than the breakdown's quarter level",
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
    Test::new()
        .files(&[("plan.toml", &plan)])
        .args(&["decompose", "plan.toml", "--by", "region,day"])
        .stderr(&lines(&[
            "error[E0812]: the table would have 21,900 cells, too many to read in a terminal",
            " = help: write them with --format csv --output FILE, or narrow --by (e.g. --by region,month) or --period",
        ]))
        .status(1)
        .run();
}

// ------------------------------------------------------------ usage errors

#[test]
fn unknown_flag_is_a_usage_error() {
    Test::new()
        .files(&[("plan.toml", TWO_REGIONS)])
        .args(&["decompose", "plan.toml", "--frobnicate"])
        .stderr(&lines(&[
            "error: unexpected argument '--frobnicate' found",
            "",
            "  tip: a similar argument exists: '--format'",
            "",
            "Usage: salesplit decompose --format <FORMAT> <PLAN>",
            "",
            "For more information, try '--help'.",
        ]))
        .status(2)
        .run();
}

#[test]
fn missing_plan_argument_is_a_usage_error() {
    Test::new()
        .files(&[])
        .args(&["decompose"])
        .stderr(&lines(&[
            "error: the following required arguments were not provided:",
            "  <PLAN>",
            "",
            "Usage: salesplit decompose <PLAN>",
            "",
            "For more information, try '--help'.",
        ]))
        .status(2)
        .run();
}

// ------------------------------------------------- [time]: days and holidays

#[test]
fn special_day_that_is_not_a_date() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time.days]
"2026-11-31" = 5
"#,
        &lines(&[
            "error[E0401]: `2026-11-31` in [time.days] is not a date",
            "  --> plan.toml:8:1",
            "  |",
            "8 | \"2026-11-31\" = 5",
            "  | ^^^^^^^^^^^^",
            "  = note: 2026-11 has 30 days",
            "  = help: write the date as YYYY-MM-DD in quotes, e.g. `\"2026-11-11\" = 5`",
        ]),
    );
}

#[test]
fn special_day_outside_the_plan_year() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time.days]
"2026-11-11" = 5
"2027-11-11" = 5
"#,
        &lines(&[
            "error[E0403]: special day 2027-11-11 is not in the plan year (2026-01-01 to 2026-12-31)",
            "  --> plan.toml:9:1",
            "  |",
            "9 | \"2027-11-11\" = 5",
            "  | ^^^^^^^^^^^^",
            "  = help: correct the date, or move it to the plan that covers 2027-11-11; this plan can only weigh its own days",
        ]),
    );
}

#[test]
fn unknown_holiday_calendar_suggests_a_shipped_one() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
spread = "workdays"
holidays = ["cn-2062"]
"#,
        &lines(&[
            "error[E0409]: unknown holiday calendar `cn-2062`",
            "  --> plan.toml:9:13",
            "  |",
            "9 | holidays = [\"cn-2062\"]",
            "  |             ^^^^^^^^^",
            "  = help: did you mean `cn-2026`? Shipped calendars: cn-2024, cn-2025, cn-2026; or name a CSV file (date,name,is_off_day)",
        ]),
    );
}

/// A plan that reads the shipped cn-2026 calendar and the company's own days.
const WITH_OUR_DAYS: &str = r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
spread = "workdays"
holidays = ["cn-2026", "our-days.csv"]
"#;

#[test]
fn missing_holiday_file() {
    plan_fails(
        WITH_OUR_DAYS,
        &lines(&[
            "error[E0901]: cannot read holiday calendar our-days.csv: no such file",
            "  --> plan.toml:9:24",
            "  |",
            "9 | holidays = [\"cn-2026\", \"our-days.csv\"]",
            "  |                        ^^^^^^^^^^^^^^",
            "  = help: check the path; it is read relative to the plan file's folder",
        ]),
    );
}

#[test]
fn holiday_file_with_a_bad_date() {
    holidays_fail(
        WITH_OUR_DAYS,
        "date,name,is_off_day\n2026-06-18,Anniversary,true\n2026-02-29,Leap day,true\n",
        &lines(&[
            "error[E0401]: `2026-02-29` in column date is not a date",
            "  --> our-days.csv line 3",
            "  |",
            "3 | 2026-02-29,Leap day,true",
            "  | ^^^^^^^^^^",
            "  = note: 2026-02 has 28 days",
            "  = help: write dates as YYYY-MM-DD, e.g. 2026-10-01",
        ]),
    );
}

#[test]
fn holiday_file_with_a_bad_is_off_day_saved_by_excel() {
    // CRLF line ends, and a value (`2`) that also appears earlier in the line:
    // the caret must still be on line 3, under the last field.
    holidays_fail(
        WITH_OUR_DAYS,
        "date,name,is_off_day\r\n2026-06-18,Anniversary,true\r\n2026-06-20,Make-up day,2\r\n",
        &lines(&[
            "error[E0105]: is_off_day `2` for 2026-06-20 is not true or false",
            "  --> our-days.csv line 3",
            "  |",
            "3 | 2026-06-20,Make-up day,2",
            "  |                        ^",
            "  = help: write true for a day off, or false for a make-up working day (a weekend day that is worked)",
        ]),
    );
}

#[test]
fn empty_workweek() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
spread = "workdays"
workweek = []
"#,
        &lines(&[
            "error[E0404]: workweek is empty, so no day would ever be worked",
            "  --> plan.toml:9:12",
            "  |",
            "9 | workweek = []",
            "  |            ^^",
            "  = help: write the worked days, e.g. `workweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]`",
        ]),
    );
}

#[test]
fn workweek_entry_that_is_not_a_weekday() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
spread = "workdays"
workweek = ["mon", "tue", "wed", "thu", "fri", "sa"]
"#,
        &lines(&[
            "error[E0105]: workweek names `sa`, which is not a day of the week",
            "  --> plan.toml:9:48",
            "  |",
            "9 | workweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sa\"]",
            "  |                                                ^^^^",
            "  = help: did you mean `sat`? Write days as mon, tue, wed, thu, fri, sat, sun",
        ]),
    );
}

// ------------------------------------------------------ [time.fixed]: holds

#[test]
fn hold_on_a_period_that_is_not_in_the_plan() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 12_000_000

[time.fixed]
"2025-02" = 500_000
"#,
        &lines(&[
            "error[E0406]: [time.fixed] names 2025-02, which is not a period of this plan",
            "  --> plan.toml:8:1",
            "  |",
            "8 | \"2025-02\" = 500_000",
            "  | ^^^^^^^^^^^^^^^^^^^",
            "  = note: this plan covers 2026-01-01 to 2026-12-31: the year 2026, quarters 2026-Q1 to 2026-Q4, months 2026-01 to 2026-12, weeks such as 2026-01-W1 and days 2026-01-01 to 2026-12-31",
            "  = help: did you mean `2026-02`?",
        ]),
    );
}

#[test]
fn hold_on_a_calendar_quarter_of_a_fiscal_plan_is_not_guessed() {
    // 2026-Q4 (October to December) is FY2026-Q3 here: suggesting FY2026-Q4 would mislead.
    plan_fails(
        r#"[plan]
year = 2026
start = "2026-04-01"

[target]
sales = 12_000_000

[time.fixed]
"2026-Q4" = 3_500_000
"#,
        &lines(&[
            "error[E0406]: [time.fixed] names 2026-Q4, which is not a period of this plan",
            "  --> plan.toml:9:1",
            "  |",
            "9 | \"2026-Q4\" = 3_500_000",
            "  | ^^^^^^^^^^^^^^^^^^^^^",
            "  = note: this plan covers 2026-04-01 to 2027-03-31: the year FY2026, quarters FY2026-Q1 to FY2026-Q4, months 2026-04 to 2027-03, weeks such as 2026-04-W1 and days 2026-04-01 to 2027-03-31",
            "  = help: this is a fiscal plan, so its year is FY2026 and its quarters FY2026-Q1 to FY2026-Q4; hold the period you mean by its label here",
        ]),
    );
}

#[test]
fn hold_on_the_whole_year() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 12_000_000

[time.fixed]
"2026" = 12_000_000
"#,
        &lines(&[
            "error[E0407]: [time.fixed] holds the whole year 2026",
            "  --> plan.toml:8:1",
            "  |",
            "8 | \"2026\" = 12_000_000",
            "  | ^^^^^^^^^^^^^^^^^^^",
            "  = help: the year's figure is the target `sales`; hold a quarter, month, week or day instead",
        ]),
    );
}

#[test]
fn holds_larger_than_their_parent_show_the_arithmetic() {
    // Under spread = "even" 2026-Q1 is 12_000_000 × 3/12 = 3_000_000.
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 12_000_000

[time.fixed]
"2026-01" = 2_000_000
"2026-02" = 1_500_000
"#,
        &lines(&[
            "error[E0405]: the holds inside 2026-Q1 add up to 3,500,000.00, more than 2026-Q1 itself",
            "  --> plan.toml:8:1",
            "  |",
            "8 | \"2026-01\" = 2_000_000",
            "  | ^^^^^^^^^^^^^^^^^^^^^",
            "  = note: 2,000,000.00 (2026-01) + 1,500,000.00 (2026-02) = 3,500,000.00, but 2026-Q1's share of the target `sales` is 3,000,000.00",
            "  = help: lower the holds inside 2026-Q1 to 3,000,000.00 or less in all, or give 2026-Q1 a larger share (or hold it too, at 3,500,000.00 or more)",
        ]),
    );
}

#[test]
fn holds_that_leave_money_to_days_that_weigh_nothing() {
    // Every month weighs 1, so 2026-02 is 1_000_000; February has 20 workdays
    // and 2026-02-W2 (Mon 2 to Sun 8) 5 of them: 250_000. Its five workdays
    // are held at 200_000 in all, and the 50_000 left has only the weekend,
    // which weighs 0 under spread = "workdays".
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 12_000_000

[time]
spread = "workdays"
months = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

[time.fixed]
"2026-02-02" = 40_000
"2026-02-03" = 40_000
"2026-02-04" = 40_000
"2026-02-05" = 40_000
"2026-02-06" = 40_000
"#,
        &lines(&[
            "error[E0405]: the holds inside 2026-02-W2 leave 50,000.00 for periods that all weigh 0",
            "   --> plan.toml:12:1",
            "   |",
            "12 | \"2026-02-02\" = 40_000",
            "   | ^^^^^^^^^^^^^^^^^^^^^",
            "   = note: 2026-02-W2's share of the target `sales` is 250,000.00; the holds take 40,000.00 (2026-02-02) + 40,000.00 (2026-02-03) + 40,000.00 (2026-02-04) + 40,000.00 (2026-02-05) + 40,000.00 (2026-02-06) = 200,000.00, leaving 50,000.00",
            "   = note: 2026-02-07 and 2026-02-08 weigh 0: under spread = \"workdays\" a day outside the workweek (mon, tue, wed, thu, fri) weighs 0",
            "   = help: make the holds inside 2026-02-W2 add up to exactly 250,000.00, or give 2026-02-07 or 2026-02-08 a weight in [time.days]",
        ]),
    );
}

#[test]
fn holds_of_every_week_but_one_that_weighs_nothing() {
    // 2026-02 is 1_000_000; its first week is Sunday 1 February alone, and Sundays weigh 0.
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 12_000_000

[time]
weekdays = { sat = 0, sun = 0 }

[time.fixed]
"2026-02-W2" = 200_000
"2026-02-W3" = 200_000
"2026-02-W4" = 200_000
"2026-02-W5" = 200_000
"#,
        &lines(&[
            "error[E0405]: the holds inside 2026-02 leave 200,000.00 for periods that all weigh 0",
            "   --> plan.toml:11:1",
            "   |",
            "11 | \"2026-02-W2\" = 200_000",
            "   | ^^^^^^^^^^^^^^^^^^^^^^",
            "   = note: 2026-02's share of the target `sales` is 1,000,000.00; the holds take 200,000.00 (2026-02-W2) + 200,000.00 (2026-02-W3) + 200,000.00 (2026-02-W4) + 200,000.00 (2026-02-W5) = 800,000.00, leaving 200,000.00",
            "   = note: 2026-02-W1 weighs 0: all of its days weigh 0",
            "   = help: make the holds inside 2026-02 add up to exactly 1,000,000.00, or give a day of 2026-02-W1 a weight in `weekdays` or [time.days]",
        ]),
    );
}

#[test]
fn hold_not_a_multiple_of_the_precision() {
    plan_fails(
        r#"[plan]
year = 2026
precision = "100"

[target]
sales = 12_000_000

[time.fixed]
"2026-02" = 500_050
"#,
        &lines(&[
            "error[E0208]: the hold of 2026-02 = 500050 is not a multiple of the precision 100",
            "  --> plan.toml:9:13",
            "  |",
            "9 | \"2026-02\" = 500_050",
            "  |             ^^^^^^^",
            "  = help: round it to a multiple of 100, such as 500000 or 500100",
        ]),
    );
}

// ------------------------------------------------- [[time.slots]]: shop hours

#[test]
fn slot_shares_that_miss_100_percent_show_the_sum() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[time.slots]]
name = "open-10:00"
share = "10%"

[[time.slots]]
name = "10:00-14:00"
share = "30%"

[[time.slots]]
name = "14:00-close"
share = "50%"
"#,
        &lines(&[
            "error[E0301]: the shares of the slots add up to 90%, not 100%",
            "  --> plan.toml:7:1",
            "  |",
            "7 | [[time.slots]]",
            "  | ^^^^^^^^^^^^^^",
            "  = note: 10% + 30% + 50% = 90%",
            "  = help: make the slots' percentages add up to exactly 100% of the day (these are 10% short)",
        ]),
    );
}

#[test]
fn slot_shares_written_as_plain_numbers() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[time.slots]]
name = "open-10:00"
share = 1

[[time.slots]]
name = "10:00-14:00"
share = 3

[[time.slots]]
name = "14:00-close"
share = 6
"#,
        &lines(&[
            "error[E0205]: the shares of the slots are plain numbers (1, 3, 6), not percentages of the day",
            "  --> plan.toml:9:9",
            "  |",
            "9 | share = 1",
            "  |         ^",
            "  = note: as shares of the day, 1 : 3 : 6 are 10%, 30%, 60%",
            "  = help: give each slot a percentage of its day, e.g. `share = \"30%\"`, adding up to exactly 100%",
        ]),
    );
}

#[test]
fn slot_level_without_slots() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
level = "slot"
"#,
        &lines(&[
            "error[E0109]: level `slot` needs shop-hour slots, and this plan has no [[time.slots]]",
            "  --> plan.toml:8:9",
            "  |",
            "8 | level = \"slot\"",
            "  |         ^^^^^^",
            "  = help: add a [[time.slots]] table per part of the day (`name = \"10:00-14:00\"`, `share = \"30%\"`), or set level to day or coarser",
        ]),
    );
}

#[test]
fn by_slot_on_a_plan_without_slots() {
    request_fails(
        &["--by", "region,slot"],
        &lines(&[
            "error[E0801]: --by names `slot`, which is not a time level of this plan: it has no [[time.slots]]",
            " = help: add [[time.slots]] to the plan to split each day into shop hours, or ask for days with --by region,day",
        ]),
    );
}

// ------------------------------------------------ retail and fiscal years

#[test]
fn unknown_retail_pattern_shows_the_weeks() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
calendar = "4-4-6"
"#,
        &lines(&[
            "error[E0105]: calendar `4-4-6` is not one of gregorian, 4-4-5, 4-5-4, 5-4-4",
            "  --> plan.toml:8:12",
            "  |",
            "8 | calendar = \"4-4-6\"",
            "  |            ^^^^^^^",
            "  = note: 4 + 4 + 6 = 14 weeks, but a retail quarter has 13: periods of 4, 4 and 5 weeks in some order",
            "  = help: did you mean `4-4-5`?",
        ]),
    );
}

#[test]
fn retail_year_end_without_a_retail_calendar() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
retail_year_end = "last-sat-jan"
"#,
        &lines(&[
            "error[E0109]: retail_year_end only applies to a retail calendar",
            "  --> plan.toml:8:1",
            "  |",
            "8 | retail_year_end = \"last-sat-jan\"",
            "  | ^^^^^^^^^^^^^^^",
            "  = help: add `calendar = \"4-4-5\"` (or 4-5-4, 5-4-4), or remove retail_year_end",
        ]),
    );
}

#[test]
fn start_given_with_a_retail_calendar() {
    plan_fails(
        r#"[plan]
year = 2026
start = "2026-02-01"

[target]
sales = 10_000_000

[time]
calendar = "4-4-5"
"#,
        &lines(&[
            "error[E0108]: a retail calendar sets its own start, so `start` cannot be given",
            "  --> plan.toml:3:9",
            "  |",
            "3 | start = \"2026-02-01\"",
            "  |         ^^^^^^^^^^^^",
            "  = note: with this retail calendar, FY2026 runs from 2026-02-01 to 2027-01-30, ending on the Saturday nearest 31 January",
            "  = help: remove `start`; to move the year, choose `retail_year_end` (nearest-sat-jan31 or last-sat-jan)",
        ]),
    );
}

#[test]
fn week_start_given_with_a_retail_calendar() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
calendar = "4-5-4"
week_start = "mon"
"#,
        &lines(&[
            "error[E0108]: a retail calendar's weeks start the day after its year end, so `week_start` cannot be given",
            "  --> plan.toml:9:14",
            "  |",
            "9 | week_start = \"mon\"",
            "  |              ^^^^^",
            "  = note: FY2026 runs from 2026-02-01 to 2027-01-30, ending on the Saturday nearest 31 January, so its weeks run Sunday to Saturday",
            "  = help: remove `week_start`",
        ]),
    );
}

#[test]
fn fy_label_that_is_neither_start_nor_end() {
    plan_fails(
        r#"[plan]
year = 2026
fy_label = "middle"

[target]
sales = 10_000_000
"#,
        &lines(&[
            "error[E0105]: fy_label `middle` is not start or end",
            "  --> plan.toml:3:12",
            "  |",
            "3 | fy_label = \"middle\"",
            "  |            ^^^^^^^^",
            "  = help: write \"start\" (FY2026 starts in 2026) or \"end\" (FY2026 ends in 2026)",
        ]),
    );
}

#[test]
fn fy_label_end_with_a_year_that_ends_after_year() {
    plan_fails(
        r#"[plan]
year = 2026
start = "2026-04-01"
fy_label = "end"

[target]
sales = 10_000_000
"#,
        &lines(&[
            "error[E0402]: with fy_label = \"end\", FY2026 must end in 2026, but a year from 2026-04-01 ends on 2027-03-31",
            "  --> plan.toml:3:9",
            "  |",
            "3 | start = \"2026-04-01\"",
            "  |         ^^^^^^^^^^^^",
            "  = help: start FY2026 in 2025, e.g. `start = \"2025-04-01\"`, or change `year`",
        ]),
    );
}

// ------------------------------------------------- --period with --today

#[test]
fn period_today_outside_the_plan() {
    request_fails(
        &["--period", "today", "--today", "2027-01-05"],
        &lines(&[
            "error[E0805]: --period today is 2027-01-05, outside this plan, which covers 2026-01-01 to 2026-12-31",
            " = help: run the plan that covers 2027-01-05, or pass a date inside this one with --today (e.g. --today 2026-01-01)",
        ]),
    );
}

#[test]
fn next_quarter_in_the_last_quarter() {
    request_fails(
        &["--by", "region,quarter", "--period", "next-quarter", "--today", "2026-11-20"],
        &lines(&[
            "error[E0805]: --period next-quarter: today, 2026-11-20, is in 2026-Q4, the last quarter of this plan, so there is no next quarter",
            " = note: this plan ends on 2026-12-31",
            " = help: run next year's plan for the quarter after 2026-Q4, or ask for --period this-quarter",
        ]),
    );
}

#[test]
fn malformed_today_is_a_usage_error() {
    Test::new().files(&[("plan.toml", TWO_REGIONS)]).args(&["decompose", "plan.toml", "--period", "today", "--today", "2026-13-01"]).stderr(&lines(&[
            "error: invalid value '2026-13-01' for '--today <YYYY-MM-DD>': it is not a date (there is no month 13; months run from 01 to 12)",
            "",
            "Usage: salesplit decompose [OPTIONS] <PLAN>",
            "",
            "For more information, try '--help'.",
        ])).status(2).run();
}

// ------------------------------------------ warnings: the run goes on (exit 0)

#[test]
fn holidays_under_an_even_spread_are_ignored_with_a_warning() {
    warns(
        r#"[plan]
year = 2026

[target]
sales = 12_000_000

[time]
holidays = ["cn-2026"]
"#,
        &["--by", "quarter", "--format", "csv"],
        &lines(&[
            "warning[W0101]: holidays change the figures only under spread = \"workdays\", and this plan has spread = \"even\", so they are ignored",
            "  --> plan.toml:8:1",
            "  |",
            "8 | holidays = [\"cn-2026\"]",
            "  | ^^^^^^^^^^^^^^^^^^^^^^",
            "  = help: set `spread = \"workdays\"` to take holidays off and count make-up working days, or remove `holidays`",
        ]),
    );
}

#[test]
fn fiscal_plan_reaching_into_a_year_no_calendar_covers() {
    warns(
        r#"[plan]
year = 2026
start = "2026-07-01"

[target]
sales = 12_000_000

[time]
spread = "workdays"
holidays = ["cn-2026"]
"#,
        &["--by", "quarter", "--format", "csv"],
        &lines(&[
            "warning[W0102]: no holiday calendar covers 2027: this plan's days from 2027-01-01 to 2027-06-30 follow the workweek only",
            "   --> plan.toml:10:1",
            "   |",
            "10 | holidays = [\"cn-2026\"]",
            "   | ^^^^^^^^^^^^^^^^^^^^^^",
            "   = note: the plan runs from 2026-07-01 to 2027-06-30; the calendars in `holidays` cover 2026",
            "   = help: salesplit ships no calendar for 2027; add a CSV file of your own with 2027's holidays (date,name,is_off_day) to `holidays`",
        ]),
    );
}

// ------------------------------------------------- track: the actual sales

/// reps.csv for [`WITH_ROSTER`]: Ann in East, Bob in West.
const REPS: &str = "name,region,weight\nAnn,East,1\nBob,West,1\n";

/// `track plan.toml --actuals sales.csv` plus `args`, over [`WITH_ROSTER`],
/// [`REPS`] and `sales` as sales.csv, must fail with `code` and say exactly `expected`.
#[track_caller]
fn track_fails(code: i32, sales: &str, args: &[&str], expected: &str) {
    let mut all = vec!["track", "plan.toml", "--actuals", "sales.csv"];
    all.extend_from_slice(args);
    Test::new()
        .files(&[("plan.toml", WITH_ROSTER), ("reps.csv", REPS), ("sales.csv", sales)])
        .args(&all)
        .stderr(expected)
        .status(code)
        .run();
}

#[test]
fn actuals_without_the_metric_column_suggest_the_near_one() {
    track_fails(
        1,
        "date,region,salesperson,sale\n2026-01-05,East,Ann,100\n",
        &["--as-of", "2026-03-15"],
        &lines(&[
            "error[E0603]: the actuals have no `sales` column",
            "  --> sales.csv line 1",
            "  |",
            "1 | date,region,salesperson,sale",
            "  |                         ^^^^",
            "  = note: the columns are: date, region, salesperson, sale",
            "  = help: did you mean `sale`? Rename it to `sales`, the plan's metric",
        ]),
    );
}

#[test]
fn actuals_without_a_metric_column_or_anything_like_it() {
    // `amount` is too far from `sales` to guess.
    track_fails(
        1,
        "date,region,amount\n2026-01-05,East,100\n",
        &["--as-of", "2026-03-15"],
        &lines(&[
            "error[E0603]: the actuals have no `sales` column",
            "  --> sales.csv line 1",
            "  |",
            "1 | date,region,amount",
            "  | ^^^^^^^^^^^^^^^^^^",
            "  = note: the columns are: date, region, amount",
            "  = help: add a `sales` column with the amount of each sale (it is named after the plan's metric)",
        ]),
    );
}

#[test]
fn actuals_without_a_date_column() {
    track_fails(
        1,
        "day,region,sales\n2026-01-05,East,100\n",
        &["--as-of", "2026-03-15"],
        &lines(&[
            "error[E0603]: the actuals have no `date` column",
            "  --> sales.csv line 1",
            "  |",
            "1 | day,region,sales",
            "  | ^^^^^^^^^^^^^^^^",
            "  = note: the columns are: day, region, sales",
            "  = help: add a `date` column with the day of each sale (YYYY-MM-DD)",
        ]),
    );
}

#[test]
fn actuals_row_with_a_day_the_month_does_not_have() {
    track_fails(
        1,
        "date,region,sales\n2026-01-05,East,100\n2026-02-30,West,250\n",
        &["--as-of", "2026-03-15"],
        &lines(&[
            "error[E0401]: `2026-02-30` is not a date: 2026-02 has 28 days",
            "  --> sales.csv line 3",
            "  |",
            "3 | 2026-02-30,West,250",
            "  | ^^^^^^^^^^",
            "  = help: write dates as YYYY-MM-DD, e.g. 2026-03-15 (a time after the date, such as 2026-03-15 10:30:00, is fine)",
        ]),
    );
}

#[test]
fn actuals_row_with_an_amount_that_is_not_a_number() {
    track_fails(
        1,
        "date,region,sales\n2026-01-05,East,100\r\n2026-01-06,West,12O.50\r\n",
        &["--as-of", "2026-03-15"],
        &lines(&[
            "error[E0201]: `12O.50` is not a number",
            "  --> sales.csv line 3",
            "  |",
            "3 | 2026-01-06,West,12O.50",
            "  |                 ^^^^^^",
            "  = help: write the amount as a plain number such as 1234.50 (\"1,234.50\" in quotes is fine)",
        ]),
    );
}

#[test]
fn missing_actuals_file() {
    Test::new()
        .files(&[("plan.toml", TWO_REGIONS)])
        .args(&["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-15"])
        .stderr(&lines(&[
            "error[E0901]: cannot read actuals sales.csv: no such file",
            " = help: check the --actuals path; a relative path is read from the folder salesplit runs in",
        ]))
        .status(1)
        .run();
}

#[test]
fn strict_refuses_rows_of_members_not_in_the_plan() {
    // Bob is in West, not East; North is no region. The first is underlined.
    track_fails(
        1,
        "date,region,salesperson,sales\n2026-01-05,East,Ann,100\n2026-01-06,East,Bob,7.50\n2026-01-07,North,Ann,3\n",
        &["--as-of", "2026-03-15", "--strict"],
        &lines(&[
            "error[E0704]: 2 rows (10.50 in all) name members that are not in the plan",
            "  --> sales.csv line 3",
            "  |",
            "3 | 2026-01-06,East,Bob,7.50",
            "  |                 ^^^",
            "  = note: the first, on line 3: salesperson `Bob` is not in the plan under region `East`",
            "  = help: add those members to the plan, or fix their names in the actuals (without --strict they are reported under `(unplanned)`)",
        ]),
    );
}

#[test]
fn strict_suggests_a_member_with_a_near_name() {
    track_fails(
        1,
        "date,region,salesperson,sales\n2026-01-05,Esat,Ann,100\n",
        &["--as-of", "2026-03-15", "--strict"],
        &lines(&[
            "error[E0704]: 1 row (100.00 in all) names members that are not in the plan",
            "  --> sales.csv line 2",
            "  |",
            "2 | 2026-01-05,Esat,Ann,100",
            "  |            ^^^^",
            "  = note: the first, on line 2: region `Esat` is not in the plan (did you mean `East`?)",
            "  = help: add those members to the plan, or fix their names in the actuals (without --strict they are reported under `(unplanned)`)",
        ]),
    );
}

#[test]
fn by_deeper_than_the_actuals_go() {
    track_fails(
        1,
        "date,region,sales\n2026-01-05,East,100\n",
        &["--as-of", "2026-03-15", "--by", "salesperson,month"],
        &lines(&[
            "error[E0603]: the actuals have no `salesperson` column, so they cannot be tracked by salesperson",
            "  --> sales.csv",
            "  = help: track by region (e.g. --by region,month), or add a `salesperson` column to sales.csv",
        ]),
    );
}

#[test]
fn by_a_split_below_a_missing_column() {
    // Salespeople come under regions: without a region they cannot be placed.
    track_fails(
        1,
        "date,salesperson,sales\n2026-01-05,Ann,100\n",
        &["--as-of", "2026-03-15", "--by", "salesperson"],
        &lines(&[
            "error[E0603]: the actuals have no `region` column, so they cannot be tracked by salesperson",
            "  --> sales.csv",
            "  = help: track the company as a whole (e.g. --by month), or add a `region` column to sales.csv (salesperson comes under region in the plan)",
        ]),
    );
}

#[test]
fn unknown_carry_policy_is_a_usage_error() {
    track_fails(
        2,
        "date,region,sales\n2026-01-05,East,100\n",
        &["--as-of", "2026-03-15", "--replan", "--carry", "shorfall"],
        &lines(&[
            "error: invalid value 'shorfall' for '--carry <POLICY>'",
            "  [possible values: shortfall, both, none]",
            "",
            "  tip: a similar value exists: 'shortfall'",
            "",
            "Usage: salesplit track [OPTIONS] --actuals <FILE> <PLAN>",
            "",
            "For more information, try '--help'.",
        ]),
    );
}

#[test]
fn malformed_fail_below_is_a_usage_error() {
    track_fails(
        2,
        "date,region,sales\n2026-01-05,East,100\n",
        &["--as-of", "2026-03-15", "--fail-below", "ninety"],
        &lines(&[
            "error: invalid value 'ninety' for '--fail-below <PERCENT>': `ninety` is not a percentage",
            "  help: write it like 90%",
            "",
            "Usage: salesplit track [OPTIONS] --actuals <FILE> <PLAN>",
            "",
            "For more information, try '--help'.",
        ]),
    );
}

#[test]
fn malformed_as_of_is_a_usage_error() {
    track_fails(
        2,
        "date,region,sales\n2026-01-05,East,100\n",
        &["--as-of", "2026-02-29"],
        &lines(&[
            "error: invalid value '2026-02-29' for '--as-of <YYYY-MM-DD>': it is not a date (2026-02 has 28 days)",
            "",
            "Usage: salesplit track [OPTIONS] --actuals <FILE> <PLAN>",
            "",
            "For more information, try '--help'.",
        ]),
    );
    track_fails(
        2,
        "date,region,sales\n2026-01-05,East,100\n",
        &["--as-of", "15/03/2026"],
        &lines(&[
            "error: invalid value '15/03/2026' for '--as-of <YYYY-MM-DD>': it is not a date; write it as YYYY-MM-DD, e.g. 2026-03-15",
            "",
            "Usage: salesplit track [OPTIONS] --actuals <FILE> <PLAN>",
            "",
            "For more information, try '--help'.",
        ]),
    );
}

#[test]
fn more_cells_than_max_cells_asks_to_narrow_the_breakdown() {
    // 365 days x 3 regions = 1,095 cells.
    let plan = "[plan]\nyear = 2026\n[target]\nsales = 1000\n[time]\nlevel = \"day\"\n[[split]]\nby = \"region\"\nweights = { A = 1, B = 1, C = 1 }\n";
    Test::new()
        .files(&[("plan.toml", plan)])
        .args(&["decompose", "plan.toml", "--format", "csv", "--max-cells", "1000"])
        .stderr(&lines(&[
            "error[E0812]: the breakdown has 1,095 cells, more than --max-cells 1,000",
            " = note: at a few million cells a second that is a long run and a very large file",
            " = help: narrow --by (e.g. --by region,month) or --period, or raise --max-cells if you mean it",
        ]))
        .status(1)
        .run();
}

#[test]
fn an_unknown_language_is_refused_with_the_allowed_values() {
    plan_fails(
        "[plan]\nyear = 2026\nlanguage = \"cn\"\n[target]\nsales = 1200\n[time]\nlevel = \"quarter\"\n",
        &lines(&[
            "error[E0105]: language `cn` is not en or zh",
            "  --> plan.toml:3:12",
            "  |",
            "3 | language = \"cn\"",
            "  |            ^^^^",
            "  = help: write \"en\" (English labels) or \"zh\" (Chinese: 合计, 目标, 实际, 达成率); without the key, labels \
             are English",
        ]),
    );
}

#[test]
fn an_amount_whose_unit_could_mean_two_things_is_refused() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = "5M"
"#,
        &lines(&[
            "error[E0201]: target `sales`: `5M` is ambiguous: `M` means a thousand in some ledgers and a million (or a billion) in others; write the digits, or a unit that says it (k, 万, 百万, 亿)",
            "  --> plan.toml:5:9",
            "  |",
            "5 | sales = \"5M\"",
            "  |         ^^^^",
            "  = help: write five million as \"5,000,000\", \"500万\" or \"5百万\", five thousand as \"5k\"",
        ]),
    );
}

#[test]
fn commas_that_do_not_separate_thousands_are_refused() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = "1,20"
"#,
        &lines(&[
            "error[E0201]: target `sales`: `1,20` is not a number; a comma may only separate thousands, as in 1,200,000.50",
            "  --> plan.toml:5:9",
            "  |",
            "5 | sales = \"1,20\"",
            "  |         ^^^^^^",
            "  = help: write an amount such as 10_000_000 or \"1250000.50\"",
        ]),
    );
}
