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
//! [`super::csv_source::MAX_ROW_ERRORS`], then a count). Both readers share these
//! messages word for word; only the name of the file's kind
//! ([`super::csv_source::Noun`]) differs. Opening, the header, lines and the
//! shape of rows are [`CsvSource`]'s; this module reads dates and amounts.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::csv_source::CsvSource;
use crate::diagnostic::{suggest, why_not_a_date, Code, Diagnostic};
use crate::error::{Error, Result};

impl<R> CsvSource<R> {
    /// The `date` and `metric` columns, or one error per missing one (with a
    /// "did you mean" for a near name that is not another known column;
    /// `splits` are the plan's split names, known columns too).
    pub(crate) fn required(&self, metric: &str, splits: &[&str]) -> Result<(usize, usize)> {
        let headers = self.headers();
        let header_line = headers.join(",");
        // Where column `i` is in the header line, for the caret.
        let span = |i: usize| {
            let start: usize = headers[..i].iter().map(|h| h.len() + 1).sum();
            start..start + headers[i].len()
        };
        let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
        let taken = |h: &str| same(h, "date") || same(h, metric) || splits.iter().any(|s| same(h, s));
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
                    Diagnostic::new(
                        Code::MissingColumn,
                        format!("{} {} no `{name}` column", self.noun().the, self.noun().has),
                    )
                    .at(self.row_location(self.header_row(), &header_line, underline))
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

    /// Whether the current row leaves a member empty in one of the split
    /// columns `columns` (named `names`): such a row is recorded as an error.
    pub(crate) fn empty_member(&mut self, columns: &[usize], names: &[&str]) -> bool {
        let Some(k) = columns.iter().position(|&c| self.field(c).is_empty()) else { return false };
        let what = if self.record().get(columns[k]).unwrap_or("").is_empty() {
            "an empty name"
        } else {
            "a name of only spaces"
        };
        let split = names.get(k).copied().unwrap_or("member");
        let mut at = self.field_at(columns[k]);
        if at.underline.is_empty() {
            // An empty field: point at where it should be.
            at.column = Some(at.line_text[..at.underline.start].chars().count() + 1);
        }
        let d = Diagnostic::new(Code::EmptyName, format!("this row has a {split} with {what}"))
            .at(at)
            .help(format!("write the {split}'s name in the `{split}` column, or remove the row"));
        self.push(d);
        true
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
        let d = Diagnostic::new(Code::NotADate, message).at(self.field_at(col)).help(
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

    /// As [`CsvSource::amount`], as its digits and decimals: no `Decimal`
    /// arithmetic for the common case of a plain number.
    pub(crate) fn amount_parts(&mut self, col: usize, metric: &str) -> Option<Amount> {
        let text = self.field(col);
        if let Some(amount) = row_amount(text) {
            return Some(amount);
        }
        if parse_amount_parts(text).is_some() {
            let d = Diagnostic::new(Code::TooLarge, format!("the amount `{text}` is too large for one row of sales"))
                .at(self.field_at(col))
                .help(
                    "a row's amount is at most 1,000,000,000,000,000; check the column holds amounts, not codes or ids",
                );
            self.push(d);
            return None;
        }
        let message = if text.is_empty() {
            format!("this row has no `{metric}` amount")
        } else {
            format!("`{text}` is not a number")
        };
        let code = if text.is_empty() { Code::EmptyCell } else { Code::NotANumber };
        let d = Diagnostic::new(code, message)
            .at(self.field_at(col))
            .help("write the amount as a plain number such as 1234.50 (\"1,234.50\" in quotes is fine)");
        self.push(d);
        None
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

/// The amount of a row's (trimmed) `text`, as [`CsvSource::amount_parts`]
/// reads it when it has nothing to say: `None` for text that is not an
/// amount, and for an amount too large for one row.
pub(crate) fn row_amount(text: &str) -> Option<Amount> {
    parse_amount_parts(text).filter(within_row_limit)
}

/// [`row_amount`] of a field's raw bytes when they are a plain amount
/// (digits, a sign, a point; no space around them); `None` leaves any
/// other bytes to [`row_amount`] of their trimmed text.
#[inline]
pub(crate) fn plain_row_amount(bytes: &[u8]) -> Option<Amount> {
    // What `plain_amount` takes is ASCII, so it is the text's own reading.
    plain_amount(bytes).filter(within_row_limit)
}

/// Whether an amount is one a row may have. Sums of millions of rows, and
/// paces and projections made from them, must stay within 28 digits: no
/// one row may be absurd.
#[inline]
fn within_row_limit(a: &Amount) -> bool {
    let size = a.mantissa.unsigned_abs();
    // |mantissa| x 10^-scale <= MAX, in integers; a limit beyond `u128` holds any mantissa.
    size <= u128::from(MAX_ROW_AMOUNT)
        || 10u128
            .checked_pow(a.scale)
            .and_then(|p| p.checked_mul(u128::from(MAX_ROW_AMOUNT)))
            .is_none_or(|limit| size <= limit)
}

/// `2026-03-15`, `2026/03/15`, or either followed by a time (the text
/// trimmed, as [`CsvSource::date`] reads it).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    // The common case, YYYY-MM-DD (or with slashes) and maybe a time, without
    // a format parser; anything else (or a day that does not exist) goes the
    // long way, which decides the same.
    let b = text.as_bytes();
    if b.len() >= 10 && (b.len() == 10 || matches!(b[10], b'T' | b' ')) && matches!(b[4], b'-' | b'/') && b[7] == b[4] {
        let number = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if let (Some(y), Some(m), Some(d)) = (number(0..4), number(5..7), number(8..10)) {
            if let Some(date) = NaiveDate::from_ymd_opt(i32::try_from(y).expect("four digits"), m, d) {
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
