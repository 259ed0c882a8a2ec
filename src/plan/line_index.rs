//! Stage `plan`: line numbers of CSV rows (rosters, holiday calendars) for
//! messages, found by a search over where the lines end rather than by
//! counting from the start of the file for every row.

/// Where each line of a text ends.
#[derive(Debug)]
pub(super) struct LineIndex<'t> {
    text: &'t [u8],
    newlines: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// The index of `text` (without its BOM).
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let newlines = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect();
        LineIndex { text: text.as_bytes(), newlines }
    }

    /// The 1-based line a CSV row starts on. The csv crate starts a row after
    /// a CRLF (as Excel writes them) at its `\n`, one line too early, so the
    /// line is counted from the row's first byte.
    pub fn line_of(&self, p: &csv::Position) -> usize {
        let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(self.text.len());
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        self.newlines.partition_point(|&n| n < at) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_after_crlf_and_lf_are_on_their_own_lines() {
        let text = "a,b\r\n1,2\r\n\n3,4\n";
        let index = LineIndex::new(text);
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let lines: Vec<usize> = reader.records().map(|r| index.line_of(r.unwrap().position().unwrap())).collect();
        assert_eq!(lines, [2, 4]);
    }
}
