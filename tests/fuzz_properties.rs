//! "Nothing panics" for the files a plan reads besides itself: rosters,
//! actuals, baselines and holiday calendars, damaged at the text level
//! (characters and lines inserted, deleted, replaced and repeated; numbers
//! swapped for huge, negative, tiny or odd ones; Unicode, BOMs, bare CRs,
//! NULs and very long lines), each through the library as `salesplit`
//! would read it. Every outcome must be a run to the end or a refusal whose
//! message starts with `error:`; and through the real binary, damaged CSV
//! files must end in exit 0, or exit 1 with nothing on stdout and every
//! `error:` placed (`--> file`, with the line for a row) and with a `help:`
//! line — never exit 101 or a signal. (`says_no_properties.rs` damages the plans
//! themselves with pasted tokens; the plan property here only adds the
//! line-level and number edits it does not make.)
//!
//! The checks are the fuzz targets' (`fuzz/src/lib.rs`, included below), so
//! `regressions` replays every input the fuzzer found in
//! `tests/fuzz-regressions/<target>/` exactly as `cargo fuzz run <target>` did.

// The harness is the fuzz crate's root there, so its items are `pub`.
#[allow(dead_code, unreachable_pub)]
#[path = "../fuzz/src/lib.rs"]
mod harness;

use proptest::prelude::*;

/// Characters pasted in: separators, quotes, line ends, a BOM, wide and
/// combining characters, an emoji, a NUL, a right-to-left mark.
const CHARS: [&str; 24] = [
    ",", "\"", "\n", "\r", "\r\n", "\u{feff}", "%", "|", "-", ".", "0", "9", " ", "\t", "\0", "华", "é", "e\u{301}",
    "😀", "\u{200f}", "；", "，", "=", "'",
];

/// Numbers swapped in for a number of the text.
const NUMBERS: [&str; 26] = [
    "0",
    "-0",
    "-1",
    "-1000000",
    "0.5",
    "1e3",
    "1E-7",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "-79228162514264337593543950335",
    "999999999999999999999999999999999999",
    "0.0000000000000000000000000001",
    "0.00000000000000000000000000001",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "1,000,000,000,000,000,000,000,000",
    "1_000",
    "+5",
    "NaN",
    "inf",
    "١٢٣",
    "１２",
    "",
    "2026-02-29",
    "9999-12-31",
    "100%",
];

/// Whole lines inserted.
const LINES: [&str; 12] = [
    "",
    ",,,,,,,,",
    "\"",
    "date,sales",
    "name,region,weight",
    "2026-02-30,东北,王磊,A,1",
    "2026-03-01,,,,",
    "2026-03-01,华东,张伟,A,79228162514264337593543950335",
    "2026-03-01,华东,张伟,A,-79228162514264337593543950335",
    "张伟,华东,0",
    "张伟,华东,-1,2026-13-01,,200%,-5,",
    "\u{feff}date,name,is_off_day",
];

/// The most bytes one [`Edit::RepeatLine`] adds.
const REPEAT_BYTES: usize = 32 * 1024;

/// One edit of a text. Positions are fractions of its length (in 1/65536).
#[derive(Clone, Debug)]
enum Edit {
    /// Insert `CHARS[c]` `times` times at `at` (a long line when `times` is large).
    Insert { at: u16, c: usize, times: usize },
    /// Delete `len` characters at `at`.
    Delete { at: u16, len: usize },
    /// Replace the character at `at` with `CHARS[c]`.
    Replace { at: u16, c: usize },
    /// Insert `LINES[l]` before line `at`.
    InsertLine { at: u16, l: usize },
    /// Delete line `at`.
    DeleteLine { at: u16 },
    /// Repeat line `at` `times` times.
    RepeatLine { at: u16, times: usize },
    /// Swap the number at `at` (the next one from there) for `NUMBERS[n]`.
    Number { at: u16, n: usize },
    /// Start with a byte-order mark.
    Bom,
    /// Make every line end a CRLF, or a bare CR.
    LineEnds { bare: bool },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<u16>(), 0..CHARS.len(), prop_oneof![9 => Just(1usize), 1 => 2usize..20_000])
            .prop_map(|(at, c, times)| Edit::Insert { at, c, times }),
        2 => (any::<u16>(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        2 => (any::<u16>(), 0..CHARS.len()).prop_map(|(at, c)| Edit::Replace { at, c }),
        2 => (any::<u16>(), 0..LINES.len()).prop_map(|(at, l)| Edit::InsertLine { at, l }),
        2 => any::<u16>().prop_map(|at| Edit::DeleteLine { at }),
        1 => (any::<u16>(), prop_oneof![4 => 1usize..4, 1 => 100usize..2_000])
            .prop_map(|(at, times)| Edit::RepeatLine { at, times }),
        4 => (any::<u16>(), 0..NUMBERS.len()).prop_map(|(at, n)| Edit::Number { at, n }),
        1 => Just(Edit::Bom),
        1 => any::<bool>().prop_map(|bare| Edit::LineEnds { bare }),
    ]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(edit(), 1..4)
}

