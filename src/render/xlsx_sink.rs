//! Stage `render`: an Excel workbook. Placeholder: filled in by the xlsx work.

use std::io::Write;

use crate::engine::{Cell, CellSink, Header, Value};

/// Collects cells into a workbook and writes it to `W` at the end.
pub struct XlsxSink<W: Write> {
    out: W,
}

impl<W: Write> XlsxSink<W> {
    /// A sink writing the finished workbook to `out`.
    pub fn new(out: W) -> XlsxSink<W> {
        XlsxSink { out }
    }
}

impl<W: Write> CellSink for XlsxSink<W> {
    fn begin(&mut self, _header: &Header) -> std::io::Result<()> {
        Err(std::io::Error::other("--format xlsx is not built yet"))
    }

    fn cell(&mut self, _cell: &Cell<'_>) -> std::io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        self.out.flush()
    }
}
