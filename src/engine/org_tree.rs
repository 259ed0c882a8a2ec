//! Stage `engine`: the organisational half of the cascade. Every shared
//! metric's total goes down the plan's splits in order (every member under
//! every parent, depth first) to the org leaves.
//!
//! Contract: the reference metric (the first amount, else the first shared
//! metric) is shared by the members' weights and fixed amounts with the
//! brief's rounding rule; every other shared metric follows the reference's
//! exact mix at every node, so a count splits across regions like the money
//! does. Leaves come out in cascade order, with every independent problem
//! (fixed amounts above their parent, a parent with nobody) reported at once.

use dashu_int::UBig;
use rust_decimal::Decimal;

use super::people::{People, PeopleShares};
use crate::allocate::{apportion, integer_weights, Exact, Part, Share};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

mod refusals;

use crate::plan::{nodes_per_split, MemberSet, MemberShare, Plan, Precision, Split, MAX_LEAVES};
use refusals::{alloc_error, no_members, too_large};

/// A leaf's figure for one metric: rounded units and the exact value.
pub(super) type Amount = (u128, Exact);

/// Each org leaf's member path, one member per split, in cascade order:
/// all of them in one array (a million leaves are not a million small ones).
#[derive(Debug, Default)]
pub(super) struct Paths<'p> {
    members: Vec<&'p str>,
    width: usize,
    len: usize,
}

impl<'p> Paths<'p> {
    /// No paths yet, each `width` members long, with room for `leaves`.
    fn with_capacity(width: usize, leaves: usize) -> Paths<'p> {
        Paths { members: Vec::with_capacity(width * leaves), width, len: 0 }
    }

    fn push(&mut self, path: &[&'p str]) {
        debug_assert_eq!(path.len(), self.width);
        self.members.extend_from_slice(path);
        self.len += 1;
    }

    /// How many leaves.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The paths, in order.
    pub(super) fn iter(&self) -> impl ExactSizeIterator<Item = &[&'p str]> + Clone + '_ {
        (0..self.len).map(move |i| &self[i])
    }
}

impl<'p> std::ops::Index<usize> for Paths<'p> {
    type Output = [&'p str];

    fn index(&self, leaf: usize) -> &[&'p str] {
        debug_assert!(leaf < self.len, "leaf {leaf} of {}", self.len);
        &self.members[leaf * self.width..(leaf + 1) * self.width]
    }
}

/// The org leaves of a plan and every shared metric's amount at each.
#[derive(Debug)]
pub(super) struct OrgTree<'p> {
    /// Each leaf's member path, one member per split, in cascade order.
    pub paths: Paths<'p>,
    /// Per metric of the plan (empty for levels), per leaf: the figure as
    /// assigned (after any `over_assign`).
    pub amounts: Vec<Vec<Amount>>,
    /// With an `over_assign` split: the same before over-assignment, whose
    /// leaves add up to the plan's totals.
    pub base: Option<Vec<Vec<Amount>>>,
}

impl<'p> OrgTree<'p> {
    /// Shares every shared metric down the splits.
    pub(super) fn build(plan: &'p Plan, people: &People<'p>) -> Result<OrgTree<'p>> {
        let over_assigned = plan.splits.iter().any(|s| s.over_assign.is_some());
        let (paths, amounts) = Descent::run(plan, people, true)?;
        let base = if over_assigned { Some(Descent::run(plan, people, false)?.1) } else { None };
        Ok(OrgTree { paths, amounts, base })
    }
}

/// One walk down the splits.
struct Descent<'a, 'p> {
    plan: &'p Plan,
    people: &'a People<'p>,
    cache: Vec<ShareCache>,
    /// Metrics that are shared, by index into the plan's metrics; the first is the reference.
    shared: Vec<usize>,
    /// Apply `over_assign`.
    assign: bool,
    paths: Paths<'p>,
    amounts: Vec<Vec<Amount>>,
    errors: Vec<Diagnostic>,
    /// Over-assignment raised a node beyond 128-bit units (reported once, by [`Descent::run`]).
    overflowed: bool,
}

impl<'a, 'p> Descent<'a, 'p> {
    /// A walk sharing the metrics `shared` (the reference first).
    fn new(plan: &'p Plan, people: &'a People<'p>, shared: Vec<usize>, assign: bool) -> Descent<'a, 'p> {
        // A plan of levels only shares nothing: its walk just lists the leaves.
        let precision = shared.first().map_or(plan.precision, |&r| plan.precision_of(&plan.metrics[r]));
        // Room for every leaf at once (the counts are at most MAX_LEAVES, checked
        // first): growing by doubling would hold up to twice the tree.
        let leaves = nodes_per_split(plan).last().map_or(1, |&n| n.min(MAX_LEAVES) as usize);
        let mut amounts = vec![Vec::new(); plan.metrics.len()];
        for &i in &shared {
            amounts[i] = Vec::with_capacity(leaves);
        }
        Descent {
            plan,
            people,
            cache: plan.splits.iter().map(|s| ShareCache::new(s, precision)).collect(),
            shared,
            assign,
            paths: Paths::with_capacity(plan.splits.len(), leaves),
            amounts,
            errors: Vec::new(),
            overflowed: false,
        }
    }

