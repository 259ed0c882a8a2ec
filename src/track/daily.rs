//! Stage `track`: targets and actual sales per tracked org node and day,
//! held compactly. A plan of 40,000 nodes has 14.6 million node-days; as
//! `u128` targets and `Decimal` actuals that was 466 MB, here it is 4 bytes
//! each while the figures fit (`u32` targets, `i32` amounts in units of the
//! finest decimals seen), widening a node only when one of its figures
//! needs it.
//!
//! Actuals stay exact, and read back as the `Decimal` sums the report has
//! always shown, decimals included: `Decimal` addition keeps the larger
//! scale of its operands, except that adding to zero gives the other
//! operand as it is (`0.000 + 1.5` is `1.5`), so a sum's decimals depend on
//! the order of additions. [`Total`] follows that rule, and the amounts are
//! shown with at least the plan's decimals, so only decimals beyond the
//! plan's are kept per day (and only for nodes that have such amounts).

use rust_decimal::Decimal;

use crate::plan::sales_csv::Amount;

/// 10^0 ..= 10^38.
const POW10: [i128; 39] = {
    let mut p = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// `10^n`, for the scales of amounts (at most 28) and their differences.
pub(crate) fn pow10(n: u32) -> i128 {
    POW10[n as usize]
}

/// A scale (decimal places) as stored per day: a decimal's scale is at most 28.
fn scale_u8(scale: u32) -> u8 {
    u8::try_from(scale).expect("a decimal's scale is at most 28")
}

/// A sum of amounts, as a fold of `Decimal` additions from `Decimal::ZERO`
/// gives it: `units` x 10^-`scale`. Exact while the sums fit a `Decimal`
/// (beyond that `Decimal` rounds, and so does this).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Total {
    pub units: i128,
    pub scale: u32,
}

impl Total {
    /// `Decimal::ZERO`.
    pub(super) const ZERO: Total = Total { units: 0, scale: 0 };

    /// An amount as read.
    pub(super) fn of(amount: Amount) -> Total {
        Total { units: amount.mantissa, scale: amount.scale }
    }

    /// `self + other` as `Decimal` adds: a zero operand gives the other one
    /// unchanged, else the result has the larger scale.
    #[inline]
    pub(super) fn add(self, other: Total) -> Total {
        // The usual case, amounts of one scale, in a few instructions (a
        // file's total adds every row): a zero operand changes nothing then.
        if self.scale == other.scale {
            if let Some(units) = self.units.checked_add(other.units) {
                return Total { units, scale: self.scale };
            }
        }
        self.add_scaled(other)
    }

    /// [`Total::add`] of any two sums.
    #[inline(never)]
    fn add_scaled(self, other: Total) -> Total {
        if self.units == 0 {
            return other;
        }
        if other.units == 0 {
            return self;
        }
        let scale = self.scale.max(other.scale);
        let sum = self
            .units
            .checked_mul(pow10(scale - self.scale))
            .and_then(|a| other.units.checked_mul(pow10(scale - other.scale)).and_then(|b| a.checked_add(b)));
        match sum {
            Some(units) => Total { units, scale },
            // Beyond any sum of real amounts: let `Decimal` round it.
            None => Total::from(self.decimal().saturating_add(other.decimal())),
        }
    }

    /// The sum as a `Decimal`, rounded if it does not fit one (beyond 28
    /// digits), at worst to the largest `Decimal`.
    pub(super) fn decimal(self) -> Decimal {
        let (mut units, mut scale) = (self.units, self.scale);
        loop {
            if let Ok(d) = Decimal::try_from_i128_with_scale(units, scale) {
                return d;
            }
            if scale == 0 {
                return if units < 0 { Decimal::MIN } else { Decimal::MAX };
            }
            let (q, r) = (units / 10, units % 10);
            units = q + i128::from(r.abs() >= 5) * units.signum();
            scale -= 1;
        }
    }
}

impl From<Decimal> for Total {
    fn from(d: Decimal) -> Total {
        Total { units: d.mantissa(), scale: d.scale() }
    }
}

/// Daily targets (in rounding units) of the planned nodes, `days` per node,
/// in the narrowest integers that hold them.
#[derive(Debug)]
pub(crate) struct DailyTargets {
    days: usize,
    cells: TargetCells,
}

#[derive(Debug)]
enum TargetCells {
    U32(Vec<u32>),
    U64(Vec<u64>),
    U128(Vec<u128>),
}

