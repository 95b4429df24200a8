//! The workbook for analysts (xlsx): a Summary sheet (one row per standard x group, the CSV
//! columns), a Breaches sheet (one row per breached case, the `breaches` CSV columns) and a
//! Definitions sheet (each standard's rule, calendar, time zone, target and place). Numbers
//! are number cells, times are date cells (wall-clock time in the report time zone), missing
//! values are empty cells; every sheet has a frozen header row and an autofilter. The
//! workbook's creation time is the audit's as-of instant, so the same report gives the same bytes.
//!
//! For a reader who opens it rather than a program: a cell keeps the JSON's number and a number
//! format shows it. Percentages (compliance, target) are the JSON's 0-100 numbers shown as
//! `92.6%` by the format `0.0"%"` (Excel's own `%` format would multiply by 100, so a formula
//! or a pivot on the cell would see 0.926, not the report's number); variances in points as
//! `-2.4 pts`; seconds stay seconds (`_s` columns, as in the CSV) shown as `1,234 s`, because a
//! duration format needs days and cannot show the negative lateness of a deadline. On the
//! Summary, compliance, target and passed are green where the row passes and red where it falls
//! short (a conditional format on `passed`, so that it follows the report's verdict, not a
//! second comparison). Column widths follow what the cells show, not their raw numbers.

use std::io::{self, Write};

use chrono::{DateTime, Datelike, Timelike};
use rust_xlsxwriter::{
    column_number_to_name, ConditionalFormatFormula, DocProperties, ExcelDateTime, Format,
    Workbook, Worksheet, XlsxError,
};

use super::delimited::{breach_header, AUDIT_COLUMNS, VALUE_COLUMNS, VERSION_COLUMNS};
use super::{group_columns, BreachAttrs};
use crate::report::{Breach, Report, Row};

/// One cell's value.
enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    /// RFC 3339 text, written as a date cell of its local wall-clock time.
    Time(String),
    Empty,
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A text that may be absent (an open end of a version's dates): an empty cell then.
fn opt_text(s: Option<&str>) -> Value {
    s.map_or(Value::Empty, text)
}

fn num<T: Into<f64>>(v: Option<T>) -> Value {
    v.map_or(Value::Empty, |v| Value::Number(v.into()))
}

/// Seconds and counts: exact in an f64 for any span a log can hold.
fn int(v: Option<i64>) -> Value {
    num(v.map(|v| v as f64))
}

fn uint(v: Option<u64>) -> Value {
    num(v.map(|v| v as f64))
}

fn time(v: Option<&String>) -> Value {
    v.map_or(Value::Empty, |t| Value::Time(t.clone()))
}

/// An RFC 3339 time written with `zone`'s offset (the same instant).
fn in_zone(rfc3339: &str, zone: chrono_tz::Tz) -> String {
    DateTime::parse_from_rfc3339(rfc3339).map_or_else(
        |_| rfc3339.to_string(),
        |t| t.with_timezone(&zone).to_rfc3339(),
    )
}

/// The wall-clock time an RFC 3339 text shows (Excel cells have no time zone).
fn excel_time(rfc3339: &str) -> Option<ExcelDateTime> {
    let t = DateTime::parse_from_rfc3339(rfc3339).ok()?.naive_local();
    excel(t)
}

fn excel(t: chrono::NaiveDateTime) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(
        u16::try_from(t.year()).ok()?,
        t.month() as u8,
        t.day() as u8,
    )
    .and_then(|d| d.and_hms(t.hour() as u16, t.minute() as u8, t.second()))
    .ok()
}

fn err(e: XlsxError) -> io::Error {
    io::Error::other(format!("xlsx: {e}"))
}

/// How a column's numbers are shown (the cell holds the number either way).
#[derive(Clone, Copy, PartialEq)]
enum Shown {
    Plain,
    /// A 0-100 percentage: `92.6%`.
    Percent,
    /// Percentage points: `+2.4 pts`.
    Points,
    /// Seconds: `1,234 s`.
    Seconds,
}

