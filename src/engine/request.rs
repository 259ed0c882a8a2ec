//! Stage `engine`: what a run shows — which splits, which time level (or the
//! ISO-week view), which period — resolved from the user's `--by` and
//! `--period` against a plan and its calendar.

use chrono::{Days, NaiveDate};

use crate::calendar::{Calendar, CalendarKind, Level, Period};
use crate::diagnostic::{suggest, Code, Diagnostic};
use crate::error::{Error, Result};
use crate::plan::Plan;

/// How time is shown: a level of the time tree, or ISO 8601 weeks, a view
/// over days in which each week is the sum of its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeView {
    /// Periods of one level of the tree.
    Tree(Level),
    /// ISO weeks (`2026-W01`), clipped to the plan year.
    IsoWeek,
}

impl TimeView {
    /// The tree level the engine computes for this view.
    pub fn level(self) -> Level {
        match self {
            TimeView::Tree(level) => level,
            TimeView::IsoWeek => Level::Day,
        }
    }

    /// How fine the view's periods are, to compare with a `--period`.
    fn grain(self) -> Level {
        match self {
            TimeView::Tree(level) => level,
            TimeView::IsoWeek => Level::Week,
        }
    }
}

/// The words `--period` understands besides labels, for cron jobs.
const RELATIVE: [&str; 8] =
    ["today", "tomorrow", "this-week", "next-week", "this-month", "next-month", "this-quarter", "next-quarter"];

/// The resolved request: what a run shows (users call it the breakdown),
/// `--by` and `--period` checked against the plan. Invariants: `splits` are
/// indices of the plan's splits in cascade order without repeats; `period`,
/// if any, is a period of the calendar no finer than the view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Split indices kept, in cascade order.
    pub splits: Vec<usize>,
    /// How time is shown.
    pub time: TimeView,
    /// Only cells whose period lies inside this one.
    pub period: Option<Period>,
    /// Only the cells of this shard's org leaves (`--shard K/N`).
    pub shard: Option<Shard>,
}

/// Shard `index` of `count` (`--shard 2/8`): the run's org leaves cut into
/// `count` contiguous runs of leaves, as even as whole leaves allow (the
/// first `leaves % count` shards have one more). Shard by shard, in order,
/// the cells are those of the whole run: every figure is the one the whole
/// run gives (see `Leaves`), and cells come in cascade order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based: `1..=count`.
    pub index: usize,
    /// At least 1.
    pub count: usize,
}

impl Shard {
    /// The leaves of this shard among `leaves` org leaves.
    pub fn range(self, leaves: usize) -> std::ops::Range<usize> {
        let (base, extra) = (leaves / self.count, leaves % self.count);
        let start = |k: usize| k * base + k.min(extra);
        start(self.index - 1)..start(self.index)
    }
}

impl Request {
    /// How many splits, from the first, the breakdown reaches: one past its
    /// deepest kept split, 0 when it keeps none (the company as a whole).
    pub fn depth(&self) -> usize {
        self.splits.iter().max().map_or(0, |s| s + 1)
    }

    /// Resolves `--by` (comma-separated split names and at most one time
    /// level or `iso-week`; `None` means every split and the plan's level)
    /// and `--period` (a period label of this plan, or `today`, `this-month`
    /// and the like, taken relative to `today`).
    pub fn resolve(
        plan: &Plan,
        calendar: &Calendar,
        by: Option<&str>,
        period: Option<&str>,
        today: NaiveDate,
    ) -> Result<Request> {
        let names: Vec<&str> = plan.splits.iter().map(|s| s.by.as_str()).collect();
        let (splits, time) = match by {
            None => ((0..names.len()).collect(), TimeView::Tree(plan.level)),
            Some(text) => by_list(text, &names, calendar)?,
        };
        let window = plan.period.as_ref().map(|w| window(calendar, w, time, by.is_some())).transpose()?;
        let period = match period {
            None => window,
            Some(text) => {
                let text = text.trim();
                let (found, grain) = if RELATIVE.contains(&text) {
                    relative(plan, calendar, text, today, time)?
                } else {
                    find_period(calendar, text)?
                };
                if grain > time.grain() {
                    let kept: Vec<&str> = splits.iter().map(|&i| names[i]).collect();
                    let relative = RELATIVE.contains(&text).then_some(text);
                    return Err(Error::invalid(finer(calendar, &found, grain, time, &kept, relative)));
                }
                match window {
                    // A plan for one period shows that period's cells, at most.
                    Some(w) if found.contains(&w) => Some(w),
                    Some(w) if !w.contains(&found) => return Err(Error::invalid(outside_window(&found, &w, text))),
                    _ => Some(found),
                }
            }
        };
        Ok(Request { splits, time, period, shard: None })
    }

