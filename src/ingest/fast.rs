//! The parallel read of one file: the same rows, skips, line numbers and cases as
//! [`Reader::read`], with parsing spread over every core.
//!
//! A reader thread cuts the input into blocks of about 256 KiB at line ends. A line end is a
//! record end only where no quoted field can span it, so a block is parsed in parallel only
//! when it holds no `"` and no `\r`: there a record is a line and a field is the text between
//! delimiters, exactly as the csv crate reads it (empty lines are not records). Worker
//! threads split, check and parse the blocks' rows (timestamps, event names, deadlines, case
//! id hashes); the calling thread adds them to their cases in file order, so case order,
//! attribute values and the first skip of each reason are those of a sequential read. From
//! the first block with a quote or a carriage return on, the rest of the file is read on the
//! calling thread with the csv crate. Memory is bounded by a fixed number of blocks in flight.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use memchr::{memchr, memchr2, memrchr};

use super::{Columns, Event, Parsed, Reader, Record, RowParser, Skip};
use crate::error::{Error, Result};

/// Bytes per block.
const BLOCK: usize = 1 << 18;
/// Files at least this large show a progress bar when stderr is a terminal.
const PROGRESS_BYTES: u64 = 64 << 20;

/// A line of a quote-free block: fields are spans of the block.
struct Line<'b> {
    block: &'b [u8],
    span: (u32, u32),
    fields: &'b [(u32, u32)],
}

impl Record for Line<'_> {
    fn width(&self) -> usize {
        self.fields.len()
    }
    fn field(&self, i: usize) -> &[u8] {
        let (a, b) = self.fields[i];
        &self.block[a as usize..b as usize]
    }
    fn bytes(&self) -> &[u8] {
        &self.block[self.span.0 as usize..self.span.1 as usize]
    }
}

enum Work {
    /// A quote-free block of whole lines.
    Block(u64, Vec<u8>),
    /// The rest of the input starts with these bytes and is read sequentially.
    Tail(u64, Vec<u8>),
}

enum Done {
    Batch(Box<Batch>),
    Tail(Vec<u8>),
}

/// One row of a parsed block: what adding it to its case needs, and no more (the calling
/// thread reads every row of every block, from memory another core wrote).
struct Row {
    hash: u64,
    first: i64,
    /// The trimmed case id: a span of the block.
    id: (u32, u32),
    events: (u32, u32),
    deadlines: (u32, u32),
    values: (u32, u32),
    /// Index into `Batch::skips`, or `u32::MAX` when the row is used.
    skip: u32,
}

/// A parsed block.
struct Batch {
    block: Vec<u8>,
    /// Line ends in the block.
    lines: u64,
    rows: Vec<Row>,
    events: Vec<Event>,
    deadlines: Vec<(usize, i64)>,
    /// The numbers of value standards' columns, per used row (spans: `Row::values`).
    numbers: Vec<(usize, i64, f64)>,
    /// Skipped rows: the line (lines before it in the block) and why.
    skips: Vec<(u32, Option<Skip>)>,
    /// Per used row, per attribute column: the value's index in `values[column]` (`u32::MAX`:
    /// no value), values being numbered per block so that the calling thread looks each up once.
    attrs: Vec<u32>,
    values: Vec<Vec<(u32, u32)>>,
    /// The first few distinct event values no standard asked for, in order (spans of `block`).
    other_events: Vec<(u32, u32)>,
    /// Used rows with a time outside `PLAUSIBLE`: how many, and the first one's line (lines
    /// before it in the block) and time.
    implausible: u64,
    first_implausible: (u32, i64),
    /// Cells of value columns that are not numbers on used rows: how many, and the first
    /// one's line (lines before it in the block) and description.
    bad_numbers: u64,
    first_bad_number: Option<(u32, Skip)>,
    /// Over the used rows: how many, the latest time, how often each wanted event occurs.
    used: u64,
    latest: i64,
    plain: i64,
    event_counts: Vec<u64>,
}

