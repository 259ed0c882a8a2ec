//! "Says no clearly" as a property: the shipped example plans, damaged at
//! random (characters cut, tokens such as `nan`, `-1`, `"30%"` or a bad date
//! pasted in), never make salesplit panic; a plan that is refused gets
//! messages that each start with `error:`, name the file and the line, and
//! end with a `help:` whose TOML (if it shows some) parses; and a plan that
//! is accepted runs to the end with totals that add up.

use std::path::Path;

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplit::engine::{Cell, CellSink, Engine, Header, Value};
use salesplit::plan::Plan;

/// Pieces a damaged plan may get pasted in.
const TOKENS: [&str; 20] = [
    "\"",
    "=",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "%",
    "-1",
    "0",
    "nan",
    "inf",
    "1e30",
    "\"30%\"",
    "\"2026-02-30\"",
    "99999999999999999999999999999",
    "0.000000000000000000000000000001",
    "[[split]]\nby = \"x\"\n",
    "华东",
];

/// Sums the cells it is given, to compare with the totals.
#[derive(Default)]
struct Summing {
    sum: Decimal,
    total: Option<Decimal>,
}

impl CellSink for Summing {
    fn begin(&mut self, _: &Header) -> std::io::Result<()> {
        Ok(())
    }
    fn cell(&mut self, cell: &Cell<'_>) -> std::io::Result<()> {
        self.sum += cell.values[0].amount().unwrap_or_default();
        Ok(())
    }
    fn finish(&mut self, totals: &[Value]) -> std::io::Result<()> {
        self.total = totals[0].amount();
        Ok(())
    }
}

fn examples() -> Vec<(String, String)> {
    let mut plans: Vec<(String, String)> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    plans.sort();
    plans
}

/// Damages `text` at `at` (a fraction of its length): cuts `cut` bytes and
/// pastes `token` there, keeping the text valid UTF-8.
fn damage(text: &str, at: f64, cut: usize, token: &str) -> String {
    let mut start = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + cut).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{token}{}", &text[..start], &text[end..])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn damaged_plans_are_refused_clearly_or_run_to_the_end(
        pick in 0usize..64,
        at in 0.0f64..1.0,
        cut in 0usize..12,
        token in 0usize..TOKENS.len(),
        twice in proptest::option::of((0.0f64..1.0, 0usize..TOKENS.len())),
    ) {
        let plans = examples();
        let (name, text) = &plans[pick % plans.len()];
        let mut damaged = damage(text, at, cut, TOKENS[token]);
        if let Some((at2, token2)) = twice {
            damaged = damage(&damaged, at2, 0, TOKENS[token2]);
        }
        let outcome = Plan::parse(name, &damaged, Path::new("examples")).and_then(|plan| {
            let engine = Engine::new(&plan)?;
            let request = engine.request(None, None)?;
            let mut sink = Summing::default();
            engine.run(&request, &mut sink).expect("sums never fail");
            Ok(sink)
        });
        if let Ok(sink) = &outcome {
            prop_assert_eq!(sink.total, Some(sink.sum), "totals add up for {}", name);
        }
        if let Err(e) = outcome {
            let message = e.to_string();
            prop_assert!(message.starts_with("error[E"), "{}", message);
            prop_assert!(!e.diagnostics().is_empty(), "a refusal of a plan is a list of problems:\n{}", message);
            for d in e.diagnostics() {
                let shown = d.to_string();
                // Each problem on its own: an error, in a file at a line, with a fix.
                prop_assert!(!d.is_warning() && shown.starts_with("error[E"), "{}", shown);
                let at = d.location.as_ref();
                prop_assert!(at.is_some(), "every problem says where it is:\n{}", shown);
                let at = at.expect("checked");
                let extension = std::path::Path::new(&at.file).extension().and_then(|e| e.to_str());
                prop_assert!(matches!(extension, Some("toml" | "csv")), "{}", shown);
                prop_assert!(at.line > 0, "every problem names its line:\n{}", shown);
                prop_assert!(shown.contains(&format!("--> {}", at.file)), "{}", shown);
                let help = d.help.as_deref();
                prop_assert!(help.is_some_and(|h| !h.trim().is_empty()), "every refusal says what would fix it:\n{}", shown);
                prop_assert!(shown.contains("= help: "), "{}", shown);
                // TOML shown in a help is TOML that parses.
                for snippet in help.expect("checked").split('`').skip(1).step_by(2) {
                    if snippet.contains(" = ") || (snippet.len() > 2 && snippet.starts_with('[') && snippet.ends_with(']')) {
                        let parses = snippet.parse::<toml::Table>().is_ok()
                            || format!("x = {snippet}").parse::<toml::Table>().is_ok();
                        prop_assert!(parses, "this help shows TOML that does not parse: `{}`\n{}", snippet, shown);
                    }
                }
            }
        }
    }
}
