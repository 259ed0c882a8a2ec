use std::fmt;

/// A level of the time tree, from coarse to fine: `Year < Quarter < Month < Week < Day < Slot`.
///
/// Every period of one level lies inside exactly one period of the coarser level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The whole plan year (12 fiscal months).
    Year,
    /// Three consecutive fiscal months.
    Quarter,
    /// One calendar month, or a retail period (4 or 5 whole weeks) on a
    /// 4-4-5 / 4-5-4 / 5-4-4 calendar.
    Month,
    /// A run of days inside one month, cut at the plan's `week_start` weekday
    /// (a whole week on a retail calendar).
    Week,
    /// One calendar day.
    Day,
    /// A part of a day (shop hours, `[[time.slots]]`); only when the plan has slots.
    Slot,
}

impl Level {
    /// Every level, coarse to fine; `Level::ALL[l.index()] == l`.
    pub const ALL: [Level; 6] = [Level::Year, Level::Quarter, Level::Month, Level::Week, Level::Day, Level::Slot];

    /// The lower-case name used in plan files and on the command line: `"year"` .. `"day"`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Year => "year",
            Level::Quarter => "quarter",
            Level::Month => "month",
            Level::Week => "week",
            Level::Day => "day",
            Level::Slot => "slot",
        }
    }

    /// The level whose [`name`](Level::name) is exactly `s` (case-sensitive), if any.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.name() == s)
    }

    /// Position in [`Level::ALL`]: 0 for `Year` .. 5 for `Slot`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The next finer level, or `None` for `Slot`.
    pub fn finer(self) -> Option<Level> {
        Level::ALL.get(self.index() + 1).copied()
    }

    /// The next coarser level, or `None` for `Year`.
    pub fn coarser(self) -> Option<Level> {
        self.index().checked_sub(1).map(|i| Level::ALL[i])
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_coarse_to_fine() {
        assert!(Level::Year < Level::Quarter);
        assert!(Level::Quarter < Level::Month);
        assert!(Level::Month < Level::Week);
        assert!(Level::Week < Level::Day);
    }

    #[test]
    fn index_matches_all() {
        for (i, level) in Level::ALL.into_iter().enumerate() {
            assert_eq!(level.index(), i);
        }
        assert_eq!(Level::Year.index(), 0);
        assert_eq!(Level::Day.index(), 4);
    }

    #[test]
    fn names_round_trip() {
        let names = ["year", "quarter", "month", "week", "day"];
        for (level, name) in Level::ALL.into_iter().zip(names) {
            assert_eq!(level.name(), name);
            assert_eq!(level.to_string(), name);
            assert_eq!(Level::parse(name), Some(level));
        }
    }

    #[test]
    fn parse_rejects_unknown_names() {
        assert_eq!(Level::parse(""), None);
        assert_eq!(Level::parse("Month"), None);
        assert_eq!(Level::parse("months"), None);
        assert_eq!(Level::parse("hour"), None);
    }

    #[test]
    fn finer_and_coarser() {
        assert_eq!(Level::Year.finer(), Some(Level::Quarter));
        assert_eq!(Level::Week.finer(), Some(Level::Day));
        assert_eq!(Level::Day.finer(), Some(Level::Slot));
        assert_eq!(Level::Slot.finer(), None);
        assert_eq!(Level::Year.coarser(), None);
        assert_eq!(Level::Quarter.coarser(), Some(Level::Year));
        assert_eq!(Level::Day.coarser(), Some(Level::Week));
    }
}
