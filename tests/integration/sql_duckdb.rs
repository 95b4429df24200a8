//! `yardstick sql --dialect duckdb`: the compiled query, run on DuckDB over the shipped
//! samples and fixtures loaded as text tables (`tests/sql/duck.py`), gives the rows and
//! columns of `yardstick audit --format csv` with the same options, number for number
//! (compliance and the interval to 1e-9), plus the `skipped` column. The refusals need no
//! engine. DuckDB is the `duckdb` Python package (`.ci/engines` installs it into `.ci/venv`);
//! without it the comparisons skip (`common::skip`).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

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
    if let Some(c) = line_column {
        cmd.args(["--line-column", c]);
    }
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
    let samples = [
        (
            "standards/ticket-desk.toml",
            "tickets",
            "samples/ticket-desk.csv",
            "department",
        ),
        (
            "standards/order-cycle.toml",
            "orders",
            "samples/order-cycle.csv",
            "writer",
        ),
        (
            "standards/training-provider.toml",
            "inquiries",
            "samples/training-provider.csv",
            "channel",
        ),
    ];
    for (standards, table, csv, attr) in samples {
        let by_attr = format!("--by={attr}");
        let by_week = format!("--by=week,{attr}");
        let variants: [&[&str]; 6] = [
            &[],
            &[by_attr.as_str()],
            &[by_week.as_str()],
            &["--by=day"],
            &["--by=month"],
            &["--since=2026-11-17", "--until=2026-11-20"],
        ];
        for extra in variants {
            let mut args = vec!["-s", standards];
            // The inquiries; the front desk (a value standard) is in sql_kinds.
            if standards.ends_with("training-provider.toml") {
                args.push(INQUIRIES);
            }
            args.extend_from_slice(extra);
            let sql = query(&py, &args, &[(table, csv)], None);
            assert_same(&sql, &native(&args), &format!("{standards} {extra:?}"));
        }
    }
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
    // The ticket desk by hand (README): 75 of 81 decided first replies within 10 minutes.
    let sql = query(
        &py,
        &["-s", "standards/ticket-desk.toml"],
        &[("tickets", "samples/ticket-desk.csv")],
        None,
    );
    assert_eq!(cell(&sql, "first-reply-10m", "met"), "75");
    assert_eq!(cell(&sql, "first-reply-10m", "breached"), "6");
    assert_eq!(cell(&sql, "first-reply-10m", "skipped"), "0");
}

