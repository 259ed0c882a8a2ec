//! `track`'s Total rows add up (issue 13, item 6): on every example plan,
//! against generated actuals (returns, amounts finer than the plan, members
//! the plan does not have, sales after the as-of date), for every `--by`
//! shape, `--period` and `--replan`, the Total of every additive column
//! (`target`, `target_to_date`, `actual_to_date`, `gap`, `remaining`,
//! `projected`) is the exact sum of the rows as printed, and `attainment`,
//! `run_rate` and `status`
//! in the Total row are worked out from the Total row's own figures as
//! printed — checked in exact rational arithmetic, in JSON, in CSV (its rows
//! are the JSON's), in the terminal table's Total row, and in the workbook,
//! where every formula's cached value is what the formula computes from the
//! cells it references.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use chrono::{Days, NaiveDate};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use crate::common::json::{parse_json, J};
use crate::common::{csv_rows, salesplit};

/// The columns whose Total is the sum of the rows.
const ADDITIVE: [&str; 6] = ["target", "target_to_date", "actual_to_date", "gap", "remaining", "projected"];
/// Every column of a report after the period, in order.
const COLUMNS: [&str; 9] =
    ["target", "target_to_date", "actual_to_date", "attainment", "gap", "remaining", "run_rate", "projected", "status"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs salesplit from the crate root; asserts success and returns stdout.
fn run(args: &[&str]) -> String {
    let out = salesplit().current_dir(root()).args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "salesplit {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A decimal text (`-6879.34`, `1e3` never appears) as an exact rational.
fn q(text: &str) -> BigRational {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mantissa: BigInt = format!("{whole}{fraction}").parse().unwrap_or_else(|_| panic!("not a decimal: {text}"));
    let value = BigRational::new(mantissa, BigInt::from(10).pow(fraction.len() as u32));
    if negative {
        -value
    } else {
        value
    }
}

/// `x` rounded half away from zero to `decimals` decimals (Excel's ROUND,
/// and the report's rule); negative `decimals` round to tens, hundreds.
fn round(x: &BigRational, decimals: i64) -> BigRational {
    let ten = BigRational::from_integer(BigInt::from(10));
    let scale = ten.pow(decimals as i32);
    let y = x * &scale;
    let half = BigRational::new(BigInt::one(), BigInt::from(2));
    let r = (y.abs() + half).floor();
    let r = if y.is_negative() { -r } else { r };
    r / scale
}

/// The decimals of a precision: "0.01" has 2, "1" and "100" none.
fn decimals(precision: &str) -> i64 {
    precision.split_once('.').map_or(0, |(_, f)| f.len() as i64)
}

fn date(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap()
}

/// What the tests need to know of an example plan, from `decompose`.
struct Plan {
    splits: Vec<String>,
    /// Each org leaf's members (one per split).
    leaves: Vec<Vec<String>>,
    start: NaiveDate,
    end: NaiveDate,
    /// The company's target per day.
    days: BTreeMap<NaiveDate, BigRational>,
    /// The label of the year's second quarter, for `--period`.
    second_quarter: String,
}

impl Plan {
    fn read(path: &'static str) -> Plan {
        let doc = parse_json(&run(&["decompose", path, "--format", "json"])).unwrap();
        let J::Arr(dims) = doc.get("dimensions").unwrap() else { panic!("dimensions") };
        let splits: Vec<String> = dims.iter().map(|d| d.str().unwrap().to_string()).filter(|d| d != "period").collect();
        let by: String = splits.iter().map(String::as_str).chain(["year"]).collect::<Vec<_>>().join(",");
        let leaves: Vec<Vec<String>> = csv_rows(&run(&["decompose", path, "--by", &by, "--format", "csv"]))
            .iter()
            .map(|r| splits.iter().map(|s| r[s].clone()).collect())
            .collect();
        let year = csv_rows(&run(&["decompose", path, "--by", "year", "--format", "csv"]));
        let days = csv_rows(&run(&["decompose", path, "--by", "day", "--format", "csv"]))
            .iter()
            .map(|r| (date(&r["start"]), q(&r["sales"])))
            .collect();
        let quarters = csv_rows(&run(&["decompose", path, "--by", "quarter", "--format", "csv"]));
        Plan {
            splits,
            leaves,
            start: date(&year[0]["start"]),
            end: date(&year[0]["end"]),
            days,
            second_quarter: quarters[1]["period"].clone(),
        }
    }

    /// The date `n` days into the plan year.
    fn day(&self, n: u64) -> NaiveDate {
        self.start + Days::new(n)
    }
}

/// A small deterministic generator (an LCG), so every run sees the same actuals.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// Actual sales of `plan`'s leaves cut to the first `depth` splits, `rows`
/// of them up to `last`, some of them returns, some with three decimals,
/// some naming a member the plan does not have, a few outside the year; the
/// columns in an order of their own.
fn actuals(plan: &Plan, depth: usize, rows: usize, last: NaiveDate, seed: u64) -> String {
    let mut rng = Lcg(seed);
    let mut columns: Vec<String> = plan.splits[..depth].to_vec();
    columns.push("date".into());
    columns.insert(columns.len() / 2, "sales".into());
    let mut text = columns.join(",") + "\n";
    let span = (last - plan.start).num_days().max(0) as u64 + 1;
    for i in 0..rows {
        let leaf = &plan.leaves[rng.next(plan.leaves.len() as u64) as usize];
        let day = if i % 97 == 5 { plan.start - Days::new(3) } else { plan.day(rng.next(span)) };
        let amount = match rng.next(10) {
            0 => format!("-{}.{:02}", rng.next(300), rng.next(100)),
            1 => format!("{}.{:03}", rng.next(2_000), rng.next(1000)),
            2 => format!("{}", rng.next(50_000)),
            _ => format!("{}.{:02}", rng.next(20_000), rng.next(100)),
        };
        let fields: Vec<String> = columns
            .iter()
            .map(|c| match c.as_str() {
                "date" => day.to_string(),
                "sales" => amount.clone(),
                split => {
                    let s = plan.splits.iter().position(|x| x == split).unwrap();
                    if i % 53 == 7 && s + 1 == depth {
                        "Zed".to_string()
                    } else {
                        leaf[s].clone()
                    }
                }
            })
            .map(|f| if f.contains(',') { format!("\"{f}\"") } else { f })
            .collect();
        text += &(fields.join(",") + "\n");
    }
    text
}

/// The number (as an exact rational) or `None` for `null`, of a JSON value.
fn figure(v: &J) -> Option<BigRational> {
    match v {
        J::Null => None,
        J::Num(n) => Some(q(n)),
        other => panic!("not a number: {other:?}"),
    }
}

fn rows_of(doc: &J) -> &[J] {
    match doc.get("rows").unwrap() {
        J::Arr(rows) => rows,
        _ => panic!("rows"),
    }
}

/// Checks a report's JSON Total row against its rows; returns the total's
/// figures as printed, by column.
fn check_report(plan: &Plan, doc: &J, as_of: NaiveDate, what: &str) -> BTreeMap<String, J> {
    let rows = rows_of(doc);
    let total = doc.get("total").unwrap();
    let t = |c: &str| figure(total.get(c).unwrap_or_else(|| panic!("{what}: no total {c}")));
    for column in ADDITIVE {
        let shown: Vec<BigRational> = rows.iter().filter_map(|r| figure(r.get(column).unwrap())).collect();
        let sum = (!shown.is_empty()).then(|| shown.iter().fold(BigRational::zero(), |s, x| s + x));
        assert_eq!(t(column), sum, "{what}: total {column} is not the sum of its {} rows", rows.len());
    }
    // The ratios, from the Total row's own figures as printed.
    let (due, actual, remaining) =
        (t("target_to_date").unwrap(), t("actual_to_date").unwrap(), t("remaining").unwrap());
    let attainment = (!due.is_zero()).then(|| round(&(&actual / &due), 4));
    assert_eq!(t("attainment"), attainment, "{what}: total attainment = actual_to_date / target_to_date");
    let periods: BTreeSet<(NaiveDate, NaiveDate)> = rows
        .iter()
        .map(|r| (date(r.get("start").unwrap().str().unwrap()), date(r.get("end").unwrap().str().unwrap())))
        .collect();
    let covered: BTreeSet<NaiveDate> =
        periods.iter().flat_map(|&(s, e)| s.iter_days().take_while(move |d| *d <= e)).collect();
    let left = covered.iter().filter(|d| **d > as_of && plan.days[d] > BigRational::zero()).count();
    let dp = decimals(doc.get("precision").unwrap().str().unwrap());
    let run_rate = (left > 0).then(|| {
        let positive = if remaining.is_negative() { BigRational::zero() } else { remaining.clone() };
        round(&(positive / BigRational::from_integer(BigInt::from(left))), dp)
    });
    assert_eq!(t("run_rate"), run_rate, "{what}: total run_rate = remaining over the {left} days left with a target");
    let tolerance = q("0.05");
    let status = match &attainment {
        _ if !covered.iter().any(|d| *d <= as_of) => "upcoming",
        None => "no target",
        Some(a) if *a < BigRational::one() - &tolerance => "behind",
        Some(a) if *a > BigRational::one() + &tolerance => "ahead",
        Some(_) => "on track",
    };
    assert_eq!(total.get("status").unwrap().str(), Some(status), "{what}: total status");
    COLUMNS.iter().map(|c| (c.to_string(), total.get(c).unwrap().clone())).collect()
}

/// The CSV of a run has the JSON's rows, figure for figure.
fn assert_csv_is_json(csv: &str, doc: &J, what: &str) {
    let rows = csv_rows(csv);
    let json = rows_of(doc);
    assert_eq!(rows.len(), json.len(), "{what}: rows");
    for (i, (c, j)) in rows.iter().zip(json).enumerate() {
        for (name, text) in c {
            let want = match j.get(name).unwrap_or_else(|| panic!("{what}: no {name} in JSON row {i}")) {
                J::Null => String::new(),
                J::Num(n) | J::Str(n) => n.clone(),
                other => panic!("{what}: {other:?}"),
            };
            assert_eq!(text, &want, "{what}: {name} of row {i}");
        }
    }
}

/// An amount as the terminal table shows it: thousands separators.
fn thousands(text: &str) -> String {
    let (sign, digits) = text.strip_prefix('-').map_or(("", text), |d| ("-", d));
    let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    fraction.map_or(format!("{sign}{grouped}"), |f| format!("{sign}{grouped}.{f}"))
}

/// The terminal table's Total row shows the JSON's totals.
fn assert_table_total(table: &str, totals: &BTreeMap<String, J>, what: &str) {
    let line =
        table.lines().find(|l| l.starts_with("│ Total")).unwrap_or_else(|| panic!("{what}: no Total row\n{table}"));
    let cells: Vec<&str> = line.trim_matches('│').split('┆').map(str::trim).collect();
    let shown = &cells[cells.len() - COLUMNS.len()..];
    for (column, cell) in COLUMNS.iter().zip(shown) {
        let want = match &totals[*column] {
            J::Null => "–".to_string(),
            J::Str(s) => s.clone(),
            J::Num(n) if *column == "attainment" => {
                let percent = rust_decimal::Decimal::from_str_exact(n).unwrap() * rust_decimal::Decimal::ONE_HUNDRED;
                format!("{}%", percent.round_dp(2).normalize())
            }
            J::Num(n) => thousands(n),
            other => panic!("{other:?}"),
        };
        assert_eq!(*cell, want, "{what}: the table's total {column}");
    }
}

/// The `--by` shapes worth trying on `plan`: the default, each time level
/// alone, each split alone and with months and quarters.
fn shapes(plan: &Plan) -> Vec<Option<String>> {
    let mut shapes: Vec<Option<String>> = vec![None];
    shapes.extend(["year", "quarter", "month", "week"].map(|l| Some(l.to_string())));
    for split in &plan.splits {
        shapes.push(Some(split.clone()));
        shapes.push(Some(format!("{split},month")));
    }
    if plan.splits.len() > 1 {
        shapes.push(Some(format!("{},quarter", plan.splits[..2].join(","))));
        shapes.push(Some(format!("{},quarter", plan.splits[1])));
    }
    shapes
}

/// Every example plan, several actuals and as-of dates, every shape: JSON
/// totals against their rows, CSV rows against JSON rows, and the re-plan's
/// total against its rows.
#[test]
fn every_total_of_every_example_adds_up_and_its_ratios_are_its_own() {
    let dir = tempfile::TempDir::new().unwrap();
    let mut runs = 0;
    for (p, path) in example_plans().into_iter().enumerate() {
        let plan = Plan::read(path);
        let mid = plan.day(150);
        let cases = [
            // Every split, sales to mid-year and after it, as of mid-year.
            (plan.splits.len(), plan.day(200), mid),
            // The first split only (deeper splits cannot be tracked), as of the first day.
            (plan.splits.len().min(1), plan.day(40), plan.start),
            // As of the last day.
            (plan.splits.len(), plan.end, plan.end),
        ];
        for (c, &(depth, last, as_of)) in cases.iter().enumerate() {
            let file = dir.path().join(format!("sales-{p}-{c}.csv"));
            std::fs::write(&file, actuals(&plan, depth, 3_000, last, 7 + p as u64 * 31 + c as u64)).unwrap();
            let file = file.to_str().unwrap();
            let as_of_text = as_of.to_string();
            let tracked: Vec<&String> = plan.splits[..depth].iter().collect();
            for by in shapes(&plan) {
                // Shapes naming a split the actuals do not have are refused (tested elsewhere).
                if by
                    .as_deref()
                    .is_some_and(|b| plan.splits.iter().any(|s| b.split(',').any(|x| x == s) && !tracked.contains(&s)))
                {
                    continue;
                }
                let mut args = vec!["track", path, "--actuals", file, "--as-of", &as_of_text];
                if let Some(b) = &by {
                    args.extend(["--by", b]);
                }
                let what = format!("{path} {} as of {as_of} ({depth} splits)", by.as_deref().unwrap_or("(default)"));
                let doc = parse_json(&run(&[&args[..], &["--format", "json"]].concat())).unwrap();
                check_report(&plan, &doc, as_of, &what);
                assert_csv_is_json(&run(&[&args[..], &["--format", "csv"]].concat()), &doc, &what);
                let replan = parse_json(&run(&[&args[..], &["--replan", "--format", "json"]].concat())).unwrap();
                let sum = rows_of(&replan)
                    .iter()
                    .filter_map(|r| figure(r.get("sales").unwrap()))
                    .fold(BigRational::zero(), |s, x| s + x);
                assert_eq!(figure(replan.get("total").unwrap().get("sales").unwrap()), Some(sum), "{what} --replan");
                runs += 1;
            }
            // A `--period` keeps some periods: the totals are those of the rows kept.
            let args = [
                "track",
                path,
                "--actuals",
                file,
                "--as-of",
                &as_of_text,
                "--by",
                "month",
                "--period",
                &plan.second_quarter,
            ];
            let doc = parse_json(&run(&[&args[..], &["--format", "json"]].concat())).unwrap();
            check_report(&plan, &doc, as_of, &format!("{path} --by month --period {}", plan.second_quarter));
        }
    }
    assert!(runs > 150, "only {runs} runs");
}

/// The shipped example of `track`: the terminal table's Total row shows the
/// totals that add up, for the default breakdown and a few others; the
/// projection of a year by region is the sum of the regions'.
#[test]
fn the_company_example_s_table_total_adds_up() {
    let plan = Plan::read("examples/company.toml");
    for as_of in ["2026-03-15", "2026-06-30"] {
        for by in [None, Some("region"), Some("region,quarter"), Some("product,month"), Some("month")] {
            let mut args =
                vec!["track", "examples/company.toml", "--actuals", "examples/company-sales.csv", "--as-of", as_of];
            if let Some(b) = by {
                args.extend(["--by", b]);
            }
            let what = format!("{} as of {as_of}", by.unwrap_or("(default)"));
            let doc = parse_json(&run(&[&args[..], &["--format", "json"]].concat())).unwrap();
            let totals = check_report(&plan, &doc, date(as_of), &what);
            assert_table_total(&run(&args), &totals, &what);
        }
    }
    let args = [
        "track",
        "examples/company.toml",
        "--actuals",
        "examples/company-sales.csv",
        "--as-of",
        "2026-03-15",
        "--by",
        "region",
        "--format",
        "json",
    ];
    let doc = parse_json(&run(&args)).unwrap();
    assert_eq!(doc.get("total").unwrap().get("projected").unwrap().num(), Some("10179263.72"));
}

// ----------------------------------------------------------------------------
// The workbook: every formula of both sheets evaluated from the cells it
// references, against the value it caches.

/// A value in a formula.
#[derive(Clone, Debug, PartialEq)]
enum V {
    Num(BigRational),
    Text(String),
    Bool(bool),
    /// Cells: each one's number, if it holds one.
    Cells(Vec<Option<BigRational>>),
}

/// A sheet's cells (cached values for formula cells), to evaluate formulas
/// over, and its formulas (a `SUBTOTAL` leaves out the cells that are
/// `SUBTOTAL`s themselves, as the Summary's group subtotals are).
struct Sheet<'a>(&'a Range<Data>, Option<&'a Range<String>>);

impl Sheet<'_> {
    fn number(&self, row: u32, col: u32) -> Option<BigRational> {
        match self.0.get_value((row, col)) {
            Some(Data::Float(f)) => Some(q(&f.to_string())),
            Some(Data::Int(i)) => Some(BigRational::from_integer(BigInt::from(*i))),
            _ => None,
        }
    }

    /// As [`Sheet::number`], but nothing for a cell that is itself a `SUBTOTAL`
    /// (for the cells of a range; a single cell is its number).
    fn counted(&self, row: u32, col: u32) -> Option<BigRational> {
        let subtotal = self.1.and_then(|f| f.get_value((row, col))).is_some_and(|f| f.starts_with("SUBTOTAL("));
        if subtotal {
            None
        } else {
            self.number(row, col)
        }
    }
}

/// `B12` as (row, column), 0-based.
fn cell_at(reference: &str) -> (u32, u32) {
    let letters: String = reference.chars().take_while(char::is_ascii_uppercase).collect();
    let row: u32 = reference[letters.len()..].parse().unwrap_or_else(|_| panic!("not a cell: {reference}"));
    let col = letters.bytes().fold(0u32, |c, b| c * 26 + u32::from(b - b'A' + 1)) - 1;
    (row - 1, col)
}

/// A recursive-descent reader of the formulas salesplit writes: SUM,
/// SUBTOTAL(109, ...), ROUND, MAX, IF, `/`, `=`, numbers, `""`, cells and
/// ranges.
struct Formula<'s, 'a> {
    text: &'s [u8],
    at: usize,
    sheet: &'s Sheet<'a>,
}

impl Formula<'_, '_> {
    fn eval(text: &str, sheet: &Sheet<'_>) -> V {
        let mut f = Formula { text: text.as_bytes(), at: 0, sheet };
        let v = f.comparison();
        assert_eq!(f.at, f.text.len(), "formula not read to the end: {text}");
        v
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) {
        assert_eq!(
            self.peek(),
            Some(c),
            "expected {} at {} of {}",
            c as char,
            self.at,
            String::from_utf8_lossy(self.text)
        );
        self.at += 1;
    }

    fn comparison(&mut self) -> V {
        let left = self.quotient();
        if self.peek() == Some(b'=') {
            self.at += 1;
            let right = self.quotient();
            return V::Bool(num(&left) == num(&right));
        }
        left
    }

    fn quotient(&mut self) -> V {
        let mut v = self.atom();
        while self.peek() == Some(b'/') {
            self.at += 1;
            let d = num(&self.atom());
            assert!(!d.is_zero(), "a division by zero");
            v = V::Num(num(&v) / d);
        }
        v
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-' && self.at == start) {
            self.at += 1;
        }
        String::from_utf8(self.text[start..self.at].to_vec()).unwrap()
    }

    fn atom(&mut self) -> V {
        if self.peek() == Some(b'"') {
            self.eat(b'"');
            self.eat(b'"');
            return V::Text(String::new());
        }
        let word = self.word();
        if word.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            return V::Num(q(&word));
        }
        if self.peek() == Some(b'(') {
            self.eat(b'(');
            let mut args = vec![self.comparison()];
            while self.peek() == Some(b',') {
                self.at += 1;
                args.push(self.comparison());
            }
            self.eat(b')');
            return call(&word, &args);
        }
        let (r1, c1) = cell_at(&word);
        let (r2, c2) = if self.peek() == Some(b':') {
            self.at += 1;
            cell_at(&self.word())
        } else {
            (r1, c1)
        };
        let cells = (r1..=r2)
            .flat_map(|r| (c1..=c2).map(move |c| (r, c)))
            .map(|(r, c)| if (r1, c1) == (r2, c2) { self.sheet.number(r, c) } else { self.sheet.counted(r, c) })
            .collect();
        V::Cells(cells)
    }
}

