//! Stage `cli`: `salesplit init` (starter plans), `completions` and `man`.
//!
//! Starter plans live in `configs/templates/` and are embedded with
//! `include_str!`, so an installed salesplit writes them without its sources.
//! A template with a roster names it `{{roster}}`; init fills in a name
//! derived from the plan's (`q.toml` -> `q-reps.csv`, the default `plan.toml`
//! -> `reps.csv`) so that two plans in one folder never share a roster.
//! `{{plan}}` in a template's comments becomes the plan's own file name, so
//! the `salesplit validate` line it suggests can be pasted as is.
//!
//! init never overwrites a file unless asked to (`--force`): it checks the
//! plan and the roster before writing either, and writes each through a
//! temporary file renamed into place, so a refusal or a failure leaves the
//! folder as it was.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::args::{CompletionsArgs, InitArgs, RosterFormat, Shell, Template};
use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;

/// Where a template names its roster file; init puts the derived name there.
const ROSTER_PLACEHOLDER: &str = "{{roster}}";

/// Where a template's comments name the plan file itself.
const PLAN_PLACEHOLDER: &str = "{{plan}}";

/// The plan file init writes when no FILE is given.
const DEFAULT_PLAN: &str = "plan.toml";

/// A starter plan as shipped: its TOML and, when it has one, its roster's CSV.
struct Starter {
    /// The plan, with [`PLAN_PLACEHOLDER`] and [`ROSTER_PLACEHOLDER`] to fill in.
    plan: &'static str,
    /// The roster, written beside the plan.
    roster: Option<&'static str>,
}

/// The embedded files of `template`.
fn starter(template: Template) -> Starter {
    match template {
        Template::Company => Starter {
            plan: include_str!("../../configs/templates/company.toml"),
            roster: Some(include_str!("../../configs/templates/company.csv")),
        },
        Template::Shop => Starter { plan: include_str!("../../configs/templates/shop.toml"), roster: None },
        Template::Team => Starter {
            plan: include_str!("../../configs/templates/team.toml"),
            roster: Some(include_str!("../../configs/templates/team.csv")),
        },
    }
}

/// The roster's file name for a plan whose file stem is `stem`, with
/// extension `ext` (`csv`, `xlsx`). The default plan keeps the short
/// `reps.csv` that the README's examples use.
fn roster_name(stem: &str, ext: &str) -> String {
    if stem == "plan" {
        format!("reps.{ext}")
    } else {
        format!("{stem}-reps.{ext}")
    }
}

/// `salesplit init`: writes a commented starter plan (and its roster) that
/// runs as written, then says on stdout what was written and what to try.
pub(super) fn init(args: &InitArgs) -> Result<(), Error> {
    let plan = args.file.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_PLAN));
    let starter = starter(args.template);
    check_folder(&plan)?;
    let Some(plan_name) = plan.file_name() else {
        return Err(Error::invalid(
            Diagnostic::new(Code::NotAFile, format!("{} does not name a file", plan.display()))
                .help(format!("name the plan file, e.g. salesplit init {DEFAULT_PLAN}")),
        ));
    };
    let ext = match args.roster_format {
        RosterFormat::Csv => "csv",
        RosterFormat::Xlsx => "xlsx",
    };
    let roster = match starter.roster {
        Some(csv) => {
            let bytes = match args.roster_format {
                RosterFormat::Csv => csv.as_bytes().to_vec(),
                RosterFormat::Xlsx => super::roster_workbook::roster_workbook(csv)?,
            };
            Some((plan.with_file_name(roster_name(utf8_stem(&plan)?, ext)), bytes))
        }
        None => None,
    };
    let roster_path = roster.as_ref().map(|(path, _)| path.as_path());
    for path in [Some(plan.as_path()), roster_path].into_iter().flatten() {
        refuse_special(path)?;
    }
    if !args.force {
        refuse_existing(&plan, roster_path, args.template, ext)?;
    }

    let roster_file = roster_path.and_then(Path::file_name).map(|n| n.to_string_lossy()).unwrap_or_default();
    let text = starter
        .plan
        .replace(PLAN_PLACEHOLDER, &comment_safe(&shell_word(&plan_name.to_string_lossy())))
        .replace(ROSTER_PLACEHOLDER, &toml_escape(&roster_file));
    let mut files: Vec<(&Path, &[u8])> = Vec::new();
    // The roster first: a plan is never left naming a roster that is not there.
    if let Some((path, bytes)) = &roster {
        files.push((path, bytes));
    }
    files.push((&plan, text.as_bytes()));
    write_all(&files, args.force)?;

    // Said plan first: the plan is what the user asked for.
    let written: Vec<String> = files.iter().rev().map(|(p, _)| p.display().to_string()).collect();
    let shown = shell_word(&plan.display().to_string()).into_owned();
    let line =
        format!("wrote {}; try: salesplit validate {shown}; salesplit decompose {shown}\n", written.join(" and "));
    to_stdout(line.as_bytes())
}

