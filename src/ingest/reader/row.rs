//! One row parsed into `Parsed` without touching the source's state (so rows parse on several
//! threads, see `fast`): its case id and hash, time, event, attributes, milestones, deadlines
//! and numbers, or the reason it is skipped. The per-row hot path: no allocation, one pass over
//! the fields. Knows the columns and the source's formats, not cases or the tally of rows.

use std::collections::HashMap;
use std::hash::BuildHasher;

use hashbrown::DefaultHashBuilder;

use crate::ingest::compact;
use crate::ingest::{Event, Skip, MIXED_LINE_ENDS};
use crate::standards::{Layout, Source};
use crate::time::calendar::Calendar;
use crate::time::stamp::{self, Stamp};

use super::columns::Columns;

/// What parsing a row needs, apart from the source's growing state: shared by the threads
/// of a parallel read.
#[derive(Clone)]
pub(in crate::ingest) struct RowParser<'a> {
    pub(in crate::ingest) source: &'a Source,
    pub(in crate::ingest) event_lookup: EventNames,
    pub(in crate::ingest) deadline_columns: Vec<String>,
    pub(in crate::ingest) hasher: DefaultHashBuilder,
}

/// Raw event value -> wanted event id. A handful of names, so a list beats hashing; sorted by
/// length, so that a value is compared only with the names of its length.
#[derive(Clone)]
pub(in crate::ingest) struct EventNames {
    pub(in crate::ingest) names: Vec<(Box<[u8]>, u16)>,
    /// Per length (the last entry: every longer one), the range of `names` of that length.
    pub(in crate::ingest) by_len: [(u16, u16); 65],
}

impl EventNames {
    pub(in crate::ingest) fn new(lookup: &HashMap<Box<[u8]>, u16>) -> EventNames {
        let mut names: Vec<(Box<[u8]>, u16)> =
            lookup.iter().map(|(k, &v)| (k.clone(), v)).collect();
        names.sort_by(|a, b| (a.0.len().min(64), &a.0).cmp(&(b.0.len().min(64), &b.0)));
        let mut by_len = [(0u16, 0u16); 65];
        for (len, range) in by_len.iter_mut().enumerate() {
            let a = names.partition_point(|(k, _)| k.len().min(64) < len);
            let b = names.partition_point(|(k, _)| k.len().min(64) <= len);
            *range = (a as u16, b as u16);
        }
        EventNames { names, by_len }
    }

    #[inline]
    pub(in crate::ingest) fn get(&self, raw: &[u8]) -> Option<u16> {
        let (a, b) = self.by_len[raw.len().min(64)];
        self.names[a as usize..b as usize]
            .iter()
            // Byte by byte: these names are short, and a call to memcmp costs more.
            .find(|(k, _)| k.len() == raw.len() && k.iter().zip(raw).all(|(x, y)| x == y))
            .map(|&(_, id)| id)
    }
}