/// A single number: a number, or the number of a single cell (an empty cell is 0).
fn num(v: &V) -> BigRational {
    match v {
        V::Num(n) => n.clone(),
        V::Cells(cells) if cells.len() == 1 => cells[0].clone().unwrap_or_else(BigRational::zero),
        other => panic!("not a number: {other:?}"),
    }
}

/// The sum of the numbers among `args` (cells that hold none count for nothing).
fn sum(args: &[V]) -> BigRational {
    args.iter()
        .map(|a| match a {
            V::Cells(cells) => cells.iter().flatten().fold(BigRational::zero(), |s, x| s + x),
            other => num(other),
        })
        .fold(BigRational::zero(), |s, x| s + x)
}

fn call(name: &str, args: &[V]) -> V {
    match name {
        "SUM" => V::Num(sum(args)),
        "SUBTOTAL" => {
            // 109 sums the rows a filter shows (the Detail), 9 every row (the Summary's groups).
            let function = num(&args[0]);
            assert!(
                function == BigRational::from_integer(BigInt::from(109))
                    || function == BigRational::from_integer(BigInt::from(9)),
                "SUBTOTAL sums (9 or 109)"
            );
            V::Num(sum(&args[1..]))
        }
        "ROUND" => {
            let places = num(&args[1]).to_integer();
            V::Num(round(&num(&args[0]), i64::try_from(places).unwrap()))
        }
        "MAX" => V::Num(args.iter().map(num).max().unwrap()),
        "IF" => {
            let V::Bool(condition) = args[0] else { panic!("IF of {:?}", args[0]) };
            if condition {
                args[1].clone()
            } else {
                args[2].clone()
            }
        }
        other => panic!("a function the tests do not know: {other}"),
    }
}

