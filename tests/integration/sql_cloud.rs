//! `yardstick sql --dialect bigquery|snowflake`, which cannot run here: the emitted query
//! must parse with sqlglot in that dialect, and transpiled by sqlglot to DuckDB it must give
//! the rows of `yardstick audit --format csv`, as the DuckDB dialect does (`sql_duckdb`), on
//! the samples, the fixtures, times around clock changes, a business calendar across DST
//! with a holiday, pauses and `--by` (`tests/sql/transpile.py`). And it must hold no
//! construct of the other dialects. sqlglot and DuckDB are Python packages (`.ci/engines`
//! installs them into `.ci/venv`); without them the comparisons skip (`common::skip`).
//!
//! What this cannot prove: that the vendor accepts every construct sqlglot reads (the
//! dialects keep to constructs both the vendor's documentation and sqlglot describe), and
//! that the vendor's time-zone database agrees with chrono-tz (docs/sql.md).

use std::path::PathBuf;

use super::sql_duckdb::{
    a_by_column_stops_the_query, assert_same, cell, native, python, run_on, Table, INQUIRIES,
    TIMES, TIMES_TABLES,
};
use crate::common::{code, run, skip, stderr, stdout};

const CLOUDS: [&str; 2] = ["bigquery", "snowflake"];

fn engine() -> Option<PathBuf> {
    let p = python("sqlglot, duckdb");
    if p.is_none() {
        skip("the sqlglot and duckdb Python packages are not installed (.ci/run installs them into .ci/venv)");
    }
    p
}

fn query(py: &PathBuf, dialect: &str, args: &[&str], tables: &[(&str, &str)]) -> Table {
    run_on(py, dialect, args, tables, None)
}

fn query_lines(py: &PathBuf, dialect: &str, args: &[&str], tables: &[(&str, &str)]) -> Table {
    let mut a = args.to_vec();
    a.push("--row-order=line");
    run_on(py, dialect, &a, tables, Some("line"))
}

fn sql(dialect: &str, args: &[&str]) -> String {
    let mut a = vec!["sql", "--dialect", dialect];
    a.extend_from_slice(args);
    let o = run(&a);
    assert_eq!(code(&o), 0, "{a:?}: {}", stderr(&o));
    stdout(&o)
}

#[test]
fn the_samples_give_the_native_numbers_through_sqlglot() {
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
    for dialect in CLOUDS {
        for (standards, table, csv, attr) in samples {
            let by_attr = format!("--by={attr}");
            let by_week = format!("--by=week,{attr}");
            let variants: [&[&str]; 4] = [
                &[by_attr.as_str()],
                &[by_week.as_str()],
                &["--by=day"],
                &["--by=month", "--since=2026-11-17", "--until=2026-11-20"],
            ];
            for extra in variants {
                let mut args = vec!["-s", standards];
                // The training provider's front desk has a value standard, which is refused.
                if standards.ends_with("training-provider.toml") {
                    args.push(INQUIRIES);
                }
                args.extend_from_slice(extra);
                let sql = query(&py, dialect, &args, &[(table, csv)]);
                assert_same(
                    &sql,
                    &native(&args),
                    &format!("{dialect} {standards} {extra:?}"),
                );
            }
        }
        // By hand (README): 75 of 81 decided first replies within 10 minutes.
        let args = ["-s", "standards/ticket-desk.toml"];
        let sql = query(
            &py,
            dialect,
            &args,
            &[("tickets", "samples/ticket-desk.csv")],
        );
        assert_same(&sql, &native(&args), &format!("{dialect} ticket-desk"));
        assert_eq!(cell(&sql, "first-reply-10m", "met"), "75", "{dialect}");
        assert_eq!(cell(&sql, "first-reply-10m", "breached"), "6", "{dialect}");
    }
}

#[test]
fn fixtures_bad_rows_and_quoted_names_give_the_native_numbers_through_sqlglot() {
    let Some(py) = engine() else { return };
    for dialect in CLOUDS {
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
            let sql = query(&py, dialect, &args, &[("tickets", &csv)]);
            assert_same(&sql, &native(&args), &format!("{dialect} {f}"));
        }
        let bad = "samples/broken/tickets-bad-rows.csv";
        let args = ["-s", "standards/ticket-desk.toml"];
        let sql = query(&py, dialect, &args, &[("tickets", bad)]);
        assert_same(
            &sql,
            &native(&["-s", "standards/ticket-desk.toml", "--tickets", bad]),
            bad,
        );
        assert_eq!(cell(&sql, "first-reply-10m", "skipped"), "3", "{dialect}");
        // A source "help desk", columns with spaces and quotes, values and null_values with
        // quotes, a title over two lines: BigQuery's backslash escapes, Snowflake's quotes.
        let names = "tests/fixtures/sql-names/standards.toml";
        let args = ["-s", names, "--by=Team's name"];
        let sql = query(
            &py,
            dialect,
            &args,
            &[("help desk", "tests/fixtures/sql-names/tickets.csv")],
        );
        assert_same(&sql, &native(&args), &format!("{dialect} {names}"));
        assert_eq!(cell(&sql, "ten.minutes", "skipped"), "1", "{dialect}");
    }
}

