//! A repeat standard (`returns`, `within`, optional `customer`) -> its CTEs, by the rules of
//! `evaluate::Repeat`: the period (the audit's, or the last `within` before the as-of), each
//! case's first `returns` event in the look-back `[since - within, since)` and first in the
//! period `[since, until)`, the customers those cases make (one per case, or one per value of
//! the `customer` column), and one outcome per customer: met when it came back in the
//! period, breached when the period is over at the as-of without a return, open before then.
//! Knows the SQL of the source only by its CTE names.

use chrono_tz::Tz;

use crate::evaluate::Period;
use crate::report::Dim;
use crate::standards::{Kind, Standard};

use super::expr::Bucket;
use super::kinds::{filter, StandardSql};
use super::source::SourceSql;
use super::Dialect;

/// The columns a repeat standard reads as attributes: its `customer` column.
pub fn columns(s: &Standard) -> impl Iterator<Item = &String> {
    match &s.kind {
        Kind::Repeat { customer, .. } => customer.as_ref(),
        _ => None,
    }
    .into_iter()
}

/// The SQL of standard number `k` when it is a repeat standard; `None` for any other kind.
pub fn compile(
    d: Dialect,
    k: usize,
    s: &Standard,
    src: &SourceSql,
    dims: &[Dim],
    report_tz: Tz,
    p: Period,
) -> Option<StandardSql> {
    let Kind::Repeat {
        returns,
        within,
        customer,
    } = &s.kind
    else {
        return None;
    };
    let name = |what: &str| format!("s{k}_{what}");
    let mut ctes = vec![
        (name("period"), period(src, p, *within)),
        (name("visits"), visits(src, returns, &name("period"))),
    ];
    let judged = customers(k, src, s, returns, customer.as_deref(), dims, &mut ctes);
    ctes.push((name("customers"), judged));
    ctes.push((name("outcomes"), outcomes(d, k, dims, report_tz)));
    Some(StandardSql {
        ctes,
        outcomes: name("outcomes"),
    })
}

/// `Repeat::new`: the audit's period, else `within` from the end given, else the `within`
/// before the as-of; the look-back is the `within` before the period.
fn period(src: &SourceSql, p: Period, within: i64) -> String {
    let (since, until) = match (p.since, p.until) {
        (Some(s), Some(u)) => (s.to_string(), u.to_string()),
        (Some(s), None) => (s.to_string(), s.saturating_add(within).to_string()),
        (None, Some(u)) => (u.saturating_sub(within).to_string(), u.to_string()),
        (None, None) => (format!("a.as_of - {within}"), "a.as_of".to_string()),
    };
    format!(
        "  -- the period [since, until) and its look-back [look_back, since): {}\n  SELECT x.since - {within} AS look_back, x.since, x.until, x.as_of\n  FROM (SELECT CAST({since} AS BIGINT) AS since, CAST({until} AS BIGINT) AS until, a.as_of FROM {} a) x",
        match (p.since, p.until) {
            (Some(_), Some(_)) => "the audit's",
            (Some(_), None) => "from --since, as long as the look-back",
            (None, Some(_)) => "up to --until, as long as the look-back",
            (None, None) => "the default, the look-back's length before the as-of",
        },
        src.cte("as_of")
    )
}

/// `Visit::take`: each case's first `returns` event in the look-back and its first in the
/// period, among the events up to the as-of (later ones have not happened yet).
fn visits(src: &SourceSql, returns: &[String], period: &str) -> String {
    format!(
        "  -- each case's first {} event in the look-back and in the period\n  SELECT e.case_id,\n         MIN(CASE WHEN e.t >= p.look_back AND e.t < p.since THEN e.t END) AS first_visit,\n         MIN(CASE WHEN e.t >= p.since AND e.t < p.until THEN e.t END) AS returned\n  FROM {} e CROSS JOIN {period} p\n  WHERE {} AND e.t <= p.as_of\n  GROUP BY e.case_id",
        returns.join("|"),
        src.cte("events"),
        src.dialect.is_in("e.name", returns),
    )
}

