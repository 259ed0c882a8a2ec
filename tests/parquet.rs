//! `--format parquet`: every example's cells read back by pyarrow
//! (`tests/parquet_rows.py`) are the CSV's cells exactly — members, period,
//! dates and every figure as an exact decimal — for decompose, a track
//! report (ratios, words and missing figures) and shards joined. Where no
//! python3 has pyarrow, the comparisons say "skipped: pyarrow not
//! installed" and pass (CI installs it in `.ci/run`); the file's own
//! structure is checked with the parquet crate's reader everywhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use rust_decimal::Decimal;

use crate::common::salesplit;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A python3 that can `import pyarrow`.
fn arrow_python() -> Option<PathBuf> {
    crate::common::python_with("pyarrow.parquet")
}

/// Runs salesplit in the crate's folder; stdout (it must succeed).
#[track_caller]
fn run(args: &[&str]) -> String {
    let out = salesplit().current_dir(root()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The CSV's header and rows.
fn csv_table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

/// What pyarrow reads from `files`: the column names and each row's fields.
fn parquet_table(python: &Path, files: &[PathBuf]) -> (Vec<String>, Vec<Vec<Option<String>>>) {
    let out = Command::new(python).arg(root().join("tests/parquet_rows.py")).args(files).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let names = serde_json::from_str(lines.next().unwrap()).unwrap();
    (names, lines.map(|l| serde_json::from_str(l).unwrap()).collect())
}

/// The CSV's cells and pyarrow's agree: text fields are equal, figures are
/// equal decimals, and an empty CSV field is a null.
#[track_caller]
fn assert_same(what: &str, csv: &(Vec<String>, Vec<Vec<String>>), parquet: &(Vec<String>, Vec<Vec<Option<String>>>)) {
    assert_eq!(csv.0, parquet.0, "{what}: columns");
    assert_eq!(csv.1.len(), parquet.1.len(), "{what}: rows");
    for (i, (c, p)) in csv.1.iter().zip(&parquet.1).enumerate() {
        for (k, (c, p)) in c.iter().zip(p).enumerate() {
            let same = match (c.parse::<Decimal>(), p) {
                _ if c.is_empty() => p.is_none(),
                (Ok(c), Some(p)) if k > csv.0.iter().position(|n| n == "end").unwrap() => {
                    p.parse::<Decimal>().is_ok_and(|p| p == c)
                }
                _ => p.as_deref() == Some(c.as_str()),
            };
            assert!(same, "{what}: row {i}, column {}: CSV {c:?}, Parquet {p:?}", csv.0[k]);
        }
    }
}

/// Every example plan, as the other format tests list them.
fn examples() -> Vec<String> {
    let mut plans: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("examples/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    plans.sort();
    plans
}

#[test]
fn a_parquet_file_is_well_formed_with_a_row_per_cell() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("company.parquet");
    let path_text = path.to_str().unwrap();
    run(&["decompose", "examples/company.toml", "--by", "region,product,salesperson,day", "--output", path_text]);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "Parquet's magic at both ends");
    let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    let meta = reader.metadata();
    // 20 salespeople x 3 products x 365 days.
    assert_eq!(meta.file_metadata().num_rows(), 21_900);
    let schema = meta.file_metadata().schema_descr();
    let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["region", "product", "salesperson", "period", "start", "end", "sales"]);
    let sales = schema.column(6);
    assert_eq!((sales.type_precision(), sales.type_scale()), (38, 2), "DECIMAL(38, 2) at precision 0.01");
    // The extension chose the format; a missing --output is a usage error.
    let out =
        salesplit().current_dir(root()).args(["decompose", "examples/company.toml", "--format", "parquet"]).output();
    assert_eq!(out.unwrap().status.code(), Some(2));
}

#[test]
fn pyarrow_reads_every_example_and_a_track_report_as_the_csv_says() {
    let Some(python) = arrow_python() else {
        eprintln!("skipped: pyarrow not installed (python3 -m pip install pyarrow)");
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let track = ["track", "examples/company.toml", "--actuals", "examples/company-sales.csv", "--as-of", "2026-03-15"];
    let mut runs: Vec<Vec<String>> = examples().into_iter().map(|p| vec!["decompose".to_string(), p]).collect();
    runs.push(track.iter().map(|s| (*s).to_string()).collect());
    runs.push(track.iter().map(|s| (*s).to_string()).chain(["--by".into(), "region,month".into()]).collect());
    for (i, args) in runs.iter().enumerate() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let file = dir.path().join(format!("{i}.parquet"));
        let csv = csv_table(&run(&[&args[..], &["--format", "csv"]].concat()));
        run(&[&args[..], &["--output", file.to_str().unwrap()]].concat());
        assert_same(&args.join(" "), &csv, &parquet_table(&python, &[file]));
    }
}

#[test]
fn parquet_shards_read_together_are_the_whole_run() {
    let Some(python) = arrow_python() else {
        eprintln!("skipped: pyarrow not installed (python3 -m pip install pyarrow)");
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let plan = ["decompose", "examples/company.toml", "--by", "region,product,salesperson,week"];
    let whole = csv_table(&run(&[&plan[..], &["--format", "csv"]].concat()));
    let files: Vec<PathBuf> = (1..=4)
        .map(|k| {
            let file = dir.path().join(format!("part-{k}.parquet"));
            run(&[&plan[..], &["--shard", &format!("{k}/4"), "--output", file.to_str().unwrap()]].concat());
            file
        })
        .collect();
    assert_same("4 shards", &whole, &parquet_table(&python, &files));
}

#[test]
fn a_figure_parquet_cannot_hold_is_refused_and_no_file_is_left() {
    // A level written with 23 decimals: the DECIMAL(38, 18) column keeps 18.
    let plan = "[plan]\nyear = 2026\n\n[target]\nsales = 1000\n\n[target.score]\nkind = \"level\"\n\
                value = \"4.12345678901234567890123\"\n\n[time]\nlevel = \"year\"\n";
    crate::common::fails_with(
        1,
        &[("plan.toml", plan)],
        &["decompose", "plan.toml", "--output", "cells.parquet"],
        &crate::common::lines(&[
            "error[E0906]: `score` = 4.12345678901234567890123 cannot be written as a Parquet DECIMAL(38, 18) without losing digits",
            " = note: the `score` column keeps 18 decimals and 38 digits in all",
            " = help: write the figure with at most 18 decimals, or use --format csv or json, which keep every digit",
        ]),
    );
}
