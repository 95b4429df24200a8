//! `check` on the history of its logs: SMART's "achievable" and "relevant", measured. Every
//! checked standard whose source has a log is judged on the whole log through the one outcome
//! pipeline (`pipeline`, folded into the audit's own `report::Summary`, with its ISO weeks),
//! and three findings become warnings: a standard with no case at all in the log (not
//! relevant to this export, or a name spelt differently there), one whose target no week
//! reached (not achievable as set), one at 100% every week (a target that measures nothing).
//! Warnings only: the exit status of `check` says whether the standards are valid and the
//! logs fit them, never how the service did (that is `audit`'s exit 1).

use super::pipeline;
use super::Loaded;
use crate::report::{PeriodPoint, Summary};
use crate::standards::{Catalog, Standard};

/// One standard over the whole log: its counts and compliance, and the same per ISO week of
/// clock start (in the standards file's time zone; weeks without a case are left out).
#[derive(Debug, Clone, serde::Serialize)]
pub struct History {
    pub cases: u64,
    pub met: u64,
    pub breached: u64,
    pub open: u64,
    pub excluded: u64,
    pub compliance: Option<f64>,
    pub weeks: Vec<PeriodPoint>,
}

/// The history of each selected standard of `l`, in `l.selected` order.
pub fn measure(l: &Loaded) -> Vec<History> {
    let prepared = pipeline::prepare(l, |s| l.period_of(s));
    let parts = pipeline::fold(
        l,
        &prepared,
        |j| {
            let s = &l.catalog.standards[l.selected[j]];
            Summary::new(&l.catalog, s, &l.data[&s.source], &[]).with_weekly()
        },
        |summary: &mut Summary, o| summary.add(o),
        |summary| summary.settle(),
    );
    parts
        .into_iter()
        .map(|mine| {
            let mut mine = mine.into_iter();
            let mut summary = mine.next().expect("a part per thread");
            for other in mine {
                summary.merge(other);
            }
            let row = summary
                .finish()
                .pop()
                .expect("a summary without groups has one row");
            History {
                cases: row.cases,
                met: row.met,
                breached: row.breached,
                open: row.open,
                excluded: row.excluded,
                compliance: row.compliance,
                weeks: row.weekly,
            }
        })
        .collect()
}

fn weeks(n: usize) -> String {
    format!("{n} week{}", if n == 1 { "" } else { "s" })
}

fn percent(c: f64) -> String {
    format!("{c:.1}%")
}

/// The target as `check` lists it: `95%`, or `30-50%` for a range.
fn target(s: &Standard) -> String {
    match s.target_max {
        None => format!("{}%", s.target),
        Some(hi) => format!("{}-{hi}%", s.target),
    }
}

/// The targets of a standard's versions (one without versions is its own only one), the
/// same written once: `95%`, or `80% or 90%`.
fn targets(versions: &[&Standard]) -> String {
    let mut all: Vec<String> = Vec::new();
    for v in versions {
        let t = target(v);
        if !all.contains(&t) {
            all.push(t);
        }
    }
    all.join(" or ")
}

/// The warning about standard `s`'s history `h`, when it has one (see the module's doc).
pub fn warning(catalog: &Catalog, s: &Standard, h: &History) -> Option<String> {
    let at = format!("{}:{}", catalog.files[s.file].path.display(), s.line);
    if h.cases + h.excluded == 0 {
        return Some(format!(
            "{at}: standard {:?} has no case in the log of source {:?}: it is not relevant to \
             this export, or an event or `where` value it names is spelt differently there \
             (relevant)",
            s.id, catalog.sources[s.source].name
        ));
    }
    let decided = decided_weeks(h);
    if decided.is_empty() {
        return None;
    }
    if decided.iter().all(|(w, _)| w.breached == 0) {
        return Some(format!(
            "{at}: standard {:?} was at 100% in every week of the log ({} with a decided case; \
             {} cases met, none breached): a standard no case falls short of measures \
             nothing (measurable)",
            s.id,
            decided.len(),
            h.met
        ));
    }
    // A standard with versions by date: a week passes when it meets some version's target,
    // since weeks are not cut at a change; only a week no version would pass is surely short.
    let versions: Vec<&Standard> = match s.versions.is_empty() {
        true => vec![s],
        false => s.versions.iter().collect(),
    };
    if !decided
        .iter()
        .any(|&(_, c)| versions.iter().any(|v| v.passes(c)))
    {
        // The week nearest a target (for a range, from below or above); the earliest of equals.
        let gap = |c: f64| {
            versions
                .iter()
                .map(|v| v.target_variance(c).abs())
                .fold(f64::INFINITY, f64::min)
        };
        let (nearest, c) = decided
            .iter()
            .copied()
            .reduce(|a, b| if gap(b.1) < gap(a.1) { b } else { a })
            .expect("a decided week");
        return Some(format!(
            "{at}: standard {:?} did not reach its target of {} in any week of the log ({} with \
             a decided case; nearest: {} at {}): not achievable as set (achievable)",
            s.id,
            targets(&versions),
            decided.len(),
            nearest.period,
            percent(c)
        ));
    }
    None
}

/// The weeks of `h` with a decided case, with their compliance.
fn decided_weeks(h: &History) -> Vec<(&PeriodPoint, f64)> {
    h.weeks
        .iter()
        .filter_map(|w| w.compliance.map(|c| (w, c)))
        .collect()
}

/// One line of `check`'s text for a standard's history: the compliance over the log, and its
/// best and worst week (the earliest of equals).
pub fn line(id: &str, h: &History) -> String {
    let body = match h.compliance {
        None if h.cases + h.excluded == 0 => "no case in the log".to_string(),
        None => format!("no decided case ({} open, {} excluded)", h.open, h.excluded),
        Some(c) => {
            let open = match h.open {
                0 => String::new(),
                n => format!(", {n} open"),
            };
            let mut body = format!(
                "{} over the log ({} of {} met{open})",
                percent(c),
                h.met,
                h.met + h.breached
            );
            let points = decided_weeks(h);
            let pick = |better: fn(f64, f64) -> bool| {
                points
                    .iter()
                    .copied()
                    .reduce(|a, b| if better(b.1, a.1) { b } else { a })
            };
            if let (Some(hi), Some(lo)) = (pick(|b, a| b > a), pick(|b, a| b < a)) {
                body.push_str(&format!(
                    "; {}: best {} {}, worst {} {}",
                    weeks(points.len()),
                    hi.0.period,
                    percent(hi.1),
                    lo.0.period,
                    percent(lo.1)
                ));
            }
            body
        }
    };
    format!("  {id:<28} {body}\n")
}
