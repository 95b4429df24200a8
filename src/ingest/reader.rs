//! Reading one source's events and cases layouts: the header resolved to columns, each row
//! parsed without touching the source's state (so rows parse on several threads, see
//! `fast`) and then added to its case, or counted as skipped under its reason.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Read;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::compact::{self, CaseTable};
use super::dates;
use super::dialect::{is_blank_crlf, open_csv, OpenCsv};
use super::header::{find, positions, unique_names};
use super::quotes::{next_record, Guarded};
use super::{
    open_input, Case, CaseEvents, CaseId, DeadlineRef, Event, InputStats, Needs, Promise, Skip,
    SourceData, MIXED_LINE_ENDS,
};
use crate::error::{Error, Result};
use crate::standards::{Catalog, Layout, Source};
use crate::time::calendar::Calendar;
use crate::time::stamp::{self, Stamp};

/// A milestone column of the cases layout.
pub(super) struct Milestone {
    pub(super) pos: usize,
    /// Wanted event id, or None when no standard reads it as an event.
    pub(super) wanted: Option<u16>,
    /// The source declares it a deadline (`deadlines`): a promise, not something that happened.
    pub(super) promised: bool,
    /// A standard reads it as its deadline (`by`).
    pub(super) by: bool,
}

/// Column positions in one file's header.
pub(super) struct Columns {
    pub(super) case: usize,
    pub(super) time: Option<usize>,
    pub(super) event: Option<usize>,
    pub(super) milestones: Vec<Milestone>,
    /// Attribute column positions, in `attr_columns` order.
    pub(super) attrs: Vec<usize>,
    /// Deadline column positions, in `Case::deadlines` order.
    pub(super) deadlines: Vec<usize>,
    /// Milestones that are another's time plus a duration column, in `Source::derived` order.
    pub(super) derived: Vec<DerivedColumn>,
    /// Number columns of value standards, in `SourceData::value_needs` order.
    pub(super) values: Vec<ValueColumn>,
    pub(super) width: usize,
}

/// Where a value standard's number column is in one file's header, and on which rows it is
/// read.
pub(super) struct ValueColumn {
    /// `usize::MAX`: the file lacks it (no selected standard reads it).
    pub(super) pos: usize,
    /// Read on the rows of these events only, the first in time counting; `every_row`: on
    /// every row, the latest number in file order counting.
    pub(super) on: Vec<u16>,
    pub(super) every_row: bool,
    pub(super) name: String,
    /// A selected standard reads it: its cells that are not numbers are worth a warning.
    pub(super) warn: bool,
}

/// Where a derived milestone's columns are in one file's header.
pub(super) struct DerivedColumn {
    /// The duration column.
    pub(super) pos: usize,
    /// The column of the milestone it follows.
    pub(super) after: usize,
    pub(super) wanted: Option<u16>,
}

