//! Stage `cli`: the command-line grammar (clap). Only the cli sees these types.
// The doc comments here are clap's --help text, where `[track]` names the
// plan's section as users write it, not a rustdoc link.
#![allow(rustdoc::broken_intra_doc_links)]

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::offered::{as_written, Offered};
use crate::diagnostic::why_not_a_date;

/// Time levels `--by` takes, offered by shell completions (with the plan's
/// split names, in bash, when a plan is on the line).
pub(super) const TIME_LEVELS: [&str; 8] = ["year", "quarter", "month", "week", "day", "slot", "period", "iso-week"];

/// `--period`'s keywords, offered by shell completions.
pub(super) const PERIOD_WORDS: [&str; 8] =
    ["today", "tomorrow", "this-week", "next-week", "this-month", "next-month", "this-quarter", "next-quarter"];

/// salesplit: decompose an annual sales target into exact targets by
/// organisation and time.
#[derive(Debug, Parser)]
#[command(name = "salesplit", version, about, long_about = None)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decompose a plan's annual target into the targets of every member and period.
    Decompose(DecomposeArgs),
    /// Track actual sales against the plan's targets, or re-plan what is left.
    Track(TrackArgs),
    /// Explain how one figure was reached: every step from the total down.
    Explain(ExplainArgs),
    /// Check a plan without writing its targets, and warn about what
    /// deserves a second look.
    Validate(ValidateArgs),
    /// Write a commented starter plan (and its roster) that runs as written.
    Init(InitArgs),
    /// Print shell completions for bash, zsh, fish or powershell.
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `salesplit man > salesplit.1`.
    Man,
    /// The plan's split names, one a line: what bash completion offers for
    /// `--by` besides the time levels (hidden: for the completion script).
    #[command(name = "__splits", hide = true)]
    Splits(ValidateArgs),
}

/// Starter plans for `salesplit init`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Template {
    /// A company: regions, products and salespeople from a roster, by month.
    Company,
    /// A shop: a week from Friday, weekday coefficients, opening hours.
    Shop,
    /// A sales team: people with start dates, ramps and caps, over-assigned.
    Team,
}

/// The file `salesplit init` writes a roster as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RosterFormat {
    /// reps.csv, UTF-8 text.
    Csv,
    /// reps.xlsx, a workbook whose cells are typed (numbers, dates, text).
    Xlsx,
}

/// Arguments of `salesplit init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Which starter plan.
    #[arg(long, value_enum, default_value_t = Template::Company)]
    pub template: Template,
    /// Where to write the plan (default: plan.toml); a roster goes beside it.
    pub file: Option<PathBuf>,
    /// The roster's file: csv, or xlsx for a workbook to fill in in Excel.
    #[arg(long, value_enum, default_value_t = RosterFormat::Csv)]
    pub roster_format: RosterFormat,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

/// Shells `salesplit completions` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// Arguments of `salesplit completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Output formats (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A pivot table for people: members down the side, periods across, totals.
    Table,
    /// RFC 4180 CSV, one row per cell.
    Csv,
    /// One JSON document with one row per cell.
    Json,
    /// One JSON object per line, one line per cell: streams any size.
    Jsonl,
    /// An Excel workbook (needs --output): a summary pivot with live SUM
    /// totals and a detail sheet with one row per cell.
    Xlsx,
    /// A Parquet file (needs --output), one row per cell: exact DECIMAL
    /// figures, DATE start and end, dictionary-encoded members.
    Parquet,
    /// One self-contained HTML page with charts and the table, to open,
    /// print and send (e.g. --output report.html).
    Html,
}

impl Format {
    /// The format an `--output` file's extension names (`.csv`, `.json`,
    /// `.jsonl` or `.ndjson`, `.xlsx`, `.parquet`, `.html`), matched without regard
    /// to case; `None` for any other or no extension (`.txt` is any text,
    /// CSV and JSON included, so it names none).
    pub fn of_file(path: &std::path::Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "csv" => Format::Csv,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "xlsx" => Format::Xlsx,
            "parquet" => Format::Parquet,
            "html" | "htm" => Format::Html,
            _ => return None,
        })
    }

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
            Format::Html => "html",
        }
    }
}

/// Arguments of `salesplit decompose`.
#[derive(Debug, clap::Args)]
pub struct DecomposeArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// Compute only shard K of N (e.g. 2/8): the org leaves cut into N
    /// contiguous, even parts. Each shard's rows are exactly its part of
    /// the full run's, in order; with --format csv every shard has the
    /// header, so shards 1..N without their header but the first make the
    /// full file. Needs every split kept and --format csv, jsonl or parquet.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<crate::engine::Shard>,
    /// What to show and where.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// Arguments of `salesplit validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
}

