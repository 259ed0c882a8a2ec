//! Stage `plan`: the rows of a sales CSV, the one format in which salesplit
//! reads actual sales — `salesplit track --actuals` and a plan's `baseline`
//! alike. It lives in the plan stage so that `track`, further down the
//! pipeline, can use it without the plan stage reaching up into `track`.
//!
//! Contract: columns are found by name in any order (a UTF-8 BOM and spaces
//! around the names are dropped); CRLF line endings, quoted fields and blank
//! rows are accepted; a date is `2026-03-15` or `2026/03/15`, optionally
//! followed by a time; an amount is a plain decimal, thousands separators
//! allowed (`"1,234.50"`), negative for returns. A bad row is recorded as a
//! [`Diagnostic`] naming its CSV line with a caret under the field, and
//! reading goes on, so that one run reports every bad row (up to
//! [`MAX_ROW_ERRORS`], then a count). Both readers share these messages word
//! for word; only the name of the file's kind ([`Noun`]) differs.

use std::io::Read;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostic::{suggest, why_not_a_date, Diagnostic, Location};
use crate::error::{Error, Result};

/// The most row errors reported from one file before the rest are counted.
pub(crate) const MAX_ROW_ERRORS: usize = 20;

/// How messages name the kind of file being read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Noun {
    /// The subject of a sentence: `the actuals`.
    pub the: &'static str,
    /// `have` or `has`, to agree with [`Noun::the`].
    pub has: &'static str,
    /// The possessive: `the actuals'`.
    pub owner: &'static str,
}

/// A sales CSV being read row by row, streaming: memory grows with the
/// buffered bytes, not with the rows. Bad rows are collected, not returned,
/// so that the caller's loop only sees usable values.
pub(crate) struct SalesCsv<R> {
    reader: csv::Reader<Lines<R>>,
    /// The file as named in messages.
    file: String,
    noun: Noun,
    /// Column names, cleaned up (no BOM, no surrounding spaces).
    headers: Vec<String>,
    /// The current row and its 1-based line.
    record: csv::StringRecord,
    line: usize,
    errors: Vec<Diagnostic>,
    /// The line of each of `errors`.
    error_lines: Vec<usize>,
    /// Bad rows beyond [`MAX_ROW_ERRORS`], only counted.
    more_errors: u64,
}

