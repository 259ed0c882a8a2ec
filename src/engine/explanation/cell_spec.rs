//! Stage `engine`: the text of `explain --cell`, read into the members and
//! the period it names.
//!
//! Grammar. `--cell` may be given several times; each text is a list of
//! items separated by commas, and the items of all of them count together.
//! An item is `name=value` (a split's name, or `period`) or a bare value (a
//! member of some split, or a period label). A value — or a whole bare item
//! — may be written in double quotes, CSV style, to hold a comma or an
//! equals sign: `salesperson="Smith, John"`, `"Smith, John"`; `""` inside
//! quotes is one quote. Spaces around items, names and values are ignored.
//! One more convenience: a whole `--cell` text that is exactly a member's
//! name (`--cell 'Smith, John'`), or `name=` and then exactly a member of
//! that split (`--cell 'salesperson=Smith, John'`), is read as that member
//! even unquoted.

use crate::diagnostic::{name_list, suggest, Code, Diagnostic};
use crate::error::{Error, Result};

/// One item of a `--cell` text: the name it is given, if any, and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Item {
    /// `region` in `region=华东`; `None` for a bare `华东`.
    pub key: Option<String>,
    /// The value, unquoted.
    pub value: String,
}

/// Reads one `--cell` text into its items (syntax only: names are not checked).
pub(super) fn items(text: &str) -> Result<Vec<Item>> {
    let mut out = Vec::new();
    for raw in split_outside_quotes(text)? {
        if raw.trim().is_empty() {
            continue;
        }
        let (key, value) = match find_outside_quotes(&raw, '=') {
            Some(at) => (Some(unquote(&raw[..at], text)?), unquote(&raw[at + 1..], text)?),
            None => (None, unquote(&raw, text)?),
        };
        if key.as_deref() == Some("") {
            return Err(Error::invalid(
                Diagnostic::new(Code::BadCell, format!("--cell `{}` names no split before its `=`", raw.trim()))
                    .help("write the split's name before the `=`, e.g. --cell region=华东, or the member alone"),
            ));
        }
        out.push(Item { key, value });
    }
    Ok(out)
}

/// The text split at the commas that are outside double quotes.
fn split_outside_quotes(text: &str) -> Result<Vec<String>> {
    let mut parts = vec![String::new()];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                parts.last_mut().expect("one part").push(c);
            }
            ',' if !quoted => parts.push(String::new()),
            _ => parts.last_mut().expect("one part").push(c),
        }
    }
    if quoted {
        return Err(Error::invalid(
            Diagnostic::new(Code::BadCell, format!("--cell `{text}` opens a double quote that it does not close"))
                .help(
                "close the quoted value, e.g. --cell 'salesperson=\"Smith, John\"' (a quote inside it is written \"\")",
            ),
        ));
    }
    Ok(parts)
}

/// The byte offset of the first `c` outside double quotes in `text`.
fn find_outside_quotes(text: &str, c: char) -> Option<usize> {
    let mut quoted = false;
    for (i, ch) in text.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            _ if ch == c && !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// A name or value, trimmed; if it is quoted, the text between the quotes
/// with `""` read as `"`. Text outside the quotes is an error.
fn unquote(part: &str, whole: &str) -> Result<String> {
    let part = part.trim();
    let Some(inner) = part.strip_prefix('"') else {
        if part.contains('"') {
            return Err(misquoted(part, whole));
        }
        return Ok(part.to_string());
    };
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '"' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            out.push('"');
            continue;
        }
        // The closing quote: nothing may follow it.
        if chars.next().is_some() {
            return Err(misquoted(part, whole));
        }
        return Ok(out);
    }
    Err(misquoted(part, whole))
}

fn misquoted(part: &str, whole: &str) -> Error {
    Error::invalid(
        Diagnostic::new(Code::BadCell, format!("--cell `{whole}` has a quote inside `{part}`, not around it"))
            .help("quote a whole value, e.g. --cell 'salesperson=\"Smith, John\"' (a quote inside it is written \"\")"),
    )
}

