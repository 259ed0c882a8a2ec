//! Stage `plan`, phase 3: the `[[split]]` tables, in the order written —
//! each split's members from `weights`/`fixed`/`within`, a roster file or
//! history — checked against the splits before it (every parent that has a
//! share needs members) and read into [`Splits`].

use std::ops::Range;
use std::path::PathBuf;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::advice::{toml_key, toml_string};
use super::history::{History, MemberGrowth};
use super::{get, GrowthRate, Reader, Value, RESERVED};
use crate::diagnostic::{name_list, suggest, Code, Diagnostic};
use crate::error::Error;
use crate::plan::roster;
use crate::plan::{Metric, Precision, Split};

/// What the `[[split]]` tables say.
// `splits.splits`: the `[[split]]` section's splits; the other fields are what they refer to.
#[allow(clippy::struct_field_names)]
#[derive(Default)]
pub(super) struct Splits {
    /// The splits that could be read, in the order written.
    pub splits: Vec<Split>,
    /// `[split.growth]`, if a split has it.
    pub member_growth: Option<MemberGrowth>,
    /// Fixed amounts of new members in a first split weighted by history:
    /// they come on top of last year's grown sales.
    pub history_fixed: Decimal,
    /// Every growth rate of a member, for review.
    pub growth_rates: Vec<GrowthRate>,
    /// The roster files, for [`Plan::inputs`](crate::plan::Plan::inputs).
    pub rosters: Vec<PathBuf>,
}

/// What reading one split needs from the phases and splits before it, and
/// what it adds to [`Splits`] besides the split itself.
pub(super) struct SplitState<'h> {
    /// The metrics from history, with their baselines (phase 2).
    pub histories: &'h [History],
    /// A split failed, so member names of earlier splits are not all known:
    /// checks that name them are skipped rather than reported falsely.
    pub parents_unknown: bool,
    pub member_growth: Option<MemberGrowth>,
    pub history_fixed: Decimal,
    pub growth_rates: Vec<GrowthRate>,
    pub rosters: Vec<PathBuf>,
}

