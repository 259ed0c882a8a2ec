//! Stage `track`: re-planning a tracker's nodes — each node's shortfall
//! carried into its remaining periods, on one or two threads — and the
//! share of the `(unplanned)` sales each planned node counts when it is.

use chrono::NaiveDate;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::Tracker;
use crate::allocate::Exact;
use crate::calendar::Level;
use crate::diagnostic::{Code, Diagnostic};
use crate::engine::{AsOf, Cell, CellSink, Column, ColumnKind, Request, TotalRule, Value};
use crate::plan::Carry;
use crate::plan::Units;
use crate::track::replan::{replan, replan_scaled, DayRanges};

/// Planned nodes re-planned together, as one piece of work for a thread.
const REPLAN_CHUNK: usize = 128;

impl Tracker<'_, '_> {
    /// New targets for the periods after `as_of`, each tracked node's
    /// shortfall carried into its remaining periods by `carry`. Periods are
    /// shown if any of their days is after `as_of`; their figure covers
    /// those days. Returns warnings for amounts that could not be carried.
    pub fn replan(
        &self,
        request: &Request,
        as_of: NaiveDate,
        carry: Carry,
        sink: &mut dyn CellSink,
    ) -> std::io::Result<Vec<Diagnostic>> {
        let metric = Column { name: self.metric.name.clone(), kind: ColumnKind::Amount };
        sink.begin(&self.header(
            request,
            (vec![metric], vec![TotalRule::Sum]),
            AsOf { date: as_of, replan: true, tolerance: rust_decimal::Decimal::ZERO },
        ))?;
        let precision = self.metric.precision;
        let done = self.done(as_of);
        let calendar = self.engine.calendar();
        let days = calendar.level(Level::Day).len();
        let ranges = DayRanges::new(calendar);
        let periods: Vec<_> = self.periods(request).into_iter().filter(|(_, r)| r.end > done).collect();
        let unplanned = self.unplanned_shares(days);
        // The groups with planned nodes, in chunks of about `REPLAN_CHUNK` nodes.
        let groups: Vec<(Vec<&str>, Vec<usize>)> = self
            .groups(request)
            .into_iter()
            .map(|(members, nodes)| (members, nodes.into_iter().filter(|&n| n < self.targets.len()).collect()))
            .filter(|(_, nodes): &(Vec<&str>, Vec<usize>)| !nodes.is_empty())
            .collect();
        let mut chunks: Vec<&[(Vec<&str>, Vec<usize>)]> = Vec::new();
        let (mut from, mut nodes) = (0, 0);
        for (i, (_, group)) in groups.iter().enumerate() {
            nodes += group.len();
            if nodes >= REPLAN_CHUNK || i + 1 == groups.len() {
                chunks.push(&groups[from..=i]);
                (from, nodes) = (i + 1, 0);
            }
        }
        // Re-plans each node of a chunk's groups once: per group, the new
        // target of each period; and what each node could not carry. Only a
        // chunk's new targets are held at a time.
        let work = |chunk: &[(Vec<&str>, Vec<usize>)]| -> (Vec<u128>, Vec<(usize, Exact)>) {
            let mut out = Vec::with_capacity(chunk.len() * periods.len());
            let mut lost = Vec::new();
            let (mut targets, mut units, mut t) = (vec![0u128; days], Vec::with_capacity(days), vec![0u128; days]);
            for (_, nodes) in chunk {
                t.fill(0);
                for &n in nodes {
                    targets.fill(0);
                    self.targets.add_to(n, &mut targets);
                    let (new, gone) = match (unplanned.get(&n), self.actuals.units(n, &mut units)) {
                        (Some(extra), _) => {
                            let own = self.actuals.decimals(n);
                            let all: Vec<Decimal> =
                                own.iter().zip(extra).map(|(a, b)| a.checked_add(*b).unwrap_or(*a)).collect();
                            replan(calendar, &targets, &all, done, carry, precision)
                        }
                        (None, Some(scale)) => {
                            replan_scaled(calendar, &ranges, &targets, &units, scale, done, carry, precision)
                        }
                        (None, None) => replan(calendar, &targets, &self.actuals.decimals(n), done, carry, precision),
                    };
                    if !gone.is_zero() {
                        lost.push((n, gone));
                    }
                    for (x, y) in t.iter_mut().zip(&new) {
                        *x += y;
                    }
                }
                out.extend(periods.iter().map(|(_, range)| t[range.start.max(done)..range.end].iter().sum::<u128>()));
            }
            (out, lost)
        };
        let mut lost: Vec<(usize, Exact)> = Vec::new();
        let mut total: u128 = 0;
        let mut emit = |chunk: &[(Vec<&str>, Vec<usize>)], (out, gone): (Vec<u128>, Vec<(usize, Exact)>)| {
            for ((members, _), units) in chunk.iter().zip(out.chunks(periods.len().max(1))) {
                for ((period, _), &units) in periods.iter().zip(units) {
                    total += units;
                    let values = [Value::Amount(precision.to_amount(Units(units)))];
                    sink.cell(&Cell { members, period, values: &values })?;
                }
            }
            lost.extend(gone);
            std::io::Result::Ok(())
        };
        if self.threads > 1 && chunks.len() > 1 {
            // Two cores: a worker re-plans every other chunk while this
            // thread does the rest and writes them all, in order.
            std::thread::scope(|scope| -> std::io::Result<()> {
                let (send, receive) = std::sync::mpsc::sync_channel(2);
                let (work, even) = (&work, chunks.iter().step_by(2).copied().collect::<Vec<_>>());
                scope.spawn(move || {
                    for chunk in even {
                        if send.send(work(chunk)).is_err() {
                            return; // the writer stopped
                        }
                    }
                });
                for (i, chunk) in chunks.iter().enumerate() {
                    // A worker that failed has panicked: the scope passes that on.
                    let done = if i % 2 == 0 { receive.recv().unwrap_or_else(|_| work(chunk)) } else { work(chunk) };
                    emit(chunk, done)?;
                }
                Ok(())
            })?;
        } else {
            for chunk in &chunks {
                emit(chunk, work(chunk))?;
            }
        }
        sink.finish(&[Value::Amount(precision.to_amount(Units(total)))])?;
        // Warnings in the order of the nodes, whatever the order of the groups.
        lost.sort_by_key(|(n, _)| *n);
        Ok(lost
            .into_iter()
            .map(|(n, gone)| {
                let who = if self.paths[n].is_empty() { "the company".to_string() } else { self.paths[n].join(" / ") };
                let (whole, _) = gone.floor_rem();
                let amount = precision.to_amount(Units(u128::try_from(&whole).unwrap_or(0)));
                Diagnostic::new(
                    Code::CannotCarry,
                    format!("{amount} of {who}'s target cannot be carried: no day after {as_of} has a target for it"),
                )
                .help(
                    "nothing is left this year to carry it into; add it to next year's plan if it is still to be sold",
                )
            })
            .collect())
    }
}