/// The state of a source being read, shared by all its files.
pub struct Reader<'a> {
    pub(super) source: &'a Source,
    pub(super) data: SourceData,
    pub(super) needs: Needs,
    /// Raw event value -> wanted event id.
    pub(super) event_lookup: HashMap<Box<[u8]>, u16>,
    /// Case id -> index into `data.cases`, hashed with `hasher` (the key is the case's id).
    pub(super) case_lookup: CaseTable,
    /// Per attribute column, value -> index into its `attr_values`.
    pub(super) attr_lookup: Vec<HashTable<u32>>,
    pub(super) hasher: DefaultHashBuilder,
    pub(super) deadline_columns: Vec<String>,
    pub(super) strict: bool,
    pub(super) sorted: bool,
    /// Per promised-time column (an index into `Case::deadlines`), the `each` event ids whose
    /// rows hold a promise (`Needs::promises`, resolved with each file's header).
    pub(super) promise_specs: Vec<(usize, Vec<u16>)>,
    /// Per deadline column (as `deadline_columns`), whether it holds dates written as
    /// midnights (`dates.rs`).
    pub(super) dates: Vec<dates::Column>,
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
        data.value_columns = needs.values.len();
        data.value_needs = needs.values.clone();
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
            promise_specs: Vec::new(),
            dates: Vec::new(),
        }
    }

    /// Resolves the header of one file; the first file fixes the attribute columns.
    pub(super) fn columns(&mut self, headers: &[String], path: &str) -> Result<Columns> {
        self.check_missing(headers, path)?;
        let case = find(headers, &self.source.case, path, "the case id, `case`")?;
        // Every column the source reads as other than an attribute.
        let mut taken = vec![case];
        let (time, event, mut milestones) = self.layout_columns(headers, path, &mut taken)?;
        let derived = self.derived_columns(headers, path, &mut taken)?;
        let values = self.value_columns(headers, path, &mut taken)?;
        let named = unique_names(headers);
        self.check_attribute_columns(&named, &taken, &values, path)?;
        let deadlines = self.deadline_positions(headers, path)?;
        self.resolve_promises();
        if let Layout::Cases { milestones: named } = &self.source.layout {
            for (m, (_, col)) in milestones.iter_mut().zip(named) {
                m.by = self.deadline_columns.contains(col);
            }
        }
        if self.data.inputs.is_empty() {
            self.fix_attributes(&named, &taken);
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
            derived,
            values,
            width: headers.len(),
        })
    }

    /// Every column the source reads that the export lacks, named at once (with a preset's
    /// own wording, as a preset names many columns).
    fn check_missing(&self, headers: &[String], path: &str) -> Result<()> {
        let src = self.source;
        if let Some(preset) = &src.preset {
            let missing = src
                .columns_read()
                .filter(|c| !headers.iter().any(|h| h == *c));
            let missing: Vec<String> = missing.map(|c| format!("{c:?}")).collect();
            if !missing.is_empty() {
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "missing column{} {} of preset {preset:?} (`yardstick presets {preset}` lists what it reads); name the export's own columns in the source table to override the preset's",
                        if missing.len() == 1 { "" } else { "s" },
                        missing.join(", ")
                    ),
                });
            }
        }
        let read: Vec<&str> = src.columns_read().collect();
        match super::header::missing_columns(headers, &read, path) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The layout's own columns: time and event (events, threads), or the milestones (cases).
    #[allow(clippy::type_complexity)] // three parts of one header, named where they are used
    fn layout_columns(
        &self,
        headers: &[String],
        path: &str,
        taken: &mut Vec<usize>,
    ) -> Result<(Option<usize>, Option<usize>, Vec<Milestone>)> {
        let src = self.source;
        Ok(match &src.layout {
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
        })
    }

    /// Milestones that are another's time plus a duration column.
    fn derived_columns(
        &self,
        headers: &[String],
        path: &str,
        taken: &mut Vec<usize>,
    ) -> Result<Vec<DerivedColumn>> {
        let mut derived = Vec::new();
        for d in &self.source.derived {
            let why = format!("the duration of milestone {:?}", d.name);
            let pos = find(headers, &d.column, path, &why)?;
            taken.push(pos);
            derived.push(DerivedColumn {
                pos,
                after: find(headers, &d.after_column, path, &why)?,
                wanted: self.data.event_id(&d.name),
            });
        }
        Ok(derived)
    }

    /// Number columns of value standards: read as numbers, never kept as attributes.
    fn value_columns(
        &self,
        headers: &[String],
        path: &str,
        taken: &mut Vec<usize>,
    ) -> Result<Vec<ValueColumn>> {
        let mut values = Vec::new();
        for need in &self.needs.values {
            let pos = if need.required {
                let why = format!("the value of standard {:?}", need.standard);
                find(headers, &need.column, path, &why)?
            } else {
                headers
                    .iter()
                    .position(|h| *h == need.column)
                    .unwrap_or(usize::MAX)
            };
            if pos != usize::MAX {
                taken.push(pos);
            }
            values.push(ValueColumn {
                pos,
                on: need
                    .on
                    .iter()
                    .filter_map(|e| self.data.event_id(e))
                    .collect(),
                every_row: need.on.is_empty(),
                name: need.column.clone(),
                warn: need.required,
            });
        }
        Ok(values)
    }

    /// Attribute columns (where, --by, calendar.by), found by their unique names: each must
    /// be one the source does not read as something else.
    fn check_attribute_columns(
        &self,
        named: &[String],
        taken: &[usize],
        values: &[ValueColumn],
        path: &str,
    ) -> Result<()> {
        let others = || -> Vec<String> {
            named
                .iter()
                .enumerate()
                .filter(|(k, h)| !taken.contains(k) && !h.is_empty())
                .map(|(_, h)| format!("{h:?}"))
                .collect()
        };
        for (col, why) in &self.needs.columns {
            let i = find(named, col, path, why)?;
            // A value standard's number column: say so, and whose.
            if let Some(k) = values.iter().position(|v| v.pos == i) {
                let others = others();
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "column {col:?} ({why}) holds the numbers of value standard {:?} \
                         (`value = {col:?}`), read as numbers, not as an attribute; `where`, --by \
                         and `calendar.by` take the other columns: {}",
                        self.needs.values[k].standard,
                        if others.is_empty() {
                            "this log has none".to_string()
                        } else {
                            others.join(", ")
                        }
                    ),
                });
            }
            if taken.contains(&i) {
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "column {col:?} ({why}) is one the source reads as its case, time, event \
                         or a milestone, not an attribute; `where`, --by and `calendar.by` take \
                         the other columns: {}",
                        others().join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// Deadlines: a milestone (cases), a column, or else an event (events layout), as the
    /// first file decides; a later file without an events-layout deadline column has no
    /// deadline values (its position stays usize::MAX). The positions, in
    /// `deadline_columns` order.
    fn deadline_positions(&mut self, headers: &[String], path: &str) -> Result<Vec<usize>> {
        let src = self.source;
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
                    let idx = self.deadline_column(&col);
                    if deadlines.len() <= idx {
                        deadlines.resize(idx + 1, usize::MAX);
                    }
                    if let Some(pos) = pos {
                        deadlines[idx] = pos;
                    }
                    DeadlineRef::Column(idx)
                }
                None => DeadlineRef::Event(self.deadline_event(&by)),
            };
            self.data.deadline_by.insert(by, reference);
        }
        Ok(deadlines)
    }

    /// The index of deadline column `col`, added (with its dates rule) when new.
    fn deadline_column(&mut self, col: &str) -> usize {
        if let Some(i) = self.deadline_columns.iter().position(|c| c == col) {
            return i;
        }
        self.deadline_columns.push(col.to_string());
        let src = self.source;
        self.dates.push(dates::Column::new(
            col,
            &src.date_columns,
            &src.time_columns,
        ));
        self.deadline_columns.len() - 1
    }

    /// The event id of a deadline read as an event, added when no standard reads it.
    fn deadline_event(&mut self, by: &str) -> u16 {
        if let Some(e) = self.data.event_id(by) {
            return e;
        }
        self.data.event_names.push(by.to_string());
        self.data.event_counts.push(0);
        let e = (self.data.event_names.len() - 1) as u16;
        if !self.event_lookup.contains_key(by.as_bytes()) {
            self.event_lookup.insert(by.as_bytes().into(), e);
        }
        e
    }

    /// A promised time is read from a column only (a missing one is a missing column).
    fn resolve_promises(&mut self) {
        self.promise_specs = self
            .needs
            .promises
            .iter()
            .filter_map(|(by, each)| match self.data.deadline_by.get(by) {
                Some(&DeadlineRef::Column(k)) => Some((
                    k,
                    each.iter().filter_map(|e| self.data.event_id(e)).collect(),
                )),
                _ => None,
            })
            .collect();
    }

    /// The first file's attribute columns: every column not taken (a name used twice in the
    /// header: the second attribute is "name_2", and so on).
    fn fix_attributes(&mut self, named: &[String], taken: &[usize]) {
        self.data.attr_columns = named
            .iter()
            .enumerate()
            // Unnamed columns (a spreadsheet's or pandas' row index) are not attributes.
            .filter(|(i, h)| !taken.contains(i) && !h.is_empty())
            .filter(|(_, h)| {
                !self.needs.named_attributes_only || self.needs.columns.iter().any(|(c, _)| c == *h)
            })
            .map(|(_, h)| h.clone())
            .collect();
        self.data.attr_values = vec![vec!["".into()]; self.data.attr_columns.len()];
        self.attr_lookup = vec![HashTable::new(); self.data.attr_columns.len()];
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

    pub(super) fn parser(&self) -> RowParser<'a> {
        RowParser {
            source: self.source,
            event_lookup: EventNames::new(&self.event_lookup),
            deadline_columns: self.deadline_columns.clone(),
            hasher: self.hasher.clone(),
        }
    }

    pub(super) fn stats(&self, path: &str) -> InputStats {
        InputStats {
            source: self.source.name.clone(),
            path: path.to_string(),
            ..InputStats::default()
        }
    }

    /// Reads the records of `csv` on the calling thread; `line_base` is the number of lines
    /// before the reader's first line.
    pub(super) fn records(
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
        stats.note_long_quotes(csv.get_ref());
        Ok(())
    }

    /// Counts one parsed row as used (adding it to its case) or skipped.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn account(
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
                    if parsed.bad_numbers > 0 {
                        stats.note_bad_numbers(
                            u64::from(parsed.bad_numbers),
                            parsed.first_bad_number.as_ref(),
                            path,
                            line,
                            self.strict,
                        )?;
                    }
                }
                Err(skip) => stats.skip(skip, path, line, self.strict)?,
            }
        }
        Ok(())
    }

    pub(super) fn note_other_event(&mut self, raw_event: &[u8]) {
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

    pub(super) fn case_index(&mut self, id: &[u8], hash: u64) -> usize {
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
        if d.value_columns > 0 {
            d.values
                .resize(d.values.len() + d.value_columns, (i64::MAX, f64::NAN));
        }
        i
    }
}

