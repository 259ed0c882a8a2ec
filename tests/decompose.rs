//! The seed's worked examples and the CLI's behaviour end to end, through
//! the real binary on the shipped example plans. Expected figures are worked
//! out by hand in the comments, never copied from the program's output.

use crate::common::{column, csv_rows, dec, salesplit, Test};

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use rust_decimal::Decimal;

/// Runs `decompose` with `args`, expecting success and nothing on stderr
/// but notes (how a total from a baseline was worked out).
fn run(args: &[&str]) -> String {
    let out = salesplit().arg("decompose").args(args).output().unwrap();
    assert!(out.status.success(), "salesplit {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.lines().all(|l| l.starts_with("note: ")), "unexpected stderr: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn ten_million_even_by_month_gives_exact_quarters_and_first_month_cents() {
    let quarters = csv_rows(&run(&["examples/even-year.toml", "--by", "quarter", "--format", "csv"]));
    assert_eq!(column(&quarters, "period"), ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    assert_eq!(column(&quarters, "sales"), ["2500000.00"; 4]);
    // 2,500,000.00 / 3 = 833,333.333…: each month floors to .33 and the one
    // leftover cent per quarter goes to the first month (ties go earlier).
    let months = csv_rows(&run(&["examples/even-year.toml", "--format", "csv"]));
    let expected: Vec<&str> = (1..=12).map(|m| if m % 3 == 1 { "833333.34" } else { "833333.33" }).collect();
    assert_eq!(column(&months, "sales"), expected);
    assert_eq!(months[1]["start"], "2026-02-01");
    assert_eq!(months[1]["end"], "2026-02-28");
}

#[test]
fn five_regions_products_and_channels_share_exactly() {
    let regions = csv_rows(&run(&["examples/regions.toml", "--by", "region", "--format", "csv"]));
    assert_eq!(column(&regions, "region"), ["东北", "华北", "华东", "华南", "华中"]);
    // 150 : 200 : 300 : 250 : 100 of 10,000,000 (weights sum to 1,000).
    assert_eq!(column(&regions, "sales"), ["1500000.00", "2000000.00", "3000000.00", "2500000.00", "1000000.00"]);
    let products = csv_rows(&run(&["examples/regions.toml", "--by", "region,product", "--format", "csv"]));
    let east: Vec<String> = products.iter().filter(|r| r["region"] == "华东").map(|r| r["sales"].clone()).collect();
    assert_eq!(east, ["900000.00", "1200000.00", "900000.00"]); // 30/40/30% of 3,000,000
    let channels = csv_rows(&run(&["examples/regions.toml", "--by", "channel", "--format", "csv"]));
    assert_eq!(column(&channels, "channel"), ["online", "offline", "partner"]);
    assert_eq!(column(&channels, "sales"), ["3000000.00", "4000000.00", "3000000.00"]);
}

#[test]
fn a_shop_week_from_friday_weighs_weekends_exactly() {
    // 443 shares in 2026 at 4,430,000: one share is 10,000.
    let days = csv_rows(&run(&["examples/shop-week.toml", "--format", "csv"]));
    assert_eq!(days.len(), 365);
    for row in &days {
        let date = chrono::NaiveDate::parse_from_str(&row["period"], "%Y-%m-%d").unwrap();
        let expected = match chrono::Datelike::weekday(&date) {
            chrono::Weekday::Fri => "12000",
            chrono::Weekday::Sat => "15000",
            chrono::Weekday::Sun => "18000",
            _ => "10000",
        };
        assert_eq!(row["sales"], expected, "{}", row["period"]);
    }
    let weeks = csv_rows(&run(&["examples/shop-week.toml", "--by", "week", "--format", "csv"]));
    let full: Vec<&BTreeMap<String, String>> = weeks
        .iter()
        .filter(|r| {
            let start = chrono::NaiveDate::parse_from_str(&r["start"], "%Y-%m-%d").unwrap();
            let end = chrono::NaiveDate::parse_from_str(&r["end"], "%Y-%m-%d").unwrap();
            (end - start).num_days() == 6
        })
        .collect();
    assert_eq!(full.len(), 42);
    assert!(full.iter().all(|r| r["sales"] == "85000"));
    assert!(full.iter().all(|r| chrono::NaiveDate::parse_from_str(&r["start"], "%Y-%m-%d")
        .map(|d| chrono::Datelike::weekday(&d))
        .unwrap()
        == chrono::Weekday::Fri));
}

#[test]
fn a_salespersons_quarter_by_source_of_business() {
    let rows =
        csv_rows(&run(&["examples/sources.toml", "--by", "source,quarter", "--period", "2026-Q1", "--format", "csv"]));
    assert_eq!(column(&rows, "source"), ["new customers", "existing customers", "product promotion"]);
    assert_eq!(column(&rows, "sales"), ["300000.00", "400000.00", "300000.00"]);
}

#[test]
fn two_areas_forty_sixty() {
    let rows = csv_rows(&run(&["examples/areas.toml", "--by", "area", "--format", "csv"]));
    assert_eq!(column(&rows, "sales"), ["4800000", "7200000"]);
    // Monthly figures of each area add up to its year.
    let months = csv_rows(&run(&["examples/areas.toml", "--format", "csv"]));
    let a: Decimal = months.iter().filter(|r| r["area"] == "A区").map(|r| dec(&r["sales"])).sum();
    assert_eq!(a, dec("4800000"));
}

#[test]
fn a_fiscal_year_labels_fy_and_takes_fixed_amounts_off_the_top() {
    let rows = csv_rows(&run(&["examples/fiscal.toml", "--by", "account", "--format", "csv"]));
    assert_eq!(column(&rows, "period"), ["FY2026"; 4]);
    assert_eq!(rows[0]["start"], "2026-04-01");
    assert_eq!(rows[0]["end"], "2027-03-31");
    // 6,000,000 fixed; the other 18,000,000 shared 3 : 2 : 1.
    assert_eq!(column(&rows, "sales"), ["6000000", "9000000", "6000000", "3000000"]);
    let quarters = csv_rows(&run(&["examples/fiscal.toml", "--by", "quarter", "--format", "csv"]));
    assert_eq!(column(&quarters, "period"), ["FY2026-Q1", "FY2026-Q2", "FY2026-Q3", "FY2026-Q4"]);
    // 20 : 25 : 25 : 30 of 24,000,000.
    assert_eq!(column(&quarters, "sales"), ["4800000", "6000000", "6000000", "7200000"]);
    assert_eq!(quarters[3]["start"], "2027-01-01");
    let months = csv_rows(&run(&["examples/fiscal.toml", "--by", "month", "--period", "FY2026-Q4", "--format", "csv"]));
    assert_eq!(column(&months, "period"), ["2027-01", "2027-02", "2027-03"]);
}

#[test]
fn the_company_plan_adds_up_across_its_roster() {
    let rows = csv_rows(&run(&["examples/company.toml", "--format", "csv"]));
    let total: Decimal = rows.iter().map(|r| dec(&r["sales"])).sum();
    assert_eq!(total, dec("10000000.00"));
    let east_a: Decimal =
        rows.iter().filter(|r| r["region"] == "华东" && r["product"] == "A").map(|r| dec(&r["sales"])).sum();
    assert_eq!(east_a, dec("1500000.00")); // 50% of 华东's 3,000,000
    let north_a: Decimal =
        rows.iter().filter(|r| r["region"] == "华北" && r["product"] == "A").map(|r| dec(&r["sales"])).sum();
    assert_eq!(north_a, dec("600000.00")); // 30% of 华北's 2,000,000
                                           // Every salesperson appears only under their own region.
    let roster = std::fs::read_to_string("examples/company-reps.csv").unwrap();
    for line in roster.lines().skip(1) {
        let mut f = line.split(',');
        let (name, region) = (f.next().unwrap(), f.next().unwrap());
        assert!(rows.iter().filter(|r| r["salesperson"] == name).all(|r| r["region"] == region), "{name}");
    }
    // 张伟 (weight 1.5 of 华北's 4.3) has the largest share in 华北.
    let person = csv_rows(&run(&["examples/company.toml", "--by", "salesperson", "--format", "csv"]));
    let of = |n: &str| dec(&person.iter().find(|r| r["salesperson"] == n).unwrap()["sales"]);
    assert!(of("张伟") > of("刘洋") && of("刘洋") > of("陈静") && of("陈静") > of("杨帆"));
    assert_eq!(of("张伟") + of("刘洋") + of("陈静") + of("杨帆"), dec("2000000.00"));
}

#[test]
fn every_example_plan_runs_in_every_format() {
    let mut plans = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            plans += 1;
            let p = path.to_str().unwrap();
            let table = run(&[p]);
            assert!(table.contains("Total") || table.lines().count() > 3, "{p}");
            let csv = csv_rows(&run(&[p, "--format", "csv"]));
            let json: serde_json::Value = serde_json::from_str(&run(&[p, "--format", "json"])).unwrap();
            assert_eq!(json["rows"].as_array().unwrap().len(), csv.len(), "{p}");
        }
    }
    assert!(plans >= 6, "expected the shipped example plans, found {plans}");
}

#[test]
fn json_numbers_carry_the_plans_decimals_and_total_the_rows() {
    let text = run(&["examples/regions.toml", "--by", "region", "--format", "json"]);
    assert!(text.contains("\"sales\": 1500000.00}"), "{text}");
    assert!(text.contains("\"total\": {\"sales\": 10000000.00}"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["plan"], "2026 区域目标");
    assert_eq!(json["currency"], "CNY");
    assert_eq!(json["year"], 2026);
    assert_eq!(json["precision"], "0.01");
    assert_eq!(json["metrics"], serde_json::json!(["sales"]));
    assert_eq!(json["dimensions"], serde_json::json!(["region", "period"]));
    assert_eq!(json["rows"][2]["region"], "华东");
    assert_eq!(json["rows"][2]["period"], "2026");
    assert_eq!(json["rows"][2]["start"], "2026-01-01");
    assert_eq!(json["rows"][2]["end"], "2026-12-31");
}

#[test]
fn csv_quotes_only_where_needed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("plan.toml"),
        "[plan]\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 300\n[[split]]\nby = \"customer\"\nweights = { \"Acme, Inc.\" = 1, 'Say \"hi\"' = 1, Plain = 1 }\n",
    )
    .unwrap();
    let out = salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--by", "customer", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "customer,period,start,end,sales\n\"Acme, Inc.\",2026,2026-01-01,2026-12-31,100\n\"Say \"\"hi\"\"\",2026,2026-01-01,2026-12-31,100\nPlain,2026,2026-01-01,2026-12-31,100\n"
    );
}