/// Checks every formula of `sheet` against its cached value; returns how many.
fn check_formulas(path: &Path, sheet: &str, what: &str) -> usize {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let values = book.worksheet_range(sheet).unwrap();
    let formulas = book.worksheet_formula(sheet).unwrap();
    let cells = Sheet(&values, Some(&formulas));
    let mut checked = 0;
    let (Some(start), Some(end)) = (formulas.start(), formulas.end()) else { return 0 };
    for row in start.0..=end.0 {
        for col in start.1..=end.1 {
            let Some(formula) = formulas.get_value((row, col)).filter(|f| !f.is_empty()) else { continue };
            let computed = Formula::eval(formula, &cells);
            let cached = cells.number(row, col);
            match computed {
                V::Num(n) => {
                    assert_eq!(cached, Some(n), "{what}: {sheet}!{row},{col} ={formula} caches another figure");
                }
                other => panic!("{what}: {sheet}!{row},{col} ={formula} computes {other:?}"),
            }
            checked += 1;
        }
    }
    checked
}

/// The workbooks of the company example and of generated actuals: every
/// formula's cached value is what it computes, the Detail's Total row holds
/// the JSON's totals, and its additive totals are still SUBTOTAL formulas.
/// `track PLAN --actuals ACTUALS --as-of DATE` and what follows.
fn track<'a>(plan: &'a str, actuals: &'a str, as_of: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    [&["track", plan, "--actuals", actuals, "--as-of", as_of][..], rest].concat()
}

