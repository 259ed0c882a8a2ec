//! Stage `render`: CSV of output contract v1 — a header, then one row per
//! cell: the split columns, `period`, `start`, `end`, then one column per
//! metric. Quoting follows RFC 4180, only where needed.
//!
//! `--excel` ([`CsvSink::excel`]) writes the same fields for Excel and WPS:
//! UTF-8 with a byte order mark (without it Excel reads UTF-8 as the local
//! code page and Chinese names turn to mojibake), CRLF line ends, and every
//! text field neutralised against CSV injection by the OWASP rule: a text
//! field (member name, column name, period label, a word such as a status)
//! that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//! single quote `'` in front, so the spreadsheet shows it as text rather than
//! running it as a formula. Numbers and dates are never changed: a negative
//! gap stays `-6879.34` and sums in the spreadsheet as a number.
//!
//! Two more rules keep a double-clicked file's columns and names intact. A
//! field holding a `;` or a tab is quoted as well as one holding a comma:
//! `LibreOffice`'s import splits at all three by default, Excel in many
//! locales at `;`. And a member or column name that a spreadsheet would turn
//! into a number, a date or a truth value (`0123` → 123, `1e5` → 100000,
//! `2026-01-01` → a date, `3-4` → 4 March, `TRUE`) is written as the formula
//! `="0123"`, whose value is the text itself: Excel and WPS evaluate it on
//! open (`LibreOffice` when "Evaluate formulas" is ticked in its import
//! dialog). The formula holds nothing but the name as a string literal, so
//! it cannot run anything. Period labels and dates are left as they are: a
//! spreadsheet that reads `2026-03` as March 2026 reads it right.

use std::io::Write;

use super::PeriodDates;
use crate::engine::{Cell, CellSink, Header, RowWriter, Value};

/// The UTF-8 byte order mark that tells Excel the file is UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// First characters that make a spreadsheet read a field as a formula
/// (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Writes cells as CSV to `W` as they arrive.
pub struct CsvSink<W: Write> {
    out: Lead<W>,
    /// The rows not yet written to `out`.
    rows: CsvRows,
}

/// Bytes of rows a sink holds before it writes them.
const HELD: usize = 1 << 16;

impl<W: Write> CsvSink<W> {
    /// A sink writing to `out` (rows are written 64 KB at a time).
    pub fn new(out: W) -> CsvSink<W> {
        CsvSink { out: Lead { inner: out, lead: b"" }, rows: CsvRows::new(false) }
    }

    /// A sink for Excel and WPS: UTF-8 with a BOM, CRLF line ends, and every
    /// text field that starts with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return prefixed with `'` so that it cannot run as a formula. Numbers
    /// and dates are written as by [`CsvSink::new`].
    pub fn excel(out: W) -> CsvSink<W> {
        CsvSink { out: Lead { inner: out, lead: BOM }, rows: CsvRows::new(true) }
    }

    /// The underlying writer, flushed.
    pub fn into_inner(mut self) -> std::io::Result<W> {
        self.write_held()?;
        self.out.flush()?;
        Ok(self.out.inner)
    }

    /// Writes the rows held.
    fn write_held(&mut self) -> std::io::Result<()> {
        let held = self.rows.take();
        self.out.write_all(&held)
    }
}

/// CSV rows as a [`CsvSink`] writes them, made into bytes on any thread:
/// the sink's own rows and a run's workers' ([`RowWriter`]) are made here
/// alike, so they are the same bytes.
///
/// The fields are written by hand, by the csv crate's rules for its
/// default writer (a property test holds them to it): a field is quoted
/// when it holds a comma, a quote, a carriage return or a line feed, a
/// quote inside doubled, rows end in `\n`. For Excel, [`excel_text`] has
/// already made each text field what it must be, and rows end in `\r\n`.
struct CsvRows {
    /// Rows since the last [`RowWriter::take`].
    out: String,
    /// Fields of the row being written so far.
    fields: usize,
    dates: PeriodDates,
    /// Scratch text for a neutralised field, reused so that no row allocates.
    scratch: String,
    /// For Excel and WPS: text neutralised, CRLF line ends.
    excel: bool,
}

impl CsvRows {
    fn new(excel: bool) -> CsvRows {
        CsvRows { out: String::new(), fields: 0, dates: PeriodDates::default(), scratch: String::new(), excel }
    }

    /// Bytes of rows made and not yet taken.
    fn held(&self) -> usize {
        self.out.len()
    }

    /// The delimiter before a field, but the row's first.
    fn next_field(&mut self) {
        if self.fields > 0 {
            self.out.push(',');
        }
        self.fields += 1;
    }

    /// A field that never needs quotes (a date, a number), as it is.
    fn plain(&mut self, field: &str) {
        self.next_field();
        self.out.push_str(field);
    }

