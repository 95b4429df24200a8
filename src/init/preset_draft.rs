//! A draft for an export a helpdesk preset reads: the preset recognised by its header and
//! its formats, the draft that names it instead of the columns, its starter standards, and the
//! day/month order written out for a vendor whose instances choose it. Knows the presets and
//! the sample.

use std::fmt::Write as _;

use chrono_tz::Tz;

use crate::standards::presets::{self, Preset};
use crate::time::stamp;

use super::lines::{dialect_lines, event_comment, ragged_line};
use super::sniff::Sample;
use super::{draft_head, list, q, sniff};

/// The preset whose every column the header has and whose formats read every sampled time
/// (with what was checked, for the comment).
pub(super) fn recognise(sample: &Sample) -> Option<(&'static Preset, String)> {
    let cols = &sample.columns;
    let index = |name: &str| cols.iter().position(|c| c.name == name);
    presets::PRESETS.iter().find_map(|p| {
        let needed = p.columns();
        if !needed.iter().all(|c| index(c).is_some()) {
            return None;
        }
        let reading = p.reading();
        let nulls = |v: &str| reading.null_values.iter().any(|n| n == v);
        let reads = reading.time_columns.iter().all(|c| {
            let col = &cols[index(c).expect("checked")];
            col.values.iter().all(|(v, _)| {
                nulls(v) || stamp::parse(v.as_bytes(), &reading.time_format, Tz::UTC).is_some()
            }) && col.time.as_ref().is_none_or(|t| t.nulls.iter().all(|n| nulls(n)))
        });
        // An event row without its time or event would be skipped.
        let rows = sample.rows.len();
        let full = |c: &str| index(c).is_some_and(|i| cols[i].filled == rows);
        let events_full = reading.layout != "events"
            || (reading.time_columns.iter().all(|c| full(c))
                && reading.event.as_deref().is_some_and(full));
        (reads && events_full).then(|| {
            (
                p,
                format!(
                    "the header has every column it reads ({}) and its formats read every sampled time",
                    needed.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
                ),
            )
        })
    })
}

/// A draft that names its preset instead of the columns.
pub(super) fn write_preset_draft(
    sample: &Sample,
    preset: &Preset,
    name: &str,
    path: &str,
    shown: &str,
    note: &str,
) -> String {
    let reading = preset.reading();
    let mut o = String::new();
    let w = &mut o;
    draft_head(w, sample, name, shown);
    let _ = writeln!(
        w,
        "preset = {}   # guess: {note}; `yardstick presets {}` shows the lines it stands for",
        q(preset.name),
        preset.name
    );
    let _ = writeln!(
        w,
        "path = {}   # relative to this file; --log {name}=PATH reads another export",
        q(path)
    );
    dialect_lines(w, sample);
    if preset.asks_date_order {
        date_order_line(w, sample, preset, &reading.time_columns);
    }
    let offsets = reading.time_columns.iter().all(|c| {
        sample
            .columns
            .iter()
            .filter(|col| col.name == *c)
            .all(|col| {
                col.values.iter().all(|(v, _)| {
                    reading.null_values.contains(v)
                        || sniff::carries_offset(v, &reading.time_format)
                })
            })
    });
    if offsets {
        let _ = writeln!(
            w,
            "# The times carry their offset, so no zone is needed to read them."
        );
    } else {
        let _ = writeln!(w, "timezone = \"UTC\"   # guess: the times carry no offset; set the zone the export writes them in");
    }
    let standards = preset_starters(w, sample, &reading, name);
    let _ = writeln!(
        w,
        "# Milestones (events) the preset names: {}",
        if reading.milestones.is_empty() {
            "the event values, with New, Resolved, Closed as created, solved, closed".to_string()
        } else {
            reading.milestones.join(", ")
        }
    );
    let read = preset.columns();
    let rest: Vec<String> = sample
        .columns
        .iter()
        .filter(|c| !read.contains(&c.name) && !c.name.is_empty())
        .map(|c| q(&c.name))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(
            w,
            "# Attributes (every other column; for --by and `where`): {}",
            rest.join(", ")
        );
    }
    ragged_line(w, sample);
    let _ = writeln!(w);
    o.push_str(&standards);
    o
}

