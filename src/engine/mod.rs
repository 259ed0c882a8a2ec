//! Stage `engine` (plan -> calendar -> allocate -> **engine** -> render): the
//! cascade. The plan's total is shared down its splits in order (every
//! member under every parent), then each org leaf's amount down the time
//! tree (year -> quarter -> month -> week -> day), every step by
//! [`crate::allocate::apportion`]. Cells stream out to a [`CellSink`].
//!
//! Contract: every cell is a node of that cascade, or the exact sum of nodes
//! (a cross-cut, when `--by` leaves splits out); a coarser time level shows
//! the same nodes a finer run sums to; the same plan gives the same cells in
//! the same order. The org tree is shared once up front, so every error is
//! found before the first cell is written.

mod breakdown;
mod cell;
mod cell_sink;
mod explanation;
mod holds;
mod joint_rounding;
mod org_tree;
mod people;
mod review;
mod value;
mod view;

pub use breakdown::{view_name, Breakdown, TimeView};
pub use cell::{AsOf, Cell, Header};
pub use cell_sink::CellSink;
pub use explanation::{cell_text, Basis, Explanation, Rounding, Step};
pub use value::{Column, ColumnKind, Value};
pub use view::{CrossRow, Crosstab, Dim, LevelRow, Listing, ListingRow, Pivots, Summarised, Summary, SummarySink};

use holds::HeldCells;
use org_tree::{Amount, OrgTree};
use people::People;

use chrono::{Datelike, NaiveDate};
use indexmap::IndexSet;
use rust_decimal::Decimal;

use crate::allocate::{Apportioner, Exact, Part, Share};
use crate::calendar::{Calendar, Level, Period};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::{Breakback, Funnel, LevelTarget, MetricKind, Plan, Precision};

/// Per level (year..day) and period, the shares of its children.
type TimeTable = Vec<Vec<Vec<Share>>>;

/// Buffers for one level of the time tree, reused for every leaf.
#[derive(Debug, Default)]
struct LevelScratch {
    apportioner: Apportioner,
    parts: Vec<Part>,
    units: Vec<u128>,
}

/// How one output column gets its figures.
#[derive(Debug)]
enum Source<'p> {
    /// A shared metric: each org leaf's amount, spread down a time table.
    Shared {
        /// Per org leaf: rounded units and exact value.
        amounts: Vec<Amount>,
        /// Per org leaf: the index of its time table in [`Engine::tables`].
        tables: Vec<usize>,
        /// The metric's own time table; a leaf with another follows a
        /// person's days in seat.
        base: usize,
        /// Groups of periods with a hold, rounded for all leaves together.
        held: HeldCells,
    },
    /// A level: every member inherits it, periods follow its path.
    Level(&'p LevelTarget),
}

/// One value column of a run.
#[derive(Debug)]
struct Series<'p> {
    column: Column,
    precision: Precision,
    source: Source<'p>,
}

/// A plan made ready to run: its calendar built and its org tree shared.
#[derive(Debug)]
pub struct Engine<'p> {
    plan: &'p Plan,
    calendar: Calendar,
    /// Each org leaf's member path, in cascade order.
    paths: org_tree::Paths<'p>,
    /// The output columns, in order: the metrics as written (each followed
    /// by its `_base` column when over-assigned).
    series: Vec<Series<'p>>,
    /// Time tables: per metric's time weights (and, later, per person).
    tables: Vec<TimeTable>,
    /// The people of the roster splits (for explanations).
    people: People<'p>,
    /// Threads a run may use (1 or 2): see [`Engine::set_threads`].
    threads: usize,
    /// Things to look at twice that do not stop the run.
    warnings: Vec<Diagnostic>,
}

