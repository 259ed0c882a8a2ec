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

use crate::diagnostic::{suggest, Location};
use crate::error::{Error, Result};
use crate::plan::sales_csv::{Noun, SalesCsv};

/// The member name that stands for members the plan does not have.
pub const UNPLANNED: &str = "(unplanned)";

/// How messages name the file.
const NOUN: Noun = Noun { the: "the actuals", has: "have", owner: "the actuals'" };

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
    /// nodes (each `depth` long: as many splits as the header has without a
    /// gap, returned as [`ActualsShape::depth`]); `first` the plan year's
    /// first day and `days` its length.
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
        let mut csv = SalesCsv::new(input, file, NOUN)?;
        let split_names: Vec<&str> = splits.iter().map(String::as_str).collect();
        let (date_column, metric_column) = csv.required(metric, &split_names)?;
        let present: Vec<Option<usize>> = splits.iter().map(|s| csv.find(s)).collect();
        let depth = present.iter().take_while(|c| c.is_some()).count();
        let unused =
            splits.iter().zip(&present).skip(depth).filter(|(_, c)| c.is_some()).map(|(s, _)| s.clone()).collect();
        let columns = Columns {
            date: date_column,
            metric: metric_column,
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
        let mut path: Vec<String> = Vec::with_capacity(depth);
        while csv.next_row() {
            let Some(date) = csv.date(columns.date) else { continue };
            let Some(amount) = csv.amount(columns.metric, metric) else { continue };
            let line = csv.line();
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
            path.extend(columns.splits.iter().map(|&c| csv.field(c).to_string()));
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
                        actuals.first_unplanned = Some((csv.field_at(columns.splits[k]), what));
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
        let errors = csv.finish();
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok((actuals, ActualsShape { depth, unused }))
    }
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
