//! Stage `track`: a plan's targets and its actual sales side by side, per
//! tracked org node and day, and the reports made from them.

use std::io::Read;

use chrono::NaiveDate;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::daily::{DailyActuals, DailyTargets, Total};
use super::replan::{replan_scaled, DayRanges};
use super::{replan, Actuals, ActualsShape, Figures, TrackedMetric};
use crate::allocate::Exact;
use crate::calendar::{Level, Period};
use crate::diagnostic::{Diagnostic, Location};
use crate::engine::Cell;
use crate::engine::{view_name, AsOf, Breakdown, CellSink, Column, ColumnKind, Engine, Header, TimeView, Value};
use crate::error::{Error, Result};
use crate::plan::csv_source::{CsvSource, STREAM_LIMITS};
use crate::plan::{Carry, Precision};

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
    /// The metric compared: its targets, its actuals column, its unit.
    metric: TrackedMetric,
    shape: ActualsShape,
    /// Member paths of the tracked nodes: the plan's, then `(unplanned)` ones.
    paths: Vec<Vec<String>>,
    /// Daily targets (units) of the planned nodes.
    targets: DailyTargets,
    /// Daily actuals of every node.
    actuals: DailyActuals,
    /// Things to look at twice, found while reading.
    warnings: Vec<Diagnostic>,
    /// The actuals file as the user named it, for messages.
    file: String,
    /// Rows of the actuals per day of the plan year.
    day_rows: Vec<u64>,
    /// Threads the reports may use (1 or 2).
    threads: usize,
}

