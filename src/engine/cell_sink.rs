//! Stage `engine`: the receiving end of a run. Renderers implement it, so
//! cells flow out one at a time and memory does not grow with their number.

use super::{Cell, Header, RowWriter, Value};

/// Receives a run's output in order: `begin`, every `cell`, then `finish`.
/// Output errors (a closed pipe, a full disk) stop the run.
pub trait CellSink {
    /// Called once before any cell.
    fn begin(&mut self, header: &Header) -> std::io::Result<()>;
    /// Called once per cell, in output order.
    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()>;
    /// Called once at the end with the totals of the run, one per column,
    /// made as [`Header::total_rule`] says: the exact sum of every cell's
    /// figures for a column that adds up, and for a ratio or a pace the
    /// ratio of the total row's own figures.
    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()>;

    /// A [`RowWriter`] for this sink's cells, when they can be formatted
    /// on other threads and handed back as bytes ([`CellSink::rows`]);
    /// `None` (the default) when the sink must see every cell itself.
    fn row_writer(&self) -> Option<Box<dyn RowWriter>> {
        None
    }

    /// Writes `bytes`, rows made by this sink's [`RowWriter`]s, in place of
    /// the cells they are (in output order, between `begin` and `finish`).
    fn rows(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let _ = bytes;
        Err(std::io::Error::other("this sink takes its cells one by one"))
    }
}
