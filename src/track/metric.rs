//! Stage `track`: the one metric a tracking run compares — the plan's
//! metric whose targets are shared, the actuals column read for it, and the
//! unit both are counted in. Chosen once, before the actuals are read.

use crate::diagnostic::{name_list, suggest, Code, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::{MetricKind, Plan, Precision};

/// The metric `salesplit track` compares: its targets and its actuals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackedMetric {
    /// Its index in [`Plan::metrics`].
    pub index: usize,
    /// Its name: the plan's metric and the actuals column read for it.
    pub name: String,
    /// Its rounding unit: the plan's precision for an amount, 1 for a count.
    pub precision: Precision,
}

impl TrackedMetric {
    /// The metric named by `--metric` (else by `[track] metric`), or else the plan's only amount (or,
    /// with no amount, its only count). Several amounts (or several counts
    /// and no amount) without `--metric` are ambiguous: an error that lists
    /// them. A level cannot be tracked: it is never shared, so no member
    /// has a target that sales add up to.
    pub fn choose(plan: &Plan, asked: Option<&str>) -> Result<TrackedMetric> {
        let asked = asked.or(plan.track.metric.as_deref());
        let names: Vec<&str> = plan.metrics.iter().map(|m| m.name.as_str()).collect();
        let shared: Vec<&str> = plan.metrics.iter().filter(|m| m.is_shared()).map(|m| m.name.as_str()).collect();
        let chosen = |index: usize| {
            let metric = &plan.metrics[index];
            TrackedMetric { index, name: metric.name.clone(), precision: plan.precision_of(metric) }
        };
        if shared.is_empty() {
            let levels: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            return Err(Error::invalid(
                Diagnostic::new(Code::NothingToTrack, format!(
                    "this plan has nothing to track: {} {}, not shared down the plan, so no member has a target that sales add up to",
                    name_list(&levels.iter().map(String::as_str).collect::<Vec<_>>()),
                    if names.len() == 1 { "is a level" } else { "are levels" },
                ))
                .at(plan.metrics[0].origin.clone())
                .help("track compares actual sales with an amount or a count: add one to [target], e.g. `sales = 1_000_000`"),
            ));
        }
        if let Some(name) = asked {
            let Some(index) = plan.metrics.iter().position(|m| m.name == name) else {
                let help = match suggest(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `--metric {s}`? The plan's metrics are: {}", name_list(&names)),
                    None => format!("the plan's metrics are: {}", name_list(&names)),
                };
                return Err(Error::invalid(
                    Diagnostic::new(Code::UnknownMetricFlag, format!("--metric `{name}` is not a metric of this plan"))
                        .help(help),
                ));
            };
            if !plan.metrics[index].is_shared() {
                return Err(Error::invalid(
                    Diagnostic::new(
                        Code::MetricIsLevel,
                        format!(
                        "--metric `{name}` is a level: it is not shared, so no member has a target that sales add up to"
                    ),
                    )
                    .help(format!("track an amount or a count: {}", flags(&shared))),
                ));
            }
            return Ok(chosen(index));
        }
        let of = |kind: MetricKind| -> Vec<usize> {
            plan.metrics.iter().enumerate().filter(|(_, m)| m.kind == kind).map(|(i, _)| i).collect()
        };
        let amounts = of(MetricKind::Amount);
        let candidates = if amounts.is_empty() { of(MetricKind::Count) } else { amounts };
        if let [one] = candidates[..] {
            return Ok(chosen(one));
        }
        let kind = if plan.metrics[candidates[0]].kind == MetricKind::Amount { "amounts" } else { "counts" };
        let these: Vec<&str> = candidates.iter().map(|&i| plan.metrics[i].name.as_str()).collect();
        Err(Error::invalid(
            Diagnostic::new(
                Code::MetricNeeded,
                format!(
                    "this plan has {} {kind} ({}), and track compares one of them with the actuals",
                    these.len(),
                    name_list(&these)
                ),
            )
            .at(plan.metrics[candidates[1]].origin.clone())
            .help(format!("say which: {}, or `metric = \"{}\"` in [track]", flags(&these), these[0])),
        ))
    }
}

/// `--metric a` or `--metric a, --metric b or --metric c`.
fn flags(names: &[&str]) -> String {
    let flags: Vec<String> = names.iter().map(|n| format!("--metric {n}")).collect();
    match flags.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => flags.join(""),
    }
}