#[test]
fn a_period_keeps_the_figures_of_the_full_run() {
    let full = csv_rows(&run(&["examples/company.toml", "--by", "region,week", "--format", "csv"]));
    let march =
        csv_rows(&run(&["examples/company.toml", "--by", "region,week", "--period", "2026-03", "--format", "csv"]));
    let expected: Vec<_> = full.iter().filter(|r| r["period"].starts_with("2026-03")).cloned().collect();
    assert!(!march.is_empty());
    assert_eq!(march, expected);
    let week =
        csv_rows(&run(&["examples/company.toml", "--by", "region,day", "--period", "2026-03-W2", "--format", "csv"]));
    assert!(week.iter().all(|r| r["period"].as_str() >= "2026-03-02" && r["period"].as_str() <= "2026-03-08"));
    assert_eq!(week.len(), 5 * 7);
    let day = csv_rows(&run(&["examples/company.toml", "--by", "day", "--period", "2026-03-15", "--format", "csv"]));
    assert_eq!(column(&day, "period"), ["2026-03-15"]);
    assert_eq!(column(&day, "sales"), ["0.00"]); // a Sunday under spread = "workdays"
}

#[test]
fn daily_weekly_and_monthly_runs_agree() {
    let sum_by = |rows: &[BTreeMap<String, String>], key: &dyn Fn(&BTreeMap<String, String>) -> String| {
        let mut m: BTreeMap<String, Decimal> = BTreeMap::new();
        for r in rows {
            *m.entry(key(r)).or_default() += dec(&r["sales"]);
        }
        m
    };
    let days = csv_rows(&run(&["examples/company.toml", "--by", "region,day", "--format", "csv"]));
    let weeks = csv_rows(&run(&["examples/company.toml", "--by", "region,week", "--format", "csv"]));
    let months = csv_rows(&run(&["examples/company.toml", "--by", "region,month", "--format", "csv"]));
    let month_of = |r: &BTreeMap<String, String>| format!("{} {}", r["region"], &r["start"][..7]);
    assert_eq!(sum_by(&days, &month_of), sum_by(&months, &month_of));
    assert_eq!(sum_by(&weeks, &month_of), sum_by(&months, &month_of));
}

