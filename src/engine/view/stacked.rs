//! Stage `engine`: a run's figures by period stacked by the members of one
//! split, for bar charts — each member's bar segment in each period as
//! exact fractions of the tallest period (for the stacked chart) and of the
//! largest single figure (for the small multiples, one chart per member, on
//! one scale), so that the renderer only scales fractions to pixels.

use rust_decimal::Decimal;

use super::Crosstab;

/// One member's bars in a [`Stacked`] chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackedRow {
    /// The member (empty when the chart is of the company alone).
    pub member: String,
    /// Per period, where its segment starts in the stack (the exact figures
    /// of the members before it over the tallest period's total), 0 to 1.
    pub bases: Vec<Decimal>,
    /// Per period, its segment's height over the tallest period's total.
    pub heights: Vec<Decimal>,
    /// Per period, its figure over the largest figure of any member and
    /// period (its small multiple's bar), 0 to 1.
    pub alone: Vec<Decimal>,
}

/// The periods' figures stacked by member. Invariant: in every period the
/// segments lie one on the next from 0 (`bases[i] + heights[i]` is the next
/// member's base) and the tallest period's top is 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stacked {
    /// The figures as shown (members down the side, periods across, with
    /// their totals; in the display unit when asked).
    pub table: Crosstab,
    /// One per row of `table`.
    pub rows: Vec<StackedRow>,
    /// The index of the period whose total is the tallest bar.
    pub tallest: usize,
    /// The row and column of the largest single figure.
    pub largest: (usize, usize),
}

impl Stacked {
    /// The chart of `exact` (one adding-up column, members of one split or
    /// none down the side), labelled with the figures of `shown` (the same
    /// table, in a display unit or not).
    pub(super) fn of(exact: &Crosstab, shown: Crosstab) -> Stacked {
        let tallest = (0..exact.columns.len()).max_by_key(|&c| exact.column_totals[c]).unwrap_or(0);
        let top = exact.column_totals.get(tallest).copied().unwrap_or_default();
        let mut largest = (0, 0);
        let mut most = Decimal::ZERO;
        for (r, row) in exact.rows.iter().enumerate() {
            for (c, v) in row.values.iter().enumerate() {
                if v.unwrap_or_default() > most {
                    most = v.unwrap_or_default();
                    largest = (r, c);
                }
            }
        }
        let over = |d: Decimal, of: Decimal| if of > Decimal::ZERO { d.max(Decimal::ZERO) / of } else { Decimal::ZERO };
        let mut below = vec![Decimal::ZERO; exact.columns.len()];
        let rows = exact
            .rows
            .iter()
            .map(|row| {
                let values: Vec<Decimal> = row.values.iter().map(|v| v.unwrap_or_default()).collect();
                let bases = below.iter().map(|b| over(*b, top)).collect();
                let heights = values.iter().map(|v| over(*v, top)).collect();
                let alone = values.iter().map(|v| over(*v, most)).collect();
                for (b, v) in below.iter_mut().zip(&values) {
                    *b += (*v).max(Decimal::ZERO);
                }
                StackedRow { member: row.keys.first().cloned().unwrap_or_default(), bases, heights, alone }
            })
            .collect();
        Stacked { table: shown, rows, tallest, largest }
    }
}