/// Planned nodes re-planned together, as one piece of work for a thread.
const REPLAN_CHUNK: usize = 128;

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
    /// The metric compared is the plan's default one ([`TrackedMetric::choose`]).
    pub fn new(engine: &'e Engine<'p>, input: impl Read, file: &str, strict: bool) -> Result<Tracker<'e, 'p>> {
        let metric = TrackedMetric::choose(engine.plan(), None)?;
        Tracker::of_metric(engine, metric, input, file, strict)
    }

    /// As [`Tracker::new`], comparing `metric`.
    pub fn of_metric(
        engine: &'e Engine<'p>,
        metric: TrackedMetric,
        input: impl Read,
        file: &str,
        strict: bool,
    ) -> Result<Tracker<'e, 'p>> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        Tracker::with_threads(engine, metric, input, file, strict, threads)
    }

    /// As [`Tracker::new`], on `threads` threads (1 or 2): the same result either way.
    pub(crate) fn with_threads(
        engine: &'e Engine<'p>,
        metric: TrackedMetric,
        input: impl Read,
        file: &str,
        strict: bool,
        threads: usize,
    ) -> Result<Tracker<'e, 'p>> {
        let plan = engine.plan();
        let precision = metric.precision;
        let calendar = engine.calendar();
        let days = calendar.level(Level::Day).len();
        let split_names: Vec<String> = plan.splits.iter().map(|s| s.by.clone()).collect();
        // The file's header decides how deep tracking goes, so read it first.
        let source = CsvSource::new(input, file, super::actuals::NOUN, STREAM_LIMITS)?;
        let depth = split_names.iter().take_while(|s| source.find(s).is_some()).count();
        // Tracked nodes: leaf paths cut to `depth`, in first-appearance
        // order. The leaves come cheaply with their yearly figures; their
        // daily targets, the engine's real work, are worked out while the
        // actuals are read (on a second core when there is one).
        let mut node_index: IndexMap<Vec<&'p str>, usize> = IndexMap::new();
        engine.for_each_leaf_of(metric.index, Level::Year, |path, _| {
            if !node_index.contains_key(&path[..depth]) {
                node_index.insert(path[..depth].to_vec(), node_index.len());
            }
        });
        let nodes: Vec<Vec<&str>> = node_index.keys().cloned().collect();
        let daily_targets = || daily_targets(engine, metric.index, &node_index, depth, days);
        let read = || {
            let mut daily = DailyActuals::new(days, precision.decimals(), nodes.len());
            Actuals::read_into(source, &metric.name, &split_names, &nodes, calendar.start(), days, &mut daily)
                .map(|(actuals, shape)| (actuals, shape, daily))
        };
        let (targets, read) = if threads > 1 {
            std::thread::scope(|scope| {
                let targets = scope.spawn(daily_targets);
                let read = read();
                (targets.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), read)
            })
        } else {
            (daily_targets(), read())
        };
        let (actuals, shape, mut daily) = read?;
        let targets = targets?;
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
                    precision.show(actuals.outside_rows.1),
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
            let amount = precision.show(amount);
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
        daily.grow(paths.len());
        Ok(Tracker {
            engine,
            metric,
            shape,
            paths,
            targets,
            actuals: daily,
            warnings,
            file: file.to_string(),
            day_rows: actuals.day_rows,
            threads,
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
        // Summed as Decimals would be, node by node: for the decimals shown.
        let days = self.engine.calendar().level(Level::Day).len();
        let amount = (0..self.actuals.len())
            .map(|n| (done..days).fold(Total::ZERO, |sum, d| sum.add(self.actuals.day(n, d))))
            .fold(Total::ZERO, Total::add);
        let amount = self.metric.precision.show(amount.decimal());
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

    /// A warning when `as_of`, taken from today rather than `--as-of`, is
    /// past the last date of the actuals: the days between would count as
    /// days without a sale, and the report would look further behind than it
    /// is. `None` when the actuals reach `as_of` (or the plan year's end
    /// before it), or have no row in the plan year.
    pub fn stale(&self, as_of: NaiveDate) -> Option<Diagnostic> {
        let calendar = self.engine.calendar();
        let last = self.day_rows.iter().rposition(|r| *r > 0)?;
        let last = calendar.start() + chrono::Days::new(last as u64);
        if last >= as_of.min(calendar.end()) {
            return None;
        }
        let days = (as_of - last).num_days();
        Some(
            Diagnostic::warning(format!(
                "no --as-of, so the as-of date is today, {as_of}, but the actuals end {last}, {days} day{} before it, so the days after {last} count as days without a sale",
                if days == 1 { "" } else { "s" }
            ))
            .at(Location::file(&self.file))
            .help(format!(
                "pass --as-of {last} to track up to the last day the actuals cover, or --as-of {as_of} if nothing was sold since"
            )),
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

    fn header(&self, breakdown: &Breakdown, columns: Vec<Column>, as_of: AsOf) -> Header {
        let mut header = self.engine.header(breakdown);
        header.time = view_name(self.engine.calendar(), breakdown.time).to_string();
        header.columns = columns;
        header.precision = self.metric.precision;
        header.metrics = vec![self.metric.name.clone()];
        header.as_of = Some(as_of);
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
        sink.begin(&self.header(breakdown, columns, AsOf { date: as_of, replan: false }))?;
        let precision = self.metric.precision;
        let done = self.done(as_of);
        let periods = self.periods(breakdown);
        let days = self.engine.calendar().level(Level::Day).len();
        let mut all_t = vec![0u128; days];
        let mut all_a = vec![Total::ZERO; days];
        let mut sums = [Decimal::ZERO; 5];
        let mut lowest: Option<(Decimal, String)> = None;
        for (members, nodes) in self.groups(breakdown) {
            let (t, a) = self.sum_nodes(&nodes, days);
            for (period, range) in &periods {
                let done_here = done.clamp(range.start, range.end) - range.start;
                let f = figures(&t[range.clone()], &a[range.clone()], done_here, precision, tolerance);
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
                *x = x.add(*y);
            }
        }
        // Totals over the kept periods: the amounts are the sums of the
        // printed cells; the ratios and pace are those of the whole.
        let kept: Vec<usize> = periods.iter().flat_map(|(_, r)| r.clone()).collect();
        let kept_t: Vec<u128> = kept.iter().map(|&d| all_t[d]).collect();
        let kept_a: Vec<Decimal> = kept.iter().map(|&d| all_a[d].decimal()).collect();
        let kept_done = kept.iter().filter(|&&d| d < done).count();
        let mut total = Figures::of(&kept_t, &kept_a, kept_done, precision, tolerance);
        [total.target, total.target_to_date, total.actual_to_date, total.gap, total.remaining] = sums;
        sink.finish(&values(&total))?;
        Ok(ReportSummary { attainment: total.attainment, lowest })
    }

    /// The daily targets and actuals of `nodes` together, the actuals
    /// summed node by node as `Decimal`s would be.
    fn sum_nodes(&self, nodes: &[usize], days: usize) -> (Vec<u128>, Vec<Total>) {
        let mut t = vec![0u128; days];
        let mut a = vec![Total::ZERO; days];
        for &n in nodes {
            if n < self.targets.len() {
                self.targets.add_to(n, &mut t);
            }
            self.actuals.add_to(n, &mut a);
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
        let metric = Column { name: self.metric.name.clone(), kind: ColumnKind::Amount };
        sink.begin(&self.header(breakdown, vec![metric], AsOf { date: as_of, replan: true }))?;
        let precision = self.metric.precision;
        let done = self.done(as_of);
        let calendar = self.engine.calendar();
        let days = calendar.level(Level::Day).len();
        let ranges = DayRanges::new(calendar);
        let periods: Vec<_> = self.periods(breakdown).into_iter().filter(|(_, r)| r.end > done).collect();
        let unplanned = self.unplanned_shares(days);
        // The groups with planned nodes, in chunks of about `REPLAN_CHUNK` nodes.
        let groups: Vec<(Vec<&str>, Vec<usize>)> = self
            .groups(breakdown)
            .into_iter()
            .map(|(members, nodes)| (members, nodes.into_iter().filter(|&n| n < self.targets.len()).collect()))
            .filter(|(_, nodes): &(Vec<&str>, Vec<usize>)| !nodes.is_empty())
            .collect();
        let mut chunks: Vec<&[(Vec<&str>, Vec<usize>)]> = Vec::new();
        let (mut from, mut nodes) = (0, 0);
        for (i, (_, group)) in groups.iter().enumerate() {
            nodes += group.len();
            if nodes >= REPLAN_CHUNK || i + 1 == groups.len() {
                chunks.push(&groups[from..=i]);
                (from, nodes) = (i + 1, 0);
            }
        }
        // Re-plans each node of a chunk's groups once: per group, the new
        // target of each period; and what each node could not carry. Only a
        // chunk's new targets are held at a time.
        let work = |chunk: &[(Vec<&str>, Vec<usize>)]| -> (Vec<u128>, Vec<(usize, Exact)>) {
            let mut out = Vec::with_capacity(chunk.len() * periods.len());
            let mut lost = Vec::new();
            let (mut targets, mut units, mut t) = (vec![0u128; days], Vec::with_capacity(days), vec![0u128; days]);
            for (_, nodes) in chunk {
                t.fill(0);
                for &n in nodes {
                    targets.fill(0);
                    self.targets.add_to(n, &mut targets);
                    let (new, gone) = match (unplanned.get(&n), self.actuals.units(n, &mut units)) {
                        (Some(extra), _) => {
                            let own = self.actuals.decimals(n);
                            let all: Vec<Decimal> =
                                own.iter().zip(extra).map(|(a, b)| a.checked_add(*b).unwrap_or(*a)).collect();
                            replan(calendar, &targets, &all, done, carry, precision)
                        }
                        (None, Some(scale)) => {
                            replan_scaled(calendar, &ranges, &targets, &units, scale, done, carry, precision)
                        }
                        (None, None) => replan(calendar, &targets, &self.actuals.decimals(n), done, carry, precision),
                    };
                    if !gone.is_zero() {
                        lost.push((n, gone));
                    }
                    for (x, y) in t.iter_mut().zip(&new) {
                        *x += y;
                    }
                }
                out.extend(periods.iter().map(|(_, range)| t[range.start.max(done)..range.end].iter().sum::<u128>()));
            }
            (out, lost)
        };
        let mut lost: Vec<(usize, Exact)> = Vec::new();
        let mut total: u128 = 0;
        let mut emit = |chunk: &[(Vec<&str>, Vec<usize>)], (out, gone): (Vec<u128>, Vec<(usize, Exact)>)| {
            for ((members, _), units) in chunk.iter().zip(out.chunks(periods.len().max(1))) {
                for ((period, _), &units) in periods.iter().zip(units) {
                    total += units;
                    let values = [Value::Amount(precision.to_amount(units))];
                    sink.cell(&Cell { members, period, values: &values })?;
                }
            }
            lost.extend(gone);
            std::io::Result::Ok(())
        };
        if self.threads > 1 && chunks.len() > 1 {
            // Two cores: a worker re-plans every other chunk while this
            // thread does the rest and writes them all, in order.
            std::thread::scope(|scope| -> std::io::Result<()> {
                let (send, receive) = std::sync::mpsc::sync_channel(2);
                let (work, even) = (&work, chunks.iter().step_by(2).copied().collect::<Vec<_>>());
                scope.spawn(move || {
                    for chunk in even {
                        if send.send(work(chunk)).is_err() {
                            return; // the writer stopped
                        }
                    }
                });
                for (i, chunk) in chunks.iter().enumerate() {
                    // A worker that failed has panicked: the scope passes that on.
                    let done = if i % 2 == 0 { receive.recv().unwrap_or_else(|_| work(chunk)) } else { work(chunk) };
                    emit(chunk, done)?;
                }
                Ok(())
            })?;
        } else {
            for chunk in &chunks {
                emit(chunk, work(chunk))?;
            }
        }
        sink.finish(&[Value::Amount(precision.to_amount(total))])?;
        // Warnings in the order of the nodes, whatever the order of the groups.
        lost.sort_by_key(|(n, _)| *n);
        Ok(lost
            .into_iter()
            .map(|(n, gone)| {
                let who = if self.paths[n].is_empty() { "the company".to_string() } else { self.paths[n].join(" / ") };
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

impl Tracker<'_, '_> {
    /// The `(unplanned)` sales each planned node counts when re-planning,
    /// per day: an unplanned node's sales count toward its known parent (the
    /// members of its path that the plan has), so they are shared among the
    /// planned nodes under that parent in proportion to their yearly targets,
    /// each day's amount exactly (largest remainders, ties to the node
    /// written first). Nodes with no unplanned sales under their parent are
    /// left out.
    fn unplanned_shares(&self, days: usize) -> std::collections::HashMap<usize, Vec<Decimal>> {
        use dashu_int::UBig;
        let planned = self.targets.len();
        let mut shares: std::collections::HashMap<usize, Vec<Decimal>> = std::collections::HashMap::new();
        let mut yearly: Vec<Option<u128>> = vec![None; planned];
        let mut scratch = vec![0u128; days];
        // Per length of known path, the planned nodes under each known parent:
        // each built once, with one pass over the planned nodes.
        let mut under: IndexMap<usize, IndexMap<&[String], Vec<usize>>> = IndexMap::new();
        for u in planned..self.paths.len() {
            let path = &self.paths[u];
            let known = path.iter().take_while(|m| m.as_str() != super::UNPLANNED).count();
            let parents = under.entry(known).or_insert_with(|| {
                let mut parents: IndexMap<&[String], Vec<usize>> = IndexMap::new();
                for n in 0..planned {
                    parents.entry(&self.paths[n][..known]).or_default().push(n);
                }
                parents
            });
            let Some(siblings) = parents.get(&path[..known]) else { continue };
            let siblings = siblings.clone();
            let weights: Vec<u128> = siblings
                .iter()
                .map(|&n| {
                    *yearly[n].get_or_insert_with(|| {
                        scratch.fill(0);
                        self.targets.add_to(n, &mut scratch);
                        scratch.iter().sum()
                    })
                })
                .collect();
            let total: u128 = weights.iter().sum();
            for day in 0..days {
                let amount = self.actuals.day(u, day).decimal();
                if amount.is_zero() {
                    continue;
                }
                let (units, scale) = (amount.mantissa().unsigned_abs(), amount.scale());
                let negative = amount.is_sign_negative();
                // Each sibling's floor of units * weight / total, then the
                // leftover units to the largest remainders, the first on a tie.
                let parts: Vec<u128> = if total == 0 {
                    siblings.iter().enumerate().map(|(i, _)| if i == 0 { units } else { 0 }).collect()
                } else {
                    let whole = UBig::from(units);
                    let total_big = UBig::from(total);
                    let mut floors = Vec::with_capacity(siblings.len());
                    let mut rems = Vec::with_capacity(siblings.len());
                    for &w in &weights {
                        let product = &whole * UBig::from(w);
                        rems.push(&product % &total_big);
                        floors.push(u128::try_from(&(product / &total_big)).unwrap_or(0));
                    }
                    let mut left = units - floors.iter().sum::<u128>();
                    let mut order: Vec<usize> = (0..siblings.len()).collect();
                    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]).then(a.cmp(&b)));
                    for &i in &order {
                        if left == 0 {
                            break;
                        }
                        floors[i] += 1;
                        left -= 1;
                    }
                    floors
                };
                for (&n, part) in siblings.iter().zip(parts) {
                    if part == 0 {
                        continue;
                    }
                    let Ok(mantissa) = i128::try_from(part) else { continue };
                    let share = Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale);
                    let days_of = shares.entry(n).or_insert_with(|| vec![Decimal::ZERO; days]);
                    if let Ok(share) = share {
                        days_of[day] = days_of[day].checked_add(share).unwrap_or(days_of[day]);
                    }
                }
            }
        }
        shares
    }
}

/// The daily targets of the nodes of `node_index` (leaf paths cut to
/// `depth`, numbered in order of first appearance), summed from the leaves.
fn daily_targets(
    engine: &Engine<'_>,
    metric: usize,
    node_index: &IndexMap<Vec<&str>, usize>,
    depth: usize,
    days: usize,
) -> Result<DailyTargets> {
    let mut targets = DailyTargets::new(days);
    for _ in 0..node_index.len() {
        targets.push();
    }
    // The leaves must come as they came for their yearly figures: the
    // nodes appear in the same order, and every one of them.
    let mut appeared = 0;
    let mut same = true;
    engine.for_each_leaf_of(metric, Level::Day, |path, series| match node_index.get(&path[..depth]) {
        Some(&n) => {
            same &= n <= appeared;
            appeared += usize::from(n == appeared);
            targets.add(n, series);
        }
        None => same = false,
    });
    if same && appeared == node_index.len() {
        Ok(targets)
    } else {
        Err(Error::invalid(
            Diagnostic::new("internal error: the plan's members came in a different order for days than for the year")
                .help("please report this with the plan; `salesplit decompose` is not affected"),
        ))
    }
}

/// [`Figures::of`] a period's days, its actuals summed as `Decimal`s would be.
fn figures(targets: &[u128], actuals: &[Total], done: usize, precision: Precision, tolerance: Decimal) -> Figures {
    let actual_to_date = actuals[..done].iter().fold(Total::ZERO, |sum, a| sum.add(*a)).decimal();
    Figures::from_sums(
        targets.iter().sum(),
        targets[..done].iter().sum(),
        targets[done..].iter().filter(|t| **t > 0).count(),
        actual_to_date,
        done > 0,
        precision,
        tolerance,
    )
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

#[cfg(test)]
mod tests;