impl RowParser<'_> {
    /// Parses and checks one row into `p` without touching the source's state, so that rows can
    /// be parsed on several threads; a row that fails leaves no trace in the cases.
    // Inlined into the parallel reader's per-row loop, as it was before value standards made
    // it too large for the compiler to choose so (7% more instructions per row otherwise).
    #[inline(always)]
    pub(in crate::ingest) fn parse_row(
        &self,
        record: &impl Record,
        cols: &Columns,
        p: &mut Parsed,
    ) -> std::result::Result<(), Skip> {
        p.events.clear();
        p.deadlines.clear();
        p.values.clear();
        p.bad_numbers = 0;
        p.first_bad_number = None;
        p.other_event = false;
        if record.width() != cols.width {
            // Many rows run together by line ends of another kind (an LF file whose end was
            // saved with CR line ends): counted as one skip, thousands of rows would be lost.
            let bytes = record.bytes();
            let bare_cr = bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                .count();
            if bare_cr >= 10 && record.width() > 2 * cols.width {
                return Err(Skip {
                    reason: MIXED_LINE_ENDS,
                    column: None,
                    detail: format!(
                        "{} fields where the header has {}, with {bare_cr} bare CRs: the file's \
                         line ends change here from LF to CR, and its rows from here on run \
                         together; re-export it with one kind of line end",
                        record.width(),
                        cols.width
                    ),
                });
            }
            // A lone empty field is a blank line inside a quoted-free file; still a bad row.
            return Err(Skip {
                reason: "wrong number of fields",
                column: None,
                detail: format!(
                    "{} fields where the header has {}",
                    record.width(),
                    cols.width
                ),
            });
        }
        let bytes = record.bytes();
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_err() {
            return Err(Skip {
                reason: "invalid UTF-8",
                column: None,
                detail: "the row is not valid UTF-8 text (re-export the file as UTF-8)".into(),
            });
        }
        let id = record.field(cols.case).trim_ascii();
        if self.source.is_null(id) {
            return Err(Skip {
                reason: "missing case id",
                column: Some(self.source.case.clone()),
                detail: "empty case id".into(),
            });
        }
        let src = self.source;
        let tz = src.timezone;
        let parse = |col_name: &str, raw: &[u8]| -> std::result::Result<Option<Stamp>, Skip> {
            if src.is_null(raw.trim_ascii()) {
                return Ok(None);
            }
            stamp::parse(raw, &src.time_format, tz)
                .map(|stamp| {
                    // A date column: only the date counts, from its first second.
                    if src.date_columns.iter().any(|c| c == col_name) && !stamp.date_only {
                        Some(Stamp {
                            secs: Calendar::always(tz).start_of_day(stamp.secs),
                            date_only: true,
                        })
                    } else {
                        Some(stamp)
                    }
                })
                .ok_or_else(|| Skip {
                    reason: "unparseable timestamp",
                    column: Some(col_name.to_string()),
                    detail: format!(
                        "{:?} is not a time; expected {}",
                        String::from_utf8_lossy(raw),
                        src.time_format.describe()
                    ),
                })
        };
        // Parse everything first so that a bad row leaves no trace in the cases.
        let events = &mut p.events;
        let mut row_first = i64::MAX;
        let mut row_latest = i64::MIN;
        // The latest time on no `by` column (for the hint to declare deadlines).
        let mut row_plain = i64::MIN;
        match &src.layout {
            Layout::Events { time, event, .. } | Layout::Threads { time, event, .. } => {
                let t_col = cols.time.expect("events layout");
                let stamp = parse(time, record.field(t_col))?.ok_or_else(|| Skip {
                    reason: "missing timestamp",
                    column: Some(time.clone()),
                    detail: "empty time".into(),
                })?;
                let raw_event = record
                    .field(cols.event.expect("events layout"))
                    .trim_ascii();
                if src.is_null(raw_event) {
                    return Err(Skip {
                        reason: "missing event name",
                        column: Some(event.clone()),
                        detail: "empty event name".into(),
                    });
                }
                (row_first, row_latest, row_plain) = (stamp.secs, stamp.secs, stamp.secs);
                match self.event_lookup.get(raw_event) {
                    Some(name) => events.push(Event::new(stamp.secs, name)),
                    None => p.other_event = true,
                }
            }
            Layout::Cases { milestones } => {
                for (m, (_, col)) in cols.milestones.iter().zip(milestones) {
                    if let Some(stamp) = parse(col, record.field(m.pos))? {
                        if let Some(name) = m.wanted {
                            events.push(Event::new(stamp.secs, name));
                        }
                        // A declared deadline holds a promise, not something that happened.
                        if !m.promised {
                            row_first = row_first.min(stamp.secs);
                            row_latest = row_latest.max(stamp.secs);
                            if !m.by {
                                row_plain = row_plain.max(stamp.secs);
                            }
                        }
                    }
                }
                // Derived milestones: the one they follow plus the duration (its cell is
                // parsed again, which costs only sources that have them).
                for (d, spec) in cols.derived.iter().zip(&src.derived) {
                    let raw = record.field(d.pos).trim_ascii();
                    if src.is_null(raw) {
                        continue;
                    }
                    let secs = spec.seconds(raw).ok_or_else(|| Skip {
                        reason: "unparseable duration",
                        column: Some(spec.column.clone()),
                        detail: format!(
                            "{:?} is not a duration; expected a number of {} or H:MM:SS",
                            String::from_utf8_lossy(raw),
                            match spec.unit_secs as i64 {
                                60 => "minutes",
                                3600 => "hours",
                                _ => "seconds",
                            }
                        ),
                    })?;
                    let Some(base) = parse(&spec.after_column, record.field(d.after))? else {
                        continue;
                    };
                    let t = base.secs + secs;
                    if let Some(name) = d.wanted {
                        events.push(Event::new(t, name));
                    }
                    row_first = row_first.min(t);
                    row_latest = row_latest.max(t);
                    row_plain = row_plain.max(t);
                }
            }
        }
        for (k, &pos) in cols.deadlines.iter().enumerate() {
            if pos == usize::MAX {
                continue;
            }
            if let Some(stamp) = parse(&self.deadline_columns[k], record.field(pos))? {
                // A date without a time of day means the end of that day.
                let last = if stamp.date_only {
                    Calendar::always(tz).start_of_next_day(stamp.secs) - 1
                } else {
                    stamp.secs
                };
                p.deadlines.push((k, last));
            }
        }
        // Most sources have no value standard: no call then.
        if !cols.values.is_empty() {
            self.parse_values(record, cols, p, row_first)?;
        }
        (p.first, p.latest, p.plain) = (row_first, row_latest, row_plain);
        (p.low, p.high) = (row_first, row_latest);
        for &(_, t) in &p.deadlines {
            (p.low, p.high) = (p.low.min(t), p.high.max(t));
        }
        Ok(())
    }

    /// The numbers of value standards on a parsed row (its events in `p`, its first time
    /// `at`). A cell that is not a number is kept as [`NOT_A_NUMBER`]: the row is used as
    /// usual (its events count for every other standard), only that case has no number, and
    /// the cell is counted for a warning; an empty cell on the row of an `on` event is kept
    /// as NaN (that case then has no number), elsewhere it is no news.
    fn parse_values(
        &self,
        record: &impl Record,
        cols: &Columns,
        p: &mut Parsed,
        at: i64,
    ) -> std::result::Result<(), Skip> {
        for (k, vc) in cols.values.iter().enumerate() {
            if vc.pos == usize::MAX {
                continue;
            }
            let at = if vc.every_row {
                at
            } else {
                match p.events.first() {
                    Some(e) if vc.on.contains(&e.name()) => e.t(),
                    _ => continue,
                }
            };
            let raw = record.field(vc.pos).trim_ascii();
            if self.source.is_null(raw) {
                if !vc.every_row {
                    p.values.push((k, at, f64::NAN));
                }
                continue;
            }
            let v = match number(raw) {
                Some(v) => v,
                None => {
                    if vc.warn {
                        p.bad_numbers += 1;
                        // Only a row with a bad cell allocates, as a skipped row does.
                        if p.first_bad_number.is_none() {
                            p.first_bad_number = Some(Skip {
                                reason: crate::ingest::UNPARSEABLE_NUMBER,
                                column: Some(vc.name.clone()),
                                detail: format!(
                                    "{:?} is not a number; expected a number such as 3, 4.5 or \
                                     -2 (a point for decimals, no thousands separators)",
                                    String::from_utf8_lossy(raw)
                                ),
                            });
                        }
                    }
                    NOT_A_NUMBER
                }
            };
            p.values.push((k, at, v));
        }
        Ok(())
    }

    /// The hash of a parsed row's case id (0 for a skipped row).
    #[inline]
    pub(in crate::ingest) fn hash_id(
        &self,
        record: &impl Record,
        cols: &Columns,
        result: &std::result::Result<(), Skip>,
    ) -> u64 {
        match result {
            Ok(()) => compact::key(self.hasher.hash_one(record.field(cols.case).trim_ascii())),
            Err(_) => 0,
        }
    }
}

