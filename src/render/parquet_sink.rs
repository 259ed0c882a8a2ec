//! Stage `render`: Parquet (`--format parquet --output cells.parquet`), one
//! row per cell with the CSV's columns, typed for the tools that read it
//! (`DuckDB`, pandas/pyarrow, Spark):
//!
//! * each split and `period`: a UTF-8 string, dictionary-encoded (a member
//!   name repeats on every row of its leaf);
//! * `start`, `end`: `DATE`;
//! * amounts: `DECIMAL(38, d)` with the plan's decimals `d` (0 for counts),
//!   so every figure is exact, as in the CSV;
//! * ratios and levels: `DECIMAL(38, 18)`; a figure with more decimals is
//!   refused rather than rounded;
//! * words (a tracking status): strings; a missing figure is null.
//!
//! Rows are buffered column by column and written as a row group every
//! [`ROW_GROUP`] rows (Snappy-compressed), and the bytes of each finished
//! group are passed on, so memory stays flat whatever the number of cells.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, DecimalType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};
use rust_decimal::Decimal;

use super::PeriodDates;
use crate::engine::{Cell, CellSink, ColumnKind, Header, Value};

/// Rows per row group: large enough for good compression and fast scans,
/// small enough to hold in memory (about 100 bytes a row before encoding).
pub const ROW_GROUP: usize = 131_072;

/// Decimals of a ratio or a level column.
const RATIO_SCALE: u32 = 18;

/// What one value column is written as.
#[derive(Clone, Copy)]
enum Kind {
    /// `DECIMAL(38, scale)`.
    Decimal(u32),
    /// A string.
    Text,
}

/// Writes cells as Parquet to `W`, one row group at a time.
pub struct ParquetSink<W: Write> {
    out: W,
    file: Option<SerializedFileWriter<Vec<u8>>>,
    dates: PeriodDates,
    kinds: Vec<Kind>,
    /// The value columns' names, for messages.
    names: Vec<String>,
    /// This row group's columns: each split, then `period` (strings), the
    /// dates, and each value column (present or null).
    strings: Vec<Vec<ByteArray>>,
    starts: Vec<i32>,
    ends: Vec<i32>,
    /// Each decimal column's values, 16 big-endian bytes each, made into
    /// `FixedLenByteArray`s only when the group is written.
    values: Vec<Vec<u8>>,
    /// The last text written to each string column, by address: a leaf's
    /// members repeat on every one of its rows, and a period's label on
    /// every leaf's, so each is turned into bytes once, not once a row.
    last: Vec<(usize, ByteArray)>,
    labels: std::collections::HashMap<usize, ByteArray>,
    texts: Vec<Vec<ByteArray>>,
    present: Vec<Vec<i16>>,
    rows: usize,
}

impl<W: Write> ParquetSink<W> {
    /// A sink writing a Parquet file to `out`.
    pub fn new(out: W) -> ParquetSink<W> {
        ParquetSink {
            out,
            file: None,
            dates: PeriodDates::default(),
            kinds: Vec::new(),
            names: Vec::new(),
            strings: Vec::new(),
            starts: Vec::new(),
            ends: Vec::new(),
            values: Vec::new(),
            last: Vec::new(),
            labels: std::collections::HashMap::new(),
            texts: Vec::new(),
            present: Vec::new(),
            rows: 0,
        }
    }

