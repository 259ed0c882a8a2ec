//! Stage `cli`, on top of the pipeline: the command line. Parses arguments
//! with clap, runs plan -> engine -> render, writes to stdout or atomically
//! to a file, and turns every outcome into an exit code:
//!
//! * 0 — done (also when the reader of stdout went away, as with `| head`);
//! * 1 — bad input (plan, roster, `--by`, `--period`) or a file error;
//! * 2 — bad usage (unknown flag, missing argument);
//! * 3 — `track --fail-below`: attainment below the threshold (the report
//!   is printed first).

mod args;
mod first_screen;
mod init;
mod offered;
mod output;
mod roster_workbook;

pub use args::{
    Args, Command, CompletionsArgs, DecomposeArgs, ExplainArgs, ExplainFormat, Format, InitArgs, RosterFormat, Shell,
    Template, TrackArgs, ValidateArgs, ViewArgs,
};
pub use first_screen::{FirstScreen, SCREEN_ROWS};
pub use offered::Offered;
pub use output::{Output, Target};

use std::io::Write;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::engine::{CellSink, Engine, Listing, Pivots, Report, Summarised};
use crate::error::Error;
use crate::plan::{Carry, MetricKind, Plan};
use crate::render::{
    explanation_json, fitted_note, render_explanation, render_listing, render_tables, thousands, CsvSink, DisplayUnit,
    HtmlReport, JsonSink, JsonlSink, ParquetSink, TableStyle, XlsxSink, XLSX_MAX_CELLS,
};
use crate::track::{TrackedMetric, Tracker};

/// The most cells a terminal table shows; larger runs are for CSV or JSON.
pub const TABLE_LIMIT: u64 = 20_000;

/// The exit status of `track --fail-below` when attainment is below it.
pub const EXIT_BELOW: i32 = 3;

/// Runs the command line with the process's arguments; returns the exit code.
pub fn main() -> i32 {
    // Before any output file exists: Ctrl-C, SIGTERM and SIGHUP remove it.
    output::LiveTemps::install();
    let args = match parse().and_then(|a| check_usage(&a).map(|()| a)) {
        Ok(a) => a,
        Err(e) => {
            let e = with_usage(e);
            let code = e.exit_code();
            let _ = e.print();
            return code;
        }
    };
    match run(&args) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            to_stderr(&e.to_string());
            1
        }
    }
}

/// The command line's grammar, built, so that a subcommand's usage starts
/// `salesplit track`.
fn grammar() -> clap::Command {
    use clap::CommandFactory;
    let mut command = Args::command();
    command.build();
    command
}

/// A usage error that says no usage (an invalid value) ends with the usage
/// of the subcommand it is about, as the other usage errors do.
fn with_usage(mut e: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) || e.get(ContextKind::Usage).is_some()
    {
        return e;
    }
    let mut command = grammar();
    let name = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let Some(sub) = name.and_then(|n| command.find_subcommand_mut(n)) else { return e };
    e.insert(ContextKind::Usage, ContextValue::StyledStr(sub.render_usage()));
    e
}

/// The process's arguments, with `--format` taken from `--output`'s
/// extension when it is not given (`--output plan.xlsx` writes a workbook),
/// and refused when it contradicts it (`--format csv --output x.xlsx` would
/// write CSV into a file every program opens as a workbook).
fn parse() -> Result<Args, clap::Error> {
    use clap::parser::ValueSource;
    use clap::FromArgMatches;
    let mut command = grammar();
    let matches = command.try_get_matches_from_mut(std::env::args_os())?;
    let mut args = Args::from_arg_matches(&matches)?;
    let (view, name) = match &mut args.command {
        Command::Decompose(d) => (&mut d.view, "decompose"),
        Command::Track(t) => (&mut t.view, "track"),
        _ => return Ok(args),
    };
    let Some(named) = view.output.as_deref().and_then(Format::of_file) else { return Ok(args) };
    let given = matches.subcommand_matches(name).and_then(|m| m.value_source("format"));
    if given != Some(ValueSource::CommandLine) {
        view.format = named;
    } else if view.format != named {
        let file = view.output.as_deref().unwrap_or(Path::new("")).display().to_string();
        let stem = Path::new(&file).with_extension(extension_of(view.format));
        let sub = command.find_subcommand_mut(name).expect("a subcommand of the grammar");
        return Err(sub.error(
            clap::error::ErrorKind::ArgumentConflict,
            format!(
                "--format {} contradicts --output {file}, whose extension means {}: drop --format (the extension \
                 chooses), or name the file {}",
                view.format.name(),
                named.name(),
                stem.display()
            ),
        ));
    }
    Ok(args)
}

