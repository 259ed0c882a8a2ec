//! Stage `engine`: a burn-up chart of a tracking report — the company's
//! cumulative target and cumulative actual by day (the actual up to the
//! as-of date), and the projection to the year end — as running sums of the
//! report's day cells, exact, and as fractions of the chart's height.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Listing, Value};

/// The company's cumulative target and actual by day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BurnUp {
    /// The days' labels, in order.
    pub days: Vec<String>,
    /// The running sum of the daily targets, one per day (exact).
    pub target: Vec<Decimal>,
    /// The running sum of the daily actuals, one per day up to the as-of
    /// date (exact); fewer than `days` when the year is not over.
    pub actual: Vec<Decimal>,
    /// The projection to the year end (the report's `projected` of the
    /// year), if the report has one.
    pub projected: Option<Decimal>,
    /// The chart's top: the largest of the cumulative target, the actual
    /// and the projection.
    pub top: Decimal,
    /// `target` over `top`, 0 to 1.
    pub target_heights: Vec<Decimal>,
    /// `actual` over `top`, 0 to 1.
    pub actual_heights: Vec<Decimal>,
    /// `projected` over `top`.
    pub projected_height: Option<Decimal>,
    /// The as-of date.
    pub as_of: Option<NaiveDate>,
}

impl BurnUp {
    /// The chart of `days`, a tracking report of the company by day, and
    /// `year`, the same report for the whole year (its projection).
    pub(super) fn of(days: &Listing, year: &Listing) -> BurnUp {
        let at =
            |l: &Listing, name: &str| l.header.as_ref().and_then(|h| h.columns.iter().position(|c| c.name == name));
        let amount = |values: &[Value], i: Option<usize>| i.and_then(|i| values.get(i)).and_then(Value::amount);
        let as_of = days.header.as_ref().and_then(|h| h.as_of).map(|a| a.date);
        let (t, a) = (at(days, "target"), at(days, "actual_to_date"));
        let mut burn = BurnUp { as_of, ..BurnUp::default() };
        let (mut target, mut actual) = (Decimal::ZERO, Decimal::ZERO);
        for row in &days.rows {
            target += amount(&row.values, t).unwrap_or_default();
            burn.days.push(row.period.clone());
            burn.target.push(target);
            let done = match (row.period.parse::<NaiveDate>(), as_of) {
                (Ok(day), Some(as_of)) => day <= as_of,
                _ => false,
            };
            if done {
                actual += amount(&row.values, a).unwrap_or_default();
                burn.actual.push(actual);
            }
        }
        burn.projected = year.rows.first().and_then(|r| amount(&r.values, at(year, "projected")));
        burn.top = target.max(actual).max(burn.projected.unwrap_or_default());
        let over = |d: Decimal| if burn.top > Decimal::ZERO { d.max(Decimal::ZERO) / burn.top } else { Decimal::ZERO };
        burn.target_heights = burn.target.iter().map(|d| over(*d)).collect();
        burn.actual_heights = burn.actual.iter().map(|d| over(*d)).collect();
        burn.projected_height = burn.projected.map(over);
        burn
    }
}
