//! Standards files: raw TOML -> a validated model of sources and standards.
//! Every rule of the format is checked here, with the file, line and column of the offending
//! key; this module knows nothing of CSV contents, evaluation or output.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono_tz::Tz;
use toml::Spanned;

use crate::error::{Error, LineIndex, Result};
use crate::time::calendar::Calendar;
use crate::time::duration::Within;
use crate::time::stamp::TimeFormat;

mod calendars;
pub mod presets;
mod raw;
mod smart;
mod source;
mod validate;
mod versions;

use raw::{RawFile, RawStandard};
pub use smart::{futile, smart_warnings};
pub use versions::Effective;

/// The only format version this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// All standards given with `-s`, from one file or a folder of them.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub files: Vec<FileInfo>,
    pub sources: Vec<Source>,
    pub standards: Vec<Standard>,
    /// Business calendars defined with `[calendars.NAME]`, in file order.
    pub calendars: Vec<CalendarDef>,
}

/// A named business calendar and where it is defined.
#[derive(Debug, Clone)]
pub struct CalendarDef {
    pub calendar: Arc<Calendar>,
    pub file: usize,
    pub line: usize,
}

/// The calendar a standard measures on: one for every case, or one per case chosen by an
/// attribute (teams in several time zones).
#[derive(Debug, Clone)]
pub enum CalendarChoice {
    Fixed(Arc<Calendar>),
    ByAttribute {
        column: String,
        map: Vec<(String, Arc<Calendar>)>,
        default: Option<Arc<Calendar>>,
    },
}

impl CalendarChoice {
    /// The name shown in reports: the calendar's, or "by COLUMN".
    pub fn label(&self) -> String {
        match self {
            CalendarChoice::Fixed(c) => c.name.clone(),
            CalendarChoice::ByAttribute { column, .. } => format!("by {column}"),
        }
    }

    /// Every calendar the choice can pick.
    pub fn all(&self) -> Vec<&Arc<Calendar>> {
        match self {
            CalendarChoice::Fixed(c) => vec![c],
            CalendarChoice::ByAttribute { map, default, .. } => {
                map.iter().map(|(_, c)| c).chain(default.iter()).collect()
            }
        }
    }

