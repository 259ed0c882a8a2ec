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

mod cell;
mod cell_sink;
mod cross_cuts;
mod explanation;
mod holds;
mod joint_rounding;
mod org_tree;
mod people;
mod person_tables;
mod request;
mod review;
mod row_writer;
mod run;
mod series;
mod time_walk;
mod value;
mod view;

pub use cell::{AsOf, Cell, Header};
pub use cell_sink::CellSink;
pub use explanation::{cell_text, Basis, Explanation, Rounding, Step};
pub use request::{view_name, Request, Shard, TimeView};
pub use row_writer::RowWriter;

/// The most threads a run uses, whatever `SALESPLIT_THREADS` asks.
pub const MAX_THREADS: usize = 64;
pub use value::{Column, ColumnKind, TotalRule, Value};
pub use view::{
    BurnUp, Cascade, CascadeNode, CrossRow, Crosstab, Dim, InUnit, LevelRow, Listing, ListingRow, Pivots, Report,
    ReportNote, RunRequest, Stacked, StackedRow, Standing, StandingRow, Summarised, Summary, SummaryAttainment,
    SummaryGroup, SummarySink,
};

use cross_cuts::{CrossCutMiss, CrossCutWalk, Leaves, SharedFrames};
use org_tree::OrgTree;
use people::People;
use series::{Series, Source};
use time_walk::scratch;

use chrono::{Datelike, NaiveDate};

use crate::allocate::Share;
use crate::calendar::{Calendar, Level, Period};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::{Breakback, Plan, Units};

