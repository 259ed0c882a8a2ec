//! Stage `render`: an Excel workbook (`--format xlsx`), for people who take
//! the figures on in a spreadsheet.
//!
//! Contract: the workbook holds two sheets, built in memory as the cells
//! arrive and written to the output in one piece by `finish` (so a failed run
//! writes nothing).
//!
//! - **Summary** (first, active): a title row with the plan's name, currency
//!   and breakdown; then a pivot of the first column that adds up — members
//!   down the side, periods across — with a `Total` column and row made of
//!   `=SUM(...)` formulas, so they still add up after a user edits a figure.
//!   For a tracking report the pivot shows `actual_to_date`, followed by a
//!   second pivot of `target_to_date` over the same members and periods: what
//!   a sales director compares (their ratio is the report's attainment). The
//!   engine sums these pivots ([`Summary`], fed by [`Summarised`] as the cells
//!   pass); this sink only lays them out. A
//!   pivot that would not fit a sheet (more than 16,384 columns or 1,048,576
//!   rows) is left out with a note saying so; the Detail sheet has every cell.
//! - **Detail**: the CSV's columns and rows (split columns, `period`, `start`,
//!   `end`, then one column per value), a frozen header row, an autofilter, and
//!   a `Total` row made as the header's [`TotalRule`]s say: adding-up
//!   columns are `=SUBTOTAL(109, ...)` formulas, the sum of the rows a filter
//!   leaves visible (all of them, unfiltered); a ratio or a pace (a tracking
//!   report's `attainment` and `run_rate`) is a formula of the `Total` row's
//!   own cells (`=IF(H722=0,"",ROUND(I722/H722,4))`,
//!   `=ROUND(MAX(L722,0)/209,2)`), so it follows the filter too; other
//!   columns show the run's total as the engine gives it.
//!
//! Every formula carries the engine's figure as its cached result — which
//! is what the formula computes from the cells shown — so a reader without
//! a calculation engine sees the same numbers as the CSV and JSON.
//! Numbers are numbers: amounts in a thousands format with exactly the plan's
//! decimals (`#,##0.00` for 0.01, `#,##0` for 1 or coarser), counts `#,##0`,
//! ratios `0.00%`, levels as Excel's General; `start`/`end` are dates shown
//! `yyyy-mm-dd`; member names, periods and words are always text cells, so a
//! name such as `=HYPERLINK("x")` is never read as a formula. In a tracking
//! report, `attainment` and `status` are coloured by the status the engine
//! worked out under the plan's tolerance: `behind` red, `on track` amber,
//! `ahead` green, as conditional formats on the words, so the colours follow
//! `--tolerance` exactly.
//!
//! Labels people read on the Summary (`Total`, the split and column names,
//! "Page N of M") are in the plan's language ([`Labels`]: `合计`, `区域`,
//! `达成率`); the Detail sheet's header keeps the CSV's column names.
//!
//! Every sheet prints on A4 in landscape, one page wide (any number of pages
//! down), with its header rows and member columns repeated on every page, the
//! plan's title in the page header and "Page N of M" in the footer.
//!
//! A figure with more than 15 significant digits (what an xlsx number keeps)
//! is refused with an `E0905` diagnostic rather than written with other cents.
//! A Detail sheet longer than Excel's 1,048,576 rows is refused with an error
//! that points to `--format csv`, before anything is written. Building in
//! memory costs about 1 GB per million cells at the sheet's limit; CSV streams. The workbook's
//! creation date is fixed (1 January of the plan's year), so the same plan and
//! data give byte-identical files.

use std::fmt::Write as _;
use std::io::Write;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    cell_range, column_number_to_name, row_col_to_cell, ColNum, ConditionalFormatFormula, DocProperties, ExcelDateTime,
    Format, FormatBorder, Formula, RowNum, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::Labels;
use crate::diagnostic::{Code, Diagnostic};
#[cfg(doc)]
use crate::engine::Summarised;
use crate::engine::{Cell, ColumnKind, Header, Summary, SummarySink, TotalRule, Value};
use crate::plan::Precision;

