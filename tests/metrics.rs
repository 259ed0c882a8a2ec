//! Several metrics at once (amounts, counts, levels) and the funnel, through
//! the real binary.

use crate::common::{column, csv_rows, dec, run_in};
use rust_decimal::Decimal;

const HEAD: &str = "[plan]\nname = \"m\"\ncurrency = \"CNY\"\nyear = 2026\n\n";

#[test]
fn a_count_of_100_with_quarter_weights_is_20_30_40_10() {
    let plan = format!(
        "{HEAD}[target]\nsales = 1_000_000\n\n[target.new_customers]\nkind = \"count\"\ntotal = 100\n\n[target.new_customers.time]\nquarters = [20, 30, 40, 10]\n"
    );
    let (code, out, err) = run_in(&[("plan.toml", &plan)], &["decompose", "plan.toml", "--by", "quarter", "-f", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let rows = csv_rows(&out);
    assert_eq!(column(&rows, "new_customers"), ["20", "30", "40", "10"]);
    // The money keeps the plan's own (even) quarters: the count's weights are its own.
    assert_eq!(column(&rows, "sales"), ["250000.00"; 4]);
}

#[test]
fn counts_are_whole_and_add_up_over_members_and_days() {
    let plan = format!(
        "{HEAD}[target]\nsales = 1_000_000\n\n[target.new_customers]\nkind = \"count\"\ntotal = 97\n\n[time]\nspread = \"workdays\"\nlevel = \"day\"\n\n[[split]]\nby = \"region\"\nweights = {{ A = 3, B = 2, C = 2 }}\n"
    );
    let (code, out, err) = run_in(&[("plan.toml", &plan)], &["decompose", "plan.toml", "-f", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let rows = csv_rows(&out);
    let mut per_region = std::collections::BTreeMap::<String, Decimal>::new();
    for r in &rows {
        let n = dec(&r["new_customers"]);
        assert_eq!(n, n.trunc(), "a count is whole: {n}");
        *per_region.entry(r["region"].clone()).or_default() += n;
    }
    assert_eq!(per_region.values().copied().sum::<Decimal>(), dec("97"));
    // 97 x 3/7 = 41.57..., 97 x 2/7 = 27.71... twice: floors 41, 27, 27 and
    // the two leftovers go to the larger fractions (.71 over .57).
    assert_eq!(per_region["A"], dec("41"));
    assert_eq!(per_region["B"], dec("28"));
    assert_eq!(per_region["C"], dec("28"));
}

#[test]
fn a_level_follows_its_path_and_is_inherited_by_every_member() {
    let plan = format!(
        "{HEAD}[target]\nsales = 1_000_000\n\n[target.market_share]\nkind = \"level\"\nvalue = \"5%\"\npath = {{ \"2026-Q1\" = \"4.5%\", \"2026-Q2\" = \"4.8%\", \"2026-Q3\" = \"5.2%\", \"2026-Q4\" = \"5%\" }}\n\n[[split]]\nby = \"region\"\nweights = {{ A = 1, B = 1 }}\n"
    );
    let files = [("plan.toml", plan.as_str())];
    let (code, out, err) = run_in(&files, &["decompose", "plan.toml", "--by", "region,quarter", "-f", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let rows = csv_rows(&out);
    assert_eq!(column(&rows, "market_share"), ["0.045", "0.048", "0.052", "0.05", "0.045", "0.048", "0.052", "0.05"]);
    // A month takes its quarter's level; the year its `value`.
    let (_, out, _) = run_in(&files, &["decompose", "plan.toml", "--by", "month", "-f", "csv"]);
    let months = column(&csv_rows(&out), "market_share");
    assert_eq!(months[0..3], ["0.045"; 3]);
    assert_eq!(months[6], "0.052");
    let (_, out, _) = run_in(&files, &["decompose", "plan.toml", "--by", "year", "-f", "json"]);
    assert!(out.contains("\"market_share\": 0.05}"), "{out}");
    assert!(out.contains("\"metrics\": [\"sales\", \"market_share\"]"), "{out}");
}

#[test]
fn columns_follow_the_order_the_metrics_are_written_in() {
    let plan = format!(
        "{HEAD}[target.satisfaction]\nkind = \"level\"\nvalue = 4.5\n\n[target.calls]\nkind = \"count\"\ntotal = 12\n\n[target]\nrevenue = 1200\n"
    );
    let (code, out, err) = run_in(&[("plan.toml", &plan)], &["decompose", "plan.toml", "--by", "quarter", "-f", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().next().unwrap(), "period,start,end,satisfaction,calls,revenue");
    assert_eq!(out.lines().nth(1).unwrap(), "2026-Q1,2026-01-01,2026-03-31,4.5,3,300.00");
}

#[test]
fn the_funnel_works_back_from_the_new_customer_money() {
    // The seed's salesperson: 1,000,000 a quarter, 30% from new customers.
    let plan = format!(
        "{HEAD}[target]\nsales = 4_000_000\n\n[time]\nlevel = \"quarter\"\n\n[[split]]\nby = \"source\"\nweights = {{ new = \"30%\", existing = \"40%\", promotion = \"30%\" }}\n\n[funnel]\nmetric = \"sales\"\nwhere = {{ source = \"new\" }}\ndeal_size = 10_000\nstages = [{{ name = \"deals\", rate = \"100%\" }}, {{ name = \"prospects\", rate = \"25%\" }}, {{ name = \"visits\", rate = \"50%\" }}, {{ name = \"calls\", rate = \"20%\" }}]\n"
    );
    let (code, out, err) = run_in(&[("plan.toml", &plan)], &["decompose", "plan.toml", "-f", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let rows = csv_rows(&out);
    assert_eq!(out.lines().next().unwrap(), "source,period,start,end,sales,deals,prospects,visits,calls");
    let q1: Vec<_> = rows.iter().filter(|r| r["period"] == "2026-Q1").collect();
    assert_eq!(q1.iter().map(|r| r["sales"].as_str()).collect::<Vec<_>>(), ["300000.00", "400000.00", "300000.00"]);
    // 1,200,000 a year of new business / 10,000 = 120 deals, / 25% = 480 prospects,
    // / 50% = 960 visits, / 20% = 4,800 calls: a quarter of each.
    assert_eq!([&q1[0]["deals"], &q1[0]["prospects"], &q1[0]["visits"], &q1[0]["calls"]], ["30", "120", "240", "1200"]);
    assert!(q1[1..].iter().all(|r| r["deals"] == "0" && r["calls"] == "0"), "only new business needs a funnel");
}

#[test]
fn activities_round_up_and_their_days_are_whole() {
    let plan = format!(
        "{HEAD}[target]\nsales = 1_000_001\n\n[time]\nspread = \"workdays\"\nlevel = \"day\"\n\n[funnel]\ndeal_size = 3_000\nstages = [{{ name = \"deals\", rate = \"100%\" }}, {{ name = \"calls\", rate = \"30%\" }}]\n"
    );
    let (code, out, err) = run_in(&[("plan.toml", &plan)], &["decompose", "plan.toml", "-f", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    let rows = csv_rows(&out);
    let sum = |name: &str| rows.iter().map(|r| dec(&r[name])).sum::<Decimal>();
    // 1,000,001 / 3,000 = 333.33 -> 334 deals; 334 / 30% = 1113.33 -> 1114 calls.
    assert_eq!(sum("deals"), dec("334"));
    assert_eq!(sum("calls"), dec("1114"));
    assert!(rows.iter().all(|r| dec(&r["calls"]).fract().is_zero()));
}

#[test]
fn explain_reaches_a_count_and_refuses_a_level() {
    let plan = format!(
        "{HEAD}[target]\nsales = 1_000_000\n\n[target.new_customers]\nkind = \"count\"\ntotal = 100\n\n[target.share]\nkind = \"level\"\nvalue = \"5%\"\n\n[[split]]\nby = \"region\"\nweights = {{ A = 3, B = 2, C = 2 }}\n"
    );
    let files = [("plan.toml", plan.as_str())];
    let (code, out, err) =
        run_in(&files, &["explain", "plan.toml", "--cell", "region=B,period=2026-Q3", "--metric", "new_customers"]);
    assert_eq!(code, Some(0), "{err}");
    let (_, csv, _) = run_in(&files, &["decompose", "plan.toml", "--by", "region,quarter", "-f", "csv"]);
    let b_q3 = csv_rows(&csv).into_iter().find(|r| r["region"] == "B" && r["period"] == "2026-Q3").unwrap();
    assert!(
        out.starts_with(&format!("new_customers for region B, period 2026-Q3: {}\n", b_q3["new_customers"])),
        "{out}"
    );
    assert!(out.contains("28.57% of the parent's 100"), "{out}");
    let (code, _, err) = run_in(&files, &["explain", "plan.toml", "--cell", "region=B", "--metric", "share"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("`share` is a level: it is not shared"), "{err}");
}

#[test]
fn the_company_quarters_of_a_count_stay_its_own_cascade_across_members() {
    let plan = format!(
        "{HEAD}[target]\nsales = 1_000_000\n\n[target.new_customers]\nkind = \"count\"\ntotal = 100\n\n[target.new_customers.time]\nquarters = [20, 30, 40, 10]\n\n[[split]]\nby = \"region\"\nweights = {{ A = 3, B = 2, C = 2 }}\n"
    );
    let files = [("plan.toml", plan.as_str())];
    let (code, out, err) = run_in(&files, &["decompose", "plan.toml", "--by", "quarter", "-f", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    // Summed over the regions, the quarters are still 100 x 20/30/40/10.
    assert_eq!(column(&csv_rows(&out), "new_customers"), ["20", "30", "40", "10"]);
    let (_, out, _) = run_in(&files, &["decompose", "plan.toml", "--by", "region,quarter", "-f", "csv"]);
    let rows = csv_rows(&out);
    // Each region keeps its own year (43, 29, 28 of 100 by 3:2:2), each quarter within one of its exact share.
    for (region, year) in [("A", 43), ("B", 29), ("C", 28)] {
        let quarters: Vec<Decimal> =
            rows.iter().filter(|r| r["region"] == region).map(|r| dec(&r["new_customers"])).collect();
        assert_eq!(quarters.iter().sum::<Decimal>(), Decimal::from(year));
        for (q, w) in quarters.iter().zip([20, 30, 40, 10]) {
            let exact = Decimal::from(year * w) / Decimal::from(100);
            assert!(*q == exact.floor() || *q == exact.ceil(), "{region}: {q} vs {exact}");
        }
    }
}
