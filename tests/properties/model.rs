//! Random valid plans for the property tests.
//!
//! A [`PlanSpec`] is what a plan means, held exactly (every number is a
//! decimal `mant / 10^scale` chosen here, never read back from the library),
//! together with how it is written (integer, float, string or percentage).
//! [`PlanSpec::toml`] and [`PlanSpec::files`] write it out as a plan file,
//! its roster CSVs and its own holiday CSVs.
//!
//! Calendar features come on at random: `holidays` (shipped `cn-2024..2026`,
//! read here from `configs/holidays/` as data, and/or a company CSV of off
//! days and make-up working days, with a BOM or CRLF sometimes), `workweek`,
//! `[time.days]` (weight 0 included), `calendar = "4-4-5"` and friends with
//! either year-end rule (years 2015-2030, so 53-week years occur),
//! `[[time.slots]]`, `fy_label`, and `[time.fixed]` holds chosen with the
//! reference calendar so that the plan stays valid (see
//! [`super::reference::choose_holds`]). A calendar the new day rules would
//! make invalid is repaired ([`PlanSpec::repair_calendar`]).
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
pub(super) const LEAF_CAP: u64 = 36;

/// The leaf cap of the long (ignored) run.
pub(super) const BIG_LEAF_CAP: u64 = 120;

/// Time levels, coarse to fine, by their `--by` names (`slot` only for
/// plans with `[[time.slots]]`; a retail plan also calls its months `period`).
pub(super) const LEVELS: [&str; 6] = ["year", "quarter", "month", "week", "day", "slot"];

/// Level indices.
pub(super) const WEEK: usize = 3;
pub(super) const DAY: usize = 4;
pub(super) const SLOT: usize = 5;

/// Weekday names as plans write them, Monday first.
pub(super) const WEEKDAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WEEKDAY_LONG: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

/// The holiday calendars salesplit ships (read here as data files, the way a
/// user would read them).
pub(super) const SHIPPED_HOLIDAYS: [(i32, &str); 3] = [
    (2024, include_str!("../../configs/holidays/cn-2024.csv")),
    (2025, include_str!("../../configs/holidays/cn-2025.csv")),
    (2026, include_str!("../../configs/holidays/cn-2026.csv")),
];

/// A shipped calendar's days: date and whether it is an off day.
pub(super) fn shipped_days(year: i32) -> Vec<(NaiveDate, bool)> {
    let (_, text) = SHIPPED_HOLIDAYS.iter().find(|(y, _)| *y == year).expect("a shipped year");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let date = NaiveDate::parse_from_str(f[0].trim(), "%Y-%m-%d").expect("a shipped date");
            (date, f[2].trim() == "true")
        })
        .collect()
}

/// A small deterministic generator (splitmix64) for the details of a plan.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0);
        self.next_u64() % n
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        assert!(lo <= hi);
        if hi - lo == u64::MAX {
            return self.next_u64();
        }
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub(super) fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }

    pub(super) fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize].clone()
    }

    pub(super) fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }
}

/// An exact non-negative decimal `mant / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Dec {
    pub mant: u128,
    pub scale: u32,
}

impl Dec {
    pub(super) fn int(v: u128) -> Dec {
        Dec { mant: v, scale: 0 }
    }

    pub(super) fn new(mant: u128, scale: u32) -> Dec {
        Dec { mant, scale }.normalized()
    }

    pub(super) fn is_zero(self) -> bool {
        self.mant == 0
    }

    /// Without trailing zeros after the point.
    pub(super) fn normalized(self) -> Dec {
        let mut d = self;
        while d.scale > 0 && d.mant % 10 == 0 {
            d.mant /= 10;
            d.scale -= 1;
        }
        d
    }

    /// The mantissa at a larger scale.
    pub(super) fn at_scale(self, scale: u32) -> u128 {
        assert!(scale >= self.scale);
        self.mant * 10u128.pow(scale - self.scale)
    }

    pub(super) fn add(self, other: Dec) -> Dec {
        let scale = self.scale.max(other.scale);
        Dec { mant: self.at_scale(scale) + other.at_scale(scale), scale }
    }

