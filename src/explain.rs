//! `yardstick explain`: one case of one standard, with the working shown: its events, where
//! each clock started and stopped, every open window counted, the closed days and pauses
//! skipped, the limit, the deadline instant and the verdict. Knows how to word a trace; the
//! arithmetic itself belongs to `calendar` and `evaluate`. The trace is read in a terminal:
//! every name and value from the logs and the standards goes through `escape::terminal`
//! (`esc` here), so that none can drive the terminal or start a line of its own.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

use crate::evaluate::{self, Outcome, Verdict};
use crate::ingest::{DeadlineRef, SourceData};
use crate::render::escape::{self, terminal as esc};
use crate::standards::{CalendarChoice, Catalog, Due, Kind, Standard};
use crate::time::calendar::{ordinal, Calendar, DayTrace};
use crate::time::duration::{human, Within};

/// Local time with weekday and zone abbreviation, for people checking by hand.
fn local(t: i64, tz: Tz) -> String {
    match DateTime::from_timestamp(t, 0) {
        Some(u) => u
            .with_timezone(&tz)
            .format("%a %Y-%m-%d %H:%M:%S %Z")
            .to_string(),
        None => t.to_string(),
    }
}

fn utc(t: i64) -> String {
    match DateTime::from_timestamp(t, 0) {
        Some(u) => u.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        None => t.to_string(),
    }
}

fn secs(n: i64) -> String {
    format!("{n} s ({})", human(n))
}

/// The trace of `case` (an index into `data.cases`) for standard `s`, as `prepared` (the
/// standard made ready for `data`, judging at `as_of`) judges it. No line of it passes for a
/// GitHub workflow command (`escape::line`): a title or a value follows an indent, which the
/// runner skips.
pub fn trace(
    catalog: &Catalog,
    s: &Standard,
    data: &SourceData,
    prepared: &evaluate::Prepared,
    case: usize,
    as_of: i64,
) -> String {
    let text = trace_text(catalog, s, data, prepared, case, as_of);
    if !text.lines().any(|l| escape::line(l) != l) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for l in text.lines() {
        out.push_str(&escape::line(l));
        out.push('\n');
    }
    out
}

fn trace_text(
    catalog: &Catalog,
    s: &Standard,
    data: &SourceData,
    prepared: &evaluate::Prepared,
    case: usize,
    as_of: i64,
) -> String {
    // A repeat standard is judged per customer over its own period (which every prepared
    // repeat standard has).
    if let (
        Kind::Repeat {
            returns, customer, ..
        },
        Some(period),
    ) = (&s.kind, prepared.repeat_period())
    {
        let repeat = RepeatOf {
            returns,
            customer: customer.as_deref(),
            period,
        };
        return repeat_trace(catalog, s, data, prepared, case, as_of, &repeat);
    }
    let report_tz = catalog.files[s.file].timezone;
    let cal = prepared.calendar(case);
    let mut outcomes: Vec<Outcome> = Vec::new();
    prepared.case(case, &mut |o| outcomes.push(*o));
    let filtered_out = prepared.failed_filter(case).map(|k| {
        let (col, values) = &s.filter[k];
        format!("its `where` wants {col} in [{}]", values.join(", "))
    });
    let tz = cal.map_or(report_tz, |c| c.tz);
    let mut out = String::new();
    let w = &mut out;
    head(w, s);
    calendar_line(w, s, data, case, cal);
    case_lines(w, s, data, case, as_of, tz);
    events_read(w, s, data, case, as_of, tz);
    if let Some(why) = filtered_out {
        let _ = writeln!(w, "\nnot a case of this standard: {}", esc(&why));
        return out;
    }
    if outcomes.is_empty() {
        let _ = writeln!(
            w,
            "\nno clock: the case has no {} event at or before as-of, so it is not a case of this standard",
            esc(&start_names(s))
        );
        return out;
    }
    for (n, o) in outcomes.iter().enumerate() {
        clock(w, s, data, prepared, case, (n, o), cal, as_of, tz);
    }
    out
}

