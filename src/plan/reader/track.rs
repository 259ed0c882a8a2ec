//! Stage `plan`, phase 5: the `[track]` section — `carry`, `tolerance` and
//! the `metric` that actual sales are tracked against — read into
//! [`TrackSettings`].

use crate::diagnostic::Code;
use rust_decimal::Decimal;
use toml::de::DeTable;

use super::advice::{bare_percent_help, did_you_mean};
use super::{get, Reader};
use crate::plan::number::Number;
use crate::plan::{Carry, Metric, TrackSettings};

impl Reader<'_> {
    /// `[track]` of the plan file, or the defaults when it is missing or
    /// not a table.
    pub(super) fn track_section(&mut self, root: &DeTable<'_>, metrics: Option<&[Metric]>) -> TrackSettings {
        match get(root, "track") {
            Some((_, v)) => self.table(v, "[track]").map(|t| self.track(t, metrics)).unwrap_or_default(),
            None => TrackSettings::default(),
        }
    }

    #[allow(clippy::type_complexity)]
    /// `[track]`: `carry`, `tolerance` and `metric` (an amount or a count
    /// of `metrics`, when they could be read).
    pub(super) fn track(&mut self, t: &DeTable<'_>, metrics: Option<&[Metric]>) -> TrackSettings {
        self.known_keys(t, &["carry", "tolerance", "metric"], "[track]");
        let mut settings = TrackSettings::default();
        if let Some((_, v)) = get(t, "metric") {
            if let Some(text) = self.string(v, "metric", "metric = \"sales\"") {
                let names: Vec<&str> = metrics.unwrap_or_default().iter().map(|m| m.name.as_str()).collect();
                match metrics.map(|ms| ms.iter().find(|m| m.name == text)) {
                    Some(None) => self.error(Code::UnknownMetric,
                        v.span(),
                        format!("[track] metric `{text}` is not a metric of this plan"),
                        match crate::diagnostic::suggest(text, names.iter().copied()) {
                            Some(s) => format!("did you mean `metric = \"{s}\"`? The plan's metrics are: {}", names.join(", ")),
                            None => format!("the plan's metrics are: {}", names.join(", ")),
                        },
                    ),
                    Some(Some(m)) if !m.is_shared() => self.error(Code::UnknownMetric,
                        v.span(),
                        format!("[track] metric `{text}` is a level: it is not shared, so no member has a target that sales add up to"),
                        "name an amount or a count of [target], or remove `metric`",
                    ),
                    _ => settings.metric = Some(text.to_string()),
                }
            }
        }
        if let Some((_, v)) = get(t, "carry") {
            if let Some(text) = self.string(v, "carry", "carry = \"shortfall\"") {
                match Carry::parse(text) {
                    Some(c) => settings.carry = c,
                    None => self.error(
                        Code::UnknownChoice,
                        v.span(),
                        format!("carry `{text}` is not one of {}", Carry::NAMES.join(", ")),
                        did_you_mean(text, &Carry::NAMES),
                    ),
                }
            }
        }
        if let Some((_, v)) = get(t, "tolerance") {
            match self.number(v, "tolerance", "a percentage such as \"5%\"") {
                Some(Number::Percent(p)) if !p.is_sign_negative() && p < Decimal::ONE_HUNDRED => {
                    settings.tolerance = p / Decimal::ONE_HUNDRED;
                }
                Some(Number::Plain(d)) => self.error(
                    Code::PercentageExpected,
                    v.span(),
                    format!("tolerance is {}, a bare number: it must be a percentage", d.normalize()),
                    bare_percent_help(d, |p| format!("tolerance = {p}")),
                ),
                Some(_) => self.error(
                    Code::OutOfRange,
                    v.span(),
                    "tolerance must be a percentage from 0% to under 100%",
                    "write the band around 100% that counts as on track, e.g. `tolerance = \"5%\"`",
                ),
                None => {}
            }
        }
        settings
    }
}
