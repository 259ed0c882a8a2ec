//! Stage `render`: decimals as text, exactly as `Decimal`'s `Display` writes
//! them (every digit of the scale kept: `1500000.00`, `0.045`, `-6879.34`),
//! without going through the formatting machinery — amounts are written
//! millions of times per run.

use rust_decimal::Decimal;

/// Appends `d` to `out`, the same text as `d.to_string()`.
pub fn push_decimal(out: &mut String, d: Decimal) {
    let mantissa = d.mantissa();
    let scale = d.scale() as usize;
    if mantissa < 0 {
        out.push('-');
    }
    // Digits of |mantissa|, least significant first, into a stack buffer.
    let mut digits = [0u8; 40];
    let mut n = mantissa.unsigned_abs();
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // At least one digit before the point: 0.045 is "0" then "045".
    let total = len.max(scale + 1);
    for i in (0..total).rev() {
        let digit = if i < len { digits[i] } else { b'0' };
        out.push(digit as char);
        if i == scale && scale > 0 {
            out.push('.');
        }
    }
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
    }
}
