//! The spreadsheet-grade outputs end to end, through the real binary:
//! `--format csv --excel` byte for byte, plain CSV unchanged, `--format
//! jsonl` against `--format json`, and the shipped schemas
//! (`schema/output.schema.json`, `schema/explain.schema.json`) against real
//! documents of every shipped example — every level, slots, retail and
//! fiscal periods, JSON Lines rows, explanations — a tracking report and a
//! replan.
//! Expected bytes and figures are worked out by hand in the comments, never
//! copied from the program's output.

use crate::common::json::{parse_json, J};
use crate::common::{csv_rows, dec, salesplit};

use rust_decimal::Decimal;
use serde_json::Value as Json;

/// Runs `salesplit` in the crate's folder (so `examples/…` resolve) and
/// returns stdout as bytes; it must succeed with nothing on stderr but notes.
#[track_caller]
fn run(args: &[&str]) -> Vec<u8> {
    let out = salesplit().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "salesplit {args:?} failed: {stderr}");
    assert!(stderr.lines().all(|l| l.starts_with("note: ")), "unexpected stderr of {args:?}: {stderr}");
    out.stdout
}

/// [`run`] as text.
#[track_caller]
fn text(args: &[&str]) -> String {
    String::from_utf8(run(args)).unwrap()
}

/// As [`run`], in a fresh folder holding `files`.
#[track_caller]
fn run_with(files: &[(&str, &str)], args: &[&str]) -> Vec<u8> {
    let dir = tempfile::TempDir::new().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = salesplit().current_dir(dir.path()).args(args).output().unwrap();
    assert!(out.status.success(), "salesplit {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "stderr of salesplit {args:?}");
    out.stdout
}

/// Member names a spreadsheet would run as formulas, one harmless Chinese
/// name, one that needs RFC 4180 quoting as well, and the two control
/// characters of the OWASP rule; the split's own name starts with `@` too.
/// Year level, so each member is one row: 1,000.00 split 20/20/10/10/20/10/5/5.
const FORMULAS: &str = r#"[plan]
name = "=cmd|' /C calc'!A0"
currency = "CNY"
year = 2026
precision = "0.01"

[target]
sales = 1_000

[time]
level = "year"

[[split]]
by = "@area"
weights = { "=SUM(A1)" = "20%", "+x" = "20%", "-y" = "10%", "@z" = "10%", "华东" = "20%", "=HYPERLINK(\"http://x\",\"y\")" = "10%", "\tt" = "5%", "\rr" = "5%" }
"#;

/// The tail every row of [`FORMULAS`] shares before its amount: the year and
/// its first and last day.
const YEAR: &str = "2026,2026-01-01,2026-12-31";

#[test]
fn excel_csv_has_a_bom_crlf_and_neutralised_text_byte_for_byte() {
    let got = run_with(&[("plan.toml", FORMULAS)], &["decompose", "plan.toml", "--format", "csv", "--excel"]);
    // Each text field starting with = + - @ tab or CR gains a leading `'`;
    // the HYPERLINK one is quoted because of its commas and quotes (inner
    // quotes doubled) and the CR one because of the CR, as RFC 4180 asks,
    // with the `'` inside the quotes. Amounts and dates are as in plain CSV.
    let expected = [
        "\u{feff}'@area,period,start,end,sales\r\n".to_string(),
        format!("'=SUM(A1),{YEAR},200.00\r\n"),
        format!("'+x,{YEAR},200.00\r\n"),
        format!("'-y,{YEAR},100.00\r\n"),
        format!("'@z,{YEAR},100.00\r\n"),
        format!("华东,{YEAR},200.00\r\n"),
        format!("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",{YEAR},100.00\r\n"),
        format!("\"'\tt\",{YEAR},50.00\r\n"),
        format!("\"'\rr\",{YEAR},50.00\r\n"),
    ]
    .concat();
    assert_eq!(String::from_utf8(got).unwrap(), expected);
}

#[test]
fn plain_csv_keeps_no_bom_lf_and_the_names_as_written() {
    let got = run_with(&[("plan.toml", FORMULAS)], &["decompose", "plan.toml", "--format", "csv"]);
    // Plain CSV is for programs: names are data and stay exactly as written.
    let expected = [
        "@area,period,start,end,sales\n".to_string(),
        format!("=SUM(A1),{YEAR},200.00\n"),
        format!("+x,{YEAR},200.00\n"),
        format!("-y,{YEAR},100.00\n"),
        format!("@z,{YEAR},100.00\n"),
        format!("华东,{YEAR},200.00\n"),
        format!("\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",{YEAR},100.00\n"),
        format!("\tt,{YEAR},50.00\n"),
        format!("\"\rr\",{YEAR},50.00\n"),
    ]
    .concat();
    assert_eq!(String::from_utf8(got).unwrap(), expected);
}

/// `track examples/company.toml` as of 15 March 2026.
const TRACK: [&str; 6] =
    ["track", "examples/company.toml", "--actuals", "examples/company-sales.csv", "--as-of", "2026-03-15"];

/// [`TRACK`] plus `more`.
fn track_args<'a>(more: &[&'a str]) -> Vec<&'a str> {
    [&TRACK[..], more].concat()
}

