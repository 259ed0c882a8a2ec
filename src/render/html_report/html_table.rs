//! Stage `render`: the report's tables as real HTML tables — a pivot
//! ([`Crosstab`]: members down the side, periods across, totals, shares) and
//! a tracking listing (one row per cell with every column) — each figure as
//! the engine has it, with thousands separators. Every figure of a cell
//! carries its period (`data-period`, pivots) or its column (`data-col`,
//! listings), and its members are the row's `th.key` cells, so that a
//! reader (or a test) can match it to the CSV's row.

use super::{amount, percent, status_class, Words};
use crate::engine::{Crosstab, Listing, Value};
use crate::render::html_text::escape;

/// The most periods a pivot lays across (a year of months and its total
/// fit an A4 landscape page); with more, it is one row per cell.
const MAX_ACROSS: usize = 14;

/// A pivot as a table, with a caption: periods across, or one row per
/// cell when they are too many to print across.
pub(crate) fn pivot_table(t: &Crosstab, caption: &str, words: Words) -> String {
    if t.columns.len() > MAX_ACROSS {
        return long_table(t, caption, words);
    }
    let mut out = format!("<table class=\"pivot\">\n<caption>{}</caption>\n<thead><tr>", escape(caption));
    for dim in &t.row_dims {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&words.name(&t.dim_name(*dim)))));
    }
    for column in &t.columns {
        out.push_str(&format!("<th scope=\"col\" class=\"n\">{}</th>", escape(column)));
    }
    out.push_str(&format!("<th scope=\"col\" class=\"n\">{}</th>", escape(words.labels.total())));
    if !t.row_dims.is_empty() {
        out.push_str(&format!("<th scope=\"col\" class=\"n\">{}</th>", escape(&words.name("share"))));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for key in &row.keys {
            out.push_str(&format!("<th scope=\"row\" class=\"key\">{}</th>", escape(key)));
        }
        for (column, value) in t.columns.iter().zip(&row.values) {
            let text = value.map(amount).unwrap_or_default();
            out.push_str(&format!("<td class=\"n\" data-period=\"{}\">{text}</td>", escape(column)));
        }
        out.push_str(&format!("<td class=\"n total\" data-col=\"total\">{}</td>", amount(row.total)));
        if !t.row_dims.is_empty() {
            out.push_str(&format!("<td class=\"n\">{}</td>", row.share.map(percent).unwrap_or_default()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n<tfoot><tr class=\"total\">");
    let span = t.row_dims.len().max(1);
    out.push_str(&format!("<th scope=\"row\" colspan=\"{span}\">{}</th>", escape(words.labels.total())));
    if t.row_dims.is_empty() {
        // The one row is the company: its figures are the column totals.
        out.clear();
        out.push_str(&format!("<table class=\"pivot\">\n<caption>{}</caption>\n<thead><tr>", escape(caption)));
        for column in &t.columns {
            out.push_str(&format!("<th scope=\"col\" class=\"n\">{}</th>", escape(column)));
        }
        out.push_str(&format!(
            "<th scope=\"col\" class=\"n\">{}</th></tr></thead>\n<tfoot><tr class=\"total\">",
            escape(words.labels.total())
        ));
    }
    for (column, total) in t.columns.iter().zip(&t.column_totals) {
        out.push_str(&format!("<td class=\"n\" data-col=\"{}\">{}</td>", escape(column), amount(*total)));
    }
    out.push_str(&format!("<td class=\"n grand\" data-col=\"total\">{}</td>", amount(t.total)));
    if !t.row_dims.is_empty() {
        out.push_str("<td></td>");
    }
    out.push_str("</tr></tfoot>\n</table>\n");
    out
}

/// A pivot as one row per cell: its members, its period and its figure,
/// then the grand total.
fn long_table(t: &Crosstab, caption: &str, words: Words) -> String {
    let mut out = format!("<table class=\"pivot long\">\n<caption>{}</caption>\n<thead><tr>", escape(caption));
    for dim in t.row_dims.iter().chain([&t.col_dim]) {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&words.name(&t.dim_name(*dim)))));
    }
    let metric = t.header.as_ref().and_then(|h| h.columns.get(t.column)).map(|c| c.name.clone()).unwrap_or_default();
    out.push_str(&format!(
        "<th scope=\"col\" class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        escape(&words.name(&metric))
    ));
    for row in &t.rows {
        for (column, value) in t.columns.iter().zip(&row.values) {
            let Some(value) = value else { continue };
            out.push_str("<tr>");
            for key in &row.keys {
                out.push_str(&format!("<th scope=\"row\" class=\"key\">{}</th>", escape(key)));
            }
            out.push_str(&format!(
                "<th scope=\"row\" class=\"period\">{}</th><td class=\"n\" data-period=\"{}\">{}</td></tr>\n",
                escape(column),
                escape(column),
                amount(*value)
            ));
        }
    }
    out.push_str(&format!(
        "</tbody>\n<tfoot><tr class=\"total\"><th scope=\"row\" colspan=\"{}\">{}</th><td class=\"n grand\" data-col=\"total\">{}</td></tr></tfoot>\n</table>\n",
        t.row_dims.len() + 1,
        escape(words.labels.total()),
        amount(t.total)
    ));
    out
}

/// A value for people: amounts with separators, ratios as percentages,
/// status words in the report's language.
fn shown(value: &Value, words: Words) -> String {
    match value {
        Value::Amount(d) => amount(*d),
        Value::Ratio(r) => percent(*r),
        Value::Text(t) => words.status(t),
        Value::Missing => String::new(),
    }
}

/// A tracking listing as a table, with a caption.
pub(crate) fn listing_table(listing: &Listing, caption: &str, words: Words) -> String {
    let Some(header) = &listing.header else { return String::new() };
    let mut out = format!("<table class=\"listing\">\n<caption>{}</caption>\n<thead><tr>", escape(caption));
    for split in &header.splits {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&words.name(split))));
    }
    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&words.name(&header.time))));
    for column in &header.columns {
        out.push_str(&format!("<th scope=\"col\" class=\"n\">{}</th>", escape(&words.name(&column.name))));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let cells = |out: &mut String, values: &[Value]| {
        for (column, value) in header.columns.iter().zip(values) {
            let class = match value {
                Value::Text(t) => format!("status {}", status_class(t)),
                _ => "n".to_string(),
            };
            out.push_str(&format!(
                "<td class=\"{class}\" data-col=\"{}\">{}</td>",
                escape(&column.name),
                escape(&shown(value, words))
            ));
        }
    };
    for row in &listing.rows {
        out.push_str("<tr>");
        for member in &row.members {
            out.push_str(&format!("<th scope=\"row\" class=\"key\">{}</th>", escape(member)));
        }
        out.push_str(&format!("<th scope=\"row\" class=\"period\">{}</th>", escape(&row.period)));
        cells(&mut out, &row.values);
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n<tfoot><tr class=\"total\">");
    out.push_str(&format!(
        "<th scope=\"row\" colspan=\"{}\">{}</th>",
        header.splits.len() + 1,
        escape(words.labels.total())
    ));
    cells(&mut out, &listing.totals);
    out.push_str("</tr></tfoot>\n</table>\n");
    out
}
