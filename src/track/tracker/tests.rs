use super::*;
use crate::engine::Header;
use crate::plan::{Carry, Plan};

/// Writes everything it is given as text, to compare runs.
#[derive(Default)]
struct Record(String);

impl CellSink for Record {
    fn begin(&mut self, header: &Header) -> std::io::Result<()> {
        self.0 += &format!("{header:?}\n");
        Ok(())
    }
    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.0 += &format!("{:?} {} {:?}\n", cell.members, cell.period.label, cell.values);
        Ok(())
    }
    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        self.0 += &format!("{totals:?}\n");
        Ok(())
    }
}

/// The engine of `plan` on `threads` threads.
fn engine_on(plan: &Plan, threads: usize) -> Engine<'_> {
    let mut engine = Engine::new(plan).unwrap();
    engine.set_threads(threads);
    engine
}

/// 5 regions x 6 products x 5 channels: 150 nodes, more than one
/// chunk of re-planning.
const PLAN: &str = r#"
[plan]
name = "threads"
currency = "CNY"
year = 2026
precision = "0.01"

[target]
sales = 12_345_678.91

[time]
spread = "workdays"
level = "month"

[[split]]
by = "region"
weights = { N = 3, S = 2, E = 5, W = 1, C = 4 }

[[split]]
by = "product"
weights = { A = 1, B = 2, C = 3, D = 1.5, E = 0.5, F = 1 }

[[split]]
by = "channel"
weights = { web = 2, shop = 3, phone = 1, partner = 0.7, event = 0.3 }
"#;

/// Sales on every day up to mid-October, some finer than the plan, some
/// returns, a member the plan does not have and a day outside the year.
fn sales() -> String {
    let mut text = String::from("channel,date,region,product,sales\r\n");
    let (regions, products, channels) = (["N", "S", "E", "W", "C"], ["A", "B", "C", "D", "E", "F"], ["web", "shop"]);
    let mut seed = 7u64;
    for i in 0..6_000u64 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let r = (seed >> 33) as usize;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new((r % 290) as u64);
        let amount = match i % 13 {
            0 => format!("-{}.{:03}", r % 50, r % 1000),
            1 => "\"1,234.5\"".to_string(),
            _ => format!("{}.{:02}", r % 900, r % 100),
        };
        let channel = if i % 997 == 0 { "fax" } else { channels[r % 2] };
        let (region, product) = (regions[r % 5], products[(r / 5) % 6]);
        text += &format!("{channel},{day},{region},{product},{amount}\r\n");
    }
    text + "web,2025-12-31,N,A,5\r\n"
}

/// The reports and re-plans of `tracker`, as text, for comparing runs.
fn reports(tracker: &Tracker<'_, '_>) -> String {
    let mut out = format!("{:?}\n", tracker.warnings());
    for by in [None, Some("region,month"), Some("channel,week"), Some("product,day")] {
        out += &reports_by(tracker, by, true);
    }
    out
}

/// The reports of `tracker` by `by` at three as-of dates, and with
/// `replan` its re-plans under each carry, as text.
fn reports_by(tracker: &Tracker<'_, '_>, by: Option<&str>, replan: bool) -> String {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
    let request = tracker.request(by, None, today).unwrap();
    let mut out = String::new();
    for as_of in ["2026-01-01", "2026-06-30", "2026-12-31"] {
        let as_of: NaiveDate = as_of.parse().unwrap();
        let mut sink = Record::default();
        let summary = tracker.report(&request, as_of, Decimal::new(5, 2), &mut sink).unwrap();
        out += &format!("{}{summary:?}\n{:?}\n", sink.0, tracker.after(as_of));
        for carry in [Carry::Shortfall, Carry::Both, Carry::None].into_iter().filter(|_| replan) {
            let mut sink = Record::default();
            let lost = tracker.replan(&request, as_of, carry, &mut sink).unwrap();
            out += &format!("{}{lost:?}\n", sink.0);
        }
    }
    out
}

/// The lines of `text` that `keep` keeps, each ended by a line feed.
fn lines_where(text: &str, keep: impl Fn(&str) -> bool) -> String {
    text.lines().filter(|l| keep(l)).map(|l| l.to_string() + "\n").collect()
}

/// A tracker of the file at `path` on `threads` threads, `on_disk` saying
/// how it is read (`None`: as a stream, in one piece).
fn track_file<'e, 'p>(
    engine: &'e Engine<'p>,
    path: &std::path::Path,
    on_disk: Option<OnDisk<'_>>,
    threads: usize,
) -> Tracker<'e, 'p> {
    let input = std::fs::File::open(path).unwrap();
    let metric = TrackedMetric::choose(engine.plan(), None).unwrap();
    let read_as = crate::plan::ReadAs::default();
    Tracker::with_threads(engine, metric, (input, &read_as, on_disk), "sales.csv", false, threads).unwrap()
}

