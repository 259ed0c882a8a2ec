//! The checks behind salesplit's fuzz targets, shared with the normal test
//! suite (`tests/fuzz_properties.rs` includes this file as a module), so a
//! crash found by `cargo fuzz` replays exactly the same way under `cargo test`.
//!
//! Every check feeds one input to the library and returns `Ok(())` when the
//! outcome is acceptable: the input ran to the end, or it was refused with an
//! error whose message starts with `error[E`. A refusal worded otherwise is
//! returned as `Err(message)`; a panic is left to propagate (that is what the
//! fuzzer and the tests look for).
//!
//! Input layouts (the files in `tests/fuzz-regressions/<target>/` use them):
//!
//! * `plan`: the bytes are the plan text (read from a folder that holds
//!   copies of the example rosters and sales files, so a plan may name them).
//! * `roster`, `actuals`, `baseline`, `holidays`: the first byte picks one of
//!   the target's fixed plans (`byte % count`; for `actuals` the higher bits
//!   also pick `strict` and the as-of date); the rest is the file's bytes.

use std::cell::RefCell;
use std::path::PathBuf;

use chrono::NaiveDate;
use salesplit::engine::{Cell, CellSink, Engine, Header, Value};
use salesplit::plan::{Carry, Plan};
use salesplit::track::Tracker;

/// Breakdowns with more cells than this are not run (a valid plan of a
/// million salespeople by day is not a bug, only slow).
pub const MAX_CELLS: u64 = 100_000;

/// One fixed plan of a file target, with the file it names and a seed for it.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// A short name, for messages and seed file names.
    pub name: &'static str,
    /// The plan text.
    pub plan: &'static str,
    /// A valid file for the plan (a seed to mutate).
    pub seed: &'static str,
}

const COMPANY: &str = include_str!("../../examples/company.toml");
const COMPANY_REPS: &str = include_str!("../../examples/company-reps.csv");
const COMPANY_SALES: &str = include_str!("../../examples/company-sales.csv");
const PEOPLE: &str = include_str!("../../examples/people.toml");
const PEOPLE_REPS: &str = include_str!("../../examples/people-reps.csv");
const REGIONS: &str = include_str!("../../examples/regions.toml");
const SHOP_HOURS: &str = include_str!("../../examples/shop-hours.toml");
const FISCAL: &str = include_str!("../../examples/fiscal.toml");
const RETAIL: &str = include_str!("../../examples/retail-445.toml");
const EVEN: &str = include_str!("../../examples/even-year.toml");
const HISTORY: &str = include_str!("../../examples/history.toml");
const SALES_2025: &str = include_str!("../../examples/sales-2025.csv");

/// Every example plan, by file name (the `plan` target's seeds).
pub const EXAMPLE_PLANS: [(&str, &str); 14] = [
    ("areas.toml", include_str!("../../examples/areas.toml")),
    ("cn-workdays.toml", include_str!("../../examples/cn-workdays.toml")),
    ("company.toml", COMPANY),
    ("even-year.toml", EVEN),
    ("fiscal.toml", FISCAL),
    ("funnel.toml", include_str!("../../examples/funnel.toml")),
    ("history.toml", HISTORY),
    ("metrics.toml", include_str!("../../examples/metrics.toml")),
    ("people.toml", PEOPLE),
    ("regions.toml", REGIONS),
    ("retail-445.toml", RETAIL),
    ("shop-hours.toml", SHOP_HOURS),
    ("shop-week.toml", include_str!("../../examples/shop-week.toml")),
    ("sources.toml", include_str!("../../examples/sources.toml")),
];

/// Files the `plan` target's folder holds, so that plans may name them.
const PLAN_FOLDER: [(&str, &str); 7] = [
    ("company-reps.csv", COMPANY_REPS),
    ("people-reps.csv", PEOPLE_REPS),
    ("sales-2025.csv", SALES_2025),
    ("reps.csv", COMPANY_REPS),
    ("b.csv", SALES_2025),
    ("h.csv", HOLIDAYS_SEED),
    ("our-days.csv", HOLIDAYS_SEED),
];

const HOLIDAYS_SEED: &str = "date,name,is_off_day\n2026-03-02,stocktake,true\n2026-03-08,fair,false\n\
2026-10-01,National Day,true\n2026-10-10,make-up,false\n";

