//! One source's table -> the CTEs every standard on it reads: its cells trimmed and nulled,
//! its times parsed (in SQL, by the native reader's rules), its rows used or skipped, its
//! events, its cases with their attributes and deadlines, and its as-of. The same
//! accounting as `ingest::reader`: a row is used when its case id, time and event are there
//! and every time on it parses; otherwise it is counted in `skipped`.

use crate::error::Result;

use super::{refuse, times, values, Dialect, Request};
use crate::standards::{Catalog, Kind, Layout, Source};

mod dates;
use dates::*;

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
    /// Promise columns of `each` standards with a `by` (events layout): the events CTE has
    /// each row's promised time as `promise_N`.
    pub promises: Vec<String>,
    pub ctes: Vec<(String, String)>,
    /// A condition that fails the query when the table has a column the native reader
    /// would read differently (see [`guard`]); none when there is nothing to check.
    pub guard: Option<String>,
    /// The number columns of its selected value standards, each with the CTE of the number
    /// that counts per case (`super::values`).
    pub numbers: Vec<(values::Need, String)>,
}

impl SourceSql {
    pub fn cte(&self, what: &str) -> String {
        format!("{}_{what}", self.stem)
    }

    /// The cases CTE's column of attribute `name`.
    pub fn attr(&self, name: &str) -> String {
        self.dialect.ident(&format!("attr_{name}"))
    }

    /// The events CTE's column of the time promised in column `by`, if the source reads one.
    pub fn promise(&self, by: &str) -> Option<String> {
        self.promises
            .iter()
            .position(|b| b == by)
            .map(|k| format!("promise_{}", k + 1))
    }

