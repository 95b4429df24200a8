//! `check` (a standards file, and the columns of its logs) and `explain` (one case's working,
//! as the evaluator judges it).

use super::history::{self, History};
use super::{bindings, Diagnostics, Loaded, Request};
use crate::error::{Error, Result};
use crate::evaluate::{self, Period};
use crate::ingest::{self, Needs, Reader};
use crate::standards::{self, Kind};
use crate::time::stamp::rfc3339;

/// What `check` found valid: every standard, and each log whose header has what its source
/// needs. (Warnings go to the diagnostics; errors are all reported, see [`check_all`].)
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
    /// A standard with versions by date: each version, in date order (the entry above is
    /// the latest); absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<CheckedVersion>,
    /// The standard over the whole log, when its source has one (`history`); absent without.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<History>,
}

/// One version of a standard with versions by date, as `check` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckedVersion {
    pub effective_from: Option<String>,
    pub effective_until: Option<String>,
    pub level: &'static str,
    pub target: f64,
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
            for v in &s.versions {
                let dates = match (&v.effective_from, &v.effective_until) {
                    (Some(f), Some(u)) => format!("from {f} until {u}"),
                    (Some(f), None) => format!("from {f}"),
                    (None, Some(u)) => format!("until {u}"),
                    (None, None) => String::new(),
                };
                listing.push_str(&format!(
                    "    version {dates} (line {}): {} target {}%  {}\n",
                    v.line,
                    v.level,
                    match v.target_max {
                        None => v.target.to_string(),
                        Some(hi) => format!("{}-{hi}", v.target),
                    },
                    v.rule
                ));
            }
        }
        for l in &self.logs {
            listing.push_str(&format!(
                "{}: the {} columns have what source {:?} needs\n",
                l.path, l.columns, l.source
            ));
        }
        if self.standards.iter().any(|s| s.history.is_some()) {
            listing.push_str("history of the logs (decided cases; ISO weeks of clock start):\n");
            for s in &self.standards {
                if let Some(h) = &s.history {
                    listing.push_str(&history::line(&s.id, h));
                }
            }
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
    check_all(path, logs, diags).map_err(|errors| errors.into_iter().next().expect("an error"))
}

