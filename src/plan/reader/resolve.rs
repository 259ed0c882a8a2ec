//! Stage `plan`, phase 4: the totals, quarter and month weights of the
//! metrics with a baseline, and the plan's months from history, worked out
//! from the baselines (phase 2) and the splits' growth and new members
//! (phase 3) into [`Resolved`].

use crate::diagnostic::Code;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::header::Header;
use super::history::{Growth, History};
use super::splits::Splits;
use super::time::TimeSettings;
use super::Reader;
use crate::plan::baseline::Baseline;
use crate::plan::{thousands, Metric, MetricKind, MetricTime};

/// The metrics with every total known.
pub(super) struct Resolved {
    /// The metrics as `[target]` has them, a metric from a baseline with
    /// its total, derivation and weights from history.
    pub metrics: Vec<Metric>,
    /// The plan's month weights from history, for `months = "history"` in `[time]`.
    pub months: Option<Vec<Decimal>>,
}

impl Reader<'_> {
    /// Works out the totals, quarter and month weights of metrics with a
    /// baseline, and the plan's months from history.
    pub(super) fn resolve_history(
        &mut self,
        mut metrics: Vec<Metric>,
        histories: &[History],
        splits: &Splits,
        time: &TimeSettings,
        header: &Header,
    ) -> Resolved {
        let (member_growth, history_fixed) = (splits.member_growth.as_ref(), splits.history_fixed);
        let (precision, start) = (header.precision, header.start);
        let months_history = time.months_history.clone();
        let mut plan_months = None;
        let reference = metrics_reference(&metrics).map(str::to_string);
        for h in histories {
            let Some(b) = &h.baseline else { continue };
            let Some(metric) = metrics.iter_mut().find(|m| m.name == h.metric) else { continue };
            let months = month_sums(b, start);
            let quarters: Vec<Decimal> = months.chunks(3).map(|c| c.iter().sum()).collect();
            let default = match h.growth {
                Growth::Year(g, _) => g,
                _ => Decimal::ZERO,
            };
            let is_reference = reference.as_deref() == Some(h.metric.as_str());
            let (exact, words) = match (&h.growth, member_growth.filter(|_| is_reference)) {
                (Growth::Quarters(_, _, at), Some(g)) => {
                    self.error(
                        Code::ConflictingKeys,
                        at.clone(),
                        format!("`{}` grows by quarter and split `{}` by member: choose one", h.metric, g.by),
                        "keep growth per quarter in [target], or growth per member in [split.growth]",
                    );
                    continue;
                }
                (Growth::Quarters(rates, ..), None) => {
                    let grown: Option<Vec<Decimal>> =
                        quarters.iter().zip(rates).map(|(q, g)| q.checked_mul(Decimal::ONE + g)).collect();
                    let Some(grown) = grown else {
                        self.too_large(h, b);
                        continue;
                    };
                    let terms: Vec<String> = quarters
                        .iter()
                        .zip(rates)
                        .enumerate()
                        .map(|(i, (q, g))| format!("Q{} {} × {}", i + 1, thousands(*q), pct(Decimal::ONE + g)))
                        .collect();
                    metric.time.get_or_insert_with(MetricTime::default).quarters = Some(grown.clone());
                    let Some(sum) = grown.iter().try_fold(Decimal::ZERO, |a, q| a.checked_add(*q)) else {
                        self.too_large(h, b);
                        continue;
                    };
                    (sum, terms.join(" + "))
                }
                (_, Some(g)) => {
                    let lift = g.rates.iter().try_fold(Decimal::ZERO, |a, (name, rate, _)| {
                        a.checked_add(member_sum(b, &g.by, name).checked_mul(rate - default)?)
                    });
                    let grown = lift.and_then(|l| b.total.checked_mul(Decimal::ONE + default)?.checked_add(l));
                    let Some(grown) = grown else {
                        self.too_large(h, b);
                        continue;
                    };
                    (grown, format!("last year's {} by `{}`, each × its growth", thousands(b.total), g.by))
                }
                (Growth::Year(g, _), None) => {
                    let Some(grown) = b.total.checked_mul(Decimal::ONE + g) else {
                        self.too_large(h, b);
                        continue;
                    };
                    (grown, format!("last year's {} × {}", thousands(b.total), pct(Decimal::ONE + g)))
                }
                (Growth::None, None) => (b.total, format!("last year's {}", thousands(b.total))),
            };
            // New members of a first split weighted by history come on top.
            let (exact, words) = if is_reference && !history_fixed.is_zero() {
                (exact + history_fixed, format!("{words}, + {} fixed for new members", thousands(history_fixed)))
            } else {
                (exact, words)
            };
            let unit = precision.unit();
            let rounded = exact
                .checked_div(unit)
                .map(|u| u.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
                .and_then(|u| u.checked_mul(unit))
                .filter(|t| *t <= precision.largest());
            let Some(total) = rounded.map(|t| t.round_dp(precision.decimals())) else {
                self.too_large(h, b);
                continue;
            };
            if total.is_sign_negative() {
                self.error(
                    Code::Negative,
                    h.span.clone(),
                    format!("the target `{}` from {} comes out negative ({total})", h.metric, b.file),
                    "check the baseline's amounts and the growth rates",
                );
                continue;
            }
            let rounded =
                if total == exact { String::new() } else { format!(" ({exact}, rounded to {})", precision.unit()) };
            metric.total = total;
            metric.derivation =
                Some(format!("target `{}` = {} from {}: {words}{rounded}", h.metric, thousands(total), b.file));
            if h.months.is_some() {
                metric.time.get_or_insert_with(MetricTime::default).months = Some(non_negative(&months));
            }
        }
        if let Some(at) = months_history {
            match histories.iter().find(|h| Some(&h.metric) == reference.as_ref()).or(histories.first()) {
                Some(h) => {
                    if let Some(b) = &h.baseline {
                        plan_months = Some(non_negative(&month_sums(b, start)));
                    }
                }
                None => self.error(Code::MissingSetting,
                    at,
                    "months = \"history\" takes the months from last year's sales, but no metric has a `baseline`",
                    "add `baseline = \"sales-2025.csv\"` to the money metric in [target], or give `months` as 12 weights",
                ),
            }
        }
        Resolved { metrics, months: plan_months }
    }

    /// A target grown from a baseline that no longer fits 28 digits.
    pub(super) fn too_large(&mut self, h: &History, b: &Baseline) {
        self.error(
            Code::TooLarge,
            h.span.clone(),
            format!(
                "the target `{}` grown from {} is too large to compute exactly (more than 28 digits)",
                h.metric, b.file
            ),
            "check the baseline's amounts and the growth rates",
        );
    }
}

