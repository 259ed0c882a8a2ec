//! Running the library and reading its outputs: a collecting sink, amount
//! checks, and the JSON reader that keeps numbers as written (`common/json.rs`).

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplit::engine::{Cell, CellSink, Engine, Header, Value};

use super::model::Prec;

pub(super) use crate::common::json::{parse_json, J};

/// One cell as the library handed it over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Row {
    pub members: Vec<String>,
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub value: Decimal,
}

/// Everything a run passes to its sink.
#[derive(Debug, Default)]
pub(super) struct Collect {
    pub header: Option<Header>,
    pub rows: Vec<Row>,
    pub totals: Option<Vec<Decimal>>,
    calls_after_finish: usize,
}

impl CellSink for Collect {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        assert!(self.header.is_none(), "begin called twice");
        self.header = Some(header.clone());
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        assert!(self.header.is_some(), "a cell before begin");
        if self.totals.is_some() {
            self.calls_after_finish += 1;
        }
        assert_eq!(cell.values.len(), 1, "one metric per plan");
        self.rows.push(Row {
            members: cell.members.iter().map(std::string::ToString::to_string).collect(),
            label: cell.period.label.clone(),
            start: cell.period.start,
            end: cell.period.end,
            value: cell.values[0].amount().expect("decompose cells are amounts"),
        });
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        assert!(self.totals.is_none(), "finish called twice");
        self.totals = Some(totals.iter().map(|v| v.amount().expect("decompose totals are amounts")).collect());
        Ok(())
    }
}

impl Collect {
    pub(super) fn total(&self) -> Decimal {
        let totals = self.totals.as_ref().expect("finished");
        assert_eq!(totals.len(), 1, "one total per metric");
        totals[0]
    }
}

/// Runs `--by by --period period` through the library (no relative periods).
pub(super) fn run(engine: &Engine<'_>, by: Option<&str>, period: Option<&str>) -> Result<Collect, String> {
    run_on(engine, by, period, NaiveDate::from_ymd_opt(1999, 1, 1).expect("a date"))
}

/// Runs `--by by --period period --today today` through the library.
pub(super) fn run_on(
    engine: &Engine<'_>,
    by: Option<&str>,
    period: Option<&str>,
    today: NaiveDate,
) -> Result<Collect, String> {
    let request =
        engine.request_on(by, period, today).map_err(|e| format!("breakdown {by:?} {period:?} on {today}: {e}"))?;
    let mut sink = Collect::default();
    engine.run(&request, &mut sink).map_err(|e| format!("run: {e}"))?;
    if sink.header.is_none() || sink.totals.is_none() || sink.calls_after_finish > 0 {
        return Err("the run did not call begin, cells, finish in order".to_string());
    }
    Ok(sink)
}

/// An amount as whole units of the precision, if it has exactly the
/// precision's decimals and is a non-negative multiple of it.
pub(super) fn units(prec: Prec, d: Decimal) -> Result<u128, String> {
    if d.scale() != prec.decimals() || d.is_sign_negative() {
        return Err(format!("amount {d} does not have exactly {} decimals (or is negative)", prec.decimals()));
    }
    let m = d.mantissa() as u128;
    match prec {
        Prec::Hundred if m % 100 != 0 => Err(format!("amount {d} is not a multiple of 100")),
        Prec::Hundred => Ok(m / 100),
        _ => Ok(m),
    }
}

/// Whether `text` is an amount written with exactly the precision's decimals.
pub(super) fn amount_text_ok(prec: Prec, text: &str) -> bool {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let whole_ok =
        !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && (whole == "0" || !whole.starts_with('0'));
    let frac_ok = match (prec, frac) {
        (Prec::Cent, Some(f)) => f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()),
        (Prec::Cent, None) | (_, Some(_)) => false,
        (Prec::One, None) => true,
        (Prec::Hundred, None) => whole == "0" || whole.ends_with("00"),
    };
    whole_ok && frac_ok
}

/// Rows grouped by member combination, in order of first appearance.
pub(super) fn groups(rows: &[Row]) -> Vec<(Vec<String>, Vec<&Row>)> {
    let mut index: HashMap<&[String], usize> = HashMap::new();
    let mut out: Vec<(Vec<String>, Vec<&Row>)> = Vec::new();
    for r in rows {
        let i = *index.entry(&r.members).or_insert_with(|| {
            out.push((r.members.clone(), Vec::new()));
            out.len() - 1
        });
        out[i].1.push(r);
    }
    out
}
