//! `yardstick sql`: a standards file -> one SQL statement that audits a warehouse table the
//! way `yardstick audit` audits an export, and gives the rows and columns of `audit --format
//! csv` (and a `skipped` column). Owns the translation of every rule it compiles: the
//! reader's parsing and row accounting (`source`), the meaning of each standard kind
//! (`kinds`), and the summary (compliance, Wilson interval, nearest-rank quantiles, groups
//! and totals, here). A construct it does not compile is an error naming the standard and
//! the reason, never a query that would give other numbers. Knows nothing of logs: the data
//! is in the warehouse, and the engine parses it there.

mod calendar;
mod clock;
mod expr;
mod kinds;
mod pattern;
mod repeat;
mod source;
mod steps;
mod times;
mod values;
mod versions;

use crate::error::{Error, Position, Result};
use crate::evaluate::Period;
use crate::render::{AUDIT_COLUMNS, VALUE_COLUMNS, VERSION_COLUMNS};
use crate::report::{limit_s, Dim};
use crate::standards::{CalendarChoice, Catalog, Due, Kind, Standard};
use crate::time::calendar::Calendar;

use expr::{int_opt, SortedList};

/// The SQL dialects `--dialect` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Duckdb,
    Spark,
    Postgres,
    Bigquery,
    Snowflake,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Postgres => "postgres",
            Dialect::Bigquery => "bigquery",
            Dialect::Snowflake => "snowflake",
        }
    }
}

/// What to compile: the standards selected, the period and as-of as the audit reads them,
/// the grouping, and where each source's data is.
pub struct Request<'a> {
    pub catalog: &'a Catalog,
    pub selected: &'a [usize],
    pub period: Period,
    /// `--as-of`, else the end of the period; none: each source's latest time, found in SQL.
    pub as_of: Option<i64>,
    pub dims: &'a [Dim],
    /// `(source, table)` from `--table`; a source not named reads the table of its name.
    pub tables: &'a [(String, String)],
    /// `--row-order COLUMN`: breaks ties between a case's rows at one instant.
    pub row_order: Option<String>,
    pub dialect: Dialect,
}

/// Names of the shared CTEs: a `--table` of one of these names would be hidden by them.
const SHARED: [&str; 9] = [
    "standards",
    "shown",
    "outcomes",
    "grouped",
    "ranked",
    "summary",
    "scored",
    "open_time",
    "open_days",
];

/// An error about a standard the compiler does not compile, at the standard's line.
pub(crate) fn refuse(catalog: &Catalog, id: &str, reason: &str) -> Error {
    let s = catalog
        .standards
        .iter()
        .find(|s| s.id == id)
        .expect("refused standards are in the catalog");
    Error::Standards {
        path: catalog.files[s.file].path.clone(),
        pos: Some(Position {
            line: s.line,
            column: 1,
        }),
        message: format!("standard {id:?}: {reason}; leave it out with --only, or audit it with `yardstick audit`"),
    }
}

/// [`refuse`] at the line of the table that defines `v`: a version by date, named by its
/// dates, or a standard without them.
fn refuse_at(catalog: &Catalog, v: &Standard, reason: &str) -> Error {
    if !v.effective.is_dated() {
        return refuse(catalog, &v.id, reason);
    }
    Error::Standards {
        path: catalog.files[v.file].path.clone(),
        pos: Some(Position {
            line: v.line,
            column: 1,
        }),
        message: format!(
            "standard {:?}, its version {}: {reason}; leave it out with --only, or audit it with `yardstick audit`",
            v.id,
            v.effective.describe()
        ),
    }
}

/// Refuses what the compiler does not compile yet, before any SQL is written.
fn check(req: &Request) -> Result<()> {
    let catalog = req.catalog;
    // The audit cuts each source's period in its own file's zone; the query has one period.
    let given = req.period.since.is_some() || req.period.until.is_some();
    if given
        && catalog
            .files
            .iter()
            .any(|f| f.timezone != catalog.files[0].timezone)
    {
        return Err(Error::usage(
            "the standards files have different time zones, and `yardstick sql` cuts one period for all: give one file (or files of one zone) with --since, --until or --week",
        ));
    }
    check_versions(req)?;
    check_tables(req)
}

