//! Stage `plan`: targets from history — `baseline` (last year's actuals, in
//! the format `track` reads) with `growth` per year, per quarter or per
//! member; `months = "history"` and `weights = "history"`. Resolved while
//! reading, so the rest of salesplit sees an ordinary plan: a total, month
//! and quarter weights, and member weights, with how the total was derived.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use indexmap::IndexMap;
use rust_decimal::{Decimal, RoundingStrategy};
use toml::de::{DeTable, DeValue};

use super::time::TimeSettings;
use super::{get, Header, Reader, Value};
use crate::diagnostic::{name_list, suggest};
use crate::error::Error;
use crate::plan::baseline::Baseline;
use crate::plan::number::Number;
use crate::plan::{thousands, Member, MemberSet, MemberShare, Metric, MetricKind, MetricTime};

/// A split's default member set and its sets per parent member.
type SplitSets = (Option<MemberSet>, Vec<(String, MemberSet)>);

/// How a metric grows over its baseline.
#[derive(Clone, Debug, Default)]
pub(super) enum Growth {
    /// No growth given: last year's figures as they are.
    #[default]
    None,
    /// One rate for the year (0.15 for `"15%"`), and where it is written.
    Year(Decimal, Range<usize>),
    /// One rate per fiscal quarter, where each is written, and where the table is.
    Quarters([Decimal; 4], [Range<usize>; 4], Range<usize>),
}

/// A metric set from last year's actuals, waiting for its baseline.
#[derive(Debug)]
pub(super) struct History {
    /// The metric's name.
    pub metric: String,
    /// The baseline file as written, and where.
    pub path: String,
    pub span: Range<usize>,
    pub growth: Growth,
    /// `months = "history"` in the metric's own `[target.<name>.time]`.
    pub months: Option<Range<usize>>,
    /// The file, once read.
    pub baseline: Option<Baseline>,
}

/// `[split.growth]`: growth per member of one split.
#[derive(Debug)]
pub(super) struct MemberGrowth {
    /// The split's name.
    pub by: String,
    /// Member, rate (a fraction) and where it is written.
    pub rates: Vec<(String, Decimal, Range<usize>)>,
}