mod summary_sheet;

/// Rows of an Excel sheet.
const MAX_ROWS: u32 = 1_048_576;
/// Columns of an Excel sheet.
const MAX_COLS: u32 = 16_384;
/// Cells the Detail sheet holds: its header and `Total` rows take two rows.
const MAX_CELLS: u32 = MAX_ROWS - 2;

/// The most cells a workbook can hold (one Detail row each), so that a run
/// too long for Excel can be refused before it starts.
pub const XLSX_MAX_CELLS: u64 = MAX_CELLS as u64;
/// Widest column, in characters: longer text is cut at the column's edge
/// rather than pushing every other column off screen.
const MAX_WIDTH: usize = 60;
/// Excel's paper size number of A4.
const PAPER_A4: u8 = 9;
/// Space around a column's widest text, in characters (Excel's autofit pads similarly).
const PADDING: usize = 2;

/// Collects cells into a workbook and writes it to `W` at the end. It takes
/// its Summary pivots from the engine: run it wrapped in a
/// [`crate::engine::Summarised`].
pub struct XlsxSink<W: Write> {
    out: W,
    book: Option<Book>,
}

impl<W: Write> XlsxSink<W> {
    /// A sink writing the finished workbook to `out`. Nothing is written
    /// before `finish`: the whole workbook is built in memory first.
    pub fn new(out: W) -> XlsxSink<W> {
        XlsxSink { out, book: None }
    }
}

/// The workbook under construction.
struct Book {
    header: Header,
    detail: Worksheet,
    styles: Styles,
    /// The number format of each value column (`Header::columns`).
    values: Vec<Format>,
    /// The Detail sheet's column widths so far, in characters.
    widths: Vec<usize>,
    /// Cells written so far (the Detail sheet's data rows).
    rows: u32,
    /// Scratch text for converting decimals, reused so that no cell allocates for it.
    scratch: String,
}

/// The formats shared by both sheets.
struct Styles {
    title: Format,
    caption: Format,
    head: Format,
    total: Format,
    date: Format,
    note: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            caption: Format::new().set_bold(),
            head: Format::new().set_bold().set_border_bottom(FormatBorder::Thin).set_background_color(0x00F2_F2F2),
            total: Format::new().set_bold().set_border_top(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            note: Format::new().set_italic(),
        }
    }
}

/// The number format of a column: amounts with exactly the plan's decimals.
fn value_format(kind: ColumnKind, precision: Precision) -> Format {
    match kind {
        ColumnKind::Amount if precision.decimals() > 0 => {
            Format::new().set_num_format(format!("#,##0.{}", "0".repeat(precision.decimals() as usize)))
        }
        ColumnKind::Amount | ColumnKind::Count => Format::new().set_num_format("#,##0"),
        ColumnKind::Ratio => Format::new().set_num_format("0.00%"),
        // A level keeps the decimals it was written with; General shows them as they are.
        ColumnKind::Level | ColumnKind::Text => Format::new(),
    }
}

/// The same format in bold with a rule above, for a `Total` row.
fn total_format(format: &Format) -> Format {
    format.clone().set_bold().set_border_top(FormatBorder::Thin)
}

// By value: it is the `map_err` of every workbook call.
#[allow(clippy::needless_pass_by_value)]
fn xlsx(e: XlsxError) -> std::io::Error {
    std::io::Error::other(format!("cannot build the workbook: {e}"))
}

/// The error for a breakdown longer than a sheet. `Output::error` shows it as
/// `error[E0902]: cannot write FILE: <this>`.
fn too_many_rows() -> std::io::Error {
    std::io::Error::other(format!(
        "the breakdown has more than {} cells, more rows than an Excel sheet holds ({} with the header and total); \
         use --format csv, or a coarser --by or a shorter --period",
        thousands_u32(MAX_CELLS),
        thousands_u32(MAX_ROWS),
    ))
}

