//! The exact reference, written from the brief alone (it never calls the
//! library): every node's exact value along the cascade (splits in order,
//! then year -> quarter -> month -> week -> day -> slot) as an integer
//! fraction of rounding units, its calendar derived with chrono (holidays,
//! workweeks, special days, retail 4-4-5 years, slots, ISO weeks), the
//! breakback of holds on the plan's total, and the brief's one rounding
//! rule.

use std::ops::Range;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use num_bigint::{BigInt, BigUint};
use num_traits::{One, ToPrimitive, Zero};

use crate::common::rounding::{self, ExactValue, Ratio, Unshareable};

use super::model::{Dec, HoldSpec, PlanSpec, Rng, SetSpec, Share, Spread, Style, DAY, SLOT, WEEK};

/// An exact non-negative value `num / den` in rounding units (not reduced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Exact {
    pub num: BigUint,
    pub den: BigUint,
}

impl Exact {
    pub(super) fn units(u: u128) -> Exact {
        Exact { num: BigUint::from(u), den: BigUint::one() }
    }

    pub(super) fn floor(&self) -> u128 {
        (&self.num / &self.den).to_u128().expect("fits in u128")
    }

    pub(super) fn ceil(&self) -> u128 {
        let f = self.floor();
        if BigUint::from(f) * &self.den == self.num {
            f
        } else {
            f + 1
        }
    }

    /// Whether `v` is the floor or the ceiling of the value.
    pub(super) fn admits(&self, v: u128) -> bool {
        self.floor() <= v && v <= self.ceil()
    }

    pub(super) fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// `12 + 1/3`-style text for messages.
    pub(super) fn describe(&self) -> String {
        let f = self.floor();
        let rem = &self.num - BigUint::from(f) * &self.den;
        if rem.is_zero() {
            format!("{f}")
        } else {
            format!("{f} + {rem}/{}", self.den)
        }
    }
}

/// A child's claim on its parent.
#[derive(Clone, Debug)]
pub(super) enum RefShare {
    Fixed(u128),
    Weight(BigUint),
}

/// The brief's rounding ([`rounding::round`]): each child gets the floor of
/// its exact value; the `p - sum(floors)` leftover units go one each to the
/// largest fractional parts, ties to the child written first. `p` must be the
/// floor or the ceiling of `e`. Fixed children are exact as written; weighted
/// ones share what is left by weight.
pub(super) fn apportion(p: u128, e: &Exact, shares: &[RefShare]) -> Result<Vec<(u128, Exact)>, String> {
    let fixed: u128 = shares.iter().map(|s| if let RefShare::Fixed(u) = s { *u } else { 0 }).sum();
    let wsum: BigUint =
        shares.iter().map(|s| if let RefShare::Weight(w) = s { w.clone() } else { BigUint::zero() }).sum();
    let fixed_scaled = BigUint::from(fixed) * &e.den;
    if fixed_scaled > e.num {
        return Err(format!("fixed amounts {fixed} exceed the parent {}", e.describe()));
    }
    let rest = &e.num - &fixed_scaled;
    if wsum.is_zero() && !rest.is_zero() {
        return Err(format!("{} to share but every weight is zero", e.describe()));
    }
    let den = &e.den * &wsum;
    let exacts: Vec<Exact> = shares
        .iter()
        .map(|s| match s {
            RefShare::Fixed(u) => Exact::units(*u),
            RefShare::Weight(_) if wsum.is_zero() => Exact::units(0),
            RefShare::Weight(w) => Exact { num: &rest * w, den: den.clone() },
        })
        .collect();
    let units = rounding::round(p as i128, &exacts).map_err(|why| match why {
        Unshareable::BelowFloors(floors) => format!("parent {p} is below the children's floors {floors}"),
        Unshareable::AboveCeilings => format!("parent {p} is above the ceiling of {}", e.describe()),
    })?;
    Ok(units.into_iter().map(|u| u as u128).zip(exacts).collect())
}

