//! Stage `render` (plan -> calendar -> allocate -> engine -> **render**):
//! formats what the engine computed. CSV and JSON are [`CellSink`]s that
//! write each cell as it arrives; the table formats finished
//! [`Crosstab`](crate::engine::Crosstab)s. Renderers never compute a figure.
//!
//! [`CellSink`]: crate::engine::CellSink

mod csv_sink;
mod decimal_text;
mod display_unit;
mod explanation_text;
mod json_sink;
mod jsonl_sink;
mod period_dates;
mod table;
mod xlsx_sink;

/// Amounts for people; defined beside [`Precision`](crate::plan::Precision) so every stage can use it.
pub use crate::plan::thousands;
pub use csv_sink::CsvSink;
pub use decimal_text::push_decimal;
pub use display_unit::DisplayUnit;
pub use explanation_text::{explanation_json, render_explanation};
pub use json_sink::JsonSink;
pub use jsonl_sink::JsonlSink;
pub use period_dates::PeriodDates;
pub use table::{render_crosstab, render_listing, render_tables, TableStyle};
pub use xlsx_sink::{XlsxSink, XLSX_MAX_CELLS};