    /// Whether `--period` keeps a cell of period `p`: its dates lie inside
    /// the filter — and, for a slot, it is that very slot (a day's slots
    /// share its dates).
    pub fn keeps(&self, p: &Period) -> bool {
        match &self.period {
            None => true,
            Some(f) if f.level == Level::Slot => f.label == p.label,
            Some(f) => f.contains(p),
        }
    }
}

/// The period a plan for one period covers, as a period of its calendar,
/// once `time` is known to show it whole: each of the view's periods that
/// overlaps it must lie inside it (a March plan shows no quarter, whose
/// other months it does not plan). `named` says whether the user wrote
/// `--by`, for the help.
fn window(calendar: &Calendar, w: &crate::plan::PlanPeriod, time: TimeView, named: bool) -> Result<Period> {
    let (found, _) = find_period(calendar, &w.label)?;
    let periods = |view: TimeView| match view {
        TimeView::Tree(level) => calendar.level(level),
        TimeView::IsoWeek => calendar.iso_weeks(),
    };
    let straddles = |view: TimeView| {
        periods(view).iter().find(|p| p.start <= found.end && p.end >= found.start && !found.contains(p)).cloned()
    };
    let Some(across) = straddles(time) else { return Ok(found) };
    let name = view_name(calendar, time);
    let fits: Vec<&str> = calendar
        .levels()
        .map(TimeView::Tree)
        .chain([TimeView::IsoWeek])
        .filter(|v| straddles(*v).is_none())
        .map(|v| view_name(calendar, v))
        .collect();
    let help = if named {
        format!("ask for a level the period holds whole: {}", fits.join(", "))
    } else {
        format!("set `level` in [time] to one the period holds whole ({}), or ask for one with --by", fits.join(", "))
    };
    let what = if named { format!("--by {name}") } else { format!("the plan's level, {name},") };
    Err(Error::invalid(
        Diagnostic::new(
            Code::CoarserThanPlan,
            format!(
                "{what} is coarser than this plan, which covers {} only ({} to {}): {} runs from {} to {}",
                found.label, found.start, found.end, across.label, across.start, across.end
            ),
        )
        .note("a plan for one period has targets for that period's days only, so a longer period's figure would not be its target")
        .help(help),
    ))
}

/// `--period` outside the one period a plan covers.
fn outside_window(asked: &Period, w: &Period, text: &str) -> Diagnostic {
    Diagnostic::new(
        Code::PeriodOutsidePlan,
        format!(
            "--period {text} ({} to {}) is not in this plan, which covers {} only ({} to {})",
            asked.start, asked.end, w.label, w.start, w.end
        ),
    )
    .help(format!("ask for {} or a period inside it, or run the plan that covers {}", w.label, asked.label))
}

fn time_names(calendar: &Calendar) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = calendar.levels().map(|l| calendar.level_name(l)).collect();
    names.push("iso-week");
    names
}

