//! Finding events in one case: the event ids a standard names, the first event of some ids at
//! or after an instant (by a scan, or by a cursor for instants asked in order), the replies of a
//! thread, the stops of each `each` occurrence, and `unless`. Knows event ids and times, not
//! what a standard's verdict means.

use crate::ingest::{Event, Link, SourceData};

use super::{Exclusion, Outcome, Verdict};

/// Resolved event ids of a standard for one source.
pub(super) struct Ids {
    pub(super) from: Vec<u16>,
    pub(super) to: Vec<u16>,
    pub(super) count: Vec<u16>,
    pub(super) unless: Vec<u16>,
}

pub(super) fn ids(data: &SourceData, names: &[String]) -> Vec<u16> {
    names.iter().filter_map(|n| data.event_id(n)).collect()
}

#[inline]
pub(super) fn first(events: &[Event], ids: &[u16], from: i64) -> Option<i64> {
    events
        .iter()
        .find(|e| e.t() >= from && ids.contains(&e.name()))
        .map(|e| e.t())
}

/// The first event of some ids at or after an instant, for instants asked in nondecreasing
/// order: the answer [`first`] gives, found by a cursor that only moves forward. Every event
/// the cursor passes either has another name or lies before the instant asked, so before every
/// later one too; the events being in time order, the first event with a wanted name at or
/// after the cursor's place and at or after the instant is the first in the whole list.
pub(super) struct NextOf<'a> {
    pub(super) events: &'a [Event],
    pub(super) ids: &'a [u16],
    pub(super) at: usize,
    #[cfg(debug_assertions)]
    pub(super) last: i64,
}

impl<'a> NextOf<'a> {
    pub(super) fn new(events: &'a [Event], ids: &'a [u16]) -> Self {
        NextOf {
            events,
            ids,
            at: 0,
            #[cfg(debug_assertions)]
            last: i64::MIN,
        }
    }

    #[inline]
    pub(super) fn at_or_after(&mut self, from: i64) -> Option<i64> {
        self.at_or_after_except(from, usize::MAX)
    }

    /// As [`NextOf::at_or_after`], but never the event at position `except` (an `each`
    /// event does not stop its own clock). The cursor stays on that event, which can still
    /// stop the clock of another event at its instant; the look past it ends at the next
    /// wanted event, and such looks start at distinct wanted events, so they stay linear.
    #[inline]
    pub(super) fn at_or_after_except(&mut self, from: i64, except: usize) -> Option<i64> {
        #[cfg(debug_assertions)]
        {
            debug_assert!(from >= self.last, "instants must be asked in time order");
            self.last = from;
        }
        while let Some(e) = self.events.get(self.at) {
            if e.t() >= from && self.ids.contains(&e.name()) {
                if self.at != except {
                    return Some(e.t());
                }
                // Later events are at or after this one, so at or after `from`.
                return self.events[self.at + 1..]
                    .iter()
                    .find(|e| self.ids.contains(&e.name()))
                    .map(|e| e.t());
            }
            self.at += 1;
        }
        None
    }
}

/// A thread's replies by the message they answer, for `each` on a threads source: the first
/// `to` event at or after an instant that answers a given message. A small case is scanned as
/// it stands (no allocation); a larger one is indexed once, so that many messages cost
/// n log n instead of one scan of the case each.
pub(super) enum Replies<'a> {
    Scan {
        events: &'a [Event],
        links: &'a [Link],
        to: &'a [u16],
    },
    /// (message answered, time, position) of each `to` event, sorted. A message's replies, in
    /// list order, are in time order; only the time is asked for, so replies to one message at
    /// the same instant need no order among them (the position is there to leave one out).
    Index(Vec<(u32, i64, usize)>),
}

impl<'a> Replies<'a> {
    /// Up to this many events a scan per message is cheaper than building an index.
    pub(super) const SCAN_UP_TO: usize = 64;

    pub(super) fn new(events: &'a [Event], links: &'a [Link], to: &'a [u16]) -> Self {
        if events.len() <= Self::SCAN_UP_TO {
            return Replies::Scan { events, links, to };
        }
        let mut by_message: Vec<(u32, i64, usize)> = events
            .iter()
            .zip(links)
            .enumerate()
            .filter(|(_, (r, _))| to.contains(&r.name()))
            .map(|(k, (r, l))| (l.answers, r.t(), k))
            .collect();
        by_message.sort_unstable();
        Replies::Index(by_message)
    }

    /// The time of the first `to` event in list order at or after `from` that answers
    /// `message`, other than the event at position `except` (a message that claims to answer
    /// itself does not stop its own clock).
    pub(super) fn first(&self, message: u32, from: i64, except: usize) -> Option<i64> {
        match self {
            Replies::Scan { events, links, to } => events
                .iter()
                .zip(links.iter())
                .enumerate()
                .find(|&(k, (r, l))| {
                    k != except && r.t() >= from && to.contains(&r.name()) && l.answers == message
                })
                .map(|(_, (r, _))| r.t()),
            Replies::Index(by_message) => {
                // The first in list order at or after `from` is the earliest at or after it.
                let k = by_message.partition_point(|&(m, t, _)| (m, t) < (message, from));
                by_message[k..]
                    .iter()
                    .take_while(|&&(m, _, _)| m == message)
                    .find(|&&(_, _, at)| at != except)
                    .map(|&(_, t, _)| t)
            }
        }
    }
}

/// Each occurrence of an `each` event in `events`, in order: its time, and the time of the
/// first `to` event at or after it (on a threads source, `links` given: the first that answers
/// this very message), to `f`. The occurrence's own row never stops its own clock, so `each =
/// "update"`, `to = ["update", "solved"]` asks that every update be followed by another (one
/// at the same instant counts, listed before or after it). Occurrences come in time order, so
/// the search for the next stop starts where the last one ended: linear in the case's events
/// however many go unanswered.
pub(super) fn each_stops(
    events: &[Event],
    links: Option<&[Link]>,
    each: &[u16],
    to: &[u16],
    mut f: impl FnMut(i64, Option<i64>),
) {
    match links {
        Some(links) => {
            let replies = Replies::new(events, links, to);
            for (k, (e, l)) in events.iter().zip(links).enumerate() {
                if each.contains(&e.name()) {
                    f(e.t(), replies.first(l.message, e.t(), k));
                }
            }
        }
        None => {
            let mut next_to = NextOf::new(events, to);
            for (k, e) in events.iter().enumerate() {
                if each.contains(&e.name()) {
                    f(e.t(), next_to.at_or_after_except(e.t(), k));
                }
            }
        }
    }
}

/// [`exempt_next`] for one outcome alone.
#[cfg(test)]
pub(super) fn exempt(o: &mut Outcome, events: &[Event], unless: &[u16]) {
    exempt_next(o, &mut NextOf::new(events, unless));
}

/// `unless`: a case whose exempting event happens before its verdict became final is exempt.
/// The exempting events are found by a cursor, so a case's outcomes come in time order.
#[inline]
pub(super) fn exempt_next(o: &mut Outcome, unless: &mut NextOf) {
    if unless.ids.is_empty() || matches!(o.verdict, Verdict::Excluded(_)) {
        return;
    }
    let Some(u) = unless.at_or_after(o.start) else {
        return;
    };
    let final_at = match o.verdict {
        Verdict::Open => i64::MAX,
        _ => {
            let timeout = o.deadline.map_or(i64::MAX, |d| d.saturating_add(1));
            o.stop.map_or(timeout, |s| s.min(timeout))
        }
    };
    if u < final_at {
        o.verdict = Verdict::Excluded(Exclusion::Unless);
    }
}
