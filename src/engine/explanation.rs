//! Stage `engine`: how one figure was reached — every step of the cascade
//! from the plan's total down to the cell, with the weight, the share, the
//! exact value and why it was rounded up or down. Renderers only format it.

use rust_decimal::Decimal;

use super::{Engine, Leaf};
use crate::allocate::{Apportioner, Exact, TableRow};
use crate::calendar::Level;
use crate::diagnostic::{suggest, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::{MemberShare, Precision};

/// What a step's share rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The plan's total.
    Total,
    /// A relative weight among siblings (a percentage is its number).
    Weight {
        /// This member's weight.
        weight: Decimal,
        /// The weights of the siblings sharing the same amount, this one included.
        siblings: Decimal,
        /// `weight / siblings`, the share of what the siblings share (0 when they all weigh 0).
        share: Decimal,
    },
    /// A fixed amount (`fixed`), taken off the top.
    Fixed(Decimal),
    /// A held period (`[time.fixed]`): this member's share of the hold.
    Held(Decimal),
}

/// How a step was rounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// The exact value is a whole number of units.
    Exact,
    /// Rounded up: its fraction ranked `rank` (1 = largest) among the
    /// `fractions` siblings with one, and `leftover` units went to the largest.
    Up { rank: usize, fractions: usize, leftover: u128 },
    /// Rounded down, for the same reasons.
    Down { rank: usize, fractions: usize, leftover: u128 },
    /// Rounded together with every other member so that a hold is kept.
    Held { up: bool },
}

/// One step of the cascade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The dimension or time level (`region`, `quarter`).
    pub level: String,
    /// The member or period (`华东`, `2026-Q1`).
    pub member: String,
    /// What the share rests on.
    pub basis: Basis,
    /// The parent's figure, rounded, as an amount.
    pub parent: Decimal,
    /// The parent's exact value, in units: the share applies to it.
    pub parent_exact: Exact,
    /// The exact value, in units (a fraction).
    pub exact: Exact,
    /// The rounded figure, as an amount.
    pub figure: Decimal,
    /// Why it was rounded as it was.
    pub rounding: Rounding,
}

/// How one cell's figure was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The metric's name.
    pub metric: String,
    /// The plan's currency (may be empty).
    pub currency: String,
    /// The plan's rounding unit.
    pub precision: Precision,
    /// (dimension, member) of the cell, then (`period`, label).
    pub cell: Vec<(String, String)>,
    /// The cell's figure.
    pub figure: Decimal,
    /// The steps from the total down to the cell; empty for a sum.
    pub steps: Vec<Step>,
    /// For a cell that is a sum of cascade cells (a region's March when the
    /// region is split further): the cells summed and their figures.
    pub sum_of: Vec<(Vec<String>, Decimal)>,
}