/// A small baseline: two regions and two products, one row per quarter.
const SMALL_BASELINE: &str = "date,region,product,sales\n2025-01-10,East,A,600\n2025-04-10,East,B,400\n\
2025-07-10,West,A,\"1,000.00\"\n2025-10-10,West,A,1000\n2024-12-31,East,A,99999\n";

/// The `roster` target's plans: each names `reps.csv`.
pub const ROSTER_CASES: [Case; 3] = [
    Case {
        name: "company",
        plan: "[plan]\nname = \"r\"\ncurrency = \"CNY\"\nyear = 2026\nprecision = \"0.01\"\n\n[target]\n\
sales = 10_000_000\n\n[time]\nspread = \"workdays\"\nlevel = \"month\"\n\n[[split]]\nby = \"region\"\n\
weights = { \"东北\" = 150, \"华北\" = 200, \"华东\" = 300, \"华南\" = 250, \"华中\" = 100 }\n\n[[split]]\n\
by = \"product\"\nweights = { A = \"30%\", B = \"40%\", C = \"30%\" }\n[split.within.\"华东\"]\n\
weights = { A = \"50%\", B = \"30%\", C = \"20%\" }\n\n[[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n",
        seed: COMPANY_REPS,
    },
    Case {
        name: "people",
        plan: "[plan]\nname = \"p\"\ncurrency = \"CNY\"\nyear = 2026\n\n[target]\nsales = 6_000_000\n\n\
[time]\nlevel = \"month\"\n\n[[split]]\nby = \"region\"\nweights = { \"华东\" = 1 }\n\n[[split]]\n\
by = \"salesperson\"\nroster = \"reps.csv\"\nvacancy = \"show\"\nover_assign = \"10%\"\n",
        seed: PEOPLE_REPS,
    },
    Case {
        name: "alone",
        plan: "[plan]\nname = \"a\"\nyear = 2026\nprecision = \"1\"\n\n[target]\nsales = 1_000_000\n\n\
[time]\nspread = \"days\"\nlevel = \"quarter\"\n\n[[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n",
        seed: "name,weight,start,end,ramp,max,min\n张伟,1.2,,,,\"500,000\",\n李娜,1,2026-05-18,,25%|50%|75%,,\n\
王芳,0.4,,2026-08-31,,,\n刘洋,1,,,,,100000\n",
    },
];

/// The `actuals` target's plans (examples; the seed is a valid actuals file).
pub const ACTUALS_CASES: [Case; 7] = [
    Case { name: "company", plan: COMPANY, seed: COMPANY_SALES },
    Case {
        name: "regions",
        plan: REGIONS,
        seed:
            "date,region,product,channel,sales\n2026-01-05,华东,A,online,1200.50\n2026-01-06,华东,B,offline,\"1,000\"\n\
2026/02/01 10:30,东北,C,partner,-20\n2026-03-01,北极,A,online,5\n2026-12-31,华中,A,online,0\n",
    },
    Case {
        name: "people",
        plan: PEOPLE,
        seed: "date,region,salesperson,sales\n2026-01-05,华东,张伟,1200\n2026-06-01,华东,李娜,300\n\
2026-09-01,华东,王芳,10\n2026-03-03,华东,(vacant),7\n",
    },
    Case {
        name: "shop-hours",
        plan: SHOP_HOURS,
        seed: "date,sales\n2026-01-01,9000\n2026-01-02,10100\n2026-11-11,50000\n2026-12-31,1\n",
    },
    Case {
        name: "fiscal",
        plan: FISCAL,
        seed: "date,account,sales\n2026-04-01,Key account,100000\n2026-05-01,Enterprise,2500\n\
2027-03-31,Small business,100\n2026-03-31,Mid-market,1\n",
    },
    Case {
        name: "retail-445",
        plan: RETAIL,
        seed: "date,store,sales\n2023-01-29,Downtown,1000\n2023-06-01,Mall,200\n2024-02-03,Airport,3\n",
    },
    Case { name: "even-year", plan: EVEN, seed: "date,sales\n2026-01-01,1\n2026-07-01,2.5\n" },
];