impl ExactValue for Exact {
    type Fraction = Ratio;

    fn floor_units(&self) -> BigInt {
        BigInt::from(self.floor())
    }

    fn fraction(&self) -> Option<Ratio> {
        let rem = &self.num % &self.den;
        (!rem.is_zero()).then(|| Ratio { num: rem, den: self.den.clone() })
    }
}

/// Integer weights with the same ratios as decimal weights.
fn integer_weights(ws: &[Dec]) -> Vec<BigUint> {
    let scale = ws.iter().map(|w| w.scale).max().unwrap_or(0);
    ws.iter().map(|w| BigUint::from(w.mant) * BigUint::from(10u8).pow(scale - w.scale)).collect()
}

fn set_shares(set: &SetSpec) -> Vec<RefShare> {
    let weights: Vec<Dec> = set
        .members
        .iter()
        .filter_map(|m| match m.share {
            Share::Weight(n) => Some(n.v),
            Share::Fixed { .. } => None,
        })
        .collect();
    let mut ints = integer_weights(&weights).into_iter();
    set.members
        .iter()
        .map(|m| match m.share {
            Share::Weight(_) => RefShare::Weight(ints.next().expect("one per weight")),
            Share::Fixed { units, .. } => RefShare::Fixed(units),
        })
        .collect()
}

/// A node of the org tree (the company, or a member under a parent path).
#[derive(Clone, Debug)]
pub(super) struct OrgNode {
    pub path: Vec<String>,
    pub parent: Option<usize>,
    /// The member's weight; `None` for the company and for fixed members.
    pub weight: Option<Dec>,
    pub units: u128,
    pub exact: Exact,
    pub leaf: bool,
}

/// The org tree in cascade order (depth first, members in order).
pub(super) fn org(spec: &PlanSpec) -> Result<Vec<OrgNode>, String> {
    let mut nodes = vec![OrgNode {
        path: Vec::new(),
        parent: None,
        weight: None,
        units: spec.total,
        exact: Exact::units(spec.total),
        leaf: false,
    }];
    descend(spec, 0, 0, &mut nodes)?;
    Ok(nodes)
}

fn descend(spec: &PlanSpec, depth: usize, at: usize, nodes: &mut Vec<OrgNode>) -> Result<(), String> {
    if depth == spec.splits.len() {
        nodes[at].leaf = true;
        return Ok(());
    }
    let parent = nodes[at].path.last().cloned();
    let Some(set) = spec.splits[depth].set_for(parent.as_deref()) else {
        if !nodes[at].exact.is_zero() {
            return Err(format!("reference: {:?} has a share but no members", nodes[at].path));
        }
        return Ok(());
    };
    let parts = apportion(nodes[at].units, &nodes[at].exact, &set_shares(set))?;
    for (m, (units, exact)) in set.members.iter().zip(parts) {
        let mut path = nodes[at].path.clone();
        path.push(m.name.clone());
        let weight = match m.share {
            Share::Weight(n) => Some(n.v),
            Share::Fixed { .. } => None,
        };
        nodes.push(OrgNode { path, parent: Some(at), weight, units, exact, leaf: false });
        let me = nodes.len() - 1;
        descend(spec, depth + 1, me, nodes)?;
    }
    Ok(())
}

/// A period of the reference calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub weight: Dec,
    pub parent: Option<usize>,
    /// Indices of the next level's periods inside it (for an ISO week: its days).
    pub children: Range<usize>,
}

/// How a run shows time: a level of the tree, or ISO 8601 weeks over days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum View {
    Tree(usize),
    Iso,
}

impl View {
    /// How fine the view's periods are, to compare with a `--period`
    /// (ISO weeks count as weeks).
    pub(super) fn grain(self) -> usize {
        match self {
            View::Tree(l) => l,
            View::Iso => WEEK,
        }
    }
}