#[test]
fn fixtures_and_bad_rows_give_the_native_numbers() {
    let Some(py) = engine() else { return };
    for f in [
        "minimal",
        "naive-tz",
        "periodic-update",
        "target-range",
        "bom-crlf",
    ] {
        let standards = format!("tests/fixtures/{f}/standards.toml");
        let csv = format!("tests/fixtures/{f}/tickets.csv");
        let args = ["-s", standards.as_str()];
        let sql = query(&py, &args, &[("tickets", &csv)], None);
        assert_same(&sql, &native(&args), f);
    }
    // Three rows of ten cannot be used (no case id, no time, a time that does not parse):
    // left out and counted.
    let bad = "samples/broken/tickets-bad-rows.csv";
    let args = ["-s", "standards/ticket-desk.toml"];
    let sql = query(&py, &args, &[("tickets", bad)], None);
    let mut with_log = args.to_vec();
    with_log.extend(["--tickets", bad]);
    assert_same(&sql, &native(&with_log), bad);
    assert_eq!(cell(&sql, "first-reply-10m", "skipped"), "3");
    // Names that need quoting: a source "help desk", columns with spaces and quotes, values
    // and null_values with quotes, a title over two lines (one line in the query's comment).
    let names = "tests/fixtures/sql-names/standards.toml";
    let args = ["-s", names, "--by=Team's name"];
    let sql = query(
        &py,
        &args,
        &[("help desk", "tests/fixtures/sql-names/tickets.csv")],
        None,
    );
    assert_same(&sql, &native(&args), names);
    assert_eq!(cell(&sql, "ten.minutes", "skipped"), "1");
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
    let line = Some("line");
    let all = "--only=reply-30m,reply-same-day,vip-reply-next-day,customer-answered,few-follow-ups,reply-before-due";
    let variants: [&[&str]; 7] = [
        &[],
        &["--by=day", all],
        &["--by=team", all],
        &["--by=week,team", all],
        &["--by=region,day", "--only=delivered-by-due-date"],
        &["--since=2026-06-01", "--until=2026-06-05"],
        &["--as-of=2026-06-02 11:00"],
    ];
    for extra in variants {
        let mut args = vec!["-s", TIMES];
        args.extend_from_slice(extra);
        let mut sql_args = args.clone();
        sql_args.push("--row-order=line");
        let sql = query(&py, &sql_args, &TIMES_TABLES, line);
        assert_same(&sql, &native(&args), &format!("{extra:?}"));
    }
    // By hand (Berlin, standards.toml): within 30 minutes, B (02:30 of the repeated hour is
    // its first, 00:30Z, to 00:50Z), D (a fraction dropped; 09:00:00Z to 09:05:30Z), E
    // (+05:30 to " UTC", 600 s), F (a leap second is :59, 600 s) and H (a date alone is
    // local midnight, 22:00Z, to 22:05Z) are met; A (01:30 to 02:30 in the gap, which keeps
    // +01:00: 3600 s), C, G, I, K, L, M and N are not. The measured values, sorted: 300,
    // 330, 600, 600, 1200, 3600, 3600, 8400, 80940, 87000.
    let sql = query(&py, &["-s", TIMES, "--row-order=line"], &TIMES_TABLES, line);
    let want = [
        ("met", "5"),
        ("breached", "8"),
        ("median_s", "1200"),
        ("p90_s", "80940"),
        ("max_s", "87000"),
        ("skipped", "8"),
    ];
    for (column, value) in want {
        assert_eq!(cell(&sql, "reply-30m", column), value, "{column}");
    }
    // The same day: M starts 00:30 CET on the 29th (23:30Z on the 28th) and is answered
    // at 23:59 CEST (21:59Z), one second inside that 23-hour day.
    assert_eq!(cell(&sql, "reply-same-day", "met"), "9");
    assert_eq!(cell(&sql, "reply-same-day", "breached"), "4");
    // Orders: a due date is the end of that day; O4's second row moves it a day earlier
    // (90000 s late); O5 has none; O6's row does not parse; O7 is open.
    for (column, value) in [
        ("met", "1"),
        ("breached", "3"),
        ("open", "1"),
        ("excluded", "1"),
        ("median_s", "601"),
        ("p90_s", "90000"),
        ("skipped", "1"),
    ] {
        assert_eq!(
            cell(&sql, "delivered-by-due-date", column),
            value,
            "{column}"
        );
    }
    // placed_at is a date column: O1 counts from 28 March 00:00 CET (23:00Z on the 27th) to
    // 21:30Z on the 29th, 167400 s; O2 169800 s (both met within 2 days); O4 and O5 from
    // 24 October 00:00 CEST (22:00Z on the 23rd), 176399 and 176400 s; O3 undelivered;
    // O7 open.
    for (column, value) in [
        ("met", "2"),
        ("breached", "3"),
        ("open", "1"),
        ("median_s", "169800"),
        ("max_s", "176400"),
    ] {
        assert_eq!(cell(&sql, "delivered-in-2-days", column), value, "{column}");
    }
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
    let f = "tests/fixtures/sql-calendar";
    let standards = format!("{f}/standards.toml");
    let csv = format!("{f}/tickets.csv");
    let year = ["--since=2026-03-01", "--until=2026-11-01"];
    let variants: [&[&str]; 5] = [
        &year,
        &[year[0], year[1], "--by=week"],
        &[year[0], year[1], "--by=team,month"],
        &[
            "--since=2026-03-28",
            "--until=2026-03-29",
            "--as-of=2026-03-29T00:30:00Z",
        ],
        &["--week=2026-W43"],
    ];
    for extra in variants {
        let mut args = vec!["-s", standards.as_str()];
        args.extend_from_slice(extra);
        let sql = query(&py, &args, &[("tickets", &csv)], None);
        assert_same(&sql, &native(&args), &format!("{extra:?}"));
    }
    // By hand: A2 starts Saturday 24 October 21:30 CEST, before the 22:00 shift (20:00Z),
    // which closes at the second 02:00 (01:00Z); answered at 00:50Z: 4h50m of desk time, a
    // breach. S3 starts Friday 3 April 16:00 CEST: 1h that day, 4h on Saturday night,
    // Easter Monday closed, 30 minutes on Tuesday: 19800 s. The other six are met.
    let mut args = vec!["-s", standards.as_str()];
    args.extend_from_slice(&year);
    let sql = query(&py, &args, &[("tickets", &csv)], None);
    for (column, value) in [
        ("met", "6"),
        ("breached", "2"),
        ("p90_s", "19800"),
        ("max_s", "19800"),
    ] {
        assert_eq!(cell(&sql, "reply-4h", column), value, "{column}");
    }
    // S2's update at 01:00Z on 29 March is the instant the spring gap closes the Saturday
    // shift; the clock waits for Monday 08:00 CEST (06:00Z), and the 06:30Z reply is met.
    assert_eq!(cell(&sql, "each-update-1h", "median_s"), "1800");
    assert!(sql.len() > 1 && query_text(&args).contains("open_time AS MATERIALIZED ("));
}

