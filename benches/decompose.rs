//! Throughput of `salesplit decompose` through the library, in cells per second.
//!
//! Plans come from the same generator as `cargo run --example generate`
//! (included below), written to a temporary folder:
//!
//! * `small_5_regions_month`: 5 regions by month (60 cells);
//! * `day_200x3`: 10 regions, 200 salespeople x 3 products, by day (219,000 cells);
//! * `day_2000x3`: the same with 2,000 salespeople (2,190,000 cells).
//!
//! For each plan: `end_to_end_csv` reads the plan and roster, builds the
//! engine and writes CSV to `io::sink()` (what the CLI does, minus the file);
//! the large plans also time `run_csv`, `run_json` and `run_count` (a sink
//! that only counts, i.e. the cascade alone) on an engine built once, and
//! `prepare/<plan>/read+engine_new` (read + `Engine::new`, no cells).
//!
//! `wide_split/50000_skus_by_year` reads a plan of one split of 50,000 SKUs
//! written inline (a retailer's product list, about 700 KB on one line),
//! builds the engine and writes CSV by SKU and year: 50,000 cells, where
//! the cost is the plan and the org tree, not the cells (71 s and 24 GB
//! before each member stopped keeping its whole line; now well under 1 s).
//!
//! `track/200x3_1M_rows` reads a generated file of a million sales against
//! the 200-salesperson plan and reports by region and month.
//!
//! ```text
//! cargo bench --bench decompose                  # everything, a few minutes on 2 cores
//! cargo bench --bench decompose -- day_200x3     # one plan
//! ```

#[path = "../examples/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use salesplit::engine::{Cell, CellSink, Engine, Header, Value};
use salesplit::plan::Plan;
use salesplit::render::{CsvSink, JsonSink, JsonlSink};

use generate::Spec;

/// Counts cells and drops them.
#[derive(Default)]
struct CountingSink {
    cells: u64,
}

impl CellSink for CountingSink {
    fn begin(&mut self, _header: &Header) -> std::io::Result<()> {
        Ok(())
    }

    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        std::hint::black_box(cell);
        self.cells += 1;
        Ok(())
    }

    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        std::hint::black_box(totals);
        Ok(())
    }
}

/// A plan written to disk, and how many cells its default breakdown has.
struct Case {
    name: &'static str,
    path: PathBuf,
    cells: u64,
}

fn case(root: &Path, name: &'static str, spec: &Spec) -> Case {
    let path = generate::write_plan(&root.join(name), spec).expect("write the generated plan");
    let plan = Plan::read(&path).unwrap_or_else(|e| panic!("generated plan {name} is invalid: {e}"));
    let engine = Engine::new(&plan).unwrap_or_else(|e| panic!("generated plan {name} does not run: {e}"));
    let request = engine.request(None, None).expect("default breakdown");
    let mut counter = CountingSink::default();
    engine.run(&request, &mut counter).expect("counting never fails");
    assert_eq!(counter.cells, spec.cells() as u64, "{name}: cells counted vs. expected");
    Case { name, path, cells: counter.cells }
}

/// Read, prepare and write CSV to nowhere: what `decompose --format csv` does.
fn end_to_end_csv(path: &Path) -> u64 {
    let plan = Plan::read(path).expect("valid plan");
    let engine = Engine::new(&plan).expect("runnable plan");
    let request = engine.request(None, None).expect("default breakdown");
    let mut sink = CsvSink::new(std::io::sink());
    engine.run(&request, &mut sink).expect("io::sink never fails");
    plan.splits.len() as u64
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let small = Spec { reps: 0, products: 0, regions: 5, level: "month".into(), ..Spec::default() };
    let mid = Spec { reps: 200, products: 3, regions: 10, ..Spec::default() };
    let large = Spec { reps: 2000, ..mid.clone() };
    let cases = [
        case(dir.path(), "small_5_regions_month", &small),
        case(dir.path(), "day_200x3", &mid),
        case(dir.path(), "day_2000x3", &large),
    ];

    for case in &cases {
        let big = case.cells > 1_000_000;
        let mut group = c.benchmark_group(format!("decompose/{}", case.name));
        group.sample_size(10).warm_up_time(Duration::from_secs(1));
        if case.cells > 1000 {
            // Each iteration takes long enough: time equal batches, not a ramp.
            group.sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(if big { 8 } else { 3 }));
        } else {
            group.measurement_time(Duration::from_secs(2));
        }

        group.throughput(Throughput::Elements(case.cells));
        group.bench_with_input(BenchmarkId::from_parameter("end_to_end_csv"), &case.path, |b, path| {
            b.iter(|| end_to_end_csv(path));
        });
        if case.cells <= 1000 {
            group.finish();
            continue;
        }

        let plan = Plan::read(&case.path).expect("valid plan");
        let mut engine = Engine::new(&plan).expect("runnable plan");
        let request = engine.request(None, None).expect("default breakdown");
        if big {
            // Cells per second at 1, 2 and all threads (the same bytes on each).
            let all = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
            let mut counts = vec![1, 2, all];
            counts.sort_unstable();
            counts.dedup();
            for threads in counts {
                engine.set_threads(threads);
                group.bench_function(format!("run_csv_{threads}_threads"), |b| {
                    b.iter(|| {
                        let mut sink = CsvSink::new(std::io::sink());
                        engine.run(&request, &mut sink).expect("io::sink never fails");
                    });
                });
            }
            engine.set_threads(all);
        }
        let engine = engine;
        group.bench_function("run_csv", |b| {
            b.iter(|| {
                let mut sink = CsvSink::new(std::io::sink());
                engine.run(&request, &mut sink).expect("io::sink never fails");
            });
        });
        group.bench_function("run_json", |b| {
            b.iter(|| {
                let mut sink = JsonSink::new(std::io::sink());
                engine.run(&request, &mut sink).expect("io::sink never fails");
            });
        });
        group.bench_function("run_jsonl", |b| {
            b.iter(|| {
                let mut sink = JsonlSink::new(std::io::sink());
                engine.run(&request, &mut sink).expect("io::sink never fails");
            });
        });
        group.bench_function("run_count", |b| {
            b.iter(|| {
                let mut sink = CountingSink::default();
                engine.run(&request, &mut sink).expect("counting never fails");
                sink.cells
            });
        });

        group.finish();

        // Reading the plan and sharing the org tree: no cells, so no throughput.
        let mut group = c.benchmark_group(format!("prepare/{}", case.name));
        group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(2));
        group.bench_function("read+engine_new", |b| {
            b.iter(|| {
                let plan = Plan::read(&case.path).expect("valid plan");
                let engine = Engine::new(&plan).expect("runnable plan");
                std::hint::black_box(engine.calendar().level(salesplit::calendar::Level::Day).len())
            });
        });
        group.finish();
    }
}