    /// The CTE of each case's number in `column`, read on the rows of `on` (empty: every
    /// row): `case_id`, `num`, `not_a_number`.
    pub fn number(&self, column: &str, on: &[String]) -> &str {
        self.numbers
            .iter()
            .find(|(n, _)| n.column == column && n.on == on)
            .map(|(_, cte)| cte.as_str())
            .expect("the numbers of every selected value standard are read")
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
    if let Err(why) = times::readable(&src.time_format) {
        return Err(who(format!("source {:?}: {why}", src.name)));
    }
    let stem = stem(index, &src.name);
    let table_name = table_name(req, src);
    let deadlines = deadline_columns(catalog, index);
    if let Some(why) = not_attributes(src, &attrs) {
        return Err(who(why));
    }
    let promises = promise_columns(catalog, index);
    let dues: Vec<(String, String)> = deadlines
        .iter()
        .cloned()
        .chain(promises.iter().map(|p| (p.clone(), p.clone())))
        .collect();
    let times = time_columns(src, &dues).map_err(who)?;
    let needs = number_needs(req, catalog, index);
    let numbers = number_columns(&needs);
    let mut ctes = vec![cells(
        req,
        src,
        &stem,
        &table_name,
        &times,
        &attrs,
        &numbers,
    )];
    let (parsed, from) = times::ctes(d, &stem, &src.time_format, src.timezone, times.len())
        .map_err(|why| who(format!("source {:?}: {why}", src.name)))?;
    ctes.extend(parsed);
    let (dated, from) = date_columns(d, src, &stem, &times, from);
    ctes.extend(dated);
    let from = match durations(d, src, &stem, &from) {
        Some(cte) => {
            ctes.push(cte);
            format!("{stem}_durations")
        }
        None => from,
    };
    ctes.push(rows(req, src, &stem, &times, &attrs, &numbers, &from));
    ctes.push(skipped(&stem));
    let promised = promise_dates(d, src, &stem, &times, &promises);
    ctes.extend(promised.ctes.iter().cloned());
    ctes.push((
        format!("{stem}_events"),
        events(src, &stem, &times, &promised, d),
    ));
    ctes.push(as_of(req, &stem));
    ctes.extend(cases(d, src, &stem, &times, &deadlines, &attrs));
    let numbers = number_ctes(req, src, &stem, needs, &numbers);
    ctes.extend(numbers.iter().map(|(_, cte)| cte.clone()));
    let guards = guards(d, catalog, index, &table_name, &stem, &times, &mut ctes);
    Ok(SourceSql {
        index,
        dialect: d,
        stem,
        deadlines,
        promises,
        ctes,
        guard: guards,
        numbers: numbers
            .into_iter()
            .map(|(need, (name, _))| (need, name))
            .collect(),
    })
}

/// The table or view that holds source `src`: `--table`'s, else the source's name.
fn table_name(req: &Request, src: &Source) -> String {
    req.tables
        .iter()
        .find(|(s, _)| *s == src.name)
        .map_or_else(|| src.name.clone(), |(_, t)| t.clone())
}

/// Why an attribute of `attrs` cannot be read as one: the source reads that column as its
/// case, time, event or a milestone.
fn not_attributes(src: &Source, attrs: &[String]) -> Option<String> {
    let reads: Vec<&str> = src.columns_read().collect();
    let a = attrs.iter().find(|a| reads.contains(&a.as_str()))?;
    Some(format!(
        "column {a:?} is one source {:?} reads as its case, time, event or a milestone, not \
         an attribute",
        src.name
    ))
}

/// The count of rows the native reader would skip.
fn skipped(stem: &str) -> (String, String) {
    (
        format!("{stem}_skipped"),
        format!(
            "  -- rows left out, as the native reader skips them: no case id, time or event, or a time (or duration) that does not parse\n  SELECT COUNT(*) - COUNT(CASE WHEN used THEN 1 END) AS skipped\n  FROM {stem}_rows"
        ),
    )
}

/// The instant open cases are judged at: `--as-of` (or the period's end), else the latest
/// time of a row used.
fn as_of(req: &Request, stem: &str) -> (String, String) {
    let as_of = match req.as_of {
        Some(t) => format!("  SELECT CAST({t} AS BIGINT) AS as_of"),
        None => format!(
            "  -- no --as-of and no end of period: the latest time in the table, as the native audit takes the log's\n  SELECT MAX(row_t) AS as_of\n  FROM {stem}_rows\n  WHERE used"
        ),
    };
    (format!("{stem}_as_of"), as_of)
}

/// The conditions that stop the query where the native reader would read the table
/// otherwise (a `by` column, [`guard`]; days before months, [`date_order`], whose CTE goes
/// into `ctes`); none: nothing to check.
fn guards(
    d: Dialect,
    catalog: &Catalog,
    index: usize,
    table_name: &str,
    stem: &str,
    times: &[TimeColumn],
    ctes: &mut Vec<(String, String)>,
) -> Option<String> {
    let src = &catalog.sources[index];
    let mut guards: Vec<String> = guard(d, catalog, index, table_name).into_iter().collect();
    if src.ask_date_order {
        let (cte, check) = date_order(d, src, stem, table_name, times);
        ctes.push(cte);
        guards.push(check);
    }
    (!guards.is_empty()).then(|| guards.join("\n  AND "))
}

/// The number columns the selected value standards on source `index` read (every version's),
/// each with the events it is read on.
fn number_needs(req: &Request, catalog: &Catalog, index: usize) -> Vec<values::Need> {
    let mut needs: Vec<values::Need> = Vec::new();
    for &i in req.selected {
        for v in catalog.standards[i].each_version() {
            if let (true, Kind::Value { column, on, .. }) = (v.source == index, &v.kind) {
                let need = values::Need {
                    column: column.clone(),
                    on: on.clone().unwrap_or_default(),
                };
                if !needs.contains(&need) {
                    needs.push(need);
                }
            }
        }
    }
    needs
}

/// The distinct columns of `needs`, in their order (the cells `n_1`, `n_2`, ...).
fn number_columns(needs: &[values::Need]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in needs {
        if !out.contains(&n.column) {
            out.push(n.column.clone());
        }
    }
    out
}

/// The CTE of each need's number per case, after the rows (`super::values`).
fn number_ctes(
    req: &Request,
    src: &Source,
    stem: &str,
    needs: Vec<values::Need>,
    columns: &[String],
) -> Vec<(values::Need, (String, String))> {
    needs
        .into_iter()
        .enumerate()
        .map(|(k, need)| {
            let slot = columns
                .iter()
                .position(|c| *c == need.column)
                .expect("every number column is a cell");
            let cte = values::cte(
                req.dialect,
                &format!("{stem}_number_{}", k + 1),
                &format!("{stem}_rows"),
                &format!("n_{}", slot + 1),
                &need,
                req.as_of,
                latest(src),
            );
            (need, cte)
        })
        .collect()
}

/// The order that makes a row a case's latest (see [`cases`]).
fn latest(src: &Source) -> &'static str {
    match &src.layout {
        Layout::Events { .. } => "row_t DESC NULLS LAST, row_order DESC NULLS LAST",
        _ => "row_order DESC NULLS LAST",
    }
}