/// Refuses a version of a selected standard the query cannot judge as `audit` does: a
/// business calendar without the period that bounds its open hours, a toggling pause
/// without `--row-order`, a promised time off the events layout.
fn check_versions(req: &Request) -> Result<()> {
    let catalog = req.catalog;
    for s in req
        .selected
        .iter()
        .flat_map(|&i| catalog.standards[i].each_version())
    {
        let no = |reason: &str| Err(refuse_at(catalog, s, reason));
        match &s.calendar {
            CalendarChoice::Fixed(c) if c.is_always() => {}
            // The query carries the calendar's open windows for the audit's range, which
            // only a period bounds.
            CalendarChoice::Fixed(c) if req.period.since.is_none() || req.period.until.is_none() => {
                return no(&format!(
                    "it runs on business calendar {:?}, whose open hours the query carries for the audit's period; give the period with --since and --until (or --week)",
                    c.name
                ))
            }
            CalendarChoice::Fixed(c) => {
                if range_end(req, c).is_none() {
                    return no(&format!(
                        "business calendar {:?} has no open time within 20 years of the period's end",
                        c.name
                    ));
                }
            }
            CalendarChoice::ByAttribute { column, .. } => {
                // Each case's calendar is a row of `open_time` by name: business calendars
                // only, whose open hours the query carries for the audit's period.
                let all = s.calendar.all();
                if let Some(c) = all.iter().find(|c| c.is_always()) {
                    return no(&format!(
                        "it picks its calendar by {column:?} (`calendar.by`), and {:?} is the always calendar, which `yardstick sql` does not mix with business calendars",
                        c.name
                    ));
                }
                if req.period.since.is_none() || req.period.until.is_none() {
                    return no(&format!(
                        "it picks its business calendar by {column:?}, whose open hours the query carries for the audit's period; give the period with --since and --until (or --week)"
                    ));
                }
                if let Some(c) = all.iter().find(|c| range_end(req, c).is_none()) {
                    return no(&format!(
                        "business calendar {:?} has no open time within 20 years of the period's end",
                        c.name
                    ));
                }
            }
        }
        // A name that both pauses and resumes toggles the clock, which a query over rows
        // can follow only in the file's order: `--row-order`.
        if let (Some(n), None) = (
            s.pause_on.iter().find(|n| s.resume_on.contains(n)),
            &req.row_order,
        ) {
            return no(&format!(
                "event {n:?} both pauses and resumes its clock, which a table can follow only in the file's order: give it with --row-order COLUMN"
            ));
        }
        if let (
            Kind::Each {
                due: Due::By(_), ..
            },
            false,
        ) = (
            &s.kind,
            matches!(
                catalog.sources[s.source].layout,
                crate::standards::Layout::Events { .. }
            ),
        ) {
            return no("an each standard with a promised time (`by`) is compiled by `yardstick sql` on the events layout only");
        }
    }
    Ok(())
}

/// Refuses a `--table` that a step of the query would hide.
fn check_tables(req: &Request) -> Result<()> {
    for (source, t) in req.tables {
        let t_lower = t.to_ascii_lowercase();
        if SHARED.contains(&t_lower.as_str()) || clock::NAMES.contains(&t_lower.as_str()) {
            return Err(Error::usage(format!(
                "--table {source}={t}: the query names a step {t:?}, which would hide the table; give the table with its schema (SCHEMA.{t})"
            )));
        }
    }
    Ok(())
}

/// The end of the range whose open windows the query needs for calendar `cal`: the as-of,
/// and the latest deadline of a clock started before the period's end on it (a clock that
/// started earlier runs out earlier); three days more hold the last open day's close.
fn range_end(req: &Request, cal: &Calendar) -> Option<i64> {
    let until = req.period.until?;
    let as_of = req.as_of.unwrap_or(until);
    let from = until.max(as_of);
    let mut end = from;
    for s in req
        .selected
        .iter()
        .flat_map(|&i| req.catalog.standards[i].each_version())
    {
        let on_it = s.calendar.all().iter().any(|c| c.name == cal.name);
        if let (true, Some(w)) = (on_it, s.kind.within()) {
            let d = cal.deadline(from, w);
            if d == i64::MAX {
                return None;
            }
            end = end.max(d);
        }
    }
    Some(end + 3 * 86_400)
}

/// The column names of the result, as `audit --format csv` writes its header, then
/// `skipped`.
pub fn columns(dims: &[Dim]) -> Vec<String> {
    let mut out = Vec::new();
    for c in AUDIT_COLUMNS {
        out.push(c.to_string());
        if c == "calendar" {
            out.extend(dims.iter().map(|d| {
                if AUDIT_COLUMNS.contains(&d.name()) {
                    format!("group_{}", d.name())
                } else {
                    d.name().to_string()
                }
            }));
        }
    }
    if !dims.is_empty() {
        out.push("total".into());
    }
    out.extend(["compliance_low", "compliance_high"].map(String::from));
    out.extend(VALUE_COLUMNS.map(String::from));
    out.extend(VERSION_COLUMNS.map(String::from));
    out.push("timezone".into());
    out.push("skipped".into());
    out
}

