//! `--format html`: the report page, through the real binary. The page must
//! parse as HTML5, draw one element per figure it charts, show in its tables
//! exactly the figures the CSV of the same command has, escape the user's
//! text, stay self-contained, and summarise large plans. The browser test
//! loads each example's page in headless Chromium (skipped, visibly, where
//! it is not installed).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use scraper::{ElementRef, Html, Selector};

use crate::common::{csv_rows, dec, run_in, salesplit};

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name).display().to_string()
}

/// Runs salesplit with `args` (must succeed) and returns stdout.
#[track_caller]
fn stdout_of(args: &[&str]) -> String {
    let out = salesplit().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "salesplit {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `args` with `--format FORMAT` added.
fn with_format<'a>(args: &[&'a str], format: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--format", format]);
    all
}

fn select(text: &str) -> Selector {
    Selector::parse(text).unwrap()
}

fn text_of(e: ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// A figure as the page shows it, as a decimal: separators dropped, a
/// percentage as its fraction.
fn figure(shown: &str) -> Decimal {
    let plain = shown.replace(',', "");
    match plain.strip_suffix('%') {
        Some(p) => dec(p) / Decimal::ONE_HUNDRED,
        None => dec(&plain),
    }
}

/// Parses `html` as an HTML5 document and checks it is one: no parse
/// errors, one `<html>` with a head and a body, UTF-8, no script, nothing
/// loaded from anywhere.
#[track_caller]
fn parsed(html: &str) -> Html {
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..60.min(html.len())]);
    let doc = Html::parse_document(html);
    assert!(doc.errors.is_empty(), "HTML5 parse errors: {:?}", doc.errors);
    assert_eq!(doc.select(&select("html > head > meta[charset=utf-8]")).count(), 1);
    assert_eq!(doc.select(&select("html > body")).count(), 1);
    assert_eq!(doc.select(&select("script, link, img, iframe, object, embed")).count(), 0, "self-contained");
    assert_eq!(doc.select(&select("[src], [href]")).count(), 0, "nothing fetched");
    assert!(!html.contains("url("), "no CSS fetches");
    assert!(!html.contains("@import") && !html.contains("@font-face"), "no web fonts");
    doc
}

/// Every figure of the page's pivot tables of `metric` (the pivot's
/// members, period, text), checked against the CSV of the same run:
/// each CSV cell is shown once, with exactly the CSV's figure.
#[track_caller]
fn pivots_equal_csv(doc: &Html, csv: &str, splits: &[&str], metric: &str) {
    let rows = csv_rows(csv);
    let mut expected: BTreeMap<(Vec<String>, String), String> = BTreeMap::new();
    for r in &rows {
        let keys = splits.iter().map(|s| r[*s].clone()).collect();
        expected.insert((keys, r["period"].clone()), r[metric].clone());
    }
    let mut seen = BTreeSet::new();
    let tables: Vec<_> = doc
        .select(&select("table.pivot"))
        .filter(|t| t.select(&select("caption")).next().is_some_and(|c| text_of(c) == metric))
        .collect();
    assert_eq!(tables.len(), 1, "one table of {metric}");
    for tr in tables[0].select(&select("tbody tr")) {
        let keys: Vec<String> = tr.select(&select("th.key")).map(text_of).collect();
        for td in tr.select(&select("td[data-period]")) {
            let period = td.value().attr("data-period").unwrap().to_string();
            let key = (keys.clone(), period);
            let csv_text = expected.get(&key).unwrap_or_else(|| panic!("{key:?} is not a cell of the CSV"));
            assert_eq!(text_of(td).replace(',', ""), *csv_text, "{key:?}");
            assert!(seen.insert(key), "a cell shown twice");
        }
    }
    assert_eq!(seen.len(), rows.len(), "every cell of the CSV is in the table");
}