impl<'p> Engine<'p> {
    /// Builds the calendar, the time tables and the people, and shares the
    /// target down the org tree.
    ///
    /// It checks nothing that the plan's text shows: [`Plan::read`] has, with
    /// every other problem of the file in one run (calendar, level paths,
    /// holds, the org tree's size, dated people: `plan::check`). A `Plan`
    /// built another way that breaks that contract is refused with the same
    /// messages, never a panic. What only the build can find stays here, all
    /// of it found before the first cell is written: a fixed amount above its
    /// parent's computed share, a parent with nobody to share among, caps and
    /// floors its share cannot meet, nobody in seat on days that carry a
    /// team's target, over-assignment beyond what can be written, and a
    /// funnel that needs more activities than can be counted after sharing.
    pub fn new(plan: &'p Plan) -> Result<Engine<'p>> {
        // Guards for a plan not read by `Plan::read`: the reader's own messages.
        let broken = || Error::Invalid(crate::plan::check(plan));
        let org = crate::plan::check_org(plan);
        if !org.is_empty() {
            return Err(Error::Invalid(org));
        }
        let calendar = Calendar::build(&plan.calendar).map_err(|_| broken())?;
        let reference = plan.reference();
        let mut warnings = warnings(plan, &calendar);
        // One time table per shared metric (its own weights, holds on the reference).
        let mut tables: Vec<TimeTable> = Vec::new();
        let mut metric_table: Vec<Option<usize>> = vec![None; plan.metrics.len()];
        let holds = match plan.holds.is_empty() {
            true => None,
            false => match Breakback::new(plan, &calendar) {
                (holds, unknown) if unknown.is_empty() => Some(holds),
                _ => return Err(broken()),
            },
        };
        for (i, metric) in plan.metrics.iter().enumerate() {
            if !metric.is_shared() {
                continue;
            }
            let mut table = if metric.time.is_some() {
                let spec = plan.calendar_of(metric);
                let own = Calendar::build(&spec).map_err(|_| broken())?;
                time_table(&own)
            } else {
                time_table(&calendar)
            };
            if let (Some(holds), true) = (&holds, i == reference) {
                holds.apply(&mut table).map_err(|_| broken())?;
            }
            tables.push(table);
            metric_table[i] = Some(tables.len() - 1);
        }
        let base_table = metric_table[reference].map_or_else(|| time_table(&calendar), |t| tables[t].clone());
        let people = People::new(plan, &calendar, &base_table)?;
        let mut tree = OrgTree::build(plan, &people)?;
        let leaves = tree.paths.len();
        // Per shared metric, each leaf's time table: a person in seat part of
        // the year follows their own days.
        let mut leaf_tables: Vec<Vec<usize>> = vec![Vec::new(); plan.metrics.len()];
        for (i, t) in metric_table.iter().enumerate() {
            let Some(t) = *t else { continue };
            leaf_tables[i] = vec![t; leaves];
            let Some(d) = people.dated else { continue };
            let days = people::day_shares(&calendar, &tables[t]);
            let split = &plan.splits[d];
            let mut teams: std::collections::HashMap<&[&str], people::Team> = std::collections::HashMap::new();
            // People of one team with the same dates and ramp follow the same days.
            type Seat<'a> = (&'a [&'a str], Option<NaiveDate>, Option<NaiveDate>, &'a [Decimal], bool);
            let mut made: std::collections::HashMap<Seat<'_>, usize> = std::collections::HashMap::new();
            // Each set's members by name, built once: a search per leaf would be quadratic in a team.
            let mut positions: std::collections::HashMap<
                *const crate::plan::MemberSet,
                std::collections::HashMap<&str, usize>,
            > = std::collections::HashMap::new();
            for (leaf, path) in tree.paths.iter().enumerate() {
                let set = split.members_for(split.parent.map(|p| path[p])).expect("a leaf's parent has members");
                let index = positions
                    .entry(std::ptr::from_ref(set))
                    .or_insert_with(|| set.members.iter().enumerate().map(|(i, m)| (m.name.as_str(), i)).collect());
                let member = index[path[d]];
                let m = &set.members[member];
                let key =
                    (&path[..d], m.person().start, m.person().end, &m.person().ramp[..], m.name == crate::plan::VACANT);
                if let Some(&own) = made.get(&key) {
                    leaf_tables[i][leaf] = own;
                    continue;
                }
                let team = teams.entry(&path[..d]).or_insert_with(|| people.team(set));
                let own = match people.profile(set, team, member, &days) {
                    Some(weights) => {
                        let own = people::table_from_days(&calendar, &tables[t], &weights);
                        tables.push(own);
                        tables.len() - 1
                    }
                    None => t,
                };
                made.insert(key, own);
                leaf_tables[i][leaf] = own;
            }
        }
        let mut series = Vec::new();
        for (i, metric) in plan.metrics.iter().enumerate() {
            let precision = plan.precision_of(metric);
            let kind = match metric.kind {
                MetricKind::Level(ref level) => {
                    if level.path.iter().any(|(label, ..)| calendar.find(label).is_none()) {
                        return Err(broken());
                    }
                    series.push(Series {
                        column: Column { name: metric.name.clone(), kind: level_kind(level) },
                        precision,
                        source: Source::Level(level),
                    });
                    continue;
                }
                MetricKind::Amount => ColumnKind::Amount,
                MetricKind::Count => ColumnKind::Count,
            };
            let t = metric_table[i].expect("a shared metric has a table");
            let mut held = HeldCells::default();
            if let (Some(holds), true) = (&holds, i == reference) {
                let (cells, hold_warnings) = holds::cells(plan, &calendar, holds, &tree.amounts[i], &tables[t]);
                held = cells;
                warnings.extend(hold_warnings);
            } else if kind == ColumnKind::Count {
                held = count_cells(&calendar, &tree.amounts[i], &tables, &leaf_tables[i], t);
            }
            // The tree's amounts move into the series (a million leaves are
            // 64 MB); only a funnel worked out from this metric still reads them.
            let funnel_here = plan.funnel.as_ref().is_some_and(|f| f.metric == i);
            let own = if funnel_here { tree.amounts[i].clone() } else { std::mem::take(&mut tree.amounts[i]) };
            let mut columns = vec![(metric.name.clone(), own)];
            if let Some(base) = &tree.base {
                columns.push((format!("{}_base", metric.name), base[i].clone()));
            }
            for (name, amounts) in columns {
                // A base column rounds on its own: the holds' joint rounding is for the assigned figures.
                let held = if name == metric.name { held.clone() } else { HeldCells::default() };
                series.push(Series {
                    column: Column { name, kind },
                    precision,
                    source: Source::Shared { amounts, tables: leaf_tables[i].clone(), base: t, held },
                });
            }
            if let Some(funnel) = plan.funnel.as_ref().filter(|f| f.metric == i) {
                let mut stages = funnel_series(plan, funnel, &tree, &leaf_tables[i], t)?;
                for stage in &mut stages {
                    if let Source::Shared { amounts, held, .. } = &mut stage.source {
                        *held = count_cells(&calendar, amounts, &tables, &leaf_tables[i], t);
                    }
                }
                series.extend(stages);
            }
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        Ok(Engine { plan, calendar, paths: tree.paths, series, tables, people, threads, warnings })
    }

    /// How many threads a run may use: 1, or 2 to work out figures on one
    /// while the other writes. The output is byte for byte the same either
    /// way; the default is 2 on a machine with two cores or more.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.clamp(1, 2);
    }

    /// Things about the plan to look at twice (say, dates that no holiday
    /// calendar covers); they do not stop the run.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The plan year's calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The plan being run.
    pub fn plan(&self) -> &Plan {
        self.plan
    }

    /// Resolves `--by` and `--period` for this plan, with relative periods
    /// (`today`, `next-month`) taken from `today` (see [`Breakdown::resolve`]).
    pub fn breakdown_on(&self, by: Option<&str>, period: Option<&str>, today: NaiveDate) -> Result<Breakdown> {
        Breakdown::resolve(self.plan, &self.calendar, by, period, today)
    }

    /// As [`Engine::breakdown_on`], with relative periods taken from the
    /// machine's local date.
    pub fn breakdown(&self, by: Option<&str>, period: Option<&str>) -> Result<Breakdown> {
        self.breakdown_on(by, period, chrono::Local::now().date_naive())
    }

    /// The periods a breakdown's cells have, in time order.
    fn periods(&self, breakdown: &Breakdown) -> &[Period] {
        match breakdown.time {
            TimeView::Tree(level) => self.calendar.level(level),
            TimeView::IsoWeek => self.calendar.iso_weeks(),
        }
    }

    /// Which of [`Engine::periods`] the breakdown's `--period` keeps.
    fn kept(&self, breakdown: &Breakdown) -> Vec<bool> {
        self.periods(breakdown).iter().map(|p| breakdown.keeps(p)).collect()
    }

    /// The header every output of this breakdown starts with.
    pub fn header(&self, breakdown: &Breakdown) -> Header {
        let columns: Vec<Column> = self.series.iter().map(|s| s.column.clone()).collect();
        Header {
            plan: self.plan.name.clone(),
            currency: self.plan.currency.clone(),
            year: self.plan.year,
            precision: self.plan.precision,
            metrics: columns.iter().map(|c| c.name.clone()).collect(),
            columns,
            splits: breakdown.splits.iter().map(|&i| self.plan.splits[i].by.clone()).collect(),
            time: view_name(&self.calendar, breakdown.time).to_string(),
            as_of: None,
        }
    }

    /// Calls `f` with every org leaf's member path and the reference
    /// metric's figures (in rounding units) for each period of `level`,
    /// leaves in cascade order.
    pub fn for_each_leaf(&self, level: Level, f: impl FnMut(&[&'p str], &[u128])) {
        self.for_each_leaf_of(self.plan.reference(), level, f)
    }

    /// As [`Engine::for_each_leaf`], with the figures of the shared metric
    /// `metric` (an index in the plan's metrics), in its own rounding units.
    pub fn for_each_leaf_of(&self, metric: usize, level: Level, mut f: impl FnMut(&[&'p str], &[u128])) {
        let mut scratch = scratch();
        let mut out = Vec::with_capacity(self.calendar.level(level).len());
        let name = &self.plan.metrics[metric].name;
        let series = self.series.iter().find(|s| &s.column.name == name).expect("every metric has a column");
        for (i, path) in self.paths.iter().enumerate() {
            out.clear();
            self.spread_leaf(series, i, level, &mut out, &mut scratch);
            f(path, &out);
        }
    }

    /// The column of the reference metric.
    fn reference_series(&self) -> &Series<'p> {
        let name = &self.plan.metrics[self.plan.reference()].name;
        self.series.iter().find(|s| &s.column.name == name).expect("the reference metric has a column")
    }

    /// How many cells the breakdown prints (member combinations times
    /// periods kept), without computing them.
    pub fn cell_count(&self, breakdown: &Breakdown) -> u64 {
        let kept = self.kept(breakdown).iter().filter(|k| **k).count() as u64;
        let combinations = if breakdown.splits.len() == self.plan.splits.len() {
            self.paths.len()
        } else {
            let keys: std::collections::HashSet<Vec<&str>> =
                self.paths.iter().map(|path| breakdown.splits.iter().map(|&s| path[s]).collect()).collect();
            keys.len()
        };
        combinations as u64 * kept
    }

    /// Runs the breakdown into `sink`. Errors here are output errors only.
    pub fn run(&self, breakdown: &Breakdown, sink: &mut dyn CellSink) -> std::io::Result<()> {
        let header = self.header(breakdown);
        sink.begin(&header)?;
        let periods = self.periods(breakdown);
        let keep = self.kept(breakdown);
        let width = self.series.len();
        let levels: Vec<Option<Vec<Value>>> = self
            .series
            .iter()
            .map(|s| match &s.source {
                Source::Level(target) => Some(periods.iter().map(|p| self.level_at(target, p)).collect()),
                Source::Shared { .. } => None,
            })
            .collect();
        let mut totals: Vec<u128> = vec![0; width];
        // Per leaf: each shared column's figures, period-major (period i, column c at i * width + c).
        let stride = periods.len() * width;
        let mut values: Vec<Value> = vec![Value::Missing; width];
        let every_split = breakdown.splits.len() == self.plan.splits.len();
        // Each kept combination of members, in order of first appearance, and
        // its sums at `sums[group * stride..]`: one array, not a million small ones.
        let mut groups: IndexSet<Box<[&str]>> = IndexSet::new();
        let mut sums: Vec<u128> = Vec::new();
        let mut consume = |leaf: usize, figures: &[u128]| -> std::io::Result<()> {
            let path = &self.paths[leaf];
            if every_split {
                for (i, period) in periods.iter().enumerate() {
                    if keep[i] {
                        let units = &figures[i * width..(i + 1) * width];
                        self.emit(sink, path, period, i, units, &levels, &mut totals, &mut values)?;
                    }
                }
            } else {
                let key: Box<[&str]> = breakdown.splits.iter().map(|&s| path[s]).collect();
                let (group, new) = groups.insert_full(key);
                if new {
                    sums.resize(sums.len() + stride, 0);
                }
                for (sum, units) in sums[group * stride..(group + 1) * stride].iter_mut().zip(figures) {
                    *sum += units;
                }
            }
            Ok(())
        };
        let compute = |leaves: std::ops::Range<usize>, buffer: &mut Vec<u128>, work: &mut LeafWork| {
            buffer.clear();
            buffer.resize(leaves.len() * stride, 0);
            for (k, leaf) in leaves.enumerate() {
                self.leaf_figures(leaf, breakdown, periods, &levels, &mut buffer[k * stride..(k + 1) * stride], work);
            }
        };
        let leaves = self.paths.len();
        if self.threads < 2 || leaves < 2 * BATCH {
            let mut work = LeafWork::default();
            let mut buffer = Vec::new();
            for leaf in 0..leaves {
                compute(leaf..leaf + 1, &mut buffer, &mut work);
                consume(leaf, &buffer)?;
            }
        } else {
            // Two cores: one thread works out the figures, batch by batch,
            // while this one writes them; batches come back in order, so the
            // output is byte for byte that of one thread, and a bounded queue
            // keeps memory flat.
            std::thread::scope(|scope| -> std::io::Result<()> {
                let (batches, received) = std::sync::mpsc::sync_channel::<(usize, Vec<u128>)>(4);
                let (spent, reuse) = std::sync::mpsc::channel::<Vec<u128>>();
                scope.spawn(move || {
                    let mut work = LeafWork::default();
                    for start in (0..leaves).step_by(BATCH) {
                        let mut buffer = reuse.try_recv().unwrap_or_default();
                        compute(start..(start + BATCH).min(leaves), &mut buffer, &mut work);
                        if batches.send((start, buffer)).is_err() {
                            return; // the writer stopped (a closed pipe, a full disk)
                        }
                    }
                });
                let result = received.iter().try_for_each(|(start, buffer)| {
                    for (k, figures) in buffer.chunks(stride.max(1)).enumerate().take(BATCH.min(leaves - start)) {
                        consume(start + k, figures)?;
                    }
                    let _ = spent.send(buffer);
                    Ok(())
                });
                // Dropping the receiver ends the worker if the writer failed.
                drop(received);
                result
            })?;
        }
        for (group, key) in groups.iter().enumerate() {
            let sums = &sums[group * stride..(group + 1) * stride];
            for (i, period) in periods.iter().enumerate() {
                if keep[i] {
                    self.emit(
                        sink,
                        key,
                        period,
                        i,
                        &sums[i * width..(i + 1) * width],
                        &levels,
                        &mut totals,
                        &mut values,
                    )?;
                }
            }
        }
        let totals: Vec<Value> = self
            .series
            .iter()
            .zip(&totals)
            .map(|(s, units)| match &s.source {
                Source::Level(target) => level_value(target, target.value),
                Source::Shared { .. } => Value::Amount(s.precision.to_amount(*units)),
            })
            .collect();
        sink.finish(&totals)
    }

    /// One org leaf's figures for a breakdown: each shared column's units per
    /// period, period-major (`figures[i * width + c]`); levels are left alone.
    fn leaf_figures(
        &self,
        leaf: usize,
        breakdown: &Breakdown,
        periods: &[Period],
        levels: &[Option<Vec<Value>>],
        figures: &mut [u128],
        work: &mut LeafWork,
    ) {
        let width = self.series.len();
        for (c, series) in self.series.iter().enumerate() {
            if levels[c].is_some() {
                continue;
            }
            work.out.clear();
            match breakdown.time {
                TimeView::Tree(level) => self.spread_leaf(series, leaf, level, &mut work.out, &mut work.scratch),
                TimeView::IsoWeek => {
                    work.days.clear();
                    self.spread_leaf(series, leaf, Level::Day, &mut work.days, &mut work.scratch);
                    let days = &work.days;
                    work.out.extend(periods.iter().map(|week| days[week.children.clone()].iter().sum::<u128>()));
                }
            }
            for (i, units) in work.out.iter().enumerate() {
                figures[i * width + c] = *units;
            }
        }
    }

    /// Writes one cell: the shared columns' units and the levels of period `i`.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        sink: &mut dyn CellSink,
        members: &[&str],
        period: &Period,
        i: usize,
        units: &[u128],
        levels: &[Option<Vec<Value>>],
        totals: &mut [u128],
        values: &mut [Value],
    ) -> std::io::Result<()> {
        for (c, series) in self.series.iter().enumerate() {
            values[c] = match &levels[c] {
                Some(by_period) => by_period[i],
                None => {
                    totals[c] += units[c];
                    Value::Amount(series.precision.to_amount(units[c]))
                }
            };
        }
        sink.cell(&Cell { members, period, values })
    }

    /// A level's value for a period: the finest path entry containing it,
    /// else the year's value.
    fn level_at(&self, target: &LevelTarget, period: &Period) -> Value {
        let mut best: Option<(Level, Decimal)> = None;
        for (label, value, _) in &target.path {
            if let Some((level, index)) = self.calendar.find(label) {
                let p = self.calendar.period(level, index);
                let inside = p.start <= period.start && period.end <= p.end;
                if inside && best.is_none_or(|(l, _)| level > l) {
                    best = Some((level, *value));
                }
            }
        }
        level_value(target, best.map_or(target.value, |(_, v)| v))
    }

    /// Spreads org leaf `leaf`'s figure of `series` down to `level`.
    fn spread_leaf(
        &self,
        series: &Series<'p>,
        leaf: usize,
        level: Level,
        out: &mut Vec<u128>,
        scratch: &mut [LevelScratch],
    ) {
        let Source::Shared { amounts, tables, held, .. } = &series.source else { return };
        let (units, exact) = &amounts[leaf];
        let walk = Walk { table: &self.tables[tables[leaf]], held, leaf, level };
        self.spread(&walk, Level::Year, 0, *units, exact, out, scratch);
    }

    /// Shares a node of an org leaf's time tree down to `walk.level`,
    /// pushing the units of each period of that level under it, in time order.
    #[allow(clippy::too_many_arguments)]
    fn spread(
        &self,
        walk: &Walk<'_>,
        at: Level,
        index: usize,
        units: u128,
        exact: &Exact,
        out: &mut Vec<u128>,
        scratch: &mut [LevelScratch],
    ) {
        let level = walk.level;
        if at == level {
            out.push(units);
            return;
        }
        let shares = &walk.table[at.index()][index];
        let (mine, deeper) = scratch.split_first_mut().expect("one buffer per level");
        let finer = at.finer().expect("a level above the target has children");
        // The calendar guarantees every period with a share has days to
        // carry it, so these cannot fail.
        let held = walk.held.get(&(at, index)).map(|rows| &rows[walk.leaf]);
        if finer == level && held.is_none() {
            // The last step needs no exact values: skip building them.
            mine.apportioner.units(units, exact, shares, &mut mine.units).expect("calendar shares are valid");
            out.extend_from_slice(&mine.units);
            return;
        }
        mine.apportioner.parts(units, exact, shares, &mut mine.parts).expect("calendar shares are valid");
        if let Some(rounded) = held {
            // Rounded with every other leaf so that held periods keep their holds.
            for (part, units) in mine.parts.iter_mut().zip(rounded) {
                part.units = *units;
            }
        }
        if finer == level {
            out.extend(mine.parts.iter().map(|p| p.units));
            return;
        }
        let first_child = self.calendar.period(at, index).children.start;
        for (offset, part) in mine.parts.iter().enumerate() {
            self.spread(walk, finer, first_child + offset, part.units, &part.exact, out, deeper);
        }
    }
}

/// Org leaves per batch when two threads share a run: big enough to keep
/// the queue cheap, small enough that memory stays flat.
const BATCH: usize = 32;

/// Buffers one thread reuses for every leaf it works out.
#[derive(Debug)]
struct LeafWork {
    out: Vec<u128>,
    days: Vec<u128>,
    scratch: Vec<LevelScratch>,
}

impl Default for LeafWork {
    fn default() -> LeafWork {
        LeafWork { out: Vec::new(), days: Vec::new(), scratch: scratch() }
    }
}

/// What one leaf's walk down the time tree reads.
struct Walk<'a> {
    table: &'a TimeTable,
    held: &'a HeldCells,
    leaf: usize,
    level: Level,
}

/// The funnel's activity columns: each org leaf's whole activities for its
/// money (zero where `where` leaves it out), spread like a count over the
/// money metric's time tables (`tables`, per leaf).
fn funnel_series<'p>(
    plan: &Plan,
    funnel: &Funnel,
    tree: &OrgTree<'p>,
    tables: &[usize],
    metric_table: usize,
) -> Result<Vec<Series<'p>>> {
    let precision = plan.precision_of(&plan.metrics[funnel.metric]);
    let mut counts: Vec<Vec<Amount>> = vec![Vec::with_capacity(tree.paths.len()); funnel.stages.len()];
    for (path, (units, _)) in tree.paths.iter().zip(&tree.amounts[funnel.metric]) {
        let wanted = funnel.filter.iter().all(|(split, member)| path[*split] == member);
        let amount = if wanted { precision.to_amount(*units) } else { Decimal::ZERO };
        let needed = funnel.counts(amount).ok_or_else(|| {
            Error::invalid(
                Diagnostic::new(
                    Code::TooLarge,
                    format!(
                        "the funnel needs more activities than can be counted for {}",
                        if path.is_empty() { "the plan's total".to_string() } else { path.join(" / ") }
                    ),
                )
                .at(funnel.origin.clone())
                .help("raise `deal_size` or the stages' rates"),
            )
        })?;
        for (stage, n) in counts.iter_mut().zip(needed) {
            stage.push((n, Exact::from_units(n)));
        }
    }
    // Each stage's cells add up to its total, which must be writable too.
    for ((name, _), stage) in funnel.stages.iter().zip(&counts) {
        let sum = stage.iter().try_fold(0u128, |sum, (n, _)| sum.checked_add(*n));
        if sum.is_none_or(|s| s > Precision::UNIT.max_units()) {
            return Err(Error::invalid(
                Diagnostic::new(Code::TooLarge, format!("the funnel needs more {name} in all than can be counted"))
                    .at(funnel.origin.clone())
                    .note(format!("a count is at most {}", Precision::UNIT.largest()))
                    .help("raise `deal_size` or the stages' rates"),
            ));
        }
    }
    Ok(funnel
        .stages
        .iter()
        .zip(counts)
        .map(|((name, _), amounts)| Series {
            column: Column { name: name.clone(), kind: ColumnKind::Count },
            precision: Precision::UNIT,
            source: Source::Shared { amounts, tables: tables.to_vec(), base: metric_table, held: HeldCells::default() },
        })
        .collect())
}

