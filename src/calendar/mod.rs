//! Stage `calendar` of plan -> calendar -> allocate -> engine -> render.
//!
//! Builds the periods of the plan year (year -> quarter -> month -> week ->
//! day) and their weights, bottom up, from a [`CalendarSpec`]. Pure: no I/O,
//! no clock, no floating point.

mod calendar_error;
mod calendar_kind;
mod calendar_spec;
mod level;
mod period;
mod period_label;
mod spread;

pub use calendar_error::CalendarError;
pub use calendar_kind::{CalendarKind, RetailPattern, RetailYearEnd};
pub use calendar_spec::CalendarSpec;
pub use level::Level;
pub use period::Period;
pub use period_label::well_formed;
pub use spread::Spread;

use std::collections::HashMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;

/// The time tree of one plan year, with every period's weight.
///
/// Invariants: each level's periods are in time order and tile the year
/// without gaps or overlaps; every period has exactly one parent one level up
/// (none for the year) and its `children` range selects exactly the periods
/// of the next level inside it; there are 1 year, 4 quarters, 12 months, and
/// one day per date, and as many slots per day as the plan names (none
/// without slots); the year's weight is not 0. ISO weeks are a separate view
/// over the days, outside the tree.
#[derive(Clone, Debug)]
pub struct Calendar {
    levels: [Vec<Period>; 6],
    iso_weeks: Vec<Period>,
    by_label: HashMap<String, (Level, usize)>,
    iso_by_label: HashMap<String, usize>,
    fiscal: bool,
    retail: bool,
}

impl Calendar {
    /// Builds the tree and weighs it. On failure returns every error found,
    /// in time order (spec errors first; an overflow stops the build).
    pub fn build(spec: &CalendarSpec) -> Result<Calendar, Vec<CalendarError>> {
        spec.validate()?;
        let mut errors = Vec::new();
        match grow(spec, &mut errors) {
            Ok(levels) if errors.is_empty() => Ok(Calendar::index(levels, spec)),
            Ok(_) => Err(errors),
            Err(fatal) => {
                errors.push(fatal);
                Err(errors)
            }
        }
    }

    fn index(levels: [Vec<Period>; 6], spec: &CalendarSpec) -> Calendar {
        let iso_weeks = iso_weeks(&levels[Level::Day.index()]);
        let iso_by_label = iso_weeks.iter().enumerate().map(|(i, w)| (w.label.clone(), i)).collect();
        let fiscal = spec.is_fiscal();
        let retail = matches!(spec.kind, CalendarKind::Retail { .. });
        let by_label = Level::ALL
            .into_iter()
            .flat_map(|level| {
                levels[level.index()].iter().enumerate().map(move |(i, period)| (period.label.clone(), (level, i)))
            })
            .collect();
        Calendar { levels, iso_weeks, by_label, iso_by_label, fiscal, retail }
    }

    /// All periods of `level`, in time order.
    pub fn level(&self, level: Level) -> &[Period] {
        &self.levels[level.index()]
    }

    /// The single year period (level `Year`, index 0).
    pub fn year(&self) -> &Period {
        &self.levels[Level::Year.index()][0]
    }

    /// The `index`-th period of `level`. Panics if `index` is out of range.
    pub fn period(&self, level: Level, index: usize) -> &Period {
        &self.levels[level.index()][index]
    }

    /// The periods of the next finer level inside the `index`-th period of
    /// `level`, in time order; empty for `Slot`, and for `Day` without slots.
    /// Panics if `index` is out of range.
    pub fn children(&self, level: Level, index: usize) -> &[Period] {
        let range = self.period(level, index).children.clone();
        match level.finer() {
            Some(finer) => &self.level(finer)[range],
            None => &[],
        }
    }

    /// The level and index of the period labelled exactly `label`
    /// (labels are unique across all levels).
    pub fn find(&self, label: &str) -> Option<(Level, usize)> {
        self.by_label.get(label).copied()
    }

    /// Whether the plan year starts on another day than 1 January (labels `FY…`).
    pub fn is_fiscal(&self) -> bool {
        self.fiscal
    }

    /// Whether this is a retail 4-4-5 / 4-5-4 / 5-4-4 year (months are periods).
    pub fn is_retail(&self) -> bool {
        self.retail
    }

    /// Whether days are split into slots (shop hours).
    pub fn has_slots(&self) -> bool {
        !self.levels[Level::Slot.index()].is_empty()
    }

