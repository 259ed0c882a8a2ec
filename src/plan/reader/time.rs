//! Stage `plan`, phase 1: the `[time]` section — spread, level,
//! seasonality, weekdays, weeks, workweek, holidays, special days, holds,
//! retail calendars and shop-hour slots — read on its own into
//! [`TimeSettings`]; and a metric's own `[target.<name>.time]`, read the same way.
//!
//! About 500 lines on purpose: `[time]` has the most keys of any section, and
//! like every other section it is read in one file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::advice::did_you_mean;
use super::values::parse_weekday;
use super::{get, Reader, Value, WEEKDAYS};
use crate::calendar::{CalendarKind, Level, RetailPattern, RetailYearEnd, Spread};
use crate::diagnostic::{suggest, why_not_a_date, Code, Diagnostic, Location};
use crate::plan::holidays::Holidays;
use crate::plan::number::{check_group, describe, GroupProblem, Number};
use crate::plan::{Hold, Precision};

const TIME_KEYS: [&str; 14] = [
    "spread",
    "level",
    "months",
    "quarters",
    "weekdays",
    "week_start",
    "workweek",
    "holidays",
    "days",
    "fixed",
    "calendar",
    "retail_year_end",
    "slots",
    "fy_label",
];

/// What `[time]` says, parsed and checked on its own.
pub(super) struct TimeSettings {
    pub spread: Spread,
    pub level: Level,
    pub months: Option<Vec<Decimal>>,
    /// `months = "history"`: where it is written (weights come from a baseline).
    pub months_history: Option<Range<usize>>,
    pub quarters: Option<Vec<Decimal>>,
    pub weekdays: [Decimal; 7],
    pub week_start: Weekday,
    /// Where `week_start` is written, if it is (a retail calendar forbids it).
    pub week_start_at: Option<Range<usize>>,
    /// Where `level` is written, if it is (a plan for one period checks it).
    pub level_at: Option<Range<usize>>,
    pub kind: CalendarKind,
    pub workweek: [bool; 7],
    /// The merged holiday calendars, and where `holidays` is written.
    pub holidays: Option<(Holidays, Location)>,
    /// Special days: weight and where each is written.
    pub days: BTreeMap<NaiveDate, (Decimal, Location)>,
    pub holds: Vec<Hold>,
    pub slots: Vec<(String, Decimal)>,
    /// Whether `[[time.slots]]` is written (its own errors, if any, are reported already).
    pub slots_written: bool,
    /// The holiday calendar files read, for [`Plan::inputs`](crate::plan::Plan::inputs).
    pub files: Vec<PathBuf>,
}

impl Default for TimeSettings {
    fn default() -> TimeSettings {
        TimeSettings {
            spread: Spread::Even,
            level: Level::Month,
            months: None,
            months_history: None,
            quarters: None,
            weekdays: [Decimal::ONE; 7],
            week_start: Weekday::Mon,
            week_start_at: None,
            level_at: None,
            kind: CalendarKind::Gregorian,
            workweek: [true, true, true, true, true, false, false],
            holidays: None,
            days: BTreeMap::new(),
            holds: Vec::new(),
            slots: Vec::new(),
            slots_written: false,
            files: Vec::new(),
        }
    }
}

