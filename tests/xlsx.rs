//! `--format xlsx`: the workbook written by the real binary, read back with
//! calamine (values, cached formula results, formula text) and, for what
//! calamine does not expose (number formats, panes, filters, conditional
//! formats), from the package's XML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{csv_rows, dec, salesplit};
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use rust_decimal::Decimal;

const COMPANY: &str = "examples/company.toml";
const TRACK: [&str; 6] = ["track", COMPANY, "--actuals", "examples/company-sales.csv", "--as-of", "2026-03-15"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs salesplit from the crate root with `args` plus `--format xlsx
/// --output <dir>/out.xlsx`; returns the folder (kept alive) and the file.
fn workbook(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("out.xlsx");
    let out =
        salesplit().current_dir(root()).args(args).args(["--format", "xlsx", "--output"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "a workbook run prints nothing on stdout");
    (dir, path)
}

/// The same run as CSV text.
fn csv_of(args: &[&str]) -> String {
    let out = salesplit().current_dir(root()).args(args).args(["--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The same run's CSV header, in column order.
fn csv_header(text: &str) -> Vec<String> {
    text.lines().next().unwrap().split(',').map(str::to_string).collect()
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap()
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("expected text at ({row}, {col}), found {other:?}"),
    }
}

/// A number cell (or a formula's cached number) as a decimal.
fn number(range: &Range<Data>, row: u32, col: u32) -> Decimal {
    match range.get_value((row, col)) {
        Some(Data::Float(f)) => f.to_string().parse().unwrap(),
        Some(Data::Int(i)) => Decimal::from(*i),
        other => panic!("expected a number at ({row}, {col}), found {other:?}"),
    }
}

/// Days since Excel's epoch (1899-12-30) of an ISO date.
fn serial(iso: &str) -> f64 {
    let date = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap();
    (date - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

/// Column letters of a 0-based column (enough for these sheets).
fn letters(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// Every CSV row is the Detail row below it, figure for figure: text for
/// members and periods, dates for `start`/`end`, numbers equal as decimals,
/// empty where the CSV is empty; then a `Total` row.
fn assert_detail_is_csv(path: &Path, csv: &str) {
    let mut book = open(path);
    let detail = book.worksheet_range("Detail").unwrap();
    let header = csv_header(csv);
    let rows = csv_rows(csv);
    for (c, name) in header.iter().enumerate() {
        assert_eq!(&text(&detail, 0, c as u32), name, "header of column {c}");
    }
    let period = header.iter().position(|h| h == "period").unwrap();
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, name) in header.iter().enumerate() {
            let (c, want) = (c as u32, &row[name]);
            match (name.as_str(), detail.get_value((r, c))) {
                (_, _) if (c as usize) <= period => assert_eq!(&text(&detail, r, c), want, "{name} of row {r}"),
                // Dates are whole day serials: exact in f64.
                #[allow(clippy::float_cmp)]
                ("start" | "end", Some(Data::DateTime(d))) => assert_eq!(d.as_f64(), serial(want), "{name} row {r}"),
                ("start" | "end", other) => panic!("{name} of row {r} is not a date: {other:?}"),
                (_, Some(Data::Empty) | None) => assert_eq!(want, "", "{name} of row {r} is empty"),
                (_, Some(Data::String(s))) => assert_eq!(s, want, "{name} of row {r}"),
                _ => assert_eq!(number(&detail, r, c), dec(want), "{name} of row {r}"),
            }
        }
    }
    let total = rows.len() as u32 + 1;
    assert_eq!(text(&detail, total, 0), "Total");
    assert_eq!(detail.end().unwrap().0, total, "nothing below the Total row");
}

// ----------------------------------------------------------------------------
// Reading the package: a zip of XML parts. The test crate cannot name `zip`
// (it is only a dependency of rust_xlsxwriter), so a small reader follows:
// the central directory, and DEFLATE (RFC 1951) decoding.

/// An xlsx file's XML parts.
struct Package {
    bytes: Vec<u8>,
}

impl Package {
    fn read(path: &Path) -> Package {
        Package { bytes: std::fs::read(path).unwrap() }
    }

    fn part(&self, name: &str) -> String {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&self.bytes)).unwrap();
        let mut text = String::new();
        archive.by_name(name).unwrap_or_else(|_| panic!("no part {name}")).read_to_string(&mut text).unwrap();
        text
    }

    /// The XML of the sheet named `name`, found through the workbook's relationships.
    fn sheet(&self, name: &str) -> String {
        let workbook = self.part("xl/workbook.xml");
        let entry = after(&workbook, &format!("<sheet name=\"{name}\""));
        let id = attr(entry, "r:id");
        let rels = self.part("xl/_rels/workbook.xml.rels");
        let target = attr(after(&rels, &format!("Id=\"{id}\"")), "Target");
        // Targets are relative to xl/ (or absolute from the package root).
        let path = target.strip_prefix('/').map_or_else(|| format!("xl/{target}"), str::to_string);
        self.part(&path)
    }

    /// The number format of the cell at `cell` (`G2`) in sheet `sheet`.
    fn number_format(&self, sheet: &str, cell: &str) -> String {
        let xml = self.sheet(sheet);
        let tag = after(&xml, &format!("<c r=\"{cell}\""));
        let tag = &tag[..tag.find('>').unwrap()];
        let style: usize = if tag.contains(" s=\"") { attr(tag, "s").parse().unwrap() } else { 0 };
        let styles = self.part("xl/styles.xml");
        let xfs = after(&styles, "<cellXfs");
        let xf = xfs.split("<xf").nth(style + 1).unwrap();
        let id: u32 = attr(xf, "numFmtId").parse().unwrap();
        match id {
            0 => "General".to_string(),
            3 => "#,##0".to_string(),
            4 => "#,##0.00".to_string(),
            10 => "0.00%".to_string(),
            _ => attr(after(&styles, &format!("<numFmt numFmtId=\"{id}\"")), "formatCode").to_string(),
        }
    }
}

/// The text from the first `needle` on.
fn after<'a>(haystack: &'a str, needle: &str) -> &'a str {
    let at = haystack.find(needle).unwrap_or_else(|| panic!("{needle} not found"));
    &haystack[at..]
}

/// The value of the first attribute `name` in `xml`.
fn attr<'a>(xml: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let rest = &after(xml, &key)[key.len()..];
    &rest[..rest.find('"').unwrap()]
}

