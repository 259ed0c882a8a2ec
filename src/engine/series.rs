//! Stage `engine`: the output columns of a run. Each metric becomes one
//! [`Series`] (and its `_base` column when over-assigned, and the funnel's
//! activity columns after the money metric they come from); a series knows
//! where its figures come from: each org leaf's amount spread down a time
//! table, or a level every member inherits.

use crate::plan::FunnelStage;
use rust_decimal::Decimal;

use super::holds::{self, HeldCells};
use super::joint_rounding;
use super::org_tree::{Amount, OrgTree};
use super::{Column, ColumnKind, TimeTable, Value};
use crate::allocate::Exact;
use crate::calendar::Calendar;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::Units;
use crate::plan::{Breakback, Funnel, LevelTarget, MetricKind, Plan, Precision};

/// How one output column gets its figures.
#[derive(Debug)]
pub(super) enum Source<'p> {
    /// A shared metric: each org leaf's amount, spread down a time table.
    Shared {
        /// Per org leaf: rounded units and exact value.
        amounts: Vec<Amount>,
        /// Per org leaf: the index of its time table in the engine's `tables`.
        tables: Vec<usize>,
        /// The metric's own time table; a leaf with another follows a
        /// person's days in seat.
        base: usize,
        /// Groups of periods with a hold, rounded for all leaves together.
        held: HeldCells,
    },
    /// A level: every member inherits it, periods follow its path.
    Level(&'p LevelTarget),
}

/// One value column of a run.
#[derive(Debug)]
pub(super) struct Series<'p> {
    pub(super) column: Column,
    pub(super) precision: Precision,
    pub(super) source: Source<'p>,
}

/// The columns of metric `i` of the plan: its own (for a level, or a shared
/// metric spread down its leaves' time tables in `leaf_tables[i]`), its
/// `_base` column when over-assigned, and the funnel's columns when the
/// funnel works from it. A shared metric's amounts move out of `tree`.
/// Holds on the reference metric add their warnings to `warnings`.
#[allow(clippy::too_many_arguments)]
pub(super) fn metric_series<'p>(
    plan: &'p Plan,
    calendar: &Calendar,
    i: usize,
    metric_table: &[Option<usize>],
    leaf_tables: &[Vec<usize>],
    tables: &[TimeTable],
    holds: Option<&Breakback<'_>>,
    tree: &mut OrgTree<'p>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Series<'p>>> {
    let metric = &plan.metrics[i];
    let mut series = Vec::new();
    let precision = plan.precision_of(metric);
    let kind = match metric.kind {
        MetricKind::Level(ref level) => {
            if level.path.iter().any(|(label, ..)| calendar.find(label).is_none()) {
                return Err(Error::Invalid(crate::plan::check(plan)));
            }
            series.push(Series {
                column: Column { name: metric.name.clone(), kind: level_kind(level) },
                precision,
                source: Source::Level(level),
            });
            return Ok(series);
        }
        MetricKind::Amount => ColumnKind::Amount,
        MetricKind::Count => ColumnKind::Count,
    };
    let t = metric_table[i].expect("a shared metric has a table");
    let mut held = HeldCells::default();
    let cascade = plan.rounding == crate::plan::RoundingRule::Cascade;
    if !cascade {
        // Contract v2 rounds every cross-cut with the org tree (`cross_cuts.rs`):
        // held periods and counts need no rounding of their own.
    } else if let (Some(holds), true) = (holds, i == plan.reference()) {
        let (cells, hold_warnings) = holds::cells(plan, calendar, holds, &tree.amounts[i], &tables[t]);
        held = cells;
        warnings.extend(hold_warnings);
    } else if kind == ColumnKind::Count {
        held = count_cells(calendar, &tree.amounts[i], tables, &leaf_tables[i], t);
    }
    // The tree's amounts move into the series (a million leaves are
    // 64 MB); only a funnel worked out from this metric still reads them.
    let funnel_here = plan.funnel.as_ref().is_some_and(|f| f.metric == i);
    let own = if funnel_here { tree.amounts[i].clone() } else { std::mem::take(&mut tree.amounts[i]) };
    let mut columns = vec![(metric.name.clone(), own)];
    if let Some(base) = &tree.base {
        columns.push((format!("{}_base", metric.name), base[i].clone()));
    }
    for (name, amounts) in columns {
        // A base column rounds on its own: the holds' joint rounding is for the assigned figures.
        let held = if name == metric.name { held.clone() } else { HeldCells::default() };
        series.push(Series {
            column: Column { name, kind },
            precision,
            source: Source::Shared { amounts, tables: leaf_tables[i].clone(), base: t, held },
        });
    }
    if let Some(funnel) = plan.funnel.as_ref().filter(|f| f.metric == i) {
        let mut stages = funnel_series(plan, funnel, tree, &leaf_tables[i], t)?;
        for stage in stages.iter_mut().filter(|_| cascade) {
            if let Source::Shared { amounts, held, .. } = &mut stage.source {
                *held = count_cells(calendar, amounts, tables, &leaf_tables[i], t);
            }
        }
        series.extend(stages);
    }
    Ok(series)
}

