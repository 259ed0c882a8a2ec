//! Stage `allocate`: controlled rounding of a two-way table with its margins
//! (Cox 1987), for figures shown in a coarser unit than they were computed in
//! (a table in 万 shows whole hundredths of 万, that is whole steps of 100
//! yuan).
//!
//! Given a table of exact values (integers in some base unit, `None` where
//! the table has no cell) and a step (the shown unit, in base units), every
//! cell, every row total, every column total and the grand total becomes the
//! floor or the ceiling of its exact value in whole steps, and every row of
//! rounded cells adds up to its rounded total, every column to its rounded
//! total and both to the rounded grand total. Rounding each figure to the
//! nearest step on its own keeps the first promise and breaks the second.
//!
//! **Why it always exists** (Cox 1987, "A constructive procedure for
//! unbiased controlled rounding", JASA 82: 520-524). Write each cell's exact
//! value as `floor · step + rem` with `0 <= rem < step`. A cell is shown as its
//! floor plus `x` with `x` in {0, 1} (and `x = 0` when `rem = 0`). A row's
//! rounded total is its cells' floors plus `floor(Σrem / step)` or that plus
//! one (only when `Σrem` is not a multiple of `step`), so the row needs
//! `Σx` in `[floor(Σrem / step), ceil(Σrem / step)]`; likewise each column
//! and the grand total. That is a circulation with lower bounds:
//! `S -> row` in the row's range, `row -> column` in `[0, 1]` for each cell
//! with a remainder, `column -> T` in the column's range, `T -> S` in the
//! grand total's range. `x = rem / step` is a feasible *fractional*
//! circulation (each range contains its exact sum), and a network with
//! integer bounds that has a feasible circulation has an integral one
//! (integrality of flows), so a controlled rounding always exists.
//!
//! **How it is found**, in two tries.
//!
//! 1. *Nearest margins.* The grand total takes its nearer value (the ceiling
//!    from half a step up); the row totals are shared from it by the largest
//!    remainders (each row its floor, the units left one each to the rows with
//!    the larger remainders, ties to the earlier row), and so are the column
//!    totals: the margins a careful person would write down. The cells are
//!    fitted to those exact margins by a max flow (`S -> row` its extra
//!    units, `row -> column` one per cell with a remainder, `column -> T` its
//!    extra units); it succeeds when the flow carries every unit. That is the
//!    usual case; it can fail when too many cells are exact.
//! 2. *Any margins.* The circulation above. Its lower bounds are removed by
//!    the usual reduction (an edge `u -> v` in `[lo, hi]` becomes one of
//!    capacity `hi - lo`; `v` is owed `lo` units from a super source, `u`
//!    owes `lo` to a super sink), and a max flow between the super source
//!    and the super sink saturates every super edge exactly when the bounds
//!    can be met, which they always can. A margin then takes its ceiling only
//!    when the bounds force it, with one exception: when the grand total's
//!    ceiling is the nearer and one more unit can reach it through rows and
//!    columns whose ceilings are the nearer too, a second flow from S to T
//!    carries it (the super source and sink closed, so every bound stays met,
//!    and no margin moved away from its nearer value).
//!
//! Both use Dinic's algorithm, which terminates: each phase's breadth-first
//! search finds a strictly longer shortest augmenting path than the last,
//! paths have at most as many edges as there are nodes, and each phase ends
//! after finitely many augmentations, each carrying at least one of the
//! finitely many units the super source has to give.
//!
//! **Deterministic.** Edges are added in a fixed order: rows first to last
//! (in the second try, their free units by larger remainder first), each
//! row's cells by larger remainder first, ties to the earlier row or column.
//! The search tries edges in the order they were added, so extra units go
//! first to the larger fractional parts and the earlier rows and columns,
//! and the same table always gives the same rounding. It is not the rounding
//! nearest to the exact table in every sense (that is a min-cost flow, far
//! slower on a table of a whole year's days); every figure is within one
//! step of its exact value, which is what the table promises.
//! (`controlled.rs` has a Dinic of its own for the engine's tables of holds;
//! the two could share one.)

