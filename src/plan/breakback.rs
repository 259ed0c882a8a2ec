//! Stage `plan`: holds (`[time.fixed]`) checked against the plan's calendar
//! by the breakback rule of planning tools. A held period keeps its amount
//! and its siblings share the rest of their parent by their weights. The
//! holds are worked out once on the plan's total, top down to the days, as
//! exact values; a hold that names no period, holds that add up to more than
//! their parent, or to other than it when they hold every child, and a held
//! period with nothing to weigh are errors with the arithmetic, found while
//! the plan is read. The engine then gives every group of siblings with a
//! hold those exact values as its weights (see [`Breakback::apply`]).
//!
//! About 500 lines on purpose: one algorithm (finding the holds, checking
//! them against their periods, and their exact weights) with its messages.

use std::collections::HashMap;

use chrono::Datelike;
use dashu_int::ops::Gcd;
use dashu_int::UBig;

use crate::allocate::{integer_weights, AllocError, Apportioner, Exact, Part, Share};
use crate::calendar::{well_formed, Calendar, Level, Spread};
use crate::diagnostic::{suggest, Code, Diagnostic};
use crate::plan::Units;
use crate::plan::{thousands, Hold, Plan};

/// Per level and period, the shares of its children (what the breakback rule rewrites).
pub type TimeShares = Vec<Vec<Vec<Share>>>;

/// A calendar's shares of every period's children, as integer weights.
pub fn time_shares(calendar: &Calendar) -> TimeShares {
    Level::ALL
        .iter()
        .map(|&level| {
            (0..calendar.level(level).len())
                .map(|i| {
                    let weights: Vec<rust_decimal::Decimal> =
                        calendar.children(level, i).iter().map(|c| c.weight).collect();
                    integer_weights(&weights).into_iter().map(Share::Weight).collect()
                })
                .collect()
        })
        .collect()
}

pub struct Breakback<'a> {
    plan: &'a Plan,
    calendar: &'a Calendar,
    /// (level, index) -> (units, the hold as written).
    held: HashMap<(Level, usize), (u128, &'a Hold)>,
}

impl<'a> Breakback<'a> {
    /// Finds each hold's period. Every label that is not a period of the
    /// plan (or is the year itself, or held twice) is an error, returned
    /// beside the holds that were found, so that those can still be checked.
    ///
    /// # Panics
    ///
    /// If a hold's amount is not a multiple of the precision: [`Plan::read`] checks that.
    pub fn new(plan: &'a Plan, calendar: &'a Calendar) -> (Breakback<'a>, Vec<Diagnostic>) {
        let mut held = HashMap::new();
        let mut errors = Vec::new();
        for hold in &plan.holds {
            let Units(units) = plan.precision.to_units(hold.amount).expect("validated: a multiple of the precision");
            match calendar.find(&hold.label) {
                Some((Level::Year, _)) => errors.push(
                    Diagnostic::new(Code::HoldTwice, format!("[time.fixed] holds the whole year {}", hold.label))
                        .at(hold.origin.clone())
                        .help(format!(
                            "the year's figure is the target `{}`; hold a quarter, month, week or day instead",
                            plan.metrics[plan.reference()].name
                        )),
                ),
                Some(found) => {
                    if held.insert(found, (units, hold)).is_some() {
                        errors.push(
                            Diagnostic::new(Code::HoldTwice, format!("[time.fixed] holds {} twice", hold.label))
                                .at(hold.origin.clone())
                                .help("keep one hold per period"),
                        );
                    }
                }
                None => errors.push(not_a_period(calendar, hold)),
            }
        }
        (Breakback { plan, calendar, held }, errors)
    }

    /// The hold of a period, in rounding units, if it has one.
    pub fn hold(&self, level: Level, index: usize) -> Option<u128> {
        self.held.get(&(level, index)).map(|(units, _)| *units)
    }

