//! Stage `allocate`: controlled rounding of a table — rows whose rounded
//! totals are given, some columns whose totals are given too (held periods),
//! the other columns free. Every cell becomes the floor or the ceiling of its
//! exact value, each row adds up to its total and each fixed column to its
//! total. It is a flow problem (rows send their leftover units to cells,
//! cells to columns); a max flow with lower bounds (Dinic's algorithm) finds
//! an assignment whenever one exists.
//!
//! [`controlled_round_tree`] rounds rows that each carry a whole tree of
//! cells (an org node's children, each with its time tree) against column
//! bounds on the same tree (the node's own figures, fixed or free between
//! floor and ceiling).
//!
//! [`controlled_round_nested`] does the same for a table whose columns come
//! in groups (months within quarters): each row's group figures and cell
//! figures are rounded together, in one flow, so that a row's cells add up to
//! its groups and its groups to its total, while the cell columns keep theirs.

use super::max_flow::{Bounded, Dinic};

/// One row of the table: its rounded total, and per column the floor of the
/// cell's exact value and the rank of its fractional part (`None` when the
/// cell is exact, so it cannot take a leftover unit; lower rank = larger
/// fraction, tried first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    /// The row's rounded total, in units.
    pub total: u128,
    /// Per column: (floor in units, rank of its fraction among the row's cells).
    pub cells: Vec<(u128, Option<usize>)>,
}

/// Rounds `rows` so that each row adds up to its total and each column with
/// `Some(total)` in `columns` adds up to that total. Returns the cell values
/// row by row, or `None` when no rounding to floors and ceilings can meet
/// every total.
pub fn controlled_round(rows: &[TableRow], columns: &[Option<u128>]) -> Option<Vec<Vec<u128>>> {
    let (r, c) = (rows.len(), columns.len());
    let (s, t, s2, t2) = (0, 1, 2 + r + c, 3 + r + c);
    let row = |i: usize| 2 + i;
    let col = |j: usize| 2 + r + j;
    let mut flow = Dinic::new(4 + r + c);
    let mut need: i64 = 0;
    let mut cell_edges = Vec::with_capacity(r);
    for (i, rw) in rows.iter().enumerate() {
        let floors: u128 = rw.cells.iter().map(|(f, _)| f).sum();
        let extra = i64::try_from(rw.total.checked_sub(floors)?).ok()?;
        // S -> row with exactly `extra` units: S' feeds the row, S pays to T'.
        flow.edge(s2, row(i), extra);
        flow.edge(s, t2, extra);
        need += extra;
        let mut order: Vec<(usize, usize)> =
            rw.cells.iter().enumerate().filter_map(|(j, (_, rank))| rank.map(|k| (k, j))).collect();
        order.sort_unstable();
        let edges: Vec<(usize, usize)> = order.into_iter().map(|(_, j)| (j, flow.edge(row(i), col(j), 1))).collect();
        cell_edges.push(edges);
    }
    for (j, total) in columns.iter().enumerate() {
        match total {
            Some(total) => {
                let floors: u128 = rows.iter().map(|rw| rw.cells[j].0).sum();
                let extra = i64::try_from(total.checked_sub(floors)?).ok()?;
                // col -> T with exactly `extra` units.
                flow.edge(col(j), t2, extra);
                flow.edge(s2, t, extra);
                need += extra;
            }
            None => {
                flow.edge(col(j), t, i64::MAX / 4);
            }
        }
    }
    flow.edge(t, s, i64::MAX / 4);
    if flow.max_flow(s2, t2) != need {
        return None;
    }
    let mut out: Vec<Vec<u128>> = rows.iter().map(|rw| rw.cells.iter().map(|(f, _)| *f).collect()).collect();
    for (i, edges) in cell_edges.iter().enumerate() {
        for &(j, e) in edges {
            if flow.used(e) > 0 {
                out[i][j] += 1;
            }
        }
    }
    Some(out)
}

/// One row of a two-level table for [`controlled_round_nested`]: a row's
/// figure is split into groups (say, an org leaf's year into quarters) and
/// each group into cells (its months).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedRow {
    /// The row's rounded total, and per group the floor of the group's exact
    /// value and the rank of its fractional part among the row's groups
    /// (`None` when the group is exact; lower rank = larger fraction).
    pub groups: TableRow,
    /// Per group, its cells: the floor of each cell's exact value and the
    /// rank of its fractional part among the group's cells (`None` when exact).
    /// A group's exact value must be the sum of its cells' exact values.
    pub cells: Vec<Vec<(u128, Option<usize>)>>,
}

/// One row's figures from [`controlled_round_nested`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NestedRounding {
    /// Per group, its rounded figure; they add up to the row's total.
    pub groups: Vec<u128>,
    /// Per group, its cells' rounded figures; they add up to the group's figure.
    pub cells: Vec<Vec<u128>>,
}

