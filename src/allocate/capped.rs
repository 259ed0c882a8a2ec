//! Stage `allocate`: capped proportional allocation, in exact arithmetic.
//!
//! Contract: given a parent's exact value and members with non-negative
//! exact weights, each with a floor and an optional cap in whole rounding
//! units, [`capped`] returns each member's exact value `x_i = clamp(s * w_i,
//! min_i, max_i)` for one common scale `s >= 0`, with `sum x_i == parent`
//! exactly. Every member is at its floor, at its cap, or at `s` times its
//! weight; a member with weight 0 sits at its floor. The result is unique
//! (see [`capped`]), so it does not depend on how `s` is found, on the order
//! of the members or on a common factor of the weights. It is exact, not
//! rounded: round it afterwards like any other exact value.

use std::cmp::Ordering;

use dashu_int::UBig;

use super::{exact_weights, Exact};

/// A person's floor and cap, in whole rounding units.
///
/// Invariant checked by [`capped`]: `min <= max` when there is a cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Bounds {
    /// The floor: the member gets at least this many units.
    pub min: u128,
    /// The cap: the member gets at most this many units; `None` for no cap.
    pub max: Option<u128>,
}

/// Why no capped allocation exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CapError {
    /// Member `index` has a floor above its cap (the first such member).
    FloorOverCap {
        /// Position of the member in the input.
        index: usize,
    },
    /// The floors add up to more than the parent (`floors` units, parent exact).
    FloorsOverParent {
        /// Sum of the floors, in units (`u128::MAX` if the sum does not fit).
        floors: u128,
        /// The parent's exact value, in units.
        parent: Exact,
    },
    /// Everyone is at a cap (or has weight 0, so sits at its floor) and still
    /// the parent is not covered: `reachable` is the most the members can take.
    CapsUnderParent {
        /// Sum of the caps of weighted members and the floors of weight-0
        /// members, in units (`u128::MAX` if the sum does not fit).
        reachable: u128,
        /// The parent's exact value, in units.
        parent: Exact,
    },
}