#[test]
fn the_company_page_parses_and_its_table_is_the_csv() {
    let plan = example("company.toml");
    let args = ["decompose", plan.as_str()];
    let html = stdout_of(&with_format(&args, "html"));
    let csv = stdout_of(&with_format(&args, "csv"));
    let doc = parsed(&html);
    pivots_equal_csv(&doc, &csv, &["region", "product", "salesperson"], "sales");
    // The title, total, currency and year, as the plan has them.
    let header = text_of(doc.select(&select("header")).next().unwrap());
    for fact in ["2026 年度销售计划", "10,000,000.00", "CNY", "2026"] {
        assert!(header.contains(fact), "{fact} in {header}");
    }
    // The grand total as the table shows it is the plan's total.
    let grand: Vec<String> = doc.select(&select("table.pivot td.grand")).map(text_of).collect();
    assert_eq!(grand, ["10,000,000.00"]);
    // The footnote: the rounding promise and the command.
    let footer = text_of(doc.select(&select("footer")).next().unwrap());
    assert!(footer.contains("rounded to 0.01") && footer.contains("exact sum"), "{footer}");
    assert!(footer.contains("salesplit decompose") && footer.contains("company.toml --format html"), "{footer}");
}

#[test]
fn the_company_charts_draw_one_element_per_figure() {
    let plan = example("company.toml");
    let html = stdout_of(&["decompose", &plan, "--format", "html"]);
    let doc = parsed(&html);
    let rows = csv_rows(&stdout_of(&["decompose", &plan, "--format", "csv"]));
    let distinct = |n: usize| {
        let keys: BTreeSet<Vec<&str>> = rows
            .iter()
            .map(|r| ["region", "product", "salesperson"][..n].iter().map(|s| r[*s].as_str()).collect())
            .collect();
        keys.len()
    };
    let months: BTreeSet<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!((distinct(1), distinct(2), months.len()), (5, 15, 12), "the example as documented");
    // The icicle: one rectangle per org node (regions, their products, their salespeople).
    let nodes = doc.select(&select("#decomposition svg rect.node")).count();
    assert_eq!(nodes, distinct(1) + distinct(2) + distinct(3));
    // Each band of the icicle is the whole width (990 pixels from 110), its
    // nodes one after the other, each child inside its parent.
    let mut bands: Vec<Vec<(Decimal, Decimal)>> = vec![Vec::new(); 3];
    for rect in doc.select(&select("#decomposition svg rect.node")) {
        let depth = (0..3).find(|d| rect.value().has_class(&format!("d{d}"), scraper::CaseSensitivity::CaseSensitive));
        let at = |name: &str| dec(rect.value().attr(name).unwrap());
        bands[depth.unwrap()].push((at("x"), at("x") + at("width")));
    }
    let close = |a: Decimal, b: Decimal| (a - b).abs() <= Decimal::new(3, 1);
    for band in &bands {
        assert!(close(band[0].0, dec("110")) && close(band.last().unwrap().1, dec("1100")), "{band:?}");
        assert!(band.windows(2).all(|w| close(w[0].1, w[1].0)), "{band:?}");
    }
    for (parents, children) in [(&bands[0], &bands[1]), (&bands[1], &bands[2])] {
        for child in children {
            let inside = parents.iter().any(|p| p.0 <= child.0 + dec("0.3") && child.1 <= p.1 + dec("0.3"));
            assert!(inside, "{child:?} in {parents:?}");
        }
    }
    // Stacked bars: one segment per month and region; small multiples: one bar each.
    assert_eq!(doc.select(&select("#by-period svg rect.seg")).count(), 5 * 12);
    assert_eq!(doc.select(&select("#multiples svg")).count(), 5);
    assert_eq!(doc.select(&select("#multiples svg rect.bar")).count(), 5 * 12);
    // Each region's node reads its member, figure and share: 华东 is 300 of 1000 weights.
    let labels: Vec<String> = doc.select(&select("#decomposition svg text")).map(text_of).collect();
    for label in ["华东", "3,000,000.00", "30.00%"] {
        assert!(labels.iter().any(|l| l == label), "{label} in {labels:?}");
    }
    // Each bar's tooltip has the figure of its cell, as the region-by-month CSV has it.
    let by_region = csv_rows(&stdout_of(&["decompose", &plan, "--by", "region,month", "--format", "csv"]));
    let tips: BTreeSet<String> = doc.select(&select("#by-period rect.seg title")).map(text_of).collect();
    for r in &by_region {
        let tip = format!("{} {}: {}", r["region"], r["period"], thousands(&r["sales"]));
        assert!(tips.contains(&tip), "{tip}");
    }
}

/// `1234567.80` as `1,234,567.80`.
fn thousands(plain: &str) -> String {
    let (whole, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        out
    } else {
        format!("{out}.{frac}")
    }
}