/// Significant digits an xlsx number keeps: Excel and `LibreOffice` store and
/// show 15, so a figure with more would read back with other cents.
const MAX_DIGITS: u32 = 15;

/// Refuses a figure that an xlsx number cannot hold exactly (more than
/// [`MAX_DIGITS`] significant digits), naming it by `what` (`sales of 华东,
/// 2026-03`). The error carries an `E0905` [`Diagnostic`], which the command
/// line shows as it is; nothing has been written yet.
fn exact(d: Decimal, what: impl FnOnce() -> String) -> std::io::Result<()> {
    // Trailing zeros are not significant, before the decimal point too (`1000000000000000` is one digit).
    let mut mantissa = d.mantissa().unsigned_abs();
    while mantissa != 0 && mantissa % 10 == 0 {
        mantissa /= 10;
    }
    let digits = mantissa.checked_ilog10().map_or(1, |l| l + 1);
    if digits <= MAX_DIGITS {
        return Ok(());
    }
    let shown = crate::plan::thousands(d);
    Err(std::io::Error::other(
        Diagnostic::new(
            Code::XlsxDigits,
            format!(
                "the figure {shown} ({}) has {digits} significant digits, more than the {MAX_DIGITS} an xlsx number keeps",
                what()
            ),
        )
        .note("Excel and LibreOffice store a number to 15 digits: the workbook would show other figures than the plan's")
        .help("use --format csv or json, which keep every digit, or a coarser [plan] precision (such as \"1000\")"),
    ))
}

/// A column index as Excel's column number: every sheet is checked against
/// [`MAX_COLS`] before it is written, so an index always fits.
pub(super) fn col_num(i: usize) -> ColNum {
    ColNum::try_from(i).expect("sheets are checked against MAX_COLS before writing")
}

/// A row index as Excel's row number: every sheet is checked against
/// [`MAX_ROWS`] before it is written, so an index always fits.
pub(super) fn row_num(i: usize) -> RowNum {
    RowNum::try_from(i).expect("sheets are checked against MAX_ROWS before writing")
}

fn thousands_u32(n: u32) -> String {
    crate::plan::thousands(Decimal::from(n))
}

/// Sets a sheet up to print: landscape A4, one page wide (as many pages
/// down as it takes), rows `rows` and columns `columns` repeated on every page
/// (the print titles), the plan's title in the header, "Page N of M" in the
/// footer and narrow margins.
pub(super) fn print_setup(
    sheet: &mut Worksheet,
    title: &str,
    labels: Labels,
    rows: (RowNum, RowNum),
    columns: Option<(ColNum, ColNum)>,
) -> Result<(), XlsxError> {
    // `&` starts a header code; a title's own `&` is doubled. Excel allows 255 characters.
    let title: String = title.replace('&', "&&").chars().take(200).collect();
    sheet
        .set_landscape()
        .set_paper_size(PAPER_A4)
        .set_print_fit_to_pages(1, 0)
        .set_header(format!("&C&\"-,Bold\"{title}"))
        .set_footer(labels.page_footer())
        .set_margins(0.5, 0.5, 0.75, 0.75, 0.3, 0.3);
    sheet.set_repeat_rows(rows.0, rows.1)?;
    if let Some((first, last)) = columns {
        sheet.set_repeat_columns(first, last)?;
    }
    Ok(())
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // Plan years are four-digit, so these narrowings cannot truncate;
    // `from_ymd` rejects anything Excel cannot show.
    let year = u16::try_from(date.year()).map_err(|_| XlsxError::DateTimeRangeError(date.to_string()))?;
    let month = u8::try_from(date.month()).expect("a month is 1 to 12");
    let day = u8::try_from(date.day()).expect("a day is 1 to 31");
    ExcelDateTime::from_ymd(year, month, day)
}

