//! Stage `plan`: a roster CSV (`name,<parent split>,weight`), read into the
//! member sets of a split. Each row names its parent member; rows keep their
//! file order inside each parent.

use std::collections::HashMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::number::{check_group, Number};
use super::{Member, MemberSet, MemberShare};
use crate::diagnostic::{suggest, Diagnostic, Location};
use crate::error::{Error, Result};

/// The member sets a roster gives a split: one for all parents when the split
/// is the first one, else one per parent member, in order of first appearance,
/// with the index of the earlier split whose members are the parents.
pub(super) type RosterSets = (Option<MemberSet>, Vec<(String, MemberSet)>, Option<usize>);

/// Reads `path` (relative to `base`). `earlier` lists the splits before this
/// one (name and member names); the roster's parent column names one of them
/// (the nearest if several are present), so salespeople can belong to a
/// region even when a product split comes in between.
pub(super) fn read(base: &Path, path: &str, earlier: &[(&str, Vec<&str>)]) -> Result<RosterSets> {
    let full = base.join(path);
    let file = full.display().to_string();
    let bytes = std::fs::read(&full).map_err(|source| Error::Io { path: full.clone(), action: "read", source })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::invalid(
            Diagnostic::new("the roster is not UTF-8 text").at(Location::file(&file)).help("save it as CSV UTF-8"),
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text.lines().collect();
    let line_text = |n: u64| lines.get((n as usize).saturating_sub(1)).copied().unwrap_or("");
    // The csv crate starts a row after a CRLF (as Excel writes them) at its
    // `\n`, one line too early, so a row's line is counted from its first byte.
    let line_of = |p: &csv::Position| {
        let bytes = text.as_bytes();
        let mut at = usize::try_from(p.byte()).unwrap_or(usize::MAX).min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        bytes[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
    };
    let mut errors = Vec::new();

    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            return Err(Error::invalid(
                Diagnostic::new(format!("cannot read the roster's header: {e}")).at(Location::file(&file)),
            ))
        }
    };
    let parent_index =
        earlier.iter().rposition(|(n, _)| headers.iter().any(|h| h == n)).or(earlier.len().checked_sub(1));
    let parents: Option<(&str, &[&str])> = parent_index.map(|i| (earlier[i].0, earlier[i].1.as_slice()));
    let expected: Vec<&str> = match parents {
        Some((parent, _)) => vec!["name", parent, "weight"],
        None => vec!["name", "weight"],
    };
    let mut columns = Vec::new();
    for want in &expected {
        match headers.iter().position(|h| h == want) {
            Some(i) => columns.push(i),
            None => {
                let near = suggest(want, headers.iter().map(String::as_str));
                let header = expected.join(",");
                let help = match near {
                    Some(n) => format!("rename column `{n}` to `{want}`; the roster's header is {header}"),
                    None => format!("add a `{want}` column; the roster's header is {header}"),
                };
                let mut d = Diagnostic::new(format!("the roster has no `{want}` column")).at(Location::csv_line(
                    &file,
                    1,
                    line_text(1),
                    0..line_text(1).len(),
                ));
                if let Some((parent, _)) = parents.filter(|(p, _)| p == want) {
                    d = d.note(format!("each row names the member of split `{parent}` that the person belongs to"));
                }
                errors.push(d.help(help));
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let (name_col, weight_col) = (columns[0], *columns.last().expect("weight column"));
    let parent_col = parents.map(|_| columns[1]);

    struct Row {
        name: String,
        parent: String,
        weight: Number,
        location: Location,
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, line_of);
                errors.push(
                    Diagnostic::new(format!("this row is not valid CSV: {e}"))
                        .at(Location::csv_line(&file, line as usize, line_text(line), 0..0))
                        .help("check the quotes on this line"),
                );
                continue;
            }
        };
        let line = record.position().map_or(0, line_of);
        let raw = line_text(line);
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let at = |i: usize| {
            let value = record.get(i).unwrap_or("");
            let start = field_offset(raw, &record, i);
            let mut loc = Location::csv_line(&file, line as usize, raw, start..start + value.len());
            if value.is_empty() {
                // An empty field: point at where it should be.
                loc.column = Some(raw[..start.min(raw.len())].chars().count() + 1);
            }
            loc
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let name = field(name_col);
        if name.is_empty() {
            errors.push(
                Diagnostic::new("a row has no name")
                    .at(at(name_col))
                    .help("write the salesperson's name in the `name` column"),
            );
            continue;
        }
        let parent = parent_col.map(field).unwrap_or_default();
        if let (Some((pname, members)), Some(col)) = (parents, parent_col) {
            if !members.contains(&parent.as_str()) {
                let list = members.join(", ");
                let help = match suggest(&parent, members.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? The members of `{pname}` are: {list}"),
                    None => format!("write one of the members of `{pname}`: {list}"),
                };
                let what = if parent.is_empty() {
                    format!("`{name}` has no {pname}")
                } else {
                    format!("`{name}`'s {pname} `{parent}` is not a member of split `{pname}`")
                };
                errors.push(Diagnostic::new(what).at(at(col)).help(help));
                continue;
            }
        }
        let weight_text = field(weight_col);
        let weight = match Number::from_text(&weight_text) {
            Ok(n) if n.value().is_sign_negative() && !n.value().is_zero() => {
                errors.push(
                    Diagnostic::new(format!("the weight of `{name}` is negative ({weight_text})"))
                        .at(at(weight_col))
                        .help(format!("write a weight of 0 or more (0 gives `{name}` no target)")),
                );
                continue;
            }
            Ok(n) => n,
            Err(why) => {
                let (msg, help) = if weight_text.is_empty() {
                    (
                        format!("`{name}` has an empty weight"),
                        format!("write a weight for `{name}`, such as 1 or 1.2, or 0 to give `{name}` no target"),
                    )
                } else {
                    (
                        format!("the weight of `{name}` is not usable: {why}"),
                        "write a relative weight such as 1 or 1.2, or a percentage such as 30%".to_string(),
                    )
                };
                errors.push(Diagnostic::new(msg).at(at(weight_col)).help(help));
                continue;
            }
        };
        if let Some(first) = seen.insert((parent.clone(), name.clone()), line) {
            let under = parents.map(|(p, _)| format!(" under {p} `{parent}`")).unwrap_or_default();
            errors.push(
                Diagnostic::new(format!("`{name}` appears twice{under}"))
                    .at(at(name_col))
                    .note(format!("it is also on line {first}"))
                    .help("give each person one row, or tell namesakes apart (`张伟 (2)`)"),
            );
            continue;
        }
        rows.push(Row { name, parent, weight, location: at(name_col) });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::new("the roster has no rows")
                .at(Location::file(&file))
                .help(format!("add one row per member under the header {}", expected.join(","))),
        );
    }

    // Group by parent, keeping the order in which parents first appear.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Row>> = HashMap::new();
    for row in rows {
        if !groups.contains_key(&row.parent) {
            order.push(row.parent.clone());
        }
        groups.entry(row.parent.clone()).or_default().push(row);
    }
    let mut sets = Vec::new();
    for parent in order {
        let group = groups.remove(&parent).unwrap_or_default();
        let under = parents.map(|(p, _)| format!(" under {p} `{parent}`")).unwrap_or_default();
        let numbers: Vec<Number> = group.iter().map(|r| r.weight).collect();
        if let Err(problem) = check_group(&numbers) {
            let mut d = Diagnostic::new(problem.message(&format!("the roster's weights{under}")))
                .at(group[0].location.clone())
                .help(problem.help());
            if let Some(note) = problem.note() {
                d = d.note(note);
            }
            errors.push(d);
            continue;
        }
        if numbers.iter().all(|n| n.value().is_zero()) {
            errors.push(
                Diagnostic::new(format!("every weight{under} is zero, so there is nobody to share the amount"))
                    .at(group[0].location.clone())
                    .help("give at least one person a positive weight"),
            );
            continue;
        }
        let origin = group[0].location.clone();
        let members = group
            .into_iter()
            .map(|r| Member {
                name: r.name,
                share: MemberShare::Weight(r.weight.value().max(Decimal::ZERO)),
                origin: r.location,
            })
            .collect();
        sets.push((parent, MemberSet { members, origin }));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if parents.is_none() {
        Ok((sets.pop().map(|(_, s)| s), Vec::new(), None))
    } else {
        Ok((None, sets, parent_index))
    }
}

/// Byte offset of field `i` in the raw line, found by walking the fields in
/// order (each after the comma that ends the one before, so that an empty
/// field is placed after its comma).
pub(super) fn field_offset(raw: &str, record: &csv::StringRecord, i: usize) -> usize {
    let mut cursor = 0;
    for (j, f) in record.iter().enumerate() {
        if j > 0 {
            cursor = raw.get(cursor..).and_then(|rest| rest.find(',')).map_or(raw.len(), |p| cursor + p + 1);
        }
        let found = raw.get(cursor..).and_then(|rest| rest.find(f)).map(|p| cursor + p).unwrap_or(cursor);
        if j == i {
            return found;
        }
        cursor = found + f.len();
    }
    cursor
}
