//! Stage `engine`: joint rounding of sibling periods across all org leaves.
//!
//! Each org leaf's time tree is rounded on its own by the brief's rule, so a
//! cross-cut (the company's Q1, the sum of every leaf's Q1) may sit a few units
//! from what the company's own cascade gives. Where that matters — a held
//! period must add up to its hold, and a small whole count (new customers)
//! should add up to the company's own quarters and months — a group of sibling
//! periods is rounded for all leaves at once with [`controlled_round`]: rows
//! are the leaves (each with its rounded value of the group's parent), columns
//! are the children, and some columns have a total to keep. A count's
//! quarters and months are rounded together in one flow instead
//! ([`controlled_round_nested`], see [`count_cells`]), falling back to the
//! groups one by one.
//!
//! Contract: every figure of a jointly rounded group is still the floor or the
//! ceiling of the leaf's exact share and each leaf's children still add up to
//! its figure of the parent, so the brief's promises hold; only which of floor
//! and ceiling a figure takes changes. Groups are rounded top down, and a
//! group's rows start from the leaf's figures of the groups above it. Where no
//! rounding keeps every column total, the group keeps each leaf's own rounding
//! and a [`Miss`] per column says by how much the total is missed, for the
//! caller to word.

use std::collections::HashMap;

use crate::allocate::{controlled_round, controlled_round_nested, Apportioner, Exact, NestedRow, Part, Share};
use crate::calendar::{Calendar, Level};

/// Per jointly rounded group of siblings (keyed by their parent period), the
/// children's rounded values of every org leaf, in leaf order. [`Engine`]'s
/// walk down a leaf's time tree takes a group's figures from here instead of
/// the leaf's own rounding.
///
/// [`Engine`]: super::Engine
pub(super) type HeldCells = HashMap<(Level, usize), Vec<Vec<u128>>>;

/// A column whose total the joint rounding could not keep: the leaves'
/// figures of child period (`level`, `index`) add up to `got`, not `wanted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Miss {
    /// The child period's level (one finer than its group's parent).
    pub(super) level: Level,
    /// The child period's index within its level.
    pub(super) index: usize,
    /// The sum of the leaves' own roundings of that period, in units.
    pub(super) got: u128,
    /// The column total that was asked for, in units.
    pub(super) wanted: u128,
}

/// Rounds the given groups of sibling periods for all org leaves together,
/// so that each child period with a `column_total` gets exactly that total
/// over the leaves, while every figure stays the floor or ceiling of its
/// exact share and each leaf's children add up to its figure of the parent.
///
/// `leaves` are the org leaves' rounded and exact amounts (the year); `table`
/// holds every period's children's shares, by level and index (as in the
/// engine's time tables); `groups` are the parents, as (level, index), whose
/// children are rounded together, in any order (they are rounded top down,
/// by level then index, so a group's rows use the joint figures of the groups
/// above it). `column_total(finer, child)` is the total the leaves' figures of
/// child period `child` of level `finer` must add up to, or `None` for a free
/// column.
///
/// Where no such rounding exists for a group, it keeps each leaf's own
/// rounding, and every column whose total is then missed is reported, in
/// group order then time order.
pub(super) fn round_jointly(
    calendar: &Calendar,
    leaves: &[(u128, Exact)],
    table: &[Vec<Vec<Share>>],
    groups: &[(Level, usize)],
    column_total: impl Fn(Level, usize) -> Option<u128>,
) -> (HeldCells, Vec<Miss>) {
    let mut groups = groups.to_vec();
    groups.sort();
    groups.dedup();
    let mut cells: HeldCells = HashMap::new();
    let mut misses = Vec::new();
    let mut apportioner = Apportioner::default();
    let mut parts = Vec::new();
    for (level, index) in groups {
        let finer = level.finer().expect("a group has children");
        let children = calendar.period(level, index).children.clone();
        let shares = &table[level.index()][index];
        let mut rows = Vec::with_capacity(leaves.len());
        let mut own: Vec<Vec<u128>> = Vec::with_capacity(leaves.len());
        for (leaf, (units, exact)) in leaves.iter().enumerate() {
            let (p_units, p_exact) =
                leaf_at(calendar, table, &cells, leaf, *units, exact.clone(), (level, index), &mut apportioner);
            let row =
                apportioner.table_row(p_units, &p_exact, shares, &mut parts).expect("shares were checked on the total");
            own.push(parts.iter().map(|p| p.units).collect());
            rows.push(row);
        }
        let columns: Vec<Option<u128>> = children.clone().map(|c| column_total(finer, c)).collect();
        if let Some(rounded) = controlled_round(&rows, &columns) {
            cells.insert((level, index), rounded);
        } else {
            for (j, column) in columns.iter().enumerate() {
                let Some(wanted) = *column else { continue };
                let got: u128 = own.iter().map(|r| r[j]).sum();
                if got != wanted {
                    misses.push(Miss { level: finer, index: children.start + j, got, wanted });
                }
            }
            // Still recorded, so that groups below start from these figures.
            cells.insert((level, index), own);
        }
    }
    (cells, misses)
}

