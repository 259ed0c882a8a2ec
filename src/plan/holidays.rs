//! Stage `plan`: holiday calendars (`[time] holidays = ["cn-2026",
//! "our-days.csv"]`). Shipped calendars live in `configs/holidays/` and are
//! embedded in the binary, so an installed salesplit finds them; a path names
//! a company's own CSV (`date,name,is_off_day`), read from the plan's folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::diagnostic::{suggest, why_not_a_date, Diagnostic, Location};
use crate::plan::roster::field_offset;

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
    /// Adds one calendar: a shipped name, or a CSV path relative to `base`.
    /// `at` is where the plan names it, for messages.
    pub fn add(&mut self, entry: &str, base: &Path, at: &Location) -> Result<(), Vec<Diagnostic>> {
        if let Some((name, text)) = SHIPPED.iter().find(|(name, _)| *name == entry) {
            let year = name.rsplit('-').next().and_then(|y| y.parse::<i32>().ok());
            self.years.extend(year);
            return self.read(text, &format!("{name} (shipped)"), false);
        }
        let looks_like_path = entry.ends_with(".csv") || entry.contains('/') || entry.contains('\\');
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
            return Err(vec![Diagnostic::new(format!("unknown holiday calendar `{entry}`")).at(at.clone()).help(help)]);
        }
        let path = base.join(entry);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let reason =
                if e.kind() == std::io::ErrorKind::NotFound { "no such file".to_string() } else { e.to_string() };
            vec![Diagnostic::new(format!("cannot read holiday calendar {}: {reason}", path.display()))
                .at(at.clone())
                .help("check the path; it is read relative to the plan file's folder")]
        })?;
        self.read(&text, &path.display().to_string(), true)
    }

    fn read(&mut self, text: &str, file: &str, own: bool) -> Result<(), Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text.lines().collect();
        let line_text = |n: usize| lines.get(n.saturating_sub(1)).copied().unwrap_or("");
        let index = super::line_index::LineIndex::new(text);
        let line_of = |p: &csv::Position| index.line_of(p);
        let mut errors = Vec::new();
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
            Err(e) => {
                return Err(vec![Diagnostic::new(format!("cannot read the header: {e}")).at(Location::file(file))])
            }
        };
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(date_col), Some(off_col)) = (column("date"), column("is_off_day")) else {
            return Err(vec![Diagnostic::new("a holiday calendar needs the columns date,name,is_off_day")
                .at(Location::csv_line(file, 1, line_text(1), 0..line_text(1).len()))
                .help("write the header `date,name,is_off_day`; is_off_day is true for a day off, false for a make-up working day")]);
        };
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, line_of);
                    errors.push(Diagnostic::new(format!("this row is not valid CSV: {e}")).at(Location::csv_line(
                        file,
                        line,
                        line_text(line),
                        0..0,
                    )));
                    continue;
                }
            };
            let line = record.position().map_or(0, line_of);
            let raw = line_text(line);
            let at = |i: usize| {
                let value = record.get(i).unwrap_or("");
                let start = field_offset(raw, &record, i);
                let mut loc = Location::csv_line(file, line, raw, start..start + value.len());
                if value.is_empty() {
                    // An empty field: point at where it should be.
                    loc.column = Some(raw[..start.min(raw.len())].chars().count() + 1);
                }
                loc
            };
            let date_text = record.get(date_col).unwrap_or("").trim();
            let Ok(date) = NaiveDate::parse_from_str(date_text, "%Y-%m-%d") else {
                let message = if date_text.is_empty() {
                    "a holiday row has no date".to_string()
                } else {
                    format!("`{date_text}` in column date is not a date")
                };
                let mut d = Diagnostic::new(message).at(at(date_col));
                if let Some(why) = why_not_a_date(date_text) {
                    d = d.note(why);
                }
                errors.push(d.help("write dates as YYYY-MM-DD, e.g. 2026-10-01"));
                continue;
            };
            let off_text = record.get(off_col).unwrap_or("").trim();
            let off = match off_text.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => {
                    let message = if off_text.is_empty() {
                        format!("the holiday row for {date} has no is_off_day")
                    } else {
                        format!("is_off_day `{off_text}` for {date} is not true or false")
                    };
                    errors.push(Diagnostic::new(message).at(at(off_col)).help(
                        "write true for a day off, or false for a make-up working day (a weekend day that is worked)",
                    ));
                    continue;
                }
            };
            if own {
                self.years.insert(date.year());
            }
            self.days.insert(date, off);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
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
