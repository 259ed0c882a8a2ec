//! Stage `cli`, on top of the pipeline: the command line. Parses arguments
//! with clap, runs plan -> engine -> render, writes to stdout or atomically
//! to a file, and turns every outcome into an exit code:
//!
//! * 0 — done (also when the reader of stdout went away, as with `| head`);
//! * 1 — bad input (plan, roster, `--by`, `--period`) or a file error;
//! * 2 — bad usage (unknown flag, missing argument).

mod args;
mod output;

pub use args::{Args, Command, DecomposeArgs, Format};
pub use output::Output;

use std::io::Write;

use clap::Parser;

use crate::diagnostic::Diagnostic;
use crate::engine::{Engine, Pivot};
use crate::error::Error;
use crate::plan::Plan;
use crate::render::{render_table, thousands, CsvSink, JsonSink};

/// The most cells a terminal table shows; larger runs are for CSV or JSON.
pub const TABLE_LIMIT: u64 = 20_000;

/// Runs the command line with the process's arguments; returns the exit code.
pub fn main() -> i32 {
    let args = match Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return code;
        }
    };
    match run(&args) {
        Ok(()) => 0,
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            let _ = write!(std::io::stderr(), "{e}");
            1
        }
    }
}

fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Runs parsed arguments.
pub fn run(args: &Args) -> Result<(), Error> {
    match &args.command {
        Command::Decompose(d) => decompose(d),
    }
}

/// `salesplit decompose`: reads the plan, checks the request, then writes
/// the breakdown. Nothing is written before every check has passed.
pub fn decompose(args: &DecomposeArgs) -> Result<(), Error> {
    let plan = Plan::read(&args.plan)?;
    let engine = Engine::new(&plan)?;
    let today = args.today.unwrap_or_else(|| chrono::Local::now().date_naive());
    let breakdown = engine.breakdown_on(args.by.as_deref(), args.period.as_deref(), today)?;
    for (i, warning) in engine.warnings().iter().enumerate() {
        // A warning must not stop the run; if stderr is gone there is no one to tell.
        let gap = if i > 0 { "\n" } else { "" };
        let _ = write!(std::io::stderr(), "{gap}{warning}");
    }
    if args.format == Format::Table {
        let cells = engine.cell_count(&breakdown);
        if cells > TABLE_LIMIT {
            return Err(Error::invalid(
                Diagnostic::new(format!(
                    "the table would have {} cells, too many to read in a terminal",
                    thousands(cells.into())
                ))
                .help(
                    "write them with --format csv --output FILE, or narrow --by (e.g. --by region,month) or --period",
                ),
            ));
        }
    }
    let mut output = Output::open(args.output.as_deref())?;
    let result = match args.format {
        Format::Csv => {
            let mut sink = CsvSink::new(output.writer());
            engine.run(&breakdown, &mut sink)
        }
        Format::Json => {
            let mut sink = JsonSink::new(output.writer());
            engine.run(&breakdown, &mut sink)
        }
        Format::Table => {
            let mut pivot = Pivot::default();
            engine.run(&breakdown, &mut pivot).and_then(|()| output.writer().write_all(render_table(&pivot).as_bytes()))
        }
    };
    result.map_err(|source| output.error(source))?;
    output.commit()
}
