//! Stage `engine`: the pivots of a workbook's Summary sheet, summed as the
//! cells stream to the workbook, so that the xlsx renderer only lays them out.

use super::{Cell, CellSink, Crosstab, Dim, Header, Value};

/// The pivots a run's summary shows, each a finished [`Crosstab`] with every
/// split down the side (in order) and the periods across: for a tracking
/// report `actual_to_date` then `target_to_date` (what a sales director
/// compares), else the first column that adds up. No pivot when no column
/// adds up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// The pivots, in the order above.
    pub pivots: Vec<Crosstab>,
}

impl Summary {
    /// The columns of `header` that the summary pivots.
    fn columns(header: &Header) -> Vec<usize> {
        let find = |name: &str| header.columns.iter().position(|c| c.name == name && c.kind.adds_up());
        match find("actual_to_date") {
            Some(actual) => std::iter::once(actual).chain(find("target_to_date")).collect(),
            None => header.columns.iter().position(|c| c.kind.adds_up()).into_iter().collect(),
        }
    }
}

/// A renderer that takes a run's cells and, at the end, its [`Summary`]
/// (fed through [`Summarised`]): `begin`, every `cell`, then `finish`.
pub trait SummarySink {
    /// Called once before any cell.
    fn begin(&mut self, header: &Header) -> std::io::Result<()>;
    /// Called once per cell, in output order.
    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()>;
    /// Called once at the end with the run's totals (as [`CellSink::finish`])
    /// and the finished summary.
    fn finish(&mut self, totals: &[Value], summary: Summary) -> std::io::Result<()>;
}

/// A [`CellSink`] that passes every cell on to a [`SummarySink`] as it
/// arrives and sums it into the summary's pivots on the way.
pub struct Summarised<S> {
    sink: S,
    summary: Summary,
}

impl<S: SummarySink> Summarised<S> {
    /// Feeds `sink`.
    pub fn new(sink: S) -> Summarised<S> {
        Summarised { sink, summary: Summary::default() }
    }
}

impl<S: SummarySink> CellSink for Summarised<S> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.summary.pivots.clear();
        for column in Summary::columns(header) {
            let mut pivot = Crosstab::new(column, (0..header.splits.len()).map(Dim::Split).collect(), Dim::Period);
            pivot.begin(header)?;
            self.summary.pivots.push(pivot);
        }
        self.sink.begin(header)
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.sink.cell(cell)?;
        for pivot in &mut self.summary.pivots {
            pivot.cell(cell)?;
        }
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        for pivot in &mut self.summary.pivots {
            pivot.finish(totals)?;
        }
        self.sink.finish(totals, std::mem::take(&mut self.summary))
    }
}