#[test]
fn every_workbook_formula_caches_what_it_computes() {
    let dir = tempfile::TempDir::new().unwrap();
    let regions = Plan::read("examples/regions.toml");
    let generated = dir.path().join("regions-sales.csv");
    std::fs::write(&generated, actuals(&regions, 3, 4_000, regions.day(220), 11)).unwrap();
    let generated = generated.to_str().unwrap();
    let (company, sales, regions) = ("examples/company.toml", "examples/company-sales.csv", "examples/regions.toml");
    let runs: Vec<Vec<&str>> = vec![
        track(company, sales, "2026-03-15", &[]),
        track(company, sales, "2026-06-30", &["--by", "region"]),
        track(company, sales, "2026-06-30", &["--by", "month"]),
        track(regions, generated, "2026-06-30", &["--by", "region,quarter"]),
        track(regions, generated, "2026-05-31", &["--by", "channel,month", "--period", "2026-Q2"]),
        track(regions, generated, "2026-01-01", &["--by", "region,product"]),
        track(regions, generated, "2026-06-30", &["--replan", "--by", "region,month"]),
        vec!["decompose", "examples/company.toml", "--by", "region,quarter"],
    ];
    for (i, args) in runs.iter().enumerate() {
        let what = args.join(" ");
        let path = dir.path().join(format!("out-{i}.xlsx"));
        run(&[&args[..], &["--format", "xlsx", "--output", path.to_str().unwrap()]].concat());
        let detail = check_formulas(&path, "Detail", &what);
        let summary = check_formulas(&path, "Summary", &what);
        assert!(detail > 0 && summary > 0, "{what}: {detail} Detail and {summary} Summary formulas");
        if args[0] != "track" || args.contains(&"--replan") {
            continue;
        }
        // The Detail's Total row: the JSON's totals; formulas where the figures add up.
        let doc = parse_json(&run(&[&args[..], &["--format", "json"]].concat())).unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let values = book.worksheet_range("Detail").unwrap();
        let formulas = book.worksheet_formula("Detail").unwrap();
        let header: Vec<String> = (0..values.width() as u32)
            .map(|c| match values.get_value((0, c)) {
                Some(Data::String(s)) => s.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        let total_row = rows_of(&doc).len() as u32 + 1;
        for name in COLUMNS {
            let col = header.iter().position(|h| h == name).unwrap() as u32;
            let formula = formulas.get_value((total_row, col)).cloned().unwrap_or_default();
            match doc.get("total").unwrap().get(name).unwrap() {
                J::Num(n) => {
                    assert_eq!(Sheet(&values, None).number(total_row, col), Some(q(n)), "{what}: Total {name}");
                    let want = match name {
                        "attainment" => "IF(",
                        "run_rate" => "ROUND(MAX(",
                        _ => "SUBTOTAL(109,",
                    };
                    assert!(formula.starts_with(want), "{what}: Total {name} is ={formula}");
                }
                J::Str(s) => {
                    assert_eq!(values.get_value((total_row, col)), Some(&Data::String(s.clone())), "{what}");
                }
                _ => assert!(formula.is_empty(), "{what}: no total {name}, yet ={formula}"),
            }
        }
    }
}

/// The example plans `track` can follow (every one: each has a `sales` amount).
fn example_plans() -> Vec<&'static str> {
    vec![
        "examples/areas.toml",
        "examples/cn-workdays.toml",
        "examples/company.toml",
        "examples/even-year.toml",
        "examples/fiscal.toml",
        "examples/funnel.toml",
        "examples/history.toml",
        "examples/metrics.toml",
        "examples/people.toml",
        "examples/regions.toml",
        "examples/retail-445.toml",
        "examples/shop-hours.toml",
        "examples/shop-week.toml",
        "examples/sources.toml",
    ]
}
