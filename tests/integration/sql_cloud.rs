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

use super::sql_common;
use super::sql_duckdb::{a_by_column_stops_the_query, python};
use crate::common::{code, run, skip, stderr, stdout};

const CLOUDS: [&str; 2] = ["bigquery", "snowflake"];

fn engine() -> Option<PathBuf> {
    let p = python("sqlglot, duckdb");
    if p.is_none() {
        skip("the sqlglot and duckdb Python packages are not installed (.ci/run installs them into .ci/venv)");
    }
    p
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
    let variants: [&[&str]; 4] = [
        &["--by={attr}"],
        &["--by=week,{attr}"],
        &["--by=day"],
        &["--by=month", "--since=2026-11-17", "--until=2026-11-20"],
    ];
    for dialect in CLOUDS {
        sql_common::samples(&py, dialect, &variants);
    }
}

#[test]
fn fixtures_bad_rows_and_quoted_names_give_the_native_numbers_through_sqlglot() {
    let Some(py) = engine() else { return };
    // BigQuery's backslash escapes and Snowflake's quotes in the names of sql-names.
    for dialect in CLOUDS {
        sql_common::fixtures(&py, dialect);
    }
}

#[test]
fn clock_changes_calendars_and_pauses_through_sqlglot() {
    let Some(py) = engine() else { return };
    let all = sql_common::TIMES_TICKETS;
    let times: [&[&str]; 4] = [
        &["--by=day", all],
        &["--by=week,team", all],
        &["--by=region,day", "--only=delivered-by-due-date"],
        &["--as-of=2026-06-02 11:00"],
    ];
    let year = sql_common::CALENDAR_YEAR;
    let calendar: [&[&str]; 3] = [
        &[year[0], year[1], "--by=week"],
        &[year[0], year[1], "--by=team,month"],
        &[
            "--since=2026-03-28",
            "--until=2026-03-29",
            "--as-of=2026-03-29T00:30:00Z",
        ],
    ];
    let pauses: [&[&str]; 2] = [&["--week=2026-W23", "--by=day"], &["--week=2026-W23"]];
    for dialect in CLOUDS {
        sql_common::times(&py, dialect, &times);
        sql_common::calendar(&py, dialect, &calendar);
        sql_common::pauses(&py, dialect, &pauses);
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
    for dialect in CLOUDS {
        sql_common::real_export(&py, dialect, &[&["--by=Ticket Channel"]]);
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
