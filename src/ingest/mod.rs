//! Logs: CSV rows -> cases with their events and attributes, streamed once per file.
//! Owns column resolution, row accounting (rows = used + skipped) and skip reasons; knows
//! nothing of what a standard means beyond the event names and columns it asks for.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::io::{BufRead, BufReader, Read};

use hashbrown::{DefaultHashBuilder, HashTable};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::standards::{CalendarChoice, Catalog, Kind, Layout, Source};
use crate::time::calendar::Calendar;
use crate::time::stamp::{self, Stamp};

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
}

/// The times a service log can hold, `[1980-01-01, 2100-01-01)` UTC: outside them a time is
/// a misread format (epoch milliseconds read as seconds give year 58136) or a placeholder.
pub const PLAUSIBLE: (i64, i64) = (315_532_800, 4_102_444_800);

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
    /// How each deadline (`by`) is read: a column, or the first occurrence of an event.
    pub deadline_by: BTreeMap<String, DeadlineRef>,
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
}

/// Which message an event of a thread is, and which message it answers (`u32::MAX`: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub message: u32,
    pub answers: u32,
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
            deadline_by: BTreeMap::new(),
            inputs: Vec::new(),
            latest: None,
            latest_plain: None,
            other_event_values: Vec::new(),
            links: Vec::new(),
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

    /// Case `case`'s deadline from deadline column `column`.
    pub fn deadline(&self, case: usize, column: usize) -> Option<i64> {
        self.deadlines[case * self.deadline_columns + column]
    }
}

/// What the standards and the command line need from a source's columns.
#[derive(Debug, Default, Clone)]
pub struct Needs {
    /// Columns that must exist, with the reason (for the error message).
    pub columns: Vec<(String, String)>,
    /// Event names standards refer to.
    pub events: Vec<String>,
    /// `by` names of deadline standards.
    pub deadlines: Vec<String>,
    /// Keep only the attribute columns in `columns` (an audit's table: its groups and filters)
    /// rather than every other column (breaches and traces show them all). Fewer attributes
    /// are less to intern per row and less to keep per case.
    pub named_attributes_only: bool,
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
        for &i in standards {
            let s = &catalog.standards[i];
            if s.source != source {
                continue;
            }
            for name in s.event_names() {
                if !needs.events.iter().any(|e| e == name) {
                    needs.events.push(name.to_string());
                }
            }
            for (col, _) in &s.filter {
                needs
                    .columns
                    .push((col.clone(), format!("`where` of standard {:?}", s.id)));
            }
            if let CalendarChoice::ByAttribute { column, .. } = &s.calendar {
                needs.columns.push((
                    column.clone(),
                    format!("`calendar.by` of standard {:?}", s.id),
                ));
            }
            for col in group_columns {
                needs
                    .columns
                    .push((col.clone(), format!("--by {col} (standard {:?})", s.id)));
            }
        }
        // Deadlines of every standard on the source, selected or not: which cells are read as
        // times decides which rows can be used and what the log's latest time is, and that
        // must not change with --only (nor between `audit` and `explain`).
        for s in catalog.standards.iter().filter(|s| s.source == source) {
            if let Kind::Deadline { by, .. } = &s.kind {
                if !needs.deadlines.contains(by) {
                    needs.deadlines.push(by.clone());
                }
            }
        }
        needs
    }
}

mod compact;
mod fast;
mod quotes;
mod split;
pub mod threads;

pub(crate) use quotes::{next_record, Guarded};

use compact::CaseTable;
pub use compact::{prefetch, CaseEvents, CaseId, Cases, EventStore};

/// A milestone column of the cases layout.
struct Milestone {
    pos: usize,
    /// Wanted event id, or None when no standard reads it as an event.
    wanted: Option<u16>,
    /// The source declares it a deadline (`deadlines`): a promise, not something that happened.
    promised: bool,
    /// A standard reads it as its deadline (`by`).
    by: bool,
}

/// Column positions in one file's header.
struct Columns {
    case: usize,
    time: Option<usize>,
    event: Option<usize>,
    milestones: Vec<Milestone>,
    /// Attribute column positions, in `attr_columns` order.
    attrs: Vec<usize>,
    /// Deadline column positions, in `Case::deadlines` order.
    deadlines: Vec<usize>,
    width: usize,
}

