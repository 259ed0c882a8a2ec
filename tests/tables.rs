//! Terminal tables: `--rows`/`--cols` choose the pivot, `--unit` scales the
//! display only, wide tables fit the terminal, colour follows the
//! terminal and `NO_COLOR`, and a share column shows each row's part of its
//! parent.

use crate::common::{column, csv_rows, dec, salesplit};
use rust_decimal::Decimal;

fn run(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut cmd = salesplit();
    cmd.env_remove("COLUMNS").env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The cells of a table's line, without its borders.
fn cells(line: &str) -> Vec<String> {
    line.split(['│', '┆']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
}

#[test]
fn rows_and_cols_choose_the_pivot_and_its_totals_match_the_cells() {
    let (code, table, err) = run(&["decompose", "examples/company.toml", "--rows", "region", "--cols", "product"], &[]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "2026 年度销售计划 — sales (CNY), by region × product");
    assert_eq!(cells(lines[2]), ["region", "A", "B", "C", "Total", "share"]);
    let (_, csv, _) = run(&["decompose", "examples/company.toml", "--by", "region,product", "-f", "csv"], &[]);
    let rows = csv_rows(&csv);
    // 华东 sells its own mix: A 1,500,000, B 900,000, C 600,000.
    let east: Vec<String> = cells(lines.iter().find(|l| l.contains("华东")).unwrap());
    for (i, product) in ["A", "B", "C"].iter().enumerate() {
        let want = rows.iter().find(|r| r["region"] == "华东" && r["product"] == *product).unwrap();
        assert_eq!(dec(&east[i + 1].replace(',', "")), dec(&want["sales"]), "{product}");
    }
    let total_line = cells(lines.iter().find(|l| l.contains("Total") && !l.contains("region")).unwrap());
    let sum: Decimal = column(&rows, "sales").iter().map(|s| dec(s)).sum();
    assert_eq!(dec(&total_line[4].replace(',', "")), sum);
}

#[test]
fn the_share_column_gives_each_row_its_part_of_its_parent() {
    let (code, table, err) = run(&["decompose", "examples/regions.toml", "--by", "region"], &[]);
    assert_eq!(code, Some(0), "{err}");
    // Regions 150/200/300/250/100 of 1,000: 15%, 20%, 30%, 25%, 10%, with bars of 10 characters at 100%.
    assert!(table.contains("│ 东北   ┆  1,500,000.00 ┆ 15.00% █▌  │"), "{table}");
    assert!(table.contains("│ 华东   ┆  3,000,000.00 ┆ 30.00% ███ │"), "{table}");
    // Down two levels, a salesperson's share is of their region and product.
    let (_, table, _) = run(&["decompose", "examples/company.toml", "--by", "region,product,salesperson"], &[]);
    let shares: Vec<Decimal> = table
        .lines()
        .filter(|l| l.contains("东北") && l.contains(" A "))
        .map(|l| dec(cells(l).last().unwrap().split('%').next().unwrap()))
        .collect();
    assert!(shares.len() >= 2, "{table}");
    assert!((shares.iter().sum::<Decimal>() - dec("100")).abs() <= dec("0.05"), "{shares:?}");
}

#[test]
fn a_unit_scales_the_table_and_nothing_else() {
    let (code, table, err) = run(&["decompose", "examples/regions.toml", "--by", "region", "--unit", "万"], &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(table.starts_with("2026 区域目标 — sales (in 万 CNY), by region × year\n"), "{table}");
    assert!(table.contains("│ 东北   ┆   150.00 ┆"), "{table}");
    assert!(table.contains("│ Total  ┆ 1,000.00 ┆"), "{table}");
    let (code, _, err) = run(&["decompose", "examples/regions.toml", "--by", "region", "--unit", "k"], &[]);
    assert_eq!(code, Some(0), "{err}");
    // CSV keeps exact figures: --unit there is a usage error.
    let (code, out, err) = run(&["decompose", "examples/regions.toml", "-f", "csv", "--unit", "万"], &[]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(err.contains("--unit shapes the terminal table"), "{err}");
    let (code, _, err) = run(&["decompose", "examples/regions.toml", "--unit", "lakh"], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`lakh` is not a unit; use one of 万, 千, 百万, 亿, k, M"), "{err}");
}

#[test]
fn a_table_wider_than_the_terminal_turns_or_lists_its_cells() {
    let args = ["decompose", "examples/company.toml", "--by", "region,month"];
    let width = |t: &str| t.lines().map(unicode_width::UnicodeWidthStr::width).max().unwrap();
    let (_, wide, _) = run(&args, &[("COLUMNS", "400")]);
    assert!(wide.lines().nth(2).unwrap().contains("2026-01 ┆"), "months across:\n{wide}");
    assert!(width(&wide) > 120, "{wide}");
    let (_, turned, _) = run(&args, &[("COLUMNS", "120")]);
    assert!(width(&turned) <= 120, "{turned}");
    assert_eq!(cells(turned.lines().nth(2).unwrap())[0], "month", "months down the side:\n{turned}");
    let (_, long, _) = run(&args, &[("COLUMNS", "40")]);
    assert_eq!(cells(long.lines().find(|l| l.starts_with('│')).unwrap()), ["region", "month", "sales"], "{long}");
    assert_eq!(long.lines().filter(|l| l.contains("2026-")).count(), 60);
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let args = ["decompose", "examples/regions.toml", "--by", "region"];
    let ansi = |t: &str| t.contains("\u{1b}[");
    let (_, plain, _) = run(&args, &[]);
    assert!(!ansi(&plain), "not a terminal: no colour");
    let (_, forced, _) = run(&args, &[("CLICOLOR_FORCE", "1")]);
    assert!(ansi(&forced), "{forced}");
    let (_, no_color, _) = run(&args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!ansi(&no_color));
    let mut flagged: Vec<&str> = args.to_vec();
    flagged.push("--no-color");
    let (_, flag, _) = run(&flagged, &[("CLICOLOR_FORCE", "1")]);
    assert!(!ansi(&flag));
}

#[test]
fn rows_and_cols_must_name_dimensions_once() {
    let (code, _, err) =
        run(&["decompose", "examples/company.toml", "--by", "region,quarter", "--rows", "product"], &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error[E0801]: --rows/--cols name `product`, which is not a dimension of the breakdown\n = help: the dimensions of this breakdown are: region, quarter (add others with --by)\n"
    );
    let (code, _, err) = run(&["decompose", "examples/company.toml", "--rows", "region", "--cols", "region"], &[]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("error[E0802]: --rows/--cols name `region` twice\n"), "{err}");
}

#[test]
fn a_track_report_in_wan_keeps_its_percentages() {
    let (code, table, err) = run(
        &[
            "track",
            "examples/company.toml",
            "--actuals",
            "examples/company-sales.csv",
            "--as-of",
            "2026-03-15",
            "--by",
            "region",
            "--period",
            "2026",
            "--unit",
            "万",
        ],
        &[],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        table.starts_with("2026 年度销售计划 — sales (in 万 CNY), by region × year, as of 2026-03-15\n"),
        "{table}"
    );
    // 东北: 1,500,000.00 target and 226,424.83 sold = 150.00 and 22.64 万, attainment 103.13% as it was.
    let east = cells(table.lines().find(|l| l.contains("东北")).unwrap());
    assert_eq!(&east[2..6], ["150.00", "21.95", "22.64", "103.13%"]);
}

#[test]
fn colour_takes_no_room_when_a_table_is_fitted() {
    // The region × quarter table in 万 is 75 columns wide: it fits 80 with or without colour
    // (escape sequences are not counted as width).
    let args = ["decompose", "examples/company.toml", "--by", "region,quarter", "--unit", "万"];
    for env in [&[("COLUMNS", "80")][..], &[("COLUMNS", "80"), ("CLICOLOR_FORCE", "1")]] {
        let (_, table, _) = run(&args, env);
        assert!(table.lines().nth(2).unwrap().contains("2026-Q1"), "quarters across with {env:?}:\n{table}");
    }
}
