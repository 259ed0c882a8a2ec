//! Stage `engine`: a run. Every org leaf's figures are worked out (on the
//! other cores, chunk by chunk, when there are several) and written to the
//! sink in cascade order — as they are when `--by` keeps every split, else
//! summed per kept combination of members first. When every split is kept
//! and the sink can make its rows elsewhere ([`super::RowWriter`]: CSV,
//! JSON Lines), the workers make their chunks' rows too and this thread
//! only writes their bytes and sums the totals. The output is byte for
//! byte the same on any number of threads, and a shard's cells
//! (`--shard K/N`) are exactly its part of the whole run's.

use indexmap::IndexSet;
use rust_decimal::Decimal;

use super::series::level_value;
use super::time_walk::scratch;
use super::time_walk::LevelScratch;
use super::{Cell, CellSink, CrossCutWalk, Engine, Leaves, Request, RowWriter, SharedFrames, Source, TimeView, Value};
use crate::calendar::{Level, Period};
use crate::plan::LevelTarget;
use crate::plan::Units;

impl<'p> Engine<'p> {
    /// How many cells the breakdown prints (member combinations times
    /// periods kept), without computing them.
    pub fn cell_count(&self, request: &Request) -> u64 {
        let kept = self.kept(request).iter().filter(|k| **k).count() as u64;
        let combinations = if request.splits.len() == self.plan.splits.len() {
            self.paths.len()
        } else {
            let keys: std::collections::HashSet<Vec<&str>> =
                self.paths.iter().map(|path| request.splits.iter().map(|&s| path[s]).collect()).collect();
            keys.len()
        };
        combinations as u64 * kept
    }

    /// Runs the breakdown into `sink`. Errors here are output errors only.
    pub fn run(&self, request: &Request, sink: &mut dyn CellSink) -> std::io::Result<()> {
        let header = self.header(request);
        sink.begin(&header)?;
        let periods = self.periods(request);
        let keep = self.kept(request);
        let width = self.series.len();
        let levels: Vec<Option<Vec<Value>>> = self
            .series
            .iter()
            .map(|s| match &s.source {
                Source::Level(target) => Some(periods.iter().map(|p| self.level_at(target, p)).collect()),
                Source::Shared { .. } => None,
            })
            .collect();
        let mut totals: Vec<u128> = vec![0; width];
        // Per leaf: each shared column's figures, period-major (period i, column c at i * width + c).
        let stride = periods.len() * width;
        let mut values: Vec<Value> = vec![Value::Missing; width];
        let every_split = request.splits.len() == self.plan.splits.len();
        // Each kept combination of members, in order of first appearance, and
        // its sums at `sums[group * stride..]`: one array, not a million small ones.
        let mut groups: IndexSet<Box<[&str]>> = IndexSet::new();
        let mut sums: Vec<u128> = Vec::new();
        // Every cell is a row as it comes: the workers can make the rows
        // (each with a writer of the sink's own), leaving this thread to
        // write them and sum the totals.
        let writers: Vec<Box<dyn RowWriter>> =
            if every_split { (0..self.threads).map_while(|_| sink.row_writer()).collect() } else { Vec::new() };
        let sink = std::cell::RefCell::new(sink);
        let mut consume = |leaf: usize, figures: &[u128], made: bool| -> std::io::Result<()> {
            let path = &self.paths[leaf];
            if every_split && made {
                for (i, _) in periods.iter().enumerate().filter(|(i, _)| keep[*i]) {
                    add_totals(&figures[i * width..(i + 1) * width], &levels, &mut totals);
                }
            } else if every_split {
                for (i, period) in periods.iter().enumerate() {
                    if keep[i] {
                        let units = &figures[i * width..(i + 1) * width];
                        self.emit(*sink.borrow_mut(), path, period, i, units, &levels, &mut totals, &mut values)?;
                    }
                }
            } else {
                let key: Box<[&str]> = request.splits.iter().map(|&s| path[s]).collect();
                let (group, new) = groups.insert_full(key);
                if new {
                    sums.resize(sums.len() + stride, 0);
                }
                for (sum, units) in sums[group * stride..(group + 1) * stride].iter_mut().zip(figures) {
                    *sum += units;
                }
            }
            Ok(())
        };
        let compute = |leaves: std::ops::Range<usize>,
                       buffer: &mut Vec<u128>,
                       bytes: &mut Vec<u8>,
                       work: &mut LeafWork<'_, 'p>| {
            buffer.clear();
            buffer.resize(leaves.len() * stride, 0);
            for (k, leaf) in leaves.clone().enumerate() {
                self.leaf_figures(leaf, request, periods, &levels, &mut buffer[k * stride..(k + 1) * stride], work);
            }
            if let Some(rows) = &mut work.rows {
                let mut values: Vec<Value> = vec![Value::Missing; width];
                for (k, leaf) in leaves.enumerate() {
                    let figures = &buffer[k * stride..(k + 1) * stride];
                    for (i, period) in periods.iter().enumerate().filter(|(i, _)| keep[*i]) {
                        self.cell_values(i, &figures[i * width..(i + 1) * width], &levels, &mut values);
                        rows.row(&Cell { members: &self.paths[leaf], period, values: &values });
                    }
                }
                *bytes = rows.take();
            }
        };
        let leaves = request.shard.map_or(0..self.paths.len(), |shard| shard.range(self.paths.len()));
        let mut write_rows = |bytes: &[u8]| sink.borrow_mut().rows(bytes);
        self.in_order(
            leaves,
            stride,
            compute,
            |work| self.finish_work(work, request),
            &mut consume,
            (writers, &mut write_rows),
        )?;
        let sink = sink.into_inner();
        for (group, key) in groups.iter().enumerate() {
            let sums = &sums[group * stride..(group + 1) * stride];
            for (i, period) in periods.iter().enumerate() {
                if keep[i] {
                    self.emit(
                        sink,
                        key,
                        period,
                        i,
                        &sums[i * width..(i + 1) * width],
                        &levels,
                        &mut totals,
                        &mut values,
                    )?;
                }
            }
        }
        let totals: Vec<Value> = self
            .series
            .iter()
            .zip(&totals)
            .map(|(s, units)| match &s.source {
                Source::Level(target) => level_value(target, target.value),
                Source::Shared { .. } => Value::Amount(s.precision.to_amount(Units(*units))),
            })
            .collect();
        sink.finish(&totals)
    }

