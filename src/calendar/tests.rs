use super::*;
use chrono::Weekday;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn decs(values: &[i64]) -> Vec<Decimal> {
    values.iter().map(|&v| Decimal::from(v)).collect()
}

fn default_spec(year: i32) -> CalendarSpec {
    CalendarSpec::new(year).unwrap()
}

fn build(spec: &CalendarSpec) -> Calendar {
    Calendar::build(spec).unwrap()
}

fn month_error(month: &str, fiscal_index: usize) -> CalendarError {
    CalendarError::MonthWithoutDays { month: month.to_string(), fiscal_index }
}

/// (label, start, end) of every week under `month`.
fn weeks_of(calendar: &Calendar, month: &str) -> Vec<(String, NaiveDate, NaiveDate)> {
    let (level, index) = calendar.find(month).unwrap();
    assert_eq!(level, Level::Month);
    calendar.children(level, index).iter().map(|w| (w.label.clone(), w.start, w.end)).collect()
}

fn week(label: &str, start: NaiveDate, end: NaiveDate) -> (String, NaiveDate, NaiveDate) {
    (label.to_string(), start, end)
}

fn weight_of(calendar: &Calendar, label: &str) -> Decimal {
    let (level, index) = calendar.find(label).unwrap();
    calendar.period(level, index).weight
}

fn assert_consistent(calendar: &Calendar) {
    assert_eq!(calendar.level(Level::Year).len(), 1);
    assert_eq!(calendar.level(Level::Quarter).len(), 4);
    assert_eq!(calendar.level(Level::Month).len(), 12);
    assert_eq!(calendar.year().parent, None);
    for level in calendar.levels() {
        let periods = calendar.level(level);
        for (i, period) in periods.iter().enumerate() {
            assert_eq!(period.level, level);
            assert!(period.start <= period.end, "{}", period.label);
            assert_eq!(calendar.find(&period.label), Some((level, i)));
            if let Some(next) = periods.get(i + 1).filter(|_| level != Level::Slot) {
                assert_eq!(period.end.succ_opt(), Some(next.start), "gap after {}", period.label);
            }
        }
        let Some(finer) = level.finer().filter(|f| calendar.levels().any(|l| l == *f)) else {
            assert!(periods.iter().all(|p| p.children.is_empty()));
            continue;
        };
        // The children ranges, in order, cover the finer level exactly once.
        let mut expected_next = 0;
        for (i, period) in periods.iter().enumerate() {
            assert_eq!(period.children.start, expected_next, "{}", period.label);
            assert!(!period.children.is_empty(), "{}", period.label);
            expected_next = period.children.end;
            let children = calendar.children(level, i);
            assert_eq!(children.first().unwrap().start, period.start);
            assert_eq!(children.last().unwrap().end, period.end);
            for child in children {
                assert_eq!(child.parent, Some(i), "{}", child.label);
                assert!(period.contains(child));
            }
        }
        assert_eq!(expected_next, calendar.level(finer).len());
    }
}

#[test]
fn calendar_year_labels_and_bounds() {
    let calendar = build(&default_spec(2026));
    assert!(!calendar.is_fiscal());
    assert_eq!(calendar.year().label, "2026");
    assert_eq!(calendar.start(), date(2026, 1, 1));
    assert_eq!(calendar.end(), date(2026, 12, 31));
    let quarters: Vec<_> = calendar.level(Level::Quarter).iter().map(|q| (q.label.as_str(), q.start, q.end)).collect();
    assert_eq!(
        quarters,
        [
            ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
            ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
            ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
            ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ]
    );
    assert_eq!(calendar.level(Level::Day).len(), 365);
    assert_eq!(calendar.find("2026-03-15"), Some((Level::Day, 31 + 28 + 14)));
    assert_eq!(calendar.find("2026-03-W2").map(|(l, _)| l), Some(Level::Week));
    assert_eq!(calendar.find("2026-13"), None);
    assert_eq!(calendar.find("FY2026"), None);
    assert_consistent(&calendar);
}

#[test]
fn monday_weeks_of_january_2026() {
    // 2026-01-01 is a Thursday: W1 runs Thursday to Sunday.
    let calendar = build(&default_spec(2026));
    assert_eq!(
        weeks_of(&calendar, "2026-01"),
        [
            week("2026-01-W1", date(2026, 1, 1), date(2026, 1, 4)),
            week("2026-01-W2", date(2026, 1, 5), date(2026, 1, 11)),
            week("2026-01-W3", date(2026, 1, 12), date(2026, 1, 18)),
            week("2026-01-W4", date(2026, 1, 19), date(2026, 1, 25)),
            week("2026-01-W5", date(2026, 1, 26), date(2026, 1, 31)),
        ]
    );
}