fn parse_block(parser: &RowParser, cols: &Columns, delimiter: u8, block: Vec<u8>) -> Batch {
    let mut b = Batch {
        rows: Vec::with_capacity(block.len() / 48),
        events: Vec::with_capacity(block.len() / 48),
        deadlines: Vec::new(),
        numbers: Vec::new(),
        skips: Vec::new(),
        attrs: Vec::with_capacity(block.len() / 48 * cols.attrs.len()),
        values: vec![Vec::new(); cols.attrs.len()],
        other_events: Vec::new(),
        implausible: 0,
        first_implausible: (0, 0),
        bad_numbers: 0,
        first_bad_number: None,
        used: 0,
        latest: i64::MIN,
        plain: i64::MIN,
        event_counts: Vec::new(),
        lines: 0,
        block: Vec::new(),
    };
    let mut seen: Vec<hashbrown::HashMap<&[u8], u32>> =
        vec![hashbrown::HashMap::new(); cols.attrs.len()];
    let mut parsed = Parsed::default();
    let mut fields: Vec<(u32, u32)> = Vec::with_capacity(cols.width + 1);
    let mut start = 0usize;
    let mut line_no = 0u32;
    let bytes = &block[..];
    let span = |value: &[u8]| {
        let at = value.as_ptr() as usize - bytes.as_ptr() as usize;
        (at as u32, (at + value.len()) as u32)
    };
    // One scan for delimiters and line ends: fields are pushed as they end.
    let mut hits = super::split::Hits::new(bytes, delimiter);
    let mut a = 0usize;
    loop {
        let (end, newline) = loop {
            match hits.next() {
                Some(i) if bytes[i] == delimiter => {
                    fields.push((a as u32, i as u32));
                    a = i + 1;
                }
                Some(i) => break (i, true),
                None => break (bytes.len(), false),
            }
        };
        if !newline && start >= bytes.len() {
            break;
        }
        if end > start {
            fields.push((a as u32, end as u32));
            let line = Line {
                block: bytes,
                span: (start as u32, end as u32),
                fields: &fields,
            };
            let result = parser.parse_row(&line, cols, &mut parsed);
            if parsed.other_event && b.other_events.len() < 12 {
                let value = line.field(cols.event.expect("events layout")).trim_ascii();
                if !b
                    .other_events
                    .iter()
                    .any(|&(a, z)| &bytes[a as usize..z as usize] == value)
                {
                    b.other_events.push(span(value));
                }
            }
            let e0 = b.events.len() as u32;
            let d0 = b.deadlines.len() as u32;
            let v0 = b.numbers.len() as u32;
            let (hash, id, skip) = match result {
                Ok(()) => {
                    b.events.extend_from_slice(&parsed.events);
                    b.deadlines.extend_from_slice(&parsed.deadlines);
                    if !parsed.values.is_empty() {
                        b.numbers.extend_from_slice(&parsed.values);
                    }
                    b.used += 1;
                    b.latest = b.latest.max(parsed.latest);
                    b.plain = b.plain.max(parsed.plain);
                    if let Some(t) = super::implausible(parsed.low, parsed.high) {
                        if b.implausible == 0 {
                            b.first_implausible = (line_no, t);
                        }
                        b.implausible += 1;
                    }
                    if parsed.bad_numbers > 0 {
                        b.bad_numbers += u64::from(parsed.bad_numbers);
                        if b.first_bad_number.is_none() {
                            b.first_bad_number =
                                parsed.first_bad_number.take().map(|skip| (line_no, skip));
                        }
                    }
                    for e in &parsed.events {
                        let k = e.name() as usize;
                        if b.event_counts.len() <= k {
                            b.event_counts.resize(k + 1, 0);
                        }
                        b.event_counts[k] += 1;
                    }
                    for (k, &pos) in cols.attrs.iter().enumerate() {
                        let value = match pos {
                            usize::MAX => &[][..],
                            pos => {
                                let (a, z) = fields[pos];
                                bytes[a as usize..z as usize].trim_ascii()
                            }
                        };
                        if parser.source.is_null(value) {
                            b.attrs.push(u32::MAX);
                            continue;
                        }
                        let values = &mut b.values[k];
                        let v = *seen[k].entry(value).or_insert_with(|| {
                            values.push(span(value));
                            (values.len() - 1) as u32
                        });
                        b.attrs.push(v);
                    }
                    let hash = parser.hash_id(&line, cols, &result);
                    (hash, span(line.field(cols.case).trim_ascii()), u32::MAX)
                }
                Err(skip) => {
                    b.skips.push((line_no, Some(skip)));
                    (0, (0, 0), (b.skips.len() - 1) as u32)
                }
            };
            b.rows.push(Row {
                hash,
                first: parsed.first,
                id,
                events: (e0, b.events.len() as u32),
                deadlines: (d0, b.deadlines.len() as u32),
                values: (v0, b.numbers.len() as u32),
                skip,
            });
        }
        if !newline {
            break;
        }
        line_no += 1;
        start = end + 1;
        a = start;
        fields.clear();
    }
    drop(seen);
    b.lines = u64::from(line_no);
    b.block = block;
    b
}