/// The standard: its id and level, title and rule.
fn head(w: &mut String, s: &Standard) {
    let _ = writeln!(w, "standard  {} ({})", esc(&s.id), s.level);
    if let Some(t) = &s.title {
        let _ = writeln!(w, "          {}", esc(t));
    }
    let _ = writeln!(w, "rule      {}", esc(&s.rule()));
}

/// The calendar the case is measured on, and why when an attribute chooses it.
fn calendar_line(
    w: &mut String,
    s: &Standard,
    data: &SourceData,
    case: usize,
    cal: Option<&Calendar>,
) {
    match (&s.calendar, cal) {
        (CalendarChoice::ByAttribute { column, .. }, Some(cal)) => {
            let value = data
                .attr_index(column)
                .map_or("", |i| data.attr_value(case, i));
            let _ = writeln!(
                w,
                "calendar  {} (chosen by {} = {value:?})",
                esc(&cal.describe()),
                esc(column)
            );
        }
        (CalendarChoice::ByAttribute { column, .. }, None) => {
            let _ = writeln!(
                w,
                "calendar  none: {} has no calendar in `map` and there is no `default`",
                esc(column)
            );
        }
        (_, Some(cal)) => {
            let _ = writeln!(w, "calendar  {}", esc(&cal.describe()));
        }
        (_, None) => {}
    }
}

/// The pauses, the case with its attributes, and the as-of.
fn case_lines(w: &mut String, s: &Standard, data: &SourceData, case: usize, as_of: i64, tz: Tz) {
    if !s.pause_on.is_empty() {
        let _ = writeln!(
            w,
            "pauses    the clock stands still from {} until {}",
            esc(&s.pause_on.join("|")),
            esc(&s.resume_on.join("|"))
        );
    }
    let _ = writeln!(w, "case      {}", esc(&data.cases[case].id));
    let attrs: Vec<String> = data
        .attr_columns
        .iter()
        .enumerate()
        .map(|(i, col)| format!("{}={}", esc(col), esc(data.attr_value(case, i))))
        .collect();
    if !attrs.is_empty() {
        let _ = writeln!(w, "          {}", attrs.join(", "));
    }
    let _ = writeln!(w, "as of     {} ({})", local(as_of, tz), utc(as_of));
}

/// Every event of the case the standard reads, and the standard's own deadline value.
fn events_read(w: &mut String, s: &Standard, data: &SourceData, case: usize, as_of: i64, tz: Tz) {
    let _ = writeln!(w, "\nevents the standard reads ({})", tz.name());
    if data.cases[case].events.is_empty() {
        let _ = writeln!(w, "  none");
    }
    for e in data.events(case) {
        let later = if e.t() > as_of {
            "   (after as-of: ignored)"
        } else {
            ""
        };
        let _ = writeln!(
            w,
            "  {}  {}{later}",
            local(e.t(), tz),
            esc(&data.event_names[e.name() as usize])
        );
    }
    // The standard's own deadline column (another deadline standard may read another).
    if let Kind::Deadline { by, .. } = &s.kind {
        if let Some(DeadlineRef::Column(k)) = data.deadline_by.get(by) {
            if let Some(d) = data.deadline(case, *k) {
                let _ = writeln!(w, "  deadline value in the data: {}", local(d, tz));
            }
        }
    }
}

