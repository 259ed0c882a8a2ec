//! Stage `render`: the terminal table, for people. A pivot with members down
//! the side and periods across, row and column totals, thousands
//! separators, and the plan's currency in the title.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use rust_decimal::Decimal;

use crate::engine::{ColumnKind, Listing, Pivot, PivotRow, Pivots, Value};
use crate::plan::thousands;

/// Period columns that still fit beside the members on a wide terminal.
const MAX_ACROSS: usize = 13;

/// Formats a finished pivot as text (ends with a newline). Members go down
/// the side and periods across; when there are too many periods to read
/// across (weeks, days) the table turns, periods down the side and members
/// across; when both are many, it becomes a long table, one line per cell.
pub fn render_table(pivot: &Pivot) -> String {
    let Some(h) = &pivot.header else { return String::new() };
    let column = h.columns.get(pivot.column);
    let metric = column.map(|c| c.name.as_str()).unwrap_or("");
    let money = column.is_some_and(|c| c.kind == ColumnKind::Amount);
    let currency = if h.currency.is_empty() || !money { String::new() } else { format!(" ({})", h.currency) };
    let mut out = format!("{} — {metric}{currency}, by {}\n", h.plan, by_words(&h.splits, &h.time));
    let table = if pivot.periods.len() <= MAX_ACROSS {
        across(pivot, &h.splits, metric)
    } else if pivot.rows.len() <= MAX_ACROSS {
        down(pivot, metric)
    } else {
        long(pivot, &h.splits, metric)
    };
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

/// Formats every pivot of a run, one after another, then each level's value
/// per period on one line.
pub fn render_tables(pivots: &Pivots) -> String {
    let mut parts: Vec<String> = pivots.pivots.iter().map(render_table).collect();
    for row in &pivots.levels {
        let values: Vec<String> = row.values.iter().map(|(label, v)| format!("{label} {}", shown(v))).collect();
        parts.push(format!("{} (a level: every member has it) — {}\n", row.name, values.join(" · ")));
    }
    parts.join("\n")
}

fn new_table(head: Vec<String>, numbers_from: usize) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
    let columns = head.len();
    table.set_header(head);
    for i in numbers_from..columns {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

fn side_names(splits: &[String], metric: &str) -> Vec<String> {
    if splits.is_empty() {
        vec![metric.to_string()]
    } else {
        splits.to_vec()
    }
}

fn row_names(row: &PivotRow, metric: &str) -> Vec<String> {
    if row.members.is_empty() {
        vec![metric.to_string()]
    } else {
        row.members.clone()
    }
}

fn amount(value: &Option<Decimal>) -> String {
    value.map(thousands).unwrap_or_default()
}

/// Members down the side, periods across.
fn across(pivot: &Pivot, splits: &[String], metric: &str) -> Table {
    let side = side_names(splits, metric);
    let many_periods = pivot.periods.len() > 1;
    let mut head = side.clone();
    head.extend(pivot.periods.iter().map(|p| p.label.clone()));
    if many_periods {
        head.push("Total".to_string());
    }
    let mut table = new_table(head, side.len());
    for row in &pivot.rows {
        let mut cells = row_names(row, metric);
        cells.extend(row.values.iter().map(amount));
        if many_periods {
            cells.push(thousands(row.total));
        }
        table.add_row(cells);
    }
    if pivot.rows.len() > 1 {
        let mut cells = vec!["Total".to_string()];
        cells.extend(std::iter::repeat_n(String::new(), side.len() - 1));
        cells.extend(pivot.column_totals.iter().copied().map(thousands));
        if many_periods {
            cells.push(thousands(pivot.total));
        }
        table.add_row(cells);
    }
    table
}

/// Periods down the side, members across.
fn down(pivot: &Pivot, metric: &str) -> Table {
    let many_rows = pivot.rows.len() > 1;
    let mut head = vec!["period".to_string()];
    head.extend(pivot.rows.iter().map(|r| row_names(r, metric).join(" / ")));
    if many_rows {
        head.push("Total".to_string());
    }
    let mut table = new_table(head, 1);
    for (i, period) in pivot.periods.iter().enumerate() {
        let mut cells = vec![period.label.clone()];
        cells.extend(pivot.rows.iter().map(|r| amount(&r.values[i])));
        if many_rows {
            cells.push(thousands(pivot.column_totals[i]));
        }
        table.add_row(cells);
    }
    let mut cells = vec!["Total".to_string()];
    cells.extend(pivot.rows.iter().map(|r| thousands(r.total)));
    if many_rows {
        cells.push(thousands(pivot.total));
    }
    table.add_row(cells);
    table
}

/// One line per cell, and the grand total.
fn long(pivot: &Pivot, splits: &[String], metric: &str) -> Table {
    let side = side_names(splits, metric);
    let mut head = side.clone();
    head.push("period".to_string());
    head.push(metric.to_string());
    let mut table = new_table(head, side.len() + 1);
    for row in &pivot.rows {
        for (period, value) in pivot.periods.iter().zip(&row.values) {
            if value.is_some() {
                let mut cells = row_names(row, metric);
                cells.push(period.label.clone());
                cells.push(amount(value));
                table.add_row(cells);
            }
        }
    }
    let mut cells = vec!["Total".to_string()];
    cells.extend(std::iter::repeat_n(String::new(), side.len()));
    cells.push(thousands(pivot.total));
    table.add_row(cells);
    table
}

/// Formats a finished listing (one line per cell, every column, then the
/// totals) as text ending with a newline.
pub fn render_listing(listing: &Listing) -> String {
    let Some(h) = &listing.header else { return String::new() };
    let currency = if h.currency.is_empty() { String::new() } else { format!(" ({})", h.currency) };
    let mut out = format!("{} — {}{currency}, by {}\n", h.plan, h.metrics.join(", "), by_words(&h.splits, &h.time));
    let mut head: Vec<String> = h.splits.clone();
    head.push("period".to_string());
    head.extend(h.columns.iter().map(|c| c.name.clone()));
    let mut table = new_table(head, h.splits.len() + 1);
    for (i, column) in h.columns.iter().enumerate() {
        if column.kind == ColumnKind::Text {
            if let Some(col) = table.column_mut(h.splits.len() + 1 + i) {
                col.set_cell_alignment(CellAlignment::Left);
            }
        }
    }
    for row in &listing.rows {
        let mut cells = row.members.clone();
        cells.push(row.period.clone());
        cells.extend(row.values.iter().map(shown));
        table.add_row(cells);
    }
    if !listing.totals.is_empty() {
        let mut cells = vec!["Total".to_string()];
        cells.extend(std::iter::repeat_n(String::new(), h.splits.len()));
        cells.extend(listing.totals.iter().map(shown));
        table.add_row(cells);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

/// A value for people: amounts with separators, ratios as percentages.
fn shown(value: &Value) -> String {
    match value {
        Value::Amount(d) => thousands(*d),
        Value::Ratio(r) => format!("{}%", (r * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2).normalize()),
        Value::Text(t) => t.to_string(),
        Value::Missing => "–".to_string(),
    }
}

fn by_words(splits: &[String], level: &str) -> String {
    let mut words: Vec<&str> = splits.iter().map(String::as_str).collect();
    words.push(level);
    words.join(" × ")
}