use super::max_flow::{Bounded, Dinic};

/// A table rounded to whole steps by [`round_table`]: every figure the floor
/// or the ceiling of its exact value, every row and column adding up to its
/// total and both to the grand total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundedTable {
    /// Per row, per column: the cell in whole steps, `None` where the table
    /// has no cell.
    pub cells: Vec<Vec<Option<i128>>>,
    /// Per row: the sum of its rounded cells.
    pub row_totals: Vec<i128>,
    /// Per column: the sum of its rounded cells.
    pub column_totals: Vec<i128>,
    /// The sum of every rounded cell.
    pub total: i128,
}

/// Rounds a table of exact values, integers in a base unit, to whole steps of
/// `step` base units, with controlled rounding (module docs). Every row of
/// `values` has `columns` entries. `None` when `step` is not positive, a row
/// has another length, or a sum does not fit in 128 bits.
pub fn round_table(values: &[Vec<Option<i128>>], columns: usize, step: i128) -> Option<RoundedTable> {
    if step <= 0 || values.iter().any(|row| row.len() != columns) {
        return None;
    }
    let rows = values.len();
    let mut cells: Vec<Vec<Option<i128>>> = Vec::with_capacity(rows);
    let mut row_rems = vec![0i128; rows];
    let mut col_rems = vec![0i128; columns];
    let mut all_rems: i128 = 0;
    for (i, row) in values.iter().enumerate() {
        let mut floors = Vec::with_capacity(columns);
        for (j, v) in row.iter().enumerate() {
            floors.push(v.map(|v| v.div_euclid(step)));
            let rem = v.map_or(0, |v| v.rem_euclid(step));
            row_rems[i] = row_rems[i].checked_add(rem)?;
            col_rems[j] = col_rems[j].checked_add(rem)?;
            all_rems = all_rems.checked_add(rem)?;
        }
        cells.push(floors);
    }
    let ups = at_nearest_margins(values, &row_rems, &col_rems, all_rems, step)
        .or_else(|| within_margins(values, &row_rems, &col_rems, all_rems, step))?;
    for (i, j) in ups {
        if let Some(cell) = cells[i][j].as_mut() {
            *cell += 1;
        }
    }
    let row_totals = cells.iter().map(|r| checked_sum(r.iter().flatten().copied())).collect::<Option<Vec<i128>>>()?;
    let column_totals =
        (0..columns).map(|j| checked_sum(cells.iter().filter_map(|r| r[j]))).collect::<Option<Vec<i128>>>()?;
    let total = checked_sum(row_totals.iter().copied())?;
    Some(RoundedTable { cells, row_totals, column_totals, total })
}

/// The extra units a margin with remainders `rems` takes above its cells'
/// floors, `[lo, hi]`, and whether its ceiling is the nearer (a remainder of
/// half a step or more).
fn range(rems: i128, step: i128) -> Option<(i64, i64, bool)> {
    let lo = i64::try_from(rems / step).ok()?;
    let rem = rems % step;
    Some((lo, lo + i64::from(rem != 0), rem != 0 && rem >= step - rem))
}

/// Indices by larger remainder first, ties to the earlier index.
fn by_remainder(rems: impl Iterator<Item = i128>) -> Vec<usize> {
    let mut order: Vec<(i128, usize)> = rems.zip(0..).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, i)| i).collect()
}

