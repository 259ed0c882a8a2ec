//! Stage `track`: the figures of one tracked cell — a member combination
//! over one period — from its daily targets and actuals and the as-of date.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::plan::Precision;
use crate::plan::Units;

/// Decimals an attainment is shown with (0.9123 = 91.23%).
pub(crate) const RATIO_DECIMALS: u32 = 4;

/// Where a cell stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Attainment to date above 100% plus the tolerance.
    Ahead,
    /// Attainment to date within the tolerance of 100%.
    OnTrack,
    /// Attainment to date below 100% less the tolerance.
    Behind,
    /// The period has not started by the as-of date.
    Upcoming,
    /// Nothing was due by the as-of date (a member the plan does not have,
    /// or only days without a target so far).
    NoTarget,
}

impl Status {
    /// The word shown in outputs.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ahead => "ahead",
            Status::OnTrack => "on track",
            Status::Behind => "behind",
            Status::Upcoming => "upcoming",
            Status::NoTarget => "no target",
        }
    }
}

/// One cell's tracking figures. Amounts have the plan's decimals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    /// The full period's target.
    pub target: Decimal,
    /// The sum of the daily targets up to and including the as-of date.
    pub target_to_date: Decimal,
    /// The actual sales up to and including the as-of date.
    pub actual_to_date: Decimal,
    /// `actual_to_date / target_to_date` as a fraction (0.9 = 90%); `None`
    /// when nothing was due yet.
    pub attainment: Option<Decimal>,
    /// `target_to_date - actual_to_date` (negative when ahead).
    pub gap: Decimal,
    /// `target - actual_to_date`: what is left to sell in the period.
    pub remaining: Decimal,
    /// `remaining` per remaining day with a target; `None` when no such day is left.
    pub run_rate: Option<Decimal>,
    /// The period's result at the pace to date: `actual_to_date * target / target_to_date`.
    pub projected: Option<Decimal>,
    /// Where the cell stands.
    pub status: Status,
}

impl Figures {
    /// The figures of a period from its days: `targets` in rounding units
    /// and `actuals` as amounts, one per day, of which the first `done` are
    /// on or before the as-of date. `tolerance` is the band around 100%
    /// that counts as on track (0.05 for ±5%).
    pub fn of(targets: &[u128], actuals: &[Decimal], done: usize, precision: Precision, tolerance: Decimal) -> Figures {
        let target_units: u128 = targets.iter().sum();
        let due_units: u128 = targets[..done].iter().sum();
        let days_left = targets[done..].iter().filter(|t| **t > 0).count();
        let actual_to_date = actuals[..done].iter().sum();
        Figures::from_sums(target_units, due_units, days_left, actual_to_date, done > 0, precision, tolerance)
    }

    /// As [`Figures::of`], from what it takes from the days: the period's
    /// target and the target due by the as-of date (in rounding units), how
    /// many days after it have a target, the actual sales to date (as their
    /// `Decimal` sum), and whether the period has started.
    pub(crate) fn from_sums(
        target_units: u128,
        due_units: u128,
        days_left: usize,
        actual_to_date: Decimal,
        started: bool,
        precision: Precision,
        tolerance: Decimal,
    ) -> Figures {
        let amount = |units: u128| precision.to_amount(Units(units));
        let dp = precision.decimals();
        let target = amount(target_units);
        let target_to_date = amount(due_units);
        let actual_to_date = pad(actual_to_date, dp);
        let projected = (due_units > 0).then(|| round(actual_to_date * target / target_to_date, dp));
        let remaining = target - actual_to_date;
        let own =
            Own { target, target_to_date, actual_to_date, gap: target_to_date - actual_to_date, remaining, projected };
        own.figures(days_left, started, dp, tolerance)
    }
}

/// The figures of a cell that are its own rather than ratios of others:
/// for a row, worked out from its days; for a total row, the sums of the
/// rows'.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Own {
    target: Decimal,
    target_to_date: Decimal,
    actual_to_date: Decimal,
    gap: Decimal,
    remaining: Decimal,
    projected: Option<Decimal>,
}

