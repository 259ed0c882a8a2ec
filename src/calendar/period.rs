use std::ops::Range;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Level;

/// One node of the time tree: a year, quarter, month, week or day.
///
/// Invariants (upheld by [`Calendar::build`](super::Calendar::build)):
/// `start <= end`; the period lies inside its parent; its children tile it
/// without gaps or overlaps, in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// Which level of the tree this period belongs to.
    pub level: Level,
    /// Its output label: `2026`/`FY2026`, `2026-Q1`/`FY2026-Q1`, `2026-03`,
    /// `2026-03-W2` (week number inside its month, from 1), `2026-03-15`.
    pub label: String,
    /// First day, inclusive.
    pub start: NaiveDate,
    /// Last day, inclusive.
    pub end: NaiveDate,
    /// Its relative weight (unitless); its share of its parent is this over
    /// the sum of its siblings' weights.
    pub weight: Decimal,
    /// Index into the previous (coarser) level's periods; `None` for the year.
    pub parent: Option<usize>,
    /// Indices into the next (finer) level's periods; empty for days.
    pub children: Range<usize>,
}

impl Period {
    /// Whether `other`'s dates lie within this period's (inclusive on both ends).
    /// Every period contains itself.
    pub fn contains(&self, other: &Period) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The number of days from `start` to `end`, both included (always at least 1).
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(start: (i32, u32, u32), end: (i32, u32, u32)) -> Period {
        let date = |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Period {
            level: Level::Week,
            label: String::new(),
            start: date(start),
            end: date(end),
            weight: Decimal::ONE,
            parent: None,
            children: 0..0,
        }
    }

    #[test]
    fn contains_is_inclusive() {
        let march = period((2026, 3, 1), (2026, 3, 31));
        assert!(march.contains(&march));
        assert!(march.contains(&period((2026, 3, 1), (2026, 3, 1))));
        assert!(march.contains(&period((2026, 3, 31), (2026, 3, 31))));
        assert!(march.contains(&period((2026, 3, 9), (2026, 3, 15))));
    }

    #[test]
    fn contains_rejects_overlaps_and_outsiders() {
        let march = period((2026, 3, 1), (2026, 3, 31));
        assert!(!march.contains(&period((2026, 2, 28), (2026, 3, 1))));
        assert!(!march.contains(&period((2026, 3, 31), (2026, 4, 1))));
        assert!(!march.contains(&period((2026, 2, 1), (2026, 4, 30))));
        assert!(!march.contains(&period((2026, 4, 1), (2026, 4, 1))));
    }

    #[test]
    fn days_counts_both_ends() {
        assert_eq!(period((2026, 3, 1), (2026, 3, 1)).days(), 1);
        assert_eq!(period((2026, 3, 1), (2026, 3, 31)).days(), 31);
        assert_eq!(period((2028, 2, 1), (2028, 2, 29)).days(), 29);
    }
}
