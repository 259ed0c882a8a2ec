//! Stage `allocate`: the exact value of a node of the cascade, as a reduced
//! fraction of rounding units. Small values live inline (no allocation), so
//! exactness costs little on ordinary plans and never overflows on big ones.

use std::cmp::Ordering;
use std::fmt;

use dashu_int::ops::{DivRem, Gcd};
use dashu_int::UBig;

/// A non-negative rational number of rounding units, always reduced
/// (`gcd(num, den) == 1`, `den > 0`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exact {
    num: UBig,
    den: UBig,
}

impl Exact {
    /// A whole number of units.
    pub fn from_units(units: u128) -> Exact {
        Exact { num: UBig::from(units), den: UBig::ONE }
    }

    /// `num / den`, reduced. `den` must not be zero.
    pub fn new(num: UBig, den: UBig) -> Exact {
        debug_assert!(!den.is_zero(), "an exact value needs a positive denominator");
        if num.is_zero() {
            return Exact { num, den: UBig::ONE };
        }
        if den.is_one() {
            return Exact { num, den };
        }
        if let (Ok(n), Ok(d)) = (u128::try_from(&num), u128::try_from(&den)) {
            return Exact::from_ratio(n, d);
        }
        let g = (&num).gcd(&den);
        if g.is_one() {
            Exact { num, den }
        } else {
            Exact { num: num / &g, den: den / g }
        }
    }

    /// The numerator, in units.
    pub fn num(&self) -> &UBig {
        &self.num
    }

    /// The denominator (1 for a whole number of units).
    pub fn den(&self) -> &UBig {
        &self.den
    }

    /// The sum of two exact values.
    #[must_use]
    pub fn plus(&self, other: &Exact) -> Exact {
        Exact::new(&self.num * &other.den + &other.num * &self.den, &self.den * &other.den)
    }

    /// `num / den` units from machine integers, reduced.
    ///
    /// # Panics
    ///
    /// If `den` is zero.
    pub fn from_ratio(num: u128, den: u128) -> Exact {
        assert!(den != 0, "an exact value needs a positive denominator");
        if num == 0 {
            return Exact::from_units(0);
        }
        match gcd(num, den) {
            1 => Exact { num: UBig::from(num), den: UBig::from(den) },
            g => Exact { num: UBig::from(num / g), den: UBig::from(den / g) },
        }
    }

    /// The product of two exact values (units times a unitless factor, or a
    /// factor times a factor).
    #[must_use]
    pub fn times(&self, other: &Exact) -> Exact {
        Exact::new(&self.num * &other.num, &self.den * &other.den)
    }

    /// The quotient `self / other`.
    ///
    /// # Panics
    ///
    /// If `other` is zero: callers divide by weights and totals they have
    /// already checked to be positive, so a zero here is a bug, not an input.
    #[must_use]
    pub fn over(&self, other: &Exact) -> Exact {
        assert!(!other.is_zero(), "division of an exact value by zero");
        Exact::new(&self.num * &other.den, &self.den * &other.num)
    }

    /// The difference `self - other`, or `None` when it would be negative
    /// (an `Exact` is never negative).
    pub fn minus(&self, other: &Exact) -> Option<Exact> {
        let (a, b) = (&self.num * &other.den, &other.num * &self.den);
        if a < b {
            None
        } else {
            Some(Exact::new(a - b, &self.den * &other.den))
        }
    }

    /// The whole units at or below the value (its floor).
    pub fn floor_units(&self) -> UBig {
        &self.num / &self.den
    }