/// One row's fields: a CSV record, or a line of a quote-free block (`fast`).
pub(in crate::ingest) trait Record {
    fn width(&self) -> usize;
    fn field(&self, i: usize) -> &[u8];
    /// The row's bytes, for the UTF-8 check.
    fn bytes(&self) -> &[u8];
}

impl Record for csv::ByteRecord {
    fn width(&self) -> usize {
        self.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        &self[i]
    }
    fn bytes(&self) -> &[u8] {
        self.as_slice()
    }
}

/// What a row adds to its case, parsed without touching the source's state; reused
/// from row to row, so that no row allocates.
#[derive(Debug, Default, Clone)]
pub(in crate::ingest) struct Parsed {
    pub(in crate::ingest) events: Vec<Event>,
    /// (index into `Case::deadlines`, the deadline's last instant)
    pub(in crate::ingest) deadlines: Vec<(usize, i64)>,
    /// (index into the value columns, the time of the row, its number or NaN for none)
    pub(in crate::ingest) values: Vec<(usize, i64, f64)>,
    /// Earliest and latest event times on the row (declared deadlines excluded).
    pub(in crate::ingest) first: i64,
    pub(in crate::ingest) latest: i64,
    /// The latest time on the row in no column a standard reads as its deadline.
    pub(in crate::ingest) plain: i64,
    /// Earliest and latest of every time on the row, deadlines included (for the
    /// plausibility warning).
    pub(in crate::ingest) low: i64,
    pub(in crate::ingest) high: i64,
    /// The row's event value is not one the standards ask for.
    pub(in crate::ingest) other_event: bool,
    /// Cells of selected value standards' columns on the row that are not numbers, and the
    /// first of them (for the warning; the row is used).
    pub(in crate::ingest) bad_numbers: u32,
    pub(in crate::ingest) first_bad_number: Option<Skip>,
}

/// What a value column keeps for a cell that is not a number: never a number read (those are
/// finite), so a case's number is told apart from an empty cell (NaN) and from a bad one.
pub(crate) const NOT_A_NUMBER: f64 = f64::INFINITY;

/// A number cell as a finite `f64`: `3`, `4.5`, `-2`, `1e3` (no thousands separators, a point
/// for decimals); read from the bytes, no allocation.
pub(crate) fn number(raw: &[u8]) -> Option<f64> {
    std::str::from_utf8(raw)
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}
