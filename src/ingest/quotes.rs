//! Quoted fields that never close: a guard around the bytes the csv crate reads that follows
//! its quoting rules, so that a stray `"` cannot silently swallow the rest of a file.
//!
//! The csv crate reads a quote that is still open at the end of the input as a field holding
//! everything after it: one stray `"` in row 100 of a 400,000-row export gives 100 rows and a
//! PASS. Exports do hold quoted fields over several lines (multi-line comments), so a line end
//! inside quotes is data; but a quote still open at the end of the input, or open across more
//! than [`MAX_QUOTED_LINES`] lines (no real export's cell is that long; bytes on one line are
//! not limited), is an error naming the line where the quote opened. Knows the CSV dialect's
//! quoting and nothing of columns or rows.

use std::io::{self, Read};

use crate::error::Error;

/// Line ends a quoted field may span before the file is judged broken.
pub const MAX_QUOTED_LINES: u64 = 1000;

/// Line ends past which a quoted field that does close is worth a warning: a cell that long
/// is rare in real exports, and two stray quotes in one column read every row between them as
/// one cell (with the right number of fields, so nothing else tells).
pub const LONG_QUOTED_LINES: u64 = 20;

/// The csv crate's record states (for `quoting`, `double_quote`, no escape, no comments, one
/// terminator byte), reduced to what decides whether a quote is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field: a quote here opens a quoted field.
    FieldStart,
    /// Inside an unquoted field (a quote here is data).
    InField,
    /// Inside a quoted field: only a quote can end it.
    InQuoted,
    /// A quote inside a quoted field: a second quote is an escaped quote, anything else ends
    /// the quoted part.
    QuoteInQuoted,
}

/// A reader that passes bytes through unchanged while following the quoting state.
pub struct Guarded<R> {
    inner: R,
    delimiter: u8,
    quote: u8,
    terminator: u8,
    state: State,
    /// The physical line of the next byte (1-based, in the file's own numbering).
    line: u64,
    /// Where the open quote opened, while one is open.
    opened: u64,
    /// Set when a quote stayed open past [`MAX_QUOTED_LINES`] lines.
    overflow: Option<u64>,
    /// Quoted fields that closed after more than [`LONG_QUOTED_LINES`] line ends: how many,
    /// and the first one's opening line and line ends.
    pub long: u64,
    pub first_long: Option<(u64, u64)>,
}

impl<R: Read> Guarded<R> {
    /// Guards `inner`, whose first byte is on line `first_line` of the file.
    pub fn new(inner: R, delimiter: u8, quote: u8, terminator: u8, first_line: u64) -> Self {
        Guarded {
            inner,
            delimiter,
            quote,
            terminator,
            state: State::FieldStart,
            line: first_line,
            opened: 0,
            overflow: None,
            long: 0,
            first_long: None,
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        let (d, q, t) = (self.delimiter, self.quote, self.terminator);
        for &b in bytes {
            if self.state == State::QuoteInQuoted && b != q {
                // The quoted part of a field ends here.
                let span = self.line - self.opened;
                if span > LONG_QUOTED_LINES {
                    self.long += 1;
                    self.first_long.get_or_insert((self.opened, span));
                }
            }
            self.state = match self.state {
                State::FieldStart if b == q => {
                    self.opened = self.line;
                    State::InQuoted
                }
                State::FieldStart | State::InField | State::QuoteInQuoted if b == d || b == t => {
                    State::FieldStart
                }
                State::FieldStart | State::InField => State::InField,
                State::InQuoted if b == q => State::QuoteInQuoted,
                State::InQuoted => {
                    if b == t && self.line - self.opened >= MAX_QUOTED_LINES {
                        self.overflow = Some(self.opened);
                    }
                    State::InQuoted
                }
                State::QuoteInQuoted if b == q => State::InQuoted,
                State::QuoteInQuoted => State::InField,
            };
            if b == t {
                self.line += 1;
            }
        }
    }

    /// The error for a quote that is still open: at the end of the input (`at_end`) or past
    /// the line limit.
    pub fn open_quote(&self, path: &str, at_end: bool) -> Option<Error> {
        let line = match (self.overflow, at_end && self.state == State::InQuoted) {
            (Some(line), _) => line,
            (None, true) => self.opened,
            (None, false) => return None,
        };
        let q = self.quote as char;
        let message = if self.overflow.is_some() {
            format!(
                "a quoted field opened here with {q:?} is still open {MAX_QUOTED_LINES} lines \
                 later: the quote is most likely never closed, and every row after it would be \
                 read as part of one cell; fix the quote in the export (a {q:?} inside a quoted \
                 field is written twice: {q}{q})"
            )
        } else {
            format!(
                "a quoted field opened here with {q:?} is never closed: the rest of the file \
                 ({} lines) would be read as part of one cell; fix the quote in the export (a \
                 {q:?} inside a quoted field is written twice: {q}{q})",
                self.line - line
            )
        };
        Some(Error::Row {
            path: path.to_string(),
            line,
            column: None,
            message,
        })
    }
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.overflow.is_some() {
            // Stop feeding the parser: the error is taken from `open_quote`.
            return Err(io::Error::other("a quoted field is never closed"));
        }
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n]);
        Ok(n)
    }
}

