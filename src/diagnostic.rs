//! Cross-stage: one problem found in an input file, rendered the way a
//! compiler would show it (file, line, column, the line itself, a caret, the
//! arithmetic and a fix). Every stage reports bad input through this type so
//! that users see one consistent format.
//!
//! Whatever a diagnostic quotes from an input is shown through
//! [`terminal_text`]: control characters and escape sequences escaped, long
//! names and lines shortened (the caret still under what it points at).

pub mod code;
pub mod sheet_place;
pub mod terminal_text;

use std::fmt;

pub use code::Code;
pub use sheet_place::SheetPlace;
use terminal_text::{escaped, shown, ShownLine};

/// Where a problem is: a file, a 1-based line, and optionally the byte range
/// of the offending text inside that line (for the caret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (`plan.toml`, `reps.csv`).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column in characters, when the problem has a position in the line.
    pub column: Option<usize>,
    /// The whole text of that line (without its line break).
    pub line_text: String,
    /// Byte range inside `line_text` to underline; empty when there is no caret.
    pub underline: std::ops::Range<usize>,
    /// CSV files say `reps.csv line 7`; TOML files say `plan.toml:12:9`.
    pub style: LocationStyle,
    /// The sheet, for a row of a workbook: it says `reps.xlsx [华东] B7`,
    /// `line` being the sheet's row.
    pub sheet: Option<SheetPlace>,
}

/// How a location is written in the `-->` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocationStyle {
    /// `plan.toml:12:9`
    Colon,
    /// `reps.csv line 7`
    Line,
}

impl Location {
    /// The location of byte range `span` of `text`, a file named `file`.
    /// A span that runs over several lines is underlined to the end of its first line.
    pub fn from_span(file: &str, text: &str, span: std::ops::Range<usize>) -> Location {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        // A span may start on the line's `\r`, which `line_text` leaves out.
        let from = floor_char_boundary(line_text, (start - line_start).min(line_text.len()));
        let to = floor_char_boundary(line_text, span.end.saturating_sub(line_start).min(line_text.len())).max(from);
        Location {
            file: file.to_string(),
            line,
            column: Some(column),
            line_text: line_text.to_string(),
            underline: from..to,
            style: LocationStyle::Colon,
            sheet: None,
        }
    }

    /// A whole line of a CSV file (1-based), with the byte range of a field to underline.
    pub fn csv_line(file: &str, line: usize, line_text: &str, underline: std::ops::Range<usize>) -> Location {
        let line_text = line_text.trim_end_matches(['\r', '\n']);
        let end = underline.end.min(line_text.len());
        let start = underline.start.min(end);
        Location {
            file: file.to_string(),
            line,
            column: None,
            line_text: line_text.to_string(),
            underline: start..end,
            style: LocationStyle::Line,
            sheet: None,
        }
    }

    /// The same place on sheet `sheet` of a workbook (`None`: a CSV file's line, as it is).
    #[must_use]
    pub fn in_sheet(mut self, sheet: Option<&SheetPlace>) -> Location {
        self.sheet = sheet.cloned();
        self
    }

    /// A file as a whole, with no line to point at.
    pub fn file(file: &str) -> Location {
        Location {
            file: file.to_string(),
            line: 0,
            column: None,
            line_text: String::new(),
            underline: 0..0,
            style: LocationStyle::Line,
            sheet: None,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem with an input: what is wrong, where, the arithmetic behind it
/// and what would fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// One sentence: what is wrong.
    pub message: String,
    /// Where, when the problem has a place in a file.
    pub location: Option<Location>,
    /// Supporting facts, such as the sum that does not add up.
    pub notes: Vec<String>,
    /// What would fix it.
    pub help: Option<String>,
    /// The kind of problem, with its stable id.
    pub code: Code,
    /// Whether this stops the run (an error) or only deserves a second look.
    pub severity: Severity,
}

/// Whether a diagnostic stops the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Stops the run: nothing is computed; printed as `error[E0301]:`.
    Error,
    /// Something to look at twice that does not stop the run; printed as `warning[W0102]:`.
    Warning,
}

impl Diagnostic {
    /// A problem of kind `code` with no place yet; add one with
    /// [`Diagnostic::at`]. Its severity is the code's: a `W` code is a
    /// warning, which does not stop the run.
    pub fn new(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            location: None,
            notes: Vec::new(),
            help: None,
            code,
            severity: code.severity(),
        }
    }