// ----------------------------------------------------------------------------

#[test]
fn the_summary_comes_first_then_the_detail() {
    let (_dir, path) = workbook(&["decompose", COMPANY]);
    assert_eq!(open(&path).sheet_names(), ["Summary", "Detail"]);
    assert!(Package::read(&path).sheet("Summary").contains("tabSelected=\"1\""), "the workbook opens on the Summary");
}

#[test]
fn the_detail_is_the_csv_figure_for_figure() {
    let args = ["decompose", COMPANY];
    let (_dir, path) = workbook(&args);
    let csv = csv_of(&args);
    assert_detail_is_csv(&path, &csv);
    let rows = csv_rows(&csv);

    // The Total row: a SUBTOTAL over every data row, caching the sum of the CSV's figures.
    let mut book = open(&path);
    let detail = book.worksheet_range("Detail").unwrap();
    let formulas = book.worksheet_formula("Detail").unwrap();
    let total = rows.len() as u32 + 1;
    let sales = csv_header(&csv).iter().position(|h| h == "sales").unwrap() as u32;
    let sum: Decimal = rows.iter().map(|r| dec(&r["sales"])).sum();
    assert_eq!(sum, dec("10000000.00"));
    assert_eq!(number(&detail, total, sales), sum);
    let col = letters(sales);
    assert_eq!(formulas.get_value((total, sales)).unwrap(), &format!("SUBTOTAL(109,{col}2:{col}{total})"));
}

#[test]
fn the_track_report_detail_is_its_csv_figure_for_figure() {
    let (_dir, path) = workbook(&TRACK);
    let csv = csv_of(&TRACK);
    assert!(csv.contains(",behind") && csv.contains(",ahead"), "the example has both ends of the band");
    assert_detail_is_csv(&path, &csv);
}

