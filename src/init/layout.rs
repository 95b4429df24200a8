//! The layout a sample shows (events, cases with milestones, or threads) and the columns its
//! keys name, told by the columns' names and values. Knows the sample, not how the draft is
//! written.

use super::sniff::Sample;
use super::times::Times;
use super::{milestone_name, slug};

/// The layout found and the columns its keys name.
pub(super) enum Layout {
    Events {
        case: usize,
        time: usize,
        event: usize,
    },
    Cases {
        case: usize,
        /// Milestone names and their columns, in file order.
        milestones: Vec<(String, usize)>,
    },
    Threads {
        message: usize,
        reply_to: usize,
        time: usize,
        event: usize,
    },
}

/// Words in a column name that say what it holds, best first.
pub(super) const ID_WORDS: &[&str] = &["id", "key", "number", "case", "ticket", "nr", "no", "ref"];
pub(super) const EVENT_WORDS: &[&str] = &["event", "activity", "state", "status", "action", "type"];
pub(super) const REPLY_WORDS: &[&str] = &[
    "in_response_to",
    "reply_to",
    "in_reply_to",
    "replyto",
    "parent",
];
pub(super) const DEADLINE_WORDS: &[&str] =
    &["due", "deadline", "estimated", "promised", "sla", "target"];

pub(super) fn words(name: &str) -> Vec<String> {
    slug(name).split('_').map(str::to_string).collect()
}

/// The rank of the first of `list` that is a word of `name` (or, for `_` phrases, in it).
pub(super) fn hint(name: &str, list: &[&str]) -> Option<usize> {
    let w = words(name);
    let s = slug(name);
    list.iter()
        .position(|h| w.iter().any(|x| x == h) || (h.contains('_') && s.contains(h)))
}

impl Layout {
    pub(super) fn decide(sample: &Sample, times: &Times) -> Option<Layout> {
        let cols = &sample.columns;
        let rows = sample.rows.len();
        let full = |c: usize| cols[c].filled == rows && rows > 0;
        let unique = |c: usize| full(c) && cols[c].distinct() == rows;
        let full_times: Vec<usize> = times
            .columns
            .iter()
            .copied()
            .filter(|&c| full(c) && !times.date_only(sample, c))
            .collect();
        // The event time: the full time column whose values differ most.
        let event_time = full_times
            .iter()
            .copied()
            .max_by_key(|&c| (cols[c].distinct(), std::cmp::Reverse(c)));
        // Threads: a reply-to column whose values name messages of a unique column.
        let reply = (0..cols.len())
            .filter(|&c| hint(&cols[c].name, REPLY_WORDS).is_some() && !times.is_time(c))
            .min_by_key(|&c| hint(&cols[c].name, REPLY_WORDS));
        if let (Some(reply_to), Some(time)) = (reply, event_time) {
            let message = (0..cols.len())
                .filter(|&c| {
                    unique(c) && c != reply_to && !times.is_time(c) && !cols[c].name.is_empty()
                })
                .min_by_key(|&c| (hint(&cols[c].name, ID_WORDS).is_none(), c));
            let event = low_cardinality(sample, |c| {
                c != reply_to && Some(c) != message && !times.is_time(c)
            });
            if let (Some(message), Some(event)) = (message, event) {
                return Some(Layout::Threads {
                    message,
                    reply_to,
                    time,
                    event,
                });
            }
        }
        // Cases: a unique id and two time columns or more.
        // A case id may repeat on a few rows (Olist's review_id does): the reader merges them.
        let nearly_unique = |c: usize| full(c) && cols[c].distinct() * 100 >= rows * 99;
        let id = (0..cols.len())
            .filter(|&c| nearly_unique(c) && !times.is_time(c))
            .min_by_key(|&c| (!unique(c), hint(&cols[c].name, ID_WORDS).is_none(), c));
        if let (Some(case), true) = (id, times.columns.len() >= 2) {
            let mut names: Vec<String> = Vec::new();
            let milestones = times
                .columns
                .iter()
                .map(|&c| {
                    let mut n = milestone_name(&cols[c].name);
                    if n.is_empty() {
                        n = format!("column_{}", c + 1);
                    }
                    let base = n.clone();
                    let mut k = 2;
                    while names.contains(&n) {
                        n = format!("{base}_{k}");
                        k += 1;
                    }
                    names.push(n.clone());
                    (n, c)
                })
                .collect();
            return Some(Layout::Cases { case, milestones });
        }
        // Events: a repeating case column and an event column that changes within a case.
        let time = event_time?;
        let mut case_candidates: Vec<usize> = (0..cols.len())
            .filter(|&c| full(c) && !times.is_time(c) && cols[c].distinct() < rows)
            .collect();
        case_candidates.sort_by_key(|&c| (hint(&cols[c].name, ID_WORDS).is_none(), c));
        for case in case_candidates {
            let event = (0..cols.len())
                .filter(|&c| {
                    c != case
                        && full(c)
                        && !times.is_time(c)
                        && (2..=60).contains(&cols[c].distinct())
                        && cols[c].distinct() * 2 <= rows
                })
                .map(|c| (c, variation(sample, case, c)))
                .filter(|&(_, v)| v > 0.0)
                .min_by(|a, b| {
                    let ra = hint(&cols[a.0].name, EVENT_WORDS).unwrap_or(usize::MAX);
                    let rb = hint(&cols[b.0].name, EVENT_WORDS).unwrap_or(usize::MAX);
                    ra.cmp(&rb).then(b.1.total_cmp(&a.1)).then(a.0.cmp(&b.0))
                })
                .map(|(c, _)| c);
            if let Some(event) = event {
                return Some(Layout::Events { case, time, event });
            }
        }
        None
    }
}

/// The filled column of fewest values (2 to 20) that `ok` admits, by name first.
pub(super) fn low_cardinality(sample: &Sample, ok: impl Fn(usize) -> bool) -> Option<usize> {
    let cols = &sample.columns;
    (0..cols.len())
        .filter(|&c| {
            ok(c) && cols[c].filled == sample.rows.len() && (2..=20).contains(&cols[c].distinct())
        })
        .min_by_key(|&c| (cols[c].distinct(), c))
}

/// The share of cases with two rows or more in which column `c` takes two values or more.
pub(super) fn variation(sample: &Sample, case: usize, c: usize) -> f64 {
    let mut first: hashbrown::HashMap<&str, (&str, bool, bool)> = hashbrown::HashMap::new();
    for row in &sample.rows {
        first
            .entry(row[case].as_str())
            .and_modify(|(v, many, varies)| {
                *many = true;
                *varies |= *v != row[c].as_str();
            })
            .or_insert((row[c].as_str(), false, false));
    }
    let multi = first.values().filter(|x| x.1).count();
    if multi == 0 {
        return 0.0;
    }
    first.values().filter(|x| x.2).count() as f64 / multi as f64
}
