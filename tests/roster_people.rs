//! The roster's optional columns about people — `start`, `end`, `ramp`,
//! `max`, `min` — through the real binary: a roster that fills them all still
//! decomposes, and each kind of bad cell gets its own message pinned in full
//! (where, what is wrong, what would fix it), exit code 1 and nothing on stdout.

use crate::common;

use crate::common::{column, csv_rows, lines, run_in};

/// Salespeople from reps.csv under two regions, amounts to the cent.
const PLAN: &str = r#"[plan]
year = 2026
precision = "0.01"

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = { East = 1, West = 1 }

[[split]]
by = "salesperson"
roster = "reps.csv"
"#;

/// Asserts that `decompose plan.toml` with `roster` as reps.csv fails with
/// exit code 1, nothing on stdout and exactly `expected` on stderr.
#[track_caller]
fn roster_fails(roster: &str, expected: &str) {
    common::fails_with(1, &[("plan.toml", PLAN), ("reps.csv", roster)], &["decompose", "plan.toml"], expected);
}

#[test]
fn a_roster_with_every_column_filled_still_decomposes() {
    let roster = "name,region,weight,start,end,ramp,max,min,note\n\
                  张伟,East,1.2,2025-11-15,,25%|50%|75%,\"1,200,000.50\",10%,hired from a rival\n\
                  Ann,East,1,2026-03-01,2026-12-31,50%|100%,40%,250000,\n\
                  Dan,East,1,,,,,,no cap\n\
                  Bob,West,1,2024-01-01,2025-12-31,,,,left before the year\n\
                  Cid,West,1,,,,,,\n";
    let (status, stdout, stderr) =
        run_in(&[("plan.toml", PLAN), ("reps.csv", roster)], &["decompose", "plan.toml", "-f", "csv"]);
    assert_eq!(stderr, "");
    assert_eq!(status, Some(0));
    let rows = csv_rows(&stdout);
    let mut people = column(&rows, "salesperson");
    people.dedup();
    assert_eq!(people, ["张伟", "Ann", "Dan", "Bob", "Cid"]);
}

#[test]
fn a_date_that_is_not_a_date() {
    roster_fails(
        "name,region,weight,start,end\nAnn,East,1,2026-02-30,\nBob,West,1,,\n",
        &lines(&[
            "error[E0401]: `Ann`'s start `2026-02-30` is not a date",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,2026-02-30,",
            "  |            ^^^^^^^^^^",
            "  = note: 2026-02 has 28 days",
            "  = help: write the first day in seat as YYYY-MM-DD, e.g. 2026-04-01",
        ]),
    );
}

#[test]
fn an_end_date_in_words() {
    roster_fails(
        "name,region,weight,start,end\nAnn,East,1,,1 July\nBob,West,1,,\n",
        &lines(&[
            "error[E0401]: `Ann`'s end `1 July` is not a date",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,,1 July",
            "  |             ^^^^^^",
            "  = help: write the last day in seat as YYYY-MM-DD, e.g. 2026-09-30",
        ]),
    );
}

#[test]
fn an_end_before_the_start() {
    roster_fails(
        "name,region,weight,start,end\nAnn,East,1,2026-05-01,2026-04-30\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: `Ann`'s end 2026-04-30 is before their start 2026-05-01",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,2026-05-01,2026-04-30",
            "  |                       ^^^^^^^^^^",
            "  = help: the end is the last day in seat: write a date on or after 2026-05-01, or correct the start",
        ]),
    );
}

#[test]
fn a_ramp_step_that_is_not_a_percentage() {
    roster_fails(
        "name,region,weight,start,ramp\nAnn,East,1,2026-05-01,25%|0.5|75%\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: step 2 of `Ann`'s ramp, `0.5`, is not a percentage",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,2026-05-01,25%|0.5|75%",
            "  |                           ^^^",
            "  = help: write 50% (0.5 as a fraction); write the ramp as percentages separated by |, such as 25%|50%|75%",
        ]),
    );
}

