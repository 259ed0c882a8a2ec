//! Stage `render`: the company by period as bars stacked by the first
//! split's members, and the small multiples (one small chart per member on
//! one scale). Heights are the engine's exact fractions of the tallest bar
//! ([`Stacked`]); labels are its figures.

use rust_decimal::Decimal;

use super::{amount, colour, fits, Words};
use crate::engine::{Report, Stacked};
use crate::render::html_text::escape;
use crate::render::svg::{at, px, Svg};

const WIDTH: u32 = 1100;
const HEIGHT: u32 = 340;
const LEFT: u32 = 100;
const TOP: u32 = 24;
const BOTTOM: u32 = 36;

/// Which period labels are written: every one when they fit, else every
/// `step`-th.
fn label_step(periods: usize, slot: u32) -> usize {
    let wanted = 64 / slot.max(1) + 1;
    usize::try_from(wanted).unwrap_or(1).max(1).min(periods.max(1))
}

/// The stacked bars of `stacked` and their legend.
pub(crate) fn stacked_bars(stacked: &Stacked, words: Words, level: &str) -> String {
    let table = &stacked.table;
    let periods = table.columns.len();
    let plot_w = WIDTH - LEFT - 10;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / u32::try_from(periods.max(1)).unwrap_or(1);
    let bar = (slot * 7 / 10).max(1);
    let base_y = at(TOP + plot_h);
    let mut svg = Svg::new(WIDTH, HEIGHT, &words.by(level));
    // The scale: zero and the tallest period's total, the engine's figures.
    let tallest = table.column_totals.get(stacked.tallest).copied().unwrap_or_default();
    svg.line((at(LEFT), base_y), (at(LEFT + plot_w), base_y), "axis-line");
    svg.line((at(LEFT), at(TOP)), (at(LEFT + plot_w), at(TOP)), "grid");
    svg.text((at(LEFT - 6), at(TOP + 4)), "end", "axis", &amount(tallest));
    svg.text((at(LEFT - 6), base_y), "end", "axis", "0");
    let step = label_step(periods, slot);
    for (c, label) in table.columns.iter().enumerate() {
        let x = at(LEFT + slot * u32::try_from(c).unwrap_or(0) + (slot - bar) / 2);
        let mut top = Decimal::ONE;
        for (r, row) in stacked.rows.iter().enumerate() {
            let h = px(row.heights[c], plot_h);
            let y = base_y - px(row.bases[c], plot_h) - h;
            let figure = table.rows[r].values[c].map(amount).unwrap_or_default();
            let who = if row.member.is_empty() { String::new() } else { format!("{} ", row.member) };
            svg.rect((x, y), (at(bar), h), colour(r), "seg", &format!("{who}{label}: {figure}"));
            top = row.bases[c] + row.heights[c];
        }
        let middle = x + at(bar) / Decimal::TWO;
        let total = amount(table.column_totals[c]);
        if fits(&total, at(slot), 10) || c == stacked.tallest {
            svg.text((middle, base_y - px(top, plot_h) - at(4)), "middle", "bar-total", &total);
        }
        if c % step == 0 {
            svg.text((middle, base_y + at(16)), "middle", "axis", label);
        }
    }
    let mut out = svg.finish();
    if stacked.rows.iter().any(|r| !r.member.is_empty()) {
        out.push_str("<ul class=\"legend\">");
        for (r, row) in stacked.rows.iter().enumerate() {
            out.push_str(&format!(
                "<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
                colour(r),
                escape(&row.member)
            ));
        }
        out.push_str("</ul>\n");
    }
    out
}

const SMALL_W: u32 = 260;
const SMALL_H: u32 = 130;

/// One small chart per member (the first [`Report::MAX_MEMBERS`]), all on
/// the scale of the largest single figure.
pub(crate) fn small_multiples(stacked: &Stacked, words: Words) -> String {
    let table = &stacked.table;
    let periods = table.columns.len();
    let plot_w = SMALL_W - 12;
    let plot_h = SMALL_H - 34;
    let slot = plot_w / u32::try_from(periods.max(1)).unwrap_or(1);
    let bar = (slot * 3 / 4).max(1);
    let base_y = at(20 + plot_h);
    let largest = table.rows.get(stacked.largest.0).and_then(|r| r.values[stacked.largest.1]).unwrap_or_default();
    let mut out = String::from("<div class=\"multiples\">\n");
    for (r, row) in stacked.rows.iter().enumerate().take(Report::MAX_MEMBERS) {
        let total = amount(table.rows[r].total);
        let mut svg = Svg::new(SMALL_W, SMALL_H, &row.member);
        svg.text((at(6), at(14)), "start", "name", &format!("{}  {total}", row.member));
        svg.line((at(6), base_y), (at(6 + plot_w), base_y), "axis-line");
        for c in 0..periods {
            let x = at(6 + slot * u32::try_from(c).unwrap_or(0) + (slot - bar) / 2);
            let h = px(row.alone[c], plot_h);
            let figure = table.rows[r].values[c].map(amount).unwrap_or_default();
            svg.rect((x, base_y - h), (at(bar), h), colour(r), "bar", &format!("{}: {figure}", table.columns[c]));
        }
        if let (Some(first), Some(last)) = (table.columns.first(), table.columns.last()) {
            svg.text((at(6), base_y + at(13)), "start", "axis small", first);
            svg.text((at(6 + plot_w), base_y + at(13)), "end", "axis small", last);
        }
        out.push_str(&format!("<figure>{}</figure>\n", svg.finish()));
    }
    out.push_str("</div>\n");
    out.push_str(&format!(
        "<p class=\"scale\">{} {}</p>\n",
        words.pick("One scale for every chart: the tallest bar is", "所有小图同一刻度：最高柱为"),
        amount(largest)
    ));
    out
}
