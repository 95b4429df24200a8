//! Finding field and line ends in a quote-free block: the positions of every delimiter and
//! `\n`, 64 bytes at a time. Knows nothing of records or columns.
//!
//! A row of a support log is about 60 bytes with five delimiters, so a search that starts
//! over at each hit (`memchr2`) pays its set-up cost per field; one bit mask per 64 bytes
//! pays it once per line.

/// The positions of `delimiter` and `\n` in `bytes`, in order.
pub struct Hits<'a> {
    bytes: &'a [u8],
    /// Start of the 64-byte chunk `mask` describes.
    base: usize,
    /// Bit `j` set: `bytes[base + j]` is a hit not yet returned.
    mask: u64,
    delimiter: u8,
}

impl<'a> Hits<'a> {
    pub fn new(bytes: &'a [u8], delimiter: u8) -> Hits<'a> {
        let mut hits = Hits {
            bytes,
            base: 0,
            mask: 0,
            delimiter,
        };
        hits.load();
        hits
    }

    fn load(&mut self) {
        self.mask = match self.bytes.get(self.base..self.base + 64) {
            Some(chunk) => chunk_mask(chunk.try_into().expect("64 bytes"), self.delimiter),
            None => self.bytes[self.base.min(self.bytes.len())..]
                .iter()
                .enumerate()
                .fold(0, |m, (j, &b)| {
                    m | u64::from(b == self.delimiter || b == b'\n') << j
                }),
        };
    }
}

impl Iterator for Hits<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.mask != 0 {
                let j = self.mask.trailing_zeros() as usize;
                self.mask &= self.mask - 1;
                return Some(self.base + j);
            }
            if self.base + 64 >= self.bytes.len() {
                return None;
            }
            self.base += 64;
            self.load();
        }
    }
}

/// Bit `j` set where `chunk[j]` is `delimiter` or `\n`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn chunk_mask(chunk: &[u8; 64], delimiter: u8) -> u64 {
    // SAFETY: the one obligation of calling a `#[target_feature]` function is that the CPU
    // has the feature, and SSE2 is part of every x86_64 CPU (this code is compiled only where
    // the target enables it).
    unsafe { sse2_mask(chunk, delimiter) }
}

/// A safe function with the feature (Rust 1.86), whose intrinsics are safe calls (Rust 1.87;
/// the crate requires 1.88): they take values, not pointers, and read nothing outside `chunk`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn sse2_mask(chunk: &[u8; 64], delimiter: u8) -> u64 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    };
    let d = _mm_set1_epi8(delimiter as i8);
    let nl = _mm_set1_epi8(b'\n' as i8);
    let mut mask = 0u64;
    for (k, part) in chunk.chunks_exact(16).enumerate() {
        let word = |i: usize| i64::from_le_bytes(part[i..i + 8].try_into().expect("8 bytes"));
        // Compiles to one unaligned 16-byte load.
        let v = _mm_set_epi64x(word(8), word(0));
        let hits = _mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, nl));
        mask |= u64::from(_mm_movemask_epi8(hits) as u16) << (16 * k);
    }
    mask
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn chunk_mask(chunk: &[u8; 64], delimiter: u8) -> u64 {
    chunk.iter().enumerate().fold(0, |m, (j, &b)| {
        m | u64::from(b == delimiter || b == b'\n') << j
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(bytes: &[u8], d: u8) -> Vec<usize> {
        memchr::memchr2_iter(d, b'\n', bytes).collect()
    }

    #[test]
    fn hits_by_hand() {
        let b = b"a,b\n,,\n";
        assert_eq!(Hits::new(b, b',').collect::<Vec<_>>(), vec![1, 3, 4, 5, 6]);
        assert_eq!(Hits::new(b"", b',').count(), 0);
        assert_eq!(Hits::new(b"abc", b';').count(), 0);
        // Exactly one chunk, and one byte past it.
        let mut b = vec![b'x'; 65];
        b[63] = b'\t';
        b[64] = b'\n';
        assert_eq!(Hits::new(&b, b'\t').collect::<Vec<_>>(), vec![63, 64]);
        assert_eq!(Hits::new(&b[..64], b'\t').collect::<Vec<_>>(), vec![63]);
    }

    proptest! {
        #[test]
        fn hits_equal_memchr2(
            bytes in proptest::collection::vec(prop_oneof![Just(b','), Just(b'\n'), Just(b';'), Just(0x80u8), Just(b'a'), any::<u8>()], 0..400),
            semicolon in any::<bool>(),
        ) {
            let d = if semicolon { b';' } else { b',' };
            prop_assert_eq!(Hits::new(&bytes, d).collect::<Vec<_>>(), reference(&bytes, d));
        }
    }
}