/// The plan year's time tree: year, quarters, months (retail periods),
/// weeks, days and (with slots) slots; the ISO weeks over its days; and
/// every period's exact value on the plan's total after the breakback of
/// holds.
pub(super) struct Calendar {
    pub levels: Vec<Vec<Period>>,
    pub iso: Vec<Period>,
    /// Per level and period: its hold in units, if `[time.fixed]` holds it.
    pub held: Vec<Vec<Option<u128>>>,
    /// Per level and period: its exact value (units) on the plan's total,
    /// holds kept and their unheld siblings sharing the rest by weight.
    pub value: Vec<Vec<Exact>>,
    /// Per level and period: whether it can carry a positive amount (every
    /// child with a positive weight can, and some child has one).
    pub carries: Vec<Vec<bool>>,
    /// Per level but the last, per period: its children's integer weights.
    shares: Vec<Vec<Vec<BigUint>>>,
    total: u128,
}

impl Calendar {
    /// The calendar of a valid plan (panics on an invalid one).
    pub(super) fn new(spec: &PlanSpec) -> Calendar {
        Calendar::build(spec).unwrap_or_else(|e| panic!("reference: {e}"))
    }

    /// Builds the tree, weighs it bottom up and works out the breakback top
    /// down; says why the plan is invalid (the calendar errors of the brief,
    /// or holds that do not fit) if it is.
    pub(super) fn build(spec: &PlanSpec) -> Result<Calendar, String> {
        let holidays = spec.holiday_map();
        let (start, end) = spec.bounds();
        let fy = if spec.fiscal() { "FY" } else { "" };
        // The 12 month-level periods: (first day, last day, label).
        let layout: Vec<(NaiveDate, NaiveDate, String)> = match &spec.retail {
            Some(r) => {
                assert_eq!(start.weekday(), Weekday::Sun, "a retail year starts on a Sunday");
                let days = (end - start).num_days() + 1;
                assert!(days == 364 || days == 371, "a retail year has 52 or 53 weeks, not {days} days");
                let weeks = days as u64 / 7;
                let mut first = start;
                (0..12)
                    .map(|i| {
                        let n = r.pattern[i % 3] + if i == 11 { weeks - 52 } else { 0 };
                        let last = first + Days::new(n * 7 - 1);
                        let out = (first, last, format!("FY{}-P{:02}", spec.year, i + 1));
                        first = last.succ_opt().expect("date");
                        out
                    })
                    .collect()
            }
            None => (0..12)
                .map(|i| {
                    let first = start.checked_add_months(Months::new(i)).expect("date");
                    let last = start.checked_add_months(Months::new(i + 1)).expect("date").pred_opt().expect("date");
                    (first, last, format!("{:04}-{:02}", first.year(), first.month()))
                })
                .collect(),
        };
        assert_eq!(layout[11].1, end);
        let week_start = if spec.retail.is_some() { Weekday::Sun } else { spec.week_start() };

        let mut quarters: Vec<Period> = Vec::new();
        let mut months: Vec<Period> = Vec::new();
        let mut weeks: Vec<Period> = Vec::new();
        let mut days: Vec<Period> = Vec::new();
        let mut slots: Vec<Period> = Vec::new();
        let mut problems: Vec<String> = Vec::new();
        for q in 0..4usize {
            let first_month = months.len();
            let mut positive_days = Vec::new();
            for (fi, (m_start, m_end, m_label)) in layout.iter().enumerate().take(3 * q + 3).skip(3 * q) {
                let m_index = months.len();
                let first_week = weeks.len();
                let mut day_sum = Dec::int(0);
                let mut any_positive = false;
                let mut d = *m_start;
                while d <= *m_end {
                    if d == *m_start || d.weekday() == week_start {
                        let label = if spec.retail.is_some() {
                            format!("FY{}-W{:02}", spec.year, weeks.len() + 1)
                        } else {
                            format!("{m_label}-W{}", weeks.len() - first_week + 1)
                        };
                        weeks.push(Period {
                            label,
                            start: d,
                            end: d,
                            weight: Dec::int(0),
                            parent: Some(m_index),
                            children: days.len()..days.len(),
                        });
                    }
                    let w = spec.day_weight(d, &holidays);
                    day_sum = day_sum.add(w);
                    any_positive |= !w.is_zero();
                    let week_index = weeks.len() - 1;
                    let week = weeks.last_mut().expect("a week");
                    week.end = d;
                    week.weight = week.weight.add(w);
                    week.children.end += 1;
                    let first_slot = slots.len();
                    for (name, share) in &spec.slots {
                        slots.push(Period {
                            label: format!("{d} {name}"),
                            start: d,
                            end: d,
                            weight: share.v,
                            parent: Some(days.len()),
                            children: 0..0,
                        });
                    }
                    days.push(Period {
                        label: d.to_string(),
                        start: d,
                        end: d,
                        weight: w,
                        parent: Some(week_index),
                        children: first_slot..slots.len(),
                    });
                    d = d.succ_opt().expect("date");
                }
                let weight = match (&spec.months, spec.spread()) {
                    (Some(given), _) => given[fi].v,
                    (None, Spread::Even) => Dec::int(1),
                    (None, _) => day_sum,
                };
                positive_days.push(any_positive);
                months.push(Period {
                    label: m_label.clone(),
                    start: *m_start,
                    end: *m_end,
                    weight,
                    parent: Some(q),
                    children: first_week..weeks.len(),
                });
            }
            let m_sum = months[first_month..].iter().fold(Dec::int(0), |acc, m| acc.add(m.weight));
            let quarter = Period {
                label: format!("{fy}{}-Q{}", spec.year, q + 1),
                start: months[first_month].start,
                end: months[months.len() - 1].end,
                weight: spec.quarters.as_ref().map_or(m_sum, |qs| qs[q].v),
                parent: Some(0),
                children: first_month..months.len(),
            };
            if !quarter.weight.is_zero() {
                let ms = &months[first_month..];
                if ms.iter().all(|m| m.weight.is_zero()) {
                    problems.push(format!("{} has a share but no month with a weight", quarter.label));
                }
                for (m, positive) in ms.iter().zip(&positive_days) {
                    if !m.weight.is_zero() && !positive {
                        problems.push(format!("{} has a share but no day with a positive weight", m.label));
                    }
                }
            }
            quarters.push(quarter);
        }
        let year = Period {
            label: format!("{fy}{}", spec.year),
            start: quarters[0].start,
            end: quarters[3].end,
            weight: quarters.iter().fold(Dec::int(0), |acc, q| acc.add(q.weight)),
            parent: None,
            children: 0..4,
        };
        if year.weight.is_zero() {
            problems.push("nothing to weigh".to_string());
        }
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        let iso = iso_weeks(&days);
        let mut levels = vec![vec![year], quarters, months, weeks, days];
        if spec.has_slots() {
            levels.push(slots);
        }
        let n = levels.len();
        let shares: Vec<Vec<Vec<BigUint>>> = (0..n - 1)
            .map(|l| {
                levels[l]
                    .iter()
                    .map(|p| {
                        let ws: Vec<Dec> = levels[l + 1][p.children.clone()].iter().map(|c| c.weight).collect();
                        integer_weights(&ws)
                    })
                    .collect()
            })
            .collect();
        let mut carries: Vec<Vec<bool>> = levels.iter().map(|ps| vec![true; ps.len()]).collect();
        for l in (0..n - 1).rev() {
            for (i, p) in levels[l].iter().enumerate() {
                let ws = &shares[l][i];
                let any = ws.iter().any(|w| !w.is_zero());
                let all = p.children.clone().zip(ws).all(|(c, w)| w.is_zero() || carries[l + 1][c]);
                carries[l][i] = any && all;
            }
        }
        let mut held: Vec<Vec<Option<u128>>> = levels.iter().map(|ps| vec![None; ps.len()]).collect();
        for h in &spec.holds {
            assert!(h.level > 0 && h.level < n, "a hold below the year");
            assert_eq!(levels[h.level][h.index].label, h.label, "the hold's period");
            assert!(held[h.level][h.index].replace(h.units).is_none(), "one hold per period");
        }
        let mut cal = Calendar { levels, iso, held, value: Vec::new(), carries, shares, total: spec.total };
        cal.value = cal.values(&cal.held)?;
        Ok(cal)
    }

