//! Stage `plan`: holiday calendars (`[time] holidays = ["cn-2026",
//! "our-days.csv"]`). Shipped calendars live in `configs/holidays/` and are
//! embedded in the binary, so an installed salesplit finds them; a path names
//! a company's own CSV (`date,name,is_off_day`), read from the plan's folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use std::io::Read;

use crate::diagnostic::{suggest, why_not_a_date, Code, Diagnostic, Location};
use crate::error::Error;
use crate::plan::csv_source::{field_offset, CsvSource, Noun, CALENDAR_LIMITS};

/// How messages name the file.
const NOUN: Noun =
    Noun { the: "the holiday calendar", has: "has", owner: "the holiday calendar's", a: "a holiday calendar" };

/// Calendars shipped with salesplit: name and CSV text.
pub const SHIPPED: [(&str, &str); 3] = [
    ("cn-2024", include_str!("../../configs/holidays/cn-2024.csv")),
    ("cn-2025", include_str!("../../configs/holidays/cn-2025.csv")),
    ("cn-2026", include_str!("../../configs/holidays/cn-2026.csv")),
];

/// The holidays of every calendar a plan names, merged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holidays {
    /// Date -> `true` for an off day, `false` for a make-up working day.
    pub days: BTreeMap<NaiveDate, bool>,
    /// The years the named calendars cover (a shipped calendar covers its
    /// year; a company file the years of its dates).
    pub years: BTreeSet<i32>,
}

impl Holidays {
    /// Adds one calendar: a shipped name, or the path of a CSV file or a
    /// workbook (read from its first sheet) relative to `base`.
    /// `at` is where the plan names it, for messages.
    pub fn add(&mut self, entry: &str, base: &Path, at: &Location) -> Result<(), Vec<Diagnostic>> {
        if let Some((name, text)) = SHIPPED.iter().find(|(name, _)| *name == entry) {
            let year = name.rsplit('-').next().and_then(|y| y.parse::<i32>().ok());
            self.years.extend(year);
            let file = format!("{name} (shipped)");
            let csv =
                CsvSource::new(text.as_bytes(), &file, NOUN, CALENDAR_LIMITS).map_err(|e| e.diagnostics().to_vec())?;
            return self.read(csv, false);
        }
        // The entry as written (not yet a path): `.CSV` is a shipped calendar's misspelt name.
        #[allow(clippy::case_sensitive_file_extension_comparisons)]
        let looks_like_path =
            [".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"].iter().any(|ext| entry.ends_with(ext))
                || entry.contains('/')
                || entry.contains('\\');
        if !looks_like_path {
            let names: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
            let help = match suggest(entry, names.iter().copied()) {
                Some(s) => format!(
                    "did you mean `{s}`? Shipped calendars: {}; or name a CSV file (date,name,is_off_day)",
                    names.join(", ")
                ),
                None => format!(
                    "shipped calendars: {}; or name a CSV file of your own (date,name,is_off_day)",
                    names.join(", ")
                ),
            };
            return Err(vec![Diagnostic::new(Code::UnknownHolidays, format!("unknown holiday calendar `{entry}`"))
                .at(at.clone())
                .help(help)]);
        }
        let path = base.join(entry);
        let file = path.display().to_string();
        let csv = CsvSource::open(&path, &file, NOUN, CALENDAR_LIMITS).map_err(|e| match e {
            Error::Invalid(ds) => ds,
            io @ Error::Io { .. } => {
                let (reason, help) = io.plan_input_advice().unwrap_or_default();
                vec![Diagnostic::new(Code::CannotRead, format!("cannot read holiday calendar {file}: {reason}"))
                    .at(at.clone())
                    .help(help)]
            }
        })?;
        self.read(csv, true)
    }

