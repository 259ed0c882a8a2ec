//! Plans for one period (`[plan] period = "2026-03"`): the shop manager's
//! "this month's target is 85,000" cascades to weeks, days and slots
//! directly. Expected figures are worked out by hand from the weights in
//! the comments (or checked against the same month planned as a year whose
//! other months weigh nothing), never copied from the program's output.

use crate::common::{column, csv_rows, dec, fails_with, lines, salesplit};

/// Runs salesplit in a folder holding `files`; stdout (it must succeed).
#[track_caller]
fn run(files: &[(&str, &str)], args: &[&str]) -> String {
    let dir = tempfile::TempDir::new().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = salesplit().current_dir(dir.path()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A plan of `sales` for `period` at `level`, with the shop's weekday
/// weights (Mon-Thu 1, Fri 1.2, Sat 1.5, Sun 1.8) and `more` after `[time]`.
fn shop(period: &str, sales: &str, level: &str, more: &str) -> String {
    format!(
        "[plan]\nname = \"shop\"\nperiod = \"{period}\"\nprecision = \"0.01\"\n\n[target]\nsales = {sales}\n\n[time]\n\
         level = \"{level}\"\nweekdays = {{ mon = 1, tue = 1, wed = 1, thu = 1, fri = 1.2, sat = 1.5, sun = 1.8 }}\n{more}"
    )
}

#[test]
fn the_shipped_month_plan_shares_its_target_over_its_own_days() {
    let out = salesplit().args(["decompose", "examples/shop-month.toml", "--by", "day", "--format", "csv"]).output();
    let out = String::from_utf8(out.unwrap().stdout).unwrap();
    let rows = csv_rows(&out);
    // 31 rows, March only: 40 shares of 2,125.00 (see the plan's comment).
    assert_eq!(rows.len(), 31);
    assert_eq!(rows[0]["period"], "2026-03-01");
    assert_eq!(rows[30]["end"], "2026-03-31");
    let expected = |day: usize| -> &str {
        match (day, (day + 6) % 7) {
            // 1 March 2026 is a Sunday: (day + 6) % 7 is 0 on Sundays.
            (8, _) => "8500.00",
            (_, 0) => "3825.00",
            (_, 6) => "3187.50",
            (_, 5) => "2550.00",
            _ => "2125.00",
        }
    };
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row["sales"], expected(i + 1), "{row:?}");
    }
    let total: rust_decimal::Decimal = column(&rows, "sales").iter().map(|s| dec(s)).sum();
    assert_eq!(total, dec("85000"));
}

/// A month planned on its own gives the figures of the same month planned
/// as a year whose other months weigh nothing, cell for cell.
#[test]
fn a_month_plan_is_the_year_plan_of_that_month_alone() {
    let month =
        shop("2026-03", "\"8.5万\"", "day", "\n[[split]]\nby = \"counter\"\nweights = { A = 3, B = 2, C = 2 }\n");
    let year = month
        .replace("period = \"2026-03\"", "year = 2026")
        .replace("level = \"day\"", "level = \"day\"\nmonths = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]");
    for by in ["counter,day", "day", "counter,week", "counter,month"] {
        let alone = run(&[("plan.toml", &month)], &["decompose", "plan.toml", "--by", by, "--format", "csv"]);
        let in_year = run(
            &[("plan.toml", &year)],
            &["decompose", "plan.toml", "--by", by, "--period", "2026-03", "--format", "csv"],
        );
        assert_eq!(alone, in_year, "--by {by}");
    }
    // Slots: every day's four slots, 10/30/30/30.
    let slots = "[[time.slots]]\nname = \"am\"\nshare = \"10%\"\n[[time.slots]]\nname = \"noon\"\nshare = \"30%\"\n\
                 [[time.slots]]\nname = \"pm\"\nshare = \"30%\"\n[[time.slots]]\nname = \"eve\"\nshare = \"30%\"\n";
    let month = shop("2026-03", "85_000", "slot", slots);
    let rows = csv_rows(&run(&[("plan.toml", &month)], &["decompose", "plan.toml", "--format", "csv"]));
    assert_eq!(rows.len(), 31 * 4);
    assert_eq!(rows[0]["period"], "2026-03-01 am");
    let total: rust_decimal::Decimal = column(&rows, "sales").iter().map(|s| dec(s)).sum();
    assert_eq!(total, dec("85000"));
}

#[test]
fn an_iso_week_across_two_months_shares_by_its_days() {
    // 2026-W14 runs Monday 30 March to Sunday 5 April: 8.5 shares of 10,000.
    let week = shop("2026-W14", "85_000", "day", "");
    let days = csv_rows(&run(&[("plan.toml", &week)], &["decompose", "plan.toml", "--format", "csv"]));
    let figures: Vec<String> = column(&days, "sales");
    assert_eq!(figures, ["10000.00", "10000.00", "10000.00", "10000.00", "12000.00", "15000.00", "18000.00"]);
    assert_eq!(days[0]["period"], "2026-03-30");
    // The shop's weeks inside months: two days in March, five in April.
    let weeks = csv_rows(&run(&[("plan.toml", &week)], &["decompose", "plan.toml", "--by", "week", "--format", "csv"]));
    assert_eq!(column(&weeks, "period"), ["2026-03-W6", "2026-04-W1"]);
    assert_eq!(column(&weeks, "sales"), ["20000.00", "65000.00"]);
    let iso = run(&[("plan.toml", &week)], &["decompose", "plan.toml", "--by", "iso-week", "--format", "csv"]);
    assert_eq!(iso, "period,start,end,sales\n2026-W14,2026-03-30,2026-04-05,85000.00\n");
}