/// The plan's folder must exist: init makes files, not folders, so that a
/// typo in a path does not quietly create a tree somewhere unexpected.
fn check_folder(plan: &Path) -> Result<(), Error> {
    if plan.is_dir() {
        return Err(Error::invalid(
            Diagnostic::new(Code::NotAFile, format!("{} is a folder, not a plan file", plan.display())).help(format!(
                "name the plan file inside it, e.g. salesplit init {}",
                shell_word(&plan.join(DEFAULT_PLAN).display().to_string())
            )),
        ));
    }
    // `plans/` names a folder even when there is none; without this check
    // the rename would fail with the system's bare "Not a directory".
    let text = plan.as_os_str().to_string_lossy();
    let folder = if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
        plan
    } else {
        match plan.parent() {
            Some(f) if !f.as_os_str().is_empty() => f,
            _ => return Ok(()),
        }
    };
    let (problem, help) = match std::fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => (format!("{} is not a folder", folder.display()), "name a FILE in a folder that exists"),
        Err(_) => (
            format!("the folder {} does not exist", folder.display()),
            "create the folder first, or name a FILE in a folder that exists",
        ),
    };
    Err(Error::invalid(
        Diagnostic::new(Code::CannotWrite, format!("cannot write {}: {problem}", plan.display())).help(help),
    ))
}

/// The plan's file stem as text: the roster's name is made from it and
/// written into the plan, which is UTF-8.
fn utf8_stem(plan: &Path) -> Result<&str, Error> {
    plan.file_stem().and_then(|s| s.to_str()).ok_or_else(|| {
        Error::invalid(
            Diagnostic::new(
                Code::CannotWrite,
                format!("cannot name the roster of {}: its file name is not UTF-8 text", plan.display()),
            )
            .help("give the plan a file name in UTF-8 text, e.g. plan.toml"),
        )
    })
}

/// Whether something (a file, a folder, even a dangling link) is at `path`.
fn taken(path: &Path) -> Result<bool, Error> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(Error::Io { path: path.to_path_buf(), action: "check", source }),
    }
}

/// Refuses, even with `--force`, to write over a device, FIFO or socket
/// (followed through links): renaming a starter plan onto `/dev/null` or a
/// named pipe would replace it with a regular file.
fn refuse_special(path: &Path) -> Result<(), Error> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => Err(Error::invalid(
            Diagnostic::new(
                Code::NotAFile,
                format!("{} is not a regular file (a device, FIFO or socket)", path.display()),
            )
            .help(format!("name a new file for the plan, e.g. salesplit init {DEFAULT_PLAN}")),
        )),
        _ => Ok(()),
    }
}

/// Refuses, before anything is written, when the plan or its roster exists;
/// the help names a FILE whose plan and roster are both free.
fn refuse_existing(plan: &Path, roster: Option<&Path>, template: Template, ext: &str) -> Result<(), Error> {
    let plan_taken = taken(plan)?;
    let roster_taken = match roster {
        Some(r) if taken(r)? => Some(r),
        _ => None,
    };
    let message = match (plan_taken, roster_taken) {
        (false, None) => return Ok(()),
        (true, None) => format!("{} already exists", plan.display()),
        (false, Some(r)) => format!("{} already exists (it would be the roster of {})", r.display(), plan.display()),
        (true, Some(r)) => format!("{} and {} already exist", plan.display(), r.display()),
    };
    let them = if plan_taken && roster_taken.is_some() { "them" } else { "it" };
    let name = template.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default();
    let mut help = format!("add --force to overwrite {them}");
    if let Some((other, other_roster)) = free_name(plan, roster.map(|_| ext)) {
        help.push_str(&format!(
            ", or name another FILE: salesplit init --template {name} {}",
            shell_word(&other.display().to_string())
        ));
        if let Some(r) = other_roster {
            help.push_str(&format!(" (its roster: {})", r.display()));
        }
    }
    Err(Error::invalid(Diagnostic::new(Code::WouldOverwrite, message).help(help)))
}

