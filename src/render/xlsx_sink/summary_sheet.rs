//! Stage `render`: the xlsx workbook's Summary sheet, laid out from the
//! engine's [`Summary`]: a title, then each pivot with `SUM` totals; rows
//! grouped (outline levels) by the first split's member with `SUBTOTAL`
//! subtotals; a tracking summary's attainment coloured by the tolerance band.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    cell_range, ColNum, ConditionalFormatCell, ConditionalFormatCellRule, Format, Formula, RowNum, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::{col_num, number_width, print_setup, row_num, set_widths, total_format, widen, Book, MAX_COLS, MAX_ROWS};
use crate::engine::{ColumnKind, Crosstab, Summary, SummaryAttainment, SummaryGroup, Value};
use crate::render::Labels;

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
        for (index, pivot) in summary.pivots.iter().enumerate() {
            let groups = summary.groups.get(index).map_or(&[][..], Vec::as_slice);
            // The attainment column goes beside the first pivot (actual to date).
            let attainment = if index == 0 { summary.attainment.as_ref() } else { None };
            let side = h.splits.len().max(1);
            let columns = side + pivot.columns.len() + 1 + usize::from(attainment.is_some());
            let rows = (pivot.rows.len() + groups.len()) as u64 + 3;
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
            let layout = PivotLayout { top: row, groups, attainment, monthly: summary.monthly };
            self.pivot(&mut sheet, pivot, &layout, &mut widths)?;
            if !frozen {
                sheet.set_freeze_panes(head + 1, col_num(side))?;
                titles = (0, head);
                frozen = true;
            }
            row = head + row_num(pivot.rows.len() + groups.len()) + 3;
        }
        for note in notes {
            sheet.write_string_with_format(row, 0, note, &self.styles.note)?;
            row += 1;
        }
        set_widths(&mut sheet, &widths)?;
        let members = frozen.then(|| (0, col_num(h.splits.len().max(1) - 1)));
        print_setup(&mut sheet, &h.plan, Labels::of(h.language), titles, members)?;
        Ok(sheet)
    }

    /// One pivot at `layout.top`: a caption, a header row, a row per member
    /// combination with a `Total` column, and a `Total` row. With groups,
    /// each member of the first split's rows are an outline group followed
    /// by its subtotal row, `SUBTOTAL(9, ...)` formulas that the `Total`
    /// row's `SUBTOTAL(9, ...)` skips. Every formula caches the engine's own
    /// figure. A tracking summary's attainment follows the `Total` column,
    /// coloured by the plan's tolerance band.
    fn pivot(
        &self,
        sheet: &mut Worksheet,
        pivot: &Crosstab,
        layout: &PivotLayout<'_>,
        widths: &mut [usize],
    ) -> Result<(), XlsxError> {
        let h = &self.header;
        let Some(column) = h.columns.get(pivot.column) else { return Ok(()) };
        let format = &self.values[pivot.column];
        let total_style = total_format(format);
        let decimals = h.precision.decimals();
        let width = |d: Decimal| number_width(&Value::Amount(d), column.kind, decimals);
        let labels = Labels::of(h.language);
        let money = column.kind == ColumnKind::Amount && !h.currency.is_empty();
        let column_name = labels.name(&column.name);
        let mut caption = if money { format!("{column_name} ({})", h.currency) } else { column_name.clone() };
        if layout.monthly {
            caption.push_str(&format!(", {}", labels.by_month(&h.time)));
        }
        let top = layout.top;
        sheet.write_string_with_format(top, 0, caption, &self.styles.caption)?;

        let head = top + 1;
        let side_names: Vec<String> = if h.splits.is_empty() {
            vec![column_name.clone()]
        } else {
            h.splits.iter().map(|s| labels.name(s)).collect()
        };
        let side = side_names.len();
        let first_period = col_num(side);
        let last_period = col_num(side + pivot.columns.len() - 1);
        let total_col = last_period + 1;
        let ratio_col = total_col + 1;
        let attainment_name = labels.name("attainment");
        let heads = side_names.iter().map(String::as_str).chain(pivot.columns.iter().map(String::as_str));
        let heads = heads.chain([labels.total()]).chain(layout.attainment.map(|_| attainment_name.as_str()));
        for (col, label) in heads.enumerate() {
            sheet.write_string_with_format(head, col_num(col), label, &self.styles.head)?;
            widen(widths, col, label.width());
        }
        let percent = Format::new().set_num_format("0.00%");
        let ratio = |sheet: &mut Worksheet, row: RowNum, value: Option<Decimal>, style: &Format| match value {
            Some(d) => sheet.write_number_with_format(row, ratio_col, to_f64(d), style).map(|_| ()),
            None => sheet.write_blank(row, ratio_col, style).map(|_| ()),
        };

        let first_row = head + 1;
        let mut row = first_row;
        let mut group_of = layout.groups.iter().peekable();
        for (i, r) in pivot.rows.iter().enumerate() {
            let names: Vec<&str> = if r.keys.is_empty() {
                vec![column_name.as_str()]
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
            if let Some(a) = layout.attainment {
                ratio(sheet, row, a.rows.get(i).copied().flatten(), &percent)?;
            }
            row += 1;
            // The group's subtotal row after its last row.
            if let Some(g) = group_of.next_if(|g| g.rows.end == i + 1) {
                let first = row - row_num(g.rows.len());
                sheet.group_rows(first, row - 1)?;
                for col in 0..side {
                    sheet.write_blank(row, col_num(col), &total_style)?;
                }
                let label = labels.subtotal(&g.member);
                widen(widths, 0, label.width());
                sheet.write_string_with_format(row, 0, label, &total_style)?;
                for (j, total) in g.values.iter().chain([&g.total]).enumerate() {
                    let col = first_period + col_num(j);
                    let sum = Formula::new(format!("SUBTOTAL(9,{})", cell_range(first, col, row - 1, col)))
                        .set_result(total.to_string());
                    sheet.write_formula_with_format(row, col, sum, &total_style)?;
                    widen(widths, col as usize, width(*total));
                }
                if let Some(a) = layout.attainment {
                    let index = layout.groups.iter().position(|x| x.rows == g.rows).unwrap_or(0);
                    ratio(sheet, row, a.groups.get(index).copied().flatten(), &total_format(&percent))?;
                }
                row += 1;
            }
        }

        let last_row = row - 1;
        let total_row = row;
        for col in 0..side {
            sheet.write_blank(total_row, col_num(col), &total_style)?;
        }
        sheet.write_string_with_format(total_row, 0, labels.total(), &total_style)?;
        widen(widths, 0, labels.total().width());
        // SUBTOTAL(9) leaves out the groups' own SUBTOTAL rows; without groups it is a SUM.
        let sum = if layout.groups.is_empty() { "SUM" } else { "SUBTOTAL(9," };
        let close = if layout.groups.is_empty() { "(" } else { "" };
        let sums = pivot.column_totals.iter().chain([&pivot.total]);
        for (j, total) in sums.enumerate() {
            let col = first_period + col_num(j);
            let formula = Formula::new(format!("{sum}{close}{})", cell_range(first_row, col, last_row, col)))
                .set_result(total.to_string());
            sheet.write_formula_with_format(total_row, col, formula, &total_style)?;
            widen(widths, col as usize, width(*total));
        }
        if let Some(a) = layout.attainment {
            ratio(sheet, total_row, a.total, &total_format(&percent))?;
            widen(widths, ratio_col as usize, attainment_name.width().max(8));
            Self::colour_attainment(sheet, a, (first_row, total_row), ratio_col)?;
        }
        Ok(())
    }

    /// Colours a summary's attainment column by the plan's tolerance band:
    /// below it red, inside it amber, above it green (as the Detail's status).
    fn colour_attainment(
        sheet: &mut Worksheet,
        a: &SummaryAttainment,
        (first, last): (RowNum, RowNum),
        col: ColNum,
    ) -> Result<(), XlsxError> {
        let (low, high) = (to_f64(a.behind_below), to_f64(a.ahead_above));
        let fill = |fill: u32, text: u32| Format::new().set_background_color(fill).set_font_color(text);
        let rules = [
            (ConditionalFormatCellRule::LessThan(low), fill(0x00FF_C7CE, 0x009C_0006)),
            (ConditionalFormatCellRule::Between(low, high), fill(0x00FF_EB9C, 0x009C_5700)),
            (ConditionalFormatCellRule::GreaterThan(high), fill(0x00C6_EFCE, 0x0000_6100)),
        ];
        for (rule, format) in rules {
            let rule = ConditionalFormatCell::new().set_rule(rule).set_format(format);
            sheet.add_conditional_format(first, col, last, col, &rule)?;
        }
        Ok(())
    }
}

/// Where and how one pivot of the Summary sheet is laid out.
struct PivotLayout<'a> {
    /// Its caption's row.
    top: RowNum,
    /// Its rows' groups by the first split (empty: no groups).
    groups: &'a [SummaryGroup],
    /// The attainment column, beside a tracking summary's first pivot.
    attainment: Option<&'a SummaryAttainment>,
    /// Periods summed into calendar months.
    monthly: bool,
}

/// `d` as the nearest `f64` (see [`Book::number`]; this one allocates, for the
/// Summary's few figures).
fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}
