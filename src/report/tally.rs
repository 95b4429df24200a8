//! Tallies of measured values: counts of small values in place, the rest as sorted runs, so
//! that quantiles are exact (nearest rank) without keeping one number per outcome; merged
//! across threads by interleaving sorted runs.

use super::*;

#[derive(Default)]
pub(super) struct Acc {
    pub(super) met: u64,
    pub(super) breached: u64,
    pub(super) open: u64,
    pub(super) excluded: u64,
    pub(super) values: Tally,
    pub(super) counts: Tally,
    /// A standard with versions by date: `[met, breached, open]` per version (indexed as
    /// `Standard::versions`), grown as outcomes come.
    pub(super) versions: Vec<[u64; 3]>,
    /// Value standards: the numbers of decided cases, as [`number_key`]s.
    pub(super) numbers: Tally,
    /// Value standards: cases without a number (among `excluded`).
    pub(super) no_value: u64,
}

/// A number as an `i64` in the same order (so that a [`Tally`] sorts and counts numbers as
/// it does seconds): the bits of a float, with those of a negative one but its sign flipped.
/// Its own inverse; -0 is taken as 0.
pub(super) fn number_key(v: f64) -> i64 {
    let b = (v + 0.0).to_bits() as i64;
    b ^ ((b >> 63) & i64::MAX)
}

/// The number of a [`number_key`].
pub(super) fn key_number(k: i64) -> f64 {
    f64::from_bits((k ^ ((k >> 63) & i64::MAX)) as u64)
}

/// A multiset of measured values: each distinct value with how often it occurred. Values
/// from 0 to 16,383 (times in seconds up to four and a half hours: most first replies,
/// counts) are counted in place in a 64 KiB array; the rest go to a buffer that is sorted and
/// folded into runs of equal values when it grows as large as the runs. So an audit keeps far
/// less than one number per case, and a standard whose values rarely repeat costs at most
/// twice a plain list.
#[derive(Default)]
pub(super) struct Tally {
    /// How often each value below `DENSE` occurred (empty until one does).
    pub(super) dense: Vec<u32>,
    pub(super) buf: Vec<i64>,
    /// (value, how often), values ascending and distinct.
    pub(super) runs: Vec<(i64, u64)>,
}

pub(super) const DENSE: usize = 1 << 14;

impl Tally {
    #[inline]
    pub(super) fn push(&mut self, v: i64) {
        if !self.dense.is_empty() && (0..DENSE as i64).contains(&v) {
            let n = &mut self.dense[v as usize];
            match n.checked_add(1) {
                Some(m) => *n = m,
                // Four billion times one value: the rest of them go to the buffer.
                None => self.buf.push(v),
            }
            return;
        }
        self.buf.push(v);
        // A group with few values keeps them in the buffer (an audit --by day,agent has tens
        // of thousands of groups): the array pays only once it replaces as many values.
        if self.dense.is_empty() && self.buf.len() >= DENSE / 4 {
            self.dense = vec![0; DENSE];
            let dense = &mut self.dense;
            self.buf.retain(|&v| {
                let inside = (0..DENSE as i64).contains(&v);
                if inside {
                    dense[v as usize] += 1;
                }
                !inside
            });
        }
        if self.buf.len() >= self.runs.len().max(1 << 16) {
            self.fold();
        }
    }

    /// Sorts the buffer into runs and merges them with the runs so far.
    pub(super) fn fold(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        self.buf.sort_unstable();
        let fresh = runs_of(self.buf.drain(..).map(|v| (v, 1)));
        self.runs = merge_runs(std::mem::take(&mut self.runs), fresh);
    }

    pub(super) fn merge(&mut self, other: Tally) {
        self.buf.extend(other.buf);
        self.fold();
        self.runs = merge_runs(std::mem::take(&mut self.runs), other.runs);
        self.runs = merge_runs(std::mem::take(&mut self.runs), dense_runs(&other.dense));
    }

    /// (value, how often), values ascending.
    pub(super) fn sorted(mut self) -> Vec<(i64, u64)> {
        self.fold();
        merge_runs(dense_runs(&self.dense), self.runs)
    }

    /// Everything in runs: the form [`Tally::sum`] takes.
    pub(super) fn settle(&mut self) {
        self.runs = std::mem::take(self).sorted();
    }

