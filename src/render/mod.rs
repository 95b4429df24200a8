//! Renderers: one per output format, each writing a report model to any `io::Write`.
//! They know nothing of how the report was computed, and never print diagnostics.

mod delimited;
pub mod escape;
pub mod github;
mod html;
mod junit;
mod markdown;
mod ndjson;
mod table;
#[cfg(test)]
mod tests;
#[cfg(feature = "xlsx")]
mod xlsx;

/// The columns of `audit --format csv` (the contract `yardstick sql` gives too).
pub use delimited::{AUDIT_COLUMNS, VALUE_COLUMNS, VERSION_COLUMNS};

use std::collections::HashMap;
use std::io::{self, Write};

use crate::report::{Breach, BreachCounts, BreachReport, Report, Row, StandardKind, TrendReport};
use crate::time::duration::human;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people (default).
    Table,
    /// Comma-separated values, one row per standard (x group).
    Csv,
    /// Tab-separated values, same columns as csv.
    Tsv,
    /// One JSON object (schema_version, passed, standards, inputs).
    Json,
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// JUnit XML: one test case per standard (x group).
    Junit,
    /// JSON lines: one object per line with a `type` (report, standard, input; breach, breach_count).
    Ndjson,
    /// GitHub Actions workflow commands: an annotation per failing standard.
    Github,
    /// One self-contained HTML page with the summary table and SVG charts.
    Html,
    /// An Excel workbook: summary, breaches and definitions sheets (not to a terminal).
    #[cfg(feature = "xlsx")]
    Xlsx,
}

impl Format {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Markdown => "markdown",
            Format::Junit => "junit",
            Format::Ndjson => "ndjson",
            Format::Github => "github",
            Format::Html => "html",
            #[cfg(feature = "xlsx")]
            Format::Xlsx => "xlsx",
        }
    }

    /// Binary formats, which a terminal cannot show.
    pub fn binary(self) -> bool {
        #[cfg(feature = "xlsx")]
        if self == Format::Xlsx {
            return true;
        }
        false
    }

    /// Formats that only `audit` has: a test report, CI annotations, a page, a workbook.
    pub fn audit_only(self) -> bool {
        match self {
            Format::Junit | Format::Github | Format::Html => true,
            #[cfg(feature = "xlsx")]
            Format::Xlsx => true,
            _ => false,
        }
    }
}

/// The error for an audit-only format asked of a breach listing; the command line rejects
/// these before reading, so this is a guard.
/// The union of some breaches' attribute columns, in order of first appearance, with a map
/// from a name to its place: a scan of the columns per column and per row made a breach list
/// of a log with 100,000 columns quadratic.
struct BreachAttrs<'a> {
    names: Vec<&'a str>,
    at: HashMap<&'a str, usize>,
}

impl<'a> BreachAttrs<'a> {
    fn of(list: &'a [Breach]) -> Self {
        let mut names = Vec::new();
        let mut at = HashMap::new();
        for b in list {
            for (k, _) in &b.attributes.0 {
                at.entry(k.as_str()).or_insert_with(|| {
                    names.push(k.as_str());
                    names.len() - 1
                });
            }
        }
        BreachAttrs { names, at }
    }

    /// One breach's values in `names` order into `out`: empty for a column it lacks, the first
    /// value of a name it has twice.
    fn values(&self, b: &'a Breach, out: &mut Vec<&'a str>) {
        out.clear();
        out.resize(self.names.len(), "");
        // Backwards, so that the first of a repeated name is the one written last.
        for (k, v) in b.attributes.0.iter().rev() {
            out[self.at[k.as_str()]] = v;
        }
    }
}

fn audit_only(format: Format) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{} output is for `audit`", format.name()),
    )
}

/// Presentation choices that do not change the data.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Table width in columns.
    pub width: u16,
    /// CSV/TSV: a text cell that a spreadsheet would run as a formula gets a leading `'`.
    pub formula_safe: bool,
}

pub fn audit(report: &Report, format: Format, style: Style, w: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::audit(report, style, w),
        Format::Csv => delimited::audit(report, b',', style.formula_safe, w),
        Format::Tsv => delimited::audit(report, b'\t', style.formula_safe, w),
        Format::Json => json(report, w),
        Format::Markdown => markdown::audit(report, w),
        Format::Junit => junit::audit(report, w),
        Format::Ndjson => ndjson::audit(report, w),
        Format::Github => github::audit(report, w),
        Format::Html => html::audit(report, w),
        #[cfg(feature = "xlsx")]
        Format::Xlsx => xlsx::audit(report, w),
    }
}

