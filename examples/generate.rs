//! Writes a realistic, deterministic benchmark plan: `DIR/plan.toml` and, when
//! there are salespeople, its roster `DIR/reps.csv`.
//!
//! ```text
//! cargo run --release --example generate -- --reps 200 --products 3 --regions 10 --out DIR
//! ```
//!
//! The cascade is region -> salesperson (roster, parent column `region`) ->
//! product (weights, with a different mix `within` a few salespeople), then
//! time down to the day under `spread = "workdays"` (cn-2026 holidays) with monthly seasonality
//! and weekday coefficients. A daily run has `reps * products * 365` cells
//! (every region has at least one salesperson; weekend days are rows of 0).
//!
//! Options: `--reps N` (0 leaves the salesperson split out), `--products N`
//! (0 leaves the product split out), `--regions N` (at least 1),
//! `--level year|quarter|month|week|day`, `--total AMOUNT` (a multiple of
//! 0.01), `--seed N`, `--transactions N` (also writes `DIR/sales.csv` with N
//! sales for `salesplit track`), `--out DIR` (required; created if missing).
//!
//! The benchmark `benches/decompose.rs` includes this file with `#[path]` and
//! calls [`write_plan`], so both measure the same plans.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Clone, Debug)]
pub(crate) struct Spec {
    /// Number of salespeople in the roster (0: no salesperson split).
    pub reps: usize,
    /// Number of products (0: no product split).
    pub products: usize,
    /// Number of regions (at least 1).
    pub regions: usize,
    /// `[time].level`: year, quarter, month, week or day.
    pub level: String,
    /// The annual total, written as is (a multiple of 0.01).
    pub total: String,
    /// Seed of the pseudo-random weights.
    pub seed: u64,
    /// Transactions to write to `sales.csv` for `salesplit track` (0: none).
    pub transactions: usize,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            reps: 200,
            products: 3,
            regions: 10,
            level: "day".to_string(),
            total: "1_234_567_890.12".to_string(),
            seed: 2026,
            transactions: 0,
        }
    }
}

impl Spec {
    /// Cells of a run at the plan's level with every split kept.
    pub(crate) fn cells(&self) -> usize {
        let periods = match self.level.as_str() {
            "year" => 1,
            "quarter" => 4,
            "month" => 12,
            // Weeks are cut at month ends; count them from the calendar below.
            "week" => weeks_2026(),
            _ => 365,
        };
        let org = if self.reps == 0 { self.regions } else { self.reps };
        org * self.products.max(1) * periods
    }
}

/// Weeks of 2026 cut at `week_start = "mon"` and at month ends.
fn weeks_2026() -> usize {
    // 1 Jan 2026 is a Thursday (day-of-week 3, Monday = 0).
    let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut dow = 3;
    let mut weeks = 0;
    for len in lengths {
        for day in 0..len {
            if day == 0 || dow == 0 {
                weeks += 1;
            }
            dow = (dow + 1) % 7;
        }
    }
    weeks
}

/// A tiny linear congruential generator (Knuth's MMIX constants): enough
/// for deterministic, varied weights without a `rand` dependency.
struct Lcg(u64);