/// The one SQL statement for `req`: each source's CTEs, the business calendars' rows, each
/// standard's CTEs, then the steps every standard shares (groups, summary, scores, the
/// version shown) and the result in the columns and row order of `audit --format csv`.
pub fn compile(req: &Request) -> Result<String> {
    check(req)?;
    let d = req.dialect;
    let compiled = compile_sources(req)?;
    let mut ctes: Vec<(String, String)> = Vec::new();
    for c in &compiled {
        ctes.extend(c.ctes.iter().cloned());
    }
    ctes.extend(calendar_ctes(req));
    ctes.extend(clock::zone_ctes(req));
    ctes.extend(standard_ctes(req, &compiled));
    ctes.push(grouped(d, req.dims));
    let part: String = format!(
        "std, is_total{}",
        group_names(req.dims)
            .iter()
            .map(|g| format!(", {g}"))
            .collect::<String>()
    );
    summary(req, &part, &mut ctes);
    ctes.push(scored(d));
    ctes.push(versions::shown(d, req.dims));
    Ok(statement(req, &ctes, &compiled))
}

/// The sources read, in catalogue order, each compiled with the attributes its standards
/// and `--by` need.
fn compile_sources(req: &Request) -> Result<Vec<source::SourceSql>> {
    let catalog = req.catalog;
    let mut sources: Vec<usize> = req
        .selected
        .iter()
        .map(|&i| catalog.standards[i].source)
        .collect();
    sources.sort_unstable();
    sources.dedup();
    sources
        .iter()
        .map(|&si| {
            let (attrs, first) = source_attributes(req, si);
            source::compile(req, catalog, si, attrs, first)
        })
        .collect()
}

/// The attribute columns read of source `si`: the selected standards' `where` columns, a
/// repeat standard's customer and a calendar chosen by attribute, then `--by`'s, each once;
/// and the first standard on it (which a refusal of the source names).
fn source_attributes<'a>(req: &Request<'a>, si: usize) -> (Vec<String>, &'a str) {
    let catalog = req.catalog;
    let mut attrs: Vec<String> = Vec::new();
    let mut first = None;
    for &i in req.selected {
        let s = &catalog.standards[i];
        if s.source != si {
            continue;
        }
        first.get_or_insert(s.id.as_str());
        let filters = s
            .each_version()
            .flat_map(|v| v.filter.iter().map(|(c, _)| c));
        for col in filters.chain(repeat::columns(s)) {
            if !attrs.contains(col) {
                attrs.push(col.clone());
            }
        }
        if let CalendarChoice::ByAttribute { column, .. } = &s.calendar {
            if !attrs.contains(column) {
                attrs.push(column.clone());
            }
        }
    }
    for dim in req.dims {
        if let Dim::Attr(a) = dim {
            if !attrs.contains(a) {
                attrs.push(a.clone());
            }
        }
    }
    (attrs, first.expect("a source read has a selected standard"))
}

/// The business calendars' open windows for the audit's range, as rows (and the days of
/// their deadlines at a time of day); none when every standard is on the always calendar.
fn calendar_ctes(req: &Request) -> Vec<(String, String)> {
    let catalog = req.catalog;
    let mut ctes = Vec::new();
    let mut calendars: Vec<&Calendar> = Vec::new();
    for s in req
        .selected
        .iter()
        .flat_map(|&i| catalog.standards[i].each_version())
    {
        for c in s.calendar.all() {
            if !c.is_always() && !calendars.iter().any(|k| k.name == c.name) {
                calendars.push(c);
            }
        }
    }
    if let (Some(since), false) = (req.period.since, calendars.is_empty()) {
        let end = calendars
            .iter()
            .filter_map(|c| range_end(req, c))
            .max()
            .expect("checked");
        ctes.extend(calendar::ctes(req.dialect, &calendars, since, end));
        ctes.extend(clock::business_ctes(req, &calendars, since, end));
    }
    ctes
}

/// Each standard's CTEs (the first under a comment with its id and title), then `standards`
/// (what a report row shows of each version) and `outcomes` (every standard's, one union).
fn standard_ctes(req: &Request, sources: &[source::SourceSql]) -> Vec<(String, String)> {
    let (catalog, d, dims) = (req.catalog, req.dialect, req.dims);
    let src_of = |si: usize| {
        sources
            .iter()
            .find(|c| c.index == si)
            .expect("every source read is compiled")
    };
    let mut ctes = Vec::new();
    let mut standards = Vec::new();
    let mut outcomes = Vec::new();
    for (n, &i) in req.selected.iter().enumerate() {
        let s = &catalog.standards[i];
        let k = n + 1;
        let src = src_of(s.source);
        let tz = catalog.files[s.file].timezone;
        let compiled = repeat::compile(d, k, s, src, dims, tz, req.period)
            .unwrap_or_else(|| kinds::compile(d, k, s, src, dims, tz, req.period));
        let title = s
            .title
            .as_deref()
            .map(|t| format!(": {}", one_line(t)))
            .unwrap_or_default();
        let mut first = true;
        for (name, body) in compiled.ctes {
            let body = if first {
                first = false;
                format!("  -- standard {}{title}\n{body}", one_line(&s.id))
            } else {
                body
            };
            ctes.push((name, body));
        }
        outcomes.push(format!("  SELECT * FROM {}", compiled.outcomes));
        standards.extend(standard_rows(req, k, s, src));
    }
    ctes.push((
        "standards".into(),
        format!(
            "  -- the standards audited, as the standards file defines them\n{}",
            standards.join("\n  UNION ALL\n")
        ),
    ));
    ctes.push(("outcomes".into(), outcomes.join("\n  UNION ALL\n")));
    ctes
}

