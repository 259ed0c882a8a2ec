//! The limits of exact arithmetic, through the real binary: the largest
//! totals the plan reader takes, weights with 20 significant digits, tiny and
//! huge weights in one split, eight nested splits by day, holds and fixed
//! amounts at their edges, counts near the integer limits, a funnel that
//! cannot be counted, levels with 28 decimal places. Each either computes
//! exactly — checked here against an independent exact reference (big
//! rationals, the brief's rounding rule written out again) — or stops with
//! one clear `error:`, exit 1 and nothing on stdout; never a panic (exit
//! 101), never a silently wrong figure.

use crate::common;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};

use crate::common::{csv_rows, lines, rounding, run_in};

type Q = BigRational;
type Row = BTreeMap<String, String>;

// ---------------------------------------------------------------- running

/// `salesplit decompose plan.toml --by <by> --format csv`: must succeed with
/// nothing on stderr but a W0114 warning; the rows.
#[track_caller]
fn decompose(plan: &str, by: &str) -> Vec<Row> {
    let (code, stdout, stderr) =
        run_in(&[("plan.toml", plan)], &["decompose", "plan.toml", "--by", by, "--format", "csv"]);
    assert_eq!(code, Some(0), "--by {by}: exit code; stderr:\n{stderr}");
    // Contract v2 may say that it could not make some cross-cuts exact: here
    // weights 40 orders of magnitude apart make periods whose exact values
    // differ by less than a cent, which proportion ranks for every member
    // alike. Nothing else may be said.
    if !stderr.starts_with("warning[W0114]") || stderr.matches("warning[").count() > 1 {
        assert_eq!(stderr, "", "--by {by}: stderr");
    }
    csv_rows(&stdout)
}

/// `salesplit decompose plan.toml --format csv` must refuse the plan: exit 1,
/// nothing on stdout, one `error:` naming plan.toml. Returns stderr.
#[track_caller]
fn refused(plan: &str) -> String {
    let (code, stdout, stderr) = run_in(&[("plan.toml", plan)], &["decompose", "plan.toml", "--format", "csv"]);
    assert!(!stderr.contains("panicked"), "salesplit panicked:\n{stderr}");
    assert_eq!(code, Some(1), "exit code; stderr:\n{stderr}");
    assert_eq!(stdout, "", "stdout of a refused plan");
    assert!(stderr.starts_with("error[E"), "stderr:\n{stderr}");
    assert!(stderr.contains("--> plan.toml:"), "the message names the file, line and column:\n{stderr}");
    assert!(stderr.contains("= help: "), "the message says what would fix it:\n{stderr}");
    stderr
}

// ---------------------------------------------------------------- exact numbers

/// A number as written in a plan (`1.2`, `"0.123…"`, `1e-20`, `10_000`, `"30%"`,
/// with or without quotes), exactly; a percentage keeps the number before `%`.
fn exact(text: &str) -> Q {
    let t = text.trim().trim_matches('"').replace('_', "");
    let t = t.strip_suffix('%').unwrap_or(&t);
    let (mantissa, exp) = match t.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap()),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: BigInt = format!("{int}{frac}").parse().unwrap();
    let e = exp - frac.len() as i64;
    let ten = BigInt::from(10);
    if e >= 0 {
        Q::from_integer(digits * ten.pow(e as u32))
    } else {
        Q::new(digits, ten.pow((-e) as u32))
    }
}

/// A printed figure in whole units of `unit`, checking that it is written
/// with exactly the unit's decimals.
#[track_caller]
fn units_of(text: &str, unit: &Q) -> BigInt {
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
    let want = unit_decimals(unit);
    assert_eq!(decimals, want, "`{text}` is written with {want} decimals");
    let u = exact(text) / unit;
    assert!(u.is_integer(), "`{text}` is a whole number of {unit}");
    u.to_integer()
}

fn unit_decimals(unit: &Q) -> usize {
    let mut d = 0;
    let mut u = unit.clone();
    while !u.is_integer() {
        u *= Q::from_integer(BigInt::from(10));
        d += 1;
    }
    d
}

/// The brief's rounding rule (`common/rounding.rs`): floors of the exact
/// values, then one leftover unit each to the largest fractional parts, ties
/// to the first.
#[track_caller]
fn round(parent: &BigInt, exact: &[Q]) -> Vec<BigInt> {
    rounding::round_big(parent, exact).unwrap_or_else(|_| panic!("the parent {parent} is its floor or ceiling"))
}

/// `value * w_i / sum(w)` for each weight (all zero when the weights are).
fn by_weight(value: &Q, weights: &[Q]) -> Vec<Q> {
    let sum: Q = weights.iter().sum();
    weights.iter().map(|w| if sum.is_zero() { Q::zero() } else { value * w / &sum }).collect()
}

// ---------------------------------------------------------------- the reference model

/// One member of a split: a weight, or a fixed amount taken off the top.
#[derive(Clone)]
struct Member {
    name: String,
    /// As written in the TOML (`"0.123"`, `1e-20`, `150`).
    weight: String,
    fixed: Option<String>,
}

fn w(name: &str, weight: &str) -> Member {
    Member { name: name.to_string(), weight: weight.to_string(), fixed: None }
}