#[test]
fn the_summary_pivots_the_target_with_sum_formulas_that_add_up() {
    let args = ["decompose", COMPANY];
    let (_dir, path) = workbook(&args);
    let rows = csv_rows(&csv_of(&args));
    let mut book = open(&path);
    let summary = book.worksheet_range("Summary").unwrap();
    let formulas = book.worksheet_formula("Summary").unwrap();

    let title = text(&summary, 0, 0);
    assert!(title.contains("2026 年度销售计划") && title.contains("CNY"), "{title}");
    assert_eq!(text(&summary, 2, 0), "sales (CNY)");
    let head = 3;
    let periods: Vec<String> = (3..15).map(|c| text(&summary, head, c)).collect();
    assert_eq!(periods, (1..=12).map(|m| format!("2026-{m:02}")).collect::<Vec<_>>());
    assert_eq!(text(&summary, head, 15), "Total");

    // Each member row: its figures per month, and a SUM of them; after each
    // region's rows, its subtotal row (SUBTOTAL(9) down the group, which is an
    // outline group of the sheet).
    let mut by_cell: BTreeMap<(String, String), Decimal> = BTreeMap::new();
    for r in &rows {
        let key = format!("{}/{}/{}", r["region"], r["product"], r["salesperson"]);
        *by_cell.entry((key, r["period"].clone())).or_default() += dec(&r["sales"]);
    }
    let members = by_cell.len() / 12;
    let first = head + 1;
    let mut row = first;
    let mut seen = 0;
    let mut regions = Vec::new();
    let mut group_first = first;
    let mut group_sums = vec![Decimal::ZERO; 13];
    while text(&summary, row, 0) != "Total" {
        let excel_row = row + 1;
        let label = text(&summary, row, 0);
        if let Some(region) = label.strip_suffix(" Total") {
            regions.push(region.to_string());
            for (c, want) in group_sums.iter().enumerate() {
                let col = 3 + c as u32;
                assert_eq!(number(&summary, row, col), *want, "{region} subtotal, column {col}");
                let l = letters(col);
                assert_eq!(
                    formulas.get_value((row, col)).unwrap(),
                    &format!("SUBTOTAL(9,{l}{}:{l}{})", group_first + 1, row),
                );
            }
            group_sums = vec![Decimal::ZERO; 13];
            group_first = row + 1;
            row += 1;
            continue;
        }
        let key = format!("{}/{}/{}", label, text(&summary, row, 1), text(&summary, row, 2));
        let mut sum = Decimal::ZERO;
        for (c, period) in periods.iter().enumerate() {
            let figure = number(&summary, row, 3 + c as u32);
            assert_eq!(figure, by_cell[&(key.clone(), period.clone())], "{key} {period}");
            sum += figure;
            group_sums[c] += figure;
        }
        group_sums[12] += sum;
        assert_eq!(number(&summary, row, 15), sum, "row total of {key}");
        assert_eq!(formulas.get_value((row, 15)).unwrap(), &format!("SUM(D{excel_row}:O{excel_row})"));
        seen += 1;
        row += 1;
    }
    assert_eq!(seen, members, "every member combination has its row");
    assert_eq!(regions, ["东北", "华北", "华东", "华南", "华中"], "a subtotal per region, in plan order");

    // The groups are the sheet's outline: each region's rows at level 1, its subtotal at level 0.
    let xml = Package::read(&path).sheet("Summary");
    let level = |r: u32| -> bool {
        after(&xml, &format!("<row r=\"{}\"", r + 1)).split('>').next().unwrap().contains("outlineLevel=\"1\"")
    };
    let subtotal = (first..row).find(|&r| text(&summary, r, 0) == "东北 Total").unwrap();
    assert!((first..subtotal).all(level) && !level(subtotal), "东北's rows are grouped, then its subtotal row");

    // The Total row: a SUBTOTAL down each month and down the Total column,
    // which leaves the regions' subtotals out.
    let total = row;
    let last = total - 1;
    for (c, period) in periods.iter().enumerate() {
        let col = 3 + c as u32;
        let want: Decimal = rows.iter().filter(|r| &r["period"] == period).map(|r| dec(&r["sales"])).sum();
        assert_eq!(number(&summary, total, col), want, "{period}");
        let l = letters(col);
        assert_eq!(formulas.get_value((total, col)).unwrap(), &format!("SUBTOTAL(9,{l}{}:{l}{})", first + 1, last + 1));
    }
    let detail_sum: Decimal = rows.iter().map(|r| dec(&r["sales"])).sum();
    assert_eq!(number(&summary, total, 15), detail_sum);
    assert_eq!(formulas.get_value((total, 15)).unwrap(), &format!("SUBTOTAL(9,P{}:P{})", first + 1, last + 1));
}

