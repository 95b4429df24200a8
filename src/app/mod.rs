//! The audit as a library: a request -> the standards and logs loaded once -> outcomes through
//! one parallel pipeline (`pipeline`) -> report values (`audit`, `breaches`, `trend`,
//! `check`, `explain`) and diagnostics. Owns what a run means: the period, the as-of, which
//! logs a standard reads, what is worth a warning. Knows nothing of flags, terminals or the
//! files a report is written to, and prints nothing: diagnostics are values the command line
//! prints.

mod audit;
mod breaches;
mod check;
mod history;
mod pipeline;
mod trend;

pub use audit::{audit, falls_short, AuditOptions};
pub use breaches::{breaches, Breaches};
pub use check::{check, check_all, explain, Checked, CheckedLog, CheckedStandard};
pub use history::History;
pub use trend::{check_trend, trend};

/// Every outcome of each selected standard (in `l.selected` order), in case order, through
/// the pipeline every command uses; for the library's users and for tests that hold other
/// paths (`explain`, a sequential evaluation) against it.
pub fn outcomes(l: &Loaded) -> Vec<Vec<crate::evaluate::Outcome>> {
    let prepared = pipeline::prepare(l, |s| l.period_of(s));
    let parts = pipeline::fold(
        l,
        &prepared,
        |_| Vec::new(),
        |list: &mut Vec<crate::evaluate::Outcome>, o| list.push(*o),
        |_| {},
    );
    parts.into_iter().map(pipeline::in_case_order).collect()
}

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::evaluate::Period;
use crate::ingest::{self, Needs, SourceData};
use crate::report::PeriodInfo;
use crate::standards::{self, Catalog, Layout};
use crate::time::stamp::{self, rfc3339, TimeFormat};

/// What a run reads and judges: the standards, the logs bound to their sources, the period
/// and the selection, as the command line validated them.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// A standards file or a folder of them.
    pub standards: PathBuf,
    /// `(source, path)` pairs; `-` is standard input.
    pub logs: Vec<(String, String)>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub week: Option<String>,
    pub as_of: Option<String>,
    /// Selected standard ids (empty: all).
    pub only: Vec<String>,
    /// The flag that named them, for messages (`--only`, `--standard`).
    pub only_flag: &'static str,
    pub strict: bool,
    pub allow_bad_rows: bool,
    /// Attribute columns the report groups by (`--by`).
    pub group_columns: Vec<String>,
    /// Keep every attribute column of the logs (breach lists, traces, workbooks), not only
    /// those the standards and `group_columns` name.
    pub all_attributes: bool,
    /// `--timezone`: the zone every standard's periods (and the bare dates of `since`,
    /// `until`, `week`, `as_of`) are read in, instead of each standards file's `timezone`.
    pub timezone: Option<String>,
}

/// What a run has to say besides its report, in the order it arose.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnostic {
    /// A warning (`warning: ...` on stderr).
    Warning(String),
    /// A line that belongs to the warning before it (an indented list entry).
    Detail(String),
}

impl Diagnostics {
    pub fn warn(&mut self, message: impl Into<String>) {
        self.items.push(Diagnostic::Warning(message.into()));
    }

    pub fn detail(&mut self, line: impl Into<String>) {
        self.items.push(Diagnostic::Detail(line.into()));
    }

    /// The diagnostics so far, leaving none.
    pub fn take(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.items)
    }
}

/// What every reading command shares: standards, selection, logs, period.
pub struct Loaded {
    pub catalog: Catalog,
    /// Indexes into `catalog.standards`, in the order asked for.
    pub selected: Vec<usize>,
    pub data: BTreeMap<usize, SourceData>,
    /// The period that holds every source's cut (`cuts`): what the report says it covers.
    pub period: Period,
    /// The latest of the sources' given as-of instants (`cuts`).
    pub as_of_given: Option<i64>,
    /// Per source read: its period and given as-of, cut in its own file's zone (or
    /// `--timezone`), so that a standard's numbers never depend on the other files loaded.
    pub cuts: BTreeMap<usize, Cut>,
    /// Latest instant of the whole audit, when nothing was given.
    pub as_of: i64,
    pub info: PeriodInfo,
}

