//! Stage `plan`: the TOML schema of plan contract v1. Walks the spanned TOML
//! tree once, collects every independent problem as a [`Diagnostic`] that
//! points at the text, and builds a [`Plan`] only when there are none.

use std::ops::Range;
use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

mod history;
mod locator;
mod time;

use self::history::{History, MemberGrowth};
use self::locator::Locator;
use self::time::TimeSettings;
use super::number::{check_group, describe, Number};
use super::roster;
use super::{
    Carry, Funnel, LevelTarget, Member, MemberSet, MemberShare, Metric, MetricKind, MetricTime, Plan, Precision, Split,
    TrackSettings, Vacancy, VACANT,
};
use crate::calendar::{CalendarKind, CalendarSpec, RetailYearEnd};
use crate::diagnostic::{name_list, suggest, Diagnostic, Location};
use crate::error::{Error, Result};

type Key<'i> = Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = Spanned<DeValue<'i>>;
/// A weight, where it is written, what to call it (`the weight of `East``)
/// and who it is for (`` `East` ``), for messages.
type Labelled = (Number, Range<usize>, String, String);

/// Names a split may not take, because outputs and `--by` use them already.
const RESERVED: [&str; 8] = ["period", "start", "end", "year", "quarter", "month", "week", "day"];
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const PRECISION_EXAMPLE: &str = "a rounding unit such as \"0.01\", \"1\", \"100\" or \"1000\"";
const WEIGHT_EXAMPLE: &str = "a relative weight such as 1 or 1.2, or a percentage such as \"30%\"";

pub(super) fn read(file: &str, text: &str, base: &Path) -> Result<Plan> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = text.len() - text_no_bom.len();
    let doc = match DeTable::parse(text_no_bom) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let span = span.start + offset..span.end + offset;
            let message = e.message().trim().trim_end_matches('.').to_string();
            return Err(Error::invalid(
                Diagnostic::new(format!("this is not valid TOML: {message}"))
                    .at(Location::from_span(file, text, span.clone()))
                    .help(syntax_help(&message, text, span.start)),
            ));
        }
    };
    let mut r = Reader {
        file,
        text,
        locator: Locator::new(file, text),
        offset,
        base,
        errors: Vec::new(),
        parents_unknown: false,
        histories: Vec::new(),
        history_metrics: Vec::new(),
        metric_months: Vec::new(),
        member_growth: None,
        history_fixed: Decimal::ZERO,
        growth_rates: Vec::new(),
        inputs: Vec::new(),
    };
    let plan = r.plan(doc.get_ref());
    if let Some(plan) = &plan {
        // In the same run as every other problem: a typo elsewhere must not hide a calendar error.
        let totals_known = plan.metrics.iter().all(|m| m.derivation.is_some() || !r.history_metrics.contains(&m.name));
        r.errors.extend(super::time_check::check(plan, totals_known));
    }
    match plan {
        Some(plan) if r.errors.is_empty() => Ok(plan),
        _ => Err(Error::Invalid(r.errors)),
    }
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    /// Finds lines and columns for [`Reader::loc`] without rescanning the text.
    locator: Locator<'a>,
    /// Bytes of a BOM skipped before parsing; spans are shifted back by it.
    offset: usize,
    base: &'a Path,
    errors: Vec<Diagnostic>,
    /// A split failed, so member names of earlier splits are not all known:
    /// checks that name them are skipped rather than reported falsely.
    parents_unknown: bool,
    /// Metrics set from last year's actuals.
    histories: Vec<History>,
    /// The names of those metrics: their totals are known only once their baseline is read.
    history_metrics: Vec<String>,
    /// `months = "history"` in a metric's own time, and where.
    metric_months: Vec<(String, Range<usize>)>,
    /// `[split.growth]`, if a split has it.
    member_growth: Option<MemberGrowth>,
    /// Fixed amounts of new members in a first split weighted by history:
    /// they come on top of last year's grown sales.
    history_fixed: Decimal,
    /// Every growth rate written, for review: what it is, the rate, where.
    growth_rates: Vec<(String, Decimal, Location)>,
    /// The files read besides the plan (rosters, calendars, baselines): [`Plan::inputs`].
    inputs: Vec<std::path::PathBuf>,
}

/// What [`Reader::plan_table`] found.
struct Header {
    name: String,
    currency: String,
    year: i32,
    start: NaiveDate,
    /// Where `start` is written, if it is.
    start_at: Option<Range<usize>>,
    precision: Precision,
}

impl<'a> Reader<'a> {
    fn loc(&self, span: Range<usize>) -> Location {
        self.locator.locate(span.start + self.offset..span.end + self.offset)
    }

