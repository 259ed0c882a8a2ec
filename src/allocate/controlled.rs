//! Stage `allocate`: controlled rounding of a table — rows whose rounded
//! totals are given, some columns whose totals are given too (held periods),
//! the other columns free. Every cell becomes the floor or the ceiling of its
//! exact value, each row adds up to its total and each fixed column to its
//! total. It is a flow problem (rows send their leftover units to cells,
//! cells to columns); a max flow with lower bounds (Dinic's algorithm) finds
//! an assignment whenever one exists.
//!
//! [`controlled_round_nested`] does the same for a table whose columns come
//! in groups (months within quarters): each row's group figures and cell
//! figures are rounded together, in one flow, so that a row's cells add up to
//! its groups and its groups to its total, while the cell columns keep theirs.

use std::collections::VecDeque;

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

/// A unit count as a flow capacity, or `None` when it does not fit.
fn units(n: u128) -> Option<i64> {
    i64::try_from(n).ok().filter(|&n| n < i64::MAX / 8)
}

/// A flow network with lower bounds on its edges, reduced to a max flow
/// between a super source and a super sink (the last two nodes): an edge
/// `u -> v` in `[lo, hi]` becomes one of capacity `hi - lo`, and the `lo`
/// units it must carry are owed by `u` and due to `v`.
struct Bounded {
    flow: Dinic,
    excess: Vec<i64>,
}

impl Bounded {
    fn new(nodes: usize) -> Bounded {
        Bounded { flow: Dinic::new(nodes + 2), excess: vec![0; nodes] }
    }

    /// Adds `u -> v` carrying between `lo` and `hi` units; `None` when `lo > hi`.
    fn bounded(&mut self, u: usize, v: usize, lo: i64, hi: i64) -> Option<()> {
        if lo > hi {
            return None;
        }
        if hi > lo {
            self.flow.edge(u, v, hi - lo);
        }
        self.excess[u] = self.excess[u].checked_sub(lo)?;
        self.excess[v] = self.excess[v].checked_add(lo)?;
        Some(())
    }

    /// Whether every lower bound can be met (the caller closes the circulation).
    fn feasible(&mut self) -> bool {
        let (s2, t2) = (self.excess.len(), self.excess.len() + 1);
        let mut need: i64 = 0;
        for (node, &excess) in self.excess.iter().enumerate() {
            if excess > 0 {
                self.flow.edge(s2, node, excess);
                need = match need.checked_add(excess) {
                    // Beyond what the "unbounded" edges carry: give up rather than misjudge.
                    Some(need) if need < i64::MAX / 4 => need,
                    _ => return false,
                };
            } else if excess < 0 {
                self.flow.edge(node, t2, -excess);
            }
        }
        self.flow.max_flow(s2, t2) == need
    }
}

/// A max-flow network (Dinic's algorithm) with integer capacities.
struct Dinic {
    head: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
    original: Vec<i64>,
    level: Vec<i32>,
    next: Vec<usize>,
}

impl Dinic {
    fn new(nodes: usize) -> Dinic {
        Dinic {
            head: vec![Vec::new(); nodes],
            to: Vec::new(),
            cap: Vec::new(),
            original: Vec::new(),
            level: vec![0; nodes],
            next: vec![0; nodes],
        }
    }

    /// Adds `u -> v` with capacity `cap`; returns the edge's id.
    fn edge(&mut self, u: usize, v: usize, cap: i64) -> usize {
        let id = self.to.len();
        self.head[u].push(id);
        self.to.push(v);
        self.cap.push(cap);
        self.original.push(cap);
        self.head[v].push(id + 1);
        self.to.push(u);
        self.cap.push(0);
        self.original.push(0);
        id
    }

    fn used(&self, edge: usize) -> i64 {
        self.original[edge] - self.cap[edge]
    }