#[test]
fn an_empty_ramp_step() {
    roster_fails(
        "name,region,weight,start,ramp\nAnn,East,1,2026-05-01,25%||75%\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: step 2 of `Ann`'s ramp is empty",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,2026-05-01,25%||75%",
            "  |                           ^",
            "  = help: remove the extra `|`; write the ramp as percentages separated by |, such as 25%|50%|75%",
        ]),
    );
}

#[test]
fn a_ramp_step_of_zero() {
    roster_fails(
        "name,region,weight,start,ramp\nAnn,East,1,2026-05-01,0%|50%\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: step 1 of `Ann`'s ramp, 0%, is not above 0%",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,2026-05-01,0%|50%",
            "  |                       ^^",
            "  = help: write each step above 0% and at most 100%; to give `Ann` no target in a month, start them a month later",
        ]),
    );
}

#[test]
fn a_ramp_step_above_100_percent() {
    roster_fails(
        "name,region,weight,start,ramp\nAnn,East,1,2026-05-01,50%|120%\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: step 2 of `Ann`'s ramp, 120%, is above 100%",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,2026-05-01,50%|120%",
            "  |                           ^^^^",
            "  = help: write each step above 0% and at most 100%; after the ramp `Ann` counts in full",
        ]),
    );
}

#[test]
fn a_ramp_that_goes_down() {
    roster_fails(
        "name,region,weight,start,ramp\nAnn,East,1,2026-05-01,25%|75%|50%\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: `Ann`'s ramp goes down at step 3 (75% then 50%)",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,2026-05-01,25%|75%|50%",
            "  |                               ^^^",
            "  = help: a ramp never decreases: make step 3 at least 75%",
        ]),
    );
}

#[test]
fn a_ramp_with_an_empty_start() {
    roster_fails(
        "name,region,weight,start,ramp\nAnn,East,1,,25%|50%\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: `Ann` has a ramp but no start date",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,,25%|50%",
            "  |             ^^^^^^^",
            "  = note: the ramp's steps are months in seat, counted from the start date",
            "  = help: write `Ann`'s first day in seat in the `start` column (YYYY-MM-DD), or leave the ramp empty",
        ]),
    );
}

#[test]
fn a_ramp_in_a_roster_without_a_start_column() {
    roster_fails(
        "name,region,weight,ramp\nAnn,East,1,25%|50%\nBob,West,1,\n",
        &lines(&[
            "error[E0503]: `Ann` has a ramp but no start date",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,25%|50%",
            "  |            ^^^^^^^",
            "  = note: the ramp's steps are months in seat, counted from the start date",
            "  = help: add a `start` column with `Ann`'s first day in seat (YYYY-MM-DD), or leave the ramp empty",
        ]),
    );
}

#[test]
fn a_max_that_is_not_a_number() {
    roster_fails(
        "name,region,weight,max,min\nAnn,East,1,lots,\nBob,West,1,,\n",
        &lines(&[
            "error[E0201]: the max of `Ann` is not usable: `lots` is not a number",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,lots,",
            "  |            ^^^^",
            "  = help: write an amount such as 500000 or \"1,200,000.50\", or a percentage of their region's target such as 12%",
        ]),
    );
}

#[test]
fn a_max_with_commas_that_do_not_separate_thousands() {
    roster_fails(
        "name,region,weight,max,min\nAnn,East,1,\"12,00,000\",\nBob,West,1,,\n",
        &lines(&[
            "error[E0201]: the max of `Ann` is not usable: `12,00,000` is not a number; a comma may only separate thousands, as in 1,200,000.50",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,\"12,00,000\",",
            "  |             ^^^^^^^^^",
            "  = help: write an amount such as 500000 or \"1,200,000.50\", or a percentage of their region's target such as 12%",
        ]),
    );
}

#[test]
fn a_negative_min() {
    roster_fails(
        "name,region,weight,max,min\nAnn,East,1,,-500\nBob,West,1,,\n",
        &lines(&[
            "error[E0204]: the min of `Ann` is negative (-500)",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,,-500",
            "  |             ^^^^",
            "  = help: write an amount or a percentage of 0 or more, or leave the cell empty for no min",
        ]),
    );
}