#[test]
fn the_summary_pivots_every_metric_that_adds_up() {
    let args = ["decompose", "examples/metrics.toml"];
    let (_dir, path) = workbook(&args);
    let rows = csv_rows(&csv_of(&args));
    let summary = open(&path).worksheet_range("Summary").unwrap();
    let captions: Vec<(u32, String)> = (1..summary.height() as u32)
        .filter_map(|r| match summary.get_value((r, 0)) {
            Some(Data::String(s)) if summary.get_value((r + 1, 1)).is_some_and(|d| matches!(d, Data::String(_))) => {
                Some((r, s.clone()))
            }
            _ => None,
        })
        .collect();
    // The level (market share) does not add up, so it has no pivot.
    let names: Vec<&str> = captions.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(names, ["sales (CNY)", "new_customers"], "{captions:?}");
    for (top, caption) in &captions {
        let metric = caption.trim_end_matches(" (CNY)");
        let total_row = (top + 2..summary.height() as u32).find(|&r| text(&summary, r, 0) == "Total").unwrap();
        let total_col = (0..summary.width() as u32).find(|&c| text(&summary, top + 1, c) == "Total").unwrap();
        let want: Decimal = rows.iter().map(|r| dec(&r[metric])).sum();
        assert_eq!(number(&summary, total_row, total_col), want, "{metric}");
    }
}

#[test]
fn a_daily_plan_is_summarised_by_month() {
    let args = ["decompose", "examples/shop-week.toml"];
    let (_dir, path) = workbook(&args);
    let rows = csv_rows(&csv_of(&args));
    assert!(rows.len() >= 365, "a daily plan");
    let summary = open(&path).worksheet_range("Summary").unwrap();
    assert!(text(&summary, 2, 0).ends_with(", day summed by month"), "{}", text(&summary, 2, 0));
    let head = 3;
    let months: Vec<String> = (1..=12).map(|m| text(&summary, head, m)).collect();
    assert_eq!(months, (1..=12).map(|m| format!("2026-{m:02}")).collect::<Vec<_>>());
    assert_eq!(text(&summary, head, 13), "Total");
    for (c, month) in months.iter().enumerate() {
        let want: Decimal =
            rows.iter().filter(|r| r["period"].starts_with(month.as_str())).map(|r| dec(&r["sales"])).sum();
        assert_eq!(number(&summary, head + 1, 1 + c as u32), want, "{month}: the sum of its days");
    }
}

