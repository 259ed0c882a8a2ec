//! Stage `render`: decimals as text, exactly as `Decimal`'s `Display` writes
//! them (every digit of the scale kept: `1500000.00`, `0.045`, `-6879.34`),
//! without going through the formatting machinery — amounts are written
//! millions of times per run.

use rust_decimal::Decimal;

/// Appends `d` to `out`, the same text as `d.to_string()`.
///
/// # Panics
///
/// Never: the text is ASCII digits, a point and a sign.
pub fn push_decimal(out: &mut String, d: Decimal) {
    let mantissa = d.mantissa();
    let scale = d.scale() as usize;
    // The text, built backwards from its last digit into a stack buffer:
    // at most 29 digits, a point, a leading zero and a sign.
    let mut text = [0u8; 48];
    let mut at = text.len();
    let mut digit = |d: u8, at: &mut usize, written: &mut usize| {
        if *written == scale && scale > 0 {
            *at -= 1;
            text[*at] = b'.';
        }
        *at -= 1;
        text[*at] = b'0' + d;
        *written += 1;
    };
    let mut written = 0;
    // A machine word's division is one instruction, a `u128`'s a library
    // call: the digits beyond a word's reach (rare) go first, the rest in one.
    let mut wide = mantissa.unsigned_abs();
    while wide > u128::from(u64::MAX) {
        digit((wide % 10) as u8, &mut at, &mut written);
        wide /= 10;
    }
    let mut n = u64::try_from(wide).expect("below u64::MAX");
    loop {
        digit((n % 10) as u8, &mut at, &mut written);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // At least one digit before the point: 0.045 is "0" then "045".
    while written <= scale {
        digit(0, &mut at, &mut written);
    }
    if mantissa < 0 {
        at -= 1;
        text[at] = b'-';
    }
    out.push_str(std::str::from_utf8(&text[at..]).expect("digits, a point and a sign are ASCII"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(d: Decimal) -> String {
        let mut s = String::new();
        push_decimal(&mut s, d);
        s
    }

    #[test]
    fn writes_like_display() {
        for s in ["0", "0.00", "1500000.00", "0.045", "-6879.34", "-0.05", "5", "100", "1.0313", "-1"] {
            let d: Decimal = s.parse().unwrap();
            assert_eq!(text(d), d.to_string(), "{s}");
        }
    }

    proptest! {
        #[test]
        fn any_decimal_as_display(m in any::<i64>(), scale in 0u32..=20) {
            let d = Decimal::new(m, scale);
            prop_assert_eq!(text(d), d.to_string());
        }

        #[test]
        fn any_wide_decimal_as_display(lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(), negative: bool, scale in 0u32..=28) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            prop_assert_eq!(text(d), d.to_string());
        }
    }
}
