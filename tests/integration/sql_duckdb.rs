//! `yardstick sql --dialect duckdb`: the compiled query, run on DuckDB over the shipped
//! samples and fixtures loaded as text tables (`tests/sql/duck.py`), gives the rows and
//! columns of `yardstick audit --format csv` with the same options, number for number
//! (compliance and the interval to 1e-9), plus the `skipped` column. The refusals need no
//! engine. DuckDB is the `duckdb` Python package (`.ci/engines` installs it into `.ci/venv`);
//! without it the comparisons skip (`common::skip`).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::sql_common;
use crate::common::{code, root, run, skip, stderr, stdout};

/// A Python that imports `module`: `$YARDSTICK_PYTHON` (`.ci/engines` sets it), else
/// `.ci/venv`'s, else `python3` on the PATH.
pub(super) fn python(module: &str) -> Option<PathBuf> {
    let candidates = std::env::var_os("YARDSTICK_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([root().join(".ci/venv/bin/python"), PathBuf::from("python3")]);
    for candidate in candidates {
        let ok = Command::new(&candidate)
            .args(["-c", &format!("import {module}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return Some(candidate);
        }
    }
    None
}

/// The Python that runs queries on the engine server `$var` names (`is`: what its value is;
/// `.ci/engines` starts the server and sets it), one that imports `module`; none, a skip,
/// when either is missing.
pub(super) fn served(var: &str, is: &str, module: &str) -> Option<PathBuf> {
    if std::env::var(var).map_or(true, |s| s.is_empty()) {
        skip(&format!("{var} ({is}) is not set; .ci/engines starts one"));
        return None;
    }
    let py = python(module);
    if py.is_none() {
        skip(&format!(
            "the {module} Python package is not installed (.ci/engines installs it into .ci/venv)"
        ));
    }
    py
}

pub(super) fn engine() -> Option<PathBuf> {
    let p = python("duckdb");
    if p.is_none() {
        skip("the duckdb Python package is not installed (.ci/run installs it into .ci/venv)");
    }
    p
}

pub(super) type Table = Vec<Vec<String>>;

pub(super) fn parse_csv(text: &str) -> Table {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
        .collect()
}

/// The compiled query's result on DuckDB: `tables` are (table, CSV file); with a line
/// column, each table gets one (BIGINT) holding the row's line in its file.
fn query(py: &PathBuf, args: &[&str], tables: &[(&str, &str)], line_column: Option<&str>) -> Table {
    run_on(py, "duckdb", args, tables, line_column)
}

/// `yardstick sql --dialect DIALECT ARGS`, run by the runner in `tests/sql/` over `tables`.
pub(super) fn run_on(
    py: &PathBuf,
    dialect: &str,
    args: &[&str],
    tables: &[(&str, &str)],
    line_column: Option<&str>,
) -> Table {
    attempt(py, dialect, args, tables, line_column)
        .unwrap_or_else(|e| panic!("{dialect} refused the query of {args:?}:\n{e}"))
}

/// [`run_on`], with the engine's error (its stderr) when the query fails.
pub(super) fn attempt(
    py: &PathBuf,
    dialect: &str,
    args: &[&str],
    tables: &[(&str, &str)],
    line_column: Option<&str>,
) -> Result<Table, String> {
    let flags: Vec<&str> = line_column.map_or(Vec::new(), |c| vec!["--line-column", c]);
    attempt_with(py, dialect, args, tables, &flags)
}

/// [`attempt`] with the runner's own `flags` (`--line-column NAME`; DuckDB's `--bulk`).
pub(super) fn attempt_with(
    py: &PathBuf,
    dialect: &str,
    args: &[&str],
    tables: &[(&str, &str)],
    flags: &[&str],
) -> Result<Table, String> {
    let mut sql_args = vec!["sql", "--dialect", dialect];
    sql_args.extend_from_slice(args);
    let compiled = run(&sql_args);
    assert_eq!(
        code(&compiled),
        0,
        "yardstick {sql_args:?}: {}",
        stderr(&compiled)
    );
    // Not duckdb.py: a script of that name would hide the duckdb package from itself.
    let runner = match dialect {
        "duckdb" => "duck",
        // Checked through sqlglot on DuckDB (`sql_cloud`).
        "bigquery" | "snowflake" => "transpile",
        other => other,
    };
    let mut cmd = Command::new(py);
    cmd.current_dir(root())
        .arg(format!("tests/sql/{runner}.py"));
    if runner == "transpile" {
        cmd.args(["--read", dialect]);
    }
    cmd.args(flags);
    for (t, f) in tables {
        cmd.arg(format!("{t}={f}"));
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&compiled.stdout)
        .expect("the query is written");
    let out = child.wait_with_output().expect("python ends");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(parse_csv(&String::from_utf8(out.stdout).expect("UTF-8")))
}

/// On the events layout a `by` is read as an event; a table with a column of that name,
/// which `audit` reads as the deadline, stops the query with an error that says so.
pub(super) fn a_by_column_stops_the_query(py: &PathBuf, dialect: &str) {
    let f = "tests/fixtures/deadlines-two-files";
    let standards = format!("{f}/standards.toml");
    let csv = format!("{f}/first.csv");
    let err = attempt(py, dialect, &["-s", &standards], &[("orders", &csv)], None)
        .expect_err("the query stops");
    assert!(
        err.contains("yardstick sql: table orders has a column named like a deadline `by` (due_a, due_b) of source \"orders\""),
        "{err}"
    );
}

#[test]
fn a_by_column_stops_the_duckdb_query() {
    let Some(py) = engine() else { return };
    a_by_column_stops_the_query(&py, "duckdb");
    // A table without such a column runs (the ticket desk's `by = "solved"` is an event).
    let sql = query(
        &py,
        &[
            "-s",
            "standards/ticket-desk.toml",
            "--table=tickets=main.tickets",
        ],
        &[("tickets", "samples/ticket-desk.csv")],
        None,
    );
    assert_eq!(cell(&sql, "reply-before-closing", "met"), "78");
}

pub(super) fn native(args: &[&str]) -> Table {
    let mut a = vec!["audit", "--format", "csv", "--allow-bad-rows"];
    a.extend_from_slice(args);
    let o = run(&a);
    assert!(code(&o) < 2, "yardstick {a:?}: {}", stderr(&o));
    parse_csv(&stdout(&o))
}

/// Equal cells, or numbers within 1e-9 (the engines print doubles their own way).
pub(super) fn same_cell(a: &str, b: &str) -> bool {
    a == b
        || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if (x - y).abs() <= 1e-9)
}

/// The query's rows equal the audit's, cell for cell, with `skipped` as the last column.
pub(super) fn assert_same(sql: &Table, native: &Table, what: &str) {
    let (head, rest) = sql.split_first().expect("a header");
    assert_eq!(head.last().map(String::as_str), Some("skipped"), "{what}");
    assert_eq!(&head[..head.len() - 1], &native[0][..], "{what}: columns");
    assert_eq!(
        rest.len(),
        native.len() - 1,
        "{what}: rows\n{sql:?}\n{native:?}"
    );
    for (r, (a, b)) in rest.iter().zip(&native[1..]).enumerate() {
        for (k, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(
                same_cell(x, y),
                "{what}: row {} ({}), column {}: sql {x:?}, audit {y:?}",
                r + 1,
                b[0],
                native[0][k]
            );
        }
    }
}

/// The cell of `column` in the row whose id is `id` (and, with --by, whose first group
/// column is `group`).
pub(super) fn cell<'a>(t: &'a Table, id: &str, column: &str) -> &'a str {
    let k = t[0].iter().position(|c| c == column).expect("a column");
    let row = t[1..].iter().find(|r| r[0] == id).expect("a row");
    &row[k]
}