    /// Every period's exact value on the plan's total with `held` periods
    /// kept (the breakback rule, top down).
    fn values(&self, held: &[Vec<Option<u128>>]) -> Result<Vec<Vec<Exact>>, String> {
        let mut value = vec![vec![Exact::units(self.total)]];
        for l in 0..self.levels.len() - 1 {
            let mut next = Vec::with_capacity(self.levels[l + 1].len());
            for (i, p) in self.levels[l].iter().enumerate() {
                let e = &value[l][i];
                let ws = &self.shares[l][i];
                let holds: u128 = p.children.clone().filter_map(|c| held[l + 1][c]).sum();
                let holds_scaled = BigUint::from(holds) * &e.den;
                if holds_scaled > e.num {
                    return Err(format!("the holds in {} ({holds}) exceed its value {}", p.label, e.describe()));
                }
                let rest = &e.num - holds_scaled;
                let w: BigUint =
                    p.children.clone().zip(ws).filter(|(c, _)| held[l + 1][*c].is_none()).map(|(_, w)| w).sum();
                if w.is_zero() && !rest.is_zero() {
                    return Err(format!("{} has something left for unheld periods that all weigh 0", p.label));
                }
                for (c, wc) in p.children.clone().zip(ws) {
                    next.push(match held[l + 1][c] {
                        Some(u) => Exact::units(u),
                        None if w.is_zero() => Exact::units(0),
                        None => Exact { num: &rest * wc, den: &e.den * &w },
                    });
                }
            }
            value.push(next);
        }
        Ok(value)
    }