/// Reads into `buf` until it holds at least `want` bytes; false at the end of the input.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    while buf.len() < want {
        let len = buf.len();
        buf.resize(want.max(len + 4096), 0);
        match input.read(&mut buf[len..]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(false);
            }
            Ok(n) => buf.truncate(len + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
    Ok(true)
}

/// Cuts the input into blocks of whole lines; returns the input when the rest is to be read
/// sequentially.
fn read_blocks<R: Read>(
    mut input: R,
    mut carry: Vec<u8>,
    work: SyncSender<Work>,
    tokens: Receiver<()>,
) -> (std::io::Result<()>, Option<R>) {
    let mut seq = 0;
    loop {
        if tokens.recv().is_err() {
            return (Ok(()), None);
        }
        let mut buf = Vec::with_capacity(BLOCK + carry.len() + 4096);
        buf.append(&mut carry);
        let mut more = match fill(&mut input, &mut buf, BLOCK) {
            Ok(m) => m,
            Err(e) => return (Err(e), None),
        };
        // A line longer than a block: read on to its end.
        while more && memrchr(b'\n', &buf).is_none() {
            let want = buf.len() * 2;
            more = match fill(&mut input, &mut buf, want) {
                Ok(m) => m,
                Err(e) => return (Err(e), None),
            };
        }
        if memchr2(b'"', b'\r', &buf).is_some() {
            let _ = work.send(Work::Tail(seq, buf));
            return (Ok(()), Some(input));
        }
        if more {
            let cut = memrchr(b'\n', &buf).map_or(buf.len(), |i| i + 1);
            carry = buf.split_off(cut);
        }
        if buf.is_empty() && !more {
            return (Ok(()), None);
        }
        if work.send(Work::Block(seq, buf)).is_err() {
            return (Ok(()), None);
        }
        seq += 1;
        if !more && carry.is_empty() {
            return (Ok(()), None);
        }
    }
}

fn progress(size: Option<u64>) -> Option<indicatif::ProgressBar> {
    let size = size.filter(|&s| s >= PROGRESS_BYTES)?;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:24} {binary_bytes}/{binary_total_bytes} {msg} {eta}",
        )
        .ok()?,
    );
    Some(bar)
}

/// For input of unknown size (standard input, a pipe): rows read and rows per second, once
/// as many bytes as make a file large enough for a bar have come, so that a small input
/// never flashes a line on the terminal.
fn stream_progress() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {human_pos} rows {msg} {elapsed}")
            .ok()?,
    );
    Some(bar)
}

/// A file's progress on a terminal: a bar over its bytes when its size is known, else a
/// spinner over its rows once as many bytes have come as make a bar's file.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    size: Option<u64>,
    /// Whether the stream's spinner may still be started (once, and only without a size).
    may_spin: bool,
    started: Instant,
}

impl Progress {
    fn new(size: Option<u64>) -> Progress {
        Progress {
            bar: progress(size),
            size,
            may_spin: size.is_none(),
            started: Instant::now(),
        }
    }

