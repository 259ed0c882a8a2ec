//! The one CSV reader says no clearly (issue 11): every CSV salesplit reads —
//! roster, holiday calendar, baseline, actuals — is refused with the file,
//! the line and a fix when a row has the wrong number of cells, a column is
//! named twice, a member has no name, a date is both off and worked, the
//! file is not CSV text (wrong encoding, an xlsx, binary, semicolons), or
//! when it has no end; and is read as meant when its header is written in
//! another case or with spaces.

use crate::common;

use crate::common::{fails_with, lines, run_in};

/// A plan with a roster `reps.csv` under two regions.
const ROSTER_PLAN: &str = r#"[plan]
year = 2026

[target]
sales = 1000

[[split]]
by = "region"
weights = { East = 1, West = 1 }

[[split]]
by = "rep"
roster = "reps.csv"
"#;

const REPS: &str = "name,region,weight\nAnn,East,1\nBob,West,1\n";

/// A plan whose target is last year's sales (`sales-2025.csv`) plus 10%.
const BASELINE_PLAN: &str = r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = "10%"

[[split]]
by = "region"
weights = { East = 1, West = 1 }
"#;

/// A plan under `spread = "workdays"` with the shipped calendar and the company's own.
const HOLIDAY_PLAN: &str = r#"[plan]
year = 2026

[target]
sales = 2480

[time]
spread = "workdays"
holidays = ["cn-2026", "our-days.csv"]
"#;

fn track(actuals: &str) -> (Option<i32>, String, String) {
    run_in(
        &[("plan.toml", ROSTER_PLAN), ("reps.csv", REPS), ("sales.csv", actuals)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-06-30", "--by", "region", "--format", "csv"],
    )
}

#[track_caller]
fn track_fails(actuals: &str, expected: &str) {
    fails_with(
        1,
        &[("plan.toml", ROSTER_PLAN), ("reps.csv", REPS), ("sales.csv", actuals)],
        &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-06-30"],
        expected,
    );
}

#[track_caller]
fn roster_fails(roster: &str, expected: &str) {
    fails_with(1, &[("plan.toml", ROSTER_PLAN), ("reps.csv", roster)], &["validate", "plan.toml"], expected);
}

#[track_caller]
fn baseline_fails(baseline: &str, expected: &str) {
    fails_with(1, &[("plan.toml", BASELINE_PLAN), ("sales-2025.csv", baseline)], &["validate", "plan.toml"], expected);
}

#[track_caller]
fn holidays_fail(calendar: &str, expected: &str) {
    fails_with(1, &[("plan.toml", HOLIDAY_PLAN), ("our-days.csv", calendar)], &["validate", "plan.toml"], expected);
}

/// Writes raw bytes `roster` as reps.csv and validates the roster plan.
fn roster_bytes(roster: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), ROSTER_PLAN).unwrap();
    std::fs::write(dir.path().join("reps.csv"), roster).unwrap();
    let out = common::salesplit().current_dir(dir.path()).args(["validate", "plan.toml"]).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

// ------------------------------------------------------------ 1. row shape

const EXTRA_CELL_HELP: &str = "  = help: a comma inside a value splits it in two: put the value in quotes (\"1,200,000\") or drop the thousands separator (1200000), or name the extra column in the header";

#[test]
fn an_unquoted_thousands_separator_in_the_actuals_is_not_read_as_1() {
    track_fails(
        "date,region,rep,sales\n2026-04-05,East,Ann,1,200\n2026-04-06,West,Bob,5\n",
        &lines(&[
            "error[E0605]: this row has 5 cells but the header has 4 columns",
            "  --> sales.csv line 2",
            "  |",
            "2 | 2026-04-05,East,Ann,1,200",
            "  |                       ^^^",
            EXTRA_CELL_HELP,
        ]),
    );
}

#[test]
fn an_unquoted_thousands_separator_in_a_baseline_is_not_read_as_1() {
    baseline_fails(
        "date,region,sales\n2025-04-05,East,1,200\n2025-04-06,West,5\n",
        &lines(&[
            "error[E0605]: this row has 4 cells but the header has 3 columns",
            "  --> sales-2025.csv line 2",
            "  |",
            "2 | 2025-04-05,East,1,200",
            "  |                   ^^^",
            EXTRA_CELL_HELP,
        ]),
    );
}