/// Whole counts are rounded for all leaves together at the quarters and
/// months, so that the company's quarters and months are the count's own
/// cascade (100 a year with weights 20/30/40/10 shows 20/30/40/10, not
/// 21/30/39/10). Not for leaves on their own time tables (people in seat
/// part of the year): their periods do not share one shape.
fn count_cells(
    calendar: &Calendar,
    amounts: &[Amount],
    tables: &[TimeTable],
    leaf_tables: &[usize],
    table: usize,
) -> HeldCells {
    if leaf_tables.iter().any(|&t| t != table) {
        return HeldCells::default();
    }
    let total = amounts.iter().map(|(units, _)| units).sum();
    joint_rounding::count_cells(calendar, amounts, &tables[table], total)
}

fn scratch() -> Vec<LevelScratch> {
    (0..Level::ALL.len()).map(|_| LevelScratch::default()).collect()
}

/// A calendar's shares of every period's children, as integer weights.
fn time_table(calendar: &Calendar) -> TimeTable {
    crate::plan::time_shares(calendar)
}

/// How a level's values are shown: percentages as ratios, else as numbers.
fn level_kind(target: &LevelTarget) -> ColumnKind {
    if target.percent {
        ColumnKind::Ratio
    } else {
        ColumnKind::Level
    }
}