    /// The levels this calendar has, coarse to fine (`Slot` only with slots).
    pub fn levels(&self) -> impl Iterator<Item = Level> + '_ {
        Level::ALL.into_iter().filter(|l| !self.levels[l.index()].is_empty())
    }

    /// What users call `level` on this calendar: `period` for a retail
    /// calendar's months, else [`Level::name`].
    pub fn level_name(&self, level: Level) -> &'static str {
        match level {
            Level::Month if self.retail => "period",
            other => other.name(),
        }
    }

    /// The level a user means by `name` (`period` is a retail calendar's
    /// month level; `month` is accepted there too), if this calendar has it.
    pub fn parse_level(&self, name: &str) -> Option<Level> {
        let level = match name {
            "period" if self.retail => Level::Month,
            other => Level::parse(other)?,
        };
        (level != Level::Slot || self.has_slots()).then_some(level)
    }

    /// The index of the period of `level` that contains `date`, if the plan
    /// year does.
    pub fn containing(&self, level: Level, date: NaiveDate) -> Option<usize> {
        let periods = self.level(level);
        let i = periods.partition_point(|p| p.end < date);
        periods.get(i).filter(|p| p.start <= date).map(|_| i)
    }

    /// ISO 8601 weeks (`2026-W01`, Monday to Sunday) over the plan's days,
    /// clipped to the plan year; each week's `children` index its days.
    pub fn iso_weeks(&self) -> &[Period] {
        &self.iso_weeks
    }

    /// The index of the ISO week labelled `label`, if the plan year has it.
    pub fn find_iso_week(&self, label: &str) -> Option<usize> {
        self.iso_by_label.get(label).copied()
    }

    /// First day of the plan year, inclusive.
    pub fn start(&self) -> NaiveDate {
        self.year().start
    }

    /// Last day of the plan year, inclusive.
    pub fn end(&self) -> NaiveDate {
        self.year().end
    }

    /// The index of `date` among the year's days (0 for [`Calendar::start`]).
    /// `date` must not be before the start.
    pub(crate) fn day_index(&self, date: NaiveDate) -> usize {
        usize::try_from((date - self.start()).num_days()).expect("a date of the plan year is not before its start")
    }
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, CalendarError> {
    a.checked_add(b).ok_or(CalendarError::Overflow)
}

/// The 12 month-level periods of the year (first day, last day, label),
/// the weekday weeks start on, and how a week is labelled from its year-wide
/// and in-month numbers.
struct Layout {
    months: Vec<(NaiveDate, NaiveDate, String)>,
    week_start: chrono::Weekday,
    retail: bool,
}

fn layout(spec: &CalendarSpec) -> Result<Layout, CalendarError> {
    match spec.kind {
        CalendarKind::Gregorian => {
            let months = (0..12u32)
                .map(|i| {
                    let first = spec.start.checked_add_months(Months::new(i));
                    let last = spec.start.checked_add_months(Months::new(i + 1)).and_then(|n| n.pred_opt());
                    let (first, last) = first.zip(last).ok_or(CalendarError::Overflow)?;
                    Ok((first, last, format!("{:04}-{:02}", first.year(), first.month())))
                })
                .collect::<Result<_, _>>()?;
            Ok(Layout { months, week_start: spec.week_start, retail: false })
        }
        CalendarKind::Retail { pattern, year_end } => {
            let (start, end) = year_end.bounds(spec.year).ok_or(CalendarError::Overflow)?;
            let weeks_in_year =
                u64::try_from((end - start).num_days() + 1).expect("a retail year ends after it starts") / 7;
            let mut months = Vec::with_capacity(12);
            let mut first = start;
            for i in 0..12 {
                let mut weeks = pattern.weeks()[i % 3];
                if i == 11 {
                    // The 53rd week of a long year joins the last period.
                    weeks += weeks_in_year - 52;
                }
                let last = first.checked_add_days(Days::new(weeks * 7 - 1)).ok_or(CalendarError::Overflow)?;
                months.push((first, last, format!("FY{}-P{:02}", spec.year, i + 1)));
                first = last.succ_opt().ok_or(CalendarError::Overflow)?;
            }
            Ok(Layout { months, week_start: start.weekday(), retail: true })
        }
    }
}

/// How much of a period lies inside the plan's window (`[plan] period`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coverage {
    /// All of it: no window, or the window holds it.
    Whole,
    /// Some of its days.
    Part,
    /// None of its days.
    Outside,
}

/// How much of the days `first..=last` the window of `spec` covers.
fn coverage(spec: &CalendarSpec, first: NaiveDate, last: NaiveDate) -> Coverage {
    match spec.window {
        None => Coverage::Whole,
        Some((a, b)) if a <= first && last <= b => Coverage::Whole,
        Some((a, b)) if last < a || b < first => Coverage::Outside,
        Some(_) => Coverage::Part,
    }
}