    /// The text of the plan at `span`, as written.
    fn source(&self, span: Range<usize>) -> Option<&'a str> {
        self.text.get(span.start + self.offset..span.end + self.offset)
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>, help: impl Into<String>) {
        let d = Diagnostic::new(message).at(self.loc(span)).help(help);
        self.errors.push(d);
    }

    fn push(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// Reports keys of `table` that are not in `allowed`, suggesting the
    /// nearest. Returns the keys suggested, so that a typo (`wieghts`) is not
    /// reported a second time as a missing key.
    fn known_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], place: &str) -> Vec<String> {
        let mut suggested = Vec::new();
        for (key, _) in table.iter() {
            let k = key.get_ref().as_ref();
            if allowed.contains(&k) {
                continue;
            }
            let help = match suggest(k, allowed.iter().copied()) {
                Some(s) => {
                    suggested.push(s.to_string());
                    format!("did you mean `{s}`?")
                }
                None => format!("the keys allowed here are: {}", allowed.join(", ")),
            };
            self.error(key.span(), format!("unknown key `{k}` in {place}"), help);
        }
        suggested
    }

    fn table<'t>(&mut self, value: &'t Value<'_>, what: &str) -> Option<&'t DeTable<'t>>
    where
        'a: 't,
    {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                let found = describe(other);
                self.error(value.span(), format!("{what} must be a table, found {found}"), table_help(what));
                None
            }
        }
    }

    fn string<'v>(&mut self, value: &'v Value<'_>, what: &str, example: &str) -> Option<&'v str> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.as_ref()),
            other => {
                let found = describe(other);
                self.error(
                    value.span(),
                    format!("{what} must be a string, found {found}"),
                    format!("write it in quotes, e.g. `{example}`"),
                );
                None
            }
        }
    }

    /// Reads a number; `example` is what a right value looks like here
    /// ("an amount such as 10_000_000"), for the help.
    fn number(&mut self, value: &Value<'_>, what: &str, example: &str) -> Option<Number> {
        match Number::from_toml(value.get_ref()) {
            Ok(n) => Some(n),
            Err(why) => {
                let help = if why.contains("significant digits") {
                    "write it with at most 28 significant digits".to_string()
                } else if why.contains("decimal places") {
                    "write it with at most 28 decimal places".to_string()
                } else if why.contains("too large") {
                    "write a smaller number, at most 28 digits long".to_string()
                } else if why.contains("NaN") || why.contains("infinity") {
                    format!("write a finite number: {example}")
                } else {
                    format!("write {example}")
                };
                self.error(value.span(), format!("{what}: {why}"), help);
                None
            }
        }
    }

    fn plan(&mut self, root: &DeTable<'_>) -> Option<Plan> {
        let typos = self.known_keys(root, &["plan", "target", "time", "split", "track", "funnel"], "the plan file");
        let typo = |key: &str| typos.iter().any(|t| t == key);
        let header = match get(root, "plan") {
            Some((_, v)) => self.table(v, "[plan]").and_then(|t| self.plan_table(t, v.span())),
            None if typo("plan") => None,
            None => {
                self.push(
                    Diagnostic::new("the plan has no [plan] table")
                        .at(self.loc(0..0))
                        .help("start the file with [plan] and at least `year = 2026`"),
                );
                None
            }
        };
        let precision = header.as_ref().map(|h| h.precision);
        let metrics = match get(root, "target") {
            Some((_, v)) => self.table(v, "[target]").and_then(|t| self.target(t, v.span(), precision)),
            None if typo("target") => None,
            None => {
                self.push(
                    Diagnostic::new("the plan has no [target] table")
                        .at(self.loc(0..0))
                        .help("add [target] with the annual total, e.g. `sales = 10_000_000`"),
                );
                None
            }
        };
        let time_origin = match get(root, "time") {
            Some((k, _)) => self.loc(k.span()),
            None => metrics.as_ref().map(|m| m[0].origin.clone()).unwrap_or_else(|| self.loc(0..0)),
        };
        let time = match get(root, "time") {
            Some((_, v)) => self.table(v, "[time]").map(|t| self.time(t, precision))?,
            None => TimeSettings::default(),
        };
        let mut time = time;
        if let (false, Some(h)) = (self.histories.is_empty(), &header) {
            let mut histories = std::mem::take(&mut self.histories);
            self.read_baselines(&mut histories, h, &split_names(root));
            self.histories = histories;
        }
        for (name, at) in std::mem::take(&mut self.metric_months) {
            match self.histories.iter_mut().find(|h| h.metric == name) {
                Some(h) => h.months = Some(at),
                None => self.check_metric_months(&[], &[(name, at)]),
            }
        }
        let splits = match get(root, "split") {
            Some((_, v)) => self.splits(v, precision, metrics.as_deref().unwrap_or_default()),
            None => Vec::new(),
        };
        if let (Some(ms), Some(split)) = (&metrics, splits.iter().find(|s| s.over_assign.is_some())) {
            self.base_columns(ms, split);
        }
        let mut metrics = metrics;
        if let (Some(ms), Some(h)) = (metrics.as_mut(), &header) {
            let histories = std::mem::take(&mut self.histories);
            let member_growth = self.member_growth.take();
            self.resolve_history(ms, &histories, member_growth.as_ref(), &mut time, h);
        }
        let track = match get(root, "track") {
            Some((_, v)) => self.table(v, "[track]").map(|t| self.track(t, metrics.as_deref())).unwrap_or_default(),
            None => TrackSettings::default(),
        };
        let funnel = match (get(root, "funnel"), &metrics) {
            (Some((k, v)), Some(metrics)) => {
                self.table(v, "[funnel]").and_then(|t| self.funnel(t, k.span(), metrics, &splits))
            }
            _ => None,
        };
        let header = header?;
        let metrics = metrics?;
        let start = self.year_start(&header, &time)?;
        let calendar = CalendarSpec {
            year: header.year,
            start,
            spread: time.spread,
            months: time.months,
            quarters: time.quarters,
            weekdays: time.weekdays,
            week_start: time.week_start,
            kind: time.kind,
            workweek: time.workweek,
            holidays: time.holidays.as_ref().map(|(h, _)| h.days.clone()).unwrap_or_default(),
            days: time.days.iter().map(|(d, (w, _))| (*d, *w)).collect(),
            slots: time.slots,
        };
        Some(Plan {
            name: header.name,
            currency: header.currency,
            year: header.year,
            start,
            precision: header.precision,
            metrics,
            calendar,
            time_origin,
            level: time.level,
            holds: time.holds,
            holiday_years: time.holidays.map(|(h, at)| (h.years, at)),
            track,
            splits,
            funnel,
            growth: std::mem::take(&mut self.growth_rates),
            inputs: std::mem::take(&mut self.inputs),
        })
    }

    /// The first day of the plan year, checking what depends on `[plan]` and
    /// `[time]` together: a retail year sets its own start and week, and
    /// special days must fall inside the year.
    fn year_start(&mut self, header: &Header, time: &TimeSettings) -> Option<NaiveDate> {
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
                        Diagnostic::new("a retail calendar sets its own start, so `start` cannot be given")
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
                        Diagnostic::new("a retail calendar's weeks start the day after its year end, so `week_start` cannot be given")
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
        for (date, (_, at)) in &time.days {
            if *date < start || *date > end {
                self.push(
                    Diagnostic::new(format!("special day {date} is not in the plan year ({start} to {end})"))
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

    fn plan_table(&mut self, t: &DeTable<'_>, span: Range<usize>) -> Option<Header> {
        let typos = self.known_keys(t, &["name", "currency", "year", "start", "precision", "fy_label"], "[plan]");
        let fy_end = match get(t, "fy_label") {
            None => false,
            Some((_, v)) => match self.string(v, "fy_label", "fy_label = \"start\"") {
                Some("start") => false,
                Some("end") => true,
                Some(other) => {
                    self.error(
                        v.span(),
                        format!("fy_label `{other}` is not start or end"),
                        "write \"start\" (FY2026 starts in 2026) or \"end\" (FY2026 ends in 2026)",
                    );
                    false
                }
                None => false,
            },
        };
        let default_name =
            Path::new(self.file).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name =
            get(t, "name").and_then(|(_, v)| self.string(v, "name", "name = \"2026 sales plan\"").map(str::to_string));
        let currency =
            get(t, "currency").and_then(|(_, v)| self.string(v, "currency", "currency = \"CNY\"").map(str::to_string));
        let year = match get(t, "year") {
            Some((_, v)) => match v.get_ref() {
                DeValue::Integer(i) if i.radix() == 10 => match i.as_str().parse::<i32>() {
                    Ok(y) if (1900..=9998).contains(&y) => Some(y),
                    _ => {
                        self.error(
                            v.span(),
                            format!("year {} is out of range", i.as_str()),
                            "write a year between 1900 and 9998, e.g. `year = 2026`",
                        );
                        None
                    }
                },
                other => {
                    let found = describe(other);
                    self.error(
                        v.span(),
                        format!("year must be a whole number, found {found}"),
                        "write it without quotes, e.g. `year = 2026`",
                    );
                    None
                }
            },
            None if typos.iter().any(|k| k == "year") => None,
            None => {
                self.error(span.clone(), "[plan] has no year", "add the year the plan covers, e.g. `year = 2026`");
                None
            }
        };
        let start = get(t, "start").and_then(|(_, v)| self.date(v, "start"));
        let start_at = start.as_ref().map(|(_, sp)| sp.clone());
        let start = match (year, start) {
            (Some(y), None) => NaiveDate::from_ymd_opt(y, 1, 1),
            (Some(y), Some((d, sp))) => {
                if d.day() != 1 {
                    let first = d.with_day(1).unwrap_or(d);
                    self.error(
                        sp,
                        format!("start {d} is not the 1st of a month"),
                        format!("a fiscal year starts on the 1st of a month, e.g. `start = \"{first}\"`"),
                    );
                    None
                } else if !fy_end && d.year() != y {
                    self.error(
                        sp,
                        format!("start {d} is not in the plan's year {y}"),
                        format!("start the year in {y}, e.g. `start = \"{y}-{:02}-01\"`, or change `year` (with `fy_label = \"end\"`, FY{y} ends in {y})", d.month()),
                    );
                    None
                } else if fy_end && d.checked_add_months(chrono::Months::new(11)).map(|e| e.year()) != Some(y) {
                    let end = d.checked_add_months(chrono::Months::new(12)).and_then(|e| e.pred_opt()).unwrap_or(d);
                    self.error(
                        sp,
                        format!("with fy_label = \"end\", FY{y} must end in {y}, but a year from {d} ends on {end}"),
                        format!(
                            "start FY{y} in {}, e.g. `start = \"{}-{:02}-01\"`, or change `year`",
                            y - 1,
                            y - 1,
                            d.month()
                        ),
                    );
                    None
                } else {
                    Some(d)
                }
            }
            (None, _) => None,
        };
        let precision = match get(t, "precision") {
            None => Precision::new(Decimal::new(1, 2)),
            Some((_, v)) => self.number(v, "precision", PRECISION_EXAMPLE).and_then(|n| match n {
                Number::Plain(d) => match Precision::new(d) {
                    Some(p) => Some(p),
                    None => {
                        self.error(
                            v.span(),
                            format!("precision {d} is not a power of ten"),
                            format!("use {PRECISION_EXAMPLE}"),
                        );
                        None
                    }
                },
                Number::Percent(_) => {
                    self.error(v.span(), "precision cannot be a percentage", format!("use {PRECISION_EXAMPLE}"));
                    None
                }
            }),
        };
        Some(Header {
            name: name.unwrap_or(default_name),
            currency: currency.unwrap_or_default(),
            year: year?,
            start: start?,
            start_at,
            precision: precision?,
        })
    }

    fn date(&mut self, v: &Value<'_>, what: &str) -> Option<(NaiveDate, Range<usize>)> {
        let text = match v.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Datetime(d) => d.to_string(),
            other => {
                let found = describe(other);
                self.error(
                    v.span(),
                    format!("{what} must be a date, found {found}"),
                    format!("write it as `{what} = \"2026-04-01\"`"),
                );
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) => Some((d, v.span())),
            Err(_) => {
                self.error(
                    v.span(),
                    format!("{what} `{text}` is not a date"),
                    format!("write it as YYYY-MM-DD, e.g. `{what} = \"2026-04-01\"`"),
                );
                None
            }
        }
    }

    /// `[target]`: one metric per key, in the order written — an amount
    /// (`sales = 10_000_000`) or a table with a `kind`.
    fn target(&mut self, t: &DeTable<'_>, span: Range<usize>, precision: Option<Precision>) -> Option<Vec<Metric>> {
        if t.is_empty() {
            self.error(span, "[target] names no metric", "add the annual total, e.g. `sales = 10_000_000`");
            return None;
        }
        let mut metrics = Vec::new();
        let mut ok = true;
        for (key, value) in t.iter() {
            let name = key.get_ref().to_string();
            if name.trim().is_empty() {
                self.error(
                    key.span(),
                    format!("metric name `{name}` is empty"),
                    "give the metric a name, e.g. `orders = 5`",
                );
                ok = false;
                continue;
            }
            if RESERVED.contains(&name.as_str()) {
                self.error(
                    key.span(),
                    format!("metric name `{name}` is already used by the output"),
                    format!("choose another name; {} are taken", RESERVED.join(", ")),
                );
                ok = false;
                continue;
            }
            let origin = self.loc(key.span().start..value.span().end);
            let metric = match value.get_ref() {
                DeValue::Table(table) => self.metric_table(&name, table, value.span(), origin, precision),
                _ => self.amount_total(&name, value, precision).map(|total| Metric {
                    name: name.clone(),
                    kind: MetricKind::Amount,
                    total,
                    time: None,
                    derivation: None,
                    origin,
                }),
            };
            match metric {
                Some(m) => metrics.push(m),
                None => ok = false,
            }
        }
        ok.then_some(metrics)
    }

    /// A metric written as a table: `kind`, `total` or `value`, `path`, `time`.
    fn metric_table(
        &mut self,
        name: &str,
        t: &DeTable<'_>,
        span: Range<usize>,
        origin: Location,
        precision: Option<Precision>,
    ) -> Option<Metric> {
        let place = format!("[target.{name}]");
        self.known_keys(t, &["kind", "total", "value", "path", "time", "baseline", "growth"], &place);
        let kind = match get(t, "kind") {
            None => "amount".to_string(),
            Some((_, v)) => {
                let text = self.string(v, "kind", "kind = \"count\"")?.to_string();
                if !["amount", "count", "level"].contains(&text.as_str()) {
                    self.error(
                        v.span(),
                        format!("{place}: kind `{text}` is not amount, count or level"),
                        "write kind = \"amount\" (money), \"count\" (whole units such as new customers) or \"level\" (a rate that does not add up, such as a market share)",
                    );
                    return None;
                }
                text
            }
        };
        let time = match get(t, "time") {
            Some((_, v)) if kind != "level" => {
                self.table(v, &format!("[target.{}.time]", toml_key(name))).map(|tt| self.metric_time(name, tt))
            }
            Some((k, _)) => {
                self.error(
                    k.span(),
                    format!("{place}: a level has no time weights"),
                    "a level is not shared over time; give it a `path` of per-period values instead",
                );
                None
            }
            None => None,
        };
        let wrong_key = |this: &mut Self, key: &str, why: &str, help: &str| {
            if let Some((k, _)) = get(t, key) {
                this.error(k.span(), format!("{place}: {why}"), help.to_string());
                true
            } else {
                false
            }
        };
        let (kind, total) = match kind.as_str() {
            "level" => {
                if get(t, "baseline").is_some() {
                    self.history(name, t, false);
                    return None;
                }
                if wrong_key(
                    self,
                    "total",
                    "a level has a `value`, not a `total`",
                    "write the level for the year, e.g. `value = \"5%\"`",
                ) {
                    return None;
                }
                let Some((_, v)) = get(t, "value") else {
                    self.error(
                        span,
                        format!("{place} has no `value`"),
                        "write the level for the year, e.g. `value = \"5%\"`",
                    );
                    return None;
                };
                (MetricKind::Level(self.level_target(name, v, get(t, "path").map(|(_, p)| p))?), Decimal::ZERO)
            }
            other => {
                let is_count = other == "count";
                for key in ["value", "path"] {
                    if wrong_key(
                        self,
                        key,
                        &format!(
                            "`{key}` is for levels, and this metric is {}",
                            if is_count { "a count" } else { "an amount" }
                        ),
                        "write the annual total as `total`, or make it kind = \"level\"",
                    ) {
                        return None;
                    }
                }
                let kind = if is_count { MetricKind::Count } else { MetricKind::Amount };
                if get(t, "baseline").is_some() {
                    let history = self.history(name, t, kind == MetricKind::Amount)?;
                    self.history_metrics.push(name.to_string());
                    self.histories.push(history);
                    // The total is worked out once the baseline is read.
                    return Some(Metric {
                        name: name.to_string(),
                        kind,
                        total: Decimal::ONE,
                        time,
                        derivation: None,
                        origin,
                    });
                }
                if let Some((k, _)) = get(t, "growth") {
                    self.error(
                        k.span(),
                        format!("{place} has a `growth` but no `baseline` to grow from"),
                        "add last year's actuals, e.g. `baseline = \"sales-2025.csv\"`, or remove `growth`",
                    );
                    return None;
                }
                let Some((_, v)) = get(t, "total") else {
                    let example = if is_count { "total = 100" } else { "total = 10_000_000" };
                    self.error(
                        span,
                        format!("{place} has no `total`"),
                        format!("write the annual total, e.g. `{example}`"),
                    );
                    return None;
                };
                if is_count {
                    (MetricKind::Count, self.count_total(name, v)?)
                } else {
                    (MetricKind::Amount, self.amount_total(name, v, precision)?)
                }
            }
        };
        Some(Metric { name: name.to_string(), kind, total, time, derivation: None, origin })
    }

    /// `[funnel]`: `metric`, `where`, `deal_size` and `stages`.
    fn funnel(&mut self, t: &DeTable<'_>, span: Range<usize>, metrics: &[Metric], splits: &[Split]) -> Option<Funnel> {
        let typos = self.known_keys(t, &["metric", "where", "deal_size", "stages"], "[funnel]");
        let origin = self.loc(span.clone());
        let mut ok = true;
        let amounts: Vec<&str> =
            metrics.iter().filter(|m| m.kind == MetricKind::Amount).map(|m| m.name.as_str()).collect();
        let metric = match get(t, "metric") {
            Some((_, v)) => {
                let name = self.string(v, "metric", "metric = \"sales\"")?;
                match metrics.iter().position(|m| m.name == name && m.kind == MetricKind::Amount) {
                    Some(i) => Some(i),
                    None => {
                        self.error(
                            v.span(),
                            format!("[funnel] works back from `{name}`, which is not a money metric of [target]"),
                            format!("name one of the amounts in [target]: {}", amounts.join(", ")),
                        );
                        None
                    }
                }
            }
            None => match amounts.as_slice() {
                [_] => metrics.iter().position(|m| m.kind == MetricKind::Amount),
                [] => {
                    self.error(
                        span.clone(),
                        "[funnel] works back from a money metric, and [target] has none",
                        "add the money target to [target], e.g. `sales = 10_000_000`, or remove [funnel]",
                    );
                    None
                }
                _ => {
                    if !typos.iter().any(|k| k == "metric") {
                        self.error(
                            span.clone(),
                            "[funnel] does not say which money metric it works back from",
                            format!("add `metric = {}`", toml_string(amounts.first().copied().unwrap_or("sales"))),
                        );
                    }
                    None
                }
            },
        };
        let mut filter = Vec::new();
        if let Some((_, v)) = get(t, "where") {
            if let Some(wt) = self.table(v, "where") {
                for (k, mv) in wt.iter() {
                    let by = k.get_ref().as_ref();
                    let Some(member) = self.string(mv, &format!("where.{by}"), &format!("{by} = \"new\"")) else {
                        ok = false;
                        continue;
                    };
                    match splits.iter().position(|s| s.by == by) {
                        Some(i) if splits[i].member_names().contains(&member) => filter.push((i, member.to_string())),
                        Some(i) => {
                            let names = splits[i].member_names();
                            self.error(
                                mv.span(),
                                format!("[funnel] where: split `{by}` has no member `{member}`"),
                                did_you_mean(member, &names),
                            );
                            ok = false;
                        }
                        None => {
                            let names: Vec<&str> = splits.iter().map(|s| s.by.as_str()).collect();
                            self.error(
                                k.span(),
                                format!("[funnel] where names `{by}`, which is not a split of this plan"),
                                did_you_mean(by, &names),
                            );
                            ok = false;
                        }
                    }
                }
            }
        }
        let deal_size = match get(t, "deal_size") {
            Some((_, v)) => match self.number(v, "deal_size", "an amount such as 10_000") {
                Some(Number::Plain(d)) if d > Decimal::ZERO => Some(d),
                Some(_) => {
                    self.error(
                        v.span(),
                        "deal_size must be an amount above zero",
                        "write the average deal, e.g. `deal_size = 10_000`",
                    );
                    None
                }
                None => None,
            },
            None => {
                if !typos.iter().any(|k| k == "deal_size") {
                    self.error(
                        span.clone(),
                        "[funnel] has no `deal_size`",
                        "add the average deal in money, e.g. `deal_size = 10_000`",
                    );
                }
                None
            }
        };
        let mut stages: Vec<(String, Decimal)> = Vec::new();
        match get(t, "stages") {
            Some((_, v)) => match v.get_ref() {
                DeValue::Array(items) if items.is_empty() => {
                    self.error(
                        v.span(),
                        "`stages` is empty: a funnel needs at least one stage",
                        "write `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
                    );
                    ok = false;
                }
                DeValue::Array(items) => {
                    for item in items.iter() {
                        let Some(st) = self.table(item, "a stage") else {
                            ok = false;
                            continue;
                        };
                        self.known_keys(st, &["name", "rate"], "a [funnel] stage");
                        let name = get(st, "name").and_then(|(_, nv)| {
                            self.string(nv, "a stage's name", "name = \"calls\"").map(|n| (n.to_string(), nv.span()))
                        });
                        let rate = get(st, "rate").and_then(|(_, rv)| match self.number(rv, "a stage's rate", "a percentage such as \"25%\"") {
                            Some(Number::Percent(p)) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => Some(p / Decimal::ONE_HUNDRED),
                            Some(Number::Plain(d)) => {
                                self.error(
                                    rv.span(),
                                    format!("a stage's rate is {}, a bare number: it must be a percentage", d.normalize()),
                                    bare_percent_help(d, |p| format!("rate = {p}")),
                                );
                                None
                            }
                            Some(_) => {
                                self.error(
                                    rv.span(),
                                    "a stage's rate must be a percentage above 0% and at most 100%",
                                    "write how many of this stage become one of the stage before, e.g. `rate = \"25%\"` (one deal in four prospects)",
                                );
                                None
                            }
                            None => None,
                        });
                        match (name, rate) {
                            (Some((name, nspan)), _) if name.trim().is_empty() => {
                                self.error(
                                    nspan,
                                    "a [funnel] stage has an empty `name`",
                                    "write each stage as `{ name = \"calls\", rate = \"20%\" }`",
                                );
                                ok = false;
                            }
                            (Some((name, nspan)), Some(rate)) => {
                                let base = splits.iter().any(|s| s.over_assign.is_some())
                                    && metrics.iter().any(|m| m.is_shared() && format!("{}_base", m.name) == name);
                                let taken = RESERVED.contains(&name.as_str())
                                    || metrics.iter().any(|m| m.name == name)
                                    || splits.iter().any(|s| s.by == name)
                                    || stages.iter().any(|(n, _)| *n == name)
                                    || base;
                                if taken {
                                    self.error(
                                        nspan,
                                        format!("funnel stage `{name}` is already a column of the output"),
                                        "give each stage a name no metric, split or other stage has",
                                    );
                                    ok = false;
                                } else {
                                    stages.push((name, rate));
                                }
                            }
                            (None, _) if get(st, "name").is_none() => {
                                self.error(
                                    item.span(),
                                    "a [funnel] stage has no `name`",
                                    "write each stage as `{ name = \"calls\", rate = \"20%\" }`",
                                );
                                ok = false;
                            }
                            (_, None) if get(st, "rate").is_none() => {
                                self.error(
                                    item.span(),
                                    "a [funnel] stage has no `rate`",
                                    "write each stage as `{ name = \"calls\", rate = \"20%\" }`",
                                );
                                ok = false;
                            }
                            _ => ok = false,
                        }
                    }
                }
                _ => {
                    self.error(
                        v.span(),
                        "`stages` must be a list of stages",
                        "write `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
                    );
                    ok = false;
                }
            },
            None => {
                if !typos.iter().any(|k| k == "stages") {
                    self.error(
                        span,
                        "[funnel] has no `stages`",
                        "list the stages from deals back to the first contact, e.g. `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
                    );
                }
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        Some(Funnel { metric: metric?, filter, deal_size: deal_size?, stages, origin })
    }

    /// `[target.<name>.time]`: the time weights a metric may set for itself.
    fn metric_time(&mut self, name: &str, t: &DeTable<'_>) -> MetricTime {
        const ALLOWED: [&str; 4] = ["spread", "months", "quarters", "weekdays"];
        self.known_keys(t, &ALLOWED, &format!("[target.{name}.time]"));
        // The rest of [time] (calendar, holidays, level ...) is the plan's alone.
        let mut own = DeTable::new();
        for (k, v) in t.iter().filter(|(k, _)| ALLOWED.contains(&k.get_ref().as_ref())) {
            own.insert(k.clone(), v.clone());
        }
        let settings = self.time(&own, None);
        if let Some(at) = settings.months_history.clone() {
            self.metric_months.push((name.to_string(), at));
        }
        MetricTime {
            spread: get(t, "spread").map(|_| settings.spread),
            months: settings.months,
            quarters: settings.quarters,
            weekdays: get(t, "weekdays").map(|_| settings.weekdays),
        }
    }

    /// A level's `value` and `path`.
    fn level_target(&mut self, name: &str, value: &Value<'_>, path: Option<&Value<'_>>) -> Option<LevelTarget> {
        let example = "a percentage such as \"5%\" or a number such as 4.5";
        let read = |this: &mut Self, v: &Value<'_>, what: &str| match this.number(v, what, example)? {
            Number::Percent(p) => Some((p / Decimal::ONE_HUNDRED, true)),
            Number::Plain(d) => Some((d, false)),
        };
        let (year, percent) = read(self, value, &format!("level `{name}`"))?;
        let mut entries = Vec::new();
        let mut ok = true;
        if let Some(pv) = path {
            let table = self.table(pv, "path")?;
            for (k, v) in table.iter() {
                let label = k.get_ref().to_string();
                let Some((level, p)) = read(self, v, &format!("level `{name}` in {label}")) else {
                    ok = false;
                    continue;
                };
                if p != percent {
                    let (is, isnt) =
                        if percent { ("percentages", "a plain number") } else { ("plain numbers", "a percentage") };
                    self.error(
                        v.span(),
                        format!(
                            "level `{name}` in {label} is {isnt}, but its `value` is written as a {}",
                            is.trim_end_matches('s')
                        ),
                        format!("write every value of `{name}` as {is}"),
                    );
                    ok = false;
                    continue;
                }
                entries.push((label, level, self.loc(k.span())));
            }
        }
        ok.then_some(LevelTarget { value: year, percent, path: entries })
    }

    /// An amount's annual total: zero or more, a multiple of the precision.
    fn amount_total(&mut self, name: &str, value: &Value<'_>, precision: Option<Precision>) -> Option<Decimal> {
        let total = match self.number(
            value,
            &format!("target `{name}`"),
            "an amount such as 10_000_000 or \"1250000.50\"",
        )? {
            Number::Plain(d) => d,
            Number::Percent(_) => {
                self.error(
                        value.span(),
                        format!("target `{name}` is a percentage; it must be an amount"),
                        format!(
                            "write the annual total, e.g. `{key} = 10_000_000`, or make it a level: a `[target.{key}]` table with `kind = \"level\"`",
                            key = toml_key(name)
                        ),
                    );
                return None;
            }
        };
        if total.is_sign_negative() {
            self.error(
                value.span(),
                format!("target `{name}` is negative ({total})"),
                "write the annual total as zero or more",
            );
            return None;
        }
        if let Some(p) = precision {
            if p.to_units(total).is_none() {
                let what = format!("target `{name}` = {total}");
                self.not_a_multiple(value.span(), what, total, p, "the total", ", or use a finer precision");
                return None;
            }
        }
        Some(total)
    }

    /// A count's annual total: a whole number, zero or more.
    fn count_total(&mut self, name: &str, value: &Value<'_>) -> Option<Decimal> {
        let total = self.number(value, &format!("count `{name}`"), "a whole number such as 100")?;
        match total {
            Number::Plain(d) if !d.is_sign_negative() && d.fract().is_zero() => Some(d.trunc().normalize()),
            _ => {
                self.error(
                    value.span(),
                    format!("count `{name}` = {total} is not a whole number of zero or more"),
                    "a count is whole units (customers, calls): write it as a whole number, e.g. `total = 100`",
                );
                None
            }
        }
    }

    #[allow(clippy::type_complexity)]
    /// `[track]`: `carry`, `tolerance` and `metric` (an amount or a count
    /// of `metrics`, when they could be read).
    fn track(&mut self, t: &DeTable<'_>, metrics: Option<&[Metric]>) -> TrackSettings {
        self.known_keys(t, &["carry", "tolerance", "metric"], "[track]");
        let mut settings = TrackSettings::default();
        if let Some((_, v)) = get(t, "metric") {
            if let Some(text) = self.string(v, "metric", "metric = \"sales\"") {
                let names: Vec<&str> = metrics.unwrap_or_default().iter().map(|m| m.name.as_str()).collect();
                match metrics.map(|ms| ms.iter().find(|m| m.name == text)) {
                    Some(None) => self.error(
                        v.span(),
                        format!("[track] metric `{text}` is not a metric of this plan"),
                        match crate::diagnostic::suggest(text, names.iter().copied()) {
                            Some(s) => format!("did you mean `metric = \"{s}\"`? The plan's metrics are: {}", names.join(", ")),
                            None => format!("the plan's metrics are: {}", names.join(", ")),
                        },
                    ),
                    Some(Some(m)) if !m.is_shared() => self.error(
                        v.span(),
                        format!("[track] metric `{text}` is a level: it is not shared, so no member has a target that sales add up to"),
                        "name an amount or a count of [target], or remove `metric`",
                    ),
                    _ => settings.metric = Some(text.to_string()),
                }
            }
        }
        if let Some((_, v)) = get(t, "carry") {
            if let Some(text) = self.string(v, "carry", "carry = \"shortfall\"") {
                match Carry::parse(text) {
                    Some(c) => settings.carry = c,
                    None => self.error(
                        v.span(),
                        format!("carry `{text}` is not one of {}", Carry::NAMES.join(", ")),
                        did_you_mean(text, &Carry::NAMES),
                    ),
                }
            }
        }
        if let Some((_, v)) = get(t, "tolerance") {
            match self.number(v, "tolerance", "a percentage such as \"5%\"") {
                Some(Number::Percent(p)) if !p.is_sign_negative() && p < Decimal::ONE_HUNDRED => {
                    settings.tolerance = p / Decimal::ONE_HUNDRED;
                }
                Some(Number::Plain(d)) => self.error(
                    v.span(),
                    format!("tolerance is {}, a bare number: it must be a percentage", d.normalize()),
                    bare_percent_help(d, |p| format!("tolerance = {p}")),
                ),
                Some(_) => self.error(
                    v.span(),
                    "tolerance must be a percentage from 0% to under 100%",
                    "write the band around 100% that counts as on track, e.g. `tolerance = \"5%\"`",
                ),
                None => {}
            }
        }
        settings
    }

    /// A non-negative plain weight.
    fn weight(&mut self, v: &Value<'_>, what: &str) -> Option<Decimal> {
        match self.number(v, what, "a relative weight such as 1 or 1.2")? {
            Number::Plain(d) if d.is_sign_negative() => {
                self.error(
                    v.span(),
                    format!("{what} is negative ({d})"),
                    "write a weight of 0 or more (0 gives that day no share)",
                );
                None
            }
            Number::Plain(d) => Some(d),
            Number::Percent(_) => {
                self.error(v.span(), format!("{what} is a percentage"), "write a plain relative weight such as 1.2");
                None
            }
        }
    }

    fn weight_list(&mut self, v: &Value<'_>, what: &str, len: usize, meaning: &str) -> Option<Vec<Decimal>> {
        let DeValue::Array(items) = v.get_ref() else {
            let found = describe(v.get_ref());
            self.error(
                v.span(),
                format!("`{what}` must be an array of {len} numbers, found {found}"),
                format!("write {len} weights, {meaning}"),
            );
            return None;
        };
        if items.len() != len {
            self.error(
                v.span(),
                format!("`{what}` has {} numbers; it needs exactly {len}", items.len()),
                format!("write {len} weights, {meaning}"),
            );
            return None;
        }
        let before = self.errors.len();
        let numbers: Vec<(Number, Range<usize>)> =
            items.iter().filter_map(|item| self.number(item, what, WEIGHT_EXAMPLE).map(|n| (n, item.span()))).collect();
        if self.errors.len() > before {
            return None;
        }
        let one = what.trim_end_matches('s');
        let labelled: Vec<Labelled> = numbers
            .into_iter()
            .enumerate()
            .map(|(i, (n, sp))| (n, sp, format!("weight {} of {len}", i + 1), format!("that {one}")))
            .collect();
        self.relative_weights(&labelled, v.span(), &format!("`{what}`"), &format!("the `{what}` weights"))
    }

    /// Checks one group of weights: all plain or all percentages adding up to
    /// 100%, none negative. Returns the weights (a percentage keeps its number).
    /// `place` names the group in messages about one weight (`split `region``),
    /// `what` names the weights together (`the weights of split `region``).
    fn relative_weights(
        &mut self,
        numbers: &[Labelled],
        span: Range<usize>,
        place: &str,
        what: &str,
    ) -> Option<Vec<Decimal>> {
        let mut ok = true;
        for (n, sp, label, who) in numbers {
            if n.value().is_sign_negative() && !n.value().is_zero() {
                self.error(
                    sp.clone(),
                    format!("{place}: {label} is negative ({n})"),
                    format!("write a weight of 0 or more (0 gives {who} no share)"),
                );
                ok = false;
            }
        }
        let plain: Vec<Number> = numbers.iter().map(|(n, ..)| *n).collect();
        if let Err(problem) = check_group(&plain) {
            let mut d = Diagnostic::new(problem.message(what)).at(self.loc(span)).help(problem.help());
            if let Some(note) = problem.note() {
                d = d.note(note);
            }
            self.push(d);
            return None;
        }
        ok.then(|| numbers.iter().map(|(n, ..)| n.value()).collect())
    }

    fn splits(&mut self, v: &Value<'_>, precision: Option<Precision>, metrics: &[Metric]) -> Vec<Split> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(v.span(), "`split` must be an array of tables", "write each split as a [[split]] table");
            return Vec::new();
        };
        let mut splits: Vec<Split> = Vec::new();
        for item in items.iter() {
            let Some(t) = self.table(item, "[[split]]") else { continue };
            let before = self.errors.len();
            let split = self.split(t, item.span(), &splits, precision, metrics);
            match split {
                Some(s) if self.errors.len() == before => {
                    if let Some(other) = splits.iter().find(|o| o.by == s.by) {
                        let line = other.origin.line;
                        self.push(
                            Diagnostic::new(format!("two splits are both by `{}`", s.by))
                                .at(s.origin.clone())
                                .note(format!("the first is on line {line}"))
                                .help("give each split its own name"),
                        );
                    } else {
                        splits.push(s);
                    }
                }
                // Later splits may name this one's members: keep checking
                // what does not depend on them, but not what does.
                _ => self.parents_unknown = true,
            }
        }
        splits
    }

    fn split(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        earlier: &[Split],
        precision: Option<Precision>,
        metrics: &[Metric],
    ) -> Option<Split> {
        let prev = earlier.last();
        let typos = self.known_keys(
            t,
            &["by", "weights", "fixed", "within", "roster", "over_assign", "vacancy", "growth"],
            "[[split]]",
        );
        let Some((_, by_v)) = get(t, "by") else {
            if !typos.iter().any(|k| k == "by") {
                self.error(span, "a [[split]] has no `by`", "name the dimension, e.g. `by = \"region\"`");
            }
            return None;
        };
        let by = self.string(by_v, "by", "by = \"region\"")?.trim().to_string();
        if by.is_empty() || RESERVED.contains(&by.as_str()) || metrics.iter().any(|m| m.name == by) {
            let why = if by.is_empty() { "is empty".to_string() } else { "is already used by the output".to_string() };
            self.error(
                by_v.span(),
                format!("split name `{by}` {why}"),
                format!("choose another name; {} and the metrics' names are taken", RESERVED.join(", ")),
            );
            return None;
        }
        let origin = self.loc(by_v.span());
        if let Some((_, roster_v)) = get(t, "roster") {
            for clash in ["weights", "fixed", "within"] {
                if let Some((k, _)) = get(t, clash) {
                    self.error(
                        k.span(),
                        format!("split `{by}` has both a roster and `{clash}`"),
                        "weights come from the roster's weight column; remove this key",
                    );
                }
            }
            let path = self.string(roster_v, "roster", "roster = \"reps.csv\"")?;
            if self.parents_unknown {
                return None;
            }
            let parents: Vec<(&str, Vec<&str>)> = earlier.iter().map(|p| (p.by.as_str(), p.member_names())).collect();
            self.inputs.push(self.base.join(path));
            let result = roster::read(self.base, path, &parents, precision);
            let (default, within, parent) = match result {
                Ok(r) => r,
                Err(Error::Invalid(ds)) => {
                    self.errors.extend(ds);
                    return None;
                }
                Err(io @ Error::Io { .. }) => {
                    let (reason, help) = match &io {
                        Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => (
                            "no such file".to_string(),
                            "check the path; it is read relative to the plan file's folder".to_string(),
                        ),
                        _ => io.io_advice().unwrap_or_default(),
                    };
                    let full = self.base.join(path);
                    self.error(roster_v.span(), format!("cannot read roster {}: {reason}", full.display()), help);
                    return None;
                }
            };
            let mut split = Split::new(by, default, within, origin, parent);
            split.roster = Some(path.to_string());
            self.missing_children(&split, earlier, parent, metrics, Some(path), &[]);
            self.split_options(t, &mut split);
            return Some(split);
        }
        let from_history =
            matches!(get(t, "weights").map(|(_, v)| v.get_ref()), Some(DeValue::String(h)) if h.as_ref() == "history");
        if let Some((_, wv)) = get(t, "weights") {
            if let DeValue::String(word) = wv.get_ref() {
                if word.as_ref() != "history" {
                    self.error(
                        wv.span(),
                        format!("weights `{word}` is neither a table of weights nor \"history\""),
                        match suggest(word, ["history"].into_iter()) {
                            Some(_) => "did you mean `weights = \"history\"` (last year's shares)?".to_string(),
                            None => "write the weights as a table, e.g. `weights = { A = 1, B = 2 }`, or `weights = \"history\"` for last year's shares".to_string(),
                        },
                    );
                    return None;
                }
            }
        }
        if from_history || get(t, "growth").is_some() {
            return self.history_split(t, span, by, origin, earlier, precision, metrics, from_history);
        }
        let default = if get(t, "weights").is_some() || get(t, "fixed").is_some() {
            self.member_set(t, span.clone(), &by, precision, None)
        } else {
            None
        };
        let mut within = Vec::new();
        // Parents that `within` names, even where their table has errors
        // (those are reported already, not again as missing members).
        let mut named: Vec<String> = Vec::new();
        if let Some((wk, wv)) = get(t, "within") {
            match prev {
                // The split before this one had errors: its members are unknown, not absent.
                None if self.parents_unknown => {}
                None => self.error(
                    wk.span(),
                    format!("split `{by}` is the first split, so `within` has no parent to name"),
                    "remove `within`, or add the split it refines before this one",
                ),
                Some(p) => {
                    if let Some(wt) = self.table(wv, "within") {
                        let names = p.member_names();
                        for (pk, pv) in wt.iter() {
                            let parent = pk.get_ref().to_string();
                            if !self.within_parent(p, &names, &parent, pk.span()) {
                                continue;
                            }
                            named.push(parent.clone());
                            if let Some(pt) = self.table(pv, &format!("within.{}", toml_key(&parent))) {
                                let typos =
                                    self.known_keys(pt, &["weights", "fixed"], &format!("[split.within.\"{parent}\"]"));
                                let members = get(pt, "weights").is_some() || get(pt, "fixed").is_some();
                                if !members && !typos.is_empty() {
                                    continue;
                                }
                                if let Some(set) = self.member_set(pt, pk.span(), &by, precision, Some(&parent)) {
                                    within.push((parent, set));
                                }
                            }
                        }
                    }
                }
            }
        }
        if default.is_none() && named.is_empty() && get(t, "weights").is_none() && get(t, "fixed").is_none() {
            if typos.iter().any(|k| matches!(k.as_str(), "weights" | "fixed" | "roster" | "within")) {
                // The unknown key's "did you mean" already says what is missing.
                return None;
            }
            self.error(
                span,
                format!("split `{by}` has no members"),
                "add `weights = { A = 1, B = 2 }`, `fixed = { \"Key account\" = 6_000_000 }` or `roster = \"file.csv\"`",
            );
            return None;
        }
        let mut split = Split::new(by, default, within, origin, earlier.len().checked_sub(1));
        if split.default.is_none() && !self.parents_unknown {
            self.missing_children(&split, earlier, earlier.len().checked_sub(1), metrics, None, &named);
        }
        self.split_options(t, &mut split);
        Some(split)
    }

    /// A split whose weights come from the baseline (`weights = "history"`,
    /// or `[split.growth]`, which implies it).
    #[allow(clippy::too_many_arguments)]
    fn history_split(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        by: String,
        origin: Location,
        earlier: &[Split],
        precision: Option<Precision>,
        metrics: &[Metric],
        from_history: bool,
    ) -> Option<Split> {
        let mut growth = None;
        if let Some((k, gv)) = get(t, "growth") {
            if !from_history {
                self.error(
                    k.span(),
                    format!("split `{by}` has growth per member but its weights are not from history"),
                    "growth per member grows last year's sales: write `weights = \"history\"` instead of the weights",
                );
                return None;
            }
            if let Some(other) = &self.member_growth {
                let other = other.by.clone();
                self.error(
                    k.span(),
                    format!("splits `{other}` and `{by}` both grow by member"),
                    "keep `[split.growth]` on one split",
                );
                return None;
            }
            let table = self.table(gv, "growth")?;
            let mut rates = Vec::new();
            for (mk, mv) in table.iter() {
                let name = mk.get_ref().to_string();
                if let Some(rate) = self.rate(mv, &format!("growth of `{name}`")) {
                    self.growth_rates.push((format!("{by} `{name}`"), rate, self.loc(mv.span())));
                    rates.push((name, rate, mk.span()));
                }
            }
            growth = Some(MemberGrowth { by: by.clone(), rates });
        }
        let fixed = match get(t, "fixed") {
            Some((fk, fv)) => {
                let mut only = DeTable::new();
                only.insert(fk.clone(), fv.clone());
                self.member_set(&only, span.clone(), &by, precision, None)?.members
            }
            None => Vec::new(),
        };
        if earlier.is_empty() {
            self.history_fixed = fixed
                .iter()
                .map(|m| match m.share {
                    MemberShare::Fixed(a) => a,
                    MemberShare::Weight(_) => Decimal::ZERO,
                })
                .sum();
        }
        let reference = metrics.iter().find(|m| m.kind == MetricKind::Amount).map(|m| m.name.clone());
        let history = self.histories.iter().find(|h| Some(&h.metric) == reference.as_ref());
        let default_growth = match history.map(|h| &h.growth) {
            Some(self::history::Growth::Year(g, _)) => *g,
            _ => Decimal::ZERO,
        };
        let baseline = history.and_then(|h| h.baseline.clone());
        let depth = earlier.len();
        let names: Vec<&str> = earlier.iter().map(|s| s.by.as_str()).collect();
        let (default, mut within) = self.history_members(
            &by,
            depth,
            span.clone(),
            baseline.as_ref(),
            growth.as_ref(),
            default_growth,
            fixed,
            &names,
        )?;
        // `within` gives weights where history has none (a new parent), or
        // overrides it for the parents it names.
        if let Some((wk, wv)) = get(t, "within") {
            if depth == 0 {
                self.error(
                    wk.span(),
                    format!("split `{by}` is the first split, so `within` has no parent to name"),
                    "remove `within`",
                );
                return None;
            }
            let wt = self.table(wv, "within")?;
            let prev = &earlier[depth - 1];
            let parents = prev.member_names();
            for (pk, pv) in wt.iter() {
                let parent = pk.get_ref().to_string();
                if !self.within_parent(prev, &parents, &parent, pk.span()) {
                    continue;
                }
                let pt = self.table(pv, &format!("within.{}", toml_key(&parent)))?;
                let typos = self.known_keys(pt, &["weights", "fixed"], &format!("[split.within.\"{parent}\"]"));
                if get(pt, "weights").is_none() && get(pt, "fixed").is_none() && !typos.is_empty() {
                    continue;
                }
                let set = self.member_set(pt, pk.span(), &by, precision, Some(&parent))?;
                match within.iter_mut().find(|(p, _)| *p == parent) {
                    Some((_, existing)) => *existing = set,
                    None => within.push((parent, set)),
                }
            }
        }
        self.member_growth = growth.or(self.member_growth.take());
        let mut split = Split::new(by, default, within, origin, depth.checked_sub(1));
        if split.default.is_none() && !self.parents_unknown {
            self.missing_children(&split, earlier, depth.checked_sub(1), metrics, None, &[]);
        }
        self.split_options(t, &mut split);
        Some(split)
    }

    /// Reports an amount that is not a whole number of rounding units:
    /// `what` is `target `sales` = 12.345`, `rounded` what to round (`the
    /// total`, `it`), `or_else` a further way out. An amount with more digits
    /// than the precision can carry is told so instead.
    pub(super) fn not_a_multiple(
        &mut self,
        span: Range<usize>,
        what: String,
        amount: Decimal,
        p: Precision,
        rounded: &str,
        or_else: &str,
    ) {
        if amount > p.largest() {
            self.error(
                span,
                format!(
                    "{what} is too large for the precision {p}: an amount at this precision is at most {}",
                    p.largest()
                ),
                "use a coarser precision, such as \"1\" or \"1000\", or a smaller amount",
            );
            return;
        }
        let help = match neighbours(amount, p) {
            Some((down, up)) => format!("round {rounded} to a multiple of {p}, such as {down} or {up}{or_else}"),
            None => format!("round {rounded} down to a multiple of {p}{or_else}"),
        };
        self.error(span, format!("{what} is not a multiple of the precision {p}"), help);
    }

    /// Whether `parent`, named by a `within` table, is a member of split
    /// `prev` (whose members are `names`); reports it when not.
    fn within_parent(&mut self, prev: &Split, names: &[&str], parent: &str, span: Range<usize>) -> bool {
        if self.parents_unknown || names.contains(&parent) {
            return true;
        }
        let list = name_list(names);
        let help = match suggest(parent, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? The members of `{}` are: {list}", prev.by),
            None => format!("write one of the members of `{}`: {list}", prev.by),
        };
        self.error(span, format!("`within` names `{parent}`, which is not a member of split `{}`", prev.by), help);
        false
    }

    /// `over_assign` adds a `<metric>_base` column per shared metric: no
    /// metric may already have that name.
    fn base_columns(&mut self, metrics: &[Metric], split: &Split) {
        for m in metrics.iter().filter(|m| m.is_shared()) {
            let base = format!("{}_base", m.name);
            if let Some(clash) = metrics.iter().find(|o| o.name == base) {
                // Underline the name only, not its value.
                let mut at = clash.origin.clone();
                at.underline = at.underline.start..at.underline.start + clash.name.len();
                self.push(
                    Diagnostic::new(format!("metric name `{base}` is already used by the output"))
                        .at(at)
                        .note(format!(
                            "over_assign on split `{}` adds a `{base}` column: `{}` before over-assignment",
                            split.by, m.name
                        ))
                        .help("choose another name for the metric"),
                );
            }
        }
    }

    /// `over_assign` and `vacancy` of a split. Under `vacancy = "show"` every
    /// member set gains a `(vacant)` member that carries unfilled seats.
    fn split_options(&mut self, t: &DeTable<'_>, split: &mut Split) {
        if let Some((k, v)) = get(t, "over_assign") {
            match self.number(v, "over_assign", "a percentage such as \"10%\"") {
                Some(Number::Percent(p)) if !p.is_sign_negative() => {
                    split.over_assign = Some((p / Decimal::ONE_HUNDRED, self.loc(k.span().start..v.span().end)));
                }
                // 1.1 is most likely "110% of the parent": 10% over it.
                Some(Number::Plain(d)) if d > Decimal::ONE && d < Decimal::TWO => self.error(
                    v.span(),
                    format!("over_assign is {}, a bare number: it must be a percentage", d.normalize()),
                    format!(
                        "write how far the members' targets go above their parent's: for {}% of it, `over_assign = \"{}%\"`",
                        (d * Decimal::ONE_HUNDRED).normalize(),
                        ((d - Decimal::ONE) * Decimal::ONE_HUNDRED).normalize()
                    ),
                ),
                Some(Number::Plain(d)) => self.error(
                    v.span(),
                    format!("over_assign is {}, a bare number: it must be a percentage", d.normalize()),
                    bare_percent_help(d, |p| format!("over_assign = {p}")),
                ),
                Some(_) => self.error(
                    v.span(),
                    "over_assign must be a percentage of 0% or more",
                    "write how far the members' targets go above their parent's, e.g. `over_assign = \"10%\"` for 110%",
                ),
                None => {}
            }
        }
        if let Some((_, v)) = get(t, "vacancy") {
            let Some(text) = self.string(v, "vacancy", "vacancy = \"show\"") else { return };
            match text {
                "share" => split.vacancy = Vacancy::Share,
                "show" if split.roster.is_none() => self.error(
                    v.span(),
                    format!("split `{}` has `vacancy` but no roster", split.by),
                    "vacancies come from people's `start` and `end` dates in a roster; remove `vacancy`",
                ),
                "show" => {
                    split.vacancy = Vacancy::Show;
                    let sets = split.default.iter_mut().chain(split.within.iter_mut().map(|(_, set)| set));
                    for set in sets {
                        let origin = set.origin.clone();
                        set.members.push(Member {
                            name: VACANT.to_string(),
                            share: MemberShare::Weight(Decimal::ZERO),
                            origin: origin.into(),
                            details: None,
                        });
                    }
                }
                other => self.error(
                    v.span(),
                    format!("vacancy `{other}` is not share or show"),
                    "write \"share\" (whoever is in seat shares the target) or \"show\" (unfilled seats go to a (vacant) row)",
                ),
            }
        }
    }

    /// A parent member that can receive part of the target needs children,
    /// or its money would vanish.
    /// `roster` is the roster file the split's members come from, if any;
    /// parents in `reported` have had their own errors reported already.
    fn missing_children(
        &mut self,
        split: &Split,
        earlier: &[Split],
        parent: Option<usize>,
        metrics: &[Metric],
        roster: Option<&str>,
        reported: &[String],
    ) {
        // Only a shared total can be lost; levels are inherited, not shared.
        if metrics.iter().all(|m| !m.is_shared() || m.total.is_zero()) {
            return;
        }
        let Some(p) = parent else { return };
        let prev = &earlier[p];
        // Only members that can have a share need children: not one that every parent's `within` replaces.
        for parent in Split::receiving_in(earlier, p) {
            if split.members_for(Some(parent)).is_none() && !reported.iter().any(|r| r == parent) {
                let (pby, by) = (&prev.by, &split.by);
                let (message, help) = match roster {
                    Some(path) => (
                        format!("{pby} `{parent}` has a share of the target but no {by} in {path}"),
                        format!(
                            "add a row with {pby} `{parent}` to {path}, or give `{parent}` a weight of 0 in split `{pby}`"
                        ),
                    ),
                    None => (
                        format!("{pby} `{parent}` has a share of the target but split `{by}` has no members for it"),
                        format!(
                            "add `weights` to split `{by}` for every {pby}, or a `[split.within.{key}]` table, \
                             or give `{parent}` a weight of 0 in split `{pby}`",
                            key = toml_string(parent)
                        ),
                    ),
                };
                let d = Diagnostic::new(message)
                    .at(split.origin.clone())
                    .note(format!("with nobody to share it, `{parent}`'s share of the target would be lost"))
                    .help(help);
                self.push(d);
            }
        }
    }

    /// `weights` and `fixed` of one table, checked as one sibling group.
    /// Whether key `k` is a usable member name: not empty nor only spaces,
    /// which no roster or actuals file could name (their cells are trimmed)
    /// and no table could show. Records the error otherwise.
    fn member_name(&mut self, k: &Key<'_>, place: &str) -> bool {
        if !k.get_ref().trim().is_empty() {
            return true;
        }
        let what = if k.get_ref().is_empty() { "an empty name" } else { "a name of only spaces" };
        self.error(
            k.span(),
            format!("{place} has a member with {what}"),
            "write the member's name between the quotes, or remove the entry",
        );
        false
    }

    fn member_set(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        by: &str,
        precision: Option<Precision>,
        parent: Option<&str>,
    ) -> Option<MemberSet> {
        let place = match parent {
            Some(p) => format!("split `{by}` within `{p}`"),
            None => format!("split `{by}`"),
        };
        let mut members: Vec<(usize, Member)> = Vec::new();
        let before = self.errors.len();
        if let Some((_, wv)) = get(t, "weights") {
            if let Some(wt) = self.table(wv, "weights") {
                let mut numbers = Vec::new();
                let mut keys = Vec::new();
                for (k, v) in wt.iter() {
                    if !self.member_name(k, &place) {
                        continue;
                    }
                    if let Some(n) = self.number(v, &format!("{place}, weight of `{}`", k.get_ref()), WEIGHT_EXAMPLE) {
                        let who = format!("`{}`", k.get_ref());
                        numbers.push((n, v.span(), format!("the weight of {who}"), who));
                        keys.push(k);
                    }
                }
                let what = format!("the weights of {place}");
                if let Some(ws) = self.relative_weights(&numbers, wv.span(), &place, &what) {
                    for (k, w) in keys.iter().zip(ws) {
                        let m = Member {
                            name: k.get_ref().to_string(),
                            share: MemberShare::Weight(w),
                            origin: self.loc(k.span()).into(),
                            details: None,
                        };
                        members.push((k.span().start, m));
                    }
                }
            }
        }
        if let Some((_, fv)) = get(t, "fixed") {
            // A set, not a search of the members: 50,000 SKUs with 5,000 fixed stay linear.
            let weighted: std::collections::HashSet<String> = members.iter().map(|(_, m)| m.name.clone()).collect();
            if let Some(ft) = self.table(fv, "fixed") {
                for (k, v) in ft.iter() {
                    if !self.member_name(k, &place) {
                        continue;
                    }
                    let name = k.get_ref().to_string();
                    let Some(n) =
                        self.number(v, &format!("{place}, fixed amount of `{name}`"), "an amount such as 3_000_000")
                    else {
                        continue;
                    };
                    let amount = match n {
                        Number::Percent(_) => {
                            self.error(
                                v.span(),
                                format!("{place}: the fixed amount of `{name}` is a percentage"),
                                "a fixed amount is money; use `weights` for percentages",
                            );
                            continue;
                        }
                        Number::Plain(d) if d.is_sign_negative() => {
                            self.error(
                                v.span(),
                                format!("{place}: the fixed amount of `{name}` is negative ({d})"),
                                "fixed amounts must be zero or more",
                            );
                            continue;
                        }
                        Number::Plain(d) => d,
                    };
                    if let Some(p) = precision {
                        if p.to_units(amount).is_none() {
                            let what = format!("{place}: the fixed amount of `{name}` = {amount}");
                            self.not_a_multiple(v.span(), what, amount, p, "it", "");
                            continue;
                        }
                    }
                    if weighted.contains(name.as_str()) {
                        self.error(
                            k.span(),
                            format!("{place}: `{name}` has both a weight and a fixed amount"),
                            "give it one: a weight, or a fixed amount",
                        );
                        continue;
                    }
                    members.push((
                        k.span().start,
                        Member {
                            name,
                            share: MemberShare::Fixed(amount),
                            origin: self.loc(k.span()).into(),
                            details: None,
                        },
                    ));
                }
            }
        }
        if self.errors.len() > before {
            return None;
        }
        if members.is_empty() {
            self.error(span, format!("{place} has no members"), "add at least one member to `weights` or `fixed`");
            return None;
        }
        let any_weight = members.iter().any(|(_, m)| matches!(m.share, MemberShare::Weight(w) if w > Decimal::ZERO));
        let has_fixed = members.iter().any(|(_, m)| matches!(m.share, MemberShare::Fixed(_)));
        if !any_weight && !has_fixed {
            let at = get(t, "weights").map(|(_, v)| v.span()).unwrap_or(span.clone());
            self.error(
                at,
                format!("{place}: every weight is zero, so there is nobody to share the amount"),
                "give at least one member a positive weight",
            );
            return None;
        }
        members.sort_by_key(|(pos, _)| *pos);
        // Sharing can only fail over fixed amounts, so point there when there are some.
        let origin = match get(t, "fixed") {
            Some((_, fv)) if has_fixed => self.loc(fv.span()),
            _ => self.loc(span),
        };
        Some(MemberSet { members: members.into_iter().map(|(_, m)| m).collect(), origin })
    }
}

/// What to write instead of a bare number where a percentage belongs:
/// `0.9` as a fraction is `"90%"` (or `"0.9%"` if it means 0.9 percent);
/// `5` is `"5%"`. `write` shows a value in place (`tolerance = "90%"`).
fn bare_percent_help(d: Decimal, write: impl Fn(&str) -> String) -> String {
    let plain = d.normalize();
    match d.checked_mul(Decimal::ONE_HUNDRED) {
        Some(scaled) if !d.is_zero() && d.abs() < Decimal::ONE => format!(
            "write it as a percentage in quotes: `{}` ({plain} as a fraction), or `{}` if you mean {plain} percent",
            write(&format!("\"{}%\"", scaled.normalize())),
            write(&format!("\"{plain}%\""))
        ),
        _ => format!("write it as a percentage in quotes: `{}`", write(&format!("\"{plain}%\""))),
    }
}

/// What a table named `what` (as [`Reader::table`] names it) looks like when
/// written right: every snippet in backticks is TOML that parses.
fn table_help(what: &str) -> String {
    let keys =
        |example: &str| format!("write {what} as a table: a line `{what}` with its keys below it, e.g. `{example}`");
    match what {
        "[plan]" => keys("year = 2026"),
        "[target]" => keys("sales = 10_000_000"),
        "[time]" => keys("spread = \"workdays\""),
        "[track]" => keys("tolerance = \"5%\""),
        "[funnel]" => keys("deal_size = 10_000"),
        "[time.days]" => keys("\"2026-11-11\" = 5"),
        "[time.fixed]" => keys("\"2026-02\" = 500_000"),
        "[[split]]" => "write each split as a `[[split]]` table with its keys below it, e.g. `by = \"region\"`".to_string(),
        "[[time.slots]]" => {
            "write each slot as a `[[time.slots]]` table with `name = \"10:00-14:00\"` and `share = \"30%\"` below it".to_string()
        }
        "a stage" => "write each stage as a table, e.g. `{ name = \"calls\", rate = \"20%\" }`".to_string(),
        "where" => "write the members that need activities as a table, e.g. `where = { source = \"new\" }`".to_string(),
        "path" => "write the levels by period as a table, e.g. `path = { \"2026-Q1\" = \"4.5%\", \"2026-Q2\" = \"5%\" }`".to_string(),
        "growth" => "write the growth per member as a table, e.g. `growth = { \"East\" = \"20%\" }`".to_string(),
        "weights" => "write the weights as a table, e.g. `weights = { A = 1, B = 2 }`".to_string(),
        "fixed" => "write the fixed amounts as a table, e.g. `fixed = { \"Key account\" = 6_000_000 }`".to_string(),
        "weekdays" => "write the weekday coefficients as a table, e.g. `weekdays = { fri = 1.2, sat = 1.5, sun = 1.8 }`".to_string(),
        "within" => {
            "write one table per member of the split before, e.g. `[split.within.\"East\"]` with `weights = { A = 1, B = 2 }` below it".to_string()
        }
        w if w.starts_with("within.") => {
            let parent = &w["within.".len()..];
            format!("write the members under {parent} as a table, e.g. `within.{parent} = {{ weights = {{ A = 1, B = 2 }} }}`")
        }
        w if w.starts_with('[') => keys("quarters = [20, 30, 40, 10]"),
        _ => format!("write {what} as a table of keys and values, e.g. `{{ A = 1, B = 2 }}`"),
    }
}

/// A TOML key as it must be written: bare when it is only A-Z a-z 0-9 - _,
/// else in quotes (`东北` is written `"东北"`).
pub(super) fn toml_key(name: &str) -> String {
    let bare = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        name.to_string()
    } else {
        toml_string(name)
    }
}

/// Text as a TOML basic string, in quotes, with `"` and `\` escaped.
pub(super) fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn get<'t, 'i>(t: &'t DeTable<'i>, key: &str) -> Option<(&'t Key<'i>, &'t Value<'i>)> {
    t.iter().find(|(k, _)| k.get_ref() == key)
}

/// A weekday's name in full, for messages.
fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    // chrono reads "fri" and "friday" alike, in any case.
    s.trim().parse::<Weekday>().ok()
}

