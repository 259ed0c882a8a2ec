//! Stage `engine`: contract v2 rounding, exact at every cross-cut. Every
//! pair (org node on the cascade, time node) — the company's Q1, a region's
//! March, a salesperson's week — gets a figure that is the floor or the
//! ceiling of its exact share (the total times the product of its org and
//! time shares), every figure is the exact sum of the leaf cells beneath it,
//! and every leaf cell is still the floor or ceiling of its own exact share.
//!
//! # The problem
//!
//! This is controlled rounding of a hierarchical two-way table (Cox 1987;
//! Causey, Cox and Ernst 1985 for two-way tables with their margins;
//! Fischetti and Salazar-González 1998 for hierarchical tables, where a
//! fitting rounding need not exist). The rows are the org tree, the columns
//! the time tree; the brief's cascade rounds each org leaf's time tree on its
//! own, so a column summed over rows (the company's Q1) drifts from its own
//! exact share.
//!
//! # The algorithm
//!
//! The org figures of the cascade (each member's year) are kept as the brief's
//! rule gives them. Then, top down:
//!
//! 1. The company's time tree is rounded by the brief's rule, as if the company
//!    were a leaf: every company figure is the floor or ceiling of its exact
//!    share, ties to the earlier date, and a held period is its hold.
//! 2. For an org node whose time tree is rounded, its children's time trees are
//!    rounded against it, time node by time node, top down: at a time node `t`
//!    the table has a row per child (its figure at `t`, already rounded) and a
//!    column per child period of `t` (the node's own figure there, also
//!    already rounded). Each row is first rounded on its own by the brief's
//!    rule; then [`fit_columns`] moves units within rows from columns over
//!    their totals to columns under them, each unit through the row with the
//!    largest fraction at the short column (ties to the member written first),
//!    and a max flow finishes the table when single moves do not (Dinic with
//!    lower bounds, [`crate::allocate::controlled_round`]). A cell stays the
//!    floor or ceiling of its exact value, a row keeps its figure and a column
//!    adds up to the node's own figure.
//! 3. Each child in turn is then the org node of step 2, down to the leaves.
//!
//! By induction every (org node, time node) figure is then the node's own
//! rounded figure, faithful by construction. A table has no fitting
//! rounding only rarely (its rows' fractions cannot reach the columns'
//! totals: both margins are fixed, which from the second org level on is the
//! price of keeping every member's year as the cascade gives it). Then the
//! moves made stand, the columns still off are recorded as misses (named by
//! the caller in a warning), and the time nodes below a missed column are
//! rounded row by row on their own: each leaf stays faithful to its own
//! cascade.
//!
//! A node with more than [`WIDE`] children (a split of 50,000 SKUs) is not
//! fitted: its children are rounded on their own, as the cascade does, since
//! a table's work grows with its rows times its moves. Its cross-cuts may
//! then drift by a few units; every other promise holds.
//!
//! # Termination
//!
//! The walk visits each (org node, time node) table once, top down, a finite
//! number. In a table, each move raises one short column by one unit and
//! lowers one over-full column by one, so the sum of shortfalls, a natural
//! number, falls by one per move: at most that many moves. Dinic's algorithm
//! ends on integer capacities (each phase lengthens the shortest augmenting
//! path, which is bounded by the node count, and each phase ends after
//! finitely many augmentations, each carrying at least one unit).
//!
//! # Cost
//!
//! Each row and time node is rounded once, as the cascade does for each leaf,
//! plus one row per inner org node; the moves are few (about the square root
//! of the rows per column). Memory is one frame per org level on the current
//! path: its children's figures for every time node.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Arc, Mutex, OnceLock};

use dashu_int::UBig;

use super::org_tree::{Amount, Paths};
use super::TimeTable;
use crate::allocate::{controlled_round_tree, fit_columns, Apportioner, Exact, FitRow, Fractions, Part, TreeRow};
use crate::calendar::{Calendar, Level};

/// Where each level's periods sit in a figure vector of the time tree
/// (year, then the quarters, then the months, ... down to `deepest`).
#[derive(Clone, Debug)]
pub(super) struct TimeIndex {
    offsets: Vec<usize>,
    lens: Vec<usize>,
    deepest: Level,
}

