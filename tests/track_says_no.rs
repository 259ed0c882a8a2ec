//! `salesplit track` and `salesplit explain` say no, and tell the truth
//! (issue 11): the one metric track compares, `(unplanned)` sales in the
//! re-plan, the as-of date, `explain --cell`, relative weeks, usage errors,
//! percentages on flags, plans of levels only. Through the real binary;
//! every error is asserted in full with its exit code.

use crate::common;

use crate::common::{column, csv_rows, dec, fails_with, lines, run_in};

use rust_decimal::Decimal;

/// Runs `args` over `files`: must succeed; returns stdout and stderr.
#[track_caller]
fn ok(files: &[(&str, &str)], args: &[&str]) -> (String, String) {
    let (status, stdout, stderr) = run_in(files, args);
    assert_eq!(status, Some(0), "salesplit {args:?} failed: {stderr}");
    (stdout, stderr)
}

// ------------------------------------------------------- the metric compared

/// A count written before the amount: 120 deals and 1,200,000.00 sales a
/// year, two equal regions, by quarter.
const COUNT_FIRST: &str = r#"[plan]
name = "count first"
currency = "CNY"
year = 2026
precision = "0.01"

[target.deals]
kind = "count"
total = 120

[target.sales]
total = 1_200_000

[time]
spread = "even"
level = "quarter"

[[split]]
by = "region"
weights = { N = 1, S = 1 }
"#;

const COUNT_FIRST_SALES: &str = "date,region,deals,sales\n2026-01-05,N,3,50000\n2026-02-05,S,4,60000\n";