/// What the cell names: per split, the member (if named), and the period label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct CellSpec {
    /// One entry per split of the plan, in cascade order.
    pub members: Vec<Option<String>>,
    /// The period label, if one is named.
    pub period: Option<String>,
}

/// Resolves the `--cell` texts against the plan's `splits` (each its name
/// and member names, in cascade order); `is_period` says whether a text is
/// a period label of the plan.
pub(super) fn resolve(
    texts: &[String],
    splits: &[(&str, Vec<&str>)],
    is_period: impl Fn(&str) -> bool,
) -> Result<CellSpec> {
    let mut spec = CellSpec { members: vec![None; splits.len()], period: None };
    let names: Vec<&str> = splits.iter().map(|(n, _)| *n).chain(["period"]).collect();
    for text in texts {
        for item in whole_member(text, splits).map_or_else(|| items(text), |i| Ok(vec![i]))? {
            let (index, value) = match &item.key {
                Some(key) => (named(key, &names)?, item.value),
                None => (bare(&item.value, splits, &is_period)?, item.value),
            };
            if index == splits.len() {
                if let Some(before) = spec.period.replace(value.clone()).filter(|b| *b != value) {
                    return Err(twice("period", &before, &value));
                }
                continue;
            }
            let (split, members) = &splits[index];
            if !members.contains(&value.as_str()) {
                return Err(unknown_member(split, &value, members));
            }
            if let Some(before) = spec.members[index].replace(value.clone()).filter(|b| *b != value) {
                return Err(twice(split, &before, &value));
            }
        }
    }
    Ok(spec)
}

/// A whole `--cell` text that is exactly a member's name, or `split=` and
/// exactly a member of that split, with a comma in it (without one the
/// grammar reads it the same way).
fn whole_member(text: &str, splits: &[(&str, Vec<&str>)]) -> Option<Item> {
    let text = text.trim();
    if !text.contains(',') || text.contains('"') {
        return None;
    }
    if let Some((key, value)) = text.split_once('=') {
        let (key, value) = (key.trim(), value.trim());
        let known = splits.iter().find(|(n, _)| *n == key).is_some_and(|(_, m)| m.contains(&value));
        return known.then(|| Item { key: Some(key.to_string()), value: value.to_string() });
    }
    let owners = splits.iter().filter(|(_, m)| m.contains(&text)).count();
    (owners == 1).then(|| Item { key: None, value: text.to_string() })
}

/// The index of the split (or `period`, last) that `key` names.
fn named(key: &str, names: &[&str]) -> Result<usize> {
    names.iter().position(|n| *n == key).ok_or_else(|| {
        let help = match suggest(key, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? The names are: {}", names.join(", ")),
            None => format!("the names are: {}", names.join(", ")),
        };
        Error::invalid(
            Diagnostic::new(Code::UnknownCell, format!("--cell names `{key}`, which is not a split of this plan"))
                .help(help),
        )
    })
}

/// The index of the split whose member `value` is (or `splits.len()` for a
/// period label): exactly one, or an error naming the candidates.
fn bare(value: &str, splits: &[(&str, Vec<&str>)], is_period: impl Fn(&str) -> bool) -> Result<usize> {
    let mut owners: Vec<usize> = (0..splits.len()).filter(|&i| splits[i].1.contains(&value)).collect();
    if is_period(value) {
        owners.push(splits.len());
    }
    match owners[..] {
        [one] => Ok(one),
        [] => Err(not_a_member(value, splits)),
        _ => {
            let name = |i: usize| splits.get(i).map_or("period", |(n, _)| *n);
            let which: Vec<String> = owners.iter().map(|&i| format!("{}={value}", name(i))).collect();
            let of: Vec<&str> = owners.iter().map(|&i| name(i)).collect();
            Err(Error::invalid(
                Diagnostic::new(Code::AmbiguousCell, format!("--cell `{value}` could be {}", either(&of, "the ")))
                    .help(format!("say which: {}", or_list(&which))),
            ))
        }
    }
}