impl TimeIndex {
    pub(super) fn new(calendar: &Calendar, deepest: Level) -> TimeIndex {
        let mut offsets = Vec::new();
        let mut lens = Vec::new();
        let mut at = 0;
        for level in Level::ALL.iter().copied().take_while(|l| *l <= deepest) {
            offsets.push(at);
            let n = calendar.level(level).len();
            lens.push(n);
            at += n;
        }
        TimeIndex { offsets, lens, deepest }
    }

    /// How many figures the whole tree has.
    pub(super) fn len(&self) -> usize {
        self.offsets.last().map_or(0, |o| o + self.lens.last().copied().unwrap_or(0))
    }

    /// Where period `index` of `level` is.
    pub(super) fn at(&self, level: Level, index: usize) -> usize {
        self.offsets[level.index()] + index
    }
}

/// A column of a table that could not be brought to its org node's own
/// figure: the node's children's figures for period (`level`, `index`) add
/// up to `got` units, not `wanted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct CrossCutMiss {
    /// A leaf of the org node, for its path.
    pub(super) leaf: usize,
    /// How many splits name the org node (0: the company).
    pub(super) depth: usize,
    pub(super) level: Level,
    pub(super) index: usize,
    pub(super) got: u128,
    pub(super) wanted: u128,
}

/// One org node being shared among its children.
#[derive(Debug)]
struct Frame {
    /// The children's leaf ranges, in cascade order.
    children: Vec<Range<usize>>,
    /// Per child, its figures over the whole time tree (`child * n ..`);
    /// for a wide node, only the current child's (`0..n`), worked out when
    /// its turn comes.
    values: Arc<Vec<u128>>,
    next: usize,
    /// A node wider than [`WIDE`]: each child rounded on its own, in turn.
    wide: bool,
    /// Whether the figures came from (and are owed back to) a [`SharedFrames`].
    shared: bool,
}

/// The frames that several walks of one run need (the org nodes above
/// their chunks, which every worker meets), worked out once by whichever
/// walk comes first and read by the others: a frame depends on its node's
/// figures only, so every walk would work out the same numbers. A frame is
/// let go when the last walk that needs it has left it, so memory stays
/// that of the frames in use.
#[derive(Debug, Default)]
pub(crate) struct SharedFrames {
    frames: Mutex<HashMap<(usize, usize), Arc<SharedFrame>>>,
}

/// One frame of [`SharedFrames`]: its figures once worked out, and how
/// many walks have yet to leave it.
#[derive(Debug)]
struct SharedFrame {
    values: OnceLock<Arc<Vec<u128>>>,
    users: AtomicUsize,
}

impl SharedFrames {
    /// The frame of the node with leaves `range`, for a walk that is one of
    /// `users` walks needing it: `work` works it out if no walk has yet.
    fn get(&self, range: &Range<usize>, users: usize, work: impl FnOnce() -> Vec<u128>) -> Arc<Vec<u128>> {
        let frame = {
            let mut frames = self.frames.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let entry = frames
                .entry((range.start, range.end))
                .or_insert_with(|| Arc::new(SharedFrame { values: OnceLock::new(), users: AtomicUsize::new(users) }));
            Arc::clone(entry)
        };
        // Outside the lock: the others wait for this frame only, not for every frame.
        Arc::clone(frame.values.get_or_init(|| Arc::new(work())))
    }

    /// A walk has left the frame of `range`: the last one lets it go.
    fn release(&self, range: &Range<usize>) {
        let mut frames = self.frames.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(frame) = frames.get(&(range.start, range.end)) {
            if frame.users.fetch_sub(1, AtomicOrdering::AcqRel) == 1 {
                frames.remove(&(range.start, range.end));
            }
        }
    }
}

/// The most children a frame fits against its node's figures; a wider
/// node's children are rounded on their own (see [`CrossCutWalk::frame`]).
const WIDE: usize = 2_000;

/// A row's exact value, by leaf time table: (table index, exact units).
type Components = Vec<(usize, Exact)>;