/// Arguments of `salesplit explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// The cell: split=member pairs and a period, comma-separated, e.g.
    /// `region=华东,salesperson=张伟,period=2026-03` (no period: the year).
    /// A member (or period) alone is enough when only one split has it
    /// (`华东`); a value with a comma goes in double quotes
    /// (`salesperson="Smith, John"`). May be given several times.
    #[arg(long, value_name = "CELL", required = true)]
    pub cell: Vec<String>,
    /// The metric to explain (default: the plan's first).
    #[arg(long, value_name = "NAME")]
    pub metric: Option<String>,
    /// Output format: table (words) or json.
    #[arg(long, short, value_enum, default_value_t = ExplainFormat::Table)]
    pub format: ExplainFormat,
}

/// How `explain` prints (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Numbered steps in words (`csv` is taken as this too).
    #[value(alias = "csv")]
    Table,
    /// One JSON document, for tools.
    Json,
}

/// Arguments of `salesplit track`.
#[derive(Debug, clap::Args)]
pub struct TrackArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// Actual sales: a CSV file or a workbook (.xlsx, .xls, .ods) with a
    /// `date` column, the metric's column, and any of the plan's split
    /// columns (one row per sale or pre-aggregated).
    #[arg(long, value_name = "FILE")]
    pub actuals: PathBuf,
    /// The sheet of an actuals workbook to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The actuals' text encoding: utf-8, gbk (gb18030), utf-16le or
    /// utf-16be (default: UTF-8, else found from the file's start).
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The byte between the actuals' cells: ",", ";" or "tab" (default:
    /// found from the header).
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The metric to compare: its targets against the actuals' column of
    /// that name (default: the plan's only amount, else its only count).
    #[arg(long, value_name = "NAME")]
    pub metric: Option<String>,
    /// The last day the actuals cover (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Print new targets for the periods after --as-of instead of the
    /// report, carrying each shortfall into the remaining periods.
    #[arg(long)]
    pub replan: bool,
    /// Re-planning policy: shortfall (a surplus leaves later targets
    /// unchanged), both (a surplus lowers them) or none. Default: [track] carry.
    #[arg(long, value_name = "POLICY", value_parser = ["shortfall", "both", "none"], requires = "replan")]
    pub carry: Option<String>,
    /// The band around 100% attainment that counts as on track, written
    /// with % (e.g. 5%). Default: [track] tolerance, else 5%.
    #[arg(long, value_name = "PERCENT", value_parser = parse_tolerance, conflicts_with = "replan")]
    pub tolerance: Option<rust_decimal::Decimal>,
    /// Exit with status 3 (after printing the report) when the attainment
    /// to date of everything reported is below this, written with % (e.g. 90%).
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent, conflicts_with = "replan")]
    pub fail_below: Option<rust_decimal::Decimal>,
    /// With --fail-below: also when any single cell is below it.
    #[arg(long, requires = "fail_below")]
    pub fail_below_any: bool,
    /// Rows whose members are not in the plan are an error, not `(unplanned)`.
    #[arg(long)]
    pub strict: bool,
    /// What to show and where.
    #[command(flatten)]
    pub view: ViewArgs,
}

/// The options `decompose` and `track` share: what to show and where.
#[derive(Debug, clap::Args)]
pub struct ViewArgs {
    /// Output format [default: from --output's extension (.csv, .json,
    /// .jsonl, .xlsx, .parquet, .html), else table].
    #[arg(long, short, value_enum, default_value_t = Format::Table, hide_default_value = true)]
    pub format: Format,
    /// Breakdown: split names and at most one time level (year, quarter,
    /// month, week, day, slot; period on retail calendars; iso-week for ISO
    /// 8601 weeks), comma-separated, e.g. `region,quarter`.
    /// Default: every split (that the actuals have, for track) and the
    /// plan's [time].level.
    #[arg(long, value_name = "NAMES", hide_possible_values = true,
          value_parser = Offered { values: &TIME_LEVELS, parse: as_written })]
    pub by: Option<String>,
    /// Only the cells inside this period: 2026, 2026-Q1, 2026-03,
    /// 2026-03-W2, 2026-03-15 (FY2026, FY2026-Q1 for fiscal plans; FY2026-P01,
    /// FY2026-W01 for retail ones; 2026-W05 for ISO weeks), or for cron jobs
    /// today, tomorrow, this-week, next-week, this-month, next-month,
    /// this-quarter, next-quarter.
    #[arg(long, value_name = "PERIOD", hide_possible_values = true,
          value_parser = Offered { values: &PERIOD_WORDS, parse: as_written })]
    pub period: Option<String>,
    /// The date that `today`, `this-month` and the like are taken from
    /// (default: the local date), so that scripts and tests can pin it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<chrono::NaiveDate>,
    /// Write to this file instead of stdout (atomically: a temporary file
    /// renamed into place, so an error never leaves it half written).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format csv: a file Excel and WPS open safely — UTF-8 with a
    /// BOM, CRLF line ends, and text that starts with = + - @ tab or CR
    /// neutralised (so it is never run as a formula).
    #[arg(long)]
    pub excel: bool,
    /// Table only: the dimensions down the side, e.g. `region,salesperson`
    /// (default: the splits of the breakdown).
    #[arg(long, value_name = "NAMES")]
    pub rows: Option<String>,
    /// Table only: the dimension across, e.g. `quarter` (default: the
    /// breakdown's periods).
    #[arg(long, value_name = "NAME")]
    pub cols: Option<String>,
    /// Table and html only: show amounts in this unit: 万 (10,000), 千, 百万,
    /// 亿, k or M. CSV, JSON and xlsx keep exact figures.
    #[arg(long, value_name = "UNIT", hide_possible_values = true,
          value_parser = Offered { values: &crate::render::DisplayUnit::NAMES, parse: parse_unit })]
    pub unit: Option<String>,
    /// No colour in the terminal (also when `NO_COLOR` is set).
    #[arg(long)]
    pub no_color: bool,
    /// Refuse a breakdown of more cells than this (a run that would write
    /// for an hour is more likely a `--by` too fine than what was meant).
    #[arg(long, value_name = "N", default_value_t = 200_000_000)]
    pub max_cells: u64,
}

