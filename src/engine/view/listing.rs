//! Stage `engine`: a run's cells kept as a list, one line per cell with all
//! its columns, and the run's totals — for terminal tables of reports with
//! several columns (tracking), where a pivot of one figure does not fit.
//! With a display unit (`--unit 万`) every money column is put in that unit
//! here, when the run finishes: a column that adds up is rounded together
//! with its Total (controlled rounding, so that it adds up as shown), any
//! other money figure (a pace) on its own, half away from zero.

use rust_decimal::Decimal;

use super::{Cell, CellSink, Header, InUnit, Value};
use crate::engine::{ColumnKind, TotalRule};

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
    /// `--unit`: money columns in this many currency units, to this many decimals.
    unit: Option<(Decimal, u32)>,
    /// `Some` when the money columns are shown in a display unit
    /// ([`Listing::in_unit`]): every money figure above is then in that
    /// unit, and each column that adds up still adds up to its Total as shown.
    pub shown: Option<InUnit>,
}

impl Listing {
    /// Shows every money column in a display unit of `factor` currency
    /// units with `decimals` decimals once the run finishes (see the
    /// module docs).
    #[must_use]
    pub fn in_unit(self, factor: Decimal, decimals: u32) -> Listing {
        Listing { unit: Some((factor, decimals)), ..self }
    }
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
        if let (Some((factor, decimals)), Some(header)) = (self.unit, &self.header) {
            let money: Vec<(usize, bool)> = (header.columns.iter().enumerate())
                .filter(|(_, c)| c.kind == ColumnKind::Amount)
                .map(|(i, _)| (i, header.total_rule(i) == TotalRule::Sum))
                .collect();
            self.shown = self.show_in(&money, factor, decimals);
        }
        Ok(())
    }
}