    /// A text field: for Excel by the rules of [`excel_text`], else quoted
    /// where RFC 4180 asks.
    fn text(&mut self, kind: Text, text: &str) {
        self.next_field();
        if self.excel {
            excel_text(&mut self.scratch, kind, text);
            self.out.push_str(&self.scratch);
        } else {
            push_quoted(&mut self.out, text);
        }
    }

    fn end_row(&mut self) {
        // (The csv crate writes a row of one empty field as `""`; a row here
        // always has `period`, `start` and `end`.)
        debug_assert!(self.fields >= 3, "a row has its period's three fields");
        self.out.push_str(if self.excel { "\r\n" } else { "\n" });
        self.fields = 0;
    }

    /// The header row.
    fn header(&mut self, header: &Header) {
        let names = header
            .splits
            .iter()
            .map(String::as_str)
            .chain(["period", "start", "end"])
            .chain(header.columns.iter().map(|c| c.name.as_str()));
        for name in names {
            self.text(Text::Name, name);
        }
        self.end_row();
    }
}

impl RowWriter for CsvRows {
    fn row(&mut self, cell: &Cell<'_>) {
        for member in cell.members {
            self.text(Text::Name, member);
        }
        self.text(Text::Period, &cell.period.label);
        // Dates are digits and dashes: never text to neutralise or quote.
        let (start, end) = self.dates.of(cell.period);
        // (Never the row's first field: its period comes before.)
        for date in [start, end] {
            self.out.push(',');
            self.out.push_str(date);
        }
        self.fields += 2;
        for value in cell.values {
            match value {
                // A number is written as is: its `-` is a sign, not a formula.
                Value::Amount(d) | Value::Ratio(d) => {
                    self.next_field();
                    super::push_decimal(&mut self.out, *d);
                }
                Value::Text(t) => self.text(Text::Name, t),
                Value::Missing => self.plain(""),
            }
        }
        self.end_row();
    }

    fn take(&mut self) -> Vec<u8> {
        let capacity = self.out.capacity();
        std::mem::replace(&mut self.out, String::with_capacity(capacity)).into_bytes()
    }
}

/// `text` as a CSV field: as it is, or in quotes (its own doubled) when it
/// holds a comma, a quote, a carriage return or a line feed.
fn push_quoted(out: &mut String, text: &str) {
    if !text.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.push_str(text);
        return;
    }
    out.push('"');
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.push_str("\"\"");
        }
        out.push_str(part);
    }
    out.push('"');
}

/// A writer that puts `lead` (the BOM) before the first bytes written to
/// `inner`. The csv writer offers no way to write raw bytes, and a
/// constructor cannot report a write error, so the BOM rides on the first
/// write instead.
struct Lead<W> {
    inner: W,
    lead: &'static [u8],
}

impl<W: Write> Write for Lead<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.lead.is_empty() {
            self.inner.write_all(self.lead)?;
            self.lead = b"";
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// What a text field is, for the Excel rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Text {
    /// A member or column name, or a word: kept as text at any cost.
    Name,
    /// A period label: a spreadsheet may read `2026-03` as the month it is.
    Period,
}

/// A text field for Excel, built in `scratch` so that nothing allocates:
/// a leading `'` where it would run as a formula, `="…"` where a name
/// would turn into a number or a date, and quotes where it holds a
/// separator (`,`, `;`, tab), a quote or a line end.
fn excel_text(scratch: &mut String, kind: Text, text: &str) {
    let formula = text.starts_with(FORMULA_STARTS);
    let as_text = !formula && kind == Text::Name && spreadsheet_converts(text);
    let quoted = as_text || text.contains([',', ';', '\t', '"', '\r', '\n']);
    scratch.clear();
    if quoted {
        scratch.push('"');
    }
    // Inside quotes a quote is doubled; `="…"` doubles the name's own quotes
    // once more for the formula's string literal (a name that converts has
    // none, but the rule keeps the field well formed whatever it holds).
    let quote = if as_text { "\"\"\"\"" } else { "\"\"" };
    if formula {
        scratch.push('\'');
    }
    if as_text {
        scratch.push_str("=\"\"");
    }
    for c in text.chars() {
        match c {
            '"' if quoted => scratch.push_str(quote),
            c => scratch.push(c),
        }
    }
    if as_text {
        scratch.push_str("\"\"");
    }
    if quoted {
        scratch.push('"');
    }
}

/// Whether Excel, WPS or `LibreOffice` would read `text`, opened from a CSV,
/// as a number, a date, a time or a truth value rather than as the text
/// written: digits with only number and date punctuation (`0123`, `1e5`,
/// `1,234`, `5%`, `2026-01-01`, `3/4`, `10:00`, `(12)`), an English month
/// with digits (`Jan 5`, `5-Mar`), `TRUE` or `FALSE`. It errs towards
/// saying yes: a name written as `="…"` needlessly still shows as itself.
fn spreadsheet_converts(text: &str) -> bool {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let t = text.trim();
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return true;
    }
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let number_like = |c: char| c.is_ascii_digit() || " .,:/-+%()$€£¥eE".contains(c);
    let letters: String = t.chars().filter(|c| c.is_ascii_alphabetic() && !"eE".contains(*c)).collect();
    if letters.is_empty() {
        return t.chars().all(number_like);
    }
    // A month name (or its first three letters or more) among date punctuation.
    let word: String = t.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    let month = word.len() >= 3 && MONTHS.iter().any(|m| word.starts_with(m));
    month && t.chars().all(|c| c.is_ascii_alphabetic() || number_like(c))
}

