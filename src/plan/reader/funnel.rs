//! Stage `plan`, phase 5: the `[funnel]` section — the money `metric` it
//! works back from, `where` (which members need activities), `deal_size`
//! and `stages` — checked against the metrics and splits and read into a
//! [`Funnel`].

use crate::diagnostic::Code;
use crate::plan::{FunnelStage, MemberFilter};
use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::advice::{bare_percent_help, did_you_mean, toml_string};
use super::{get, Reader, RESERVED};
use crate::plan::number::Number;
use crate::plan::{Funnel, Metric, MetricKind, Split};

impl Reader<'_> {
    /// `[funnel]` of the plan file, when it has one and the metrics could
    /// be read.
    pub(super) fn funnel_section(
        &mut self,
        root: &DeTable<'_>,
        metrics: Option<&[Metric]>,
        splits: &[Split],
    ) -> Option<Funnel> {
        match (get(root, "funnel"), metrics) {
            (Some((k, v)), Some(metrics)) => {
                self.table(v, "[funnel]").and_then(|t| self.funnel(t, k.span(), metrics, splits))
            }
            _ => None,
        }
    }

    /// `[funnel]`: `metric`, `where`, `deal_size` and `stages`.
    pub(super) fn funnel(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        metrics: &[Metric],
        splits: &[Split],
    ) -> Option<Funnel> {
        let typos = self.known_keys(t, &["metric", "where", "deal_size", "stages"], "[funnel]");
        let origin = self.loc(span.clone());
        let mut ok = true;
        let amounts: Vec<&str> =
            metrics.iter().filter(|m| m.kind == MetricKind::Amount).map(|m| m.name.as_str()).collect();
        let metric = match get(t, "metric") {
            Some((_, v)) => {
                let name = self.string(v, "metric", "metric = \"sales\"")?;
                if let Some(i) = metrics.iter().position(|m| m.name == name && m.kind == MetricKind::Amount) {
                    Some(i)
                } else {
                    self.error(
                        Code::UnknownMetric,
                        v.span(),
                        format!("[funnel] works back from `{name}`, which is not a money metric of [target]"),
                        format!("name one of the amounts in [target]: {}", amounts.join(", ")),
                    );
                    None
                }
            }
            None => match amounts.as_slice() {
                [_] => metrics.iter().position(|m| m.kind == MetricKind::Amount),
                [] => {
                    self.error(
                        Code::UnknownMetric,
                        span.clone(),
                        "[funnel] works back from a money metric, and [target] has none",
                        "add the money target to [target], e.g. `sales = 10_000_000`, or remove [funnel]",
                    );
                    None
                }
                _ => {
                    if !typos.iter().any(|k| k == "metric") {
                        self.error(
                            Code::MissingKey,
                            span.clone(),
                            "[funnel] does not say which money metric it works back from",
                            format!("add `metric = {}`", toml_string(amounts.first().copied().unwrap_or("sales"))),
                        );
                    }
                    None
                }
            },
        };
        let mut filter = Vec::new();
        if let Some((_, v)) = get(t, "where") {
            if let Some(wt) = self.table(v, "where") {
                for (k, mv) in wt {
                    let by = k.get_ref().as_ref();
                    let Some(member) = self.string(mv, &format!("where.{by}"), &format!("{by} = \"new\"")) else {
                        ok = false;
                        continue;
                    };
                    match splits.iter().position(|s| s.by == by) {
                        Some(i) if splits[i].member_names().contains(&member) => {
                            filter.push(MemberFilter { split: i, member: member.to_string() });
                        }
                        Some(i) => {
                            let names = splits[i].member_names();
                            self.error(
                                Code::UnknownMember,
                                mv.span(),
                                format!("[funnel] where: split `{by}` has no member `{member}`"),
                                did_you_mean(member, &names),
                            );
                            ok = false;
                        }
                        None => {
                            let names: Vec<&str> = splits.iter().map(|s| s.by.as_str()).collect();
                            self.error(
                                Code::UnknownSplit,
                                k.span(),
                                format!("[funnel] where names `{by}`, which is not a split of this plan"),
                                did_you_mean(by, &names),
                            );
                            ok = false;
                        }
                    }
                }
            }
        }
        let deal_size = if let Some((_, v)) = get(t, "deal_size") {
            match self.number(v, "deal_size", "an amount such as 10_000") {
                Some(Number::Plain(d)) if d > Decimal::ZERO => Some(d),
                Some(_) => {
                    self.error(
                        Code::OutOfRange,
                        v.span(),
                        "deal_size must be an amount above zero",
                        "write the average deal, e.g. `deal_size = 10_000`",
                    );
                    None
                }
                None => None,
            }
        } else {
            if !typos.iter().any(|k| k == "deal_size") {
                self.error(
                    Code::MissingKey,
                    span.clone(),
                    "[funnel] has no `deal_size`",
                    "add the average deal in money, e.g. `deal_size = 10_000`",
                );
            }
            None
        };
        let mut stages: Vec<FunnelStage> = Vec::new();
        if let Some((_, v)) = get(t, "stages") {
            match v.get_ref() {
                DeValue::Array(items) if items.is_empty() => {
                    self.error(Code::MissingKey,
                    v.span(),
                    "`stages` is empty: a funnel needs at least one stage",
                    "write `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
                );
                    ok = false;
                }
                DeValue::Array(items) => {
                    for item in items {
                        let Some(st) = self.table(item, "a stage") else {
                            ok = false;
                            continue;
                        };
                        self.known_keys(st, &["name", "rate"], "a [funnel] stage");
                        let name = get(st, "name").and_then(|(_, nv)| {
                            self.string(nv, "a stage's name", "name = \"calls\"").map(|n| (n.to_string(), nv.span()))
                        });
                        let rate = get(st, "rate").and_then(|(_, rv)| match self.number(rv, "a stage's rate", "a percentage such as \"25%\"") {
                        Some(Number::Percent(p)) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => Some(p / Decimal::ONE_HUNDRED),
                        Some(Number::Plain(d)) => {
                            self.error(Code::PercentageExpected,
                                rv.span(),
                                format!("a stage's rate is {}, a bare number: it must be a percentage", d.normalize()),
                                bare_percent_help(d, |p| format!("rate = {p}")),
                            );
                            None
                        }
                        Some(_) => {
                            self.error(Code::OutOfRange,
                                rv.span(),
                                "a stage's rate must be a percentage above 0% and at most 100%",
                                "write how many of this stage become one of the stage before, e.g. `rate = \"25%\"` (one deal in four prospects)",
                            );
                            None
                        }
                        None => None,
                    });
                        match (name, rate) {
                            (Some((name, nspan)), _) if name.trim().is_empty() => {
                                self.error(
                                    Code::EmptyName,
                                    nspan,
                                    "a [funnel] stage has an empty `name`",
                                    "write each stage as `{ name = \"calls\", rate = \"20%\" }`",
                                );
                                ok = false;
                            }
                            (Some((name, nspan)), Some(rate)) => {
                                let base = splits.iter().any(|s| s.over_assign.is_some())
                                    && metrics.iter().any(|m| m.is_shared() && format!("{}_base", m.name) == name);
                                let taken = RESERVED.contains(&name.as_str())
                                    || metrics.iter().any(|m| m.name == name)
                                    || splits.iter().any(|s| s.by == name)
                                    || stages.iter().any(|s| s.name == name)
                                    || base;
                                if taken {
                                    self.error(
                                        Code::NameTaken,
                                        nspan,
                                        format!("funnel stage `{name}` is already a column of the output"),
                                        "give each stage a name no metric, split or other stage has",
                                    );
                                    ok = false;
                                } else {
                                    stages.push(FunnelStage { name, rate });
                                }
                            }
                            (None, _) if get(st, "name").is_none() => {
                                self.error(
                                    Code::MissingKey,
                                    item.span(),
                                    "a [funnel] stage has no `name`",
                                    "write each stage as `{ name = \"calls\", rate = \"20%\" }`",
                                );
                                ok = false;
                            }
                            (_, None) if get(st, "rate").is_none() => {
                                self.error(
                                    Code::MissingKey,
                                    item.span(),
                                    "a [funnel] stage has no `rate`",
                                    "write each stage as `{ name = \"calls\", rate = \"20%\" }`",
                                );
                                ok = false;
                            }
                            _ => ok = false,
                        }
                    }
                }
                _ => {
                    self.error(Code::WrongType,
                    v.span(),
                    "`stages` must be a list of stages",
                    "write `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
                );
                    ok = false;
                }
            }
        } else {
            if !typos.iter().any(|k| k == "stages") {
                self.error(Code::MissingKey,
                    span,
                    "[funnel] has no `stages`",
                    "list the stages from deals back to the first contact, e.g. `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
                );
            }
            ok = false;
        }
        if !ok {
            return None;
        }
        Some(Funnel { metric: metric?, filter, deal_size: deal_size?, stages, origin })
    }
}
