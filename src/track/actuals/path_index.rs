//! Stage `track`: the index that finds a row's tracked node from its
//! member names — a fast hash, member numbers per split and one small table
//! per step down the paths — so that reading actuals stays fast.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

mod member_table;

use member_table::MemberTable;

/// A fast hash for the member paths of rows (the file is the user's own:
/// no one is attacking the table).
#[derive(Clone, Copy, Default)]
pub(super) struct PathHasher(u64);

impl PathHasher {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;

    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(Self::K).rotate_left(29);
    }
}

impl Hasher for PathHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.mix(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // The table takes its buckets from the low bits: mix the high ones in.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<PathHasher>>;

/// The nodes by their member paths, `depth` members long: each member
/// name has a number per split, and each path prefix a number per length;
/// a row's node is then found by a few lookups in small tables (which stay
/// in the processor's cache) rather than by hashing and comparing its path.
pub(super) struct PathIndex {
    /// Per split: member name -> number.
    members: Vec<MemberTable>,
    /// Per split: prefix of that length + 1 by (prefix, member); at the
    /// last split, the node.
    steps: Vec<Step>,
    /// The node of the empty path (at depth 0).
    root: Option<usize>,
    /// Whole paths, their members joined by a delimiter, to their nodes:
    /// one lookup for a row whose split columns come one after the other
    /// (see [`PathIndex::find_joined`]).
    joined: Option<MemberTable>,
}

/// A member name as a key: a short one (most are) held in three words,
/// hashed and compared without reaching for memory elsewhere; a long one
/// is the bytes where they are (a row's are looked up without a copy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Name<'a> {
    /// Up to 23 bytes, zero-padded, the length in the last byte.
    Short([u64; 3]),
    Long(&'a [u8]),
}

impl std::hash::Hash for Name<'_> {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.word());
    }
}

impl<'a> Name<'a> {
    /// Names shorter than this are [`Name::Short`].
    const SHORT: usize = 24;

    /// The name folded into one word, for hashing: a short one's three
    /// words with distinct odd multipliers, a long one's bytes hashed.
    #[inline]
    fn word(&self) -> u64 {
        match self {
            Name::Short([a, b, c]) => {
                a.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    ^ b.wrapping_mul(0xc2b2_ae3d_27d4_eb4f).rotate_left(21)
                    ^ c.wrapping_mul(0x1656_67b1_9e37_79f9).rotate_left(42)
            }
            Name::Long(bytes) => {
                let mut h = PathHasher::default();
                h.write(bytes);
                h.finish()
            }
        }
    }

