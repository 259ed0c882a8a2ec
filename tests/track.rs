//! `salesplit track` end to end, through the real binary: plans and actual
//! sales written by each test into a fresh folder. Expected figures are
//! worked out by hand in the comments, never copied from the program's
//! output.

use crate::common::{column, csv_rows, dec, run_in};

use std::collections::BTreeMap;

use rust_decimal::Decimal;

/// `salesplit track plan.toml --actuals sales.csv` plus `args`, with `plan`
/// and `sales` as those files: must succeed with nothing on stderr.
#[track_caller]
fn track(plan: &str, sales: &str, args: &[&str]) -> String {
    track_with(&[("plan.toml", plan), ("sales.csv", sales)], args)
}

/// As [`track`], with any files.
#[track_caller]
fn track_with(files: &[(&str, &str)], args: &[&str]) -> String {
    let all = track_args(args);
    let (status, stdout, stderr) = run_in(files, &all);
    assert_eq!(stderr, "", "stderr of salesplit {all:?}");
    assert_eq!(status, Some(0), "exit code of salesplit {all:?}");
    stdout
}

fn track_args<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["track", "plan.toml", "--actuals", "sales.csv"];
    all.extend_from_slice(args);
    all
}

/// `(period, sales)` of a `--replan` CSV.
fn new_targets(csv: &str) -> Vec<(String, String)> {
    csv_rows(csv).into_iter().map(|r| (r["period"].clone(), r["sales"].clone())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(p, s)| (p.to_string(), s.to_string())).collect()
}

// ------------------------------------------------ re-planning, week by week

/// 33,600 a year in whole units, even: 8,400 a quarter, 2,800 a month.
/// February 2026 starts on a Sunday and has 28 days, so with weeks from
/// Sunday it is exactly four weeks of 7 days: 700 a week, 100 a day.
const FEBRUARY: &str = r#"[plan]
year = 2026
precision = "1"

[target]
sales = 33_600

[time]
spread = "even"
week_start = "sun"
"#;

/// January met exactly (2,800), so that only February's weeks move, and
/// `week_one` sold in February's first week (Feb 1-7).
fn february_sales(week_one: &str) -> String {
    format!("date,sales\n2026-01-15,2800\n2026-02-03,{week_one}\n")
}

/// `--replan --by week` as of the end of February's first week.
fn february_replan(plan: &str, week_one: &str, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["--as-of", "2026-02-07", "--replan", "--by", "week", "--format", "csv"];
    all.extend_from_slice(args);
    new_targets(&track(plan, &february_sales(week_one), &all))
}

#[test]
fn the_plan_splits_february_into_four_equal_weeks() {
    let (status, out, _) = run_in(
        &[("plan.toml", FEBRUARY)],
        &["decompose", "plan.toml", "--by", "week", "--period", "2026-02", "--format", "csv"],
    );
    assert_eq!(status, Some(0));
    let rows = csv_rows(&out);
    assert_eq!(column(&rows, "start"), ["2026-02-01", "2026-02-08", "2026-02-15", "2026-02-22"]);
    assert_eq!(column(&rows, "sales"), ["700"; 4]);
}

#[test]
fn a_miss_in_week_one_raises_weeks_two_to_four_by_their_weights() {
    // 400 sold against 700: 300 short, carried over the three remaining
    // weeks of 700 each in proportion 1:1:1 = +100 each.
    let weeks = february_replan(FEBRUARY, "400", &["--period", "2026-Q1"]);
    // March is not touched: its 2,800 over 31 days in weeks of 7, 7, 7, 7
    // and 3 days is 632.26 x 4 and 270.97; floors 632 x 4 + 270 = 2,798,
    // and the 2 units left go to the largest fractions: .97 (W5), then
    // the first of the tied .26s (W1).
    assert_eq!(
        weeks,
        pairs(&[
            ("2026-02-W2", "800"),
            ("2026-02-W3", "800"),
            ("2026-02-W4", "800"),
            ("2026-03-W1", "633"),
            ("2026-03-W2", "632"),
            ("2026-03-W3", "632"),
            ("2026-03-W4", "632"),
            ("2026-03-W5", "271"),
        ])
    );
}

