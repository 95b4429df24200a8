//! Compact per-case storage: ids kept inside the case (no heap block and no extra cache miss
//! per row for the usual short ids), cases in blocks that never move, and the case-id hash
//! table the ingest loop probes once per row, with prefetching.

use std::fmt;
use std::ops::{Deref, Index, IndexMut};

use super::{Case, Event};

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

/// The events of one case: up to three inside the case, more in a run of the source's
/// [`EventStore`] (one allocator for every case's events: no heap block per case, and a run
/// that fills up moves to a free run twice its size instead of through `realloc`).
#[derive(Clone, Copy, Debug, Default)]
pub struct CaseEvents {
    len: u32,
    /// 0: the events are inline; else the size of the case's run in the store.
    cap: u32,
    /// Inline events; when in the store, `inline[0]` holds the run's offset.
    inline: [Event; 3],
}

impl CaseEvents {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when the events are in the store rather than inside the case.
    pub fn spilled(&self) -> bool {
        self.cap != 0
    }

    fn offset(&self) -> usize {
        self.inline[0].0 as usize
    }

    #[inline]
    pub fn as_slice<'a>(&'a self, store: &'a EventStore) -> &'a [Event] {
        if self.cap == 0 {
            &self.inline[..self.len as usize]
        } else {
            &store.events[self.offset()..self.offset() + self.len as usize]
        }
    }

    pub fn as_mut_slice<'a>(&'a mut self, store: &'a mut EventStore) -> &'a mut [Event] {
        if self.cap == 0 {
            &mut self.inline[..self.len as usize]
        } else {
            let at = self.offset();
            &mut store.events[at..at + self.len as usize]
        }
    }

    /// Where the run's last event is, for prefetching (none while inline).
    #[inline]
    pub fn last_in<'a>(&self, store: &'a EventStore) -> Option<&'a Event> {
        match self.cap {
            0 => None,
            _ => store.events.get(self.offset() + self.len as usize - 1),
        }
    }

    /// The first event of the run, for prefetching (none while inline).
    #[inline]
    pub fn first_in<'a>(&self, store: &'a EventStore) -> Option<&'a Event> {
        match self.cap {
            0 => None,
            _ => store.events.get(self.offset()),
        }
    }

    pub fn last(&self, store: &EventStore) -> Option<Event> {
        self.as_slice(store).last().copied()
    }

    #[inline]
    pub fn push(&mut self, e: Event, store: &mut EventStore) {
        let len = self.len as usize;
        if self.cap == 0 {
            if len < self.inline.len() {
                self.inline[len] = e;
                self.len += 1;
                return;
            }
            let at = store.take(0);
            store.events[at..at + len].copy_from_slice(&self.inline);
            self.inline[0] = Event(at as u64);
            self.cap = RUN as u32;
        } else if len == self.cap as usize {
            let (at, cap) = (self.offset(), self.cap as usize);
            let class = (cap / RUN).trailing_zeros() as usize;
            if at + cap == store.events.len() {
                // The newest run: it grows where it is.
                store.events.resize(at + 2 * cap, Event(0));
            } else {
                let to = store.take(class + 1);
                store.events.copy_within(at..at + len, to);
                store.free[class].push(at);
                self.inline[0] = Event(to as u64);
            }
            self.cap *= 2;
        }
        let at = self.offset();
        store.events[at + len] = e;
        self.len += 1;
    }

    /// Events of `events` in order (for a case built at once).
    pub fn from_slice(events: &[Event], store: &mut EventStore) -> CaseEvents {
        let mut out = CaseEvents::default();
        for &e in events {
            out.push(e, store);
        }
        out
    }
}

/// The smallest run in the store: six events, a cache line.
const RUN: usize = 6;

/// The events of every case with more than three: runs of 6, 12, 24, ... events in one
/// vector, and the runs left behind by cases that outgrew them, by size, for reuse.
#[derive(Clone, Debug, Default)]
pub struct EventStore {
    events: Vec<Event>,
    /// Per size class (`RUN << class` events), the offsets of free runs.
    free: Vec<Vec<usize>>,
}

impl EventStore {
    /// A run of `RUN << class` events: a free one, or a new one at the end.
    fn take(&mut self, class: usize) -> usize {
        if self.free.len() <= class {
            self.free.resize(class + 1, Vec::new());
        }
        match self.free[class].pop() {
            Some(at) => at,
            None => {
                let at = self.events.len();
                self.events.resize(at + (RUN << class), Event(0));
                at
            }
        }
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

    fn ev(i: usize) -> Event {
        Event::new(i as i64, (i % 7) as u16)
    }

    #[test]
    fn a_run_outgrown_is_reused_by_the_next_case_that_needs_one() {
        let mut store = EventStore::default();
        let (mut a, mut b) = (CaseEvents::default(), CaseEvents::default());
        for i in 0..4 {
            a.push(ev(i), &mut store);
        }
        for i in 0..4 {
            b.push(ev(100 + i), &mut store);
        }
        assert!(a.spilled() && b.spilled());
        assert_eq!(store.events.len(), 12, "two runs of six");
        // `a` outgrows its run (not the newest): it moves to a run of 12 at the end.
        for i in 4..7 {
            a.push(ev(i), &mut store);
        }
        assert_eq!(store.events.len(), 24);
        assert_eq!(a.as_slice(&store), (0..7).map(ev).collect::<Vec<_>>());
        // `a` is now the newest run: it grows in place.
        for i in 7..13 {
            a.push(ev(i), &mut store);
        }
        assert_eq!(store.events.len(), 36);
        // A third case takes the run of six that `a` left.
        let mut c = CaseEvents::default();
        for i in 0..5 {
            c.push(ev(200 + i), &mut store);
        }
        assert_eq!(store.events.len(), 36);
        assert_eq!(c.as_slice(&store), (200..205).map(ev).collect::<Vec<_>>());
        assert_eq!(a.as_slice(&store), (0..13).map(ev).collect::<Vec<_>>());
        assert_eq!(b.as_slice(&store), (100..104).map(ev).collect::<Vec<_>>());
        assert_eq!(a.last(&store), Some(ev(12)));
        assert_eq!(a.first_in(&store), Some(&ev(0)));
        assert_eq!(a.last_in(&store), Some(&ev(12)));
        assert_eq!(CaseEvents::default().last_in(&store), None);
    }

    proptest::proptest! {
        #[test]
        fn case_events_hold_what_was_pushed(pushes in proptest::collection::vec(0usize..6, 0..600)) {
            let mut store = EventStore::default();
            let mut cases = [CaseEvents::default(); 6];
            let mut reference: Vec<Vec<Event>> = vec![Vec::new(); 6];
            for (i, &c) in pushes.iter().enumerate() {
                cases[c].push(ev(i), &mut store);
                reference[c].push(ev(i));
            }
            for (c, r) in cases.iter_mut().zip(&reference) {
                proptest::prop_assert_eq!(c.as_slice(&store), &r[..]);
                proptest::prop_assert_eq!(c.len(), r.len());
                c.as_mut_slice(&mut store).reverse();
            }
            // Runs never overlap: reversing each case's events in place leaves the others alone.
            for (c, r) in cases.iter().zip(&reference) {
                let back: Vec<Event> = r.iter().rev().copied().collect();
                proptest::prop_assert_eq!(c.as_slice(&store), &back[..]);
            }
            // A case holds a run under twice its events, and has left runs of half, a quarter,
            // ... of that behind: at most four times what the events need.
            let need: usize = reference.iter().map(|r| r.len()).sum();
            proptest::prop_assert!(store.events.len() <= 4 * need);
        }
    }
}
