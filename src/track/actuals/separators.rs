//! Stage `track`: where the fields and lines of a plain actuals file end,
//! for [`PlainRows`](super::PlainRows). A row of some 36 bytes has five
//! such bytes; finding each with its own `memchr2` call cost more than the
//! rest of the row's reading. Here 64 bytes at a time become one bit mask
//! of delimiters and line feeds (eight 8-byte words compared at once, in
//! portable integer arithmetic), and the positions are its set bits.

/// The positions of `delimiter` and `\n` bytes in a text, in order, as
/// `memchr::memchr2_iter(delimiter, b'\n', text)` gives them.
pub(super) struct Separators<'t> {
    text: &'t [u8],
    delimiter: u8,
    /// `delimiter` in every byte of a word.
    delimiters: u64,
    /// Where the block of `mask` starts.
    block: usize,
    /// The positions (bits, from `block`) not yet given.
    mask: u64,
}

/// `0x01` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// `0x80` in every byte.
const HIGHS: u64 = 0x8080_8080_8080_8080;

impl<'t> Separators<'t> {
    /// The separators of `text` split at `delimiter` (which is not `\n`).
    pub(super) fn new(text: &'t [u8], delimiter: u8) -> Separators<'t> {
        let mut s = Separators { text, delimiter, delimiters: ONES * u64::from(delimiter), block: 0, mask: 0 };
        s.mask = s.block_mask(0);
        s
    }

    /// The separators among the 64 bytes from `at` (fewer at the end), as bits.
    #[inline]
    fn block_mask(&self, at: usize) -> u64 {
        let text = &self.text[at.min(self.text.len())..];
        if text.len() < 64 {
            return text.iter().enumerate().fold(0, |m, (i, &b)| m | u64::from(b == b'\n' || b == self.delimiter) << i);
        }
        let mut mask = 0;
        for (k, word) in text[..64].chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            let found = zero_bytes(word ^ self.delimiters) | zero_bytes(word ^ (ONES * u64::from(b'\n')));
            // The high bit of byte i to bit i: each lands on its own bit of the top byte.
            let bits = ((found >> 7) & ONES).wrapping_mul(0x0102_0408_1020_4080) >> 56;
            mask |= bits << (8 * k);
        }
        mask
    }
}

/// `0x80` in each byte of `word` that is zero, `0x00` in the others (exact:
/// no byte's test carries into the next).
#[inline]
fn zero_bytes(word: u64) -> u64 {
    let low_sum = (word & !HIGHS) + !HIGHS;
    !(low_sum | word | !HIGHS)
}

impl Iterator for Separators<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.block += 64;
            if self.block >= self.text.len() {
                return None;
            }
            self.mask = self.block_mask(self.block);
        }
        let at = self.block + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn separators_are_found_in_every_position_of_a_block_and_after_it() {
        let mut text = vec![b'x'; 200];
        for at in [0, 7, 8, 63, 64, 65, 127, 128, 199] {
            text[at] = if at % 2 == 0 { b',' } else { b'\n' };
        }
        text[100] = b';';
        let found: Vec<usize> = Separators::new(&text, b',').collect();
        assert_eq!(found, vec![0, 7, 8, 63, 64, 65, 127, 128, 199]);
        let semicolons: Vec<usize> = Separators::new(&text, b';').collect();
        assert_eq!(semicolons, vec![7, 63, 65, 100, 127, 199]);
        assert_eq!(Separators::new(b"", b',').next(), None);
    }

    proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2_000))]

        /// Any bytes, any delimiter: the positions memchr2 gives.
        #[test]
        fn the_positions_are_memchr2s(
            text in proptest::collection::vec(prop_oneof![
                4 => any::<u8>(),
                1 => Just(b','),
                1 => Just(b'\n'),
                1 => Just(b';'),
                1 => Just(0x80u8 | b','),
            ], 0..300),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'|'), Just(0x80u8)],
        ) {
            let ours: Vec<usize> = Separators::new(&text, delimiter).collect();
            let theirs: Vec<usize> = memchr::memchr2_iter(delimiter, b'\n', &text).collect();
            prop_assert_eq!(ours, theirs);
        }
    }
}