    #[allow(clippy::type_complexity)]
    fn run(plan: &'p Plan, people: &'a People<'p>, assign: bool) -> Result<(Paths<'p>, Vec<Vec<Amount>>)> {
        let r = plan.reference();
        let mut shared = vec![r];
        shared.extend((0..plan.metrics.len()).filter(|&i| i != r && plan.metrics[i].is_shared()));
        shared.retain(|&i| plan.metrics[i].is_shared());
        let mut d = Descent::new(plan, people, shared.clone(), assign);
        let top: Vec<Amount> = shared
            .iter()
            .map(|&i| {
                let units = plan.units_of(&plan.metrics[i]).0;
                (units, Exact::from_units(units))
            })
            .collect();
        let mut path = Vec::with_capacity(plan.splits.len());
        d.descend(0, top, &mut path);
        if assign {
            // Over-assignment makes the leaves add up to more than the totals the
            // plan reader checked: every figure, and their sum, must still be writable.
            for &i in &shared {
                let metric = &plan.metrics[i];
                let limit = plan.precision_of(metric).max_units().0;
                let sum = d.amounts[i].iter().try_fold(0u128, |sum, (units, _)| sum.checked_add(*units));
                if d.overflowed || sum.is_none_or(|sum| sum > limit) {
                    d.errors.push(too_large(plan, i, sum.filter(|_| !d.overflowed)));
                }
            }
        }
        if d.errors.is_empty() {
            Ok((d.paths, d.amounts))
        } else {
            Err(Error::Invalid(d.errors))
        }
    }

    /// `node` holds one amount per entry of `shared`.
    fn descend(&mut self, depth: usize, node: Vec<Amount>, path: &mut Vec<&'p str>) {
        if depth == self.plan.splits.len() {
            self.paths.push(path);
            for (k, amount) in self.shared.iter().zip(node) {
                self.amounts[*k].push(amount);
            }
            return;
        }
        let Some(step) = self.share(depth, node, path) else { return };
        for (m, member) in step.set.members.iter().enumerate() {
            let child = step.parts.iter().map(|parts| (parts[m].units, parts[m].exact.clone())).collect();
            path.push(&member.name);
            self.descend(depth + 1, child, path);
            path.pop();
        }
    }

