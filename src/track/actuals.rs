//! Stage `track`: reads an actual-sales CSV (a transaction export or
//! pre-aggregated rows) into exact sums per tracked org node and day,
//! streaming: memory grows with the plan's nodes and days, not with rows.
//!
//! Columns are found by name in any order: `date`, the metric, and any of
//! the plan's split columns. Tracking goes as deep down the cascade as the
//! file has split columns without a gap. A UTF-8 BOM, CRLF line endings,
//! quoted fields and thousands separators in quoted numbers are accepted.
//! Every row is accounted for: rows outside the plan year are counted and
//! left out, rows whose members are not in the plan go to `(unplanned)`.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostic::{suggest, why_not_a_date, Diagnostic, Location};
use crate::error::{Error, Result};

/// The member name that stands for members the plan does not have.
pub const UNPLANNED: &str = "(unplanned)";

/// The most row errors reported from one file before the rest are counted.
const MAX_ROW_ERRORS: usize = 20;

/// What the file says about the plan's org tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActualsShape {
    /// How many splits, from the first, the file can be tracked by.
    pub depth: usize,
    /// Split names the file has but that cannot be used (a split before them is missing).
    pub unused: Vec<String>,
}

/// Actual sales summed per tracked node and day of the plan year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actuals {
    /// (node, day index) -> sum of the metric. Nodes are indices into the
    /// `nodes` given to [`Actuals::read`], then any `(unplanned)` nodes.
    pub sums: HashMap<(usize, usize), Decimal>,
    /// Member paths of the `(unplanned)` nodes, in order of first appearance;
    /// node `nodes.len() + i` is `unplanned[i]`.
    pub unplanned: Vec<Vec<String>>,
    /// Rows and amount that went to `(unplanned)` nodes.
    pub unplanned_rows: (u64, Decimal),
    /// The first row that went to an `(unplanned)` node: where it is (the
    /// unknown member underlined) and what is unknown about it, for messages.
    pub first_unplanned: Option<(Location, String)>,
    /// Rows per day of the plan year (planned or not).
    pub day_rows: Vec<u64>,
    /// Rows and amount dated outside the plan year, left out.
    pub outside_rows: (u64, Decimal),
    /// Every row's amount, in and outside the plan year.
    pub file_total: Decimal,
    /// Rows read.
    pub rows: u64,
}

/// Where things are in the file.
struct Columns {
    date: usize,
    metric: usize,
    /// Column of each tracked split, in cascade order.
    splits: Vec<usize>,
}