/// Per level (year..day) and period, the shares of its children.
type TimeTable = Vec<Vec<Vec<Share>>>;

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
    /// Threads a run may use: see [`Engine::set_threads`].
    threads: usize,
    /// Org leaves per chunk when threads share a run: see [`Engine::set_chunk`].
    chunk: usize,
    /// Things to look at twice that do not stop the run.
    warnings: Vec<Diagnostic>,
    /// Cross-cuts that runs could not make exact, per column (see
    /// [`Engine::run_warnings`]).
    misses: std::sync::Mutex<Vec<(usize, CrossCutMiss)>>,
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
        let holds = if plan.holds.is_empty() {
            None
        } else {
            match Breakback::new(plan, &calendar) {
                (holds, unknown) if unknown.is_empty() => Some(holds),
                _ => return Err(broken()),
            }
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
        let people = People::new(plan, &calendar, &base_table);
        let mut tree = OrgTree::build(plan, &people)?;
        let leaf_tables = person_tables::leaf_tables(plan, &calendar, &people, &tree.paths, &metric_table, &mut tables);
        let mut series = Vec::new();
        for metric in 0..plan.metrics.len() {
            series.extend(series::metric_series(
                plan,
                &calendar,
                metric,
                &metric_table,
                &leaf_tables,
                &tables,
                holds.as_ref(),
                &mut tree,
                &mut warnings,
            )?);
        }
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Ok(Engine {
            plan,
            calendar,
            paths: tree.paths,
            series,
            tables,
            people,
            threads,
            chunk: run::BATCH,
            warnings,
            misses: std::sync::Mutex::default(),
        })
    }

    /// How many threads a run may use: 1, or `n` to work out figures on
    /// `n - 1` while one writes them (at most [`MAX_THREADS`]). The output
    /// is byte for byte the same for any number; the default is the
    /// machine's available parallelism.
    pub fn set_threads(&mut self, threads: usize) {
        self.threads = threads.clamp(1, MAX_THREADS);
    }

    /// How many threads a run uses (at least 1; see [`Engine::set_threads`]).
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// How many org leaves a thread works out at a time when several share
    /// a run (at least 1; 32 by default). Any size gives the same bytes: a
    /// small one lets a test of a small plan use many threads.
    pub fn set_chunk(&mut self, leaves: usize) {
        self.chunk = leaves.max(1);
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
    /// (`today`, `next-month`) taken from `today` (see [`Request::resolve`]).
    pub fn request_on(&self, by: Option<&str>, period: Option<&str>, today: NaiveDate) -> Result<Request> {
        Request::resolve(self.plan, &self.calendar, by, period, today)
    }

    /// As [`Engine::request_on`], with relative periods taken from the
    /// machine's local date.
    pub fn request(&self, by: Option<&str>, period: Option<&str>) -> Result<Request> {
        self.request_on(by, period, chrono::Local::now().date_naive())
    }

    /// The periods a breakdown's cells have, in time order.
    fn periods(&self, request: &Request) -> &[Period] {
        match request.time {
            TimeView::Tree(level) => self.calendar.level(level),
            TimeView::IsoWeek => self.calendar.iso_weeks(),
        }
    }

    /// Which of [`Engine::periods`] the breakdown's `--period` keeps.
    fn kept(&self, request: &Request) -> Vec<bool> {
        self.periods(request).iter().map(|p| request.keeps(p)).collect()
    }

    /// The header every output of this breakdown starts with.
    pub fn header(&self, request: &Request) -> Header {
        let columns: Vec<Column> = self.series.iter().map(|s| s.column.clone()).collect();
        Header {
            plan: self.plan.name.clone(),
            currency: self.plan.currency.clone(),
            year: self.plan.year,
            precision: self.plan.precision,
            metrics: columns.iter().map(|c| c.name.clone()).collect(),
            columns,
            splits: request.splits.iter().map(|&i| self.plan.splits[i].by.clone()).collect(),
            time: view_name(&self.calendar, request.time).to_string(),
            as_of: None,
            totals: Vec::new(),
            language: self.plan.language,
        }
    }

    /// Every org leaf's member path (one member per split), in cascade
    /// order: the leaves [`Engine::for_each_leaf`] hands on, without
    /// working out their figures.
    pub fn leaf_paths(&self) -> impl Iterator<Item = &[&'p str]> + '_ {
        self.paths.iter()
    }

    /// Calls `f` with every org leaf's member path and the reference
    /// metric's figures (in rounding units) for each period of `level`,
    /// leaves in cascade order.
    pub fn for_each_leaf(&self, level: Level, f: impl FnMut(&[&'p str], &[u128])) {
        self.for_each_leaf_of(self.plan.reference(), level, f);
    }

    /// As [`Engine::for_each_leaf`], with the figures of the shared metric
    /// `metric` (an index in the plan's metrics), in its own rounding units.
    ///
    /// # Panics
    ///
    /// If `metric` is not an index of the plan's metrics.
    pub fn for_each_leaf_of(&self, metric: usize, level: Level, mut f: impl FnMut(&[&'p str], &[u128])) {
        let name = &self.plan.metrics[metric].name;
        let column = self.series.iter().position(|s| &s.column.name == name).expect("every metric has a column");
        self.leaves_of(column, level, &mut |leaf, figures| f(&self.paths[leaf], figures));
    }

    /// A walk over a shared column's leaves by contract v2's rounding;
    /// `None` for a level, or under `rounding = "cascade"`. It always goes
    /// down to the calendar's finest level (days, or slots): where a table
    /// of fine periods has no fitting rounding, the whole time tree is
    /// rounded in one flow, which may change coarser figures too, so a
    /// monthly run must see the days to agree with a daily one.
    fn walk<'e>(&'e self, series: &'e Series<'p>) -> Option<CrossCutWalk<'e, 'p>> {
        let Source::Shared { amounts, tables, .. } = &series.source else { return None };
        if self.plan.rounding == crate::plan::RoundingRule::Cascade {
            return None;
        }
        let finest = if self.calendar.level(Level::Slot).is_empty() { Level::Day } else { Level::Slot };
        Some(CrossCutWalk::new(&self.calendar, &self.tables, &self.paths, amounts, tables, finest))
    }

    /// Keeps the misses of periods down to `shown` (a run by month is not
    /// told about days it does not show, though it rounds them).
    fn record_misses(&self, column: usize, misses: Vec<CrossCutMiss>, shown: Level) {
        if misses.is_empty() {
            return;
        }
        let mut all = self.misses.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for miss in misses.into_iter().filter(|m| m.level <= shown) {
            if !all.iter().any(|(c, m)| *c == column && *m == miss) {
                all.push((column, miss));
            }
        }
    }

    /// Cross-cuts that the runs so far could not make exact (rare: a table
    /// whose members' fractions cannot reach the org node's own figures),
    /// one warning per column, naming them and by how many units each is
    /// missed. Every figure is still faithful to its own cascade.
    pub fn run_warnings(&self) -> Vec<Diagnostic> {
        self.run_warnings_to(Level::Slot)
    }

    /// As [`Engine::run_warnings`], for the cross-cuts of periods down to
    /// `shown` only: a report by month is not told about weeks it does not
    /// show (`track` works out every day, whatever it reports).
    pub fn run_warnings_to(&self, shown: Level) -> Vec<Diagnostic> {
        let all = self.misses.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut out = Vec::new();
        for (column, series) in self.series.iter().enumerate() {
            let mut misses: Vec<&CrossCutMiss> =
                all.iter().filter(|(c, m)| *c == column && m.level <= shown).map(|(_, m)| m).collect();
            // In cascade order (a node before its children, then by period),
            // however many threads found them and in whatever order.
            misses.sort_by_key(|m| (m.leaf, m.depth, m.level, m.index));
            if misses.is_empty() {
                continue;
            }
            let p = series.precision;
            let named: Vec<String> = misses
                .iter()
                .take(5)
                .map(|m| {
                    let path = &self.paths[m.leaf][..m.depth];
                    let node = if path.is_empty() { "the company".to_string() } else { path.join(" / ") };
                    let period = &self.calendar.period(m.level, m.index).label;
                    let (got, wanted) = (m.got, m.wanted);
                    let by = got.abs_diff(wanted);
                    format!(
                        "{node}'s {period}: its members add up to {}, not its own {} ({} unit{} off)",
                        p.to_amount(Units(got)),
                        p.to_amount(Units(wanted)),
                        by,
                        if by == 1 { "" } else { "s" }
                    )
                })
                .collect();
            let more = misses.len().saturating_sub(5);
            let mut d = Diagnostic::new(
                Code::CrossCutMissed,
                format!(
                    "{} cross-cut{} of `{}` could not be made exact",
                    misses.len(),
                    if misses.len() == 1 { "" } else { "s" },
                    series.column.name
                ),
            );
            for line in named {
                d = d.note(line);
            }
            if more > 0 {
                d = d.note(format!("and {more} more"));
            }
            out.push(
                d.note(
                    "no rounding of the members' exact shares reaches these without rounding a larger value of a \
                     member below a smaller one; every figure is still the floor or ceiling of its exact share",
                )
                .help(
                    "a finer precision usually removes it; `[plan] rounding = \"cascade\"` rounds each leaf on its own instead",
                ),
            );
        }
        out
    }

    /// The column of the reference metric.
    fn reference_series(&self) -> &Series<'p> {
        let name = &self.plan.metrics[self.plan.reference()].name;
        self.series.iter().find(|s| &s.column.name == name).expect("the reference metric has a column")
    }
}

/// A calendar's shares of every period's children, as integer weights.
fn time_table(calendar: &Calendar) -> TimeTable {
    crate::plan::time_shares(calendar)
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