    /// Shares a node of split `depth`'s parent among its members, for every
    /// shared metric; `None` (with the problem recorded) when it cannot.
    fn share(&mut self, depth: usize, node: Vec<Amount>, path: &[&'p str]) -> Option<SplitStep<'p>> {
        let plan = self.plan;
        let split = &plan.splits[depth];
        let parent = split.parent.map(|i| path[i]);
        let (set, shares) = match parent.and_then(|p| split.within_position(p)) {
            Some(i) => (&split.within[i].1, &self.cache[depth].within[i]),
            None => {
                if let (Some(set), Some(shares)) = (&split.default, &self.cache[depth].default) {
                    (set, shares)
                } else {
                    if node.iter().any(|(_, e)| !e.is_zero()) {
                        self.errors.push(no_members(split, parent));
                    }
                    return None;
                }
            }
        };
        if node.is_empty() {
            // Levels only: every member inherits the levels, so every member is a leaf.
            return Some(SplitStep { set, node, shares: Vec::new(), parts: Vec::new(), people: None });
        }
        let node = match (&split.over_assign, self.assign) {
            (Some((rate, _)), true) => {
                if let Some(raised) = node.iter().map(|(_, e)| over_assigned(e, *rate)).collect() {
                    raised
                } else {
                    self.overflowed = true;
                    return None;
                }
            }
            _ => node,
        };
        let mut parts: Vec<Vec<Part>> = Vec::with_capacity(node.len());
        let mut all_shares: Vec<Vec<Share>> = Vec::with_capacity(node.len());
        let (ref_units, ref_exact) = &node[0];
        // People with dates, ramps, caps or floors: their own exact shares.
        let people = match self.people.shares(depth, set, ref_exact, parent.unwrap_or("the company")) {
            Some(Ok(p)) => Some(p),
            Some(Err(d)) => {
                self.errors.push(d);
                return None;
            }
            None => None,
        };
        let shares = people.as_ref().map_or(shares, |p| &p.shares);
        let mut first = Vec::new();
        if let Err(e) = apportion(*ref_units, ref_exact, shares, &mut first) {
            self.errors.push(alloc_error(plan, split, set, parent, e));
            return None;
        }
        // The other metrics follow the reference's exact mix; where it is
        // zero there is no mix, so they fall back to the weights.
        let follow: Vec<Share> = if node.len() == 1 {
            Vec::new()
        } else if ref_exact.is_zero() {
            shares
                .iter()
                .map(|s| match s {
                    Share::Weight(w) => Share::Weight(w.clone()),
                    Share::Fixed(_) => Share::Weight(UBig::ZERO),
                })
                .collect()
        } else {
            exact_shares(&first)
        };
        parts.push(first);
        all_shares.push(shares.clone());
        for (units, exact) in &node[1..] {
            let mut out = Vec::new();
            if let Err(e) = apportion(*units, exact, &follow, &mut out) {
                self.errors.push(alloc_error(plan, split, set, parent, e));
                return None;
            }
            parts.push(out);
            all_shares.push(follow.clone());
        }
        Some(SplitStep { set, node, shares: all_shares, parts, people })
    }
}

/// One split's sharing of one parent node, for every shared metric (in the
/// order of [`Descent::shared`]).
struct SplitStep<'p> {
    set: &'p MemberSet,
    /// The parent's amounts, after any over-assignment.
    node: Vec<Amount>,
    /// The shares each metric was apportioned by.
    shares: Vec<Vec<Share>>,
    /// Each metric's children.
    parts: Vec<Vec<Part>>,
    /// For people with dates, ramps, caps or floors: how their shares came about.
    people: Option<PeopleShares>,
}

/// One split on the way down to an org leaf, for explanations: what the
/// parent had, how it was shared, and which member is followed.
#[derive(Debug)]
pub(super) struct OrgStep<'p> {
    /// The split's index.
    pub split: usize,
    /// The members sharing the parent.
    pub set: &'p MemberSet,
    /// The member followed.
    pub member: usize,
    /// The parent's amount (after any over-assignment).
    pub parent: Amount,
    /// The shares used.
    pub shares: Vec<Share>,
    /// Every member's result.
    pub parts: Vec<Part>,
    /// For people with dates, ramps, caps or floors: how their shares came about.
    pub people: Option<PeopleShares>,
}

/// The steps from the plan's total of metric `metric` down to the org node
/// named by `path` (a prefix of a leaf's path), replaying exactly what
/// [`OrgTree::build`] does; `assign` applies over-assignment.
pub(super) fn chain<'p>(
    plan: &'p Plan,
    people: &People<'p>,
    path: &[&'p str],
    metric: usize,
    assign: bool,
) -> Result<Vec<OrgStep<'p>>> {
    let r = plan.reference();
    let shared: Vec<usize> = if metric == r { vec![r] } else { vec![r, metric] };
    let mut d = Descent::new(plan, people, shared.clone(), assign);
    let mut node: Vec<Amount> = shared
        .iter()
        .map(|&i| {
            let units = plan.units_of(&plan.metrics[i]).0;
            (units, Exact::from_units(units))
        })
        .collect();
    let which = shared.len() - 1;
    let mut steps = Vec::new();
    for (depth, name) in path.iter().enumerate() {
        let Some(step) = d.share(depth, node, path) else { return Err(Error::Invalid(d.errors)) };
        let member = step.set.members.iter().position(|m| m.name == *name).expect("a leaf's member");
        node = step.parts.iter().map(|parts| (parts[member].units, parts[member].exact.clone())).collect();
        steps.push(OrgStep {
            split: depth,
            set: step.set,
            member,
            parent: step.node[which].clone(),
            shares: step.shares[which].clone(),
            parts: step.parts[which].clone(),
            people: step.people.clone(),
        });
    }
    Ok(steps)
}

/// A parent's amount raised by an over-assignment rate: exact times
/// (1 + rate), rounded to the nearer unit (halves up), so it stays the floor
/// or the ceiling of its exact value. `None` when that does not fit 128-bit units.
fn over_assigned(exact: &Exact, rate: Decimal) -> Option<Amount> {
    let scaled = exact.times(&raise(rate));
    let (floor, rem) = scaled.floor_rem();
    let floor = u128::try_from(&floor).ok()?;
    let up = !rem.is_zero() && rem * UBig::from(2u8) >= *scaled.den();
    Some((if up { floor.checked_add(1)? } else { floor }, scaled))
}

