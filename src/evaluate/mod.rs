//! Evaluation: cases of a source + one standard -> a verdict per case (met, breached, open,
//! excluded) with its timing. Owns the meaning of every standard kind; knows nothing of CSV
//! parsing or output formats.

use crate::ingest::{DeadlineRef, Event, SourceData};
use crate::standards::{Due, Kind, Standard};
use crate::time::calendar::Calendar;
use crate::time::duration::Within;

mod clock;
mod events;
mod repeat;
mod verdicts;
mod versions;

pub use clock::{paused_open, pauses, run_out};
pub use repeat::RepeatPeriod;

/// The spans of a period that each version of a standard judges (`yardstick sql` compiles
/// the same choice).
pub(crate) use versions::spans as version_spans;

use clock::{CaseCalendars, Clock, PausesFrom};
use events::{each_stops, exempt_next, first, ids, Ids, NextOf};
use repeat::Repeat;
use verdicts::{counted, deadline, promised, valued};

/// Why a case of a standard is not scored. A closed set: a new reason is a new variant, and
/// the compiler lists every place that words or counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exclusion {
    /// Exempt: an `unless` event came before the verdict was final.
    Unless,
    /// A deadline standard's case without a deadline value.
    NoDeadline,
    /// A standard that picks its calendar per case, and none for the case's value.
    NoCalendar,
    /// A repeat standard's case in the look-back whose `customer` cell is empty: it belongs
    /// to no customer, so it is neither a repeat nor a lapse.
    NoCustomer,
    /// A standard with versions by date, none of them in force when the clock started.
    NoVersion,
    /// A value standard's case without a number in its column (an empty cell, or no row).
    NoValue,
    /// A value standard's case whose cell holds text that is not a number (`three`, `n/a`,
    /// `3,5`, `NaN`, `inf`, `1e400`); its row is used for everything else.
    NotANumber,
}

impl Exclusion {
    /// The reason in words, as reports and traces show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Exclusion::Unless => "exempt (unless)",
            Exclusion::NoDeadline => "no deadline",
            Exclusion::NoCalendar => "no calendar for the case's attribute value",
            Exclusion::NoCustomer => "no customer",
            Exclusion::NoVersion => "no version in force",
            Exclusion::NoValue => "no value",
            Exclusion::NotANumber => "not a number",
        }
    }
}