    /// The exact value of org leaf `leaf` (its exact annual amount) at a
    /// period: its annual amount times the period's value over the total.
    pub(super) fn leaf_value(&self, leaf: &Exact, level: usize, index: usize) -> Exact {
        if self.total == 0 {
            return Exact::units(0);
        }
        let e = &self.value[level][index];
        Exact { num: &leaf.num * &e.num, den: &leaf.den * &e.den * BigUint::from(self.total) }
    }

    /// Whether any child of the period is held.
    pub(super) fn group_has_hold(&self, level: usize, index: usize) -> bool {
        self.levels[level][index].children.clone().any(|c| self.held[level + 1][c].is_some())
    }

    /// The periods a `--period` of this plan may name at each grain: the
    /// tree's levels, and ISO weeks (grain week).
    pub(super) fn periods_of(&self, view: View) -> &[Period] {
        match view {
            View::Tree(l) => &self.levels[l],
            View::Iso => &self.iso,
        }
    }

    /// What `--period WORD` means on `today` for a run by `view`: the
    /// period containing today (or tomorrow), or the one after it (the
    /// plan's first one when today lies in the period just before the plan:
    /// the last one of the year before, by the same calendar rules); an
    /// error when that is outside the plan or finer than the view. For ISO
    /// weeks outside the plan (the plan clips its first and last ISO weeks,
    /// so whether a date just outside is "in" one is moot) anything goes.
    ///
    /// Unless `before` is set, `next-…` on a date before the plan may give
    /// either (see `next_period_from_just_before_the_plan`).
    pub(super) fn relative(&self, spec: &PlanSpec, word: &str, today: NaiveDate, view: View, before: bool) -> Expect {
        let (date, next, unit) = match word {
            "today" => (today, false, DAY),
            "tomorrow" => (today.succ_opt().expect("a date"), false, DAY),
            "this-week" => (today, false, WEEK),
            "next-week" => (today, true, WEEK),
            "this-month" => (today, false, 2),
            "next-month" => (today, true, 2),
            "this-quarter" => (today, false, 1),
            "next-quarter" => (today, true, 1),
            _ => panic!("not a relative period: {word}"),
        };
        if unit > view.grain() {
            return Expect::Error;
        }
        let iso = unit == WEEK && view == View::Iso;
        if unit == WEEK && !iso && spec.retail.is_none() {
            // Relative weeks are whole weeks by `week_start`, across month
            // ends, clipped to the plan; one that a month end cuts is
            // labelled by its dates.
            let back = (date.weekday().num_days_from_monday() + 7 - spec.week_start().num_days_from_monday()) % 7;
            let first = date - Days::new(u64::from(back)) + Days::new(if next { 7 } else { 0 });
            let last = first + Days::new(6);
            let year = &self.levels[0][0];
            let (start, end) = (first.max(year.start), last.min(year.end));
            if start > end {
                return Expect::Error;
            }
            let weeks = &self.levels[WEEK];
            if let Some(w) = weeks.iter().find(|w| w.start == start && w.end == end) {
                return Expect::Period(w.clone());
            }
            let mut whole = weeks[0].clone();
            (whole.label, whole.start, whole.end) = (format!("{start} to {end}"), start, end);
            return Expect::Period(whole);
        }
        let list = if iso { &self.iso } else { &self.levels[unit] };
        match list.iter().position(|p| p.start <= date && date <= p.end) {
            Some(i) => list.get(if next { i + 1 } else { i }).cloned().map_or(Expect::Error, Expect::Period),
            None if iso => Expect::Either,
            None if next && date < list[0].start && !before => Expect::Either,
            None if next && date < list[0].start => {
                let before = Calendar::previous_year(spec).levels[unit].last().cloned().expect("a period");
                assert_eq!(before.end.succ_opt(), Some(list[0].start), "the year before ends where this one starts");
                if before.start <= date {
                    Expect::Period(list[0].clone())
                } else {
                    Expect::Error
                }
            }
            None => Expect::Error,
        }
    }

