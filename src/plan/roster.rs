//! Stage `plan`: a roster CSV (`name,<parent split>,weight`), read into the
//! member sets of a split. Each row names its parent member; rows keep their
//! file order inside each parent. Optional columns say more about a person
//! ([`Person`]): `start` and `end` (dates in seat), `ramp` (`25%|50%|75%`),
//! and `max` and `min` (an amount, or a percentage of the parent's target).
//! Other columns are ignored.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::csv_source::{field_offset, CsvSource, Noun, ReadAs, ROSTER_LIMITS};
use super::number::{check_group, Number};
use super::{Bound, Member, MemberSet, MemberShare, Origin, Person, Precision, RosterText};
use crate::diagnostic::{name_list, suggest, Code, Diagnostic, Location};
use crate::error::{Error, Result};

mod cells;

use cells::{parse_bound, parse_date, parse_ramp, CellProblem};

/// How messages name the file.
const NOUN: Noun = Noun { the: "the roster", has: "has", owner: "the roster's", a: "a roster" };

/// The member sets a roster gives a split: one for all parents when the split
/// is the first one, else one per parent member, in order of first appearance,
/// with the index of the earlier split whose members are the parents.
pub(super) type RosterSets = (Option<MemberSet>, Vec<(String, MemberSet)>, Option<usize>);

/// An offset, line, count or index within a roster: the file is at most
/// `ROSTER_LIMITS`' 128 MB, so each fits in 32 bits.
fn offset_u32(n: impl TryInto<u32>) -> u32 {
    n.try_into().ok().expect("a roster is at most 128 MB")
}

/// Each parent's members as they are read (no copy of a million rows to
/// regroup them), with the weights as written for the group's checks.
#[derive(Default)]
struct Group {
    members: Vec<Member>,
    weights: Vec<Number>,
}