pub(crate) fn find(headers: &[String], name: &str, path: &str, why: &str) -> Result<usize> {
    let mut hits = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| *h == name)
        .map(|(i, _)| i);
    match (hits.next(), hits.next()) {
        (Some(i), None) => Ok(i),
        (Some(_), Some(_)) => Err(Error::Input {
            path: path.to_string(),
            message: format!("column {name:?} ({why}) appears more than once in the header; rename one of them in the export"),
        }),
        (None, _) => {
            let near = headers
                .iter()
                .find(|h| h.trim().eq_ignore_ascii_case(name.trim()))
                .map(|h| format!(" (did you mean {h:?}?)"))
                .unwrap_or_default();
            Err(Error::Input {
                path: path.to_string(),
                message: format!(
                    "missing column {name:?} ({why}){near}; the header has: {}",
                    headers.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", ")
                ),
            })
        }
    }
}

/// A blank line of a CRLF file: records end at LF, so it reads as one cell holding the CR.
/// Like a blank LF line, it is no row.
pub(crate) fn is_blank_crlf(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && &record[0] == b"\r"
}

/// Opens a log: a file, or standard input for `-`; with the file's size when known (for the
/// progress bar). The one place a log is opened.
pub fn open_input(path: &str) -> Result<(Box<dyn Read + Send>, Option<u64>)> {
    if path == "-" {
        return Ok((Box::new(std::io::stdin()), None));
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(file), size))
}

/// Header names made unique for attributes: a name's second use becomes `name_2`, its third
/// `name_3` (unless the header already has such a name). Maps, not scans of the header, so
/// that a header of 100,000 columns is resolved in linear time.
pub(crate) fn unique_names(headers: &[String]) -> Vec<String> {
    // First every name of the header, each use past the first marked for later: a generated
    // name must not be one the header has further on.
    let mut in_header: hashbrown::HashSet<&str> = hashbrown::HashSet::with_capacity(headers.len());
    let mut out: Vec<String> = Vec::with_capacity(headers.len());
    let mut again = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if !in_header.insert(h.as_str()) && !h.is_empty() {
            again.push(i);
        }
        out.push(h.clone());
    }
    // Then the names used again, in header order. A generated name is never a header's name,
    // so it cannot change the names of the first uses.
    let mut generated: hashbrown::HashSet<String> = hashbrown::HashSet::new();
    // Per name used more than once, the last suffix it took: a suffix passed over once stays
    // taken (names are only added), so the next use tries from the one after it.
    let mut last_suffix: hashbrown::HashMap<&str, usize> = hashbrown::HashMap::new();
    for i in again {
        let h = headers[i].as_str();
        let k = last_suffix.entry(h).or_insert(1);
        out[i] = loop {
            *k += 1;
            let name = format!("{h}_{k}");
            if !in_header.contains(name.as_str()) && !generated.contains(&name) {
                break name;
            }
        };
        generated.insert(out[i].clone());
    }
    out
}

/// Where each of `names` is in `named` (its first place), or `usize::MAX` when it is not
/// there: one map of the header instead of a scan of it per name.
pub(crate) fn positions(named: &[String], names: &[String]) -> Vec<usize> {
    let mut at: hashbrown::HashMap<&str, usize> = hashbrown::HashMap::with_capacity(named.len());
    for (i, h) in named.iter().enumerate() {
        at.entry(h.as_str()).or_insert(i);
    }
    names
        .iter()
        .map(|n| at.get(n.as_str()).copied().unwrap_or(usize::MAX))
        .collect()
}

/// An open CSV file of a source: the reader positioned after the header, the header's
/// column names, and how many physical lines came before the header (`skip_lines`).
pub(crate) struct OpenCsv<R: Read> {
    pub csv: csv::Reader<Guarded<BufReader<R>>>,
    pub headers: Vec<String>,
    pub line_offset: u64,
}

/// The byte that ends a record: LF (so CRLF files too, the CR being trimmed with the cell),
/// or CR for a file whose lines end in CR alone (classic Mac and Excel for Mac "CSV"), told by
/// a CR and no LF in the file's first `buf` bytes. A bare CR inside an LF or CRLF file stays
/// data.
pub(crate) fn terminator_of(buf: &[u8]) -> u8 {
    if memchr::memchr(b'\n', buf).is_none() && memchr::memchr(b'\r', buf).is_some() {
        b'\r'
    } else {
        b'\n'
    }
}