/// The char boundary at fraction `at` of `text`.
fn point(text: &str, at: u16) -> usize {
    let mut i = text.len() * at as usize / 65_536;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Applies `edits` to `text`, in order.
fn damage(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for e in edits {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let line = |at: u16| lines.len() * at as usize / 65_536;
        text = match *e {
            Edit::Insert { at, c, times } => {
                let i = point(&text, at);
                // Open: a number with thousands of leading zeros overflows
                // the stack in a debug build (roster/thousands-of-leading-zeros),
                // which aborts the tests rather than failing one.
                let times = if CHARS[c].starts_with(|d: char| d.is_ascii_digit()) { times.min(1_000) } else { times };
                format!("{}{}{}", &text[..i], CHARS[c].repeat(times), &text[i..])
            }
            Edit::Delete { at, len } => {
                let i = point(&text, at);
                let end = text[i..].char_indices().nth(len).map_or(text.len(), |(j, _)| i + j);
                format!("{}{}", &text[..i], &text[end..])
            }
            Edit::Replace { at, c } => {
                let i = point(&text, at);
                let end = text[i..].chars().next().map_or(i, |ch| i + ch.len_utf8());
                format!("{}{}{}", &text[..i], CHARS[c], &text[end..])
            }
            Edit::InsertLine { at, l } => {
                let n = line(at);
                let mut out: String = lines[..n].concat();
                out.push_str(LINES[l]);
                out.push('\n');
                out.push_str(&lines[n..].concat());
                out
            }
            Edit::DeleteLine { at } => {
                let n = line(at);
                lines.iter().enumerate().filter(|(i, _)| *i != n).map(|(_, l)| *l).collect()
            }
            Edit::RepeatLine { at, times } => {
                let n = line(at);
                let mut out: String = lines[..n].concat();
                if let Some(l) = lines.get(n) {
                    let l = if l.ends_with('\n') { l.to_string() } else { format!("{l}\n") };
                    // At most about 32 KB more: enough rows to matter, few
                    // enough to stay quick (without `\n`, the line is the file).
                    out.push_str(&l.repeat(times.min(REPEAT_BYTES / l.len()) + 1));
                    out.push_str(&lines[n + 1..].concat());
                }
                out
            }
            Edit::Number { at, n } => {
                let i = point(&text, at);
                match text[i..].find(|c: char| c.is_ascii_digit()) {
                    Some(s) => {
                        let s = i + s;
                        let end =
                            text[s..].find(|c: char| !c.is_ascii_digit() && c != '.').map_or(text.len(), |e| s + e);
                        format!("{}{}{}", &text[..s], NUMBERS[n], &text[end..])
                    }
                    None => text.clone(),
                }
            }
            Edit::Bom => format!("\u{feff}{text}"),
            Edit::LineEnds { bare } => text.replace("\r\n", "\n").replace('\n', if bare { "\r" } else { "\r\n" }),
        };
    }
    text
}

/// Panics of crashes that are still open, so that the properties can go on
/// checking everything else meanwhile: (a file in the panic's backtrace, words
/// of its message). Each one's input is in `tests/fuzz-regressions/`, where
/// `regressions` keeps it; delete the entry with the fix.
const OPEN: [(&str, &str); 0] = [];

thread_local! {
    /// The open crash the last panic on this thread was, if it was one.
    static OPEN_PANIC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a check, letting a panic of an [`OPEN`] crash through (quietly);
/// any other panic fails the property, as it should.
fn outcome(check: impl FnOnce() -> Result<(), String> + std::panic::UnwindSafe) -> Result<(), String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let text = format!("{info}\n{}", std::backtrace::Backtrace::force_capture());
            let open = OPEN.iter().any(|(file, words)| text.contains(file) && text.contains(words));
            OPEN_PANIC.with(|p| p.set(open));
            if !open {
                default(info);
            }
        }));
    });
    OPEN_PANIC.with(|p| p.set(false));
    match std::panic::catch_unwind(check) {
        Ok(result) => result,
        Err(_) if OPEN_PANIC.with(std::cell::Cell::get) => Ok(()),
        Err(_) => Err("panicked (the message and backtrace are above)".to_string()),
    }
}

