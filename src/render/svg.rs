//! Stage `render`: a small SVG writer for the HTML report's charts — the
//! handful of elements they use (rectangles, lines, polylines, text, groups),
//! every text escaped, every coordinate a `Decimal` of pixels (so that no
//! float comes near a figure: a bar's height is the engine's exact fraction
//! times the chart's pixels, written to a tenth of a pixel).
//!
//! Why our own: the charts are a few dozen elements of five kinds; the `svg`
//! crate would add a dependency to write the same strings, and `plotters`
//! lays out with `f64` coordinates and ships fonts and backends we do not
//! use. Layout (where a bar goes) is the report's; this only writes it.

use rust_decimal::Decimal;

use super::html_text::escape;

/// An SVG document being written.
#[derive(Clone, Debug)]
pub(crate) struct Svg {
    out: String,
}

/// `fraction` of `length` pixels, to a tenth of a pixel.
pub(crate) fn px(fraction: Decimal, length: u32) -> Decimal {
    (fraction * Decimal::from(length)).round_dp(1).normalize()
}

/// A whole number of pixels as a coordinate.
pub(crate) fn at(pixels: u32) -> Decimal {
    Decimal::from(pixels)
}

impl Svg {
    /// A chart `width` by `height` pixels, scaled to the page's width when
    /// it is narrower; `label` is what a screen reader says it is.
    pub(crate) fn new(width: u32, height: u32, label: &str) -> Svg {
        Svg {
            out: format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" \
                 height=\"{height}\" role=\"img\" aria-label=\"{}\">\n",
                escape(label)
            ),
        }
    }

    /// A rectangle of a CSS class, filled with `fill` (or as its class
    /// says, when empty), with a tooltip (none when empty).
    pub(crate) fn rect(
        &mut self,
        (x, y): (Decimal, Decimal),
        (w, h): (Decimal, Decimal),
        fill: &str,
        class: &str,
        tip: &str,
    ) {
        let fill = if fill.is_empty() { String::new() } else { format!(" fill=\"{}\"", escape(fill)) };
        let open = format!("<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" class=\"{class}\"{fill}");
        if tip.is_empty() {
            self.out.push_str(&format!("{open}/>\n"));
        } else {
            self.out.push_str(&format!("{open}><title>{}</title></rect>\n", escape(tip)));
        }
    }

    /// A straight line of a CSS class.
    pub(crate) fn line(&mut self, (x1, y1): (Decimal, Decimal), (x2, y2): (Decimal, Decimal), class: &str) {
        self.out.push_str(&format!("<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" class=\"{class}\"/>\n"));
    }

    /// A line through `points`, of a CSS class.
    pub(crate) fn polyline(&mut self, points: &[(Decimal, Decimal)], class: &str) {
        let mut text = String::new();
        for (i, (x, y)) in points.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&format!("{x},{y}"));
        }
        self.out.push_str(&format!("<polyline points=\"{text}\" class=\"{class}\"/>\n"));
    }

    /// Text at a point, of a CSS class (`start`, `middle` or `end` anchored).
    pub(crate) fn text(&mut self, (x, y): (Decimal, Decimal), anchor: &str, class: &str, text: &str) {
        self.out.push_str(&format!(
            "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" class=\"{class}\">{}</text>\n",
            escape(text)
        ));
    }

    /// The document, closed.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_pixels_are_tenths() {
        let mut svg = Svg::new(100, 50, "a <b> & \"c\"");
        svg.text((at(1), px(Decimal::new(1, 3), 100)), "start", "label", "<华东 & 'x'>");
        let out = svg.finish();
        assert!(out.contains("aria-label=\"a &lt;b&gt; &amp; &quot;c&quot;\""), "{out}");
        assert!(out.contains(">&lt;华东 &amp; &#39;x&#39;&gt;</text>"), "{out}");
        assert!(out.contains("y=\"0.1\""), "{out}");
        assert!(out.ends_with("</svg>\n"));
    }
}
