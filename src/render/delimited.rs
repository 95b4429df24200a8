//! CSV and TSV: tidy rows with a fixed column order, seconds as plain numbers, empty cells for
//! missing values. The column lists here are a documented contract. With `formula_safe`
//! (`--formula-safe`) every cell, the header's too, goes through `escape::formula`.

use std::borrow::Cow;
use std::io::{self, Write};

use super::{escape, group_columns, BreachAttrs};
use crate::report::{BreachCounts, BreachReport, Report, TrendReport};

/// Columns of `audit --format csv`, with the `--by` columns inserted after `calendar`.
pub const AUDIT_COLUMNS: [&str; 28] = [
    "id",
    "title",
    "level",
    "source",
    "kind",
    "calendar",
    "cases",
    "met",
    "breached",
    "open",
    "excluded",
    "compliance",
    "target",
    "passed",
    "compliance_variance",
    "limit_s",
    "median_s",
    "p90_s",
    "max_s",
    "median_variance_s",
    "p90_variance_s",
    "at_least",
    "at_most",
    "count_median",
    "rule",
    "file",
    "line",
    "target_max",
];

/// Columns appended to `audit`, `breaches` and `trend` for standards with versions by date:
/// the dates of the version a row shows (a breach: the version that judged it), empty for an
/// open end and for a standard without versions.
pub const VERSION_COLUMNS: [&str; 2] = ["effective_from", "effective_until"];

/// A column name from the data that is not taken by a fixed column nor by the version columns.
fn extra_name_of(name: &str, fixed: &[&str], prefix: &str) -> String {
    if VERSION_COLUMNS.contains(&name) {
        format!("{prefix}{name}")
    } else {
        extra_name(name, fixed, prefix)
    }
}

/// Columns of `audit --format csv` for value standards, after every other (empty for other
/// kinds): the bounds, the numbers' median, p90 and maximum, and the cases without a number.
pub const VALUE_COLUMNS: [&str; 6] = [
    "value_at_least",
    "value_at_most",
    "median_value",
    "p90_value",
    "max_value",
    "no_value",
];

/// Columns of `breaches --format csv`, followed by the attribute columns of the sources,
/// then `value` (a value standard's number; added after the first release, so last).
pub const BREACH_COLUMNS: [&str; 14] = [
    "standard",
    "level",
    "source",
    "case",
    "occurrence",
    "clock_start",
    "clock_stop",
    "deadline",
    "elapsed_s",
    "limit_s",
    "over_by_s",
    "paused_s",
    "count",
    "required",
];

/// The header of a breach listing, for CSV, TSV and the workbook alike: the fixed columns,
/// the attribute columns in `attrs` order (one that has a fixed column's name, `value` and
/// the version columns included, gets the prefix `attr_`), then `value` (added after the
/// first release, so after the attributes) and the judging version's columns.
pub(super) fn breach_header(attrs: &[&str]) -> Vec<String> {
    let mut fixed: Vec<&str> = BREACH_COLUMNS.to_vec();
    fixed.push("value");
    let mut header: Vec<String> = BREACH_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(attrs.iter().map(|a| extra_name_of(a, &fixed, "attr_")));
    header.push("value".to_string());
    // Added after `value`, so that no column moves.
    header.extend(VERSION_COLUMNS.map(String::from));
    header
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A grouping or attribute column that shares a name with a fixed column gets a prefix.
fn extra_name(name: &str, fixed: &[&str], prefix: &str) -> String {
    if fixed.contains(&name) {
        format!("{prefix}{name}")
    } else {
        name.to_string()
    }
}

fn writer(w: &mut dyn Write, delimiter: u8) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(w)
}