#[test]
fn a_shortfall_that_does_not_divide_is_rounded_by_the_brief_s_rule() {
    // 560 sold: 2,800 - 560 = 2,240 for three equal weeks = 746.67 each;
    // floors 746 x 3 = 2,238 and the 2 units left go to the tied
    // fractions in date order: 747, 747, 746.
    let weeks = february_replan(FEBRUARY, "560", &["--period", "2026-02"]);
    assert_eq!(weeks, pairs(&[("2026-02-W2", "747"), ("2026-02-W3", "747"), ("2026-02-W4", "746")]));
}

#[test]
fn a_surplus_leaves_later_weeks_unchanged_by_default() {
    // 1,000 sold against 700.
    let weeks = february_replan(FEBRUARY, "1000", &["--period", "2026-02"]);
    assert_eq!(weeks, pairs(&[("2026-02-W2", "700"), ("2026-02-W3", "700"), ("2026-02-W4", "700")]));
    let explicit = february_replan(FEBRUARY, "1000", &["--period", "2026-02", "--carry", "shortfall"]);
    assert_eq!(explicit, weeks);
}

#[test]
fn carry_both_lets_a_surplus_lower_later_weeks() {
    // 2,800 - 1,000 = 1,800 over three equal weeks: 600 each.
    let weeks = february_replan(FEBRUARY, "1000", &["--period", "2026-02", "--carry", "both"]);
    assert_eq!(weeks, pairs(&[("2026-02-W2", "600"), ("2026-02-W3", "600"), ("2026-02-W4", "600")]));
    // A shortfall is still carried: 400 sold, 2,400 left = 800 each.
    let weeks = february_replan(FEBRUARY, "400", &["--period", "2026-02", "--carry", "both"]);
    assert_eq!(weeks, pairs(&[("2026-02-W2", "800"), ("2026-02-W3", "800"), ("2026-02-W4", "800")]));
}

#[test]
fn carry_none_keeps_the_original_targets() {
    for week_one in ["400", "1000"] {
        let weeks = february_replan(FEBRUARY, week_one, &["--period", "2026-02", "--carry", "none"]);
        assert_eq!(weeks, pairs(&[("2026-02-W2", "700"), ("2026-02-W3", "700"), ("2026-02-W4", "700")]));
    }
}

#[test]
fn carry_in_the_plan_does_what_the_flag_does_and_the_flag_wins() {
    let plan = format!("{FEBRUARY}\n[track]\ncarry = \"both\"\n");
    let from_plan = february_replan(&plan, "1000", &["--period", "2026-02"]);
    let from_flag = february_replan(FEBRUARY, "1000", &["--period", "2026-02", "--carry", "both"]);
    assert_eq!(from_plan, from_flag);
    assert_eq!(from_plan, pairs(&[("2026-02-W2", "600"), ("2026-02-W3", "600"), ("2026-02-W4", "600")]));
    let overridden = february_replan(&plan, "1000", &["--period", "2026-02", "--carry", "shortfall"]);
    assert_eq!(overridden, pairs(&[("2026-02-W2", "700"), ("2026-02-W3", "700"), ("2026-02-W4", "700")]));
}

/// 261,000 over 2026's 261 weekdays (52 weeks and a Thursday): 1,000 a
/// weekday, 0 on weekends. Weeks from Monday. March 2026 starts on a
/// Sunday: W1 = Mar 1 (0), W2 = Mar 2-8, W3 = 9-15, W4 = 16-22,
/// W5 = 23-29 (5,000 each), W6 = Mar 30-31 (2,000); 22,000 in all.
const WORKDAYS: &str = r#"[plan]
year = 2026
precision = "1"

[target]
sales = 261_000

[time]
spread = "workdays"
"#;

/// January (22 weekdays) and February (20) met exactly, then `march`.
fn workday_sales(march: &str) -> String {
    format!("date,sales\n2026-01-15,22000\n2026-02-16,20000\n{march}")
}

#[test]
fn unequal_weeks_take_the_shortfall_in_proportion_to_their_targets() {
    // As of Sunday Mar 8: W2 sold 3,000 of 5,000. March's 22,000 less the
    // 3,000 sold leaves 19,000 for W3, W4, W5, W6 weighing 5:5:5:2 (17):
    // 5,588.24 x 3 and 2,235.29; floors 5,588 x 3 + 2,235 = 18,999, and
    // the unit left goes to the largest fraction, W6's .29 (over .24).
    let out = track(
        WORKDAYS,
        &workday_sales("2026-03-04,3000\n"),
        &["--as-of", "2026-03-08", "--replan", "--by", "week", "--period", "2026-03", "--format", "csv"],
    );
    assert_eq!(
        new_targets(&out),
        pairs(&[("2026-03-W3", "5588"), ("2026-03-W4", "5588"), ("2026-03-W5", "5588"), ("2026-03-W6", "2236")])
    );
}

