//! `--unit 万` (亿, k ...): a terminal table shown in a unit adds up *as
//! shown* — every row of shown figures to its shown total, every column to
//! the Total row, both to the grand total — and every shown figure is the
//! floor or the ceiling of its exact figure at the unit's last decimal (0.01
//! 万 = 100 yuan). The exact figures come from the CSV output, summed here with
//! exact decimals; a note under the table counts the non-zero figures shown
//! as 0.00.

use std::collections::BTreeMap;

use crate::common::{csv_rows, dec, run_in, salesplit};
use rust_decimal::Decimal;

/// A small plan: every figure is far below 0.01 亿 (1,000,000 yuan), and
/// thirds make every month fractional in 万.
const SMALL: &str = r#"
[plan]
name = "Small"
currency = "CNY"
year = 2026
precision = "0.01"

[target]
sales = 123_456.78

[time]
spread = "days"
level = "quarter"

[[split]]
by = "region"
weights = { North = 1, South = 1, East = 1, West = 2 }
"#;

/// A table as printed: the side names of each row, its figures (one per
/// period, `None` where blank), its total, and the Total row.
struct Shown {
    periods: Vec<String>,
    rows: Vec<(Vec<String>, Vec<Option<Decimal>>, Decimal)>,
    column_totals: Vec<Decimal>,
    total: Decimal,
    note: Option<String>,
}

/// Reads a table laid out across (members down the side, `side` columns of
/// names, periods across, a Total column and a Total row).
fn parse(table: &str, side: usize) -> Shown {
    let lines: Vec<Vec<String>> = table
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            let parts: Vec<String> = l.split(['│', '┆']).map(|c| c.trim().to_string()).collect();
            parts[1..parts.len() - 1].to_vec()
        })
        .collect();
    let head = &lines[0];
    let periods: Vec<String> = head[side..].iter().take_while(|h| *h != "Total").cloned().collect();
    assert!(periods.len() > 1, "a Total column:\n{table}");
    let figure = |s: &str| dec(&s.replace(',', ""));
    let mut rows = Vec::new();
    let mut totals = None;
    for line in &lines[1..] {
        let figures: Vec<Option<Decimal>> =
            line[side..side + periods.len()].iter().map(|s| (!s.is_empty()).then(|| figure(s))).collect();
        let total = figure(&line[side + periods.len()]);
        if line[0] == "Total" {
            totals = Some((figures.into_iter().map(Option::unwrap).collect(), total));
        } else {
            rows.push((line[..side].to_vec(), figures, total));
        }
    }
    let (column_totals, total) = totals.expect("a Total row");
    let note = note_of(table);
    Shown { periods, rows, column_totals, total, note }
}

/// The note under a table, its lines (wrapped to the terminal) joined by spaces.
fn note_of(table: &str) -> Option<String> {
    let after = table.rsplit_once("┘\n")?.1;
    (!after.is_empty()).then(|| after.lines().collect::<Vec<_>>().join(" "))
}

/// The exact figures of the same breakdown, from the CSV: per (side names,
/// period), summed with exact decimals.
fn exact(csv: &str, side: &[&str]) -> BTreeMap<(Vec<String>, String), Decimal> {
    let mut out = BTreeMap::new();
    for row in csv_rows(csv) {
        let keys: Vec<String> = side.iter().map(|d| row[*d].clone()).collect();
        *out.entry((keys, row["period"].clone())).or_insert(Decimal::ZERO) += dec(&row["sales"]);
    }
    out
}

/// Whether `shown` (in the unit, two decimals) is the floor or the ceiling of
/// `exact` (in yuan) at 0.01 of a unit of `factor` yuan.
fn floor_or_ceiling(shown: Decimal, exact: Decimal, factor: Decimal) -> bool {
    let steps = exact / factor * Decimal::ONE_HUNDRED;
    let shown = shown * Decimal::ONE_HUNDRED;
    shown == steps.floor() || shown == steps.ceil()
}