/// Rows of a seed file used as the starting point (small files are quick).
const ROWS: usize = 30;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn damaged_rosters_are_read_or_refused_clearly(case in 0..harness::ROSTER_CASES.len(), edits in edits()) {
        let file = damage(&harness::sample(harness::ROSTER_CASES[case].seed, ROWS), &edits);
        let outcome = outcome(|| harness::roster_case(case, file.as_bytes()));
        prop_assert!(outcome.is_ok(), "{}\nroster:\n{}", outcome.unwrap_err(), file);
    }

    #[test]
    fn damaged_actuals_are_tracked_or_refused_clearly(
        case in 0..harness::ACTUALS_CASES.len(),
        strict in any::<bool>(),
        as_of in 0usize..5,
        edits in edits(),
    ) {
        let file = damage(&harness::sample(harness::ACTUALS_CASES[case].seed, ROWS), &edits);
        let outcome = outcome(|| harness::actuals_case(case, strict, as_of, file.as_bytes()));
        prop_assert!(outcome.is_ok(), "{}\nactuals:\n{}", outcome.unwrap_err(), file);
    }

    #[test]
    fn damaged_baselines_are_read_or_refused_clearly(case in 0..harness::BASELINE_CASES.len(), edits in edits()) {
        let file = damage(&harness::sample(harness::BASELINE_CASES[case].seed, ROWS), &edits);
        let outcome = outcome(|| harness::baseline_case(case, file.as_bytes()));
        prop_assert!(outcome.is_ok(), "{}\nbaseline:\n{}", outcome.unwrap_err(), file);
    }

    #[test]
    fn damaged_holiday_calendars_are_read_or_refused_clearly(
        case in 0..harness::HOLIDAYS_CASES.len(),
        edits in edits(),
    ) {
        let file = damage(harness::HOLIDAYS_CASES[case].seed, &edits);
        let outcome = outcome(|| harness::holidays_case(case, file.as_bytes()));
        prop_assert!(outcome.is_ok(), "{}\nholidays:\n{}", outcome.unwrap_err(), file);
    }

    #[test]
    fn plans_damaged_line_by_line_are_run_or_refused_clearly(
        pick in 0..harness::EXAMPLE_PLANS.len(),
        edits in edits(),
    ) {
        let (name, text) = harness::EXAMPLE_PLANS[pick];
        let plan = damage(text, &edits);
        let outcome = outcome(|| harness::plan_text(name, &plan));
        prop_assert!(outcome.is_ok(), "{}\nplan:\n{}", outcome.unwrap_err(), plan);
    }
}