    /// Writes the buffered rows as one row group and passes its bytes on.
    fn flush_group(&mut self) -> std::io::Result<()> {
        let Some(file) = self.file.as_mut() else { return Ok(()) };
        if self.rows > 0 {
            let mut group = file.next_row_group().map_err(io)?;
            for strings in &self.strings {
                let mut column = group.next_column().map_err(io)?.expect("a column per split and period");
                column.typed::<ByteArrayType>().write_batch(strings, None, None).map_err(io)?;
                column.close().map_err(io)?;
            }
            for dates in [&self.starts, &self.ends] {
                let mut column = group.next_column().map_err(io)?.expect("the start and end columns");
                column.typed::<Int32Type>().write_batch(dates, None, None).map_err(io)?;
                column.close().map_err(io)?;
            }
            for (c, kind) in self.kinds.iter().enumerate() {
                let mut column = group.next_column().map_err(io)?.expect("a column per value");
                let present = Some(&self.present[c][..]);
                match kind {
                    Kind::Decimal(_) => {
                        // One small buffer a value: the statistics keep their
                        // minimum and maximum, which must not hold the group's
                        // whole buffer alive.
                        let values: Vec<FixedLenByteArray> =
                            self.values[c].chunks(16).map(|v| FixedLenByteArray::from(v.to_vec())).collect();
                        column.typed::<FixedLenByteArrayType>().write_batch(&values, present, None)
                    }
                    Kind::Text => column.typed::<ByteArrayType>().write_batch(&self.texts[c], present, None),
                }
                .map_err(io)?;
                column.close().map_err(io)?;
            }
            group.close().map_err(io)?;
        }
        for column in &mut self.strings {
            column.clear();
        }
        self.starts.clear();
        self.ends.clear();
        for c in 0..self.kinds.len() {
            self.values[c].clear();
            self.texts[c].clear();
            self.present[c].clear();
        }
        self.rows = 0;
        let bytes = file.inner_mut();
        self.out.write_all(bytes)?;
        bytes.clear();
        Ok(())
    }
}

fn io(e: parquet::errors::ParquetError) -> std::io::Error {
    std::io::Error::other(e)
}

/// Days from 1970-01-01, as Parquet's `DATE` counts them.
fn epoch_days(date: &str) -> i32 {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a period's dates are ISO dates");
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("1970-01-01 is a date");
    i32::try_from((day - epoch).num_days()).expect("a plan's dates are within i32 days of 1970")
}

/// `d` as the 16 big-endian bytes of its unscaled value at `scale`; `None`
/// when it has more decimals than `scale` or is too large for 38 digits.
fn decimal_bytes(d: Decimal, scale: u32) -> Option<[u8; 16]> {
    let unscaled = if d.scale() <= scale {
        d.mantissa().checked_mul(10i128.checked_pow(scale - d.scale())?)?
    } else {
        let d = d.normalize();
        if d.scale() > scale {
            return None;
        }
        d.mantissa().checked_mul(10i128.checked_pow(scale - d.scale())?)?
    };
    (unscaled.unsigned_abs() < 10u128.pow(38)).then(|| unscaled.to_be_bytes())
}

