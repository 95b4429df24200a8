//! `yardstick sql --dialect spark`: the compiled query, run on Apache Spark in local mode over
//! the samples, the fixtures and a generated 100,000-event log loaded as string columns
//! (`tests/sql/spark.py`), gives the rows of `yardstick audit --format csv`, as on DuckDB
//! (`sql_duckdb`). The server is the one `$YARDSTICK_SPARK` names (`127.0.0.1:PORT`):
//! `.ci/engines` starts one Spark for the whole run, bound to the loopback interface, and
//! stops it after. Without it the comparisons skip (`common::skip`).

use std::path::PathBuf;

use super::fast_path::workload;
use super::sql_duckdb::{
    a_by_column_stops_the_query, assert_same, cell, native, python, run_on, Table, INQUIRIES,
    TIMES, TIMES_TABLES,
};
use super::sql_repeat::CASES;
use crate::common::skip;

fn server() -> Option<PathBuf> {
    if std::env::var("YARDSTICK_SPARK").map_or(true, |s| s.is_empty()) {
        skip(
            "YARDSTICK_SPARK (a Spark server's 127.0.0.1:PORT) is not set; .ci/engines starts one",
        );
        return None;
    }
    let py = python("pyspark");
    if py.is_none() {
        skip("the pyspark Python package is not installed (.ci/engines installs it into .ci/venv)");
    }
    py
}

/// The compiled query's result on Spark.
fn query(py: &PathBuf, args: &[&str], tables: &[(&str, &str)], line_column: Option<&str>) -> Table {
    run_on(py, "spark", args, tables, line_column)
}

#[test]
fn a_by_column_stops_the_spark_query() {
    let Some(server) = server() else { return };
    a_by_column_stops_the_query(&server, "spark");
}

#[test]
fn spark_gives_the_native_numbers_on_fixtures_and_bad_rows() {
    let Some(server) = server() else { return };
    super::sql_common::fixtures(&server, "spark");
}

#[test]
fn spark_gives_the_native_numbers_on_the_shipped_samples() {
    let Some(server) = server() else { return };
    // Each sample by an attribute and a time bucket (the plain audit is their totals rows).
    let samples = [
        (
            "standards/ticket-desk.toml",
            "tickets",
            "samples/ticket-desk.csv",
            "--by=week,department",
        ),
        (
            "standards/training-provider.toml",
            "inquiries",
            "samples/training-provider.csv",
            "--by=month,channel",
        ),
    ];
    for (standards, table, csv, by) in samples {
        let mut args = vec!["-s", standards, by];
        // The inquiries; the front desk (a value standard) is in sql_kinds.
        if standards.ends_with("training-provider.toml") {
            args.push(INQUIRIES);
        }
        let sql = query(&server, &args, &[(table, csv)], None);
        assert_same(&sql, &native(&args), &format!("spark: {standards} {by}"));
    }
    // The cases layout (the order-cycle sample) is refused on Spark, naming the reason.
    let o = crate::common::run(&[
        "sql",
        "--dialect",
        "spark",
        "-s",
        "standards/order-cycle.toml",
    ]);
    assert_eq!(crate::common::code(&o), 2);
    assert!(
        crate::common::stderr(&o).contains(
            "standard \"payment-confirmed\": source \"orders\" has the cases layout, which `yardstick sql --dialect spark` does not compile yet: its query did not finish planning on Spark (out of memory)"
        ),
        "{}",
        crate::common::stderr(&o)
    );
}