/// The `n`-th clock of the case (from 0): its start and stop, the open windows it counted,
/// and its verdict (a value standard: the number against its bounds).
#[allow(clippy::too_many_arguments)] // the trace's parts, each used once
fn clock(
    w: &mut String,
    s: &Standard,
    data: &SourceData,
    prepared: &evaluate::Prepared,
    case: usize,
    (n, o): (usize, &Outcome),
    cal: Option<&Calendar>,
    as_of: i64,
    tz: Tz,
) {
    let _ = writeln!(w);
    let title = match o.occurrence {
        Some(k) => format!("clock {} (occurrence {k})", n + 1),
        None => format!("clock {}", n + 1),
    };
    let _ = writeln!(w, "{title}");
    let _ = writeln!(w, "  starts    {} ({})", local(o.start, tz), utc(o.start));
    if let Kind::Value { .. } = &s.kind {
        value_verdict(w, s, o, prepared.number(case), tz);
        return;
    }
    match o.stop {
        Some(t) => {
            let _ = writeln!(w, "  stops     {} ({})", local(t, tz), utc(t));
        }
        None => {
            let _ = writeln!(w, "  stops     not yet (measured to as-of)");
        }
    }
    // A promised time is wall-clock, like a deadline: no open windows to count.
    let timed = matches!(
        s.kind,
        Kind::Elapsed { .. }
            | Kind::Each {
                due: Due::Within(_),
                ..
            }
    );
    if let (Some(cal), true) = (cal, timed) {
        windows(w, s, data, case, cal, o, as_of);
    }
    verdict(w, s, o, tz, cal);
}

fn start_names(s: &Standard) -> String {
    match &s.kind {
        Kind::Elapsed { from, .. } | Kind::Count { from, .. } => from.join("|"),
        Kind::Each { each, .. } => each.join("|"),
        Kind::Deadline { from: Some(f), .. } => f.join("|"),
        Kind::Deadline { from: None, .. } | Kind::Value { on: None, .. } => "first".into(),
        Kind::Value { on: Some(on), .. } => on.join("|"),
        Kind::Repeat { returns, .. } => returns.join("|"),
    }
}

/// Each local date the clock ran over, with the open time it counted.
fn windows(
    w: &mut String,
    s: &Standard,
    data: &SourceData,
    case: usize,
    cal: &Calendar,
    o: &Outcome,
    as_of: i64,
) {
    let end = o.stop.unwrap_or(as_of);
    let ids =
        |names: &[String]| -> Vec<u16> { names.iter().filter_map(|n| data.event_id(n)).collect() };
    let pauses = evaluate::pauses(
        data.events(case),
        o.start,
        &ids(&s.pause_on),
        &ids(&s.resume_on),
    );
    let tz = cal.tz;
    let time = |t: i64| {
        DateTime::from_timestamp(t, 0)
            .map(|u| u.with_timezone(&tz).format("%H:%M:%S").to_string())
            .unwrap_or_default()
    };
    if end <= o.start {
        let _ = writeln!(w, "  no time passed");
        return;
    }
    let _ = writeln!(
        w,
        "  open time counted, {} (\"{}\" calendar):",
        tz.name(),
        esc(&cal.name)
    );
    let mut total = 0i64;
    let days = cal.days(o.start, end);
    // Long clocks: list the first and last weeks and summarise the middle.
    const KEEP: usize = 21;
    let skip = if days.len() > 2 * KEEP {
        KEEP..days.len() - KEEP
    } else {
        0..0
    };
    for (i, d) in days.iter().enumerate() {
        total += d.seconds();
        if skip.contains(&i) {
            if i == skip.start {
                let hidden: i64 = days[skip.clone()].iter().map(|d| d.seconds()).sum();
                let _ = writeln!(
                    w,
                    "    ... {} more dates, {} of open time ...",
                    skip.len(),
                    human(hidden)
                );
            }
            continue;
        }
        let day = format!("{} {}", weekday(d.date.weekday()), d.date);
        let line = day_line(d, &time, total);
        let _ = writeln!(w, "    {day}  {line}");
    }
    pause_lines(w, cal, &pauses, o, end, total);
}

/// One date of the clock's listing: closed and why, open but outside the clock, or its
/// windows with the open time counted and the running total.
fn day_line(d: &DayTrace, time: &impl Fn(i64) -> String, total: i64) -> String {
    let src = if d.from_override { " (override)" } else { "" };
    match d.closed {
        Some(reason) => format!("closed: {reason}"),
        None if d.windows.is_empty() => {
            let hours: Vec<String> = d.spans.iter().map(|s| s.to_string()).collect();
            format!("open {}{src}: none of it inside the clock", hours.join(","))
        }
        None => {
            let parts: Vec<String> = d
                .windows
                .iter()
                .map(|x| format!("{}-{}", time(x.open), time(x.close)))
                .collect();
            format!(
                "{}{src}  {}  running total {}",
                parts.join(", "),
                human(d.seconds()),
                human(total)
            )
        }
    }
}

