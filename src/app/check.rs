//! `check` (a standards file, and the columns of its logs) and `explain` (one case's working,
//! as the evaluator judges it).

use super::{bindings, Diagnostics, Loaded};
use crate::error::{Error, Result};
use crate::evaluate::{self, Period};
use crate::ingest::{self, Needs, Reader};
use crate::standards::{self};

/// What `check` found valid: every standard, and each log whose header has what its source
/// needs. (Warnings go to the diagnostics; the first error ends the check.)
#[derive(Debug, Clone, serde::Serialize)]
pub struct Checked {
    pub standards: Vec<CheckedStandard>,
    pub sources: usize,
    pub files: usize,
    pub logs: Vec<CheckedLog>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckedStandard {
    pub id: String,
    pub level: &'static str,
    pub target: f64,
    /// The high end of a target range (`target = [30, 50]`).
    pub target_max: Option<f64>,
    pub rule: String,
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckedLog {
    pub path: String,
    pub source: String,
    pub columns: usize,
}

impl Checked {
    /// The text `check` prints by default.
    pub fn text(&self) -> String {
        let mut listing = String::new();
        for s in &self.standards {
            listing.push_str(&format!(
                "  {:<28} {:<13} target {:>5}%  {}\n",
                s.id,
                s.level,
                match s.target_max {
                    None => s.target.to_string(),
                    Some(hi) => format!("{}-{hi}", s.target),
                },
                s.rule
            ));
        }
        for l in &self.logs {
            listing.push_str(&format!(
                "{}: the {} columns have what source {:?} needs\n",
                l.path, l.columns, l.source
            ));
        }
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            "ok: {} standard{} and {} source{} in {} file{}\n{listing}",
            self.standards.len(),
            plural(self.standards.len()),
            self.sources,
            plural(self.sources),
            self.files,
            plural(self.files),
        )
    }
}

/// Checks the standards file `path` and, for each source, the header of each log bound to it
/// in `logs` (else its own `path` when that file is there).
pub fn check(
    path: &std::path::Path,
    logs: &[(String, String)],
    diags: &mut Diagnostics,
) -> Result<Checked> {
    let catalog = standards::load(path)?;
    let bound = bindings(logs, &catalog)?;
    for w in standards::smart_warnings(&catalog) {
        diags.warn(w);
    }
    let all: Vec<usize> = (0..catalog.standards.len()).collect();
    let mut checked_logs = Vec::new();
    for (source, src) in catalog.sources.iter().enumerate() {
        // --log, else the source's own `path` when that file is there.
        let paths = match bound.get(&src.name) {
            Some(p) => p.clone(),
            None => match &src.path {
                Some(p) if p.is_file() => vec![p.display().to_string()],
                Some(p) => {
                    diags.warn(format!(
                        "source {:?}: its path {} is not there, so its columns were not checked; pass --log {}=PATH",
                        src.name,
                        p.display(),
                        src.name
                    ));
                    continue;
                }
                None => continue,
            },
        };
        let mut reader = Reader::new(
            &catalog,
            source,
            Needs::of(&catalog, source, &all, &[]),
            false,
        );
        for path in &paths {
            let (input, _) = ingest::open_input(path)?;
            let headers = reader.check_header(input, path)?;
            checked_logs.push(CheckedLog {
                path: path.clone(),
                source: src.name.clone(),
                columns: headers.len(),
            });
        }
        value_events(&catalog, source, &paths, diags)?;
    }
    Ok(Checked {
        standards: catalog
            .standards
            .iter()
            .map(|s| CheckedStandard {
                id: s.id.clone(),
                level: s.level.as_str(),
                target: s.target,
                target_max: s.target_max,
                rule: s.rule(),
                file: catalog.files[s.file].path.display().to_string(),
                line: s.line,
            })
            .collect(),
        sources: catalog.sources.len(),
        files: catalog.files.len(),
        logs: checked_logs,
    })
}

/// A value standard reads its number `on` an event: when no row of the logs has that event,
/// every case of it would be missing, which is a misspelt event far more often than a log
/// without one. Only sources with such standards are read in full.
fn value_events(
    catalog: &standards::Catalog,
    source: usize,
    paths: &[String],
    diags: &mut Diagnostics,
) -> Result<()> {
    let ons: Vec<(&str, &str)> = catalog
        .standards
        .iter()
        .filter(|s| s.source == source)
        .filter_map(|s| match &s.kind {
            standards::Kind::Value { on: Some(on), .. } => Some((s.id.as_str(), on)),
            _ => None,
        })
        .flat_map(|(id, on)| on.iter().map(move |e| (id, e.as_str())))
        .collect();
    if ons.is_empty() {
        return Ok(());
    }
    let all: Vec<usize> = (0..catalog.standards.len()).collect();
    let d = ingest::read_source(
        catalog,
        source,
        Needs::of(catalog, source, &all, &[]),
        false,
        paths,
    )?;
    for (id, name) in ons {
        if d.event_id(name)
            .is_none_or(|e| d.event_counts[e as usize] == 0)
        {
            diags.warn(format!(
                "source {:?}: no row of {} has the event {name:?} that value standard {id:?} reads its number on; it would have no case",
                catalog.sources[source].name,
                paths.join(", ")
            ));
        }
    }
    Ok(())
}

/// The trace of case `case` (as written in the log) for the one selected standard.
pub fn explain(l: &Loaded, case: &str) -> Result<String> {
    let s = &l.catalog.standards[l.selected[0]];
    let d = &l.data[&s.source];
    let ci = d.cases.iter().position(|c| &*c.id == case).ok_or_else(|| {
        Error::usage(format!(
            "no case {:?} among the {} cases of source {:?} that standard {:?} reads",
            case,
            d.cases.len(),
            l.catalog.sources[s.source].name,
            s.id
        ))
    })?;
    // The evaluator judges the case, its `where` and its calendar: explain shows its working
    // and re-implements none of its rules.
    let prepared = evaluate::Prepared::new(s, d, Period::default(), l.as_of(s.source));
    Ok(crate::explain::trace(
        &l.catalog,
        s,
        d,
        &prepared,
        ci,
        l.as_of(s.source),
    ))
}