/// Builds all levels. Share errors go to `errors` and building goes on so
/// that all are reported; an `Err` is fatal (weights can no longer be summed).
fn grow(spec: &CalendarSpec, errors: &mut Vec<CalendarError>) -> Result<[Vec<Period>; 6], CalendarError> {
    let fy = if spec.is_fiscal() { "FY" } else { "" };
    let layout = layout(spec)?;
    let mut levels: [Vec<Period>; 6] = Default::default();
    let [_, quarters, months, weeks, days, slots] = &mut levels;
    let mut year_weight = Decimal::ZERO;

    for q in 0..4 {
        let first_month = months.len();
        // Whether each month has a day of positive weight, kept until the
        // quarter's weight is known.
        let mut has_days = Vec::with_capacity(3);
        let mut months_weight = Decimal::ZERO;

        for fiscal_index in 3 * q..3 * q + 3 {
            let (month_start, month_end, month_label) = layout.months[fiscal_index].clone();
            let month_index = months.len();
            let first_week = weeks.len();
            let mut days_weight = Decimal::ZERO;
            let mut any_positive_day = false;

            for date in month_start.iter_days().take_while(|d| *d <= month_end) {
                let new_week = date == month_start || date.weekday() == layout.week_start;
                if new_week {
                    let label = if layout.retail {
                        format!("FY{}-W{:02}", spec.year, weeks.len() + 1)
                    } else {
                        format!("{month_label}-W{}", weeks.len() - first_week + 1)
                    };
                    weeks.push(Period {
                        level: Level::Week,
                        label,
                        start: date,
                        end: date,
                        weight: Decimal::ZERO,
                        parent: Some(month_index),
                        children: days.len()..days.len(),
                    });
                }
                let week_index = weeks.len() - 1;
                let week = &mut weeks[week_index];
                let weight = spec.day_weight(date);
                week.end = date;
                week.weight = add(week.weight, weight)?;
                week.children.end += 1;
                days_weight = add(days_weight, weight)?;
                any_positive_day |= weight > Decimal::ZERO;
                let day_index = days.len();
                let first_slot = slots.len();
                for (name, share) in &spec.slots {
                    slots.push(Period {
                        level: Level::Slot,
                        label: format!("{date} {name}"),
                        start: date,
                        end: date,
                        weight: *share,
                        parent: Some(day_index),
                        children: 0..0,
                    });
                }
                days.push(Period {
                    level: Level::Day,
                    label: date.to_string(),
                    start: date,
                    end: date,
                    weight,
                    parent: Some(week_index),
                    children: first_slot..slots.len(),
                });
            }

            // A plan for one period: a month outside it weighs nothing, and
            // one partly inside (a week across two months) its days inside,
            // whatever the spread, so the period's days share by their weights.
            let weight = match (coverage(spec, month_start, month_end), &spec.months, spec.spread) {
                (Coverage::Outside, _, _) => Decimal::ZERO,
                (Coverage::Whole, Some(given), _) => given[fiscal_index],
                (Coverage::Whole, None, Spread::Even) => Decimal::ONE,
                (Coverage::Part, _, _) | (Coverage::Whole, None, Spread::Days | Spread::Workdays) => days_weight,
            };
            months_weight = add(months_weight, weight)?;
            has_days.push(any_positive_day);
            months.push(Period {
                level: Level::Month,
                label: month_label,
                start: month_start,
                end: month_end,
                weight,
                parent: Some(q),
                children: first_week..weeks.len(),
            });
        }

        let quarter = Period {
            level: Level::Quarter,
            label: format!("{fy}{}-Q{}", spec.year, q + 1),
            start: months[first_month].start,
            end: months[months.len() - 1].end,
            weight: match (&spec.quarters, coverage(spec, months[first_month].start, months[months.len() - 1].end)) {
                (Some(given), Coverage::Whole) => given[q],
                _ => months_weight,
            },
            parent: Some(0),
            children: first_month..months.len(),
        };
        if quarter.weight > Decimal::ZERO {
            let quarter_months = &months[quarter.children.clone()];
            if !quarter_months.iter().any(|m| m.weight > Decimal::ZERO) {
                errors.push(CalendarError::QuarterWithoutMonths { quarter: quarter.label.clone() });
            }
            for ((month, has_days), fiscal_index) in quarter_months.iter().zip(has_days).zip(3 * q..) {
                if month.weight > Decimal::ZERO && !has_days {
                    errors.push(CalendarError::MonthWithoutDays { month: month.label.clone(), fiscal_index });
                }
            }
        }
        year_weight = add(year_weight, quarter.weight)?;
        quarters.push(quarter);
    }

    if year_weight.is_zero() {
        errors.push(CalendarError::NothingToWeigh);
    }
    let year = Period {
        level: Level::Year,
        label: format!("{fy}{}", spec.year),
        start: quarters[0].start,
        end: quarters[3].end,
        weight: year_weight,
        parent: None,
        children: 0..4,
    };
    levels[Level::Year.index()].push(year);
    Ok(levels)
}

/// ISO 8601 weeks over the plan's days (`2026-W01`), clipped to the plan
/// year: each week's `children` are the indices of its days.
fn iso_weeks(days: &[Period]) -> Vec<Period> {
    let mut weeks: Vec<Period> = Vec::new();
    for (i, day) in days.iter().enumerate() {
        let iso = day.start.iso_week();
        let label = format!("{}-W{:02}", iso.year(), iso.week());
        match weeks.last_mut() {
            Some(week) if week.label == label => {
                week.end = day.end;
                week.children.end = i + 1;
                week.weight += day.weight;
            }
            _ => weeks.push(Period {
                level: Level::Week,
                label,
                start: day.start,
                end: day.end,
                weight: day.weight,
                parent: None,
                children: i..i + 1,
            }),
        }
    }
    weeks
}

#[cfg(test)]
mod tests;
