//! Stage `render` (plan -> calendar -> allocate -> engine -> **render**):
//! formats what the engine computed.
//!
//! Contract: renderers only format. They never add, count, divide or round a
//! figure, and never build an aggregate of their own: every total, pivot,
//! share and exact value comes finished from the engine — cells and run
//! totals from the run, tables and pivots from the engine's views
//! (`engine/view.rs`: [`Crosstab`], [`Pivots`], [`Listing`], [`Summary`]),
//! explanations with every figure worked out (`engine/explanation.rs`).
//! What is left here is layout: words, thousands separators, percentages,
//! display units, column widths, sheet limits.
//!
//! CSV, JSON and JSON Lines are [`CellSink`]s that write each cell as it
//! arrives; the xlsx workbook is a [`SummarySink`] that writes each cell to
//! its Detail sheet as it arrives and is handed its Summary pivots at the end
//! (run it inside a [`Summarised`]); terminal tables format a finished
//! [`Pivots`] or [`Listing`]; an explanation is formatted from an
//! [`Explanation`].
//!
//! [`CellSink`]: crate::engine::CellSink
//! [`Crosstab`]: crate::engine::Crosstab
//! [`Pivots`]: crate::engine::Pivots
//! [`Listing`]: crate::engine::Listing
//! [`Summary`]: crate::engine::Summary
//! [`Report`]: crate::engine::Report
//! [`SummarySink`]: crate::engine::SummarySink
//! [`Summarised`]: crate::engine::Summarised
//! [`Explanation`]: crate::engine::Explanation

mod csv_sink;
mod decimal_text;
mod display_unit;
mod explanation_text;
mod html_report;
mod html_text;
mod json_sink;
mod jsonl_sink;
mod labels;
mod parquet_sink;
mod period_dates;
mod svg;
mod table;
mod table_shape;
mod xlsx_sink;

/// Amounts for people; defined beside [`Precision`](crate::plan::Precision) so every stage can use it.
pub use crate::plan::thousands;
pub use csv_sink::CsvSink;
pub use decimal_text::push_decimal;
pub use display_unit::DisplayUnit;
pub use explanation_text::{explanation_json, render_explanation};
pub use html_report::HtmlReport;
pub use json_sink::JsonSink;
pub use jsonl_sink::JsonlSink;
pub use labels::Labels;
pub use parquet_sink::{ParquetSink, ROW_GROUP};
pub use period_dates::PeriodDates;
pub use table::{fitted_note, render_crosstab, render_listing, render_tables, table_shapes, TableStyle};
pub use table_shape::TableShape;
pub use xlsx_sink::{XlsxSink, XLSX_MAX_CELLS};
