//! Stage `allocate`: how one child claims part of its parent.

use dashu_int::ops::Gcd;
use dashu_int::UBig;
use rust_decimal::Decimal;

use super::Exact;

/// A child's claim on its parent's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Share {
    /// A relative weight: the child gets `weight / sum of weights` of what is
    /// left after the fixed amounts. Weights of one sibling group must be
    /// scaled to integers with one common factor (see [`integer_weights`]).
    Weight(UBig),
    /// A fixed number of rounding units, taken off the top.
    Fixed(u128),
}

/// Scales non-negative decimal weights by one common power of ten so that all
/// become integers with the same ratios (`[1.2, 1, 0.25]` -> `[120, 100, 25]`).
pub fn integer_weights(weights: &[Decimal]) -> Vec<UBig> {
    let scale = weights.iter().map(rust_decimal::Decimal::scale).max().unwrap_or(0);
    weights
        .iter()
        .map(|w| {
            debug_assert!(!w.is_sign_negative() || w.is_zero(), "weights are validated non-negative");
            let mantissa = UBig::from(w.mantissa().unsigned_abs());
            mantissa * UBig::from(10u8).pow((scale - w.scale()) as usize)
        })
        .collect()
}

/// Integer weights with the same ratios as the given exact values: each
/// value times the lcm of all denominators, then all divided by their common
/// gcd, so the integers are as small as those ratios allow (`[1/2, 1/3, 0]`
/// -> `[3, 2, 0]`, `[4, 6]` -> `[2, 3]`). All zeros stay all zeros.
pub fn exact_weights(values: &[Exact]) -> Vec<UBig> {
    // The lcm rather than the product keeps the numbers small when
    // denominators repeat, as they do for siblings cut from one parent.
    let lcm = values.iter().fold(UBig::ONE, |lcm, v| {
        let g = (&lcm).gcd(v.den());
        lcm / g * v.den()
    });
    let mut scaled: Vec<UBig> = values.iter().map(|v| v.num() * (&lcm / v.den())).collect();
    let common = scaled.iter().fold(UBig::ZERO, |g, x| if g.is_zero() { x.clone() } else { (&g).gcd(x) });
    if !common.is_zero() && !common.is_one() {
        for x in &mut scaled {
            *x /= &common;
        }
    }
    scaled
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn scales_to_a_common_factor() {
        let ws: Vec<Decimal> = ["1.2", "1", "0.25", "0"].iter().map(|s| Decimal::from_str(s).unwrap()).collect();
        let got: Vec<u32> = integer_weights(&ws).iter().map(|u| u32::try_from(u).unwrap()).collect();
        assert_eq!(got, vec![120, 100, 25, 0]);
    }

    fn ex(num: u128, den: u128) -> Exact {
        Exact::from_ratio(num, den)
    }

    fn small(ws: &[UBig]) -> Vec<u32> {
        ws.iter().map(|u| u32::try_from(u).unwrap()).collect()
    }

    #[test]
    fn exact_weights_keep_ratios_in_smallest_integers() {
        assert_eq!(small(&exact_weights(&[ex(1, 2), ex(1, 3), ex(0, 1)])), vec![3, 2, 0]);
        assert_eq!(small(&exact_weights(&[ex(4, 1), ex(6, 1)])), vec![2, 3]);
        assert_eq!(small(&exact_weights(&[ex(5, 6), ex(5, 4), ex(5, 12)])), vec![2, 3, 1]);
        assert_eq!(small(&exact_weights(&[ex(7, 3)])), vec![1]);
        assert_eq!(small(&exact_weights(&[ex(0, 1), ex(0, 1)])), vec![0, 0]);
        assert!(exact_weights(&[]).is_empty());
    }

    #[test]
    fn exact_weights_survive_large_denominators() {
        let big = UBig::from(10u8).pow(40);
        let third = Exact::new(&big / UBig::from(3u8), big.clone());
        let twice = third.plus(&third);
        let got = exact_weights(&[third.clone(), twice, Exact::from_units(0)]);
        assert_eq!(small(&got), vec![1, 2, 0]);
    }
}