    /// Works out the figures of the org leaves `leaves` chunk by chunk with
    /// `compute` (a chunk's leaves, their figures `stride` apart in the
    /// buffer, and the bytes of its rows when the thread's work has a row
    /// writer) and hands each leaf's to `consume` in cascade order (with
    /// whether its chunk's rows were made), then each chunk's row bytes to
    /// `rows`; `finish` takes each thread's work when it is done. With
    /// several threads and chunks, as many workers as threads work the
    /// chunks out (chunk c on worker c mod n), sharing the frames above
    /// them, each with one of `writers` if there are enough, while this
    /// thread consumes: chunks are taken back in order, so `consume` sees
    /// what one thread would show it, and bounded queues keep memory flat.
    /// An error of `consume` or `rows` stops the workers and is returned.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn in_order(
        &self,
        leaves: std::ops::Range<usize>,
        stride: usize,
        compute: impl for<'w> Fn(std::ops::Range<usize>, &mut Vec<u128>, &mut Vec<u8>, &mut LeafWork<'w, 'p>) + Sync,
        finish: impl for<'w> Fn(LeafWork<'w, 'p>) + Sync,
        consume: Consume<'_>,
        (mut writers, rows): (Vec<Box<dyn RowWriter>>, WriteRows<'_>),
    ) -> std::io::Result<()> {
        let batch = self.chunk;
        let chunks = leaves.len().div_ceil(batch);
        // One chunk has no one to share it with. Otherwise as many workers
        // as threads: the frames above the chunks are worked out once for
        // all of them, and the consumer mostly waits for them.
        let workers = if chunks < 2 || self.threads < 2 { 0 } else { self.threads.min(chunks) };
        if workers == 0 {
            let mut work = self.leaf_work(&Leaves::Range(leaves.clone()), None);
            let (mut buffer, mut bytes) = (Vec::new(), Vec::new());
            for leaf in leaves {
                compute(leaf..leaf + 1, &mut buffer, &mut bytes, &mut work);
                consume(leaf, &buffer, false)?;
            }
            finish(work);
            return Ok(());
        }
        // Rows are made by the workers only when every one of them can.
        if writers.len() < workers {
            writers.clear();
        }
        let made = !writers.is_empty();
        let shared: Vec<SharedFrames> = self.series.iter().map(|_| SharedFrames::default()).collect();
        let (shared, compute, finish) = (&shared, &compute, &finish);
        std::thread::scope(|scope| -> std::io::Result<()> {
            let mut received = Vec::with_capacity(workers);
            let mut spent = Vec::with_capacity(workers);
            for worker in 0..workers {
                let (batches, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<u128>, Vec<u8>)>(2);
                let (tx, reuse) = std::sync::mpsc::channel::<Vec<u128>>();
                received.push(rx);
                spent.push(tx);
                let within = leaves.clone();
                let writer = writers.pop();
                scope.spawn(move || {
                    let mine = Leaves::Chunks { within: within.clone(), size: batch, worker, workers };
                    let mut work = self.leaf_work(&mine, Some(shared));
                    work.rows = writer;
                    for chunk in (worker..chunks).step_by(workers) {
                        let start = within.start + chunk * batch;
                        let mut buffer = reuse.try_recv().unwrap_or_default();
                        let mut bytes = Vec::new();
                        compute(start..(start + batch).min(within.end), &mut buffer, &mut bytes, &mut work);
                        if batches.send((chunk, buffer, bytes)).is_err() {
                            return; // the consumer stopped (a closed pipe, a full disk)
                        }
                    }
                    finish(work);
                });
            }
            let mut take = || -> std::io::Result<()> {
                for chunk in 0..chunks {
                    // A worker that ended early panicked: the scope passes its panic on.
                    let Ok((at, buffer, bytes)) = received[chunk % workers].recv() else { return Ok(()) };
                    debug_assert_eq!(at, chunk, "each worker sends its chunks in order");
                    let start = leaves.start + chunk * batch;
                    let n = batch.min(leaves.end - start);
                    for (k, figures) in buffer.chunks(stride.max(1)).enumerate().take(n) {
                        consume(start + k, figures, made)?;
                    }
                    if !bytes.is_empty() {
                        rows(&bytes)?;
                    }
                    let _ = spent[chunk % workers].send(buffer);
                }
                Ok(())
            };
            let result = take();
            // Dropping the receivers ends the workers if the consumer failed.
            drop(received);
            result
        })
    }

