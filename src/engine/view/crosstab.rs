//! Stage `engine`: a two-way table of one column of a run — chosen
//! dimensions down the side (`--rows`), one across (`--cols`, by default
//! the periods) — with row, column and grand totals and each row's share
//! of its parent, all computed here so that the table renderer only formats.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Cell, CellSink, Header, InUnit, Value};

/// A dimension of a run's cells: one of the header's splits, or the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim {
    /// The split at this index of [`Header::splits`].
    Split(usize),
    /// The cell's period (its label).
    Period,
    /// The calendar month of the cell's period (`2026-03` of `2026-03-W2`,
    /// `2026-03-15` or `2026-03-15 open-10:00`): a week, day or slot label
    /// that starts with its month. Any other label is its own.
    Month,
}

impl Dim {
    /// The dimension's value in a cell.
    fn of<'c>(self, cell: &'c Cell<'_>) -> &'c str {
        match self {
            Dim::Split(i) => cell.members[i],
            Dim::Period => &cell.period.label,
            Dim::Month => month_of(&cell.period.label),
        }
    }
}

/// The `YYYY-MM` a period label starts with, else the whole label.
fn month_of(label: &str) -> &str {
    let b = label.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let month = digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && matches!(b.get(7), None | Some(b'-' | b' '));
    if month {
        &label[..7]
    } else {
        label
    }
}

/// One row of a [`Crosstab`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossRow {
    /// The row's value of each row dimension.
    pub keys: Vec<String>,
    /// One figure per column of [`Crosstab::columns`]; `None` where the row has no cell.
    pub values: Vec<Option<Decimal>>,
    /// The sum of `values`.
    pub total: Decimal,
    /// `total` over its parent's total (the rows with the same keys but the
    /// last; for one row dimension, the grand total): a fraction, `None`
    /// when the parent's total is zero.
    pub share: Option<Decimal>,
}

/// A two-way table of one adding-up column. Invariants: every row total is
/// the sum of its values, every column total the sum of its column, the
/// grand total the sum of either; the shares of the rows under one parent
/// add up to 1 (as exact decimals, before any rounding for display).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crosstab {
    /// The run's header (set by `begin`).
    pub header: Option<Header>,
    /// Which of the header's columns the table shows.
    pub column: usize,
    /// The dimensions down the side, in order.
    pub row_dims: Vec<Dim>,
    /// The dimension across.
    pub col_dim: Dim,
    /// Column labels, in order of first appearance (periods in time order).
    pub columns: Vec<String>,
    /// Rows, in order of first appearance.
    pub rows: Vec<CrossRow>,
    /// Column totals, one per column.
    pub column_totals: Vec<Decimal>,
    /// The grand total.
    pub total: Decimal,
    /// `Some` when the figures are shown in a display unit
    /// ([`Crosstab::show_in`]): then every figure above is in that unit,
    /// rounded so that the invariants hold as shown; the shares stay exact.
    pub shown: Option<InUnit>,
    row_index: HashMap<Vec<String>, usize>,
    col_index: HashMap<String, usize>,
}

impl Crosstab {
    /// A table of value column `column` with `row_dims` down the side and
    /// `col_dim` across.
    pub fn new(column: usize, row_dims: Vec<Dim>, col_dim: Dim) -> Crosstab {
        Crosstab {
            header: None,
            column,
            row_dims,
            col_dim,
            columns: Vec::new(),
            rows: Vec::new(),
            column_totals: Vec::new(),
            total: Decimal::ZERO,
            shown: None,
            row_index: HashMap::new(),
            col_index: HashMap::new(),
        }
    }

    /// The name of a dimension, as the header calls it (`region`, or the
    /// time level such as `month`).
    pub fn dim_name(&self, dim: Dim) -> String {
        match (dim, &self.header) {
            (Dim::Split(i), Some(h)) => h.splits[i].clone(),
            (Dim::Period, Some(h)) => h.time.clone(),
            (Dim::Month, Some(_)) => "month".to_string(),
            (_, None) => String::new(),
        }
    }
}

impl CellSink for Crosstab {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.header = Some(header.clone());
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        let label = self.col_dim.of(cell);
        let col = if let Some(&i) = self.col_index.get(label) {
            i
        } else {
            self.columns.push(label.to_string());
            self.column_totals.push(Decimal::ZERO);
            for row in &mut self.rows {
                row.values.push(None);
            }
            self.col_index.insert(label.to_string(), self.columns.len() - 1);
            self.columns.len() - 1
        };
        let keys: Vec<String> = self.row_dims.iter().map(|d| d.of(cell).to_string()).collect();
        let row = if let Some(&i) = self.row_index.get(&keys) {
            i
        } else {
            self.rows.push(CrossRow {
                keys: keys.clone(),
                values: vec![None; self.columns.len()],
                total: Decimal::ZERO,
                share: None,
            });
            self.row_index.insert(keys, self.rows.len() - 1);
            self.rows.len() - 1
        };
        let value = cell.values.get(self.column).and_then(Value::amount).unwrap_or_default();
        let row = &mut self.rows[row];
        *row.values[col].get_or_insert(Decimal::ZERO) += value;
        row.total += value;
        self.column_totals[col] += value;
        self.total += value;
        Ok(())
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        let depth = self.row_dims.len();
        if depth == 0 {
            return Ok(());
        }
        let mut parents: HashMap<&[String], Decimal> = HashMap::new();
        for row in &self.rows {
            *parents.entry(&row.keys[..depth - 1]).or_default() += row.total;
        }
        let shares: Vec<Option<Decimal>> = self
            .rows
            .iter()
            .map(|row| {
                let parent = parents[&row.keys[..depth - 1]];
                (!parent.is_zero()).then(|| row.total / parent)
            })
            .collect();
        for (row, share) in self.rows.iter_mut().zip(shares) {
            row.share = share;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::month_of;

    #[test]
    fn weeks_days_and_slots_fall_in_the_month_their_label_starts_with() {
        assert_eq!(month_of("2026-03-W2"), "2026-03");
        assert_eq!(month_of("2026-03-15"), "2026-03");
        assert_eq!(month_of("2026-11-01 open-10:00"), "2026-11");
        assert_eq!(month_of("2026-03"), "2026-03");
        // ISO and retail weeks straddle months: they stay as they are.
        assert_eq!(month_of("2026-W01"), "2026-W01");
        assert_eq!(month_of("FY2023-W01"), "FY2023-W01");
        assert_eq!(month_of("2026-Q1"), "2026-Q1");
    }
}