impl DailyTargets {
    pub(super) fn new(days: usize) -> DailyTargets {
        DailyTargets { days, cells: TargetCells::U32(Vec::new()) }
    }

    /// How many nodes there are.
    pub(super) fn len(&self) -> usize {
        let cells = match &self.cells {
            TargetCells::U32(v) => v.len(),
            TargetCells::U64(v) => v.len(),
            TargetCells::U128(v) => v.len(),
        };
        cells.checked_div(self.days).unwrap_or(0)
    }

    /// Adds a node with no targets yet; returns its index.
    pub(super) fn push(&mut self) -> usize {
        let n = self.len();
        let len = (n + 1) * self.days;
        match &mut self.cells {
            TargetCells::U32(v) => v.resize(len, 0),
            TargetCells::U64(v) => v.resize(len, 0),
            TargetCells::U128(v) => v.resize(len, 0),
        }
        n
    }

    /// Adds `series` (one figure per day) to node `n`'s targets.
    pub(super) fn add(&mut self, n: usize, series: &[u128]) {
        let range = n * self.days..n * self.days + series.len().min(self.days);
        loop {
            let fits = match &mut self.cells {
                TargetCells::U32(v) => add_narrow(&mut v[range.clone()], series),
                TargetCells::U64(v) => add_narrow(&mut v[range.clone()], series),
                TargetCells::U128(v) => {
                    for (t, s) in v[range.clone()].iter_mut().zip(series) {
                        *t += s;
                    }
                    true
                }
            };
            if fits {
                return;
            }
            self.cells = match std::mem::replace(&mut self.cells, TargetCells::U32(Vec::new())) {
                TargetCells::U32(v) => TargetCells::U64(v.into_iter().map(u64::from).collect()),
                TargetCells::U64(v) => TargetCells::U128(v.into_iter().map(u128::from).collect()),
                TargetCells::U128(_) => unreachable!("u128 targets always fit"),
            };
        }
    }

    /// Adds node `n`'s targets to `into` (one per day).
    pub(super) fn add_to(&self, n: usize, into: &mut [u128]) {
        let range = n * self.days..(n + 1) * self.days;
        match &self.cells {
            TargetCells::U32(v) => into.iter_mut().zip(&v[range]).for_each(|(t, s)| *t += u128::from(*s)),
            TargetCells::U64(v) => into.iter_mut().zip(&v[range]).for_each(|(t, s)| *t += u128::from(*s)),
            TargetCells::U128(v) => into.iter_mut().zip(&v[range]).for_each(|(t, s)| *t += s),
        }
    }
}

/// Adds `series` into `cells` if every sum fits; else leaves `cells` as they were.
fn add_narrow<T: Copy + TryFrom<u128> + Into<u128>>(cells: &mut [T], series: &[u128]) -> bool {
    let sum = |(t, s): (&T, &u128)| T::try_from((*t).into().checked_add(*s)?).ok();
    if cells.iter().zip(series).all(|pair| sum(pair).is_some()) {
        for (t, s) in cells.iter_mut().zip(series) {
            *t = sum((t, s)).expect("checked");
        }
        true
    } else {
        false
    }
}

/// Actual sales per node and day: exact sums, compact.
#[derive(Debug)]
pub(crate) struct DailyActuals {
    days: usize,
    /// The plan's decimals: amounts are shown with at least these.
    dp: u32,
    /// The days of the first `flat.len() / days` nodes (the plan's), one
    /// after the other, in units of the plan's decimals, while they fit an
    /// `i32` and no amount is finer: one array, so that a row costs one
    /// memory access, and zeroed lazily by the system, so that nodes without
    /// sales take no memory.
    flat: Vec<i32>,
    /// Per node of `flat`: whether its days are still there (else in `nodes`).
    in_flat: Vec<bool>,
    /// The days of the other nodes, and of those that left `flat`.
    nodes: Vec<NodeDays>,
}

/// One node's days.
#[derive(Debug, Default)]
struct NodeDays {
    /// The values are in units of 10^-`scale`: the finest amount seen, and
    /// at least the plan's decimals.
    scale: u32,
    cells: Cells,
    /// When `scale` is finer than the plan's decimals: per day, the scale of
    /// the `Decimal` sum of that day's amounts (at least the plan's decimals).
    scales: Option<Box<[u8]>>,
}

