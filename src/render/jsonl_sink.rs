//! Stage `render`: JSON Lines (`--format jsonl`) — one JSON object per cell,
//! one per line, each ending in `\n`. A line is exactly a row of `--format
//! json`: the same keys in the same order (each dimension's member,
//! `period`, `start`, `end`, then one value per column) and the same values
//! (amounts as JSON numbers with exactly the plan's decimals, ratios as
//! numbers, words as strings, a missing figure as `null`); both come from
//! one row writer.
//!
//! There is no header object and no total line: every line is a cell, so
//! tools that load JSON Lines as a table (`jq -s`, `DuckDB`, pandas) get only
//! rows of one shape. The plan's facts (name, currency, precision) and the
//! totals are in `--format json`; a consumer that reads JSON Lines gets a
//! total by summing a column over the lines (amounts are exact decimals, so
//! sum them as decimals, not floats; ratios and statuses do not add up).
//!
//! Rows are written as they arrive and nothing is kept per row, so memory
//! does not grow with the number of cells; a run's workers can make the
//! lines of their chunks themselves (`CellSink::row_writer`).

use std::io::Write;

use super::json_sink::JsonRow;
use crate::engine::{Cell, CellSink, Header, Value};

/// Writes one JSON object per cell to `W` as they arrive.
pub struct JsonlSink<W: Write> {
    out: W,
    row: JsonRow,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing to `out` (buffer it: rows are written one by one).
    pub fn new(out: W) -> JsonlSink<W> {
        JsonlSink { out, row: JsonRow::default() }
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> CellSink for JsonlSink<W> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        // Nothing is written: JSON Lines carries cells only (see the module doc).
        self.row = JsonRow::new(header);
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.row.write(&mut self.out, cell)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        // No total line: a consumer sums the lines or asks for --format json.
        self.out.flush()
    }

    fn row_writer(&self) -> Option<Box<dyn crate::engine::RowWriter>> {
        Some(Box::new(JsonlRows { row: self.row.clone(), out: Vec::new() }))
    }

    fn rows(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }
}

/// Lines made on a run's worker ([`crate::engine::RowWriter`]) by the
/// sink's own [`JsonRow`], so they are the bytes the sink would write.
struct JsonlRows {
    row: JsonRow,
    out: Vec<u8>,
}

impl crate::engine::RowWriter for JsonlRows {
    fn row(&mut self, cell: &Cell<'_>) {
        self.row.write(&mut self.out, cell).expect("writing to memory cannot fail");
        self.out.push(b'\n');
    }

    fn take(&mut self) -> Vec<u8> {
        let capacity = self.out.capacity();
        std::mem::replace(&mut self.out, Vec::with_capacity(capacity))
    }
}
