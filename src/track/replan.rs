//! Stage `track`: re-planning. Down the time tree of one tracked node,
//! each period's shortfall to date — over its children that are over by the
//! as-of date — is carried into its remaining children in proportion to
//! their original targets, rounded by the brief's rule, so that the new
//! remaining targets plus the actuals to date equal the original target.

use dashu_int::{IBig, UBig};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use super::daily::{pow10, Total};
use crate::allocate::{Apportioner, Exact, Share};
use crate::calendar::{Calendar, Level};
use crate::plan::Units;
use crate::plan::{Carry, Precision};

/// Re-plans one node: `targets` (units) and `actuals` per day of the plan
/// year, the first `done` days being on or before the as-of date. Returns
/// the new target of every day (0 for days already done) and the amount,
/// in units, that could not be carried because no remaining day has a target.
///
/// Actuals are first turned into whole units so that every running total of
/// them is rounded once (to the nearer unit): the new remaining targets plus
/// the actuals to date then come to the original target to the unit.
pub fn replan(
    calendar: &Calendar,
    targets: &[u128],
    actuals: &[Decimal],
    done: usize,
    carry: Carry,
    precision: Precision,
) -> (Vec<u128>, Exact) {
    let mut running = Decimal::ZERO;
    let mut before: i128 = 0;
    let units: Vec<i128> = actuals
        .iter()
        .map(|a| {
            running += a / precision.unit();
            let now = running.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero).to_i128().unwrap_or(0);
            let day = now - before;
            before = now;
            day
        })
        .collect();
    let ranges = DayRanges::new(calendar);
    run(calendar, &ranges, targets, &units, Fine::Decimals(actuals), done, carry, precision)
}

/// The days of every period of a calendar, per level from the year to the
/// day: worked out once for all the nodes re-planned.
pub(crate) struct DayRanges(Vec<Vec<std::ops::Range<usize>>>);

impl DayRanges {
    pub(super) fn new(calendar: &Calendar) -> DayRanges {
        let day = |d: chrono::NaiveDate| calendar.day_index(d);
        let levels = [Level::Year, Level::Quarter, Level::Month, Level::Week, Level::Day];
        DayRanges(
            levels.iter().map(|&l| calendar.level(l).iter().map(|p| day(p.start)..day(p.end) + 1).collect()).collect(),
        )
    }

    fn get(&self, level: Level, index: usize) -> std::ops::Range<usize> {
        self.0[level.index()][index].clone()
    }
}

/// As [`replan`], with the actuals of each day in units of 10^-`scale`
/// (at least the plan's decimals): the same arithmetic, in integers. The
/// actuals are exact either way, so the results are the same.
#[allow(clippy::too_many_arguments)]
pub(crate) fn replan_scaled(
    calendar: &Calendar,
    ranges: &DayRanges,
    targets: &[u128],
    actuals: &[i128],
    scale: u32,
    done: usize,
    carry: Carry,
    precision: Precision,
) -> (Vec<u128>, Exact) {
    // An amount of `a` x 10^-scale is a / (m x 10^(scale - decimals)) rounding units.
    let unit = precision.unit();
    let per_unit = unit.mantissa() * pow10(scale - unit.scale());
    let mut running: i128 = 0;
    let mut before: i128 = 0;
    let units: Vec<i128> = actuals
        .iter()
        .map(|a| {
            running += a;
            // Rounded to the nearer unit, halves away from zero.
            let now = if per_unit == 1 {
                running
            } else {
                let (whole, rest) = (running / per_unit, running % per_unit);
                whole + if 2 * rest.abs() >= per_unit { running.signum() } else { 0 }
            };
            let day = now - before;
            before = now;
            day
        })
        .collect();
    run(calendar, ranges, targets, &units, Fine::Scaled(actuals, scale), done, carry, precision)
}

