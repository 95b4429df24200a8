//! `yardstick init`: an export in, a commented standards-file draft out. The sample
//! (`sniff`) says what the columns hold; this module decides the layout, the columns each key
//! names and the time format, and writes them with every guess on a commented line, plus
//! starter standards to edit. A draft it writes must pass `check` and read every row of its
//! export: it names only columns whose every sampled cell the reader accepts.

mod sniff;

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::standards::presets::{self, Preset};
use crate::time::stamp::{self, TimeFormat};
use sniff::{Column, Order, Sample, CANDIDATES};

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

/// The time columns of a source and the one `time_format` that reads them all.
struct Times {
    /// Column indexes, in file order.
    columns: Vec<usize>,
    /// The source's format (`None`: the default reading).
    patterns: Option<Vec<&'static str>>,
    format: TimeFormat,
    /// Why the order was chosen, for the comment.
    order_why: String,
    /// Every value carries an offset (or is epoch time).
    offsets: bool,
    /// Time columns left out and why.
    dropped: Vec<(usize, String)>,
    nulls: Vec<String>,
}

impl Times {
    fn decide(sample: &Sample) -> Times {
        let cols = &sample.columns;
        let timed: Vec<usize> = (0..cols.len())
            .filter(|&c| cols[c].time.is_some())
            .collect();
        let (order, order_why) = Times::order(sample, &timed);
        let mut columns = Vec::new();
        let mut chosen = Vec::new();
        let mut dropped = Vec::new();
        for &c in &timed {
            let fit = cols[c].time.as_ref().expect("timed");
            let pick = fit
                .fits
                .iter()
                .copied()
                .find(|&i| CANDIDATES[i].1 == Order::Neutral || CANDIDATES[i].1 == order);
            match pick {
                Some(i) => {
                    columns.push(c);
                    chosen.push(i);
                }
                None => dropped.push((c, "its dates are written in the other order".to_string())),
            }
        }
        // The default reading when it reads every column, else one pattern per column.
        let patterns = if chosen.iter().all(|&i| CANDIDATES[i].0 == "auto") {
            None
        } else {
            let mut keep = Vec::new();
            let mut pats: Vec<&'static str> = Vec::new();
            for (k, &c) in columns.iter().enumerate() {
                let fit = cols[c].time.as_ref().expect("timed");
                let pattern = fit.fits.iter().copied().find(|&i| {
                    CANDIDATES[i].0 != "auto"
                        && (CANDIDATES[i].1 == Order::Neutral || CANDIDATES[i].1 == order)
                });
                match pattern {
                    Some(i) => {
                        chosen[k] = i;
                        keep.push(k);
                        if !pats.contains(&CANDIDATES[i].0) {
                            pats.push(CANDIDATES[i].0);
                        }
                    }
                    None => dropped.push((
                        c,
                        "no strftime pattern reads it beside the other columns' formats".into(),
                    )),
                }
            }
            columns = keep.iter().map(|&k| columns[k]).collect();
            chosen = keep.iter().map(|&k| chosen[k]).collect();
            Some(pats)
        };
        let format = match &patterns {
            None => TimeFormat::Auto,
            Some(p) => TimeFormat::patterns(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .expect("candidates are valid patterns"),
        };
        // A list of patterns is tried in order: a column's value must read the same with the
        // list as with its own pattern, or the column is left out.
        let mut keep = Vec::new();
        for (k, &c) in columns.iter().enumerate() {
            let own = sniff::format_of(chosen[k]);
            let same = cols[c].values.iter().all(|(v, _)| {
                let a = stamp::parse(v.as_bytes(), &format, Tz::UTC);
                a.is_some() && a == stamp::parse(v.as_bytes(), &own, Tz::UTC)
            });
            if same {
                keep.push(k);
            } else {
                dropped.push((
                    c,
                    "another column's pattern reads its values differently".into(),
                ));
            }
        }
        let columns: Vec<usize> = keep.iter().map(|&k| columns[k]).collect();
        let offsets = columns.iter().all(|&c| {
            cols[c]
                .values
                .iter()
                .all(|(v, _)| sniff::carries_offset(v, &format))
        });
        let mut nulls: Vec<String> = Vec::new();
        for &c in &columns {
            for n in &cols[c].time.as_ref().expect("timed").nulls {
                if !nulls.contains(n) {
                    nulls.push(n.clone());
                }
            }
        }
        Times {
            columns,
            patterns,
            format,
            order_why,
            offsets,
            dropped,
            nulls,
        }
    }

    /// Day first or month first, and why, for the draft's comment.
    fn order(sample: &Sample, timed: &[usize]) -> (Order, String) {
        let cols = &sample.columns;
        // Day-first or month-first: a value whose first field is above 12 settles it for
        // day-first, one whose second field is for month-first.
        let mut day_evidence = None;
        let mut month_evidence = None;
        let mut ambiguous = false;
        for &c in timed {
            let fit = cols[c].time.as_ref().expect("timed");
            let has = |o: Order| fit.fits.iter().any(|&i| CANDIDATES[i].1 == o);
            if has(Order::DayFirst) || has(Order::MonthFirst) {
                let neutral = fit.fits.iter().any(|&i| CANDIDATES[i].1 == Order::Neutral);
                if neutral {
                    continue;
                }
                match (has(Order::DayFirst), has(Order::MonthFirst)) {
                    (true, false) => {
                        let v = cols[c].values.iter().find(|(v, _)| sniff::day_above_12(v));
                        day_evidence.get_or_insert((c, v.map(|v| v.0.clone()).unwrap_or_default()));
                    }
                    (false, true) => {
                        let v = cols[c]
                            .values
                            .iter()
                            .find(|(v, _)| sniff::second_above_12(v));
                        month_evidence
                            .get_or_insert((c, v.map(|v| v.0.clone()).unwrap_or_default()));
                    }
                    _ => ambiguous = true,
                }
            }
        }
        match (&day_evidence, &month_evidence) {
            (Some((c, v)), None) if v.is_empty() => (
                Order::DayFirst,
                format!(
                    "day first: {:?} is written DD.MM.YYYY, which is day first by convention (no sampled day is above 12 to prove it)",
                    cols[*c].name
                ),
            ),
            (Some((c, v)), None) => (
                Order::DayFirst,
                format!("day first: {:?} in {:?} has no month-first reading", v, cols[*c].name),
            ),
            (None, Some((c, v))) => (
                Order::MonthFirst,
                format!("month first: {:?} in {:?} has no day-first reading", v, cols[*c].name),
            ),
            (Some((c, v)), Some((c2, v2))) => (
                Order::DayFirst,
                format!(
                    "day first, as {:?} in {:?}; but {:?} in {:?} is month first: that column is left out",
                    v, cols[*c].name, v2, cols[*c2].name
                ),
            ),
            (None, None) if ambiguous => {
                // No value settles it: the reading that keeps the sampled dates closer together
                // is likelier (a May export read day first spreads over the whole year).
                let day = span(sample, timed, Order::DayFirst);
                let month = span(sample, timed, Order::MonthFirst);
                let days = |s: i64| s / 86_400;
                // An even span: a 12-hour clock with AM/PM is the United States' habit, and
                // they write the month first.
                let am_pm = timed.iter().any(|&c| {
                    let fit = cols[c].time.as_ref().expect("timed");
                    fit.fits.iter().any(|&i| CANDIDATES[i].0.contains("%p"))
                });
                let (order, why) = if month < day {
                    (Order::MonthFirst, format!("month first, since it spreads the sampled dates over {} days and day first over {}", days(month), days(day)))
                } else if day < month {
                    (Order::DayFirst, format!("day first, since it spreads the sampled dates over {} days and month first over {}", days(day), days(month)))
                } else if am_pm {
                    (Order::MonthFirst, "month first, as the AM/PM clock is mostly American".to_string())
                } else {
                    (Order::DayFirst, "day first, as most of the world writes dates".to_string())
                };
                (
                    order,
                    format!(
                        "THE SAMPLE CANNOT DECIDE between day first and month first (no day or month above 12); read {why}: if that is wrong, swap %d and %m"
                    ),
                )
            }
            (None, None) => (Order::Neutral, String::new()),
        }
    }

    fn is_time(&self, c: usize) -> bool {
        self.columns.contains(&c)
    }

    fn date_only(&self, sample: &Sample, c: usize) -> bool {
        sample.columns[c].values.iter().all(|(v, _)| {
            stamp::parse(v.as_bytes(), &self.format, Tz::UTC).is_some_and(|s| s.date_only)
        })
    }

    /// The instant of row `r`'s cell in column `c`, if it has one.
    fn at(&self, sample: &Sample, r: usize, c: usize) -> Option<i64> {
        stamp::parse(sample.rows[r][c].as_bytes(), &self.format, Tz::UTC).map(|s| s.secs)
    }
}

/// The time from the first to the last sampled value of the columns that can be read in the
/// `order` given, read in it.
fn span(sample: &Sample, timed: &[usize], order: Order) -> i64 {
    let (mut low, mut high) = (i64::MAX, i64::MIN);
    for &c in timed {
        let col = &sample.columns[c];
        let fit = col.time.as_ref().expect("timed");
        let Some(&i) = fit.fits.iter().find(|&&i| CANDIDATES[i].1 == order) else {
            continue;
        };
        let format = sniff::format_of(i);
        for (v, _) in &col.values {
            if let Some(s) = stamp::parse(v.as_bytes(), &format, Tz::UTC) {
                low = low.min(s.secs);
                high = high.max(s.secs);
            }
        }
    }
    high.saturating_sub(low).max(0)
}

/// The layout found and the columns its keys name.
enum Layout {
    Events {
        case: usize,
        time: usize,
        event: usize,
    },
    Cases {
        case: usize,
        /// Milestone names and their columns, in file order.
        milestones: Vec<(String, usize)>,
    },
    Threads {
        message: usize,
        reply_to: usize,
        time: usize,
        event: usize,
    },
}

/// Words in a column name that say what it holds, best first.
const ID_WORDS: &[&str] = &["id", "key", "number", "case", "ticket", "nr", "no", "ref"];
const EVENT_WORDS: &[&str] = &["event", "activity", "state", "status", "action", "type"];
const REPLY_WORDS: &[&str] = &[
    "in_response_to",
    "reply_to",
    "in_reply_to",
    "replyto",
    "parent",
];
const DEADLINE_WORDS: &[&str] = &["due", "deadline", "estimated", "promised", "sla", "target"];

fn words(name: &str) -> Vec<String> {
    slug(name).split('_').map(str::to_string).collect()
}

/// The rank of the first of `list` that is a word of `name` (or, for `_` phrases, in it).
fn hint(name: &str, list: &[&str]) -> Option<usize> {
    let w = words(name);
    let s = slug(name);
    list.iter()
        .position(|h| w.iter().any(|x| x == h) || (h.contains('_') && s.contains(h)))
}

impl Layout {
    fn decide(sample: &Sample, times: &Times) -> Option<Layout> {
        let cols = &sample.columns;
        let rows = sample.rows.len();
        let full = |c: usize| cols[c].filled == rows && rows > 0;
        let unique = |c: usize| full(c) && cols[c].distinct() == rows;
        let full_times: Vec<usize> = times
            .columns
            .iter()
            .copied()
            .filter(|&c| full(c) && !times.date_only(sample, c))
            .collect();
        // The event time: the full time column whose values differ most.
        let event_time = full_times
            .iter()
            .copied()
            .max_by_key(|&c| (cols[c].distinct(), std::cmp::Reverse(c)));
        // Threads: a reply-to column whose values name messages of a unique column.
        let reply = (0..cols.len())
            .filter(|&c| hint(&cols[c].name, REPLY_WORDS).is_some() && !times.is_time(c))
            .min_by_key(|&c| hint(&cols[c].name, REPLY_WORDS));
        if let (Some(reply_to), Some(time)) = (reply, event_time) {
            let message = (0..cols.len())
                .filter(|&c| {
                    unique(c) && c != reply_to && !times.is_time(c) && !cols[c].name.is_empty()
                })
                .min_by_key(|&c| (hint(&cols[c].name, ID_WORDS).is_none(), c));
            let event = low_cardinality(sample, |c| {
                c != reply_to && Some(c) != message && !times.is_time(c)
            });
            if let (Some(message), Some(event)) = (message, event) {
                return Some(Layout::Threads {
                    message,
                    reply_to,
                    time,
                    event,
                });
            }
        }
        // Cases: a unique id and two time columns or more.
        // A case id may repeat on a few rows (Olist's review_id does): the reader merges them.
        let nearly_unique = |c: usize| full(c) && cols[c].distinct() * 100 >= rows * 99;
        let id = (0..cols.len())
            .filter(|&c| nearly_unique(c) && !times.is_time(c))
            .min_by_key(|&c| (!unique(c), hint(&cols[c].name, ID_WORDS).is_none(), c));
        if let (Some(case), true) = (id, times.columns.len() >= 2) {
            let mut names: Vec<String> = Vec::new();
            let milestones = times
                .columns
                .iter()
                .map(|&c| {
                    let mut n = milestone_name(&cols[c].name);
                    if n.is_empty() {
                        n = format!("column_{}", c + 1);
                    }
                    let base = n.clone();
                    let mut k = 2;
                    while names.contains(&n) {
                        n = format!("{base}_{k}");
                        k += 1;
                    }
                    names.push(n.clone());
                    (n, c)
                })
                .collect();
            return Some(Layout::Cases { case, milestones });
        }
        // Events: a repeating case column and an event column that changes within a case.
        let time = event_time?;
        let mut case_candidates: Vec<usize> = (0..cols.len())
            .filter(|&c| full(c) && !times.is_time(c) && cols[c].distinct() < rows)
            .collect();
        case_candidates.sort_by_key(|&c| (hint(&cols[c].name, ID_WORDS).is_none(), c));
        for case in case_candidates {
            let event = (0..cols.len())
                .filter(|&c| {
                    c != case
                        && full(c)
                        && !times.is_time(c)
                        && (2..=60).contains(&cols[c].distinct())
                        && cols[c].distinct() * 2 <= rows
                })
                .map(|c| (c, variation(sample, case, c)))
                .filter(|&(_, v)| v > 0.0)
                .min_by(|a, b| {
                    let ra = hint(&cols[a.0].name, EVENT_WORDS).unwrap_or(usize::MAX);
                    let rb = hint(&cols[b.0].name, EVENT_WORDS).unwrap_or(usize::MAX);
                    ra.cmp(&rb).then(b.1.total_cmp(&a.1)).then(a.0.cmp(&b.0))
                })
                .map(|(c, _)| c);
            if let Some(event) = event {
                return Some(Layout::Events { case, time, event });
            }
        }
        None
    }
}

/// The filled column of fewest values (2 to 20) that `ok` admits, by name first.
fn low_cardinality(sample: &Sample, ok: impl Fn(usize) -> bool) -> Option<usize> {
    let cols = &sample.columns;
    (0..cols.len())
        .filter(|&c| {
            ok(c) && cols[c].filled == sample.rows.len() && (2..=20).contains(&cols[c].distinct())
        })
        .min_by_key(|&c| (cols[c].distinct(), c))
}

/// The share of cases with two rows or more in which column `c` takes two values or more.
fn variation(sample: &Sample, case: usize, c: usize) -> f64 {
    let mut first: hashbrown::HashMap<&str, (&str, bool, bool)> = hashbrown::HashMap::new();
    for row in &sample.rows {
        first
            .entry(row[case].as_str())
            .and_modify(|(v, many, varies)| {
                *many = true;
                *varies |= *v != row[c].as_str();
            })
            .or_insert((row[c].as_str(), false, false));
    }
    let multi = first.values().filter(|x| x.1).count();
    if multi == 0 {
        return 0.0;
    }
    first.values().filter(|x| x.2).count() as f64 / multi as f64
}

/// The smallest round limit at or above `secs`, for a starter standard.
fn round_limit(secs: i64) -> &'static str {
    const LADDER: &[(i64, &str)] = &[
        (600, "10m"),
        (1800, "30m"),
        (3600, "1h"),
        (4 * 3600, "4h"),
        (8 * 3600, "8h"),
        (86_400, "1d"),
        (2 * 86_400, "2d"),
        (3 * 86_400, "3d"),
        (7 * 86_400, "1w"),
        (14 * 86_400, "2w"),
    ];
    LADDER
        .iter()
        .find(|(s, _)| secs <= *s)
        .map_or("4w", |(_, l)| l)
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

/// The layout and the columns it is read by, each with why it was chosen.
fn layout_lines(w: &mut String, sample: &Sample, layout: &Layout) {
    let cols = &sample.columns;
    let col = |c: usize| q(&cols[c].name);
    let rows = sample.rows.len();
    match layout {
        Layout::Events { case, time, event } => {
            let cases = cols[*case].distinct();
            let _ = writeln!(
                w,
                "layout = \"events\"   # guess: one row per event ({cases} cases in {rows} rows)"
            );
            let _ = writeln!(
                w,
                "case = {}   # guess: its values repeat, one per case",
                col(*case)
            );
            let _ = writeln!(w, "time = {}   # guess: the time of the event", col(*time));
            let _ = writeln!(
                w,
                "event = {}   # guess: it changes within a case",
                col(*event)
            );
        }
        Layout::Cases { case, .. } => {
            let _ = writeln!(
                w,
                "layout = \"cases\"   # guess: one row per case (every {} differs)",
                col(*case)
            );
            let repeats = rows - cols[*case].distinct();
            if repeats > 0 {
                let _ = writeln!(w, "case = {}   # guess: the case id ({repeats} sampled rows repeat an id; the reader joins them into one case)", col(*case));
            } else {
                let _ = writeln!(w, "case = {}   # guess: the case id", col(*case));
            }
        }
        Layout::Threads {
            message,
            reply_to,
            time,
            event,
        } => {
            let _ = writeln!(w, "layout = \"threads\"   # guess: one row per message, a reply naming the message it answers");
            let _ = writeln!(
                w,
                "message = {}   # guess: the message id (unique)",
                col(*message)
            );
            let _ = writeln!(
                w,
                "reply_to = {}   # guess: the id of the message answered",
                col(*reply_to)
            );
            let _ = writeln!(
                w,
                "time = {}   # guess: the time of the message",
                col(*time)
            );
            let _ = writeln!(
                w,
                "event = {}   # guess: who wrote it (its values are the events)",
                col(*event)
            );
        }
    }
}

/// The CSV dialect: a delimiter other than a comma; a byte-order mark and CRLF line ends,
/// which need no key but are worth saying.
fn dialect_lines(w: &mut String, sample: &Sample) {
    if sample.delimiter != b',' {
        let _ = writeln!(
            w,
            "delimiter = {}   # guess: it splits the header into {} columns",
            q(delimiter_text(sample.delimiter)),
            sample.columns.len()
        );
    }
    if sample.bom || sample.crlf {
        let what: Vec<&str> = [
            (sample.bom, "a UTF-8 byte-order mark"),
            (sample.crlf, "CRLF line ends"),
        ]
        .iter()
        .filter(|x| x.0)
        .map(|x| x.1)
        .collect();
        let _ = writeln!(
            w,
            "# The file has {}; yardstick reads it as it is.",
            what.join(" and ")
        );
    }
}

/// `time_format` (or why none is needed), `timezone`, `null_values`, and the time columns
/// left out.
fn time_lines(w: &mut String, sample: &Sample, times: &Times) {
    let cols = &sample.columns;
    let col = |c: usize| q(&cols[c].name);
    let time_cols: Vec<String> = times
        .columns
        .iter()
        .map(|&c| cols[c].name.clone())
        .collect();
    match &times.patterns {
        None => {
            let _ = writeln!(w, "# guess: every sampled time ({}) is RFC 3339 or YYYY-MM-DD[ HH:MM[:SS]], read without time_format", time_cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(", "));
        }
        Some(p) => {
            let p: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            let value = if p.len() == 1 { q(&p[0]) } else { list(&p) };
            let _ = writeln!(
                w,
                "time_format = {value}   # guess: reads every sampled value of {}",
                time_cols
                    .iter()
                    .map(|c| q(c))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if !times.order_why.is_empty() {
                let _ = writeln!(w, "# guess: {}", times.order_why);
            }
            if p.iter().any(|x| x == stamp::EPOCH_MILLIS) {
                let _ = writeln!(w, "# \"%s%3f\" is milliseconds since 1970-01-01T00:00:00Z.");
            }
        }
    }
    if times.offsets {
        let _ = writeln!(w, "# The times carry their offset (or are epoch times), so no zone is needed to read them.");
    } else {
        let _ = writeln!(w, "timezone = \"UTC\"   # guess: the times carry no offset; set the zone the export writes them in");
    }
    if !times.nulls.is_empty() {
        let _ = writeln!(
            w,
            "null_values = {}   # guess: these cells stand for no time",
            list(&times.nulls)
        );
    }
    for (c, why) in &times.dropped {
        let _ = writeln!(w, "# Left out: {} looks like times, but {why}.", col(*c));
    }
}

/// The layout's column comments and, for a case table, its milestones table; returns the
/// starter standards, written after the source table.
fn columns_and_starters(
    w: &mut String,
    sample: &Sample,
    times: &Times,
    layout: &Layout,
    name: &str,
) -> String {
    let cols = &sample.columns;
    let col = |c: usize| q(&cols[c].name);
    let rows = sample.rows.len();
    let mut used: Vec<usize> = Vec::new();
    let mut standards = String::new();
    match layout {
        Layout::Events { case, time, event } => {
            used.extend([*case, *time, *event]);
            event_comment(w, &cols[*event]);
            attributes(w, cols, &used, times);
            starter_events(
                &mut standards,
                sample,
                times,
                name,
                *case,
                *time,
                *event,
                None,
            );
        }
        Layout::Threads {
            message,
            reply_to,
            time,
            event,
        } => {
            used.extend([*message, *reply_to, *time, *event]);
            event_comment(w, &cols[*event]);
            attributes(w, cols, &used, times);
            starter_events(
                &mut standards,
                sample,
                times,
                name,
                *message,
                *time,
                *event,
                Some(*reply_to),
            );
        }
        Layout::Cases { case, milestones } => {
            used.push(*case);
            used.extend(milestones.iter().map(|m| m.1));
            let dates: Vec<String> = milestones
                .iter()
                .filter(|(_, c)| times.date_only(sample, *c))
                .map(|(m, _)| m.clone())
                .collect();
            if !dates.is_empty() {
                let _ = writeln!(
                    w,
                    "date_columns = {}   # guess: dates without a time of day",
                    list(&dates)
                );
            }
            let deadline = milestones
                .iter()
                .filter(|(_, c)| hint(&cols[*c].name, DEADLINE_WORDS).is_some())
                .min_by_key(|(_, c)| (hint(&cols[*c].name, DEADLINE_WORDS), *c))
                .cloned();
            if let Some((m, c)) = &deadline {
                let _ = writeln!(
                    w,
                    "deadlines = [{}]   # guess: {} is a promised date, so it never sets the as-of",
                    q(m),
                    col(*c)
                );
            }
            attributes(w, cols, &used, times);
            let _ = writeln!(w);
            let _ = writeln!(w, "[sources.{}.milestones]   # milestone = column; an empty cell means it has not happened", key(name));
            for (m, c) in milestones {
                let filled = cols[*c].filled;
                let _ = writeln!(
                    w,
                    "{} = {}   # filled in {filled} of {rows} sampled rows",
                    key(m),
                    col(*c)
                );
            }
            starter_cases(
                &mut standards,
                sample,
                times,
                name,
                milestones,
                deadline.as_ref(),
            );
        }
    }
    standards
}

/// A warning for sampled rows the audit will skip for their width.
fn ragged_line(w: &mut String, sample: &Sample) {
    if sample.ragged > 0 {
        let _ = writeln!(w, "# Warning: {} sampled rows have more or fewer fields than the header; the audit skips and counts them.", sample.ragged);
    }
}

fn event_comment(w: &mut String, event: &Column) {
    let mut values: Vec<&(String, usize)> = event.values.iter().collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = values
        .iter()
        .map(|(v, n)| format!("{} ({n})", q(v)))
        .collect();
    let _ = writeln!(w, "# Events in the sample (rows): {}", shown.join(", "));
}

fn attributes(w: &mut String, cols: &[Column], used: &[usize], times: &Times) {
    let rest: Vec<String> = (0..cols.len())
        .filter(|c| !used.contains(c) && !times.is_time(*c))
        .map(|c| q(&cols[c].name))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(
            w,
            "# Attributes (every other column; for --by and `where`): {}",
            rest.join(", ")
        );
    }
}

/// First response: from the first event of a case to the first event of another kind.
#[allow(clippy::too_many_arguments)]
fn starter_events(
    w: &mut String,
    sample: &Sample,
    times: &Times,
    source: &str,
    case: usize,
    time: usize,
    event: usize,
    reply_to: Option<usize>,
) {
    // Each case's (or thread root's) first event, and when another kind follows it.
    let mut cases: hashbrown::HashMap<&str, Vec<(i64, &str)>> = hashbrown::HashMap::new();
    for (r, row) in sample.rows.iter().enumerate() {
        if reply_to.is_some_and(|c| !row[c].is_empty()) {
            continue;
        }
        if let Some(t) = times.at(sample, r, time) {
            cases
                .entry(row[case].as_str())
                .or_default()
                .push((t, row[event].as_str()));
        }
    }
    let mut firsts: hashbrown::HashMap<&str, usize> = hashbrown::HashMap::new();
    for evs in cases.values_mut() {
        evs.sort();
        *firsts.entry(evs[0].1).or_default() += 1;
    }
    let mut firsts: Vec<(&str, usize)> = firsts.into_iter().collect();
    firsts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let from = firsts.first().map_or("", |f| f.0).to_string();
    let to: Vec<String> = sample.columns[event]
        .values
        .iter()
        .map(|(v, _)| v.clone())
        .filter(|v| *v != from)
        .collect();
    // The sample's median, for a limit about half the cases meet.
    let delays: Vec<i64> = if reply_to.is_some() {
        Vec::new()
    } else {
        cases
            .values()
            .filter(|evs| evs[0].1 == from)
            .filter_map(|evs| evs.iter().find(|e| e.1 != from).map(|e| e.0 - evs[0].0))
            .collect()
    };
    let limit = median(delays).map_or("1h", round_limit);
    let _ = writeln!(
        w,
        "[[standard]]   # a starter: edit the limit and the target to your standard"
    );
    let _ = writeln!(w, "id = \"first-response\"");
    let _ = writeln!(
        w,
        "title = \"A case gets its first response within {limit}\""
    );
    let _ = writeln!(w, "level = \"operational\"");
    let _ = writeln!(w, "source = {}", q(source));
    let _ = writeln!(
        w,
        "from = {}   # guess: the first event of most {} in the sample",
        q(&from),
        if reply_to.is_some() {
            "threads"
        } else {
            "cases"
        }
    );
    let _ = writeln!(
        w,
        "to = {}   # guess: any other event; keep only those that are a response",
        list(&to)
    );
    let _ = writeln!(w, "within = {}   # guess: the round limit at or above the sample's median; set your standard's", q(limit));
    let _ = writeln!(
        w,
        "target = 80   # percent of cases that must meet it; set your own"
    );
}

/// The time between the first two milestones, and delivery by a deadline when there is one.
fn starter_cases(
    w: &mut String,
    sample: &Sample,
    times: &Times,
    source: &str,
    milestones: &[(String, usize)],
    deadline: Option<&(String, usize)>,
) {
    let plain: Vec<&(String, usize)> = milestones
        .iter()
        .filter(|m| Some(&m.0) != deadline.map(|d| &d.0))
        .collect();
    // Times of day, not dates, for a limit in hours.
    let timed: Vec<&(String, usize)> = plain
        .iter()
        .copied()
        .filter(|m| !times.date_only(sample, m.1))
        .collect();
    let pair = if timed.len() >= 2 { &timed } else { &plain };
    if let [first, second, ..] = pair.as_slice() {
        let delays: Vec<i64> = (0..sample.rows.len())
            .filter_map(|r| Some(times.at(sample, r, second.1)? - times.at(sample, r, first.1)?))
            .filter(|d| *d >= 0)
            .collect();
        let limit = median(delays).map_or("1d", round_limit);
        let _ = writeln!(
            w,
            "[[standard]]   # a starter: edit the milestones, the limit and the target"
        );
        let _ = writeln!(
            w,
            "id = {}",
            q(&format!("{}-to-{}", first.0, second.0).replace('_', "-"))
        );
        let _ = writeln!(
            w,
            "title = {}",
            q(&format!("{} within {limit} of {}", second.0, first.0))
        );
        let _ = writeln!(w, "level = \"operational\"");
        let _ = writeln!(w, "source = {}", q(source));
        let _ = writeln!(
            w,
            "from = {}   # guess: the first two milestones in the file",
            q(&first.0)
        );
        let _ = writeln!(w, "to = {}", q(&second.0));
        let _ = writeln!(w, "within = {}   # guess: the round limit at or above the sample's median; set your standard's", q(limit));
        let _ = writeln!(
            w,
            "target = 80   # percent of cases that must meet it; set your own"
        );
        let _ = writeln!(w);
    }
    if let (Some((d, _)), Some(first)) = (deadline, plain.first()) {
        const DONE: &[&str] = &[
            "delivered",
            "resolved",
            "solved",
            "closed",
            "completed",
            "done",
            "finished",
        ];
        // The last milestone that sounds like completion: it comes after handovers.
        let done = plain
            .iter()
            .skip(1)
            .rfind(|m| hint(&m.0, DONE).is_some())
            .or_else(|| plain.last().filter(|m| m.0 != first.0));
        if let Some(done) = done {
            let _ = writeln!(
                w,
                "[[standard]]   # a starter: edit the milestones and the target"
            );
            let _ = writeln!(
                w,
                "id = {}",
                q(&format!("{}-by-{d}", done.0).replace('_', "-"))
            );
            let _ = writeln!(w, "title = {}", q(&format!("{} by {d}", done.0)));
            let _ = writeln!(w, "level = \"operational\"");
            let _ = writeln!(w, "source = {}", q(source));
            let _ = writeln!(w, "from = {}", q(&first.0));
            let _ = writeln!(
                w,
                "to = {}   # guess: the milestone that looks like completion",
                q(&done.0)
            );
            let _ = writeln!(w, "by = {}   # the promised date", q(d));
            let _ = writeln!(
                w,
                "target = 95   # percent of cases that must meet it; set your own"
            );
        }
    }
}

/// The preset whose every column the header has and whose formats read every sampled time
/// (with what was checked, for the comment).
fn recognise(sample: &Sample) -> Option<(&'static Preset, String)> {
    let cols = &sample.columns;
    let index = |name: &str| cols.iter().position(|c| c.name == name);
    presets::PRESETS.iter().find_map(|p| {
        let needed = p.columns();
        if !needed.iter().all(|c| index(c).is_some()) {
            return None;
        }
        let reading = p.reading();
        let nulls = |v: &str| reading.null_values.iter().any(|n| n == v);
        let reads = reading.time_columns.iter().all(|c| {
            let col = &cols[index(c).expect("checked")];
            col.values.iter().all(|(v, _)| {
                nulls(v) || stamp::parse(v.as_bytes(), &reading.time_format, Tz::UTC).is_some()
            }) && col.time.as_ref().is_none_or(|t| t.nulls.iter().all(|n| nulls(n)))
        });
        // An event row without its time or event would be skipped.
        let rows = sample.rows.len();
        let full = |c: &str| index(c).is_some_and(|i| cols[i].filled == rows);
        let events_full = reading.layout != "events"
            || (reading.time_columns.iter().all(|c| full(c))
                && reading.event.as_deref().is_some_and(full));
        (reads && events_full).then(|| {
            (
                p,
                format!(
                    "the header has every column it reads ({}) and its formats read every sampled time",
                    needed.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
                ),
            )
        })
    })
}

/// A draft that names its preset instead of the columns.
fn write_preset_draft(
    sample: &Sample,
    preset: &Preset,
    name: &str,
    path: &str,
    shown: &str,
    note: &str,
) -> String {
    let reading = preset.reading();
    let mut o = String::new();
    let w = &mut o;
    draft_head(w, sample, name, shown);
    let _ = writeln!(
        w,
        "preset = {}   # guess: {note}; `yardstick presets {}` shows the lines it stands for",
        q(preset.name),
        preset.name
    );
    let _ = writeln!(
        w,
        "path = {}   # relative to this file; --log {name}=PATH reads another export",
        q(path)
    );
    dialect_lines(w, sample);
    if preset.asks_date_order {
        date_order_line(w, sample, preset, &reading.time_columns);
    }
    let offsets = reading.time_columns.iter().all(|c| {
        sample
            .columns
            .iter()
            .filter(|col| col.name == *c)
            .all(|col| {
                col.values.iter().all(|(v, _)| {
                    reading.null_values.contains(v)
                        || sniff::carries_offset(v, &reading.time_format)
                })
            })
    });
    if offsets {
        let _ = writeln!(
            w,
            "# The times carry their offset, so no zone is needed to read them."
        );
    } else {
        let _ = writeln!(w, "timezone = \"UTC\"   # guess: the times carry no offset; set the zone the export writes them in");
    }
    let standards = preset_starters(w, sample, &reading, name);
    let _ = writeln!(
        w,
        "# Milestones (events) the preset names: {}",
        if reading.milestones.is_empty() {
            "the event values, with New, Resolved, Closed as created, solved, closed".to_string()
        } else {
            reading.milestones.join(", ")
        }
    );
    let read = preset.columns();
    let rest: Vec<String> = sample
        .columns
        .iter()
        .filter(|c| !read.contains(&c.name) && !c.name.is_empty())
        .map(|c| q(&c.name))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(
            w,
            "# Attributes (every other column; for --by and `where`): {}",
            rest.join(", ")
        );
    }
    ragged_line(w, sample);
    let _ = writeln!(w);
    o.push_str(&standards);
    o
}