/// Rounds a two-level table in one go: every group figure becomes the floor
/// or the ceiling of the group's exact value, every cell figure the floor or
/// the ceiling of the cell's exact value, each row's groups add up to its
/// total, each group's cells to the group's figure, and each cell column with
/// `Some(total)` in `columns` adds up to that total over the rows. `columns`
/// lists the cell columns group by group (group 0's cells, then group 1's,
/// ...), as do the rows' `cells`; every row has the same shape. When every
/// cell column has a total, the group columns' sums follow from them.
///
/// Returns each row's figures, in row order, or `None` when no such rounding
/// exists. Units go first to the larger fractional parts (by the ranks given)
/// and the earlier rows, so the result is deterministic and, as far as the
/// totals allow, near each row's own rounding; it is not guaranteed to equal
/// it even when that would meet every total.
///
/// The flow: S -> row (exactly its total minus its cells' floors) -> (row,
/// group) (between the group's floor and ceiling, minus its cells' floors) ->
/// column (one unit per fractional cell) -> T (exactly the column's total
/// minus its floors, or anything for a free column); lower bounds by the
/// usual reduction to a max flow between a super source and a super sink.
///
/// # Panics
///
/// When a row's shape does not match `columns`.
// r, c, s, t: rows, columns, source and sink, as in the max-flow literature.
#[allow(clippy::many_single_char_names)]
pub fn controlled_round_nested(rows: &[NestedRow], columns: &[Option<u128>]) -> Option<Vec<NestedRounding>> {
    let groups = rows.first().map_or(0, |rw| rw.groups.cells.len());
    let (r, c) = (rows.len(), columns.len());
    let (s, t) = (0, 1);
    let row = |i: usize| 2 + i;
    let group = |i: usize, g: usize| 2 + r + i * groups + g;
    let col = |j: usize| 2 + r + r * groups + j;
    let mut net = Bounded::new(2 + r + r * groups + c);
    // Per row, per group, the (column, edge) of each fractional cell.
    let mut cell_edges: Vec<Vec<Vec<(usize, usize)>>> = Vec::with_capacity(r);
    let mut col_floors = vec![0u128; c];
    for (i, rw) in rows.iter().enumerate() {
        assert_eq!(rw.groups.cells.len(), groups, "row {i} has {groups} groups");
        assert_eq!(rw.cells.len(), groups, "row {i} has cells for each of its groups");
        let mut first = 0;
        let mut row_floors: u128 = 0;
        let mut spans = Vec::with_capacity(groups);
        for cells in &rw.cells {
            let floors = cells.iter().try_fold(0u128, |sum, (f, _)| sum.checked_add(*f))?;
            for (k, (f, _)) in cells.iter().enumerate() {
                let j = first + k;
                assert!(j < c, "row {i} has no more cells than there are columns");
                col_floors[j] = col_floors[j].checked_add(*f)?;
            }
            row_floors = row_floors.checked_add(floors)?;
            spans.push((first, floors));
            first += cells.len();
        }
        assert_eq!(first, c, "row {i} has one cell per column");
        // S -> row: exactly the units its cells take above their floors.
        let extra = units(rw.groups.total.checked_sub(row_floors)?)?;
        net.bounded(s, row(i), extra, extra)?;
        // row -> (row, group): the group's floor or ceiling, less its cells'
        // floors; larger group fractions first.
        let mut order: Vec<(usize, usize)> =
            (0..groups).map(|g| (rw.groups.cells[g].1.unwrap_or(usize::MAX), g)).collect();
        order.sort_unstable();
        for (_, g) in order {
            let (floor, rank) = rw.groups.cells[g];
            let lo = units(floor.checked_sub(spans[g].1)?)?;
            let hi = if rank.is_some() { lo.checked_add(1)? } else { lo };
            net.bounded(row(i), group(i, g), lo, hi)?;
        }
        // (row, group) -> column: one unit per fractional cell, larger fractions first.
        let mut edges = Vec::with_capacity(groups);
        for (g, cells) in rw.cells.iter().enumerate() {
            let mut order: Vec<(usize, usize)> =
                cells.iter().enumerate().filter_map(|(k, (_, rank))| rank.map(|rank| (rank, k))).collect();
            order.sort_unstable();
            let first = spans[g].0;
            let group_edges: Vec<(usize, usize)> =
                order.into_iter().map(|(_, k)| (k, net.flow.edge(group(i, g), col(first + k), 1))).collect();
            edges.push(group_edges);
        }
        cell_edges.push(edges);
    }
    for (j, total) in columns.iter().enumerate() {
        match total {
            Some(total) => {
                let extra = units(total.checked_sub(col_floors[j])?)?;
                net.bounded(col(j), t, extra, extra)?;
            }
            None => {
                net.flow.edge(col(j), t, i64::MAX / 4);
            }
        }
    }
    net.flow.edge(t, s, i64::MAX / 4);
    if !net.feasible() {
        return None;
    }
    let mut out = Vec::with_capacity(r);
    for (rw, edges) in rows.iter().zip(&cell_edges) {
        let mut cells: Vec<Vec<u128>> = rw.cells.iter().map(|g| g.iter().map(|(f, _)| *f).collect()).collect();
        for (g, group_edges) in edges.iter().enumerate() {
            for &(k, e) in group_edges {
                if net.flow.used(e) > 0 {
                    cells[g][k] += 1;
                }
            }
        }
        let groups = cells.iter().map(|g| g.iter().sum()).collect();
        out.push(NestedRounding { groups, cells });
    }
    Some(out)
}