    /// The calendar for a case whose `column` attribute holds `value`.
    pub fn pick(&self, value: &str) -> Option<&Arc<Calendar>> {
        match self {
            CalendarChoice::Fixed(c) => Some(c),
            CalendarChoice::ByAttribute { map, default, .. } => map
                .iter()
                .find(|(v, _)| v == value)
                .map(|(_, c)| c)
                .or(default.as_ref()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FileInfo {
    pub path: PathBuf,
    /// The report time zone: periods, ISO weeks and "same day" are cut in it.
    pub timezone: Tz,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    /// Index into `Catalog::files` of the file that defines it.
    pub file: usize,
    pub layout: Layout,
    /// Column naming the case (ticket, order, ...).
    pub case: String,
    pub time_format: TimeFormat,
    /// Zone of timestamps written without an offset.
    pub timezone: Tz,
    /// Default log, relative paths resolved against the standards file's folder.
    pub path: Option<PathBuf>,
    pub delimiter: u8,
    pub line: usize,
    /// Quote character of the CSV dialect.
    pub quote: u8,
    /// Lines before the header line (titles, export notes).
    pub skip_lines: usize,
    /// Cell values that mean "no value" (such as "?" or "NULL"), besides the empty cell.
    pub null_values: Vec<String>,
    /// Columns (or milestones) holding dates: the time of day is ignored; as a deadline a
    /// date means the end of that day, as a clock start its beginning.
    pub date_columns: Vec<String>,
    /// Columns (or milestones) read as times even when every value is at 00:00:00; any
    /// other deadline column whose every value is at 00:00:00 is read as dates
    /// (`ingest::dates`).
    pub time_columns: Vec<String>,
    /// Columns of milestones that hold promised times (`deadlines`), not things that happened:
    /// they never make the log's latest time, and so never the default as-of.
    pub deadlines: Vec<String>,
    /// Milestones that are another milestone plus a duration column (cases layout).
    pub derived: Vec<Derived>,
    /// The helpdesk preset the source starts from, if any.
    pub preset: Option<String>,
    /// Its preset reads numeric dates day first for a vendor whose instances choose the
    /// order, and the table sets no `time_format`: each log's first 64 KiB must show day
    /// first, else the read stops and asks for `time_format` (`ingest::date_order`).
    pub ask_date_order: bool,
}

/// A milestone whose time is another's plus the duration in a column (Zendesk's "First reply
/// time in minutes"): wall-clock time, an empty cell meaning it has not happened.
#[derive(Debug, Clone)]
pub struct Derived {
    pub name: String,
    /// The column of the milestone it follows.
    pub after_column: String,
    /// The column holding the duration.
    pub column: String,
    /// Seconds in one unit of the column (60 for minutes).
    pub unit_secs: f64,
}

impl Derived {
    /// The duration in a cell, in seconds: a number of the unit (`90`, `1.5`) or `H:MM[:SS]`
    /// whatever the unit (Freshdesk writes its "(in hrs)" columns so).
    pub fn seconds(&self, cell: &[u8]) -> Option<i64> {
        let text = std::str::from_utf8(cell).ok()?.trim();
        if text.contains(':') {
            let mut parts = text.split(':');
            let h: i64 = parts.next()?.parse().ok()?;
            let m: i64 = parts.next()?.parse().ok()?;
            let s: i64 = match parts.next() {
                Some(s) => s.parse().ok()?,
                None => 0,
            };
            if parts.next().is_some() || h < 0 || !(0..60).contains(&m) || !(0..60).contains(&s) {
                return None;
            }
            return Some(h * 3600 + m * 60 + s);
        }
        let n: f64 = text.parse().ok()?;
        (n.is_finite() && n >= 0.0).then(|| (n * self.unit_secs).round() as i64)
    }
}

impl Source {
    /// Every column the source reads besides attributes: case, time, event, reply-to,
    /// milestones and durations.
    pub fn columns_read(&self) -> impl Iterator<Item = &str> {
        let (fixed, milestones): (Vec<&str>, &[(String, String)]) = match &self.layout {
            Layout::Events { time, event, .. } => (vec![time, event], &[]),
            Layout::Threads {
                time,
                event,
                reply_to,
                ..
            } => (vec![time, event, reply_to], &[]),
            Layout::Cases { milestones } => (Vec::new(), milestones),
        };
        std::iter::once(self.case.as_str())
            .chain(fixed)
            .chain(milestones.iter().map(|(_, c)| c.as_str()))
            .chain(self.derived.iter().map(|d| d.column.as_str()))
    }

    /// Whether a (trimmed) cell means "no value".
    pub fn is_null(&self, cell: &[u8]) -> bool {
        cell.is_empty() || self.null_values.iter().any(|n| n.as_bytes() == cell)
    }
}

#[derive(Debug, Clone)]
pub enum Layout {
    /// One row per event.
    Events {
        time: String,
        event: String,
        /// Value in the export -> event name used by the standards.
        renames: Vec<(String, String)>,
    },
    /// One row per case, one column per milestone: (milestone name, column).
    Cases { milestones: Vec<(String, String)> },
    /// One row per message; a reply names the message it answers. A case is a thread (a
    /// message that answers nothing known, with every reply to it, transitively).
    Threads {
        message: String,
        reply_to: String,
        time: String,
        event: String,
        renames: Vec<(String, String)>,
        /// Events whose rows give the thread its attributes (the company that replied).
        attributes_from: Vec<String>,
    },
}

impl Layout {
    pub fn name(&self) -> &'static str {
        match self {
            Layout::Events { .. } => "events",
            Layout::Cases { .. } => "cases",
            Layout::Threads { .. } => "threads",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Experiential,
    Operational,
    Nonnegotiable,
}

impl Level {
    pub const NAMES: &'static str = "nonnegotiable, operational, experiential";

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "nonnegotiable" => Some(Level::Nonnegotiable),
            "operational" => Some(Level::Operational),
            "experiential" => Some(Level::Experiential),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Nonnegotiable => "nonnegotiable",
            Level::Operational => "operational",
            Level::Experiential => "experiential",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a standard measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// From the first `from` event to the first `to` event at or after it.
    Elapsed {
        from: Vec<String>,
        to: Vec<String>,
        within: Within,
    },
    /// One case per occurrence of an `each` event, stopped by the first `to` at or after it
    /// (on another row).
    Each {
        each: Vec<String>,
        to: Vec<String>,
        due: Due,
    },
    /// The number of `count` events after the clock start, optionally inside a window.
    Count {
        from: Vec<String>,
        count: Vec<String>,
        at_least: Option<u64>,
        at_most: Option<u64>,
        within: Option<Within>,
    },
    /// The `to` event must happen at or before a deadline held in a milestone, column or event.
    Deadline {
        from: Option<Vec<String>>,
        to: Vec<String>,
        by: String,
    },
    /// A repeat rate: the customers with a `returns` event in the `within` before the audited
    /// period are its cases; met are those with another inside the period.
    Repeat {
        returns: Vec<String>,
        /// The look-back in seconds (wall-clock, as a period is).
        within: i64,
        /// The attribute column naming the customer (`customer = "COLUMN"`); without it the
        /// source's case is the customer.
        customer: Option<String>,
    },
    /// A number on the case (rings to answer, a satisfaction score) must lie within bounds.
    Value {
        /// The column that holds the number.
        column: String,
        /// Events layout: the number is the one on the row of the first of these events, and
        /// the case belongs to the period of that event. None: the case's own value (the
        /// latest number in the column, as for attributes), in the period of its first row.
        on: Option<Vec<String>>,
        at_least: Option<f64>,
        at_most: Option<f64>,
    },
}

/// A value standard's bounds as people read them: "<= 3", ">= 4.5", "4 to 5".
pub fn value_bounds(at_least: Option<f64>, at_most: Option<f64>) -> String {
    match (at_least, at_most) {
        (Some(lo), Some(hi)) => format!("{lo} to {hi}"),
        (Some(lo), None) => format!(">= {lo}"),
        (None, Some(hi)) => format!("<= {hi}"),
        (None, None) => String::new(),
    }
}

/// When an `each` occurrence is due.
#[derive(Debug, Clone, PartialEq)]
pub enum Due {
    /// A limit from the occurrence (`within`).
    Within(Within),
    /// The time promised on the occurrence's own row, in this column (`by`): "we will call
    /// you back by 15:00" is judged against 15:00. A date alone means the end of that day.
    By(String),
}

/// Which kind a standard is, without its keys: what reports carry and renderers match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardKind {
    Elapsed,
    Each,
    Count,
    Deadline,
    Repeat,
    Value,
}

impl StandardKind {
    /// The name in reports (`kind` in JSON and CSV).
    pub fn as_str(self) -> &'static str {
        match self {
            StandardKind::Elapsed => "elapsed",
            StandardKind::Each => "each",
            StandardKind::Count => "count",
            StandardKind::Deadline => "deadline",
            StandardKind::Repeat => "repeat",
            StandardKind::Value => "value",
        }
    }
}

impl Kind {
    pub fn kind(&self) -> StandardKind {
        match self {
            Kind::Elapsed { .. } => StandardKind::Elapsed,
            Kind::Each { .. } => StandardKind::Each,
            Kind::Count { .. } => StandardKind::Count,
            Kind::Deadline { .. } => StandardKind::Deadline,
            Kind::Repeat { .. } => StandardKind::Repeat,
            Kind::Value { .. } => StandardKind::Value,
        }
    }

    /// The time limit, for the kinds that have one.
    pub fn within(&self) -> Option<Within> {
        match self {
            Kind::Elapsed { within, .. }
            | Kind::Each {
                due: Due::Within(within),
                ..
            } => Some(*within),
            Kind::Each {
                due: Due::By(_), ..
            } => None,
            Kind::Count { within, .. } => *within,
            Kind::Deadline { .. } | Kind::Value { .. } => None,
            // The look-back: a bound in time, though not a limit a case is measured against.
            Kind::Repeat { within, .. } => Some(Within::Span(*within)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Standard {
    pub id: String,
    pub title: Option<String>,
    pub level: Level,
    /// Index into `Catalog::sources`.
    pub source: usize,
    /// Attribute filter: every column must hold one of its values.
    pub filter: Vec<(String, Vec<String>)>,
    pub kind: Kind,
    /// Cases with one of these events (before the verdict) are exempt.
    pub unless: Vec<String>,
    pub calendar: CalendarChoice,
    /// Events that stop the clock until the next `resume_on` event (waiting on the customer).
    pub pause_on: Vec<String>,
    pub resume_on: Vec<String>,
    /// Percent of decided cases that must meet the standard; with a range, its low end.
    pub target: f64,
    /// The high end of a target range (`target = [30, 50]`): a compliance above it fails too.
    pub target_max: Option<f64>,
    pub file: usize,
    /// Line of the standard's `id` in its file (for annotations).
    pub line: usize,
    /// Whether `target` was written (a missing one is not SMART-specific).
    pub target_given: bool,
    /// `within` as written ("24h" stays "24h" in reports, not "1d").
    pub within_text: Option<String>,
    /// When this version is in force (`effective_from`, `effective_until`); no dates: always.
    pub effective: Effective,
    /// A standard with dates: every version of its id in date order (itself among them, the
    /// catalogue's entry being the latest); empty for a standard without dates, and in each
    /// version itself (`versions.rs`).
    pub versions: Vec<Standard>,
}

/// Whether a compliance is above the high end of a range. Compliance is met / decided x 100 in
/// that order (the contract's), which can land a hair above an exact share: 3 of 5 is
/// 60.00000000000001, and that is not above a range ending at 60%.
fn above(compliance: f64, high: f64) -> bool {
    compliance > high + 1e-9
}

impl Standard {
    /// Whether a compliance meets the target: at least `target`, and with a range at most
    /// its high end (a repeat rate of 70% against 30-50% is not a success).
    pub fn passes(&self, compliance: f64) -> bool {
        compliance >= self.target && self.target_max.is_none_or(|hi| !above(compliance, hi))
    }

    /// The compliance variance in percentage points: without a range, compliance - target (a
    /// surplus is positive); with one, the distance to the range: 0 inside it, negative below,
    /// positive above.
    pub fn target_variance(&self, compliance: f64) -> f64 {
        match self.target_max {
            None => compliance - self.target,
            Some(_) if compliance < self.target => compliance - self.target,
            Some(hi) if above(compliance, hi) => compliance - hi,
            Some(_) => 0.0,
        }
    }

    /// Every event name the standard reads, in any role.
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        let lists: Vec<&Vec<String>> = match &self.kind {
            Kind::Elapsed { from, to, .. } => vec![from, to],
            Kind::Each { each, to, .. } => vec![each, to],
            Kind::Count { from, count, .. } => vec![from, count],
            Kind::Deadline { from, to, .. } => from.iter().chain(std::iter::once(to)).collect(),
            Kind::Repeat { returns, .. } => vec![returns],
            Kind::Value { on, .. } => on.iter().collect(),
        };
        lists
            .into_iter()
            .chain([&self.unless, &self.pause_on, &self.resume_on])
            .flatten()
            .map(String::as_str)
    }

    fn written(&self, within: Within) -> String {
        self.within_text
            .clone()
            .unwrap_or_else(|| within.to_string())
    }

    /// The rule in one line, as a manager reads it ("created -> agent_reply within 10m").
    pub fn rule(&self) -> String {
        let j = |v: &Vec<String>| v.join("|");
        let mut s = match &self.kind {
            Kind::Elapsed { from, to, within } => {
                format!("{} -> {} within {}", j(from), j(to), self.written(*within))
            }
            Kind::Each { each, to, due } => match due {
                Due::Within(within) => format!(
                    "each {} -> {} within {}",
                    j(each),
                    j(to),
                    self.written(*within)
                ),
                Due::By(by) => format!("each {} -> {} by {by}", j(each), j(to)),
            },
            Kind::Count {
                from,
                count,
                at_least,
                at_most,
                within,
            } => {
                let mut s = format!("count {} after {}", j(count), j(from));
                if let Some(n) = at_least {
                    s.push_str(&format!(" at least {n}"));
                }
                if let Some(n) = at_most {
                    s.push_str(&format!(" at most {n}"));
                }
                if let Some(w) = within {
                    s.push_str(&format!(" within {}", self.written(*w)));
                }
                s
            }
            Kind::Deadline { to, by, .. } => format!("{} by {by}", j(to)),
            Kind::Repeat {
                returns,
                within,
                customer,
            } => format!(
                "{} in the {} before the period -> {} again in it, per {}",
                j(returns),
                self.written(Within::Span(*within)),
                j(returns),
                customer
                    .as_deref()
                    .map_or("case".to_string(), |c| format!("customer ({c})")),
            ),
            Kind::Value {
                column,
                on,
                at_least,
                at_most,
            } => {
                let mut s = format!("{column} {}", value_bounds(*at_least, *at_most));
                if let Some(on) = on {
                    s.push_str(&format!(" on {}", j(on)));
                }
                s
            }
        };
        if !self.unless.is_empty() {
            s.push_str(&format!(" unless {}", j(&self.unless)));
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Raw TOML, exactly as written. Unknown keys are rejected by serde with their position.

/// Loads a standards file, or every `*.toml` in a folder (sorted by name).
pub fn load(path: &Path) -> Result<Catalog> {
    load_with(path, Tables::First).map_err(|errors| errors.into_iter().next().expect("an error"))
}

/// Whether a `[[standard]]` table that TOML refuses ends the file (`load`: the first error)
/// or is set aside so that the others are read too (`check`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tables {
    First,
    All,
}

/// [`load`], with every error it can find instead of the first (`check`): each file of a
/// folder is read whatever the others hold, and each broken table of a file is named.
pub fn load_all(path: &Path) -> std::result::Result<Catalog, Vec<Error>> {
    load_with(path, Tables::All)
}

fn load_with(path: &Path, tables: Tables) -> std::result::Result<Catalog, Vec<Error>> {
    let mut errors = Vec::new();
    let files = if path.is_dir() {
        let mut files: Vec<PathBuf> = Vec::new();
        let entries =
            std::fs::read_dir(path).map_err(|e| vec![Error::io(path.display().to_string(), e)])?;
        for entry in entries {
            let file = entry
                .map_err(|e| vec![Error::io(path.display().to_string(), e)])?
                .path();
            if file.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            // A standards file that cannot be read is an error, never a standard less.
            if !file.is_file() {
                let what = match std::fs::symlink_metadata(&file) {
                    Ok(m) if m.file_type().is_symlink() => "a link to nothing",
                    Ok(m) if m.is_dir() => "a folder",
                    _ => "not a regular file",
                };
                errors.push((
                    file.clone(),
                    Error::usage(format!(
                        "{}: is {what}, not a standards file; remove or rename it (the folder's \
                         *.toml files are all read)",
                        file.display()
                    )),
                ));
                continue;
            }
            files.push(file);
        }
        files.sort();
        if files.is_empty() && errors.is_empty() {
            return Err(vec![Error::usage(format!(
                "{}: the folder holds no standards files (*.toml)",
                path.display()
            ))]);
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut catalog = Catalog {
        files: Vec::new(),
        sources: Vec::new(),
        standards: Vec::new(),
        calendars: Vec::new(),
    };
    let mut ids = StandardIds::of(&catalog);
    for file in files {
        let mut found = Vec::new();
        match std::fs::read(&file) {
            Err(e) => found.push(Error::io(file.display().to_string(), e)),
            Ok(text) => match String::from_utf8(text) {
                Err(e) => found.push(Error::Standards {
                    path: file.clone(),
                    pos: None,
                    message: format!(
                        "not UTF-8 text (invalid byte at offset {})",
                        e.utf8_error().valid_up_to()
                    ),
                }),
                Ok(text) => {
                    add_file_collect(&mut catalog, &mut ids, &file, &text, tables, &mut found)
                }
            },
        }
        errors.extend(found.into_iter().map(|e| (file.clone(), e)));
    }
    if !errors.is_empty() {
        // In the order of the files' names (a folder's entries come in any order), each
        // file's from its top (a wrong version is found after a broken table, and first).
        let place = |e: &Error| match e {
            Error::Standards { pos: Some(p), .. } => (p.line, p.column),
            _ => (0, 0),
        };
        errors.sort_by(|a, b| (&a.0, place(&a.1)).cmp(&(&b.0, place(&b.1))));
        return Err(errors.into_iter().map(|(_, e)| e).collect());
    }
    if catalog.standards.is_empty() {
        return Err(vec![Error::usage(format!(
            "{}: no standard to audit: add a [[standard]] table (an empty catalogue would pass \
             every audit)",
            path.display()
        ))]);
    }
    Ok(catalog)
}

/// Parses one file's text into the catalog (ids must stay unique across files).
pub fn add_file(catalog: &mut Catalog, path: &Path, text: &str) -> Result<()> {
    let mut ids = StandardIds::of(catalog);
    add_file_with(catalog, &mut ids, path, text)
}

/// Each standard's id -> its index in the catalog, for the check that ids are unique: one
/// look-up per standard instead of a scan of all those before it.
struct StandardIds(HashMap<String, usize>);

impl StandardIds {
    fn of(catalog: &Catalog) -> Self {
        let mut ids = HashMap::with_capacity(catalog.standards.len());
        for (i, s) in catalog.standards.iter().enumerate() {
            // The first of a repeated id, as a scan finds it (a catalog that was loaded has
            // none; one put together by hand might).
            ids.entry(s.id.clone()).or_insert(i);
        }
        StandardIds(ids)
    }
}

/// [`add_file`] with the ids of the catalog's standards at hand, kept up to date, so that
/// loading a folder file by file does not collect them again for every file. The first of
/// the errors [`add_file_collect`] finds.
fn add_file_with(
    catalog: &mut Catalog,
    ids: &mut StandardIds,
    path: &Path,
    text: &str,
) -> Result<()> {
    let mut errors = Vec::new();
    add_file_collect(catalog, ids, path, text, Tables::First, &mut errors);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The text's `[[standard]]` tables, each from its header to its last key (positions in the
/// text), to set a broken one aside.
fn standard_tables(text: &str) -> Option<Vec<std::ops::Range<usize>>> {
    #[derive(serde::Deserialize)]
    struct Listed {
        #[serde(default)]
        standard: Vec<Spanned<toml::Value>>,
    }
    let listed: Listed = toml::from_str(text).ok()?;
    Some(listed.standard.iter().map(|t| t.span()).collect())
}

/// The file as TOML gives it, every error on the way in `errors`. With `Tables::All`, the
/// `[[standard]]` tables TOML refuses (an unknown key, a wrong type) are each read on their
/// own for their error, then blanked, so that every later position stays where it was, and
/// the rest read again: one run names every broken table, at a cost of two parses of the file
/// and one of each table. Any other refusal ends the file (none: nothing of it is used).
fn raw_file(text: &str, tables: Tables, fail: &Fail, errors: &mut Vec<Error>) -> Option<RawFile> {
    let message = |e: &toml::de::Error| e.message().trim_end().to_string();
    let first = match toml::from_str::<RawFile>(text) {
        Ok(raw) => return Some(raw),
        Err(e) => e,
    };
    let spans = match tables {
        Tables::All => standard_tables(text),
        Tables::First => None,
    };
    let Some(spans) = spans else {
        errors.push(fail(first.span(), message(&first)));
        return None;
    };
    #[derive(serde::Deserialize)]
    struct One {
        #[allow(dead_code)]
        standard: Vec<Spanned<RawStandard>>,
    }
    let mut rest = text.to_string();
    let mut broken = 0;
    for table in spans {
        let Err(e) = toml::from_str::<One>(&text[table.clone()]) else {
            continue;
        };
        broken += 1;
        let at = e.span().map(|s| s.start + table.start..s.end + table.start);
        errors.push(fail(at, message(&e)));
        let blank: String = text[table.clone()]
            .chars()
            .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
            .collect();
        rest.replace_range(table, &blank);
    }
    if broken == 0 {
        errors.push(fail(first.span(), message(&first)));
        return None;
    }
    match toml::from_str::<RawFile>(&rest) {
        Ok(raw) => Some(raw),
        Err(e) => {
            errors.push(fail(e.span(), message(&e)));
            None
        }
    }
}

/// Reads one file's text into the catalog, pushing every error it finds to `errors` instead
/// of stopping at the first (`check` reports them all): each broken calendar, source and
/// standard. Standards are validated only when the file's calendars and sources are sound,
/// since a standard of a broken source would only repeat its error.
fn add_file_collect(
    catalog: &mut Catalog,
    ids: &mut StandardIds,
    path: &Path,
    text: &str,
    tables: Tables,
    errors: &mut Vec<Error>,
) {
    let lines = LineIndex::new(text);
    let fail = |span: Option<std::ops::Range<usize>>, message: String| Error::Standards {
        path: path.to_path_buf(),
        pos: span.map(|s| lines.position(s.start)),
        message,
    };
    let Some(raw) = raw_file(text, tables, &fail, errors) else {
        return;
    };
    // Errors so far are about `[[standard]]` tables set aside.
    let set_aside = errors.len();
    let timezone = match file_zone(&raw, &fail) {
        Ok(tz) => tz,
        Err(e) => {
            errors.push(e);
            return;
        }
    };
    let file_index = catalog.files.len();
    let local_calendars = add_calendars(catalog, &raw, file_index, timezone, &lines, &fail, errors);
    catalog.files.push(FileInfo {
        path: path.to_path_buf(),
        timezone,
    });
    let base = path.parent().unwrap_or(Path::new("."));
    let local_sources = add_sources(
        catalog, &raw, file_index, timezone, base, &lines, &fail, errors,
    );
    // A standard of a broken calendar or source would repeat its error as "unknown".
    if errors.len() > set_aside {
        return;
    }
    for raw_std in &raw.standard {
        let added = validate::standard(
            catalog,
            raw_std,
            &local_sources,
            &local_calendars,
            file_index,
            timezone,
            &lines,
            &fail,
        )
        .and_then(|standard| add_standard(catalog, ids, standard, raw_std, &fail));
        if let Err(e) = added {
            errors.push(e);
        }
    }
}

/// A file's `version` (the one this yardstick reads) and its `timezone` (UTC by default).
fn file_zone(raw: &RawFile, fail: &Fail) -> Result<Tz> {
    let Some(version) = &raw.version else {
        return Err(fail(
            Some(0..0),
            format!("missing `version = {FORMAT_VERSION}` at the top of the file"),
        ));
    };
    if *version.get_ref() != FORMAT_VERSION {
        return Err(fail(
            Some(version.span()),
            format!(
                "unsupported version {}; this yardstick reads version {FORMAT_VERSION}",
                version.get_ref()
            ),
        ));
    }
    match &raw.timezone {
        Some(s) => calendars::parse_tz(s, fail),
        None => Ok(Tz::UTC),
    }
}

/// The file's calendars into the catalog, each broken one an error; returns them by name, as
/// the file's standards refer to the calendars of their own file.
fn add_calendars(
    catalog: &mut Catalog,
    raw: &RawFile,
    file_index: usize,
    timezone: Tz,
    lines: &LineIndex,
    fail: &Fail,
    errors: &mut Vec<Error>,
) -> Vec<(String, Arc<Calendar>)> {
    let mut local_calendars = Vec::new();
    for (name, raw_cal) in &raw.calendars.0 {
        let cal = match calendars::build(name, raw_cal, timezone, fail) {
            Ok(cal) => Arc::new(cal),
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        local_calendars.push((name.get_ref().clone(), cal.clone()));
        catalog.calendars.push(CalendarDef {
            calendar: cal,
            file: file_index,
            line: lines.position(name.span().start).line,
        });
    }
    local_calendars
}

/// The file's sources into the catalog, each broken one an error; returns their global
/// indices by name.
#[allow(clippy::too_many_arguments)]
fn add_sources(
    catalog: &mut Catalog,
    raw: &RawFile,
    file_index: usize,
    timezone: Tz,
    base: &Path,
    lines: &LineIndex,
    fail: &Fail,
    errors: &mut Vec<Error>,
) -> BTreeMap<String, usize> {
    let mut local_sources = BTreeMap::new();
    for (name, raw_source) in &raw.sources.0 {
        match source::parse(
            name,
            raw_source.get_ref(),
            file_index,
            timezone,
            base,
            lines,
            fail,
        ) {
            Ok(source) => {
                local_sources.insert(name.get_ref().clone(), catalog.sources.len());
                catalog.sources.push(source);
            }
            Err(e) => errors.push(e),
        }
    }
    local_sources
}

/// A validated standard into the catalog: a new id, or a version of the standard of its id
/// when every table of the id has dates; any other repeat of an id is an error.
fn add_standard(
    catalog: &mut Catalog,
    ids: &mut StandardIds,
    standard: Standard,
    raw_std: &Spanned<RawStandard>,
    fail: &Fail,
) -> Result<()> {
    let Some(&at) = ids.0.get(&standard.id) else {
        ids.0.insert(standard.id.clone(), catalog.standards.len());
        catalog.standards.push(standard);
        return Ok(());
    };
    let prev = &catalog.standards[at];
    // Tables with dates that do not overlap are versions of one standard.
    let dated = (!prev.versions.is_empty(), !standard.versions.is_empty());
    if dated == (true, true) {
        return versions::add(catalog, at, standard, raw_std.get_ref(), fail);
    }
    let id_span = raw_std.get_ref().id.as_ref().map(|s| s.span());
    Err(fail(
        id_span,
        format!(
            "duplicate standard id {:?}; it is already used at {}:{}{}",
            standard.id,
            catalog.files[prev.file].path.display(),
            prev.line,
            if dated.0 || dated.1 {
                " (tables may share an id as versions only when every one of them has effective_from or effective_until)"
            } else {
                ""
            }
        ),
    ))
}

pub(crate) type Fail<'a> = dyn Fn(Option<std::ops::Range<usize>>, String) -> Error + 'a;

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalogue of one file `s.toml` holding `text` (also for the tests of submodules).
    pub(super) fn parse(text: &str) -> Result<Catalog> {
        let mut c = Catalog {
            files: vec![],
            sources: vec![],
            standards: vec![],
            calendars: vec![],
        };
        add_file(&mut c, Path::new("s.toml"), text).map(|()| c)
    }

    pub(super) fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    const HEAD: &str = r#"version = 1
timezone = "Europe/Kyiv"
[sources.tickets]
layout = "events"
case = "ticket_id"
time = "timestamp"
event = "event"
[sources.orders]
layout = "cases"
case = "order_id"
[sources.orders.milestones]
placed = "placed_at"
delivered = "delivered_at"
due = "deadline"
"#;

    #[test]
    fn the_four_kinds() {
        let c = parse(&format!(
            r#"{HEAD}
[[standard]]
id = "a"
title = "A"
level = "nonnegotiable"
source = "tickets"
where = {{ department = ["Support", "Sales"], vip = true }}
from = ["email_received", "created"]
to = "agent_reply"
within = "10m"
target = 95
[[standard]]
id = "b"
source = "tickets"
each = "customer_reply"
to = "agent_reply"
within = "same day"
[[standard]]
id = "c"
source = "tickets"
from = "created"
count = "follow_up"
at_least = 3
within = "7d"
unless = "solved"
[[standard]]
id = "d"
source = "orders"
to = "delivered"
by = "due"
"#
        ))
        .unwrap();
        let kinds: Vec<&str> = c.standards.iter().map(|s| s.kind.kind().as_str()).collect();
        assert_eq!(kinds, ["elapsed", "each", "count", "deadline"]);
        let a = &c.standards[0];
        assert_eq!(a.level, Level::Nonnegotiable);
        assert_eq!(a.target, 95.0);
        assert_eq!(
            a.filter,
            vec![
                (
                    "department".to_string(),
                    vec!["Support".to_string(), "Sales".to_string()]
                ),
                ("vip".to_string(), vec!["true".to_string()]),
            ]
        );
        assert_eq!(a.line, 17);
        assert_eq!(c.standards[1].target, 100.0);
        assert_eq!(c.standards[1].level, Level::Operational);
        assert_eq!(c.standards[2].unless, vec!["solved".to_string()]);
        assert_eq!(c.sources[0].timezone, Tz::Europe__Kyiv);
    }

    #[test]
    fn unknown_key_names_line_column_and_accepted_keys() {
        let e = err(&format!(
            "{HEAD}\n[[standard]]\nid = \"a\"\ntitel = \"x\"\n"
        ));
        assert!(
            e.starts_with("s.toml:18:1: unknown field `titel`, expected one of `id`, `title`"),
            "{e}"
        );
    }

    #[test]
    fn errors_point_at_the_key() {
        let cases = [
            ("source = \"tickts\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1m\"", "s.toml:18:10: standard \"x\": unknown source \"tickts\"; this file defines orders, tickets"),
            ("source = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"10 minutes\"", "s.toml:21:10: standard \"x\": within: \"10 minutes\" is not a duration; expected a duration such as"),
            ("source = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1m\"\ncalendar = \"office\"", "s.toml:22:12: standard \"x\": unknown calendar \"office\"; the calendars available are: always"),
            ("source = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1m\"\nlevel = \"critical\"", "s.toml:22:9: standard \"x\": unknown level \"critical\"; expected one of nonnegotiable, operational, experiential"),
            ("source = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1m\"\ntarget = 120", "s.toml:22:10: standard \"x\": target 120 is not a percentage between 0 and 100"),
            ("source = \"tickets\"\nfrom = \"a\"\nto = \"b\"", "s.toml:16:1: standard \"x\": missing `within` (a elapsed (from/to/within) standard needs a time limit"),
            ("source = \"orders\"\nto = \"delivred\"\nby = \"due\"", "s.toml:19:6: standard \"x\": `to`: \"delivred\" is not a milestone of source \"orders\"; its milestones are placed, delivered, due"),
            ("source = \"tickets\"\neach = \"a\"\nto = \"b\"\nwithin = \"1h\"\nat_least = 2", "s.toml:22:12: standard \"x\": `at_least` does not belong to a each (each/to/within) standard"),
            ("source = \"tickets\"\nfrom = \"a\"\ncount = \"b\"", "standard \"x\": a count standard needs `at_least`, `at_most` or both"),
        ];
        for (body, want) in cases {
            let e = err(&format!("{HEAD}\n[[standard]]\nid = \"x\"\n{body}\n"));
            assert!(e.contains(want), "\n got: {e}\nwant: {want}");
        }
    }

    #[test]
    fn duplicate_ids() {
        let body = "source = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1m\"\n";
        let e = err(&format!(
            "{HEAD}\n[[standard]]\nid = \"x\"\n{body}\n[[standard]]\nid = \"x\"\n{body}"
        ));
        assert!(
            e.contains("s.toml:24:6: duplicate standard id \"x\"; it is already used at s.toml:17"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_ids_across_calls_and_many_standards() {
        let body = "source = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1m\"\n";
        let mut text = format!("{HEAD}\n");
        for k in 0..500 {
            text.push_str(&format!("[[standard]]\nid = \"s{k}\"\n{body}"));
        }
        let mut c = parse(&text).unwrap();
        assert_eq!(c.standards.len(), 500);
        // Each standard's line is that of its id, as a scan of the text counts it.
        for (k, s) in c.standards.iter().enumerate() {
            assert_eq!(s.line, 17 + 6 * k, "{}", s.id);
        }
        // A second file added by hand still sees the ids of the first.
        let again =
            format!("{HEAD}\n[[standard]]\nid = \"ok\"\n{body}[[standard]]\nid = \"s321\"\n{body}");
        let e = add_file(&mut c, Path::new("t.toml"), &again)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(
                "t.toml:23:6: duplicate standard id \"s321\"; it is already used at s.toml:1943"
            ),
            "{e}"
        );
    }

    #[test]
    fn file_level_errors() {
        assert!(err("timezone = \"UTC\"\n").contains("missing `version = 1`"));
        assert!(err("version = 2\n").contains("s.toml:1:11: unsupported version 2"));
        assert!(err("version = 1\ntimezone = \"Mars/Olympus\"\n")
            .contains("s.toml:2:12: unknown time zone \"Mars/Olympus\""));
        assert!(
            err("version = 1\n[sources.t]\nlayout = \"rows\"\ncase = \"id\"\n")
                .contains("s.toml:3:10: source \"t\": unknown layout \"rows\"")
        );
        assert!(err(
            "version = 1\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\ntime = \"t\"\n"
        )
        .contains("source \"t\": missing `event`"));
        assert!(err("version = 1\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\ntime = \"t\"\nevent = \"e\"\ntime_format = \"%H:%M\"\n").contains("s.toml:7:15: time_format \"%H:%M\" has no date in it"));
        assert!(
            err("version = 1\n[sources.t]\nlayout = \"cases\"\ncase = \"id\"\n")
                .contains("a cases layout needs [sources.t.milestones]")
        );
        assert!(err("version = 1\nfoo = 1\n").contains("s.toml:2:1: unknown field `foo`"));
    }

    #[test]
    fn targets_are_numbers_or_percent_strings() {
        let std = |t: &str| {
            format!("{HEAD}\n[[standard]]\nid = \"x\"\nsource = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\ntarget = {t}\n")
        };
        for (t, v) in [
            ("95", 95.0),
            ("99.5", 99.5),
            ("\"95%\"", 95.0),
            ("\" 90 % \"", 90.0),
        ] {
            assert_eq!(parse(&std(t)).unwrap().standards[0].target, v, "{t}");
        }
        let e = err(&std("\"most\""));
        assert!(
            e.contains("expected a percentage such as 95, 99.5 or \"95%\""),
            "{e}"
        );
        let e = err(&std("\"120%\""));
        assert!(
            e.contains("target 120 is not a percentage between 0 and 100"),
            "{e}"
        );
    }

    #[test]
    fn holidays_are_toml_dates_or_strings() {
        use crate::time::calendar::Holiday;
        let file = |h: &str| {
            format!(
                "version = 1\n[calendars.office]\nmon = [\"09:00-17:00\"]\nholidays = {h}\n{}",
                &HEAD["version = 1\n".len()..]
            )
        };
        let c = parse(&file("[2026-12-25, \"2026-12-26\", \"01-01\"]")).unwrap();
        let day = |m, d| Holiday::Date(chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap());
        assert_eq!(
            c.calendars[0].calendar.schedule().holidays(),
            [
                day(12, 25),
                day(12, 26),
                Holiday::Yearly { month: 1, day: 1 }
            ]
        );
        // A date with a time of day is not a day off; a string date is still checked.
        for (h, want) in [
            ("[2026-12-25T10:00:00]", "s.toml:4:13: invalid value: the date and time 2026-12-25T10:00:00, expected a date such as 2026-12-25 or \"2026-12-25\""),
            ("[2026-12-25 10:00:00Z]", "s.toml:4:13: invalid value: the date and time 2026-12-25T10:00:00Z"),
            ("[\"2026-02-30\"]", "s.toml:4:13: calendar \"office\": holidays: \"2026-02-30\" is not a holiday (no such day)"),
        ] {
            let e = err(&file(h));
            assert!(e.contains(want), "{h}\n got: {e}\nwant: {want}");
        }
    }

    #[test]
    fn an_each_standard_takes_within_or_a_promised_time() {
        let std = |body: &str| {
            format!("{HEAD}\n[[standard]]\nid = \"x\"\nsource = \"tickets\"\neach = \"made\"\nto = \"kept\"\n{body}\n")
        };
        let s = &parse(&std("by = \"promised_at\"")).unwrap().standards[0];
        assert_eq!(s.rule(), "each made -> kept by promised_at");
        assert_eq!(
            s.kind,
            Kind::Each {
                each: vec!["made".into()],
                to: vec!["kept".into()],
                due: Due::By("promised_at".into()),
            }
        );
        // `by` is on line 21, its value at column 6; the orders source is a cases layout.
        for (body, want) in [
            ("within = \"1h\"\nby = \"promised_at\"", "s.toml:22:6: standard \"x\": an each standard takes `within` (a limit from each occurrence) or `by`"),
            ("by = \" \"", "s.toml:21:6: standard \"x\": `by` needs the column that holds the time promised"),
            ("", "standard \"x\": missing `within`"),
        ] {
            let e = err(&std(body));
            assert!(e.contains(want), "{body}\n got: {e}\nwant: {want}");
        }
        let e = err(&std("by = \"due\"")
            .replace("source = \"tickets\"", "source = \"orders\"")
            .replace("\"made\"", "\"placed\"")
            .replace("\"kept\"", "\"delivered\""));
        assert!(e.contains("s.toml:21:6: standard \"x\": `by` in an each standard reads the promised time from each occurrence's row, which needs an events layout; source \"orders\" is cases"), "{e}");
        // No pause moves a promised time.
        let e = err(&std(
            "by = \"promised_at\"\npause_on = \"hold\"\nresume_on = \"back\"",
        ));
        assert!(
            e.contains("`pause_on` applies to elapsed and each standards with a duration"),
            "{e}"
        );
    }

    #[test]
    fn target_ranges_are_lists_or_strings() {
        let std = |t: &str| {
            format!("{HEAD}\n[[standard]]\nid = \"x\"\nsource = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\ntarget = {t}\n")
        };
        for t in [
            "[30, 50]",
            "[30.0, \"50%\"]",
            "\"30%..50%\"",
            "\" 30 .. 50 \"",
        ] {
            let s = &parse(&std(t)).unwrap().standards[0];
            assert_eq!((s.target, s.target_max), (30.0, Some(50.0)), "{t}");
        }
        assert_eq!(parse(&std("95")).unwrap().standards[0].target_max, None);
        // The target key is on line 22, its value at column 10.
        for (t, want) in [
            ("[50, 30]", "s.toml:22:10: standard \"x\": target range 50..30 has its low end above its high end; write [30, 50]"),
            ("\"50%..30%\"", "s.toml:22:10: standard \"x\": target range 50..30 has its low end above its high end"),
            ("[30, 120]", "s.toml:22:10: standard \"x\": target 120 is not a percentage between 0 and 100"),
            ("[30]", "s.toml:22:10: invalid length 1, expected two percentages, [low, high]"),
            ("[30, 40, 50]", "invalid length 3, expected two percentages, [low, high]"),
            ("\"30%..most\"", "or a range such as [30, 50] or \"30%..50%\""),
        ] {
            let e = err(&std(t));
            assert!(e.contains(want), "{t}\n got: {e}\nwant: {want}");
        }
    }

    #[test]
    fn a_range_passes_inside_and_fails_on_either_side() {
        let mut s = parse(&format!("{HEAD}\n[[standard]]\nid = \"x\"\nsource = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\ntarget = [40, 55]\n"))
            .unwrap()
            .standards
            .remove(0);
        // 11 of 20 is 55.00000000000001 in met / decided x 100: at the top, not above it.
        let at_top = 11.0 / 20.0 * 100.0;
        assert!(at_top > 55.0);
        for (c, passes, variance) in [
            (39.0, false, -1.0),
            (40.0, true, 0.0),
            (50.0, true, 0.0),
            (at_top, true, 0.0),
            (60.0, false, 5.0),
        ] {
            assert_eq!(
                (s.passes(c), s.target_variance(c)),
                (passes, variance),
                "{c}"
            );
        }
        // Without a range a surplus is a pass with a positive variance, as before.
        s.target_max = None;
        assert_eq!((s.passes(60.0), s.target_variance(60.0)), (true, 20.0));
    }

    #[test]
    fn a_repeat_standard_and_the_keys_it_refuses() {
        let std = |body: &str| format!("{HEAD}\n[[standard]]\nid = \"x\"\n{body}\n");
        let c = parse(&std("source = \"tickets\"\nreturns = \"bought\"\nwithin = \"365d\"\ncustomer = \" customer_id \"\ntarget = [30, 50]")).unwrap();
        let s = &c.standards[0];
        assert_eq!(
            s.kind,
            Kind::Repeat {
                returns: vec!["bought".into()],
                within: 365 * 86_400,
                customer: Some("customer_id".into()),
            }
        );
        assert_eq!(s.kind.kind().as_str(), "repeat");
        assert_eq!(
            s.rule(),
            "bought in the 365d before the period -> bought again in it, per customer (customer_id)"
        );
        let c = parse(&std(
            "source = \"tickets\"\nreturns = [\"bought\", \"renewed\"]\nwithin = \"52w\"",
        ))
        .unwrap();
        assert_eq!(
            c.standards[0].rule(),
            "bought|renewed in the 52w before the period -> bought|renewed again in it, per case"
        );
        // The body starts on line 18: `source`, then `returns` on 19, the next key on 20.
        let r = "source = \"tickets\"\nreturns = \"bought\"\n";
        for (body, want) in [
            (format!("{r}to = \"x\"\nwithin = \"365d\""), "s.toml:20:6: standard \"x\": `to` does not belong to a repeat (returns/within, optional customer) standard"),
            (format!("{r}within = \"365d\"\nfrom = \"x\""), "s.toml:21:8: standard \"x\": `from` does not belong to a repeat"),
            (format!("{r}each = \"x\"\nwithin = \"365d\""), "s.toml:20:8: standard \"x\": `each` does not belong to a repeat"),
            (r.to_string(), "s.toml:16:1: standard \"x\": missing `within` (a repeat (returns/within) standard needs its look-back, such as \"365d\""),
            (format!("{r}within = \"same day\""), "s.toml:20:10: standard \"x\": within: a repeat standard's look-back is a duration such as \"365d\" or \"52w\", not \"same day\""),
            (format!("{r}within = \"2 business days\""), "not \"2 business days\": it is wall-clock time"),
            (format!("{r}within = \"0s\""), "s.toml:20:10: standard \"x\": within: a repeat standard's look-back must be longer than 0s"),
            (format!("{r}within = \"365d\"\ncustomer = \"ticket_id\""), "s.toml:21:12: standard \"x\": `customer` = \"ticket_id\" is the case column of source \"tickets\""),
            (format!("{r}within = \"365d\"\ncustomer = \" \""), "s.toml:21:12: standard \"x\": `customer` needs the column"),
            (format!("{r}within = \"365d\"\ncalendar = \"always\""), "s.toml:21:12: standard \"x\": `calendar` does not apply to a repeat (returns/within) standard"),
            (format!("{r}within = \"365d\"\nunless = \"refund\""), "s.toml:21:10: standard \"x\": `unless` does not apply to a repeat"),
            (format!("{r}within = \"365d\"\npause_on = \"a\"\nresume_on = \"b\""), "s.toml:21:12: standard \"x\": `pause_on` does not apply to a repeat"),
            ("source = \"orders\"\nreturns = \"placed\"\nwithin = \"365d\"".to_string(), "s.toml:19:11: standard \"x\": a repeat standard on source \"orders\" (a cases layout, one `returns` milestone per row) needs `customer = \"COLUMN\"`"),
            ("source = \"orders\"\nreturns = \"payed\"\nwithin = \"365d\"".to_string(), "s.toml:19:11: standard \"x\": `returns`: \"payed\" is not a milestone of source \"orders\""),
            ("source = \"tickets\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\ncustomer = \"c\"".to_string(), "s.toml:22:12: standard \"x\": `customer` does not belong to a elapsed (from/to/within) standard"),
            (format!("{r}within = \"365d\"\non = \"x\""), "s.toml:21:6: standard \"x\": `on` does not belong to a repeat"),
            (format!("{r}within = \"365d\"\neffective_from = 2026-01-01"), "s.toml:21:18: standard \"x\": `effective_from` does not apply to a repeat (returns/within) standard: a repeat rate is one figure for its whole period, with no versions by date"),
            ("source = \"tickets\"\nvalue = \"rings\"\nat_most = 3\nreturns = \"b\"".to_string(), "s.toml:21:11: standard \"x\": `returns` does not belong to a value (value/on/at_least/at_most) standard"),
        ] {
            let e = err(&std(&body));
            assert!(e.contains(want), "{body}\n got: {e}\nwant: {want}");
        }
        // With a customer column a case table can hold a customer's many rows.
        let c = parse(&std("source = \"orders\"\nreturns = \"placed\"\nwithin = \"365d\"\ncustomer = \"customer_id\"")).unwrap();
        assert_eq!(c.standards[0].kind.kind(), StandardKind::Repeat);
    }

    #[test]
    fn a_value_standard_reads_a_column_on_an_event_or_the_case() {
        let std = |body: &str| {
            format!("{HEAD}\n[[standard]]\nid = \"x\"\nsource = \"tickets\"\n{body}\n")
        };
        let s = &parse(&std(
            "value = \"rings\"\non = \"call_answered\"\nat_most = 3",
        ))
        .unwrap()
        .standards[0];
        assert_eq!(
            s.kind,
            Kind::Value {
                column: "rings".into(),
                on: Some(vec!["call_answered".into()]),
                at_least: None,
                at_most: Some(3.0),
            }
        );
        assert_eq!(s.kind.kind().as_str(), "value");
        assert_eq!(s.rule(), "rings <= 3 on call_answered");
        assert_eq!(s.event_names().collect::<Vec<_>>(), ["call_answered"]);
        let s = &parse(&std("value = \"csat\"\nat_least = 4.5\nat_most = 5"))
            .unwrap()
            .standards[0];
        assert_eq!(s.rule(), "csat 4.5 to 5");
        assert_eq!(value_bounds(Some(4.5), None), ">= 4.5");
        // A count keeps whole numbers; equal bounds are one value, not an error.
        assert!(parse(&std("value = \"csat\"\nat_least = 4\nat_most = 4")).is_ok());
        let e = err(&std("from = \"a\"\ncount = \"b\"\nat_most = 1.5"));
        assert!(e.contains("s.toml:21:11: standard \"x\": `at_most` = 1.5: a count standard counts events, so its bound is a whole number"), "{e}");
        let e = err(&std(
            "value = \"csat\"\nat_least = 4\ncalendar = \"always\"",
        ));
        assert!(e.contains("so `calendar` does not apply"), "{e}");
    }

    #[test]
    fn smart_warnings_name_what_is_missing() {
        let c = parse(&format!(
            "{HEAD}\n[[standard]]\nid = \"c\"\nsource = \"tickets\"\nfrom = \"created\"\ncount = \"follow_up\"\nat_least = 3\ntarget = 0\n"
        ))
        .unwrap();
        let w = smart_warnings(&c);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("has no title"));
        assert!(w[1].contains("has no time bound"));
        assert!(w[2].contains("target of 0%"));
    }
}
