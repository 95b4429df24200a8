//! The reader in SQL (`src/sql/source.rs`, `times.rs`, `pattern.rs`): `time_format` patterns,
//! `%s%3f` milliseconds, milestones derived from a duration column, deadline and promise
//! columns of midnights read as dates, and the ServiceNow preset's day-first check; and the
//! constructs compiled with it (`calendar.by`, `each ... by`, an event that both pauses and
//! resumes, with `--row-order`), on every engine the query runs on. [`CASES`] is the one list of comparisons, each the query's result against
//! `yardstick audit --format csv` row for row (with the rows skipped counted by hand), so that
//! a dialect added later runs the same list with [`run_cases`]. The real exports that need a
//! `time_format` are read from `$YARDSTICK_DATA` (else `../shared/data`) and skip when absent.

use std::path::PathBuf;

use super::sql_common::{self, data};
use super::sql_duckdb::{attempt, cell, engine, native};
use super::sql_postgres::server;
use crate::common::{code, run, stderr};

/// A table's file: in the project, or a real export under the data folder.
#[derive(Clone, Copy)]
enum File {
    Here(&'static str),
    Data(&'static str),
}

/// One comparison of the query with the native audit.
pub(super) struct Case {
    name: &'static str,
    standards: &'static str,
    /// (table, file): the SQL reads the file as that table, the audit as that source's log.
    tables: &'static [(&'static str, File)],
    args: &'static [&'static str],
    /// Rows left out, by standard id, counted by hand from the file.
    skipped: &'static [(&'static str, &'static str)],
    /// The tables get their line numbers, named by `--row-order` ([`LINE`]): a log whose
    /// events share instants, which only the file's order tells apart.
    lines: bool,
}

/// The line-number column of a table loaded with `lines`.
const LINE: &str = "line_in_file";

const FIXTURE: &str = "tests/fixtures/sql-source/standards.toml";
const FIXTURE_TABLES: &[(&str, File)] = &[
    (
        "clock12",
        File::Here("tests/fixtures/sql-source/clock12.csv"),
    ),
    ("tweets", File::Here("tests/fixtures/sql-source/tweets.csv")),
    ("millis", File::Here("tests/fixtures/sql-source/millis.csv")),
    ("mixed", File::Here("tests/fixtures/sql-source/mixed.csv")),
    (
        "durations",
        File::Here("tests/fixtures/sql-source/durations.csv"),
    ),
];
const SERVICENOW: &str = "tests/fixtures/sql-source/servicenow.toml";

