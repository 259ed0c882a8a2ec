//! Random valid plans for the property tests.
//!
//! A [`PlanSpec`] is what a plan means, held exactly (every number is a
//! decimal `mant / 10^scale` chosen here, never read back from the library),
//! together with how it is written (integer, float, string or percentage).
//! [`PlanSpec::toml`] and [`PlanSpec::files`] write it out as a plan file and
//! its roster CSVs.
//!
//! The proptest strategy is a set of shrinkable [`Knobs`] (how many splits,
//! how many members, which features) plus a seed for the details, so that a
//! failing case shrinks towards fewer splits and fewer features.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Weekday};
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};
use proptest::prelude::*;

/// Upper bound on the number of org leaves of a generated plan (keeps the
/// day-level runs and the exact reference fast in debug builds).
pub const LEAF_CAP: u64 = 36;

/// The leaf cap of the long (ignored) run.
pub const BIG_LEAF_CAP: u64 = 120;

/// Time levels, coarse to fine, by their `--by` names.
pub const LEVELS: [&str; 5] = ["year", "quarter", "month", "week", "day"];

/// A small deterministic generator (splitmix64) for the details of a plan.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0);
        self.next_u64() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        assert!(lo <= hi);
        if hi - lo == u64::MAX {
            return self.next_u64();
        }
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    pub fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize].clone()
    }

    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }
}

/// An exact non-negative decimal `mant / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dec {
    pub mant: u128,
    pub scale: u32,
}

impl Dec {
    pub fn int(v: u128) -> Dec {
        Dec { mant: v, scale: 0 }
    }

    pub fn new(mant: u128, scale: u32) -> Dec {
        Dec { mant, scale }.normalized()
    }

    pub fn is_zero(self) -> bool {
        self.mant == 0
    }

    /// Without trailing zeros after the point.
    pub fn normalized(self) -> Dec {
        let mut d = self;
        while d.scale > 0 && d.mant % 10 == 0 {
            d.mant /= 10;
            d.scale -= 1;
        }
        d
    }

    /// The mantissa at a larger scale.
    pub fn at_scale(self, scale: u32) -> u128 {
        assert!(scale >= self.scale);
        self.mant * 10u128.pow(scale - self.scale)
    }

    pub fn add(self, other: Dec) -> Dec {
        let scale = self.scale.max(other.scale);
        Dec { mant: self.at_scale(scale) + other.at_scale(scale), scale }
    }

    pub fn cmp_value(self, other: Dec) -> std::cmp::Ordering {
        let scale = self.scale.max(other.scale);
        self.at_scale(scale).cmp(&other.at_scale(scale))
    }

    pub fn ratio(self) -> BigRational {
        BigRational::new(BigInt::from(self.mant), BigInt::from(10u8).pow(self.scale))
    }

    /// Plain decimal text: `12`, `0.333`, `1.2`.
    pub fn text(self) -> String {
        let digits = self.mant.to_string();
        if self.scale == 0 {
            return digits;
        }
        let scale = self.scale as usize;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, frac) = padded.split_at(padded.len() - scale);
        format!("{whole}.{frac}")
    }
}

/// How a number is written in the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A TOML integer (only for whole numbers; else written as a string).
    Int,
    /// A TOML float (only with at most 15 significant digits; else a string).
    Float,
    /// A string such as `"1.25"`.
    Str,
    /// A percentage string such as `"12.5%"`; the weight is the number.
    Pct,
}

/// A number and how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Num {
    pub v: Dec,
    pub style: Style,
}

impl Num {
    pub fn toml(self) -> String {
        let v = self.v.normalized();
        match self.style {
            Style::Pct => format!("\"{}%\"", v.text()),
            Style::Str => format!("\"{}\"", self.v.text()),
            Style::Int if v.scale == 0 => grouped(v.mant),
            Style::Int | Style::Float => {
                if v.mant.to_string().len() > 15 {
                    format!("\"{}\"", v.text())
                } else if v.scale == 0 {
                    format!("{}.0", v.mant)
                } else {
                    v.text()
                }
            }
        }
    }

    /// As written in a roster CSV field.
    pub fn csv(self) -> String {
        match self.style {
            Style::Pct => format!("{}%", self.v.text()),
            _ => self.v.text(),
        }
    }
}

