use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;

use std::collections::BTreeMap;

use super::{CalendarError, CalendarKind, Spread};

/// Everything [`Calendar::build`](super::Calendar::build) needs: the `[plan]`
/// year and start, and the `[time]` weights, already parsed.
///
/// Weights are relative, unitless numbers; the plan stage is expected to have
/// rejected negative ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarSpec {
    /// The plan's `year`; it names the year (`2026` or `FY2026`) and its quarters.
    pub year: i32,
    /// First day of the plan year; must be the 1st of a month. The year covers
    /// the 12 calendar months from here.
    pub start: NaiveDate,
    /// How months are weighed when `months` is `None`, and whether weekends count.
    pub spread: Spread,
    /// Seasonality weight of each fiscal month (index 0 = the month of `start`);
    /// exactly 12 values when `Some`.
    pub months: Option<Vec<Decimal>>,
    /// Weight of each fiscal quarter; exactly 4 values when `Some`.
    pub quarters: Option<Vec<Decimal>>,
    /// Weekday coefficients, Monday first (`weekdays[6]` is Sunday); 1 where the plan gives none.
    pub weekdays: [Decimal; 7],
    /// The weekday on which a new week begins inside a month (Gregorian only;
    /// retail weeks start the day after the year end's weekday).
    pub week_start: Weekday,
    /// Gregorian months from `start`, or a retail 4-4-5 year.
    pub kind: CalendarKind,
    /// Which weekdays are worked under [`Spread::Workdays`], Monday first.
    pub workweek: [bool; 7],
    /// Holidays by date: `true` for an off day, `false` for a make-up working
    /// day (a weekend day that is worked). Only [`Spread::Workdays`] reads them.
    pub holidays: BTreeMap<NaiveDate, bool>,
    /// Special days: a day's weight, replacing the computed one (`[time.days]`).
    pub days: BTreeMap<NaiveDate, Decimal>,
    /// Parts of a day (`[[time.slots]]`): name and relative share, in order.
    /// Empty when the plan has no slots; then days have no children.
    pub slots: Vec<(String, Decimal)>,
    /// The first and last day (inclusive) of the one period a plan covers
    /// (`[plan] period`), when it is not the whole year: every day outside
    /// weighs 0, a month partly inside weighs its days inside, and a month
    /// or quarter outside weighs 0, so the whole year's weight is inside.
    pub window: Option<(NaiveDate, NaiveDate)>,
}

impl CalendarSpec {
    /// The defaults of a plan that only says `year`: a calendar year from
    /// 1 January, even spread, no seasonality, every weekday weighing 1, weeks
    /// starting on Monday. `None` if `year` is outside chrono's date range.
    pub fn new(year: i32) -> Option<CalendarSpec> {
        Some(CalendarSpec {
            year,
            start: NaiveDate::from_ymd_opt(year, 1, 1)?,
            spread: Spread::Even,
            months: None,
            quarters: None,
            weekdays: [Decimal::ONE; 7],
            week_start: Weekday::Mon,
            kind: CalendarKind::Gregorian,
            workweek: [true, true, true, true, true, false, false],
            holidays: BTreeMap::new(),
            days: BTreeMap::new(),
            slots: Vec::new(),
            window: None,
        })
    }

