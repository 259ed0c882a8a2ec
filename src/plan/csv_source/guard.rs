//! Stage `plan`: what the CSV reader is given to read. [`Guard`] passes the
//! file's bytes to the csv crate, refusing what cannot be CSV text (a
//! workbook, UTF-16, binary data) and rows or files past their limits, and
//! counts physical lines so that every message names the row's own line.

use std::io::Read;

use super::{line_number, too_large, Limits, Noun, MAX_ROW_BYTES, READ_AHEAD};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::error::Error;

/// The error that stops reading: what the guard refused, text that is not
/// UTF-8, or the operating system's error.
pub(super) fn fatal<R>(guard: &mut Guard<R>, file: &str, noun: Noun, e: csv::Error) -> Error {
    if let Some(refusal) = guard.refusal.take() {
        return Error::invalid(refusal.diagnostic(file, noun, guard));
    }
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Io { path: file.into(), action: "read", source },
        csv::ErrorKind::Utf8 { pos, .. } => {
            let at = pos.map_or(0, |p| p.byte());
            Error::invalid(not_utf8(file, noun, guard, at))
        }
        other => Error::invalid(
            Diagnostic::new(Code::NotCsv, format!("{} cannot be read as CSV: {other:?}", noun.the))
                .at(Location::file(file))
                .help("save it as \"CSV UTF-8 (Comma delimited)\""),
        ),
    }
}

/// Text that is not UTF-8, from the row at byte `at` on.
pub(super) fn not_utf8<R>(file: &str, noun: Noun, guard: &mut Guard<R>, at: u64) -> Diagnostic {
    let line = line_number(guard.line_of(at));
    let bytes = guard.raw_bytes(at);
    let valid = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
    let shown = String::from_utf8_lossy(&bytes).into_owned();
    // The first bad byte is shown as one U+FFFD (3 bytes) after the valid part.
    let underline = valid..(valid + 3).min(shown.len());
    Diagnostic::new(Code::NotUtf8, format!("{} {} not UTF-8 text", noun.the, noun.is()))
        .at(Location::csv_line(file, line, &shown, underline))
        .note(
            "this is the first line that is not UTF-8; salesplit reads GBK (GB18030) and UTF-16 files too, found \
             from the file's first 64 KB, which did not show one",
        )
        .help(format!(
            "if the file is GBK, say so (`encoding = \"gbk\"` next to the file in the plan, or track's \
             --encoding gbk); else save it as \"CSV UTF-8 (Comma delimited)\" (in Excel: File > Save As), or \
             convert it with iconv -f GB18030 -t UTF-8 {file} > utf8.csv"
        ))
}

/// Why the guard stopped reading.
#[derive(Clone, Copy, Debug)]
enum Refusal {
    /// The file starts like a zip archive (an xlsx workbook).
    Zip,
    /// The file starts like an old Excel workbook (.xls).
    Ole,
    /// The file starts with a UTF-16 byte order mark.
    Utf16,
    /// NUL bytes near the start: not text.
    Binary,
    /// A row longer than [`MAX_ROW_BYTES`], starting at this byte.
    LongRow(u64),
    /// More bytes than the kind's limit.
    TooLarge(u64),
    /// Bytes that are not text in the file's encoding (GB18030, UTF-16),
    /// after this many bytes of text.
    Undecodable(u64),
}

