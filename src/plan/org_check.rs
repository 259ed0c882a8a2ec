//! Stage `plan`: the org cascade checked as a whole, once the plan is
//! assembled, so that these problems come in the same run as every other
//! problem of the plan: an org tree too large to hold (from the member
//! counts alone), dated people on more than one split, and holds together
//! with dated people. The engine guards on the same checks, so a plan built
//! another way gets the same messages, never a panic.

use rust_decimal::Decimal;

use super::{thousands, Plan, Split, Vacancy};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};

/// Every problem of the plan's org cascade as a whole.
pub(crate) fn check(plan: &Plan) -> Vec<Diagnostic> {
    [check_size(plan), check_dated(plan), check_holds(plan)]
        .into_iter()
        .filter_map(std::result::Result::err)
        .flat_map(|e| e.diagnostics().to_vec())
        .collect()
}

/// The splits whose people have dates or ramps, or that show vacancies
/// (at most one in a valid plan).
pub(crate) fn dated_splits(plan: &Plan) -> Vec<usize> {
    (0..plan.splits.len()).filter(|&i| is_dated(&plan.splits[i])).collect()
}

/// Dated people on one split only: each person follows their own days.
fn check_dated(plan: &Plan) -> Result<()> {
    let dated = dated_splits(plan);
    if dated.len() > 1 {
        let second = &plan.splits[dated[1]];
        return Err(Error::invalid(
            Diagnostic::new(
                Code::TwoDatedSplits,
                format!(
                    "splits `{}` and `{}` both have people with dates, ramps or vacancies",
                    plan.splits[dated[0]].by, second.by
                ),
            )
            .at(second.origin.clone())
            .help("keep `start`, `end`, `ramp` and `vacancy` on one roster split (the people)"),
        ));
    }
    Ok(())
}

/// Holds are rounded for every member together, which people on their own
/// days cannot be.
fn check_holds(plan: &Plan) -> Result<()> {
    let dated = dated_splits(plan).first().copied();
    if let (Some(d), Some(hold)) = (dated, plan.holds.first()) {
        return Err(Error::invalid(
                Diagnostic::new(Code::HoldsWithDates, format!(
                    "[time.fixed] holds cannot be combined with the start dates, end dates, ramps or vacancies of split `{}`",
                    plan.splits[d].by
                ))
                .at(hold.origin.clone())
                .note("a hold is kept by rounding every member together, and people in seat part of the year each follow their own days")
                .help("remove the holds, or the `start`, `end`, `ramp` and `vacancy` settings"),
            ));
    }
    Ok(())
}

/// Whether a split's people have dates or ramps, or it shows vacancies.
fn is_dated(split: &Split) -> bool {
    split.vacancy == Vacancy::Show
        || split
            .default
            .iter()
            .chain(split.within.iter().map(|(_, s)| s))
            .any(|set| set.members.iter().any(|m| m.person().is_dated()))
}

/// The most org leaves salesplit holds. The tree is built in memory before
/// the first cell is written (so that every error is found first): each leaf
/// keeps its member path (16 bytes a split) and, per shared metric, its
/// rounded and exact figure and its time table (about 80 bytes), twice over
/// while the columns are set up — about 200 bytes a leaf for two splits and
/// one metric, measured. Ten million leaves are then about 2 GB, what a
/// laptop can spare; past that a plan is a split written under every parent
/// by mistake (eight splits of 20 members are 25.6 billion leaves) and
/// would exhaust memory rather than run.
pub(crate) const MAX_LEAVES: u128 = 10_000_000;

/// How many nodes each depth of the org tree has (the last: its leaves),
/// from the member counts alone, before anything is shared. Saturates
/// rather than overflows; a node whose parent has no members has no children.
pub(crate) fn nodes_per_split(plan: &Plan) -> Vec<u128> {
    let splits = &plan.splits;
    // The splits whose member a node must remember: those a later split's members depend on.
    let needed = |d: usize| -> Vec<usize> {
        let mut keep: Vec<usize> = splits[d + 1..].iter().filter_map(|s| s.parent).filter(|&p| p <= d).collect();
        keep.sort_unstable();
        keep.dedup();
        keep
    };
    // Nodes grouped by the members that decide their children: few groups, however many nodes.
    let mut groups: std::collections::HashMap<Vec<&str>, u128> = std::collections::HashMap::from([(Vec::new(), 1)]);
    let mut kept: Vec<usize> = Vec::new();
    let mut counts = Vec::with_capacity(splits.len());
    for (d, split) in splits.iter().enumerate() {
        let next = needed(d);
        let mut grown: std::collections::HashMap<Vec<&str>, u128> = std::collections::HashMap::new();
        for (key, count) in &groups {
            let parent = split.parent.and_then(|p| kept.iter().position(|&k| k == p)).map(|i| key[i]);
            let Some(set) = split.members_for(parent) else { continue };
            let carried: Vec<&str> = next
                .iter()
                .filter(|&&k| k != d)
                .map(|&k| key[kept.iter().position(|&x| x == k).expect("kept")])
                .collect();
            if next.contains(&d) {
                for m in &set.members {
                    let mut k = carried.clone();
                    k.insert(next.iter().position(|&x| x == d).expect("d is kept"), m.name.as_str());
                    let slot = grown.entry(k).or_insert(0);
                    *slot = slot.saturating_add(*count);
                }
            } else {
                let slot = grown.entry(carried).or_insert(0);
                *slot = slot.saturating_add(count.saturating_mul(set.members.len() as u128));
            }
        }
        counts.push(grown.values().fold(0u128, |a, c| a.saturating_add(*c)));
        groups = grown;
        kept = next;
    }
    counts
}

/// Refuses, from the member counts alone and before anything is
/// allocated, an org tree of more than [`MAX_LEAVES`] leaves.
fn check_size(plan: &Plan) -> Result<()> {
    let counts = nodes_per_split(plan);
    let Some(&leaves) = counts.last() else { return Ok(()) };
    if leaves <= MAX_LEAVES {
        return Ok(());
    }
    let count = |n: u128| thousands(Decimal::from_i128_with_scale(i128::try_from(n).unwrap_or(i128::MAX), 0));
    let shown = |n: u128| if n > u128::from(u64::MAX) { "more than 18 × 10^18".to_string() } else { count(n) };
    let levels: Vec<String> = plan.splits.iter().zip(&counts).map(|(s, n)| format!("{} {}", s.by, shown(*n))).collect();
    let last = plan.splits.last().expect("a split");
    Err(Error::invalid(
        Diagnostic::new(
            Code::TooManyLeaves,
            format!(
                "the plan's org tree has {} leaves, more than the {} salesplit can hold",
                shown(leaves),
                count(MAX_LEAVES)
            ),
        )
        .at(last.origin.clone())
        .note(format!("nodes after each split: {}", levels.join(", then ")))
        .note("the tree is held in memory, about 200 bytes a leaf, before the first figure is written")
        .help(
            "split by fewer levels or members, or give each parent only its own members (a `[split.within.\"…\"]` \
             table per parent, or a roster whose parent column names them)",
        ),
    ))
}
