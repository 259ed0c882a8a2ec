//! Stage `track`: the member names of one split, numbered, for
//! [`PathIndex`](super::PathIndex). A row looks up one name per split, so
//! this is the innermost lookup of reading actuals: an open-addressing
//! table at most half full, a name found by one multiply, one load and a
//! compare of three words.

use super::Name;

/// Member names of one split by their numbers.
pub(super) struct MemberTable {
    /// Slot `i`: a name and its number, or `EMPTY`; at most half are full.
    slots: Vec<(Name, u32)>,
    /// How far to shift a hash to get a slot: 64 less log2 of the slots.
    shift: u32,
}

/// The number of an empty slot.
const EMPTY: u32 = u32::MAX;

impl MemberTable {
    /// The table of `names`, each with its number (below `u32::MAX`).
    pub(super) fn new(names: impl ExactSizeIterator<Item = (Name, u32)>) -> MemberTable {
        let bits = (2 * names.len()).max(8).next_power_of_two().trailing_zeros();
        let mut table = MemberTable { slots: vec![(Name::Short([0; 3]), EMPTY); 1 << bits], shift: 64 - bits };
        for (name, number) in names {
            let mut i = table.slot(&name);
            while table.slots[i].1 != EMPTY {
                i = (i + 1) & (table.slots.len() - 1);
            }
            table.slots[i] = (name, number);
        }
        table
    }

    /// The number of `name`, if it is a member.
    #[inline]
    pub(super) fn get(&self, name: &Name) -> Option<u32> {
        let mut i = self.slot(name);
        loop {
            let (held, number) = &self.slots[i];
            if *number == EMPTY {
                return None;
            }
            if held == name {
                return Some(*number);
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    /// Reads the slots where the searches for `names` start, so that the
    /// memory is on its way for all of them before any is searched.
    pub(super) fn touch(&self, names: impl Iterator<Item = Name>) {
        let mut seen = 0;
        for name in names {
            seen ^= self.slots[self.slot(&name)].1;
        }
        std::hint::black_box(seen);
    }

    /// Where `name`'s search starts: the high bits of its hash (Fibonacci hashing).
    #[inline]
    fn slot(&self, name: &Name) -> usize {
        let h = name.word().wrapping_mul(0x9e37_79b9_7f4a_7c15);
        usize::try_from(h >> self.shift).expect("a slot index fits a usize")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_is_found_by_its_number_and_no_other_name_is() {
        let names: Vec<String> =
            (0..3000).map(|i| format!("rep-{i:04}")).chain(["东北".into(), "x".repeat(40)]).collect();
        let table = MemberTable::new(
            names.iter().enumerate().map(|(i, n)| (Name::of(n.as_bytes()), u32::try_from(i).unwrap())),
        );
        for (i, n) in names.iter().enumerate() {
            assert_eq!(table.get(&Name::of(n.as_bytes())), Some(u32::try_from(i).unwrap()), "{n}");
        }
        for other in ["rep-3000", "rep-0001 ", "", "东", &"x".repeat(41)] {
            assert_eq!(table.get(&Name::of(other.as_bytes())), None, "{other:?}");
        }
        assert_eq!(MemberTable::new(std::iter::empty()).get(&Name::of(b"a")), None);
    }
}
