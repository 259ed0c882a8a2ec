//! Stage `render`: the terminal table, for people. A crosstab with members
//! down the side and periods across (or what `--rows`/`--cols` ask), row and
//! column totals, each row's share of its parent with a small bar,
//! thousands separators, the plan's currency (or `--unit`) in the title, and
//! a layout that fits the terminal. Everything shown was computed by the
//! engine, a pivot's figures in a display unit included (rounded there so
//! that the table adds up as shown; a line under the table says so); this
//! only formats. (A listing's figures in a unit are still scaled here, each
//! on its own.) Every
//! text — the title, names, labels — goes through
//! [`terminal_text::shown`]: escape sequences and control characters in a
//! member's name are shown escaped, never sent to the terminal, and a very
//! long name is shortened.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};
use rust_decimal::Decimal;

use super::{DisplayUnit, Labels};
use crate::diagnostic::terminal_text::{self, shown as safe};
use crate::engine::{ColumnKind, CrossRow, Crosstab, InUnit, Listing, Pivots, Value};
use crate::plan::thousands;

/// Columns that still fit beside the members on a wide terminal.
const MAX_ACROSS: usize = 13;

/// Width of the share column's bar, in characters.
const BAR: usize = 10;

/// How a terminal table is drawn: colour, the terminal's width, and the
/// unit money is shown in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableStyle {
    /// Bold totals and coloured statuses (ANSI); off for files, pipes and `NO_COLOR`.
    pub color: bool,
    /// The terminal's width in characters, if known: wider tables turn or
    /// become one line per cell.
    pub width: Option<usize>,
    /// `--unit`: money in 万, k and the like.
    pub unit: Option<DisplayUnit>,
}

/// Formats every table of a run, one after another, then each level's
/// value per period on one line.
pub fn render_tables(pivots: &Pivots, style: &TableStyle) -> String {
    let mut parts: Vec<String> = pivots.tables.iter().map(|t| render_crosstab(t, style)).collect();
    for row in &pivots.levels {
        let values: Vec<String> = row.values.iter().map(|(label, v)| format!("{label} {}", shown(v, None))).collect();
        let line = format!("{} (a level: every member has it) — {}", row.name, values.join(" · "));
        parts.push(format!("{}\n", safe(&line)));
    }
    parts.join("\n")
}

/// Formats one table as text (ends with a newline). Its rows go down the
/// side and its columns across, with a share column when there are several
/// rows; when there are too many columns to read across, or the table is
/// wider than the terminal, it turns (columns down the side); when that does
/// not fit either, it becomes a long table, one line per cell.
pub fn render_crosstab(t: &Crosstab, style: &TableStyle) -> String {
    let Some(h) = &t.header else { return String::new() };
    let column = h.columns.get(t.column);
    let metric = column.map_or("", |c| c.name.as_str());
    let money = column.is_some_and(|c| c.kind == ColumnKind::Amount);
    // The engine has put the figures in the unit (`t.shown`); they are shown as they are.
    let unit = style.unit.as_ref().filter(|_| t.shown.is_some());
    let currency = match (unit, h.currency.is_empty() || !money) {
        (Some(u), true) => format!(" (in {})", u.name),
        (Some(u), false) => format!(" (in {} {})", u.name, h.currency),
        (None, true) => String::new(),
        (None, false) => format!(" ({})", h.currency),
    };
    let mut dims: Vec<String> = t.row_dims.iter().map(|d| t.dim_name(*d)).collect();
    dims.push(t.dim_name(t.col_dim));
    let as_of = h.as_of.map(|a| format!(", {}", a.words())).unwrap_or_default();
    let title = format!("{} — {metric}{currency}, by {}{as_of}", h.plan, dims.join(" × "));
    let mut out = format!("{}\n", safe(&title));
    let fits = |table: &Table| style.width.is_none_or(|w| display_width(&table.to_string()) <= w);
    let f = Figures { unit: None, color: style.color };
    let mut table = None;
    if t.columns.len() <= MAX_ACROSS {
        table = Some(across(t, metric, &f)).filter(|x| fits(x));
    }
    if table.is_none() && t.rows.len() <= MAX_ACROSS {
        table = Some(down(t, metric, &f)).filter(|x| fits(x));
    }
    let listed = table.is_none();
    let table = table.unwrap_or_else(|| long(t, metric, &f));
    out.push_str(&table.to_string());
    out.push('\n');
    if let (Some(u), Some(shown)) = (unit, &t.shown) {
        let note = unit_note(&u.name, shown, if listed { shown.hidden_in_list } else { shown.hidden });
        if !note.is_empty() {
            out.push_str(&wrapped(&note, style.width));
        }
    }
    out
}

