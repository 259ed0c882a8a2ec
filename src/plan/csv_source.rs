//! Stage `plan`: the one CSV reader behind every CSV salesplit reads —
//! rosters, holiday calendars, baselines and `track`'s actuals.
//!
//! Contract: [`CsvSource`] opens the file (a missing file, a folder or an
//! unreadable file is an [`Error::Io`], whose `io_advice` gives the words and
//! the fix), reads its header and streams its rows, so memory grows with
//! the longest row, not with the file. It refuses, naming the file and the
//! line, and with a `help:` line:
//!
//! * what is not CSV text: a zip file that is not a workbook, binary data
//!   (`/dev/zero`), text that is neither UTF-8 nor GB18030 (the first bad
//!   line is named);
//! * a header that names a column twice (names are trimmed and matched
//!   without regard to case: `Date, Sales ` has the columns `date` and `sales`);
//! * a row with more or fewer cells than the header has columns (an
//!   unquoted thousands separator, `2025-04-05,B,1,200`, is never read as 1);
//! * a row longer than [`MAX_ROW_BYTES`], and a file larger than its kind's
//!   limit ([`Limits`]), after reading at most that much.
//!
//! Lines are physical lines of the file, counted from each row's first byte
//! (a quoted field may hold line breaks; CRLF and blank lines are counted as
//! the user sees them). A UTF-8 BOM is dropped. Blank rows are skipped. Bad
//! rows are recorded and reading goes on, so that one run reports every bad
//! row (up to [`MAX_ROW_ERRORS`], then a count); a problem that makes the
//! rest of the file unreadable stops reading.
//!
//! It reads as CSV text what users have (with a note on stderr where it
//! had to find out how): a workbook's sheet (`csv_source/sheet.rs`: the
//! rows a CSV export of it would hold, each message naming the cell,
//! `reps.xlsx [华东] B7`), GB18030 (GBK) text and UTF-16 text with a BOM
//! (`csv_source/decoded.rs`: decoded only when the file's start is not
//! UTF-8, so that UTF-8 files cost nothing more), and files separated by
//! `;` or tabs (found from the header). [`ReadAs`] says any of them.
//!
//! About 600 lines on purpose: opening, the header and the rows are one
//! reader; what it is given to read (the byte guard) is `csv_source/guard.rs`.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Code, Diagnostic, Location, SheetPlace};
use crate::error::{Error, Result};

mod decoded;
mod guard;
mod read_as;
mod sheet;

use decoded::Decoded;
use guard::{fatal, Guard};
pub use read_as::ReadAs;
pub(crate) use read_as::{DELIMITER_NAMES, ENCODING_NAMES};
use sheet::SheetRows;

/// How much of a file's start is looked at for what it is: a workbook, its
/// encoding, its delimiter.
pub(crate) const SNIFF: usize = 64 << 10;

/// A text file's bytes: its start, read to find what it is, then the rest.
type Input<R> = Decoded<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>;

/// Where the rows come from.
enum Rows<R> {
    /// A CSV text file (decoded to UTF-8 when it is not); boxed, as it
    /// is three times the size of a sheet's rows.
    Text(Box<csv::Reader<Guard<Input<R>>>>),
    /// A sheet of a workbook.
    Sheet(SheetRows),
}

/// The most row errors reported from one file before the rest are counted.
pub(crate) const MAX_ROW_ERRORS: usize = 20;

/// The longest row (its bytes, a quoted field's line breaks included).
pub(crate) const MAX_ROW_BYTES: u64 = 1 << 20;

/// A 1-based line number as an index for messages: a file within its byte
/// limit has far fewer lines than `usize` counts.
pub(crate) fn line_number(line: u64) -> usize {
    usize::try_from(line).expect("a line number fits usize")
}

/// How much of the file the csv reader may hold ahead of the row it reads.
const READ_AHEAD: u64 = 64 << 10;

/// How messages name the kind of file being read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Noun {
    /// The subject of a sentence: `the actuals`.
    pub the: &'static str,
    /// `have` or `has`, to agree with [`Noun::the`].
    pub has: &'static str,
    /// The possessive: `the actuals'`.
    pub owner: &'static str,
    /// What the file is, after "too large to be": `a roster`.
    pub a: &'static str,
}