    /// The periods of the plan year before this one, by the same calendar
    /// rules (Gregorian months from the same start month, weeks cut at the
    /// same weekday; or the retail year before).
    fn previous_year(spec: &PlanSpec) -> Calendar {
        let mut prev = spec.clone();
        prev.year -= 1;
        prev.start_year -= 1;
        // Only the periods matter: weights that are always valid.
        prev.spread = Some(Spread::Even);
        prev.months = None;
        prev.quarters = None;
        prev.weekdays = [None; 7];
        prev.days.clear();
        prev.holidays.clear();
        prev.holds.clear();
        prev.slots.clear();
        Calendar::new(&prev)
    }
}

/// What a request should give.
#[derive(Clone, Debug)]
pub(super) enum Expect {
    Period(Period),
    Error,
    /// Either is defensible.
    Either,
}

/// ISO 8601 weeks over the plan's days (clipped to the plan year): label
/// `YYYY-Www` of the ISO year, and the range of their days.
fn iso_weeks(days: &[Period]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for (i, d) in days.iter().enumerate() {
        let w = d.start.iso_week();
        let label = format!("{}-W{:02}", w.year(), w.week());
        match out.last_mut() {
            Some(p) if p.label == label => {
                p.end = d.end;
                p.children.end = i + 1;
                p.weight = p.weight.add(d.weight);
            }
            _ => out.push(Period {
                label,
                start: d.start,
                end: d.end,
                weight: d.weight,
                parent: None,
                children: i..i + 1,
            }),
        }
    }
    out
}

