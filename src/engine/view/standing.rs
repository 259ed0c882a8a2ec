//! Stage `engine`: a tracking report's attainment to date per member, for a
//! bar chart with the tolerance band — each member's attainment and status
//! as the report has them, and the bar lengths and band edges as exact
//! fractions of the chart's scale, so that the renderer only draws them.

use rust_decimal::Decimal;

use super::{Listing, Value};

/// One member's bar in a [`Standing`] chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StandingRow {
    /// The member names, one per split of the run.
    pub members: Vec<String>,
    /// The attainment to date as the report has it; `None` where nothing was due.
    pub attainment: Option<Decimal>,
    /// The status word (`behind`, `on track`, `ahead`, ...), as the report's.
    pub status: &'static str,
    /// The bar's length: the attainment over [`Standing::scale`], 0 to 1.
    pub bar: Decimal,
}

/// Attainment to date per member and of everything, with the band that
/// counts as on track. Invariant: every fraction is from 0 to 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The split names of the members.
    pub splits: Vec<String>,
    /// One bar per member, in the report's order.
    pub rows: Vec<StandingRow>,
    /// The attainment the full length of a bar stands for: the largest
    /// attainment shown, at least the band's top, rounded up to 10%.
    pub scale: Decimal,
    /// Below this attainment a member is behind (1 - tolerance).
    pub behind_below: Decimal,
    /// Above this attainment a member is ahead (1 + tolerance).
    pub ahead_above: Decimal,
    /// Where the band starts, 100% and the band ends, over `scale`.
    pub marks: [Decimal; 3],
    /// The attainment of everything (the report's Total row).
    pub total: Option<Decimal>,
    /// The total row's status word.
    pub total_status: &'static str,
}

impl Standing {
    /// The chart of `listing`, a tracking report at a single period (the
    /// year, or the `--period`), with `tolerance`.
    pub(super) fn of(listing: &Listing, tolerance: Decimal) -> Standing {
        let header = listing.header.as_ref();
        let at = |name: &str| header.and_then(|h| h.columns.iter().position(|c| c.name == name));
        let (attainment, status) = (at("attainment"), at("status"));
        let ratio = |values: &[Value]| match attainment.and_then(|i| values.get(i)) {
            Some(Value::Ratio(r)) => Some(*r),
            _ => None,
        };
        let word = |values: &[Value]| match status.and_then(|i| values.get(i)) {
            Some(Value::Text(t)) => *t,
            _ => "",
        };
        let behind_below = Decimal::ONE - tolerance;
        let ahead_above = Decimal::ONE + tolerance;
        let most = listing.rows.iter().filter_map(|r| ratio(&r.values)).fold(ahead_above, Decimal::max);
        // Whole tenths, so that the axis reads 0%..120%, not 0%..117.34%.
        let tenth = Decimal::new(1, 1);
        let scale = ((most / tenth).ceil() * tenth).max(tenth);
        let over = |d: Decimal| (d.max(Decimal::ZERO) / scale).min(Decimal::ONE);
        Standing {
            splits: header.map(|h| h.splits.clone()).unwrap_or_default(),
            rows: listing
                .rows
                .iter()
                .map(|r| StandingRow {
                    members: r.members.clone(),
                    attainment: ratio(&r.values),
                    status: word(&r.values),
                    bar: ratio(&r.values).map_or(Decimal::ZERO, over),
                })
                .collect(),
            scale,
            behind_below,
            ahead_above,
            marks: [over(behind_below), over(Decimal::ONE), over(ahead_above)],
            total: ratio(&listing.totals),
            total_status: word(&listing.totals),
        }
    }
}
