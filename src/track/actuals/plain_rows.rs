//! Stage `track`: the rows of a plain actuals file read straight from its
//! bytes, for the parts of a large file read on several threads
//! (`split_read`). The csv crate and [`CsvSource`] do much per row that a
//! plain file does not need: a record built and validated as UTF-8 field by
//! field, physical lines counted for messages, quotes looked for byte by
//! byte. Here a megabyte of lines is checked at once (UTF-8, no quote, no
//! carriage return but before a line feed), then each line is cut at its
//! delimiters and its fields are read by the very functions the one-piece
//! reader uses ([`parse_date`], [`row_amount`], [`trim`], [`PathIndex`]).
//!
//! Contract: a part gives exactly the sums the one-piece reader gives, or
//! `None`. Anything that reader would have something to say about — a row
//! that is not a well-formed planned row, a quote, a stray carriage return,
//! a long line, a sum too large — gives `None`, and the part is read the
//! long way, which says it with its line.

use std::io::Read;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use super::path_index::PathIndex;
use super::separators::Separators;
use super::{Actuals, ActualsShape, Columns, Row, Sums, BATCH};
use crate::error::Result;
use crate::plan::csv_source::{trim, trim_bytes, CsvSource};
use crate::plan::sales_csv::{parse_date, plain_row_amount, row_amount};
use crate::track::daily::{DailyActuals, Total};
use crate::track::TrackedNodes;

/// Bytes read at a time; a line must fit in one read.
const CHUNK: usize = 1 << 20;

/// The longest line read here; longer ones (which the one-piece reader
/// limits) are left to it.
const LONGEST_LINE: usize = 64 << 10;

/// How the rows of a plain file are read against the plan: its header's
/// columns, and the tracked nodes by their member paths.
pub(in crate::track) struct PlainRows {
    columns: Columns,
    /// Columns in the header: each row has as many fields.
    width: usize,
    delimiter: u8,
    index: PathIndex,
    /// The plan year's first day, counted from the common era.
    first_day: i64,
    /// The days (from the first) with targets; others are outside.
    planned: Range<usize>,
    /// The months of the plan year's first calendar year and the next:
    /// (the day index of its first day, its days), for [`PlainRows::day`].
    months: [(i64, u32); 24],
    /// The first of those two calendar years.
    year: i32,
    /// The columns read for nothing (neither date, metric nor a tracked split).
    others: Vec<usize>,
    /// Whether the split columns come one after the other, in cascade
    /// order: a row's members are then one run of bytes, its whole path
    /// found with one lookup ([`PathIndex::find_joined`]).
    joined: bool,
}

impl PlainRows {
    /// The reader for rows under `header` (a source that has read only the
    /// file's header line), against the plan's `metric`, `splits` (in
    /// cascade order) and tracked `nodes` (amounts summed into their kept nodes); the year starts on `first`, and
    /// `planned` are the days with targets. Errors are the header's.
    pub(in crate::track) fn new<R>(
        header: &CsvSource<R>,
        (metric, splits): (&str, &[String]),
        nodes: &TrackedNodes<'_>,
        first: NaiveDate,
        planned: Range<usize>,
    ) -> Result<(PlainRows, ActualsShape)> {
        let (columns, shape) = Columns::of(header, metric, splits)?;
        let first_day = i64::from(first.num_days_from_ce());
        let mut months = [(0, 0); 24];
        for (i, month) in months.iter_mut().enumerate() {
            let (y, m) = (first.year() + i32::from(i >= 12), u32::try_from(i % 12 + 1).expect("a month"));
            let start = NaiveDate::from_ymd_opt(y, m, 1).expect("a month of the plan's years");
            let next = start.checked_add_months(chrono::Months::new(1)).expect("a month of the plan's years");
            let len = u32::try_from((next - start).num_days()).expect("a month's days");
            *month = (i64::from(start.num_days_from_ce()) - first_day, len);
        }
        let used = |i: &usize| *i == columns.date || *i == columns.metric || columns.splits.contains(i);
        let others = (0..header.headers().len()).filter(|i| !used(i)).collect();
        // Split columns one after the other, in cascade order: a row's
        // members are then one run of bytes, found with one lookup.
        let joined = !columns.splits.is_empty() && columns.splits.windows(2).all(|w| w[1] == w[0] + 1);
        let rows = PlainRows {
            columns,
            width: header.headers().len(),
            delimiter: header.delimiter(),
            index: PathIndex::new(&nodes.paths, shape.depth, &nodes.into, joined.then_some(header.delimiter())),
            first_day,
            planned,
            months,
            year: first.year(),
            others,
            joined,
        };
        Ok((rows, shape))
    }