/// The note under a table shown in a unit whose figures were rounded: how
/// they add up, and how many (`hidden`, of the figures this layout shows)
/// non-zero figures show as zero. Empty when no figure needed rounding.
fn unit_note(name: &str, shown: &InUnit, hidden: usize) -> String {
    if shown.rounded == 0 {
        return String::new();
    }
    let mut note = format!("note: figures in {name}, rounded so that every row and column adds up as shown");
    if hidden > 0 {
        let zero = thousands(Decimal::new(0, shown.decimals));
        let (figures, show) = if hidden == 1 { ("figure", "shows") } else { ("figures", "show") };
        note.push_str(&format!("; {hidden} non-zero {figures} {show} as {zero} (a smaller --unit shows them)"));
    }
    safe(&note).into_owned()
}

/// How figures are written in one table.
struct Figures<'a> {
    unit: Option<&'a DisplayUnit>,
    color: bool,
}

impl Figures<'_> {
    fn amount(&self, value: Decimal) -> String {
        thousands(self.unit.map_or(value, |u| u.scale(value)))
    }

    fn cell(&self, value: Option<Decimal>) -> String {
        value.map(|v| self.amount(v)).unwrap_or_default()
    }

    /// A total: bold when colour is on.
    fn total(&self, figure: String) -> Cell {
        let cell = text(figure);
        if self.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }

    fn table(&self, head: &[String], numbers_from: usize) -> Table {
        let mut table = new_table(head, numbers_from);
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table
    }
}

/// A cell of text from the plan or its files (a name, a label), safe to
/// show on a terminal; figures pass through unchanged.
fn text(content: impl AsRef<str>) -> Cell {
    Cell::new(terminal_text::shown(content.as_ref()))
}

/// The longest line's width on screen (CJK characters count two; the
/// escape sequences of colour and bold take no room).
fn display_width(text: &str) -> usize {
    text.lines().map(|line| unicode_width::UnicodeWidthStr::width(without_escapes(line).as_str())).max().unwrap_or(0)
}

