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
mod pivot;

pub use breakdown::Breakdown;
pub use cell::{Cell, Header};
pub use cell_sink::CellSink;
pub use pivot::{Pivot, PivotRow};

use indexmap::IndexMap;
use rust_decimal::Decimal;

use crate::allocate::{apportion, integer_weights, AllocError, Exact, Part, Share};
use crate::calendar::{Calendar, CalendarError, Level};
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

/// A plan made ready to run: its calendar built and its org tree shared.
#[derive(Debug)]
pub struct Engine<'p> {
    plan: &'p Plan,
    calendar: Calendar,
    leaves: Vec<Leaf<'p>>,
    /// Per level (year..week) and period, the shares of its children.
    time_shares: Vec<Vec<Vec<Share>>>,
}

impl<'p> Engine<'p> {
    /// Builds the calendar and shares the target down the org tree; fails
    /// with every problem found (a month that cannot carry its share, fixed
    /// amounts above their parent, a parent with nobody to share among).
    pub fn new(plan: &'p Plan) -> Result<Engine<'p>> {
        let calendar = Calendar::build(&plan.calendar).map_err(|errors| calendar_errors(plan, errors))?;
        let leaves = org_leaves(plan)?;
        let time_shares = Level::ALL[..4]
            .iter()
            .map(|&level| {
                calendar
                    .level(level)
                    .iter()
                    .enumerate()
                    .map(|(i, _)| {
                        let weights: Vec<Decimal> = calendar.children(level, i).iter().map(|c| c.weight).collect();
                        integer_weights(&weights).into_iter().map(Share::Weight).collect()
                    })
                    .collect()
            })
            .collect();
        Ok(Engine { plan, calendar, leaves, time_shares })
    }

    /// The plan year's calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The plan being run.
    pub fn plan(&self) -> &Plan {
        self.plan
    }

    /// Resolves `--by` and `--period` for this plan (see [`Breakdown::resolve`]).
    pub fn breakdown(&self, by: Option<&str>, period: Option<&str>) -> Result<Breakdown> {
        Breakdown::resolve(self.plan, &self.calendar, by, period)
    }

    /// The header every output of this breakdown starts with.
    pub fn header(&self, breakdown: &Breakdown) -> Header {
        Header {
            plan: self.plan.name.clone(),
            currency: self.plan.currency.clone(),
            year: self.plan.year,
            precision: self.plan.precision,
            metrics: vec![self.plan.metric.name.clone()],
            splits: breakdown.splits.iter().map(|&i| self.plan.splits[i].by.clone()).collect(),
            level: breakdown.level,
        }
    }

    /// Runs the breakdown into `sink`. Errors here are output errors only.
    pub fn run(&self, breakdown: &Breakdown, sink: &mut dyn CellSink) -> std::io::Result<()> {
        let header = self.header(breakdown);
        sink.begin(&header)?;
        let periods = self.calendar.level(breakdown.level);
        let keep: Vec<bool> = periods
            .iter()
            .map(|p| breakdown.period.is_none_or(|(l, i)| self.calendar.period(l, i).contains(p)))
            .collect();
        let precision = self.plan.precision;
        let mut total: u128 = 0;
        let mut series: Vec<u128> = Vec::with_capacity(periods.len());
        let mut parts: Vec<Vec<Part>> = vec![Vec::new(); 5];
        let every_split = breakdown.splits.len() == self.plan.splits.len();
        let mut groups: IndexMap<Vec<&str>, Vec<u128>> = IndexMap::new();
        for leaf in &self.leaves {
            series.clear();
            self.spread(Level::Year, 0, leaf.units, &leaf.exact, breakdown.level, &mut series, &mut parts);
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
        sink.finish(&[precision.to_amount(total)])
    }

    /// Shares a node of the time tree down to `level`, pushing the units of
    /// each period of `level` under it, in time order.
    #[allow(clippy::too_many_arguments)]
    fn spread(
        &self,
        at: Level,
        index: usize,
        units: u128,
        exact: &Exact,
        level: Level,
        out: &mut Vec<u128>,
        parts: &mut [Vec<Part>],
    ) {
        if at == level {
            out.push(units);
            return;
        }
        let shares = &self.time_shares[at.index()][index];
        let (mine, deeper) = parts.split_first_mut().expect("one buffer per level");
        // The calendar guarantees every period with a share has days to carry it.
        apportion(units, exact, shares, mine).expect("calendar shares are valid");
        let first_child = self.calendar.period(at, index).children.start;
        let finer = at.finer().expect("a level above the target has children");
        for (offset, part) in mine.iter().enumerate() {
            self.spread(finer, first_child + offset, part.units, &part.exact, level, out, deeper);
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
    let values = [precision.to_amount(units)];
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
                        .help("add members for it"),
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
    let amount = |units: u128| p.to_amount(units).to_string();
    match e {
        AllocError::FixedOverParent { fixed, parent: whole } => {
            let terms: Vec<String> = set
                .members
                .iter()
                .filter_map(|m| match m.share {
                    MemberShare::Fixed(a) => Some(a.to_string()),
                    MemberShare::Weight(_) => None,
                })
                .collect();
            Diagnostic::new(format!(
                "split `{}`{under}: the fixed amounts add up to more than there is to share",
                split.by
            ))
            .at(set.origin.clone())
            .note(format!("{} = {} > {}", terms.join(" + "), amount(fixed), exact_amount(&whole, p)))
            .help("lower the fixed amounts, or raise the target above them")
        }
        AllocError::NothingToWeigh { rest } => Diagnostic::new(format!(
            "split `{}`{under}: {} is left after the fixed amounts, but every weight is zero",
            split.by,
            exact_amount(&rest, p)
        ))
        .at(set.origin.clone())
        .help("give a member a positive weight, or fix amounts that use up the whole"),
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
    Error::Invalid(
        errors
            .into_iter()
            .map(|e| {
                let help = match &e {
                    CalendarError::MonthWithoutDays { .. } => "give some day of that month a positive weight (check `weekdays` and `spread`), or give the month a weight of 0 in `months`",
                    CalendarError::QuarterWithoutMonths { .. } => "give a month of that quarter a positive weight in `months`, or the quarter a weight of 0 in `quarters`",
                    CalendarError::NothingToWeigh => "give some period a positive weight",
                    _ => "check the [time] table",
                };
                Diagnostic::new(e.to_string()).at(at.clone()).help(help)
            })
            .collect(),
    )
}
