//! Tables that fit a real terminal: the headline command's first screen (a
//! pivot that fits, with a note naming the full breakdown), colour forced on
//! in a real terminal (tmux), `track` reports at 80, 120 and 240 columns.

use crate::common::{csv_rows, salesplit};

const HEADLINE: [&str; 2] = ["decompose", "examples/company.toml"];
const TRACK: [&str; 6] =
    ["track", "examples/company.toml", "--actuals", "examples/company-sales.csv", "--as-of", "2026-03-15"];

/// stdout of a run at `COLUMNS=width` (no colour unless `env` says so).
fn at(width: usize, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = salesplit();
    cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env("COLUMNS", width.to_string());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A line as the terminal shows it: without ANSI escape sequences (ESC [ ... letter).
fn visible(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The widest line on screen (CJK characters two columns, escapes none).
fn width(text: &str) -> usize {
    text.lines().map(|l| unicode_width::UnicodeWidthStr::width(visible(l).as_str())).max().unwrap_or(0)
}

fn cells(line: &str) -> Vec<String> {
    line.split(['│', '┆']).map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
}

#[test]
fn the_headline_command_is_a_pivot_that_fits_at_100_to_160_columns() {
    for columns in [100, 120, 140, 160] {
        let table = at(columns, &HEADLINE, &[]);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines.len() < 60, "{columns} columns: {} lines\n{table}", lines.len());
        assert!(width(&table) <= columns, "{columns} columns:\n{table}");
        // Members down the side, periods across, and one line on the full breakdown.
        assert!(cells(lines[2])[0] == "region" && lines[2].contains("2026-Q1"), "{table}");
        let note = lines.last().unwrap();
        assert!(note.starts_with("note: "), "{table}");
        assert!(note.ends_with("the full breakdown: --by region,product,salesperson,month or --format csv"), "{note}");
        assert_eq!(lines.iter().filter(|l| l.starts_with("note")).count(), 1);
        let total = cells(lines.iter().find(|l| l.starts_with("│ Total")).unwrap());
        assert_eq!(total.last().unwrap(), "10,000,000.00", "{table}");
    }
    // At 120 columns: region × product by quarter, each figure the CSV's.
    let table = at(120, &HEADLINE, &[]);
    assert!(table.starts_with("2026 年度销售计划 — sales (CNY), by region × product × quarter\n"), "{table}");
    assert!(table.ends_with("note: showing region × product × quarter; the full breakdown: --by region,product,salesperson,month or --format csv\n"));
    let csv = at(120, &["decompose", "examples/company.toml", "--by", "region,product,quarter", "-f", "csv"], &[]);
    let rows = csv_rows(&csv);
    let mut shown = 0;
    for line in table.lines().filter(|l| l.starts_with("│ ") && !l.contains("region") && !l.contains("Total")) {
        let c = cells(line);
        for (q, figure) in c[2..6].iter().enumerate() {
            let period = format!("2026-Q{}", q + 1);
            let want = rows.iter().find(|r| r["region"] == c[0] && r["product"] == c[1] && r["period"] == period);
            assert_eq!(figure.replace(',', ""), want.unwrap()["sales"], "{line}");
            shown += 1;
        }
    }
    assert_eq!(shown, 60, "15 rows of 4 quarters");
    // Where the full breakdown fits across (240), it is shown as it is, without a note.
    let wide = at(240, &HEADLINE, &[]);
    assert!(wide.contains("salesperson") && wide.contains("2026-12") && !wide.contains("note:"), "{wide}");
    assert_eq!(wide.lines().count(), 66);
}

#[test]
fn an_explicit_breakdown_keeps_its_layout() {
    // --by names the breakdown: turned, or one line per cell, as before; no note.
    let long = at(120, &["decompose", "examples/company.toml", "--by", "region,product,salesperson,month"], &[]);
    assert_eq!(cells(long.lines().nth(2).unwrap()), ["region", "product", "salesperson", "month", "sales"]);
    assert_eq!(long.lines().count(), 726);
    assert!(!long.contains("note:"));
    // A shop's year of days is not turned into 365 lines: its quarters, and the way to the days.
    let shop = at(120, &["decompose", "examples/shop-week.toml"], &[]);
    assert!(shop.lines().next().unwrap().ends_with("— sales (CNY), by quarter"), "{shop}");
    assert!(shop.ends_with("note: showing quarter; the full breakdown: --by day or --format csv\n"), "{shop}");
    assert!(shop.lines().count() < 10);
    // Without a terminal width (a pipe), the full breakdown whatever its width.
    let out = salesplit().env_remove("COLUMNS").args(HEADLINE).output().unwrap();
    let piped = String::from_utf8(out.stdout).unwrap();
    assert!(piped.contains("salesperson") && !piped.contains("note:"));
}

#[test]
fn track_reports_fit_80_120_and_240_columns() {
    let essentials = ["target_to_date", "actual_to_date", "attainment", "status"];
    let all = ["target", "gap", "remaining", "run_rate", "projected"];
    for columns in [80, 120, 240] {
        let report = at(columns, &TRACK, &[]);
        assert!(width(&report) <= columns, "{columns} columns:\n{}", &report[..2000.min(report.len())]);
        let head: String = report.lines().take(6).collect::<Vec<_>>().join("\n");
        let flat = head.replace(['│', '┆'], " ");
        for name in essentials {
            let (first, rest) = name.split_once('_').unwrap_or((name, ""));
            assert!(flat.contains(name) || (flat.contains(first) && flat.contains(rest)), "{columns}: {name}\n{head}");
        }
        let note = report.lines().skip_while(|l| !l.starts_with("note:")).collect::<Vec<_>>().join(" ");
        let dropped: Vec<&str> = all
            .iter()
            .copied()
            .filter(|c| note.contains(&format!(" {c},")) || note.contains(&format!(" {c} (")))
            .collect();
        match columns {
            240 => assert!(note.is_empty(), "every column fits at 240:\n{note}"),
            120 => assert_eq!(dropped, ["gap", "remaining", "run_rate", "projected"], "{note}"),
            _ => assert_eq!(dropped, all, "{note}"),
        }
        if !note.is_empty() {
            assert!(note.contains("(a wider terminal or --format csv shows them)"), "{note}");
        }
        // One line per cell and a Total row, whatever was dropped: the figures are the CSV's.
        assert_eq!(report.lines().filter(|l| l.contains("┆ 2026-")).count(), 720, "{columns}");
        let total = cells(report.lines().find(|l| l.starts_with("│ Total")).unwrap());
        assert!(total.contains(&"1,489,874.05".to_string()) && total.contains(&"101.79%".to_string()), "{total:?}");
    }
    // At 80 the members share one column.
    let narrow = at(80, &TRACK, &[]);
    assert!(
        narrow.contains("│ 东北/A/王磊 ┆ 2026-01 ┆    10,800.00 ┆     8,856.08 ┆        82% ┆ behind   │"),
        "{narrow}"
    );
    // Narrower than any table: each cell in a few lines, every figure named.
    let tiny = at(
        40,
        &[
            "track",
            "examples/company.toml",
            "--actuals",
            "examples/company-sales.csv",
            "--as-of",
            "2026-03-15",
            "--by",
            "region",
            "--period",
            "2026",
        ],
        &[],
    );
    assert!(width(&tiny) <= 40, "{tiny}");
    assert!(tiny.contains("东北 / 2026\n  target 1,500,000.00 · target_to_date\n"), "{tiny}");
}

#[test]
fn help_wraps_to_the_terminal() {
    let help = |columns: usize| {
        let out = salesplit().env("COLUMNS", columns.to_string()).args(["decompose", "--help"]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let (narrow, wide) = (help(60), help(160));
    assert!(width(&narrow) <= 60, "{narrow}");
    assert!(width(&wide) > 100, "a wide terminal gets long lines ({}):\n{wide}", width(&wide));
    assert!(narrow.lines().count() > wide.lines().count());
}

/// Runs the headline command in a tmux pane `columns` wide, colour forced,
/// and returns what the pane shows (with its escape sequences).
fn in_tmux(columns: usize) -> Option<String> {
    in_tmux_running(columns, "decompose examples/company.toml")
}

/// Runs salesplit with `args` (shell words) in a tmux pane `columns` wide,
/// colour forced, stdout and stderr both on the pane's terminal, and returns
/// what the pane shows.
fn in_tmux_running(columns: usize, args: &str) -> Option<String> {
    let socket = format!("salesplit-test-{}-{columns}", std::process::id());
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux").args(["-L", &socket, "-f", "/dev/null"]).args(args).output().ok()
    };
    let bin = assert_cmd::cargo::cargo_bin("salesplit");
    let dir = std::env::current_dir().unwrap();
    let script = format!(
        "cd '{}' && env -u NO_COLOR CLICOLOR_FORCE=1 COLUMNS={columns} '{}' {args}; tmux -L {socket} wait-for -S done; sleep 60",
        dir.display(),
        bin.display()
    );
    let size = columns.to_string();
    tmux(&["new-session", "-d", "-x", &size, "-y", "200", "-s", "t", &script])?;
    tmux(&["set-option", "-g", "history-limit", "5000"]);
    let waited = tmux(&["wait-for", "done"]);
    let shown = tmux(&["capture-pane", "-p", "-e", "-S", "-", "-E", "-", "-t", "t"]);
    tmux(&["kill-server"]);
    waited?;
    let text = String::from_utf8(shown?.stdout).ok()?;
    Some(text.trim_end().to_string() + "\n")
}

#[test]
fn colour_in_a_real_terminal_keeps_the_layout() {
    if std::process::Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED colour_in_a_real_terminal_keeps_the_layout: tmux is not installed");
        return;
    }
    for columns in [100, 160, 240] {
        let screen = in_tmux(columns).expect("tmux runs the command");
        let plain = at(columns, &HEADLINE, &[]);
        assert!(screen.contains("\u{1b}["), "colour is on in the pane:\n{screen}");
        assert!(width(&screen) <= columns, "{columns} columns:\n{screen}");
        // A line wider than the pane would wrap into two: the same count means none did.
        let shown: Vec<String> = screen.lines().map(|l| visible(l).trim_end().to_string()).collect();
        let expected: Vec<String> = plain.lines().map(|l| l.trim_end().to_string()).collect();
        assert_eq!(shown.len(), expected.len(), "{columns} columns:\n{screen}");
        assert_eq!(shown, expected, "{columns} columns: what the pane shows is the plain table");
    }
}

#[test]
fn messages_fold_at_words_in_a_real_terminal_and_stay_whole_in_a_pipe() {
    if std::process::Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED messages_fold_at_words_in_a_real_terminal_and_stay_whole_in_a_pipe: tmux is not installed");
        return;
    }
    // A plan of one period that weighs nothing: a long headline and a long help.
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        "[plan]\nname = \"p\"\ncurrency = \"EUR\"\nyear = 2026\nperiod = \"2026-03\"\n\n[target]\nsales = 1000\n\n\
         [time]\nmonths = [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
    )
    .unwrap();
    let piped = salesplit().env("COLUMNS", "80").args(["decompose", plan.to_str().unwrap()]).output().unwrap();
    assert_eq!(piped.status.code(), Some(1));
    let piped = String::from_utf8(piped.stderr).unwrap();
    // Not a terminal: one line per help, whatever COLUMNS says, for scripts and logs.
    let help = piped.lines().find(|l| l.starts_with("   = help: ")).expect("a help");
    assert!(help.chars().count() > 80, "{piped}");
    for columns in [80, 120] {
        let screen = in_tmux_running(columns, &format!("decompose '{}'", plan.display())).expect("tmux runs it");
        let shown: Vec<String> = screen.lines().map(|l| visible(l).trim_end().to_string()).collect();
        let shown = shown.join("\n");
        assert!(width(&shown) <= columns, "{columns} columns: the terminal never breaks a line:\n{shown}");
        // The same words, none cut in two: only the spaces between them differ.
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&shown), words(&piped), "{columns} columns:\n{shown}");
        assert!(shown.lines().count() > piped.lines().count(), "{columns} columns: folded\n{shown}");
        // A help's further lines start under its first word.
        let at = shown.lines().position(|l| l.starts_with("   = help: ")).expect("a help");
        let next = shown.lines().nth(at + 1).expect("the help goes on");
        assert!(next.starts_with(&" ".repeat(11)) && !next.starts_with(&" ".repeat(12)), "{shown}");
    }
}

