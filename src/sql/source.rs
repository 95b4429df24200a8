//! One source's table -> the CTEs every standard on it reads: its cells trimmed and nulled,
//! its times parsed (in SQL, by the native reader's rules), its rows used or skipped, its
//! events, its cases with their attributes and deadlines, and its as-of. The same
//! accounting as `ingest::reader`: a row is used when its case id, time and event are there
//! and every time on it parses; otherwise it is counted in `skipped`.

use crate::error::Result;
use crate::standards::{Catalog, Kind, Layout, Source};
use crate::time::stamp::TimeFormat;

use super::{refuse, Dialect, Request};

/// The pattern of the forms `TimeFormat::Auto` reads (`time::stamp::parse_auto`): a date,
/// then optionally a time to the minute, seconds, a fraction and an offset.
const AUTO: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|z| UTC| Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$";

/// A column read as a time: the events layout's time, or a milestone or deadline column
/// of the cases layout.
struct TimeColumn {
    column: String,
    /// A declared deadline (`deadlines`): a promise, never the row's first or latest time.
    promised: bool,
    /// The milestone it holds (cases layout).
    milestone: Option<String>,
}

/// What the standards on one source read of it, and the CTEs that give it.
pub struct SourceSql {
    pub index: usize,
    /// The dialect its SQL is written in.
    pub dialect: Dialect,
    /// The stem of its CTEs' names (`tickets` -> `tickets_cases`).
    pub stem: String,
    /// Deadline columns (cases layout), by the `by` name that reads them.
    pub deadlines: Vec<(String, String)>,
    pub ctes: Vec<(String, String)>,
    /// A condition that fails the query when the table has a column the native reader
    /// would read differently (see [`guard`]); none when there is nothing to check.
    pub guard: Option<String>,
}

impl SourceSql {
    pub fn cte(&self, what: &str) -> String {
        format!("{}_{what}", self.stem)
    }

    /// The cases CTE's column of attribute `name`.
    pub fn attr(&self, name: &str) -> String {
        self.dialect.ident(&format!("attr_{name}"))
    }

    /// The cases CTE's column of the deadline read by `by`, if the source reads one so.
    pub fn deadline(&self, by: &str) -> Option<String> {
        self.deadlines
            .iter()
            .position(|(b, _)| b == by)
            .map(|k| format!("deadline_{}", k + 1))
    }
}

/// A stem for the CTE names of source `name`: the name itself when it is a plain
/// identifier, else `source_N`.
fn stem(index: usize, name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_ascii_lowercase()
    } else {
        format!("source_{}", index + 1)
    }
}