#[test]
fn clock_changes_calendars_and_pauses_through_sqlglot() {
    let Some(py) = engine() else { return };
    let all = "--only=reply-30m,reply-same-day,vip-reply-next-day,customer-answered,few-follow-ups,reply-before-due";
    let calendar = "tests/fixtures/sql-calendar/standards.toml";
    let calendar_csv = [("tickets", "tests/fixtures/sql-calendar/tickets.csv")];
    let pauses = "tests/fixtures/sql-pauses/standards.toml";
    let pauses_csv = [("tickets", "tests/fixtures/sql-pauses/tickets.csv")];
    for dialect in CLOUDS {
        // Local times in a gap and a fold, offsets, leap seconds, dates alone, date columns.
        let variants: [&[&str]; 4] = [
            &["--by=day", all],
            &["--by=week,team", all],
            &["--by=region,day", "--only=delivered-by-due-date"],
            &["--as-of=2026-06-02 11:00"],
        ];
        for extra in variants {
            let mut args = vec!["-s", TIMES];
            args.extend_from_slice(extra);
            let sql = query_lines(&py, dialect, &args, &TIMES_TABLES);
            assert_same(
                &sql,
                &native(&args),
                &format!("{dialect} sql-times {extra:?}"),
            );
        }
        let sql = query_lines(&py, dialect, &["-s", TIMES], &TIMES_TABLES);
        assert_same(
            &sql,
            &native(&["-s", TIMES]),
            &format!("{dialect} sql-times"),
        );
        // By hand (sql_duckdb): A's 01:30 to 02:30 in Berlin's spring gap keeps +01:00, 3600 s;
        // B's 02:30 in the autumn fold is its first, met.
        assert_eq!(cell(&sql, "reply-30m", "met"), "5", "{dialect}");
        assert_eq!(cell(&sql, "reply-30m", "median_s"), "1200", "{dialect}");
        assert_eq!(cell(&sql, "reply-same-day", "met"), "9", "{dialect}");
        // A business calendar across both changes, with Easter Monday closed.
        let year = ["--since=2026-03-01", "--until=2026-11-01"];
        let variants: [&[&str]; 3] = [
            &[year[0], year[1], "--by=week"],
            &[year[0], year[1], "--by=team,month"],
            &[
                "--since=2026-03-28",
                "--until=2026-03-29",
                "--as-of=2026-03-29T00:30:00Z",
            ],
        ];
        for extra in variants {
            let mut args = vec!["-s", calendar];
            args.extend_from_slice(extra);
            let sql = query(&py, dialect, &args, &calendar_csv);
            assert_same(
                &sql,
                &native(&args),
                &format!("{dialect} sql-calendar {extra:?}"),
            );
        }
        let args = ["-s", calendar, year[0], year[1]];
        let sql = query(&py, dialect, &args, &calendar_csv);
        assert_same(&sql, &native(&args), &format!("{dialect} sql-calendar"));
        // By hand (sql_duckdb): S3 from Friday 3 April 16:00 CEST over Easter, 19800 s.
        assert_eq!(cell(&sql, "reply-4h", "max_s"), "19800", "{dialect}");
        assert_eq!(
            cell(&sql, "each-update-1h", "median_s"),
            "1800",
            "{dialect}"
        );
        let args = ["-s", pauses, "--week=2026-W23", "--by=day"];
        let sql = query_lines(&py, dialect, &args, &pauses_csv);
        assert_same(&sql, &native(&args), &format!("{dialect} sql-pauses"));
        let args = ["-s", pauses, "--week=2026-W23"];
        let sql = query_lines(&py, dialect, &args, &pauses_csv);
        assert_same(&sql, &native(&args), &format!("{dialect} sql-pauses"));
        assert_eq!(cell(&sql, "solved-2h", "max_s"), "17100", "{dialect}");
    }
}

#[test]
fn a_by_column_stops_the_cloud_queries() {
    let Some(py) = engine() else { return };
    for dialect in CLOUDS {
        a_by_column_stops_the_query(&py, dialect);
    }
}

