//! Stage `track`: a plan's targets and its actual sales side by side, per
//! tracked org node and day, and the reports made from them.

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::{replan, Actuals, ActualsShape, Figures};
use crate::allocate::Exact;
use crate::calendar::{Level, Period};
use crate::diagnostic::{Diagnostic, Location};
use crate::engine::Cell;
use crate::engine::{view_name, Breakdown, CellSink, Column, ColumnKind, Engine, Header, TimeView, Value};
use crate::error::{Error, Result};
use crate::plan::Carry;

/// The columns of a tracking report, after the dimensions and the period.
pub const REPORT_COLUMNS: [&str; 9] =
    ["target", "target_to_date", "actual_to_date", "attainment", "gap", "remaining", "run_rate", "projected", "status"];

/// What a report found, for `--fail-below`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSummary {
    /// The attainment to date of everything reported (`None` if nothing was due).
    pub attainment: Option<Decimal>,
    /// The lowest attainment to date of any cell, and that cell's name.
    pub lowest: Option<(Decimal, String)>,
}

/// Targets and actuals per tracked node and day.
pub struct Tracker<'e, 'p> {
    engine: &'e Engine<'p>,
    shape: ActualsShape,
    /// Member paths of the tracked nodes: the plan's, then `(unplanned)` ones.
    paths: Vec<Vec<String>>,
    /// Daily targets (units) of the planned nodes.
    targets: Vec<Vec<u128>>,
    /// Daily actuals of every node.
    actuals: Vec<Vec<Decimal>>,
    /// Things to look at twice, found while reading.
    warnings: Vec<Diagnostic>,
    /// The actuals file as the user named it, for messages.
    file: String,
    /// Rows of the actuals per day of the plan year.
    day_rows: Vec<u64>,
}

/// `1 row`, `2 rows`.
fn rows(n: u64) -> String {
    if n == 1 {
        "1 row".to_string()
    } else {
        format!("{n} rows")
    }
}