/// Breach listings; the audit-only formats have no place for them.
pub fn breaches(
    report: &BreachReport,
    format: Format,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::breaches(report, style, w),
        Format::Csv => delimited::breaches(report, b',', style.formula_safe, w),
        Format::Tsv => delimited::breaches(report, b'\t', style.formula_safe, w),
        Format::Json => json(report, w),
        Format::Markdown => markdown::breaches(report, w),
        Format::Ndjson => ndjson::breaches(report, w),
        f => Err(audit_only(f)),
    }
}

/// `breaches --by`: breach counts per attribute value per standard.
pub fn breach_counts(
    report: &BreachCounts,
    format: Format,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::counts(report, style, w),
        Format::Csv => delimited::counts(report, b',', style.formula_safe, w),
        Format::Tsv => delimited::counts(report, b'\t', style.formula_safe, w),
        Format::Json => json(report, w),
        Format::Markdown => markdown::counts(report, w),
        Format::Ndjson => ndjson::counts(report, w),
        f => Err(audit_only(f)),
    }
}

/// `trend`: compliance per standard per period, change and error budget.
pub fn trend(
    report: &TrendReport,
    format: Format,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Table => table::trend(report, style, w),
        Format::Csv => delimited::trend(report, b',', style.formula_safe, w),
        Format::Tsv => delimited::trend(report, b'\t', style.formula_safe, w),
        Format::Json => json(report, w),
        Format::Markdown => markdown::trend(report, w),
        Format::Ndjson => ndjson::trend(report, w),
        Format::Html => html::trend(report, w),
        f => Err(audit_only(f)),
    }
}

/// The change against the previous period with an arrow: "▲ +2.1", "▼ -3.0", "= 0.0".
fn change(row: &crate::report::TrendRow) -> String {
    match (row.change, row.direction) {
        (Some(c), Some("up")) => format!("▲ {c:+.1}"),
        (Some(c), Some("down")) => format!("▼ {c:+.1}"),
        (Some(_), _) => "= 0.0".to_string(),
        _ => String::new(),
    }
}

/// The error budget for people: "5 of 3 (167%)", "0 of 0".
fn budget(row: &crate::report::TrendRow) -> String {
    match row.budget_used {
        Some(u) => format!(
            "{} of {} ({})",
            row.breached,
            row.budget_allowed,
            percent(u)
        ),
        None => format!("{} of {} (over)", row.breached, row.budget_allowed),
    }
}

/// A share of a whole, for people: "42.9%".
fn share(v: f64) -> String {
    percent(v)
}

fn json<T: serde::Serialize>(value: &T, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    writeln!(w)
}

// Shared wording for the human formats (table and Markdown).

fn percent(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string) + "%"
}

/// A target as people read it: "95%", or a range "30-50%".
fn target_text(target: f64, target_max: Option<f64>) -> String {
    match target_max {
        None => percent(target),
        Some(hi) => format!("{}-{}", percent(target).trim_end_matches('%'), percent(hi)),
    }
}

fn target(row: &Row) -> String {
    target_text(row.target, row.target_max)
}

/// Whether a row fails by being above its target range (its variance is then positive).
fn above_range(row: &Row) -> bool {
    row.target_max.is_some() && row.compliance_variance.is_some_and(|v| v > 0.0)
}

/// How a failing row misses its target: a compliance above a range is not a shortfall, and
/// saying "falls short" of it would send a reader looking for breaches that are not there.
fn miss_words(row: &Row) -> String {
    if above_range(row) {
        format!("is above the range {}", target(row))
    } else {
        format!("falls short of {}", target(row))
    }
}

fn compliance(row: &Row) -> String {
    row.compliance
        .map_or_else(|| "no data".to_string(), percent)
}

fn variance(row: &Row) -> String {
    match row.compliance_variance {
        Some(v) => format!("{v:+.1} pts"),
        None => String::new(),
    }
}

fn status(row: &Row) -> &'static str {
    match row.passed {
        Some(true) => "PASS",
        Some(false) => "FAIL",
        None => "NO DATA",
    }
}

/// A time statistic as a person reads it; deadline standards measure lateness.
fn stat(row: &Row, v: Option<i64>) -> String {
    // Neither counts nor repeat rates measure a time.
    if matches!(row.kind, StandardKind::Count | StandardKind::Repeat) {
        return String::new();
    }
    match v {
        None => "-".to_string(),
        Some(v) if row.lateness => match v {
            0 => "on time".to_string(),
            v if v < 0 => format!("{} early", human(-v)),
            v => format!("{} late", human(v)),
        },
        Some(v) => human(v),
    }
}

