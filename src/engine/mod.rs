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
mod listing;
mod pivot;
mod review;
mod value;

pub use breakdown::{view_name, Breakdown, TimeView};
pub use cell::{Cell, Header};
pub use cell_sink::CellSink;
pub use explanation::{Basis, Explanation, Rounding, Step};
pub use listing::{Listing, ListingRow};
pub use pivot::{Pivot, PivotRow};
pub use value::{Column, ColumnKind, Value};

use holds::{HeldCells, Holds};

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;
use rust_decimal::Decimal;

use crate::allocate::{apportion, integer_weights, AllocError, Apportioner, Exact, Part, Share};
use crate::calendar::{Calendar, CalendarError, Level, Period};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::plan::{MemberSet, MemberShare, Plan, Precision, Split};

/// One leaf of the org tree: a member of every split, and its amount.
#[derive(Clone, Debug)]
struct Leaf<'p> {
    path: Vec<&'p str>,
    units: u128,
    exact: Exact,
}

/// Buffers for one level of the time tree, reused for every leaf.
#[derive(Debug, Default)]
struct LevelScratch {
    apportioner: Apportioner,
    parts: Vec<Part>,
    units: Vec<u128>,
}

/// A plan made ready to run: its calendar built and its org tree shared.
#[derive(Debug)]
pub struct Engine<'p> {
    plan: &'p Plan,
    calendar: Calendar,
    leaves: Vec<Leaf<'p>>,
    /// Per level (year..day) and period, the shares of its children, with
    /// holds already turned into exact weights.
    time_shares: Vec<Vec<Vec<Share>>>,
    /// Groups of periods with a hold, rounded for all leaves together.
    held_cells: HeldCells,
    /// Things to look at twice that do not stop the run.
    warnings: Vec<Diagnostic>,
}