impl Loaded {
    /// The instant a source's cases are judged at: the given one, else the source's own
    /// latest event, so that one log is never judged by time that passed after its export
    /// because another log was exported later.
    pub fn as_of(&self, source: usize) -> i64 {
        self.cuts
            .get(&source)
            .and_then(|c| c.as_of)
            .or_else(|| self.data.get(&source).and_then(|d| d.latest))
            .unwrap_or(self.as_of)
    }

    /// The period a source's cases are cut to (`--since`, `--until`, `--week` in its zone).
    pub fn period_of(&self, source: usize) -> Period {
        self.cuts.get(&source).map_or(self.period, |c| c.period)
    }

    /// The end of the period for a source's cases, the instant a standard with versions by
    /// date is shown at: the period's last second, or the as-of when that is earlier (without
    /// `--until`, the as-of: what has happened is all a report can speak for).
    pub fn period_end(&self, source: usize) -> i64 {
        let as_of = self.as_of(source);
        self.period_of(source)
            .until
            .map_or(as_of, |u| (u - 1).min(as_of))
    }

    /// The zone a source's periods, weeks and days are cut in: its standards file's
    /// `timezone`, or `--timezone` (which `load` wrote over every file's).
    pub fn zone(&self, source: usize) -> Tz {
        self.catalog.files[self.catalog.sources[source].file].timezone
    }
}

/// A source's period and given as-of (`--as-of`, else the end of the period), read in its
/// zone: `--week 2026-W47` is the week of Kyiv for a Kyiv file and of UTC for a UTC one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cut {
    pub period: Period,
    pub as_of: Option<i64>,
}

/// `--since`, `--until`, `--week` and `--as-of` read in `tz` (a time with an offset is the
/// same instant in every zone).
fn cut(sel: &Request, tz: Tz) -> Result<Cut> {
    let mut period = Period::default();
    if let Some(week) = &sel.week {
        let (since, until) = parse_week(week, tz)?;
        period = Period {
            since: Some(since),
            until: Some(until),
        };
    }
    if let Some(s) = &sel.since {
        period.since = Some(parse_instant("--since", s, tz)?.secs);
    }
    if let Some(u) = &sel.until {
        period.until = Some(parse_instant("--until", u, tz)?.secs);
    }
    if let (Some(s), Some(u)) = (period.since, period.until) {
        if s >= u {
            return Err(Error::usage(
                "the period is empty: --since must be before --until",
            ));
        }
    }
    let as_of = match &sel.as_of {
        Some(a) => Some(parse_instant("--as-of", a, tz)?.secs),
        None => None,
    };
    Ok(Cut {
        period,
        as_of: as_of.or(period.until),
    })
}

/// `--timezone NAME`: an IANA zone, with the closest name when it is misspelt.
fn parse_timezone(name: &str) -> Result<Tz> {
    name.parse::<Tz>().map_err(|_| {
        let near = crate::error::closest(name, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()))
            .map(|z| format!(" (did you mean {z:?}?)"))
            .unwrap_or_default();
        Error::usage(format!(
            "--timezone {name:?}: unknown time zone{near}; expected an IANA zone name such as \"UTC\", \"Europe/Kyiv\" or \"America/New_York\""
        ))
    })
}