#[test]
fn a_week_whose_working_days_are_over_carries_its_shortfall_into_the_next_weeks() {
    // As of Friday Mar 13, W3 has only its weekend left, which has no
    // target: W3 counts as over. W2 sold its 5,000, W3 4,000 of 5,000.
    // March's 22,000 less 9,000 sold leaves 13,000 for W4, W5, W6
    // weighing 5:5:2 (12): 5,416.67 x 2 and 2,166.67; floors sum to
    // 12,998, and the 2 units left go to the tied fractions in date order.
    let out = track(
        WORKDAYS,
        &workday_sales("2026-03-04,5000\n2026-03-10,4000\n"),
        &["--as-of", "2026-03-13", "--replan", "--by", "week", "--period", "2026-03", "--format", "csv"],
    );
    // W3 is still listed for its weekend, which has no target.
    assert_eq!(
        new_targets(&out),
        pairs(&[("2026-03-W3", "0"), ("2026-03-W4", "5417"), ("2026-03-W5", "5417"), ("2026-03-W6", "2166")])
    );
}

// ------------------------------------------------------------- conservation

/// 1,000,000.00 a year by calendar days, East 1 : West 2. East gets
/// 333,333.33 and West 666,666.67 (the cent left goes to West's larger
/// fraction, .666 over .333).
const REGIONS_BY_DAYS: &str = r#"[plan]
year = 2026

[target]
sales = 1_000_000

[time]
spread = "days"

[[split]]
by = "region"
weights = { East = 1, West = 2 }
"#;