fn fixed(name: &str, amount: &str) -> Member {
    Member { name: name.to_string(), weight: String::new(), fixed: Some(amount.to_string()) }
}

#[derive(Clone, Copy, PartialEq)]
enum Spread {
    Even,
    Days,
}

/// A plan the reference can work out: a calendar year 2026, splits with the
/// same members under every parent, weekday coefficients, and optionally
/// holds on the four quarters (for exact values only: held periods are
/// rounded jointly, not by the plain rule).
#[derive(Clone)]
struct Model {
    precision: String,
    total: String,
    splits: Vec<(String, Vec<Member>)>,
    spread: Spread,
    /// `mon = …` pairs for `weekdays`, as written; missing days weigh 1.
    weekdays: Vec<(&'static str, String)>,
    /// `[time.fixed]` of each quarter, as written.
    quarter_holds: Option<[String; 4]>,
    /// Extra TOML (more metrics, a funnel), appended to `[target]`.
    extra_targets: String,
}

impl Model {
    fn new(precision: &str, total: &str) -> Model {
        Model {
            precision: precision.to_string(),
            total: total.to_string(),
            splits: Vec::new(),
            spread: Spread::Even,
            weekdays: Vec::new(),
            quarter_holds: None,
            extra_targets: String::new(),
        }
    }

    fn split(mut self, by: &str, members: Vec<Member>) -> Model {
        self.splits.push((by.to_string(), members));
        self
    }

    fn shop_week(mut self) -> Model {
        self.weekdays = vec![("fri", "1.2".into()), ("sat", "1.5".into()), ("sun", "1.8".into())];
        self
    }

    fn toml(&self) -> String {
        let mut t = format!(
            "[plan]\nname = \"limits\"\nyear = 2026\nprecision = \"{}\"\n\n[target]\nsales = {}\n{}\n[time]\nspread = \"{}\"\n",
            self.precision,
            self.total,
            self.extra_targets,
            if self.spread == Spread::Even { "even" } else { "days" }
        );
        if !self.weekdays.is_empty() {
            let pairs: Vec<String> = self.weekdays.iter().map(|(d, v)| format!("{d} = {v}")).collect();
            t += &format!("weekdays = {{ {} }}\n", pairs.join(", "));
        }
        if let Some(holds) = &self.quarter_holds {
            t += "[time.fixed]\n";
            for (q, h) in holds.iter().enumerate() {
                t += &format!("\"2026-Q{}\" = {h}\n", q + 1);
            }
        }
        for (by, members) in &self.splits {
            let weights: Vec<String> = members
                .iter()
                .filter(|m| m.fixed.is_none())
                .map(|m| format!("\"{}\" = {}", m.name, m.weight))
                .collect();
            let fixed: Vec<String> =
                members.iter().filter_map(|m| m.fixed.as_ref().map(|f| format!("\"{}\" = {f}", m.name))).collect();
            t += &format!("\n[[split]]\nby = \"{by}\"\n");
            if !fixed.is_empty() {
                t += &format!("fixed = {{ {} }}\n", fixed.join(", "));
            }
            if !weights.is_empty() {
                t += &format!("weights = {{ {} }}\n", weights.join(", "));
            }
        }
        t
    }

    fn unit(&self) -> Q {
        exact(&self.precision)
    }

    fn total_units(&self) -> BigInt {
        let u = exact(&self.total) / self.unit();
        assert!(u.is_integer());
        u.to_integer()
    }

    /// The day's weekday coefficient.
    fn day_weight(&self, day: NaiveDate) -> Q {
        let name = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][day.weekday().num_days_from_monday() as usize];
        self.weekdays.iter().find(|(d, _)| *d == name).map_or_else(Q::one, |(_, v)| exact(v))
    }

    /// The year's time tree: quarters, months, weeks cut at Mondays inside
    /// their month, days, with the brief's weights.
    fn year(&self) -> Period {
        let mut quarters = Vec::new();
        for q in 0..4u32 {
            let mut months = Vec::new();
            for m in 3 * q + 1..=3 * q + 3 {
                let first = NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
                let mut weeks: Vec<Period> = Vec::new();
                let mut day = first;
                while day.month() == m {
                    let leaf = Period::leaf(day, self.day_weight(day));
                    match weeks.last_mut() {
                        Some(week) if day.weekday() != Weekday::Mon => week.push(leaf),
                        _ => weeks.push(Period::of(vec![leaf])),
                    }
                    day = day.succ_opt().unwrap();
                }
                let mut month = Period::of(weeks);
                if self.spread == Spread::Even {
                    month.weight = Q::one();
                }
                months.push(month);
            }
            quarters.push(Period::of(months));
        }
        Period::of(quarters)
    }

    /// Every org node down to `depth` splits: its path, rounded units and exact value.
    fn org(&self, depth: usize) -> Vec<(Vec<String>, BigInt, Q)> {
        let mut out = Vec::new();
        let top = self.total_units();
        self.descend(depth, Vec::new(), top.clone(), Q::from_integer(top), &mut out);
        out
    }

