//! Stage `plan`: one level of the organisational cascade (`[[split]]`), with
//! the members each parent member shares its amount among.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::diagnostic::Location;

/// A cap or a floor on a person's annual target (roster columns `max`, `min`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// An amount in the plan's currency (a multiple of the precision).
    Amount(Decimal),
    /// A fraction of the parent's target (`"10%"` is 0.1).
    Share(Decimal),
}

/// What a roster says about a person beyond their weight; every field is
/// optional (a default `Person` is someone in seat all year at full weight).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    /// First day in seat (targets only from that day); `None`: before the year.
    pub start: Option<NaiveDate>,
    /// Last day in seat (inclusive); `None`: after the year.
    pub end: Option<NaiveDate>,
    /// Multipliers for the first months in seat, counted from `start`, as
    /// fractions (`25%` is 0.25); each in (0, 1] and never decreasing; 1 after.
    pub ramp: Vec<Decimal>,
    /// Cap on the annual target.
    pub max: Option<Bound>,
    /// Floor on the annual target.
    pub min: Option<Bound>,
}

impl Person {
    /// Whether anything about this person changes how the amount is shared
    /// over time (dates or a ramp).
    pub fn is_dated(&self) -> bool {
        self.start.is_some() || self.end.is_some() || !self.ramp.is_empty()
    }
}

/// What happens to a team's target on days a roster member is absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Vacancy {
    /// Whoever is in seat that day shares it by weight.
    #[default]
    Share,
    /// The absent person's part (and what a ramp holds back) goes to an
    /// explicit `(vacant)` member.
    Show,
}

/// The member name that carries unfilled seats under `vacancy = "show"`.
pub const VACANT: &str = "(vacant)";

/// How a member claims part of its parent's amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberShare {
    /// A relative weight (percentages are kept as their number: 30% is 30).
    Weight(Decimal),
    /// A fixed amount in the plan's currency, taken off the top.
    Fixed(Decimal),
}

/// Someone in seat all year at full weight, with no cap or floor.
static NOBODY: Person = Person { start: None, end: None, ramp: Vec::new(), max: None, min: None };

/// One member of a split under one parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The member's name as written (a region, a product, a salesperson).
    pub name: String,
    /// Its claim on the parent.
    pub share: MemberShare,
    /// Where it is written, for messages ([`Origin::location`]).
    pub origin: Origin,
    /// Dates, ramp, cap and floor, for a person from a roster; `None` for
    /// the usual person with none of them (see [`Member::person`]), so that
    /// a million plain rows do not each hold an empty one.
    pub details: Option<Box<Person>>,
}

impl Member {
    /// What the roster says about this person (a default [`Person`] if nothing).
    pub fn person(&self) -> &Person {
        self.details.as_deref().unwrap_or(&NOBODY)
    }

    /// `person`, kept only when it says something.
    pub fn details_of(person: Person) -> Option<Box<Person>> {
        (person != NOBODY).then(|| Box::new(person))
    }
}

/// The text of a roster file that its members point into: the file's name
/// and the rows' lines, one after the other, held once for all of them.
#[derive(Debug, Default)]
pub struct RosterText {
    /// The file as the user named it.
    pub file: String,
    /// Every member's line, without line breaks, concatenated.
    pub lines: String,
    /// The sheet, for a roster read from a workbook.
    pub sheet: Option<crate::diagnostic::SheetPlace>,
}

/// Where a member is written. A member of the plan file keeps its whole
/// [`Location`]; a roster row keeps a few numbers into its file's
/// [`RosterText`] (a million rows would otherwise hold a million copies of
/// the file name and of their lines), and the location is built when a
/// message needs it.
#[derive(Clone, Debug)]
pub enum Origin {
    /// A location held as is.
    At(Box<Location>),
    /// A roster row: bytes `start..start + len` of the text's lines are the
    /// row's line `line`; `under` is the byte range underlined in it, and
    /// `column` the 1-based column shown (0: none).
    Row { text: Arc<RosterText>, start: u32, len: u32, line: u32, under: (u32, u32), column: u32 },
}

