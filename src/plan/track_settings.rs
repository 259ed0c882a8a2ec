//! Stage `plan`: the `[track]` table — how `salesplit track` judges and
//! re-plans (flags on the command line override it).

use rust_decimal::Decimal;

/// What re-planning does with the difference between target and actual to date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carry {
    /// A shortfall raises the remaining targets; a surplus leaves them unchanged.
    Shortfall,
    /// A shortfall raises the remaining targets and a surplus lowers them.
    Both,
    /// The remaining targets stay as planned.
    None,
}

impl Carry {
    /// The names users write, in order.
    pub const NAMES: [&'static str; 3] = ["shortfall", "both", "none"];

    /// The policy named `shortfall`, `both` or `none`.
    pub fn parse(s: &str) -> Option<Carry> {
        match s {
            "shortfall" => Some(Carry::Shortfall),
            "both" => Some(Carry::Both),
            "none" => Some(Carry::None),
            _ => None,
        }
    }
}

/// `[track]`: the carry policy, the band around 100% attainment that
/// counts as on track, and the metric compared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackSettings {
    /// Re-planning policy (default: carry shortfalls only).
    pub carry: Carry,
    /// On track within this fraction of 100% (default 0.05: 95% to 105%).
    pub tolerance: Decimal,
    /// The metric `track` compares (`metric = "sales"`; `--metric` wins),
    /// checked to be an amount or a count of the plan. `None`: the default
    /// choice (see `track::TrackedMetric`).
    pub metric: Option<String>,
}

impl Default for TrackSettings {
    fn default() -> TrackSettings {
        TrackSettings { carry: Carry::Shortfall, tolerance: Decimal::new(5, 2), metric: None }
    }
}