#[test]
fn a_file_read_in_parts_gives_the_reports_of_one_read_in_one_piece() {
    let plan = Plan::parse("plan.toml", PLAN, std::path::Path::new(".")).unwrap();
    // Three parts, whatever this machine has (one thread fewer than the
    // engine's read while the targets take them all).
    let engine = engine_on(&plan, 4);
    // What splits exactly: planned members only, no quotes, cents at most.
    let clean = lines_where(&sales(), |l| {
        !l.contains('"') && !l.starts_with("fax") && l.rsplit(',').next().is_some_and(|a| !a.contains('-'))
    });
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &clean).unwrap();
    let read = |split: Option<(&std::path::Path, u64)>, threads: usize| {
        let on_disk = split.map(|(path, split_from)| OnDisk { path, split_from, reported: usize::MAX });
        reports(&track_file(&engine, file.path(), on_disk, threads))
    };
    let whole = read(None, 1);
    assert!(!whole.contains("(unplanned)") && clean.lines().count() > 1_000, "{}", &whole[..200]);
    // A threshold of 0 splits even this small file, in three parts.
    assert_eq!(read(Some((file.path(), 0)), 2), whole, "in parts");
    // Above the threshold it is read in one piece: the same again.
    assert_eq!(read(Some((file.path(), u64::MAX)), 2), whole, "in one piece");
}

#[test]
fn one_thread_and_two_give_the_same_bytes() {
    let plan = Plan::parse("plan.toml", PLAN, std::path::Path::new(".")).unwrap();
    let engine = Engine::new(&plan).unwrap();
    let sales = sales();
    let runs: Vec<String> = [1, 2]
        .iter()
        .map(|&threads| {
            let tracker = Tracker::with_threads(
                &engine,
                TrackedMetric::choose(&plan, None).unwrap(),
                (sales.as_bytes(), &crate::plan::ReadAs::default(), None),
                "sales.csv",
                false,
                threads,
            )
            .unwrap();
            reports(&tracker)
        })
        .collect();
    // The runs have what makes them interesting: unplanned members, amounts finer than the plan.
    let finer = |a: &str| a.split(')').next().and_then(|n| n.split_once('.')).is_some_and(|(_, d)| d.len() == 3);
    assert!(runs[0].contains("(unplanned)") && runs[0].split("Amount(").any(finer));
    assert!(runs[0] == runs[1], "one thread and two differ");
}

#[test]
fn amounts_kept_only_as_deep_as_the_report_looks_give_the_reports_of_amounts_kept_per_node() {
    let plan = Plan::parse("plan.toml", PLAN, std::path::Path::new(".")).unwrap();
    // Two parts when the file is split.
    let engine = engine_on(&plan, 3);
    let sales = sales();
    // Cents at most, unplanned rows kept: the case amounts are kept shallower for.
    let cents = lines_where(&sales, |l| {
        l.rsplit(',').next().is_some_and(|a| a.split_once('.').is_none_or(|(_, d)| d.len() <= 2))
    });
    for (text, finer) in [(cents.as_str(), false), (sales.as_str(), true)] {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        let track = |reported: Option<usize>, split_from: u64| {
            let on_disk = OnDisk { path: file.path(), split_from, reported: reported.unwrap_or(usize::MAX) };
            track_file(&engine, file.path(), Some(on_disk), 2)
        };
        for (by, reported) in [("region,month", 1), ("month", 0), ("region,product,week", 2)] {
            let mut runs = Vec::new();
            for tracker in [track(None, u64::MAX), track(Some(reported), u64::MAX), track(Some(reported), 0)] {
                let out = format!("{:?}\n{}", tracker.warnings(), reports_by(&tracker, Some(by), false));
                runs.push((out, tracker.paths.len()));
            }
            assert!(runs[0].0.contains("(unplanned)"), "the file has unplanned members");
            for (run, (out, nodes)) in runs.iter().enumerate().skip(1) {
                assert!(*out == runs[0].0, "{by}, run {run} (finer amounts: {finer}): the reports differ");
                // Amounts are kept per region (or for the company) only when none is finer than the plan.
                assert_eq!(*nodes < runs[0].1, !finer, "{by}, run {run}: {nodes} nodes against {}", runs[0].1);
            }
        }
    }
}
