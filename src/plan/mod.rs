//! Stage `plan` (**plan** -> calendar -> allocate -> engine -> render): reads
//! a plan file (TOML, contract v1) and its roster CSVs into a validated
//! [`Plan`], keeping where everything was written so that later stages can
//! point at it. Nothing after this stage sees TOML or CSV.
//!
//! Contract: a [`Plan`] returned by [`Plan::read`] is internally consistent —
//! non-negative weights, percentages that add up to 100%, a total that is a
//! multiple of the precision, `within` and roster parents that name real
//! members, a calendar that can carry the target — or the read fails with
//! every independent problem reported at once.

mod baseline;
mod breakback;
pub(crate) mod csv_source;
mod holidays;
mod language;
mod number;
mod org_check;
mod plan_period;
mod plan_text;
mod precision;
mod reader;
mod roster;
mod row_tally;
pub(crate) mod sales_csv;
mod split;
mod time_check;
mod track_settings;

pub use baseline::Baseline;
pub use breakback::{time_shares, Breakback, TimeShares};
pub use csv_source::ReadAs;
pub use holidays::{Holidays, SHIPPED as SHIPPED_HOLIDAYS};
pub use language::Language;
pub use number::Number;
pub(crate) use org_check::{check as check_org, dated_splits, nodes_per_split, MAX_LEAVES};
pub use plan_period::PlanPeriod;
pub use plan_text::MAX_PLAN_BYTES;
pub use precision::{thousands, Precision, Units};
pub use row_tally::RowTally;
pub use split::{Bound, Member, MemberSet, MemberShare, Origin, Person, RosterText, Split, Vacancy, VACANT};
pub use track_settings::{Carry, TrackSettings};

use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{CalendarSpec, Level};
use crate::diagnostic::{Diagnostic, Location};
use crate::error::Result;

/// Every problem of an assembled plan that no one section of its file
/// shows alone: its calendar, level paths and holds (`time_check.rs`), and
/// its org cascade as a whole (`org_check.rs`). The reader reports them with
/// the other errors of the file; the engine refuses a plan built another way
/// with them when it breaks [`Plan`]'s contract.
pub(crate) fn check(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = time_check::check(plan, true);
    out.extend(org_check::check(plan));
    out
}

/// What kind of figure a metric is, which decides how it is shared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// Money, in the plan's currency, rounded to the plan's precision.
    Amount,
    /// Whole units (new customers, calls): shared like money at a unit of 1.
    Count,
    /// A level that does not add up (market share 5%): never split; every
    /// member inherits it, and periods follow its path.
    Level(LevelTarget),
}

/// A level metric's value for the year and, optionally, per period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelTarget {
    /// The level for the year (a fraction when `percent`: 5% is 0.05).
    pub value: Decimal,
    /// Written as percentages (then values are fractions, shown as %).
    pub percent: bool,
    /// Period label (as written: `2026-Q1`, `2026-03`) -> level, with where
    /// it is written; a period takes the value of the finest path entry
    /// containing it, else `value`.
    pub path: Vec<(String, Decimal, Location)>,
}

/// A metric's own time weights (`[target.<name>.time]`), overriding the
/// plan's `[time]` for that metric only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetricTime {
    /// `spread`, if given.
    pub spread: Option<crate::calendar::Spread>,
    /// `months`, if given (fiscal-month order).
    pub months: Option<Vec<Decimal>>,
    /// `quarters`, if given.
    pub quarters: Option<Vec<Decimal>>,
    /// `weekdays` (Monday first), if given.
    pub weekdays: Option<[Decimal; 7]>,
}

/// One metric of `[target]` and its annual total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metric {
    /// Its name, the output column (`sales`).
    pub name: String,
    /// Amount, count or level.
    pub kind: MetricKind,
    /// The annual total: an amount (a multiple of the precision) or a whole
    /// count; zero for a level.
    pub total: Decimal,
    /// Its own time weights, if any.
    pub time: Option<MetricTime>,
    /// How the total was derived (from a baseline and growth), to print.
    pub derivation: Option<String>,
    /// Where it is written, for messages.
    pub origin: Location,
}

