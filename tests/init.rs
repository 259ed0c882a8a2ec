//! `salesplit init`, `completions` and `man` through the real binary: every
//! starter plan runs as written and adds up to the total it states, init
//! never clobbers a file (plan or roster) without `--force`, the roster is
//! named after the plan, and the completion scripts and the manual page are
//! printed (and end quietly on a closed pipe).

use std::io::Read;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use crate::common::{column, csv_rows, dec, salesplit};
use rust_decimal::Decimal;

/// Runs `salesplit args` in `dir`; returns the exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = salesplit().current_dir(dir).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Runs `salesplit args` in `dir` and asserts exit 0; returns stdout.
#[track_caller]
fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = run(dir, args);
    assert_eq!(code, Some(0), "salesplit {args:?} failed: {stderr}");
    stdout
}

/// The sum of one column of a CSV.
fn sum(rows: &[std::collections::BTreeMap<String, String>], name: &str) -> Decimal {
    column(rows, name).iter().map(|v| dec(v)).sum()
}

/// The total a `validate` summary states: `plan.toml is valid: 10,000,000.00 sales CNY …`.
fn stated_total(summary: &str) -> Decimal {
    let after = summary.split(" is valid: ").nth(1).expect("a validate summary");
    dec(&after.split(' ').next().unwrap().replace(',', ""))
}

/// The files in `dir`, by name, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Writes `template` as plan.toml in a fresh folder, checks what init says
/// and writes, validates it, and returns the folder and the CSV rows of
/// `decompose` as written (the table run must succeed too).
fn starter(template: &str, roster: bool) -> (tempfile::TempDir, Vec<std::collections::BTreeMap<String, String>>) {
    let dir = tempfile::TempDir::new().unwrap();
    let said = ok(dir.path(), &["init", "--template", template]);
    let (wrote, expected_files) = if roster {
        ("plan.toml and reps.csv", vec!["plan.toml", "reps.csv"])
    } else {
        ("plan.toml", vec!["plan.toml"])
    };
    assert_eq!(said, format!("wrote {wrote}; try: salesplit validate plan.toml; salesplit decompose plan.toml\n"));
    assert_eq!(files(dir.path()), expected_files, "the files of --template {template}");
    let plan = std::fs::read_to_string(dir.path().join("plan.toml")).unwrap();
    assert!(!plan.contains("{{"), "a placeholder is left in --template {template}:\n{plan}");
    assert!(plan.contains("salesplit validate plan.toml"), "--template {template} does not point to validate");
    assert!(plan.contains("salesplit decompose plan.toml"), "--template {template} does not point to decompose");
    assert_eq!(plan.contains("roster = \"reps.csv\""), roster, "--template {template} names its roster");
    let (code, _, stderr) = run(dir.path(), &["validate", "plan.toml"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""), "validate --template {template}");
    ok(dir.path(), &["decompose", "plan.toml"]);
    let rows = csv_rows(&ok(dir.path(), &["decompose", "plan.toml", "--format", "csv"]));
    assert!(!rows.is_empty());
    (dir, rows)
}

#[test]
fn the_company_template_runs_and_adds_up() {
    let (dir, rows) = starter("company", true);
    let summary = ok(dir.path(), &["validate", "plan.toml"]);
    assert_eq!(
        summary,
        "plan.toml is valid: 10,000,000.00 sales CNY for 2026, split by region (4), product (3), salesperson (8)\n"
    );
    // 10_000_000 is the `sales` written in configs/templates/company.toml.
    assert_eq!(stated_total(&summary), dec("10000000.00"));
    assert_eq!(sum(&rows, "sales"), dec("10000000.00"));
    // By month, each salesperson under their region and every product.
    assert_eq!(rows.len(), 8 * 3 * 12);
    assert_eq!(rows[0]["period"], "2026-01");
    // 华东 sells its own product mix: A 50% of its 35%, not the others' 30%.
    let east_a: Decimal =
        rows.iter().filter(|r| r["region"] == "华东" && r["product"] == "A").map(|r| dec(&r["sales"])).sum();
    assert_eq!(east_a, dec("1750000.00"));
}

