use super::*;

fn amount(text: &str) -> Amount {
    let d: Decimal = text.parse().unwrap();
    Amount { mantissa: d.mantissa(), scale: d.scale() }
}

/// `d` as shown with at least `dp` decimals.
fn padded(mut d: Decimal, dp: u32) -> String {
    if d.scale() < dp {
        d.rescale(dp);
    }
    d.to_string()
}

#[test]
fn totals_add_as_decimals_do() {
    let texts = ["0", "0.00", "0.000", "1.5", "-1.5", "1.500", "-1.500", "2", "0.005", "-0.005", "12.34"];
    // Every sequence of three, folded from zero: same value and scale.
    for a in texts {
        for b in texts {
            for c in texts {
                let decimals: Decimal = [a, b, c].iter().map(|t| t.parse::<Decimal>().unwrap()).sum();
                let total = [a, b, c].iter().fold(Total::ZERO, |t, x| t.add(Total::of(amount(x))));
                let d = total.decimal();
                assert_eq!((d.to_string(), d.scale()), (decimals.to_string(), decimals.scale()), "{a} {b} {c}");
            }
        }
    }
}

#[test]
fn days_sum_as_decimals_do_with_the_plan_s_decimals() {
    // Amounts in any order, some finer than the plan (2 decimals): each
    // day reads back as the Decimal sum, shown with at least 2 decimals.
    let texts = ["1.5", "-1.5", "0.005", "-0.005", "3", "0", "0.000", "2.25", "-2.250", "100000000", "7.1"];
    for (i, a) in texts.iter().enumerate() {
        for b in texts {
            for c in texts.iter().skip(i % 3) {
                let mut daily = DailyActuals::new(3, 2, 1);
                let mut decimals = [Decimal::ZERO; 3];
                for (k, t) in [a, &b, c, &"1.25"].iter().enumerate() {
                    let day = k % 2;
                    assert!(daily.add(0, day, amount(t)));
                    decimals[day] += t.parse::<Decimal>().unwrap();
                }
                for (day, d) in decimals.iter().enumerate() {
                    assert_eq!(padded(daily.day(0, day).decimal(), 2), padded(*d, 2), "{a} {b} {c} day {day}");
                }
                let mut folded = [Total::ZERO; 3];
                daily.add_to(0, &mut folded);
                let days: Decimal = decimals.iter().sum();
                let total = folded.iter().fold(Total::ZERO, |t, d| t.add(*d)).decimal();
                assert_eq!(padded(total, 2), padded(days, 2), "{a} {b} {c}");
            }
        }
    }
}

#[test]
fn days_widen_when_their_sums_grow() {
    let mut daily = DailyActuals::new(2, 2, 2);
    for _ in 0..3 {
        assert!(daily.add(1, 1, amount("9000000.00")));
    }
    assert_eq!(daily.day(1, 1).decimal().to_string(), "27000000.00");
    assert!(matches!(daily.nodes[1].cells, Cells::Wide(_)));
    // Beyond 64 bits: Decimal sums.
    assert!(daily.add(1, 0, amount("99999999999999999999.5")));
    assert!(daily.add(1, 0, amount("0.25")));
    assert!(matches!(daily.nodes[1].cells, Cells::Exact(_)));
    assert_eq!(daily.day(1, 0).decimal().to_string(), "99999999999999999999.75");
    assert_eq!(daily.day(1, 1).decimal().to_string(), "27000000.00");
    // A day without sales reads as zero (at the plan's decimals, which is the same shown).
    assert_eq!(daily.day(0, 1).units, 0);
    let big = amount("79228162514264337593543950335");
    assert!(daily.add(0, 0, big));
    assert!(!daily.add(0, 0, big), "a sum beyond a Decimal is refused");
    let mut out = Vec::new();
    assert_eq!(daily.units(1, &mut out), None);
    assert_eq!(daily.decimals(1)[0].to_string(), "99999999999999999999.75");
}

#[test]
fn finer_amounts_rescale_a_node() {
    let mut daily = DailyActuals::new(2, 2, 1);
    assert!(daily.add(0, 0, amount("10.25")));
    assert!(daily.add(0, 1, amount("1.125")));
    let mut out = Vec::new();
    assert_eq!(daily.units(0, &mut out), Some(3));
    assert_eq!(out, vec![10_250, 1_125]);
    assert_eq!(daily.day(0, 0), Total { units: 1025, scale: 2 });
    assert_eq!(daily.day(0, 1), Total { units: 1125, scale: 3 });
}

#[test]
fn targets_widen_when_they_grow() {
    let mut t = DailyTargets::new(2);
    let a = t.push();
    let b = t.push();
    t.add(a, &[1, 2]);
    t.add(b, &[u128::from(u32::MAX), 0]);
    assert!(matches!(t.cells, TargetCells::U32(_)));
    t.add(b, &[1, 1]);
    assert!(matches!(t.cells, TargetCells::U64(_)));
    t.add(a, &[u128::from(u64::MAX), 0]);
    assert!(matches!(t.cells, TargetCells::U128(_)));
    let mut sum = [0u128; 2];
    t.add_to(a, &mut sum);
    t.add_to(b, &mut sum);
    assert_eq!(sum, [u128::from(u64::MAX) + 1 + u128::from(u32::MAX) + 1, 3]);
    assert_eq!(t.len(), 2);
}
