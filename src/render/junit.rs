//! JUnit XML for CI systems: one test suite per standards file (in the order the files first
//! appear in the report), one test case per standard (x group); a standard that falls short
//! is a failure, one with no decided case is skipped.
//!
//! Strict readers (the Ant/Windy Road schema, Surefire's) want `time` on every suite and case
//! and a `timestamp` on every suite. An audit measures no run time, and the time of the run
//! would make reruns differ, so `time` is always `0` and `timestamp` is the report's as-of
//! instant in UTC, without an offset: the Ant schema's pattern allows none, and without one a
//! reader cannot tell which zone a wall-clock time was in, so it is the one zone that needs none.

use std::collections::HashMap;
use std::io::{self, Write};

use chrono::DateTime;

use super::escape::xml as esc;
use super::{compliance, group_text};
use crate::report::{Report, Row};

/// Tests, failures and skipped of some rows (errors are always 0: an audit that could not be
/// done exits 2 without a report).
fn totals<'a>(rows: impl IntoIterator<Item = &'a Row>) -> (usize, usize, usize) {
    rows.into_iter()
        .fold((0, 0, 0), |(t, f, s), r| match r.passed {
            Some(true) => (t + 1, f, s),
            Some(false) => (t + 1, f + 1, s),
            None => (t + 1, f, s + 1),
        })
}

/// `as_of` (RFC 3339) as `YYYY-MM-DDTHH:MM:SS` in UTC. Without an as-of (no data at all) the
/// audit judged as of the Unix epoch, and so does the timestamp.
fn timestamp(as_of: Option<&str>) -> String {
    let secs = as_of
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or(0, |t| t.timestamp());
    DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// The rows of each standards file, files in order of their first row (by a map, so that
/// thousands of files stay linear).
fn by_file(report: &Report) -> Vec<(&str, Vec<&Row>)> {
    let mut files: Vec<(&str, Vec<&Row>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for r in &report.standards {
        let i = *index.entry(&r.file).or_insert_with(|| {
            files.push((&r.file, Vec::new()));
            files.len() - 1
        });
        files[i].1.push(r);
    }
    files
}

pub fn audit(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let (tests, failures, skipped) = totals(&report.standards);
    let stamp = timestamp(report.period.as_of.as_deref());
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<testsuites name="yardstick" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}" time="0">"#
    )?;
    for (file, rows) in by_file(report) {
        let (tests, failures, skipped) = totals(rows.iter().copied());
        writeln!(
            w,
            r#"  <testsuite name="{}" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}" time="0" timestamp="{stamp}" file="{}">"#,
            esc(file),
            esc(file)
        )?;
        for r in rows {
            testcase(r, w)?;
        }
        writeln!(w, "  </testsuite>")?;
    }
    writeln!(w, "</testsuites>")
}

fn testcase(r: &Row, w: &mut dyn Write) -> io::Result<()> {
    let mut name = r.id.clone();
    if r.group.is_some() {
        name.push_str(&format!(" [{}]", group_text(r)));
    }
    let classname = format!("yardstick.{}.{}", r.source, r.level);
    let open = format!(
        r#"    <testcase classname="{}" name="{}" time="0" file="{}" line="{}""#,
        esc(&classname),
        esc(&name),
        esc(&r.file),
        r.line
    );
    let detail = format!(
        "{}: compliance {} against target {} ({} met, {} breached, {} open){}",
        r.title.as_deref().unwrap_or(&r.id),
        compliance(r),
        super::target(r),
        r.met,
        r.breached,
        r.open,
        r.compliance_variance
            .map(|v| format!(
                "; variance {v:+.2} pts{}",
                if super::above_range(r) {
                    ", above the range"
                } else {
                    ""
                }
            ))
            .unwrap_or_default()
    );
    match r.passed {
        Some(true) => writeln!(w, "{open}/>"),
        Some(false) => {
            writeln!(w, "{open}>")?;
            writeln!(
                w,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                r.level,
                esc(&detail),
                esc(&r.rule)
            )?;
            writeln!(w, "    </testcase>")
        }
        None => {
            writeln!(w, "{open}>")?;
            writeln!(
                w,
                r#"      <skipped message="no decided case in the period"/>"#
            )?;
            writeln!(w, "    </testcase>")
        }
    }
}
