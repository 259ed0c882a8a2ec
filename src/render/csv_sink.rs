//! Stage `render`: CSV of output contract v1 — a header, then one row per
//! cell: the split columns, `period`, `start`, `end`, then one column per
//! metric. Quoting follows RFC 4180, only where needed.

use std::fmt::Write as _;
use std::io::Write;

use super::PeriodDates;
use crate::engine::{Cell, CellSink, Header, Value};

/// Writes cells as CSV to `W` as they arrive.
pub struct CsvSink<W: Write> {
    out: csv::Writer<W>,
    dates: PeriodDates,
    number: String,
}

impl<W: Write> CsvSink<W> {
    /// A sink writing to `out` (buffer it: rows are written one by one).
    pub fn new(out: W) -> CsvSink<W> {
        CsvSink {
            out: csv::WriterBuilder::new().from_writer(out),
            dates: PeriodDates::default(),
            number: String::new(),
        }
    }

    /// A sink for Excel and WPS: UTF-8 with a BOM, CRLF line ends, and text
    /// that could be taken for a formula neutralised. Placeholder: plain CSV
    /// until the outputs work fills it in.
    pub fn excel(out: W) -> CsvSink<W> {
        CsvSink::new(out)
    }

    /// The underlying writer, flushed.
    pub fn into_inner(self) -> std::io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

fn io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
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
        self.out.write_record(names).map_err(io)
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        // Field by field, so that no row allocates.
        for member in cell.members {
            self.out.write_field(member).map_err(io)?;
        }
        self.out.write_field(&cell.period.label).map_err(io)?;
        let (start, end) = self.dates.of(cell.period);
        self.out.write_field(start).map_err(io)?;
        self.out.write_field(end).map_err(io)?;
        for value in cell.values {
            self.number.clear();
            match value {
                Value::Amount(d) | Value::Ratio(d) => {
                    write!(self.number, "{d}").expect("writing to a String cannot fail")
                }
                Value::Text(t) => self.number.push_str(t),
                Value::Missing => {}
            }
            self.out.write_field(&self.number).map_err(io)?;
        }
        self.out.write_record(None::<&[u8]>).map_err(io)
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        self.out.flush()
    }
}