/// Reads `path` (relative to `base`). `earlier` lists the splits before this
/// one (name and member names); the roster's parent column names one of them
/// (the nearest if several are present), so salespeople can belong to a
/// region even when a product split comes in between. Amounts in the `max`
/// and `min` columns must be multiples of `precision` (unchecked when `None`).
pub(super) fn read(
    base: &Path,
    path: &str,
    earlier: &[(&str, Vec<&str>)],
    precision: Option<Precision>,
    read_as: &ReadAs,
) -> Result<RosterSets> {
    let full = base.join(path);
    let file = full.display().to_string();
    let mut csv = CsvSource::open_as(&full, &file, NOUN, ROSTER_LIMITS, read_as)?;
    let headers: Vec<String> = csv.headers().to_vec();
    let mut errors = Vec::new();
    let parent_index = earlier.iter().rposition(|(n, _)| csv.find(n).is_some()).or(earlier.len().checked_sub(1));
    let parents: Option<(&str, &[&str])> = parent_index.map(|i| (earlier[i].0, earlier[i].1.as_slice()));
    let expected: Vec<&str> = match parents {
        Some((parent, _)) => vec!["name", parent, "weight"],
        None => vec!["name", "weight"],
    };
    let mut columns = Vec::new();
    for want in &expected {
        if let Some(i) = csv.find(want) {
            columns.push(i);
        } else {
            let near = suggest(want, headers.iter().map(String::as_str));
            let header = expected.join(",");
            let help = match near {
                Some(n) => format!("rename column `{n}` to `{want}`; the roster's header is {header}"),
                None => format!("add a `{want}` column; the roster's header is {header}"),
            };
            let mut d = Diagnostic::new(Code::MissingColumn, format!("the roster has no `{want}` column"))
                .at(csv.header_at(0..csv.header_text().len()));
            if let Some((parent, _)) = parents.filter(|(p, _)| p == want) {
                d = d.note(format!("each row names the member of split `{parent}` that the person belongs to"));
            }
            errors.push(d.help(help));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let (name_col, weight_col) = (columns[0], *columns.last().expect("weight column"));
    let parent_col = parents.map(|_| columns[1]);
    let optional = |want: &str| csv.find(want).filter(|i| Some(*i) != parent_col);
    let (start_col, end_col, ramp_col) = (optional("start"), optional("end"), optional("ramp"));
    let (max_col, min_col) = (optional("max"), optional("min"));
    let of_parent = parents.map_or_else(|| "the plan's target".to_string(), |(p, _)| format!("their {p}'s target"));

    let mut groups: Vec<Group> = Vec::new();
    // Parents by first appearance; rows name theirs by index, so that a
    // million rows do not hold a million copies of ten names.
    let mut parent_ids: HashMap<String, u32> = HashMap::new();
    let mut parent_names: Vec<String> = Vec::new();
    // The members' lines, held once: each member keeps where its line is
    // (pointing at a stand-in until the whole file is read).
    let mut lines = String::new();
    let stand_in = Arc::new(RosterText::default());
    csv.name_rows_by(name_col);
    let (delimiter, sheet) = (csv.delimiter(), csv.sheet().cloned());
    loop {
        // The problems of the row before, recorded in file order.
        for d in errors.drain(..) {
            let line = d.location.as_ref().map_or(0, |l: &Location| l.line);
            csv.push_at(line, d);
        }
        if !csv.next_row() {
            break;
        }
        let record = csv.record().clone();
        let line = csv.line() as u64;
        let raw_text = csv.raw_line();
        let raw = raw_text.as_str();
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        // Part `part` of field `i` (a byte range of the field's text); the
        // whole field when the field is not written as is (escaped quotes).
        let at_part = |i: usize, part: Range<usize>| {
            let value = record.get(i).unwrap_or("");
            let start = field_offset(raw, record.iter(), i, delimiter);
            let range = if raw.get(start..start + value.len()) == Some(value) && part.end <= value.len() {
                start + part.start..start + part.end
            } else {
                start..start + value.len()
            };
            let mut loc = Location::csv_line(&file, super::csv_source::line_number(line), raw, range.clone())
                .in_sheet(sheet.as_ref());
            if range.is_empty() {
                // An empty field: point at where it should be.
                let before = raw.get(..range.start.min(raw.len())).unwrap_or(raw);
                loc.column = Some(before.chars().count() + 1);
            }
            loc
        };
        let at = |i: usize| at_part(i, 0..record.get(i).unwrap_or("").len());
        let name = field(name_col);
        if name.is_empty() {
            let what = if record.get(name_col).unwrap_or("").is_empty() { "no name" } else { "a name of only spaces" };
            errors.push(
                Diagnostic::new(Code::EmptyName, format!("a row has {what}"))
                    .at(at(name_col))
                    .help("write the salesperson's name in the `name` column, or remove the row"),
            );
            continue;
        }
        // Every bad cell of the row is reported; a row with any is left out.
        let errors_before = errors.len();
        let parent = parent_col.map(field).unwrap_or_default();
        if let (Some((pname, members)), Some(col)) = (parents, parent_col) {
            if !members.contains(&parent.as_str()) {
                let list = name_list(members);
                let help = match suggest(&parent, members.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? The members of `{pname}` are: {list}"),
                    None => format!("write one of the members of `{pname}`: {list}"),
                };
                let what = if parent.is_empty() {
                    format!("`{name}` has no {pname}")
                } else {
                    format!("`{name}`'s {pname} `{parent}` is not a member of split `{pname}`")
                };
                errors.push(Diagnostic::new(Code::UnknownMember, what).at(at(col)).help(help));
            }
        }
        let weight_text = field(weight_col);
        let weight = match Number::from_text(&weight_text) {
            Ok(n) if n.value().is_sign_negative() && !n.value().is_zero() => {
                errors.push(
                    Diagnostic::new(Code::Negative, format!("the weight of `{name}` is negative ({weight_text})"))
                        .at(at(weight_col))
                        .help(format!("write a weight of 0 or more (0 gives `{name}` no target)")),
                );
                None
            }
            Ok(n) => Some(n),
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
                errors.push(
                    Diagnostic::new(if weight_text.is_empty() { Code::EmptyCell } else { why.code() }, msg)
                        .at(at(weight_col))
                        .help(help),
                );
                None
            }
        };

        let mut person = Person::default();
        let mut push = |col: usize, p: CellProblem| {
            let loc = match p.part {
                Some(part) => at_part(col, part),
                None => at(col),
            };
            let mut d = Diagnostic::new(p.code, p.message).at(loc);
            if let Some(note) = p.note {
                d = d.note(note);
            }
            errors.push(d.help(p.help));
        };
        let given =
            |col: Option<usize>| col.map(|i| (i, record.get(i).unwrap_or(""))).filter(|(_, t)| !t.trim().is_empty());
        for (col, which, slot) in [(start_col, "start", &mut person.start), (end_col, "end", &mut person.end)] {
            if let Some((i, text)) = given(col) {
                match parse_date(&name, which, text) {
                    Ok(d) => *slot = Some(d),
                    Err(p) => push(i, p),
                }
            }
        }
        if let (Some(start), Some(end), Some((i, _))) = (person.start, person.end, given(end_col)) {
            if end < start {
                push(
                    i,
                    CellProblem::new(
                        format!("`{name}`'s end {end} is before their start {start}"),
                        format!(
                            "the end is the last day in seat: write a date on or after {start}, or correct the start"
                        ),
                    ),
                );
            }
        }
        if let Some((i, text)) = given(ramp_col) {
            match parse_ramp(&name, text) {
                Ok(steps) => person.ramp = steps,
                Err(p) => push(i, p),
            }
            if given(start_col).is_none() {
                let help = if start_col.is_some() {
                    format!("write `{name}`'s first day in seat in the `start` column (YYYY-MM-DD), or leave the ramp empty")
                } else {
                    format!(
                        "add a `start` column with `{name}`'s first day in seat (YYYY-MM-DD), or leave the ramp empty"
                    )
                };
                let problem = CellProblem::new(format!("`{name}` has a ramp but no start date"), help)
                    .note("the ramp's steps are months in seat, counted from the start date");
                push(i, problem);
            }
        }
        for (col, which, slot) in [(max_col, "max", &mut person.max), (min_col, "min", &mut person.min)] {
            if let Some((i, text)) = given(col) {
                match parse_bound(&name, which, text, &of_parent, precision) {
                    Ok(b) => *slot = Some(b),
                    Err(p) => push(i, p),
                }
            }
        }
        if let (Some(max), Some(min), Some((_, max_text)), Some((i, min_text))) =
            (person.max, person.min, given(max_col), given(min_col))
        {
            let above = match (min, max) {
                (Bound::Amount(lo), Bound::Amount(hi)) | (Bound::Share(lo), Bound::Share(hi)) => lo > hi,
                // An amount against a share depends on the parent's target.
                _ => false,
            };
            if above {
                let (min_text, max_text) = (min_text.trim(), max_text.trim());
                push(
                    i,
                    CellProblem::new(
                        format!("the min of `{name}` ({min_text}) is above their max ({max_text})"),
                        format!("lower the min or raise the max: the min is a floor on `{name}`'s annual target, the max a cap"),
                    ),
                );
            }
        }
        if errors.len() > errors_before {
            continue;
        }
        let Some(weight) = weight else { continue };
        let id = if let Some(&id) = parent_ids.get(&parent) {
            id
        } else {
            let id = offset_u32(parent_names.len());
            parent_ids.insert(parent.clone(), id);
            parent_names.push(parent);
            groups.push(Group::default());
            id
        };
        let group = &mut groups[id as usize];
        // Where the name is: what `at(name_col)` says, without its copies of
        // the file name and the line.
        let value = record.get(name_col).unwrap_or("");
        let from = field_offset(raw, record.iter(), name_col, delimiter);
        let text = raw.trim_end_matches(['\r', '\n']);
        let end = (from + value.len()).min(text.len());
        let column =
            if value.is_empty() { raw.get(..from.min(raw.len())).unwrap_or(raw).chars().count() + 1 } else { 0 };
        // The file is at most ROSTER_LIMITS' 128 MB: offsets fit in 32 bits.
        let origin = Origin::Row {
            text: Arc::clone(&stand_in),
            start: offset_u32(lines.len()),
            len: offset_u32(text.len()),
            line: offset_u32(line),
            under: (offset_u32(from.min(end)), offset_u32(end)),
            column: offset_u32(column),
        };
        lines.push_str(text);
        group.members.push(Member {
            name,
            share: MemberShare::Weight(weight.value().max(Decimal::ZERO)),
            origin,
            details: Member::details_of(person),
        });
        group.weights.push(weight);
    }
    lines.shrink_to_fit();
    let text = Arc::new(RosterText { file: file.clone(), lines, sheet: sheet.clone() });
    for member in groups.iter_mut().flat_map(|g| g.members.iter_mut()) {
        if let Origin::Row { text: t, .. } = &mut member.origin {
            *t = Arc::clone(&text);
        }
    }
    drop(stand_in);
    // A person twice under one parent: found by sorting, not by a table of
    // every name (rows come in file order, so the first of equals is the earlier).
    let mut by_name: Vec<(u32, u32)> = groups
        .iter()
        .enumerate()
        .flat_map(|(g, group)| (0..group.members.len()).map(move |i| (offset_u32(g), offset_u32(i))))
        .collect();
    if csv.stopped() {
        // The file is not all there: only why.
        return Err(Error::Invalid(csv.finish()));
    }
    let member = |&(g, i): &(u32, u32)| &groups[g as usize].members[i as usize];
    by_name.sort_by(|a, b| (a.0, &member(a).name).cmp(&(b.0, &member(b).name)));
    // The first row of each run of equals.
    let mut first = by_name.first().copied();
    for pair in by_name.windows(2) {
        let row = member(&pair[1]);
        if pair[0].0 != pair[1].0 || member(&pair[0]).name != row.name {
            first = Some(pair[1]);
            continue;
        }
        let Some(first) = first.as_ref().map(member) else { continue };
        let parent = &parent_names[pair[1].0 as usize];
        let under = parents.map(|(p, _)| format!(" under {p} `{parent}`")).unwrap_or_default();
        let d = Diagnostic::new(Code::DuplicatePerson, format!("`{}` appears twice{under}", row.name))
            .at(row.origin.location())
            .note(format!("it is also on {} {}", if sheet.is_some() { "row" } else { "line" }, first.origin.line()))
            .help("give each person one row, or tell namesakes apart (`张伟 (2)`)");
        csv.push_at(row.origin.line(), d);
    }
    drop(by_name);
    let mut errors = csv.finish();
    if groups.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::new(Code::EmptyRoster, "the roster has no rows")
                .at(Location::file(&file))
                .help(format!("add one row per member under the header {}", expected.join(","))),
        );
    }

    let mut sets = Vec::new();
    for (parent, group) in parent_names.into_iter().zip(groups) {
        let under = parents.map(|(p, _)| format!(" under {p} `{parent}`")).unwrap_or_default();
        let Group { mut members, weights: numbers } = group;
        if let Err(problem) = check_group(&numbers) {
            let mut d =
                Diagnostic::new(Code::SharesDoNotAddUp, problem.message(&format!("the roster's weights{under}")))
                    .at(members[0].origin.location())
                    .help(problem.help());
            if let Some(note) = problem.note() {
                d = d.note(note);
            }
            errors.push(d);
            continue;
        }
        if numbers.iter().all(|n| n.value().is_zero()) {
            errors.push(
                Diagnostic::new(
                    Code::AllWeightsZero,
                    format!("every weight{under} is zero, so there is nobody to share the amount"),
                )
                .at(members[0].origin.location())
                .help("give at least one person a positive weight"),
            );
            continue;
        }
        drop(numbers);
        members.shrink_to_fit();
        let origin = members[0].origin.location();
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

#[cfg(test)]
mod tests;