    /// Whether this is a warning, which does not stop the run.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// Sets where the problem is.
    #[must_use]
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Adds a supporting fact (`30% + 40% + 25% = 95%`).
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets what would fix it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

/// A diagnostic travels through an `std::io::Error` from a sink (a workbook
/// that cannot hold a figure) to the command line, which shows it as it is.
impl std::error::Error for Diagnostic {}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{kind}[{}]: {}", self.code.id(), shown(&self.message))?;
        let mut gutter = 1;
        if let Some(loc) = &self.location {
            let number = loc.line.to_string();
            gutter = number.len() + 1;
            let pad = " ".repeat(gutter);
            let file = escaped(&loc.file);
            match (loc.style, loc.line, loc.column) {
                (_, 0, _) => writeln!(f, "{pad}--> {file}")?,
                (_, line, _) if loc.sheet.is_some() => {
                    let sheet = loc.sheet.as_ref().expect("a sheet");
                    let cell = sheet.cell(line, &loc.line_text, &loc.underline);
                    writeln!(f, "{pad}--> {file} [{}] {cell}", escaped(&sheet.name))?;
                }
                (LocationStyle::Colon, line, Some(col)) => writeln!(f, "{pad}--> {file}:{line}:{col}")?,
                (_, line, _) => writeln!(f, "{pad}--> {file} line {line}")?,
            }
            if loc.line > 0 {
                // Escaped and, when long, cut around the caret: the caret is
                // worked out on the line as shown.
                let line = ShownLine::new(&loc.line_text, loc.underline.clone());
                writeln!(f, "{pad}|")?;
                writeln!(f, "{number} | {}", line.text)?;
                // An empty range with a column points between characters (a
                // missing `}` at the end of a line, an empty CSV field): one caret.
                if !loc.underline.is_empty() || loc.column.is_some() {
                    writeln!(f, "{pad}| {}{}", " ".repeat(line.caret_at), "^".repeat(line.caret_width))?;
                }
            }
        }
        let pad = " ".repeat(gutter);
        for note in &self.notes {
            writeln!(f, "{pad}= note: {}", shown(note))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad}= help: {}", shown(help))?;
        }
        Ok(())
    }
}

/// The allowed word `word` most likely stands for, if one is close enough
/// to be a slip rather than another name (`wieghts` -> `weights`), for "did
/// you mean" help. In order: the same word in another case (`s` -> `S`);
/// then, among words of the same script (a Latin typo never suggests a
/// Chinese name, nor the other way round), the nearest close one:
///
/// * Latin and other alphabets: at most one edit in three characters (none
///   for words of one or two characters, where one edit is another word);
/// * Chinese, Japanese and Korean, where each character is a word of its
///   own: the same characters in another order (`北华` -> `华北`), one name
///   inside the other (`华东区` -> `华东`), or one character off in a name of
///   five or more. `西南` is not a slip for `华南`: it is another region, so
///   nothing is suggested and the caller lists the names instead (see
///   [`name_list`]).
///
/// Ties go to the word written first.
pub fn suggest<'w>(word: &str, allowed: impl Iterator<Item = &'w str>) -> Option<&'w str> {
    let word = word.trim();
    let lower = word.to_lowercase();
    let cjk = is_cjk(word);
    let mut best: Option<(usize, &'w str)> = None;
    for a in allowed {
        let a_lower = a.to_lowercase();
        if a_lower == lower {
            return Some(a);
        }
        if word.is_empty() || is_cjk(a) != cjk {
            continue;
        }
        let d = strsim::damerau_levenshtein(&lower, &a_lower);
        let close = if cjk { cjk_close(&lower, &a_lower, d) } else { d <= latin_budget(a_lower.chars().count()) };
        if close && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, a));
        }
    }
    best.map(|(_, a)| a)
}