#[test]
fn a_quarter_plan_keeps_its_month_seasonality() {
    // Months 2:3:5 of 100,000: 20,000, 30,000 and 50,000.
    let quarter = shop("2026-Q2", "100_000", "month", "months = [1, 1, 1, 2, 3, 5, 1, 1, 1, 1, 1, 1]\n");
    let rows = csv_rows(&run(&[("plan.toml", &quarter)], &["decompose", "plan.toml", "--format", "csv"]));
    assert_eq!(column(&rows, "period"), ["2026-04", "2026-05", "2026-06"]);
    assert_eq!(column(&rows, "sales"), ["20000.00", "30000.00", "50000.00"]);
    let q = run(&[("plan.toml", &quarter)], &["decompose", "plan.toml", "--by", "quarter", "--format", "csv"]);
    assert_eq!(q, "period,start,end,sales\n2026-Q2,2026-04-01,2026-06-30,100000.00\n");
    let validated = run(&[("plan.toml", &quarter)], &["validate", "plan.toml"]);
    assert_eq!(validated, "plan.toml is valid: 100,000.00 sales for 2026-Q2\n");
}

#[test]
fn a_period_inside_the_plans_period_narrows_it_and_one_around_it_is_the_plan() {
    let month = shop("2026-03", "85_000", "day", "");
    let week = run(&[("plan.toml", &month)], &["decompose", "plan.toml", "--period", "2026-03-W2", "--format", "csv"]);
    assert_eq!(csv_rows(&week).len(), 7);
    let all = run(&[("plan.toml", &month)], &["decompose", "plan.toml", "--format", "csv"]);
    let around = run(&[("plan.toml", &month)], &["decompose", "plan.toml", "--period", "2026-Q1", "--format", "csv"]);
    assert_eq!(around, all, "Q1 of a March plan is March");
}

#[test]
fn tracking_a_month_plan_leaves_out_sales_of_other_months() {
    let month = shop("2026-03", "85_000", "day", "");
    let sales = "date,sales\n2026-02-27,999\n2026-03-02,10000\n2026-03-03,9000\n";
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), &month).unwrap();
    std::fs::write(dir.path().join("sales.csv"), sales).unwrap();
    let out = salesplit()
        .current_dir(dir.path())
        .args(["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-03", "--by", "month"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        lines(&[
            "warning[W0109]: 1 row (999.00 in all) is dated outside the plan's period 2026-03 (2026-03-01 to 2026-03-31) and is left out",
            "  --> sales.csv",
            "  = help: track those rows with the plan of their period, or leave them out of the file",
        ])
    );
    let rows = csv_rows(&String::from_utf8(out.stdout).unwrap());
    // March has 37.8 shares; Sunday the 1st, Monday and Tuesday are 3.8 of
    // them: 85,000 × 3.8 / 37.8 = 8,544.97 to date (within a cent).
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["target"], "85000.00");
    assert_eq!(rows[0]["actual_to_date"], "19000.00");
    let to_date = dec(&rows[0]["target_to_date"]);
    let exact = dec("85000") * dec("3.8") / dec("37.8");
    assert!((to_date - exact).abs() < dec("0.02"), "{to_date} vs {exact}");
}

/// The plan the refusals below start from.
fn march(more_plan: &str, more_time: &str) -> String {
    format!("[plan]\nperiod = \"2026-03\"\n{more_plan}\n[target]\nsales = 85_000\n\n[time]\n{more_time}")
}

#[test]
fn a_period_that_is_not_one_is_refused() {
    fails_with(
        1,
        &[("plan.toml", &march("", "").replace("2026-03", "2026-W01"))],
        &["decompose", "plan.toml"],
        &lines(&[
            "error[E0406]: period `2026-W01` runs from 2025-12-29 to 2026-01-04, across two calendar years; a plan covers days of one year",
            "  --> plan.toml:2:10",
            "  |",
            "2 | period = \"2026-W01\"",
            "  |          ^^^^^^^^^^",
            "  = help: write the one period the plan covers: a month (\"2026-03\"), a quarter (\"2026-Q1\"), an ISO week (\"2026-W10\") or a day (\"2026-11-11\"); leave `period` out to plan the whole year",
        ]),
    );
}

