use std::fmt;

/// How a month's weight is derived when the plan gives no `months` seasonality.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// Every month weighs 1, whatever its length (so every quarter weighs 3).
    Even,
    /// A month weighs the sum of its days' weekday coefficients.
    Days,
    /// Like `Days`, but Saturdays and Sundays weigh 0.
    Workdays,
}

impl Spread {
    /// Every spread, in declaration order.
    pub const ALL: [Spread; 3] = [Spread::Even, Spread::Days, Spread::Workdays];

    /// The lower-case name used in plan files: `"even"`, `"days"` or `"workdays"`.
    pub fn name(self) -> &'static str {
        match self {
            Spread::Even => "even",
            Spread::Days => "days",
            Spread::Workdays => "workdays",
        }
    }

    /// The spread whose [`name`](Spread::name) is exactly `s` (case-sensitive), if any.
    pub fn parse(s: &str) -> Option<Spread> {
        Spread::ALL.into_iter().find(|spread| spread.name() == s)
    }
}

impl fmt::Display for Spread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let names = ["even", "days", "workdays"];
        for (spread, name) in Spread::ALL.into_iter().zip(names) {
            assert_eq!(spread.name(), name);
            assert_eq!(spread.to_string(), name);
            assert_eq!(Spread::parse(name), Some(spread));
        }
    }

    #[test]
    fn parse_rejects_unknown_names() {
        assert_eq!(Spread::parse("Even"), None);
        assert_eq!(Spread::parse("weekdays"), None);
        assert_eq!(Spread::parse(""), None);
    }
}