/// The multiples of `p` just below and just above `amount`.
/// The multiples of `p` on either side of `amount`, if both can be written.
fn neighbours(amount: Decimal, p: Precision) -> Option<(Decimal, Decimal)> {
    let down = amount.checked_div(p.unit())?.floor().checked_mul(p.unit())?;
    let up = down.checked_add(p.unit())?;
    (up <= p.largest()).then(|| (down.round_dp(p.decimals()), up.round_dp(p.decimals())))
}

/// What would fix a TOML syntax error, from the parser's message and the
/// text at the caret (`at`, a byte offset into `text`).
fn syntax_help(message: &str, text: &str, at: usize) -> String {
    if message.contains("invalid unquoted key") {
        if let Some(fix) = quote_key_help(text, at) {
            return fix;
        }
    }
    if message.contains("duplicate key") {
        return "a key may appear once in a table; remove or rename one of the two".to_string();
    }
    if message.contains("max recursion depth") {
        return "a plan nests lists and tables a few levels deep at most: remove the extra `[` and `{` where the \
                caret points"
            .to_string();
    }
    if message.contains("string values must be quoted") {
        return "write a value after `=`: a number such as 10_000_000, or text in quotes such as \"East\"".to_string();
    }
    match message.rsplit_once("expected ") {
        Some((_, token)) if token.starts_with('`') && token.ends_with('`') && token.matches('`').count() == 2 => {
            format!("add the missing {token} where the caret points")
        }
        _ => "fix the syntax where the caret points; a plan is a TOML file (https://toml.io)".to_string(),
    }
}

