//! Stage `plan`, phase 1: targets from history, as `[target]` writes them —
//! `baseline` (last year's actuals, in the format `track` reads) with
//! `growth` per year or per quarter — and the types the later phases carry
//! them in: [`History`] (read in phase 2, resolved in phase 4) and
//! [`MemberGrowth`] (`[split.growth]`, phase 3). The rest of salesplit sees
//! an ordinary plan: a total, month and quarter weights, and member
//! weights, with how the total was derived.

use crate::diagnostic::Code;
use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::{get, GrowthRate, Reader, Value};
use crate::plan::baseline::Baseline;
use crate::plan::number::Number;

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
    /// How the file is read (`sheet`, `encoding`, `delimiter` next to `baseline`).
    pub read_as: crate::plan::csv_source::ReadAs,
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
    pub(super) fn history(
        &mut self,
        name: &str,
        t: &DeTable<'_>,
        is_amount: bool,
        growth_rates: &mut Vec<GrowthRate>,
    ) -> Option<History> {
        let (_, v) = get(t, "baseline")?;
        let path = self.string(v, "baseline", "baseline = \"sales-2025.csv\"")?.to_string();
        if !is_amount {
            self.error(
                Code::MissingSetting,
                v.span(),
                format!("[target.{name}] is not an amount, so it cannot grow from a baseline of sales"),
                "set a baseline on a money metric (kind = \"amount\")",
            );
            return None;
        }
        if let Some((k, _)) = get(t, "total") {
            self.error(
                Code::ConflictingKeys,
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
            Growth::Year(rate, at) => growth_rates.push((format!("`{name}`"), *rate, self.loc(at.clone()))),
            Growth::Quarters(rates, spans, _) => {
                for (i, (rate, at)) in rates.iter().zip(spans).enumerate() {
                    growth_rates.push((format!("`{name}` in Q{}", i + 1), *rate, self.loc(at.clone())));
                }
            }
        }
        let read_as = self.read_as(t, "baseline");
        Some(History { metric: name.to_string(), path, span: v.span(), growth, months: None, baseline: None, read_as })
    }

    /// `growth = "15%"` or `growth = { Q1 = "10%", Q2 = "12%", Q3 = "13%", Q4 = "15%" }`.
    pub(super) fn growth(&mut self, g: &Value<'_>) -> Option<Growth> {
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
                    self.error(Code::MissingKey,
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
                    Code::PercentageExpected,
                    v.span(),
                    format!("{what} is {}, a bare number: it must be a percentage", d.normalize()),
                    super::advice::bare_percent_help(d, str::to_string),
                );
                None
            }
            Number::Percent(_) => {
                self.error(
                    Code::OutOfRange,
                    v.span(),
                    format!("{what} must be a percentage above -100%"),
                    "write the growth over last year as a percentage, e.g. \"15%\" (or \"-5%\" for a decline)",
                );
                None
            }
        }
    }
}