#[test]
fn a_roster_row_with_a_missing_cell_names_the_missing_column() {
    roster_fails(
        "name,region,weight\nAnn,East\nBob,West,1\n",
        &lines(&[
            "error[E0605]: the row of `Ann` has 2 cells but the header has 3 columns",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East",
            "  |         ^",
            "  = note: missing: weight",
            "  = help: write a cell for every column of the header, empty ones as nothing between two commas (`a,,c`)",
        ]),
    );
}

#[test]
fn a_holiday_row_with_an_extra_cell_is_refused_at_its_physical_line() {
    // The quoted name holds a line break: the bad row is on line 4.
    holidays_fail(
        "date,name,is_off_day\n2026-03-02,\"Founders'\nDay\",true\n2026-03-03,Spring,day,true\n",
        &lines(&[
            "error[E0605]: this row has 4 cells but the header has 3 columns",
            "  --> our-days.csv line 4",
            "  |",
            "4 | 2026-03-03,Spring,day,true",
            "  |                       ^^^^",
            EXTRA_CELL_HELP,
        ]),
    );
}

// ------------------------------------------------------ 2. and 3. headers

#[test]
fn a_column_named_twice_is_refused_naming_both_positions() {
    track_fails(
        "date,region,Date ,sales\n2026-04-05,East,2026-04-06,1\n",
        &lines(&[
            "error[E0604]: the actuals' header names the column `date` twice: column 1 and column 3",
            "  --> sales.csv line 1",
            "  |",
            "1 | date,region,Date ,sales",
            "  |             ^^^^",
            "  = note: column names are matched without regard to case or spaces, so `date` and `Date` are one name",
            "  = help: rename or remove one of the two columns",
        ]),
    );
    roster_fails(
        "name,region,weight,weight\nAnn,East,1,2\n",
        &lines(&[
            "error[E0604]: the roster's header names the column `weight` twice: column 3 and column 4",
            "  --> reps.csv line 1",
            "  |",
            "1 | name,region,weight,weight",
            "  |                    ^^^^^^",
            "  = help: rename or remove one of the two columns",
        ]),
    );
}

#[test]
fn headers_are_matched_trimmed_and_in_any_case() {
    let (status, stdout, stderr) = track("Date, Region ,REP,Sales \n2026-04-05,East,Ann,7\n");
    assert_eq!((status, stderr.as_str()), (Some(0), ""), "{stderr}");
    assert!(stdout.contains("\nEast,2026,2026-01-01,2026-12-31,500.00,250.00,7.00,"), "{stdout}");
    let (status, stdout, stderr) = run_in(
        &[("plan.toml", ROSTER_PLAN), ("reps.csv", " Name ,REGION,Weight\nAnn,East,3\nCy,East,1\nBob,West,1\n")],
        &["decompose", "plan.toml", "--by", "rep", "--format", "csv"],
    );
    assert_eq!((status, stderr.as_str()), (Some(0), ""), "{stderr}");
    assert_eq!(
        stdout,
        "rep,period,start,end,sales\nAnn,2026,2026-01-01,2026-12-31,375.00\nCy,2026,2026-01-01,2026-12-31,125.00\nBob,2026,2026-01-01,2026-12-31,500.00\n"
    );
    let (status, _, stderr) = run_in(
        &[("plan.toml", BASELINE_PLAN), ("sales-2025.csv", "DATE,Region,SALES\n2025-04-05,East,100\n")],
        &["validate", "plan.toml"],
    );
    assert_eq!(status, Some(0), "{stderr}");
}

// ------------------------------------------------------- 4. empty members

