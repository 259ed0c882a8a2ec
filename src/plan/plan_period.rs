//! Stage `plan`: the one period a plan covers when it is not a whole year
//! (`[plan] period = "2026-03"`): a shop manager's "this month's target is
//! 85,000", cascaded to weeks, days and shop hours directly.
//!
//! Contract: the plan still lays out its calendar year, but every day
//! outside the period weighs nothing, so the whole target falls inside it
//! and every figure is the same as a tree rooted at the period would give
//! (a share of a parent whose other children weigh nothing is the whole
//! parent, exactly). Outputs show the period's cells only.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::calendar::Level;

/// A month (`2026-03`), a quarter (`2026-Q1`), an ISO week (`2026-W10`,
/// Monday to Sunday, inside one calendar year) or a day (`2026-03-15`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanPeriod {
    /// The label as a period of the plan's calendar names it (upper case
    /// `Q` and `W`).
    pub label: String,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day (inclusive), in the same calendar year as `start`.
    pub end: NaiveDate,
    /// What it is: `Month`, `Quarter`, `Week` (an ISO week) or `Day`.
    pub level: Level,
}

impl PlanPeriod {
    /// The period `text` names, or why it is not one (a sentence to follow
    /// "`period` `text` ...").
    pub fn parse(text: &str) -> Result<PlanPeriod, String> {
        let label = text.trim().to_ascii_uppercase();
        let shapes = "is not a month (2026-03), a quarter (2026-Q1), an ISO week (2026-W10) or a day (2026-03-15)";
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = label.split('-').collect();
        if parts.is_empty() || !digits(parts[0], 4) {
            return Err(shapes.to_string());
        }
        let year: i32 = parts[0].parse().map_err(|_| shapes.to_string())?;
        let month = |m: u32| -> Option<(NaiveDate, NaiveDate)> {
            let start = NaiveDate::from_ymd_opt(year, m, 1)?;
            Some((start, start.checked_add_months(chrono::Months::new(1))?.pred_opt()?))
        };
        let (start, end, level) = match parts.as_slice() {
            [_, q] if q.len() == 2 && q.starts_with('Q') => {
                let n: u32 = q[1..].parse().ok().filter(|n| (1..=4).contains(n)).ok_or_else(|| shapes.to_string())?;
                let (start, _) = month(3 * n - 2).ok_or_else(|| shapes.to_string())?;
                let (_, end) = month(3 * n).ok_or_else(|| shapes.to_string())?;
                (start, end, Level::Quarter)
            }
            [_, w] if w.len() == 3 && w.starts_with('W') && digits(&w[1..], 2) => {
                let n: u32 = w[1..].parse().map_err(|_| shapes.to_string())?;
                let start = NaiveDate::from_isoywd_opt(year, n, Weekday::Mon)
                    .ok_or_else(|| format!("is not a week: ISO year {year} has no week {n:02}"))?;
                let end = start + chrono::Days::new(6);
                if start.year() != end.year() {
                    return Err(format!(
                        "runs from {start} to {end}, across two calendar years; a plan covers days of one year"
                    ));
                }
                (start, end, Level::Week)
            }
            [_, m] if digits(m, 2) => {
                let (start, end) = m.parse().ok().and_then(month).ok_or_else(|| shapes.to_string())?;
                (start, end, Level::Month)
            }
            [_, m, d] if digits(m, 2) && digits(d, 2) => {
                let day = NaiveDate::parse_from_str(&label, "%Y-%m-%d").map_err(|_| "is not a date".to_string())?;
                (day, day, Level::Day)
            }
            _ => return Err(shapes.to_string()),
        };
        Ok(PlanPeriod { label, start, end, level })
    }

    /// The level a plan for this period shows when `[time] level` is not
    /// written: months of a quarter or a month, days of a week or a day.
    pub fn default_level(&self) -> Level {
        match self.level {
            Level::Year | Level::Quarter | Level::Month => Level::Month,
            Level::Week | Level::Day | Level::Slot => Level::Day,
        }
    }

    /// Whether `date` is one of the period's days.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

#[cfg(test)]
mod tests {
    use super::PlanPeriod;
    use chrono::NaiveDate;

    fn days(text: &str) -> (String, String) {
        let p = PlanPeriod::parse(text).unwrap();
        (p.start.to_string(), p.end.to_string())
    }

    #[test]
    fn months_quarters_weeks_and_days() {
        assert_eq!(days("2026-03"), ("2026-03-01".into(), "2026-03-31".into()));
        assert_eq!(days("2024-02"), ("2024-02-01".into(), "2024-02-29".into()));
        assert_eq!(days("2026-q4"), ("2026-10-01".into(), "2026-12-31".into()));
        assert_eq!(PlanPeriod::parse("2026-q4").unwrap().label, "2026-Q4");
        assert_eq!(days("2026-W10"), ("2026-03-02".into(), "2026-03-08".into()));
        assert_eq!(days("2026-11-11"), ("2026-11-11".into(), "2026-11-11".into()));
        let march = PlanPeriod::parse("2026-03").unwrap();
        assert!(march.contains(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()));
        assert!(!march.contains(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()));
    }

    #[test]
    fn what_is_not_one_period_of_one_year() {
        for bad in ["2026", "2026-13", "2026-Q5", "March", "2026-3", "2026-03-W2", "26-03"] {
            assert!(PlanPeriod::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PlanPeriod::parse("2026-02-30").unwrap_err(), "is not a date");
        // ISO 2026-W01 starts on Monday 29 December 2025.
        assert_eq!(
            PlanPeriod::parse("2026-W01").unwrap_err(),
            "runs from 2025-12-29 to 2026-01-04, across two calendar years; a plan covers days of one year"
        );
        assert_eq!(PlanPeriod::parse("2026-W54").unwrap_err(), "is not a week: ISO year 2026 has no week 54");
    }
}