#[derive(Debug, Default)]
enum Cells {
    /// No amounts yet.
    #[default]
    Empty,
    Narrow(Box<[i32]>),
    Wide(Box<[i64]>),
    /// Beyond 64-bit units: the `Decimal` sums themselves.
    Exact(Box<[Decimal]>),
}

impl DailyActuals {
    /// Room for `nodes` nodes of `days` days; nodes take memory from their first amount.
    pub(super) fn new(days: usize, dp: u32, nodes: usize) -> DailyActuals {
        DailyActuals {
            days,
            dp,
            flat: vec![0; nodes * days],
            in_flat: vec![true; nodes],
            nodes: (0..nodes).map(|_| NodeDays::default()).collect(),
        }
    }

    /// As [`DailyActuals::new`], for rows that will reach most of the days:
    /// the days' memory is written up front. Left to the system, each page
    /// would be mapped twice (read as zeros, then written), and each second
    /// time stops every core running the process; on 10 million rows over
    /// 14.6 million days that took a third of a second.
    pub(super) fn new_written(days: usize, dp: u32, nodes: usize) -> DailyActuals {
        let mut daily = DailyActuals::new(days, dp, nodes);
        // Through `black_box`: the compiler knows fresh zeroed memory is zero.
        daily.flat.fill(std::hint::black_box(0));
        daily
    }

    /// The bytes the days of `nodes` nodes take: [`DailyActuals::new_written`]
    /// pays when rows are many more than their pages (of 4,096 bytes).
    pub(super) fn bytes(days: usize, nodes: usize) -> u64 {
        (days * nodes * std::mem::size_of::<i32>()) as u64
    }

    /// Reads the days `cells` (node, day) will add to, all at once, so that
    /// the memory they are in is fetched at the same time.
    pub(super) fn touch(&self, cells: impl Iterator<Item = (usize, usize)>) {
        let mut seen = 0i32;
        for (node, day) in cells {
            if let Some(cell) = self.flat.get(node * self.days + day) {
                seen ^= *cell;
            }
        }
        std::hint::black_box(seen);
    }

    /// Node `node`'s days in `flat`, if they are there.
    fn flat(&self, node: usize) -> Option<&[i32]> {
        self.in_flat.get(node).is_some_and(|f| *f).then(|| &self.flat[node * self.days..(node + 1) * self.days])
    }

    /// How many nodes there are.
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Makes room for `nodes` nodes, if there are fewer.
    pub(super) fn grow(&mut self, nodes: usize) {
        if nodes > self.nodes.len() {
            self.nodes.resize_with(nodes, NodeDays::default);
        }
    }

    /// Adds `amount` to node `node` on day `day` (a node past the last is
    /// added). `false` (nothing added) when the day's sum would not fit a `Decimal`.
    #[inline]
    pub(super) fn add(&mut self, node: usize, day: usize, amount: Amount) -> bool {
        if node >= self.nodes.len() {
            self.nodes.resize_with(node + 1, NodeDays::default);
        }
        // The common case: a plan's node, amounts no finer than the plan's, a narrow sum.
        if self.in_flat.get(node).is_some_and(|f| *f) && amount.scale <= self.dp {
            let cell = &mut self.flat[node * self.days + day];
            // Amounts of the plan's decimals (the usual case) need no multiplication.
            let units = if amount.scale == self.dp {
                Some(amount.mantissa)
            } else {
                amount.mantissa.checked_mul(pow10(self.dp - amount.scale))
            };
            let sum = units.and_then(|u| u.checked_add(i128::from(*cell)));
            if let Some(sum) = sum.and_then(|s| i32::try_from(s).ok()) {
                *cell = sum;
                return true;
            }
        }
        if let Some(cells) = self.flat(node) {
            self.nodes[node] = NodeDays { scale: self.dp, cells: Cells::Narrow(cells.into()), scales: None };
            self.in_flat[node] = false;
        }
        self.nodes[node].add(day, amount, self.days, self.dp)
    }

    /// Node `node`'s day `day` as a [`Total`], with the scale of its
    /// `Decimal` sum (or an equivalent one: at least the plan's decimals).
    pub(super) fn day(&self, node: usize, day: usize) -> Total {
        if let Some(cells) = self.flat(node) {
            return Total { units: i128::from(cells[day]), scale: self.dp };
        }
        let n = &self.nodes[node];
        let (units, scale) = match &n.cells {
            Cells::Empty => return Total::ZERO,
            Cells::Exact(cells) => return Total::from(cells[day]),
            Cells::Narrow(cells) => (i128::from(cells[day]), n.scale),
            Cells::Wide(cells) => (i128::from(cells[day]), n.scale),
        };
        n.total(units, scale, day, self.dp)
    }

