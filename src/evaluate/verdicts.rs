//! The verdict of one clock of the count, deadline, `each ... by` and value kinds, from what the
//! case's events and cells give (the timed kinds' is `Clock::timed`). Knows outcomes, not how
//! the cases were read or how outcomes are reported.

use crate::ingest::{DeadlineRef, Event, SourceData};

use super::events::first;
use super::{Exclusion, Outcome, Verdict};

#[allow(clippy::too_many_arguments)]
pub(super) fn counted(
    case: usize,
    start: i64,
    events: &[Event],
    ids: &[u16],
    at_least: Option<u64>,
    at_most: Option<u64>,
    close: Option<i64>,
    as_of: i64,
) -> Outcome {
    let end = close.unwrap_or(i64::MAX);
    let mut n = 0u64;
    let mut reached = None; // when at_least was reached
    let mut exceeded = None; // when at_most was exceeded
    for e in events
        .iter()
        .filter(|e| e.t() >= start && e.t() <= end && ids.contains(&e.name()))
    {
        n += 1;
        if reached.is_none() && at_least.is_some_and(|k| n >= k) {
            reached = Some(e.t());
        }
        if exceeded.is_none() && at_most.is_some_and(|k| n > k) {
            exceeded = Some(e.t());
        }
    }
    if at_least == Some(0) {
        reached = Some(start);
    }
    // The verdict, and the event that made it final (none when the window's close did).
    let window_closed = close.is_none_or(|c| as_of > c);
    let (verdict, stop) = if let Some(t) = exceeded {
        (Verdict::Breached, Some(t))
    } else if at_most.is_none() && reached.is_some() {
        (Verdict::Met, reached)
    } else if window_closed {
        let ok = at_least.is_none_or(|k| n >= k);
        (if ok { Verdict::Met } else { Verdict::Breached }, None)
    } else {
        (Verdict::Open, None)
    };
    Outcome {
        stop,
        deadline: close,
        count: Some(n),
        verdict,
        ..Outcome::new(case, None, start)
    }
}

// Inlined into `Prepared::case`, as the compiler chose before `evaluate` became a folder (a
// call per case since: 1.2% of the instructions on bench/standards-5.toml).
#[inline]
pub(super) fn deadline(
    case_index: usize,
    data: &SourceData,
    start: i64,
    events: &[Event],
    to: &[u16],
    by: DeadlineRef,
    as_of: i64,
) -> Outcome {
    let stop = first(events, to, start);
    let due = match by {
        DeadlineRef::Column(k) => data.deadline(case_index, k),
        DeadlineRef::Event(e) => first(events, &[e], start),
    };
    let verdict = match (stop, due) {
        (Some(s), Some(d)) if s <= d => Verdict::Met,
        (Some(_), Some(_)) => Verdict::Breached,
        (None, Some(d)) if as_of > d => Verdict::Breached,
        (None, Some(_)) => Verdict::Open,
        // A deadline event that has not happened yet lies after `as_of`, so after the stop.
        (Some(_), None) if matches!(by, DeadlineRef::Event(_)) => Verdict::Met,
        (None, None) if matches!(by, DeadlineRef::Event(_)) => Verdict::Open,
        (_, None) => Verdict::Excluded(Exclusion::NoDeadline),
    };
    // Lateness is wall-clock time: the deadline is an instant in the data, not a limit.
    let end = stop.unwrap_or(as_of);
    Outcome {
        stop,
        deadline: due,
        value: match (stop, due) {
            (Some(s), Some(d)) => Some(s - d),
            _ => None,
        },
        verdict,
        elapsed: Some(end - start),
        limit: due.map(|d| d - start),
        ..Outcome::new(case_index, None, start)
    }
}

/// An `each` occurrence judged against the time promised on its own row: kept when the `to`
/// comes at or before it; lateness (`stop - due`, negative when early) as for deadlines. An
/// occurrence whose row promised no time is not scored.
pub(super) fn promised(
    case_index: usize,
    n: u32,
    start: i64,
    stop: Option<i64>,
    due: Option<i64>,
    as_of: i64,
) -> Outcome {
    let verdict = match (stop, due) {
        (Some(s), Some(d)) if s <= d => Verdict::Met,
        (Some(_), Some(_)) => Verdict::Breached,
        (None, Some(d)) if as_of > d => Verdict::Breached,
        (None, Some(_)) => Verdict::Open,
        (_, None) => Verdict::Excluded(Exclusion::NoDeadline),
    };
    let end = stop.unwrap_or(as_of);
    Outcome {
        stop,
        deadline: due,
        value: stop.zip(due).map(|(s, d)| s - d),
        verdict,
        elapsed: Some(end - start),
        limit: due.map(|d| d - start),
        ..Outcome::new(case_index, Some(n), start)
    }
}

/// A value standard's case: met when its number is within the bounds (`at_least <= v <=
/// at_most`, either end open), breached otherwise, decided the moment it is read (its clock
/// stops where it starts); a case without a number is not scored.
pub(super) fn valued(
    case: usize,
    start: i64,
    number: Option<f64>,
    at_least: Option<f64>,
    at_most: Option<f64>,
) -> Outcome {
    let verdict = match number {
        None => Verdict::Excluded(Exclusion::NoValue),
        Some(v) if at_least.is_none_or(|lo| v >= lo) && at_most.is_none_or(|hi| v <= hi) => {
            Verdict::Met
        }
        Some(_) => Verdict::Breached,
    };
    Outcome {
        stop: number.map(|_| start),
        number,
        verdict,
        ..Outcome::new(case, None, start)
    }
}
