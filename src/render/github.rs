//! GitHub Actions workflow commands: an `::error` annotation for each non-negotiable standard
//! (x group) that falls short and a `::warning` for any other, on the standard's line in its
//! standards file, with the variance in words; a `::notice` for one with no decided case.
//! (The Markdown step summary is the Markdown renderer's output; the command line appends it.)

use std::io::{self, Write};

use super::escape::{workflow_data as data, workflow_property as property};
use super::variance_words;
use crate::report::Report;
use crate::standards::Level;

pub fn audit(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    for r in &report.standards {
        let (command, title) = match r.passed {
            Some(true) => continue,
            Some(false) => (
                if r.level == Level::Nonnegotiable {
                    "error"
                } else {
                    "warning"
                },
                format!("{} {}", super::subject(r), super::miss_words(r)),
            ),
            None => ("notice", format!("{}: no data", super::subject(r))),
        };
        let message = format!(
            "{} ({}): {}",
            r.title.as_deref().unwrap_or(&r.rule),
            r.level,
            variance_words(r)
        );
        writeln!(
            w,
            "::{command} file={},line={},title={}::{}",
            property(&r.file),
            r.line,
            property(&title),
            data(&message)
        )?;
    }
    Ok(())
}
