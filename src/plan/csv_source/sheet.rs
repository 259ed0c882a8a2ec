//! Stage `plan`: the rows of one sheet of a workbook (.xlsx, .xlsm, .xlsb,
//! .xls, .ods), read with calamine and handed to [`super::CsvSource`] as the
//! text a CSV export of the sheet would hold, so that every reader reads a
//! sheet as it reads a CSV file and prints the same figures.
//!
//! Cells become text as Excel's "CSV UTF-8" export writes them: numbers as
//! the shortest text of their 15 significant digits (what Excel shows and
//! exports: `1234.5`, an integer as `1234`), date cells as `2026-03-15`,
//! text as it is (a number stored as text, `1,234.50`, is read like the
//! same CSV cell), formulas as their cached value, booleans as
//! `TRUE`/`FALSE`, error values as Excel writes them (`#N/A`).
//!
//! The header is the first row (of the first 50) with two or more cells,
//! all text: title rows above it are skipped. Its columns run from its
//! first to its last filled cell; a row with a value right of them has
//! more cells than the header, as in a CSV file.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Reader};

use super::Noun;
use crate::diagnostic::{name_list, suggest, Code, Diagnostic, Location, SheetPlace};
use crate::error::{Error, Result};

/// The rows looked at for the header.
const HEADER_SEARCH: usize = 50;

/// One sheet's rows, read in order.
pub(super) struct SheetRows {
    range: calamine::Range<Data>,
    place: SheetPlace,
    /// The 0-based sheet row of the range's first row.
    top: usize,
    /// The range's column of the header's first cell, and the header's width.
    left: usize,
    width: usize,
    /// The range's row of the header, and of the next row to read.
    header: usize,
    next: usize,
}

impl SheetRows {
    /// Reads sheet `sheet` (the first when `None`) of the workbook `bytes`.
    pub(super) fn open(bytes: Vec<u8>, file: &str, noun: Noun, sheet: Option<&str>) -> Result<SheetRows> {
        let unreadable = |e: &dyn std::fmt::Display| {
            Error::invalid(
                Diagnostic::new(Code::BadWorkbook, format!("{} cannot be read as a workbook: {e}", noun.the))
                    .at(Location::file(file))
                    .help("open it in Excel or LibreOffice and save it again as .xlsx, or save the sheet as \"CSV UTF-8 (Comma delimited)\""),
            )
        };
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
        let names = book.sheet_names();
        let name = match sheet {
            Some(wanted) => {
                let found = names
                    .iter()
                    .find(|n| n.as_str() == wanted)
                    .or_else(|| names.iter().find(|n| n.trim().to_lowercase() == wanted.trim().to_lowercase()));
                match found {
                    Some(n) => n.clone(),
                    None => return Err(Error::invalid(no_such_sheet(file, noun, wanted, &names))),
                }
            }
            None => match names.first() {
                Some(n) => n.clone(),
                None => return Err(unreadable(&"it has no sheets")),
            },
        };
        let range = book.worksheet_range(&name).map_err(|e| unreadable(&e))?;
        let (top, first_column) = range.start().map_or((0, 0), |(r, c)| (r as usize, c));
        let header = (0..range.height().min(HEADER_SEARCH))
            .find(|&r| {
                let cells = row_cells(&range, r);
                cells.iter().filter(|c| !is_blank(c)).count() >= 2
                    && cells.iter().all(|c| is_blank(c) || matches!(c, Data::String(_)))
            })
            .or_else(|| (0..range.height()).find(|&r| row_cells(&range, r).iter().any(|c| !is_blank(c))))
            .unwrap_or(0);
        let cells = row_cells(&range, header);
        let left = cells.iter().position(|c| !is_blank(c)).unwrap_or(0);
        let right = cells.iter().rposition(|c| !is_blank(c)).map_or(left, |r| r + 1);
        let first_column = first_column + u32::try_from(left).expect("a sheet has at most 16384 columns");
        Ok(SheetRows {
            range,
            place: SheetPlace { name, first_column },
            top,
            left,
            width: right - left,
            header,
            next: header + 1,
        })
    }

    /// Where the sheet's cells are, for messages.
    pub(super) fn place(&self) -> &SheetPlace {
        &self.place
    }

    /// The header's cells, and its 1-based sheet row.
    pub(super) fn header(&self, record: &mut csv::StringRecord) -> usize {
        self.fill(self.header, record);
        self.top + self.header + 1
    }

