//! Stage `engine`: one figure of a cell, typed so that renderers know how to
//! show it without computing anything.

use rust_decimal::Decimal;

/// One figure of a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// Money or a count, with exactly the plan's decimals.
    Amount(Decimal),
    /// A fraction (0.9 = 90%), such as an attainment.
    Ratio(Decimal),
    /// A word, such as a status.
    Text(&'static str),
    /// No figure (an attainment when nothing was due yet).
    Missing,
}

impl ColumnKind {
    /// Whether the column's figures add up (amounts and counts).
    pub fn adds_up(self) -> bool {
        matches!(self, ColumnKind::Amount | ColumnKind::Count)
    }
}

impl Value {
    /// The amount, if this is one.
    pub fn amount(&self) -> Option<Decimal> {
        match self {
            Value::Amount(d) => Some(*d),
            _ => None,
        }
    }
}

/// What a column holds, for formats that care (the table shows ratios as
/// percentages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// [`Value::Amount`]s of money: they add up.
    Amount,
    /// [`Value::Amount`]s that are whole counts: they add up.
    Count,
    /// [`Value::Ratio`]s (an attainment, a market share): they do not add up.
    Ratio,
    /// [`Value::Amount`]s that are a level (a rating): they do not add up.
    Level,
    /// [`Value::Text`].
    Text,
}

/// How a column's figure in a run's total row is made, for outputs that
/// write it as a live formula (the xlsx Detail sheet's `Total` row): the
/// figure itself always comes finished with the totals
/// ([`CellSink::finish`](super::CellSink::finish)); this only says what it
/// is made of, so that a formula can say the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TotalRule {
    /// Additive: the exact sum of the rows' figures (rows without one count
    /// for nothing).
    Sum,
    /// A ratio of the total row's own figures: column `numerator` over
    /// column `denominator` (by index into [`Header::columns`](super::Header::columns)),
    /// rounded half away from zero to `decimals`; none when the denominator is zero.
    Ratio {
        /// The column divided.
        numerator: usize,
        /// The column it is divided by.
        denominator: usize,
        /// Decimals the ratio is rounded to.
        decimals: u32,
    },
    /// A pace: the total row's column `of` (none below zero) per day over
    /// `days` days, rounded half away from zero to `decimals`; none when
    /// `days` is zero.
    PerDay {
        /// The column spread over the days.
        of: usize,
        /// The days it is spread over.
        days: u64,
        /// Decimals the pace is rounded to.
        decimals: u32,
    },
    /// A figure of its own (a level, a word): no formula.
    Own,
}

/// A value column of an output: its name and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column's name (`sales`, `target_to_date`).
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
}