/// The extension a file of `format` takes.
fn extension_of(format: Format) -> &'static str {
    match format {
        Format::Table => "txt",
        other => other.name(),
    }
}

/// Options that only make sense together, checked as usage errors (exit 2)
/// that end with the subcommand's usage.
fn check_usage(args: &Args) -> Result<(), clap::Error> {
    let (view, name) = match &args.command {
        Command::Decompose(d) => (&d.view, "decompose"),
        Command::Track(t) => (&t.view, "track"),
        _ => return Ok(()),
    };
    let fail = |message: &str| {
        let mut command = grammar();
        let sub = command.find_subcommand_mut(name).expect("a subcommand of the grammar");
        Err(sub.error(clap::error::ErrorKind::ArgumentConflict, message))
    };
    if view.excel && view.format != Format::Csv {
        return fail("--excel is for --format csv (a CSV that Excel and WPS open safely)");
    }
    if let Command::Decompose(DecomposeArgs { shard: Some(_), .. }) = &args.command {
        if !matches!(view.format, Format::Csv | Format::Jsonl | Format::Parquet) || view.excel {
            return fail(
                "--shard writes rows that add up to the full run only as --format csv, jsonl or parquet \
                 (a JSON document, a workbook or a table has one total for the whole run)",
            );
        }
    }
    if view.format == Format::Xlsx && view.output.is_none() {
        return fail("--format xlsx writes a workbook file: add --output FILE.xlsx");
    }
    if view.format == Format::Parquet && view.output.is_none() {
        return fail("--format parquet writes a binary file: add --output FILE.parquet");
    }
    let table_only = [
        ("--rows", view.rows.is_some(), false),
        ("--cols", view.cols.is_some(), false),
        ("--unit", view.unit.is_some(), true),
    ];
    let misplaced = table_only
        .iter()
        .find(|(_, given, html)| *given && view.format != Format::Table && !(*html && view.format == Format::Html));
    if let Some((flag, _, _)) = misplaced {
        return fail(&format!(
            "{flag} shapes the terminal table; CSV, JSON and xlsx always keep one row per cell and exact figures"
        ));
    }
    Ok(())
}

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Runs parsed arguments; returns the exit code.
pub fn run(args: &Args) -> Result<i32, Error> {
    match &args.command {
        Command::Decompose(d) => decompose(d).map(|()| 0),
        Command::Track(t) => track(t),
        Command::Explain(e) => explain(e).map(|()| 0),
        Command::Validate(v) => validate(v).map(|()| 0),
        Command::Init(i) => init::init(i).map(|()| 0),
        Command::Completions(c) => init::completions(c).map(|()| 0),
        Command::Man => init::man().map(|()| 0),
        Command::Splits(v) => init::splits(&v.plan).map(|()| 0),
    }
}

/// Prints warnings to stderr, a blank line apart. A warning must not stop
/// the run; if stderr is gone there is no one to tell.
fn warn(warnings: &[Diagnostic]) {
    for (i, warning) in warnings.iter().enumerate() {
        let gap = if i > 0 { "\n" } else { "" };
        to_stderr(&format!("{gap}{warning}"));
    }
}

/// Writes a rendered message to stderr, its headline, notes and helps folded
/// at spaces to the terminal's width when stderr is a terminal (`COLUMNS`
/// wins); written to a file or a pipe it is left exactly as rendered, each
/// headline, note and help on one line.
/// If stderr is gone there is no one to tell.
fn to_stderr(text: &str) {
    use std::io::IsTerminal;
    let width = std::io::stderr().is_terminal().then(stderr_width).flatten();
    let text = match width {
        Some(width) => std::borrow::Cow::Owned(crate::diagnostic::terminal_text::folded(text, width)),
        None => std::borrow::Cow::Borrowed(text),
    };
    let _ = write!(std::io::stderr(), "{text}");
}