fn select(catalog: &Catalog, only: &[String], flag: &str) -> Result<Vec<usize>> {
    if only.is_empty() {
        return Ok((0..catalog.standards.len()).collect());
    }
    // Maps, not scans: `--only` may list thousands of ids. Ids are unique in a catalog; the
    // first of a repeated one is kept, as a scan finds it.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(catalog.standards.len());
    for (i, s) in catalog.standards.iter().enumerate() {
        index.entry(s.id.as_str()).or_insert(i);
    }
    let mut out = Vec::new();
    let mut chosen = HashSet::new();
    for id in only.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let i = index.get(id).copied().ok_or_else(|| {
            let ids: Vec<&str> = catalog.standards.iter().map(|s| s.id.as_str()).collect();
            Error::usage(format!(
                "{flag}: no standard {id:?}; the standards are {}",
                ids.join(", ")
            ))
        })?;
        if chosen.insert(i) {
            out.push(i);
        }
    }
    Ok(out)
}

/// Log bindings by source name, from `(name, path)` pairs (`--log NAME=PATH` and its
/// shorthands, parsed by the command line).
fn bindings(logs: &[(String, String)], catalog: &Catalog) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, path) in logs {
        out.entry(name.clone()).or_default().push(path.clone());
    }
    for name in out.keys() {
        if !catalog.sources.iter().any(|s| &s.name == name) {
            let mut names: Vec<&str> = catalog.sources.iter().map(|s| s.name.as_str()).collect();
            names.dedup();
            return Err(Error::usage(format!(
                "--log {name}=...: the standards define no source {name:?}; their sources are {}",
                names.join(", ")
            )));
        }
    }
    let stdin_uses = out.values().flatten().filter(|p| *p == "-").count();
    if stdin_uses > 1 {
        return Err(Error::usage(
            "standard input (-) can be read only once; give the other logs as files",
        ));
    }
    // One file given twice for a source would be counted twice.
    for (name, paths) in &out {
        for (i, a) in paths.iter().enumerate().filter(|(_, p)| *p != "-") {
            if let Some(b) = paths[..i]
                .iter()
                .find(|b| *b != "-" && crate::fileid::same_file(a.as_ref(), b.as_ref()))
            {
                return Err(Error::usage(format!(
                    "--log {name}={a}: the same file as --log {name}={b}; each log of a source is read once, so give it once"
                )));
            }
        }
    }
    Ok(out)
}

/// Paths to read for a source, from --log or the source's `path`.
fn paths_for(
    catalog: &Catalog,
    source: usize,
    bound: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<String>> {
    let src = &catalog.sources[source];
    if let Some(paths) = bound.get(&src.name) {
        return Ok(paths.clone());
    }
    match &src.path {
        Some(p) => Ok(vec![p.display().to_string()]),
        None => Err(Error::usage(format!(
            "no log for source {:?}: pass --log {}=PATH (or set `path` in [sources.{}] of {})",
            src.name,
            src.name,
            src.name,
            catalog.files[src.file].path.display()
        ))),
    }
}

fn parse_instant(flag: &str, text: &str, tz: Tz) -> Result<stamp::Stamp> {
    stamp::parse(text.as_bytes(), &TimeFormat::Auto, tz).ok_or_else(|| {
        Error::usage(format!(
            "{flag} {text:?}: not a date or time; expected {}",
            stamp::AUTO_FORMS
        ))
    })
}

fn parse_week(text: &str, tz: Tz) -> Result<(i64, i64)> {
    let bad = || {
        Error::usage(format!(
            "--week {text:?}: expected an ISO week such as 2026-W47"
        ))
    };
    let (y, w) = text
        .split_once("-W")
        .or_else(|| text.split_once("-w"))
        .ok_or_else(bad)?;
    let (y, w): (i32, u32) = (y.parse().map_err(|_| bad())?, w.parse().map_err(|_| bad())?);
    let monday = NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon).ok_or_else(bad)?;
    let next = monday + chrono::Days::new(7);
    Ok((
        stamp::local_to_utc(monday.and_time(NaiveTime::MIN), tz),
        stamp::local_to_utc(next.and_time(NaiveTime::MIN), tz),
    ))
}