/// [`check`], with every error it can find: each broken table of each standards file, and
/// each log whose header lacks what its source needs.
pub fn check_all(
    path: &std::path::Path,
    logs: &[(String, String)],
    diags: &mut Diagnostics,
) -> std::result::Result<Checked, Vec<Error>> {
    let catalog = standards::load_all(path)?;
    let bound = bindings(logs, &catalog).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    for w in standards::smart_warnings(&catalog) {
        diags.warn(w);
    }
    let all: Vec<usize> = (0..catalog.standards.len()).collect();
    let mut checked_logs = Vec::new();
    // Sources with a log, whose history is measured once every header is checked.
    let mut measured = Vec::new();
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
        let before = errors.len();
        for path in &paths {
            let headers =
                ingest::open_input(path).and_then(|(input, _)| reader.check_header(input, path));
            match headers {
                Ok(headers) => checked_logs.push(CheckedLog {
                    path: path.clone(),
                    source: src.name.clone(),
                    columns: headers.len(),
                }),
                Err(e) => errors.push(e),
            }
        }
        // A log without its columns would only give its error again.
        if errors.len() == before {
            match value_events(&catalog, source, &paths, diags) {
                Ok(()) => measured.push(source),
                Err(e) => errors.push(e),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let histories = measure_history(path, logs, &catalog, &measured, diags).map_err(|e| vec![e])?;
    Ok(Checked {
        standards: catalog
            .standards
            .iter()
            .zip(histories)
            .map(|(s, history)| CheckedStandard {
                id: s.id.clone(),
                level: s.level.as_str(),
                target: s.target,
                target_max: s.target_max,
                rule: s.rule(),
                file: catalog.files[s.file].path.display().to_string(),
                line: s.line,
                versions: s
                    .versions
                    .iter()
                    .map(|v| CheckedVersion {
                        effective_from: v.effective.from_text(),
                        effective_until: v.effective.until_text(),
                        level: v.level.as_str(),
                        target: v.target,
                        target_max: v.target_max,
                        rule: v.rule(),
                        file: catalog.files[v.file].path.display().to_string(),
                        line: v.line,
                    })
                    .collect(),
                history,
            })
            .collect(),
        sources: catalog.sources.len(),
        files: catalog.files.len(),
        logs: checked_logs,
    })
}

/// Each standard's history (see `history`) when its source is among `measured`, in catalogue
/// order; the standards and logs are loaded as `audit` loads them, with its warnings and
/// errors about the data, except that a log most of whose rows cannot be used is a warning.
/// Standard input has been read for its header already, so a run that reads it measures
/// nothing and says so.
fn measure_history(
    path: &std::path::Path,
    logs: &[(String, String)],
    catalog: &standards::Catalog,
    measured: &[usize],
    diags: &mut Diagnostics,
) -> Result<Vec<Option<History>>> {
    let mut out = vec![None; catalog.standards.len()];
    if measured.is_empty() {
        return Ok(out);
    }
    if logs.iter().any(|(_, p)| p == "-") {
        diags.warn(
            "the history of the logs was not measured: standard input can be read only once, \
             and it was read for its columns; give the log as a file to measure it",
        );
        return Ok(out);
    }
    let mine: Vec<usize> = (0..catalog.standards.len())
        .filter(|&i| measured.contains(&catalog.standards[i].source))
        .collect();
    // (An empty `only` would select every standard, those of sources without a log too.)
    if mine.is_empty() {
        return Ok(out);
    }
    let req = Request {
        standards: path.to_path_buf(),
        logs: logs.to_vec(),
        only: mine
            .iter()
            .map(|&i| catalog.standards[i].id.clone())
            .collect(),
        only_flag: "--only",
        // `check` has no --allow-bad-rows: a log `audit` would refuse is a warning here, so
        // that the check stays a check of the standards and of the logs' columns.
        allow_bad_rows: true,
        ..Request::default()
    };
    let mut l = super::load(&req, |_| Ok(()), diags)?;
    for d in l.data.values() {
        if let Err(e) = super::mostly_bad(d) {
            diags.warn(format!("`audit` stops at this log (exit 2): {e}"));
        }
    }
    l.selected = mine;
    for (&i, h) in l.selected.iter().zip(history::measure(&l)) {
        let s = &l.catalog.standards[i];
        if let Some(w) = history::warning(&l.catalog, s, &h) {
            diags.warn(w);
        }
        out[i] = Some(h);
    }
    Ok(out)
}

/// A value standard reads its number `on` an event: when no row of the logs has that event,
/// every case of it would be missing, which is a misspelt event far more often than a log
/// without one: the warning names the standard's file and line and the closest event value
/// the log has. Only sources with value standards are read in full.
fn value_events(
    catalog: &standards::Catalog,
    source: usize,
    paths: &[String],
    diags: &mut Diagnostics,
) -> Result<()> {
    let ons: Vec<(&standards::Standard, &str)> = catalog
        .standards
        .iter()
        .filter(|s| s.source == source)
        .filter_map(|s| match &s.kind {
            standards::Kind::Value { on: Some(on), .. } => Some((s, on)),
            _ => None,
        })
        .flat_map(|(s, on)| on.iter().map(move |e| (s, e.as_str())))
        .collect();
    let valued = catalog
        .standards
        .iter()
        .any(|s| s.source == source && matches!(s.kind, standards::Kind::Value { .. }));
    if !valued {
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
    // Cells that are not numbers: the history's read of the log warns of them, as an audit.
    // The event values the log has: the wanted ones seen, and the few others noted.
    let seen: Vec<&str> = d
        .event_names
        .iter()
        .enumerate()
        .filter(|&(k, _)| d.event_counts.get(k).is_some_and(|&n| n > 0))
        .map(|(_, n)| n.as_str())
        .chain(d.other_event_values.iter().map(String::as_str))
        .collect();
    for (s, name) in ons {
        if d.event_id(name)
            .is_none_or(|e| d.event_counts[e as usize] == 0)
        {
            let near = crate::error::closest(name, seen.iter().copied().filter(|e| *e != name))
                .map(|e| format!(" (did you mean {e:?}?)"))
                .unwrap_or_default();
            diags.warn(format!(
                "{}:{}: source {:?}: no row of {} has the event {name:?} that value standard {:?} reads its number on (`on`); it would have no case{near}",
                catalog.files[s.file].path.display(),
                s.line,
                catalog.sources[source].name,
                paths.join(", "),
                s.id,
            ));
        }
    }
    Ok(())
}

/// The trace of case `case` (as written in the log) for the one selected standard.
pub fn explain(l: &Loaded, case: &str) -> Result<String> {
    let s = &l.catalog.standards[l.selected[0]];
    let d = &l.data[&s.source];
    let repeat = matches!(s.kind, Kind::Repeat { .. });
    // A repeat standard is judged over its period, which decides who its customers are.
    let period = if repeat { l.period } else { Period::default() };
    let prepared = evaluate::Prepared::new(s, d, period, l.as_of(s.source));
    // A repeat standard with a `customer` column explains a customer: its value names it.
    let customer = match &s.kind {
        Kind::Repeat {
            customer: Some(c), ..
        } => d.attr_index(c).and_then(|col| {
            prepared.customer_case(case).or_else(|| {
                (0..d.cases.len()).find(|&k| d.attr(k, col) != 0 && d.attr_value(k, col) == case)
            })
        }),
        _ => None,
    };
    let found = customer.or_else(|| d.cases.iter().position(|c| &*c.id == case));
    let ci = found.ok_or_else(|| {
        let what = match &s.kind {
            Kind::Repeat {
                customer: Some(c), ..
            } => format!("customer ({c}) or case"),
            _ => "case".to_string(),
        };
        Error::usage(format!(
            "no {what} {:?} among the {} cases of source {:?} that standard {:?} reads",
            case,
            d.cases.len(),
            l.catalog.sources[s.source].name,
            s.id
        ))
    })?;
    // The evaluator judges the case, its `where` and its calendar: explain shows its working
    // and re-implements none of its rules.
    if !s.versions.is_empty() {
        return Ok(explain_versions(l, s, d, &prepared, ci));
    }
    Ok(crate::explain::trace(
        &l.catalog,
        s,
        d,
        &prepared,
        ci,
        l.as_of(s.source),
    ))
}

/// The trace of a case of a standard with versions by date: which version judged each of its
/// clocks (the one in force when it started), and that version's working; clocks that start
/// when none is in force are named, not scored.
fn explain_versions(
    l: &Loaded,
    s: &standards::Standard,
    d: &ingest::SourceData,
    prepared: &evaluate::Prepared,
    ci: usize,
) -> String {
    let as_of = l.as_of(s.source);
    let file = crate::render::escape::terminal(&l.catalog.files[s.file].path.display().to_string())
        .to_string();
    let mut outcomes = Vec::new();
    prepared.case(ci, &mut |o| outcomes.push(*o));
    let tz = l.catalog.files[s.file].timezone;
    let mut out = String::new();
    let n = s.versions.len();
    let number = |v: &standards::Standard| {
        s.versions
            .iter()
            .position(|w| w.effective == v.effective)
            .map_or(0, |k| k + 1)
    };
    let mut traced = 0;
    for p in prepared.versions() {
        let v = p.standard();
        let judged = outcomes.iter().any(|o| {
            o.verdict != evaluate::Verdict::Excluded(evaluate::Exclusion::NoVersion)
                && v.effective.contains(o.start)
        });
        if !judged {
            continue;
        }
        if traced > 0 {
            out.push('\n');
        }
        traced += 1;
        out.push_str(&format!(
            "version   {} of {n}, in force {} ({file}:{}): it judges the clocks that start then\n",
            number(v),
            v.effective.describe(),
            v.line
        ));
        out.push_str(&crate::explain::trace(&l.catalog, v, d, p, ci, as_of));
    }
    let unscored: Vec<&evaluate::Outcome> = outcomes
        .iter()
        .filter(|o| o.verdict == evaluate::Verdict::Excluded(evaluate::Exclusion::NoVersion))
        .collect();
    if traced == 0 {
        // No version judged a clock of the case. A version whose `where` the case fails says
        // so in its trace; else the version in force at the as-of (the report's) says why the
        // case has no clock in its dates.
        let shown = s.shown_at(as_of);
        let p = prepared
            .versions()
            .find(|p| p.failed_filter(ci).is_some())
            .or_else(|| {
                prepared
                    .versions()
                    .find(|p| std::ptr::eq(p.standard(), shown))
            });
        let v = p.map_or(shown, |p| p.standard());
        out.push_str(&format!(
            "version   {} of {n}, in force {} ({file}:{})\n",
            number(v),
            v.effective.describe(),
            v.line
        ));
        if let (Some(p), true) = (p, unscored.is_empty()) {
            out.push_str(&crate::explain::trace(&l.catalog, v, d, p, ci, as_of));
        }
    }
    for o in unscored {
        let local = chrono::DateTime::from_timestamp(o.start, 0).map_or(String::new(), |u| {
            u.with_timezone(&tz)
                .format("%a %Y-%m-%d %H:%M:%S %Z")
                .to_string()
        });
        out.push_str(&format!(
            "\nclock{} starts {local} ({}): no version in force then (the versions are in force {}), so it is not scored\n",
            o.occurrence.map(|k| format!(" (occurrence {k})")).unwrap_or_default(),
            rfc3339(o.start, chrono_tz::Tz::UTC),
            s.versions
                .iter()
                .map(|v| v.effective.describe())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    out
}