/// What the real binary does with the files `files` (written into a fresh
/// folder) when run with `args` there: a run to the end (exit 0), or a
/// refusal with exit 1, nothing on stdout, and every `error:` with a place
/// (`--> file` and, for a row, its line) and a `help:` line. Never exit 101
/// (a panic) or a signal.
fn judged_by_the_binary(files: &[(&str, &[u8])], args: &[&str]) -> Result<(), String> {
    let dir = tempfile::TempDir::new().map_err(|e| e.to_string())?;
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).map_err(|e| e.to_string())?;
    }
    let out = assert_cmd::Command::cargo_bin("salesplit")
        .map_err(|e| e.to_string())?
        .current_dir(dir.path())
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => Ok(()),
        Some(1) => {
            if !out.stdout.is_empty() {
                return Err(format!("exit 1 with output on stdout:\n{}", String::from_utf8_lossy(&out.stdout)));
            }
            if !stderr.starts_with("error[E") {
                return Err(format!("exit 1 without `error[E` first:\n{stderr}"));
            }
            // Each problem: from its `error[` to the next.
            for block in stderr.split("\nerror[").filter(|b| !b.trim().is_empty()) {
                let placed = block.lines().any(|l| l.trim_start().starts_with("--> "));
                let helped = block.lines().any(|l| l.trim_start().starts_with("= help: "));
                if !placed || !helped {
                    return Err(format!("a refusal without a place or a help line:\n{block}\n(all of it:\n{stderr})"));
                }
            }
            Ok(())
        }
        code => Err(format!("exit {code:?} (a panic or a signal):\n{stderr}")),
    }
}

/// The example files the plans of the fuzz cases name.
fn example(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)).expect("an example")
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn damaged_csv_files_through_the_binary_run_or_exit_1_with_a_place_and_a_help(
        kind in 0usize..4,
        case in 0usize..16,
        edits in edits(),
    ) {
        let (reps, people) = (example("company-reps.csv"), example("people-reps.csv"));
        let (plan, file, name, args): (&str, String, &str, Vec<&str>) = match kind {
            0 => {
                let c = harness::ROSTER_CASES[case % harness::ROSTER_CASES.len()];
                (c.plan, damage(&harness::sample(c.seed, ROWS), &edits), "reps.csv", vec!["validate", "plan.toml"])
            }
            1 => {
                let c = harness::ACTUALS_CASES[case % harness::ACTUALS_CASES.len()];
                let args = vec!["track", "plan.toml", "--actuals", "actuals.csv", "--as-of", "2026-06-30", "--format", "csv"];
                (c.plan, damage(&harness::sample(c.seed, ROWS), &edits), "actuals.csv", args)
            }
            2 => {
                let c = harness::BASELINE_CASES[case % harness::BASELINE_CASES.len()];
                let name = if c.plan.contains("sales-2025.csv") { "sales-2025.csv" } else { "b.csv" };
                (c.plan, damage(&harness::sample(c.seed, ROWS), &edits), name, vec!["validate", "plan.toml"])
            }
            _ => {
                let c = harness::HOLIDAYS_CASES[case % harness::HOLIDAYS_CASES.len()];
                (c.plan, damage(c.seed, &edits), "h.csv", vec!["validate", "plan.toml"])
            }
        };
        let files: [(&str, &[u8]); 4] = [
            ("plan.toml", plan.as_bytes()),
            ("company-reps.csv", &reps),
            ("people-reps.csv", &people),
            (name, file.as_bytes()),
        ];
        let outcome = judged_by_the_binary(&files, &args);
        prop_assert!(outcome.is_ok(), "{}\n{name}:\n{}", outcome.unwrap_err(), file);
    }
}

/// Every input the fuzzer found (`tests/fuzz-regressions/<target>/<name>`,
/// in that target's input layout) runs or is refused clearly.
#[test]
fn regressions() {
    use std::io::Write;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut failures = Vec::new();
    let mut count = 0;
    for target in harness::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else { continue };
        let mut files: Vec<_> = entries.map(|e| e.expect("a folder entry").path()).collect();
        files.sort();
        let check = harness::check(target).expect("a target");
        for file in files.iter().filter(|f| f.is_file()) {
            count += 1;
            // Named before it runs, past the test's output capture: a stack
            // overflow aborts the whole run before the list below is printed.
            let _ = writeln!(std::io::stderr(), "replaying {}", file.display());
            let data = std::fs::read(file).expect("read a regression input");
            let outcome = std::panic::catch_unwind(|| check(&data));
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(message)) => failures.push(format!("{}: {message}", file.display())),
                Err(panic) => {
                    let why = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(std::string::ToString::to_string))
                        .unwrap_or_default();
                    failures.push(format!("{}: panicked: {why}", file.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {count} fuzz regressions fail:\n{}", failures.len(), failures.join("\n"));
}