/// Loads what `req` asks for: the standards, the selection, the period, and every log a
/// selected standard reads, once. `before_reading` gets every file the run may read (the
/// standards files and logs) before any log is opened: the command line refuses outputs that
/// are among them. Warnings about the data go to `diags`, also when loading fails.
pub fn load(
    sel: &Request,
    before_reading: impl FnOnce(&[PathBuf]) -> Result<()>,
    diags: &mut Diagnostics,
) -> Result<Loaded> {
    let catalog = standards::load(&sel.standards)?;
    let selected = select(&catalog, &sel.only, sel.only_flag)?;
    let bound = bindings(&sel.logs, &catalog)?;
    before_reading(&read_files(&catalog, &bound))?;
    let group_columns = &sel.group_columns;
    let mut catalog = catalog;
    if let Some(name) = &sel.timezone {
        // The files' zones are only the report's from here on: calendars, "same day" and
        // stamps without an offset were resolved when the standards were read.
        let tz = parse_timezone(name)?;
        for f in &mut catalog.files {
            f.timezone = tz;
        }
    }
    // One pass per source that a selected standard reads.
    let mut sources: Vec<usize> = selected
        .iter()
        .map(|&i| catalog.standards[i].source)
        .collect();
    sources.sort_unstable();
    sources.dedup();
    // Each source's period in its own zone, all read before any log is.
    let mut cuts = BTreeMap::new();
    for &source in &sources {
        let tz = catalog.files[catalog.sources[source].file].timezone;
        cuts.insert(source, cut(sel, tz)?);
    }
    let cut_list = || cuts.values();
    let period = Period {
        since: cut_list().filter_map(|c| c.period.since).min(),
        until: cut_list().filter_map(|c| c.period.until).max(),
    };
    let as_of_flag = cut_list().filter_map(|c| c.as_of).max();
    let mut plan = Vec::new();
    for &source in &sources {
        plan.push((source, paths_for(&catalog, source, &bound)?));
    }
    let mut data = BTreeMap::new();
    for (source, paths) in plan {
        let needs = Needs {
            named_attributes_only: !sel.all_attributes,
            values_as_of: cuts[&source].as_of,
            ..Needs::of(&catalog, source, &selected, group_columns)
        };
        let d = ingest::read_source(&catalog, source, needs, sel.strict, &paths)?;
        report_inputs(&catalog, &d, diags);
        note_midnight_dates(&catalog, &d, diags);
        note_promises(&catalog, &d, diags);
        if !sel.allow_bad_rows {
            mostly_bad(&d)?;
        }
        data.insert(source, d);
    }
    // The contract judges open cases at the end of the period; say so when a log ends before
    // it, because its open cases are then judged by time the log cannot vouch for.
    for d in data.values().filter(|_| sel.as_of.is_none()) {
        let tz = catalog.files[catalog.sources[d.source].file].timezone;
        if let Some(until) = cuts[&d.source].period.until {
            if let Some(latest) = d.latest.filter(|&l| l < until) {
                diags.warn(format!(
                    "the period ends at {} but the latest time in source {:?} is {}: its cases \
                     still open then are judged at the end of the period, as if nothing happened \
                     in between; if the export was taken earlier, pass --as-of with its time",
                    rfc3339(until, tz),
                    catalog.sources[d.source].name,
                    rfc3339(latest, tz)
                ));
            }
        }
    }
    let latest = data.values().filter_map(|d| d.latest).max();
    let as_of = as_of_flag.or(latest).unwrap_or(0);
    let info = PeriodInfo {
        // UTC, as every time of the reports (see report::Breach).
        since: period.since.map(|t| rfc3339(t, Tz::UTC)),
        until: period.until.map(|t| rfc3339(t, Tz::UTC)),
        as_of: (as_of_flag.is_some() || latest.is_some()).then(|| rfc3339(as_of, Tz::UTC)),
    };
    Ok(Loaded {
        catalog,
        selected,
        data,
        period,
        as_of_given: as_of_flag,
        cuts,
        as_of,
        info,
    })
}

