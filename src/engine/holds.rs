//! Stage `engine`: holds (`[time.fixed]`), the breakback rule of planning
//! tools. A held period keeps its amount and its siblings share the rest of
//! their parent by their weights. Holds are worked out once on the plan's
//! total, top down, as exact values; every group of siblings with a hold
//! then gets those exact values as its weights, so each org member's time
//! tree follows the same shape (its held periods are its exact share of the
//! hold) and a plan without splits shows each hold exactly.

use std::collections::HashMap;

use dashu_int::ops::Gcd;
use dashu_int::UBig;

use crate::allocate::{controlled_round, AllocError, Apportioner, Exact, Part, Share};
use crate::calendar::{Calendar, Level};
use crate::diagnostic::{suggest, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::{Hold, Plan};

/// The plan's holds, resolved against its calendar.
pub struct Holds<'a> {
    plan: &'a Plan,
    calendar: &'a Calendar,
    /// (level, index) -> (units, the hold as written).
    held: HashMap<(Level, usize), (u128, &'a Hold)>,
}

impl<'a> Holds<'a> {
    /// Finds each hold's period; every label that is not a period of the
    /// plan (or is the year itself) is an error.
    pub fn new(plan: &'a Plan, calendar: &'a Calendar) -> Result<Holds<'a>> {
        let mut held = HashMap::new();
        let mut errors = Vec::new();
        for hold in &plan.holds {
            let units = plan.precision.to_units(hold.amount).expect("validated: a multiple of the precision");
            match calendar.find(&hold.label) {
                Some((Level::Year, _)) => errors.push(
                    Diagnostic::new(format!("[time.fixed] holds the whole year {}", hold.label))
                        .at(hold.origin.clone())
                        .help(format!(
                            "the year's figure is the target `{}`; hold a quarter, month, week or day instead",
                            plan.metric.name
                        )),
                ),
                Some(found) => {
                    if held.insert(found, (units, hold)).is_some() {
                        errors.push(
                            Diagnostic::new(format!("[time.fixed] holds {} twice", hold.label))
                                .at(hold.origin.clone())
                                .help("keep one hold per period"),
                        );
                    }
                }
                None => {
                    let labels = calendar.levels().flat_map(|l| calendar.level(l).iter().map(|p| p.label.as_str()));
                    let help = match suggest(&hold.label, labels) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "hold a period of the plan year ({} to {}), written like {}, {} or {}",
                            calendar.start(),
                            calendar.end(),
                            calendar.level(Level::Quarter)[0].label,
                            calendar.level(Level::Month)[1].label,
                            calendar.start()
                        ),
                    };
                    errors.push(
                        Diagnostic::new(format!(
                            "[time.fixed] names {}, which is not a period of this plan",
                            hold.label
                        ))
                        .at(hold.origin.clone())
                        .help(help),
                    );
                }
            }
        }
        if errors.is_empty() {
            Ok(Holds { plan, calendar, held })
        } else {
            Err(Error::Invalid(errors))
        }
    }

    /// Replaces the shares of every sibling group that has a hold by the
    /// exact values the breakback rule gives on the plan's total.
    pub fn apply(&self, time_shares: &mut [Vec<Vec<Share>>]) -> Result<()> {
        if self.held.is_empty() {
            return Ok(());
        }
        let deepest = self.held.keys().map(|(l, _)| *l).max().expect("some hold");
        let mut apportioner = Apportioner::default();
        let mut parts: Vec<Part> = Vec::new();
        let mut errors = Vec::new();
        // Exact values of the current level's periods, on the plan's total.
        let total = self.plan.total_units();
        let mut values = vec![Exact::from_units(total)];
        let mut level = Level::Year;
        while level < deepest {
            let finer = level.finer().expect("above the deepest hold");
            let mut next = Vec::with_capacity(self.calendar.level(finer).len());
            for (i, value) in values.iter().enumerate() {
                let children = self.calendar.period(level, i).children.clone();
                let shares: Vec<Share> = children
                    .clone()
                    .zip(&time_shares[level.index()][i])
                    .map(|(c, share)| match self.held.get(&(finer, c)) {
                        Some((units, _)) => Share::Fixed(*units),
                        None => share.clone(),
                    })
                    .collect();
                let has_hold = children.clone().any(|c| self.held.contains_key(&(finer, c)));
                let (floor, _) = value.floor_rem();
                let floor = u128::try_from(&floor).unwrap_or(u128::MAX);
                match apportioner.parts(floor, value, &shares, &mut parts) {
                    Ok(()) => {
                        if has_hold {
                            time_shares[level.index()][i] = exact_weights(&parts);
                        }
                        next.extend(parts.iter().map(|p| p.exact.clone()));
                    }
                    Err(e) => {
                        errors.push(self.error(level, i, children, value, e));
                        next.extend(std::iter::repeat_n(Exact::from_units(0), self.calendar.children(level, i).len()));
                    }
                }
            }
            values = next;
            level = finer;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }

    fn error(
        &self,
        level: Level,
        index: usize,
        children: std::ops::Range<usize>,
        value: &Exact,
        e: AllocError,
    ) -> Diagnostic {
        let finer = level.finer().expect("has children");
        let parent = &self.calendar.period(level, index).label;
        let holds: Vec<&Hold> = children.filter_map(|c| self.held.get(&(finer, c)).map(|(_, h)| *h)).collect();
        let first = holds.first().expect("a group that fails has a hold");
        let p = self.plan.precision;
        let amount = |e: &Exact| {
            let (whole, rem) = e.floor_rem();
            let shown = p.to_amount(u128::try_from(&whole).unwrap_or(0));
            if rem.is_zero() {
                shown.to_string()
            } else {
                format!("{shown}…")
            }
        };
        let terms: Vec<String> = holds.iter().map(|h| format!("{} {}", h.label, h.amount)).collect();
        match e {
            AllocError::FixedOverParent { fixed, .. } => {
                Diagnostic::new(format!("the holds inside {parent} add up to more than {parent} itself"))
                    .at(first.origin.clone())
                    .note(format!("{} = {} > {} ({parent})", terms.join(" + "), p.to_amount(fixed), amount(value)))
                    .help(format!("lower the holds, or hold {parent} too with enough room for them"))
            }
            AllocError::NothingToWeigh { rest } => Diagnostic::new(format!(
                "the holds inside {parent} leave {} for periods that all weigh 0",
                amount(&rest)
            ))
            .at(first.origin.clone())
            .note(format!("{} ({parent}) - ({}) = {}", amount(value), terms.join(" + "), amount(&rest)))
            .help(format!("hold every period of {parent} so that they add up to it, or give an unheld one a weight")),
            AllocError::Overflow => {
                Diagnostic::new(format!("the holds inside {parent} are too large to compute exactly"))
                    .at(first.origin.clone())
                    .help("lower the holds or the target")
            }
        }
    }
}

