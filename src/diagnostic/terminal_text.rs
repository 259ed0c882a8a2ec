//! Cross-stage: text from input files as it is shown to a person — in a
//! message on stderr or a terminal table. Member names, lines of a roster and
//! the like are data: they may hold control characters or escape sequences
//! (`ESC [2J` clears a screen, `\r` rewrites a line, U+202E turns the text
//! after it around) and they may be a megabyte long. Shown raw, such text
//! rewrites the terminal or buries the message.
//!
//! Contract: everything returned here is free of control characters, bidi
//! controls and invisible separators (each is written as an escape, `\u{1b}`,
//! `\r`, `\t`), and a long quoted text keeps its first [`HEAD`] and last
//! [`TAIL`] characters around a marker that says how many were left out.
//! CSV, JSON and xlsx never come through here: they keep the exact bytes.

use std::borrow::Cow;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

/// A quoted text or a run without spaces longer than this is shortened.
pub const LONG: usize = 120;
/// Characters kept before the marker of a shortened text.
pub const HEAD: usize = 60;
/// Characters kept after the marker of a shortened text.
pub const TAIL: usize = 10;
/// A whole message, note or help longer than this (after shortening what it
/// quotes) keeps only its start and end.
pub const WHOLE: usize = 1_000;
/// A line of a file shown under a message is cut around its caret when it is
/// longer than this, keeping [`CONTEXT`] characters on each side.
const LINE: usize = 300;
/// Characters of a long line kept on each side of what the caret points at.
const CONTEXT: usize = 60;

/// Whether `c` must not reach a terminal as it is: C0 and C1 control
/// characters and DEL, the bidi controls (which reorder the text around
/// them), the line and paragraph separators, and invisible characters that
/// make two names look the same (zero-width space, byte-order mark).
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
    }
}

/// `text` with every character that is unsafe on a terminal written as an
/// escape (`\u{1b}`, `\r`, `\t`, `\u{202e}`). Borrowed when nothing changes.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// As [`escaped`], but line breaks stay line breaks: for a text made of
/// lines, such as an explanation, whose lines may quote names.
pub fn escaped_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && unsafe_char(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escaped).collect();
    Cow::Owned(lines.join("\n"))
}

/// Digits in groups of three: `999,930`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The marker standing for `n` characters left out: `…[999,930 characters left out]…`.
fn marker(n: usize) -> String {
    let noun = if n == 1 { "character" } else { "characters" };
    format!("…[{} {noun} left out]…", grouped(n))
}

/// `text` with only its first `head` and last `tail` characters around a
/// [`marker`], when it has more than `head + tail` of them (and the marker
/// actually saves room); else as it is.
fn cut(text: &str, head: usize, tail: usize) -> Cow<'_, str> {
    let count = text.chars().count();
    let left_out = count.saturating_sub(head + tail);
    let mark = marker(left_out);
    if left_out == 0 || left_out <= mark.chars().count() {
        return Cow::Borrowed(text);
    }
    let start = text.char_indices().nth(head).map_or(text.len(), |(i, _)| i);
    let end = text.char_indices().nth(count - tail).map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("{}{mark}{}", &text[..start], &text[end..]))
}

/// `text` with each long part shortened: a text in backticks or double
/// quotes, or a run without whitespace, of more than [`LONG`] characters
/// keeps its first [`HEAD`] and last [`TAIL`]; then a whole text still over
/// [`WHOLE`] characters keeps its start and its end. A quoted megabyte name
/// becomes a line a person can read.
pub fn shortened(text: &str) -> Cow<'_, str> {
    if text.chars().count() <= LONG {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(LONG * 2);
    let mut rest = text;
    while !rest.is_empty() {
        let first = rest.chars().next().unwrap_or(' ');
        let quote = first == '`' || first == '"';
        // The next part: a quoted text (with its quotes), whitespace, or a word.
        let len = match rest[first.len_utf8()..].find(first).filter(|_| quote) {
            Some(close) => close + 2,
            None if quote => 1,
            None if first.is_whitespace() => rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len()),
            None => rest.find(|c: char| c.is_whitespace() || c == '`' || c == '"').unwrap_or(rest.len()),
        };
        let (part, after) = rest.split_at(len);
        if quote && part.len() >= 2 {
            let inner = &part[1..part.len() - 1];
            out.push(first);
            out.push_str(&if inner.chars().count() > LONG { cut(inner, HEAD, TAIL) } else { Cow::Borrowed(inner) });
            out.push(first);
        } else if !first.is_whitespace() && part.chars().count() > LONG {
            out.push_str(&cut(part, HEAD, TAIL));
        } else {
            out.push_str(part);
        }
        rest = after;
    }
    let whole = cut(&out, WHOLE - 100, 50).into_owned();
    Cow::Owned(whole)
}

