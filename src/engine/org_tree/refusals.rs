//! Stage `engine`: what sharing the org tree refuses, in words — a parent
//! with nobody to share among, shares that cannot be rounded (fixed amounts
//! above the parent's share, caps and floors that cannot be met), amounts
//! too large to compute exactly. Only the build finds these: they need the
//! shared figures.

use dashu_int::UBig;
use rust_decimal::Decimal;

use super::{exact_amount, raise, units_text};
use crate::allocate::{AllocError, Exact};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::plan::Units;
use crate::plan::{MemberSet, MemberShare, Plan, Split};

/// Over-assignment makes metric `metric` add up to more than salesplit can
/// write (an amount is a `Decimal`, at most 2^96 - 1 units of its last
/// digit). `sum` is the leaves' sum in units when it was computed.
pub(super) fn too_large(plan: &Plan, metric: usize, sum: Option<u128>) -> Diagnostic {
    let m = &plan.metrics[metric];
    let precision = plan.precision_of(m);
    let splits: Vec<(&Split, Decimal, &Location)> =
        plan.splits.iter().filter_map(|s| s.over_assign.as_ref().map(|(rate, at)| (s, *rate, at))).collect();
    let percent = |rate: Decimal| {
        let factor = rate.checked_add(Decimal::ONE).and_then(|f| f.checked_mul(Decimal::ONE_HUNDRED));
        factor.map_or_else(|| format!("(1 + {rate})"), |f| format!("{}%", f.normalize()))
    };
    let on = if let [(split, rate, _)] = &splits[..] {
        let written = rate.checked_mul(Decimal::ONE_HUNDRED).map_or(*rate, |p| p.normalize());
        format!("over_assign = \"{written}%\" on split `{}`", split.by)
    } else {
        let names: Vec<String> = splits.iter().map(|(s, r, _)| format!("`{}` ({})", s.by, percent(*r))).collect();
        format!("over_assign on splits {}", names.join(", "))
    };
    let total = Exact::from_units(plan.units_of(m).0);
    let exact = splits.iter().fold(total.clone(), |e, (_, rate, _)| e.times(&raise(*rate)));
    let total = exact_amount(&total, precision);
    let reached = match sum {
        Some(units) => units_text(&UBig::from(units), precision),
        None => exact_amount(&exact, precision),
    };
    let factors: Vec<String> = splits.iter().map(|(_, rate, _)| percent(*rate)).collect();
    let what = match m.kind {
        crate::plan::MetricKind::Count => "counts".to_string(),
        _ => format!("at precision {precision} amounts"),
    };
    let verb = if splits.len() == 1 { "makes" } else { "make" };
    let mut d = Diagnostic::new(
        Code::TooLarge,
        format!("{on} {verb} `{}` add up to {reached}, more than salesplit can compute exactly", m.name),
    );
    if let Some((_, _, at)) = splits.first() {
        d = d.at((*at).clone());
    }
    d.note(format!(
        "{total} × {} = {}, but {what} can be at most {}",
        factors.join(" × "),
        exact_amount(&exact, precision),
        units_text(&UBig::from(precision.max_units().0), precision)
    ))
    .help(format!("lower `over_assign` or the target `{}`, or use a coarser precision", m.name))
}

pub(super) fn no_members(split: &Split, parent: Option<&str>) -> Diagnostic {
    Diagnostic::new(
        Code::NoMembers,
        format!(
            "`{}` has a share of the target but split `{}` gives it no members",
            parent.unwrap_or("the company"),
            split.by
        ),
    )
    .at(split.origin.clone())
    .note("with nobody to share it, that share of the target would be lost")
    .help(format!(
        "add `weights` to split `{}`, or a [split.within] table for `{}`",
        split.by,
        parent.unwrap_or("it")
    ))
}

pub(super) fn alloc_error(
    plan: &Plan,
    split: &Split,
    set: &MemberSet,
    parent: Option<&str>,
    e: AllocError,
) -> Diagnostic {
    let p = plan.precision;
    let under = parent.map(|p| format!(" under `{p}`")).unwrap_or_default();
    // What the parent is: the whole target, or a member's share of it.
    let whole_name = match parent {
        Some(name) => format!("`{name}`'s share"),
        None => format!("the target `{}`", plan.metrics[plan.reference()].name),
    };
    let amount = |units: u128| p.to_amount(Units(units)).to_string();
    let fixed: Vec<u128> = set
        .members
        .iter()
        .filter_map(|m| match m.share {
            MemberShare::Fixed(a) => p.to_units(a).map(|Units(u)| u),
            MemberShare::Weight(_) => None,
        })
        .collect();
    let terms: Vec<String> = fixed.iter().map(|units| amount(*units)).collect();
    let at = set.origin.clone();
    let or_more = match parent {
        Some(name) => format!("give `{name}` a larger share"),
        None => "raise the target".to_string(),
    };
    match e {
        AllocError::FixedOverParent { fixed: sum, parent: whole } => {
            let whole = exact_amount(&whole, p);
            Diagnostic::new(
                Code::FixedOverParent,
                format!("split `{}`{under}: the fixed amounts add up to more than there is to share", split.by),
            )
            .at(at)
            .note(format!("{} = {}, but {whole_name} is {whole}", terms.join(" + "), amount(sum)))
            .help(format!("lower the fixed amounts to {whole} or less in all, or {or_more}"))
        }
        AllocError::NothingToWeigh { rest } => {
            let sum: u128 = fixed.iter().sum();
            let whole = Exact::new(rest.num() + UBig::from(sum) * rest.den(), rest.den().clone());
            let (whole, rest) = (exact_amount(&whole, p), exact_amount(&rest, p));
            Diagnostic::new(Code::AllWeightsZero, format!(
                "split `{}`{under}: {rest} is left after the fixed amounts, but no member has a positive weight to share it",
                split.by
            ))
            .at(at)
            .note(format!("{whole} ({whole_name}) - {} = {rest}", terms.join(" - ")))
            .help(format!(
                "give a member a positive weight in `weights`, or make the fixed amounts add up to {whole}"
            ))
        }
        AllocError::Overflow => Diagnostic::new(
            Code::TooLarge,
            format!("split `{}`{under}: the amounts are too large to compute exactly", split.by),
        )
        .at(set.origin.clone())
        .help("lower the target or use a coarser precision"),
    }
}