fn by_list(text: &str, names: &[&str], calendar: &Calendar) -> Result<(Vec<usize>, TimeView)> {
    let mut splits = Vec::new();
    let mut time: Option<TimeView> = None;
    let mut errors = Vec::new();
    let all: Vec<&str> = names.iter().copied().chain(time_names(calendar)).collect();
    for raw in text.split(',') {
        let name = raw.trim();
        let view = match name {
            "iso-week" => Some(TimeView::IsoWeek),
            other => calendar.parse_level(other).map(TimeView::Tree),
        };
        if name.is_empty() {
            errors.push(
                Diagnostic::new(Code::BadDimensions, format!("--by `{text}` has an empty name"))
                    .help("separate names with single commas, e.g. --by region,month"),
            );
        } else if let Some(v) = view {
            match time {
                Some(first) if first != v => errors.push(
                    Diagnostic::new(
                        Code::BadDimensions,
                        format!(
                            "--by names two time levels, {} and {}",
                            view_name(calendar, first),
                            view_name(calendar, v)
                        ),
                    )
                    .help("keep one time level; a coarser level is the sum of the finer one"),
                ),
                _ => time = Some(v),
            }
        } else if let Some(i) = names.iter().position(|n| *n == name) {
            if !splits.contains(&i) {
                splits.push(i);
            }
        } else {
            let help = match suggest(name, all.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? This plan's names are: {}", all.join(", ")),
                None => format!("this plan's names are: {}", all.join(", ")),
            };
            let (what, help) = if name == "slot" {
                (
                    "a time level of this plan: it has no [[time.slots]]",
                    format!(
                        "add [[time.slots]] to the plan to split each day into shop hours, or ask for days with --by {}",
                        by_days(text)
                    ),
                )
            } else {
                ("a split of this plan or a time level", help)
            };
            errors.push(
                Diagnostic::new(Code::UnknownDimension, format!("--by names `{name}`, which is not {what}")).help(help),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    splits.sort_unstable();
    Ok((splits, time.unwrap_or(TimeView::Tree(Level::Year))))
}

/// `--by region,slot` with `slot` replaced by `day`.
fn by_days(text: &str) -> String {
    let names: Vec<&str> = text.split(',').map(|n| if n.trim() == "slot" { "day" } else { n.trim() }).collect();
    names.join(",")
}

/// The user's word for a view: `month`, `period` (retail), `iso-week`.
pub fn view_name(calendar: &Calendar, view: TimeView) -> &'static str {
    match view {
        TimeView::Tree(level) => calendar.level_name(level),
        TimeView::IsoWeek => "iso-week",
    }
}

/// `relative` is the word the user wrote (`today`), if the period came from one.
fn finer(
    calendar: &Calendar,
    period: &Period,
    grain: Level,
    time: TimeView,
    kept: &[&str],
    relative: Option<&str>,
) -> Diagnostic {
    let want = calendar.level_name(grain);
    let have = view_name(calendar, time);
    let by: Vec<&str> = kept.iter().copied().chain([want]).collect();
    match relative {
        None => Diagnostic::new(
            Code::PeriodTooFine,
            format!("--period {} is a {want}, finer than the breakdown's {have} level", period.label),
        )
        .help(format!("ask for {want}s with --by {}, or for a period of a {have} or coarser", by.join(","))),
        Some(word) => {
            let coarser = match time {
                TimeView::Tree(Level::Week) | TimeView::IsoWeek => Some("this-week"),
                TimeView::Tree(Level::Month) => Some("this-month"),
                TimeView::Tree(Level::Quarter) => Some("this-quarter"),
                TimeView::Tree(_) => None,
            };
            let instead = match coarser {
                Some(c) => format!("--period {c}"),
                None => format!("a period of a {have} or coarser"),
            };
            Diagnostic::new(
                Code::PeriodTooFine,
                format!("--period {word} is a {want} ({}), finer than the breakdown's {have} level", period.label),
            )
            .help(format!("ask for {want}s with --by {}, or for {instead}", by.join(",")))
        }
    }
}

/// A period label of this plan: a node of the tree or an ISO week.
fn find_period(calendar: &Calendar, label: &str) -> Result<(Period, Level)> {
    let upper = label.to_ascii_uppercase();
    if let Some((level, i)) = calendar.find(label).or_else(|| calendar.find(&upper)) {
        return Ok((calendar.period(level, i).clone(), level));
    }
    if let Some(i) = calendar.find_iso_week(&upper) {
        return Ok((calendar.iso_weeks()[i].clone(), Level::Week));
    }
    Err(Error::invalid(missing_period(calendar, label)))
}

/// `today`, `next-month` and the like: the period containing `today` (or
/// the one after it).
fn relative(plan: &Plan, calendar: &Calendar, word: &str, today: NaiveDate, time: TimeView) -> Result<(Period, Level)> {
    let (which, unit) = word.split_once('-').unwrap_or((word, "day"));
    let date = if word == "tomorrow" { today.checked_add_days(Days::new(1)).unwrap_or(today) } else { today };
    let outside = |date: NaiveDate| {
        let what = match word {
            "today" | "tomorrow" => format!("is {date}"),
            _ => format!("is the {} of {date}", word.split_once('-').map_or(word, |(_, unit)| unit)),
        };
        let from = if word == "tomorrow" { format!(", the day after {today}") } else { String::new() };
        Error::invalid(
            Diagnostic::new(
                Code::PeriodOutsidePlan,
                format!(
                    "--period {word} {what}{from}, outside this plan, which covers {} to {}",
                    calendar.start(),
                    calendar.end()
                ),
            )
            .help(format!(
                "run the plan that covers {date}, or pass a date inside this one with --today (e.g. --today {})",
                calendar.start()
            )),
        )
    };
    let level = match unit {
        "week" => Level::Week,
        "month" => Level::Month,
        "quarter" => Level::Quarter,
        _ => Level::Day,
    };
    let iso = level == Level::Week && time == TimeView::IsoWeek;
    if level == Level::Week && !iso && plan.calendar.kind == CalendarKind::Gregorian {
        return whole_week(calendar, plan.calendar.week_start, which == "next", date, word).map(|p| (p, level));
    }
    let periods: &[Period] = if iso { calendar.iso_weeks() } else { calendar.level(level) };
    let i = periods.partition_point(|p| p.end < date);
    if which == "next" && i == 0 && date < calendar.start() {
        // A cron job in the last period before this plan asking for the
        // plan's first one (next month's targets on 25 December): look the
        // date up in the year before, laid out by the same rules.
        if let Some(first) = first_after_previous_year(plan, calendar, level, iso, date) {
            return Ok((periods[first].clone(), level));
        }
    }
    if periods.get(i).is_none_or(|p| p.start > date) {
        return Err(outside(date));
    }
    let i = if which == "next" { i + 1 } else { i };
    if let Some(p) = periods.get(i) {
        Ok((p.clone(), level))
    } else {
        let unit = calendar.level_name(level);
        let last = &periods[i - 1];
        Err(Error::invalid(
            Diagnostic::new(
                Code::PeriodOutsidePlan,
                format!(
                "--period {word}: today, {date}, is in {}, the last {unit} of this plan, so there is no next {unit}",
                last.label
            ),
            )
            .note(format!("this plan ends on {}", calendar.end()))
            .help(format!(
                "run next year's plan for the {unit} after {}, or ask for --period this-{}",
                last.label,
                word.split_once('-').map_or(unit, |(_, u)| u)
            )),
        ))
    }
}

/// `this-week` or `next-week` on a calendar whose weeks are cut at month
/// ends: the whole week by the plan's `week_start` that holds `date` (or
/// the one after it), across a month end, clipped to the plan's dates. A
/// week that is one of the tree's is that period; one that a month end
/// cuts is labelled by its dates (`2026-03-30 to 2026-04-05`) and keeps the
/// tree's weeks and days inside it.
fn whole_week(
    calendar: &Calendar,
    week_start: chrono::Weekday,
    next: bool,
    date: NaiveDate,
    word: &str,
) -> Result<Period> {
    use chrono::Datelike;
    let back = (date.weekday().num_days_from_monday() + 7 - week_start.num_days_from_monday()) % 7;
    let mut first = date.checked_sub_days(Days::new(u64::from(back))).unwrap_or(date);
    if next {
        first = first.checked_add_days(Days::new(7)).unwrap_or(first);
    }
    let last = first.checked_add_days(Days::new(6)).unwrap_or(first);
    let (start, end) = (first.max(calendar.start()), last.min(calendar.end()));
    if start > end {
        let weeks = calendar.level(Level::Week);
        if next && first > calendar.end() && date <= calendar.end() {
            let last_week = weeks.last().map_or("", |w| w.label.as_str());
            return Err(Error::invalid(
                Diagnostic::new(
                    Code::PeriodOutsidePlan,
                    format!(
                        "--period {word}: today, {date}, is in the last week of this plan, so there is no next week"
                    ),
                )
                .note(format!("this plan ends on {}", calendar.end()))
                .help(format!("run next year's plan for the week after {last_week}, or ask for --period this-week")),
            ));
        }
        return Err(Error::invalid(
            Diagnostic::new(
                Code::PeriodOutsidePlan,
                format!(
                    "--period {word} is the week of {first} to {last}, outside this plan, which covers {} to {}",
                    calendar.start(),
                    calendar.end()
                ),
            )
            .help(format!(
                "run the plan that covers {date}, or pass a date inside this one with --today (e.g. --today {})",
                calendar.start()
            )),
        ));
    }
    if let Some(week) = calendar.level(Level::Week).iter().find(|w| w.start == start && w.end == end) {
        return Ok(week.clone());
    }
    Ok(Period {
        level: Level::Week,
        label: format!("{start} to {end}"),
        start,
        end,
        weight: rust_decimal::Decimal::ONE,
        parent: None,
        children: 0..0,
    })
}

/// When `date` lies in the last period of `level` of the year before this
/// plan's, the index of the period after it in this plan (the first, or the
/// second when an ISO week is cut in two by the new year).
fn first_after_previous_year(
    plan: &Plan,
    calendar: &Calendar,
    level: Level,
    iso: bool,
    date: NaiveDate,
) -> Option<usize> {
    let mut spec = plan.calendar.clone();
    spec.year -= 1;
    spec.start = spec.start.checked_sub_months(chrono::Months::new(12))?;
    let before = Calendar::build(&spec).ok()?;
    let last = if iso { before.iso_weeks().last()? } else { before.level(level).last()? };
    if date < last.start || date > last.end {
        return None;
    }
    // The plan's first ISO week may be the rest of the same week.
    let same_week = iso && calendar.iso_weeks().first().is_some_and(|w| w.label == last.label);
    Some(usize::from(same_week))
}

/// Explains why a label is not a period of this plan: malformed, or outside it.
fn missing_period(calendar: &Calendar, label: &str) -> Diagnostic {
    let year = calendar.year();
    let first_quarter = &calendar.level(Level::Quarter)[0].label;
    let month = &calendar.level(Level::Month)[0].label;
    let week = &calendar.level(Level::Week)[0].label;
    let examples = format!("{}, {first_quarter}, {month}, {week} or {}", year.label, calendar.start());
    if !well_formed(label) {
        return Diagnostic::new(Code::BadPeriod, format!("--period `{label}` is not a period"))
            .help(format!("write a period such as {examples}, or one of {}", RELATIVE.join(", ")));
    }
    let fiscal_hint = if calendar.is_fiscal()
        && !label.to_ascii_uppercase().starts_with("FY")
        && (label.len() == 4 || label.contains('Q'))
    {
        format!("; this is a fiscal plan, so its year is {} and its quarters {first_quarter} and so on", year.label)
    } else if !calendar.is_fiscal() && label.to_ascii_uppercase().starts_with("FY") {
        format!("; this plan follows the calendar year, so write {} or {first_quarter}", year.label)
    } else {
        String::new()
    };
    Diagnostic::new(
        Code::PeriodOutsidePlan,
        format!(
            "--period {label} is not in this plan, which covers {} to {}{fiscal_hint}",
            calendar.start(),
            calendar.end()
        ),
    )
    .help(format!("ask for a period of the plan year, such as {examples}"))
}

/// Label shapes are the calendar's: see [`crate::calendar::well_formed`].
pub(super) use crate::calendar::well_formed;

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn knows_the_shapes_of_period_labels() {
        for ok in [
            "2026",
            "FY2026",
            "2026-Q1",
            "fy2026-q4",
            "2026-03",
            "2026-03-W2",
            "2026-03-15",
            "2027-02-28",
            "2026-W53",
            "FY2026-P12",
            "FY2026-W01",
            "2026-03-15 10:00-14:00",
        ] {
            assert!(well_formed(ok), "{ok}");
        }
        for bad in [
            "26",
            "2026-Q5",
            "2026-13",
            "2026-3",
            "2026-03-W9",
            "2026-02-30",
            "FY2026-03",
            "march",
            "2026/03",
            "2026-W54",
            "2026-P01",
            "FY2026-P13",
        ] {
            assert!(!well_formed(bad), "{bad}");
        }
    }
}