#[test]
fn the_shipped_samples_give_the_native_numbers() {
    let Some(py) = engine() else { return };
    let variants: [&[&str]; 6] = [
        &[],
        &["--by={attr}"],
        &["--by=week,{attr}"],
        &["--by=day"],
        &["--by=month"],
        &["--since=2026-11-17", "--until=2026-11-20"],
    ];
    sql_common::samples(&py, "duckdb", &variants);
    // The front desk's walk-ins alone: the value standard beside them on the same log, not
    // selected, changes nothing for them.
    for extra in [&[][..], &["--by=week"][..]] {
        let mut args = vec![
            "-s",
            "standards/training-provider.toml",
            "--only=walk-in-2m",
        ];
        args.extend_from_slice(extra);
        let sql = query(
            &py,
            &args,
            &[("front-desk", "samples/front-desk.csv")],
            None,
        );
        assert_same(&sql, &native(&args), &format!("walk-in-2m {extra:?}"));
    }
}

#[test]
fn fixtures_and_bad_rows_give_the_native_numbers() {
    let Some(py) = engine() else { return };
    sql_common::fixtures(&py, "duckdb");
}

/// The training provider's standards on its inquiries (not the front desk's).
pub(super) const INQUIRIES: &str = "--only=inquiry-24h,three-follow-ups,email-answered-same-day,voicemail-returned,registration-confirmed,refund-processed,cancellation-handled";