/// Last year's sales per fiscal month (12 sums), from the baseline's days.
fn month_sums(b: &Baseline, start: NaiveDate) -> Vec<Decimal> {
    let first = start.checked_sub_months(chrono::Months::new(12)).unwrap_or(start);
    let mut months = vec![Decimal::ZERO; 12];
    for (i, amount) in b.days.iter().enumerate() {
        let day = first + chrono::Days::new(i as u64);
        let month =
            |d: chrono::NaiveDate| d.year() * 12 + i32::try_from(d.month0()).expect("a month is 0 to 11 from month0");
        let m = month(day) - month(first);
        if let Some(slot) = usize::try_from(m).ok().and_then(|m| months.get_mut(m)) {
            *slot += *amount;
        }
    }
    months
}

/// Sales of one member of split `by` over every parent.
fn member_sum(b: &Baseline, by: &str, name: &str) -> Decimal {
    let Some(depth) = b.splits.iter().position(|s| s == by) else { return Decimal::ZERO };
    b.members[depth].iter().filter(|(path, _)| path[depth] == name).map(|(_, a)| *a).sum()
}

/// Weights cannot be negative: a month of net returns weighs nothing.
fn non_negative(values: &[Decimal]) -> Vec<Decimal> {
    values.iter().map(|v| (*v).max(Decimal::ZERO)).collect()
}

/// The name of the reference metric (the first amount).
fn metrics_reference(metrics: &[Metric]) -> Option<&str> {
    metrics.iter().find(|m| m.kind == MetricKind::Amount).map(|m| m.name.as_str())
}

/// `1.15` as `115%`.
fn pct(factor: Decimal) -> String {
    format!("{}%", (factor * Decimal::ONE_HUNDRED).normalize())
}
