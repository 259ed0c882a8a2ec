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
    /// Per column, the fractional part of the cell's exact value (zero when
    /// the cell is exact: it cannot move).
    pub fractions: Fractions,
}

/// The fractional parts of a row's cells: numerators over one common
/// positive denominator, in machine integers when the denominator fits a
/// `u64` (the usual case: comparisons of gains then fit a `u128`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fractions {
    /// Numerators (each below `den`) over `den`.
    Small { rems: Vec<u64>, den: u64 },
    /// The same in big integers, for a denominator of any size.
    Big { rems: Vec<UBig>, den: UBig },
}

impl Default for Fractions {
    fn default() -> Fractions {
        Fractions::Small { rems: Vec::new(), den: 1 }
    }
}

impl Fractions {
    /// `rems` over `den` (positive), each numerator below `den`.
    ///
    /// # Panics
    ///
    /// When a numerator is not below the denominator.
    pub fn new(rems: Vec<UBig>, den: UBig) -> Fractions {
        match u64::try_from(&den) {
            Ok(d) => Fractions::Small {
                rems: rems
                    .iter()
                    .map(|r| u64::try_from(r).expect("a fraction's numerator is below its denominator"))
                    .collect(),
                den: d,
            },
            Err(_) => Fractions::Big { rems, den },
        }
    }

    /// Sets these to `rems` over `den`, keeping the buffer when small.
    pub(crate) fn set_small(&mut self, rems: &[u128], den: u128) {
        let Ok(d) = u64::try_from(den) else {
            *self = Fractions::Big { rems: rems.iter().map(|&r| UBig::from(r)).collect(), den: UBig::from(den) };
            return;
        };
        if !matches!(self, Fractions::Small { .. }) {
            *self = Fractions::default();
        }
        if let Fractions::Small { rems: mine, den: my_den } = self {
            mine.clear();
            // Every numerator is below the denominator, so it fits too.
            #[allow(clippy::cast_possible_truncation)]
            mine.extend(rems.iter().map(|&r| r as u64));
            *my_den = d;
        }
    }

    /// Sets these to the numerators in `rems` (taken) over `den`.
    pub(crate) fn set_big(&mut self, rems: &mut Vec<UBig>, den: UBig) {
        *self = Fractions::new(std::mem::take(rems), den);
    }

    fn len(&self) -> usize {
        match self {
            Fractions::Small { rems, .. } => rems.len(),
            Fractions::Big { rems, .. } => rems.len(),
        }
    }

    /// Whether cell `j` is exact (no fractional part).
    #[inline]
    fn is_zero(&self, j: usize) -> bool {
        match self {
            Fractions::Small { rems, .. } => rems[j] == 0,
            Fractions::Big { rems, .. } => rems[j].is_zero(),
        }
    }

    /// Cell `a`'s fraction against cell `b`'s.
    #[inline]
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        match self {
            Fractions::Small { rems, .. } => rems[a].cmp(&rems[b]),
            Fractions::Big { rems, .. } => rems[a].cmp(&rems[b]),
        }
    }

    /// Whether cell `a`'s fraction is larger than cell `b`'s.
    #[inline]
    fn gt(&self, a: usize, b: usize) -> bool {
        self.cmp(a, b) == Ordering::Greater
    }
}

impl FitRow {
    /// Per cell, whether it can take a unit without a sibling of the same
    /// floor and a larger fraction (a larger exact value) staying below it
    /// (`rise`), and whether it can give up its unit without rising above a
    /// sibling of the same floor and a smaller fraction that keeps its own
    /// (`fall`).
    fn marks(&self, rise: &mut [bool], fall: &mut [bool]) {
        match &self.fractions {
            Fractions::Small { rems, .. } => marks(&self.units, &self.floors, rems, rise, fall),
            Fractions::Big { rems, .. } => marks(&self.units, &self.floors, rems, rise, fall),
        }
    }

    /// Whether a larger exact value never has a smaller figure in this row.
    fn proportionate(&self) -> bool {
        let f = &self.fractions;
        (0..self.units.len()).all(|j| {
            (0..self.units.len())
                .all(|k| !(self.floors[j] == self.floors[k] && f.gt(j, k) && self.units[j] < self.units[k]))
        })
    }
}