pub(super) const TIMES: &str = "tests/fixtures/sql-times/standards.toml";
pub(super) const TIMES_TABLES: [(&str, &str); 2] = [
    ("tickets", "tests/fixtures/sql-times/tickets.csv"),
    ("orders", "tests/fixtures/sql-times/orders.csv"),
];

#[test]
fn times_around_clock_changes_parse_as_the_native_reader_reads_them() {
    let Some(py) = engine() else { return };
    let all = sql_common::TIMES_TICKETS;
    let variants: [&[&str]; 6] = [
        &["--by=day", all],
        &["--by=team", all],
        &["--by=week,team", all],
        &["--by=region,day", "--only=delivered-by-due-date"],
        &["--since=2026-06-01", "--until=2026-06-05"],
        &["--as-of=2026-06-02 11:00"],
    ];
    sql_common::times(&py, "duckdb", &variants);
}

#[test]
fn without_a_row_order_ties_take_the_greatest_value() {
    let Some(py) = engine() else { return };
    // L's two rows share an instant: the file says team "z", then "a" (the native answer);
    // a table has no file order, so the greater value wins. O4's two rows (cases layout, no
    // time column) keep the later due date, and O4 is met.
    let sql = query(
        &py,
        &["-s", TIMES, "--by=team", "--only=reply-30m"],
        &TIMES_TABLES,
        None,
    );
    let teams: Vec<&str> = sql[1..].iter().map(|r| r[6].as_str()).collect();
    assert_eq!(teams, ["b", "east", "north", "south", "west", "z", ""]);
    let native = native(&["-s", TIMES, "--by=team", "--only=reply-30m"]);
    let teams: Vec<&str> = native[1..].iter().map(|r| r[6].as_str()).collect();
    assert_eq!(teams, ["a", "b", "east", "north", "south", "west", ""]);
    let sql = query(&py, &["-s", TIMES], &TIMES_TABLES, None);
    assert_eq!(cell(&sql, "delivered-by-due-date", "met"), "2");
}

#[test]
fn business_calendars_match_the_native_engine_across_clock_changes_and_holidays() {
    let Some(py) = engine() else { return };
    let year = sql_common::CALENDAR_YEAR;
    let variants: [&[&str]; 4] = [
        &[year[0], year[1], "--by=week"],
        &[year[0], year[1], "--by=team,month"],
        &[
            "--since=2026-03-28",
            "--until=2026-03-29",
            "--as-of=2026-03-29T00:30:00Z",
        ],
        &["--week=2026-W43"],
    ];
    sql_common::calendar(&py, "duckdb", &variants);
    let args = [&["-s", sql_common::CALENDAR][..], &year].concat();
    assert!(query_text(&args).contains("open_time AS MATERIALIZED ("));
}

#[test]
fn pauses_stop_the_clock_as_the_native_engine_does() {
    let Some(py) = engine() else { return };
    let variants: [&[&str]; 3] = [
        &["--week=2026-W23"],
        &["--week=2026-W23", "--as-of=2026-06-04T10:05:00Z"],
        &["--week=2026-W23", "--by=day"],
    ];
    sql_common::pauses(&py, "duckdb", &variants);
}

fn query_text(args: &[&str]) -> String {
    let mut a = vec!["sql", "--dialect", "duckdb"];
    a.extend_from_slice(args);
    stdout(&run(&a))
}

#[test]
fn a_real_export_gives_the_native_numbers() {
    let Some(py) = engine() else { return };
    sql_common::real_export(&py, "duckdb", &[&[], &["--by=Ticket Channel"]]);
}

#[test]
fn what_is_not_compiled_is_refused_with_the_standard_and_the_reason() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["-s", "tests/fixtures/business-calendar/standards.toml", "--dialect", "duckdb"],
            "tests/fixtures/business-calendar/standards.toml:17:1: standard \"reply-4h-office\": it runs on business calendar \"office\", whose open hours the query carries for the audit's period; give the period with --since and --until (or --week)",
        ),
        (
            &["-s", "standards/ticket-desk.toml", "--dialect", "duckdb", "--table", "orders=x"],
            "error: --table orders=...: the standards define no source \"orders\"; their sources are tickets",
        ),
        (
            &["-s", "standards/ticket-desk.toml", "--dialect", "duckdb", "--table", "tickets=summary"],
            "the query names a step \"summary\", which would hide the table",
        ),
        (
            &["-s", "standards/ticket-desk.toml", "--dialect", "duckdb", "--table", "tickets"],
            "error: --table \"tickets\": expected SOURCE=TABLE",
        ),
    ];
    for (args, want) in cases {
        let mut a = vec!["sql"];
        a.extend_from_slice(args);
        let o = run(&a);
        assert_eq!(code(&o), 2, "{a:?}");
        assert!(stdout(&o).is_empty(), "{a:?}: no query is printed");
        assert!(
            stderr(&o).contains(want),
            "{a:?}\n got: {}\nwant: {want}",
            stderr(&o)
        );
    }
}