#[test]
fn excel_csv_of_a_track_report_leaves_negative_gaps_and_words_alone() {
    let plain = text(&track_args(&["--format", "csv"]));
    let excel = text(&track_args(&["--format", "csv", "--excel"]));
    // 李娜 sold more than her January target, so her gap is below zero: the
    // report must have negative numbers for this test to mean anything.
    let rows = csv_rows(&plain);
    let negative: Vec<&String> = rows.iter().map(|r| &r["gap"]).filter(|g| g.starts_with('-')).collect();
    assert!(!negative.is_empty(), "no negative gap to check");
    // Names are Chinese, statuses are words like `behind` and numbers keep
    // their sign, so nothing is neutralised: Excel's CSV is plain CSV with a
    // BOM and CRLF, and not one `'` appears.
    assert!(!excel.contains('\''), "something was neutralised");
    assert_eq!(excel, format!("\u{feff}{}", plain.replace('\n', "\r\n")));
    let excel_rows = csv_rows(excel.trim_start_matches('\u{feff}'));
    assert_eq!(excel_rows, rows);
    assert!(excel_rows.iter().any(|r| r["gap"].starts_with('-') && r["remaining"].starts_with('-')));
}

/// The document's lines: a header line, one line per row (with a comma
/// after all but the last) and the closing line with the totals.
fn document_rows(json: &str) -> Vec<&str> {
    let lines: Vec<&str> = json.lines().collect();
    assert!(lines.len() >= 2, "not a document: {json}");
    lines[1..lines.len() - 1].iter().map(|l| l.strip_suffix(',').unwrap_or(l)).collect()
}

/// The number `key` of a JSON object, as written (`common/json.rs`;
/// `serde_json` alone would turn `200.00` into `200.0`).
#[track_caller]
fn raw(object: &J, key: &str) -> String {
    let value = object.get(key).unwrap_or_else(|| panic!("no {key} in {object:?}"));
    value.num().unwrap_or_else(|| panic!("{key} is not a number: {value:?}")).to_string()
}