/// Each pause with the open time it took off the clock, then the elapsed time (`total`: the
/// open time the listing counted, up to `end`).
fn pause_lines(
    w: &mut String,
    cal: &Calendar,
    pauses: &[(i64, i64)],
    o: &Outcome,
    end: i64,
    total: i64,
) {
    let tz = cal.tz;
    let paused = evaluate::paused_open(cal, pauses, o.start, end);
    for &(p, q) in pauses {
        let until = if q == i64::MAX || q > end {
            "still paused".to_string()
        } else {
            local(q, tz)
        };
        let _ = writeln!(
            w,
            "  paused    {} -> {until}: {} of open time not counted",
            local(p, tz),
            human(evaluate::paused_open(cal, &[(p, q)], o.start, end))
        );
    }
    // The evaluator's own figure: the listing above shows where it comes from, and a
    // listing cut short (dates chrono cannot name) must not change the number.
    let elapsed = o.elapsed.unwrap_or(total - paused);
    let _ = writeln!(
        w,
        "  elapsed   {} of open time{}",
        secs(elapsed),
        if o.paused > 0 {
            format!(
                " ({} counted - {} paused)",
                human(elapsed + o.paused),
                human(o.paused)
            )
        } else {
            String::new()
        }
    );
}

/// A value standard's case: where its number comes from, the bounds, the comparison and the
/// verdict.
fn value_verdict(w: &mut String, s: &Standard, o: &Outcome, read: Option<(i64, f64)>, tz: Tz) {
    let Kind::Value {
        column,
        on,
        at_least,
        at_most,
    } = &s.kind
    else {
        return;
    };
    let from = match on {
        Some(on) => format!("on the row of the case's first {}", esc(&on.join("|"))),
        None => "the case's own value (the latest number in the column)".to_string(),
    };
    match (o.number, read) {
        (Some(v), Some((t, _))) if on.is_some() => {
            let _ = writeln!(
                w,
                "  value     {} in {}, {from}, {}",
                shown(v),
                esc(column),
                local(t, tz)
            );
        }
        (Some(v), _) => {
            let _ = writeln!(w, "  value     {} in {}, {from}", shown(v), esc(column));
        }
        (None, _) if o.verdict == Verdict::Excluded(crate::evaluate::Exclusion::NotANumber) => {
            let _ = writeln!(
                w,
                "  value     none: the cell in {} is not a number, {from}",
                esc(column)
            );
        }
        (None, _) => {
            let _ = writeln!(w, "  value     none: no number in {}, {from}", esc(column));
        }
    }
    let _ = writeln!(
        w,
        "  bounds    {}",
        crate::standards::value_bounds(*at_least, *at_most)
    );
    if let Some(v) = o.number {
        let low = at_least.filter(|&lo| v < lo).map(|lo| (lo - v, "under"));
        let high = at_most.filter(|&hi| v > hi).map(|hi| (v - hi, "over"));
        let test = match (at_least, at_most) {
            (Some(lo), Some(hi)) => format!("{} <= {} <= {}", shown(*lo), shown(v), shown(*hi)),
            (Some(lo), None) => format!("{} >= {}", shown(v), shown(*lo)),
            (_, Some(hi)) => format!("{} <= {}", shown(v), shown(*hi)),
            (None, None) => String::new(),
        };
        let answer = match low.or(high) {
            Some((by, side)) => format!("no, {} {side}", shown(by)),
            None => "yes".to_string(),
        };
        let _ = writeln!(w, "  check     {test}: {answer}");
    }
    let _ = writeln!(w, "  verdict   {}", verdict_text(o));
}

