//! Stage `plan`: reading a number out of a TOML value exactly. Integers and
//! strings are read digit for digit; a TOML float is read by its shortest
//! decimal form (so `1.2` is exactly 1.2), as the brief specifies.
//!
//! A number in a string may be written as people write amounts
//! ([`Number::from_written`]): with commas between thousands
//! (`"10,000,000"`), and with a unit (`"1000万"`, `"1.2亿"`, `"500k"`),
//! each read exactly. A unit that means different things to different
//! people (`M`: a thousand in some ledgers, a million in others) is refused,
//! never guessed.

use std::str::FromStr;

use rust_decimal::Decimal;
use toml::de::DeValue;

/// A number as written in a plan: plain (`1.2`, `10_000_000`, `"0.5"`) or a
/// percentage string (`"30%"`, kept as 30).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Number {
    /// A plain number.
    Plain(Decimal),
    /// A percentage: `"30%"` is `Percent(30)`.
    Percent(Decimal),
}

/// The most significant digits `rust_decimal` keeps exactly.
const MAX_DIGITS: u32 = 28;

/// The most decimal places of a percentage: its fraction has two more.
const PERCENT_DECIMALS: u32 = MAX_DIGITS - 2;

impl Number {
    /// The number's value (for a percentage, the number before the `%`).
    pub fn value(self) -> Decimal {
        match self {
            Number::Plain(d) | Number::Percent(d) => d,
        }
    }

    /// Reads a TOML value as a number; the error says what is wrong.
    pub fn from_toml(value: &DeValue<'_>) -> Result<Number, NumberProblem> {
        match value {
            DeValue::Integer(i) => {
                if i.radix() != 10 {
                    return Err(NumberProblem::Radix { radix: i.radix() });
                }
                parse_plain(i.as_str()).map(Number::Plain)
            }
            DeValue::Float(f) => {
                let text = f.as_str();
                if text.contains("nan") {
                    return Err(NumberProblem::NaN);
                }
                if text.contains("inf") {
                    return Err(NumberProblem::Infinity);
                }
                let float: f64 = text.parse().map_err(|_| NumberProblem::NotANumber { text: text.to_string() })?;
                // Rust prints an f64 as its shortest round-trip decimal, never with an exponent.
                // A float has at most 17 significant digits, so only its size can be refused;
                // say so about the number as written, not its long expansion.
                let shortest = parse_plain(&format!("{float}")).map_err(|_| {
                    if float.abs() >= 1.0 {
                        NumberProblem::TooLarge { text: text.to_string() }
                    } else {
                        NumberProblem::TooManyDecimals { text: text.to_string() }
                    }
                })?;
                // A float keeps about 16 significant digits: one written with
                // more (`0.12345678901234567890`, `1_000_000_000_000_000.01`)
                // would silently lose the rest, so it is refused, not rounded.
                if parse_plain(text).ok() != Some(shortest) {
                    let digits: String = text.chars().filter(|c| *c != '_').collect();
                    return Err(NumberProblem::FloatDigits { text: text.to_string(), shortest, digits });
                }
                Ok(Number::Plain(shortest))
            }
            DeValue::String(s) => Number::from_written(s),
            other => Err(NumberProblem::WrongType { found: describe(other) }),
        }
    }