/// `text` read keeping numbers as written.
#[track_caller]
fn read(text: &str) -> J {
    parse_json(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// How many decimals a number's text has.
fn decimals(number: &str) -> u32 {
    number.split_once('.').map_or(0, |(_, f)| f.len() as u32)
}

/// What a run is, what to add to `decompose` or `track`, and its money
/// columns (they have exactly the plan's decimals and add up to the total).
struct Case {
    args: Vec<&'static str>,
    money: &'static [&'static str],
}

fn cases() -> Vec<Case> {
    let decompose = |plan: &'static str, by: &'static str| {
        let mut args = vec!["decompose", plan];
        if !by.is_empty() {
            args.extend(["--by", by]);
        }
        args
    };
    vec![
        Case { args: decompose("examples/company.toml", ""), money: &["sales"] },
        Case { args: decompose("examples/company.toml", "region,quarter"), money: &["sales"] },
        Case { args: decompose("examples/fiscal.toml", "quarter"), money: &["sales"] },
        Case { args: decompose("examples/funnel.toml", ""), money: &["sales"] },
        Case { args: decompose("examples/metrics.toml", ""), money: &["sales"] },
        Case { args: decompose("examples/people.toml", ""), money: &["sales", "sales_base"] },
        Case { args: TRACK.to_vec(), money: &["target", "target_to_date", "actual_to_date", "gap", "remaining"] },
        Case { args: track_args(&["--replan"]), money: &["sales"] },
    ]
}

/// `case` in `format`.
fn output(case: &Case, format: &str) -> String {
    let mut args = case.args.clone();
    args.extend(["--format", format]);
    text(&args)
}

#[test]
fn jsonl_is_the_json_rows_one_per_line_and_no_more() {
    for case in cases() {
        let jsonl = output(&case, "jsonl");
        let json = output(&case, "json");
        let csv = output(&case, "csv");
        let document: Json = serde_json::from_str(&json).unwrap();
        let places = decimals(document["precision"].as_str().unwrap());
        let lines: Vec<&str> = jsonl.lines().collect();
        let what = &case.args;
        // No header object and no total line: exactly one line per CSV row.
        assert_eq!(lines.len(), csv_rows(&csv).len(), "{what:?}");
        assert!(jsonl.ends_with("}\n"), "{what:?}");
        // The same row writer: each line is the document's row, byte for byte.
        assert_eq!(lines, document_rows(&json), "{what:?}");
        for (line, row) in lines.iter().zip(document["rows"].as_array().unwrap()) {
            let parsed: Json = serde_json::from_str(line).unwrap_or_else(|e| panic!("{what:?}: {e}: {line}"));
            assert_eq!(&parsed, row, "{what:?}");
            assert!(parsed.is_object() && parsed.get("period").is_some(), "{what:?}: {line}");
            let as_written = read(line);
            for column in case.money {
                let number = raw(&as_written, column);
                assert!(number.parse::<Decimal>().is_ok(), "{what:?}: {column} = {number}, not a number");
                assert_eq!(decimals(&number), places, "{what:?}: {column} = {number}");
            }
        }
    }
}

#[test]
fn jsonl_columns_add_up_to_the_json_total() {
    for case in cases() {
        let jsonl = output(&case, "jsonl");
        let json = output(&case, "json");
        let totals = read(&json).get("total").expect("a total").clone();
        let rows: Vec<J> = jsonl.lines().map(read).collect();
        for column in case.money {
            let sum: Decimal = rows.iter().map(|row| dec(&raw(row, column))).sum();
            let total = raw(&totals, column);
            assert_eq!(sum, dec(&total), "{:?}: {column}", case.args);
            assert_eq!(decimals(&total), decimals(&sum.to_string()), "{:?}: {column}", case.args);
        }
    }
}

/// A shipped schema (`schema/NAME`), checking `format: date` as an
/// assertion (it is only an annotation unless asked).
fn schema_named(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(format!("schema/{name}")).unwrap();
    let schema: Json = serde_json::from_str(&text).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema itself is valid")
}

/// The schema of decompose and track documents.
fn schema() -> jsonschema::Validator {
    schema_named("output.schema.json")
}

/// The output schema's `row`, for each line of `--format jsonl`.
fn row_schema() -> jsonschema::Validator {
    let schema: Json = serde_json::from_str(&std::fs::read_to_string("schema/output.schema.json").unwrap()).unwrap();
    let row = serde_json::json!({"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/row"});
    jsonschema::options().should_validate_formats(true).build(&row).expect("the row schema is valid")
}

/// Every way the schema finds `document` wrong.
fn problems(schema: &jsonschema::Validator, document: &Json) -> Vec<String> {
    schema.iter_errors(document).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// The shipped example plans, sorted.
fn example_plans() -> Vec<String> {
    let mut plans: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| std::path::Path::new(p).extension().is_some_and(|e| e == "toml"))
        .collect();
    plans.sort();
    assert!(plans.len() >= 10, "examples not found: {plans:?}");
    plans
}

/// `--cell` naming `row`'s members and period, of a document's `dimensions`.
fn cell_of(dimensions: &Json, row: &Json) -> String {
    let names = dimensions.as_array().unwrap().iter().map(|d| d.as_str().unwrap());
    names.map(|d| format!("{d}={}", row[d].as_str().unwrap())).collect::<Vec<_>>().join(",")
}

#[test]
fn the_schema_accepts_every_output_of_every_example() {
    let (schema, rows, explain) = (schema(), row_schema(), schema_named("explain.schema.json"));
    let plans = example_plans();
    let mut checked = 0;
    let mut slots = 0;
    for plan in &plans {
        let default = text(&["decompose", plan, "--format", "json"]);
        let dimensions: Json = serde_json::from_str::<Json>(&default).unwrap()["dimensions"].clone();
        let first = dimensions[0].as_str().unwrap();
        // A plan for one month shows no quarter or year: its weeks instead.
        let month_plan = std::fs::read_to_string(plan).unwrap().contains("period = \"");
        let (coarse, fine) = if month_plan { ("month", "week") } else { ("year", "quarter") };
        let mut views = vec![vec![], vec!["--by", coarse], vec!["--by", fine], vec!["--by", "month"]];
        let split_by_quarter = format!("{first},{fine}");
        if first != "period" {
            views.push(vec!["--by", &split_by_quarter]);
        }
        // Shop hours: each slot is labelled with its day and its name.
        if std::fs::read_to_string(plan).unwrap().contains("[[time.slots]]") {
            views.push(vec!["--by", "slot"]);
            slots += 1;
        }
        for view in views {
            let mut args = vec!["decompose", plan.as_str(), "--format", "json"];
            args.extend(view.iter().copied());
            let document: Json = serde_json::from_str(&text(&args)).unwrap();
            assert_eq!(problems(&schema, &document), Vec::<String>::new(), "{args:?}");
            // What the schema cannot say: `period` is the last dimension.
            assert_eq!(document["dimensions"].as_array().unwrap().last().unwrap(), "period", "{args:?}");
            args[3] = "jsonl";
            for line in text(&args).lines() {
                let row: Json = serde_json::from_str(line).unwrap();
                assert_eq!(problems(&rows, &row), Vec::<String>::new(), "{args:?}: {line}");
            }
            checked += 1;
        }
        // explain: the first leaf cell, and the year of the first member of
        // the first split (a sum when the plan splits further).
        let document: Json = serde_json::from_str(&default).unwrap();
        let leaf = cell_of(&dimensions, &document["rows"][0]);
        let by_first = match (first, month_plan) {
            ("period", _) => coarse.to_string(),
            (_, true) => format!("{first},month"),
            (_, false) => first.to_string(),
        };
        let year = serde_json::from_str::<Json>(&text(&["decompose", plan, "--format", "json", "--by", &by_first]))
            .map(|d| cell_of(&d["dimensions"], &d["rows"][0]))
            .unwrap();
        for cell in [leaf, year] {
            let args = ["explain", plan.as_str(), "--cell", &cell, "--format", "json"];
            let document: Json = serde_json::from_str(&text(&args)).unwrap();
            assert_eq!(problems(&explain, &document), Vec::<String>::new(), "{args:?}");
            checked += 1;
        }
    }
    assert!(slots >= 1, "an example plan has shop hours");
    for more in [vec![], vec!["--replan"], vec!["--by", "region,quarter"], vec!["--by", "salesperson,week"]] {
        let args = track_args(&[&["--format", "json"], &more[..]].concat());
        let document: Json = serde_json::from_str(&text(&args)).unwrap();
        assert_eq!(problems(&schema, &document), Vec::<String>::new(), "{args:?}");
        // A tracking run says its as-of date, and whether it is a re-plan.
        assert_eq!(document["as_of"], "2026-03-15", "{args:?}");
        assert_eq!(document.get("replan").is_some(), more.contains(&"--replan"), "{args:?}");
        checked += 1;
    }
    assert!(checked >= 6 * plans.len() + 4);
}

#[test]
fn the_explain_schema_keeps_the_output_schemas_period_labels() {
    let read = |name: &str| -> Json {
        serde_json::from_str(&std::fs::read_to_string(format!("schema/{name}")).unwrap()).unwrap()
    };
    let (output, explain) = (read("output.schema.json"), read("explain.schema.json"));
    assert_eq!(explain["$defs"]["period"]["pattern"], output["$defs"]["row"]["properties"]["period"]["pattern"]);
    let period = jsonschema::validator_for(&explain["$defs"]["period"]).unwrap();
    for good in [
        "2026",
        "2026-Q1",
        "2026-03",
        "2026-03-W2",
        "2026-03-15",
        "2026-W01",
        "FY2023-P01",
        "2026-11-01 open-10:00",
        "2026-11-01 16:00-打烊",
    ] {
        assert!(period.is_valid(&serde_json::json!(good)), "{good}");
    }
    for bad in ["March", "2026 ", "26-03", "2026-03-15x y", "FY2026-03-15 open"] {
        assert!(!period.is_valid(&serde_json::json!(bad)), "{bad}");
    }
}

#[test]
fn the_explain_schema_rejects_what_the_contract_forbids() {
    let schema = schema_named("explain.schema.json");
    let cell = "region=华东,product=A,salesperson=王芳,period=2026-03";
    let good: Json =
        serde_json::from_str(&text(&["explain", "examples/company.toml", "--cell", cell, "--format", "json"])).unwrap();
    assert!(schema.is_valid(&good), "{:?}", problems(&schema, &good));
    let broken: Vec<(&str, Damage)> = vec![
        ("no steps", |d| {
            d.as_object_mut().unwrap().remove("steps");
        }),
        ("a text figure", |d| d["figure"] = serde_json::json!("30508.47")),
        ("a cell without period", |d| {
            d["cell"].as_object_mut().unwrap().remove("period");
        }),
        ("an unknown basis", |d| d["steps"][0]["basis"] = serde_json::json!("guess")),
        ("an exact value in floating point", |d| d["steps"][1]["exact"] = serde_json::json!(3_000_000.0)),
        ("a rank of zero", |d| d["steps"][3]["fraction_rank"] = serde_json::json!(0)),
        ("a step key the contract lacks", |d| d["steps"][0]["why"] = serde_json::json!("x")),
    ];
    for (what, damage) in broken {
        let mut document = good.clone();
        damage(&mut document);
        assert!(!schema.is_valid(&document), "the schema accepts {what}");
    }
}

/// A change to a valid document that the contract forbids.
type Damage = fn(&mut Json);

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let schema = schema();
    let good: Json = serde_json::from_str(&text(&track_args(&["--format", "json", "--by", "region,quarter"]))).unwrap();
    // The real report passes, so each failure below is the change's doing.
    assert!(schema.is_valid(&good));
    let broken: Vec<(&str, Damage)> = vec![
        ("no rows", |d| {
            d.as_object_mut().unwrap().remove("rows");
        }),
        ("no total", |d| {
            d.as_object_mut().unwrap().remove("total");
        }),
        ("precision as a number", |d| d["precision"] = serde_json::json!(0.01)),
        ("precision not a power of ten", |d| d["precision"] = serde_json::json!("0.05")),
        ("year as a string", |d| d["year"] = serde_json::json!("2026")),
        ("a key the contract lacks", |d| d["version"] = serde_json::json!(1)),
        ("metrics not strings", |d| d["metrics"] = serde_json::json!([1])),
        ("dimensions without period", |d| d["dimensions"] = serde_json::json!(["region"])),
        ("period twice", |d| d["dimensions"] = serde_json::json!(["period", "period"])),
        ("a row without end", |d| {
            d["rows"][0].as_object_mut().unwrap().remove("end");
        }),
        ("a date that does not exist", |d| d["rows"][0]["start"] = serde_json::json!("2026-02-30")),
        ("a date not in ISO form", |d| d["rows"][0]["end"] = serde_json::json!("31/03/2026")),
        ("a period label that is not one", |d| d["rows"][0]["period"] = serde_json::json!("March")),
        ("a boolean figure", |d| d["rows"][0]["target"] = serde_json::json!(true)),
        ("a nested figure", |d| d["rows"][0]["gap"] = serde_json::json!({"value": 1})),
        ("a row that is not an object", |d| d["rows"][0] = serde_json::json!(["东北"])),
        ("a text total", |d| d["total"]["target"] = serde_json::json!("10000000.00")),
        ("an empty total", |d| d["total"] = serde_json::json!({})),
        ("an as-of that is not a date", |d| d["as_of"] = serde_json::json!("15 March")),
        ("replan false", |d| d["replan"] = serde_json::json!(false)),
    ];
    for (what, damage) in broken {
        let mut document = good.clone();
        damage(&mut document);
        assert!(!schema.is_valid(&document), "the schema accepts {what}");
    }
}