/// `plan-2.toml`, `plan-3.toml`…: the first plan name beside `plan` whose
/// file (and roster, when there is one) does not exist yet.
fn free_name(plan: &Path, roster_ext: Option<&str>) -> Option<(PathBuf, Option<PathBuf>)> {
    let stem = plan.file_stem()?.to_str()?;
    let extension = plan.extension().and_then(|e| e.to_str()).map(|e| format!(".{e}")).unwrap_or_default();
    (2..1000).find_map(|n| {
        let other = plan.with_file_name(format!("{stem}-{n}{extension}"));
        let other_roster = roster_ext.map(|ext| other.with_file_name(roster_name(&format!("{stem}-{n}"), ext)));
        let free = !matches!(taken(&other), Ok(true)) && !matches!(other_roster.as_deref().map(taken), Some(Ok(true)));
        free.then_some((other, other_roster))
    })
}

/// Writes each file through a temporary file in its folder, renamed into
/// place once complete. Without `force` the rename refuses to replace a file
/// that appeared since the check; if a later file fails, the files this call
/// created are removed again, so init writes all of its files or none.
fn write_all(files: &[(&Path, &[u8])], force: bool) -> Result<(), Error> {
    let mut temps = Vec::new();
    for (path, text) in files {
        let folder = match path.parent() {
            Some(f) if !f.as_os_str().is_empty() => f,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        // Named like the output's, so that a sweep knows whose it is.
        let prefix = super::output::TempName::prefix();
        builder.prefix(&prefix).suffix(super::output::TempName::suffix());
        // A temporary file is private; a starter plan is an ordinary file
        // (0666 less the umask), like one made with an editor.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let error = |source| Error::Io { path: path.to_path_buf(), action: "write", source };
        let mut temp = builder.tempfile_in(folder).map_err(error)?;
        temp.write_all(text).and_then(|()| temp.flush()).map_err(error)?;
        temps.push((*path, temp));
    }
    let mut created: Vec<&Path> = Vec::new();
    for (path, temp) in temps {
        let existed = force && matches!(taken(path), Ok(true));
        let persisted = if force { temp.persist(path) } else { temp.persist_noclobber(path) };
        if let Err(e) = persisted {
            for done in created {
                // Best effort: the error below is what the user must see.
                let _ = std::fs::remove_file(done);
            }
            return Err(Error::Io { path: path.to_path_buf(), action: "write", source: e.error });
        }
        if !existed {
            created.push(path);
        }
    }
    Ok(())
}

/// `text` as one shell word: as is when it is plain, else in single quotes,
/// so that a suggested command can be pasted even for `my plan.toml`.
fn shell_word(text: &str) -> Cow<'_, str> {
    let plain = !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || "_-./:+@%,=".contains(c));
    if plain {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("'{}'", text.replace('\'', r"'\''")))
    }
}

/// `text` without line breaks or other control characters, which would end
/// a TOML comment and break the plan.
fn comment_safe(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// `text` escaped for a TOML basic string (`"…"`).
fn toml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `salesplit completions SHELL`: the shell's completion script on stdout.
pub(super) fn completions(args: &CompletionsArgs) -> Result<(), Error> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut command = <crate::cli::Args as clap::CommandFactory>::command();
    // Into memory first: clap_complete panics when a write fails, and a
    // closed pipe (`| head`) must end quietly instead.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "salesplit", &mut script);
    if args.shell == Shell::Bash {
        script = plan_aware_by(&String::from_utf8_lossy(&script)).into_bytes();
    }
    to_stdout(&script)
}

/// The bash function that completes `--by`: the plan's splits (from
/// `salesplit __splits PLAN`, for the first `.toml` file on the line) and
/// the time levels, after the last comma of a list (`region,qu` -> `region,quarter`).
const BASH_BY: &str = r#"_salesplit_by() {
    local cur="$1" head="" plan="" word names="TIME_LEVELS"
    for word in "${COMP_WORDS[@]}"; do
        case "$word" in
            *.toml) [[ -f "$word" ]] && plan="$word" ;;
        esac
    done
    if [[ -n "$plan" ]]; then
        names="$(salesplit __splits "$plan" 2>/dev/null | tr '