/// Which org leaves a walk (or a run) works out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Leaves {
    /// Every leaf.
    All,
    /// The leaves of one contiguous range (one leaf for an explanation, a
    /// shard's leaves for `--shard`).
    Range(Range<usize>),
    /// One worker's chunks when several share a run of the leaves
    /// `within`: chunk `c` (leaves `within.start + c * size ..`) is worker
    /// `c % workers`'s.
    Chunks {
        /// The run's leaves.
        within: Range<usize>,
        /// Leaves per chunk (at least 1).
        size: usize,
        /// This worker, `0..workers`.
        worker: usize,
        /// How many workers share the run (at least 1).
        workers: usize,
    },
}

impl Leaves {
    /// How many of the workers sharing these leaves' run need the leaves
    /// `range` (1 when no others share it).
    fn users(&self, range: &Range<usize>) -> usize {
        match self {
            Leaves::Chunks { within, size, workers, .. } => (0..*workers)
                .filter(|&worker| {
                    Leaves::Chunks { within: within.clone(), size: *size, worker, workers: *workers }.meets(range)
                })
                .count(),
            Leaves::All | Leaves::Range(_) => 1,
        }
    }

    /// Whether any leaf of `range` is one of these.
    pub(crate) fn meets(&self, range: &Range<usize>) -> bool {
        if range.is_empty() {
            return false;
        }
        match self {
            Leaves::All => true,
            Leaves::Range(r) => r.start < range.end && range.start < r.end,
            Leaves::Chunks { within, size, worker, workers } => {
                let (start, end) = (range.start.max(within.start), range.end.min(within.end));
                if start >= end {
                    return false;
                }
                let (first, last) = ((start - within.start) / size, (end - 1 - within.start) / size);
                last - first + 1 >= *workers || (first..=last).any(|c| c % workers == *worker)
            }
        }
    }
}

/// A walk over one column's org leaves in cascade order, yielding each
/// leaf's figures for every period of the time tree down to a level.
pub(super) struct CrossCutWalk<'e, 'p> {
    calendar: &'e Calendar,
    tables: &'e [TimeTable],
    paths: &'e Paths<'p>,
    amounts: &'e [Amount],
    leaf_tables: &'e [usize],
    time: TimeIndex,
    stack: Vec<Frame>,
    /// Which leaves are worked out: the frames holding none are skipped.
    only: Leaves,
    /// Frames shared with the other walks of the run, if any.
    shared: Option<&'e SharedFrames>,
    started: bool,
    root: Vec<u128>,
    apportioner: Apportioner,
    rows: Vec<FitRow>,
    parts: Vec<Part>,
    exacts: Vec<Exact>,
    misses: Vec<CrossCutMiss>,
}

impl<'e, 'p> CrossCutWalk<'e, 'p> {
    /// A walk down to `deepest` over the leaves' `amounts`, each leaf on
    /// its time table `tables[leaf_tables[leaf]]`.
    pub(super) fn new(
        calendar: &'e Calendar,
        tables: &'e [TimeTable],
        paths: &'e Paths<'p>,
        amounts: &'e [Amount],
        leaf_tables: &'e [usize],
        deepest: Level,
    ) -> CrossCutWalk<'e, 'p> {
        CrossCutWalk {
            calendar,
            tables,
            paths,
            amounts,
            leaf_tables,
            time: TimeIndex::new(calendar, deepest),
            stack: Vec::new(),
            only: Leaves::All,
            shared: None,
            started: false,
            root: Vec::new(),
            apportioner: Apportioner::default(),
            rows: Vec::new(),
            parts: Vec::new(),
            exacts: Vec::new(),
            misses: Vec::new(),
        }
    }

    /// Works out only what leaf `leaf` needs: [`CrossCutWalk::next_leaf`]
    /// then yields that leaf alone.
    pub(super) fn only(self, leaf: usize) -> Self {
        self.only_leaves(Leaves::Range(leaf..leaf + 1))
    }

    /// Works out only the leaves `leaves` names, yielding them in cascade
    /// order. Each is the figure the whole walk gives it: a frame depends on
    /// its node's own figures and nothing else, so skipping the frames that
    /// hold none of `leaves` changes no figure (frames above the leaves are
    /// worked out again by each walk that needs them).
    pub(super) fn only_leaves(mut self, leaves: Leaves) -> Self {
        self.only = leaves;
        self
    }

