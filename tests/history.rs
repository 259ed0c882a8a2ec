//! Targets from history: last year's actuals (a baseline in the format
//! `track` reads) grown per year, per quarter or per member, with months and
//! member weights learnt from last year's shares.

use std::collections::BTreeMap;

use crate::common::{column, csv_rows, dec, run_in, salesplit};
use rust_decimal::Decimal;

/// Last year's sales per (region, month), read from the example's baseline
/// independently of salesplit.
fn example_baseline() -> BTreeMap<(String, u32), Decimal> {
    let text = std::fs::read_to_string("examples/sales-2025.csv").unwrap();
    let mut sums = BTreeMap::new();
    for row in csv_rows(&text) {
        let month: u32 = row["date"][5..7].parse().unwrap();
        *sums.entry((row["region"].clone(), month)).or_default() += dec(&row["sales"]);
    }
    sums
}

#[test]
fn each_quarter_grows_by_its_rate_over_last_years_same_quarter() {
    let ly = example_baseline();
    let quarter = |q: u32| -> Decimal { ly.iter().filter(|((_, m), _)| (m - 1) / 3 == q).map(|(_, v)| *v).sum() };
    let out =
        salesplit().args(["decompose", "examples/history.toml", "--by", "quarter", "-f", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let got: Vec<Decimal> =
        column(&csv_rows(&String::from_utf8(out.stdout).unwrap()), "sales").iter().map(|s| dec(s)).collect();
    let rates = [dec("1.10"), dec("1.12"), dec("1.13"), dec("1.15")];
    for (q, (figure, rate)) in got.iter().zip(rates).enumerate() {
        let want = quarter(q as u32) * rate;
        // The total is rounded to the cent once, so each quarter is within a cent of its growth.
        assert!((*figure - want).abs() <= dec("0.01"), "Q{}: {figure} vs {want}", q + 1);
    }
    let total: Decimal = (0..4).map(|q| quarter(q) * rates[q as usize]).sum();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("note: target `sales` = "), "{stderr}");
    assert_eq!(got.iter().sum::<Decimal>(), total.round_dp(2));
}

#[test]
fn months_and_regions_keep_last_years_shares() {
    let ly = example_baseline();
    let out =
        salesplit().args(["decompose", "examples/history.toml", "--by", "region,month", "-f", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows = csv_rows(&String::from_utf8(out.stdout).unwrap());
    // Inside one quarter a region's months keep last year's company month shares.
    let company = |m: u32| -> Decimal { ly.iter().filter(|((_, mm), _)| *mm == m).map(|(_, v)| *v).sum() };
    let region_month = |r: &str, m: u32| {
        dec(&rows.iter().find(|row| row["region"] == r && row["period"] == format!("2026-{m:02}")).unwrap()["sales"])
    };
    for region in ["东北", "华东"] {
        let q1: Decimal = (1..=3).map(|m| region_month(region, m)).sum();
        let ly_q1: Decimal = (1..=3).map(company).sum();
        for m in 1..=3 {
            let want = q1 * company(m) / ly_q1;
            assert!((region_month(region, m) - want).abs() <= dec("0.02"), "{region} {m}");
        }
    }
    // Regions share the year as they did in 2025.
    let ly_total: Decimal = ly.values().copied().sum();
    let total: Decimal = rows.iter().map(|r| dec(&r["sales"])).sum();
    for region in ["东北", "华北", "华东", "华南", "华中"] {
        let ly_region: Decimal = ly.iter().filter(|((r, _), _)| r == region).map(|(_, v)| *v).sum();
        let got: Decimal = rows.iter().filter(|r| r["region"] == region).map(|r| dec(&r["sales"])).sum();
        assert!((got - total * ly_region / ly_total).abs() <= dec("0.01"), "{region}");
    }
}

const SALES: &str = "date,region,product,sales\n2025-01-10,East,A,600\n2025-04-10,East,B,400\n2025-07-10,West,A,\"1,000.00\"\n2025-10-10,West,A,1000\n2024-12-31,East,A,99999\n";

fn plan(target: &str, splits: &str) -> String {
    format!("[plan]\nname = \"h\"\nyear = 2026\n\n{target}\n{splits}")
}

#[test]
fn a_year_growth_multiplies_last_years_total_and_says_so() {
    let p = plan("[target.sales]\nbaseline = \"sales-2025.csv\"\ngrowth = \"15%\"\n", "");
    let (code, out, err) = run_in(
        &[("plan.toml", &p), ("sales-2025.csv", SALES)],
        &["decompose", "plan.toml", "--by", "year", "-f", "csv"],
    );
    assert_eq!(code, Some(0), "{err}");
    // 600 + 400 + 1,000 + 1,000 = 3,000 (the 2024 row is not last year) x 115% = 3,450.
    assert_eq!(column(&csv_rows(&out), "sales"), ["3450.00"]);
    assert_eq!(err, "note: target `sales` = 3,450.00 from sales-2025.csv: last year's 3,000.00 × 115%\n");
}

#[test]
fn growth_per_member_and_a_new_member_with_a_fixed_amount() {
    let p = plan(
        "[target.sales]\nbaseline = \"sales-2025.csv\"\ngrowth = \"10%\"\n",
        "[[split]]\nby = \"region\"\nweights = \"history\"\nfixed = { North = 500 }\n[split.growth]\nEast = \"20%\"\n\n[[split]]\nby = \"product\"\nweights = \"history\"\n[split.within.North]\nweights = { A = 1, B = 3 }\n",
    );
    let (code, out, err) = run_in(
        &[("plan.toml", &p), ("sales-2025.csv", SALES)],
        &["decompose", "plan.toml", "--by", "region,product,year", "-f", "csv"],
    );
    assert_eq!(code, Some(0), "{err}");
    let rows = csv_rows(&out);
    let figure = |r: &str, p: &str| {
        rows.iter().find(|row| row["region"] == r && row["product"] == p).map(|row| row["sales"].clone())
    };
    // East 1,000 x 120% = 1,200 split by its products' 2025 sales (600 : 400);
    // West 2,000 x 110% = 2,200, all product A; North is new: 500 on top.
    assert_eq!(figure("East", "A").as_deref(), Some("720.00"));
    assert_eq!(figure("East", "B").as_deref(), Some("480.00"));
    assert_eq!(figure("West", "A").as_deref(), Some("2200.00"));
    assert_eq!(figure("West", "B"), None, "West sold no B last year");
    // North has no history: the plan gives its products their weights.
    assert_eq!(figure("North", "A").as_deref(), Some("125.00"));
    assert_eq!(figure("North", "B").as_deref(), Some("375.00"));
    assert!(err.contains("target `sales` = 3,900.00"), "{err}");
}