#[test]
fn new_remaining_targets_plus_actuals_to_date_equal_the_original_target() {
    // Every period that is over by Mar 15 is short (East's January is
    // about 28,311 and sells 12,345.67; its February about 25,571 and
    // sells 1,000; West's January is about 56,621 and sells 30,000), so
    // under the default policy nothing is lost or gained:
    //   East: 333,333.33 - 13,345.67 = 319,987.66
    //   West: 666,666.67 - 30,000.00 = 636,666.67
    //   together 956,654.33.
    let sales = "date,region,sales\n2026-01-10,East,\"12,345.67\"\n2026-02-20,East,1000\n2026-01-20,West,30000\n";
    let out =
        track(REGIONS_BY_DAYS, sales, &["--as-of", "2026-03-15", "--replan", "--by", "region,day", "--format", "csv"]);
    let rows = csv_rows(&out);
    // Only the days after Mar 15 are re-planned: 365 - 74 = 291 a region.
    assert_eq!(rows.len(), 2 * 291);
    assert_eq!(rows[0]["period"], "2026-03-16");
    let sum =
        |region: &str| -> Decimal { rows.iter().filter(|r| r["region"] == region).map(|r| dec(&r["sales"])).sum() };
    assert_eq!(sum("East"), dec("319987.66"));
    assert_eq!(sum("West"), dec("636666.67"));
    // The same by month, in JSON: the total is the sum of the new targets.
    let json = track(
        REGIONS_BY_DAYS,
        sales,
        &["--as-of", "2026-03-15", "--replan", "--by", "region,month", "--format", "json"],
    );
    assert!(json.contains("\"total\": {\"sales\": 956654.33}"), "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let months: Vec<&str> = doc["rows"].as_array().unwrap().iter().map(|r| r["period"].as_str().unwrap()).collect();
    // March is still open (its days after the 15th); January and February are over.
    assert_eq!(&months[..3], ["2026-03", "2026-04", "2026-05"]);
    assert_eq!(months.len(), 2 * 10);
}

// ---------------------------------------------------------------- the report

/// 36,500.00 by calendar days, East 1 : West 1: 50.00 a day each, so a
/// region's Q1 (90 days) is 4,500.00, Q2 (91) 4,550.00, Q3 and Q4 (92)
/// 4,600.00. As of Mar 15, 31 + 28 + 15 = 74 days are done: 3,700.00 due.
const HALVES: &str = r#"[plan]
year = 2026

[target]
sales = 36_500

[time]
spread = "days"
level = "quarter"

[[split]]
by = "region"
weights = { East = 1, West = 1 }
"#;

/// East sells 3,330 by Mar 15 (the last row on the as-of day itself),
/// West 3,900: 7,230.00 in all.
const HALVES_SALES: &str = "date,region,sales\n\
2026-01-05,East,3000\n\
2026-02-05,West,1900\n\
2026-03-01,West,2000\n\
2026-03-15,East,330\n";

const REPORT_HEADER: &str =
    "region,period,start,end,target,target_to_date,actual_to_date,attainment,gap,remaining,run_rate,projected,status";

#[test]
fn report_figures_in_csv() {
    let out = track(HALVES, HALVES_SALES, &["--as-of", "2026-03-15", "--format", "csv"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(REPORT_HEADER));
    let rows = csv_rows(&out);
    assert_eq!(column(&rows, "region"), ["East", "East", "East", "East", "West", "West", "West", "West"]);
    assert_eq!(column(&rows, "period"), ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"].repeat(2));
    let figures = |r: &BTreeMap<String, String>| -> Vec<String> {
        ["target", "target_to_date", "actual_to_date", "gap", "remaining", "run_rate", "projected", "status"]
            .iter()
            .map(|c| r[*c].clone())
            .collect()
    };
    // East Q1: 3,330 of 3,700 due = 90% (below 95%: behind); gap 370;
    // 4,500 - 3,330 = 1,170 left over Mar 16-31 (16 days) = 73.125 a day,
    // 73.13 (half away from zero); at this pace 3,330 x 4,500 / 3,700 = 4,050.
    assert_eq!(figures(&rows[0]), ["4500.00", "3700.00", "3330.00", "370.00", "1170.00", "73.13", "4050.00", "behind"]);
    assert_eq!(dec(&rows[0]["attainment"]), dec("0.9"));
    // West Q1: 3,900 / 3,700 = 1.054054... = 1.0541 (above 105%: ahead);
    // gap -200; 600 left over 16 days = 37.50; 3,900 x 4,500 / 3,700 =
    // 4,743.2432... = 4,743.24.
    assert_eq!(figures(&rows[4]), ["4500.00", "3700.00", "3900.00", "-200.00", "600.00", "37.50", "4743.24", "ahead"]);
    assert_eq!(dec(&rows[4]["attainment"]), dec("1.0541"));
    // Q2 has not started: nothing due, no attainment or projection;
    // 4,550 left over its 91 days = 50.00 a day.
    assert_eq!(figures(&rows[1]), ["4550.00", "0.00", "0.00", "0.00", "4550.00", "50.00", "", "upcoming"]);
    assert_eq!(rows[1]["attainment"], "");
    // Q3 and Q4: 4,600 over 92 days.
    assert_eq!(figures(&rows[7]), ["4600.00", "0.00", "0.00", "0.00", "4600.00", "50.00", "", "upcoming"]);
}

#[test]
fn report_figures_and_totals_in_json() {
    let out = track(HALVES, HALVES_SALES, &["--as-of", "2026-03-15", "--format", "json"]);
    // Amounts are JSON numbers with the plan's two decimals.
    assert!(out.contains("\"target\": 4500.00, \"target_to_date\": 3700.00, \"actual_to_date\": 3330.00"), "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["dimensions"], serde_json::json!(["region", "period"]));
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    let east_q1 = &rows[0];
    assert_eq!((east_q1["region"].as_str(), east_q1["period"].as_str()), (Some("East"), Some("2026-Q1")));
    assert_eq!(east_q1["attainment"].as_f64(), Some(0.9));
    assert_eq!(east_q1["run_rate"].as_f64(), Some(73.13));
    assert_eq!(east_q1["status"], "behind");
    let east_q2 = &rows[1];
    assert!(east_q2["attainment"].is_null(), "{east_q2}");
    assert!(east_q2["projected"].is_null(), "{east_q2}");
    assert!(east_q2["run_rate"].is_number(), "{east_q2}");
    assert_eq!(east_q2["status"], "upcoming");
    assert_eq!(rows[4]["status"], "ahead");
    // The totals add up the printed amounts: targets 2 x (4,500 + 4,550
    // + 4,600 + 4,600) = 36,500; due 7,400; sold 7,230 (the file's total);
    // gap 170; left 29,270; projected 4,050.00 + 4,743.24 = 8,793.24 (the
    // quarters not started have no projection, so add nothing). The ratios
    // are the Total row's own: 7,230 / 7,400 = 0.977027... = 0.9770, within
    // 5% (on track); 29,270 over the 291 days after Mar 15 = 100.584... =
    // 100.58.
    let total = &doc["total"];
    let expect = [
        ("target", "36500.00"),
        ("target_to_date", "7400.00"),
        ("actual_to_date", "7230.00"),
        ("attainment", "0.977"),
        ("gap", "170.00"),
        ("remaining", "29270.00"),
        ("run_rate", "100.58"),
        ("projected", "8793.24"),
    ];
    for (name, value) in expect {
        assert_eq!(total[name].as_f64(), Some(value.parse::<f64>().unwrap()), "total {name}: {total}");
    }
    assert_eq!(total["status"], "on track");
    assert!(out.contains("\"actual_to_date\": 7230.00, "), "{out}");
}

#[test]
fn the_table_has_a_total_row() {
    let out = track(HALVES, HALVES_SALES, &["--as-of", "2026-03-15"]);
    let total = out.lines().find(|l| l.contains("Total")).unwrap_or_else(|| panic!("no Total row:\n{out}"));
    for figure in ["36,500.00", "7,400.00", "7,230.00", "97.7%", "29,270.00", "on track"] {
        assert!(total.contains(figure), "{figure} not in {total}");
    }
}

#[test]
fn the_tolerance_moves_the_status_bands() {
    let statuses = |plan: &str, args: &[&str]| -> (Vec<String>, String) {
        let mut all = vec!["--as-of", "2026-03-15", "--format", "csv", "--period", "2026-Q1"];
        all.extend_from_slice(args);
        let rows = csv_rows(&track(plan, HALVES_SALES, &all));
        let json = {
            let mut all = all.clone();
            all[3] = "json";
            track(plan, HALVES_SALES, &all)
        };
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        (column(&rows, "status"), doc["total"]["status"].as_str().unwrap().to_string())
    };
    // Default 5%: East 90% behind, West 105.41% ahead, all 97.70% on track.
    assert_eq!(statuses(HALVES, &[]), (vec!["behind".into(), "ahead".into()], "on track".into()));
    // 10%: 90% is not below 90%, and 105.41% is not above 110%.
    assert_eq!(
        statuses(HALVES, &["--tolerance", "10%"]),
        (vec!["on track".into(), "on track".into()], "on track".into())
    );
    // 1%: 97.70% is below 99%.
    assert_eq!(statuses(HALVES, &["--tolerance", "1%"]), (vec!["behind".into(), "ahead".into()], "behind".into()));
    // The same from the plan, and the flag wins over the plan.
    let plan = format!("{HALVES}\n[track]\ntolerance = \"10%\"\n");
    assert_eq!(statuses(&plan, &[]), (vec!["on track".into(), "on track".into()], "on track".into()));
    assert_eq!(statuses(&plan, &["--tolerance", "1%"]), (vec!["behind".into(), "ahead".into()], "behind".into()));
}

#[test]
fn rows_after_the_as_of_date_are_named_and_left_out_of_the_figures_to_date() {
    // As of Mar 14, East's 330 on Mar 15 is not counted yet: it says so.
    let all = track_args(&["--as-of", "2026-03-14", "--format", "csv", "--period", "2026-Q1"]);
    let (status, stdout, stderr) = run_in(&[("plan.toml", HALVES), ("sales.csv", HALVES_SALES)], &all);
    assert_eq!(status, Some(0));
    assert_eq!(
        stderr,
        "warning[W0111]: 1 row (330.00 in all) is dated after the as-of date, 2026-03-14, so it is not in the figures to date\n  \
         --> sales.csv\n  \
         = help: pass --as-of 2026-03-15 (the last date in the actuals) to count it\n"
    );
    let rows = csv_rows(&stdout);
    assert_eq!(column(&rows, "actual_to_date"), ["3000.00", "3900.00"]);
    // 73 days done: 3,650 due each.
    assert_eq!(column(&rows, "target_to_date"), ["3650.00", "3650.00"]);
}

// --------------------------------------------------------------- (unplanned)

/// Regions East and West, salespeople from reps.csv: Ann and Bob in
/// East, Cy in West. 36,500 by days: East and West 18,250, Ann and Bob
/// 9,125 (25 a day), Cy 18,250 (50 a day).
pub(crate) const WITH_REPS: &str = r#"[plan]
year = 2026

[target]
sales = 36_500

[time]
spread = "days"

[[split]]
by = "region"
weights = { East = 1, West = 1 }

[[split]]
by = "salesperson"
roster = "reps.csv"
"#;

pub(crate) const REPS: &str = "name,region,weight\nAnn,East,1\nBob,East,1\nCy,West,1\n";

/// Ann sells 100 and Cy 40; Zed is no salesperson of East, and North is
/// no region: 7.50 and 3 go to `(unplanned)`. 150.50 in all.
const WITH_STRANGERS: &str = "date,region,salesperson,sales\n\
2026-01-05,East,Ann,100\n\
2026-01-06,East,Zed,7.50\n\
2026-01-07,North,Ann,3\n\
2026-01-08,West,Cy,40\n";

#[test]
fn rows_of_unknown_members_go_to_unplanned_with_a_warning() {
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", WITH_STRANGERS)];
    let all = track_args(&["--as-of", "2026-01-31", "--by", "region,salesperson,year", "--format", "csv"]);
    let (status, stdout, stderr) = run_in(&files, &all);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(
        stderr,
        [
            "warning[W0110]: 2 rows (10.50 in all) name members that are not in the plan; they are reported under `(unplanned)`",
            "  --> sales.csv line 3",
            "  |",
            "3 | 2026-01-06,East,Zed,7.50",
            "  |                 ^^^",
            "  = note: the first, on line 3: salesperson `Zed` is not in the plan under region `East`",
            "  = help: add those members to the plan, or fix their names in the actuals; pass --strict to make this an error",
            "",
        ]
        .join("\n")
    );
    let rows = csv_rows(&stdout);
    let who: Vec<(String, String)> = rows.iter().map(|r| (r["region"].clone(), r["salesperson"].clone())).collect();
    assert_eq!(
        who,
        [("East", "Ann"), ("East", "Bob"), ("West", "Cy"), ("East", "(unplanned)"), ("(unplanned)", "(unplanned)")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    // Nothing is planned for them: no target, and what they sold is all gap.
    assert_eq!(column(&rows, "target")[3..], ["0.00", "0.00"]);
    assert_eq!(column(&rows, "actual_to_date"), ["100.00", "0.00", "40.00", "7.50", "3.00"]);
    assert_eq!(column(&rows, "attainment")[3..], ["", ""]);
    assert_eq!(column(&rows, "gap")[3..], ["-7.50", "-3.00"]);
    // With nothing due, they are neither ahead nor behind.
    assert_eq!(column(&rows, "status")[3..], ["no target", "no target"]);
    // Ann: 100 of 31 x 25 = 775 due.
    assert_eq!(rows[0]["target_to_date"], "775.00");
    // Every row is accounted for: 150.50 in all, in JSON too.
    let json = {
        let mut all = all.clone();
        *all.last_mut().unwrap() = "json";
        run_in(&files, &all).1
    };
    assert!(json.contains("\"actual_to_date\": 150.50"), "{json}");
    // By region alone, East holds Zed's 7.50 and North is an `(unplanned)` region.
    let all = track_args(&["--as-of", "2026-01-31", "--by", "region,year", "--format", "csv"]);
    let rows = csv_rows(&run_in(&files, &all).1);
    assert_eq!(column(&rows, "region"), ["East", "West", "(unplanned)"]);
    assert_eq!(column(&rows, "actual_to_date"), ["107.50", "40.00", "3.00"]);
}

#[test]
fn strict_refuses_unknown_members() {
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", WITH_STRANGERS)];
    let (status, stdout, stderr) = run_in(&files, &track_args(&["--as-of", "2026-01-31", "--strict"]));
    assert_eq!(status, Some(1));
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error[E0704]: 2 rows (10.50 in all) name members that are not in the plan\n"),
        "{stderr}"
    );
    // A file with only planned members passes --strict.
    let clean = "date,region,salesperson,sales\n2026-01-05,East,Ann,100\n";
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", clean)];
    track_with(&files, &["--as-of", "2026-01-31", "--strict", "--format", "csv"]);
}

// ---------------------------------------------------- outside the plan year

#[test]
fn rows_outside_the_plan_year_are_warned_about_and_left_out() {
    let sales = format!("{HALVES_SALES}2025-12-31,East,1000\n2027-01-01,West,20\n");
    let all = track_args(&["--as-of", "2026-12-31", "--by", "year", "--format", "csv"]);
    let (status, stdout, stderr) = run_in(&[("plan.toml", HALVES), ("sales.csv", &sales)], &all);
    assert_eq!(status, Some(0));
    assert_eq!(
        stderr,
        "warning[W0109]: 2 rows (1,020.00 in all) are dated outside the plan year (2026-01-01 to 2026-12-31) and are left out\n  \
         --> sales.csv\n  \
         = help: track those rows with the plan of their year, or leave them out of the file\n"
    );
    // Only 2026's 7,230 is counted, against the whole year's 36,500.
    let rows = csv_rows(&stdout);
    assert_eq!(column(&rows, "actual_to_date"), ["7230.00"]);
    assert_eq!(column(&rows, "target_to_date"), ["36500.00"]);
}

// ------------------------------------------------- a missing split column

#[test]
fn actuals_without_the_salesperson_column_are_tracked_by_region() {
    // Region Q1 targets are 4,500 as in HALVES (the roster splits them further).
    let sales = "date,region,sales\n2026-02-01,East,1000\n2026-02-02,West,2000\n";
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", sales)];
    let out = track_with(&files, &["--as-of", "2026-03-31", "--by", "quarter", "--format", "csv"]);
    assert!(out.starts_with("period,"), "{out}");
    // The default --by keeps the splits the actuals have: region, then the plan's level (month).
    let out = track_with(&files, &["--as-of", "2026-03-31", "--format", "csv", "--period", "2026-Q1"]);
    let rows = csv_rows(&out);
    assert!(out.starts_with("region,period,start,end,target,"), "{out}");
    assert_eq!(column(&rows, "region"), ["East", "East", "East", "West", "West", "West"]);
    assert_eq!(column(&rows, "period"), ["2026-01", "2026-02", "2026-03"].repeat(2));
    // East's February: 28 x 50 = 1,400 due, 1,000 sold.
    assert_eq!(rows[1]["target"], "1400.00");
    assert_eq!(rows[1]["actual_to_date"], "1000.00");
    assert_eq!(rows[4]["actual_to_date"], "2000.00");
    // Asking for salespeople is refused.
    let (status, stdout, stderr) = run_in(&files, &track_args(&["--as-of", "2026-03-31", "--by", "salesperson"]));
    assert_eq!((status, stdout.as_str()), (Some(1), ""));
    assert!(
        stderr.starts_with(
            "error[E0603]: the actuals have no `salesperson` column, so they cannot be tracked by salesperson\n"
        ),
        "{stderr}"
    );
}

#[test]
fn actuals_with_salespeople_but_no_region_are_tracked_by_the_company() {
    // Without the region a salesperson cannot be placed (names repeat
    // across regions in general), so the file is tracked as a whole, with
    // a warning.
    let sales = "date,salesperson,sales\n2026-02-01,Ann,1000\n2026-02-02,Cy,2000\n";
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", sales)];
    let all = track_args(&["--as-of", "2026-03-31", "--period", "2026-Q1", "--format", "csv"]);
    let (status, stdout, stderr) = run_in(&files, &all);
    assert_eq!(status, Some(0));
    assert_eq!(
        stderr,
        "warning[W0108]: the actuals have no `region` column, so their salesperson column cannot be placed and they are tracked by the company as a whole\n  \
         --> sales.csv\n  \
         = help: add a `region` column to track deeper\n"
    );
    let rows = csv_rows(&stdout);
    assert!(stdout.starts_with("period,"), "{stdout}");
    // February: 28 x 100 = 2,800 due, 3,000 sold.
    assert_eq!(column(&rows, "target"), ["3100.00", "2800.00", "3100.00"]);
    assert_eq!(column(&rows, "actual_to_date"), ["0.00", "3000.00", "0.00"]);
}

// ------------------------------------------------------------ --fail-below

#[test]
fn fail_below_exits_3_after_printing_the_report() {
    // Everything reported is at 7,230 / 7,400 = 97.70%.
    let files = [("plan.toml", HALVES), ("sales.csv", HALVES_SALES)];
    let (status, stdout, stderr) =
        run_in(&files, &track_args(&["--as-of", "2026-03-15", "--format", "csv", "--fail-below", "98%"]));
    assert_eq!(status, Some(3));
    assert_eq!(stderr, "salesplit: attainment to date is 97.7%, below the --fail-below threshold of 98%\n");
    assert_eq!(csv_rows(&stdout).len(), 8, "{stdout}");
    // 97%, 97.7% and 90% are not above it.
    for threshold in ["97%", "97.7%", "90%"] {
        track_with(&files, &["--as-of", "2026-03-15", "--format", "csv", "--fail-below", threshold]);
    }
}

#[test]
fn fail_below_any_catches_one_cell() {
    // The whole is at 97.70%, but East's Q1 is at 90%.
    let files = [("plan.toml", HALVES), ("sales.csv", HALVES_SALES)];
    track_with(&files, &["--as-of", "2026-03-15", "--format", "csv", "--fail-below", "95%"]);
    let all = track_args(&["--as-of", "2026-03-15", "--format", "csv", "--fail-below", "95%", "--fail-below-any"]);
    let (status, stdout, stderr) = run_in(&files, &all);
    assert_eq!(status, Some(3));
    assert_eq!(stderr, "salesplit: East / 2026-Q1 is at 90%, below the --fail-below threshold of 95%\n");
    assert!(stdout.starts_with(REPORT_HEADER), "{stdout}");
    // 90% is not below 90%; upcoming quarters (nothing due) do not count.
    track_with(&files, &["--as-of", "2026-03-15", "--format", "csv", "--fail-below", "90%", "--fail-below-any"]);
}

// ------------------------------------------------------- input robustness

#[test]
fn bom_crlf_quotes_thousands_column_order_times_and_transactions_give_the_same_report() {
    // Pre-aggregated: Ann 1,234.50 on Mar 2, Cy 2,000 on Mar 3, Bob 99.99 on Jan 31.
    let clean = "date,region,salesperson,sales\n\
2026-01-31,East,Bob,99.99\n\
2026-03-02,East,Ann,1234.50\n\
2026-03-03,West,Cy,2000\n";
    // The same sales as a transaction export: a BOM, CRLF line ends,
    // columns in another order, quoted fields, thousands separators,
    // times after the dates, several rows a day, rows out of date order.
    let messy = "\u{feff}sales,salesperson,date,region\r\n\
\"1,000.00\",Ann,2026-03-02 10:15:00,East\r\n\
500,\"Cy\",2026-03-03,\"West\"\r\n\
234.5,Ann,2026-03-02T18:00:00,East\r\n\
\"1,500\",Cy,2026-03-03 09:00:00,West\r\n\
99.99,Bob,2026/01/31,East\r\n";
    for format in ["csv", "json", "table"] {
        let args = ["--as-of", "2026-03-31", "--by", "region,salesperson,month", "--format", format];
        let files = |sales| [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", sales)];
        assert_eq!(track_with(&files(messy), &args), track_with(&files(clean), &args), "--format {format}");
    }
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", messy)];
    let rows = csv_rows(&track_with(
        &files,
        &["--as-of", "2026-03-31", "--by", "region,salesperson,month", "--period", "2026-03", "--format", "csv"],
    ));
    // Ann's March: 1,000 + 234.50 = 1,234.50 against 31 x 25 = 775.
    assert_eq!(rows[0]["salesperson"], "Ann");
    assert_eq!(rows[0]["target"], "775.00");
    assert_eq!(rows[0]["actual_to_date"], "1234.50");
    assert_eq!(rows[2]["actual_to_date"], "2000.00");
}

#[test]
fn track_output_is_deterministic() {
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", WITH_STRANGERS)];
    let args = track_args(&["--as-of", "2026-01-31", "--format", "json"]);
    let first = run_in(&files, &args);
    assert_eq!(run_in(&files, &args), first);
}

#[test]
fn options_that_only_make_sense_together_are_usage_errors() {
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", WITH_STRANGERS)];
    for extra in
        [&["--carry", "both"][..], &["--replan", "--fail-below", "90%"][..], &["--replan", "--tolerance", "5%"][..]]
    {
        let args = track_args(&[&["--as-of", "2026-01-31", "--format", "csv"][..], extra].concat());
        let (code, stdout, stderr) = run_in(&files, &args);
        assert_eq!(code, Some(2), "{extra:?}: {stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.contains("--replan"), "{extra:?}: {stderr}");
    }
}