/// Characters a number takes on screen in its column's format: digits,
/// thousands separators, decimals, sign (an estimate that never allocates).
fn number_width(value: &Value, kind: ColumnKind, decimals: u32) -> usize {
    let (d, scale, percent) = match (value, kind) {
        (Value::Ratio(d), _) => (*d * Decimal::ONE_HUNDRED, 2, 1),
        (Value::Amount(d), ColumnKind::Amount) => (*d, decimals, 0),
        (Value::Amount(d), ColumnKind::Count) => (*d, 0, 0),
        (Value::Amount(d), _) => (*d, d.scale(), 0),
        (Value::Text(t), _) => return t.width(),
        (Value::Missing, _) => return 0,
    };
    let whole = d.abs().trunc().mantissa().unsigned_abs();
    let digits = whole.checked_ilog10().map_or(1, |l| l as usize + 1);
    let separators = if kind == ColumnKind::Level { 0 } else { (digits - 1) / 3 };
    let fraction = if scale > 0 { scale as usize + 1 } else { 0 };
    digits + separators + fraction + percent + usize::from(d.is_sign_negative())
}

fn widen(widths: &mut [usize], col: usize, width: usize) {
    if let Some(w) = widths.get_mut(col) {
        *w = (*w).max(width);
    }
}

fn set_widths(sheet: &mut Worksheet, widths: &[usize]) -> Result<(), XlsxError> {
    for (col, width) in widths.iter().enumerate() {
        let width = (width + PADDING).min(MAX_WIDTH);
        let width = u32::try_from(width).expect("at most MAX_WIDTH");
        sheet.set_column_width(col_num(col), f64::from(width))?;
    }
    Ok(())
}

impl Book {
    fn new(header: &Header) -> Result<Book, XlsxError> {
        let styles = Styles::new();
        let mut detail = Worksheet::new();
        detail.set_name("Detail")?;
        let names: Vec<&str> = header
            .splits
            .iter()
            .map(String::as_str)
            .chain(["period", "start", "end"])
            .chain(header.columns.iter().map(|c| c.name.as_str()))
            .collect();
        if names.len() > MAX_COLS as usize {
            return Err(XlsxError::RowColumnLimitError);
        }
        let mut widths = vec![0; names.len()];
        for (col, name) in names.iter().enumerate() {
            detail.write_string_with_format(0, col_num(col), *name, &styles.head)?;
            widen(&mut widths, col, name.width());
        }
        // `start` and `end` are always ten characters; the `Total` label goes in the first column.
        let dates = header.splits.len() + 1;
        widen(&mut widths, dates, 10);
        widen(&mut widths, dates + 1, 10);
        widen(&mut widths, 0, "Total".len());
        let values = header.columns.iter().map(|c| value_format(c.kind, header.precision)).collect();
        Ok(Book { header: header.clone(), detail, styles, values, widths, rows: 0, scratch: String::new() })
    }

    /// `d` as the nearest `f64`, by way of its decimal text (correctly
    /// rounded, so `48123.45` reads back as `48123.45`).
    fn number(&mut self, d: Decimal) -> f64 {
        self.scratch.clear();
        write!(self.scratch, "{d}").expect("writing to a String cannot fail");
        self.scratch.parse().unwrap_or(f64::NAN)
    }

    fn cell(&mut self, cell: &Cell<'_>) -> Result<(), XlsxError> {
        let row: RowNum = self.rows + 1;
        let mut col = 0usize;
        for member in cell.members {
            self.detail.write_string(row, col_num(col), *member)?;
            widen(&mut self.widths, col, member.width());
            col += 1;
        }
        self.detail.write_string(row, col_num(col), &cell.period.label)?;
        widen(&mut self.widths, col, cell.period.label.width());
        col += 1;
        for date in [cell.period.start, cell.period.end] {
            self.detail.write_datetime_with_format(row, col_num(col), excel_date(date)?, &self.styles.date)?;
            col += 1;
        }
        let decimals = self.header.precision.decimals();
        // One value per header column is the cell contract; `take` keeps a stray
        // extra value from indexing past the column formats (nothing panics).
        for (i, value) in cell.values.iter().enumerate().take(self.values.len()) {
            let kind = self.header.columns[i].kind;
            match *value {
                Value::Amount(d) | Value::Ratio(d) => {
                    let number = self.number(d);
                    self.detail.write_number_with_format(row, col_num(col), number, &self.values[i])?;
                }
                Value::Text(t) => {
                    self.detail.write_string(row, col_num(col), t)?;
                }
                Value::Missing => {}
            }
            widen(&mut self.widths, col, number_width(value, kind, decimals));
            col += 1;
        }
        self.rows += 1;
        Ok(())
    }