    /// The checks the plan stage should already have made: `start` is the 1st
    /// of a month, `months` has 12 values and `quarters` 4. Returns every
    /// failure, in field order.
    pub fn validate(&self) -> Result<(), Vec<CalendarError>> {
        let mut errors = Vec::new();
        if self.kind == CalendarKind::Gregorian && self.start.day() != 1 {
            errors.push(CalendarError::StartNotFirstOfMonth { start: self.start });
        }
        for (what, values, expected) in [("months", &self.months, 12), ("quarters", &self.quarters, 4)] {
            if let Some(values) = values {
                if values.len() != expected {
                    errors.push(CalendarError::WrongLength { what, expected, found: values.len() });
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Whether the year starts on another day than 1 January, so that its year
    /// and quarter labels take the `FY` prefix (always, on a retail calendar).
    pub fn is_fiscal(&self) -> bool {
        matches!(self.kind, CalendarKind::Retail { .. }) || (self.start.month(), self.start.day()) != (1, 1)
    }

    /// Whether `date` is worked: a listed make-up working day, or a day of the
    /// workweek that is not an off day.
    pub fn is_workday(&self, date: NaiveDate) -> bool {
        match self.holidays.get(&date) {
            Some(&off) => !off,
            None => self.workweek[date.weekday().num_days_from_monday() as usize],
        }
    }

    /// The weight of one day, before any month or quarter weight applies: 0
    /// outside the `window`; a special day's weight if `days` lists it;
    /// else its weekday coefficient, or 0 under [`Spread::Workdays`] on a
    /// day that is not worked.
    pub fn day_weight(&self, date: NaiveDate) -> Decimal {
        if self.window.is_some_and(|(first, last)| date < first || date > last) {
            return Decimal::ZERO;
        }
        if let Some(weight) = self.days.get(&date) {
            return *weight;
        }
        if self.spread == Spread::Workdays && !self.is_workday(date) {
            Decimal::ZERO
        } else {
            self.weekdays[date.weekday().num_days_from_monday() as usize]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn new_gives_the_plan_defaults() {
        let spec = CalendarSpec::new(2026).unwrap();
        assert_eq!(spec.start, date(2026, 1, 1));
        assert_eq!(spec.spread, Spread::Even);
        assert_eq!(spec.weekdays, [Decimal::ONE; 7]);
        assert_eq!(spec.week_start, Weekday::Mon);
        assert!(!spec.is_fiscal());
        assert_eq!(spec.validate(), Ok(()));
    }

    #[test]
    fn fiscal_when_not_first_of_january() {
        let mut spec = CalendarSpec::new(2026).unwrap();
        spec.start = date(2026, 4, 1);
        assert!(spec.is_fiscal());
        spec.start = date(2025, 12, 1);
        assert!(spec.is_fiscal());
    }

    #[test]
    fn validate_reports_every_problem() {
        let mut spec = CalendarSpec::new(2026).unwrap();
        spec.start = date(2026, 4, 15);
        spec.months = Some(vec![Decimal::ONE; 11]);
        spec.quarters = Some(vec![Decimal::ONE; 5]);
        assert_eq!(
            spec.validate(),
            Err(vec![
                CalendarError::StartNotFirstOfMonth { start: date(2026, 4, 15) },
                CalendarError::WrongLength { what: "months", expected: 12, found: 11 },
                CalendarError::WrongLength { what: "quarters", expected: 4, found: 5 },
            ])
        );
    }

    #[test]
    fn validate_accepts_right_lengths() {
        let mut spec = CalendarSpec::new(2026).unwrap();
        spec.months = Some(vec![Decimal::ONE; 12]);
        spec.quarters = Some(vec![Decimal::ONE; 4]);
        assert_eq!(spec.validate(), Ok(()));
    }

    #[test]
    fn day_weight_uses_weekday_coefficients() {
        let mut spec = CalendarSpec::new(2026).unwrap();
        // Monday = 1, Tuesday = 2, ..., Sunday = 7, so each day's weight names its weekday.
        spec.weekdays = std::array::from_fn(|i| Decimal::from(i + 1));
        spec.spread = Spread::Days;
        // 2026-01-05 is a Monday, 2026-01-10 a Saturday, 2026-01-11 a Sunday.
        assert_eq!(spec.day_weight(date(2026, 1, 5)), Decimal::from(1));
        assert_eq!(spec.day_weight(date(2026, 1, 9)), Decimal::from(5));
        assert_eq!(spec.day_weight(date(2026, 1, 10)), Decimal::from(6));
        assert_eq!(spec.day_weight(date(2026, 1, 11)), Decimal::from(7));
        spec.spread = Spread::Workdays;
        assert_eq!(spec.day_weight(date(2026, 1, 9)), Decimal::from(5));
        assert_eq!(spec.day_weight(date(2026, 1, 10)), Decimal::ZERO);
        assert_eq!(spec.day_weight(date(2026, 1, 11)), Decimal::ZERO);
    }
}
