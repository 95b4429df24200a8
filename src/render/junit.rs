//! JUnit XML for CI systems: one test case per standard (x group); a standard that falls short
//! is a failure, one with no decided case is skipped.

use std::io::{self, Write};

use super::escape::xml as esc;
use super::{compliance, group_text};
use crate::report::Report;

pub fn audit(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    let tests = report.standards.len();
    let failures = report
        .standards
        .iter()
        .filter(|r| r.passed == Some(false))
        .count();
    let skipped = report
        .standards
        .iter()
        .filter(|r| r.passed.is_none())
        .count();
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<testsuites name="yardstick" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}">"#
    )?;
    writeln!(
        w,
        r#"  <testsuite name="yardstick" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}">"#
    )?;
    for r in &report.standards {
        let mut name = r.id.clone();
        if r.group.is_some() {
            name.push_str(&format!(" [{}]", group_text(r)));
        }
        let classname = format!("yardstick.{}.{}", r.source, r.level);
        let open = format!(
            r#"    <testcase classname="{}" name="{}" file="{}" line="{}""#,
            esc(&classname),
            esc(&name),
            esc(&r.file),
            r.line
        );
        let detail = format!(
            "{}: compliance {} against target {}% ({} met, {} breached, {} open){}",
            r.title.as_deref().unwrap_or(&r.id),
            compliance(r),
            r.target,
            r.met,
            r.breached,
            r.open,
            r.compliance_variance
                .map(|v| format!("; variance {v:+.2} pts"))
                .unwrap_or_default()
        );
        match r.passed {
            Some(true) => writeln!(w, "{open}/>")?,
            Some(false) => {
                writeln!(w, "{open}>")?;
                writeln!(
                    w,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    r.level,
                    esc(&detail),
                    esc(&r.rule)
                )?;
                writeln!(w, "    </testcase>")?;
            }
            None => {
                writeln!(w, "{open}>")?;
                writeln!(
                    w,
                    r#"      <skipped message="no decided case in the period"/>"#
                )?;
                writeln!(w, "    </testcase>")?;
            }
        }
    }
    writeln!(w, "  </testsuite>")?;
    writeln!(w, "</testsuites>")
}
