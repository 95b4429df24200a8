//! `yardstick sql --dialect postgres`: the compiled query, run by `psql` on a PostgreSQL
//! server over the samples and fixtures loaded as `text` tables (`\copy`), gives the rows of
//! `yardstick audit --format csv`, as on DuckDB (`sql_duckdb`). The server is the one
//! `YARDSTICK_POSTGRES` names (`HOST:PORT`, user `postgres`, trusted on the loopback);
//! `.ci/run` creates a cluster, starts it and stops it after the tests. Without it the
//! comparisons skip (`common::skip`). Each query runs in a database of its own.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::sql_duckdb::{assert_same, cell, native, parse_csv, Table, TIMES, TIMES_TABLES};
use crate::common::{code, root, run, skip, stderr};

fn server() -> Option<(String, String)> {
    let Some(spec) = std::env::var("YARDSTICK_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        skip(
            "YARDSTICK_POSTGRES (HOST:PORT of a PostgreSQL server) is not set; .ci/run starts one",
        );
        return None;
    };
    let (host, port) = spec
        .split_once(':')
        .expect("YARDSTICK_POSTGRES is HOST:PORT");
    Some((host.to_string(), port.to_string()))
}

fn psql(server: &(String, String), db: &str, args: &[&str]) -> std::process::Output {
    Command::new("psql")
        .args([
            "-q", "-X", "-h", &server.0, "-p", &server.1, "-U", "postgres", "-d", db,
        ])
        .args(["-v", "ON_ERROR_STOP=1"])
        .args(args)
        .output()
        .expect("psql runs")
}

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The compiled query's result on PostgreSQL, over `tables` (table, CSV file) loaded as
/// text, with a `BIGSERIAL` line column when asked (the rows' order in the file).
fn query(
    server: &(String, String),
    args: &[&str],
    tables: &[(&str, &str)],
    line_column: Option<&str>,
) -> Table {
    let mut sql_args = vec!["sql", "--dialect", "postgres"];
    sql_args.extend_from_slice(args);
    let compiled = run(&sql_args);
    assert_eq!(
        code(&compiled),
        0,
        "yardstick {sql_args:?}: {}",
        stderr(&compiled)
    );
    let mut script = String::new();
    for (table, file) in tables {
        let path = root().join(file);
        let text = std::fs::read_to_string(&path).expect("a fixture");
        let header: Vec<String> =
            csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
                .headers()
                .expect("a header")
                .iter()
                .map(|h| format!("\"{}\"", h.replace('"', "\"\"")))
                .collect();
        let mut cols: Vec<String> = header.iter().map(|h| format!("{h} text")).collect();
        if let Some(c) = line_column {
            cols.push(format!("\"{c}\" bigserial"));
        }
        script.push_str(&format!(
            "CREATE TABLE \"{table}\" ({});\n",
            cols.join(", ")
        ));
        script.push_str(&format!(
            "\\copy \"{table}\" ({}) FROM '{}' WITH (FORMAT csv, HEADER true)\n",
            header.join(", "),
            path.display()
        ));
    }
    script.push_str(&String::from_utf8(compiled.stdout).expect("UTF-8"));
    let db = format!(
        "ys_{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::Relaxed)
    );
    let made = psql(
        server,
        "postgres",
        &["-c", &format!("CREATE DATABASE {db}")],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(file.path(), script).expect("the script is written");
    let out = psql(
        server,
        &db,
        &["--csv", "-f", file.path().to_str().expect("UTF-8 path")],
    );
    psql(server, "postgres", &["-c", &format!("DROP DATABASE {db}")]);
    assert!(
        out.status.success(),
        "PostgreSQL refused the query of {sql_args:?}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut t = parse_csv(&String::from_utf8(out.stdout).expect("UTF-8"));
    // psql writes booleans as t and f.
    let flags: Vec<usize> = t[0]
        .iter()
        .enumerate()
        .filter(|(_, c)| *c == "passed" || *c == "total")
        .map(|(k, _)| k)
        .collect();
    for row in t.iter_mut().skip(1) {
        for &k in &flags {
            row[k] = match row[k].as_str() {
                "t" => "true".into(),
                "f" => "false".into(),
                other => other.into(),
            };
        }
    }
    t
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