/// [`FitRow::marks`] over fractions of one kind (a zero one is exact).
fn marks<T: Ord + Default>(units: &[u128], floors: &[u128], rems: &[T], rise: &mut [bool], fall: &mut [bool]) {
    let zero = T::default();
    let up = |k: usize| units[k] > floors[k];
    for j in 0..units.len() {
        let same = |k: usize| floors[k] == floors[j];
        rise[j] = !up(j) && rems[j] != zero && !(0..units.len()).any(|k| same(k) && !up(k) && rems[k] > rems[j]);
        fall[j] = up(j) && !(0..units.len()).any(|k| same(k) && up(k) && rems[j] > rems[k]);
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
    // Which cells can rise or fall, per row (`r * m + j`): a move changes
    // one row, so only its cells are looked at again.
    let mut marks = Marks {
        m,
        known: vec![false; rows.len()],
        rise: vec![false; rows.len() * m],
        fall: vec![false; rows.len() * m],
    };
    for j in 0..m {
        while off[j] < 0 {
            let Some((r, a)) = best_move(rows, &off, j, &mut marks) else { break };
            rows[r].units[j] += 1;
            rows[r].units[a] -= 1;
            off[j] += 1;
            off[a] -= 1;
            marks.known[r] = false;
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
fn best_move(rows: &[FitRow], off: &[i128], j: usize, marks: &mut Marks) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (r, row) in rows.iter().enumerate() {
        // A move gains at most the fraction at `j` (the one given up is not
        // negative): no better than the best so far, no need to look further.
        if let (Some((b, g)), Fractions::Small { rems, den }) = (best, &row.fractions) {
            if let Fractions::Small { rems: brems, den: bden } = &rows[b].fractions {
                let gain = i128::from(brems[j]) - i128::from(brems[g]);
                if signed_cmp(i128::from(rems[j]), *bden, gain, *den) != Ordering::Greater {
                    continue;
                }
            }
        }
        // Cheap tests before the row's marks are worked out.
        if row.units[j] != row.floors[j] || row.fractions.is_zero(j) {
            continue;
        }
        let (rise, fall) = marks.of(r, row);
        if !rise[j] {
            continue;
        }
        let fractions = &row.fractions;
        let mut give: Option<usize> = None;
        for (a, &over) in off.iter().enumerate() {
            if over <= 0 {
                continue;
            }
            // Trading a larger exact value's unit for a smaller one's would
            // leave the larger below the smaller.
            let crossed = row.floors[a] == row.floors[j] && fractions.gt(a, j);
            if !crossed && fall[a] && give.is_none_or(|g| !fractions.gt(a, g)) {
                give = Some(a);
            }
        }
        let Some(a) = give else { continue };
        let better = match best {
            None => true,
            Some((b, g)) => gain_cmp(&rows[r], j, a, &rows[b], g) == Ordering::Greater,
        };
        if better {
            best = Some((r, a));
        }
    }
    best
}

/// [`FitRow::marks`] of a table's rows (`r * m + j`), each worked out when
/// first needed and again after a move changed its row.
struct Marks {
    m: usize,
    known: Vec<bool>,
    rise: Vec<bool>,
    fall: Vec<bool>,
}

impl Marks {
    fn of(&mut self, r: usize, row: &FitRow) -> (&[bool], &[bool]) {
        let cells = r * self.m..(r + 1) * self.m;
        if !self.known[r] {
            row.marks(&mut self.rise[cells.clone()], &mut self.fall[cells.clone()]);
            self.known[r] = true;
        }
        (&self.rise[cells.clone()], &self.fall[cells])
    }
}

/// Row `x`'s gain from moving a unit from `xa` to `j` against row `y`'s
/// from `ya` to `j`: (fraction at `j` − fraction given up), exactly.
fn gain_cmp(x: &FitRow, j: usize, xa: usize, y: &FitRow, ya: usize) -> Ordering {
    let big = |f: &Fractions| match f {
        Fractions::Small { rems, den } => (rems.iter().map(|&r| UBig::from(r)).collect::<Vec<_>>(), UBig::from(*den)),
        Fractions::Big { rems, den } => (rems.clone(), den.clone()),
    };
    match (&x.fractions, &y.fractions) {
        (Fractions::Small { rems: rx, den: dx }, Fractions::Small { rems: ry, den: dy }) => {
            let gx = i128::from(rx[j]) - i128::from(rx[xa]);
            let gy = i128::from(ry[j]) - i128::from(ry[ya]);
            signed_cmp(gx, *dy, gy, *dx)
        }
        (fx, fy) => {
            // gx / dx against gy / dy, as (x_j − x_a)·dy against (y_j − y_a)·dx.
            let ((xr, xd), (yr, yd)) = (big(fx), big(fy));
            let left = (&xr[j] * &yd, &xr[xa] * &yd);
            let right = (&yr[j] * &xd, &yr[ya] * &xd);
            (&left.0 + &right.1).cmp(&(&right.0 + &left.1))
        }
    }
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
            let f = &row.fractions;
            let mut order: Vec<usize> = (0..f.len()).filter(|&j| !f.is_zero(j)).collect();
            order.sort_by(|&a, &b| f.cmp(b, a));
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
        FitRow { units, floors, fractions: Fractions::new(rems, den_b) }
    }

    fn sums(rows: &[FitRow]) -> Vec<u128> {
        (0..rows[0].units.len()).map(|j| rows.iter().map(|r| r.units[j]).sum()).collect()
    }

    /// The same row with its fractions in big integers.
    fn big(r: &FitRow) -> FitRow {
        let Fractions::Small { rems, den } = &r.fractions else { panic!("a small row") };
        let fractions = Fractions::Big { rems: rems.iter().map(|&n| UBig::from(n)).collect(), den: UBig::from(*den) };
        FitRow { fractions, ..r.clone() }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2_000))]

        /// Fractions in machine integers fit a table exactly as the same
        /// fractions in big integers do: the same moves, the same misses.
        #[test]
        fn machine_and_big_fractions_fit_alike(
            table in proptest::collection::vec((2u64..60, proptest::collection::vec(0u64..400, 5), 0u64..6), 1..9),
            other in proptest::collection::vec(0u64..6, 1..9),
        ) {
            let m = 5;
            let mut small: Vec<FitRow> = table
                .iter()
                .map(|(den, nums, up)| {
                    let floor: u128 = nums.iter().map(|&n| u128::from(n / den)).sum();
                    let fractional = nums.iter().filter(|&&n| n % den != 0).count() as u128;
                    row(floor + u128::from(*up).min(fractional), *den, nums)
                })
                .collect();
            // Column totals of the rows rounded another way: the table may or may not fit them.
            let mut totals = vec![0u128; m];
            for (r, shift) in small.iter().zip(other.iter().cycle()) {
                for (total, floor) in totals.iter_mut().zip(&r.floors) {
                    *total += floor;
                }
                let shift = usize::try_from(*shift).expect("a small shift");
                for j in (0..m).filter(|&j| r.units[j] > r.floors[j]) {
                    totals[(j + shift) % m] += 1;
                }
            }
            let mut bigs: Vec<FitRow> = small.iter().map(big).collect();
            let small_misses = fit_columns(&mut small, &totals);
            let big_misses = fit_columns(&mut bigs, &totals);
            proptest::prop_assert_eq!(small_misses, big_misses);
            for (s, b) in small.iter().zip(&bigs) {
                proptest::prop_assert_eq!(&s.units, &b.units);
                proptest::prop_assert_eq!(s.units.iter().sum::<u128>(), b.units.iter().sum::<u128>());
            }
        }
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
        let big = |r: &FitRow| {
            let Fractions::Small { rems, den } = &r.fractions else { panic!("small") };
            FitRow {
                fractions: Fractions::Big {
                    rems: rems.iter().map(|&n| UBig::from(n)).collect(),
                    den: UBig::from(*den),
                },
                ..r.clone()
            }
        };
        assert_eq!(gain_cmp(&big(&x), 0, 1, &big(&y), 1), Equal);
        assert_eq!(gain_cmp(&x, 0, 1, &big(&y), 1), Equal);
        assert_eq!(gain_cmp(&x, 0, 1, &y, 1), Equal);
        assert_eq!(gain_cmp(&x, 0, 1, &y, 0), Greater);
    }
}
