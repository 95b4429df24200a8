//! Threaded message logs (`layout = "threads"`): one row per message, where a reply names the
//! message it answers (`reply_to`) instead of a case. Rows -> threads: a thread is a message
//! that answers no message in the logs, with every reply to it, transitively. Each event keeps
//! the message it is and the message it answers, so "each customer message gets a reply to that
//! message" can be judged. Owns the linking; knows nothing of standards beyond the source's
//! columns, and nothing of evaluation.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::ingest::{
    find, open_csv, Case, Event, InputStats, Link, Needs, OpenCsv, Skip, SourceData,
};
use crate::standards::{Catalog, Layout, Source};
use crate::time::stamp;

/// One message as read.
struct Msg {
    id: Box<str>,
    parent: Option<Box<str>>,
    t: i64,
    /// Wanted event id, when a standard reads this event.
    event: Option<u16>,
    /// Whether its event is one of `attributes_from`.
    gives_attrs: bool,
    /// Interned attribute values, in `attr_columns` order (0 = empty).
    attrs: Box<[u32]>,
}

/// Ids written as floats by a spreadsheet or pandas ("3.0") are the integer ids they stand for.
fn norm_id(raw: &[u8]) -> &[u8] {
    if let Some(dot) = raw.iter().position(|&b| b == b'.') {
        let (int, frac) = raw.split_at(dot);
        if !int.is_empty()
            && int.iter().all(u8::is_ascii_digit)
            && frac[1..].iter().all(|&b| b == b'0')
        {
            return int;
        }
    }
    raw
}

/// Reads every file of a threads source into threads.
pub fn read(
    catalog: &Catalog,
    source: usize,
    needs: Needs,
    strict: bool,
    paths: &[String],
) -> Result<SourceData> {
    let src = &catalog.sources[source];
    let Layout::Threads {
        message,
        reply_to,
        time,
        event,
        renames,
        attributes_from,
    } = &src.layout
    else {
        unreachable!("threads::read is called for threads sources only");
    };
    if let Some(by) = needs.deadlines.first() {
        return Err(Error::usage(format!(
            "source {:?} is a threads layout; deadline standards (`by = {by:?}`) need an events or cases layout",
            src.name
        )));
    }
    let mut reader = Threads {
        src,
        names: Names {
            message,
            reply_to,
            time,
            event,
        },
        renames,
        attributes_from,
        data: SourceData::new(source, needs.events.clone()),
        needs,
        event_memo: HashMap::new(),
        attr_lookup: Vec::new(),
        msgs: Vec::new(),
        index: hashbrown::HashMap::new(),
    };
    for path in paths {
        reader.read_file(path, strict)?;
    }
    let Threads {
        mut data,
        msgs,
        index,
        ..
    } = reader;
    build(&mut data, &msgs, &index, !attributes_from.is_empty());
    Ok(data)
}

/// The columns a threads layout names.
struct Names<'a> {
    message: &'a str,
    reply_to: &'a str,
    time: &'a str,
    event: &'a str,
}

/// Column positions of one file.
struct Columns {
    message: usize,
    reply: usize,
    time: usize,
    event: usize,
    /// Attribute column positions, in `attr_columns` order (`usize::MAX`: not in this file).
    attrs: Vec<usize>,
    width: usize,
}

/// The state of a threads source being read, shared by all its files.
struct Threads<'a> {
    src: &'a Source,
    names: Names<'a>,
    renames: &'a [(String, String)],
    attributes_from: &'a [String],
    needs: Needs,
    data: SourceData,
    /// Per raw event value: (wanted id, gives attributes).
    event_memo: HashMap<Box<[u8]>, (Option<u16>, bool)>,
    /// Per attribute column, value -> index into its `attr_values`.
    attr_lookup: Vec<HashMap<Box<[u8]>, u32>>,
    msgs: Vec<Msg>,
    /// Message id -> its row; hashed with foldhash, as every row looks its id up.
    index: hashbrown::HashMap<Box<str>, u32>,
}