    /// Every held period (level and index), in no particular order.
    pub fn held_periods(&self) -> impl Iterator<Item = (Level, usize)> + '_ {
        self.held.keys().copied()
    }

    /// The hold as written of a held period.
    pub fn written(&self, level: Level, index: usize) -> Option<&'a Hold> {
        self.held.get(&(level, index)).map(|(_, hold)| *hold)
    }

    /// Replaces the shares of every sibling group that has a hold by the
    /// exact values the breakback rule gives on the plan's total. Goes down
    /// to the days, so that a held period whose days all weigh 0 is an
    /// error here, before anything is written, and not a failure while the
    /// days are shared out.
    ///
    /// # Panics
    ///
    /// Never: a held level above the days always has a finer level.
    pub fn apply(&self, time_shares: &mut [Vec<Vec<Share>>]) -> Result<(), Vec<Diagnostic>> {
        if self.held.is_empty() {
            return Ok(());
        }
        let mut apportioner = Apportioner::default();
        let mut parts: Vec<Part> = Vec::new();
        let mut errors = Vec::new();
        // Exact values of the current level's periods, on the plan's total.
        let total = self.plan.units_of(&self.plan.metrics[self.plan.reference()]).0;
        let mut values = vec![Exact::from_units(total)];
        // Down to the days at least, and to the slots when one is held.
        let deepest = self.held.keys().map(|(l, _)| *l).max().unwrap_or(Level::Day).max(Level::Day);
        let mut level = Level::Year;
        while level < deepest {
            let finer = level.finer().expect("above the deepest level");
            let mut next = Vec::with_capacity(self.calendar.level(finer).len());
            for (i, value) in values.iter().enumerate() {
                let children = self.calendar.period(level, i).children.clone();
                let shares: Vec<Share> = children
                    .clone()
                    .zip(&time_shares[level.index()][i])
                    .map(|(c, share)| match self.held.get(&(finer, c)) {
                        Some((units, _)) => Share::Fixed(*units),
                        None => share.clone(),
                    })
                    .collect();
                let held = children.clone().filter(|c| self.held.contains_key(&(finer, *c))).count();
                let (floor, _) = value.floor_rem();
                let floor = u128::try_from(&floor).unwrap_or(u128::MAX);
                let outcome = if held > 0 && held == children.len() {
                    // Every child is held: nothing is shared by weight, so the holds must add up exactly.
                    self.all_held(level, i, children.clone(), value).map_or(Ok(()), Err)
                } else {
                    apportioner
                        .parts(floor, value, &shares, &mut parts)
                        .map_err(|e| self.error(level, i, children.clone(), value, e))
                };
                match outcome {
                    Ok(()) => {
                        if held == children.len() {
                            parts.clear();
                            parts.extend(children.clone().map(|c| {
                                let units = self.held[&(finer, c)].0;
                                Part { units, exact: Exact::from_units(units) }
                            }));
                        }
                        if held > 0 {
                            time_shares[level.index()][i] = exact_weights(&parts);
                        }
                        next.extend(parts.iter().map(|p| p.exact.clone()));
                    }
                    Err(d) => {
                        errors.push(d);
                        next.extend(std::iter::repeat_n(Exact::from_units(0), children.len()));
                    }
                }
            }
            values = next;
            level = finer;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Every child of a period is held: their holds must add up to the
    /// period's exact value, or the difference would have nowhere to go:
    /// the error when they do not.
    fn all_held(
        &self,
        level: Level,
        index: usize,
        children: std::ops::Range<usize>,
        value: &Exact,
    ) -> Option<Diagnostic> {
        let finer = level.finer().expect("has children");
        let holds: Vec<(u128, &Hold)> = children.map(|c| self.held[&(finer, c)]).collect();
        let sum = holds.iter().fold(0u128, |s, (u, _)| s.saturating_add(*u));
        if Exact::from_units(sum) == *value {
            return None;
        }
        let p = self.plan.precision;
        let shown = |units: u128| thousands(p.to_amount(Units(units)));
        let parent = &self.calendar.period(level, index).label;
        let metric = &self.plan.metrics[self.plan.reference()].name;
        let whole = exact_thousands(value, p);
        let what = match (level, self.held.get(&(level, index))) {
            (Level::Year, _) => format!("the target `{metric}`"),
            (_, Some(_)) => format!("the hold of {parent}"),
            _ => format!("{parent}'s share of the target"),
        };
        let terms: Vec<String> = holds.iter().map(|(u, _)| shown(*u)).collect();
        let labels: Vec<&str> = holds.iter().map(|(_, h)| h.label.as_str()).collect();
        let (first, last) = (labels[0], labels[labels.len() - 1]);
        let children_are = match finer {
            Level::Quarter => "quarter",
            Level::Month if self.calendar.is_retail() => "period",
            Level::Month => "month",
            Level::Week => "week",
            Level::Day => "day",
            _ => "part",
        };
        let fix = if level == Level::Year {
            format!("make the holds add up to {whole}, or leave one {children_are} unheld so that it takes the rest")
        } else if self.held.contains_key(&(level, index)) {
            format!(
                "make the holds of {first} to {last} add up to {whole}, hold {parent} at {}, or leave one {children_are} unheld so that it takes the rest",
                shown(sum)
            )
        } else {
            format!(
                "make the holds of {first} to {last} add up to {whole}, or leave one {children_are} unheld so that it takes the rest"
            )
        };
        Some(
            Diagnostic::new(
                Code::HoldsDoNotFit,
                format!(
                    "[time.fixed] holds every {children_are} of {parent}, and they add up to {}, not {whole}",
                    shown(sum)
                ),
            )
            .at(holds[0].1.origin.clone())
            .note(format!("{} = {}, not {whole} ({what})", terms.join(" + "), shown(sum)))
            .help(fix),
        )
    }

    fn error(
        &self,
        level: Level,
        index: usize,
        children: std::ops::Range<usize>,
        value: &Exact,
        e: AllocError,
    ) -> Diagnostic {
        let finer = level.finer().expect("has children");
        let parent = &self.calendar.period(level, index).label;
        let holds: Vec<&Hold> = children.clone().filter_map(|c| self.held.get(&(finer, c)).map(|(_, h)| *h)).collect();
        let Some(first) = holds.first() else { return self.nothing_below(level, index, value) };
        let p = self.plan.precision;
        let amount = |e: &Exact| {
            let (whole, rem) = e.floor_rem();
            let shown = thousands(p.to_amount(Units(u128::try_from(&whole).unwrap_or(0))));
            if rem.is_zero() {
                shown.clone()
            } else {
                format!("{shown}…")
            }
        };
        let hold_amount = |h: &Hold| p.to_units(h.amount).map_or(h.amount.to_string(), |u| thousands(p.to_amount(u)));
        let terms: Vec<String> = holds.iter().map(|h| format!("{} ({})", hold_amount(h), h.label)).collect();
        // What the parent is: held itself, or its share of the target.
        let parent_is = match self.held.get(&(level, index)) {
            Some(_) => format!("{parent} is held at {}", amount(value)),
            None if level == Level::Year => {
                format!("the target `{}` is {}", self.plan.metrics[self.plan.reference()].name, amount(value))
            }
            None => format!(
                "{parent}'s share of the target `{}` is {}",
                self.plan.metrics[self.plan.reference()].name,
                amount(value)
            ),
        };
        match e {
            AllocError::FixedOverParent { fixed, .. } => Diagnostic::new(Code::HoldsDoNotFit, format!(
                "the holds inside {parent} add up to {}, more than {}",
                thousands(p.to_amount(Units(fixed))),
                if level == Level::Year {
                    format!("the target `{}`", self.plan.metrics[self.plan.reference()].name)
                } else {
                    format!("{parent} itself")
                }
            ))
            .at(first.origin.clone())
            .note(format!("{} = {}, but {parent_is}", terms.join(" + "), thousands(p.to_amount(Units(fixed)))))
            .help(if level == Level::Year {
                format!(
                    "lower the holds to {} or less in all, or raise the target `{}`",
                    amount(value),
                    self.plan.metrics[self.plan.reference()].name
                )
            } else {
                format!(
                    "lower the holds inside {parent} to {} or less in all, or give {parent} a larger share (or hold it too, at {} or more)",
                    amount(value),
                    thousands(p.to_amount(Units(fixed)))
                )
            }),
            AllocError::NothingToWeigh { rest } => {
                let unheld: Vec<usize> = children.filter(|c| !self.held.contains_key(&(finer, *c))).collect();
                let names: Vec<&str> = unheld.iter().map(|&c| self.calendar.period(finer, c).label.as_str()).collect();
                let reasons: Vec<(String, String)> = unheld.iter().map(|&c| self.zero_reason(finer, c)).collect();
                let weigh = if names.len() == 1 { "weighs" } else { "weigh" };
                let (why, fix) = if reasons.iter().all(|r| *r == reasons[0]) {
                    (format!("{} {weigh} 0: {}", list(&names, "and"), reasons[0].0), reasons[0].1.clone())
                } else {
                    let each: Vec<String> = names.iter().zip(&reasons).map(|(n, r)| format!("{n} ({})", r.0)).collect();
                    (format!("{} {weigh} 0", list(&each, "and")), "give {names} a weight".to_string())
                };
                let held = holds.iter().filter_map(|h| p.to_units(h.amount)).fold(0u128, |sum, Units(u)| sum.saturating_add(u));
                Diagnostic::new(Code::HoldsDoNotFit, format!("the holds inside {parent} leave {} for periods that all weigh 0", amount(&rest)))
                    .at(first.origin.clone())
                    .note(format!(
                        "{parent_is}; the holds take {} = {}, leaving {}",
                        terms.join(" + "),
                        thousands(p.to_amount(Units(held))),
                        amount(&rest)
                    ))
                    .note(why)
                    .help(format!(
                        "make the holds inside {parent} add up to exactly {}, or {}",
                        amount(value),
                        fix.replace("{names}", &list(&names, "or"))
                    ))
            }
            AllocError::Overflow => {
                Diagnostic::new(Code::TooLarge, format!("the holds inside {parent} are too large to compute exactly"))
                    .at(first.origin.clone())
                    .help("lower the holds or the target")
            }
        }
    }

    /// A period with an amount (a hold) none of whose children weighs
    /// anything: a week held on a lone Sunday under `spread = "workdays"`.
    fn nothing_below(&self, level: Level, index: usize, value: &Exact) -> Diagnostic {
        let finer = level.finer().expect("has children");
        let period = self.calendar.period(level, index);
        let label = &period.label;
        let p = self.plan.precision;
        let days = if finer == Level::Day { "days" } else { "parts" };
        let reasons: Vec<(String, String)> = period.children.clone().map(|c| self.zero_reason(finer, c)).collect();
        let children: Vec<&str> = self.calendar.children(level, index).iter().map(|c| c.label.as_str()).collect();
        let (reason, fix) = match reasons.first() {
            Some(first) if reasons.iter().all(|r| r == first) => {
                (first.0.clone(), first.1.replace("{names}", &list(&children, "or")))
            }
            _ => self.zero_reason(level, index),
        };
        let dates = if period.start == period.end {
            format!("{label} is {}", period.start)
        } else {
            format!("{label} runs from {} to {}", period.start, period.end)
        };
        let (what, at) = match self.held.get(&(level, index)) {
            Some((_, hold)) => (format!("{label} is held at {}", exact_thousands(value, p)), hold.origin.clone()),
            None => (format!("{label} has {} of the target", exact_thousands(value, p)), self.plan.time_origin.clone()),
        };
        let fix = fix.replace("{names}", label);
        Diagnostic::new(
            Code::NoDaysToCarry,
            format!("{what}, but none of its {days} has a positive weight to carry it"),
        )
        .at(at)
        .note(format!("{dates}, and {reason}"))
        .help(format!("hold another period, or {fix}"))
    }

    /// Why a period has no weight, and how to give it one, in words.
    fn zero_reason(&self, level: Level, index: usize) -> (String, String) {
        let period = self.calendar.period(level, index);
        let spec = &self.plan.calendar;
        let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let day_fix = "give {names} a weight in [time.days]".to_string();
        let any_day_fix = "give a day of {names} a weight in `weekdays` or [time.days]".to_string();
        match level {
            Level::Day => {
                let date = period.start;
                let weekday = weekdays[date.weekday().num_days_from_monday() as usize];
                if spec.days.contains_key(&date) {
                    (
                        "[time.days] sets that weight".to_string(),
                        "give {names} a positive weight in [time.days]".to_string(),
                    )
                } else if spec.spread == Spread::Workdays && spec.holidays.get(&date) == Some(&true) {
                    ("under spread = \"workdays\" a holiday weighs 0".to_string(), day_fix)
                } else if spec.spread == Spread::Workdays && !spec.is_workday(date) {
                    let worked: Vec<&str> =
                        weekdays.iter().zip(spec.workweek).filter(|(_, w)| *w).map(|(d, _)| *d).collect();
                    (
                        format!(
                            "under spread = \"workdays\" a day outside the workweek ({}) weighs 0",
                            worked.join(", ")
                        ),
                        day_fix,
                    )
                } else {
                    (format!("`weekdays` gives {weekday} 0"), day_fix)
                }
            }
            Level::Month if spec.months.is_some() => {
                ("`months` gives it 0".to_string(), "give {names} a weight in `months`".to_string())
            }
            Level::Quarter if spec.quarters.is_some() => {
                ("`quarters` gives it 0".to_string(), "give {names} a weight in `quarters`".to_string())
            }
            Level::Slot => {
                ("its share of the day is 0%".to_string(), "give {names} a share in [[time.slots]]".to_string())
            }
            _ => ("all of its days weigh 0".to_string(), any_day_fix),
        }
    }
}

/// Why a hold's label is not a period of the plan: a did-you-mean where a
/// label is close, and what the plan's periods are called.
// q, m, w, d: the year's quarters, months, weeks and days, as the note names them.
#[allow(clippy::many_single_char_names)]
fn not_a_period(calendar: &Calendar, hold: &Hold) -> Diagnostic {
    let label = hold.label.as_str();
    let shape = |s: &str| -> String {
        s.chars().map(|c| if c.is_ascii_digit() { '9' } else { c.to_ascii_uppercase() }).collect()
    };
    let labels: Vec<&str> =
        calendar.levels().flat_map(|l| calendar.level(l).iter().map(|p| p.label.as_str())).collect();
    let same: Vec<&str> = labels.iter().copied().filter(|l| shape(l) == shape(label)).collect();
    let upper = label.to_ascii_uppercase();
    let calendar_quarter = {
        let parts: Vec<&str> = upper.split('-').collect();
        matches!(parts.as_slice(), [y] | [y, _] if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            && (parts.len() == 1 || parts[1].starts_with('Q'))
    };
    // `Q1` or `03` written without the year: the one label of the plan that
    // ends with it is what was meant (a plan covers one year).
    let unique_suffix = {
        let tail = format!("-{upper}");
        let ends: Vec<&str> = labels.iter().copied().filter(|l| l.to_ascii_uppercase().ends_with(&tail)).collect();
        match ends.as_slice() {
            [one] if !label.is_empty() => Some(*one),
            _ => None,
        }
    };
    let suggestion = if let Some(full) = unique_suffix {
        Some(full)
    } else if calendar.is_fiscal() && calendar_quarter {
        // `2026-Q4` on a plan from April: FY2026-Q4 is another quarter; do not guess.
        None
    } else if same.is_empty() {
        suggest(label, labels.iter().copied())
    } else if well_formed(label) {
        suggest(label, same.iter().copied())
    } else {
        // Right shape, impossible value (`2026-13`): no guess.
        None
    };
    let level = |l: Level| calendar.level(l);
    let (q, m, w, d) = (level(Level::Quarter), level(Level::Month), level(Level::Week), level(Level::Day));
    let note = format!(
        "this plan covers {} to {}: the year {}, quarters {} to {}, {}s {} to {}, weeks such as {} and days {} to {}",
        calendar.start(),
        calendar.end(),
        calendar.year().label,
        q[0].label,
        q[q.len() - 1].label,
        calendar.level_name(Level::Month),
        m[0].label,
        m[m.len() - 1].label,
        w[0].label,
        d[0].label,
        d[d.len() - 1].label
    );
    let help = match suggestion {
        Some(s) if unique_suffix.is_some() => {
            // An amount with cents is written quoted so TOML keeps it exact.
            let amount = if hold.amount.fract().is_zero() {
                hold.amount.trunc().to_string()
            } else {
                format!("\"{}\"", hold.amount)
            };
            format!("write the period with its year, as in the output's period column: `\"{s}\" = {amount}`")
        }
        Some(s) => format!("did you mean `{s}`?"),
        None if calendar.is_fiscal() && calendar_quarter => format!(
            "this is a fiscal plan, so its year is {} and its quarters {} to {}; hold the period you mean by its label here",
            calendar.year().label,
            q[0].label,
            q[q.len() - 1].label
        ),
        None => "hold a period of the plan year by its label, as in the output's period column".to_string(),
    };
    Diagnostic::new(Code::NotAPeriod, format!("[time.fixed] names {label}, which is not a period of this plan"))
        .at(hold.origin.clone())
        .note(note)
        .help(help)
}

/// `a`, `a and b`, `a, b and c`; long lists end with `and 5 more`.
fn list(items: &[impl AsRef<str>], and: &str) -> String {
    let shown: Vec<&str> = items.iter().take(4).map(AsRef::as_ref).collect();
    match (items.len(), shown.as_slice()) {
        (_, []) => String::new(),
        (1, [one]) => one.to_string(),
        (n, _) if n > 4 => format!("{} {and} {} more", shown.join(", "), n - 4),
        (_, [init @ .., last]) => format!("{} {and} {last}", init.join(", ")),
    }
}

/// An exact amount in units of `p`, with thousands separators (`1,000,000.00`,
/// or `333,333.33…` when it is not whole).
fn exact_thousands(value: &Exact, p: crate::plan::Precision) -> String {
    let (whole, rem) = value.floor_rem();
    let shown = thousands(p.to_amount(Units(u128::try_from(&whole).unwrap_or(u128::MAX).min(p.max_units().0))));
    if rem.is_zero() {
        shown
    } else {
        format!("{shown}…")
    }
}

/// Integer weights proportional to the parts' exact values.
fn exact_weights(parts: &[Part]) -> Vec<Share> {
    let den = parts.iter().fold(UBig::ONE, |acc, p| {
        let g = (&acc).gcd(p.exact.den());
        &acc / &g * p.exact.den()
    });
    parts.iter().map(|p| Share::Weight(p.exact.num() * (&den / p.exact.den()))).collect()
}