/// An integer with TOML underscores for some large ones (`10_000_000`).
fn grouped(v: u128) -> String {
    let digits = v.to_string();
    if v < 1_000_000 || v % 3 == 1 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prec {
    Cent,
    One,
    Hundred,
}

impl Prec {
    pub fn text(self) -> &'static str {
        match self {
            Prec::Cent => "0.01",
            Prec::One => "1",
            Prec::Hundred => "100",
        }
    }

    pub fn decimals(self) -> u32 {
        match self {
            Prec::Cent => 2,
            _ => 0,
        }
    }

    /// `units` of this precision as an exact decimal amount.
    pub fn amount_dec(self, units: u128) -> Dec {
        match self {
            Prec::Cent => Dec { mant: units, scale: 2 },
            Prec::One => Dec::int(units),
            Prec::Hundred => Dec::int(units * 100),
        }
    }

    /// `units` as amount text with exactly the precision's decimals.
    pub fn amount(self, units: u128) -> String {
        self.amount_dec(units).text()
    }

    /// The largest number of units of a 10^13 amount.
    fn max_units(self) -> u128 {
        match self {
            Prec::Cent => 1_000_000_000_000_000,
            Prec::One => 10_000_000_000_000,
            Prec::Hundred => 100_000_000_000,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    Even,
    Days,
    Workdays,
}

impl Spread {
    fn name(self) -> &'static str {
        match self {
            Spread::Even => "even",
            Spread::Days => "days",
            Spread::Workdays => "workdays",
        }
    }
}

/// A member's claim on its parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Share {
    Weight(Num),
    /// A fixed amount in units; `permille` of the smallest exact value any
    /// parent of its set gets (split among the set's fixed members) decides
    /// `units` in [`PlanSpec::settle_fixed`].
    Fixed {
        units: u128,
        permille: u128,
        style: Style,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub share: Share,
}

/// The members under one parent, in output order. Fixed members form one
/// block, first if `fixed_first` (the `fixed` table is written first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetSpec {
    pub members: Vec<Member>,
    pub fixed_first: bool,
}

impl SetSpec {
    pub fn weight_of(&self, name: &str) -> Option<&Share> {
        self.members.iter().find(|m| m.name == name).map(|m| &m.share)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Name,
    Parent,
    Weight,
    Note,
}

/// A roster file: its columns and rows (parent, name, weight) in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roster {
    pub file: String,
    pub columns: Vec<Col>,
    pub rows: Vec<(String, String, Num)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitSpec {
    pub by: String,
    pub default: Option<SetSpec>,
    /// Parent name -> its own members, in the order written.
    pub within: Vec<(String, SetSpec)>,
    /// When set, the split is written as `roster = "<file>"` and its sets
    /// come from the file (the sets above are what the file means).
    pub roster: Option<Roster>,
}

impl SplitSpec {
    /// The members under `parent` (`None` for the first split).
    pub fn set_for(&self, parent: Option<&str>) -> Option<&SetSpec> {
        if let Some(p) = parent {
            if let Some((_, s)) = self.within.iter().find(|(n, _)| n == p) {
                return Some(s);
            }
        }
        self.default.as_ref()
    }

    /// Every member name, in order of first appearance.
    pub fn member_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for set in self.default.iter().chain(self.within.iter().map(|(_, s)| s)) {
            for m in &set.members {
                if !names.contains(&m.name) {
                    names.push(m.name.clone());
                }
            }
        }
        names
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct PlanSpec {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub year: i32,
    pub start_month: u32,
    /// 0: not written; 1: a string; 2: a TOML date.
    pub start_style: u8,
    pub prec: Prec,
    /// 0: not written (0.01); 1: a string; 2: a bare number.
    pub prec_style: u8,
    pub metric: String,
    /// The annual total, in units of the precision.
    pub total: u128,
    pub total_style: Style,
    pub spread: Option<Spread>,
    pub level: Option<usize>,
    pub months: Option<Vec<Num>>,
    pub quarters: Option<Vec<Num>>,
    /// Monday first; `None` = not written (1).
    pub weekdays: [Option<Num>; 7],
    pub week_start: Option<(Weekday, String)>,
    pub splits: Vec<SplitSpec>,
}

impl PlanSpec {
    pub fn spread(&self) -> Spread {
        self.spread.unwrap_or(Spread::Even)
    }

    /// The plan's default output level (index into [`LEVELS`]).
    pub fn level(&self) -> usize {
        self.level.unwrap_or(2)
    }

    pub fn week_start(&self) -> Weekday {
        self.week_start.as_ref().map_or(Weekday::Mon, |(w, _)| *w)
    }

    pub fn start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.start_month, 1).expect("valid start")
    }

    pub fn fiscal(&self) -> bool {
        self.start_month != 1
    }