/// Each margin's extra units when `extra` are shared among them by the
/// largest remainders (one each above its floor, larger remainders first,
/// ties to the earlier): every margin's rounding nearest to its exact value
/// that adds up to `extra`. `None` when `extra` is out of reach.
fn largest_remainders(rems: &[i128], step: i128, extra: i64) -> Option<Vec<i64>> {
    let mut out = rems.iter().map(|&r| range(r, step).map(|(lo, _, _)| lo)).collect::<Option<Vec<i64>>>()?;
    let mut left = extra.checked_sub(out.iter().sum())?;
    for i in by_remainder(rems.iter().map(|r| r % step)) {
        if left > 0 && rems[i] % step != 0 {
            out[i] += 1;
            left -= 1;
        }
    }
    (left == 0).then_some(out)
}

/// Each row's cells with a remainder, by larger remainder first, ties to the
/// earlier column: the order a row's extra units are offered in.
fn cell_order(row: &[Option<i128>], step: i128) -> Vec<usize> {
    let rems: Vec<i128> = row.iter().map(|v| v.map_or(0, |v| v.rem_euclid(step))).collect();
    by_remainder(rems.iter().copied()).into_iter().filter(|&j| rems[j] > 0).collect()
}

/// The first try: the grand total at its nearer value, the row totals and
/// the column totals each shared from it by the largest remainders (what a
/// careful person would write for the margins alone), and the cells fitted
/// to those margins by a max flow (S -> row: its extra units; row -> column:
/// one per cell with a remainder; column -> T: its extra units). `None` when
/// the cells cannot meet those margins; the cells with an extra unit otherwise.
fn at_nearest_margins(
    values: &[Vec<Option<i128>>],
    row_rems: &[i128],
    col_rems: &[i128],
    all_rems: i128,
    step: i128,
) -> Option<Vec<(usize, usize)>> {
    let (lo, hi, up) = range(all_rems, step)?;
    let grand = if up { hi } else { lo };
    let row_extra = largest_remainders(row_rems, step, grand)?;
    let col_extra = largest_remainders(col_rems, step, grand)?;
    let (rows, columns) = (row_rems.len(), col_rems.len());
    let (s, t) = (0, 1);
    let mut flow = Dinic::new(2 + rows + columns);
    let mut cell_edges = Vec::new();
    for (i, row) in values.iter().enumerate() {
        if row_extra[i] > 0 {
            flow.edge(s, 2 + i, row_extra[i]);
        }
        cell_edges.extend(cell_order(row, step).into_iter().map(|j| (i, j, flow.edge(2 + i, 2 + rows + j, 1))));
    }
    for (j, &extra) in col_extra.iter().enumerate() {
        if extra > 0 {
            flow.edge(2 + rows + j, t, extra);
        }
    }
    if flow.max_flow(s, t) != grand {
        return None;
    }
    Some(cell_edges.into_iter().filter(|&(_, _, e)| flow.used(e) > 0).map(|(i, j, _)| (i, j)).collect())
}

/// The general case, always feasible (module docs): every margin between its
/// floor and ceiling, found by a circulation with lower bounds; the cells
/// with an extra unit.
fn within_margins(
    values: &[Vec<Option<i128>>],
    row_rems: &[i128],
    col_rems: &[i128],
    all_rems: i128,
    step: i128,
) -> Option<Vec<(usize, usize)>> {
    let (rows, columns) = (row_rems.len(), col_rems.len());
    let (s, t) = (0, 1);
    let row = |i: usize| 2 + i;
    let col = |j: usize| 2 + rows + j;
    let mut net = Bounded::new(2 + rows + columns);
    // Margins that may take one more unit: (edge, whether that is nearer).
    let mut optional: Vec<(usize, bool)> = Vec::new();
    for i in by_remainder(row_rems.iter().map(|r| r % step)) {
        let (lo, hi, up) = range(row_rems[i], step)?;
        optional.extend(net.free_edge(s, row(i), lo, hi).map(|e| (e, up)));
    }
    let mut cell_edges = Vec::new();
    for (i, values) in values.iter().enumerate() {
        cell_edges.extend(cell_order(values, step).into_iter().map(|j| (i, j, net.flow.edge(row(i), col(j), 1))));
    }
    for (j, &rems) in col_rems.iter().enumerate() {
        let (lo, hi, up) = range(rems, step)?;
        optional.extend(net.free_edge(col(j), t, lo, hi).map(|e| (e, up)));
    }
    let (lo, hi, up) = range(all_rems, step)?;
    let grand = net.free_edge(t, s, lo, hi);
    if !net.feasible() {
        // Cannot happen (module docs): the exact table is a feasible fractional flow.
        return None;
    }
    // The bounds met, the grand total may still take its nearer ceiling: one
    // more unit from S to T through margins whose ceilings are nearer.
    if let Some(g) = grand.filter(|&g| up && net.flow.used(g) == 0) {
        net.close_super();
        for &(e, up) in &optional {
            // Not up where the floor is nearer, never down where the ceiling is.
            net.flow.cap[if up { e ^ 1 } else { e }] = 0;
        }
        net.flow.cap[g] = 0;
        net.flow.cap[g ^ 1] = 0;
        if net.flow.levels(s, t) {
            net.flow.next.fill(0);
            net.flow.augment(s, t);
        }
    }
    Some(cell_edges.into_iter().filter(|&(_, _, e)| net.flow.used(e) > 0).map(|(i, j, _)| (i, j)).collect())
}