/// The width `COLUMNS` sets, when it is a number.
fn columns_set() -> Option<usize> {
    std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok())
}

/// The width of the terminal stderr writes to: `COLUMNS`, or else what the
/// terminal says; `None` when neither says (or says something under 20).
fn stderr_width() -> Option<usize> {
    let columns = columns_set();
    let asked = columns.or_else(|| {
        let mut size = libc::winsize { ws_row: 0, ws_col: 0, ws_xpixel: 0, ws_ypixel: 0 };
        // SAFETY: TIOCGWINSZ writes one `winsize` through the pointer, which
        // points at one; on failure it writes nothing and returns -1.
        let ok = unsafe { libc::ioctl(libc::STDERR_FILENO, libc::TIOCGWINSZ, &raw mut size) } == 0;
        ok.then_some(usize::from(size.ws_col))
    });
    asked.filter(|w| *w >= 20)
}

/// Refuses, before computing them, a breakdown of more than `--max-cells`
/// cells, a terminal table of more than [`TABLE_LIMIT`], and a workbook of
/// more rows than an Excel sheet holds.
fn check_table(view: &ViewArgs, cells: u64) -> Result<(), Error> {
    if cells > view.max_cells {
        return Err(Error::invalid(
            Diagnostic::new(
                Code::TooManyCells,
                format!(
                    "the breakdown has {} cells, more than --max-cells {}",
                    thousands(cells.into()),
                    thousands(view.max_cells.into())
                ),
            )
            .note("at a few million cells a second that is a long run and a very large file")
            .help("narrow --by (e.g. --by region,month) or --period, or raise --max-cells if you mean it"),
        ));
    }
    if view.format == Format::Xlsx && cells > XLSX_MAX_CELLS {
        return Err(Error::invalid(
            Diagnostic::new(
                Code::TooManyCells,
                format!(
                "the breakdown has {} cells, more rows than an Excel sheet holds (1,048,576 with the header and total)",
                thousands(cells.into())
            ),
            )
            .help("use --format csv, or a coarser --by or a shorter --period"),
        ));
    }
    if view.format != Format::Table || cells <= TABLE_LIMIT {
        return Ok(());
    }
    Err(Error::invalid(
        Diagnostic::new(
            Code::TooManyCells,
            format!("the table would have {} cells, too many to read in a terminal", thousands(cells.into())),
        )
        .help("write them with --format csv --output FILE, or narrow --by (e.g. --by region,month) or --period"),
    ))
}

/// Refuses, before anything is computed, an `--output` that cannot be
/// written (a folder, a missing or read-only folder, a read-only file…) or
/// that is one of the run's `inputs` by any name.
fn check_output<'a>(view: &ViewArgs, inputs: impl IntoIterator<Item = (&'a Path, &'a str)>) -> Result<(), Error> {
    match view.output.as_deref() {
        Some(path) => Target::resolve(path)?.refuse_inputs(inputs),
        None => Ok(()),
    }
}

/// The plan's files for [`check_output`]: the plan itself, then what it reads.
fn plan_inputs(plan: &Plan) -> impl Iterator<Item = (&Path, &str)> {
    plan.inputs.iter().enumerate().map(|(i, p)| (p.as_path(), if i == 0 { "the plan" } else { "" }))
}

/// How a terminal table lays cells out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Members down the side, periods across (one figure per cell).
    Pivot,
    /// One line per cell with every column (several figures per cell).
    Listing,
}

