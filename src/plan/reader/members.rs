//! Stage `plan`, phase 3: one set of sibling members — the `weights` and
//! `fixed` of a split or of one parent in its `within` — checked as one
//! group: usable names, weights that are all plain or all percentages
//! adding up to 100%, fixed amounts that are money at the precision.

use crate::diagnostic::Code;
use std::ops::Range;

use rust_decimal::Decimal;
use toml::de::DeTable;

use super::{get, Key, Reader, WEIGHT_EXAMPLE};
use crate::plan::number::Number;
use crate::plan::{Member, MemberSet, MemberShare, Precision};

impl Reader<'_> {
    /// Whether key `k` is a usable member name: not empty nor only spaces,
    /// which no roster or actuals file could name (their cells are trimmed)
    /// and no table could show. Records the error otherwise.
    fn member_name(&mut self, k: &Key<'_>, place: &str) -> bool {
        if !k.get_ref().trim().is_empty() {
            return true;
        }
        let what = if k.get_ref().is_empty() { "an empty name" } else { "a name of only spaces" };
        self.error(
            Code::EmptyName,
            k.span(),
            format!("{place} has a member with {what}"),
            "write the member's name between the quotes, or remove the entry",
        );
        false
    }

    /// `weights` and `fixed` of one table, checked as one sibling group.
    pub(super) fn member_set(
        &mut self,
        t: &DeTable<'_>,
        span: Range<usize>,
        by: &str,
        precision: Option<Precision>,
        parent: Option<&str>,
    ) -> Option<MemberSet> {
        let place = match parent {
            Some(p) => format!("split `{by}` within `{p}`"),
            None => format!("split `{by}`"),
        };
        let mut members: Vec<(usize, Member)> = Vec::new();
        let before = self.errors.len();
        if let Some((_, wv)) = get(t, "weights") {
            if let Some(wt) = self.table(wv, "weights") {
                let mut numbers = Vec::new();
                let mut keys = Vec::new();
                for (k, v) in wt {
                    if !self.member_name(k, &place) {
                        continue;
                    }
                    if let Some(n) = self.number(v, &format!("{place}, weight of `{}`", k.get_ref()), WEIGHT_EXAMPLE) {
                        let who = format!("`{}`", k.get_ref());
                        numbers.push((n, v.span(), format!("the weight of {who}"), who));
                        keys.push(k);
                    }
                }
                let what = format!("the weights of {place}");
                if let Some(ws) = self.relative_weights(&numbers, wv.span(), &place, &what) {
                    for (k, w) in keys.iter().zip(ws) {
                        let m = Member {
                            name: k.get_ref().to_string(),
                            share: MemberShare::Weight(w),
                            origin: self.loc(k.span()).into(),
                            details: None,
                        };
                        members.push((k.span().start, m));
                    }
                }
            }
        }
        if let Some((_, fv)) = get(t, "fixed") {
            // A set, not a search of the members: 50,000 SKUs with 5,000 fixed stay linear.
            let weighted: std::collections::HashSet<String> = members.iter().map(|(_, m)| m.name.clone()).collect();
            if let Some(ft) = self.table(fv, "fixed") {
                for (k, v) in ft {
                    if !self.member_name(k, &place) {
                        continue;
                    }
                    let name = k.get_ref().to_string();
                    let Some(n) =
                        self.number(v, &format!("{place}, fixed amount of `{name}`"), "an amount such as 3_000_000")
                    else {
                        continue;
                    };
                    let amount = match n {
                        Number::Percent(_) => {
                            self.error(
                                Code::PercentageNotAllowed,
                                v.span(),
                                format!("{place}: the fixed amount of `{name}` is a percentage"),
                                "a fixed amount is money; use `weights` for percentages",
                            );
                            continue;
                        }
                        Number::Plain(d) if d.is_sign_negative() => {
                            self.error(
                                Code::Negative,
                                v.span(),
                                format!("{place}: the fixed amount of `{name}` is negative ({d})"),
                                "fixed amounts must be zero or more",
                            );
                            continue;
                        }
                        Number::Plain(d) => d,
                    };
                    if let Some(p) = precision {
                        if p.to_units(amount).is_none() {
                            let what = format!("{place}: the fixed amount of `{name}` = {amount}");
                            self.not_a_multiple(v.span(), &what, amount, p, "it", "");
                            continue;
                        }
                    }
                    if weighted.contains(name.as_str()) {
                        self.error(
                            Code::ConflictingKeys,
                            k.span(),
                            format!("{place}: `{name}` has both a weight and a fixed amount"),
                            "give it one: a weight, or a fixed amount",
                        );
                        continue;
                    }
                    members.push((
                        k.span().start,
                        Member {
                            name,
                            share: MemberShare::Fixed(amount),
                            origin: self.loc(k.span()).into(),
                            details: None,
                        },
                    ));
                }
            }
        }
        if self.errors.len() > before {
            return None;
        }
        if members.is_empty() {
            self.error(
                Code::NoMembers,
                span,
                format!("{place} has no members"),
                "add at least one member to `weights` or `fixed`",
            );
            return None;
        }
        let any_weight = members.iter().any(|(_, m)| matches!(m.share, MemberShare::Weight(w) if w > Decimal::ZERO));
        let has_fixed = members.iter().any(|(_, m)| matches!(m.share, MemberShare::Fixed(_)));
        if !any_weight && !has_fixed {
            let at = get(t, "weights").map(|(_, v)| v.span()).unwrap_or(span.clone());
            self.error(
                Code::AllWeightsZero,
                at,
                format!("{place}: every weight is zero, so there is nobody to share the amount"),
                "give at least one member a positive weight",
            );
            return None;
        }
        members.sort_by_key(|(pos, _)| *pos);
        // Sharing can only fail over fixed amounts, so point there when there are some.
        let origin = match get(t, "fixed") {
            Some((_, fv)) if has_fixed => self.loc(fv.span()),
            _ => self.loc(span),
        };
        Some(MemberSet { members: members.into_iter().map(|(_, m)| m).collect(), origin })
    }
}
