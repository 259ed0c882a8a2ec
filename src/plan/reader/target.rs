//! Stage `plan`, phase 1: the `[target]` section — one metric per key, in
//! the order written: an amount, or a table with a `kind` (amount, count,
//! level), its own `time`, or a `baseline` whose total is worked out in
//! phase 4. Read into [`Targets`].

use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::advice::toml_key;
use super::history::History;
use super::{get, GrowthRate, Reader, RESERVED};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::plan::{Metric, MetricKind, MetricTime, Precision};

/// What `[target]` says.
#[derive(Default)]
pub(super) struct Targets {
    /// The metrics in the order written, if every one could be read. A
    /// metric from a baseline has a total of 1 until phase 4 works it out.
    pub metrics: Option<Vec<Metric>>,
    /// The metrics set from last year's actuals, waiting for their baselines.
    pub histories: Vec<History>,
    /// `months = "history"` in a metric's own time, and where.
    pub metric_months: Vec<(String, Range<usize>)>,
    /// Every growth rate of a metric, for review.
    pub growth_rates: Vec<GrowthRate>,
}

impl Reader<'_> {
    /// `[target]` of the plan file; its `metrics` are `None` when it is
    /// missing or has an error. `typos` are the top-level keys suggested
    /// for unknown ones.
    pub(super) fn target_section(
        &mut self,
        root: &DeTable<'_>,
        typos: &[String],
        precision: Option<Precision>,
    ) -> Targets {
        let mut out = Targets::default();
        let metrics = match get(root, "target") {
            Some((_, v)) => self.table(v, "[target]").and_then(|t| self.target(t, v.span(), precision, &mut out)),
            None if typos.iter().any(|t| t == "target") => None,
            None => {
                self.push(
                    Diagnostic::new(Code::MissingKey, "the plan has no [target] table")
                        .at(self.loc(0..0))
                        .help("add [target] with the annual total, e.g. `sales = 10_000_000`"),
                );
                None
            }
        };
        out.metrics = metrics;
        out
    }

    /// `[target]`: one metric per key, in the order written — an amount
    /// (`sales = 10_000_000`) or a table with a `kind`.
    pub(super) fn target(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        precision: Option<Precision>,
        out: &mut Targets,
    ) -> Option<Vec<Metric>> {
        if t.is_empty() {
            self.error(
                Code::MissingKey,
                span,
                "[target] names no metric",
                "add the annual total, e.g. `sales = 10_000_000`",
            );
            return None;
        }
        let mut metrics = Vec::new();
        let mut ok = true;
        for (key, value) in t {
            let name = key.get_ref().to_string();
            if name.trim().is_empty() {
                self.error(
                    Code::EmptyName,
                    key.span(),
                    format!("metric name `{name}` is empty"),
                    "give the metric a name, e.g. `orders = 5`",
                );
                ok = false;
                continue;
            }
            if RESERVED.contains(&name.as_str()) {
                self.error(
                    Code::NameTaken,
                    key.span(),
                    format!("metric name `{name}` is already used by the output"),
                    format!("choose another name; {} are taken", RESERVED.join(", ")),
                );
                ok = false;
                continue;
            }
            let origin = self.loc(key.span().start..value.span().end);
            let metric = match value.get_ref() {
                DeValue::Table(table) => self.metric_table(&name, table, value.span(), origin, precision, out),
                _ => self.amount_total(&name, value, precision).map(|total| Metric {
                    name: name.clone(),
                    kind: MetricKind::Amount,
                    total,
                    time: None,
                    derivation: None,
                    origin,
                }),
            };
            match metric {
                Some(m) => metrics.push(m),
                None => ok = false,
            }
        }
        ok.then_some(metrics)
    }

    /// A metric written as a table: `kind`, `total` or `value`, `path`, `time`.
    pub(super) fn metric_table(
        &mut self,
        name: &str,
        t: &DeTable<'_>,
        span: Range<usize>,
        origin: Location,
        precision: Option<Precision>,
        out: &mut Targets,
    ) -> Option<Metric> {
        let place = format!("[target.{name}]");
        let mut allowed = vec!["kind", "total", "value", "path", "time", "baseline", "growth"];
        if get(t, "baseline").is_some() {
            allowed.extend(super::input_keys::INPUT_KEYS);
        }
        self.known_keys(t, &allowed, &place);
        let kind = match get(t, "kind") {
            None => "amount".to_string(),
            Some((_, v)) => {
                let text = self.string(v, "kind", "kind = \"count\"")?.to_string();
                if !["amount", "count", "level"].contains(&text.as_str()) {
                    self.error(Code::UnknownChoice,
                        v.span(),
                        format!("{place}: kind `{text}` is not amount, count or level"),
                        "write kind = \"amount\" (money), \"count\" (whole units such as new customers) or \"level\" (a rate that does not add up, such as a market share)",
                    );
                    return None;
                }
                text
            }
        };
        let time = match get(t, "time") {
            Some((_, v)) if kind != "level" => self
                .table(v, &format!("[target.{}.time]", toml_key(name)))
                .map(|tt| self.metric_time(name, tt, &mut out.metric_months)),
            Some((k, _)) => {
                self.error(
                    Code::ConflictingKeys,
                    k.span(),
                    format!("{place}: a level has no time weights"),
                    "a level is not shared over time; give it a `path` of per-period values instead",
                );
                None
            }
            None => None,
        };
        let wrong_key = |this: &mut Self, key: &str, why: &str, help: &str| {
            if let Some((k, _)) = get(t, key) {
                this.error(Code::ConflictingKeys, k.span(), format!("{place}: {why}"), help.to_string());
                true
            } else {
                false
            }
        };
        let (kind, total) = match kind.as_str() {
            "level" => {
                if get(t, "baseline").is_some() {
                    self.history(name, t, false, &mut out.growth_rates);
                    return None;
                }
                if wrong_key(
                    self,
                    "total",
                    "a level has a `value`, not a `total`",
                    "write the level for the year, e.g. `value = \"5%\"`",
                ) {
                    return None;
                }
                let Some((_, v)) = get(t, "value") else {
                    self.error(
                        Code::MissingKey,
                        span,
                        format!("{place} has no `value`"),
                        "write the level for the year, e.g. `value = \"5%\"`",
                    );
                    return None;
                };
                (MetricKind::Level(self.level_target(name, v, get(t, "path").map(|(_, p)| p))?), Decimal::ZERO)
            }
            other => {
                let is_count = other == "count";
                for key in ["value", "path"] {
                    if wrong_key(
                        self,
                        key,
                        &format!(
                            "`{key}` is for levels, and this metric is {}",
                            if is_count { "a count" } else { "an amount" }
                        ),
                        "write the annual total as `total`, or make it kind = \"level\"",
                    ) {
                        return None;
                    }
                }
                let kind = if is_count { MetricKind::Count } else { MetricKind::Amount };
                if get(t, "baseline").is_some() {
                    let history = self.history(name, t, kind == MetricKind::Amount, &mut out.growth_rates)?;
                    out.histories.push(history);
                    // The total is worked out once the baseline is read.
                    return Some(Metric {
                        name: name.to_string(),
                        kind,
                        total: Decimal::ONE,
                        time,
                        derivation: None,
                        origin,
                    });
                }
                if let Some((k, _)) = get(t, "growth") {
                    self.error(
                        Code::MissingSetting,
                        k.span(),
                        format!("{place} has a `growth` but no `baseline` to grow from"),
                        "add last year's actuals, e.g. `baseline = \"sales-2025.csv\"`, or remove `growth`",
                    );
                    return None;
                }
                let Some((_, v)) = get(t, "total") else {
                    let example = if is_count { "total = 100" } else { "total = 10_000_000" };
                    self.error(
                        Code::MissingKey,
                        span,
                        format!("{place} has no `total`"),
                        format!("write the annual total, e.g. `{example}`"),
                    );
                    return None;
                };
                if is_count {
                    (MetricKind::Count, self.count_total(name, v)?)
                } else {
                    (MetricKind::Amount, self.amount_total(name, v, precision)?)
                }
            }
        };
        Some(Metric { name: name.to_string(), kind, total, time, derivation: None, origin })
    }

    /// `[target.<name>.time]`: the time weights a metric may set for itself.
    pub(super) fn metric_time(
        &mut self,
        name: &str,
        t: &DeTable<'_>,
        months_history: &mut Vec<(String, Range<usize>)>,
    ) -> MetricTime {
        const ALLOWED: [&str; 4] = ["spread", "months", "quarters", "weekdays"];
        self.known_keys(t, &ALLOWED, &format!("[target.{name}.time]"));
        // The rest of [time] (calendar, holidays, level ...) is the plan's alone.
        let mut own = DeTable::new();
        for (k, v) in t.iter().filter(|(k, _)| ALLOWED.contains(&k.get_ref().as_ref())) {
            own.insert(k.clone(), v.clone());
        }
        let settings = self.time(&own, None);
        if let Some(at) = settings.months_history.clone() {
            months_history.push((name.to_string(), at));
        }
        MetricTime {
            spread: get(t, "spread").map(|_| settings.spread),
            months: settings.months,
            quarters: settings.quarters,
            weekdays: get(t, "weekdays").map(|_| settings.weekdays),
        }
    }
}
