//! Stage `allocate`: fitting a table's columns to given totals (controlled
//! rounding with both margins fixed). Each row has already been rounded on
//! its own by the brief's rule (floors, then the leftover units to the
//! largest fractional parts); [`fit_columns`] then moves units within rows,
//! from columns above their totals to columns below them, until every column
//! adds up to its total — every cell staying the floor or the ceiling of its
//! exact value and every row keeping its total.
//!
//! How: a column short of its total takes a unit from a column over it,
//! through the row that loses least by the move: the one whose fraction at
//! the short column is largest *relative to* the fraction it gives up (a
//! move rounds one cell up and another down, and changes the row's total
//! distance from its exact values by twice the difference of the two
//! fractions), ties to the row written first; within the row, the unit comes
//! from its over-full column with the smallest fraction, ties to the later
//! column. A move is made only when it keeps the row proportionate: no cell
//! with a larger exact value (the same floor and a larger fraction) ends
//! below one with a smaller value. Each move fixes one unit of one short
//! column and one over-full column, so at most `Σ shortfalls`
//! moves are made: it ends. When no single move helps but columns are still
//! off, a max flow over the whole table decides ([`controlled_round`]): it
//! finds a fitting rounding whenever one exists, and it is taken when it
//! keeps every row proportionate. Otherwise, the
//! moves made stand (every column they fixed stays fixed) and the columns
//! still off are returned, for the caller to report.

use std::cmp::Ordering;

use dashu_int::UBig;

use super::{controlled_round, TableRow};

/// One row of a table for [`fit_columns`]: its own rounding and, per cell,
/// the floor and the fractional part of the exact value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FitRow {
    /// Per column, the cell's figure in units (floor or floor + 1); the
    /// row's total is their sum and never changes.
    pub units: Vec<u128>,
    /// Per column, the floor of the cell's exact value, in units.
    pub floors: Vec<u128>,
    /// Per column, the numerator of the cell's fractional part over
    /// [`FitRow::den`] (zero when the cell is exact: it cannot move).
    pub rems: Vec<UBig>,
    /// The common denominator of the row's fractional parts (positive).
    pub den: UBig,
}

impl FitRow {
    fn up(&self, j: usize) -> bool {
        self.units[j] > self.floors[j]
    }

    /// Whether cell `j` can take a unit without a sibling of the same floor
    /// and a larger fraction (a larger exact value) staying below it.
    fn can_rise(&self, fast: &Fast, j: usize) -> bool {
        self.units[j] == self.floors[j]
            && !self.rems[j].is_zero()
            && !(0..self.units.len()).any(|k| self.floors[k] == self.floors[j] && !self.up(k) && fast.gt(self, k, j))
    }

    /// Whether cell `a` can give up its unit without rising above a sibling
    /// of the same floor and a smaller fraction that keeps its own.
    fn can_fall(&self, fast: &Fast, a: usize) -> bool {
        self.up(a)
            && !(0..self.units.len()).any(|k| self.up(k) && self.floors[k] == self.floors[a] && fast.gt(self, a, k))
    }

    /// Whether a larger exact value never has a smaller figure in this row.
    fn proportionate(&self) -> bool {
        (0..self.units.len()).all(|j| {
            (0..self.units.len()).all(|k| {
                !(self.floors[j] == self.floors[k] && self.rems[j] > self.rems[k] && self.units[j] < self.units[k])
            })
        })
    }
}

/// A row's fractional parts in machine integers when its denominator fits
/// (the usual case: comparisons are then plain integer ones).
struct Fast(Option<(Vec<u64>, u64)>);

impl Fast {
    fn of(row: &FitRow) -> Fast {
        let Ok(den) = u64::try_from(&row.den) else { return Fast(None) };
        // Every numerator is below the denominator, so it fits too.
        let rems = row.rems.iter().map(|r| u64::try_from(r).expect("a fraction's numerator is below its denominator"));
        Fast(Some((rems.collect(), den)))
    }

    /// Whether cell `a`'s fraction is larger than cell `b`'s, in one row.
    fn gt(&self, row: &FitRow, a: usize, b: usize) -> bool {
        match &self.0 {
            Some((rems, _)) => rems[a] > rems[b],
            None => row.rems[a] > row.rems[b],
        }
    }
}