    /// Reads an amount as people write it: anything [`Number::from_text`]
    /// reads, or digits with commas between thousands (`1,200,000.50`),
    /// followed, after optional spaces, by one unit: 千 or `k`/`K` (10^3),
    /// 万 (10^4), 十万 (10^5), 百万 (10^6), 千万 (10^7), 亿 (10^8), 万亿
    /// (10^12). `"1.2亿"` is exactly 120,000,000. The units `M`, `MM`,
    /// `mn`, `B`, `bn` (and their lower case) are refused as ambiguous.
    pub fn from_written(text: &str) -> Result<Number, NumberProblem> {
        let t = text.trim();
        if t.ends_with('%') {
            return Number::from_text(text);
        }
        let split = t.rfind(|c: char| c.is_ascii_digit() || c == '.').map_or(0, |i| i + 1);
        let (digits, unit) = (t[..split].trim_end(), t[split..].trim());
        if split == 0 || unit.is_empty() && !digits.contains(',') {
            return Number::from_text(text);
        }
        let power = match unit {
            "" => 0,
            "千" | "k" | "K" => 3,
            "万" => 4,
            "十万" => 5,
            "百万" => 6,
            "千万" => 7,
            "亿" => 8,
            "万亿" => 12,
            "M" | "m" | "MM" | "mm" | "mn" | "Mn" | "B" | "b" | "bn" | "Bn" => {
                return Err(NumberProblem::AmbiguousUnit { text: text.to_string(), unit: unit.to_string() })
            }
            _ => return Err(NumberProblem::NotANumber { text: text.to_string() }),
        };
        let number = match ungroup(digits) {
            Some(plain) => parse_plain(&plain),
            None if digits.contains(',') => return Err(NumberProblem::BadGrouping { text: text.to_string() }),
            // An exponent and a unit together (`1e3万`) is no way to write an amount.
            None => return Err(NumberProblem::NotANumber { text: text.to_string() }),
        }
        .map_err(|why| match why {
            NumberProblem::NotANumber { .. } => NumberProblem::NotANumber { text: text.to_string() },
            other => other,
        })?;
        let scaled = number
            .checked_mul(Decimal::from_i128_with_scale(10i128.pow(power), 0))
            .ok_or_else(|| NumberProblem::TooLarge { text: text.to_string() })?;
        Ok(Number::Plain(scaled.normalize()))
    }

    /// Reads `"30%"`, `"1.5"`, `"1_000"`, `"1e3"`: text from a string or a CSV field.
    pub fn from_text(text: &str) -> Result<Number, NumberProblem> {
        let t = text.trim();
        if t.is_empty() {
            return Err(NumberProblem::Empty);
        }
        if let Some(p) = t.strip_suffix('%') {
            let percent = parse_plain(p.trim()).map_err(|why| match why {
                NumberProblem::TooManyDigits { .. }
                | NumberProblem::TooManyDecimals { .. }
                | NumberProblem::TooLarge { .. } => why,
                _ => NumberProblem::NotAPercentage { text: text.to_string() },
            })?;
            // A percentage is used as a fraction (30% is 0.3): two more decimal
            // places, which must still be exact (0.0000000000000000000000000001%
            // would silently become 0).
            if percent.normalize().scale() > PERCENT_DECIMALS {
                return Err(NumberProblem::PercentDecimals { text: text.to_string() });
            }
            return Ok(Number::Percent(percent));
        }
        parse_plain(t).map(Number::Plain)
    }
}

/// Why one group of sibling weights cannot be used together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum GroupProblem {
    /// Some weights are percentages and some are not (first of each shown).
    Mixed {
        /// The first percentage, as written (`30%`).
        percent: String,
        /// The first plain number, as written.
        plain: String,
    },
    /// The percentages do not add up to 100.
    PercentSum {
        /// `30% + 40% + 25% = 95%`
        arithmetic: String,
        /// `95%`
        total: String,
        /// How many percentages `arithmetic` adds.
        terms: usize,
    },
}

impl GroupProblem {
    /// The problem as a sentence about `what`, a plural ("the weights of split `product`").
    pub(super) fn message(&self, what: &str) -> String {
        match self {
            GroupProblem::Mixed { percent, plain } => {
                format!("{what} mix percentages ({percent}) and relative numbers ({plain})")
            }
            GroupProblem::PercentSum { total, .. } => format!("{what} add up to {total}, not 100%"),
        }
    }

