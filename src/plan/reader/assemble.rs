//! Stage `plan`, phase 6: the [`Plan`] from what the phases before made —
//! checking what depends on `[plan]` and `[time]` together (a retail year
//! sets its own start and week; special days must fall inside the year) —
//! and the calendar it describes.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::advice::weekday_name;
use super::header::Header;
use super::time::TimeSettings;
use super::{GrowthRate, Reader};
use crate::calendar::{CalendarKind, CalendarSpec, RetailYearEnd};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::plan::{Funnel, Metric, Plan, Split, TrackSettings};

/// Everything a plan is made of, as phases 1 to 5 made it.
pub(super) struct Parts {
    pub header: Header,
    /// The metrics, every total known (phase 4).
    pub metrics: Vec<Metric>,
    pub time: TimeSettings,
    /// The plan's month weights from history, for `months = "history"`.
    pub history_months: Option<Vec<Decimal>>,
    /// Where `[time]` is written, or the first metric when it is not.
    pub time_origin: Location,
    pub track: TrackSettings,
    pub splits: Vec<Split>,
    pub funnel: Option<Funnel>,
    /// Every growth rate written, for review.
    pub growth: Vec<GrowthRate>,
    /// The files read besides the plan: [`Plan::inputs`].
    pub inputs: Vec<PathBuf>,
}

impl Reader<'_> {
    /// The plan, when its year can be laid out.
    pub(super) fn assemble(&mut self, parts: Parts) -> Option<Plan> {
        let Parts { header, metrics, time, history_months, time_origin, track, splits, funnel, growth, inputs } = parts;
        let start = self.year_start(&header, &time)?;
        let calendar = CalendarSpec {
            year: header.year,
            start,
            spread: time.spread,
            months: history_months.or(time.months),
            quarters: time.quarters,
            weekdays: time.weekdays,
            week_start: time.week_start,
            kind: time.kind,
            workweek: time.workweek,
            holidays: time.holidays.as_ref().map(|(h, _)| h.days.clone()).unwrap_or_default(),
            days: time.days.iter().map(|(d, (w, _))| (*d, *w)).collect(),
            slots: time.slots,
            window: header.period.as_ref().map(|(p, _)| (p.start, p.end)),
        };
        // Written, or English; never guessed from the member names, so that
        // a report's words change only when the plan says so.
        let language = header.language.unwrap_or_default();
        let level = match (&header.period, time.level_at.clone()) {
            (None, _) => time.level,
            (Some((p, _)), None) => p.default_level(),
            (Some((p, _)), Some(at)) => {
                // A level coarser than the period would show figures of days it does not plan.
                if time.level < p.level {
                    self.error(
                        Code::ConflictingKeys,
                        at,
                        format!(
                            "level `{}` is coarser than the plan's period {}, a {}",
                            time.level.name(),
                            p.label,
                            p.level.name()
                        ),
                        format!(
                            "write `level = \"{}\"` or finer, or remove `level` ({} by default)",
                            p.level.name(),
                            p.default_level().name()
                        ),
                    );
                }
                time.level
            }
        };
        Some(Plan {
            language,
            name: header.name,
            currency: header.currency,
            year: header.year,
            start,
            period: header.period.map(|(p, _)| p),
            precision: header.precision,
            rounding: header.rounding,
            metrics,
            calendar,
            time_origin,
            level,
            holds: time.holds,
            holiday_years: time.holidays.map(|(h, at)| (h.years, at)),
            track,
            splits,
            funnel,
            growth,
            inputs,
        })
    }

    /// The first day of the plan year, checking what depends on `[plan]` and
    /// `[time]` together: a retail year sets its own start and week, and
    /// special days must fall inside the year.
    pub(super) fn year_start(&mut self, header: &Header, time: &TimeSettings) -> Option<NaiveDate> {
        let start = match time.kind {
            CalendarKind::Gregorian => header.start,
            CalendarKind::Retail { year_end, .. } => {
                let (start, end) = year_end.bounds(header.year)?;
                let rule = match year_end {
                    RetailYearEnd::NearestSaturdayJan31 => "the Saturday nearest 31 January",
                    RetailYearEnd::LastSaturdayJan => "the last Saturday of January",
                };
                let year = format!("FY{} runs from {start} to {end}, ending on {rule}", header.year);
                let mut ok = true;
                if let Some(at) = header.start_at.clone() {
                    self.push(
                        Diagnostic::new(Code::ConflictingKeys, "a retail calendar sets its own start, so `start` cannot be given")
                            .at(self.loc(at))
                            .note(format!("with this retail calendar, {year}"))
                            .help("remove `start`; to move the year, choose `retail_year_end` (nearest-sat-jan31 or last-sat-jan)"),
                    );
                    ok = false;
                }
                if let Some(at) = time.week_start_at.clone() {
                    let first = weekday_name(start.weekday());
                    let last = weekday_name(end.weekday());
                    self.push(
                        Diagnostic::new(Code::ConflictingKeys, "a retail calendar's weeks start the day after its year end, so `week_start` cannot be given")
                            .at(self.loc(at))
                            .note(format!("{year}, so its weeks run {first} to {last}"))
                            .help("remove `week_start`"),
                    );
                    ok = false;
                }
                if !ok {
                    return None;
                }
                start
            }
        };
        let end = match time.kind {
            CalendarKind::Gregorian => start.checked_add_months(chrono::Months::new(12))?.pred_opt()?,
            CalendarKind::Retail { year_end, .. } => year_end.bounds(header.year)?.1,
        };
        if let (CalendarKind::Retail { .. }, Some((p, at))) = (time.kind, &header.period) {
            self.push(
                Diagnostic::new(
                    Code::ConflictingKeys,
                    format!("a retail calendar plans a retail year, so `period = \"{}\"` cannot be given", p.label),
                )
                .at(self.loc(at.clone()))
                .help("remove `period` and plan the retail year, or remove the retail calendar to plan one period"),
            );
            return None;
        }
        for (date, (_, at)) in &time.days {
            if let Some((p, _)) = header.period.as_ref().filter(|(p, _)| !p.contains(*date)) {
                self.push(
                    Diagnostic::new(
                        Code::DateOutsideYear,
                        format!("special day {date} is not in the plan's period {} ({} to {})", p.label, p.start, p.end),
                    )
                    .at(at.clone())
                    .help("correct the date, or move it to the plan that covers it; this plan can only weigh its own days"),
                );
                continue;
            }
            if *date < start || *date > end {
                self.push(
                    Diagnostic::new(Code::DateOutsideYear, format!("special day {date} is not in the plan year ({start} to {end})"))
                        .at(at.clone())
                        .help(format!(
                            "correct the date, or move it to the plan that covers {date}; this plan can only weigh its own days"
                        )),
                );
            }
        }
        // Days outside the year are reported and never weighed: the rest of the calendar can still be checked.
        Some(start)
    }
}
