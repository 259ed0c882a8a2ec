//! The independent reference of `model_properties.rs`: exact rationals, the
//! brief's rounding rule (`common/rounding.rs`: floors, then the leftover
//! units to the largest fractional parts, ties to the first), and reading figures from what the
//! binary prints without a float in between. Nothing here calls the library.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};
use proptest::test_runner::TestCaseError;

use crate::common::{json, rounding};

/// An exact rational number.
pub(super) type Q = BigRational;

/// `n / d` exactly.
pub(super) fn q(n: i128, d: i128) -> Q {
    Q::new(BigInt::from(n), BigInt::from(d))
}

/// A whole number as a rational.
pub(super) fn int(n: i128) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// The largest whole number not above `x`.
pub(super) fn floor(x: &Q) -> i128 {
    i128::try_from(x.floor().to_integer()).expect("small enough")
}

/// The smallest whole number not below `x`.
pub(super) fn ceil(x: &Q) -> i128 {
    i128::try_from(x.ceil().to_integer()).expect("small enough")
}

/// The brief's rule ([`rounding::round`]): `exacts` (which add up to a value
/// whose rounding is `parent`) get their floors, and the `parent -
/// sum(floors)` leftover units go one each to the largest fractional parts,
/// equal ones to the first. `None` when `parent` is not a rounding of the
/// exacts' sum.
pub(super) fn apportion(parent: i128, exacts: &[Q]) -> Option<Vec<i128>> {
    rounding::round(parent, exacts).ok()
}

/// `weights[i] / sum(weights)` of `whole`, for every `i` (zeros if the
/// weights are all zero).
pub(super) fn shares_of(whole: &Q, weights: &[Q]) -> Vec<Q> {
    let sum: Q = weights.iter().cloned().fold(Q::zero(), |a, b| a + b);
    weights.iter().map(|w| if sum.is_zero() { Q::zero() } else { whole * w / &sum }).collect()
}

/// A figure as printed, in whole units of `10^-decimals`: exactly
/// `decimals` digits after the point (none and no point when 0), no sign,
/// no thousands separators.
pub(super) fn units(text: &str, decimals: usize) -> Result<i128, TestCaseError> {
    let bad = || TestCaseError::fail(format!("`{text}` is not a figure with exactly {decimals} decimals"));
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || frac.len() != decimals || (decimals > 0 && !digits(frac)) {
        return Err(bad());
    }
    format!("{whole}{frac}").parse::<i128>().map_err(|_| bad())
}

/// A decimal text (`"79625.15114873"`) as an exact rational, with its
/// number of decimals.
pub(super) fn decimal(text: &str) -> Option<(Q, usize)> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: BigInt = format!("{whole}{frac}").parse().ok()?;
    let d = num_traits::pow(BigInt::from(10), frac.len());
    Some((Q::new(n, d), frac.len()))
}

/// An explanation's exact value, in units of `10^-decimals`: the interval
/// it says the exact value is in. `"1000000"` is exactly that; a text ending
/// in `…` is truncated: the value lies strictly between the digits shown and
/// one in their last place more. Returns (low, high, exact?).
pub(super) fn exact_interval(text: &str, decimals: usize) -> Option<(Q, Q, bool)> {
    let scale = int(10i128.pow(decimals as u32));
    if let Some(shown) = text.strip_suffix('…') {
        let (x, places) = decimal(shown)?;
        let step = Q::new(BigInt::one(), num_traits::pow(BigInt::from(10), places));
        Some((&x * &scale, (x + step) * &scale, false))
    } else {
        let (x, _) = decimal(text)?;
        let x = x * scale;
        Some((x.clone(), x, true))
    }
}

/// Whether `figure` (whole units) is the floor or the ceiling of a value
/// known to lie in the interval from [`exact_interval`].
pub(super) fn floor_or_ceiling(figure: i128, (low, high, exact): &(Q, Q, bool)) -> bool {
    if *exact {
        return figure == floor(low) || figure == ceil(low);
    }
    // Strictly inside (low, high): its floor is floor(low) unless a whole
    // number lies inside, which a truncation to at least the unit's places
    // never lets happen; its ceiling is then that floor plus one.
    let f = floor(low);
    if int(f + 1) < *high {
        return false; // too coarse to say; callers ask for enough places
    }
    figure == f || figure == f + 1
}

/// A decimal text truncated to `places` decimals (`"1.23456789…"` to
/// `1.234567` for 6), as an exact rational.
pub(super) fn truncated(text: &str, places: usize) -> Option<Q> {
    let shown = text.strip_suffix('…').unwrap_or(text);
    let (whole, frac) = shown.split_once('.').unwrap_or((shown, ""));
    let frac: String = frac.chars().take(places).collect();
    decimal(&if frac.is_empty() { whole.to_string() } else { format!("{whole}.{frac}") }).map(|(x, _)| x)
}

/// Every number of `key` in a JSON text, as written (`common/json.rs`;
/// `serde_json` alone would read them as floats); `None` when the text is not
/// JSON or a value of `key` is not a number.
pub(super) fn raw_numbers(json: &str, key: &str) -> Option<Vec<String>> {
    let doc = json::parse_json(json).ok()?;
    doc.all(key).into_iter().map(|v| v.num().map(str::to_string)).collect()
}

/// Whether an open interval `(low, high)` of scales (a bound `None` is
/// unbounded) has a point `s >= 0`.
pub(super) fn has_scale(low: Option<&Q>, high: Option<&Q>) -> bool {
    match (low, high) {
        (_, Some(h)) if !h.is_positive() => false,
        (Some(l), Some(h)) => l < h,
        _ => true,
    }
}

/// Whether a flow network has a feasible integral flow: `edges` are
/// (from, to, lower, upper) between nodes `0..nodes`, and every node
/// conserves flow (give the totals as edges with lower == upper, closed by
/// an edge back from the sink to the source). Integral bounds make a
/// fractional solution an integral one too (network matrices are totally
/// unimodular), so this is the existence of a controlled rounding.
pub(super) fn circulation_exists(nodes: usize, edges: &[(usize, usize, i128, i128)]) -> bool {
    // Lower bounds moved into node excesses, then one max flow from a super
    // source to a super sink must saturate them (Edmonds-Karp on a matrix).
    let (s, t) = (nodes, nodes + 1);
    let n = nodes + 2;
    let mut cap = vec![vec![0i128; n]; n];
    let mut excess = vec![0i128; nodes];
    for &(u, v, lo, hi) in edges {
        if lo > hi {
            return false;
        }
        cap[u][v] += hi - lo;
        excess[v] += lo;
        excess[u] -= lo;
    }
    let mut need = 0;
    for (v, e) in excess.iter().enumerate() {
        if *e > 0 {
            cap[s][v] += e;
            need += e;
        } else {
            cap[v][t] -= e;
        }
    }
    let mut flow = 0;
    loop {
        let mut prev = vec![usize::MAX; n];
        prev[s] = s;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for v in 0..n {
                if prev[v] == usize::MAX && cap[u][v] > 0 {
                    prev[v] = u;
                    queue.push_back(v);
                }
            }
        }
        if prev[t] == usize::MAX {
            return flow == need;
        }
        let mut push = i128::MAX;
        let mut v = t;
        while v != s {
            push = push.min(cap[prev[v]][v]);
            v = prev[v];
        }
        let mut v = t;
        while v != s {
            cap[prev[v]][v] -= push;
            cap[v][prev[v]] += push;
            v = prev[v];
        }
        flow += push;
    }
}
