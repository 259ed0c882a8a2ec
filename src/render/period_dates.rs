//! Stage `render`: ISO dates of periods, formatted once per period rather
//! than once per cell. Every leaf of a run repeats the same periods in the
//! same order, so the cache is a list walked with a cursor, and a period is
//! recognised by its address (periods live in the calendar for the whole
//! run): no hashing and no formatting on the hot path of CSV and JSON rows.

use crate::calendar::Period;

/// A cache of `(start, end)` as ISO text (`2026-03-01`), by period.
#[derive(Debug, Default)]
pub struct PeriodDates {
    /// (the period's address, start, end), in the order first seen.
    entries: Vec<(usize, String, String)>,
    /// Where the next period is expected.
    next: usize,
}

impl PeriodDates {
    /// The period's first and last day as ISO dates.
    pub fn of(&mut self, period: &Period) -> (&str, &str) {
        let key = std::ptr::from_ref(period) as usize;
        let at = if self.entries.get(self.next).is_some_and(|e| e.0 == key) {
            self.next
        } else if let Some(i) = self.entries.iter().position(|e| e.0 == key) {
            i
        } else {
            self.entries.push((key, period.start.to_string(), period.end.to_string()));
            self.entries.len() - 1
        };
        self.next = at + 1;
        let (_, start, end) = &self.entries[at];
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
    }
}
