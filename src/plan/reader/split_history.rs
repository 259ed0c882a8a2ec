//! Stage `plan`, phase 3: a split whose weights come from last year's
//! sales (`weights = "history"`, or `[split.growth]`, which implies it):
//! the members the baseline has under each parent, weighted by their sales
//! times their growth, then `fixed` new members and `within` overrides.

use std::ops::Range;

use indexmap::IndexMap;
use rust_decimal::Decimal;
use toml::de::DeTable;

use super::advice::toml_key;
use super::history::{Growth, MemberGrowth};
use super::splits::SplitState;
use super::{get, Reader};
use crate::diagnostic::{name_list, suggest, Code, Location};
use crate::plan::baseline::Baseline;
use crate::plan::{Member, MemberSet, MemberShare, Metric, MetricKind, Precision, Split};

/// A split's default member set and its sets per parent member.
type SplitSets = (Option<MemberSet>, Vec<(String, MemberSet)>);

impl Reader<'_> {
    /// A split whose weights come from the baseline (`weights = "history"`,
    /// or `[split.growth]`, which implies it).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn history_split(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        by: String,
        origin: Location,
        earlier: &[Split],
        precision: Option<Precision>,
        metrics: &[Metric],
        from_history: bool,
        st: &mut SplitState<'_>,
    ) -> Option<Split> {
        let mut growth = None;
        if let Some((k, gv)) = get(t, "growth") {
            if !from_history {
                self.error(
                    Code::MissingSetting,
                    k.span(),
                    format!("split `{by}` has growth per member but its weights are not from history"),
                    "growth per member grows last year's sales: write `weights = \"history\"` instead of the weights",
                );
                return None;
            }
            if let Some(other) = &st.member_growth {
                let other = other.by.clone();
                self.error(
                    Code::ConflictingKeys,
                    k.span(),
                    format!("splits `{other}` and `{by}` both grow by member"),
                    "keep `[split.growth]` on one split",
                );
                return None;
            }
            let table = self.table(gv, "growth")?;
            let mut rates = Vec::new();
            for (mk, mv) in table {
                let name = mk.get_ref().to_string();
                if let Some(rate) = self.rate(mv, &format!("growth of `{name}`")) {
                    st.growth_rates.push((format!("{by} `{name}`"), rate, self.loc(mv.span())));
                    rates.push((name, rate, mk.span()));
                }
            }
            growth = Some(MemberGrowth { by: by.clone(), rates });
        }
        let fixed = match get(t, "fixed") {
            Some((fk, fv)) => {
                let mut only = DeTable::new();
                only.insert(fk.clone(), fv.clone());
                self.member_set(&only, span.clone(), &by, precision, None)?.members
            }
            None => Vec::new(),
        };
        if earlier.is_empty() {
            st.history_fixed = fixed
                .iter()
                .map(|m| match m.share {
                    MemberShare::Fixed(a) => a,
                    MemberShare::Weight(_) => Decimal::ZERO,
                })
                .sum();
        }
        let reference = metrics.iter().find(|m| m.kind == MetricKind::Amount).map(|m| m.name.clone());
        let history = st.histories.iter().find(|h| Some(&h.metric) == reference.as_ref());
        let default_growth = match history.map(|h| &h.growth) {
            Some(Growth::Year(g, _)) => *g,
            _ => Decimal::ZERO,
        };
        let baseline = history.and_then(|h| h.baseline.clone());
        let depth = earlier.len();
        let names: Vec<&str> = earlier.iter().map(|s| s.by.as_str()).collect();
        let (default, mut within) = self.history_members(
            &by,
            depth,
            span.clone(),
            baseline.as_ref(),
            growth.as_ref(),
            default_growth,
            &fixed,
            &names,
        )?;
        // `within` gives weights where history has none (a new parent), or
        // overrides it for the parents it names.
        if let Some((wk, wv)) = get(t, "within") {
            if depth == 0 {
                self.error(
                    Code::WithinWithoutParent,
                    wk.span(),
                    format!("split `{by}` is the first split, so `within` has no parent to name"),
                    "remove `within`",
                );
                return None;
            }
            let wt = self.table(wv, "within")?;
            let prev = &earlier[depth - 1];
            let parents = prev.member_names();
            for (pk, pv) in wt {
                let parent = pk.get_ref().to_string();
                if !self.within_parent(st.parents_unknown, prev, &parents, &parent, pk.span()) {
                    continue;
                }
                let pt = self.table(pv, &format!("within.{}", toml_key(&parent)))?;
                let typos = self.known_keys(pt, &["weights", "fixed"], &format!("[split.within.\"{parent}\"]"));
                if get(pt, "weights").is_none() && get(pt, "fixed").is_none() && !typos.is_empty() {
                    continue;
                }
                let set = self.member_set(pt, pk.span(), &by, precision, Some(&parent))?;
                match within.iter_mut().find(|(p, _)| *p == parent) {
                    Some((_, existing)) => *existing = set,
                    None => within.push((parent, set)),
                }
            }
        }
        if growth.is_some() {
            st.member_growth = growth;
        }
        let mut split = Split::new(by, default, within, origin, depth.checked_sub(1));
        if split.default.is_none() && !st.parents_unknown {
            self.missing_children(&split, earlier, depth.checked_sub(1), metrics, None, &[]);
        }
        self.split_options(t, &mut split);
        Some(split)
    }

    /// The member sets of a split with `weights = "history"`: the members
    /// the baseline has under each parent, in order of first appearance,
    /// weighted by last year's sales (times their growth), then any `fixed`
    /// members (new ones, with no history).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn history_members(
        &mut self,
        by: &str,
        depth: usize,
        span: Range<usize>,
        baseline: Option<&Baseline>,
        growth: Option<&MemberGrowth>,
        default_growth: Decimal,
        fixed: &[Member],
        earlier: &[&str],
    ) -> Option<SplitSets> {
        let Some(b) = baseline else {
            self.error(
                Code::MissingSetting,
                span,
                format!("split `{by}` takes its weights from history, but no metric has a `baseline`"),
                "add `baseline = \"sales-2025.csv\"` to the money metric in [target], or give the split `weights`",
            );
            return None;
        };
        let Some(sums) = b.members.get(depth) else {
            // The columns are read in the splits' order: the first missing one stops the rest.
            match earlier.get(b.members.len()).filter(|_| b.members.len() < depth) {
                Some(gap) => self.push(
                    crate::diagnostic::Diagnostic::new(Code::MissingColumn, format!(
                        "split `{by}` takes its weights from history, but {} has no `{gap}` column",
                        b.file
                    ))
                    .at(self.loc(span))
                    .note(format!(
                        "a baseline's columns follow the splits in order: its `{by}` column is read under a `{gap}` column"
                    ))
                    .help(format!("add a `{gap}` column to {}, or give split `{by}` `weights`", b.file)),
                ),
                None => self.error(Code::MissingColumn,
                    span,
                    format!("split `{by}` takes its weights from history, but {} has no `{by}` column", b.file),
                    format!(
                        "add a `{by}` column (and one for every split before it) to {}, or give the split `weights`",
                        b.file
                    ),
                ),
            }
            return None;
        };
        let rate =
            |name: &str| growth.and_then(|g| g.rates.iter().find(|(m, ..)| m == name)).map_or(default_growth, |r| r.1);
        let mut groups: IndexMap<Option<String>, IndexMap<String, Decimal>> = IndexMap::new();
        for (path, amount) in sums {
            let member = &path[depth];
            if member.is_empty() {
                continue;
            }
            let parent = depth.checked_sub(1).map(|p| path[p].clone());
            *groups.entry(parent).or_default().entry(member.clone()).or_default() += *amount;
        }
        if let Some(g) = growth {
            let known: Vec<&str> = groups.values().flat_map(|m| m.keys().map(String::as_str)).collect();
            for (name, _, at) in &g.rates {
                if !known.contains(&name.as_str()) {
                    let help = match suggest(name, known.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? A new member with no history needs a `fixed` amount"),
                        None => format!(
                            "the members with sales in {} are: {}; a new member with no history needs a `fixed` amount, \
                             so remove it from `growth`",
                            b.file,
                            name_list(&known)
                        ),
                    };
                    self.error(
                        Code::NoHistory,
                        at.clone(),
                        format!("`{name}` has no sales in {}, so it has no history to grow", b.file),
                        help,
                    );
                }
            }
        }
        let origin = self.loc(span);
        let sets: Vec<(Option<String>, MemberSet)> = groups
            .into_iter()
            .map(|(parent, members)| {
                let mut list: Vec<Member> = members
                    .into_iter()
                    .map(|(name, ly)| {
                        // Past 28 digits a weight saturates: shares among such giants barely move.
                        let weight =
                            ly.checked_mul(Decimal::ONE + rate(&name)).unwrap_or(Decimal::MAX).max(Decimal::ZERO);
                        Member {
                            share: MemberShare::Weight(weight),
                            origin: origin.clone().into(),
                            details: None,
                            name,
                        }
                    })
                    .collect();
                let new: Vec<Member> =
                    fixed.iter().filter(|f| !list.iter().any(|m| m.name == f.name)).cloned().collect();
                list.extend(new);
                (parent, MemberSet { members: list, origin: origin.clone() })
            })
            .collect();
        if depth == 0 {
            Some((sets.into_iter().next().map(|(_, s)| s), Vec::new()))
        } else {
            Some((None, sets.into_iter().map(|(p, s)| (p.unwrap_or_default(), s)).collect()))
        }
    }
}