/// `a`, `a and b`, `a, b and c`, each with `prefix`.
fn either(names: &[&str], prefix: &str) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("{prefix}{n}")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(names: &[String]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The members `value` could mean, split by split: those that contain it or
/// that it contains (case-insensitive), else the one [`suggest`] finds.
fn could_mean<'s>(value: &str, splits: &'s [(&str, Vec<&str>)]) -> Vec<(&'s str, Vec<&'s str>)> {
    let lower = value.trim().to_lowercase();
    let mut found: Vec<(&str, Vec<&str>)> = Vec::new();
    if !lower.is_empty() {
        for (split, members) in splits {
            let near: Vec<&str> = members
                .iter()
                .copied()
                .filter(|m| {
                    let m = m.to_lowercase();
                    m.contains(&lower) || (m.chars().count() >= 2 && lower.contains(&m))
                })
                .collect();
            if !near.is_empty() {
                found.push((split, near));
            }
        }
    }
    if found.is_empty() {
        for (split, members) in splits {
            if let Some(s) = suggest(value, members.iter().copied()) {
                found.push((split, vec![s]));
            }
        }
    }
    found
}

/// `did you mean `华东` (region)?` or the members, split by split.
fn member_help(value: &str, splits: &[(&str, Vec<&str>)]) -> String {
    let near = could_mean(value, splits);
    let named: Vec<String> = near.iter().flat_map(|(s, ms)| ms.iter().map(move |m| format!("`{s}={m}`"))).collect();
    match named.len() {
        0 => {
            let lists: Vec<String> = splits.iter().map(|(s, ms)| format!("{s}: {}", name_list(ms))).collect();
            format!("the members are {}", lists.join("; "))
        }
        1 => format!("did you mean {}?", named[0]),
        _ => format!("it could mean {}", or_list(&named)),
    }
}

fn not_a_member(value: &str, splits: &[(&str, Vec<&str>)]) -> Error {
    Error::invalid(
        Diagnostic::new(
            Code::UnknownCell,
            format!("--cell `{value}` is not a member of any split, nor a period of this plan"),
        )
        .help(member_help(value, splits)),
    )
}

fn unknown_member(split: &str, value: &str, members: &[&str]) -> Error {
    let one = [(split, members.to_vec())];
    Error::invalid(
        Diagnostic::new(Code::UnknownCell, format!("--cell {split}={value}: `{value}` is not a member of {split}"))
            .help(member_help(value, &one)),
    )
}