    pub(super) fn cmp_value(self, other: Dec) -> std::cmp::Ordering {
        let scale = self.scale.max(other.scale);
        self.at_scale(scale).cmp(&other.at_scale(scale))
    }

    pub(super) fn ratio(self) -> BigRational {
        BigRational::new(BigInt::from(self.mant), BigInt::from(10u8).pow(self.scale))
    }

    /// Plain decimal text: `12`, `0.333`, `1.2`.
    pub(super) fn text(self) -> String {
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
pub(super) enum Style {
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
pub(super) struct Num {
    pub v: Dec,
    pub style: Style,
}

impl Num {
    pub(super) fn toml(self) -> String {
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
    pub(super) fn csv(self) -> String {
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
pub(super) enum Prec {
    Cent,
    One,
    Hundred,
}

impl Prec {
    pub(super) fn text(self) -> &'static str {
        match self {
            Prec::Cent => "0.01",
            Prec::One => "1",
            Prec::Hundred => "100",
        }
    }

    pub(super) fn decimals(self) -> u32 {
        match self {
            Prec::Cent => 2,
            _ => 0,
        }
    }

    /// `units` of this precision as an exact decimal amount.
    pub(super) fn amount_dec(self, units: u128) -> Dec {
        match self {
            Prec::Cent => Dec { mant: units, scale: 2 },
            Prec::One => Dec::int(units),
            Prec::Hundred => Dec::int(units * 100),
        }
    }

    /// `units` as amount text with exactly the precision's decimals.
    pub(super) fn amount(self, units: u128) -> String {
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
pub(super) enum Spread {
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
pub(super) enum Share {
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
pub(super) struct Member {
    pub name: String,
    pub share: Share,
}

/// The members under one parent, in output order. Fixed members form one
/// block, first if `fixed_first` (the `fixed` table is written first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SetSpec {
    pub members: Vec<Member>,
    pub fixed_first: bool,
}

impl SetSpec {
    pub(super) fn weight_of(&self, name: &str) -> Option<&Share> {
        self.members.iter().find(|m| m.name == name).map(|m| &m.share)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Col {
    Name,
    Parent,
    Weight,
    Note,
}

/// A roster file: its columns and rows (parent, name, weight) in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Roster {
    pub file: String,
    pub columns: Vec<Col>,
    pub rows: Vec<(String, String, Num)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct SplitSpec {
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
    pub(super) fn set_for(&self, parent: Option<&str>) -> Option<&SetSpec> {
        if let Some(p) = parent {
            if let Some((_, s)) = self.within.iter().find(|(n, _)| n == p) {
                return Some(s);
            }
        }
        self.default.as_ref()
    }

    /// Every member name, in order of first appearance.
    pub(super) fn member_names(&self) -> Vec<String> {
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

/// The rule that ends a retail year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum YearEnd {
    /// The Saturday nearest 31 January.
    NearestSatJan31,
    /// The last Saturday of January.
    LastSatJan,
}

/// `calendar = "4-4-5"` and friends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Retail {
    /// Weeks of the three periods of a quarter.
    pub pattern: [u64; 3],
    pub year_end: YearEnd,
    /// Whether `retail_year_end` is written (the default is the nearest Saturday).
    pub year_end_written: bool,
}

impl Retail {
    pub(super) fn pattern_name(&self) -> String {
        format!("{}-{}-{}", self.pattern[0], self.pattern[1], self.pattern[2])
    }
}

/// The last day of the retail year that ends in January (or early
/// February) of `year`: a Saturday.
pub(super) fn retail_year_end(rule: YearEnd, year: i32) -> NaiveDate {
    // The seven days Jan 28 .. Feb 3 hold exactly one Saturday, the one
    // nearest Jan 31; Jan 25 .. Jan 31 hold the last Saturday of January.
    let first = match rule {
        YearEnd::NearestSatJan31 => NaiveDate::from_ymd_opt(year, 1, 28),
        YearEnd::LastSatJan => NaiveDate::from_ymd_opt(year, 1, 25),
    }
    .expect("a date");
    first.iter_days().take(7).find(|d| d.weekday() == Weekday::Sat).expect("a Saturday in seven days")
}

/// A company holiday calendar (a CSV file next to the plan).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct OwnHolidays {
    pub file: String,
    /// Column order of the file (`date`, `name`, `is_off_day`, maybe `note`).
    pub columns: Vec<&'static str>,
    /// (date, name, off day?, how `is_off_day` is written).
    pub rows: Vec<(NaiveDate, String, bool, &'static str)>,
    /// Written with a byte-order mark, and with CRLF line ends.
    pub bom: bool,
    pub crlf: bool,
}

/// One entry of `holidays = [...]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum HolidaySource {
    /// `cn-2026` and friends.
    Shipped(i32),
    Own(OwnHolidays),
}

/// A `[time.fixed]` hold: the period (by level and index in the reference
/// calendar), its label and amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct HoldSpec {
    pub level: usize,
    pub index: usize,
    pub label: String,
    pub units: u128,
    pub style: Style,
}

#[derive(Clone, PartialEq, Eq)]
pub(super) struct PlanSpec {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub year: i32,
    /// The calendar year of `start` (the plan year before it with `fy_label = "end"`).
    pub start_year: i32,
    /// `fy_label`: `Some(true)` = "end", `Some(false)` = "start", `None` = not written.
    pub fy_label: Option<bool>,
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
    pub retail: Option<Retail>,
    /// `workweek` as written (weekday indices, Monday = 0, and whether long names are used).
    pub workweek: Option<(Vec<usize>, bool)>,
    pub holidays: Vec<HolidaySource>,
    /// `[time.days]`: special days and their weights, in the order written.
    pub days: Vec<(NaiveDate, Num)>,
    /// Whether `[time.days]` is written as an inline table.
    pub days_inline: bool,
    /// `[time.fixed]`, in the order written.
    pub holds: Vec<HoldSpec>,
    /// `[[time.slots]]`: name and percentage share.
    pub slots: Vec<(String, Num)>,
    pub splits: Vec<SplitSpec>,
    /// `[plan] rounding = "cascade"` (contract v1's rule) instead of the default.
    pub cascade: bool,
}

impl PlanSpec {
    /// The same plan under contract v1's rounding (`rounding = "cascade"`).
    pub(super) fn cascade(&self) -> PlanSpec {
        PlanSpec { cascade: true, ..self.clone() }
    }

    pub(super) fn spread(&self) -> Spread {
        self.spread.unwrap_or(Spread::Even)
    }

    /// The plan's default output level (index into [`LEVELS`]).
    pub(super) fn level(&self) -> usize {
        self.level.unwrap_or(2)
    }

    pub(super) fn week_start(&self) -> Weekday {
        self.week_start.as_ref().map_or(Weekday::Mon, |(w, _)| *w)
    }

    /// The `start` written in `[plan]` (Gregorian plans only).
    pub(super) fn written_start(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, self.start_month, 1).expect("valid start")
    }

    /// First and last day of the plan year.
    pub(super) fn bounds(&self) -> (NaiveDate, NaiveDate) {
        if let Some(r) = &self.retail {
            (
                retail_year_end(r.year_end, self.year).succ_opt().expect("a date"),
                retail_year_end(r.year_end, self.year + 1),
            )
        } else {
            let start = self.written_start();
            let end = start.checked_add_months(chrono::Months::new(12)).expect("a date").pred_opt().expect("a date");
            (start, end)
        }
    }

    /// Whether year and quarter labels take `FY` (a retail year, or a year
    /// that does not start on 1 January).
    pub(super) fn fiscal(&self) -> bool {
        self.retail.is_some() || self.start_month != 1 || self.start_year != self.year
    }

    pub(super) fn has_slots(&self) -> bool {
        !self.slots.is_empty()
    }

    /// How many time levels the plan has (5, or 6 with slots).
    pub(super) fn n_levels(&self) -> usize {
        if self.has_slots() {
            6
        } else {
            5
        }
    }

    /// The worked weekdays, Monday first (Monday to Friday by default).
    pub(super) fn workweek_days(&self) -> [bool; 7] {
        match &self.workweek {
            None => [true, true, true, true, true, false, false],
            Some((days, _)) => {
                let mut w = [false; 7];
                for &d in days {
                    w[d] = true;
                }
                w
            }
        }
    }

    /// Every named holiday calendar merged: date -> off day?
    pub(super) fn holiday_map(&self) -> std::collections::BTreeMap<NaiveDate, bool> {
        Self::holiday_map_of(&self.holidays)
    }

    fn holiday_map_of(sources: &[HolidaySource]) -> std::collections::BTreeMap<NaiveDate, bool> {
        let mut map = std::collections::BTreeMap::new();
        for source in sources {
            match source {
                HolidaySource::Shipped(y) => map.extend(shipped_days(*y)),
                HolidaySource::Own(own) => map.extend(own.rows.iter().map(|(d, _, off, _)| (*d, *off))),
            }
        }
        map
    }

    /// The years the named holiday calendars cover.
    pub(super) fn holiday_years(&self) -> std::collections::BTreeSet<i32> {
        let mut years = std::collections::BTreeSet::new();
        for source in &self.holidays {
            match source {
                HolidaySource::Shipped(y) => {
                    years.insert(*y);
                }
                HolidaySource::Own(own) => years.extend(own.rows.iter().map(|(d, ..)| d.year())),
            }
        }
        years
    }

    /// Whether `date` is worked: a make-up working day, or a workweek day
    /// that is not an off day (`holidays` is the merged calendar).
    pub(super) fn worked(&self, date: NaiveDate, holidays: &std::collections::BTreeMap<NaiveDate, bool>) -> bool {
        match holidays.get(&date) {
            Some(off) => !off,
            None => self.workweek_days()[date.weekday().num_days_from_monday() as usize],
        }
    }

    /// The weight of a day before months and quarters apply: a special
    /// day's weight; else its weekday coefficient (1 if none), or 0 under
    /// `spread = "workdays"` on a day that is not worked.
    pub(super) fn day_weight(&self, date: NaiveDate, holidays: &std::collections::BTreeMap<NaiveDate, bool>) -> Dec {
        if let Some((_, w)) = self.days.iter().find(|(d, _)| *d == date) {
            return w.v;
        }
        if self.spread() == Spread::Workdays && !self.worked(date, holidays) {
            return Dec::int(0);
        }
        self.weekdays[date.weekday().num_days_from_monday() as usize].map_or(Dec::int(1), |n| n.v)
    }

    /// What the warnings the plan deserves say, in order (a phrase each
    /// must contain), apart from holds missed by the members' rounding
    /// (those only the run can tell): holidays under a spread that does not
    /// read them (and then nothing more about them), else each year of the
    /// plan that no named calendar covers.
    pub(super) fn expected_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.holidays.is_empty() {
            return out;
        }
        if self.spread() != Spread::Workdays {
            out.push(format!("spread = \"{}\"", self.spread().name()));
            return out;
        }
        let (start, end) = self.bounds();
        let years = self.holiday_years();
        for y in start.year()..=end.year() {
            if !years.contains(&y) {
                out.push(format!("no holiday calendar covers {y}"));
            }
        }
        out
    }

    /// The plan's title as the output shows it (the file stem by default).
    pub(super) fn title(&self) -> String {
        self.name.clone().unwrap_or_else(|| "plan".to_string())
    }

    pub(super) fn split_names(&self) -> Vec<String> {
        self.splits.iter().map(|s| s.by.clone()).collect()
    }

    /// Plan text (contract v1).
    pub(super) fn toml(&self) -> String {
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
                let _ = writeln!(t, "start = \"{}\"", self.written_start());
            }
            2 => {
                let _ = writeln!(t, "start = {}", self.written_start());
            }
            _ => {}
        }
        match self.fy_label {
            Some(true) => t.push_str("fy_label = \"end\"\n"),
            Some(false) => t.push_str("fy_label = \"start\"\n"),
            None => {}
        }
        if self.cascade {
            t.push_str("rounding = \"cascade\"\n");
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
            let word = if l == 2 && self.retail.is_some() && self.year % 2 == 0 { "period" } else { LEVELS[l] };
            let _ = writeln!(time, "level = \"{word}\"");
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
        if let Some(r) = &self.retail {
            let _ = writeln!(time, "calendar = \"{}\"", r.pattern_name());
            if r.year_end_written {
                let rule = match r.year_end {
                    YearEnd::NearestSatJan31 => "nearest-sat-jan31",
                    YearEnd::LastSatJan => "last-sat-jan",
                };
                let _ = writeln!(time, "retail_year_end = \"{rule}\"");
            }
        }
        if let Some((days, long)) = &self.workweek {
            let names: Vec<String> =
                days.iter().map(|&d| q(if *long { WEEKDAY_LONG[d] } else { WEEKDAY_NAMES[d] })).collect();
            let _ = writeln!(time, "workweek = [{}]", names.join(", "));
        }
        if !self.holidays.is_empty() {
            let names: Vec<String> = self
                .holidays
                .iter()
                .map(|h| match h {
                    HolidaySource::Shipped(y) => q(&format!("cn-{y}")),
                    HolidaySource::Own(own) => q(&own.file),
                })
                .collect();
            let _ = writeln!(time, "holidays = [{}]", names.join(", "));
        }
        let days: Vec<String> = self.days.iter().map(|(d, w)| format!("\"{d}\" = {}", w.toml())).collect();
        if !days.is_empty() && self.days_inline {
            let _ = writeln!(time, "days = {{ {} }}", days.join(", "));
        }
        if !time.is_empty() {
            t.push_str("\n[time]\n");
            t.push_str(&time);
        }
        if !days.is_empty() && !self.days_inline {
            t.push_str("\n[time.days]\n");
            for d in &days {
                let _ = writeln!(t, "{d}");
            }
        }
        if !self.holds.is_empty() {
            t.push_str("\n[time.fixed]\n");
            for h in &self.holds {
                let _ = writeln!(
                    t,
                    "{} = {}",
                    q(&h.label),
                    Num { v: self.prec.amount_dec(h.units), style: h.style }.toml()
                );
            }
        }
        for (name, share) in &self.slots {
            let _ = writeln!(t, "\n[[time.slots]]\nname = {}\nshare = {}", q(name), share.toml());
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
    pub(super) fn files(&self) -> Vec<(String, String)> {
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
        for source in &self.holidays {
            let HolidaySource::Own(own) = source else { continue };
            let terminator = if own.crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
            let mut w = csv::WriterBuilder::new().terminator(terminator).from_writer(Vec::new());
            w.write_record(&own.columns).expect("csv");
            for (date, name, _, off) in &own.rows {
                let rec: Vec<String> = own
                    .columns
                    .iter()
                    .map(|c| match *c {
                        "date" => date.to_string(),
                        "name" => name.clone(),
                        "is_off_day" => off.to_string(),
                        _ => "n/a, really".to_string(),
                    })
                    .collect();
                w.write_record(&rec).expect("csv");
            }
            let text = String::from_utf8(w.into_inner().expect("csv")).expect("utf-8");
            out.push((own.file.clone(), if own.bom { format!("\u{feff}{text}") } else { text }));
        }
        out
    }

    /// Works out fixed amounts in cascade order: each fixed member of a set
    /// gets `permille / 1000 / (fixed members of the set)` of the smallest
    /// exact value among the parents that use the set, rounded down, so the
    /// fixed amounts never exceed what a parent has.
    pub(super) fn settle_fixed(&mut self) {
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
pub(super) fn q(s: &str) -> String {
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
// Independent yes/no choices, each shrunk on its own: bools, not a state enum.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Debug)]
pub(super) struct Knobs {
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
    pub holidays: bool,
    pub workweek: bool,
    pub special_days: bool,
    pub holds: bool,
    pub retail: bool,
    pub slots: bool,
    pub fy_end: bool,
}

pub(super) fn knobs(leaf_cap: u64) -> impl Strategy<Value = Knobs> {
    (
        any::<u64>(),
        0usize..=3,
        1u64..=6,
        prop_oneof![1 => Just(0u8), 5 => Just(1u8), 3 => Just(2u8), 3 => Just(3u8)],
        proptest::array::uniform9(any::<bool>()),
        proptest::array::uniform7(proptest::bool::weighted(0.4)),
    )
        .prop_map(move |(seed, splits, max_members, total_class, b, c)| Knobs {
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
            holidays: c[0],
            workweek: c[1],
            special_days: c[2],
            holds: c[3],
            retail: c[4],
            slots: c[5],
            fy_end: c[6],
        })
}

/// Random valid plans with at most [`LEAF_CAP`] org leaves.
pub(super) fn plan_spec() -> impl Strategy<Value = PlanSpec> {
    plan_spec_capped(LEAF_CAP)
}

/// Random valid plans with at most `leaf_cap` org leaves.
pub(super) fn plan_spec_capped(leaf_cap: u64) -> impl Strategy<Value = PlanSpec> {
    knobs(leaf_cap).prop_map(|k| PlanSpec::generate(&k))
}

/// Random valid plans whose knobs `tweak` sets (say, always with holds).
pub(super) fn plan_spec_where(leaf_cap: u64, tweak: fn(&mut Knobs)) -> impl Strategy<Value = PlanSpec> {
    knobs(leaf_cap).prop_map(move |mut k| {
        tweak(&mut k);
        PlanSpec::generate(&k)
    })
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
    pub(super) fn generate(k: &Knobs) -> PlanSpec {
        let mut g = Gen { rng: Rng::new(k.seed), ties: k.ties };
        let rng = &mut g.rng;
        let retail = k.retail.then(|| {
            let pattern = rng.pick(&[[4, 4, 5], [4, 5, 4], [5, 4, 4]]);
            let year_end = rng.pick(&[YearEnd::NearestSatJan31, YearEnd::LastSatJan]);
            Retail { pattern, year_end, year_end_written: year_end == YearEnd::LastSatJan || rng.chance(1, 2) }
        });
        // Retail years 2015-2030 take in 53-week years (2017, 2022, 2023, 2028...);
        // holiday plans sit near the shipped calendars.
        let year = if retail.is_some() {
            rng.range(2015, 2030)
        } else if k.holidays {
            rng.range(2023, 2027)
        } else {
            rng.range(2000, 2040)
        } as i32;
        let start_month = if k.fiscal && retail.is_none() { rng.range(2, 12) as u32 } else { 1 };
        let fy_label = if k.fy_end && retail.is_none() {
            Some(true)
        } else if rng.chance(1, 10) {
            Some(false)
        } else {
            None
        };
        let start_year = if fy_label == Some(true) && start_month > 1 { year - 1 } else { year };
        let start_style = if retail.is_some() {
            0
        } else if start_month == 1 && start_year == year {
            rng.range(0, 2) as u8
        } else {
            rng.range(1, 2) as u8
        };
        let prec = rng.pick(&[Prec::Cent, Prec::One, Prec::Hundred]);
        let prec_style = rng.range(u64::from(prec != Prec::Cent), 2) as u8;
        let total = match k.total_class {
            0 => 0,
            1 => u128::from(rng.range(1, 50)),
            2 => u128::from(rng.range(51, 1_000_000)),
            _ => {
                let max = prec.max_units();
                let digits = rng.range(7, max.to_string().len() as u64 - 1) as u32;
                if rng.chance(1, 4) {
                    10u128.pow(digits) * u128::from(rng.range(1, 9))
                } else {
                    let lo = 10u128.pow(digits - 1);
                    lo + (u128::from(rng.next_u64()) * 7919) % (10u128.pow(digits) - lo)
                }
                .min(max)
            }
        };
        let total_style = rng.pick(&[Style::Int, Style::Int, Style::Float, Style::Str]);
        let spread = if k.holidays && rng.chance(1, 2) {
            Some(Spread::Workdays)
        } else {
            rng.pick(&[None, Some(Spread::Even), Some(Spread::Days), Some(Spread::Workdays)])
        };
        let levels = if k.slots { 6 } else { 5 };
        let level = if rng.chance(1, 2) { Some(rng.below(levels) as usize) } else { None };
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
                    Dec::new(u128::from(rng.range(0, 5000)), rng.range(0, 3) as u32)
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
        let week_start = if retail.is_none() && rng.chance(2, 3) {
            let i = rng.below(7) as usize;
            let text = if rng.chance(1, 4) { WEEKDAY_LONG[i] } else { WEEKDAY_NAMES[i] };
            Some((WEEKDAYS[i], text.to_string()))
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

        // Slots multiply the cells of a day: fewer org leaves keep runs fast.
        let slots = if k.slots { g.slots() } else { Vec::new() };
        let leaf_cap = (k.leaf_cap / slots.len().max(1) as u64).max(1);
        let mut splits: Vec<SplitSpec> = Vec::new();
        // Number of org paths ending at each member name of the last split.
        let mut paths: Vec<(Option<String>, u64)> = vec![(None, 1)];
        for (s, by) in split_names.iter().copied().enumerate().take(k.splits) {
            let total_paths: u64 = paths.iter().map(|(_, c)| c).sum::<u64>().max(1);
            let limit = (leaf_cap / total_paths).clamp(1, k.max_members);
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
            start_year,
            fy_label,
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
            retail,
            workweek: None,
            holidays: Vec::new(),
            days: Vec::new(),
            days_inline: false,
            holds: Vec::new(),
            slots,
            splits,
            cascade: false,
        };
        let (start, end) = spec.bounds();
        if k.workweek {
            let mut days: Vec<usize> = (0..7).filter(|_| g.rng.chance(4, 7)).collect();
            if days.is_empty() {
                days.push(g.rng.below(7) as usize);
            }
            if g.rng.chance(1, 3) {
                g.rng.shuffle(&mut days);
            }
            spec.workweek = Some((days, g.rng.chance(1, 4)));
        }
        if k.holidays {
            spec.holidays = g.holidays(&spec, start, end);
        }
        if k.special_days {
            let n = g.rng.range(1, 6);
            let span = (end - start).num_days() as u64;
            let pool = ["0", "5", "2.5", "0.1", "10", "1.25", "0", "3"];
            for _ in 0..n {
                let date = start + chrono::Days::new(g.rng.range(0, span));
                if spec.days.iter().any(|(d, _)| *d == date) {
                    continue;
                }
                let v = if g.rng.chance(2, 3) {
                    parse_dec(g.rng.pick(&pool))
                } else {
                    Dec::new(u128::from(g.rng.range(0, 999)), g.rng.range(0, 2) as u32)
                };
                let style = if v.scale == 0 {
                    g.rng.pick(&[Style::Int, Style::Str])
                } else {
                    g.rng.pick(&[Style::Float, Style::Str])
                };
                spec.days.push((date, Num { v, style }));
            }
            spec.days_inline = g.rng.chance(1, 3);
        }
        spec.repair_calendar();
        if k.holds {
            spec.holds = super::reference::choose_holds(&spec, &mut g.rng);
        }
        spec.settle_fixed();
        spec
    }

    /// Makes the calendar valid again when the new day rules leave a month
    /// with a share but no day to carry it: drops special days of weight 0,
    /// then the company's own off days, then the workweek, then zero
    /// weekday coefficients, until the plan is valid.
    fn repair_calendar(&mut self) {
        for step in 0..5 {
            if super::reference::Calendar::build(self).is_ok() {
                return;
            }
            match step {
                0 => self.days.retain(|(_, w)| !w.v.is_zero()),
                1 => {
                    for h in &mut self.holidays {
                        if let HolidaySource::Own(own) = h {
                            own.rows.retain(|r| !r.2);
                        }
                    }
                }
                2 => self.workweek = None,
                3 => {
                    for w in self.weekdays.iter_mut().flatten() {
                        if w.v.is_zero() {
                            w.v = Dec::int(1);
                        }
                    }
                }
                _ => {}
            }
        }
        if let Err(e) = super::reference::Calendar::build(self) {
            panic!("the generator made an invalid calendar: {e}\n{self:?}");
        }
    }

    /// Writes the plan and its rosters into `dir`; returns the plan text.
    pub(super) fn write_to(&self, dir: &std::path::Path) -> String {
        for (file, text) in self.files() {
            let path = dir.join(file);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("a folder");
            }
            std::fs::write(path, text).expect("write roster");
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

const SLOT_NAMES: [&str; 8] =
    ["opening-10:00", "10:00-14:00", "14:00-16:00", "16:00-close", "am", "pm", "夜 班", "late \"L\", x"];

impl Gen {
    /// `[[time.slots]]`: 1 to 4 slots with percentage shares adding up to 100%.
    fn slots(&mut self) -> Vec<(String, Num)> {
        let n = self.rng.range(1, 4) as usize;
        let mut names = SLOT_NAMES.to_vec();
        self.rng.shuffle(&mut names);
        let pos = self.positivity(n);
        let mut shares = self.group(&pos, true);
        while shares.iter().any(|s| s.style != Style::Pct) {
            shares = self.group(&pos, true);
        }
        names.into_iter().take(n).map(str::to_string).zip(shares).collect()
    }

    /// `holidays = [...]`: shipped calendars and/or a company file of off
    /// days and make-up working days, mostly inside the plan year.
    fn holidays(&mut self, spec: &PlanSpec, start: NaiveDate, end: NaiveDate) -> Vec<HolidaySource> {
        let rng = &mut self.rng;
        let mut out = Vec::new();
        for y in [2024, 2025, 2026] {
            if (start.year() <= y && y <= end.year() && rng.chance(2, 3)) || rng.chance(1, 8) {
                out.push(HolidaySource::Shipped(y));
            }
        }
        let own = out.is_empty() || rng.chance(1, 2);
        if own {
            let taken: Vec<NaiveDate> = PlanSpec::holiday_map_of(&out).keys().copied().collect();
            let span = (end - start).num_days() as u64;
            let workweek = spec.workweek_days();
            let mut rows: Vec<(NaiveDate, String, bool, &'static str)> = Vec::new();
            for _ in 0..rng.range(1, 8) {
                let date = if rng.chance(1, 10) {
                    end + chrono::Days::new(rng.range(1, 400))
                } else {
                    start + chrono::Days::new(rng.range(0, span))
                };
                if taken.contains(&date) || rows.iter().any(|r| r.0 == date) {
                    continue;
                }
                // Off days on worked weekdays, make-up days on the others (mostly).
                let weekday_worked = workweek[date.weekday().num_days_from_monday() as usize];
                let off = if rng.chance(4, 5) { weekday_worked } else { !weekday_worked };
                let text = if off {
                    rng.pick(&["true", "TRUE", "1", "yes"])
                } else {
                    rng.pick(&["false", "False", "0", "no"])
                };
                let name = rng.pick(&["公司假期", "Founders' day", "stock-take, all hands", "补班"]).to_string();
                rows.push((date, name, off, text));
            }
            let mut columns = vec!["date", "name", "is_off_day"];
            if rng.chance(1, 3) {
                columns.push("note");
            }
            if rng.chance(1, 3) {
                rng.shuffle(&mut columns);
            }
            let file = rng.pick(&["our-days.csv", "假期 表.csv", "cal/own.csv"]).to_string();
            let at = rng.below(out.len() as u64 + 1) as usize;
            let (bom, crlf) = (rng.chance(1, 6), rng.chance(1, 4));
            out.insert(at, HolidaySource::Own(OwnHolidays { file, columns, rows, bom, crlf }));
        }
        out
    }

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
                let shared = u128::from(rng.range(1, 12));
                pos.iter()
                    .map(|&p| {
                        let v = if !p {
                            0
                        } else if equal {
                            shared
                        } else if big {
                            u128::from(rng.range(1, 1_000_000_000))
                        } else {
                            u128::from(rng.range(1, 12))
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
                            Dec::new(u128::from(rng.range(1, 99_999)), rng.range(0, 4) as u32)
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
                    let raw: Vec<u128> =
                        pos.iter().map(|&p| if p { u128::from(rng.range(1, 20)) } else { 0 }).collect();
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
                    1 => u128::from(self.rng.range(0, 50)),
                    _ => u128::from(self.rng.range(0, 1000)),
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