/// The starter standards of a preset draft (returned, written after the source table),
/// and the comment on its event values (written to `w`).
fn preset_starters(
    w: &mut String,
    sample: &Sample,
    reading: &presets::Reading,
    name: &str,
) -> String {
    let mut standards = String::new();
    let sw = &mut standards;
    let starter = |sw: &mut String, id: &str, title: &str, from: &str, to: &str, rule: &str| {
        let _ = writeln!(
            sw,
            "[[standard]]   # a starter: edit the limit and the target to your standard"
        );
        let _ = writeln!(sw, "id = {}", q(id));
        let _ = writeln!(sw, "title = {}", q(title));
        let _ = writeln!(sw, "level = \"operational\"");
        let _ = writeln!(sw, "source = {}", q(name));
        let _ = writeln!(sw, "from = {}", q(from));
        let _ = writeln!(sw, "to = {to}");
        let _ = writeln!(
            sw,
            "{}",
            if let Some(by) = rule.strip_prefix("by ") {
                format!("by = {}", q(by))
            } else {
                format!(
                    "within = {}   # a placeholder: set your standard's",
                    q(rule)
                )
            }
        );
        let _ = writeln!(
            sw,
            "target = 80   # percent of cases that must meet it; set your own"
        );
        let _ = writeln!(sw);
    };
    if reading.layout == "events" {
        // The event values, renamed as the preset does.
        let event = reading.event.as_deref().unwrap_or_default();
        if let Some(col) = sample.columns.iter().find(|c| c.name == event) {
            event_comment(w, col);
            let renamed = |v: &str| {
                reading
                    .renames
                    .iter()
                    .find(|(k, _)| k == v)
                    .map_or(v.to_string(), |(_, n)| n.clone())
            };
            let others: Vec<String> = col
                .values
                .iter()
                .map(|(v, _)| renamed(v))
                .filter(|v| v != "created")
                .collect();
            if col.values.iter().any(|(v, _)| renamed(v) == "created") {
                starter(
                    sw,
                    "taken-up-1h",
                    "A new case is taken up within an hour",
                    "created",
                    &list(&others),
                    "1h",
                );
            }
        }
    } else {
        let has = |m: &str| reading.milestones.iter().any(|x| x == m);
        let done = ["solved", "closed"].into_iter().find(|m| has(m));
        if has("first_reply") {
            starter(
                sw,
                "first-reply-1h",
                "A ticket gets its first reply within an hour",
                "created",
                &q("first_reply"),
                "1h",
            );
        }
        if let Some(done) = done {
            starter(
                sw,
                &format!("{done}-3d"),
                &format!("A ticket is {done} within 3 days"),
                "created",
                &q(done),
                "3d",
            );
            if has("due") {
                starter(
                    sw,
                    &format!("{done}-by-due"),
                    &format!("A ticket is {done} by its due date"),
                    "created",
                    &q(done),
                    "by due",
                );
            }
        }
    }
    standards
}