#[test]
fn the_track_report_colours_attainment_by_status_and_sums_actuals() {
    let (_dir, path) = workbook(&TRACK);
    let csv = csv_of(&TRACK);
    let header = csv_header(&csv);
    let rows = csv_rows(&csv);
    let column = |name: &str| letters(header.iter().position(|h| h == name).unwrap() as u32);
    let (attainment, status) = (column("attainment"), column("status"));
    let last = rows.len() + 2;

    let package = Package::read(&path);
    let detail = package.sheet("Detail");
    for col in [&attainment, &status] {
        let rules = after(&detail, &format!("<conditionalFormatting sqref=\"{col}2:{col}{last}\">"));
        let rules = &rules[..rules.find("</conditionalFormatting>").unwrap()];
        for word in ["behind", "on track", "ahead"] {
            assert!(rules.contains(&format!("<formula>${status}2=\"{word}\"</formula>")), "{col}: {word}");
        }
    }
    let styles = package.part("xl/styles.xml");
    let dxfs = after(&styles, "<dxfs");
    assert!(dxfs.contains("FFFFC7CE") && dxfs.contains("FFFFEB9C") && dxfs.contains("FFC6EFCE"), "red, amber, green");
    assert_eq!(package.number_format("Detail", &format!("{attainment}2")), "0.00%");

    // The Summary: actual_to_date, then target_to_date, each adding up to the report's total.
    let mut book = open(&path);
    let summary = book.worksheet_range("Summary").unwrap();
    let formulas = book.worksheet_formula("Summary").unwrap();
    let mut blocks = Vec::new();
    for row in 0..summary.height() as u32 {
        if let Some(Data::String(s)) = summary.get_value((row, 0)) {
            if s.ends_with("(CNY)") && row > 0 {
                blocks.push((row, s.clone()));
            }
        }
    }
    assert_eq!(
        blocks.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>(),
        ["actual_to_date (CNY)", "target_to_date (CNY)"]
    );
    for (top, caption) in &blocks {
        let (top, name) = (*top, caption.trim_end_matches(" (CNY)"));
        let total_col = (0..summary.width() as u32).find(|&c| text(&summary, top + 1, c) == "Total").unwrap();
        let total_row = (top + 2..summary.height() as u32).find(|&r| text(&summary, r, 0) == "Total").unwrap();
        let want: Decimal = rows.iter().map(|r| dec(&r[name])).sum();
        assert_eq!(number(&summary, total_row, total_col), want, "{name}");
        let formula = formulas.get_value((total_row, total_col)).unwrap();
        assert!(formula.starts_with("SUBTOTAL(9,"), "{formula}");
    }

    // Beside the actuals: each row's attainment, actual over target to date
    // rounded to 4 decimals, coloured by the ±5% band.
    let top = blocks[0].0;
    let col = (0..summary.width() as u32).find(|&c| text(&summary, top + 1, c) == "attainment").unwrap();
    let total_row = (top + 2..summary.height() as u32).find(|&r| text(&summary, r, 0) == "Total").unwrap();
    let sum = |name: &str| -> Decimal { rows.iter().map(|r| dec(&r[name])).sum() };
    let want = (sum("actual_to_date") / sum("target_to_date")).round_dp(4);
    assert_eq!(number(&summary, total_row, col), want);
    let first = top + 2;
    let key = (text(&summary, first, 0), text(&summary, first, 1), text(&summary, first, 2));
    let of_row = |name: &str| -> Decimal {
        rows.iter()
            .filter(|r| (r["region"].clone(), r["product"].clone(), r["salesperson"].clone()) == key)
            .map(|r| dec(&r[name]))
            .sum()
    };
    assert_eq!(number(&summary, first, col), (of_row("actual_to_date") / of_row("target_to_date")).round_dp(4));
    let l = letters(col);
    let sheet = package.sheet("Summary");
    let rules = after(&sheet, &format!("<conditionalFormatting sqref=\"{l}{}:{l}{}\">", first + 1, total_row + 1));
    let rules = &rules[..rules.find("</conditionalFormatting>").unwrap()];
    assert!(rules.contains("operator=\"lessThan\"") && rules.contains("<formula>0.95</formula>"), "{rules}");
    assert!(rules.contains("operator=\"between\"") && rules.contains("<formula>1.05</formula>"), "{rules}");
    assert!(rules.contains("operator=\"greaterThan\""), "{rules}");
}