impl Lcg {
    fn new(seed: u64) -> Lcg {
        Lcg(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    /// A number in `0..n`, from the high bits (the low bits of an LCG are weak).
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// An index below `n` (the same draw as `below`).
    fn index(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).expect("a count fits 64 bits");
        usize::try_from(self.below(n)).expect("below a usize")
    }

    /// A weight between `lo` and `hi` hundredths, written with two decimals (`1.25`).
    fn weight(&mut self, lo: u64, hi: u64) -> String {
        let w = lo + self.below(hi - lo + 1);
        format!("{}.{:02}", w / 100, w % 100)
    }
}

const REGIONS: [&str; 10] = ["东北", "华北", "华东", "华南", "华中", "西南", "西北", "北京", "上海", "深圳"];
const CHINESE_NAMES: [&str; 12] =
    ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞", "徐涛", "孙丽"];

fn region_name(i: usize) -> String {
    REGIONS.get(i).map_or_else(|| format!("region-{:02}", i + 1), std::string::ToString::to_string)
}

fn product_name(i: usize) -> String {
    if i < 26 {
        char::from(b'A' + u8::try_from(i).expect("below 26")).to_string()
    } else {
        format!("P{:02}", i + 1)
    }
}

/// Salesperson `i` (0-based): `rep-0001`, …, with a Chinese name every 25th.
fn rep_name(i: usize) -> String {
    match CHINESE_NAMES.get(i / 25) {
        Some(name) if i % 25 == 0 => name.to_string(),
        _ => format!("rep-{:04}", i + 1),
    }
}

/// A TOML basic string (the generated names need no escapes).
fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

/// The plan file's text, and the roster's (empty without salespeople).
pub(crate) fn render(spec: &Spec) -> (String, String) {
    assert!(spec.regions >= 1, "a plan needs at least one region");
    let mut rng = Lcg::new(spec.seed);
    let mut plan = String::new();
    let w = &mut plan;
    let _ = writeln!(w, "# Generated by `cargo run --example generate`; benchmark plan, not real data.");
    let _ = writeln!(w, "[plan]");
    let _ = writeln!(
        w,
        "name = \"2026 年度销售计划 (benchmark: {} regions, {} reps, {} products)\"",
        spec.regions, spec.reps, spec.products
    );
    let _ = writeln!(w, "currency = \"CNY\"\nyear = 2026\nprecision = \"0.01\"\n");
    let _ = writeln!(w, "[target]\nsales = {}\n", spec.total);
    let _ = writeln!(w, "[time]\nspread = \"workdays\"\nholidays = [\"cn-2026\"]\nlevel = {}", quoted(&spec.level));
    let _ = writeln!(w, "months = [6, 5, 8, 8, 9, 8, 8, 8, 9, 10, 12, 9.5]");
    let _ = writeln!(w, "weekdays = {{ mon = 1, tue = 1, wed = 1, thu = 1.1, fri = 1.2, sat = 1.5, sun = 1.8 }}\n");

    let regions: Vec<String> = (0..spec.regions).map(region_name).collect();
    let weights: Vec<String> =
        regions.iter().map(|r| format!("{} = {}", quoted(r), 100 + rng.below(31) * 10)).collect();
    let _ = writeln!(w, "[[split]]\nby = \"region\"\nweights = {{ {} }}\n", weights.join(", "));

    let mut roster = String::new();
    let mut reps = Vec::new();
    if spec.reps > 0 {
        let _ = writeln!(w, "[[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n");
        roster.push_str("name,region,weight\n");
        for i in 0..spec.reps {
            // Every region gets someone; the rest land anywhere.
            let region = if i < spec.regions { i } else { rng.index(spec.regions) };
            // Mostly 0.80..1.60; a few new hires at a quarter to a half.
            let weight = if rng.below(20) == 0 { rng.weight(25, 50) } else { rng.weight(80, 160) };
            let name = rep_name(i);
            let _ = writeln!(roster, "{name},{},{weight}", regions[region]);
            reps.push(name);
        }
    }

    if spec.products > 0 {
        let products: Vec<String> = (0..spec.products).map(product_name).collect();
        let mix = |rng: &mut Lcg| -> String {
            let ws: Vec<String> = products.iter().map(|p| format!("{} = {}", quoted(p), rng.weight(50, 300))).collect();
            ws.join(", ")
        };
        let _ = writeln!(w, "[[split]]\nby = \"product\"\nweights = {{ {} }}", mix(&mut rng));
        // A different mix inside a few parents (salespeople, or regions without them).
        let parents: Vec<String> = if reps.is_empty() { regions.clone() } else { reps.clone() };
        for parent in parents.iter().take(3) {
            let _ = writeln!(w, "[split.within.{}]\nweights = {{ {} }}", quoted(parent), mix(&mut rng));
        }
    }
    (plan, roster)
}

/// Writes `dir/plan.toml` (and `dir/reps.csv` with salespeople); returns the plan's path.
pub(crate) fn write_plan(dir: &Path, spec: &Spec) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let (plan, roster) = render(spec);
    if spec.reps > 0 {
        std::fs::write(dir.join("reps.csv"), roster)?;
    }
    let path = dir.join("plan.toml");
    std::fs::write(&path, plan)?;
    Ok(path)
}

