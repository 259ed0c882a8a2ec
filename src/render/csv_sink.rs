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

use std::io::Write;

use super::PeriodDates;
use crate::engine::{Cell, CellSink, Header, Value};

/// The UTF-8 byte order mark that tells Excel the file is UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// First characters that make a spreadsheet read a field as a formula
/// (OWASP, "CSV Injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Writes cells as CSV to `W` as they arrive.
pub struct CsvSink<W: Write> {
    out: csv::Writer<Lead<W>>,
    dates: PeriodDates,
    /// Scratch text for a number or a neutralised field, reused so that no
    /// row allocates.
    scratch: String,
    /// For Excel and WPS: text neutralised (the BOM and CRLF are set on `out`).
    excel: bool,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing to `out` (buffer it: rows are written one by one).
    pub fn new(out: W) -> CsvSink<W> {
        CsvSink {
            out: csv::WriterBuilder::new().from_writer(Lead { inner: out, lead: b"" }),
            dates: PeriodDates::default(),
            scratch: String::new(),
            excel: false,
        }
    }

    /// A sink for Excel and WPS: UTF-8 with a BOM, CRLF line ends, and every
    /// text field that starts with `=`, `+`, `-`, `@`, a tab or a carriage
    /// return prefixed with `'` so that it cannot run as a formula. Numbers
    /// and dates are written as by [`CsvSink::new`].
    pub fn excel(out: W) -> CsvSink<W> {
        CsvSink {
            out: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Lead { inner: out, lead: BOM }),
            dates: PeriodDates::default(),
            scratch: String::new(),
            excel: true,
        }
    }

    /// The underlying writer, flushed.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.out.into_inner().map(|lead| lead.inner).map_err(csv::IntoInnerError::into_error)
    }
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

fn io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// Writes a text field; for Excel, one that a spreadsheet would take for a
/// formula is prefixed with `'` (built in `scratch`, so nothing allocates).
fn write_text(out: &mut csv::Writer<impl Write>, scratch: &mut String, excel: bool, text: &str) -> std::io::Result<()> {
    if excel && text.starts_with(FORMULA_STARTS) {
        scratch.clear();
        scratch.push('\'');
        scratch.push_str(text);
        out.write_field(&*scratch).map_err(io)
    } else {
        out.write_field(text).map_err(io)
    }
}

impl<W: Write> CellSink for CsvSink<W> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        let names = header
            .splits
            .iter()
            .map(String::as_str)
            .chain(["period", "start", "end"])
            .chain(header.columns.iter().map(|c| c.name.as_str()));
        for name in names {
            write_text(&mut self.out, &mut self.scratch, self.excel, name)?;
        }
        self.out.write_record(None::<&[u8]>).map_err(io)
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        // Field by field, so that no row allocates.
        for member in cell.members {
            write_text(&mut self.out, &mut self.scratch, self.excel, member)?;
        }
        write_text(&mut self.out, &mut self.scratch, self.excel, &cell.period.label)?;
        // Dates are digits and dashes: never text to neutralise.
        let (start, end) = self.dates.of(cell.period);
        self.out.write_field(start).map_err(io)?;
        self.out.write_field(end).map_err(io)?;
        for value in cell.values {
            match value {
                // A number is written as is: its `-` is a sign, not a formula.
                Value::Amount(d) | Value::Ratio(d) => {
                    self.scratch.clear();
                    super::push_decimal(&mut self.scratch, *d);
                    self.out.write_field(&self.scratch).map_err(io)?;
                }
                Value::Text(t) => write_text(&mut self.out, &mut self.scratch, self.excel, t)?,
                Value::Missing => self.out.write_field("").map_err(io)?,
            }
        }
        self.out.write_record(None::<&[u8]>).map_err(io)
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        self.out.flush()
    }
}