    /// Shares with the run's other walks (each on leaves of its own, see
    /// [`CrossCutWalk::only_leaves`]) the frames more than one of them needs.
    pub(super) fn sharing(mut self, shared: &'e SharedFrames) -> Self {
        self.shared = Some(shared);
        self
    }

    /// The next org leaf and its figures for every period of the time tree
    /// (see [`CrossCutWalk::time`]), in cascade order; `None` after the last.
    pub(super) fn next_leaf(&mut self) -> Option<(usize, &[u128])> {
        let n = self.time.len();
        if !self.started {
            self.started = true;
            let all = 0..self.paths.len();
            if all.is_empty() {
                return None;
            }
            let rows = vec![self.components(all.clone())];
            let total = self.units(all.clone());
            let mut root = vec![0; n];
            self.round(&rows, &[total], None, &mut root, 0, 0);
            if all.len() == 1 {
                self.root = root;
                return Some((0, &self.root));
            }
            let frame = self.frame(all, 0, &root);
            self.stack.push(frame);
        }
        loop {
            let top = self.stack.len().checked_sub(1)?;
            let frame = &mut self.stack[top];
            if frame.next == frame.children.len() {
                let frame = self.stack.pop().expect("the top frame");
                if let (true, Some(shared)) = (frame.shared, self.shared) {
                    let all = frame.children[0].start..frame.children[frame.children.len() - 1].end;
                    shared.release(&all);
                }
                continue;
            }
            let mut c = frame.next;
            frame.next += 1;
            let range = frame.children[c].clone();
            if !self.only.meets(&range) {
                continue;
            }
            if self.stack[top].wide {
                // The child alone, as the cascade rounds it (see `frame`).
                let rows = [self.components(range.clone())];
                let years = [self.units(range.clone())];
                let mut values = std::mem::take(Arc::make_mut(&mut self.stack[top].values));
                values.resize(n, 0);
                self.round(&rows, &years, None, &mut values, range.start, 0);
                self.stack[top].values = Arc::new(values);
                c = 0;
            }
            if range.len() == 1 {
                let frame = &self.stack[top];
                return Some((range.start, &frame.values[c * n..(c + 1) * n]));
            }
            let parent: Vec<u128> = self.stack[top].values[c * n..(c + 1) * n].to_vec();
            let depth = self.split_depth(&range, 0);
            let frame = self.frame(range, depth, &parent);
            self.stack.push(frame);
        }
    }

    /// Where each period sits in the figures [`CrossCutWalk::next_leaf`] yields.
    pub(super) fn time_index(&self) -> TimeIndex {
        self.time.clone()
    }

    /// As [`CrossCutWalk::next_leaf`], with the figures of `level` only.
    pub(super) fn next_at(&mut self, level: Level) -> Option<(usize, &[u128])> {
        let i = level.index();
        let (start, len) = (self.time.offsets[i], self.time.lens[i]);
        let (leaf, values) = self.next_leaf()?;
        Some((leaf, &values[start..start + len]))
    }

    /// The misses found so far, in the order found.
    pub(super) fn take_misses(&mut self) -> Vec<CrossCutMiss> {
        std::mem::take(&mut self.misses)
    }

    /// The first split depth (from `from`) at which the leaves of `range`
    /// part into more than one member.
    fn split_depth(&self, range: &Range<usize>, from: usize) -> usize {
        let first = &self.paths[range.start];
        let last = &self.paths[range.end - 1];
        // Leaves of one node are consecutive, so the first and the last differ
        // at the first depth where any two do.
        (from..first.len()).find(|&d| first[d] != last[d]).unwrap_or(first.len())
    }