pub(super) const CASES: &[Case] = &[
    Case {
        name: "12-hour clock, names and offsets, milliseconds, several patterns, durations",
        standards: FIXTURE,
        tables: FIXTURE_TABLES,
        args: &[],
        skipped: &[
            // 13/09 (month 13), 13:00 PM, 00:10 AM, "yesterday", no AM/PM, text after it,
            // 02/29/2023.
            ("reply-1h-12h-clock", "7"),
            // The wrong weekday, an offset of 24 hours, no offset.
            ("answer-1h-tweets", "3"),
            // "17000x", a sign, a fraction.
            ("close-10m-millis", "3"),
            // 31/02, a time the date-only pattern cannot take, 25:00, June 31.
            ("close-1d-mixed", "4"),
            ("closed-by-due-mixed", "4"),
            // "abc", "-5", "0:60", "1:2:3:4".
            ("reply-30m-derived", "4"),
            ("solved-by-due-derived", "4"),
        ],
        lines: false,
    },
    Case {
        name: "the same, by day",
        standards: FIXTURE,
        tables: FIXTURE_TABLES,
        args: &["--by=day"],
        skipped: &[],
        lines: false,
    },
    Case {
        name: "the Zendesk, Jira and Freshdesk presets",
        standards: "tests/fixtures/sql-source/presets.toml",
        tables: &[
            (
                "zendesk",
                File::Here("tests/fixtures/sql-source/zendesk.csv"),
            ),
            ("jira", File::Here("tests/fixtures/sql-source/jira.csv")),
            (
                "freshdesk",
                File::Here("tests/fixtures/sql-source/freshdesk.csv"),
            ),
        ],
        args: &["--by=day"],
        skipped: &[
            // "16/10/2017" (day first), "x" minutes.
            ("zendesk-first-reply-1h", "2"),
            // 31/Feb, 13:45 PM.
            ("jira-solved-2d", "2"),
            // "tomorrow".
            ("freshdesk-first-reply-4h", "1"),
        ],
        lines: false,
    },
    Case {
        name: "a business calendar per case, by an attribute",
        standards: "tests/fixtures/sql-source/calendar-by.toml",
        tables: &[(
            "tickets",
            File::Here("tests/fixtures/sql-source/calendar-by.csv"),
        )],
        args: &["--week=2024-W51"],
        skipped: &[("reply-4h-by-team", "0")],
        lines: false,
    },
    Case {
        name: "a business calendar per case, by team and day",
        standards: "tests/fixtures/sql-source/calendar-by.toml",
        tables: &[(
            "tickets",
            File::Here("tests/fixtures/sql-source/calendar-by.csv"),
        )],
        args: &["--since=2024-12-16", "--until=2025-01-06", "--by=day,team"],
        skipped: &[],
        lines: false,
    },
    Case {
        name: "an event that both pauses and resumes, in the file's order",
        standards: "tests/fixtures/sql-source/toggle.toml",
        tables: &[(
            "tickets",
            File::Here("tests/fixtures/sql-source/toggle.csv"),
        )],
        args: &[],
        skipped: &[("solved-2h-holds-toggle", "0")],
        lines: true,
    },
    Case {
        name: "each with a promised time",
        standards: "tests/fixtures/commitments/standards.toml",
        tables: &[("calls", File::Here("tests/fixtures/commitments/calls.csv"))],
        args: &[],
        skipped: &[("callback-as-promised", "0")],
        lines: false,
    },
    Case {
        name: "promises written as midnights, across New York's spring-forward day",
        standards: "tests/fixtures/sql-source/promises.toml",
        tables: &[(
            "calls",
            File::Here("tests/fixtures/sql-source/promises.csv"),
        )],
        args: &["--by=day"],
        // "next week".
        skipped: &[("callback-as-promised", "1")],
        lines: false,
    },
    Case {
        name: "a business calendar per case, with deadlines at a time of day",
        standards: "tests/fixtures/sql-source/calendar-by-clock.toml",
        tables: &[(
            "tickets",
            File::Here("tests/fixtures/sql-source/calendar-by.csv"),
        )],
        args: &["--week=2024-W51", "--by=team"],
        skipped: &[],
        lines: false,
    },
    Case {
        name: "the day-first time_format fixture",
        standards: "tests/fixtures/time-format/standards.toml",
        tables: &[(
            "tickets",
            File::Here("tests/fixtures/time-format/tickets.csv"),
        )],
        args: &[],
        skipped: &[("first-reply-10m", "0")],
        lines: false,
    },
    Case {
        name: "the ServiceNow preset on a log that shows day first",
        standards: SERVICENOW,
        tables: &[(
            "incidents",
            File::Here("tests/fixtures/sql-source/servicenow-day-first.csv"),
        )],
        args: &[],
        // "?" (no time) and 31/2.
        skipped: &[("ack-1h", "2")],
        lines: false,
    },
    Case {
        name: "the ServiceNow incident log",
        standards: "standards/examples/servicenow-incidents.toml",
        tables: &[(
            "incidents",
            File::Data("servicenow-incident-log/incident_event_log.csv"),
        )],
        args: &["--by=priority"],
        skipped: &[],
        lines: true,
    },
    Case {
        name: "the ServiceNow incident log re-saved by a spreadsheet",
        standards: "standards/examples/servicenow-incidents.toml",
        tables: &[(
            "incidents",
            File::Data("servicenow-incident-log-excel/incident_event_log.csv"),
        )],
        args: &[],
        skipped: &[],
        lines: true,
    },
    Case {
        name: "NYC 311, a 12-hour clock",
        standards: "standards/examples/nyc311.toml",
        tables: &[
            (
                "requests",
                File::Data("nyc311-2013-christmas/311_Service_Requests_from_2010_to_Present.csv"),
            ),
            (
                "requests_api",
                File::Data("nyc311-2024-api/311_Service_Requests.csv"),
            ),
        ],
        args: &[],
        skipped: &[],
        lines: false,
    },
    Case {
        name: "NYC 311 of May 2022",
        standards: "standards/examples/nyc311.toml",
        tables: &[
            (
                "requests",
                File::Data("nyc311-2022-may/311_Service_Requests_from_2010_to_Present.csv"),
            ),
            (
                "requests_api",
                File::Data("nyc311-2024-api/311_Service_Requests.csv"),
            ),
        ],
        args: &[],
        skipped: &[],
        lines: false,
    },
];

/// Every case of [`CASES`] on `dialect` (its runner in `tests/sql/`, with `py`).
pub(super) fn run_cases(py: &PathBuf, dialect: &str) {
    run_cases_but(py, dialect, &[]);
}

