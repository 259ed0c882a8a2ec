//! Stage `render`: JSON Lines — one JSON object per cell, one per line.
//! Placeholder: filled in by the outputs work.

use std::io::Write;

use crate::engine::{Cell, CellSink, Header, Value};

/// Writes one JSON object per cell to `W` as they arrive.
pub struct JsonlSink<W: Write> {
    out: W,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing to `out` (buffer it: rows are written one by one).
    pub fn new(out: W) -> JsonlSink<W> {
        JsonlSink { out }
    }
}

impl<W: Write> CellSink for JsonlSink<W> {
    fn begin(&mut self, _header: &Header) -> std::io::Result<()> {
        Err(std::io::Error::other("--format jsonl is not built yet"))
    }

    fn cell(&mut self, _cell: &Cell<'_>) -> std::io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        self.out.flush()
    }
}
