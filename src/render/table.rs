//! Stage `render`: the terminal table, for people. A pivot with members down
//! the side and periods across, row and column totals, thousands
//! separators, and the plan's currency in the title.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use rust_decimal::Decimal;

use crate::engine::Pivot;

/// Formats a finished pivot as text (ends with a newline).
pub fn render_table(pivot: &Pivot) -> String {
    let Some(h) = &pivot.header else { return String::new() };
    let metric = h.metrics.first().map(String::as_str).unwrap_or("");
    let currency = if h.currency.is_empty() { String::new() } else { format!(" ({})", h.currency) };
    let mut out = format!("{} — {metric}{currency}, by {}\n", h.plan, by_words(&h.splits, h.level.name()));

    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
    let side: Vec<String> = if h.splits.is_empty() { vec![metric.to_string()] } else { h.splits.clone() };
    let many_periods = pivot.periods.len() > 1;
    let mut head: Vec<String> = side.clone();
    head.extend(pivot.periods.iter().map(|p| p.label.clone()));
    if many_periods {
        head.push("Total".to_string());
    }
    table.set_header(head);
    for row in &pivot.rows {
        let mut cells: Vec<String> = if h.splits.is_empty() { vec![metric.to_string()] } else { row.members.clone() };
        cells.extend(row.values.iter().map(|v| v.map(thousands).unwrap_or_default()));
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
    for i in side.len()..side.len() + pivot.periods.len() + usize::from(many_periods) {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

fn by_words(splits: &[String], level: &str) -> String {
    let mut words: Vec<&str> = splits.iter().map(String::as_str).collect();
    words.push(level);
    words.join(" × ")
}

/// An amount with thousands separators, keeping its decimals: `1234567.80` -> `1,234,567.80`.
pub fn thousands(amount: Decimal) -> String {
    let text = amount.to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
    let (whole, frac) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn groups_thousands_and_keeps_decimals() {
        let t = |s: &str| thousands(Decimal::from_str(s).unwrap());
        assert_eq!(t("1234567.80"), "1,234,567.80");
        assert_eq!(t("999"), "999");
        assert_eq!(t("1000"), "1,000");
        assert_eq!(t("0.00"), "0.00");
        assert_eq!(t("-1234.5"), "-1,234.5");
        assert_eq!(t("10000000.00"), "10,000,000.00");
    }
}
