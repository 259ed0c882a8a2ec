//! The error codes: every code of `Code::ALL` is shown by at least one
//! catalogue test, ids are unique and well formed, and README's "Errors"
//! table lists exactly the codes with their meaning and fix.

use std::collections::BTreeSet;

use salesplit::diagnostic::{Code, Severity};

use super::common::{fails_with, lines, roster_fails, Test};

/// Codes no input can produce, with the reason: a catalogue test cannot
/// show them.
const UNREACHABLE: &[(Code, &str)] = &[(Code::Internal, "reports a bug in salesplit, not bad input")];

fn read(path: &str) -> String {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The text of every test file, where the catalogue tests write the messages they expect.
fn test_files() -> String {
    let folder = format!("{}/tests", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    names.sort();
    names.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_code_has_a_catalogue_test() {
    let text = test_files();
    let uncovered: Vec<String> = Code::ALL
        .iter()
        .filter(|c| !UNREACHABLE.iter().any(|(u, _)| u == *c))
        .filter(|c| {
            let kind = match c.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            !text.contains(&format!("{kind}[{}]: ", c.id()))
        })
        .map(|c| format!("{} ({c:?})", c.id()))
        .collect();
    assert!(uncovered.is_empty(), "codes that no test of tests/ expects in a message: {}", uncovered.join(", "));
}

#[test]
fn ids_are_unique_and_well_formed() {
    let mut seen = BTreeSet::new();
    for code in Code::ALL {
        let id = code.id();
        let (letter, digits) = id.split_at(1);
        let letter_ok = match code.severity() {
            Severity::Error => letter == "E",
            Severity::Warning => letter == "W",
        };
        assert!(letter_ok && digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()), "{code:?}: {id}");
        assert!(seen.insert(id), "{id} is given twice");
        assert!(!code.summary().is_empty() && !code.fix().is_empty(), "{id} says nothing");
        assert!(!code.summary().contains('|') && !code.fix().contains('|'), "{id} would break README's table");
    }
    // Code::ALL is in the order of the ids, so the README table reads in order.
    let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
    let mut sorted = ids.clone();
    sorted.sort_by_key(|id| (id.starts_with('W'), id.to_string()));
    assert_eq!(ids, sorted);
}

#[test]
fn the_readme_table_lists_exactly_the_codes() {
    let readme = read("README.md");
    let section = readme.split("\n## Errors\n").nth(1).expect("README has an \"## Errors\" section");
    let section = section.split("\n## ").next().unwrap();
    let rows: Vec<String> = section.lines().filter(|l| l.starts_with("| `")).map(str::to_string).collect();
    let expected: Vec<String> =
        Code::ALL.iter().map(|c| format!("| `{}` | {} | {} |", c.id(), c.summary(), c.fix())).collect();
    assert_eq!(rows, expected, "README's Errors table must be Code::ALL with each code's summary and fix");
}

#[test]
fn an_error_s_codes_are_those_it_shows() {
    let text = "[plan]\nyear = 2026\n[target]\nsales = -1\n";
    let error = salesplit::plan::Plan::parse("plan.toml", text, std::path::Path::new(".")).unwrap_err();
    assert_eq!(error.codes(), vec![Code::Negative]);
    assert!(error.to_string().starts_with("error[E0204]: "), "{error}");
}

// Catalogue tests for the codes no other file shows.

const REPS_PLAN: &str = r#"[plan]
year = 2026
[target]
sales = 1_000
[[split]]
by = "salesperson"
roster = "reps.csv"
"#;

#[test]
fn a_roster_without_rows() {
    roster_fails(
        REPS_PLAN,
        "name,weight\n",
        &lines(&[
            "error[E0502]: the roster has no rows",
            "  --> reps.csv",
            "  = help: add one row per member under the header name,weight",
        ]),
    );
}

#[test]
fn a_baseline_without_sales_in_its_year() {
    let plan = r#"[plan]
year = 2026
[target.sales]
baseline = "sales-2025.csv"
growth = "10%"
"#;
    fails_with(
        1,
        &[("plan.toml", plan), ("sales-2025.csv", "date,sales\n2024-03-01,100\n")],
        &["validate", "plan.toml"],
        &lines(&[
            "error[E0701]: the baseline has no sales in the baseline year, 2025-01-01 to 2025-12-31",
            "  --> sales-2025.csv",
            "  = note: its rows are all dated 2024-03-01",
            "  = note: the baseline year is the plan year shifted back one year",
            "  = help: give a baseline file with last year's actual sales, dated 2025-01-01 to 2025-12-31",
        ]),
    );
}

#[test]
fn more_bad_rows_than_are_shown() {
    let mut rows = String::new();
    for i in 1..=22 {
        rows.push_str(&format!("P{i},x\n"));
    }
    let mut expected = String::new();
    for i in 1..=20 {
        let line = i + 1;
        let gutter = " ".repeat(line.to_string().len() + 1);
        let caret = " ".repeat(format!("P{i},").len());
        expected += &format!(
            "error[E0201]: the weight of `P{i}` is not usable: `x` is not a number\n\
             {gutter}--> reps.csv line {line}\n\
             {gutter}|\n\
             {line} | P{i},x\n\
             {gutter}| {caret}^\n\
             {gutter}= help: write a relative weight such as 1 or 1.2, or a percentage such as 30%\n\n"
        );
    }
    expected += &lines(&[
        "error[E0611]: 2 more rows have problems like the ones above",
        "  --> reps.csv",
        "  = help: fix the rows above, then run again to see the rest",
        "",
        "21 problems found; nothing was computed",
    ]);
    roster_fails(REPS_PLAN, &format!("name,weight\n{rows}"), &expected);
}

#[test]
fn a_cell_that_could_be_in_two_splits() {
    let plan = r#"[plan]
year = 2026
[target]
sales = 1_000
[[split]]
by = "region"
weights = { East = 1, West = 1 }
[[split]]
by = "channel"
weights = { East = 1, Online = 1 }
"#;
    fails_with(
        1,
        &[("plan.toml", plan)],
        &["explain", "plan.toml", "--cell", "East"],
        &lines(&[
            "error[E0808]: --cell `East` could be the region or the channel",
            " = help: say which: region=East or channel=East",
        ]),
    );
}

#[test]
fn a_hold_that_rounding_cannot_keep() {
    // Contract v1's rounding: each member's months rounded on its own, then
    // the held month's members together (v2 keeps this hold: README "Rounding").
    let plan = r#"[plan]
year = 2026
precision = "1"
rounding = "cascade"
[target]
sales = 100
[time]
level = "month"
[time.fixed]
"2026-01" = 1
[[split]]
by = "m"
weights = { M0 = 1, M1 = 1 }
"#;
    Test::new()
        .file("plan.toml", plan)
        .args(&["validate", "plan.toml"])
        .stdout("plan.toml is valid: 100 sales for 2026, split by m (2); 1 warning\n")
        .stderr(&lines(&[
            "warning[W0103]: the members' figures for 2026-01 add up to 2, not the hold 1",
            "   --> plan.toml:10:1",
            "   |",
            "10 | \"2026-01\" = 1",
            "   | ^^^^^^^^^^^^^",
            "   = note: no rounding of each member's exact share keeps both the members' totals and the hold",
            "   = help: use a finer precision, or hold a coarser period",
        ]))
        .run();
}

#[test]
fn cross_cuts_that_rounding_cannot_make_exact() {
    // 42 units by week: a channel's few units go to its longest weeks, which
    // the company's own weeks cannot all take.
    let plan =
        "[plan]\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 42\n[time]\nspread = \"even\"\nlevel = \"week\"\n\
                [[split]]\nby = \"channel\"\nweights = { B = 3, F = 5, E = 8 }\n";
    Test::new()
        .file("plan.toml", plan)
        .args(&["decompose", "plan.toml", "--by", "week", "--period", "2026-01-W2", "--format", "csv"])
        .stdout("period,start,end,sales\n2026-01-W2,2026-01-05,2026-01-11,2\n")
        .stderr(&lines(&[
            "warning[W0114]: 10 cross-cuts of `sales` could not be made exact",
            " = note: the company's 2026-01-W2: its members add up to 2, not its own 1 (1 unit off)",
            " = note: the company's 2026-01-W5: its members add up to 0, not its own 1 (1 unit off)",
            " = note: the company's 2026-02-W2: its members add up to 2, not its own 1 (1 unit off)",
            " = note: the company's 2026-02-W5: its members add up to 0, not its own 1 (1 unit off)",
            " = note: the company's 2026-04-W1: its members add up to 0, not its own 1 (1 unit off)",
            " = note: and 5 more",
            " = note: no rounding of the members' exact shares reaches these without rounding a larger value of a \
             member below a smaller one; every figure is still the floor or ceiling of its exact share",
            " = help: a finer precision usually removes it; `[plan] rounding = \"cascade\"` rounds each leaf on its own instead",
        ]))
        .run();
}

#[test]
fn track_warns_of_the_cross_cuts_it_shows_that_rounding_cannot_make_exact() {
    // The plan of `cross_cuts_that_rounding_cannot_make_exact`: its weeks miss, its months do not.
    let plan =
        "[plan]\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 42\n[time]\nspread = \"even\"\nlevel = \"week\"\n\
                [[split]]\nby = \"channel\"\nweights = { B = 3, F = 5, E = 8 }\n";
    let files = [("plan.toml", plan), ("sales.csv", "date,channel,sales\n2026-01-05,B,1\n")];
    let track = ["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-01-31", "--format", "csv", "--by"];
    let by_week = Test::new().files(&files).args(&track).args(&["channel,week"]).output();
    assert_eq!(by_week.status, Some(0), "{}", by_week.stderr);
    assert!(
        by_week.stderr.starts_with(&lines(&[
            "warning[W0114]: 10 cross-cuts of `sales` could not be made exact",
            " = note: the company's 2026-01-W2: its members add up to 2, not its own 1 (1 unit off)",
        ])),
        "{}",
        by_week.stderr
    );
    let by_month = Test::new().files(&files).args(&track).args(&["channel,month"]).output();
    assert_eq!(by_month.status, Some(0), "{}", by_month.stderr);
    assert!(!by_month.stderr.contains("W0114"), "months add up; no warning about weeks: {}", by_month.stderr);
}

#[test]
fn a_shortfall_with_no_day_left_to_carry_it() {
    let plan = "[plan]\nyear = 2026\n[target]\nsales = 3_650\n";
    Test::new()
        .files(&[("plan.toml", plan), ("sales.csv", "date,sales\n2026-01-05,10\n")])
        .args(&["track", "plan.toml", "--actuals", "sales.csv", "--replan", "--as-of", "2026-12-31", "--format", "csv"])
        .stdout("period,start,end,sales\n")
        .stderr(&lines(&[
            "warning[W0113]: 3640.00 of the company's target cannot be carried: no day after 2026-12-31 has a target for it",
            " = help: nothing is left this year to carry it into; add it to next year's plan if it is still to be sold",
        ]))
        .run();
}