    /// The weight of a day before months and quarters apply.
    pub fn day_weight(&self, date: NaiveDate) -> Dec {
        let wd = date.weekday();
        if self.spread() == Spread::Workdays && matches!(wd, Weekday::Sat | Weekday::Sun) {
            return Dec::int(0);
        }
        self.weekdays[wd.num_days_from_monday() as usize].map_or(Dec::int(1), |n| n.v)
    }

    /// The plan's title as the output shows it (the file stem by default).
    pub fn title(&self) -> String {
        self.name.clone().unwrap_or_else(|| "plan".to_string())
    }

    pub fn split_names(&self) -> Vec<String> {
        self.splits.iter().map(|s| s.by.clone()).collect()
    }

    /// Plan text (contract v1).
    pub fn toml(&self) -> String {
        let mut t = String::new();
        t.push_str("# generated by tests/properties.rs\n[plan]\n");
        if let Some(name) = &self.name {
            let _ = writeln!(t, "name = {}", q(name));
        }
        if let Some(c) = &self.currency {
            let _ = writeln!(t, "currency = {}", q(c));
        }
        let _ = writeln!(t, "year = {}", self.year);
        match self.start_style {
            1 => {
                let _ = writeln!(t, "start = \"{}\"", self.start());
            }
            2 => {
                let _ = writeln!(t, "start = {}", self.start());
            }
            _ => {}
        }
        match (self.prec_style, self.prec) {
            (0, Prec::Cent) => {}
            (2, Prec::Cent) => t.push_str("precision = 0.01\n"),
            (2, p) => {
                let _ = writeln!(t, "precision = {}", p.text());
            }
            (_, p) => {
                let _ = writeln!(t, "precision = \"{}\"", p.text());
            }
        }
        let total = Num { v: self.prec.amount_dec(self.total), style: self.total_style };
        let _ = writeln!(t, "\n[target]\n{} = {}", q(&self.metric), total.toml());

        let mut time = String::new();
        if let Some(s) = self.spread {
            let _ = writeln!(time, "spread = \"{}\"", s.name());
        }
        if let Some(l) = self.level {
            let _ = writeln!(time, "level = \"{}\"", LEVELS[l]);
        }
        if let Some(m) = &self.months {
            let items: Vec<String> = m.iter().map(|n| n.toml()).collect();
            let _ = writeln!(time, "months = [{}]", items.join(", "));
        }
        if let Some(m) = &self.quarters {
            let items: Vec<String> = m.iter().map(|n| n.toml()).collect();
            let _ = writeln!(time, "quarters = [{}]", items.join(", "));
        }
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let written: Vec<String> =
            self.weekdays.iter().zip(days).filter_map(|(n, d)| n.map(|n| format!("{d} = {}", n.toml()))).collect();
        if !written.is_empty() {
            let _ = writeln!(time, "weekdays = {{ {} }}", written.join(", "));
        }
        if let Some((_, text)) = &self.week_start {
            let _ = writeln!(time, "week_start = {}", q(text));
        }
        if !time.is_empty() {
            t.push_str("\n[time]\n");
            t.push_str(&time);
        }

        for split in &self.splits {
            let _ = writeln!(t, "\n[[split]]\nby = {}", q(&split.by));
            if let Some(r) = &split.roster {
                let _ = writeln!(t, "roster = {}", q(&r.file));
                continue;
            }
            if let Some(set) = &split.default {
                write_set(&mut t, set, self.prec);
            }
            for (parent, set) in &split.within {
                let _ = writeln!(t, "[split.within.{}]", q(parent));
                write_set(&mut t, set, self.prec);
            }
        }
        t
    }

