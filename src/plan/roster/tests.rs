use super::*;
use chrono::NaiveDate;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn cent() -> Option<Precision> {
    Precision::new(dec("0.01"))
}

fn bound(which: &str, text: &str) -> Result<Bound, CellProblem> {
    parse_bound("Bob", which, text, "their region's target", cent())
}

/// Reads `csv` as reps.csv under a split `region` of East and West.
fn read_csv(csv: &str) -> Result<RosterSets> {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("reps.csv"), csv).unwrap();
    read(dir.path(), "reps.csv", &[("region", vec!["East", "West"])], cent(), &ReadAs::default())
}

fn messages(result: Result<RosterSets>) -> Vec<String> {
    match result {
        Err(Error::Invalid(ds)) => ds.into_iter().map(|d| d.message).collect(),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("the roster was accepted"),
    }
}

#[test]
fn reads_dates() {
    assert_eq!(parse_date("Bob", "start", " 2026-04-01 "), Ok(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()));
    let p = parse_date("Bob", "end", "2026-02-30").unwrap_err();
    assert_eq!(p.message, "`Bob`'s end `2026-02-30` is not a date");
    assert_eq!(p.note.as_deref(), Some("2026-02 has 28 days"));
    assert_eq!(p.help, "write the last day in seat as YYYY-MM-DD, e.g. 2026-09-30");
    let p = parse_date("Bob", "start", "1 April").unwrap_err();
    assert_eq!((p.message.as_str(), p.note), ("`Bob`'s start `1 April` is not a date", None));
}

#[test]
fn reads_ramps_as_fractions() {
    assert_eq!(parse_ramp("Bob", "25%|50%|75%"), Ok(vec![dec("0.25"), dec("0.5"), dec("0.75")]));
    assert_eq!(parse_ramp("Bob", " 50 % | 50% |100%"), Ok(vec![dec("0.5"), dec("0.5"), dec("1")]));
    assert_eq!(parse_ramp("Bob", "12.5%"), Ok(vec![dec("0.125")]));
}

#[test]
fn refuses_bad_ramps_naming_the_step() {
    let p = parse_ramp("Bob", "25%|0.5|75%").unwrap_err();
    assert_eq!(p.message, "step 2 of `Bob`'s ramp, `0.5`, is not a percentage");
    assert_eq!(p.part, Some(4..7));
    let p = parse_ramp("Bob", "25%||75%").unwrap_err();
    assert_eq!((p.message.as_str(), p.part), ("step 2 of `Bob`'s ramp is empty", Some(4..4)));
    let p = parse_ramp("Bob", "0%|50%").unwrap_err();
    assert_eq!(p.message, "step 1 of `Bob`'s ramp, 0%, is not above 0%");
    let p = parse_ramp("Bob", "-5%").unwrap_err();
    assert_eq!(p.message, "step 1 of `Bob`'s ramp, -5%, is not above 0%");
    let p = parse_ramp("Bob", "50%|120%").unwrap_err();
    assert_eq!((p.message.as_str(), p.part), ("step 2 of `Bob`'s ramp, 120%, is above 100%", Some(4..8)));
    let p = parse_ramp("Bob", "25%|75%| 50%").unwrap_err();
    assert_eq!(p.message, "`Bob`'s ramp goes down at step 3 (75% then 50%)");
    assert_eq!(p.help, "a ramp never decreases: make step 3 at least 75%");
    assert_eq!(p.part, Some(9..12));
}

#[test]
fn reads_bounds() {
    assert_eq!(bound("max", "500000"), Ok(Bound::Amount(dec("500000"))));
    assert_eq!(bound("max", "1,200,000.50"), Ok(Bound::Amount(dec("1200000.50"))));
    assert_eq!(bound("min", "12%"), Ok(Bound::Share(dec("0.12"))));
    assert_eq!(bound("min", "100%"), Ok(Bound::Share(dec("1"))));
    assert_eq!(bound("min", "0"), Ok(Bound::Amount(dec("0"))));
    assert_eq!(parse_bound("Bob", "max", "1000.5", "x", None), Ok(Bound::Amount(dec("1000.5"))));
}

