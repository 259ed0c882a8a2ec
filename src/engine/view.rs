//! Stage `engine`: the views of a run — every aggregation a renderer shows
//! beyond the cells themselves. Each view is a [`CellSink`] (or wraps one)
//! that takes the cells as they stream past and sums them into the finished
//! figures a renderer lays out, so that no renderer adds, counts or divides:
//!
//! - [`Crosstab`]: one column as a two-way table with row, column and grand
//!   totals and each row's share of its parent;
//! - [`Pivots`]: the terminal table of a run, a crosstab per column that adds
//!   up and each level's value per period; with `--unit`, each money table
//!   is shown in that unit ([`InUnit`]), rounded so that it adds up as shown;
//! - [`Listing`]: every cell of a run with all its columns, and the totals
//!   (terminal tables of tracking reports);
//! - [`Summarised`]: a renderer's own sink (the workbook) fed cell by cell,
//!   then handed the [`Summary`] pivots of its first sheet at the end;
//! - [`Report`]: the charts of an HTML report, each from its own run —
//!   the org cascade ([`Cascade`]), the periods stacked by member
//!   ([`Stacked`]), attainment per member ([`Standing`]) and the burn-up
//!   ([`BurnUp`]).
//!
//! Contract: a view's figures are exact sums of the cells it was fed (as
//! decimals, never rounded again), but for a table shown in a display unit,
//! whose figures are each the floor or the ceiling of that exact sum in the
//! unit and add up as shown; its rows and columns keep the order in
//! which the cells came.

mod burn_up;
mod cascade;
mod crosstab;
mod in_unit;
mod listing;
mod pivots;
mod report;
mod stacked;
mod standing;
mod summary;

pub use burn_up::BurnUp;
pub use cascade::{Cascade, CascadeNode};
pub use crosstab::{CrossRow, Crosstab, Dim};
pub use in_unit::InUnit;
pub use listing::{Listing, ListingRow};
pub use pivots::{LevelRow, Pivots};
pub use report::{Report, ReportNote, RunRequest};
pub use stacked::{Stacked, StackedRow};
pub use standing::{Standing, StandingRow};
pub use summary::{Summarised, Summary, SummaryAttainment, SummaryGroup, SummarySink};

use super::{Cell, CellSink, Header, Value};