    /// The arithmetic behind the problem, if any.
    pub(super) fn note(&self) -> Option<&str> {
        match self {
            // One percentage is its own sum: `30% = 30%` says nothing.
            GroupProblem::PercentSum { arithmetic, terms, .. } if *terms > 1 => Some(arithmetic),
            GroupProblem::Mixed { .. } | GroupProblem::PercentSum { .. } => None,
        }
    }

    /// What would fix it.
    pub(super) fn help(&self) -> &'static str {
        match self {
            GroupProblem::Mixed { .. } => "write every weight as a percentage, or every weight as a plain number",
            GroupProblem::PercentSum { .. } => {
                "make the percentages add up to exactly 100%, or write relative weights without %"
            }
        }
    }
}

/// Checks that sibling weights are all plain, or all percentages adding up
/// to exactly 100%.
pub(super) fn check_group(numbers: &[Number]) -> Result<(), GroupProblem> {
    let first_percent = numbers.iter().find(|n| matches!(n, Number::Percent(_)));
    let first_plain = numbers.iter().find(|n| matches!(n, Number::Plain(_)));
    match (first_percent, first_plain) {
        (Some(pc), Some(pl)) => Err(GroupProblem::Mixed { percent: pc.to_string(), plain: pl.to_string() }),
        (Some(_), None) => {
            let sum = numbers.iter().try_fold(Decimal::ZERO, |acc, n| acc.checked_add(n.value()));
            if sum == Some(Decimal::ONE_HUNDRED) {
                return Ok(());
            }
            let total = sum.map_or_else(|| "too much".to_string(), |s| format!("{}%", s.normalize()));
            let terms: Vec<String> = numbers.iter().map(std::string::ToString::to_string).collect();
            Err(GroupProblem::PercentSum {
                arithmetic: format!("{} = {total}", terms.join(" + ")),
                total,
                terms: terms.len(),
            })
        }
        _ => Ok(()),
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Plain(d) => write!(f, "{d}"),
            Number::Percent(d) => write!(f, "{d}%"),
        }
    }
}

/// `digits` without its thousands separators, when it is a plain decimal
/// whose commas (if any) each stand before a group of three digits of the
/// whole part: `1,200,000.50` is `1200000.50`; `1,20` and `1.000,5` are not
/// amounts. `None` also for an exponent, which no one writes beside a unit.
fn ungroup(digits: &str) -> Option<String> {
    let unsigned = digits.strip_prefix(['-', '+']).unwrap_or(digits);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit() || c == '_');
    if !all_digits(fraction) {
        return None;
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped = groups.len() == 1 && all_digits(whole)
        || (1..=3).contains(&groups[0].len())
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
            && groups[1..].iter().all(|g| g.len() == 3);
    grouped.then(|| digits.replace(',', ""))
}

fn parse_plain(text: &str) -> Result<Decimal, NumberProblem> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("nan") {
        return Err(NumberProblem::NaN);
    }
    if lower.contains("inf") {
        return Err(NumberProblem::Infinity);
    }
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    // Decimal's parser recurses per digit: a number of thousands of digits
    // (leading zeros, say) is refused before it can exhaust the stack.
    if clean.len() > 100 {
        return Err(NumberProblem::TooLong { chars: clean.len() });
    }
    let valid = !clean.is_empty()
        && clean.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && clean.chars().any(|c| c.is_ascii_digit());
    let not_a_number = || NumberProblem::NotANumber { text: text.to_string() };
    if !valid {
        return Err(not_a_number());
    }
    let mut halves = clean.splitn(2, ['e', 'E']);
    let mantissa = halves.next().unwrap_or("");
    let exponent: i64 = match halves.next() {
        None => 0,
        Some(e) => e.parse().map_err(|_| not_a_number())?,
    };
    let significant = mantissa.chars().filter(char::is_ascii_digit).skip_while(|c| *c == '0').count();
    if significant > MAX_DIGITS as usize {
        return Err(NumberProblem::TooManyDigits { text: text.to_string(), significant });
    }
    // Decimal places beyond 28 would be rounded away silently (1e-30 would
    // become 0), so they are refused, not rounded.
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.trim_end_matches('0').len());
    let decimals = i64::try_from(decimals).expect("a number's text is shorter than 2^63 bytes");
    if significant > 0 && decimals.saturating_sub(exponent) > i64::from(MAX_DIGITS) {
        return Err(NumberProblem::TooManyDecimals { text: text.to_string() });
    }
    let parsed = if clean.contains(['e', 'E']) { Decimal::from_scientific(&clean) } else { Decimal::from_str(&clean) };
    // `-0` becomes plain zero so that it is never shown with a sign.
    parsed
        .map(|d| if d.is_zero() { Decimal::ZERO } else { d })
        .map_err(|_| NumberProblem::TooLarge { text: text.to_string() })
}

