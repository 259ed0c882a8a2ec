//! Stage `render`: CSV of output contract v1 — a header, then one row per
//! cell: the split columns, `period`, `start`, `end`, then one column per
//! metric. Quoting follows RFC 4180, only where needed.

use std::io::Write;

use rust_decimal::Decimal;

use crate::engine::{Cell, CellSink, Header};

/// Writes cells as CSV to `W` as they arrive.
pub struct CsvSink<W: Write> {
    out: csv::Writer<W>,
    record: Vec<String>,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing to `out` (buffer it: rows are written one by one).
    pub fn new(out: W) -> CsvSink<W> {
        CsvSink { out: csv::WriterBuilder::new().from_writer(out), record: Vec::new() }
    }

    /// The underlying writer, flushed.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

fn io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> CellSink for CsvSink<W> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        let names = header
            .splits
            .iter()
            .map(String::as_str)
            .chain(["period", "start", "end"])
            .chain(header.metrics.iter().map(String::as_str));
        self.out.write_record(names).map_err(io)
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.record.clear();
        self.record.extend(cell.members.iter().map(|m| m.to_string()));
        self.record.push(cell.period.label.clone());
        self.record.push(cell.period.start.to_string());
        self.record.push(cell.period.end.to_string());
        self.record.extend(cell.values.iter().map(Decimal::to_string));
        self.out.write_record(&self.record).map_err(io)
    }

    fn finish(&mut self, _totals: &[Decimal]) -> std::io::Result<()> {
        self.out.flush()
    }
}
