//! Stage `render`: the burn-up — the company's cumulative target by day
//! over the year, its cumulative actual up to the as-of date, and a dashed
//! projection from there to the year's projected result; labelled with the
//! report's figures for the year.

use super::{amount, Words};
use crate::engine::{BurnUp, Listing, Value};
use crate::render::svg::{at, px, Svg};

const WIDTH: u32 = 1100;
const HEIGHT: u32 = 380;
const LEFT: u32 = 110;
const RIGHT: u32 = 230;
const TOP: u32 = 20;
const BOTTOM: u32 = 40;

/// A column of the company's year report, as shown.
fn figure(company: Option<&Listing>, name: &str) -> Option<String> {
    let listing = company?;
    let column = listing.header.as_ref()?.columns.iter().position(|c| c.name == name)?;
    match listing.rows.first()?.values.get(column)? {
        Value::Amount(d) => Some(amount(*d)),
        _ => None,
    }
}

/// The burn-up of `burn`, labelled from `company` (the year's report).
pub(crate) fn burn_up_chart(burn: &BurnUp, company: Option<&Listing>, words: Words) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let days = u32::try_from(burn.days.len().max(2)).unwrap_or(2);
    let x_of = |i: usize| at(LEFT + plot_w * u32::try_from(i).unwrap_or(0) / (days - 1));
    let base = at(TOP + plot_h);
    let y_of = |h| base - px(h, plot_h);
    let mut svg = Svg::new(WIDTH, HEIGHT, words.pick("Cumulative target and actual", "累计目标与实际"));
    svg.line((at(LEFT), base), (at(LEFT + plot_w), base), "axis-line");
    svg.text((at(LEFT - 6), base), "end", "axis", "0");
    // Months along the bottom: the first day of each, by its label.
    for (i, day) in burn.days.iter().enumerate() {
        if day.ends_with("-01") && day.len() == 10 {
            svg.line((x_of(i), base), (x_of(i), base + at(4)), "axis-line");
            svg.text((x_of(i), base + at(18)), "start", "axis small", &day[..7]);
        }
    }
    let target: Vec<_> = burn.target_heights.iter().enumerate().map(|(i, h)| (x_of(i), y_of(*h))).collect();
    svg.polyline(&target, "target");
    if let (Some(end), Some(total)) = (target.last(), figure(company, "target")) {
        svg.text(
            (end.0 + at(6), end.1 + at(12)),
            "start",
            "target-label",
            &format!("{} {total}", words.column("target")),
        );
    }
    let actual: Vec<_> = burn.actual_heights.iter().enumerate().map(|(i, h)| (x_of(i), y_of(*h))).collect();
    svg.polyline(&actual, "actual");
    if let Some(&last) = actual.last() {
        if let Some(done) = figure(company, "actual_to_date") {
            let label = format!("{} {done}", words.column("actual_to_date"));
            svg.text((last.0 - at(6), last.1 - at(8)), "end", "actual-label", &label);
        }
        svg.line((last.0, at(TOP)), (last.0, base), "as-of");
        if let Some(date) = burn.as_of {
            svg.text((last.0, base + at(32)), "middle", "axis", &format!("{} {date}", words.pick("as of", "截至")));
        }
        if let Some(h) = burn.projected_height {
            let end = (x_of(burn.days.len().saturating_sub(1)), y_of(h));
            svg.polyline(&[last, end], "projection");
            if let Some(projected) = figure(company, "projected") {
                svg.text(
                    (end.0 + at(6), end.1 - at(4)),
                    "start",
                    "projection-label",
                    &format!("{} {projected}", words.column("projected")),
                );
            }
        }
    }
    svg.finish()
}