/// The funnel's activity columns: each org leaf's whole activities for its
/// money (zero where `where` leaves it out), spread like a count over the
/// money metric's time tables (`tables`, per leaf).
pub(super) fn funnel_series<'p>(
    plan: &Plan,
    funnel: &Funnel,
    tree: &OrgTree<'p>,
    tables: &[usize],
    metric_table: usize,
) -> Result<Vec<Series<'p>>> {
    let precision = plan.precision_of(&plan.metrics[funnel.metric]);
    let mut counts: Vec<Vec<Amount>> = vec![Vec::with_capacity(tree.paths.len()); funnel.stages.len()];
    for (path, (units, _)) in tree.paths.iter().zip(&tree.amounts[funnel.metric]) {
        let wanted = funnel.filter.iter().all(|f| path[f.split] == f.member);
        let amount = if wanted { precision.to_amount(Units(*units)) } else { Decimal::ZERO };
        let needed = funnel.counts(amount).ok_or_else(|| {
            Error::invalid(
                Diagnostic::new(
                    Code::TooLarge,
                    format!(
                        "the funnel needs more activities than can be counted for {}",
                        if path.is_empty() { "the plan's total".to_string() } else { path.join(" / ") }
                    ),
                )
                .at(funnel.origin.clone())
                .help("raise `deal_size` or the stages' rates"),
            )
        })?;
        for (stage, n) in counts.iter_mut().zip(needed) {
            stage.push((n, Exact::from_units(n)));
        }
    }
    // Each stage's cells add up to its total, which must be writable too.
    for (FunnelStage { name, .. }, stage) in funnel.stages.iter().zip(&counts) {
        let sum = stage.iter().try_fold(0u128, |sum, (n, _)| sum.checked_add(*n));
        if sum.is_none_or(|s| s > Precision::UNIT.max_units().0) {
            return Err(Error::invalid(
                Diagnostic::new(Code::TooLarge, format!("the funnel needs more {name} in all than can be counted"))
                    .at(funnel.origin.clone())
                    .note(format!("a count is at most {}", Precision::UNIT.largest()))
                    .help("raise `deal_size` or the stages' rates"),
            ));
        }
    }
    Ok(funnel
        .stages
        .iter()
        .zip(counts)
        .map(|(FunnelStage { name, .. }, amounts)| Series {
            column: Column { name: name.clone(), kind: ColumnKind::Count },
            precision: Precision::UNIT,
            source: Source::Shared { amounts, tables: tables.to_vec(), base: metric_table, held: HeldCells::default() },
        })
        .collect())
}

/// Whole counts are rounded for all leaves together at the quarters and
/// months, so that the company's quarters and months are the count's own
/// cascade (100 a year with weights 20/30/40/10 shows 20/30/40/10, not
/// 21/30/39/10). Not for leaves on their own time tables (people in seat
/// part of the year): their periods do not share one shape.
pub(super) fn count_cells(
    calendar: &Calendar,
    amounts: &[Amount],
    tables: &[TimeTable],
    leaf_tables: &[usize],
    table: usize,
) -> HeldCells {
    if leaf_tables.iter().any(|&t| t != table) {
        return HeldCells::default();
    }
    let total = amounts.iter().map(|(units, _)| units).sum();
    joint_rounding::count_cells(calendar, amounts, &tables[table], total)
}

/// How a level's values are shown: percentages as ratios, else as numbers.
pub(super) fn level_kind(target: &LevelTarget) -> ColumnKind {
    if target.percent {
        ColumnKind::Ratio
    } else {
        ColumnKind::Level
    }
}

pub(super) fn level_value(target: &LevelTarget, value: Decimal) -> Value {
    if target.percent {
        Value::Ratio(value.normalize())
    } else {
        Value::Amount(value)
    }
}