/// Per group of siblings with a hold (keyed by their parent), the children's
/// rounded values of every org leaf, in leaf order.
pub type HeldCells = HashMap<(Level, usize), Vec<Vec<u128>>>;

impl Holds<'_> {
    /// Rounds every group with a hold for all org leaves at once, so that
    /// the leaves' figures of a held period add up to the hold exactly while
    /// each stays the floor or ceiling of its exact share and each leaf's
    /// periods add up to its parent period. `leaves` are the leaves' rounded
    /// and exact amounts; `time_shares` the shares after [`Holds::apply`].
    /// Where no such rounding exists (rare: a few members whose only
    /// fractional cents all lie in held periods), the group keeps each
    /// leaf's own rounding and a warning says by how much the hold is missed.
    pub fn cells(&self, leaves: &[(u128, Exact)], time_shares: &[Vec<Vec<Share>>]) -> (HeldCells, Vec<Diagnostic>) {
        let mut groups: Vec<(Level, usize)> = self
            .held
            .keys()
            .map(|&(level, i)| {
                (
                    level.coarser().expect("the year is never held"),
                    self.calendar.period(level, i).parent.expect("has a parent"),
                )
            })
            .collect();
        groups.sort();
        groups.dedup();
        let mut cells: HeldCells = HashMap::new();
        let mut warnings = Vec::new();
        let mut apportioner = Apportioner::default();
        let mut parts = Vec::new();
        for (level, index) in groups {
            let finer = level.finer().expect("a group has children");
            let children = self.calendar.period(level, index).children.clone();
            let shares = &time_shares[level.index()][index];
            let mut rows = Vec::with_capacity(leaves.len());
            let mut own: Vec<Vec<u128>> = Vec::with_capacity(leaves.len());
            for (leaf, (units, exact)) in leaves.iter().enumerate() {
                let (p_units, p_exact) =
                    self.descend(leaf, *units, exact.clone(), (level, index), time_shares, &cells, &mut apportioner);
                let row = apportioner
                    .table_row(p_units, &p_exact, shares, &mut parts)
                    .expect("shares were checked on the total");
                own.push(parts.iter().map(|p| p.units).collect());
                rows.push(row);
            }
            let columns: Vec<Option<u128>> =
                children.clone().map(|c| self.held.get(&(finer, c)).map(|(u, _)| *u)).collect();
            match controlled_round(&rows, &columns) {
                Some(table) => {
                    cells.insert((level, index), table);
                }
                None => {
                    for (j, column) in columns.iter().enumerate() {
                        let Some(hold_units) = column else { continue };
                        let got: u128 = own.iter().map(|r| r[j]).sum();
                        if got != *hold_units {
                            let (_, hold) = self.held[&(finer, children.start + j)];
                            let p = self.plan.precision;
                            warnings.push(
                                Diagnostic::warning(format!(
                                    "the members' figures for {} add up to {}, not the hold {}",
                                    hold.label,
                                    p.to_amount(got),
                                    p.to_amount(*hold_units)
                                ))
                                .at(hold.origin.clone())
                                .note("no rounding of each member's exact share keeps both the members' totals and the hold")
                                .help("use a finer precision, or hold a coarser period"),
                            );
                        }
                    }
                    cells.insert((level, index), own);
                }
            }
        }
        (cells, warnings)
    }

    /// A leaf's rounded and exact value at `target`, going down from its
    /// year through the groups already rounded together.
    #[allow(clippy::too_many_arguments)]
    fn descend(
        &self,
        leaf: usize,
        units: u128,
        exact: Exact,
        target: (Level, usize),
        time_shares: &[Vec<Vec<Share>>],
        cells: &HeldCells,
        apportioner: &mut Apportioner,
    ) -> (u128, Exact) {
        let mut chain = vec![target];
        while let Some(parent) = self.calendar.period(chain[chain.len() - 1].0, chain[chain.len() - 1].1).parent {
            let level = chain[chain.len() - 1].0.coarser().expect("has a parent level");
            chain.push((level, parent));
        }
        chain.reverse();
        let (mut units, mut exact) = (units, exact);
        let mut parts = Vec::new();
        for step in chain.windows(2) {
            let ((level, index), (_, child)) = (step[0], step[1]);
            apportioner.parts(units, &exact, &time_shares[level.index()][index], &mut parts).expect("checked shares");
            let offset = child - self.calendar.period(level, index).children.start;
            units = cells.get(&(level, index)).map_or(parts[offset].units, |rows| rows[leaf][offset]);
            exact = parts[offset].exact.clone();
        }
        (units, exact)
    }
}

/// Integer weights proportional to the parts' exact values.
fn exact_weights(parts: &[Part]) -> Vec<Share> {
    let den = parts.iter().fold(UBig::ONE, |acc, p| {
        let g = (&acc).gcd(p.exact.den());
        &acc / &g * p.exact.den()
    });
    parts.iter().map(|p| Share::Weight(p.exact.num() * (&den / p.exact.den()))).collect()
}
