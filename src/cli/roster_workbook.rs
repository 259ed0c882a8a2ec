//! CLI: the roster template of `salesplit init --roster-format xlsx`, as a
//! workbook for a manager to fill in in Excel. Its cells are typed as Excel
//! types what a user enters: dates as date cells, amounts and weights as
//! numbers, the rest (names, ramps) as text; salesplit reads it back as it
//! reads the CSV template (`tests/init.rs` checks both give one plan).

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::error::Error;

/// The sheet's name: what `sheet = "…"` would name (not needed: it is the first).
const SHEET: &str = "roster";

/// `csv` (a template's roster) as an .xlsx workbook.
pub(super) fn roster_workbook(csv: &str) -> Result<Vec<u8>, Error> {
    build(csv).map_err(|e| Error::Io {
        path: "the roster template".into(),
        action: "write",
        source: std::io::Error::other(e),
    })
}

fn build(csv: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(SHEET)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let amount = Format::new().set_num_format("#,##0");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| XlsxError::ParameterError(e.to_string()))?;
        let row = u32::try_from(r).expect("a template has a few rows");
        for (c, cell) in record.iter().enumerate() {
            let col = u16::try_from(c).expect("a template has a few columns");
            if row == 0 {
                ws.write_string_with_format(row, col, cell, &bold)?;
            } else if let Some((y, m, d)) = ymd(cell) {
                ws.write_datetime_with_format(row, col, ExcelDateTime::from_ymd(y, m, d)?, &date)?;
            } else if let Some(n) = whole_amount(cell) {
                // "1,500,000" in the CSV template: a number with separators in Excel.
                ws.write_number_with_format(row, col, n, &amount)?;
            } else if let Some(n) = short_number(cell) {
                ws.write_number(row, col, n)?;
            } else if !cell.is_empty() {
                ws.write_string(row, col, cell)?;
            }
        }
    }
    ws.set_column_width(0, 12)?;
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// `2026-05-18` as its year, month and day.
fn ymd(cell: &str) -> Option<(u16, u8, u8)> {
    let date = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").ok()?;
    Some((u16::try_from(date.year()).ok()?, u8::try_from(date.month()).ok()?, u8::try_from(date.day()).ok()?))
}

/// A whole amount written with thousands separators (`1,500,000`).
fn whole_amount(cell: &str) -> Option<f64> {
    let digits = cell.replace(',', "");
    let plain =
        cell.contains(',') && !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit());
    // At most 15 digits: exact as an xlsx number.
    plain.then(|| digits.parse().ok()).flatten()
}

/// A plain number of at most 15 digits (`1.2`, `900000`): exact as an xlsx number.
fn short_number(cell: &str) -> Option<f64> {
    let digits = cell.replace('.', "");
    let plain = !digits.is_empty()
        && digits.len() <= 15
        && cell.matches('.').count() <= 1
        && !cell.starts_with('.')
        && digits.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| cell.parse().ok()).flatten()
}