/// The starter standards of a preset draft (returned, written after the source table),
/// and the comment on its event values (written to `w`).
pub(super) fn preset_starters(
    w: &mut String,
    sample: &Sample,
    reading: &presets::Reading,
    name: &str,
) -> String {
    let mut standards = String::new();
    let sw = &mut standards;
    let starter = |sw: &mut String, id: &str, title: &str, from: &str, to: &str, rule: &str| {
        let _ = writeln!(
            sw,
            "[[standard]]   # a starter: edit the limit and the target to your standard"
        );
        let _ = writeln!(sw, "id = {}", q(id));
        let _ = writeln!(sw, "title = {}", q(title));
        let _ = writeln!(sw, "level = \"operational\"");
        let _ = writeln!(sw, "source = {}", q(name));
        let _ = writeln!(sw, "from = {}", q(from));
        let _ = writeln!(sw, "to = {to}");
        let _ = writeln!(
            sw,
            "{}",
            if let Some(by) = rule.strip_prefix("by ") {
                format!("by = {}", q(by))
            } else {
                format!(
                    "within = {}   # a placeholder: set your standard's",
                    q(rule)
                )
            }
        );
        let _ = writeln!(
            sw,
            "target = 80   # percent of cases that must meet it; set your own"
        );
        let _ = writeln!(sw);
    };
    if reading.layout == "events" {
        // The event values, renamed as the preset does.
        let event = reading.event.as_deref().unwrap_or_default();
        if let Some(col) = sample.columns.iter().find(|c| c.name == event) {
            event_comment(w, col);
            let renamed = |v: &str| {
                reading
                    .renames
                    .iter()
                    .find(|(k, _)| k == v)
                    .map_or(v.to_string(), |(_, n)| n.clone())
            };
            let others: Vec<String> = col
                .values
                .iter()
                .map(|(v, _)| renamed(v))
                .filter(|v| v != "created")
                .collect();
            if col.values.iter().any(|(v, _)| renamed(v) == "created") {
                starter(
                    sw,
                    "taken-up-1h",
                    "A new case is taken up within an hour",
                    "created",
                    &list(&others),
                    "1h",
                );
            }
        }
    } else {
        let has = |m: &str| reading.milestones.iter().any(|x| x == m);
        let done = ["solved", "closed"].into_iter().find(|m| has(m));
        if has("first_reply") {
            starter(
                sw,
                "first-reply-1h",
                "A ticket gets its first reply within an hour",
                "created",
                &q("first_reply"),
                "1h",
            );
        }
        if let Some(done) = done {
            starter(
                sw,
                &format!("{done}-3d"),
                &format!("A ticket is {done} within 3 days"),
                "created",
                &q(done),
                "3d",
            );
            if has("due") {
                starter(
                    sw,
                    &format!("{done}-by-due"),
                    &format!("A ticket is {done} by its due date"),
                    "created",
                    &q(done),
                    "by due",
                );
            }
        }
    }
    standards
}

/// The `time_format` of a preset that reads numeric dates day first for a vendor whose
/// instances choose the order (`Preset::asks_date_order`), written out so that the draft says
/// which order it reads rather than leaving the audit to stop on a log it cannot tell by.
pub(super) fn date_order_line(
    w: &mut String,
    sample: &Sample,
    preset: &Preset,
    time_columns: &[String],
) {
    let telling = |want: stamp::DateOrder| {
        sample
            .columns
            .iter()
            .filter(|c| time_columns.contains(&c.name))
            .find_map(|c| {
                c.values
                    .iter()
                    .find(|(v, _)| stamp::date_order(v) == Some(want))
                    .map(|(v, _)| (c.name.clone(), v.clone()))
            })
    };
    let day = preset.time_patterns();
    let month: Vec<String> = day
        .iter()
        .map(
            |p| match p.strip_prefix("%d/%m/").or(p.strip_prefix("%d-%m-")) {
                Some(rest) => format!("%m{}%d{}{rest}", &p[2..3], &p[2..3]),
                None => p.clone(),
            },
        )
        .collect();
    let day_list = list(&day);
    match telling(stamp::DateOrder::DayFirst) {
        Some((column, value)) => {
            let _ = writeln!(
                w,
                "time_format = {day_list}   # guess: day first, as {} has {} (month first: {})",
                q(&column),
                q(&value),
                list(&month)
            );
        }
        None => {
            let _ = writeln!(
                w,
                "time_format = {day_list}   # check: no sampled date tells day first from month first (every day is 12 or less); this reads day first, as the preset does; if your instance writes month first, use {}",
                list(&month)
            );
        }
    }
}