/// The capped proportional allocation of `parent` among members with
/// `weights` (exact, non-negative): `x_i = clamp(s * w_i, min_i, max_i)` for
/// one common scale `s >= 0`, with `sum x_i == parent` exactly. Members with
/// weight 0 sit at their floor.
///
/// `parent` and the results are in rounding units; `weights` are unitless
/// and only their ratios matter. With no floors and no caps the result is
/// `parent * w_i / sum w` (and an error if every weight is 0 while the
/// parent is not). Checks, in this order: a floor above its cap
/// ([`CapError::FloorOverCap`]), floors over the parent
/// ([`CapError::FloorsOverParent`]), caps under the parent
/// ([`CapError::CapsUnderParent`]); otherwise an allocation exists.
///
/// The result is unique even where several `s` fit: each `clamp(s * w_i, ..)`
/// is non-decreasing in `s`, so two scales giving the same sum give every
/// member the same value. The smallest fitting `s` is used.
///
/// Runs in O(n log n) operations on big integers (a sort of the breakpoints).
///
/// # Panics
///
/// If `weights` and `bounds` differ in length.
pub fn capped(parent: &Exact, weights: &[Exact], bounds: &[Bounds]) -> Result<Vec<Exact>, CapError> {
    assert_eq!(weights.len(), bounds.len(), "one weight per member's bounds");
    if let Some(index) = bounds.iter().position(|b| b.max.is_some_and(|max| b.min > max)) {
        return Err(CapError::FloorOverCap { index });
    }
    // Only ratios matter, and x_i = s * w_i is unchanged when the weights are
    // scaled by k and s by 1/k: small integer weights keep every comparison
    // below a product of integers, with no fraction to reduce.
    let w = exact_weights(weights);
    let (pn, pd) = (parent.num(), parent.den());

    // g(0): everyone at the floor. Sums in UBig: u128 floors may add past u128.
    let floors: UBig = bounds.iter().map(|b| UBig::from(b.min)).sum();
    let at_floors = &floors * pd;
    match at_floors.cmp(pn) {
        Ordering::Greater => {
            return Err(CapError::FloorsOverParent { floors: saturate(&floors), parent: parent.clone() })
        }
        Ordering::Equal => return Ok(bounds.iter().map(|b| Exact::from_units(b.min)).collect()),
        Ordering::Less => {}
    }
    // g(infinity): weighted members at their caps, weight-0 members at their
    // floors; `None` when some weighted member has no cap.
    let mut reachable = Some(UBig::ZERO);
    for (wi, b) in w.iter().zip(bounds) {
        let most = if wi.is_zero() { Some(b.min) } else { b.max };
        reachable = reachable.zip(most).map(|(r, m)| r + UBig::from(m));
    }
    if let Some(reachable) = reachable {
        if &reachable * pd < *pn {
            return Err(CapError::CapsUnderParent { reachable: saturate(&reachable), parent: parent.clone() });
        }
    }

    // g(s) = sum clamp(s * w_i, min_i, max_i) is continuous, non-decreasing
    // and linear between breakpoints: member i follows s * w_i from
    // s = min_i / w_i ("enters") to s = max_i / w_i ("leaves"). On each piece
    // g(s) = c + s * slope, where c adds the floors of members not entered yet
    // and the caps of members gone, and slope adds the weights in between.
    let mut events: Vec<Event> = Vec::with_capacity(2 * w.len());
    for (member, (wi, b)) in w.iter().zip(bounds).enumerate() {
        if wi.is_zero() {
            continue; // fixed at its floor, already in c
        }
        events.push(Event { at: b.min, member, enters: true });
        if let Some(max) = b.max {
            events.push(Event { at: max, member, enters: false });
        }
    }
    // Breakpoint `at / w[member]`, compared exactly by cross-multiplication.
    // At equal values entries come first, so the slope never loses a weight
    // it has not gained (a member with min == max enters and leaves at once).
    events.sort_by(|a, b| {
        (UBig::from(a.at) * &w[b.member]).cmp(&(UBig::from(b.at) * &w[a.member])).then(b.enters.cmp(&a.enters))
    });

    let mut c = floors;
    let mut slope = UBig::ZERO;
    for e in &events {
        // g at this breakpoint, with the piece that ends here:
        // g(at / wm) >= pn / pd  <=>  (c * wm + at * slope) * pd >= pn * wm.
        // g(0) < parent was checked above, and every earlier breakpoint had
        // g < parent, so the first breakpoint reaching the parent closes the
        // piece holding the smallest fitting s, and that piece rises (slope > 0).
        let wm = &w[e.member];
        if (&c * wm + UBig::from(e.at) * &slope) * pd >= pn * wm {
            break;
        }
        // Crossing the breakpoint leaves g itself unchanged (continuity):
        // entering swaps min_i for s * w_i, leaving swaps s * w_i for max_i.
        if e.enters {
            c -= UBig::from(e.at);
            slope += wm;
        } else {
            c += UBig::from(e.at);
            slope -= wm;
        }
    }
    // Past the last breakpoint g keeps rising unless every weighted member is
    // capped, and then reachable >= parent made some breakpoint reach it.
    debug_assert!(!slope.is_zero(), "the piece holding the parent rises");

    // c + s * slope = parent, so s = (pn - c * pd) / (pd * slope); c * pd < pn
    // because g was below the parent where this piece began.
    let s_num = pn - &c * pd;
    let s_den = pd * &slope;
    let out = w
        .iter()
        .zip(bounds)
        .map(|(wi, b)| {
            let num = &s_num * wi; // s * w_i = num / s_den
            match b.max {
                // Weight 0 gives num == 0, so such members land on their floors.
                _ if num <= UBig::from(b.min) * &s_den => Exact::from_units(b.min),
                Some(max) if num >= UBig::from(max) * &s_den => Exact::from_units(max),
                _ => Exact::new(num, s_den.clone()),
            }
        })
        .collect();
    Ok(out)
}

/// A breakpoint of g: member `member` enters (at its floor) or leaves (at its
/// cap) the proportional part when `s == at / w[member]`; `at` is in units.
struct Event {
    at: u128,
    member: usize,
    enters: bool,
}