/// A csv reader in the source's dialect over `input`, whose first byte is on line
/// `first_line`, guarded against quotes that never close (see [`quotes`]).
pub(crate) fn csv_reader<R: Read>(
    source: &Source,
    input: R,
    terminator: u8,
    first_line: u64,
    has_headers: bool,
) -> csv::Reader<Guarded<R>> {
    csv::ReaderBuilder::new()
        .delimiter(source.delimiter)
        .quote(source.quote)
        .terminator(csv::Terminator::Any(terminator))
        .flexible(true)
        .has_headers(has_headers)
        .from_reader(Guarded::new(
            input,
            source.delimiter,
            source.quote,
            terminator,
            first_line,
        ))
}

/// Opens a CSV file in the source's dialect: a UTF-8 byte-order mark is dropped, `skip_lines`
/// lines before the header are passed over, and records end at LF (a CR before it is trimmed
/// with the cell), so a bare CR inside an unquoted cell is data, not a line break; a file
/// whose lines all end in CR is read with CR as the line end.
pub(crate) fn open_csv<R: Read>(source: &Source, input: R, path: &str) -> Result<OpenCsv<R>> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    // Spreadsheet exports often start with a UTF-8 byte-order mark.
    let buf = input.fill_buf().map_err(|e| Error::io(path, e))?;
    let terminator = terminator_of(buf);
    if buf.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let mut skipped = Vec::new();
    for _ in 0..source.skip_lines {
        skipped.clear();
        if input
            .read_until(terminator, &mut skipped)
            .map_err(|e| Error::io(path, e))?
            == 0
        {
            break;
        }
    }
    let line_offset = source.skip_lines as u64;
    let mut csv = csv_reader(source, input, terminator, line_offset + 1, true);
    let header = match csv.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(csv
                .get_ref()
                .open_quote(path, false)
                .unwrap_or_else(|| csv_error(path, e)))
        }
    };
    if let Some(e) = csv.get_ref().open_quote(path, csv.is_done()) {
        return Err(e);
    }
    if header.is_empty() || (header.len() == 1 && header[0].trim_ascii().is_empty()) {
        return Err(Error::Input {
            path: path.to_string(),
            message: format!(
                "the file is empty: expected a header line naming the columns of source {:?}{}",
                source.name,
                if source.skip_lines > 0 {
                    format!(" after the {} line(s) of `skip_lines`", source.skip_lines)
                } else {
                    String::new()
                }
            ),
        });
    }
    let headers: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    Ok(OpenCsv {
        csv,
        headers,
        line_offset,
    })
}

/// The state of a source being read, shared by all its files.
pub struct Reader<'a> {
    source: &'a Source,
    data: SourceData,
    needs: Needs,
    /// Raw event value -> wanted event id.
    event_lookup: HashMap<Box<[u8]>, u16>,
    /// Case id -> index into `data.cases`, hashed with `hasher` (the key is the case's id).
    case_lookup: CaseTable,
    /// Per attribute column, value -> index into its `attr_values`.
    attr_lookup: Vec<HashTable<u32>>,
    hasher: DefaultHashBuilder,
    deadline_columns: Vec<String>,
    strict: bool,
    sorted: bool,
}