impl std::fmt::Display for Exclusion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The audited period: a case belongs to it when its clock starts in `[since, until)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Period {
    pub fn contains(&self, t: i64) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    Breached,
    /// Not decided at `--as-of`.
    Open,
    /// Not scored: exempt by `unless`, without a deadline to judge against, or without a
    /// calendar.
    Excluded(Exclusion),
}

/// One case (or one occurrence, for `each` standards) of one standard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Index into `SourceData::cases`.
    pub case: usize,
    /// 1-based occurrence of the `each` event within the case.
    pub occurrence: Option<u32>,
    pub start: i64,
    /// When the clock stopped (the `to` event), if it did.
    pub stop: Option<i64>,
    /// The last instant that still meets the standard, when known.
    pub deadline: Option<i64>,
    /// Measured value in seconds: elapsed calendar time, or for deadline standards the
    /// lateness (`stop - deadline`, negative when early). Present when the clock stopped.
    pub value: Option<i64>,
    /// For count standards, the events counted.
    pub count: Option<u64>,
    /// For value standards, the case's number.
    pub number: Option<f64>,
    pub verdict: Verdict,
    /// Time on the clock so far: to the stop, else to `as_of` (timed kinds only).
    pub elapsed: Option<i64>,
    /// The limit in the same time as `elapsed` (for "same day", the time to the day's close).
    pub limit: Option<i64>,
    /// Open time the clock stood still between `pause_on` and `resume_on` events.
    pub paused: i64,
    /// A `to` event came before the clock's start (an impossible order in the export).
    pub stop_before_start: bool,
}

impl Outcome {
    /// How far past the limit a breach went, at its stop or at `as_of`.
    pub fn over_by(&self) -> Option<i64> {
        match (self.verdict, self.elapsed, self.limit) {
            (Verdict::Breached, Some(e), Some(l)) => Some(e - l),
            _ => None,
        }
    }
}

/// Evaluates a standard on every case of its source, in case order.
pub fn evaluate(
    standard: &Standard,
    data: &SourceData,
    period: Period,
    as_of: i64,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    evaluate_each(standard, data, period, as_of, |o| out.push(*o));
    out
}

/// Evaluates a standard on every case of its source, handing each outcome to `sink` in case
/// order, so that a summary needs no memory per case.
pub fn evaluate_each(
    standard: &Standard,
    data: &SourceData,
    period: Period,
    as_of: i64,
    mut sink: impl FnMut(&Outcome),
) {
    let prepared = Prepared::new(standard, data, period, as_of);
    let end = data.cases.len();
    for ci in 0..end {
        prefetch_ahead(data, ci, end);
        prepared.case(ci, &mut sink);
    }
}

/// Fetches the case 16 on, and the heap block of the case 8 on (its case line fetched 8 cases
/// ago), so that a loop over cases `..end` waits for neither.
#[inline]
pub fn prefetch_ahead(data: &SourceData, ci: usize, end: usize) {
    if ci + 16 < end {
        crate::ingest::prefetch(&data.cases[ci + 16]);
    }
    if ci + 8 < end {
        if let Some(first) = data.cases[ci + 8].events.first_in(&data.event_store) {
            crate::ingest::prefetch(first);
        }
    }
}

/// A standard made ready for its source's cases: event names resolved to ids, filters to
/// attribute values, the calendar chosen; then evaluated one case at a time, so that several
/// standards can take turns on each case while its events are in the cache.
pub struct Prepared<'a> {
    standard: &'a Standard,
    data: &'a SourceData,
    period: Period,
    as_of: i64,
    filter: Vec<(usize, Vec<u32>)>,
    ids: Ids,
    pause: (Vec<u16>, Vec<u16>),
    calendars: CaseCalendars<'a>,
    deadline_by: Option<DeadlineRef>,
    /// A repeat standard's period, look-back and customers.
    repeat: Option<Repeat>,
    /// A standard with versions by date: each made ready, and the case handed to the one in
    /// force when its clock starts (`evaluate/versions.rs`).
    versions: Option<Box<versions::Versions<'a>>>,
    /// A value standard's column among the source's numbers.
    value_slot: Option<usize>,
}

impl<'a> Prepared<'a> {
    pub fn new(standard: &'a Standard, data: &'a SourceData, period: Period, as_of: i64) -> Self {
        let filter: Vec<(usize, Vec<u32>)> = standard
            .filter
            .iter()
            .map(|(col, values)| {
                let i = data
                    .attr_index(col)
                    .expect("filter columns are checked at ingest");
                let wanted = data.attr_values[i]
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| values.iter().any(|w| value_matches(w, v)))
                    .map(|(k, _)| k as u32)
                    .collect();
                (i, wanted)
            })
            .collect();
        let ids = match &standard.kind {
            Kind::Elapsed { from, to, .. } => Ids {
                from: ids(data, from),
                to: ids(data, to),
                count: vec![],
                unless: vec![],
            },
            Kind::Each { each, to, .. } => Ids {
                from: ids(data, each),
                to: ids(data, to),
                count: vec![],
                unless: vec![],
            },
            Kind::Count { from, count, .. } => Ids {
                from: ids(data, from),
                to: vec![],
                count: ids(data, count),
                unless: vec![],
            },
            Kind::Deadline { from, to, .. } => Ids {
                from: from.as_ref().map(|f| ids(data, f)).unwrap_or_default(),
                to: ids(data, to),
                count: vec![],
                unless: vec![],
            },
            Kind::Repeat { returns, .. } => Ids {
                from: ids(data, returns),
                to: vec![],
                count: vec![],
                unless: vec![],
            },
            Kind::Value { on, .. } => Ids {
                from: on.as_ref().map(|f| ids(data, f)).unwrap_or_default(),
                to: vec![],
                count: vec![],
                unless: vec![],
            },
        };
        let ids = Ids {
            unless: self::ids(data, &standard.unless),
            ..ids
        };
        let pause = (
            self::ids(data, &standard.pause_on),
            self::ids(data, &standard.resume_on),
        );
        let calendars = CaseCalendars::new(&standard.calendar, data);
        // Looked up once, not once per case.
        let deadline_by = match &standard.kind {
            Kind::Deadline { by, .. }
            | Kind::Each {
                due: Due::By(by), ..
            } => data.deadline_by.get(by).copied(),
            _ => None,
        };
        let value_slot = match &standard.kind {
            Kind::Value { column, on, .. } => data.value_slot(column, on.as_deref()),
            _ => None,
        };
        let mut prepared = Prepared {
            standard,
            data,
            period,
            as_of,
            filter,
            ids,
            pause,
            calendars,
            deadline_by,
            versions: versions::Versions::new(standard, data, period, as_of),
            value_slot,
            repeat: None,
        };
        if let Kind::Repeat {
            within, customer, ..
        } = &standard.kind
        {
            prepared.repeat = Some(Repeat::new(&prepared, *within, customer.as_deref()));
        }
        prepared
    }

    /// A repeat standard's audited period `[since, until)` and look-back start (`since -
    /// within`), as this evaluation uses them: the period given, or its default.
    pub fn repeat_period(&self) -> Option<RepeatPeriod> {
        self.repeat.as_ref().map(|r| r.period)
    }

    /// A repeat standard with a `customer` column: the case that stands for the customer
    /// whose value is `value` (the case of its first `returns` event in the look-back), if
    /// the customer has one.
    pub fn customer_case(&self, value: &str) -> Option<usize> {
        let r = self.repeat.as_ref()?;
        let (col, first) = r.customers.as_ref()?;
        let v = self.data.attr_values[*col]
            .iter()
            .position(|x| &**x == value)?;
        first
            .get(v)
            .filter(|f| f.case != u32::MAX)
            .map(|f| f.case as usize)
    }

    /// The standard's outcomes on case `ci` (none, one, or one per occurrence), to `sink`.
    // Always inlined, and so are its steps below: split into steps, it grew past what the
    // compiler inlines on its own into the pipeline's loop, and a call per case and standard
    // cost 5% more instructions on five standards (a merged clock-start helper, +6%).
    #[inline(always)]
    pub fn case(&self, ci: usize, sink: &mut impl FnMut(&Outcome)) {
        if let Some(versions) = &self.versions {
            return versions.case(ci, sink);
        }
        if !self.admits(ci) {
            return;
        }
        // A repeat standard's cases are customers, its period its own: no clock, no `push`.
        if let Some(r) = &self.repeat {
            if let Some(o) = r.case(self, ci) {
                sink(&o);
            }
            return;
        }
        let events = self.visible(ci);
        // A case whose calendar is chosen by an attribute value with no calendar (and no
        // default) is a case of the standard all the same, when its clock starts: it is
        // reported as not scored, never measured on some other calendar.
        let clock = self.calendars.of(self.data, ci).map(|cal| Clock {
            cal,
            events,
            pause: &self.pause,
            as_of: self.as_of,
        });
        // By reference: an outcome is larger than a copy that the compiler does inline.
        // `unless` events are found by a cursor, as the outcomes of a case come in time order.
        let mut unless = NextOf::new(events, &self.ids.unless);
        let period = self.period;
        let mut push = |o: &mut Outcome| {
            if period.contains(o.start) {
                exempt_next(o, &mut unless);
                sink(o);
            }
        };
        match &self.standard.kind {
            Kind::Elapsed { within, .. } => {
                self.elapsed_case(ci, events, clock.as_ref(), *within, &mut push)
            }
            Kind::Each {
                due: Due::By(_), ..
            } => self.each_promised_case(ci, events, clock.is_some(), &mut push),
            Kind::Each {
                due: Due::Within(within),
                ..
            } => self.each_within_case(ci, events, clock.as_ref(), *within, &mut push),
            Kind::Count {
                at_least,
                at_most,
                within,
                ..
            } => {
                let Some(start) = first(events, &self.ids.from, i64::MIN) else {
                    return;
                };
                let Some(clock) = &clock else {
                    return push(&mut Outcome::uncalendared(ci, None, start));
                };
                let close = within.map(|w| clock.cal.deadline(start, w));
                push(&mut counted(
                    ci,
                    start,
                    events,
                    &self.ids.count,
                    *at_least,
                    *at_most,
                    close,
                    self.as_of,
                ));
            }
            Kind::Deadline { from, .. } => {
                let Some(start) = self.clock_start(ci, events, from.is_some()) else {
                    return;
                };
                if clock.is_none() {
                    return push(&mut Outcome::uncalendared(ci, None, start));
                }
                push(&mut deadline(
                    ci,
                    self.data,
                    start,
                    events,
                    &self.ids.to,
                    self.deadline_by
                        .expect("every deadline `by` is resolved when the log is read"),
                    self.as_of,
                ));
            }
            // Judged above, by `Repeat::case`.
            Kind::Repeat { .. } => {}
            Kind::Value {
                on,
                at_least,
                at_most,
                ..
            } => {
                // With `on`, the case is its first such event (the number is that row's);
                // without, the case's first row, as for a deadline without `from`.
                let Some(start) = self.clock_start(ci, events, on.is_some()) else {
                    return;
                };
                let slot = self.value_slot;
                let number = slot.and_then(|k| self.data.value(ci, k)).map(|(_, v)| v);
                let mut o = valued(ci, start, number, *at_least, *at_most);
                if number.is_none() && slot.is_some_and(|k| self.data.not_a_number(ci, k)) {
                    o.verdict = Verdict::Excluded(Exclusion::NotANumber);
                }
                push(&mut o);
            }
        }
    }

    /// Where the clock of a deadline or value standard starts: at the first of the named
    /// events (`from`, `on`) when the standard names some, else at the case's first row
    /// (none when that is after the as-of).
    #[inline(always)]
    fn clock_start(&self, ci: usize, events: &[Event], named: bool) -> Option<i64> {
        if named {
            return first(events, &self.ids.from, i64::MIN);
        }
        let seen = self.data.cases[ci].first_seen;
        (seen != i64::MAX && seen <= self.as_of).then_some(seen)
    }

    /// An elapsed standard: from the first `from` event to the first `to` event after it.
    #[inline(always)]
    fn elapsed_case(
        &self,
        ci: usize,
        events: &[Event],
        clock: Option<&Clock>,
        within: Within,
        push: &mut impl FnMut(&mut Outcome),
    ) {
        let ids = &self.ids;
        let Some(start) = first(events, &ids.from, i64::MIN) else {
            return;
        };
        let Some(clock) = clock else {
            return push(&mut Outcome::uncalendared(ci, None, start));
        };
        let spans = clock.pauses(start);
        let stop = first(events, &ids.to, start);
        let mut o = clock.timed(ci, None, start, stop, within, (None, &spans));
        o.stop_before_start = events
            .iter()
            .any(|e| e.t() < start && ids.to.contains(&e.name()));
        push(&mut o);
    }

    /// An each standard with `by`: every occurrence due at the time its row promises.
    #[inline(always)]
    fn each_promised_case(
        &self,
        ci: usize,
        events: &[Event],
        calendared: bool,
        push: &mut impl FnMut(&mut Outcome),
    ) {
        let ids = &self.ids;
        // The n-th occurrence's promise is the n-th promise of the case's `each` events in
        // this column (both in time order, ties in file order).
        let column = match self.deadline_by {
            Some(DeadlineRef::Column(k)) => k as u16,
            _ => u16::MAX,
        };
        let mut promises = self
            .data
            .promises(ci)
            .iter()
            .filter(|p| p.column == column && ids.from.contains(&p.name));
        let mut n = 0;
        each_stops(events, None, &ids.from, &ids.to, |start, stop| {
            n += 1;
            let promise = promises.next();
            debug_assert!(promise.is_none_or(|p| p.t == start));
            if !calendared {
                return push(&mut Outcome::uncalendared(ci, Some(n), start));
            }
            push(&mut promised(
                ci,
                n,
                start,
                stop,
                promise.and_then(|p| p.due),
                self.as_of,
            ));
        });
    }

    /// An each standard with `within`: every occurrence timed on the case's calendar.
    #[inline(always)]
    fn each_within_case(
        &self,
        ci: usize,
        events: &[Event],
        clock: Option<&Clock>,
        within: Within,
        push: &mut impl FnMut(&mut Outcome),
    ) {
        let mut n = 0;
        // Threads: the reply must answer this very message.
        let links = self.data.links.get(ci).map(|l| &l[..events.len()]);
        // The clocks start in time order, so their pauses come from one pass too.
        let mut paused = PausesFrom::new(events, &self.pause.0, &self.pause.1);
        each_stops(
            events,
            links,
            &self.ids.from,
            &self.ids.to,
            |start, stop| {
                n += 1;
                let spans = paused.at(start);
                match clock {
                    Some(clock) => push(&mut clock.timed(ci, Some(n), start, stop, within, spans)),
                    None => push(&mut Outcome::uncalendared(ci, Some(n), start)),
                }
            },
        );
    }

    /// The number case `ci` is judged by, with the time of the row it was read on.
    pub fn number(&self, ci: usize) -> Option<(i64, f64)> {
        self.data.value(ci, self.value_slot?)
    }

    /// Whether case `ci` passes the standard's `where`: the one rule that audit and explain
    /// both judge by.
    #[inline]
    pub fn admits(&self, ci: usize) -> bool {
        self.failed_filter(ci).is_none()
    }

    /// The first `where` entry (an index into the standard's `filter`) that case `ci` fails.
    pub fn failed_filter(&self, ci: usize) -> Option<usize> {
        self.filter
            .iter()
            .position(|(col, ok)| !ok.contains(&self.data.attr(ci, *col)))
    }

    /// The calendar case `ci` is measured on: none when it is chosen by an attribute value
    /// that has no calendar in `map` and there is no `default`.
    pub fn calendar(&self, ci: usize) -> Option<&Calendar> {
        self.calendars.of(self.data, ci)
    }
}