#[test]
fn the_shop_template_runs_and_adds_up() {
    let (dir, rows) = starter("shop", false);
    let summary = ok(dir.path(), &["validate", "plan.toml"]);
    assert_eq!(summary, "plan.toml is valid: 4,470,000 sales CNY for 2026\n");
    // 4_470_000 is the `sales` written in configs/templates/shop.toml: 443
    // weekday shares plus 4 more for the promotion day, 10,000 a share.
    assert_eq!(stated_total(&summary), dec("4470000"));
    assert_eq!(sum(&rows, "sales"), dec("4470000"));
    assert_eq!(rows.len(), 365, "one row a day");
    let day = |date: &str| rows.iter().find(|r| r["period"] == date).map(|r| r["sales"].clone()).unwrap();
    // Friday 2026-01-02 to Monday 2026-01-05: 1.2, 1.5, 1.8, 1; Double Eleven (a Wednesday) weighs 5.
    assert_eq!(
        [day("2026-01-02"), day("2026-01-03"), day("2026-01-04"), day("2026-01-05")],
        ["12000", "15000", "18000", "10000"]
    );
    assert_eq!(day("2026-11-11"), "50000");
    // The opening-hour slots of a day add up to it: 10/30/30/30%.
    let slots = csv_rows(&ok(
        dir.path(),
        &["decompose", "plan.toml", "--by", "slot", "--period", "2026-11-11", "--format", "csv"],
    ));
    assert_eq!(column(&slots, "sales"), ["5000", "15000", "15000", "15000"]);
    // Weeks start on Friday: January's second week is 2026-01-02 to 2026-01-08.
    let weeks = csv_rows(&ok(dir.path(), &["decompose", "plan.toml", "--by", "week", "--format", "csv"]));
    assert_eq!((weeks[1]["period"].as_str(), weeks[1]["start"].as_str()), ("2026-01-W2", "2026-01-02"));
}

#[test]
fn the_team_template_runs_and_adds_up() {
    let (dir, rows) = starter("team", true);
    let summary = ok(dir.path(), &["validate", "plan.toml"]);
    assert_eq!(
        summary,
        "plan.toml is valid: 6,000,000.00 sales CNY, 120 new_customers for 2026, split by team (1), salesperson (6)\n"
    );
    // 6_000_000 and 120 are written in configs/templates/team.toml; the
    // people's quotas are over-assigned by 10%, and the `_base` columns keep
    // the team's own total.
    assert_eq!(stated_total(&summary), dec("6000000.00"));
    assert_eq!(sum(&rows, "sales_base"), dec("6000000.00"));
    assert_eq!(sum(&rows, "sales"), dec("6600000.00"));
    assert_eq!(sum(&rows, "new_customers_base"), dec("120"));
    assert!(column(&rows, "salesperson").contains(&"(vacant)".to_string()), "vacancy = \"show\"");
    for stage in ["deals", "prospects", "visits", "calls"] {
        assert!(sum(&rows, stage) > Decimal::ZERO, "the funnel's {stage}");
    }
    // The new hire starting 2026-05-18 has nothing in Q1; the capped veteran is held at 1,500,000.
    let of = |who: &str, period: &str| {
        rows.iter().find(|r| r["salesperson"] == who && r["period"] == period).map(|r| r["sales"].clone()).unwrap()
    };
    assert_eq!(of("李娜", "2026-Q1"), "0.00");
    let zhang: Decimal = rows.iter().filter(|r| r["salesperson"] == "张伟").map(|r| dec(&r["sales"])).sum();
    assert_eq!(zhang, dec("1500000.00"));
}

