//! Stage `plan`: one level of the organisational cascade (`[[split]]`), with
//! the members each parent member shares its amount among.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::diagnostic::Location;

/// How a member claims part of its parent's amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberShare {
    /// A relative weight (percentages are kept as their number: 30% is 30).
    Weight(Decimal),
    /// A fixed amount in the plan's currency, taken off the top.
    Fixed(Decimal),
}

/// One member of a split under one parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The member's name as written (a region, a product, a salesperson).
    pub name: String,
    /// Its claim on the parent.
    pub share: MemberShare,
    /// Where it is written, for messages.
    pub origin: Location,
}

/// The members sharing one parent's amount, in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSet {
    /// The members, in order; names are unique within the set.
    pub members: Vec<Member>,
    /// Where the set is written, for messages.
    pub origin: Location,
}

/// One `[[split]]`: a dimension (`region`, `product`, `salesperson`) and, for
/// each member of the split before it, the members that share its amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// The dimension's name; a column of the output.
    pub by: String,
    /// The members used under any parent that `within` does not name.
    pub default: Option<MemberSet>,
    /// Parent member name -> members under that parent, in the order written.
    pub within: Vec<(String, MemberSet)>,
    /// Where the split is written, for messages.
    pub origin: Location,
    /// The earlier split whose members key `within` (the one just before,
    /// or the one a roster's parent column names); `None` for the first split.
    pub parent: Option<usize>,
    /// The roster file the members come from, for a split of people.
    pub roster: Option<String>,
    within_index: HashMap<String, usize>,
}

impl Split {
    /// A split from its default members and its per-parent member sets.
    pub fn new(
        by: String,
        default: Option<MemberSet>,
        within: Vec<(String, MemberSet)>,
        origin: Location,
        parent: Option<usize>,
    ) -> Split {
        let within_index = within.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect();
        Split { by, default, within, origin, parent, roster: None, within_index }
    }

    /// The members under a parent (`None` for the first split).
    pub fn members_for(&self, parent: Option<&str>) -> Option<&MemberSet> {
        parent.and_then(|p| self.within_index.get(p)).map(|&i| &self.within[i].1).or(self.default.as_ref())
    }

    /// Every member name the split can produce, in order of first appearance.
    pub fn member_names(&self) -> Vec<&str> {
        self.names_where(|_| true)
    }

    /// Member names that can receive a positive amount under some parent.
    pub fn receiving_names(&self) -> Vec<&str> {
        self.names_where(|m| match m.share {
            MemberShare::Weight(w) | MemberShare::Fixed(w) => w > Decimal::ZERO,
        })
    }

    fn names_where(&self, keep: impl Fn(&Member) -> bool) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        let sets = self.default.iter().chain(self.within.iter().map(|(_, s)| s));
        sets.flat_map(|s| s.members.iter())
            .filter(|m| keep(m))
            .map(|m| m.name.as_str())
            .filter(|n| seen.insert(*n))
            .collect()
    }
}