    #[inline]
    fn of(bytes: &'a [u8]) -> Name<'a> {
        let len = bytes.len();
        if len < Name::SHORT {
            // Words loaded from the name itself, not from a copy of it on the
            // stack, which the processor would have to wait for.
            let word = |i: usize| little_endian(&bytes[(8 * i).min(len)..(8 * i + 8).min(len)]);
            Name::Short([word(0), word(1), word(2) | (len as u64) << 56])
        } else {
            Name::Long(bytes)
        }
    }
}

/// Up to 8 bytes as a little-endian word, zero-padded.
#[inline]
fn little_endian(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let at = |i: usize| u64::from(bytes[i]);
    match len {
        8.. => u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
        // Two loads that overlap in the middle: the bytes they share are the same.
        4..=7 => {
            let four = |i: usize| u64::from(u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes")));
            four(0) | four(len - 4) << (8 * (len - 4))
        }
        1..=3 => at(0) | at(len / 2) << (8 * (len / 2)) | at(len - 1) << (8 * (len - 1)),
        0 => 0,
    }
}

/// One step down the paths: (prefix, member) -> longer prefix.
enum Step {
    /// `next[prefix * members + member]`, `u32::MAX` for none.
    Dense { members: usize, next: Vec<u32> },
    /// Keyed `prefix << 32 | member`.
    Sparse(FastMap<u64, u32>),
}

impl Step {
    #[inline]
    fn get(&self, prefix: u32, member: u32) -> Option<u32> {
        match self {
            Step::Dense { members, next } => {
                next.get(prefix as usize * members + member as usize).copied().filter(|n| *n != u32::MAX)
            }
            Step::Sparse(next) => next.get(&(u64::from(prefix) << 32 | u64::from(member))).copied(),
        }
    }
}

impl PathIndex {
    /// The index of the paths in `nodes` that are `depth` long, path `i`
    /// found as node `into[i]`; with `joined_by`, whole paths can be found
    /// joined by that delimiter too.
    pub(super) fn new(nodes: &[Vec<&str>], depth: usize, into: &[usize], joined_by: Option<u8>) -> PathIndex {
        let mut members: Vec<FastMap<Name, u32>> = (0..depth).map(|_| FastMap::default()).collect();
        let mut edges: Vec<FastMap<u64, u32>> = (0..depth).map(|_| FastMap::default()).collect();
        let mut root = None;
        for (i, path) in nodes.iter().enumerate() {
            if path.len() != depth {
                continue;
            }
            if depth == 0 {
                root = Some(into[i]);
            }
            let mut prefix = 0u32;
            for (k, member) in path.iter().enumerate() {
                let next_member = u32::try_from(members[k].len()).expect("fewer members than nodes");
                let m = *members[k].entry(Name::of(member.as_bytes())).or_insert(next_member);
                let key = u64::from(prefix) << 32 | u64::from(m);
                prefix = if k + 1 == depth {
                    // The last step gives the node (the last one, should a path come twice).
                    let node = u32::try_from(into[i]).expect("plan::check caps the org tree at MAX_LEAVES leaves");
                    edges[k].insert(key, node);
                    node
                } else {
                    let next = u32::try_from(edges[k].len()).expect("fewer prefixes than nodes");
                    *edges[k].entry(key).or_insert(next)
                };
            }
        }
        // How many prefixes of each length there are (numbered from 0).
        let prefixes: Vec<usize> = std::iter::once(1).chain(edges.iter().map(HashMap::len)).collect();
        let steps = edges
            .into_iter()
            .enumerate()
            .map(|(k, edges)| {
                let prefixes = prefixes[k];
                let width = members[k].len();
                // A table as wide as every member under every prefix, unless that is mostly empty.
                if prefixes.saturating_mul(width) <= (8 * edges.len()).max(1 << 16) {
                    let mut next = vec![u32::MAX; prefixes * width];
                    for (key, n) in edges {
                        next[(key >> 32) as usize * width + (key & 0xffff_ffff) as usize] = n;
                    }
                    Step::Dense { members: width, next }
                } else {
                    Step::Sparse(edges)
                }
            })
            .collect();
        let members = members.into_iter().map(|names| MemberTable::new(names.into_iter())).collect();
        let joined = joined_by.filter(|_| depth > 0).map(|delimiter| {
            let mut whole: FastMap<Vec<u8>, u32> = FastMap::default();
            for (i, path) in nodes.iter().enumerate() {
                // A member with the delimiter in it would make the joined
                // path ambiguous: such paths are found member by member.
                if path.len() == depth && path.iter().all(|m| !m.as_bytes().contains(&delimiter)) {
                    let node = u32::try_from(into[i]).expect("plan::check caps the org tree at MAX_LEAVES leaves");
                    // The last node, should a path come twice, as `find` gives it.
                    let mut key = Vec::new();
                    for (k, member) in path.iter().enumerate() {
                        key.extend((k > 0).then_some(delimiter));
                        key.extend_from_slice(member.as_bytes());
                    }
                    // A long path is found member by member (each name short,
                    // most likely): that is no slower than hashing it whole.
                    if key.len() < Name::SHORT {
                        whole.insert(key, node);
                    }
                }
            }
            MemberTable::new(whole.iter().map(|(key, node)| (Name::of(key), *node)))
        });
        PathIndex { members, steps, root, joined }
    }

    /// The node of the path whose members, joined by the delimiter the
    /// index was made with, are `bytes`; `None` when there is none (the
    /// members may still be found one by one by [`PathIndex::find`], which
    /// trims them).
    #[inline]
    pub(super) fn find_joined(&self, bytes: &[u8]) -> Option<usize> {
        if bytes.len() >= Name::SHORT {
            return None;
        }
        self.joined.as_ref()?.get(&Name::of(bytes)).map(|n| n as usize)
    }

    /// The node of the path whose member at split `k` is `member(k)` (the
    /// name's UTF-8 bytes).
    #[inline]
    pub(super) fn find<'a>(&self, member: impl Fn(usize) -> &'a [u8]) -> Option<usize> {
        if self.steps.is_empty() {
            return self.root;
        }
        let mut prefix = 0u32;
        for (k, step) in self.steps.iter().enumerate() {
            let m = self.members[k].get(&Name::of(member(k)))?;
            prefix = step.get(prefix, m)?;
        }
        Some(prefix as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole short paths are found joined; long ones, paths with the
    /// delimiter in a name and anything not planned are left to `find`,
    /// which finds every planned path member by member.
    #[test]
    fn whole_paths_are_found_joined_when_short_and_member_by_member_always() {
        let long = "North America Enterprise Accounts";
        let paths: Vec<Vec<&str>> =
            vec![vec!["East", "Ann"], vec!["East", "Bob"], vec![long, "Ann"], vec!["a,b", "c"], vec!["East", "Ann"]];
        // The last of two equal paths, as `find` has it.
        let into = [7, 8, 9, 10, 11];
        let index = PathIndex::new(&paths, 2, &into, Some(b','));
        let joined = |text: &str| index.find_joined(text.as_bytes());
        let by_member = |p: &[&str]| index.find(|k| p[k].as_bytes());
        assert_eq!((joined("East,Ann"), joined("East,Bob")), (Some(11), Some(8)));
        assert_eq!(by_member(&["East", "Ann"]), Some(11));
        assert_eq!(joined(&format!("{long},Ann")), None);
        assert_eq!(by_member(&[long, "Ann"]), Some(9));
        assert_eq!((joined("a,b,c"), by_member(&["a,b", "c"])), (None, Some(10)));
        for unplanned in ["East,Cy", "East, Ann", "East", "", "East,Ann,"] {
            assert_eq!(joined(unplanned), None, "{unplanned:?}");
        }
        assert_eq!(PathIndex::new(&paths, 2, &into, None).find_joined(b"East,Ann"), None);
    }

    #[test]
    fn a_name_s_words_are_its_bytes_zero_padded_with_its_length_last() {
        let text = "东北-rep-0001-abcdefghijklmnopqrstuvwxyz";
        for len in 0..=text.len() {
            let bytes = &text.as_bytes()[..len];
            let name = Name::of(bytes);
            if len >= 24 {
                assert_eq!(name, Name::Long(bytes));
                continue;
            }
            let mut padded = [0u8; 24];
            padded[..len].copy_from_slice(bytes);
            padded[23] = u8::try_from(len).unwrap();
            let word = |i: usize| u64::from_le_bytes(padded[i * 8..i * 8 + 8].try_into().unwrap());
            assert_eq!(name, Name::Short([word(0), word(1), word(2)]), "{len} bytes");
        }
    }
}
