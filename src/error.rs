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

impl Error {
    /// Lines printed after the error's own line, in the manner of rustc: the offending line
    /// of a standards file with a caret under the key or value, and a "did you mean" when a
    /// name the error lists is one typo away. The first line (`Display`) stays as it is:
    /// scripts and tests match on it. The standards file is read again here, only when an
    /// error is shown, so that loading keeps no copy of its text.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        match self {
            Error::Standards {
                path,
                pos: Some(pos),
                message,
            } => {
                if let Ok(text) = std::fs::read_to_string(path) {
                    if let Some(line) = text.lines().nth(pos.line - 1) {
                        notes.extend(snippet(line, pos));
                    }
                }
                if let Some(s) = suggestion(message) {
                    notes.push(format!("help: did you mean {s}?"));
                }
            }
            Error::Input { message, .. } => {
                if let Some(s) = suggestion(message) {
                    notes.push(format!("help: did you mean {s}?"));
                }
            }
            _ => {}
        }
        notes
    }
}

/// The line, numbered, with a caret line under the token at `pos` (a quoted value up to its
/// closing quote, else a key or bare value up to a space, `=` or `,`).
fn snippet(line: &str, pos: &Position) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let chars: Vec<char> = line.chars().collect();
    let start = (pos.column - 1).min(chars.len());
    // Tabs stay tabs under the line, so that the caret lands where the editor shows the column.
    let pad: String = chars[..start]
        .iter()
        .map(|&c| {
            if c == '\t' {
                "\t".to_string()
            } else {
                " ".repeat(c.width().unwrap_or(0))
            }
        })
        .collect();
    let rest = &chars[start..];
    let len = match rest.first() {
        Some(&q) if q == '"' || q == '\'' => rest[1..]
            .iter()
            .position(|&c| c == q)
            .map_or(rest.len(), |end| end + 2),
        Some(_) => rest
            .iter()
            .position(|&c| c.is_whitespace() || matches!(c, '=' | ',' | ']' | '}'))
            .unwrap_or(rest.len())
            .max(1),
        None => 1,
    };
    let width: usize = rest[..len.min(rest.len())]
        .iter()
        .map(|c| c.width().unwrap_or(0))
        .sum::<usize>()
        .max(1);
    let number = pos.line.to_string();
    let gutter = " ".repeat(number.len());
    vec![
        format!("{gutter} |"),
        format!("{number} | {line}"),
        format!("{gutter} | {pad}{}", "^".repeat(width)),
    ]
}

/// The closest of `candidates` to `word` when it is near enough to be a typo (an edit for
/// every three characters, at least one), ignoring case; none for an exact match.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let most = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= most && c != word)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// The pieces of `text` between pairs of `quote`.
fn quoted(text: &str, quote: char) -> Vec<&str> {
    text.split(quote).skip(1).step_by(2).collect()
}

/// A "did you mean" for the messages that name a wrong word and the right ones: TOML's
/// unknown keys and values (`unknown field `withn`, expected one of `within`, ...`), an
/// unknown time zone (against the IANA names), and a missing column (against the header).
fn suggestion(message: &str) -> Option<String> {
    for head in ["unknown field ", "unknown variant "] {
        if let Some(rest) = message.split(head).nth(1) {
            let names = quoted(rest, '`');
            let (word, accepted) = names.split_first()?;
            return closest(word, accepted.iter().copied()).map(|s| format!("`{s}`"));
        }
    }
    if let Some(rest) = message.split("unknown time zone ").nth(1) {
        let word = *quoted(rest, '"').first()?;
        return closest(word, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()))
            .map(|s| format!("{s:?}"));
    }
    if let Some(rest) = message.split("missing column ").nth(1) {
        // A case-only difference is already in the message.
        if rest.contains("(did you mean") {
            return None;
        }
        let word = *quoted(rest, '"').first()?;
        let header = rest.split("the header has: ").nth(1)?;
        return closest(word, quoted(header, '"')).map(|s| format!("{s:?}"));
    }
    None
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

    fn standards_error(text: &str, line: usize, column: usize, message: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, text).unwrap();
        Error::Standards {
            path,
            pos: Some(Position { line, column }),
            message: message.to_string(),
        }
        .notes()
    }

    #[test]
    fn caret_under_the_key_and_the_closest_key() {
        let notes = standards_error(
            "version = 1\n[[standard]]\nwithn = \"10m\"\n",
            3,
            1,
            "unknown field `withn`, expected one of `id`, `within`, `at_least`, `target`",
        );
        assert_eq!(
            notes,
            [
                "  |",
                "3 | withn = \"10m\"",
                "  | ^^^^^",
                "help: did you mean `within`?"
            ]
        );
    }

    #[test]
    fn caret_under_a_quoted_value_after_a_tab_and_a_time_zone_suggested() {
        let notes = standards_error(
            "version = 1\n\ttimezone = \"Europe/Kyev\" # typo\n",
            2,
            13,
            "unknown time zone \"Europe/Kyev\"; expected an IANA zone name",
        );
        assert_eq!(notes[1], "2 | \ttimezone = \"Europe/Kyev\" # typo");
        assert_eq!(
            notes[2],
            format!("  | \t{}{}", " ".repeat(11), "^".repeat(13))
        );
        assert_eq!(notes[3], "help: did you mean \"Europe/Kiev\"?");
    }

    #[test]
    fn no_suggestion_for_a_word_far_from_every_name() {
        assert_eq!(closest("colour", ["id", "within", "target"]), None);
        assert_eq!(
            closest("tagret", ["id", "within", "target"]),
            Some("target")
        );
        // An exact match is not a typo.
        assert_eq!(closest("target", ["target"]), None);
        let e = Error::Input {
            path: "t.csv".into(),
            message: "missing column \"departmnt\" (--by); the header has: \"id\", \"department\""
                .into(),
        };
        assert_eq!(e.notes(), ["help: did you mean \"department\"?"]);
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
