//! Property tests of re-planning (`salesplit track --replan`), through the
//! library: random small plans and random actual sales, a random as-of date
//! and a random carry policy.
//!
//! The rule (README, "Tracking"; brief, "Tracking and re-planning"): down
//! each tracked node's time tree, a period's shortfall over its children
//! that are over (every day on or before as-of, or nothing left to target
//! after it) is carried into its remaining children in proportion to their
//! original targets, rounded by the brief's rule, so that the new remaining
//! targets plus the actuals to date equal the original target. `shortfall`
//! (the default) leaves later targets unchanged after a surplus (per
//! period, net over the children that are over), `both` lowers them, and
//! `none` keeps the plan.
//!
//! Properties (each a `proptest!` below):
//!
//! * `conserves_and_follows_the_policy` — per tracked node, straight
//!   through `salesplit::track::replan`: days on or before as-of get 0;
//!   with no day after as-of left to target, nothing is re-planned and
//!   target - actual (if positive) is reported as lost; `both` asks at
//!   least target - actual (exactly that in the ignored
//!   `both_conserves_after_a_surplus`, and whenever the node is behind
//!   everywhere), with whole-unit actuals; `none` keeps every remaining day's
//!   original target; `shortfall` never lowers a remaining day, equals
//!   `both` when the node is behind in every period it re-plans, and equals
//!   `none` when it is not behind in any.
//! * `never_negative_and_zero_stays_zero` — no new target is negative, and a
//!   day with no original target (a weekend under workdays, a zero-weight
//!   month or member) gets 0.
//! * `proportionate_under_each_parent` — under every period being
//!   re-planned, children not started yet with equal original targets
//!   differ by at most one unit, and a larger original target never gets
//!   less; and every period's remaining children get its rest shared by the
//!   brief's largest-remainder rule against their exact shares (worked out
//!   here with big rationals from the rule alone, `common/rounding.rs`).
//! * `adds_up_at_every_level` — through `Tracker::replan`: the day-level run
//!   shows exactly the nodes' new daily targets; at week, month, quarter and
//!   year level, by any subset of the tracked splits and sometimes with a
//!   `--period`, each cell is the sum of its days' figures from the
//!   day-level run, after as-of (and exactly the periods with a day after
//!   as-of are shown); the finish
//!   total is the sum of the cells; what cannot be carried is warned about.
//! * `deterministic` — the same plan and actuals (also with the actual rows
//!   in another order) give byte-identical CSV.
//!
//! `cargo test --test tests replan_properties::` takes about 20 s in a debug
//! build on two cores. A long run of all of them: `cargo test --release --test
//! tests replan_properties::every_property -- --ignored`.
//!
//! Two fixed bugs are pinned by a property and a worked example each: under
//! `both`, a surplus larger than its period's new target lowers the later
//! periods (it was once dropped); and actuals finer than the precision are
//! rounded once (they were once re-rounded at every level).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use salesplit::calendar::{Calendar, Level};
use salesplit::engine::{Cell, CellSink, Engine, Header, Value};
use salesplit::plan::{Carry, Plan, Precision};
use salesplit::render::CsvSink;
use salesplit::track::{replan, Tracker};

use crate::common::rounding;

// ------------------------------------------------------------ the plan spec

const PRECISIONS: [&str; 3] = ["0.01", "1", "100"];
const SPREADS: [&str; 3] = ["even", "days", "workdays"];
const COEFFICIENTS: [&str; 5] = ["0", "1", "1.2", "1.5", "2"];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const CARRIES: [Carry; 3] = [Carry::Shortfall, Carry::Both, Carry::None];
const SPLITS: [(&str, [&str; 3]); 2] = [("region", ["东北", "华东", "华南"]), ("product", ["A", "B, Inc", "C"])];
const LEVELS: [&str; 5] = ["year", "quarter", "month", "week", "day"];

/// How one tracked node's actual sales are made up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Rows on random days with random amounts (zeros, returns, surpluses).
    Free,
    /// Every day at or below its target (behind at every level).
    Behind,
    /// Every day at or above its target (never behind).
    Ahead,
    /// Every day exactly on target.
    OnPlan,
    /// Every day from nothing to twice its target: behind in some
    /// periods, ahead in others.
    Mixed,
}

/// A random plan and its actuals, held as small shrinkable choices.
// Independent yes/no choices, each shrunk on its own: bools, not a state enum.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug)]
struct Spec {
    year: i32,
    /// Fiscal year from April.
    fiscal: bool,
    precision: usize,
    /// The annual total in units of the precision.
    total: u64,
    spread: usize,
    months: Option<Vec<u8>>,
    quarters: Option<Vec<u8>>,
    /// Indices into [`COEFFICIENTS`], Monday first.
    weekdays: Option<Vec<usize>>,
    /// 0: the default; else 1 + index into [`WEEKDAYS`].
    week_start: usize,
    /// Per split, the weights of its three members (0 allowed, not all 0).
    splits: Vec<Vec<u8>>,
    /// How many splits the actuals name (a prefix of the plan's).
    depth: usize,
    /// The split columns of the actuals come in reverse order.
    reverse_columns: bool,
    /// Day index of the as-of date in the plan year (taken modulo its
    /// length); negative: counted back from the last day (-1).
    as_of: i16,
    carry: usize,
    /// Per tracked node (cycled), how its actuals are made up.
    modes: Vec<Mode>,
    /// Free rows: (day pick, node pick, per cent of a typical day).
    rows: Vec<(u16, u8, i16)>,
    /// Some rows dated after as-of (in the file, not in the figures to date).
    late_rows: bool,
    /// Quote some amounts with thousands separators.
    grouped: bool,
    /// Free rows have amounts finer than the precision (cents under "1").
    fine: bool,
    /// Picks for requests (`--by`) and details.
    pick: u64,
}

/// `n` weights from 0 to 5, 0 with odds `zero` in 12.
fn weight_list(n: usize, zero: u32) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(prop_oneof![12 - zero => 1u8..=5, zero => Just(0u8)], n)
}

fn modes() -> impl Strategy<Value = Vec<Mode>> {
    let mode = prop_oneof![
        4 => Just(Mode::Free),
        2 => Just(Mode::Behind),
        2 => Just(Mode::Ahead),
        1 => Just(Mode::OnPlan),
        3 => Just(Mode::Mixed)
    ];
    proptest::collection::vec(mode, 1..4)
}

fn totals() -> impl Strategy<Value = u64> {
    prop_oneof![1 => 0u64..=60, 2 => 61u64..=5_000, 5 => 5_001u64..=10_000_000]
}

fn rows() -> impl Strategy<Value = Vec<(u16, u8, i16)>> {
    let pct = prop_oneof![6 => 0i16..=300, 2 => -150i16..0, 1 => Just(0i16), 1 => 300i16..=3000];
    proptest::collection::vec((any::<u16>(), any::<u8>(), pct), 0..30)
}

