//! Stage `plan`: the rounding unit of amounts, and conversion between
//! decimal amounts and whole rounding units.

use rust_decimal::Decimal;

/// The plan's rounding unit: a power of ten such as 0.01, 1, 100 or 1000.
/// Every figure salesplit prints is a whole number of these units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Precision {
    unit: Decimal,
}

impl Precision {
    /// A unit of one: whole numbers, as counts are rounded.
    pub const UNIT: Precision = Precision { unit: Decimal::ONE };

    /// The unit if it is a positive power of ten (`0.01`, `1`, `1000`), else `None`.
    pub fn new(unit: Decimal) -> Option<Precision> {
        if unit <= Decimal::ZERO {
            return None;
        }
        let n = unit.normalize();
        let digits = n.mantissa().to_string();
        let power_of_ten = digits.starts_with('1') && digits[1..].chars().all(|c| c == '0');
        power_of_ten.then_some(Precision { unit: n })
    }

    /// The unit itself, e.g. `0.01`.
    pub fn unit(self) -> Decimal {
        self.unit
    }

    /// Decimals shown for amounts: 2 for `0.01`, 0 for `1`, `100` or `1000`.
    pub fn decimals(self) -> u32 {
        self.unit.scale()
    }

    /// The amount in whole units, if it is a non-negative multiple of the unit.
    pub fn to_units(self, amount: Decimal) -> Option<Units> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return None;
        }
        let units = amount.checked_div(self.unit)?;
        if units.fract().is_zero() {
            u128::try_from(units.trunc()).ok().map(Units)
        } else {
            None
        }
    }

    /// The most units an amount of this precision can have: an amount is a
    /// `Decimal` with exactly [`Precision::decimals`] decimals, and its digits
    /// stop at 2^96 - 1 (79228162514264337593543950335), so at `0.01` the
    /// largest amount is 792281625142643375935439503.35. Sums that may grow
    /// beyond the plan's totals (over-assignment) are checked against this.
    pub fn max_units(self) -> Units {
        const MAX_MANTISSA: u128 = (1 << 96) - 1;
        Units(match self.decimals() {
            0 => MAX_MANTISSA / self.unit.mantissa().unsigned_abs(),
            _ => MAX_MANTISSA,
        })
    }

    /// The largest amount of this precision: [`Precision::max_units`] units.
    pub fn largest(self) -> Decimal {
        self.to_amount(self.max_units())
    }

    /// `units` of this precision as an amount with exactly [`Precision::decimals`]
    /// decimals. `units` must be at most [`Precision::max_units`]: they come
    /// from sharing an amount that fitted a Decimal, or were checked.
    ///
    /// # Panics
    ///
    /// If `units` is above [`Precision::max_units`].
    pub fn to_amount(self, Units(units): Units) -> Decimal {
        let scale = self.decimals();
        // For units of 1 or more (`100`), multiply out; the mantissa is then the amount.
        let factor = if scale == 0 { self.unit.mantissa().unsigned_abs() } else { 1 };
        let mantissa = units.checked_mul(factor).and_then(|m| i128::try_from(m).ok()).expect("amounts fit a Decimal");
        Decimal::from_i128_with_scale(mantissa, scale)
    }
}

impl Precision {
    /// An amount for people: at least this precision's decimals, and
    /// thousands separators (`1020` at 0.01 -> `1,020.00`).
    pub fn show(self, mut amount: Decimal) -> String {
        if amount.scale() < self.decimals() {
            amount.rescale(self.decimals());
        }
        thousands(amount)
    }
}

/// An amount with thousands separators, keeping its decimals: `1234567.80` -> `1,234,567.80`.
pub fn thousands(amount: Decimal) -> String {
    let text = amount.to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |d| ("-", d));
    let (whole, frac) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount counted in rounding units of its [`Precision`]: at `0.01`,
/// 1,234.56 is `Units(123456)`; at `100`, 5,000 is `Units(50)`. Amounts
/// cross between the plan and the engine as `Units` ([`Precision::to_units`],
/// [`Precision::to_amount`], [`Precision::max_units`],
/// `Plan::units_of`); inside the allocator and the engine's hot loops the
/// figures are bare `u128` of the same meaning (arrays of them, summed and
/// shared), wrapped again where they leave.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Units(pub u128);

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn p(s: &str) -> Option<Precision> {
        Precision::new(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn accepts_only_powers_of_ten() {
        for ok in ["0.01", "1", "100", "1000", "0.010", "1.0"] {
            assert!(p(ok).is_some(), "{ok}");
        }
        for bad in ["0.02", "0", "-1", "5", "250", "0.5"] {
            assert!(p(bad).is_none(), "{bad}");
        }
        assert_eq!(p("0.010").unwrap().decimals(), 2);
        assert_eq!(p("1000").unwrap().decimals(), 0);
    }

    #[test]
    fn groups_thousands_and_keeps_decimals() {
        let t = |s: &str| thousands(Decimal::from_str(s).unwrap());
        assert_eq!(t("1234567.80"), "1,234,567.80");
        assert_eq!(t("999"), "999");
        assert_eq!(t("1000"), "1,000");
        assert_eq!(t("0.00"), "0.00");
        assert_eq!(t("-1234.5"), "-1,234.5");
        assert_eq!(t("10000000.00"), "10,000,000.00");
        assert_eq!(p("0.01").unwrap().show(Decimal::from(1020)), "1,020.00");
    }

    #[test]
    fn converts_amounts_and_units() {
        let cents = p("0.01").unwrap();
        assert_eq!(cents.to_units(Decimal::from_str("833333.34").unwrap()), Some(Units(83_333_334)));
        assert_eq!(cents.to_units(Decimal::from_str("1.005").unwrap()), None);
        assert_eq!(cents.to_amount(Units(83_333_334)).to_string(), "833333.34");
        assert_eq!(cents.to_amount(Units(1_000_000_000)).to_string(), "10000000.00");
        let hundreds = p("100").unwrap();
        assert_eq!(hundreds.to_units(Decimal::from(12_300)), Some(Units(123)));
        assert_eq!(hundreds.to_units(Decimal::from(12_345)), None);
        assert_eq!(hundreds.to_amount(Units(123)).to_string(), "12300");
    }

    #[test]
    fn knows_the_largest_amount_it_can_write() {
        assert_eq!(p("0.01").unwrap().largest().to_string(), "792281625142643375935439503.35");
        assert_eq!(p("1").unwrap().largest().to_string(), "79228162514264337593543950335");
        assert_eq!(p("1000").unwrap().max_units(), Units(79_228_162_514_264_337_593_543_950));
        assert_eq!(p("1000").unwrap().largest().to_string(), "79228162514264337593543950000");
        assert_eq!(Precision::UNIT.max_units(), Units(u128::from(u64::MAX) << 32 | u128::from(u32::MAX)));
    }
}
