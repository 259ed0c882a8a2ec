//! Real calendars end to end, through the binary: working days under the
//! official Chinese 2026 calendar, US retail years, ISO weeks around New
//! Year, holds, special days, shop-hour slots and cron periods. Expected
//! figures are worked out by hand in the comments.

use crate::common::{column, csv_rows, dec, salesplit};

use rust_decimal::Decimal;

/// Runs `decompose` with `args` in `dir`, expecting success; returns stdout and stderr.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (String, String) {
    let out = salesplit().current_dir(dir).arg("decompose").args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "salesplit {args:?} failed: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

/// Runs `decompose` on the repository's files, expecting success and a quiet stderr.
fn run(args: &[&str]) -> String {
    let (out, err) = run_in(std::path::Path::new("."), args);
    assert_eq!(err, "", "salesplit {args:?}");
    out
}

/// A plan file in a fresh folder; returns the folder.
fn plan(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plan.toml"), text).unwrap();
    dir
}

#[test]
fn working_days_of_2026_under_the_official_chinese_calendar() {
    // Mon-Fri weekdays per month, less holidays on weekdays, plus worked
    // weekend days (调休): Jan 22-2+1 (Jan 4), Feb 20-6+2 (Feb 14, 28),
    // Mar 22, Apr 22-1, May 21-3+1 (May 9), Jun 22-1, Jul 23, Aug 21,
    // Sep 22-1+1 (Sep 20), Oct 22-5+1 (Oct 10), Nov 21, Dec 23: 248 days,
    // so 2,480,000 is exactly 10,000 a working day.
    let months = csv_rows(&run(&["examples/cn-workdays.toml", "--format", "csv"]));
    let days = [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23];
    let expected: Vec<String> = days.iter().map(|d| (d * 10_000).to_string()).collect();
    assert_eq!(column(&months, "sales"), expected);
    // A worked Saturday carries a day's target; a holiday Monday carries none.
    let feb = csv_rows(&run(&["examples/cn-workdays.toml", "--by", "day", "--period", "2026-02", "--format", "csv"]));
    let of = |d: &str| feb.iter().find(|r| r["period"] == d).unwrap()["sales"].clone();
    assert_eq!(of("2026-02-14"), "10000");
    assert_eq!(of("2026-02-16"), "0");
    assert_eq!(of("2026-02-21"), "0");
    assert_eq!(of("2026-02-28"), "10000");
}

#[test]
fn a_six_day_workweek_and_a_company_calendar() {
    let dir = plan(
        "[plan]\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 270_000\n[time]\nspread = \"workdays\"\n\
         workweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\nholidays = [\"our-days.csv\"]\n",
    );
    // The company closes on 2026-03-02 (Mon) and works Sunday 2026-03-08.
    std::fs::write(
        dir.path().join("our-days.csv"),
        "date,name,is_off_day\n2026-03-02,stocktake,true\n2026-03-08,fair,false\n",
    )
    .unwrap();
    let (out, err) = run_in(dir.path(), &["plan.toml", "--by", "month", "--format", "csv"]);
    assert_eq!(err, "");
    // Six-day weeks: January 2026 has 27 Mon-Sat days (31 less 4 Sundays),
    // March 26 (31 less 5 Sundays), -1 +1 for the company days.
    let months = csv_rows(&out);
    let days: [u64; 12] = [27, 24, 26, 26, 26, 26, 27, 26, 26, 27, 25, 27];
    assert_eq!(days.iter().sum::<u64>(), 313);
    for (row, d) in months.iter().zip(days) {
        // Each month is the floor or the ceiling of 270,000 x days / 313.
        let got: u64 = row["sales"].parse().unwrap();
        let floor = 270_000 * d / 313;
        assert!(got == floor || got == floor + 1, "{} got {got}, exact {floor}.x", row["period"]);
    }
    let march =
        csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "day", "--period", "2026-03", "--format", "csv"]).0);
    let of = |d: &str| march.iter().find(|r| r["period"] == d).unwrap()["sales"].clone();
    assert_eq!(of("2026-03-02"), "0");
    assert_ne!(of("2026-03-08"), "0");
    assert_ne!(of("2026-03-07"), "0"); // a Saturday, worked in a six-day week
    assert_eq!(of("2026-03-15"), "0"); // an ordinary Sunday
}

