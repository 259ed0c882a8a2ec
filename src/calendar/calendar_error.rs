use std::fmt;

use chrono::NaiveDate;

/// Why a [`CalendarSpec`](super::CalendarSpec) cannot be turned into a calendar.
///
/// [`Calendar::build`](super::Calendar::build) returns all of them at once, in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// A quarter weighs more than 0 but none of its months does.
    QuarterWithoutMonths {
        /// The quarter's label, e.g. `2026-Q1`.
        quarter: String,
    },
    /// A month has a share of the target (it and its quarter weigh more than 0)
    /// but no day in it weighs more than 0.
    MonthWithoutDays {
        /// The month's label, e.g. `2026-02`.
        month: String,
        /// Its position in the plan year, 0..12 (0 = the month of `start`).
        fiscal_index: usize,
    },
    /// The year's weight (the sum of its quarters) is 0, so there is nothing to share.
    NothingToWeigh,
    /// A sum of weights, or a date, went beyond what `Decimal` or chrono can hold.
    Overflow,
    /// The plan year does not start on the 1st of a month.
    StartNotFirstOfMonth {
        /// The start the spec gave.
        start: NaiveDate,
    },
    /// `months` does not have 12 values, or `quarters` does not have 4.
    WrongLength {
        /// `"months"` or `"quarters"`.
        what: &'static str,
        /// How many values it needs.
        expected: usize,
        /// How many it has.
        found: usize,
    },
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::QuarterWithoutMonths { quarter } => {
                write!(f, "quarter {quarter} has a share of the target but all of its months weigh 0")
            }
            CalendarError::MonthWithoutDays { month, .. } => {
                write!(f, "month {month} has a share of the target but no day in it has a positive weight")
            }
            CalendarError::NothingToWeigh => write!(
                f,
                "the time weights of the whole year add up to 0, so there is nothing to share the target over"
            ),
            CalendarError::Overflow => write!(f, "the time weights or dates are too large to add up exactly"),
            CalendarError::StartNotFirstOfMonth { start } => {
                write!(f, "the plan starts on {start}, but it must start on the 1st of a month")
            }
            CalendarError::WrongLength { what, expected, found } => {
                write!(f, "{what} must have {expected} values, but {found} were given")
            }
        }
    }
}

impl std::error::Error for CalendarError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_period() {
        let month = CalendarError::MonthWithoutDays { month: "2026-02".to_string(), fiscal_index: 1 };
        assert_eq!(month.to_string(), "month 2026-02 has a share of the target but no day in it has a positive weight");
        let quarter = CalendarError::QuarterWithoutMonths { quarter: "FY2026-Q3".to_string() };
        assert_eq!(quarter.to_string(), "quarter FY2026-Q3 has a share of the target but all of its months weigh 0");
    }

    #[test]
    fn messages_for_bad_specs() {
        let start = CalendarError::StartNotFirstOfMonth { start: NaiveDate::from_ymd_opt(2026, 4, 15).unwrap() };
        assert_eq!(start.to_string(), "the plan starts on 2026-04-15, but it must start on the 1st of a month");
        let length = CalendarError::WrongLength { what: "months", expected: 12, found: 11 };
        assert_eq!(length.to_string(), "months must have 12 values, but 11 were given");
    }

    #[test]
    fn every_message_is_one_sentence() {
        let all = [
            CalendarError::QuarterWithoutMonths { quarter: "2026-Q1".to_string() },
            CalendarError::MonthWithoutDays { month: "2026-01".to_string(), fiscal_index: 0 },
            CalendarError::NothingToWeigh,
            CalendarError::Overflow,
            CalendarError::StartNotFirstOfMonth { start: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap() },
            CalendarError::WrongLength { what: "quarters", expected: 4, found: 3 },
        ];
        for error in all {
            let message = error.to_string();
            assert!(!message.is_empty());
            assert!(!message.contains('\n'), "{message}");
            assert!(!message.ends_with('.'), "{message}");
        }
    }
}