    fn descend(
        &self,
        depth: usize,
        path: Vec<String>,
        units: BigInt,
        value: Q,
        out: &mut Vec<(Vec<String>, BigInt, Q)>,
    ) {
        if path.len() == depth {
            out.push((path, units, value));
            return;
        }
        let members = &self.splits[path.len()].1;
        let unit = self.unit();
        let fixed: Vec<Option<Q>> = members.iter().map(|m| m.fixed.as_ref().map(|f| exact(f) / &unit)).collect();
        let rest = &value - fixed.iter().flatten().sum::<Q>();
        let weights: Vec<Q> =
            members.iter().zip(&fixed).map(|(m, f)| if f.is_some() { Q::zero() } else { exact(&m.weight) }).collect();
        let values: Vec<Q> =
            by_weight(&rest, &weights).into_iter().zip(&fixed).map(|(v, f)| f.clone().unwrap_or(v)).collect();
        let parts = round(&units, &values);
        for ((m, part), v) in members.iter().zip(parts).zip(values) {
            let mut p = path.clone();
            p.push(m.name.clone());
            self.descend(depth, p, part, v, out);
        }
    }

    /// The reference rows of `--by <every split>,<level>` (level 0 year .. 4
    /// day): members, start, end, rounded units (by the plain rule) and the
    /// exact value. Quarter holds that add up to the total weigh the
    /// quarters (exact values only: held periods are rounded jointly).
    fn rows(&self, level: usize) -> Vec<RefRow> {
        let mut year = self.year();
        if let Some(holds) = &self.quarter_holds {
            assert_eq!(holds.iter().map(|h| exact(h)).sum::<Q>(), exact(&self.total), "holds that add up to the total");
            for (q, h) in year.children.iter_mut().zip(holds) {
                q.weight = exact(h);
            }
        }
        year.finish();
        let mut out = Vec::new();
        for (path, units, value) in self.org(self.splits.len()) {
            let mut cells = Vec::new();
            let value = Frac { num: value.numer().clone(), den: value.denom().clone() };
            year.spread(units, value, level, &mut cells);
            for (start, end, units, exact) in cells {
                out.push(RefRow { members: path.clone(), start, end, units, exact });
            }
        }
        out
    }
}

/// An exact value `num / den`, not reduced: the time tree of every org leaf
/// is worked out with integers over one denominator per sibling group, so
/// that hundreds of thousands of cells stay fast.
#[derive(Clone, Debug)]
struct Frac {
    num: BigInt,
    den: BigInt,
}

impl Frac {
    fn floor(&self) -> BigInt {
        &self.num / &self.den
    }

    fn ceil(&self) -> BigInt {
        let f = self.floor();
        if &f * &self.den == self.num {
            f
        } else {
            f + 1
        }
    }

    fn q(&self) -> Q {
        Q::new(self.num.clone(), self.den.clone())
    }
}

impl std::fmt::Display for Frac {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.q())
    }
}

/// The brief's rounding rule over one common denominator: `parent` units
/// shared as `nums[i] / den`.
#[track_caller]
fn round_over(parent: &BigInt, nums: &[BigInt], den: &BigInt) -> Vec<BigInt> {
    let exact: Vec<Q> = nums.iter().map(|n| Q::new(n.clone(), den.clone())).collect();
    round(parent, &exact)
}

fn gcd(a: &BigInt, b: &BigInt) -> BigInt {
    let (mut a, mut b) = (a.clone(), b.clone());
    while !b.is_zero() {
        let r = &a % &b;
        a = b;
        b = r;
    }
    a
}

/// One reference cell.
struct RefRow {
    members: Vec<String>,
    start: NaiveDate,
    end: NaiveDate,
    units: BigInt,
    exact: Frac,
}

/// A period of the time tree and its weight.
struct Period {
    start: NaiveDate,
    end: NaiveDate,
    weight: Q,
    children: Vec<Period>,
    /// The children's weights as integers with the same ratios, and their sum (see [`Period::finish`]).
    ints: Vec<BigInt>,
    sum: BigInt,
}

impl Period {
    fn leaf(day: NaiveDate, weight: Q) -> Period {
        Period { start: day, end: day, weight, children: Vec::new(), ints: Vec::new(), sum: BigInt::zero() }
    }

    /// A period made of `children`, weighing their sum.
    fn of(children: Vec<Period>) -> Period {
        let mut p = Period::leaf(children[0].start, Q::zero());
        for child in children {
            p.push(child);
        }
        p
    }

    fn push(&mut self, child: Period) {
        self.end = child.end;
        self.weight += &child.weight;
        self.children.push(child);
    }

    /// Scales every group of children's weights to integers, once.
    fn finish(&mut self) {
        let lcm = self.children.iter().fold(BigInt::one(), |l, c| {
            let d = c.weight.denom();
            &l / gcd(&l, d) * d
        });
        self.ints = self.children.iter().map(|c| (&c.weight * Q::from_integer(lcm.clone())).to_integer()).collect();
        self.sum = self.ints.iter().sum();
        for c in &mut self.children {
            c.finish();
        }
    }

    /// Shares `units` (exact `value`) down `levels` more levels.
    fn spread(&self, units: BigInt, value: Frac, levels: usize, out: &mut Vec<(NaiveDate, NaiveDate, BigInt, Frac)>) {
        if levels == 0 {
            out.push((self.start, self.end, units, value));
            return;
        }
        let (nums, den) = if self.sum.is_zero() {
            (vec![BigInt::zero(); self.ints.len()], value.den.clone())
        } else {
            (self.ints.iter().map(|w| &value.num * w).collect::<Vec<_>>(), &value.den * &self.sum)
        };
        let parts = round_over(&units, &nums, &den);
        for ((child, part), num) in self.children.iter().zip(parts).zip(nums) {
            child.spread(part, Frac { num, den: den.clone() }, levels - 1, out);
        }
    }
}