#[test]
fn the_table_shows_currency_separators_and_totals() {
    let table = run(&["examples/regions.toml", "--by", "region,quarter"]);
    assert!(table.starts_with("2026 区域目标 — sales (CNY), by region × quarter\n"), "{table}");
    assert!(table.contains("1,500,000.00"), "{table}");
    assert!(table.contains("10,000,000.00"), "{table}");
    let total_line = table.lines().find(|l| l.contains("Total") && l.contains("10,000,000.00")).unwrap();
    assert_eq!(total_line.matches("2,500,000.00").count(), 4, "{total_line}");
}

#[test]
fn output_is_written_atomically_and_kept_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("march.csv");
    let plan = std::fs::canonicalize("examples/even-year.toml").unwrap();
    salesplit()
        .args(["decompose", plan.to_str().unwrap(), "--format", "csv", "--output", target.to_str().unwrap()])
        .assert()
        .success()
        .stdout("");
    let first = std::fs::read_to_string(&target).unwrap();
    assert!(first.starts_with("period,start,end,sales\n2026-01,"), "{first}");
    // A bad request fails before anything is written: the file is untouched.
    salesplit()
        .args([
            "decompose",
            plan.to_str().unwrap(),
            "--period",
            "2031-01",
            "--format",
            "csv",
            "--output",
            target.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), first);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("march.csv")]);
}