impl Prepared<'_> {
    /// Case `ci`'s events up to the as-of (later ones have not happened yet).
    // On the per-case path of `case`: see there.
    #[inline(always)]
    fn visible(&self, ci: usize) -> &[Event] {
        let all = self.data.cases[ci].events.as_slice(&self.data.event_store);
        match all.last() {
            Some(last) if last.t() <= self.as_of => all,
            _ => &all[..all.partition_point(|e| e.t() <= self.as_of)],
        }
    }
}

impl Outcome {
    /// A case of the standard whose calendar, chosen by an attribute value, does not exist:
    /// not scored.
    fn uncalendared(case: usize, occurrence: Option<u32>, start: i64) -> Outcome {
        Outcome {
            verdict: Verdict::Excluded(Exclusion::NoCalendar),
            ..Outcome::new(case, occurrence, start)
        }
    }

    fn new(case: usize, occurrence: Option<u32>, start: i64) -> Outcome {
        Outcome {
            case,
            occurrence,
            start,
            stop: None,
            deadline: None,
            value: None,
            count: None,
            number: None,
            verdict: Verdict::Open,
            elapsed: None,
            limit: None,
            paused: 0,
            stop_before_start: false,
        }
    }
}

/// Whether an attribute value is one a `where` filter asks for. `true` and `false` (as TOML
/// booleans or strings) match the spellings exports use for them: true/TRUE/True/t/yes/y/1 and
/// false/FALSE/False/f/no/n/0; everything else matches exactly.
pub fn value_matches(wanted: &str, value: &str) -> bool {
    const TRUE: [&str; 5] = ["true", "t", "yes", "y", "1"];
    const FALSE: [&str; 5] = ["false", "f", "no", "n", "0"];
    let spelled = |set: &[&str]| set.iter().any(|s| s.eq_ignore_ascii_case(value));
    match wanted {
        "true" => spelled(&TRUE),
        "false" => spelled(&FALSE),
        w => w == value,
    }
}