#[test]
fn pauses_stop_the_clock_as_the_native_engine_does() {
    let Some(py) = engine() else { return };
    let standards = "tests/fixtures/sql-pauses/standards.toml";
    let tables = [("tickets", "tests/fixtures/sql-pauses/tickets.csv")];
    let variants: [&[&str]; 3] = [
        &["--week=2026-W23"],
        &["--week=2026-W23", "--as-of=2026-06-04T10:05:00Z"],
        &["--week=2026-W23", "--by=day"],
    ];
    for extra in variants {
        let mut args = vec!["-s", standards];
        args.extend_from_slice(extra);
        let mut sql_args = args.clone();
        sql_args.push("--row-order=line");
        let sql = query(&py, &sql_args, &tables, Some("line"));
        assert_same(&sql, &native(&args), &format!("{extra:?}"));
    }
    // By hand, 2 hours on `always`: P1 waits 09:00-11:00 (on_hold while paused changes
    // nothing) and is solved at 11:45, 6300 s: met. P2's pause before its start does not
    // count; paused from 13:00 for good, its limit ran out at 12:30 and its 18:00 solve is
    // 9000 s of clock: breached. P3 waits 17 hours overnight, 17100 s: breached. P4 has
    // 40 minutes before its second resume (Friday 09:00), so its limit runs out at 10:20
    // Friday, before the week's end: breached. P5 is paused for good: open.
    let sql = query(&py, &["-s", standards, "--week=2026-W23"], &tables, None);
    for (column, value) in [
        ("met", "1"),
        ("breached", "3"),
        ("open", "1"),
        ("median_s", "9000"),
        ("max_s", "17100"),
    ] {
        assert_eq!(cell(&sql, "solved-2h", column), value, "{column}");
    }
}

fn query_text(args: &[&str]) -> String {
    let mut a = vec!["sql", "--dialect", "duckdb"];
    a.extend_from_slice(args);
    stdout(&run(&a))
}

#[test]
fn a_real_export_gives_the_native_numbers() {
    let Some(py) = engine() else { return };
    // The Kaggle synthetic tickets (cases layout, a date column, cells over several lines):
    // `$YARDSTICK_DATA`, else `../shared/data` beside the project.
    let base = std::env::var_os("YARDSTICK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared").join("data"));
    let csv = base.join("kaggle-customer-support-tickets-synthetic/customer_support_tickets.csv");
    if !csv.is_file() {
        return skip(&format!("{} is not here", csv.display()));
    }
    let csv = csv.to_str().expect("UTF-8 path");
    let standards = "standards/examples/kaggle-synthetic-tickets.toml";
    for by in [None, Some("--by=Ticket Channel")] {
        let mut args = vec!["-s", standards];
        args.extend(by);
        let sql = query(&py, &args, &[("tickets", csv)], None);
        let mut native_args = args.clone();
        native_args.extend(["--tickets", csv]);
        assert_same(&sql, &native(&native_args), &format!("{standards} {by:?}"));
    }
}

#[test]
fn what_is_not_compiled_is_refused_with_the_standard_and_the_reason() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["-s", "tests/fixtures/business-calendar/standards.toml", "--dialect", "duckdb"],
            "tests/fixtures/business-calendar/standards.toml:17:1: standard \"reply-4h-office\": it runs on business calendar \"office\", whose open hours the query carries for the audit's period; give the period with --since and --until (or --week)",
        ),
        (
            &["-s", "standards/ticket-desk.toml", "--dialect", "spark"],
            "error: --dialect spark: `yardstick sql` compiles for duckdb, postgres, bigquery and snowflake so far",
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