/// Like [`stat`], with lateness as a signed duration to save width.
fn signed_stat(row: &Row, v: Option<i64>) -> String {
    match v {
        Some(v) if row.lateness && v > 0 => format!("+{}", human(v)),
        Some(v) if row.lateness => human(v),
        _ => stat(row, v),
    }
}

/// A value standard's number as people read it (rounded to nine decimals, so that a mean of
/// floats never shows 1.0999999999999996).
fn number(v: Option<f64>) -> String {
    match v {
        None => "-".to_string(),
        Some(v) => compact_number(v),
    }
}

/// A value standard's number as people read it: rounded to nine decimals (4.1 - 3 is 1.1),
/// zero without a sign (a cell `-0` is 0), and beyond 1e15 or below 1e-6 the shortest
/// exponent form that reads back the same (`-1e308`, not 309 digits).
pub(crate) fn compact_number(v: f64) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let r = (v * 1e9).round() / 1e9;
    let r = if r.is_finite() && (r - v).abs() < 1e-9 {
        r
    } else {
        v
    };
    if r.abs() >= 1e15 || r.abs() < 1e-6 {
        format!("{v:e}")
    } else if r == 0.0 {
        "0".to_string()
    } else {
        r.to_string()
    }
}

/// A value standard's bounds: "<= 3", ">= 4.5", "4 to 5".
fn bounds(row: &Row) -> String {
    crate::standards::value_bounds(row.value_at_least, row.value_at_most)
}

/// The p90 as people read it: a time, lateness, or a value standard's number.
fn p90(row: &Row) -> String {
    if row.kind == StandardKind::Value {
        return number(row.p90_value);
    }
    stat(row, row.p90_s)
}

fn median(row: &Row) -> String {
    if row.kind == StandardKind::Value {
        return match row.median_value {
            None => "-".to_string(),
            m => format!("{} ({})", number(m), bounds(row)),
        };
    }
    if row.kind == StandardKind::Count {
        return match (row.count_median, row.at_least, row.at_most) {
            (None, _, _) => "-".to_string(),
            (Some(m), Some(a), _) => format!("{m} (>={a})"),
            (Some(m), None, Some(b)) => format!("{m} (<={b})"),
            (Some(m), None, None) => m.to_string(),
        };
    }
    stat(row, row.median_s)
}

fn level_short(row: &Row) -> &'static str {
    match row.level {
        crate::standards::Level::Nonnegotiable => "nonneg",
        crate::standards::Level::Operational => "oper",
        crate::standards::Level::Experiential => "exper",
    }
}