#[test]
fn us_retail_years_start_and_end_where_the_nrf_calendar_says() {
    // (fiscal year, first day, last day, weeks)
    let years = [
        (2023, "2023-01-29", "2024-02-03", 53),
        (2024, "2024-02-04", "2025-02-01", 52),
        (2025, "2025-02-02", "2026-01-31", 52),
        (2026, "2026-02-01", "2027-01-30", 52),
    ];
    for (year, first, last, weeks) in years {
        let dir = plan(&format!(
            "[plan]\nyear = {year}\nprecision = \"1\"\n[target]\nsales = 1_000_000\n[time]\ncalendar = \"4-5-4\"\nspread = \"days\"\n"
        ));
        let y = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "year", "--format", "csv"]).0);
        assert_eq!(column(&y, "period"), [format!("FY{year}")]);
        assert_eq!((y[0]["start"].as_str(), y[0]["end"].as_str()), (first, last), "FY{year}");
        let w = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "week", "--format", "csv"]).0);
        assert_eq!(w.len(), weeks, "FY{year}");
        assert_eq!(w[0]["period"], format!("FY{year}-W01"));
        let p = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "period", "--format", "csv"]).0);
        assert_eq!(p.len(), 12);
        assert_eq!(p[11]["period"], format!("FY{year}-P12"));
        assert_eq!(p[11]["end"], last);
        // 4-5-4: the last period has 4 weeks, 5 in a 53-week year.
        let last_days = (chrono::NaiveDate::parse_from_str(last, "%Y-%m-%d").unwrap()
            - chrono::NaiveDate::parse_from_str(&p[11]["start"], "%Y-%m-%d").unwrap())
        .num_days()
            + 1;
        assert_eq!(last_days, if weeks == 53 { 35 } else { 28 });
    }
    // The last Saturday of January instead: FY2024 ends 2025-01-25.
    let dir = plan(
        "[plan]\nyear = 2024\n[target]\nsales = 100\n[time]\ncalendar = \"4-4-5\"\nretail_year_end = \"last-sat-jan\"\n",
    );
    let y = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "year", "--format", "csv"]).0);
    assert_eq!((y[0]["start"].as_str(), y[0]["end"].as_str()), ("2024-01-28", "2025-01-25"));
}

#[test]
fn a_retail_year_shares_by_whole_weeks() {
    // 53,000,000 over 53 weeks of equal days: 1,000,000 a week, split
    // 5 : 3 : 2 by store; 4-4-5 periods of 4, 4, 5 weeks, P12 with 6.
    let periods = csv_rows(&run(&["examples/retail-445.toml", "--by", "period", "--format", "csv"]));
    let expected: Vec<String> =
        [4, 4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 6].iter().map(|w| (w * 1_000_000).to_string()).collect();
    assert_eq!(column(&periods, "sales"), expected);
    let stores = csv_rows(&run(&[
        "examples/retail-445.toml",
        "--by",
        "store,week",
        "--period",
        "FY2023-W53",
        "--format",
        "csv",
    ]));
    assert_eq!(column(&stores, "sales"), ["500000", "300000", "200000"]);
}

