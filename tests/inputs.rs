//! Inputs as users have them (issue 16): every example's roster, baseline
//! and actuals given as a workbook (built here with `rust_xlsxwriter`, cells
//! typed as Excel types them), as GBK (GB18030) text, as UTF-16 with a BOM,
//! and separated by `;` or tabs, print byte for byte what the CSV prints;
//! errors in a sheet name the file, the sheet and the cell.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::common::{lines, Test};

/// The example files, by name.
fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// `csv` as a workbook whose sheet `sheet` has a title row, an empty row
/// and the table from column B on, each cell typed as Excel would type it
/// when the user typed the text: dates as date cells, plain numbers as
/// numbers, the rest (`1,500,000`, `25%|50%|75%`, names) as text.
fn workbook(csv: &[u8], sheet: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.write_string(0, 0, "Exported from the sales system").unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
    for (r, record) in reader.records().enumerate() {
        let row = r as u32 + 2;
        for (c, cell) in record.unwrap().iter().enumerate() {
            let col = c as u16 + 1;
            let ymd: Vec<&str> = cell.split('-').collect();
            if cell.len() == 10 && ymd.len() == 3 && ymd.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
                let (y, m, d) = (ymd[0].parse().unwrap(), ymd[1].parse().unwrap(), ymd[2].parse().unwrap());
                ws.write_datetime_with_format(row, col, ExcelDateTime::from_ymd(y, m, d).unwrap(), &date).unwrap();
            } else if let Some(n) = plain_number(cell) {
                ws.write_number(row, col, n).unwrap();
            } else if !cell.is_empty() {
                ws.write_string(row, col, cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// What Excel makes a number of when typed: digits with one optional point and sign.
fn plain_number(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.matches('.').count() <= 1
        && !digits.starts_with('.');
    ok.then(|| cell.parse().unwrap())
}

/// `text` encoded as GB18030 (what Excel writes as "CSV" on Chinese Windows).
fn gbk(text: &[u8]) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(std::str::from_utf8(text).unwrap());
    assert!(!unmappable);
    bytes.into_owned()
}

/// `text` as UTF-16LE with a BOM (Excel's "Unicode Text").
fn utf16(text: &[u8]) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    out.extend(std::str::from_utf8(text).unwrap().encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// `text` with its commas (outside quotes) replaced by `sep`, quotes kept.
fn separated(text: &[u8], sep: u8) -> Vec<u8> {
    let mut quoted = false;
    text.iter()
        .map(|&b| {
            if b == b'"' {
                quoted = !quoted;
            }
            if b == b',' && !quoted {
                sep
            } else {
                b
            }
        })
        .collect()
}

/// Runs `args` over the example plan `plan` and its `files`, with `file`
/// replaced by `name` holding `bytes` (the plan names `name`, with `extra`
/// lines after the line naming the file); returns stdout, stderr and the
/// exit status.
fn run_with(
    plan: &str,
    files: &[&str],
    file: &str,
    name: &str,
    bytes: Vec<u8>,
    extra: &str,
    args: &[&str],
) -> (String, String, Option<i32>) {
    let original = String::from_utf8(example(plan)).unwrap();
    let plan_text = original.replace(&format!("\"{file}\""), &format!("\"{name}\"{extra}"));
    let mut run = Test::new().file(plan, plan_text);
    for f in files.iter().filter(|f| **f != file) {
        run = run.file(f, example(f));
    }
    let args: Vec<String> = args.iter().map(|a| a.replace(file, name)).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run.file(name, bytes).args(&args).output();
    (out.stdout, out.stderr, out.status)
}

/// The file of every example that has one, and a run that reads it.
const EXAMPLE_RUNS: &[(&str, &[&str], &str, &[&str])] = &[
    ("company.toml", &["company-reps.csv"], "company-reps.csv", &["decompose", "company.toml", "--format", "csv"]),
    ("people.toml", &["people-reps.csv"], "people-reps.csv", &["decompose", "people.toml", "--format", "csv"]),
    ("history.toml", &["sales-2025.csv"], "sales-2025.csv", &["decompose", "history.toml", "--format", "csv"]),
    (
        "company.toml",
        &["company-reps.csv", "company-sales.csv"],
        "company-sales.csv",
        &["track", "company.toml", "--actuals", "company-sales.csv", "--as-of", "2026-03-15", "--format", "csv"],
    ),
];

/// Every example's file, converted by `convert` (named with extension
/// `ext`, the plan saying `extra`'s first part and track's command line its
/// second), prints what the CSV prints; the notes on stderr are `notes`
/// (`{}` for the file's name).
fn same_output(convert: fn(&[u8]) -> Vec<u8>, ext: &str, extra: (&str, &str), notes: &str) {
    for &(plan, files, file, args) in EXAMPLE_RUNS {
        let csv = example(file);
        let (want, want_err, want_status) = run_with(plan, files, file, file, csv.clone(), "", args);
        assert_eq!(want_status, Some(0), "{plan} {file}: {want_err}");
        let name = file.replace(".csv", ext);
        let is_track = args[0] == "track";
        let (plan_extra, mut args) = if is_track { ("", args.to_vec()) } else { (extra.0, args.to_vec()) };
        if is_track && !extra.1.is_empty() {
            args.extend(extra.1.split(' '));
        }
        let (got, err, status) = run_with(plan, files, file, &name, convert(&csv), plan_extra, &args);
        assert_eq!(status, Some(0), "{plan} {name}: {err}");
        let want_err = notes.replace("{}", &name) + &want_err.replace(file, &name);
        assert_eq!(err, want_err, "{plan} {name}: the notes");
        assert!(got == want, "{plan} {name} prints other figures than {file}");
        assert!(got.lines().count() > 10, "{plan}: {got}");
    }
}

#[test]
fn every_example_file_as_a_workbook_prints_what_its_csv_prints() {
    same_output(|csv| workbook(csv, "Sheet1"), ".xlsx", ("", ""), "");
}

#[test]
fn a_sheet_is_chosen_by_name() {
    fn two_sheets(csv: &[u8]) -> Vec<u8> {
        // The wanted sheet second, after a sheet of other data.
        let mut book = Workbook::new();
        book.add_worksheet().set_name("说明").unwrap().write_string(0, 0, "not this one").unwrap();
        let ws = book.add_worksheet().set_name("华东").unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
        for (r, record) in reader.records().enumerate() {
            for (c, cell) in record.unwrap().iter().enumerate() {
                match plain_number(cell) {
                    Some(n) => ws.write_number(r as u32, c as u16, n).unwrap(),
                    None => ws.write_string(r as u32, c as u16, cell).unwrap(),
                };
            }
        }
        book.save_to_buffer().unwrap()
    }
    same_output(two_sheets, ".xlsx", ("\nsheet = \"华东\"", "--sheet 华东"), "");
}

#[test]
fn every_example_file_in_gbk_prints_what_its_csv_prints() {
    same_output(gbk, ".gbk.csv", ("", ""), "note: {} read as GB18030 (not UTF-8)\n");
    // Said, no note.
    same_output(gbk, ".gbk.csv", ("\nencoding = \"gbk\"", "--encoding gbk"), "");
}

#[test]
fn every_example_file_in_utf16_prints_what_its_csv_prints() {
    same_output(utf16, ".txt", ("", ""), "note: {} read as UTF-16LE (not UTF-8)\n");
}

#[test]
fn every_example_file_separated_by_semicolons_or_tabs_prints_what_its_csv_prints() {
    same_output(
        |t| separated(t, b';'),
        ".ssv",
        ("", ""),
        "note: {} is separated by semicolons, not commas: read as such\n",
    );
    same_output(|t| separated(t, b'\t'), ".tsv", ("", ""), "note: {} is separated by tabs, not commas: read as such\n");
    same_output(|t| separated(t, b';'), ".ssv", ("\ndelimiter = \";\"", "--delimiter ;"), "");
    same_output(|t| separated(t, b'\t'), ".tsv", ("\ndelimiter = \"tab\"", "--delimiter tab"), "");
}

const PLAN: &str = "[plan]\nyear = 2026\n[target.sales]\ntotal = 1000\n[[split]]\nby = \"region\"\nweights = { \"华东\" = 1, \"华北\" = 1 }\n[[split]]\nby = \"name\"\nroster = \"reps.xlsx\"\nsheet = \"华东\"\n";

/// A roster sheet named 华东 with `rows` under the header name,region,weight (from A1).
fn roster_book(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("华东").unwrap();
    for (c, h) in ["name", "region", "weight"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match plain_number(cell) {
                Some(n) => ws.write_number(r as u32 + 1, c as u16, n).unwrap(),
                None if cell.is_empty() => ws,
                None => ws.write_string(r as u32 + 1, c as u16, *cell).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

fn roster_fails(book: Vec<u8>, plan: &str, expected: &str) {
    Test::new()
        .file("plan.toml", plan)
        .file("reps.xlsx", book)
        .args(&["decompose", "plan.toml"])
        .stderr(expected)
        .status(1)
        .run();
}

#[test]
fn an_error_in_a_sheet_names_the_sheet_and_the_cell() {
    let rows: &[&[&str]] =
        &[&["Ann", "华东", "1"], &["Bob", "华北", "1"], &["Cy", "华东", "abc"], &["Di", "西南", "2"]];
    let expected = lines(&[
        "error[E0201]: the weight of `Cy` is not usable: `abc` is not a number",
        "  --> reps.xlsx [华东] C4",
        "  |",
        "4 | Cy,华东,abc",
        "  |         ^^^",
        "  = help: write a relative weight such as 1 or 1.2, or a percentage such as 30%",
        "",
        "error[E0302]: `Di`'s region `西南` is not a member of split `region`",
        "  --> reps.xlsx [华东] B5",
        "  |",
        "5 | Di,西南,2",
        "  |    ^^^^",
        "  = help: write one of the members of `region`: 华东, 华北",
        "",
        "2 problems found; nothing was computed",
    ]);
    roster_fails(roster_book(rows), PLAN, &expected);
    // The same rows as CSV: the same messages, notes and helps, at lines.
    let csv: String = std::iter::once("name,region,weight".to_string())
        .chain(rows.iter().map(|r| r.join(",")))
        .map(|l| l + "\n")
        .collect();
    let plan = PLAN.replace("reps.xlsx", "reps.csv").replace("sheet = \"华东\"\n", "");
    let as_csv =
        expected.replace("reps.xlsx [华东] C4", "reps.csv line 4").replace("reps.xlsx [华东] B5", "reps.csv line 5");
    Test::new()
        .file("plan.toml", plan)
        .file("reps.csv", csv)
        .args(&["decompose", "plan.toml"])
        .stderr(&as_csv)
        .status(1)
        .run();
}

#[test]
fn a_cell_right_of_the_header_is_a_row_with_too_many_cells() {
    let rows: &[&[&str]] = &[&["Ann", "华东", "1"], &["Bob", "华北", "1", "", "x"]];
    roster_fails(
        roster_book(rows),
        PLAN,
        &lines(&[
            "error[E0605]: the row of `Bob` has 5 cells but the header has 3 columns",
            "  --> reps.xlsx [华东] E3",
            "  |",
            "3 | Bob,华北,1,,x",
            "  |             ^",
            "  = help: a comma inside a value splits it in two: put the value in quotes (\"1,200,000\") or drop the thousands separator (1200000), or name the extra column in the header",
        ]),
    );
}

#[test]
fn a_sheet_the_workbook_does_not_have() {
    roster_fails(
        roster_book(&[&["Ann", "华东", "1"]]),
        &PLAN.replace("sheet = \"华东\"", "sheet = \"华南\""),
        &lines(&[
            "error[E0613]: the roster's workbook has no sheet `华南`",
            "  --> reps.xlsx",
            "  = note: its sheets: 华东",
            "  = help: write one of the workbook's sheets in `sheet`: 华东",
        ]),
    );
}

#[test]
fn a_damaged_workbook() {
    let mut book = roster_book(&[&["Ann", "华东", "1"]]);
    book.truncate(book.len() / 2);
    let out = Test::new().file("plan.toml", PLAN).file("reps.xlsx", book).args(&["decompose", "plan.toml"]).output();
    assert_eq!(out.status, Some(1));
    assert!(out.stderr.starts_with("error[E0612]: the roster cannot be read as a workbook: "), "{}", out.stderr);
    assert!(out.stderr.ends_with(&lines(&[
        "  --> reps.xlsx",
        "  = help: open it in Excel or LibreOffice and save it again as .xlsx, or save the sheet as \"CSV UTF-8 (Comma delimited)\"",
    ])), "{}", out.stderr);
}

#[test]
fn an_encoding_or_delimiter_salesplit_does_not_read() {
    let plan = "[plan]\nyear = 2026\n[target.sales]\ntotal = 1000\n[[split]]\nby = \"name\"\nroster = \"reps.csv\"\nencoding = \"latin1\"\ndelimiter = \"::\"\n";
    Test::new()
        .file("plan.toml", plan)
        .file("reps.csv", "name,weight\nAnn,1\n")
        .args(&["decompose", "plan.toml"])
        .stderr(&lines(&[
            "error[E0614]: the roster's encoding `latin1` is not one salesplit reads",
            "  --> plan.toml:8:12",
            "  |",
            "8 | encoding = \"latin1\"",
            "  |            ^^^^^^^^",
            "  = help: write one of: utf-8, gbk, gb18030, utf-16le, utf-16be; or leave `encoding` out to have it found from the file",
            "",
            "error[E0614]: the roster's delimiter `::` is not one salesplit reads",
            "  --> plan.toml:9:13",
            "  |",
            "9 | delimiter = \"::\"",
            "  |             ^^^^",
            "  = help: write one of: \",\", \";\", \"tab\" (or \"\\t\"); or leave `delimiter` out to have it found from the header",
            "",
            "2 problems found; nothing was computed",
        ]))
        .status(1)
        .run();
}

#[test]
fn a_file_neither_utf8_nor_gb18030_is_still_refused() {
    // 0xff is never in GB18030 text, nor in UTF-8.
    let mut roster = b"name,weight\n".to_vec();
    roster.extend_from_slice(b"Ann\xff\xfe,1\n");
    let plan = "[plan]\nyear = 2026\n[target.sales]\ntotal = 1000\n[[split]]\nby = \"name\"\nroster = \"reps.csv\"\n";
    Test::new()
        .file("plan.toml", plan)
        .file("reps.csv", roster)
        .args(&["decompose", "plan.toml"])
        .stderr(&lines(&[
            "error[E0601]: the roster is not UTF-8 text",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann\u{fffd}\u{fffd},1",
            "  |    ^",
            "  = note: this is the first line that is not UTF-8; salesplit reads GBK (GB18030) and UTF-16 files too, found from the file's first 64 KB, which did not show one",
            "  = help: if the file is GBK, say so (`encoding = \"gbk\"` next to the file in the plan, or track's --encoding gbk); else save it as \"CSV UTF-8 (Comma delimited)\" (in Excel: File > Save As), or convert it with iconv -f GB18030 -t UTF-8 reps.csv > utf8.csv",
        ]))
        .status(1)
        .run();
}

#[test]
fn gbk_that_is_not_gbk_later_on_names_its_line() {
    let mut roster = gbk("name,weight\n张伟,1\n".as_bytes());
    roster.extend_from_slice(b"Ann\xff,1\n");
    let plan = "[plan]\nyear = 2026\n[target.sales]\ntotal = 1000\n[[split]]\nby = \"name\"\nroster = \"reps.csv\"\nencoding = \"gbk\"\n";
    Test::new()
        .file("plan.toml", plan)
        .file("reps.csv", roster)
        .args(&["decompose", "plan.toml"])
        .stderr(&lines(&[
            "error[E0601]: the roster has bytes that are not text in its encoding, on line 3",
            "  --> reps.csv",
            "  = note: the file was read as GB18030 (GBK) or UTF-16, from its start or as the plan or --encoding says",
            "  = help: check the encoding: save the file as \"CSV UTF-8 (Comma delimited)\", or name its encoding with `encoding`",
        ]))
        .status(1)
        .run();
}

#[test]
fn a_holiday_calendar_as_a_workbook_with_true_and_false_cells() {
    let plan = |file: &str| {
        format!("[plan]\nyear = 2026\n[target]\nsales = 2480\n[time]\nlevel = \"day\"\nspread = \"workdays\"\nholidays = [\"{file}\"]\n")
    };
    let csv = "date,name,is_off_day\n2026-01-05,Our day off,true\n2026-01-10,Make-up Saturday,false\n";
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["date", "name", "is_off_day"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (d, name, off)) in [(5, "Our day off", true), (10, "Make-up Saturday", false)].into_iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_datetime_with_format(row, 0, ExcelDateTime::from_ymd(2026, 1, d).unwrap(), &date).unwrap();
        ws.write_string(row, 1, name).unwrap();
        ws.write_boolean(row, 2, off).unwrap();
    }
    let args = ["decompose", "plan.toml", "--format", "csv", "--period", "2026-01"];
    let from_csv = Test::new().file("plan.toml", plan("our-days.csv")).file("our-days.csv", csv).args(&args).output();
    let from_xlsx = Test::new()
        .file("plan.toml", plan("our-days.xlsx"))
        .file("our-days.xlsx", book.save_to_buffer().unwrap())
        .args(&args)
        .output();
    assert_eq!((from_csv.status, from_csv.stderr.as_str()), (Some(0), ""));
    assert_eq!((from_xlsx.status, from_xlsx.stderr.as_str()), (Some(0), ""));
    // The day off has no target, the make-up Saturday has one.
    let day = |out: &str, d: &str| out.lines().find(|l| l.contains(d)).map(str::to_string);
    assert!(day(&from_csv.stdout, "2026-01-05").is_some_and(|l| l.ends_with(",0.00")), "{}", from_csv.stdout);
    assert!(day(&from_csv.stdout, "2026-01-10").is_some_and(|l| !l.ends_with(",0.00")), "{}", from_csv.stdout);
    assert!(from_xlsx.stdout == from_csv.stdout, "{}", from_xlsx.stdout);
}
