//! Stage `plan`: the plan's time settings checked against the calendar they
//! build, while the plan is read, so that calendar problems come in the same
//! run as every other problem of the plan (a key typo no longer hides a month
//! without working days): months and quarters with a share but nothing to
//! carry it, level paths that name no period, and holds (see [`Breakback`]).
//! The engine builds the same calendar again and, should it fail (a plan
//! built another way), reports through [`super::check`], so that plan gets
//! the same messages.

use rust_decimal::Decimal;

use super::breakback::{time_shares, Breakback};
use super::{LevelTarget, MetricKind, Plan};
use crate::calendar::{Calendar, CalendarError, CalendarSpec, Level};
use crate::diagnostic::{Code, Diagnostic};

/// Every calendar problem of `plan`. `totals_known` is false when a target's
/// total could not be worked out (its baseline failed): holds are then not
/// checked against it, to say nothing false.
pub(crate) fn check(plan: &Plan, totals_known: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // When the weights fail, the periods are still known: labels are checked on them all the same.
    let (calendar, weighed) = match Calendar::build(&plan.calendar) {
        Ok(c) => (c, true),
        Err(errors) => {
            out.extend(calendar_diagnostics(plan, &plan.calendar, errors));
            match Calendar::build(&periods_only(&plan.calendar)) {
                Ok(c) => (c, false),
                Err(_) => return out,
            }
        }
    };
    for metric in &plan.metrics {
        match &metric.kind {
            MetricKind::Level(level) => out.extend(path_diagnostics(level, &calendar, &metric.name)),
            // A metric's own weights over the plan's: only news if the plan's own calendar stands.
            _ if metric.time.is_some() && weighed => {
                let spec = plan.calendar_of(metric);
                if let Err(errors) = Calendar::build(&spec) {
                    out.extend(calendar_diagnostics(plan, &spec, errors));
                }
            }
            _ => {}
        }
    }
    if plan.holds.is_empty() {
        return out;
    }
    let (holds, unknown) = Breakback::new(plan, &calendar);
    out.extend(unknown);
    // A plan for one period holds only periods inside it: the rest of the year has no target to hold.
    let before = out.len();
    if let Some(window) = &plan.period {
        for hold in &plan.holds {
            let Some((level, i)) = calendar.find(&hold.label) else { continue };
            let held = calendar.period(level, i);
            if held.start < window.start || held.end > window.end {
                out.push(
                    Diagnostic::new(
                        Code::DateOutsideYear,
                        format!(
                            "[time.fixed] holds {} ({} to {}), which is not inside the plan's period {} ({} to {})",
                            held.label, held.start, held.end, window.label, window.start, window.end
                        ),
                    )
                    .at(hold.origin.clone())
                    .help("hold periods inside the plan's period, or remove `period` to plan the whole year"),
                );
            }
        }
    }
    if out.len() > before {
        // The holds' arithmetic would only repeat it: those periods have no share.
        return out;
    }
    // The arithmetic needs the weights, the total and something to hold.
    if weighed && totals_known && plan.metrics.iter().any(super::Metric::is_shared) {
        let spec = plan.calendar_of(&plan.metrics[plan.reference()]);
        let Ok(own) = Calendar::build(&spec) else { return out }; // reported above
        let mut shares = time_shares(&own);
        if let Err(errors) = holds.apply(&mut shares) {
            out.extend(errors);
        }
    }
    out
}

/// The same periods as `spec` (start, kind, weeks, slots), every one
/// weighing 1: a calendar that builds whatever the weights are.
fn periods_only(spec: &CalendarSpec) -> CalendarSpec {
    let mut plain = spec.clone();
    plain.spread = crate::calendar::Spread::Even;
    plain.months = None;
    plain.quarters = None;
    plain.weekdays = [Decimal::ONE; 7];
    plain.days.clear();
    plain
}

/// Every period of a level's path must be a period of the plan.
pub(crate) fn path_diagnostics(target: &LevelTarget, calendar: &Calendar, name: &str) -> Vec<Diagnostic> {
    target
        .path
        .iter()
        .filter(|(label, ..)| calendar.find(label).is_none())
        .map(|(label, _, at)| {
            Diagnostic::new(
                Code::NotAPeriod,
                format!("the path of level `{name}` names {label}, which is not a period of this plan"),
            )
            .at(at.clone())
            .help(format!(
                "use period labels such as {}, {} or {}",
                calendar.level(Level::Quarter)[0].label,
                calendar.level(Level::Month)[0].label,
                calendar.level(Level::Week)[0].label
            ))
        })
        .collect()
}