impl Noun {
    /// `is` or `are`, to agree with [`Noun::the`].
    pub(crate) fn is(self) -> &'static str {
        if self.has == "have" {
            "are"
        } else {
            "is"
        }
    }
}

/// How much a file of one kind may hold: files read whole into memory
/// (rosters, holiday calendars) have a size limit; streamed ones (actuals,
/// baselines) need none, as memory does not grow with their rows.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// The most bytes the file may have.
    pub file_bytes: Option<u64>,
    /// The most rows it may have (blank ones not counted).
    pub rows: Option<u64>,
}

/// The limits of a roster: each row is a member held in memory (a
/// 1,000,000-row roster is about 23 MB and validates in well under 1 GB).
pub(crate) const ROSTER_LIMITS: Limits = Limits { file_bytes: Some(128_000_000), rows: Some(2_000_000) };
/// The limits of a holiday calendar: a century of holidays is 100 KB.
pub(crate) const CALENDAR_LIMITS: Limits = Limits { file_bytes: Some(16_000_000), rows: Some(1_000_000) };
/// The limits of a streamed sales file: none but the row's.
pub(crate) const STREAM_LIMITS: Limits = Limits { file_bytes: None, rows: None };

/// A CSV file being read row by row. See the module's contract.
pub(crate) struct CsvSource<R> {
    rows: Rows<R>,
    /// The byte between cells of a text file (`,` in a sheet's rows as shown).
    delimiter: u8,
    /// The sheet, when the file is a workbook.
    sheet: Option<SheetPlace>,
    /// The file as named in messages.
    file: String,
    noun: Noun,
    /// Column names as written, without the BOM and surrounding spaces.
    headers: Vec<String>,
    /// The same, case-folded: what [`CsvSource::find`] matches.
    keys: Vec<String>,
    /// The header line as written, and its line.
    header_text: String,
    header_line: usize,
    /// The current row and its 1-based line.
    record: csv::StringRecord,
    line: usize,
    /// The column that names a row in messages (a roster's `name`).
    named_by: Option<usize>,
    errors: Vec<Diagnostic>,
    /// The line of each of `errors`.
    error_lines: Vec<usize>,
    /// Bad rows beyond [`MAX_ROW_ERRORS`], only counted.
    more_errors: u64,
    /// Set when the rest of the file cannot be read.
    stopped: bool,
    /// Why, reported before the rows' problems.
    fatal: Vec<Diagnostic>,
    /// Rows read (not blank), and the most there may be.
    rows_read: u64,
    max_rows: Option<u64>,
}

impl CsvSource<std::fs::File> {
    /// Opens `path` (named `file` in messages). A missing file, a folder or
    /// a file that cannot be read is an [`Error::Io`]; a regular file larger
    /// than the limit is refused before it is read.
    pub(crate) fn open(path: &Path, file: &str, noun: Noun, limits: Limits) -> Result<CsvSource<std::fs::File>> {
        CsvSource::open_as(path, file, noun, limits, &ReadAs::default())
    }

    /// As [`CsvSource::open`], read as `read_as` says.
    pub(crate) fn open_as(
        path: &Path,
        file: &str,
        noun: Noun,
        limits: Limits,
        read_as: &ReadAs,
    ) -> Result<CsvSource<std::fs::File>> {
        let io = |source: std::io::Error| Error::Io { path: path.to_path_buf(), action: "read", source };
        let input = std::fs::File::open(path).map_err(io)?;
        let meta = input.metadata().map_err(io)?;
        if meta.is_dir() {
            return Err(io(std::io::ErrorKind::IsADirectory.into()));
        }
        if let Some(limit) = limits.file_bytes.filter(|l| meta.is_file() && meta.len() > *l) {
            return Err(Error::invalid(too_large(file, noun, meta.len(), limit)));
        }
        CsvSource::new_as(input, file, noun, limits, read_as)
    }
}