    /// The whole units at or above the value (its ceiling).
    pub fn ceil_units(&self) -> UBig {
        let (whole, rem) = self.floor_rem();
        if rem.is_zero() {
            whole
        } else {
            whole + UBig::ONE
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// The whole units below or at the value, and the fractional part's numerator over [`Exact::den`].
    pub fn floor_rem(&self) -> (UBig, UBig) {
        (&self.num).div_rem(&self.den)
    }

    /// The value written as a decimal number of units with up to `digits`
    /// decimals, followed by `…` when it goes on (for explanations).
    pub fn to_decimal_string(&self, digits: usize) -> String {
        let (whole, mut rem) = self.floor_rem();
        let mut s = whole.to_string();
        if rem.is_zero() {
            return s;
        }
        s.push('.');
        for _ in 0..digits {
            if rem.is_zero() {
                return s;
            }
            let (d, r) = (rem * UBig::from(10u8)).div_rem(&self.den);
            s.push_str(&d.to_string());
            rem = r;
        }
        if !rem.is_zero() {
            s.push('…');
        }
        s
    }
}

/// The greatest common divisor of two positive machine integers: one
/// remainder to bring them to the same size, then binary GCD (shifts and
/// subtractions), in a machine word when they fit one.
fn gcd(a: u128, b: u128) -> u128 {
    debug_assert!(a > 0 && b > 0);
    let (a, b) = if a > b { (b, a) } else { (a, b) };
    if let (Ok(a), Ok(b)) = (u64::try_from(a), u64::try_from(b)) {
        // A machine word's remainder is one instruction; a `u128`'s a call.
        let b = b % a;
        return u128::from(if b == 0 { a } else { binary_gcd(a, b) });
    }
    let b = b % a;
    if b == 0 {
        return a;
    }
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => u128::from(binary_gcd(a, b)),
        _ => binary_gcd(a, b),
    }
}

/// Binary GCD of two positive integers of one machine width.
fn binary_gcd<T>(mut a: T, mut b: T) -> T
where
    T: Copy + Ord + std::ops::Shr<u32, Output = T> + std::ops::Shl<u32, Output = T> + std::ops::SubAssign,
    T: std::ops::BitOr<Output = T> + TrailingZeros,
{
    let shift = (a | b).zeros();
    a = a >> a.zeros();
    loop {
        b = b >> b.zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == T::ZERO {
            return a << shift;
        }
    }
}

/// What [`binary_gcd`] needs of a machine integer beyond its operators.
trait TrailingZeros {
    const ZERO: Self;
    fn zeros(self) -> u32;
}

impl TrailingZeros for u64 {
    const ZERO: u64 = 0;
    fn zeros(self) -> u32 {
        self.trailing_zeros()
    }
}

impl TrailingZeros for u128 {
    const ZERO: u128 = 0;
    fn zeros(self) -> u32 {
        self.trailing_zeros()
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Values compare exactly, by cross-multiplication. This agrees with the
/// derived `Eq`: every `Exact` is kept reduced, so equal values have equal
/// numerators and denominators.
impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        (&self.num * &other.den).cmp(&(&other.num * &self.den))
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den.is_one() {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduces_and_compares_exactly() {
        let third = Exact::new(UBig::from(2u8), UBig::from(6u8));
        assert_eq!(third.num(), &UBig::ONE);
        assert_eq!(third.den(), &UBig::from(3u8));
        let also = Exact::new(UBig::from(333_333_333_333_333_333_333_333_333u128), UBig::from(10u128.pow(27)));
        assert!(also < third, "28 digits of 1/3 are less than 1/3");
        assert_eq!(Exact::new(UBig::ZERO, UBig::from(7u8)), Exact::from_units(0));
    }

    #[test]
    fn arithmetic_stays_exact_and_reduced() {
        let third = Exact::from_ratio(1, 3);
        let half = Exact::from_ratio(2, 4);
        assert_eq!(half, Exact::new(UBig::ONE, UBig::from(2u8)));
        assert_eq!(third.times(&half), Exact::from_ratio(1, 6));
        assert_eq!(third.over(&half), Exact::from_ratio(2, 3));
        assert_eq!(half.minus(&third), Some(Exact::from_ratio(1, 6)));
        assert_eq!(third.minus(&half), None);
        assert_eq!(third.minus(&third), Some(Exact::from_units(0)));
        assert_eq!(Exact::from_ratio(6, 3).times(&third), Exact::from_ratio(2, 3));
        // Equal values are equal however they were reached.
        assert_eq!(third.plus(&third).plus(&third), Exact::from_units(1));
        assert_eq!(third.plus(&third).cmp(&Exact::from_ratio(4, 6)), Ordering::Equal);
    }

    #[test]
    fn machine_gcd_agrees_with_the_big_one() {
        let cases = [
            (1u128, 1u128),
            (12, 18),
            (7, 13),
            (1 << 100, 3 << 90),
            (u128::MAX, u128::MAX / 3),
            (97 * 89, 89),
            (6 << 70, 4 << 70),
            (1 << 64, 3),
        ];
        for (a, b) in cases {
            assert_eq!(UBig::from(gcd(a, b)), UBig::from(a).gcd(&UBig::from(b)), "gcd({a}, {b})");
        }
    }

    #[test]
    fn floors_and_ceilings() {
        assert_eq!(Exact::from_ratio(7, 2).floor_units(), UBig::from(3u8));
        assert_eq!(Exact::from_ratio(7, 2).ceil_units(), UBig::from(4u8));
        assert_eq!(Exact::from_units(5).floor_units(), UBig::from(5u8));
        assert_eq!(Exact::from_units(5).ceil_units(), UBig::from(5u8));
        assert_eq!(Exact::from_units(0).ceil_units(), UBig::ZERO);
    }

    #[test]
    #[should_panic(expected = "division of an exact value by zero")]
    fn dividing_by_zero_panics() {
        let _ = Exact::from_units(1).over(&Exact::from_units(0));
    }

    #[test]
    fn writes_decimals() {
        let x = Exact::new(UBig::from(250_000_000u32), UBig::from(3u8));
        assert_eq!(x.to_decimal_string(4), "83333333.3333…");
        assert_eq!(Exact::new(UBig::from(5u8), UBig::from(4u8)).to_decimal_string(4), "1.25");
        assert_eq!(Exact::from_units(42).to_decimal_string(4), "42");
    }
}