/// A line without its ANSI escape sequences (`ESC [ ... letter`): what the
/// terminal shows of it.
fn without_escapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` in lines of at most `width` columns on screen, broken at spaces
/// (a word longer than the width keeps its own line); as it is without a width.
fn wrapped(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else { return format!("{text}\n") };
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let wide = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        if !line.is_empty() && wide(&line) + 1 + wide(word) > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

fn new_table(head: &[String], numbers_from: usize) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
    let columns = head.len();
    table.set_header(head.iter().map(text));
    for i in numbers_from..columns {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// The labels of a table's run (the plan's language).
fn labels(t: &Crosstab) -> Labels {
    Labels::of(t.header.as_ref().map(|h| h.language).unwrap_or_default())
}

/// A dimension's name in the plan's language (`region` 区域, `month` 月份).
fn dim_label(t: &Crosstab, dim: crate::engine::Dim) -> String {
    labels(t).name(&t.dim_name(dim))
}

/// The names down the side: the row dimensions, or the metric for a table
/// of one row with none.
fn side_names(t: &Crosstab, metric: &str) -> Vec<String> {
    if t.row_dims.is_empty() {
        vec![metric.to_string()]
    } else {
        t.row_dims.iter().map(|d| dim_label(t, *d)).collect()
    }
}

fn row_names(row: &CrossRow, metric: &str) -> Vec<String> {
    if row.keys.is_empty() {
        vec![metric.to_string()]
    } else {
        row.keys.clone()
    }
}

/// A share as a percentage and a small bar: `37.50% ███▊`.
fn share(share: Option<Decimal>) -> String {
    let Some(s) = share else { return String::new() };
    let percent = (s * Decimal::ONE_HUNDRED).round_dp(2);
    let eighths = (s.clamp(Decimal::ZERO, Decimal::ONE) * Decimal::from(BAR * 8)).round();
    let eighths = usize::try_from(eighths.mantissa() / 10i128.pow(eighths.scale())).unwrap_or(0);
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8];
    format!("{percent:.2}% {}{partial}", "█".repeat(eighths / 8))
}

/// Rows down the side, columns across; totals; each row's share of its parent.
fn across(t: &Crosstab, metric: &str, f: &Figures<'_>) -> Table {
    let side = side_names(t, metric);
    let many_columns = t.columns.len() > 1;
    let shares = t.rows.len() > 1;
    let mut head = side.clone();
    head.extend(t.columns.iter().cloned());
    if many_columns {
        head.push(labels(t).total().to_string());
    }
    if shares {
        head.push(labels(t).name("share"));
    }
    let mut table = f.table(&head, side.len());
    if shares {
        if let Some(col) = table.column_mut(side.len() + t.columns.len() + usize::from(many_columns)) {
            col.set_cell_alignment(CellAlignment::Left);
        }
    }
    for row in &t.rows {
        let mut cells: Vec<Cell> = row_names(row, metric).into_iter().map(text).collect();
        cells.extend(row.values.iter().map(|v| text(f.cell(*v))));
        if many_columns {
            cells.push(f.total(f.amount(row.total)));
        }
        if shares {
            cells.push(text(share(row.share)));
        }
        table.add_row(cells);
    }
    if t.rows.len() > 1 {
        let mut cells = vec![f.total(labels(t).total().to_string())];
        cells.extend(std::iter::repeat_n(text(""), side.len() - 1));
        cells.extend(t.column_totals.iter().map(|v| f.total(f.amount(*v))));
        if many_columns {
            cells.push(f.total(f.amount(t.total)));
        }
        if shares {
            cells.push(text(""));
        }
        table.add_row(cells);
    }
    table
}

/// Columns down the side, rows across.
fn down(t: &Crosstab, metric: &str, f: &Figures<'_>) -> Table {
    let many_rows = t.rows.len() > 1;
    let mut head = vec![dim_label(t, t.col_dim)];
    head.extend(t.rows.iter().map(|r| row_names(r, metric).join(" / ")));
    if many_rows {
        head.push(labels(t).total().to_string());
    }
    let mut table = f.table(&head, 1);
    for (i, label) in t.columns.iter().enumerate() {
        let mut cells = vec![text(label)];
        cells.extend(t.rows.iter().map(|r| text(f.cell(r.values[i]))));
        if many_rows {
            cells.push(f.total(f.amount(t.column_totals[i])));
        }
        table.add_row(cells);
    }
    let mut cells = vec![f.total(labels(t).total().to_string())];
    cells.extend(t.rows.iter().map(|r| f.total(f.amount(r.total))));
    if many_rows {
        cells.push(f.total(f.amount(t.total)));
    }
    table.add_row(cells);
    table
}

/// One line per cell, and the grand total.
fn long(t: &Crosstab, metric: &str, f: &Figures<'_>) -> Table {
    let side = side_names(t, metric);
    let mut head = side.clone();
    head.push(dim_label(t, t.col_dim));
    head.push(metric.to_string());
    let mut table = f.table(&head, side.len() + 1);
    for row in &t.rows {
        for (label, value) in t.columns.iter().zip(&row.values) {
            if value.is_some() {
                let mut cells: Vec<Cell> = row_names(row, metric).iter().map(text).collect();
                cells.push(text(label));
                cells.push(text(f.cell(*value)));
                table.add_row(cells);
            }
        }
    }
    let mut cells = vec![f.total(labels(t).total().to_string())];
    cells.extend(std::iter::repeat_n(text(""), side.len()));
    cells.push(f.total(f.amount(t.total)));
    table.add_row(cells);
    table
}

/// Formats a finished listing (one line per cell, every column, then the
/// totals) as text ending with a newline.
pub fn render_listing(listing: &Listing, style: &TableStyle) -> String {
    let Some(h) = &listing.header else { return String::new() };
    let unit = style.unit.as_ref();
    let currency = match (unit, h.currency.is_empty()) {
        (Some(u), true) => format!(" (in {})", u.name),
        (Some(u), false) => format!(" (in {} {})", u.name, h.currency),
        (None, true) => String::new(),
        (None, false) => format!(" ({})", h.currency),
    };
    let f = Figures { unit, color: style.color };
    let as_of = h.as_of.map(|a| format!(", {}", a.words())).unwrap_or_default();
    let title = format!("{} — {}{currency}, by {}{as_of}", h.plan, h.metrics.join(", "), by_words(&h.splits, &h.time));
    let mut out = format!("{}\n", safe(&title));
    let mut head: Vec<String> = h.splits.clone();
    head.push("period".to_string());
    head.extend(h.columns.iter().map(|c| c.name.clone()));
    let mut table = f.table(&head, h.splits.len() + 1);
    for (i, column) in h.columns.iter().enumerate() {
        if column.kind == ColumnKind::Text {
            if let Some(col) = table.column_mut(h.splits.len() + 1 + i) {
                col.set_cell_alignment(CellAlignment::Left);
            }
        }
    }
    let scaled = |i: usize| unit.filter(|_| h.columns.get(i).is_some_and(|c| c.kind == ColumnKind::Amount));
    for row in &listing.rows {
        let mut cells: Vec<Cell> = row.members.iter().map(text).collect();
        cells.push(text(&row.period));
        cells.extend(row.values.iter().enumerate().map(|(i, v)| status_cell(shown(v, scaled(i)), v, style.color)));
        table.add_row(cells);
    }
    if !listing.totals.is_empty() {
        let mut cells = vec![f.total(Labels::of(h.language).total().to_string())];
        cells.extend(std::iter::repeat_n(text(""), h.splits.len()));
        cells.extend(listing.totals.iter().enumerate().map(|(i, v)| f.total(shown(v, scaled(i)))));
        table.add_row(cells);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

/// A tracking status in colour: behind red, ahead green.
fn status_cell(shown: String, value: &Value, color: bool) -> Cell {
    let cell = text(shown);
    match value {
        Value::Text("behind") if color => cell.fg(Color::Red),
        Value::Text("ahead") if color => cell.fg(Color::Green),
        _ => cell,
    }
}

/// A value for people: amounts with separators (in `unit` if given),
/// ratios as percentages.
fn shown(value: &Value, unit: Option<&DisplayUnit>) -> String {
    match value {
        Value::Amount(d) => thousands(unit.map_or(*d, |u| u.scale(*d))),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_take_no_room() {
        assert_eq!(display_width("\u{1b}[1m华东\u{1b}[0m ┆ 1.00"), 11);
        assert_eq!(without_escapes("a\u{1b}[38;5;9mb\u{1b}[0m"), "ab");
    }

    #[test]
    fn a_note_wraps_at_words() {
        assert_eq!(
            wrapped("note: figures in 万, rounded", Some(20)),
            "note: figures in 万,\nrounded\n",
            "万 is two wide"
        );
        assert_eq!(wrapped("note: figures in 万, rounded", None), "note: figures in 万, rounded\n");
        assert_eq!(wrapped("a verylongword b", Some(4)), "a\nverylongword\nb\n");
    }
}