/// The SQL of one source, for the standards of `req` that read it; `attrs` are the
/// attribute columns the standards and `--by` need.
pub fn compile(
    req: &Request,
    catalog: &Catalog,
    index: usize,
    attrs: Vec<String>,
    first_standard: &str,
) -> Result<SourceSql> {
    let src = &catalog.sources[index];
    let d = req.dialect;
    let who = |reason: String| refuse(catalog, first_standard, &reason);
    if !matches!(src.time_format, TimeFormat::Auto) {
        return Err(who(format!(
            "source {:?} reads its times with {}; `yardstick sql` parses the default forms \
             (RFC 3339, ISO local date-times and dates) only",
            src.name,
            src.time_format.describe()
        )));
    }
    if !src.derived.is_empty() {
        return Err(who(format!(
            "source {:?} has milestones derived from a duration column, which `yardstick sql` \
             does not compile",
            src.name
        )));
    }
    let stem = stem(index, &src.name);
    let table_name = req
        .tables
        .iter()
        .find(|(s, _)| *s == src.name)
        .map_or_else(|| src.name.clone(), |(_, t)| t.clone());
    // Deadline columns of every standard on the source, selected or not (as the native
    // reader parses them, and so skips rows on them): cases layout only; on the events
    // layout `by` is an event.
    let mut deadlines: Vec<(String, String)> = Vec::new();
    if let Layout::Cases { milestones } = &src.layout {
        for s in catalog.standards.iter().filter(|s| s.source == index) {
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
    let reads: Vec<&str> = src.columns_read().collect();
    if let Some(a) = attrs.iter().find(|a| reads.contains(&a.as_str())) {
        return Err(who(format!(
            "column {a:?} is one source {:?} reads as its case, time, event or a milestone, not \
             an attribute",
            src.name
        )));
    }
    let mut times: Vec<TimeColumn> = match &src.layout {
        Layout::Events { time, .. } => vec![TimeColumn {
            column: time.clone(),
            promised: false,
            milestone: None,
        }],
        Layout::Cases { milestones } => milestones
            .iter()
            .map(|(m, c)| TimeColumn {
                column: c.clone(),
                promised: src.deadlines.contains(c),
                milestone: Some(m.clone()),
            })
            .collect(),
        Layout::Threads { .. } => {
            return Err(who(format!(
                "source {:?} has the threads layout, which `yardstick sql` does not compile \
                 (events and cases only)",
                src.name
            )))
        }
    };
    // A `by` column that is no milestone is parsed as a time too (never the row's time).
    for (_, col) in &deadlines {
        if !times.iter().any(|t| &t.column == col) {
            times.push(TimeColumn {
                column: col.clone(),
                promised: true,
                milestone: None,
            });
        }
    }
    let mut ctes = Vec::new();
    let c = |k: usize| format!("c_{}", k + 1);

    // Cells: trimmed, and NULL for the empty cell and the source's null_values.
    let mut cells = vec![format!("{} AS case_id", nul(d, src, &src.case))];
    for (k, t) in times.iter().enumerate() {
        cells.push(format!("{} AS {}", nul(d, src, &t.column), c(k)));
    }
    if let Layout::Events { event, .. } = &src.layout {
        cells.push(format!("{} AS event_raw", nul(d, src, event)));
    }
    for (j, a) in attrs.iter().enumerate() {
        cells.push(format!("{} AS a_{}", nul(d, src, a), j + 1));
    }
    if let Some(order) = &req.row_order {
        cells.push(format!("{} AS row_order", d.ident(order)));
    }
    ctes.push((
        format!("{stem}_cells"),
        format!(
            "  -- source {:?}: table {table_name}, {} layout: every cell as text, trimmed, NULL when empty or one of null_values\n  SELECT {}\n  FROM {}",
            src.name,
            src.layout.name(),
            cells.join(",\n         "),
            d.table(&table_name)
        ),
    ));

    // Times, stage 1: the cells of the accepted shape, and their date and time fields.
    let mut shape = vec!["*".to_string()];
    for k in 0..times.len() {
        let v = format!("CASE WHEN {} THEN {} END", d.matches(&c(k), AUTO), c(k));
        shape.push(format!("{v} AS v_{}", k + 1));
    }
    ctes.push((
        format!("{stem}_shapes"),
        format!(
            "  -- times in the forms the native reader takes without a time_format\n  SELECT {}\n  FROM {stem}_cells",
            shape.join(",\n         ")
        ),
    ));
    let mut fields = vec!["*".to_string()];
    for k in 0..times.len() {
        let v = format!("v_{}", k + 1);
        let n = k + 1;
        fields.push(format!("CAST(SUBSTR({v}, 1, 4) AS BIGINT) AS y_{n}"));
        fields.push(format!("CAST(SUBSTR({v}, 6, 2) AS BIGINT) AS mo_{n}"));
        fields.push(format!("CAST(SUBSTR({v}, 9, 2) AS BIGINT) AS d_{n}"));
        fields.push(format!(
            "CASE WHEN LENGTH({v}) > 10 THEN CAST(SUBSTR({v}, 12, 2) AS BIGINT) ELSE 0 END AS h_{n}"
        ));
        fields.push(format!(
            "CASE WHEN LENGTH({v}) > 10 THEN CAST(SUBSTR({v}, 15, 2) AS BIGINT) ELSE 0 END AS mi_{n}"
        ));
        fields.push(format!(
            "CASE WHEN SUBSTR({v}, 17, 1) = ':' THEN CAST(SUBSTR({v}, 18, 2) AS BIGINT) ELSE 0 END AS s_{n}"
        ));
        fields.push(format!(
            "regexp_replace(SUBSTR({v}, 17), '^(:[0-9]{{2}}([.,][0-9]+)?)?', '') AS tail_{n}"
        ));
    }
    ctes.push((
        format!("{stem}_fields"),
        format!(
            "  SELECT {}\n  FROM {stem}_shapes",
            fields.join(",\n         ")
        ),
    ));
    // Stage 2: the offset written, the days since 1970-01-01 (the civil-calendar
    // arithmetic, so no engine date function is involved) and the wall-clock seconds.
    let mut local = vec!["*".to_string()];
    for k in 0..times.len() {
        let n = k + 1;
        let tail = format!("tail_{n}");
        let (y, mo, dd) = (format!("y_{n}"), format!("mo_{n}"), format!("d_{n}"));
        local.push(format!(
            "CASE WHEN {tail} IN ('Z', 'z', ' UTC', ' Z') THEN 0 \
             WHEN SUBSTR({tail}, 1, 1) IN ('+', '-') THEN \
             (CASE WHEN SUBSTR({tail}, 1, 1) = '-' THEN -1 ELSE 1 END) * \
             (CAST(SUBSTR({tail}, 2, 2) AS BIGINT) * 3600 + \
             (CASE LENGTH({tail}) WHEN 3 THEN 0 WHEN 6 THEN CAST(SUBSTR({tail}, 5, 2) AS BIGINT) \
             ELSE CAST(SUBSTR({tail}, 4, 2) AS BIGINT) END) * 60) END AS off_{n}"
        ));
        local.push(format!(
            "CASE WHEN SUBSTR({tail}, 1, 1) IN ('+', '-') THEN \
             CAST(SUBSTR({tail}, 2, 2) AS BIGINT) <= 23 AND (CASE LENGTH({tail}) WHEN 3 THEN 0 \
             WHEN 6 THEN CAST(SUBSTR({tail}, 5, 2) AS BIGINT) ELSE CAST(SUBSTR({tail}, 4, 2) AS BIGINT) END) <= 59 \
             ELSE TRUE END AS off_ok_{n}"
        ));
        let leap = format!(
            "(({} = 0 AND {} <> 0) OR {} = 0)",
            d.modulo(&y, "4"),
            d.modulo(&y, "100"),
            d.modulo(&y, "400")
        );
        local.push(format!(
            "v_{n} IS NOT NULL AND {mo} BETWEEN 1 AND 12 AND {dd} >= 1 AND {dd} <= \
             (CASE WHEN {mo} = 2 THEN (CASE WHEN {leap} THEN 29 ELSE 28 END) \
             WHEN {mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END) \
             AND h_{n} <= 23 AND mi_{n} <= 59 AND s_{n} <= 60 AS date_ok_{n}"
        ));
        // days_from_civil (H. Hinnant): years from March, eras of 400 years.
        let yy = format!("({y} - CASE WHEN {mo} <= 2 THEN 1 ELSE 0 END)");
        let era = d.floor_div(&yy, 400);
        let yoe = format!("({yy} - {era} * 400)");
        let doy = format!(
            "({} + {dd} - 1)",
            d.idiv(
                &format!("153 * ({}) + 2", d.modulo(&format!("({mo} + 9)"), "12")),
                "5"
            )
        );
        let doe = format!(
            "({yoe} * 365 + {} - {} + {doy})",
            d.idiv(&yoe, "4"),
            d.idiv(&yoe, "100")
        );
        local.push(format!("{era} * 146097 + {doe} - 719468 AS days_{n}"));
        local.push(format!("LENGTH(v_{n}) = 10 AS date_only_{n}"));
    }
    ctes.push((
        format!("{stem}_local"),
        format!(
            "  SELECT {}\n  FROM {stem}_fields",
            local.join(",\n         ")
        ),
    ));
    // Stage 3: the instant. A time without an offset is wall-clock time in the source's
    // zone; a leap second (:60) is the last second of its minute.
    let tz = src.timezone;
    let mut instants = vec!["*".to_string()];
    for k in 0..times.len() {
        let n = k + 1;
        let wall = format!("(days_{n} * 86400 + h_{n} * 3600 + mi_{n} * 60 + LEAST(s_{n}, 59))");
        instants.push(format!(
            "CASE WHEN COALESCE(date_ok_{n} AND off_ok_{n}, FALSE) THEN \
             (CASE WHEN off_{n} IS NULL THEN {} ELSE {wall} - off_{n} END) END AS t_{n}",
            d.local_to_utc(tz, &wall)
        ));
        // As a deadline, a date alone means the end of that day.
        let next = format!("((days_{n} + 1) * 86400)");
        instants.push(format!(
            "CASE WHEN COALESCE(date_ok_{n} AND off_ok_{n}, FALSE) AND date_only_{n} THEN {} - 1 END AS day_end_{n}",
            d.local_to_utc(tz, &next)
        ));
    }
    ctes.push((
        format!("{stem}_instants"),
        format!(
            "  -- local times in {} by the native rule: a repeated time is the first, a time in a gap keeps the offset before the change\n  SELECT {}\n  FROM {stem}_local",
            tz.name(),
            instants.join(",\n         ")
        ),
    ));

    // Date columns (`date_columns`): only the date counts, from its first second in the
    // source's zone; as a deadline, to its last.
    let dated: Vec<bool> = times
        .iter()
        .map(|tc| src.date_columns.contains(&tc.column))
        .collect();
    let mut from = format!("{stem}_instants");
    if dated.iter().any(|&x| x) {
        let mut days = vec!["*".to_string()];
        let mut adjusted = vec!["*".to_string()];
        for (k, _) in dated.iter().enumerate().filter(|(_, &x)| x) {
            let n = k + 1;
            days.push(format!(
                "{} AS date_{n}",
                d.floor_div(&d.local(tz, &format!("t_{n}")), 86_400)
            ));
            adjusted.push(format!(
                "CASE WHEN t_{n} IS NOT NULL AND NOT date_only_{n} THEN {} ELSE t_{n} END AS dated_{n}",
                d.local_to_utc(tz, &format!("(date_{n} * 86400)"))
            ));
            adjusted.push(format!(
                "CASE WHEN t_{n} IS NOT NULL AND NOT date_only_{n} THEN {} - 1 ELSE day_end_{n} END AS dated_end_{n}",
                d.local_to_utc(tz, &format!("((date_{n} + 1) * 86400)"))
            ));
        }
        ctes.push((
            format!("{stem}_dates"),
            format!(
                "  -- date columns: the local date of each time\n  SELECT {}\n  FROM {stem}_instants",
                days.join(",\n         ")
            ),
        ));
        ctes.push((
            format!("{stem}_dated"),
            format!(
                "  SELECT {}\n  FROM {stem}_dates",
                adjusted.join(",\n         ")
            ),
        ));
        from = format!("{stem}_dated");
    }
    // The instant each time column stands for, and its end of day as a deadline.
    let at = |k: usize| match dated[k] {
        true => format!("dated_{}", k + 1),
        false => format!("t_{}", k + 1),
    };
    let end = |k: usize| match dated[k] {
        true => format!("dated_end_{}", k + 1),
        false => format!("day_end_{}", k + 1),
    };

    // Rows: used (every time there parses, case id, time and event present) or skipped.
    let t = |k: usize| format!("t_{}", k + 1);
    let ok = match &src.layout {
        Layout::Events { .. } => {
            "case_id IS NOT NULL AND t_1 IS NOT NULL AND event_raw IS NOT NULL".to_string()
        }
        _ => {
            let mut parts = vec!["case_id IS NOT NULL".to_string()];
            for k in 0..times.len() {
                parts.push(format!("({} IS NULL OR {} IS NOT NULL)", c(k), t(k)));
            }
            parts.join(" AND ")
        }
    };
    let happened: Vec<String> = times
        .iter()
        .enumerate()
        .filter(|(_, tc)| !tc.promised)
        .map(|(k, _)| at(k))
        .collect();
    let (first, latest) = match happened.len() {
        0 => (
            "CAST(NULL AS BIGINT)".to_string(),
            "CAST(NULL AS BIGINT)".to_string(),
        ),
        1 => (happened[0].clone(), happened[0].clone()),
        _ => (d.least(&happened), d.greatest(&happened)),
    };
    let mut rows = vec![
        "case_id".to_string(),
        format!("{ok} AS used"),
        format!("{first} AS first_t"),
        format!("{latest} AS row_t"),
    ];
    for k in 0..times.len() {
        rows.push(format!("{} AS t_{}", at(k), k + 1));
        rows.push(format!("COALESCE({}, {}) AS due_{}", end(k), at(k), k + 1));
    }
    if let Layout::Events { renames, .. } = &src.layout {
        let name = if renames.is_empty() {
            "event_raw".to_string()
        } else {
            let arms: Vec<String> = renames
                .iter()
                .map(|(raw, name)| format!("WHEN {} THEN {}", d.lit(raw), d.lit(name)))
                .collect();
            format!("CASE event_raw {} ELSE event_raw END", arms.join(" "))
        };
        rows.push(format!("{name} AS event"));
    }
    for j in 0..attrs.len() {
        rows.push(format!("a_{}", j + 1));
    }
    rows.push(if req.row_order.is_some() {
        "row_order".to_string()
    } else {
        "CAST(NULL AS BIGINT) AS row_order".to_string()
    });
    ctes.push((
        format!("{stem}_rows"),
        format!("  SELECT {}\n  FROM {from}", rows.join(",\n         ")),
    ));
    ctes.push((
        format!("{stem}_skipped"),
        format!(
            "  -- rows left out, as the native reader skips them: no case id, time or event, or a time that does not parse\n  SELECT COUNT(*) - COUNT(CASE WHEN used THEN 1 END) AS skipped\n  FROM {stem}_rows"
        ),
    ));

    // Events: (case, time, name) of every used row (events layout) or milestone.
    let events = match &src.layout {
        Layout::Events { .. } => {
            format!("  SELECT case_id, t_1 AS t, event AS name, row_order, 0 AS col_no\n  FROM {stem}_rows\n  WHERE used")
        }
        _ => times
            .iter()
            .enumerate()
            .filter_map(|(k, tc)| tc.milestone.as_ref().map(|m| (k, m)))
            .map(|(k, m)| {
                format!(
                    "  SELECT case_id, {} AS t, {} AS name, row_order, {k} AS col_no\n  FROM {stem}_rows\n  WHERE used AND {} IS NOT NULL",
                    t(k),
                    d.lit(m),
                    t(k)
                )
            })
            .collect::<Vec<_>>()
            .join("\n  UNION ALL\n"),
    };
    ctes.push((format!("{stem}_events"), events));
    let as_of = match req.as_of {
        Some(t) => format!("  SELECT CAST({t} AS BIGINT) AS as_of"),
        None => format!(
            "  -- no --as-of and no end of period: the latest time in the table, as the native audit takes the log's\n  SELECT MAX(row_t) AS as_of\n  FROM {stem}_rows\n  WHERE used"
        ),
    };
    ctes.push((format!("{stem}_as_of"), as_of));

    // A case's attribute (and deadline): the native reader keeps the last non-empty value in
    // file order, and a table has none. On the events layout the latest value by the row's
    // time, ties broken by `--row-order`; a cases table has no time column (a row's
    // milestones are not when it was written), so by `--row-order` alone. What is still
    // tied takes the greatest value, so that the query gives one answer.
    let latest = match &src.layout {
        Layout::Events { .. } => "row_t DESC NULLS LAST, row_order DESC NULLS LAST",
        _ => "row_order DESC NULLS LAST",
    };
    let pick = |value: &str, name: &str| -> (String, String) {
        (
            format!("{stem}_{name}"),
            format!(
                "  SELECT case_id, v\n  FROM (SELECT case_id, {value} AS v,\n               ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY {latest}, {value} DESC) AS rn\n        FROM {stem}_rows\n        WHERE used AND {value} IS NOT NULL) latest\n  WHERE rn = 1"
            ),
        )
    };
    let mut cases_cols = vec!["c.case_id".to_string(), "c.first_seen".to_string()];
    let mut joins = Vec::new();
    for (j, attr) in attrs.iter().enumerate() {
        let (name, body) = pick(&format!("a_{}", j + 1), &format!("attr_{}", j + 1));
        cases_cols.push(format!(
            "a{}.v AS {}",
            j + 1,
            d.ident(&format!("attr_{attr}"))
        ));
        joins.push(format!(
            "  LEFT JOIN {name} a{} ON a{}.case_id = c.case_id",
            j + 1,
            j + 1
        ));
        ctes.push((name, body));
    }
    for (k, (_, col)) in deadlines.iter().enumerate() {
        let slot = times
            .iter()
            .position(|tc| &tc.column == col)
            .expect("every deadline column is parsed");
        let (name, body) = pick(&format!("due_{}", slot + 1), &format!("deadline_{}", k + 1));
        cases_cols.push(format!("dl{}.v AS deadline_{}", k + 1, k + 1));
        joins.push(format!(
            "  LEFT JOIN {name} dl{} ON dl{}.case_id = c.case_id",
            k + 1,
            k + 1
        ));
        ctes.push((name, body));
    }
    ctes.push((
        format!("{stem}_cases"),
        format!(
            "  -- one row per case: its first time, and its latest non-empty attribute values\n  SELECT {}\n  FROM (SELECT case_id, MIN(first_t) AS first_seen FROM {stem}_rows WHERE used GROUP BY case_id) c\n{}",
            cases_cols.join(", "),
            joins.join("\n")
        ),
    ));
    let guard = guard(d, catalog, index, &table_name);
    Ok(SourceSql {
        index,
        dialect: d,
        stem,
        deadlines,
        ctes,
        guard,
    })
}

/// On the events layout the native reader takes a deadline `by` as a column when the log has
/// a column of that name, else as an event; the query cannot see the table's columns when
/// it is written and reads an event. So that it never gives other numbers, it looks the
/// table up in `information_schema` and, when such a column is there, stops with an error
/// that says so (a text that does not convert to an integer: the one error every dialect can
/// raise in plain SQL, and on a value counted at run time, so that no planner folds it).
fn guard(d: Dialect, catalog: &Catalog, index: usize, table_name: &str) -> Option<String> {
    let src = &catalog.sources[index];
    if !matches!(src.layout, Layout::Events { .. }) {
        return None;
    }
    let mut by: Vec<&str> = Vec::new();
    for s in catalog.standards.iter().filter(|s| s.source == index) {
        if let Kind::Deadline { by: b, .. } = &s.kind {
            if !by.contains(&b.as_str()) {
                by.push(b);
            }
        }
    }
    if by.is_empty() {
        return None;
    }
    let (view, this_table) = d.columns_of(table_name);
    let names: Vec<String> = by.iter().map(|b| b.to_string()).collect();
    let message = format!(
        "yardstick sql: table {table_name} has a column named like a deadline `by` ({}) of source {:?}, which yardstick audit reads as the deadline and this query as an event of that name: rename the column, or audit with yardstick audit",
        names.join(", "),
        src.name
    );
    Some(format!(
        "(SELECT COALESCE(CAST(CASE WHEN COUNT(*) > 0 THEN {} END AS INTEGER), 0) FROM {view} WHERE {this_table} AND {}) = 0",
        d.lit(&message),
        d.is_in("column_name", &names)
    ))
}

/// A cell trimmed of ASCII white space, NULL when empty or one of the source's
/// `null_values` (`Source::is_null`).
fn nul(d: Dialect, src: &Source, column: &str) -> String {
    let trimmed = d.trim_ws(&format!("CAST({} AS {})", d.ident(column), d.text()));
    let mut nulls = vec!["''".to_string()];
    nulls.extend(src.null_values.iter().map(|n| d.lit(n)));
    format!(
        "CASE WHEN {trimmed} IN ({}) THEN NULL ELSE {trimmed} END",
        nulls.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_plain_names_or_numbered() {
        assert_eq!(stem(0, "tickets"), "tickets");
        assert_eq!(stem(0, "Tickets_2"), "tickets_2");
        assert_eq!(stem(2, "my tickets"), "source_3");
        assert_eq!(stem(1, "2024"), "source_2");
    }
}