/// The verdict in words, with how far a timed breach went over (a value standard's case has
/// no limit in time, so its breach says none).
fn verdict_text(o: &Outcome) -> String {
    match o.verdict {
        Verdict::Met => "MET".to_string(),
        Verdict::Breached => match o.over_by() {
            Some(x) => format!("BREACHED, {} over", secs(x)),
            None => "BREACHED".to_string(),
        },
        Verdict::Open => "OPEN: not decided at as-of".to_string(),
        Verdict::Excluded(why) => format!("EXCLUDED: {why}"),
    }
}

/// A deadline at a time of day (`same day by 17:00`, `2 business days by 12:00`): the limit,
/// and the deadline with the day it falls on and why (a clock started past the hour, an hour
/// the clocks skip that night).
fn time_of_day_lines(
    w: &mut String,
    o: &Outcome,
    tz: Tz,
    cal: Option<&Calendar>,
    days: u32,
    minute: u16,
) {
    let within = Within::ClockTime { days, minute };
    let _ = writeln!(
        w,
        "  limit     {within}: {} of open time to the deadline",
        o.limit.map(human).unwrap_or_default()
    );
    if let Some(d) = o.deadline {
        let hm = format!("{:02}:{:02}", minute / 60, minute % 60);
        let (.., clock_day, cut) = cal
            .map(|c| c.by_time_of_day(o.start, days, minute))
            .unwrap_or((d, chrono::NaiveDate::MIN, false));
        let date = format!(
            "{} {}",
            weekday(clock_day.weekday()),
            clock_day.format("%Y-%m-%d")
        );
        let day = match days {
            0 => format!("{date}, the clock's day"),
            n => format!(
                "the {} open day after {date}, the clock's day",
                ordinal(i64::from(n))
            ),
        };
        let why = if cut {
            format!(" (the clock started at or past {hm} on its first open day, so its day is the next one)")
        } else {
            String::new()
        };
        // A time the clocks skip that night: the deadline is the change itself.
        let skipped = cal.filter(|_| d != i64::MAX).is_some_and(|c| {
            let at = crate::time::local::local_time(c.tz, d);
            at.hour() * 60 + at.minute() != u32::from(minute)
        });
        let why = if skipped {
            format!("{why} ({hm} does not exist that night: the clocks change then)")
        } else {
            why
        };
        let _ = writeln!(
            w,
            "  deadline  {} ({}), {hm} on {day}{why}; a stop at that instant meets it",
            local(d, tz),
            utc(d)
        );
    }
}

/// A number as people read it: the shortest form that reads back the same, differences
/// rounded to nine decimals (4.1 - 3 is 1.1, not 1.0999999999999996).
fn shown(v: f64) -> String {
    crate::render::compact_number(v)
}

fn weekday(d: chrono::Weekday) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][d.num_days_from_monday() as usize]
}

fn verdict(w: &mut String, s: &Standard, o: &Outcome, tz: Tz, cal: Option<&Calendar>) {
    match (&s.kind, s.kind.within()) {
        (Kind::Deadline { by, .. }, _) => {
            if let Some(d) = o.deadline {
                let _ = writeln!(
                    w,
                    "  deadline  {} ({}) from {}",
                    local(d, tz),
                    utc(d),
                    esc(by)
                );
            }
            if let Some(v) = o.value {
                let word = if v <= 0 { "early" } else { "late" };
                let _ = writeln!(w, "  lateness  {} ({word})", secs(v));
            }
        }
        (
            Kind::Each {
                due: Due::By(by), ..
            },
            _,
        ) => {
            match o.deadline {
                Some(d) => {
                    let _ = writeln!(
                        w,
                        "  promised  {} ({}) in {} on the occurrence's row",
                        local(d, tz),
                        utc(d),
                        esc(by)
                    );
                }
                None => {
                    let _ = writeln!(
                        w,
                        "  promised  nothing: the occurrence's {} is empty",
                        esc(by)
                    );
                }
            }
            if let Some(v) = o.value {
                let word = if v <= 0 { "early" } else { "late" };
                let _ = writeln!(w, "  lateness  {} ({word})", secs(v));
            }
        }
        (Kind::Count { .. }, within) => {
            let _ = writeln!(w, "  counted   {} event(s)", o.count.unwrap_or(0));
            if let (Some(within), Some(d)) = (within, o.deadline) {
                let _ = writeln!(
                    w,
                    "  window    {within}: closes after {} ({})",
                    local(d, tz),
                    utc(d)
                );
            }
        }
        (_, Some(Within::ClockTime { days, minute })) => {
            time_of_day_lines(w, o, tz, cal, days, minute);
        }
        (_, Some(within)) => {
            let limit = match within {
                Within::Span(l) => secs(l),
                other => format!(
                    "{other}: {} of open time to the close",
                    o.limit.map(human).unwrap_or_default()
                ),
            };
            let _ = writeln!(w, "  limit     {limit}");
            if let Some(d) = o.deadline {
                let _ = writeln!(
                    w,
                    "  deadline  {} ({}), the last instant that meets the limit",
                    local(d, tz),
                    utc(d)
                );
            }
        }
        _ => {}
    }
    let _ = writeln!(w, "  verdict   {}", verdict_text(o));
}

