//! The exact reference, written from the brief alone (it never calls the
//! library): every node's exact value along the cascade (splits in order,
//! then year -> quarter -> month -> week -> day) as an integer fraction of
//! rounding units, its calendar derived with chrono, and the brief's one
//! rounding rule applied top-down.

use std::ops::Range;

use chrono::{Datelike, Months, NaiveDate};
use num_bigint::BigUint;
use num_traits::{One, ToPrimitive, Zero};

use crate::model::{Dec, PlanSpec, SetSpec, Share, Spread};

/// An exact non-negative value `num / den` in rounding units (not reduced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exact {
    pub num: BigUint,
    pub den: BigUint,
}

impl Exact {
    pub fn units(u: u128) -> Exact {
        Exact { num: BigUint::from(u), den: BigUint::one() }
    }

    pub fn floor(&self) -> u128 {
        (&self.num / &self.den).to_u128().expect("fits in u128")
    }

    pub fn ceil(&self) -> u128 {
        let f = self.floor();
        if BigUint::from(f) * &self.den == self.num {
            f
        } else {
            f + 1
        }
    }

    /// Whether `v` is the floor or the ceiling of the value.
    pub fn admits(&self, v: u128) -> bool {
        self.floor() <= v && v <= self.ceil()
    }

    pub fn is_zero(&self) -> bool {
        self.num.is_zero()
    }

    /// `12 + 1/3`-style text for messages.
    pub fn describe(&self) -> String {
        let f = self.floor();
        let rem = &self.num - BigUint::from(f) * &self.den;
        if rem.is_zero() {
            format!("{f}")
        } else {
            format!("{f} + {rem}/{}", self.den)
        }
    }
}

/// A child's claim on its parent.
#[derive(Clone, Debug)]
pub enum RefShare {
    Fixed(u128),
    Weight(BigUint),
}

/// The brief's rounding: each child gets the floor of its exact value; the
/// `p - sum(floors)` leftover units go one each to the largest fractional
/// parts, ties to the child written first. `p` must be the floor or the
/// ceiling of `e`. Fixed children are exact as written; weighted ones share
/// what is left by weight.
pub fn apportion(p: u128, e: &Exact, shares: &[RefShare]) -> Result<Vec<(u128, Exact)>, String> {
    let fixed: u128 = shares.iter().map(|s| if let RefShare::Fixed(u) = s { *u } else { 0 }).sum();
    let wsum: BigUint =
        shares.iter().map(|s| if let RefShare::Weight(w) = s { w.clone() } else { BigUint::zero() }).sum();
    let fixed_scaled = BigUint::from(fixed) * &e.den;
    if fixed_scaled > e.num {
        return Err(format!("fixed amounts {fixed} exceed the parent {}", e.describe()));
    }
    let rest = &e.num - &fixed_scaled;
    if wsum.is_zero() && !rest.is_zero() {
        return Err(format!("{} to share but every weight is zero", e.describe()));
    }
    let den = &e.den * &wsum;
    let mut out = Vec::with_capacity(shares.len());
    // Fractional parts, all over `den` (weighted children only).
    let mut rems: Vec<Option<BigUint>> = Vec::with_capacity(shares.len());
    let mut floors: u128 = 0;
    for s in shares {
        match s {
            RefShare::Fixed(u) => {
                out.push((*u, Exact::units(*u)));
                rems.push(None);
                floors += u;
            }
            RefShare::Weight(_) if wsum.is_zero() => {
                out.push((0, Exact::units(0)));
                rems.push(None);
            }
            RefShare::Weight(w) => {
                let num = &rest * w;
                let q = &num / &den;
                let r = &num - &q * &den;
                let q = q.to_u128().expect("fits in u128");
                floors += q;
                rems.push(if r.is_zero() { None } else { Some(r) });
                out.push((q, Exact { num, den: den.clone() }));
            }
        }
    }
    let leftover =
        p.checked_sub(floors).ok_or_else(|| format!("parent {p} is below the children's floors {floors}"))?;
    let mut order: Vec<usize> = (0..shares.len()).filter(|&i| rems[i].is_some()).collect();
    if leftover as usize > order.len() {
        return Err(format!("parent {p} is above the ceiling of {}", e.describe()));
    }
    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]).then(a.cmp(&b)));
    for &i in order.iter().take(leftover as usize) {
        out[i].0 += 1;
    }
    Ok(out)
}

