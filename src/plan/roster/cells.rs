//! Stage `plan`: one roster cell read on its own — a date, a ramp, a cap or
//! floor, an amount — and what is wrong with it ([`CellProblem`]) before the
//! roster reader gives the problem its place (`reps.csv line 7`).

use std::ops::Range;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostic::{why_not_a_date, Code};
use crate::plan::number::Number;
use crate::plan::{Bound, Precision};

/// What is wrong with one cell, before it is given a place: the message, a
/// supporting fact, the fix, and the part of the cell to underline (a byte
/// range of the cell's text; the whole cell when `None`).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct CellProblem {
    pub(super) code: Code,
    pub(super) message: String,
    pub(super) note: Option<String>,
    pub(super) help: String,
    pub(super) part: Option<Range<usize>>,
}

impl CellProblem {
    pub(super) fn new(message: impl Into<String>, help: impl Into<String>) -> CellProblem {
        CellProblem { code: Code::BadRosterCell, message: message.into(), note: None, help: help.into(), part: None }
    }

    /// A kind of problem shared with other inputs (a date, a negative amount).
    pub(super) fn code(mut self, code: Code) -> CellProblem {
        self.code = code;
        self
    }

    pub(super) fn note(mut self, note: impl Into<String>) -> CellProblem {
        self.note = Some(note.into());
        self
    }

    pub(super) fn part(mut self, part: Range<usize>) -> CellProblem {
        self.part = Some(part);
        self
    }
}

/// A `start` or `end` cell (`which`) of `name`'s row: a date `YYYY-MM-DD`.
pub(super) fn parse_date(name: &str, which: &str, text: &str) -> Result<NaiveDate, CellProblem> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
        let (day, example) = if which == "start" { ("first", "2026-04-01") } else { ("last", "2026-09-30") };
        let p = CellProblem::new(
            format!("`{name}`'s {which} `{t}` is not a date"),
            format!("write the {day} day in seat as YYYY-MM-DD, e.g. {example}"),
        )
        .code(Code::NotADate);
        match why_not_a_date(t) {
            Some(why) => p.note(why),
            None => p,
        }
    })
}

/// A `ramp` cell: percentages separated by `|`, each above 0% and at most
/// 100%, never decreasing; as fractions (`25%` is 0.25). A problem underlines
/// the step at fault.
pub(super) fn parse_ramp(name: &str, text: &str) -> Result<Vec<Decimal>, CellProblem> {
    const HOW: &str = "write the ramp as percentages separated by |, such as 25%|50%|75%";
    let mut steps: Vec<Decimal> = Vec::new();
    let mut previous: Option<&str> = None;
    let mut offset = 0;
    for (k, piece) in text.split('|').enumerate() {
        let step = k + 1;
        let lead = piece.len() - piece.trim_start().len();
        let t = piece.trim();
        let part = offset + lead..offset + lead + t.len();
        offset += piece.len() + 1;
        if t.is_empty() {
            let p = CellProblem::new(
                format!("step {step} of `{name}`'s ramp is empty"),
                format!("remove the extra `|`; {HOW}"),
            );
            return Err(p.part(part));
        }
        let percent = match Number::from_text(t) {
            Ok(Number::Percent(v)) => v,
            Ok(Number::Plain(v)) if v > Decimal::ZERO && v <= Decimal::ONE => {
                let percent = (v * Decimal::ONE_HUNDRED).normalize();
                let p = CellProblem::new(
                    format!("step {step} of `{name}`'s ramp, `{t}`, is not a percentage"),
                    format!("write {percent}% ({t} as a fraction); {HOW}"),
                );
                return Err(p.part(part));
            }
            Ok(Number::Plain(_)) | Err(_) => {
                let p = CellProblem::new(format!("step {step} of `{name}`'s ramp, `{t}`, is not a percentage"), HOW);
                return Err(p.part(part));
            }
        };
        if percent <= Decimal::ZERO {
            let p = CellProblem::new(
                format!("step {step} of `{name}`'s ramp, {t}, is not above 0%"),
                format!(
                    "write each step above 0% and at most 100%; to give `{name}` no target in a month, start them a month later"
                ),
            );
            return Err(p.part(part));
        }
        if percent > Decimal::ONE_HUNDRED {
            let p = CellProblem::new(
                format!("step {step} of `{name}`'s ramp, {t}, is above 100%"),
                format!("write each step above 0% and at most 100%; after the ramp `{name}` counts in full"),
            );
            return Err(p.part(part));
        }
        let fraction = percent / Decimal::ONE_HUNDRED;
        if let (Some(&last), Some(before)) = (steps.last(), previous) {
            if fraction < last {
                let p = CellProblem::new(
                    format!("`{name}`'s ramp goes down at step {step} ({before} then {t})"),
                    format!("a ramp never decreases: make step {step} at least {before}"),
                );
                return Err(p.part(part));
            }
        }
        steps.push(fraction);
        previous = Some(t);
    }
    Ok(steps)
}