fn spec() -> impl Strategy<Value = Spec> {
    spec_with(0.1)
}

/// Specs whose free rows are finer than the precision with probability `fine`.
fn spec_with(fine: f64) -> impl Strategy<Value = Spec> {
    let calendar = (
        prop_oneof![3 => Just(2026), 1 => Just(2024)],
        proptest::bool::weighted(0.15),
        0..PRECISIONS.len(),
        totals(),
        0..SPREADS.len(),
        proptest::option::weighted(0.4, weight_list(12, 3)),
        proptest::option::weighted(0.25, weight_list(4, 2)),
        proptest::option::weighted(0.25, proptest::collection::vec(0..COEFFICIENTS.len(), 7)),
        0..=WEEKDAYS.len(),
    );
    let org = (proptest::collection::vec(weight_list(3, 1), 0..=2), 0usize..=2, any::<bool>());
    let actuals = (
        prop_oneof![8 => 0i16..366, 1 => 0i16..3, 1 => -3i16..0],
        0..CARRIES.len(),
        modes(),
        rows(),
        proptest::bool::weighted(0.2),
        proptest::bool::weighted(0.2),
        proptest::bool::weighted(fine),
        any::<u64>(),
    );
    (calendar, org, actuals).prop_map(
        |(
            (year, fiscal, precision, total, spread, months, quarters, weekdays, week_start),
            (splits, depth, reverse_columns),
            (as_of, carry, modes, rows, late_rows, grouped, fine, pick),
        )| {
            let mut spec = Spec {
                year,
                fiscal,
                precision,
                total,
                spread,
                months,
                quarters,
                weekdays,
                week_start,
                depth: depth.min(splits.len()),
                splits,
                reverse_columns,
                as_of,
                carry,
                modes,
                rows,
                late_rows,
                grouped,
                fine,
                pick,
            };
            spec.make_valid();
            spec
        },
    )
}

impl Spec {
    /// Fixes the choices that would make the plan invalid: weights that are
    /// all zero, and a quarter with a weight but no month to carry it.
    fn make_valid(&mut self) {
        for weights in &mut self.splits {
            if weights.iter().all(|w| *w == 0) {
                weights[0] = 1;
            }
        }
        if let Some(q) = &mut self.quarters {
            if q.iter().all(|w| *w == 0) {
                q[0] = 1;
            }
        }
        if let Some(m) = &mut self.months {
            if let Some(q) = &self.quarters {
                // A quarter with a weight needs a month with one.
                for (quarter, weight) in q.iter().enumerate() {
                    let months = &mut m[quarter * 3..quarter * 3 + 3];
                    if *weight > 0 && months.iter().all(|w| *w == 0) {
                        months[1] = 2;
                    }
                }
            }
            if m.iter().all(|w| *w == 0) {
                m[0] = 1;
            }
        }
        if let Some(w) = &mut self.weekdays {
            // Monday always counts, so that every month has a day of weight.
            if w[0] == 0 {
                w[0] = 1;
            }
        }
    }

    fn precision(&self) -> Precision {
        Precision::new(PRECISIONS[self.precision].parse().unwrap()).unwrap()
    }

    fn carry(&self) -> Carry {
        CARRIES[self.carry]
    }

    /// An amount of `centi` hundredths of a unit of the precision, as
    /// written in files: with the precision's decimals, or more if finer.
    fn amount_text(&self, centi: i128) -> String {
        let p = self.precision();
        let mut amount = (Decimal::from_i128_with_scale(centi, 2) * p.unit()).normalize();
        if amount.scale() < p.decimals() {
            amount.rescale(p.decimals());
        }
        amount.to_string()
    }

    fn toml(&self) -> String {
        let mut t = String::new();
        writeln!(t, "[plan]\nname = \"re-plan property\"\ncurrency = \"CNY\"\nyear = {}", self.year).unwrap();
        if self.fiscal {
            writeln!(t, "start = \"{}-04-01\"", self.year).unwrap();
        }
        writeln!(t, "precision = \"{}\"\n", PRECISIONS[self.precision]).unwrap();
        writeln!(t, "[target]\nsales = \"{}\"\n", self.amount_text(i128::from(self.total) * 100)).unwrap();
        writeln!(t, "[time]\nspread = \"{}\"\nlevel = \"month\"", SPREADS[self.spread]).unwrap();
        let list = |w: &[u8]| w.iter().map(std::string::ToString::to_string).collect::<Vec<_>>().join(", ");
        if let Some(m) = &self.months {
            writeln!(t, "months = [{}]", list(m)).unwrap();
        }
        if let Some(q) = &self.quarters {
            writeln!(t, "quarters = [{}]", list(q)).unwrap();
        }
        if let Some(w) = &self.weekdays {
            let pairs: Vec<String> =
                WEEKDAYS.iter().zip(w).map(|(d, c)| format!("{d} = {}", COEFFICIENTS[*c])).collect();
            writeln!(t, "weekdays = {{ {} }}", pairs.join(", ")).unwrap();
        }
        if self.week_start > 0 {
            writeln!(t, "week_start = \"{}\"", WEEKDAYS[self.week_start - 1]).unwrap();
        }
        for (i, weights) in self.splits.iter().enumerate() {
            let (by, names) = SPLITS[i];
            let pairs: Vec<String> = names.iter().zip(weights).map(|(n, w)| format!("\"{n}\" = {w}")).collect();
            writeln!(t, "\n[[split]]\nby = \"{by}\"\nweights = {{ {} }}", pairs.join(", ")).unwrap();
        }
        t
    }
}

// ------------------------------------------------------- the built case

/// A tracked node: its member path (cut to the actuals' depth), its
/// original daily targets (units) and its actual sales per day (hundredths
/// of a unit, so that amounts finer than the precision can be made).
#[derive(Clone, Debug)]
struct Node {
    path: Vec<String>,
    targets: Vec<u128>,
    actuals: Vec<i128>,
}

impl Node {
    fn name(&self) -> String {
        if self.path.is_empty() {
            "the company".to_string()
        } else {
            self.path.join(" / ")
        }
    }

    fn decimal_actuals(&self, p: Precision) -> Vec<Decimal> {
        self.actuals.iter().map(|c| Decimal::from_i128_with_scale(*c, 2) * p.unit()).collect()
    }
}

/// A small deterministic generator (splitmix64) for details drawn from a pick.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn ok<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> Result<T, TestCaseError> {
    r.map_err(|e| TestCaseError::fail(format!("{what}: {e}")))
}