impl<R: Read> SalesCsv<R> {
    /// Starts reading `input` (named `file` in messages) and reads its header.
    pub(crate) fn new(input: R, file: &str, noun: Noun) -> Result<SalesCsv<R>> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(Lines::new(input));
        let headers: Vec<String> = match reader.headers() {
            // The BOM sticks to the first name, inside any spaces Excel left around it.
            Ok(h) => h.iter().map(|s| s.trim().trim_start_matches('\u{feff}').trim().to_string()).collect(),
            Err(e) => {
                return Err(Error::invalid(
                    Diagnostic::new(format!("cannot read {} header: {e}", noun.owner))
                        .at(Location::file(file))
                        .help("the first line must name the columns, e.g. date,region,sales"),
                ))
            }
        };
        Ok(SalesCsv {
            reader,
            file: file.to_string(),
            noun,
            headers,
            record: csv::StringRecord::new(),
            line: 0,
            errors: Vec::new(),
            error_lines: Vec::new(),
            more_errors: 0,
        })
    }

    /// The column named `name`.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The `date` and `metric` columns, or one error per missing one (with a
    /// "did you mean" for a near name that is not another known column;
    /// `splits` are the plan's split names, known columns too).
    pub(crate) fn required(&self, metric: &str, splits: &[&str]) -> Result<(usize, usize)> {
        let headers = &self.headers;
        let header_line = headers.join(",");
        // Where column `i` is in the header line, for the caret.
        let span = |i: usize| {
            let start: usize = headers[..i].iter().map(|h| h.len() + 1).sum();
            start..start + headers[i].len()
        };
        let taken = |h: &str| h == "date" || h == metric || splits.contains(&h);
        let columns = [
            ("date", "add a `date` column with the day of each sale (YYYY-MM-DD)".to_string(), ""),
            (
                metric,
                format!("add a `{metric}` column with the amount of each sale (it is named after the plan's metric)"),
                ", the plan's metric",
            ),
        ];
        let mut missing = Vec::new();
        for (name, add, what) in columns {
            if self.find(name).is_none() {
                let near = suggest(name, headers.iter().map(String::as_str).filter(|h| !taken(h)));
                let (underline, help) = match near.and_then(|n| self.find(n)) {
                    Some(i) => (span(i), format!("did you mean `{}`? Rename it to `{name}`{what}", headers[i])),
                    None => (0..header_line.len(), add),
                };
                missing.push(
                    Diagnostic::new(format!("{} {} no `{name}` column", self.noun.the, self.noun.has))
                        .at(Location::csv_line(&self.file, 1, &header_line, underline))
                        .note(format!("the columns are: {}", headers.join(", ")))
                        .help(help),
                );
            }
        }
        match (self.find("date"), self.find(metric)) {
            (Some(date), Some(amount)) => Ok((date, amount)),
            _ => Err(Error::Invalid(missing)),
        }
    }

    /// Moves to the next row that is valid CSV and not blank; `false` at
    /// the end of the file. Rows that are not valid CSV are recorded.
    pub(crate) fn next_row(&mut self) -> bool {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return false,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| self.reader.get_mut().line_of(p.byte())) as usize;
                    self.push_at(
                        line,
                        Diagnostic::new(format!("this row is not valid CSV: {e}"))
                            .at(Location::csv_line(&self.file, line, "", 0..0))
                            .help("check the quotes on this line"),
                    );
                    continue;
                }
            }
            // Counted for blank rows too, so that the bytes they take are let go.
            let line = self.record.position().map_or(0, |p| self.reader.get_mut().line_of(p.byte())) as usize;
            if self.record.iter().all(|f| trim(f).is_empty()) {
                continue;
            }
            self.line = line;
            return true;
        }
    }

    /// The current row's 1-based line in the file.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// Field `i` of the current row without surrounding spaces (empty if the row is short).
    pub(crate) fn field(&self, i: usize) -> &str {
        trim(self.record.get(i).unwrap_or(""))
    }

    /// The current row with field `i` underlined. The row is shown as its
    /// fields joined by commas (quotes gone), which is where the caret
    /// points; it is only built for messages.
    pub(crate) fn field_at(&self, i: usize) -> Location {
        let text = self.record.iter().collect::<Vec<_>>().join(",");
        let before: usize = self.record.iter().take(i).map(|f| f.len() + 1).sum();
        let len = self.record.get(i).map_or(0, str::len);
        Location::csv_line(&self.file, self.line, &text, before..before + len)
    }

    /// The date in column `col` of the current row, or `None` with the error recorded.
    pub(crate) fn date(&mut self, col: usize) -> Option<NaiveDate> {
        let text = self.field(col);
        if let Some(date) = parse_date(text) {
            return Some(date);
        }
        let message = match why_not_a_date(text.split(['T', ' ']).next().unwrap_or("")) {
            Some(why) => format!("`{text}` is not a date: {why}"),
            None => format!("`{text}` is not a date"),
        };
        let d = Diagnostic::new(message).at(self.field_at(col)).help(
            "write dates as YYYY-MM-DD, e.g. 2026-03-15 (a time after the date, such as 2026-03-15 10:30:00, is fine)",
        );
        self.push(d);
        None
    }

    /// The amount in column `col` (the `metric` column) of the current row,
    /// or `None` with the error recorded.
    pub(crate) fn amount(&mut self, col: usize, metric: &str) -> Option<Decimal> {
        self.amount_parts(col, metric).map(Amount::decimal)
    }

    /// As [`SalesCsv::amount`], as its digits and decimals: no `Decimal`
    /// arithmetic for the common case of a plain number.
    pub(crate) fn amount_parts(&mut self, col: usize, metric: &str) -> Option<Amount> {
        let text = self.field(col);
        if let Some(amount) = parse_amount_parts(text) {
            // Sums of millions of rows, and paces and projections made from
            // them, must stay within 28 digits: no one row may be absurd.
            if amount.decimal().abs() > Decimal::from(MAX_ROW_AMOUNT) {
                let d = Diagnostic::new(format!("the amount `{text}` is too large for one row of sales"))
                    .at(self.field_at(col))
                    .help("a row's amount is at most 1,000,000,000,000,000; check the column holds amounts, not codes or ids");
                self.push(d);
                return None;
            }
            return Some(amount);
        }
        let message = if text.is_empty() {
            format!("this row has no `{metric}` amount")
        } else {
            format!("`{text}` is not a number")
        };
        let d = Diagnostic::new(message)
            .at(self.field_at(col))
            .help("write the amount as a plain number such as 1234.50 (\"1,234.50\" in quotes is fine)");
        self.push(d);
        None
    }

    /// Records a problem with the current row; past [`MAX_ROW_ERRORS`] it is only counted.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.push_at(self.line, d);
    }

    /// Records a problem with the row on `line`, which may be before rows
    /// whose problems are recorded already: the first [`MAX_ROW_ERRORS`] in
    /// file order are kept, the rest only counted.
    pub(crate) fn push_at(&mut self, line: usize, d: Diagnostic) {
        let at = self.error_lines.partition_point(|l| *l <= line);
        if at < MAX_ROW_ERRORS {
            self.errors.insert(at, d);
            self.error_lines.insert(at, line);
            if self.errors.len() > MAX_ROW_ERRORS {
                self.errors.pop();
                self.error_lines.pop();
                self.more_errors += 1;
            }
        } else {
            self.more_errors += 1;
        }
    }

    /// The problems recorded, in file order, then how many more there were.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut errors = self.errors;
        if self.more_errors > 0 {
            errors.push(
                Diagnostic::new(format!("{} more rows have problems like the ones above", self.more_errors))
                    .at(Location::file(&self.file))
                    .help("fix the rows above, then run again to see the rest"),
            );
        }
        errors
    }
}