/// `file` is larger than `limit` bytes.
fn too_large(file: &str, noun: Noun, size: u64, limit: u64) -> Diagnostic {
    let mb = |b: u64| crate::plan::thousands(rust_decimal::Decimal::from(b.div_ceil(1_000_000)));
    let size = if size == u64::MAX { format!("longer than {} MB", mb(limit)) } else { format!("{} MB", mb(size)) };
    Diagnostic::new(Code::FileTooLarge, format!("{file} is {size}: too large to be {}", noun.a))
        .at(Location::file(file))
        .help(format!(
            "{} {} at most {} MB; check that this is the right file (not a database export or a device)",
            noun.the,
            if noun.has == "have" { "are" } else { "is" },
            mb(limit)
        ))
}

impl<R: Read> CsvSource<R> {
    /// Starts reading `input` (named `file` in messages) and reads its
    /// header: an error when the file is not CSV text or a workbook, or
    /// names a column twice.
    pub(crate) fn new(input: R, file: &str, noun: Noun, limits: Limits) -> Result<CsvSource<R>> {
        CsvSource::new_as(input, file, noun, limits, &ReadAs::default())
    }

    /// As [`CsvSource::new`], read as `read_as` says. A workbook (found
    /// from its first bytes) is read from its sheet; a text file that is
    /// not UTF-8 is decoded (GB18030, UTF-16 with a BOM) and one that is
    /// separated by `;` or tabs is read so, each with a note on stderr.
    pub(crate) fn new_as(
        mut input: R,
        file: &str,
        noun: Noun,
        limits: Limits,
        read_as: &ReadAs,
    ) -> Result<CsvSource<R>> {
        let io = |source: std::io::Error| Error::Io { path: file.into(), action: "read", source };
        let mut head = Vec::with_capacity(SNIFF);
        (&mut input).take(SNIFF as u64).read_to_end(&mut head).map_err(io)?;
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xd0\xcf\x11\xe0") {
            let limit = limits.file_bytes.unwrap_or(u64::MAX);
            let mut bytes = head;
            input
                .take(limit.saturating_sub(bytes.len() as u64).saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(io)?;
            if bytes.len() as u64 > limit {
                return Err(Error::invalid(too_large(file, noun, u64::MAX, limit)));
            }
            let rows = SheetRows::open(bytes, file, noun, read_as.sheet.as_deref())?;
            return CsvSource::from_sheet(rows, file, noun, limits);
        }
        let encoding = read_as.encoding.or_else(|| sniff_encoding(&head, head.len() < SNIFF));
        let text = match encoding {
            Some(e) => e.decode_without_bom_handling(head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head)).0,
            None => String::from_utf8_lossy(&head),
        };
        let delimiter = read_as.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
        let chained = std::io::Cursor::new(head).chain(input);
        let decoded = match encoding.filter(|e| *e != encoding_rs::UTF_8) {
            Some(e) => Decoded::decoding(chained, e),
            None => Decoded::plain(chained),
        };
        let mut reader =
            csv::ReaderBuilder::new().flexible(true).delimiter(delimiter).from_reader(Guard::new(decoded, limits));
        let (headers, at) = match reader.headers() {
            // The BOM sticks to the first name, inside any spaces Excel left around it.
            Ok(h) => (
                h.iter().map(|s| s.trim().trim_start_matches('\u{feff}').trim().to_string()).collect::<Vec<_>>(),
                h.position().map_or(0, csv::Position::byte),
            ),
            Err(e) => return Err(fatal(reader.get_mut(), file, noun, e)),
        };
        // Said once the header is read: not for binary data that only looked like text.
        if read_as.encoding.is_none() {
            if let Some(e) = encoding {
                notice(&format!("{file} read as {} (not UTF-8)", e.name().to_uppercase()));
            }
        }
        if read_as.delimiter.is_none() && delimiter != b',' {
            let by = if delimiter == b';' { "semicolons" } else { "tabs" };
            notice(&format!("{file} is separated by {by}, not commas: read as such"));
        }
        let next = reader.position().byte();
        let guard = reader.get_mut();
        let header_line = line_number(guard.line_of(at));
        let header_text = guard.raw_line(at).trim_start_matches('\u{feff}').to_string();
        guard.row_starts(next);
        let source = CsvSource::with_rows(
            Rows::Text(Box::new(reader)),
            delimiter,
            None,
            file,
            noun,
            limits,
            headers,
            header_text,
            header_line,
        );
        source.check_header()?;
        Ok(source)
    }

    /// Reads a sheet's header.
    fn from_sheet(rows: SheetRows, file: &str, noun: Noun, limits: Limits) -> Result<CsvSource<R>> {
        let mut record = csv::StringRecord::new();
        let header_line = rows.header(&mut record);
        let headers = record.iter().map(|s| s.trim().to_string()).collect();
        let header_text = sheet::csv_line(&record);
        let place = Some(rows.place().clone());
        let source =
            CsvSource::with_rows(Rows::Sheet(rows), b',', place, file, noun, limits, headers, header_text, header_line);
        source.check_header()?;
        Ok(source)
    }

    #[allow(clippy::too_many_arguments)]
    fn with_rows(
        rows: Rows<R>,
        delimiter: u8,
        sheet: Option<SheetPlace>,
        file: &str,
        noun: Noun,
        limits: Limits,
        headers: Vec<String>,
        header_text: String,
        header_line: usize,
    ) -> CsvSource<R> {
        CsvSource {
            rows,
            delimiter,
            sheet,
            file: file.to_string(),
            noun,
            keys: headers.iter().map(|h| h.to_lowercase()).collect(),
            headers,
            header_text,
            header_line,
            record: csv::StringRecord::new(),
            line: 0,
            named_by: None,
            errors: Vec::new(),
            error_lines: Vec::new(),
            more_errors: 0,
            stopped: false,
            fatal: Vec::new(),
            rows_read: 0,
            max_rows: limits.rows,
        }
    }
}