/// The columns read as times: the events layout's time, or the cases layout's milestones and
/// the `by` columns that are no milestone (never the row's time).
fn time_columns(
    src: &Source,
    deadlines: &[(String, String)],
) -> std::result::Result<Vec<TimeColumn>, String> {
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
            return Err(format!(
                "source {:?} has the threads layout, which `yardstick sql` does not compile \
                 (events and cases only)",
                src.name
            ))
        }
    };
    for (_, col) in deadlines {
        if !times.iter().any(|t| &t.column == col) {
            times.push(TimeColumn {
                column: col.clone(),
                promised: true,
                milestone: None,
            });
        }
    }
    Ok(times)
}

/// Cells: trimmed, and NULL for the empty cell and the source's null_values.
fn cells(
    req: &Request,
    src: &Source,
    stem: &str,
    table_name: &str,
    times: &[TimeColumn],
    attrs: &[String],
    numbers: &[String],
) -> (String, String) {
    let d = req.dialect;
    let mut cells = vec![format!("{} AS case_id", nul(d, src, &src.case))];
    for (k, t) in times.iter().enumerate() {
        cells.push(format!("{} AS c_{}", nul(d, src, &t.column), k + 1));
    }
    if let Layout::Events { event, .. } = &src.layout {
        cells.push(format!("{} AS event_raw", nul(d, src, event)));
    }
    for (i, dv) in src.derived.iter().enumerate() {
        cells.push(format!("{} AS dur_{}", nul(d, src, &dv.column), i + 1));
    }
    for (j, a) in attrs.iter().enumerate() {
        cells.push(format!("{} AS a_{}", nul(d, src, a), j + 1));
    }
    for (j, col) in numbers.iter().enumerate() {
        cells.push(format!("{} AS n_{}", nul(d, src, col), j + 1));
    }
    if let Some(order) = &req.row_order {
        cells.push(format!("{} AS row_order", d.ident(order)));
    }
    (
        format!("{stem}_cells"),
        format!(
            "  -- source {:?}: table {table_name}, {} layout: every cell as text, trimmed, NULL when empty or one of null_values\n  SELECT {}\n  FROM {}",
            src.name,
            src.layout.name(),
            cells.join(",\n         "),
            d.table(table_name)
        ),
    )
}