    /// Roster files: (file name, CSV text).
    pub fn files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, split) in self.splits.iter().enumerate() {
            let Some(r) = &split.roster else { continue };
            let parent_col = if i == 0 { None } else { Some(self.splits[i - 1].by.clone()) };
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            let header: Vec<String> = r
                .columns
                .iter()
                .map(|c| match c {
                    Col::Name => "name".to_string(),
                    Col::Parent => parent_col.clone().expect("a parent column only under a split"),
                    Col::Weight => "weight".to_string(),
                    Col::Note => "note".to_string(),
                })
                .collect();
            w.write_record(&header).expect("csv");
            for (k, (parent, name, weight)) in r.rows.iter().enumerate() {
                let rec: Vec<String> = r
                    .columns
                    .iter()
                    .map(|c| match c {
                        Col::Name => name.clone(),
                        Col::Parent => parent.clone(),
                        Col::Weight => weight.csv(),
                        Col::Note => format!("row {k}, \"ok\""),
                    })
                    .collect();
                w.write_record(&rec).expect("csv");
            }
            let text = String::from_utf8(w.into_inner().expect("csv")).expect("utf-8");
            out.push((r.file.clone(), text));
        }
        out
    }

    /// Works out fixed amounts in cascade order: each fixed member of a set
    /// gets `permille / 1000 / (fixed members of the set)` of the smallest
    /// exact value among the parents that use the set, rounded down, so the
    /// fixed amounts never exceed what a parent has.
    pub fn settle_fixed(&mut self) {
        let total = BigRational::from_integer(BigInt::from(self.total));
        let mut paths: Vec<(Option<String>, BigRational)> = vec![(None, total)];
        for s in 0..self.splits.len() {
            // Smallest parent value per set: key None = default, Some(i) = within[i].
            let mut min_default: Option<BigRational> = None;
            let mut min_within: Vec<Option<BigRational>> = vec![None; self.splits[s].within.len()];
            for (parent, value) in &paths {
                let split = &self.splits[s];
                let slot = match parent.as_ref().and_then(|p| split.within.iter().position(|(n, _)| n == p)) {
                    Some(i) => &mut min_within[i],
                    None => &mut min_default,
                };
                if slot.as_ref().is_none_or(|m| value < m) {
                    *slot = Some(value.clone());
                }
            }
            let split = &mut self.splits[s];
            let sets = split
                .default
                .iter_mut()
                .map(|set| (set, min_default.clone()))
                .chain(split.within.iter_mut().zip(min_within).map(|((_, set), m)| (set, m)));
            for (set, min) in sets {
                let min = min.unwrap_or_else(BigRational::zero);
                let n_fixed = set.members.iter().filter(|m| matches!(m.share, Share::Fixed { .. })).count();
                for m in &mut set.members {
                    if let Share::Fixed { units, permille, .. } = &mut m.share {
                        let part = &min * BigRational::new(BigInt::from(*permille), BigInt::from(1000 * n_fixed));
                        *units = part.floor().to_integer().to_u128().expect("fits");
                    }
                }
            }
            // Children's exact values.
            let mut next = Vec::new();
            for (parent, value) in &paths {
                let Some(set) = self.splits[s].set_for(parent.as_deref()) else { continue };
                let fixed: u128 = set
                    .members
                    .iter()
                    .map(|m| match m.share {
                        Share::Fixed { units, .. } => units,
                        Share::Weight(_) => 0,
                    })
                    .sum();
                let rest = value - BigRational::from_integer(BigInt::from(fixed));
                let wsum = set.members.iter().fold(BigRational::zero(), |acc, m| match m.share {
                    Share::Weight(n) => acc + n.v.ratio(),
                    Share::Fixed { .. } => acc,
                });
                for m in &set.members {
                    let v = match m.share {
                        Share::Fixed { units, .. } => BigRational::from_integer(BigInt::from(units)),
                        Share::Weight(n) => &rest * n.v.ratio() / &wsum,
                    };
                    next.push((Some(m.name.clone()), v));
                }
            }
            paths = next;
        }
    }
}

/// A failing case shows as the files it writes.
impl std::fmt::Debug for PlanSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "\n----- plan.toml -----\n{}", self.toml())?;
        for (file, text) in self.files() {
            writeln!(f, "----- {file} -----\n{text}")?;
        }
        write!(f, "-----")
    }
}

fn write_set(t: &mut String, set: &SetSpec, prec: Prec) {
    let weights: Vec<String> = set
        .members
        .iter()
        .filter_map(|m| match m.share {
            Share::Weight(n) => Some(format!("{} = {}", q(&m.name), n.toml())),
            Share::Fixed { .. } => None,
        })
        .collect();
    let fixed: Vec<String> = set
        .members
        .iter()
        .filter_map(|m| match m.share {
            Share::Fixed { units, style, .. } => {
                Some(format!("{} = {}", q(&m.name), Num { v: prec.amount_dec(units), style }.toml()))
            }
            Share::Weight(_) => None,
        })
        .collect();
    let w = format!("weights = {{ {} }}\n", weights.join(", "));
    let f = format!("fixed = {{ {} }}\n", fixed.join(", "));
    match (weights.is_empty(), fixed.is_empty(), set.fixed_first) {
        (_, true, _) => t.push_str(&w),
        (true, false, _) => t.push_str(&f),
        (false, false, true) => {
            t.push_str(&f);
            t.push_str(&w);
        }
        (false, false, false) => {
            t.push_str(&w);
            t.push_str(&f);
        }
    }
}