#[test]
fn a_roster_written_as_a_workbook_gives_the_plan_of_the_csv_roster() {
    for template in ["company", "team"] {
        let csv = tempfile::TempDir::new().unwrap();
        ok(csv.path(), &["init", "--template", template]);
        let xlsx = tempfile::TempDir::new().unwrap();
        let said = ok(xlsx.path(), &["init", "--template", template, "--roster-format", "xlsx"]);
        assert_eq!(
            said,
            "wrote plan.toml and reps.xlsx; try: salesplit validate plan.toml; salesplit decompose plan.toml\n"
        );
        assert_eq!(files(xlsx.path()), ["plan.toml", "reps.xlsx"]);
        let book = std::fs::read(xlsx.path().join("reps.xlsx")).unwrap();
        assert!(book.starts_with(b"PK\x03\x04"), "an xlsx is a zip");
        let plan = std::fs::read_to_string(xlsx.path().join("plan.toml")).unwrap();
        assert!(plan.contains("roster = \"reps.xlsx\""), "{plan}");
        let (code, _, stderr) = run(xlsx.path(), &["validate", "plan.toml"]);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "validate --template {template} --roster-format xlsx");
        let args = ["decompose", "plan.toml", "--format", "csv"];
        let (from_csv, from_xlsx) = (ok(csv.path(), &args), ok(xlsx.path(), &args));
        assert!(from_csv.lines().count() > 10);
        assert!(from_csv == from_xlsx, "--template {template}: the xlsx roster gives other figures");
    }
}

#[test]
fn init_refuses_to_overwrite_a_plan_and_writes_no_roster() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), "# my own plan\n").unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["init"]);
    assert_eq!(
        stderr,
        "error[E0904]: plan.toml already exists\n = help: add --force to overwrite it, or name another FILE: salesplit \
         init --template company plan-2.toml (its roster: plan-2-reps.csv)\n"
    );
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert_eq!(std::fs::read_to_string(dir.path().join("plan.toml")).unwrap(), "# my own plan\n");
    assert_eq!(files(dir.path()), ["plan.toml"], "the roster must not be written either");
}

#[test]
fn init_refuses_to_overwrite_a_roster_and_writes_no_plan() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("q-reps.csv"), "name,team,weight\n").unwrap();
    // q-2.toml is taken too, so the suggestion moves on to q-3.toml.
    std::fs::write(dir.path().join("q-2.toml"), "").unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["init", "--template", "team", "q.toml"]);
    assert_eq!(
        stderr,
        "error[E0904]: q-reps.csv already exists (it would be the roster of q.toml)\n = help: add --force to overwrite it, \
         or name another FILE: salesplit init --template team q-3.toml (its roster: q-3-reps.csv)\n"
    );
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert_eq!(std::fs::read_to_string(dir.path().join("q-reps.csv")).unwrap(), "name,team,weight\n");
    assert_eq!(files(dir.path()), ["q-2.toml", "q-reps.csv"], "the plan must not be written");
}

#[test]
fn init_names_both_files_when_both_exist() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), "a").unwrap();
    std::fs::write(dir.path().join("reps.csv"), "b").unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["init", "--template", "team"]);
    assert_eq!(
        stderr,
        "error[E0904]: plan.toml and reps.csv already exist\n = help: add --force to overwrite them, or name another FILE: \
         salesplit init --template team plan-2.toml (its roster: plan-2-reps.csv)\n"
    );
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert_eq!(std::fs::read_to_string(dir.path().join("plan.toml")).unwrap(), "a");
    assert_eq!(std::fs::read_to_string(dir.path().join("reps.csv")).unwrap(), "b");
}