/// `g_1` ... : the group columns of `--by`'s dimensions, in their order.
fn group_names(dims: &[Dim]) -> Vec<String> {
    (1..=dims.len()).map(|j| format!("g_{j}")).collect()
}

/// Groups: every outcome in its group (with --by) and in its standard's totals row; a
/// standard without outcomes still has its row (all counts 0).
fn grouped(d: Dialect, dims: &[Dim]) -> (String, String) {
    let g = group_names(dims);
    let g_null: String = g
        .iter()
        .map(|g| format!(", CAST(NULL AS {}) AS {g}", d.text()))
        .collect();
    let o_g: String = g.iter().map(|g| format!(", o.{g}")).collect();
    let groups = format!(
        "  SELECT o.std AS std, FALSE AS is_total{o_g}, o.verdict, o.value, o.cnt, o.num, o.no_value\n  FROM outcomes o"
    );
    let totals = format!(
        "  SELECT s.ord AS std, TRUE AS is_total{g_null}, o.verdict, o.value, o.cnt, o.num, o.no_value\n  FROM standards s LEFT JOIN outcomes o ON o.std = s.ord\n  WHERE s.ver = 0"
    );
    let grouped = match (dims.is_empty(), d.expands_ctes()) {
        (true, _) => vec![totals],
        (false, false) => vec![groups, totals],
        // The groups and the totals from one read of the outcomes: one copy of every
        // standard's query fewer where each read is one.
        (false, true) => {
            let g_or_null: String = g
                .iter()
                .map(|g| {
                    format!(
                        ", CASE WHEN t.is_total THEN CAST(NULL AS {}) ELSE o.{g} END AS {g}",
                        d.text()
                    )
                })
                .collect();
            vec![format!(
                "  SELECT s.ord AS std, t.is_total{g_or_null}, o.verdict, o.value, o.cnt, o.num, o.no_value\n  FROM standards s LEFT JOIN outcomes o ON o.std = s.ord\n  CROSS JOIN (SELECT FALSE AS is_total UNION ALL SELECT TRUE AS is_total) t\n  WHERE s.ver = 0 AND (t.is_total OR o.std IS NOT NULL)"
            )]
        }
    };
    (
        "grouped".into(),
        format!(
            "  SELECT x.*,\n         CASE WHEN verdict IN ('met', 'breached') AND value IS NOT NULL THEN 1 ELSE 0 END AS has_value,\n         CASE WHEN verdict IN ('met', 'breached') AND cnt IS NOT NULL THEN 1 ELSE 0 END AS has_cnt,\n         CASE WHEN verdict IN ('met', 'breached') AND num IS NOT NULL THEN 1 ELSE 0 END AS has_num\n  FROM (\n{}\n  ) x",
            grouped.join("\n  UNION ALL\n")
        ),
    )
}

/// The `summary` CTE over partition `part` (each standard, total and group).
fn summary(req: &Request, part: &str, ctes: &mut Vec<(String, String)>) {
    let d = req.dialect;
    // Nearest rank (`evaluate::nearest_rank`): the value at rank ceil(q x n), at least 1.
    if let (Some(values), Some(counts), Some(numbers)) = (
        d.sorted_list("value", "has_value = 1"),
        d.sorted_list("cnt", "has_cnt = 1"),
        d.sorted_list("num", "has_num = 1"),
    ) {
        ctes.push((
            "summary".into(),
            listed_summary(part, &values, &counts, &numbers),
        ));
    } else {
        ranked_summary(d, part, req, ctes);
    }
}