    /// Every org leaf's figures of series `column` for the periods of
    /// `level`, handed to `f` in cascade order (worked out on every thread).
    pub(super) fn leaves_of(&self, column: usize, level: Level, f: &mut dyn FnMut(usize, &[u128])) {
        let series = &self.series[column];
        let len = self.calendar.level(level).len();
        let compute =
            |leaves: std::ops::Range<usize>, buffer: &mut Vec<u128>, _: &mut Vec<u8>, work: &mut LeafWork<'_, 'p>| {
                buffer.clear();
                buffer.resize(leaves.len() * len, 0);
                for (k, leaf) in leaves.enumerate() {
                    let figures = &mut buffer[k * len..(k + 1) * len];
                    if let Some(walk) = &mut work.walks[column] {
                        let (at, values) = walk.next_at(level).expect("a walk yields every leaf");
                        debug_assert_eq!(at, leaf, "leaves come in order");
                        figures.copy_from_slice(values);
                    } else {
                        work.out.clear();
                        self.spread_leaf(series, leaf, level, &mut work.out, &mut work.scratch);
                        figures.copy_from_slice(&work.out);
                    }
                }
            };
        let finish = |work: LeafWork<'_, 'p>| {
            if let Some(Some(mut walk)) = work.walks.into_iter().nth(column) {
                self.record_misses(column, walk.take_misses(), level);
            }
        };
        let mut consume = |leaf: usize, figures: &[u128], _: bool| -> std::io::Result<()> {
            f(leaf, figures);
            Ok(())
        };
        let mut no_rows = |_: &[u8]| Ok(());
        self.in_order(0..self.paths.len(), len, compute, finish, &mut consume, (Vec::new(), &mut no_rows))
            .expect("handing figures on cannot fail");
    }

    /// One org leaf's figures for a breakdown: each shared column's units per
    /// period, period-major (`figures[i * width + c]`); levels are left alone.
    fn leaf_figures(
        &self,
        leaf: usize,
        request: &Request,
        periods: &[Period],
        levels: &[Option<Vec<Value>>],
        figures: &mut [u128],
        work: &mut LeafWork<'_, '_>,
    ) {
        let width = self.series.len();
        for (c, series) in self.series.iter().enumerate() {
            if levels[c].is_some() {
                continue;
            }
            work.out.clear();
            if let Some(walk) = &mut work.walks[c] {
                let (at, values) = walk.next_at(request.time.level()).expect("a walk yields every leaf");
                debug_assert_eq!(at, leaf, "leaves come in order");
                match request.time {
                    TimeView::Tree(_) => work.out.extend_from_slice(values),
                    TimeView::IsoWeek => {
                        work.out.extend(periods.iter().map(|week| values[week.children.clone()].iter().sum::<u128>()));
                    }
                }
                for (i, units) in work.out.iter().enumerate() {
                    figures[i * width + c] = *units;
                }
                continue;
            }
            match request.time {
                TimeView::Tree(level) => self.spread_leaf(series, leaf, level, &mut work.out, &mut work.scratch),
                TimeView::IsoWeek => {
                    work.days.clear();
                    self.spread_leaf(series, leaf, Level::Day, &mut work.days, &mut work.scratch);
                    let days = &work.days;
                    work.out.extend(periods.iter().map(|week| days[week.children.clone()].iter().sum::<u128>()));
                }
            }
            for (i, units) in work.out.iter().enumerate() {
                figures[i * width + c] = *units;
            }
        }
    }

