//! GitHub Actions workflow commands: an `::error` annotation for each non-negotiable standard
//! (x group) that falls short and a `::warning` for any other, on the standard's line in its
//! standards file, with the variance in words; a `::notice` for one with no decided case.
//! (The Markdown step summary is the Markdown renderer's output; the command line appends it.)

use std::io::{self, Write};

use super::escape::{workflow_data as data, workflow_property as property};
use super::variance_words;
use crate::error::Place;
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

/// An `::error` (or `::warning`) annotation for something that stopped the run (a standards
/// file that does not load, a row `--strict` refused) or that `check` found, on its file,
/// line and column when it has them.
pub fn annotation(command: &str, place: &Place, w: &mut dyn Write) -> io::Result<()> {
    let mut props = Vec::new();
    if let Some(f) = &place.file {
        props.push(format!("file={}", property(f)));
    }
    if let Some(l) = place.line {
        props.push(format!("line={l}"));
    }
    if let Some(c) = place.column {
        props.push(format!("col={c}"));
    }
    let props = if props.is_empty() {
        String::new()
    } else {
        format!(" {}", props.join(","))
    };
    writeln!(w, "::{command}{props}::{}", data(&place.message))
}