/// The dimension names of `--by` for every split and `level`.
fn every_split(model: &Model, level: &str) -> String {
    let mut by: Vec<&str> = model.splits.iter().map(|(b, _)| b.as_str()).collect();
    by.push(level);
    by.join(",")
}

const LEVELS: [&str; 5] = ["year", "quarter", "month", "week", "day"];

/// Runs the model by every split at `level` and checks every figure: the
/// rows are the reference's (members, dates, in cascade order), each figure
/// is the floor or the ceiling of its exact share and, where `rule`, the
/// one the brief's rounding rule gives; the figures add up to the total.
#[track_caller]
fn check_level(model: &Model, level: usize, rule: bool) {
    check_level_of(model, &model.toml(), level, false);
    if rule {
        // The brief's rule replayed is contract v1's: the plan asks for it.
        check_level_of(model, &cascade(&model.toml()), level, true);
    }
}

/// The plan text under contract v1's rounding (`rounding = "cascade"`).
fn cascade(plan: &str) -> String {
    plan.replacen("[plan]\n", "[plan]\nrounding = \"cascade\"\n", 1)
}

#[track_caller]
fn check_level_of(model: &Model, text: &str, level: usize, rule: bool) {
    let by = every_split(model, LEVELS[level]);
    let rows = decompose(text, &by);
    let want = model.rows(level);
    assert_eq!(rows.len(), want.len(), "--by {by}: rows");
    let unit = model.unit();
    let mut sum = BigInt::zero();
    for (i, (row, r)) in rows.iter().zip(&want).enumerate() {
        for (k, (split, _)) in model.splits.iter().enumerate() {
            assert_eq!(row[split], r.members[k], "--by {by}, row {i}: {split}");
        }
        assert_eq!(row["start"], r.start.to_string(), "--by {by}, row {i}: start");
        assert_eq!(row["end"], r.end.to_string(), "--by {by}, row {i}: end");
        let got = units_of(&row["sales"], &unit);
        let (floor, ceil) = (r.exact.floor(), r.exact.ceil());
        assert!(floor <= got && got <= ceil, "--by {by}, row {i} {row:?}: {got} units, exact {}", r.exact);
        if rule {
            assert_eq!(got, r.units, "--by {by}, row {i} {row:?}: the rounding rule (exact {})", r.exact);
        }
        sum += got;
    }
    assert_eq!(sum, model.total_units(), "--by {by}: the figures add up to the total");
}

/// Checks the org cascade at the year, one split deeper each run: every
/// node is the brief's rounding of its exact share, and each level adds up.
#[track_caller]
fn check_org(model: &Model) {
    let unit = model.unit();
    for depth in 1..=model.splits.len() {
        let by: Vec<&str> = model.splits[..depth].iter().map(|(b, _)| b.as_str()).collect();
        let rows = decompose(&model.toml(), &by.join(","));
        let want = model.org(depth);
        assert_eq!(rows.len(), want.len(), "--by {by:?}: rows");
        let mut sum = BigInt::zero();
        for (row, (path, units, value)) in rows.iter().zip(&want) {
            let members: Vec<&str> = by.iter().map(|b| row[*b].as_str()).collect();
            assert_eq!(members, *path, "--by {by:?}");
            let got = units_of(&row["sales"], &unit);
            assert!(value.floor().to_integer() <= got && got <= value.ceil().to_integer(), "{path:?}: exact {value}");
            assert_eq!(got, *units, "--by {by:?}, {path:?}: exact {value}");
            sum += got;
        }
        assert_eq!(sum, model.total_units(), "--by {by:?}: adds up");
    }
}

// ---------------------------------------------------------------- the largest totals

#[test]
fn ten_to_the_fifteen_in_cents_is_exact_at_every_level() {
    // Thirds everywhere: every tie goes to the member written first, or the earlier date.
    let model = Model::new("0.01", "1_000_000_000_000_000")
        .split("region", vec![w("东北", "1"), w("华北", "1"), w("华东", "1.0")])
        .shop_week();
    for level in 0..LEVELS.len() {
        check_level(&model, level, true);
    }
}

#[test]
fn the_largest_totals_the_reader_takes_are_exact_by_day() {
    // 28 significant digits: whole units at precision 1, cents at 0.01, thousands at 1000.
    let weights = vec![w("A", "\"0.12345678901234567890\""), w("B", "3"), w("C", "\"98765432109876543210\"")];
    for (precision, total) in [("1", "\"9999999999999999999999999999\""), ("0.01", "\"99999999999999999999999999.99\"")]
    {
        let mut model = Model::new(precision, total).split("region", weights.clone()).shop_week();
        model.spread = Spread::Days;
        model.weekdays.push(("mon", "\"1.2345678901234567890\"".into()));
        check_level(&model, 4, true);
        check_level(&model, 3, true);
    }
    let model = Model::new("1000", "\"9999999999999999999999999000\"").split("region", weights);
    check_level(&model, 2, true);
}

