//! A source's dates in the query: the deadline and promise columns of a source (each
//! value's midnights read by `ingest::dates`' rule, a date-only value as the end of its
//! local day), and the day-first or month-first check of a preset's dates. Knows the
//! source's columns and zone; must not know the standards that read them.

use chrono_tz::Tz;

use super::super::Dialect;
use super::TimeColumn;
use crate::standards::{Catalog, Due, Kind, Layout, Source};

/// Deadline columns of every standard on the source, selected or not (as the native reader
/// parses them, and so skips rows on them), by the `by` name that reads them: cases layout
/// only; on the events layout `by` is an event.
pub(super) fn deadline_columns(catalog: &Catalog, index: usize) -> Vec<(String, String)> {
    let src = &catalog.sources[index];
    let mut deadlines: Vec<(String, String)> = Vec::new();
    if let Layout::Cases { milestones } = &src.layout {
        for s in catalog
            .standards
            .iter()
            .filter(|s| s.source == index)
            .flat_map(|s| s.each_version())
        {
            if let Kind::Deadline { by, .. } = &s.kind {
                let col = milestones
                    .iter()
                    .find(|(m, _)| m == by)
                    .map_or_else(|| by.clone(), |(_, c)| c.clone());
                if !deadlines.iter().any(|(b, _)| b == by) {
                    deadlines.push((by.clone(), col));
                }
            }
        }
    }
    deadlines
}

/// The promise columns of every `each` standard with a `by` on the source, selected or not
/// (the native reader parses them on every row): events layout only.
pub(super) fn promise_columns(catalog: &Catalog, index: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if !matches!(catalog.sources[index].layout, Layout::Events { .. }) {
        return out;
    }
    for s in catalog
        .standards
        .iter()
        .filter(|s| s.source == index)
        .flat_map(|s| s.each_version())
    {
        if let Kind::Each {
            due: Due::By(by), ..
        } = &s.kind
        {
            if !out.contains(by) {
                out.push(by.clone());
            }
        }
    }
    out
}

/// Date columns (`date_columns`): only the date counts, from its first second in the
/// source's zone; as a deadline, to its last. Gives the CTEs and the one rows read from; each
/// column's instant is then `at_N` and its end as a deadline `end_N`.
pub(super) fn date_columns(
    d: Dialect,
    src: &Source,
    stem: &str,
    times: &[TimeColumn],
    from: String,
) -> (Vec<(String, String)>, String) {
    let tz = src.timezone;
    let mut days = vec!["*".to_string()];
    let mut adjusted = vec!["*".to_string()];
    for (k, tc) in times.iter().enumerate() {
        let n = k + 1;
        if src.date_columns.contains(&tc.column) {
            days.push(format!(
                "{} AS date_{n}",
                d.floor_div(&d.local(tz, &format!("t_{n}")), 86_400)
            ));
            adjusted.push(format!(
                "CASE WHEN t_{n} IS NOT NULL AND NOT date_only_{n} THEN {} ELSE t_{n} END AS at_{n}",
                d.local_to_utc(tz, &format!("(date_{n} * 86400)"))
            ));
            adjusted.push(format!(
                "CASE WHEN t_{n} IS NOT NULL AND NOT date_only_{n} THEN {} - 1 ELSE day_end_{n} END AS end_{n}",
                d.local_to_utc(tz, &format!("((date_{n} + 1) * 86400)"))
            ));
        } else {
            adjusted.push(format!("t_{n} AS at_{n}"));
            adjusted.push(format!("day_end_{n} AS end_{n}"));
        }
    }
    let mut ctes = Vec::new();
    let mut last = from;
    if days.len() > 1 {
        ctes.push((
            format!("{stem}_dates"),
            format!(
                "  -- date columns: the local date of each time\n  SELECT {}\n  FROM {last}",
                days.join(",\n         ")
            ),
        ));
        last = format!("{stem}_dates");
    }
    ctes.push((
        format!("{stem}_dated"),
        format!("  SELECT {}\n  FROM {last}", adjusted.join(",\n         ")),
    ));
    (ctes, format!("{stem}_dated"))
}

