//! `audit`: compliance, variance and pass/fail per standard (and group), from one pass over
//! the cases; the weekly trend of the HTML page and the workbook's breaches come from the same
//! pass.

use super::pipeline::{self, Exclusions};
use super::{Diagnostics, Loaded};
use crate::evaluate::{self, Outcome};
use crate::ingest::SourceData;
use crate::report::{self, Dim, Report};
use crate::standards::{self, Catalog, Layout};

/// What the audit's report holds besides the summary rows.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// Groups (`--by`).
    pub dims: Vec<Dim>,
    /// Each standard's weekly points (the HTML page's trend).
    pub weekly: bool,
    /// Every breach, with its attributes (the workbook's breaches sheet).
    pub breaches: bool,
    /// A standard or group with no decided case falls short (`--on-empty fail`).
    pub empty_fails: bool,
    /// Warn about each standard or group with no decided case (`--on-empty warn`).
    pub warn_empty: bool,
}

/// Whether a row falls short: it failed, or it has no data and `empty_fails`.
pub fn falls_short(r: &report::Row, empty_fails: bool) -> bool {
    match r.passed {
        Some(passed) => !passed,
        None => empty_fails,
    }
}

/// The audit of the loaded standards.
pub fn audit(l: Loaded, opts: &AuditOptions, diags: &mut Diagnostics) -> Report {
    for &i in &l.selected {
        let s = &l.catalog.standards[i];
        // Every version of a standard with versions by date, each reason once.
        let mut said = Vec::new();
        for why in s.each_version().filter_map(standards::futile) {
            if !said.contains(&why) {
                diags.warn(format!("standard {:?} {why}", s.id));
                said.push(why);
            }
        }
    }
    // Per standard: its summary (with the weekly trend for the HTML page), its outcomes not
    // scored, and its breaches (for the workbook).
    type Part<'s> = (report::Summary<'s>, Exclusions, Vec<Outcome>);
    let prepared = pipeline::prepare(&l, |s| l.period_of(s));
    let init = |j: usize| -> Part {
        let s = &l.catalog.standards[l.selected[j]];
        let summary = report::Summary::new(&l.catalog, s, &l.data[&s.source], &opts.dims)
            .with_end(l.period_end(s.source));
        let summary = if opts.weekly {
            summary.with_weekly()
        } else {
            summary
        };
        (summary, Exclusions::default(), Vec::new())
    };
    let add = |(summary, excluded, breaches): &mut Part, o: &Outcome| {
        excluded.add(o);
        if opts.breaches {
            pipeline::keep_breached(breaches, o);
        }
        summary.add(o);
    };
    // Values sorted on every core, so that the merge below only interleaves sorted lists.
    let settle = |(summary, ..): &mut Part| summary.settle();
    let parts = pipeline::fold(&l, &prepared, init, add, settle);
    // Each standard's parts (one per thread) merged and finished, standards on every core.
    let parts: Vec<std::sync::Mutex<Vec<Part>>> =
        parts.into_iter().map(std::sync::Mutex::new).collect();
    let order: Vec<usize> = (0..parts.len()).collect();
    let finish = |done: &mut Vec<_>, &j: &usize| {
        let mine = std::mem::take(&mut *parts[j].lock().expect("each standard once"));
        let mut mine = mine.into_iter();
        let (mut summary, mut excluded, breaches) = mine.next().expect("a part per thread");
        let mut all_breaches = vec![breaches];
        for (s, e, b) in mine {
            summary.merge(s);
            excluded.merge(e);
            all_breaches.push(b);
        }
        let breaches = pipeline::in_case_order(all_breaches);
        done.push((j, summary.finish(), excluded, breaches));
    };
    let mut summaries: Vec<_> = pipeline::parallel_fold(&order, Vec::new, finish, |_| {})
        .into_iter()
        .flatten()
        .collect();
    summaries.sort_by_key(|(j, ..)| *j);
    let mut rows = Vec::new();
    let mut breach_list = Vec::new();
    for (j, (&i, (_, mut standard_rows, excluded, breaches))) in
        l.selected.iter().zip(summaries).enumerate()
    {
        let s = &l.catalog.standards[i];
        if let Some(p) = prepared[j].repeat_period() {
            for r in &mut standard_rows {
                r.repeat = Some(report::RepeatWindow::new(
                    p,
                    s.within_text.as_deref().unwrap_or_default(),
                ));
            }
        }
        let d = &l.data[&s.source];
        let mut filters: Vec<&Vec<(String, Vec<String>)>> = Vec::new();
        for v in s.each_version() {
            if !filters.contains(&&v.filter) {
                filters.push(&v.filter);
                note_filter(v, d, diags);
            }
        }
        note_excluded(&l.catalog, s, &excluded, diags);
        if opts.breaches {
            breach_list.extend(report::breaches(&l.catalog, s, d, &breaches));
        }
        rows.extend(standard_rows);
    }
    if opts.warn_empty {
        for r in rows.iter().filter(|r| r.passed.is_none()) {
            diags.warn(no_data_message(r));
        }
    }
    Report {
        schema_version: report::SCHEMA_VERSION,
        passed: !rows.iter().any(|r| falls_short(r, opts.empty_fails)),
        period: l.info,
        standards: rows,
        // The cases are not freed one by one: the process ends right after the report.
        inputs: l
            .data
            .into_values()
            .flat_map(|mut d| {
                let inputs = std::mem::take(&mut d.inputs);
                std::mem::forget(d);
                inputs
            })
            .collect(),
        breaches: breach_list,
    }
}

