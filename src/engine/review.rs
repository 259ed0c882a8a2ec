//! Stage `engine`: what a sales director should look at twice in a plan
//! that is valid — figures that are allowed but unusual. `validate` prints
//! these as warnings; they never stop a run.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::{Engine, Source};
use crate::diagnostic::Diagnostic;
use crate::plan::thousands;

impl Engine<'_> {
    /// Warnings about a valid plan: a person whose target is more than twice
    /// the average of the people sharing the same parent.
    pub fn review(&self) -> Vec<Diagnostic> {
        let plan = self.plan;
        let p = plan.precision;
        let mut out = Vec::new();
        for (d, split) in plan.splits.iter().enumerate() {
            let Some(roster) = &split.roster else { continue };
            // team (the members above) -> person -> units
            let mut teams: IndexMap<Vec<&str>, IndexMap<&str, u128>> = IndexMap::new();
            let Source::Shared { amounts, .. } = &self.reference_series().source else { continue };
            for (path, (units, _)) in self.paths.iter().zip(amounts) {
                *teams.entry(path[..d].to_vec()).or_default().entry(path[d]).or_default() += units;
            }
            let origins: HashMap<(&str, &str), &crate::diagnostic::Location> = split
                .within
                .iter()
                .flat_map(|(parent, set)| {
                    set.members.iter().map(move |m| ((parent.as_str(), m.name.as_str()), &m.origin))
                })
                .chain(
                    split.default.iter().flat_map(|set| set.members.iter().map(|m| (("", m.name.as_str()), &m.origin))),
                )
                .collect();
            for (team, people) in &teams {
                if people.len() < 2 {
                    continue;
                }
                let total: u128 = people.values().sum();
                let n = people.len() as u128;
                for (person, units) in people {
                    // More than twice the average: units * n > 2 * total.
                    if units * n <= 2 * total {
                        continue;
                    }
                    let parent = split.parent.and_then(|i| team.get(i)).copied().unwrap_or("");
                    let average = p.to_amount(total / n);
                    let under = if team.is_empty() { String::new() } else { format!(" in {}", team.join(" / ")) };
                    let mut d = Diagnostic::warning(format!(
                        "{} {person}{under} has a target of {}, more than twice the average of {} for the {} people there",
                        split.by,
                        thousands(p.to_amount(*units)),
                        thousands(average),
                        people.len()
                    ))
                    .help(format!("check {person}'s weight in {roster}, or give part of the target to others"));
                    if let Some(at) = origins.get(&(parent, *person)) {
                        d = d.at((*at).clone());
                    }
                    out.push(d);
                }
            }
        }
        out
    }
}
