//! A standard with versions by date, made ready for a source: each version prepared on its own
//! dates (cut to the audited period), and each case handed to the versions whose dates its
//! events reach, so that the version in force when a clock starts judges it. Clocks that start
//! when no version is in force are found by a neighbouring version (every version starts its
//! clocks on the same events: `standards/versions.rs`) and not scored: `no version in force`.
//!
//! The choice costs a case two comparisons per version (its first and last instants against
//! the version's dates) and no pass over its events: only a case whose events straddle a change
//! of version is read by the versions on both sides, each keeping the clocks that start in its
//! dates, as the period keeps the clocks that start in it.

use super::{Exclusion, Outcome, Period, Prepared, Verdict};
use crate::ingest::SourceData;
use crate::standards::Standard;

pub(super) struct Versions<'a> {
    data: &'a SourceData,
    /// Each version in force at some instant of the period: its dates cut to the period (the
    /// clock starts it judges), and the version made ready with that period.
    versions: Vec<(Period, Prepared<'a>)>,
    /// The spans of the period with no version in force, each with a neighbouring version that
    /// finds the clocks starting in it.
    gaps: Vec<(Period, Prepared<'a>)>,
}

/// `a` cut to `b`; `None` when nothing is left.
fn cut(a: Period, b: Period) -> Option<Period> {
    let since = match (a.since, b.since) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    let until = match (a.until, b.until) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    match (since, until) {
        (Some(s), Some(u)) if s >= u => None,
        _ => Some(Period { since, until }),
    }
}

/// A stretch of the audited period and the version that finds the clocks starting in it:
/// the version in force then (`in_force`), or, where none is, a neighbouring one whose
/// clocks are not scored ("no version in force").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span<'a> {
    pub period: Period,
    pub version: &'a Standard,
    pub in_force: bool,
}

/// The spans of `period` for a standard with versions by date, in date order of the
/// versions (each version's span before the gap after it): the one rule by which `audit`
/// and `yardstick sql` hand a clock start to a version. Empty for a standard without dates.
pub(crate) fn spans(standard: &Standard, period: Period) -> Vec<Span<'_>> {
    let dates = |v: &Standard| Period {
        since: v.effective.from.map(|(_, t)| t),
        until: v.effective.until.map(|(_, t)| t),
    };
    let mut out = Vec::new();
    // The instant up to which some version was in force, going through them in date order.
    let mut covered: Option<i64> = None;
    let mut first = true;
    for v in &standard.versions {
        let d = dates(v);
        // Before this version and after the one before it, none is in force.
        let gap = match (first, d.since) {
            (true, Some(s)) => Some(Period {
                since: None,
                until: Some(s),
            }),
            (false, Some(s)) if covered.is_some_and(|c| c < s) => Some(Period {
                since: covered,
                until: Some(s),
            }),
            _ => None,
        };
        if let Some(g) = gap.and_then(|g| cut(g, period)) {
            out.push(Span {
                period: g,
                version: v,
                in_force: false,
            });
        }
        if let Some(w) = cut(d, period) {
            out.push(Span {
                period: w,
                version: v,
                in_force: true,
            });
        }
        covered = d.until;
        first = false;
    }
    if let (Some(until), Some(last)) = (covered, standard.versions.last()) {
        let after = Period {
            since: Some(until),
            until: None,
        };
        if let Some(g) = cut(after, period) {
            out.push(Span {
                period: g,
                version: last,
                in_force: false,
            });
        }
    }
    out
}

impl<'a> Versions<'a> {
    /// The versions of `standard`, made ready; `None` for a standard without dates.
    pub(super) fn new(
        standard: &'a Standard,
        data: &'a SourceData,
        period: Period,
        as_of: i64,
    ) -> Option<Box<Versions<'a>>> {
        if standard.versions.is_empty() {
            return None;
        }
        let mut versions = Vec::new();
        let mut gaps = Vec::new();
        for span in spans(standard, period) {
            let p = Prepared::new(span.version, data, span.period, as_of);
            match span.in_force {
                true => versions.push((span.period, p)),
                false => gaps.push((span.period, p)),
            }
        }
        Some(Box::new(Versions {
            data,
            versions,
            gaps,
        }))
    }

    /// The outcomes of case `ci`, each from the version in force when its clock started, or
    /// not scored when none was.
    pub(super) fn case(&self, ci: usize, sink: &mut impl FnMut(&Outcome)) {
        let d = self.data;
        let case = &d.cases[ci];
        // Every clock starts at an event of the case, or (a deadline standard without `from`)
        // at its first row.
        let events = case.events.as_slice(&d.event_store);
        let seen = (case.first_seen != i64::MAX).then_some(case.first_seen);
        let lo = events.first().map(|e| e.t()).into_iter().chain(seen).min();
        let hi = events.last().map(|e| e.t()).into_iter().chain(seen).max();
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return;
        };
        let reaches =
            |w: &Period| w.since.is_none_or(|s| hi >= s) && w.until.is_none_or(|u| lo < u);
        for (w, p) in &self.versions {
            if reaches(w) {
                p.case(ci, sink);
            }
        }
        for (w, p) in &self.gaps {
            if reaches(w) {
                let mut unscored = |o: &Outcome| {
                    sink(&Outcome {
                        verdict: Verdict::Excluded(Exclusion::NoVersion),
                        ..Outcome::new(o.case, o.occurrence, o.start)
                    })
                };
                // Behind a `dyn`, so that the compiler makes one more `Prepared::case`, not one
                // per wrapping.
                let mut sink: &mut dyn FnMut(&Outcome) = &mut unscored;
                p.case(ci, &mut sink);
            }
        }
    }
}

impl<'a> Prepared<'a> {
    /// A standard with versions by date: each version in force in the period, made ready on
    /// its dates, in date order (`explain` traces the one that judged a case); none otherwise.
    pub fn versions(&self) -> impl Iterator<Item = &Prepared<'a>> {
        self.versions
            .iter()
            .flat_map(|v| v.versions.iter().map(|(_, p)| p))
    }

    /// The standard (or version) made ready.
    pub fn standard(&self) -> &'a Standard {
        self.standard
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(since: Option<i64>, until: Option<i64>) -> Period {
        Period { since, until }
    }

    #[test]
    fn dates_are_cut_to_the_period_and_nothing_left_is_none() {
        // Open ends take the other's; closed ends the narrower.
        assert_eq!(
            cut(p(None, Some(10)), p(None, None)),
            Some(p(None, Some(10)))
        );
        assert_eq!(
            cut(p(Some(5), None), p(None, Some(8))),
            Some(p(Some(5), Some(8)))
        );
        assert_eq!(
            cut(p(Some(0), Some(10)), p(Some(3), Some(20))),
            Some(p(Some(3), Some(10)))
        );
        // Half-open: touching is empty.
        assert_eq!(cut(p(None, Some(10)), p(Some(10), None)), None);
        assert_eq!(cut(p(Some(10), Some(20)), p(Some(0), Some(9))), None);
    }
}
