//! `trend`: compliance per standard over the last N weeks or months, with the change against
//! the period before and the error budget; outcomes are counted per period as they come.

use super::audit::note_excluded;
use super::pipeline::{self, Exclusions};
use super::{Diagnostics, Loaded};
use crate::evaluate::{Outcome, Period};
use crate::report::{self, Every, TrendCounts, TrendReport};
use crate::time::stamp::rfc3339;

/// The trend of the loaded standards over `periods` periods of `every`, the last one holding
/// the as-of.
pub fn trend(l: Loaded, every: Every, periods: u32, diags: &mut Diagnostics) -> TrendReport {
    let tz = l.timezone();
    let spans = report::last_periods(every, periods, l.as_of, tz);
    let period = Period {
        since: spans.first().map(|p| p.since_s),
        until: spans.last().map(|p| p.until_s),
    };
    let prepared = pipeline::prepare(&l, period);
    let parts = pipeline::fold(
        &l,
        &prepared,
        |_| (Exclusions::default(), TrendCounts::new(&spans)),
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
        rows.extend(counts.rows_shown(&l.catalog, s, l.as_of(s.source)));
    }
    TrendReport {
        schema_version: report::SCHEMA_VERSION,
        every,
        as_of: rfc3339(l.as_of, chrono_tz::Tz::UTC),
        trend: rows,
        periods: spans,
        inputs: l.data.into_values().flat_map(|d| d.inputs).collect(),
    }
}