    fn bfs(&mut self, s: usize, t: usize) -> bool {
        self.level.iter_mut().for_each(|l| *l = -1);
        self.level[s] = 0;
        let mut queue = VecDeque::from([s]);
        while let Some(u) = queue.pop_front() {
            for &e in &self.head[u] {
                let v = self.to[e];
                if self.cap[e] > 0 && self.level[v] < 0 {
                    self.level[v] = self.level[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        self.level[t] >= 0
    }

    /// Pushes one augmenting path of the level graph from `s` to `t`, found
    /// depth first (iteratively: paths can be long in a large network), and
    /// returns how much it carried, or 0 when the level graph has none left.
    /// Edges are tried in the order they were added.
    fn augment(&mut self, s: usize, t: usize) -> i64 {
        let mut path: Vec<usize> = Vec::new();
        let mut u = s;
        loop {
            if u == t {
                let pushed = path.iter().map(|&e| self.cap[e]).min().unwrap_or(0);
                for &e in &path {
                    self.cap[e] -= pushed;
                    self.cap[e ^ 1] += pushed;
                }
                return pushed;
            }
            let mut advanced = false;
            while self.next[u] < self.head[u].len() {
                let e = self.head[u][self.next[u]];
                let v = self.to[e];
                if self.cap[e] > 0 && self.level[v] == self.level[u] + 1 {
                    path.push(e);
                    u = v;
                    advanced = true;
                    break;
                }
                self.next[u] += 1;
            }
            if !advanced {
                // A dead end: step back and skip the edge that led here.
                let Some(e) = path.pop() else { return 0 };
                u = self.to[e ^ 1];
                self.next[u] += 1;
            }
        }
    }

    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let mut total = 0;
        while self.bfs(s, t) {
            self.next.iter_mut().for_each(|n| *n = 0);
            loop {
                let pushed = self.augment(s, t);
                if pushed == 0 {
                    break;
                }
                total += pushed;
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(total: u128, cells: &[(u128, Option<usize>)]) -> TableRow {
        TableRow { total, cells: cells.to_vec() }
    }

    #[test]
    fn keeps_row_and_held_column_totals() {
        // Two members of 1.5 each over a held period (exact 0.5 each, held at 1)
        // and a free one (exact 1 each).
        let rows = [row(2, &[(0, Some(0)), (1, None)]), row(1, &[(0, Some(0)), (1, None)])];
        let out = controlled_round(&rows, &[Some(1), None]).unwrap();
        assert_eq!(out.iter().map(|r| r.iter().sum::<u128>()).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(out[0][0] + out[1][0], 1);
    }

    #[test]
    fn free_columns_absorb_what_held_ones_cannot_take() {
        // Exact cells: [0.6, 0.7 | 0.7] and [0.4, 0.3 | 0.3]; column 0 held at 1.
        let rows =
            [row(2, &[(0, Some(1)), (0, Some(0)), (0, Some(0))]), row(1, &[(0, Some(0)), (0, Some(1)), (0, Some(1))])];
        let out = controlled_round(&rows, &[Some(1), None, None]).unwrap();
        assert_eq!(out[0].iter().sum::<u128>(), 2);
        assert_eq!(out[1].iter().sum::<u128>(), 1);
        assert_eq!(out[0][0] + out[1][0], 1);
        assert!(out.iter().flatten().all(|v| *v <= 1));
    }

    #[test]
    fn says_when_no_rounding_exists() {
        // Both rows need their only fractional cell, but the held column takes one unit.
        let rows = [row(1, &[(0, Some(0)), (0, None)]), row(1, &[(0, Some(0)), (0, None)])];
        assert_eq!(controlled_round(&rows, &[Some(1), None]), None);
    }

    /// A row of a nested table from its cells' exact values `nums[g][k] / den`
    /// (group by group), with its total rounded as `total`.
    fn nested(total: u128, nums: &[Vec<u128>], den: u128) -> NestedRow {
        let ranks = |values: &[u128]| -> Vec<(u128, Option<usize>)> {
            let mut order: Vec<usize> = (0..values.len()).filter(|&k| values[k] % den != 0).collect();
            order.sort_by(|&a, &b| (values[b] % den).cmp(&(values[a] % den)));
            let mut cells: Vec<(u128, Option<usize>)> = values.iter().map(|v| (v / den, None)).collect();
            for (rank, &k) in order.iter().enumerate() {
                cells[k].1 = Some(rank);
            }
            cells
        };
        let groups: Vec<u128> = nums.iter().map(|g| g.iter().sum()).collect();
        NestedRow { groups: TableRow { total, cells: ranks(&groups) }, cells: nums.iter().map(|g| ranks(g)).collect() }
    }

    /// The brief's rounding of `parent` units over exact values `nums / den`.
    fn apportion(parent: u128, nums: &[u128], den: u128) -> Vec<u128> {
        let mut out: Vec<u128> = nums.iter().map(|n| n / den).collect();
        let mut order: Vec<usize> = (0..nums.len()).collect();
        order.sort_by(|&a, &b| (nums[b] % den).cmp(&(nums[a] % den)));
        let left = parent - out.iter().sum::<u128>();
        for &k in order.iter().take(left as usize) {
            out[k] += 1;
        }
        out
    }

    /// Checks `out` against `rows`: floors or ceilings, adding up within each
    /// row; returns the column sums.
    fn checked(rows: &[NestedRow], out: &[NestedRounding]) -> Vec<u128> {
        let mut sums = Vec::new();
        for (rw, got) in rows.iter().zip(out) {
            assert_eq!(got.groups.iter().sum::<u128>(), rw.groups.total);
            for (g, ((floor, rank), cells)) in rw.groups.cells.iter().zip(&got.cells).enumerate() {
                assert_eq!(cells.iter().sum::<u128>(), got.groups[g]);
                assert!(got.groups[g] == *floor || (rank.is_some() && got.groups[g] == floor + 1));
                for ((floor, rank), v) in rw.cells[g].iter().zip(cells) {
                    assert!(*v == *floor || (rank.is_some() && *v == floor + 1));
                }
            }
            let flat: Vec<u128> = got.cells.iter().flatten().copied().collect();
            sums.resize(flat.len(), 0);
            sums.iter_mut().zip(flat).for_each(|(s, v)| *s += v);
        }
        sums
    }

    /// 2026 by days, months grouped by quarter.
    const DAYS: [[u128; 3]; 4] = [[31, 28, 31], [30, 31, 30], [31, 31, 30], [31, 30, 31]];

    /// Exact month values of `total / parts` a year by quarter weights
    /// `quarters` and days, over one common denominator (returned).
    fn by_days(total: u128, parts: u128, quarters: [u128; 4]) -> (Vec<Vec<u128>>, u128) {
        let weight: u128 = quarters.iter().sum();
        let den = parts * weight * 90 * 91 * 92;
        let nums = DAYS
            .iter()
            .zip(quarters)
            .map(|(days, w)| {
                let in_quarter: u128 = days.iter().sum();
                days.iter().map(|d| total * w * d * (90 * 91 * 92 / in_quarter)).collect()
            })
            .collect();
        (nums, den)
    }

    #[test]
    fn nested_rounds_the_months_with_the_quarters() {
        // 177 a year, quarters 5:4:4:2, months by days, over leaves 3:9
        // (44.25 and 132.75, rounded 44 and 133). The company's own cascade
        // gives Jan-Mar 20/19/20.
        let (company, den) = by_days(177, 1, [5, 4, 4, 2]);
        let quarters = apportion(177, &company.iter().map(|g| g.iter().sum()).collect::<Vec<_>>(), den);
        let months: Vec<u128> = quarters.iter().zip(&company).flat_map(|(q, g)| apportion(*q, g, den)).collect();
        assert_eq!(quarters, vec![59, 47, 47, 24]);
        assert_eq!(months[..3], [20, 19, 20]);
        let (small, den_small) = by_days(177 * 3, 12, [5, 4, 4, 2]);
        let (large, den_large) = by_days(177 * 9, 12, [5, 4, 4, 2]);
        let rows = [nested(44, &small, den_small), nested(133, &large, den_large)];
        let columns: Vec<Option<u128>> = months.iter().map(|&m| Some(m)).collect();
        let out = controlled_round_nested(&rows, &columns).expect("a rounding exists");
        assert_eq!(checked(&rows, &out), months);
        let sums: Vec<u128> = (0..4).map(|g| out.iter().map(|r| r.groups[g]).sum()).collect();
        assert_eq!(sums, quarters);
        // Deterministic.
        assert_eq!(controlled_round_nested(&rows, &columns), Some(out));
    }

    #[test]
    fn nested_says_when_no_rounding_exists() {
        // Two rows of one group of two cells of 0.5 each (the group exact 1):
        // each row gives its unit to one of its cells, so the columns can be
        // (2, 0) but never (0, 0) or (2, 1).
        let rows = [nested(1, &[vec![1, 1]], 2), nested(1, &[vec![1, 1]], 2)];
        assert!(controlled_round_nested(&rows, &[Some(2), Some(0)]).is_some());
        assert_eq!(controlled_round_nested(&rows, &[Some(0), Some(0)]), None);
        assert_eq!(controlled_round_nested(&rows, &[Some(2), Some(1)]), None);
        // A row whose total is off its groups' floors and ceilings.
        let rows = [nested(3, &[vec![1, 1]], 2)];
        assert_eq!(controlled_round_nested(&rows, &[None, None]), None);
    }

    #[test]
    fn nested_free_columns_and_exact_cells() {
        // Row 0: groups [0.5+0.5 | 1.5+0], row 1: [0.25+0.25 | 0.5+1]; column 0 held at 1.
        let rows = [nested(3, &[vec![2, 2], vec![6, 0]], 4), nested(2, &[vec![1, 1], vec![2, 4]], 4)];
        let out = controlled_round_nested(&rows, &[Some(1), None, None, None]).unwrap();
        let sums = checked(&rows, &out);
        assert_eq!(sums[0], 1);
        assert_eq!(out[0].cells[1][1], 0);
        assert_eq!(out[1].cells[1][1], 1);
    }

    #[test]
    fn nested_finds_a_rounding_whenever_one_exists() {
        // Small random tables against every combination of floors and ceilings.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as u128
        };
        let den = 4;
        let mut seen = [0; 2];
        for _ in 0..400 {
            let rows: Vec<NestedRow> = (0..2)
                .map(|_| {
                    let nums: Vec<Vec<u128>> = (0..2).map(|_| (0..2).map(|_| next(9)).collect()).collect();
                    let exact: u128 = nums.iter().flatten().sum();
                    let total = exact / den + u128::from(exact % den != 0 && next(2) == 1);
                    nested(total, &nums, den)
                })
                .collect();
            // Held columns within a unit or two of their floors, some free.
            let floors = |j: usize| -> u128 { rows.iter().map(|rw| rw.cells[j / 2][j % 2].0).sum() };
            let columns: Vec<Option<u128>> = (0..4).map(|j| (next(4) != 0).then(|| floors(j) + next(3))).collect();
            // Brute force: each of the 8 cells at its floor or ceiling.
            let cells: Vec<(u128, Option<usize>)> =
                rows.iter().flat_map(|rw| rw.cells.iter().flatten().copied()).collect();
            let possible = (0u32..256).any(|mask| {
                let v: Vec<u128> = cells
                    .iter()
                    .enumerate()
                    .map(|(k, (f, r))| f + u128::from(r.is_some() && mask >> k & 1 == 1))
                    .collect();
                if cells.iter().enumerate().any(|(k, (_, r))| r.is_none() && mask >> k & 1 == 1) {
                    return false;
                }
                let rows_ok = rows.iter().enumerate().all(|(i, rw)| {
                    let mine = &v[4 * i..4 * i + 4];
                    mine.iter().sum::<u128>() == rw.groups.total
                        && (0..2).all(|g| {
                            let (floor, rank) = rw.groups.cells[g];
                            let sum = mine[2 * g] + mine[2 * g + 1];
                            sum == floor || (rank.is_some() && sum == floor + 1)
                        })
                });
                rows_ok && columns.iter().enumerate().all(|(j, c)| c.is_none_or(|c| v[j] + v[4 + j] == c))
            });
            let out = controlled_round_nested(&rows, &columns);
            assert_eq!(out.is_some(), possible, "{rows:?} {columns:?}");
            seen[usize::from(possible)] += 1;
            if let Some(out) = out {
                let sums = checked(&rows, &out);
                assert!(columns.iter().zip(sums).all(|(c, s)| c.is_none_or(|c| c == s)));
            }
        }
        // Both outcomes are well represented.
        assert!(seen.iter().all(|&n| n > 50), "{seen:?}");
    }
}