    /// Reads the rows of `part` (lines after the header), adding their
    /// amounts to `daily`: the counts and totals the one-piece reader gives
    /// for the same lines, or `None` where it would have something to say.
    pub(in crate::track) fn read(&self, part: impl Read, daily: &mut DailyActuals) -> Option<Actuals> {
        self.read_in(part, daily, CHUNK)
    }

    /// [`PlainRows::read`], `chunk` bytes at a time (a line must fit in one).
    fn read_in(&self, mut part: impl Read, daily: &mut DailyActuals, chunk: usize) -> Option<Actuals> {
        let mut read = PartTotals {
            actuals: Actuals { day_rows: vec![0; self.planned.end], ..Actuals::default() },
            file_total: Total::ZERO,
            outside: Total::ZERO,
            batch: Vec::with_capacity(BATCH),
            members: Vec::with_capacity(BATCH),
        };
        let mut buf = vec![0u8; chunk];
        let mut filled = 0;
        loop {
            filled += fill(&mut part, &mut buf[filled..])?;
            let last = filled < buf.len();
            // Whole lines only, but for the file's last one.
            let end = if last { filled } else { memchr::memrchr(b'\n', &buf[..filled])? + 1 };
            self.lines(&buf[..end], &mut read, daily)?;
            if last {
                break;
            }
            buf.copy_within(end..filled, 0);
            filled -= end;
        }
        read.flush(daily)?;
        let mut actuals = read.actuals;
        actuals.file_total = read.file_total.decimal();
        actuals.outside_rows.amount = read.outside.decimal();
        Some(actuals)
    }

    /// Reads whole lines `bytes` into `read`.
    fn lines(&self, bytes: &[u8], read: &mut PartTotals, daily: &mut DailyActuals) -> Option<()> {
        // A quote could hold a delimiter or a line end; a lone carriage return ends a row.
        if memchr::memchr(b'"', bytes).is_some()
            || memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
        {
            return None;
        }
        let mut fields: Vec<&[u8]> = Vec::with_capacity(self.width);
        let (mut field, mut line) = (0, 0);
        // One pass over the delimiters and line ends of the whole chunk.
        for at in Separators::new(bytes, self.delimiter).chain(std::iter::once(bytes.len())) {
            let end_of_line = at == bytes.len() || bytes[at] == b'\n';
            let mut cell = &bytes[field..at];
            field = at + 1;
            if !end_of_line {
                fields.push(cell);
                continue;
            }
            if at - line > LONGEST_LINE {
                return None;
            }
            line = at + 1;
            cell = cell.strip_suffix(b"\r").unwrap_or(cell);
            if fields.is_empty() && cell.is_empty() {
                continue; // a blank line
            }
            fields.push(cell);
            self.row(bytes, &fields, read, daily)?;
            fields.clear();
        }
        // The rows' members are runs of this chunk, which is read over next.
        self.find_nodes(bytes, read)
    }