/// Integer weights with the same ratios as decimal weights.
fn integer_weights(ws: &[Dec]) -> Vec<BigUint> {
    let scale = ws.iter().map(|w| w.scale).max().unwrap_or(0);
    ws.iter().map(|w| BigUint::from(w.mant) * BigUint::from(10u8).pow(scale - w.scale)).collect()
}

fn set_shares(set: &SetSpec) -> Vec<RefShare> {
    let weights: Vec<Dec> = set
        .members
        .iter()
        .filter_map(|m| match m.share {
            Share::Weight(n) => Some(n.v),
            Share::Fixed { .. } => None,
        })
        .collect();
    let mut ints = integer_weights(&weights).into_iter();
    set.members
        .iter()
        .map(|m| match m.share {
            Share::Weight(_) => RefShare::Weight(ints.next().expect("one per weight")),
            Share::Fixed { units, .. } => RefShare::Fixed(units),
        })
        .collect()
}

/// A node of the org tree (the company, or a member under a parent path).
#[derive(Clone, Debug)]
pub struct OrgNode {
    pub path: Vec<String>,
    pub parent: Option<usize>,
    /// The member's weight; `None` for the company and for fixed members.
    pub weight: Option<Dec>,
    pub units: u128,
    pub exact: Exact,
    pub leaf: bool,
}

/// The org tree in cascade order (depth first, members in order).
pub fn org(spec: &PlanSpec) -> Result<Vec<OrgNode>, String> {
    let mut nodes = vec![OrgNode {
        path: Vec::new(),
        parent: None,
        weight: None,
        units: spec.total,
        exact: Exact::units(spec.total),
        leaf: false,
    }];
    descend(spec, 0, 0, &mut nodes)?;
    Ok(nodes)
}

fn descend(spec: &PlanSpec, depth: usize, at: usize, nodes: &mut Vec<OrgNode>) -> Result<(), String> {
    if depth == spec.splits.len() {
        nodes[at].leaf = true;
        return Ok(());
    }
    let parent = nodes[at].path.last().cloned();
    let Some(set) = spec.splits[depth].set_for(parent.as_deref()) else {
        if !nodes[at].exact.is_zero() {
            return Err(format!("reference: {:?} has a share but no members", nodes[at].path));
        }
        return Ok(());
    };
    let parts = apportion(nodes[at].units, &nodes[at].exact, &set_shares(set))?;
    for (m, (units, exact)) in set.members.iter().zip(parts) {
        let mut path = nodes[at].path.clone();
        path.push(m.name.clone());
        let weight = match m.share {
            Share::Weight(n) => Some(n.v),
            Share::Fixed { .. } => None,
        };
        nodes.push(OrgNode { path, parent: Some(at), weight, units, exact, leaf: false });
        let me = nodes.len() - 1;
        descend(spec, depth + 1, me, nodes)?;
    }
    Ok(())
}

/// A period of the reference calendar.
#[derive(Clone, Debug)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub weight: Dec,
    pub parent: Option<usize>,
    pub children: Range<usize>,
}

/// The plan year's time tree: year, quarters, months, weeks, days.
pub struct Calendar {
    pub levels: [Vec<Period>; 5],
    /// Per level 0..4 and period, its children's integer weights.
    shares: Vec<Vec<Vec<RefShare>>>,
}

