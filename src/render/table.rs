//! Stage `render`: the terminal table, for people. A crosstab with members
//! down the side and periods across (or what `--rows`/`--cols` ask), row and
//! column totals, each row's share of its parent with a small bar,
//! thousands separators, the plan's currency (or `--unit`) in the title, and
//! a layout that fits the terminal. Everything shown was computed by the
//! engine, figures in a display unit included (rounded there so that the
//! table adds up as shown; a line under the table says so); this only
//! formats. Every text — the title, names, labels — goes through
//! [`terminal_text::shown`]: escape sequences and control characters in a
//! member's name are shown escaped, never sent to the terminal, and a very
//! long name is shortened.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};
use rust_decimal::Decimal;

use super::{DisplayUnit, Labels, TableShape};
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
        let values: Vec<String> = row.values.iter().map(|(label, v)| format!("{label} {}", shown(v))).collect();
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
    let mut out = wrapped(&safe(&title), style.width);
    let (shape, table) = laid_out(t, metric, style);
    let listed = shape == TableShape::Listed;
    out.push_str(&table.to_string());
    out.push('\n');
    if let (Some(u), Some(shown)) = (unit, &t.shown) {
        let hidden = if listed { shown.hidden_in_list } else { shown.hidden };
        let note = unit_note(&u.name, shown, hidden, "every row and column adds up");
        if !note.is_empty() {
            out.push_str(&wrapped(&note, style.width));
        }
    }
    out
}

/// How each table of a run is laid out at the style's width, in the order
/// of [`render_tables`]: the cli asks this to choose a breakdown that fits.
pub fn table_shapes(pivots: &Pivots, style: &TableStyle) -> Vec<TableShape> {
    pivots
        .tables
        .iter()
        .filter(|t| t.header.is_some())
        .map(|t| {
            let metric = t.header.as_ref().and_then(|h| h.columns.get(t.column)).map_or("", |c| c.name.as_str());
            laid_out(t, metric, style).0
        })
        .collect()
}

/// A crosstab's table at the style's width: across if it fits (and has at
/// most [`MAX_ACROSS`] columns), else turned if that fits, else one line per cell.
fn laid_out(t: &Crosstab, metric: &str, style: &TableStyle) -> (TableShape, Table) {
    let fits = |table: &Table| style.width.is_none_or(|w| display_width(&table.to_string()) <= w);
    let f = Figures { unit: None, color: style.color };
    if t.columns.len() <= MAX_ACROSS {
        let table = across(t, metric, &f);
        if fits(&table) {
            return (TableShape::Across, table);
        }
    }
    if t.rows.len() <= MAX_ACROSS {
        let table = down(t, metric, &f);
        if fits(&table) {
            return (TableShape::Turned, table);
        }
    }
    (TableShape::Listed, long(t, metric, &f))
}

/// The one line under a table whose breakdown was chosen to fit the
/// terminal (the user named none): what it shows and how to get the full
/// breakdown (`full`, as `--by` takes it). Shortened, then wrapped, when
/// the width is narrower than the line.
pub fn fitted_note(shown: &[String], full: &str, width: Option<usize>) -> String {
    let long = format!("note: showing {}; the full breakdown: --by {full} or --format csv", shown.join(" × "));
    let short = format!("note: the full breakdown: --by {full} or --format csv");
    let wide = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let note = if width.is_none_or(|w| wide(&long) <= w) { long } else { short };
    wrapped(&safe(&note), width)
}

