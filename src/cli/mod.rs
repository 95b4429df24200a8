//! The command line: arguments -> a validated request -> the app -> its report on stdout (or
//! the files asked for) and its diagnostics on stderr. Owns flag meanings, where output goes
//! and how it looks; the binary only maps the outcome to an exit status. Computes nothing of
//! an audit itself.

mod args;
pub mod output;

pub use args::*;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use crate::app::{self, Diagnostic, Diagnostics, Request};
use crate::error::{Error, Result};
use crate::render::{self, Format, Style};
use crate::report::{Dim, Report};
use output::Target;

/// How a run ended when it could be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Every standard that counts met its target (exit 0).
    Passed,
    /// A standard at or above --fail-on fell short (exit 1).
    Failed,
}

pub fn run(cli: Cli) -> Result<Status> {
    let mut diags = Diagnostics::default();
    let result = match cli.command {
        Command::Audit(a) => audit(a, &mut diags),
        Command::Breaches(b) => breaches(b, &mut diags),
        Command::Check(c) => check(c, &mut diags),
        Command::Explain(e) => explain(e, &mut diags),
        Command::Trend(t) => trend(t, &mut diags),
        Command::Init(i) => init(i),
        Command::Presets(p) => presets(p),
        Command::Completions(c) => completions(c.shell),
        Command::Man => man(),
        Command::Sql(q) => sql(q),
    };
    // What was said before a failure stays said.
    print_diagnostics(&mut diags);
    result
}

/// Diagnostics on stderr, escaped at this edge (see `render::escape`): no value in them can
/// drive the terminal or start a line of the CI log.
fn print_diagnostics(diags: &mut Diagnostics) {
    for d in diags.take() {
        match d {
            Diagnostic::Warning(m) => say(&format!("warning: {}", render::escape::terminal(&m))),
            Diagnostic::Detail(m) => say(&render::escape::terminal(&m)),
        }
    }
}

/// A line on stderr. A reader of stderr that went away (`2>&1 | head`) is no reason to stop
/// or to change the exit status: the line is dropped (`eprintln!` would panic).
pub fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}

/// `--log NAME=PATH` and its shorthands as `(name, path)` pairs.
fn log_pairs(inputs: &Inputs) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
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
        out.push((name.to_string(), path.to_string()));
    }
    out.extend(
        inputs
            .tickets
            .iter()
            .map(|p| ("tickets".to_string(), p.clone())),
    );
    out.extend(
        inputs
            .orders
            .iter()
            .map(|p| ("orders".to_string(), p.clone())),
    );
    Ok(out)
}

/// The request of a command that reads logs.
fn request(inputs: &Inputs, sel: &Selection, only_flag: &'static str) -> Result<Request> {
    Ok(Request {
        standards: inputs.standards.clone(),
        logs: log_pairs(inputs)?,
        since: sel.period.since.clone(),
        until: sel.period.until.clone(),
        week: sel.period.week.clone(),
        as_of: sel.as_of.clone(),
        only: sel.only.clone(),
        only_flag,
        strict: sel.strict,
        allow_bad_rows: sel.allow_bad_rows,
        group_columns: Vec::new(),
        all_attributes: false,
        timezone: sel.timezone.clone(),
    })
}

/// Loads a request, refusing any output that is one of the files it reads.
fn load(
    req: &Request,
    outputs: &[(&str, &Target)],
    diags: &mut Diagnostics,
) -> Result<app::Loaded> {
    let loaded = app::load(req, |reads| output::check(outputs, reads), diags);
    print_diagnostics(diags);
    loaded
}

fn style(out: &Output) -> Style {
    let to_terminal = out.target().is_stdout() && io::stdout().is_terminal();
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let no_color = set("NO_COLOR");
    // CLICOLOR_FORCE (bixense.com/clicolors): colour also through a pipe (a pager, `watch`,
    // CI logs that show colour); "0" does not force. NO_COLOR still wins, being the stronger
    // wish, and --color always|never beats both.
    let force =
        set("CLICOLOR_FORCE") && std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| v != "0");
    let color = match out.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => (to_terminal || force) && !no_color,
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