#[cfg(unix)]
#[test]
fn an_overwritten_output_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plan.csv");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let plan = std::fs::canonicalize("examples/even-year.toml").unwrap();
    salesplit()
        .args(["decompose", plan.to_str().unwrap(), "-f", "csv", "-o", target.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o640);
    // A new file is readable by others as a plain write would make it (not private 0600).
    let fresh = dir.path().join("fresh.csv");
    salesplit()
        .args(["decompose", plan.to_str().unwrap(), "-f", "csv", "-o", fresh.to_str().unwrap()])
        .assert()
        .success();
    assert_ne!(std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
}

/// Reads the first bytes `cmd` writes, closes the pipe, and checks that it
/// ends quietly with status 0.
fn ends_quietly_when_the_pipe_closes(cmd: &mut StdCommand) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    ends_quietly_when_the_pipe_closes(StdCommand::new(assert_cmd::cargo::cargo_bin("salesplit")).args([
        "decompose",
        "examples/company.toml",
        "--by",
        "salesperson,product,day",
        "--format",
        "csv",
    ]));
}

#[test]
fn deterministic_byte_for_byte() {
    let a = run(&["examples/company.toml", "--by", "salesperson,product,week", "--format", "json"]);
    let b = run(&["examples/company.toml", "--by", "salesperson,product,week", "--format", "json"]);
    assert_eq!(a, b);
}

#[test]
fn help_and_version_exit_zero_and_usage_errors_exit_two() {
    salesplit().arg("--help").assert().success();
    salesplit().arg("--version").assert().success();
    salesplit().args(["decompose"]).assert().code(2).stdout("");
    salesplit().args(["decompose", "examples/even-year.toml", "--format", "xml"]).assert().code(2).stdout("");
}

/// 12 regions x 12 products: enough org leaves for runs shared by threads.
fn wide_plan() -> String {
    let names = |prefix: &str| (1..=12).map(|i| format!("{prefix}{i} = {}", 1 + i % 5)).collect::<Vec<_>>().join(", ");
    format!(
        "[plan]\nyear = 2026\n[target]\nsales = 98_765_432.10\n[time]\nspread = \"workdays\"\nlevel = \"day\"\n\
         [[split]]\nby = \"region\"\nweights = {{ {} }}\n[[split]]\nby = \"product\"\nweights = {{ {} }}\n",
        names("R"),
        names("P")
    )
}

