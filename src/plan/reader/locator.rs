//! Stage `plan`: where a span of the plan text is, as a [`Location`], in
//! time and memory that do not grow with the plan. A plan may hold 50,000
//! members in one inline table on one line; every member keeps where it is
//! written, so finding a line must not count from the start of the file,
//! and a member must not keep a copy of the whole line.

use std::cell::Cell;
use std::ops::Range;

use crate::diagnostic::{Location, LocationStyle};

/// Bytes of a line a location keeps whole; a longer line is kept as a
/// window of about this much around the span, marked with `…` where cut.
const WHOLE_LINE: usize = 160;

/// Bytes kept before the span's start in a window of a long line.
const BEFORE: usize = 60;

/// Finds lines by a search over where they end, and columns by counting
/// on from the last location asked for on the same line (members are read
/// in the order written).
#[derive(Debug)]
pub(super) struct Locator<'t> {
    file: &'t str,
    text: &'t str,
    newlines: Vec<usize>,
    /// The last (byte offset, 1-based column) found, for counting on.
    last: Cell<(usize, usize)>,
}

impl<'t> Locator<'t> {
    /// The locator of `text`, a file named `file`.
    pub(super) fn new(file: &'t str, text: &'t str) -> Locator<'t> {
        let newlines = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
        Locator { file, text, newlines, last: Cell::new((usize::MAX, 0)) }
    }

    /// The location of byte range `span` of the text: as
    /// [`Location::from_span`] gives it, but with a long line cut to a
    /// window around the span.
    pub(super) fn locate(&self, span: Range<usize>) -> Location {
        let text = self.text;
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line = self.newlines.partition_point(|&n| n < start);
        let line_start = if line == 0 { 0 } else { self.newlines[line - 1] + 1 };
        let line_end = self.newlines.get(line).copied().unwrap_or(text.len());
        let full = text[line_start..line_end].trim_end_matches('\r');
        let column = self.column(line_start, start);
        let from = floor_char_boundary(full, (start - line_start).min(full.len()));
        let to = floor_char_boundary(full, span.end.saturating_sub(line_start).min(full.len())).max(from);
        let (line_text, underline) = if full.len() <= WHOLE_LINE {
            (full.to_string(), from..to)
        } else {
            let first = floor_char_boundary(full, from.saturating_sub(BEFORE));
            let last = floor_char_boundary(full, (from + WHOLE_LINE - BEFORE).min(full.len())).max(from);
            let head = if first > 0 { "…" } else { "" };
            let tail = if last < full.len() { "…" } else { "" };
            let shift = |i: usize| i - first + head.len();
            (format!("{head}{}{tail}", &full[first..last]), shift(from)..shift(to.min(last)))
        };
        Location {
            file: self.file.to_string(),
            line: line + 1,
            column: Some(column),
            line_text,
            underline,
            style: LocationStyle::Colon,
            sheet: None,
        }
    }

    /// The 1-based column (in characters) of byte `at` on the line starting at `line_start`.
    fn column(&self, line_start: usize, at: usize) -> usize {
        let (last_at, last_column) = self.last.get();
        let column = if last_at >= line_start && last_at <= at && last_at != usize::MAX {
            last_column + self.text[last_at..at].chars().count()
        } else {
            self.text[line_start..at].chars().count() + 1
        };
        self.last.set((at, column));
        column
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_located_as_from_span_does() {
        let text = "\u{feff}[plan]\r\nname = \"计划\"\nyear = 20x6\n\nweights = { 东北 = 1, 华北 = 2 }";
        let locator = Locator::new("plan.toml", text);
        let mut spans: Vec<Range<usize>> = Vec::new();
        for start in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            for len in [0, 1, 3, 7, 100] {
                spans.push(start..start + len);
            }
        }
        // In order (counting on), then backwards (searching afresh).
        for span in spans.iter().chain(spans.iter().rev()) {
            assert_eq!(locator.locate(span.clone()), Location::from_span("plan.toml", text, span.clone()), "{span:?}");
        }
    }

    #[test]
    fn a_long_line_is_kept_as_a_window_around_the_span() {
        let members: Vec<String> = (0..5_000).map(|i| format!("SKU{i} = 1")).collect();
        let text = format!("[[split]]\nweights = {{ {} }}\n", members.join(", "));
        let locator = Locator::new("plan.toml", &text);
        let at = text.find("SKU4321 ").unwrap();
        let loc = locator.locate(at..at + 7);
        let whole = Location::from_span("plan.toml", &text, at..at + 7);
        assert_eq!((loc.line, loc.column), (whole.line, whole.column));
        assert!(loc.line_text.len() < WHOLE_LINE + 10, "{}", loc.line_text.len());
        assert!(loc.line_text.starts_with('…') && loc.line_text.ends_with('…'));
        assert_eq!(&loc.line_text[loc.underline.clone()], "SKU4321");
        // The start of the line is kept as it is.
        let first = locator.locate(10..17);
        assert_eq!(&first.line_text[first.underline.clone()], "weights");
        assert!(first.line_text.starts_with("weights = { SKU0 = 1"));
    }
}
