//! Logs: CSV rows -> cases with their events and attributes, streamed once per file.
//! Owns column resolution, row accounting (rows = used + skipped) and skip reasons; knows
//! nothing of what a standard means beyond the event names and columns it asks for.

use std::collections::BTreeMap;
use std::io::Read;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::standards::{CalendarChoice, Catalog, Due, Kind, Layout};

/// An event of a case: when, and which of the source's wanted event names, in one word (the
/// time in seconds in the upper 48 bits, the name in the lower 16) so that a case keeps three
/// inline in its cache line. Times fit: chrono's dates end at year 262,143, about 8.3e12
/// seconds from 1970, and 48 bits hold +-1.4e14.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Event(u64);

impl Event {
    #[inline]
    pub fn new(t: i64, name: u16) -> Event {
        debug_assert!(
            (-(1i64 << 47)..1i64 << 47).contains(&t),
            "time {t} out of range"
        );
        Event(((t as u64) << 16) | u64::from(name))
    }

    /// Seconds since the Unix epoch.
    #[inline]
    pub fn t(self) -> i64 {
        (self.0 as i64) >> 16
    }

    /// Index into the source's `event_names`.
    #[inline]
    pub fn name(self) -> u16 {
        self.0 as u16
    }
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("t", &self.t())
            .field("name", &self.name())
            .finish()
    }
}

/// A case: one cache line (the ingest loop touches one line per row). Its attributes and
/// deadlines are kept beside it, in [`SourceData`], so that a case costs what its log uses.
#[derive(Debug, Clone)]
#[repr(align(64))]
pub struct Case {
    pub id: CaseId,
    /// Events the standards ask for, sorted by time (file order among equal times); the first
    /// three inside the case (no cache miss of their own), more in `SourceData::event_store`;
    /// read them with [`SourceData::events`].
    pub events: CaseEvents,
    /// The earliest time on any of the case's rows (clock start of a deadline standard without `from`).
    pub first_seen: i64,
}

const _: () = assert!(std::mem::size_of::<Case>() == 64);

/// What was read for one `--log` file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InputStats {
    pub source: String,
    pub path: String,
    pub rows: u64,
    pub used: u64,
    pub skipped: u64,
    pub skipped_reasons: BTreeMap<String, u64>,
    /// First example of each skip reason, for the diagnostic on stderr.
    #[serde(skip)]
    pub first_skip: BTreeMap<String, String>,
    /// Used rows with a time outside [`PLAUSIBLE`], and the first of them (file:line: time),
    /// for a warning: such a time is almost always a misread format, and it moves the default
    /// as-of.
    #[serde(skip)]
    pub implausible: u64,
    #[serde(skip)]
    pub first_implausible: Option<String>,
    /// Quoted cells over more than [`quotes::LONG_QUOTED_LINES`] line ends: how many, and the
    /// first one's opening line and line ends (two stray quotes read the rows between them as
    /// one cell).
    #[serde(skip)]
    pub long_quoted: u64,
    #[serde(skip)]
    pub first_long_quoted: Option<(u64, u64)>,
    /// Cells of selected value standards' columns that are not numbers (their rows are
    /// used; only those cases have no number), and the first (file:line: column: why).
    #[serde(skip)]
    pub bad_numbers: u64,
    #[serde(skip)]
    pub first_bad_number: Option<String>,
}

/// The times a service log can hold, `[1980-01-01, 2100-01-01)` UTC: outside them a time is
/// a misread format (epoch milliseconds read as seconds give year 58136) or a placeholder.
pub const PLAUSIBLE: (i64, i64) = (315_532_800, 4_102_444_800);

/// The time of a row whose times span `[low, high]` that leaves [`PLAUSIBLE`], if one does
/// (a row without times has `low > high` and none).
#[inline]
pub(crate) fn implausible(low: i64, high: i64) -> Option<i64> {
    if low < PLAUSIBLE.0 {
        Some(low)
    } else if high >= PLAUSIBLE.1 {
        Some(high)
    } else {
        None
    }
}

