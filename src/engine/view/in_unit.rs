//! Stage `engine`: a [`Crosstab`] shown in a display unit (`--unit 万`). Its
//! cells, row totals, column totals and grand total are rounded together, by
//! controlled rounding ([`crate::allocate::round_table`]), to whole
//! hundredths of the unit: each figure is the floor or the ceiling of its
//! exact value, and every row and column adds up to its total *as shown*.
//! The table renderer only formats them; each row's share stays exact.
//! A [`Listing`]'s money columns are put in the unit the same way, each
//! column that adds up rounded together with its Total.

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Crosstab, Listing};
use crate::allocate::round_table;
use crate::engine::Value;

/// The display unit's step, `factor / 10^decimals` currency units, when it
/// is positive and representable.
fn unit_step(factor: Decimal, decimals: u32) -> Option<Decimal> {
    let step = factor.checked_div(Decimal::from(10u64.checked_pow(decimals)?))?.normalize();
    (step > Decimal::ZERO).then_some(step)
}

/// `d` as a whole number of `10^-scale` currency units.
fn in_base(d: Decimal, scale: u32) -> Option<i128> {
    d.mantissa().checked_mul(10i128.checked_pow(scale.checked_sub(d.scale())?)?)
}

/// How a [`Crosstab`]'s figures are shown: set by [`Crosstab::show_in`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InUnit {
    /// Currency units per display unit (10,000 for 万).
    pub factor: Decimal,
    /// Decimals shown (2: figures in whole hundredths of the unit).
    pub decimals: u32,
    /// How many shown figures (cells and totals) are not their exact value.
    pub rounded: usize,
    /// How many of those show as zero though their exact value is not, in
    /// a table with its row and column totals (each figure counted once: the
    /// totals of a table of one row or one column are not counted again).
    pub hidden: usize,
    /// The same, among the cells and the grand total only (a table of one
    /// line per cell).
    pub hidden_in_list: usize,
}

impl Crosstab {
    /// Shows the table in a unit of `factor` currency units with `decimals`
    /// decimals: every figure (cells, row and column totals, the grand total)
    /// becomes that unit's figure, the floor or the ceiling of its exact value
    /// at the last decimal, rounded together so that every row and column
    /// adds up to its total as shown; the shares stay exact. Leaves the table
    /// in exact currency units (and [`Crosstab::shown`] at `None`) when a
    /// figure is too large to round in 128-bit integers.
    pub fn show_in(&mut self, factor: Decimal, decimals: u32) {
        if let Some((shown, unit)) = self.rounded_in(factor, decimals) {
            let (cells, row_totals, column_totals, total) = shown;
            for ((row, values), row_total) in self.rows.iter_mut().zip(cells).zip(row_totals) {
                row.values = values;
                row.total = row_total;
            }
            self.column_totals = column_totals;
            self.total = total;
            self.shown = Some(unit);
        }
    }