/// Edits a Latin-script word of `len` characters may be off by and still
/// be a slip: one in three, none in a word of one or two characters.
fn latin_budget(len: usize) -> usize {
    if len < 3 {
        0
    } else {
        (len / 3).max(1)
    }
}

/// Whether two CJK names `d` edits apart are one name slipped, not two names.
fn cjk_close(word: &str, name: &str, d: usize) -> bool {
    let (w, n) = (word.chars().count(), name.chars().count());
    let mut sorted_w: Vec<char> = word.chars().collect();
    let mut sorted_n: Vec<char> = name.chars().collect();
    sorted_w.sort_unstable();
    sorted_n.sort_unstable();
    let reordered = sorted_w == sorted_n;
    let inside = w.min(n) >= 2 && (word.contains(name) || name.contains(word));
    reordered || inside || (n >= 5 && d <= 1)
}

/// Whether text is written in Chinese, Japanese or Korean (any character of
/// those scripts makes it so).
fn is_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x2E80..=0x2FDF      // CJK radicals
            | 0x3040..=0x30FF    // Hiragana, Katakana
            | 0x3400..=0x4DBF    // CJK Extension A
            | 0x4E00..=0x9FFF    // CJK Unified Ideographs
            | 0xAC00..=0xD7AF    // Hangul syllables
            | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
            | 0x20000..=0x3134F) // CJK Extensions B to G
    })
}

/// How many names [`name_list`] shows before it says how many more there are.
pub const NAMES_SHOWN: usize = 10;

/// Names for a help line, in order: all of them when there are few
/// (`东北, 华北, 华东`), else the first [`NAMES_SHOWN`] and how many more
/// (`A1, A2, … A10 and 49,990 more`).
pub fn name_list(names: &[&str]) -> String {
    if names.len() <= NAMES_SHOWN + 1 {
        return names.join(", ");
    }
    let more = crate::plan::thousands(rust_decimal::Decimal::from(names.len() - NAMES_SHOWN));
    format!("{} and {more} more", names[..NAMES_SHOWN].join(", "))
}

