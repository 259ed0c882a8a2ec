//! Stage `track`: a large actuals file read on several threads. The file is
//! cut at line ends into one part per thread; each thread reads the header
//! and its part as a file of its own and sums its rows; the parts' sums are
//! then added up. This is only done where it gives exactly what one reader
//! gives: a plain UTF-8 text file with no quote in it (a quoted field could
//! hold a line end, which would cut a row in two), whose rows are all
//! well-formed, planned and of the plan's decimals at most. Anything else —
//! an error, a warning to word with its line, a quote, a finer amount —
//! gives `None`, and the caller reads the file in one piece, which says
//! everything it has to say exactly as before. On one thread the file is
//! one part, so its plain rows are still read straight from their bytes.

use std::io::{BufRead, Read, Seek};
use std::path::Path;

use chrono::NaiveDate;

use super::actuals::{PlainRows, NOUN};
use super::daily::DailyActuals;
use super::{Actuals, ActualsShape, TrackedNodes};
use crate::plan::csv_source::{sniff_encoding, CsvSource, STREAM_LIMITS};
use crate::plan::ReadAs;

/// Files smaller than this are read in one piece: splitting them gains little.
pub(super) const SPLIT_FROM: u64 = 32 << 20;

/// What the parts are read against: the plan's side of [`Actuals::read_into`].
pub(super) struct Against<'a> {
    pub metric: &'a str,
    pub splits: &'a [String],
    pub nodes: &'a TrackedNodes<'a>,
    pub first: NaiveDate,
    pub planned: std::ops::Range<usize>,
    /// Days of the plan year, and the plan's decimals, for [`DailyActuals::new`].
    pub days: usize,
    pub decimals: u32,
}

/// Reads the actuals at `path` (named `file` in messages, separated by
/// `delimiter`) in `parts` parts at once when it has at least `from` bytes
/// ([`SPLIT_FROM`]); `None` when the file is not one that splits exactly
/// (see the module's documentation), or cannot be read so (the one-piece
/// reader then says why).
pub(super) fn read_split(
    path: &Path,
    (file, delimiter): (&str, u8),
    (parts, from): (usize, u64),
    against: &Against<'_>,
) -> Option<(Actuals, ActualsShape, DailyActuals)> {
    let len = std::fs::metadata(path).ok()?.len();
    if parts == 0 || len < from {
        return None;
    }
    let mut reader = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let mut head = Vec::new();
    (&mut reader).take(crate::plan::csv_source::SNIFF as u64).read_to_end(&mut head).ok()?;
    // Plain UTF-8 (or ASCII) text, as the one-piece reader would take it.
    if sniff_encoding(&head, false).is_some_and(|e| e != encoding_rs::UTF_8) || head.contains(&b'"') {
        return None;
    }
    let header_end = head.iter().position(|b| *b == b'\n')? + 1;
    let header = head[..header_end].to_vec();
    let cuts = cuts(path, header_end as u64, len, parts)?;
    let read_as = ReadAs { sheet: None, encoding: Some(encoding_rs::UTF_8), delimiter: Some(delimiter) };
    let header_only = CsvSource::new_as(std::io::Cursor::new(&header), file, NOUN, STREAM_LIMITS, &read_as).ok()?;
    let plain = PlainRows::new(
        &header_only,
        (against.metric, against.splits),
        against.nodes,
        against.first,
        against.planned.clone(),
    )
    .ok()?;
    let results: Vec<Option<(Actuals, ActualsShape, DailyActuals)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| {
                let (start, end) = (w[0], w[1]);
                let (header, read_as, plain) = (&header, &read_as, &plain);
                scope.spawn(move || read_part(path, (file, header), start..end, (read_as, plain), against))
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok().flatten()).collect()
    });
    let mut results = results.into_iter();
    let (mut actuals, shape, mut daily) = results.next()??;
    for part in results {
        let (more, more_shape, more_daily) = part?;
        if more_shape != shape || !daily.absorb(&more_daily) {
            return None;
        }
        actuals.rows += more.rows;
        for (a, b) in actuals.day_rows.iter_mut().zip(&more.day_rows) {
            *a += b;
        }
        actuals.outside_rows.rows += more.outside_rows.rows;
        actuals.outside_rows.amount = actuals.outside_rows.amount.checked_add(more.outside_rows.amount)?;
        actuals.file_total = actuals.file_total.checked_add(more.file_total)?;
    }
    Some((actuals, shape, daily))
}

/// The byte offsets the parts start at (the first just after the header),
/// then the file's length: each cut just after a line end.
fn cuts(path: &Path, body: u64, len: u64, parts: usize) -> Option<Vec<u64>> {
    let mut file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let mut cuts = vec![body];
    let mut skipped = Vec::new();
    for k in 1..parts as u64 {
        let at = body + (len - body) * k / parts as u64;
        if at <= *cuts.last()? {
            continue;
        }
        file.seek(std::io::SeekFrom::Start(at)).ok()?;
        skipped.clear();
        let n = file.read_until(b'\n', &mut skipped).ok()?;
        if n == 0 || skipped.last() != Some(&b'\n') {
            break; // the last line: no cut after it
        }
        cuts.push(at + n as u64);
    }
    cuts.push(len);
    cuts.dedup();
    Some(cuts)
}

