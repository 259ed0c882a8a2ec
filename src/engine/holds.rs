//! Stage `engine`: rounding held periods for every org leaf together. The
//! plan stage checks the holds and works out each group of siblings with a
//! hold as exact weights ([`Breakback`]); here every such group is rounded
//! for all org leaves at once, so that the leaves' figures of a held period
//! add up to the hold exactly.

use super::joint_rounding::round_jointly;
pub(super) use super::joint_rounding::HeldCells;
use crate::allocate::{Exact, Share};
use crate::calendar::{Calendar, Level};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::Units;
use crate::plan::{Breakback, Plan};

/// Rounds every group with a hold for all org leaves at once (see
/// [`round_jointly`]), so that the leaves' figures of a held period add
/// up to the hold exactly while each stays the floor or ceiling of its
/// exact share and each leaf's periods add up to its parent period.
/// `leaves` are the leaves' rounded and exact amounts; `time_shares` the
/// shares after [`Breakback::apply`]. Where no such rounding exists (rare: a
/// few members whose only fractional cents all lie in held periods), the
/// group keeps each leaf's own rounding and a warning says by how much
/// the hold is missed.
pub(super) fn cells(
    plan: &Plan,
    calendar: &Calendar,
    holds: &Breakback<'_>,
    leaves: &[(u128, Exact)],
    time_shares: &[Vec<Vec<Share>>],
) -> (HeldCells, Vec<Diagnostic>) {
    // The groups are the held periods' parents: a hold fixes a column of its siblings' table.
    let groups: Vec<(Level, usize)> = holds
        .held_periods()
        .map(|(level, i)| {
            (level.coarser().expect("the year is never held"), calendar.period(level, i).parent.expect("has a parent"))
        })
        .collect();
    let (cells, misses) = round_jointly(calendar, leaves, time_shares, &groups, |level, i| holds.hold(level, i));
    let p = plan.precision;
    let warnings = misses
        .iter()
        .filter_map(|miss| holds.written(miss.level, miss.index).map(|hold| (miss, hold)))
        .map(|(miss, hold)| {
            Diagnostic::new(
                Code::HoldMissed,
                format!(
                    "the members' figures for {} add up to {}, not the hold {}",
                    hold.label,
                    p.to_amount(Units(miss.got)),
                    p.to_amount(Units(miss.wanted))
                ),
            )
            .at(hold.origin.clone())
            .note("no rounding of each member's exact share keeps both the members' totals and the hold")
            .help("use a finer precision, or hold a coarser period")
        })
        .collect();
    (cells, warnings)
}
