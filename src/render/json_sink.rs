//! Stage `render`: JSON of output contract v1 — the plan's facts, one object
//! per cell under `rows`, and `total`. Amounts are JSON numbers written with
//! exactly the plan's decimals (`10000000.00`), never strings or floats. Each
//! row sits on its own line, so the document streams and diffs well.

use std::io::Write;

use rust_decimal::Decimal;

use crate::engine::{Cell, CellSink, Header};

/// Writes cells as one JSON document to `W` as they arrive.
pub struct JsonSink<W: Write> {
    out: W,
    header: Option<Header>,
    rows: usize,
}

impl<W: Write> JsonSink<W> {
    /// A sink writing to `out` (buffer it: rows are written one by one).
    pub fn new(out: W) -> JsonSink<W> {
        JsonSink { out, header: None, rows: 0 }
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

fn string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

fn list(items: impl Iterator<Item = impl AsRef<str>>) -> String {
    let items: Vec<String> = items.map(|s| string(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

impl<W: Write> CellSink for JsonSink<W> {
    fn begin(&mut self, h: &Header) -> std::io::Result<()> {
        let dimensions = list(h.splits.iter().map(String::as_str).chain(["period"]));
        write!(
            self.out,
            "{{\"plan\": {}, \"currency\": {}, \"year\": {}, \"precision\": {}, \"metrics\": {}, \"dimensions\": {}, \"rows\": [",
            string(&h.plan),
            string(&h.currency),
            h.year,
            string(&h.precision.to_string()),
            list(h.metrics.iter()),
            dimensions
        )?;
        self.header = Some(h.clone());
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        let h = self.header.as_ref().expect("begin comes first");
        let sep = if self.rows == 0 { "\n" } else { ",\n" };
        self.rows += 1;
        write!(self.out, "{sep}{{")?;
        for (name, member) in h.splits.iter().zip(cell.members) {
            write!(self.out, "{}: {}, ", string(name), string(member))?;
        }
        let p = cell.period;
        write!(self.out, "\"period\": {}, \"start\": \"{}\", \"end\": \"{}\"", string(&p.label), p.start, p.end)?;
        for (name, value) in h.metrics.iter().zip(cell.values) {
            write!(self.out, ", {}: {value}", string(name))?;
        }
        write!(self.out, "}}")
    }

    fn finish(&mut self, totals: &[Decimal]) -> std::io::Result<()> {
        let h = self.header.as_ref().expect("begin comes first");
        let totals: Vec<String> = h.metrics.iter().zip(totals).map(|(n, v)| format!("{}: {v}", string(n))).collect();
        let close = if self.rows == 0 { "]" } else { "\n]" };
        writeln!(self.out, "{close}, \"total\": {{{}}}}}", totals.join(", "))?;
        self.out.flush()
    }
}