/// Rounds a count metric's quarters and months for all org leaves together,
/// so that they add up to the company's own: `total` (the company's units)
/// cascaded down `table` from the year by the brief's rule gives the target
/// of every quarter (the year's group) and every month (each quarter's
/// group). Quarters and months are rounded in one go
/// ([`controlled_round_nested`]): fixing the quarters first, blind to the
/// months, can leave a quarter whose months have no controlled rounding.
/// Where no rounding meets every month target, the groups are rounded one
/// after the other as by [`round_jointly`], and a group for which no
/// controlled rounding meets its targets keeps each leaf's own rounding.
/// Weeks and days are never in the result, so they stay rounded per leaf.
/// `leaves` are the org leaves' rounded and exact amounts, and must add up to
/// `total`.
pub(super) fn count_cells(
    calendar: &Calendar,
    leaves: &[(u128, Exact)],
    table: &[Vec<Vec<Share>>],
    total: u128,
) -> HeldCells {
    let mut apportioner = Apportioner::default();
    let mut quarters: Vec<Part> = Vec::new();
    let mut months: Vec<u128> = Vec::new();
    let mut targets: HashMap<(Level, usize), u128> = HashMap::new();
    // The company's cascade, by the same rule as every leaf's: these are the
    // figures the company would show if it were a leaf itself.
    let year = (Level::Year, 0);
    apportioner
        .parts(total, &Exact::from_units(total), &table[Level::Year.index()][0], &mut quarters)
        .expect("calendar shares are valid");
    let first_quarter = calendar.period(year.0, year.1).children.start;
    let mut groups = vec![year];
    // Every month's target, in time order (quarter by quarter).
    let mut columns: Vec<Option<u128>> = Vec::new();
    for (offset, quarter) in quarters.iter().enumerate() {
        let q = first_quarter + offset;
        targets.insert((Level::Quarter, q), quarter.units);
        apportioner
            .units(quarter.units, &quarter.exact, &table[Level::Quarter.index()][q], &mut months)
            .expect("calendar shares are valid");
        let first_month = calendar.period(Level::Quarter, q).children.start;
        targets.extend(months.iter().enumerate().map(|(k, &units)| ((Level::Month, first_month + k), units)));
        columns.extend(months.iter().map(|&units| Some(units)));
        groups.push((Level::Quarter, q));
    }
    if let Some(cells) = nested_count_cells(calendar, leaves, table, &columns) {
        return cells;
    }
    // The misses are dropped: for a count the company's quarters are a wish
    // (it is only a cross-cut), and leaving a group to each leaf's own
    // rounding is what the brief promises anyway.
    let (cells, _misses) =
        round_jointly(calendar, leaves, table, &groups, |level, i| targets.get(&(level, i)).copied());
    cells
}

/// The year's quarters and every quarter's months of each leaf, rounded in
/// one flow so that the months add up over the leaves to `columns` (the
/// company's months, in time order); `None` when no such rounding exists.
fn nested_count_cells(
    calendar: &Calendar,
    leaves: &[(u128, Exact)],
    table: &[Vec<Vec<Share>>],
    columns: &[Option<u128>],
) -> Option<HeldCells> {
    let quarters = calendar.period(Level::Year, 0).children.clone();
    let mut apportioner = Apportioner::default();
    let (mut quarter_parts, mut month_parts) = (Vec::new(), Vec::new());
    let mut rows = Vec::with_capacity(leaves.len());
    for (units, exact) in leaves {
        let groups = apportioner
            .table_row(*units, exact, &table[Level::Year.index()][0], &mut quarter_parts)
            .expect("shares were checked on the total");
        // A quarter's months' floors and fractions depend only on its exact
        // value, so the leaf's own rounding of the quarter serves as well as any.
        let cells = quarters
            .clone()
            .zip(&quarter_parts)
            .map(|(q, part)| {
                let row = apportioner
                    .table_row(part.units, &part.exact, &table[Level::Quarter.index()][q], &mut month_parts)
                    .expect("shares were checked on the total");
                row.cells
            })
            .collect();
        rows.push(NestedRow { groups, cells });
    }
    let rounded = controlled_round_nested(&rows, columns)?;
    let mut cells: HeldCells = HashMap::new();
    cells.insert((Level::Year, 0), rounded.iter().map(|r| r.groups.clone()).collect());
    for (offset, q) in quarters.enumerate() {
        cells.insert((Level::Quarter, q), rounded.iter().map(|r| r.cells[offset].clone()).collect());
    }
    Some(cells)
}

