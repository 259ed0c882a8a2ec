//! Stage `allocate`: the rounding rule itself, with buffers kept between
//! calls so that a run of millions of cells allocates little.

use dashu_int::ops::DivRem;
use dashu_int::UBig;

use super::{AllocError, Exact, FitRow, Part, Share, TableRow};

/// Shares parents among children by the brief's rounding rule: floors of
/// the exact values, then one leftover unit each to the largest fractional
/// parts, ties to the child listed first. Holds scratch buffers only; every
/// call is independent of the ones before.
///
/// The arithmetic is done in machine integers when every product fits a
/// `u128` (nearly always), in big integers otherwise; both give the same
/// numbers, the machine ones some ten times faster.
#[derive(Debug, Default)]
pub struct Apportioner {
    units: Vec<u128>,
    floors: Vec<u128>,
    /// The children's exact numerators and fractional parts over the last
    /// call's common denominator, in whichever integers it used.
    nums: Numbers,
    order: Vec<usize>,
    /// The weights of the last call, as machine integers.
    weights: Vec<u128>,
}

/// Numerators (or fractional parts) of one call: machine or big integers.
#[derive(Debug, Default)]
struct Numbers {
    small: Vec<u128>,
    small_rems: Vec<u128>,
    big: Vec<UBig>,
    big_rems: Vec<UBig>,
}

/// The common denominator of a call's exact values, and which of
/// [`Numbers`]' vectors hold them.
enum Den {
    Small(u128),
    Big(UBig),
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
        let units = &self.units;
        match den {
            Den::Small(d) => out.extend(
                units.iter().zip(&self.nums.small).map(|(&units, &n)| Part { units, exact: Exact::from_ratio(n, d) }),
            ),
            Den::Big(d) => out.extend(
                units
                    .iter()
                    .zip(self.nums.big.drain(..))
                    .map(|(&units, num)| Part { units, exact: Exact::new(num, d.clone()) }),
            ),
        }
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
        // Each part's fraction over its own reduced denominator; ranked by
        // cross-multiplication, which is the order over the common one.
        let rems: Vec<Exact> = out
            .iter()
            .map(|p| {
                let (_, rem) = p.exact.floor_rem();
                Exact::new(rem, p.exact.den().clone())
            })
            .collect();
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
        match &den {
            Den::Small(d) => row.fractions.set_small(&self.nums.small_rems, *d),
            Den::Big(d) => row.fractions.set_big(&mut self.nums.big_rems, d.clone()),
        }
        if let Some(exact) = exact {
            exact.clear();
            match den {
                Den::Small(d) => exact.extend(self.nums.small.iter().map(|&n| Exact::from_ratio(n, d))),
                Den::Big(d) => exact.extend(self.nums.big.drain(..).map(|num| Exact::new(num, d.clone()))),
            }
        }
        Ok(())
    }

    /// Fills `units` (rounded) and the numerators (exact values over the
    /// returned common denominator), one per share.
    fn round(&mut self, parent_units: u128, parent: &Exact, shares: &[Share]) -> Result<Den, AllocError> {
        match self.round_small(parent_units, parent, shares) {
            Some(den) => Ok(Den::Small(den)),
            None => self.round_big(parent_units, parent, shares).map(Den::Big),
        }
    }

    /// As [`Apportioner::round_big`] in machine integers, for the usual call
    /// whose every product fits a `u128`; `None` when one does not or when
    /// the call is an error (the big arithmetic then decides, and words it).
    fn round_small(&mut self, parent_units: u128, parent: &Exact, shares: &[Share]) -> Option<u128> {
        let num = u128::try_from(parent.num()).ok()?;
        let pden = u128::try_from(parent.den()).ok()?;
        let (mut fixed, mut weight_sum) = (0u128, 0u128);
        self.weights.clear();
        for share in shares {
            match share {
                Share::Fixed(units) => fixed = fixed.checked_add(*units)?,
                Share::Weight(w) => {
                    let w = u128::try_from(w).ok()?;
                    weight_sum = weight_sum.checked_add(w)?;
                    self.weights.push(w);
                }
            }
        }
        let rest = num.checked_sub(fixed.checked_mul(pden)?)?;
        if weight_sum == 0 && rest != 0 {
            return None;
        }
        let den = if weight_sum == 0 { pden } else { pden.checked_mul(weight_sum)? };
        self.units.clear();
        self.floors.clear();
        let Numbers { small: nums, small_rems: rems, .. } = &mut self.nums;
        nums.clear();
        rems.clear();
        let mut weights = self.weights.iter();
        let mut floors_sum: u128 = 0;
        for share in shares {
            let num = match share {
                Share::Fixed(units) => units.checked_mul(den)?,
                Share::Weight(_) => rest.checked_mul(*weights.next().expect("one weight per weighted share"))?,
            };
            let (floor, rem) = div_rem(num, den);
            floors_sum = floors_sum.checked_add(floor)?;
            self.units.push(floor);
            self.floors.push(floor);
            nums.push(num);
            rems.push(rem);
        }
        let leftover = parent_units.checked_sub(floors_sum)?;
        let rems = &self.nums.small_rems;
        give_leftover(&mut self.units, &mut self.order, leftover, |i| rems[i] != 0, |&a, &b| rems[b].cmp(&rems[a]));
        Some(den)
    }

    /// [`Apportioner::round`] in big integers: any size, and the errors.
    fn round_big(&mut self, parent_units: u128, parent: &Exact, shares: &[Share]) -> Result<UBig, AllocError> {
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
        let Numbers { big: nums, big_rems: rems, .. } = &mut self.nums;
        nums.clear();
        rems.clear();
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
            nums.push(num);
            rems.push(rem);
        }
        let leftover = parent_units.checked_sub(floors_sum).ok_or(AllocError::Overflow)?;
        let rems = &self.nums.big_rems;
        give_leftover(
            &mut self.units,
            &mut self.order,
            leftover,
            |i| !rems[i].is_zero(),
            |&a, &b| rems[b].cmp(&rems[a]),
        );
        Ok(den)
    }
}