/// One line on stderr about how a file is read: it is for people, and a
/// run that fails later on the file's rows needs it most, so it is said
/// when the file is opened (a failure to write it changes nothing).
fn notice(words: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "note: {}", crate::diagnostic::terminal_text::escaped(words));
}

/// The encoding of a text file that is not UTF-8, from its start `head`
/// (`whole` when that is the whole file): UTF-16 with a BOM, else GB18030
/// when the start is valid GB18030. `None`: UTF-8, or neither (which the
/// csv reader refuses at the first bad line).
pub(crate) fn sniff_encoding(head: &[u8], whole: bool) -> Option<&'static encoding_rs::Encoding> {
    if let Some((e, _)) = encoding_rs::Encoding::for_bom(head) {
        return (e != encoding_rs::UTF_8).then_some(e);
    }
    match std::str::from_utf8(head) {
        Ok(_) => return None,
        // A character cut at the end of the sniffed part.
        Err(e) if e.error_len().is_none() && !whole => return None,
        Err(_) => {}
    }
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = vec![0; decoder.max_utf8_buffer_length_without_replacement(head.len())?];
    let (result, read, _) = decoder.decode_to_utf8_without_replacement(head, &mut out, whole);
    // A character cut at the end is fine, as above.
    let ok = match result {
        encoding_rs::DecoderResult::InputEmpty => true,
        encoding_rs::DecoderResult::Malformed(..) => !whole && head.len() - read <= 4 && read + 4 >= head.len(),
        encoding_rs::DecoderResult::OutputFull => false,
    };
    ok.then_some(encoding_rs::GB18030)
}

/// The delimiter of a text file whose start is `text`: a `;` or a tab when
/// its header (the first line that is not blank) has no comma but one of them.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if header.contains(',') {
        return b',';
    }
    let count = |c: char| header.matches(c).count();
    match (count(';'), count('\t')) {
        (0, 0) => b',',
        (semi, tabs) if semi >= tabs => b';',
        _ => b'\t',
    }
}

impl<R> CsvSource<R> {
    /// The column names, as written (trimmed).
    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The header line as written (for a caret under a column name).
    pub(crate) fn header_text(&self) -> &str {
        &self.header_text
    }

    /// The header as a location: its line, with `underline` (a byte range
    /// of the header line) under it.
    pub(crate) fn header_at(&self, underline: Range<usize>) -> Location {
        self.row_location(self.header_line, &self.header_text, underline)
    }

    /// The byte range of column `i`'s name in the header line.
    pub(crate) fn header_span(&self, i: usize) -> Range<usize> {
        let start = field_offset(&self.header_text, self.headers.iter().map(String::as_str), i, self.delimiter);
        let name = self.headers.get(i).map_or("", String::as_str);
        match self.header_text.get(start..).and_then(|rest| rest.find(name)) {
            Some(p) => start + p..start + p + name.len(),
            None => start..start,
        }
    }