/// A leaf's rounded and exact value at period `target`, going down from its
/// year through the groups already rounded together (`cells`), and by its
/// own rounding elsewhere.
#[allow(clippy::too_many_arguments)]
fn leaf_at(
    calendar: &Calendar,
    table: &[Vec<Vec<Share>>],
    cells: &HeldCells,
    leaf: usize,
    units: u128,
    exact: Exact,
    target: (Level, usize),
    apportioner: &mut Apportioner,
) -> (u128, Exact) {
    let mut chain = vec![target];
    while let Some(parent) = calendar.period(chain[chain.len() - 1].0, chain[chain.len() - 1].1).parent {
        let level = chain[chain.len() - 1].0.coarser().expect("has a parent level");
        chain.push((level, parent));
    }
    chain.reverse();
    let (mut units, mut exact) = (units, exact);
    let mut parts = Vec::new();
    for step in chain.windows(2) {
        let ((level, index), (_, child)) = (step[0], step[1]);
        apportioner.parts(units, &exact, &table[level.index()][index], &mut parts).expect("checked shares");
        let offset = child - calendar.period(level, index).children.start;
        units = cells.get(&(level, index)).map_or(parts[offset].units, |rows| rows[leaf][offset]);
        exact = parts[offset].exact.clone();
    }
    (units, exact)
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::super::time_table;
    use super::*;
    use crate::calendar::{CalendarSpec, Spread};

    /// A 2026 calendar year with the given quarter weights, months even.
    fn calendar(quarters: [u32; 4]) -> Calendar {
        let mut spec = CalendarSpec::new(2026).unwrap();
        spec.quarters = Some(quarters.iter().map(|&q| Decimal::from(q)).collect());
        Calendar::build(&spec).unwrap()
    }

    /// Three leaves sharing 100 by 3:2:2: exact 300/7, 200/7, 200/7, rounded
    /// 43/29/28 as the org split rounds them.
    fn leaves() -> Vec<(u128, Exact)> {
        vec![(43, Exact::from_ratio(300, 7)), (29, Exact::from_ratio(200, 7)), (28, Exact::from_ratio(200, 7))]
    }

    /// Each leaf's children of `(level, index)`, from `cells` where rounded
    /// jointly, else by its own rounding; and their exact values.
    fn children(
        calendar: &Calendar,
        table: &[Vec<Vec<Share>>],
        cells: &HeldCells,
        leaf: usize,
        (level, index): (Level, usize),
    ) -> (u128, Vec<(u128, Exact)>) {
        let (units, exact) = leaves()[leaf].clone();
        let mut apportioner = Apportioner::default();
        let (units, exact) = leaf_at(calendar, table, cells, leaf, units, exact, (level, index), &mut apportioner);
        let mut parts = Vec::new();
        apportioner.parts(units, &exact, &table[level.index()][index], &mut parts).unwrap();
        let rounded = cells.get(&(level, index)).map(|rows| rows[leaf].clone());
        let figures =
            parts.iter().enumerate().map(|(j, p)| (rounded.as_ref().map_or(p.units, |r| r[j]), p.exact.clone()));
        (units, figures.collect())
    }

    fn floor_or_ceiling(units: u128, exact: &Exact) -> bool {
        let floor = u128::try_from(&exact.floor_units()).unwrap();
        let ceil = u128::try_from(&exact.ceil_units()).unwrap();
        units == floor || units == ceil
    }

    /// Every group of `groups`: each leaf's children add up to its parent
    /// figure and are floors or ceilings; returns the sums over leaves.
    fn checked_sums(
        calendar: &Calendar,
        table: &[Vec<Vec<Share>>],
        cells: &HeldCells,
        group: (Level, usize),
    ) -> Vec<u128> {
        let width = calendar.period(group.0, group.1).children.len();
        let mut sums = vec![0; width];
        for leaf in 0..leaves().len() {
            let (parent, figures) = children(calendar, table, cells, leaf, group);
            assert_eq!(figures.iter().map(|f| f.0).sum::<u128>(), parent, "leaf {leaf} in {group:?} adds up");
            for (j, (units, exact)) in figures.iter().enumerate() {
                assert!(floor_or_ceiling(*units, exact), "leaf {leaf}, {group:?} child {j}: {units} vs {exact:?}");
                sums[j] += units;
            }
        }
        sums
    }

    /// The company's own cascade of `total`: its quarters, and per quarter its months.
    fn company(table: &[Vec<Vec<Share>>], total: u128) -> (Vec<u128>, Vec<Vec<u128>>) {
        let mut apportioner = Apportioner::default();
        let mut quarters = Vec::new();
        apportioner.parts(total, &Exact::from_units(total), &table[0][0], &mut quarters).unwrap();
        let months = quarters
            .iter()
            .enumerate()
            .map(|(q, part)| {
                let mut out = Vec::new();
                apportioner.units(part.units, &part.exact, &table[Level::Quarter.index()][q], &mut out).unwrap();
                out
            })
            .collect();
        (quarters.iter().map(|p| p.units).collect(), months)
    }

    #[test]
    fn each_leaf_rounding_on_its_own_misses_the_company_quarters() {
        // The problem count_cells solves: 21/30/39/10, not 20/30/40/10.
        let calendar = calendar([20, 30, 40, 10]);
        let table = time_table(&calendar);
        let sums = checked_sums(&calendar, &table, &HeldCells::new(), (Level::Year, 0));
        assert_eq!(sums, vec![21, 30, 39, 10]);
    }

    #[test]
    fn count_quarters_and_months_add_up_to_the_company() {
        let calendar = calendar([20, 30, 40, 10]);
        let table = time_table(&calendar);
        let cells = count_cells(&calendar, &leaves(), &table, 100);
        let (quarters, months) = company(&table, 100);
        assert_eq!(quarters, vec![20, 30, 40, 10]);
        assert_eq!(checked_sums(&calendar, &table, &cells, (Level::Year, 0)), quarters);
        // Each leaf's quarters add up to its total.
        for (leaf, (units, _)) in leaves().iter().enumerate() {
            assert_eq!(cells[&(Level::Year, 0)][leaf].iter().sum::<u128>(), *units);
        }
        for (q, company_months) in months.iter().enumerate() {
            assert_eq!(&checked_sums(&calendar, &table, &cells, (Level::Quarter, q)), company_months, "Q{}", q + 1);
        }
        // Weeks and days stay per leaf.
        assert!(cells.keys().all(|(level, _)| *level <= Level::Quarter));
        assert_eq!(cells.len(), 5);
    }

    #[test]
    fn count_cells_holds_for_many_splits() {
        // Leaves sharing a total by assorted weights. A controlled rounding
        // exists for each of these (it nearly always does; the fallback has a
        // test of its own), so the leaves' quarters and months meet the
        // company's.
        let calendar = calendar([3, 5, 7, 2]);
        let table = time_table(&calendar);
        for (total, weights) in
            [(100u128, vec![3u128, 2, 2]), (7, vec![1, 1, 1]), (31, vec![5, 1, 9, 2, 4]), (1, vec![1, 1])]
        {
            let sum: u128 = weights.iter().sum();
            let mut parts = Vec::new();
            let shares: Vec<Share> = weights.iter().map(|&w| Share::Weight(w.into())).collect();
            Apportioner::default().parts(total, &Exact::from_units(total), &shares, &mut parts).unwrap();
            let leaves: Vec<(u128, Exact)> = parts.iter().map(|p| (p.units, p.exact.clone())).collect();
            assert_eq!(leaves.iter().map(|l| l.0).sum::<u128>(), total, "weights {weights:?} of {sum}");
            let cells = count_cells(&calendar, &leaves, &table, total);
            let (quarters, months) = company(&table, total);
            let year = &cells[&(Level::Year, 0)];
            for (leaf, (units, _)) in leaves.iter().enumerate() {
                assert_eq!(year[leaf].iter().sum::<u128>(), *units);
            }
            let sums: Vec<u128> = (0..4).map(|q| year.iter().map(|r| r[q]).sum()).collect();
            assert_eq!(sums, quarters, "total {total} by {weights:?}");
            for (q, company_months) in months.iter().enumerate() {
                let quarter = &cells[&(Level::Quarter, q)];
                let sums: Vec<u128> = (0..3).map(|m| quarter.iter().map(|r| r[m]).sum()).collect();
                assert_eq!(&sums, company_months, "total {total} by {weights:?}, Q{}", q + 1);
                for (leaf, row) in quarter.iter().enumerate() {
                    assert_eq!(row.iter().sum::<u128>(), year[leaf][q], "leaf {leaf}'s months add up to its quarter");
                }
            }
        }
    }

    #[test]
    fn count_months_get_the_quarters_they_need() {
        // 177 a year, quarters 5:4:4:2, months by days, over two leaves 3:9
        // (44 and 133): the company's Jan-Mar are 20/19/20. Rounding the
        // quarters first, blind to the months, gave 21/18/20.
        let mut spec = CalendarSpec::new(2026).unwrap();
        spec.quarters = Some([5u32, 4, 4, 2].iter().map(|&q| Decimal::from(q)).collect());
        spec.spread = Spread::Days;
        let calendar = Calendar::build(&spec).unwrap();
        let table = time_table(&calendar);
        let leaves = vec![(44, Exact::from_ratio(177 * 3, 12)), (133, Exact::from_ratio(177 * 9, 12))];
        let cells = count_cells(&calendar, &leaves, &table, 177);
        let (quarters, months) = company(&table, 177);
        assert_eq!(months[0], vec![20, 19, 20]);
        let year = &cells[&(Level::Year, 0)];
        assert_eq!((0..4).map(|q| year.iter().map(|r| r[q]).sum::<u128>()).collect::<Vec<_>>(), quarters);
        for (leaf, (units, exact)) in leaves.iter().enumerate() {
            assert_eq!(year[leaf].iter().sum::<u128>(), *units);
            let mut parts = Vec::new();
            Apportioner::default().parts(*units, exact, &table[0][0], &mut parts).unwrap();
            for (q, part) in parts.iter().enumerate() {
                assert!(floor_or_ceiling(year[leaf][q], &part.exact), "leaf {leaf} Q{}", q + 1);
                let mut month_parts = Vec::new();
                Apportioner::default()
                    .parts(year[leaf][q], &part.exact, &table[Level::Quarter.index()][q], &mut month_parts)
                    .unwrap();
                let rounded = &cells[&(Level::Quarter, q)][leaf];
                assert_eq!(rounded.iter().sum::<u128>(), year[leaf][q]);
                for (m, month) in month_parts.iter().enumerate() {
                    assert!(floor_or_ceiling(rounded[m], &month.exact), "leaf {leaf} Q{} month {m}", q + 1);
                }
            }
        }
        for (q, company_months) in months.iter().enumerate() {
            let quarter = &cells[&(Level::Quarter, q)];
            let sums: Vec<u128> = (0..3).map(|m| quarter.iter().map(|r| r[m]).sum()).collect();
            assert_eq!(&sums, company_months, "Q{}", q + 1);
        }
    }

    #[test]
    fn a_group_without_a_controlled_rounding_keeps_each_leafs_own() {
        // Asking Q1 for 50 of 100 when its exact share is 20 cannot be met:
        // the group keeps the leaves' own roundings and the miss is reported.
        let calendar = calendar([20, 30, 40, 10]);
        let table = time_table(&calendar);
        let (cells, misses) = round_jointly(&calendar, &leaves(), &table, &[(Level::Year, 0)], |level, i| {
            (level == Level::Quarter && i == 0).then_some(50)
        });
        assert_eq!(misses, vec![Miss { level: Level::Quarter, index: 0, got: 21, wanted: 50 }]);
        let own = checked_sums(&calendar, &table, &HeldCells::new(), (Level::Year, 0));
        assert_eq!(checked_sums(&calendar, &table, &cells, (Level::Year, 0)), own);
    }

    #[test]
    fn groups_are_rounded_top_down_whatever_order_they_come_in() {
        let calendar = calendar([20, 30, 40, 10]);
        let table = time_table(&calendar);
        let (quarters, months) = company(&table, 100);
        let total = |level: Level, i: usize| match level {
            Level::Quarter => Some(quarters[i]),
            Level::Month => Some(months[i / 3][i % 3]),
            _ => None,
        };
        let groups = [(Level::Quarter, 2), (Level::Year, 0), (Level::Quarter, 0)];
        let (cells, misses) = round_jointly(&calendar, &leaves(), &table, &groups, total);
        assert!(misses.is_empty());
        let mut sorted = groups;
        sorted.sort();
        let (again, _) = round_jointly(&calendar, &leaves(), &table, &sorted, total);
        assert_eq!(cells, again);
        assert_eq!(checked_sums(&calendar, &table, &cells, (Level::Quarter, 2)), months[2]);
    }
}