#[test]
fn a_period_that_weighs_nothing_is_named_not_the_year() {
    // March weighs 0: the year has other months, but the plan covers March alone.
    let months = "months = [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
    fails_with(
        1,
        &[("plan.toml", &march("", months))],
        &["decompose", "plan.toml"],
        &lines(&[
            "error[E0404]: the time weights of the plan's period 2026-03 (2026-03-01 to 2026-03-31) add up to 0, so there is nothing to share the target over",
            "  --> plan.toml:7:2",
            "  |",
            "7 | [time]",
            "  |  ^^^^",
            "  = help: give the period's days a positive weight: its month in `months` (and its quarter in `quarters`), its weekdays in `weekdays`, or its days in [time.days]",
        ]),
    );
}

#[test]
fn a_start_on_the_first_of_january_is_the_calendar_year_of_a_period() {
    // `start` on 1 January says what a period plan's year is anyway: the same plan as without it.
    let args = ["decompose", "plan.toml", "--by", "day", "--format", "csv"];
    let without = run(&[("plan.toml", &march("", ""))], &args);
    for start in ["start = \"2026-01-01\"\n", "start = 2026-01-01\n"] {
        let with = run(&[("plan.toml", &march(start, ""))], &args);
        assert_eq!(with, without, "{start}");
    }
    assert!(without.lines().count() == 32, "March's 31 days and a header: {without}");
}

#[test]
fn a_fiscal_year_a_wrong_year_and_a_coarser_level_conflict_with_a_period() {
    fails_with(
        1,
        &[("plan.toml", &march("start = \"2026-04-01\"\n", "level = \"quarter\"\n"))],
        &["decompose", "plan.toml"],
        &lines(&[
            "error[E0108]: `start` sets a fiscal year, which a plan for one period (2026-03) does not have",
            "  --> plan.toml:3:9",
            "  |",
            "3 | start = \"2026-04-01\"",
            "  |         ^^^^^^^^^^^^",
            "  = help: remove `start`, or remove `period` to plan the whole fiscal year",
            "",
            "error[E0108]: level `quarter` is coarser than the plan's period 2026-03, a month",
            "  --> plan.toml:9:9",
            "  |",
            "9 | level = \"quarter\"",
            "  |         ^^^^^^^^^",
            "  = help: write `level = \"month\"` or finer, or remove `level` (month by default)",
            "",
            "2 problems found; nothing was computed",
        ]),
    );
    fails_with(
        1,
        &[("plan.toml", &march("year = 2025\n", ""))],
        &["decompose", "plan.toml"],
        &lines(&[
            "error[E0108]: period 2026-03 is not in the plan's year 2025",
            "  --> plan.toml:2:10",
            "  |",
            "2 | period = \"2026-03\"",
            "  |          ^^^^^^^^^",
            "  = help: name a period of 2025, or change `year` (or leave it out: the period says it)",
        ]),
    );
}

#[test]
fn special_days_and_holds_outside_the_period_are_refused() {
    fails_with(
        1,
        &[("plan.toml", &march("", "\n[time.days]\n\"2026-04-01\" = 2\n\n[time.fixed]\n\"2026-04\" = 1000\n"))],
        &["decompose", "plan.toml"],
        &lines(&[
            "error[E0403]: special day 2026-04-01 is not in the plan's period 2026-03 (2026-03-01 to 2026-03-31)",
            "   --> plan.toml:10:1",
            "   |",
            "10 | \"2026-04-01\" = 2",
            "   | ^^^^^^^^^^^^",
            "   = help: correct the date, or move it to the plan that covers it; this plan can only weigh its own days",
            "",
            "error[E0403]: [time.fixed] holds 2026-04 (2026-04-01 to 2026-04-30), which is not inside the plan's period 2026-03 (2026-03-01 to 2026-03-31)",
            "   --> plan.toml:13:1",
            "   |",
            "13 | \"2026-04\" = 1000",
            "   | ^^^^^^^^^^^^^^^^",
            "   = help: hold periods inside the plan's period, or remove `period` to plan the whole year",
            "",
            "2 problems found; nothing was computed",
        ]),
    );
}

#[test]
fn a_breakdown_coarser_than_the_period_or_a_period_outside_it_is_refused() {
    let plan = [("plan.toml", march("", ""))];
    let files: Vec<(&str, &str)> = plan.iter().map(|(n, t)| (*n, t.as_str())).collect();
    fails_with(
        1,
        &files,
        &["decompose", "plan.toml", "--by", "quarter"],
        &lines(&[
            "error[E0813]: --by quarter is coarser than this plan, which covers 2026-03 only (2026-03-01 to 2026-03-31): 2026-Q1 runs from 2026-01-01 to 2026-03-31",
            " = note: a plan for one period has targets for that period's days only, so a longer period's figure would not be its target",
            " = help: ask for a level the period holds whole: month, week, day",
        ]),
    );
    fails_with(
        1,
        &files,
        &["decompose", "plan.toml", "--period", "2026-04"],
        &lines(&[
            "error[E0805]: --period 2026-04 (2026-04-01 to 2026-04-30) is not in this plan, which covers 2026-03 only (2026-03-01 to 2026-03-31)",
            " = help: ask for 2026-03 or a period inside it, or run the plan that covers 2026-04",
        ]),
    );
}