/// Writes `dir/sales.csv`: `spec.transactions` sales from 1 January to 30
/// June 2026, each a salesperson (with their region) selling one product for
/// 10.00 to 999.99, in the column order `date,region,salesperson,product,sales`.
/// Returns the file's path and its total, in cents.
pub(crate) fn write_transactions(dir: &Path, spec: &Spec) -> std::io::Result<(PathBuf, u128)> {
    use std::io::Write as _;
    let (_, roster) = render(spec);
    let people: Vec<(String, String)> = roster
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            Some((f.next()?.to_string(), f.next()?.to_string()))
        })
        .collect();
    let products: Vec<String> = (0..spec.products.max(1)).map(product_name).collect();
    let path = dir.join("sales.csv");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
    writeln!(out, "date,region,salesperson,product,sales")?;
    let mut rng = Lcg::new(spec.seed ^ 0xACE);
    let first = 20_454; // days from 1970-01-01 to 2026-01-01
    let mut total: u128 = 0;
    for _ in 0..spec.transactions {
        let day = first + i64::try_from(rng.below(181)).expect("below 181");
        let date = chrono_free_date(day);
        let (name, region) = if people.is_empty() {
            (String::new(), region_name(rng.index(spec.regions)))
        } else {
            people[rng.index(people.len())].clone()
        };
        let product = &products[rng.index(products.len())];
        let cents = 1_000 + rng.below(99_000);
        total += u128::from(cents);
        writeln!(out, "{date},{region},{name},{product},{}.{:02}", cents / 100, cents % 100)?;
    }
    out.flush()?;
    Ok((path, total))
}

/// `YYYY-MM-DD` of a day number since 1970-01-01 (civil-from-days), so the
/// generator needs no date crate.
fn chrono_free_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[allow(dead_code)]
const USAGE: &str = "usage: generate --out DIR [--reps N] [--products N] [--regions N] [--level LEVEL] [--total AMOUNT] [--seed N] [--transactions N]";

#[allow(dead_code)]
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(Spec, PathBuf), String> {
    let mut spec = Spec::default();
    let mut out = None;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let count = |v: &str| v.parse::<usize>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--reps" => spec.reps = count(&value)?,
            "--products" => spec.products = count(&value)?,
            "--regions" => spec.regions = count(&value)?,
            "--level" => spec.level = value,
            "--total" => spec.total = value,
            "--seed" => spec.seed = value.parse().map_err(|e| format!("--seed {value}: {e}"))?,
            "--transactions" => spec.transactions = count(&value)?,
            "--out" => out = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    if spec.regions == 0 {
        return Err("--regions must be at least 1".to_string());
    }
    let out = out.ok_or_else(|| format!("--out DIR is required\n{USAGE}"))?;
    Ok((spec, out))
}

// The benchmark includes this file as a module and uses only the generator.
#[allow(dead_code)]
fn main() {
    if std::env::args().skip(1).any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return;
    }
    let (spec, out) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    match write_plan(&out, &spec) {
        Ok(path) => println!("wrote {} ({} cells at level {})", path.display(), spec.cells(), spec.level),
        Err(e) => {
            eprintln!("cannot write to {}: {e}", out.display());
            std::process::exit(1);
        }
    }
    if spec.transactions > 0 {
        match write_transactions(&out, &spec) {
            Ok((path, cents)) => {
                println!(
                    "wrote {} ({} sales, total {}.{:02})",
                    path.display(),
                    spec.transactions,
                    cents / 100,
                    cents % 100
                );
            }
            Err(e) => {
                eprintln!("cannot write to {}: {e}", out.display());
                std::process::exit(1);
            }
        }
    }
}
