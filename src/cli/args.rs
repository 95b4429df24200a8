//! The command line's arguments (clap): every flag, its meaning and its help text. Parsing
//! only; what a flag does is decided in `cli` and `app`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::output::Target;
use crate::render::Format;
use crate::report::Every;
use crate::standards::Level;

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
    /// Validate a standards file (and, with --log, that the logs have the columns it needs, and
    /// each standard's compliance over the log and per week: SMART measured).
    Check(CheckArgs),
    /// Show one case's working: events, clock, open windows, pauses, limit, deadline, verdict.
    Explain(ExplainArgs),
    /// Compliance per standard over the last N weeks or months, the change against the period
    /// before, and the error budget.
    Trend(TrendArgs),
    /// Draft a commented standards file from an export: its delimiter, layout, columns and
    /// time format, guessed from a sample, and starter standards to edit.
    Init(InitArgs),
    /// List the helpdesk presets (`preset = "NAME"` in a source table), or show the columns
    /// one expects and the standards-file lines it stands for.
    Presets(PresetsArgs),
    /// Print a shell completion script to standard output (for example
    /// `yardstick completions bash > ~/.local/share/bash-completion/completions/yardstick`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output (`yardstick man > yardstick.1`).
    Man,
    /// Compile the standards into one SQL query that audits warehouse tables (the rows and
    /// columns of `audit --format csv`), printed on standard output.
    Sql(SqlArgs),
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// Standards file (TOML) or a folder of them.
    #[arg(short = 's', long = "standards", value_name = "STANDARDS")]
    pub standards: PathBuf,
    /// The SQL dialect to write.
    #[arg(long, value_enum)]
    pub dialect: crate::sql::Dialect,
    /// The table (or view) holding a source's export, every column text; repeat for several
    /// sources [default: the source's name].
    #[arg(long = "table", value_name = "SOURCE=TABLE")]
    pub tables: Vec<String>,
    /// A column of the tables that orders a case's rows at the same instant (a load sequence or
    /// line number), for attributes and deadlines: the latest non-empty value wins.
    #[arg(long, value_name = "COLUMN")]
    pub row_order: Option<String>,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Judge still-open cases at this instant [default: the end of the period, else each table's latest time].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Only these standards (comma-separated ids).
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Group results by attribute columns and/or day, week, month (comma-separated).
    #[arg(long, value_name = "DIMS")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// The preset to show.
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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

/// The audited period, as `audit`, `breaches`, `check` and `sql` take it (`explain` and
/// `trend` word theirs otherwise).
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// Cases whose clock starts at or after this date or time (report time zone).
    #[arg(long, value_name = "DATE_OR_TIME", conflicts_with = "week")]
    pub since: Option<String>,
    /// Cases whose clock starts before this date or time (half-open period).
    #[arg(long, value_name = "DATE_OR_TIME", conflicts_with = "week")]
    pub until: Option<String>,
    /// An ISO week, such as 2026-W47 (Monday 00:00 to the next Monday 00:00).
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
}

#[derive(Debug, Args)]
pub struct Selection {
    #[command(flatten)]
    pub period: PeriodArgs,
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
    /// Cut every standard's periods, weeks and days (and read the bare dates of --since,
    /// --until, --week and --as-of) in this IANA zone [default: each standards file's
    /// `timezone`].
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
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
    pub fn targets(&self) -> Vec<(&'static str, Format, Target)> {
        self.list()
            .into_iter()
            .map(|(flag, format, path)| (flag, format, Target::of(Some(path))))
            .collect()
    }

    /// (flag, format, path) of each export asked for.
    pub fn list(&self) -> Vec<(&'static str, Format, &PathBuf)> {
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
    /// Attribute columns the table shows under each breach, after those the standard's
    /// `where` names (comma-separated). The other formats carry every attribute.
    #[arg(
        long,
        value_name = "COLUMNS",
        value_delimiter = ',',
        conflicts_with = "by"
    )]
    pub columns: Vec<String>,
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
    /// Cut every standard's periods, weeks and days (and read the bare dates of --since,
    /// --until, --week and --as-of) in this IANA zone [default: each standards file's
    /// `timezone`].
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output format: text, json ({schema_version, ok, standards, logs, warnings, errors}),
    /// or github (an ::error or ::warning annotation for each finding).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Github,
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
    /// A repeat standard's audited period starts here (as `audit --since`); it decides who
    /// its customers are. Other standards judge one case whatever its period.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// A repeat standard's audited period ends here, exclusive (as `audit --until`; it is
    /// then also the default as-of).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Stop at the first row that cannot be used, instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The export (CSV) to draft a standards file for.
    #[arg(value_name = "EXPORT")]
    pub export: PathBuf,
    /// Write the draft to FILE instead of standard output (its `path` is then relative to
    /// FILE's folder).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The source's name [default: the export's file name].
    #[arg(long, value_name = "SOURCE")]
    pub name: Option<String>,
    /// Replace FILE when it exists (a draft may hold your edits, so it is kept by default).
    #[arg(long)]
    pub force: bool,
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
    pub fn counts(self, level: Level) -> bool {
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
