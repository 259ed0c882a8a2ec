//! Stage `render`: JSON of output contract v1 — the plan's facts, one object
//! per cell under `rows`, and `total`. Amounts are JSON numbers written with
//! exactly the plan's decimals (`10000000.00`), never strings or floats. Each
//! row sits on its own line, so the document streams and diffs well.
//!
//! [`JsonRow`] writes one row; `--format jsonl` uses it too, so that a line
//! of JSON Lines and a row of the document can never drift apart.

use std::io::Write;

use super::PeriodDates;
use crate::engine::{Cell, CellSink, Header, Value};

/// Writes cells as one JSON document to `W` as they arrive.
pub struct JsonSink<W: Write> {
    out: W,
    row: JsonRow,
    rows: usize,
}

impl<W: Write> JsonSink<W> {
    /// A sink writing to `out` (buffer it: rows are written one by one).
    pub fn new(out: W) -> JsonSink<W> {
        JsonSink { out, row: JsonRow::default(), rows: 0 }
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// Writes one cell as a JSON object on one line, without a line end:
/// `{"region": "华东", "period": "2026-03", "start": "2026-03-01", "end":
/// "2026-03-31", "sales": 48123.45}` — each dimension's member, the period
/// and its dates, then one value per column. Shared by the rows of `--format
/// json` and the lines of `--format jsonl`.
#[derive(Clone, Debug, Default)]
pub(super) struct JsonRow {
    /// `"region": ` and so on, escaped once at `begin` rather than per row.
    split_keys: Vec<String>,
    /// `, "sales": ` and so on, escaped once at `begin` rather than per row.
    metric_keys: Vec<String>,
    dates: PeriodDates,
    /// A number's text, reused for every value.
    number: String,
}

impl JsonRow {
    /// A writer for the rows of a run with this header.
    pub(super) fn new(h: &Header) -> JsonRow {
        JsonRow {
            split_keys: h.splits.iter().map(|n| format!("{}: ", string(n))).collect(),
            metric_keys: h.columns.iter().map(|c| format!(", {}: ", string(&c.name))).collect(),
            dates: PeriodDates::default(),
            number: String::new(),
        }
    }

    /// Writes `cell` as one JSON object, field by field so that no row
    /// allocates.
    pub(super) fn write(&mut self, out: &mut impl Write, cell: &Cell<'_>) -> std::io::Result<()> {
        out.write_all(b"{")?;
        for (key, member) in self.split_keys.iter().zip(cell.members) {
            out.write_all(key.as_bytes())?;
            serde_json::to_writer(&mut *out, member)?;
            out.write_all(b", ")?;
        }
        out.write_all(b"\"period\": ")?;
        serde_json::to_writer(&mut *out, &cell.period.label)?;
        let (start, end) = self.dates.of(cell.period);
        for (key, date) in [(&b", \"start\": \""[..], start), (&b"\", \"end\": \""[..], end)] {
            out.write_all(key)?;
            out.write_all(date.as_bytes())?;
        }
        out.write_all(b"\"")?;
        for (key, value) in self.metric_keys.iter().zip(cell.values) {
            out.write_all(key.as_bytes())?;
            write_value(out, value, &mut self.number)?;
        }
        out.write_all(b"}")
    }
}

fn string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

fn list(items: impl Iterator<Item = impl AsRef<str>>) -> String {
    let items: Vec<String> = items.map(|s| string(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// A value as JSON: numbers with their decimals as written, words as
/// strings, a missing figure as `null`.
fn write_value(out: &mut impl Write, value: &Value, number: &mut String) -> std::io::Result<()> {
    match value {
        Value::Amount(d) | Value::Ratio(d) => {
            number.clear();
            super::push_decimal(number, *d);
            out.write_all(number.as_bytes())
        }
        Value::Text(t) => serde_json::to_writer(out, t).map_err(std::io::Error::from),
        Value::Missing => out.write_all(b"null"),
    }
}

impl<W: Write> CellSink for JsonSink<W> {
    fn begin(&mut self, h: &Header) -> std::io::Result<()> {
        let dimensions = list(h.splits.iter().map(String::as_str).chain(["period"]));
        write!(
            self.out,
            "{{\"plan\": {}, \"currency\": {}, \"year\": {}, \"precision\": {}, {}\"metrics\": {}, \"dimensions\": {}, \"rows\": [",
            string(&h.plan),
            string(&h.currency),
            h.year,
            string(&h.precision.to_string()),
            match h.as_of {
                Some(a) if a.replan => format!("\"as_of\": \"{}\", \"replan\": true, ", a.date),
                Some(a) => format!("\"as_of\": \"{}\", ", a.date),
                None => String::new(),
            },
            list(h.metrics.iter()),
            dimensions
        )?;
        self.row = JsonRow::new(h);
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        let sep = if self.rows == 0 { "\n" } else { ",\n" };
        self.rows += 1;
        self.out.write_all(sep.as_bytes())?;
        self.row.write(&mut self.out, cell)
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        let close = if self.rows == 0 { "]" } else { "\n]" };
        write!(self.out, "{close}, \"total\": {{")?;
        for (i, (key, value)) in self.row.metric_keys.iter().zip(totals).enumerate() {
            let key = if i == 0 { key.trim_start_matches(", ") } else { key };
            self.out.write_all(key.as_bytes())?;
            write_value(&mut self.out, value, &mut String::new())?;
        }
        writeln!(self.out, "}}}}")?;
        self.out.flush()
    }
}