    /// Reads one calendar's rows. A date marked both off and worked in one
    /// calendar is an error naming both lines; between calendars, a day that
    /// any of them lists as a working day is worked.
    fn read<R: Read>(&mut self, mut csv: CsvSource<R>, own: bool) -> Result<(), Vec<Diagnostic>> {
        let (Some(date_col), Some(off_col)) = (csv.find("date"), csv.find("is_off_day")) else {
            return Err(vec![Diagnostic::new(Code::MissingColumn, "a holiday calendar needs the columns date,name,is_off_day")
                .at(csv.header_at(0..csv.header_text().len()))
                .help("write the header `date,name,is_off_day`; is_off_day is true for a day off, false for a make-up working day")]);
        };
        // This calendar's days: whether off, and the line that says so.
        let mut days: BTreeMap<NaiveDate, (bool, usize)> = BTreeMap::new();
        while csv.next_row() {
            let line = csv.line();
            let raw = csv.raw_line();
            let record = csv.record();
            let at = |i: usize| {
                let value = record.get(i).unwrap_or("");
                let start = field_offset(&raw, record.iter(), i, csv.delimiter());
                let mut loc = csv.row_location(line, &raw, start..start + value.len());
                if value.is_empty() {
                    // An empty field: point at where it should be.
                    loc.column = Some(raw[..start.min(raw.len())].chars().count() + 1);
                }
                loc
            };
            let date_text = csv.field(date_col);
            let Ok(date) = NaiveDate::parse_from_str(date_text, "%Y-%m-%d") else {
                let message = if date_text.is_empty() {
                    "a holiday row has no date".to_string()
                } else {
                    format!("`{date_text}` in column date is not a date")
                };
                let code = if date_text.is_empty() { Code::EmptyCell } else { Code::NotADate };
                let mut d = Diagnostic::new(code, message).at(at(date_col));
                if let Some(why) = why_not_a_date(date_text) {
                    d = d.note(why);
                }
                let d = d.help("write dates as YYYY-MM-DD, e.g. 2026-10-01");
                csv.push(d);
                continue;
            };
            let off_text = csv.field(off_col);
            let off = match off_text.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => {
                    let message = if off_text.is_empty() {
                        format!("the holiday row for {date} has no is_off_day")
                    } else {
                        format!("is_off_day `{off_text}` for {date} is not true or false")
                    };
                    let code = if off_text.is_empty() { Code::EmptyCell } else { Code::UnknownChoice };
                    let d = Diagnostic::new(code, message).at(at(off_col)).help(
                        "write true for a day off, or false for a make-up working day (a weekend day that is worked)",
                    );
                    csv.push(d);
                    continue;
                }
            };
            match days.get(&date) {
                Some(&(before, first)) if before != off => {
                    let kind = |off: bool| if off { "an off day" } else { "a working day" };
                    let d = Diagnostic::new(
                        Code::HolidayTwice,
                        format!("{date} is both {} and {}", kind(before), kind(off)),
                    )
                    .at(at(off_col))
                    .note(format!("line {first} marks it as {}, line {line} as {}", kind(before), kind(off)))
                    .help("keep one of the two rows: true for a day off, false for a make-up working day");
                    csv.push(d);
                }
                Some(_) => {}
                None => {
                    days.insert(date, (off, line));
                }
            }
        }
        let errors = csv.finish();
        if !errors.is_empty() {
            return Err(errors);
        }
        for (date, (off, _)) in days {
            if own {
                self.years.insert(date.year());
            }
            // A day that any calendar lists as a working day is worked.
            self.days.entry(date).and_modify(|o| *o = *o && off).or_insert(off);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn shipped_calendars_parse_and_cover_their_year() {
        let mut h = Holidays::default();
        let at = Location::file("plan.toml");
        for (name, _) in SHIPPED {
            h.add(name, Path::new(""), &at).unwrap();
        }
        assert_eq!(h.years, [2024, 2025, 2026].into_iter().collect());
        assert_eq!(h.days.get(&date(2026, 10, 1)), Some(&true)); // National Day
        assert_eq!(h.days.get(&date(2026, 2, 14)), Some(&false)); // a worked Saturday
        assert_eq!(h.days.get(&date(2026, 3, 2)), None);
    }

    #[test]
    fn unknown_names_suggest_the_shipped_ones() {
        let err = Holidays::default().add("cn-2062", Path::new(""), &Location::file("plan.toml")).unwrap_err();
        assert_eq!(err[0].message, "unknown holiday calendar `cn-2062`");
        assert!(err[0].help.as_deref().unwrap().starts_with("did you mean `cn-2026`?"));
    }
}