/// Compliance in the contract's order of operations (`report::row`); the 95% Wilson
/// interval as `report::wilson` computes it.
fn scored(d: Dialect) -> (String, String) {
    let dbl = d.float().to_string();
    let n = format!("CAST(met + breached AS {dbl})");
    let p = format!("(CAST(met AS {dbl}) / {n})");
    let z = format!("CAST(1.959963984540054 AS {dbl})");
    let z2 = format!("({z} * {z})");
    let one = format!("CAST(1 AS {dbl})");
    let denom = format!("({one} + {z2} / {n})");
    let centre = format!("(({p} + {z2} / (CAST(2 AS {dbl}) * {n})) / {denom})");
    let half = format!(
        "({z} / {denom} * SQRT({p} * ({one} - {p}) / {n} + {z2} / (CAST(4 AS {dbl}) * {n} * {n})))"
    );
    let hundred = format!("CAST(100 AS {dbl})");
    (
        "scored".into(),
        format!(
            "  SELECT m.*,\n         CASE WHEN met + breached > 0 THEN CAST(met AS {dbl}) / {n} * {hundred} END AS compliance,\n         CASE WHEN met + breached > 0 THEN GREATEST(({centre} - {half}) * {hundred}, CAST(0 AS {dbl})) END AS compliance_low,\n         CASE WHEN met + breached > 0 THEN LEAST(({centre} + {half}) * {hundred}, {hundred}) END AS compliance_high\n  FROM summary m"
        ),
    )
}

/// The statement: a header comment, the CTEs, and the result's SELECT, which stops on the
/// sources' guards.
fn statement(req: &Request, ctes: &[(String, String)], sources: &[source::SourceSql]) -> String {
    let (catalog, d) = (req.catalog, req.dialect);
    let (cols, names) = result_columns(d, req.dims);
    let order = result_order(d, req.dims);
    let files: Vec<String> = catalog
        .files
        .iter()
        .map(|f| f.path.display().to_string())
        .collect();
    let mut out = format!(
        "-- yardstick {} sql --dialect {}: {}\n-- The audit of `yardstick audit --format csv` with the same options, as one query over the\n-- sources' tables (every column text). Compiled by yardstick: edit the standards file, not this.\n",
        env!("CARGO_PKG_VERSION"),
        d.name(),
        one_line(&files.join(", "))
    );
    let guards: Vec<&str> = sources.iter().filter_map(|c| c.guard.as_deref()).collect();
    let guard = if guards.is_empty() {
        String::new()
    } else {
        format!(
            "\n-- stops when a table has a column the native audit would read differently\nWHERE {}",
            guards.join("\n  AND ")
        )
    };
    let tail = format!(
        "\nSELECT {}\nFROM shown m\nJOIN standards s ON s.ord = m.std AND s.ver = m.ver{guard}\nORDER BY {};\n",
        named(d, &cols, &names).join(",\n       "),
        order.join(", ")
    );
    out.push_str("WITH\n");
    out.push_str(&steps::write(d, ctes, &tail));
    out.push_str(&tail);
    out
}

/// The result's columns, as expressions over `shown m` and `standards s`, and their names:
/// those of `audit --format csv` ([`columns`]).
fn result_columns(d: Dialect, dims: &[Dim]) -> (Vec<String>, Vec<String>) {
    let dbl = d.float();
    let eps = format!("CAST(1e-9 AS {dbl})");
    let mut cols = vec![
        "s.id".to_string(),
        "s.title".into(),
        "s.level".into(),
        "s.source".into(),
        "s.kind".into(),
        "s.calendar".into(),
    ];
    let names = columns(dims);
    for (j, _) in dims.iter().enumerate() {
        cols.push(format!("m.g_{} AS {}", j + 1, d.ident(&names[6 + j])));
    }
    cols.extend([
        "m.met + m.breached + m.open AS cases".to_string(),
        "m.met".into(),
        "m.breached".into(),
        "m.open".into(),
        "m.excluded".into(),
        "m.compliance".into(),
        "s.target".into(),
        format!("CASE WHEN m.compliance IS NOT NULL THEN m.compliance >= s.target AND (s.target_max IS NULL OR NOT m.compliance > s.target_max + {eps}) END AS passed"),
        format!("CASE WHEN m.compliance IS NULL THEN NULL WHEN s.target_max IS NULL OR m.compliance < s.target THEN m.compliance - s.target WHEN m.compliance > s.target_max + {eps} THEN m.compliance - s.target_max ELSE CAST(0 AS {dbl}) END AS compliance_variance"),
        "s.limit_s".into(),
        "m.median_s".into(),
        "m.p90_s".into(),
        "m.max_s".into(),
        "m.median_s - s.limit_s AS median_variance_s".into(),
        "m.p90_s - s.limit_s AS p90_variance_s".into(),
        "s.at_least".into(),
        "s.at_most".into(),
        "m.count_median".into(),
        "s.rule".into(),
        "s.file".into(),
        "s.line".into(),
        "s.target_max".into(),
    ]);
    if !dims.is_empty() {
        cols.push("m.is_total AS total".into());
    }
    cols.extend(["m.compliance_low".to_string(), "m.compliance_high".into()]);
    // The value standards' columns (empty for every other kind), then the dates of the
    // version a row shows (empty without versions).
    for c in VALUE_COLUMNS {
        cols.push(match c {
            "value_at_least" | "value_at_most" => format!("s.{c}"),
            "no_value" => "CASE WHEN s.kind = 'value' THEN m.no_value END AS no_value".into(),
            _ => format!("m.{c}"),
        });
    }
    cols.extend(VERSION_COLUMNS.map(|c| format!("s.{c}")));
    cols.push("s.timezone".into());
    cols.push("s.skipped".into());
    (cols, names)
}