/// The names of a report's group columns (`--by`), from its first group row that is not a
/// totals row; none without `--by`.
fn group_columns(report: &Report) -> Vec<String> {
    report
        .standards
        .iter()
        .find_map(|r| r.group.as_ref().filter(|g| !g.is_total()))
        .map(|g| g.0.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default()
}

/// The group as people read it; "(all)" for a standard's totals row.
fn group_text(row: &Row) -> String {
    row.group
        .as_ref()
        .map(|g| {
            if g.is_total() {
                return "(all)".to_string();
            }
            g.0.iter()
                .map(|(_, v)| if v.is_empty() { "(empty)" } else { v.as_str() })
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .unwrap_or_default()
}

/// One duration against a limit: "6m09s against 10m (3m51s under)", or for a deadline
/// standard, whose value is lateness, "12h11m early".
fn against(row: &Row, what: &str, v: i64) -> String {
    if row.lateness {
        return match v {
            0 => format!("{what} on time"),
            v if v < 0 => format!("{what} {} early", human(-v)),
            v => format!("{what} {} late", human(v)),
        };
    }
    match row.limit_s {
        Some(l) => {
            let d = v - l;
            let side = match d {
                0 => "at the limit".to_string(),
                d if d < 0 => format!("{} under", human(-d)),
                d => format!("{} over", human(d)),
            };
            format!("{what} {} against {} ({side})", human(v), human(l))
        }
        None => format!("{what} {}", human(v)),
    }
}

/// The variance as a manager reads it: "compliance 93.2% against 95% (-1.8 pts); median 6m12s
/// against 10m (3m48s under); p90 12m01s against 10m (2m01s over)".
pub fn variance_words(row: &Row) -> String {
    let mut parts = vec![match (row.compliance, row.compliance_variance) {
        (Some(c), Some(v)) if row.target_max.is_some() && v != 0.0 => format!(
            "compliance {} against {} ({v:+.1} pts, {} the range)",
            percent(c),
            target(row),
            if v > 0.0 { "above" } else { "below" }
        ),
        (Some(c), Some(v)) => format!(
            "compliance {} against {} ({v:+.1} pts)",
            percent(c),
            target(row)
        ),
        _ => format!("no decided case (target {})", target(row)),
    }];
    if row.kind == StandardKind::Count {
        if let Some(m) = row.count_median {
            let req = match (row.at_least, row.at_most) {
                (Some(a), Some(b)) => format!("between {a} and {b}"),
                (Some(a), None) => format!("at least {a}"),
                (None, Some(b)) => format!("at most {b}"),
                (None, None) => String::new(),
            };
            parts.push(format!("median count {m} against {req}"));
        }
    } else if row.kind == StandardKind::Value {
        // The p90 is the high tail: worth a word against an upper bound only (a lower bound's
        // tail is the low one, which the report does not measure).
        let p90 = row.p90_value.filter(|_| row.value_at_most.is_some());
        for (what, v) in [("median", row.median_value), ("p90", p90)] {
            if v.is_some() {
                parts.push(format!("{what} {} against {}", number(v), bounds(row)));
            }
        }
    } else {
        if let Some(m) = row.median_s {
            parts.push(against(row, "median", m));
        }
        if let Some(p) = row.p90_s {
            parts.push(against(row, "p90", p));
        }
    }
    parts.join("; ")
}

/// A repeat standard's customers and period in words, in its file's time zone: "customers
/// of 2025-01-01 to 2026-01-01 returning 2026-01-01 to 2027-01-01 (America/Chicago)", and
/// when the audit gave no period, that it is the default.
pub(super) fn repeat_window(row: &Row) -> Option<String> {
    let w = row.repeat.as_ref()?;
    let tz: chrono_tz::Tz = row.timezone.parse().unwrap_or(chrono_tz::Tz::UTC);
    let day = |t: i64| match chrono::DateTime::from_timestamp(t, 0) {
        Some(u) => {
            let local = u.with_timezone(&tz);
            // Periods cut at midnight read as dates.
            if local.format("%H:%M:%S").to_string() == "00:00:00" {
                local.format("%Y-%m-%d").to_string()
            } else {
                local.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
        None => t.to_string(),
    };
    let [look_back, since, until] = w.instants;
    let mut s = format!(
        "customers of {} to {} returning {} to {} ({})",
        day(look_back),
        day(since),
        day(since),
        day(until),
        row.timezone
    );
    let chosen = crate::evaluate::RepeatPeriod {
        look_back,
        since,
        until,
        given: w.given,
    };
    if let Some(words) = chosen.default_words(&w.within) {
        s.push_str(", ");
        s.push_str(&words);
    }
    Some(s)
}

/// "first-reply-10m" or "first-reply-10m [Sales]": who a line of words (or a CI annotation)
/// is about; a totals row is "(all groups)".
pub(super) fn subject(row: &Row) -> String {
    match &row.group {
        Some(g) if g.is_total() => format!("{} (all groups)", row.id),
        Some(_) => format!("{} [{}]", row.id, group_text(row)),
        None => row.id.clone(),
    }
}

/// The standards (x groups) that fall short, each with its variance in words.
fn shortfalls(report: &Report) -> Vec<(String, String)> {
    report
        .standards
        .iter()
        .filter(|r| r.passed == Some(false))
        .map(|r| (subject(r), variance_words(r)))
        .collect()
}

/// "version in force from 2026-07-01", for a row of a standard with versions by date: the
/// version the row shows, as the table, Markdown and HTML name it after the title.
pub(crate) fn shown_version(r: &Row) -> Option<String> {
    let v = r.versions.iter().find(|v| v.shown)?;
    Some(match (&v.effective_from, &v.effective_until) {
        (Some(f), Some(u)) => format!("version in force from {f} until {u}"),
        (Some(f), None) => format!("version in force from {f}"),
        (None, Some(u)) => format!("version in force until {u}"),
        (None, None) => "version".to_string(),
    })
}

/// A row's title, followed by the version it shows when it has versions by date.
pub(crate) fn dated_title(r: &Row) -> String {
    let title = r.title.as_deref().unwrap_or("");
    match (shown_version(r), title.is_empty()) {
        (Some(v), true) => v,
        (Some(v), false) => format!("{title} ({v})"),
        (None, _) => title.to_string(),
    }
}

#[cfg(test)]
mod compact_number_tests {
    #[test]
    fn numbers_read_as_people_write_them() {
        let cases = [
            (-0.0, "0"),
            (0.0, "0"),
            (3.0, "3"),
            (7.25, "7.25"),
            (4.1 - 3.0, "1.1"),
            (-1e308, "-1e308"),
            (9007199254740992.0, "9.007199254740992e15"),
            (1e-7, "1e-7"),
            (0.5, "0.5"),
        ];
        for (v, want) in cases {
            assert_eq!(super::compact_number(v), want, "{v}");
        }
    }
}
