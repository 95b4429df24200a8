//! `yardstick sql --dialect postgres`: the compiled query, run on a PostgreSQL server over the
//! samples and fixtures loaded as `text` tables (`tests/sql/postgres.py`, in a schema of its
//! own), gives the rows of `yardstick audit --format csv`, as on DuckDB (`sql_duckdb`). The
//! server is the one `$YARDSTICK_PG` names (a libpq connection string): `.ci/engines` makes
//! a cluster on a loopback port and stops it after the run. Without it the comparisons skip
//! (`common::skip`).

use std::path::PathBuf;

use super::sql_common;
use super::sql_duckdb::{
    a_by_column_stops_the_query, assert_same, cell, native, run_on, served, Table,
};

type Server = PathBuf;

pub(super) fn server() -> Option<Server> {
    served("YARDSTICK_PG", "a PostgreSQL connection string", "psycopg")
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
    // Each sample plain (and the ticket desk by hand) and by its attribute and a bucket.
    sql_common::samples(&server, "postgres", &[&[], &["--by=week,{attr}"]]);
    // The fixtures, bad rows and names that need quoting.
    sql_common::fixtures(&server, "postgres");
}

#[test]
fn postgres_reads_times_calendars_and_pauses_as_the_native_engine() {
    let Some(server) = server() else { return };
    let by_week_and_team: &[&str] = &[
        "--by=week,team",
        "--only=reply-30m,reply-same-day,few-follow-ups,customer-answered",
    ];
    sql_common::times(&server, "postgres", &[by_week_and_team]);
    let year = sql_common::CALENDAR_YEAR;
    sql_common::calendar(&server, "postgres", &[&[year[0], year[1], "--by=day"]]);
    let pauses: [&[&str]; 2] = [
        &["--since=2026-06-01", "--until=2026-06-08"],
        &["--since=2026-06-01", "--until=2026-06-08", "--by=day"],
    ];
    sql_common::pauses(&server, "postgres", &pauses);
}

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
