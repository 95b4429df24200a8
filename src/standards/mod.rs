//! Standards files: raw TOML -> a validated model of sources and standards.
//! Every rule of the format is checked here, with the file, line and column of the offending
//! key; this module knows nothing of CSV contents, evaluation or output.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono_tz::Tz;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, LineIndex, Result};
use crate::time::calendar::{self, Calendar};
use crate::time::duration::Within;
use crate::time::stamp::TimeFormat;

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
    /// Columns of milestones that hold promised times (`deadlines`), not things that happened:
    /// they never make the log's latest time, and so never the default as-of.
    pub deadlines: Vec<String>,
}

impl Source {
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
    /// One case per occurrence of an `each` event, stopped by the first `to` at or after it.
    Each {
        each: Vec<String>,
        to: Vec<String>,
        within: Within,
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
}

/// Which kind a standard is, without its keys: what reports carry and renderers match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardKind {
    Elapsed,
    Each,
    Count,
    Deadline,
}

impl StandardKind {
    /// The name in reports (`kind` in JSON and CSV).
    pub fn as_str(self) -> &'static str {
        match self {
            StandardKind::Elapsed => "elapsed",
            StandardKind::Each => "each",
            StandardKind::Count => "count",
            StandardKind::Deadline => "deadline",
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
        }
    }

    /// The time limit, for the kinds that have one.
    pub fn within(&self) -> Option<Within> {
        match self {
            Kind::Elapsed { within, .. } | Kind::Each { within, .. } => Some(*within),
            Kind::Count { within, .. } => *within,
            Kind::Deadline { .. } => None,
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
    /// Percent of decided cases that must meet the standard.
    pub target: f64,
    pub file: usize,
    /// Line of the standard's `id` in its file (for annotations).
    pub line: usize,
    /// Whether `target` was written (a missing one is not SMART-specific).
    pub target_given: bool,
    /// `within` as written ("24h" stays "24h" in reports, not "1d").
    pub within_text: Option<String>,
}

impl Standard {
    /// Every event name the standard reads, in any role.
    pub fn event_names(&self) -> impl Iterator<Item = &str> {
        let lists: Vec<&Vec<String>> = match &self.kind {
            Kind::Elapsed { from, to, .. } => vec![from, to],
            Kind::Each { each, to, .. } => vec![each, to],
            Kind::Count { from, count, .. } => vec![from, count],
            Kind::Deadline { from, to, .. } => from.iter().chain(std::iter::once(to)).collect(),
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
            Kind::Each { each, to, within } => {
                format!(
                    "each {} -> {} within {}",
                    j(each),
                    j(to),
                    self.written(*within)
                )
            }
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
        };
        if !self.unless.is_empty() {
            s.push_str(&format!(" unless {}", j(&self.unless)));
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Raw TOML, exactly as written. Unknown keys are rejected by serde with their position.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Option<Spanned<i64>>,
    timezone: Option<Spanned<String>>,
    #[serde(default = "Ordered::empty")]
    calendars: Ordered<Spanned<String>, Spanned<RawCalendar>>,
    #[serde(default = "Ordered::empty")]
    sources: Ordered<Spanned<String>, Spanned<RawSource>>,
    #[serde(default)]
    standard: Vec<Spanned<RawStandard>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    layout: Option<Spanned<String>>,
    case: Option<Spanned<String>>,
    time: Option<Spanned<String>>,
    event: Option<Spanned<String>>,
    timezone: Option<Spanned<String>>,
    time_format: Option<Spanned<Names>>,
    path: Option<Spanned<String>>,
    delimiter: Option<Spanned<String>>,
    quote: Option<Spanned<String>>,
    skip_lines: Option<Spanned<i64>>,
    null_values: Option<Spanned<Vec<String>>>,
    date_columns: Option<Spanned<Vec<String>>>,
    deadlines: Option<Spanned<Vec<String>>>,
    message: Option<Spanned<String>>,
    reply_to: Option<Spanned<String>>,
    attributes_from: Option<Spanned<Names>>,
    events: Option<Spanned<Ordered<String, String>>>,
    milestones: Option<Spanned<Ordered<Spanned<String>, Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStandard {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    level: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    #[serde(rename = "where")]
    filter: Option<Spanned<Ordered<String, Values>>>,
    from: Option<Spanned<Names>>,
    to: Option<Spanned<Names>>,
    each: Option<Spanned<Names>>,
    count: Option<Spanned<Names>>,
    unless: Option<Spanned<Names>>,
    within: Option<Spanned<String>>,
    at_least: Option<Spanned<i64>>,
    at_most: Option<Spanned<i64>>,
    by: Option<Spanned<String>>,
    calendar: Option<Spanned<RawCalendarRef>>,
    pause_on: Option<Spanned<Names>>,
    resume_on: Option<Spanned<Names>>,
    target: Option<Spanned<Percent>>,
}

type SpanList = Spanned<Vec<Spanned<String>>>;
type Spans = Option<SpanList>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    timezone: Option<Spanned<String>>,
    mon: Spans,
    tue: Spans,
    wed: Spans,
    thu: Spans,
    fri: Spans,
    sat: Spans,
    sun: Spans,
    holidays: Spans,
    overrides: Option<Spanned<Ordered<Spanned<String>, SpanList>>>,
}

/// `calendar = "office"` or `calendar = { by = "team", map = { ... }, default = "..." }`.
enum RawCalendarRef {
    Name(String),
    ByAttribute {
        by: Spanned<String>,
        map: Spanned<Ordered<String, Spanned<String>>>,
        default: Option<Spanned<String>>,
    },
}

impl<'de> Deserialize<'de> for RawCalendarRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCalendarRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a calendar name, or a table { by = \"COLUMN\", map = { VALUE = \"CALENDAR\" }, default = \"CALENDAR\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(RawCalendarRef::Name(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                const FIELDS: &[&str] = &["by", "map", "default"];
                let (mut by, mut map, mut default) = (None, None, None);
                while let Some(key) = m.next_key::<String>()? {
                    match key.as_str() {
                        "by" => by = Some(m.next_value()?),
                        "map" => map = Some(m.next_value()?),
                        "default" => default = Some(m.next_value()?),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(RawCalendarRef::ByAttribute {
                    by: by.ok_or_else(|| de::Error::missing_field("by"))?,
                    map: map.ok_or_else(|| de::Error::missing_field("map"))?,
                    default,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A TOML table with its keys in the order they are written (milestones, renames, filters).
struct Ordered<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V2<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for V2<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

impl<K, V> Ordered<K, V> {
    fn empty() -> Self {
        Ordered(Vec::new())
    }
}

/// One event name or a list of them.
struct Names(Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event name or a list of event names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Names, E> {
                Ok(Names(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Names, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Names(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A percentage: `95`, `99.5` or `"95%"`.
struct Percent(f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Percent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percentage such as 95, 99.5 or \"95%\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Percent, E> {
                Ok(Percent(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Percent, E> {
                Ok(Percent(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Percent, E> {
                v.trim()
                    .strip_suffix('%')
                    .unwrap_or(v)
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(Percent)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// One attribute value or a list of them; numbers and booleans are compared as written.
struct Values(Vec<String>);

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            S(String),
            I(i64),
            F(f64),
            B(bool),
        }
        impl Scalar {
            fn text(self) -> String {
                match self {
                    Scalar::S(s) => s,
                    Scalar::I(i) => i.to_string(),
                    Scalar::F(f) => f.to_string(),
                    Scalar::B(b) => b.to_string(),
                }
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Values;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Values, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<Scalar>()? {
                    out.push(s.text());
                }
                Ok(Values(out))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// Loading and validation.

/// Loads a standards file, or every `*.toml` in a folder (sorted by name).
pub fn load(path: &Path) -> Result<Catalog> {
    let files = if path.is_dir() {
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in
            std::fs::read_dir(path).map_err(|e| Error::io(path.display().to_string(), e))?
        {
            let file = entry
                .map_err(|e| Error::io(path.display().to_string(), e))?
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
                return Err(Error::usage(format!(
                    "{}: is {what}, not a standards file; remove or rename it (the folder's \
                     *.toml files are all read)",
                    file.display()
                )));
            }
            files.push(file);
        }
        files.sort();
        if files.is_empty() {
            return Err(Error::usage(format!(
                "{}: the folder holds no standards files (*.toml)",
                path.display()
            )));
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
        let text = std::fs::read(&file).map_err(|e| Error::io(file.display().to_string(), e))?;
        let text = String::from_utf8(text).map_err(|e| Error::Standards {
            path: file.clone(),
            pos: None,
            message: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        })?;
        add_file_with(&mut catalog, &mut ids, &file, &text)?;
    }
    if catalog.standards.is_empty() {
        return Err(Error::usage(format!(
            "{}: no standard to audit: add a [[standard]] table (an empty catalogue would pass \
             every audit)",
            path.display()
        )));
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
/// loading a folder file by file does not collect them again for every file.
fn add_file_with(
    catalog: &mut Catalog,
    ids: &mut StandardIds,
    path: &Path,
    text: &str,
) -> Result<()> {
    let lines = LineIndex::new(text);
    let fail = |span: Option<std::ops::Range<usize>>, message: String| Error::Standards {
        path: path.to_path_buf(),
        pos: span.map(|s| lines.position(s.start)),
        message,
    };
    let raw: RawFile =
        toml::from_str(text).map_err(|e| fail(e.span(), e.message().trim_end().to_string()))?;

    let version = raw.version.ok_or_else(|| {
        fail(
            Some(0..0),
            format!("missing `version = {FORMAT_VERSION}` at the top of the file"),
        )
    })?;
    if *version.get_ref() != FORMAT_VERSION {
        return Err(fail(
            Some(version.span()),
            format!(
                "unsupported version {}; this yardstick reads version {FORMAT_VERSION}",
                version.get_ref()
            ),
        ));
    }
    let parse_tz = |s: &Spanned<String>| parse_tz(s, &fail);
    let timezone = match &raw.timezone {
        Some(s) => parse_tz(s)?,
        None => Tz::UTC,
    };
    let file_index = catalog.files.len();
    // Calendars of this file, by name; standards refer to the calendars of their own file.
    let mut local_calendars: Vec<(String, Arc<Calendar>)> = Vec::new();
    for (name, raw_cal) in &raw.calendars.0 {
        let cal = Arc::new(build_calendar(name, raw_cal, timezone, &fail)?);
        local_calendars.push((name.get_ref().clone(), cal.clone()));
        catalog.calendars.push(CalendarDef {
            calendar: cal,
            file: file_index,
            line: lines.position(name.span().start).line,
        });
    }
    catalog.files.push(FileInfo {
        path: path.to_path_buf(),
        timezone,
    });
    let base = path.parent().unwrap_or(Path::new("."));

    // Sources of this file: name -> global index.
    let mut local_sources: BTreeMap<String, usize> = BTreeMap::new();
    for (name, raw_source) in &raw.sources.0 {
        let r = raw_source.get_ref();
        let at = |s: &Spanned<String>| Some(s.span());
        let table_span = Some(name.span());
        let need = |field: &Option<Spanned<String>>, key: &str, layout: &str| {
            field.as_ref().map(|s| s.get_ref().clone()).ok_or_else(|| {
                fail(
                    table_span.clone(),
                    format!(
                        "source {:?}: missing `{key}` (required for layout = \"{layout}\")",
                        name.get_ref()
                    ),
                )
            })
        };
        let layout_name = r.layout.as_ref().ok_or_else(|| {
            fail(table_span.clone(), format!("source {:?}: missing `layout`; expected \"events\" (one row per event), \"cases\" (one row per case) or \"threads\" (one row per message, replies linked by id)", name.get_ref()))
        })?;
        let renames = || -> Vec<(String, String)> {
            r.events
                .as_ref()
                .map(|m| {
                    m.get_ref()
                        .0
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        // Keys that belong to one layout only.
        type Foreign<'k> = (&'k str, Option<std::ops::Range<usize>>, &'k [&'k str]);
        let foreign: [Foreign; 7] = [
            (
                "milestones",
                r.milestones.as_ref().map(|m| m.span()),
                &["cases"],
            ),
            (
                "deadlines",
                r.deadlines.as_ref().map(|m| m.span()),
                &["cases"],
            ),
            (
                "time",
                r.time.as_ref().map(|m| m.span()),
                &["events", "threads"],
            ),
            (
                "event",
                r.event.as_ref().map(|m| m.span()),
                &["events", "threads"],
            ),
            (
                "events",
                r.events.as_ref().map(|m| m.span()),
                &["events", "threads"],
            ),
            (
                "message",
                r.message.as_ref().map(|m| m.span()),
                &["threads"],
            ),
            (
                "reply_to",
                r.reply_to.as_ref().map(|m| m.span()),
                &["threads"],
            ),
        ];
        for (key, span, layouts) in foreign {
            if let Some(span) = span {
                if !layouts.contains(&layout_name.get_ref().as_str()) {
                    let list: Vec<String> = layouts
                        .iter()
                        .map(|l| format!("layout = \"{l}\""))
                        .collect();
                    return Err(fail(
                        Some(span),
                        format!(
                            "source {:?}: `{key}` belongs to {}, not layout = {:?}",
                            name.get_ref(),
                            list.join(" or "),
                            layout_name.get_ref()
                        ),
                    ));
                }
            }
        }
        if let Some(a) = &r.attributes_from {
            if layout_name.get_ref() != "threads" {
                return Err(fail(
                    Some(a.span()),
                    format!(
                        "source {:?}: `attributes_from` belongs to layout = \"threads\"",
                        name.get_ref()
                    ),
                ));
            }
        }
        let layout = match layout_name.get_ref().as_str() {
            "threads" => Layout::Threads {
                message: need(&r.message, "message", "threads")?,
                reply_to: need(&r.reply_to, "reply_to", "threads")?,
                time: need(&r.time, "time", "threads")?,
                event: need(&r.event, "event", "threads")?,
                renames: renames(),
                attributes_from: r
                    .attributes_from
                    .as_ref()
                    .map(|a| a.get_ref().0.clone())
                    .unwrap_or_default(),
            },
            "events" => Layout::Events {
                time: need(&r.time, "time", "events")?,
                event: need(&r.event, "event", "events")?,
                renames: renames(),
            },
            "cases" => {
                let milestones: Vec<(String, String)> = r
                    .milestones
                    .as_ref()
                    .map(|m| {
                        m.get_ref()
                            .0
                            .iter()
                            .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
                            .collect()
                    })
                    .unwrap_or_default();
                if milestones.is_empty() {
                    return Err(fail(table_span.clone(), format!(
                        "source {:?}: a cases layout needs [sources.{}.milestones] mapping event names to time columns, e.g. paid = \"paid_at\"",
                        name.get_ref(), name.get_ref()
                    )));
                }
                Layout::Cases { milestones }
            }
            other => {
                return Err(fail(at(layout_name), format!("source {:?}: unknown layout {other:?}; expected \"events\" (one row per event), \"cases\" (one row per case) or \"threads\" (one row per message, replies linked by id)", name.get_ref())));
            }
        };
        let time_format = match &r.time_format {
            Some(f) => TimeFormat::patterns(&f.get_ref().0).map_err(|m| fail(Some(f.span()), m))?,
            None => TimeFormat::Auto,
        };
        let quote = match &r.quote {
            None => b'"',
            Some(q) => match q.get_ref().as_bytes() {
                [c] if c.is_ascii() => *c,
                _ => {
                    return Err(fail(
                        at(q),
                        format!(
                            "source {:?}: quote must be one ASCII character such as '\"' or \"'\"",
                            name.get_ref()
                        ),
                    ))
                }
            },
        };
        let skip_lines = match &r.skip_lines {
            None => 0,
            Some(n) if (0..=10_000).contains(n.get_ref()) => *n.get_ref() as usize,
            Some(n) => {
                return Err(fail(
                    Some(n.span()),
                    format!(
                        "source {:?}: skip_lines must be a number of lines from 0 to 10000",
                        name.get_ref()
                    ),
                ))
            }
        };
        let delimiter = match &r.delimiter {
            None => b',',
            Some(d) => match d.get_ref().as_str() {
                "\\t" | "\t" | "tab" => b'\t',
                s if s.len() == 1 && s.is_ascii() => s.as_bytes()[0],
                _ => return Err(fail(at(d), format!("source {:?}: delimiter must be one ASCII character such as \",\", \";\", \"|\" or \"\\t\"", name.get_ref()))),
            },
        };
        let source_tz = match &r.timezone {
            Some(s) => parse_tz(s)?,
            None => timezone,
        };
        // In a threads layout a case is a thread, named after the message that starts it.
        let case = match &layout {
            Layout::Threads { message, .. } => {
                if let Some(c) = &r.case {
                    return Err(fail(at(c), format!("source {:?}: a threads layout has no `case` column: a case is a thread, found by following `reply_to` to its first message", name.get_ref())));
                }
                message.clone()
            }
            _ => need(&r.case, "case", layout_name.get_ref())?,
        };
        // Milestone names stand for their columns; the reader compares column names.
        let date_columns: Vec<String> = r
            .date_columns
            .as_ref()
            .map(|v| {
                v.get_ref()
                    .iter()
                    .map(|name| match &layout {
                        Layout::Cases { milestones } => milestones
                            .iter()
                            .find(|(m, _)| m == name)
                            .map_or_else(|| name.clone(), |(_, c)| c.clone()),
                        _ => name.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Promised times, by milestone name, kept as their columns.
        let mut deadlines = Vec::new();
        if let (Some(list), Layout::Cases { milestones }) = (&r.deadlines, &layout) {
            for wanted in list.get_ref() {
                match milestones.iter().find(|(m, _)| m == wanted) {
                    Some((_, col)) => deadlines.push(col.clone()),
                    None => {
                        return Err(fail(
                            Some(list.span()),
                            format!(
                                "source {:?}: `deadlines` names {wanted:?}, which is not one of its milestones ({})",
                                name.get_ref(),
                                milestones
                                    .iter()
                                    .map(|(m, _)| format!("{m:?}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ))
                    }
                }
            }
        }
        let global = catalog.sources.len();
        local_sources.insert(name.get_ref().clone(), global);
        catalog.sources.push(Source {
            name: name.get_ref().clone(),
            file: file_index,
            layout,
            case,
            time_format,
            timezone: source_tz,
            path: r.path.as_ref().map(|p| base.join(p.get_ref())),
            delimiter,
            line: lines.position(name.span().start).line,
            quote,
            skip_lines,
            null_values: r
                .null_values
                .as_ref()
                .map(|v| v.get_ref().iter().map(|s| s.trim().to_string()).collect())
                .unwrap_or_default(),
            date_columns,
            deadlines,
        });
    }

    for raw_std in &raw.standard {
        let standard = validate_standard(
            catalog,
            raw_std,
            &local_sources,
            &local_calendars,
            file_index,
            timezone,
            &lines,
            &fail,
        )?;
        if let Some(prev) = ids.0.get(&standard.id).map(|&i| &catalog.standards[i]) {
            let id_span = raw_std.get_ref().id.as_ref().map(|s| s.span());
            return Err(fail(
                id_span,
                format!(
                    "duplicate standard id {:?}; it is already used at {}:{}",
                    standard.id,
                    catalog.files[prev.file].path.display(),
                    prev.line
                ),
            ));
        }
        ids.0.insert(standard.id.clone(), catalog.standards.len());
        catalog.standards.push(standard);
    }
    Ok(())
}

type Fail<'a> = dyn Fn(Option<std::ops::Range<usize>>, String) -> Error + 'a;

fn parse_tz(s: &Spanned<String>, fail: &Fail) -> Result<Tz> {
    s.get_ref().parse::<Tz>().map_err(|_| {
        fail(
            Some(s.span()),
            format!(
                "unknown time zone {:?}; expected an IANA zone name such as \"UTC\", \"Europe/Kyiv\" or \"America/New_York\"",
                s.get_ref()
            ),
        )
    })
}

/// `[calendars.NAME]` -> a business calendar; every span, date and zone checked in place.
fn build_calendar(
    name: &Spanned<String>,
    raw: &Spanned<RawCalendar>,
    file_tz: Tz,
    fail: &Fail,
) -> Result<Calendar> {
    let n = name.get_ref();
    let ctx = |m: String| format!("calendar {n:?}: {m}");
    if n == "always" {
        return Err(fail(
            Some(name.span()),
            ctx(
                "\"always\" is the built-in round-the-clock calendar; give yours another name"
                    .into(),
            ),
        ));
    }
    let r = raw.get_ref();
    let tz = match &r.timezone {
        Some(s) => parse_tz(s, fail)?,
        None => file_tz,
    };
    let spans = |list: &Spanned<Vec<Spanned<String>>>, key: &str| -> Result<Vec<calendar::Span>> {
        list.get_ref()
            .iter()
            .map(|s| {
                calendar::parse_span(s.get_ref())
                    .map_err(|m| fail(Some(s.span()), ctx(format!("{key}: {m}"))))
            })
            .collect()
    };
    let days = [&r.mon, &r.tue, &r.wed, &r.thu, &r.fri, &r.sat, &r.sun];
    let mut week: [Vec<calendar::Span>; 7] = Default::default();
    let keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for (i, (day, key)) in days.iter().zip(keys).enumerate() {
        if let Some(list) = day {
            week[i] = spans(list, key)?;
        }
    }
    let mut holidays = Vec::new();
    if let Some(list) = &r.holidays {
        for h in list.get_ref() {
            holidays.push(
                calendar::parse_holiday(h.get_ref())
                    .map_err(|m| fail(Some(h.span()), ctx(format!("holidays: {m}"))))?,
            );
        }
    }
    let mut overrides = BTreeMap::new();
    if let Some(table) = &r.overrides {
        for (date, list) in &table.get_ref().0 {
            let d = calendar::parse_date(date.get_ref())
                .map_err(|m| fail(Some(date.span()), ctx(format!("overrides: {m}"))))?;
            overrides.insert(d, spans(list, &format!("overrides.{}", date.get_ref()))?);
        }
    }
    // Point a clash of spans at the weekday that has it: each day alone, then each day with
    // the next (a span past midnight runs into it).
    for i in 0..7 {
        let j = (i + 1) % 7;
        let Some(list) = days[i] else { continue };
        for with_next in [false, true] {
            let mut pair: [Vec<calendar::Span>; 7] = Default::default();
            pair[i] = week[i].clone();
            if with_next {
                pair[j] = week[j].clone();
            }
            if let Err(m) = calendar::Schedule::new(pair, Vec::new(), BTreeMap::new()) {
                return Err(fail(Some(list.span()), ctx(m)));
            }
        }
    }
    let schedule = calendar::Schedule::new(week, holidays, overrides)
        .map_err(|m| fail(Some(name.span()), ctx(m)))?;
    Ok(Calendar::business(n.clone(), tz, schedule))
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the list
fn validate_standard(
    catalog: &Catalog,
    raw: &Spanned<RawStandard>,
    sources: &BTreeMap<String, usize>,
    calendars: &[(String, Arc<Calendar>)],
    file: usize,
    timezone: Tz,
    lines: &LineIndex,
    fail: &Fail,
) -> Result<Standard> {
    let table = Some(raw.span());
    let r = raw.get_ref();
    let id = r.id.as_ref().ok_or_else(|| fail(table.clone(), "[[standard]] without an `id`; every standard needs a unique id such as \"first-reply-10m\"".into()))?;
    let id_text = id.get_ref().clone();
    if id_text.is_empty()
        || !id_text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(fail(Some(id.span()), format!("standard id {id_text:?} must be non-empty and use only letters, digits, '-', '_' and '.'")));
    }
    let ctx = |msg: String| format!("standard {id_text:?}: {msg}");

    let level = match &r.level {
        None => Level::Operational,
        Some(l) => Level::parse(l.get_ref()).ok_or_else(|| {
            fail(
                Some(l.span()),
                ctx(format!(
                    "unknown level {:?}; expected one of {}",
                    l.get_ref(),
                    Level::NAMES
                )),
            )
        })?,
    };

    let source = match &r.source {
        Some(s) => *sources.get(s.get_ref()).ok_or_else(|| {
            let known: Vec<&str> = sources.keys().map(String::as_str).collect();
            fail(
                Some(s.span()),
                ctx(format!(
                    "unknown source {:?}; this file defines {}",
                    s.get_ref(),
                    if known.is_empty() {
                        "no sources ([sources.NAME])".to_string()
                    } else {
                        known.join(", ")
                    }
                )),
            )
        })?,
        None if sources.len() == 1 => *sources.values().next().expect("one source"),
        None => {
            return Err(fail(
                table.clone(),
                ctx(format!(
                    "missing `source`; this file defines {}",
                    if sources.is_empty() {
                        "no sources ([sources.NAME])".to_string()
                    } else {
                        sources.keys().cloned().collect::<Vec<_>>().join(", ")
                    }
                )),
            ));
        }
    };
    let src = &catalog.sources[source];

    let names = |field: &Option<Spanned<Names>>, key: &str| -> Result<Option<Vec<String>>> {
        let Some(f) = field else { return Ok(None) };
        let list = &f.get_ref().0;
        if list.is_empty() || list.iter().any(|s| s.trim().is_empty()) {
            return Err(fail(
                Some(f.span()),
                ctx(format!("`{key}` needs one or more non-empty event names")),
            ));
        }
        // In a cases layout the events are the milestones, so a typo can be caught now.
        if let Layout::Cases { milestones } = &src.layout {
            for name in list {
                if !milestones.iter().any(|(m, _)| m == name) {
                    let known: Vec<&str> = milestones.iter().map(|(m, _)| m.as_str()).collect();
                    return Err(fail(Some(f.span()), ctx(format!(
                        "`{key}`: {name:?} is not a milestone of source {:?}; its milestones are {}",
                        src.name,
                        known.join(", ")
                    ))));
                }
            }
        }
        Ok(Some(list.clone()))
    };
    let from = names(&r.from, "from")?;
    let to = names(&r.to, "to")?;
    let each = names(&r.each, "each")?;
    let count = names(&r.count, "count")?;
    let unless = names(&r.unless, "unless")?.unwrap_or_default();
    let within = match &r.within {
        Some(w) => Some(
            Within::parse(w.get_ref())
                .map_err(|m| fail(Some(w.span()), ctx(format!("within: {m}"))))?,
        ),
        None => None,
    };
    let bound = |f: &Option<Spanned<i64>>, key: &str| -> Result<Option<u64>> {
        match f {
            None => Ok(None),
            Some(n) if *n.get_ref() >= 0 => Ok(Some(*n.get_ref() as u64)),
            Some(n) => Err(fail(
                Some(n.span()),
                ctx(format!(
                    "`{key}` must be a whole number of events, 0 or more"
                )),
            )),
        }
    };
    let at_least = bound(&r.at_least, "at_least")?;
    let at_most = bound(&r.at_most, "at_most")?;

    // Which kind is this? Each kind's keys, and the keys that do not belong to it.
    let present = |key: &str| -> Option<std::ops::Range<usize>> {
        match key {
            "from" => r.from.as_ref().map(|s| s.span()),
            "to" => r.to.as_ref().map(|s| s.span()),
            "each" => r.each.as_ref().map(|s| s.span()),
            "count" => r.count.as_ref().map(|s| s.span()),
            "within" => r.within.as_ref().map(|s| s.span()),
            "at_least" => r.at_least.as_ref().map(|s| s.span()),
            "at_most" => r.at_most.as_ref().map(|s| s.span()),
            "by" => r.by.as_ref().map(|s| s.span()),
            _ => None,
        }
    };
    let (kind_name, allowed): (&str, &[&str]) = if each.is_some() {
        ("each (each/to/within)", &["each", "to", "within"])
    } else if count.is_some() {
        (
            "count (from/count/at_least/at_most/within)",
            &["from", "count", "at_least", "at_most", "within"],
        )
    } else if r.by.is_some() {
        ("deadline (to/by, optional from)", &["from", "to", "by"])
    } else {
        ("elapsed (from/to/within)", &["from", "to", "within"])
    };
    for key in [
        "from", "to", "each", "count", "within", "at_least", "at_most", "by",
    ] {
        if !allowed.contains(&key) {
            if let Some(span) = present(key) {
                return Err(fail(
                    Some(span),
                    ctx(format!("`{key}` does not belong to a {kind_name} standard")),
                ));
            }
        }
    }
    let required = |v: Option<Vec<String>>, key: &str| {
        v.ok_or_else(|| {
            fail(
                table.clone(),
                ctx(format!(
                    "missing `{key}` (a {kind_name} standard needs {})",
                    allowed.join(", ")
                )),
            )
        })
    };
    let need_within = |w: Option<Within>| {
        w.ok_or_else(|| fail(table.clone(), ctx(format!("missing `within` (a {kind_name} standard needs a time limit such as \"10m\" or \"same day\")"))))
    };
    let kind = if each.is_some() {
        Kind::Each {
            each: required(each, "each")?,
            to: required(to, "to")?,
            within: need_within(within)?,
        }
    } else if count.is_some() {
        if at_least.is_none() && at_most.is_none() {
            return Err(fail(
                table.clone(),
                ctx("a count standard needs `at_least`, `at_most` or both".into()),
            ));
        }
        if let (Some(lo), Some(hi)) = (at_least, at_most) {
            if lo > hi {
                return Err(fail(
                    r.at_least.as_ref().map(|s| s.span()),
                    ctx(format!("at_least ({lo}) is more than at_most ({hi})")),
                ));
            }
        }
        Kind::Count {
            from: required(from, "from")?,
            count: required(count, "count")?,
            at_least,
            at_most,
            within,
        }
    } else if let Some(by) = &r.by {
        let by_name = by.get_ref().trim().to_string();
        if by_name.is_empty() {
            return Err(fail(
                Some(by.span()),
                ctx("`by` needs a milestone, column or event name".into()),
            ));
        }
        Kind::Deadline {
            from,
            to: required(to, "to")?,
            by: by_name,
        }
    } else {
        Kind::Elapsed {
            from: required(from, "from")?,
            to: required(to, "to")?,
            within: need_within(within)?,
        }
    };

    let always = || Arc::new(Calendar::always(timezone));
    let find_calendar = |name: &str, span: std::ops::Range<usize>| -> Result<Arc<Calendar>> {
        if name == "always" {
            return Ok(always());
        }
        calendars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .ok_or_else(|| {
                let mut known = vec!["always".to_string()];
                known.extend(calendars.iter().map(|(n, _)| format!("{n:?}")));
                fail(
                    Some(span),
                    ctx(format!(
                        "unknown calendar {name:?}; the calendars available are: {} (define others with [calendars.NAME] in this file)",
                        known.join(", ")
                    )),
                )
            })
    };
    let calendar = match &r.calendar {
        None => CalendarChoice::Fixed(always()),
        Some(c) => match c.get_ref() {
            RawCalendarRef::Name(name) => CalendarChoice::Fixed(find_calendar(name, c.span())?),
            RawCalendarRef::ByAttribute { by, map, default } => {
                if map.get_ref().0.is_empty() {
                    return Err(fail(
                        Some(map.span()),
                        ctx("calendar.map is empty; map attribute values to calendars, e.g. { emea = \"kyiv\" }".into()),
                    ));
                }
                let mut pairs = Vec::new();
                for (value, name) in &map.get_ref().0 {
                    pairs.push((value.clone(), find_calendar(name.get_ref(), name.span())?));
                }
                CalendarChoice::ByAttribute {
                    column: by.get_ref().clone(),
                    map: pairs,
                    default: match default {
                        Some(d) => Some(find_calendar(d.get_ref(), d.span())?),
                        None => None,
                    },
                }
            }
        },
    };
    let calendar_span = r.calendar.as_ref().map(|c| c.span());
    if let (Some(span), Kind::Deadline { .. }) = (&calendar_span, &kind) {
        return Err(fail(
            Some(span.clone()),
            ctx("a deadline standard takes its deadline from the data, so `calendar` does not apply; remove it".into()),
        ));
    }
    if let (Some(w), Some(within)) = (&r.within, kind.within()) {
        for cal in calendar.all() {
            cal.check_within(within, w.get_ref())
                .map_err(|m| fail(Some(w.span()), ctx(format!("within: {m}"))))?;
        }
    }

    let pause_on = names(&r.pause_on, "pause_on")?.unwrap_or_default();
    let resume_on = names(&r.resume_on, "resume_on")?.unwrap_or_default();
    match (&r.pause_on, &r.resume_on) {
        (Some(p), None) => {
            return Err(fail(
                Some(p.span()),
                ctx("`pause_on` needs `resume_on`: the events that start the clock again".into()),
            ))
        }
        (None, Some(p)) => {
            return Err(fail(
                Some(p.span()),
                ctx("`resume_on` needs `pause_on`: the events that stop the clock".into()),
            ))
        }
        (Some(p), Some(_)) => {
            if !matches!(kind.within(), Some(Within::Span(_))) || matches!(kind, Kind::Count { .. })
            {
                return Err(fail(
                    Some(p.span()),
                    ctx("`pause_on` applies to elapsed and each standards with a duration such as \"4h\"; \"same day\", business days, counts and deadlines end at a fixed instant that a pause does not move".into()),
                ));
            }
        }
        (None, None) => {}
    }

    let target = match &r.target {
        None => 100.0,
        Some(t) => {
            let v = t.get_ref().0;
            if !(0.0..=100.0).contains(&v) {
                return Err(fail(
                    Some(t.span()),
                    ctx(format!("target {v} is not a percentage between 0 and 100")),
                ));
            }
            v
        }
    };

    let filter = match &r.filter {
        None => Vec::new(),
        Some(f) => {
            for (col, values) in &f.get_ref().0 {
                if values.0.is_empty() {
                    return Err(fail(
                        Some(f.span()),
                        ctx(format!(
                            "where: column {col:?} has an empty list of values; give at least one"
                        )),
                    ));
                }
            }
            f.get_ref()
                .0
                .iter()
                .map(|(k, v)| (k.clone(), v.0.clone()))
                .collect()
        }
    };

    Ok(Standard {
        id: id_text,
        title: r
            .title
            .as_ref()
            .map(|t| t.get_ref().trim().to_string())
            .filter(|t| !t.is_empty()),
        level,
        source,
        filter,
        kind,
        unless,
        calendar,
        pause_on,
        resume_on,
        target,
        file,
        line: lines.position(id.span().start).line,
        target_given: r.target.is_some(),
        within_text: r.within.as_ref().map(|w| w.get_ref().trim().to_string()),
    })
}

/// Warnings about standards that are valid but not SMART.
pub fn smart_warnings(catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for def in &catalog.calendars {
        let used = catalog.standards.iter().any(|s| {
            s.calendar
                .all()
                .iter()
                .any(|c| Arc::ptr_eq(c, &def.calendar))
        });
        if !used {
            out.push(format!(
                "{}:{}: calendar {:?} is not used by any standard",
                catalog.files[def.file].path.display(),
                def.line,
                def.calendar.name
            ));
        }
    }
    for s in &catalog.standards {
        let at = format!("{}:{}", catalog.files[s.file].path.display(), s.line);
        if s.title.is_none() {
            out.push(format!(
                "{at}: standard {:?} has no title: say in words what is promised (specific)",
                s.id
            ));
        }
        if let Kind::Count { within: None, .. } = s.kind {
            out.push(format!("{at}: standard {:?} has no time bound: give `within` so that the count has a window (time-bound)", s.id));
        }
        if s.target_given && s.target == 0.0 {
            out.push(format!(
                "{at}: standard {:?} has a target of 0%: it can never fall short (measurable)",
                s.id
            ));
        }
        if let Some(Within::Span(0)) = s.kind.within() {
            out.push(format!("{at}: standard {:?} has a limit of 0s: only events at the same instant meet it (achievable)", s.id));
        }
        if let Some(why) = futile(s) {
            out.push(format!("{at}: standard {:?} {why}", s.id));
        }
    }
    out
}

/// Why a standard can never fail or never apply, when it cannot: the same event starts and
/// stops its clock, exempts every case at its start, or both pauses and resumes it.
pub fn futile(s: &Standard) -> Option<String> {
    let shared = |a: &[String], b: &[String]| a.iter().find(|x| b.contains(x)).cloned();
    let (starts, start_key, stops) = match &s.kind {
        Kind::Elapsed { from, to, .. } => (from.as_slice(), "from", Some(to.as_slice())),
        Kind::Each { each, to, .. } => (each.as_slice(), "each", Some(to.as_slice())),
        Kind::Count { from, .. } => (from.as_slice(), "from", None),
        Kind::Deadline { from, .. } => (from.as_deref().unwrap_or(&[]), "from", None),
    };
    if let Some(name) = stops.and_then(|to| shared(starts, to)) {
        return Some(format!(
            "can never fail: `{start_key}` and `to` share {name:?}, so the event that starts \
             a clock also stops it after 0s"
        ));
    }
    if let Some(name) = shared(starts, &s.unless) {
        return Some(format!(
            "never applies: `{start_key}` and `unless` share {name:?}, so every case is exempt \
             from the moment its clock starts"
        ));
    }
    if let Some(name) = shared(&s.pause_on, &s.resume_on) {
        return Some(format!(
            "pauses nothing as meant: `pause_on` and `resume_on` share {name:?}, so each such \
             event both pauses and resumes the clock"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Catalog> {
        let mut c = Catalog {
            files: vec![],
            sources: vec![],
            standards: vec![],
            calendars: vec![],
        };
        add_file(&mut c, Path::new("s.toml"), text).map(|()| c)
    }

    fn err(text: &str) -> String {
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