/// A TOML basic string.
pub fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What to generate; proptest shrinks these towards simpler plans.
#[derive(Clone, Debug)]
pub struct Knobs {
    pub seed: u64,
    pub leaf_cap: u64,
    pub splits: usize,
    pub max_members: u64,
    /// 0: zero total; 1: 1-50 units; 2: up to 10^6 units; 3: up to an amount of 10^13.
    pub total_class: u8,
    pub months: bool,
    pub quarters: bool,
    pub weekdays: bool,
    pub within: bool,
    pub fixed: bool,
    pub roster: bool,
    pub fancy: bool,
    pub fiscal: bool,
    pub ties: bool,
}

pub fn knobs(leaf_cap: u64) -> impl Strategy<Value = Knobs> {
    (
        any::<u64>(),
        0usize..=3,
        1u64..=6,
        prop_oneof![1 => Just(0u8), 5 => Just(1u8), 3 => Just(2u8), 3 => Just(3u8)],
        proptest::array::uniform9(any::<bool>()),
    )
        .prop_map(move |(seed, splits, max_members, total_class, b)| Knobs {
            seed,
            leaf_cap,
            splits,
            max_members,
            total_class,
            months: b[0],
            quarters: b[1],
            weekdays: b[2],
            within: b[3],
            fixed: b[4],
            roster: b[5],
            fancy: b[6],
            fiscal: b[7],
            ties: b[8],
        })
}

/// Random valid plans with at most [`LEAF_CAP`] org leaves.
pub fn plan_spec() -> impl Strategy<Value = PlanSpec> {
    plan_spec_capped(LEAF_CAP)
}

/// Random valid plans with at most `leaf_cap` org leaves.
pub fn plan_spec_capped(leaf_cap: u64) -> impl Strategy<Value = PlanSpec> {
    knobs(leaf_cap).prop_map(|k| PlanSpec::generate(&k))
}

const PLAIN_NAMES: [&str; 10] = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"];
const FANCY_NAMES: [&str; 16] = [
    "华东",
    "华北",
    "华南",
    "东北",
    "张伟",
    "李 娜",
    "North West",
    "Smith, J",
    "Acme, Inc.",
    "Dan \"D\" Li",
    "Ünïcode",
    "渠道 1",
    "A",
    "B",
    "C",
    "D",
];
const PLAIN_REPS: [&str; 8] = ["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"];
const FANCY_REPS: [&str; 10] =
    ["张伟", "王芳", "Li, Wei", "O'Brien", "Ana María", "陈 静", "Bob", "Zoë, K", "r1", "r2"];
const PLAIN_SPLITS: [&str; 4] = ["region", "product", "channel", "team"];
const FANCY_SPLITS: [&str; 6] = ["region", "product", "区域", "sales team", "segment", "渠道"];