#[test]
fn a_count_written_first_does_not_hide_the_amount_track_compares() {
    // The only amount is sales: N's Q1 target is 1,200,000 / 2 / 4 = 150,000.00
    // and its actual the 50,000 of the sales column (not the 3 deals).
    let (out, _) = ok(
        &[("plan.toml", COUNT_FIRST), ("sales.csv", COUNT_FIRST_SALES)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-31", "--format", "csv"],
    );
    let rows = csv_rows(&out);
    assert_eq!(rows[0]["target"], "150000.00");
    assert_eq!(rows[0]["actual_to_date"], "50000.00");
    assert_eq!(rows[4]["actual_to_date"], "60000.00");
}

#[test]
fn metric_chooses_the_count_and_its_whole_units() {
    // 120 deals / 2 regions / 4 quarters = 15 a quarter; N sold 3, S 4.
    let (out, _) = ok(
        &[("plan.toml", COUNT_FIRST), ("sales.csv", COUNT_FIRST_SALES)],
        &[
            "track",
            "plan.toml",
            "--actuals",
            "sales.csv",
            "--as-of",
            "2026-03-31",
            "--format",
            "csv",
            "--metric",
            "deals",
        ],
    );
    let rows = csv_rows(&out);
    assert_eq!(column(&rows, "target"), ["15"; 8]);
    assert_eq!(rows[0]["actual_to_date"], "3");
    assert_eq!(rows[4]["actual_to_date"], "4");
    assert_eq!(rows[4]["attainment"], "0.2667");
}

#[test]
fn an_unknown_metric_lists_the_plan_s_metrics() {
    fails_with(
        1,
        &[("plan.toml", COUNT_FIRST), ("sales.csv", COUNT_FIRST_SALES)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--metric", "deal"],
        &lines(&[
            "error[E0809]: --metric `deal` is not a metric of this plan",
            " = help: did you mean `--metric deals`? The plan's metrics are: deals, sales",
        ]),
    );
}

#[test]
fn two_amounts_without_metric_are_ambiguous() {
    let plan =
        COUNT_FIRST.replace("[target.deals]\nkind = \"count\"\ntotal = 120\n", "[target.margin]\ntotal = 300_000\n");
    fails_with(
        1,
        &[("plan.toml", &plan), ("sales.csv", COUNT_FIRST_SALES)],
        &["track", "plan.toml", "--actuals", "sales.csv"],
        &lines(&[
            "error[E0811]: this plan has 2 amounts (margin, sales), and track compares one of them with the actuals",
            "   --> plan.toml:10:9",
            "   |",
            "10 | [target.sales]",
            "   |         ^^^^^^",
            "   = help: say which: --metric margin or --metric sales, or `metric = \"margin\"` in [track]",
        ]),
    );
}

#[test]
fn the_track_table_may_name_the_metric_and_the_flag_wins() {
    let plan = format!("{COUNT_FIRST}\n[track]\nmetric = \"deals\"\n");
    let files = [("plan.toml", plan.as_str()), ("sales.csv", COUNT_FIRST_SALES)];
    let base = ["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-31", "--format", "csv"];
    let (out, _) = ok(&files, &base);
    assert_eq!(csv_rows(&out)[0]["target"], "15");
    let (out, _) = ok(&files, &[&base[..], &["--metric", "sales"]].concat());
    assert_eq!(csv_rows(&out)[0]["target"], "150000.00");
}

#[test]
fn an_unknown_metric_in_the_track_table_is_refused_where_it_is_written() {
    let plan = format!("{COUNT_FIRST}\n[track]\nmetric = \"deal\"\n");
    for command in ["validate", "decompose"] {
        fails_with(
            1,
            &[("plan.toml", &plan)],
            &[command, "plan.toml"],
            &lines(&[
                "error[E0110]: [track] metric `deal` is not a metric of this plan",
                "   --> plan.toml:23:10",
                "   |",
                "23 | metric = \"deal\"",
                "   |          ^^^^^^",
                "   = help: did you mean `metric = \"deals\"`? The plan's metrics are: deals, sales",
            ]),
        );
    }
}

// ------------------------------------------------------------ levels only

const LEVELS_ONLY: &str = r#"[plan]
name = "levels"
year = 2026

[target.share]
kind = "level"
value = "5%"

[[split]]
by = "region"
weights = { East = 1, West = 0 }
"#;

#[test]
fn a_plan_of_levels_only_has_nothing_to_track() {
    fails_with(
        1,
        &[("plan.toml", LEVELS_ONLY), ("sales.csv", "date,region,share\n2026-01-05,East,3\n")],
        &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-31"],
        &lines(&[
            "error[E0703]: this plan has nothing to track: `share` is a level, not shared down the plan, so no member has a target that sales add up to",
            "  --> plan.toml:5:9",
            "  |",
            "5 | [target.share]",
            "  |         ^^^^^^",
            "  = help: track compares actual sales with an amount or a count: add one to [target], e.g. `sales = 1_000_000`",
        ]),
    );
}

#[test]
fn a_level_named_by_metric_is_refused() {
    let plan = format!("{COUNT_FIRST}\n[target.share]\nkind = \"level\"\nvalue = \"5%\"\n")
        .replace("\n[time]", "\n[target.share]\nkind = \"level\"\nvalue = \"5%\"\n\n[time]");
    let plan = plan[..plan.rfind("\n[target.share]").unwrap()].to_string();
    fails_with(
        1,
        &[("plan.toml", &plan), ("sales.csv", COUNT_FIRST_SALES)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--metric", "share"],
        &lines(&[
            "error[E0810]: --metric `share` is a level: it is not shared, so no member has a target that sales add up to",
            " = help: track an amount or a count: --metric deals or --metric sales",
        ]),
    );
}

// ---------------------------------------------------------- usage errors

/// The plan the usage and flag tests run on.
const TWO_REGIONS: &str = r#"[plan]
name = "two regions"
currency = "CNY"
year = 2026
precision = "0.01"

[target]
sales = 1_200_000

[time]
level = "quarter"

[[split]]
by = "region"
weights = { N = 1, S = 1 }
"#;

const TWO_SALES: &str = "date,region,sales\n2026-01-05,N,50000\n2026-02-05,S,60000\n";

/// A usage error of `args`: exit 2, `first` lines of message, then the usage.
#[track_caller]
fn usage_error(args: &[&str], message: &[&str], usage: &str) {
    let mut expected: Vec<&str> = message.to_vec();
    expected.extend(["", usage, "", "For more information, try '--help'."]);
    fails_with(2, &[("plan.toml", TWO_REGIONS), ("sales.csv", TWO_SALES)], args, &lines(&expected));
}

const TRACK_USAGE: &str = "Usage: salesplit track [OPTIONS] --actuals <FILE> <PLAN>";

#[test]
fn options_that_do_not_go_together_end_with_the_subcommand_s_usage() {
    usage_error(
        &["track", "plan.toml", "--actuals", "sales.csv", "--format", "csv", "--unit", "万"],
        &["error: --unit shapes the terminal table; CSV, JSON and xlsx always keep one row per cell and exact figures"],
        TRACK_USAGE,
    );
    usage_error(
        &["decompose", "plan.toml", "--format", "xlsx"],
        &["error: --format xlsx writes a workbook file: add --output FILE.xlsx"],
        "Usage: salesplit decompose [OPTIONS] <PLAN>",
    );
    // An extension that names another format than --format: CSV would land
    // in a file every program opens as a workbook.
    usage_error(
        &["decompose", "plan.toml", "--format", "csv", "--output", "x.xlsx"],
        &["error: --format csv contradicts --output x.xlsx, whose extension means xlsx: drop --format (the extension chooses), or name the file x.csv"],
        "Usage: salesplit decompose [OPTIONS] <PLAN>",
    );
    usage_error(
        &["track", "plan.toml", "--actuals", "sales.csv", "--format", "table", "--output", "report.JSON"],
        &["error: --format table contradicts --output report.JSON, whose extension means json: drop --format (the extension chooses), or name the file report.txt"],
        TRACK_USAGE,
    );
}

#[test]
fn without_format_the_output_file_s_extension_chooses_it() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), TWO_REGIONS).unwrap();
    std::fs::write(dir.path().join("sales.csv"), TWO_SALES).unwrap();
    let run = |args: &[&str]| {
        let out = crate::common::salesplit().current_dir(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    run(&["decompose", "plan.toml", "--output", "plan.csv"]);
    assert!(read("plan.csv").starts_with(b"region,period,start,end,sales\n"));
    run(&["decompose", "plan.toml", "--output", "plan.Json"]);
    assert!(read("plan.Json").starts_with(b"{\"plan\": \"two regions\""));
    run(&["decompose", "plan.toml", "--output", "plan.jsonl"]);
    assert!(read("plan.jsonl").starts_with(b"{\"region\": \"N\""));
    run(&["decompose", "plan.toml", "--output", "plan.xlsx"]);
    assert!(read("plan.xlsx").starts_with(b"PK\x03\x04"), "a workbook is a zip archive");
    // --excel needs CSV, which the extension gives.
    run(&["decompose", "plan.toml", "--excel", "--output", "excel.csv"]);
    assert!(read("excel.csv").starts_with("\u{feff}region,".as_bytes()));
    // Table for .txt (any text: CSV and JSON too) and any extension that names no format, as before.
    run(&["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-31", "--output", "report.txt"]);
    run(&["decompose", "plan.toml", "--output", "plan.out"]);
    for table in ["report.txt", "plan.out"] {
        assert!(String::from_utf8(read(table)).unwrap().contains("Total"), "{table} is a table");
    }
    // A --format that agrees with the extension is fine.
    run(&["decompose", "plan.toml", "--format", "csv", "--output", "same.CSV"]);
    assert_eq!(read("same.CSV"), read("plan.csv"));
    run(&["decompose", "plan.toml", "--format", "csv", "--output", "plan.txt"]);
    assert_eq!(read("plan.txt"), read("plan.csv"), "--format says what a .txt holds");
}

#[test]
fn an_invalid_value_ends_with_the_subcommand_s_usage() {
    usage_error(
        &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-13-01"],
        &["error: invalid value '2026-13-01' for '--as-of <YYYY-MM-DD>': it is not a date (there is no month 13; months run from 01 to 12)"],
        TRACK_USAGE,
    );
    usage_error(
        &["init", "--template", "x"],
        &["error: invalid value 'x' for '--template <TEMPLATE>'", "  [possible values: company, shop, team]"],
        "Usage: salesplit init [OPTIONS] [FILE]",
    );
    usage_error(
        &["explain", "plan.toml", "--cell", "period=2026", "--format", "xml"],
        &["error: invalid value 'xml' for '--format <FORMAT>'", "  [possible values: table, json]"],
        "Usage: salesplit explain [OPTIONS] --cell <CELL> <PLAN>",
    );
}

#[test]
fn a_missing_argument_ends_with_the_subcommand_s_usage() {
    usage_error(
        &["validate"],
        &["error: the following required arguments were not provided:", "  <PLAN>"],
        "Usage: salesplit validate <PLAN>",
    );
    usage_error(
        &["completions"],
        &["error: the following required arguments were not provided:", "  <SHELL>"],
        "Usage: salesplit completions <SHELL>",
    );
    usage_error(
        &["track", "plan.toml"],
        &["error: the following required arguments were not provided:", "  --actuals <FILE>"],
        "Usage: salesplit track --actuals <FILE> <PLAN>",
    );
}

// ------------------------------------------------------ percentages on flags

#[test]
fn a_fraction_where_a_percentage_is_expected_is_refused() {
    usage_error(
        &["track", "plan.toml", "--actuals", "sales.csv", "--fail-below", "0.9"],
        &[
            "error: invalid value '0.9' for '--fail-below <PERCENT>': 0.9 is a bare number: a percentage is written with %",
            "  help: write 90% (0.9 as a fraction), or 0.9% if you mean 0.9 percent",
        ],
        TRACK_USAGE,
    );
    usage_error(
        &["track", "plan.toml", "--actuals", "sales.csv", "--tolerance", "0.05"],
        &[
            "error: invalid value '0.05' for '--tolerance <PERCENT>': 0.05 is a bare number: a percentage is written with %",
            "  help: write 5% (0.05 as a fraction), or 0.05% if you mean 0.05 percent",
        ],
        TRACK_USAGE,
    );
}

#[test]
fn a_bare_whole_number_is_refused_too() {
    usage_error(
        &["track", "plan.toml", "--actuals", "sales.csv", "--fail-below", "90"],
        &["error: invalid value '90' for '--fail-below <PERCENT>': 90 is a bare number: a percentage is written with %", "  help: write 90%"],
        TRACK_USAGE,
    );
    usage_error(
        &["track", "plan.toml", "--actuals", "sales.csv", "--tolerance", "100%"],
        &[
            "error: invalid value '100%' for '--tolerance <PERCENT>': the tolerance must be from 0% to under 100%",
            "  help: write the band around 100% that counts as on track, e.g. 5%",
        ],
        TRACK_USAGE,
    );
}

/// `track` of the two regions' sales as of 2026-03-31 as CSV, with `more`
/// flags: the exit code and stderr.
fn track_two_regions(more: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-31", "--format", "csv"];
    args.extend_from_slice(more);
    let (status, _, stderr) = run_in(&[("plan.toml", TWO_REGIONS), ("sales.csv", TWO_SALES)], &args);
    (status, stderr)
}

#[test]
fn a_percentage_with_its_sign_is_read_as_written() {
    // N sold 50,000 of the 150,000 due in Q1 (33.33%), S 60,000 (40%): 36.67% in all.
    let (status, stderr) = track_two_regions(&["--fail-below", "36.7%"]);
    assert_eq!(stderr, "salesplit: attainment to date is 36.67%, below the --fail-below threshold of 36.7%\n");
    assert_eq!(status, Some(3));
    let (status, stderr) = track_two_regions(&["--fail-below", "36.6%"]);
    assert_eq!(stderr, "");
    assert_eq!(status, Some(0));
}

#[test]
fn fail_below_shows_a_member_name_escaped() {
    let plan = TWO_REGIONS.replace("N = 1", "\"N\\u001b[31m\" = 1");
    let sales = "date,region,sales\n2026-01-05,\"N\u{1b}[31m\",50000\n2026-02-05,S,60000\n";
    let (status, _, stderr) = run_in(
        &[("plan.toml", &plan), ("sales.csv", sales)],
        &[
            "track",
            "plan.toml",
            "--actuals",
            "sales.csv",
            "--as-of",
            "2026-03-31",
            "--format",
            "csv",
            "--by",
            "region,quarter",
            "--fail-below",
            "35%",
            "--fail-below-any",
        ],
    );
    assert_eq!(stderr, "salesplit: N\\u{1b}[31m / 2026-Q1 is at 33.33%, below the --fail-below threshold of 35%\n");
    assert_eq!(status, Some(3));
}

// ------------------------------------------------------------------ as-of

#[test]
fn today_past_the_last_actual_date_is_warned_about() {
    // --today pins the local date that a missing --as-of stands for.
    let (out, err) = ok(
        &[("plan.toml", TWO_REGIONS), ("sales.csv", TWO_SALES)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--today", "2026-12-03", "--format", "csv"],
    );
    assert_eq!(
        err,
        lines(&[
            "warning[W0112]: no --as-of, so the as-of date is today, 2026-12-03, but the actuals end 2026-02-05, 301 days before it, so the days after 2026-02-05 count as days without a sale",
            "  --> sales.csv",
            "  = help: pass --as-of 2026-02-05 to track up to the last day the actuals cover, or --as-of 2026-12-03 if nothing was sold since",
        ])
    );
    // The report is still today's: everything up to 3 December is due.
    assert_eq!(csv_rows(&out)[3]["status"], "behind");
}

#[test]
fn no_warning_when_the_as_of_date_is_given_or_the_actuals_reach_today() {
    let files = [("plan.toml", TWO_REGIONS), ("sales.csv", TWO_SALES)];
    let (_, err) = ok(
        &files,
        &[
            "track",
            "plan.toml",
            "--actuals",
            "sales.csv",
            "--today",
            "2026-12-03",
            "--as-of",
            "2026-12-03",
            "--format",
            "csv",
        ],
    );
    assert_eq!(err, "");
    let (_, err) =
        ok(&files, &["track", "plan.toml", "--actuals", "sales.csv", "--today", "2026-02-05", "--format", "csv"]);
    assert_eq!(err, "");
    // After the plan year the actuals need only reach its last day.
    let sales = format!("{TWO_SALES}2026-12-31,N,1\n");
    let (_, err) = ok(
        &[("plan.toml", TWO_REGIONS), ("sales.csv", &sales)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--today", "2027-01-15", "--format", "csv"],
    );
    assert_eq!(err, "");
}

#[test]
fn every_track_and_replan_title_shows_the_as_of_date() {
    let files = [("plan.toml", TWO_REGIONS), ("sales.csv", TWO_SALES)];
    let base = ["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-03-31"];
    let (report, _) = ok(&files, &base);
    assert_eq!(report.lines().next().unwrap(), "two regions — sales (CNY), by region × quarter, as of 2026-03-31");
    let (replan, _) = ok(&files, &[&base[..], &["--replan"]].concat());
    assert_eq!(
        replan.lines().next().unwrap(),
        "two regions — sales (CNY), by region × quarter, re-planned after 2026-03-31"
    );
    let (json, _) = ok(&files, &[&base[..], &["--format", "json"]].concat());
    assert!(json.starts_with(r#"{"plan": "two regions", "currency": "CNY", "year": 2026, "precision": "0.01", "as_of": "2026-03-31", "metrics": ["sales"],"#), "{json}");
    let (json, _) = ok(&files, &[&base[..], &["--format", "json", "--replan"]].concat());
    assert!(json.contains(r#""precision": "0.01", "as_of": "2026-03-31", "replan": true, "metrics""#), "{json}");
    // decompose has no as-of date.
    let (plain, _) = ok(&files, &["decompose", "plan.toml", "--format", "json"]);
    assert!(!plain.contains("as_of"), "{plain}");
}

#[test]
fn the_workbook_title_row_shows_the_as_of_date() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), TWO_REGIONS).unwrap();
    std::fs::write(dir.path().join("sales.csv"), TWO_SALES).unwrap();
    for (more, words) in [(&[][..], "as of 2026-03-31"), (&["--replan"][..], "re-planned after 2026-03-31")] {
        let mut args = vec![
            "track",
            "plan.toml",
            "--actuals",
            "sales.csv",
            "--as-of",
            "2026-03-31",
            "--format",
            "xlsx",
            "--output",
            "out.xlsx",
        ];
        args.extend(more);
        let out = common::salesplit().current_dir(dir.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let mut book: Xlsx<_> = open_workbook(dir.path().join("out.xlsx")).unwrap();
        let summary = book.worksheet_range("Summary").unwrap();
        let title = summary.get_value((0, 0)).unwrap().to_string();
        assert_eq!(title, format!("two regions (CNY), by region × quarter, {words}"));
    }
}

// ----------------------------------------------- (unplanned) in the re-plan

use crate::track::{REPS, WITH_REPS};

/// Sums a CSV column per value of `by`, in order of first appearance.
fn sums(csv: &str, by: &str, column: &str) -> Vec<(String, Decimal)> {
    let mut out: Vec<(String, Decimal)> = Vec::new();
    for row in csv_rows(csv) {
        let value = dec(&row[column]);
        match out.iter_mut().find(|(k, _)| *k == row[by]) {
            Some((_, sum)) => *sum += value,
            None => out.push((row[by].clone(), value)),
        }
    }
    out
}

#[test]
fn a_region_s_replanned_targets_sum_to_the_report_s_remaining() {
    // Ann sells 100 and Cy 40 in January; Zed, no salesperson of East, sells
    // 7.51 (and returns 0.01): East has sold 107.50 of its 18,250, so
    // 18,142.50 is left, in the report and in the re-plan.
    let sales = "date,region,salesperson,sales\n\
2026-01-05,East,Ann,100\n\
2026-01-06,East,Zed,7.51\n\
2026-01-09,East,Zed,-0.01\n\
2026-01-08,West,Cy,40\n";
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", sales)];
    let base = ["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-01-31", "--format", "csv"];
    let (report, _) = ok(&files, &[&base[..], &["--by", "region,year"]].concat());
    let remaining: Vec<(String, String)> =
        csv_rows(&report).iter().map(|r| (r["region"].clone(), r["remaining"].clone())).collect();
    assert_eq!(remaining, [("East".to_string(), "18142.50".to_string()), ("West".to_string(), "18210.00".to_string())]);
    for by in ["region,month", "region,salesperson,month", "region,salesperson,day"] {
        let (replan, _) = ok(&files, &[&base[..], &["--replan", "--by", by]].concat());
        assert_eq!(
            sums(&replan, "region", "sales"),
            [("East".to_string(), dec("18142.50")), ("West".to_string(), dec("18210.00"))],
            "--by {by}"
        );
    }
    // Zed's 7.50 is shared by Ann and Bob by their targets (equal): 3.75 each.
    let (replan, _) = ok(&files, &[&base[..], &["--replan", "--by", "salesperson,year"]].concat());
    assert_eq!(
        sums(&replan, "salesperson", "sales"),
        [("Ann".to_string(), dec("9021.25")), ("Bob".to_string(), dec("9121.25")), ("Cy".to_string(), dec("18210.00"))]
    );
}

#[test]
fn sales_of_an_unknown_region_count_toward_the_company() {
    // North is no region: its 3.65 counts toward the company, so the re-plan's
    // total is the report's remaining, 36,500 - 3.65 = 36,496.35; shared by
    // the yearly targets 9,125 : 9,125 : 18,250, Ann and Bob each carry
    // 0.91 and Cy 1.83 (the leftover cent to the largest remainder, Cy's).
    let sales = "date,region,salesperson,sales\n2026-01-07,North,Ann,3.65\n";
    let files = [("plan.toml", WITH_REPS), ("reps.csv", REPS), ("sales.csv", sales)];
    let base = ["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-01-31", "--format", "csv"];
    let (report, _) = ok(&files, &[&base[..], &["--by", "year"]].concat());
    assert_eq!(csv_rows(&report)[0]["remaining"], "36496.35");
    let (replan, _) = ok(&files, &[&base[..], &["--replan", "--by", "salesperson,year"]].concat());
    assert_eq!(
        sums(&replan, "salesperson", "sales"),
        [("Ann".to_string(), dec("9124.09")), ("Bob".to_string(), dec("9124.09")), ("Cy".to_string(), dec("18248.17"))]
    );
}

// ------------------------------------------------------- explain --cell

/// Two regions, and salespeople whose names hold a comma and a quote.
const NAMES: &str = r#"[plan]
name = "names"
year = 2026
precision = "1"

[target]
sales = 1200

[[split]]
by = "region"
weights = { East = 1, West = 1 }

[[split]]
by = "rep"
weights = { "Smith, John" = 1, "Li \"Big\" Wei" = 2 }
[split.within.West]
weights = { Ann = 1 }
"#;

fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["explain", "plan.toml"];
    all.extend(args);
    run_in(&[("plan.toml", NAMES)], &all)
}

#[test]
fn explain_accepts_the_cell_it_suggests() {
    // East's year is the sum of two reps: explain suggests one with every split named.
    let (code, out, err) = explain(&["--cell", "East"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("sales for region East, period 2026: 600\n"), "{out}");
    let (code, out, _) = explain(&["--cell", "region=East,period=2026-03"]);
    assert_eq!(code, Some(0));
    let suggestion = out.lines().last().unwrap();
    assert_eq!(
        suggestion,
        r#"Explain one of them with every split named, e.g. --cell 'region=East,rep="Smith, John",period=2026-03'"#
    );
    // ... and that cell, as suggested, is read back: Smith's March is the
    // floor or the ceiling of his 200 a year over 12 months, 16.67.
    let (code, out, err) = explain(&["--cell", r#"region=East,rep="Smith, John",period=2026-03"#]);
    assert_eq!(code, Some(0), "{err}");
    let first = out.lines().next().unwrap();
    assert!(
        ["16", "17"]
            .map(|f| format!("sales for region East, rep Smith, John, period 2026-03: {f}"))
            .contains(&first.to_string()),
        "{out}"
    );
}

#[test]
fn a_member_with_a_comma_is_reached_quoted_whole_or_by_repeated_cells() {
    let expected = "sales for region East, rep Smith, John, period 2026: 200\n";
    for args in [
        &["--cell", r#"East,"Smith, John""#][..],
        &["--cell", "Smith, John", "--cell", "region=East"],
        &["--cell", "rep=Smith, John", "--cell", "East"],
        &["--cell", "East", "--cell", "rep=Smith, John"],
        &["--cell", r#"rep="Li ""Big"" Wei",region=East"#],
    ] {
        let (code, out, err) = explain(args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        let want = if args[1].contains("Big") {
            "sales for region East, rep Li \"Big\" Wei, period 2026: 400\n"
        } else {
            expected
        };
        assert!(out.starts_with(want), "{args:?}: {out}");
    }
}

#[test]
fn explain_says_which_members_a_name_could_mean() {
    let (code, out, err) = explain(&["--cell", "smith"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        lines(&[
            "error[E0807]: --cell `smith` is not a member of any split, nor a period of this plan",
            " = help: did you mean `rep=Smith, John`?",
        ])
    );
    let (code, _, err) = explain(&["--cell", "Bob"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        lines(&[
            "error[E0807]: --cell `Bob` is not a member of any split, nor a period of this plan",
            r#" = help: the members are region: East, West; rep: Smith, John, Li "Big" Wei, Ann"#,
        ])
    );
    let (code, _, err) = explain(&["--cell", r#"rep="Smith, John"#]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        lines(&[
            r#"error[E0806]: --cell `rep="Smith, John` opens a double quote that it does not close"#,
            r#" = help: close the quoted value, e.g. --cell 'salesperson="Smith, John"' (a quote inside it is written "")"#,
        ])
    );
}

#[test]
fn explain_names_the_known_path_as_track_does() {
    // Ann is West's: under East she is not in the plan, and the help says where she is.
    let (code, _, err) = explain(&["--cell", "region=East,rep=Ann"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        lines(&[
            "error[E0807]: rep `Ann` is not in the plan under region `East`",
            " = help: in the plan, rep `Ann` is under region `West`: e.g. --cell 'region=West,rep=Ann'",
        ])
    );
}

// ------------------------------------------------------- relative weeks

/// 36,500 a year by days: 100 a day; weeks from Monday, cut at month ends.
const BY_DAYS: &str = r#"[plan]
name = "days"
year = 2026
precision = "1"

[target]
sales = 36500

[time]
spread = "days"
level = "week"
"#;

#[test]
fn next_week_is_a_whole_week_across_a_month_end() {
    // Sunday 2026-03-29: next week is Monday 30 March to Sunday 5 April.
    let files = [("plan.toml", BY_DAYS)];
    let (out, _) = ok(
        &files,
        &["decompose", "plan.toml", "--period", "next-week", "--today", "2026-03-29", "--by", "day", "--format", "csv"],
    );
    let rows = csv_rows(&out);
    assert_eq!(
        column(&rows, "period"),
        ["2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05"]
    );
    let (out, _) =
        ok(&files, &["decompose", "plan.toml", "--period", "next-week", "--today", "2026-03-29", "--format", "csv"]);
    assert_eq!(
        out,
        lines(&[
            "period,start,end,sales",
            "2026-03-W6,2026-03-30,2026-03-31,200",
            "2026-04-W1,2026-04-01,2026-04-05,500"
        ])
    );
    // this-week on Wednesday 1 April is the same week.
    let (same, _) =
        ok(&files, &["decompose", "plan.toml", "--period", "this-week", "--today", "2026-04-01", "--format", "csv"]);
    assert_eq!(same, out);
    // A week no month end cuts is the tree's week.
    let (out, _) =
        ok(&files, &["decompose", "plan.toml", "--period", "this-week", "--today", "2026-03-10", "--format", "csv"]);
    assert_eq!(out, lines(&["period,start,end,sales", "2026-03-W3,2026-03-09,2026-03-15,700"]));
}

#[test]
fn a_whole_week_is_named_by_its_dates_in_messages() {
    fails_with(
        1,
        &[("plan.toml", BY_DAYS)],
        &["decompose", "plan.toml", "--period", "next-week", "--today", "2026-03-29", "--by", "month"],
        &lines(&[
            "error[E0804]: --period next-week is a week (2026-03-30 to 2026-04-05), finer than the breakdown's month level",
            " = help: ask for weeks with --by week, or for --period this-month",
        ]),
    );
}

#[test]
fn track_takes_the_same_whole_week() {
    let plan = BY_DAYS.replace("[time]", "[[split]]\nby = \"region\"\nweights = { N = 1 }\n\n[time]");
    let files = [("plan.toml", plan.as_str()), ("sales.csv", "date,region,sales\n2026-03-30,N,150\n")];
    let (out, _) = ok(
        &files,
        &[
            "track",
            "plan.toml",
            "--actuals",
            "sales.csv",
            "--as-of",
            "2026-03-31",
            "--today",
            "2026-03-29",
            "--period",
            "next-week",
            "--by",
            "week",
            "--format",
            "csv",
        ],
    );
    let rows = csv_rows(&out);
    assert_eq!(column(&rows, "period"), ["2026-03-W6", "2026-04-W1"]);
    assert_eq!(column(&rows, "actual_to_date"), ["150", "0"]);
}

// ------------------------------------------- the (unplanned) note, everywhere

#[test]
fn the_unplanned_note_names_the_whole_known_path_in_replan_and_explain() {
    // 王磊 is in 东北: under 华东 he is unplanned, whatever the product; the
    // report, the re-plan and explain all say so with the whole known path.
    let root = std::env::current_dir().unwrap();
    let plan = root.join("examples/company.toml");
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("sales.csv"), "date,region,product,salesperson,sales\n2026-01-05,华东,A,王磊,100\n")
        .unwrap();
    let note = "= note: the first, on line 2: salesperson `王磊` is not in the plan under region `华东`, product `A`\n";
    for more in [&[][..], &["--replan"][..]] {
        let out = common::salesplit()
            .current_dir(dir.path())
            .args([
                "track",
                plan.to_str().unwrap(),
                "--actuals",
                "sales.csv",
                "--as-of",
                "2026-01-31",
                "--by",
                "region",
                "--format",
                "csv",
            ])
            .args(more)
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains(note), "{more:?}: {stderr}");
    }
    let out = common::salesplit()
        .args(["explain", plan.to_str().unwrap(), "--cell", "region=华东,product=A,salesperson=王磊"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        lines(&[
            "error[E0807]: salesperson `王磊` is not in the plan under region `华东`, product `A`",
            " = help: in the plan, salesperson `王磊` is under region `东北`, product `A`: e.g. --cell 'region=东北,product=A,salesperson=王磊'",
        ])
    );
}