    /// The frame of the org node holding the leaves `range`, whose figures
    /// are `parent`: its children parted at split `depth`, rounded against it.
    fn frame(&mut self, range: Range<usize>, depth: usize, parent: &[u128]) -> Frame {
        let depth = self.split_depth(&range, depth);
        let mut children = Vec::new();
        let mut start = range.start;
        for leaf in range.clone().skip(1) {
            if self.paths[leaf][depth] != self.paths[start][depth] {
                children.push(start..leaf);
                start = leaf;
            }
        }
        children.push(start..range.end);
        if children.len() > WIDE {
            // A node wider than WIDE (a split of 50,000 SKUs): each child is
            // rounded on its own, as the cascade rounds it, when its turn
            // comes: a fitted table would cost rows times moves, and the
            // frame rows times periods of memory. Its cross-cuts may drift
            // (README "Rounding"); nodes below it are still fitted.
            return Frame { children, values: Arc::default(), next: 0, wide: true, shared: false };
        }
        let users = self.only.users(&range);
        if let (Some(shared), true) = (self.shared, users > 1) {
            let values = shared.get(&range, users, || self.fitted(&children, &range, depth, parent));
            return Frame { children, values, next: 0, wide: false, shared: true };
        }
        let values = Arc::new(self.fitted(&children, &range, depth, parent));
        Frame { children, values, next: 0, wide: false, shared: false }
    }

    /// The figures of the children (leaf ranges) of the org node holding the
    /// leaves `range` over the whole time tree, fitted to its figures `parent`.
    fn fitted(&mut self, children: &[Range<usize>], range: &Range<usize>, depth: usize, parent: &[u128]) -> Vec<u128> {
        let rows: Vec<Components> = children.iter().map(|c| self.components(c.clone())).collect();
        let years: Vec<u128> = children.iter().map(|c| self.units(c.clone())).collect();
        let mut values = vec![0; children.len() * self.time.len()];
        let found = self.misses.len();
        self.round(&rows, &years, Some(parent), &mut values, range.start, depth);
        if self.misses.len() > found {
            // Time node by time node, some table had no fitting rounding: the
            // whole tree in one flow may still have one (the company's own
            // figures free between floor and ceiling at the top).
            let free = range.len() == self.paths.len();
            if let Some(whole) = self.round_whole(&rows, &years, parent, free) {
                values = whole;
                self.misses.truncate(found);
            }
        }
        values
    }

    /// Every row's exact value at every time node down to the deepest level.
    fn exact_tree(&mut self, comps: &Components) -> Vec<Exact> {
        let n = self.time.len();
        let mut per: Vec<Vec<Exact>> = comps.iter().map(|(_, e)| vec![e.clone()]).collect();
        let mut level = Level::Year;
        while level < self.time.deepest {
            let finer = level.finer().expect("above the deepest level");
            for (c, (table, _)) in comps.iter().enumerate() {
                let first = self.time.at(level, 0);
                let mut next = Vec::with_capacity(self.time.lens[finer.index()]);
                for i in 0..self.time.lens[level.index()] {
                    let value = per[c][first + i].clone();
                    let floor = u128::try_from(&value.floor_units()).expect("a part fits when its parent does");
                    let shares = &self.tables[*table][level.index()][i];
                    self.apportioner.parts(floor, &value, shares, &mut self.parts).expect("calendar shares are valid");
                    next.extend(self.parts.iter().map(|p| p.exact.clone()));
                }
                per[c].extend(next);
            }
            level = finer;
        }
        let mut out = per.pop().unwrap_or_default();
        for other in per {
            for (sum, e) in out.iter_mut().zip(other) {
                *sum = sum.plus(&e);
            }
        }
        debug_assert_eq!(out.len(), n);
        out
    }