#[test]
fn a_member_without_a_name_is_refused_at_its_line() {
    roster_fails(
        "name,region,weight\nAnn,East,1\n   ,West,1\n",
        &lines(&[
            "error[E0107]: a row has a name of only spaces",
            "  --> reps.csv line 3",
            "  |",
            "3 |    ,West,1",
            "  | ^^^",
            "  = help: write the salesperson's name in the `name` column, or remove the row",
        ]),
    );
    track_fails(
        "date,region,rep,sales\n2026-04-05,East,,1\n",
        &lines(&[
            "error[E0107]: this row has a rep with an empty name",
            "  --> sales.csv line 2",
            "  |",
            "2 | 2026-04-05,East,,1",
            "  |                 ^",
            "  = help: write the rep's name in the `rep` column, or remove the row",
        ]),
    );
    baseline_fails(
        "date,region,sales\n2025-04-05,East,1\n2025-04-06, ,2\n",
        &lines(&[
            "error[E0107]: this row has a region with a name of only spaces",
            "  --> sales-2025.csv line 3",
            "  |",
            "3 | 2025-04-06, ,2",
            "  |            ^",
            "  = help: write the region's name in the `region` column, or remove the row",
        ]),
    );
}

// -------------------------------------------------------------- 5. holidays

#[test]
fn a_date_both_off_and_worked_in_one_calendar_names_both_lines() {
    holidays_fail(
        "date,name,is_off_day\n2026-03-02,Founders' Day,true\n2026-03-03,x,true\n2026-03-02,make-up,false\n",
        &lines(&[
            "error[E0410]: 2026-03-02 is both an off day and a working day",
            "  --> our-days.csv line 4",
            "  |",
            "4 | 2026-03-02,make-up,false",
            "  |                    ^^^^^",
            "  = note: line 2 marks it as an off day, line 4 as a working day",
            "  = help: keep one of the two rows: true for a day off, false for a make-up working day",
        ]),
    );
}

#[test]
fn between_two_calendars_a_day_listed_as_worked_is_worked() {
    // cn-2026 works Saturday 2026-02-14 (a make-up day); our calendar marks it off.
    let run = |calendar: &str| {
        run_in(
            &[("plan.toml", HOLIDAY_PLAN), ("our-days.csv", calendar)],
            &["decompose", "plan.toml", "--by", "day", "--period", "2026-02-14", "--format", "csv"],
        )
    };
    let (status, worked, stderr) = run("date,name,is_off_day\n2026-02-14,company day off,true\n");
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(worked, "period,start,end,sales\n2026-02-14,2026-02-14,2026-02-14,10.00\n");
    // And the other way round: a Sunday our calendar works is worked although cn-2026 does not list it.
    let (status, sunday, stderr) = run_in(
        &[("plan.toml", HOLIDAY_PLAN), ("our-days.csv", "date,name,is_off_day\n2026-03-01,stocktake,false\n")],
        &["decompose", "plan.toml", "--by", "day", "--period", "2026-03-01", "--format", "csv"],
    );
    assert_eq!(status, Some(0), "{stderr}");
    assert!(!sunday.ends_with(",0.00\n"), "{sunday}");
}

// -------------------------------------------- 6. encodings and separators

#[test]
fn a_gbk_roster_is_read_with_a_note() {
    // 张伟 as Excel saves it on Chinese Windows (GBK): read now (issue 16), saying so.
    let (status, stdout, stderr) = roster_bytes(b"name,region,weight\nBob,West,1\n\xd5\xc5\xce\xb0,East,1\n");
    assert_eq!(stderr, "note: reps.csv read as GB18030 (not UTF-8)\n");
    assert_eq!(status, Some(0), "{stdout}");
}