/// `track` of the 200-salesperson plan against a generated transaction
/// file of one million rows (reading, summing and reporting by region and
/// month), in rows per second. The README gives the command for ten million.
fn track(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let spec =
        Spec { reps: 200, products: 3, regions: 10, level: "month".into(), transactions: 1_000_000, ..Spec::default() };
    let path = generate::write_plan(dir.path(), &spec).expect("write the generated plan");
    let (sales, _) = generate::write_transactions(dir.path(), &spec).expect("write the transactions");
    let plan = Plan::read(&path).expect("valid plan");
    let engine = Engine::new(&plan).expect("runnable plan");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("a date");
    let mut group = c.benchmark_group("track/200x3_1M_rows");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(spec.transactions as u64));
    group.bench_function("report_by_region_month", |b| {
        b.iter(|| {
            let file = std::fs::File::open(&sales).expect("the transactions");
            let tracker = salesplit::track::Tracker::new(&engine, file, "sales.csv", false).expect("valid actuals");
            let request = tracker.request(Some("region,month"), None, as_of).expect("breakdown");
            let mut sink = CsvSink::new(std::io::sink());
            tracker.report(&request, as_of, plan.track.tolerance, &mut sink).expect("io::sink never fails")
        });
    });
    group.finish();
}

/// A plan of one split of `n` SKUs written inline, weights 1 to 7.
fn wide_plan(n: usize) -> String {
    let weights: Vec<String> = (0..n).map(|i| format!("SKU{i} = {}", 1 + i % 7)).collect();
    format!(
        "[plan]\nyear = 2026\n\n[target]\nsales = 100_000_000\n\n[[split]]\nby = \"sku\"\nweights = {{ {} }}\n",
        weights.join(", ")
    )
}

/// Read, prepare and write CSV by SKU and year of a split of 50,000 members.
fn wide_split(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("skus.toml");
    std::fs::write(&path, wide_plan(50_000)).expect("write the plan");
    let mut group = c.benchmark_group("wide_split");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(50_000));
    group.bench_function("50000_skus_by_year", |b| {
        b.iter(|| {
            let plan = Plan::read(&path).expect("valid plan");
            let engine = Engine::new(&plan).expect("runnable plan");
            let request = engine.request(Some("sku,year"), None).expect("breakdown");
            let mut sink = CsvSink::new(std::io::sink());
            engine.run(&request, &mut sink).expect("io::sink never fails");
        });
    });
    group.finish();
}

/// What `validate` does with a roster of 1,000,000 salespeople under 10
/// regions, by year: read the plan and its roster, build the engine, review.
fn million_row_roster(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let spec = Spec { reps: 1_000_000, products: 0, regions: 10, level: "year".into(), ..Spec::default() };
    let path = generate::write_plan(dir.path(), &spec).expect("write the generated plan");
    let mut group = c.benchmark_group("roster");
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(1_000_000));
    group.bench_function("validate_1M_rows", |b| {
        b.iter(|| {
            let plan = Plan::read(&path).expect("valid plan");
            let engine = Engine::new(&plan).expect("runnable plan");
            std::hint::black_box(engine.review().len())
        });
    });
    group.finish();
}

criterion_group!(decompose, benches, wide_split, track, million_row_roster);
criterion_main!(decompose);