/// The factor `1 + rate` of an over-assignment, exactly.
pub(super) fn raise(rate: Decimal) -> Exact {
    let scale = UBig::from(10u8).pow(rate.scale() as usize);
    Exact::new(&scale + UBig::from(rate.mantissa().unsigned_abs()), scale)
}

/// `units` of `precision` written out as an amount (`250000000` at 0.01 is
/// `2500000.00`), however large.
pub(super) fn units_text(units: &UBig, precision: Precision) -> String {
    let digits = units.to_string();
    let decimals = precision.decimals() as usize;
    if decimals == 0 {
        // A unit of 1, 100 or 1000: append its zeros.
        let zeros = precision.unit().mantissa().to_string().len() - 1;
        return if units.is_zero() { digits } else { format!("{digits}{}", "0".repeat(zeros)) };
    }
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (whole, frac) = padded.split_at(padded.len() - decimals);
    format!("{whole}.{frac}")
}

/// Integer weights in the ratio of the parts' exact values.
fn exact_shares(parts: &[Part]) -> Vec<Share> {
    let exact: Vec<Exact> = parts.iter().map(|p| p.exact.clone()).collect();
    crate::allocate::exact_weights(&exact).into_iter().map(Share::Weight).collect()
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

/// A member set's shares: weights scaled to integers, fixed amounts in units.
pub(super) fn set_shares(set: &MemberSet, precision: Precision) -> Vec<Share> {
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
                Share::Fixed(precision.to_units(amount).expect("validated multiple of the precision").0)
            }
        })
        .collect()
}

/// An exact number of units as an amount (`2500000.00`, or `3333.33…`).
pub(super) fn exact_amount(exact: &Exact, precision: Precision) -> String {
    let (whole, rem) = exact.floor_rem();
    let shown = units_text(&whole, precision);
    if rem.is_zero() {
        shown
    } else {
        format!("{shown}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn p(unit: &str) -> Precision {
        Precision::new(Decimal::from_str(unit).unwrap()).unwrap()
    }

    #[test]
    fn counts_the_leaves_from_the_member_counts() {
        // region (2) -> product (3, but East has 1 of its own) -> salesperson (a roster under
        // region, two splits up: 2 people in East, 3 in West, repeated under each product).
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(
            dir.path().join("reps.csv"),
            "name,region,weight\nA,East,1\nB,East,1\nC,West,1\nD,West,1\nE,West,1\n",
        )
        .unwrap();
        let text = "[plan]\nyear = 2026\n[target]\nsales = 1000\n[[split]]\nby = \"region\"\nweights = { East = 1, West = 1 }\n\
                    [[split]]\nby = \"product\"\nweights = { P = 1, Q = 1, R = 1 }\n[split.within.East]\nweights = { S = 1 }\n\
                    [[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n";
        let plan = Plan::parse("plan.toml", text, dir.path()).unwrap();
        assert_eq!(nodes_per_split(&plan), vec![2, 4, 2 + 3 * 3]);
        let calendar = crate::calendar::Calendar::build(&plan.calendar).unwrap();
        let people = People::new(&plan, &calendar, &crate::plan::time_shares(&calendar));
        let tree = OrgTree::build(&plan, &people).unwrap();
        assert_eq!(tree.paths.len(), 11);
    }

    #[test]
    fn writes_units_of_any_size() {
        let big = UBig::from(u128::MAX) * UBig::from(1000u32);
        assert_eq!(units_text(&UBig::from(250_000_000u32), p("0.01")), "2500000.00");
        assert_eq!(units_text(&UBig::from(5u8), p("0.01")), "0.05");
        assert_eq!(units_text(&UBig::ZERO, p("0.01")), "0.00");
        assert_eq!(units_text(&UBig::from(123u8), p("100")), "12300");
        assert_eq!(units_text(&UBig::ZERO, p("1000")), "0");
        assert_eq!(units_text(&big, p("1")), "340282366920938463463374607431768211455000");
        assert_eq!(
            exact_amount(&Exact::new(big, UBig::from(7u8)), p("0.01")),
            "486117667029912090661963724902526016364.28…"
        );
    }

    #[test]
    fn over_assignment_beyond_128_bits_is_none() {
        let rate = Decimal::from_str("0.1").unwrap();
        assert_eq!(over_assigned(&Exact::from_units(100), rate), Some((110, Exact::from_units(110))));
        assert_eq!(over_assigned(&Exact::from_ratio(5, 11), rate), Some((1, Exact::from_ratio(1, 2))));
        assert_eq!(over_assigned(&Exact::from_units(u128::MAX), rate), None);
        let huge = Decimal::from_str("9999999999999999999999999999").unwrap();
        assert_eq!(over_assigned(&Exact::from_units(10u128.pow(12)), huge), None);
    }
}