impl Own {
    /// The figures, the ratio and pace columns worked out from these:
    /// `attainment = actual_to_date / target_to_date` and `run_rate =
    /// remaining (none below zero) / days_left`, and the status from the
    /// attainment.
    fn figures(self, days_left: usize, started: bool, dp: u32, tolerance: Decimal) -> Figures {
        let Own { target, target_to_date, actual_to_date, gap, remaining, projected } = self;
        let attainment = (target_to_date > Decimal::ZERO).then(|| ratio(actual_to_date, target_to_date));
        let run_rate = (days_left > 0).then(|| round(remaining.max(Decimal::ZERO) / Decimal::from(days_left), dp));
        let status = match attainment {
            _ if !started => Status::Upcoming,
            None => Status::NoTarget,
            Some(a) if a < Decimal::ONE - tolerance => Status::Behind,
            Some(a) if a > Decimal::ONE + tolerance => Status::Ahead,
            Some(_) => Status::OnTrack,
        };
        Figures {
            target,
            target_to_date,
            actual_to_date,
            attainment,
            gap: pad(gap, dp),
            remaining: pad(remaining, dp),
            run_rate,
            projected,
            status,
        }
    }
}

/// A ratio as shown: at most [`RATIO_DECIMALS`] decimals, half away from
/// zero, and no trailing zeros (0.9, 1, 1.0541).
fn ratio(numerator: Decimal, denominator: Decimal) -> Decimal {
    (numerator / denominator).round_dp_with_strategy(RATIO_DECIMALS, RoundingStrategy::MidpointAwayFromZero).normalize()
}

/// A derived amount with exactly the plan's `dp` decimals, half away from zero.
fn round(d: Decimal, dp: u32) -> Decimal {
    let mut r = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(dp);
    r
}

/// An amount that keeps every decimal it has, and at least the plan's `dp`.
fn pad(mut d: Decimal, dp: u32) -> Decimal {
    if d.scale() < dp {
        d.rescale(dp);
    }
    d
}

/// A report's total row, made from its rows: every additive figure
/// (`target`, `target_to_date`, `actual_to_date`, `gap`, `remaining`,
/// `projected`) the exact sum of the rows' figures as shown (a row without a
/// projection adds nothing; no row with one, no total projection); the
/// ratio and pace (`attainment`, `run_rate`) and the status worked out from
/// the total row's own figures, as a row's are from its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TotalRow(Own);

impl TotalRow {
    /// Adds a row's figures.
    pub(crate) fn add(&mut self, row: &Figures) {
        let sum = &mut self.0;
        sum.target += row.target;
        sum.target_to_date += row.target_to_date;
        sum.actual_to_date += row.actual_to_date;
        sum.gap += row.gap;
        sum.remaining += row.remaining;
        if let Some(p) = row.projected {
            sum.projected = Some(sum.projected.unwrap_or_default() + p);
        }
    }

    /// The total row's figures: `days_left` is how many days after the
    /// as-of date the rows cover that have a target (the days its `run_rate`
    /// spreads the remaining over), `started` whether any day they cover is
    /// on or before the as-of date.
    pub(crate) fn figures(self, days_left: usize, started: bool, precision: Precision, tolerance: Decimal) -> Figures {
        self.0.figures(days_left, started, precision.decimals(), tolerance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn units() -> Precision {
        Precision::new(Decimal::ONE).unwrap()
    }

    #[test]
    fn a_week_with_a_weak_start() {
        // 7 days of 100; 3 days done with 80 each: 240 of 300 = 80%.
        let targets = [100u128; 7];
        let actuals = [dec("80"), dec("80"), dec("80"), dec("0"), dec("0"), dec("0"), dec("0")];
        let f = Figures::of(&targets, &actuals, 3, units(), dec("0.05"));
        assert_eq!((f.target, f.target_to_date, f.actual_to_date), (dec("700"), dec("300"), dec("240")));
        assert_eq!(f.attainment, Some(dec("0.8")));
        assert_eq!((f.gap, f.remaining), (dec("60"), dec("460")));
        assert_eq!(f.run_rate, Some(dec("115"))); // 460 over 4 days
        assert_eq!(f.projected, Some(dec("560"))); // 240 x 700 / 300
        assert_eq!(f.status, Status::Behind);
    }

    #[test]
    fn statuses_follow_the_tolerance() {
        let t = [100u128; 2];
        let status = |a: &str| Figures::of(&t, &[dec(a), dec("0")], 1, units(), dec("0.05")).status;
        assert_eq!(status("94"), Status::Behind);
        assert_eq!(status("95"), Status::OnTrack);
        assert_eq!(status("105"), Status::OnTrack);
        assert_eq!(status("106"), Status::Ahead);
        assert_eq!(Figures::of(&t, &[dec("0"), dec("0")], 0, units(), dec("0.05")).status, Status::Upcoming);
    }

    #[test]
    fn nothing_due_and_nothing_left() {
        let f = Figures::of(&[0, 0], &[dec("5"), dec("0")], 2, units(), dec("0.05"));
        assert_eq!((f.attainment, f.run_rate, f.projected), (None, None, None));
        assert_eq!(f.remaining, dec("-5"));
    }
}
