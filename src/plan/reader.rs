//! Stage `plan`: the TOML schema of plan contract v1. Walks the spanned TOML
//! tree once, collects every independent problem as a [`Diagnostic`] that
//! points at the text, and builds a [`Plan`] only when there are none.
//!
//! One file per TOML section, read in phases; each phase takes what it needs
//! and returns what it made, and every phase reports into the one
//! [`Reader`], so that all the errors of a file come in one run, in the
//! order the phases meet them:
//!
//! 1. **Read the sections that stand alone**: `[plan]` -> [`Header`]
//!    (`header.rs`), `[target]` -> [`Targets`] (`target.rs`, `totals.rs`,
//!    `history.rs`), `[time]` -> [`TimeSettings`] (`time.rs`).
//! 2. **Read the baselines** the targets name -> [`Baselines`] (`baselines.rs`).
//! 3. **Read `[[split]]`**, whose `weights = "history"` needs the baselines ->
//!    [`Splits`] (`splits.rs`, `members.rs`, `split_history.rs`,
//!    `split_options.rs`).
//! 4. **Resolve history**: totals, quarters and months from the baselines ->
//!    [`Resolved`] (`resolve.rs`).
//! 5. **Read the sections that name metrics and splits**: `[track]` ->
//!    [`TrackSettings`] (`track.rs`), `[funnel]` -> [`Funnel`] (`funnel.rs`).
//! 6. **Assemble** the [`Plan`] from those parts (`assemble.rs`), then check
//!    it as a whole in the same run: its calendar, level paths and holds
//!    (`time_check.rs`), and its org cascade (`org_check.rs`: the tree's
//!    size, dated people).
//!
//! `values.rs` reads one value as a key expects it (a table, a string, a
//! number, weights), `advice.rs` words the `help:` lines, `locator.rs` finds
//! lines and columns.

use std::ops::Range;
use std::path::Path;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

mod advice;
mod assemble;
mod baselines;
mod funnel;
mod header;
mod history;
mod input_keys;
mod locator;
mod members;
mod resolve;
mod split_history;
mod split_options;
mod splits;
mod target;
mod time;
mod totals;
mod track;
mod values;

use self::advice::syntax_help;
use self::assemble::Parts;
use self::locator::Locator;
use self::splits::Splits;
#[cfg(doc)]
use self::time::TimeSettings;
#[cfg(doc)]
use self::{baselines::Baselines, header::Header, resolve::Resolved, target::Targets};
use super::number::Number;
use super::Plan;
#[cfg(doc)]
use super::{Funnel, TrackSettings};
use crate::diagnostic::{suggest, Code, Diagnostic, Location};
use crate::error::{Error, Result};

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;
/// A weight, where it is written, what to call it ("the weight of `East`")
/// and who it is for (`` `East` ``), for messages.
type Labelled = (Number, Range<usize>, String, String);
/// A growth rate written in the plan, for review: what it is, the rate, where.
type GrowthRate = (String, Decimal, Location);

/// Names a split may not take, because outputs and `--by` use them already.
const RESERVED: [&str; 8] = ["period", "start", "end", "year", "quarter", "month", "week", "day"];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const PRECISION_EXAMPLE: &str = "a rounding unit such as \"0.01\", \"1\", \"100\" or \"1000\"";
const WEIGHT_EXAMPLE: &str = "a relative weight such as 1 or 1.2, or a percentage such as \"30%\"";

pub(super) fn read(file: &str, text: &str, base: &Path) -> Result<Plan> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - text_no_bom.len();
    let doc = match DeTable::parse(text_no_bom) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let span = span.start + offset..span.end + offset;
            let message = e.message().trim().trim_end_matches('.').to_string();
            return Err(Error::invalid(
                Diagnostic::new(Code::TomlSyntax, format!("this is not valid TOML: {message}"))
                    .at(Location::from_span(file, text, span.clone()))
                    .help(syntax_help(&message, text, span.start)),
            ));
        }
    };
    let mut r = Reader { file, text, locator: Locator::new(file, text), offset, base, errors: Vec::new() };
    match r.plan(doc.get_ref()) {
        Some(plan) if r.errors.is_empty() => Ok(plan),
        _ => Err(Error::Invalid(r.errors)),
    }
}

