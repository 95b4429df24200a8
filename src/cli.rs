//! The command line: arguments -> a run of one command, its output on stdout and its
//! diagnostics on stderr. Owns flag meanings, log binding and periods; the binary only maps
//! the outcome to an exit status.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::evaluate::{self, Period};
use crate::ingest::{Needs, Reader, SourceData};
use crate::render::{self, Format, Style};
use crate::report::{self, BreachReport, Dim, PeriodInfo, Report};
use crate::standards::{self, Catalog, Level};
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
    /// Lowest level whose shortfall fails the run (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Any)]
    pub fail_on: FailOn,
}

#[derive(Debug, Args)]
pub struct BreachArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    #[command(flatten)]
    pub selection: Selection,
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
    }
}

/// What every reading command shares: standards, selection, logs, period.
struct Loaded {
    catalog: Catalog,
    selected: Vec<usize>,
    data: BTreeMap<usize, SourceData>,
    period: Period,
    as_of: i64,
    info: PeriodInfo,
}

fn warn(msg: &str) {
    eprintln!("warning: {msg}");
}

fn select(catalog: &Catalog, only: &[String]) -> Result<Vec<usize>> {
    if only.is_empty() {
        return Ok((0..catalog.standards.len()).collect());
    }
    let mut out = Vec::new();
    for id in only.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let i = catalog
            .standards
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| {
                let ids: Vec<&str> = catalog.standards.iter().map(|s| s.id.as_str()).collect();
                Error::usage(format!(
                    "--only: no standard {id:?}; the standards are {}",
                    ids.join(", ")
                ))
            })?;
        if !out.contains(&i) {
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

fn load(inputs: &Inputs, sel: &Selection, group_columns: &[String]) -> Result<Loaded> {
    let catalog = standards::load(&inputs.standards)?;
    let selected = select(&catalog, &sel.only)?;
    let bound = bindings(inputs, &catalog)?;
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
        let needs = Needs::of(&catalog, source, &selected, group_columns);
        let mut reader = Reader::new(&catalog, source, needs, sel.strict);
        for path in &paths {
            reader.read_path(path)?;
        }
        let d = reader.finish();
        report_inputs(&catalog, &d);
        data.insert(source, d);
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
        as_of,
        info,
    })
}

