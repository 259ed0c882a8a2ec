//! Stage `allocate`: the max flow every controlled rounding is found by —
//! Dinic's algorithm on integer capacities, and networks with lower bounds
//! on their edges reduced to it (a super source and sink carry what the
//! lower bounds owe). Edges are tried in the order they were added, so the
//! flow found, and every rounding built on it, is deterministic.

use std::collections::VecDeque;

/// A flow network with lower bounds on its edges, reduced to a max flow
/// between a super source and a super sink (the last two nodes): an edge
/// `u -> v` in `[lo, hi]` becomes one of capacity `hi - lo`, and the `lo`
/// units it must carry are owed by `u` and due to `v`.
pub(super) struct Bounded {
    pub(super) flow: Dinic,
    excess: Vec<i64>,
}

impl Bounded {
    pub(super) fn new(nodes: usize) -> Bounded {
        Bounded { flow: Dinic::new(nodes + 2), excess: vec![0; nodes] }
    }

    /// Adds `u -> v` carrying between `lo` and `hi` units; `None` when `lo > hi`.
    pub(super) fn bounded(&mut self, u: usize, v: usize, lo: i64, hi: i64) -> Option<()> {
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

    /// `u -> v` carrying between `lo` and `hi` units, for bounds known to be
    /// in order and small (counts of cells); the edge of its `hi - lo` free
    /// units, if any.
    pub(super) fn free_edge(&mut self, u: usize, v: usize, lo: i64, hi: i64) -> Option<usize> {
        debug_assert!(lo <= hi, "bounds in order");
        self.bounded_edge(u, v, lo, hi).ok().flatten()
    }

    /// As [`Bounded::bounded`], returning the id of the edge that carries
    /// the units above `lo` (`Ok(None)` when `lo == hi`); `Err` when `lo > hi`
    /// or the units do not fit.
    pub(super) fn bounded_edge(&mut self, u: usize, v: usize, lo: i64, hi: i64) -> Result<Option<usize>, ()> {
        if lo > hi {
            return Err(());
        }
        let id = (hi > lo).then(|| self.flow.edge(u, v, hi - lo));
        self.excess[u] = self.excess[u].checked_sub(lo).ok_or(())?;
        self.excess[v] = self.excess[v].checked_add(lo).ok_or(())?;
        Ok(id)
    }

    /// Once [`Bounded::feasible`]: no more flow through the super source or
    /// sink, so that later flows keep every lower bound met.
    pub(super) fn close_super(&mut self) {
        for node in [self.excess.len(), self.excess.len() + 1] {
            for &e in &self.flow.head[node] {
                self.flow.cap[e] = 0;
                self.flow.cap[e ^ 1] = 0;
            }
        }
    }

    /// Whether every lower bound can be met (the caller closes the circulation).
    pub(super) fn feasible(&mut self) -> bool {
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
pub(super) struct Dinic {
    pub(super) head: Vec<Vec<usize>>,
    to: Vec<usize>,
    pub(super) cap: Vec<i64>,
    original: Vec<i64>,
    level: Vec<i32>,
    pub(super) next: Vec<usize>,
}

impl Dinic {
    pub(super) fn new(nodes: usize) -> Dinic {
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
    pub(super) fn edge(&mut self, u: usize, v: usize, cap: i64) -> usize {
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

    pub(super) fn used(&self, edge: usize) -> i64 {
        self.original[edge] - self.cap[edge]
    }

    pub(super) fn levels(&mut self, s: usize, t: usize) -> bool {
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
    // s, t, u, v: source, sink and an edge's ends, as in the max-flow literature.
    #[allow(clippy::many_single_char_names)]
    pub(super) fn augment(&mut self, s: usize, t: usize) -> i64 {
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

    pub(super) fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let mut total = 0;
        while self.levels(s, t) {
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
