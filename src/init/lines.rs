//! The source table's commented lines: the layout and its columns with why each was chosen,
//! the CSV dialect, the time format and zone, event values, attributes, a warning for ragged
//! rows. Knows what was decided, and decides nothing.

use std::fmt::Write as _;

use crate::time::stamp;

use super::layout::{hint, Layout, DEADLINE_WORDS};
use super::sniff::{Column, Sample};
use super::starters::{starter_cases, starter_events};
use super::times::Times;
use super::{delimiter_text, key, list, q};

/// The layout and the columns it is read by, each with why it was chosen.
pub(super) fn layout_lines(w: &mut String, sample: &Sample, layout: &Layout) {
    let cols = &sample.columns;
    let col = |c: usize| q(&cols[c].name);
    let rows = sample.rows.len();
    match layout {
        Layout::Events { case, time, event } => {
            let cases = cols[*case].distinct();
            let _ = writeln!(
                w,
                "layout = \"events\"   # guess: one row per event ({cases} cases in {rows} rows)"
            );
            let _ = writeln!(
                w,
                "case = {}   # guess: its values repeat, one per case",
                col(*case)
            );
            let _ = writeln!(w, "time = {}   # guess: the time of the event", col(*time));
            let _ = writeln!(
                w,
                "event = {}   # guess: it changes within a case",
                col(*event)
            );
        }
        Layout::Cases { case, .. } => {
            let _ = writeln!(
                w,
                "layout = \"cases\"   # guess: one row per case (every {} differs)",
                col(*case)
            );
            let repeats = rows - cols[*case].distinct();
            if repeats > 0 {
                let _ = writeln!(w, "case = {}   # guess: the case id ({repeats} sampled rows repeat an id; the reader joins them into one case)", col(*case));
            } else {
                let _ = writeln!(w, "case = {}   # guess: the case id", col(*case));
            }
        }
        Layout::Threads {
            message,
            reply_to,
            time,
            event,
        } => {
            let _ = writeln!(w, "layout = \"threads\"   # guess: one row per message, a reply naming the message it answers");
            let _ = writeln!(
                w,
                "message = {}   # guess: the message id (unique)",
                col(*message)
            );
            let _ = writeln!(
                w,
                "reply_to = {}   # guess: the id of the message answered",
                col(*reply_to)
            );
            let _ = writeln!(
                w,
                "time = {}   # guess: the time of the message",
                col(*time)
            );
            let _ = writeln!(
                w,
                "event = {}   # guess: who wrote it (its values are the events)",
                col(*event)
            );
        }
    }
}

/// The CSV dialect: a delimiter other than a comma; a byte-order mark and CRLF line ends,
/// which need no key but are worth saying.
pub(super) fn dialect_lines(w: &mut String, sample: &Sample) {
    if sample.delimiter != b',' {
        let _ = writeln!(
            w,
            "delimiter = {}   # guess: it splits the header into {} columns",
            q(delimiter_text(sample.delimiter)),
            sample.columns.len()
        );
    }
    if sample.bom || sample.crlf {
        let what: Vec<&str> = [
            (sample.bom, "a UTF-8 byte-order mark"),
            (sample.crlf, "CRLF line ends"),
        ]
        .iter()
        .filter(|x| x.0)
        .map(|x| x.1)
        .collect();
        let _ = writeln!(
            w,
            "# The file has {}; yardstick reads it as it is.",
            what.join(" and ")
        );
    }
}