fn audit(a: AuditArgs, diags: &mut Diagnostics) -> Result<Status> {
    let target = a.output.target();
    let exports = a.exports.targets();
    // With `--format github` the Markdown report is appended to the job's step summary.
    let summary = (a.output.format == Format::Github)
        .then(|| std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()))
        .flatten()
        .map(|p| Target::File(PathBuf::from(p)));
    let mut outputs: Vec<(&str, &Target)> = vec![("-o", &target)];
    outputs.extend(exports.iter().map(|(flag, _, t)| (*flag, t)));
    outputs.extend(summary.iter().map(|t| ("GITHUB_STEP_SUMMARY", t)));
    if a.output.format.binary() && target.is_stdout() && io::stdout().is_terminal() {
        return Err(Error::usage(format!(
            "--format {} is a binary file: give -o FILE (or --export-{} FILE), or redirect standard output",
            a.output.format.name(),
            a.output.format.name()
        )));
    }
    let formats = || std::iter::once(a.output.format).chain(exports.iter().map(|(_, f, _)| *f));
    let workbook = formats().any(Format::binary);
    let dims = match &a.by {
        Some(text) => Dim::parse_list(text).map_err(Error::usage)?,
        None => Vec::new(),
    };
    let mut req = request(&a.inputs, &a.selection, "--only")?;
    req.group_columns = dims
        .iter()
        .filter_map(|d| match d {
            Dim::Attr(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    req.all_attributes = workbook;
    let l = match load(&req, &outputs, diags) {
        Ok(l) => l,
        Err(e) => {
            // In CI the reason the audit could not be done belongs on the file and line too,
            // not only in the log's stderr.
            if a.output.format == Format::Github {
                let mut text = Vec::new();
                render::github::annotation("error", &e.place(), &mut text)
                    .map_err(|io| Error::io("-", io))?;
                output::print(&text)?;
            }
            return Err(e);
        }
    };
    let opts = app::AuditOptions {
        dims,
        weekly: formats().any(|f| f == Format::Html),
        breaches: workbook,
        empty_fails: a.on_empty == OnEmpty::Fail,
        warn_empty: a.on_empty == OnEmpty::Warn,
    };
    let report = app::audit(l, &opts, diags);
    print_diagnostics(diags);
    let failed = report
        .standards
        .iter()
        .any(|r| app::falls_short(r, opts.empty_fails) && a.fail_on.counts(r.level));
    let style = style(&a.output);
    emit(&a.output, |w| {
        render::audit(&report, a.output.format, style, w)
    })?;
    if a.output.format == Format::Github {
        if let Some(Target::File(path)) = &summary {
            step_summary(path, &report, style)?;
        }
    }
    // Files are for reading later: no colour, an 80-column table where there is one.
    let file_style = Style {
        color: false,
        width: 80,
        ..style
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

/// With `--format github` in a GitHub Actions job, the Markdown report goes to the job's
/// summary too: appended to the file that `GITHUB_STEP_SUMMARY` names.
fn step_summary(path: &std::path::Path, report: &Report, style: Style) -> Result<()> {
    let shown = format!("GITHUB_STEP_SUMMARY {}", path.display());
    let mut text = b"## yardstick audit\n\n".to_vec();
    render::audit(report, Format::Markdown, style, &mut text).map_err(|e| Error::io(&shown, e))?;
    text.push(b'\n');
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(&text))
        .map_err(|e| Error::io(shown, e))
}

fn breaches(b: BreachArgs, diags: &mut Diagnostics) -> Result<Status> {
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
    let mut req = request(&b.inputs, &b.selection, "--only")?;
    req.group_columns = by.clone();
    req.all_attributes = true;
    let l = load(&req, &[("-o", &b.output.target())], diags)?;
    let style = style(&b.output);
    // A misspelt --columns would show nothing without a word: every name must be an
    // attribute of a selected standard's source.
    for c in &b.columns {
        let known = l.selected.iter().any(|&i| {
            let s = &l.catalog.standards[i];
            l.data
                .get(&s.source)
                .is_some_and(|d| d.attr_columns.contains(c))
        });
        if !known {
            let columns = l
                .data
                .values()
                .flat_map(|d| d.attr_columns.iter().map(String::as_str));
            let near = crate::error::closest(c, columns)
                .map(|n| format!(" (did you mean {n:?}?)"))
                .unwrap_or_default();
            return Err(Error::usage(format!(
                "--columns {c:?}: no selected standard's log has this attribute column{near}"
            )));
        }
    }
    match app::breaches(l, b.top, b.by.is_some().then_some(by), &b.columns) {
        app::Breaches::Counts(counts) => emit(&b.output, |w| {
            render::breach_counts(&counts, b.output.format, style, w)
        })?,
        app::Breaches::List(list) => emit(&b.output, |w| {
            render::breaches(&list, b.output.format, style, w)
        })?,
    }
    Ok(Status::Passed)
}

fn trend(t: TrendArgs, diags: &mut Diagnostics) -> Result<Status> {
    // The HTML page has a trend form; the other audit-only formats do not.
    if t.output.format.audit_only() && t.output.format != render::Format::Html {
        return Err(Error::usage(format!(
            "--format {} is for `yardstick audit`; trend supports table, csv, tsv, json, markdown, ndjson, html",
            t.output.format.name()
        )));
    }
    let req = Request {
        standards: t.inputs.standards.clone(),
        logs: log_pairs(&t.inputs)?,
        as_of: t.as_of.clone(),
        only: t.only.clone(),
        only_flag: "--only",
        strict: t.strict,
        timezone: t.timezone.clone(),
        ..Request::default()
    };
    let l = load(&req, &[("-o", &t.output.target())], diags)?;
    app::check_trend(&l)?;
    let report = app::trend(l, t.every, t.periods, diags);
    print_diagnostics(diags);
    let style = style(&t.output);
    emit(&t.output, |w| {
        render::trend(&report, t.output.format, style, w)
    })?;
    Ok(Status::Passed)
}

fn explain(e: ExplainArgs, diags: &mut Diagnostics) -> Result<Status> {
    let req = Request {
        standards: e.inputs.standards.clone(),
        logs: log_pairs(&e.inputs)?,
        as_of: e.as_of.clone(),
        since: e.since.clone(),
        until: e.until.clone(),
        only: vec![e.standard.clone()],
        only_flag: "--standard",
        strict: e.strict,
        allow_bad_rows: true,
        all_attributes: true,
        ..Request::default()
    };
    let l = load(&req, &[], diags)?;
    let text = app::explain(&l, &e.case)?;
    output::print(text.as_bytes())?;
    Ok(Status::Passed)
}

fn check(c: CheckArgs, diags: &mut Diagnostics) -> Result<Status> {
    // A malformed --log is an error of the check too: json and github report it as one.
    let result = log_pairs(&c.inputs)
        .map_err(|e| vec![e])
        .and_then(|logs| app::check_all(&c.inputs.standards, &logs, diags));
    if c.format == CheckFormat::Text {
        print_diagnostics(diags);
        output::print(last_error(result)?.text().as_bytes())?;
        return Ok(Status::Passed);
    }
    // The warnings go into the document (and stay on stderr, as for the text).
    let items = diags.take();
    let mut warnings: Vec<CheckWarning> = Vec::new();
    for d in &items {
        match d {
            Diagnostic::Warning(m) => warnings.push(CheckWarning {
                message: m.clone(),
                details: Vec::new(),
            }),
            Diagnostic::Detail(m) => {
                if let Some(w) = warnings.last_mut() {
                    w.details.push(m.clone());
                }
            }
        }
    }
    diags.items = items;
    print_diagnostics(diags);
    let errors: Vec<crate::error::Place> = result
        .as_ref()
        .err()
        .into_iter()
        .flatten()
        .map(Error::place)
        .collect();
    let mut text = Vec::new();
    let written = match c.format {
        CheckFormat::Json => {
            let (standards, logs) = match &result {
                Ok(checked) => (checked.standards.clone(), checked.logs.clone()),
                Err(_) => (Vec::new(), Vec::new()),
            };
            let doc = CheckDocument {
                schema_version: crate::report::SCHEMA_VERSION,
                ok: result.is_ok(),
                standards,
                logs,
                warnings,
                errors,
            };
            serde_json::to_writer_pretty(&mut text, &doc)
                .map_err(io::Error::other)
                .and_then(|()| writeln!(text))
        }
        CheckFormat::Github | CheckFormat::Text => (|| {
            for w in &warnings {
                let mut message = w.message.clone();
                for d in &w.details {
                    message.push('\n');
                    message.push_str(d);
                }
                let place = crate::error::Place {
                    file: Some(c.inputs.standards.display().to_string()),
                    line: None,
                    column: None,
                    message,
                };
                render::github::annotation("warning", &place, &mut text)?;
            }
            for e in &errors {
                render::github::annotation("error", e, &mut text)?;
            }
            if let Ok(checked) = &result {
                text.extend_from_slice(checked.text().as_bytes());
            }
            Ok(())
        })(),
    };
    written.map_err(|e| Error::io("-", e))?;
    output::print(&text)?;
    last_error(result).map(|_| Status::Passed)
}

/// Every error of a check printed but the last, which is returned for the binary to print
/// and exit 2 with, as for any error.
fn last_error<T>(result: std::result::Result<T, Vec<Error>>) -> Result<T> {
    result.map_err(|mut errors| {
        let last = errors.pop().expect("an error");
        for e in &errors {
            report_error(e);
        }
        last
    })
}

/// An error as the binary prints it: `error: ` and its message, then its notes (the line of
/// the standards file with a caret, a "did you mean"); escaped here, at the edge, since
/// messages quote the logs and the standards.
pub fn report_error(e: &Error) {
    say(&format!(
        "error: {}",
        render::escape::terminal(&e.to_string())
    ));
    for note in e.notes() {
        say(&render::escape::terminal(&note));
    }
}

/// `check --format json`.
#[derive(serde::Serialize)]
struct CheckDocument {
    schema_version: u32,
    /// The standards loaded and every log checked has the columns its source needs.
    ok: bool,
    standards: Vec<app::CheckedStandard>,
    logs: Vec<app::CheckedLog>,
    warnings: Vec<CheckWarning>,
    errors: Vec<crate::error::Place>,
}

#[derive(serde::Serialize)]
struct CheckWarning {
    message: String,
    details: Vec<String>,
}

/// `sql`: the standards compiled into one query, on standard output. Its request is the
/// audit's (period, as-of, selection, `--by`), read by the same rules; no log is read.
fn sql(q: SqlArgs) -> Result<Status> {
    let dims = match &q.by {
        Some(text) => Dim::parse_list(text).map_err(Error::usage)?,
        None => Vec::new(),
    };
    let mut tables = Vec::new();
    for spec in &q.tables {
        match spec.split_once('=') {
            Some((source, table)) if !source.is_empty() && !table.is_empty() => {
                tables.push((source.to_string(), table.to_string()));
            }
            _ => {
                return Err(Error::usage(format!(
                    "--table {spec:?}: expected SOURCE=TABLE, for example --table tickets=raw.zendesk_events"
                )))
            }
        }
    }
    let req = Request {
        standards: q.standards.clone(),
        since: q.period.since.clone(),
        until: q.period.until.clone(),
        week: q.period.week.clone(),
        as_of: q.as_of.clone(),
        only: q.only.clone(),
        only_flag: "--only",
        ..Request::default()
    };
    let plan = app::plan(&req)?;
    for (source, _) in &tables {
        if !plan.catalog.sources.iter().any(|s| &s.name == source) {
            let names: Vec<&str> = plan
                .catalog
                .sources
                .iter()
                .map(|s| s.name.as_str())
                .collect();
            return Err(Error::usage(format!(
                "--table {source}=...: the standards define no source {source:?}; their sources are {}",
                names.join(", ")
            )));
        }
    }
    let text = crate::sql::compile(&crate::sql::Request {
        catalog: &plan.catalog,
        selected: &plan.selected,
        period: plan.period,
        as_of: plan.as_of_given,
        dims: &dims,
        tables: &tables,
        row_order: q.row_order.clone(),
        dialect: q.dialect,
    })?;
    output::print(text.as_bytes())?;
    Ok(Status::Passed)
}

/// A completion script for `shell`, generated from the same clap definition as the parser,
/// so it can never offer a flag the parser refuses.
fn completions(shell: clap_complete::Shell) -> Result<Status> {
    use clap::CommandFactory;
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "yardstick", &mut text);
    output::print(&text)?;
    Ok(Status::Passed)
}

/// The manual page, from the clap definition (the same help text as `--help`).
fn man() -> Result<Status> {
    use clap::CommandFactory;
    let mut text = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut text)
        .map_err(|e| Error::io("-", e))?;
    output::print(&text)?;
    Ok(Status::Passed)
}

/// `init`: the draft on standard output or in `-o FILE`, never over an existing file without
/// `--force` (it may hold the user's edits) and never over the export.
fn init(a: InitArgs) -> Result<Status> {
    if a.export.as_os_str() == "-" {
        return Err(Error::usage(
            "init reads a file, not standard input: the draft's `path` names the export",
        ));
    }
    let target = Target::of(a.output.as_deref());
    let draft_dir = match &target {
        Target::Stdout => PathBuf::from("."),
        Target::File(p) => match p.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(d) => d.to_path_buf(),
            None => PathBuf::from("."),
        },
    };
    if let Target::File(p) = &target {
        if p.exists() && !a.force {
            return Err(Error::usage(format!(
                "{} exists; a draft may hold your edits, so it is not replaced without --force",
                p.display()
            )));
        }
    }
    output::check(&[("-o", &target)], std::slice::from_ref(&a.export))?;
    let text = crate::init::draft(&crate::init::Request {
        export: &a.export,
        draft_dir: &draft_dir,
        name: a.name.as_deref(),
    })?;
    output::write(&target, |w| w.write_all(text.as_bytes()))?;
    if let Target::File(p) = &target {
        let shown = render::escape::terminal(&p.display().to_string()).into_owned();
        say(&format!(
            "wrote {shown}: check its guesses, then run `yardstick check -s {shown}`"
        ));
    }
    Ok(Status::Passed)
}

