//! Stage `render`: an [`Explanation`] in words a sales manager follows, or
//! as JSON for tools. Every figure, share and exact value comes worked out
//! in the explanation (`engine/explanation.rs`); this file only puts them
//! into words and formats them (thousands separators, percentages).

use rust_decimal::Decimal;

use super::thousands;
use crate::diagnostic::terminal_text;
use crate::engine::{Basis, Explanation, Rounding};
use crate::plan::Precision;

/// Groups the whole part of an exact value's digits like the other
/// figures: `284810.126582…` -> `284,810.126582…`.
fn group(text: &str) -> String {
    let (whole, rest) = text.split_once('.').map_or((text, None), |(w, r)| (w, Some(r)));
    let grouped = thousands(whole.parse().expect("digits"));
    match rest {
        Some(r) => format!("{grouped}.{r}"),
        None => grouped,
    }
}

/// The rounding unit in words: `cent`, `unit`, `unit of 100`.
fn unit_word(p: Precision) -> String {
    if p.unit() == Decimal::new(1, 2) {
        "cent".to_string()
    } else if p.unit() == Decimal::ONE {
        "unit".to_string()
    } else {
        format!("unit of {}", p.unit())
    }
}

/// `the 3 leftover cents go to the 3 largest` / `the 1 leftover unit of 100 goes to the largest`.
fn leftover_words(n: u128, p: Precision) -> String {
    let plural = if n == 1 { "" } else { "s" };
    let what = match unit_word(p).split_once(' ') {
        Some((unit, of)) => format!("{unit}{plural} {of}"),
        None => format!("{}{plural}", unit_word(p)),
    };
    match n {
        0 => format!("no {what} were left over"),
        1 => format!("the 1 leftover {what} goes to the largest"),
        _ => format!("the {n} leftover {what} go to the {n} largest"),
    }
}

