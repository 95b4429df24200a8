//! The command line: arguments -> a run of one command, its output on stdout and its
//! diagnostics on stderr. Owns flag meanings, log binding and periods; the binary only maps
//! the outcome to an exit status.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::evaluate::{self, Period};
use crate::ingest::{self, Needs, Reader, SourceData};
use crate::output::{self, Target};
use crate::render::{self, Format, Style};
use crate::report::{
    self, BreachCounts, BreachReport, Dim, Every, PeriodInfo, Report, TrendReport,
};
use crate::standards::{self, Catalog, Layout, Level};
use crate::timefmt::{self, rfc3339, TimeFormat};

#[derive(Debug, Parser)]
#[command(
    name = "yardstick",
    version,
    about = "Audit customer-service standards (SMART objectives in TOML) against ticket and order logs (CSV).",
    after_help = "Exit status: 0 every selected standard meets its target; 1 a standard at or above --fail-on falls short; 2 the audit could not be done (usage, standards file or log errors)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compliance, variance and pass/fail per standard.
    Audit(AuditArgs),
    /// One row per breached case, with its timing and attributes.
    Breaches(BreachArgs),
    /// Validate a standards file (and, with --log, that the logs have the columns it needs).
    Check(CheckArgs),
    /// Show one case's working: events, clock, open windows, pauses, limit, deadline, verdict.
    Explain(ExplainArgs),
    /// Compliance per standard over the last N weeks or months, the change against the period
    /// before, and the error budget.
    Trend(TrendArgs),
}

#[derive(Debug, Args)]
pub struct Inputs {
    /// Standards file (TOML) or a folder of them.
    #[arg(short = 's', long = "standards", value_name = "STANDARDS")]
    pub standards: PathBuf,
    /// Bind a CSV log to a source of the standards file; PATH may be `-` for standard input.
    /// Repeat for several files of the same source.
    #[arg(long = "log", value_name = "NAME=PATH")]
    pub logs: Vec<String>,
    /// Shorthand for --log tickets=PATH.
    #[arg(long, value_name = "PATH")]
    pub tickets: Vec<String>,
    /// Shorthand for --log orders=PATH.
    #[arg(long, value_name = "PATH")]
    pub orders: Vec<String>,
}

#[derive(Debug, Args)]
pub struct Selection {
    /// Cases whose clock starts at or after this date or time (report time zone).
    #[arg(long, value_name = "DATE_OR_TIME", conflicts_with = "week")]
    pub since: Option<String>,
    /// Cases whose clock starts before this date or time (half-open period).
    #[arg(long, value_name = "DATE_OR_TIME", conflicts_with = "week")]
    pub until: Option<String>,
    /// An ISO week, such as 2026-W47 (Monday 00:00 to the next Monday 00:00).
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
    /// Judge still-open cases at this instant [default: the end of the period, else the latest event in the logs].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Only these standards (comma-separated ids).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Stop at the first row that cannot be used, instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
    /// Audit even when more than half of a file's rows cannot be used (by default that stops
    /// the audit: the standards file most likely does not fit the export).
    #[arg(long, conflicts_with = "strict")]
    pub allow_bad_rows: bool,
    /// The flag that named the standards, for messages ("" = --only).
    #[arg(skip)]
    pub only_flag: &'static str,
}

#[derive(Debug, Args)]
pub struct Output {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour the table.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// csv/tsv for a spreadsheet: a text cell starting with =, +, -, @, tab or CR gets a
    /// leading ' so that Excel, LibreOffice or Google Sheets show it instead of running it as a
    /// formula; numbers (-5, +3.2) stay numbers. Leave it off for CSV that a program reads
    /// (pandas, DuckDB): there the ' becomes part of the value. No effect on other formats or
    /// on the --export-* files (json, junit, markdown, html, xlsx: none of them delimited).
    #[arg(long)]
    pub formula_safe: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub selection: Selection,
    /// Group results by attribute columns and/or day, week, month (comma-separated).
    #[arg(long, value_name = "DIMS")]
    pub by: Option<String>,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub exports: Exports,
    /// Lowest level whose shortfall fails the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Any)]
    pub fail_on: FailOn,
    /// What a standard (or group) with no decided case means for the exit status.
    #[arg(long, value_enum, default_value_t = OnEmpty::Warn)]
    pub on_empty: OnEmpty,
}