impl PlanSpec {
    pub fn generate(k: &Knobs) -> PlanSpec {
        let mut g = Gen { rng: Rng::new(k.seed), ties: k.ties };
        let rng = &mut g.rng;
        let year = rng.range(2000, 2040) as i32;
        let start_month = if k.fiscal { rng.range(2, 12) as u32 } else { 1 };
        let start_style = if start_month == 1 { rng.range(0, 2) as u8 } else { rng.range(1, 2) as u8 };
        let prec = rng.pick(&[Prec::Cent, Prec::One, Prec::Hundred]);
        let prec_style = rng.range(if prec == Prec::Cent { 0 } else { 1 }, 2) as u8;
        let total = match k.total_class {
            0 => 0,
            1 => rng.range(1, 50) as u128,
            2 => rng.range(51, 1_000_000) as u128,
            _ => {
                let max = prec.max_units();
                let digits = rng.range(7, max.to_string().len() as u64 - 1) as u32;
                if rng.chance(1, 4) {
                    10u128.pow(digits) * rng.range(1, 9) as u128
                } else {
                    let lo = 10u128.pow(digits - 1);
                    lo + (rng.next_u64() as u128 * 7919) % (10u128.pow(digits) - lo)
                }
                .min(max)
            }
        };
        let total_style = rng.pick(&[Style::Int, Style::Int, Style::Float, Style::Str]);
        let spread = rng.pick(&[None, Some(Spread::Even), Some(Spread::Days), Some(Spread::Workdays)]);
        let level = if rng.chance(1, 2) { Some(rng.below(5) as usize) } else { None };
        let workdays = spread == Some(Spread::Workdays);

        let mut weekdays: [Option<Num>; 7] = [None; 7];
        if k.weekdays {
            // Strings with 20 decimals are read digit for digit (floats fall back to strings).
            let pool =
                ["0", "0.5", "0.75", "1", "1.2", "1.5", "1.8", "2", "0.333", "3", "1.25", "1.00000000000000000001"];
            for (i, slot) in weekdays.iter_mut().enumerate() {
                if rng.chance(1, 2) {
                    continue;
                }
                let mut v = if rng.chance(3, 4) {
                    parse_dec(rng.pick(&pool))
                } else {
                    Dec::new(rng.range(0, 5000) as u128, rng.range(0, 3) as u32)
                };
                if v.is_zero() && workdays && i < 5 {
                    v = parse_dec("1.2");
                }
                let style = if v.scale == 0 {
                    rng.pick(&[Style::Int, Style::Str])
                } else {
                    rng.pick(&[Style::Float, Style::Str])
                };
                *slot = Some(Num { v, style });
            }
            let usable = if workdays { 5 } else { 7 };
            if weekdays[..usable].iter().all(|d| d.is_some_and(|n| n.v.is_zero())) {
                weekdays[0] = Some(Num { v: Dec::int(1), style: Style::Int });
            }
        }
        let week_start = if rng.chance(2, 3) {
            let days =
                [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
            let longs = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
            let i = rng.below(7) as usize;
            let text = if rng.chance(1, 4) { longs[i].to_string() } else { names[i].to_string() };
            Some((days[i], text))
        } else {
            None
        };

        let quarters = if k.quarters {
            let mut pos: Vec<bool> = (0..4).map(|_| rng.chance(5, 6)).collect();
            if !pos.contains(&true) {
                pos[rng.below(4) as usize] = true;
            }
            Some(g.group(&pos, true))
        } else {
            None
        };
        let rng = &mut g.rng;
        let months = if k.months {
            let mut pos: Vec<bool> = (0..12).map(|_| rng.chance(4, 5)).collect();
            if let Some(qs) = &quarters {
                for (qi, qn) in qs.iter().enumerate() {
                    if !qn.v.is_zero() && !pos[3 * qi..3 * qi + 3].contains(&true) {
                        pos[3 * qi + rng.below(3) as usize] = true;
                    }
                }
            }
            if !pos.contains(&true) {
                pos[rng.below(12) as usize] = true;
            }
            Some(g.group(&pos, true))
        } else {
            None
        };

        let rng = &mut g.rng;
        let (names, reps, split_pool): (&[&str], &[&str], &[&str]) = if k.fancy {
            (&FANCY_NAMES, &FANCY_REPS, &FANCY_SPLITS)
        } else {
            (&PLAIN_NAMES, &PLAIN_REPS, &PLAIN_SPLITS)
        };
        let mut split_names: Vec<&str> = split_pool.to_vec();
        rng.shuffle(&mut split_names);
        let metric = rng.pick(if k.fancy { &["sales", "销售额", "revenue"][..] } else { &["sales"][..] }).to_string();
        let name = match rng.below(3) {
            0 => None,
            1 => Some(if k.fancy { "2026 年度销售计划 \"draft\", v2".to_string() } else { "Plan".to_string() }),
            _ => Some("Sales plan".to_string()),
        };
        let currency = rng.pick(&[None, Some("CNY".to_string()), Some("USD".to_string())]);

        let mut splits: Vec<SplitSpec> = Vec::new();
        // Number of org paths ending at each member name of the last split.
        let mut paths: Vec<(Option<String>, u64)> = vec![(None, 1)];
        for (s, by) in split_names.iter().copied().enumerate().take(k.splits) {
            let total_paths: u64 = paths.iter().map(|(_, c)| c).sum::<u64>().max(1);
            let limit = (k.leaf_cap / total_paths).clamp(1, k.max_members);
            let is_roster = k.roster && s + 1 == k.splits && g.rng.chance(2, 3);
            let split = if is_roster {
                g.roster_split(by, splits.last(), limit, reps)
            } else {
                g.plain_split(by, splits.last(), limit, names, k)
            };
            let mut next: Vec<(Option<String>, u64)> = Vec::new();
            for (parent, c) in &paths {
                let Some(set) = split.set_for(parent.as_deref()) else { continue };
                for m in &set.members {
                    match next.iter_mut().find(|(n, _)| n.as_deref() == Some(m.name.as_str())) {
                        Some((_, n)) => *n += c,
                        None => next.push((Some(m.name.clone()), *c)),
                    }
                }
            }
            paths = next;
            splits.push(split);
        }

        let mut spec = PlanSpec {
            name,
            currency,
            year,
            start_month,
            start_style,
            prec,
            prec_style,
            metric,
            total,
            total_style,
            spread,
            level,
            months,
            quarters,
            weekdays,
            week_start,
            splits,
        };
        spec.settle_fixed();
        spec
    }

    /// Writes the plan and its rosters into `dir`; returns the plan text.
    pub fn write_to(&self, dir: &std::path::Path) -> String {
        for (file, text) in self.files() {
            std::fs::write(dir.join(file), text).expect("write roster");
        }
        let text = self.toml();
        std::fs::write(dir.join("plan.toml"), &text).expect("write plan");
        text
    }
}

fn parse_dec(s: &str) -> Dec {
    match s.split_once('.') {
        None => Dec::int(s.parse().unwrap()),
        Some((w, f)) => Dec::new(format!("{w}{f}").parse().unwrap(), f.len() as u32),
    }
}

struct Gen {
    rng: Rng,
    /// Prefer equal weights (ties exercise the tie rule).
    ties: bool,
}

impl Gen {
    /// One sibling group of weights: zero where `pos` is false, positive
    /// where true; all plain or (if allowed) all percentages adding up to 100.
    fn group(&mut self, pos: &[bool], pct_ok: bool) -> Vec<Num> {
        let rng = &mut self.rng;
        let k = pos.iter().filter(|p| **p).count() as u128;
        assert!(k > 0, "a group needs a positive weight");
        let equal = self.ties && rng.chance(1, 2);
        match rng.below(if pct_ok { 3 } else { 2 }) {
            0 => {
                let big = rng.chance(1, 8);
                let shared = rng.range(1, 12) as u128;
                pos.iter()
                    .map(|&p| {
                        let v = if !p {
                            0
                        } else if equal {
                            shared
                        } else if big {
                            rng.range(1, 1_000_000_000) as u128
                        } else {
                            rng.range(1, 12) as u128
                        };
                        Num { v: Dec::int(v), style: if rng.chance(1, 6) { Style::Str } else { Style::Int } }
                    })
                    .collect()
            }
            1 => {
                let pool =
                    ["0.333", "1.2", "0.5", "2.25", "1.8", "0.001", "3", "1", "0.1", "7.5", "0.12345678901234567891"];
                let shared = parse_dec(rng.pick(&pool));
                pos.iter()
                    .map(|&p| {
                        let v = if !p {
                            Dec::int(0)
                        } else if equal {
                            shared
                        } else if rng.chance(1, 2) {
                            parse_dec(rng.pick(&pool))
                        } else {
                            Dec::new(rng.range(1, 99_999) as u128, rng.range(0, 4) as u32)
                        };
                        let style = match rng.below(3) {
                            0 if v.scale == 0 => Style::Int,
                            0 | 1 => Style::Float,
                            _ => Style::Str,
                        };
                        Num { v, style }
                    })
                    .collect()
            }
            _ => {
                // Tenths of a percent, each positive entry at least 0.1%.
                let mut tenths: Vec<u128> = vec![0; pos.len()];
                if equal {
                    let each = 1000 / k;
                    let mut left = 1000 - each * k;
                    for (t, &p) in tenths.iter_mut().zip(pos) {
                        if p {
                            *t = each + u128::from(left > 0);
                            left = left.saturating_sub(1);
                        }
                    }
                } else {
                    let raw: Vec<u128> = pos.iter().map(|&p| if p { rng.range(1, 20) as u128 } else { 0 }).collect();
                    let sum: u128 = raw.iter().sum();
                    let mut given = 0;
                    for (t, r) in tenths.iter_mut().zip(&raw) {
                        if *r > 0 {
                            *t = 1 + (1000 - k) * r / sum;
                            given += *t;
                        }
                    }
                    let mut left = 1000 - given;
                    for (t, r) in tenths.iter_mut().zip(&raw) {
                        if *r > 0 && left > 0 {
                            *t += 1;
                            left -= 1;
                        }
                    }
                    assert_eq!(left, 0);
                }
                assert_eq!(tenths.iter().sum::<u128>(), 1000);
                tenths.into_iter().map(|t| Num { v: Dec::new(t, 1), style: Style::Pct }).collect()
            }
        }
    }

