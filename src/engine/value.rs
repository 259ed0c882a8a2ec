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

/// A value column of an output: its name and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column's name (`sales`, `target_to_date`).
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
}