/// [`run_cases`] but the cases named in `left_out` (each must be a case's name).
fn run_cases_but(py: &PathBuf, dialect: &str, left_out: &[&str]) {
    for name in left_out {
        assert!(CASES.iter().any(|c| c.name == *name), "no case {name:?}");
    }
    for case in CASES.iter().filter(|c| !left_out.contains(&c.name)) {
        let mut tables: Vec<(&str, String)> = Vec::new();
        for (t, f) in case.tables {
            match f {
                File::Here(p) => tables.push((t, p.to_string())),
                File::Data(rel) => match data(rel) {
                    Some(p) => tables.push((t, p)),
                    None => break,
                },
            }
        }
        if tables.len() < case.tables.len() {
            continue;
        }
        let files: Vec<(&str, &str)> = tables.iter().map(|(t, p)| (*t, p.as_str())).collect();
        let shared = sql_common::Case {
            what: case.name,
            standards: case.standards,
            tables: &files,
            args: case.args,
            line: case.lines,
        };
        // The audit reads the tables' files as the sources' logs.
        let logs: Vec<String> = tables
            .iter()
            .map(|(t, p)| format!("--log={t}={p}"))
            .collect();
        let mut native_args = shared.options();
        native_args.extend(logs.iter().map(String::as_str));
        let line = case.lines.then_some(LINE);
        let sql = shared.check_against(py, dialect, line, &native(&native_args));
        for (id, n) in case.skipped {
            assert_eq!(
                cell(&sql, id, "skipped"),
                *n,
                "{dialect}: {}: {id}",
                case.name
            );
        }
    }
}

/// A ServiceNow log that does not show day first stops the query, as it stops the audit.
pub(super) fn servicenow_order_stops_the_query(py: &PathBuf, dialect: &str) {
    for file in ["servicenow-month-first.csv", "servicenow-either.csv"] {
        let path = format!("tests/fixtures/sql-source/{file}");
        let audit = run(&[
            "audit",
            "-s",
            SERVICENOW,
            "--log",
            &format!("incidents={path}"),
        ]);
        assert_eq!(code(&audit), 2, "{file}");
        let err = attempt(
            py,
            dialect,
            &["-s", SERVICENOW],
            &[("incidents", &path)],
            None,
        )
        .expect_err("the query stops");
        assert!(
            err.contains("yardstick sql: table incidents of source \"incidents\" writes a date month first, or none that tells day from month, and preset \"servicenow-incidents\" reads day first: set `time_format` in [sources.incidents]"),
            "{dialect} {file}: {err}"
        );
    }
}

#[test]
fn duckdb_reads_every_time_and_duration_as_the_native_reader() {
    let Some(py) = engine() else { return };
    run_cases(&py, "duckdb");
    servicenow_order_stops_the_query(&py, "duckdb");
}

#[test]
fn postgres_reads_every_time_and_duration_as_the_native_reader() {
    let Some(py) = server() else { return };
    run_cases(&py, "postgres");
    servicenow_order_stops_the_query(&py, "postgres");
}

/// On Spark too: its query reads a table's several time columns unpivoted, not looked up
/// (`Dialect::unpivot_cells`), so the presets, promises and date columns take another path
/// there. Two variants of cases it runs plain are left out, for the test run's time (about
/// a minute on Spark); they read one time column, as `sql_spark`'s own cases do.
#[test]
fn spark_reads_every_time_and_duration_as_the_native_reader() {
    let Some(py) = super::sql_spark::server() else {
        return;
    };
    let left_out = [
        "the same, by day",
        "a business calendar per case, by team and day",
    ];
    run_cases_but(&py, "spark", &left_out);
    servicenow_order_stops_the_query(&py, "spark");
}

/// What the reader in SQL does not compile is refused at the standard's line, by name.
#[test]
fn what_the_reader_does_not_compile_is_refused_by_name() {
    let cases: [(&str, &str, &str); 2] = [
        (
            // An event that both pauses and resumes, without `--row-order`.
            "tests/fixtures/sql-source/toggle.toml",
            "postgres",
            "error: tests/fixtures/sql-source/toggle.toml:15:1: standard \"solved-2h-holds-toggle\": event \"hold\" both pauses and resumes its clock, which a table can follow only in the file's order: give it with --row-order COLUMN; leave it out with --only, or audit it with `yardstick audit`",
        ),
        (
            // A pattern element the SQL does not read.
            "tests/fixtures/sql-source/refused.toml",
            "duckdb",
            "error: tests/fixtures/sql-source/refused.toml:13:1: standard \"ordinal-days\": source \"tickets\": time_format \"%Y-%j %H:%M\" has %j (the day of the year), which `yardstick sql` does not read; leave it out with --only, or audit it with `yardstick audit`",
        ),
    ];
    for (standards, dialect, want) in cases {
        let o = run(&["sql", "-s", standards, "--dialect", dialect]);
        assert_eq!(code(&o), 2, "{standards}");
        assert_eq!(
            stderr(&o).lines().next().unwrap_or_default(),
            want,
            "{standards}"
        );
    }
}
