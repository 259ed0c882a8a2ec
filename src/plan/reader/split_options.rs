//! Stage `plan`, phase 3: a split's `over_assign` and `vacancy`, and the
//! output columns they add, which no metric may already be named.

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::advice::bare_percent_help;
use super::{get, Reader};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::number::Number;
use crate::plan::{Member, MemberShare, Metric, Split, Vacancy, VACANT};

impl Reader<'_> {
    /// `over_assign` and `vacancy` of a split. Under `vacancy = "show"` every
    /// member set gains a `(vacant)` member that carries unfilled seats.
    pub(super) fn split_options(&mut self, t: &DeTable<'_>, split: &mut Split) {
        if let Some((k, v)) = get(t, "over_assign") {
            match self.number(v, "over_assign", "a percentage such as \"10%\"") {
                Some(Number::Percent(p)) if !p.is_sign_negative() => {
                    split.over_assign = Some((p / Decimal::ONE_HUNDRED, self.loc(k.span().start..v.span().end)));
                }
                // 1.1 is most likely "110% of the parent": 10% over it.
                Some(Number::Plain(d)) if d > Decimal::ONE && d < Decimal::TWO => self.error(Code::PercentageExpected,
                    v.span(),
                    format!("over_assign is {}, a bare number: it must be a percentage", d.normalize()),
                    format!(
                        "write how far the members' targets go above their parent's: for {}% of it, `over_assign = \"{}%\"`",
                        (d * Decimal::ONE_HUNDRED).normalize(),
                        ((d - Decimal::ONE) * Decimal::ONE_HUNDRED).normalize()
                    ),
                ),
                Some(Number::Plain(d)) => self.error(Code::PercentageExpected,
                    v.span(),
                    format!("over_assign is {}, a bare number: it must be a percentage", d.normalize()),
                    bare_percent_help(d, |p| format!("over_assign = {p}")),
                ),
                Some(_) => self.error(Code::OutOfRange,
                    v.span(),
                    "over_assign must be a percentage of 0% or more",
                    "write how far the members' targets go above their parent's, e.g. `over_assign = \"10%\"` for 110%",
                ),
                None => {}
            }
        }
        if let Some((_, v)) = get(t, "vacancy") {
            let Some(text) = self.string(v, "vacancy", "vacancy = \"show\"") else { return };
            match text {
                "share" => split.vacancy = Vacancy::Share,
                "show" if split.roster.is_none() => self.error(Code::MissingSetting,
                    v.span(),
                    format!("split `{}` has `vacancy` but no roster", split.by),
                    "vacancies come from people's `start` and `end` dates in a roster; remove `vacancy`",
                ),
                "show" => {
                    split.vacancy = Vacancy::Show;
                    let sets = split.default.iter_mut().chain(split.within.iter_mut().map(|(_, set)| set));
                    for set in sets {
                        let origin = set.origin.clone();
                        set.members.push(Member {
                            name: VACANT.to_string(),
                            share: MemberShare::Weight(Decimal::ZERO),
                            origin: origin.into(),
                            details: None,
                        });
                    }
                }
                other => self.error(Code::UnknownChoice,
                    v.span(),
                    format!("vacancy `{other}` is not share or show"),
                    "write \"share\" (whoever is in seat shares the target) or \"show\" (unfilled seats go to a (vacant) row)",
                ),
            }
        }
    }

    /// `over_assign` adds a `<metric>_base` column per shared metric: no
    /// metric may already have that name.
    pub(super) fn base_columns(&mut self, metrics: &[Metric], split: &Split) {
        for m in metrics.iter().filter(|m| m.is_shared()) {
            let base = format!("{}_base", m.name);
            if let Some(clash) = metrics.iter().find(|o| o.name == base) {
                // Underline the name only, not its value.
                let mut at = clash.origin.clone();
                at.underline = at.underline.start..at.underline.start + clash.name.len();
                self.push(
                    Diagnostic::new(Code::NameTaken, format!("metric name `{base}` is already used by the output"))
                        .at(at)
                        .note(format!(
                            "over_assign on split `{}` adds a `{base}` column: `{}` before over-assignment",
                            split.by, m.name
                        ))
                        .help("choose another name for the metric"),
                );
            }
        }
    }
}
