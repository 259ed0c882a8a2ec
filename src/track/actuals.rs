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

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::daily::{DailyActuals, Total};
use super::TrackedNodes;
use crate::diagnostic::{suggest, Code, Diagnostic, Location};
use crate::error::{Error, Result};
use crate::plan::csv_source::{CsvSource, Noun, STREAM_LIMITS};
use crate::plan::sales_csv::Amount;
use crate::plan::RowTally;

mod path_index;
mod plain_rows;
mod separators;

use path_index::{FastMap, PathIndex};
pub(super) use plain_rows::PlainRows;

/// The member name that stands for members the plan does not have.
pub const UNPLANNED: &str = "(unplanned)";

/// How messages name the file.
pub(crate) const NOUN: Noun = Noun { the: "the actuals", has: "have", owner: "the actuals'", a: "actuals" };

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
    /// Filled by [`Actuals::read`]; the tracker keeps its sums compactly.
    pub sums: HashMap<(usize, usize), Decimal>,
    /// Member paths of the `(unplanned)` nodes, in order of first appearance;
    /// node `nodes.len() + i` is `unplanned[i]`.
    pub unplanned: Vec<Vec<String>>,
    /// Rows and amount that went to `(unplanned)` nodes.
    pub unplanned_rows: RowTally,
    /// The first row that went to an `(unplanned)` node: where it is (the
    /// unknown member underlined) and what is unknown about it, for messages.
    pub first_unplanned: Option<(Location, String)>,
    /// Rows per day of the plan year (planned or not).
    pub day_rows: Vec<u64>,
    /// Rows and amount dated outside the plan year, left out.
    pub outside_rows: RowTally,
    /// Every row's amount, in and outside the plan year.
    pub file_total: Decimal,
    /// Rows read.
    pub rows: u64,
}

/// Where the rows' amounts are summed, per node and day.
pub(crate) trait Sums {
    /// Adds `amount` to `node`'s sum on `day` (a node past the last is new);
    /// `false`, adding nothing, when the sum would not fit a `Decimal`.
    fn add(&mut self, node: usize, day: usize, amount: Amount) -> bool;

    /// Adds the amounts of `rows` in order, pushing the index of each one
    /// that cannot be added to `failed`.
    fn add_all(&mut self, rows: &[Row], failed: &mut Vec<usize>) {
        for (i, row) in rows.iter().enumerate() {
            if !self.add(row.node, row.day, row.amount) {
                failed.push(i);
            }
        }
    }
}

/// A row read, waiting to be added to its node's day.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Row {
    pub node: usize,
    pub day: usize,
    pub amount: Amount,
    /// Its line, for messages.
    pub line: usize,
}

/// Rows are added this many at a time: the days they add to are spread
/// over memory, and looking them up together lets the processor fetch
/// them at the same time rather than one after the other.
const BATCH: usize = 512;

impl Sums for HashMap<(usize, usize), Decimal> {
    fn add(&mut self, node: usize, day: usize, amount: Amount) -> bool {
        let sum = self.entry((node, day)).or_default();
        sum.checked_add(amount.decimal()).map(|s| *sum = s).is_some()
    }
}

impl Sums for DailyActuals {
    fn add(&mut self, node: usize, day: usize, amount: Amount) -> bool {
        DailyActuals::add(self, node, day, amount)
    }

    fn add_all(&mut self, rows: &[Row], failed: &mut Vec<usize>) {
        self.touch(rows.iter().map(|r| (r.node, r.day)));
        for (i, row) in rows.iter().enumerate() {
            if !self.add(row.node, row.day, row.amount) {
                failed.push(i);
            }
        }
    }
}

/// Where things are in the file.
pub(super) struct Columns {
    pub date: usize,
    pub metric: usize,
    /// Column of each tracked split, in cascade order.
    pub splits: Vec<usize>,
}