    /// The column named `name`, matched trimmed and without regard to case.
    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        let key = name.trim().to_lowercase();
        self.keys.iter().position(|k| *k == key)
    }

    /// Names rows by the text in column `col` in messages about their shape
    /// (`the row of `Ann` has 7 cells …`).
    pub(crate) fn name_rows_by(&mut self, col: usize) {
        self.named_by = Some(col);
    }

    /// How messages name the file.
    pub(crate) fn noun(&self) -> Noun {
        self.noun
    }

    /// The file as named in messages.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// Whether reading stopped before the end of the file (the file is not
    /// CSV text, or is past a limit): the rows read are not the whole file.
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// The current row.
    pub(crate) fn record(&self) -> &csv::StringRecord {
        &self.record
    }

    /// The current row's 1-based line in the file.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    /// Field `i` of the current row without surrounding spaces (empty if the row is short).
    pub(crate) fn field(&self, i: usize) -> &str {
        trim(self.record.get(i).unwrap_or(""))
    }

    /// The current row with field `i` underlined. The row is shown as its
    /// fields joined by commas (quotes gone), which is where the caret
    /// points; it is only built for messages.
    pub(crate) fn field_at(&self, i: usize) -> Location {
        if self.sheet.is_some() {
            let text = sheet::csv_line(&self.record);
            let before = field_offset(&text, self.record.iter(), i, b',');
            let len = self.record.get(i).map_or(0, str::len);
            return self.row_location(self.line, &text, before..before + len);
        }
        let text = self.record.iter().collect::<Vec<_>>().join(",");
        let before: usize = self.record.iter().take(i).map(|f| f.len() + 1).sum();
        let len = self.record.get(i).map_or(0, str::len);
        Location::csv_line(&self.file, self.line, &text, before..before + len)
    }

    /// Line or sheet row `line`, shown as `text`, with `underline` (a byte
    /// range of `text`) under it: in a sheet, the cell under it is named.
    pub(crate) fn row_location(&self, line: usize, text: &str, underline: Range<usize>) -> Location {
        Location::csv_line(&self.file, line, text, underline).in_sheet(self.sheet.as_ref())
    }

    /// The header's line (its row in a sheet).
    pub(crate) fn header_row(&self) -> usize {
        self.header_line
    }

    /// The sheet, when the file is a workbook.
    pub(crate) fn sheet(&self) -> Option<&SheetPlace> {
        self.sheet.as_ref()
    }

    /// The byte between cells in [`CsvSource::raw_line`].
    pub(crate) fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Records a problem with the current row; past [`MAX_ROW_ERRORS`] it is only counted.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.push_at(self.line, d);
    }

    /// Records a problem with the row on `line`, which may be before rows
    /// whose problems are recorded already: the first [`MAX_ROW_ERRORS`] in
    /// file order are kept, the rest only counted.
    pub(crate) fn push_at(&mut self, line: usize, d: Diagnostic) {
        let at = self.error_lines.partition_point(|l| *l <= line);
        if at < MAX_ROW_ERRORS {
            self.errors.insert(at, d);
            self.error_lines.insert(at, line);
            if self.errors.len() > MAX_ROW_ERRORS {
                self.errors.pop();
                self.error_lines.pop();
                self.more_errors += 1;
            }
        } else {
            self.more_errors += 1;
        }
    }

    /// The problems recorded, in file order, then how many more there were.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut errors = self.fatal;
        errors.extend(self.errors);
        if self.more_errors > 0 {
            errors.push(
                Diagnostic::new(
                    Code::MoreProblems,
                    format!("{} more rows have problems like the ones above", self.more_errors),
                )
                .at(Location::file(&self.file))
                .help("fix the rows above, then run again to see the rest"),
            );
        }
        errors
    }

    /// The header's own problems: another separator than the comma, a
    /// column named twice.
    fn check_header(&self) -> Result<()> {
        let text = &self.header_text;
        // Only when commas were asked for: else the header says the delimiter.
        if self.headers.len() == 1 && self.delimiter == b',' && self.sheet.is_none() {
            let by = [(';', "semicolons", "`;`"), ('\t', "tabs", "tab")].into_iter().find(|(c, ..)| text.contains(*c));
            if let Some((_, what, each)) = by {
                return Err(Error::invalid(
                    Diagnostic::new(
                        Code::WrongDelimiter,
                        format!(
                            "{} {} to be separated by {what}, not commas",
                            self.noun.the,
                            if self.noun.has == "have" { "seem" } else { "seems" }
                        ),
                    )
                    .at(self.header_at(0..text.len()))
                    .help(format!(
                        "the file was read as comma-separated, as `delimiter = \",\"` (or --delimiter ,) says: \
                             leave that out to have the {each} found from the header, or replace each {each} \
                             between the columns by a comma"
                    )),
                ));
            }
        }
        let mut errors = Vec::new();
        for (j, key) in self.keys.iter().enumerate() {
            if key.is_empty() {
                continue;
            }
            if let Some(i) = self.keys[..j].iter().position(|k| k == key) {
                let (a, b) = (&self.headers[i], &self.headers[j]);
                let mut d = Diagnostic::new(
                    Code::DuplicateColumn,
                    format!(
                        "{} header names the column `{key}` twice: column {} and column {}",
                        self.noun.owner,
                        i + 1,
                        j + 1
                    ),
                )
                .at(self.header_at(self.header_span(j)));
                if a != b {
                    d = d.note(format!(
                        "column names are matched without regard to case or spaces, so `{a}` and `{b}` are one name"
                    ));
                }
                errors.push(d.help("rename or remove one of the two columns"));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }
}

impl<R: Read> CsvSource<R> {
    /// The current row's first line as written in the file (quotes and
    /// all); a sheet's row as its cells written as a CSV line.
    pub(crate) fn raw_line(&self) -> String {
        match &self.rows {
            Rows::Text(reader) => {
                let at = self.record.position().map_or(0, csv::Position::byte);
                reader.get_ref().raw_line(at)
            }
            Rows::Sheet(_) => sheet::csv_line(&self.record),
        }
    }

    /// Reads the next record and its line, blank ones too; `None` at the
    /// end of the file or when the rest cannot be read (recorded).
    fn next_record(&mut self) -> Option<usize> {
        let reader = match &mut self.rows {
            Rows::Sheet(rows) => return rows.next_row(&mut self.record),
            Rows::Text(reader) => reader,
        };
        match reader.read_record(&mut self.record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let d = match fatal(reader.get_mut(), &self.file, self.noun, e) {
                    Error::Invalid(ds) => ds,
                    io @ Error::Io { .. } => {
                        let (reason, help) = io.io_advice().unwrap_or_default();
                        vec![Diagnostic::new(Code::CannotRead, format!("cannot read {}: {reason}", self.file))
                            .at(Location::file(&self.file))
                            .help(help)]
                    }
                };
                self.fatal.extend(d);
                self.stopped = true;
                return None;
            }
        }
        let start = self.record.position().map_or(0, csv::Position::byte);
        let next = reader.position().byte();
        let guard = reader.get_mut();
        // Counted for blank rows too, so that the bytes they take are let go.
        let line = line_number(guard.line_of(start));
        guard.row_starts(next);
        Some(line)
    }

    /// Moves to the next row that is not blank and has a cell for every
    /// column; `false` at the end of the file, or when the rest cannot be
    /// read. Rows of the wrong shape are recorded.
    pub(crate) fn next_row(&mut self) -> bool {
        if self.stopped {
            return false;
        }
        loop {
            let Some(line) = self.next_record() else { return false };
            if self.record.iter().all(|f| trim(f).is_empty()) {
                continue;
            }
            self.line = line;
            self.rows_read += 1;
            if let Some(max) = self.max_rows.filter(|max| self.rows_read > *max) {
                let shown = crate::plan::thousands(rust_decimal::Decimal::from(max));
                let d = Diagnostic::new(
                    Code::TooManyRows,
                    format!("{} {} more than {shown} rows", self.noun.the, self.noun.has),
                )
                .at(Location::file(&self.file))
                .help(format!(
                    "{} holds at most {shown} rows; check that this is the right file (not an export or a device)",
                    self.noun.a
                ));
                self.fatal.push(d);
                self.stopped = true;
                return false;
            }
            if self.record.len() != self.headers.len() {
                let d = self.wrong_shape();
                self.push(d);
                continue;
            }
            return true;
        }
    }

    /// The error for a row with more or fewer cells than the header has columns.
    fn wrong_shape(&self) -> Diagnostic {
        let (cells, columns) = (self.record.len(), self.headers.len());
        let raw = self.raw_line();
        let subject = match self.named_by.map(|c| self.field(c)).filter(|n| !n.is_empty()) {
            Some(name) => format!("the row of `{name}`"),
            None => "this row".to_string(),
        };
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let message = format!(
            "{subject} has {} but the header has {}",
            plural(cells, "cell", "cells"),
            plural(columns, "column", "columns")
        );
        let fields = || self.record.iter();
        if cells > columns {
            // A comma in an unquoted amount (1,200,000) splits it into cells
            // past the header: point at the first extra one that holds something.
            let extra = (columns..cells).find(|&i| !self.field(i).is_empty()).unwrap_or(columns);
            let start = field_offset(&raw, fields(), extra, self.delimiter);
            let len = self.record.get(extra).map_or(0, str::len);
            Diagnostic::new(Code::WrongCellCount, message)
                .at(self.row_location(self.line, &raw, start..start + len))
                .help(
                    "a comma inside a value splits it in two: put the value in quotes (\"1,200,000\") or drop the \
                 thousands separator (1200000), or name the extra column in the header",
                )
        } else {
            let mut at = self.row_location(self.line, &raw, raw.len()..raw.len());
            at.column = Some(raw.chars().count() + 1);
            let missing: Vec<&str> = self.headers[cells..].iter().map(String::as_str).collect();
            Diagnostic::new(Code::WrongCellCount, message)
                .at(at)
                .note(format!("missing: {}", crate::diagnostic::name_list(&missing)))
                .help("write a cell for every column of the header, empty ones as nothing between two commas (`a,,c`)")
        }
    }
}

