//! The CSV dialect of a source: the one way a log file becomes records. A byte-order mark is
//! dropped, `skip_lines` passed over, the line end chosen (LF, or CR for a file whose lines all
//! end in CR), quotes guarded (`quotes`), and csv errors named by file and line.

use std::io::{BufRead, BufReader, Cursor, Read};

/// Bytes read before the dialect is decided.
pub(crate) const HEAD: usize = 1 << 16;

/// An input whose first bytes were read ahead to decide its dialect (and whose CR line ends,
/// if it has them, read as LF).
pub(crate) type Peeked<'r> = BufReader<Box<dyn Read + 'r>>;

use super::quotes::Guarded;
use crate::error::{Error, Result};
use crate::standards::Source;

/// A blank line of a CRLF file: records end at LF, so it reads as one cell holding the CR.
/// Like a blank LF line, it is no row.
pub(crate) fn is_blank_crlf(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && &record[0] == b"\r"
}

/// An open CSV file of a source: the reader positioned after the header, the header's
/// column names, and how many physical lines came before the header (`skip_lines`).
pub(crate) struct OpenCsv<'r> {
    pub csv: csv::Reader<Guarded<Peeked<'r>>>,
    pub headers: Vec<String>,
    pub line_offset: u64,
}

/// The byte that ends a record: LF (so CRLF files too, the CR being trimmed with the cell),
/// or CR for a file whose lines end in CR alone (classic Mac and Excel for Mac "CSV"), told by
/// a CR and no LF in the file's first `buf` bytes. A bare CR inside an LF or CRLF file stays
/// data.
pub(crate) fn terminator_of(buf: &[u8], quote: u8) -> u8 {
    // Line ends outside quoted cells: Excel for Mac ends its lines in CR but writes a line
    // break inside a cell (Alt-Enter) as LF, so an LF alone does not make an LF file.
    let (mut quoted, mut lf, mut cr) = (false, 0usize, 0usize);
    for (i, &b) in buf.iter().enumerate() {
        match b {
            _ if b == quote => quoted = !quoted,
            b'\n' if !quoted => lf += 1,
            b'\r' if !quoted && buf.get(i + 1) != Some(&b'\n') => cr += 1,
            _ => {}
        }
    }
    if lf == 0 && cr > 0 {
        b'\r'
    } else {
        b'\n'
    }
}

/// A file whose lines end in CR alone, read as if they ended in LF, so that the csv crate,
/// `skip_lines` and every line number work as for any other file; a CR inside a quoted cell
/// becomes a line break in the cell, as it was meant.
pub(crate) struct CrAsLf<R>(R);

impl<R: Read> Read for CrAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in &mut buf[..n] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(n)
    }
}

/// A csv reader in the source's dialect over `input`, whose first byte is on line
/// `first_line`, guarded against quotes that never close (see [`quotes`]).
pub(crate) fn csv_reader<R: Read>(
    source: &Source,
    input: R,
    first_line: u64,
    has_headers: bool,
) -> csv::Reader<Guarded<R>> {
    csv::ReaderBuilder::new()
        .delimiter(source.delimiter)
        .quote(source.quote)
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .has_headers(has_headers)
        .from_reader(Guarded::new(
            input,
            source.delimiter,
            source.quote,
            b'\n',
            first_line,
        ))
}

/// Opens a CSV file in the source's dialect: a UTF-8 byte-order mark is dropped, `skip_lines`
/// lines before the header are passed over, and records end at LF (a CR before it is trimmed
/// with the cell), so a bare CR inside an unquoted cell is data, not a line break; a file
/// whose lines all end in CR is read with CR as the line end.
pub(crate) fn open_csv<'r, R: Read + 'r>(
    source: &Source,
    mut input: R,
    path: &str,
) -> Result<OpenCsv<'r>> {
    // The line end is told by the first 64 KiB, read whole: a reader may hand out fewer bytes
    // at a time (a decompressor, a pipe), and a few bytes cannot tell.
    let mut head = Vec::with_capacity(HEAD);
    (&mut input)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    let cr_lines = terminator_of(&head, source.quote) == b'\r';
    // Spreadsheet exports often start with a UTF-8 byte-order mark.
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    super::date_order::check(&head[bom..], head.len() == HEAD, cr_lines, source, path)?;
    let mut head = Cursor::new(head);
    head.set_position(bom as u64);
    let chained = head.chain(input);
    let chained: Box<dyn Read + 'r> = if cr_lines {
        Box::new(CrAsLf(chained))
    } else {
        Box::new(chained)
    };
    let mut input = BufReader::with_capacity(1 << 16, chained);
    let mut skipped = Vec::new();
    for _ in 0..source.skip_lines {
        skipped.clear();
        if input
            .read_until(b'\n', &mut skipped)
            .map_err(|e| Error::io(path, e))?
            == 0
        {
            break;
        }
    }
    let line_offset = source.skip_lines as u64;
    let mut csv = csv_reader(source, input, line_offset + 1, true);
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