/// Writes a run in the asked format to stdout or, atomically, to the output
/// file; `run` feeds the cells to the sink it is given.
fn write<R>(
    view: &ViewArgs,
    layout: Layout,
    run: impl FnOnce(&mut dyn CellSink) -> std::io::Result<R>,
) -> Result<R, Error> {
    let mut output = Output::open(view.output.as_deref())?;
    let result = match (view.format, layout) {
        (Format::Csv, _) if view.excel => run(&mut CsvSink::excel(output.writer())),
        (Format::Csv, _) => run(&mut CsvSink::new(output.writer())),
        (Format::Json, _) => run(&mut JsonSink::new(output.writer())),
        (Format::Jsonl, _) => run(&mut JsonlSink::new(output.writer())),
        (Format::Xlsx, _) => run(&mut Summarised::new(XlsxSink::new(output.writer()))),
        (Format::Parquet, _) => run(&mut ParquetSink::new(output.writer())),
        // The page needs several runs: `decompose` and `track` write it themselves.
        (Format::Html, _) => unreachable!("html is written by write_html"),
        (Format::Table, Layout::Pivot) => {
            let style = table_style(view);
            let mut pivots = Pivots::arranged(list(view.rows.as_deref()), view.cols.clone());
            if let Some(unit) = &style.unit {
                pivots = pivots.in_unit(unit.factor, DisplayUnit::DECIMALS);
            }
            run(&mut pivots)
                .and_then(|r| output.writer().write_all(render_tables(&pivots, &style).as_bytes()).map(|()| r))
        }
        (Format::Table, Layout::Listing) => {
            let style = table_style(view);
            let mut listing = Listing::default();
            if let Some(unit) = &style.unit {
                listing = listing.in_unit(unit.factor, DisplayUnit::DECIMALS);
            }
            run(&mut listing)
                .and_then(|r| output.writer().write_all(render_listing(&listing, &style).as_bytes()).map(|()| r))
        }
    };
    // A sink's own refusal (a figure a workbook cannot hold) is shown as it is.
    let value = result.map_err(|source| match source.get_ref().and_then(|e| e.downcast_ref::<Diagnostic>()) {
        Some(d) => Error::invalid(d.clone()),
        None => output.error(source),
    })?;
    output.commit()?;
    Ok(value)
}

/// Writes the terminal table of a breakdown the user did not name: the
/// full one, or the pivot that fits the terminal with a note on how to get
/// the full one ([`FirstScreen`]).
fn write_first_screen(view: &ViewArgs, engine: &Engine, request: &crate::engine::Request) -> Result<(), Error> {
    let style = table_style(view);
    let mut output = Output::open(view.output.as_deref())?;
    let pivots = || {
        let p = Pivots::arranged(None, None);
        match &style.unit {
            Some(unit) => p.in_unit(unit.factor, DisplayUnit::DECIMALS),
            None => p,
        }
    };
    let result =
        FirstScreen::choose(engine, request, view.period.as_deref(), today(view), &style, pivots).and_then(|screen| {
            let mut text = render_tables(&screen.pivots, &style);
            if let Some((shown, full)) = &screen.fitted {
                text.push_str(&fitted_note(shown, full, style.width));
            }
            output.writer().write_all(text.as_bytes())
        });
    result.map_err(|source| output.error(source))?;
    output.commit()
}

