//! The order of day and month in a log whose preset cannot know it (ServiceNow writes dates
//! in each instance's own format): the first 64 KiB that `dialect` reads ahead must show day
//! first, which the preset reads, or the read stops and asks for `time_format`. Reading on
//! would take `03/04/2016` as the 3rd of April in a month-first export, a wrong time that no
//! skip count would show. Must not know standards beyond the source's columns.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::standards::{Layout, Source};
use crate::time::stamp::{date_order, DateOrder};

/// Formats to suggest, day first and month first, as the preset's own are written.
const DAY_FIRST: &str = r#"["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]"#;
const MONTH_FIRST: &str = r#"["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"]"#;

/// One telling value: where it is and what it says.
struct Seen {
    line: u64,
    column: String,
    value: String,
}

/// Checks `head` (a log's first bytes after any byte-order mark; `cut` when the file goes on
/// past them, so that its last record may be cut short; `cr_lines` when its lines end in CR).
pub(crate) fn check(
    head: &[u8],
    cut: bool,
    cr_lines: bool,
    source: &Source,
    path: &str,
) -> Result<()> {
    if !source.ask_date_order {
        return Ok(());
    }
    let columns: Vec<&str> = match &source.layout {
        Layout::Events { time, .. } | Layout::Threads { time, .. } => vec![time],
        Layout::Cases { milestones } => milestones.iter().map(|(_, c)| c.as_str()).collect(),
    };
    let bytes: Cow<[u8]> = if cr_lines {
        Cow::Owned(
            head.iter()
                .map(|&b| if b == b'\r' { b'\n' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(head)
    };
    let mut start = 0;
    for _ in 0..source.skip_lines {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => return Ok(()),
        }
    }
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(source.delimiter)
        .quote(source.quote)
        .flexible(true)
        .from_reader(&bytes[start..]);
    // A header the real reader cannot take is its error to report, with its words.
    let Ok(header) = csv.byte_headers() else {
        return Ok(());
    };
    let at: Vec<(usize, &str)> = columns
        .iter()
        .filter_map(|c| {
            header
                .iter()
                .position(|h| String::from_utf8_lossy(h).trim() == *c)
                .map(|i| (i, *c))
        })
        .collect();
    let (mut day, mut month, mut either) = (None, None, None);
    let mut record = csv::ByteRecord::new();
    let mut held: Option<csv::ByteRecord> = None;
    loop {
        let more = csv.read_byte_record(&mut record).unwrap_or(false);
        // The last record of a cut head may be a part of a line: it is left out.
        if let Some(prev) = held.take().filter(|_| more || !cut) {
            let line = prev.position().map_or(0, |p| p.line()) + source.skip_lines as u64;
            for &(i, column) in &at {
                let Some(value) = prev.get(i).and_then(|v| std::str::from_utf8(v).ok()) else {
                    continue;
                };
                let slot = match date_order(value) {
                    Some(DateOrder::DayFirst) => &mut day,
                    Some(DateOrder::MonthFirst) => &mut month,
                    Some(DateOrder::Either) => &mut either,
                    None => continue,
                };
                slot.get_or_insert_with(|| Seen {
                    line,
                    column: column.to_string(),
                    value: value.trim().to_string(),
                });
            }
        }
        if !more {
            break;
        }
        held = Some(record.clone());
    }
    let preset = source.preset.as_deref().unwrap_or_default();
    let set = format!(
        "set `time_format` in [sources.{}] to the order your instance writes",
        source.name
    );
    let fail = |seen: &Seen, message: String| Error::Row {
        path: path.to_string(),
        line: seen.line,
        column: Some(seen.column.clone()),
        message,
    };
    match (day, month, either) {
        (Some(_), None, _) | (None, None, None) => Ok(()),
        (None, Some(m), _) => Err(fail(
            &m,
            format!(
                "{:?} is month first (its second field is above 12), but preset {preset:?} reads \
                 day first: {set}, say time_format = {MONTH_FIRST}",
                m.value
            ),
        )),
        (Some(d), Some(m), _) => Err(fail(
            &m,
            format!(
                "{:?} is month first (its second field is above 12), but line {} has {:?}, day \
                 first: one export should write one order; {set}, say time_format = {DAY_FIRST} \
                 or {MONTH_FIRST}",
                m.value, d.line, d.value
            ),
        )),
        (None, None, Some(e)) => Err(fail(
            &e,
            format!(
                "{:?} reads both day first and month first, and no date in the first 64 KiB has \
                 a first or second field above 12 to tell which this export writes (preset \
                 {preset:?} would read day first): {set}: time_format = {DAY_FIRST} for day \
                 first or {MONTH_FIRST} for month first",
                e.value
            ),
        )),
    }
}
