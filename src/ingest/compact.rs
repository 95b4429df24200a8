//! Compact per-case storage: ids kept inside the case (no heap block and no extra cache miss
//! per row for the usual short ids), cases in blocks that never move, and the case-id hash
//! table the ingest loop probes once per row, with prefetching.

use std::fmt;
use std::ops::{Deref, Index, IndexMut};

use super::Case;

/// A case id, inline up to 22 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct CaseId(IdRepr);

#[derive(Clone, PartialEq, Eq)]
enum IdRepr {
    Inline(u8, [u8; 22]),
    Heap(Box<str>),
}

impl CaseId {
    pub fn new(id: &str) -> CaseId {
        let b = id.as_bytes();
        if b.len() <= 22 {
            let mut bytes = [0u8; 22];
            bytes[..b.len()].copy_from_slice(b);
            CaseId(IdRepr::Inline(b.len() as u8, bytes))
        } else {
            CaseId(IdRepr::Heap(id.into()))
        }
    }

    /// Whether the id is `id` (short ids compared inline, without a call to `memcmp`).
    #[inline]
    pub fn is(&self, id: &[u8]) -> bool {
        match &self.0 {
            IdRepr::Inline(len, bytes) => {
                *len as usize == id.len() && bytes.iter().zip(id).all(|(a, b)| a == b)
            }
            IdRepr::Heap(s) => s.as_bytes() == id,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            IdRepr::Inline(len, bytes) => &bytes[..*len as usize],
            IdRepr::Heap(s) => s.as_bytes(),
        }
    }
}

impl Deref for CaseId {
    type Target = str;
    fn deref(&self) -> &str {
        // Built from a `&str`, and cut at its end: always UTF-8.
        std::str::from_utf8(self.as_bytes()).expect("a case id is UTF-8")
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The cases of a source, in order of first appearance, in blocks of 65,536 that never move:
/// no block is copied as the list grows (a `Vec` of a million cases would copy 64 MB to
/// grow, and hold both copies meanwhile), and each case keeps its own cache line.
#[derive(Default, Clone)]
pub struct Cases {
    blocks: Vec<Vec<Case>>,
    len: usize,
}

const BLOCK_BITS: u32 = 16;
const BLOCK_MASK: usize = (1 << BLOCK_BITS) - 1;

impl Cases {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, case: Case) {
        if self.len & BLOCK_MASK == 0 {
            // Small sources get a small first block.
            let cap = if self.len == 0 { 64 } else { 1 << BLOCK_BITS };
            self.blocks.push(Vec::with_capacity(cap));
        }
        let first = self.blocks.len() == 1;
        let block = self.blocks.last_mut().expect("a block with room");
        if block.len() == block.capacity() && first {
            // Only the first block grows, up to a full block.
            block.reserve_exact(block.capacity().min((1 << BLOCK_BITS) - block.len()));
        }
        block.push(case);
        self.len += 1;
    }

    pub fn iter(&self) -> impl Iterator<Item = &Case> + '_ {
        self.blocks.iter().flatten()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Case> + '_ {
        self.blocks.iter_mut().flatten()
    }
}

impl Index<usize> for Cases {
    type Output = Case;
    #[inline]
    fn index(&self, i: usize) -> &Case {
        &self.blocks[i >> BLOCK_BITS][i & BLOCK_MASK]
    }
}

impl IndexMut<usize> for Cases {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Case {
        &mut self.blocks[i >> BLOCK_BITS][i & BLOCK_MASK]
    }
}

impl fmt::Debug for Cases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Case id hash -> case index: open addressing with linear probing. A slot holds the hash's
/// high 32 bits and the case index + 1 (0: empty), so a probe touches one cache line and the
/// case itself only when the tags match.
#[derive(Default)]
pub struct CaseTable {
    slots: Vec<u64>,
    len: usize,
}