impl Origin {
    /// The location, for a message.
    pub fn location(&self) -> Location {
        match self {
            Origin::At(at) => (**at).clone(),
            Origin::Row { text, start, len, line, under, column } => {
                let (start, len) = (*start as usize, *len as usize);
                Location {
                    file: text.file.clone(),
                    line: *line as usize,
                    column: (*column > 0).then_some(*column as usize),
                    line_text: text.lines[start..start + len].to_string(),
                    underline: under.0 as usize..under.1 as usize,
                    style: crate::diagnostic::LocationStyle::Line,
                    sheet: text.sheet.clone(),
                }
            }
        }
    }

    /// The 1-based line it is on.
    pub fn line(&self) -> usize {
        match self {
            Origin::At(at) => at.line,
            Origin::Row { line, .. } => *line as usize,
        }
    }
}

impl From<Location> for Origin {
    fn from(at: Location) -> Origin {
        Origin::At(Box::new(at))
    }
}

impl PartialEq for Origin {
    fn eq(&self, other: &Origin) -> bool {
        self.location() == other.location()
    }
}

impl Eq for Origin {}

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
    /// `over_assign`: the members' targets add up to (1 + this) times their
    /// parent's (0.1 for `"10%"`), and where it is written.
    pub over_assign: Option<(Decimal, Location)>,
    /// Who carries the target on days a person is absent.
    pub vacancy: Vacancy,
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
        Split {
            by,
            default,
            within,
            origin,
            parent,
            roster: None,
            over_assign: None,
            vacancy: Vacancy::Share,
            within_index,
        }
    }

    /// The members under a parent (`None` for the first split).
    pub fn members_for(&self, parent: Option<&str>) -> Option<&MemberSet> {
        parent.and_then(|p| self.within_index.get(p)).map(|&i| &self.within[i].1).or(self.default.as_ref())
    }

    /// The index in [`Split::within`] of the members under `parent`, if
    /// `within` names it (found by hash, not by a search of `within`).
    pub fn within_position(&self, parent: &str) -> Option<usize> {
        self.within_index.get(parent).copied()
    }

    /// Every member name the split can produce, in order of first appearance.
    pub fn member_names(&self) -> Vec<&str> {
        self.names_where(|_| true)
    }

    /// How many names [`Split::member_names`] lists, without a table of
    /// them all: a roster of a million people is counted by sorting its names.
    pub fn member_count(&self) -> usize {
        let sets: Vec<&MemberSet> = self.default.iter().chain(self.within.iter().map(|(_, s)| s)).collect();
        if let [one] = sets[..] {
            // Names are unique within a set.
            return one.members.len();
        }
        let mut names: Vec<&str> = sets.iter().flat_map(|s| s.members.iter().map(|m| m.name.as_str())).collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    }

    /// Member names that can receive a positive amount under some parent.
    pub fn receiving_names(&self) -> Vec<&str> {
        self.names_where(|m| match m.share {
            MemberShare::Weight(w) | MemberShare::Fixed(w) => w > Decimal::ZERO,
        })
    }

    /// Member names of split `d` of `splits` that can actually receive part
    /// of the target: a positive weight or fixed amount in a member set that
    /// some receiving parent uses. A member of the split's default set that
    /// every receiving parent replaces with its own `within` set receives
    /// nothing, and neither does a member under a parent that receives nothing.
    pub fn receiving_in(splits: &[Split], d: usize) -> Vec<&str> {
        let split = &splits[d];
        let parents: Vec<Option<&str>> = match split.parent {
            None => vec![None],
            Some(p) if p < d => Split::receiving_in(splits, p).into_iter().map(Some).collect(),
            Some(_) => return split.receiving_names(),
        };
        let mut seen = std::collections::HashSet::new();
        let mut used = std::collections::HashSet::new();
        let mut names = Vec::new();
        for parent in parents {
            let Some(set) = split.members_for(parent) else { continue };
            // A set is known by its place in `within` (`None`: the default members).
            if !used.insert(parent.and_then(|p| split.within_position(p))) {
                continue;
            }
            for m in &set.members {
                let positive = match m.share {
                    MemberShare::Weight(w) | MemberShare::Fixed(w) => w > Decimal::ZERO,
                };
                if positive && seen.insert(m.name.as_str()) {
                    names.push(m.name.as_str());
                }
            }
        }
        names
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
