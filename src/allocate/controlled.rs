//! Stage `allocate`: controlled rounding of a table — rows whose rounded
//! totals are given, some columns whose totals are given too (held periods),
//! the other columns free. Every cell becomes the floor or the ceiling of its
//! exact value, each row adds up to its total and each fixed column to its
//! total. It is a flow problem (rows send their leftover units to cells,
//! cells to columns); a max flow with lower bounds (Dinic's algorithm) finds
//! an assignment whenever one exists.

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

    fn dfs(&mut self, u: usize, t: usize, pushed: i64) -> i64 {
        if u == t {
            return pushed;
        }
        while self.next[u] < self.head[u].len() {
            let e = self.head[u][self.next[u]];
            let v = self.to[e];
            if self.cap[e] > 0 && self.level[v] == self.level[u] + 1 {
                let got = self.dfs(v, t, pushed.min(self.cap[e]));
                if got > 0 {
                    self.cap[e] -= got;
                    self.cap[e ^ 1] += got;
                    return got;
                }
            }
            self.next[u] += 1;
        }
        0
    }

    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let mut total = 0;
        while self.bfs(s, t) {
            self.next.iter_mut().for_each(|n| *n = 0);
            loop {
                let pushed = self.dfs(s, t, i64::MAX);
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
}
