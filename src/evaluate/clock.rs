//! How a timed clock runs on one case: the case's calendar, its pause intervals (one scan, or
//! a cursor for clocks started in order), the open time inside them, and the instant a limit
//! of running open time runs out. Knows events and calendars, not standards or their kinds.

use std::sync::Arc;

use crate::ingest::{Event, SourceData};
use crate::standards::CalendarChoice;
use crate::time::calendar::Calendar;
use crate::time::duration::Within;

use super::{Outcome, Verdict};

/// The calendar of each case: one for all, or one per value of an attribute.
pub(super) enum CaseCalendars<'a> {
    Fixed(&'a Calendar),
    /// Attribute column, and the calendar of each of its interned values.
    ByValue(usize, Vec<Option<Arc<Calendar>>>),
    /// The attribute column is not in the log; every case takes the default, if any.
    Default(Option<&'a Calendar>),
}

impl<'a> CaseCalendars<'a> {
    pub(super) fn new(choice: &'a CalendarChoice, data: &SourceData) -> CaseCalendars<'a> {
        match choice {
            CalendarChoice::Fixed(c) => CaseCalendars::Fixed(c),
            CalendarChoice::ByAttribute {
                column, default, ..
            } => match data.attr_index(column) {
                Some(i) => CaseCalendars::ByValue(
                    i,
                    data.attr_values[i]
                        .iter()
                        .map(|v| choice.pick(v).cloned())
                        .collect(),
                ),
                None => CaseCalendars::Default(default.as_deref()),
            },
        }
    }

    pub(super) fn of(&self, data: &SourceData, case: usize) -> Option<&Calendar> {
        match self {
            CaseCalendars::Fixed(c) => Some(c),
            CaseCalendars::ByValue(col, cals) => cals[data.attr(case, *col) as usize].as_deref(),
            CaseCalendars::Default(c) => *c,
        }
    }
}

/// Pause intervals `[from, to)` of a clock that starts at `start`: from each pause event to
/// the next resume event; a pause with no resume lasts past every instant (`i64::MAX`).
/// Pause events while paused, and resume events while running, change nothing.
// Always inlined into `Prepared::case`, as the compiler chose before `evaluate` became a
// folder (a call of its own since; `#[inline]` was not enough).
#[inline(always)]
pub fn pauses(events: &[Event], start: i64, pause: &[u16], resume: &[u16]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    if pause.is_empty() {
        return out;
    }
    let mut since: Option<i64> = None;
    for e in events.iter().filter(|e| e.t() >= start) {
        match since {
            None if pause.contains(&e.name()) => since = Some(e.t()),
            Some(p) if resume.contains(&e.name()) => {
                out.push((p, e.t()));
                since = None;
            }
            _ => {}
        }
    }
    if let Some(p) = since {
        out.push((p, i64::MAX));
    }
    out
}

/// [`pauses`] for clocks started at instants in nondecreasing order (the occurrences of an
/// `each` standard in a case), without a scan of the rest of the case for every clock.
///
/// A clock started at `start` stays running up to the first pause event `p` at or after it.
/// A clock started before every event (the case's own intervals, found once) is then either
/// running too, and starts an interval at `p`, or already paused, and ignores `p`; either way
/// the interval it is in at `p` ends at the same resume event as the new clock's first one,
/// and from there on both run alike. So the intervals of the clock at `start` are the first
/// from `p` to the end of that one, then the case's own intervals after it. When an event name
/// both pauses and resumes the clocks need not fall into step, and each is found by a scan.
pub(super) struct PausesFrom<'a> {
    pub(super) events: &'a [Event],
    pub(super) pause: &'a [u16],
    pub(super) resume: &'a [u16],
    /// The case's own intervals: (pause event, resume event or `events.len()`), and their
    /// times as [`pauses`] gives them.
    pub(super) spans: Vec<(usize, usize)>,
    pub(super) times: Vec<(i64, i64)>,
    /// The first event at or after the last instant asked, the first pause event at or after
    /// it, and the case's interval that holds that pause event.
    pub(super) from: usize,
    pub(super) next_pause: usize,
    pub(super) span: usize,
    /// A name is both a pause and a resume event: every clock scans, into `out`.
    pub(super) toggles: bool,
    pub(super) out: Vec<(i64, i64)>,
}

impl<'a> PausesFrom<'a> {
    pub(super) fn new(events: &'a [Event], pause: &'a [u16], resume: &'a [u16]) -> Self {
        let toggles = pause.iter().any(|p| resume.contains(p));
        let mut spans = Vec::new();
        let mut times = Vec::new();
        if !pause.is_empty() && !toggles {
            let mut since: Option<usize> = None;
            for (k, e) in events.iter().enumerate() {
                match since {
                    None if pause.contains(&e.name()) => since = Some(k),
                    Some(p) if resume.contains(&e.name()) => {
                        spans.push((p, k));
                        times.push((events[p].t(), e.t()));
                        since = None;
                    }
                    _ => {}
                }
            }
            if let Some(p) = since {
                spans.push((p, events.len()));
                times.push((events[p].t(), i64::MAX));
            }
        }
        PausesFrom {
            events,
            pause,
            resume,
            spans,
            times,
            from: 0,
            next_pause: 0,
            span: 0,
            toggles,
            out: Vec::new(),
        }
    }

    /// `pauses(events, start, pause, resume)`, for `start` no earlier than the last asked.
    pub(super) fn at(&mut self, start: i64) -> Spans<'_> {
        let events = self.events;
        if self.pause.is_empty() {
            return (None, &[]);
        }
        if self.toggles {
            self.out = pauses(events, start, self.pause, self.resume);
            return (None, &self.out);
        }
        while self.from < events.len() && events[self.from].t() < start {
            self.from += 1;
        }
        self.next_pause = self.next_pause.max(self.from);
        while self.next_pause < events.len()
            && !self.pause.contains(&events[self.next_pause].name())
        {
            self.next_pause += 1;
        }
        let p = self.next_pause;
        if p == events.len() {
            return (None, &[]);
        }
        // Every pause event lies in one of the case's intervals (which starts there when the
        // case's clock was running), and the intervals are in order.
        while self.spans[self.span].1 <= p {
            self.span += 1;
        }
        debug_assert!(self.spans[self.span].0 <= p);
        (
            Some((events[p].t(), self.times[self.span].1)),
            &self.times[self.span + 1..],
        )
    }
}