    /// Reads one row's `fields` into `read`. Every byte of the row is
    /// checked to be UTF-8 text, as the one-piece reader checks it: a
    /// member's by matching a member name, a date's and an amount's as they
    /// are read, the other columns' on their own.
    #[inline]
    fn row(&self, bytes: &[u8], fields: &[&[u8]], read: &mut PartTotals, daily: &mut DailyActuals) -> Option<()> {
        if fields.len() != self.width {
            return None;
        }
        let c = &self.columns;
        let text = |i: usize| std::str::from_utf8(fields[i]).ok();
        let day = match self.day(fields[c.date]) {
            Some(day) => day,
            None => i64::from(parse_date(trim(text(c.date)?))?.num_days_from_ce()) - self.first_day,
        };
        let amount = match plain_row_amount(fields[c.metric]) {
            Some(amount) => amount,
            None => row_amount(trim(text(c.metric)?))?,
        };
        if self.others.iter().any(|&i| text(i).is_none()) {
            return None;
        }
        let actuals = &mut read.actuals;
        actuals.rows += 1;
        read.file_total = read.file_total.add(Total::of(amount));
        let day = match usize::try_from(day) {
            Ok(day) if self.planned.contains(&day) => day,
            _ => {
                actuals.outside_rows.rows += 1;
                read.outside = read.outside.add(Total::of(amount));
                return Some(());
            }
        };
        actuals.day_rows[day] += 1;
        if self.joined {
            // Found with the rest of the batch (`find_nodes`), its members
            // being one run of bytes: the split columns come one after the other.
            let (first, last) = (fields[c.splits[0]], fields[c.splits[c.splits.len() - 1]]);
            let start = first.as_ptr().addr() - bytes.as_ptr().addr();
            read.members.push(start..last.as_ptr().addr() + last.len() - bytes.as_ptr().addr());
            read.batch.push(Row { node: usize::MAX, day, amount, line: 0 });
        } else {
            let node = self.index.find(|k| trim_bytes(fields[c.splits[k]]))?;
            read.batch.push(Row { node, day, amount, line: 0 });
        }
        if read.batch.len() == BATCH {
            self.find_nodes(bytes, read)?;
            read.flush(daily)?;
        }
        Some(())
    }

    /// Finds the nodes of the rows waiting in `read` from their members
    /// (runs of `bytes`). The table of whole paths is large: searched in a
    /// loop of their own, the rows' searches wait for memory together
    /// rather than one after the other (10 M rows took 1.94 s of CPU so,
    /// 2.21 s with each row's search made as it is read). A path not
    /// found whole (a space around a name, say) is found member by member,
    /// trimmed, as any other row.
    fn find_nodes(&self, bytes: &[u8], read: &mut PartTotals) -> Option<()> {
        // The last rows of the batch: those before were found with an earlier chunk.
        let from = read.batch.len() - read.members.len();
        for (row, members) in read.batch[from..].iter_mut().zip(read.members.drain(..)) {
            let members = &bytes[members];
            row.node = if let Some(node) = self.index.find_joined(members) {
                node
            } else {
                let names: Vec<&[u8]> = members.split(|b| *b == self.delimiter).collect();
                self.index.find(|k| trim_bytes(names[k]))?
            };
        }
        Some(())
    }
}

impl PlainRows {
    /// The day index (from the plan year's first day) of `text` when it is
    /// a date written `YYYY-MM-DD` in the plan year's two calendar years, as
    /// [`parse_date`] reads it; `None` leaves any other text to it.
    #[inline]
    fn day(&self, text: &[u8]) -> Option<i64> {
        let b: &[u8; 10] = text.try_into().ok()?;
        let digits = |r: Range<usize>| {
            b[r].iter().try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
        };
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let year = i32::try_from(y).ok()? - self.year;
        let month = usize::try_from(year).ok().filter(|y| *y < 2)? * 12 + usize::try_from(m).ok()?.checked_sub(1)?;
        let &(start, len) = self.months.get(month).filter(|_| m <= 12)?;
        (1..=len).contains(&d).then(|| start + i64::from(d) - 1)
    }
}

/// What a part has read so far.
struct PartTotals {
    actuals: Actuals,
    file_total: Total,
    outside: Total,
    /// Rows waiting to be added to their days.
    batch: Vec<Row>,
    /// When split columns are joined: the members of the rows of `batch`
    /// whose nodes are still to be found, as runs of the chunk being read.
    members: Vec<Range<usize>>,
}

impl PartTotals {
    /// Adds the rows waiting; `None` when a day's sum would not fit.
    fn flush(&mut self, daily: &mut DailyActuals) -> Option<()> {
        let mut failed = Vec::new();
        daily.add_all(&self.batch, &mut failed);
        self.batch.clear();
        failed.is_empty().then_some(())
    }
}