/// The period and the `--as-of` instant of a request for `yardstick sql`, cut (by [`cut`])
/// in the zone of the first standards file: `sql` refuses files of different zones.
fn period_of(sel: &Request, catalog: &Catalog) -> Result<(Period, Option<i64>)> {
    let c = cut(sel, catalog.files.first().map_or(Tz::UTC, |f| f.timezone))?;
    Ok((c.period, c.as_of))
}

/// What a request means before any log is read: the standards, the selection, the period
/// and the instant given for open cases (`--as-of`, else the end of the period), by the
/// rules of [`load`]. `yardstick sql` compiles from it, as the data is in a warehouse.
pub struct Planned {
    pub catalog: Catalog,
    pub selected: Vec<usize>,
    pub period: Period,
    pub as_of_given: Option<i64>,
}

pub fn plan(sel: &Request) -> Result<Planned> {
    let catalog = standards::load(&sel.standards)?;
    let selected = select(&catalog, &sel.only, sel.only_flag)?;
    let (period, as_of_flag) = period_of(sel, &catalog)?;
    Ok(Planned {
        catalog,
        selected,
        period,
        as_of_given: as_of_flag.or(period.until),
    })
}

/// Every file a run may read: the standards files, and each source's logs (bound, else its
/// default `path`); no output may be one of them.
fn read_files(catalog: &Catalog, bound: &BTreeMap<String, Vec<String>>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = catalog.files.iter().map(|f| f.path.clone()).collect();
    files.extend(bound.values().flatten().map(PathBuf::from));
    files.extend(catalog.sources.iter().filter_map(|s| s.path.clone()));
    files
}

/// A `by` milestone that the source does not declare a deadline counts for the log's latest
/// time like any other: when its latest value lies more than a day after everything that
/// happened, it is most likely a promised date, and it would set the default as-of; say how
/// to declare it.
fn note_promises(catalog: &Catalog, d: &SourceData, diags: &mut Diagnostics) {
    let src = &catalog.sources[d.source];
    let (Layout::Cases { milestones }, Some(plain)) = (&src.layout, d.latest_plain) else {
        return;
    };
    for (by, reference) in &d.deadline_by {
        let ingest::DeadlineRef::Column(k) = *reference else {
            continue;
        };
        let Some((name, col)) = milestones.iter().find(|(m, _)| m == by) else {
            continue;
        };
        if src.deadlines.contains(col) {
            continue;
        }
        let last = (0..d.cases.len()).filter_map(|c| d.deadline(c, k)).max();
        if let Some(last) = last.filter(|&t| t > plain + 86_400) {
            diags.warn(format!(
                "source {:?}: milestone {name:?} (read as a deadline) runs to {}, after everything \
                 else in the log (latest {}), and so sets the default --as-of; if it holds \
                 promised times rather than things that happened, declare it in [sources.{}]: \
                 deadlines = [{name:?}]",
                src.name,
                rfc3339(last, src.timezone),
                rfc3339(plain, src.timezone),
                src.name
            ));
        }
    }
}

/// Deadline columns read as dates because every value is at 00:00:00: it changes verdicts
/// (a delivery at 15:00 on the promised day is on time), so say so and how to undo it.
fn note_midnight_dates(catalog: &Catalog, d: &SourceData, diags: &mut Diagnostics) {
    let src = &catalog.sources[d.source];
    for (column, n) in &d.midnight_dates {
        diags.warn(format!(
            "source {:?}: every value of {column:?} is at 00:00:00 ({n} of them), so it is read \
             as dates: a deadline there lasts until the end of its day; if midnight itself is \
             meant, add time_columns = [{column:?}] to [sources.{}]",
            src.name, src.name
        ));
    }
}