#[test]
fn text_without_its_bom_a_zip_and_binary_files_are_not_csv() {
    let cases: [(&[u8], String); 3] = [
        // UTF-16 without its BOM: not found as such, so the NUL bytes say binary.
        (
            b"n\x00a\x00m\x00e\x00,\x00",
            lines(&[
                "error[E0602]: the roster is not text: the file holds binary data (NUL bytes)",
                "  --> reps.csv",
                "  = help: check the file name: salesplit reads CSV text here; in Excel, save the sheet with File > Save As > \"CSV UTF-8 (Comma delimited)\" and name that file",
            ]),
        ),
        // A zip that is no workbook.
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            lines(&[
                "error[E0612]: the roster cannot be read as a workbook: Cannot detect file format",
                "  --> reps.csv",
                "  = help: open it in Excel or LibreOffice and save it again as .xlsx, or save the sheet as \"CSV UTF-8 (Comma delimited)\"",
            ]),
        ),
        (
            b"name,region,weight\n\x00\x00\x00\x00",
            lines(&[
                "error[E0602]: the roster is not text: the file holds binary data (NUL bytes)",
                "  --> reps.csv",
                "  = help: check the file name: salesplit reads CSV text here; in Excel, save the sheet with File > Save As > \"CSV UTF-8 (Comma delimited)\" and name that file",
            ]),
        ),
    ];
    for (bytes, expected) in cases {
        let (status, stdout, stderr) = roster_bytes(bytes);
        assert_eq!(stderr, expected);
        assert_eq!((status, stdout.as_str()), (Some(1), ""));
    }
}

#[test]
fn a_file_separated_by_semicolons_read_as_commas_says_so() {
    // Found from the header unless commas are asked for (tests/inputs.rs reads them).
    fails_with(
        1,
        &[("plan.toml", ROSTER_PLAN), ("reps.csv", REPS), ("sales.csv", "date;region;rep;sales\n2026-04-05;East;Ann;1\n")],
        &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-06-30", "--delimiter", ","],
        &lines(&[
            "error[E0606]: the actuals seem to be separated by semicolons, not commas",
            "  --> sales.csv line 1",
            "  |",
            "1 | date;region;rep;sales",
            "  | ^^^^^^^^^^^^^^^^^^^^^",
            "  = help: the file was read as comma-separated, as `delimiter = \",\"` (or --delimiter ,) says: leave that out to have the `;` found from the header, or replace each `;` between the columns by a comma",
        ]),
    );
}

// ------------------------------------------------------ 8. roster bounds

#[test]
fn a_bare_fraction_as_a_cap_asks_for_a_percentage() {
    roster_fails(
        "name,region,weight,max\nAnn,East,1,0.9\nBob,West,1,\n",
        &lines(&[
            "error[E0503]: the max of `Ann` is 0.9, which reads as an amount of less than 1",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,East,1,0.9",
            "  |            ^^^",
            "  = help: write 90% for a share of their region's target, or an amount of 1 or more",
        ]),
    );
}

// ------------------------------------------- 7. endless and special files