/// The result's row order: time buckets first, then attribute values (byte order), then
/// the totals row.
fn result_order(d: Dialect, dims: &[Dim]) -> Vec<String> {
    let mut order = vec!["s.ord".to_string(), "m.is_total".to_string()];
    for (j, dim) in dims.iter().enumerate() {
        if !matches!(dim, Dim::Attr(_)) {
            order.push(format!("m.g_{}", j + 1));
        }
    }
    for (j, dim) in dims.iter().enumerate() {
        if matches!(dim, Dim::Attr(_)) {
            order.push(d.bytewise(&format!("m.g_{}", j + 1)));
        }
    }
    order
}

/// The result's columns `cols` (`s.id`, `... AS cases`) under their names: as written, but
/// each named by [`Dialect::alias`] where that differs from the bare name (Snowflake).
fn named(d: Dialect, cols: &[String], names: &[String]) -> Vec<String> {
    debug_assert_eq!(cols.len(), names.len());
    cols.iter()
        .zip(names)
        .map(|(col, name)| {
            let alias = d.alias(name);
            if alias == *name || col.ends_with(&format!(" AS {alias}")) {
                return col.clone();
            }
            let expr = col
                .strip_suffix(&format!(" AS {name}"))
                .unwrap_or(col.as_str());
            format!("{expr} AS {alias}")
        })
        .collect()
}

/// The rows of standard number `k` in the `standards` CTE: one per version by date (`ver`
/// from 0, in date order), else one (`ver` 0); each with what a report row shows of it.
fn standard_rows(req: &Request, k: usize, s: &Standard, src: &source::SourceSql) -> Vec<String> {
    s.each_version()
        .enumerate()
        .map(|(ver, v)| standard_row(req, k, ver, s, v, src))
        .collect()
}

/// The row of version `v` (number `ver`) of standard `s`.
fn standard_row(
    req: &Request,
    k: usize,
    ver: usize,
    s: &Standard,
    v: &Standard,
    src: &source::SourceSql,
) -> String {
    let (catalog, d) = (req.catalog, req.dialect);
    let (at_least, at_most) = match &v.kind {
        Kind::Count {
            at_least, at_most, ..
        } => (*at_least, *at_most),
        _ => (None, None),
    };
    let (value_at_least, value_at_most) = match &v.kind {
        Kind::Value {
            at_least, at_most, ..
        } => (*at_least, *at_most),
        _ => (None, None),
    };
    let double_opt =
        |x: Option<f64>| x.map_or_else(|| format!("CAST(NULL AS {})", d.float()), |x| d.double(x));
    let text_opt =
        |t: Option<String>| t.map_or_else(|| format!("CAST(NULL AS {})", d.text()), |t| d.lit(&t));
    let tz = catalog.files[s.file].timezone;
    format!(
        "  SELECT {k} AS ord, {ver} AS ver, {} AS id, {} AS title, {} AS level, {} AS source, {} AS kind, {} AS calendar,\n         {} AS target, {} AS target_max, CAST({} AS BIGINT) AS limit_s, CAST({} AS BIGINT) AS at_least, CAST({} AS BIGINT) AS at_most,\n         {} AS rule, {} AS file, {} AS line, {} AS timezone, (SELECT skipped FROM {}) AS skipped,\n         {} AS value_at_least, {} AS value_at_most, {} AS effective_from, {} AS effective_until,\n         {}",
        d.lit(&s.id),
        d.lit_opt(v.title.as_deref()),
        d.lit(v.level.as_str()),
        d.lit(&catalog.sources[s.source].name),
        d.lit(v.kind.kind().as_str()),
        d.lit(&v.calendar.label()),
        d.double(v.target),
        double_opt(v.target_max),
        int_opt(limit_s(v)),
        int_opt(at_least),
        int_opt(at_most),
        d.lit(&v.rule()),
        d.lit(&catalog.files[v.file].path.display().to_string()),
        v.line,
        d.lit(tz.name()),
        src.cte("skipped"),
        double_opt(value_at_least),
        double_opt(value_at_most),
        text_opt(v.effective.from_text()),
        text_opt(v.effective.until_text()),
        versions::columns(d, tz, req.dims, v, req.period, &src.cte("as_of")),
    )
}

