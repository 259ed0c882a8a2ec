//! Stage `track`: the member names of one split, numbered, for
//! [`PathIndex`](super::PathIndex). A row looks up one name per split, so
//! this is the innermost lookup of reading actuals: an open-addressing
//! table at most half full, a name found by one multiply, two loads and a
//! compare of three words.

use super::Name;

/// Member names of one split by their numbers.
pub(super) struct MemberTable {
    /// Slot `i`: 0 when empty, else `entry + 1` (an index into `keys`) in
    /// the low half and the name's number in the high half; at most half
    /// are full. Eight bytes a slot and 24 an entry keep a table of 40,000
    /// whole paths within the processor's second-level cache.
    slots: Vec<u64>,
    /// Per entry, a short name's three words ([`Name::Short`]), or for a
    /// long one its index in `long` and then [`LONG`] twice.
    keys: Vec<[u64; 3]>,
    long: Vec<Box<[u8]>>,
    /// How far to shift a hash to get a slot: 64 less log2 of the slots.
    shift: u32,
}

/// The last word of a long name's key: a short name's has its length
/// (below 24) in the top byte.
const LONG: u64 = u64::MAX;

impl MemberTable {
    /// The table of `names`, each with its number.
    pub(super) fn new<'a>(names: impl ExactSizeIterator<Item = (Name<'a>, u32)>) -> MemberTable {
        let bits = (2 * names.len()).max(8).next_power_of_two().trailing_zeros();
        let mut table = MemberTable {
            slots: vec![0; 1 << bits],
            keys: Vec::with_capacity(names.len()),
            long: Vec::new(),
            shift: 64 - bits,
        };
        for (name, number) in names {
            let mut i = table.slot(&name);
            while table.slots[i] != 0 {
                i = (i + 1) & (table.slots.len() - 1);
            }
            let entry = u32::try_from(table.keys.len() + 1).expect("fewer names than u32::MAX");
            table.slots[i] = u64::from(number) << 32 | u64::from(entry);
            table.keys.push(match name {
                Name::Short(words) => words,
                Name::Long(bytes) => {
                    table.long.push(bytes.into());
                    [table.long.len() as u64 - 1, LONG, LONG]
                }
            });
        }
        table
    }

    /// The number of `name`, if it is a member.
    #[inline]
    pub(super) fn get(&self, name: &Name<'_>) -> Option<u32> {
        let mut i = self.slot(name);
        loop {
            let slot = self.slots[i];
            // The low half is the entry + 1, the high half the number.
            #[allow(clippy::cast_possible_truncation)]
            let entry = slot as u32;
            if entry == 0 {
                return None;
            }
            let key = &self.keys[entry as usize - 1];
            let same = match name {
                Name::Short(words) => key == words,
                Name::Long(bytes) => {
                    key[2] == LONG && usize::try_from(key[0]).is_ok_and(|at| *self.long[at] == **bytes)
                }
            };
            if same {
                return Some((slot >> 32) as u32);
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    /// Where `name`'s search starts: the high bits of its hash (Fibonacci hashing).
    #[inline]
    fn slot(&self, name: &Name<'_>) -> usize {
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