/// Skipped rows and events no row carried, on stderr.
fn report_inputs(catalog: &Catalog, d: &SourceData) {
    for input in &d.inputs {
        if input.skipped > 0 {
            eprintln!(
                "warning: {}: skipped {} of {} rows (source {:?}):",
                input.path, input.skipped, input.rows, input.source
            );
            for (reason, n) in &input.skipped_reasons {
                let example = input
                    .first_skip
                    .get(reason)
                    .map(|e| format!("; first at {e}"))
                    .unwrap_or_default();
                eprintln!("  {n} × {reason}{example}");
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
    let to_terminal = out.output.is_none() && io::stdout().is_terminal();
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
    Style { color, width }
}

/// Fails early when `-o` cannot be written, before any log is read.
fn check_output(out: &Output) -> Result<()> {
    if let Some(path) = &out.output {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        if !parent.is_dir() {
            return Err(Error::usage(format!(
                "-o {}: the folder {} does not exist",
                path.display(),
                parent.display()
            )));
        }
        if path.is_dir() {
            return Err(Error::usage(format!(
                "-o {}: is a folder; give a file name",
                path.display()
            )));
        }
    }
    Ok(())
}

fn emit(out: &Output, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match &out.output {
        Some(path) => {
            let mut buf = Vec::new();
            render(&mut buf).map_err(|e| Error::io(path.display().to_string(), e))?;
            std::fs::write(path, buf).map_err(|e| Error::io(path.display().to_string(), e))
        }
        None => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            render(&mut w)
                .and_then(|()| w.flush())
                .map_err(|e| Error::io("<stdout>", e))
        }
    }
}

fn audit(a: AuditArgs) -> Result<Status> {
    check_output(&a.output)?;
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
    let l = load(&a.inputs, &a.selection, &group_columns)?;
    // One pass over the cases for all standards: slices of cases, each evaluated for every
    // standard while its events are in the cache, on every core; outcomes are summarised as
    // they come (no memory per case). Warnings and rows keep the standards' order.
    const SLICE: usize = 4096;
    let most = l.data.values().map(|d| d.cases.len()).max().unwrap_or(0);
    let slices: Vec<usize> = (0..most.div_ceil(SLICE).max(1)).collect();
    let new_summaries = || {
        l.selected
            .iter()
            .map(|&i| {
                let s = &l.catalog.standards[i];
                let summary = report::Summary::new(&l.catalog, s, &l.data[&s.source], &dims);
                (summary, BTreeMap::<&str, u64>::new())
            })
            .collect::<Vec<_>>()
    };
    let per_thread = parallel_fold(&slices, new_summaries, |acc, &k| {
        let cases = k * SLICE..(k + 1) * SLICE;
        for (&i, (summary, excluded)) in l.selected.iter().zip(acc.iter_mut()) {
            let s = &l.catalog.standards[i];
            let d = &l.data[&s.source];
            evaluate::evaluate_cases(s, d, l.period, l.as_of, cases.clone(), |o| {
                if let evaluate::Verdict::Excluded(r) = o.verdict {
                    *excluded.entry(r).or_default() += 1;
                }
                summary.add(&o);
            });
        }
    });
    let mut summaries = new_summaries();
    for part in per_thread {
        for ((summary, excluded), (s, e)) in summaries.iter_mut().zip(part) {
            summary.merge(s);
            for (reason, n) in e {
                *excluded.entry(reason).or_default() += n;
            }
        }
    }
    let summaries = summaries
        .into_iter()
        .map(|(summary, excluded)| (summary.finish(), excluded));
    let mut rows = Vec::new();
    for (&i, (standard_rows, excluded)) in l.selected.iter().zip(summaries) {
        note_excluded(&l.catalog.standards[i], &excluded);
        rows.extend(standard_rows);
    }
    let failed = rows
        .iter()
        .any(|r| r.passed == Some(false) && a.fail_on.counts(r.level));
    let report = Report {
        schema_version: report::SCHEMA_VERSION,
        passed: rows.iter().all(|r| r.passed != Some(false)),
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
    };
    let style = style(&a.output);
    emit(&a.output, |w| {
        render::audit(&report, a.output.format, style, w)
    })?;
    Ok(if failed {
        Status::Failed
    } else {
        Status::Passed
    })
}

/// Folds every item into per-thread accumulators made by `init`, on up to one thread per
/// core; returns the accumulators (in no particular order).
fn parallel_fold<T: Sync, A: Send>(
    items: &[T],
    init: impl Fn() -> A + Sync,
    f: impl Fn(&mut A, &T) + Sync,
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

/// Warns about cases not scored, from the count of excluded outcomes per reason.
fn note_excluded(s: &standards::Standard, reasons: &BTreeMap<&str, u64>) {
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
    check_output(&b.output)?;
    if b.output.format == Format::Junit {
        return Err(Error::usage("--format junit is for `yardstick audit`; breaches support table, csv, tsv, json, markdown"));
    }
    let l = load(&b.inputs, &b.selection, &[])?;
    let mut list = Vec::new();
    for &i in &l.selected {
        let s = &l.catalog.standards[i];
        let d = &l.data[&s.source];
        let outcomes = evaluate::evaluate(s, d, l.period, l.as_of);
        list.extend(report::breaches(&l.catalog, s, d, &outcomes));
    }
    let report = BreachReport {
        schema_version: report::SCHEMA_VERSION,
        period: l.info,
        breaches: list,
        inputs: l.data.into_values().flat_map(|d| d.inputs).collect(),
    };
    let style = style(&b.output);
    emit(&b.output, |w| {
        render::breaches(&report, b.output.format, style, w)
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
    };
    let l = load(&e.inputs, &sel, &[])?;
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
    let outcomes: Vec<evaluate::Outcome> = evaluate::evaluate(s, d, Period::default(), l.as_of)
        .into_iter()
        .filter(|o| o.case == case)
        .collect();
    let c = &d.cases[case];
    let filtered_out = s
        .filter
        .iter()
        .find(|(col, values)| {
            d.attr_index(col)
                .is_some_and(|i| !values.iter().any(|v| v == d.attr_value(c, i)))
        })
        .map(|(col, values)| format!("its `where` wants {col} in [{}]", values.join(", ")));
    let text = crate::explain::trace(&l.catalog, s, d, case, &outcomes, l.as_of, filtered_out);
    let stdout = io::stdout();
    let mut w = stdout.lock();
    w.write_all(text.as_bytes())
        .and_then(|()| w.flush())
        .map_err(|e| Error::io("<stdout>", e))?;
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
        let Some(paths) = bound.get(&src.name) else {
            continue;
        };
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
    let stdout = io::stdout();
    let mut w = stdout.lock();
    w.write_all(summary.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(Status::Passed)
}
