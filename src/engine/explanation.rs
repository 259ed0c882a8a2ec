//! Stage `engine`: how one figure was reached — every step of the cascade
//! from the plan's total down to the cell, with the weight, the share, the
//! exact value and why it was rounded up or down. Renderers only format it.

mod cell_spec;
mod steps;

use crate::plan::FunnelStage;
pub use steps::{Basis, Explanation, Rounding, Step};

use rust_decimal::Decimal;

use super::org_tree::chain;
use super::{Engine, Source};
use crate::allocate::{Apportioner, Exact, TableRow};
use crate::calendar::{Calendar, Level};
use crate::diagnostic::{suggest, Code, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::Units;
use crate::plan::{thousands, MemberShare, Precision};

/// A `--cell` text for the cascade cell `path` (one member per split) in
/// `period`: `region=华东,salesperson="Smith, John",period=2026-03`, each
/// value in double quotes when it holds a comma, a quote, an `=` or spaces
/// at its ends, so that `--cell` reads it back as written.
pub fn cell_text(splits: &[String], path: &[String], period: Option<&str>) -> String {
    let quoted = |v: &str| {
        if v.contains([',', '"', '=']) || v.trim() != v || v.is_empty() {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_string()
        }
    };
    let mut items: Vec<String> = splits.iter().zip(path).map(|(s, m)| format!("{s}={}", quoted(m))).collect();
    items.extend(period.map(|p| format!("period={p}")));
    items.join(",")
}

impl Engine<'_> {
    /// Why no cell has the `members` named (each a member of its split):
    /// the first named member that is not under the ones named before it,
    /// and where the plan has it.
    fn not_under(&self, members: &[Option<String>], spec: &str) -> Error {
        let plan = self.plan;
        let named: Vec<usize> = (0..members.len()).filter(|&i| members[i].is_some()).collect();
        let fits = |upto: usize, path: &[&str]| {
            named.iter().filter(|&&i| i <= upto).all(|&i| members[i].as_deref() == Some(path[i]))
        };
        let Some(&bad) = named.iter().find(|&&k| !self.paths.iter().any(|p| fits(k, p))) else {
            return Error::invalid(
                Diagnostic::new(Code::UnknownCell, format!("no cell of this plan has {spec}"))
                    .help("check the member names; `salesplit decompose --format csv` lists every cell"),
            );
        };
        let member = members[bad].as_deref().unwrap_or_default();
        let parents: Vec<String> = named
            .iter()
            .filter(|&&i| i < bad)
            .map(|&i| format!("{} `{}`", plan.splits[i].by, members[i].as_deref().unwrap_or_default()))
            .collect();
        let mut diagnostic = Diagnostic::new(
            Code::UnknownCell,
            format!("{} `{member}` is not in the plan under {}", plan.splits[bad].by, parents.join(", ")),
        );
        if let Some(path) = self.paths.iter().find(|p| p[bad] == member) {
            let there: Vec<String> =
                named.iter().filter(|&&i| i < bad).map(|&i| format!("{} `{}`", plan.splits[i].by, path[i])).collect();
            let splits: Vec<String> = plan.splits.iter().map(|s| s.by.clone()).collect();
            let path: Vec<String> = path.iter().map(std::string::ToString::to_string).collect();
            diagnostic = diagnostic.help(format!(
                "in the plan, {} `{member}` is under {}: e.g. --cell '{}'",
                plan.splits[bad].by,
                there.join(", "),
                cell_text(&splits, &path, None)
            ));
        }
        Error::invalid(diagnostic)
    }

    /// Explains the cell named by `spec`: `region=华东,salesperson=张伟,period=2026-03`
    /// (splits by name; `period` is any period label, default the year), for
    /// the column `metric` (default: the first column as written, which is
    /// what a reader of the output sees first; not necessarily
    /// [`crate::plan::Plan::reference`]).
    pub fn explain(&self, spec: &str, metric: Option<&str>) -> Result<Explanation> {
        self.explain_cell(&[spec.to_string()], metric)
    }

    /// As [`Engine::explain`], for the cell that the `--cell` texts name
    /// together (see `explanation::cell_spec` for their grammar: bare members, quotes).
    ///
    /// # Panics
    ///
    /// Never on an engine built from a valid plan: the rounding it replays succeeded when the plan ran.
    pub fn explain_cell(&self, texts: &[String], metric: Option<&str>) -> Result<Explanation> {
        let spec = texts.join(",");
        let plan = self.plan;
        let column = match metric {
            None => 0,
            Some(name) => self.series.iter().position(|s| s.column.name == name).ok_or_else(|| {
                let names: Vec<&str> = self.series.iter().map(|s| s.column.name.as_str()).collect();
                let help = match suggest(name, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? The metrics are: {}", names.join(", ")),
                    None => format!("the metrics are: {}", names.join(", ")),
                };
                Error::invalid(
                    Diagnostic::new(Code::UnknownMetricFlag, format!("--metric `{name}` is not a column of this plan"))
                        .help(help),
                )
            })?,
        };
        let series = &self.series[column];
        // A `_base` column is its metric before over-assignment.
        let name = &series.column.name;
        let base_of = name.strip_suffix("_base").and_then(|m| plan.metrics.iter().position(|x| x.name == m));
        let (metric_index, assign) = match plan.metrics.iter().position(|m| &m.name == name) {
            Some(i) => (Some(i), true),
            None => (base_of, false),
        };
        if let Source::Level(_) = series.source {
            return Err(Error::invalid(
                Diagnostic::new(
                    Code::MetricIsLevel,
                    format!("`{}` is a level: it is not shared, so there is nothing to explain", series.column.name),
                )
                .help("every member has the level of its period, as the plan's `value` and `path` say"),
            ));
        }
        let split_members: Vec<(&str, Vec<&str>)> =
            plan.splits.iter().map(|s| (s.by.as_str(), s.member_names())).collect();
        let cell_spec::CellSpec { members, period: period_label } =
            cell_spec::resolve(texts, &split_members, |label| self.calendar.find(label).is_some())?;
        let (level, index) = match &period_label {
            None => (Level::Year, 0),
            Some(label) => self.calendar.find(label).ok_or_else(|| {
                Error::invalid(
                    Diagnostic::new(Code::UnknownCell, format!("--cell period {label} is not a period of this plan"))
                        .help(format!(
                            "write a label such as {}, {} or {}",
                            self.calendar.year().label,
                            self.calendar.level(Level::Quarter)[0].label,
                            self.calendar.level(Level::Month)[0].label
                        )),
                )
            })?,
        };
        let matches = |path: &[&str]| members.iter().zip(path).all(|(m, p)| m.as_ref().is_none_or(|m| m == p));
        let found: Vec<usize> = (0..self.paths.len()).filter(|&i| matches(&self.paths[i])).collect();
        if found.is_empty() {
            return Err(self.not_under(&members, &spec));
        }
        let p = series.precision;
        let mut cell: Vec<(String, String)> = plan
            .splits
            .iter()
            .zip(&members)
            .filter_map(|(s, m)| m.as_ref().map(|m| (s.by.clone(), m.clone())))
            .collect();
        cell.push(("period".to_string(), self.calendar.period(level, index).label.clone()));
        // A cascade node: every split named (or only a prefix, at the year).
        let depth = members.iter().take_while(|m| m.is_some()).count();
        // A funnel stage is worked out per org leaf: anything coarser is a sum.
        let stage = plan
            .funnel
            .as_ref()
            .and_then(|f| f.stages.iter().position(|s| s.name == series.column.name).map(|i| (f, i)));
        let is_node = members[depth..].iter().all(std::option::Option::is_none)
            && (depth == plan.splits.len() || level == Level::Year && stage.is_none());
        let explanation = |figure, steps, sum_of| Explanation {
            metric: series.column.name.clone(),
            currency: if series.column.kind == super::ColumnKind::Amount {
                plan.currency.clone()
            } else {
                String::new()
            },
            precision: p,
            cell: cell.clone(),
            figure,
            steps,
            sum_of,
            splits: plan.splits.iter().map(|s| s.by.clone()).collect(),
        };
        if !is_node || found.len() > 1 && level != Level::Year {
            let mut sum_of = Vec::new();
            let mut total = 0u128;
            for &i in &found {
                let units = self.leaf_units_at(column, i, level, index);
                total += units;
                sum_of.push((
                    self.paths[i].iter().map(std::string::ToString::to_string).collect(),
                    p.to_amount(Units(units)),
                ));
            }
            return Ok(explanation(p.to_amount(Units(total)), Vec::new(), sum_of));
        }
        let leaf = found[0];
        let path = &self.paths[leaf];
        let mut apportioner = Apportioner::default();
        let mut parts = Vec::new();
        let metric_index = metric_index.unwrap_or(0);
        let (mut steps, mut units, mut exact) = match stage {
            Some((funnel, i)) => self.funnel_step(funnel, i, leaf, p),
            None => (Vec::new(), 0, Exact::from_units(0)),
        };
        if stage.is_none() {
            let total = plan.units_of(&plan.metrics[metric_index]).0;
            steps = vec![Step {
                level: "total".to_string(),
                member: plan.metrics[metric_index].name.clone(),
                basis: Basis::Total,
                parent: p.to_amount(Units(total)),
                parent_exact: Exact::from_units(total),
                exact: Exact::from_units(total),
                figure: p.to_amount(Units(total)),
                rounding: Rounding::Exact,
                parent_digits: amount_digits(&Exact::from_units(total), p),
                exact_digits: amount_digits(&Exact::from_units(total), p),
            }];
            let reference = &plan.metrics[plan.reference()].name;
            let follows = metric_index != plan.reference();
            (units, exact) = (total, Exact::from_units(total));
            for org in chain(plan, &self.people, &path[..depth], metric_index, assign)? {
                let split = &plan.splits[org.split];
                if org.parent.1 != exact {
                    // Over-assigned: the parent was raised before sharing.
                    let rate = split.over_assign.as_ref().map_or(Decimal::ZERO, |(r, _)| *r);
                    steps.push(step(
                        &split.by,
                        "(over-assigned)",
                        Basis::OverAssign(rate),
                        (units, &exact),
                        &org.parent.1,
                        org.parent.0,
                        nearest(&org.parent.1, org.parent.0),
                        p,
                    ));
                }
                let row =
                    apportioner.table_row(org.parent.0, &org.parent.1, &org.shares, &mut parts).expect("the plan ran");
                let k = org.member;
                let set = org.set;
                let basis = if let (Some(people), false) = (&org.people, follows) {
                    let weight = if let MemberShare::Weight(w) = set.members[k].share { w } else { Decimal::ZERO };
                    Basis::Person {
                        weight,
                        share: exact_share(&people.uncapped[k], &Exact::from_units(1)),
                        reasons: people.reasons[k].clone(),
                        adjustment: people.adjustments[k].clone(),
                    }
                } else if follows {
                    Basis::Mix { metric: reference.clone(), share: exact_share(&org.parts[k].exact, &org.parent.1) }
                } else {
                    let weights: Decimal = set
                        .members
                        .iter()
                        .map(|m| if let MemberShare::Weight(w) = m.share { w } else { Decimal::ZERO })
                        .sum();
                    match set.members[k].share {
                        MemberShare::Weight(w) => {
                            Basis::Weight { weight: w, siblings: weights, share: share_of(w, weights) }
                        }
                        MemberShare::Fixed(a) => Basis::Fixed(a),
                    }
                };
                steps.push(step(
                    &split.by,
                    path[org.split],
                    basis,
                    (org.parent.0, &org.parent.1),
                    &parts[k].exact,
                    parts[k].units,
                    rounding(&row, k, parts[k].units),
                    p,
                ));
                units = parts[k].units;
                exact = parts[k].exact.clone();
            }
        }
        let Source::Shared { tables, held, base, .. } = &series.source else { unreachable!("levels returned above") };
        let table = &self.tables[tables[leaf]];
        // A metric with its own time weights (a funnel stage: its money's) is
        // spread by its own calendar's weights.
        let timed = match stage {
            Some((funnel, _)) => &plan.metrics[funnel.metric],
            None => &plan.metrics[metric_index],
        };
        let own = match timed.time {
            Some(_) => Some(Calendar::build(&plan.calendar_of(timed)).map_err(|_| {
                Error::invalid(
                    Diagnostic::new(Code::Internal, "the metric's calendar cannot be built")
                        .help("run `salesplit validate`"),
                )
            })?),
            None => None,
        };
        let weights = own.as_ref().unwrap_or(&self.calendar);
        let in_seat = tables[leaf] != *base;
        // Down the time tree to the period.
        let mut chain = vec![(level, index)];
        while let Some(parent) = self.calendar.period(chain[chain.len() - 1].0, chain[chain.len() - 1].1).parent {
            let l = chain[chain.len() - 1].0.coarser().expect("has a parent level");
            chain.push((l, parent));
        }
        chain.reverse();
        // Contract v2: the leaf's figures of every period, rounded with its
        // siblings against its org parent's (see `cross_cuts.rs`).
        let controlled = self.controlled_leaf(column, leaf, level);
        let parent_node = {
            let path = &self.paths[leaf];
            let common = |other: usize| path.iter().zip(&self.paths[other]).take_while(|(a, b)| a == b).count();
            let before = leaf.checked_sub(1).map_or(0, common);
            let after = if leaf + 1 < self.paths.len() { common(leaf + 1) } else { 0 };
            let depth = before.max(after);
            if depth == 0 {
                "the company".to_string()
            } else {
                path[..depth].join(" / ")
            }
        };
        for w in chain.windows(2) {
            let ((pl, pi), (cl, ci)) = (w[0], w[1]);
            let shares = &table[pl.index()][pi];
            let row = apportioner.table_row(units, &exact, shares, &mut parts).expect("the plan ran");
            let k = ci - self.calendar.period(pl, pi).children.start;
            let held = held.get(&(pl, pi)).map(|rows| rows[leaf][k]);
            let child = weights.period(cl, ci);
            let siblings: Decimal = weights.children(pl, pi).iter().map(|c| c.weight).sum();
            let plan_hold = plan
                .holds
                .iter()
                .find(|h| h.label == child.label)
                .filter(|_| !plan.holds.is_empty() && metric_index == plan.reference());
            let basis = match plan_hold {
                Some(h) => Basis::Held(h.amount),
                None if in_seat => Basis::InSeat(exact_share(&parts[k].exact, &exact)),
                None => Basis::Weight { weight: child.weight, siblings, share: share_of(child.weight, siblings) },
            };
            let v2 = controlled.as_ref().map(|(at, values)| values[at(cl, ci)]);
            let got = v2.or(held).unwrap_or(parts[k].units);
            let (floor, rem) = parts[k].exact.floor_rem();
            let up = got > u128::try_from(&floor).unwrap_or(0);
            let holds_here = !plan.holds.is_empty() && metric_index == plan.reference() && stage.is_none();
            let r = if v2.is_some_and(|v| v != parts[k].units) {
                Rounding::CrossCut { up, node: parent_node.clone() }
            } else if v2.is_some() {
                rounding(&row, k, got)
            } else if held.is_some() && rem.is_zero() {
                Rounding::Exact
            } else if held.is_some() && holds_here {
                Rounding::Held { up }
            } else if held.is_some() {
                Rounding::Together { up }
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
        Ok(explanation(p.to_amount(Units(units)), steps, Vec::new()))
    }

    /// The first step of a funnel stage's figure at org leaf `leaf`: the
    /// leaf's money worked back through the stages up to stage `stage`
    /// (a count at precision `p`).
    fn funnel_step(
        &self,
        funnel: &crate::plan::Funnel,
        stage: usize,
        leaf: usize,
        p: Precision,
    ) -> (Vec<Step>, u128, Exact) {
        let plan = self.plan;
        let money = &plan.metrics[funnel.metric];
        let money_series = self.series.iter().find(|s| s.column.name == money.name).expect("the money has a column");
        let Source::Shared { amounts, .. } = &money_series.source else { unreachable!("money is shared") };
        let path = &self.paths[leaf];
        let wanted = funnel.filter.iter().all(|f| path[f.split] == f.member);
        let amount = if wanted { money_series.precision.to_amount(Units(amounts[leaf].0)) } else { Decimal::ZERO };
        let counts = funnel.counts(amount).unwrap_or_default();
        let mut words = Vec::new();
        if !wanted {
            let filter: Vec<String> =
                funnel.filter.iter().map(|f| format!("{} = {}", plan.splits[f.split].by, f.member)).collect();
            words.push(format!("the funnel covers only {}, so no activities here", filter.join(", ")));
        }
        for (i, (FunnelStage { name, rate }, n)) in funnel.stages.iter().zip(&counts).enumerate().take(stage + 1) {
            let pct = format!("{}%", (rate * Decimal::ONE_HUNDRED).normalize());
            words.push(if i == 0 {
                format!(
                    "{name} = ceil({} {} / deal size {} / {pct}) = {}",
                    thousands(amount),
                    money.name,
                    thousands(funnel.deal_size),
                    thousands(Decimal::from(*n))
                )
            } else {
                let before = &funnel.stages[i - 1].name;
                format!(
                    "{name} = ceil({} {before} / {pct}) = {}",
                    thousands(Decimal::from(counts[i - 1])),
                    thousands(Decimal::from(*n))
                )
            });
        }
        let n = counts.get(stage).copied().unwrap_or(0);
        let step = Step {
            level: "funnel".to_string(),
            member: funnel.stages[stage].name.clone(),
            basis: Basis::Funnel(words),
            parent: amount,
            parent_exact: Exact::from_units(n),
            exact: Exact::from_units(n),
            figure: Decimal::from(n),
            rounding: Rounding::Exact,
            parent_digits: amount_digits(&Exact::from_units(n), p),
            exact_digits: amount_digits(&Exact::from_units(n), p),
        };
        (vec![step], n, Exact::from_units(n))
    }

    /// Under contract v2, a leaf's figures of one column for every period,
    /// and where period (level, index) sits in them.
    fn controlled_leaf(
        &self,
        column: usize,
        leaf: usize,
        level: Level,
    ) -> Option<(impl Fn(Level, usize) -> usize, Vec<u128>)> {
        let mut walk = self.walk(&self.series[column])?.only(leaf);
        let time = walk.time_index();
        let (_, values) = walk.next_leaf().expect("the walk reaches the leaf");
        let values = values.to_vec();
        self.record_misses(column, walk.take_misses(), level);
        Some((move |l: Level, i: usize| time.at(l, i), values))
    }

    /// A leaf's rounded figure of one column at one period.
    fn leaf_units_at(&self, column: usize, leaf: usize, level: Level, index: usize) -> u128 {
        if let Some(walk) = self.walk(&self.series[column]) {
            let mut walk = walk.only(leaf);
            let (_, values) = walk.next_at(level).expect("the walk reaches the leaf");
            let units = values[index];
            let misses = walk.take_misses();
            self.record_misses(column, misses, level);
            return units;
        }
        let mut scratch = super::scratch();
        let mut series = Vec::new();
        self.spread_leaf(&self.series[column], leaf, level, &mut series, &mut scratch);
        series[index]
    }
}

/// How a value rounded to the nearer unit was rounded.
fn nearest(exact: &Exact, units: u128) -> Rounding {
    let (floor, rem) = exact.floor_rem();
    if rem.is_zero() {
        Rounding::Exact
    } else {
        Rounding::Nearest { up: units > u128::try_from(&floor).unwrap_or(0) }
    }
}

/// `part / whole` of two exact values, as a decimal for showing.
fn exact_share(part: &Exact, whole: &Exact) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    // Twenty decimals, truncated: enough to show, and it fits a Decimal.
    let ratio = part.over(whole);
    let scaled = ratio.num() * dashu_int::UBig::from(10u8).pow(20) / ratio.den();
    i128::try_from(&scaled).map(|n| Decimal::from_i128_with_scale(n, 20).normalize()).unwrap_or_default()
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
        parent: p.to_amount(Units(parent.0)),
        parent_exact: parent.1.clone(),
        exact: exact.clone(),
        figure: p.to_amount(Units(units)),
        rounding,
        parent_digits: amount_digits(parent.1, p),
        exact_digits: amount_digits(exact, p),
    }
}

/// An exact number of units as an amount in decimal digits, with up to six
/// more decimals than the plan's and `…` when it goes on (`284810.126582…`);
/// a renderer groups the whole part for people.
fn amount_digits(exact: &Exact, p: Precision) -> String {
    let unit = p.unit();
    let factor = dashu_int::UBig::from(unit.mantissa().unsigned_abs());
    let scale = dashu_int::UBig::from(10u8).pow(unit.scale() as usize);
    let amount = Exact::new(exact.num() * &factor, exact.den() * &scale);
    amount.to_decimal_string(p.decimals() as usize + 6)
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