#[test]
fn a_total_too_large_for_its_precision_is_refused_clearly() {
    // 28 digits before the point and two after would be 30 digits: more than a Decimal holds.
    let plan = "[plan]\nyear = 2026\nprecision = \"0.01\"\n\n[target]\nsales = \"9999999999999999999999999999\"\n";
    let stderr = refused(plan);
    assert!(stderr.contains("9999999999999999999999999999"), "{stderr}");
    // The same amount as a fixed amount, and as a hold.
    let fixed = "[plan]\nyear = 2026\nprecision = \"0.01\"\n\n[target]\nsales = 100\n\n[[split]]\nby = \"region\"\n\
                 fixed = { A = \"9999999999999999999999999999\" }\nweights = { B = 1 }\n";
    refused(fixed);
    let hold = "[plan]\nyear = 2026\nprecision = \"0.01\"\n\n[target]\nsales = 100\n\n[time.fixed]\n\
                \"2026-Q1\" = \"9999999999999999999999999999\"\n";
    refused(hold);
}

#[test]
fn a_large_total_not_a_multiple_of_a_coarse_precision_is_refused() {
    // The small case is in tests/errors.rs; here the neighbours are 28 digits long.
    let stderr =
        refused("[plan]\nyear = 2026\nprecision = \"1000\"\n\n[target]\nsales = \"9999999999999999999999999999\"\n");
    assert!(
        stderr.starts_with(
            "error[E0208]: target `sales` = 9999999999999999999999999999 is not a multiple of the precision 1000"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("such as 9999999999999999999999999000"), "{stderr}");
}

#[test]
fn totals_beyond_28_digits_are_refused() {
    for total in ["\"79228162514264337593543950336\"", "\"340282366920938463463374607431768211455\"", "1e30"] {
        let stderr = refused(&format!("[plan]\nyear = 2026\nprecision = \"1\"\n\n[target]\nsales = {total}\n"));
        assert!(stderr.contains("significant digits") || stderr.contains("too large"), "{stderr}");
    }
}

// ---------------------------------------------------------------- 20-digit weights

#[test]
fn twenty_digit_weights_are_exact_and_ties_go_to_the_first_written() {
    // Three equal 20-digit weights over two cents: two thirds of a cent each,
    // so the two leftover cents go to the first two written.
    let third = "\"0.12345678901234567890\"";
    let model = Model::new("0.01", "0.02").split("region", vec![w("A", third), w("B", third), w("C", third)]);
    check_level(&model, 0, true);
    let rows = decompose(&model.toml(), "region");
    assert_eq!(common::column(&rows, "sales"), ["0.01", "0.01", "0.00"]);

    // Written as a TOML float, a 20-digit weight would silently lose its last
    // four digits: it is refused, with the quoted form that keeps them.
    let float = model.toml().replace(third, "0.12345678901234567890");
    let stderr = refused(&float);
    assert!(stderr.contains("`0.12345678901234567890` has more digits than a TOML float keeps"), "{stderr}");
    assert!(stderr.contains("write it in quotes, \"0.12345678901234567890\""), "{stderr}");

    // Weights that differ only in their 20th digit: the larger never gets less.
    let model = Model::new("0.01", "0.05").split(
        "region",
        vec![
            w("A", "\"0.12345678901234567890\""),
            w("B", "\"0.12345678901234567891\""),
            w("C", "\"0.12345678901234567890\""),
        ],
    );
    check_level(&model, 0, true);
    let rows = decompose(&model.toml(), "region");
    assert_eq!(common::column(&rows, "sales"), ["0.02", "0.02", "0.01"]);
}

#[test]
fn tiny_and_huge_weights_in_one_split_are_exact_by_day() {
    // 1e-20 next to 1e20: 40 orders of magnitude, and 28-digit weights, in one
    // split; 20-digit weekday coefficients below.
    let mut model = Model::new("0.01", "1_000_000_000_000_000")
        .split(
            "region",
            vec![
                w("tiny", "1e-20"),
                w("a", "\"0.12345678901234567890\""),
                w("huge", "1e20"),
                w("b", "\"98765432109876543210\""),
                w("c", "\"12345678901234567890.12345678\""),
                w("zero", "0"),
                w("tiny too", "\"0.00000000000000000001\""),
            ],
        )
        .shop_week();
    model.weekdays.push(("wed", "\"0.00000000000000000001\"".into()));
    model.weekdays.push(("thu", "\"12345678901234567890\"".into()));
    for level in [0, 2, 4] {
        check_level(&model, level, true);
    }
    let rows = decompose(&model.toml(), "region");
    let zero = rows.iter().find(|r| r["region"] == "zero").unwrap();
    assert_eq!(zero["sales"], "0.00", "a zero weight gets exactly zero");
}

// ---------------------------------------------------------------- deep plans

/// Eight nested splits of two or three members, one with a single member,
/// one with a zero weight next to others; 20-digit and percentage weights.
fn eight_deep() -> Model {
    let mut model = Model::new("0.01", "1_000_000_000_000_000")
        .split("region", vec![w("East", "3"), w("West", "\"0.12345678901234567890\"")])
        .split("country", vec![w("c1", "1"), w("c2", "1"), w("c3", "1")])
        .split("area", vec![w("only", "\"0.3\"")])
        .split("channel", vec![w("online", "\"33.3%\""), w("retail", "\"66.7%\"")])
        .split("product", vec![w("p1", "7"), w("none", "0"), w("p2", "1e-20")])
        .split("segment", vec![w("s1", "1"), w("s2", "1")])
        .split("team", vec![w("t1", "\"98765432109876543210\""), w("t2", "1")])
        .split("rep", vec![w("r1", "1.5"), w("r2", "1")])
        .shop_week();
    model.spread = Spread::Days;
    model
}

#[test]
fn eight_nested_splits_by_day_are_exact_at_every_level() {
    let model = eight_deep();
    check_org(&model);
    check_level(&model, 4, true);
    check_level(&model, 2, true);
}

#[test]
fn a_split_whose_only_member_weighs_zero_is_refused() {
    let model = eight_deep().split("seat", vec![w("nobody", "0")]);
    let stderr = refused(&model.toml());
    assert!(stderr.starts_with("error[E0304]: split `seat`: every weight is zero"), "{stderr}");
}

// ---------------------------------------------------------------- fixed amounts and holds

#[test]
fn a_fixed_amount_equal_to_the_whole_parent() {
    // All of the target fixed on one member: the others get exactly zero.
    let model = Model::new("0.01", "1_000_000_000_000_000")
        .split("region", vec![fixed("A", "1_000_000_000_000_000"), w("B", "1"), w("C", "2")])
        .split("product", vec![w("x", "1"), w("y", "\"0.12345678901234567890\"")])
        .shop_week();
    check_level(&model, 4, true);
    check_org(&model);
    // Nested: a fixed amount equal to the whole of its parent's exact share (a third of 28 nines).
    let model = Model::new("1", "\"9999999999999999999999999999\"")
        .split("region", vec![w("A", "1"), w("B", "2")])
        .split("product", vec![fixed("x", "\"3333333333333333333333333333\""), w("y", "5")]);
    check_level(&model, 2, true);
    // One cent more than there is, written as a TOML float: a float cannot
    // keep the cent (it was silently read as the whole parent), so it is refused.
    let float = Model::new("0.01", "1_000_000_000_000_000")
        .split("region", vec![fixed("A", "1_000_000_000_000_000.01"), w("B", "1")]);
    let stderr = refused(&float.toml());
    assert!(
        stderr.starts_with(
            "error[E0202]: split `region`, fixed amount of `A`: `1000000000000000.01` has more digits than a TOML float \
             keeps (it would be read as 1000000000000000); write it in quotes, \"1000000000000000.01\", to keep every digit"
        ),
        "{stderr}"
    );
    // One cent more than there is: a clear error with the arithmetic.
    let over = Model::new("0.01", "1_000_000_000_000_000")
        .split("region", vec![fixed("A", "\"1000000000000000.01\""), w("B", "1")]);
    let stderr = refused(&over.toml());
    assert!(stderr.contains("the fixed amounts add up to more than there is to share"), "{stderr}");
    assert!(stderr.contains("1000000000000000.01"), "{stderr}");
}

/// The company's quarters (summed over the members) are the holds.
#[track_caller]
fn quarters_keep_their_holds(model: &Model) {
    let rows = decompose(&model.toml(), "quarter");
    let unit = model.unit();
    let holds = model.quarter_holds.as_ref().unwrap();
    for (row, hold) in rows.iter().zip(holds) {
        let want = exact(hold) / &unit;
        assert_eq!(Q::from_integer(units_of(&row["sales"], &unit)), want, "{row:?}");
    }
}

#[test]
fn holds_adding_up_to_exactly_the_total() {
    let regions = vec![w("A", "1"), w("B", "1"), w("C", "\"0.12345678901234567890\"")];
    let mut model = Model::new("0.01", "1_000_000_000_000_000").split("region", regions.clone()).shop_week();
    model.quarter_holds =
        Some(["\"999999999999999.97\"".into(), "\"0.01\"".into(), "\"0.01\"".into(), "\"0.01\"".into()]);
    quarters_keep_their_holds(&model);
    for level in 1..LEVELS.len() {
        check_level(&model, level, false);
    }
    // The whole year held in one quarter, at 28 digits: the other quarters get nothing.
    let mut model = Model::new("1", "\"9999999999999999999999999999\"").split("region", regions);
    model.quarter_holds = Some(["\"9999999999999999999999999999\"".into(), "0".into(), "0".into(), "0".into()]);
    quarters_keep_their_holds(&model);
    for level in [1, 2, 4] {
        check_level(&model, level, false);
    }
    // One unit more than the year: a clear error.
    let mut over = Model::new("1", "\"9999999999999999999999999999\"");
    over.quarter_holds = Some(["\"9999999999999999999999999999\"".into(), "1".into(), "0".into(), "0".into()]);
    let stderr = refused(&over.toml());
    assert!(stderr.contains("9999999999999999999999999999"), "{stderr}");
}

// ---------------------------------------------------------------- counts

/// Checks a count column by region and `level`: whole, adding up to
/// `total`, each the floor or ceiling of the count's exact share, which
/// follows the money's exact mix.
#[track_caller]
fn check_count(model: &Model, column: &str, total: &str, level: usize) {
    let by = every_split(model, LEVELS[level]);
    let rows = decompose(&model.toml(), &by);
    let want = model.rows(level);
    let money = exact(&model.total) / model.unit();
    let count = exact(total);
    let mut sum = BigInt::zero();
    for (row, r) in rows.iter().zip(&want) {
        let got = units_of(&row[column], &Q::one());
        let share = r.exact.q() * &count / &money;
        assert!(share.floor().to_integer() <= got && got <= share.ceil().to_integer(), "{row:?}: exact {share}");
        sum += got;
    }
    assert_eq!(Q::from_integer(sum), count, "--by {by}: `{column}` adds up");
}

#[test]
fn counts_near_the_integer_limits() {
    let mut model = Model::new("0.01", "1_000_000_000_000_000")
        .split("region", vec![w("A", "1"), w("B", "1"), w("C", "1"), w("D", "0")])
        .shop_week();
    model.extra_targets = "\n[target.u64]\nkind = \"count\"\ntotal = 18_446_744_073_709_551_615\n\n\
                           [target.most]\nkind = \"count\"\ntotal = \"9999999999999999999999999999\"\n"
        .to_string();
    for level in [0, 1, 2, 4] {
        check_count(&model, "u64", "18446744073709551615", level);
        check_count(&model, "most", "9999999999999999999999999999", level);
    }
}

#[test]
fn counts_beyond_28_digits_are_refused() {
    for total in ["\"79228162514264337593543950336\"", "\"340282366920938463463374607431768211455\""] {
        let plan = format!(
            "[plan]\nyear = 2026\n\n[target]\nsales = 100\n\n[target.calls]\nkind = \"count\"\ntotal = {total}\n"
        );
        let stderr = refused(&plan);
        assert!(stderr.contains("significant digits"), "{stderr}");
    }
}

#[test]
fn over_assignment_beyond_what_can_be_written_is_refused() {
    let plan = r#"[plan]
year = 2026
precision = "1"

[target]
sales = "9999999999999999999999999999"

[[split]]
by = "region"
over_assign = "900%"
weights = { A = 1, B = 1 }
"#;
    let stderr = refused(plan);
    assert_eq!(
        stderr,
        lines(&[
            "error[E0203]: over_assign = \"900%\" on split `region` makes `sales` add up to 99999999999999999999999999990, \
             more than salesplit can compute exactly",
            "   --> plan.toml:10:1",
            "   |",
            "10 | over_assign = \"900%\"",
            "   | ^^^^^^^^^^^^^^^^^^^^",
            "   = note: 9999999999999999999999999999 × 1000% = 99999999999999999999999999990, but at precision 1 \
             amounts can be at most 79228162514264337593543950335",
            "   = help: lower `over_assign` or the target `sales`, or use a coarser precision",
        ])
    );
    // A count over-assigned beyond what can be written, and rates beyond 128 bits.
    let plan = r#"[plan]
year = 2026

[target]
sales = 100

[target.calls]
kind = "count"
total = "9999999999999999999999999999"

[[split]]
by = "region"
over_assign = "9999999999999999999999999999%"
weights = { A = 1, B = 1 }

[[split]]
by = "team"
over_assign = "10%"
weights = { x = 1, y = 1 }
"#;
    let stderr = refused(plan);
    // Both metrics are over-assigned past what can be written: one error each.
    let on = "error[E0203]: over_assign on splits `region` (10000000000000000000000000099%), `team` (110%) make";
    assert!(stderr.starts_with(&format!("{on} `sales` add up to 11000000000000000000000000108.90,")), "{stderr}");
    assert!(
        stderr.contains(&format!("{on} `calls` add up to 1100000000000000000000000010779999999999999999999999998…,")),
        "{stderr}"
    );
    assert!(stderr.contains("but counts can be at most 79228162514264337593543950335"), "{stderr}");
}

#[test]
fn over_assignment_up_to_the_limit_is_exact() {
    let plan = r#"[plan]
year = 2026

[target]
sales = "99999999999999999999999999.99"

[[split]]
by = "region"
over_assign = "100%"
weights = { A = 1, B = 2 }
"#;
    let rows = decompose(plan, "region");
    let unit = exact("0.01");
    let total = exact("99999999999999999999999999.99") / &unit;
    let mut sums = (BigInt::zero(), BigInt::zero());
    for (row, share) in rows.iter().zip([Q::new(1.into(), 3.into()), Q::new(2.into(), 3.into())]) {
        let (sales, base) = (units_of(&row["sales"], &unit), units_of(&row["sales_base"], &unit));
        let assigned = &total * Q::from_integer(2.into()) * &share;
        assert!(assigned.floor().to_integer() <= sales && sales <= assigned.ceil().to_integer(), "{row:?}");
        let share = &total * &share;
        assert!(share.floor().to_integer() <= base && base <= share.ceil().to_integer(), "{row:?}");
        sums.0 += sales;
        sums.1 += base;
    }
    assert_eq!(Q::from_integer(sums.0), &total * Q::from_integer(2.into()));
    assert_eq!(Q::from_integer(sums.1), total);
}

// ---------------------------------------------------------------- the funnel

const FUNNEL: &str = r#"[plan]
year = 2026
precision = "1"

[target]
sales = SALES

[time]
level = "year"

[[split]]
by = "region"
weights = { A = 1, B = WEIGHT }

[funnel]
metric = "sales"
deal_size = DEAL
stages = [{ name = "deals", rate = "100%" }, { name = "calls", rate = RATE }]
"#;

/// Two regions of equal weight with a funnel.
fn funnel(sales: &str, deal: &str, rate: &str) -> String {
    FUNNEL.replace("SALES", sales).replace("DEAL", deal).replace("RATE", rate).replace("WEIGHT", "1")
}

/// As [`funnel`], with all the money in region A (B weighs 0).
fn funnel_in_a(sales: &str, deal: &str, rate: &str) -> String {
    FUNNEL.replace("SALES", sales).replace("DEAL", deal).replace("RATE", rate).replace("WEIGHT", "0")
}

#[test]
fn a_funnel_beyond_what_can_be_counted_is_refused() {
    for (deal, rate) in [
        ("\"0.0000000000000000000000000001\"", "\"0.00000000000000000000000001%\""),
        ("\"0.0000000000000000000000000001\"", "\"100%\""),
        ("1", "\"0.00000000000000000000000001%\""),
    ] {
        let stderr = refused(&funnel("1_000_000_000_000_000", deal, rate));
        assert!(
            stderr.starts_with("error[E0203]: the funnel needs more activities than can be counted for A"),
            "{stderr}"
        );
    }
    // A rate of 28 decimal places as a fraction is refused as written.
    let stderr = refused(&funnel("100", "1", "\"0.0000000000000000000000000001%\""));
    assert!(stderr.contains("more than 26 digits after the point"), "{stderr}");
}

#[test]
fn funnel_activities_at_the_limits_are_exact_ceilings() {
    // 1_000_000 / 3 / 0.7 per region.
    let rows = decompose(&funnel("2_000_000", "3", "\"70%\""), "region");
    assert_eq!(common::column(&rows, "deals"), ["333334", "333334"]);
    assert_eq!(common::column(&rows, "calls"), ["476192", "476192"]);
    // 1 / 0.9999999999999999999999999999 is just above 1: two deals, not one.
    let rows = decompose(&funnel("2", "\"0.9999999999999999999999999999\"", "\"100%\""), "region");
    assert_eq!(common::column(&rows, "deals"), ["2", "2"]);
    // 9e18 / 0.9999999999999999999999999999 = 9000000000000000000.0000000009…, then / 0.9.
    let rows =
        decompose(&funnel("18_000_000_000_000_000_000", "\"0.9999999999999999999999999999\"", "\"90%\""), "region");
    assert_eq!(common::column(&rows, "deals"), ["9000000000000000001", "9000000000000000001"]);
    assert_eq!(common::column(&rows, "calls"), ["10000000000000000002", "10000000000000000002"]);
}

#[test]
fn funnel_activities_are_exact_ceilings_even_at_28_digits() {
    let rows = decompose(&funnel_in_a("\"8100000000000000000000000001\"", "0.9", "\"100%\""), "region");
    assert_eq!(common::column(&rows, "deals"), ["9000000000000000000000000002", "0"]);
    // 10 / 3e-28 = 33333333333333333333333333333.33…: the ceiling ends in 4.
    let rows = decompose(&funnel_in_a("10", "\"0.0000000000000000000000000003\"", "\"100%\""), "region");
    assert_eq!(common::column(&rows, "deals"), ["33333333333333333333333333334", "0"]);
}

#[test]
fn funnel_activities_that_add_up_beyond_what_can_be_written_are_refused() {
    let stderr = refused(&funnel("\"9000000000000000000000000000\"", "\"0.1\"", "\"100%\""));
    assert!(stderr.contains("funnel"), "{stderr}");
}

// ---------------------------------------------------------------- levels

#[test]
fn levels_keep_28_decimal_places() {
    let plan = r#"[plan]
year = 2026

[target]
sales = 100

[target.plain]
kind = "level"
value = "0.1234567890123456789012345678"
path = { "2026-Q2" = "0.0000000000000000000000000001", "2026-Q3" = "9999999999999999999999999999" }

[target.share]
kind = "level"
value = "12.34567890123456789012345678%"
path = { "2026-Q4" = "0.00000000000000000000000001%" }
"#;
    let rows = decompose(plan, "quarter");
    assert_eq!(
        common::column(&rows, "plain"),
        [
            "0.1234567890123456789012345678",
            "0.0000000000000000000000000001",
            "9999999999999999999999999999",
            "0.1234567890123456789012345678"
        ]
    );
    assert_eq!(
        common::column(&rows, "share"),
        [
            "0.1234567890123456789012345678",
            "0.1234567890123456789012345678",
            "0.1234567890123456789012345678",
            "0.0000000000000000000000000001"
        ]
    );
    // A percentage whose fraction would need more than 28 decimal places was
    // silently 0; now it is refused as written.
    let stderr = refused(&plan.replace("0.00000000000000000000000001%", "0.0000000000000000000000000001%"));
    assert!(
        stderr.starts_with(
            "error[E0202]: level `share` in 2026-Q4: `0.0000000000000000000000000001%` has more than 26 digits after the point"
        ),
        "{stderr}"
    );
}