/// The `baseline` target's plans: each names `b.csv` as its baseline.
pub const BASELINE_CASES: [Case; 4] = [
    Case { name: "history", plan: HISTORY, seed: SALES_2025 },
    Case {
        name: "year-growth",
        plan: "[plan]\nname = \"h\"\nyear = 2026\n\n[target.sales]\nbaseline = \"b.csv\"\ngrowth = \"15%\"\n",
        seed: SMALL_BASELINE,
    },
    Case {
        name: "member-growth",
        plan: "[plan]\nname = \"h\"\nyear = 2026\n\n[target.sales]\nbaseline = \"b.csv\"\ngrowth = \"10%\"\n\n\
[time]\nmonths = \"history\"\nlevel = \"month\"\n\n[[split]]\nby = \"region\"\nweights = \"history\"\n\
fixed = { North = 500 }\n[split.growth]\nEast = \"20%\"\n\n[[split]]\nby = \"product\"\nweights = \"history\"\n\
[split.within.North]\nweights = { A = 1, B = 3 }\n",
        seed: SMALL_BASELINE,
    },
    Case {
        name: "fiscal",
        plan: "[plan]\nname = \"f\"\nyear = 2025\nstart = \"2025-04-01\"\nprecision = \"1\"\n\n[target.sales]\n\
baseline = \"b.csv\"\ngrowth = { Q1 = \"10%\", Q2 = \"-5%\", Q3 = \"0%\", Q4 = \"200%\" }\n\n[time]\n\
quarters = [1, 1, 1, 1]\nlevel = \"quarter\"\n\n[[split]]\nby = \"region\"\nweights = \"history\"\n",
        seed: SALES_2025,
    },
];

/// The `holidays` target's plans: each names `h.csv` as a holiday calendar.
pub const HOLIDAYS_CASES: [Case; 2] = [
    Case {
        name: "with-cn",
        plan: "[plan]\nyear = 2026\nprecision = \"1\"\n\n[target]\nsales = 2_480_000\n\n[time]\n\
spread = \"workdays\"\nholidays = [\"cn-2026\", \"h.csv\"]\nlevel = \"day\"\n",
        seed: HOLIDAYS_SEED,
    },
    Case {
        name: "six-days",
        plan: "[plan]\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 270_000\n[time]\nspread = \"workdays\"\n\
workweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\nholidays = [\"h.csv\"]\nlevel = \"week\"\n",
        seed: HOLIDAYS_SEED,
    },
];

/// The as-of dates the `actuals` target picks from.
const AS_OF: [(i32, u32, u32); 5] = [(2026, 1, 1), (2026, 6, 15), (2026, 12, 31), (2025, 6, 1), (2027, 3, 31)];

/// "Today", for relative `--period`s: fixed, so runs are repeatable.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).expect("a date")
}

/// A sink that throws cells away (touching their values).
struct Discard;

impl CellSink for Discard {
    fn begin(&mut self, _: &Header) -> std::io::Result<()> {
        Ok(())
    }
    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        std::hint::black_box(cell.values.iter().filter_map(Value::amount).count());
        Ok(())
    }
    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        std::hint::black_box(totals.len());
        Ok(())
    }
}

/// The outcome of a run: a refusal must read `error[E....]: ...` (formatting it
/// must not panic either).
fn judge(outcome: salesplit::Result<()>) -> Result<(), String> {
    match outcome {
        Ok(()) => Ok(()),
        Err(e) => {
            let message = e.to_string();
            if message.starts_with("error[E") {
                Ok(())
            } else {
                Err(format!("a refusal that does not start with `error[E`:\n{message}"))
            }
        }
    }
}

thread_local! {
    /// This thread's folder for the files plans name (tests run on several
    /// threads at once; the fuzzer uses one).
    static FOLDER: RefCell<Option<tempfile::TempDir>> = const { RefCell::new(None) };
}

/// This thread's folder, made on first use with the `plan` target's files.
fn folder() -> PathBuf {
    FOLDER.with(|f| {
        let mut f = f.borrow_mut();
        if f.is_none() {
            let dir = tempfile::Builder::new().prefix("salesplit-fuzz-").tempdir().expect("a temporary folder");
            for (name, text) in PLAN_FOLDER {
                std::fs::write(dir.path().join(name), text).expect("write a seed file");
            }
            *f = Some(dir);
        }
        f.as_ref().expect("made above").path().to_path_buf()
    })
}

