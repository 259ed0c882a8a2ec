//! Stage `engine`: the people of a roster split — dates in seat, ramps,
//! caps and floors, and vacancies.
//!
//! Contract: a team's target on each day is shared by who is in seat that
//! day, each by weight times ramp (under `vacancy = "show"` by the whole
//! roster's weights, the absent part going to `(vacant)`), so a person's
//! share of the year is the sum over days of the day's share of the year
//! times their share of that day; then caps and floors give the capped
//! proportional allocation (each person at their floor, their cap, or one
//! common scale times that share). All exact. A person's own time tree
//! follows their days in seat, so their periods add up to their year. A
//! later start never raises a person's exact share (ramps never decrease).

use chrono::{Datelike, NaiveDate};
use dashu_int::UBig;
use rust_decimal::Decimal;

use super::TimeTable;
use crate::allocate::{capped, exact_weights, Bounds, CapError, Exact, Share};
use crate::calendar::{Calendar, Level};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::Units;
use crate::plan::{thousands, Bound, MemberSet, MemberShare, Person, Plan, Precision, Split, Vacancy, VACANT};

/// What a people split's members get under one parent.
#[derive(Clone, Debug)]
pub(super) struct PeopleShares {
    /// Integer weights in the ratio of the members' exact amounts.
    pub shares: Vec<Share>,
    /// Per member, what shaped their share, in words (for explanations).
    pub reasons: Vec<Vec<String>>,
    /// Per member, what caps and floors then did to it, in words (empty when nothing).
    pub adjustments: Vec<Option<String>>,
    /// Per member, their share of the parent before caps and floors (a fraction).
    pub uncapped: Vec<Exact>,
}

/// The plan's people and the calendar they are in seat on.
#[derive(Debug)]
pub(super) struct People<'p> {
    plan: &'p Plan,
    /// The plan year's days, in order.
    dates: Vec<NaiveDate>,
    /// Each day's share of the year under the reference metric's time weights.
    days: Vec<Exact>,
    /// The split whose members have dates or ramps, or show vacancies.
    pub dated: Option<usize>,
}