impl Reader<'_> {
    /// `baseline` and `growth` of a metric table, if it has a baseline.
    pub(super) fn history(&mut self, name: &str, t: &DeTable<'_>, is_amount: bool) -> Option<History> {
        let (_, v) = get(t, "baseline")?;
        let path = self.string(v, "baseline", "baseline = \"sales-2025.csv\"")?.to_string();
        if !is_amount {
            self.error(
                v.span(),
                format!("[target.{name}] is not an amount, so it cannot grow from a baseline of sales"),
                "set a baseline on a money metric (kind = \"amount\")",
            );
            return None;
        }
        if let Some((k, _)) = get(t, "total") {
            self.error(
                k.span(),
                format!("[target.{name}] has both a `baseline` and a `total`"),
                "a metric from a baseline has its total worked out from last year and `growth`: remove `total`",
            );
            return None;
        }
        let growth = match get(t, "growth") {
            None => Growth::None,
            Some((_, g)) => self.growth(g)?,
        };
        match &growth {
            Growth::None => {}
            Growth::Year(rate, at) => self.growth_rates.push((format!("`{name}`"), *rate, self.loc(at.clone()))),
            Growth::Quarters(rates, spans, _) => {
                for (i, (rate, at)) in rates.iter().zip(spans).enumerate() {
                    self.growth_rates.push((format!("`{name}` in Q{}", i + 1), *rate, self.loc(at.clone())));
                }
            }
        }
        Some(History { metric: name.to_string(), path, span: v.span(), growth, months: None, baseline: None })
    }

    /// `growth = "15%"` or `growth = { Q1 = "10%", Q2 = "12%", Q3 = "13%", Q4 = "15%" }`.
    fn growth(&mut self, g: &Value<'_>) -> Option<Growth> {
        match g.get_ref() {
            DeValue::Table(t) => {
                let names = ["Q1", "Q2", "Q3", "Q4"];
                self.known_keys(t, &names, "growth");
                let mut rates = [Decimal::ZERO; 4];
                let mut spans: [Range<usize>; 4] = Default::default();
                let mut ok = true;
                let mut missing = Vec::new();
                for (i, q) in names.iter().enumerate() {
                    match get(t, q) {
                        Some((_, v)) => match self.rate(v, &format!("growth of {q}")) {
                            Some(r) => {
                                rates[i] = r;
                                spans[i] = v.span();
                            }
                            None => ok = false,
                        },
                        None => missing.push(*q),
                    }
                }
                // One message for every quarter left out.
                if !missing.is_empty() {
                    self.error(
                        g.span(),
                        format!("growth names no rate for {}", missing.join(", ")),
                        "give every quarter a rate, e.g. `growth = { Q1 = \"10%\", Q2 = \"12%\", Q3 = \"13%\", Q4 = \"15%\" }`",
                    );
                    ok = false;
                }
                ok.then_some(Growth::Quarters(rates, spans, g.span()))
            }
            _ => self.rate(g, "growth").map(|r| Growth::Year(r, g.span())),
        }
    }

    /// A growth rate: a percentage above -100% (`"15%"` is 0.15, `"-5%"` a decline).
    pub(super) fn rate(&mut self, v: &Value<'_>, what: &str) -> Option<Decimal> {
        match self.number(v, what, "a percentage such as \"15%\"")? {
            Number::Percent(p) if p > -Decimal::ONE_HUNDRED => Some(p / Decimal::ONE_HUNDRED),
            Number::Plain(d) => {
                self.error(
                    v.span(),
                    format!("{what} is {}, a bare number: it must be a percentage", d.normalize()),
                    super::bare_percent_help(d, str::to_string),
                );
                None
            }
            _ => {
                self.error(
                    v.span(),
                    format!("{what} must be a percentage above -100%"),
                    "write the growth over last year as a percentage, e.g. \"15%\" (or \"-5%\" for a decline)",
                );
                None
            }
        }
    }

    /// Reads every metric's baseline: the fiscal year before the plan's,
    /// with the plan's splits as its member columns.
    pub(super) fn read_baselines(&mut self, histories: &mut [History], header: &Header, splits: &[String]) {
        let first = header.start.checked_sub_months(chrono::Months::new(12)).unwrap_or(header.start);
        let last = header.start.pred_opt().unwrap_or(header.start);
        let names: Vec<&str> = splits.iter().map(String::as_str).collect();
        for h in histories.iter_mut() {
            self.inputs.push(self.base.join(&h.path));
            match Baseline::read(self.base, &h.path, &h.metric, &names, first, last) {
                Ok(b) => h.baseline = Some(b),
                Err(Error::Invalid(ds)) => self.errors.extend(ds),
                Err(io @ Error::Io { .. }) => {
                    let (reason, help) = match &io {
                        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => (
                            "no such file".to_string(),
                            "check the path; it is read relative to the plan file's folder".to_string(),
                        ),
                        _ => io.io_advice().unwrap_or_default(),
                    };
                    let full = self.base.join(&h.path);
                    self.error(h.span.clone(), format!("cannot read baseline {}: {reason}", full.display()), help);
                }
            }
        }
    }

    /// The member sets of a split with `weights = "history"`: the members
    /// the baseline has under each parent, in order of first appearance,
    /// weighted by last year's sales (times their growth), then any `fixed`
    /// members (new ones, with no history).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn history_members(
        &mut self,
        by: &str,
        depth: usize,
        span: Range<usize>,
        baseline: Option<&Baseline>,
        growth: Option<&MemberGrowth>,
        default_growth: Decimal,
        fixed: Vec<Member>,
        earlier: &[&str],
    ) -> Option<SplitSets> {
        let Some(b) = baseline else {
            self.error(
                span,
                format!("split `{by}` takes its weights from history, but no metric has a `baseline`"),
                "add `baseline = \"sales-2025.csv\"` to the money metric in [target], or give the split `weights`",
            );
            return None;
        };
        let Some(sums) = b.members.get(depth) else {
            // The columns are read in the splits' order: the first missing one stops the rest.
            match earlier.get(b.members.len()).filter(|_| b.members.len() < depth) {
                Some(gap) => self.push(
                    crate::diagnostic::Diagnostic::new(format!(
                        "split `{by}` takes its weights from history, but {} has no `{gap}` column",
                        b.file
                    ))
                    .at(self.loc(span))
                    .note(format!(
                        "a baseline's columns follow the splits in order: its `{by}` column is read under a `{gap}` column"
                    ))
                    .help(format!("add a `{gap}` column to {}, or give split `{by}` `weights`", b.file)),
                ),
                None => self.error(
                    span,
                    format!("split `{by}` takes its weights from history, but {} has no `{by}` column", b.file),
                    format!(
                        "add a `{by}` column (and one for every split before it) to {}, or give the split `weights`",
                        b.file
                    ),
                ),
            }
            return None;
        };
        let rate =
            |name: &str| growth.and_then(|g| g.rates.iter().find(|(m, ..)| m == name)).map_or(default_growth, |r| r.1);
        let mut groups: IndexMap<Option<String>, IndexMap<String, Decimal>> = IndexMap::new();
        for (path, amount) in sums {
            let member = &path[depth];
            if member.is_empty() {
                continue;
            }
            let parent = depth.checked_sub(1).map(|p| path[p].clone());
            *groups.entry(parent).or_default().entry(member.clone()).or_default() += *amount;
        }
        if let Some(g) = growth {
            let known: Vec<&str> = groups.values().flat_map(|m| m.keys().map(String::as_str)).collect();
            for (name, _, at) in &g.rates {
                if !known.contains(&name.as_str()) {
                    let help = match suggest(name, known.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? A new member with no history needs a `fixed` amount"),
                        None => format!(
                            "the members with sales in {} are: {}; a new member with no history needs a `fixed` amount, \
                             so remove it from `growth`",
                            b.file,
                            name_list(&known)
                        ),
                    };
                    self.error(
                        at.clone(),
                        format!("`{name}` has no sales in {}, so it has no history to grow", b.file),
                        help,
                    );
                }
            }
        }
        let origin = self.loc(span);
        let sets: Vec<(Option<String>, MemberSet)> = groups
            .into_iter()
            .map(|(parent, members)| {
                let mut list: Vec<Member> = members
                    .into_iter()
                    .map(|(name, ly)| {
                        // Past 28 digits a weight saturates: shares among such giants barely move.
                        let weight =
                            ly.checked_mul(Decimal::ONE + rate(&name)).unwrap_or(Decimal::MAX).max(Decimal::ZERO);
                        Member {
                            share: MemberShare::Weight(weight),
                            origin: origin.clone().into(),
                            details: None,
                            name,
                        }
                    })
                    .collect();
                let new: Vec<Member> =
                    fixed.iter().filter(|f| !list.iter().any(|m| m.name == f.name)).cloned().collect();
                list.extend(new);
                (parent, MemberSet { members: list, origin: origin.clone() })
            })
            .collect();
        if depth == 0 {
            Some((sets.into_iter().next().map(|(_, s)| s), Vec::new()))
        } else {
            Some((None, sets.into_iter().map(|(p, s)| (p.unwrap_or_default(), s)).collect()))
        }
    }

    /// Works out the totals, quarter and month weights of metrics with a
    /// baseline, and the plan's months from history.
    pub(super) fn resolve_history(
        &mut self,
        metrics: &mut [Metric],
        histories: &[History],
        member_growth: Option<&MemberGrowth>,
        time: &mut TimeSettings,
        header: &Header,
    ) {
        let (precision, start) = (header.precision, header.start);
        let months_history = time.months_history.clone();
        let plan_months = &mut time.months;
        let reference = metrics_reference(metrics).map(str::to_string);
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
            let (exact, words) = if is_reference && !self.history_fixed.is_zero() {
                (
                    exact + self.history_fixed,
                    format!("{words}, + {} fixed for new members", thousands(self.history_fixed)),
                )
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
                        *plan_months = Some(non_negative(&month_sums(b, start)));
                    }
                }
                None => self.error(
                    at,
                    "months = \"history\" takes the months from last year's sales, but no metric has a `baseline`",
                    "add `baseline = \"sales-2025.csv\"` to the money metric in [target], or give `months` as 12 weights",
                ),
            }
        }
    }

    /// A target grown from a baseline that no longer fits 28 digits.
    fn too_large(&mut self, h: &History, b: &Baseline) {
        self.error(
            h.span.clone(),
            format!(
                "the target `{}` grown from {} is too large to compute exactly (more than 28 digits)",
                h.metric, b.file
            ),
            "check the baseline's amounts and the growth rates",
        );
    }

    /// Every `months = "history"` without a baseline to read it from.
    pub(super) fn check_metric_months(&mut self, histories: &[History], orphans: &[(String, Range<usize>)]) {
        for (name, at) in orphans {
            if !histories.iter().any(|h| &h.metric == name) {
                self.error(
                    at.clone(),
                    format!("[target.{name}.time] takes months from history, but `{name}` has no `baseline`"),
                    format!("add `baseline = \"sales-2025.csv\"` to [target.{name}], or give `months` as 12 weights"),
                );
            }
        }
    }
}

/// Last year's sales per fiscal month (12 sums), from the baseline's days.
fn month_sums(b: &Baseline, start: NaiveDate) -> Vec<Decimal> {
    let first = start.checked_sub_months(chrono::Months::new(12)).unwrap_or(start);
    let mut months = vec![Decimal::ZERO; 12];
    for (i, amount) in b.days.iter().enumerate() {
        let day = first + chrono::Days::new(i as u64);
        let m = (day.year() - first.year()) * 12 + day.month() as i32 - first.month() as i32;
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