/// Why text shaped like a date (`2026-11-31`, `2026-13-01`) is not one:
/// the month has fewer days, or there is no such month. `None` for text of
/// another shape, or a real date.
pub fn why_not_a_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else { return None };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (year, month, day) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}; months run from 01 to 12"));
    }
    let first = chrono::NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    let days = (next - first).num_days();
    if day == 0 || i64::from(day) > days {
        return Some(format!("{year}-{month:02} has {days} days"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_why_a_date_shaped_text_is_not_a_date() {
        assert_eq!(why_not_a_date("2026-11-31").as_deref(), Some("2026-11 has 30 days"));
        assert_eq!(why_not_a_date("2026-02-29").as_deref(), Some("2026-02 has 28 days"));
        assert_eq!(why_not_a_date("2026-13-01").as_deref(), Some("there is no month 13; months run from 01 to 12"));
        assert_eq!(why_not_a_date("2028-02-29"), None);
        assert_eq!(why_not_a_date("11-11"), None);
        assert_eq!(why_not_a_date("2026/11/11"), None);
    }

    #[test]
    fn renders_line_column_and_caret_under_wide_characters() {
        let text = "[plan]\nname = \"计划\"\nyear = 20x6\n";
        let span = text.find("20x6").unwrap();
        let d = Diagnostic::new(Code::NotANumber, "bad year")
            .at(Location::from_span("plan.toml", text, span..span + 4))
            .note("a note")
            .help("write a year such as 2026");
        assert_eq!(
            d.to_string(),
            "error[E0201]: bad year\n  --> plan.toml:3:8\n  |\n3 | year = 20x6\n  |        ^^^^\n  = note: a note\n  = help: write a year such as 2026\n"
        );
        let span = text.find('"').unwrap();
        let loc = Location::from_span("plan.toml", text, span..span + 8);
        assert_eq!((loc.line, loc.column), (2, Some(8)));
        let shown = Diagnostic::new(Code::NotANumber, "x").at(loc).to_string();
        // Two CJK characters are four columns wide, plus two quotes.
        assert!(shown.ends_with("2 | name = \"计划\"\n  |        ^^^^^^\n"), "{shown}");
    }

    #[test]
    fn an_empty_span_at_the_end_of_a_line_still_gets_a_caret() {
        let text = "[plan]\nweights = { A = 1\n";
        let end = text.find("1\n").unwrap() + 1;
        let d = Diagnostic::new(Code::TomlSyntax, "unclosed").at(Location::from_span("plan.toml", text, end..end));
        assert_eq!(
            d.to_string(),
            "error[E0101]: unclosed\n  --> plan.toml:2:18\n  |\n2 | weights = { A = 1\n  |                  ^\n"
        );
    }

    #[test]
    fn suggests_a_slip_of_the_same_script_only() {
        let regions = ["东北", "华北", "华东", "华南", "华中"];
        // Another case of the same name comes first, before any nearer spelling.
        assert_eq!(suggest("s", ["N", "S", "E"].into_iter()), Some("S"));
        assert_eq!(suggest("EAST", ["West", "East"].into_iter()), Some("East"));
        // A one-letter name is never a slip for another one.
        assert_eq!(suggest("s", ["N", "E", "W"].into_iter()), None);
        assert_eq!(suggest("Q5", ["Q1", "Q2", "Q3", "Q4"].into_iter()), None);
        assert_eq!(suggest("wieghts", ["weights", "fixed"].into_iter()), Some("weights"));
        assert_eq!(suggest("Eats", ["East", "West"].into_iter()), Some("East"));
        // 西南 is another region, not a slip for 华南.
        assert_eq!(suggest("西南", regions.into_iter()), None);
        assert_eq!(suggest("北华", regions.into_iter()), Some("华北"));
        assert_eq!(suggest("华东区", regions.into_iter()), Some("华东"));
        assert_eq!(suggest("华东大区一部", ["华东大区二部", "华北"].into_iter()), Some("华东大区二部"));
        // Never across scripts.
        assert_eq!(suggest("hua", ["华", "hub"].into_iter()), Some("hub"));
        assert_eq!(suggest("hua", regions.into_iter()), None);
        assert_eq!(suggest("东", ["E", "W"].into_iter()), None);
    }

    #[test]
    fn long_lists_of_names_are_shortened() {
        assert_eq!(name_list(&["A", "B", "C"]), "A, B, C");
        let many: Vec<String> = (1..=50_000).map(|i| format!("SKU{i}")).collect();
        let names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(name_list(&names), "SKU1, SKU2, SKU3, SKU4, SKU5, SKU6, SKU7, SKU8, SKU9, SKU10 and 49,990 more");
        // Eleven are shown whole: "and 1 more" would save nothing.
        assert_eq!(name_list(&names[..11]).matches(", ").count(), 10);
    }

    #[test]
    fn csv_locations_name_the_line() {
        let d = Diagnostic::new(Code::NotANumber, "bad weight").at(Location::csv_line(
            "reps.csv",
            7,
            "王芳,华东,abc\r\n",
            14..17,
        ));
        assert_eq!(
            d.to_string(),
            "error[E0201]: bad weight\n  --> reps.csv line 7\n  |\n7 | 王芳,华东,abc\n  |           ^^^\n"
        );
    }
}