/// Passes the file through to the csv reader and keeps the bytes it has
/// not yet passed, so that a row's line can be counted from its first
/// byte: the csv crate starts a row that follows a CRLF (as Excel writes
/// them) or a blank line at the break before it, a line or more too early.
struct Lines<R> {
    inner: R,
    /// The bytes read from `window_start` on.
    window: Vec<u8>,
    window_start: u64,
    /// The `\n` bytes before `cursor` are counted in `passed`.
    cursor: u64,
    passed: u64,
}

/// Passed bytes are let go once there are this many.
const LINES_WINDOW: usize = 1 << 16;

impl<R> Lines<R> {
    fn new(inner: R) -> Lines<R> {
        Lines { inner, window: Vec::new(), window_start: 0, cursor: 0, passed: 0 }
    }

    /// The 1-based line of the row whose csv position is byte `start`.
    /// Rows must be asked for in file order.
    fn line_of(&mut self, start: u64) -> u64 {
        let at = |offset: u64| (offset.saturating_sub(self.window_start) as usize).min(self.window.len());
        if start > self.cursor {
            let passed = &self.window[at(self.cursor)..at(start)];
            self.passed += passed.iter().filter(|b| **b == b'\n').count() as u64;
            self.cursor = start;
        }
        // Skip the run of line breaks the row starts with.
        let breaks = self.window[at(start)..].iter().take_while(|b| matches!(b, b'\r' | b'\n'));
        let skipped = breaks.filter(|b| **b == b'\n').count() as u64;
        let done = at(self.cursor);
        if done >= LINES_WINDOW {
            self.window.drain(..done);
            self.window_start = self.cursor;
        }
        self.passed + skipped + 1
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.window.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// An amount as read: `mantissa` x 10^-`scale`, with exactly the digits and
/// decimals `Decimal` reads from the text (`1.50` is 150 and 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Amount {
    pub mantissa: i128,
    pub scale: u32,
}

impl Amount {
    /// The amount as the `Decimal` the text reads as.
    pub(crate) fn decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(self.mantissa, self.scale)
    }
}