impl Refusal {
    fn diagnostic<R>(self, file: &str, noun: Noun, guard: &mut Guard<R>) -> Diagnostic {
        let excel = "in Excel, save the sheet with File > Save As > \"CSV UTF-8 (Comma delimited)\" and name that file";
        let whole = Location::file(file);
        match self {
            Refusal::Zip => Diagnostic::new(
                Code::NotCsv,
                format!("{} {} an Excel workbook (.xlsx) or another zip file, not CSV text", noun.the, noun.is()),
            )
            .at(whole)
            .help(excel),
            Refusal::Ole => Diagnostic::new(
                Code::NotCsv,
                format!("{} {} an old Excel workbook (.xls), not CSV text", noun.the, noun.is()),
            )
            .at(whole)
            .help(excel),
            Refusal::Utf16 => {
                Diagnostic::new(Code::NotUtf8, format!("{} {} UTF-16 text, not UTF-8", noun.the, noun.is()))
                    .at(whole)
                    .note("Excel writes UTF-16 when a sheet is saved as \"Unicode Text\"")
                    .help(excel)
            }
            Refusal::Binary => Diagnostic::new(
                Code::NotCsv,
                format!("{} {} not text: the file holds binary data (NUL bytes)", noun.the, noun.is()),
            )
            .at(whole)
            .help(format!("check the file name: salesplit reads CSV text here; {excel}")),
            Refusal::LongRow(at) => {
                let line = guard.line_of(at);
                Diagnostic::new(Code::RowTooLong, format!("{} {} a row longer than 1 MB, from line {line}", noun.the, noun.has))
                    .at(whole)
                    .note("no row of a CSV file salesplit reads is that long; an opening quote without its closing quote makes the rest of the file one cell")
                    .help("check the quotes from this line on, and that this is the right file")
            }
            Refusal::TooLarge(limit) => too_large(file, noun, u64::MAX, limit),
            Refusal::Undecodable(at) => {
                let line = guard.line_of(at);
                Diagnostic::new(
                    Code::NotUtf8,
                    format!("{} {} bytes that are not text in its encoding, on line {line}", noun.the, noun.has),
                )
                .at(whole)
                .note("the file was read as GB18030 (GBK) or UTF-16, from its start or as the plan or --encoding says")
                .help("check the encoding: save the file as \"CSV UTF-8 (Comma delimited)\", or name its encoding with `encoding`")
            }
        }
    }
}

/// Passes the file through to the csv reader, refusing what cannot be CSV
/// text and rows or files past their limits, and keeps the bytes it has not
/// yet passed, so that a row's line can be counted from its first byte: the
/// csv crate starts a row that follows a CRLF (as Excel writes them) or a
/// blank line at the break before it, a line or more too early.
pub(super) struct Guard<R> {
    inner: R,
    limits: Limits,
    /// The bytes read from `window_start` on.
    window: Vec<u8>,
    window_start: u64,
    /// The `\n` bytes before `cursor` are counted in `passed`.
    cursor: u64,
    passed: u64,
    /// Where the row being read starts.
    row_start: u64,
    /// Set when reading is refused.
    refusal: Option<Refusal>,
}

/// Passed bytes are let go once there are this many.
const LINES_WINDOW: usize = 1 << 16;

impl<R> Guard<R> {
    pub(super) fn new(inner: R, limits: Limits) -> Guard<R> {
        Guard { inner, limits, window: Vec::new(), window_start: 0, cursor: 0, passed: 0, row_start: 0, refusal: None }
    }

    /// Bytes read so far.
    fn read_so_far(&self) -> u64 {
        self.window_start + self.window.len() as u64
    }

    /// The next row starts at byte `at`: the row limit counts from there.
    pub(super) fn row_starts(&mut self, at: u64) {
        self.row_start = at;
    }

    /// The 1-based line of the row whose csv position is byte `start`.
    /// Rows must be asked for in file order.
    pub(super) fn line_of(&mut self, start: u64) -> u64 {
        let len = self.window.len();
        let at = |offset: u64| usize::try_from(offset.saturating_sub(self.window_start)).map_or(len, |o| o.min(len));
        if start > self.cursor {
            let passed = &self.window[at(self.cursor)..at(start)];
            // A plain count: no bytecount dependency, and LLVM vectorises it.
            #[allow(clippy::naive_bytecount)]
            let breaks = passed.iter().filter(|b| **b == b'\n').count();
            self.passed += breaks as u64;
            self.cursor = start;
        }
        // Skip the run of line breaks the row starts with.
        let breaks = self.window[at(start)..].iter().take_while(|b| matches!(b, b'\r' | b'\n'));
        let skipped = breaks.filter(|b| **b == b'\n').count() as u64;
        let done = at(self.cursor);
        if done >= LINES_WINDOW {
            self.window.drain(..done);
            self.window_start = self.cursor;
        }
        self.passed + skipped + 1
    }