    /// The rows' whole time trees rounded in one flow against `parent`
    /// (fixed, or, when `free`, anywhere between the floor and ceiling of the
    /// rows' exact sums), each row proportionate; `None` when there is none.
    fn round_whole(&mut self, rows: &[Components], years: &[u128], parent: &[u128], free: bool) -> Option<Vec<u128>> {
        let n = self.time.len();
        let mut tree_parent = vec![0; n];
        let mut level = Level::Quarter;
        while level <= self.time.deepest {
            let coarser = level.coarser().expect("below the year");
            for (i, period) in self.calendar.level(level).iter().enumerate() {
                tree_parent[self.time.at(level, i)] = self.time.at(coarser, period.parent.expect("below the year"));
            }
            match level.finer() {
                Some(l) => level = l,
                None => break,
            }
        }
        let exacts: Vec<Vec<Exact>> = rows.iter().map(|comps| self.exact_tree(comps)).collect();
        let table: Vec<TreeRow> = exacts
            .iter()
            .zip(years)
            .map(|(exact, &total)| TreeRow {
                total,
                cells: exact
                    .iter()
                    .map(|e| {
                        let (floor, rem) = e.floor_rem();
                        (u128::try_from(&floor).expect("a part fits when its parent does"), !rem.is_zero())
                    })
                    .collect(),
            })
            .collect();
        let columns: Vec<(u128, u128)> = if free {
            (0..n)
                .map(|j| {
                    let sum = exacts.iter().fold(Exact::from_units(0), |s, e| s.plus(&e[j]));
                    let floor = u128::try_from(&sum.floor_units()).expect("fits");
                    let ceil = u128::try_from(&sum.ceil_units()).expect("fits");
                    if j == 0 {
                        (parent[0], parent[0])
                    } else {
                        (floor, ceil)
                    }
                })
                .collect()
        } else {
            parent.iter().map(|&x| (x, x)).collect()
        };
        let rounded = controlled_round_tree(&tree_parent, &table, &columns)?;
        // The flow knows nothing of proportion: within a row, a larger exact
        // value of a group must not end below a smaller one.
        let mut level = Level::Year;
        while level < self.time.deepest {
            let finer = level.finer().expect("above the deepest level");
            for period in self.calendar.level(level) {
                let first = self.time.at(finer, period.children.start);
                let group = first..first + period.children.len();
                for (exact, figures) in exacts.iter().zip(&rounded) {
                    for j in group.clone() {
                        for k in group.clone().filter(|&k| k != j) {
                            let same_floor = exact[j].floor_units() == exact[k].floor_units();
                            if same_floor && exact[j] > exact[k] && figures[j] < figures[k] {
                                return None;
                            }
                        }
                    }
                }
            }
            level = finer;
        }
        Some(rounded.concat())
    }

    /// The leaves' rounded units, summed.
    fn units(&self, leaves: Range<usize>) -> u128 {
        self.amounts[leaves].iter().map(|(u, _)| u).sum()
    }

    /// The leaves' exact values, summed per time table.
    fn components(&self, leaves: Range<usize>) -> Components {
        let mut out: Components = Vec::with_capacity(1);
        for leaf in leaves {
            let table = self.leaf_tables[leaf];
            let exact = &self.amounts[leaf].1;
            match out.iter_mut().find(|(t, _)| *t == table) {
                Some((_, sum)) => *sum = sum.plus(exact),
                None => out.push((table, exact.clone())),
            }
        }
        out
    }

    /// Rounds the time trees of `rows` (each row's exact value by table, and
    /// its year's units in `years`) into `values` (row `r`'s at `r * n`),
    /// each time node's children against the same periods of `parent` when
    /// given. `leaf` and `depth` name the org node, for misses.
    fn round(
        &mut self,
        rows: &[Components],
        years: &[u128],
        parent: Option<&[u128]>,
        values: &mut [u128],
        leaf: usize,
        depth: usize,
    ) {
        let n = self.time.len();
        let k = rows.len();
        if self.rows.len() < k {
            self.rows.resize_with(k, FitRow::default);
        }
        // Exact values of the current level's periods, per row and component.
        let mut exact: Vec<Vec<Vec<Exact>>> =
            rows.iter().map(|comps| comps.iter().map(|(_, e)| vec![e.clone()]).collect()).collect();
        for (r, &year) in years.iter().enumerate() {
            values[r * n] = year;
        }
        // Time nodes under a column that missed its total: rounded row by row.
        let mut missed = vec![false; n];
        let mut level = Level::Year;
        while level < self.time.deepest {
            let finer = level.finer().expect("above the deepest level");
            let last = finer == self.time.deepest;
            let len = self.calendar.level(finer).len();
            let mut next: Vec<Vec<Vec<Exact>>> = if last {
                Vec::new()
            } else {
                rows.iter().map(|comps| comps.iter().map(|_| Vec::with_capacity(len)).collect()).collect()
            };
            for (i, period) in self.calendar.level(level).iter().enumerate() {
                let children = period.children.clone();
                let at = self.time.at(level, i);
                for r in 0..k {
                    let units = values[r * n + at];
                    let next_row = if last { None } else { Some(&mut next[r]) };
                    self.row(&rows[r], &exact[r], i, level, units, r, next_row);
                }
                let first = self.time.at(finer, children.start);
                if let (Some(parent), false) = (parent, missed[at]) {
                    let totals = &parent[first..first + children.len()];
                    for miss in fit_columns(&mut self.rows[..k], totals) {
                        missed[first + miss.column] = true;
                        self.misses.push(CrossCutMiss {
                            leaf,
                            depth,
                            level: finer,
                            index: children.start + miss.column,
                            got: miss.got,
                            wanted: miss.wanted,
                        });
                    }
                } else if missed[at] {
                    for j in 0..children.len() {
                        missed[first + j] = true;
                    }
                }
                for r in 0..k {
                    values[r * n + first..r * n + first + children.len()].copy_from_slice(&self.rows[r].units);
                }
            }
            if !last {
                exact = next;
            }
            level = finer;
        }
    }