impl Actuals {
    /// Reads `input` (named `file` in messages). `splits` are the plan's
    /// split names in cascade order; `nodes` the member paths of the tracked
    /// nodes (each `depth` long, `depth` from [`Actuals::shape`]); `first`
    /// the plan year's first day and `days` its length.
    #[allow(clippy::too_many_arguments)]
    pub fn read(
        input: impl Read,
        file: &str,
        metric: &str,
        splits: &[String],
        nodes: &[Vec<&str>],
        first: NaiveDate,
        days: usize,
    ) -> Result<(Actuals, ActualsShape)> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(Lines::new(input));
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().trim_start_matches('\u{feff}').trim().to_string()).collect(),
            Err(e) => return Err(Error::invalid(header_error(file, &e.to_string()))),
        };
        let header_line = headers.join(",");
        let find = |name: &str| headers.iter().position(|h| h == name);
        let mut missing = Vec::new();
        // Where column `i` is in the header line, for the caret.
        let span = |i: usize| {
            let start: usize = headers[..i].iter().map(|h| h.len() + 1).sum();
            start..start + headers[i].len()
        };
        let taken = |h: &str| h == "date" || h == metric || splits.iter().any(|s| s == h);
        let columns = [
            ("date", "add a `date` column with the day of each sale (YYYY-MM-DD)".to_string(), ""),
            (
                metric,
                format!("add a `{metric}` column with the amount of each sale (it is named after the plan's metric)"),
                ", the plan's metric",
            ),
        ];
        for (name, add, what) in columns {
            if find(name).is_none() {
                let near = suggest(name, headers.iter().map(String::as_str).filter(|h| !taken(h)));
                let (underline, help) = match near.and_then(&find) {
                    Some(i) => (span(i), format!("did you mean `{}`? Rename it to `{name}`{what}", headers[i])),
                    None => (0..header_line.len(), add),
                };
                missing.push(
                    Diagnostic::new(format!("the actuals have no `{name}` column"))
                        .at(Location::csv_line(file, 1, &header_line, underline))
                        .note(format!("the columns are: {}", headers.join(", ")))
                        .help(help),
                );
            }
        }
        if !missing.is_empty() {
            return Err(Error::Invalid(missing));
        }
        let present: Vec<Option<usize>> = splits.iter().map(|s| find(s)).collect();
        let depth = present.iter().take_while(|c| c.is_some()).count();
        let unused =
            splits.iter().zip(&present).skip(depth).filter(|(_, c)| c.is_some()).map(|(s, _)| s.clone()).collect();
        let columns = Columns {
            date: find("date").expect("checked"),
            metric: find(metric).expect("checked"),
            splits: present[..depth].iter().map(|c| c.expect("a prefix of present columns")).collect(),
        };
        let index: HashMap<&[&str], usize> = nodes.iter().enumerate().map(|(i, p)| (p.as_slice(), i)).collect();
        // Known members at each depth under each parent prefix, for `(unplanned)`.
        let mut known: Vec<std::collections::HashSet<&[&str]>> = vec![Default::default(); depth + 1];
        for path in nodes {
            for k in 0..=depth.min(path.len()) {
                known[k].insert(&path[..k]);
            }
        }
        let mut actuals = Actuals { day_rows: vec![0; days], ..Actuals::default() };
        let mut unplanned_index: HashMap<Vec<String>, usize> = HashMap::new();
        let mut errors: Vec<Diagnostic> = Vec::new();
        let mut more_errors = 0u64;
        let mut record = csv::StringRecord::new();
        let mut path: Vec<String> = Vec::with_capacity(depth);
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| reader.get_mut().line_of(p.byte())) as usize;
                    push_error(
                        &mut errors,
                        &mut more_errors,
                        Diagnostic::new(format!("this row is not valid CSV: {e}"))
                            .at(Location::csv_line(file, line, "", 0..0))
                            .help("check the quotes on this line"),
                    );
                    continue;
                }
            }
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = record.position().map_or(0, |p| reader.get_mut().line_of(p.byte())) as usize;
            let row_text = || record.iter().collect::<Vec<_>>().join(",");
            let field_at = |i: usize| {
                let text = row_text();
                let before: usize = record.iter().take(i).map(|f| f.len() + 1).sum();
                let len = record.get(i).map_or(0, str::len);
                Location::csv_line(file, line, &text, before..before + len)
            };
            let date_text = record.get(columns.date).unwrap_or("").trim();
            let Some(date) = parse_date(date_text) else {
                push_error(
                    &mut errors,
                    &mut more_errors,
                    Diagnostic::new(match why_not_a_date(date_text.split(['T', ' ']).next().unwrap_or("")) {
                        Some(why) => format!("`{date_text}` is not a date: {why}"),
                        None => format!("`{date_text}` is not a date"),
                    })
                    .at(field_at(columns.date))
                    .help("write dates as YYYY-MM-DD, e.g. 2026-03-15 (a time after the date, such as 2026-03-15 10:30:00, is fine)"),
                );
                continue;
            };
            let amount_text = record.get(columns.metric).unwrap_or("").trim();
            let Some(amount) = parse_amount(amount_text) else {
                let what = if amount_text.is_empty() {
                    format!("this row has no `{metric}` amount")
                } else {
                    format!("`{amount_text}` is not a number")
                };
                push_error(
                    &mut errors,
                    &mut more_errors,
                    Diagnostic::new(what)
                        .at(field_at(columns.metric))
                        .help("write the amount as a plain number such as 1234.50 (\"1,234.50\" in quotes is fine)"),
                );
                continue;
            };
            actuals.rows += 1;
            actuals.file_total += amount;
            let day = (date - first).num_days();
            if day < 0 || day as usize >= days {
                actuals.outside_rows.0 += 1;
                actuals.outside_rows.1 += amount;
                continue;
            }
            actuals.day_rows[day as usize] += 1;
            path.clear();
            path.extend(columns.splits.iter().map(|&c| record.get(c).unwrap_or("").trim().to_string()));
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            let node = match index.get(refs.as_slice()) {
                Some(&n) => n,
                None => {
                    // Keep the known prefix; the first unknown member and all below become `(unplanned)`.
                    let known_len = (0..=depth).rev().find(|&k| known[k].contains(&refs[..k])).unwrap_or(0);
                    let unplanned: Vec<String> = path[..known_len]
                        .iter()
                        .cloned()
                        .chain(std::iter::repeat_n(UNPLANNED.to_string(), depth - known_len))
                        .collect();
                    actuals.unplanned_rows.0 += 1;
                    actuals.unplanned_rows.1 += amount;
                    if actuals.first_unplanned.is_none() && known_len < depth {
                        let k = known_len;
                        let member = &path[k];
                        let split = &splits[k];
                        let under =
                            if k == 0 { String::new() } else { format!(" under {} `{}`", splits[k - 1], path[k - 1]) };
                        let siblings = nodes.iter().filter(|p| p[..k] == refs[..k]).map(|p| p[k]);
                        let what = if member.is_empty() {
                            format!("the first, on line {line}: the {split} is empty")
                        } else {
                            match suggest(member, siblings) {
                                Some(near) => format!(
                                    "the first, on line {line}: {split} `{member}` is not in the plan{under} (did you mean `{near}`?)"
                                ),
                                None => format!("the first, on line {line}: {split} `{member}` is not in the plan{under}"),
                            }
                        };
                        actuals.first_unplanned = Some((field_at(columns.splits[k]), what));
                    }
                    let next = nodes.len() + unplanned_index.len();
                    *unplanned_index.entry(unplanned.clone()).or_insert_with(|| {
                        actuals.unplanned.push(unplanned);
                        next
                    })
                }
            };
            *actuals.sums.entry((node, day as usize)).or_default() += amount;
        }
        if more_errors > 0 {
            errors.push(
                Diagnostic::new(format!("{more_errors} more rows have problems like the ones above"))
                    .at(Location::file(file))
                    .help("fix the rows above, then run again to see the rest"),
            );
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok((actuals, ActualsShape { depth, unused }))
    }
}