/// One part (bytes `range`, under the file's header): its plain rows read
/// straight from their bytes, else the part read as a file of its own;
/// `None` when it is not one that adds up exactly.
fn read_part(
    path: &Path,
    (file, header): (&str, &[u8]),
    range: std::ops::Range<u64>,
    (read_as, plain): (&ReadAs, &(PlainRows, ActualsShape)),
    against: &Against<'_>,
) -> Option<(Actuals, ActualsShape, DailyActuals)> {
    let open = || {
        let mut part = std::fs::File::open(path).ok()?;
        part.seek(std::io::SeekFrom::Start(range.start)).ok()?;
        Some(part.take(range.end - range.start))
    };
    let (rows, shape) = plain;
    let (days, nodes) = (against.days, against.nodes.len());
    // A row of some 40 bytes reaches one day: with a byte of rows for every
    // 16 bytes of days, nearly every page of them is reached many times.
    let mut daily = if range.end - range.start >= DailyActuals::bytes(days, nodes) / 16 {
        DailyActuals::new_written(days, against.decimals, nodes)
    } else {
        DailyActuals::new(days, against.decimals, nodes)
    };
    if let Some(actuals) = rows.read(open()?, &mut daily) {
        return Some((actuals, shape.clone(), daily));
    }
    let mut quoted = false;
    let body = NoQuotes { inner: open()?, quoted: &mut quoted };
    let source =
        CsvSource::new_as(std::io::Cursor::new(header).chain(body), file, NOUN, STREAM_LIMITS, read_as).ok()?;
    let mut daily = DailyActuals::new(against.days, against.decimals, against.nodes.len());
    let (actuals, shape) = Actuals::read_into(
        source,
        against.metric,
        against.splits,
        against.nodes,
        against.first,
        against.planned.clone(),
        &mut daily,
    )
    .ok()?;
    // Rows outside the plan's members are worded with their line: the one-piece reader says it.
    if quoted || actuals.unplanned_rows.rows > 0 || actuals.first_unplanned.is_some() {
        return None;
    }
    Some((actuals, shape, daily))
}

/// A reader that notes whether a quote went through it.
struct NoQuotes<'q, R> {
    inner: R,
    quoted: &'q mut bool,
}

impl<R: Read> Read for NoQuotes<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if memchr::memchr(b'"', &buf[..n]).is_some() {
            *self.quoted = true;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAYS: usize = 365;

    fn against<'a>(splits: &'a [String], nodes: &'a TrackedNodes<'a>) -> Against<'a> {
        Against {
            metric: "sales",
            splits,
            nodes,
            first: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            planned: 0..DAYS,
            days: DAYS,
            decimals: 2,
        }
    }

    /// The file read in one piece, as the tracker does without a path.
    fn whole(path: &Path, a: &Against<'_>) -> (Actuals, ActualsShape, DailyActuals) {
        let source = CsvSource::new(std::fs::File::open(path).unwrap(), "sales.csv", NOUN, STREAM_LIMITS).unwrap();
        let mut daily = DailyActuals::new(a.days, a.decimals, a.nodes.len());
        let (actuals, shape) =
            Actuals::read_into(source, a.metric, a.splits, a.nodes, a.first, a.planned.clone(), &mut daily).unwrap();
        (actuals, shape, daily)
    }

    fn write(rows: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, rows.as_bytes()).unwrap();
        file
    }

    /// Rows over the year for both regions, some outside it, CRLF on some lines.
    fn rows(extra: &str) -> String {
        let mut text = String::from("\u{feff}date,region,sales\r\n");
        for i in 0..5_000u32 {
            let region = if i % 3 == 0 { "East" } else { "West" };
            let year = if i % 97 == 0 { 2025 } else { 2026 };
            let end = if i % 2 == 0 { "\r\n" } else { "\n" };
            text.push_str(&format!(
                "{year}-{:02}-{:02},{region},{}.{:02}{end}",
                1 + i % 12,
                1 + i % 28,
                i % 500,
                i % 100
            ));
        }
        text.push_str(extra);
        text
    }

    #[test]
    fn parts_add_up_to_the_whole_file_on_any_number_of_threads() {
        let splits = vec!["region".to_string()];
        let nodes = TrackedNodes::all(vec![vec!["East"], vec!["West"]]);
        let a = against(&splits, &nodes);
        let file = write(&rows("2026-12-31,East,-7.25\n"));
        let (one, one_shape, one_daily) = whole(file.path(), &a);
        for parts in [1, 2, 3, 7] {
            let (many, shape, daily) = read_split(file.path(), ("sales.csv", b','), (parts, 0), &a).expect("it splits");
            assert_eq!(many, one, "{parts} parts");
            assert_eq!(shape, one_shape);
            for node in 0..nodes.len() {
                for day in 0..DAYS {
                    assert_eq!(daily.day(node, day), one_daily.day(node, day), "{parts} parts, node {node}, day {day}");
                }
            }
        }
        assert!(one.outside_rows.rows > 0 && one.rows == 5_001, "the file has rows outside the year: {one:?}");
    }

    #[test]
    fn files_that_do_not_split_exactly_are_read_in_one_piece() {
        let splits = vec!["region".to_string()];
        let nodes = TrackedNodes::all(vec![vec!["East"], vec!["West"]]);
        let a = against(&splits, &nodes);
        for (extra, why) in [
            ("2026-05-05,East,\"1,200.00\"\n", "a quote"),
            ("2026-05-05,North,1.00\n", "a member not in the plan"),
            ("2026-05-05,East,1.005\n", "an amount finer than the plan's"),
            ("2026-05-05,East,abc\n", "an error"),
        ] {
            let file = write(&rows(extra));
            assert!(read_split(file.path(), ("sales.csv", b','), (3, 0), &a).is_none(), "{why}");
        }
        let small = write(&rows(""));
        assert!(read_split(small.path(), ("sales.csv", b','), (3, SPLIT_FROM), &a).is_none(), "a small file");
    }
}
