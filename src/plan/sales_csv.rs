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
                    self.push(
                        Diagnostic::new(format!("this row is not valid CSV: {e}"))
                            .at(Location::csv_line(&self.file, line, "", 0..0))
                            .help("check the quotes on this line"),
                    );
                    continue;
                }
            }
            if self.record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            self.line = self.record.position().map_or(0, |p| self.reader.get_mut().line_of(p.byte())) as usize;
            return true;
        }
    }

    /// The current row's 1-based line in the file.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// Field `i` of the current row without surrounding spaces (empty if the row is short).
    pub(crate) fn field(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or("").trim()
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
        let text = self.field(col);
        if let Some(amount) = parse_amount(text) {
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

    /// Records a problem with a row; past [`MAX_ROW_ERRORS`] it is only counted.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        if self.errors.len() < MAX_ROW_ERRORS {
            self.errors.push(d);
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

/// Passes the file through to the csv reader and remembers where the
/// line breaks are, so that a row's line can be counted from its first
/// byte: the csv crate starts a row that follows a CRLF (as Excel writes
/// them) or a blank line at the break before it, a line or more too early.
/// Only the breaks the reader has buffered but not yet passed are kept.
struct Lines<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of the `\r` and `\n` bytes not yet passed, and which is a `\n`.
    breaks: std::collections::VecDeque<(u64, bool)>,
    /// `\n` bytes already passed.
    passed: u64,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Lines<R> {
        Lines { inner, offset: 0, breaks: Default::default(), passed: 0 }
    }

    /// The 1-based line of the row whose csv position is byte `start`.
    /// Rows must be asked for in file order.
    fn line_of(&mut self, start: u64) -> u64 {
        while let Some(&(at, newline)) = self.breaks.front() {
            if at >= start {
                break;
            }
            self.passed += u64::from(newline);
            self.breaks.pop_front();
        }
        // Skip the run of line breaks the row starts with.
        let skipped = (start..)
            .zip(&self.breaks)
            .take_while(|(next, (at, _))| at == next)
            .filter(|(_, (_, newline))| *newline)
            .count() as u64;
        self.passed + skipped + 1
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if matches!(b, b'\r' | b'\n') {
                self.breaks.push_back((self.offset + i as u64, *b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// `2026-03-15`, `2026/03/15`, or either followed by a time.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.split(['T', ' ']).next()?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(day, "%Y/%m/%d")).ok()
}

/// A plain decimal number; thousands separators (`1,234.50`) are dropped.
fn parse_amount(text: &str) -> Option<Decimal> {
    let clean: String = text.chars().filter(|c| *c != ',' && *c != '_').collect();
    if clean.is_empty() || clean.contains(['e', 'E']) {
        return None;
    }
    clean.parse::<Decimal>().ok()
}
