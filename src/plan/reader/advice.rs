//! Stage `plan`, every phase: the wording of `help:` lines that many keys
//! share — how to write a table, a percentage, a TOML key or string, and
//! what fixes a TOML syntax error.

use chrono::Weekday;
use rust_decimal::Decimal;

use crate::diagnostic::{name_list, suggest};

/// What to write instead of a bare number where a percentage belongs:
/// `0.9` as a fraction is `"90%"` (or `"0.9%"` if it means 0.9 percent);
/// `5` is `"5%"`. `write` shows a value in place (`tolerance = "90%"`).
pub(super) fn bare_percent_help(d: Decimal, write: impl Fn(&str) -> String) -> String {
    let plain = d.normalize();
    match d.checked_mul(Decimal::ONE_HUNDRED) {
        Some(scaled) if !d.is_zero() && d.abs() < Decimal::ONE => format!(
            "write it as a percentage in quotes: `{}` ({plain} as a fraction), or `{}` if you mean {plain} percent",
            write(&format!("\"{}%\"", scaled.normalize())),
            write(&format!("\"{plain}%\""))
        ),
        _ => format!("write it as a percentage in quotes: `{}`", write(&format!("\"{plain}%\""))),
    }
}

/// What a table named `what` (as [`Reader::table`](super::Reader::table) names it) looks like when
/// written right: every snippet in backticks is TOML that parses.
pub(super) fn table_help(what: &str) -> String {
    let keys =
        |example: &str| format!("write {what} as a table: a line `{what}` with its keys below it, e.g. `{example}`");
    match what {
        "[plan]" => keys("year = 2026"),
        "[target]" => keys("sales = 10_000_000"),
        "[time]" => keys("spread = \"workdays\""),
        "[track]" => keys("tolerance = \"5%\""),
        "[funnel]" => keys("deal_size = 10_000"),
        "[time.days]" => keys("\"2026-11-11\" = 5"),
        "[time.fixed]" => keys("\"2026-02\" = 500_000"),
        "[[split]]" => "write each split as a `[[split]]` table with its keys below it, e.g. `by = \"region\"`".to_string(),
        "[[time.slots]]" => {
            "write each slot as a `[[time.slots]]` table with `name = \"10:00-14:00\"` and `share = \"30%\"` below it".to_string()
        }
        "a stage" => "write each stage as a table, e.g. `{ name = \"calls\", rate = \"20%\" }`".to_string(),
        "where" => "write the members that need activities as a table, e.g. `where = { source = \"new\" }`".to_string(),
        "path" => "write the levels by period as a table, e.g. `path = { \"2026-Q1\" = \"4.5%\", \"2026-Q2\" = \"5%\" }`".to_string(),
        "growth" => "write the growth per member as a table, e.g. `growth = { \"East\" = \"20%\" }`".to_string(),
        "weights" => "write the weights as a table, e.g. `weights = { A = 1, B = 2 }`".to_string(),
        "fixed" => "write the fixed amounts as a table, e.g. `fixed = { \"Key account\" = 6_000_000 }`".to_string(),
        "weekdays" => "write the weekday coefficients as a table, e.g. `weekdays = { fri = 1.2, sat = 1.5, sun = 1.8 }`".to_string(),
        "within" => {
            "write one table per member of the split before, e.g. `[split.within.\"East\"]` with `weights = { A = 1, B = 2 }` below it".to_string()
        }
        w if w.starts_with("within.") => {
            let parent = &w["within.".len()..];
            format!("write the members under {parent} as a table, e.g. `within.{parent} = {{ weights = {{ A = 1, B = 2 }} }}`")
        }
        w if w.starts_with('[') => keys("quarters = [20, 30, 40, 10]"),
        _ => format!("write {what} as a table of keys and values, e.g. `{{ A = 1, B = 2 }}`"),
    }
}

/// A TOML key as it must be written: bare when it is only A-Z a-z 0-9 - _,
/// else in quotes (`东北` is written `"东北"`).
pub(super) fn toml_key(name: &str) -> String {
    let bare = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        name.to_string()
    } else {
        toml_string(name)
    }
}

/// Text as a TOML basic string, in quotes, with `"` and `\` escaped.
pub(super) fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A weekday's name in full, for messages.
pub(super) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

pub(super) fn did_you_mean(word: &str, allowed: &[&str]) -> String {
    match suggest(word, allowed.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("write one of: {}", name_list(allowed)),
    }
}

/// What would fix a TOML syntax error, from the parser's message and the
/// text at the caret (`at`, a byte offset into `text`).
pub(super) fn syntax_help(message: &str, text: &str, at: usize) -> String {
    if message.contains("invalid unquoted key") {
        if let Some(fix) = quote_key_help(text, at) {
            return fix;
        }
    }
    if message.contains("duplicate key") {
        return "a key may appear once in a table; remove or rename one of the two".to_string();
    }
    if message.contains("max recursion depth") {
        return "a plan nests lists and tables a few levels deep at most: remove the extra `[` and `{` where the \
                caret points"
            .to_string();
    }
    if message.contains("string values must be quoted") {
        return "write a value after `=`: a number such as 10_000_000, or text in quotes such as \"East\"".to_string();
    }
    match message.rsplit_once("expected ") {
        Some((_, token)) if token.starts_with('`') && token.ends_with('`') && token.matches('`').count() == 2 => {
            format!("add the missing {token} where the caret points")
        }
        _ => "fix the syntax where the caret points; a plan is a TOML file (https://toml.io)".to_string(),
    }
}

/// For a key that TOML only takes in quotes (`东北 = 1`, which almost every
/// Chinese plan has at first): the key at the caret, quoted, with its value.
fn quote_key_help(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let stop = |c: char| c.is_whitespace() || matches!(c, '=' | '.' | ',' | '{' | '}' | '[' | ']' | '"' | '\'' | '#');
    let key: &str = &rest[..rest.find(stop).unwrap_or(rest.len())];
    if key.is_empty() {
        return None;
    }
    let after = rest[key.len()..].trim_start_matches([' ', '\t']);
    // The value as written, up to the end of the inline table's entry or the line.
    let value = after.strip_prefix('=').map(|v| {
        let v = v.trim_start_matches([' ', '\t']);
        let end = v.find([',', '}', '\n', '\r', '#']).unwrap_or(v.len());
        v[..end].trim_end()
    });
    let quoted = toml_key(key);
    let shown = match value {
        // Only show the value when it is TOML on its own (a number, a string, a word such as true).
        Some(v) if !v.is_empty() && toml::from_str::<toml::Table>(&format!("x = {v}")).is_ok() => {
            format!("{quoted} = {v}")
        }
        _ => quoted,
    };
    Some(format!("TOML keys other than A-Z a-z 0-9 - _ must be quoted: write `{shown}`, and so every such key"))
}