impl Metric {
    /// Whether the metric is shared down the cascade (amounts and counts).
    pub fn is_shared(&self) -> bool {
        !matches!(self.kind, MetricKind::Level(_))
    }
}

/// `[funnel]`: activity targets worked backwards from a money target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Funnel {
    /// Index of the money metric in [`Plan::metrics`].
    pub metric: usize,
    /// `where`: the members an org leaf must all have for its money to need
    /// activities; empty: every leaf.
    pub filter: Vec<MemberFilter>,
    /// The average deal, in the plan's currency (positive).
    pub deal_size: Decimal,
    /// Stages in order (the first converts into money by deals).
    pub stages: Vec<FunnelStage>,
    /// Where `[funnel]` is written, for messages.
    pub origin: Location,
}

/// One member a funnel's `where` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberFilter {
    /// The split, by index into [`Plan::splits`].
    pub split: usize,
    /// The member of that split.
    pub member: String,
}

/// One stage of a funnel (`calls`, `visits`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunnelStage {
    /// The stage's name: its output column.
    pub name: String,
    /// The rate at which it converts into the stage before it, a fraction
    /// in (0, 1].
    pub rate: Decimal,
}

impl Funnel {
    /// Whole activities a leaf needs for `amount` of money: the first stage
    /// `ceil(amount / deal_size / rate)`, each later one `ceil(previous / rate)`;
    /// nobody makes half a call. `None` if a count does not fit in 128 bits.
    pub fn counts(&self, amount: Decimal) -> Option<Vec<u128>> {
        use dashu_int::UBig;
        // Exact: a Decimal quotient would round before the ceiling.
        let parts = |d: Decimal| (UBig::from(d.mantissa().unsigned_abs()), UBig::from(10u8).pow(d.scale() as usize));
        let ceil = |num: UBig, den: UBig| {
            let (q, r) = (&num / &den, &num % &den);
            if r == UBig::ZERO {
                q
            } else {
                q + UBig::ONE
            }
        };
        let (a, a_den) = parts(amount);
        let (d, d_den) = parts(self.deal_size);
        // amount / deal_size, as a fraction.
        let (mut num, mut den) = (a * d_den, a_den * d);
        let mut out = Vec::with_capacity(self.stages.len());
        for FunnelStage { rate, .. } in &self.stages {
            let (r, r_den) = parts(*rate);
            let need = ceil(num * r_den, den * r);
            out.push(u128::try_from(&need).ok().filter(|n| *n <= Precision::UNIT.max_units().0)?);
            (num, den) = (need, UBig::ONE);
        }
        Some(out)
    }
}

/// A period whose figure is fixed (`[time.fixed]`): the breakback rule keeps
/// it and shares the rest of its parent among its siblings by weight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    /// The period's label as written (`2026-02`, `2026-Q4`, `2026-03-08`).
    pub label: String,
    /// The amount, a multiple of the precision.
    pub amount: Decimal,
    /// Where it is written, for messages.
    pub origin: Location,
}

/// How the figures are rounded (`[plan] rounding`): both rules keep every
/// promise of the brief; they differ in the cross-cuts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RoundingRule {
    /// Contract v2 (`"controlled"`, the default): every (org node, time
    /// node) figure — the company's Q1, a region's March — is the floor or
    /// the ceiling of its own exact share.
    #[default]
    CrossCuts,
    /// Contract v1 (`"cascade"`): each org leaf's time tree is rounded on its
    /// own, so a cross-cut may sit a few units from its exact share; kept
    /// byte for byte.
    Cascade,
}

