//! `salesplit validate`: a plan is checked like `decompose` would check it,
//! without writing targets; what deserves a second look is a warning.

mod common;

use common::{run_in, salesplit};

const PLAN: &str = "[plan]\nyear = 2026\n[target]\nsales = 700_000\n[[split]]\nby = \"region\"\nweights = { East = 1 }\n[[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n";

#[test]
fn a_valid_plan_gets_a_one_line_summary() {
    let out = salesplit().args(["validate", "examples/company.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "examples/company.toml is valid: 10,000,000.00 sales CNY for 2026, split by region (5), product (3), salesperson (20)\n"
    );
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

#[test]
fn a_person_above_twice_the_team_average_is_a_warning() {
    // Weights 5, 1, 1 of 700,000: 500,000 against an average of 233,333.33.
    let (code, out, err) = run_in(
        &[("plan.toml", PLAN), ("reps.csv", "name,region,weight\nAnn,East,5\nBob,East,1\nCy,East,1\n")],
        &["validate", "plan.toml"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(out, "plan.toml is valid: 700,000.00 sales for 2026, split by region (1), salesperson (3); 1 warning\n");
    assert_eq!(
        err,
        [
            "warning: salesperson Ann in East has a target of 500,000.00, more than twice the average of 233,333.33 for the 3 people there",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,5",
            "  | ^^^",
            "  = help: check Ann's weight in reps.csv, or give part of the target to others",
            "",
        ]
        .join("\n")
    );
    // Below twice the average is fine: weights 2, 1 (average 350,000; Ann 466,666.67 < 700,000).
    let (code, _, err) = run_in(
        &[("plan.toml", PLAN), ("reps.csv", "name,region,weight\nAnn,East,2\nBob,East,1\n")],
        &["validate", "plan.toml"],
    );
    assert_eq!((code, err.as_str()), (Some(0), ""));
}

#[test]
fn an_invalid_plan_fails_as_decompose_would() {
    let (code, out, err) =
        run_in(&[("plan.toml", "[plan]\nyear = 2026\n[target]\nsales = -5\n")], &["validate", "plan.toml"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    let (_, _, decompose) =
        run_in(&[("plan.toml", "[plan]\nyear = 2026\n[target]\nsales = -5\n")], &["decompose", "plan.toml"]);
    assert_eq!(err, decompose);
}