/// A column [`fit_columns`] could not bring to its total: its cells add up
/// to `got` units, not `wanted`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnMiss {
    /// The column's index.
    pub column: usize,
    /// What its cells add up to, in units.
    pub got: u128,
    /// Its total, in units.
    pub wanted: u128,
}

/// Moves units within `rows` so that every column adds up to its entry of
/// `totals` (see the module's documentation); returns the columns it could
/// not fit, in column order (empty when every one fits). Rows keep their
/// totals and every cell stays its floor or its floor + 1.
///
/// # Panics
///
/// When a row does not have one cell per column.
pub fn fit_columns(rows: &mut [FitRow], totals: &[u128]) -> Vec<ColumnMiss> {
    let m = totals.len();
    // Column sums less totals: positive over, negative short.
    let mut off: Vec<i128> = totals.iter().map(|&t| -signed(t)).collect();
    for row in rows.iter() {
        assert_eq!(row.units.len(), m, "a row has one cell per column");
        for (o, &u) in off.iter_mut().zip(&row.units) {
            *o += signed(u);
        }
    }
    if off.iter().all(|&o| o == 0) {
        return Vec::new();
    }
    let fast: Vec<Fast> = rows.iter().map(Fast::of).collect();
    for j in 0..m {
        while off[j] < 0 {
            let Some((r, a)) = best_move(rows, &fast, &off, j) else { break };
            rows[r].units[j] += 1;
            rows[r].units[a] -= 1;
            off[j] += 1;
            off[a] -= 1;
        }
    }
    if off.iter().all(|&o| o == 0) {
        return Vec::new();
    }
    if let Some(fitted) = flow_fit(rows, totals) {
        let before: Vec<Vec<u128>> = rows.iter().map(|r| r.units.clone()).collect();
        for (row, units) in rows.iter_mut().zip(fitted) {
            row.units = units;
        }
        // The flow knows nothing of proportion: its answer stands only when
        // no larger exact value of a row ends below a smaller one.
        if rows.iter().all(FitRow::proportionate) {
            return Vec::new();
        }
        for (row, units) in rows.iter_mut().zip(before) {
            row.units = units;
        }
    }
    let mut misses = Vec::new();
    for (j, &o) in off.iter().enumerate() {
        if o != 0 {
            let wanted = totals[j];
            let got = u128::try_from(signed(wanted) + o).expect("a column's cells add up to a non-negative sum");
            misses.push(ColumnMiss { column: j, got, wanted });
        }
    }
    misses
}

/// The row and the over-full column a unit for short column `j` comes
/// from: the move that gains the most fraction (the row's fraction at `j`
/// less the one it gives up), ties to the first row; a row gives up its
/// over-full column with the smallest fraction, ties to the later column.
fn best_move(rows: &[FitRow], fast: &[Fast], off: &[i128], j: usize) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (r, row) in rows.iter().enumerate() {
        // A move gains at most the fraction at `j` (the one given up is not
        // negative): no better than the best so far, no need to look further.
        if let (Some((b, g)), Some((rems, den))) = (best, &fast[r].0) {
            if let Some((brems, bden)) = &fast[b].0 {
                let gain = i128::from(brems[j]) - i128::from(brems[g]);
                if signed_cmp(i128::from(rems[j]), *bden, gain, *den) != Ordering::Greater {
                    continue;
                }
            }
        }
        if !row.can_rise(&fast[r], j) {
            continue;
        }
        let mut give: Option<usize> = None;
        for (a, &over) in off.iter().enumerate() {
            if over <= 0 {
                continue;
            }
            // Trading a larger exact value's unit for a smaller one's would
            // leave the larger below the smaller.
            let crossed = row.floors[a] == row.floors[j] && fast[r].gt(row, a, j);
            if !crossed && row.can_fall(&fast[r], a) && give.is_none_or(|g| !fast[r].gt(row, a, g)) {
                give = Some(a);
            }
        }
        let Some(a) = give else { continue };
        let better = match best {
            None => true,
            Some((b, g)) => gain_cmp(&rows[r], &fast[r], j, a, &rows[b], &fast[b], g) == Ordering::Greater,
        };
        if better {
            best = Some((r, a));
        }
    }
    best
}

