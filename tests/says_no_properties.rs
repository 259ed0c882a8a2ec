//! "Says no clearly" as a property: the shipped example plans, damaged at
//! random (characters cut, tokens such as `nan`, `-1`, `"30%"` or a bad date
//! pasted in), never make salesplit panic; a plan that is refused gets
//! messages that start with `error:`, each naming the file, and a plan that
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
    #![proptest_config(ProptestConfig { cases: 768, failure_persistence: None, ..ProptestConfig::default() })]
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
            let breakdown = engine.breakdown(None, None)?;
            let mut sink = Summing::default();
            engine.run(&breakdown, &mut sink).expect("sums never fail");
            Ok(sink)
        });
        if let Ok(sink) = &outcome {
            prop_assert_eq!(sink.total, Some(sink.sum), "totals add up for {}", name);
        }
        if let Err(e) = outcome {
            let message = e.to_string();
            prop_assert!(message.starts_with("error: "), "{}", message);
            for d in e.diagnostics() {
                if let Some(at) = &d.location {
                    prop_assert!(at.file.ends_with(".toml") || at.file.ends_with(".csv"), "{}", message);
                }
                prop_assert!(d.help.is_some(), "every refusal says what would fix it:\n{}", message);
            }
        }
    }
}
