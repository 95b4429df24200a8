//! The starter standards of a draft that names its columns: a first response on an events
//! log, the time between the first two milestones (and delivery by a deadline) on a case
//! table, with limits rounded up from the sample. Knows the layout found, not presets.

use std::fmt::Write as _;

use super::layout::hint;
use super::sniff::Sample;
use super::times::Times;
use super::{list, median, q};

/// The smallest round limit at or above `secs`, for a starter standard.
pub(super) fn round_limit(secs: i64) -> &'static str {
    const LADDER: &[(i64, &str)] = &[
        (600, "10m"),
        (1800, "30m"),
        (3600, "1h"),
        (4 * 3600, "4h"),
        (8 * 3600, "8h"),
        (86_400, "1d"),
        (2 * 86_400, "2d"),
        (3 * 86_400, "3d"),
        (7 * 86_400, "1w"),
        (14 * 86_400, "2w"),
    ];
    LADDER
        .iter()
        .find(|(s, _)| secs <= *s)
        .map_or("4w", |(_, l)| l)
}

/// First response: from the first event of a case to the first event of another kind.
#[allow(clippy::too_many_arguments)]
pub(super) fn starter_events(
    w: &mut String,
    sample: &Sample,
    times: &Times,
    source: &str,
    case: usize,
    time: usize,
    event: usize,
    reply_to: Option<usize>,
) {
    // Each case's (or thread root's) first event, and when another kind follows it.
    let mut cases: hashbrown::HashMap<&str, Vec<(i64, &str)>> = hashbrown::HashMap::new();
    for (r, row) in sample.rows.iter().enumerate() {
        if reply_to.is_some_and(|c| !row[c].is_empty()) {
            continue;
        }
        if let Some(t) = times.at(sample, r, time) {
            cases
                .entry(row[case].as_str())
                .or_default()
                .push((t, row[event].as_str()));
        }
    }
    let mut firsts: hashbrown::HashMap<&str, usize> = hashbrown::HashMap::new();
    for evs in cases.values_mut() {
        evs.sort();
        *firsts.entry(evs[0].1).or_default() += 1;
    }
    let mut firsts: Vec<(&str, usize)> = firsts.into_iter().collect();
    firsts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let from = firsts.first().map_or("", |f| f.0).to_string();
    let to: Vec<String> = sample.columns[event]
        .values
        .iter()
        .map(|(v, _)| v.clone())
        .filter(|v| *v != from)
        .collect();
    // The sample's median, for a limit about half the cases meet.
    let delays: Vec<i64> = if reply_to.is_some() {
        Vec::new()
    } else {
        cases
            .values()
            .filter(|evs| evs[0].1 == from)
            .filter_map(|evs| evs.iter().find(|e| e.1 != from).map(|e| e.0 - evs[0].0))
            .collect()
    };
    let limit = median(delays).map_or("1h", round_limit);
    let _ = writeln!(
        w,
        "[[standard]]   # a starter: edit the limit and the target to your standard"
    );
    let _ = writeln!(w, "id = \"first-response\"");
    let _ = writeln!(
        w,
        "title = \"A case gets its first response within {limit}\""
    );
    let _ = writeln!(w, "level = \"operational\"");
    let _ = writeln!(w, "source = {}", q(source));
    let _ = writeln!(
        w,
        "from = {}   # guess: the first event of most {} in the sample",
        q(&from),
        if reply_to.is_some() {
            "threads"
        } else {
            "cases"
        }
    );
    let _ = writeln!(
        w,
        "to = {}   # guess: any other event; keep only those that are a response",
        list(&to)
    );
    let _ = writeln!(w, "within = {}   # guess: the round limit at or above the sample's median; set your standard's", q(limit));
    let _ = writeln!(
        w,
        "target = 80   # percent of cases that must meet it; set your own"
    );
}

/// The time between the first two milestones, and delivery by a deadline when there is one.
pub(super) fn starter_cases(
    w: &mut String,
    sample: &Sample,
    times: &Times,
    source: &str,
    milestones: &[(String, usize)],
    deadline: Option<&(String, usize)>,
) {
    let plain: Vec<&(String, usize)> = milestones
        .iter()
        .filter(|m| Some(&m.0) != deadline.map(|d| &d.0))
        .collect();
    // Times of day, not dates, for a limit in hours.
    let timed: Vec<&(String, usize)> = plain
        .iter()
        .copied()
        .filter(|m| !times.date_only(sample, m.1))
        .collect();
    let pair = if timed.len() >= 2 { &timed } else { &plain };
    if let [first, second, ..] = pair.as_slice() {
        let delays: Vec<i64> = (0..sample.rows.len())
            .filter_map(|r| Some(times.at(sample, r, second.1)? - times.at(sample, r, first.1)?))
            .filter(|d| *d >= 0)
            .collect();
        let limit = median(delays).map_or("1d", round_limit);
        let _ = writeln!(
            w,
            "[[standard]]   # a starter: edit the milestones, the limit and the target"
        );
        let _ = writeln!(
            w,
            "id = {}",
            q(&format!("{}-to-{}", first.0, second.0).replace('_', "-"))
        );
        let _ = writeln!(
            w,
            "title = {}",
            q(&format!("{} within {limit} of {}", second.0, first.0))
        );
        let _ = writeln!(w, "level = \"operational\"");
        let _ = writeln!(w, "source = {}", q(source));
        let _ = writeln!(
            w,
            "from = {}   # guess: the first two milestones in the file",
            q(&first.0)
        );
        let _ = writeln!(w, "to = {}", q(&second.0));
        let _ = writeln!(w, "within = {}   # guess: the round limit at or above the sample's median; set your standard's", q(limit));
        let _ = writeln!(
            w,
            "target = 80   # percent of cases that must meet it; set your own"
        );
        let _ = writeln!(w);
    }
    if let (Some((d, _)), Some(first)) = (deadline, plain.first()) {
        const DONE: &[&str] = &[
            "delivered",
            "resolved",
            "solved",
            "closed",
            "completed",
            "done",
            "finished",
        ];
        // The last milestone that sounds like completion: it comes after handovers.
        let done = plain
            .iter()
            .skip(1)
            .rfind(|m| hint(&m.0, DONE).is_some())
            .or_else(|| plain.last().filter(|m| m.0 != first.0));
        if let Some(done) = done {
            let _ = writeln!(
                w,
                "[[standard]]   # a starter: edit the milestones and the target"
            );
            let _ = writeln!(
                w,
                "id = {}",
                q(&format!("{}-by-{d}", done.0).replace('_', "-"))
            );
            let _ = writeln!(w, "title = {}", q(&format!("{} by {d}", done.0)));
            let _ = writeln!(w, "level = \"operational\"");
            let _ = writeln!(w, "source = {}", q(source));
            let _ = writeln!(w, "from = {}", q(&first.0));
            let _ = writeln!(
                w,
                "to = {}   # guess: the milestone that looks like completion",
                q(&done.0)
            );
            let _ = writeln!(w, "by = {}   # the promised date", q(d));
            let _ = writeln!(
                w,
                "target = 95   # percent of cases that must meet it; set your own"
            );
        }
    }
}