fn stdout_of(args: &[&str]) -> String {
    let out = salesplit().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_man_page_has_exit_status_environment_and_examples() {
    let page = stdout_of(&["man"]);
    let sections: Vec<&str> = page.lines().filter(|l| l.starts_with(".SH ")).collect();
    let at = |name: &str| sections.iter().position(|s| *s == name).unwrap_or_else(|| panic!("{name}: {sections:?}"));
    assert!(at(".SH COMMANDS") < at(".SH \"EXIT STATUS\""));
    assert!(at(".SH \"EXIT STATUS\"") < at(".SH ENVIRONMENT") && at(".SH ENVIRONMENT") < at(".SH EXAMPLES"));
    let section = |name: &str| -> String { page.split(".SH ").find(|s| s.starts_with(name)).unwrap().to_string() };
    let exit = section("\"EXIT STATUS\"");
    for code in ["\\fB0\\fR", "\\fB1\\fR", "\\fB2\\fR"] {
        assert!(exit.contains(code), "{exit}");
    }
    let env = section("ENVIRONMENT");
    for name in ["NO_COLOR", "CLICOLOR_FORCE", "COLUMNS", "SALESPLIT_THREADS"] {
        assert!(env.contains(&format!("\\fB{name}\\fR")), "{name}: {env}");
    }
    assert!(section("EXAMPLES").contains("salesplit decompose plan.toml"));
    // The exit codes it states are the ones the binary returns.
    assert_eq!(salesplit().args(["decompose", "no-such-plan.toml"]).output().unwrap().status.code(), Some(1));
    assert_eq!(salesplit().args(["decompose", "--no-such-flag"]).output().unwrap().status.code(), Some(2));
}

#[test]
fn completions_offer_values_not_file_names() {
    let bash = stdout_of(&["completions", "bash"]);
    let case = |flag: &str, nth: usize| -> String {
        let at =
            bash.match_indices(&format!("                {flag})\n")).nth(nth).unwrap_or_else(|| panic!("{flag}")).0;
        bash[at..].lines().nth(1).unwrap().trim().to_string()
    };
    assert_eq!(
        case("--format", 0),
        r#"COMPREPLY=($(compgen -W "table csv json jsonl xlsx parquet html" -- "${cur}"))"#
    );
    assert_eq!(case("--unit", 0), r#"COMPREPLY=($(compgen -W "万 千 百万 亿 k M" -- "${cur}"))"#);
    assert!(case("--period", 0)
        .contains(r#"-W "today tomorrow this-week next-week this-month next-month this-quarter next-quarter""#));
    assert_eq!(case("--by", 0), r#"COMPREPLY=($(_salesplit_by "${cur}"))"#);
    assert_eq!(bash.matches("--carry)\n").count(), 1);
    assert!(bash.contains(r#"COMPREPLY=($(compgen -W "shortfall both none" -- "${cur}"))"#));
    for shell in ["zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains("jsonl") && script.contains("this-quarter") && script.contains("iso-week"), "{shell}");
    }
    // bash: --by offers the plan's splits and the time levels, after a comma too.
    let Ok(bash_bin) = which_bash() else {
        eprintln!("SKIPPED the bash half of completions_offer_values_not_file_names: no bash");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("salesplit.bash");
    std::fs::write(&file, &bash).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("salesplit");
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let complete = |words: &str, cur: &str| -> Vec<String> {
        let script = format!("source '{}'; COMP_WORDS=({words}); _salesplit_by '{cur}'", file.display());
        let out = std::process::Command::new(&bash_bin).args(["-c", &script]).env("PATH", &path).output().unwrap();
        String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
    };
    assert_eq!(complete("salesplit decompose examples/company.toml --by re", "re"), ["region"]);
    assert_eq!(complete("salesplit decompose examples/company.toml --by region,", "region,").len(), 11);
    assert_eq!(complete("salesplit decompose examples/company.toml --by region,q", "region,q"), ["region,quarter"]);
    assert_eq!(complete("salesplit decompose --by re", "re"), Vec::<String>::new(), "no plan: the levels only");
    assert_eq!(complete("salesplit track --by m", "m"), ["month"]);
}

fn which_bash() -> Result<std::path::PathBuf, ()> {
    ["/bin/bash", "/usr/bin/bash"].iter().map(std::path::PathBuf::from).find(|p| p.exists()).ok_or(())
}
