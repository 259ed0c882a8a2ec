//! Stage `plan`: a plan's `baseline` file — last year's actual sales — read
//! into the sums that targets are set from (growth rates on last year's
//! total or members, `months = "history"`, `weights = "history"`).
//!
//! Contract: the file is a sales CSV in exactly the format `salesplit track
//! --actuals` reads (see [`super::sales_csv`]), with the same messages for
//! bad rows. [`Baseline::read`] either returns exact sums of every row dated
//! inside the baseline year (rows outside it are counted and left out), or
//! fails with every bad row of the file reported at once. Sums are exact
//! decimals; returns (negative amounts) count as in `track`.

use std::path::Path;

use chrono::NaiveDate;
use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::csv_source::{CsvSource, Noun, ReadAs, STREAM_LIMITS};
use super::RowTally;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::{Error, Result};

/// How messages name the file.
const NOUN: Noun = Noun { the: "the baseline", has: "has", owner: "the baseline's", a: "a baseline" };

/// Last year's actual sales, summed for target setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    /// The file as named in messages.
    pub file: String,
    /// First day of the baseline year.
    pub first: NaiveDate,
    /// Sum per day of the baseline year (index 0 is `first`), exact decimals.
    pub days: Vec<Decimal>,
    /// For each split column the file has (cascade order, only a gap-free
    /// prefix of `splits`, as track does), member path (that split's member
    /// and every earlier split's) -> sum over the year, in order of first
    /// appearance in the file. Members are the fields as written, trimmed; an
    /// empty field is the member `""` (it matches no plan member).
    pub members: Vec<IndexMap<Vec<String>, Decimal>>,
    /// Names of the splits in `members`, in order.
    pub splits: Vec<String>,
    /// Sum of rows inside the baseline year.
    pub total: Decimal,
    /// Rows dated outside the baseline year: count and sum (left out).
    pub outside: RowTally,
}