#[test]
fn force_overwrites_the_plan_and_the_roster() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("plan.toml"), "# old\n").unwrap();
    std::fs::write(dir.path().join("reps.csv"), "old\n").unwrap();
    let said = ok(dir.path(), &["init", "--template", "team", "--force"]);
    assert_eq!(
        said,
        "wrote plan.toml and reps.csv; try: salesplit validate plan.toml; salesplit decompose plan.toml\n"
    );
    assert!(std::fs::read_to_string(dir.path().join("plan.toml")).unwrap().contains("over_assign = \"10%\""));
    assert!(std::fs::read_to_string(dir.path().join("reps.csv")).unwrap().starts_with("name,team,weight,start,end"));
    ok(dir.path(), &["validate", "plan.toml"]);
    assert_eq!(files(dir.path()), ["plan.toml", "reps.csv"], "no temporary file is left behind");
}

#[test]
fn the_roster_is_named_after_the_plan_so_plans_can_share_a_folder() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let said = ok(dir.path(), &["init", "--template", "team", "plans/q.toml"]);
    assert_eq!(
        said,
        "wrote plans/q.toml and plans/q-reps.csv; try: salesplit validate plans/q.toml; salesplit decompose \
         plans/q.toml\n"
    );
    ok(dir.path(), &["init", "--template", "company", "plans/r.toml"]);
    assert_eq!(files(&dir.path().join("plans")), ["q-reps.csv", "q.toml", "r-reps.csv", "r.toml"]);
    let q = std::fs::read_to_string(dir.path().join("plans/q.toml")).unwrap();
    assert!(q.contains("roster = \"q-reps.csv\""), "{q}");
    assert!(q.contains("salesplit validate q.toml"), "the comments name the plan itself");
    // Each plan reads its own roster, relative to its own folder.
    assert!(ok(dir.path(), &["validate", "plans/q.toml"]).contains("split by team (1), salesperson (6)"));
    assert!(ok(dir.path(), &["validate", "plans/r.toml"]).contains("salesperson (8)"));
}

#[test]
fn init_does_not_create_a_missing_folder() {
    let dir = tempfile::TempDir::new().unwrap();
    let (code, stdout, stderr) = run(dir.path(), &["init", "--template", "team", "plans/q.toml"]);
    assert_eq!(
        stderr,
        "error[E0902]: cannot write plans/q.toml: the folder plans does not exist\n = help: create the folder first, or \
         name a FILE in a folder that exists\n"
    );
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    assert!(files(dir.path()).is_empty(), "nothing is created");
}

#[test]
fn completions_are_printed_for_each_shell() {
    // fish names long options `-l format`; the others write `--format`.
    for (shell, option) in
        [("bash", "--format"), ("zsh", "--format"), ("fish", "-l format"), ("powershell", "--format")]
    {
        let out = salesplit().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "completions {shell}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "completions {shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("decompose"), "completions {shell} lack decompose");
        assert!(script.contains(option), "completions {shell} lack {option}");
        assert!(script.contains("salesplit"), "completions {shell} are for another binary");
    }
    salesplit().args(["completions", "tcsh"]).assert().code(2).stdout("");
}

#[test]
fn man_prints_one_roff_page_with_every_command() {
    let out = salesplit().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH salesplit 1"), "{page}");
    assert_eq!(page.matches(".TH ").count(), 1, "one page");
    for command in ["decompose", "track", "explain", "validate", "init", "completions", "man"] {
        assert!(page.contains(&format!(".SS \"salesplit {command}\"")), "no section for {command}");
    }
    // Each command's options are documented, not just named.
    assert!(page.contains(r"\fB\-\-format\fR"), "--format is not documented");
    assert!(page.contains(r"\fB\-\-template\fR"), "--template is not documented");
    assert_eq!(page.matches(".ds Aq").count(), 2, "the apostrophe preamble (.ie/.el) once");
}

#[test]
fn man_and_completions_end_quietly_on_a_closed_pipe() {
    for args in [&["man"][..], &["completions", "bash"]] {
        let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("salesplit"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Closed before the binary has started writing (it needs far longer
        // to start than this takes), so its first write meets a closed pipe.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        let status = child.wait().unwrap();
        assert_eq!((status.code(), stderr.as_str()), (Some(0), ""), "salesplit {args:?}");
    }
}