/// Files written beside what `--format` sends to standard output, from the same run.
#[derive(Debug, Args)]
pub struct Exports {
    /// Also write the JSON report to PATH.
    #[arg(long, value_name = "PATH")]
    pub export_json: Option<PathBuf>,
    /// Also write the JUnit XML report to PATH.
    #[arg(long, value_name = "PATH")]
    pub export_junit: Option<PathBuf>,
    /// Also write the Markdown report to PATH.
    #[arg(long, value_name = "PATH")]
    pub export_markdown: Option<PathBuf>,
    /// Also write the HTML page (summary table and charts) to PATH.
    #[arg(long, value_name = "PATH")]
    pub export_html: Option<PathBuf>,
    /// Also write the Excel workbook (summary, breaches, definitions) to PATH.
    #[cfg(feature = "xlsx")]
    #[arg(long, value_name = "PATH")]
    pub export_xlsx: Option<PathBuf>,
}

impl Exports {
    /// (flag, format, target) of each export asked for.
    fn targets(&self) -> Vec<(&'static str, Format, Target)> {
        self.list()
            .into_iter()
            .map(|(flag, format, path)| (flag, format, Target::of(Some(path))))
            .collect()
    }

    /// (flag, format, path) of each export asked for.
    fn list(&self) -> Vec<(&'static str, Format, &PathBuf)> {
        [
            ("--export-json", Format::Json, &self.export_json),
            ("--export-junit", Format::Junit, &self.export_junit),
            ("--export-markdown", Format::Markdown, &self.export_markdown),
            ("--export-html", Format::Html, &self.export_html),
            #[cfg(feature = "xlsx")]
            ("--export-xlsx", Format::Xlsx, &self.export_xlsx),
        ]
        .into_iter()
        .filter_map(|(flag, format, path)| path.as_ref().map(|p| (flag, format, p)))
        .collect()
    }
}

#[derive(Debug, Args)]
pub struct BreachArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub selection: Selection,
    /// Only each standard's N worst breaches, the furthest over the limit first.
    #[arg(long, value_name = "N", conflicts_with = "by")]
    pub top: Option<usize>,
    /// Count breaches per value of these attribute columns, per standard (comma-separated).
    #[arg(long, value_name = "COLUMNS")]
    pub by: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The length of a period.
    #[arg(long, value_enum, default_value_t = Every::Week)]
    pub every: Every,
    /// How many periods, the last one holding --as-of.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=520))]
    pub periods: u32,
    /// Judge still-open cases at this instant, and end the last period with it [default: the latest event in the logs].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Only these standards (comma-separated ids).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Stop at the first row that cannot be used, instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// The standard's id.
    #[arg(long, value_name = "ID")]
    pub standard: String,
    /// The case's id, as written in the log.
    #[arg(long = "case", value_name = "CASE")]
    pub case: String,
    /// Judge the case at this instant [default: the latest event in the logs].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Stop at the first row that cannot be used, instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any standard that falls short.
    Any,
    /// Only non-negotiable standards.
    Nonnegotiable,
    /// Operational and non-negotiable standards.
    Operational,
    /// Same as any: experiential and above.
    Experiential,
    /// Never exit 1.
    None,
}

impl FailOn {
    fn counts(self, level: Level) -> bool {
        match self {
            FailOn::Any | FailOn::Experiential => true,
            FailOn::Operational => level >= Level::Operational,
            FailOn::Nonnegotiable => level == Level::Nonnegotiable,
            FailOn::None => false,
        }
    }
}

/// `--on-empty`: a standard (or group) with no decided case ("no data").
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnEmpty {
    /// Falls short like a failing standard (exit 1 when its level counts under --fail-on).
    Fail,
    /// A warning on stderr; does not fail the run (default).
    Warn,
    /// Silently does not fail the run.
    Pass,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// How a run ended when it could be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every standard that counts met its target (exit 0).
    Passed,
    /// A standard at or above --fail-on fell short (exit 1).
    Failed,
}

pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Audit(a) => audit(a),
        Command::Breaches(b) => breaches(b),
        Command::Check(c) => check(c),
        Command::Explain(e) => explain(e),
        Command::Trend(t) => trend(t),
    }
}

/// What every reading command shares: standards, selection, logs, period.
struct Loaded {
    catalog: Catalog,
    selected: Vec<usize>,
    data: BTreeMap<usize, SourceData>,
    period: Period,
    /// The instant given with --as-of, or the end of the period.
    as_of_given: Option<i64>,
    /// Latest instant of the whole audit, when nothing was given.
    as_of: i64,
    info: PeriodInfo,
}