#[test]
fn spark_reads_times_calendars_and_pauses_as_the_native_engine() {
    let Some(server) = server() else { return };
    let line = Some("line");
    // Local times in the gaps and folds of the zones' clock changes, every form of time (the
    // tickets' standards: the orders' are on the cases layout, refused on Spark).
    let tickets = super::sql_common::TIMES_TICKETS;
    let args = ["-s", TIMES, tickets];
    let sql = query(
        &server,
        &["-s", TIMES, tickets, "--row-order=line"],
        &TIMES_TABLES[..1],
        line,
    );
    assert_same(&sql, &native(&args), "spark: sql-times");
    assert_eq!(cell(&sql, "reply-30m", "median_s"), "1200");
    // A business calendar across both of Berlin's 2026 clock changes, with a holiday, an
    // override and a shift past midnight, by day.
    let standards = "tests/fixtures/sql-calendar/standards.toml";
    let args = [
        "-s",
        standards,
        "--since=2026-03-01",
        "--until=2026-11-01",
        "--by=day",
    ];
    let sql = query(
        &server,
        &args,
        &[("tickets", "tests/fixtures/sql-calendar/tickets.csv")],
        None,
    );
    assert_same(&sql, &native(&args), "spark: sql-calendar --by day");
    // By hand (sql_duckdb): A2 is a breach across the autumn change, S3 takes 19800 s of
    // desk time over Easter; S2's clock waits out the spring gap.
    let total = |id: &str, column: &str| {
        let header = &sql[0];
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        sql[1..]
            .iter()
            .find(|r| r[at("id")] == id && r[at("day")].is_empty())
            .map(|r| r[at(column)].clone())
            .unwrap_or_else(|| panic!("no totals row of {id}"))
    };
    assert_eq!(total("reply-4h", "breached"), "2");
    assert_eq!(total("reply-4h", "max_s"), "19800");
    assert_eq!(total("each-update-1h", "median_s"), "1800");
    // Pauses on always and on a business calendar, the events at one instant in the table's
    // line order.
    let standards = "tests/fixtures/sql-pauses/standards.toml";
    let args = [
        "-s",
        standards,
        "--week=2026-W23",
        "--as-of=2026-06-04T10:05:00Z",
    ];
    let sql = query(
        &server,
        &[&args[..], &["--row-order=line"]].concat(),
        &[("tickets", "tests/fixtures/sql-pauses/tickets.csv")],
        line,
    );
    assert_same(&sql, &native(&args), "spark: sql-pauses");
}

#[test]
fn spark_gives_the_native_numbers_on_a_generated_100k_event_log() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("tickets.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
    workload::write(&mut file, 100_000, 7).unwrap();
    drop(file);
    let csv = csv.to_str().expect("UTF-8 path");
    // The benchmark's five timed standards (its value standard is in sql_kinds's cases), by
    // department.
    let args = [
        "-s",
        "bench/standards-5.toml",
        "--only=first-reply-10m,no-message-waits,solved-within-2d,reply-before-solving,followed-up",
        "--by=department",
    ];
    let sql = query(&server, &args, &[("tickets", csv)], None);
    let mut native_args = args.to_vec();
    native_args.extend(["--tickets", csv]);
    let native = native(&native_args);
    assert_same(&sql, &native, "100k events");
    // Five standards, each in three departments and a totals row.
    assert_eq!(sql.len(), 1 + 5 * 4);
}

#[test]
fn spark_gives_the_native_numbers_on_repeat_rates_and_times_of_day() {
    let Some(server) = server() else { return };
    // One of `sql_repeat`'s comparisons (every one would take many minutes on Spark): the
    // shipped repeat rate.
    let what = "repeat-rate 2026";
    let case = CASES
        .iter()
        .find(|c| c.what == what)
        .expect("a case of sql_repeat");
    let mut args = vec!["-s", case.standards];
    args.extend_from_slice(case.args);
    let mut sql_args = args.clone();
    if case.line {
        sql_args.push("--row-order=line");
    }
    let sql = query(&server, &sql_args, case.tables, case.line.then_some("line"));
    assert_same(&sql, &native(&args), &format!("spark: {what}"));
}

/// `sql_kinds`'s comparison of `standards` with `args` (every one would take many minutes
/// on Spark, so each test runs one).
fn kinds_case(server: &PathBuf, standards: &str, args: &[&str]) {
    let case = super::sql_kinds::CASES
        .iter()
        .find(|c| c.standards == standards && c.args == args)
        .expect("a case of sql_kinds");
    let mut native_args = vec!["-s", case.standards];
    native_args.extend_from_slice(case.args);
    let sql = super::sql_kinds::query(server, "spark", case);
    assert_same(
        &sql,
        &native(&native_args),
        &format!("spark: {standards} {args:?}"),
    );
}

#[test]
fn spark_gives_the_native_numbers_on_value_standards() {
    let Some(server) = server() else { return };
    // The value standards' edge cases, whole (sql_kinds::hand_checked has their numbers).
    let whole = &super::sql_kinds::CASES[0];
    kinds_case(&server, whole.standards, whole.args);
}

#[test]
fn spark_gives_the_native_numbers_on_versions_by_date() {
    let Some(server) = server() else { return };
    kinds_case(
        &server,
        "tests/fixtures/versions/standards.toml",
        &["--by=week"],
    );
}