/// Pause intervals in time order: a first one, then a slice (without copying a case's
/// intervals for every clock).
pub(super) type Spans<'s> = (Option<(i64, i64)>, &'s [(i64, i64)]);

/// What a timed clock needs to know about one case.
pub(super) struct Clock<'a> {
    pub(super) cal: &'a Calendar,
    pub(super) events: &'a [Event],
    pub(super) pause: &'a (Vec<u16>, Vec<u16>),
    pub(super) as_of: i64,
}

impl Clock<'_> {
    /// The pause intervals of a clock that starts at `start`.
    pub(super) fn pauses(&self, start: i64) -> Vec<(i64, i64)> {
        pauses(self.events, start, &self.pause.0, &self.pause.1)
    }

    /// Elapsed and each standards: the clock runs from `start` until `stop`, on the case's
    /// calendar, standing still while paused (`paused_spans`: an interval, then more, in time
    /// order; from [`Clock::pauses`] or [`PausesFrom::at`]).
    pub(super) fn timed(
        &self,
        case: usize,
        occurrence: Option<u32>,
        start: i64,
        stop: Option<i64>,
        within: Within,
        paused_spans: Spans,
    ) -> Outcome {
        let cal = self.cal;
        let (first, rest) = paused_spans;
        let spans = first.into_iter().chain(rest.iter().copied());
        let (deadline, limit) = match within {
            Within::Span(limit) => (run_out_of(cal, start, limit, spans.clone()), limit),
            _ => {
                let d = cal.deadline(start, within);
                (d, cal.elapsed(start, d))
            }
        };
        let end = stop.unwrap_or(self.as_of);
        let paused = paused_open_of(cal, spans, start, end);
        let elapsed = cal.elapsed(start, end) - paused;
        let verdict = match stop {
            Some(s) if s <= deadline => Verdict::Met,
            Some(_) => Verdict::Breached,
            None if self.as_of > deadline => Verdict::Breached,
            None => Verdict::Open,
        };
        Outcome {
            stop,
            deadline: Some(deadline),
            value: stop.map(|_| elapsed),
            verdict,
            elapsed: Some(elapsed),
            limit: Some(limit),
            paused,
            ..Outcome::new(case, occurrence, start)
        }
    }
}

/// [`paused_open`] over intervals in time order (as [`pauses`] gives them), read no further
/// than `b`: an interval that starts at or after `b` has nothing inside `[a, b)`.
pub(super) fn paused_open_of(
    cal: &Calendar,
    pauses: impl Iterator<Item = (i64, i64)>,
    a: i64,
    b: i64,
) -> i64 {
    pauses
        .take_while(|&(p, _)| p < b)
        .map(|(p, q)| (p.max(a), q.min(b)))
        .filter(|(p, q)| p < q)
        .map(|(p, q)| cal.elapsed(p, q))
        .sum()
}

/// Open time inside the pause intervals, clipped to `[a, b)`.
pub fn paused_open(cal: &Calendar, pauses: &[(i64, i64)], a: i64, b: i64) -> i64 {
    pauses
        .iter()
        .map(|&(p, q)| (p.max(a), q.min(b)))
        .filter(|(p, q)| p < q)
        .map(|(p, q)| cal.elapsed(p, q))
        .sum()
}

/// The last instant at which `limit` of running, open time has not yet passed since `start`:
/// the calendar's own arithmetic, carried over each pause.
pub fn run_out(cal: &Calendar, start: i64, limit: i64, pauses: &[(i64, i64)]) -> i64 {
    run_out_of(cal, start, limit, pauses.iter().copied())
}

/// [`run_out`] over intervals in time order from anywhere: it reads no further than the
/// interval after which the limit runs out.
pub(super) fn run_out_of(
    cal: &Calendar,
    start: i64,
    limit: i64,
    pauses: impl Iterator<Item = (i64, i64)>,
) -> i64 {
    let (mut t, mut left) = (start, limit);
    for (p, q) in pauses {
        let d = cal.deadline(t, Within::Span(left));
        if d < p {
            return d;
        }
        left -= cal.elapsed(t, p);
        if q == i64::MAX {
            return i64::MAX;
        }
        t = q;
    }
    cal.deadline(t, Within::Span(left))
}
