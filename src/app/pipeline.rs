//! The one outcome pipeline of every command: each selected standard evaluated on every case
//! of its source, slices of cases on every core, each case's events read once for all the
//! standards of its source while they are in the cache; outcomes go to one accumulator per
//! standard and thread, which the caller merges. `audit`, `breaches` and `trend` differ only
//! in what they accumulate.

use std::collections::BTreeMap;

use super::Loaded;
use crate::evaluate::{self, Outcome, Period, Prepared, Verdict};

/// Cases per slice: a slice is the unit of work a thread takes.
const SLICE: usize = 4096;

/// Each selected standard made ready for its source, in `l.selected` order, over the period
/// `period` gives for its source (`Loaded::period_of`: each source's cut in its own zone).
pub fn prepare(l: &Loaded, period: impl Fn(usize) -> Period) -> Vec<Prepared<'_>> {
    l.selected
        .iter()
        .map(|&i| {
            let s = &l.catalog.standards[i];
            Prepared::new(s, &l.data[&s.source], period(s.source), l.as_of(s.source))
        })
        .collect()
}

/// Folds every outcome of every prepared standard (`prepared[j]` is the standard
/// `l.selected[j]`) into accumulators made by `init(j)`, one per standard and thread, with
/// `add`; each thread ends its accumulators with `settle`. Returns, per standard, its
/// accumulators (one per thread, in no particular order) for the caller to merge. Outcomes
/// of one case reach an accumulator in case order; slices of cases do not.
pub fn fold<A: Send>(
    l: &Loaded,
    prepared: &[Prepared],
    init: impl Fn(usize) -> A + Sync,
    add: impl Fn(&mut A, &Outcome) + Sync,
    settle: impl Fn(&mut A) + Sync,
) -> Vec<Vec<A>> {
    let most = l.data.values().map(|d| d.cases.len()).max().unwrap_or(0);
    let slices: Vec<usize> = (0..most.div_ceil(SLICE).max(1)).collect();
    // The standards of each source (positions in `selected`): a case is read once for all.
    let mut by_source: Vec<(usize, Vec<usize>)> = Vec::new();
    for (j, &i) in l.selected.iter().enumerate() {
        let source = l.catalog.standards[i].source;
        match by_source.iter_mut().find(|(s, _)| *s == source) {
            Some((_, members)) => members.push(j),
            None => by_source.push((source, vec![j])),
        }
    }
    let new_parts = || (0..prepared.len()).map(&init).collect::<Vec<A>>();
    let evaluate_slice = |acc: &mut Vec<A>, &k: &usize| {
        for (source, members) in &by_source {
            let d = &l.data[source];
            let end = ((k + 1) * SLICE).min(d.cases.len());
            for ci in k * SLICE..end {
                evaluate::prefetch_ahead(d, ci, end);
                for &j in members {
                    let part = &mut acc[j];
                    prepared[j].case(ci, &mut |o| add(part, o));
                }
            }
        }
    };
    let per_thread = parallel_fold(&slices, new_parts, evaluate_slice, |acc| {
        acc.iter_mut().for_each(&settle)
    });
    let mut parts: Vec<Vec<A>> = (0..prepared.len()).map(|_| Vec::new()).collect();
    for thread_parts in per_thread {
        for (mine, part) in parts.iter_mut().zip(thread_parts) {
            mine.push(part);
        }
    }
    parts
}

/// One standard's outcomes from every thread, in case order as a sequential evaluation gives
/// them.
pub fn in_case_order(parts: Vec<Vec<Outcome>>) -> Vec<Outcome> {
    let mut all: Vec<Outcome> = parts.into_iter().flatten().collect();
    all.sort_unstable_by_key(|o| (o.case, o.occurrence));
    all
}

/// Keeps a breached outcome (for breach lists).
pub fn keep_breached(list: &mut Vec<Outcome>, o: &Outcome) {
    if o.verdict == Verdict::Breached {
        list.push(*o);
    }
}

/// Folds every item into per-thread accumulators made by `init`, on up to one thread per
/// core, and ends each with `done` on its thread; returns the accumulators (in no particular
/// order).
pub fn parallel_fold<T: Sync, A: Send>(
    items: &[T],
    init: impl Fn() -> A + Sync,
    f: impl Fn(&mut A, &T) + Sync,
    done: impl Fn(&mut A) + Sync,
) -> Vec<A> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut acc = init();
        while let Some(item) = items.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            f(&mut acc, item);
        }
        done(&mut acc);
        acc
    };
    if threads <= 1 {
        return vec![work()];
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("an evaluation thread"))
            .collect()
    })
}

/// A standard's outcomes not scored, per reason, and how many stopped before their start: what
/// [`note_excluded`] warns about.
#[derive(Default)]
pub struct Exclusions {
    pub reasons: BTreeMap<evaluate::Exclusion, u64>,
    pub early: u64,
}

impl Exclusions {
    pub fn add(&mut self, o: &evaluate::Outcome) {
        if let evaluate::Verdict::Excluded(r) = o.verdict {
            *self.reasons.entry(r).or_default() += 1;
        }
        self.early += u64::from(o.stop_before_start);
    }

    pub fn merge(&mut self, other: Exclusions) {
        for (reason, n) in other.reasons {
            *self.reasons.entry(reason).or_default() += n;
        }
        self.early += other.early;
    }
}
