//! Stage `engine`: the pivots of a workbook's Summary sheet, summed as the
//! cells stream to the workbook, so that the xlsx renderer only lays them out:
//! every pivot, each member of the first split's subtotals, and a tracking
//! report's attainment per row.

use std::ops::Range;

use rust_decimal::{Decimal, RoundingStrategy};

use super::{Cell, CellSink, Crosstab, Dim, Header, Value};

/// Decimals of an attainment (as the tracking report's `attainment` column).
const RATIO_DECIMALS: u32 = 4;

/// The pivots a run's summary shows, each a finished [`Crosstab`] with every
/// split down the side (in order) and the periods across — calendar months
/// when the breakdown is by week, day or slot (`monthly`), so that a director
/// reads 12 columns, not 365: for a tracking report `actual_to_date` then
/// `target_to_date` (what a sales director compares), else every column that
/// adds up (every amount and count metric). No pivot when no column adds up.
/// With two splits or more, each pivot's rows are grouped by the member of
/// the first split (rows in order of first appearance), each group with its
/// subtotals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// The pivots, in the order above.
    pub pivots: Vec<Crosstab>,
    /// Whether the periods across are calendar months of a finer breakdown.
    pub monthly: bool,
    /// One list per pivot: the groups of its rows by the first split's
    /// member; empty with fewer than two splits.
    pub groups: Vec<Vec<SummaryGroup>>,
    /// For a tracking report: each row's attainment, and the band that
    /// counts as on track.
    pub attainment: Option<SummaryAttainment>,
}

/// The rows of one member of the first split in a [`Summary`] pivot, and
/// their subtotals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryGroup {
    /// The first split's member.
    pub member: String,
    /// Its rows, as indices of the pivot's `rows`.
    pub rows: Range<usize>,
    /// The sum of those rows' figures in each column of the pivot.
    pub values: Vec<Decimal>,
    /// The sum of those rows' totals.
    pub total: Decimal,
}

/// A tracking summary's attainment: `actual_to_date / target_to_date` of the
/// row totals, rounded to 4 decimals half away from zero (as the report's
/// `attainment`); `None` where nothing was due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryAttainment {
    /// One per row of the pivots.
    pub rows: Vec<Option<Decimal>>,
    /// One per group of [`Summary::groups`].
    pub groups: Vec<Option<Decimal>>,
    /// Of the grand totals.
    pub total: Option<Decimal>,
    /// Below this attainment a row is behind (1 - tolerance).
    pub behind_below: Decimal,
    /// Above this attainment a row is ahead (1 + tolerance).
    pub ahead_above: Decimal,
}

impl Summary {
    /// The columns of `header` that the summary pivots.
    fn columns(header: &Header) -> Vec<usize> {
        let find = |name: &str| header.columns.iter().position(|c| c.name == name && c.kind.adds_up());
        match find("actual_to_date") {
            Some(actual) => std::iter::once(actual).chain(find("target_to_date")).collect(),
            None => header.columns.iter().enumerate().filter(|(_, c)| c.kind.adds_up()).map(|(i, _)| i).collect(),
        }
    }