#[test]
fn monday_weeks_of_march_2026() {
    // 2026-03-01 is a Sunday: W1 is that one day, and the month ends on a Tuesday.
    let calendar = build(&default_spec(2026));
    assert_eq!(
        weeks_of(&calendar, "2026-03"),
        [
            week("2026-03-W1", date(2026, 3, 1), date(2026, 3, 1)),
            week("2026-03-W2", date(2026, 3, 2), date(2026, 3, 8)),
            week("2026-03-W3", date(2026, 3, 9), date(2026, 3, 15)),
            week("2026-03-W4", date(2026, 3, 16), date(2026, 3, 22)),
            week("2026-03-W5", date(2026, 3, 23), date(2026, 3, 29)),
            week("2026-03-W6", date(2026, 3, 30), date(2026, 3, 31)),
        ]
    );
    // Its days belong to the right weeks.
    let (_, w1) = calendar.find("2026-03-W1").unwrap();
    let (_, w2) = calendar.find("2026-03-W2").unwrap();
    let labels = |w| -> Vec<_> { calendar.children(Level::Week, w).iter().map(|d| d.label.clone()).collect() };
    assert_eq!(labels(w1), ["2026-03-01"]);
    assert_eq!(labels(w2).first().unwrap(), "2026-03-02");
    assert_eq!(labels(w2).last().unwrap(), "2026-03-08");
}

#[test]
fn week_starting_on_the_first_is_full() {
    // 2026-06-01 is a Monday, so June's W1 is a full week.
    let calendar = build(&default_spec(2026));
    let june = weeks_of(&calendar, "2026-06");
    assert_eq!(june[0], week("2026-06-W1", date(2026, 6, 1), date(2026, 6, 7)));
    assert_eq!(june.len(), 5);
    assert_eq!(june[4], week("2026-06-W5", date(2026, 6, 29), date(2026, 6, 30)));
}

#[test]
fn shop_week_from_friday() {
    let mut spec = default_spec(2026);
    spec.spread = Spread::Days;
    spec.week_start = Weekday::Fri;
    spec.weekdays = [dec("1"), dec("1"), dec("1"), dec("1"), dec("1.2"), dec("1.5"), dec("1.8")];
    let calendar = build(&spec);
    // 365 days = 52 whole weeks of 8.5 plus one extra Thursday (2026 starts
    // and ends on a Thursday): 52 * 8.5 + 1 = 443.
    assert_eq!(calendar.year().weight, dec("443"));
    let full: Vec<_> = calendar.level(Level::Week).iter().filter(|w| w.days() == 7).collect();
    assert_eq!(full.len(), 42);
    assert!(full.iter().all(|w| w.weight == dec("8.5")));
    assert!(full.iter().all(|w| w.start.weekday() == Weekday::Fri));
    // January: Thu 1 is W1; Fridays fall on 2, 9, 16, 23 and 30, so W2..W5 are
    // whole weeks and W6 is Fri 30 - Sat 31 = 1.2 + 1.5.
    assert_eq!(weight_of(&calendar, "2026-01-W1"), dec("1"));
    assert_eq!(weight_of(&calendar, "2026-01-W2"), dec("8.5"));
    assert_eq!(weight_of(&calendar, "2026-01-W5"), dec("8.5"));
    assert_eq!(weight_of(&calendar, "2026-01-W6"), dec("2.7"));
    assert_eq!(calendar.find("2026-01-W7"), None);
    // January = 4 whole weeks + Thu 1 + Fri 30 + Sat 31 = 34 + 1 + 1.2 + 1.5.
    assert_eq!(weight_of(&calendar, "2026-01"), dec("37.7"));
    assert_eq!(weight_of(&calendar, "2026-01-10"), dec("1.5"));
    assert_consistent(&calendar);
}

#[test]
fn workdays_skip_weekends() {
    let mut spec = default_spec(2026);
    spec.spread = Spread::Workdays;
    let calendar = build(&spec);
    // January: 4 whole weeks (20 workdays) plus Thu 29, Fri 30 (Sat 31 is off).
    assert_eq!(weight_of(&calendar, "2026-01"), dec("22"));
    // February 2026 is exactly 4 whole weeks.
    assert_eq!(weight_of(&calendar, "2026-02"), dec("20"));
    assert_eq!(weight_of(&calendar, "2026-01-03"), Decimal::ZERO);
    assert_eq!(weight_of(&calendar, "2026-01-02"), Decimal::ONE);
    // 2026 has 52 weeks plus one Thursday: 52 * 5 + 1 working days.
    assert_eq!(calendar.year().weight, dec("261"));
    // A month's weight is the sum of its weeks.
    for (i, month) in calendar.level(Level::Month).iter().enumerate() {
        let weeks: Decimal = calendar.children(Level::Month, i).iter().map(|w| w.weight).sum();
        assert_eq!(month.weight, weeks, "{}", month.label);
    }
    assert_consistent(&calendar);
}

