//! Stage `allocate`: how one child claims part of its parent.

use dashu_int::UBig;
use rust_decimal::Decimal;

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
    let scale = weights.iter().map(|w| w.scale()).max().unwrap_or(0);
    weights
        .iter()
        .map(|w| {
            debug_assert!(!w.is_sign_negative() || w.is_zero(), "weights are validated non-negative");
            let mantissa = UBig::from(w.mantissa().unsigned_abs());
            mantissa * UBig::from(10u8).pow((scale - w.scale()) as usize)
        })
        .collect()
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
}