/// Text for a terminal: [`escaped`], then [`shortened`].
pub fn shown(text: &str) -> Cow<'_, str> {
    match escaped(text) {
        Cow::Borrowed(t) => shortened(t),
        Cow::Owned(t) => Cow::Owned(shortened(&t).into_owned()),
    }
}

/// One line of an input file as shown under a message, with where its
/// caret goes. The line is escaped; a long one is cut around the text the
/// caret points at, and that text itself shortened when it is long, so the
/// caret still stands under exactly what it pointed at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownLine {
    /// The line as shown: escaped, and cut when long.
    pub text: String,
    /// Columns on screen before the caret (wide characters count two).
    pub caret_at: usize,
    /// Columns on screen the caret covers (at least one).
    pub caret_width: usize,
}

impl ShownLine {
    /// `line` with the byte range `underline` to point at. A range out of
    /// bounds or off character boundaries is clamped, never a panic.
    pub fn new(line: &str, underline: Range<usize>) -> ShownLine {
        let end = floor_boundary(line, underline.end.min(line.len()));
        let start = floor_boundary(line, underline.start.min(end));
        let (before, under, after) = (&line[..start], &line[start..end], &line[end..]);
        let (mut before, mut under, mut after) = (escaped(before), escaped(under), escaped(after));
        let chars = |s: &str| s.chars().count();
        if chars(&before) + chars(&under) + chars(&after) > LINE {
            before = Cow::Owned(cut(&before, 0, CONTEXT).into_owned());
            if chars(&under) > LONG {
                under = Cow::Owned(cut(&under, HEAD, TAIL).into_owned());
            }
            after = Cow::Owned(cut(&after, CONTEXT, 0).into_owned());
        }
        ShownLine {
            text: format!("{before}{under}{after}"),
            caret_at: before.width(),
            caret_width: under.width().max(1),
        }
    }
}