    /// The figures in the unit, or `None` when they do not fit.
    #[allow(clippy::type_complexity)]
    fn rounded_in(
        &self,
        factor: Decimal,
        decimals: u32,
    ) -> Option<((Vec<Vec<Option<Decimal>>>, Vec<Decimal>, Vec<Decimal>, Decimal), InUnit)> {
        let step = unit_step(factor, decimals)?;
        // One base unit for every figure and the step: 10^-scale currency units.
        let scale =
            self.rows.iter().flat_map(|r| r.values.iter().flatten()).map(Decimal::scale).fold(step.scale(), u32::max);
        let base = |d: Decimal| in_base(d, scale);
        let values: Vec<Vec<Option<i128>>> = self
            .rows
            .iter()
            .map(|r| {
                r.values.iter().map(|v| v.map(base).map_or(Some(None), |b| b.map(Some))).collect::<Option<Vec<_>>>()
            })
            .collect::<Option<_>>()?;
        let step = base(step)?;
        let table = round_table(&values, self.columns.len(), step)?;
        let shown = |n: i128| Decimal::try_from_i128_with_scale(n, decimals).ok();
        let mut rounded = 0;
        // Non-zero figures shown as zero: cells, row totals, column totals, the grand total.
        let mut hidden = [0usize; 4];
        let mut count = |kind: usize, figure: i128, exact: i128| {
            if exact.rem_euclid(step) != 0 {
                rounded += 1;
                hidden[kind] += usize::from(figure == 0);
            }
        };
        let mut col_exact = vec![0i128; self.columns.len()];
        let mut cells = Vec::with_capacity(values.len());
        let mut present = 0usize;
        for ((row, exact), total) in table.cells.iter().zip(&values).zip(&table.row_totals) {
            let mut row_exact: i128 = 0;
            let mut out = Vec::with_capacity(row.len());
            for ((figure, exact), col) in row.iter().zip(exact).zip(&mut col_exact) {
                if let (Some(figure), Some(exact)) = (figure, exact) {
                    count(0, *figure, *exact);
                    row_exact = row_exact.checked_add(*exact)?;
                    *col = col.checked_add(*exact)?;
                    out.push(Some(shown(*figure)?));
                    present += 1;
                } else {
                    out.push(None);
                }
            }
            count(1, *total, row_exact);
            cells.push(out);
        }
        for (figure, exact) in table.column_totals.iter().zip(&col_exact) {
            count(2, *figure, *exact);
        }
        count(3, table.total, col_exact.iter().try_fold(0i128, |a, b| a.checked_add(*b))?);
        // A total of a table of one row or one column is the same figure as a cell or another total.
        let (many_rows, many_columns) = (self.rows.len() > 1, self.columns.len() > 1);
        let [cells_hidden, rows_hidden, columns_hidden, total_hidden] = hidden;
        let unit = InUnit {
            factor,
            decimals,
            rounded,
            hidden: cells_hidden
                + if many_columns { rows_hidden } else { 0 }
                + if many_rows { columns_hidden } else { 0 }
                + if many_rows && many_columns { total_hidden } else { 0 },
            hidden_in_list: cells_hidden + if present > 1 { total_hidden } else { 0 },
        };
        let row_totals = table.row_totals.iter().map(|&n| shown(n)).collect::<Option<Vec<_>>>()?;
        let column_totals = table.column_totals.iter().map(|&n| shown(n)).collect::<Option<Vec<_>>>()?;
        Some(((cells, row_totals, column_totals, shown(table.total)?), unit))
    }
}