impl<W: Write> CellSink for CsvSink<W> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.rows.header(header);
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.rows.row(cell);
        if self.rows.held() >= HELD {
            self.write_held()?;
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        self.write_held()?;
        self.out.flush()
    }

    fn row_writer(&self) -> Option<Box<dyn RowWriter>> {
        Some(Box::new(CsvRows::new(self.rows.excel)))
    }

    fn rows(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.write_held()?;
        self.out.write_all(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one field `text` becomes in an Excel CSV (without the line end).
    fn excel(kind: Text, text: &str) -> String {
        let mut field = String::new();
        excel_text(&mut field, kind, text);
        field
    }

    /// Rows of random members, labels, dates and values, written by hand
    /// here and by the csv crate's writer as the sink used it before: the
    /// same bytes, plain and for Excel.
    fn by_the_csv_crate(for_excel: bool, rows: &[Vec<String>]) -> Vec<u8> {
        let mut builder = csv::WriterBuilder::new();
        if for_excel {
            builder.terminator(csv::Terminator::CRLF).quote_style(csv::QuoteStyle::Never);
        }
        let mut out = builder.from_writer(vec![]);
        for row in rows {
            for (i, field) in row.iter().enumerate() {
                // The first fields are text (for Excel neutralised first), the
                // last two a date and a number.
                if for_excel && i + 2 < row.len() {
                    out.write_field(excel(if i == 0 { Text::Name } else { Text::Period }, field)).unwrap();
                } else {
                    out.write_field(field).unwrap();
                }
            }
            out.write_record(None::<&[u8]>).unwrap();
        }
        out.into_inner().unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2_000))]

        #[test]
        fn rows_are_the_bytes_the_csv_crate_writes(
            rows in proptest::collection::vec(
                (
                    "[a-z,;\"\r\n\t =+@'0-9华东-]{0,8}",
                    "[a-z0-9,\" -]{0,6}",
                    "2026-0[1-9]-[0-2][1-9]",
                    "-?[0-9]{1,6}\\.[0-9]{2}",
                ),
                1..12,
            ),
            excel in proptest::bool::ANY,
        ) {
            let rows: Vec<Vec<String>> =
                rows.into_iter().map(|(a, b, c, d)| vec![a, b, c, d]).collect();
            let mut here = CsvRows::new(excel);
            for row in &rows {
                here.text(Text::Name, &row[0]);
                here.text(Text::Period, &row[1]);
                here.plain(&row[2]);
                here.plain(&row[3]);
                here.end_row();
            }
            proptest::prop_assert_eq!(here.take(), by_the_csv_crate(excel, &rows));
        }
    }

    #[test]
    fn names_a_spreadsheet_would_convert_become_formulas_of_their_text() {
        for name in [
            "0123",
            "1e5",
            "1E+05",
            "2026-01-01",
            "3-4",
            "1/2",
            "10:00",
            "1,234.50",
            "5%",
            "(12)",
            "TRUE",
            "false",
            "Jan 5",
            "5-Mar",
            "March 2026",
        ] {
            let quoted = name.replace('"', "\"\"");
            assert_eq!(excel(Text::Name, name), format!("\"=\"\"{quoted}\"\"\""), "{name}");
        }
    }

    #[test]
    fn names_a_spreadsheet_keeps_stay_as_written() {
        for name in ["华东", "A1", "1号店", "Team 7", "e", "Q1 North", "x-1", "Maya", "2026年", "Decimal"] {
            assert_eq!(excel(Text::Name, name), name, "{name}");
        }
    }

    #[test]
    fn separators_quotes_and_line_ends_are_quoted_and_formulas_neutralised() {
        assert_eq!(excel(Text::Name, "a;b"), "\"a;b\"");
        assert_eq!(excel(Text::Name, "a\tb"), "\"a\tb\"");
        assert_eq!(excel(Text::Name, "a,b"), "\"a,b\"");
        assert_eq!(excel(Text::Name, "say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(excel(Text::Name, "=1+2"), "'=1+2");
        assert_eq!(excel(Text::Name, "-5"), "'-5");
        assert_eq!(excel(Text::Name, "\tt"), "\"'\tt\"");
    }

    #[test]
    fn period_labels_are_not_turned_into_formulas() {
        assert_eq!(excel(Text::Period, "2026-03"), "2026-03");
        assert_eq!(excel(Text::Period, "2026-11-01 open-10:00"), "2026-11-01 open-10:00");
        assert_eq!(excel(Text::Period, "a;b"), "\"a;b\"");
    }
}
