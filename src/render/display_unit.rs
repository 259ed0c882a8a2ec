//! Stage `render`: the unit a terminal table shows money in (`--unit 万`).
//! Display only: CSV, JSON and xlsx always carry exact figures. A pivot's
//! figures in the unit are worked out by the engine
//! ([`crate::engine::Crosstab::show_in`]: rounded so that the table adds up
//! as shown); [`DisplayUnit::scale`] serves the listings of `track`.

use rust_decimal::Decimal;

/// A display unit: its name and how many currency units it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayUnit {
    /// As written and shown in titles (`万`, `k`).
    pub name: String,
    /// Currency units per display unit (10,000 for 万).
    pub factor: Decimal,
}

impl DisplayUnit {
    /// Decimals a figure in a display unit is shown with (250.00 万).
    pub const DECIMALS: u32 = 2;

    /// The units salesplit knows, as written.
    pub const NAMES: [&'static str; 6] = ["万", "千", "百万", "亿", "k", "M"];

    /// The unit named `text`, if it is one of [`DisplayUnit::NAMES`].
    pub fn parse(text: &str) -> Option<DisplayUnit> {
        let power = match text.trim() {
            "千" | "k" => 3,
            "万" => 4,
            "百万" | "M" => 6,
            "亿" => 8,
            _ => return None,
        };
        Some(DisplayUnit { name: text.trim().to_string(), factor: Decimal::from(10u64.pow(power)) })
    }

    /// An amount in this unit, with two decimals for reading (2,500,000.00
    /// in 万 is 250.00): rounded half away from zero, each figure on its own
    /// (a listing's lines; a pivot rounds all its figures together).
    pub fn scale(&self, amount: Decimal) -> Decimal {
        let mut shown = (amount / self.factor)
            .round_dp_with_strategy(Self::DECIMALS, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        // Always two decimals, zero included (`0.00`, not `0`), so columns line up.
        shown.rescale(Self::DECIMALS);
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_to_two_decimals() {
        let wan = DisplayUnit::parse("万").unwrap();
        assert_eq!(wan.scale("2500000.00".parse().unwrap()).to_string(), "250.00");
        assert_eq!(wan.scale("833333.34".parse().unwrap()).to_string(), "83.33");
        assert_eq!(wan.scale("0.00".parse().unwrap()).to_string(), "0.00");
        assert_eq!(wan.scale("150000".parse().unwrap()).to_string(), "15.00");
        assert_eq!(DisplayUnit::parse("亿").unwrap().factor, Decimal::from(100_000_000u64));
        assert!(DisplayUnit::parse("lakh").is_none());
    }
}