/// `time_format` (or why none is needed), `timezone`, `null_values`, and the time columns
/// left out.
pub(super) fn time_lines(w: &mut String, sample: &Sample, times: &Times) {
    let cols = &sample.columns;
    let col = |c: usize| q(&cols[c].name);
    let time_cols: Vec<String> = times
        .columns
        .iter()
        .map(|&c| cols[c].name.clone())
        .collect();
    match &times.patterns {
        None => {
            let _ = writeln!(w, "# guess: every sampled time ({}) is RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]], read without time_format", time_cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(", "));
        }
        Some(p) => {
            let p: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            let value = if p.len() == 1 { q(&p[0]) } else { list(&p) };
            let _ = writeln!(
                w,
                "time_format = {value}   # guess: reads every sampled value of {}",
                time_cols
                    .iter()
                    .map(|c| q(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if !times.order_why.is_empty() {
                let _ = writeln!(w, "# guess: {}", times.order_why);
            }
            if p.iter().any(|x| x == stamp::EPOCH_MILLIS) {
                let _ = writeln!(w, "# \"%s%3f\" is milliseconds since 1970-01-01T00:00:00Z.");
            }
        }
    }
    if times.offsets {
        let _ = writeln!(w, "# The times carry their offset (or are epoch times), so no zone is needed to read them.");
    } else {
        let _ = writeln!(w, "timezone = \"UTC\"   # guess: the times carry no offset; set the zone the export writes them in");
    }
    if !times.nulls.is_empty() {
        let _ = writeln!(
            w,
            "null_values = {}   # guess: these cells stand for no time",
            list(&times.nulls)
        );
    }
    for (c, why) in &times.dropped {
        let _ = writeln!(w, "# Left out: {} looks like times, but {why}.", col(*c));
    }
}

/// The layout's column comments and, for a case table, its milestones table; returns the
/// starter standards, written after the source table.
pub(super) fn columns_and_starters(
    w: &mut String,
    sample: &Sample,
    times: &Times,
    layout: &Layout,
    name: &str,
) -> String {
    let cols = &sample.columns;
    let col = |c: usize| q(&cols[c].name);
    let rows = sample.rows.len();
    let mut used: Vec<usize> = Vec::new();
    let mut standards = String::new();
    match layout {
        Layout::Events { case, time, event } => {
            used.extend([*case, *time, *event]);
            event_comment(w, &cols[*event]);
            attributes(w, cols, &used, times);
            starter_events(
                &mut standards,
                sample,
                times,
                name,
                *case,
                *time,
                *event,
                None,
            );
        }
        Layout::Threads {
            message,
            reply_to,
            time,
            event,
        } => {
            used.extend([*message, *reply_to, *time, *event]);
            event_comment(w, &cols[*event]);
            attributes(w, cols, &used, times);
            starter_events(
                &mut standards,
                sample,
                times,
                name,
                *message,
                *time,
                *event,
                Some(*reply_to),
            );
        }
        Layout::Cases { case, milestones } => {
            used.push(*case);
            used.extend(milestones.iter().map(|m| m.1));
            let dates: Vec<String> = milestones
                .iter()
                .filter(|(_, c)| times.date_only(sample, *c))
                .map(|(m, _)| m.clone())
                .collect();
            if !dates.is_empty() {
                let _ = writeln!(
                    w,
                    "date_columns = {}   # guess: dates without a time of day",
                    list(&dates)
                );
            }
            let deadline = milestones
                .iter()
                .filter(|(_, c)| hint(&cols[*c].name, DEADLINE_WORDS).is_some())
                .min_by_key(|(_, c)| (hint(&cols[*c].name, DEADLINE_WORDS), *c))
                .cloned();
            if let Some((m, c)) = &deadline {
                let _ = writeln!(
                    w,
                    "deadlines = [{}]   # guess: {} is a promised date, so it never sets the as-of",
                    q(m),
                    col(*c)
                );
            }
            attributes(w, cols, &used, times);
            let _ = writeln!(w);
            let _ = writeln!(w, "[sources.{}.milestones]   # milestone = column; an empty cell means it has not happened", key(name));
            for (m, c) in milestones {
                let filled = cols[*c].filled;
                let _ = writeln!(
                    w,
                    "{} = {}   # filled in {filled} of {rows} sampled rows",
                    key(m),
                    col(*c)
                );
            }
            starter_cases(
                &mut standards,
                sample,
                times,
                name,
                milestones,
                deadline.as_ref(),
            );
        }
    }
    standards
}

/// A warning for sampled rows the audit will skip for their width.
pub(super) fn ragged_line(w: &mut String, sample: &Sample) {
    if sample.ragged > 0 {
        let _ = writeln!(w, "# Warning: {} sampled rows have more or fewer fields than the header; the audit skips and counts them.", sample.ragged);
    }
}

pub(super) fn event_comment(w: &mut String, event: &Column) {
    let mut values: Vec<&(String, usize)> = event.values.iter().collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = values
        .iter()
        .map(|(v, n)| format!("{} ({n})", q(v)))
        .collect();
    let _ = writeln!(w, "# Events in the sample (rows): {}", shown.join(", "));
}

pub(super) fn attributes(w: &mut String, cols: &[Column], used: &[usize], times: &Times) {
    let rest: Vec<String> = (0..cols.len())
        .filter(|c| !used.contains(c) && !times.is_time(*c))
        .map(|c| q(&cols[c].name))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(
            w,
            "# Attributes (every other column; for --by and `where`): {}",
            rest.join(", ")
        );
    }
}
