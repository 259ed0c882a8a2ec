//! Stage `engine`: what the engine hands to renderers — one header per run,
//! then cells. Renderers only format these; every figure is final.

use super::{Column, Value};
use crate::calendar::Period;
use crate::plan::Precision;

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
}

/// What a tracking run shows, and up to which day the actuals count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsOf {
    /// The last day counted as done.
    pub date: chrono::NaiveDate,
    /// New targets for the days after `date` (`--replan`), not the report.
    pub replan: bool,
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