/// Holds for a valid plan without any: one to four periods at random
/// levels (quarter to slot), each with an amount that keeps the plan valid:
/// a fraction of what the period would get (sometimes 0, sometimes all that
/// is left of its parent), never more than what its held siblings leave,
/// and always at least one unheld sibling with a positive weight left.
pub(super) fn choose_holds(spec: &PlanSpec, rng: &mut Rng) -> Vec<HoldSpec> {
    assert!(spec.holds.is_empty());
    let cal = Calendar::new(spec);
    let n = cal.levels.len();
    let mut picks: Vec<(usize, usize)> = Vec::new();
    let mut pool = vec![1, 2, 2, 2, 3, 3, 4, 4, 4];
    if n > SLOT {
        pool.extend([SLOT, SLOT]);
    }
    for _ in 0..rng.range(1, 4) {
        // Mostly periods worth a unit or more (small totals leave days at 0).
        let mut pick = (0, 0);
        for _ in 0..6 {
            let level = rng.pick(&pool);
            pick = (level, rng.below(cal.levels[level].len() as u64) as usize);
            if cal.value[pick.0][pick.1].floor() > 0 || rng.chance(1, 4) {
                break;
            }
        }
        if !picks.contains(&pick) {
            picks.push(pick);
        }
    }
    picks.sort_unstable();
    let mut holds: Vec<HoldSpec> = Vec::new();
    let mut held: Vec<Vec<Option<u128>>> = cal.levels.iter().map(|ps| vec![None; ps.len()]).collect();
    for (l, i) in picks {
        let value = cal.values(&held).expect("holds chosen to fit");
        let parent = cal.levels[l][i].parent.expect("below the year");
        let siblings = cal.levels[l - 1][parent].children.clone();
        let ws = &cal.shares[l - 1][parent];
        let w = |c: usize| &ws[c - siblings.start];
        let others: Vec<usize> = siblings.clone().filter(|&c| c != i && held[l][c].is_none()).collect();
        if !others.iter().any(|&c| !w(c).is_zero()) || others.iter().any(|&c| !w(c).is_zero() && !cal.carries[l][c]) {
            continue;
        }
        let e = &value[l - 1][parent];
        let taken: u128 = siblings.clone().filter_map(|c| held[l][c]).sum();
        let rest = Exact { num: &e.num - BigUint::from(taken) * &e.den, den: e.den.clone() };
        let rest_floor = rest.floor();
        let unheld: BigUint = w(i) + others.iter().map(|&c| w(c)).sum::<BigUint>();
        let would_get = Exact { num: &rest.num * w(i), den: &rest.den * unheld };
        let units = if !cal.carries[l][i] || rest_floor == 0 {
            0
        } else {
            match rng.below(8) {
                0 => 0,
                1 => rest_floor,
                2 => would_get.floor(),
                3 => would_get.ceil().min(rest_floor),
                _ => {
                    let permille = rng.range(0, 1500);
                    let part = Exact {
                        num: &would_get.num * BigUint::from(permille),
                        den: &would_get.den * BigUint::from(1000u32),
                    };
                    part.floor().min(rest_floor)
                }
            }
        };
        held[l][i] = Some(units);
        let style = rng.pick(&[Style::Int, Style::Float, Style::Str]);
        holds.push(HoldSpec { level: l, index: i, label: cal.levels[l][i].label.clone(), units, style });
    }
    rng.shuffle(&mut holds);
    holds
}

/// The brief's rounding of one group of siblings ([`rounding::round`]):
/// floors of the exact values, then one unit each to the largest fractional
/// parts (ties to the earlier), `parent` units in all.
pub(super) fn round_group(parent: u128, exacts: &[Exact]) -> Result<Vec<u128>, String> {
    let units = rounding::round(parent as i128, exacts).map_err(|why| match why {
        Unshareable::BelowFloors(floors) => format!("parent {parent} below the floors {floors}"),
        Unshareable::AboveCeilings => format!("parent {parent} above the ceilings"),
    })?;
    Ok(units.into_iter().map(|u| u as u128).collect())
}