impl Listing {
    /// Puts the money columns `money` (column index, whether it adds up) in
    /// a unit of `factor` currency units with `decimals` decimals: a column
    /// that adds up is rounded together with its Total, each figure the
    /// floor or the ceiling of its exact value and the rows adding up to the
    /// Total as shown; any other money figure is rounded on its own, half
    /// away from zero. Leaves the listing as it is (and returns `None`) when
    /// a figure is too large to round in 128-bit integers.
    pub(super) fn show_in(&mut self, money: &[(usize, bool)], factor: Decimal, decimals: u32) -> Option<InUnit> {
        let step = unit_step(factor, decimals)?;
        let mut rows: Vec<Vec<Value>> = self.rows.iter().map(|r| r.values.clone()).collect();
        let mut totals = self.totals.clone();
        let (mut rounded, mut hidden) = (0, 0);
        let shown = |n: i128| Decimal::try_from_i128_with_scale(n, decimals).ok();
        for &(c, adds_up) in money {
            let exact: Vec<Option<Decimal>> = rows.iter().map(|r| r.get(c).and_then(Value::amount)).collect();
            let total = totals.get(c).and_then(Value::amount);
            if !adds_up {
                let alone = |d: Decimal| {
                    let mut s =
                        d.checked_div(factor)?.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
                    s.rescale(decimals);
                    Some(Value::Amount(s))
                };
                for (row, d) in rows.iter_mut().zip(&exact) {
                    if let Some(d) = d {
                        row[c] = alone(*d)?;
                    }
                }
                if let Some(d) = total {
                    totals[c] = alone(d)?;
                }
                continue;
            }
            let scale = exact.iter().flatten().chain(&total).map(Decimal::scale).fold(step.scale(), u32::max);
            let values: Vec<Vec<Option<i128>>> = (exact.iter())
                .map(|v| v.map(|d| in_base(d, scale)).map_or(Some(None), |b| b.map(Some)).map(|b| vec![b]))
                .collect::<Option<_>>()?;
            let step = in_base(step, scale)?;
            let table = round_table(&values, 1, step)?;
            let mut count = |figure: i128, exact: i128| {
                if exact.rem_euclid(step) != 0 {
                    rounded += 1;
                    hidden += usize::from(figure == 0);
                }
            };
            for ((row, figure), value) in rows.iter_mut().zip(&table.cells).zip(&values) {
                if let (Some(figure), Some(exact)) = (figure[0], value[0]) {
                    count(figure, exact);
                    row[c] = Value::Amount(shown(figure)?);
                }
            }
            if let Some(d) = total {
                count(table.total, in_base(d, scale)?);
                totals[c] = Value::Amount(shown(table.total)?);
            }
        }
        for (row, values) in self.rows.iter_mut().zip(rows) {
            row.values = values;
        }
        self.totals = totals;
        Some(InUnit { factor, decimals, rounded, hidden, hidden_in_list: hidden })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view::{CrossRow, Dim};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn table(rows: &[&[&str]]) -> Crosstab {
        let mut t = Crosstab::new(0, vec![Dim::Split(0)], Dim::Period);
        t.columns = (0..rows[0].len()).map(|j| format!("c{j}")).collect();
        t.column_totals = vec![Decimal::ZERO; t.columns.len()];
        for (i, r) in rows.iter().enumerate() {
            let values: Vec<Option<Decimal>> = r.iter().map(|v| (!v.is_empty()).then(|| d(v))).collect();
            let total = values.iter().flatten().sum();
            for (j, v) in values.iter().enumerate() {
                t.column_totals[j] += v.unwrap_or_default();
            }
            t.total += total;
            t.rows.push(CrossRow { keys: vec![format!("r{i}")], values, total, share: Some(Decimal::ONE) });
        }
        t
    }

    #[test]
    fn figures_in_wan_add_up_as_shown() {
        // 833,333.33 yuan a month is 83.33 万; three of them, 250.00 万.
        let mut t = table(&[&["833333.34", "833333.33", "833333.33"], &["1666.67", "", "0.01"]]);
        t.show_in(Decimal::from(10_000), 2);
        assert_eq!(t.rows[0].values, vec![Some(d("83.34")), Some(d("83.33")), Some(d("83.33"))]);
        assert_eq!(t.rows[0].total, d("250.00"));
        // 0.1666667 万 and 0.01 yuan: the grand total takes its nearer 250.17, the rows and
        // columns their largest remainders (the row of 0.1666667 its 0.17: its cent shows 0.01).
        assert_eq!(t.rows[1].values, vec![Some(d("0.16")), None, Some(d("0.01"))]);
        assert_eq!(t.rows[1].total, d("0.17"));
        assert_eq!(t.column_totals, vec![d("83.50"), d("83.33"), d("83.34")]);
        assert_eq!(t.total, d("250.17"));
        assert_eq!(t.rows[0].share, Some(Decimal::ONE), "shares stay exact");
        let unit = t.shown.unwrap();
        assert_eq!((unit.rounded, unit.hidden, unit.hidden_in_list), (10, 0, 0));
        assert_eq!(t.total.to_string(), "250.17", "two decimals");
        // Cents in 万: every figure shows 0.00 (the nearer value), and says so.
        let mut t = table(&[&["0.01", "0.02"], &["0.03", ""]]);
        t.show_in(Decimal::from(10_000), 2);
        assert_eq!(t.total, d("0.00"));
        let unit = t.shown.unwrap();
        // 3 cells, 2 row totals, 2 column totals, the grand total; in a list, the cells and the total.
        assert_eq!((unit.rounded, unit.hidden, unit.hidden_in_list), (8, 8, 4));
    }

    #[test]
    fn a_lone_figure_takes_its_nearer_ceiling() {
        // 6,000 yuan in whole 万: 0.6 万 shows as 1, its nearer ceiling, not 0.
        let mut t = table(&[&["6000.00"]]);
        t.show_in(Decimal::from(10_000), 0);
        assert_eq!((t.rows[0].values[0], t.rows[0].total, t.total), (Some(d("1")), d("1"), d("1")));
        assert_eq!(t.shown.unwrap().hidden, 0);
        // An exact table is shown as it is: nothing rounded.
        let mut t = table(&[&["2500000", "1500000.00"]]);
        t.show_in(Decimal::from(10_000), 2);
        assert_eq!(t.rows[0].values, vec![Some(d("250.00")), Some(d("150.00"))]);
        assert_eq!(t.shown.unwrap().rounded, 0);
    }
}