/// The actual sales per day as read, for reporting exactly what is lost.
#[derive(Clone, Copy)]
enum Fine<'a> {
    Decimals(&'a [Decimal]),
    /// In units of 10^-scale.
    Scaled(&'a [i128], u32),
}

impl Fine<'_> {
    /// The sales of the days in `days`.
    fn sum(self, days: std::ops::Range<usize>) -> Decimal {
        match self {
            Fine::Decimals(d) => d[days].iter().sum(),
            Fine::Scaled(units, scale) => Total { units: units[days].iter().sum(), scale }.decimal(),
        }
    }
}

/// Re-plans one node from its actuals in whole units per day (see [`replan`]).
#[allow(clippy::too_many_arguments)]
fn run(
    calendar: &Calendar,
    ranges: &DayRanges,
    targets: &[u128],
    units: &[i128],
    fine: Fine<'_>,
    done: usize,
    carry: Carry,
    precision: Precision,
) -> (Vec<u128>, Exact) {
    let mut r = Replanner {
        calendar,
        ranges,
        targets,
        actuals: units,
        fine,
        precision,
        done,
        carry,
        out: vec![0; targets.len()],
        lost: Exact::from_units(0),
        apportioner: Apportioner::default(),
    };
    let total: u128 = targets.iter().sum();
    let overflow = r.period(Level::Year, 0, total, &Exact::from_units(total));
    debug_assert!(overflow == 0 || carry == Carry::Both, "only a surplus can overflow the year");
    (r.out, r.lost)
}

struct Replanner<'a> {
    calendar: &'a Calendar,
    ranges: &'a DayRanges,
    targets: &'a [u128],
    /// Actual sales per day, in whole units.
    actuals: &'a [i128],
    /// Actual sales per day as read, for reporting what is lost exactly.
    fine: Fine<'a>,
    precision: Precision,
    done: usize,
    carry: Carry,
    out: Vec<u128>,
    lost: Exact,
    apportioner: Apportioner,
}