#[test]
fn a_max_above_100_percent() {
    roster_fails(
        "name,region,weight,max,min\nAnn,East,1,120%,\nBob,West,1,,\n",
        &lines(&[
            "error[E0503]: the max of `Ann` is 120%, more than 100% of their region's target",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,120%,",
            "  |            ^^^^",
            "  = help: write a percentage of at most 100%, or an amount",
        ]),
    );
}

#[test]
fn a_max_finer_than_the_precision() {
    roster_fails(
        "name,region,weight,max,min\nAnn,East,1,\"1,000.005\",\nBob,West,1,,\n",
        &lines(&[
            "error[E0208]: the max of `Ann` = 1,000.005 is not a multiple of the precision 0.01",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,\"1,000.005\",",
            "  |             ^^^^^^^^^",
            "  = help: round it to a multiple of 0.01, such as 1000.00 or 1000.01",
        ]),
    );
}

#[test]
fn a_min_above_the_max() {
    roster_fails(
        "name,region,weight,max,min\nAnn,East,1,500000,\"600,000\"\nBob,West,1,20%,30%\nCid,West,1,10%,900000\n",
        &lines(&[
            "error[E0503]: the min of `Ann` (600,000) is above their max (500000)",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,500000,\"600,000\"",
            "  |                    ^^^^^^^",
            "  = help: lower the min or raise the max: the min is a floor on `Ann`'s annual target, the max a cap",
            "",
            "error[E0503]: the min of `Bob` (30%) is above their max (20%)",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,West,1,20%,30%",
            "  |                ^^^",
            "  = help: lower the min or raise the max: the min is a floor on `Bob`'s annual target, the max a cap",
            "",
            "2 problems found; nothing was computed",
        ]),
    );
}

#[test]
fn an_unquoted_amount_with_commas_spills_past_the_header() {
    roster_fails(
        "name,region,weight,max,min\nAnn,East,1,1,200,000,\nBob,West,1,,\n",
        &lines(&[
            "error[E0605]: the row of `Ann` has 7 cells but the header has 5 columns",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,1,200,000,",
            "  |                  ^^^",
            "  = help: a comma inside a value splits it in two: put the value in quotes (\"1,200,000\") or drop the thousands separator (1200000), or name the extra column in the header",
        ]),
    );
}

#[test]
fn every_bad_cell_is_reported_in_one_run() {
    roster_fails(
        "name,region,weight,start,end,ramp,max,min\n\
         Ann,East,abc,2026-13-01,,50%|25%,,\n\
         Bob,West,1,2026-05-01,2026-04-30,,-1,\n\
         Cid,West,1,,,,,\n",
        &lines(&[
            "error[E0201]: the weight of `Ann` is not usable: `abc` is not a number",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,abc,2026-13-01,,50%|25%,,",
            "  |          ^^^",
            "  = help: write a relative weight such as 1 or 1.2, or a percentage such as 30%",
            "",
            "error[E0401]: `Ann`'s start `2026-13-01` is not a date",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,abc,2026-13-01,,50%|25%,,",
            "  |              ^^^^^^^^^^",
            "  = note: there is no month 13; months run from 01 to 12",
            "  = help: write the first day in seat as YYYY-MM-DD, e.g. 2026-04-01",
            "",
            "error[E0503]: `Ann`'s ramp goes down at step 2 (50% then 25%)",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,abc,2026-13-01,,50%|25%,,",
            "  |                              ^^^",
            "  = help: a ramp never decreases: make step 2 at least 50%",
            "",
            "error[E0503]: `Bob`'s end 2026-04-30 is before their start 2026-05-01",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,West,1,2026-05-01,2026-04-30,,-1,",
            "  |                       ^^^^^^^^^^",
            "  = help: the end is the last day in seat: write a date on or after 2026-05-01, or correct the start",
            "",
            "error[E0204]: the max of `Bob` is negative (-1)",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,West,1,2026-05-01,2026-04-30,,-1,",
            "  |                                   ^^",
            "  = help: write an amount or a percentage of 0 or more, or leave the cell empty for no max",
            "",
            "5 problems found; nothing was computed",
        ]),
    );
}