impl Baseline {
    /// Reads `path` (relative to `base`). `metric` names the amount column;
    /// `splits` the plan's split names in cascade order; the baseline year
    /// runs from `first` to `last` inclusive (the plan year shifted back one
    /// year).
    pub fn read(
        base: &Path,
        path: &str,
        metric: &str,
        splits: &[&str],
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Baseline> {
        Baseline::read_as(base, path, metric, splits, (first, last), &ReadAs::default())
    }

    /// As [`Baseline::read`] (the year as `(first, last)`), read as `read_as` says.
    pub fn read_as(
        base: &Path,
        path: &str,
        metric: &str,
        splits: &[&str],
        (first, last): (NaiveDate, NaiveDate),
        read_as: &ReadAs,
    ) -> Result<Baseline> {
        let full = base.join(path);
        let file = full.display().to_string();
        let mut csv = CsvSource::open_as(&full, &file, NOUN, STREAM_LIMITS, read_as)?;
        let (date_column, metric_column) = csv.required(metric, splits)?;
        // As in track: the splits go as deep as the file has their columns
        // without a gap, since a member is only known under its parents.
        let split_columns: Vec<usize> = splits.iter().map_while(|s| csv.find(s)).collect();
        let depth = split_columns.len();
        let length = usize::try_from((last - first).num_days() + 1).unwrap_or(0);
        let mut baseline = Baseline {
            file: file.clone(),
            first,
            days: vec![Decimal::ZERO; length],
            members: vec![IndexMap::new(); depth],
            splits: splits[..depth].iter().map(std::string::ToString::to_string).collect(),
            total: Decimal::ZERO,
            outside: RowTally::default(),
        };
        // Dates of the usable rows, for the message when none is in the year.
        let mut span: Option<(NaiveDate, NaiveDate)> = None;
        let mut inside = 0u64;
        // One buffer per split, reused so that a row allocates only for a new member.
        let mut path: Vec<String> = vec![String::new(); depth];
        // Sums past 28 digits cannot be kept exactly: stop and say so.
        let mut overflow = false;
        let add = |sum: &mut Decimal, amount: Decimal, overflow: &mut bool| match sum.checked_add(amount) {
            Some(s) => *sum = s,
            None => *overflow = true,
        };
        while csv.next_row() && !overflow {
            let Some(date) = csv.date(date_column) else { continue };
            let Some(amount) = csv.amount(metric_column, metric) else { continue };
            if csv.empty_member(&split_columns, &splits[..depth]) {
                continue;
            }
            span = Some(span.map_or((date, date), |(a, b)| (a.min(date), b.max(date))));
            let day = (date - first).num_days();
            let Some(sum) = usize::try_from(day).ok().and_then(|d| baseline.days.get_mut(d)) else {
                baseline.outside.rows += 1;
                add(&mut baseline.outside.amount, amount, &mut overflow);
                continue;
            };
            add(sum, amount, &mut overflow);
            add(&mut baseline.total, amount, &mut overflow);
            inside += 1;
            for (member, &c) in path.iter_mut().zip(&split_columns) {
                member.clear();
                member.push_str(csv.field(c));
            }
            for (k, sums) in baseline.members.iter_mut().enumerate() {
                match sums.get_mut(&path[..=k]) {
                    Some(sum) => add(sum, amount, &mut overflow),
                    None => {
                        sums.insert(path[..=k].to_vec(), amount);
                    }
                }
            }
        }
        let mut errors = csv.finish();
        if overflow {
            errors.push(
                crate::diagnostic::Diagnostic::new(Code::TooLarge, format!(
                    "the amounts in {file} add up to more than salesplit can keep exactly (28 digits)"
                ))
                .at(Location::file(&file))
                .help("check the file's amounts: a year of sales adds up to at most 79,228,162,514,264,337,593,543,950,335"),
            );
            return Err(Error::Invalid(errors));
        }
        // With bad rows and no good one, the bad rows are the whole story.
        if inside == 0 && (errors.is_empty() || span.is_some()) {
            errors.push(no_rows_in_year(&file, span, first, last));
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(baseline)
    }
}

/// The file has no usable row dated inside the baseline year: say which
/// dates it does cover, and which year the plan expects.
fn no_rows_in_year(file: &str, span: Option<(NaiveDate, NaiveDate)>, first: NaiveDate, last: NaiveDate) -> Diagnostic {
    let covers = match span {
        Some((a, b)) if a == b => format!("its rows are all dated {a}"),
        Some((a, b)) => format!("its rows are dated {a} to {b}"),
        None => "it has no rows".to_string(),
    };
    Diagnostic::new(Code::NoSalesInYear, format!("the baseline has no sales in the baseline year, {first} to {last}"))
        .at(Location::file(file))
        .note(covers)
        .note("the baseline year is the plan year shifted back one year")
        .help(format!("give a baseline file with last year's actual sales, dated {first} to {last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// Writes `text` as `sales-2025.csv` in a fresh folder and reads it as the
    /// baseline of a calendar-year 2026 plan split by region, then rep.
    fn read(text: &str) -> (tempfile::TempDir, Result<Baseline>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sales-2025.csv"), text).unwrap();
        let baseline = Baseline::read(
            dir.path(),
            "sales-2025.csv",
            "sales",
            &["region", "rep"],
            date(2025, 1, 1),
            date(2025, 12, 31),
        );
        (dir, baseline)
    }

    /// The error's text, with the temporary folder taken out of file names.
    fn error(text: &str) -> String {
        let (dir, result) = read(text);
        let prefix = format!("{}{}", dir.path().display(), std::path::MAIN_SEPARATOR);
        result.unwrap_err().to_string().replace(&prefix, "")
    }

    fn path(members: &[&str]) -> Vec<String> {
        members.iter().map(|m| (*m).to_string()).collect()
    }

    #[test]
    fn sums_per_day_and_member_path_in_any_column_order() {
        // BOM, CRLF, columns out of order, quoted thousands, a datetime, a return.
        let text = "\u{feff}rep,sales,date,region\r\n\
                    Ann,\"1,234.50\",2025-01-02,East\r\n\
                    Bob,10,2025-01-02T09:30:00,East\r\n\
                    Cy,5,2025/03/01,West\r\n\
                    \r\n\
                    Ann,-4.50,2025-12-31 18:00,East\r\n";
        let (_dir, baseline) = read(text);
        let b = baseline.unwrap();
        assert_eq!(b.days.len(), 365);
        assert_eq!(b.days[1], dec("1244.50"));
        assert_eq!(b.days[59], dec("5"));
        assert_eq!(b.days[364], dec("-4.50"));
        assert_eq!(b.days.iter().sum::<Decimal>(), b.total);
        assert_eq!(b.total, dec("1245.00"));
        assert_eq!(b.splits, vec!["region".to_string(), "rep".to_string()]);
        let regions: Vec<_> = b.members[0].iter().map(|(p, s)| (p.clone(), *s)).collect();
        assert_eq!(regions, vec![(path(&["East"]), dec("1240.00")), (path(&["West"]), dec("5"))]);
        let reps: Vec<_> = b.members[1].iter().map(|(p, s)| (p.clone(), *s)).collect();
        assert_eq!(
            reps,
            vec![
                (path(&["East", "Ann"]), dec("1230.00")),
                (path(&["East", "Bob"]), dec("10")),
                (path(&["West", "Cy"]), dec("5")),
            ]
        );
        assert_eq!(b.outside, RowTally::default());
        assert_eq!(b.first, date(2025, 1, 1));
        assert!(b.file.ends_with("sales-2025.csv"), "{}", b.file);
    }

    #[test]
    fn split_columns_count_only_as_a_gap_free_prefix() {
        // No `region` column: `rep` cannot be placed, so the file gives totals only.
        let (_dir, baseline) = read("date,rep,sales\n2025-01-05,Ann,1\n");
        let b = baseline.unwrap();
        assert!(b.members.is_empty() && b.splits.is_empty());
        assert_eq!(b.total, dec("1"));
        let (_dir, baseline) = read("date,region,sales\n2025-01-05,East,1\n2025-01-06, East ,2\n");
        let b = baseline.unwrap();
        assert_eq!(b.splits, vec!["region".to_string()]);
        assert_eq!(b.members[0].get(&path(&["East"])), Some(&dec("3")));
    }

    #[test]
    fn rows_outside_the_year_are_counted_and_left_out() {
        let text = "date,region,rep,sales\n2024-12-31,East,Ann,100\n2025-06-30,East,Ann,7\n2026-01-01,West,Cy,20\n";
        let (_dir, baseline) = read(text);
        let b = baseline.unwrap();
        assert_eq!(b.outside, RowTally { rows: 2, amount: dec("120") });
        assert_eq!(b.total, dec("7"));
        assert_eq!(b.members[0].len(), 1, "a member seen only outside the year is not a member");
    }

    #[test]
    fn a_bad_date_and_a_bad_amount_are_reported_together_with_their_lines() {
        let text = "date,region,rep,sales\r\n2025-01-01,East,Ann,1\r\n2025-02-30,East,Ann,1\r\n\r\n2025-03-01,East,Ann,\"1,2x\"\r\n";
        assert_eq!(
            error(text),
            [
                "error[E0401]: `2025-02-30` is not a date: 2025-02 has 28 days",
                "  --> sales-2025.csv line 3",
                "  |",
                "3 | 2025-02-30,East,Ann,1",
                "  | ^^^^^^^^^^",
                "  = help: write dates as YYYY-MM-DD, e.g. 2026-03-15 (a time after the date, such as 2026-03-15 10:30:00, is fine)",
                "",
                "error[E0201]: `1,2x` is not a number",
                "  --> sales-2025.csv line 5",
                "  |",
                "5 | 2025-03-01,East,Ann,1,2x",
                "  |                     ^^^^",
                "  = help: write the amount as a plain number such as 1234.50 (\"1,234.50\" in quotes is fine)",
                "",
                "2 problems found; nothing was computed",
                "",
            ]
            .join("\n")
        );
    }

    #[test]
    fn an_empty_amount_names_the_metric() {
        let text = "date,region,rep,sales\n2025-01-01,East,Ann,\n";
        assert!(error(text).starts_with("error[E0607]: this row has no `sales` amount\n  --> sales-2025.csv line 2\n"));
    }

    #[test]
    fn bad_rows_past_the_cap_are_counted() {
        let text = format!("date,sales\n{}", "2025-01-01,x\n".repeat(25));
        let text = error(&text);
        assert_eq!(text.matches("`x` is not a number").count(), 20);
        assert!(
            text.contains("error[E0611]: 5 more rows have problems like the ones above\n  --> sales-2025.csv\n"),
            "{text}"
        );
    }

    #[test]
    fn a_file_with_no_rows_in_the_year_says_which_dates_it_covers() {
        let text = "date,region,rep,sales\n2023-01-01,East,Ann,1\n2023-12-31,East,Ann,2\n";
        assert_eq!(
            error(text),
            [
                "error[E0701]: the baseline has no sales in the baseline year, 2025-01-01 to 2025-12-31",
                "  --> sales-2025.csv",
                "  = note: its rows are dated 2023-01-01 to 2023-12-31",
                "  = note: the baseline year is the plan year shifted back one year",
                "  = help: give a baseline file with last year's actual sales, dated 2025-01-01 to 2025-12-31",
                "",
            ]
            .join("\n")
        );
        assert!(error("date,sales\n").contains("  = note: it has no rows\n"));
    }

    #[test]
    fn missing_columns_and_files_are_errors() {
        let text = error("day,region,rep,amount\n2025-01-01,East,Ann,1\n");
        assert!(text.contains("error[E0603]: the baseline has no `date` column\n"), "{text}");
        assert!(text.contains("error[E0603]: the baseline has no `sales` column\n"), "{text}");
        let dir = tempfile::tempdir().unwrap();
        let missing = Baseline::read(dir.path(), "nope.csv", "sales", &[], date(2025, 1, 1), date(2025, 12, 31));
        assert!(matches!(missing, Err(Error::Io { action: "read", .. })));
    }
}
