//! `yardstick sql --dialect postgres`: the compiled query, run on a PostgreSQL server over the
//! samples and fixtures loaded as `text` tables (`tests/sql/postgres.py`, in a schema of its
//! own), gives the rows of `yardstick audit --format csv`, as on DuckDB (`sql_duckdb`). The
//! server is the one `$YARDSTICK_PG` names (a libpq connection string): `.ci/engines` makes
//! a cluster on a loopback port and stops it after the run. Without it the comparisons skip
//! (`common::skip`).

use std::path::PathBuf;

use super::sql_duckdb::{
    a_by_column_stops_the_query, assert_same, cell, native, python, run_on, Table, INQUIRIES,
    TIMES, TIMES_TABLES,
};
use crate::common::skip;

type Server = PathBuf;

pub(super) fn server() -> Option<Server> {
    if std::env::var("YARDSTICK_PG").map_or(true, |s| s.is_empty()) {
        skip("YARDSTICK_PG (a PostgreSQL connection string) is not set; .ci/run starts a server");
        return None;
    }
    let py = python("psycopg");
    if py.is_none() {
        skip("the psycopg Python package is not installed (.ci/run installs it into .ci/venv)");
    }
    py
}

/// The compiled query's result on PostgreSQL.
fn query(py: &Server, args: &[&str], tables: &[(&str, &str)], line_column: Option<&str>) -> Table {
    run_on(py, "postgres", args, tables, line_column)
}

#[test]
fn a_by_column_stops_the_postgres_query() {
    let Some(server) = server() else { return };
    a_by_column_stops_the_query(&server, "postgres");
}

#[test]
fn postgres_gives_the_native_numbers() {
    let Some(server) = server() else { return };
    let samples = [
        (
            "standards/ticket-desk.toml",
            "tickets",
            "samples/ticket-desk.csv",
            "--by=week,department",
        ),
        (
            "standards/order-cycle.toml",
            "orders",
            "samples/order-cycle.csv",
            "--by=writer",
        ),
        (
            "standards/training-provider.toml",
            "inquiries",
            "samples/training-provider.csv",
            "--by=month,channel",
        ),
    ];
    for (standards, table, csv, by) in samples {
        for extra in [None, Some(by)] {
            let mut args = vec!["-s", standards];
            // The inquiries; the front desk (a value standard) is in sql_kinds.
            if standards.ends_with("training-provider.toml") {
                args.push(INQUIRIES);
            }
            args.extend(extra);
            let sql = query(&server, &args, &[(table, csv)], None);
            assert_same(&sql, &native(&args), &format!("{standards} {extra:?}"));
        }
    }
    let bad = "samples/broken/tickets-bad-rows.csv";
    let sql = query(
        &server,
        &["-s", "standards/ticket-desk.toml"],
        &[("tickets", bad)],
        None,
    );
    assert_same(
        &sql,
        &native(&["-s", "standards/ticket-desk.toml", "--tickets", bad]),
        bad,
    );
    assert_eq!(cell(&sql, "first-reply-10m", "skipped"), "3");
    let names = "tests/fixtures/sql-names/standards.toml";
    let args = ["-s", names, "--by=Team's name"];
    let sql = query(
        &server,
        &args,
        &[("help desk", "tests/fixtures/sql-names/tickets.csv")],
        None,
    );
    assert_same(&sql, &native(&args), names);
}

#[test]
fn postgres_reads_times_calendars_and_pauses_as_the_native_engine() {
    let Some(server) = server() else { return };
    let line = Some("line");
    let mut args = vec!["-s", TIMES];
    let sql = query(
        &server,
        &[TIMES_ARGS, &args[..]].concat(),
        &TIMES_TABLES,
        line,
    );
    assert_same(&sql, &native(&args), "sql-times");
    assert_eq!(cell(&sql, "reply-30m", "median_s"), "1200");
    args.extend([
        "--by=week,team",
        "--only=reply-30m,reply-same-day,few-follow-ups,customer-answered",
    ]);
    let sql = query(
        &server,
        &[TIMES_ARGS, &args[..]].concat(),
        &TIMES_TABLES,
        line,
    );
    assert_same(&sql, &native(&args), "sql-times --by week,team");
    let calendar = [
        (
            "tests/fixtures/sql-calendar/standards.toml",
            "tests/fixtures/sql-calendar/tickets.csv",
            "--since=2026-03-01",
            "--until=2026-11-01",
        ),
        (
            "tests/fixtures/sql-pauses/standards.toml",
            "tests/fixtures/sql-pauses/tickets.csv",
            "--since=2026-06-01",
            "--until=2026-06-08",
        ),
    ];
    for (standards, csv, since, until) in calendar {
        for by in [None, Some("--by=day")] {
            let mut args = vec!["-s", standards, since, until];
            args.extend(by);
            let sql = query(
                &server,
                &[TIMES_ARGS, &args[..]].concat(),
                &[("tickets", csv)],
                line,
            );
            assert_same(&sql, &native(&args), &format!("{standards} {by:?}"));
        }
    }
}

/// The row order of the tables loaded with a line column.
const TIMES_ARGS: &[&str] = &["--row-order=line"];

#[test]
fn postgres_reads_the_fast_path_fixture_as_the_native_reader() {
    // The fixture of DuckDB's fast paths: PostgreSQL parses those times and cells the
    // general way, with the same numbers.
    use super::sql_duckdb::{FAST, FAST_LOG};
    let Some(server) = server() else { return };
    let args = ["-s", FAST, "--by=team"];
    let sql = query(&server, &args, &[("tickets", FAST_LOG)], None);
    assert_same(
        &sql,
        &native(&[&args[..], &["--tickets", FAST_LOG]].concat()),
        "sql-fast",
    );
    assert_eq!(cell(&sql, "reply-10m", "skipped"), "6");
}