/// Everything read for one source.
#[derive(Debug)]
pub struct SourceData {
    pub source: usize,
    /// Wanted event names; `Event::name` indexes this.
    pub event_names: Vec<String>,
    pub cases: Cases,
    /// The events of cases with more than three.
    pub event_store: EventStore,
    /// Attribute columns (every column that is not the case, time, event or a milestone; or,
    /// with [`Needs::named_attributes_only`], those of them named).
    pub attr_columns: Vec<String>,
    /// Per attribute column, its distinct values; index 0 is the empty value.
    pub attr_values: Vec<Vec<Box<str>>>,
    /// Per case, per attribute column, an index into that column's values (0 = empty):
    /// `attr_columns.len()` entries per case, in case order.
    pub attrs: Vec<u32>,
    /// Per case, per deadline column (`DeadlineRef::Column`), the last instant that still
    /// meets the deadline: `deadline_columns` entries per case, in case order.
    pub deadlines: Vec<Option<i64>>,
    pub deadline_columns: usize,
    /// The times promised on the rows of `each` events whose standard reads its deadline from
    /// the occurrence's own row (`by` in an each standard): sorted by case, then in the
    /// order of the case's events; `promise_at[case]..promise_at[case + 1]` is a case's.
    pub promises: Vec<Promise>,
    pub promise_at: Vec<u32>,
    /// How each deadline (`by`) is read: a column, or the first occurrence of an event.
    pub deadline_by: BTreeMap<String, DeadlineRef>,
    /// The numbers value standards read (`Needs::values`, in that order): per case, per
    /// value column, the number and the time of the row it was read on; `value_columns`
    /// entries per case, in case order. A number is parsed once, at ingest, never interned
    /// as an attribute string. Not read yet: time `i64::MAX`; read, but the row had no
    /// number: NaN.
    pub values: Vec<(i64, f64)>,
    pub value_columns: usize,
    pub value_needs: Vec<ValueNeed>,
    pub inputs: Vec<InputStats>,
    /// Latest event time seen (declared deadlines excluded): the default as-of.
    pub latest: Option<i64>,
    /// Latest time seen in no column a standard reads as its deadline (`by`), for the hint
    /// that such a column may hold promises.
    pub latest_plain: Option<i64>,
    /// How often each wanted event was seen.
    pub event_counts: Vec<u64>,
    /// A few raw event values that no standard asked for, for diagnostics.
    pub other_event_values: Vec<String>,
    /// Threads layout only: per case, per event (same order), the message it is and the
    /// message it answers. Empty for other layouts.
    pub links: Vec<Box<[Link]>>,
    /// Deadline columns read as dates because every value was at 00:00:00 (`dates.rs`),
    /// with how many values were, for the note that says so.
    pub midnight_dates: Vec<(String, u64)>,
}

/// Which message an event of a thread is, and which message it answers (`u32::MAX`: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub message: u32,
    pub answers: u32,
}

/// The time promised on one `each` event's row (see [`SourceData::promises`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    pub case: u32,
    pub t: i64,
    pub name: u16,
    /// The deadline column (index into `Case::deadlines`) it was read from.
    pub column: u16,
    /// The last instant that keeps the promise; none when the row's cell is empty.
    pub due: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineRef {
    /// Index into `Case::deadlines`.
    Column(usize),
    /// Index into `event_names`.
    Event(u16),
}

impl SourceData {
    /// Nothing read yet for `source`, whose standards want `event_names`.
    pub fn new(source: usize, event_names: Vec<String>) -> SourceData {
        SourceData {
            source,
            event_counts: vec![0; event_names.len()],
            event_names,
            cases: Cases::default(),
            event_store: EventStore::default(),
            attr_columns: Vec::new(),
            attr_values: Vec::new(),
            attrs: Vec::new(),
            deadlines: Vec::new(),
            deadline_columns: 0,
            promises: Vec::new(),
            promise_at: Vec::new(),
            deadline_by: BTreeMap::new(),
            values: Vec::new(),
            value_columns: 0,
            value_needs: Vec::new(),
            inputs: Vec::new(),
            latest: None,
            latest_plain: None,
            other_event_values: Vec::new(),
            links: Vec::new(),
            midnight_dates: Vec::new(),
        }
    }