#[test]
fn iso_weeks_around_new_year() {
    // 2026-01-01 is a Thursday: ISO week 2026-W01 runs from Monday
    // 2025-12-29, so the plan's part of it is 1-4 January. 2026 has 53 ISO
    // weeks; W53 starts Monday 2026-12-28.
    let weeks = csv_rows(&run(&["examples/even-year.toml", "--by", "iso-week", "--format", "csv"]));
    assert_eq!(weeks.len(), 53);
    assert_eq!(
        (weeks[0]["period"].as_str(), weeks[0]["start"].as_str(), weeks[0]["end"].as_str()),
        ("2026-W01", "2026-01-01", "2026-01-04")
    );
    assert_eq!(
        (weeks[52]["period"].as_str(), weeks[52]["start"].as_str(), weeks[52]["end"].as_str()),
        ("2026-W53", "2026-12-28", "2026-12-31")
    );
    // Each ISO week is the sum of its days, and the weeks sum to the year.
    let days = csv_rows(&run(&["examples/even-year.toml", "--by", "day", "--format", "csv"]));
    let first: Decimal = days[..4].iter().map(|r| dec(&r["sales"])).sum();
    assert_eq!(dec(&weeks[0]["sales"]), first);
    let total: Decimal = weeks.iter().map(|r| dec(&r["sales"])).sum();
    assert_eq!(total, dec("10000000.00"));
    // In 2027, 1 January is a Friday and still in ISO week 2026-W53.
    let dir = plan("[plan]\nyear = 2027\n[target]\nsales = 365\n");
    let w = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "iso-week", "--format", "csv"]).0);
    assert_eq!((w[0]["period"].as_str(), w[0]["end"].as_str()), ("2026-W53", "2027-01-03"));
    assert_eq!((w[1]["period"].as_str(), w[1]["start"].as_str()), ("2027-W01", "2027-01-04"));
    let one =
        csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "iso-week", "--period", "2027-W01", "--format", "csv"]).0);
    assert_eq!(column(&one, "period"), ["2027-W01"]);
}

#[test]
fn holds_keep_their_amounts_and_the_rest_follows_the_weights() {
    // 10,000,000 even: February held at 500,000 leaves Q1 (2,333,333.33…)
    // minus 500,000 for January and March; Q4 held at 3,000,000 leaves
    // 7,000,000 for three equal quarters.
    let text = "[plan]\nyear = 2026\n[target]\nsales = 10_000_000\n[time]\nspread = \"even\"\n\
                [time.fixed]\n\"2026-02\" = 500_000\n\"2026-Q4\" = 3_000_000\n";
    let dir = plan(text);
    let q = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "quarter", "--format", "csv"]).0);
    assert_eq!(column(&q, "sales"), ["2333333.34", "2333333.33", "2333333.33", "3000000.00"]);
    let m = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "month", "--format", "csv"]).0);
    assert_eq!(m[1]["sales"], "500000.00");
    // January and March share 1,833,333.34 equally.
    assert_eq!(dec(&m[0]["sales"]) + dec(&m[2]["sales"]), dec("1833333.34"));
    // With regions 1 : 2, each region's February is its exact share of the
    // hold and the regions' Februaries add up to the hold exactly.
    let split = format!("{text}[[split]]\nby = \"region\"\nweights = {{ A = 1, B = 2 }}\n");
    let dir = plan(&split);
    let (out, err) = run_in(dir.path(), &["plan.toml", "--by", "region,month", "--format", "csv"]);
    assert_eq!(err, "");
    let feb: Vec<Decimal> =
        csv_rows(&out).iter().filter(|r| r["period"] == "2026-02").map(|r| dec(&r["sales"])).collect();
    assert_eq!(feb.iter().sum::<Decimal>(), dec("500000.00"));
    assert!(feb[0] == dec("166666.67") || feb[0] == dec("166666.66"), "{feb:?}");
    let company = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "month", "--format", "csv"]).0);
    assert_eq!(company[1]["sales"], "500000.00");
}