impl Columns {
    /// The columns of `csv`'s header for `metric` and the plan's `splits`
    /// (in cascade order), and how deep they let tracking go; an error per
    /// missing required column.
    pub(super) fn of<R>(csv: &CsvSource<R>, metric: &str, splits: &[String]) -> Result<(Columns, ActualsShape)> {
        let split_names: Vec<&str> = splits.iter().map(String::as_str).collect();
        let (date, metric) = csv.required(metric, &split_names)?;
        let present: Vec<Option<usize>> = splits.iter().map(|s| csv.find(s)).collect();
        let depth = present.iter().take_while(|c| c.is_some()).count();
        let unused =
            splits.iter().zip(&present).skip(depth).filter(|(_, c)| c.is_some()).map(|(s, _)| s.clone()).collect();
        let splits = present[..depth].iter().map(|c| c.expect("a prefix of present columns")).collect();
        Ok((Columns { date, metric, splits }, ActualsShape { depth, unused }))
    }
}

/// Appends `member` to a path key: its length, then its bytes, so that no
/// two paths share a key.
fn push_member(key: &mut Vec<u8>, member: &str) {
    let len = u32::try_from(member.len()).expect("a member name is far shorter than 4 GiB");
    key.extend_from_slice(&len.to_le_bytes());
    key.extend_from_slice(member.as_bytes());
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
        let mut sums = HashMap::new();
        let source = CsvSource::new(input, file, NOUN, STREAM_LIMITS)?;
        let nodes = TrackedNodes::all(nodes.to_vec());
        let (mut actuals, shape) = Actuals::read_into(source, metric, splits, &nodes, first, 0..days, &mut sums)?;
        actuals.sums = sums;
        Ok((actuals, shape))
    }

    /// As [`Actuals::read`], summing the amounts into `sums` rather than
    /// [`Actuals::sums`], each row's into the kept node of its path in
    /// `nodes` (then `(unplanned)` ones, numbered from `nodes.len()`). `planned` are the indices (from `first`) of the
    /// days the plan has targets for: the whole year, or the one period a
    /// plan covers; rows on other days are counted as outside and left out.
    /// Streaming: memory grows with the nodes, not the rows, and a row
    /// allocates nothing unless it names a member the plan does not have,
    /// the first time.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn read_into<R: Read>(
        mut csv: CsvSource<R>,
        metric: &str,
        splits: &[String],
        nodes: &TrackedNodes<'_>,
        first: NaiveDate,
        planned: std::ops::Range<usize>,
        sums: &mut impl Sums,
    ) -> Result<(Actuals, ActualsShape)> {
        let days = planned.end;
        let file = &csv.file().to_string();
        let split_names: Vec<&str> = splits.iter().map(String::as_str).collect();
        let (columns, shape) = Columns::of(&csv, metric, splits)?;
        let depth = shape.depth;
        let index = PathIndex::new(&nodes.paths, depth, &nodes.into, None);
        // Rows whose path is not a node, by path (written by `push_member`): their `(unplanned)` node.
        let mut elsewhere: FastMap<Box<[u8]>, usize> = FastMap::default();
        let mut key = Vec::new();
        // Known members at each depth under each parent prefix, for
        // `(unplanned)`: built at the first row the index does not know.
        let mut known: Vec<HashSet<&[&str]>> = Vec::new();
        let mut actuals = Actuals { day_rows: vec![0; days], ..Actuals::default() };
        let (mut file_total, mut outside, mut unplanned_amount) = (Total::ZERO, Total::ZERO, Total::ZERO);
        let mut unplanned_index: HashMap<Vec<String>, usize> = HashMap::new();
        let mut batch: Vec<Row> = Vec::with_capacity(BATCH);
        let mut failed = Vec::new();
        // Adds the rows read so far; a sum too large for a `Decimal` is an error at its row.
        let mut flush = |batch: &mut Vec<Row>, csv: &mut CsvSource<R>| {
            sums.add_all(batch, &mut failed);
            for i in failed.drain(..) {
                let line = batch[i].line;
                let d = Diagnostic::new(
                    Code::TooLarge,
                    format!(
                        "this row's {metric} cannot be added to the others of its day: their sum would be too large"
                    ),
                )
                .at(Location::csv_line(file, line, "", 0..0))
                .help("check the amounts: a day's sum must stay within 28 digits");
                csv.push_at(line, d);
            }
            batch.clear();
        };
        let first_day = i64::from(first.num_days_from_ce());
        while csv.next_row() {
            let Some(date) = csv.date(columns.date) else { continue };
            let Some(amount) = csv.amount_parts(columns.metric, metric) else { continue };
            actuals.rows += 1;
            file_total = file_total.add(Total::of(amount));
            let day = i64::from(date.num_days_from_ce()) - first_day;
            let day = match usize::try_from(day) {
                Ok(day) if planned.contains(&day) => day,
                _ => {
                    actuals.outside_rows.rows += 1;
                    outside = outside.add(Total::of(amount));
                    continue;
                }
            };
            actuals.day_rows[day] += 1;
            let found = index.find(|k| csv.field(columns.splits[k]).as_bytes());
            let node = if let Some(n) = found {
                n
            } else {
                // No plan member has an empty name: such a row is an error, not `(unplanned)`.
                if csv.empty_member(&columns.splits, &split_names) {
                    continue;
                }
                key.clear();
                for &c in &columns.splits {
                    push_member(&mut key, csv.field(c));
                }
                if let Some(&n) = elsewhere.get(key.as_slice()) {
                    n
                } else {
                    if known.is_empty() {
                        known = vec![HashSet::new(); depth + 1];
                        for path in &nodes.paths {
                            for k in 0..=depth.min(path.len()) {
                                known[k].insert(&path[..k]);
                            }
                        }
                    }
                    let path: Vec<String> = columns.splits.iter().map(|&c| csv.field(c).to_string()).collect();
                    let node = unplanned_node(
                        &path,
                        &mut actuals,
                        &mut unplanned_index,
                        &known,
                        nodes,
                        splits,
                        &columns,
                        &csv,
                    );
                    elsewhere.insert(key.as_slice().into(), node);
                    node
                }
            };
            if node >= nodes.len() {
                actuals.unplanned_rows.rows += 1;
                unplanned_amount = unplanned_amount.add(Total::of(amount));
            }
            batch.push(Row { node, day, amount, line: csv.line() });
            if batch.len() == BATCH {
                flush(&mut batch, &mut csv);
            }
        }
        flush(&mut batch, &mut csv);
        actuals.file_total = file_total.decimal();
        actuals.outside_rows.amount = outside.decimal();
        actuals.unplanned_rows.amount = unplanned_amount.decimal();
        let errors = csv.finish();
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok((actuals, shape))
    }
}

