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
fn spark_gives_the_native_numbers_on_the_samples() {
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
            // The training provider's front desk has a value standard, which is refused.
            if standards.ends_with("training-provider.toml") {
                args.push(INQUIRIES);
            }
            args.extend(extra);
            let sql = query(&server, &args, &[(table, csv)], None);
            assert_same(&sql, &native(&args), &format!("{standards} {extra:?}"));
        }
    }
    // The ticket desk by hand (README): 75 of 81 decided first replies within 10 minutes.
    let sql = query(
        &server,
        &["-s", "standards/ticket-desk.toml", "--by=day"],
        &[("tickets", "samples/ticket-desk.csv")],
        None,
    );
    assert_eq!(cell(&sql, "first-reply-10m", "met"), "75");
    assert_same(
        &sql,
        &native(&["-s", "standards/ticket-desk.toml", "--by=day"]),
        "--by=day",
    );
}

#[test]
fn spark_gives_the_native_numbers_on_fixtures_and_bad_rows() {
    let Some(server) = server() else { return };
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
    // Names that need quoting (backquotes on Spark), values with quotes, a title over two
    // lines.
    let names = "tests/fixtures/sql-names/standards.toml";
    let args = ["-s", names, "--by=Team's name"];
    let sql = query(
        &server,
        &args,
        &[("help desk", "tests/fixtures/sql-names/tickets.csv")],
        None,
    );
    assert_same(&sql, &native(&args), names);
    assert_eq!(cell(&sql, "ten.minutes", "skipped"), "1");
    for f in ["naive-tz", "target-range", "bom-crlf"] {
        let standards = format!("tests/fixtures/{f}/standards.toml");
        let csv = format!("tests/fixtures/{f}/tickets.csv");
        let args = ["-s", standards.as_str()];
        let sql = query(&server, &args, &[("tickets", &csv)], None);
        assert_same(&sql, &native(&args), f);
    }
}

#[test]
fn spark_reads_times_around_clock_changes_as_the_native_reader() {
    let Some(server) = server() else { return };
    let line = Some("line");
    let all = "--only=reply-30m,reply-same-day,vip-reply-next-day,customer-answered,few-follow-ups,reply-before-due";
    let variants: [&[&str]; 3] = [
        &[],
        &["--by=week,team", all],
        &["--by=region,day", "--only=delivered-by-due-date"],
    ];
    for extra in variants {
        let mut args = vec!["-s", TIMES];
        args.extend_from_slice(extra);
        let mut sql_args = args.clone();
        sql_args.push("--row-order=line");
        let sql = query(&server, &sql_args, &TIMES_TABLES, line);
        assert_same(&sql, &native(&args), &format!("sql-times {extra:?}"));
        if extra.is_empty() {
            // By hand (sql_duckdb): B's repeated 02:30 is its first, A's 02:30 in the gap
            // keeps +01:00.
            assert_eq!(cell(&sql, "reply-30m", "met"), "5");
            assert_eq!(cell(&sql, "reply-30m", "median_s"), "1200");
            assert_eq!(cell(&sql, "reply-30m", "skipped"), "8");
            assert_eq!(cell(&sql, "reply-same-day", "met"), "9");
        }
    }
}

#[test]
fn spark_pauses_match_the_native_engine_and_business_calendars_are_refused() {
    let Some(server) = server() else { return };
    let standards = "tests/fixtures/sql-pauses/standards.toml";
    let tables = [("tickets", "tests/fixtures/sql-pauses/tickets.csv")];
    let args = [
        "-s",
        standards,
        "--week=2026-W23",
        "--as-of=2026-06-04T10:05:00Z",
    ];
    let mut sql_args = args.to_vec();
    sql_args.push("--row-order=line");
    let sql = query(&server, &sql_args, &tables, Some("line"));
    assert_same(&sql, &native(&args), "sql-pauses");
    // Pauses by hand (sql_duckdb): P1 met, P2, P3 and P4 breached, P5 paused for good and
    // open.
    let sql = query(
        &server,
        &["-s", standards, "--week=2026-W23"],
        &tables,
        None,
    );
    for (column, value) in [
        ("met", "1"),
        ("breached", "3"),
        ("open", "1"),
        ("max_s", "17100"),
    ] {
        assert_eq!(cell(&sql, "solved-2h", column), value, "{column}");
    }
    let o = crate::common::run(&[
        "sql",
        "--dialect",
        "spark",
        "-s",
        "tests/fixtures/sql-calendar/standards.toml",
        "--week=2026-W13",
    ]);
    assert_eq!(crate::common::code(&o), 2);
    assert!(
        crate::common::stderr(&o)
            .contains("which `yardstick sql --dialect spark` does not compile yet"),
        "{}",
        crate::common::stderr(&o)
    );
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
    // The benchmark's five standards of every kind but value (refused), by department.
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
