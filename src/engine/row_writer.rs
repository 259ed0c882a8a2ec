//! Stage `engine`: a sink's rows made on another thread. A run whose
//! cells each become one row of text (CSV) has its workers write the rows
//! of their chunks into bytes, which the sink then writes in cascade
//! order: formatting 14.6 million rows is then spread over every core,
//! not left to the thread that writes them.

use super::Cell;

/// Formats cells as its sink's rows, into bytes, apart from the sink
/// ([`super::CellSink::row_writer`]). The bytes of a run's rows, taken in
/// cascade order, are exactly what the sink's own `cell` would write.
pub trait RowWriter: Send {
    /// Formats `cell` as the sink would (writing to memory cannot fail).
    fn row(&mut self, cell: &Cell<'_>);

    /// The bytes of the rows formatted since the last call.
    fn take(&mut self) -> Vec<u8>;
}
