//! `trend`: compliance per standard over the last N weeks or months (no earlier than its log's
//! first period; the running one marked partial), with the change against the period before
//! and the error budget; outcomes are counted per period as they come.

use std::collections::BTreeMap;

use super::audit::note_excluded;
use super::pipeline::{self, Exclusions};
use super::{Diagnostics, Loaded};
use crate::error::{Error, Result};
use crate::evaluate::{Outcome, Period};
use crate::report::{self, Every, Span, TrendCounts, TrendReport};
use crate::standards::{Kind, Standard};
use crate::time::stamp::rfc3339;

fn is_repeat(s: &Standard) -> bool {
    matches!(s.kind, Kind::Repeat { .. })
}

/// `trend` of repeat standards alone has nothing to show: an error naming them (with other
/// standards, [`trend`] leaves them out with a warning).
pub fn check_trend(l: &Loaded) -> Result<()> {
    let repeat: Vec<&str> = l
        .selected
        .iter()
        .map(|&i| &l.catalog.standards[i])
        .filter(|s| is_repeat(s))
        .map(|s| s.id.as_str())
        .collect();
    if !repeat.is_empty() && repeat.len() == l.selected.len() {
        return Err(Error::usage(format!(
            "trend: standard {:?} is a repeat rate, one figure for a whole period whose customers are those of the look-back before it, so it has no weekly or monthly trend; audit it per period instead: yardstick audit --only {} --since DATE --until DATE",
            repeat[0], repeat[0]
        )));
    }
    Ok(())
}

/// The trend of the loaded standards over `periods` periods of `every`, the last one holding
/// the as-of. Each source's periods are its own: cut in its zone, ending with its as-of, and
/// starting no earlier than the period of its first event.
pub fn trend(mut l: Loaded, every: Every, periods: u32, diags: &mut Diagnostics) -> TrendReport {
    // A repeat rate is one figure per period, its cases the customers of the look-back before
    // it: none of them starts inside a week of the trend, so the trend leaves it out.
    let catalog = &l.catalog;
    l.selected.retain(|&i| {
        let s = &catalog.standards[i];
        let keep = !is_repeat(s);
        if !keep {
            diags.warn(format!(
                "standard {:?} is a repeat rate, one figure for a whole period: trend leaves it out (audit it per period with --since and --until)",
                s.id
            ));
        }
        keep
    });
    let spans: BTreeMap<usize, Vec<Span>> = l
        .data
        .iter()
        .map(|(&source, d)| {
            // A case with no time at all has no first time (MAX).
            let first = d
                .cases
                .iter()
                .map(|c| c.first_seen)
                .filter(|&t| t != i64::MAX)
                .min();
            let spans =
                report::fitted_periods(every, periods, l.as_of(source), l.zone(source), first);
            (source, spans)
        })
        .collect();
    let period_of = |source: usize| Period {
        since: spans[&source].first().map(|p| p.since_s),
        until: spans[&source].last().map(|p| p.until_s),
    };
    let prepared = pipeline::prepare(&l, period_of);
    let source_of = |j: usize| l.catalog.standards[l.selected[j]].source;
    let parts = pipeline::fold(
        &l,
        &prepared,
        |j| {
            (
                Exclusions::default(),
                TrendCounts::new(&spans[&source_of(j)]),
            )
        },
        |(excluded, counts): &mut (Exclusions, TrendCounts), o: &Outcome| {
            excluded.add(o);
            counts.add(o);
        },
        |_| {},
    );
    let mut rows = Vec::new();
    for (&i, parts) in l.selected.iter().zip(parts) {
        let s = &l.catalog.standards[i];
        let mut parts = parts.into_iter();
        let (mut excluded, mut counts) = parts.next().expect("a part per thread");
        for (e, c) in parts {
            excluded.merge(e);
            counts.merge(c);
        }
        note_excluded(&l.catalog, s, &excluded, diags);
        let as_of = l.as_of(s.source);
        let mut mine = counts.rows_shown(&l.catalog, s, as_of);
        for (row, span) in mine.iter_mut().zip(&spans[&s.source]) {
            row.partial = as_of < span.until_s;
        }
        rows.extend(mine);
    }
    // Every span once, oldest first: two zones may give one label two spans.
    let mut all: Vec<Span> = spans.into_values().flatten().collect();
    all.sort_by(|a, b| (a.since_s, &a.timezone).cmp(&(b.since_s, &b.timezone)));
    all.dedup_by(|a, b| a.period == b.period && a.timezone == b.timezone);
    TrendReport {
        schema_version: report::SCHEMA_VERSION,
        every,
        as_of: rfc3339(l.as_of, chrono_tz::Tz::UTC),
        trend: rows,
        periods: all,
        inputs: l.data.into_values().flat_map(|d| d.inputs).collect(),
    }
}