    /// Row `r`'s children of period `i` of `level` on its own (in
    /// `self.rows[r]`), from its figure `units` there; their exact values
    /// are pushed onto `next` (per component) when given.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        comps: &Components,
        exact: &[Vec<Exact>],
        i: usize,
        level: Level,
        units: u128,
        r: usize,
        next: Option<&mut Vec<Vec<Exact>>>,
    ) {
        let fit = &mut self.rows[r];
        if let [(table, _)] = comps.as_slice() {
            let shares = &self.tables[*table][level.index()][i];
            let want = next.is_some();
            self.apportioner
                .fit_row(units, &exact[0][i], shares, fit, want.then_some(&mut self.exacts))
                .expect("calendar shares are valid");
            if let Some(next) = next {
                next[0].append(&mut self.exacts);
            }
            return;
        }
        // Leaves on different time tables: each table's part cut by its own
        // shares, then summed.
        let mut sums: Vec<Exact> = Vec::new();
        let mut next = next;
        for (c, (table, _)) in comps.iter().enumerate() {
            let shares = &self.tables[*table][level.index()][i];
            let value = &exact[c][i];
            let floor = u128::try_from(&value.floor_units()).expect("a part fits when its parent does");
            self.apportioner.parts(floor, value, shares, &mut self.parts).expect("calendar shares are valid");
            if sums.is_empty() {
                sums = self.parts.iter().map(|p| p.exact.clone()).collect();
            } else {
                for (sum, part) in sums.iter_mut().zip(&self.parts) {
                    *sum = sum.plus(&part.exact);
                }
            }
            if let Some(next) = next.as_deref_mut() {
                next[c].extend(self.parts.iter().map(|p| p.exact.clone()));
            }
        }
        own_rounding(&sums, units, fit);
    }
}

/// `exacts` rounded on their own to `units` by the brief's rule, as a row
/// for [`fit_columns`] over one common denominator.
fn own_rounding(exacts: &[Exact], units: u128, fit: &mut FitRow) {
    let den = exacts.iter().fold(UBig::ONE, |lcm, e| {
        let g = dashu_int::ops::Gcd::gcd(&lcm, e.den());
        lcm / g * e.den()
    });
    fit.units.clear();
    fit.floors.clear();
    let mut rems = Vec::with_capacity(exacts.len());
    for e in exacts {
        let (floor, rem) = e.floor_rem();
        let floor = u128::try_from(&floor).expect("a part fits when its parent does");
        fit.floors.push(floor);
        fit.units.push(floor);
        rems.push(rem * (&den / e.den()));
    }
    let left = units - fit.floors.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..exacts.len()).filter(|&j| !rems[j].is_zero()).collect();
    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]));
    for &j in order.iter().take(usize::try_from(left).unwrap_or(usize::MAX)) {
        fit.units[j] += 1;
    }
    fit.fractions = Fractions::new(rems, den);
}