/// A sum reported in an error, as units, saturated to `u128::MAX`.
fn saturate(x: &UBig) -> u128 {
    u128::try_from(x).unwrap_or(u128::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ex(num: u128, den: u128) -> Exact {
        Exact::from_ratio(num, den)
    }

    fn whole(xs: &[u128]) -> Vec<Exact> {
        xs.iter().map(|&x| Exact::from_units(x)).collect()
    }

    fn b(min: u128, max: Option<u128>) -> Bounds {
        Bounds { min, max }
    }

    const FREE: Bounds = Bounds { min: 0, max: None };

    #[test]
    fn unbounded_is_plain_proportion() {
        let parent = ex(1000, 7);
        let weights = [ex(1, 2), ex(1, 3), ex(0, 1), ex(7, 6)];
        let got = capped(&parent, &weights, &[FREE; 4]).unwrap();
        let total = weights.iter().fold(Exact::from_units(0), |acc, w| acc.plus(w));
        let want: Vec<Exact> = weights.iter().map(|w| parent.times(w).over(&total)).collect();
        assert_eq!(got, want);
        assert_eq!(got[0], ex(250, 7)); // 1000/7 * (1/2) / (1/2 + 1/3 + 7/6)
    }

    #[test]
    fn caps_bind_and_the_rest_is_shared_by_weight() {
        // 100 over weights 1, 1, 2 with the last capped at 30: 35, 35, 30.
        let got = capped(&Exact::from_units(100), &whole(&[1, 1, 2]), &[FREE, FREE, b(0, Some(30))]).unwrap();
        assert_eq!(got, whole(&[35, 35, 30]));
        // Two caps binding, one after the other as s grows.
        let got = capped(&Exact::from_units(100), &whole(&[1, 2, 4]), &[FREE, b(0, Some(20)), b(0, Some(25))]).unwrap();
        assert_eq!(got, whole(&[55, 20, 25]));
    }

    #[test]
    fn floors_bind_and_the_rest_is_shared_by_weight() {
        // 100 over weights 1, 1, 8 with a floor of 20 on the first: 20, 10, 80.
        let got = capped(&Exact::from_units(100), &whole(&[1, 1, 8]), &[b(20, None), FREE, FREE]).unwrap();
        assert_eq!(got, vec![Exact::from_units(20), ex(80, 9), ex(640, 9)]);
    }

    #[test]
    fn floors_and_caps_together() {
        // Weights 1, 2, 3, 4 of 100: the first floored at 15, the last capped at 30.
        let bounds = [b(15, None), FREE, FREE, b(0, Some(30))];
        let got = capped(&Exact::from_units(100), &whole(&[1, 2, 3, 4]), &bounds).unwrap();
        // s * (2 + 3) = 100 - 15 - 30 = 55: s = 11, and s * 1 = 11 <= 15, s * 4 = 44 >= 30.
        assert_eq!(got, whole(&[15, 22, 33, 30]));
    }

    #[test]
    fn zero_weights_sit_at_their_floors() {
        let bounds = [b(7, Some(50)), FREE, b(3, None)];
        let got = capped(&Exact::from_units(40), &whole(&[0, 1, 0]), &bounds).unwrap();
        assert_eq!(got, whole(&[7, 30, 3]));
        // Only zero weights: the parent must be exactly their floors.
        assert_eq!(capped(&Exact::from_units(10), &whole(&[0, 0]), &[b(4, None), b(6, None)]).unwrap(), whole(&[4, 6]));
        assert_eq!(
            capped(&Exact::from_units(11), &whole(&[0, 0]), &[b(4, None), b(6, None)]),
            Err(CapError::CapsUnderParent { reachable: 10, parent: Exact::from_units(11) })
        );
    }

    #[test]
    fn a_flat_stretch_of_scales_gives_one_answer() {
        // A (w 1, cap 10) and B (w 1, floor 20): every s in [10, 20] gives 30.
        let got = capped(&Exact::from_units(30), &whole(&[1, 1]), &[b(0, Some(10)), b(20, None)]).unwrap();
        assert_eq!(got, whole(&[10, 20]));
        // Floors exactly the parent: s = 0, everyone at the floor.
        let got = capped(&Exact::from_units(30), &whole(&[1, 1]), &[b(10, None), b(20, None)]).unwrap();
        assert_eq!(got, whole(&[10, 20]));
        // Caps exactly the parent: every s >= 30 fits.
        let got = capped(&Exact::from_units(50), &whole(&[1, 2]), &[b(0, Some(20)), b(0, Some(30))]).unwrap();
        assert_eq!(got, whole(&[20, 30]));
    }

    #[test]
    fn fractional_parent_and_fixed_members() {
        // min == max pins a member whatever its weight.
        let got = capped(&ex(101, 2), &whole(&[5, 1, 1]), &[b(12, Some(12)), FREE, FREE]).unwrap();
        assert_eq!(got, vec![Exact::from_units(12), ex(77, 4), ex(77, 4)]);
    }

    #[test]
    fn reports_each_infeasibility() {
        let p = Exact::from_units(100);
        assert_eq!(capped(&p, &whole(&[1, 1]), &[FREE, b(5, Some(4))]), Err(CapError::FloorOverCap { index: 1 }));
        assert_eq!(
            capped(&p, &whole(&[1, 1]), &[b(60, None), b(41, None)]),
            Err(CapError::FloorsOverParent { floors: 101, parent: p.clone() })
        );
        assert_eq!(
            capped(&ex(201, 2), &whole(&[1, 0]), &[b(0, Some(90)), b(10, Some(80))]),
            Err(CapError::CapsUnderParent { reachable: 100, parent: ex(201, 2) })
        );
        assert_eq!(capped(&ex(1, 3), &[], &[]), Err(CapError::CapsUnderParent { reachable: 0, parent: ex(1, 3) }));
        assert_eq!(capped(&Exact::from_units(0), &[], &[]), Ok(vec![]));
        // Floors over the parent even though they do not fit in u128.
        assert_eq!(
            capped(&p, &whole(&[1, 1]), &[b(u128::MAX, None), b(u128::MAX, None)]),
            Err(CapError::FloorsOverParent { floors: u128::MAX, parent: p })
        );
    }

    /// Checks everything the contract promises about `x`, independently of
    /// how `capped` found it.
    fn check_allocation(parent: &Exact, weights: &[Exact], bounds: &[Bounds], x: &[Exact]) -> Result<(), String> {
        if x.len() != weights.len() {
            return Err("one value per member".into());
        }
        let sum = x.iter().fold(Exact::from_units(0), |acc, v| acc.plus(v));
        if &sum != parent {
            return Err(format!("sum {sum} != parent {parent}"));
        }
        // The scales s that fit: s >= lo, s <= hi, and s == fixed if a
        // member is strictly inside its bounds.
        let mut lo = Exact::from_units(0);
        let mut hi: Option<Exact> = None;
        let mut fixed: Option<Exact> = None;
        for (i, ((xi, wi), bi)) in x.iter().zip(weights).zip(bounds).enumerate() {
            let min = Exact::from_units(bi.min);
            let max = bi.max.map(Exact::from_units);
            if *xi < min || max.as_ref().is_some_and(|m| xi > m) {
                return Err(format!("member {i}: {xi} outside {bi:?}"));
            }
            if max.as_ref() == Some(&min) {
                continue; // pinned: any s gives this value
            }
            if wi.is_zero() {
                if *xi != min {
                    return Err(format!("member {i} has weight 0 but {xi} is not its floor"));
                }
                continue;
            }
            if *xi == min {
                // s * w_i <= min_i
                let top = min.over(wi);
                hi = Some(hi.map_or(top.clone(), |h| h.min(top)));
            } else if max.as_ref() == Some(xi) {
                // s * w_i >= max_i
                lo = lo.max(xi.over(wi));
            } else {
                let s = xi.over(wi);
                if fixed.as_ref().is_some_and(|f| *f != s) {
                    return Err(format!("member {i} is inside its bounds at scale {s}, others at {fixed:?}"));
                }
                fixed = Some(s);
            }
        }
        let fits = |s: &Exact| *s >= lo && hi.as_ref().is_none_or(|h| s <= h);
        match &fixed {
            Some(s) if !fits(s) => Err(format!("scale {s} outside [{lo}, {hi:?}]")),
            None if hi.as_ref().is_some_and(|h| *h < lo) => Err(format!("no scale in [{lo}, {hi:?}]")),
            _ => Ok(()),
        }
    }

    /// Checks that `err` is true, independently of how `capped` found it.
    fn check_error(parent: &Exact, weights: &[Exact], bounds: &[Bounds], err: &CapError) -> Result<(), String> {
        let floors: u128 = bounds.iter().map(|b| b.min).sum();
        let reachable: Option<u128> =
            weights.iter().zip(bounds).map(|(w, b)| if w.is_zero() { Some(b.min) } else { b.max }).sum();
        match err {
            CapError::FloorOverCap { index } => {
                let bi = bounds[*index];
                let first = bounds.iter().position(|b| b.max.is_some_and(|m| b.min > m));
                if first != Some(*index) || bi.max.is_none_or(|m| bi.min <= m) {
                    return Err(format!("member {index} is not the first with floor over cap"));
                }
            }
            CapError::FloorsOverParent { floors: f, parent: p } => {
                if *f != floors || p != parent || Exact::from_units(floors) <= *parent {
                    return Err(format!("floors {floors} do not exceed {parent}"));
                }
            }
            CapError::CapsUnderParent { reachable: r, parent: p } => {
                if Some(*r) != reachable || p != parent || Exact::from_units(*r) >= *parent {
                    return Err(format!("reachable {reachable:?} is not under {parent}"));
                }
            }
        }
        Ok(())
    }

    fn member() -> impl Strategy<Value = (Exact, Bounds)> {
        let weight = prop_oneof![
            1 => Just(Exact::from_units(0)),
            4 => (1u128..20, 1u128..6).prop_map(|(n, d)| ex(n, d)),
        ];
        // Mostly consistent bounds; now and then a floor over its cap.
        let bounds = (0u128..30, prop::option::of(0u128..40), 0u8..20)
            .prop_map(|(min, max, odd)| Bounds { min: if odd == 0 { min } else { min.min(max.unwrap_or(min)) }, max });
        (weight, bounds)
    }

    proptest! {
        #[test]
        fn allocations_keep_the_contract(
            members in prop::collection::vec(member(), 0..8),
            parent_num in 0u128..400,
            parent_den in 1u128..5,
            scale in (1u128..10, 1u128..10),
        ) {
            let parent = ex(parent_num, parent_den);
            let (weights, bounds): (Vec<Exact>, Vec<Bounds>) = members.into_iter().unzip();
            match capped(&parent, &weights, &bounds) {
                Ok(x) => {
                    check_allocation(&parent, &weights, &bounds, &x).map_err(TestCaseError::fail)?;
                    // Only the ratios of the weights matter.
                    let k = ex(scale.0, scale.1);
                    let scaled: Vec<Exact> = weights.iter().map(|w| w.times(&k)).collect();
                    prop_assert_eq!(capped(&parent, &scaled, &bounds), Ok(x.clone()));
                    // Nor does the order of the members.
                    let rev = |v: &[Exact]| v.iter().rev().cloned().collect::<Vec<_>>();
                    let rev_bounds: Vec<Bounds> = bounds.iter().rev().copied().collect();
                    prop_assert_eq!(capped(&parent, &rev(&weights), &rev_bounds), Ok(rev(&x)));
                }
                Err(e) => check_error(&parent, &weights, &bounds, &e).map_err(TestCaseError::fail)?,
            }
        }

        #[test]
        fn feasible_parents_always_allocate(
            members in prop::collection::vec(member(), 1..8),
            t_num in 0u128..=64,
        ) {
            // A parent between the floors and what the members can reach.
            let (weights, bounds): (Vec<Exact>, Vec<Bounds>) = members.into_iter().unzip();
            prop_assume!(bounds.iter().all(|b| b.max.is_none_or(|m| b.min <= m)));
            let floors: u128 = bounds.iter().map(|b| b.min).sum();
            let reachable: Option<u128> =
                weights.iter().zip(&bounds).map(|(w, b)| if w.is_zero() { Some(b.min) } else { b.max }).sum();
            let room = reachable.map_or(200, |r| r - floors);
            let parent = Exact::from_units(floors).plus(&ex(room * t_num, 64));
            let x = capped(&parent, &weights, &bounds).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            check_allocation(&parent, &weights, &bounds, &x).map_err(TestCaseError::fail)?;
        }
    }
}