impl<'p> People<'p> {
    /// `table` is the reference metric's time table on `calendar`. The plan
    /// reader refuses more than one split with dated people; the first is used.
    pub(super) fn new(plan: &'p Plan, calendar: &Calendar, table: &TimeTable) -> People<'p> {
        let dated_split = crate::plan::dated_splits(plan).first().copied();
        let dates = calendar.level(Level::Day).iter().map(|p| p.start).collect();
        People { plan, dates, days: day_shares(calendar, table), dated: dated_split }
    }

    /// The shares of a split's members under one parent whose reference
    /// amount is `parent` (exact units), when the members are people with
    /// anything beyond a weight; `None` for a plain member set.
    pub(super) fn shares(
        &self,
        depth: usize,
        set: &MemberSet,
        parent: &Exact,
        team: &str,
    ) -> Option<Result<PeopleShares, Diagnostic>> {
        let split = &self.plan.splits[depth];
        let bounded = set.members.iter().any(|m| m.person().max.is_some() || m.person().min.is_some());
        let dated = self.dated == Some(depth);
        if !bounded && !dated {
            return None;
        }
        if set.members.iter().any(|m| matches!(m.share, MemberShare::Fixed(_))) {
            return None;
        }
        let weights: Vec<Decimal> = set.members.iter().map(weight).collect();
        let uncapped = if dated {
            match self.year_shares(split, set, &weights, team) {
                Ok(a) => a,
                Err(d) => return Some(Err(*d)),
            }
        } else {
            let sum: Decimal = weights.iter().sum();
            weights
                .iter()
                .map(|w| if sum.is_zero() { Exact::from_units(0) } else { exact(*w).over(&exact(sum)) })
                .collect()
        };
        let precision = self.plan.precision_of(&self.plan.metrics[self.plan.reference()]);
        let bounds: Vec<Bounds> = set
            .members
            .iter()
            .map(|m| Bounds {
                min: m.person().min.map_or(0, |b| bound_units(b, parent, precision, false)),
                max: m.person().max.map(|b| bound_units(b, parent, precision, true)),
            })
            .collect();
        // A floor needs days to carry it: someone in seat on no day of the
        // plan year cannot be given one.
        if dated {
            for ((m, a), b) in set.members.iter().zip(&uncapped).zip(&bounds) {
                // In seat on no day that carries any of the target.
                let absent = || {
                    self.dates
                        .iter()
                        .zip(&self.days)
                        .all(|(d, share)| share.is_zero() || factor(m.person(), *d).is_zero())
                };
                if a.is_zero() && b.min > 0 && m.person().is_dated() && absent() {
                    let floor = thousands(precision.to_amount(Units(b.min)));
                    return Some(Err(Diagnostic::new(Code::NobodyInSeat, format!(
                        "{} `{}` under `{team}` has a floor of {floor} but is in seat on no day of the plan year that carries a target",
                        split.by, m.name
                    ))
                    .at(m.origin.location())
                    .help("correct the `start` and `end` dates, or leave `min` empty for this person")));
                }
            }
        }
        let amounts: Vec<Exact> = if bounded {
            match capped(parent, &uncapped, &bounds) {
                Ok(x) => x,
                Err(e) => return Some(Err(cap_error(split, set, team, parent, &bounds, e, precision))),
            }
        } else {
            uncapped.iter().map(|a| a.times(parent)).collect()
        };
        let binding = amounts.iter().zip(&uncapped).any(|(x, a)| *x != a.times(parent));
        let reasons = set.members.iter().map(|m| reasons(m.person(), &m.name)).collect();
        let adjustments = amounts
            .iter()
            .zip(&bounds)
            .zip(&uncapped)
            .map(|((x, b), a)| adjustment(x, &a.times(parent), b, binding, precision))
            .collect();
        let shares = exact_weights(&amounts).into_iter().map(Share::Weight).collect();
        Some(Ok(PeopleShares { shares, reasons, adjustments, uncapped }))
    }

    /// Each member's share of the year (fractions adding up to 1): the
    /// day's share of the year times the member's share of that day, summed.
    fn year_shares(
        &self,
        split: &Split,
        set: &MemberSet,
        weights: &[Decimal],
        team: &str,
    ) -> Result<Vec<Exact>, Box<Diagnostic>> {
        let n = set.members.len();
        let mut totals = vec![Exact::from_units(0); n];
        for run in self.runs(set) {
            let day = &run.share;
            if day.is_zero() {
                continue;
            }
            let present: Vec<Decimal> = weights.iter().zip(&run.factors).map(|(w, f)| w * f).collect();
            let seated: Decimal = present.iter().sum();
            let whole = match split.vacancy {
                Vacancy::Share => seated,
                Vacancy::Show => weights.iter().sum(),
            };
            if whole.is_zero() {
                let (from, to) = (self.dates[run.first], self.dates[run.last]);
                return Err(Box::new(Diagnostic::new(Code::NobodyInSeat, format!(
                    "nobody under `{team}` in split `{}` is in seat from {from} to {to}, but `{team}` has a target then",
                    split.by
                ))
                .at(set.origin.clone())
                .note("with nobody to share it, that part of the target would be lost")
                .help(format!(
                    "add `vacancy = \"show\"` to split `{}` to keep it on a (vacant) row, or correct the `start` and `end` dates",
                    split.by
                ))));
            }
            for (i, member) in set.members.iter().enumerate() {
                let mine =
                    if member.name == VACANT && split.vacancy == Vacancy::Show { whole - seated } else { present[i] };
                if !mine.is_zero() {
                    totals[i] = totals[i].plus(&day.times(&exact(mine).over(&exact(whole))));
                }
            }
        }
        Ok(totals)
    }

    /// Stretches of days on which every member's factor is the same.
    fn runs(&self, set: &MemberSet) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for (d, date) in self.dates.iter().enumerate() {
            let factors: Vec<Decimal> = set.members.iter().map(|m| factor(m.person(), *date)).collect();
            match runs.last_mut() {
                Some(run) if run.factors == factors => {
                    run.last = d;
                    run.share = run.share.plus(&self.days[d]);
                }
                _ => runs.push(Run { first: d, last: d, factors, share: self.days[d].clone() }),
            }
        }
        runs
    }

    /// A team's (one member set's) seated weight on each day: the sum of
    /// weight times factor of who is in seat, and the whole roster's weight.
    pub(super) fn team(&self, set: &MemberSet) -> Team {
        let weights: Vec<Decimal> = set.members.iter().map(weight).collect();
        let seated = self
            .dates
            .iter()
            .map(|date| set.members.iter().zip(&weights).map(|(m, w)| w * factor(m.person(), *date)).sum())
            .collect();
        Team { seated, roster: weights.iter().sum() }
    }