' ' ')$names"
    fi
    if [[ "$cur" == *,* ]]; then
        head="${cur%,*},"
        cur="${cur##*,}"
    fi
    compgen -W "$names" -P "$head" -- "$cur"
}

"#;

/// `clap_complete`'s bash script, with `--by` completed by [`BASH_BY`]
/// instead of the time levels alone.
fn plan_aware_by(script: &str) -> String {
    let levels = super::args::TIME_LEVELS.join(" ");
    let fixed = format!(r#"COMPREPLY=($(compgen -W "{levels}" -- "${{cur}}"))"#);
    let by = script.replace(&fixed, r#"COMPREPLY=($(_salesplit_by "${cur}"))"#);
    format!("{}{by}", BASH_BY.replace("TIME_LEVELS", &levels))
}

/// `salesplit __splits PLAN`: the plan's split names, one a line (for completions).
pub(super) fn splits(plan: &std::path::Path) -> Result<(), Error> {
    let plan = crate::plan::Plan::read(plan)?;
    let names: String = plan.splits.iter().flat_map(|s| [s.by.as_str(), "\n"]).collect();
    to_stdout(names.as_bytes())
}

/// `salesplit man`: the roff manual page on stdout (`salesplit man > salesplit.1`).
/// One page for the whole tool: after the usual sections, COMMANDS gives each
/// subcommand's synopsis and options, since no `salesplit-decompose(1)` pages
/// are installed for `clap_mangen`'s default list to point to.
pub(super) fn man() -> Result<(), Error> {
    let mut command = <crate::cli::Args as clap::CommandFactory>::command();
    // Built, so that each subcommand's synopsis reads `salesplit decompose`.
    command.build();
    let page = clap_mangen::Man::new(command.clone());
    let mut fragments: Vec<Vec<u8>> = Vec::new();
    // Rendering into memory cannot fail; the map keeps the types honest.
    let rendered: std::io::Result<()> = (|| {
        let mut head = Vec::new();
        page.render_title(&mut head)?;
        page.render_name_section(&mut head)?;
        page.render_synopsis_section(&mut head)?;
        page.render_description_section(&mut head)?;
        page.render_options_section(&mut head)?;
        head.extend_from_slice(b".SH COMMANDS\n");
        fragments.push(head);
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
            let part = clap_mangen::Man::new(sub.clone());
            let mut section = format!(".SS \"{name}\"\n").into_bytes();
            part.render_description_section(&mut section)?;
            part.render_synopsis_section(&mut section)?;
            part.render_options_section(&mut section)?;
            fragments.push(demote_sections(&String::from_utf8_lossy(&section)).into_bytes());
        }
        let mut tail = MAN_SECTIONS.as_bytes().to_vec();
        page.render_version_section(&mut tail)?;
        fragments.push(tail);
        Ok(())
    })();
    rendered.map_err(stdout_error)?;
    to_stdout(one_preamble(&fragments).as_bytes())
}

/// The man page's sections after COMMANDS that clap does not write: exit
/// status (as `cli` returns it), the environment it reads, and examples.
const MAN_SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Done (also when the reader of stdout went away, as with \fB| head\fR).
.TP
\fB1\fR
Bad input (a plan, roster, calendar or actuals file; \fB\-\-by\fR, \fB\-\-period\fR) or a file that cannot be read or written; nothing is written to stdout.
.TP
\fB2\fR
Bad usage: an unknown option, a missing or invalid argument, options that do not go together.
.TP
\fB3\fR
\fBtrack \-\-fail\-below\fR: attainment below the threshold (the report is printed first).
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
Set and not empty: no colour in terminal tables (as \fB\-\-no\-color\fR).
.TP
\fBCLICOLOR_FORCE\fR
Set and not 0: colour in terminal tables even when stdout is not a terminal.
.TP
\fBCOLUMNS\fR
The terminal's width in characters, for tables, \fB\-\-help\fR and messages (overrides the width the terminal reports). Messages on a terminal fold their headline, notes and helps at spaces to this width; written to a file or a pipe, each stays on one line.
.TP
\fBSALESPLIT_THREADS\fR
How many threads \fBdecompose\fR and \fBtrack\fR use (default: every core; the output is the same bytes for any number).
.SH EXAMPLES
.TP
\fBsalesplit init \-\-template company plan.toml\fR
Write a starter plan and its roster.
.TP
\fBsalesplit decompose plan.toml\fR
The targets in the terminal: the full breakdown, or the pivot that fits with a note on how to get it all.
.TP
\fBsalesplit decompose plan.toml \-\-by region,quarter \-\-unit 万\fR
Regions by quarter, in 万.
.TP
\fBsalesplit decompose plan.toml \-\-period next\-month \-\-format csv \-\-output march.csv\fR
Next month's targets as CSV, from cron.
.TP
\fBsalesplit track plan.toml \-\-actuals sales.csv \-\-as\-of 2026\-03\-15\fR
Actual sales against the targets to date.
.TP
\fBsalesplit explain plan.toml \-\-cell region=华东,period=2026\-03\fR
How one figure was reached.
"#;

/// `clap_mangen` starts every rendered section with the same two lines that
/// define the apostrophe string `Aq`; the page needs them once, at the top.
fn one_preamble(fragments: &[Vec<u8>]) -> String {
    const PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];
    let mut page = format!("{}\n{}\n", PREAMBLE[0], PREAMBLE[1]);
    for fragment in fragments {
        for line in String::from_utf8_lossy(fragment).lines().filter(|l| !PREAMBLE.contains(l)) {
            page.push_str(line);
            page.push('\n');
        }
    }
    page
}