/// The `time_format` of a preset that reads numeric dates day first for a vendor whose
/// instances choose the order (`Preset::asks_date_order`), written out so that the draft says
/// which order it reads rather than leaving the audit to stop on a log it cannot tell by.
fn date_order_line(w: &mut String, sample: &Sample, preset: &Preset, time_columns: &[String]) {
    let telling = |want: stamp::DateOrder| {
        sample
            .columns
            .iter()
            .filter(|c| time_columns.contains(&c.name))
            .find_map(|c| {
                c.values
                    .iter()
                    .find(|(v, _)| stamp::date_order(v) == Some(want))
                    .map(|(v, _)| (c.name.clone(), v.clone()))
            })
    };
    let day = preset.time_patterns();
    let month: Vec<String> = day
        .iter()
        .map(
            |p| match p.strip_prefix("%d/%m/").or(p.strip_prefix("%d-%m-")) {
                Some(rest) => format!("%m{}%d{}{rest}", &p[2..3], &p[2..3]),
                None => p.clone(),
            },
        )
        .collect();
    let day_list = list(&day);
    match telling(stamp::DateOrder::DayFirst) {
        Some((column, value)) => {
            let _ = writeln!(
                w,
                "time_format = {day_list}   # guess: day first, as {} has {} (month first: {})",
                q(&column),
                q(&value),
                list(&month)
            );
        }
        None => {
            let _ = writeln!(
                w,
                "time_format = {day_list}   # check: no sampled date tells day first from month first (every day is 12 or less); this reads day first, as the preset does; if your instance writes month first, use {}",
                list(&month)
            );
        }
    }
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