/// Milestones derived from a duration column (`Derived::seconds`): a number of the unit
/// (`90`, `1.5`, rounded to the second) or `H:MM[:SS]`; an empty cell is no milestone, any
/// other text skips the row ("unparseable duration").
fn durations(d: Dialect, src: &Source, stem: &str, from: &str) -> Option<(String, String)> {
    if src.derived.is_empty() {
        return None;
    }
    let dbl = d.float();
    let int = "[+-]?[0-9]{1,18}";
    let clock = format!("^{int}:{int}(:{int})?$");
    // What Rust's f64 reads that is a finite number at or above zero (a negative zero too).
    let plain = "^(\\+?([0-9]+\\.?[0-9]*|\\.[0-9]+)|-(0+\\.?0*|\\.0+))([eE][+-]?[0-9]+)?$";
    let mut cols = vec!["*".to_string()];
    for (i, dv) in src.derived.iter().enumerate() {
        let n = i + 1;
        let v = format!("dur_{n}");
        let part = |k: usize| {
            let before = "[^:]*:".repeat(k);
            format!(
                "CAST(NULLIF({}, '') AS BIGINT)",
                // One capturing group: BigQuery's REGEXP_EXTRACT refuses a second.
                d.capture(&v, &format!("^{before}({int})(?::|$)"))
            )
        };
        let (h, m, s) = (part(0), part(1), format!("COALESCE({}, 0)", part(2)));
        let is_clock = d.matches(&v, &clock);
        let is_plain = d.matches(&v, plain);
        cols.push(format!(
            "CASE WHEN {is_clock} THEN (CASE WHEN {h} >= 0 AND {m} BETWEEN 0 AND 59 AND {s} BETWEEN 0 AND 59 THEN {h} * 3600 + {m} * 60 + {s} END) \
             WHEN {is_plain} THEN CAST(FLOOR(LEAST(CAST({v} AS {dbl}) * {}, CAST(4e18 AS {dbl})) + 0.5) AS BIGINT) END AS dur_s_{n}",
            d.double(dv.unit_secs)
        ));
    }
    Some((
        format!("{stem}_durations"),
        format!(
            "  -- durations of derived milestones, in seconds\n  SELECT {}\n  FROM {from}",
            cols.join(",\n         ")
        ),
    ))
}

/// Rows: used (every time there parses, case id, time and event present) or skipped; the
/// row's first and latest time of things that happened; each time column's instant (`t_N`)
/// and its meaning as a deadline (`due_N`), the event's name, the attributes.
fn rows(
    req: &Request,
    src: &Source,
    stem: &str,
    times: &[TimeColumn],
    attrs: &[String],
    numbers: &[String],
    from: &str,
) -> (String, String) {
    let d = req.dialect;
    let at = |k: usize| format!("at_{}", k + 1);
    let mut ok = match &src.layout {
        Layout::Events { .. } => {
            let mut ok =
                "case_id IS NOT NULL AND t_1 IS NOT NULL AND event_raw IS NOT NULL".to_string();
            // A promise cell that is not a time skips the row.
            for n in 2..=times.len() {
                ok.push_str(&format!(" AND (c_{n} IS NULL OR t_{n} IS NOT NULL)"));
            }
            ok
        }
        _ => {
            let mut parts = vec!["case_id IS NOT NULL".to_string()];
            for k in 0..times.len() {
                parts.push(format!("(c_{} IS NULL OR t_{} IS NOT NULL)", k + 1, k + 1));
            }
            parts.join(" AND ")
        }
    };
    let mut happened: Vec<String> = times
        .iter()
        .enumerate()
        .filter(|(_, tc)| !tc.promised)
        .map(|(k, _)| at(k))
        .collect();
    for (i, dv) in src.derived.iter().enumerate() {
        let n = i + 1;
        ok.push_str(&format!(" AND (dur_{n} IS NULL OR dur_s_{n} IS NOT NULL)"));
        happened.push(derived_time(times, i, dv));
    }
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
        rows.push(format!(
            "COALESCE(end_{}, {}) AS due_{}",
            k + 1,
            at(k),
            k + 1
        ));
    }
    for (i, dv) in src.derived.iter().enumerate() {
        rows.push(format!("{} AS dt_{}", derived_time(times, i, dv), i + 1));
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
    for j in 0..numbers.len() {
        rows.push(format!("n_{}", j + 1));
    }
    rows.push(if req.row_order.is_some() {
        "row_order".to_string()
    } else {
        "CAST(NULL AS BIGINT) AS row_order".to_string()
    });
    (
        format!("{stem}_rows"),
        format!("  SELECT {}\n  FROM {from}", rows.join(",\n         ")),
    )
}

/// A derived milestone's time: the milestone it follows plus the duration (none when either
/// is empty; GREATEST and LEAST leave a NULL out on the engines compiled for).
fn derived_time(times: &[TimeColumn], i: usize, dv: &crate::standards::Derived) -> String {
    let k = times
        .iter()
        .position(|t| t.column == dv.after_column)
        .expect("a derived milestone follows a milestone column");
    format!("at_{} + dur_s_{}", k + 1, i + 1)
}