/// Reads the next record of a guarded reader: false at the end of the input, an error naming
/// the line where a quote opened when one never closes.
pub fn next_record<R: Read>(
    csv: &mut csv::Reader<Guarded<R>>,
    record: &mut csv::ByteRecord,
    path: &str,
) -> crate::error::Result<bool> {
    match csv.read_byte_record(record) {
        Ok(true) => match csv.get_ref().open_quote(path, false) {
            Some(e) => Err(e),
            None => Ok(true),
        },
        Ok(false) => match csv.get_ref().open_quote(path, true) {
            Some(e) => Err(e),
            None => Ok(false),
        },
        Err(e) => Err(csv
            .get_ref()
            .open_quote(path, false)
            .unwrap_or_else(|| super::csv_error(path, e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> crate::error::Result<Vec<Vec<Vec<u8>>>> {
        let mut csv = csv::ReaderBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .has_headers(false)
            .from_reader(Guarded::new(input, b',', b'"', b'\n', 1));
        let mut record = csv::ByteRecord::new();
        let mut out = Vec::new();
        while next_record(&mut csv, &mut record, "t.csv")? {
            out.push(record.iter().map(|f| f.to_vec()).collect());
        }
        Ok(out)
    }

    #[test]
    fn closed_quotes_read_as_the_csv_crate_reads_them() {
        let rows = read_all(b"a,\"b\nc\",d\n\"x\"\"y\",z\"w\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1], b"b\nc");
        assert_eq!(rows[1][0], b"x\"y");
        // A quote inside an unquoted field is data, not an opening.
        assert_eq!(rows[1][1], b"z\"w");
    }

    #[test]
    fn a_quote_open_at_the_end_names_its_line() {
        let e = read_all(b"id,note\n1,ok\n2,\"oops\n3,fine\n4,fine\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("t.csv:3: a quoted field opened here with '\"' is never closed"),
            "{e}"
        );
        // In the last row too.
        let e = read_all(b"id,note\n1,\"oops").unwrap_err().to_string();
        assert!(e.starts_with("t.csv:2: "), "{e}");
    }

    #[test]
    fn a_quote_open_past_the_limit_stops_the_read() {
        let mut input = b"id,note\n1,\"long\n".to_vec();
        for _ in 0..MAX_QUOTED_LINES + 10 {
            input.extend_from_slice(b"more\n");
        }
        input.extend_from_slice(b"end\"\n2,x\n");
        let e = read_all(&input).unwrap_err().to_string();
        assert!(e.starts_with("t.csv:2: "), "{e}");
        assert!(e.contains("still open 1000 lines later"), "{e}");
        // Up to the limit it is a multi-line cell.
        let mut input = b"id,note\n1,\"long\n".to_vec();
        for _ in 0..MAX_QUOTED_LINES - 1 {
            input.extend_from_slice(b"more\n");
        }
        input.extend_from_slice(b"end\"\n2,x\n");
        assert_eq!(read_all(&input).unwrap().len(), 3);
    }
}