/// The one place a plan file's problems are collected, with what every
/// phase needs to point at the text: the file, its text and where the
/// files it names are read from.
struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    /// Finds lines and columns for [`Reader::loc`] without rescanning the text.
    locator: Locator<'a>,
    /// Bytes of a BOM skipped before parsing; spans are shifted back by it.
    offset: usize,
    /// The plan file's folder: rosters, calendars and baselines are read from it.
    base: &'a Path,
    errors: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn loc(&self, span: Range<usize>) -> Location {
        self.locator.locate(span.start + self.offset..span.end + self.offset)
    }

    /// The text of the plan at `span`, as written.
    fn source(&self, span: Range<usize>) -> Option<&'a str> {
        self.text.get(span.start + self.offset..span.end + self.offset)
    }

    fn error(&mut self, code: Code, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::new(code, message).at(self.loc(span)).help(help);
        self.errors.push(d);
    }

    fn push(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// Reports keys of `table` that are not in `allowed`, suggesting the
    /// nearest. Returns the keys suggested, so that a typo (`wieghts`) is not
    /// reported a second time as a missing key.
    fn known_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], place: &str) -> Vec<String> {
        let mut suggested = Vec::new();
        for (key, _) in table {
            let k = key.get_ref().as_ref();
            if allowed.contains(&k) {
                continue;
            }
            let help = match suggest(k, allowed.iter().copied()) {
                Some(s) => {
                    suggested.push(s.to_string());
                    format!("did you mean `{s}`?")
                }
                None => format!("the keys allowed here are: {}", allowed.join(", ")),
            };
            self.error(Code::UnknownKey, key.span(), format!("unknown key `{k}` in {place}"), help);
        }
        suggested
    }

    /// Reads the whole plan, phase by phase (see the module's header).
    fn plan(&mut self, root: &DeTable<'_>) -> Option<Plan> {
        let typos = self.known_keys(root, &["plan", "target", "time", "split", "track", "funnel"], "the plan file");
        // 1. The sections that stand alone.
        let header = self.plan_section(root, &typos);
        let precision = header.as_ref().map(|h| h.precision);
        let targets = self.target_section(root, &typos, precision);
        let time_origin = match get(root, "time") {
            Some((k, _)) => self.loc(k.span()),
            None => targets.metrics.as_ref().map_or_else(|| self.loc(0..0), |m| m[0].origin.clone()),
        };
        let time = self.time_section(root, precision)?;
        // 2. Last year's actuals, which history splits and totals are made from.
        let baselines = self.baselines(targets.histories, targets.metric_months, header.as_ref(), &split_names(root));
        // 3. The splits.
        let metrics = targets.metrics;
        let splits = match get(root, "split") {
            Some((_, v)) => self.splits(v, precision, metrics.as_deref().unwrap_or_default(), &baselines.histories),
            None => Splits::default(),
        };
        if let (Some(ms), Some(split)) = (&metrics, splits.splits.iter().find(|s| s.over_assign.is_some())) {
            self.base_columns(ms, split);
        }
        // 4. Totals and months from history.
        let (metrics, history_months) = match (metrics, &header) {
            (Some(ms), Some(h)) => {
                let resolved = self.resolve_history(ms, &baselines.histories, &splits, &time, h);
                (Some(resolved.metrics), resolved.months)
            }
            (metrics, _) => (metrics, None),
        };
        // 5. The sections that name metrics and splits.
        let track = self.track_section(root, metrics.as_deref());
        let funnel = self.funnel_section(root, metrics.as_deref(), &splits.splits);
        // 6. The plan, and its calendar and org cascade checked in the same
        // run: a typo elsewhere must not hide a calendar error.
        let mut growth = targets.growth_rates;
        growth.extend(splits.growth_rates);
        let mut inputs = time.files.clone();
        inputs.extend(baselines.files);
        inputs.extend(splits.rosters);
        let parts = Parts {
            header: header?,
            metrics: metrics?,
            time,
            history_months,
            time_origin,
            track,
            splits: splits.splits,
            funnel,
            growth,
            inputs,
        };
        let plan = self.assemble(parts)?;
        let from_baseline = |name: &str| baselines.histories.iter().any(|h| h.metric == name);
        let totals_known = plan.metrics.iter().all(|m| m.derivation.is_some() || !from_baseline(&m.name));
        self.errors.extend(super::time_check::check(&plan, totals_known));
        self.errors.extend(super::org_check::check(&plan));
        Some(plan)
    }
}

fn get<'t, 'i>(t: &'t DeTable<'i>, key: &str) -> Option<(&'t Key<'i>, &'t Value<'i>)> {
    t.iter().find(|(k, _)| k.get_ref() == key)
}

/// The `by` of every `[[split]]` as written, before the splits are read (a
/// baseline's columns are found by them).
fn split_names(root: &DeTable<'_>) -> Vec<String> {
    let Some((_, v)) = get(root, "split") else { return Vec::new() };
    let DeValue::Array(items) = v.get_ref() else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item.get_ref() {
            DeValue::Table(t) => match get(t, "by").map(|(_, b)| b.get_ref()) {
                Some(DeValue::String(by)) => Some(by.trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}