/// The stderr line for a standard (or group) with no decided case.
fn no_data_message(r: &report::Row) -> String {
    let group = match &r.group {
        Some(g) => format!(" [{}]", g.label()),
        None => String::new(),
    };
    format!(
        "standard {:?}{group}: no decided case in the period ({} open, {} excluded); reported as no data (--on-empty fail makes this fail the run)",
        r.id, r.open, r.excluded
    )
}

/// `where` values that no case of the log has: almost always a misspelling, which would
/// otherwise pass as "no data".
fn note_filter(s: &standards::Standard, d: &SourceData, diags: &mut Diagnostics) {
    for (col, values) in &s.filter {
        let Some(i) = d.attr_index(col) else { continue };
        let seen = &d.attr_values[i];
        for v in values {
            if !seen.iter().any(|x| evaluate::value_matches(v, x)) {
                let mut some: Vec<String> = seen
                    .iter()
                    .skip(1)
                    .take(12)
                    .map(|x| format!("{x:?}"))
                    .collect();
                if seen.len() > 13 {
                    some.push("...".into());
                }
                diags.warn(format!(
                    "standard {:?}: `where` {col} = {v:?} matches no case in the log; the values of {col} are: {}",
                    s.id,
                    if some.is_empty() { "none".to_string() } else { some.join(", ") }
                ));
            }
        }
    }
}

/// Warns about cases not scored, from the count of excluded outcomes per reason, and about
/// case-table milestones before the clock's start (`early` of them).
pub(super) fn note_excluded(
    catalog: &Catalog,
    s: &standards::Standard,
    excluded: &Exclusions,
    diags: &mut Diagnostics,
) {
    let (reasons, early) = (&excluded.reasons, excluded.early);
    // In a case table each milestone happens once, so a `to` before the start is an
    // impossible order in the export; in event logs events recur and it is no news.
    let table = matches!(catalog.sources[s.source].layout, Layout::Cases { .. });
    if table && early > 0 {
        diags.warn(format!(
            "standard {:?}: {early} case(s) have their `to` milestone before the clock's start, \
             an impossible order: it does not stop the clock, so they count as open or breached \
             (check the export; `yardstick explain` shows a case)",
            s.id
        ));
    }
    if let Some(n) = reasons.get(&evaluate::Exclusion::NoCalendar) {
        diags.warn(format!(
            "standard {:?}: {n} case(s) have a `calendar.by` value with no calendar in `map` and no `default`; they are not scored",
            s.id
        ));
    }
    if let (Some(n), standards::Kind::Repeat { customer, .. }) =
        (reasons.get(&evaluate::Exclusion::NoCustomer), &s.kind)
    {
        diags.warn(format!(
            "standard {:?}: {n} case(s) with a `returns` event in the look-back have an empty {} and belong to no customer; they are not scored",
            s.id,
            customer.as_deref().unwrap_or("customer")
        ));
    }
    if let Some(n) = reasons.get(&evaluate::Exclusion::NoVersion) {
        let dates: Vec<String> = s.versions.iter().map(|v| v.effective.describe()).collect();
        diags.warn(format!(
            "standard {:?}: {n} case(s) start when no version of it is in force (its versions are in force {}); they are not scored",
            s.id,
            dates.join("; ")
        ));
    }
    if let (Some(n), standards::Kind::Value { column, .. }) =
        (reasons.get(&evaluate::Exclusion::NoValue), &s.kind)
    {
        diags.warn(format!(
            "standard {:?}: {n} case(s) have no number in {column} and are not scored (\"no value\"; `yardstick explain` shows a case)",
            s.id
        ));
    }
    if let (Some(n), standards::Kind::Value { column, .. }) =
        (reasons.get(&evaluate::Exclusion::NotANumber), &s.kind)
    {
        diags.warn(format!(
            "standard {:?}: {n} case(s) have text that is not a number in {column} and are not scored (\"not a number\"; `yardstick explain` shows a case)",
            s.id
        ));
    }
    if let Some(n) = reasons.get(&evaluate::Exclusion::NoDeadline) {
        diags.warn(format!(
            "standard {:?}: {n} case(s) have no deadline value and are not scored",
            s.id
        ));
    }
}