/// The tracked nodes of the plan with their targets, in first-appearance
/// order of the org leaves cut to `depth`.
fn tracked_nodes(engine: &Engine<'_>, depth: usize) -> Vec<Node> {
    let days = engine.calendar().level(Level::Day).len();
    let mut nodes: Vec<Node> = Vec::new();
    engine.for_each_leaf(Level::Day, |path, series| {
        let key: Vec<String> = path[..depth].iter().map(std::string::ToString::to_string).collect();
        let node = if let Some(i) = nodes.iter().position(|n| n.path == key) {
            i
        } else {
            nodes.push(Node { path: key, targets: vec![0; days], actuals: vec![0; days] });
            nodes.len() - 1
        };
        for (t, s) in nodes[node].targets.iter_mut().zip(series) {
            *t += s;
        }
    });
    nodes
}

/// One actual row: the node, the day index, the amount in hundredths of a unit.
type Sale = (usize, usize, i128);

/// Makes up the actual rows of every node by its mode, and records them
/// per day in the nodes.
fn make_sales(spec: &Spec, nodes: &mut [Node], done: usize) -> Vec<Sale> {
    let days = nodes[0].targets.len();
    let mut rng = Rng(spec.pick);
    let mut sales: Vec<Sale> = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        let total: u128 = node.targets.iter().sum();
        match spec.modes[n % spec.modes.len()] {
            Mode::Free => {
                let typical = (total / 200).max(1) as i128;
                for &(day, pick, pct) in &spec.rows {
                    if pick as usize % nodes.len() != n {
                        continue;
                    }
                    // Whole units, plus a part of one with `fine`.
                    let fine = if spec.fine { i128::from(rng.below(100)) } else { 0 };
                    sales.push((n, day as usize % done, typical * i128::from(pct) / 100 * 100 + fine));
                }
            }
            mode => {
                for (d, &t) in node.targets[..done].iter().enumerate() {
                    let f = u128::from(rng.below(5));
                    let units = match mode {
                        Mode::Behind => t * f / 4,
                        Mode::Ahead => t + (t * f).div_ceil(4) + u128::from(rng.below(3) == 0),
                        Mode::Mixed => t * u128::from(rng.below(9)) / 4,
                        _ => t,
                    };
                    if units > 0 || rng.below(8) == 0 {
                        // A big day sometimes comes as two transactions.
                        if units > 1 && rng.below(4) == 0 {
                            sales.push((n, d, (units / 2) as i128 * 100));
                            sales.push((n, d, (units - units / 2) as i128 * 100));
                        } else {
                            sales.push((n, d, units as i128 * 100));
                        }
                    }
                }
            }
        }
        if spec.late_rows && done < days {
            let d = done + rng.below((days - done) as u64) as usize;
            sales.push((n, d, (total / 50).max(1) as i128 * 100));
        }
    }
    for &(n, d, units) in &sales {
        nodes[n].actuals[d] += units;
    }
    sales
}

/// The actuals CSV: `date`, the split columns (in the plan's order or
/// reversed) and `sales`, one line per sale in the given order.
fn sales_csv(spec: &Spec, calendar: &Calendar, nodes: &[Node], sales: &[Sale]) -> String {
    let mut splits: Vec<usize> = (0..spec.depth).collect();
    if spec.reverse_columns {
        splits.reverse();
    }
    let quote = |s: &str| if s.contains(',') { format!("\"{s}\"") } else { s.to_string() };
    let mut csv = String::from("date");
    for &s in &splits {
        write!(csv, ",{}", SPLITS[s].0).unwrap();
    }
    csv.push_str(",sales\n");
    for (i, &(n, d, units)) in sales.iter().enumerate() {
        let date = calendar.start() + chrono::Days::new(d as u64);
        write!(csv, "{date}").unwrap();
        for &s in &splits {
            write!(csv, ",{}", quote(&nodes[n].path[s])).unwrap();
        }
        let text = spec.amount_text(units);
        if spec.grouped && i % 2 == 0 && units >= 0 && text.split('.').next().unwrap().len() > 3 {
            writeln!(csv, ",\"{}\"", thousands(&text)).unwrap();
        } else {
            writeln!(csv, ",{text}").unwrap();
        }
    }
    csv
}

/// `1234567.89` as `1,234,567.89`.
fn thousands(text: &str) -> String {
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Everything a property needs, built from a spec.
struct Case {
    plan: Plan,
    toml: String,
}

impl Case {
    fn new(spec: &Spec) -> Result<Case, TestCaseError> {
        let toml = spec.toml();
        let plan = ok(Plan::parse("plan.toml", &toml, Path::new(".")), &format!("plan\n{toml}"))?;
        Ok(Case { plan, toml })
    }
}

/// The built engine, nodes and actuals of a case.
struct Run<'p> {
    engine: Engine<'p>,
    nodes: Vec<Node>,
    sales: Vec<Sale>,
    csv: String,
    done: usize,
    as_of: NaiveDate,
}

fn build<'p>(spec: &Spec, case: &'p Case) -> Result<Run<'p>, TestCaseError> {
    let engine = ok(Engine::new(&case.plan), &format!("engine\n{}", case.toml))?;
    let calendar = engine.calendar();
    let days = calendar.level(Level::Day).len();
    let done = if spec.as_of < 0 { days - spec.as_of.unsigned_abs() as usize } else { spec.as_of as usize % days } + 1;
    let as_of = calendar.start() + chrono::Days::new(done as u64 - 1);
    let mut nodes = tracked_nodes(&engine, spec.depth);
    let sales = make_sales(spec, &mut nodes, done);
    let csv = sales_csv(spec, calendar, &nodes, &sales);
    Ok(Run { engine, nodes, sales, csv, done, as_of })
}

impl Run<'_> {
    fn tracker(&self, csv: &str) -> Result<Tracker<'_, '_>, TestCaseError> {
        ok(Tracker::new(&self.engine, csv.as_bytes(), "sales.csv", true), &format!("actuals\n{csv}"))
    }

    fn replan(&self, node: &Node, carry: Carry) -> (Vec<u128>, salesplit::allocate::Exact) {
        let p = self.engine.plan().precision;
        replan(self.engine.calendar(), &node.targets, &node.decimal_actuals(p), self.done, carry, p)
    }
}

// ------------------------------------------------------ the re-plan walk

/// A day range of a period: indices into the plan year's days.
fn days_of(calendar: &Calendar, level: Level, index: usize) -> Range<usize> {
    let p = calendar.period(level, index);
    let first = calendar.start();
    (p.start - first).num_days() as usize..(p.end - first).num_days() as usize + 1
}

/// One period being re-planned: its children that are over and those that
/// remain, as day ranges.
struct Visit {
    label: String,
    /// The period's level and days.
    level: Level,
    range: Range<usize>,
    over: Vec<Range<usize>>,
    open: Vec<Range<usize>>,
}

