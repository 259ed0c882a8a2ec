//! Workbooks in a real spreadsheet engine: every formula of every example's
//! workbook (decompose and track, several `--by`) recalculated by `LibreOffice`
//! (`calculateAll()` through Python-UNO, `tests/lo_recalc.py`) must give the
//! value salesplit cached for it, and the company workbook printed to PDF
//! must take the pages its print setup promises. One `LibreOffice` process does
//! every workbook. An `--excel` CSV opened with `LibreOffice`'s shipped import
//! settings keeps its columns and names (`tests/lo_csv.py`). Where `LibreOffice` or python3-uno is missing, the tests
//! say "skipped: `LibreOffice` not installed" and pass (CI installs both in
//! `.ci/run`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::salesplit;

const TRACK: [&str; 6] =
    ["track", "examples/company.toml", "--actuals", "examples/company-sales.csv", "--as-of", "2026-03-15"];

/// Every example plan, each decomposed at its own level.
const EXAMPLES: [&str; 15] = [
    "areas",
    "cn-workdays",
    "company",
    "even-year",
    "fiscal",
    "funnel",
    "history",
    "metrics",
    "people",
    "regions",
    "retail-445",
    "shop-hours",
    "shop-month",
    "shop-week",
    "sources",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A python3 that can `import uno`, when `soffice` is on PATH too.
fn office_python() -> Option<PathBuf> {
    let on_path = |name: &str| {
        std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
    };
    if std::env::var_os("SOFFICE").is_none() && !on_path("soffice") && !on_path("libreoffice") {
        return None;
    }
    crate::common::python_with("uno")
}

/// The report of one `LibreOffice` run over every workbook, shared by the tests.
struct Recalc {
    /// The script's exit code and stdout.
    status: Option<i32>,
    stdout: String,
    stderr: String,
    /// The workbooks' folder (kept alive) and the PDFs beside them.
    dir: tempfile::TempDir,
}

impl Recalc {
    /// The report line of `name.xlsx` that starts with `word`.
    fn line(&self, word: &str, name: &str) -> Option<&str> {
        let file = format!("{}.xlsx:", self.dir.path().join(name).display());
        self.stdout.lines().find(|l| l.starts_with(word) && l.contains(&file))
    }
}

/// Writes a workbook of `args` to `dir/name.xlsx`.
fn workbook(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(format!("{name}.xlsx"));
    let out =
        salesplit().current_dir(root()).args(args).args(["--format", "xlsx", "--output"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    path
}

/// The workbooks the recalculation covers: `(name, args)`.
fn runs() -> Vec<(String, Vec<String>)> {
    let mut runs: Vec<(String, Vec<String>)> = EXAMPLES
        .iter()
        .map(|e| (format!("decompose-{e}"), vec!["decompose".into(), format!("examples/{e}.toml")]))
        .collect();
    for by in ["region,quarter", "region,product,month", "salesperson,week", "year"] {
        runs.push((
            format!("decompose-company-{}", by.replace(',', "-")),
            vec!["decompose".into(), "examples/company.toml".into(), "--by".into(), by.into()],
        ));
    }
    runs.push((
        "decompose-shop-week-month".into(),
        vec!["decompose".into(), "examples/shop-week.toml".into(), "--by".into(), "month".into()],
    ));
    for by in [None, Some("month"), Some("region,month"), Some("region,week"), Some("salesperson,quarter")] {
        let mut args: Vec<String> = TRACK.iter().map(|s| (*s).to_string()).collect();
        let name = match by {
            Some(by) => {
                args.extend(["--by".to_string(), by.to_string()]);
                format!("track-{}", by.replace(',', "-"))
            }
            None => "track".to_string(),
        };
        runs.push((name, args));
    }
    runs
}

/// A copy of `from` at `to` whose first cached formula number on any sheet
/// is one more than salesplit wrote: the control that shows the check can fail.
fn tamper(from: &Path, to: &Path) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let mut changed = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if !changed && name.starts_with("xl/worksheets/sheet") {
            let text = String::from_utf8(bytes).unwrap();
            if let Some(f) = text.find("</f><v>") {
                let start = f + "</f><v>".len();
                let end = start + text[start..].find("</v>").unwrap();
                let value: f64 = text[start..end].parse().unwrap();
                bytes = format!("{}{}{}", &text[..start], value + 1.0, &text[end..]).into_bytes();
                changed = true;
            } else {
                bytes = text.into_bytes();
            }
        }
        writer.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        writer.write_all(&bytes).unwrap();
    }
    writer.finish().unwrap();
    assert!(changed, "the workbook has a cached formula number");
}

/// Runs `tests/lo_recalc.py` once over every workbook of [`runs`] plus a
/// tampered copy, printing the company workbook to PDF; `None` when
/// `LibreOffice` is not installed.
fn recalc() -> Option<&'static Recalc> {
    static RECALC: OnceLock<Option<Recalc>> = OnceLock::new();
    RECALC
        .get_or_init(|| {
            let python = office_python()?;
            let dir = tempfile::TempDir::new().unwrap();
            let mut books: Vec<PathBuf> = Vec::new();
            for (name, args) in runs() {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                books.push(workbook(dir.path(), &name, &args));
            }
            let tampered = dir.path().join("tampered.xlsx");
            tamper(&dir.path().join("track.xlsx"), &tampered);
            books.push(tampered);
            let out = Command::new(python)
                .arg(root().join("tests/lo_recalc.py"))
                .arg("--pdf")
                .arg(dir.path())
                .args(&books)
                .output()
                .unwrap();
            Some(Recalc {
                status: out.status.code(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                dir,
            })
        })
        .as_ref()
}

#[test]
fn every_formula_of_every_workbook_caches_what_libreoffice_computes() {
    let Some(recalc) = recalc() else {
        eprintln!("skipped: LibreOffice not installed (soffice and python3-uno)");
        return;
    };
    let report = format!("stdout:\n{}\nstderr:\n{}", recalc.stdout, recalc.stderr);
    // Exit 1: some workbook failed — which must be the tampered one alone.
    assert_eq!(recalc.status, Some(1), "{report}");
    let tampered = recalc.line("FAIL", "tampered").unwrap_or_else(|| panic!("the tampered copy is caught: {report}"));
    assert!(tampered.contains(": 1 of "), "exactly the one changed formula differs: {tampered}\n{report}");
    let mut formulas = 0;
    for (name, _) in runs() {
        let line = recalc.line("ok", &name).unwrap_or_else(|| panic!("{name} recalculates as cached: {report}"));
        let count: usize = line.rsplit(": ").next().unwrap().trim_end_matches(" formulas").parse().unwrap();
        formulas += count;
        // Every workbook has at least its Detail sheet's Total row of formulas.
        assert!(count > 0, "{line}");
    }
    eprintln!("{formulas} formulas recalculated by LibreOffice, all as cached");
}

#[test]
fn the_company_workbook_prints_one_page_wide_in_landscape() {
    let Some(recalc) = recalc() else {
        eprintln!("skipped: LibreOffice not installed (soffice and python3-uno)");
        return;
    };
    let pages = |name: &str| -> usize {
        let line = recalc.line("pages", name).unwrap_or_else(|| panic!("{name} printed: {}", recalc.stdout));
        line.rsplit(": ").next().unwrap().parse().unwrap()
    };
    // 720 Detail rows at about 30 a landscape page, plus the Summary's one
    // page: 38 portrait pages before the print setup, cut off at the seventh
    // column; one page wide, they are far fewer.
    let company = pages("decompose-company");
    assert!((20..=30).contains(&company), "decompose-company prints on {company} pages");
    // The region x quarter summary and its 15 Detail rows: one page each.
    assert_eq!(pages("decompose-company-region-quarter"), 2);
}

/// Names a spreadsheet would turn into numbers or dates, or split at a `;`
/// or a tab, beside ordinary ones; year level, so each member is one row.
const SPREADSHEET_NAMES: &str = r#"[plan]
name = "Stores"
currency = "CNY"
year = 2026
precision = "0.01"

[target]
sales = 1_000

[time]
level = "year"

[[split]]
by = "store"
weights = { "0123" = 1, "1e5" = 1, "2026-01-01" = 1, "3-4" = 1, "TRUE" = 1, "a;b" = 1, "c\td" = 1, "华东" = 1, "Maya" = 1, "=SUM(A1)" = 1 }
"#;

/// What `tests/lo_csv.py` says `LibreOffice` made of each cell of `csv`.
fn opened_in_libreoffice(python: &Path, csv: &Path, evaluate: bool) -> Vec<Vec<(String, String)>> {
    let mut command = Command::new(python);
    command.arg(root().join("tests/lo_csv.py"));
    if evaluate {
        command.arg("--evaluate");
    }
    let out = command.arg(csv).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "lo_csv.py: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn an_excel_csv_opens_with_its_columns_and_names_intact() {
    let Some(python) = office_python() else {
        eprintln!("skipped: LibreOffice not installed (soffice and python3-uno)");
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), SPREADSHEET_NAMES).unwrap();
    let path = dir.path().join("plan.csv");
    let out = salesplit()
        .current_dir(dir.path())
        .args(["decompose", "plan.toml", "--format", "csv", "--excel", "--output"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let names = ["0123", "1e5", "2026-01-01", "3-4", "TRUE", "a;b", "c\td", "华东", "Maya", "=SUM(A1)"];
    // With the import dialog as LibreOffice ships it (comma, semicolon and
    // tab all separate): no field is split, every row keeps its five columns.
    let shipped = opened_in_libreoffice(&python, &path, false);
    assert_eq!(shipped.len(), 1 + names.len(), "{shipped:?}");
    for row in &shipped {
        assert_eq!(row.len(), 5, "a field was split: {row:?}");
    }
    assert_eq!(shipped[6][0], ("TEXT".to_string(), "a;b".to_string()));
    assert_eq!(shipped[7][0], ("TEXT".to_string(), "c\td".to_string()));
    // Evaluating formulas, as Excel and WPS always do: every name is text
    // and shows as written (a formula-like one with the OWASP `'`), and
    // every amount is a number: 1,000.00 in ten equal parts.
    let evaluated = opened_in_libreoffice(&python, &path, true);
    for (row, name) in evaluated[1..].iter().zip(names) {
        let shown = if name.starts_with('=') { format!("'{name}") } else { name.to_string() };
        assert!(matches!(row[0].0.as_str(), "TEXT" | "FORMULA-TEXT"), "{name} is text: {row:?}");
        assert_eq!(row[0].1, shown, "{row:?}");
        assert_eq!(row[1], ("VALUE".to_string(), "2026".to_string()), "the year is a number: {row:?}");
        assert_eq!(row[4], ("VALUE".to_string(), "100".to_string()), "the amount is a number: {row:?}");
    }
}
