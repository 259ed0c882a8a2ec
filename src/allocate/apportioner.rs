//! Stage `allocate`: the rounding rule itself, with buffers kept between
//! calls so that a run of millions of cells allocates little.

use dashu_int::ops::DivRem;
use dashu_int::UBig;

use super::{AllocError, Exact, FitRow, Part, Share, TableRow};

/// Shares parents among children by the brief's rounding rule: floors of
/// the exact values, then one leftover unit each to the largest fractional
/// parts, ties to the child listed first. Holds scratch buffers only; every
/// call is independent of the ones before.
#[derive(Debug, Default)]
pub struct Apportioner {
    units: Vec<u128>,
    floors: Vec<u128>,
    nums: Vec<UBig>,
    rems: Vec<UBig>,
    order: Vec<usize>,
}

impl Apportioner {
    /// The children's rounded and exact values, in `out` (cleared first).
    /// `parent_units` must be the floor or the ceiling of `parent`.
    pub fn parts(
        &mut self,
        parent_units: u128,
        parent: &Exact,
        shares: &[Share],
        out: &mut Vec<Part>,
    ) -> Result<(), AllocError> {
        let den = self.round(parent_units, parent, shares)?;
        out.clear();
        out.extend(
            self.units
                .iter()
                .zip(self.nums.drain(..))
                .map(|(&units, num)| Part { units, exact: Exact::new(num, den.clone()) }),
        );
        Ok(())
    }

    /// The children's rounded values only, in `out` (cleared first): for the
    /// last level of a cascade, where exact values are not needed further.
    pub fn units(
        &mut self,
        parent_units: u128,
        parent: &Exact,
        shares: &[Share],
        out: &mut Vec<u128>,
    ) -> Result<(), AllocError> {
        self.round(parent_units, parent, shares)?;
        out.clear();
        out.extend_from_slice(&self.units);
        Ok(())
    }

    /// As [`Apportioner::parts`], and also the children as a row of a table
    /// for [`controlled_round`](super::controlled_round): each child's floor
    /// and the rank of its fractional part (largest first, ties to the
    /// earlier child; `None` for an exact child).
    ///
    /// # Panics
    ///
    /// Never on a valid call: a child's floor fits `u128` when its parent's units do.
    pub fn table_row(
        &mut self,
        parent_units: u128,
        parent: &Exact,
        shares: &[Share],
        out: &mut Vec<Part>,
    ) -> Result<TableRow, AllocError> {
        self.parts(parent_units, parent, shares, out)?;
        let rems = &self.rems;
        let mut order: Vec<usize> = (0..rems.len()).filter(|&i| !rems[i].is_zero()).collect();
        order.sort_by(|&a, &b| rems[b].cmp(&rems[a]));
        let mut cells: Vec<(u128, Option<usize>)> = out
            .iter()
            .map(|p| (u128::try_from(&p.exact.floor_rem().0).expect("a child fits when its parent does"), None))
            .collect();
        for (rank, &i) in order.iter().enumerate() {
            cells[i].1 = Some(rank);
        }
        Ok(TableRow { total: parent_units, cells })
    }

    /// The children as a row for [`fit_columns`](super::fit_columns): their
    /// own rounding, floors and fractional parts, in `row` (its buffers
    /// reused), and, when `exact` is given, their exact values there
    /// (cleared first). `parent_units` must be the floor or the ceiling of
    /// `parent`.
    pub fn fit_row(
        &mut self,
        parent_units: u128,
        parent: &Exact,
        shares: &[Share],
        row: &mut FitRow,
        exact: Option<&mut Vec<Exact>>,
    ) -> Result<(), AllocError> {
        let den = self.round(parent_units, parent, shares)?;
        row.units.clear();
        row.units.extend_from_slice(&self.units);
        row.floors.clear();
        row.floors.extend_from_slice(&self.floors);
        // A swap keeps both buffers' allocations: the next call clears ours.
        std::mem::swap(&mut row.rems, &mut self.rems);
        if let Some(exact) = exact {
            exact.clear();
            exact.extend(self.nums.drain(..).map(|num| Exact::new(num, den.clone())));
        }
        row.den = den;
        Ok(())
    }

    /// Fills `units` (rounded) and `nums` (exact numerators over the
    /// returned common denominator), one per share.
    fn round(&mut self, parent_units: u128, parent: &Exact, shares: &[Share]) -> Result<UBig, AllocError> {
        let mut fixed: u128 = 0;
        let mut weight_sum = UBig::ZERO;
        for share in shares {
            match share {
                Share::Fixed(units) => fixed = fixed.checked_add(*units).ok_or(AllocError::Overflow)?,
                Share::Weight(w) => weight_sum += w,
            }
        }
        let fixed_scaled = UBig::from(fixed) * parent.den();
        if &fixed_scaled > parent.num() {
            return Err(AllocError::FixedOverParent { fixed, parent: parent.clone() });
        }
        // What the weighted children share, over the parent's denominator.
        let rest_num = parent.num() - &fixed_scaled;
        if weight_sum.is_zero() && !rest_num.is_zero() {
            return Err(AllocError::NothingToWeigh { rest: Exact::new(rest_num, parent.den().clone()) });
        }
        // Every child's exact value is `num / den` over this one denominator,
        // so fractional parts compare as plain integers.
        let den = if weight_sum.is_zero() { parent.den().clone() } else { parent.den() * &weight_sum };

        self.units.clear();
        self.floors.clear();
        self.nums.clear();
        self.rems.clear();
        let mut floors_sum: u128 = 0;
        for share in shares {
            let num = match share {
                Share::Fixed(units) => UBig::from(*units) * &den,
                Share::Weight(w) => &rest_num * w,
            };
            let (floor, rem) = (&num).div_rem(&den);
            let units = u128::try_from(&floor).map_err(|_| AllocError::Overflow)?;
            floors_sum = floors_sum.checked_add(units).ok_or(AllocError::Overflow)?;
            self.units.push(units);
            self.floors.push(units);
            self.nums.push(num);
            self.rems.push(rem);
        }

        let leftover = parent_units.checked_sub(floors_sum).ok_or(AllocError::Overflow)?;
        if leftover > 0 {
            let rems = &self.rems;
            self.order.clear();
            self.order.extend((0..shares.len()).filter(|&i| !rems[i].is_zero()));
            debug_assert!(
                leftover as usize <= self.order.len(),
                "parent rounded outside floor/ceil of its exact value"
            );
            // Largest fraction first; the stable sort keeps the written order for ties.
            self.order.sort_by(|&a, &b| rems[b].cmp(&rems[a]));
            for &i in self.order.iter().take(leftover as usize) {
                self.units[i] += 1;
            }
        }
        Ok(den)
    }
}