impl Reader<'_> {
    /// `[[split]]` of the plan file (`v`); `metrics` are those of
    /// `[target]`, `histories` the metrics from history with their baselines.
    pub(super) fn splits(
        &mut self,
        v: &Value<'_>,
        precision: Option<Precision>,
        metrics: &[Metric],
        histories: &[History],
    ) -> Splits {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                Code::WrongType,
                v.span(),
                "`split` must be an array of tables",
                "write each split as a [[split]] table",
            );
            return Splits::default();
        };
        let mut st = SplitState {
            histories,
            parents_unknown: false,
            member_growth: None,
            history_fixed: Decimal::ZERO,
            growth_rates: Vec::new(),
            rosters: Vec::new(),
        };
        let mut splits: Vec<Split> = Vec::new();
        for item in items {
            let Some(t) = self.table(item, "[[split]]") else { continue };
            let before = self.errors.len();
            let split = self.split(t, item.span(), &splits, precision, metrics, &mut st);
            match split {
                Some(s) if self.errors.len() == before => {
                    if let Some(other) = splits.iter().find(|o| o.by == s.by) {
                        let line = other.origin.line;
                        self.push(
                            Diagnostic::new(Code::NameTaken, format!("two splits are both by `{}`", s.by))
                                .at(s.origin.clone())
                                .note(format!("the first is on line {line}"))
                                .help("give each split its own name"),
                        );
                    } else {
                        splits.push(s);
                    }
                }
                // Later splits may name this one's members: keep checking
                // what does not depend on them, but not what does.
                _ => st.parents_unknown = true,
            }
        }
        Splits {
            splits,
            member_growth: st.member_growth,
            history_fixed: st.history_fixed,
            growth_rates: st.growth_rates,
            rosters: st.rosters,
        }
    }

    pub(super) fn split(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        earlier: &[Split],
        precision: Option<Precision>,
        metrics: &[Metric],
        st: &mut SplitState<'_>,
    ) -> Option<Split> {
        let prev = earlier.last();
        let mut allowed = vec!["by", "weights", "fixed", "within", "roster", "over_assign", "vacancy", "growth"];
        if get(t, "roster").is_some() {
            allowed.extend(super::input_keys::INPUT_KEYS);
        }
        let typos = self.known_keys(t, &allowed, "[[split]]");
        let Some((_, by_v)) = get(t, "by") else {
            if !typos.iter().any(|k| k == "by") {
                self.error(
                    Code::MissingKey,
                    span,
                    "a [[split]] has no `by`",
                    "name the dimension, e.g. `by = \"region\"`",
                );
            }
            return None;
        };
        let by = self.string(by_v, "by", "by = \"region\"")?.trim().to_string();
        if by.is_empty() || RESERVED.contains(&by.as_str()) || metrics.iter().any(|m| m.name == by) {
            let why = if by.is_empty() { "is empty".to_string() } else { "is already used by the output".to_string() };
            self.error(
                Code::NameTaken,
                by_v.span(),
                format!("split name `{by}` {why}"),
                format!("choose another name; {} and the metrics' names are taken", RESERVED.join(", ")),
            );
            return None;
        }
        let origin = self.loc(by_v.span());
        if let Some((_, roster_v)) = get(t, "roster") {
            for clash in ["weights", "fixed", "within"] {
                if let Some((k, _)) = get(t, clash) {
                    self.error(
                        Code::ConflictingKeys,
                        k.span(),
                        format!("split `{by}` has both a roster and `{clash}`"),
                        "weights come from the roster's weight column; remove this key",
                    );
                }
            }
            let path = self.string(roster_v, "roster", "roster = \"reps.csv\"")?;
            if st.parents_unknown {
                return None;
            }
            let parents: Vec<(&str, Vec<&str>)> = earlier.iter().map(|p| (p.by.as_str(), p.member_names())).collect();
            st.rosters.push(self.base.join(path));
            let read_as = self.read_as(t, "roster");
            let result = roster::read(self.base, path, &parents, precision, &read_as);
            let (default, within, parent) = match result {
                Ok(r) => r,
                Err(Error::Invalid(ds)) => {
                    self.errors.extend(ds);
                    return None;
                }
                Err(io @ Error::Io { .. }) => {
                    let (reason, help) = io.plan_input_advice().unwrap_or_default();
                    let full = self.base.join(path);
                    self.error(
                        Code::CannotRead,
                        roster_v.span(),
                        format!("cannot read roster {}: {reason}", full.display()),
                        help,
                    );
                    return None;
                }
            };
            let mut split = Split::new(by, default, within, origin, parent);
            split.roster = Some(path.to_string());
            self.missing_children(&split, earlier, parent, metrics, Some(path), &[]);
            self.split_options(t, &mut split);
            return Some(split);
        }
        let from_history =
            matches!(get(t, "weights").map(|(_, v)| v.get_ref()), Some(DeValue::String(h)) if h.as_ref() == "history");
        if let Some((_, wv)) = get(t, "weights") {
            if let DeValue::String(word) = wv.get_ref() {
                if word.as_ref() != "history" {
                    self.error(Code::UnknownChoice,
                        wv.span(),
                        format!("weights `{word}` is neither a table of weights nor \"history\""),
                        match suggest(word, ["history"].into_iter()) {
                            Some(_) => "did you mean `weights = \"history\"` (last year's shares)?".to_string(),
                            None => "write the weights as a table, e.g. `weights = { A = 1, B = 2 }`, or `weights = \"history\"` for last year's shares".to_string(),
                        },
                    );
                    return None;
                }
            }
        }
        if from_history || get(t, "growth").is_some() {
            return self.history_split(t, span, by, origin, earlier, precision, metrics, from_history, st);
        }
        let default = if get(t, "weights").is_some() || get(t, "fixed").is_some() {
            self.member_set(t, span.clone(), &by, precision, None)
        } else {
            None
        };
        let mut within = Vec::new();
        // Parents that `within` names, even where their table has errors
        // (those are reported already, not again as missing members).
        let mut named: Vec<String> = Vec::new();
        if let Some((wk, wv)) = get(t, "within") {
            match prev {
                // The split before this one had errors: its members are unknown, not absent.
                None if st.parents_unknown => {}
                None => self.error(
                    Code::WithinWithoutParent,
                    wk.span(),
                    format!("split `{by}` is the first split, so `within` has no parent to name"),
                    "remove `within`, or add the split it refines before this one",
                ),
                Some(p) => {
                    if let Some(wt) = self.table(wv, "within") {
                        let parents = p.member_names();
                        for (pk, pv) in wt {
                            let parent = pk.get_ref().to_string();
                            if !self.within_parent(st.parents_unknown, p, &parents, &parent, pk.span()) {
                                continue;
                            }
                            named.push(parent.clone());
                            if let Some(pt) = self.table(pv, &format!("within.{}", toml_key(&parent))) {
                                let typos =
                                    self.known_keys(pt, &["weights", "fixed"], &format!("[split.within.\"{parent}\"]"));
                                let members = get(pt, "weights").is_some() || get(pt, "fixed").is_some();
                                if !members && !typos.is_empty() {
                                    continue;
                                }
                                if let Some(set) = self.member_set(pt, pk.span(), &by, precision, Some(&parent)) {
                                    within.push((parent, set));
                                }
                            }
                        }
                    }
                }
            }
        }
        if default.is_none() && named.is_empty() && get(t, "weights").is_none() && get(t, "fixed").is_none() {
            if typos.iter().any(|k| matches!(k.as_str(), "weights" | "fixed" | "roster" | "within")) {
                // The unknown key's "did you mean" already says what is missing.
                return None;
            }
            self.error(Code::NoMembers,
                span,
                format!("split `{by}` has no members"),
                "add `weights = { A = 1, B = 2 }`, `fixed = { \"Key account\" = 6_000_000 }` or `roster = \"file.csv\"`",
            );
            return None;
        }
        let mut split = Split::new(by, default, within, origin, earlier.len().checked_sub(1));
        if split.default.is_none() && !st.parents_unknown {
            self.missing_children(&split, earlier, earlier.len().checked_sub(1), metrics, None, &named);
        }
        self.split_options(t, &mut split);
        Some(split)
    }

    /// Whether `parent`, named by a `within` table, is a member of split
    /// `prev` (whose members are `names`); reports it when not, unless the
    /// members of earlier splits are not all known (`parents_unknown`).
    pub(super) fn within_parent(
        &mut self,
        parents_unknown: bool,
        prev: &Split,
        names: &[&str],
        parent: &str,
        span: Range<usize>,
    ) -> bool {
        if parents_unknown || names.contains(&parent) {
            return true;
        }
        let list = name_list(names);
        let help = match suggest(parent, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? The members of `{}` are: {list}", prev.by),
            None => format!("write one of the members of `{}`: {list}", prev.by),
        };
        self.error(
            Code::UnknownMember,
            span,
            format!("`within` names `{parent}`, which is not a member of split `{}`", prev.by),
            help,
        );
        false
    }

    /// A parent member that can receive part of the target needs children,
    /// or its money would vanish.
    /// `roster` is the roster file the split's members come from, if any;
    /// parents in `reported` have had their own errors reported already.
    pub(super) fn missing_children(
        &mut self,
        split: &Split,
        earlier: &[Split],
        parent: Option<usize>,
        metrics: &[Metric],
        roster: Option<&str>,
        reported: &[String],
    ) {
        // Only a shared total can be lost; levels are inherited, not shared.
        if metrics.iter().all(|m| !m.is_shared() || m.total.is_zero()) {
            return;
        }
        let Some(p) = parent else { return };
        let prev = &earlier[p];
        // Only members that can have a share need children: not one that every parent's `within` replaces.
        for parent in Split::receiving_in(earlier, p) {
            if split.members_for(Some(parent)).is_none() && !reported.iter().any(|r| r == parent) {
                let (pby, by) = (&prev.by, &split.by);
                let (message, help) = match roster {
                    Some(path) => (
                        format!("{pby} `{parent}` has a share of the target but no {by} in {path}"),
                        format!(
                            "add a row with {pby} `{parent}` to {path}, or give `{parent}` a weight of 0 in split `{pby}`"
                        ),
                    ),
                    None => (
                        format!("{pby} `{parent}` has a share of the target but split `{by}` has no members for it"),
                        format!(
                            "add `weights` to split `{by}` for every {pby}, or a `[split.within.{key}]` table, \
                             or give `{parent}` a weight of 0 in split `{pby}`",
                            key = toml_string(parent)
                        ),
                    ),
                };
                let d = Diagnostic::new(Code::NoMembers, message)
                    .at(split.origin.clone())
                    .note(format!("with nobody to share it, `{parent}`'s share of the target would be lost"))
                    .help(help);
                self.push(d);
            }
        }
    }
}