    /// The Detail sheet's `Total` row, widths, filter, frozen header and colours.
    fn finish_detail(&mut self, totals: &[Value]) -> Result<(), XlsxError> {
        let total_row = self.rows + 1;
        let first_value = self.header.splits.len() + 3;
        let last_col = first_value + self.header.columns.len() - 1;
        for col in 0..first_value {
            self.detail.write_blank(total_row, col_num(col), &self.styles.total)?;
        }
        self.detail.write_string_with_format(total_row, 0, "Total", &self.styles.total)?;
        let decimals = self.header.precision.decimals();
        let header = self.header.clone();
        for (i, column) in header.columns.iter().enumerate() {
            let col = col_num(first_value + i);
            let format = total_format(&self.values[i]);
            let value = totals.get(i).copied().unwrap_or(Value::Missing);
            widen(&mut self.widths, col as usize, number_width(&value, column.kind, decimals));
            let cell = |i: usize| row_col_to_cell(total_row, col_num(first_value + i));
            // Each formula caches the engine's figure, which is what it computes.
            let formula = match (header.total_rule(i), value) {
                // SUBTOTAL(109) sums the rows a filter shows; with no filter, every row.
                (TotalRule::Sum, Value::Amount(d)) if self.rows > 0 => {
                    Some((format!("SUBTOTAL(109,{})", cell_range(1, col, self.rows, col)), d))
                }
                // A ratio of the total row's own cells, rounded as the engine rounds it.
                (TotalRule::Ratio { numerator, denominator, decimals }, Value::Ratio(d)) => Some((
                    format!("IF({den}=0,\"\",ROUND({}/{den},{decimals}))", cell(numerator), den = cell(denominator)),
                    d,
                )),
                // A pace: the total row's cell per day over the days the engine counted.
                (TotalRule::PerDay { of, days, decimals }, Value::Amount(d)) if days > 0 => {
                    Some((format!("ROUND(MAX({},0)/{days},{decimals})", cell(of)), d))
                }
                _ => None,
            };
            match (formula, value) {
                (Some((formula, d)), _) => {
                    let formula = Formula::new(formula).set_result(d.to_string());
                    self.detail.write_formula_with_format(total_row, col, formula, &format)?;
                }
                (None, Value::Amount(d) | Value::Ratio(d)) => {
                    let number = self.number(d);
                    self.detail.write_number_with_format(total_row, col, number, &format)?;
                }
                (None, Value::Text(t)) => {
                    self.detail.write_string_with_format(total_row, col, t, &format)?;
                }
                (None, Value::Missing) => {
                    self.detail.write_blank(total_row, col, &format)?;
                }
            }
        }
        self.colour_status(first_value, total_row)?;
        set_widths(&mut self.detail, &self.widths)?;
        self.detail.autofilter(0, 0, self.rows, col_num(last_col))?;
        self.detail.set_freeze_panes(1, 0)?;
        // The header row and the member columns (or, without splits, the period) on every page.
        let members = col_num(self.header.splits.len().max(1) - 1);
        let labels = Labels::of(self.header.language);
        print_setup(&mut self.detail, &self.header.plan, labels, (0, 0), Some((0, members)))?;
        Ok(())
    }