    fn positivity(&mut self, n: usize) -> Vec<bool> {
        let mut pos: Vec<bool> = (0..n).map(|_| self.rng.chance(5, 6)).collect();
        if !pos.contains(&true) {
            let i = self.rng.below(n as u64) as usize;
            pos[i] = true;
        }
        pos
    }

    /// A member set with `n` members from `pool`, some of them fixed if `fixed`.
    fn set(&mut self, n: u64, pool: &[&str], fixed: bool, pct_ok: bool) -> SetSpec {
        let mut names: Vec<&str> = pool.to_vec();
        self.rng.shuffle(&mut names);
        let n = if self.rng.chance(1, 2) { n } else { self.rng.range(1, n) };
        let n = (n as usize).min(names.len());
        let n_fixed = if fixed && n >= 2 { self.rng.range(1, (n as u64 - 1).min(2)) as usize } else { 0 };
        let fixed_first = self.rng.chance(1, 2);
        let pos = self.positivity(n - n_fixed);
        let weights = self.group(&pos, pct_ok);
        let mut weighted: Vec<Member> = names[..n - n_fixed]
            .iter()
            .zip(weights)
            .map(|(name, w)| Member { name: name.to_string(), share: Share::Weight(w) })
            .collect();
        let fixed: Vec<Member> = names[n - n_fixed..n]
            .iter()
            .map(|name| {
                let permille = match self.rng.below(4) {
                    0 => 1000,
                    1 => self.rng.range(0, 50) as u128,
                    _ => self.rng.range(0, 1000) as u128,
                };
                let style = self.rng.pick(&[Style::Int, Style::Float, Style::Str]);
                Member { name: name.to_string(), share: Share::Fixed { units: 0, permille, style } }
            })
            .collect();
        let members = if fixed_first {
            fixed.into_iter().chain(weighted).collect()
        } else {
            weighted.extend(fixed);
            weighted
        };
        SetSpec { members, fixed_first }
    }