fn level_value(target: &LevelTarget, value: Decimal) -> Value {
    if target.percent {
        Value::Ratio(value.normalize())
    } else {
        Value::Amount(value)
    }
}

/// Warnings about the plan as a whole: holiday calendars that the spread
/// does not read (then nothing else about them matters), or that do not
/// cover the plan's dates.
fn warnings(plan: &Plan, calendar: &Calendar) -> Vec<Diagnostic> {
    let Some((years, at)) = &plan.holiday_years else { return Vec::new() };
    let mut out = Vec::new();
    if plan.calendar.spread != crate::calendar::Spread::Workdays {
        // Holidays change nothing here, so neither do the years they cover.
        out.push(
            Diagnostic::new(Code::HolidaysIgnored, format!(
                "holidays change the figures only under spread = \"workdays\", and this plan has spread = \"{}\", so they are ignored",
                plan.calendar.spread.name()
            ))
            .at(at.clone())
            .help("set `spread = \"workdays\"` to take holidays off and count make-up working days, or remove `holidays`"),
        );
        return out;
    }
    let (start, end) = (calendar.start(), calendar.end());
    let covered: Vec<String> = years.iter().map(i32::to_string).collect();
    for year in start.year()..=end.year() {
        if years.contains(&year) {
            continue;
        }
        let from = start.max(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(start));
        let to = end.min(NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(end));
        let shipped = crate::plan::SHIPPED_HOLIDAYS.iter().find(|(name, _)| name.ends_with(&format!("-{year}")));
        let help = match shipped {
            Some((name, _)) => format!("add \"{name}\" to `holidays`"),
            None => format!(
                "salesplit ships no calendar for {year}; add a CSV file of your own with {year}'s holidays \
                 (date,name,is_off_day) to `holidays`"
            ),
        };
        out.push(
            Diagnostic::new(
                Code::HolidaysDoNotCover,
                format!(
                    "no holiday calendar covers {year}: this plan's days from {from} to {to} follow the workweek only"
                ),
            )
            .at(at.clone())
            .note(format!(
                "the plan runs from {start} to {end}; the calendars in `holidays` cover {}",
                if covered.is_empty() { "no year".to_string() } else { covered.join(", ") }
            ))
            .help(help),
        );
    }
    out
}