/// The brief's leftover units: one each to the children with the largest
/// fractional parts (`larger(a, b)` orders `a` before `b` when its fraction
/// is larger), ties to the earlier child (the sort is stable).
fn give_leftover(
    units: &mut [u128],
    order: &mut Vec<usize>,
    leftover: u128,
    fractional: impl Fn(usize) -> bool,
    larger: impl Fn(&usize, &usize) -> std::cmp::Ordering,
) {
    if leftover == 0 {
        return;
    }
    order.clear();
    order.extend((0..units.len()).filter(|&i| fractional(i)));
    debug_assert!(leftover as usize <= order.len(), "parent rounded outside floor/ceil of its exact value");
    order.sort_by(|a, b| larger(a, b));
    for &i in order.iter().take(leftover as usize) {
        units[i] += 1;
    }
}

/// `(n / d, n % d)` with one division, and a machine word's when both fit
/// one (a `u128` division is a slow library call).
fn div_rem(n: u128, d: u128) -> (u128, u128) {
    if let (Ok(n), Ok(d)) = (u64::try_from(n), u64::try_from(d)) {
        return (u128::from(n / d), u128::from(n % d));
    }
    let q = n / d;
    (q, n - q * d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Shares of weights and fixed units, as a calendar or a split writes them.
    fn shares() -> impl Strategy<Value = Vec<Share>> {
        prop::collection::vec(
            prop_oneof![
                4 => (0u64..5_000).prop_map(|w| Share::Weight(UBig::from(w))),
                1 => (0u128..50).prop_map(Share::Fixed),
            ],
            1..9,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// The machine-integer path gives exactly what the big-integer one
        /// gives (units, floors, fractions and exact values), whenever it
        /// takes a call; the one it does not take goes to the big one.
        #[test]
        fn machine_and_big_integers_agree(num in 0u64..2_000_000_000, den in 1u64..100_000, up: bool, shares in shares()) {
            let parent = Exact::new(UBig::from(num), UBig::from(den));
            let floor = u128::from(num / den);
            let units = if up && num % den != 0 { floor + 1 } else { floor };
            let mut small = Apportioner::default();
            let mut big = Apportioner::default();
            let small_den = small.round_small(units, &parent, &shares);
            let big_den = big.round_big(units, &parent, &shares);
            match (small_den, big_den) {
                (Some(d), Ok(bd)) => {
                    prop_assert_eq!(UBig::from(d), bd);
                    prop_assert_eq!(&small.units, &big.units);
                    prop_assert_eq!(&small.floors, &big.floors);
                    let small_nums: Vec<UBig> = small.nums.small.iter().map(|&n| UBig::from(n)).collect();
                    let small_rems: Vec<UBig> = small.nums.small_rems.iter().map(|&n| UBig::from(n)).collect();
                    prop_assert_eq!(small_nums, big.nums.big.clone());
                    prop_assert_eq!(small_rems, big.nums.big_rems.clone());
                }
                // Refused by the machine path: the big one decides, error or not.
                (None, _) => {}
                (Some(_), Err(e)) => prop_assert!(false, "the machine path took a call the big one refuses: {e:?}"),
            }
            // And the public calls agree with the big path's parts.
            let mut parts = Vec::new();
            if Apportioner::default().parts(units, &parent, &shares, &mut parts).is_ok() {
                let den = big.round_big(units, &parent, &shares).expect("the same call");
                let exact: Vec<Exact> = big.nums.big.drain(..).map(|n| Exact::new(n, den.clone())).collect();
                prop_assert_eq!(parts.iter().map(|p| p.exact.clone()).collect::<Vec<_>>(), exact);
                prop_assert_eq!(parts.iter().map(|p| p.units).collect::<Vec<_>>(), big.units.clone());
            }
        }
    }

    #[test]
    fn a_product_beyond_machine_integers_takes_the_big_path() {
        let parent = Exact::new(UBig::from(u128::MAX / 3), UBig::ONE);
        let shares = [Share::Weight(UBig::from(u64::MAX)), Share::Weight(UBig::from(1u8))];
        let mut a = Apportioner::default();
        assert_eq!(a.round_small(u128::MAX / 3, &parent, &shares), None, "the product overflows a u128");
        let mut out = Vec::new();
        a.units(u128::MAX / 3, &parent, &shares, &mut out).unwrap();
        assert_eq!(out.iter().sum::<u128>(), u128::MAX / 3, "the big path still shares it exactly");
    }
}