impl Threads<'_> {
    /// Reads one file's messages.
    fn read_file(&mut self, path: &str, strict: bool) -> Result<()> {
        let (input, _) = crate::ingest::open_input(path)?;
        let OpenCsv {
            mut csv,
            headers,
            line_offset,
        } = open_csv(self.src, input, path)?;
        let cols = self.columns(&headers, path)?;
        let mut stats = InputStats {
            source: self.src.name.clone(),
            path: path.to_string(),
            ..InputStats::default()
        };
        let mut record = csv::ByteRecord::new();
        while crate::ingest::next_record(&mut csv, &mut record, path)? {
            if crate::ingest::is_blank_crlf(&record) {
                continue;
            }
            stats.rows += 1;
            let line = record.position().map_or(0, |p| p.line()) + line_offset;
            match self.message(&record, &cols) {
                Ok(m) => {
                    stats.used += 1;
                    stats.check_plausible(m.t, m.t, line);
                    self.index.insert(m.id.clone(), self.msgs.len() as u32);
                    self.msgs.push(m);
                }
                Err(skip) => stats.skip(skip, path, line, strict)?,
            }
        }
        stats.note_long_quotes(csv.get_ref());
        self.data.inputs.push(stats);
        Ok(())
    }

    /// Resolves one file's header; the first file fixes the attribute columns.
    fn columns(&mut self, headers: &[String], path: &str) -> Result<Columns> {
        let n = &self.names;
        let message = find(headers, n.message, path, "the message id, `message`")?;
        let reply = find(
            headers,
            n.reply_to,
            path,
            "the message answered, `reply_to`",
        )?;
        let time = find(headers, n.time, path, "the message time, `time`")?;
        let event = find(headers, n.event, path, "the event name, `event`")?;
        let named = crate::ingest::unique_names(headers);
        let taken = [message, reply, time, event];
        for (col, why) in &self.needs.columns {
            if taken.contains(&find(&named, col, path, why)?) {
                return Err(Error::Input {
                    path: path.to_string(),
                    message: format!(
                        "column {col:?} ({why}) is the message, reply, time or event column, not an attribute"
                    ),
                });
            }
        }
        let data = &mut self.data;
        if data.inputs.is_empty() {
            data.attr_columns = named
                .iter()
                .enumerate()
                .filter(|(i, h)| !taken.contains(i) && !h.is_empty())
                .map(|(_, h)| h.clone())
                .collect();
            data.attr_values = vec![vec!["".into()]; data.attr_columns.len()];
            self.attr_lookup = vec![HashMap::new(); data.attr_columns.len()];
        }
        Ok(Columns {
            message,
            reply,
            time,
            event,
            attrs: crate::ingest::positions(&named, &data.attr_columns),
            width: headers.len(),
        })
    }

    /// One row as a message, or why it cannot be used.
    fn message(
        &mut self,
        record: &csv::ByteRecord,
        cols: &Columns,
    ) -> std::result::Result<Msg, Skip> {
        let (src, n) = (self.src, &self.names);
        if record.len() != cols.width {
            return Err(Skip {
                reason: "wrong number of fields",
                column: None,
                detail: format!(
                    "{} fields where the header has {}",
                    record.len(),
                    cols.width
                ),
            });
        }
        if std::str::from_utf8(record.as_slice()).is_err() {
            return Err(Skip {
                reason: "invalid UTF-8",
                column: None,
                detail: "the row is not valid UTF-8 text (re-export the file as UTF-8)".into(),
            });
        }
        let cell = |i: usize| record[i].trim_ascii();
        let id = norm_id(cell(cols.message));
        if src.is_null(id) {
            return Err(Skip {
                reason: "missing message id",
                column: Some(n.message.to_string()),
                detail: "empty message id".into(),
            });
        }
        if self
            .index
            .contains_key(std::str::from_utf8(id).unwrap_or_default())
        {
            return Err(Skip {
                reason: "duplicate message id",
                column: Some(n.message.to_string()),
                detail: format!("message {:?} appeared on an earlier row", text(id)),
            });
        }
        let raw_t = cell(cols.time);
        if src.is_null(raw_t) {
            return Err(Skip {
                reason: "missing timestamp",
                column: Some(n.time.to_string()),
                detail: "empty time".into(),
            });
        }
        let t = stamp::parse(raw_t, &src.time_format, src.timezone)
            .ok_or_else(|| Skip {
                reason: "unparseable timestamp",
                column: Some(n.time.to_string()),
                detail: format!(
                    "{:?} is not a time; expected {}",
                    text(raw_t),
                    src.time_format.describe()
                ),
            })?
            .secs;
        let raw_event = cell(cols.event);
        if src.is_null(raw_event) {
            return Err(Skip {
                reason: "missing event name",
                column: Some(n.event.to_string()),
                detail: "empty event name".into(),
            });
        }
        let (wanted, gives_attrs) = self.event_of(raw_event);
        let parent = norm_id(cell(cols.reply));
        let mut attrs = vec![0u32; cols.attrs.len()];
        for (k, &pos) in cols.attrs.iter().enumerate() {
            if pos == usize::MAX {
                continue;
            }
            let v = cell(pos);
            if !src.is_null(v) {
                attrs[k] = self.intern_attr(k, v);
            }
        }
        if wanted.is_none() && self.data.other_event_values.len() < 12 {
            let v = self.name_of(&text(raw_event));
            if !self.data.other_event_values.contains(&v) {
                self.data.other_event_values.push(v);
            }
        }
        Ok(Msg {
            id: text(id).into(),
            parent: (!src.is_null(parent)).then(|| text(parent).into()),
            t,
            event: wanted,
            gives_attrs,
            attrs: attrs.into(),
        })
    }

    /// Raw event value -> the name the standards use.
    fn name_of(&self, raw: &str) -> String {
        self.renames
            .iter()
            .find(|(r, _)| r == raw)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| raw.to_string())
    }

    /// A raw event value's wanted event id and whether it gives the thread its attributes.
    fn event_of(&mut self, raw_event: &[u8]) -> (Option<u16>, bool) {
        // Looked up before it is inserted: a key made for every row allocated per row.
        if let Some(&known) = self.event_memo.get(raw_event) {
            return known;
        }
        let name = self.name_of(&text(raw_event));
        let wanted = self
            .needs
            .events
            .iter()
            .position(|n| *n == name)
            .map(|i| i as u16);
        let memo = (wanted, self.attributes_from.contains(&name));
        self.event_memo.insert(raw_event.into(), memo);
        memo
    }

    /// The index of `value` among attribute column `k`'s values, added when new.
    fn intern_attr(&mut self, k: usize, value: &[u8]) -> u32 {
        let lookup = &mut self.attr_lookup[k];
        match lookup.get(value) {
            Some(&i) => i,
            None => {
                let values = &mut self.data.attr_values[k];
                values.push(text(value).into());
                let i = (values.len() - 1) as u32;
                lookup.insert(value.into(), i);
                i
            }
        }
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// No message: the parent of a message that answers none in the logs.
const NONE: u32 = u32::MAX;

/// The first message of each message's thread, from each message's parent (or [`NONE`]); a
/// reply to a message outside the logs starts its own thread, and so does a message on a
/// cycle of replies (which real ids cannot form). Each message is walked up from once: a walk
/// stops at the first message whose thread is known, and marks the messages it passed, so
/// that a chain of replies listed newest first costs its length, not its length squared.
fn roots(parent: &[u32]) -> Vec<u32> {
    let mut root = vec![NONE; parent.len()];
    // The walk a message is on (the message it started from), to find a cycle in one step.
    let mut on_walk = vec![NONE; parent.len()];
    let mut chain = Vec::new();
    for i in 0..parent.len() {
        chain.clear();
        let mut at = i as u32;
        let found = loop {
            if root[at as usize] != NONE {
                break root[at as usize];
            }
            if on_walk[at as usize] == i as u32 {
                break i as u32;
            }
            on_walk[at as usize] = i as u32;
            chain.push(at);
            match parent[at as usize] {
                NONE => break at,
                p => at = p,
            }
        };
        for &c in &chain {
            root[c as usize] = found;
        }
    }
    root
}

/// Links messages into threads and fills `data.cases` and `data.links`.
fn build(
    data: &mut SourceData,
    msgs: &[Msg],
    index: &hashbrown::HashMap<Box<str>, u32>,
    from_only: bool,
) {
    let parent: Vec<u32> = msgs
        .iter()
        .map(|m| {
            m.parent
                .as_ref()
                .and_then(|p| index.get(p).copied())
                .unwrap_or(NONE)
        })
        .collect();
    let root = roots(&parent);
    // Threads in the order their first row was read.
    let mut case_of_root: HashMap<u32, usize> = HashMap::new();
    let mut members: Vec<Vec<u32>> = Vec::new();
    for (i, &r) in root.iter().enumerate() {
        let c = *case_of_root.entry(r).or_insert_with(|| {
            members.push(Vec::new());
            members.len() - 1
        });
        members[c].push(i as u32);
    }
    let n_attrs = data.attr_columns.len();
    for (c, mut list) in members.into_iter().enumerate() {
        // Time order; equal times keep file order (the sort is stable).
        list.sort_by_key(|&m| msgs[m as usize].t);
        let root_msg = &msgs[root[list[0] as usize] as usize];
        let mut attrs = vec![0u32; n_attrs];
        let mut from_events = vec![false; n_attrs];
        for &m in &list {
            let msg = &msgs[m as usize];
            for k in 0..n_attrs {
                let v = msg.attrs[k];
                if v == 0 {
                    continue;
                }
                // `attributes_from` rows give the value (the first of them); other rows only
                // until such a row appears, and not at all when attributes_from is set.
                if msg.gives_attrs {
                    if !from_events[k] {
                        attrs[k] = v;
                        from_events[k] = true;
                    }
                } else if !from_only {
                    attrs[k] = v;
                }
            }
        }
        let mut events = Vec::new();
        let mut links = Vec::new();
        for &m in &list {
            let msg = &msgs[m as usize];
            if let Some(e) = msg.event {
                data.event_counts[e as usize] += 1;
                events.push(Event::new(msg.t, e));
                links.push(Link {
                    message: m,
                    answers: parent[m as usize],
                });
            }
        }
        let first = list
            .iter()
            .map(|&m| msgs[m as usize].t)
            .min()
            .unwrap_or(i64::MAX);
        let last = list.iter().map(|&m| msgs[m as usize].t).max();
        if let Some(l) = last {
            data.latest = Some(data.latest.map_or(l, |x| x.max(l)));
        }
        debug_assert_eq!(c, data.cases.len());
        data.cases.push(Case {
            id: crate::ingest::CaseId::new(&root_msg.id),
            events: crate::ingest::CaseEvents::from_slice(&events, &mut data.event_store),
            first_seen: first,
        });
        data.attrs.extend_from_slice(&attrs);
        data.links.push(links.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `roots` as it was, with a scan of the walk for a cycle: the reference.
    fn roots_by_scan(parent: &[u32]) -> Vec<u32> {
        let mut root = vec![NONE; parent.len()];
        let mut chain = Vec::new();
        for i in 0..parent.len() {
            chain.clear();
            let mut at = i as u32;
            let found = loop {
                if root[at as usize] != NONE {
                    break root[at as usize];
                }
                if chain.len() > parent.len() || chain.contains(&at) {
                    break i as u32;
                }
                chain.push(at);
                match parent[at as usize] {
                    NONE => break at,
                    p => at = p,
                }
            };
            for &c in &chain {
                root[c as usize] = found;
            }
        }
        root
    }

    proptest! {
        /// Any parents, cycles and self-replies included, give the threads the scan gave.
        #[test]
        fn roots_equal_the_scan(picks in proptest::collection::vec(0u32..60, 0..60)) {
            let n = picks.len() as u32;
            // About one message in four answers none.
            let parent: Vec<u32> = picks.iter().map(|&p| if p % 4 == 0 || n == 0 { NONE } else { p % n }).collect();
            prop_assert_eq!(roots(&parent), roots_by_scan(&parent));
        }
    }

    #[test]
    fn a_long_chain_newest_first_is_one_thread() {
        // Message k answers message k + 1; the last answers none, so it starts the thread.
        let n = 100_000u32;
        let parent: Vec<u32> = (0..n)
            .map(|k| if k + 1 < n { k + 1 } else { NONE })
            .collect();
        assert!(roots(&parent).iter().all(|&r| r == n - 1));
        // A cycle: each message on it starts its own walk's thread, as before.
        assert_eq!(roots(&[1, 2, 0]), roots_by_scan(&[1, 2, 0]));
        assert_eq!(roots(&[0]), vec![0]);
    }
}