    /// Member `member`'s weight on each day of the year, for spreading its
    /// figure over time, given its team and the metric's own day shares
    /// `days`; `None` when it is in seat every day with the team unchanged
    /// (its time tree is then the metric's own). Only relative weights
    /// matter, so people of one team with the same dates and ramp share one.
    pub(super) fn profile(&self, set: &MemberSet, team: &Team, member: usize, days: &[Exact]) -> Option<Vec<Exact>> {
        let split = &self.plan.splits[self.dated?];
        let person = &set.members[member].person();
        let vacant = set.members[member].name == VACANT && split.vacancy == Vacancy::Show;
        let mut out = Vec::with_capacity(days.len());
        let mut plain = true;
        let mut first_whole: Option<Decimal> = None;
        for (d, date) in self.dates.iter().enumerate() {
            let f = factor(person, *date);
            let (mine, whole) = match split.vacancy {
                Vacancy::Share => (f, team.seated[d]),
                Vacancy::Show if vacant => (team.roster - team.seated[d], team.roster),
                Vacancy::Show => (f, team.roster),
            };
            if whole.is_zero() || mine.is_zero() {
                out.push(Exact::from_units(0));
                plain &= days[d].is_zero();
                continue;
            }
            plain &= f == Decimal::ONE && !vacant && *first_whole.get_or_insert(whole) == whole;
            out.push(days[d].times(&exact(mine).over(&exact(whole))));
        }
        (!plain).then_some(out)
    }
}

/// A team's seated weight per day of the year, and its whole roster's weight.
#[derive(Debug)]
pub(super) struct Team {
    seated: Vec<Decimal>,
    roster: Decimal,
}

/// A stretch of days with the same factors.
struct Run {
    first: usize,
    last: usize,
    factors: Vec<Decimal>,
    share: Exact,
}

fn weight(member: &crate::plan::Member) -> Decimal {
    match member.share {
        MemberShare::Weight(w) => w,
        MemberShare::Fixed(_) => Decimal::ZERO,
    }
}

/// A person's factor on a day: 0 out of seat, their ramp step in their
/// first months in seat, else 1.
pub(super) fn factor(person: &Person, date: NaiveDate) -> Decimal {
    if person.start.is_some_and(|s| date < s) || person.end.is_some_and(|e| date > e) {
        return Decimal::ZERO;
    }
    let Some(start) = person.start else { return Decimal::ONE };
    let month = |d: NaiveDate| d.year() * 12 + i32::try_from(d.month0()).expect("a month is 0 to 11 from month0");
    let months = month(date) - month(start) - i32::from(date.day() < start.day());
    usize::try_from(months).ok().and_then(|m| person.ramp.get(m)).copied().unwrap_or(Decimal::ONE)
}

/// A non-negative decimal as an exact value.
fn exact(d: Decimal) -> Exact {
    Exact::new(UBig::from(d.mantissa().unsigned_abs()), UBig::from(10u8).pow(d.scale() as usize))
}

/// A cap (rounded down) or floor (rounded up) in whole units.
fn bound_units(bound: Bound, parent: &Exact, precision: Precision, cap: bool) -> u128 {
    let value = match bound {
        Bound::Amount(a) => return precision.to_units(a).map_or(u128::MAX, |Units(u)| u),
        Bound::Share(f) => parent.times(&exact(f)),
    };
    let units = if cap { value.floor_units() } else { value.ceil_units() };
    u128::try_from(&units).unwrap_or(u128::MAX)
}

/// Each day's share of the year under a time table (they add up to 1).
pub(super) fn day_shares(calendar: &Calendar, table: &TimeTable) -> Vec<Exact> {
    let mut values = vec![Exact::from_units(1)];
    let mut level = Level::Year;
    while level < Level::Day {
        let finer = level.finer().expect("above the day");
        let mut next = Vec::with_capacity(calendar.level(finer).len());
        for (i, value) in values.iter().enumerate() {
            let shares = &table[level.index()][i];
            let sum: UBig = shares.iter().map(weight_of).sum();
            for share in shares {
                next.push(if sum.is_zero() {
                    Exact::from_units(0)
                } else {
                    value.times(&Exact::new(weight_of(share), sum.clone()))
                });
            }
        }
        values = next;
        level = finer;
    }
    values
}

fn weight_of(share: &Share) -> UBig {
    match share {
        Share::Weight(w) => w.clone(),
        Share::Fixed(_) => UBig::ZERO,
    }
}

/// A time table whose days weigh `days` (a person's days in seat); the
/// levels above weigh the sums of their days, slots keep `base`'s shares.
pub(super) fn table_from_days(calendar: &Calendar, base: &TimeTable, days: &[Exact]) -> TimeTable {
    let mut table: TimeTable = base.clone();
    let mut sums: Vec<Exact> = days.to_vec();
    let mut level = Level::Day;
    while let Some(coarser) = level.coarser() {
        let mut above = Vec::with_capacity(calendar.level(coarser).len());
        for (i, shares) in table[coarser.index()].iter_mut().enumerate() {
            let children = calendar.period(coarser, i).children.clone();
            let values = &sums[children];
            *shares = exact_weights(values).into_iter().map(Share::Weight).collect();
            above.push(values.iter().fold(Exact::from_units(0), |acc, v| acc.plus(v)));
        }
        sums = above;
        level = coarser;
    }
    table
}