impl Replanner<'_> {
    /// Day indices of a period.
    fn days(&self, level: Level, index: usize) -> std::ops::Range<usize> {
        self.ranges.get(level, index)
    }

    /// Shares a period's new total (`units` rounded, `exact`) among its days
    /// after the as-of date. Returns, in units, the surplus the period could
    /// not absorb (its actuals beyond its new total, under `both`), which the
    /// periods after it must take off their targets.
    fn period(&mut self, level: Level, index: usize, units: u128, exact: &Exact) -> u128 {
        if level == Level::Day {
            let day = self.days(level, index).start;
            self.out[day] = units;
            return 0;
        }
        // A period still to come whose new total is, exactly, what its days
        // were planned to sell: sharing it by their targets gives each day
        // its target back (no remainder to round), so skip the sharing.
        let days = self.days(level, index);
        if days.start >= self.done
            && self.targets[days.clone()].iter().sum::<u128>() == units
            && *exact == Exact::from_units(units)
        {
            self.out[days.clone()].copy_from_slice(&self.targets[days]);
            return 0;
        }
        let children = self.calendar.period(level, index).children.clone();
        let finer = level.finer().expect("above days");
        let ranges: Vec<_> = children.clone().map(|c| self.days(finer, c)).collect();
        // A child is over when it has no target left after the as-of date:
        // its days are all done, or the ones left weigh nothing (a weekend
        // under workdays). Carrying into such a child would lose the amount.
        let left = |k: usize| -> u128 { self.targets[ranges[k].start.max(self.done)..ranges[k].end].iter().sum() };
        let (over, open): (Vec<usize>, Vec<usize>) =
            (0..ranges.len()).partition(|&k| ranges[k].end <= self.done || left(k) == 0);
        let target_done: u128 = over.iter().map(|&k| self.targets[ranges[k].clone()].iter().sum::<u128>()).sum();
        let actual_done: i128 = over
            .iter()
            .map(|&k| {
                let r = &ranges[k];
                self.actuals[r.start..r.end.min(self.done).max(r.start)].iter().sum::<i128>()
            })
            .sum();
        let planned_done = signed(target_done);
        // What the periods that are over count for, by the carry policy.
        let counted = match self.carry {
            Carry::Both => actual_done,
            Carry::None => planned_done,
            Carry::Shortfall => actual_done.min(planned_done),
        };
        // The parent gave this period `units`, the floor or the ceiling of
        // its exact value; the rest keeps that rounding.
        let rest_units = signed(units) - counted;
        if rest_units < 0 {
            // More sold than this period's whole new target (under `both`):
            // nothing is left for its remaining days, and everything it sold
            // to date beyond its target goes off the periods after it.
            let period = self.days(level, index);
            let sold: i128 = self.actuals[period.start..period.end.min(self.done).max(period.start)].iter().sum();
            return (sold - signed(units)).max(0).unsigned_abs();
        }
        let rest_units = rest_units.unsigned_abs();
        // The rounded rest is 0 when the exact one is a hair below it: the
        // parent rounded this period up by less than a unit.
        let rest = minus(exact, counted).unwrap_or_else(|| Exact::from_units(0));
        let weights: Vec<u128> = open.iter().map(|&k| self.targets[ranges[k].clone()].iter().sum()).collect();
        if weights.iter().all(|w| *w == 0) {
            // Report what is lost from the actuals as read, not rounded
            // (a rest that rounds to nothing may still be owed).
            let sold: Decimal = over
                .iter()
                .map(|&k| self.fine.sum(ranges[k].start..ranges[k].end.min(self.done).max(ranges[k].start)))
                .sum();
            let planned = self.precision.to_amount(Units(target_done));
            let counted = match self.carry {
                Carry::Both => sold,
                Carry::None => planned,
                Carry::Shortfall => sold.min(planned),
            };
            self.lost = self.lost.plus(&subtract(exact, counted, self.precision));
            return 0;
        }
        let mut parts = Vec::new();
        self.share(rest_units, &rest, &weights, &mut parts);
        // Only the first open child can have days done: it may overflow,
        // and then the children after it share what is left of the rest.
        let mut k = 0;
        while k < open.len() {
            let overflow = self.period(finer, children.start + open[k], parts[k].units, &parts[k].exact);
            if overflow > 0 {
                // What the children so far took, their surplus included,
                // comes off the rest; the children after share what is left.
                let consumed: u128 = parts[..=k].iter().map(|p| p.units).sum::<u128>() + overflow;
                let Some(left) = minus(&rest, signed(consumed)).filter(|_| consumed <= rest_units) else {
                    return consumed - rest_units;
                };
                let later = weights[k + 1..].to_vec();
                if later.iter().all(|w| *w == 0) {
                    if !left.is_zero() {
                        self.lost = self.lost.plus(&left);
                    }
                    return 0;
                }
                let mut again = Vec::new();
                self.share(rest_units - consumed, &left, &later, &mut again);
                parts.truncate(k + 1);
                parts.extend(again);
            }
            k += 1;
        }
        0
    }

    fn share(&mut self, units: u128, exact: &Exact, weights: &[u128], out: &mut Vec<crate::allocate::Part>) {
        let shares: Vec<Share> = weights.iter().map(|w| Share::Weight(UBig::from(*w))).collect();
        self.apportioner.parts(units, exact, &shares, out).expect("positive weights share any rest");
    }
}

/// `exact - amount` in units, at least 0 (amounts may be finer than a unit).
fn subtract(exact: &Exact, amount: Decimal, precision: Precision) -> Exact {
    let units = amount / precision.unit();
    let num = IBig::from(units.mantissa());
    let den = UBig::from(10u8).pow(units.scale() as usize);
    let a_num = IBig::from(exact.num().clone()) * IBig::from(den.clone()) - num * IBig::from(exact.den().clone());
    UBig::try_from(a_num).map_or_else(|_| Exact::from_units(0), |n| Exact::new(n, exact.den() * &den))
}