/// A repeat standard's keys and the period its evaluation uses.
struct RepeatOf<'a> {
    returns: &'a [String],
    customer: Option<&'a str>,
    period: evaluate::RepeatPeriod,
}

/// A repeat standard's customer: every `returns` event of its cases, each placed in the
/// look-back, the period or neither; its first visit in the look-back (what makes it a case);
/// its first return in the period; the verdict, as `prepared` gives it.
fn repeat_trace(
    catalog: &Catalog,
    s: &Standard,
    data: &SourceData,
    prepared: &evaluate::Prepared,
    case: usize,
    as_of: i64,
    repeat: &RepeatOf,
) -> String {
    let RepeatOf {
        returns,
        customer,
        period: p,
    } = *repeat;
    let tz = catalog.files[s.file].timezone;
    let mut out = String::new();
    let w = &mut out;
    head(w, s);
    let who = Customer::of(data, case, customer);
    who.line(w, data, customer);
    let _ = writeln!(
        w,
        "period    {} to {}{}",
        local(p.since, tz),
        local(p.until, tz),
        p.default_words(s.within_text.as_deref().unwrap_or(""))
            .map_or(String::new(), |w| format!(" ({})", esc(&w)))
    );
    let _ = writeln!(
        w,
        "look-back {} to {} ({} before the period)",
        local(p.look_back, tz),
        local(p.since, tz),
        esc(s.within_text.as_deref().unwrap_or(""))
    );
    let _ = writeln!(w, "as of     {} ({})", local(as_of, tz), utc(as_of));
    visits(w, data, prepared, &who, repeat, as_of, tz);
    // The outcome of the customer comes from the case that stands for it.
    let stands_for = match who.value {
        true => prepared.customer_case(&who.name),
        false => Some(case),
    };
    let mut outcomes: Vec<Outcome> = Vec::new();
    if let Some(k) = stands_for {
        prepared.case(k, &mut |o| outcomes.push(*o));
    }
    match outcomes.first() {
        Some(o) => repeat_verdict(w, data, o, returns, tz),
        None => {
            let _ = writeln!(
                w,
                "\nnot a case of this standard: no {} at or before as-of in the look-back, {} to {}",
                esc(&returns.join("|")),
                local(p.look_back, tz),
                local(p.since, tz)
            );
        }
    }
    out
}

/// Whom a repeat standard's trace is about: the customer of the case asked for, with every
/// case that has its `customer` value, or the case alone.
struct Customer {
    /// The customer's value, or the case's id.
    name: String,
    cases: Vec<usize>,
    /// The case has a value in the `customer` column (else the case stands alone).
    value: bool,
    /// A `customer` column is named, but the case has no value in it.
    no_value: bool,
}