impl Calendar {
    pub fn new(spec: &PlanSpec) -> Calendar {
        let fy = if spec.fiscal() { "FY" } else { "" };
        let start = spec.start();
        let mut quarters: Vec<Period> = Vec::new();
        let mut months: Vec<Period> = Vec::new();
        let mut weeks: Vec<Period> = Vec::new();
        let mut days: Vec<Period> = Vec::new();
        for q in 0..4usize {
            let first_month = months.len();
            for fi in 3 * q..3 * q + 3 {
                let m_start = start.checked_add_months(Months::new(fi as u32)).expect("date");
                let m_end =
                    start.checked_add_months(Months::new(fi as u32 + 1)).expect("date").pred_opt().expect("date");
                let m_label = format!("{:04}-{:02}", m_start.year(), m_start.month());
                let m_index = months.len();
                let first_week = weeks.len();
                let mut day_sum = Dec::int(0);
                let mut d = m_start;
                while d <= m_end {
                    if d == m_start || d.weekday() == spec.week_start() {
                        let n = weeks.len() - first_week + 1;
                        weeks.push(Period {
                            label: format!("{m_label}-W{n}"),
                            start: d,
                            end: d,
                            weight: Dec::int(0),
                            parent: Some(m_index),
                            children: days.len()..days.len(),
                        });
                    }
                    let w = spec.day_weight(d);
                    day_sum = day_sum.add(w);
                    let week_index = weeks.len() - 1;
                    let week = weeks.last_mut().expect("a week");
                    week.end = d;
                    week.weight = week.weight.add(w);
                    week.children.end += 1;
                    days.push(Period {
                        label: format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
                        start: d,
                        end: d,
                        weight: w,
                        parent: Some(week_index),
                        children: 0..0,
                    });
                    d = d.succ_opt().expect("date");
                }
                let weight = match (&spec.months, spec.spread()) {
                    (Some(given), _) => given[fi].v,
                    (None, Spread::Even) => Dec::int(1),
                    (None, _) => day_sum,
                };
                months.push(Period {
                    label: m_label,
                    start: m_start,
                    end: m_end,
                    weight,
                    parent: Some(q),
                    children: first_week..weeks.len(),
                });
            }
            let m_sum = months[first_month..].iter().fold(Dec::int(0), |acc, m| acc.add(m.weight));
            quarters.push(Period {
                label: format!("{fy}{}-Q{}", spec.year, q + 1),
                start: months[first_month].start,
                end: months[months.len() - 1].end,
                weight: spec.quarters.as_ref().map_or(m_sum, |qs| qs[q].v),
                parent: Some(0),
                children: first_month..months.len(),
            });
        }
        let year = Period {
            label: format!("{fy}{}", spec.year),
            start: quarters[0].start,
            end: quarters[3].end,
            weight: quarters.iter().fold(Dec::int(0), |acc, q| acc.add(q.weight)),
            parent: None,
            children: 0..4,
        };
        let levels = [vec![year], quarters, months, weeks, days];
        let shares = (0..4)
            .map(|l| {
                levels[l]
                    .iter()
                    .map(|p| {
                        let ws: Vec<Dec> = levels[l + 1][p.children.clone()].iter().map(|c| c.weight).collect();
                        integer_weights(&ws).into_iter().map(RefShare::Weight).collect()
                    })
                    .collect()
            })
            .collect();
        Calendar { levels, shares }
    }

    /// Shares a leaf's value down the time tree: per level, per period,
    /// (rounded units, exact value).
    pub fn spread(&self, units: u128, exact: &Exact) -> Result<Vec<Vec<(u128, Exact)>>, String> {
        let mut out: Vec<Vec<(u128, Exact)>> = vec![vec![(units, exact.clone())]];
        for l in 0..4 {
            let mut next = Vec::with_capacity(self.levels[l + 1].len());
            for (i, (u, e)) in out[l].iter().enumerate() {
                next.extend(
                    apportion(*u, e, &self.shares[l][i]).map_err(|m| format!("{}: {m}", self.levels[l][i].label))?,
                );
            }
            out.push(next);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(v: u32) -> RefShare {
        RefShare::Weight(BigUint::from(v))
    }

    #[test]
    fn the_brief_examples() {
        let thirds = apportion(250_000_000, &Exact::units(250_000_000), &[w(1), w(1), w(1)]).unwrap();
        let units: Vec<u128> = thirds.iter().map(|p| p.0).collect();
        assert_eq!(units, [83_333_334, 83_333_333, 83_333_333]);
        let units: Vec<u128> = apportion(10, &Exact::units(10), &[w(1), w(2)]).unwrap().iter().map(|p| p.0).collect();
        assert_eq!(units, [3, 7]);
        let fixed = apportion(100, &Exact::units(100), &[RefShare::Fixed(40), w(1), w(2)]).unwrap();
        assert_eq!(fixed.iter().map(|p| p.0).collect::<Vec<_>>(), [40, 20, 40]);
    }
}
