//! Stage `calendar`: the shapes of period labels, for messages that tell a
//! label of the wrong shape (`2026-3`) from one of the right shape that the
//! plan year does not have (`2026-13`).

use chrono::NaiveDate;

/// Whether a label has one of the shapes `2026`, `FY2026`, `2026-Q1`,
/// `FY2026-Q1`, `2026-03`, `2026-03-W2`, `2026-03-15`, `2026-W05` (ISO
/// week), `FY2026-P01` and `FY2026-W01` (retail), or a day and a slot name.
pub fn well_formed(label: &str) -> bool {
    let upper = label.to_ascii_uppercase();
    let (upper, slot) = match upper.split_once(' ') {
        Some((day, _)) => (day.to_string(), true),
        None => (upper, false),
    };
    let body = upper.strip_prefix("FY").unwrap_or(&upper);
    let fiscal = body.len() != upper.len();
    let parts: Vec<&str> = body.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let number_in = |s: &str, lo: u32, hi: u32| s.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v));
    if parts.is_empty() || !digits(parts[0], 4) {
        return false;
    }
    let is_day = |m: &str, d: &str| digits(m, 2) && digits(d, 2) && NaiveDate::parse_from_str(body, "%Y-%m-%d").is_ok();
    if slot {
        return !fiscal && matches!(parts.as_slice(), [_, m, d] if is_day(m, d));
    }
    match parts.as_slice() {
        [_] => true,
        [_, q] if q.starts_with('Q') => number_in(&q[1..], 1, 4) && q.len() == 2,
        [_, w] if w.starts_with('W') => digits(&w[1..], 2) && number_in(&w[1..], 1, 53),
        [_, p] if fiscal && p.starts_with('P') => digits(&p[1..], 2) && number_in(&p[1..], 1, 12),
        [_, _] if fiscal => false,
        [_, m] => digits(m, 2) && number_in(m, 1, 12),
        [_, m, w] if !fiscal && w.starts_with('W') => digits(m, 2) && number_in(m, 1, 12) && number_in(&w[1..], 1, 6),
        [_, m, d] if !fiscal => is_day(m, d),
        _ => false,
    }
}