/// Byte offset of field `i` in the raw line, found by walking the fields in
/// order (each after the `delimiter` that ends the one before, so that an
/// empty field is placed after its delimiter).
pub(crate) fn field_offset<'f>(raw: &str, fields: impl Iterator<Item = &'f str>, i: usize, delimiter: u8) -> usize {
    let delimiter = char::from(delimiter);
    let mut cursor = 0;
    for (j, f) in fields.enumerate() {
        if j > 0 {
            cursor = raw.get(cursor..).and_then(|rest| rest.find(delimiter)).map_or(raw.len(), |p| cursor + p + 1);
        }
        let found = raw.get(cursor..).and_then(|rest| rest.find(f)).map_or(cursor, |p| cursor + p);
        if j == i {
            return found;
        }
        cursor = found + f.len();
    }
    cursor
}

/// `text.trim()`, without its work for the usual field that has no space
/// at either end.
#[inline]
pub(crate) fn trim(text: &str) -> &str {
    if ends_may_be_space(text.as_bytes()) {
        text.trim()
    } else {
        text
    }
}

/// Whether the first or the last character of `bytes` may be white space.
#[inline]
fn ends_may_be_space(bytes: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return false };
    // The first byte of the last character.
    let last = bytes.iter().rev().take(4).copied().find(|b| b & 0xc0 != 0x80).unwrap_or(last);
    may_be_space(first) || may_be_space(last)
}

/// [`trim`] of a field's bytes: the bytes as they are when neither end
/// may be white space (the usual field), else trimmed as text; bytes that
/// are not UTF-8 are left as they are (they match no name).
#[inline]
pub(crate) fn trim_bytes(bytes: &[u8]) -> &[u8] {
    if !ends_may_be_space(bytes) {
        return bytes;
    }
    std::str::from_utf8(bytes).map_or(bytes, |text| text.trim().as_bytes())
}

/// Whether a character starting with byte `lead` may be white space: the
/// ASCII ones, or a first byte of U+0085, U+00A0, U+1680, U+2000..U+205F or U+3000.
fn may_be_space(lead: u8) -> bool {
    matches!(lead, b'\t'..=b'\r' | b' ' | 0xc2 | 0xe1 | 0xe2 | 0xe3)
}

#[cfg(test)]
mod tests;