#[test]
fn xlsx_without_output_is_a_usage_error() {
    let out = salesplit().current_dir(root()).args(["decompose", COMPANY, "--format", "xlsx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "no workbook on a terminal");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
}

const FORMULA_NAMES: [&str; 4] = ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"];

#[test]
fn names_that_look_like_formulas_stay_text() {
    let dir = tempfile::TempDir::new().unwrap();
    let members: Vec<String> = FORMULA_NAMES.iter().map(|n| format!("{n:?} = 1")).collect();
    let plan = format!(
        "[plan]\nname = \"=cmd|' /C calc'!A0\"\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 4000\n\
         [time]\nlevel = \"year\"\n[[split]]\nby = \"=team\"\nweights = {{ {} }}\n",
        members.join(", ")
    );
    std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
    let path = dir.path().join("out.xlsx");
    let out = salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "xlsx", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let mut book = open(&path);
    for sheet in ["Detail", "Summary"] {
        let range = book.worksheet_range(sheet).unwrap();
        let formulas = book.worksheet_formula(sheet).unwrap();
        let mut found = Vec::new();
        for (r, c, value) in range.used_cells() {
            if let Data::String(s) = value {
                if FORMULA_NAMES.contains(&s.as_str()) || s.starts_with('=') {
                    let (r, c) = (r as u32 + range.start().unwrap().0, c as u32 + range.start().unwrap().1);
                    let formula = formulas.get_value((r, c)).map_or("", String::as_str);
                    assert_eq!(formula, "", "{sheet} ({r}, {c}) holds {s} as text, not a formula");
                    found.push(s.clone());
                }
            }
        }
        for name in FORMULA_NAMES {
            assert!(found.iter().any(|s| s == name), "{sheet} shows {name} as text: {found:?}");
        }
    }
    let detail = Package::read(&path).sheet("Detail");
    assert!(detail.contains("<c r=\"A1\" s=\"3\" t=\"s\">"), "the header =team is a shared string");
    assert!(detail.contains("<c r=\"A2\" t=\"s\">"), "the first member is a shared string");
    assert!(!detail.contains("<f>HYPERLINK") && !detail.contains("<f>=HYPERLINK"));
}

#[test]
fn chinese_names_get_columns_wide_enough() {
    // Eleven CJK characters take 22 columns on screen, not 11.
    let name = "华东大区重点客户事业部";
    let plan = format!(
        "[plan]\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 1000\n[time]\nlevel = \"year\"\n\
         [[split]]\nby = \"r\"\nweights = {{ \"{name}\" = 1, \"x\" = 1 }}\n"
    );
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
    let path = dir.path().join("out.xlsx");
    let out = salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "xlsx", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let package = Package::read(&path);
    for sheet in ["Detail", "Summary"] {
        let xml = package.sheet(sheet);
        let width: f64 = attr(after(&xml, "<col min=\"1\" max=\"1\""), "width").parse().unwrap();
        assert!(width >= 22.0, "{sheet}: column A is {width} wide");
    }
}

#[test]
fn the_same_plan_gives_the_same_bytes() {
    let (_a, first) = workbook(&TRACK);
    let (_b, second) = workbook(&TRACK);
    assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(), "byte-identical workbooks");
    // Two runs within a second would agree even with today's date in them: check the date itself.
    let core = Package::read(&first).part("docProps/core.xml");
    assert!(core.contains(">2026-01-01T00:00:00Z</dcterms:created>"), "a fixed creation date: {core}");
}

#[test]
fn every_example_writes_a_workbook_whose_summary_adds_up_to_the_detail() {
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 10);
    for plan in examples {
        let plan = plan.to_str().unwrap();
        let (_dir, path) = workbook(&["decompose", plan]);
        let csv = csv_of(&["decompose", plan]);
        assert_detail_is_csv(&path, &csv);
        let header = csv_header(&csv);
        let first_metric = &header[header.iter().position(|h| h == "end").unwrap() + 1];
        let want: Decimal = csv_rows(&csv).iter().map(|r| dec(&r[first_metric])).sum();
        let mut book = open(&path);
        let summary = book.worksheet_range("Summary").unwrap();
        // The first pivot (of the first metric) starts at row 3; its Total row is the first.
        let total_row = (4..summary.height() as u32)
            .find(|&r| summary.get_value((r, 0)) == Some(&Data::String("Total".into())))
            .unwrap();
        let total_col = (0..summary.width() as u32).find(|&c| text(&summary, 3, c) == "Total").unwrap();
        assert_eq!(number(&summary, total_row, total_col), want, "{plan}: the grand total");
    }
}

#[test]
fn more_rows_than_a_sheet_holds_is_refused_without_touching_the_file() {
    // 400 × 219 members × 12 months = 1,051,200 cells: past Excel's 1,048,576 rows.
    let a: Vec<String> = (0..400).map(|i| format!("a{i} = 1")).collect();
    let b: Vec<String> = (0..219).map(|i| format!("b{i} = 1")).collect();
    let plan = format!(
        "[plan]\nyear = 2026\nprecision = \"1\"\n[target]\nsales = 1_000_000_000\n[time]\nlevel = \"month\"\n\
         [[split]]\nby = \"a\"\nweights = {{ {} }}\n[[split]]\nby = \"b\"\nweights = {{ {} }}\n",
        a.join(", "),
        b.join(", ")
    );
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
    std::fs::write(dir.path().join("big.xlsx"), "yesterday's workbook").unwrap();
    let out = salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "xlsx", "--output", "big.xlsx"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error[E0812]: the breakdown has 1,051,200 cells, more rows than an Excel sheet holds"),
        "{stderr}"
    );
    assert!(stderr.contains("1,048,576") && stderr.contains("--format csv"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("big.xlsx")).unwrap(), "yesterday's workbook");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "no temporary file left behind: {left:?}");
}