/// A file most of whose rows cannot be used was read with the wrong settings (a wrong column,
/// layout or time format), not exported badly: auditing the rest would report a misleading
/// number, so it stops the audit.
fn mostly_bad(d: &SourceData) -> Result<()> {
    for input in &d.inputs {
        if input.rows > 0 && input.skipped * 2 > input.rows {
            let (reason, n) = input
                .skipped_reasons
                .iter()
                .max_by_key(|(_, n)| **n)
                .expect("skipped rows have reasons");
            let example = input
                .first_skip
                .get(reason)
                .map(|e| format!(" (first at {e})"))
                .unwrap_or_default();
            return Err(Error::Input {
                path: input.path.clone(),
                message: format!(
                    "{} of {} rows could not be used, {n} of them for {reason}{example}. The \
                     standards file most likely does not fit this export (a wrong column, \
                     layout, delimiter or time_format); fix it, or pass --allow-bad-rows to \
                     audit the {} rows that could be used",
                    input.skipped, input.rows, input.used
                ),
            });
        }
    }
    Ok(())
}

/// Skipped rows, empty files, implausible times and events no row carried.
fn report_inputs(catalog: &Catalog, d: &SourceData, diags: &mut Diagnostics) {
    for input in &d.inputs {
        if input.rows == 0 {
            diags.warn(format!(
                "{}: the file has a header but no rows, so nothing of it is audited (source {:?})",
                input.path, input.source
            ));
        }
        if let Some(first) = &input.first_implausible {
            let (lo, hi) = ingest::PLAUSIBLE;
            diags.warn(format!(
                "{}: {} row(s) have a time outside {} .. {}, first at {first}; most likely \
                 `time_format` misreads them (epoch milliseconds read as seconds?) or the \
                 export writes a placeholder date; they are used, and the default --as-of \
                 is the latest time in the log",
                input.path,
                input.implausible,
                rfc3339(lo, Tz::UTC),
                rfc3339(hi, Tz::UTC),
            ));
        }
        if let Some(first) = &input.first_bad_number {
            diags.warn(format!(
                "{}: {} cell(s) of value standards' columns are not numbers, first at {first}; \
                 their rows are used, and a case whose number is such a cell is not scored \
                 (\"not a number\")",
                input.path, input.bad_numbers
            ));
        }
        if let Some((line, lines)) = input.first_long_quoted {
            diags.warn(format!(
                "{}: {} quoted cell(s) span more than {} lines, the first opened at line {line} \
                 and {lines} lines long; if the export holds no comments that long, a stray \
                 quote has joined the rows between two quotes into one cell (check that line)",
                input.path,
                input.long_quoted,
                ingest::LONG_QUOTED_LINES
            ));
        }
        if input.skipped > 0 {
            diags.warn(format!(
                "{}: skipped {} of {} rows (source {:?}):",
                input.path, input.skipped, input.rows, input.source
            ));
            for (reason, n) in &input.skipped_reasons {
                let example = input
                    .first_skip
                    .get(reason)
                    .map(|e| format!("; first at {e}"))
                    .unwrap_or_default();
                diags.detail(format!("  {n} × {reason}{example}"));
            }
        }
    }
    let src = &catalog.sources[d.source];
    for (i, name) in d.event_names.iter().enumerate() {
        if d.event_counts[i] == 0
            && d.inputs.iter().any(|s| s.used > 0)
            && !d.deadline_by.contains_key(name)
        {
            let seen = if d.other_event_values.is_empty() {
                String::new()
            } else {
                format!(
                    "; event values in the log include {}",
                    d.other_event_values.join(", ")
                )
            };
            diags.warn(format!(
                "source {:?}: no row has the event {name:?} that the standards use{seen}",
                src.name
            ));
            // A typo in the standards or an export that spells it differently.
            let values = d.other_event_values.iter().map(|v| v.trim_matches('"'));
            if let Some(near) = crate::error::closest(name, values) {
                diags.detail(format!("  help: did you mean {near:?}?"));
            }
        }
    }
}