/// One row of a tree table for [`controlled_round_tree`]: its total (the
/// tree's root) and, per node, the floor of the node's exact value and
/// whether it has a fractional part (entry 0, the root, is unused).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TreeRow {
    /// The row's figure at the root, in units.
    pub total: u128,
    /// Per node: (floor in units, whether the exact value has a fraction).
    pub cells: Vec<(u128, bool)>,
}

/// Rounds rows that share one tree of cells (a time tree: node 0 the year,
/// `parent[j] < j` the parent of node `j`): every row's node figure becomes
/// the floor or the ceiling of its exact value (as given by `rows`), a
/// node's children add up to it, the root is the row's total, and the
/// column sums — the rows' figures of each node added up — lie within
/// `columns[j]` (inclusive bounds; equal bounds fix a column). Returns each
/// row's figures per node, or `None` when no such rounding exists.
///
/// The flow: S -> (row, root) carrying exactly the row's total -> (row,
/// node) down the tree, each edge between the node's floor and ceiling ->
/// from each leaf node to the column's leaf -> up the column's tree, each
/// edge within the column's bounds -> T, within the root column's bounds.
/// Every bound is an integer, so a feasible circulation is integral (the
/// rows' tree and the column tree are two laminar families: a network
/// matrix). Units go first along the edges added first (nodes in order).
///
/// # Panics
///
/// When a row or `columns` does not have one entry per node.
// r, s, t: rows, source and sink, as in the max-flow literature.
#[allow(clippy::many_single_char_names)]
pub fn controlled_round_tree(parent: &[usize], rows: &[TreeRow], columns: &[(u128, u128)]) -> Option<Vec<Vec<u128>>> {
    let n = parent.len();
    assert_eq!(columns.len(), n, "one column bound per node");
    let k = rows.len();
    let (s, t) = (0, 1);
    let cell = |r: usize, j: usize| 2 + r * n + j;
    let col = |j: usize| 2 + k * n + j;
    let mut leaf = vec![true; n];
    for &p in parent.iter().skip(1) {
        leaf[p] = false;
    }
    let mut net = Bounded::new(2 + k * n + n);
    // Per row and node: its floor and the edge carrying its fraction, if any.
    let mut edges: Vec<Vec<Option<usize>>> = Vec::with_capacity(k);
    for (r, row) in rows.iter().enumerate() {
        assert_eq!(row.cells.len(), n, "row {r} has one cell per node");
        let total = units(row.total)?;
        net.bounded(s, cell(r, 0), total, total)?;
        let mut ids = vec![None; n];
        for j in 1..n {
            let (floor, frac) = row.cells[j];
            let lo = units(floor)?;
            let hi = if frac { lo.checked_add(1)? } else { lo };
            ids[j] = net.bounded_edge(cell(r, parent[j]), cell(r, j), lo, hi).ok()?;
            if leaf[j] {
                net.flow.edge(cell(r, j), col(j), i64::MAX / 4);
            }
        }
        edges.push(ids);
    }
    for j in 1..n {
        let (lo, hi) = columns[j];
        net.bounded(col(j), col(parent[j]), units(lo)?, units(hi)?)?;
    }
    let (lo, hi) = columns[0];
    net.bounded(col(0), t, units(lo)?, units(hi)?)?;
    net.flow.edge(t, s, i64::MAX / 4);
    if !net.feasible() {
        return None;
    }
    Some(
        rows.iter()
            .zip(&edges)
            .map(|(row, ids)| {
                let mut out: Vec<u128> = row.cells.iter().map(|(f, _)| *f).collect();
                out[0] = row.total;
                for (j, id) in ids.iter().enumerate() {
                    if let Some(e) = id {
                        out[j] += u128::from(net.flow.used(*e) > 0);
                    }
                }
                out
            })
            .collect(),
    )
}

/// A unit count as a flow capacity, or `None` when it does not fit.
fn units(n: u128) -> Option<i64> {
    i64::try_from(n).ok().filter(|&n| n < i64::MAX / 8)
}

#[cfg(test)]
mod tests;