/// `the largest`, `the 2nd largest`.
fn rank_words(rank: usize) -> String {
    if rank == 1 {
        "the largest".to_string()
    } else {
        format!("the {} largest", ordinal(rank))
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A share as a percentage with up to two decimals (`0.2542…` -> `25.42%`).
fn percent(share: Decimal) -> String {
    format!("{}%", (share * Decimal::ONE_HUNDRED).round_dp(2).normalize())
}

/// The explanation as numbered lines of text (ends with a newline), for a
/// terminal: the names it quotes are shown escaped and, when very long,
/// shortened ([`terminal_text::shown`]); `--format json` keeps them exact.
pub fn render_explanation(e: &Explanation) -> String {
    let text = explanation_lines(e);
    let lines: Vec<String> = text.split('\n').map(|line| terminal_text::shown(line).into_owned()).collect();
    lines.join("\n")
}

fn explanation_lines(e: &Explanation) -> String {
    let p = e.precision;
    let cell: Vec<String> = e.cell.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let currency = if e.currency.is_empty() { String::new() } else { format!(" {}", e.currency) };
    let mut out = format!("{} for {}: {}{currency}\n", e.metric, cell.join(", "), thousands(e.figure));
    if !e.sum_of.is_empty() {
        out.push_str(&format!("\nThis figure is the sum of {} cells of the cascade:\n", e.sum_of.len()));
        for (path, figure) in &e.sum_of {
            out.push_str(&format!("  {:>16}  {}\n", thousands(*figure), path.join(" / ")));
        }
        let period = e.cell.iter().find(|(k, _)| k == "period").map(|(_, v)| v.as_str());
        let example = crate::engine::cell_text(&e.splits, &e.sum_of[0].0, period);
        let example = example.replace('\'', "'\\''");
        out.push_str(&format!("\nExplain one of them with every split named, e.g. --cell '{example}'\n"));
        return out;
    }
    out.push('\n');
    for (i, s) in e.steps.iter().enumerate() {
        let n = i + 1;
        let exact = group(&s.exact_digits);
        let how = match &s.basis {
            Basis::Total => format!("{n}. The plan's total {} is {}.", s.member, thousands(s.figure)),
            Basis::Weight { weight, siblings, share } => format!(
                "{n}. {} {}: weight {} of {} ({}) of {} = {exact}",
                s.level,
                s.member,
                weight.normalize(),
                siblings.normalize(),
                percent(*share),
                group(&s.parent_digits)
            ),
            Basis::Fixed(a) => format!(
                "{n}. {} {}: a fixed amount of {}, taken off the top of {}",
                s.level,
                s.member,
                thousands(*a),
                thousands(s.parent)
            ),
            Basis::Held(a) => format!(
                "{n}. {} {}: held at {} for the whole plan; this share of it is {exact}",
                s.level,
                s.member,
                thousands(*a)
            ),
            Basis::Mix { metric, share } => format!(
                "{n}. {} {}: {} of the parent's {} (the share `{metric}` has here) = {exact}",
                s.level,
                s.member,
                percent(*share),
                group(&s.parent_digits)
            ),
            Basis::OverAssign(rate) => format!(
                "{n}. {}: over-assigned by {}, so {} becomes {exact}",
                s.level,
                percent(*rate),
                group(&s.parent_digits)
            ),
            Basis::Funnel(words) => format!("{n}. The funnel at this cell: {}", words.join("; ")),
            Basis::InSeat(share) => format!(
                "{n}. {} {}: {} of {}, as their days in seat weigh = {exact}",
                s.level,
                s.member,
                percent(*share),
                group(&s.parent_digits)
            ),
            Basis::Person { weight, share, reasons, adjustment } => {
                let why = if reasons.is_empty() { String::new() } else { format!(" ({})", reasons.join("; ")) };
                let then = adjustment.as_ref().map(|a| format!(", then {a},")).unwrap_or_default();
                format!(
                    "{n}. {} {}: weight {}{why}; over the year's days in seat that comes to {} of {}{then} = {exact}",
                    s.level,
                    s.member,
                    weight.normalize(),
                    percent(*share),
                    group(&s.parent_digits)
                )
            }
        };
        out.push_str(&how);
        let why = match &s.rounding {
            Rounding::Exact if matches!(s.basis, Basis::Total | Basis::Funnel(_)) => String::new(),
            Rounding::Exact => " exactly.".to_string(),
            Rounding::Up { rank, fractions, leftover } => format!(
                ", rounded up to {}: its fraction is {} of {fractions}, and {}.",
                thousands(s.figure),
                rank_words(*rank),
                leftover_words(*leftover, p)
            ),
            Rounding::Down { rank, fractions, leftover } => format!(
                ", rounded down to {}: its fraction is {} of {fractions}, and {}.",
                thousands(s.figure),
                rank_words(*rank),
                leftover_words(*leftover, p)
            ),
            Rounding::Held { up } => format!(
                ", rounded {} to {} together with every other member so that the hold is kept exactly.",
                if *up { "up" } else { "down" },
                thousands(s.figure)
            ),
            Rounding::Nearest { up } => format!(
                ", rounded {} to {}, the nearer {}.",
                if *up { "up" } else { "down" },
                thousands(s.figure),
                unit_word(p)
            ),
            Rounding::Together { up } => format!(
                ", rounded {} to {} together with every other member so that the company's periods add up to its own {}.",
                if *up { "up" } else { "down" },
                thousands(s.figure),
                s.level
            ),
            Rounding::CrossCut { up, node } => format!(
                ", rounded {} to {} (its fraction's rank alone would round it {}) so that {node}'s {} {} is the floor or ceiling of its own exact share: controlled rounding.",
                if *up { "up" } else { "down" },
                thousands(s.figure),
                if *up { "down" } else { "up" },
                s.level,
                s.member
            ),
        };
        out.push_str(&why);
        out.push('\n');
    }
    out
}

/// A JSON object from fields whose values are already JSON text, so that
/// decimals are written digit for digit rather than through a float.
fn object(fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields.iter().map(|(k, v)| format!("{}: {v}", string(k))).collect();
    format!("{{{}}}", inner.join(", "))
}

fn string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "null".to_string(), |v| v.to_string())
}