impl Tracker<'_, '_> {
    /// The `(unplanned)` sales each planned node counts when re-planning,
    /// per day: an unplanned node's sales count toward its known parent (the
    /// members of its path that the plan has), so they are shared among the
    /// planned nodes under that parent in proportion to their yearly targets,
    /// each day's amount exactly (largest remainders, ties to the node
    /// written first). Nodes with no unplanned sales under their parent are
    /// left out.
    fn unplanned_shares(&self, days: usize) -> std::collections::HashMap<usize, Vec<Decimal>> {
        use dashu_int::UBig;
        let planned = self.targets.len();
        let mut shares: std::collections::HashMap<usize, Vec<Decimal>> = std::collections::HashMap::new();
        let mut yearly: Vec<Option<u128>> = vec![None; planned];
        let mut scratch = vec![0u128; days];
        // Per length of known path, the planned nodes under each known parent:
        // each built once, with one pass over the planned nodes.
        let mut under: IndexMap<usize, IndexMap<&[String], Vec<usize>>> = IndexMap::new();
        for u in planned..self.paths.len() {
            let path = &self.paths[u];
            let known = path.iter().take_while(|m| m.as_str() != super::UNPLANNED).count();
            let parents = under.entry(known).or_insert_with(|| {
                let mut parents: IndexMap<&[String], Vec<usize>> = IndexMap::new();
                for n in 0..planned {
                    parents.entry(&self.paths[n][..known]).or_default().push(n);
                }
                parents
            });
            let Some(siblings) = parents.get(&path[..known]) else { continue };
            let siblings = siblings.clone();
            let weights: Vec<u128> = siblings
                .iter()
                .map(|&n| {
                    *yearly[n].get_or_insert_with(|| {
                        scratch.fill(0);
                        self.targets.add_to(n, &mut scratch);
                        scratch.iter().sum()
                    })
                })
                .collect();
            let total: u128 = weights.iter().sum();
            for day in 0..days {
                let amount = self.actuals.day(u, day).decimal();
                if amount.is_zero() {
                    continue;
                }
                let (units, scale) = (amount.mantissa().unsigned_abs(), amount.scale());
                let negative = amount.is_sign_negative();
                // Each sibling's floor of units * weight / total, then the
                // leftover units to the largest remainders, the first on a tie.
                let parts: Vec<u128> = if total == 0 {
                    siblings.iter().enumerate().map(|(i, _)| if i == 0 { units } else { 0 }).collect()
                } else {
                    let whole = UBig::from(units);
                    let total_big = UBig::from(total);
                    let mut floors = Vec::with_capacity(siblings.len());
                    let mut rems = Vec::with_capacity(siblings.len());
                    for &w in &weights {
                        let product = &whole * UBig::from(w);
                        rems.push(&product % &total_big);
                        floors.push(u128::try_from(&(product / &total_big)).unwrap_or(0));
                    }
                    let mut left = units - floors.iter().sum::<u128>();
                    let mut order: Vec<usize> = (0..siblings.len()).collect();
                    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]).then(a.cmp(&b)));
                    for &i in &order {
                        if left == 0 {
                            break;
                        }
                        floors[i] += 1;
                        left -= 1;
                    }
                    floors
                };
                for (&n, part) in siblings.iter().zip(parts) {
                    if part == 0 {
                        continue;
                    }
                    let Ok(mantissa) = i128::try_from(part) else { continue };
                    let share = Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale);
                    let days_of = shares.entry(n).or_insert_with(|| vec![Decimal::ZERO; days]);
                    if let Ok(share) = share {
                        days_of[day] = days_of[day].checked_add(share).unwrap_or(days_of[day]);
                    }
                }
            }
        }
        shares
    }
}