#[test]
fn refuses_bad_bounds() {
    let p = bound("max", "-500").unwrap_err();
    assert_eq!(p.message, "the max of `Bob` is negative (-500)");
    let p = bound("min", "-5%").unwrap_err();
    assert_eq!(p.message, "the min of `Bob` is negative (-5%)");
    let p = bound("max", "120%").unwrap_err();
    assert_eq!(p.message, "the max of `Bob` is 120%, more than 100% of their region's target");
    let p = bound("max", "1000.005").unwrap_err();
    assert_eq!(p.message, "the max of `Bob` = 1000.005 is not a multiple of the precision 0.01");
    assert_eq!(p.help, "round it to a multiple of 0.01, such as 1000.00 or 1000.01");
    let p = parse_bound("Bob", "max", "1250", "x", Precision::new(dec("100"))).unwrap_err();
    assert_eq!(p.help, "round it to a multiple of 100, such as 1200 or 1300");
    let p = bound("max", "0.9").unwrap_err();
    assert_eq!(p.message, "the max of `Bob` is 0.9, which reads as an amount of less than 1");
    assert_eq!(p.help, "write 90% for a share of their region's target, or an amount of 1 or more");
    let p = parse_ramp("Bob", "25%|0.5").unwrap_err();
    assert!(p.help.starts_with("write 50% (0.5 as a fraction); "), "{}", p.help);
    let p = bound("max", "lots").unwrap_err();
    assert_eq!(p.message, "the max of `Bob` is not usable: `lots` is not a number");
    let p = bound("max", "12,00,000").unwrap_err();
    assert_eq!(
        p.message,
        "the max of `Bob` is not usable: `12,00,000` is not a number; a comma may only separate thousands, as in 1,200,000.50"
    );
    assert!(bound("max", "1,200.000,5").is_err());
    assert!(bound("max", ",200").is_err());
}

#[test]
fn a_roster_with_every_column_gives_each_member_a_person() {
    let csv = "name,region,weight,start,end,ramp,max,min,note\n\
               Ann,East,1,2025-11-15,,50%|75%,\"1,200,000.50\",10%,anything\n\
               Bob,East,2,,2026-06-30,,,,\n\
               Cid,West,1,,,,,,\n";
    let (_, sets, parent) = read_csv(csv).unwrap();
    assert_eq!(parent, Some(0));
    let east = &sets[0].1.members;
    let ann = east[0].person();
    assert_eq!(ann.start, NaiveDate::from_ymd_opt(2025, 11, 15));
    assert_eq!(ann.end, None);
    assert_eq!(ann.ramp, vec![dec("0.5"), dec("0.75")]);
    assert_eq!(ann.max, Some(Bound::Amount(dec("1200000.5"))));
    assert_eq!(ann.min, Some(Bound::Share(dec("0.1"))));
    assert_eq!(*east[1].person(), Person { end: NaiveDate::from_ymd_opt(2026, 6, 30), ..Person::default() });
    assert_eq!(*sets[1].1.members[0].person(), Person::default());
}

#[test]
fn reports_every_bad_cell_at_once() {
    let csv = "name,region,weight,start,end,ramp,max,min\n\
               Ann,Eats,-1,2026-02-30,,50%|25%,5%,10%\n\
               Bob,West,1,2026-05-01,2026-04-30,,1000,2000\n\
               Cid,West,1,,,50%,,\n\
               Dan,East,1,,,,,1,200,000\n\
               Eve,Eats,x,,,,,1,2\n";
    assert_eq!(
        messages(read_csv(csv)),
        [
            "`Ann`'s region `Eats` is not a member of split `region`",
            "the weight of `Ann` is negative (-1)",
            "`Ann`'s start `2026-02-30` is not a date",
            "`Ann`'s ramp goes down at step 2 (50% then 25%)",
            "the min of `Ann` (10%) is above their max (5%)",
            "`Bob`'s end 2026-04-30 is before their start 2026-05-01",
            "the min of `Bob` (2000) is above their max (1000)",
            "`Cid` has a ramp but no start date",
            "the row of `Dan` has 10 cells but the header has 8 columns",
            "the row of `Eve` has 9 cells but the header has 8 columns",
        ]
    );
}

#[test]
fn a_ramp_needs_a_start_column() {
    let csv = "name,region,weight,ramp\nAnn,East,1,50%\nBob,West,1,\n";
    let Err(Error::Invalid(ds)) = read_csv(csv) else { panic!("accepted") };
    assert_eq!(ds.len(), 1);
    assert_eq!(
        ds[0].help.as_deref(),
        Some("add a `start` column with `Ann`'s first day in seat (YYYY-MM-DD), or leave the ramp empty")
    );
}

#[test]
fn min_and_max_of_different_kinds_are_left_to_the_engine() {
    let csv = "name,region,weight,max,min\nAnn,East,1,10%,900000\nBob,West,1,,\n";
    let (_, sets, _) = read_csv(csv).unwrap();
    assert_eq!(sets[0].1.members[0].person().max, Some(Bound::Share(dec("0.1"))));
    assert_eq!(sets[0].1.members[0].person().min, Some(Bound::Amount(dec("900000"))));
}
