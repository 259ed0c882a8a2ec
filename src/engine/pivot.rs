//! Stage `engine`: a pivot of a run's cells (member combinations down the
//! side, periods across) with its row, column and grand totals, computed
//! here so that the table renderer only formats.

use rust_decimal::Decimal;

use super::{Cell, CellSink, Header, Value};
use crate::calendar::Period;

/// One row of a [`Pivot`]: a member combination and its figures per period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PivotRow {
    /// One member name per split kept.
    pub members: Vec<String>,
    /// One amount per column of [`Pivot::periods`]; `None` where the row has no cell.
    pub values: Vec<Option<Decimal>>,
    /// The sum of `values`.
    pub total: Decimal,
}

/// A two-way table of one column (an amount or a count). Invariants: every row total is the sum of
/// its values, every column total the sum of its column, and the grand total
/// both the sum of the row totals and of the column totals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pivot {
    /// The run's header (set by `begin`).
    pub header: Option<Header>,
    /// Column periods, in time order.
    pub periods: Vec<Period>,
    /// Rows, in output order.
    pub rows: Vec<PivotRow>,
    /// Column totals, one per period.
    pub column_totals: Vec<Decimal>,
    /// The grand total.
    pub total: Decimal,
    /// Which of the header's columns the pivot shows.
    pub column: usize,
}

impl CellSink for Pivot {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.header = Some(header.clone());
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        let col = match self.periods.iter().position(|p| p.label == cell.period.label) {
            Some(i) => i,
            None => {
                self.periods.push(cell.period.clone());
                self.column_totals.push(Decimal::ZERO);
                for row in &mut self.rows {
                    row.values.push(None);
                }
                self.periods.len() - 1
            }
        };
        // Cells of one combination arrive together, so only the last row can match.
        let same =
            self.rows.last().is_some_and(|r| r.members.iter().map(String::as_str).eq(cell.members.iter().copied()));
        if !same {
            let members = cell.members.iter().map(|s| s.to_string()).collect();
            self.rows.push(PivotRow { members, values: vec![None; self.periods.len()], total: Decimal::ZERO });
        }
        let value = cell.values.get(self.column).and_then(Value::amount).unwrap_or_default();
        let row = self.rows.last_mut().expect("a row was just ensured");
        row.values[col] = Some(value);
        row.total += value;
        self.column_totals[col] += value;
        self.total += value;
        Ok(())
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        Ok(())
    }
}