/// Row `x`'s gain from moving a unit from `xa` to `j` against row `y`'s
/// from `ya` to `j`: (fraction at `j` − fraction given up), exactly.
fn gain_cmp(x: &FitRow, fx: &Fast, j: usize, xa: usize, y: &FitRow, fy: &Fast, ya: usize) -> Ordering {
    if let (Some((rx, dx)), Some((ry, dy))) = (&fx.0, &fy.0) {
        let gx = i128::from(rx[j]) - i128::from(rx[xa]);
        let gy = i128::from(ry[j]) - i128::from(ry[ya]);
        return signed_cmp(gx, *dy, gy, *dx);
    }
    // gx / dx against gy / dy, as (x_j − x_a)·dy against (y_j − y_a)·dx.
    let left = (&x.rems[j] * &y.den, &x.rems[xa] * &y.den);
    let right = (&y.rems[j] * &x.den, &y.rems[ya] * &x.den);
    (&left.0 + &right.1).cmp(&(&right.0 + &left.1))
}

/// `a · da` against `b · db` for signed `a`, `b` below 2^64 in size and
/// positive `da`, `db` below 2^64, without overflow.
fn signed_cmp(a: i128, da: u64, b: i128, db: u64) -> Ordering {
    match (a.signum(), b.signum()) {
        (x, y) if x != y => x.cmp(&y),
        (0, _) => Ordering::Equal,
        (sign, _) => {
            let (ma, mb) = (a.unsigned_abs() * u128::from(da), b.unsigned_abs() * u128::from(db));
            if sign > 0 {
                ma.cmp(&mb)
            } else {
                mb.cmp(&ma)
            }
        }
    }
}

/// The whole table as a flow ([`controlled_round`]), each row's cells in
/// the order of their fractions (largest first, ties to the earlier column).
fn flow_fit(rows: &[FitRow], totals: &[u128]) -> Option<Vec<Vec<u128>>> {
    let table: Vec<TableRow> = rows
        .iter()
        .map(|row| {
            let mut order: Vec<usize> = (0..row.rems.len()).filter(|&j| !row.rems[j].is_zero()).collect();
            order.sort_by(|&a, &b| row.rems[b].cmp(&row.rems[a]));
            let mut cells: Vec<(u128, Option<usize>)> = row.floors.iter().map(|&f| (f, None)).collect();
            for (rank, &j) in order.iter().enumerate() {
                cells[j].1 = Some(rank);
            }
            TableRow { total: row.units.iter().sum(), cells }
        })
        .collect();
    let columns: Vec<Option<u128>> = totals.iter().map(|&t| Some(t)).collect();
    controlled_round(&table, &columns)
}