/// Writes one record, each cell made safe for a spreadsheet when `formula_safe` is on. The
/// check is per cell and cheap, so every cell goes through it: the header (column names come
/// from the logs) and the numbers too, which it leaves alone.
fn record<S: AsRef<str>>(
    out: &mut csv::Writer<&mut dyn Write>,
    fields: &[S],
    formula_safe: bool,
) -> io::Result<()> {
    if formula_safe {
        let cells: Vec<Cow<str>> = fields.iter().map(|f| escape::formula(f.as_ref())).collect();
        out.write_record(cells.iter().map(|c| c.as_bytes()))
    } else {
        out.write_record(fields.iter().map(|f| f.as_ref().as_bytes()))
    }
    .map_err(csv_err)
}

fn flush(mut out: csv::Writer<&mut dyn Write>) -> io::Result<()> {
    out.flush()
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

pub fn audit(
    report: &Report,
    delimiter: u8,
    formula_safe: bool,
    w: &mut dyn Write,
) -> io::Result<()> {
    let dims = group_columns(report);
    let mut out = writer(w, delimiter);
    let mut header: Vec<String> = Vec::new();
    for c in AUDIT_COLUMNS {
        header.push(c.to_string());
        if c == "calendar" {
            header.extend(
                dims.iter()
                    .map(|d| extra_name_of(d, &AUDIT_COLUMNS, "group_")),
            );
        }
    }
    // With --by, a last column tells the totals row (all groups, empty group cells) apart.
    if !dims.is_empty() {
        header.push("total".to_string());
    }
    // Added after the first release: at the end, so that no column moves.
    header.extend(["compliance_low".to_string(), "compliance_high".to_string()]);
    header.extend(VALUE_COLUMNS.map(String::from));
    header.extend(VERSION_COLUMNS.map(String::from));
    header.push("timezone".to_string());
    record(&mut out, &header, formula_safe)?;
    for r in &report.standards {
        let mut rec: Vec<String> = vec![
            r.id.clone(),
            r.title.clone().unwrap_or_default(),
            r.level.to_string(),
            r.source.clone(),
            r.kind.as_str().to_string(),
            r.calendar.clone(),
        ];
        if let Some(g) = &r.group {
            if g.is_total() {
                rec.extend(dims.iter().map(|_| String::new()));
            } else {
                rec.extend(g.0.iter().map(|(_, v)| v.clone()));
            }
        }
        rec.extend([
            r.cases.to_string(),
            r.met.to_string(),
            r.breached.to_string(),
            r.open.to_string(),
            r.excluded.to_string(),
            opt(r.compliance),
            r.target.to_string(),
            opt(r.passed),
            opt(r.compliance_variance),
            opt(r.limit_s),
            opt(r.median_s),
            opt(r.p90_s),
            opt(r.max_s),
            opt(r.median_variance_s),
            opt(r.p90_variance_s),
            opt(r.at_least),
            opt(r.at_most),
            opt(r.count_median),
            r.rule.clone(),
            r.file.clone(),
            r.line.to_string(),
            opt(r.target_max),
        ]);
        if !dims.is_empty() {
            rec.push(r.group.as_ref().is_some_and(|g| g.is_total()).to_string());
        }
        rec.extend([opt(r.compliance_low), opt(r.compliance_high)]);
        rec.extend([
            opt(r.value_at_least),
            opt(r.value_at_most),
            opt(r.median_value),
            opt(r.p90_value),
            opt(r.max_value),
            opt(r.no_value),
            opt(r.effective_from.clone()),
            opt(r.effective_until.clone()),
        ]);
        rec.push(r.timezone.clone());
        record(&mut out, &rec, formula_safe)?;
    }
    flush(out)
}

pub fn breaches(
    report: &BreachReport,
    delimiter: u8,
    formula_safe: bool,
    w: &mut dyn Write,
) -> io::Result<()> {
    // The union of attribute columns, in order of first appearance.
    let attrs = BreachAttrs::of(&report.breaches);
    let mut values = Vec::new();
    let mut out = writer(w, delimiter);
    let header = breach_header(&attrs.names);
    record(&mut out, &header, formula_safe)?;
    for b in &report.breaches {
        let mut rec = vec![
            b.standard.clone(),
            b.level.to_string(),
            b.source.clone(),
            b.case.clone(),
            opt(b.occurrence),
            b.clock_start.clone(),
            opt(b.clock_stop.clone()),
            opt(b.deadline.clone()),
            opt(b.elapsed_s),
            opt(b.limit_s),
            opt(b.over_by_s),
            opt(b.paused_s),
            opt(b.count),
            opt(b.required.clone()),
        ];
        attrs.values(b, &mut values);
        rec.extend(values.iter().map(|v| v.to_string()));
        rec.push(opt(b.value));
        let version = b.version.as_ref();
        rec.extend([
            opt(version.and_then(|v| v.effective_from.clone())),
            opt(version.and_then(|v| v.effective_until.clone())),
        ]);
        record(&mut out, &rec, formula_safe)?;
    }
    flush(out)
}

/// Columns of `breaches --by ... --format csv`, with the `--by` columns inserted after `level`.
pub const COUNT_COLUMNS: [&str; 4] = ["standard", "level", "breaches", "share"];

pub fn counts(
    report: &BreachCounts,
    delimiter: u8,
    formula_safe: bool,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut out = writer(w, delimiter);
    let mut header: Vec<String> = vec!["standard".into(), "level".into()];
    header.extend(
        report
            .by
            .iter()
            .map(|c| extra_name(c, &COUNT_COLUMNS, "attr_")),
    );
    header.extend(["breaches".to_string(), "share".to_string()]);
    record(&mut out, &header, formula_safe)?;
    for c in &report.counts {
        let mut rec = vec![c.standard.clone(), c.level.to_string()];
        rec.extend(c.group.0.iter().map(|(_, v)| v.clone()));
        rec.extend([c.breaches.to_string(), c.share.to_string()]);
        record(&mut out, &rec, formula_safe)?;
    }
    flush(out)
}

/// Columns of `trend --format csv`.
pub const TREND_COLUMNS: [&str; 19] = [
    "id",
    "title",
    "level",
    "period",
    "since",
    "until",
    "cases",
    "met",
    "breached",
    "open",
    "compliance",
    "target",
    "passed",
    "change",
    "direction",
    "budget_allowed",
    "budget_used",
    "budget_left",
    "target_max",
];

/// The zone a trend row's period is cut in and whether it is still running: after the
/// version columns, which came first.
pub const TREND_ZONE_COLUMNS: [&str; 2] = ["timezone", "partial"];

pub fn trend(
    report: &TrendReport,
    delimiter: u8,
    formula_safe: bool,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut out = writer(w, delimiter);
    let header: Vec<&str> = TREND_COLUMNS
        .iter()
        .chain(&VERSION_COLUMNS)
        .chain(&TREND_ZONE_COLUMNS)
        .copied()
        .collect();
    record(&mut out, &header, formula_safe)?;
    for r in &report.trend {
        let span = report
            .periods
            .iter()
            .find(|p| p.period == r.period && p.timezone == r.timezone);
        let rec = [
            r.id.clone(),
            r.title.clone().unwrap_or_default(),
            r.level.to_string(),
            r.period.clone(),
            span.map(|p| p.since.clone()).unwrap_or_default(),
            span.map(|p| p.until.clone()).unwrap_or_default(),
            r.cases.to_string(),
            r.met.to_string(),
            r.breached.to_string(),
            r.open.to_string(),
            opt(r.compliance),
            r.target.to_string(),
            opt(r.passed),
            opt(r.change),
            opt(r.direction),
            r.budget_allowed.to_string(),
            opt(r.budget_used),
            r.budget_left.to_string(),
            opt(r.target_max),
            opt(r.version.as_ref().and_then(|v| v.effective_from.clone())),
            opt(r.version.as_ref().and_then(|v| v.effective_until.clone())),
            r.timezone.clone(),
            r.partial.to_string(),
        ];
        record(&mut out, &rec, formula_safe)?;
    }
    flush(out)
}