    /// Folds node `node`'s days into `into` (one per day), as adding its
    /// `Decimal` days one by one would.
    pub(super) fn add_to(&self, node: usize, into: &mut [Total]) {
        if let Some(cells) = self.flat(node) {
            let scale = self.dp;
            for (t, c) in into.iter_mut().zip(cells) {
                *t = t.add(Total { units: i128::from(*c), scale });
            }
            return;
        }
        let n = &self.nodes[node];
        match (&n.cells, &n.scales) {
            (Cells::Narrow(cells), None) => {
                let scale = n.scale;
                for (t, c) in into.iter_mut().zip(cells.iter()) {
                    *t = t.add(Total { units: i128::from(*c), scale });
                }
            }
            (Cells::Wide(cells), None) => {
                let scale = n.scale;
                for (t, c) in into.iter_mut().zip(cells.iter()) {
                    *t = t.add(Total { units: i128::from(*c), scale });
                }
            }
            _ => {
                for (d, t) in into.iter_mut().enumerate() {
                    *t = t.add(self.day(node, d));
                }
            }
        }
    }

    /// Node `node`'s days as integers in units of 10^-scale, and that scale;
    /// `None` for a node whose sums are `Decimal`s (see [`DailyActuals::decimals`]).
    pub(super) fn units(&self, node: usize, out: &mut Vec<i128>) -> Option<u32> {
        out.clear();
        if let Some(cells) = self.flat(node) {
            out.extend(cells.iter().map(|c| i128::from(*c)));
            return Some(self.dp);
        }
        let n = &self.nodes[node];
        match &n.cells {
            Cells::Empty => out.resize(self.days, 0),
            Cells::Narrow(cells) => out.extend(cells.iter().map(|c| i128::from(*c))),
            Cells::Wide(cells) => out.extend(cells.iter().map(|c| i128::from(*c))),
            Cells::Exact(_) => return None,
        }
        Some(n.scale.max(self.dp))
    }

    /// Adds `other`'s sums (the same nodes and days, read from another part
    /// of the file) into these, when both hold every node in `flat` (amounts
    /// no finer than the plan's, sums that fit): then a day's sum is an
    /// integer of the plan's decimals either way, whatever order its amounts
    /// came in. `false`, changing nothing, otherwise or when a sum would not
    /// fit; the caller then reads the file in one piece.
    pub(super) fn absorb(&mut self, other: &DailyActuals) -> bool {
        let flat_only = |d: &DailyActuals| d.in_flat.iter().all(|f| *f) && d.nodes.len() == d.in_flat.len();
        if !flat_only(self) || !flat_only(other) || self.flat.len() != other.flat.len() || self.dp != other.dp {
            return false;
        }
        let fits = self.flat.iter().zip(&other.flat).all(|(a, b)| a.checked_add(*b).is_some());
        if fits {
            for (a, b) in self.flat.iter_mut().zip(&other.flat) {
                *a += *b;
            }
        }
        fits
    }

    /// Whether some amount had more decimals than the plan's (or may have:
    /// sums beyond 64 bits no longer say): then the decimals of a day's sum
    /// depend on the order its amounts came in.
    pub(super) fn finer_than_plan(&self) -> bool {
        self.nodes.iter().any(|n| n.scale > self.dp || matches!(n.cells, Cells::Exact(_)))
    }

    /// Node `node`'s days as `Decimal` sums.
    pub(super) fn decimals(&self, node: usize) -> Vec<Decimal> {
        (0..self.days).map(|d| self.day(node, d).decimal()).collect()
    }
}

impl NodeDays {
    /// A day's value in units of 10^-`scale` as the [`Total`] it stands for.
    fn total(&self, units: i128, scale: u32, day: usize, dp: u32) -> Total {
        let shown = self.scales.as_ref().map_or(scale, |s| u32::from(s[day]));
        if shown == scale {
            Total { units, scale }
        } else {
            // The value is a whole number of units of its own scale.
            Total { units: units / pow10(scale - shown), scale: shown.max(dp) }
        }
    }