fn signed(units: u128) -> i128 {
    i128::try_from(units).expect("units fit i128: they are checked against the precision's maximum")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row from exact cells given as (numerator, denominator) pairs,
    /// rounded on its own by the brief's rule to `total`.
    fn row(total: u128, den: u64, nums: &[u64]) -> FitRow {
        let den_b = UBig::from(den);
        let floors: Vec<u128> = nums.iter().map(|&n| u128::from(n / den)).collect();
        let rems: Vec<UBig> = nums.iter().map(|&n| UBig::from(n % den)).collect();
        let mut units = floors.clone();
        let mut order: Vec<usize> = (0..nums.len()).filter(|&j| !rems[j].is_zero()).collect();
        order.sort_by(|&a, &b| rems[b].cmp(&rems[a]));
        let left = total - floors.iter().sum::<u128>();
        for &j in order.iter().take(usize::try_from(left).unwrap()) {
            units[j] += 1;
        }
        FitRow { units, floors, rems, den: den_b }
    }

    fn sums(rows: &[FitRow]) -> Vec<u128> {
        (0..rows[0].units.len()).map(|j| rows.iter().map(|r| r.units[j]).sum()).collect()
    }

    #[test]
    fn a_table_that_fits_is_left_alone() {
        let mut rows = vec![row(2, 4, &[2, 3, 3]), row(1, 4, &[1, 1, 2])];
        let before = rows.clone();
        let totals = sums(&rows);
        assert!(fit_columns(&mut rows, &totals).is_empty());
        assert_eq!(rows, before);
    }

    #[test]
    fn a_short_column_takes_a_unit_a_row_can_spare() {
        // Row 0 exact (1.25, 0.75): its leftover unit goes to column 1. Row 1
        // exact (0.5, 0.5): the tie goes to column 0. Column 1 asked for 2
        // takes row 1's unit: equal fractions, so nothing ends out of proportion.
        let mut rows = vec![row(2, 4, &[5, 3]), row(1, 2, &[1, 1])];
        assert_eq!(sums(&rows), vec![2, 1]);
        assert!(fit_columns(&mut rows, &[1, 2]).is_empty());
        assert_eq!(rows[0].units, vec![1, 1]);
        assert_eq!(rows[1].units, vec![0, 1]);
    }

    #[test]
    fn no_move_puts_a_larger_value_below_a_smaller_one() {
        // Rows exact (0.25, 0.75), (0.5, 0.5), (0.25, 0.75): column 0 can have
        // at most the middle row's unit, or a larger value (0.75) would end
        // below a smaller one (0.25) of its row; the flow's answer is refused.
        let mut rows = vec![row(1, 4, &[1, 3]), row(1, 4, &[2, 2]), row(1, 4, &[1, 3])];
        assert_eq!(sums(&rows), vec![1, 2]);
        let misses = fit_columns(&mut rows, &[2, 1]);
        assert_eq!(
            misses,
            vec![ColumnMiss { column: 0, got: 1, wanted: 2 }, ColumnMiss { column: 1, got: 2, wanted: 1 }]
        );
        assert_eq!(sums(&rows), vec![1, 2]);
    }

    #[test]
    fn the_larger_weight_gets_the_unit() {
        // Weights 2, 4, 2 and a held last column of one unit: exact shares
        // 1/4, 1/2, 1/4 there. Each row's own rounding puts nothing there (the
        // middle row's tie goes to the earlier column); the column's unit goes
        // to the row with the largest fraction, the middle one.
        let mut rows = vec![row(2, 4, &[7, 1]), row(4, 4, &[14, 2]), row(2, 4, &[7, 1])];
        assert_eq!(sums(&rows), vec![8, 0]);
        assert!(fit_columns(&mut rows, &[7, 1]).is_empty());
        assert_eq!(rows.iter().map(|r| r.units[1]).collect::<Vec<_>>(), vec![0, 1, 0]);
    }

    #[test]
    fn a_move_through_a_third_column_is_found_by_the_flow() {
        // Row 0 can only trade between columns 0 and 1, row 1 between 1 and 2:
        // column 2 short, column 0 over needs two moves chained through column 1.
        let mut rows = vec![row(1, 2, &[1, 1, 0]), row(1, 2, &[0, 1, 1])];
        assert_eq!(rows[0].units, vec![1, 0, 0]);
        assert_eq!(rows[1].units, vec![0, 1, 0]);
        assert!(fit_columns(&mut rows, &[0, 1, 1]).is_empty());
        assert_eq!(sums(&rows), vec![0, 1, 1]);
        for r in &rows {
            for j in 0..3 {
                assert!(r.units[j] >= r.floors[j] && r.units[j] <= r.floors[j] + 1);
            }
        }
    }

    #[test]
    fn an_impossible_column_is_reported_and_the_rest_kept() {
        // Both rows exact in column 0: no unit can move there.
        let mut rows = vec![row(2, 1, &[1, 1]), row(2, 2, &[2, 2])];
        let misses = fit_columns(&mut rows, &[3, 1]);
        assert_eq!(
            misses,
            vec![ColumnMiss { column: 0, got: 2, wanted: 3 }, ColumnMiss { column: 1, got: 2, wanted: 1 }]
        );
        assert_eq!(rows.iter().map(|r| r.units.iter().sum::<u128>()).collect::<Vec<_>>(), vec![2, 2]);
    }

    #[test]
    fn gains_compare_exactly_with_either_sign() {
        use std::cmp::Ordering::{Equal, Greater, Less};
        assert_eq!(signed_cmp(-1, 4, 1, 4), Less);
        assert_eq!(signed_cmp(-1, 2, -1, 4), Greater, "-1/4 > -1/2 as gains: -1·2 > -1·4");
        assert_eq!(signed_cmp(0, 7, 0, 9), Equal);
        assert_eq!(signed_cmp(i128::from(u64::MAX), u64::MAX, i128::from(u64::MAX) - 1, u64::MAX), Greater);
        // The same gains through big integers: 3/4 - 1/4 against 5/8 - 1/8.
        let x = row(1, 4, &[3, 1]);
        let y = row(1, 8, &[5, 1]);
        let none = Fast(None);
        assert_eq!(gain_cmp(&x, &none, 0, 1, &y, &none, 1), Equal);
        assert_eq!(gain_cmp(&x, &Fast::of(&x), 0, 1, &y, &Fast::of(&y), 1), Equal);
    }
}