impl Shown {
    /// The column's kind from its CSV name.
    fn of(column: &str) -> Shown {
        match column {
            "compliance" | "target" | "target_max" => Shown::Percent,
            "compliance_variance" => Shown::Points,
            c if c.ends_with("_s") => Shown::Seconds,
            _ => Shown::Plain,
        }
    }

    fn num_format(self) -> Option<&'static str> {
        match self {
            Shown::Plain => None,
            Shown::Percent => Some(r#"0.0"%""#),
            Shown::Points => Some(r#"+0.0" pts";-0.0" pts";0.0" pts""#),
            Shown::Seconds => Some(r##"#,##0" s""##),
        }
    }

    /// The width of the text the format shows for `n` (close enough to size a column).
    fn width(self, n: f64) -> usize {
        let digits = |n: f64| {
            let whole = format!("{:.0}", n.abs());
            whole.len() + (whole.len() - 1) / 3 + usize::from(n < 0.0)
        };
        match self {
            Shown::Plain if n.fract() == 0.0 => format!("{n}").len(),
            Shown::Plain => format!("{n}").len().min(12),
            Shown::Percent => format!("{n:.1}%").len(),
            Shown::Points => format!("{n:+.1} pts").len(),
            Shown::Seconds => digits(n) + 2,
        }
    }
}

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    date: Format,
    shown: Vec<(Shown, Option<Format>)>,
    rows: u32,
    columns: u16,
    widths: Vec<usize>,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet, name: &str, columns: &[String]) -> Result<Sheet<'a>, XlsxError> {
        ws.set_name(name)?;
        let header = Format::new().set_bold();
        for (c, h) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &header)?;
        }
        ws.set_freeze_panes(1, 0)?;
        let shown = columns
            .iter()
            .map(|c| {
                let shown = Shown::of(c);
                (
                    shown,
                    shown.num_format().map(|f| Format::new().set_num_format(f)),
                )
            })
            .collect();
        Ok(Sheet {
            ws,
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            shown,
            rows: 0,
            columns: columns.len() as u16,
            // a bold header and its autofilter button need about three more characters
            widths: columns.iter().map(|h| h.chars().count() + 3).collect(),
        })
    }

    fn row(&mut self, values: Vec<Value>) -> Result<(), XlsxError> {
        self.rows += 1;
        let r = self.rows;
        for (c, v) in values.into_iter().enumerate() {
            let col = c as u16;
            let (kind, format) = match self.shown.get(c) {
                Some((kind, format)) => (*kind, format.as_ref()),
                None => (Shown::Plain, None),
            };
            let shown = match &v {
                Value::Text(s) => s.chars().count(),
                Value::Number(n) => kind.width(*n),
                Value::Bool(_) => 5,
                Value::Time(_) => 19,
                Value::Empty => 0,
            };
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(shown);
            }
            match v {
                Value::Text(s) if s.is_empty() => {}
                Value::Text(s) => {
                    self.ws.write_string(r, col, s)?;
                }
                Value::Number(n) => match format {
                    Some(f) => {
                        self.ws.write_number_with_format(r, col, n, f)?;
                    }
                    None => {
                        self.ws.write_number(r, col, n)?;
                    }
                },
                Value::Bool(b) => {
                    self.ws.write_boolean(r, col, b)?;
                }
                Value::Time(t) => match excel_time(&t) {
                    Some(d) => {
                        self.ws.write_datetime_with_format(r, col, &d, &self.date)?;
                    }
                    None => {
                        self.ws.write_string(r, col, t)?;
                    }
                },
                Value::Empty => {}
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<(), XlsxError> {
        self.ws
            .autofilter(0, 0, self.rows.max(1), self.columns.saturating_sub(1))?;
        for (c, w) in self.widths.iter().enumerate() {
            // a little room either side; long text (titles, rules) wraps past 60
            self.ws
                .set_column_width(c as u16, (*w as f64 + 1.0).min(60.0))?;
        }
        Ok(())
    }
}

fn summary(wb: &mut Workbook, report: &Report) -> Result<(), XlsxError> {
    let dims = group_columns(report);
    let mut columns: Vec<String> = Vec::new();
    for c in AUDIT_COLUMNS {
        columns.push(c.to_string());
        if c == "calendar" {
            columns.extend(dims.iter().map(|d| {
                if AUDIT_COLUMNS.contains(&d.as_str()) {
                    format!("group_{d}")
                } else {
                    d.clone()
                }
            }));
        }
    }
    if !dims.is_empty() {
        columns.push("total".to_string());
    }
    // Added later: at the end, so that no column moves.
    columns.extend(VALUE_COLUMNS.map(String::from));
    // What the CSV has besides, later still: the confidence interval, the dates of the
    // version a row shows, the zone its periods are cut in.
    columns.extend(
        ["compliance_low", "compliance_high"]
            .into_iter()
            .chain(VERSION_COLUMNS)
            .chain(["timezone"])
            .map(String::from),
    );
    let mut sheet = Sheet::new(wb.add_worksheet(), "Summary", &columns)?;
    for r in &report.standards {
        let mut v = vec![
            text(&r.id),
            text(r.title.as_deref().unwrap_or("")),
            text(r.level.as_str()),
            text(&r.source),
            text(r.kind.as_str()),
            text(&r.calendar),
        ];
        match &r.group {
            Some(g) if g.is_total() => v.extend(dims.iter().map(|_| Value::Empty)),
            Some(g) => v.extend(g.0.iter().map(|(_, val)| text(val))),
            None => {}
        }
        v.extend([
            uint(Some(r.cases)),
            uint(Some(r.met)),
            uint(Some(r.breached)),
            uint(Some(r.open)),
            uint(Some(r.excluded)),
            num(r.compliance),
            num(Some(r.target)),
            r.passed.map_or(Value::Empty, Value::Bool),
            num(r.compliance_variance),
            int(r.limit_s),
            int(r.median_s),
            int(r.p90_s),
            int(r.max_s),
            int(r.median_variance_s),
            int(r.p90_variance_s),
            uint(r.at_least),
            uint(r.at_most),
            uint(r.count_median),
            text(&r.rule),
            text(&r.file),
            uint(Some(r.line as u64)),
            num(r.target_max),
        ]);
        if !dims.is_empty() {
            v.push(Value::Bool(r.group.as_ref().is_some_and(|g| g.is_total())));
        }
        v.extend([
            num(r.value_at_least),
            num(r.value_at_most),
            num(r.median_value),
            num(r.p90_value),
            num(r.max_value),
            uint(r.no_value),
            num(r.compliance_low),
            num(r.compliance_high),
            opt_text(r.effective_from.as_deref()),
            opt_text(r.effective_until.as_deref()),
            text(&r.timezone),
        ]);
        sheet.row(v)?;
    }
    verdict_colours(&mut sheet, &columns)?;
    sheet.finish()
}

/// Compliance, target and passed in green where `passed` is TRUE, red where it is FALSE (and
/// neither where it is empty: no decided case). The colours of Excel's own "good" and "bad"
/// cell styles, which readers know.
fn verdict_colours(sheet: &mut Sheet, columns: &[String]) -> Result<(), XlsxError> {
    let at = |name: &str| columns.iter().position(|c| c == name).map(|i| i as u16);
    // compliance, target, passed: adjacent in the CSV's column order
    let (Some(first), Some(passed)) = (at("compliance"), at("passed")) else {
        return Ok(());
    };
    if sheet.rows == 0 {
        return Ok(());
    }
    // the rule is written for the range's top-left cell; `$` keeps every cell on `passed`
    let cell = format!("${}2", column_number_to_name(passed));
    let good = ConditionalFormatFormula::new()
        .set_rule(format!("=AND(ISLOGICAL({cell}),{cell})").as_str())
        .set_format(
            Format::new()
                .set_font_color("006100")
                .set_background_color("C6EFCE"),
        );
    let bad = ConditionalFormatFormula::new()
        .set_rule(format!("=AND(ISLOGICAL({cell}),NOT({cell}))").as_str())
        .set_format(
            Format::new()
                .set_font_color("9C0006")
                .set_background_color("FFC7CE"),
        );
    sheet
        .ws
        .add_conditional_format(1, first, sheet.rows, passed, &good)?;
    sheet
        .ws
        .add_conditional_format(1, first, sheet.rows, passed, &bad)?;
    Ok(())
}

fn breaches(wb: &mut Workbook, list: &[Breach]) -> Result<(), XlsxError> {
    let attrs = BreachAttrs::of(list);
    let mut values = Vec::new();
    // The CSV's columns, the judging version's last.
    let columns = breach_header(&attrs.names);
    let mut sheet = Sheet::new(wb.add_worksheet(), "Breaches", &columns)?;
    for b in list {
        let mut v = vec![
            text(&b.standard),
            text(b.level.as_str()),
            text(&b.source),
            text(&b.case),
            uint(b.occurrence.map(u64::from)),
            // The report's times are UTC; a sheet shows them on the standard's wall clock.
            time(Some(&in_zone(&b.clock_start, b.zone))),
            time(b.clock_stop.as_ref().map(|t| in_zone(t, b.zone)).as_ref()),
            time(b.deadline.as_ref().map(|t| in_zone(t, b.zone)).as_ref()),
            int(b.elapsed_s),
            int(b.limit_s),
            int(b.over_by_s),
            int(b.paused_s),
            uint(b.count),
            text(b.required.as_deref().unwrap_or("")),
        ];
        attrs.values(b, &mut values);
        v.extend(values.iter().map(|value| text(value)));
        v.push(num(b.value));
        let version = b.version.as_ref();
        v.push(opt_text(version.and_then(|v| v.effective_from.as_deref())));
        v.push(opt_text(version.and_then(|v| v.effective_until.as_deref())));
        sheet.row(v)?;
    }
    sheet.finish()
}

/// One row per standard: the rows without `--by`, or the totals rows.
fn definitions(wb: &mut Workbook, report: &Report) -> Result<(), XlsxError> {
    let columns: Vec<String> = [
        "id",
        "title",
        "level",
        "source",
        "kind",
        "rule",
        "calendar",
        "timezone",
        "target",
        "file",
        "line",
        "target_max",
        "effective_from",
        "effective_until",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    let mut sheet = Sheet::new(wb.add_worksheet(), "Definitions", &columns)?;
    let whole = report
        .standards
        .iter()
        .filter(|r| r.group.as_ref().is_none_or(|g| g.is_total()));
    for r in whole {
        if r.versions.is_empty() {
            sheet.row(definition(r))?;
        }
        // A standard with versions by date: every version, in date order, each its own row.
        for v in &r.versions {
            sheet.row(version_definition(r, v))?;
        }
    }
    sheet.finish()
}

/// A Definitions row of one version of `r`'s standard: what the version itself says.
fn version_definition(r: &Row, v: &crate::report::VersionRow) -> Vec<Value> {
    vec![
        text(&r.id),
        text(v.title.as_deref().unwrap_or("")),
        text(v.level.as_str()),
        text(&r.source),
        text(r.kind.as_str()),
        text(&v.rule),
        text(&r.calendar),
        text(&r.timezone),
        num(Some(v.target)),
        text(&v.file),
        uint(Some(v.line as u64)),
        num(v.target_max),
        opt_text(v.effective_from.as_deref()),
        opt_text(v.effective_until.as_deref()),
    ]
}

fn definition(r: &Row) -> Vec<Value> {
    vec![
        text(&r.id),
        text(r.title.as_deref().unwrap_or("")),
        text(r.level.as_str()),
        text(&r.source),
        text(r.kind.as_str()),
        text(&r.rule),
        text(&r.calendar),
        text(&r.timezone),
        num(Some(r.target)),
        text(&r.file),
        uint(Some(r.line as u64)),
        num(r.target_max),
        Value::Empty,
        Value::Empty,
    ]
}

fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = report
        .period
        .as_of
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .and_then(|t| excel(t.naive_utc()))
        .map_or_else(|| ExcelDateTime::from_ymd(2000, 1, 1), Ok)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("yardstick audit")
            .set_creation_datetime(&created),
    );
    summary(&mut wb, report)?;
    breaches(&mut wb, &report.breaches)?;
    definitions(&mut wb, report)?;
    wb.save_to_buffer()
}

pub fn audit(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let bytes = workbook(report).map_err(err)?;
    w.write_all(&bytes)
}