/// For a key that TOML only takes in quotes (`东北 = 1`, which almost every
/// Chinese plan has at first): the key at the caret, quoted, with its value.
fn quote_key_help(text: &str, at: usize) -> Option<String> {
    let rest = text.get(at..)?;
    let stop = |c: char| c.is_whitespace() || matches!(c, '=' | '.' | ',' | '{' | '}' | '[' | ']' | '"' | '\'' | '#');
    let key: &str = &rest[..rest.find(stop).unwrap_or(rest.len())];
    if key.is_empty() {
        return None;
    }
    let after = rest[key.len()..].trim_start_matches([' ', '\t']);
    // The value as written, up to the end of the inline table's entry or the line.
    let value = after.strip_prefix('=').map(|v| {
        let v = v.trim_start_matches([' ', '\t']);
        let end = v.find([',', '}', '\n', '\r', '#']).unwrap_or(v.len());
        v[..end].trim_end()
    });
    let quoted = toml_key(key);
    let shown = match value {
        // Only show the value when it is TOML on its own (a number, a string, a word such as true).
        Some(v) if !v.is_empty() && toml::from_str::<toml::Table>(&format!("x = {v}")).is_ok() => {
            format!("{quoted} = {v}")
        }
        _ => quoted,
    };
    Some(format!("TOML keys other than A-Z a-z 0-9 - _ must be quoted: write `{shown}`, and so every such key"))
}

/// The `by` of every `[[split]]` as written, before the splits are read (a
/// baseline's columns are found by them).
fn split_names(root: &DeTable<'_>) -> Vec<String> {
    let Some((_, v)) = get(root, "split") else { return Vec::new() };
    let DeValue::Array(items) = v.get_ref() else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item.get_ref() {
            DeValue::Table(t) => match get(t, "by").map(|(_, b)| b.get_ref()) {
                Some(DeValue::String(by)) => Some(by.trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn did_you_mean(word: &str, allowed: &[&str]) -> String {
    match suggest(word, allowed.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("write one of: {}", name_list(allowed)),
    }
}
