//! The brief's one rounding rule, as the property tests' references apply it
//! (written once, from the brief alone; it never calls the library): each
//! child gets the floor of its exact value, and the leftover units (the
//! parent's figure less the children's floors) go one each to the children
//! with the largest fractional parts, ties to the one written first (or the
//! earlier date). A child whose exact value is whole never gets one.
//!
//! `properties/reference.rs` (org and time cascades, holds), the models'
//! `model_properties/exact.rs` and `replan_properties.rs` all round with
//! [`round`].

use std::cmp::Ordering;

use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::{Signed, Zero};

/// An exact value in rounding units, as the rule sees it.
pub(crate) trait ExactValue {
    /// How fractional parts compare (the larger gets a leftover unit first).
    type Fraction: Ord;
    /// The largest whole number of units not above the value.
    fn floor_units(&self) -> BigInt;
    /// The fractional part, `None` when the value is whole.
    fn fraction(&self) -> Option<Self::Fraction>;
}

/// Why a parent's figure cannot be shared among its children by the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Unshareable {
    /// The parent is below the sum of the children's floors (given).
    BelowFloors(BigInt),
    /// More leftover units than children with a fractional part: the parent
    /// is above the sum of their ceilings.
    AboveCeilings,
}

/// The rule: `parent` units shared among children of exact values `exacts`.
pub(crate) fn round<E: ExactValue>(parent: i128, exacts: &[E]) -> Result<Vec<i128>, Unshareable> {
    let units = round_big(&BigInt::from(parent), exacts)?;
    Ok(units.into_iter().map(|u| i128::try_from(u).expect("below the parent")).collect())
}

/// [`round`] for figures of any size.
pub(crate) fn round_big<E: ExactValue>(parent: &BigInt, exacts: &[E]) -> Result<Vec<BigInt>, Unshareable> {
    let mut out: Vec<BigInt> = exacts.iter().map(E::floor_units).collect();
    let floors: BigInt = out.iter().sum();
    let leftover = parent - &floors;
    if leftover.is_negative() {
        return Err(Unshareable::BelowFloors(floors));
    }
    let fractions: Vec<Option<E::Fraction>> = exacts.iter().map(E::fraction).collect();
    let mut order: Vec<usize> = (0..exacts.len()).filter(|&i| fractions[i].is_some()).collect();
    let leftover = match usize::try_from(&leftover) {
        Ok(n) if n <= order.len() => n,
        _ => return Err(Unshareable::AboveCeilings),
    };
    order.sort_by(|&a, &b| fractions[b].cmp(&fractions[a]).then(a.cmp(&b)));
    for &i in order.iter().take(leftover) {
        out[i] += 1;
    }
    Ok(out)
}

impl ExactValue for BigRational {
    type Fraction = BigRational;

    fn floor_units(&self) -> BigInt {
        self.floor().to_integer()
    }

    fn fraction(&self) -> Option<BigRational> {
        let f = self - self.floor();
        (!f.is_zero()).then_some(f)
    }
}

/// A non-negative fraction `num / den`, ordered by value (not reduced).
#[derive(Clone, Debug)]
pub(crate) struct Ratio {
    pub num: BigUint,
    pub den: BigUint,
}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        if self.den == other.den {
            self.num.cmp(&other.num)
        } else {
            (&self.num * &other.den).cmp(&(&other.num * &self.den))
        }
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Ratio) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ratio {}
