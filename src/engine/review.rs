//! Stage `engine`: what a sales director should look at twice in a plan
//! that is valid — figures that are allowed but unusual. `validate` prints
//! these as warnings; they never stop a run.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Engine, Source};
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::thousands;
use crate::plan::Units;

impl Engine<'_> {
    /// Warnings about a valid plan: a person whose target is more than twice
    /// the average of the people sharing the same parent.
    ///
    /// # Panics
    ///
    /// Never: the one `expect` is on a team pushed just before.
    pub fn review(&self) -> Vec<Diagnostic> {
        let plan = self.plan;
        let p = plan.precision;
        let mut out = Vec::new();
        for (d, split) in plan.splits.iter().enumerate() {
            let Some(roster) = &split.roster else { continue };
            // The leaves come in cascade order, so a team's (the members
            // above a person) leaves are one run and a person's leaves one run
            // inside it: a first pass sums each team's runs, a second finds the
            // people above twice their team's average. Nothing is hashed and
            // nothing is held per person.
            let Source::Shared { amounts, .. } = &self.reference_series().source else { continue };
            // `(vacant)` is nobody: it is no one's team-mate and has no average to beat.
            let leaves = || self.paths.iter().zip(amounts).filter(|(p, _)| p[d] != crate::plan::VACANT);
            // Each team: its members above, how many people, their units.
            let mut teams: Vec<(&[&str], u128, u128)> = Vec::new();
            let mut last: Option<&str> = None;
            for (path, (units, _)) in leaves() {
                let team = &path[..d];
                if teams.last().is_none_or(|(t, _, _)| *t != team) {
                    teams.push((team, 0, 0));
                    last = None;
                }
                let entry = teams.last_mut().expect("pushed above");
                if last != Some(path[d]) {
                    entry.1 += 1;
                    last = Some(path[d]);
                }
                entry.2 += units;
            }
            // Where each person is written: only looked up when someone is
            // warned about, so a large roster with nobody to warn builds nothing.
            let mut origins: Option<HashMap<(&str, &str), &crate::plan::Origin>> = None;
            let origins_of = || -> HashMap<(&str, &str), &crate::plan::Origin> {
                split
                    .within
                    .iter()
                    .flat_map(|(parent, set)| {
                        set.members.iter().map(move |m| ((parent.as_str(), m.name.as_str()), &m.origin))
                    })
                    .chain(
                        split
                            .default
                            .iter()
                            .flat_map(|set| set.members.iter().map(|m| (("", m.name.as_str()), &m.origin))),
                    )
                    .collect()
            };
            // One person's units in their team: a warning when above twice the average.
            let mut judge = |(team, n, total): (&[&str], u128, u128), person: &str, units: u128| {
                // More than twice the average: units * n > 2 * total.
                if n < 2 || units * n <= 2 * total {
                    return;
                }
                let parent = split.parent.and_then(|i| team.get(i)).copied().unwrap_or("");
                let average = p.to_amount(Units(total / n));
                let under = if team.is_empty() { String::new() } else { format!(" in {}", team.join(" / ")) };
                let mut d = Diagnostic::new(
                    Code::HighTarget,
                    format!(
                    "{} {person}{under} has a target of {}, more than twice the average of {} for the {n} people there",
                    split.by,
                    thousands(p.to_amount(Units(units))),
                    thousands(average),
                ),
                )
                .help(format!("check {person}'s weight in {roster}, or give part of the target to others"));
                if let Some(at) = origins.get_or_insert_with(origins_of).get(&(parent, person)) {
                    d = d.at(at.location());
                }
                out.push(d);
            };
            let mut k: Option<usize> = None;
            let mut current: Option<(&str, u128)> = None;
            for (path, (units, _)) in leaves() {
                let team = &path[..d];
                if k.is_none_or(|k| teams[k].0 != team) {
                    if let (Some(k), Some((person, sum))) = (k, current.take()) {
                        judge(teams[k], person, sum);
                    }
                    k = Some(k.map_or(0, |k| k + 1));
                }
                match current.as_mut() {
                    Some((person, sum)) if *person == path[d] => *sum += units,
                    _ => {
                        if let (Some(k), Some((person, sum))) = (k, current.take()) {
                            judge(teams[k], person, sum);
                        }
                        current = Some((path[d], *units));
                    }
                }
            }
            if let (Some(k), Some((person, sum))) = (k, current) {
                judge(teams[k], person, sum);
            }
        }
        out.extend(self.review_models());
        out
    }

    /// Growth above 50%, a ramp longer than a year, over-assignment above 30%.
    fn review_models(&self) -> Vec<Diagnostic> {
        let plan = self.plan;
        let mut out = Vec::new();
        let percent = |r: Decimal| format!("{}%", (r * Decimal::ONE_HUNDRED).normalize());
        for (what, rate, at) in &plan.growth {
            if *rate > Decimal::new(5, 1) {
                out.push(
                    Diagnostic::new(Code::HighGrowth, format!("growth of {} for {what} is above 50%", percent(*rate)))
                        .at(at.clone())
                        .note("the target is last year's sales plus more than half again")
                        .help("check the rate; if it is meant, say why in the plan's name or a comment"),
                );
            }
        }
        for split in &plan.splits {
            if let Some((rate, at)) = &split.over_assign {
                if *rate > Decimal::new(3, 1) {
                    out.push(
                        Diagnostic::new(
                            Code::HighOverAssign,
                            format!("split `{}` is over-assigned by {}, more than 30%", split.by, percent(*rate)),
                        )
                        .at(at.clone())
                        .note(format!(
                            "the people's targets add up to {} of their parent's",
                            percent(Decimal::ONE + rate)
                        ))
                        .help("over-assignment usually covers a few people missing their number; check the rate"),
                    );
                }
            }
            let sets = split.default.iter().chain(split.within.iter().map(|(_, s)| s));
            for member in sets.flat_map(|s| &s.members) {
                let months = member.person().ramp.len();
                if months > 12 {
                    out.push(
                        Diagnostic::new(
                            Code::LongRamp,
                            format!("{} {}'s ramp lasts {months} months, more than a year", split.by, member.name),
                        )
                        .at(member.origin.location())
                        .note("each step of a ramp is one month in seat")
                        .help("a ramp is for a new hire's first months; check the steps"),
                    );
                }
            }
        }
        out
    }
}