impl Engine<'_> {
    /// Explains the cell named by `spec`: `region=华东,salesperson=张伟,period=2026-03`
    /// (splits by name; `period` is any period label, default the year).
    pub fn explain(&self, spec: &str) -> Result<Explanation> {
        let plan = self.plan;
        let mut members: Vec<Option<String>> = vec![None; plan.splits.len()];
        let mut period_label: Option<String> = None;
        let names: Vec<&str> = plan.splits.iter().map(|s| s.by.as_str()).chain(["period"]).collect();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(Error::invalid(
                    Diagnostic::new(format!("--cell `{pair}` is not name=value"))
                        .help(format!("name the cell like --cell {}=…,period=2026-03", names[0])),
                ));
            };
            let (key, value) = (key.trim(), value.trim().to_string());
            match names.iter().position(|n| *n == key) {
                Some(i) if i == plan.splits.len() => period_label = Some(value),
                Some(i) => members[i] = Some(value),
                None => {
                    let help = match suggest(key, names.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? The names are: {}", names.join(", ")),
                        None => format!("the names are: {}", names.join(", ")),
                    };
                    return Err(Error::invalid(
                        Diagnostic::new(format!("--cell names `{key}`, which is not a split of this plan")).help(help),
                    ));
                }
            }
        }
        let (level, index) = match &period_label {
            None => (Level::Year, 0),
            Some(label) => self.calendar.find(label).ok_or_else(|| {
                Error::invalid(Diagnostic::new(format!("--cell period {label} is not a period of this plan")).help(
                    format!(
                        "write a label such as {}, {} or {}",
                        self.calendar.year().label,
                        self.calendar.level(Level::Quarter)[0].label,
                        self.calendar.level(Level::Month)[0].label
                    ),
                ))
            })?,
        };
        let matches = |leaf: &Leaf| members.iter().zip(&leaf.path).all(|(m, p)| m.as_ref().is_none_or(|m| m == p));
        let found: Vec<usize> = (0..self.leaves.len()).filter(|&i| matches(&self.leaves[i])).collect();
        if found.is_empty() {
            return Err(Error::invalid(
                Diagnostic::new(format!("no cell of this plan has {spec}"))
                    .help("check the member names; `salesplit decompose --format csv` lists every cell"),
            ));
        }
        let p = plan.precision;
        let mut cell: Vec<(String, String)> = plan
            .splits
            .iter()
            .zip(&members)
            .filter_map(|(s, m)| m.as_ref().map(|m| (s.by.clone(), m.clone())))
            .collect();
        cell.push(("period".to_string(), self.calendar.period(level, index).label.clone()));
        // A cascade node: every split named (or only a prefix, at the year).
        let depth = members.iter().take_while(|m| m.is_some()).count();
        let is_node =
            members[depth..].iter().all(|m| m.is_none()) && (depth == plan.splits.len() || level == Level::Year);
        if !is_node || found.len() > 1 && level != Level::Year {
            let mut sum_of = Vec::new();
            let mut total = 0u128;
            for &i in &found {
                let units = self.leaf_units_at(i, level, index);
                total += units;
                sum_of.push((self.leaves[i].path.iter().map(|s| s.to_string()).collect(), p.to_amount(units)));
            }
            return Ok(Explanation {
                metric: plan.metric.name.clone(),
                currency: plan.currency.clone(),
                precision: p,
                cell,
                figure: p.to_amount(total),
                steps: Vec::new(),
                sum_of,
            });
        }
        let mut steps = vec![Step {
            level: "total".to_string(),
            member: plan.metric.name.clone(),
            basis: Basis::Total,
            parent: p.to_amount(plan.total_units()),
            parent_exact: Exact::from_units(plan.total_units()),
            exact: Exact::from_units(plan.total_units()),
            figure: p.to_amount(plan.total_units()),
            rounding: Rounding::Exact,
        }];
        let leaf = found[0];
        let path = &self.leaves[leaf].path;
        let mut apportioner = Apportioner::default();
        let mut parts = Vec::new();
        let (mut units, mut exact) = (plan.total_units(), Exact::from_units(plan.total_units()));
        for (d, split) in plan.splits.iter().enumerate().take(depth) {
            let parent = split.parent.map(|i| path[i]);
            let set = split.members_for(parent).expect("a leaf's parents have members");
            let shares = super::set_shares(set, p);
            let row = apportioner.table_row(units, &exact, &shares, &mut parts).expect("the plan ran");
            let k = set.members.iter().position(|m| m.name == path[d]).expect("the leaf's member");
            let weights: Decimal =
                set.members.iter().map(|m| if let MemberShare::Weight(w) = m.share { w } else { Decimal::ZERO }).sum();
            let basis = match set.members[k].share {
                MemberShare::Weight(w) => Basis::Weight { weight: w, siblings: weights, share: share_of(w, weights) },
                MemberShare::Fixed(a) => Basis::Fixed(a),
            };
            steps.push(step(
                &split.by,
                path[d],
                basis,
                (units, &exact),
                &parts[k].exact,
                parts[k].units,
                rounding(&row, k, parts[k].units),
                p,
            ));
            units = parts[k].units;
            exact = parts[k].exact.clone();
        }
        // Down the time tree to the period.
        let mut chain = vec![(level, index)];
        while let Some(parent) = self.calendar.period(chain[chain.len() - 1].0, chain[chain.len() - 1].1).parent {
            let l = chain[chain.len() - 1].0.coarser().expect("has a parent level");
            chain.push((l, parent));
        }
        chain.reverse();
        for w in chain.windows(2) {
            let ((pl, pi), (cl, ci)) = (w[0], w[1]);
            let shares = &self.time_shares[pl.index()][pi];
            let row = apportioner.table_row(units, &exact, shares, &mut parts).expect("the plan ran");
            let k = ci - self.calendar.period(pl, pi).children.start;
            let held = self.held_cells.get(&(pl, pi)).map(|rows| rows[leaf][k]);
            let child = self.calendar.period(cl, ci);
            let siblings: Decimal = self.calendar.children(pl, pi).iter().map(|c| c.weight).sum();
            let hold = plan.holds.iter().find(|h| h.label == child.label);
            let basis = match hold {
                Some(h) => Basis::Held(h.amount),
                None => Basis::Weight { weight: child.weight, siblings, share: share_of(child.weight, siblings) },
            };
            let got = held.unwrap_or(parts[k].units);
            let r = if held.is_some() {
                Rounding::Held { up: got > u128::try_from(&parts[k].exact.floor_rem().0).unwrap_or(0) }
            } else {
                rounding(&row, k, got)
            };
            steps.push(step(
                self.calendar.level_name(cl),
                &child.label,
                basis,
                (units, &exact),
                &parts[k].exact,
                got,
                r,
                p,
            ));
            units = got;
            exact = parts[k].exact.clone();
        }
        Ok(Explanation {
            metric: plan.metric.name.clone(),
            currency: plan.currency.clone(),
            precision: p,
            cell,
            figure: p.to_amount(units),
            steps,
            sum_of: Vec::new(),
        })
    }

    /// A leaf's rounded figure at one period.
    fn leaf_units_at(&self, leaf: usize, level: Level, index: usize) -> u128 {
        let mut scratch: Vec<super::LevelScratch> =
            (0..Level::ALL.len()).map(|_| super::LevelScratch::default()).collect();
        let mut series = Vec::new();
        let l = &self.leaves[leaf];
        self.spread(leaf, Level::Year, 0, l.units, &l.exact, level, &mut series, &mut scratch);
        series[index]
    }
}

#[allow(clippy::too_many_arguments)]
fn step(
    level: &str,
    member: &str,
    basis: Basis,
    parent: (u128, &Exact),
    exact: &Exact,
    units: u128,
    rounding: Rounding,
    p: Precision,
) -> Step {
    Step {
        level: level.to_string(),
        member: member.to_string(),
        basis,
        parent: p.to_amount(parent.0),
        parent_exact: parent.1.clone(),
        exact: exact.clone(),
        figure: p.to_amount(units),
        rounding,
    }
}

/// `part / whole`, or 0 when the whole is 0.
fn share_of(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        Decimal::ZERO
    } else {
        part / whole
    }
}

/// Why child `k` of a rounded row got `units`.
fn rounding(row: &TableRow, k: usize, units: u128) -> Rounding {
    let (floor, rank) = row.cells[k];
    let fractions = row.cells.iter().filter(|(_, r)| r.is_some()).count();
    let leftover = row.total - row.cells.iter().map(|(f, _)| f).sum::<u128>();
    match rank {
        None => Rounding::Exact,
        Some(r) if units > floor => Rounding::Up { rank: r + 1, fractions, leftover },
        Some(r) => Rounding::Down { rank: r + 1, fractions, leftover },
    }
}