#[test]
fn by_and_period_shape_the_page_as_they_shape_the_csv() {
    let plan = example("company.toml");
    let args = ["decompose", &plan, "--by", "region,quarter", "--period", "2026-Q2"];
    let html = stdout_of(&with_format(&args, "html"));
    let doc = parsed(&html);
    pivots_equal_csv(&doc, &stdout_of(&with_format(&args, "csv")), &["region"], "sales");
    // One quarter, five regions: five segments, and the cascade is of that quarter.
    assert_eq!(doc.select(&select("#by-period svg rect.seg")).count(), 5);
    assert_eq!(doc.select(&select("#decomposition svg rect.node")).count(), 5);
}

#[test]
fn the_tracking_page_shows_the_reports_figures() {
    let plan = example("company.toml");
    let sales = example("company-sales.csv");
    let args = ["track", &plan, "--actuals", &sales, "--as-of", "2026-03-15", "--by", "region,month"];
    let html = stdout_of(&with_format(&args, "html"));
    let csv = csv_rows(&stdout_of(&with_format(&args, "csv")));
    let doc = parsed(&html);
    let rows: Vec<_> = doc.select(&select("table.listing tbody tr")).collect();
    assert_eq!(rows.len(), csv.len(), "one row per cell");
    for (tr, r) in rows.iter().zip(&csv) {
        let keys: Vec<String> = tr.select(&select("th")).map(text_of).collect();
        assert_eq!(keys, [r["region"].clone(), r["period"].clone()]);
        for td in tr.select(&select("td[data-col]")) {
            let column = td.value().attr("data-col").unwrap();
            let (shown, csv_text) = (text_of(td), r[column].as_str());
            match (shown.as_str(), csv_text) {
                ("", "") => {}
                (_, "ahead" | "on track" | "behind" | "upcoming" | "no target") => assert_eq!(shown, csv_text),
                _ => assert_eq!(figure(&shown), dec(csv_text), "{column} of {keys:?}"),
            }
        }
    }
    // One attainment bar per region, each with the region's attainment to
    // date as the year's report has it.
    // The report's own figures, as the CSV of the same track run has them.
    let track_csv = |by: &str| {
        csv_rows(&stdout_of(&[
            "track",
            &plan,
            "--actuals",
            &sales,
            "--as-of",
            "2026-03-15",
            "--by",
            by,
            "--format",
            "csv",
        ]))
    };
    let year = track_csv("region,year");
    let bars: Vec<String> = doc.select(&select("#attainment rect.att title")).map(text_of).collect();
    assert_eq!(bars.len(), year.len());
    for (bar, r) in bars.iter().zip(&year) {
        let pct = format!("{:.2}%", dec(&r["attainment"]) * Decimal::ONE_HUNDRED);
        assert_eq!(*bar, format!("{}: {pct} {}", r["region"], r["status"]));
    }
    // The burn-up: the target's line through every day of the year, the
    // actual's to the as-of date (31 + 28 + 15 days), the projection to the year's end.
    let points = |class: &str| {
        let line = doc.select(&select(&format!("#burn-up polyline.{class}"))).next().unwrap();
        line.value().attr("points").unwrap().split(' ').count()
    };
    assert_eq!((points("target"), points("actual"), points("projection")), (365, 31 + 28 + 15, 2));
    let company = track_csv("year");
    let labels: Vec<String> = doc.select(&select("#burn-up text")).map(text_of).collect();
    for (name, column) in [("Projected", "projected"), ("Target", "target"), ("Actual to date", "actual_to_date")] {
        let label = format!("{name} {}", thousands(&company[0][column]));
        assert!(labels.contains(&label), "{label} in {labels:?}");
    }
}

#[test]
fn a_replan_page_has_the_new_targets_as_the_csv_has_them() {
    let plan = example("company.toml");
    let sales = example("company-sales.csv");
    let args = ["track", &plan, "--actuals", &sales, "--as-of", "2026-03-15", "--by", "region,month", "--replan"];
    let html = stdout_of(&with_format(&args, "html"));
    let doc = parsed(&html);
    pivots_equal_csv(&doc, &stdout_of(&with_format(&args, "csv")), &["region"], "sales");
    assert!(text_of(doc.select(&select("#table h2")).next().unwrap()).starts_with("Re-plan"));
}