/// The note under a table shown in a unit whose figures were rounded: how
/// they add up, and how many (`hidden`, of the figures this layout shows)
/// non-zero figures show as zero; `adds` says what adds up. Empty when no
/// figure needed rounding.
fn unit_note(name: &str, shown: &InUnit, hidden: usize, adds: &str) -> String {
    if shown.rounded == 0 {
        return String::new();
    }
    let mut note = format!("note: figures in {name}, rounded so that {adds} as shown");
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

/// The columns a listing keeps at any width (a tracking report's essentials:
/// with the members and the period, where each cell stands).
const ESSENTIAL: [&str; 4] = ["target_to_date", "actual_to_date", "attainment", "status"];

/// The columns a listing drops first when it is wider than the terminal,
/// in this order; other columns that are not [`ESSENTIAL`] go after them,
/// right to left.
const DROPPED_FIRST: [&str; 5] = ["run_rate", "projected", "remaining", "gap", "target"];

/// Formats a finished listing (one line per cell, every column, then the
/// totals) as text ending with a newline. Wider than the terminal, it drops
/// columns (`run_rate`, `projected`, `remaining`, `gap`, `target`) down to the essential ones, then puts the
/// members in one column (`东北/A/王磊`), and when even that does not fit,
/// lists each cell as a few lines of `name figure`; a note names the columns
/// not shown and how to see them.
pub fn render_listing(listing: &Listing, style: &TableStyle) -> String {
    let Some(h) = &listing.header else { return String::new() };
    // The engine has put the money columns in the unit (`listing.shown`); they are shown as they are.
    let unit = style.unit.as_ref().filter(|_| listing.shown.is_some());
    let currency = match (unit, h.currency.is_empty()) {
        (Some(u), true) => format!(" (in {})", u.name),
        (Some(u), false) => format!(" (in {} {})", u.name, h.currency),
        (None, true) => String::new(),
        (None, false) => format!(" ({})", h.currency),
    };
    let as_of = h.as_of.map(|a| format!(", {}", a.words())).unwrap_or_default();
    let title = format!("{} — {}{currency}, by {}{as_of}", h.plan, h.metrics.join(", "), by_words(&h.splits, &h.time));
    let mut out = wrapped(&safe(&title), style.width);
    let fits = |text: &str| style.width.is_none_or(|w| display_width(text) <= w);
    let mut kept: Vec<usize> = (0..h.columns.len()).collect();
    let mut order = drop_order(h).into_iter();
    let mut text = listing_table(listing, &kept, false, style).to_string();
    while !fits(&text) {
        let Some(next) = order.next() else { break };
        kept.retain(|&k| k != next);
        text = listing_table(listing, &kept, false, style).to_string();
    }
    if !fits(&text) && h.splits.len() > 1 {
        text = listing_table(listing, &kept, true, style).to_string();
    }
    if fits(&text) {
        out.push_str(&text);
        out.push('\n');
    } else {
        kept = (0..h.columns.len()).collect();
        out.push_str(&listing_lines(listing, style));
    }
    let dropped: Vec<&str> =
        h.columns.iter().enumerate().filter(|(i, _)| !kept.contains(i)).map(|(_, c)| c.name.as_str()).collect();
    if !dropped.is_empty() {
        let note = format!(
            "note: not shown, to fit the terminal: {} (a wider terminal or --format csv shows them)",
            dropped.join(", ")
        );
        out.push_str(&wrapped(&safe(&note), style.width));
    }
    if let (Some(u), Some(shown)) = (unit, &listing.shown) {
        let note = unit_note(&u.name, shown, shown.hidden_in_list, "every column adds up to its Total");
        if !note.is_empty() {
            out.push_str(&wrapped(&note, style.width));
        }
    }
    out
}

/// The listing's columns in the order they are dropped to fit a terminal.
fn drop_order(h: &crate::engine::Header) -> Vec<usize> {
    let named = |name: &str| h.columns.iter().position(|c| c.name == name);
    let mut order: Vec<usize> = DROPPED_FIRST.iter().filter_map(|n| named(n)).collect();
    for (i, column) in h.columns.iter().enumerate().rev() {
        if !ESSENTIAL.contains(&column.name.as_str()) && !order.contains(&i) {
            order.push(i);
        }
    }
    order
}

/// A listing's table with the value columns `kept` (indices of the
/// header's columns); `joined` puts the members in one column.
fn listing_table(listing: &Listing, kept: &[usize], joined: bool, style: &TableStyle) -> Table {
    let Some(h) = &listing.header else { return Table::new() };
    let f = Figures { unit: None, color: style.color };
    let mut head: Vec<String> = if joined { vec!["member".to_string()] } else { h.splits.clone() };
    let side = head.len();
    head.push("period".to_string());
    head.extend(kept.iter().map(|&i| h.columns[i].name.clone()));
    let mut table = f.table(&head, side + 1);
    if joined {
        // Narrow: `target_to_date` in two lines, `target` over `to_date`.
        let two_lines =
            |name: &String| Cell::new(name.splitn(2, '_').map(terminal_text::shown).collect::<Vec<_>>().join("\n"));
        table.set_header(head.iter().map(two_lines));
    }
    for (at, &i) in kept.iter().enumerate() {
        if h.columns[i].kind == ColumnKind::Text {
            if let Some(col) = table.column_mut(side + 1 + at) {
                col.set_cell_alignment(CellAlignment::Left);
            }
        }
    }
    for row in &listing.rows {
        let mut cells: Vec<Cell> =
            if joined { vec![text(row.members.join("/"))] } else { row.members.iter().map(text).collect() };
        cells.push(text(&row.period));
        cells.extend(kept.iter().map(|&i| status_cell(shown(&row.values[i]), &row.values[i], style.color)));
        table.add_row(cells);
    }
    if !listing.totals.is_empty() {
        let mut cells = vec![f.total(Labels::of(h.language).total().to_string())];
        cells.extend(std::iter::repeat_n(text(""), side));
        cells.extend(kept.iter().map(|&i| f.total(shown(&listing.totals[i]))));
        table.add_row(cells);
    }
    table
}

/// A listing too wide for any table: each cell as its members and period on
/// one line, then its figures, `name figure`, wrapped at the width.
fn listing_lines(listing: &Listing, style: &TableStyle) -> String {
    let Some(h) = &listing.header else { return String::new() };
    let figures = |values: &[Value]| -> String {
        let parts: Vec<String> =
            h.columns.iter().zip(values).map(|(c, v)| format!("{} {}", c.name, shown(v))).collect();
        let lines = wrapped(&safe(&parts.join(" · ")), style.width.map(|w| w.saturating_sub(2).max(1)));
        lines.lines().flat_map(|l| ["  ", l, "\n"]).collect::<String>()
    };
    let mut out = String::new();
    for row in &listing.rows {
        let mut place = row.members.clone();
        place.push(row.period.clone());
        out.push_str(&wrapped(&safe(&place.join(" / ")), style.width));
        out.push_str(&figures(&row.values));
    }
    if !listing.totals.is_empty() {
        out.push_str("Total\n");
        out.push_str(&figures(&listing.totals));
    }
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