/// `units` as a signed count: units of amounts (at most 96-bit mantissas,
/// summed over a year of days) are far below `i128::MAX`.
fn signed(units: u128) -> i128 {
    i128::try_from(units).expect("units of amounts fit i128")
}

/// `exact - units`, or `None` when that is negative.
fn minus(exact: &Exact, units: i128) -> Option<Exact> {
    let num = IBig::from(exact.num().clone()) - IBig::from(units) * IBig::from(exact.den().clone());
    UBig::try_from(num).ok().map(|n| Exact::new(n, exact.den().clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarSpec;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// February 2026 under an even spread: 28 days; weeks from Monday:
    /// 02-01 (Sun) alone, then 02-02..08, 09..15, 16..22, 23..28.
    fn setup() -> (Calendar, Vec<u128>, Precision) {
        let spec = CalendarSpec::new(2026).unwrap();
        let calendar = Calendar::build(&spec).unwrap();
        // A target of 100 a day in February only.
        let mut targets = vec![0u128; 365];
        targets[31..59].fill(100);
        (calendar, targets, Precision::new(Decimal::ONE).unwrap())
    }

    #[test]
    fn a_shortfall_in_week_one_raises_the_remaining_weeks_by_their_weights() {
        let (calendar, targets, p) = setup();
        let mut actuals = vec![Decimal::ZERO; 365];
        // Up to Sunday 02-08 (W1 and W2 over): 800 due, 500 sold.
        actuals[31..39].fill(dec("62.5"));
        let done = 39;
        let (new, lost) = replan(&calendar, &targets, &actuals, done, Carry::Shortfall, p);
        assert!(lost.is_zero());
        // 300 short, carried over the 20 remaining days of 100: +15 a day.
        assert!(new[39..59].iter().all(|d| *d == 115), "{:?}", &new[39..59]);
        assert_eq!(new[39..59].iter().sum::<u128>() + 500, 2800);
        assert!(new[..39].iter().all(|d| *d == 0));
    }

    #[test]
    fn a_surplus_leaves_later_targets_unless_both_is_asked() {
        let (calendar, targets, p) = setup();
        let mut actuals = vec![Decimal::ZERO; 365];
        actuals[31..39].fill(dec("150")); // 1,200 sold against 800
        let (new, _) = replan(&calendar, &targets, &actuals, 39, Carry::Shortfall, p);
        assert!(new[39..59].iter().all(|d| *d == 100));
        let (new, _) = replan(&calendar, &targets, &actuals, 39, Carry::Both, p);
        assert!(new[39..59].iter().all(|d| *d == 80)); // 400 over 20 days
        let (new, _) = replan(&calendar, &targets, &actuals, 39, Carry::None, p);
        assert!(new[39..59].iter().all(|d| *d == 100));
    }

    #[test]
    fn each_period_keeps_the_rounding_its_parent_gave_it() {
        let (calendar, targets, p) = setup();
        let mut actuals = vec![Decimal::ZERO; 365];
        actuals[31] = dec("510");
        // 2,290 left for weeks of 700, 700, 600: 801.5, 801.5, 687; the
        // unit left goes to the first tied .5. Each week then shares what
        // it was given, not its exact value rounded again.
        let (new, lost) = replan(&calendar, &targets, &actuals, 39, Carry::Shortfall, p);
        assert!(lost.is_zero());
        let week = |r: std::ops::Range<usize>| new[r].iter().sum::<u128>();
        assert_eq!((week(39..46), week(46..53), week(53..59)), (802, 801, 687));
        assert_eq!(new.iter().sum::<u128>(), 2290);
    }

    #[test]
    fn a_period_with_only_weightless_days_left_counts_as_over() {
        let (calendar, mut targets, p) = setup();
        // The weekend of 02-09..15 weighs nothing; as of Friday 02-13 that
        // week has nothing left to carry into, so its shortfall goes on.
        targets[44] = 0;
        targets[45] = 0;
        let actuals = vec![Decimal::ZERO; 365];
        let (new, lost) = replan(&calendar, &targets, &actuals, 44, Carry::Shortfall, p);
        assert!(lost.is_zero());
        // 2,600 in all, for weeks of 700 and 600.
        assert_eq!(new[46..53].iter().sum::<u128>(), 1400);
        assert_eq!(new[53..59].iter().sum::<u128>(), 1200);
        assert_eq!(new.iter().sum::<u128>(), 2600);
    }

    #[test]
    fn what_cannot_be_carried_is_reported() {
        let (calendar, targets, p) = setup();
        let actuals = vec![Decimal::ZERO; 365];
        // After February nothing has a target: the whole 2,800 is lost.
        let (new, lost) = replan(&calendar, &targets, &actuals, 59, Carry::Shortfall, p);
        assert!(new.iter().all(|d| *d == 0));
        assert_eq!(lost, Exact::from_units(2800));
    }
}

#[cfg(test)]
mod lost_tests {
    use super::*;
    use crate::calendar::CalendarSpec;

    #[test]
    fn a_return_on_a_plan_of_nothing_is_reported_lost() {
        let calendar = Calendar::build(&CalendarSpec::new(2026).unwrap()).unwrap();
        let targets = vec![0u128; 365];
        let mut actuals = vec![Decimal::ZERO; 365];
        actuals[0] = "-0.15".parse().unwrap();
        let p = Precision::new("0.01".parse().unwrap()).unwrap();
        let (_, lost) = replan(&calendar, &targets, &actuals, 1, Carry::Both, p);
        assert_eq!(lost, Exact::from_units(15));
    }
}

#[cfg(test)]
mod rounding_tests {
    use super::*;
    use crate::calendar::CalendarSpec;

    #[test]
    fn a_return_in_a_period_rounded_up_to_its_actuals_is_still_carried() {
        // 178.00 even; Q2 gets 50.26 (150.77 / 3 rounded up) and April alone
        // sold 50.26, then a 0.01 return in June: June's last days must
        // re-sell that cent, so new remaining + actual = target exactly.
        let calendar = Calendar::build(&CalendarSpec::new(2026).unwrap()).unwrap();
        let p = Precision::new("0.01".parse().unwrap()).unwrap();
        let mut targets = vec![0u128; 365];
        // The daily targets of 178.00 even, as decompose rounds them.
        let engine_total = 17_800u128;
        let mut parts = Vec::new();
        let mut a = Apportioner::default();
        let months: Vec<Share> = (0..12).map(|_| Share::Weight(UBig::ONE)).collect();
        a.parts(engine_total, &Exact::from_units(engine_total), &months, &mut parts).unwrap();
        for (m, part) in parts.iter().enumerate() {
            let month = calendar.period(Level::Month, m);
            let first = calendar.day_index(month.start);
            let days = usize::try_from(month.days()).expect("a month has 28 to 35 days");
            let shares: Vec<Share> = (0..days).map(|_| Share::Weight(UBig::ONE)).collect();
            let mut d = Vec::new();
            a.units(part.units, &part.exact, &shares, &mut d).unwrap();
            targets[first..first + days].copy_from_slice(&d);
        }
        let mut actuals = vec![Decimal::ZERO; 365];
        actuals[0] = "27.23".parse().unwrap();
        actuals[90] = "50.26".parse().unwrap();
        actuals[151] = "-0.01".parse().unwrap();
        let done = 174;
        let (new, lost) = replan(&calendar, &targets, &actuals, done, Carry::Both, p);
        assert!(lost.is_zero());
        assert_eq!(new.iter().sum::<u128>() + 2_723 + 5_026 - 1, 17_800);
    }
}