    /// The next row's cells and its 1-based sheet row; `None` after the last.
    pub(super) fn next_row(&mut self, record: &mut csv::StringRecord) -> Option<usize> {
        if self.next >= self.range.height() {
            return None;
        }
        let row = self.next;
        self.next += 1;
        self.fill(row, record);
        Some(self.top + row + 1)
    }

    /// Row `row`'s cells from the header's first column to the header's
    /// last, or to the row's last filled cell when that is further right.
    fn fill(&self, row: usize, record: &mut csv::StringRecord) {
        record.clear();
        let width = self.range.width().saturating_sub(self.left);
        let cell = |i: usize| self.range.get((row, self.left + i)).unwrap_or(&Data::Empty);
        let end = (0..width).rposition(|i| !is_blank(cell(i))).map_or(0, |r| r + 1).max(self.width);
        for i in 0..end {
            record.push_field(&cell_text(cell(i)));
        }
    }
}

/// The cells of the range's row `row` (none past its end), found by
/// position: calamine's row iterator would walk every row before it.
fn row_cells(range: &calamine::Range<Data>, row: usize) -> Vec<&Data> {
    if row >= range.height() {
        return Vec::new();
    }
    (0..range.width()).filter_map(|c| range.get((row, c))).collect()
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A cell as Excel's CSV export writes it (see the module's contract).
pub(super) fn cell_text(cell: &Data) -> Cow<'_, str> {
    Cow::Owned(match cell {
        Data::Empty => return Cow::Borrowed(""),
        Data::String(s) | Data::DurationIso(s) => return Cow::Borrowed(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        // `2026-03-15T10:30:00`: the day is the part salesplit reads.
        Data::DateTimeIso(s) => match s.get(..10) {
            Some(day) if s.len() > 10 && day.as_bytes().get(4) == Some(&b'-') => day.to_string(),
            _ => s.clone(),
        },
        Data::Error(e) => e.to_string(),
    })
}

/// A number cell as Excel shows and exports it: rounded to 15 significant
/// digits (so that a sum that is 0.30000000000000004 in binary reads as the
/// 0.3 the user sees), in the shortest text that gives that number back.
/// This is where a workbook's binary number becomes the decimal text every
/// reader parses exactly; no figure is computed in floating point.
fn number_text(f: f64) -> String {
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded == 0.0 {
        // Not `-0`.
        return "0".to_string();
    }
    format!("{rounded}")
}

/// The workbook has no sheet named `wanted`.
fn no_such_sheet(file: &str, noun: Noun, wanted: &str, names: &[String]) -> Diagnostic {
    let list: Vec<&str> = names.iter().map(String::as_str).collect();
    let help = match suggest(wanted, list.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Write one of the workbook's sheets in `sheet`"),
        None => format!("write one of the workbook's sheets in `sheet`: {}", name_list(&list)),
    };
    Diagnostic::new(Code::NoSuchSheet, format!("{} workbook has no sheet `{wanted}`", noun.owner))
        .at(Location::file(file))
        .note(format!("its sheets: {}", name_list(&list)))
        .help(help)
}

/// `record` as a line of a CSV file: cells joined by commas, quoted when
/// they hold a comma, a quote or a line break.
pub(super) fn csv_line(record: &csv::StringRecord) -> String {
    let mut line = String::new();
    for (i, cell) in record.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_exports_them() {
        let texts: Vec<String> = [1234.5, 1234.0, 0.1 + 0.2, -0.0, 1e15, 123_456_789.123, -42.25, 0.000_125]
            .into_iter()
            .map(number_text)
            .collect();
        assert_eq!(texts, ["1234.5", "1234", "0.3", "0", "1000000000000000", "123456789.123", "-42.25", "0.000125"]);
    }

    #[test]
    fn cells_read_as_text() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let date = Data::DateTime(ExcelDateTime::new(46096.0, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&date), "2026-03-15");
        let late = Data::DateTime(ExcelDateTime::new(46096.75, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&late), "2026-03-15");
        assert_eq!(cell_text(&Data::DateTimeIso("2026-03-15T10:30:00".into())), "2026-03-15");
        assert_eq!(cell_text(&Data::DateTimeIso("2026-03-15".into())), "2026-03-15");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Int(-7)), "-7");
        assert_eq!(cell_text(&Data::String("1,234.50".into())), "1,234.50");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
    }

    #[test]
    fn a_row_is_written_as_its_csv_line() {
        let record = csv::StringRecord::from(vec!["Ann", "1,234.50", "say \"hi\"", ""]);
        assert_eq!(csv_line(&record), "Ann,\"1,234.50\",\"say \"\"hi\"\"\",");
    }
}