/// Reads into `buf` until it is full or the input ends; how many bytes came.
fn fill(input: &mut impl Read, buf: &mut [u8]) -> Option<usize> {
    let mut n = 0;
    while n < buf.len() {
        match input.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(got) => n += got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::plan::csv_source::STREAM_LIMITS;
    use crate::track::actuals::NOUN;

    const DAYS: usize = 365;

    fn first() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    fn splits() -> Vec<String> {
        vec!["region".to_string(), "rep".to_string()]
    }

    const NODES: [[&str; 2]; 3] = [["East", "Ann"], ["East", "Bob"], ["西部", "Cy"]];

    /// The file read in one piece, as the tracker does for small files.
    fn one_piece(text: &[u8], planned: Range<usize>) -> Option<(Actuals, Vec<Total>)> {
        let nodes = TrackedNodes::all(NODES.iter().map(|p| p.to_vec()).collect());
        let source = CsvSource::new(text, "sales.csv", NOUN, STREAM_LIMITS).ok()?;
        let mut daily = DailyActuals::new(DAYS, 2, nodes.len());
        let (actuals, _) = Actuals::read_into(source, "sales", &splits(), &nodes, first(), planned, &mut daily).ok()?;
        Some((actuals, days(&daily)))
    }

    /// The file's rows read here (the header by a source, as `split_read` does).
    fn plain(text: &[u8], planned: Range<usize>) -> Option<(Actuals, Vec<Total>)> {
        plain_in(text, planned, CHUNK)
    }

    /// [`plain`], `chunk` bytes at a time.
    fn plain_in(text: &[u8], planned: Range<usize>, chunk: usize) -> Option<(Actuals, Vec<Total>)> {
        let nodes = TrackedNodes::all(NODES.iter().map(|p| p.to_vec()).collect());
        let header_end = text.iter().position(|b| *b == b'\n')? + 1;
        let header = CsvSource::new(&text[..header_end], "sales.csv", NOUN, STREAM_LIMITS).ok()?;
        let (rows, _) = PlainRows::new(&header, ("sales", &splits()), &nodes, first(), planned).ok()?;
        let mut daily = DailyActuals::new_written(DAYS, 2, nodes.len());
        let actuals = rows.read_in(&text[header_end..], &mut daily, chunk)?;
        Some((actuals, days(&daily)))
    }

    fn days(daily: &DailyActuals) -> Vec<Total> {
        (0..NODES.len()).flat_map(|n| (0..DAYS).map(move |d| daily.day(n, d))).collect()
    }

    /// A plain row, as exports write them: read here.
    fn plain_row() -> impl Strategy<Value = String> {
        let date = prop_oneof![
            9 => (1u32..=12, 1u32..=28).prop_map(|(m, d)| format!("2026-{m:02}-{d:02}")),
            1 => Just("2025-12-31".to_string()),
            1 => Just("2027-01-01".to_string()),
        ];
        let member = (0usize..3).prop_map(|i| (NODES[i][0], NODES[i][1]));
        let amount = prop_oneof![
            4 => (-50_000i64..500_000).prop_map(|c| format!("{}{}.{:02}", if c < 0 { "-" } else { "" }, c.abs() / 100, c.abs() % 100)),
            1 => (0u32..1000).prop_map(|n| n.to_string()),
            1 => (0u32..100).prop_map(|n| format!("{}.{}", n, n % 10)),
        ];
        let end = prop_oneof![6 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\n\n"), 1 => Just("\r\n\r\n")];
        (date, member, amount, end)
            .prop_map(|(date, (region, rep), amount, end)| format!("{date},{region},{rep},{amount}{end}"))
    }

    /// A row the one-piece reader reads in a way of its own, or has
    /// something to say about: some are read here too, the rest not.
    fn unusual_row() -> impl Strategy<Value = &'static [u8]> {
        prop_oneof![
            Just(&b"2026/02/03,East,Ann,1\n"[..]),
            Just(&b"2026-02-03T10:00:00,East,Ann,1\n"[..]),
            Just(&b" 2026-02-03 ,East,Ann, 1 \n"[..]),
            Just(&b"2026-02-03,East, Ann,1\n"[..]),
            Just(&b"2026-02-03,East,Ann,+7.5\n"[..]),
            Just(&b"2026-02-03,East,Ann,1_000\n"[..]),
            Just(&b"2026-02-03,East,Ann,0.125\n"[..]),
            Just(&b"2026-02-03,East,Ann,.5\n"[..]),
            Just(&b"2026-02-30,East,Ann,1\n"[..]),
            Just(&b"03/02/2026,East,Ann,1\n"[..]),
            Just(&b"2026-02-03,East,Zed,1\n"[..]),
            Just(&b"2026-02-03,,Ann,1\n"[..]),
            Just(&b"2026-02-03,East,Ann,\"1,234.50\"\n"[..]),
            Just(&b"2026-02-03,East,Ann,abc\n"[..]),
            Just(&b"2026-02-03,East,Ann,\n"[..]),
            Just(&b"2026-02-03,East,Ann,2000000000000000\n"[..]),
            Just(&b"2026-02-03,East,Ann,1,extra\n"[..]),
            Just(&b"2026-02-03,East,Ann\n"[..]),
            Just(&b"2026-02-03,East,Ann,1\r2026-02-04,East,Ann,1\n"[..]),
            Just(&b"2026-02-03,East,Ann,1\xff\n"[..]),
            Just(&b" , , , \n"[..]),
            Just(&b",,,\n"[..]),
            Just(&b"\xef\xbb\xbf2026-02-03,East,Ann,1\n"[..]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Whatever the rows, reading them here gives what the one-piece
        /// reader gives, or nothing (and the part is read the long way);
        /// plain rows are always read here.
        #[test]
        fn rows_read_straight_from_bytes_add_up_as_the_one_piece_reader_adds_them(
            rows in proptest::collection::vec(plain_row(), 0..60),
            unusual in proptest::option::of((unusual_row(), any::<prop::sample::Index>())),
            last_line_end in any::<bool>(),
            whole_year in any::<bool>(),
            apart in any::<bool>(),
        ) {
            // The split columns one after the other (a row's members found
            // whole), or apart (found member by member).
            let rows: Vec<String> = if apart {
                rows.iter().map(|r| { let f: Vec<&str> = r.splitn(3, ',').collect(); format!("{},{},{}", f[1], f[0], f[2]) }).collect()
            } else {
                rows
            };
            let mut lines: Vec<&[u8]> = rows.iter().map(String::as_bytes).collect();
            if let Some((row, at)) = unusual {
                lines.insert(at.index(lines.len() + 1), row);
            }
            let header: &[u8] = if apart { b"region,date,rep,sales\n" } else { b"date,region,rep,sales\n" };
            let mut text = header.to_vec();
            text.extend(lines.concat());
            while !last_line_end && text.len() > header.len() && text.ends_with(b"\n") {
                text.pop();
                if text.ends_with(b"\r") {
                    text.pop();
                }
            }
            let planned = if whole_year { 0..DAYS } else { 31..59 };
            let one = one_piece(&text, planned.clone());
            match plain(&text, planned) {
                Some(here) => prop_assert_eq!(Some(here), one),
                None => prop_assert!(unusual.is_some(), "plain rows were left to the one-piece reader"),
            }
        }
    }

    /// Many small chunks: rows whose nodes are found with the batch, the
    /// batch going on from one chunk to the next.
    #[test]
    fn rows_read_a_few_lines_at_a_time_add_up_as_read_in_one_piece() {
        let mut text = String::from("date,region,rep,sales\n");
        for i in 0..3_000 {
            let (region, rep) = (NODES[i % 3][0], NODES[i % 3][1]);
            let rep = if i % 101 == 0 { format!(" {rep}") } else { rep.to_string() };
            text.push_str(&format!(
                "2026-{:02}-{:02},{region},{rep},{}.{:02}\n",
                i % 12 + 1,
                i % 28 + 1,
                i % 977,
                i % 100
            ));
        }
        let one = one_piece(text.as_bytes(), 0..DAYS).expect("plain rows");
        for chunk in [64, 100, 4096] {
            assert_eq!(plain_in(text.as_bytes(), 0..DAYS, chunk).as_ref(), Some(&one), "{chunk}-byte chunks");
        }
        assert_eq!(one.0.rows, 3_000);
    }

    #[test]
    fn dates_are_read_as_the_date_reader_reads_them_from_any_first_day() {
        let nodes = TrackedNodes::all(NODES.iter().map(|p| p.to_vec()).collect());
        let header = CsvSource::new(&b"date,region,rep,sales\n"[..], "sales.csv", NOUN, STREAM_LIMITS).unwrap();
        for first in ["2026-01-01", "2026-04-01", "2024-02-29", "2027-12-28"] {
            let first: NaiveDate = first.parse().unwrap();
            let (rows, _) = PlainRows::new(&header, ("sales", &splits()), &nodes, first, 0..DAYS).unwrap();
            let mut date = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
            while date.year() < 2030 {
                let text = date.format("%Y-%m-%d").to_string();
                let want = i64::from(date.num_days_from_ce()) - i64::from(first.num_days_from_ce());
                let got = rows.day(text.as_bytes());
                assert!(got.is_none() || got == Some(want), "{text} from {first}: {got:?}, not {want}");
                if (first.year()..=first.year() + 1).contains(&date.year()) {
                    assert_eq!(got, Some(want), "{text} from {first}");
                }
                date = date.succ_opt().unwrap();
            }
            for text in [
                "2026-02-29",
                "2026-13-01",
                "2026-00-10",
                "2026-01-00",
                "2026-01-32",
                "2026/01/02",
                "2026-1-02",
                " 2026-01-0",
            ] {
                assert_eq!(rows.day(text.as_bytes()), None, "{text}");
            }
        }
    }

    #[test]
    fn plain_rows_are_read_and_anything_unusual_is_left_to_the_one_piece_reader() {
        let plain_file = "date,region,rep,sales\n2026-01-02,East,Ann,1.50\r\n\n2026-01-02,西部,Cy,-2\n2025-06-01,East,Bob,9\n2026-03-01,East,Bob,3";
        let here = plain(plain_file.as_bytes(), 0..DAYS).expect("a plain file");
        assert_eq!(Some(&here), one_piece(plain_file.as_bytes(), 0..DAYS).as_ref());
        assert_eq!((here.0.rows, here.0.outside_rows.rows), (4, 1));
        for (unusual, why) in [
            ("2026-01-02,East,Ann,\"1\"\n", "a quote"),
            ("2026-01-02,East,Ann,1\r2026-01-03,East,Ann,1\n", "a carriage return alone"),
            ("2026-01-02,East,Zed,1\n", "a member not in the plan"),
            ("2026-01-02,East,Ann\n", "a short row"),
            ("2026-01-02,East,Ann,x\n", "not an amount"),
            ("2026-01-32,East,Ann,1\n", "not a date"),
            ("2026-01-02,East,Ann,2000000000000000\n", "an amount too large for one row"),
        ] {
            let text = format!("{plain_file}\n{unusual}");
            assert!(plain(text.as_bytes(), 0..DAYS).is_none(), "{why}");
        }
        // Columns read for nothing must be text too.
        let noted = |note: &[u8]| {
            let mut text = b"date,region,rep,sales,note\n2026-01-02,East,Ann,1.50,".to_vec();
            text.extend_from_slice(note);
            text.extend_from_slice(b"\n2026-01-03,\xc2\xa0East,Ann ,2,\n");
            (plain(&text, 0..DAYS), one_piece(&text, 0..DAYS))
        };
        let (here, one) = noted("备注".as_bytes());
        assert!(here.is_some() && here == one, "a note in Chinese, members with spaces around");
        assert!(noted(b"\xff").0.is_none(), "a note that is not UTF-8");
        let long = format!("date,region,rep,sales,note\n2026-01-02,East,Ann,1,{}\n", "n".repeat(LONGEST_LINE));
        assert!(plain(long.as_bytes(), 0..DAYS).is_none(), "a long line");
    }
}