/// Text for a `--` comment: on one line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The verdicts counted per standard and group, and the nearest-rank median and p90 of the
/// decided cases' values and numbers and the counts' median, from each group's sorted lists.
fn listed_summary(
    part: &str,
    values: &SortedList,
    counts: &SortedList,
    numbers: &SortedList,
) -> String {
    format!(
        "  -- per standard (and group): the verdicts counted, nearest-rank median and p90 of the measured values of decided cases\n  SELECT * EXCLUDE (vs, cs, ns),\n         {} AS median_s,\n         {} AS p90_s,\n         {} AS count_median,\n         {} AS median_value,\n         {} AS p90_value\n  FROM (SELECT {part},\n               CAST(SUM(CASE WHEN verdict = 'met' THEN 1 ELSE 0 END) AS BIGINT) AS met,\n               CAST(SUM(CASE WHEN verdict = 'breached' THEN 1 ELSE 0 END) AS BIGINT) AS breached,\n               CAST(SUM(CASE WHEN verdict = 'open' THEN 1 ELSE 0 END) AS BIGINT) AS open,\n               CAST(SUM(CASE WHEN verdict = 'excluded' THEN 1 ELSE 0 END) AS BIGINT) AS excluded,\n               MAX(CASE WHEN has_value = 1 THEN value END) AS max_s,\n               MAX(CASE WHEN has_num = 1 THEN num END) AS max_value,\n               CAST(COALESCE(SUM(no_value), 0) AS BIGINT) AS no_value,\n               {} AS vs,\n               {} AS cs,\n               {} AS ns\n        FROM grouped\n        GROUP BY {part}) m",
        SortedList::nearest_rank("vs", 1, 2),
        SortedList::nearest_rank("vs", 9, 10),
        SortedList::nearest_rank("cs", 1, 2),
        SortedList::nearest_rank("ns", 1, 2),
        SortedList::nearest_rank("ns", 9, 10),
        values.aggregate,
        counts.aggregate,
        numbers.aggregate,
    )
}

/// The same as `listed_summary` by `ROW_NUMBER()` windows over every outcome (`ranked`).
fn ranked_summary(d: Dialect, part: &str, req: &Request, ctes: &mut Vec<(String, String)>) {
    let rank = |n: &str, num: i64, den: i64| {
        format!(
            "GREATEST({}, 1)",
            d.idiv(&format!("{num} * {n} + {}", den - 1), &den.to_string())
        )
    };
    // The counts' ranks sort every outcome: only a count standard has counts (0.1 s of CPU
    // at 1M events on DuckDB for an elapsed standard's NULLs).
    let cnt_rank = if req
        .selected
        .iter()
        .any(|&i| carries_count(&req.catalog.standards[i].kind))
    {
        format!("ROW_NUMBER() OVER (PARTITION BY {part}, has_cnt ORDER BY cnt)")
    } else {
        "CAST(NULL AS BIGINT)".to_string()
    };
    ctes.push((
        "ranked".into(),
        format!(
            "  SELECT g.*,\n         ROW_NUMBER() OVER (PARTITION BY {part}, has_value ORDER BY value) AS value_rank,\n         SUM(has_value) OVER (PARTITION BY {part}) AS values_n,\n         {cnt_rank} AS cnt_rank,\n         SUM(has_cnt) OVER (PARTITION BY {part}) AS cnts_n,\n         ROW_NUMBER() OVER (PARTITION BY {part}, has_num ORDER BY num) AS num_rank,\n         SUM(has_num) OVER (PARTITION BY {part}) AS nums_n\n  FROM grouped g"
        ),
    ));
    ctes.push((
        "summary".into(),
        format!(
            "  -- per standard (and group): the verdicts counted, nearest-rank median and p90 of the measured values of decided cases\n  SELECT {part},\n         CAST(SUM(CASE WHEN verdict = 'met' THEN 1 ELSE 0 END) AS BIGINT) AS met,\n         CAST(SUM(CASE WHEN verdict = 'breached' THEN 1 ELSE 0 END) AS BIGINT) AS breached,\n         CAST(SUM(CASE WHEN verdict = 'open' THEN 1 ELSE 0 END) AS BIGINT) AS open,\n         CAST(SUM(CASE WHEN verdict = 'excluded' THEN 1 ELSE 0 END) AS BIGINT) AS excluded,\n         MAX(CASE WHEN has_value = 1 AND value_rank = {} THEN value END) AS median_s,\n         MAX(CASE WHEN has_value = 1 AND value_rank = {} THEN value END) AS p90_s,\n         MAX(CASE WHEN has_value = 1 THEN value END) AS max_s,\n         MAX(CASE WHEN has_cnt = 1 AND cnt_rank = {} THEN cnt END) AS count_median,\n         MAX(CASE WHEN has_num = 1 AND num_rank = {} THEN num END) AS median_value,\n         MAX(CASE WHEN has_num = 1 AND num_rank = {} THEN num END) AS p90_value,\n         MAX(CASE WHEN has_num = 1 THEN num END) AS max_value,\n         CAST(COALESCE(SUM(no_value), 0) AS BIGINT) AS no_value\n  FROM ranked\n  GROUP BY {part}",
            rank("values_n", 1, 2),
            rank("values_n", 9, 10),
            rank("cnts_n", 1, 2),
            rank("nums_n", 1, 2),
            rank("nums_n", 9, 10),
        ),
    ));
}

