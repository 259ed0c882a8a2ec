//! Stage `plan`, phase 1: a metric's figure for the year, as `[target]`
//! writes it — an amount's total (a multiple of the precision), a count's
//! whole total, or a level's `value` and `path`.

use crate::diagnostic::Code;
use rust_decimal::Decimal;

use super::advice::toml_key;
use super::{Reader, Value};
use crate::plan::number::Number;
use crate::plan::{LevelTarget, Precision};

impl Reader<'_> {
    /// A level's `value` and `path`.
    pub(super) fn level_target(
        &mut self,
        name: &str,
        value: &Value<'_>,
        path: Option<&Value<'_>>,
    ) -> Option<LevelTarget> {
        let example = "a percentage such as \"5%\" or a number such as 4.5";
        let read = |this: &mut Self, v: &Value<'_>, what: &str| match this.number(v, what, example)? {
            Number::Percent(p) => Some((p / Decimal::ONE_HUNDRED, true)),
            Number::Plain(d) => Some((d, false)),
        };
        let (year, percent) = read(self, value, &format!("level `{name}`"))?;
        let mut entries = Vec::new();
        let mut ok = true;
        if let Some(pv) = path {
            let table = self.table(pv, "path")?;
            for (k, v) in table {
                let label = k.get_ref().to_string();
                let Some((level, p)) = read(self, v, &format!("level `{name}` in {label}")) else {
                    ok = false;
                    continue;
                };
                if p != percent {
                    let (is, isnt) =
                        if percent { ("percentages", "a plain number") } else { ("plain numbers", "a percentage") };
                    self.error(
                        Code::LevelMixed,
                        v.span(),
                        format!(
                            "level `{name}` in {label} is {isnt}, but its `value` is written as a {}",
                            is.trim_end_matches('s')
                        ),
                        format!("write every value of `{name}` as {is}"),
                    );
                    ok = false;
                    continue;
                }
                entries.push((label, level, self.loc(k.span())));
            }
        }
        ok.then_some(LevelTarget { value: year, percent, path: entries })
    }

    /// An amount's annual total: zero or more, a multiple of the precision.
    pub(super) fn amount_total(
        &mut self,
        name: &str,
        value: &Value<'_>,
        precision: Option<Precision>,
    ) -> Option<Decimal> {
        let total = match self.number(
            value,
            &format!("target `{name}`"),
            "an amount such as 10_000_000 or \"1250000.50\"",
        )? {
            Number::Plain(d) => d,
            Number::Percent(_) => {
                self.error(Code::PercentageNotAllowed,
                        value.span(),
                        format!("target `{name}` is a percentage; it must be an amount"),
                        format!(
                            "write the annual total, e.g. `{key} = 10_000_000`, or make it a level: a `[target.{key}]` table with `kind = \"level\"`",
                            key = toml_key(name)
                        ),
                    );
                return None;
            }
        };
        if total.is_sign_negative() {
            self.error(
                Code::Negative,
                value.span(),
                format!("target `{name}` is negative ({total})"),
                "write the annual total as zero or more",
            );
            return None;
        }
        if let Some(p) = precision {
            if p.to_units(total).is_none() {
                let what = format!("target `{name}` = {total}");
                self.not_a_multiple(value.span(), &what, total, p, "the total", ", or use a finer precision");
                return None;
            }
        }
        Some(total)
    }

    /// A count's annual total: a whole number, zero or more.
    pub(super) fn count_total(&mut self, name: &str, value: &Value<'_>) -> Option<Decimal> {
        let total = self.number(value, &format!("count `{name}`"), "a whole number such as 100")?;
        match total {
            Number::Plain(d) if !d.is_sign_negative() && d.fract().is_zero() => Some(d.trunc().normalize()),
            _ => {
                self.error(
                    Code::NotWhole,
                    value.span(),
                    format!("count `{name}` = {total} is not a whole number of zero or more"),
                    "a count is whole units (customers, calls): write it as a whole number, e.g. `total = 100`",
                );
                None
            }
        }
    }
}