/// Why text or a TOML value is not a number salesplit can use. Its
/// `Display` is the reason in words (`` `abc` is not a number``); callers
/// pick their help by variant, never by the wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberProblem {
    /// An integer written in another base (`0xff`).
    Radix {
        /// 2, 8 or 16.
        radix: u32,
    },
    /// `nan`.
    NaN,
    /// `inf`.
    Infinity,
    /// Text that is not a number.
    NotANumber {
        /// As written.
        text: String,
    },
    /// Text ending in `%` whose number is not one.
    NotAPercentage {
        /// As written.
        text: String,
    },
    /// A TOML value that is not a number nor a string (a boolean, a table).
    WrongType {
        /// Its kind in words, from [`describe`].
        found: &'static str,
    },
    /// An empty string or cell.
    Empty,
    /// More characters than any number salesplit can hold.
    TooLong {
        /// How many, without `_` separators.
        chars: usize,
    },
    /// More than 28 significant digits.
    TooManyDigits {
        /// As written.
        text: String,
        /// How many.
        significant: usize,
    },
    /// More than 28 decimal places (would be rounded away).
    TooManyDecimals {
        /// As written.
        text: String,
    },
    /// Beyond what `Decimal` holds.
    TooLarge {
        /// As written.
        text: String,
    },
    /// A TOML float written with more digits than a float keeps.
    FloatDigits {
        /// As written.
        text: String,
        /// What the float would be read as.
        shortest: Decimal,
        /// The digits as written, without `_`, for the quoted form.
        digits: String,
    },
    /// A percentage whose fraction (÷ 100) would have more than 28 decimal places.
    PercentDecimals {
        /// As written.
        text: String,
    },
    /// Commas that are not thousands separators (`1,20`, `1,000.000,5`).
    BadGrouping {
        /// As written.
        text: String,
    },
    /// An amount with a unit that means different things to different
    /// people (`5M`: a thousand or a million).
    AmbiguousUnit {
        /// As written.
        text: String,
        /// The unit, as written.
        unit: String,
    },
}

impl NumberProblem {
    /// The kind of problem, for the diagnostic's code.
    pub fn code(&self) -> crate::diagnostic::Code {
        use crate::diagnostic::Code;
        match self {
            NumberProblem::WrongType { .. } => Code::WrongType,
            NumberProblem::TooLong { .. }
            | NumberProblem::TooManyDigits { .. }
            | NumberProblem::TooManyDecimals { .. }
            | NumberProblem::TooLarge { .. }
            | NumberProblem::FloatDigits { .. }
            | NumberProblem::PercentDecimals { .. } => Code::TooPrecise,
            NumberProblem::Radix { .. }
            | NumberProblem::NaN
            | NumberProblem::Infinity
            | NumberProblem::NotANumber { .. }
            | NumberProblem::NotAPercentage { .. }
            | NumberProblem::BadGrouping { .. }
            | NumberProblem::AmbiguousUnit { .. }
            | NumberProblem::Empty => Code::NotANumber,
        }
    }
}

