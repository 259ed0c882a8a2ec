//! Stage `calendar`: which kind of year the plan follows — calendar months
//! from a start date, or a retail 4-4-5 / 4-5-4 / 5-4-4 year of whole weeks.

use chrono::{Datelike, Days, NaiveDate};

/// The shape of the plan year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarKind {
    /// Twelve calendar months from the spec's `start`; weeks cut inside months.
    Gregorian,
    /// A retail year of 52 or 53 whole weeks, in 12 periods of 4 or 5 weeks.
    Retail {
        /// Weeks per period inside each quarter.
        pattern: RetailPattern,
        /// Where the year ends.
        year_end: RetailYearEnd,
    },
}

/// Weeks per period inside each 13-week quarter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetailPattern {
    /// 4, 4, 5 weeks.
    P445,
    /// 4, 5, 4 weeks.
    P454,
    /// 5, 4, 4 weeks.
    P544,
}

impl RetailPattern {
    /// The pattern named `"4-4-5"`, `"4-5-4"` or `"5-4-4"`.
    pub fn parse(s: &str) -> Option<RetailPattern> {
        match s {
            "4-4-5" => Some(RetailPattern::P445),
            "4-5-4" => Some(RetailPattern::P454),
            "5-4-4" => Some(RetailPattern::P544),
            _ => None,
        }
    }

    /// Weeks in each of a quarter's three periods.
    pub fn weeks(self) -> [u64; 3] {
        match self {
            RetailPattern::P445 => [4, 4, 5],
            RetailPattern::P454 => [4, 5, 4],
            RetailPattern::P544 => [5, 4, 4],
        }
    }
}

/// The rule that fixes the last day of a retail year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetailYearEnd {
    /// The Saturday nearest 31 January (the US retail convention, NRF).
    NearestSaturdayJan31,
    /// The last Saturday of January.
    LastSaturdayJan,
}

impl RetailYearEnd {
    /// The rule named `"nearest-sat-jan31"` or `"last-sat-jan"`.
    pub fn parse(s: &str) -> Option<RetailYearEnd> {
        match s {
            "nearest-sat-jan31" => Some(RetailYearEnd::NearestSaturdayJan31),
            "last-sat-jan" => Some(RetailYearEnd::LastSaturdayJan),
            _ => None,
        }
    }

    /// The last day of the retail year that ends in January of `year`.
    pub fn end_in(self, year: i32) -> Option<NaiveDate> {
        let jan31 = NaiveDate::from_ymd_opt(year, 1, 31)?;
        let back = (jan31.weekday().num_days_from_sunday() + 1) % 7; // days since the last Saturday
        let last_saturday = jan31.checked_sub_days(Days::new(u64::from(back)))?;
        match self {
            RetailYearEnd::LastSaturdayJan => Some(last_saturday),
            RetailYearEnd::NearestSaturdayJan31 if back <= 3 => Some(last_saturday),
            RetailYearEnd::NearestSaturdayJan31 => last_saturday.checked_add_days(Days::new(7)),
        }
    }

    /// First and last day of fiscal year `year` (FY2026 starts in 2026 and
    /// ends in January 2027 or early February).
    pub fn bounds(self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let start = self.end_in(year)?.succ_opt()?;
        let end = self.end_in(year + 1)?;
        Some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn us_retail_years_end_on_the_saturday_nearest_january_31() {
        let rule = RetailYearEnd::NearestSaturdayJan31;
        // Jan 31, 2024 is a Wednesday: Saturday Feb 3 is 3 days on, Jan 27 is 4 back.
        assert_eq!(rule.end_in(2024), Some(date(2024, 2, 3)));
        // Jan 31, 2023 is a Tuesday: Saturday Jan 28 is 3 days back.
        assert_eq!(rule.end_in(2023), Some(date(2023, 1, 28)));
        // FY2023 runs Jan 29, 2023 to Feb 3, 2024: 371 days, 53 weeks.
        assert_eq!(rule.bounds(2023), Some((date(2023, 1, 29), date(2024, 2, 3))));
        assert_eq!(rule.bounds(2024), Some((date(2024, 2, 4), date(2025, 2, 1))));
        assert_eq!(rule.bounds(2025), Some((date(2025, 2, 2), date(2026, 1, 31))));
        assert_eq!(rule.bounds(2026), Some((date(2026, 2, 1), date(2027, 1, 30))));
    }

    #[test]
    fn last_saturday_of_january() {
        let rule = RetailYearEnd::LastSaturdayJan;
        assert_eq!(rule.end_in(2024), Some(date(2024, 1, 27)));
        assert_eq!(rule.end_in(2026), Some(date(2026, 1, 31)));
        assert_eq!(rule.bounds(2026), Some((date(2026, 2, 1), date(2027, 1, 30))));
    }
}
