//! Names and other text from input files, as shown to people: control
//! characters and terminal escape sequences (`ESC [2J`, BEL, U+202E) are
//! shown escaped in terminal tables, explanations and messages on stderr,
//! never sent raw; very long names and lines are shortened with a count of
//! what was left out, and the caret still points at the right place. CSV and
//! JSON keep the exact bytes.

use crate::common::{fails_with, lines, run_in, salesplit};

const PLAN: &str = "[plan]\nname = \"Names\"\nyear = 2026\n\n[target]\nsales = 1000\n\n[[split]]\nby = \"region\"\n\
                    weights = { East = 1, West = 1 }\n\n[[split]]\nby = \"salesperson\"\nroster = \"reps.csv\"\n";

/// A clear-screen sequence and a bell in one name, a right-to-left
/// override in the other.
const HOSTILE: &str = "name,region,weight\n\x1b[2JWang\x07,East,1\nLi\u{202e},West,1\n";

/// Characters that must never reach a terminal raw from these names.
fn assert_raw_free(text: &str) {
    for c in ['\x1b', '\x07', '\u{202e}', '\r'] {
        assert!(!text.contains(c), "{c:?} reached the terminal raw:\n{text}");
    }
}

#[test]
fn a_terminal_table_shows_escape_sequences_escaped() {
    let (code, stdout, stderr) =
        run_in(&[("plan.toml", PLAN), ("reps.csv", HOSTILE)], &["decompose", "plan.toml", "--by", "salesperson"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(
        stdout,
        lines(&[
            "Names — sales, by salesperson × year",
            "┌────────────────────┬──────────┬──────────────┐",
            "│ salesperson        ┆     2026 ┆ share        │",
            "╞════════════════════╪══════════╪══════════════╡",
            "│ \\u{1b}[2JWang\\u{7} ┆   500.00 ┆ 50.00% █████ │",
            "│ Li\\u{202e}         ┆   500.00 ┆ 50.00% █████ │",
            "│ Total              ┆ 1,000.00 ┆              │",
            "└────────────────────┴──────────┴──────────────┘",
        ])
    );
}

#[test]
fn a_plan_title_and_split_names_are_escaped_in_tables_too() {
    let plan = "[plan]\nname = \"Q\\u001b]0;owned\\u0007\"\nyear = 2026\n[target]\nsales = 100\n[[split]]\n\
                by = \"re\\u001b[5mgion\"\nweights = { \"A\\r\" = 1 }\n";
    let (code, stdout, stderr) = run_in(&[("plan.toml", plan)], &["decompose", "plan.toml", "--by", "re\x1b[5mgion"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_raw_free(&stdout);
    assert_eq!(
        stdout,
        lines(&[
            "Q\\u{1b}]0;owned\\u{7} — sales, by re\\u{1b}[5mgion × year",
            "┌─────────────────┬────────┐",
            "│ re\\u{1b}[5mgion ┆   2026 │",
            "╞═════════════════╪════════╡",
            "│ A\\r             ┆ 100.00 │",
            "└─────────────────┴────────┘",
        ])
    );
}

#[test]
fn csv_and_json_keep_the_exact_bytes() {
    let files = [("plan.toml", PLAN), ("reps.csv", HOSTILE)];
    let (_, csv, _) = run_in(&files, &["decompose", "plan.toml", "--by", "salesperson", "--format", "csv"]);
    assert_eq!(
        csv,
        "salesperson,period,start,end,sales\n\x1b[2JWang\x07,2026,2026-01-01,2026-12-31,500.00\n\
         Li\u{202e},2026,2026-01-01,2026-12-31,500.00\n"
    );
    let (_, json, _) = run_in(&files, &["decompose", "plan.toml", "--by", "salesperson", "--format", "json"]);
    assert!(json.contains(r#""salesperson": "\u001b[2JWang\u0007""#), "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["rows"][0]["salesperson"], "\x1b[2JWang\x07");
    assert_eq!(doc["rows"][1]["salesperson"], "Li\u{202e}");
}

#[test]
fn an_explanation_shows_names_escaped() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), PLAN).unwrap();
    std::fs::write(dir.path().join("reps.csv"), HOSTILE).unwrap();
    let out = salesplit()
        .current_dir(dir.path())
        .args(["explain", "plan.toml", "--cell", "region=East,salesperson=\x1b[2JWang\x07"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stdout,
        lines(&[
            "sales for region East, salesperson \\u{1b}[2JWang\\u{7}, period 2026: 500.00",
            "",
            "1. The plan's total sales is 1,000.00.",
            "2. region East: weight 1 of 2 (50%) of 1,000 = 500 exactly.",
            "3. salesperson \\u{1b}[2JWang\\u{7}: weight 1 of 1 (100%) of 500 = 500 exactly.",
        ])
    );
}

#[test]
fn a_message_shows_the_name_and_its_line_escaped_with_the_caret_moved_along() {
    // `\x1b[2JWang\x07,` shows as 19 characters, so the caret under the
    // region starts in column 20; `\x1b[31mEast` shows as 14.
    fails_with(
        1,
        &[("plan.toml", PLAN), ("reps.csv", "name,region,weight\n\x1b[2JWang\x07,\x1b[31mEast,1\nLi,West,1\n")],
        &["decompose", "plan.toml"],
        &lines(&[
            "error[E0302]: `\\u{1b}[2JWang\\u{7}`'s region `\\u{1b}[31mEast` is not a member of split `region`",
            "  --> reps.csv line 2",
            "  |",
            "2 | \\u{1b}[2JWang\\u{7},\\u{1b}[31mEast,1",
            "  |                    ^^^^^^^^^^^^^^",
            "  = help: write one of the members of `region`: East, West",
        ]),
    );
}

#[test]
fn a_warning_on_stderr_shows_names_escaped() {
    let files = [
        ("plan.toml", PLAN),
        ("reps.csv", HOSTILE),
        ("sales.csv", "date,region,salesperson,sales\n2026-01-05,East,\x1b[2JZhao\x07,10\n"),
    ];
    let (code, _, stderr) =
        run_in(&files, &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-01-31", "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stderr,
        lines(&[
            "warning[W0110]: 1 row (10.00 in all) names members that are not in the plan; they are reported under `(unplanned)`",
            "  --> sales.csv line 2",
            "  |",
            "2 | 2026-01-05,East,\\u{1b}[2JZhao\\u{7},10",
            "  |                 ^^^^^^^^^^^^^^^^^^",
            "  = note: the first, on line 2: salesperson `\\u{1b}[2JZhao\\u{7}` is not in the plan under region `East`",
            "  = help: add those members to the plan, or fix their names in the actuals; pass --strict to make this an error",
        ])
    );
}

#[test]
fn a_megabyte_name_is_shortened_in_the_message_and_under_the_caret() {
    // The name has 1,000,000 characters; 60 + 10 are kept, 999,930 left out.
    let name = format!("{}0123456789", "N".repeat(999_990));
    let roster = format!("name,region,weight\nA,East,1\nB,{name},1\nC,West,1\n");
    let shown = format!("{}…[999,930 characters left out]…0123456789", "N".repeat(60));
    fails_with(
        1,
        &[("plan.toml", PLAN), ("reps.csv", &roster)],
        &["decompose", "plan.toml"],
        &lines(&[
            &format!("error[E0302]: `B`'s region `{shown}` is not a member of split `region`"),
            "  --> reps.csv line 3",
            "  |",
            &format!("3 | B,{shown},1"),
            // The caret covers the shortened name, marker included.
            &format!("  |   {}", "^".repeat(shown.chars().count())),
            "  = help: write one of the members of `region`: East, West",
        ]),
    );
}

#[test]
fn a_megabyte_line_is_cut_around_the_caret_which_still_points_at_the_bad_field() {
    // The bad weight follows a 1,000,000-character name: the line keeps the
    // 60 characters before the weight (54 N and `,East,`), 999,946 left out.
    let roster = format!("name,region,weight\n{},East,abc\nC,West,1\n", "N".repeat(1_000_000));
    let (code, stdout, stderr) = run_in(&[("plan.toml", PLAN), ("reps.csv", &roster)], &["decompose", "plan.toml"]);
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    let before = format!("…[999,946 characters left out]…{},East,", "N".repeat(54));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "error[E0201]: the weight of `{}…[999,930 characters left out]…{}` is not usable: `abc` is not a number",
            "N".repeat(60),
            "N".repeat(10)
        )
    );
    assert_eq!(lines[3], format!("2 | {before}abc"));
    assert_eq!(lines[4], format!("  | {}^^^", " ".repeat(before.chars().count())));
    // The caret starts in the column where `abc` starts on the line above.
    let column = |line: &str, pattern: &str| line[..line.find(pattern).unwrap()].chars().count();
    assert_eq!(column(lines[4], "^"), column(lines[3], "abc"));
    assert!(stderr.len() < 1_000, "the message stays short: {} bytes", stderr.len());
}

#[test]
fn a_tracking_table_shows_names_escaped() {
    let files = [
        ("plan.toml", PLAN),
        ("reps.csv", HOSTILE),
        ("sales.csv", "date,region,salesperson,sales\n2026-01-05,East,\x1b[2JWang\x07,10\n"),
    ];
    let (code, stdout, stderr) = run_in(
        &files,
        &["track", "plan.toml", "--actuals", "sales.csv", "--as-of", "2026-01-31", "--by", "salesperson"],
    );
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_raw_free(&stdout);
    assert!(stdout.contains("│ \\u{1b}[2JWang\\u{7} ┆ 2026"), "{stdout}");
}

#[test]
fn validate_shows_split_names_escaped() {
    let plan =
        "[plan]\nyear = 2026\n[target]\nsales = 100\n[[split]]\nby = \"re\\u001b[5mgion\"\nweights = { A = 1 }\n";
    let (code, stdout, stderr) = run_in(&[("plan.toml", plan)], &["validate", "plan.toml"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(stdout, "plan.toml is valid: 100.00 sales for 2026, split by re\\u{1b}[5mgion (1)\n");
}