#[test]
fn every_sheet_prints_landscape_a4_one_page_wide_with_titles_on_every_page() {
    let (_dir, path) = workbook(&["decompose", COMPANY]);
    let package = Package::read(&path);
    for sheet in ["Summary", "Detail"] {
        let xml = package.sheet(sheet);
        let setup = after(&xml, "<pageSetup");
        let setup = &setup[..setup.find("/>").unwrap()];
        assert_eq!(attr(setup, "paperSize"), "9", "{sheet}: A4");
        assert_eq!(attr(setup, "orientation"), "landscape", "{sheet}");
        // One page wide, as many pages down as it takes.
        assert!(after(&xml, "<sheetPr").contains("<pageSetUpPr fitToPage=\"1\"/>"), "{sheet}: fit to page");
        assert!(!setup.contains("fitToWidth"), "{sheet}: fitToWidth defaults to 1: {setup}");
        assert_eq!(attr(setup, "fitToHeight"), "0", "{sheet}: any height");
        let margins = after(&xml, "<pageMargins");
        for (side, inches) in [("left", "0.5"), ("right", "0.5"), ("top", "0.75"), ("bottom", "0.75")] {
            assert_eq!(attr(margins, side), inches, "{sheet}: {side} margin");
        }
        // The plan's title in the header (bold, centred), the page number in the footer.
        assert!(xml.contains("<oddHeader>&amp;C&amp;\"-,Bold\"2026 年度销售计划</oddHeader>"), "{sheet}: {xml:.0}");
        assert!(xml.contains("<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>"), "{sheet}");
    }
    // Print titles: the Detail's header row and member columns (region, product,
    // salesperson); the Summary's title, caption and header rows and its member columns.
    let workbook = package.part("xl/workbook.xml");
    assert!(
        workbook.contains(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">Detail!$A:$C,Detail!$1:$1</definedName>"
        ),
        "{workbook}"
    );
    assert!(
        workbook.contains(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">Summary!$A:$C,Summary!$1:$4</definedName>"
        ),
        "{workbook}"
    );
}

#[test]
fn a_title_with_an_ampersand_prints_as_written() {
    let plan = std::fs::read_to_string(root().join("examples/regions.toml")).unwrap();
    let plan = plan.replacen("name = \"2026 区域目标\"", "name = \"Sales & Service\"", 1);
    assert!(plan.contains("Sales & Service"));
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
    let path = dir.path().join("out.xlsx");
    let out = salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "xlsx", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // `&&` is a literal ampersand in a header; a single `&S` would strike the rest through.
    assert!(Package::read(&path)
        .sheet("Detail")
        .contains("<oddHeader>&amp;C&amp;\"-,Bold\"Sales &amp;&amp; Service</oddHeader>"));
}

#[test]
fn language_zh_labels_tables_and_workbooks_in_chinese_but_not_csv() {
    let plan = "[plan]\nname = \"两区\"\nyear = 2026\nlanguage = \"zh\"\n[target]\nsales = 1200\n[time]\nlevel = \"quarter\"\n\
                [[split]]\nby = \"region\"\nweights = { \"东\" = 1, \"西\" = 1 }\n[[split]]\nby = \"product\"\n\
                weights = { A = 1, B = 1 }\n";
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), plan).unwrap();
    let run = |args: &[&str]| {
        let out = salesplit().current_dir(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&["decompose", "plan.toml", "--by", "region,quarter"]);
    assert!(table.contains("区域") && table.contains("合计") && !table.contains("Total"), "{table}");
    // CSV keeps the contract's names.
    assert!(run(&["decompose", "plan.toml", "--format", "csv"]).starts_with("region,product,period,start,end,sales\n"));
    run(&["decompose", "plan.toml", "--format", "xlsx", "--output", "out.xlsx"]);
    let path = dir.path().join("out.xlsx");
    let summary = open(&path).worksheet_range("Summary").unwrap();
    assert_eq!(text(&summary, 2, 0), "销售额");
    assert_eq!(
        (text(&summary, 3, 0), text(&summary, 3, 1), text(&summary, 3, 6)),
        ("区域".into(), "产品".into(), "合计".into())
    );
    assert_eq!(text(&summary, 6, 0), "东 合计", "the subtotal of 东's two rows");
    assert_eq!(number(&summary, 6, 6), dec("600"));
    assert_eq!(text(&summary, 10, 0), "合计");
    assert_eq!(number(&summary, 10, 6), dec("1200"));
    assert!(Package::read(&path).sheet("Summary").contains("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>"));
}