/// A comma-separated list of names.
fn list(names: Option<&str>) -> Option<Vec<String>> {
    names.map(|n| n.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
}

/// How to draw a terminal table: colour on a terminal (or with
/// `CLICOLOR_FORCE`) unless `--no-color` or `NO_COLOR` says otherwise; the
/// terminal's width (`COLUMNS` wins, for scripts and tests); `--unit`.
fn table_style(view: &ViewArgs) -> TableStyle {
    use std::io::IsTerminal;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    let terminal = view.output.is_none() && std::io::stdout().is_terminal();
    let no_color = view.no_color || set("NO_COLOR");
    let columns = columns_set();
    let width = columns.or_else(|| terminal.then(|| comfy_table::Table::new().width().map(usize::from)).flatten());
    TableStyle {
        color: (terminal || set("CLICOLOR_FORCE")) && !no_color,
        width,
        unit: view.unit.as_deref().and_then(DisplayUnit::parse),
    }
}

/// The breakdown a table asks for: `--by`, or else what `--rows` and
/// `--cols` name.
fn by_of(view: &ViewArgs) -> Option<String> {
    if view.by.is_some() || (view.rows.is_none() && view.cols.is_none()) {
        return view.by.clone();
    }
    let mut names = list(view.rows.as_deref()).unwrap_or_default();
    names.extend(view.cols.iter().cloned());
    names.retain(|n| n != "period");
    Some(names.join(","))
}

/// `--rows` and `--cols` must name dimensions of the breakdown, each once.
fn check_layout(view: &ViewArgs, engine: &Engine, request: &crate::engine::Request) -> Result<(), Error> {
    let header = engine.header(request);
    let mut names = list(view.rows.as_deref()).unwrap_or_default();
    names.extend(view.cols.iter().cloned());
    let dims: Vec<&str> = header.splits.iter().map(String::as_str).chain([header.time.as_str()]).collect();
    let mut seen = Vec::new();
    for name in &names {
        let time = name == "period" || *name == header.time;
        if !time && !dims.contains(&name.as_str()) {
            let help = match crate::diagnostic::suggest(name, dims.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? The dimensions are: {}", dims.join(", ")),
                None => format!("the dimensions of this breakdown are: {} (add others with --by)", dims.join(", ")),
            };
            return Err(Error::invalid(
                Diagnostic::new(
                    Code::UnknownDimension,
                    format!("--rows/--cols name `{name}`, which is not a dimension of the breakdown"),
                )
                .help(help),
            ));
        }
        let key = if time { header.time.as_str() } else { name.as_str() };
        if seen.contains(&key) {
            return Err(Error::invalid(
                Diagnostic::new(Code::BadDimensions, format!("--rows/--cols name `{name}` twice"))
                    .help("put each dimension either down the side (--rows) or across (--cols), once"),
            ));
        }
        seen.push(key);
    }
    Ok(())
}

fn today(view: &ViewArgs) -> chrono::NaiveDate {
    view.today.unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// `salesplit decompose`: reads the plan, checks the request, then writes
/// the breakdown. Nothing is written before every check has passed.
pub fn decompose(args: &DecomposeArgs) -> Result<(), Error> {
    let view = &args.view;
    check_output(view, [(args.plan.as_path(), "the plan")])?;
    let plan = Plan::read(&args.plan)?;
    check_output(view, plan_inputs(&plan))?;
    let engine = threaded(Engine::new(&plan)?);
    let mut request = engine.request_on(by_of(view).as_deref(), view.period.as_deref(), today(view))?;
    if let Some(shard) = args.shard {
        check_shard(&engine, &request, shard)?;
        request.shard = Some(shard);
    }
    check_layout(view, &engine, &request)?;
    derivations(&plan);
    warn(engine.warnings());
    check_table(view, engine.cell_count(&request))?;
    if view.format == Format::Html {
        let unit = html_unit(view);
        let (shown, note) = Report::table_request(&engine, &request);
        write_html(view, || {
            let mut run = |r: &crate::engine::Request, s: &mut dyn CellSink| engine.run(r, s);
            let mut report = Report::decompose(&engine, &request, unit, &mut run)?;
            report.notes.extend(note);
            let mut pivots = Pivots::arranged(None, None);
            if let Some((factor, decimals)) = unit {
                pivots = pivots.in_unit(factor, decimals);
            }
            engine.run(&shown, &mut pivots)?;
            Ok((page(view, &report, Some(&pivots), None), ()))
        })?;
    } else if view.format == Format::Table && by_of(view).is_none() {
        write_first_screen(view, &engine, &request)?;
    } else {
        write(view, Layout::Pivot, |sink| engine.run(&request, sink))?;
    }
    // Found while the cells were worked out: said after them, on stderr.
    warn(&engine.run_warnings());
    Ok(())
}

/// `--shard` cuts the org leaves: a breakdown that sums leaves into fewer
/// rows would give each shard partial sums of the same rows.
fn check_shard(engine: &Engine, request: &crate::engine::Request, shard: crate::engine::Shard) -> Result<(), Error> {
    let splits = &engine.plan().splits;
    if request.splits.len() == splits.len() {
        return Ok(());
    }
    let all: Vec<&str> = splits.iter().map(|s| s.by.as_str()).collect();
    let time = crate::engine::view_name(engine.calendar(), request.time);
    Err(Error::invalid(
        Diagnostic::new(
            Code::ShardNeedsLeaves,
            format!(
                "--shard {}/{} needs every split kept, but this breakdown leaves out {}",
                shard.index,
                shard.count,
                all.iter()
                    .enumerate()
                    .filter(|(i, _)| !request.splits.contains(i))
                    .map(|(_, n)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .note(
            "a shard holds some of the org leaves; a row that sums leaves of several shards would be split among them",
        )
        .help(format!("shard the full breakdown, --by {},{time}, and sum its rows afterwards", all.join(","))),
    ))
}

/// Refuses a track run too large for `--max-cells` (or a table, or a
/// sheet) before the actuals are read, as `decompose` does before it
/// computes: a breakdown named by `--by` (or `--rows`/`--cols`) is counted
/// as the engine has it; without one, the default depends on the actuals'
/// columns, so only its smallest possible form, the plan's level for the
/// company, is counted here. Either count is at most the report's (which
/// adds the `(unplanned)` members), so this never refuses a run that the
/// check after reading would let through. A `--by` the engine cannot
/// resolve is left to the tracker's own message.
fn check_before_actuals(view: &ViewArgs, engine: &Engine) -> Result<(), Error> {
    let plan = engine.plan();
    let level = engine.calendar().level_name(plan.level).to_string();
    let by = by_of(view).unwrap_or(level);
    match engine.request_on(Some(&by), view.period.as_deref(), today(view)) {
        Ok(request) => check_table(view, engine.cell_count(&request)),
        Err(_) => Ok(()),
    }
}

/// Prints, on stderr, how each total taken from a baseline was worked out.
fn derivations(plan: &Plan) {
    let mut err = std::io::stderr().lock();
    for metric in &plan.metrics {
        if let Some(words) = &metric.derivation {
            // stderr is for people: a failure to write it changes nothing.
            let _ = writeln!(err, "note: {}", crate::diagnostic::terminal_text::escaped(words));
        }
    }
}

/// `salesplit validate`: reads and checks the plan (and its rosters and
/// calendars) as `decompose` would, without writing targets; prints a one-line
/// summary and, on stderr, the warnings worth a second look. Exit 0 when valid.
pub fn validate(args: &ValidateArgs) -> Result<(), Error> {
    let plan = Plan::read(&args.plan)?;
    // Counted before the engine holds the org tree, which is the peak of memory.
    let members: Vec<String> =
        plan.splits.iter().map(|split| format!("{} ({})", split.by, split.member_count())).collect();
    let engine = Engine::new(&plan)?;
    derivations(&plan);
    let mut warnings = engine.warnings().to_vec();
    warnings.extend(engine.review());
    warn(&warnings);
    let currency = if plan.currency.is_empty() { String::new() } else { format!(" {}", plan.currency) };
    let shape = if members.is_empty() { String::new() } else { format!(", split by {}", members.join(", ")) };
    let noted = match warnings.len() {
        0 => String::new(),
        1 => "; 1 warning".to_string(),
        n => format!("; {n} warnings"),
    };
    let totals: Vec<String> = plan
        .metrics
        .iter()
        .map(|m| match &m.kind {
            MetricKind::Amount => {
                format!("{} {}{currency}", thousands(plan.precision.to_amount(plan.units_of(m))), m.name)
            }
            MetricKind::Count => format!("{} {}", thousands(m.total), m.name),
            MetricKind::Level(l) if l.percent => {
                format!("{} at {}%", m.name, (l.value * rust_decimal::Decimal::ONE_HUNDRED).normalize())
            }
            MetricKind::Level(l) => format!("{} at {}", m.name, l.value.normalize()),
        })
        .collect();
    let line = format!(
        "{} is valid: {} for {}{shape}{noted}",
        args.plan.display(),
        totals.join(", "),
        plan.period.as_ref().map_or(engine.calendar().year().label.as_str(), |p| p.label.as_str()),
    );
    // The split names and the path are the user's text: shown safely.
    let line = format!("{}\n", crate::diagnostic::terminal_text::escaped(&line));
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes()).map_err(|source| Error::Io { path: "<stdout>".into(), action: "write", source })
}

/// `salesplit explain`: how one figure was reached, in words or JSON.
pub fn explain(args: &ExplainArgs) -> Result<(), Error> {
    let plan = Plan::read(&args.plan)?;
    let engine = Engine::new(&plan)?;
    let explanation = engine.explain_cell(&args.cell, args.metric.as_deref())?;
    warn(&engine.run_warnings());
    let text = match args.format {
        ExplainFormat::Json => explanation_json(&explanation),
        ExplainFormat::Table => render_explanation(&explanation),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|source| Error::Io {
        path: "<stdout>".into(),
        action: "write",
        source,
    })
}

/// The engine on the threads `SALESPLIT_THREADS` asks for, if it does
/// (the same bytes on any number; 1 for comparing runs).
fn threaded(mut engine: Engine<'_>) -> Engine<'_> {
    if let Some(n) = std::env::var("SALESPLIT_THREADS").ok().and_then(|n| n.trim().parse().ok()) {
        engine.set_threads(n);
    }
    engine
}

/// `salesplit track`: reads the plan and the actuals, then writes the
/// report (or, with `--replan`, the new targets). Returns [`EXIT_BELOW`]
/// when `--fail-below` is not met.
pub fn track(args: &TrackArgs) -> Result<i32, Error> {
    let view = &args.view;
    let actuals = (args.actuals.as_path(), "the actuals");
    check_output(view, [(args.plan.as_path(), "the plan"), actuals])?;
    let plan = Plan::read(&args.plan)?;
    check_output(view, plan_inputs(&plan).chain([actuals]))?;
    let engine = threaded(Engine::new(&plan)?);
    let metric = TrackedMetric::choose(&plan, args.metric.as_deref())?;
    check_before_actuals(view, &engine)?;
    let file = std::fs::File::open(&args.actuals).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::invalid(
            Diagnostic::new(Code::CannotRead, format!("cannot read actuals {}: no such file", args.actuals.display()))
                .help("check the --actuals path; a relative path is read from the folder salesplit runs in"),
        ),
        _ => Error::Io { path: args.actuals.clone(), action: "read", source },
    })?;
    let read_as = crate::plan::ReadAs { sheet: args.sheet.clone(), encoding: args.encoding, delimiter: args.delimiter };
    let name = args.actuals.display().to_string();
    let today = today(view);
    // How many splits deep the report breaks the actuals down, when `--by`
    // says (else as deep as the file goes): amounts are kept no deeper.
    let reported = if args.replan || view.format == Format::Html {
        None
    } else {
        by_of(view).and_then(|by| engine.request_on(Some(&by), view.period.as_deref(), today).ok()).map(|r| r.depth())
    };
    let tracker = Tracker::of_file(&engine, metric, (file, &args.actuals, reported), &name, args.strict, &read_as)?;
    let as_of = args.as_of.unwrap_or(today);
    let request = tracker.request(by_of(view).as_deref(), view.period.as_deref(), today)?;
    check_layout(view, &engine, &request)?;
    // One list, so that every warning is a blank line from the next.
    let mut warnings = engine.warnings().to_vec();
    // Cross-cuts missed in the daily targets, for the periods the report shows.
    warnings.extend(engine.run_warnings_to(request.time.level()));
    warnings.extend(tracker.warnings().iter().cloned());
    warnings.extend(tracker.after(as_of));
    if args.as_of.is_none() {
        warnings.extend(tracker.stale(as_of));
    }
    warn(&warnings);
    check_table(view, engine.cell_count(&request))?;
    if view.format == Format::Html {
        return track_html(args, &plan, &engine, &tracker, &request, as_of);
    }
    if args.replan {
        let carry = args.carry.as_deref().and_then(Carry::parse).unwrap_or(plan.track.carry);
        let lost = write(view, Layout::Pivot, |sink| tracker.replan(&request, as_of, carry, sink))?;
        warn(&lost);
        return Ok(0);
    }
    let tolerance = args.tolerance.unwrap_or(plan.track.tolerance);
    let summary = write(view, Layout::Listing, |sink| tracker.report(&request, as_of, tolerance, sink))?;
    Ok(below_threshold(args, &summary))
}

/// The html page of `track`: the report's charts and table, and with
/// `--replan` the new targets too.
fn track_html(
    args: &TrackArgs,
    plan: &Plan,
    engine: &Engine,
    tracker: &Tracker,
    request: &crate::engine::Request,
    as_of: chrono::NaiveDate,
) -> Result<i32, Error> {
    let view = &args.view;
    let unit = html_unit(view);
    let tolerance = args.tolerance.unwrap_or(plan.track.tolerance);
    let (shown, note) = Report::table_request(engine, request);
    let mut lost = Vec::new();
    let summary = write_html(view, || {
        let mut run =
            |r: &crate::engine::Request, s: &mut dyn CellSink| tracker.report(r, as_of, tolerance, s).map(|_| ());
        let mut report = Report::track(engine, request, tolerance, unit, &mut run)?;
        report.notes.extend(note);
        let mut listing = Listing::default();
        if let Some((factor, decimals)) = unit {
            listing = listing.in_unit(factor, decimals);
        }
        let summary = tracker.report(&shown, as_of, tolerance, &mut listing)?;
        let mut replan = None;
        if args.replan {
            let carry = args.carry.as_deref().and_then(Carry::parse).unwrap_or(plan.track.carry);
            let mut pivots = Pivots::arranged(None, None);
            if let Some((factor, decimals)) = unit {
                pivots = pivots.in_unit(factor, decimals);
            }
            lost = tracker.replan(&shown, as_of, carry, &mut pivots)?;
            replan = Some(pivots);
        }
        Ok((page(view, &report, replan.as_ref(), Some(&listing)), summary))
    })?;
    warn(&lost);
    Ok(if args.replan { 0 } else { below_threshold(args, &summary) })
}

/// `--unit` as the engine's views take it: (factor, decimals).
fn html_unit(view: &ViewArgs) -> Option<(rust_decimal::Decimal, u32)> {
    view.unit.as_deref().and_then(DisplayUnit::parse).map(|u| (u.factor, DisplayUnit::DECIMALS))
}

/// The html page of a report, its table and its command line.
fn page(view: &ViewArgs, report: &Report, pivots: Option<&Pivots>, listing: Option<&Listing>) -> String {
    let unit = view.unit.as_deref().and_then(DisplayUnit::parse).map(|u| u.name);
    HtmlReport { report, pivots, listing, unit, command: command_line() }.render()
}

/// The command line as typed (each argument quoted for a POSIX shell when
/// it needs it), to say on the page how to write it again.
fn command_line() -> String {
    let quoted = |a: String| {
        let plain = !a.is_empty() && a.chars().all(|c| c.is_alphanumeric() || "-_./=:,%+@".contains(c));
        if plain {
            a
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        }
    };
    std::iter::once("salesplit".to_string()).chain(std::env::args().skip(1).map(quoted)).collect::<Vec<_>>().join(" ")
}

/// Writes the page that `page` makes to stdout or, atomically, the output
/// file; returns what `page` returns besides the page.
fn write_html<R>(view: &ViewArgs, page: impl FnOnce() -> std::io::Result<(String, R)>) -> Result<R, Error> {
    let mut output = Output::open(view.output.as_deref())?;
    let value = page()
        .and_then(|(text, value)| output.writer().write_all(text.as_bytes()).map(|()| value))
        .map_err(|source| output.error(source))?;
    output.commit()?;
    Ok(value)
}

/// The exit code of a tracking report: [`EXIT_BELOW`] when `--fail-below`
/// is not met (said on stderr), else 0.
///
/// # Panics
///
/// Never: the one `expect` is on the lowest attainment, which `--fail-below-any` has just found.
fn below_threshold(args: &TrackArgs, summary: &crate::track::ReportSummary) -> i32 {
    if let Some(threshold) = args.fail_below {
        let below = |a: Option<rust_decimal::Decimal>| a.is_some_and(|a| a < threshold);
        let company = below(summary.attainment);
        let any = args.fail_below_any && summary.lowest.as_ref().is_some_and(|(a, _)| *a < threshold);
        if company || any {
            let pct = |d: rust_decimal::Decimal| {
                format!("{}%", (d * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2).normalize())
            };
            let what = if company {
                format!("attainment to date is {}", summary.attainment.map(pct).unwrap_or_default())
            } else {
                let (a, cell) = summary.lowest.clone().expect("checked");
                format!("{} is at {}", crate::diagnostic::terminal_text::shown(&cell), pct(a))
            };
            let _ = writeln!(
                std::io::stderr(),
                "salesplit: {what}, below the --fail-below threshold of {}",
                pct(threshold)
            );
            return EXIT_BELOW;
        }
    }
    0
}