/// `presets`: the list, or one preset's columns and lines.
fn presets(a: PresetsArgs) -> Result<Status> {
    use crate::standards::presets::{find, PRESETS};
    let text = match a.name.as_deref() {
        None => {
            let mut t = String::new();
            for p in PRESETS {
                t.push_str(&format!("{:<22} {}\n", p.name, p.export));
            }
            t.push_str("\n`yardstick presets NAME` shows the columns a preset expects and the lines it stands for.\n");
            t
        }
        Some(name) => {
            let p = find(name).ok_or_else(|| {
                Error::usage(format!(
                    "no preset {name:?}; the presets are {}",
                    PRESETS
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let mut t = format!(
                "{}: {}\n\n{}\n\nColumns it reads:\n",
                p.name, p.export, p.notes
            );
            for c in p.columns() {
                t.push_str(&format!("  {c}\n"));
            }
            t.push_str(&format!(
                "\n[sources.NAME]\npreset = {:?}\n\nstands for:\n\n",
                p.name
            ));
            t.push_str(
                &p.text()
                    .replace("[milestones]", "[sources.NAME.milestones]")
                    .replace("[events]", "[sources.NAME.events]"),
            );
            t
        }
    };
    output::print(text.as_bytes())?;
    Ok(Status::Passed)
}