    /// The union of settled tallies: merged one by one when they are few (the usual handful
    /// of departments), else one sort of all their runs (a totals row over tens of thousands
    /// of groups).
    pub(super) fn sum<'t>(parts: impl ExactSizeIterator<Item = &'t Tally>) -> Tally {
        const FEW: usize = 8;
        let few = parts.len() <= FEW;
        let mut all: Vec<(i64, u64)> = Vec::new();
        for t in parts {
            debug_assert!(t.buf.is_empty() && t.dense.is_empty(), "settled");
            if few {
                all = merge_runs(all, t.runs.clone());
            } else {
                all.extend_from_slice(&t.runs);
            }
        }
        if few {
            return Tally {
                runs: all,
                ..Tally::default()
            };
        }
        all.sort_unstable_by_key(|&(v, _)| v);
        Tally {
            runs: runs_of(all),
            ..Tally::default()
        }
    }
}

/// (value, how often) pairs sorted by value, with equal values summed into one.
pub(super) fn runs_of(sorted: impl IntoIterator<Item = (i64, u64)>) -> Vec<(i64, u64)> {
    let mut runs: Vec<(i64, u64)> = Vec::new();
    for (v, n) in sorted {
        match runs.last_mut() {
            Some((w, m)) if *w == v => *m += n,
            _ => runs.push((v, n)),
        }
    }
    runs
}

/// The non-zero counts of a dense tally as runs.
pub(super) fn dense_runs(dense: &[u32]) -> Vec<(i64, u64)> {
    dense
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(v, &n)| (v as i64, u64::from(n)))
        .collect()
}

/// Two ascending lists of (value, how often) as one.
pub(super) fn merge_runs(a: Vec<(i64, u64)>, b: Vec<(i64, u64)>) -> Vec<(i64, u64)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                let n = x.1 + y.1;
                let v = x.0;
                a.next();
                b.next();
                (v, n)
            }
            (Some(x), Some(y)) if x.0 < y.0 => a.next().expect("peeked"),
            (Some(_), Some(_)) => b.next().expect("peeked"),
            (Some(_), None) => a.next().expect("peeked"),
            (None, Some(_)) => b.next().expect("peeked"),
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

impl Acc {
    pub(super) fn merge(&mut self, other: Acc) {
        self.met += other.met;
        self.breached += other.breached;
        self.open += other.open;
        self.excluded += other.excluded;
        self.no_value += other.no_value;
        self.values.merge(other.values);
        self.counts.merge(other.counts);
        self.numbers.merge(other.numbers);
        self.merge_versions(&other.versions);
    }

    /// Adds another accumulator's counts per version.
    pub(super) fn merge_versions(&mut self, other: &[[u64; 3]]) {
        Acc::merge_versions_into(&mut self.versions, other);
    }

    /// Adds counts per version to `mine`.
    pub(super) fn merge_versions_into(mine: &mut Vec<[u64; 3]>, other: &[[u64; 3]]) {
        if mine.len() < other.len() {
            mine.resize(other.len(), [0; 3]);
        }
        for (m, theirs) in mine.iter_mut().zip(other) {
            m.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
    }

    /// [`Acc::add`], and the outcome counted for the version that judged it, if any.
    // Always inlined into `Summary::add`, once per outcome: left to the compiler, it became a
    // call of its own when `evaluate` became a folder (0.5% more instructions on
    // bench/standards-5.toml).
    #[inline(always)]
    pub(super) fn add_judged(&mut self, o: &Outcome, version: Option<usize>) {
        self.add(o);
        if let Some(v) = version {
            if self.versions.len() <= v {
                self.versions.resize(v + 1, [0; 3]);
            }
            count_verdict(&mut self.versions[v], o.verdict);
        }
    }

    pub(super) fn add(&mut self, o: &Outcome) {
        match o.verdict {
            Verdict::Met => self.met += 1,
            Verdict::Breached => self.breached += 1,
            Verdict::Open => self.open += 1,
            Verdict::Excluded(why) => {
                self.excluded += 1;
                // A cell that is not a number leaves the case without one too.
                self.no_value += u64::from(matches!(
                    why,
                    crate::evaluate::Exclusion::NoValue | crate::evaluate::Exclusion::NotANumber
                ));
                return;
            }
        }
        if matches!(o.verdict, Verdict::Met | Verdict::Breached) {
            if let Some(v) = o.value {
                self.values.push(v);
            }
            if let Some(c) = o.count {
                self.counts.push(c as i64);
            }
            if let Some(v) = o.number {
                self.numbers.push(number_key(v));
            }
        }
    }
}