#[test]
fn the_query_reads_as_its_concepts() {
    let o = run(&[
        "sql",
        "-s",
        "standards/ticket-desk.toml",
        "--dialect",
        "duckdb",
        "--table",
        "tickets=raw.zendesk_events",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let sql = stdout(&o);
    for part in [
        "FROM \"raw\".\"zendesk_events\"",
        "tickets_cases AS ",
        "tickets_events AS ",
        "-- standard first-reply-10m: Every query is answered within 10 minutes of being initiated\n",
        "s1_clocks AS ",
        "s4_outcomes AS ",
        "\noutcomes AS ",
        "\nsummary AS ",
    ] {
        assert!(sql.contains(part), "{part:?} in\n{sql}");
    }
    assert_eq!(sql.matches(';').count(), 1, "one statement");
    assert!(sql.trim_end().ends_with(';'));
}

/// The DuckDB query's trim fast path (`Dialect::trim_ws`), and times of the commonest form
/// around its edges (for a fast path of it): a `YYYY-MM-DDTHH:MM:SSZ` time with a day that does not exist, hour 24,
/// minute 60, month 13, 29 February of 1900 (none) and 2000, a leap second, year 0, a
/// lowercase t or z or a space for the T; cells with spaces and tabs around them, a cell of
/// spaces, a value ending in a letter outside ASCII.
pub(super) const FAST: &str = "tests/fixtures/sql-fast/standards.toml";
pub(super) const FAST_LOG: &str = "tests/fixtures/sql-fast/tickets.csv";

#[test]
fn the_fast_paths_read_times_and_cells_as_the_native_reader() {
    let Some(py) = engine() else { return };
    for by in [&[][..], &["--by=team"][..]] {
        let mut args = vec!["-s", FAST];
        args.extend_from_slice(by);
        let sql = query(&py, &args, &[("tickets", FAST_LOG)], None);
        let mut with_log = args.clone();
        with_log.extend(["--tickets", FAST_LOG]);
        assert_same(&sql, &native(&with_log), &format!("{args:?}"));
        // The totals (the last row): five times that are no time and one empty event; A, C
        // (the leap second: 12:00:59 to 12:10:59), E and F (year 0) met, B (2000-02-29)
        // and D breached.
        let total = |column: &str| {
            let k = sql[0].iter().position(|c| c == column).expect("a column");
            sql.last().expect("a row")[k].clone()
        };
        assert_eq!(total("skipped"), "6");
        assert_eq!(total("met"), "4");
        assert_eq!(total("breached"), "2");
        assert_eq!(total("p90_s"), "1800");
    }
    // " north" and "north\t" are one team, "south " is "south".
    let sql = query(
        &py,
        &["-s", FAST, "--by=team"],
        &[("tickets", FAST_LOG)],
        None,
    );
    let teams: Vec<&str> = sql[1..].iter().map(|r| r[6].as_str()).collect();
    assert_eq!(teams, ["café", "north", "south", ""]);
    // café: C (600 s) and F (540 s).
    assert_eq!(cell(&sql, "reply-10m", "median_s"), "540");
    assert_eq!(cell(&sql, "reply-10m", "p90_s"), "600");
}

#[test]
fn the_fast_path_reads_times_without_a_zone_on_a_utc_source_as_the_native_reader() {
    let Some(py) = engine() else { return };
    let (standards, log) = (
        "tests/fixtures/sql-fast/utc.toml",
        "tests/fixtures/sql-fast/utc.csv",
    );
    let sql = query(&py, &["-s", standards], &[("tickets", log)], None);
    assert_same(
        &sql,
        &native(&["-s", standards, "--tickets", log]),
        "sql-fast/utc",
    );
    // Skipped: 24:00, minute 60, 2026-02-29. A (300 s), C (the leap second, 600 s), D (the
    // general forms, 540 s), F (2024-02-29, 60 s), G (minutes alone, 600 s) met; B (1200 s)
    // and E (year 0, 900 s) breached.
    assert_eq!(cell(&sql, "reply-10m", "skipped"), "3");
    assert_eq!(cell(&sql, "reply-10m", "met"), "5");
    assert_eq!(cell(&sql, "reply-10m", "breached"), "2");
    assert_eq!(cell(&sql, "reply-10m", "median_s"), "600");
    assert_eq!(cell(&sql, "reply-10m", "p90_s"), "1200");
}