impl<'a> Reader<'a> {
    pub fn new(catalog: &'a Catalog, source: usize, needs: Needs, strict: bool) -> Reader<'a> {
        let src = &catalog.sources[source];
        let event_names = needs.events.clone();
        let mut event_lookup: HashMap<Box<[u8]>, u16> = HashMap::new();
        let renames: &[(String, String)] = match &src.layout {
            Layout::Events { renames, .. } | Layout::Threads { renames, .. } => renames,
            Layout::Cases { .. } => &[],
        };
        for (i, name) in event_names.iter().enumerate() {
            // A value that is renamed means its new name, never itself.
            if !renames.iter().any(|(raw, _)| raw == name) {
                event_lookup.insert(name.as_bytes().into(), i as u16);
            }
        }
        for (raw, name) in renames {
            if let Some(i) = event_names.iter().position(|n| n == name) {
                event_lookup.insert(raw.as_bytes().into(), i as u16);
            }
        }
        let mut data = SourceData::new(source, event_names);
        // Room for every deadline column whatever the files hold: each `by` reads at most one.
        data.deadline_columns = needs.deadlines.len();
        Reader {
            source: src,
            data,
            needs,
            event_lookup,
            case_lookup: CaseTable::default(),
            attr_lookup: Vec::new(),
            hasher: DefaultHashBuilder::default(),
            deadline_columns: Vec::new(),
            strict,
            sorted: true,
        }
    }

    /// Resolves the header of one file; the first file fixes the attribute columns.
    fn columns(&mut self, headers: &[String], path: &str) -> Result<Columns> {
        let src = self.source;
        let case = find(headers, &src.case, path, "the case id, `case`")?;
        let mut taken = vec![case];
        let (time, event, milestones) = match &src.layout {
            Layout::Events { time, event, .. } | Layout::Threads { time, event, .. } => {
                let t = find(headers, time, path, "the event time, `time`")?;
                let e = find(headers, event, path, "the event name, `event`")?;
                taken.extend([t, e]);
                if let Layout::Threads { reply_to, .. } = &src.layout {
                    taken.push(find(
                        headers,
                        reply_to,
                        path,
                        "the message answered, `reply_to`",
                    )?);
                }
                (Some(t), Some(e), Vec::new())
            }
            Layout::Cases { milestones } => {
                let mut out = Vec::new();
                for (name, col) in milestones {
                    let i = find(headers, col, path, &format!("milestone {name:?}"))?;
                    taken.push(i);
                    out.push(Milestone {
                        pos: i,
                        wanted: self.data.event_id(name),
                        promised: src.deadlines.contains(col),
                        by: false,
                    });
                }
                (None, None, out)
            }
        };
        // Attribute columns (where, --by, calendar.by) by their unique names.
        let named = unique_names(headers);
        for (col, why) in &self.needs.columns {
            let i = find(&named, col, path, why)?;
            if taken.contains(&i) {
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "column {col:?} ({why}) is one the source reads as its case, time, event \
                         or a milestone, not an attribute; `where`, --by and `calendar.by` take \
                         the other columns: {}",
                        named
                            .iter()
                            .enumerate()
                            .filter(|(k, h)| !taken.contains(k) && !h.is_empty())
                            .map(|(_, h)| format!("{h:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        }
        // Deadlines: a milestone (cases), a column, or else an event (events layout), as the
        // first file decides; a later file without an events-layout deadline column has no
        // deadline values (its position stays usize::MAX).
        let mut deadlines = vec![usize::MAX; self.deadline_columns.len()];
        for by in self.needs.deadlines.clone() {
            let known = self.data.deadline_by.get(&by).copied();
            let column = match (known, &src.layout) {
                (Some(DeadlineRef::Event(_)), _) => None,
                (Some(DeadlineRef::Column(idx)), _) => Some(self.deadline_columns[idx].clone()),
                (None, Layout::Cases { milestones }) => Some(
                    milestones
                        .iter()
                        .find(|(m, _)| *m == by)
                        .map(|(_, c)| c.clone())
                        .unwrap_or_else(|| by.clone()),
                ),
                (None, Layout::Events { .. } | Layout::Threads { .. }) => {
                    headers.contains(&by).then(|| by.clone())
                }
            };
            let reference = match column {
                Some(col) => {
                    let why = format!("the deadline `by = {by:?}`");
                    let pos = match &src.layout {
                        Layout::Cases { .. } => Some(find(headers, &col, path, &why)?),
                        _ if headers.contains(&col) => Some(find(headers, &col, path, &why)?),
                        _ => None,
                    };
                    let idx = match self.deadline_columns.iter().position(|c| *c == col) {
                        Some(i) => i,
                        None => {
                            self.deadline_columns.push(col.clone());
                            self.deadline_columns.len() - 1
                        }
                    };
                    if deadlines.len() <= idx {
                        deadlines.resize(idx + 1, usize::MAX);
                    }
                    if let Some(pos) = pos {
                        deadlines[idx] = pos;
                    }
                    DeadlineRef::Column(idx)
                }
                None => match self.data.event_id(&by) {
                    Some(e) => DeadlineRef::Event(e),
                    None => {
                        self.data.event_names.push(by.clone());
                        self.data.event_counts.push(0);
                        let e = (self.data.event_names.len() - 1) as u16;
                        if !self.event_lookup.contains_key(by.as_bytes()) {
                            self.event_lookup.insert(by.as_bytes().into(), e);
                        }
                        DeadlineRef::Event(e)
                    }
                },
            };
            self.data.deadline_by.insert(by, reference);
        }
        let mut milestones = milestones;
        if let Layout::Cases { milestones: named } = &src.layout {
            for (m, (_, col)) in milestones.iter_mut().zip(named) {
                m.by = self.deadline_columns.contains(col);
            }
        }
        // A name used twice in the header: the second attribute is "name_2", and so on.
        if self.data.inputs.is_empty() {
            self.data.attr_columns = named
                .iter()
                .enumerate()
                // Unnamed columns (a spreadsheet's or pandas' row index) are not attributes.
                .filter(|(i, h)| !taken.contains(i) && !h.is_empty())
                .filter(|(_, h)| {
                    !self.needs.named_attributes_only
                        || self.needs.columns.iter().any(|(c, _)| c == *h)
                })
                .map(|(_, h)| h.clone())
                .collect();
            self.data.attr_values = vec![vec!["".into()]; self.data.attr_columns.len()];
            self.attr_lookup = vec![HashTable::new(); self.data.attr_columns.len()];
        }
        // Later files may order their columns differently; attributes are matched by name, and
        // an attribute a later file lacks stays empty for its rows.
        let attrs = positions(&named, &self.data.attr_columns);
        Ok(Columns {
            case,
            time,
            event,
            milestones,
            attrs,
            deadlines,
            width: headers.len(),
        })
    }

    /// Reads one CSV file (or `-` for standard input) into the source, parsing on every core
    /// (see `fast`); the result is the same as [`Reader::read`]'s.
    pub fn read_path(&mut self, path: &str) -> Result<()> {
        let (input, size) = open_input(path)?;
        self.read_parallel(input, path, size)
    }

    /// Reads one CSV file on the calling thread.
    pub fn read(&mut self, input: impl Read, path: &str) -> Result<()> {
        let OpenCsv {
            mut csv,
            headers,
            line_offset,
        } = open_csv(self.source, input, path)?;
        let cols = self.columns(&headers, path)?;
        let mut stats = self.stats(path);
        self.records(&mut csv, &cols, &mut stats, path, line_offset)?;
        self.data.inputs.push(stats);
        Ok(())
    }

    fn parser(&self) -> RowParser<'a> {
        RowParser {
            source: self.source,
            event_lookup: EventNames::new(&self.event_lookup),
            deadline_columns: self.deadline_columns.clone(),
            hasher: self.hasher.clone(),
        }
    }

    fn stats(&self, path: &str) -> InputStats {
        InputStats {
            source: self.source.name.clone(),
            path: path.to_string(),
            ..InputStats::default()
        }
    }

    /// Reads the records of `csv` on the calling thread; `line_base` is the number of lines
    /// before the reader's first line.
    fn records(
        &mut self,
        csv: &mut csv::Reader<Guarded<impl Read>>,
        cols: &Columns,
        stats: &mut InputStats,
        path: &str,
        line_base: u64,
    ) -> Result<()> {
        let mut record = csv::ByteRecord::new();
        let mut parsed = Parsed::default();
        let parser = self.parser();
        while next_record(csv, &mut record, path)? {
            if is_blank_crlf(&record) {
                continue;
            }
            let line = line_base + record.position().map_or(0, |p| p.line());
            let result = parser.parse_row(&record, cols, &mut parsed);
            let hash = parser.hash_id(&record, cols, &result);
            self.account(&record, cols, &parsed, result, hash, stats, path, line)?;
        }
        Ok(())
    }

    /// Counts one parsed row as used (adding it to its case) or skipped.
    #[allow(clippy::too_many_arguments)]
    fn account(
        &mut self,
        record: &impl Record,
        cols: &Columns,
        parsed: &Parsed,
        result: std::result::Result<(), Skip>,
        hash: u64,
        stats: &mut InputStats,
        path: &str,
        line: u64,
    ) -> Result<()> {
        stats.rows += 1;
        if parsed.other_event {
            self.note_other_event(
                record
                    .field(cols.event.expect("events layout"))
                    .trim_ascii(),
            );
        }
        {
            match result {
                Ok(()) => {
                    self.apply_row(record, cols, parsed, hash);
                    stats.used += 1;
                    stats.check_plausible(parsed.low, parsed.high, line);
                }
                Err(skip) => stats.skip(skip, path, line, self.strict)?,
            }
        }
        Ok(())
    }

    fn note_other_event(&mut self, raw_event: &[u8]) {
        // Compared as bytes first: most rows repeat a value already noted, and this runs for
        // every row whose event no standard names, so it must not allocate.
        let values = &mut self.data.other_event_values;
        if values.len() < 12 && !values.iter().any(|v| v.as_bytes() == raw_event) {
            let v = String::from_utf8_lossy(raw_event).into_owned();
            if !values.contains(&v) {
                values.push(v);
            }
        }
    }

    fn case_index(&mut self, id: &[u8], hash: u64) -> usize {
        let cases = &self.data.cases;
        if let Some(i) = self.case_lookup.find(hash, |i| cases[i].id.is(id)) {
            return i;
        }
        let i = self.data.cases.len();
        self.case_lookup.insert(hash, i);
        self.data.cases.push(Case {
            // The record was checked to be UTF-8.
            id: match std::str::from_utf8(id) {
                Ok(id) => CaseId::new(id),
                Err(_) => CaseId::new(&String::from_utf8_lossy(id)),
            },
            events: CaseEvents::default(),
            first_seen: i64::MAX,
        });
        let d = &mut self.data;
        d.attrs.resize(d.attrs.len() + d.attr_columns.len(), 0);
        d.deadlines
            .resize(d.deadlines.len() + d.deadline_columns, None);
        i
    }
}

/// What parsing a row needs, apart from the source's growing state: shared by the threads
/// of a parallel read.
#[derive(Clone)]
struct RowParser<'a> {
    source: &'a Source,
    event_lookup: EventNames,
    deadline_columns: Vec<String>,
    hasher: DefaultHashBuilder,
}

/// Raw event value -> wanted event id. A handful of names, so a list beats hashing; sorted by
/// length, so that a value is compared only with the names of its length.
#[derive(Clone)]
struct EventNames {
    names: Vec<(Box<[u8]>, u16)>,
    /// Per length (the last entry: every longer one), the range of `names` of that length.
    by_len: [(u16, u16); 65],
}

impl EventNames {
    fn new(lookup: &HashMap<Box<[u8]>, u16>) -> EventNames {
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
    fn get(&self, raw: &[u8]) -> Option<u16> {
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
    fn parse_row(
        &self,
        record: &impl Record,
        cols: &Columns,
        p: &mut Parsed,
    ) -> std::result::Result<(), Skip> {
        p.events.clear();
        p.deadlines.clear();
        p.other_event = false;
        if record.width() != cols.width {
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
        (p.first, p.latest, p.plain) = (row_first, row_latest, row_plain);
        (p.low, p.high) = (row_first, row_latest);
        for &(_, t) in &p.deadlines {
            (p.low, p.high) = (p.low.min(t), p.high.max(t));
        }
        Ok(())
    }

    /// The hash of a parsed row's case id (0 for a skipped row).
    fn hash_id(
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

impl<'a> Reader<'a> {
    /// Counts used rows' latest time (and latest outside `by` columns) and how often each
    /// wanted event occurred.
    fn note_used(&mut self, latest: i64, plain: i64, event_counts: &[u64]) {
        if latest != i64::MIN {
            self.data.latest = Some(self.data.latest.map_or(latest, |l| l.max(latest)));
        }
        if plain != i64::MIN {
            self.data.latest_plain = Some(self.data.latest_plain.map_or(plain, |l| l.max(plain)));
        }
        for (total, n) in self.data.event_counts.iter_mut().zip(event_counts) {
            *total += n;
        }
    }

    /// Adds a parsed row to its case (`hash`: of the trimmed case id).
    fn apply_row(&mut self, record: &impl Record, cols: &Columns, p: &Parsed, hash: u64) {
        let id = record.field(cols.case).trim_ascii();
        for e in &p.events {
            self.data.event_counts[e.name() as usize] += 1;
        }
        self.note_used(p.latest, p.plain, &[]);
        let ci = self.case_index(id, hash);
        let n_attrs = self.data.attr_columns.len();
        for (k, &pos) in cols.attrs.iter().enumerate() {
            if pos == usize::MAX {
                continue;
            }
            let value = record.field(pos).trim_ascii();
            if self.source.is_null(value) {
                continue;
            }
            let current = self.data.attrs[ci * n_attrs + k];
            // Most rows repeat their case's value: no lookup then.
            if current != 0 && self.data.attr_values[k][current as usize].as_bytes() == value {
                continue;
            }
            self.data.attrs[ci * n_attrs + k] = self.intern_attr(k, value);
        }
        self.add_to_case(ci, p.first, &p.events, &p.deadlines);
    }

    /// Adds a used row's first time, events and deadlines to case `ci`.
    #[inline]
    fn add_to_case(&mut self, ci: usize, first: i64, events: &[Event], deadlines: &[(usize, i64)]) {
        let stride = self.data.deadline_columns;
        for &(k, last) in deadlines {
            self.data.deadlines[ci * stride + k] = Some(last);
        }
        let case = &mut self.data.cases[ci];
        case.first_seen = case.first_seen.min(first);
        let store = &mut self.data.event_store;
        for &e in events {
            if case.events.last(store).is_some_and(|last| last.t() > e.t()) {
                self.sorted = false;
            }
            case.events.push(e, store);
        }
    }

    /// The index of `value` among attribute column `k`'s values, added when new.
    fn intern_attr(&mut self, k: usize, value: &[u8]) -> u32 {
        let values = &mut self.data.attr_values[k];
        let hash = self.hasher.hash_one(value);
        let lookup = &mut self.attr_lookup[k];
        match lookup.find(hash, |&v| values[v as usize].as_bytes() == value) {
            Some(&v) => v,
            None => {
                values.push(String::from_utf8_lossy(value).into());
                let v = (values.len() - 1) as u32;
                let hasher = &self.hasher;
                lookup.insert_unique(hash, v, |&k| hasher.hash_one(values[k as usize].as_bytes()));
                v
            }
        }
    }

    /// Finishes the source: events in time order per case.
    pub fn finish(mut self) -> SourceData {
        if !self.sorted {
            let store = &mut self.data.event_store;
            for case in self.data.cases.iter_mut() {
                // Stable: events at the same instant keep their file order.
                case.events.as_mut_slice(store).sort_by_key(|e| e.t());
            }
        }
        self.data
    }

    /// Checks one file's header against the source without reading its rows.
    pub fn check_header(&mut self, input: impl Read, path: &str) -> Result<Vec<String>> {
        let headers = open_csv(self.source, input, path)?.headers;
        self.columns(&headers, path)?;
        Ok(headers)
    }
}

/// One row's fields: a CSV record, or a line of a quote-free block (`fast`).
trait Record {
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
struct Parsed {
    events: Vec<Event>,
    /// (index into `Case::deadlines`, the deadline's last instant)
    deadlines: Vec<(usize, i64)>,
    /// Earliest and latest event times on the row (declared deadlines excluded).
    first: i64,
    latest: i64,
    /// The latest time on the row in no column a standard reads as its deadline.
    plain: i64,
    /// Earliest and latest of every time on the row, deadlines included (for the
    /// plausibility warning).
    low: i64,
    high: i64,
    /// The row's event value is not one the standards ask for.
    other_event: bool,
}

/// Why a row was not used.
#[derive(Debug)]
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
        let bad = if low < PLAUSIBLE.0 {
            low
        } else if high >= PLAUSIBLE.1 {
            high
        } else {
            return;
        };
        self.note_implausible(1, bad, line);
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

    /// Counts a row that cannot be used under its reason, keeping the first example of each;
    /// with `strict`, the row stops the read instead.
    pub(crate) fn skip(&mut self, skip: Skip, path: &str, line: u64, strict: bool) -> Result<()> {
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

pub(crate) fn csv_error(path: &str, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        other => Error::Input {
            path: match line {
                Some(l) => format!("{path}:{l}"),
                None => path.to_string(),
            },
            message: format!("cannot read CSV: {other:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standards;
    use proptest::prelude::*;
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
        let e = read(EVENTS, b"ID,at,event\n", false)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "t.csv: missing column \"id\" (the case id, `case`) (did you mean \"ID\"?); the header has: \"ID\", \"at\", \"event\""
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
