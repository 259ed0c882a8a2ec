//! Stage `plan`, every phase: one TOML value read as what its key expects —
//! a table, a string, a number, a date, a weight or a group of weights.
//! Each reports its own problem to the [`Reader`] and returns `None`, so
//! that a caller only decides what to do without the value.

use std::ops::Range;

use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::advice::table_help;
use super::{Labelled, Reader, Value, WEIGHT_EXAMPLE};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::number::{check_group, describe, Number, NumberProblem};
use crate::plan::Precision;

impl<'a> Reader<'a> {
    pub(super) fn table<'t>(&mut self, value: &'t Value<'_>, what: &str) -> Option<&'t DeTable<'t>>
    where
        'a: 't,
    {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                let found = describe(other);
                self.error(
                    Code::WrongType,
                    value.span(),
                    format!("{what} must be a table, found {found}"),
                    table_help(what),
                );
                None
            }
        }
    }

    pub(super) fn string<'v>(&mut self, value: &'v Value<'_>, what: &str, example: &str) -> Option<&'v str> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            other => {
                let found = describe(other);
                self.error(
                    Code::WrongType,
                    value.span(),
                    format!("{what} must be a string, found {found}"),
                    format!("write it in quotes, e.g. `{example}`"),
                );
                None
            }
        }
    }

    /// Reads a number; `example` is what a right value looks like here
    /// ("an amount such as `10_000_000`"), for the help.
    pub(super) fn number(&mut self, value: &Value<'_>, what: &str, example: &str) -> Option<Number> {
        match Number::from_toml(value.get_ref()) {
            Ok(n) => Some(n),
            Err(why) => {
                let help = match why {
                    NumberProblem::TooManyDigits { .. } => "write it with at most 28 significant digits".to_string(),
                    NumberProblem::TooManyDecimals { .. } => "write it with at most 28 decimal places".to_string(),
                    NumberProblem::TooLarge { .. } => "write a smaller number, at most 28 digits long".to_string(),
                    NumberProblem::NaN | NumberProblem::Infinity => format!("write a finite number: {example}"),
                    NumberProblem::AmbiguousUnit { .. } => {
                        "write five million as \"5,000,000\", \"500万\" or \"5百万\", five thousand as \"5k\""
                            .to_string()
                    }
                    _ => format!("write {example}"),
                };
                self.error(why.code(), value.span(), format!("{what}: {why}"), help);
                None
            }
        }
    }

    pub(super) fn date(&mut self, v: &Value<'_>, what: &str) -> Option<(NaiveDate, Range<usize>)> {
        let text = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Datetime(d) => d.to_string(),
            other => {
                let found = describe(other);
                self.error(
                    Code::WrongType,
                    v.span(),
                    format!("{what} must be a date, found {found}"),
                    format!("write it as `{what} = \"2026-04-01\"`"),
                );
                return None;
            }
        };
        if let Ok(d) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Some((d, v.span()))
        } else {
            self.error(
                Code::NotADate,
                v.span(),
                format!("{what} `{text}` is not a date"),
                format!("write it as YYYY-MM-DD, e.g. `{what} = \"2026-04-01\"`"),
            );
            None
        }
    }

    /// A non-negative plain weight.
    pub(super) fn weight(&mut self, v: &Value<'_>, what: &str) -> Option<Decimal> {
        match self.number(v, what, "a relative weight such as 1 or 1.2")? {
            Number::Plain(d) if d.is_sign_negative() => {
                self.error(
                    Code::Negative,
                    v.span(),
                    format!("{what} is negative ({d})"),
                    "write a weight of 0 or more (0 gives that day no share)",
                );
                None
            }
            Number::Plain(d) => Some(d),
            Number::Percent(_) => {
                self.error(
                    Code::PercentageNotAllowed,
                    v.span(),
                    format!("{what} is a percentage"),
                    "write a plain relative weight such as 1.2",
                );
                None
            }
        }
    }

    pub(super) fn weight_list(&mut self, v: &Value<'_>, what: &str, len: usize, meaning: &str) -> Option<Vec<Decimal>> {
        let DeValue::Array(items) = v.get_ref() else {
            let found = describe(v.get_ref());
            self.error(
                Code::WrongType,
                v.span(),
                format!("`{what}` must be an array of {len} numbers, found {found}"),
                format!("write {len} weights, {meaning}"),
            );
            return None;
        };
        if items.len() != len {
            self.error(
                Code::WrongLength,
                v.span(),
                format!("`{what}` has {} numbers; it needs exactly {len}", items.len()),
                format!("write {len} weights, {meaning}"),
            );
            return None;
        }
        let before = self.errors.len();
        let numbers: Vec<(Number, Range<usize>)> =
            items.iter().filter_map(|item| self.number(item, what, WEIGHT_EXAMPLE).map(|n| (n, item.span()))).collect();
        if self.errors.len() > before {
            return None;
        }
        let one = what.trim_end_matches('s');
        let labelled: Vec<Labelled> = numbers
            .into_iter()
            .enumerate()
            .map(|(i, (n, sp))| (n, sp, format!("weight {} of {len}", i + 1), format!("that {one}")))
            .collect();
        self.relative_weights(&labelled, v.span(), &format!("`{what}`"), &format!("the `{what}` weights"))
    }

    /// Checks one group of weights: all plain or all percentages adding up to
    /// 100%, none negative. Returns the weights (a percentage keeps its number).
    /// `place` names the group in messages about one weight (`split `region``),
    /// `what` names the weights together (`the weights of split `region``).
    pub(super) fn relative_weights(
        &mut self,
        numbers: &[Labelled],
        span: Range<usize>,
        place: &str,
        what: &str,
    ) -> Option<Vec<Decimal>> {
        let mut ok = true;
        for (n, sp, label, who) in numbers {
            if n.value().is_sign_negative() && !n.value().is_zero() {
                self.error(
                    Code::Negative,
                    sp.clone(),
                    format!("{place}: {label} is negative ({n})"),
                    format!("write a weight of 0 or more (0 gives {who} no share)"),
                );
                ok = false;
            }
        }
        let plain: Vec<Number> = numbers.iter().map(|(n, ..)| *n).collect();
        if let Err(problem) = check_group(&plain) {
            let mut d =
                Diagnostic::new(Code::SharesDoNotAddUp, problem.message(what)).at(self.loc(span)).help(problem.help());
            if let Some(note) = problem.note() {
                d = d.note(note);
            }
            self.push(d);
            return None;
        }
        ok.then(|| numbers.iter().map(|(n, ..)| n.value()).collect())
    }

    /// Reports an amount that is not a whole number of rounding units:
    /// `what` is `target `sales` = 12.345`, `rounded` what to round (`the
    /// total`, `it`), `or_else` a further way out. An amount with more digits
    /// than the precision can carry is told so instead.
    pub(super) fn not_a_multiple(
        &mut self,
        span: Range<usize>,
        what: &str,
        amount: Decimal,
        p: Precision,
        rounded: &str,
        or_else: &str,
    ) {
        if amount > p.largest() {
            self.error(
                Code::TooLarge,
                span,
                format!(
                    "{what} is too large for the precision {p}: an amount at this precision is at most {}",
                    p.largest()
                ),
                "use a coarser precision, such as \"1\" or \"1000\", or a smaller amount",
            );
            return;
        }
        let help = match neighbours(amount, p) {
            Some((down, up)) => format!("round {rounded} to a multiple of {p}, such as {down} or {up}{or_else}"),
            None => format!("round {rounded} down to a multiple of {p}{or_else}"),
        };
        self.error(Code::NotAMultiple, span, format!("{what} is not a multiple of the precision {p}"), help);
    }
}

pub(super) fn parse_weekday(s: &str) -> Option<Weekday> {
    // chrono reads "fri" and "friday" alike, in any case.
    s.trim().parse::<Weekday>().ok()
}

/// The multiples of `p` just below and just above `amount`.
/// The multiples of `p` on either side of `amount`, if both can be written.
fn neighbours(amount: Decimal, p: Precision) -> Option<(Decimal, Decimal)> {
    let down = amount.checked_div(p.unit())?.floor().checked_mul(p.unit())?;
    let up = down.checked_add(p.unit())?;
    (up <= p.largest()).then(|| (down.round_dp(p.decimals()), up.round_dp(p.decimals())))
}
