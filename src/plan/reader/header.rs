//! Stage `plan`, phase 1: the `[plan]` section — name, currency, year,
//! fiscal start, FY label, rounding unit and the one period a plan may
//! cover instead of its year — read into a [`Header`] that every later
//! phase may use (the precision, the year's start).

use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::{get, Reader, PRECISION_EXAMPLE};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::number::{describe, Number};
use crate::plan::{Language, PlanPeriod, Precision, RoundingRule};

/// What [`Reader::plan_table`] found.
pub(super) struct Header {
    pub name: String,
    pub currency: String,
    pub year: i32,
    pub start: NaiveDate,
    /// Where `start` is written, if it is.
    pub start_at: Option<Range<usize>>,
    pub precision: Precision,
    pub rounding: RoundingRule,
    /// `language`, when written.
    pub language: Option<Language>,
    /// `period`, when written, and where.
    pub period: Option<(PlanPeriod, Range<usize>)>,
}

impl Reader<'_> {
    /// `[plan]` of the plan file, or `None` when it is missing or has an
    /// error. `typos` are the top-level keys suggested for unknown ones.
    pub(super) fn plan_section(&mut self, root: &DeTable<'_>, typos: &[String]) -> Option<Header> {
        match get(root, "plan") {
            Some((_, v)) => self.table(v, "[plan]").and_then(|t| self.plan_table(t, v.span())),
            None if typos.iter().any(|t| t == "plan") => None,
            None => {
                self.push(
                    Diagnostic::new(Code::MissingKey, "the plan has no [plan] table")
                        .at(self.loc(0..0))
                        .help("start the file with [plan] and at least `year = 2026`"),
                );
                None
            }
        }
    }

    pub(super) fn plan_table(&mut self, t: &DeTable<'_>, span: Range<usize>) -> Option<Header> {
        let typos = self.known_keys(
            t,
            &["name", "currency", "year", "start", "precision", "fy_label", "rounding", "language", "period"],
            "[plan]",
        );
        // No `fy_label` and `fy_label = "start"` both mean false, each its own arm.
        #[allow(clippy::match_same_arms)]
        let fy_end = match get(t, "fy_label") {
            None => false,
            Some((_, v)) => match self.string(v, "fy_label", "fy_label = \"start\"") {
                Some("start") => false,
                Some("end") => true,
                Some(other) => {
                    self.error(
                        Code::UnknownChoice,
                        v.span(),
                        format!("fy_label `{other}` is not start or end"),
                        "write \"start\" (FY2026 starts in 2026) or \"end\" (FY2026 ends in 2026)",
                    );
                    false
                }
                None => false,
            },
        };
        let default_name =
            Path::new(self.file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name =
            get(t, "name").and_then(|(_, v)| self.string(v, "name", "name = \"2026 sales plan\"").map(str::to_string));
        let currency =
            get(t, "currency").and_then(|(_, v)| self.string(v, "currency", "currency = \"CNY\"").map(str::to_string));
        let period = self.plan_period(t);
        let year = match get(t, "year") {
            Some((_, v)) => match v.get_ref() {
                DeValue::Integer(i) if i.radix() == 10 => match i.as_str().parse::<i32>() {
                    Ok(y) if (1900..=9998).contains(&y) => Some(y),
                    _ => {
                        self.error(
                            Code::OutOfRange,
                            v.span(),
                            format!("year {} is out of range", i.as_str()),
                            "write a year between 1900 and 9998, e.g. `year = 2026`",
                        );
                        None
                    }
                },
                other => {
                    let found = describe(other);
                    self.error(
                        Code::WrongType,
                        v.span(),
                        format!("year must be a whole number, found {found}"),
                        "write it without quotes, e.g. `year = 2026`",
                    );
                    None
                }
            },
            None if typos.iter().any(|k| k == "year") => None,
            // A plan for one period is in that period's year.
            None if period.is_some() => period.as_ref().map(|(p, _)| p.start.year()),
            // A `period` that is not one was reported: the year it would give is unknown, not missing.
            None if get(t, "period").is_some() => None,
            None => {
                self.error(
                    Code::MissingKey,
                    span.clone(),
                    "[plan] has no year",
                    "add the year the plan covers, e.g. `year = 2026`",
                );
                None
            }
        };
        let period = match (year, period) {
            (Some(y), Some((p, at))) if p.start.year() != y => {
                self.error(
                    Code::ConflictingKeys,
                    at,
                    format!("period {} is not in the plan's year {y}", p.label),
                    format!("name a period of {y}, or change `year` (or leave it out: the period says it)"),
                );
                None
            }
            (_, period) => period,
        };
        for key in ["start", "fy_label"] {
            if let (Some((_, v)), Some((p, _))) = (get(t, key), &period) {
                if key == "start" {
                    // 1 January of the period's year is the calendar year: nothing to conflict with
                    // (and a start that is not a date has its own error).
                    let january = NaiveDate::from_ymd_opt(p.start.year(), 1, 1);
                    match self.date(v, "start") {
                        Some((d, _)) if Some(d) != january => {}
                        _ => continue,
                    }
                }
                self.error(
                    Code::ConflictingKeys,
                    v.span(),
                    format!("`{key}` sets a fiscal year, which a plan for one period ({}) does not have", p.label),
                    format!("remove `{key}`, or remove `period` to plan the whole fiscal year"),
                );
            }
        }
        // With `period` (reported above) a `start` is left out: the year is a calendar year.
        let start = get(t, "start").filter(|_| period.is_none()).and_then(|(_, v)| self.date(v, "start"));
        let start_at = start.as_ref().map(|(_, sp)| sp.clone());
        let start = match (year, start) {
            (Some(y), None) => NaiveDate::from_ymd_opt(y, 1, 1),
            (Some(y), Some((d, sp))) => {
                if d.day() != 1 {
                    let first = d.with_day(1).unwrap_or(d);
                    self.error(
                        Code::BadYearStart,
                        sp,
                        format!("start {d} is not the 1st of a month"),
                        format!("a fiscal year starts on the 1st of a month, e.g. `start = \"{first}\"`"),
                    );
                    None
                } else if !fy_end && d.year() != y {
                    self.error(Code::BadYearStart,
                        sp,
                        format!("start {d} is not in the plan's year {y}"),
                        format!("start the year in {y}, e.g. `start = \"{y}-{:02}-01\"`, or change `year` (with `fy_label = \"end\"`, FY{y} ends in {y})", d.month()),
                    );
                    None
                } else if fy_end && d.checked_add_months(chrono::Months::new(11)).map(|e| e.year()) != Some(y) {
                    let end = d.checked_add_months(chrono::Months::new(12)).and_then(|e| e.pred_opt()).unwrap_or(d);
                    self.error(
                        Code::BadYearStart,
                        sp,
                        format!("with fy_label = \"end\", FY{y} must end in {y}, but a year from {d} ends on {end}"),
                        format!(
                            "start FY{y} in {}, e.g. `start = \"{}-{:02}-01\"`, or change `year`",
                            y - 1,
                            y - 1,
                            d.month()
                        ),
                    );
                    None
                } else {
                    Some(d)
                }
            }
            (None, _) => None,
        };
        let precision = match get(t, "precision") {
            None => Precision::new(Decimal::new(1, 2)),
            Some((_, v)) => self.number(v, "precision", PRECISION_EXAMPLE).and_then(|n| match n {
                Number::Plain(d) => {
                    if let Some(p) = Precision::new(d) {
                        Some(p)
                    } else {
                        self.error(
                            Code::BadPrecision,
                            v.span(),
                            format!("precision {d} is not a power of ten"),
                            format!("use {PRECISION_EXAMPLE}"),
                        );
                        None
                    }
                }
                Number::Percent(_) => {
                    self.error(
                        Code::PercentageNotAllowed,
                        v.span(),
                        "precision cannot be a percentage",
                        format!("use {PRECISION_EXAMPLE}"),
                    );
                    None
                }
            }),
        };
        let rounding = match get(t, "rounding") {
            None => Some(RoundingRule::CrossCuts),
            Some((_, v)) => match self.string(v, "rounding", "rounding = \"cascade\"") {
                Some("controlled") => Some(RoundingRule::CrossCuts),
                Some("cascade") => Some(RoundingRule::Cascade),
                Some(other) => {
                    self.error(
                        Code::UnknownChoice,
                        v.span(),
                        format!("rounding `{other}` is not controlled or cascade"),
                        "write \"controlled\" (the default: every cross-cut exact) or \"cascade\" (contract v1's rule)",
                    );
                    None
                }
                None => None,
            },
        };
        let language = match get(t, "language") {
            None => Some(None),
            Some((_, v)) => match self.string(v, "language", "language = \"zh\"") {
                Some(word) => {
                    let language = Language::parse(word);
                    if language.is_none() {
                        self.error(
                            Code::UnknownChoice,
                            v.span(),
                            format!("language `{word}` is not {}", Language::NAMES.join(" or ")),
                            "write \"en\" (English labels) or \"zh\" (Chinese: 合计, 目标, 实际, 达成率); \
                             without the key, labels are English",
                        );
                    }
                    language.map(Some)
                }
                None => None,
            },
        };
        Some(Header {
            name: name.unwrap_or(default_name),
            currency: currency.unwrap_or_default(),
            year: year?,
            start: start?,
            start_at,
            precision: precision?,
            rounding: rounding?,
            language: language?,
            period,
        })
    }

    /// `[plan] period`, when written and a period: a month, a quarter, an
    /// ISO week or a day of one calendar year.
    fn plan_period(&mut self, t: &DeTable<'_>) -> Option<(PlanPeriod, Range<usize>)> {
        let (_, v) = get(t, "period")?;
        let text = self.string(v, "period", "period = \"2026-03\"")?;
        match PlanPeriod::parse(text) {
            Ok(p) => Some((p, v.span())),
            Err(why) => {
                self.error(
                    Code::NotAPeriod,
                    v.span(),
                    format!("period `{text}` {why}"),
                    "write the one period the plan covers: a month (\"2026-03\"), a quarter (\"2026-Q1\"), an ISO \
                     week (\"2026-W10\") or a day (\"2026-11-11\"); leave `period` out to plan the whole year",
                );
                None
            }
        }
    }
}