    fn update(&mut self, read_bytes: u64, rows: u64) {
        if self.may_spin && read_bytes >= PROGRESS_BYTES {
            self.may_spin = false;
            self.bar = stream_progress();
        }
        if let Some(bar) = &self.bar {
            // A bar counts bytes of a known total; a spinner counts rows.
            bar.set_position(if self.size.is_some() {
                read_bytes
            } else {
                rows
            });
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!("{:.1}M rows/s", rows as f64 / secs / 1e6));
        }
    }

    fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The end of the header line of `first` (past a BOM of `bom` bytes), when the header is the
/// first line: not when quotes, carriage returns or a leading empty line make it a job for
/// the csv crate.
fn plain_header_end(first: &[u8], bom: usize, delimiter: u8) -> Option<usize> {
    memchr(b'\n', &first[bom..])
        .map(|i| bom + i)
        .filter(|&e| e > bom && delimiter.is_ascii() && !b"\"\r\n".contains(&delimiter))
        .filter(|_| memchr2(b'"', b'\r', first).is_none())
}

impl Reader<'_> {
    /// Reads one file with a reader thread, parsing threads and the calling thread adding rows
    /// to cases; `size` (when known) sizes the progress bar.
    pub(super) fn read_parallel<R: Read + Send>(
        &mut self,
        mut input: R,
        path: &str,
        size: Option<u64>,
    ) -> Result<()> {
        // Lines before the header and another quote character are rare enough to leave to the
        // one-thread reader, which handles every dialect option.
        if self.source.skip_lines > 0 || self.source.quote != b'"' {
            return self.read(input, path);
        }
        let mut first = Vec::with_capacity(BLOCK);
        fill(&mut input, &mut first, BLOCK).map_err(|e| Error::io(path, e))?;
        let bom = if first.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        let Some(header_end) = plain_header_end(&first, bom, self.source.delimiter) else {
            return self.read(std::io::Cursor::new(first).chain(input), path);
        };
        let cols = self.block_header(&first, bom, header_end, path)?;
        let mut stats = self.stats(path);
        let carry = first.split_off(header_end + 1);
        drop(first);
        let mut progress = Progress::new(size);
        let header_bytes = (header_end + 1) as u64;
        let result = self.read_blocks_in_order(
            input,
            carry,
            &cols,
            &mut stats,
            path,
            header_bytes,
            &mut progress,
        );
        progress.finish();
        result?;
        self.data.inputs.push(stats);
        Ok(())
    }

    /// The columns of the header line `first[bom..=header_end]`, after the check of the day
    /// and month order on the same bytes as the one-thread reader's look ahead, so that both
    /// decide alike.
    fn block_header(
        &mut self,
        first: &[u8],
        bom: usize,
        header_end: usize,
        path: &str,
    ) -> Result<Columns> {
        let head = first.len().min(super::dialect::HEAD);
        super::date_order::check(
            &first[bom..head],
            first.len() >= super::dialect::HEAD,
            false,
            self.source,
            path,
        )?;
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(self.source.delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(&first[bom..=header_end]);
        let header = csv.byte_headers().map_err(|e| super::csv_error(path, e))?;
        let headers: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        self.columns(&headers, path)
    }

    /// The body of the file (`carry`, then the rest of `input`): blocks cut by a reader
    /// thread, parsed on the other cores, added here in file order; the rest of the file from
    /// its first block with a quote or CR read by `records`.
    #[allow(clippy::too_many_arguments)] // one call site, the read's state
    fn read_blocks_in_order<R: Read + Send>(
        &mut self,
        input: R,
        carry: Vec<u8>,
        cols: &Columns,
        stats: &mut super::InputStats,
        path: &str,
        header_bytes: u64,
        progress: &mut Progress,
    ) -> Result<()> {
        // The calling thread adds rows to cases full time: parse on the other cores (and on
        // one, sharing it, when there is no other). Measured on two cores, a second parsing
        // thread only takes time from the calling thread, which is what the read waits on.
        let threads = std::thread::available_parallelism().map_or(1, |n| (n.get() - 1).clamp(1, 8));
        let in_flight = 2 * threads + 2;
        let parser = self.parser();
        let delimiter = self.source.delimiter;
        let parse = |work: Work| match work {
            Work::Block(seq, block) => (
                seq,
                Done::Batch(Box::new(parse_block(&parser, cols, delimiter, block))),
            ),
            Work::Tail(seq, block) => (seq, Done::Tail(block)),
        };
        std::thread::scope(|scope| -> Result<()> {
            let (work_tx, work_rx) = mpsc::sync_channel::<Work>(in_flight);
            let (done_tx, done_rx) = mpsc::sync_channel::<(u64, Done)>(in_flight);
            let (token_tx, token_rx) = mpsc::sync_channel::<()>(in_flight);
            for _ in 0..in_flight {
                token_tx.send(()).expect("room for every token");
            }
            let mut reader =
                Some(scope.spawn(move || read_blocks(input, carry, work_tx, token_rx)));
            let work_rx = Arc::new(Mutex::new(work_rx));
            for _ in 0..threads {
                let (work_rx, done_tx, parse) = (work_rx.clone(), done_tx.clone(), &parse);
                scope.spawn(move || loop {
                    let work = work_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok(work)) = work else {
                        return;
                    };
                    if done_tx.send(parse(work)).is_err() {
                        return;
                    }
                });
            }
            drop(done_tx);

            // Header line, then the blocks' lines.
            let mut line_base = 1u64;
            let mut next = 0u64;
            let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
            let mut read_bytes = header_bytes;
            loop {
                while let Some(done) = pending.remove(&next) {
                    next += 1;
                    match done {
                        Done::Batch(mut b) => {
                            self.add_batch(&mut b, stats, path, line_base)?;
                            line_base += b.lines;
                            read_bytes += b.block.len() as u64;
                            let _ = token_tx.send(());
                            progress.update(read_bytes, stats.rows);
                        }
                        Done::Tail(block) => {
                            let handle = reader.take().expect("one tail");
                            let (status, input) = handle.join().expect("the reader thread");
                            status.map_err(|e| Error::io(path, e))?;
                            let input = input.expect("the input after a tail");
                            // The same dialect as `open_csv`: records end at LF (a
                            // file whose lines end in CR alone has a CR in its first
                            // block and is read by `read`).
                            let mut csv = super::csv_reader(
                                self.source,
                                std::io::Cursor::new(block).chain(input),
                                line_base + 1,
                                false,
                            );
                            self.records(&mut csv, cols, stats, path, line_base)?;
                        }
                    }
                }
                // The next block in order is not parsed yet: take a parsed one if one came
                // back, else parse a waiting block here rather than idle (on two cores this
                // thread's waits add up to a fifth of a parsing thread), else wait.
                match done_rx.try_recv() {
                    Ok((seq, done)) => {
                        pending.insert(seq, done);
                        continue;
                    }
                    Err(mpsc::TryRecvError::Disconnected) => break,
                    Err(mpsc::TryRecvError::Empty) => {}
                }
                let waiting = work_rx.try_lock().ok().and_then(|rx| rx.try_recv().ok());
                let (seq, done) = match waiting {
                    Some(work) => parse(work),
                    None => match done_rx.recv() {
                        Ok(parsed) => parsed,
                        Err(_) => break,
                    },
                };
                pending.insert(seq, done);
            }
            if let Some(handle) = reader.take() {
                let (status, _) = handle.join().expect("the reader thread");
                status.map_err(|e| Error::io(path, e))?;
            }
            Ok(())
        })
    }

    /// Adds a parsed block's rows, in order.
    fn add_batch(
        &mut self,
        b: &mut Batch,
        stats: &mut super::InputStats,
        path: &str,
        line_base: u64,
    ) -> Result<()> {
        // Cases are looked up in random order: fetch the table slot of the row 24 ahead, the
        // case of the row 12 ahead and the case's last event 6 rows ahead while this one is
        // added (prefetches are hints: a stale guess only costs a miss).
        const SLOT: usize = 24;
        const CASE: usize = 12;
        const EVENTS: usize = 6;
        for r in b.rows.iter().take(SLOT) {
            self.case_lookup.prefetch(r.hash);
        }
        // The block's first few other event values, in order: as a sequential read notes them.
        for &(a, z) in &b.other_events {
            self.note_other_event(&b.block[a as usize..z as usize]);
        }
        let n_attrs = self.data.attr_columns.len();
        let mut global: Vec<Vec<u32>> = b.values.iter().map(|v| vec![u32::MAX; v.len()]).collect();
        let mut attrs = b.attrs.chunks_exact(n_attrs.max(1));
        // The case each row's peek found (`u32::MAX`: none), kept so that the row is added
        // without probing the table again when the guess holds its id.
        let mut guess = vec![u32::MAX; b.rows.len()];
        for (i, r) in b.rows.iter().enumerate() {
            if let Some(ahead) = b.rows.get(i + SLOT) {
                self.case_lookup.prefetch(ahead.hash);
            }
            if let Some(ahead) = b.rows.get(i + CASE) {
                if let Some(case) = self.case_lookup.peek(ahead.hash) {
                    guess[i + CASE] = case as u32;
                    super::compact::prefetch(&self.data.cases[case]);
                    if let Some(a) = self.data.attrs.get(case * n_attrs) {
                        super::compact::prefetch(a);
                    }
                }
            }
            if let Some(&case) = guess.get(i + EVENTS).filter(|&&c| {
                c != u32::MAX && b.rows[i + EVENTS].events.1 > b.rows[i + EVENTS].events.0
            }) {
                let events = &self.data.cases[case as usize].events;
                if let Some(last) = events.last_in(&self.data.event_store) {
                    super::compact::prefetch(last);
                }
            }
            if r.skip != u32::MAX {
                let (line, skip) = &mut b.skips[r.skip as usize];
                let skip = skip.take().expect("each skip once");
                stats.skip(skip, path, line_base + u64::from(*line) + 1, self.strict)?;
                continue;
            }
            let id = &b.block[r.id.0 as usize..r.id.1 as usize];
            let ci = match guess[i] as usize {
                g if g != u32::MAX as usize && self.data.cases[g].id.is(id) => g,
                _ => self.case_index(id, r.hash),
            };
            if n_attrs > 0 {
                // In row order, so values are numbered in the order a sequential read sees them.
                let local = attrs.next().expect("attributes of each used row");
                for (k, &l) in local.iter().enumerate() {
                    if l == u32::MAX {
                        continue;
                    }
                    let g = &mut global[k][l as usize];
                    if *g == u32::MAX {
                        let (a, z) = b.values[k][l as usize];
                        *g = self.intern_attr(k, &b.block[a as usize..z as usize]);
                    }
                    self.data.attrs[ci * n_attrs + k] = *g;
                }
            }
            self.add_to_case(
                ci,
                r.first,
                &b.events[r.events.0 as usize..r.events.1 as usize],
                &b.deadlines[r.deadlines.0 as usize..r.deadlines.1 as usize],
                match r.values {
                    (a, z) if a < z => &b.numbers[a as usize..z as usize],
                    _ => &[],
                },
            );
        }
        stats.rows += b.rows.len() as u64;
        stats.used += b.used;
        if b.implausible > 0 {
            let (line, t) = b.first_implausible;
            stats.note_implausible(b.implausible, t, line_base + u64::from(line) + 1);
        }
        if b.bad_numbers > 0 {
            let (line, first) = b
                .first_bad_number
                .take()
                .map_or((0, None), |(l, s)| (l, Some(s)));
            stats.note_bad_numbers(
                b.bad_numbers,
                first.as_ref(),
                path,
                line_base + u64::from(line) + 1,
                self.strict,
            )?;
        }
        self.note_used(b.latest, b.plain, &b.event_counts);
        Ok(())
    }
}