    fn plain_split(&mut self, by: &str, prev: Option<&SplitSpec>, limit: u64, pool: &[&str], k: &Knobs) -> SplitSpec {
        let fixed = k.fixed && self.rng.chance(1, 2);
        let mut split = SplitSpec { by: by.to_string(), default: None, within: Vec::new(), roster: None };
        let default = self.set(limit, pool, fixed, true);
        if let (Some(prev), true) = (prev, k.within) {
            let names = prev.member_names();
            let everyone = self.rng.chance(1, 6);
            for name in names {
                if everyone || self.rng.chance(1, 3) {
                    let fixed = k.fixed && self.rng.chance(1, 3);
                    split.within.push((name, self.set(limit, pool, fixed, true)));
                }
            }
            if !everyone {
                split.default = Some(default);
            }
        } else {
            split.default = Some(default);
        }
        split
    }

    fn roster_split(&mut self, by: &str, prev: Option<&SplitSpec>, limit: u64, pool: &[&str]) -> SplitSpec {
        let mut split = SplitSpec { by: by.to_string(), default: None, within: Vec::new(), roster: None };
        let mut groups: Vec<(String, SetSpec)> = Vec::new();
        match prev {
            None => groups.push((String::new(), self.set(limit, pool, false, true))),
            Some(prev) => {
                for name in prev.member_names() {
                    // A parent that never gets anything may have no rows.
                    let never =
                        [prev.default.as_ref()].into_iter().flatten().chain(prev.within.iter().map(|(_, s)| s)).all(
                            |s| match s.weight_of(&name) {
                                None => true,
                                Some(Share::Weight(n)) => n.v.is_zero(),
                                Some(Share::Fixed { .. }) => false,
                            },
                        );
                    if never && self.rng.chance(1, 2) {
                        continue;
                    }
                    groups.push((name, self.set(limit, pool, false, true)));
                }
            }
        }
        // Interleave the groups' rows, keeping each group's order.
        let mut order: Vec<usize> =
            groups.iter().enumerate().flat_map(|(i, (_, s))| vec![i; s.members.len()]).collect();
        if self.rng.chance(1, 2) {
            self.rng.shuffle(&mut order);
        }
        let mut next = vec![0usize; groups.len()];
        let mut rows = Vec::new();
        for g in order {
            let (parent, set) = &groups[g];
            let m = &set.members[next[g]];
            next[g] += 1;
            let Share::Weight(w) = m.share else { unreachable!("rosters have weights only") };
            rows.push((parent.clone(), m.name.clone(), w));
        }
        let mut columns =
            if prev.is_some() { vec![Col::Name, Col::Parent, Col::Weight] } else { vec![Col::Name, Col::Weight] };
        if self.rng.chance(1, 3) {
            columns.push(Col::Note);
            self.rng.shuffle(&mut columns);
        }
        let file = self.rng.pick(&["reps.csv", "团队 名单.csv"]).to_string();
        split.roster = Some(Roster { file, columns, rows });
        if prev.is_none() {
            split.default = groups.pop().map(|(_, s)| s);
        } else {
            split.within = groups;
        }
        split
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_print_exactly() {
        assert_eq!(Dec { mant: 5, scale: 3 }.text(), "0.005");
        assert_eq!(Dec { mant: 1234, scale: 2 }.text(), "12.34");
        assert_eq!(Dec::int(7).text(), "7");
        assert_eq!(Prec::Cent.amount(1), "0.01");
        assert_eq!(Prec::Hundred.amount(12), "1200");
        assert_eq!(grouped(12_000_000), "12_000_000");
    }
}