/// Whether a table can be rounded so that every cell is the floor or the
/// ceiling of its exact value, every row adds up to its total and every
/// held column to its hold: rows send their leftover units (over the
/// floors) through fractional cells to columns; held columns take exactly
/// their leftover, free ones the rest. A max flow (augmenting paths) decides.
// r, c, s, t, x: rows, columns, source, sink and the excess node, as in the max-flow literature.
#[allow(clippy::many_single_char_names)]
pub(super) fn controlled_rounding_exists(rows: &[(u128, Vec<Exact>)], held: &[Option<u128>]) -> bool {
    let (r, c) = (rows.len(), held.len());
    let (s, t, x) = (0, 1, 2);
    let row = |i: usize| 3 + i;
    let col = |j: usize| 3 + r + j;
    let mut g = Flow::new(3 + r + c);
    let mut need: i64 = 0;
    for (i, (total, cells)) in rows.iter().enumerate() {
        assert_eq!(cells.len(), c);
        let floors: u128 = cells.iter().map(Exact::floor).sum();
        let Some(extra) = total.checked_sub(floors) else { return false };
        g.edge(s, row(i), extra as i64);
        need += extra as i64;
        for (j, e) in cells.iter().enumerate() {
            if e.floor() != e.ceil() {
                g.edge(row(i), col(j), 1);
            }
        }
    }
    let mut fixed: i64 = 0;
    for (j, h) in held.iter().enumerate() {
        match h {
            Some(h) => {
                let floors: u128 = rows.iter().map(|(_, cells)| cells[j].floor()).sum();
                let Some(extra) = h.checked_sub(floors) else { return false };
                g.edge(col(j), t, extra as i64);
                fixed += extra as i64;
            }
            None => g.edge(col(j), x, i64::MAX / 4),
        }
    }
    if fixed > need {
        return false;
    }
    g.edge(x, t, need - fixed);
    g.max_flow(s, t) == need
}

/// A small max-flow network (Edmonds-Karp).
struct Flow {
    adj: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
}

impl Flow {
    fn new(n: usize) -> Flow {
        Flow { adj: vec![Vec::new(); n], to: Vec::new(), cap: Vec::new() }
    }

    fn edge(&mut self, u: usize, v: usize, cap: i64) {
        self.adj[u].push(self.to.len());
        self.to.push(v);
        self.cap.push(cap);
        self.adj[v].push(self.to.len());
        self.to.push(u);
        self.cap.push(0);
    }

    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let mut total = 0;
        loop {
            let mut via: Vec<Option<usize>> = vec![None; self.adj.len()];
            let mut queue = std::collections::VecDeque::from([s]);
            let mut seen = vec![false; self.adj.len()];
            seen[s] = true;
            while let Some(u) = queue.pop_front() {
                for &e in &self.adj[u] {
                    let v = self.to[e];
                    if self.cap[e] > 0 && !seen[v] {
                        seen[v] = true;
                        via[v] = Some(e);
                        queue.push_back(v);
                    }
                }
            }
            if !seen[t] {
                return total;
            }
            let mut push = i64::MAX;
            let mut v = t;
            while let Some(e) = via[v] {
                push = push.min(self.cap[e]);
                v = self.to[e ^ 1];
            }
            let mut v = t;
            while let Some(e) = via[v] {
                self.cap[e] -= push;
                self.cap[e ^ 1] += push;
                v = self.to[e ^ 1];
            }
            total += push;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(v: u32) -> RefShare {
        RefShare::Weight(BigUint::from(v))
    }

    #[test]
    fn the_brief_examples() {
        let thirds = apportion(250_000_000, &Exact::units(250_000_000), &[w(1), w(1), w(1)]).unwrap();
        let units: Vec<u128> = thirds.iter().map(|p| p.0).collect();
        assert_eq!(units, [83_333_334, 83_333_333, 83_333_333]);
        let units: Vec<u128> = apportion(10, &Exact::units(10), &[w(1), w(2)]).unwrap().iter().map(|p| p.0).collect();
        assert_eq!(units, [3, 7]);
        let fixed = apportion(100, &Exact::units(100), &[RefShare::Fixed(40), w(1), w(2)]).unwrap();
        assert_eq!(fixed.iter().map(|p| p.0).collect::<Vec<_>>(), [40, 20, 40]);
    }
}