/// The largest amount one row of sales may have (10^15), so that sums and
/// projections of millions of rows stay well within 28 digits.
const MAX_ROW_AMOUNT: u64 = 1_000_000_000_000_000;

/// `text.trim()`, without its work for the usual field that has no space
/// at either end.
fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return text };
    // The first byte of the last character.
    let last = bytes.iter().rev().take(4).copied().find(|b| b & 0xc0 != 0x80).unwrap_or(last);
    if may_be_space(first) || may_be_space(last) {
        text.trim()
    } else {
        text
    }
}

/// Whether a character starting with byte `lead` may be white space: the
/// ASCII ones, or a first byte of U+0085, U+00A0, U+1680, U+2000..U+205F or U+3000.
fn may_be_space(lead: u8) -> bool {
    matches!(lead, b'\t'..=b'\r' | b' ' | 0xc2 | 0xe1 | 0xe2 | 0xe3)
}

/// `2026-03-15`, `2026/03/15`, or either followed by a time.
fn parse_date(text: &str) -> Option<NaiveDate> {
    // The common case, YYYY-MM-DD (or with slashes) and maybe a time, without
    // a format parser; anything else (or a day that does not exist) goes the
    // long way, which decides the same.
    let b = text.as_bytes();
    if b.len() >= 10 && (b.len() == 10 || matches!(b[10], b'T' | b' ')) && matches!(b[4], b'-' | b'/') && b[7] == b[4] {
        let number = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if let (Some(y), Some(m), Some(d)) = (number(0..4), number(5..7), number(8..10)) {
            if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                return Some(date);
            }
        }
    }
    let day = text.split(['T', ' ']).next()?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(day, "%Y/%m/%d")).ok()
}

/// A plain decimal number; thousands separators (`1,234.50`) are dropped.
fn parse_amount(text: &str) -> Option<Decimal> {
    let clean: String = text.chars().filter(|c| *c != ',' && *c != '_').collect();
    // Decimal's parser recurses per digit: refuse thousands of them first.
    if clean.is_empty() || clean.contains(['e', 'E']) || clean.len() > 100 {
        return None;
    }
    clean.parse::<Decimal>().ok()
}

/// [`parse_amount`] as digits and decimals, without building a string for
/// the common case.
fn parse_amount_parts(text: &str) -> Option<Amount> {
    plain_amount(text.as_bytes())
        .or_else(|| parse_amount(text).map(|d| Amount { mantissa: d.mantissa(), scale: d.scale() }))
}

