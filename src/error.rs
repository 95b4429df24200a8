//! Errors a user can fix: each names the file and the place in it, and what is accepted.
//! This module knows nothing about how errors are printed or mapped to exit codes.

use std::fmt;
use std::path::PathBuf;

/// A position inside a text file, 1-based, as editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// Line and column of a byte offset in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns count characters, not bytes, so that a non-ASCII title does not shift them.
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Position { line, column }
    }
}

/// Where the lines of a text start, so that a position is found by a binary search instead of
/// a scan from the start of the text: a file of 20,000 standards asks for one per standard.
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's start: 0, then one past each `\n`.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// [`Position::of_offset`] of the indexed text.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        // The lines that start at or before the offset: every `\n` before it, plus the first.
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&self.text.as_bytes()[line_start..offset])
            .chars()
            .count()
            + 1;
        Position { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Everything that stops an audit (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A standards file is not valid TOML or breaks a rule of the format.
    #[error("{}:{}: {message}", path.display(), pos.map_or_else(|| "1:1".to_string(), |p| p.to_string()))]
    Standards {
        path: PathBuf,
        pos: Option<Position>,
        message: String,
    },

    /// A log cannot be used at all (missing column, unreadable, ...).
    #[error("{}: {message}", path)]
    Input { path: String, message: String },

    /// A single row cannot be used and `--strict` is on.
    #[error("{path}:{line}{}: {message}", column.as_ref().map(|c| format!(": column {c:?}")).unwrap_or_default())]
    Row {
        path: String,
        line: u64,
        column: Option<String>,
        message: String,
    },

    /// Command-line arguments that contradict each other or name unknown things.
    #[error("{0}")]
    Usage(String),

    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }

    pub fn io(path: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Where an error is and what it says, apart: for annotations (GitHub `::error`) and
/// `check --format json`, which carry the place in fields of their own.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl Error {
    pub fn place(&self) -> Place {
        let (file, line, column, message) = match self {
            Error::Standards { path, pos, message } => (
                Some(path.display().to_string()),
                Some(pos.map_or(1, |p| p.line)),
                Some(pos.map_or(1, |p| p.column)),
                message.clone(),
            ),
            Error::Row {
                path,
                line,
                column,
                message,
            } => (
                Some(path.clone()),
                Some(*line as usize),
                None,
                match column {
                    Some(c) => format!("column {c:?}: {message}"),
                    None => message.clone(),
                },
            ),
            Error::Input { path, message } => (Some(path.clone()), None, None, message.clone()),
            Error::Io { path, source } => (Some(path.clone()), None, None, source.to_string()),
            Error::Usage(message) => (None, None, None, message.clone()),
        };
        Place {
            file,
            line,
            column,
            message,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_to_line_and_column() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 6),
            Position { line: 2, column: 1 }
        );
        // 'é' is two bytes but one column.
        assert_eq!(
            Position::of_offset(text, 9),
            Position { line: 2, column: 3 }
        );
    }

    proptest::proptest! {
        /// The index gives the scan's position for every offset, also inside a character, on a
        /// line end, past the end, and with CRLF and empty lines.
        #[test]
        fn line_index_equals_the_scan(
            pieces in proptest::collection::vec(0usize..6, 0..60),
            extra in 0usize..4,
        ) {
            const PIECES: [&str; 6] = ["a", "\n", "é", "\r\n", "  ", "€x"];
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let index = LineIndex::new(&text);
            for offset in 0..=text.len() + extra {
                proptest::prop_assert_eq!(index.position(offset), Position::of_offset(&text, offset));
            }
        }
    }
}