/// The periods the rule re-plans, from the year down: a child is over when
/// all its days are done or its days after as-of have no target; the
/// remaining children are re-planned in turn (the rule as stated, written
/// from the README, not from the implementation).
fn walk(calendar: &Calendar, targets: &[u128], done: usize) -> Vec<Visit> {
    fn go(calendar: &Calendar, targets: &[u128], done: usize, level: Level, index: usize, out: &mut Vec<Visit>) {
        let Some(finer) = level.finer() else { return };
        let children = calendar.period(level, index).children.clone();
        if children.is_empty() {
            return;
        }
        let label = calendar.period(level, index).label.clone();
        let range = days_of(calendar, level, index);
        let mut visit = Visit { label, level, range, over: vec![], open: vec![] };
        let mut open = Vec::new();
        for c in children {
            let r = days_of(calendar, finer, c);
            let left: u128 = targets[r.start.max(done)..r.end.max(done)].iter().sum();
            if r.end <= done || left == 0 {
                visit.over.push(r);
            } else {
                visit.open.push(r);
                open.push(c);
            }
        }
        out.push(visit);
        for c in open {
            go(calendar, targets, done, finer, c, out);
        }
    }
    let mut out = Vec::new();
    go(calendar, targets, done, Level::Year, 0, &mut out);
    out
}

/// Actual and planned to date of the children that are over, in hundredths of a unit.
fn over_sums(node: &Node, visit: &Visit, done: usize) -> (i128, i128) {
    let mut actual = 0i128;
    let mut planned = 0i128;
    for r in &visit.over {
        actual += node.actuals[r.start..r.end.min(done).max(r.start)].iter().sum::<i128>();
        planned += node.targets[r.clone()].iter().sum::<u128>() as i128 * 100;
    }
    (actual, planned)
}

/// What the children that are over count for under `carry`, in hundredths
/// of a unit: their actuals (`both`), their targets (`none`), or the
/// smaller of the two (`shortfall`).
fn counted(node: &Node, visit: &Visit, done: usize, carry: Carry) -> i128 {
    let (actual, planned) = over_sums(node, visit, done);
    match carry {
        Carry::Both => actual,
        Carry::None => planned,
        Carry::Shortfall => actual.min(planned),
    }
}

fn ratio(num: i128, den: i128) -> BigRational {
    BigRational::new(BigInt::from(num), BigInt::from(den))
}

