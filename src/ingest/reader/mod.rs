//! Reading one source's events and cases layouts: the header resolved to columns, each row
//! parsed without touching the source's state (so rows parse on several threads, see
//! `fast`) and then added to its case, or counted as skipped under its reason.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Read;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::compact::CaseTable;
use super::dates;
use super::dialect::{is_blank_crlf, open_csv, OpenCsv};
use super::quotes::{next_record, Guarded};
use super::{
    open_input, Case, CaseEvents, CaseId, Event, InputStats, Needs, Promise, Skip, SourceData,
};
use crate::error::Result;
use crate::standards::{Catalog, Layout, Source};

mod columns;
mod row;

pub(super) use columns::Columns;
pub(crate) use row::NOT_A_NUMBER;
pub(super) use row::{EventNames, Parsed, Record, RowParser};

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