impl<W: Write> CellSink for ParquetSink<W> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        let string = |name: &str, repetition| {
            Type::primitive_type_builder(name, Physical::BYTE_ARRAY)
                .with_repetition(repetition)
                .with_logical_type(Some(LogicalType::String))
                .build()
        };
        let date = |name: &str| {
            Type::primitive_type_builder(name, Physical::INT32)
                .with_repetition(Repetition::REQUIRED)
                .with_logical_type(Some(LogicalType::Date))
                .build()
        };
        let amount_scale = header.precision.decimals();
        self.kinds = header
            .columns
            .iter()
            .map(|c| match c.kind {
                ColumnKind::Amount => Kind::Decimal(amount_scale),
                ColumnKind::Count => Kind::Decimal(0),
                ColumnKind::Ratio | ColumnKind::Level => Kind::Decimal(RATIO_SCALE),
                ColumnKind::Text => Kind::Text,
            })
            .collect();
        self.names = header.columns.iter().map(|c| c.name.clone()).collect();
        let mut fields = Vec::new();
        for name in header.splits.iter().map(String::as_str).chain(["period"]) {
            fields.push(Arc::new(string(name, Repetition::REQUIRED).map_err(io)?));
        }
        fields.push(Arc::new(date("start").map_err(io)?));
        fields.push(Arc::new(date("end").map_err(io)?));
        for (column, kind) in header.columns.iter().zip(&self.kinds) {
            let field = match kind {
                Kind::Decimal(scale) => Type::primitive_type_builder(&column.name, Physical::FIXED_LEN_BYTE_ARRAY)
                    .with_repetition(Repetition::OPTIONAL)
                    .with_length(16)
                    .with_logical_type(Some(LogicalType::Decimal(DecimalType {
                        scale: i32::try_from(*scale).expect("a scale of at most 28"),
                        precision: 38,
                    })))
                    .with_precision(38)
                    .with_scale(i32::try_from(*scale).expect("a scale of at most 28"))
                    .build(),
                Kind::Text => string(&column.name, Repetition::OPTIONAL),
            };
            fields.push(Arc::new(field.map_err(io)?));
        }
        let schema = Type::group_type_builder("cell").with_fields(fields).build().map_err(io)?;
        let mut properties = WriterProperties::builder();
        // Figures rarely repeat across a row group: a dictionary would only cost hashing.
        for (column, kind) in header.columns.iter().zip(&self.kinds) {
            if let Kind::Decimal(_) = kind {
                properties = properties.set_column_dictionary_enabled(ColumnPath::from(column.name.as_str()), false);
            }
        }
        let properties = properties
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .set_created_by(format!("salesplit {}", env!("CARGO_PKG_VERSION")))
            .build();
        self.file = Some(SerializedFileWriter::new(Vec::new(), Arc::new(schema), Arc::new(properties)).map_err(io)?);
        self.strings = vec![Vec::new(); header.splits.len() + 1];
        self.last = vec![(0, ByteArray::new()); header.splits.len()];
        self.labels.clear();
        let n = self.kinds.len();
        (self.values, self.texts, self.present) = (vec![Vec::new(); n], vec![Vec::new(); n], vec![Vec::new(); n]);
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        for ((column, last), member) in self.strings.iter_mut().zip(&mut self.last).zip(cell.members) {
            if last.0 != member.as_ptr() as usize || last.1.len() != member.len() {
                *last = (member.as_ptr() as usize, ByteArray::from(member.as_bytes().to_vec()));
            }
            column.push(last.1.clone());
        }
        let label = &cell.period.label;
        let bytes = self
            .labels
            .entry(label.as_ptr() as usize)
            .or_insert_with(|| ByteArray::from(label.as_bytes().to_vec()))
            .clone();
        self.strings.last_mut().expect("the period column").push(bytes);
        let (start, end) = self.dates.of(cell.period);
        self.starts.push(epoch_days(start));
        self.ends.push(epoch_days(end));
        for (c, value) in cell.values.iter().enumerate() {
            let written = match (value, self.kinds[c]) {
                (Value::Amount(d) | Value::Ratio(d), Kind::Decimal(scale)) => {
                    let bytes = decimal_bytes(*d, scale).ok_or_else(|| {
                        let column = &self.names[c];
                        std::io::Error::other(
                            crate::diagnostic::Diagnostic::new(
                                crate::diagnostic::Code::ParquetDigits,
                                format!(
                                    "`{column}` = {d} cannot be written as a Parquet DECIMAL(38, {scale}) without \
                                     losing digits"
                                ),
                            )
                            .note(format!("the `{column}` column keeps {scale} decimals and 38 digits in all"))
                            .help(crate::diagnostic::Code::ParquetDigits.fix()),
                        )
                    })?;
                    self.values[c].extend_from_slice(&bytes);
                    true
                }
                (Value::Text(t), Kind::Text) => {
                    self.texts[c].push(ByteArray::from(t.as_bytes().to_vec()));
                    true
                }
                _ => false,
            };
            self.present[c].push(i16::from(written));
        }
        self.rows += 1;
        if self.rows == ROW_GROUP {
            self.flush_group()?;
        }
        Ok(())
    }

    fn finish(&mut self, _totals: &[Value]) -> std::io::Result<()> {
        // Totals are not rows: a reader sums the column (exact decimals).
        self.flush_group()?;
        if let Some(file) = self.file.take() {
            let bytes = file.into_inner().map_err(io)?;
            self.out.write_all(&bytes)?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_exactly_or_refused() {
        let bytes = |s: &str, scale| decimal_bytes(s.parse().unwrap(), scale).map(|b| b.to_vec());
        assert_eq!(bytes("1234.50", 2), Some(123_450i128.to_be_bytes().to_vec()));
        assert_eq!(bytes("-6879.38", 2), Some((-687_938i128).to_be_bytes().to_vec()));
        assert_eq!(bytes("0.9", 18), Some(900_000_000_000_000_000i128.to_be_bytes().to_vec()));
        assert_eq!(bytes("1.005", 2), None, "more decimals than the column's");
        assert_eq!(epoch_days("1970-01-02"), 1);
        assert_eq!(epoch_days("2026-01-01"), 20_454);
    }
}