impl CaseTable {
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The case whose id is `id`, given `is(index)` says whether case `index` has it.
    #[inline]
    pub fn find(&self, hash: u64, mut is: impl FnMut(usize) -> bool) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let tag = hash >> 32;
        let mut i = hash as usize & self.mask();
        loop {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            if s >> 32 == tag && is((s & 0xFFFF_FFFF) as usize - 1) {
                return Some((s & 0xFFFF_FFFF) as usize - 1);
            }
            i = (i + 1) & self.mask();
        }
    }

    /// Adds a case known not to be in the table.
    pub fn insert(&mut self, hash: u64, index: usize) {
        // Up to 7/8 full: probes stay short with 8-byte slots (eight to a cache line), and the
        // table is a third of a case's memory at half full.
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        self.put((hash >> 32 << 32) | (index as u64 + 1), hash);
        self.len += 1;
    }

    fn put(&mut self, slot: u64, hash: u64) {
        let mask = self.mask();
        let mut i = hash as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        // Only the tag (high half) of a hash is kept; the slot position is derived from it
        // (see `key`), so growing needs no ids.
        let size = (self.slots.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        for s in old.into_iter().filter(|&s| s != 0) {
            let hash = home(s);
            self.put(s, hash);
        }
    }

    /// Hints the CPU to fetch the slot `hash` starts probing at.
    #[inline]
    pub fn prefetch(&self, hash: u64) {
        if !self.slots.is_empty() {
            prefetch(&self.slots[hash as usize & self.mask()]);
        }
    }

    /// The case in the slot `hash` starts at when its tag matches (a hint, for prefetching).
    #[inline]
    pub fn peek(&self, hash: u64) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        // Past the home slot too: a table 7/8 full often keeps a case a few slots on.
        let tag = hash >> 32;
        let mut i = hash as usize & self.mask();
        for _ in 0..8 {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            if s >> 32 == tag {
                return Some((s & 0xFFFF_FFFF) as usize - 1);
            }
            i = (i + 1) & self.mask();
        }
        None
    }
}

/// Slot position of a stored slot: hashes are used as `tag << 32 | mix(tag)`, see [`key`].
fn home(slot: u64) -> u64 {
    key(slot >> 32 << 32)
}

/// Makes a 64-bit hash usable by [`CaseTable`]: the low half (slot position) is derived from
/// the high half (the tag kept in the slot), so the table can grow without the ids.
pub fn key(hash: u64) -> u64 {
    let tag = hash >> 32;
    (tag << 32) | (tag.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32)
}

/// Hints the CPU to bring the cache lines of `value` in (no effect where unsupported).
#[inline]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        let start = (value as *const T).cast::<i8>();
        let mut offset = 0;
        while offset < std::mem::size_of::<T>().max(1) {
            // SAFETY: a prefetch is a hint that never faults; the addresses are inside `value`.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    start.add(offset),
                );
            }
            offset += 64;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_finds_what_it_holds_across_growth() {
        let ids: Vec<String> = (0..5000).map(|i| format!("case-{i}")).collect();
        use std::hash::BuildHasher;
        let state = std::collections::hash_map::RandomState::new();
        let hash = |s: &str| key(state.hash_one(s));
        let hashes: Vec<u64> = ids.iter().map(|s| hash(s)).collect();
        let mut t = CaseTable::default();
        for (i, &h) in hashes.iter().enumerate() {
            assert_eq!(t.find(h, |k| ids[k] == ids[i]), None);
            t.insert(h, i);
        }
        for (i, &h) in hashes.iter().enumerate() {
            assert_eq!(t.find(h, |k| ids[k] == ids[i]), Some(i));
        }
    }

    #[test]
    fn ids_inline_and_on_the_heap() {
        for s in [
            "",
            "T1",
            "exactly-twenty-two-b!!",
            "a much longer case identifier, on the heap",
        ] {
            let id = CaseId::new(s);
            assert_eq!(&*id, s);
            assert_eq!(id.to_string(), s);
        }
    }

    #[test]
    fn cases_keep_their_index_across_blocks() {
        let mut cases = Cases::default();
        let n = 3 * (1 << BLOCK_BITS) + 5;
        for i in 0..n {
            cases.push(Case {
                id: CaseId::new(&i.to_string()),
                events: Default::default(),
                first_seen: i as i64,
            });
        }
        assert_eq!(cases.len(), n);
        for i in [0, 63, 64, 65_535, 65_536, 131_072, n - 1] {
            assert_eq!(cases[i].first_seen, i as i64);
            assert_eq!(&*cases[i].id, i.to_string());
        }
        assert!(cases.iter().map(|c| c.first_seen).eq(0..n as i64));
        // Each case on its own cache line.
        assert_eq!(&cases[1] as *const Case as usize % 64, 0);
        cases[70_000].first_seen = -1;
        assert_eq!(cases.iter().filter(|c| c.first_seen == -1).count(), 1);
    }
}