    /// Colours `attainment` and `status` by the status word, in every data
    /// row and the `Total` row. The words carry the plan's tolerance, which
    /// the header does not; a fixed 95%–105% band would contradict them.
    fn colour_status(&mut self, first_value: usize, last_row: RowNum) -> Result<(), XlsxError> {
        let find = |name: &str, kind: ColumnKind| {
            self.header.columns.iter().position(|c| c.name == name && c.kind == kind).map(|i| first_value + i)
        };
        let (Some(status), attainment) = (find("status", ColumnKind::Text), find("attainment", ColumnKind::Ratio))
        else {
            return Ok(());
        };
        // Excel's own "light red / yellow / green fill with dark text" styles.
        let bands = [
            ("behind", 0x00FF_C7CE, 0x009C_0006),
            ("on track", 0x00FF_EB9C, 0x009C_5700),
            ("ahead", 0x00C6_EFCE, 0x0000_6100),
        ];
        let status_letter = column_number_to_name(col_num(status));
        for (word, fill, text) in bands {
            // Relative to the range's first row (2), absolute in the status column.
            let rule = ConditionalFormatFormula::new()
                .set_rule(Formula::new(format!("=${status_letter}2=\"{word}\"")))
                .set_format(Format::new().set_background_color(fill).set_font_color(text));
            for col in attainment.into_iter().chain([status]) {
                self.detail.add_conditional_format(1, col_num(col), last_row, col_num(col), &rule)?;
            }
        }
        Ok(())
    }

    fn into_workbook(self, summary: &Summary) -> Result<Vec<u8>, XlsxError> {
        let summary = self.summary(summary)?;
        let mut workbook = Workbook::new();
        // A fixed creation date keeps the file byte-identical from run to run.
        let created = ExcelDateTime::from_ymd(u16::try_from(self.header.year).unwrap_or(2000), 1, 1)
            .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?;
        let properties = DocProperties::new().set_title(&self.header.plan).set_creation_datetime(&created);
        workbook.set_properties(&properties);
        workbook.push_worksheet(summary);
        workbook.push_worksheet(self.detail);
        workbook.save_to_buffer()
    }
}

impl<W: Write> SummarySink for XlsxSink<W> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.book = Some(Book::new(header).map_err(xlsx)?);
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        let book = self.book.as_mut().ok_or_else(|| std::io::Error::other("a cell arrived before the header"))?;
        // Refused before anything is written: the workbook only reaches `out` in `finish`.
        if book.rows >= MAX_CELLS {
            return Err(too_many_rows());
        }
        for (i, value) in cell.values.iter().enumerate() {
            if let Value::Amount(d) | Value::Ratio(d) = *value {
                exact(d, || {
                    let name = book.header.columns.get(i).map_or("", |c| c.name.as_str());
                    let mut at: Vec<&str> = cell.members.to_vec();
                    at.push(&cell.period.label);
                    format!("{name} of {}", at.join(", "))
                })?;
            }
        }
        book.cell(cell).map_err(xlsx)
    }

    fn finish(&mut self, totals: &[Value], summary: Summary) -> std::io::Result<()> {
        let mut book = self.book.take().ok_or_else(|| std::io::Error::other("the run ended before its header"))?;
        let name = |i: usize| book.header.columns.get(i).map_or(String::new(), |c| c.name.clone());
        for (i, value) in totals.iter().enumerate() {
            if let Value::Amount(d) | Value::Ratio(d) = *value {
                exact(d, || format!("the total of {}", name(i)))?;
            }
        }
        for pivot in &summary.pivots {
            for row in &pivot.rows {
                for d in row.values.iter().flatten().chain([&row.total]) {
                    exact(*d, || format!("{} of {} in the Summary", name(pivot.column), row.keys.join(", ")))?;
                }
            }
            for d in pivot.column_totals.iter().chain([&pivot.total]) {
                exact(*d, || format!("a total of {} in the Summary", name(pivot.column)))?;
            }
        }
        book.finish_detail(totals).map_err(xlsx)?;
        let bytes = book.into_workbook(&summary).map_err(xlsx)?;
        self.out.write_all(&bytes)?;
        self.out.flush()
    }
}