#[test]
fn every_example_writes_a_report() {
    let dir = tempfile::TempDir::new().unwrap();
    let examples = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")).unwrap();
    let mut plans: Vec<PathBuf> =
        examples.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
    plans.sort();
    assert!(plans.len() >= 10, "{plans:?}");
    for plan in &plans {
        let out = dir.path().join("report.html");
        let args = ["decompose", plan.to_str().unwrap(), "--format", "html", "--output", out.to_str().unwrap()];
        stdout_of(&args);
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.len() > 8_000, "{}: {} bytes", plan.display(), html.len());
        let doc = parsed(&html);
        assert!(doc.select(&select("section svg")).count() >= 1, "{}", plan.display());
        assert!(doc.select(&select("table.pivot td.grand")).count() >= 1, "{}", plan.display());
    }
}

#[test]
fn member_names_are_escaped() {
    let plan = r#"
[plan]
name = "<script>alert(1)</script> & co"
year = 2026
[target]
sales = 1000
[time]
level = "quarter"
[[split]]
by = "region"
weights = { "<b>East</b>" = 1, "A & \"B\" 'C'" = 1 }
"#;
    let (status, html, stderr) = run_in(&[("plan.toml", plan)], &["decompose", "plan.toml", "--format", "html"]);
    assert_eq!((status, stderr.as_str()), (Some(0), ""));
    let doc = parsed(&html);
    assert_eq!(doc.select(&select("b, script")).count(), 0, "no element from the user's text");
    let title = text_of(doc.select(&select("h1")).next().unwrap());
    assert_eq!(title, "<script>alert(1)</script> & co");
    let keys: Vec<String> = doc.select(&select("table.pivot th.key")).map(text_of).collect();
    assert_eq!(keys, ["<b>East</b>", "A & \"B\" 'C'"]);
    let labels: Vec<String> = doc.select(&select("#decomposition svg text")).map(text_of).collect();
    assert!(labels.contains(&"<b>East</b>".to_string()), "{labels:?}");
}

#[test]
fn unit_and_language_apply_to_the_page() {
    let plan = std::fs::read_to_string(example("company.toml")).unwrap();
    let plan = plan.replacen("[plan]\n", "[plan]\nlanguage = \"zh\"\n", 1);
    let roster = std::fs::read_to_string(example("company-reps.csv")).unwrap();
    let files = [("plan.toml", plan.as_str()), ("company-reps.csv", roster.as_str())];
    let (status, html, stderr) =
        run_in(&files, &["decompose", "plan.toml", "--format", "html", "--unit", "万", "--by", "region,month"]);
    assert_eq!((status, stderr.as_str()), (Some(0), ""));
    let doc = parsed(&html);
    assert_eq!(doc.select(&select("html[lang=zh-CN]")).count(), 1);
    // 10,000,000 CNY is 1,000 万; each region's year in 万 (东北 150 of 1,000 weights).
    let grand: Vec<String> = doc.select(&select("table.pivot td.grand")).map(text_of).collect();
    assert_eq!(grand, ["1,000.00"]);
    let header = text_of(doc.select(&select("header")).next().unwrap());
    assert!(header.contains("1,000.00 万 CNY"), "{header}");
    let caption = text_of(doc.select(&select("table.pivot caption")).next().unwrap());
    assert_eq!(caption, "销售额 (单位：万 CNY)");
    let heads: Vec<String> = doc.select(&select("table.pivot thead th")).map(text_of).collect();
    assert_eq!((heads[0].as_str(), heads[13].as_str()), ("区域", "合计"));
    let labels: Vec<String> = doc.select(&select("#decomposition svg text")).map(text_of).collect();
    assert!(labels.contains(&"150.00".to_string()), "{labels:?}");
    // --rows and --cols stay the terminal table's.
    let (status, _, stderr) = run_in(&files, &["decompose", "plan.toml", "--format", "html", "--rows", "region"]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("--rows shapes the terminal table"), "{stderr}");
}

