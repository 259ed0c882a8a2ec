//! Stage `engine`: the time walk. One org leaf's figure is shared down its
//! time tree (year -> quarter -> month -> week -> day) to the level asked
//! for, every step by the apportioner, with the periods that holds or joint
//! count rounding fixed for all leaves together taking those figures.

use super::holds::HeldCells;
use super::{Engine, Series, Source, TimeTable};
use crate::allocate::{Apportioner, Exact, Part};
use crate::calendar::Level;

/// Buffers for one level of the time tree, reused for every leaf.
#[derive(Debug, Default)]
pub(super) struct LevelScratch {
    apportioner: Apportioner,
    parts: Vec<Part>,
    units: Vec<u128>,
}

/// What one leaf's walk down the time tree reads.
pub(super) struct Walk<'a> {
    table: &'a TimeTable,
    held: &'a HeldCells,
    leaf: usize,
    level: Level,
}

impl<'p> Engine<'p> {
    /// Spreads org leaf `leaf`'s figure of `series` down to `level`.
    pub(super) fn spread_leaf(
        &self,
        series: &Series<'p>,
        leaf: usize,
        level: Level,
        out: &mut Vec<u128>,
        scratch: &mut [LevelScratch],
    ) {
        let Source::Shared { amounts, tables, held, .. } = &series.source else { return };
        let (units, exact) = &amounts[leaf];
        let walk = Walk { table: &self.tables[tables[leaf]], held, leaf, level };
        self.spread(&walk, Level::Year, 0, *units, exact, out, scratch);
    }

    /// Shares a node of an org leaf's time tree down to `walk.level`,
    /// pushing the units of each period of that level under it, in time order.
    #[allow(clippy::too_many_arguments)]
    fn spread(
        &self,
        walk: &Walk<'_>,
        at: Level,
        index: usize,
        units: u128,
        exact: &Exact,
        out: &mut Vec<u128>,
        scratch: &mut [LevelScratch],
    ) {
        let level = walk.level;
        if at == level {
            out.push(units);
            return;
        }
        let shares = &walk.table[at.index()][index];
        let (mine, deeper) = scratch.split_first_mut().expect("one buffer per level");
        let finer = at.finer().expect("a level above the target has children");
        // The calendar guarantees every period with a share has days to
        // carry it, so these cannot fail.
        let held = walk.held.get(&(at, index)).map(|rows| &rows[walk.leaf]);
        if finer == level && held.is_none() {
            // The last step needs no exact values: skip building them.
            mine.apportioner.units(units, exact, shares, &mut mine.units).expect("calendar shares are valid");
            out.extend_from_slice(&mine.units);
            return;
        }
        mine.apportioner.parts(units, exact, shares, &mut mine.parts).expect("calendar shares are valid");
        if let Some(rounded) = held {
            // Rounded with every other leaf so that held periods keep their holds.
            for (part, units) in mine.parts.iter_mut().zip(rounded) {
                part.units = *units;
            }
        }
        if finer == level {
            out.extend(mine.parts.iter().map(|p| p.units));
            return;
        }
        let first_child = self.calendar.period(at, index).children.start;
        for (offset, part) in mine.parts.iter().enumerate() {
            self.spread(walk, finer, first_child + offset, part.units, &part.exact, out, deeper);
        }
    }
}

pub(super) fn scratch() -> Vec<LevelScratch> {
    (0..Level::ALL.len()).map(|_| LevelScratch::default()).collect()
}
