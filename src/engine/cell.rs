//! Stage `engine`: what the engine hands to renderers — one header per run,
//! then cells. Renderers only format these; every figure is final.

use super::{Column, TotalRule, Value};
use crate::calendar::Period;
use crate::plan::{Language, Precision};

/// Facts about a run that every output shows once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The plan's title.
    pub plan: String,
    /// Currency code, shown but never converted (may be empty).
    pub currency: String,
    /// The plan's year number.
    pub year: i32,
    /// Rounding unit; every amount has exactly its decimals.
    pub precision: Precision,
    /// The plan's metric names, in the order written.
    pub metrics: Vec<String>,
    /// The value columns of every cell, in the order of [`Cell::values`]
    /// (for `decompose`, one amount per metric).
    pub columns: Vec<Column>,
    /// The split dimensions kept by the breakdown, in cascade order
    /// (the `period` dimension comes after them).
    pub splits: Vec<String>,
    /// The breakdown's time level as users call it (`month`, `period`,
    /// `iso-week`).
    pub time: String,
    /// A tracking run's as-of date and what it shows (`None` for `decompose`).
    pub as_of: Option<AsOf>,
    /// How each column's total is made, one per [`Header::columns`] entry
    /// (see [`Header::total_rule`]); empty when every column that adds up is
    /// summed and every other one is its own figure.
    pub totals: Vec<TotalRule>,
    /// The language of the labels people read (not of CSV or JSON names).
    pub language: Language,
}

impl Header {
    /// How column `column`'s total is made: as [`Header::totals`] says, else
    /// summed when the column adds up and its own figure when not.
    pub fn total_rule(&self, column: usize) -> TotalRule {
        match self.totals.get(column) {
            Some(rule) => *rule,
            None if self.columns.get(column).is_some_and(|c| c.kind.adds_up()) => TotalRule::Sum,
            None => TotalRule::Own,
        }
    }
}

/// What a tracking run shows, and up to which day the actuals count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsOf {
    /// The last day counted as done.
    pub date: chrono::NaiveDate,
    /// New targets for the days after `date` (`--replan`), not the report.
    pub replan: bool,
    /// The band around 100% attainment that counts as on track (0.05 for
    /// ±5%); zero for a re-plan, which has no attainment.
    pub tolerance: rust_decimal::Decimal,
}

impl AsOf {
    /// The words a title ends with: `as of 2026-03-31`, `re-planned after 2026-03-31`.
    pub fn words(&self) -> String {
        if self.replan {
            format!("re-planned after {}", self.date)
        } else {
            format!("as of {}", self.date)
        }
    }
}

/// One row of output: a combination of members, a period, and its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell<'a> {
    /// One member name per [`Header::splits`] entry.
    pub members: &'a [&'a str],
    /// The period, at the breakdown's level.
    pub period: &'a Period,
    /// One value per [`Header::columns`] entry; amounts have exactly the
    /// precision's decimals.
    pub values: &'a [Value],
}