/// A display unit salesplit knows (`万`, `k` ...).
fn parse_unit(text: &str) -> Result<String, String> {
    match crate::render::DisplayUnit::parse(text) {
        Some(u) => Ok(u.name),
        None => Err(format!("`{text}` is not a unit; use one of {}", crate::render::DisplayUnit::NAMES.join(", "))),
    }
}

/// A percentage written with `%` (`90%`, `2.5%`), as a fraction (0.9):
/// as the plan's percentage keys are. A bare number is refused, since
/// `0.9` may mean 90% or 0.9%: the help line shows both.
fn parse_percent(text: &str) -> Result<rust_decimal::Decimal, String> {
    use rust_decimal::Decimal;
    let trimmed = text.trim();
    let help = |d: Decimal| {
        let plain = d.normalize();
        match d.checked_mul(Decimal::ONE_HUNDRED) {
            Some(scaled) if !d.is_zero() && d.abs() < Decimal::ONE => {
                format!(
                    "write {}% ({plain} as a fraction), or {plain}% if you mean {plain} percent",
                    scaled.normalize()
                )
            }
            _ => format!("write {plain}%"),
        }
    };
    match trimmed.strip_suffix('%').map(|n| n.trim().parse::<Decimal>()) {
        Some(Ok(d)) if !d.is_sign_negative() => Ok(d / Decimal::ONE_HUNDRED),
        Some(Ok(_)) => Err("a percentage here is 0% or more\n  help: write it like 90%".to_string()),
        Some(Err(_)) => Err(format!("`{text}` is not a percentage\n  help: write it like 90%")),
        None => match trimmed.parse::<Decimal>() {
            Ok(d) => {
                Err(format!("{} is a bare number: a percentage is written with %\n  help: {}", d.normalize(), help(d)))
            }
            Err(_) => Err(format!("`{text}` is not a percentage\n  help: write it like 90%")),
        },
    }
}

/// A `--tolerance`: a percentage from 0% to under 100%, as in `[track]`.
fn parse_tolerance(text: &str) -> Result<rust_decimal::Decimal, String> {
    match parse_percent(text)? {
        t if t < rust_decimal::Decimal::ONE => Ok(t),
        _ => Err(
            "the tolerance must be from 0% to under 100%\n  help: write the band around 100% that counts as on track, e.g. 5%"
                .to_string(),
        ),
    }
}

/// A date written YYYY-MM-DD; the error says why another text is not one.
/// `K/N` with `1 <= K <= N`.
fn parse_shard(text: &str) -> Result<crate::engine::Shard, String> {
    let bad = || format!("`{text}` is not a shard: write K/N with 1 <= K <= N, e.g. 2/8");
    let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
    let index: usize = k.trim().parse().map_err(|_| bad())?;
    let count: usize = n.trim().parse().map_err(|_| bad())?;
    if index == 0 || count == 0 || index > count {
        return Err(bad());
    }
    Ok(crate::engine::Shard { index, count })
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    text.parse::<chrono::NaiveDate>().map_err(|_| match why_not_a_date(text) {
        Some(why) => format!("it is not a date ({why})"),
        None => "it is not a date; write it as YYYY-MM-DD, e.g. 2026-03-15".to_string(),
    })
}

/// An encoding salesplit reads, for `--encoding`.
fn parse_encoding(text: &str) -> Result<&'static encoding_rs::Encoding, String> {
    crate::plan::ReadAs::encoding_named(text).ok_or_else(|| {
        format!("not an encoding salesplit reads; write one of: {}", crate::plan::csv_source::ENCODING_NAMES)
    })
}

/// A delimiter salesplit reads, for `--delimiter`.
fn parse_delimiter(text: &str) -> Result<u8, String> {
    crate::plan::ReadAs::delimiter_named(text).ok_or_else(|| {
        format!("not a delimiter salesplit reads; write one of: {}", crate::plan::csv_source::DELIMITER_NAMES)
    })
}