    pub fn event_id(&self, name: &str) -> Option<u16> {
        self.event_names
            .iter()
            .position(|n| n == name)
            .map(|i| i as u16)
    }

    pub fn attr_index(&self, column: &str) -> Option<usize> {
        self.attr_columns.iter().position(|c| c == column)
    }

    /// Case `case`'s events, in time order.
    #[inline]
    pub fn events(&self, case: usize) -> &[Event] {
        self.cases[case].events.as_slice(&self.event_store)
    }

    /// Case `case`'s value index in attribute column `column` (0: empty).
    #[inline]
    pub fn attr(&self, case: usize, column: usize) -> u32 {
        self.attrs[case * self.attr_columns.len() + column]
    }

    pub fn attr_value(&self, case: usize, column: usize) -> &str {
        &self.attr_values[column][self.attr(case, column) as usize]
    }

    /// Case `case`'s promises (none when no standard of the source reads one).
    pub fn promises(&self, case: usize) -> &[Promise] {
        match (self.promise_at.get(case), self.promise_at.get(case + 1)) {
            (Some(&a), Some(&b)) => &self.promises[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Which of `values`' columns holds the numbers of a value standard's `column` read `on`
    /// these events (none: the case's own value).
    pub fn value_slot(&self, column: &str, on: Option<&[String]>) -> Option<usize> {
        let on = on.unwrap_or(&[]);
        self.value_needs
            .iter()
            .position(|n| n.column == column && n.on == on)
    }

    /// Case `case`'s number in value column `slot`, with the time of the row it was read on:
    /// None when no row gave one (or the row of the first `on` event had none).
    pub fn value(&self, case: usize, slot: usize) -> Option<(i64, f64)> {
        let (t, v) = *self.values.get(case * self.value_columns + slot)?;
        (t != i64::MAX && v.is_finite()).then_some((t, v))
    }

    /// Whether case `case`'s cell in value column `slot` (the one that counts) holds text that
    /// is not a number, rather than nothing.
    pub fn not_a_number(&self, case: usize, slot: usize) -> bool {
        self.values
            .get(case * self.value_columns + slot)
            .is_some_and(|&(t, v)| t != i64::MAX && v == reader::NOT_A_NUMBER)
    }

    /// Case `case`'s deadline from deadline column `column`.
    pub fn deadline(&self, case: usize, column: usize) -> Option<i64> {
        self.deadlines[case * self.deadline_columns + column]
    }
}

/// A column of numbers that value standards read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueNeed {
    pub column: String,
    /// Events layout: read on the rows of these events, the first in time counting (empty:
    /// every row, the latest number in file order counting, as for attributes).
    pub on: Vec<String>,
    /// A selected standard reads it, so a log without the column is an error; another
    /// standard's column may be missing (it is then not read).
    pub required: bool,
    /// The first standard that reads it, for messages.
    pub standard: String,
}

/// What the standards and the command line need from a source's columns.
#[derive(Debug, Default, Clone)]
pub struct Needs {
    /// Columns that must exist, with the reason (for the error message).
    pub columns: Vec<(String, String)>,
    /// Event names standards refer to.
    pub events: Vec<String>,
    /// `by` names of deadline standards, and of each standards that read a promised time.
    pub deadlines: Vec<String>,
    /// Each standards' promised-time columns (`by`), with the `each` events whose rows hold
    /// the promises.
    pub promises: Vec<(String, Vec<String>)>,
    /// The number columns of the source's value standards, selected or not (which cells are
    /// read as numbers decides which rows are skipped, and that must not change with --only).
    pub values: Vec<ValueNeed>,
    /// Keep only the attribute columns in `columns` (an audit's table: its groups and filters)
    /// rather than every other column (breaches and traces show them all). Fewer attributes
    /// are less to intern per row and less to keep per case.
    pub named_attributes_only: bool,
    /// Value columns keep no number from a row after this instant (the given as-of, else
    /// the end of the period; none when neither is given, the as-of being the log's latest
    /// time): a case has no number yet as of then.
    pub values_as_of: Option<i64>,
}

impl Needs {
    /// The needs of the given standards (indexes into the catalog) on `source`.
    pub fn of(
        catalog: &Catalog,
        source: usize,
        standards: &[usize],
        group_columns: &[String],
    ) -> Needs {
        let mut needs = Needs::default();
        // Every version of a standard reads what it names.
        for s in standards
            .iter()
            .flat_map(|&i| catalog.standards[i].each_version())
        {
            if s.source != source {
                continue;
            }
            for name in s.event_names() {
                if !needs.events.iter().any(|e| e == name) {
                    needs.events.push(name.to_string());
                }
            }
            for (col, _) in &s.filter {
                needs.columns.push((
                    col.clone(),
                    format!(
                        "`where` of standard {:?}, {}:{}",
                        s.id,
                        catalog.files[s.file].path.display(),
                        s.line
                    ),
                ));
            }
            if let CalendarChoice::ByAttribute { column, .. } = &s.calendar {
                needs.columns.push((
                    column.clone(),
                    format!("`calendar.by` of standard {:?}", s.id),
                ));
            }
            for col in group_columns {
                needs.columns.push((col.clone(), format!("--by {col}")));
            }
            if let Kind::Repeat {
                customer: Some(c), ..
            } = &s.kind
            {
                needs
                    .columns
                    .push((c.clone(), format!("`customer` of standard {:?}", s.id)));
            }
            if let Kind::Each {
                due: Due::By(by), ..
            } = &s.kind
            {
                needs.columns.push((
                    by.clone(),
                    format!("the promised time `by` of standard {:?}", s.id),
                ));
            }
        }
        // Deadlines of every standard on the source, selected or not: which cells are read as
        // times decides which rows can be used and what the log's latest time is, and that
        // must not change with --only (nor between `audit` and `explain`).
        // Every version of a standard with versions by date, as the standard itself.
        for (i, head) in catalog.standards.iter().enumerate() {
            for s in head.each_version() {
                if s.source != source {
                    continue;
                }
                if let Kind::Value { column, on, .. } = &s.kind {
                    let on = on.clone().unwrap_or_default();
                    // Which rows hold a number is read from their events, so those are wanted.
                    for name in &on {
                        if !needs.events.contains(name) {
                            needs.events.push(name.clone());
                        }
                    }
                    let required = standards.contains(&i);
                    match needs
                        .values
                        .iter_mut()
                        .find(|n| n.column == *column && n.on == on)
                    {
                        Some(n) => n.required |= required,
                        None => needs.values.push(ValueNeed {
                            column: column.clone(),
                            on,
                            required,
                            standard: s.id.clone(),
                        }),
                    }
                }
            }
        }
        for s in catalog
            .standards
            .iter()
            .flat_map(|s| s.each_version())
            .filter(|s| s.source == source)
        {
            if let Kind::Deadline { by, .. } = &s.kind {
                if !needs.deadlines.contains(by) {
                    needs.deadlines.push(by.clone());
                }
            }
            if let Kind::Each {
                each,
                due: Due::By(by),
                ..
            } = &s.kind
            {
                if !needs.deadlines.contains(by) {
                    needs.deadlines.push(by.clone());
                }
                match needs.promises.iter_mut().find(|(c, _)| c == by) {
                    Some((_, names)) => {
                        for e in each {
                            if !names.contains(e) {
                                names.push(e.clone());
                            }
                        }
                    }
                    None => needs.promises.push((by.clone(), each.clone())),
                }
            }
        }
        needs
    }
}

mod compact;
mod date_order;
mod dates;
mod dialect;
mod fast;
mod header;
mod quotes;
mod reader;
mod split;
pub mod threads;

pub(crate) use dialect::{csv_error, csv_reader, is_blank_crlf, open_csv, OpenCsv};
pub(crate) use header::{find, positions, unique_names};
pub use reader::Reader;
use reader::{Columns, Parsed, Record, RowParser};

pub use quotes::LONG_QUOTED_LINES;
pub(crate) use quotes::{next_record, Guarded};

pub use compact::{prefetch, CaseEvents, CaseId, Cases, EventStore};

/// Reads every log file of a source (`-` is standard input) in its layout: the one entry to
/// reading logs. With `strict`, the first row that cannot be used stops the read.
pub fn read_source(
    catalog: &Catalog,
    source: usize,
    needs: Needs,
    strict: bool,
    paths: &[String],
) -> Result<SourceData> {
    if let Layout::Threads { .. } = catalog.sources[source].layout {
        return threads::read(catalog, source, needs, strict, paths);
    }
    let mut reader = Reader::new(catalog, source, needs, strict);
    for path in paths {
        reader.read_path(path)?;
    }
    Ok(reader.finish())
}

/// Opens a log: a file, or standard input for `-`; with the file's size when known (for the
/// progress bar). The one place a log is opened. A gzip or zstd file (`.csv.gz`, `.csv.zst`)
/// is decompressed as it streams; it has no known size, as its bytes on disk are not the
/// bytes read.
pub fn open_input(path: &str) -> Result<(Box<dyn Read + Send>, Option<u64>)> {
    if path == "-" {
        return decompressed(Box::new(std::io::stdin()), None, path);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().ok().map(|m| m.len());
    decompressed(Box::new(file), size, path)
}

/// `raw` decompressed when its first bytes are a gzip or zstd magic number (the bytes, not the
/// name, decide: a `.gz` that is plain text is read as it is, and standard input works too).
/// The bytes are peeked in a buffer, not read ahead and chained: the dialect tells CR line
/// ends from the first block it gets, so that block must be as long as a plain read's.
fn decompressed(
    raw: Box<dyn Read + Send>,
    size: Option<u64>,
    path: &str,
) -> Result<(Box<dyn Read + Send>, Option<u64>)> {
    use std::io::BufRead;
    let mut input = std::io::BufReader::with_capacity(1 << 16, raw);
    let head = input.fill_buf().map_err(|e| Error::io(path, e))?;
    match head {
        // Several gzip members in one file are one stream (`cat a.gz b.gz`).
        [0x1f, 0x8b, ..] => Ok((Box::new(flate2::bufread::MultiGzDecoder::new(input)), None)),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => {
            let d =
                zstd::stream::read::Decoder::with_buffer(input).map_err(|e| Error::io(path, e))?;
            Ok((Box::new(d), None))
        }
        _ => Ok((Box::new(input), size)),
    }
}

/// The skip reason of a row whose value standard's cell is not a number.
pub const UNPARSEABLE_NUMBER: &str = "unparseable number";

/// The skip reason of a "row" that is many rows run together by a change of line ends: an
/// error, never a counted skip.
pub(crate) const MIXED_LINE_ENDS: &str = "line ends change mid-file";

/// Why a row was not used.
#[derive(Debug, Clone)]
pub(crate) struct Skip {
    pub reason: &'static str,
    pub column: Option<String>,
    pub detail: String,
}

impl InputStats {
    /// Notes a used row whose times span `[low, high]` when they leave [`PLAUSIBLE`] (a row
    /// without times has `low > high`).
    #[inline]
    pub(crate) fn check_plausible(&mut self, low: i64, high: i64, line: u64) {
        if let Some(bad) = implausible(low, high) {
            self.note_implausible(1, bad, line);
        }
    }

    /// Takes the long quoted cells a file's guard saw.
    pub(crate) fn note_long_quotes<R: Read>(&mut self, guard: &Guarded<R>) {
        self.long_quoted += guard.long;
        if self.first_long_quoted.is_none() {
            self.first_long_quoted = guard.first_long;
        }
    }

    /// Counts `n` rows with implausible times, the first at `line` with time `t`.
    pub(crate) fn note_implausible(&mut self, n: u64, t: i64, line: u64) {
        self.implausible += n;
        if self.first_implausible.is_none() {
            let shown = chrono::DateTime::from_timestamp(t, 0).map_or_else(
                || t.to_string(),
                |d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            );
            self.first_implausible = Some(format!("line {line} ({shown})"));
        }
    }

    /// Counts `n` cells that are not numbers on a used row at `line`, the first described by
    /// `first`.
    /// With `strict`, such a cell stops the read, as a row that cannot be used does.
    pub(crate) fn note_bad_numbers(
        &mut self,
        n: u64,
        first: Option<&Skip>,
        path: &str,
        line: u64,
        strict: bool,
    ) -> Result<()> {
        if let (true, Some(skip)) = (strict, first) {
            return Err(Error::Row {
                path: path.to_string(),
                line,
                column: skip.column.clone(),
                message: format!(
                    "{} (--strict stops at the first cell of a value column that is not a number)",
                    skip.detail
                ),
            });
        }
        self.bad_numbers += n;
        if let (None, Some(skip)) = (&self.first_bad_number, first) {
            let col = skip
                .column
                .as_ref()
                .map(|c| format!(" column {c:?}:"))
                .unwrap_or_default();
            self.first_bad_number = Some(format!("{path}:{line}:{col} {}", skip.detail));
        }
        Ok(())
    }

    /// Counts a row that cannot be used under its reason, keeping the first example of each;
    /// with `strict`, the row stops the read instead.
    pub(crate) fn skip(&mut self, skip: Skip, path: &str, line: u64, strict: bool) -> Result<()> {
        // Rows that cannot even be told apart are no skip to count: the count would be wrong.
        if skip.reason == MIXED_LINE_ENDS {
            return Err(Error::Row {
                path: path.to_string(),
                line,
                column: None,
                message: skip.detail,
            });
        }
        if strict {
            return Err(Error::Row {
                path: path.to_string(),
                line,
                column: skip.column,
                message: format!(
                    "{} (--strict stops at the first row that cannot be used)",
                    skip.detail
                ),
            });
        }
        self.skipped += 1;
        *self
            .skipped_reasons
            .entry(skip.reason.to_string())
            .or_insert(0) += 1;
        self.first_skip
            .entry(skip.reason.to_string())
            .or_insert_with(|| {
                let col = skip
                    .column
                    .map(|c| format!(" column {c:?}:"))
                    .unwrap_or_default();
                format!("{path}:{line}:{col} {}", skip.detail)
            });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::reader::EventNames;
    use super::*;
    use crate::standards;
    use proptest::prelude::*;
    use std::collections::HashMap;
    use std::path::Path;

    /// `unique_names` as it was, with scans of the lists: the reference.
    fn unique_names_by_scan(headers: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(headers.len());
        for h in headers {
            let mut name = h.clone();
            let mut k = 1;
            while !h.is_empty() && (out.contains(&name) || (k > 1 && headers.contains(&name))) {
                k += 1;
                name = format!("{h}_{k}");
            }
            out.push(name);
        }
        out
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn unique_names_by_hand() {
        let headers = strings(&["a", "b", "a", "", "a_2", "a", "", "b", "a_3_2", "a_3", "a"]);
        assert_eq!(
            unique_names(&headers),
            // a_2 and a_3 are the header's own names, so the second a skips them.
            strings(&["a", "b", "a_4", "", "a_2", "a_5", "", "b_2", "a_3_2", "a_3", "a_6"])
        );
        assert_eq!(unique_names(&headers), unique_names_by_scan(&headers));
        // Many uses of one name: each takes the next free suffix.
        let many = vec!["x".to_string(); 1000];
        let named = unique_names(&many);
        assert_eq!(named[0], "x");
        assert_eq!(named[999], "x_1000");
        assert_eq!(named, unique_names_by_scan(&many));
    }

    proptest! {
        #[test]
        fn unique_names_equal_the_scan(
            picks in proptest::collection::vec(0usize..9, 0..40),
        ) {
            const NAMES: [&str; 9] = ["a", "a_2", "a_3", "a_2_2", "", "b", "b_2", "a_4", "A"];
            let headers: Vec<String> = picks.iter().map(|&i| NAMES[i].to_string()).collect();
            prop_assert_eq!(unique_names(&headers), unique_names_by_scan(&headers));
            let named = unique_names(&headers);
            let wanted = strings(&["a", "a_2", "a_3", "b_2", "c", ""]);
            let scan: Vec<usize> = wanted
                .iter()
                .map(|n| named.iter().position(|h| h == n).unwrap_or(usize::MAX))
                .collect();
            prop_assert_eq!(positions(&named, &wanted), scan);
        }
    }

    #[test]
    fn event_names_are_found_among_those_of_their_length() {
        let long = "x".repeat(70);
        let longer = "x".repeat(90);
        let mut lookup: HashMap<Box<[u8]>, u16> = HashMap::new();
        for (i, n) in ["created", "solved", "closed", "a", &long, &longer]
            .iter()
            .enumerate()
        {
            lookup.insert(n.as_bytes().into(), i as u16);
        }
        let names = EventNames::new(&lookup);
        assert_eq!(names.get(b"created"), Some(0));
        assert_eq!(names.get(b"solved"), Some(1));
        assert_eq!(names.get(b"closed"), Some(2));
        assert_eq!(names.get(b"a"), Some(3));
        assert_eq!(names.get(long.as_bytes()), Some(4));
        assert_eq!(names.get(longer.as_bytes()), Some(5));
        for other in [
            "",
            "create",
            "createdd",
            "solvee",
            "b",
            &"x".repeat(64),
            &"x".repeat(71),
        ] {
            assert_eq!(names.get(other.as_bytes()), None, "{other:?}");
        }
    }

    fn catalog(text: &str) -> Catalog {
        let mut c = Catalog {
            files: vec![],
            sources: vec![],
            standards: vec![],
            calendars: vec![],
        };
        standards::add_file(&mut c, Path::new("s.toml"), text).unwrap();
        c
    }

    const EVENTS: &str = r#"version = 1
[sources.t]
layout = "events"
case = "id"
time = "at"
event = "ev"
[sources.t.events]
"Public reply" = "reply"
[[standard]]
id = "x"
from = "created"
to = "reply"
within = "10m"
"#;

    fn read(text: &str, csv: &[u8], strict: bool) -> Result<SourceData> {
        let c = catalog(text);
        let needs = Needs::of(&c, 0, &[0], &[]);
        let mut r = Reader::new(&c, 0, needs, strict);
        r.read(csv, "t.csv")?;
        Ok(r.finish())
    }

    #[test]
    fn rows_are_used_or_skipped_with_a_reason() {
        let csv = b"\xEF\xBB\xBFid,at,ev,team\r\n\
            1,2026-11-16T09:00:00Z,created,A\r\n\
            1,2026-11-16T09:05:00Z,Public reply,\r\n\
            ,2026-11-16T09:05:00Z,created,A\r\n\
            2,16/11/2026,created,B\r\n\
            2,,created,B\r\n\
            3,2026-11-16T09:00:00Z,created\r\n\
            \"4\",\"2026-11-16T10:00:00Z\",note,\"multi\nline\"\r\n";
        let d = read(EVENTS, csv, false).unwrap();
        let s = &d.inputs[0];
        assert_eq!((s.rows, s.used, s.skipped), (7, 3, 4));
        let reasons: Vec<(&str, u64)> = s
            .skipped_reasons
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(
            reasons,
            [
                ("missing case id", 1),
                ("missing timestamp", 1),
                ("unparseable timestamp", 1),
                ("wrong number of fields", 1)
            ]
        );
        assert_eq!(d.cases.len(), 2);
        assert_eq!(d.cases[0].events.len(), 2);
        assert_eq!(d.attr_columns, ["team"]);
        // The latest non-empty value wins.
        assert_eq!(d.attr_value(0, 0), "A");
        assert_eq!(d.attr_value(1, 0), "multi\nline");
        assert_eq!(d.other_event_values, ["note"]);
    }

    #[test]
    fn strict_stops_with_file_line_and_column() {
        let csv = b"id,at,ev\n1,2026-11-16T09:00:00Z,created\n2,yesterday,created\n";
        let e = read(EVENTS, csv, true).unwrap_err().to_string();
        assert!(
            e.starts_with("t.csv:3: column \"at\": \"yesterday\" is not a time; expected RFC 3339"),
            "{e}"
        );
    }

    #[test]
    fn missing_column_lists_the_header() {
        let e = read(EVENTS, b"ID,at,ev\n", false).unwrap_err().to_string();
        assert_eq!(
            e,
            "t.csv: missing column \"id\" (the case id, `case`) (did you mean \"ID\"?); the header has: \"ID\", \"at\", \"ev\""
        );
        // Every missing column at once, so that one run shows what to fix.
        let e = read(EVENTS, b"ID,at,event\n", false)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "t.csv: missing columns \"id\" (did you mean \"ID\"?), \"ev\"; the header has: \"ID\", \"at\", \"event\""
        );
        let e = read(EVENTS, b"", false).unwrap_err().to_string();
        assert!(e.contains("the file is empty"), "{e}");
    }

    #[test]
    fn out_of_order_events_are_sorted() {
        let csv = b"id,at,ev\n1,2026-11-16T09:05:00Z,reply\n1,2026-11-16T09:00:00Z,created\n";
        let d = read(EVENTS, csv, false).unwrap();
        let ts: Vec<i64> = d.events(0).iter().map(|e| e.t()).collect();
        assert!(ts[0] < ts[1]);
        assert_eq!(d.event_names[d.events(0)[0].name() as usize], "created");
    }

    #[test]
    fn cases_layout_with_date_only_deadline() {
        let text = r#"version = 1
timezone = "America/Sao_Paulo"
[sources.o]
layout = "cases"
case = "order"
deadlines = ["due"]
[sources.o.milestones]
placed = "placed_at"
delivered = "delivered_at"
due = "due"
[[standard]]
id = "d"
to = "delivered"
by = "due"
"#;
        let c = catalog(text);
        let needs = Needs::of(&c, 0, &[0], &[]);
        let mut r = Reader::new(&c, 0, needs, false);
        let csv = b"order,placed_at,delivered_at,due,status\n007,2026-11-01 10:00,2026-11-05 23:30,2026-11-05,delivered\n008,2026-11-02 10:00,,2026-11-06,canceled\n";
        r.read(&csv[..], "o.csv").unwrap();
        let d = r.finish();
        assert_eq!(&*d.cases[0].id, "007");
        // 2026-11-05 ends at 23:59:59 in Sao Paulo (UTC-3).
        let end = chrono::DateTime::parse_from_rfc3339("2026-11-06T02:59:59Z")
            .unwrap()
            .timestamp();
        assert_eq!(d.deadline(0, 0), Some(end));
        assert_eq!(d.cases[1].events.len(), 0);
        assert_eq!(d.attr_columns, ["status"]);
        // The due date is not an event time: the latest time is the delivery.
        let delivered = chrono::DateTime::parse_from_rfc3339("2026-11-06T02:30:00Z")
            .unwrap()
            .timestamp();
        assert_eq!(d.latest, Some(delivered));
        // Undeclared, the due date is a time like any other, whatever the standards read:
        // 2026-11-06 00:00 in Sao Paulo.
        let c = catalog(&text.replace("deadlines = [\"due\"]\n", ""));
        let mut r = Reader::new(&c, 0, Needs::of(&c, 0, &[0], &[]), false);
        r.read(&csv[..], "o.csv").unwrap();
        let due = chrono::DateTime::parse_from_rfc3339("2026-11-06T03:00:00Z")
            .unwrap()
            .timestamp();
        assert_eq!(r.finish().latest, Some(due));
    }
}
