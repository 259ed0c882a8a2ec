//! Stage `track` (plan -> calendar -> allocate -> engine -> **track** ->
//! render): actual sales against the engine's targets — to date and in
//! full, attainment, pace and gap — and re-planning that carries a
//! shortfall into the remaining periods.

mod actuals;
mod daily;
mod figures;
mod metric;
mod replan;
mod split_read;
mod tracked_nodes;
mod tracker;

pub use actuals::{Actuals, ActualsShape, UNPLANNED};
pub use figures::{Figures, Status};
pub use metric::TrackedMetric;
pub use replan::replan;
pub(crate) use tracked_nodes::TrackedNodes;
pub use tracker::{ReportSummary, Tracker, REPORT_COLUMNS};
