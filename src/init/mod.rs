//! `yardstick init`: an export in, a commented standards-file draft out. The sample
//! (`sniff`) says what the columns hold; this module decides the layout, the columns each key
//! names and the time format, and writes them with every guess on a commented line, plus
//! starter standards to edit. A draft it writes must pass `check` and read every row of its
//! export: it names only columns whose every sampled cell the reader accepts.

mod layout;
mod lines;
mod preset_draft;
mod sniff;
mod starters;
mod times;

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

use layout::Layout;
use lines::{columns_and_starters, dialect_lines, layout_lines, ragged_line, time_lines};
use preset_draft::{recognise, write_preset_draft};
use sniff::Sample;
use times::Times;

/// What `init` is asked for.
pub struct Request<'a> {
    /// The export, as given.
    pub export: &'a Path,
    /// The folder the draft's `path` is relative to.
    pub draft_dir: &'a Path,
    /// The source's name; by default from the export's file name.
    pub name: Option<&'a str>,
}

/// The draft's text.
pub fn draft(req: &Request) -> Result<String> {
    let shown = req.export.display().to_string();
    let sample = sniff::sample(&shown)?;
    let name = match req.name {
        Some(n) => n.to_string(),
        None => default_name(req.export),
    };
    let path = relative_to(req.draft_dir, req.export)
        .map_err(|e| Error::io(shown.clone(), e))?
        .to_string_lossy()
        .replace('\\', "/");
    if let Some((preset, note)) = recognise(&sample) {
        return Ok(write_preset_draft(
            &sample, preset, &name, &path, &shown, &note,
        ));
    }
    let times = Times::decide(&sample);
    if times.columns.is_empty() {
        return Err(Error::Input {
            path: shown,
            message: format!(
                "no column holds times in a form yardstick reads (tried RFC 3339, YYYY-MM-DD HH:MM[:SS], DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY with or without AM/PM, Twitter's, epoch seconds and milliseconds) in {} sampled rows; columns: {}",
                sample.rows.len(),
                sample.columns.iter().map(|c| format!("{:?}", c.name)).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let layout = Layout::decide(&sample, &times).ok_or_else(|| Error::Input {
        path: shown.clone(),
        message: format!(
            "cannot tell the layout: no unique id with two time columns (one row per case), no repeating case column with an event column (one row per event) and no reply-to column (threads); time columns: {}",
            times.columns.iter().map(|&c| format!("{:?}", sample.columns[c].name)).collect::<Vec<_>>().join(", ")
        ),
    })?;
    Ok(write_draft(&sample, &times, &layout, &name, &path, &shown))
}

/// `orders` for `orders.csv`, `orders.csv.gz`: the file name up to its first dot, as a key.
fn default_name(export: &Path) -> String {
    let file = export
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let slug = slug(stem);
    if slug.is_empty() {
        "export".into()
    } else {
        slug
    }
}

/// `target` relative to the folder `base` (both made absolute first).
fn relative_to(base: &Path, target: &Path) -> std::io::Result<PathBuf> {
    let base = std::fs::canonicalize(base)?;
    let target = std::fs::canonicalize(target)?;
    let b: Vec<Component> = base.components().collect();
    let t: Vec<Component> = target.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    Ok(out)
}

/// A name as a lower-case key: letters and digits, `_` between words.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// A milestone's name from its column's: `paid` for `paid_at`, `closed` for `Closed Date`.
fn milestone_name(column: &str) -> String {
    let s = slug(column);
    for suffix in ["_timestamp", "_time", "_date", "_at"] {
        if let Some(stem) = s.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem.to_string();
            }
        }
    }
    s
}

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key: bare when it can be, else quoted.
fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        q(s)
    }
}

fn list(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    v.sort_unstable();
    v.get(v.len().saturating_sub(1) / 2).copied()
}

fn delimiter_text(d: u8) -> &'static str {
    match d {
        b';' => ";",
        b'\t' => "\t",
        b'|' => "|",
        _ => ",",
    }
}

fn write_draft(
    sample: &Sample,
    times: &Times,
    layout: &Layout,
    name: &str,
    path: &str,
    shown: &str,
) -> String {
    let mut o = String::new();
    let w = &mut o;
    draft_head(w, sample, name, shown);
    let _ = writeln!(
        w,
        "path = {}   # relative to this file; --log {}=PATH reads another export",
        q(path),
        name
    );
    layout_lines(w, sample, layout);
    dialect_lines(w, sample);
    time_lines(w, sample, times);
    let standards = columns_and_starters(w, sample, times, layout, name);
    ragged_line(w, sample);
    let _ = writeln!(w);
    o.push_str(&standards);
    o
}

/// The top of every draft: what it is, where it was read from, how to go on, the file-level
/// keys, and the source table's header line.
fn draft_head(w: &mut String, sample: &Sample, name: &str, shown: &str) {
    let rows = sample.rows.len();
    let _ = writeln!(
        w,
        "# A first standards file for {}, drafted by `yardstick init`.",
        q(shown)
    );
    let _ = writeln!(
        w,
        "# Read from {} ({rows} rows). Every line marked \"guess\" is what the",
        if sample.complete {
            "the whole file".to_string()
        } else {
            format!("its first {rows} rows")
        }
    );
    let _ = writeln!(
        w,
        "# sample suggested: check it. Then edit the standards at the end (the limits and"
    );
    let _ = writeln!(
        w,
        "# targets are placeholders) and run `yardstick check -s THIS_FILE`, then"
    );
    let _ = writeln!(w, "# `yardstick audit -s THIS_FILE`.");
    let _ = writeln!(w);
    let _ = writeln!(w, "version = 1");
    let _ = writeln!(w, "timezone = \"UTC\"   # guess: the zone reports cut days and weeks in; set your team's (e.g. \"Europe/Berlin\")");
    let _ = writeln!(w);
    let _ = writeln!(w, "[sources.{}]", key(name));
}

#[cfg(test)]
mod tests {
    use super::layout::{hint, DEADLINE_WORDS, ID_WORDS, REPLY_WORDS};
    use super::starters::round_limit;
    use super::*;

    #[test]
    fn names_and_paths() {
        assert_eq!(
            default_name(Path::new("a/Ticket Export.csv.gz")),
            "ticket_export"
        );
        assert_eq!(slug("Created at"), "created_at");
        assert_eq!(key("Created at"), "\"Created at\"");
        assert_eq!(key("created_at"), "created_at");
        assert_eq!(round_limit(601), "30m");
        assert_eq!(round_limit(10 * 86_400), "2w");
        assert_eq!(hint("in_response_to_tweet_id", REPLY_WORDS), Some(0));
        assert_eq!(hint("Ticket ID", ID_WORDS), Some(0));
        assert_eq!(hint("Due by Time", DEADLINE_WORDS), Some(0));
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            relative_to(&here.join("src"), &here.join("Cargo.toml")).unwrap(),
            PathBuf::from("../Cargo.toml")
        );
    }
}