/// Builds the engine of a parsed plan and runs a few breakdowns that are not
/// too large, formatting every warning on the way.
fn run_plan(plan: &Plan) -> salesplit::Result<()> {
    let engine = Engine::new(plan)?;
    for w in engine.warnings() {
        std::hint::black_box(w.to_string());
    }
    for by in [None, Some("year"), Some("week")] {
        let request = engine.request_on(by, None, today())?;
        if engine.cell_count(&request) <= MAX_CELLS {
            engine.run(&request, &mut Discard).expect("a discarding sink never fails");
        }
    }
    Ok(())
}

/// The `plan` target: `data` as plan text.
pub fn plan(data: &[u8]) -> Result<(), String> {
    // `Plan::read` refuses text that is not UTF-8 before parsing.
    let Ok(text) = std::str::from_utf8(data) else { return Ok(()) };
    plan_text("plan.toml", text)
}

/// Parses `text` as a plan named `name` in this thread's folder and runs it.
pub fn plan_text(name: &str, text: &str) -> Result<(), String> {
    let base = folder();
    judge(Plan::parse(name, text, &base).and_then(|plan| run_plan(&plan)))
}

/// Writes `file` as `name` in this thread's folder, then reads and runs `plan`.
fn plan_with_file(plan: &str, name: &'static str, file: &[u8]) -> Result<(), String> {
    /// Puts the `plan` target's copy of a file back, even after a panic, so
    /// that every input of every target sees the same folder.
    struct Restore(PathBuf, &'static str);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some((_, text)) = PLAN_FOLDER.iter().find(|(n, _)| *n == self.1) {
                let _ = std::fs::write(&self.0, text);
            }
        }
    }
    let path = folder().join(name);
    std::fs::write(&path, file).expect("write the fuzzed file");
    let _restore = Restore(path, name);
    plan_text("plan.toml", plan)
}

/// Makes this thread's folder and engines before the first input, so that
/// the fuzzer's leak check does not take them for leaks of one input.
pub fn init() {
    folder();
    ENGINES.with(|engines| std::hint::black_box(engines.len()));
}

/// Splits an input into its case (by the first byte) and the file.
fn pick<'a>(cases: &[Case], data: &'a [u8]) -> Option<(usize, &'a [u8])> {
    let (&first, rest) = data.split_first()?;
    Some((first as usize % cases.len(), rest))
}

/// The `roster` target: a fixed plan naming `reps.csv`, and `reps.csv`.
pub fn roster(data: &[u8]) -> Result<(), String> {
    let Some((case, file)) = pick(&ROSTER_CASES, data) else { return Ok(()) };
    roster_case(case, file)
}

/// [`ROSTER_CASES`]`[case]` with `file` as its roster.
pub fn roster_case(case: usize, file: &[u8]) -> Result<(), String> {
    plan_with_file(ROSTER_CASES[case].plan, "reps.csv", file)
}

/// The `baseline` target: a fixed plan naming `b.csv` as its baseline, and `b.csv`.
pub fn baseline(data: &[u8]) -> Result<(), String> {
    let Some((case, file)) = pick(&BASELINE_CASES, data) else { return Ok(()) };
    baseline_case(case, file)
}

/// [`BASELINE_CASES`]`[case]` with `file` as its baseline.
pub fn baseline_case(case: usize, file: &[u8]) -> Result<(), String> {
    let plan = BASELINE_CASES[case].plan.replace("sales-2025.csv", "b.csv");
    plan_with_file(&plan, "b.csv", file)
}

/// The `holidays` target: a fixed plan naming `h.csv` as a holiday calendar, and `h.csv`.
pub fn holidays(data: &[u8]) -> Result<(), String> {
    let Some((case, file)) = pick(&HOLIDAYS_CASES, data) else { return Ok(()) };
    holidays_case(case, file)
}

/// [`HOLIDAYS_CASES`]`[case]` with `file` as its holiday calendar.
pub fn holidays_case(case: usize, file: &[u8]) -> Result<(), String> {
    plan_with_file(HOLIDAYS_CASES[case].plan, "h.csv", file)
}