/// A validated plan: what to share, how, over which year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The plan's title.
    pub name: String,
    /// Currency code, shown but never converted (may be empty).
    pub currency: String,
    /// The year the plan covers (its fiscal year number).
    pub year: i32,
    /// First day of the plan year (the 1st of a month).
    pub start: NaiveDate,
    /// The one period the plan covers (`[plan] period`), when it is not
    /// the whole year: days outside it weigh nothing, and outputs show its
    /// cells only.
    pub period: Option<PlanPeriod>,
    /// Rounding unit of amounts.
    pub precision: Precision,
    /// Which rounding rule the time trees follow (`[plan] rounding`).
    pub rounding: RoundingRule,
    /// The language of labels in tables and workbooks (`[plan] language`,
    /// English when not written).
    pub language: Language,
    /// The metrics of `[target]`, in the order written (at least one).
    pub metrics: Vec<Metric>,
    /// The time tree's weights.
    pub calendar: CalendarSpec,
    /// Where the time settings are written (`[time]`, else the target), for messages.
    pub time_origin: Location,
    /// Default output time level.
    pub level: Level,
    /// Periods held at fixed amounts, in the order written.
    pub holds: Vec<Hold>,
    /// With `holidays`: the years the named calendars cover, and where
    /// `holidays` is written (for the warning about uncovered dates).
    pub holiday_years: Option<(std::collections::BTreeSet<i32>, Location)>,
    /// How `track` judges and re-plans (`[track]`).
    pub track: TrackSettings,
    /// The organisational cascade, in order.
    pub splits: Vec<Split>,
    /// Activity targets worked backwards from a money target, if any.
    pub funnel: Option<Funnel>,
    /// Every growth rate over a baseline: what grows (`sales`, `sales in Q2`,
    /// `region 华东`), the rate (0.15 for 15%) and where it is written.
    pub growth: Vec<(String, Decimal, Location)>,
    /// Every file the plan was read from, in the order read: the plan file
    /// itself (when read by [`Plan::read`]), then its rosters, holiday
    /// calendars and baselines, each as opened (relative to the plan's
    /// folder). An output must never replace one of them.
    pub inputs: Vec<std::path::PathBuf>,
}

impl Plan {
    /// Reads and validates the plan at `path` and the rosters it names
    /// (relative paths are taken from the plan's folder).
    pub fn read(path: &Path) -> Result<Plan> {
        let text = plan_text::read(path)?;
        let base = path.parent().unwrap_or_else(|| Path::new(""));
        let mut plan = Plan::parse(&path.display().to_string(), &text, base)?;
        plan.inputs.insert(0, path.to_path_buf());
        Ok(plan)
    }

    /// Parses and validates plan text; `file` names it in messages and
    /// `base` is the folder rosters are read from.
    pub fn parse(file: &str, text: &str, base: &Path) -> Result<Plan> {
        reader::read(file, text, base)
    }

    /// The index of the reference metric — the one metric the plan is
    /// organised around: the first amount, else the first shared metric
    /// (a count). Fixed amounts, holds, caps and floors are in its units,
    /// every other shared metric follows its mix across the org, and
    /// `for_each_leaf` and `track` (with one amount) read it. There is no
    /// other "main" metric: where a command defaults to something else it
    /// says so (`explain` explains the first column as written; `track`
    /// asks for `--metric` when the plan has several amounts).
    pub fn reference(&self) -> usize {
        let first = |want: fn(&Metric) -> bool| self.metrics.iter().position(want);
        first(|m| m.kind == MetricKind::Amount).or_else(|| first(Metric::is_shared)).unwrap_or(0)
    }

    /// The rounding unit of a metric: the plan's precision for amounts, 1 for counts.
    pub fn precision_of(&self, metric: &Metric) -> Precision {
        match metric.kind {
            MetricKind::Amount => self.precision,
            MetricKind::Count | MetricKind::Level(_) => Precision::UNIT,
        }
    }

    /// A metric's annual total in its rounding units (zero for a level).
    ///
    /// # Panics
    ///
    /// If the plan was not validated: [`Plan::read`] checks that every total is a multiple of its unit.
    pub fn units_of(&self, metric: &Metric) -> Units {
        self.precision_of(metric).to_units(metric.total).expect("validated: the total is a multiple of its unit")
    }

    /// The time weights a metric is spread by: the plan's, with the
    /// metric's own `[target.<name>.time]` over them.
    pub fn calendar_of(&self, metric: &Metric) -> CalendarSpec {
        let mut spec = self.calendar.clone();
        if let Some(t) = &metric.time {
            if let Some(spread) = t.spread {
                spec.spread = spread;
            }
            if let Some(m) = &t.months {
                spec.months = Some(m.clone());
            }
            if let Some(q) = &t.quarters {
                spec.quarters = Some(q.clone());
            }
            if let Some(w) = t.weekdays {
                spec.weekdays = w;
            }
        }
        spec
    }
}