/// The verb that goes with [`rows`]: `1 row names`, `2 rows name`.
fn verb(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

impl<'e, 'p> Tracker<'e, 'p> {
    /// Reads the actuals in `input` (named `file`) against the engine's plan.
    /// With `strict`, rows whose members are not in the plan are an error
    /// rather than an `(unplanned)` member with a warning.
    pub fn new(engine: &'e Engine<'p>, input: impl Read, file: &str, strict: bool) -> Result<Tracker<'e, 'p>> {
        let plan = engine.plan();
        let calendar = engine.calendar();
        let days = calendar.level(Level::Day).len();
        let split_names: Vec<String> = plan.splits.iter().map(|s| s.by.clone()).collect();
        // The file's header decides how deep tracking goes, so read it first.
        let mut leaf_paths: Vec<Vec<&'p str>> = Vec::new();
        let mut leaf_days: Vec<Vec<u128>> = Vec::new();
        engine.for_each_leaf(Level::Day, |path, series| {
            leaf_paths.push(path.to_vec());
            leaf_days.push(series.to_vec());
        });
        let mut reader = std::io::BufReader::new(input);
        let mut first_line = Vec::new();
        std::io::BufRead::read_until(&mut reader, b'\n', &mut first_line).map_err(|source| Error::Io {
            path: file.into(),
            action: "read",
            source,
        })?;
        let header = String::from_utf8_lossy(&first_line);
        // Parse the header as CSV, as the reader will, so that a quoted name
        // with a comma counts as one column.
        let columns: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(header.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .next()
            .and_then(|r| r.ok())
            .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
            .unwrap_or_default();
        let depth = split_names.iter().take_while(|s| columns.contains(s)).count();
        // Tracked nodes: leaf paths cut to `depth`, in first-appearance order.
        let mut node_index: IndexMap<Vec<&'p str>, usize> = IndexMap::new();
        let mut targets: Vec<Vec<u128>> = Vec::new();
        for (path, series) in leaf_paths.iter().zip(&leaf_days) {
            let key = path[..depth].to_vec();
            let next = node_index.len();
            let n = *node_index.entry(key).or_insert(next);
            if n == targets.len() {
                targets.push(vec![0; days]);
            }
            for (t, s) in targets[n].iter_mut().zip(series) {
                *t += s;
            }
        }
        drop(leaf_days);
        let nodes: Vec<Vec<&str>> = node_index.keys().cloned().collect();
        let input = std::io::Cursor::new(first_line).chain(reader);
        let (actuals, shape) =
            Actuals::read(input, file, &plan.metric().name, &split_names, &nodes, calendar.start(), days)?;
        let mut warnings = Vec::new();
        if !shape.unused.is_empty() {
            let missing = &split_names[shape.depth];
            warnings.push(
                Diagnostic::warning(format!(
                    "the actuals have no `{missing}` column, so their {} column{} cannot be placed and they are tracked by {}",
                    shape.unused.join(", "),
                    if shape.unused.len() > 1 { "s" } else { "" },
                    if shape.depth == 0 { "the company as a whole".to_string() } else { split_names[..shape.depth].join(", ") }
                ))
                .at(Location::file(file))
                .help(format!("add a `{missing}` column to track deeper")),
            );
        }
        if actuals.outside_rows.0 > 0 {
            warnings.push(
                Diagnostic::warning(format!(
                    "{} ({} in all) {} dated outside the plan year ({} to {}) and {} left out",
                    rows(actuals.outside_rows.0),
                    plan.precision.show(actuals.outside_rows.1),
                    verb(actuals.outside_rows.0, "is", "are"),
                    calendar.start(),
                    calendar.end(),
                    verb(actuals.outside_rows.0, "is", "are"),
                ))
                .at(Location::file(file))
                .help("track those rows with the plan of their year, or leave them out of the file"),
            );
        }
        if actuals.unplanned_rows.0 > 0 {
            let (n, amount) = actuals.unplanned_rows;
            let amount = plan.precision.show(amount);
            let what =
                format!("{} ({amount} in all) {} members that are not in the plan", rows(n), verb(n, "names", "name"));
            let (at, first) = actuals.first_unplanned.clone().unwrap_or_else(|| (Location::file(file), String::new()));
            let unplanned = super::UNPLANNED;
            if strict {
                return Err(Error::invalid(Diagnostic::new(what).at(at).note(first).help(format!(
                    "add those members to the plan, or fix their names in the actuals (without --strict they are reported under `{unplanned}`)"
                ))));
            }
            warnings.push(
                Diagnostic::warning(format!("{what}; they are reported under `{unplanned}`"))
                    .at(at)
                    .note(first)
                    .help("add those members to the plan, or fix their names in the actuals; pass --strict to make this an error"),
            );
        }
        let mut paths: Vec<Vec<String>> = nodes.iter().map(|p| p.iter().map(|s| s.to_string()).collect()).collect();
        paths.extend(actuals.unplanned.iter().cloned());
        let mut daily = vec![vec![Decimal::ZERO; days]; paths.len()];
        for ((node, day), amount) in &actuals.sums {
            daily[*node][*day] += amount;
        }
        Ok(Tracker {
            engine,
            shape,
            paths,
            targets,
            actuals: daily,
            warnings,
            file: file.to_string(),
            day_rows: actuals.day_rows,
        })
    }

    /// Things to look at twice: rows left out or unplanned, unusable columns.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// A warning when some actuals are dated after `as_of`: they are in the
    /// file's total but not in the figures to date, so say so.
    pub fn after(&self, as_of: NaiveDate) -> Option<Diagnostic> {
        let done = self.done(as_of);
        let n: u64 = self.day_rows[done..].iter().sum();
        if n == 0 {
            return None;
        }
        let amount =
            self.engine.plan().precision.show(self.actuals.iter().map(|a| a[done..].iter().sum::<Decimal>()).sum());
        let last = self.day_rows.iter().rposition(|r| *r > 0).unwrap_or(0);
        let last = self.engine.calendar().start() + chrono::Days::new(last as u64);
        Some(
            Diagnostic::warning(format!(
                "{} ({amount} in all) {} dated after the as-of date, {as_of}, so {} not in the figures to date",
                rows(n),
                verb(n, "is", "are"),
                verb(n, "it is", "they are"),
            ))
            .at(Location::file(&self.file))
            .help(format!("pass --as-of {last} (the last date in the actuals) to count {}", verb(n, "it", "them"))),
        )
    }

    /// How many splits, from the first, the actuals can be tracked by.
    pub fn depth(&self) -> usize {
        self.shape.depth
    }

    /// Resolves `--by` and `--period` like `decompose`, but defaulting to the
    /// splits the actuals can be tracked by, and refusing deeper ones.
    pub fn breakdown(&self, by: Option<&str>, period: Option<&str>, today: NaiveDate) -> Result<Breakdown> {
        let plan = self.engine.plan();
        let tracked: Vec<&str> = plan.splits[..self.shape.depth].iter().map(|s| s.by.as_str()).collect();
        let default;
        let by = match by {
            Some(b) => b,
            None => {
                let level = self.engine.calendar().level_name(plan.level);
                default = tracked.iter().copied().chain([level]).collect::<Vec<_>>().join(",");
                &default
            }
        };
        let breakdown = self.engine.breakdown_on(Some(by), period, today)?;
        if let Some(&deep) = breakdown.splits.iter().find(|&&s| s >= self.shape.depth) {
            let missing = &plan.splits[self.shape.depth].by;
            let deep = &plan.splits[deep].by;
            let add = if missing == deep {
                format!("add a `{missing}` column to {}", self.file)
            } else {
                format!("add a `{missing}` column to {} ({deep} comes under {missing} in the plan)", self.file)
            };
            return Err(Error::invalid(
                Diagnostic::new(format!("the actuals have no `{missing}` column, so they cannot be tracked by {deep}"))
                    .at(Location::file(&self.file))
                    .help(if tracked.is_empty() {
                        format!("track the company as a whole (e.g. --by month), or {add}")
                    } else {
                        format!("track by {} (e.g. --by {},month), or {add}", tracked.join(", "), tracked.join(","))
                    }),
            ));
        }
        Ok(breakdown)
    }

    /// Groups the nodes by the breakdown's splits: per group its member
    /// names and the nodes in it, groups in order of first appearance.
    fn groups(&self, breakdown: &Breakdown) -> IndexMap<Vec<&str>, Vec<usize>> {
        let mut groups: IndexMap<Vec<&str>, Vec<usize>> = IndexMap::new();
        for (n, path) in self.paths.iter().enumerate() {
            let key: Vec<&str> = breakdown.splits.iter().map(|&s| path[s].as_str()).collect();
            groups.entry(key).or_default().push(n);
        }
        groups
    }

    /// The breakdown's periods and, for each, its day range and whether `--period` keeps it.
    fn periods(&self, breakdown: &Breakdown) -> Vec<(&Period, std::ops::Range<usize>)> {
        let calendar = self.engine.calendar();
        let periods: &[Period] = match breakdown.time {
            TimeView::Tree(level) => calendar.level(level),
            TimeView::IsoWeek => calendar.iso_weeks(),
        };
        let first = calendar.start();
        periods
            .iter()
            .filter(|p| breakdown.keeps(p))
            .map(|p| (p, (p.start - first).num_days() as usize..(p.end - first).num_days() as usize + 1))
            .collect()
    }

    fn header(&self, breakdown: &Breakdown, columns: Vec<Column>) -> Header {
        let mut header = self.engine.header(breakdown);
        header.time = view_name(self.engine.calendar(), breakdown.time).to_string();
        header.columns = columns;
        header
    }

    /// The day index of `as_of` plus one: how many days of the year are done.
    fn done(&self, as_of: NaiveDate) -> usize {
        let calendar = self.engine.calendar();
        let days = calendar.level(Level::Day).len() as i64;
        ((as_of - calendar.start()).num_days() + 1).clamp(0, days) as usize
    }

    /// The tracking report: for every cell of the breakdown, target, target
    /// and actual to date, attainment, gap, remaining, run rate, projection
    /// and status as of `as_of`; then the totals.
    pub fn report(
        &self,
        breakdown: &Breakdown,
        as_of: NaiveDate,
        tolerance: Decimal,
        sink: &mut dyn CellSink,
    ) -> std::io::Result<ReportSummary> {
        let columns = REPORT_COLUMNS
            .iter()
            .map(|name| Column {
                name: name.to_string(),
                kind: match *name {
                    "attainment" => ColumnKind::Ratio,
                    "status" => ColumnKind::Text,
                    _ => ColumnKind::Amount,
                },
            })
            .collect();
        sink.begin(&self.header(breakdown, columns))?;
        let precision = self.engine.plan().precision;
        let done = self.done(as_of);
        let periods = self.periods(breakdown);
        let days = self.engine.calendar().level(Level::Day).len();
        let mut all_t = vec![0u128; days];
        let mut all_a = vec![Decimal::ZERO; days];
        let mut sums = [Decimal::ZERO; 5];
        let mut lowest: Option<(Decimal, String)> = None;
        for (members, nodes) in self.groups(breakdown) {
            let (t, a) = self.sum_nodes(&nodes, days);
            for (period, range) in &periods {
                let done_here = done.clamp(range.start, range.end) - range.start;
                let f = Figures::of(&t[range.clone()], &a[range.clone()], done_here, precision, tolerance);
                for (s, v) in sums.iter_mut().zip([f.target, f.target_to_date, f.actual_to_date, f.gap, f.remaining]) {
                    *s += v;
                }
                if let Some(att) = f.attainment {
                    if lowest.as_ref().is_none_or(|(l, _)| att < *l) {
                        let name =
                            members.iter().copied().chain([period.label.as_str()]).collect::<Vec<_>>().join(" / ");
                        lowest = Some((att, name));
                    }
                }
                sink.cell(&Cell { members: &members, period, values: &values(&f) })?;
            }
            for (x, y) in all_t.iter_mut().zip(&t) {
                *x += y;
            }
            for (x, y) in all_a.iter_mut().zip(&a) {
                *x += y;
            }
        }
        // Totals over the kept periods: the amounts are the sums of the
        // printed cells; the ratios and pace are those of the whole.
        let kept: Vec<usize> = periods.iter().flat_map(|(_, r)| r.clone()).collect();
        let kept_t: Vec<u128> = kept.iter().map(|&d| all_t[d]).collect();
        let kept_a: Vec<Decimal> = kept.iter().map(|&d| all_a[d]).collect();
        let kept_done = kept.iter().filter(|&&d| d < done).count();
        let mut total = Figures::of(&kept_t, &kept_a, kept_done, precision, tolerance);
        [total.target, total.target_to_date, total.actual_to_date, total.gap, total.remaining] = sums;
        sink.finish(&values(&total))?;
        Ok(ReportSummary { attainment: total.attainment, lowest })
    }

    fn sum_nodes(&self, nodes: &[usize], days: usize) -> (Vec<u128>, Vec<Decimal>) {
        let mut t = vec![0u128; days];
        let mut a = vec![Decimal::ZERO; days];
        for &n in nodes {
            if let Some(targets) = self.targets.get(n) {
                for (x, y) in t.iter_mut().zip(targets) {
                    *x += y;
                }
            }
            for (x, y) in a.iter_mut().zip(&self.actuals[n]) {
                *x += y;
            }
        }
        (t, a)
    }

    /// New targets for the periods after `as_of`, each tracked node's
    /// shortfall carried into its remaining periods by `carry`. Periods are
    /// shown if any of their days is after `as_of`; their figure covers
    /// those days. Returns warnings for amounts that could not be carried.
    pub fn replan(
        &self,
        breakdown: &Breakdown,
        as_of: NaiveDate,
        carry: Carry,
        sink: &mut dyn CellSink,
    ) -> std::io::Result<Vec<Diagnostic>> {
        let plan = self.engine.plan();
        let metric = Column { name: plan.metric().name.clone(), kind: ColumnKind::Amount };
        sink.begin(&self.header(breakdown, vec![metric]))?;
        let precision = plan.precision;
        let done = self.done(as_of);
        let calendar = self.engine.calendar();
        let days = calendar.level(Level::Day).len();
        let mut fresh: HashMap<usize, Vec<u128>> = HashMap::new();
        let mut lost: Vec<(String, Exact)> = Vec::new();
        for (n, targets) in self.targets.iter().enumerate() {
            let (new, gone) = replan(calendar, targets, &self.actuals[n], done, carry, precision);
            if !gone.is_zero() {
                let who = if self.paths[n].is_empty() { "the company".to_string() } else { self.paths[n].join(" / ") };
                lost.push((who, gone));
            }
            fresh.insert(n, new);
        }
        let periods: Vec<_> = self.periods(breakdown).into_iter().filter(|(_, r)| r.end > done).collect();
        let mut total: u128 = 0;
        for (members, nodes) in self.groups(breakdown) {
            let planned: Vec<&Vec<u128>> = nodes.iter().filter_map(|n| fresh.get(n)).collect();
            if planned.is_empty() {
                continue;
            }
            let mut t = vec![0u128; days];
            for new in planned {
                for (x, y) in t.iter_mut().zip(new) {
                    *x += y;
                }
            }
            for (period, range) in &periods {
                let units: u128 = t[range.start.max(done)..range.end].iter().sum();
                total += units;
                sink.cell(&Cell { members: &members, period, values: &[Value::Amount(precision.to_amount(units))] })?;
            }
        }
        sink.finish(&[Value::Amount(precision.to_amount(total))])?;
        Ok(lost
            .into_iter()
            .map(|(who, gone)| {
                let (whole, _) = gone.floor_rem();
                let amount = precision.to_amount(u128::try_from(&whole).unwrap_or(0));
                Diagnostic::warning(format!(
                    "{amount} of {who}'s target cannot be carried: no day after {as_of} has a target for it"
                ))
                .help(
                    "nothing is left this year to carry it into; add it to next year's plan if it is still to be sold",
                )
            })
            .collect())
    }
}

fn values(f: &Figures) -> [Value; 9] {
    let opt = |v: Option<Decimal>, wrap: fn(Decimal) -> Value| v.map_or(Value::Missing, wrap);
    [
        Value::Amount(f.target),
        Value::Amount(f.target_to_date),
        Value::Amount(f.actual_to_date),
        opt(f.attainment, Value::Ratio),
        Value::Amount(f.gap),
        Value::Amount(f.remaining),
        opt(f.run_rate, Value::Amount),
        opt(f.projected, Value::Amount),
        Value::Text(f.status.word()),
    ]
}
