//! Warnings about standards that are valid but not SMART, or that can never fail or never
//! apply (for `check`, and `audit` once).

use std::sync::Arc;

use super::{Catalog, Kind, Standard};
use crate::time::duration::Within;

/// Warnings about standards that are valid but not SMART.
pub fn smart_warnings(catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for def in &catalog.calendars {
        let used = catalog
            .standards
            .iter()
            .flat_map(|s| s.each_version())
            .any(|s| {
                s.calendar
                    .all()
                    .iter()
                    .any(|c| Arc::ptr_eq(c, &def.calendar))
            });
        if !used {
            out.push(format!(
                "{}:{}: calendar {:?} is not used by any standard",
                catalog.files[def.file].path.display(),
                def.line,
                def.calendar.name
            ));
        }
    }
    for s in catalog.standards.iter().flat_map(|s| s.each_version()) {
        let at = format!("{}:{}", catalog.files[s.file].path.display(), s.line);
        if s.title.is_none() {
            out.push(format!(
                "{at}: standard {:?} has no title: say in words what is promised (specific)",
                s.id
            ));
        }
        if let Kind::Count { within: None, .. } = s.kind {
            out.push(format!("{at}: standard {:?} has no time bound: give `within` so that the count has a window (time-bound)", s.id));
        }
        // A range below 100% (`[0, 50]`) can still fail, by being above it.
        if s.target_given && s.target == 0.0 && s.target_max.is_none_or(|hi| hi >= 100.0) {
            out.push(format!(
                "{at}: standard {:?} has a target of 0%: it can never fall short (measurable)",
                s.id
            ));
        }
        if let Some(Within::Span(0)) = s.kind.within() {
            out.push(format!("{at}: standard {:?} has a limit of 0s: only events at the same instant meet it (achievable)", s.id));
        }
        if let Some(why) = futile(s) {
            out.push(format!("{at}: standard {:?} {why}", s.id));
        }
    }
    out
}

/// Why a standard can never fail or never apply, when it cannot: the same event starts and
/// stops its clock, exempts every case at its start, or both pauses and resumes it. An `each`
/// and a `to` may share a name: an event never stops its own clock, so that is a periodic
/// update ("every update is followed by another within 24h"), not a clock stopped at 0s.
pub fn futile(s: &Standard) -> Option<String> {
    let shared = |a: &[String], b: &[String]| a.iter().find(|x| b.contains(x)).cloned();
    // Every start event is also in `b` (a clock starts at whichever comes first, so one start
    // event outside `b` is enough for the standard to measure something).
    let covered = |a: &[String], b: &[String]| {
        (!a.is_empty() && a.iter().all(|x| b.contains(x))).then(|| a[0].clone())
    };
    let (starts, start_key, stops) = match &s.kind {
        Kind::Elapsed { from, to, .. } => (from.as_slice(), "from", Some(to.as_slice())),
        Kind::Each { each, .. } => (each.as_slice(), "each", None),
        Kind::Count { from, .. } => (from.as_slice(), "from", None),
        Kind::Deadline { from, .. } => (from.as_deref().unwrap_or(&[]), "from", None),
        Kind::Repeat { returns, .. } => (returns.as_slice(), "returns", None),
        Kind::Value { on, .. } => (on.as_deref().unwrap_or(&[]), "on", None),
    };
    if let Some(name) = stops.and_then(|to| covered(starts, to)) {
        return Some(format!(
            "can never fail: `{start_key}` and `to` share {name:?}, so the event that starts \
             a clock also stops it after 0s"
        ));
    }
    if let Some(name) = covered(starts, &s.unless) {
        return Some(format!(
            "never applies: `{start_key}` and `unless` share {name:?}, so every case is exempt \
             from the moment its clock starts"
        ));
    }
    if let Some(name) = shared(&s.pause_on, &s.resume_on) {
        return Some(format!(
            "pauses nothing as meant: `pause_on` and `resume_on` share {name:?}, so each such \
             event both pauses and resumes the clock"
        ));
    }
    None
}
