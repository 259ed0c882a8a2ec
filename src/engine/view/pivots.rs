//! Stage `engine`: the terminal view of a run — one [`Crosstab`] per column
//! that adds up (amounts, counts), and each level's value per period (a
//! level is the same for every member). With a display unit (`--unit 万`),
//! each money table is shown in it, rounded so that it adds up as shown.

use rust_decimal::Decimal;

use super::{Cell, CellSink, Crosstab, Dim, Header, Value};
use crate::engine::ColumnKind;

/// A level column's value in each period of the run, in time order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelRow {
    /// The column's name (`market_share`).
    pub name: String,
    /// (period label, value), one per period, in time order.
    pub values: Vec<(String, Value)>,
}

/// One crosstab per column that adds up, then the levels, in column order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pivots {
    /// The run's header (set by `begin`).
    pub header: Option<Header>,
    /// One table per adding-up column, in column order.
    pub tables: Vec<Crosstab>,
    /// One row per level column, in column order.
    pub levels: Vec<LevelRow>,
    /// Index of each level row's column.
    level_columns: Vec<usize>,
    /// `--rows`: dimension names down the side (default: every split kept).
    rows: Option<Vec<String>>,
    /// `--cols`: the dimension across (default: the period).
    cols: Option<String>,
    /// `--unit`: money tables in this many currency units, to this many decimals.
    unit: Option<(Decimal, u32)>,
}

impl Pivots {
    /// Tables with `rows` down the side and `cols` across: split names as
    /// the header has them, the time level's name (`month`) or `period`.
    /// Names must be dimensions of the run (checked before running).
    pub fn arranged(rows: Option<Vec<String>>, cols: Option<String>) -> Pivots {
        Pivots { rows, cols, ..Pivots::default() }
    }

    /// Shows every money table in a display unit of `factor` currency units
    /// (10,000 for 万) with `decimals` decimals, rounded so that it adds up as
    /// shown ([`Crosstab::show_in`]); counts stay whole.
    #[must_use]
    pub fn in_unit(self, factor: Decimal, decimals: u32) -> Pivots {
        Pivots { unit: Some((factor, decimals)), ..self }
    }
}

/// A dimension by name: a split of the header, or its time level.
fn dim(header: &Header, name: &str) -> std::io::Result<Dim> {
    if name == "period" || name == header.time {
        return Ok(Dim::Period);
    }
    header
        .splits
        .iter()
        .position(|s| s == name)
        .map(Dim::Split)
        .ok_or_else(|| std::io::Error::other(format!("`{name}` is not a dimension of this run")))
}

impl CellSink for Pivots {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.header = Some(header.clone());
        let row_dims = match &self.rows {
            Some(names) => names.iter().map(|n| dim(header, n)).collect::<std::io::Result<Vec<_>>>()?,
            None => (0..header.splits.len()).map(Dim::Split).collect(),
        };
        let col_dim = match &self.cols {
            Some(name) => dim(header, name)?,
            None => Dim::Period,
        };
        for (i, column) in header.columns.iter().enumerate() {
            if column.kind.adds_up() {
                let mut table = Crosstab::new(i, row_dims.clone(), col_dim);
                table.begin(header)?;
                self.tables.push(table);
            } else {
                self.levels.push(LevelRow { name: column.name.clone(), values: Vec::new() });
                self.level_columns.push(i);
            }
        }
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        for table in &mut self.tables {
            table.cell(cell)?;
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
        let header = self.header.as_ref();
        for table in &mut self.tables {
            table.finish(totals)?;
            let money = header.and_then(|h| h.columns.get(table.column)).is_some_and(|c| c.kind == ColumnKind::Amount);
            if let Some((factor, decimals)) = self.unit.filter(|_| money) {
                table.show_in(factor, decimals);
            }
        }
        Ok(())
    }
}