/// Why a calendar cannot be built, as messages pointing at the plan's time
/// settings; `spec` is the calendar that failed (the plan's, or a metric's own).
pub(crate) fn calendar_diagnostics(plan: &Plan, spec: &CalendarSpec, errors: Vec<CalendarError>) -> Vec<Diagnostic> {
    let at = plan.time_origin.clone();
    // A day weighs its weekday coefficient, and 0 outside the workweek under "workdays".
    let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let workdays = spec.spread == crate::calendar::Spread::Workdays;
    let day_weight = |i: usize| if workdays && !spec.workweek[i] { Decimal::ZERO } else { spec.weekdays[i] };
    let days_note = (0..7).all(|i| day_weight(i).is_zero()).then(|| {
        let coefficients: Vec<String> = names.iter().zip(spec.weekdays).map(|(n, w)| format!("{n} {w}")).collect();
        let off: Vec<&str> = names.iter().zip(spec.workweek).filter(|(_, w)| !*w).map(|(n, _)| *n).collect();
        let weekend = match (workdays, off.as_slice()) {
            (false, _) | (true, []) => String::new(),
            (true, off) if *off == ["sat", "sun"] => {
                ", and Saturdays and Sundays weigh 0 under spread = \"workdays\"".to_string()
            }
            (true, off) => {
                format!(", and days outside the workweek ({}) weigh 0 under spread = \"workdays\"", off.join(", "))
            }
        };
        format!("every day weighs 0: a day weighs its `weekdays` coefficient ({}){weekend}", coefficients.join(", "))
    });
    // Months without days are one problem, however many months it hits.
    let empty_months: Vec<String> = errors
        .iter()
        .filter_map(|e| match e {
            CalendarError::MonthWithoutDays { month, .. } => Some(month.clone()),
            _ => None,
        })
        .collect();
    let mut diagnostics = Vec::new();
    if empty_months.len() > 1 {
        let which = if empty_months.len() == 12 {
            format!("every month ({} to {}) has", empty_months[0], empty_months[11])
        } else {
            format!("months {} have", empty_months.join(", "))
        };
        let mut d = Diagnostic::new(
            Code::NoDaysToCarry,
            format!("{which} a share of the target but no day with a positive weight"),
        )
        .at(at.clone());
        if let Some(note) = &days_note {
            d = d.note(note.clone());
        }
        diagnostics.push(d.help(
            "give some weekday a positive weight in `weekdays` (check `spread` too), or give those months a weight of 0 in `months`",
        ));
    }
    for e in errors {
        let help = match &e {
            CalendarError::MonthWithoutDays { .. } if empty_months.len() > 1 => continue,
            CalendarError::MonthWithoutDays { .. } => "give some day of that month a positive weight (check `weekdays`, `workweek`, `spread` and [time.days]), or give the month a weight of 0 in `months`",
            CalendarError::QuarterWithoutMonths { .. } => "give a month of that quarter a positive weight in `months`, or the quarter a weight of 0 in `quarters`",
            CalendarError::NothingToWeigh if plan.period.is_some() => "give the period's days a positive weight: its month in `months` (and its quarter in `quarters`), its weekdays in `weekdays`, or its days in [time.days]",
            CalendarError::NothingToWeigh => "give some weekday a positive weight in `weekdays`, and some month or quarter a positive weight in `months` or `quarters`",
            _ => "check the [time] table",
        };
        // A plan of one period weighs nothing outside it: what is 0 is the period.
        let message = match (&e, &plan.period) {
            (CalendarError::NothingToWeigh, Some(p)) => format!(
                "the time weights of the plan's period {} ({} to {}) add up to 0, so there is nothing to share the target over",
                p.label, p.start, p.end
            ),
            _ => e.to_string(),
        };
        let mut d = Diagnostic::new(calendar_code(&e), message).at(at.clone());
        if matches!(e, CalendarError::MonthWithoutDays { .. } | CalendarError::NothingToWeigh) {
            if let Some(note) = &days_note {
                d = d.note(note.clone());
            }
        }
        diagnostics.push(d.help(help));
    }
    diagnostics
}

/// The kind of a calendar that cannot be built.
fn calendar_code(e: &CalendarError) -> Code {
    match e {
        CalendarError::QuarterWithoutMonths { .. }
        | CalendarError::MonthWithoutDays { .. }
        | CalendarError::NothingToWeigh => Code::NoDaysToCarry,
        CalendarError::Overflow => Code::TooLarge,
        CalendarError::StartNotFirstOfMonth { .. } => Code::BadYearStart,
        CalendarError::WrongLength { .. } => Code::WrongLength,
    }
}