fn twice(name: &str, before: &str, now: &str) -> Error {
    Error::invalid(
        Diagnostic::new(Code::BadCell, format!("--cell names {name} twice: `{before}` and `{now}`"))
            .help("a cell has one member of each split and one period: name each once"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: Option<&str>, value: &str) -> Item {
        Item { key: key.map(str::to_string), value: value.to_string() }
    }

    // By value: it is a `map_err`.
    #[allow(clippy::needless_pass_by_value)]
    fn message(e: Error) -> String {
        e.to_string()
    }

    const SPLITS: fn() -> Vec<(&'static str, Vec<&'static str>)> = || {
        vec![
            ("region", vec!["华东", "华北", "North"]),
            ("product", vec!["A", "B", "North"]),
            ("rep", vec!["Smith, John", "Li \"Big\" Wei", "2026-03"]),
        ]
    };

    fn resolve_one(text: &str) -> Result<CellSpec> {
        resolve(&[text.to_string()], &SPLITS(), |p| p.starts_with("2026"))
    }

    #[test]
    fn items_are_split_at_commas_outside_quotes() {
        assert_eq!(
            items(r#"region=华东, rep="Smith, John" ,period=2026-03"#).unwrap(),
            [item(Some("region"), "华东"), item(Some("rep"), "Smith, John"), item(Some("period"), "2026-03")]
        );
        assert_eq!(items(r#""Smith, John""#).unwrap(), [item(None, "Smith, John")]);
        assert_eq!(items(r#"rep="Li ""Big"" Wei""#).unwrap(), [item(Some("rep"), "Li \"Big\" Wei")]);
        assert_eq!(items(r#"rep="a=b""#).unwrap(), [item(Some("rep"), "a=b")]);
        assert_eq!(items(" , 华东,,").unwrap(), [item(None, "华东")]);
    }

    #[test]
    fn bad_quotes_and_empty_names_are_errors() {
        let e = message(items(r#"rep="Smith, John"#).unwrap_err());
        assert!(e.contains("opens a double quote that it does not close"), "{e}");
        assert!(
            message(items(r#"rep="Smith"x"#).unwrap_err()).contains("has a quote inside `\"Smith\"x`, not around it")
        );
        assert!(message(items(r#"rep=Sm"it"h"#).unwrap_err()).contains("not around it"));
        assert!(message(items("=华东").unwrap_err()).contains("names no split before its `=`"));
    }

    #[test]
    fn bare_members_find_their_split() {
        let spec = resolve_one("华东,A").unwrap();
        assert_eq!(spec.members, [Some("华东".into()), Some("A".into()), None]);
        let spec = resolve_one("2026-Q1").unwrap();
        assert_eq!(spec.period.as_deref(), Some("2026-Q1"));
    }

    #[test]
    fn a_whole_text_that_is_a_member_needs_no_quotes() {
        assert_eq!(resolve_one("Smith, John").unwrap().members[2].as_deref(), Some("Smith, John"));
        assert_eq!(resolve_one("rep=Smith, John").unwrap().members[2].as_deref(), Some("Smith, John"));
        assert_eq!(resolve_one(r#"rep="Smith, John",A"#).unwrap().members[1].as_deref(), Some("A"));
        let several = resolve(&["region=华东".into(), "rep=Smith, John".into()], &SPLITS(), |_| false).unwrap();
        assert_eq!(several.members, [Some("华东".into()), None, Some("Smith, John".into())]);
    }

    #[test]
    fn an_ambiguous_bare_member_lists_the_candidates() {
        let e = message(resolve_one("North").unwrap_err());
        assert!(e.contains("--cell `North` could be the region or the product"), "{e}");
        assert!(e.contains("help: say which: region=North or product=North"), "{e}");
        let e = message(resolve_one("2026-03").unwrap_err());
        assert!(e.contains("could be the rep or the period"), "{e}");
    }

    #[test]
    fn an_unknown_member_lists_what_it_could_mean() {
        let e = message(resolve_one("华").unwrap_err());
        assert!(e.contains("--cell `华` is not a member of any split, nor a period of this plan"), "{e}");
        assert!(e.contains("help: it could mean `region=华东` or `region=华北`"), "{e}");
        let e = message(resolve_one("a").unwrap_err());
        assert!(e.contains("help: did you mean `product=A`?"), "{e}");
        let e = message(resolve_one("region=西南").unwrap_err());
        assert!(e.contains("--cell region=西南: `西南` is not a member of region"), "{e}");
        assert!(e.contains("help: the members are region: 华东, 华北, North"), "{e}");
        let e = message(resolve_one("zzz").unwrap_err());
        assert!(e.contains("the members are region: 华东, 华北, North; product: A, B, North; rep: "), "{e}");
    }

    #[test]
    fn a_split_named_twice_is_an_error() {
        let e = message(resolve_one("region=华东,华北").unwrap_err());
        assert!(e.contains("--cell names region twice: `华东` and `华北`"), "{e}");
        assert!(resolve_one("region=华东,华东").is_ok());
        let e = message(resolve_one("regoin=华东").unwrap_err());
        assert!(e.contains("did you mean `region`?"), "{e}");
    }
}
