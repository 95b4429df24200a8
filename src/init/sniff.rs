//! What a sample of an export says about itself: its bytes (UTF-8 or not, a BOM, CRLF), its
//! delimiter and header, and per column how many cells are filled, how many values differ and
//! which time format reads every sampled value. Knows nothing of standards: `init` decides
//! the layout and writes the draft from this.

use std::io::Read;

use chrono_tz::Tz;
use hashbrown::HashMap;

use crate::error::{Error, Result};
use crate::ingest;
use crate::time::stamp::{self, TimeFormat};

/// At most this many bytes are read: a draft needs a sample, not the whole export.
const MAX_BYTES: u64 = 8 << 20;
/// At most this many rows are sampled.
pub(crate) const MAX_ROWS: usize = 10_000;

/// Cells that stand for "no value" in exports (ServiceNow's `?`, database dumps' `NULL`,
/// pandas' `NaN`/`NaT`).
const NULL_TOKENS: &[&str] = &[
    "?", "NULL", "null", "N/A", "n/a", "NA", "None", "none", "nan", "NaN", "NaT", "-",
];

/// Whether a pattern writes the day before the month, the month first, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Neutral,
    DayFirst,
    MonthFirst,
}

/// The time formats tried, in order of preference; `auto` is yardstick's default reading (RFC
/// 3339, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DD`). Every pattern is one `time_format` accepts.
pub(crate) const CANDIDATES: &[(&str, Order)] = &[
    ("auto", Order::Neutral),
    ("%Y-%m-%d %H:%M:%S%.f", Order::Neutral),
    ("%Y-%m-%dT%H:%M:%S%.f", Order::Neutral),
    ("%Y-%m-%d %H:%M", Order::Neutral),
    ("%Y-%m-%d", Order::Neutral),
    ("%Y/%m/%d %H:%M:%S", Order::Neutral),
    ("%Y/%m/%d %H:%M", Order::Neutral),
    ("%Y/%m/%d", Order::Neutral),
    ("%d.%m.%Y %H:%M:%S", Order::DayFirst),
    ("%d.%m.%Y %H:%M", Order::DayFirst),
    ("%d.%m.%Y", Order::DayFirst),
    ("%d/%m/%Y %H:%M:%S", Order::DayFirst),
    ("%d/%m/%Y %H:%M", Order::DayFirst),
    ("%d/%m/%Y %I:%M:%S %p", Order::DayFirst),
    ("%d/%m/%Y %I:%M %p", Order::DayFirst),
    ("%d/%m/%Y", Order::DayFirst),
    ("%d-%m-%Y %H:%M:%S", Order::DayFirst),
    ("%d-%m-%Y %H:%M", Order::DayFirst),
    ("%d-%m-%Y", Order::DayFirst),
    ("%m/%d/%Y %H:%M:%S", Order::MonthFirst),
    ("%m/%d/%Y %H:%M", Order::MonthFirst),
    ("%m/%d/%Y %I:%M:%S %p", Order::MonthFirst),
    ("%m/%d/%Y %I:%M %p", Order::MonthFirst),
    ("%m/%d/%Y", Order::MonthFirst),
    ("%d/%b/%y %I:%M %p", Order::Neutral),
    ("%d %b %Y %H:%M", Order::Neutral),
    ("%a %b %d %H:%M:%S %z %Y", Order::Neutral),
    ("%s", Order::Neutral),
    (stamp::EPOCH_MILLIS, Order::Neutral),
];

/// The instants a sampled time may plausibly be: 1990 to 2100. Below, a number is an id or a
/// count read as epoch seconds; above, milliseconds read as seconds.
const PLAUSIBLE: (i64, i64) = (631_152_000, 4_102_444_800);

/// The candidate formats that read a column.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimeFit {
    /// Indexes into [`CANDIDATES`] of every format that reads every sampled value.
    pub fits: Vec<usize>,
    /// Null tokens seen in the column.
    pub nulls: Vec<String>,
}

/// One column of the sample.
#[derive(Debug)]
pub(crate) struct Column {
    pub name: String,
    /// Cells neither empty nor a null token.
    pub filled: usize,
    /// Distinct filled values and their counts, in order of first appearance.
    pub values: Vec<(String, usize)>,
    pub time: Option<TimeFit>,
}

impl Column {
    pub fn distinct(&self) -> usize {
        self.values.len()
    }
}

/// A sample of an export.
#[derive(Debug)]
pub(crate) struct Sample {
    pub delimiter: u8,
    pub bom: bool,
    pub crlf: bool,
    /// The whole file was read.
    pub complete: bool,
    pub columns: Vec<Column>,
    /// Trimmed cells, row by row (each as long as the header).
    pub rows: Vec<Vec<String>>,
    /// Rows whose field count differs from the header's (the audit would skip them).
    pub ragged: usize,
}