/// A subcommand's sections as parts of its `.SS` entry: its DESCRIPTION and
/// SYNOPSIS headings go (the entry's title says whose they are), and other
/// headings such as OPTIONS become paragraphs headed in bold.
fn demote_sections(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for line in roff.lines() {
        match line.strip_prefix(".SH ") {
            Some("DESCRIPTION") => {}
            Some("SYNOPSIS") => out.push_str(".PP\n"),
            Some(heading) => {
                let heading = heading.trim_matches('"');
                out.push_str(&format!(".PP\n\\fB{}\\fR\n", title_case(heading)));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// `OPTIONS` -> `Options`.
fn title_case(heading: &str) -> String {
    let lower = heading.to_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Writes `bytes` to stdout. A failure is reported as a write to `<stdout>`,
/// which `cli::main` turns into a quiet exit 0 when the pipe was closed.
fn to_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).map_err(stdout_error)
}

fn stdout_error(source: std::io::Error) -> Error {
    Error::Io { path: "<stdout>".into(), action: "write", source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_roster_is_named_after_the_plan() {
        assert_eq!(roster_name("plan", "csv"), "reps.csv");
        assert_eq!(roster_name("q", "csv"), "q-reps.csv");
        assert_eq!(roster_name("2026 计划", "csv"), "2026 计划-reps.csv");
        assert_eq!(roster_name("q", "xlsx"), "q-reps.xlsx");
    }

    #[test]
    fn every_template_fills_its_placeholders() {
        for template in [Template::Company, Template::Shop, Template::Team] {
            let starter = starter(template);
            assert!(starter.plan.contains(PLAN_PLACEHOLDER), "{template:?} names no plan");
            assert_eq!(starter.plan.contains(ROSTER_PLACEHOLDER), starter.roster.is_some(), "{template:?}");
            let filled = starter.plan.replace(PLAN_PLACEHOLDER, "p.toml").replace(ROSTER_PLACEHOLDER, "p-reps.csv");
            assert!(!filled.contains("{{"), "{template:?} keeps a placeholder");
        }
    }

    #[test]
    fn odd_file_names_stay_valid_toml_and_shell_words() {
        assert_eq!(toml_escape(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(toml_escape("a\nb"), "a\\u000Ab");
        assert_eq!(shell_word("plans/q.toml"), "plans/q.toml");
        assert_eq!(shell_word("计划.toml"), "计划.toml");
        assert_eq!(shell_word("my plan.toml"), "'my plan.toml'");
        assert_eq!(shell_word("it's.toml"), r"'it'\''s.toml'");
        assert_eq!(comment_safe("a\nb"), "a?b");
    }
}