impl<'p> Engine<'p> {
    /// Builds the calendar and shares the target down the org tree; fails
    /// with every problem found (a month that cannot carry its share, fixed
    /// amounts above their parent, a parent with nobody to share among).
    pub fn new(plan: &'p Plan) -> Result<Engine<'p>> {
        let calendar = Calendar::build(&plan.calendar).map_err(|errors| calendar_errors(plan, errors))?;
        let leaves = org_leaves(plan)?;
        let mut time_shares: Vec<Vec<Vec<Share>>> = Level::ALL
            .iter()
            .map(|&level| {
                (0..calendar.level(level).len())
                    .map(|i| {
                        let weights: Vec<Decimal> = calendar.children(level, i).iter().map(|c| c.weight).collect();
                        integer_weights(&weights).into_iter().map(Share::Weight).collect()
                    })
                    .collect()
            })
            .collect();
        let holds = Holds::new(plan, &calendar)?;
        holds.apply(&mut time_shares)?;
        let amounts: Vec<(u128, Exact)> = leaves.iter().map(|l| (l.units, l.exact.clone())).collect();
        let (held_cells, hold_warnings) = holds.cells(&amounts, &time_shares);
        let mut warnings = warnings(plan, &calendar);
        warnings.extend(hold_warnings);
        Ok(Engine { plan, calendar, leaves, time_shares, held_cells, warnings })
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
        Header {
            plan: self.plan.name.clone(),
            currency: self.plan.currency.clone(),
            year: self.plan.year,
            precision: self.plan.precision,
            metrics: vec![self.plan.metric.name.clone()],
            columns: vec![Column { name: self.plan.metric.name.clone(), kind: ColumnKind::Amount }],
            splits: breakdown.splits.iter().map(|&i| self.plan.splits[i].by.clone()).collect(),
            time: view_name(&self.calendar, breakdown.time).to_string(),
        }
    }

    /// Calls `f` with every org leaf's member path and its figures (in
    /// rounding units) for each period of `level`, leaves in cascade order.
    pub fn for_each_leaf(&self, level: Level, mut f: impl FnMut(&[&'p str], &[u128])) {
        let mut scratch: Vec<LevelScratch> = (0..Level::ALL.len()).map(|_| LevelScratch::default()).collect();
        let mut series = Vec::with_capacity(self.calendar.level(level).len());
        for (i, leaf) in self.leaves.iter().enumerate() {
            series.clear();
            self.spread(i, Level::Year, 0, leaf.units, &leaf.exact, level, &mut series, &mut scratch);
            f(&leaf.path, &series);
        }
    }

    /// How many cells the breakdown prints (member combinations times
    /// periods kept), without computing them.
    pub fn cell_count(&self, breakdown: &Breakdown) -> u64 {
        let kept = self.kept(breakdown).iter().filter(|k| **k).count() as u64;
        let combinations = if breakdown.splits.len() == self.plan.splits.len() {
            self.leaves.len()
        } else {
            let keys: std::collections::HashSet<Vec<&str>> =
                self.leaves.iter().map(|leaf| breakdown.splits.iter().map(|&s| leaf.path[s]).collect()).collect();
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
        let precision = self.plan.precision;
        let mut total: u128 = 0;
        let mut series: Vec<u128> = Vec::with_capacity(periods.len());
        let mut days: Vec<u128> = Vec::new();
        let mut scratch: Vec<LevelScratch> = (0..Level::ALL.len()).map(|_| LevelScratch::default()).collect();
        let every_split = breakdown.splits.len() == self.plan.splits.len();
        let mut groups: IndexMap<Vec<&str>, Vec<u128>> = IndexMap::new();
        for (leaf_index, leaf) in self.leaves.iter().enumerate() {
            series.clear();
            match breakdown.time {
                TimeView::Tree(level) => {
                    self.spread(leaf_index, Level::Year, 0, leaf.units, &leaf.exact, level, &mut series, &mut scratch);
                }
                TimeView::IsoWeek => {
                    days.clear();
                    self.spread(
                        leaf_index,
                        Level::Year,
                        0,
                        leaf.units,
                        &leaf.exact,
                        Level::Day,
                        &mut days,
                        &mut scratch,
                    );
                    series.extend(periods.iter().map(|week| days[week.children.clone()].iter().sum::<u128>()));
                }
            }
            if every_split {
                for (i, units) in series.iter().enumerate() {
                    if keep[i] {
                        total += units;
                        emit(sink, &leaf.path, &periods[i], *units, precision)?;
                    }
                }
            } else {
                let key: Vec<&str> = breakdown.splits.iter().map(|&s| leaf.path[s]).collect();
                let sums = groups.entry(key).or_insert_with(|| vec![0; periods.len()]);
                for (sum, units) in sums.iter_mut().zip(&series) {
                    *sum += units;
                }
            }
        }
        for (key, sums) in &groups {
            for (i, units) in sums.iter().enumerate() {
                if keep[i] {
                    total += units;
                    emit(sink, key, &periods[i], *units, precision)?;
                }
            }
        }
        sink.finish(&[Value::Amount(precision.to_amount(total))])
    }

    /// Shares a node of org leaf `leaf`'s time tree down to `level`, pushing
    /// the units of each period of `level` under it, in time order.
    #[allow(clippy::too_many_arguments)]
    fn spread(
        &self,
        leaf: usize,
        at: Level,
        index: usize,
        units: u128,
        exact: &Exact,
        level: Level,
        out: &mut Vec<u128>,
        scratch: &mut [LevelScratch],
    ) {
        if at == level {
            out.push(units);
            return;
        }
        let shares = &self.time_shares[at.index()][index];
        let (mine, deeper) = scratch.split_first_mut().expect("one buffer per level");
        let finer = at.finer().expect("a level above the target has children");
        // The calendar guarantees every period with a share has days to
        // carry it, so these cannot fail.
        let held = self.held_cells.get(&(at, index)).map(|rows| &rows[leaf]);
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
            self.spread(leaf, finer, first_child + offset, part.units, &part.exact, level, out, deeper);
        }
    }
}

fn emit(
    sink: &mut dyn CellSink,
    members: &[&str],
    period: &crate::calendar::Period,
    units: u128,
    precision: Precision,
) -> std::io::Result<()> {
    let values = [Value::Amount(precision.to_amount(units))];
    sink.cell(&Cell { members, period, values: &values })
}

/// Shares the total down every split, depth first, members in order.
fn org_leaves(plan: &Plan) -> Result<Vec<Leaf<'_>>> {
    let units = plan.total_units();
    let mut leaves = Vec::new();
    let mut errors = Vec::new();
    let shares: Vec<ShareCache> = plan.splits.iter().map(|s| ShareCache::new(s, plan.precision)).collect();
    let mut path = Vec::with_capacity(plan.splits.len());
    descend(plan, &shares, 0, units, Exact::from_units(units), &mut path, &mut leaves, &mut errors);
    if errors.is_empty() {
        Ok(leaves)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// The integer shares of each member set of a split, computed once.
struct ShareCache {
    default: Option<Vec<Share>>,
    within: Vec<Vec<Share>>,
}

impl ShareCache {
    fn new(split: &Split, precision: Precision) -> ShareCache {
        ShareCache {
            default: split.default.as_ref().map(|s| set_shares(s, precision)),
            within: split.within.iter().map(|(_, s)| set_shares(s, precision)).collect(),
        }
    }
}

fn set_shares(set: &MemberSet, precision: Precision) -> Vec<Share> {
    let weights: Vec<Decimal> = set
        .members
        .iter()
        .map(|m| match m.share {
            MemberShare::Weight(w) => w,
            MemberShare::Fixed(_) => Decimal::ZERO,
        })
        .collect();
    let ints = integer_weights(&weights);
    set.members
        .iter()
        .zip(ints)
        .map(|(m, w)| match m.share {
            MemberShare::Weight(_) => Share::Weight(w),
            MemberShare::Fixed(amount) => {
                Share::Fixed(precision.to_units(amount).expect("validated multiple of the precision"))
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn descend<'p>(
    plan: &'p Plan,
    cache: &[ShareCache],
    depth: usize,
    units: u128,
    exact: Exact,
    path: &mut Vec<&'p str>,
    leaves: &mut Vec<Leaf<'p>>,
    errors: &mut Vec<Diagnostic>,
) {
    if depth == plan.splits.len() {
        leaves.push(Leaf { path: path.clone(), units, exact });
        return;
    }
    let split = &plan.splits[depth];
    let parent = split.parent.map(|i| path[i]);
    let (set, shares) = match parent.and_then(|p| split.within.iter().position(|(name, _)| name == p)) {
        Some(i) => (&split.within[i].1, &cache[depth].within[i]),
        None => match (&split.default, &cache[depth].default) {
            (Some(set), Some(shares)) => (set, shares),
            _ => {
                if !exact.is_zero() {
                    errors.push(
                        Diagnostic::new(format!(
                            "`{}` has a share of the target but split `{}` gives it no members",
                            parent.unwrap_or("the company"),
                            split.by
                        ))
                        .at(split.origin.clone())
                        .note("with nobody to share it, that share of the target would be lost")
                        .help(format!(
                            "add `weights` to split `{}`, or a [split.within] table for `{}`",
                            split.by,
                            parent.unwrap_or("it")
                        )),
                    );
                }
                return;
            }
        },
    };
    let mut parts = Vec::new();
    if let Err(e) = apportion(units, &exact, shares, &mut parts) {
        errors.push(alloc_error(plan, split, set, parent, e));
        return;
    }
    for (member, part) in set.members.iter().zip(parts) {
        path.push(&member.name);
        descend(plan, cache, depth + 1, part.units, part.exact, path, leaves, errors);
        path.pop();
    }
}

fn alloc_error(plan: &Plan, split: &Split, set: &MemberSet, parent: Option<&str>, e: AllocError) -> Diagnostic {
    let p = plan.precision;
    let under = parent.map(|p| format!(" under `{p}`")).unwrap_or_default();
    // What the parent is: the whole target, or a member's share of it.
    let whole_name = match parent {
        Some(name) => format!("`{name}`'s share"),
        None => format!("the target `{}`", plan.metric.name),
    };
    let amount = |units: u128| p.to_amount(units).to_string();
    let fixed: Vec<u128> = set
        .members
        .iter()
        .filter_map(|m| match m.share {
            MemberShare::Fixed(a) => p.to_units(a),
            MemberShare::Weight(_) => None,
        })
        .collect();
    let terms: Vec<String> = fixed.iter().map(|units| amount(*units)).collect();
    let at = set.origin.clone();
    let or_more = match parent {
        Some(name) => format!("give `{name}` a larger share"),
        None => "raise the target".to_string(),
    };
    match e {
        AllocError::FixedOverParent { fixed: sum, parent: whole } => {
            let whole = exact_amount(&whole, p);
            Diagnostic::new(format!(
                "split `{}`{under}: the fixed amounts add up to more than there is to share",
                split.by
            ))
            .at(at)
            .note(format!("{} = {}, but {whole_name} is {whole}", terms.join(" + "), amount(sum)))
            .help(format!("lower the fixed amounts to {whole} or less in all, or {or_more}"))
        }
        AllocError::NothingToWeigh { rest } => {
            let sum: u128 = fixed.iter().sum();
            let whole = Exact::new(rest.num() + dashu_int::UBig::from(sum) * rest.den(), rest.den().clone());
            let (whole, rest) = (exact_amount(&whole, p), exact_amount(&rest, p));
            Diagnostic::new(format!(
                "split `{}`{under}: {rest} is left after the fixed amounts, but no member has a positive weight to share it",
                split.by
            ))
            .at(at)
            .note(format!("{whole} ({whole_name}) - {} = {rest}", terms.join(" - ")))
            .help(format!(
                "give a member a positive weight in `weights`, or make the fixed amounts add up to {whole}"
            ))
        }
        AllocError::Overflow => {
            Diagnostic::new(format!("split `{}`{under}: the amounts are too large to compute exactly", split.by))
                .at(set.origin.clone())
                .help("lower the target or use a coarser precision")
        }
    }
}

/// An exact number of units as an amount (`2500000.00`, or `3333.33…`).
fn exact_amount(exact: &Exact, precision: Precision) -> String {
    let (whole, rem) = exact.floor_rem();
    let units = u128::try_from(&whole).unwrap_or(u128::MAX);
    let shown = precision.to_amount(units).to_string();
    if rem.is_zero() {
        shown
    } else {
        format!("{shown}…")
    }
}

fn calendar_errors(plan: &Plan, errors: Vec<CalendarError>) -> Error {
    let at = plan.time_origin.clone();
    let spec = &plan.calendar;
    // A day weighs its weekday coefficient, and 0 at weekends under "workdays".
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let workdays = spec.spread == crate::calendar::Spread::Workdays;
    let day_weight = |i: usize| if workdays && i >= 5 { Decimal::ZERO } else { spec.weekdays[i] };
    let days_note = (0..7).all(|i| day_weight(i).is_zero()).then(|| {
        let coefficients: Vec<String> = names.iter().zip(spec.weekdays).map(|(n, w)| format!("{n} {w}")).collect();
        let weekend = if workdays { ", and Saturdays and Sundays weigh 0 under spread = \"workdays\"" } else { "" };
        format!("every day weighs 0: a day weighs its `weekdays` coefficient ({}){weekend}", coefficients.join(", "))
    });
    // Months without days are one problem, however many months it hits.
    let empty_months: Vec<String> = errors
        .iter()
        .filter_map(|e| match e {
            CalendarError::MonthWithoutDays { month, .. } => Some(month.clone()),
            _ => None,
        })
        .collect();
    let mut diagnostics = Vec::new();
    if empty_months.len() > 1 {
        let which = if empty_months.len() == 12 {
            format!("every month ({} to {}) has", empty_months[0], empty_months[11])
        } else {
            format!("months {} have", empty_months.join(", "))
        };
        let mut d =
            Diagnostic::new(format!("{which} a share of the target but no day with a positive weight")).at(at.clone());
        if let Some(note) = &days_note {
            d = d.note(note.clone());
        }
        diagnostics.push(d.help(
            "give some weekday a positive weight in `weekdays` (check `spread` too), or give those months a weight of 0 in `months`",
        ));
    }
    for e in errors {
        let help = match &e {
            CalendarError::MonthWithoutDays { .. } if empty_months.len() > 1 => continue,
            CalendarError::MonthWithoutDays { .. } => "give some day of that month a positive weight (check `weekdays` and `spread`), or give the month a weight of 0 in `months`",
            CalendarError::QuarterWithoutMonths { .. } => "give a month of that quarter a positive weight in `months`, or the quarter a weight of 0 in `quarters`",
            CalendarError::NothingToWeigh => "give some weekday a positive weight in `weekdays`, and some month or quarter a positive weight in `months` or `quarters`",
            _ => "check the [time] table",
        };
        let mut d = Diagnostic::new(e.to_string()).at(at.clone());
        if matches!(e, CalendarError::MonthWithoutDays { .. } | CalendarError::NothingToWeigh) {
            if let Some(note) = &days_note {
                d = d.note(note.clone());
            }
        }
        diagnostics.push(d.help(help));
    }
    Error::Invalid(diagnostics)
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
            Diagnostic::warning(format!(
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
            Diagnostic::warning(format!(
                "no holiday calendar covers {year}: this plan's days from {from} to {to} follow the workweek only"
            ))
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