/// Rounded by the brief's rule, level by level. The exact new value of
/// every period being re-planned follows from the rule alone: the year's
/// is the original target; a period's rest is its exact value less what
/// its children that are over count for, shared among its remaining
/// children by their original targets. What a remaining child was given,
/// in units, is its new days plus everything counted inside it; the
/// children's figures must be that rest in units shared by the
/// largest-remainder rule. Nodes with actuals finer than the precision are
/// left out, and so are `both` runs where a surplus exceeds its period's
/// rest (see `both_conserves_after_a_surplus`).
fn check_rounding(node: &Node, visits: &[Visit], new: &[u128], done: usize, carry: Carry) -> Result<(), String> {
    if node.actuals.iter().any(|c| c % 100 != 0) {
        return Ok(());
    }
    let counts: Vec<i128> = visits.iter().map(|v| counted(node, v, done, carry)).collect();
    // What a period at `level` over `range` was given, in hundredths.
    let given = |level: Level, range: &Range<usize>| -> i128 {
        let inside: i128 = visits
            .iter()
            .zip(&counts)
            .filter(|(v, _)| v.level >= level && range.start <= v.range.start && v.range.end <= range.end)
            .map(|(_, c)| c)
            .sum();
        new[range.clone()].iter().sum::<u128>() as i128 * 100 + inside
    };
    // The exact values, from the rule alone, top down (visits come parent
    // first); a surplus beyond its period's rest makes it negative.
    let total: u128 = node.targets.iter().sum();
    let mut exact: HashMap<(Level, Range<usize>), BigRational> = HashMap::new();
    exact.insert((Level::Year, visits[0].range.clone()), ratio(total as i128, 1));
    let mut rests = Vec::new();
    let mut shares = Vec::new();
    for (v, count) in visits.iter().zip(&counts) {
        let value = exact.get(&(v.level, v.range.clone())).cloned().ok_or("a visit out of order")?;
        let rest = value - ratio(*count, 100);
        if rest < ratio(0, 1) {
            if carry == Carry::Both {
                return Ok(());
            }
            return Err(format!("{carry:?}: under {} the rest is negative ({rest})", v.label));
        }
        let finer = v.level.finer().expect("visits have children");
        let weights: Vec<i128> = v.open.iter().map(|r| node.targets[r.clone()].iter().sum::<u128>() as i128).collect();
        let all: i128 = weights.iter().sum();
        let parts: Vec<BigRational> = weights.iter().map(|w| &rest * ratio(*w, all)).collect();
        for (r, share) in v.open.iter().zip(&parts) {
            exact.insert((finer, r.clone()), share.clone());
        }
        rests.push(rest);
        shares.push(parts);
    }
    for (((v, count), rest), shares) in visits.iter().zip(&counts).zip(&rests).zip(&shares) {
        let finer = v.level.finer().expect("visits have children");
        let weights: Vec<u128> = v.open.iter().map(|r| node.targets[r.clone()].iter().sum()).collect();
        let got: Vec<i128> = v.open.iter().map(|r| given(finer, r)).collect();
        if got.iter().any(|g| g % 100 != 0) {
            return Err(format!("{carry:?}: under {} a child is given a part of a unit: {got:?}", v.label));
        }
        let got: Vec<i128> = got.iter().map(|g| g / 100).collect();
        let units: i128 = got.iter().sum();
        let want = rounding::round(units, shares).ok();
        if want.as_ref() != Some(&got) {
            return Err(format!(
                "{carry:?}: under {} (exact {}, counted {}/100, rest {}), children {:?} with targets {weights:?} got {got:?}, the rule gives {want:?} (exact {})",
                v.label,
                exact[&(v.level, v.range.clone())],
                count,
                rest,
                v.open,
                shares.iter().map(std::string::ToString::to_string).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    Ok(())
}

// ------------------------------------------------------------ properties

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, max_shrink_iters: 2_000, failure_persistence: None, ..ProptestConfig::default() }
}

fn check_policies(spec: &Spec, strict_both: bool) -> Result<(), TestCaseError> {
    let case = Case::new(spec)?;
    let run = build(spec, &case)?;
    let done = run.done;
    let calendar = run.engine.calendar();
    for node in &run.nodes {
        let who = format!("{} as of {} (day {done})\n{}", node.name(), run.as_of, case.toml);
        // In hundredths of a unit, like the actuals.
        let target: i128 = node.targets.iter().sum::<u128>() as i128 * 100;
        let actual: i128 = node.actuals[..done].iter().sum();
        // Actuals finer than the precision cannot be met exactly in units.
        let fine = node.actuals.iter().any(|c| c % 100 != 0);
        let left: u128 = node.targets[done..].iter().sum();
        let (both, lost_both) = run.replan(node, Carry::Both);
        let (none, lost_none) = run.replan(node, Carry::None);
        let (short, lost_short) = run.replan(node, Carry::Shortfall);
        for (name, new) in [("both", &both), ("none", &none), ("shortfall", &short)] {
            prop_assert_eq!(new.len(), node.targets.len(), "{}: one figure per day, {}", name, who);
            prop_assert!(new[..done].iter().all(|d| *d == 0), "{}: days done get 0, {}", name, who);
        }
        let sum = |v: &[u128]| v.iter().sum::<u128>() as i128 * 100;
        let owed = (target - actual).max(0);
        // `both`: the new remaining targets plus the actual to date are the
        // original target, or what cannot be carried is reported.
        if left == 0 {
            let owed_text = Decimal::from_i128_with_scale(owed, 2).normalize().to_string();
            prop_assert_eq!(sum(&both), 0, "both: nothing left to target, {}", who);
            prop_assert_eq!(lost_both.to_decimal_string(6), owed_text.clone(), "both: lost, {}", who);
            prop_assert_eq!(lost_short.to_decimal_string(6), owed_text, "shortfall: lost, {}", who);
        } else {
            prop_assert!(lost_both.is_zero(), "both: nothing lost while days have targets, {}", who);
            prop_assert!(lost_short.is_zero(), "shortfall: nothing lost while days have targets, {}", who);
            if target >= actual && !fine && strict_both {
                prop_assert_eq!(
                    sum(&both) + actual,
                    target,
                    "both: new remaining {} + actual {} = target {} (hundredths of a unit), {}",
                    sum(&both),
                    actual,
                    target,
                    who
                );
            } else if target >= actual && !fine {
                // See `both_conserves_after_a_surplus`: a surplus larger
                // than what its period has left is dropped, not carried,
                // so only this much holds today.
                prop_assert!(
                    sum(&both) + actual >= target,
                    "both: new remaining {} + actual {} below target {} (hundredths of a unit), {}",
                    sum(&both),
                    actual,
                    target,
                    who
                );
            }
        }
        // `none`: the plan as it was.
        prop_assert!(lost_none.is_zero(), "none: nothing lost, {}", who);
        prop_assert_eq!(&none[done..], &node.targets[done..], "none: original targets, {}", who);
        // `shortfall`: never below the plan, day by day.
        for (d, (n, t)) in short.iter().zip(&node.targets).enumerate().skip(done) {
            prop_assert!(n >= t, "shortfall: day {} below its original target, {}", d, who);
        }
        prop_assert!(sum(&short) >= left as i128 * 100, "shortfall: remaining below the original, {}", who);
        let visits = walk(calendar, &node.targets, done);
        let behind = visits.iter().all(|v| {
            let (a, p) = over_sums(node, v, done);
            a <= p
        });
        let not_behind = visits.iter().all(|v| {
            let (a, p) = over_sums(node, v, done);
            a >= p
        });
        if behind {
            prop_assert_eq!(&short, &both, "shortfall = both when behind at every level, {}", who);
            if left > 0 && !fine {
                prop_assert_eq!(sum(&short) + actual, target, "shortfall: target - actual when behind, {}", who);
            }
        }
        if not_behind {
            prop_assert_eq!(&short, &none, "shortfall = none when never behind, {}", who);
        }
    }
    Ok(())
}

fn check_zero_days(spec: &Spec) -> Result<(), TestCaseError> {
    let case = Case::new(spec)?;
    let run = build(spec, &case)?;
    for node in &run.nodes {
        for carry in CARRIES {
            let (new, _) = run.replan(node, carry);
            for (d, (n, t)) in new.iter().zip(&node.targets).enumerate() {
                prop_assert!(
                    *t > 0 || *n == 0,
                    "{:?}: day {} has no original target but gets {}, {} as of {}\n{}",
                    carry,
                    d,
                    n,
                    node.name(),
                    run.as_of,
                    case.toml
                );
            }
        }
    }
    // Through the tracker too: every printed figure is an amount of at least 0.
    let tracker = run.tracker(&run.csv)?;
    let by = by_arg(&(0..spec.depth).collect::<Vec<_>>(), "day");
    let r = replan_rows(&tracker, &by, None, run.as_of, spec.carry())?;
    for row in &r.rows {
        prop_assert!(row.value >= Decimal::ZERO, "negative figure {:?}", row);
    }
    Ok(())
}

fn check_proportionate(spec: &Spec) -> Result<(), TestCaseError> {
    let case = Case::new(spec)?;
    let run = build(spec, &case)?;
    let calendar = run.engine.calendar();
    for node in &run.nodes {
        let visits = walk(calendar, &node.targets, run.done);
        for carry in CARRIES {
            let (new, _) = run.replan(node, carry);
            if let Err(e) = check_rounding(node, &visits, &new, run.done, carry) {
                prop_assert!(false, "{}, {} as of {}\n{}\n{}", e, node.name(), run.as_of, case.toml, run.csv);
            }
            for v in &visits {
                // The children not started yet: a child that holds as-of
                // has its own days done to carry, on top of its share.
                let kids: Vec<(u128, u128, &Range<usize>)> = v
                    .open
                    .iter()
                    .filter(|r| r.start >= run.done)
                    .map(|r| (node.targets[r.clone()].iter().sum(), new[r.clone()].iter().sum(), r))
                    .collect();
                for (i, a) in kids.iter().enumerate() {
                    for b in &kids[i + 1..] {
                        let what = || {
                            format!(
                                "{carry:?}, under {}: days {:?} (target {}, new {}) and {:?} (target {}, new {}), {} as of {}\n{}",
                                v.label,
                                a.2,
                                a.0,
                                a.1,
                                b.2,
                                b.0,
                                b.1,
                                node.name(),
                                run.as_of,
                                case.toml
                            )
                        };
                        match a.0.cmp(&b.0) {
                            std::cmp::Ordering::Equal => prop_assert!(
                                a.1.abs_diff(b.1) <= 1,
                                "equal targets differ by more than a unit: {}",
                                what()
                            ),
                            std::cmp::Ordering::Greater => {
                                prop_assert!(a.1 >= b.1, "a larger target gets less: {}", what());
                            }
                            std::cmp::Ordering::Less => {
                                prop_assert!(a.1 <= b.1, "a larger target gets less: {}", what());
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// One cell of a re-plan.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    members: Vec<String>,
    label: String,
    start: NaiveDate,
    end: NaiveDate,
    value: Decimal,
}

/// A sink that keeps what it is given.
#[derive(Debug, Default)]
struct Collect {
    header: Option<Header>,
    rows: Vec<Row>,
    total: Option<Decimal>,
}

impl CellSink for Collect {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        assert!(self.header.is_none(), "begin twice");
        self.header = Some(header.clone());
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        assert!(self.header.is_some() && self.total.is_none(), "a cell outside begin..finish");
        assert_eq!(cell.values.len(), 1, "one figure per cell");
        let Value::Amount(value) = cell.values[0] else { panic!("not an amount: {:?}", cell.values[0]) };
        self.rows.push(Row {
            members: cell.members.iter().map(std::string::ToString::to_string).collect(),
            label: cell.period.label.clone(),
            start: cell.period.start,
            end: cell.period.end,
            value,
        });
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        assert!(self.total.is_none(), "finish twice");
        assert_eq!(totals.len(), 1, "one total");
        let Value::Amount(total) = totals[0] else { panic!("not an amount: {:?}", totals[0]) };
        self.total = Some(total);
        Ok(())
    }
}

/// The re-plan cells, its total and its warnings.
struct Replanned {
    rows: Vec<Row>,
    total: Decimal,
    warnings: Vec<String>,
}

fn by_arg(splits: &[usize], level: &str) -> String {
    splits.iter().map(|&s| SPLITS[s].0).chain([level]).collect::<Vec<_>>().join(",")
}

fn replan_rows(
    tracker: &Tracker<'_, '_>,
    by: &str,
    period: Option<&str>,
    as_of: NaiveDate,
    carry: Carry,
) -> Result<Replanned, TestCaseError> {
    let request = ok(tracker.request(Some(by), period, as_of), &format!("--by {by} --period {period:?}"))?;
    let mut sink = Collect::default();
    let warnings = ok(tracker.replan(&request, as_of, carry, &mut sink), "replan")?;
    let total = sink.total.ok_or_else(|| TestCaseError::fail("no finish"))?;
    Ok(Replanned { rows: sink.rows, total, warnings: warnings.into_iter().map(|w| w.message).collect() })
}

fn units(p: Precision, d: Decimal) -> Result<i128, TestCaseError> {
    let u = d / p.unit();
    prop_assert!(u.fract().is_zero(), "{} is not a whole number of units of {}", d, p.unit());
    prop_assert_eq!(d.scale(), p.decimals(), "{} has not the plan's decimals", d);
    Ok(u.to_i128().unwrap())
}

fn check_adds_up(spec: &Spec) -> Result<(), TestCaseError> {
    let case = Case::new(spec)?;
    let run = build(spec, &case)?;
    let tracker = run.tracker(&run.csv)?;
    prop_assert_eq!(tracker.depth(), spec.depth);
    prop_assert!(tracker.warnings().is_empty(), "warnings {:?}", tracker.warnings());
    let carry = spec.carry();
    let p = case.plan.precision;
    let calendar = run.engine.calendar();
    let done = run.done;
    let ctx = || format!("carry {carry:?}, as of {}\n{}\n{}", run.as_of, case.toml, run.csv);
    let all: Vec<usize> = (0..spec.depth).collect();

    // The day-level run shows every node's new daily targets after as-of.
    let days = replan_rows(&tracker, &by_arg(&all, "day"), None, run.as_of, carry)?;
    let mut expected = Vec::new();
    let mut lost = Vec::new();
    for node in &run.nodes {
        let (new, gone) = run.replan(node, carry);
        if !gone.is_zero() {
            lost.push(node.name());
        }
        for (d, period) in calendar.level(Level::Day).iter().enumerate().skip(done) {
            expected.push((node.path.clone(), period.label.clone(), new[d]));
        }
    }
    let got: Vec<(Vec<String>, String, u128)> = days
        .rows
        .iter()
        .map(|r| Ok((r.members.clone(), r.label.clone(), units(p, r.value)? as u128)))
        .collect::<Result<_, TestCaseError>>()?;
    prop_assert_eq!(&got, &expected, "day-level cells, {}", ctx());
    // What cannot be carried is warned about, node by node.
    prop_assert_eq!(days.warnings.len(), lost.len(), "warnings {:?}, {}", days.warnings, ctx());
    for (w, who) in days.warnings.iter().zip(&lost) {
        prop_assert!(w.contains(&format!("of {who}'s target cannot be carried")), "warning {:?} for {}", w, who);
    }
    // Day figures by member path and day index.
    let mut by_day: HashMap<(Vec<String>, usize), i128> = HashMap::new();
    for r in &days.rows {
        let d = (r.start - calendar.start()).num_days() as usize;
        by_day.insert((r.members.clone(), d), units(p, r.value)?);
    }
    let day_total: i128 = days.rows.iter().map(|r| units(p, r.value)).sum::<Result<i128, _>>()?;
    prop_assert_eq!(units(p, days.total)?, day_total, "day-level finish total, {}", ctx());

    let mut rng = Rng(spec.pick ^ 0xABCD);
    for level in ["week", "month", "quarter", "year", "day"] {
        // A random subset of the tracked splits.
        let keep: Vec<usize> = all.iter().copied().filter(|_| rng.below(2) == 0).collect();
        let by = by_arg(&keep, level);
        let lv = Level::parse(level).unwrap();
        // Sometimes a `--period` as coarse as the level or coarser.
        let filter = (rng.below(3) == 0).then(|| {
            let coarse = Level::ALL[rng.below(lv.index() as u64 + 1) as usize];
            calendar.period(coarse, rng.below(calendar.level(coarse).len() as u64) as usize)
        });
        let label = filter.map(|f| f.label.as_str());
        let r = replan_rows(&tracker, &by, label, run.as_of, carry)?;
        // Groups in first-appearance order of the nodes' paths.
        let mut groups: Vec<(Vec<String>, Vec<&Node>)> = Vec::new();
        for node in &run.nodes {
            let key: Vec<String> = keep.iter().map(|&s| node.path[s].clone()).collect();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(node),
                None => groups.push((key, vec![node])),
            }
        }
        let mut want = Vec::new();
        for (key, members) in &groups {
            for (i, period) in calendar.level(lv).iter().enumerate() {
                let range = days_of(calendar, lv, i);
                if range.end <= done || filter.is_some_and(|f| !f.contains(period)) {
                    continue;
                }
                let mut sum = 0i128;
                for node in members {
                    for d in range.start.max(done)..range.end {
                        sum += by_day[&(node.path.clone(), d)];
                    }
                }
                want.push((key.clone(), period.label.clone(), sum));
            }
        }
        let got: Vec<(Vec<String>, String, i128)> = r
            .rows
            .iter()
            .map(|row| Ok((row.members.clone(), row.label.clone(), units(p, row.value)?)))
            .collect::<Result<_, TestCaseError>>()?;
        prop_assert_eq!(&got, &want, "--by {} --period {:?}: cells are sums of day cells, {}", by, label, ctx());
        let sum: i128 = got.iter().map(|g| g.2).sum();
        prop_assert_eq!(units(p, r.total)?, sum, "--by {}: the total is the sum of the cells, {}", by, ctx());
        if filter.is_none() {
            prop_assert_eq!(sum, day_total, "--by {}: the same total as by day, {}", by, ctx());
        }
        prop_assert_eq!(&r.warnings, &days.warnings, "--by {}: the same warnings, {}", by, ctx());
    }
    Ok(())
}

fn csv_bytes(spec: &Spec, actuals: &str, by: &str) -> Result<Vec<u8>, TestCaseError> {
    let case = Case::new(spec)?;
    let run = build(spec, &case)?;
    let tracker = run.tracker(actuals)?;
    let request = ok(tracker.request(Some(by), None, run.as_of), "breakdown")?;
    let mut sink = CsvSink::new(Vec::new());
    ok(tracker.replan(&request, run.as_of, spec.carry(), &mut sink), "replan")?;
    ok(sink.into_inner(), "flush")
}

fn check_deterministic(spec: &Spec) -> Result<(), TestCaseError> {
    let case = Case::new(spec)?;
    let run = build(spec, &case)?;
    let mut rng = Rng(spec.pick ^ 0x5EED);
    let keep: Vec<usize> = (0..spec.depth).filter(|_| rng.below(2) == 0).collect();
    let by = by_arg(&keep, LEVELS[rng.below(LEVELS.len() as u64) as usize]);
    let first = csv_bytes(spec, &run.csv, &by)?;
    let again = csv_bytes(spec, &run.csv, &by)?;
    prop_assert!(first == again, "two runs differ for --by {}", by);
    // The rows of the actuals in another order: the same sums, the same output.
    let mut sales = run.sales.clone();
    sales.reverse();
    let k = sales.len();
    if k > 1 {
        sales.rotate_left(rng.below(k as u64) as usize);
    }
    let shuffled = sales_csv(spec, run.engine.calendar(), &run.nodes, &sales);
    let other = csv_bytes(spec, &shuffled, &by)?;
    prop_assert!(
        first == other,
        "rows in another order give other output for --by {}:\n{}\nvs\n{}",
        by,
        String::from_utf8_lossy(&first),
        String::from_utf8_lossy(&other)
    );
    let text = String::from_utf8(first).unwrap();
    let header = text.lines().next().unwrap_or("");
    prop_assert!(header.ends_with("period,start,end,sales"), "header {}", header);
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]
    #[test]
    fn conserves_and_follows_the_policy(spec in spec()) {
        check_policies(&spec, false)?;
    }
}

proptest! {
    #![proptest_config(config(512))]
    #[test]
    fn never_negative_and_zero_stays_zero(spec in spec()) {
        check_zero_days(&spec)?;
    }
}

proptest! {
    #![proptest_config(config(512))]
    #[test]
    fn proportionate_under_each_parent(spec in spec()) {
        check_proportionate(&spec)?;
    }
}

proptest! {
    #![proptest_config(config(512))]
    #[test]
    fn adds_up_at_every_level(spec in spec()) {
        check_adds_up(&spec)?;
    }
}

proptest! {
    #![proptest_config(config(240))]
    #[test]
    fn deterministic(spec in spec()) {
        check_deterministic(&spec)?;
    }
}

proptest! {
    #![proptest_config(config(5_000))]
    #[test]
    #[ignore = "long: cargo test --release --test tests replan_properties::every_property -- --ignored"]
    fn every_property_5000_cases(spec in spec()) {
        check_policies(&spec, false)?;
        check_zero_days(&spec)?;
        check_proportionate(&spec)?;
        check_adds_up(&spec)?;
        check_deterministic(&spec)?;
    }
}

// ------------------------------------------------- known bugs (ignored)

proptest! {
    #![proptest_config(config(256))]
    /// Fixed bug (see `a_surplus_larger_than_its_month_lowers_the_rest_of_the_year`):
    /// with `both`, a surplus larger than what its period has left is
    /// dropped instead of lowering the later periods.
    #[test]
    fn both_conserves_after_a_surplus(spec in spec()) {
        check_policies(&spec, true)?;
    }
}

proptest! {
    #![proptest_config(config(256))]
    /// Fixed bug (see `actuals_finer_than_the_precision_are_rounded_once`):
    /// with actuals finer than the precision, each level of the time tree
    /// rounds the rest to the nearer unit again, so the new remaining
    /// targets can miss target - actual by more than half a unit.
    #[test]
    fn fine_actuals_are_rounded_once(spec in spec_with(1.0)) {
        check_fine(&spec)?;
    }
}

/// With actuals finer than the precision and a node behind at every level
/// (so nothing is clamped), the new remaining targets are target - actual
/// rounded to the nearer unit: within half a unit.
fn check_fine(spec: &Spec) -> Result<(), TestCaseError> {
    let case = Case::new(spec)?;
    let run = build(spec, &case)?;
    let done = run.done;
    for node in &run.nodes {
        let target: i128 = node.targets.iter().sum::<u128>() as i128 * 100;
        let actual: i128 = node.actuals[..done].iter().sum();
        let left: u128 = node.targets[done..].iter().sum();
        let visits = walk(run.engine.calendar(), &node.targets, done);
        let behind = visits.iter().all(|v| {
            let (a, p) = over_sums(node, v, done);
            a <= p
        });
        if left == 0 || !behind {
            continue;
        }
        let (new, _) = run.replan(node, Carry::Shortfall);
        let remaining = new.iter().sum::<u128>() as i128 * 100;
        prop_assert!(
            (remaining + actual - target).abs() <= 50,
            "new remaining {} + actual {} vs target {} (hundredths of a unit), {} as of {}\n{}\n{}",
            remaining,
            actual,
            target,
            node.name(),
            run.as_of,
            case.toml,
            run.csv
        );
    }
    Ok(())
}

// ------------------------------------------------------ the seed example

/// 33,600 a year in whole units, even: 2,800 a month. February 2026 starts
/// on a Sunday and has 28 days, so with weeks from Sunday it is exactly four
/// full weeks of 700 (100 a day).
const FEBRUARY: &str = r#"[plan]
name = "February"
year = 2026
precision = "1"

[target]
sales = 33_600

[time]
spread = "even"
week_start = "sun"
"#;

/// February's weeks after the 7th, re-planned from January met exactly
/// and `week_one` sold in February's first week.
fn february(week_one: &str, carry: Carry) -> Vec<(String, Decimal)> {
    let plan = Plan::parse("plan.toml", FEBRUARY, Path::new(".")).unwrap();
    let engine = Engine::new(&plan).unwrap();
    let sales = format!("date,sales\n2026-01-15,2800\n2026-02-03,{week_one}\n");
    let tracker = Tracker::new(&engine, sales.as_bytes(), "sales.csv", true).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 2, 7).unwrap();
    let request = tracker.request(Some("week"), Some("2026-02"), as_of).unwrap();
    let mut sink = Collect::default();
    let warnings = tracker.replan(&request, as_of, carry, &mut sink).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    sink.rows.into_iter().map(|r| (r.label, r.value)).collect()
}

fn weeks(values: [&str; 3]) -> Vec<(String, Decimal)> {
    ["2026-02-W2", "2026-02-W3", "2026-02-W4"]
        .iter()
        .zip(values)
        .map(|(l, v)| (l.to_string(), v.parse().unwrap()))
        .collect()
}

#[test]
fn february_is_four_equal_full_weeks() {
    let plan = Plan::parse("plan.toml", FEBRUARY, Path::new(".")).unwrap();
    let engine = Engine::new(&plan).unwrap();
    let request = engine.request(Some("week"), Some("2026-02")).unwrap();
    let mut sink = Collect::default();
    engine.run(&request, &mut sink).unwrap();
    let got: Vec<(NaiveDate, NaiveDate, Decimal)> = sink.rows.iter().map(|r| (r.start, r.end, r.value)).collect();
    let feb = |d| NaiveDate::from_ymd_opt(2026, 2, d).unwrap();
    let w = Decimal::from(700);
    assert_eq!(got, vec![(feb(1), feb(7), w), (feb(8), feb(14), w), (feb(15), feb(21), w), (feb(22), feb(28), w)]);
    assert_eq!(feb(1).weekday(), chrono::Weekday::Sun);
}

#[test]
fn a_miss_in_week_one_raises_weeks_two_to_four_in_proportion() {
    // 400 sold against 700: 300 short, +100 for each of three equal weeks.
    for carry in [Carry::Shortfall, Carry::Both] {
        assert_eq!(february("400", carry), weeks(["800", "800", "800"]), "{carry:?}");
    }
    // 560 sold: 2,240 over three equal weeks is 746.67 each; the two units
    // left over go to the tied fractions in date order.
    assert_eq!(february("560", Carry::Shortfall), weeks(["747", "747", "746"]));
    // `none` keeps the plan.
    assert_eq!(february("400", Carry::None), weeks(["700", "700", "700"]));
}

#[test]
fn a_surplus_in_week_one_leaves_later_weeks_unless_both() {
    // 1,000 sold against 700: 300 ahead.
    assert_eq!(february("1000", Carry::Shortfall), weeks(["700", "700", "700"]));
    assert_eq!(february("1000", Carry::None), weeks(["700", "700", "700"]));
    // `both`: 2,800 - 1,000 = 1,800 over three equal weeks.
    assert_eq!(february("1000", Carry::Both), weeks(["600", "600", "600"]));
}

#[test]
fn a_miss_goes_to_the_remaining_weeks_by_their_weights() {
    // With weeks from Monday, February 2026 is 02-01 (Sun) alone, three
    // full weeks (02-02..08, 09..15, 16..22) and 02-23..28: 100, 700, 700,
    // 700 and 600.
    let plan_text = FEBRUARY.replace("week_start = \"sun\"", "week_start = \"mon\"");
    let plan = Plan::parse("plan.toml", &plan_text, Path::new(".")).unwrap();
    let engine = Engine::new(&plan).unwrap();
    // January met; nothing sold in February up to Sunday 02-08 (800 due).
    let sales = "date,sales\n2026-01-15,2800\n";
    let tracker = Tracker::new(&engine, sales.as_bytes(), "sales.csv", true).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 2, 8).unwrap();
    let request = tracker.request(Some("week"), Some("2026-02"), as_of).unwrap();
    let mut sink = Collect::default();
    tracker.replan(&request, as_of, Carry::Shortfall, &mut sink).unwrap();
    let got: Vec<(String, Decimal)> = sink.rows.into_iter().map(|r| (r.label, r.value)).collect();
    // 2,800 for weeks of 700, 700 and 600 (20 days): 980, 980, 840.
    let want: Vec<(String, Decimal)> = [("2026-02-W3", "980"), ("2026-02-W4", "980"), ("2026-02-W5", "840")]
        .iter()
        .map(|(l, v)| (l.to_string(), v.parse().unwrap()))
        .collect();
    assert_eq!(got, want);
}

// ------------------------------------------- known bugs, fixed examples

/// `precision = "1"`, `total` a year shared evenly (no weekday
/// coefficients, weeks from Monday).
fn even_year(total: &str) -> String {
    format!("[plan]\nname = \"even\"\nyear = 2026\nprecision = \"1\"\n\n[target]\nsales = {total}\n\n[time]\nspread = \"even\"\n")
}

/// Month by month new targets and their sum, re-planned as of `as_of`.
fn replan_months(plan_text: &str, sales: &str, as_of: NaiveDate, carry: Carry) -> (Vec<(String, Decimal)>, Decimal) {
    let plan = Plan::parse("plan.toml", plan_text, Path::new(".")).unwrap();
    let engine = Engine::new(&plan).unwrap();
    let tracker = Tracker::new(&engine, sales.as_bytes(), "sales.csv", true).unwrap();
    let request = tracker.request(Some("month"), None, as_of).unwrap();
    let mut sink = Collect::default();
    let warnings = tracker.replan(&request, as_of, carry, &mut sink).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let months = sink.rows.into_iter().map(|r| (r.label, r.value)).collect();
    (months, sink.total.unwrap())
}

/// Fixed bug. 12,000 a year, 1,000 a month. As of Sunday 4 January, 1,500 has
/// been sold (January's first week, 1-4 January, was due 129). Under
/// `both` the surplus should lower the rest of the year so that the new
/// remaining targets plus the 1,500 sold make 12,000: 10,500 to go.
/// Today January's rest is cut to 0 (it cannot go below) and the other
/// 500 or so of the surplus is dropped: February to December keep their
/// 11,000, so 12,500 would be sold in all.
#[test]
fn a_surplus_larger_than_its_month_lowers_the_rest_of_the_year() {
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 4).unwrap();
    let (months, total) = replan_months(&even_year("12_000"), "date,sales\n2026-01-02,1500\n", as_of, Carry::Both);
    assert_eq!(months[0], ("2026-01".to_string(), Decimal::ZERO), "nothing more to sell in January");
    assert_eq!(total, Decimal::from(10_500), "new remaining + 1,500 sold = 12,000; months {months:?}");
}

/// Fixed bug. 1,000 a year, 250 a quarter. Nothing sold in the first quarter,
/// 0.90 sold in April (an actual in cents under `precision = "1"`); as
/// of 30 April. The first quarter's 250 is carried into the last three:
/// 333.33 each, rounded 334, 333, 333. April is over, so the second
/// quarter's May and June should share 334 - 0.90 = 333.10, that is 333,
/// and the year 999 (999 + 0.90 sold = 999.90, the nearest to 1,000).
/// Today the second quarter re-rounds its exact 333.33 - 0.90 = 332.43 to
/// 332, dropping the unit its parent gave it: 998 in all, 1.10 short.
#[test]
fn actuals_finer_than_the_precision_are_rounded_once() {
    let as_of = NaiveDate::from_ymd_opt(2026, 4, 30).unwrap();
    let sales = "date,sales\n2026-04-15,0.90\n";
    for carry in [Carry::Shortfall, Carry::Both] {
        let (months, total) = replan_months(&even_year("1_000"), sales, as_of, carry);
        assert_eq!(total, Decimal::from(999), "{carry:?}: months {months:?}");
    }
}