impl std::fmt::Display for NumberProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NumberProblem::Radix { radix } => write!(f, "write the number in decimal digits, not base {radix}"),
            NumberProblem::NaN => f.write_str("NaN is not a number salesplit can share"),
            NumberProblem::Infinity => f.write_str("infinity is not a number salesplit can share"),
            NumberProblem::NotANumber { text } => write!(f, "`{text}` is not a number"),
            NumberProblem::NotAPercentage { text } => write!(f, "`{text}` is not a percentage; write it like \"30%\""),
            NumberProblem::WrongType { found } => write!(f, "expected a number, found {found}"),
            NumberProblem::Empty => f.write_str("the value is empty; write a number"),
            NumberProblem::TooLong { chars } => {
                write!(f, "it has {chars} characters, more than any number salesplit can hold")
            }
            NumberProblem::TooManyDigits { text, significant } => write!(
                f,
                "`{text}` has {significant} significant digits; salesplit computes exactly with at most {MAX_DIGITS}"
            ),
            NumberProblem::TooManyDecimals { text } => write!(
                f,
                "`{text}` has more than {MAX_DIGITS} decimal places; salesplit computes exactly with at most {MAX_DIGITS}"
            ),
            NumberProblem::TooLarge { text } => {
                write!(f, "`{text}` is too large for exact arithmetic (the limit is about 7.9 × 10^28)")
            }
            NumberProblem::FloatDigits { text, shortest, digits } => write!(
                f,
                "`{text}` has more digits than a TOML float keeps (it would be read as {shortest}); \
                 write it in quotes, \"{digits}\", to keep every digit"
            ),
            NumberProblem::BadGrouping { text } => {
                write!(f, "`{text}` is not a number; a comma may only separate thousands, as in 1,200,000.50")
            }
            NumberProblem::AmbiguousUnit { text, unit } => write!(
                f,
                "`{text}` is ambiguous: `{unit}` means a thousand in some ledgers and a million (or a billion) in \
                 others; write the digits, or a unit that says it (k, 万, 百万, 亿)"
            ),
            NumberProblem::PercentDecimals { text } => write!(
                f,
                "`{text}` has more than {PERCENT_DECIMALS} digits after the point, so as a fraction (÷ 100) it has \
                 more than {MAX_DIGITS}; salesplit computes exactly with at most {MAX_DIGITS}: write a percentage \
                 with at most {PERCENT_DECIMALS} digits after the point"
            ),
        }
    }
}