/// The explanation as one JSON document: amounts and weights are JSON
/// numbers with their decimals as written; `exact` is a string because it
/// may go on forever (`"284810.126582…"`).
pub fn explanation_json(e: &Explanation) -> String {
    let p = e.precision;
    let steps: Vec<String> = e
        .steps
        .iter()
        .map(|s| {
            let none: Option<Decimal> = None;
            let (basis, weight, siblings, share, amount) = match &s.basis {
                Basis::Total => ("total", none, none, none, none),
                Basis::Weight { weight, siblings, share } => {
                    ("weight", Some(weight.normalize()), Some(siblings.normalize()), Some(share.normalize()), None)
                }
                Basis::Fixed(a) => ("fixed", None, None, None, Some(*a)),
                Basis::Held(a) => ("held", None, None, None, Some(*a)),
                Basis::Mix { share, .. } => ("mix", None, None, Some(share.normalize()), None),
                Basis::OverAssign(rate) => ("over_assign", None, None, Some(rate.normalize()), None),
                Basis::Person { weight, share, .. } => {
                    ("person", Some(weight.normalize()), None, Some(share.normalize()), None)
                }
                Basis::InSeat(share) => ("in_seat", None, None, Some(share.normalize()), None),
                Basis::Funnel(_) => ("funnel", None, None, None, Some(s.parent)),
            };
            // Words that shaped a person's figure: dates, ramp, then caps and floors.
            let notes: Vec<String> = match &s.basis {
                Basis::Person { reasons, adjustment, .. } => {
                    reasons.iter().chain(adjustment.iter()).map(|r| string(r)).collect()
                }
                Basis::Mix { metric, .. } => vec![string(&format!("follows the mix of `{metric}`"))],
                Basis::Funnel(words) => words.iter().map(|w| string(w)).collect(),
                _ => Vec::new(),
            };
            let (rounded, rank, fractions, leftover) = match &s.rounding {
                Rounding::Exact => ("exact", None, None, None),
                Rounding::Up { rank, fractions, leftover } => ("up", Some(*rank), Some(*fractions), Some(*leftover)),
                Rounding::Down { rank, fractions, leftover } => {
                    ("down", Some(*rank), Some(*fractions), Some(*leftover))
                }
                Rounding::Held { up }
                | Rounding::Together { up }
                | Rounding::Nearest { up }
                | Rounding::CrossCut { up, .. } => (if *up { "up" } else { "down" }, None, None, None),
            };
            object(&[
                ("level", string(&s.level)),
                ("member", string(&s.member)),
                ("basis", string(basis)),
                ("weight", opt(weight)),
                ("siblings", opt(siblings)),
                ("share", opt(share)),
                ("amount", opt(amount)),
                ("notes", format!("[{}]", notes.join(", "))),
                ("parent", s.parent.to_string()),
                ("exact", string(&s.exact_digits)),
                ("figure", s.figure.to_string()),
                ("rounded", string(rounded)),
                ("fraction_rank", opt(rank)),
                ("fractions", opt(fractions)),
                ("leftover_units", opt(leftover)),
            ])
        })
        .collect();
    let sum_of: Vec<String> = e
        .sum_of
        .iter()
        .map(|(path, figure)| {
            let members: Vec<String> = path.iter().map(|m| string(m)).collect();
            object(&[("members", format!("[{}]", members.join(", "))), ("figure", figure.to_string())])
        })
        .collect();
    let cell: Vec<(&str, String)> = e.cell.iter().map(|(k, v)| (k.as_str(), string(v))).collect();
    let doc = object(&[
        ("metric", string(&e.metric)),
        ("currency", string(&e.currency)),
        ("precision", string(&p.to_string())),
        ("cell", object(&cell)),
        ("figure", e.figure.to_string()),
        ("steps", format!("[{}]", steps.join(", "))),
        ("sum_of", format!("[{}]", sum_of.join(", "))),
    ]);
    format!("{doc}\n")
}
