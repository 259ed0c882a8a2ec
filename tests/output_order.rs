//! What `track` refuses before it reads the actuals, as `decompose` refuses
//! before it computes: a breakdown over `--max-cells` (the same check
//! refuses a terminal table too large to read and a workbook longer than a
//! sheet). The actuals here do not exist, so a message about them would show
//! that they were opened first. (An output that cannot be written is
//! refused first too: see `output_errors.rs`.)

use crate::common::{fails_with, lines};

const PLAN: &str = "[plan]\nyear = 2026\n[target]\nsales = 1200\n[time]\nlevel = \"quarter\"\n\
                    [[split]]\nby = \"region\"\nweights = { East = 1, West = 1 }\n\
                    [[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n";
const REPS: &str = "name,region,weight\nWang,East,1\nLi,West,1\n";

#[test]
fn a_breakdown_over_max_cells_is_refused_before_the_actuals_are_read() {
    // Two people by day: 2 × 365 = 730 cells.
    fails_with(
        1,
        &[("plan.toml", PLAN), ("reps.csv", REPS)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--by", "salesperson,day", "--max-cells", "100"],
        &lines(&[
            "error[E0812]: the breakdown has 730 cells, more than --max-cells 100",
            " = note: at a few million cells a second that is a long run and a very large file",
            " = help: narrow --by (e.g. --by region,month) or --period, or raise --max-cells if you mean it",
        ]),
    );
}

#[test]
fn the_default_breakdown_is_refused_early_when_even_its_smallest_form_is_too_large() {
    // Without --by the breakdown follows the actuals' columns; at the least
    // it is the plan's level for the company: 4 quarters.
    fails_with(
        1,
        &[("plan.toml", PLAN), ("reps.csv", REPS)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--max-cells", "3"],
        &lines(&[
            "error[E0812]: the breakdown has 4 cells, more than --max-cells 3",
            " = note: at a few million cells a second that is a long run and a very large file",
            " = help: narrow --by (e.g. --by region,month) or --period, or raise --max-cells if you mean it",
        ]),
    );
}

#[test]
fn rows_and_cols_name_the_breakdown_too() {
    fails_with(
        1,
        &[("plan.toml", PLAN), ("reps.csv", REPS)],
        &[
            "track",
            "plan.toml",
            "--actuals",
            "sales.csv",
            "--rows",
            "salesperson",
            "--cols",
            "day",
            "--max-cells",
            "100",
        ],
        &lines(&[
            "error[E0812]: the breakdown has 730 cells, more than --max-cells 100",
            " = note: at a few million cells a second that is a long run and a very large file",
            " = help: narrow --by (e.g. --by region,month) or --period, or raise --max-cells if you mean it",
        ]),
    );
}

#[test]
fn within_the_limit_the_actuals_are_read_as_before() {
    fails_with(
        1,
        &[("plan.toml", PLAN), ("reps.csv", REPS)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--by", "salesperson,day", "--max-cells", "730"],
        &lines(&[
            "error[E0901]: cannot read actuals sales.csv: no such file",
            " = help: check the --actuals path; a relative path is read from the folder salesplit runs in",
        ]),
    );
}