impl Loaded {
    /// The instant a source's cases are judged at: the given one, else the source's own
    /// latest event, so that one log is never judged by time that passed after its export
    /// because another log was exported later.
    fn as_of(&self, source: usize) -> i64 {
        self.as_of_given
            .or_else(|| self.data.get(&source).and_then(|d| d.latest))
            .unwrap_or(self.as_of)
    }
}

/// A warning on stderr, escaped at this edge (see `render::escape`): no value in it can
/// drive the terminal or start a line of the CI log.
fn warn(msg: &str) {
    eprintln!("warning: {}", render::escape::terminal(msg));
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

/// `--log NAME=PATH` bindings, by source name.
fn bindings(inputs: &Inputs, catalog: &Catalog) -> Result<BTreeMap<String, Vec<String>>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for spec in &inputs.logs {
        let (name, path) = spec.split_once('=').ok_or_else(|| {
            Error::usage(format!(
                "--log {spec:?}: expected NAME=PATH, for example --log tickets=export.csv"
            ))
        })?;
        if name.is_empty() || path.is_empty() {
            return Err(Error::usage(format!(
                "--log {spec:?}: expected NAME=PATH with both parts"
            )));
        }
        out.entry(name.to_string())
            .or_default()
            .push(path.to_string());
    }
    for p in &inputs.tickets {
        out.entry("tickets".into()).or_default().push(p.clone());
    }
    for p in &inputs.orders {
        out.entry("orders".into()).or_default().push(p.clone());
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

fn parse_instant(flag: &str, text: &str, tz: Tz) -> Result<timefmt::Stamp> {
    timefmt::parse(text.as_bytes(), &TimeFormat::Auto, tz).ok_or_else(|| {
        Error::usage(format!(
            "{flag} {text:?}: not a date or time; expected {}",
            timefmt::AUTO_FORMS
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
        timefmt::local_to_utc(monday.and_time(NaiveTime::MIN), tz),
        timefmt::local_to_utc(next.and_time(NaiveTime::MIN), tz),
    ))
}

/// `all_attributes`: keep every attribute column of the logs (for breach lists and traces),
/// not only those the standards and `group_columns` name.
fn load(
    inputs: &Inputs,
    sel: &Selection,
    group_columns: &[String],
    all_attributes: bool,
    outputs: &[(&str, &Target)],
) -> Result<Loaded> {
    let catalog = standards::load(&inputs.standards)?;
    let flag = if sel.only_flag.is_empty() {
        "--only"
    } else {
        sel.only_flag
    };
    let selected = select(&catalog, &sel.only, flag)?;
    let bound = bindings(inputs, &catalog)?;
    output::check(outputs, &read_files(&catalog, &bound))?;
    // Periods are cut in the report time zone of the (first) standards file.
    let tz = catalog.files.first().map_or(Tz::UTC, |f| f.timezone);
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
    let as_of_flag = match &sel.as_of {
        Some(a) => Some(parse_instant("--as-of", a, tz)?.secs),
        None => None,
    };

    // One pass per source that a selected standard reads.
    let mut sources: Vec<usize> = selected
        .iter()
        .map(|&i| catalog.standards[i].source)
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let mut plan = Vec::new();
    for &source in &sources {
        plan.push((source, paths_for(&catalog, source, &bound)?));
    }
    let mut data = BTreeMap::new();
    for (source, paths) in plan {
        let needs = Needs {
            named_attributes_only: !all_attributes,
            ..Needs::of(&catalog, source, &selected, group_columns)
        };
        let d = if matches!(catalog.sources[source].layout, Layout::Threads { .. }) {
            crate::threads::read(&catalog, source, needs, sel.strict, &paths)?
        } else {
            let mut reader = Reader::new(&catalog, source, needs, sel.strict);
            for path in &paths {
                reader.read_path(path)?;
            }
            reader.finish()
        };
        report_inputs(&catalog, &d);
        note_promises(&catalog, &d);
        if !sel.allow_bad_rows {
            mostly_bad(&d)?;
        }
        data.insert(source, d);
    }
    // The contract judges open cases at the end of the period; say so when a log ends before
    // it, because its open cases are then judged by time the log cannot vouch for.
    if let (None, Some(until)) = (as_of_flag, period.until) {
        for d in data.values() {
            if let Some(latest) = d.latest.filter(|&l| l < until) {
                warn(&format!(
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
    let as_of = as_of_flag.or(period.until).or(latest).unwrap_or(0);
    let info = PeriodInfo {
        since: period.since.map(|t| rfc3339(t, tz)),
        until: period.until.map(|t| rfc3339(t, tz)),
        as_of: (as_of_flag.is_some() || period.until.is_some() || latest.is_some())
            .then(|| rfc3339(as_of, tz)),
    };
    Ok(Loaded {
        catalog,
        selected,
        data,
        period,
        as_of_given: as_of_flag.or(period.until),
        as_of,
        info,
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
fn note_promises(catalog: &Catalog, d: &SourceData) {
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
            warn(&format!(
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

/// Skipped rows and events no row carried, on stderr.
fn report_inputs(catalog: &Catalog, d: &SourceData) {
    for input in &d.inputs {
        if input.rows == 0 {
            warn(&format!(
                "{}: the file has a header but no rows, so nothing of it is audited (source {:?})",
                input.path, input.source
            ));
        }
        if let Some(first) = &input.first_implausible {
            let (lo, hi) = ingest::PLAUSIBLE;
            warn(&format!(
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
        if input.skipped > 0 {
            warn(&format!(
                "{}: skipped {} of {} rows (source {:?}):",
                input.path, input.skipped, input.rows, input.source
            ));
            for (reason, n) in &input.skipped_reasons {
                let example = input
                    .first_skip
                    .get(reason)
                    .map(|e| format!("; first at {e}"))
                    .unwrap_or_default();
                let line = format!("  {n} × {reason}{example}");
                eprintln!("{}", render::escape::terminal(&line));
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
            warn(&format!(
                "source {:?}: no row has the event {name:?} that the standards use{seen}",
                src.name
            ));
        }
    }
}

fn style(out: &Output) -> Style {
    let to_terminal = out.target().is_stdout() && io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && !no_color,
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
        .filter(|&w| w >= 40)
        .or_else(|| {
            if to_terminal {
                comfy_table::Table::new().width()
            } else {
                None
            }
        })
        .unwrap_or(80);
    Style {
        color,
        width,
        formula_safe: out.formula_safe,
    }
}

impl Output {
    fn target(&self) -> Target {
        Target::of(self.output.as_deref())
    }
}

/// Writes the report to `-o` or standard output.
fn emit(out: &Output, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    output::write(&out.target(), render)
}

fn audit(a: AuditArgs) -> Result<Status> {
    let target = a.output.target();
    let exports = a.exports.targets();
    let mut outputs: Vec<(&str, &Target)> = vec![("-o", &target)];
    outputs.extend(exports.iter().map(|(flag, _, t)| (*flag, t)));
    if a.output.format.binary() && target.is_stdout() && io::stdout().is_terminal() {
        return Err(Error::usage(format!(
            "--format {} is a binary file: give -o FILE (or --export-{} FILE), or redirect standard output",
            a.output.format.name(),
            a.output.format.name()
        )));
    }
    let workbook = a.output.format.binary() || a.exports.list().iter().any(|(_, f, _)| f.binary());
    let html = a.output.format == Format::Html
        || a.exports.list().iter().any(|(_, f, _)| *f == Format::Html);
    let dims = match &a.by {
        Some(text) => Dim::parse_list(text).map_err(Error::usage)?,
        None => Vec::new(),
    };
    let group_columns: Vec<String> = dims
        .iter()
        .filter_map(|d| match d {
            Dim::Attr(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let l = load(&a.inputs, &a.selection, &group_columns, workbook, &outputs)?;
    for &i in &l.selected {
        let s = &l.catalog.standards[i];
        if let Some(why) = standards::futile(s) {
            warn(&format!("standard {:?} {why}", s.id));
        }
    }
    // One pass over the cases for all standards: slices of cases, each evaluated for every
    // standard while its events are in the cache, on every core; outcomes are summarised as
    // they come (no memory per case). Warnings and rows keep the standards' order.
    const SLICE: usize = 4096;
    let most = l.data.values().map(|d| d.cases.len()).max().unwrap_or(0);
    let slices: Vec<usize> = (0..most.div_ceil(SLICE).max(1)).collect();
    // Per standard: its summary (with the weekly trend for the HTML page), its outcomes not
    // scored, and its breaches (for the workbook).
    type Part<'s> = (report::Summary<'s>, Exclusions, Vec<evaluate::Outcome>);
    let new_summaries = || -> Vec<Part> {
        l.selected
            .iter()
            .map(|&i| {
                let s = &l.catalog.standards[i];
                let summary = report::Summary::new(&l.catalog, s, &l.data[&s.source], &dims);
                let summary = if html { summary.with_weekly() } else { summary };
                (summary, Exclusions::default(), Vec::new())
            })
            .collect::<Vec<_>>()
    };
    let prepared: Vec<evaluate::Prepared> = l
        .selected
        .iter()
        .map(|&i| {
            let s = &l.catalog.standards[i];
            evaluate::Prepared::new(s, &l.data[&s.source], l.period, l.as_of(s.source))
        })
        .collect();
    // The standards of each source (positions in `selected`): a case is read once for all.
    let mut by_source: Vec<(usize, Vec<usize>)> = Vec::new();
    for (j, &i) in l.selected.iter().enumerate() {
        let source = l.catalog.standards[i].source;
        match by_source.iter_mut().find(|(s, _)| *s == source) {
            Some((_, members)) => members.push(j),
            None => by_source.push((source, vec![j])),
        }
    }
    let evaluate_slice = |acc: &mut Vec<Part>, &k: &usize| {
        for (source, members) in &by_source {
            let d = &l.data[source];
            let end = ((k + 1) * SLICE).min(d.cases.len());
            for ci in k * SLICE..end {
                evaluate::prefetch_ahead(d, ci, end);
                for &j in members {
                    let (summary, excluded, breaches) = &mut acc[j];
                    prepared[j].case(ci, &mut |o| {
                        excluded.add(o);
                        if workbook && o.verdict == evaluate::Verdict::Breached {
                            breaches.push(*o);
                        }
                        summary.add(o);
                    });
                }
            }
        }
    };
    // Values sorted on every core, so that the merge below only interleaves sorted lists.
    let settle = |acc: &mut Vec<Part>| acc.iter_mut().for_each(|(summary, ..)| summary.settle());
    let per_thread = parallel_fold(&slices, new_summaries, evaluate_slice, settle);
    // Each standard's parts (one per thread) merged and finished, standards on every core.
    let mut parts: Vec<Vec<Part>> = (0..l.selected.len()).map(|_| Vec::new()).collect();
    for thread_parts in per_thread {
        for (mine, part) in parts.iter_mut().zip(thread_parts) {
            mine.push(part);
        }
    }
    let parts: Vec<std::sync::Mutex<Vec<Part>>> =
        parts.into_iter().map(std::sync::Mutex::new).collect();
    let order: Vec<usize> = (0..parts.len()).collect();
    let finish = |done: &mut Vec<_>, &j: &usize| {
        let mine = std::mem::take(&mut *parts[j].lock().expect("each standard once"));
        let mut mine = mine.into_iter();
        let (mut summary, mut excluded, mut breaches) = mine.next().expect("a part per thread");
        for (s, e, b) in mine {
            summary.merge(s);
            excluded.merge(e);
            breaches.extend(b);
        }
        // Case order, as a sequential evaluation gives them (threads took slices in turns).
        breaches.sort_unstable_by_key(|o| (o.case, o.occurrence));
        done.push((j, summary.finish(), excluded, breaches));
    };
    let mut summaries: Vec<_> = parallel_fold(&order, Vec::new, finish, |_| {})
        .into_iter()
        .flatten()
        .collect();
    summaries.sort_by_key(|(j, ..)| *j);
    let mut rows = Vec::new();
    let mut breach_list = Vec::new();
    for (&i, (_, standard_rows, excluded, breaches)) in l.selected.iter().zip(summaries) {
        let s = &l.catalog.standards[i];
        let d = &l.data[&s.source];
        note_filter(s, d);
        note_excluded(&l.catalog, s, &excluded);
        if workbook {
            breach_list.extend(report::breaches(&l.catalog, s, d, &breaches));
        }
        rows.extend(standard_rows);
    }
    let empty_fails = a.on_empty == OnEmpty::Fail;
    if a.on_empty == OnEmpty::Warn {
        for r in rows.iter().filter(|r| r.passed.is_none()) {
            warn(&no_data_message(r));
        }
    }
    let falls_short = |r: &report::Row| match r.passed {
        Some(passed) => !passed,
        None => empty_fails,
    };
    let failed = rows
        .iter()
        .any(|r| falls_short(r) && a.fail_on.counts(r.level));
    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        passed: !rows.iter().any(falls_short),
        period: l.info,
        standards: rows,
        // The cases are not freed one by one: the process ends right after the report.
        inputs: l
            .data
            .into_values()
            .flat_map(|mut d| {
                let inputs = std::mem::take(&mut d.inputs);
                std::mem::forget(d);
                inputs
            })
            .collect(),
        breaches: breach_list,
    };
    let style = style(&a.output);
    emit(&a.output, |w| {
        render::audit(&report, a.output.format, style, w)
    })?;
    if a.output.format == Format::Github {
        step_summary(&report, style)?;
    }
    // Files are for reading later: no colour, an 80-column table where there is one.
    let file_style = Style {
        color: false,
        width: 80,
        formula_safe: false,
    };
    for (_, format, target) in &exports {
        output::write(target, |w| render::audit(&report, *format, file_style, w))?;
    }
    Ok(if failed {
        Status::Failed
    } else {
        Status::Passed
    })
}

/// The stderr line for a standard (or group) with no decided case.
fn no_data_message(r: &report::Row) -> String {
    let group = match &r.group {
        Some(g) => format!(" [{}]", g.label()),
        None => String::new(),
    };
    format!(
        "standard {:?}{group}: no decided case in the period ({} open, {} excluded); reported as no data (--on-empty fail makes this fail the run)",
        r.id, r.open, r.excluded
    )
}

/// With `--format github` in a GitHub Actions job, the Markdown report goes to the job's
/// summary too: appended to the file that `GITHUB_STEP_SUMMARY` names.
fn step_summary(report: &Report, style: Style) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = PathBuf::from(path);
    let shown = format!("GITHUB_STEP_SUMMARY {}", path.display());
    let mut text = b"## yardstick audit\n\n".to_vec();
    render::audit(report, Format::Markdown, style, &mut text).map_err(|e| Error::io(&shown, e))?;
    text.push(b'\n');
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(&text))
        .map_err(|e| Error::io(shown, e))
}

/// `where` values that no case of the log has: almost always a misspelling, which would
/// otherwise pass as "no data".
fn note_filter(s: &standards::Standard, d: &SourceData) {
    for (col, values) in &s.filter {
        let Some(i) = d.attr_index(col) else { continue };
        let seen = &d.attr_values[i];
        for v in values {
            if !seen.iter().any(|x| evaluate::value_matches(v, x)) {
                let mut some: Vec<String> = seen
                    .iter()
                    .skip(1)
                    .take(12)
                    .map(|x| format!("{x:?}"))
                    .collect();
                if seen.len() > 13 {
                    some.push("...".into());
                }
                warn(&format!(
                    "standard {:?}: `where` {col} = {v:?} matches no case in the log; the values of {col} are: {}",
                    s.id,
                    if some.is_empty() { "none".to_string() } else { some.join(", ") }
                ));
            }
        }
    }
}

/// Folds every item into per-thread accumulators made by `init`, on up to one thread per
/// core, and ends each with `done` on its thread; returns the accumulators (in no particular
/// order).
fn parallel_fold<T: Sync, A: Send>(
    items: &[T],
    init: impl Fn() -> A + Sync,
    f: impl Fn(&mut A, &T) + Sync,
    done: impl Fn(&mut A) + Sync,
) -> Vec<A> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut acc = init();
        while let Some(item) = items.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            f(&mut acc, item);
        }
        done(&mut acc);
        acc
    };
    if threads <= 1 {
        return vec![work()];
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("an evaluation thread"))
            .collect()
    })
}

/// A standard's outcomes not scored, per reason, and how many stopped before their start: what
/// [`note_excluded`] warns about.
#[derive(Default)]
struct Exclusions {
    reasons: BTreeMap<&'static str, u64>,
    early: u64,
}

impl Exclusions {
    fn add(&mut self, o: &evaluate::Outcome) {
        if let evaluate::Verdict::Excluded(r) = o.verdict {
            *self.reasons.entry(r).or_default() += 1;
        }
        self.early += u64::from(o.stop_before_start);
    }

    fn merge(&mut self, other: Exclusions) {
        for (reason, n) in other.reasons {
            *self.reasons.entry(reason).or_default() += n;
        }
        self.early += other.early;
    }
}

/// Warns about cases not scored, from the count of excluded outcomes per reason, and about
/// case-table milestones before the clock's start (`early` of them).
fn note_excluded(catalog: &Catalog, s: &standards::Standard, excluded: &Exclusions) {
    let (reasons, early) = (&excluded.reasons, excluded.early);
    // In a case table each milestone happens once, so a `to` before the start is an
    // impossible order in the export; in event logs events recur and it is no news.
    let table = matches!(catalog.sources[s.source].layout, Layout::Cases { .. });
    if table && early > 0 {
        warn(&format!(
            "standard {:?}: {early} case(s) have their `to` milestone before the clock's start, \
             an impossible order: it does not stop the clock, so they count as open or breached \
             (check the export; `yardstick explain` shows a case)",
            s.id
        ));
    }
    if let Some(n) = reasons.get(evaluate::NO_CALENDAR) {
        warn(&format!(
            "standard {:?}: {n} case(s) have a `calendar.by` value with no calendar in `map` and no `default`; they are not scored",
            s.id
        ));
    }
    if let Some(n) = reasons.get("no deadline") {
        warn(&format!(
            "standard {:?}: {n} case(s) have no deadline value and are not scored",
            s.id
        ));
    }
}

fn breaches(b: BreachArgs) -> Result<Status> {
    if b.output.format.audit_only() {
        return Err(Error::usage(format!(
            "--format {} is for `yardstick audit`; breaches support table, csv, tsv, json, markdown, ndjson",
            b.output.format.name()
        )));
    }
    let by: Vec<String> = match &b.by {
        Some(text) => Dim::parse_list(text)
            .map_err(Error::usage)?
            .into_iter()
            .map(|d| match d {
                Dim::Attr(c) => Ok(c),
                time => Err(Error::usage(format!(
                    "breaches --by {text:?}: {:?} is a time bucket; breaches count by attribute columns (use `audit --by {}` for compliance per {})",
                    time.name(),
                    time.name(),
                    time.name()
                ))),
            })
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    if b.top == Some(0) {
        return Err(Error::usage("--top 0 would list nothing; give 1 or more"));
    }
    let l = load(
        &b.inputs,
        &b.selection,
        &by,
        true,
        &[("-o", &b.output.target())],
    )?;
    let (mut list, mut counts) = (Vec::new(), Vec::new());
    for &i in &l.selected {
        let s = &l.catalog.standards[i];
        let d = &l.data[&s.source];
        // Only the breached outcomes are kept (a year of a large desk has millions of cases),
        // and made into rows only when listed.
        let mut breached = Vec::new();
        evaluate::evaluate_each(s, d, l.period, l.as_of(s.source), |o| {
            if o.verdict == evaluate::Verdict::Breached {
                breached.push(*o);
            }
        });
        if let Some(n) = b.top {
            report::worst_first(&mut breached, n);
        }
        if b.by.is_some() {
            counts.extend(report::count_breached(s, d, &breached, &by));
        } else {
            list.extend(report::breaches(&l.catalog, s, d, &breached));
        }
    }
    let inputs = l.data.into_values().flat_map(|d| d.inputs).collect();
    let style = style(&b.output);
    if b.by.is_some() {
        let counts = BreachCounts {
            schema_version: report::SCHEMA_VERSION,
            period: l.info,
            counts,
            by,
            inputs,
        };
        emit(&b.output, |w| {
            render::breach_counts(&counts, b.output.format, style, w)
        })?;
        return Ok(Status::Passed);
    }
    let report = BreachReport {
        schema_version: report::SCHEMA_VERSION,
        period: l.info,
        breaches: list,
        inputs,
    };
    emit(&b.output, |w| {
        render::breaches(&report, b.output.format, style, w)
    })?;
    Ok(Status::Passed)
}

fn trend(t: TrendArgs) -> Result<Status> {
    if t.output.format.audit_only() {
        return Err(Error::usage(format!(
            "--format {} is for `yardstick audit`; trend supports table, csv, tsv, json, markdown, ndjson",
            t.output.format.name()
        )));
    }
    let sel = Selection {
        since: None,
        until: None,
        week: None,
        as_of: t.as_of.clone(),
        only: t.only.clone(),
        strict: t.strict,
        allow_bad_rows: false,
        only_flag: "",
    };
    let l = load(&t.inputs, &sel, &[], false, &[("-o", &t.output.target())])?;
    let tz = l.catalog.files.first().map_or(Tz::UTC, |f| f.timezone);
    let spans = report::last_periods(t.every, t.periods, l.as_of, tz);
    let period = Period {
        since: spans.first().map(|p| p.since_s),
        until: spans.last().map(|p| p.until_s),
    };
    let mut rows = Vec::new();
    for &i in &l.selected {
        let s = &l.catalog.standards[i];
        let d = &l.data[&s.source];
        let (mut excluded, mut counts) = (Exclusions::default(), report::TrendCounts::new(&spans));
        evaluate::evaluate_each(s, d, period, l.as_of(s.source), |o| {
            excluded.add(o);
            counts.add(o);
        });
        note_excluded(&l.catalog, s, &excluded);
        rows.extend(counts.rows(s));
    }
    let report = TrendReport {
        schema_version: report::SCHEMA_VERSION,
        every: t.every,
        as_of: rfc3339(l.as_of, tz),
        periods: spans,
        trend: rows,
        inputs: l.data.into_values().flat_map(|d| d.inputs).collect(),
    };
    let style = style(&t.output);
    emit(&t.output, |w| {
        render::trend(&report, t.output.format, style, w)
    })?;
    Ok(Status::Passed)
}

fn explain(e: ExplainArgs) -> Result<Status> {
    let sel = Selection {
        since: None,
        until: None,
        week: None,
        as_of: e.as_of.clone(),
        only: vec![e.standard.clone()],
        strict: e.strict,
        allow_bad_rows: true,
        only_flag: "--standard",
    };
    let l = load(&e.inputs, &sel, &[], true, &[])?;
    let s = &l.catalog.standards[l.selected[0]];
    let d = &l.data[&s.source];
    let case = d
        .cases
        .iter()
        .position(|c| &*c.id == e.case.as_str())
        .ok_or_else(|| {
            Error::usage(format!(
                "no case {:?} among the {} cases of source {:?} that standard {:?} reads",
                e.case,
                d.cases.len(),
                l.catalog.sources[s.source].name,
                s.id
            ))
        })?;
    // The evaluator judges the case, its `where` and its calendar: explain shows its working
    // and re-implements none of its rules.
    let prepared = evaluate::Prepared::new(s, d, Period::default(), l.as_of(s.source));
    let text = crate::explain::trace(&l.catalog, s, d, &prepared, case, l.as_of(s.source));
    output::print(text.as_bytes())?;
    Ok(Status::Passed)
}

fn check(c: CheckArgs) -> Result<Status> {
    let catalog = standards::load(&c.inputs.standards)?;
    let bound = bindings(&c.inputs, &catalog)?;
    for w in standards::smart_warnings(&catalog) {
        warn(&w);
    }
    let all: Vec<usize> = (0..catalog.standards.len()).collect();
    let mut out = String::new();
    for (source, src) in catalog.sources.iter().enumerate() {
        // --log, else the source's own `path` when that file is there.
        let paths = match bound.get(&src.name) {
            Some(p) => p.clone(),
            None => match &src.path {
                Some(p) if p.is_file() => vec![p.display().to_string()],
                Some(p) => {
                    warn(&format!(
                        "source {:?}: its path {} is not there, so its columns were not checked; pass --log {}=PATH",
                        src.name,
                        p.display(),
                        src.name
                    ));
                    continue;
                }
                None => continue,
            },
        };
        let paths = &paths;
        let mut reader = Reader::new(
            &catalog,
            source,
            Needs::of(&catalog, source, &all, &[]),
            false,
        );
        for path in paths {
            let input: Box<dyn io::Read> = if path == "-" {
                Box::new(io::stdin().lock())
            } else {
                Box::new(std::fs::File::open(path).map_err(|e| Error::io(path, e))?)
            };
            let headers = reader.check_header(input, path)?;
            out.push_str(&format!(
                "{path}: the {} columns have what source {:?} needs\n",
                headers.len(),
                src.name
            ));
        }
    }
    let mut listing = String::new();
    for s in &catalog.standards {
        listing.push_str(&format!(
            "  {:<28} {:<13} target {:>5}%  {}\n",
            s.id,
            s.level.as_str(),
            s.target,
            s.rule()
        ));
    }
    let files = catalog.files.len();
    let summary = format!(
        "ok: {} standard{} and {} source{} in {} file{}\n{listing}{out}",
        catalog.standards.len(),
        if catalog.standards.len() == 1 {
            ""
        } else {
            "s"
        },
        catalog.sources.len(),
        if catalog.sources.len() == 1 { "" } else { "s" },
        files,
        if files == 1 { "" } else { "s" },
    );
    output::print(summary.as_bytes())?;
    Ok(Status::Passed)
}