impl Customer {
    fn of(data: &SourceData, case: usize, customer: Option<&str>) -> Customer {
        let column = customer.and_then(|c| data.attr_index(c));
        let no_value = customer.is_some() && column.is_none_or(|col| data.attr(case, col) == 0);
        match column {
            Some(col) if data.attr(case, col) != 0 => {
                let v = data.attr(case, col);
                Customer {
                    name: data.attr_value(case, col).to_string(),
                    cases: (0..data.cases.len())
                        .filter(|&k| data.attr(k, col) == v)
                        .collect(),
                    value: true,
                    no_value,
                }
            }
            _ => Customer {
                name: data.cases[case].id.to_string(),
                cases: vec![case],
                value: false,
                no_value,
            },
        }
    }

    fn line(&self, w: &mut String, data: &SourceData, customer: Option<&str>) {
        match customer {
            Some(c) if self.value => {
                let ids: Vec<String> = self
                    .cases
                    .iter()
                    .map(|&k| esc(&data.cases[k].id).into_owned())
                    .collect();
                let _ = writeln!(
                    w,
                    "customer  {} ({} = {:?}; {} case(s): {})",
                    esc(&self.name),
                    esc(c),
                    self.name,
                    self.cases.len(),
                    ids.join(", ")
                );
            }
            Some(c) => {
                let _ = writeln!(
                    w,
                    "case      {} (its {} is empty: it belongs to no customer)",
                    esc(&self.name),
                    esc(c)
                );
            }
            None => {
                let _ = writeln!(
                    w,
                    "customer  {} (the case is the customer)",
                    esc(&self.name)
                );
            }
        }
    }
}

/// Every `returns` event of the customer's cases, each placed in the look-back, the period
/// or neither.
fn visits(
    w: &mut String,
    data: &SourceData,
    prepared: &evaluate::Prepared,
    who: &Customer,
    repeat: &RepeatOf,
    as_of: i64,
    tz: Tz,
) {
    let p = repeat.period;
    let whose = if who.no_value { "case" } else { "customer" };
    let _ = writeln!(
        w,
        "\n{} events of the {whose} ({})",
        esc(&repeat.returns.join("|")),
        tz.name()
    );
    let names: Vec<u16> = repeat
        .returns
        .iter()
        .filter_map(|n| data.event_id(n))
        .collect();
    let mut any = false;
    for &k in &who.cases {
        let left_out = !prepared.admits(k);
        for e in data.events(k).iter().filter(|e| names.contains(&e.name())) {
            any = true;
            let t = e.t();
            let place = if t > as_of {
                "after as-of: ignored"
            } else if left_out {
                "its case fails the `where`: not counted"
            } else if t < p.look_back {
                "before the look-back"
            } else if t < p.since {
                "in the look-back"
            } else if t < p.until {
                "in the period"
            } else {
                "after the period"
            };
            let _ = writeln!(w, "  {}  {}  {place}", local(t, tz), esc(&data.cases[k].id));
        }
    }
    if !any {
        let _ = writeln!(w, "  none");
    }
}

/// The customer's first visit in the look-back, its return and the verdict.
fn repeat_verdict(w: &mut String, data: &SourceData, o: &Outcome, returns: &[String], tz: Tz) {
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "  first visit in the look-back  {} ({}), case {}",
        local(o.start, tz),
        utc(o.start),
        esc(&data.cases[o.case].id)
    );
    match o.stop {
        _ if matches!(o.verdict, Verdict::Excluded(_)) => {}
        Some(t) => {
            let _ = writeln!(w, "  returned  {} ({})", local(t, tz), utc(t));
        }
        None if o.verdict == Verdict::Open => {
            let _ = writeln!(
                w,
                "  returned  not yet; the period is still running at the as-of"
            );
        }
        None => {
            let _ = writeln!(
                w,
                "  returned  no: no {} in the period",
                esc(&returns.join("|"))
            );
        }
    }
    let text = match o.verdict {
        Verdict::Met => "MET, a repeat customer".to_string(),
        Verdict::Breached => "BREACHED, did not return in the period".to_string(),
        Verdict::Open => "OPEN: not decided at as-of".to_string(),
        Verdict::Excluded(why) => format!("EXCLUDED: {why}"),
    };
    let _ = writeln!(w, "  verdict   {text}");
}