/// Runs `args` (plus `--unit unit`, and as CSV) and checks every promise of
/// a table in a unit; returns the table.
fn check(files: &[(&str, &str)], args: &[&str], side: &[&str], unit: &str, factor: u64) -> String {
    let factor = Decimal::from(factor);
    let mut table_args = args.to_vec();
    table_args.extend(["--unit", unit]);
    let mut csv_args = args.to_vec();
    csv_args.extend(["--format", "csv"]);
    let run = |args: &[&str]| -> String {
        let (code, out, err) = if files.is_empty() {
            let out = salesplit().env("COLUMNS", "1000").args(args).output().unwrap();
            (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
        } else {
            run_in(files, args)
        };
        assert_eq!(code, Some(0), "{args:?}: {err}");
        out
    };
    let table = run(&table_args);
    let shown = parse(&table, side.len());
    let exact = exact(&run(&csv_args), side);
    let mut col_exact = vec![Decimal::ZERO; shown.periods.len()];
    let mut zeros = 0;
    let mut rounded = false;
    let mut see = |what: &str, shown: Decimal, exact: Decimal| {
        assert!(floor_or_ceiling(shown, exact, factor), "{what}: {shown} {unit} for {exact}\n{table}");
        rounded |= shown * factor != exact;
        zeros += usize::from(shown.is_zero() && !exact.is_zero());
    };
    for (keys, figures, total) in &shown.rows {
        let mut row_exact = Decimal::ZERO;
        for (j, figure) in figures.iter().enumerate() {
            let e = exact.get(&(keys.clone(), shown.periods[j].clone())).copied();
            assert_eq!(figure.is_some(), e.is_some(), "{keys:?} {}", shown.periods[j]);
            if let (Some(figure), Some(e)) = (figure, e) {
                see(&format!("{keys:?} {}", shown.periods[j]), *figure, e);
                row_exact += e;
                col_exact[j] += e;
            }
        }
        assert_eq!(figures.iter().flatten().sum::<Decimal>(), *total, "row {keys:?} adds up as shown\n{table}");
        see(&format!("{keys:?} Total"), *total, row_exact);
    }
    for (j, period) in shown.periods.iter().enumerate() {
        let sum: Decimal = shown.rows.iter().filter_map(|(_, f, _)| f[j]).sum();
        assert_eq!(sum, shown.column_totals[j], "column {period} adds up as shown\n{table}");
        see(&format!("Total {period}"), shown.column_totals[j], col_exact[j]);
    }
    assert_eq!(shown.column_totals.iter().sum::<Decimal>(), shown.total, "{table}");
    assert_eq!(shown.rows.iter().map(|r| r.2).sum::<Decimal>(), shown.total, "{table}");
    see("Total", shown.total, col_exact.iter().sum());
    // The note says the figures are rounded, and how many non-zero figures show as 0.00.
    let says = format!("note: figures in {unit}, rounded so that every row and column adds up as shown");
    match (&shown.note, rounded) {
        (None, false) => {}
        (Some(note), true) if zeros == 0 => assert_eq!(*note, says),
        (Some(note), true) => {
            let figures = if zeros == 1 { "figure shows" } else { "figures show" };
            assert_eq!(*note, format!("{says}; {zeros} non-zero {figures} as 0.00 (a smaller --unit shows them)"));
        }
        (note, _) => panic!("rounded: {rounded}, note {note:?}\n{table}"),
    }
    table
}

#[test]
fn the_company_plan_in_wan_adds_up_as_shown() {
    let plan = "examples/company.toml";
    let table = check(&[], &["decompose", plan, "--by", "region,quarter"], &["region"], "万", 10_000);
    // Q1 is 1,900,000.08 in exact cents: 190.00 万, not 190.01.
    assert!(table.contains("│ Total  ┆  190.00 ┆  250.00 ┆  250.00 ┆  310.00 ┆ 1,000.00 ┆"), "{table}");
    check(&[], &["decompose", plan, "--by", "salesperson,quarter"], &["salesperson"], "万", 10_000);
    check(&[], &["decompose", plan, "--by", "region,month"], &["region"], "万", 10_000);
    check(&[], &["decompose", plan, "--by", "region,product,month"], &["region", "product"], "万", 10_000);
    check(&[], &["decompose", plan, "--by", "salesperson,month"], &["salesperson"], "k", 1_000);
}

#[test]
fn the_company_plan_in_yi_adds_up_and_says_what_shows_as_zero() {
    let plan = "examples/company.toml";
    let table = check(&[], &["decompose", plan, "--by", "region,quarter"], &["region"], "亿", 100_000_000);
    assert!(table.contains("non-zero figures show as 0.00"), "{table}");
    check(&[], &["decompose", plan, "--by", "salesperson,quarter"], &["salesperson"], "亿", 100_000_000);
    check(&[], &["decompose", plan, "--by", "region,product,month"], &["region", "product"], "百万", 1_000_000);
}

#[test]
fn a_small_plan_adds_up_in_every_unit() {
    let files = [("plan.toml", SMALL)];
    let args = ["decompose", "plan.toml", "--by", "region,quarter"];
    let table = check(&files, &args, &["region"], "万", 10_000);
    // 123,456.78 is 12.35 万 (its nearer value); the regions' 3.09, 3.09, 3.09 and 6.17 万 add up to it.
    assert!(table.contains("┆ 12.35 ┆"), "{table}");
    let table = check(&files, &args, &["region"], "亿", 100_000_000);
    // Every figure of the table shows 0.00 in 亿, and the note says so: 16 cells, 4 row totals,
    // 4 column totals and the grand total.
    assert!(table.ends_with("; 25 non-zero figures show as 0.00 (a smaller --unit shows them)\n"), "{table}");
    check(&files, &["decompose", "plan.toml", "--by", "region,month"], &["region"], "千", 1_000);
}

#[test]
fn csv_and_json_keep_exact_figures() {
    for format in ["csv", "json", "jsonl"] {
        let (code, out, err) =
            run_in(&[("plan.toml", SMALL)], &["decompose", "plan.toml", "--format", format, "--unit", "万"]);
        assert_eq!((code, out.as_str()), (Some(2), ""), "{format}");
        assert!(err.contains("--unit shapes the terminal table; CSV, JSON and xlsx always keep"), "{err}");
    }
    // The table without --unit shows the exact figures and no note.
    let (code, out, _) = run_in(&[("plan.toml", SMALL)], &["decompose", "plan.toml", "--by", "region"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("123,456.78") && !out.contains("note:"), "{out}");
}

#[test]
fn turned_and_long_tables_add_up_as_shown_too() {
    let args = ["decompose", "examples/company.toml", "--by", "region,month", "--unit", "亿"];
    let out = salesplit().args(["decompose", "examples/company.toml", "--by", "region,month", "-f", "csv"]).output();
    let exact = exact(&String::from_utf8(out.unwrap().stdout).unwrap(), &["region"]);
    let yi = Decimal::from(100_000_000);
    // 120 columns: months down the side, regions across.
    let out = salesplit().env("COLUMNS", "120").args(args).output().unwrap();
    let turned = String::from_utf8(out.stdout).unwrap();
    let shown = parse(&turned, 1);
    assert_eq!(shown.periods, ["东北", "华北", "华东", "华南", "华中"], "{turned}");
    for (month, figures, total) in &shown.rows {
        assert_eq!(figures.iter().flatten().sum::<Decimal>(), *total, "{month:?}\n{turned}");
        for (region, figure) in shown.periods.iter().zip(figures) {
            let e = exact[&(vec![region.clone()], month[0].clone())];
            assert!(floor_or_ceiling(figure.unwrap(), e, yi), "{region} {month:?}\n{turned}");
        }
    }
    for (j, total) in shown.column_totals.iter().enumerate() {
        assert_eq!(shown.rows.iter().filter_map(|r| r.1[j]).sum::<Decimal>(), *total, "{turned}");
    }
    assert_eq!(shown.total, dec("0.10"));
    let note = note_of(&turned).unwrap();
    assert!(note.ends_with("; 52 non-zero figures show as 0.00 (a smaller --unit shows them)"), "{turned}");
    assert!(turned.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 120), "the note wraps:\n{turned}");
    // 40 columns: one line per cell; the cells add up to the grand total as shown.
    let out = salesplit().env("COLUMNS", "40").args(args).output().unwrap();
    let long = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Vec<String>> = long
        .lines()
        .filter(|l| l.starts_with('│'))
        .skip(1)
        .map(|l| l.split(['│', '┆']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect())
        .collect();
    let (total, cells) = lines.split_last().unwrap();
    assert_eq!(cells.len(), 60, "{long}");
    let mut zeros = 0;
    for cell in cells {
        let e = exact[&(vec![cell[0].clone()], cell[1].clone())];
        assert!(floor_or_ceiling(dec(&cell[2]), e, yi), "{cell:?}\n{long}");
        zeros += usize::from(dec(&cell[2]).is_zero());
    }
    assert_eq!(cells.iter().map(|c| dec(&c[2])).sum::<Decimal>(), dec(&total[1]), "{long}");
    // The note counts the figures this table shows: its cells (the grand total is not zero).
    let note = note_of(&long).unwrap();
    assert!(
        note.ends_with(&format!("; {zeros} non-zero figures show as 0.00 (a smaller --unit shows them)")),
        "{long}"
    );
}

#[test]
fn generated_plans_add_up_in_every_unit() {
    // A small linear congruential generator: the same plans every run.
    let mut seed: u64 = 20_261_127;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let units =
        [("万", 10_000), ("千", 1_000), ("百万", 1_000_000), ("亿", 100_000_000), ("k", 1_000), ("M", 1_000_000)];
    for _ in 0..24 {
        let cents = 1 + next(1_000_000_000) * 10u64.pow(u32::try_from(next(5)).unwrap());
        let regions: Vec<String> = (0..2 + next(5)).map(|i| format!("R{i} = {}", next(9))).collect();
        let products: Vec<String> = (0..=next(3)).map(|i| format!("P{i} = {}", 1 + next(5))).collect();
        let level = ["quarter", "month"][usize::try_from(next(2)).unwrap()];
        let spread = ["even", "days", "workdays"][usize::try_from(next(3)).unwrap()];
        let plan = format!(
            "[plan]\nname = \"G\"\ncurrency = \"CNY\"\nyear = 2026\nprecision = \"0.01\"\n\n[target]\nsales = \"{}.{:02}\"\n\n\
             [time]\nspread = \"{spread}\"\nlevel = \"{level}\"\n\n[[split]]\nby = \"region\"\nweights = {{ R9 = 1, {} }}\n\n\
             [[split]]\nby = \"product\"\nweights = {{ {} }}\n",
            cents / 100,
            cents % 100,
            regions.join(", "),
            products.join(", ")
        );
        let (unit, factor) = units[usize::try_from(next(6)).unwrap()];
        let files = [("plan.toml", plan.as_str())];
        let by = format!("region,{level}");
        check(&files, &["decompose", "plan.toml", "--by", &by], &["region"], unit, factor);
        let by = format!("region,product,{level}");
        check(&files, &["decompose", "plan.toml", "--by", &by], &["region", "product"], unit, factor);
    }
}

/// A `track` report in 万: every money column that adds up (target, target
/// to date, actual to date, gap, remaining) adds up to its Total row as
/// shown, and each shown figure is the floor or ceiling of the CSV's exact
/// figure in 万.
#[test]
fn a_track_report_in_wan_adds_up_as_shown() {
    let args = [
        "track",
        "examples/company.toml",
        "--actuals",
        "examples/company-sales.csv",
        "--as-of",
        "2026-03-13",
        "--by",
        "region,product",
    ];
    let run = |extra: &[&str]| {
        let out = salesplit().env("COLUMNS", "1000").args(args).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&["--unit", "万"]);
    let csv = csv_rows(&run(&["--format", "csv"]));
    let lines: Vec<Vec<String>> = table
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.trim_matches('│').split('┆').map(|c| c.trim().to_string()).collect())
        .collect();
    let head = &lines[0];
    let (rows, total) = (&lines[1..lines.len() - 1], &lines[lines.len() - 1]);
    assert_eq!(total[0], "Total", "{table}");
    assert_eq!(rows.len(), csv.len(), "{table}");
    let factor = Decimal::from(10_000);
    let mut rounded = 0;
    for name in ["target", "target_to_date", "actual_to_date", "gap", "remaining"] {
        let c = head.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name} in {head:?}"));
        let figure = |s: &str| dec(&s.replace(',', ""));
        let mut sum = Decimal::ZERO;
        for (row, exact) in rows.iter().zip(&csv) {
            assert_eq!((&row[0], &row[1]), (&exact["region"], &exact["product"]));
            let (shown, exact) = (figure(&row[c]), dec(&exact[name]));
            assert!(floor_or_ceiling(shown, exact, factor), "{name} {shown} for {exact}");
            rounded += usize::from(shown * factor != exact);
            sum += shown;
        }
        let exact_total: Decimal = csv.iter().map(|r| dec(&r[name])).sum();
        assert_eq!(sum, figure(&total[c]), "{name}: the rows add up to the Total as shown\n{table}");
        assert!(floor_or_ceiling(sum, exact_total, factor), "{name} Total {sum} for {exact_total}");
    }
    assert!(rounded > 0, "the test needs figures that round");
    assert!(table.contains("every column adds up to its Total as shown"), "{table}");
}