/// A TOML value's kind in words, for "expected X, found Y".
pub(super) fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Number, String> {
        let doc = toml::de::DeTable::parse(src).unwrap();
        let v = doc.get_ref().iter().next().unwrap().1.get_ref().clone();
        Number::from_toml(&v).map_err(|e| e.to_string())
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_numbers_exactly() {
        assert_eq!(parse("x = 10_000_000"), Ok(Number::Plain(dec("10000000"))));
        assert_eq!(parse("x = 1.2"), Ok(Number::Plain(dec("1.2"))));
        assert_eq!(parse("x = 0.1"), Ok(Number::Plain(dec("0.1"))));
        assert_eq!(parse("x = 1e3"), Ok(Number::Plain(dec("1000"))));
        assert_eq!(parse("x = \"30%\""), Ok(Number::Percent(dec("30"))));
        assert_eq!(parse("x = \"12.5 %\""), Ok(Number::Percent(dec("12.5"))));
        assert_eq!(parse("x = \"0.12345678901234567890\""), Ok(Number::Plain(dec("0.12345678901234567890"))));
        assert_eq!(parse("x = -3"), Ok(Number::Plain(dec("-3"))));
    }

    #[test]
    fn checks_sibling_groups() {
        let pct = |s: &str| Number::Percent(dec(s));
        assert_eq!(check_group(&[pct("30"), pct("40"), pct("30")]), Ok(()));
        let err = check_group(&[pct("30"), pct("40"), pct("25")]).unwrap_err();
        assert_eq!(err.note(), Some("30% + 40% + 25% = 95%"));
        assert_eq!(err.message("weights"), "weights add up to 95%, not 100%");
        let err = check_group(&[Number::Plain(dec("2")), pct("40")]).unwrap_err();
        assert_eq!(err.message("weights"), "weights mix percentages (40%) and relative numbers (2)");
        assert_eq!(check_group(&[Number::Plain(dec("2")), Number::Plain(dec("0"))]), Ok(()));
    }

    #[test]
    fn refuses_what_is_not_exact() {
        assert_eq!(parse("x = nan"), Err("NaN is not a number salesplit can share".to_string()));
        assert_eq!(parse("x = inf"), Err("infinity is not a number salesplit can share".to_string()));
        assert_eq!(parse("x = \"abc\""), Err("`abc` is not a number".to_string()));
        assert!(parse("x = \"0.12345678901234567890123456789\"").unwrap_err().contains("29 significant digits"));
        assert!(parse("x = \"99999999999999999999999999999\"").unwrap_err().contains("29 significant digits"));
        assert_eq!(parse("x = true"), Err("expected a number, found a boolean".to_string()));
        assert_eq!(parse("x = 0xff"), Err("write the number in decimal digits, not base 16".to_string()));
        // Too small to keep is refused, not rounded to zero.
        assert!(parse("x = 1e-30").unwrap_err().contains("`1e-30` has more than 28 decimal places"));
        assert!(parse("x = \"1e-29\"").unwrap_err().contains("more than 28 decimal places"));
        assert!(parse("x = \"0.0000000000000000000000000000001\"").unwrap_err().contains("decimal places"));
        assert_eq!(parse("x = \"1e-28\""), Ok(Number::Plain(dec("0.0000000000000000000000000001"))));
        assert!(parse("x = 1e30").unwrap_err().contains("`1e30` is too large"));
    }

    #[test]
    fn floats_keep_every_digit_written_or_are_refused() {
        assert_eq!(parse("x = 0.30000000000000004"), Ok(Number::Plain(dec("0.30000000000000004"))));
        assert_eq!(parse("x = 1_000.25"), Ok(Number::Plain(dec("1000.25"))));
        assert_eq!(parse("x = 1e20"), Ok(Number::Plain(dec("100000000000000000000"))));
        assert_eq!(parse("x = 1E-20"), Ok(Number::Plain(dec("0.00000000000000000001"))));
        assert_eq!(parse("x = 1.000"), Ok(Number::Plain(dec("1"))));
        assert_eq!(
            parse("x = 1_000_000_000_000_000.01"),
            Err("`1000000000000000.01` has more digits than a TOML float keeps (it would be read as \
                 1000000000000000); write it in quotes, \"1000000000000000.01\", to keep every digit"
                .to_string())
        );
        for dropped in ["0.12345678901234567890", "0.30000000000000001", "0.1234567890123456789012345678901"] {
            let err = parse(&format!("x = {dropped}")).unwrap_err();
            assert!(err.contains("more digits than a TOML float keeps"), "{dropped}: {err}");
        }
    }

    #[test]
    fn amounts_read_as_people_write_them() {
        let plain = |s: &str| Ok(Number::Plain(dec(s)));
        assert_eq!(parse("x = \"10,000,000\""), plain("10000000"));
        assert_eq!(parse("x = \"1,200,000.50\""), plain("1200000.5"));
        assert_eq!(parse("x = \"1000万\""), plain("10000000"));
        assert_eq!(parse("x = \"1.2亿\""), plain("120000000"));
        assert_eq!(parse("x = \"500k\""), plain("500000"));
        assert_eq!(parse("x = \"8.5 万\""), plain("85000"));
        assert_eq!(parse("x = \"1,500 万\""), plain("15000000"));
        assert_eq!(parse("x = \"0.0001万\""), plain("1"));
        assert_eq!(parse("x = \"3千万\""), plain("30000000"));
        assert_eq!(parse("x = \"2万亿\""), plain("2000000000000"));
        assert_eq!(parse("x = \"-2.5K\""), plain("-2500"));
        assert_eq!(parse("x = \"1.23456789万\""), plain("12345.6789"));
        // Percentages and plain numbers as before.
        assert_eq!(parse("x = \"30%\""), Ok(Number::Percent(dec("30"))));
        assert_eq!(parse("x = \"1e3\""), plain("1000"));
    }

    #[test]
    fn amounts_that_could_mean_two_things_are_refused() {
        assert_eq!(
            parse("x = \"5M\""),
            Err("`5M` is ambiguous: `M` means a thousand in some ledgers and a million (or a billion) in others; \
                 write the digits, or a unit that says it (k, 万, 百万, 亿)"
                .to_string())
        );
        for bad in ["2MM", "3bn", "1.5m"] {
            assert!(matches!(Number::from_written(bad), Err(NumberProblem::AmbiguousUnit { .. })), "{bad}");
        }
        assert_eq!(
            parse("x = \"1,20\""),
            Err("`1,20` is not a number; a comma may only separate thousands, as in 1,200,000.50".to_string())
        );
        for bad in ["1,000.000,5", "1,0000", ",100", "1万2千", "1e3万", "万", "10 元", "1.2.3万", "1,2万"] {
            assert!(Number::from_written(bad).is_err(), "{bad}");
        }
        assert!(matches!(Number::from_written("1万2千"), Err(NumberProblem::NotANumber { .. })));
        assert!(matches!(Number::from_written("99999999999999999999999亿"), Err(NumberProblem::TooLarge { .. })));
    }

    proptest::proptest! {
        /// Any amount, written with commas between thousands and with each
        /// unit, reads back exactly as the plain digits times the unit.
        #[test]
        fn written_amounts_read_back_exactly(units in 0u64..10_000_000_000_000, cents in 0u32..100, unit in 0usize..8) {
            let (word, power) = [("", 0), ("k", 3), ("千", 3), ("万", 4), ("十万", 5), ("百万", 6), ("千万", 7), ("亿", 8)][unit];
            let plain = format!("{units}.{cents:02}");
            let grouped: String = {
                let digits = units.to_string();
                let mut out = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        out.push(',');
                    }
                    out.push(c);
                }
                format!("{out}.{cents:02}")
            };
            let want = dec(&plain) * Decimal::from(10u64.pow(power));
            proptest::prop_assert_eq!(Number::from_written(&format!("{plain}{word}")), Ok(Number::Plain(want.normalize())));
            proptest::prop_assert_eq!(Number::from_written(&format!("{grouped} {word}")), Ok(Number::Plain(want.normalize())));
        }
    }

    #[test]
    fn percentages_stay_exact_as_fractions() {
        // 26 digits after the point: the fraction has 28, exactly.
        let p = parse("x = \"12.34567890123456789012345678%\"").unwrap();
        assert_eq!(p, Number::Percent(dec("12.34567890123456789012345678")));
        assert_eq!(p.value() / Decimal::ONE_HUNDRED, dec("0.1234567890123456789012345678"));
        assert_eq!(parse("x = \"1.000000000000000000000000000%\""), Ok(Number::Percent(dec("1"))));
        for bad in ["0.0000000000000000000000000001%", "0.000000000000000000000000001%", "1e-27%"] {
            let err = Number::from_text(bad).unwrap_err().to_string();
            assert!(err.contains("more than 26 digits after the point"), "{bad}: {err}");
        }
        assert!(Number::from_text("1e-30%").unwrap_err().to_string().contains("more than 28 decimal places"));
        assert!(matches!(Number::from_text("x%"), Err(NumberProblem::NotAPercentage { .. })));
        assert!(matches!(Number::from_text("1e-30%"), Err(NumberProblem::TooManyDecimals { .. })));
    }
}
