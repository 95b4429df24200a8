//! Newline-delimited JSON: one compact object per line, each with a `type`, so that a stream
//! processor (`jq -c`, Miller, a log shipper) can route records without reading the whole
//! document. The first line (`report`) carries the schema version and the period; the records
//! are the JSON format's, field for field.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{BreachCounts, BreachReport, PeriodInfo, Report, TrendReport};

/// The first line of every stream.
#[derive(Serialize)]
struct Header<'a> {
    r#type: &'static str,
    schema_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    passed: Option<bool>,
    period: &'a PeriodInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a [String]>,
}

/// A record with its type first.
#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    r#type: &'static str,
    #[serde(flatten)]
    record: &'a T,
}

fn line<T: Serialize>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    writeln!(w)
}

fn records<T: Serialize>(w: &mut dyn Write, r#type: &'static str, list: &[T]) -> io::Result<()> {
    for record in list {
        line(w, &Tagged { r#type, record })?;
    }
    Ok(())
}

pub fn audit(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    line(
        w,
        &Header {
            r#type: "report",
            schema_version: report.schema_version,
            passed: Some(report.passed),
            period: &report.period,
            by: None,
        },
    )?;
    records(w, "standard", &report.standards)?;
    records(w, "input", &report.inputs)
}

pub fn breaches(report: &BreachReport, w: &mut dyn Write) -> io::Result<()> {
    line(
        w,
        &Header {
            r#type: "report",
            schema_version: report.schema_version,
            passed: None,
            period: &report.period,
            by: None,
        },
    )?;
    records(w, "breach", &report.breaches)?;
    records(w, "input", &report.inputs)
}

pub fn counts(report: &BreachCounts, w: &mut dyn Write) -> io::Result<()> {
    line(
        w,
        &Header {
            r#type: "report",
            schema_version: report.schema_version,
            passed: None,
            period: &report.period,
            by: Some(&report.by),
        },
    )?;
    records(w, "breach_count", &report.counts)?;
    records(w, "input", &report.inputs)
}

/// The first line of a trend stream.
#[derive(Serialize)]
struct TrendHeader<'a> {
    r#type: &'static str,
    schema_version: u32,
    every: crate::report::Every,
    as_of: &'a str,
}

pub fn trend(report: &TrendReport, w: &mut dyn Write) -> io::Result<()> {
    line(
        w,
        &TrendHeader {
            r#type: "report",
            schema_version: report.schema_version,
            every: report.every,
            as_of: &report.as_of,
        },
    )?;
    records(w, "period", &report.periods)?;
    records(w, "trend", &report.trend)?;
    records(w, "input", &report.inputs)
}