#[test]
fn any_number_of_threads_writes_the_bytes_of_one() {
    let plan = wide_plan();
    for format in ["csv", "json", "jsonl", "excel"] {
        // CSV rows (plain and for Excel) are made by the workers themselves.
        let args: Vec<&str> = if format == "excel" {
            vec!["decompose", "plan.toml", "--format", "csv", "--excel"]
        } else {
            vec!["decompose", "plan.toml", "--format", format]
        };
        let one = salesplit_in(&plan, &args, "1");
        assert!(one.len() > 100_000, "{format}: {} bytes", one.len());
        // 144 leaves are 5 chunks: up to 5 threads work out figures at once.
        for threads in ["2", "3", "4", "6", "8"] {
            let many = salesplit_in(&plan, &args, threads);
            assert_eq!(one.len(), many.len(), "{format}, {threads} threads");
            assert!(one == many, "{format}: the output of {threads} threads differs");
        }
    }
}

#[test]
fn track_on_any_number_of_threads_writes_the_bytes_of_one() {
    // Actuals on every region and product, some days, some not in the plan.
    let mut sales = String::from("date,region,product,sales\n");
    for i in 0..3_000u32 {
        let (r, p) = (1 + i % 13, 1 + i * 7 % 12);
        let day = 1 + i * 11 % 28;
        sales.push_str(&format!("2026-{:02}-{day:02},R{r},P{p},{}.{:02}\n", 1 + i % 12, 10 + i % 97, i % 100));
    }
    let track = |threads: &str, by: &str| {
        let out = Test::new()
            .file("plan.toml", wide_plan())
            .file("sales.csv", &sales)
            .env("SALESPLIT_THREADS", threads)
            .args(&[
                "track",
                "plan.toml",
                "--actuals",
                "sales.csv",
                "--as-of",
                "2026-06-15",
                "--by",
                by,
                "--format",
                "csv",
            ])
            .output();
        assert_eq!(out.status, Some(0), "{}", out.stderr);
        assert!(out.stderr.contains("R13"), "the unplanned region is reported: {}", out.stderr);
        out.stdout
    };
    for by in ["region,product,month", "region,quarter"] {
        let one = track("1", by);
        assert!(one.lines().count() > 12, "{by}: {one}");
        for threads in ["2", "3", "8"] {
            assert_eq!(track(threads, by), one, "--by {by} on {threads} threads");
        }
    }
}

#[test]
fn shards_joined_are_the_whole_run() {
    let plan = wide_plan();
    let whole = String::from_utf8(salesplit_in(&plan, &["decompose", "plan.toml", "--format", "csv"], "1")).unwrap();
    for count in [1, 2, 3, 7, 144, 200] {
        let mut joined = String::new();
        let mut rows = Vec::new();
        for k in 1..=count {
            let shard = format!("{k}/{count}");
            let args = ["decompose", "plan.toml", "--format", "csv", "--shard", &shard];
            let part = String::from_utf8(salesplit_in(&plan, &args, "3")).unwrap();
            // Every shard is a CSV with its header.
            let (header, body) = part.split_once('\n').unwrap();
            assert_eq!(header, "region,product,period,start,end,sales", "{shard}");
            if k == 1 {
                joined.push_str(header);
                joined.push('\n');
            }
            joined.push_str(body);
            rows.push(body.lines().count());
        }
        assert_eq!(joined, whole, "{count} shards");
        // Even: 144 leaves of 365 days each, split as evenly as whole leaves go.
        let (least, most) = (rows.iter().min().unwrap(), rows.iter().max().unwrap());
        assert!(most - least <= 365, "{count} shards: {rows:?}");
    }
    let jsonl = salesplit_in(&plan, &["decompose", "plan.toml", "--format", "jsonl"], "1");
    let parts: Vec<u8> = (1..=4)
        .flat_map(|k| {
            salesplit_in(&plan, &["decompose", "plan.toml", "--format", "jsonl", "--shard", &format!("{k}/4")], "2")
        })
        .collect();
    assert!(parts == jsonl, "JSON Lines shards joined are the whole run");
}