    /// Orders each pivot's rows by their first key (stable), groups them and
    /// works out the attainment.
    fn finish(&mut self, header: &Header) {
        self.groups.clear();
        for pivot in &mut self.pivots {
            if header.splits.len() < 2 {
                self.groups.push(Vec::new());
                continue;
            }
            let mut order: Vec<&str> = Vec::new();
            for row in &pivot.rows {
                if !order.contains(&row.keys[0].as_str()) {
                    order.push(&row.keys[0]);
                }
            }
            let rank: Vec<usize> =
                pivot.rows.iter().map(|r| order.iter().position(|m| *m == r.keys[0]).unwrap_or(0)).collect();
            let mut rows: Vec<_> = std::mem::take(&mut pivot.rows).into_iter().zip(rank).collect();
            rows.sort_by_key(|(_, rank)| *rank);
            pivot.rows = rows.into_iter().map(|(r, _)| r).collect();
            let mut groups: Vec<SummaryGroup> = Vec::new();
            for (i, row) in pivot.rows.iter().enumerate() {
                let open = groups.last().is_some_and(|g| g.member == row.keys[0]);
                if !open {
                    groups.push(SummaryGroup {
                        member: row.keys[0].clone(),
                        rows: i..i,
                        values: vec![Decimal::ZERO; pivot.columns.len()],
                        total: Decimal::ZERO,
                    });
                }
                let group = groups.last_mut().expect("pushed above");
                group.rows.end = i + 1;
                for (sum, value) in group.values.iter_mut().zip(&row.values) {
                    *sum += value.unwrap_or_default();
                }
                group.total += row.total;
            }
            self.groups.push(groups);
        }
        self.attainment = match (&header.as_of, self.pivots.as_slice()) {
            (Some(as_of), [actual, target]) if !as_of.replan && actual.rows.len() == target.rows.len() => {
                let ratio = |a: Decimal, t: Decimal| {
                    (t > Decimal::ZERO)
                        .then(|| (a / t).round_dp_with_strategy(RATIO_DECIMALS, RoundingStrategy::MidpointAwayFromZero))
                };
                let groups = match (self.groups.first(), self.groups.get(1)) {
                    (Some(a), Some(t)) => a.iter().zip(t).map(|(a, t)| ratio(a.total, t.total)).collect(),
                    _ => Vec::new(),
                };
                Some(SummaryAttainment {
                    rows: actual.rows.iter().zip(&target.rows).map(|(a, t)| ratio(a.total, t.total)).collect(),
                    groups,
                    total: ratio(actual.total, target.total),
                    behind_below: Decimal::ONE - as_of.tolerance,
                    ahead_above: Decimal::ONE + as_of.tolerance,
                })
            }
            _ => None,
        };
    }
}

/// A renderer that takes a run's cells and, at the end, its [`Summary`]
/// (fed through [`Summarised`]): `begin`, every `cell`, then `finish`.
pub trait SummarySink {
    /// Called once before any cell.
    fn begin(&mut self, header: &Header) -> std::io::Result<()>;
    /// Called once per cell, in output order.
    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()>;
    /// Called once at the end with the run's totals (as [`CellSink::finish`])
    /// and the finished summary.
    fn finish(&mut self, totals: &[Value], summary: Summary) -> std::io::Result<()>;
}

/// A [`CellSink`] that passes every cell on to a [`SummarySink`] as it
/// arrives and sums it into the summary's pivots on the way.
pub struct Summarised<S> {
    sink: S,
    summary: Summary,
    header: Option<Header>,
}

impl<S: SummarySink> Summarised<S> {
    /// Feeds `sink`.
    pub fn new(sink: S) -> Summarised<S> {
        Summarised { sink, summary: Summary::default(), header: None }
    }
}

impl<S: SummarySink> CellSink for Summarised<S> {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.summary = Summary::default();
        // Weeks, days and slots are summed into their calendar months.
        self.summary.monthly = matches!(header.time.as_str(), "week" | "day" | "slot");
        let across = if self.summary.monthly { Dim::Month } else { Dim::Period };
        for column in Summary::columns(header) {
            let mut pivot = Crosstab::new(column, (0..header.splits.len()).map(Dim::Split).collect(), across);
            pivot.begin(header)?;
            self.summary.pivots.push(pivot);
        }
        self.header = Some(header.clone());
        self.sink.begin(header)
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.sink.cell(cell)?;
        for pivot in &mut self.summary.pivots {
            pivot.cell(cell)?;
        }
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        for pivot in &mut self.summary.pivots {
            pivot.finish(totals)?;
        }
        if let Some(header) = &self.header {
            self.summary.finish(header);
        }
        self.sink.finish(totals, std::mem::take(&mut self.summary))
    }
}
