//! Stage `render`: the xlsx workbook's Summary sheet, laid out from the
//! engine's [`Summary`]: a title, then each pivot with `SUM` totals.

use rust_decimal::Decimal;
use rust_xlsxwriter::{cell_range, Formula, RowNum, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::{col_num, number_width, print_setup, row_num, set_widths, total_format, widen, Book, MAX_COLS, MAX_ROWS};
use crate::engine::{ColumnKind, Crosstab, Summary, Value};

impl Book {
    /// The Summary sheet: a title, then one pivot per summary column.
    pub(super) fn summary(&self, summary: &Summary) -> Result<Worksheet, XlsxError> {
        let h = &self.header;
        let mut sheet = Worksheet::new();
        sheet.set_name("Summary")?;
        let currency = if h.currency.is_empty() { String::new() } else { format!(" ({})", h.currency) };
        let mut by: Vec<&str> = h.splits.iter().map(String::as_str).collect();
        by.push(&h.time);
        sheet.write_string_with_format(
            0,
            0,
            format!(
                "{}{currency}, by {}{}",
                h.plan,
                by.join(" × "),
                h.as_of.map(|a| format!(", {}", a.words())).unwrap_or_default()
            ),
            &self.styles.title,
        )?;
        let mut widths: Vec<usize> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        let mut row: RowNum = 2;
        let mut frozen = false;
        // The title and the first pivot's caption and header, repeated on every printed page.
        let mut titles: (RowNum, RowNum) = (0, 0);
        if summary.pivots.is_empty() {
            notes.push("No column adds up, so there is nothing to pivot: the Detail sheet has every figure.".into());
        }
        for pivot in &summary.pivots {
            let side = h.splits.len().max(1);
            let columns = side + pivot.columns.len() + 1;
            let rows = pivot.rows.len() as u64 + 3;
            let name = h.columns.get(pivot.column).map_or("", |c| c.name.as_str());
            if columns > MAX_COLS as usize || u64::from(row) + rows > u64::from(MAX_ROWS) {
                notes.push(format!(
                    "The {name} pivot ({} rows × {} periods) does not fit an Excel sheet and is left out: \
                     the Detail sheet has every cell.",
                    pivot.rows.len(),
                    pivot.columns.len()
                ));
                continue;
            }
            if pivot.rows.is_empty() {
                notes.push(format!("No cells, so no {name} pivot."));
                continue;
            }
            if widths.len() < columns {
                widths.resize(columns, 0);
            }
            let head = row + 1;
            self.pivot(&mut sheet, pivot, row, &mut widths)?;
            if !frozen {
                sheet.set_freeze_panes(head + 1, col_num(side))?;
                titles = (0, head);
                frozen = true;
            }
            row = head + row_num(pivot.rows.len()) + 3;
        }
        for note in notes {
            sheet.write_string_with_format(row, 0, note, &self.styles.note)?;
            row += 1;
        }
        set_widths(&mut sheet, &widths)?;
        let members = frozen.then(|| (0, col_num(h.splits.len().max(1) - 1)));
        print_setup(&mut sheet, &h.plan, titles, members)?;
        Ok(sheet)
    }

    /// One pivot at `top`: a caption, a header row, a row per member
    /// combination with a `Total` column, and a `Total` row — all totals
    /// `SUM` formulas caching the pivot's own totals.
    fn pivot(
        &self,
        sheet: &mut Worksheet,
        pivot: &Crosstab,
        top: RowNum,
        widths: &mut [usize],
    ) -> Result<(), XlsxError> {
        let h = &self.header;
        let Some(column) = h.columns.get(pivot.column) else { return Ok(()) };
        let format = &self.values[pivot.column];
        let total_style = total_format(format);
        let decimals = h.precision.decimals();
        let width = |d: Decimal| number_width(&Value::Amount(d), column.kind, decimals);
        let money = column.kind == ColumnKind::Amount && !h.currency.is_empty();
        let caption = if money { format!("{} ({})", column.name, h.currency) } else { column.name.clone() };
        sheet.write_string_with_format(top, 0, caption, &self.styles.caption)?;

        let head = top + 1;
        let side_names: Vec<&str> = if h.splits.is_empty() {
            vec![column.name.as_str()]
        } else {
            h.splits.iter().map(String::as_str).collect()
        };
        let side = side_names.len();
        let first_period = col_num(side);
        let last_period = col_num(side + pivot.columns.len() - 1);
        let total_col = last_period + 1;
        let labels = side_names.iter().copied().chain(pivot.columns.iter().map(String::as_str)).chain(["Total"]);
        for (col, label) in labels.enumerate() {
            sheet.write_string_with_format(head, col_num(col), label, &self.styles.head)?;
            widen(widths, col, label.width());
        }

        let first_row = head + 1;
        for (i, r) in pivot.rows.iter().enumerate() {
            let row = first_row + row_num(i);
            let names: Vec<&str> = if r.keys.is_empty() {
                vec![column.name.as_str()]
            } else {
                r.keys.iter().map(String::as_str).collect()
            };
            for (col, name) in names.iter().enumerate() {
                sheet.write_string(row, col_num(col), *name)?;
                widen(widths, col, name.width());
            }
            for (j, value) in r.values.iter().enumerate() {
                if let Some(d) = value {
                    let col = first_period + col_num(j);
                    sheet.write_number_with_format(row, col, to_f64(*d), format)?;
                    widen(widths, col as usize, width(*d));
                }
            }
            let sum = Formula::new(format!("SUM({})", cell_range(row, first_period, row, last_period)))
                .set_result(r.total.to_string());
            sheet.write_formula_with_format(row, total_col, sum, format)?;
            widen(widths, total_col as usize, width(r.total));
        }

        let last_row = first_row + row_num(pivot.rows.len()) - 1;
        let total_row = last_row + 1;
        for col in 0..side {
            sheet.write_blank(total_row, col_num(col), &total_style)?;
        }
        sheet.write_string_with_format(total_row, 0, "Total", &total_style)?;
        widen(widths, 0, "Total".len());
        let sums = pivot.column_totals.iter().chain([&pivot.total]);
        for (j, total) in sums.enumerate() {
            let col = first_period + col_num(j);
            let sum = Formula::new(format!("SUM({})", cell_range(first_row, col, last_row, col)))
                .set_result(total.to_string());
            sheet.write_formula_with_format(total_row, col, sum, &total_style)?;
            widen(widths, col as usize, width(*total));
        }
        Ok(())
    }
}

/// `d` as the nearest `f64` (see [`Book::number`]; this one allocates, for the
/// Summary's few figures).
fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}