/// `ingest::dates`: a column whose every value is at a local midnight (or the last second of
/// a day, a bare date) holds dates, and each midnight is the end of its day. For column `n`'s
/// values `due`, the three levels of the query that decides it: each row's local dates
/// (`v_n`, the day of `v_n` and of the second after it, its second of the day), named so
/// that the zone rule, which repeats its argument, repeats a name; whether the row is at a
/// midnight or a day's last second (`mid_n`, `end_n`); the aggregate (`dates_n`).
pub(super) struct Midnights {
    pub(super) read: String,
    pub(super) row: String,
    pub(super) agg: String,
}

pub(super) fn midnight_rule(d: Dialect, tz: Tz, due: &str, n: usize) -> Midnights {
    let day = |t: &str| d.floor_div(&d.local(tz, t), 86_400);
    Midnights {
        read: format!(
            "{due} AS v_{n}, {} AS day_{n}, {} AS next_{n}, {} AS sec_{n}",
            day(due),
            day(&format!("({due} + 1)")),
            d.modulo(&format!("({})", d.local(tz, due)), "86400"),
        ),
        row: format!(
            "v_{n}, (sec_{n} = 0 OR {} = v_{n}) AS mid_{n}, {} = v_{n} + 1 AS end_{n}",
            day_utc(d, tz, &format!("day_{n}"), 0),
            day_utc(d, tz, &format!("next_{n}"), 0),
        ),
        agg: format!(
            "COUNT(CASE WHEN v_{n} IS NOT NULL AND NOT mid_{n} AND NOT end_{n} THEN 1 END) = 0 \
             AND COUNT(CASE WHEN v_{n} IS NOT NULL AND mid_{n} THEN 1 END) > 0 AS dates_{n}"
        ),
    }
}

/// The rows of `{stem}_rows` used, read by the rules `rules` at their three levels
/// ([`Midnights`]), as a derived table.
pub(super) fn midnights_of(stem: &str, rules: &[Midnights]) -> String {
    let join = |part: fn(&Midnights) -> &str| {
        rules
            .iter()
            .map(part)
            .collect::<Vec<_>>()
            .join(",\n               ")
    };
    format!(
        "(SELECT {}\n        FROM (SELECT {}\n              FROM {stem}_rows\n              WHERE used) r) x",
        join(|m| &m.row),
        join(|m| &m.read)
    )
}

/// Value `v` of a column whose `dates` flag says it holds dates: a midnight becomes the end of
/// its day; `day` names the local day of `v` (days since 1970-01-01).
pub(super) fn end_of_day_if(d: Dialect, tz: Tz, v: &str, day: &str, dates: &str) -> String {
    format!(
        "CASE WHEN {dates} AND {} = {v} THEN {} - 1 ELSE {v} END",
        day_utc(d, tz, day, 0),
        day_utc(d, tz, day, 1)
    )
}

/// The promise columns (events layout) as the events CTE reads them: the CTE that tells which
/// hold dates written as midnights (as the native reader decides for its deadline columns),
/// each row's promise (`promise_N`), and the local days those read, each named once
/// (`promise_day_N`, columns of the rows beside them).
#[derive(Default)]
pub(super) struct Promised {
    pub(super) ctes: Vec<(String, String)>,
    pub(super) cols: Vec<String>,
    pub(super) days: Vec<String>,
}

pub(super) fn promise_dates(
    d: Dialect,
    src: &Source,
    stem: &str,
    times: &[TimeColumn],
    promises: &[String],
) -> Promised {
    if promises.is_empty() {
        return Promised::default();
    }
    let tz = src.timezone;
    let mut rows = Vec::new();
    let mut aggs = Vec::new();
    let mut cols = Vec::new();
    let mut days = Vec::new();
    for (k, col) in promises.iter().enumerate() {
        let n = k + 1;
        let slot = times
            .iter()
            .position(|tc| &tc.column == col)
            .expect("every promise column is parsed");
        let due = format!("due_{}", slot + 1);
        if src.date_columns.contains(col) || src.time_columns.contains(col) {
            aggs.push(format!("FALSE AS dates_{n}"));
            cols.push(format!("{due} AS promise_{n}"));
        } else {
            let rule = midnight_rule(d, tz, &due, n);
            aggs.push(rule.agg.clone());
            rows.push(rule);
            days.push(format!(
                "{} AS promise_day_{n}",
                d.floor_div(&d.local(tz, &due), 86_400)
            ));
            cols.push(format!(
                "{} AS promise_{n}",
                end_of_day_if(
                    d,
                    tz,
                    &due,
                    &format!("promise_day_{n}"),
                    &format!("pd.dates_{n}")
                )
            ));
        }
    }
    let from = if rows.is_empty() {
        format!("(SELECT 1 AS one FROM {stem}_rows WHERE used) x")
    } else {
        midnights_of(stem, &rows)
    };
    Promised {
        ctes: vec![(
            format!("{stem}_promise_dates"),
            format!(
                "  -- promise columns of dates written as midnights (ingest::dates)\n  SELECT {}\n  FROM {from}",
                aggs.join(",\n         ")
            ),
        )],
        cols,
        days,
    }
}