#[test]
fn even_months_weigh_one() {
    let calendar = build(&default_spec(2026));
    assert!(calendar.level(Level::Month).iter().all(|m| m.weight == Decimal::ONE));
    assert!(calendar.level(Level::Quarter).iter().all(|q| q.weight == dec("3")));
    assert_eq!(calendar.year().weight, dec("12"));
    // Days and weeks still carry their weekday weights, for the split below the month.
    assert_eq!(weight_of(&calendar, "2026-01-W1"), dec("4"));
    assert_eq!(weight_of(&calendar, "2026-01-W2"), dec("7"));
}

#[test]
fn fiscal_year_from_april() {
    let mut spec = default_spec(2026);
    spec.start = date(2026, 4, 1);
    let calendar = build(&spec);
    assert!(calendar.is_fiscal());
    assert_eq!(calendar.year().label, "FY2026");
    assert_eq!(calendar.start(), date(2026, 4, 1));
    assert_eq!(calendar.end(), date(2027, 3, 31));
    let q1 = calendar.period(Level::Quarter, 0);
    assert_eq!((q1.label.as_str(), q1.start, q1.end), ("FY2026-Q1", date(2026, 4, 1), date(2026, 6, 30)));
    let q4 = calendar.period(Level::Quarter, 3);
    assert_eq!((q4.label.as_str(), q4.start, q4.end), ("FY2026-Q4", date(2027, 1, 1), date(2027, 3, 31)));
    let months: Vec<_> = calendar.level(Level::Month).iter().map(|m| m.label.as_str()).collect();
    assert_eq!(
        months,
        [
            "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
            "2027-01", "2027-02", "2027-03"
        ]
    );
    let (level, index) = calendar.find("2027-02-15").unwrap();
    assert_eq!(level, Level::Day);
    assert_eq!(calendar.period(level, index).start, date(2027, 2, 15));
    // 2026-04-01 .. 2027-03-31 has 365 days.
    assert_eq!(calendar.level(Level::Day).len(), 365);
    assert_eq!(calendar.find("2026-Q1"), None);
    assert_eq!(calendar.find("2026-01"), None);
    assert_consistent(&calendar);
}

#[test]
fn fiscal_year_crossing_a_leap_day() {
    let mut spec = default_spec(2027);
    spec.start = date(2027, 10, 1);
    let calendar = build(&spec);
    assert_eq!(calendar.period(Level::Quarter, 1).label, "FY2027-Q2");
    assert_eq!(calendar.end(), date(2028, 9, 30));
    assert_eq!(calendar.level(Level::Day).len(), 366);
    assert!(calendar.find("2028-02-29").is_some());
    assert_consistent(&calendar);
}

#[test]
fn given_months_and_quarters_are_used() {
    let mut spec = default_spec(2026);
    spec.spread = Spread::Days;
    spec.months = Some(decs(&[6, 5, 8, 8, 9, 8, 8, 8, 9, 10, 12, 9]));
    let calendar = build(&spec);
    let months: Vec<_> = calendar.level(Level::Month).iter().map(|m| m.weight).collect();
    assert_eq!(months, decs(&[6, 5, 8, 8, 9, 8, 8, 8, 9, 10, 12, 9]));
    // Without quarters, a quarter weighs the sum of its months.
    let quarters: Vec<_> = calendar.level(Level::Quarter).iter().map(|q| q.weight).collect();
    assert_eq!(quarters, decs(&[19, 25, 25, 31]));
    assert_eq!(calendar.year().weight, dec("100"));

    spec.quarters = Some(vec![dec("20"), dec("25"), dec("25.5"), dec("30")]);
    let calendar = build(&spec);
    let quarters: Vec<_> = calendar.level(Level::Quarter).iter().map(|q| q.weight).collect();
    assert_eq!(quarters, [dec("20"), dec("25"), dec("25.5"), dec("30")]);
    assert_eq!(calendar.year().weight, dec("100.5"));
    // Months keep their own weights; they share their quarter among themselves.
    assert_eq!(calendar.period(Level::Month, 0).weight, dec("6"));
    assert_consistent(&calendar);
}

