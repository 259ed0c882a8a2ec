//! Stage `render`: attainment to date per member as horizontal bars over
//! the tolerance band, each in its status colour, with its attainment and
//! status as the report has them.

use super::{percent, Words};
use crate::engine::Standing;
use crate::render::svg::{at, px, Svg};

const WIDTH: u32 = 1100;
const LEFT: u32 = 260;
const RIGHT: u32 = 170;
const ROW: u32 = 24;
const TOP: u32 = 22;

/// The CSS class of a status word's colour.
pub(crate) fn status_class(word: &str) -> &'static str {
    match word {
        "ahead" => "ahead",
        "on track" => "ontrack",
        "behind" => "behind",
        _ => "idle",
    }
}

/// The bars of `standing`.
pub(crate) fn attainment_bars(standing: &Standing, words: Words) -> String {
    let plot = WIDTH - LEFT - RIGHT;
    let rows = u32::try_from(standing.rows.len().max(1)).unwrap_or(1);
    let height = TOP + ROW * rows + 24;
    let mut svg = Svg::new(WIDTH, height, words.pick("Attainment to date", "至今达成率"));
    let [low, hundred, high] = standing.marks;
    let band_x = at(LEFT) + px(low, plot);
    svg.rect((band_x, at(TOP - 4)), (px(high - low, plot), at(ROW * rows + 4)), "", "band", "");
    let x100 = at(LEFT) + px(hundred, plot);
    svg.text((x100, at(TOP - 10)), "middle", "axis", "100%");
    // The band's edges below it, left and right of the band so that a
    // narrow band's labels do not overlap; the scale's end when clear of them.
    let bottom = at(TOP + ROW * rows + 16);
    let high_x = at(LEFT) + px(high, plot);
    svg.text((band_x - at(2), bottom), "end", "axis small", &percent(standing.behind_below));
    svg.text((high_x + at(2), bottom), "start", "axis small", &percent(standing.ahead_above));
    if at(LEFT + plot) - high_x > at(90) {
        svg.text((at(LEFT + plot), bottom), "end", "axis small", &percent(standing.scale));
    }
    for (i, row) in standing.rows.iter().enumerate() {
        let y = TOP + ROW * u32::try_from(i).unwrap_or(0);
        let name = row.members.join(" / ");
        let shown = row.attainment.map_or_else(|| "—".to_string(), percent);
        let status = words.status(row.status);
        svg.text((at(LEFT - 8), at(y + 15)), "end", "name", &name);
        let w = px(row.bar, plot);
        let class = format!("att {}", status_class(row.status));
        svg.rect((at(LEFT), at(y + 3)), (w, at(ROW - 6)), "", &class, &format!("{name}: {shown} {status}"));
        svg.text((at(LEFT + plot + 8), at(y + 15)), "start", "figure", &format!("{shown}  {status}"));
    }
    // On top of the bars, so that 100% reads across every one.
    svg.line((x100, at(TOP - 6)), (x100, at(TOP + ROW * rows)), "hundred");
    svg.finish()
}
