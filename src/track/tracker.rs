//! Stage `track`: a plan's targets and its actual sales side by side, per
//! tracked org node and day, and the reports made from them.
//!
//! One file of about 500 lines on purpose: reading the actuals, the daily
//! targets and the reports share the tracker's state; re-planning
//! (`tracker/replanning.rs`) and the unit tests have files of their own.

use std::io::Read;

use chrono::NaiveDate;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::daily::{DailyActuals, DailyTargets, Total};
// `UNPLANNED` for `replanning` (which names it `super::UNPLANNED`).
use super::figures::TotalRow;
use super::{Actuals, ActualsShape, Figures, TrackedMetric, TrackedNodes, UNPLANNED};
use crate::calendar::{Level, Period};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::engine::Cell;
use crate::engine::{
    view_name, AsOf, CellSink, Column, ColumnKind, Engine, Header, Request, TimeView, TotalRule, Value,
};
use crate::error::{Error, Result};
use crate::plan::csv_source::{CsvSource, STREAM_LIMITS};
use crate::plan::ReadAs;
use crate::plan::{Precision, RowTally};

mod replanning;

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

/// Actuals that are a file on disk, which can be read in parts and again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OnDisk<'a> {
    /// Where the file is.
    pub path: &'a std::path::Path,
    /// A plain file of at least this many bytes is read in parts, one per thread.
    pub split_from: u64,
    /// Reports break the actuals down by at most this many splits (from the
    /// first): amounts need be kept no deeper.
    pub reported: usize,
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
    /// How many splits deep amounts are kept: reports break them down no further.
    kept: usize,
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
    /// The metric compared is the plan's default one ([`TrackedMetric::choose`]).
    pub fn new(engine: &'e Engine<'p>, input: impl Read, file: &str, strict: bool) -> Result<Tracker<'e, 'p>> {
        let metric = TrackedMetric::choose(engine.plan(), None)?;
        Tracker::of_metric(engine, metric, input, file, strict, &ReadAs::default())
    }

    /// As [`Tracker::new`], comparing `metric`, the actuals read as `read_as` says.
    pub fn of_metric(
        engine: &'e Engine<'p>,
        metric: TrackedMetric,
        input: impl Read,
        file: &str,
        strict: bool,
        read_as: &ReadAs,
    ) -> Result<Tracker<'e, 'p>> {
        let threads = engine.threads().min(2);
        Tracker::with_threads(engine, metric, (input, read_as, None), file, strict, threads)
    }

    /// As [`Tracker::of_metric`], the actuals being the file at `path`
    /// (opened as `input`): a large plain file is then read on every thread
    /// (`SALESPLIT_THREADS`), with the same result as in one piece. With
    /// `reported`, reports will break the actuals down by at most that many
    /// splits (from the first), so amounts are kept no deeper; rows are still
    /// checked as deep as the file's columns go.
    pub fn of_file(
        engine: &'e Engine<'p>,
        metric: TrackedMetric,
        (input, path, reported): (std::fs::File, &std::path::Path, Option<usize>),
        file: &str,
        strict: bool,
        read_as: &ReadAs,
    ) -> Result<Tracker<'e, 'p>> {
        let threads = engine.threads().min(2);
        let on_disk =
            OnDisk { path, split_from: super::split_read::SPLIT_FROM, reported: reported.unwrap_or(usize::MAX) };
        Tracker::with_threads(engine, metric, (input, read_as, Some(on_disk)), file, strict, threads)
    }

    /// As [`Tracker::new`], on `threads` threads (1 or 2): the same result
    /// either way. With `on_disk`, the actuals are that file (see [`OnDisk`]).
    pub(crate) fn with_threads(
        engine: &'e Engine<'p>,
        metric: TrackedMetric,
        (input, read_as, on_disk): (impl Read, &ReadAs, Option<OnDisk<'_>>),
        file: &str,
        strict: bool,
        threads: usize,
    ) -> Result<Tracker<'e, 'p>> {
        let plan = engine.plan();
        let precision = metric.precision;
        let calendar = engine.calendar();
        let days = calendar.level(Level::Day).len();
        // The days with targets: the year, or the one period the plan covers.
        let planned = match &plan.period {
            Some(p) => calendar.day_index(p.start)..calendar.day_index(p.end) + 1,
            None => 0..days,
        };
        let split_names: Vec<String> = plan.splits.iter().map(|s| s.by.clone()).collect();
        // The file's header decides how deep tracking goes, so read it first.
        let source = CsvSource::new_as(input, file, super::actuals::NOUN, STREAM_LIMITS, read_as)?;
        let depth = split_names.iter().take_while(|s| source.find(s).is_some()).count();
        // A header without the columns it needs is said at once, not after
        // the targets (a second of work on a large plan) are worked out.
        super::actuals::Columns::of(&source, &metric.name, &split_names)?;
        // Amounts are kept as deep as the reports look, at most as deep as rows are checked.
        let kept = depth.min(on_disk.map_or(usize::MAX, |d| d.reported));
        // Tracked nodes: leaf paths cut to `depth`, in first-appearance
        // order, their amounts kept per path cut to `kept`. Their daily
        // targets, the engine's real work, are worked out while the actuals
        // are read (on the other cores when there are).
        let mut node_index: IndexMap<Vec<&'p str>, usize> = IndexMap::new();
        for path in engine.leaf_paths() {
            if !node_index.contains_key(&path[..depth]) {
                node_index.insert(path[..depth].to_vec(), node_index.len());
            }
        }
        let nodes = TrackedNodes::kept_to(node_index.into_keys().collect(), kept);
        let daily_targets = || daily_targets(engine, metric.index, &nodes.kept, kept, days);
        let read = || {
            // A large plain file on every thread when it splits exactly, else in one piece.
            let plain_text = read_as.sheet.is_none() && read_as.encoding.is_none() && source.sheet().is_none();
            if let (Some(OnDisk { path, split_from: from, .. }), true) = (on_disk, plain_text) {
                let against = super::split_read::Against {
                    metric: &metric.name,
                    splits: &split_names,
                    nodes: &nodes,
                    first: calendar.start(),
                    planned: planned.clone(),
                    days,
                    decimals: precision.decimals(),
                };
                // The targets are worked out on every thread meanwhile: one
                // reader fewer, as a thread more than the cores switches more
                // than it reads (10M rows on 2 cores: 1.10 s read in two parts, 1.06 s in one).
                let parts = if threads > 1 { engine.threads() - 1 } else { engine.threads() };
                let named = (file, source.delimiter());
                if let Some(read) = super::split_read::read_split(path, named, (parts, from), &against) {
                    return Ok(read);
                }
            }
            let mut daily = DailyActuals::new(days, precision.decimals(), nodes.len());
            Actuals::read_into(
                source,
                &metric.name,
                &split_names,
                &nodes,
                calendar.start(),
                planned.clone(),
                &mut daily,
            )
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
        if let Some(d) = on_disk.filter(|_| !nodes.whole() && daily.finer_than_plan()) {
            // Amounts finer than the plan's: their sums' decimals depend on
            // the order they are added in, so add them as deep as always.
            let input = std::fs::File::open(d.path).map_err(|source| Error::Io {
                path: d.path.to_path_buf(),
                action: "read",
                source,
            })?;
            let on_disk = OnDisk { reported: usize::MAX, ..d };
            return Tracker::with_threads(engine, metric, (input, read_as, Some(on_disk)), file, strict, threads);
        }
        let targets = targets?;
        let mut warnings = Vec::new();
        if !shape.unused.is_empty() {
            let missing = &split_names[shape.depth];
            warnings.push(
                Diagnostic::new(Code::ActualsColumnUnused, format!(
                    "the actuals have no `{missing}` column, so their {} column{} cannot be placed and they are tracked by {}",
                    shape.unused.join(", "),
                    if shape.unused.len() > 1 { "s" } else { "" },
                    if shape.depth == 0 { "the company as a whole".to_string() } else { split_names[..shape.depth].join(", ") }
                ))
                .at(Location::file(file))
                .help(format!("add a `{missing}` column to track deeper")),
            );
        }
        if actuals.outside_rows.rows > 0 {
            warnings.push(
                Diagnostic::new(
                    Code::ActualsOutsideYear,
                    format!(
                        "{} ({} in all) {} dated outside {} and {} left out",
                        rows(actuals.outside_rows.rows),
                        precision.show(actuals.outside_rows.amount),
                        verb(actuals.outside_rows.rows, "is", "are"),
                        match &plan.period {
                            Some(p) => format!("the plan's period {} ({} to {})", p.label, p.start, p.end),
                            None => format!("the plan year ({} to {})", calendar.start(), calendar.end()),
                        },
                        verb(actuals.outside_rows.rows, "is", "are"),
                    ),
                )
                .at(Location::file(file))
                .help(if plan.period.is_some() {
                    "track those rows with the plan of their period, or leave them out of the file"
                } else {
                    "track those rows with the plan of their year, or leave them out of the file"
                }),
            );
        }
        if actuals.unplanned_rows.rows > 0 {
            let RowTally { rows: n, amount } = actuals.unplanned_rows;
            let amount = precision.show(amount);
            let what =
                format!("{} ({amount} in all) {} members that are not in the plan", rows(n), verb(n, "names", "name"));
            let (at, first) = actuals.first_unplanned.clone().unwrap_or_else(|| (Location::file(file), String::new()));
            let unplanned = super::UNPLANNED;
            if strict {
                return Err(Error::invalid(Diagnostic::new(Code::UnplannedMembers, what).at(at).note(first).help(format!(
                    "add those members to the plan, or fix their names in the actuals (without --strict they are reported under `{unplanned}`)"
                ))));
            }
            warnings.push(
                Diagnostic::new(Code::ActualsUnplanned, format!("{what}; they are reported under `{unplanned}`"))
                    .at(at)
                    .note(first)
                    .help("add those members to the plan, or fix their names in the actuals; pass --strict to make this an error"),
            );
        }
        let mut paths: Vec<Vec<String>> =
            nodes.kept.keys().map(|p| p.iter().map(std::string::ToString::to_string).collect()).collect();
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
            kept,
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
            Diagnostic::new(
                Code::ActualsAfterAsOf,
                format!(
                    "{} ({amount} in all) {} dated after the as-of date, {as_of}, so {} not in the figures to date",
                    rows(n),
                    verb(n, "is", "are"),
                    verb(n, "it is", "they are"),
                ),
            )
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
            Diagnostic::new(Code::ActualsEndEarly, format!(
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
    pub fn request(&self, by: Option<&str>, period: Option<&str>, today: NaiveDate) -> Result<Request> {
        let plan = self.engine.plan();
        let tracked: Vec<&str> = plan.splits[..self.shape.depth].iter().map(|s| s.by.as_str()).collect();
        let default;
        let by = if let Some(b) = by {
            b
        } else {
            let level = self.engine.calendar().level_name(plan.level);
            default = tracked.iter().copied().chain([level]).collect::<Vec<_>>().join(",");
            &default
        };
        let request = self.engine.request_on(Some(by), period, today)?;
        if let Some(&deep) = request.splits.iter().find(|&&s| s >= self.shape.depth) {
            let missing = &plan.splits[self.shape.depth].by;
            let deep = &plan.splits[deep].by;
            let add = if missing == deep {
                format!("add a `{missing}` column to {}", self.file)
            } else {
                format!("add a `{missing}` column to {} ({deep} comes under {missing} in the plan)", self.file)
            };
            return Err(Error::invalid(
                Diagnostic::new(
                    Code::MissingColumn,
                    format!("the actuals have no `{missing}` column, so they cannot be tracked by {deep}"),
                )
                .at(Location::file(&self.file))
                .help(if tracked.is_empty() {
                    format!("track the company as a whole (e.g. --by month), or {add}")
                } else {
                    format!("track by {} (e.g. --by {},month), or {add}", tracked.join(", "), tracked.join(","))
                }),
            ));
        }
        if request.depth() > self.kept {
            return Err(Error::invalid(
                Diagnostic::new(
                    Code::Internal,
                    "internal error: the report breaks the actuals down deeper than they were kept",
                )
                .help("please report this with the command line; without --by the report is not affected"),
            ));
        }
        Ok(request)
    }

    /// Groups the nodes by the breakdown's splits: per group its member
    /// names and the nodes in it, groups in order of first appearance.
    fn groups(&self, request: &Request) -> IndexMap<Vec<&str>, Vec<usize>> {
        let mut groups: IndexMap<Vec<&str>, Vec<usize>> = IndexMap::new();
        for (n, path) in self.paths.iter().enumerate() {
            let key: Vec<&str> = request.splits.iter().map(|&s| path[s].as_str()).collect();
            groups.entry(key).or_default().push(n);
        }
        groups
    }

    /// The breakdown's periods and, for each, its day range and whether `--period` keeps it.
    fn periods(&self, request: &Request) -> Vec<(&Period, std::ops::Range<usize>)> {
        let calendar = self.engine.calendar();
        let periods: &[Period] = match request.time {
            TimeView::Tree(level) => calendar.level(level),
            TimeView::IsoWeek => calendar.iso_weeks(),
        };
        periods
            .iter()
            .filter(|p| request.keeps(p))
            .map(|p| (p, calendar.day_index(p.start)..calendar.day_index(p.end) + 1))
            .collect()
    }

    /// The header of a report or re-plan with these value columns and how
    /// their totals are made.
    fn header(&self, request: &Request, (columns, totals): (Vec<Column>, Vec<TotalRule>), as_of: AsOf) -> Header {
        let mut header = self.engine.header(request);
        header.time = view_name(self.engine.calendar(), request.time).to_string();
        header.columns = columns;
        header.totals = totals;
        header.precision = self.metric.precision;
        header.metrics = vec![self.metric.name.clone()];
        header.as_of = Some(as_of);
        header
    }

    /// The day index of `as_of` plus one: how many days of the year are done.
    fn done(&self, as_of: NaiveDate) -> usize {
        let calendar = self.engine.calendar();
        let days = calendar.level(Level::Day).len();
        let done = (as_of - calendar.start()).num_days() + 1;
        usize::try_from(done).map_or(0, |done| done.min(days))
    }

    /// The tracking report: for every cell of the breakdown, target, target
    /// and actual to date, attainment, gap, remaining, run rate, projection
    /// and status as of `as_of`; then the total row: its
    /// additive figures the exact sums of the rows', its attainment, run
    /// rate and status worked out from those sums.
    pub fn report(
        &self,
        request: &Request,
        as_of: NaiveDate,
        tolerance: Decimal,
        sink: &mut dyn CellSink,
    ) -> std::io::Result<ReportSummary> {
        let precision = self.metric.precision;
        let done = self.done(as_of);
        let periods = self.periods(request);
        let days = self.engine.calendar().level(Level::Day).len();
        // The days the rows cover: how many are done, and how many after
        // as-of have a target (the company's, every planned node's summed).
        let mut company = vec![0u128; days];
        for n in 0..self.targets.len() {
            self.targets.add_to(n, &mut company);
        }
        let kept = || periods.iter().flat_map(|(_, r)| r.clone());
        let started = kept().any(|d| d < done);
        let days_left = kept().filter(|&d| d >= done && company[d] > 0).count();
        sink.begin(&self.header(
            request,
            report_columns(days_left, precision),
            AsOf { date: as_of, replan: false, tolerance },
        ))?;
        let mut total = TotalRow::default();
        let mut lowest: Option<(Decimal, String)> = None;
        for (members, nodes) in self.groups(request) {
            let (t, a) = self.sum_nodes(&nodes, days);
            for (period, range) in &periods {
                let done_here = done.clamp(range.start, range.end) - range.start;
                let f = figures(&t[range.clone()], &a[range.clone()], done_here, precision, tolerance);
                total.add(&f);
                if let Some(att) = f.attainment {
                    if lowest.as_ref().is_none_or(|(l, _)| att < *l) {
                        let name =
                            members.iter().copied().chain([period.label.as_str()]).collect::<Vec<_>>().join(" / ");
                        lowest = Some((att, name));
                    }
                }
                sink.cell(&Cell { members: &members, period, values: &values(&f) })?;
            }
        }
        let total = total.figures(days_left, started, precision, tolerance);
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
            Diagnostic::new(
                Code::Internal,
                "internal error: the plan's members came in a different order for days than for the year",
            )
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

/// The report's columns ([`REPORT_COLUMNS`]) and how their totals are
/// made: every amount summed but `run_rate`, a pace over the `days_left`
/// days after as-of with a target; `attainment` the total's
/// `actual_to_date / target_to_date`; `status` the total's own word.
fn report_columns(days_left: usize, precision: Precision) -> (Vec<Column>, Vec<TotalRule>) {
    let at = |name: &str| REPORT_COLUMNS.iter().position(|c| *c == name).expect("a report column");
    REPORT_COLUMNS
        .iter()
        .map(|&name| match name {
            "attainment" => (
                Column { name: name.to_string(), kind: ColumnKind::Ratio },
                TotalRule::Ratio {
                    numerator: at("actual_to_date"),
                    denominator: at("target_to_date"),
                    decimals: super::figures::RATIO_DECIMALS,
                },
            ),
            "status" => (Column { name: name.to_string(), kind: ColumnKind::Text }, TotalRule::Own),
            "run_rate" => (
                Column { name: name.to_string(), kind: ColumnKind::Amount },
                TotalRule::PerDay { of: at("remaining"), days: days_left as u64, decimals: precision.decimals() },
            ),
            _ => (Column { name: name.to_string(), kind: ColumnKind::Amount }, TotalRule::Sum),
        })
        .unzip()
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