#[test]
fn special_days_and_slots_shape_a_shops_day() {
    let days = csv_rows(&run(&["examples/shop-hours.toml", "--period", "2026-11", "--format", "csv"]));
    let of = |d: &str| dec(&days.iter().find(|r| r["period"] == d).unwrap()["sales"]);
    // Double Eleven (a Wednesday) weighs 5 against an ordinary Wednesday's 1.
    let ratio = of("2026-11-11") / of("2026-11-04");
    assert!(ratio > dec("4.99") && ratio < dec("5.01"), "{ratio}");
    let closed = csv_rows(&run(&["examples/shop-hours.toml", "--period", "2026-02-16", "--format", "csv"]));
    assert_eq!(column(&closed, "sales"), ["0"]);
    // December is held at 400,000.
    let months = csv_rows(&run(&["examples/shop-hours.toml", "--by", "month", "--format", "csv"]));
    assert_eq!(months[11]["sales"], "400000");
    // Slots split each day 10 / 30 / 30 / 30 and add up to it.
    let slots =
        csv_rows(&run(&["examples/shop-hours.toml", "--by", "slot", "--period", "2026-11-11", "--format", "csv"]));
    assert_eq!(
        column(&slots, "period"),
        ["2026-11-11 open-10:00", "2026-11-11 10:00-14:00", "2026-11-11 14:00-16:00", "2026-11-11 16:00-close"]
    );
    let sum: Decimal = slots.iter().map(|r| dec(&r["sales"])).sum();
    assert_eq!(sum, of("2026-11-11"));
    let first = dec(&slots[0]["sales"]);
    assert!((first * dec("10") - sum).abs() <= dec("10"), "{first} of {sum}");
}

#[test]
fn cron_periods_follow_today() {
    let month = |args: &[&str]| column(&csv_rows(&run(args)), "period");
    let base = ["examples/even-year.toml", "--format", "csv", "--today", "2026-03-15"];
    let with = |extra: &[&str]| -> Vec<String> { month(&[&base[..], extra].concat()) };
    assert_eq!(with(&["--by", "month", "--period", "this-month"]), ["2026-03"]);
    assert_eq!(with(&["--by", "month", "--period", "next-month"]), ["2026-04"]);
    assert_eq!(with(&["--by", "quarter", "--period", "this-quarter"]), ["2026-Q1"]);
    assert_eq!(with(&["--by", "quarter", "--period", "next-quarter"]), ["2026-Q2"]);
    assert_eq!(with(&["--by", "day", "--period", "today"]), ["2026-03-15"]);
    assert_eq!(with(&["--by", "day", "--period", "tomorrow"]), ["2026-03-16"]);
    // 2026-03-15 is a Sunday: its in-month week (from Monday) is 03-09..03-15.
    assert_eq!(with(&["--by", "week", "--period", "this-week"]), ["2026-03-W3"]);
    assert_eq!(with(&["--by", "week", "--period", "next-week"]), ["2026-03-W4"]);
    assert_eq!(with(&["--by", "iso-week", "--period", "this-week"]), ["2026-W11"]);
    // On Christmas, next month's targets come from next year's plan.
    let christmas = ["examples/even-year.toml", "--format", "csv", "--today", "2025-12-25"];
    assert_eq!(month(&[&christmas[..], &["--by", "month", "--period", "next-month"]].concat()), ["2026-01"]);
    // On a fiscal plan from April, 2026-03-15 is not in FY2026.
    let out = salesplit()
        .args([
            "decompose",
            "examples/fiscal.toml",
            "--period",
            "this-month",
            "--by",
            "month",
            "--today",
            "2027-03-15",
            "-f",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(column(&csv_rows(&String::from_utf8(out.stdout).unwrap()), "period"), ["2027-03"]);
}

#[test]
fn a_fiscal_year_labelled_by_its_end() {
    let dir = plan("[plan]\nyear = 2026\nstart = \"2025-10-01\"\nfy_label = \"end\"\n[target]\nsales = 4_000\n");
    let q = csv_rows(&run_in(dir.path(), &["plan.toml", "--by", "quarter", "--format", "csv"]).0);
    assert_eq!(column(&q, "period"), ["FY2026-Q1", "FY2026-Q2", "FY2026-Q3", "FY2026-Q4"]);
    assert_eq!((q[0]["start"].as_str(), q[3]["end"].as_str()), ("2025-10-01", "2026-09-30"));
}