thread_local! {
    /// The `actuals` target's engines, built once per thread (their plans
    /// leaked so that the engines can live as long as the thread).
    static ENGINES: Vec<Engine<'static>> = ACTUALS_CASES
        .iter()
        .map(|case| {
            let plan = Plan::parse(case.name, case.plan, &folder()).expect("the example plans parse");
            let plan: &'static Plan = Box::leak(Box::new(plan));
            Engine::new(plan).expect("the example plans run")
        })
        .collect();
}

/// The `actuals` target: the first byte picks the plan (`% 7`), `strict`
/// (bit of `/ 7`) and the as-of date (`/ 14 % 5`); the rest is the actuals CSV.
pub fn actuals(data: &[u8]) -> Result<(), String> {
    let Some((&first, file)) = data.split_first() else { return Ok(()) };
    let n = ACTUALS_CASES.len();
    let (case, strict, as_of) =
        (first as usize % n, (first as usize / n) % 2 == 1, (first as usize / n / 2) % AS_OF.len());
    actuals_case(case, strict, as_of, file)
}

/// [`ACTUALS_CASES`]`[case]` tracked against `file`, as of `AS_OF[as_of]`.
pub fn actuals_case(case: usize, strict: bool, as_of: usize, file: &[u8]) -> Result<(), String> {
    let (y, m, d) = AS_OF[as_of];
    let as_of = NaiveDate::from_ymd_opt(y, m, d).expect("a date");
    ENGINES.with(|engines| {
        let engine = &engines[case];
        let plan = engine.plan();
        judge((|| {
            let tracker = Tracker::new(engine, file, "actuals.csv", strict)?;
            for w in tracker.warnings().iter().chain(tracker.after(as_of).as_ref()) {
                std::hint::black_box(w.to_string());
            }
            let request = tracker.request(None, None, today())?;
            if engine.cell_count(&request) <= MAX_CELLS {
                tracker.report(&request, as_of, plan.track.tolerance, &mut Discard).expect("never fails");
                for carry in [Carry::Shortfall, Carry::Both] {
                    for w in tracker.replan(&request, as_of, carry, &mut Discard).expect("never fails") {
                        std::hint::black_box(w.to_string());
                    }
                }
            }
            Ok(())
        })())
    })
}

/// `text`'s first line and `rows` of its other lines, evenly spaced (so a
/// year of sales keeps every month): small seeds mutate faster.
pub fn sample(text: &str, rows: usize) -> String {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    let step = rest.len().div_ceil(rows.max(1)).max(1);
    let mut out = String::from(header);
    out.push('\n');
    for line in rest.iter().step_by(step) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The seed inputs of `target` (in its input layout), with names.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let with_byte = |i: usize, case: &Case| {
        let mut bytes = vec![i as u8];
        bytes.extend_from_slice(sample(case.seed, 60).as_bytes());
        (format!("{}-{}", i, case.name), bytes)
    };
    let cases = |cases: &[Case]| cases.iter().enumerate().map(|(i, c)| with_byte(i, c)).collect();
    match target {
        "plan" => EXAMPLE_PLANS
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .chain(ROSTER_CASES.iter().map(|c| (format!("roster-{}", c.name), c.plan.as_bytes().to_vec())))
            .chain(BASELINE_CASES.iter().map(|c| (format!("baseline-{}", c.name), c.plan.as_bytes().to_vec())))
            .chain(HOLIDAYS_CASES.iter().map(|c| (format!("holidays-{}", c.name), c.plan.as_bytes().to_vec())))
            .collect(),
        "roster" => cases(&ROSTER_CASES),
        "actuals" => cases(&ACTUALS_CASES),
        "baseline" => cases(&BASELINE_CASES),
        "holidays" => cases(&HOLIDAYS_CASES),
        _ => Vec::new(),
    }
}

/// A target's check: `Ok(())` for an acceptable outcome, else why not.
pub type Check = fn(&[u8]) -> Result<(), String>;

/// The check of `target` (`plan`, `roster`, `actuals`, `baseline`, `holidays`).
pub fn check(target: &str) -> Option<Check> {
    Some(match target {
        "plan" => plan,
        "roster" => roster,
        "actuals" => actuals,
        "baseline" => baseline,
        "holidays" => holidays,
        _ => return None,
    })
}

/// Every target's name.
pub const TARGETS: [&str; 5] = ["plan", "roster", "actuals", "baseline", "holidays"];