/// The sum, or `None` when it does not fit.
fn checked_sum(mut values: impl Iterator<Item = i128>) -> Option<i128> {
    values.try_fold(0i128, i128::checked_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks every promise of [`round_table`] against the exact values.
    fn check(values: &[Vec<Option<i128>>], columns: usize, step: i128) -> RoundedTable {
        let r = round_table(values, columns, step).expect("a controlled rounding always exists");
        let within = |shown: i128, exact: i128| {
            let floor = exact.div_euclid(step);
            shown == floor || (exact.rem_euclid(step) != 0 && shown == floor + 1)
        };
        let mut col_exact = vec![0i128; columns];
        for (i, row) in values.iter().enumerate() {
            let mut row_exact = 0;
            for (j, v) in row.iter().enumerate() {
                assert_eq!(v.is_some(), r.cells[i][j].is_some());
                if let (Some(v), Some(shown)) = (v, r.cells[i][j]) {
                    assert!(within(shown, *v), "cell ({i}, {j}) = {shown} for {v}");
                    row_exact += v;
                    col_exact[j] += v;
                }
            }
            assert!(within(r.row_totals[i], row_exact), "row {i}");
            assert_eq!(r.row_totals[i], r.cells[i].iter().flatten().sum::<i128>());
        }
        for j in 0..columns {
            assert!(within(r.column_totals[j], col_exact[j]), "column {j}");
            assert_eq!(r.column_totals[j], r.cells.iter().filter_map(|row| row[j]).sum::<i128>());
        }
        assert!(within(r.total, col_exact.iter().sum()));
        assert_eq!(r.total, r.row_totals.iter().sum::<i128>());
        assert_eq!(r.total, r.column_totals.iter().sum::<i128>());
        r
    }

    fn table(rows: &[&[i128]]) -> Vec<Vec<Option<i128>>> {
        rows.iter().map(|r| r.iter().map(|&v| Some(v)).collect()).collect()
    }

    #[test]
    fn naive_rounding_does_not_add_up_and_controlled_rounding_does() {
        // An even year in 亿 (step 0.01亿 = 1,000,000 yuan, in cents: 10^8):
        // twelve months of 833,333.33 yuan each round to 0.01 on their own,
        // 0.12 in all, while the year of 10,000,000 shows as 0.10.
        let month = 83_333_333i128;
        let step = 100_000_000;
        let values = table(&[&[
            month + 1,
            month,
            month,
            month + 1,
            month,
            month,
            month + 1,
            month,
            month,
            month + 1,
            month,
            month,
        ]]);
        let naive: i128 = values[0].iter().flatten().map(|v| (v + step / 2) / step).sum();
        let year: i128 = values[0].iter().flatten().sum();
        assert_ne!(naive, (year + step / 2) / step, "naive rounding does not add up");
        let r = check(&values, 12, step);
        assert_eq!(r.total, 10);
        // Ten months show 0.01 and two show 0.00: the first-written ties win.
        assert_eq!(r.cells[0].iter().flatten().filter(|&&c| c == 1).count(), 10);
        assert_eq!(r.cells[0][0], Some(1));
    }

    #[test]
    fn a_two_way_table_adds_up_both_ways() {
        // Thirds and two-thirds of a step: every naive row and column is off.
        let v = table(&[&[33, 33, 34], &[33, 34, 33], &[34, 33, 33]]);
        let r = check(&v, 3, 100);
        assert_eq!(r.row_totals, vec![1, 1, 1]);
        assert_eq!(r.column_totals, vec![1, 1, 1]);
        // Each row's unit goes to its largest remainder.
        assert_eq!(r.cells[0], vec![Some(0), Some(0), Some(1)]);
        assert_eq!(r.cells[2], vec![Some(1), Some(0), Some(0)]);
        // Exact multiples are kept, negative values floor downwards, gaps stay gaps.
        let v = vec![vec![Some(200), None, Some(-150)], vec![Some(50), Some(50), Some(0)]];
        let r = check(&v, 3, 100);
        assert_eq!(r.cells[0][0], Some(2));
        assert_eq!(r.cells[0][1], None);
        assert_eq!(r.cells[1][2], Some(0));
        assert!(round_table(&v, 2, 100).is_none(), "rows must have `columns` entries");
        assert!(round_table(&v, 3, 0).is_none());
        assert_eq!(check(&[], 0, 7).total, 0);
    }

    #[test]
    fn random_tables_always_round() {
        // A small linear congruential generator: reproducible tables of every shape.
        let mut seed: u64 = 20_261_127;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let mut fallbacks = 0;
        for _ in 0..2000 {
            let rows = usize::try_from(next(7)).unwrap();
            let columns = usize::try_from(next(7)).unwrap();
            let step = 1 + i128::from(next(1000));
            // Some cells missing, some exact (no remainder), most fractional, a few negative.
            let values: Vec<Vec<Option<i128>>> = (0..rows)
                .map(|_| {
                    (0..columns)
                        .map(|_| match next(8) {
                            0 => None,
                            1 | 2 => Some(i128::from(next(40)) * step - 5 * step),
                            _ => Some(i128::from(next(50_000)) - 5_000),
                        })
                        .collect()
                })
                .collect();
            let first = check(&values, columns, step);
            assert_eq!(round_table(&values, columns, step), Some(first), "deterministic");
            let (row_rems, col_rems, all): (Vec<i128>, Vec<i128>, i128) = (
                values.iter().map(|r| r.iter().flatten().map(|v| v.rem_euclid(step)).sum()).collect(),
                (0..columns).map(|j| values.iter().filter_map(|r| r[j]).map(|v| v.rem_euclid(step)).sum()).collect(),
                values.iter().flatten().flatten().map(|v| v.rem_euclid(step)).sum(),
            );
            fallbacks += usize::from(at_nearest_margins(&values, &row_rems, &col_rems, all, step).is_none());
        }
        assert!(fallbacks > 5, "the second try is exercised too: {fallbacks}");
    }

    #[test]
    fn when_the_nearest_margins_cannot_be_met_any_margins_can() {
        // Rows 0.6 and 0.4, columns 0.3, 0.3 and 0.4, one in all: the nearest margins give the
        // unit to row 0 and to column 2, and row 0 has no cell in column 2.
        let values = vec![vec![Some(30), Some(30), Some(0)], vec![Some(0), Some(0), Some(40)]];
        assert_eq!(at_nearest_margins(&values, &[60, 40], &[30, 30, 40], 100, 100), None);
        let r = check(&values, 3, 100);
        assert_eq!(r.total, 1);
    }
}