    /// Writes one cell: the shared columns' units and the levels of period `i`.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        sink: &mut dyn CellSink,
        members: &[&str],
        period: &Period,
        i: usize,
        units: &[u128],
        levels: &[Option<Vec<Value>>],
        totals: &mut [u128],
        values: &mut [Value],
    ) -> std::io::Result<()> {
        add_totals(units, levels, totals);
        self.cell_values(i, units, levels, values);
        sink.cell(&Cell { members, period, values })
    }

    /// A cell's values in period `i`: the shared columns' `units` as
    /// amounts, the levels' own values.
    fn cell_values(&self, i: usize, units: &[u128], levels: &[Option<Vec<Value>>], values: &mut [Value]) {
        for (c, series) in self.series.iter().enumerate() {
            values[c] = match &levels[c] {
                Some(by_period) => by_period[i],
                None => Value::Amount(series.precision.to_amount(Units(units[c]))),
            };
        }
    }

    /// A level's value for a period: the finest path entry containing it,
    /// else the year's value.
    fn level_at(&self, target: &LevelTarget, period: &Period) -> Value {
        let mut best: Option<(Level, Decimal)> = None;
        for (label, value, _) in &target.path {
            if let Some((level, index)) = self.calendar.find(label) {
                let p = self.calendar.period(level, index);
                let inside = p.start <= period.start && period.end <= p.end;
                if inside && best.is_none_or(|(l, _)| level > l) {
                    best = Some((level, *value));
                }
            }
        }
        level_value(target, best.map_or(target.value, |(_, v)| v))
    }
}

/// Adds a cell's `units` to the run's `totals`, the shared columns' (a
/// level is not summed).
fn add_totals(units: &[u128], levels: &[Option<Vec<Value>>], totals: &mut [u128]) {
    for ((total, units), level) in totals.iter_mut().zip(units).zip(levels) {
        if level.is_none() {
            *total += units;
        }
    }
}

/// Takes a leaf's figures in cascade order, and whether its chunk's rows
/// were made by a worker ([`Engine::in_order`]).
type Consume<'c> = &'c mut dyn FnMut(usize, &[u128], bool) -> std::io::Result<()>;

/// Takes a chunk's rows, made by a worker, in cascade order.
type WriteRows<'c> = &'c mut dyn FnMut(&[u8]) -> std::io::Result<()>;

/// Org leaves per chunk when threads share a run: big enough to keep the
/// queues cheap, small enough that memory stays flat.
pub(super) const BATCH: usize = 32;

/// Buffers one thread reuses for every leaf it works out, and under
/// contract v2's rounding each shared column's walk over the leaves (they
/// are worked out in cascade order, each org node's children together).
pub(super) struct LeafWork<'e, 'p> {
    out: Vec<u128>,
    days: Vec<u128>,
    scratch: Vec<LevelScratch>,
    walks: Vec<Option<CrossCutWalk<'e, 'p>>>,
    /// A worker's writer of the sink's rows, when it formats its chunks.
    rows: Option<Box<dyn RowWriter>>,
}

impl<'p> Engine<'p> {
    /// A thread's buffers and walks for `leaves`, sharing the frames of
    /// `shared` (one per series) with the run's other threads when given.
    fn leaf_work<'e>(&'e self, leaves: &Leaves, shared: Option<&'e [SharedFrames]>) -> LeafWork<'e, 'p> {
        let walks = self
            .series
            .iter()
            .enumerate()
            .map(|(c, s)| {
                self.walk(s).map(|w| {
                    let w = w.only_leaves(leaves.clone());
                    match shared {
                        Some(shared) => w.sharing(&shared[c]),
                        None => w,
                    }
                })
            })
            .collect();
        LeafWork { out: Vec::new(), days: Vec::new(), scratch: scratch(), walks, rows: None }
    }

    fn finish_work(&self, work: LeafWork<'_, 'p>, request: &Request) {
        let shown = request.time.level();
        for (column, walk) in work.walks.into_iter().enumerate() {
            if let Some(mut walk) = walk {
                self.record_misses(column, walk.take_misses(), shown);
            }
        }
    }
}
