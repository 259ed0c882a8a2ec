//! The integration tests, as one test binary (one link of the crate instead
//! of one per file). Each module is one file of `tests/`; run one of them with
//! `cargo test --test tests decompose::` (or `cargo test decompose`).
//! `common` is what they share: running the real binary and reading its output.

// Test data is small (a few rows, amounts far below 2^52): the casts between
// counts, offsets and amounts in the tests cannot lose anything.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]

// Shared helpers: the `Test` builder, CSV and JSON readers, the reference rounding rule.
mod common;

// Real calendars end to end: Chinese holidays, retail years, ISO weeks, holds, slots, cron periods.
mod calendar;
// Contract v2: every (org node, period) figure of every example is exact.
mod cross_cuts;
// The one CSV reader says no clearly: rosters, holiday calendars, baselines, actuals.
mod csv_says_no;
// The worked examples and the CLI's behaviour on the shipped example plans.
mod decompose;
// `--unit 万`/`亿`: a table shown in a unit adds up as shown, each figure within one step of exact.
mod display_units;
// Every error code has a catalogue test and a row in README's Errors table.
mod error_codes;
// The error catalogue of plan files: the whole of stderr for every kind of bad input.
mod errors;
// The error catalogue of the planning models: metrics, funnel, people, history.
mod errors_models;
// `salesplit explain`: every step from the total down to one figure, in words and JSON.
mod explain;
// Nothing panics on damaged rosters, actuals, baselines and calendars; replays the fuzz regressions.
mod fuzz_properties;
// Inputs as users have them: workbooks, GBK and UTF-16 text, `;` and tab files, each read like its CSV.
mod inputs;
// Targets from history: last year's actuals grown per year, quarter or member.
mod history;
// `--format html`: the report page parses, draws a figure per element, tables equal the CSV, opens in Chromium.
mod html_report;
// `salesplit init`, `completions` and `man`: starter plans run and add up, nothing clobbered.
mod init;
// The limits of exact arithmetic: the largest totals, 20-digit weights, deep splits.
mod limits;
// Several metrics at once (amounts, counts, levels) and the funnel.
mod metrics;
// Property tests of the planning models (metrics, people, ramps, caps, floors) through the binary.
mod model_properties;
// The catalogue of file errors: plans, actuals and outputs that cannot be read or written.
mod output_errors;
// What `track` and `decompose` refuse before they read or compute (`--max-cells`).
mod output_order;
// Writing output safely: no input clobbered, no half-written file, signals and full disks.
mod output_safety;
// Text from input files as shown to people: control characters and escapes shown escaped.
mod output_text;
// Spreadsheet-grade outputs: CSV for Excel, JSONL against JSON, the JSON schema.
mod outputs;
// `--format parquet` read back by pyarrow.
mod parquet;
// Plans for one month, quarter, week or day (`[plan] period`).
mod period_plans;
// contrib/spark/decompose.py in Spark local mode (ignored by default).
mod spark;
// The plan file and the engine say no clearly, in one run, and never panic.
mod plan_says_no;
// Property tests of the brief's promises (adds up, faithful, deterministic, proportionate).
mod properties;
// Every `console` block of README.md runs and prints what it shows.
mod readme;
// Property tests of re-planning (`track --replan`) against the brief's rounding rule.
mod replan_properties;
// The roster's optional people columns (start, end, ramp, max, min) and their messages.
mod roster_people;
// Damaged example plans are refused clearly or run to the end with totals that add up.
mod says_no_properties;
// Terminal tables: pivots, `--unit`, terminal width, colour, share columns.
mod tables;
// Tables that fit a real terminal: the first screen, colour in tmux, track reports, --help.
mod terminal;
// `salesplit track` end to end: plans and actual sales against targets.
mod track;
// `salesplit track` and `explain` say no, and tell the truth.
mod track_says_no;
// `track`'s Total rows: additive columns the sums of the rows, ratios the Total row's own, in every output.
mod track_totals;
// `salesplit validate`: a plan checked like `decompose` would, warnings for a second look.
mod validate;
// `--format xlsx`: the workbook read back (values, formulas, formats).
mod xlsx;
// Every workbook's formulas recalculated in LibreOffice as cached; printed pages.
mod xlsx_recalc;