/// What parsing a row needs, apart from the source's growing state: shared by the threads
/// of a parallel read.
#[derive(Clone)]
pub(super) struct RowParser<'a> {
    pub(super) source: &'a Source,
    pub(super) event_lookup: EventNames,
    pub(super) deadline_columns: Vec<String>,
    pub(super) hasher: DefaultHashBuilder,
}

/// Raw event value -> wanted event id. A handful of names, so a list beats hashing; sorted by
/// length, so that a value is compared only with the names of its length.
#[derive(Clone)]
pub(super) struct EventNames {
    pub(super) names: Vec<(Box<[u8]>, u16)>,
    /// Per length (the last entry: every longer one), the range of `names` of that length.
    pub(super) by_len: [(u16, u16); 65],
}

impl EventNames {
    pub(super) fn new(lookup: &HashMap<Box<[u8]>, u16>) -> EventNames {
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
    pub(super) fn get(&self, raw: &[u8]) -> Option<u16> {
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
    pub(super) fn parse_row(
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
                                reason: super::UNPARSEABLE_NUMBER,
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
    pub(super) fn hash_id(
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
    pub(super) fn note_used(&mut self, latest: i64, plain: i64, event_counts: &[u64]) {
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
    pub(super) fn apply_row(
        &mut self,
        record: &impl Record,
        cols: &Columns,
        p: &Parsed,
        hash: u64,
    ) {
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
        self.add_to_case(ci, p.first, &p.events, &p.deadlines, &p.values);
    }

    /// Adds a used row's first time, events and deadlines to case `ci`.
    #[inline]
    pub(super) fn add_to_case(
        &mut self,
        ci: usize,
        first: i64,
        events: &[Event],
        deadlines: &[(usize, i64)],
        values: &[(usize, i64, f64)],
    ) {
        let stride = self.data.deadline_columns;
        for &(k, last) in deadlines {
            self.data.deadlines[ci * stride + k] = Some(last);
            if let Some(c) = self.dates.get_mut(k).filter(|c| c.open) {
                c.see(last, self.source.timezone);
            }
        }
        // An `on` column keeps the row of the case's first such event (the earliest; at one
        // instant the first in the file, as the events' stable sort orders them); a column
        // read on every row keeps its latest number in file order, as attributes do.
        let stride = self.data.value_columns;
        for &(k, t, v) in values {
            // A number from a row after the as-of is not known as of then (a past audit must
            // not change when rows are appended).
            if self.needs.values_as_of.is_some_and(|cut| t > cut) {
                continue;
            }
            let slot = &mut self.data.values[ci * stride + k];
            if self.data.value_needs[k].on.is_empty() || t < slot.0 {
                *slot = (t, v);
            }
        }
        // Each promise with its event, so that an occurrence is judged by its own row's.
        for (k, ids) in &self.promise_specs {
            for e in events.iter().filter(|e| ids.contains(&e.name())) {
                self.data.promises.push(Promise {
                    case: ci as u32,
                    t: e.t(),
                    name: e.name(),
                    column: *k as u16,
                    due: deadlines.iter().find(|d| d.0 == *k).map(|d| d.1),
                });
            }
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
    pub(super) fn intern_attr(&mut self, k: usize, value: &[u8]) -> u32 {
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
        if !self.promise_specs.is_empty() {
            // Stable, as the events' sort: promises at one instant keep their file order, so
            // the n-th occurrence of a case's event is the n-th promise of that event.
            let d = &mut self.data;
            d.promises.sort_by_key(|p| (p.case, p.t));
            d.promise_at = vec![0; d.cases.len() + 1];
            for p in &d.promises {
                d.promise_at[p.case as usize + 1] += 1;
            }
            for i in 0..d.cases.len() {
                d.promise_at[i + 1] += d.promise_at[i];
            }
        }
        self.data.midnight_dates = dates::resolve(
            &mut self.data,
            &self.dates,
            &self.deadline_columns,
            self.source.timezone,
        );
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
pub(super) trait Record {
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
pub(super) struct Parsed {
    pub(super) events: Vec<Event>,
    /// (index into `Case::deadlines`, the deadline's last instant)
    pub(super) deadlines: Vec<(usize, i64)>,
    /// (index into the value columns, the time of the row, its number or NaN for none)
    pub(super) values: Vec<(usize, i64, f64)>,
    /// Earliest and latest event times on the row (declared deadlines excluded).
    pub(super) first: i64,
    pub(super) latest: i64,
    /// The latest time on the row in no column a standard reads as its deadline.
    pub(super) plain: i64,
    /// Earliest and latest of every time on the row, deadlines included (for the
    /// plausibility warning).
    pub(super) low: i64,
    pub(super) high: i64,
    /// The row's event value is not one the standards ask for.
    pub(super) other_event: bool,
    /// Cells of selected value standards' columns on the row that are not numbers, and the
    /// first of them (for the warning; the row is used).
    pub(super) bad_numbers: u32,
    pub(super) first_bad_number: Option<Skip>,
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