/// A `max` or `min` cell (`which`): an amount (a multiple of `precision`,
/// thousands separators allowed when quoted) or a percentage of the parent's
/// target (`of_parent`, for messages), at most 100%. Neither is negative.
pub(super) fn parse_bound(
    name: &str,
    which: &str,
    text: &str,
    of_parent: &str,
    precision: Option<Precision>,
) -> Result<Bound, CellProblem> {
    let t = text.trim();
    let number = if t.ends_with('%') { Number::from_text(t).map_err(|e| e.to_string()) } else { parse_amount(t) };
    let number = number.map_err(|why| {
        CellProblem::new(
            format!("the {which} of `{name}` is not usable: {why}"),
            format!("write an amount such as 500000 or \"1,200,000.50\", or a percentage of {of_parent} such as 12%"),
        )
        .code(Code::NotANumber)
    })?;
    let value = number.value();
    if value.is_sign_negative() && !value.is_zero() {
        return Err(CellProblem::new(
            format!("the {which} of `{name}` is negative ({t})"),
            format!("write an amount or a percentage of 0 or more, or leave the cell empty for no {which}"),
        )
        .code(Code::Negative));
    }
    match number {
        Number::Percent(v) if v > Decimal::ONE_HUNDRED => Err(CellProblem::new(
            format!("the {which} of `{name}` is {t}, more than 100% of {of_parent}"),
            "write a percentage of at most 100%, or an amount",
        )),
        Number::Percent(v) => Ok(Bound::Share(v / Decimal::ONE_HUNDRED)),
        // A bare fraction is a share written the spreadsheet's way, not an
        // amount below one unit of money: ask rather than guess.
        Number::Plain(amount) if amount > Decimal::ZERO && amount < Decimal::ONE => {
            let percent = (amount * Decimal::ONE_HUNDRED).normalize();
            Err(CellProblem::new(
                format!("the {which} of `{name}` is {t}, which reads as an amount of less than 1"),
                format!("write {percent}% for a share of {of_parent}, or an amount of 1 or more"),
            ))
        }
        Number::Plain(amount) => {
            if let Some(p) = precision.filter(|p| p.to_units(amount).is_none()) {
                let help = match nearest_multiples(amount, p) {
                    Some((down, up)) => format!("round it to a multiple of {p}, such as {down} or {up}"),
                    None => format!("write a smaller amount, a multiple of {p}"),
                };
                return Err(CellProblem::new(
                    format!("the {which} of `{name}` = {t} is not a multiple of the precision {p}"),
                    help,
                )
                .code(Code::NotAMultiple));
            }
            Ok(Bound::Amount(amount))
        }
    }
}

/// An amount as written in a roster cell: `500000`, `1200000.50`, with a
/// comma between thousands (`1,200,000.50`, quoted in the CSV) or with a
/// unit (`150万`), as the plan reads amounts.
pub(super) fn parse_amount(text: &str) -> std::result::Result<Number, String> {
    Number::from_written(text).map_err(|e| e.to_string())
}

/// The multiples of `p` just below and just above `amount`, if they fit.
pub(super) fn nearest_multiples(amount: Decimal, p: Precision) -> Option<(Decimal, Decimal)> {
    let down = amount.checked_div(p.unit())?.floor().checked_mul(p.unit())?;
    let up = down.checked_add(p.unit())?;
    Some((down.round_dp(p.decimals()), up.round_dp(p.decimals())))
}
