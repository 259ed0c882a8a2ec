//! salesplit: decompose an annual sales target into exact, explainable
//! targets by organisation and time.
//!
//! The library is a pipeline with one direction of flow:
//!
//! * [`plan`] reads and validates a plan file and its rosters (keeping where
//!   everything was written, for messages);
//! * [`calendar`] builds the plan year's periods and their weights;
//! * [`allocate`] shares a rounded parent among children exactly;
//! * [`engine`] runs the cascade (splits, then time) and streams cells;
//! * [`render`] writes cells as a table, CSV or JSON;
//! * [`cli`] is the command line on top.
//!
//! Money is `rust_decimal::Decimal` at the edges and whole rounding units
//! with exact rationals inside; no floating point touches a target.

pub mod allocate;
pub mod calendar;
pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod plan;
pub mod render;
pub mod track;

pub use error::{Error, Result};