fn refuse(path: &str, message: impl Into<String>) -> Error {
    Error::Input {
        path: path.to_string(),
        message: message.into(),
    }
}

/// Reads the sample of `path` (see [`MAX_BYTES`], [`MAX_ROWS`]).
pub(crate) fn sample(path: &str) -> Result<Sample> {
    let (input, _) = ingest::open_input(path)?;
    let mut bytes = Vec::new();
    input
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    let complete = (bytes.len() as u64) < MAX_BYTES;
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(refuse(path, "the file is UTF-16 text (a byte-order mark FF FE or FE FF); yardstick reads UTF-8: re-export it as \"CSV UTF-8\""));
    }
    if bytes.iter().take(4096).any(|&b| b == 0) {
        return Err(refuse(path, "the file holds NUL bytes: UTF-16 text or not text at all; re-export it as \"CSV UTF-8\""));
    }
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let mut text = if bom { &bytes[3..] } else { &bytes[..] };
    if !complete {
        // The last line may be cut; the record it starts is dropped below.
        if let Some(end) = memchr::memrchr(b'\n', text) {
            text = &text[..=end];
        }
    }
    if let Err(e) = std::str::from_utf8(text) {
        let at = e.valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &text[..at]).count();
        return Err(refuse(
            path,
            format!(
                "line {line} holds bytes that are not UTF-8 (byte 0x{:02X}: Windows-1252 or Latin-1 text?); re-export the file as UTF-8",
                text[at]
            ),
        ));
    }
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse(path, "the file is empty: no header line to read"));
    }
    let crlf = memchr::memmem::find(text, b"\r\n").is_some();
    let delimiter = delimiter_of(text).ok_or_else(|| {
        let first = text.split(|&b| b == b'\n').next().unwrap_or_default();
        refuse(
            path,
            format!(
                "the header has one column only ({:?}) with every delimiter tried (comma, semicolon, tab, pipe): is it delimited by another character, or not CSV at all?",
                String::from_utf8_lossy(first).trim()
            ),
        )
    })?;
    // Records end where the reader ends them: at LF (a CR before it is trimmed with the cell;
    // a bare CR inside a cell is data), or at CR in a file without LF.
    let terminator = if memchr::memchr(b'\n', text).is_none() {
        b'\r'
    } else {
        b'\n'
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(terminator))
        .flexible(true)
        .has_headers(true)
        .from_reader(text);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| refuse(path, format!("the header cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    let mut ragged = 0;
    for record in reader.records() {
        let record = record.map_err(|e| refuse(path, format!("the sample cannot be read: {e}")))?;
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        if record.len() != headers.len() {
            ragged += 1;
            continue;
        }
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
        if rows.len() > MAX_ROWS {
            break;
        }
    }
    // A sample that stops early ends with a record that may be cut.
    let complete = complete && rows.len() <= MAX_ROWS;
    if !complete {
        rows.pop();
    }
    let columns = headers
        .iter()
        .enumerate()
        .map(|(i, name)| column(name, rows.iter().map(|r: &Vec<String>| r[i].as_str())))
        .collect();
    Ok(Sample {
        delimiter,
        bom,
        crlf,
        complete,
        columns,
        rows,
        ragged,
    })
}

/// The delimiter whose header has the most columns among those that split most lines of the
/// sample into as many fields as the header; none when every one gives a single column.
fn delimiter_of(text: &[u8]) -> Option<u8> {
    let mut best: Option<(usize, usize, u8)> = None;
    for d in [b',', b';', b'\t', b'|'] {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(d)
            .flexible(true)
            .has_headers(false)
            .from_reader(text);
        let mut records = r.records().take(200).filter_map(|r| r.ok());
        let Some(header) = records.next() else {
            continue;
        };
        let width = header.len();
        if width < 2 {
            continue;
        }
        let same = records.filter(|r| r.len() == width).count();
        if best.is_none_or(|(s, w, _)| (same, width) > (s, w)) {
            best = Some((same, width, d));
        }
    }
    best.map(|(_, _, d)| d)
}

fn column<'a>(name: &str, cells: impl Iterator<Item = &'a str>) -> Column {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut values: Vec<(String, usize)> = Vec::new();
    let mut filled = 0;
    let mut nulls: Vec<String> = Vec::new();
    let mut texts: Vec<&str> = Vec::new();
    for cell in cells {
        if cell.is_empty() {
            continue;
        }
        if NULL_TOKENS.contains(&cell) {
            if !nulls.iter().any(|n| n == cell) {
                nulls.push(cell.to_string());
            }
            continue;
        }
        filled += 1;
        match index.get(cell) {
            Some(&i) => values[i].1 += 1,
            None => {
                index.insert(cell, values.len());
                values.push((cell.to_string(), 1));
                texts.push(cell);
            }
        }
    }
    let time = time_fit(&texts).map(|mut fit| {
        fit.nulls = nulls;
        fit
    });
    Column {
        name: name.to_string(),
        filled,
        values,
        time,
    }
}