/// The first instant of the local day `days` after local day `day` (days since 1970-01-01; a
/// day that starts in a gap starts as the native reader reads a midnight in it).
pub(super) fn day_utc(d: Dialect, tz: Tz, day: &str, days: i64) -> String {
    d.local_to_utc(tz, &format!("(({day} + {days}) * 86400)"))
}

/// A preset that reads numeric dates day first for a vendor whose instances choose the order
/// (ServiceNow, `Source::ask_date_order`): the native reader looks at a log's first 64 KiB,
/// and stops when a date there is month first, or when none tells the order; a table has no
/// first rows, so the query looks at every row's time cells, and stops with the native
/// reader's advice when one is month first or none tells.
pub(super) fn date_order(
    d: Dialect,
    src: &Source,
    stem: &str,
    table_name: &str,
    times: &[TimeColumn],
) -> ((String, String), String) {
    let cells: Vec<String> = times
        .iter()
        .enumerate()
        .filter(|(k, tc)| match &src.layout {
            Layout::Events { .. } => *k == 0,
            _ => tc.milestone.is_some(),
        })
        .map(|(k, _)| format!("c_{}", k + 1))
        .collect();
    let num = |c: &str, first: bool| {
        let re = if first {
            "^([0-9]{1,2})[/.-][0-9]{1,2}[/.-][0-9]"
        } else {
            "^[0-9]{1,2}[/.-]([0-9]{1,2})[/.-][0-9]"
        };
        format!("CAST(NULLIF({}, '') AS BIGINT)", d.capture(c, re))
    };
    let mut cols = Vec::new();
    for (what, test) in [
        ("day_first", "{a} > 12 AND {b} <= 12"),
        ("month_first", "{a} <= 12 AND {b} > 12"),
        ("either", "{a} <= 12 AND {b} <= 12"),
    ] {
        let any: Vec<String> = cells
            .iter()
            .map(|c| {
                test.replace("{a}", &num(c, true))
                    .replace("{b}", &num(c, false))
            })
            .map(|t| format!("MAX(CASE WHEN {t} THEN 1 ELSE 0 END)"))
            .collect();
        let mut any = any;
        any.push("0".to_string());
        cols.push(format!("{} AS {what}", d.greatest(&any)));
    }
    let preset = src.preset.as_deref().unwrap_or_default();
    let message = format!(
        "yardstick sql: table {table_name} of source {:?} writes a date month first, or none that tells day from month, and preset {preset:?} reads day first: set `time_format` in [sources.{}] to the order your instance writes, say [\"%d/%m/%Y %H:%M:%S\", \"%d/%m/%Y %H:%M\"] or [\"%m/%d/%Y %H:%M:%S\", \"%m/%d/%Y %H:%M\"]",
        src.name, src.name
    );
    (
        (
            format!("{stem}_date_order"),
            format!(
                "  -- the order of day and month, which preset {preset:?} reads day first: every time cell\n  SELECT {}\n  FROM {stem}_cells",
                cols.join(",\n         ")
            ),
        ),
        format!(
            "(SELECT COALESCE(CAST(CASE WHEN month_first = 1 OR (day_first = 0 AND either = 1) THEN {} END AS INTEGER), 0) FROM {stem}_date_order) = 0",
            d.lit(&message)
        ),
    )
}