/// The common case of [`parse_amount`]: an optional sign, then digits with
/// at most one point, separators (`,` `_`) anywhere after the sign, at most
/// 19 digits and 28 decimals. `None` leaves the text to `Decimal` (which
/// reads these exactly: the digits are the mantissa, the decimals its scale).
fn plain_amount(text: &[u8]) -> Option<Amount> {
    let (negative, rest) = match text.first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mut mantissa, mut digits, mut point, mut scale) = (0u64, false, false, 0u32);
    for &c in rest {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                digits = true;
                scale += u32::from(point);
            }
            b',' | b'_' => {}
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if !digits || scale > 28 {
        return None;
    }
    let mantissa = i128::from(mantissa);
    Some(Amount { mantissa: if negative { -mantissa } else { mantissa }, scale })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_read_as_decimal_reads_them() {
        let texts = [
            "0",
            "-0",
            "+5",
            "12",
            "-12",
            "1.50",
            "-0.00",
            "00.10",
            "1.",
            ".5",
            "-.5",
            "1,234.50",
            "1_000",
            "1.2,3",
            "-,5",
            "1,.5",
            "12345678901234567890",
            "1844674407370955161.5",
            "18446744073709551615",
            "18446744073709551616",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000001",
            "",
            "-",
            "+",
            ",",
            "_",
            ".",
            "--1",
            "+-1",
            "1.2.3",
            "1e3",
            "1E3",
            " 5",
            "5 ",
            "0x10",
            "١٢",
            "1-",
            "12.5-",
            "99999999999999999999999999999",
            "1.0000000000000000000000000001",
        ];
        for text in texts {
            let expected = parse_amount(text).map(|d| (d.mantissa(), d.scale()));
            let got = parse_amount_parts(text).map(|a| (a.mantissa, a.scale));
            assert_eq!(got, expected, "{text:?}");
            if let Some(a) = parse_amount_parts(text) {
                let d = parse_amount(text).unwrap();
                assert_eq!(a.decimal().to_string(), d.to_string(), "{text:?}");
            }
        }
    }

    #[test]
    fn fields_trim_as_str_trims() {
        let texts = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r",
            "华北",
            " 华北",
            "华北\u{3000}",
            "\u{3000}华北",
            "\u{a0}x",
            "x\u{85}",
            "\u{2028}",
            "é",
            "é ",
            "\u{1680}a",
            "a\u{202f}",
            "ab\u{205f}",
            "\u{200b}",
            "\u{feff}x",
            "x\u{1}",
        ];
        for text in texts {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn lines_are_counted_across_reads_and_windows() {
        // Rows of every length, CRLF, blank lines: the line of each row's
        // first byte, asked in order, whatever the reads and windows.
        let mut text = Vec::new();
        let mut starts = Vec::new();
        let mut line = 1;
        for i in 0..40_000u64 {
            let row = "x".repeat(1 + (i % 97) as usize);
            match i % 5 {
                0 => {
                    text.extend_from_slice(b"\r\n\r\n");
                    line += 2;
                }
                1 => {
                    text.push(b'\n');
                    line += 1;
                }
                _ => {}
            }
            starts.push((text.len() as u64, line));
            text.extend_from_slice(row.as_bytes());
            text.extend_from_slice(b"\r\n");
            line += 1;
        }
        let mut lines = Lines::new(text.as_slice());
        let mut buf = [0u8; 1000];
        let mut read = 0u64;
        for &(start, line) in &starts {
            while read <= start + 4 {
                read += lines.read(&mut buf).unwrap() as u64;
            }
            // The csv reader starts a row at the break before it.
            let at = start - u64::from(start > 0 && text[start as usize - 1] == b'\n');
            assert_eq!(lines.line_of(at), line, "row at byte {start}");
        }
        assert!(lines.window.len() < 2 * LINES_WINDOW);
    }

    #[test]
    fn dates_read_as_the_format_parser_reads_them() {
        let slow = |text: &str| {
            let day = text.split(['T', ' ']).next()?;
            NaiveDate::parse_from_str(day, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(day, "%Y/%m/%d")).ok()
        };
        let texts = [
            "2026-03-15",
            "2026/03/15",
            "2026-03-15T09:30:00",
            "2026-03-15 10:30",
            "2026-03-15x",
            "2026-03/15",
            "2026/03-15",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "2026-3-5",
            "2026-03-5",
            "26-03-15",
            "0000-01-01",
            "9999-12-31",
            "2026-03-15T",
            "2026-03-15 ",
            "2026-0a-15",
            "+2026-03-15",
            "2026-03-15Z",
            "",
            "2026",
            "２０２６-03-15",
        ];
        for text in texts {
            assert_eq!(parse_date(text), slow(text), "{text:?}");
        }
    }
}
