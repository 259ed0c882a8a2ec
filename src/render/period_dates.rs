//! Stage `render`: ISO dates of periods, formatted once per period rather
//! than once per cell. Every leaf of a run repeats the same periods in the
//! same order, so the cache is a list walked with a cursor, and a period is
//! recognised by its first and last day — exactly what its text is made of,
//! so two periods with the same days share their text and a period moved or
//! copied still finds its own: no hashing and no formatting on the hot path
//! of CSV and JSON rows.

use chrono::NaiveDate;

use crate::calendar::Period;

/// A cache of `(start, end)` as ISO text (`2026-03-01`), by period.
#[derive(Clone, Debug, Default)]
pub struct PeriodDates {
    /// The days cached, in the order first seen; `text[i]` is their text.
    days: Vec<(NaiveDate, NaiveDate)>,
    /// (start, end) as ISO text, by position in `days`.
    text: Vec<(String, String)>,
    /// Where the next period is expected.
    next: usize,
}

impl PeriodDates {
    /// The period's first and last day as ISO dates.
    pub fn of(&mut self, period: &Period) -> (&str, &str) {
        let key = (period.start, period.end);
        let at = if self.days.get(self.next) == Some(&key) {
            self.next
        } else if let Some(i) = self.days.iter().position(|d| *d == key) {
            i
        } else {
            self.days.push(key);
            self.text.push((period.start.to_string(), period.end.to_string()));
            self.days.len() - 1
        };
        self.next = at + 1;
        let (start, end) = &self.text[at];
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Level;
    use chrono::NaiveDate;

    fn period(label: &str, start: (i32, u32, u32), end: (i32, u32, u32)) -> Period {
        Period {
            level: Level::Month,
            label: label.to_string(),
            start: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
            end: NaiveDate::from_ymd_opt(end.0, end.1, end.2).unwrap(),
            weight: rust_decimal::Decimal::ONE,
            parent: None,
            children: 0..0,
        }
    }

    #[test]
    fn repeats_and_jumps_give_each_periods_own_dates() {
        let periods = [period("a", (2026, 1, 1), (2026, 1, 31)), period("b", (2026, 2, 1), (2026, 2, 28))];
        let mut cache = PeriodDates::default();
        for p in [0, 1, 0, 1, 1, 0, 0] {
            let (start, end) = cache.of(&periods[p]);
            assert_eq!((start, end), (periods[p].start.to_string().as_str(), periods[p].end.to_string().as_str()));
        }
        // A copy elsewhere in memory is the same period: no new entry.
        let copy = period("a again", (2026, 1, 1), (2026, 1, 31));
        assert_eq!(cache.of(&copy), ("2026-01-01", "2026-01-31"));
        assert_eq!(cache.days.len(), 2);
    }
}
