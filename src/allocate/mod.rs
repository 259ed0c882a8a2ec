//! Stage `allocate` (plan -> calendar -> **allocate** -> engine -> render):
//! apportionment. Given a parent's rounded value and exact value, and its
//! children's shares, it returns each child's rounded value and exact value.
//!
//! Contract (the brief's one rounding algorithm): each child gets the floor
//! of its exact value, in whole rounding units; the units left over go one
//! each to the children with the largest fractional parts, and equal
//! fractions go to the child listed first. Fractions are compared exactly, as
//! integers over one common denominator. So, as long as the parent's rounded
//! value is the floor or ceiling of its exact value, every child's is too,
//! the children add up to the parent exactly, a zero share gets zero and a
//! larger weight never gets less than a smaller one.

mod apportioner;
mod capped;
mod column_fit;
mod controlled;
mod exact;
mod max_flow;
mod share;
mod table_rounding;

pub use apportioner::Apportioner;
pub use capped::{capped, Bounds, CapError};
pub use column_fit::{fit_columns, ColumnMiss, FitRow, Fractions};
pub use controlled::{
    controlled_round, controlled_round_nested, controlled_round_tree, NestedRounding, NestedRow, TableRow, TreeRow,
};
pub use exact::Exact;
pub use share::{exact_weights, integer_weights, Share};
pub use table_rounding::{round_table, RoundedTable};

/// One child's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Rounded value, in rounding units.
    pub units: u128,
    /// Exact value, in rounding units; `units` is its floor or its ceiling.
    pub exact: Exact,
}

/// Why a parent cannot be shared among its children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocError {
    /// The fixed amounts add up to more than the parent's exact value.
    FixedOverParent {
        /// Sum of the fixed amounts, in units.
        fixed: u128,
        /// The parent's exact value, in units.
        parent: Exact,
    },
    /// Something is left after the fixed amounts, but every weight is zero.
    NothingToWeigh {
        /// What is left to share, in units.
        rest: Exact,
    },
    /// A value does not fit in 128-bit units (only for absurd plans).
    Overflow,
}

/// Shares a parent among children, by the brief's rounding rule.
///
/// `parent_units` must be the floor or the ceiling of `parent`. On success
/// `out` holds one [`Part`] per share, in order, and their units add up to
/// `parent_units`. `out` is cleared first, so one buffer can serve a whole run.
/// For many calls, keep an [`Apportioner`] instead: it reuses its buffers.
pub fn apportion(parent_units: u128, parent: &Exact, shares: &[Share], out: &mut Vec<Part>) -> Result<(), AllocError> {
    Apportioner::default().parts(parent_units, parent, shares, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dashu_int::UBig;

    fn w(x: u64) -> Share {
        Share::Weight(UBig::from(x))
    }

    fn units(parent: u128, shares: &[Share]) -> Vec<u128> {
        let mut out = Vec::new();
        apportion(parent, &Exact::from_units(parent), shares, &mut out).unwrap();
        out.iter().map(|p| p.units).collect()
    }

    #[test]
    fn thirds_go_to_the_first_written_on_ties() {
        // 2,500,000.00 a quarter over three equal months, in cents.
        assert_eq!(units(250_000_000, &[w(1), w(1), w(1)]), vec![83_333_334, 83_333_333, 83_333_333]);
        assert_eq!(units(2, &[w(1), w(1), w(1)]), vec![1, 1, 0]);
    }

    #[test]
    fn largest_fraction_wins_over_order() {
        // 10 over weights 1, 2: exact 3.33 and 6.67 -> 3 and 7.
        assert_eq!(units(10, &[w(1), w(2)]), vec![3, 7]);
    }

    #[test]
    fn zero_weight_gets_zero_and_fixed_comes_off_the_top() {
        assert_eq!(units(10, &[w(0), w(1), w(1)]), vec![0, 5, 5]);
        assert_eq!(units(100, &[Share::Fixed(40), w(1), w(2)]), vec![40, 20, 40]);
        assert_eq!(units(100, &[Share::Fixed(100), w(0)]), vec![100, 0]);
    }

    #[test]
    fn children_of_a_fractional_parent_stay_within_floor_and_ceiling() {
        // Parent exact 10/3 rounded up to 4; children at 1/2 each: exact 5/3.
        let parent = Exact::new(UBig::from(10u8), UBig::from(3u8));
        let mut out = Vec::new();
        apportion(4, &parent, &[w(1), w(1)], &mut out).unwrap();
        assert_eq!(out.iter().map(|p| p.units).collect::<Vec<_>>(), vec![2, 2]);
        assert_eq!(out[0].exact, Exact::new(UBig::from(5u8), UBig::from(3u8)));
        apportion(3, &parent, &[w(1), w(1)], &mut out).unwrap();
        assert_eq!(out.iter().map(|p| p.units).collect::<Vec<_>>(), vec![2, 1]);
    }

    #[test]
    fn units_alone_match_the_parts() {
        let parent = Exact::new(UBig::from(1000u32), UBig::from(7u8));
        let shares = [w(3), Share::Fixed(20), w(0), w(5), w(5)];
        let mut parts = Vec::new();
        let mut units = Vec::new();
        let mut a = Apportioner::default();
        a.parts(143, &parent, &shares, &mut parts).unwrap();
        a.units(143, &parent, &shares, &mut units).unwrap();
        assert_eq!(parts.iter().map(|p| p.units).collect::<Vec<_>>(), units);
        assert_eq!(units.iter().sum::<u128>(), 143);
    }

    #[test]
    fn reports_what_cannot_be_shared() {
        let mut out = Vec::new();
        let err = apportion(10, &Exact::from_units(10), &[Share::Fixed(11), w(1)], &mut out).unwrap_err();
        assert_eq!(err, AllocError::FixedOverParent { fixed: 11, parent: Exact::from_units(10) });
        let err = apportion(10, &Exact::from_units(10), &[Share::Fixed(4), w(0)], &mut out).unwrap_err();
        assert_eq!(err, AllocError::NothingToWeigh { rest: Exact::from_units(6) });
        assert!(apportion(0, &Exact::from_units(0), &[w(0), w(0)], &mut out).is_ok());
    }
}