/// Runs `salesplit ARGS` in `dir` under a 1 GB address-space limit.
#[cfg(unix)]
fn under_one_gigabyte(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let binary = assert_cmd::cargo::cargo_bin("salesplit");
    let out = std::process::Command::new("bash")
        .current_dir(dir)
        .arg("-c")
        .arg("ulimit -v 1000000 && exec \"$0\" \"$@\"")
        .arg(binary)
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Feeds `command`'s output into a FIFO at `path` (a background writer).
#[cfg(unix)]
fn fifo(path: &std::path::Path, command: &str) -> std::process::Child {
    assert!(std::process::Command::new("mkfifo").arg(path).status().unwrap().success());
    std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("{{ {command}; }} > '{}' 2>/dev/null", path.display()))
        .spawn()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn endless_huge_and_special_files_are_refused_within_a_gigabyte() {
    let dir = tempfile::TempDir::new().unwrap();
    let d = dir.path();
    std::fs::write(d.join("reps.csv"), REPS).unwrap();
    std::fs::create_dir(d.join("folder.csv")).unwrap();
    std::fs::write(d.join("sales.csv"), "date,region,rep,sales\n").unwrap();
    // One plan per kind of file, naming PATH.
    let roster = |path: &str| ROSTER_PLAN.replace("reps.csv", path);
    let holidays = |path: &str| HOLIDAY_PLAN.replace("our-days.csv", path);
    let baseline = |path: &str| BASELINE_PLAN.replace("sales-2025.csv", path);
    let zero = "error[E0602]: the roster is not text: the file holds binary data (NUL bytes)";
    let cases: Vec<(String, Vec<&str>, String)> = vec![
        (roster("/dev/zero"), vec!["validate", "plan.toml"], zero.to_string()),
        (roster("/dev/urandom"), vec!["validate", "plan.toml"], "error[E060".to_string()),
        (
            holidays("/dev/zero"),
            vec!["validate", "plan.toml"],
            "error[E0602]: the holiday calendar is not text".to_string(),
        ),
        (baseline("/dev/urandom"), vec!["validate", "plan.toml"], "error[E060".to_string()),
        (
            roster("folder.csv"),
            vec!["validate", "plan.toml"],
            "error[E0901]: cannot read roster folder.csv: it is a folder, not a file".to_string(),
        ),
        (
            holidays("folder.csv"),
            vec!["validate", "plan.toml"],
            "error[E0901]: cannot read holiday calendar folder.csv: it is a folder, not a file".to_string(),
        ),
        (
            baseline("folder.csv"),
            vec!["validate", "plan.toml"],
            "error[E0901]: cannot read baseline folder.csv: it is a folder, not a file".to_string(),
        ),
        (
            ROSTER_PLAN.to_string(),
            vec!["track", "plan.toml", "--actuals", "/dev/zero"],
            "error[E0602]: the actuals are not text: the file holds binary data (NUL bytes)".to_string(),
        ),
        (ROSTER_PLAN.to_string(), vec!["track", "plan.toml", "--actuals", "/dev/urandom"], "error[E060".to_string()),
        (
            ROSTER_PLAN.to_string(),
            vec!["track", "plan.toml", "--actuals", "folder.csv"],
            "error[E0901]: cannot read folder.csv: it is a folder, not a file".to_string(),
        ),
    ];
    for (plan, args, says) in cases {
        std::fs::write(d.join("plan.toml"), plan).unwrap();
        let (status, stdout, stderr) = under_one_gigabyte(d, &args);
        assert_eq!(status, Some(1), "salesplit {args:?}: {stderr}");
        assert_eq!(stdout, "", "salesplit {args:?}");
        assert!(stderr.starts_with(&says), "salesplit {args:?}: {stderr}");
        assert!(stderr.contains("= help: "), "salesplit {args:?}: {stderr}");
    }
    // A line of a gigabyte (and more) through a FIFO, as a roster and as actuals:
    // refused after its first megabyte.
    let long = "error[E0610]: the roster has a row longer than 1 MB, from line 2\n";
    for (name, header, plan, args, says) in [
        ("long-roster.fifo", "name,region,weight", roster("long-roster.fifo"), vec!["validate", "plan.toml"], long),
        (
            "long-sales.fifo",
            "date,region,rep,sales",
            ROSTER_PLAN.to_string(),
            vec!["track", "plan.toml", "--actuals", "long-sales.fifo"],
            "error[E0610]: the actuals have a row longer than 1 MB, from line 2\n",
        ),
    ] {
        std::fs::write(d.join("plan.toml"), plan).unwrap();
        let feed = format!("printf '{header}\\n'; head -c 1100000000 /dev/zero | tr '\\0' a");
        let mut writer = fifo(&d.join(name), &feed);
        let (status, stdout, stderr) = under_one_gigabyte(d, &args);
        let _ = writer.kill();
        let _ = writer.wait();
        assert_eq!((status, stdout.as_str()), (Some(1), ""), "{stderr}");
        assert!(stderr.starts_with(says), "{stderr}");
        assert!(stderr.contains("= help: check the quotes from this line on"), "{stderr}");
    }
    // A FIFO fed rows forever, as a roster: refused at the roster's limit of rows.
    std::fs::write(d.join("plan.toml"), roster("endless.fifo")).unwrap();
    let mut writer = fifo(&d.join("endless.fifo"), "printf 'name,region,weight\\n'; yes 'Ann,East,1'");
    let (status, stdout, stderr) = under_one_gigabyte(d, &["validate", "plan.toml"]);
    let _ = writer.kill();
    let _ = writer.wait();
    assert_eq!((status, stdout.as_str()), (Some(1), ""), "{stderr}");
    assert_eq!(
        stderr,
        lines(&[
            "error[E0609]: the roster has more than 2,000,000 rows",
            "  --> endless.fifo",
            "  = help: a roster holds at most 2,000,000 rows; check that this is the right file (not an export or a device)",
        ])
    );
}
