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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view::{CrossRow, Dim};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A table of members down the side and two periods across.
    fn table(rows: &[(&str, [&str; 2])]) -> Crosstab {
        let mut t = Crosstab::new(0, vec![Dim::Split(0)], Dim::Period);
        t.columns = vec!["p1".into(), "p2".into()];
        t.column_totals = vec![Decimal::ZERO; 2];
        for (member, values) in rows {
            let values: Vec<Option<Decimal>> = values.iter().map(|v| Some(d(v))).collect();
            let total = values.iter().flatten().sum();
            for (j, v) in values.iter().enumerate() {
                t.column_totals[j] += v.unwrap_or_default();
            }
            t.total += total;
            t.rows.push(CrossRow { keys: vec![(*member).to_string()], values, total, share: None });
        }
        t
    }

    #[test]
    fn segments_lie_one_on_the_next_up_to_the_tallest_period() {
        // p1: 10 + 30 = 40; p2: 20 + 60 = 80, the tallest.
        let t = table(&[("a", ["10", "20"]), ("b", ["30", "60"])]);
        let s = Stacked::of(&t, t.clone());
        assert_eq!(s.tallest, 1);
        assert_eq!(s.rows[0].bases, vec![d("0"), d("0")]);
        assert_eq!(s.rows[0].heights, vec![d("0.125"), d("0.25")]);
        assert_eq!(s.rows[1].bases, vec![d("0.125"), d("0.25")]);
        assert_eq!(s.rows[1].heights, vec![d("0.375"), d("0.75")]);
        assert_eq!(s.rows[1].bases[1] + s.rows[1].heights[1], Decimal::ONE);
        // Small multiples: over the largest single figure, 60.
        assert_eq!(s.largest, (1, 1));
        assert_eq!(s.rows[0].alone, vec![d("10") / d("60"), d("20") / d("60")]);
        assert_eq!(s.rows[1].alone[1], Decimal::ONE);
    }

    #[test]
    fn a_table_of_zeros_draws_nothing() {
        let t = table(&[("a", ["0", "0"])]);
        let s = Stacked::of(&t, t.clone());
        assert_eq!((s.rows[0].heights.clone(), s.rows[0].alone.clone()), (vec![d("0"); 2], vec![d("0"); 2]));
    }
}