/// Nearest-rank quantile: the value at rank ceil(q x n) of the sorted values, q = num/den.
pub fn nearest_rank(sorted: &[i64], num: usize, den: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (num * sorted.len()).div_ceil(den).max(1);
    Some(sorted[rank - 1])
}

/// [`nearest_rank`] over (value, how often) pairs, values ascending.
pub fn nearest_rank_tallied(sorted: &[(i64, u64)], num: u64, den: u64) -> Option<i64> {
    let n: u64 = sorted.iter().map(|&(_, k)| k).sum();
    if n == 0 {
        return None;
    }
    let rank = (num * n).div_ceil(den).max(1);
    let mut seen = 0;
    sorted.iter().find_map(|&(v, k)| {
        seen += k;
        (seen >= rank).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::clock::paused_open_of;
    use super::events::{exempt, Replies};
    use super::repeat::Visit;
    use super::*;
    use crate::ingest::Link;
    use proptest::prelude::*;

    #[test]
    fn booleans_match_their_spellings() {
        for v in ["true", "TRUE", "True", "t", "yes", "Y", "1"] {
            assert!(value_matches("true", v), "{v}");
            assert!(!value_matches("false", v), "{v}");
        }
        for v in ["false", "FALSE", "f", "no", "0"] {
            assert!(value_matches("false", v), "{v}");
        }
        assert!(!value_matches("true", "?"));
        assert!(value_matches("Support", "Support"));
        assert!(!value_matches("Support", "support"));
    }

    #[test]
    fn nearest_rank_by_hand() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(nearest_rank(&v, 1, 2), Some(5));
        assert_eq!(nearest_rank(&v, 9, 10), Some(9));
        assert_eq!(nearest_rank(&v[..4], 1, 2), Some(2));
        assert_eq!(nearest_rank(&v[..5], 1, 2), Some(3));
        assert_eq!(nearest_rank(&v[..1], 9, 10), Some(1));
        assert_eq!(nearest_rank(&v[..11 - 1], 9, 10), Some(9));
        assert_eq!(nearest_rank(&[], 1, 2), None);
    }

    proptest! {
        #[test]
        fn nearest_rank_matches_definition(mut v in proptest::collection::vec(-1000i64..1000, 1..200), q in 1usize..=100) {
            v.sort_unstable();
            let got = nearest_rank(&v, q, 100).unwrap();
            let mut tallied: Vec<(i64, u64)> = Vec::new();
            for &x in &v {
                match tallied.last_mut() {
                    Some((y, k)) if *y == x => *k += 1,
                    _ => tallied.push((x, 1)),
                }
            }
            prop_assert_eq!(nearest_rank_tallied(&tallied, q as u64, 100), Some(got));
            let rank = ((q as f64 / 100.0) * v.len() as f64 - 1e-9).ceil().max(1.0) as usize;
            prop_assert_eq!(got, v[rank - 1]);
            // At least q% of the values are <= the quantile.
            let below = v.iter().filter(|&&x| x <= got).count();
            prop_assert!(below * 100 >= q * v.len());
        }
    }

    /// `each` as it was before the cursor: a scan of the case from its first event for every
    /// occurrence. The reference the cursor and the reply index must agree with.
    fn each_stops_by_scan(
        events: &[Event],
        links: Option<&[Link]>,
        each: &[u16],
        to: &[u16],
    ) -> Vec<(i64, Option<i64>)> {
        let mut out = Vec::new();
        for (i, e) in events.iter().enumerate() {
            if !each.contains(&e.name()) {
                continue;
            }
            // Any `to` event at or after it but itself.
            let stop = events
                .iter()
                .enumerate()
                .find(|&(j, r)| {
                    j != i
                        && r.t() >= e.t()
                        && to.contains(&r.name())
                        && links.is_none_or(|links| links[j].answers == links[i].message)
                })
                .map(|(_, r)| r.t());
            out.push((e.t(), stop));
        }
        out
    }

    /// Sorted events over few distinct instants (so many ties), names 0..4, and for a thread
    /// each event's message (its position, as message ids are unique) and the message it
    /// answers (any event of the case, or none).
    fn case_events() -> impl Strategy<Value = (Vec<Event>, Vec<Link>)> {
        proptest::collection::vec((0i64..40, 0u16..4, 0u32..220, any::<bool>()), 0..200).prop_map(
            |rows| {
                let mut rows = rows;
                // Stable: equal times keep their order, as the reader keeps file order.
                rows.sort_by_key(|r| r.0);
                let n = rows.len() as u32;
                let events = rows.iter().map(|&(t, name, _, _)| e(t, name)).collect();
                let links = rows
                    .iter()
                    .enumerate()
                    .map(|(k, &(_, _, answers, answers_any))| Link {
                        message: k as u32,
                        answers: if answers_any && n > 0 {
                            answers % n
                        } else {
                            u32::MAX
                        },
                    })
                    .collect();
                (events, links)
            },
        )
    }

    proptest! {
        #[test]
        fn each_stops_equal_the_scan(
            (events, links) in case_events(),
            each in proptest::collection::vec(0u16..4, 1..3),
            to in proptest::collection::vec(0u16..4, 1..3),
        ) {
            for links in [None, Some(&links[..])] {
                let mut got = Vec::new();
                each_stops(&events, links, &each, &to, |start, stop| got.push((start, stop)));
                prop_assert_eq!(got, each_stops_by_scan(&events, links, &each, &to));
            }
        }

        #[test]
        fn unless_cursor_equals_the_scan(
            (events, _) in case_events(),
            unless in proptest::collection::vec(0u16..4, 1..3),
            mut starts in proptest::collection::vec(-1i64..42, 0..50),
        ) {
            starts.sort_unstable();
            let mut cursor = NextOf::new(&events, &unless);
            for &s in &starts {
                prop_assert_eq!(cursor.at_or_after(s), first(&events, &unless, s));
            }
        }
    }

    proptest! {
        /// The pauses of clocks started in time order equal those `pauses` finds by a scan,
        /// also with names that both pause and resume, and with no pause names at all.
        #[test]
        fn pauses_from_equal_the_scan(
            (events, _) in case_events(),
            pause in proptest::collection::vec(0u16..4, 0..3),
            resume in proptest::collection::vec(0u16..4, 1..3),
            mut starts in proptest::collection::vec(-1i64..42, 0..50),
        ) {
            starts.sort_unstable();
            let mut from = PausesFrom::new(&events, &pause, &resume);
            for &s in &starts {
                let (first, rest) = from.at(s);
                let got: Vec<(i64, i64)> = first.into_iter().chain(rest.iter().copied()).collect();
                prop_assert_eq!(&got, &pauses(&events, s, &pause, &resume));
                // Read only up to the clock's end, the open time is the same.
                let cal = Calendar::always(chrono_tz::Tz::UTC);
                for b in [s, s + 3, s + 20, i64::MAX] {
                    prop_assert_eq!(
                        paused_open_of(&cal, got.iter().copied(), s, b),
                        paused_open(&cal, &got, s, b)
                    );
                }
            }
        }
    }

    #[test]
    fn an_each_event_never_stops_its_own_clock() {
        // each = "update" (0), to = ["update", "solved" (1)]: every update is followed by
        // another update or the solve; the last update has neither.
        let events = [e(0, 0), e(5, 0), e(20, 1), e(30, 0)];
        let mut got = Vec::new();
        each_stops(&events, None, &[0], &[0, 1], |start, stop| {
            got.push((start, stop))
        });
        assert_eq!(got, [(0, Some(5)), (5, Some(20)), (30, None)]);
        // Two updates at one instant stop each other's clock; a lone one stops nothing.
        for events in [[e(5, 0), e(5, 0)], [e(5, 0), e(9, 2)]] {
            let mut got = Vec::new();
            each_stops(&events, None, &[0], &[0], |start, stop| {
                got.push((start, stop))
            });
            let want: Vec<_> = if events[1].name() == 0 {
                vec![(5, Some(5)), (5, Some(5))]
            } else {
                vec![(5, None)]
            };
            assert_eq!(got, want);
        }
        // On a thread, a message that claims to answer itself is not its own reply, past the
        // scan limit (the reply index) as below it.
        for n in [2, 3 * Replies::SCAN_UP_TO as u32] {
            let events: Vec<Event> = (0..n).map(|k| e(i64::from(k), 0)).collect();
            let links: Vec<Link> = (0..n)
                .map(|k| Link {
                    message: k,
                    answers: if k == 0 { 0 } else { k - 1 },
                })
                .collect();
            let mut got = Vec::new();
            each_stops(&events, Some(&links), &[0], &[0], |start, stop| {
                got.push((start, stop))
            });
            // Message 0 answered by message 1 (not by itself), and so on; the last unanswered.
            let want: Vec<_> = (0..n)
                .map(|k| (i64::from(k), (k + 1 < n).then(|| i64::from(k + 1))))
                .collect();
            assert_eq!(got, want, "{n} messages");
        }
    }

    #[test]
    fn each_stop_at_the_same_instant_counts_before_or_after_in_the_list() {
        // A reply at the message's very second counts, listed before it or after it.
        let events = [e(5, 1), e(5, 0), e(5, 0), e(7, 1), e(9, 0)];
        let mut got = Vec::new();
        each_stops(&events, None, &[0], &[1], |start, stop| {
            got.push((start, stop))
        });
        assert_eq!(got, [(5, Some(5)), (5, Some(5)), (9, None)]);
        // Past the scan limit, the reply index gives the replies to each message.
        let n = 3 * Replies::SCAN_UP_TO as u32;
        let events: Vec<Event> = (0..n)
            .map(|k| e(i64::from(k / 2), (k % 2) as u16))
            .collect();
        // Message 2m + 1 (a reply, name 1) answers message 2m (name 0), but the last reply
        // answers the first message instead of the one before it.
        let links: Vec<Link> = (0..n)
            .map(|k| Link {
                message: k,
                answers: match k {
                    _ if k == n - 1 => 0,
                    _ if k % 2 == 1 => k - 1,
                    _ => u32::MAX,
                },
            })
            .collect();
        let mut got = Vec::new();
        each_stops(&events, Some(&links), &[0], &[1], |start, stop| {
            got.push((start, stop))
        });
        assert_eq!(got, each_stops_by_scan(&events, Some(&links), &[0], &[1]));
        let (last, answered) = got.split_last().unwrap();
        assert!(answered.iter().all(|&(s, stop)| stop == Some(s)));
        assert_eq!(*last, (i64::from(n / 2 - 1), None));
    }

    fn e(t: i64, name: u16) -> Event {
        Event::new(t, name)
    }

    #[test]
    fn a_customer_is_its_first_look_back_visit_and_its_first_return() {
        // Look-back [100, 200), period [200, 300); `returns` is name 0, name 1 is another event.
        let p = RepeatPeriod {
            look_back: 100,
            since: 200,
            until: 300,
            given: [true, true],
        };
        let visit = |cases: &[&[Event]]| {
            let mut v = Visit::NONE;
            for (ci, events) in cases.iter().enumerate() {
                v.take(ci, events, &[0], &p);
            }
            (v.case, v.first, v.returned)
        };
        let none = (u32::MAX, i64::MAX, None);
        // Both ends of the look-back: its first second is in, its end is the period's start.
        assert_eq!(visit(&[&[e(100, 0), e(299, 0)]]), (0, 100, Some(299)));
        assert_eq!(
            visit(&[&[e(99, 0), e(200, 0)]]),
            (u32::MAX, i64::MAX, Some(200))
        );
        assert_eq!(visit(&[&[e(199, 0), e(300, 0)]]), (0, 199, None));
        // Another event name neither makes a customer nor a return.
        assert_eq!(visit(&[&[e(150, 1), e(250, 1)]]), none);
        // Across cases: the earliest visit wins, a tie goes to the first case, and the
        // earliest return counts whichever case holds it.
        assert_eq!(
            visit(&[&[e(180, 0)], &[e(120, 0), e(280, 0)], &[e(210, 0)]]),
            (1, 120, Some(210))
        );
        assert_eq!(visit(&[&[e(120, 0)], &[e(120, 0)]]), (0, 120, None));
        // Two visits in the look-back are one customer that has not returned.
        assert_eq!(visit(&[&[e(110, 0), e(190, 0)]]), (0, 110, None));
    }

    #[test]
    fn a_defaulted_period_says_how_it_was_chosen() {
        let p = |given| RepeatPeriod {
            look_back: 0,
            since: 1,
            until: 2,
            given,
        };
        assert_eq!(p([true, true]).default_words("365d"), None);
        assert_eq!(
            p([false, false]).default_words("365d").unwrap(),
            "the default period: no --since/--until, so the 365d before the as-of"
        );
        assert_eq!(
            p([true, false]).default_words("52w").unwrap(),
            "the period ends 52w after --since"
        );
        assert_eq!(
            p([false, true]).default_words("52w").unwrap(),
            "the period starts 52w before --until"
        );
    }

    #[test]
    fn count_verdicts() {
        let evs = [e(0, 0), e(10, 1), e(20, 1), e(30, 1), e(40, 2)];
        // at least 3 within 100s: reached at 30.
        let o = counted(0, 0, &evs, &[1], Some(3), None, Some(100), 50);
        assert_eq!(
            (o.verdict, o.count, o.stop),
            (Verdict::Met, Some(3), Some(30))
        );
        // at least 4 within 100s: open at 50, breached after the window.
        assert_eq!(
            counted(0, 0, &evs, &[1], Some(4), None, Some(100), 50).verdict,
            Verdict::Open
        );
        assert_eq!(
            counted(0, 0, &evs, &[1], Some(4), None, Some(100), 100).verdict,
            Verdict::Open
        );
        assert_eq!(
            counted(0, 0, &evs, &[1], Some(4), None, Some(100), 101).verdict,
            Verdict::Breached
        );
        // at most 2: exceeded at 30.
        let o = counted(0, 0, &evs, &[1], None, Some(2), Some(100), 50);
        assert_eq!((o.verdict, o.stop), (Verdict::Breached, Some(30)));
        // without a window: decided at as_of.
        assert_eq!(
            counted(0, 0, &evs, &[1], Some(4), None, None, 50).verdict,
            Verdict::Breached
        );
        assert_eq!(
            counted(0, 0, &evs, &[1], Some(3), Some(3), None, 50).verdict,
            Verdict::Met
        );
        // the window is inclusive: an event at start + within counts.
        assert_eq!(
            counted(0, 0, &evs, &[1], Some(3), None, Some(30), 50).verdict,
            Verdict::Met
        );
        assert_eq!(
            counted(0, 0, &evs, &[1], Some(3), None, Some(29), 50).verdict,
            Verdict::Breached
        );
    }

    fn exempted(mut o: Outcome, events: &[Event], unless: &[u16]) -> Outcome {
        exempt(&mut o, events, unless);
        o
    }

    #[test]
    fn unless_exempts_only_before_the_verdict() {
        let base = Outcome {
            deadline: Some(100),
            verdict: Verdict::Breached,
            ..Outcome::new(0, None, 0)
        };
        let evs = [e(50, 9)];
        assert_eq!(
            exempted(base, &evs, &[9]).verdict,
            Verdict::Excluded(Exclusion::Unless)
        );
        let late = [e(101, 9)];
        assert_eq!(exempted(base, &late, &[9]).verdict, Verdict::Breached);
        let met = Outcome {
            verdict: Verdict::Met,
            stop: Some(40),
            ..base
        };
        assert_eq!(exempted(met, &evs, &[9]).verdict, Verdict::Met);
        let same = [e(40, 9)];
        assert_eq!(exempted(met, &same, &[9]).verdict, Verdict::Met);
    }
}