/// `text` (a rendered message) with each `= note:` and `= help:` line
/// folded at spaces to lines of at most `width` columns (in display width:
/// a CJK character takes two), the lines after the first indented under the
/// words after the label; so is the headline (`error[E0404]: ...`). A
/// terminal breaks a long line wherever the width ends, mid-word; folded, a
/// message stays readable at 80 columns. Other lines (`-->`, a file's line
/// and its caret, the count of problems) are left as they are,
/// and so is a word longer than the room: cutting it would change what it says.
pub fn folded(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        match hanging_indent(body).filter(|_| body.width() > width) {
            Some(indent) => {
                fold_into(&mut out, body, indent, width);
                out.push_str(end);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Where the words of a line that may be folded start: after `= note: ` or
/// `= help: ` (after the gutter's spaces), or after the `error[E0404]: ` or
/// `warning[W0114]: ` of a headline; `None` for any other line.
fn hanging_indent(line: &str) -> Option<usize> {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[spaces..];
    if rest.starts_with("= note: ") || rest.starts_with("= help: ") {
        return Some(spaces + "= note: ".len());
    }
    let kind = ["error[", "warning["].into_iter().find(|k| line.starts_with(k))?;
    let code = line[kind.len()..].find("]: ")?;
    line[kind.len()..kind.len() + code].bytes().all(|b| b.is_ascii_alphanumeric()).then_some(kind.len() + code + 3)
}

/// Writes `line` folded at spaces after its first `indent` columns, each
/// further line starting with `indent` spaces. Only a break takes the spaces
/// it stands for: a run of spaces elsewhere (an aligned sum) stays as it is.
fn fold_into(out: &mut String, line: &str, indent: usize, width: usize) {
    let (head, words) = line.split_at(indent);
    out.push_str(head);
    let (mut used, mut spaces, mut at_start) = (indent, 0, true);
    for (i, word) in words.split(' ').enumerate() {
        // Spaces before the first word of a line would only push it past the width.
        spaces += usize::from(i > 0 && !at_start);
        if word.is_empty() {
            continue;
        }
        let w = word.width();
        if !at_start && used + spaces + w > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            (used, spaces) = (indent, 0);
        }
        out.push_str(&" ".repeat(spaces));
        out.push_str(word);
        (used, spaces, at_start) = (used + spaces + w, 0, false);
    }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        /// Folding only moves breaks: the same words in the same order, every
        /// line within the width unless one word alone is wider, the other
        /// lines untouched, and nothing changed when the text fits.
        #[test]
        fn folding_keeps_every_word_and_the_width(
            words in proptest::collection::vec("[a-z0-9,.%`]{1,12}|华东|西北区|[ ]{1,3}", 1..40),
            label in prop_oneof![Just("  = help: "), Just("   = note: "), Just("error[E0301]: "), Just("warning[W0114]: ")],
            width in 20usize..140,
        ) {
            let body: String = words.join(" ");
            let text = format!("{label}{body}\n  --> plan.toml:{}\n9 | {body}\n", words.len());
            let out = folded(&text, width);
            let split = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            prop_assert_eq!(split(&out), split(&text));
            let longest = body.split(' ').map(UnicodeWidthStr::width).max().unwrap_or(0);
            let lines: Vec<&str> = out.lines().collect();
            let (folded_part, rest) = lines.split_at(lines.len() - 2);
            for line in folded_part {
                prop_assert!(line.width() <= width.max(label.len() + longest), "{line:?} at {width}");
            }
            // The place and the file's line are never folded.
            let (place, quoted) = (format!("  --> plan.toml:{}", words.len()), format!("9 | {body}"));
            prop_assert_eq!(rest, &[place.as_str(), quoted.as_str()][..]);
            prop_assert_eq!(folded(&text, 10_000), text);
        }
    }

    #[test]
    fn notes_and_helps_fold_at_spaces_under_their_words() {
        let text = "error[E0404]: a headline that is long and folds under its words\n  --> plan.toml\n  = help: weigh some months or weekdays of the period, or plan a period that has working days in it\n";
        let folded = folded(text, 40);
        assert_eq!(
            folded,
            "error[E0404]: a headline that is long\n              and folds under its words\n  --> plan.toml\n  = help: weigh some months or weekdays\n          of the period, or plan a\n          period that has working days\n          in it\n"
        );
        assert!(folded.lines().all(|l| l.width() <= 40), "{folded}");
        // Short enough: unchanged; the words are the same either way.
        assert_eq!(super::folded(text, 200), text);
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&folded), words(text));
    }

    #[test]
    fn wide_characters_take_two_columns_and_long_words_stay_whole() {
        let text = "  = note: 华东 华北 华南 华中 西南 西北\n = help: see https://example.com/a/very/long/address/that/cannot/be/cut\n";
        assert_eq!(
            folded(text, 20),
            "  = note: 华东 华北\n          华南 华中\n          西南 西北\n = help: see\n         https://example.com/a/very/long/address/that/cannot/be/cut\n"
        );
        // A file's line quoted under a message is never folded.
        let quoted = "3 | year = \"= help: not a label here, it is in the file and it is long\"\n";
        assert_eq!(folded(quoted, 20), quoted);
        let quoted = "7 | error[E0101]: a line of a file that looks like a headline\n";
        assert_eq!(folded(quoted, 20), quoted);
        // Spaces that align something are kept; only a break takes its space.
        let aligned = "  = note: 1,000.00 + 2,000.00  =  3,000.00 for North and South together\n";
        assert_eq!(
            folded(aligned, 44),
            "  = note: 1,000.00 + 2,000.00  =  3,000.00\n          for North and South together\n"
        );
        let warning = "warning[W0114]: twenty-one columns wide\n";
        assert_eq!(folded(warning, 30), "warning[W0114]: twenty-one\n                columns wide\n");
    }

    #[test]
    fn escapes_control_characters_and_bidi_controls() {
        assert_eq!(escaped("王芳"), "王芳");
        assert!(matches!(escaped("plain"), Cow::Borrowed(_)));
        assert_eq!(escaped("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escaped("x\ry\tz\n"), "x\\ry\\tz\\n");
        assert_eq!(escaped("bell\u{7}"), "bell\\u{7}");
        assert_eq!(escaped("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(escaped("c1\u{9b}31m"), "c1\\u{9b}31m");
        assert_eq!(escaped("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(escaped_lines("one \u{1b}\ntwo\r\n"), "one \\u{1b}\ntwo\\r\n");
    }

    #[test]
    fn shortens_a_long_quoted_name_and_says_how_much_is_left_out() {
        let name = format!("{}{}", "A".repeat(1_000_000), "0123456789");
        let message = format!("unknown region `{name}` in reps.csv");
        let shown = shortened(&message);
        let expected =
            format!("unknown region `{}…[999,940 characters left out]…0123456789` in reps.csv", "A".repeat(60));
        assert_eq!(shown, expected);
        // Short texts, and words up to the limit, are left alone.
        assert_eq!(shortened("unknown region `东北`"), "unknown region `东北`");
        let word = "x".repeat(LONG);
        assert_eq!(shortened(&format!("a {word} b")), format!("a {word} b"));
        // A long word without quotes, and text in double quotes with spaces.
        let long = format!("see {} end", "y".repeat(500));
        assert_eq!(
            shortened(&long),
            format!("see {}…[430 characters left out]…{} end", "y".repeat(60), "y".repeat(10))
        );
        let spaced = format!("name \"{}\"", "ab ".repeat(100));
        assert!(shortened(&spaced).starts_with(&format!("name \"{}…[", "ab ".repeat(20))), "{}", shortened(&spaced));
    }

    #[test]
    fn a_long_text_of_short_words_keeps_its_start_and_end() {
        let text = "word ".repeat(1000);
        let shown = shortened(&text);
        assert!(shown.chars().count() < WHOLE, "{shown}");
        assert!(shown.contains("…[4,050 characters left out]…"), "{shown}");
    }

    #[test]
    fn caret_stays_under_what_it_points_at_after_escaping() {
        // `\u{1b}` shows as six characters: the caret moves right with it.
        let line = "a\u{1b}b,华东,abc";
        let at = line.find("abc").unwrap();
        let shown = ShownLine::new(line, at..at + 3);
        assert_eq!(shown.text, "a\\u{1b}b,华东,abc");
        assert_eq!((shown.caret_at, shown.caret_width), ("a\\u{1b}b,华东,".width(), 3));
        assert_eq!(&shown.text[shown.text.len() - 3..], "abc");
        // An escape inside the underlined text widens the caret.
        let shown = ShownLine::new("x,\r,y", 2..3);
        assert_eq!((shown.text.as_str(), shown.caret_at, shown.caret_width), ("x,\\r,y", 2, 2));
    }

    #[test]
    fn a_megabyte_line_is_cut_around_its_caret() {
        let name = "N".repeat(1_000_000);
        let line = format!("{name},华东,abc,{}", "t".repeat(500));
        let at = line.find("abc").unwrap();
        let shown = ShownLine::new(&line, at..at + 3);
        let before = format!("…[999,944 characters left out]…{},华东,", "N".repeat(56));
        assert!(shown.text.starts_with(&before), "{}", &shown.text[..200]);
        assert_eq!(shown.caret_at, before.width());
        assert_eq!(shown.caret_width, 3);
        let pointed: String = shown.text[before.len()..].chars().take(3).collect();
        assert_eq!(pointed, "abc");
        assert!(shown.text.ends_with(&format!("{}…[441 characters left out]…", "t".repeat(59))), "{}", shown.text);
        // A megabyte field under the caret is itself shortened, caret and all.
        let line = format!("王芳,{name},1");
        let at = line.find('N').unwrap();
        let shown = ShownLine::new(&line, at..at + name.len());
        assert_eq!(shown.text, format!("王芳,{}…[999,930 characters left out]…{},1", "N".repeat(60), "N".repeat(10)));
        assert_eq!(shown.caret_at, "王芳,".width());
        assert_eq!(shown.caret_width, 60 + "…[999,930 characters left out]…".width() + 10);
    }

    #[test]
    fn out_of_range_underlines_are_clamped() {
        let shown = ShownLine::new("王芳", 1..99);
        assert_eq!((shown.text.as_str(), shown.caret_at, shown.caret_width), ("王芳", 0, 4));
        let shown = ShownLine::new("", 5..5);
        assert_eq!((shown.caret_at, shown.caret_width), (0, 1));
    }
}