/// Constructs of the other dialects that BigQuery or Snowflake would refuse or read
/// otherwise, each with what it is.
const FOREIGN: [(&str, &str); 12] = [
    ("::", "a PostgreSQL cast"),
    ("MATERIALIZED", "PostgreSQL's CTE hint"),
    ("COLLATE", "a collation"),
    ("regexp_full_match", "DuckDB's regular expression match"),
    (" // ", "DuckDB's integer division"),
    ("(BOTH", "TRIM(BOTH ... FROM ...)"),
    ("epoch(", "DuckDB's epoch"),
    ("strftime(", "DuckDB's strftime"),
    ("to_timestamp(", "DuckDB's and PostgreSQL's to_timestamp"),
    ("timezone(", "DuckDB's timezone"),
    ("AT TIME ZONE", "AT TIME ZONE"),
    ("DOUBLE PRECISION", "PostgreSQL's double"),
];

/// Queries of every construct the dialects write: events and cases layouts, offsets and
/// clock changes, date columns, business calendars, pauses, `--by` times and attributes,
/// repeat rates, deadlines at a time of day.
const CASES: [&[&str]; 11] = [
    &["-s", "tests/fixtures/sql-source/standards.toml"],
    &[
        "-s",
        "tests/fixtures/sql-source/toggle.toml",
        "--row-order=line",
    ],
    &["-s", "tests/fixtures/sql-source/promises.toml", "--by=day"],
    &["-s", "standards/ticket-desk.toml", "--by=week,department"],
    &[
        "-s",
        "tests/fixtures/sql-times/standards.toml",
        "--by=day,team",
        "--row-order=line",
    ],
    &[
        "-s",
        "tests/fixtures/sql-calendar/standards.toml",
        "--since=2026-03-01",
        "--until=2026-11-01",
        "--by=month",
    ],
    &[
        "-s",
        "tests/fixtures/sql-pauses/standards.toml",
        "--week=2026-W23",
    ],
    &[
        "-s",
        "tests/fixtures/sql-repeat/standards.toml",
        "--since=2026-01-01",
        "--until=2027-01-01",
        "--by=week",
    ],
    &[
        "-s",
        "tests/fixtures/sql-clock/standards.toml",
        "--since=2026-03-01",
        "--until=2027-01-01",
    ],
    &[
        "-s",
        "tests/fixtures/sql-values/standards.toml",
        "--row-order=line",
        "--by=week,team",
    ],
    &[
        "-s",
        "tests/fixtures/versions-value/standards.toml",
        "--by=day",
    ],
];

/// Snowflake's reserved words (its documentation's list), which no name may be.
const SNOWFLAKE_RESERVED: &str = "ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH";

/// BigQuery's reserved keywords (its lexical structure's list).
const BIGQUERY_RESERVED: &str = "ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS CUBE CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN WHERE WINDOW WITH WITHIN";

/// The unquoted names a query gives (`... AS name`), comments and literals left out.
/// The query without its comments and string literals (a line's text from `--` on, and
/// each quoted part), each line's code joined by a space.
fn code_only(sql: &str) -> String {
    let mut plain = String::new();
    for line in sql.lines() {
        let code = line.split("--").next().unwrap_or("");
        for (k, part) in code.split('\'').enumerate() {
            if k % 2 == 0 {
                plain.push_str(part);
                plain.push(' ');
            }
        }
    }
    plain
}

fn names_given(sql: &str) -> Vec<String> {
    let mut words = Vec::new();
    {
        let plain = code_only(sql);
        // Words, and each other mark as a token of its own (so that `AS (` names nothing).
        let mut word = String::new();
        for c in plain.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                words.push(c.to_string());
            }
        }
    }
    let is_word = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    words
        .windows(2)
        .filter(|pair| pair[0].eq_ignore_ascii_case("AS") && is_word(&pair[1]))
        .map(|pair| pair[1].clone())
        .collect()
}

#[test]
fn the_cloud_queries_name_nothing_by_a_reserved_word() {
    // The names are those after AS, outside comments and literals, never a CTE's body.
    assert_eq!(
        names_given("x AS (\n  SELECT MIN(t) AS start, 'AS row' AS v -- AS rows\n)"),
        ["start", "v"]
    );
    for (args, (dialect, reserved)) in CASES.iter().flat_map(|a| {
        [
            ("snowflake", SNOWFLAKE_RESERVED),
            ("bigquery", BIGQUERY_RESERVED),
        ]
        .map(|d| (a, d))
    }) {
        let text = sql(dialect, args);
        let reserved: Vec<&str> = reserved.split(' ').collect();
        for name in names_given(&text) {
            let upper = name.to_ascii_uppercase();
            assert!(
                !reserved.contains(&upper.as_str()),
                "{dialect}: the name {name:?} is reserved"
            );
        }
        // A clock's start is `started`: START is reserved on Snowflake.
        assert!(text.contains("AS started"), "{dialect} {args:?}");
    }
}

