//! Stage `render`: the org cascade as an icicle — one band per split, each
//! node a rectangle as wide as its share of the total (the engine's exact
//! fractions), labelled with its member, figure and share where they fit,
//! and always in its tooltip.

use rust_decimal::Decimal;

use super::{amount, colour, fits, percent, Words};
use crate::engine::Cascade;
use crate::render::svg::{at, px, Svg};

/// The chart's width, and one band's height, in pixels.
const WIDTH: u32 = 1100;
const BAND: u32 = 58;
/// The left column with the split names.
const GUTTER: u32 = 110;

/// The icicle of `cascade`.
pub(crate) fn icicle(cascade: &Cascade, words: Words) -> String {
    let plot = WIDTH - GUTTER;
    let height = BAND * u32::try_from(cascade.levels.len().max(1)).unwrap_or(1);
    let mut svg = Svg::new(WIDTH, height, words.pick("The organisation cascade", "组织分解"));
    for (depth, level) in cascade.levels.iter().enumerate() {
        let top = BAND * u32::try_from(depth).unwrap_or(0);
        svg.text((at(0), at(top + BAND / 2 + 4)), "start", "axis", &words.name(level));
    }
    // Each first-split member's colour, its descendants lighter by depth.
    let mut firsts: Vec<&str> = Vec::new();
    for node in &cascade.nodes {
        let first = node.path.first().map_or("", String::as_str);
        if !firsts.contains(&first) {
            firsts.push(first);
        }
        let hue = firsts.iter().position(|f| *f == first).unwrap_or(0);
        let top = BAND * u32::try_from(node.depth).unwrap_or(0);
        let x = at(GUTTER) + px(node.start, plot);
        let w = px(node.span, plot);
        let member = node.path.last().map_or("", String::as_str);
        let figure = amount(node.figure);
        let share = node.share.map(percent).unwrap_or_default();
        let tip = format!("{} — {figure} ({share})", node.path.join(" / "));
        let class = format!("node d{}", node.depth.min(3));
        svg.rect((x, at(top)), (w, at(BAND - 2)), colour(hue), &class, &tip);
        let middle = x + w / Decimal::TWO;
        // The lines that fit, from the top: a narrow node shows its member and share.
        let lines = [(member, "name"), (figure.as_str(), "figure"), (share.as_str(), "share")];
        let mut dy = 16;
        for (text, class) in lines {
            if fits(text, w, 12) {
                svg.text((middle, at(top + dy)), "middle", class, text);
                dy += 15;
            }
        }
    }
    svg.finish()
}
