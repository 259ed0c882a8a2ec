//! Stage `engine`: each org leaf's time table. A person in seat part of the
//! year (a start or end date, a ramp, a vacancy) follows their own days, so
//! their leaf gets a time table of its own; everyone else shares their
//! metric's. People of one team with the same dates and ramp share one table.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::org_tree::Paths;
use super::people::People;
use super::TimeTable;
use crate::calendar::Calendar;
use crate::plan::Plan;

/// Per metric (an index into the plan's metrics), per org leaf: the index in
/// `tables` of the leaf's time table. `metric_table` gives each shared
/// metric's own table (`None` for a level); tables made for people are
/// pushed onto `tables`. Metrics that are not shared get no entries.
pub(super) fn leaf_tables(
    plan: &Plan,
    calendar: &Calendar,
    people: &People<'_>,
    paths: &Paths<'_>,
    metric_table: &[Option<usize>],
    tables: &mut Vec<TimeTable>,
) -> Vec<Vec<usize>> {
    // People of one team with the same dates and ramp follow the same days.
    type Seat<'a> = (&'a [&'a str], Option<NaiveDate>, Option<NaiveDate>, &'a [Decimal], bool);
    let leaves = paths.len();
    let mut leaf_tables: Vec<Vec<usize>> = vec![Vec::new(); plan.metrics.len()];
    for (i, t) in metric_table.iter().enumerate() {
        let Some(t) = *t else { continue };
        leaf_tables[i] = vec![t; leaves];
        let Some(d) = people.dated else { continue };
        let days = super::people::day_shares(calendar, &tables[t]);
        let split = &plan.splits[d];
        let mut teams: HashMap<&[&str], super::people::Team> = HashMap::new();
        let mut made: HashMap<Seat<'_>, usize> = HashMap::new();
        // Each set's members by name, built once: a search per leaf would be quadratic in a team.
        // Keyed by the set's place in the split (`None`: its default members).
        let mut positions: HashMap<Option<usize>, HashMap<&str, usize>> = HashMap::new();
        for (leaf, path) in paths.iter().enumerate() {
            let parent = split.parent.map(|p| path[p]);
            let set = split.members_for(parent).expect("a leaf's parent has members");
            let index = positions
                .entry(parent.and_then(|p| split.within_position(p)))
                .or_insert_with(|| set.members.iter().enumerate().map(|(i, m)| (m.name.as_str(), i)).collect());
            let member = index[path[d]];
            let m = &set.members[member];
            let key =
                (&path[..d], m.person().start, m.person().end, &m.person().ramp[..], m.name == crate::plan::VACANT);
            if let Some(&own) = made.get(&key) {
                leaf_tables[i][leaf] = own;
                continue;
            }
            let team = teams.entry(&path[..d]).or_insert_with(|| people.team(set));
            let own = match people.profile(set, team, member, &days) {
                Some(weights) => {
                    let own = super::people::table_from_days(calendar, &tables[t], &weights);
                    tables.push(own);
                    tables.len() - 1
                }
                None => t,
            };
            made.insert(key, own);
            leaf_tables[i][leaf] = own;
        }
    }
    leaf_tables
}