    /// The bytes of the first line of the row at byte `start` (after the
    /// line breaks it starts with), without its line break.
    pub(super) fn raw_bytes(&self, start: u64) -> Vec<u8> {
        let len = self.window.len();
        let from = usize::try_from(start.saturating_sub(self.window_start)).map_or(len, |o| o.min(len));
        let rest = &self.window[from..];
        let rest = &rest[rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count()..];
        let line = rest.split(|b| *b == b'\n').next().unwrap_or(&[]);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line[..line.len().min(usize::try_from(MAX_ROW_BYTES).unwrap_or(usize::MAX))].to_vec()
    }

    /// [`Guard::raw_bytes`] as text.
    pub(super) fn raw_line(&self, start: u64) -> String {
        String::from_utf8_lossy(&self.raw_bytes(start)).into_owned()
    }

    /// What the first bytes of a file say it is, when not CSV text.
    fn sniff(first: &[u8]) -> Option<Refusal> {
        if first.starts_with(b"PK\x03\x04") {
            Some(Refusal::Zip)
        } else if first.starts_with(b"\xd0\xcf\x11\xe0") {
            Some(Refusal::Ole)
        } else if first.starts_with(b"\xff\xfe") || first.starts_with(b"\xfe\xff") {
            Some(Refusal::Utf16)
        } else if first.contains(&0) {
            Some(Refusal::Binary)
        } else {
            None
        }
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let refused = || std::io::Error::other("refused");
        if self.refusal.is_some() {
            return Err(refused());
        }
        let n = match self.inner.read(buf) {
            Err(e) if super::decoded::is_undecodable(&e) => {
                self.refusal = Some(Refusal::Undecodable(self.read_so_far()));
                return Err(refused());
            }
            other => other?,
        };
        let before = self.read_so_far();
        self.window.extend_from_slice(&buf[..n]);
        // The first 8 KB say whether this is text at all.
        if before < 8192 && n > 0 {
            let head = &self.window[..self.window.len().min(8192)];
            if let Some(r) = Guard::<R>::sniff(head) {
                self.refusal = Some(r);
                return Err(refused());
            }
        }
        let total = self.read_so_far();
        if let Some(limit) = self.limits.file_bytes.filter(|l| total > *l) {
            self.refusal = Some(Refusal::TooLarge(limit));
            return Err(refused());
        }
        if total.saturating_sub(self.row_start) > MAX_ROW_BYTES + READ_AHEAD {
            self.refusal = Some(Refusal::LongRow(self.row_start));
            return Err(refused());
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::csv_source::STREAM_LIMITS;

    #[test]
    fn lines_are_counted_across_reads_and_windows() {
        // Rows of every length, CRLF, blank lines: the line of each row's
        // first byte, asked in order, whatever the reads and windows.
        let mut text = Vec::new();
        let mut starts = Vec::new();
        let mut line = 1;
        for i in 0..40_000u64 {
            let row = "x".repeat(1 + (i % 97) as usize);
            match i % 5 {
                0 => {
                    text.extend_from_slice(b"\r\n\r\n");
                    line += 2;
                }
                1 => {
                    text.push(b'\n');
                    line += 1;
                }
                _ => {}
            }
            starts.push((text.len() as u64, line));
            text.extend_from_slice(row.as_bytes());
            text.extend_from_slice(b"\r\n");
            line += 1;
        }
        let mut lines = Guard::new(text.as_slice(), STREAM_LIMITS);
        let mut buf = [0u8; 1000];
        let mut read = 0u64;
        for &(start, line) in &starts {
            while read <= start + 4 {
                read += lines.read(&mut buf).unwrap() as u64;
            }
            // The csv reader starts a row at the break before it.
            let at = start - u64::from(start > 0 && text[usize::try_from(start).unwrap() - 1] == b'\n');
            assert_eq!(lines.line_of(at), line, "row at byte {start}");
            lines.row_starts(at);
        }
        assert!(lines.window.len() < 2 * LINES_WINDOW);
    }
}