/// Whether a kind's outcomes carry a count (`cnt`, the `count_median` column): a closed
/// match, so that a new kind decides.
fn carries_count(kind: &Kind) -> bool {
    match kind {
        Kind::Count { .. } => true,
        Kind::Elapsed { .. }
        | Kind::Each { .. }
        | Kind::Deadline { .. }
        | Kind::Repeat { .. }
        | Kind::Value { .. } => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(standards: &str, dims: &[Dim], dialect: Dialect) -> Result<String> {
        let catalog = crate::standards::load(std::path::Path::new(standards))?;
        let selected: Vec<usize> = (0..catalog.standards.len()).collect();
        compile(&Request {
            catalog: &catalog,
            selected: &selected,
            period: Period::default(),
            as_of: None,
            dims,
            tables: &[],
            row_order: None,
            dialect,
        })
    }

    #[test]
    fn the_columns_are_the_audits_then_skipped() {
        let plain = columns(&[]);
        assert_eq!(
            plain.len(),
            AUDIT_COLUMNS.len() + 2 + VALUE_COLUMNS.len() + VERSION_COLUMNS.len() + 2
        );
        assert_eq!(
            &plain[..6],
            ["id", "title", "level", "source", "kind", "calendar"]
        );
        assert_eq!(
            &plain[plain.len() - 4..],
            ["effective_from", "effective_until", "timezone", "skipped"]
        );
        // Group columns after `calendar`, one named like a fixed column prefixed, as the CSV
        // renderer names them; `total` before the interval.
        let dims = [Dim::Attr("level".into()), Dim::Week];
        let grouped = columns(&dims);
        assert_eq!(&grouped[5..8], ["calendar", "group_level", "week"]);
        let k = grouped.iter().position(|c| c == "total").unwrap();
        assert_eq!(
            &grouped[k..k + 4],
            [
                "total",
                "compliance_low",
                "compliance_high",
                "value_at_least"
            ]
        );
        assert_eq!(grouped.last().map(String::as_str), Some("skipped"));
    }

    #[test]
    fn one_statement_with_a_guard_only_where_a_by_could_be_a_column() {
        let desk = compiled("standards/ticket-desk.toml", &[], Dialect::Duckdb).unwrap();
        assert_eq!(desk.matches(';').count(), 1);
        assert!(desk.contains("FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'tickets' AND column_name IN ('solved')"));
        // A cases layout reads its deadline from a milestone: nothing to guard.
        let orders = compiled("standards/order-cycle.toml", &[], Dialect::Postgres).unwrap();
        assert!(!orders.contains("information_schema"));
        assert!(orders.contains("AS DOUBLE PRECISION)"));
        assert!(!orders.contains("AS DOUBLE)"));
    }

    #[test]
    fn spark_gets_its_own_lexemes_types_and_guard() {
        let names = compiled(
            "tests/fixtures/sql-names/standards.toml",
            &[Dim::Attr("Team's name".into())],
            Dialect::Spark,
        )
        .unwrap();
        // Identifiers backquoted, no double-quoted text left outside literals and comments.
        assert!(names.contains("FROM `help desk`"), "{names}");
        assert!(names.contains(" AS `Team's name`"), "{names}");
        assert!(!names.contains("VARCHAR"));
        assert!(names.contains("STRING"));
        let desk = compiled("standards/ticket-desk.toml", &[], Dialect::Spark).unwrap();
        assert!(desk.contains(" RLIKE '^(?:^[0-9]{4}"));
        assert!(desk.contains(")?)?$)\\\\z')"));
        assert!(desk.contains(" DIV "));
        assert!(desk.contains("THEN CAST(raise_error('yardstick sql: table tickets has a column named like a deadline `by` (solved)"));
        assert!(!desk.contains("information_schema"));
        // The parsed rows, read by every later step of the source, are planned and computed
        // once (kept from inlining: `Dialect::cte`); the cells, read once, are inlined.
        assert!(desk.contains("tickets_rows AS (\n  SELECT * FROM (\n"));
        assert!(desk.contains("\n  ) tickets_rows\n  WHERE rand() >= 0\n)"));
        assert!(!desk.contains("\n  ) tickets_cells\n  WHERE rand()"));
    }

    #[test]
    fn refusals_name_the_standard_and_the_place() {
        let e = compiled(
            "standards/examples/twitter-support.toml",
            &[],
            Dialect::Duckdb,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("standards/examples/twitter-support.toml:28:1: standard \"reply-within-1h\": source \"tweets\" has the threads layout"),
            "{e}"
        );
    }
}