/// Events: (case, time, name) of every used row (events layout) or milestone.
fn events(
    src: &Source,
    stem: &str,
    times: &[TimeColumn],
    promised: &Promised,
    d: Dialect,
) -> String {
    match &src.layout {
        Layout::Events { .. } if promised.cols.is_empty() => {
            format!("  SELECT case_id, t_1 AS t, event AS name, row_order, 0 AS col_no\n  FROM {stem}_rows\n  WHERE used")
        }
        Layout::Events { .. } => {
            // Each promise's local day named once, for the zone rule, which repeats its
            // argument.
            let rows = if promised.days.is_empty() {
                format!("{stem}_rows")
            } else {
                format!(
                    "(SELECT *, {} FROM {stem}_rows) r",
                    promised.days.join(", ")
                )
            };
            format!(
                "  SELECT case_id, t_1 AS t, event AS name, row_order, 0 AS col_no, {}\n  FROM {rows}\n  CROSS JOIN {stem}_promise_dates pd\n  WHERE used",
                promised.cols.join(", ")
            )
        }
        _ => {
            let mut columns: Vec<(String, String, usize)> = times
                .iter()
                .enumerate()
                .filter_map(|(k, tc)| {
                    let m = tc.milestone.as_ref()?;
                    Some((format!("t_{}", k + 1), d.lit(m), k))
                })
                .collect();
            for (i, dv) in src.derived.iter().enumerate() {
                columns.push((format!("dt_{}", i + 1), d.lit(&dv.name), times.len() + i));
            }
            if let Some(sql) = d.unpivot_events(&format!("{stem}_rows"), &columns) {
                return sql;
            }
            let parts: Vec<String> = columns
                .iter()
                .map(|(t, name, k)| {
                    format!(
                        "  SELECT case_id, {t} AS t, {name} AS name, row_order, {k} AS col_no\n  FROM {stem}_rows\n  WHERE used AND {t} IS NOT NULL"
                    )
                })
                .collect();
            parts.join("\n  UNION ALL\n")
        }
    }
}