#[test]
fn quarters_alone_over_day_weighted_months() {
    let mut spec = default_spec(2026);
    spec.spread = Spread::Days;
    spec.quarters = Some(decs(&[1, 2, 3, 4]));
    let calendar = build(&spec);
    // Months still weigh their days: 31, 28, 31 in Q1.
    let q1: Vec<_> = calendar.children(Level::Quarter, 0).iter().map(|m| m.weight).collect();
    assert_eq!(q1, decs(&[31, 28, 31]));
    assert_eq!(calendar.year().weight, dec("10"));
}

#[test]
fn quarter_without_months() {
    let mut spec = default_spec(2026);
    spec.months = Some(decs(&[0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    spec.quarters = Some(decs(&[1, 1, 1, 1]));
    assert_eq!(
        Calendar::build(&spec).unwrap_err(),
        [CalendarError::QuarterWithoutMonths { quarter: "2026-Q1".to_string() }]
    );
    // A quarter that weighs 0 may have empty months.
    spec.quarters = Some(decs(&[0, 1, 1, 1]));
    assert_eq!(build(&spec).year().weight, dec("3"));
}

#[test]
fn fiscal_quarter_without_months_is_labelled_fy() {
    let mut spec = default_spec(2026);
    spec.start = date(2026, 7, 1);
    spec.months = Some(decs(&[1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1]));
    spec.quarters = Some(decs(&[1, 1, 1, 1]));
    assert_eq!(
        Calendar::build(&spec).unwrap_err(),
        [CalendarError::QuarterWithoutMonths { quarter: "FY2026-Q3".to_string() }]
    );
}

#[test]
fn every_month_without_workdays_is_reported() {
    let mut spec = default_spec(2026);
    spec.spread = Spread::Workdays;
    spec.weekdays = [Decimal::ZERO; 7];
    spec.weekdays[5] = Decimal::ONE; // Saturday still counts, but Workdays zeroes it
    spec.months = Some(vec![Decimal::ONE; 12]);
    let labels = [
        "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
        "2026-11", "2026-12",
    ];
    let expected: Vec<_> = labels.iter().enumerate().map(|(i, m)| month_error(m, i)).collect();
    assert_eq!(Calendar::build(&spec).unwrap_err(), expected);
}

#[test]
fn month_without_days_only_when_it_has_a_share() {
    let mut spec = default_spec(2026);
    spec.spread = Spread::Workdays;
    spec.weekdays = [Decimal::ZERO; 7];
    // Months weighing 0, or in a quarter weighing 0, need no days.
    spec.months = Some(decs(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
    spec.quarters = Some(decs(&[1, 1, 1, 0]));
    assert_eq!(
        Calendar::build(&spec).unwrap_err(),
        [
            month_error("2026-01", 0),
            CalendarError::QuarterWithoutMonths { quarter: "2026-Q2".to_string() },
            CalendarError::QuarterWithoutMonths { quarter: "2026-Q3".to_string() },
        ]
    );
}

#[test]
fn nothing_to_weigh() {
    // Workdays with no month weights: every month weighs its (zero) days,
    // so months have no share and only the empty year is reported.
    let mut spec = default_spec(2026);
    spec.spread = Spread::Workdays;
    spec.weekdays = [Decimal::ZERO; 7];
    assert_eq!(Calendar::build(&spec).unwrap_err(), [CalendarError::NothingToWeigh]);

    let mut spec = default_spec(2026);
    spec.quarters = Some(vec![Decimal::ZERO; 4]);
    assert_eq!(Calendar::build(&spec).unwrap_err(), [CalendarError::NothingToWeigh]);
}

#[test]
fn errors_come_in_time_order() {
    let mut spec = default_spec(2026);
    spec.months = Some(vec![Decimal::ZERO; 12]);
    spec.quarters = Some(decs(&[0, 0, 0, 0]));
    assert_eq!(Calendar::build(&spec).unwrap_err(), [CalendarError::NothingToWeigh]);
    spec.quarters = Some(decs(&[0, 1, 0, 1]));
    assert_eq!(
        Calendar::build(&spec).unwrap_err(),
        [
            CalendarError::QuarterWithoutMonths { quarter: "2026-Q2".to_string() },
            CalendarError::QuarterWithoutMonths { quarter: "2026-Q4".to_string() },
        ]
    );
}

#[test]
fn spec_errors_are_all_reported_before_building() {
    let mut spec = default_spec(2026);
    spec.start = date(2026, 1, 2);
    spec.months = Some(vec![Decimal::ONE; 13]);
    assert_eq!(
        Calendar::build(&spec).unwrap_err(),
        [
            CalendarError::StartNotFirstOfMonth { start: date(2026, 1, 2) },
            CalendarError::WrongLength { what: "months", expected: 12, found: 13 },
        ]
    );
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let mut spec = default_spec(2026);
    spec.spread = Spread::Days;
    spec.weekdays = [Decimal::MAX; 7];
    assert_eq!(Calendar::build(&spec).unwrap_err(), [CalendarError::Overflow]);

    let mut spec = default_spec(2026);
    spec.quarters = Some(vec![Decimal::MAX; 4]);
    assert_eq!(Calendar::build(&spec).unwrap_err(), [CalendarError::Overflow]);
}

#[test]
fn dates_past_chronos_range_are_an_error() {
    let last_year = NaiveDate::MAX.year();
    let spec = default_spec(last_year);
    assert_eq!(Calendar::build(&spec).unwrap_err(), [CalendarError::Overflow]);
}

#[test]
fn leap_february_2028() {
    let calendar = build(&default_spec(2028));
    let (_, feb) = calendar.find("2028-02").unwrap();
    let feb = calendar.period(Level::Month, feb);
    assert_eq!(feb.end, date(2028, 2, 29));
    assert_eq!(feb.days(), 29);
    assert!(calendar.find("2028-02-29").is_some());
    assert_eq!(calendar.level(Level::Day).len(), 366);
    // 2028-02-01 is a Tuesday: W1 = 1..6, then Mondays 7, 14, 21, 28.
    assert_eq!(
        weeks_of(&calendar, "2028-02").last().unwrap(),
        &week("2028-02-W5", date(2028, 2, 28), date(2028, 2, 29))
    );
    let mut spec = default_spec(2028);
    spec.spread = Spread::Days;
    assert_eq!(build(&spec).year().weight, dec("366"));
    assert_consistent(&calendar);
}

#[test]
fn trees_are_consistent_for_every_start_and_week_start() {
    let week_starts =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
    for month in 1..=12 {
        for week_start in week_starts {
            let mut spec = default_spec(2027);
            spec.start = date(2027, month, 1);
            spec.week_start = week_start;
            spec.spread = Spread::Days;
            let calendar = build(&spec);
            assert_consistent(&calendar);
            // Every week but a month's first starts on week_start, and none is longer than 7 days.
            for (i, week) in calendar.level(Level::Week).iter().enumerate() {
                let first = calendar.period(Level::Month, week.parent.unwrap()).children.start == i;
                assert!(first || week.start.weekday() == week_start, "{}", week.label);
                assert!(week.days() <= 7, "{}", week.label);
            }
            let days = i64::try_from(calendar.level(Level::Day).len()).expect("366 days at most");
            assert_eq!(calendar.year().weight, Decimal::from(days));
            assert_eq!(days, calendar.year().days());
        }
    }
}

#[test]
fn a_window_weighs_only_its_own_days() {
    // An ISO week across March and April under an even spread: the two
    // months weigh their days inside (2 and 5), not 1 each, and every other
    // month and quarter nothing.
    let mut spec = default_spec(2026);
    spec.window = Some((date(2026, 3, 30), date(2026, 4, 5)));
    let calendar = build(&spec);
    assert_eq!(weight_of(&calendar, "2026-03"), dec("2"));
    assert_eq!(weight_of(&calendar, "2026-04"), dec("5"));
    assert_eq!(weight_of(&calendar, "2026-02"), Decimal::ZERO);
    assert_eq!(weight_of(&calendar, "2026-Q1"), dec("2"));
    assert_eq!(weight_of(&calendar, "2026-Q3"), Decimal::ZERO);
    assert_eq!(weight_of(&calendar, "2026-03-29"), Decimal::ZERO);
    assert_eq!(weight_of(&calendar, "2026-03-30"), Decimal::ONE);
    assert_eq!(weight_of(&calendar, "2026"), dec("7"));
    // A whole quarter keeps its given month weights; months outside weigh nothing.
    let mut spec = default_spec(2026);
    spec.months = Some(decs(&[1, 1, 1, 2, 3, 5, 1, 1, 1, 1, 1, 1]));
    spec.quarters = Some(decs(&[1, 4, 1, 1]));
    spec.window = Some((date(2026, 4, 1), date(2026, 6, 30)));
    let calendar = build(&spec);
    assert_eq!(weight_of(&calendar, "2026-05"), dec("3"));
    assert_eq!(weight_of(&calendar, "2026-01"), Decimal::ZERO);
    assert_eq!(weight_of(&calendar, "2026-Q2"), dec("4"));
    assert_eq!(weight_of(&calendar, "2026-Q1"), Decimal::ZERO);
}
