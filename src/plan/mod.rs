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

mod holidays;
mod number;
mod precision;
mod reader;
mod roster;
mod split;
mod track_settings;

pub use holidays::{Holidays, SHIPPED as SHIPPED_HOLIDAYS};
pub use number::Number;
pub use precision::{thousands, Precision};
pub use split::{Member, MemberSet, MemberShare, Split};
pub use track_settings::{Carry, TrackSettings};

use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{CalendarSpec, Level};
use crate::diagnostic::Location;
use crate::error::{Error, Result};

/// The metric the plan decomposes and its annual total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metric {
    /// Its name, the output column (`sales`).
    pub name: String,
    /// The annual total in the plan's currency; a multiple of the precision.
    pub total: Decimal,
    /// Where it is written, for messages.
    pub origin: Location,
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
    /// Rounding unit of amounts.
    pub precision: Precision,
    /// The metric and its annual total.
    pub metric: Metric,
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
}

impl Plan {
    /// Reads and validates the plan at `path` and the rosters it names
    /// (relative paths are taken from the plan's folder).
    pub fn read(path: &Path) -> Result<Plan> {
        let text = std::fs::read_to_string(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::InvalidData => Error::invalid(
                crate::diagnostic::Diagnostic::new("the plan is not UTF-8 text")
                    .at(Location::file(&path.display().to_string()))
                    .help("save the file as UTF-8"),
            ),
            _ => Error::Io { path: path.to_path_buf(), action: "read", source },
        })?;
        let base = path.parent().unwrap_or_else(|| Path::new(""));
        Plan::parse(&path.display().to_string(), &text, base)
    }

    /// Parses and validates plan text; `file` names it in messages and
    /// `base` is the folder rosters are read from.
    pub fn parse(file: &str, text: &str, base: &Path) -> Result<Plan> {
        reader::read(file, text, base)
    }

    /// The amount's total in rounding units.
    pub fn total_units(&self) -> u128 {
        self.precision.to_units(self.metric.total).expect("validated: the total is a multiple of the precision")
    }
}
