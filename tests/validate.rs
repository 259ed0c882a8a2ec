//! `salesplit validate`: a plan is checked like `decompose` would check it,
//! without writing targets; what deserves a second look is a warning.

use crate::common::{lines, run_in, salesplit, Test};

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
    Test::new()
        .file("plan.toml", PLAN)
        .file("reps.csv", "name,region,weight\nAnn,East,5\nBob,East,1\nCy,East,1\n")
        .args(&["validate", "plan.toml"])
        .stdout("plan.toml is valid: 700,000.00 sales for 2026, split by region (1), salesperson (3); 1 warning\n")
        .stderr(&lines(&[
            "warning[W0104]: salesperson Ann in East has a target of 500,000.00, more than twice the average of 233,333.33 for the 3 people there",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,5",
            "  | ^^^",
            "  = help: check Ann's weight in reps.csv, or give part of the target to others",
        ]))
        .run();
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

#[test]
fn growth_above_half_a_ramp_over_a_year_and_heavy_over_assignment_are_warnings() {
    let plan = "[plan]\nyear = 2026\n[target.sales]\nbaseline = \"sales-2025.csv\"\ngrowth = { Q1 = \"10%\", Q2 = \"12%\", Q3 = \"62%\", Q4 = \"15%\" }\n[[split]]\nby = \"region\"\nweights = { East = 1 }\n[[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\nover_assign = \"35%\"\n";
    let reps = "name,region,weight,start,ramp\nAnn,East,1,,\nBob,East,1,2026-02-01,10%|20%|30%|40%|50%|60%|70%|80%|85%|90%|95%|97%|99%\n";
    let sales = "date,sales\n2025-02-01,100\n2025-05-01,100\n2025-08-01,100\n2025-11-01,100\n";
    let (code, out, err) =
        run_in(&[("plan.toml", plan), ("reps.csv", reps), ("sales-2025.csv", sales)], &["validate", "plan.toml"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "plan.toml is valid: 499.00 sales for 2026, split by region (1), salesperson (2); 3 warnings\n");
    assert_eq!(
        err,
        [
            // 100 x (110% + 112% + 162% + 115%) = 499.
            "note: target `sales` = 499.00 from sales-2025.csv: Q1 100 × 110% + Q2 100 × 112% + Q3 100 × 162% + Q4 100 × 115%",
            "warning[W0105]: growth of 62% for `sales` in Q3 is above 50%",
            "  --> plan.toml:5:41",
            "  |",
            "5 | growth = { Q1 = \"10%\", Q2 = \"12%\", Q3 = \"62%\", Q4 = \"15%\" }",
            "  |                                         ^^^^^",
            "  = note: the target is last year's sales plus more than half again",
            "  = help: check the rate; if it is meant, say why in the plan's name or a comment",
            "",
            "warning[W0106]: split `salesperson` is over-assigned by 35%, more than 30%",
            "   --> plan.toml:12:1",
            "   |",
            "12 | over_assign = \"35%\"",
            "   | ^^^^^^^^^^^^^^^^^^^",
            "   = note: the people's targets add up to 135% of their parent's",
            "   = help: over-assignment usually covers a few people missing their number; check the rate",
            "",
            "warning[W0107]: salesperson Bob's ramp lasts 13 months, more than a year",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,East,1,2026-02-01,10%|20%|30%|40%|50%|60%|70%|80%|85%|90%|95%|97%|99%",
            "  | ^^^",
            "  = note: each step of a ramp is one month in seat",
            "  = help: a ramp is for a new hire's first months; check the steps",
            "",
        ]
        .join("\n")
    );
}