#[test]
fn the_cloud_queries_hold_no_construct_of_the_other_dialects() {
    for args in CASES {
        for dialect in CLOUDS {
            let text = code_only(&sql(dialect, args));
            for (construct, what) in FOREIGN {
                assert!(
                    !text.contains(construct),
                    "{dialect} {args:?}: {what} ({construct:?})"
                );
            }
        }
        let bq = code_only(&sql("bigquery", args));
        // BigQuery: no VALUES list, no `%`, no VARCHAR or DOUBLE, identifiers in backquotes.
        for construct in ["VALUES", " % ", "VARCHAR", "DOUBLE", "current_schema"] {
            assert!(!bq.contains(construct), "bigquery {args:?}: {construct:?}");
        }
        let sf = sql("snowflake", args);
        assert!(!sf.contains("FLOAT64"), "snowflake {args:?}");
    }
}

#[test]
fn the_cloud_queries_name_their_tables_and_columns_as_the_vendor_reads_them() {
    let args = [
        "-s",
        "standards/ticket-desk.toml",
        "--table=tickets=my-project.raw.zendesk_events",
        "--by=department",
    ];
    let bq = sql("bigquery", &args);
    for part in [
        "FROM `my-project`.`raw`.`zendesk_events`",
        "CAST(`ticket_id` AS STRING)",
        "FROM `my-project`.`raw`.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'zendesk_events' AND column_name IN ('solved')",
        "REGEXP_CONTAINS(c_1, '^[0-9]{4}-",
        "UNIX_SECONDS(TIMESTAMP(DATETIME(TIMESTAMP_SECONDS(",
        "m.g_1 AS `department`",
        "MOD(p1_y, 400)",
        // Parenthesised: sqlglot would move `DIV(a + 1, 2)` to DuckDB as `a + 1 // 2`.
        "DIV((1 * values_n + 1), (2))",
    ] {
        assert!(bq.contains(part), "{part:?} in\n{bq}");
    }
    let sf = sql("snowflake", &args);
    for part in [
        "FROM \"my-project\".\"raw\".\"zendesk_events\"",
        "FROM \"my-project\".information_schema.columns WHERE table_schema = 'raw' AND table_name = 'zendesk_events'",
        "REGEXP_LIKE(c_1, '^[0-9]{4}-",
        "CONVERT_TIMEZONE('UTC', 'Europe/Kyiv', TO_TIMESTAMP_NTZ(",
        "s.id AS \"id\"",
        "m.met + m.breached + m.open AS \"cases\"",
    ] {
        assert!(sf.contains(part), "{part:?} in\n{sf}");
    }
    // A business calendar's open windows: an array of STRUCTs on BigQuery, VALUES elsewhere.
    let cal = [
        "-s",
        "tests/fixtures/sql-calendar/standards.toml",
        "--week=2026-W14",
    ];
    assert!(sql("bigquery", &cal).contains(
        "SELECT * FROM UNNEST(ARRAY<STRUCT<calendar STRING, opens INT64, closes INT64, open_before INT64>>["
    ));
    assert!(sql("snowflake", &cal).contains("SELECT * FROM (VALUES\n"));
}

#[test]
fn a_real_export_gives_the_native_numbers_through_sqlglot() {
    let Some(py) = engine() else { return };
    // The Kaggle synthetic tickets (cases layout, a date column, names with spaces, cells
    // over several lines): `$YARDSTICK_DATA`, else `../shared/data` beside the project.
    let base = std::env::var_os("YARDSTICK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::common::root().join("..").join("shared").join("data"));
    let csv = base.join("kaggle-customer-support-tickets-synthetic/customer_support_tickets.csv");
    if !csv.is_file() {
        return skip(&format!("{} is not here", csv.display()));
    }
    let csv = csv.to_str().expect("UTF-8 path");
    let args = [
        "-s",
        "standards/examples/kaggle-synthetic-tickets.toml",
        "--by=Ticket Channel",
    ];
    let mut native_args = args.to_vec();
    native_args.extend(["--tickets", csv]);
    let native = native(&native_args);
    for dialect in CLOUDS {
        let sql = query(&py, dialect, &args, &[("tickets", csv)]);
        assert_same(&sql, &native, &format!("{dialect} kaggle"));
    }
}

#[test]
fn repeat_rates_and_times_of_day_through_sqlglot() {
    let Some(py) = engine() else { return };
    for dialect in CLOUDS {
        super::sql_repeat::each_case_matches_the_audit(&py, dialect);
    }
}

#[test]
fn time_formats_presets_and_promises_through_sqlglot() {
    let Some(py) = engine() else { return };
    for dialect in CLOUDS {
        super::sql_source::run_cases(&py, dialect);
        super::sql_source::servicenow_order_stops_the_query(&py, dialect);
    }
}

#[test]
fn value_standards_and_versions_through_sqlglot() {
    let Some(py) = engine() else { return };
    for dialect in CLOUDS {
        super::sql_kinds::run_cases(&py, dialect);
        super::sql_kinds::hand_checked(&py, dialect);
    }
}