/// A case's attributes (and deadlines): the native reader keeps the last non-empty value in
/// file order, and a table has none. On the events layout the latest value by the row's
/// time, ties broken by `--row-order`; a cases table has no time column (a row's milestones
/// are not when it was written), so by `--row-order` alone. What is still tied takes the
/// greatest value, so that the query gives one answer.
fn cases(
    d: Dialect,
    src: &Source,
    stem: &str,
    times: &[TimeColumn],
    deadlines: &[(String, String)],
    attrs: &[String],
) -> Vec<(String, String)> {
    let tz = src.timezone;
    let latest = latest(src);
    let pick = |value: &str, name: &str| -> (String, String) {
        (
            format!("{stem}_{name}"),
            d.latest_per_case(value, latest, &format!("{stem}_rows")),
        )
    };
    let mut ctes = Vec::new();
    let mut cases_cols = vec!["c.case_id".to_string(), "c.first_seen".to_string()];
    let mut joins = Vec::new();
    // Where the dialect picks the latest value in the cases' own GROUP BY, the attributes
    // are columns of it: no step and no join of their own.
    let in_group = grouped_attrs(d, attrs, latest);
    let (grouped, separate) = match &in_group {
        Some((aggs, cols)) => {
            cases_cols.extend(cols.iter().cloned());
            (aggs.as_str(), &[][..])
        }
        None => ("", attrs),
    };
    for (j, attr) in separate.iter().enumerate() {
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
    let mut midnights = Vec::new();
    for (k, (_, col)) in deadlines.iter().enumerate() {
        let slot = times
            .iter()
            .position(|tc| &tc.column == col)
            .expect("every deadline column is parsed");
        let due = format!("due_{}", slot + 1);
        let (name, body) = pick(&due, &format!("deadline_{}", k + 1));
        let n = k + 1;
        let v = format!("dl{n}.v");
        if src.date_columns.contains(col) || src.time_columns.contains(col) {
            cases_cols.push(format!("{v} AS deadline_{n}"));
            joins.push(format!(
                "  LEFT JOIN {name} dl{n} ON dl{n}.case_id = c.case_id"
            ));
        } else {
            // `ingest::dates`: a column whose every value is at a local midnight (or the last
            // second of a day, a bare date) holds dates: each midnight is the end of its day.
            midnights.push(midnight_rule(d, tz, &due, n));
            cases_cols.push(format!(
                "{} AS deadline_{n}",
                end_of_day_if(d, tz, &v, &format!("dl{n}.day"), &format!("md.dates_{n}"))
            ));
            // The value's local day named once for the zone rule, which repeats its argument.
            joins.push(format!(
                "  LEFT JOIN (SELECT case_id, v, {} AS day FROM {name}) dl{n} ON dl{n}.case_id = c.case_id",
                d.floor_div(&d.local(tz, "v"), 86_400)
            ));
        }
        ctes.push((name, body));
    }
    if !midnights.is_empty() {
        ctes.push((
            format!("{stem}_midnights"),
            format!(
                "  -- deadline columns of dates written as midnights (ingest::dates)\n  SELECT {}\n  FROM {}",
                midnights.iter().map(|m| m.agg.as_str()).collect::<Vec<_>>().join(",\n         "),
                midnights_of(stem, &midnights)
            ),
        ));
        joins.push(format!("  CROSS JOIN {stem}_midnights md"));
    }
    ctes.push((
        format!("{stem}_cases"),
        format!(
            "  -- one row per case: its first time, and its latest non-empty attribute values\n  SELECT {}\n  FROM (SELECT case_id, MIN(first_t) AS first_seen{grouped} FROM {stem}_rows WHERE used GROUP BY case_id) c{}",
            cases_cols.join(", "),
            joins.iter().map(|j| format!("\n{j}")).collect::<String>()
        ),
    ));
    ctes
}

/// The attributes as columns of the cases' `GROUP BY` (`Dialect::latest_in_group`): the
/// aggregates (`, ... AS v_N`, after `first_seen`) and the cases CTE's columns that name
/// them; none where the dialect picks each in a step of its own.
fn grouped_attrs(d: Dialect, attrs: &[String], latest: &str) -> Option<(String, Vec<String>)> {
    let mut aggs = String::new();
    let mut cols = Vec::new();
    for (j, attr) in attrs.iter().enumerate() {
        let n = j + 1;
        let agg = d.latest_in_group(&format!("a_{n}"), latest)?;
        aggs.push_str(&format!(", {agg} AS v_{n}"));
        cols.push(format!("c.v_{n} AS {}", d.ident(&format!("attr_{attr}"))));
    }
    Some((aggs, cols))
}

/// On the events layout the native reader takes a deadline `by` as a column when the log has
/// a column of that name, else as an event; the query cannot see the table's columns when
/// it is written and reads an event. So that it never gives other numbers, it looks the
/// table's columns up and, when such a column is there, stops with an error that says so
/// (`Dialect::no_columns_named`).
fn guard(d: Dialect, catalog: &Catalog, index: usize, table_name: &str) -> Option<String> {
    let src = &catalog.sources[index];
    if !matches!(src.layout, Layout::Events { .. }) {
        return None;
    }
    let mut by: Vec<&str> = Vec::new();
    for s in catalog
        .standards
        .iter()
        .filter(|s| s.source == index)
        .flat_map(|s| s.each_version())
    {
        if let Kind::Deadline { by: b, .. } = &s.kind {
            if !by.contains(&b.as_str()) {
                by.push(b);
            }
        }
    }
    if by.is_empty() {
        return None;
    }
    let names: Vec<String> = by.iter().map(|b| b.to_string()).collect();
    let message = format!(
        "yardstick sql: table {table_name} has a column named like a deadline `by` ({}) of source {:?}, which yardstick audit reads as the deadline and this query as an event of that name: rename the column, or audit with yardstick audit",
        names.join(", "),
        src.name
    );
    Some(d.no_columns_named(table_name, &names, &message))
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