impl Reader<'_> {
    /// `[time]` of the plan file (the defaults when it has none), or `None`
    /// when it is not a table: then the rest of the plan is not read.
    pub(super) fn time_section(&mut self, root: &DeTable<'_>, precision: Option<Precision>) -> Option<TimeSettings> {
        match get(root, "time") {
            Some((_, v)) => self.table(v, "[time]").map(|t| self.time(t, precision)),
            None => Some(TimeSettings::default()),
        }
    }

    pub(super) fn time(&mut self, t: &DeTable<'_>, precision: Option<Precision>) -> TimeSettings {
        self.known_keys(t, &TIME_KEYS, "[time]");
        let mut s = TimeSettings::default();
        if let Some(spread) = self.choice(t, "spread", &["even", "days", "workdays"]) {
            s.spread = Spread::parse(&spread).expect("one of the choices");
        }
        s.months = match get(t, "months") {
            Some((_, v)) if matches!(v.get_ref(), DeValue::String(h) if h.as_ref() == "history") => {
                s.months_history = Some(v.span());
                None
            }
            Some((_, v)) => self.weight_list(v, "months", 12, "one per fiscal month, in fiscal order"),
            None => None,
        };
        s.quarters = get(t, "quarters").and_then(|(_, v)| self.weight_list(v, "quarters", 4, "one per quarter"));
        if let Some((_, v)) = get(t, "weekdays") {
            if let Some(table) = self.table(v, "weekdays") {
                self.known_keys(table, &WEEKDAYS, "weekdays");
                for (i, day) in WEEKDAYS.iter().enumerate() {
                    if let Some((_, dv)) = get(table, day) {
                        if let Some(w) = self.weight(dv, &format!("weekday `{day}`")) {
                            s.weekdays[i] = w;
                        }
                    }
                }
            }
        }
        if let Some((_, v)) = get(t, "week_start") {
            s.week_start_at = Some(v.span());
            if let Some(text) = self.string(v, "week_start", "week_start = \"mon\"") {
                match parse_weekday(text) {
                    Some(d) => s.week_start = d,
                    None => self.error(
                        Code::UnknownChoice,
                        v.span(),
                        format!("week_start `{text}` is not a day of the week"),
                        "write one of mon, tue, wed, thu, fri, sat, sun",
                    ),
                }
            }
        }
        if let Some((_, v)) = get(t, "workweek") {
            if let Some(days) = self.workweek(v) {
                s.workweek = days;
            }
        }
        s.kind = self.calendar_kind(t);
        if let Some((k, v)) = get(t, "holidays") {
            let at = self.loc(k.span().start..v.span().end);
            s.holidays = self.holidays(v, &mut s.files).map(|h| (h, at));
        }
        if let Some((_, v)) = get(t, "days") {
            s.days = self.special_days(v);
        }
        if let Some((_, v)) = get(t, "fixed") {
            s.holds = self.holds(v, precision);
        }
        if let Some((_, v)) = get(t, "slots") {
            s.slots_written = true;
            s.slots = self.slots(v);
        }
        if let Some((_, v)) = get(t, "level") {
            s.level_at = Some(v.span());
            if let Some(level) = self.level(v, &s) {
                s.level = level;
            }
        }
        s
    }

    /// A string key that must be one of `choices`.
    fn choice(&mut self, t: &DeTable<'_>, key: &str, choices: &[&str]) -> Option<String> {
        let (_, v) = get(t, key)?;
        let text = self.string(v, key, &format!("{key} = \"{}\"", choices[0]))?;
        if choices.contains(&text) {
            return Some(text.to_string());
        }
        self.error(
            Code::UnknownChoice,
            v.span(),
            format!("{key} `{text}` is not one of {}", choices.join(", ")),
            did_you_mean(text, choices),
        );
        None
    }

    fn level(&mut self, v: &Value<'_>, s: &TimeSettings) -> Option<Level> {
        let text = self.string(v, "level", "level = \"month\"")?;
        let retail = matches!(s.kind, CalendarKind::Retail { .. });
        let parsed = match text {
            "period" if retail => Some(Level::Month),
            // Slots that are written but wrong have their own message: one is enough.
            "slot" if s.slots.is_empty() && s.slots_written => return None,
            "slot" if s.slots.is_empty() => {
                self.error(
                    Code::MissingSetting,
                    v.span(),
                    "level `slot` needs shop-hour slots, and this plan has no [[time.slots]]",
                    "add a [[time.slots]] table per part of the day (`name = \"10:00-14:00\"`, `share = \"30%\"`), \
                     or set level to day or coarser",
                );
                return None;
            }
            other => Level::parse(other),
        };
        if parsed.is_none() {
            let mut names = vec!["year", "quarter", if retail { "period" } else { "month" }, "week", "day"];
            if !s.slots.is_empty() {
                names.push("slot");
            }
            self.error(
                Code::UnknownChoice,
                v.span(),
                format!("level `{text}` is not one of {}", names.join(", ")),
                did_you_mean(text, &names),
            );
        }
        parsed
    }

    fn workweek(&mut self, v: &Value<'_>) -> Option<[bool; 7]> {
        let example = "write the worked days, e.g. `workweek = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]`";
        let DeValue::Array(items) = v.get_ref() else {
            self.error(Code::WrongType, v.span(), "workweek must be an array of weekdays", example);
            return None;
        };
        let mut days = [false; 7];
        let mut ok = true;
        for item in items {
            if let Some(d) = item.get_ref().as_str().and_then(parse_weekday) {
                days[d.num_days_from_monday() as usize] = true;
            } else {
                let (what, help) = match item.get_ref().as_str() {
                    Some(text) => (
                        format!("workweek names `{text}`, which is not a day of the week"),
                        match suggest(text.trim(), WEEKDAYS.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`? Write days as {}", WEEKDAYS.join(", ")),
                            None => format!("write days as {}", WEEKDAYS.join(", ")),
                        },
                    ),
                    None => (
                        match self.source(item.span()) {
                            Some(text) => format!("workweek names `{text}`, which is not a day of the week"),
                            None => {
                                format!("workweek names {}, which is not a day of the week", describe(item.get_ref()))
                            }
                        },
                        format!("write days by name, in quotes: {}", WEEKDAYS.join(", ")),
                    ),
                };
                self.error(Code::UnknownChoice, item.span(), what, help);
                ok = false;
            }
        }
        if ok && !days.contains(&true) {
            self.error(Code::NoDaysToCarry, v.span(), "workweek is empty, so no day would ever be worked", example);
            return None;
        }
        ok.then_some(days)
    }

    fn calendar_kind(&mut self, t: &DeTable<'_>) -> CalendarKind {
        let before = self.errors.len();
        let pattern = self.choice(t, "calendar", &["gregorian", "4-4-5", "4-5-4", "5-4-4"]);
        if self.errors.len() > before {
            // `4-4-6`: show why it is not a retail pattern.
            let text = get(t, "calendar").and_then(|(_, v)| v.get_ref().as_str()).unwrap_or("");
            let weeks: Vec<u32> = text.split('-').filter_map(|w| w.trim().parse().ok()).collect();
            if weeks.len() == 3 && text.split('-').count() == 3 {
                let sum: u32 = weeks.iter().sum();
                let terms: Vec<String> = weeks.iter().map(u32::to_string).collect();
                let note = if sum == 13 {
                    "a retail quarter's 13 weeks are cut into periods of 4, 4 and 5 weeks, in one of three orders"
                        .to_string()
                } else {
                    format!(
                        "{} = {sum} weeks, but a retail quarter has 13: periods of 4, 4 and 5 weeks in some order",
                        terms.join(" + ")
                    )
                };
                if let Some(d) = self.errors.last_mut() {
                    d.notes.push(note);
                }
            }
        }
        let year_end = self.choice(t, "retail_year_end", &["nearest-sat-jan31", "last-sat-jan"]);
        if let Some(pattern) = pattern.as_deref().and_then(RetailPattern::parse) {
            CalendarKind::Retail {
                pattern,
                year_end: year_end
                    .as_deref()
                    .and_then(RetailYearEnd::parse)
                    .unwrap_or(RetailYearEnd::NearestSaturdayJan31),
            }
        } else {
            if year_end.is_some() {
                if let Some((k, _)) = get(t, "retail_year_end") {
                    self.error(
                        Code::MissingSetting,
                        k.span(),
                        "retail_year_end only applies to a retail calendar",
                        "add `calendar = \"4-4-5\"` (or 4-5-4, 5-4-4), or remove retail_year_end",
                    );
                }
            }
            CalendarKind::Gregorian
        }
    }

    fn holidays(&mut self, v: &Value<'_>, files: &mut Vec<PathBuf>) -> Option<Holidays> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                Code::WrongType,
                v.span(),
                "holidays must be an array of calendar names or files",
                "write e.g. `holidays = [\"cn-2026\"]` or `holidays = [\"cn-2026\", \"our-days.csv\"]`",
            );
            return None;
        };
        let mut holidays = Holidays::default();
        let mut ok = true;
        for item in items {
            let Some(entry) = self.string(item, "a holidays entry", "holidays = [\"cn-2026\"]") else {
                ok = false;
                continue;
            };
            let at = self.loc(item.span());
            if !crate::plan::SHIPPED_HOLIDAYS.iter().any(|(name, _)| *name == entry) {
                files.push(self.base.join(entry));
            }
            if let Err(ds) = holidays.add(entry, self.base, &at) {
                self.errors.extend(ds);
                ok = false;
            }
        }
        ok.then_some(holidays)
    }

    fn special_days(&mut self, v: &Value<'_>) -> BTreeMap<NaiveDate, (Decimal, Location)> {
        let mut days = BTreeMap::new();
        let Some(table) = self.table(v, "[time.days]") else { return days };
        for (k, dv) in table {
            let Some(date) = self.date_key(k.get_ref(), k.span(), "[time.days]") else { continue };
            if let Some(w) = self.weight(dv, &format!("the weight of {date}")) {
                days.insert(date, (w, self.loc(k.span())));
            }
        }
        days
    }

    fn date_key(&mut self, text: &str, span: Range<usize>, place: &str) -> Option<NaiveDate> {
        if let Ok(d) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Some(d)
        } else {
            let mut d =
                Diagnostic::new(Code::NotADate, format!("`{text}` in {place} is not a date")).at(self.loc(span));
            if let Some(why) = why_not_a_date(text) {
                d = d.note(why);
            }
            self.push(d.help("write the date as YYYY-MM-DD in quotes, e.g. `\"2026-11-11\" = 5`"));
            None
        }
    }

    fn holds(&mut self, v: &Value<'_>, precision: Option<Precision>) -> Vec<Hold> {
        let mut holds = Vec::new();
        let Some(table) = self.table(v, "[time.fixed]") else { return holds };
        for (k, hv) in table {
            let label = k.get_ref().trim().to_string();
            let example = "an amount such as 500_000";
            let Some(n) = self.number(hv, &format!("the hold of {label}"), example) else { continue };
            let amount = match n {
                Number::Plain(d) if !d.is_sign_negative() || d.is_zero() => d,
                _ => {
                    self.error(
                        Code::Negative,
                        hv.span(),
                        format!("the hold of {label} must be an amount of 0 or more"),
                        format!("write {example}"),
                    );
                    continue;
                }
            };
            if let Some(p) = precision {
                if p.to_units(amount).is_none() {
                    let what = format!("the hold of {label} = {amount}");
                    self.not_a_multiple(hv.span(), &what, amount, p, "it", "");
                    continue;
                }
            }
            holds.push(Hold { label, amount, origin: self.loc(k.span().start..hv.span().end) });
        }
        holds
    }

    fn slots(&mut self, v: &Value<'_>) -> Vec<(String, Decimal)> {
        let example = "write each slot as [[time.slots]] with `name = \"10:00-14:00\"` and `share = \"30%\"`";
        let DeValue::Array(items) = v.get_ref() else {
            self.error(Code::WrongType, v.span(), "slots must be an array of tables", example);
            return Vec::new();
        };
        let mut slots: Vec<(String, Decimal)> = Vec::new();
        let mut numbers = Vec::new();
        let before = self.errors.len();
        for item in items {
            let Some(t) = self.table(item, "[[time.slots]]") else { continue };
            self.known_keys(t, &["name", "share"], "[[time.slots]]");
            let name = get(t, "name")
                .and_then(|(_, nv)| self.string(nv, "name", "name = \"10:00-14:00\"").map(str::to_string));
            let share_at = get(t, "share").map(|(_, sv)| sv.span());
            let share = get(t, "share").and_then(|(_, sv)| self.number(sv, "share", "a percentage such as \"30%\""));
            match (name, share) {
                (Some(name), Some(share)) => {
                    if name.trim().is_empty() || slots.iter().any(|(n, _)| *n == name) {
                        let (code, what) = if name.trim().is_empty() {
                            (Code::EmptyName, "a slot has an empty name".to_string())
                        } else {
                            (Code::NameTaken, format!("two slots are both named `{name}`"))
                        };
                        self.error(
                            code,
                            item.span(),
                            what,
                            "give each slot its own name, such as `name = \"10:00-14:00\"`",
                        );
                        continue;
                    }
                    if share.value().is_sign_negative() && !share.value().is_zero() {
                        self.error(
                            Code::Negative,
                            item.span(),
                            format!("slot `{name}` has a negative share"),
                            "shares are 0% or more",
                        );
                        continue;
                    }
                    numbers.push((share, share_at.clone().unwrap_or(item.span())));
                    slots.push((name, share.value()));
                }
                (None, _) | (_, None) => {
                    if self.errors.len() == before {
                        self.error(Code::MissingKey, item.span(), "a slot needs a `name` and a `share`", example);
                    }
                }
            }
        }
        if self.errors.len() > before {
            return Vec::new();
        }
        let first_plain = numbers.iter().position(|(n, _)| matches!(n, Number::Plain(_)));
        let shares: Vec<Number> = numbers.iter().map(|(n, _)| *n).collect();
        let help = "give each slot a percentage of its day, e.g. `share = \"30%\"`, adding up to exactly 100%";
        let d = match (check_group(&shares), first_plain) {
            (Ok(()), None) => return slots,
            // A group that passes with a plain number in it is all plain numbers.
            (Ok(()), Some(i)) => {
                let written: Vec<String> = shares.iter().map(Number::to_string).collect();
                let mut d = Diagnostic::new(
                    Code::PercentageExpected,
                    format!(
                        "the shares of the slots are plain numbers ({}), not percentages of the day",
                        written.join(", ")
                    ),
                )
                .at(self.loc(numbers[i].1.clone()));
                // 1, 3, 6 -> 10%, 30%, 60%, when that is exact.
                let percents: Option<Vec<String>> = sum_of(&shares).filter(|sum| !sum.is_zero()).and_then(|sum| {
                    shares
                        .iter()
                        .map(|n| {
                            let scaled = n.value().checked_mul(Decimal::ONE_HUNDRED)?;
                            let percent = scaled.checked_div(sum)?;
                            (scaled.checked_rem(sum)?.is_zero()).then(|| format!("{}%", percent.normalize()))
                        })
                        .collect()
                });
                if let Some(percents) = percents {
                    d = d.note(format!("as shares of the day, {} are {}", written.join(" : "), percents.join(", ")));
                }
                d.help(help)
            }
            (Err(problem), _) => {
                let at = match (&problem, first_plain) {
                    (GroupProblem::Mixed { .. }, Some(i)) => numbers[i].1.clone(),
                    _ => v.span(),
                };
                let mut d = Diagnostic::new(Code::SharesDoNotAddUp, problem.message("the shares of the slots"))
                    .at(self.loc(at));
                if let Some(note) = problem.note() {
                    d = d.note(note);
                }
                match &problem {
                    GroupProblem::PercentSum { .. } => {
                        let gap = sum_of(&shares).and_then(|sum| {
                            let gap = Decimal::ONE_HUNDRED.checked_sub(sum)?;
                            let how = if gap.is_sign_positive() { "short" } else { "over" };
                            Some(format!(" (these are {}% {how})", gap.abs().normalize()))
                        });
                        d.help(format!(
                            "make the slots' percentages add up to exactly 100% of the day{}",
                            gap.unwrap_or_default()
                        ))
                    }
                    GroupProblem::Mixed { .. } => d.help(help),
                }
            }
        };
        self.push(d);
        Vec::new()
    }
}

/// The sum of some numbers' values, if it fits.
fn sum_of(numbers: &[Number]) -> Option<Decimal> {
    numbers.iter().try_fold(Decimal::ZERO, |acc, n| acc.checked_add(n.value()))
}