    /// The general case of [`DailyActuals::add`]: a first amount, a finer
    /// one, or a sum that needs wider cells.
    fn add(&mut self, day: usize, amount: Amount, days: usize, dp: u32) -> bool {
        if let Cells::Empty = self.cells {
            self.cells = Cells::Narrow(vec![0; days].into_boxed_slice());
            self.scale = dp.max(amount.scale);
            if self.scale > dp {
                self.scales = Some(vec![scale_u8(dp); days].into_boxed_slice());
            }
        }
        if let Cells::Exact(cells) = &mut self.cells {
            return match cells[day].checked_add(amount.decimal()) {
                Some(sum) => {
                    cells[day] = sum;
                    true
                }
                None => false,
            };
        }
        if amount.scale > self.scale && !self.rescale(amount.scale, dp) {
            self.make_exact(days, dp);
            return self.add(day, amount, days, dp);
        }
        let Some(units) = amount.mantissa.checked_mul(pow10(self.scale - amount.scale)) else {
            self.make_exact(days, dp);
            return self.add(day, amount, days, dp);
        };
        let old = match &self.cells {
            Cells::Narrow(cells) => i128::from(cells[day]),
            Cells::Wide(cells) => i128::from(cells[day]),
            Cells::Empty | Cells::Exact(_) => unreachable!("filled above"),
        };
        // The day's sum, and its scale under `Decimal`'s rule for zeros.
        let (sum, shown) = match &self.scales {
            None => (old.checked_add(units), None),
            Some(scales) => {
                let was = u32::from(scales[day]);
                let this = amount.scale.max(dp);
                if old == 0 {
                    (Some(units), Some(this))
                } else if units == 0 {
                    (Some(old), Some(was))
                } else {
                    (old.checked_add(units), Some(was.max(this)))
                }
            }
        };
        let stored = sum.is_some_and(|sum| match &mut self.cells {
            Cells::Narrow(cells) => i32::try_from(sum).map(|s| cells[day] = s).is_ok(),
            Cells::Wide(cells) => i64::try_from(sum).map(|s| cells[day] = s).is_ok(),
            Cells::Empty | Cells::Exact(_) => false,
        });
        if !stored {
            match &self.cells {
                Cells::Narrow(cells) if sum.is_some_and(|s| i64::try_from(s).is_ok()) => {
                    self.cells = Cells::Wide(cells.iter().map(|c| i64::from(*c)).collect());
                }
                _ => self.make_exact(days, dp),
            }
            return self.add(day, amount, days, dp);
        }
        if let (Some(scales), Some(shown)) = (&mut self.scales, shown) {
            scales[day] = scale_u8(shown);
        }
        true
    }

    /// Puts the node's values in units of 10^-`scale` (finer than now);
    /// `false` if they would not fit 64 bits.
    fn rescale(&mut self, scale: u32, dp: u32) -> bool {
        let factor = pow10(scale - self.scale);
        let wide: Option<Vec<i64>> = match &self.cells {
            Cells::Narrow(cells) => cells.iter().map(|c| i64::try_from(i128::from(*c) * factor).ok()).collect(),
            Cells::Wide(cells) => {
                cells.iter().map(|c| i64::try_from(i128::from(*c).checked_mul(factor)?).ok()).collect()
            }
            Cells::Empty | Cells::Exact(_) => unreachable!("rescaled when filled"),
        };
        let Some(wide) = wide else { return false };
        let days = wide.len();
        self.cells = match wide.iter().map(|c| i32::try_from(*c).ok()).collect::<Option<Vec<i32>>>() {
            Some(narrow) => Cells::Narrow(narrow.into_boxed_slice()),
            None => Cells::Wide(wide.into_boxed_slice()),
        };
        if self.scales.is_none() {
            self.scales = Some(vec![scale_u8(dp); days].into_boxed_slice());
        }
        self.scale = scale;
        true
    }

    /// Turns the node's values into the `Decimal` sums they stand for.
    fn make_exact(&mut self, days: usize, dp: u32) {
        let values: Vec<i128> = match &self.cells {
            Cells::Narrow(cells) => cells.iter().map(|c| i128::from(*c)).collect(),
            Cells::Wide(cells) => cells.iter().map(|c| i128::from(*c)).collect(),
            Cells::Empty => vec![0; days],
            Cells::Exact(_) => return,
        };
        let exact = values.iter().enumerate().map(|(d, v)| self.total(*v, self.scale, d, dp).decimal()).collect();
        self.cells = Cells::Exact(exact);
        self.scales = None;
    }
}

#[cfg(test)]
mod tests;