#[test]
fn a_large_plan_is_summarised_and_says_so() {
    // 25 regions of 30 stores each: 775 nodes, more than a picture holds.
    let regions: Vec<String> = (1..=25).map(|r| format!("\"R{r:02}\" = {r}")).collect();
    let stores: Vec<String> = (1..=30).map(|s| format!("\"S{s:02}\" = 1")).collect();
    let plan = format!(
        "[plan]\nname = \"big\"\nyear = 2026\n[target]\nsales = 1_000_000\n[time]\nlevel = \"day\"\n\
         [[split]]\nby = \"region\"\nweights = {{ {} }}\n[[split]]\nby = \"store\"\nweights = {{ {} }}\n",
        regions.join(", "),
        stores.join(", ")
    );
    let (status, html, stderr) = run_in(&[("plan.toml", &plan)], &["decompose", "plan.toml", "--format", "html"]);
    assert_eq!((status, stderr.as_str()), (Some(0), ""));
    let doc = parsed(&html);
    let notes: Vec<String> = doc.select(&select("p.note")).map(text_of).collect();
    assert!(
        notes.iter().any(|n| n.contains("the first 1 of 2 splits are drawn") && n.contains("750 members")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("273,750 cells") && n.contains("--by region,store,month")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("The first 24 of 25 members")), "{notes:?}");
    assert_eq!(doc.select(&select("#decomposition rect.node")).count(), 25);
    assert_eq!(doc.select(&select("#multiples svg")).count(), 24);
    // The table is by month: 750 rows of 12 months, its total the plan's.
    assert_eq!(doc.select(&select("table.pivot tbody tr")).count(), 750);
    let grand: Vec<String> = doc.select(&select("table.pivot td.grand")).map(text_of).collect();
    assert_eq!(grand, ["1,000,000.00"]);
}

/// Runs chromium headless on `url` with `args`; `None` when it fails to start.
fn chromium(args: &[&str], url: &str) -> Option<std::process::Output> {
    std::process::Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"])
        .args(args)
        .arg(url)
        .output()
        .ok()
}

#[test]
fn every_report_opens_prints_and_reads_in_a_browser() {
    if std::process::Command::new("chromium").arg("--version").output().is_err() {
        println!("skipped: chromium not installed");
        eprintln!("skipped: chromium not installed");
        return;
    }
    let dir = tempfile::TempDir::new().unwrap();
    let mut pages: Vec<(String, Vec<String>)> = Vec::new();
    // A split by roster, shop hours by day and a retail year: the page's kinds
    // of period and cascade (every example's page is checked without a browser above).
    for name in ["company", "shop-hours", "retail-445"] {
        pages.push((name.to_string(), vec!["decompose".into(), example(&format!("{name}.toml"))]));
    }
    pages.push((
        "company-track".to_string(),
        ["track", &example("company.toml"), "--actuals", &example("company-sales.csv"), "--as-of", "2026-03-15"]
            .map(String::from)
            .to_vec(),
    ));
    for (name, args) in &pages {
        let html = dir.path().join(format!("{name}.html"));
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend(["--format", "html", "--output", html.to_str().unwrap()]);
        stdout_of(&all);
        let page = std::fs::read_to_string(&html).unwrap();
        // The total as the page's table shows it (the grand total, or the Total row's target).
        let doc = Html::parse_document(&page);
        let total =
            doc.select(&select("table td.grand, table.listing tfoot td[data-col=target]")).next().map(text_of).unwrap();
        let url = format!("file://{}", html.display());
        let png = dir.path().join(format!("{name}.png"));
        let pdf = dir.path().join(format!("{name}.pdf"));
        let shot = chromium(&[&format!("--screenshot={}", png.display()), "--window-size=1400,1000"], &url).unwrap();
        assert!(shot.status.success(), "{name}: {}", String::from_utf8_lossy(&shot.stderr));
        let printed =
            chromium(&[&format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer"], &url).unwrap();
        assert!(printed.status.success(), "{name}: {}", String::from_utf8_lossy(&printed.stderr));
        let dom = chromium(&["--dump-dom"], &url).unwrap();
        let png_bytes = std::fs::read(&png).unwrap();
        assert!(png_bytes.starts_with(b"\x89PNG") && png_bytes.len() > 20_000, "{name}: {} bytes", png_bytes.len());
        let pdf_bytes = std::fs::read(&pdf).unwrap();
        assert!(pdf_bytes.starts_with(b"%PDF") && pdf_bytes.len() > 10_000, "{name}: {} bytes", pdf_bytes.len());
        let text = String::from_utf8_lossy(&dom.stdout);
        assert!(text.contains(&total), "{name}: the DOM has the total {total}");
    }
}