#[test]
fn a_shard_of_a_summed_breakdown_is_refused() {
    let plan = wide_plan();
    crate::common::fails_with(
        1,
        &[("plan.toml", &plan)],
        &["decompose", "plan.toml", "--by", "region,month", "--format", "csv", "--shard", "1/2"],
        &crate::common::lines(&[
            "error[E0814]: --shard 1/2 needs every split kept, but this breakdown leaves out product",
            " = note: a shard holds some of the org leaves; a row that sums leaves of several shards would be split among them",
            " = help: shard the full breakdown, --by region,product,month, and sum its rows afterwards",
        ]),
    );
    crate::common::fails_with(
        2,
        &[("plan.toml", &plan)],
        &["decompose", "plan.toml", "--format", "json", "--shard", "1/2"],
        &crate::common::lines(&[
            "error: --shard writes rows that add up to the full run only as --format csv, jsonl or parquet (a JSON document, a workbook or a table has one total for the whole run)",
            "",
            "Usage: salesplit decompose [OPTIONS] <PLAN>",
            "",
            "For more information, try '--help'.",
        ]),
    );
}

#[test]
fn a_closed_pipe_ends_quietly_while_two_threads_run() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), wide_plan()).unwrap();
    ends_quietly_when_the_pipe_closes(
        StdCommand::new(assert_cmd::cargo::cargo_bin("salesplit"))
            .current_dir(dir.path())
            .env("SALESPLIT_THREADS", "2")
            .args(["decompose", "plan.toml", "--format", "csv"]),
    );
}

/// Runs `args` on `plan` with `SALESPLIT_THREADS` set; returns stdout.
fn salesplit_in(plan: &str, args: &[&str], threads: &str) -> Vec<u8> {
    let out = Test::new().file("plan.toml", plan).env("SALESPLIT_THREADS", threads).args(args).output();
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    out.stdout.into_bytes()
}

/// Runs `decompose PLAN --format csv` in a folder holding `files`; stdout.
fn csv_of(files: &[(&str, String)]) -> String {
    let dir = tempfile::TempDir::new().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = salesplit().current_dir(dir.path()).args(["decompose", "plan.toml", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn amounts_written_as_people_write_them_give_the_same_plan() {
    let read = |name: &str| std::fs::read_to_string(format!("examples/{name}")).unwrap();
    // The company's 10_000_000 as "1000万", and the same with commas.
    let company = read("company.toml");
    let reps = ("company-reps.csv", read("company-reps.csv"));
    let digits = csv_of(&[("plan.toml", company.clone()), reps.clone()]);
    for written in ["\"1000万\"", "\"10,000,000\"", "\"0.1亿\"", "\"10000k\""] {
        let plan = company.replace("sales = 10_000_000", &format!("sales = {written}"));
        assert_ne!(plan, company);
        assert_eq!(csv_of(&[("plan.toml", plan), reps.clone()]), digits, "{written}");
    }
    // A fixed amount (the fiscal example's key account) and a hold (the shop's December).
    let fiscal = read("fiscal.toml");
    let held = fiscal.replace("\"Key account\" = 6_000_000", "\"Key account\" = \"600万\"");
    assert_ne!(held, fiscal);
    assert_eq!(csv_of(&[("plan.toml", held)]), csv_of(&[("plan.toml", fiscal)]));
    let shop = read("shop-hours.toml");
    let held = shop.replace("\"2026-12\" = 400_000", "\"2026-12\" = \"40万\"");
    assert_ne!(held, shop);
    assert_eq!(csv_of(&[("plan.toml", held)]), csv_of(&[("plan.toml", shop)]));
    // A roster's cap in 万, as the plan reads amounts.
    let people = ("plan.toml", read("people.toml"));
    let roster = read("people-reps.csv");
    let capped = roster.replace("\"1,500,000\"", "150万");
    assert_ne!(capped, roster);
    assert_eq!(csv_of(&[people.clone(), ("people-reps.csv", capped)]), csv_of(&[people, ("people-reps.csv", roster)]));
}
