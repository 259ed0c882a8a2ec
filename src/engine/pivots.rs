//! Stage `engine`: the terminal view of a run with several columns — one
//! [`Pivot`] per column that adds up (amounts, counts), and each level's
//! value per period (a level is the same for every member).

use super::{Cell, CellSink, Header, Pivot, Value};

/// A level column's value in each period of the run, in time order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelRow {
    /// The column's name (`market_share`).
    pub name: String,
    /// (period label, value), one per period, in time order.
    pub values: Vec<(String, Value)>,
}

/// One pivot per column that adds up, then the levels, in column order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pivots {
    /// The run's header (set by `begin`).
    pub header: Option<Header>,
    /// One pivot per adding-up column, in column order.
    pub pivots: Vec<Pivot>,
    /// One row per level column, in column order.
    pub levels: Vec<LevelRow>,
    /// Index of each level row's column.
    level_columns: Vec<usize>,
}

impl CellSink for Pivots {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.header = Some(header.clone());
        for (i, column) in header.columns.iter().enumerate() {
            if column.kind.adds_up() {
                let mut pivot = Pivot { column: i, ..Pivot::default() };
                pivot.begin(header)?;
                self.pivots.push(pivot);
            } else {
                self.levels.push(LevelRow { name: column.name.clone(), values: Vec::new() });
                self.level_columns.push(i);
            }
        }
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        for pivot in &mut self.pivots {
            pivot.cell(cell)?;
        }
        for (row, &c) in self.levels.iter_mut().zip(&self.level_columns) {
            // Every member has the same level, so each period is kept once.
            if !row.values.iter().any(|(label, _)| *label == cell.period.label) {
                row.values.push((cell.period.label.clone(), cell.values[c]));
            }
        }
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        for pivot in &mut self.pivots {
            pivot.finish(totals)?;
        }
        Ok(())
    }
}
