//! Stage `engine`: what a run shows — which splits, which time level, which
//! period — resolved from the user's `--by` and `--period` against a plan.

use crate::calendar::{Calendar, Level};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::plan::Plan;

/// A resolved request. Invariants: `splits` are indices of the plan's splits
/// in cascade order without repeats; `period`, if any, is a period of the
/// calendar at `level` or coarser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breakdown {
    /// Split indices kept, in cascade order.
    pub splits: Vec<usize>,
    /// Time level of the cells.
    pub level: Level,
    /// Only cells inside this period: (its level, its index in that level).
    pub period: Option<(Level, usize)>,
}

impl Breakdown {
    /// Resolves `--by` (comma-separated split names and at most one time
    /// level; `None` means every split and the plan's level) and `--period`
    /// (a period label of this plan).
    pub fn resolve(plan: &Plan, calendar: &Calendar, by: Option<&str>, period: Option<&str>) -> Result<Breakdown> {
        let names: Vec<&str> = plan.splits.iter().map(|s| s.by.as_str()).collect();
        let (splits, level) = match by {
            None => ((0..names.len()).collect(), plan.level),
            Some(text) => by_list(text, &names)?,
        };
        let period = match period {
            None => None,
            Some(label) => {
                let kept: Vec<&str> = splits.iter().map(|&i| names[i]).collect();
                Some(find_period(calendar, label.trim(), level, &kept)?)
            }
        };
        Ok(Breakdown { splits, level, period })
    }
}

fn by_list(text: &str, names: &[&str]) -> Result<(Vec<usize>, Level)> {
    let mut splits = Vec::new();
    let mut level: Option<Level> = None;
    let mut errors = Vec::new();
    let all: Vec<&str> = names.iter().copied().chain(Level::ALL.iter().map(|l| l.name())).collect();
    for raw in text.split(',') {
        let name = raw.trim();
        if name.is_empty() {
            errors.push(
                Diagnostic::new(format!("--by `{text}` has an empty name"))
                    .help("separate names with single commas, e.g. --by region,month"),
            );
        } else if let Some(l) = Level::parse(name) {
            match level {
                Some(first) if first != l => errors.push(
                    Diagnostic::new(format!("--by names two time levels, {first} and {l}"))
                        .help("keep one time level; a coarser level is the sum of the finer one"),
                ),
                _ => level = Some(l),
            }
        } else if let Some(i) = names.iter().position(|n| *n == name) {
            if !splits.contains(&i) {
                splits.push(i);
            }
        } else {
            let help = match crate::diagnostic::suggest(name, all.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? This plan's names are: {}", all.join(", ")),
                None => format!("this plan's names are: {}", all.join(", ")),
            };
            errors.push(
                Diagnostic::new(format!("--by names `{name}`, which is not a split of this plan or a time level"))
                    .help(help),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    splits.sort_unstable();
    Ok((splits, level.unwrap_or(Level::Year)))
}

/// `kept` are the splits the breakdown shows, for the suggested `--by`.
fn find_period(calendar: &Calendar, label: &str, level: Level, kept: &[&str]) -> Result<(Level, usize)> {
    let found = calendar.find(label).or_else(|| calendar.find(&label.to_ascii_uppercase()));
    let (plevel, index) = match found {
        Some(f) => f,
        None => return Err(Error::invalid(missing_period(calendar, label))),
    };
    if plevel > level {
        let by: Vec<&str> = kept.iter().copied().chain([plevel.name()]).collect();
        return Err(Error::invalid(
            Diagnostic::new(format!("--period {label} is a {plevel}, finer than the breakdown's {level} level"))
                .help(format!("ask for {plevel}s with --by {}, or for a period of a {level} or coarser", by.join(","))),
        ));
    }
    Ok((plevel, index))
}

/// Explains why a label is not a period of this plan: malformed, or outside it.
fn missing_period(calendar: &Calendar, label: &str) -> Diagnostic {
    let year = calendar.year();
    let first_quarter = &calendar.level(Level::Quarter)[0].label;
    let examples = format!(
        "{}, {first_quarter}, {}, {}-W1 or {}",
        year.label,
        calendar.level(Level::Month)[0].label,
        calendar.level(Level::Month)[0].label,
        calendar.start()
    );
    if !well_formed(label) {
        return Diagnostic::new(format!("--period `{label}` is not a period"))
            .help(format!("write a period such as {examples}"));
    }
    let fiscal_hint = if calendar.is_fiscal()
        && !label.to_ascii_uppercase().starts_with("FY")
        && (label.len() == 4 || label.contains('Q'))
    {
        format!("; this is a fiscal plan, so its year is {} and its quarters {first_quarter} and so on", year.label)
    } else if !calendar.is_fiscal() && label.to_ascii_uppercase().starts_with("FY") {
        format!("; this plan follows the calendar year, so write {} or {first_quarter}", year.label)
    } else {
        String::new()
    };
    Diagnostic::new(format!(
        "--period {label} is not in this plan, which covers {} to {}{fiscal_hint}",
        calendar.start(),
        calendar.end()
    ))
    .help(format!("ask for a period of the plan year, such as {examples}"))
}

/// Whether a label has one of the shapes `2026`, `FY2026`, `2026-Q1`,
/// `FY2026-Q1`, `2026-03`, `2026-03-W2` or `2026-03-15`.
fn well_formed(label: &str) -> bool {
    let upper = label.to_ascii_uppercase();
    let body = upper.strip_prefix("FY").unwrap_or(&upper);
    let fiscal = body.len() != upper.len();
    let parts: Vec<&str> = body.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let number_in = |s: &str, lo: u32, hi: u32| s.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v));
    if parts.is_empty() || !digits(parts[0], 4) {
        return false;
    }
    match parts.as_slice() {
        [_] => true,
        [_, q] if q.starts_with('Q') => number_in(&q[1..], 1, 4) && q.len() == 2,
        [_, _] if fiscal => false,
        [_, m] => digits(m, 2) && number_in(m, 1, 12),
        [_, m, w] if !fiscal && w.starts_with('W') => digits(m, 2) && number_in(m, 1, 12) && number_in(&w[1..], 1, 6),
        [_, m, d] if !fiscal => {
            digits(m, 2) && digits(d, 2) && chrono::NaiveDate::parse_from_str(body, "%Y-%m-%d").is_ok()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn knows_the_shapes_of_period_labels() {
        for ok in ["2026", "FY2026", "2026-Q1", "fy2026-q4", "2026-03", "2026-03-W2", "2026-03-15", "2027-02-28"] {
            assert!(well_formed(ok), "{ok}");
        }
        for bad in ["26", "2026-Q5", "2026-13", "2026-3", "2026-03-W9", "2026-02-30", "FY2026-03", "march", "2026/03"] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
