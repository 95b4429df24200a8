//! `breaches`: one row per breached case (or occurrence), worst first with `top`, or counted
//! per attribute value with `by`. Only the breached outcomes are kept (a year of a large desk
//! has millions of cases), and made into rows only when listed.

use super::pipeline;
use super::Loaded;
use crate::evaluate::Outcome;
use crate::report::{self, BreachCount, BreachCounts, BreachReport};

/// A breach listing, or breach counts per value of the `by` columns.
pub enum Breaches {
    List(BreachReport),
    Counts(BreachCounts),
}

/// The breaches of the loaded standards: each standard's `top` worst (all without it), or,
/// with `by` columns, how many each value has.
/// `columns` are the attributes the table shows for every standard, after its own `where`
/// columns.
pub fn breaches(
    l: Loaded,
    top: Option<usize>,
    by: Option<Vec<String>>,
    columns: &[String],
) -> Breaches {
    let prepared = pipeline::prepare(&l, |s| l.period_of(s));
    let parts = pipeline::fold(
        &l,
        &prepared,
        |_| Vec::new(),
        |list: &mut Vec<Outcome>, o| pipeline::keep_breached(list, o),
        |_| {},
    );
    let (mut list, mut counts): (Vec<report::Breach>, Vec<BreachCount>) = (Vec::new(), Vec::new());
    let mut shown = std::collections::BTreeMap::new();
    for (&i, parts) in l.selected.iter().zip(parts) {
        let s = &l.catalog.standards[i];
        let d = &l.data[&s.source];
        let mut named: Vec<String> = s.filter.iter().map(|(c, _)| c.clone()).collect();
        for c in columns {
            if !named.contains(c) {
                named.push(c.clone());
            }
        }
        shown.insert(s.id.clone(), named);
        let mut breached = pipeline::in_case_order(parts);
        match top {
            Some(n) if matches!(s.kind, crate::standards::Kind::Value { .. }) => {
                report::worst_first_valued(&l.catalog, s, &mut breached, n)
            }
            Some(n) => report::worst_first(&mut breached, n),
            None => {}
        }
        match &by {
            Some(by) => counts.extend(report::count_breached(s, d, &breached, by)),
            None => list.extend(report::breaches(&l.catalog, s, d, &breached)),
        }
    }
    let inputs = l.data.into_values().flat_map(|d| d.inputs).collect();
    match by {
        Some(by) => Breaches::Counts(BreachCounts {
            schema_version: report::SCHEMA_VERSION,
            period: l.info,
            counts,
            by,
            inputs,
        }),
        None => Breaches::List(BreachReport {
            schema_version: report::SCHEMA_VERSION,
            period: l.info,
            breaches: list,
            inputs,
            shown,
        }),
    }
}