/// The format a candidate stands for.
pub(crate) fn format_of(candidate: usize) -> TimeFormat {
    match CANDIDATES[candidate].0 {
        "auto" => TimeFormat::Auto,
        p => TimeFormat::pattern(p).expect("every candidate is a valid pattern"),
    }
}

/// Every candidate that reads all of `values` (distinct, filled) as plausible instants.
fn time_fit(values: &[&str]) -> Option<TimeFit> {
    if values.is_empty() {
        return None;
    }
    let fits: Vec<usize> = (0..CANDIDATES.len())
        .filter(|&i| {
            let format = format_of(i);
            values.iter().all(|v| {
                stamp::parse(v.as_bytes(), &format, Tz::UTC)
                    .is_some_and(|s| (PLAUSIBLE.0..PLAUSIBLE.1).contains(&s.secs))
            })
        })
        .collect();
    (!fits.is_empty()).then_some(TimeFit {
        fits,
        nulls: Vec::new(),
    })
}

/// Whether a value read with `format` names its instant whatever the zone (it carries an
/// offset, or is epoch time).
pub(crate) fn carries_offset(value: &str, format: &TimeFormat) -> bool {
    let at = |tz| stamp::parse(value.as_bytes(), format, tz).map(|s| s.secs);
    at(Tz::UTC) == at(Tz::Asia__Tokyo)
}

/// Whether the day-first reading of `value` (a candidate of `Order::DayFirst`) differs from
/// every month-first one: a first field above 12.
pub(crate) fn day_above_12(value: &str) -> bool {
    value
        .split(['/', '.', '-', ' '])
        .next()
        .and_then(|d| d.parse::<u32>().ok())
        .is_some_and(|d| d > 12)
}

/// Whether the second field of a `DD/MM` or `MM/DD` value is above 12 (so month-first).
pub(crate) fn second_above_12(value: &str) -> bool {
    value
        .split(['/', '.', '-', ' '])
        .nth(1)
        .and_then(|d| d.parse::<u32>().ok())
        .is_some_and(|d| d > 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(values: &[&str]) -> Vec<&'static str> {
        time_fit(values)
            .map(|f| f.fits.iter().map(|&i| CANDIDATES[i].0).collect())
            .unwrap_or_default()
    }

    #[test]
    fn every_candidate_is_a_time_format_the_reader_accepts() {
        for (i, (p, _)) in CANDIDATES.iter().enumerate() {
            if *p != "auto" {
                assert!(TimeFormat::pattern(p).is_ok(), "{p}");
            }
            let _ = format_of(i);
        }
    }

    #[test]
    fn formats_are_told_apart_by_the_values() {
        assert_eq!(fits(&["2026-11-16T09:03:12Z"])[0], "auto");
        assert_eq!(fits(&["29/2/2016 01:16"]), vec!["%d/%m/%Y %H:%M"]);
        // Both readings fit when no field is above 12.
        assert_eq!(
            fits(&["05/01/2022 12:00:03 AM"]),
            vec!["%d/%m/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M:%S %p"]
        );
        assert_eq!(
            fits(&["Tue Oct 31 22:10:47 +0000 2017"]),
            vec!["%a %b %d %H:%M:%S %z %Y"]
        );
        assert_eq!(fits(&["1700000000"]), vec!["%s"]);
        assert_eq!(fits(&["1700000000123"]), vec![stamp::EPOCH_MILLIS]);
        // Small numbers are ids, not 1970.
        assert!(fits(&["1", "2", "17"]).is_empty());
        assert!(day_above_12("29/2/2016") && !day_above_12("05/01/2022"));
        assert!(second_above_12("05/13/2022"));
    }

    #[test]
    fn epoch_seconds_read_with_the_pattern() {
        let s = stamp::parse(b"1700000000", &format_of(fits_index("%s")), Tz::UTC).unwrap();
        assert_eq!(s.secs, 1_700_000_000);
    }

    fn fits_index(p: &str) -> usize {
        CANDIDATES.iter().position(|(c, _)| *c == p).unwrap()
    }

    #[test]
    fn delimiters() {
        assert_eq!(delimiter_of(b"a;b;c\n1;2,5;3\n"), Some(b';'));
        assert_eq!(delimiter_of(b"a|b\n1|2\n"), Some(b'|'));
        assert_eq!(delimiter_of(b"a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(delimiter_of(b"a,b\n1,2\n"), Some(b','));
        assert_eq!(delimiter_of(b"abc\n1\n"), None);
    }
}