/// Passes the actuals through to the csv reader and remembers where the
/// line breaks are, so that a row's line can be counted from its first
/// byte: the csv crate starts a row that follows a CRLF (as Excel writes
/// them) or a blank line at the break before it, a line or more too early.
/// Only the breaks the reader has buffered but not yet passed are kept.
struct Lines<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of the `\r` and `\n` bytes not yet passed, and which is a `\n`.
    breaks: std::collections::VecDeque<(u64, bool)>,
    /// `\n` bytes already passed.
    passed: u64,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Lines<R> {
        Lines { inner, offset: 0, breaks: Default::default(), passed: 0 }
    }

    /// The 1-based line of the row whose csv position is byte `start`.
    /// Rows must be asked for in file order.
    fn line_of(&mut self, start: u64) -> u64 {
        while let Some(&(at, newline)) = self.breaks.front() {
            if at >= start {
                break;
            }
            self.passed += u64::from(newline);
            self.breaks.pop_front();
        }
        // Skip the run of line breaks the row starts with.
        let skipped = (start..)
            .zip(&self.breaks)
            .take_while(|(next, (at, _))| at == next)
            .filter(|(_, (_, newline))| *newline)
            .count() as u64;
        self.passed + skipped + 1
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if matches!(b, b'\r' | b'\n') {
                self.breaks.push_back((self.offset + i as u64, *b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn push_error(errors: &mut Vec<Diagnostic>, more: &mut u64, d: Diagnostic) {
    if errors.len() < MAX_ROW_ERRORS {
        errors.push(d);
    } else {
        *more += 1;
    }
}

fn header_error(file: &str, why: &str) -> Diagnostic {
    Diagnostic::new(format!("cannot read the actuals' header: {why}"))
        .at(Location::file(file))
        .help("the first line must name the columns, e.g. date,region,sales")
}

/// `2026-03-15`, `2026/03/15`, or either followed by a time.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.split(['T', ' ']).next()?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(day, "%Y/%m/%d")).ok()
}

/// A plain decimal number; thousands separators (`1,234.50`) are dropped.
fn parse_amount(text: &str) -> Option<Decimal> {
    let clean: String = text.chars().filter(|c| *c != ',' && *c != '_').collect();
    if clean.is_empty() || clean.contains(['e', 'E']) {
        return None;
    }
    clean.parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn read(text: &str) -> Result<(Actuals, ActualsShape)> {
        let splits = vec!["region".to_string(), "rep".to_string()];
        let nodes = vec![vec!["East", "Ann"], vec!["East", "Bob"], vec!["West", "Cy"]];
        Actuals::read(text.as_bytes(), "sales.csv", "sales", &splits, &nodes, date(2026, 1, 1), 365)
    }

    #[test]
    fn sums_per_node_and_day_in_any_column_order() {
        let text = "\u{feff}rep,sales,date,region\r\nAnn,\"1,234.50\",2026-01-02,East\r\nAnn,10,2026-01-02T09:30:00,East\r\nCy,5,2026/03/01,West\r\n";
        let (a, shape) = read(text).unwrap();
        assert_eq!(shape, ActualsShape { depth: 2, unused: vec![] });
        assert_eq!(a.sums[&(0, 1)], "1244.50".parse::<Decimal>().unwrap());
        assert_eq!(a.sums[&(2, 59)], Decimal::from(5));
        assert_eq!(a.rows, 3);
    }

    #[test]
    fn unknown_members_and_outside_dates_are_accounted_for() {
        let text = "date,region,rep,sales\n2026-01-05,East,Zed,7\n2026-01-05,North,Ann,3\n2025-12-31,East,Ann,100\n";
        let (a, _) = read(text).unwrap();
        assert_eq!(
            a.unplanned,
            vec![vec!["East".to_string(), UNPLANNED.to_string()], vec![UNPLANNED.to_string(), UNPLANNED.to_string()]]
        );
        assert_eq!(a.unplanned_rows, (2, Decimal::from(10)));
        assert_eq!(a.outside_rows, (1, Decimal::from(100)));
        assert_eq!(a.file_total, Decimal::from(110));
    }

    #[test]
    fn lines_are_counted_from_a_row_s_first_byte_after_crlf_and_blank_lines() {
        let text = "\u{feff}date,region,rep,sales\r\n2026-01-01,East,Ann,1\r\n\r\n2026-01-01,East,Ann,\"2\r\n\"\r\n2026-01-01,East,Ann,x\r\n";
        let err = read(text).unwrap_err().to_string();
        assert!(err.contains("`x` is not a number\n  --> sales.csv line 6"), "{err}");
        let err = read("date,region,rep,sales\n\n\n2026-01-01,East,Ann,y\n").unwrap_err().to_string();
        assert!(err.contains("`y` is not a number\n  --> sales.csv line 4"), "{err}");
    }

    #[test]
    fn a_missing_split_column_tracks_above_it() {
        let (_, shape) = read("date,rep,sales\n2026-01-05,Ann,1\n").unwrap();
        assert_eq!(shape.depth, 0);
        assert_eq!(shape.unused, vec!["rep".to_string()]);
    }

    #[test]
    fn bad_rows_are_errors_with_their_line() {
        let err = read("date,region,rep,sales\n2026-13-01,East,Ann,1\n2026-01-01,East,Ann,abc\n").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "`2026-13-01` is not a date: there is no month 13; months run from 01 to 12\n  --> sales.csv line 2"
            ),
            "{text}"
        );
        assert!(text.contains("`abc` is not a number\n  --> sales.csv line 3"), "{text}");
        let err = read("when,region,rep,amount\n").unwrap_err().to_string();
        assert!(err.contains("the actuals have no `date` column"), "{err}");
        assert!(err.contains("the actuals have no `sales` column"), "{err}");
    }
}