/// The `(unplanned)` node of a row whose member `path` is not a node: the
/// known prefix is kept, the first unknown member and all below become
/// `(unplanned)`. The first such row is remembered for messages.
#[allow(clippy::too_many_arguments)]
fn unplanned_node<R: Read>(
    path: &[String],
    actuals: &mut Actuals,
    unplanned_index: &mut HashMap<Vec<String>, usize>,
    known: &[HashSet<&[&str]>],
    nodes: &TrackedNodes<'_>,
    splits: &[String],
    columns: &Columns,
    csv: &CsvSource<R>,
) -> usize {
    let depth = path.len();
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    let known_len = (0..=depth).rev().find(|&k| known[k].contains(&refs[..k])).unwrap_or(0);
    let unplanned: Vec<String> = path[..known_len]
        .iter()
        .cloned()
        .chain(std::iter::repeat_n(UNPLANNED.to_string(), depth - known_len))
        .collect();
    if actuals.first_unplanned.is_none() && known_len < depth {
        let line = csv.line();
        let k = known_len;
        let member = &path[k];
        let split = &splits[k];
        // The whole known path: the member's parent split need not be the one just before it
        // (a roster under `region` after `product`).
        let known_path: Vec<String> = (0..k).map(|i| format!("{} `{}`", splits[i], path[i])).collect();
        let under = if k == 0 { String::new() } else { format!(" under {}", known_path.join(", ")) };
        let siblings = nodes.paths.iter().filter(|p| p[..k] == refs[..k]).map(|p| p[k]);
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
        assert_eq!(a.unplanned_rows, RowTally { rows: 2, amount: Decimal::from(10) });
        assert_eq!(a.outside_rows, RowTally { rows: 1, amount: Decimal::from(100) });
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
