//! Stage `engine`: a run's cells kept as a list, one line per cell with all
//! its columns, and the run's totals — for terminal tables of reports with
//! several columns (tracking), where a pivot of one figure does not fit.

use super::{Cell, CellSink, Header, Value};

/// One line of a [`Listing`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingRow {
    /// One member name per split kept.
    pub members: Vec<String>,
    /// The period's label.
    pub period: String,
    /// One value per column of the header.
    pub values: Vec<Value>,
}

/// Every cell of a run, in order, and its totals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// The run's header (set by `begin`).
    pub header: Option<Header>,
    /// The cells, in output order.
    pub rows: Vec<ListingRow>,
    /// The totals passed to `finish`, one per column.
    pub totals: Vec<Value>,
}

impl CellSink for Listing {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.header = Some(header.clone());
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.rows.push(ListingRow {
            members: cell.members.iter().map(std::string::ToString::to_string).collect(),
            period: cell.period.label.clone(),
            values: cell.values.to_vec(),
        });
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        self.totals = totals.to_vec();
        Ok(())
    }
}
