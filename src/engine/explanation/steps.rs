//! Stage `engine`: what an explanation says — its steps, what each step's
//! share rests on and how it was rounded — as the engine works it out and
//! renderers format it.

use rust_decimal::Decimal;

use crate::allocate::Exact;
use crate::plan::Precision;

/// What a step's share rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The plan's total.
    Total,
    /// A relative weight among siblings (a percentage is its number).
    Weight {
        /// This member's weight.
        weight: Decimal,
        /// The weights of the siblings sharing the same amount, this one included.
        siblings: Decimal,
        /// `weight / siblings`, the share of what the siblings share (0 when they all weigh 0).
        share: Decimal,
    },
    /// A fixed amount (`fixed`), taken off the top.
    Fixed(Decimal),
    /// A held period (`[time.fixed]`): this member's share of the hold.
    Held(Decimal),
    /// A metric that follows the reference metric's mix across the org:
    /// this member's share of the reference's exact amount under the parent.
    Mix {
        /// The reference metric's name.
        metric: String,
        /// The share, rounded to 28 digits for showing only.
        share: Decimal,
    },
    /// `over_assign`: the parent's amount raised by this rate (0.1 = 10%)
    /// before its members share it.
    OverAssign(Decimal),
    /// A funnel stage's year at an org leaf, worked back from its money: one
    /// line per stage up to this one (`deals = ceil(300,000 sales / deal size 10,000 / 100%) = 30`).
    Funnel(Vec<String>),
    /// A period of a person in seat part of the year (or ramping up): its
    /// share of their figure follows their days in seat (shown rounded).
    InSeat(Decimal),
    /// A person whose dates, ramp, cap or floor shaped their share.
    Person {
        /// Their weight in the roster.
        weight: Decimal,
        /// Their share of the parent from weight, days in seat and ramp,
        /// before caps and floors (shown rounded; the exact value is exact).
        share: Decimal,
        /// What shaped it, in words (`in seat from 2026-05-18`, `capped at 500,000.00`).
        reasons: Vec<String>,
        /// What caps and floors then did (`capped at 500,000.00`, or the
        /// team's common factor), if anything.
        adjustment: Option<String>,
    },
}

/// How a step was rounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rounding {
    /// The exact value is a whole number of units.
    Exact,
    /// Rounded up: its fraction ranked `rank` (1 = largest) among the
    /// `fractions` siblings with one, and `leftover` units went to the largest.
    Up { rank: usize, fractions: usize, leftover: u128 },
    /// Rounded down, for the same reasons.
    Down { rank: usize, fractions: usize, leftover: u128 },
    /// Rounded together with every other member so that a hold is kept.
    Held { up: bool },
    /// Rounded to the nearer unit, halves up (an over-assigned parent).
    Nearest { up: bool },
    /// A count rounded together with every other member so that the
    /// company's quarters and months stay the count's own cascade.
    Together { up: bool },
    /// Contract v2: rounded the other way than its fraction's rank alone
    /// would give, so that `node`'s figure of the period (the sum over its
    /// members) is the floor or ceiling of its own exact share.
    CrossCut { up: bool, node: String },
}

/// One step of the cascade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The dimension or time level (`region`, `quarter`).
    pub level: String,
    /// The member or period (`华东`, `2026-Q1`).
    pub member: String,
    /// What the share rests on.
    pub basis: Basis,
    /// The parent's figure, rounded, as an amount.
    pub parent: Decimal,
    /// The parent's exact value, in units: the share applies to it.
    pub parent_exact: Exact,
    /// The exact value, in units (a fraction).
    pub exact: Exact,
    /// The rounded figure, as an amount.
    pub figure: Decimal,
    /// Why it was rounded as it was.
    pub rounding: Rounding,
    /// `parent_exact` as an amount, in digits for showing: up to six more
    /// decimals than the plan's, then `…` when it goes on (`284810.126582…`).
    pub parent_digits: String,
    /// `exact` as an amount, in digits for showing, as `parent_digits`.
    pub exact_digits: String,
}

/// How one cell's figure was reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The metric's name.
    pub metric: String,
    /// The plan's currency (may be empty).
    pub currency: String,
    /// The plan's rounding unit.
    pub precision: Precision,
    /// (dimension, member) of the cell, then (`period`, label).
    pub cell: Vec<(String, String)>,
    /// The cell's figure.
    pub figure: Decimal,
    /// The steps from the total down to the cell; empty for a sum.
    pub steps: Vec<Step>,
    /// For a cell that is a sum of cascade cells (a region's March when the
    /// region is split further): the cells summed and their figures.
    pub sum_of: Vec<(Vec<String>, Decimal)>,
    /// The plan's split names, in cascade order (the dimensions of a
    /// `sum_of` path).
    pub splits: Vec<String>,
}
