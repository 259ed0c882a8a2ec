use super::*;

fn row(total: u128, cells: &[(u128, Option<usize>)]) -> TableRow {
    TableRow { total, cells: cells.to_vec() }
}

#[test]
fn keeps_row_and_held_column_totals() {
    // Two members of 1.5 each over a held period (exact 0.5 each, held at 1)
    // and a free one (exact 1 each).
    let rows = [row(2, &[(0, Some(0)), (1, None)]), row(1, &[(0, Some(0)), (1, None)])];
    let out = controlled_round(&rows, &[Some(1), None]).unwrap();
    assert_eq!(out.iter().map(|r| r.iter().sum::<u128>()).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(out[0][0] + out[1][0], 1);
}

#[test]
fn free_columns_absorb_what_held_ones_cannot_take() {
    // Exact cells: [0.6, 0.7 | 0.7] and [0.4, 0.3 | 0.3]; column 0 held at 1.
    let rows =
        [row(2, &[(0, Some(1)), (0, Some(0)), (0, Some(0))]), row(1, &[(0, Some(0)), (0, Some(1)), (0, Some(1))])];
    let out = controlled_round(&rows, &[Some(1), None, None]).unwrap();
    assert_eq!(out[0].iter().sum::<u128>(), 2);
    assert_eq!(out[1].iter().sum::<u128>(), 1);
    assert_eq!(out[0][0] + out[1][0], 1);
    assert!(out.iter().flatten().all(|v| *v <= 1));
}

#[test]
fn says_when_no_rounding_exists() {
    // Both rows need their only fractional cell, but the held column takes one unit.
    let rows = [row(1, &[(0, Some(0)), (0, None)]), row(1, &[(0, Some(0)), (0, None)])];
    assert_eq!(controlled_round(&rows, &[Some(1), None]), None);
}

/// A row of a nested table from its cells' exact values `nums[g][k] / den`
/// (group by group), with its total rounded as `total`.
fn nested(total: u128, nums: &[Vec<u128>], den: u128) -> NestedRow {
    let ranks = |values: &[u128]| -> Vec<(u128, Option<usize>)> {
        let mut order: Vec<usize> = (0..values.len()).filter(|&k| values[k] % den != 0).collect();
        order.sort_by(|&a, &b| (values[b] % den).cmp(&(values[a] % den)));
        let mut cells: Vec<(u128, Option<usize>)> = values.iter().map(|v| (v / den, None)).collect();
        for (rank, &k) in order.iter().enumerate() {
            cells[k].1 = Some(rank);
        }
        cells
    };
    let groups: Vec<u128> = nums.iter().map(|g| g.iter().sum()).collect();
    NestedRow { groups: TableRow { total, cells: ranks(&groups) }, cells: nums.iter().map(|g| ranks(g)).collect() }
}

/// The brief's rounding of `parent` units over exact values `nums / den`.
fn apportion(parent: u128, nums: &[u128], den: u128) -> Vec<u128> {
    let mut out: Vec<u128> = nums.iter().map(|n| n / den).collect();
    let mut order: Vec<usize> = (0..nums.len()).collect();
    order.sort_by(|&a, &b| (nums[b] % den).cmp(&(nums[a] % den)));
    let left = parent - out.iter().sum::<u128>();
    for &k in order.iter().take(left as usize) {
        out[k] += 1;
    }
    out
}

/// Checks `out` against `rows`: floors or ceilings, adding up within each
/// row; returns the column sums.
fn checked(rows: &[NestedRow], out: &[NestedRounding]) -> Vec<u128> {
    let mut sums = Vec::new();
    for (rw, got) in rows.iter().zip(out) {
        assert_eq!(got.groups.iter().sum::<u128>(), rw.groups.total);
        for (g, ((floor, rank), cells)) in rw.groups.cells.iter().zip(&got.cells).enumerate() {
            assert_eq!(cells.iter().sum::<u128>(), got.groups[g]);
            assert!(got.groups[g] == *floor || (rank.is_some() && got.groups[g] == floor + 1));
            for ((floor, rank), v) in rw.cells[g].iter().zip(cells) {
                assert!(*v == *floor || (rank.is_some() && *v == floor + 1));
            }
        }
        let flat: Vec<u128> = got.cells.iter().flatten().copied().collect();
        sums.resize(flat.len(), 0);
        sums.iter_mut().zip(flat).for_each(|(s, v)| *s += v);
    }
    sums
}

/// 2026 by days, months grouped by quarter.
const DAYS: [[u128; 3]; 4] = [[31, 28, 31], [30, 31, 30], [31, 31, 30], [31, 30, 31]];

/// Exact month values of `total / parts` a year by quarter weights
/// `quarters` and days, over one common denominator (returned).
fn by_days(total: u128, parts: u128, quarters: [u128; 4]) -> (Vec<Vec<u128>>, u128) {
    let weight: u128 = quarters.iter().sum();
    let den = parts * weight * 90 * 91 * 92;
    let nums = DAYS
        .iter()
        .zip(quarters)
        .map(|(days, w)| {
            let in_quarter: u128 = days.iter().sum();
            days.iter().map(|d| total * w * d * (90 * 91 * 92 / in_quarter)).collect()
        })
        .collect();
    (nums, den)
}

#[test]
fn nested_rounds_the_months_with_the_quarters() {
    // 177 a year, quarters 5:4:4:2, months by days, over leaves 3:9
    // (44.25 and 132.75, rounded 44 and 133). The company's own cascade
    // gives Jan-Mar 20/19/20.
    let (company, den) = by_days(177, 1, [5, 4, 4, 2]);
    let quarters = apportion(177, &company.iter().map(|g| g.iter().sum()).collect::<Vec<_>>(), den);
    let months: Vec<u128> = quarters.iter().zip(&company).flat_map(|(q, g)| apportion(*q, g, den)).collect();
    assert_eq!(quarters, vec![59, 47, 47, 24]);
    assert_eq!(months[..3], [20, 19, 20]);
    let (small, den_small) = by_days(177 * 3, 12, [5, 4, 4, 2]);
    let (large, den_large) = by_days(177 * 9, 12, [5, 4, 4, 2]);
    let rows = [nested(44, &small, den_small), nested(133, &large, den_large)];
    let columns: Vec<Option<u128>> = months.iter().map(|&m| Some(m)).collect();
    let out = controlled_round_nested(&rows, &columns).expect("a rounding exists");
    assert_eq!(checked(&rows, &out), months);
    let sums: Vec<u128> = (0..4).map(|g| out.iter().map(|r| r.groups[g]).sum()).collect();
    assert_eq!(sums, quarters);
    // Deterministic.
    assert_eq!(controlled_round_nested(&rows, &columns), Some(out));
}

#[test]
fn nested_says_when_no_rounding_exists() {
    // Two rows of one group of two cells of 0.5 each (the group exact 1):
    // each row gives its unit to one of its cells, so the columns can be
    // (2, 0) but never (0, 0) or (2, 1).
    let rows = [nested(1, &[vec![1, 1]], 2), nested(1, &[vec![1, 1]], 2)];
    assert!(controlled_round_nested(&rows, &[Some(2), Some(0)]).is_some());
    assert_eq!(controlled_round_nested(&rows, &[Some(0), Some(0)]), None);
    assert_eq!(controlled_round_nested(&rows, &[Some(2), Some(1)]), None);
    // A row whose total is off its groups' floors and ceilings.
    let rows = [nested(3, &[vec![1, 1]], 2)];
    assert_eq!(controlled_round_nested(&rows, &[None, None]), None);
}

#[test]
fn nested_free_columns_and_exact_cells() {
    // Row 0: groups [0.5+0.5 | 1.5+0], row 1: [0.25+0.25 | 0.5+1]; column 0 held at 1.
    let rows = [nested(3, &[vec![2, 2], vec![6, 0]], 4), nested(2, &[vec![1, 1], vec![2, 4]], 4)];
    let out = controlled_round_nested(&rows, &[Some(1), None, None, None]).unwrap();
    let sums = checked(&rows, &out);
    assert_eq!(sums[0], 1);
    assert_eq!(out[0].cells[1][1], 0);
    assert_eq!(out[1].cells[1][1], 1);
}

#[test]
fn nested_finds_a_rounding_whenever_one_exists() {
    // Small random tables against every combination of floors and ceilings.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        u128::from(seed % n)
    };
    let den = 4;
    let mut outcomes = [0; 2];
    for _ in 0..400 {
        let rows: Vec<NestedRow> = (0..2)
            .map(|_| {
                let nums: Vec<Vec<u128>> = (0..2).map(|_| (0..2).map(|_| next(9)).collect()).collect();
                let exact: u128 = nums.iter().flatten().sum();
                let total = exact / den + u128::from(exact % den != 0 && next(2) == 1);
                nested(total, &nums, den)
            })
            .collect();
        // Held columns within a unit or two of their floors, some free.
        let floors = |j: usize| -> u128 { rows.iter().map(|rw| rw.cells[j / 2][j % 2].0).sum() };
        let columns: Vec<Option<u128>> = (0..4).map(|j| (next(4) != 0).then(|| floors(j) + next(3))).collect();
        // Brute force: each of the 8 cells at its floor or ceiling.
        let cells: Vec<(u128, Option<usize>)> = rows.iter().flat_map(|rw| rw.cells.iter().flatten().copied()).collect();
        let possible = (0u32..256).any(|mask| {
            let v: Vec<u128> =
                cells.iter().enumerate().map(|(k, (f, r))| f + u128::from(r.is_some() && mask >> k & 1 == 1)).collect();
            if cells.iter().enumerate().any(|(k, (_, r))| r.is_none() && mask >> k & 1 == 1) {
                return false;
            }
            let rows_ok = rows.iter().enumerate().all(|(i, rw)| {
                let mine = &v[4 * i..4 * i + 4];
                mine.iter().sum::<u128>() == rw.groups.total
                    && (0..2).all(|g| {
                        let (floor, rank) = rw.groups.cells[g];
                        let sum = mine[2 * g] + mine[2 * g + 1];
                        sum == floor || (rank.is_some() && sum == floor + 1)
                    })
            });
            rows_ok && columns.iter().enumerate().all(|(j, c)| c.is_none_or(|c| v[j] + v[4 + j] == c))
        });
        let out = controlled_round_nested(&rows, &columns);
        assert_eq!(out.is_some(), possible, "{rows:?} {columns:?}");
        outcomes[usize::from(possible)] += 1;
        if let Some(out) = out {
            let sums = checked(&rows, &out);
            assert!(columns.iter().zip(sums).all(|(c, s)| c.is_none_or(|c| c == s)));
        }
    }
    // Both outcomes are well represented.
    assert!(outcomes.iter().all(|&n| n > 50), "{outcomes:?}");
}