/// The customers of repeat standard `s`, one row each with its first visit (`started`), its
/// first return (`stop`) and its attribute groups: each case on its own, or one per value of
/// the `customer` column (whose cases are numbered first, a CTE of their own in `ctes`).
fn customers(
    k: usize,
    src: &SourceSql,
    s: &Standard,
    returns: &[String],
    customer: Option<&str>,
    dims: &[Dim],
    ctes: &mut Vec<(String, String)>,
) -> String {
    let name = |what: &str| format!("s{k}_{what}");
    // The attribute group columns: those of the case that stands for the customer.
    let carry: String = dims
        .iter()
        .enumerate()
        .filter_map(|(j, dim)| match dim {
            Dim::Attr(a) => Some(format!(", COALESCE(c.{}, '') AS g_{}", src.attr(a), j + 1)),
            _ => None,
        })
        .collect();
    let attr_g: String = dims
        .iter()
        .enumerate()
        .filter(|(_, dim)| matches!(dim, Dim::Attr(_)))
        .map(|(j, _)| format!(", g_{}", j + 1))
        .collect();
    match customer {
        None => format!(
            "  -- each case is a customer: its first {r} in the look-back, its first in the period\n  SELECT v.first_visit AS started, v.returned AS stop, FALSE AS no_customer{carry}\n  FROM {cases} c\n  JOIN {visits} v ON v.case_id = c.case_id\n  WHERE v.first_visit IS NOT NULL AND {filter}",
            r = returns.join("|"),
            cases = src.cte("cases"),
            visits = name("visits"),
            filter = filter(src, s),
        ),
        Some(col) => {
            let order = name("first_rows");
            ctes.push((
                order.clone(),
                format!(
                    "  -- each case's first row in the table (--row-order), which settles ties between a customer's cases\n  SELECT case_id, MIN(row_order) AS first_row\n  FROM {}\n  WHERE used\n  GROUP BY case_id",
                    src.cte("rows")
                ),
            ));
            ctes.push((
                name("cases"),
                format!(
                    "  -- the cases of the standard with {r} events in the look-back or the period, each with its customer ({col:?})\n  SELECT c.case_id, c.{attr} AS customer, v.first_visit, v.returned{carry},\n         ROW_NUMBER() OVER (PARTITION BY c.{attr} ORDER BY v.first_visit NULLS LAST, o.first_row NULLS LAST, c.case_id) AS nth\n  FROM {cases} c\n  JOIN {visits} v ON v.case_id = c.case_id\n  LEFT JOIN {order} o ON o.case_id = c.case_id\n  WHERE {filter}",
                    r = returns.join("|"),
                    attr = src.attr(col),
                    cases = src.cte("cases"),
                    visits = name("visits"),
                    filter = filter(src, s),
                ),
            ));
            // `Repeat::case`: a customer's outcome is on the case of its first look-back
            // visit; a case with a look-back visit and no customer is not scored.
            format!(
                "  -- one per customer: its first visit in the look-back (on the case that stands for it) and its first return in the period; a case with no customer is not scored\n  SELECT f.first_visit AS started, r.returned AS stop, FALSE AS no_customer{attr_g}\n  FROM {cs} f\n  JOIN (SELECT customer, MIN(returned) AS returned FROM {cs} WHERE customer IS NOT NULL GROUP BY customer) r ON r.customer = f.customer\n  WHERE f.nth = 1 AND f.first_visit IS NOT NULL\n  UNION ALL\n  SELECT first_visit AS started, CAST(NULL AS BIGINT) AS stop, TRUE AS no_customer{attr_g}\n  FROM {cs}\n  WHERE customer IS NULL AND first_visit IS NOT NULL",
                cs = name("cases"),
            )
        }
    }
}

/// Each customer's outcome (`Repeat::case`'s verdict), in its groups.
fn outcomes(d: Dialect, k: usize, dims: &[Dim], report_tz: Tz) -> String {
    let name = |what: &str| format!("s{k}_{what}");
    let groups: String = dims
        .iter()
        .enumerate()
        .map(|(j, dim)| {
            let g = match dim {
                Dim::Attr(_) => format!("g_{}", j + 1),
                Dim::Day => d.bucket(report_tz, "started", Bucket::Day),
                Dim::Week => d.bucket(report_tz, "started", Bucket::Week),
                Dim::Month => d.bucket(report_tz, "started", Bucket::Month),
            };
            format!(", {g} AS g_{}", j + 1)
        })
        .collect();
    format!(
            "  -- met: back in the period; breached: the period is over at the as-of without a return; else open (a --by day|week|month is the cohort of the first visit)\n  SELECT {k} AS std{groups},\n         CASE WHEN no_customer THEN 'excluded' WHEN stop IS NOT NULL THEN 'met' WHEN p.as_of >= p.until THEN 'breached' ELSE 'open' END AS verdict,\n         CAST(NULL AS BIGINT) AS value, CAST(NULL AS BIGINT) AS cnt, CAST(NULL AS {float}) AS num, 0 AS no_value\n  FROM {} CROSS JOIN {} p",
            name("customers"),
            name("period"),
            float = d.float(),
        )
}