/// What shaped a person's share, in words: dates and ramp.
fn reasons(person: &Person, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name == VACANT {
        out.push("the seats nobody fills, and what ramps hold back".to_string());
    }
    match (person.start, person.end) {
        (Some(s), Some(e)) => out.push(format!("in seat from {s} to {e}")),
        (Some(s), None) => out.push(format!("in seat from {s}")),
        (None, Some(e)) => out.push(format!("in seat until {e}")),
        (None, None) => {}
    }
    if !person.ramp.is_empty() {
        let steps: Vec<String> =
            person.ramp.iter().map(|r| format!("{}%", (r * Decimal::ONE_HUNDRED).normalize())).collect();
        out.push(format!("ramping up {} in their first months, then 100%", steps.join(" | ")));
    }
    out
}

/// What caps and floors did to a person's amount: `x` is what they get,
/// `plain` what their share alone would give; `binding` whether any cap or
/// floor of the team binds (then everyone else moves by one common factor).
fn adjustment(x: &Exact, plain: &Exact, bounds: &Bounds, binding: bool, precision: Precision) -> Option<String> {
    let units = |u: u128| thousands(precision.to_amount(Units(u)));
    if bounds.max.is_some_and(|m| Exact::from_units(m) == *x) && x != plain {
        return Some(format!("capped at {}", units(bounds.max.unwrap_or(0))));
    }
    if bounds.min > 0 && Exact::from_units(bounds.min) == *x && x != plain {
        return Some(format!("raised to their floor of {}", units(bounds.min)));
    }
    if !binding || plain.is_zero() || x == plain {
        return None;
    }
    let word = if x > plain { "raised" } else { "lowered" };
    Some(format!(
        "{word} by the team's common factor {} so that, with the caps and floors, the team adds up",
        x.over(plain).to_decimal_string(6)
    ))
}

fn cap_error(
    split: &Split,
    set: &MemberSet,
    team: &str,
    parent: &Exact,
    bounds: &[Bounds],
    e: CapError,
    precision: Precision,
) -> Diagnostic {
    let units = |u: u128| thousands(precision.to_amount(Units(u)));
    let parent_amount = |p: &Exact| {
        let (whole, rem) = p.floor_rem();
        let shown = thousands(precision.to_amount(Units(u128::try_from(&whole).unwrap_or(u128::MAX))));
        if rem.is_zero() {
            shown
        } else {
            format!("{shown}…")
        }
    };
    let by = &split.by;
    match e {
        CapError::FloorOverCap { index } => {
            let m = &set.members[index];
            let b = bounds[index];
            // A bound written as a share of the parent: show what it comes to.
            let shares: Vec<String> = [("floor", m.person().min), ("cap", m.person().max)]
                .iter()
                .filter_map(|(what, bound)| match bound {
                    Some(Bound::Share(f)) => Some(format!(
                        "the {what} is {}% of `{team}`'s {}",
                        (f * Decimal::ONE_HUNDRED).normalize(),
                        parent_amount(parent)
                    )),
                    _ => None,
                })
                .collect();
            let mut d = Diagnostic::new(
                Code::FloorsAndCaps,
                format!(
                    "{by} `{}` under `{team}` has a floor of {} above their cap of {}",
                    m.name,
                    units(b.min),
                    units(b.max.unwrap_or(0))
                ),
            )
            .at(m.origin.location());
            if !shares.is_empty() {
                d = d.note(shares.join("; "));
            }
            d.help("lower `min` or raise `max` for this person")
        }
        CapError::FloorsOverParent { floors, parent } => {
            let terms: Vec<String> = bounds.iter().filter(|b| b.min > 0).map(|b| units(b.min)).collect();
            Diagnostic::new(
                Code::FloorsAndCaps,
                format!("the floors of the people under `{team}` add up to more than its target"),
            )
            .at(set.origin.clone())
            .note(format!(
                "{} = {}, but `{team}`'s target is {}",
                terms.join(" + "),
                units(floors),
                parent_amount(&parent)
            ))
            .help(format!("lower some floors (`min`), or give `{team}` a larger share"))
        }
        CapError::CapsUnderParent { reachable, parent } => {
            let terms: Vec<String> = set
                .members
                .iter()
                .zip(bounds)
                .map(|(m, b)| format!("{} {}", m.name, b.max.map_or_else(|| units(b.min), units)))
                .collect();
            Diagnostic::new(
                Code::FloorsAndCaps,
                format!("the caps of the people under `{team}` add up to less than its target"),
            )
            .at(set.origin.clone())
            .note(format!(
                "the most they can take is {} ({}), but `{team}`'s target is {}",
                units(reachable),
                terms.join(", "),
                parent_amount(&parent)
            ))
            .help(format!("raise some caps (`max`), add a person without a cap, or give `{team}` a smaller share"))
        }
    }
}
