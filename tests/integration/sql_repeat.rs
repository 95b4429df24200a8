//! `yardstick sql` on repeat rates (`returns`, `within`, `customer`) and deadlines at a time
//! of day (`"same day by 17:00"`, `"next business day by 16:00"`, `"N business days by
//! HH:MM"`): every case of [`CASES`] run on an engine gives the rows and columns of `yardstick
//! audit --format csv` with the same options (`sql_duckdb::assert_same`), and the cases named
//! in [`HAND`] give the numbers worked out by hand in the fixtures' comments. One table for
//! every dialect: a new dialect's test calls [`each_case_matches_the_audit`] with its runner.

use std::path::PathBuf;

use super::sql_common::Case;
use super::sql_duckdb::{cell, engine, native, run_on, same_cell, Table};
use super::sql_postgres::server;

const TRAINING: &str = "standards/training-provider.toml";
const REGISTRATIONS: &[(&str, &str)] = &[("registrations", "samples/training-registrations.csv")];
const FRONT_DESK: &[(&str, &str)] = &[("front-desk", "samples/front-desk.csv")];
const METRICS: &str = "standards/examples/helpdesk-metrics.toml";
const METRICS_TABLES: &[(&str, &str)] = &[
    ("zendesk", "tests/fixtures/helpdesk-metrics/zendesk.csv"),
    ("jsm", "tests/fixtures/helpdesk-metrics/jsm.csv"),
    (
        "servicenow",
        "tests/fixtures/helpdesk-metrics/servicenow.csv",
    ),
];
const REPEAT: &str = "tests/fixtures/sql-repeat/standards.toml";
const REPEAT_TABLES: &[(&str, &str)] = &[
    ("visits", "tests/fixtures/sql-repeat/visits.csv"),
    ("customers", "tests/fixtures/sql-repeat/visits.csv"),
    ("orders", "tests/fixtures/sql-repeat/orders.csv"),
];
const OLD_REPEAT: &str = "tests/fixtures/repeat/standards.toml";
const OLD_REPEAT_TABLES: &[(&str, &str)] = &[
    ("visits", "tests/fixtures/repeat/visits.csv"),
    ("customers", "tests/fixtures/repeat/visits.csv"),
];
const CLOCK: &str = "tests/fixtures/sql-clock/standards.toml";
const CLOCK_TABLES: &[(&str, &str)] = &[("tickets", "tests/fixtures/sql-clock/tickets.csv")];
const OLD_CLOCK: &str = "tests/fixtures/clock-time/standards.toml";
const OLD_CLOCK_TABLES: &[(&str, &str)] = &[("tickets", "tests/fixtures/clock-time/tickets.csv")];
const YEAR_2026: [&str; 2] = ["--since=2026-01-01", "--until=2027-01-01"];
const CLOCK_YEAR: [&str; 2] = ["--since=2026-03-01", "--until=2027-01-01"];

/// Every comparison, on every dialect.
pub(super) const CASES: &[Case] = &[
    // The shipped repeat rate: 2026, its default period (the 365 days before the log's
    // last row), an as-of inside the period, one end given, cohorts and attributes.
    Case {
        what: "repeat-rate 2026",
        standards: TRAINING,
        tables: REGISTRATIONS,
        args: &["--only=repeat-rate", YEAR_2026[0], YEAR_2026[1]],
        line: false,
    },
    Case {
        what: "repeat-rate default period",
        standards: TRAINING,
        tables: REGISTRATIONS,
        args: &["--only=repeat-rate"],
        line: false,
    },
    Case {
        what: "repeat-rate as of November",
        standards: TRAINING,
        tables: REGISTRATIONS,
        args: &[
            "--only=repeat-rate",
            YEAR_2026[0],
            YEAR_2026[1],
            "--as-of=2026-11-27T16:00:00",
        ],
        line: false,
    },
    Case {
        what: "repeat-rate since",
        standards: TRAINING,
        tables: REGISTRATIONS,
        args: &["--only=repeat-rate", "--since=2025-07-01", "--by=channel"],
        line: true,
    },
    Case {
        what: "repeat-rate until, by course and month",
        standards: TRAINING,
        tables: REGISTRATIONS,
        args: &[
            "--only=repeat-rate",
            "--until=2026-07-01",
            "--by=course,month",
        ],
        line: true,
    },
    Case {
        what: "repeat-rate by week",
        standards: TRAINING,
        tables: REGISTRATIONS,
        args: &[
            "--only=repeat-rate",
            YEAR_2026[0],
            YEAR_2026[1],
            "--by=week",
        ],
        line: true,
    },
    Case {
        what: "walk-in-2m",
        standards: TRAINING,
        tables: FRONT_DESK,
        args: &["--only=walk-in-2m", "--by=day"],
        line: false,
    },
    // The ServiceNow relative durations of the helpdesk-metric table, with the log's last
    // row as the as-of, and the whole file beside them.
    Case {
        what: "helpdesk metrics",
        standards: METRICS,
        tables: METRICS_TABLES,
        args: &[
            "--since=2026-11-16",
            "--until=2026-11-28",
            "--as-of=2026-11-24T16:30:00Z",
        ],
        line: true,
    },
    Case {
        what: "helpdesk metrics by day",
        standards: METRICS,
        tables: METRICS_TABLES,
        args: &["--week=2026-W47", "--by=day"],
        line: true,
    },
    // Repeat edges (the fixture's comment): the look-back's first instant, a return exactly
    // `within` later, the period's last second, a tie between two cases of one customer, a
    // case without a customer, a `where`, two `returns` events, the case as the customer, the
    // cases layout.
    Case {
        what: "sql-repeat 2026",
        standards: REPEAT,
        tables: REPEAT_TABLES,
        args: &[YEAR_2026[0], YEAR_2026[1]],
        line: true,
    },
    Case {
        what: "sql-repeat by region",
        standards: REPEAT,
        tables: REPEAT_TABLES,
        args: &[YEAR_2026[0], YEAR_2026[1], "--by=region"],
        line: true,
    },
    Case {
        what: "sql-repeat by month and region",
        standards: REPEAT,
        tables: REPEAT_TABLES,
        args: &[YEAR_2026[0], YEAR_2026[1], "--by=month,region"],
        line: true,
    },
    Case {
        what: "sql-repeat as of July",
        standards: REPEAT,
        tables: REPEAT_TABLES,
        args: &[YEAR_2026[0], YEAR_2026[1], "--as-of=2026-07-01"],
        line: true,
    },
    Case {
        what: "sql-repeat default period by week",
        standards: REPEAT,
        tables: REPEAT_TABLES,
        args: &["--by=week"],
        line: true,
    },
    Case {
        what: "repeat fixture by week",
        standards: OLD_REPEAT,
        tables: OLD_REPEAT_TABLES,
        args: &[YEAR_2026[0], YEAR_2026[1], "--by=week,region"],
        line: true,
    },
    // Time-of-day edges (the fixture's comment): a clock at the cut-off, a holiday eve, the
    // weekends of both clock changes, a time the clocks skip or repeat on `always`.
    Case {
        what: "sql-clock",
        standards: CLOCK,
        tables: CLOCK_TABLES,
        args: &[CLOCK_YEAR[0], CLOCK_YEAR[1]],
        line: false,
    },
    Case {
        what: "sql-clock by week",
        standards: CLOCK,
        tables: CLOCK_TABLES,
        args: &[CLOCK_YEAR[0], CLOCK_YEAR[1], "--by=week"],
        line: false,
    },
    Case {
        what: "sql-clock spring weekend by day",
        standards: CLOCK,
        tables: CLOCK_TABLES,
        args: &["--week=2026-W13", "--by=day"],
        line: false,
    },
    Case {
        what: "sql-clock Christmas, as of the eve",
        standards: CLOCK,
        tables: CLOCK_TABLES,
        args: &[
            "--since=2026-12-21",
            "--until=2026-12-25",
            "--as-of=2026-12-24T12:00:00",
        ],
        line: false,
    },
    Case {
        what: "sql-clock on always without a period",
        standards: CLOCK,
        tables: CLOCK_TABLES,
        args: &["--only=night-call-by-0230,two-replies-by-noon"],
        line: false,
    },
    Case {
        what: "clock-time fixture",
        standards: OLD_CLOCK,
        tables: OLD_CLOCK_TABLES,
        args: &[CLOCK_YEAR[0], CLOCK_YEAR[1], "--by=week"],
        line: false,
    },
];

/// Numbers worked out by hand (the fixtures' comments, docs/standards-file.md), as
/// (case, standard, column, value), read from the standard's first row (with a `--by`, its
/// first group).
const HAND: &[(&str, &str, &str, &str)] = &[
    // 11 of the 40 customers of 2025 came back in 2026 (docs/standards-file.md).
    ("repeat-rate 2026", "repeat-rate", "met", "11"),
    ("repeat-rate 2026", "repeat-rate", "breached", "29"),
    ("repeat-rate 2026", "repeat-rate", "compliance", "27.5"),
    ("repeat-rate 2026", "repeat-rate", "passed", "false"),
    // Before the period's end nobody is breached yet.
    ("repeat-rate as of November", "repeat-rate", "met", "11"),
    ("repeat-rate as of November", "repeat-rate", "breached", "0"),
    ("repeat-rate as of November", "repeat-rate", "open", "29"),
    // The 365 days before the last row (2026-11-27 16:00, itself after the period), one
    // case in them without a customer.
    ("repeat-rate default period", "repeat-rate", "met", "10"),
    (
        "repeat-rate default period",
        "repeat-rate",
        "breached",
        "29",
    ),
    ("repeat-rate default period", "repeat-rate", "excluded", "1"),
    // INC001 taken up in time, INC002 (after 16:00, so its day is the next) in time, INC003
    // (Friday after the close) late; resolved by noon: INC001 met, INC002 late, INC003 open.
    (
        "helpdesk metrics",
        "snow-response-next-day-by-16",
        "met",
        "2",
    ),
    (
        "helpdesk metrics",
        "snow-response-next-day-by-16",
        "breached",
        "1",
    ),
    (
        "helpdesk metrics",
        "snow-resolution-2-days-by-12",
        "met",
        "1",
    ),
    (
        "helpdesk metrics",
        "snow-resolution-2-days-by-12",
        "breached",
        "1",
    ),
    (
        "helpdesk metrics",
        "snow-resolution-2-days-by-12",
        "open",
        "1",
    ),
    // A, D and C came back (A exactly 365 days after its first visit, C in the last
    // second); G and H did not; E has no customer.
    ("sql-repeat 2026", "repeat-customers", "cases", "5"),
    ("sql-repeat 2026", "repeat-customers", "met", "3"),
    ("sql-repeat 2026", "repeat-customers", "breached", "2"),
    ("sql-repeat 2026", "repeat-customers", "excluded", "1"),
    ("sql-repeat 2026", "repeat-north", "met", "2"),
    ("sql-repeat 2026", "repeat-north", "breached", "3"),
    ("sql-repeat 2026", "repeat-cases", "met", "3"),
    ("sql-repeat 2026", "repeat-cases", "breached", "2"),
    ("sql-repeat 2026", "repeat-cases", "skipped", "1"),
    ("sql-repeat 2026", "repeat-buyers", "met", "1"),
    ("sql-repeat 2026", "repeat-buyers", "breached", "1"),
    ("sql-repeat 2026", "repeat-buyers", "excluded", "1"),
    // By region, the first row is the north: A, D (its first case in the file), C and H.
    ("sql-repeat by region", "repeat-customers", "cases", "4"),
    ("sql-repeat by region", "repeat-customers", "met", "3"),
    // As of July only A is back (on 1 January); C, D, G and H are not yet.
    ("sql-repeat as of July", "repeat-customers", "met", "1"),
    ("sql-repeat as of July", "repeat-customers", "open", "4"),
    // K1 (exactly 17:00: due Tuesday), K2 (stopped at the deadline instant), K3 (the eve,
    // by 17:00 though it closes at 13:00), K5, S1 (Saturday after the spring-forward
    // Friday), F1 met; K4 (after the eve's close: Monday 17:00), S2, F2 late.
    ("sql-clock", "reply-by-17", "met", "6"),
    ("sql-clock", "reply-by-17", "breached", "3"),
    // F2 is solved at 16:30 CET on the Monday after the fall-back weekend; the others by 16:00.
    ("sql-clock", "solved-next-day-by-16", "met", "8"),
    ("sql-clock", "solved-next-day-by-16", "breached", "1"),
    ("sql-clock", "update-2-days-by-9", "met", "5"),
    // 02:30 on 29 March is skipped: due at the change, 01:00Z (P1 met, P2 a second late);
    // on 25 October it is repeated: the later one, 01:30Z (P3 met; P4, started then, is due
    // the next night).
    ("sql-clock", "night-call-by-0230", "met", "3"),
    ("sql-clock", "night-call-by-0230", "breached", "1"),
    ("sql-clock", "two-replies-by-noon", "met", "3"),
    ("sql-clock", "two-replies-by-noon", "breached", "1"),
];

/// Runs every case of [`CASES`] on `dialect` (the runner `tests/sql/RUNNER.py` with Python
/// `py`), holds each result against the native audit, and checks [`HAND`].
pub(super) fn each_case_matches_the_audit(py: &PathBuf, dialect: &str) {
    let results: Vec<(&str, Table)> = CASES
        .iter()
        .map(|case| (case.what, case.check(py, dialect)))
        .collect();
    for (what, id, column, value) in HAND {
        let (_, t) = results
            .iter()
            .find(|(w, _)| w == what)
            .expect("a hand check names a case");
        let got = cell(t, id, column);
        assert!(
            same_cell(got, value),
            "{dialect}: {what}, {id} {column}: {got}, by hand {value}"
        );
    }
}

#[test]
fn repeat_rates_and_times_of_day_on_duckdb() {
    let Some(py) = engine() else { return };
    each_case_matches_the_audit(&py, "duckdb");
}

#[test]
fn repeat_rates_and_times_of_day_on_postgres() {
    let Some(py) = server() else { return };
    each_case_matches_the_audit(&py, "postgres");
}

/// A table has no file order: without `--row-order`, two cases of one customer whose first
/// visits share an instant are told apart by case id, so D stands in the south (V05) where
/// the audit, by the file, has it in the north (V06). The totals are the same.
#[test]
fn without_a_row_order_a_tie_between_a_customers_cases_takes_the_least_case_id() {
    let Some(py) = engine() else { return };
    let args = ["-s", REPEAT, YEAR_2026[0], YEAR_2026[1], "--by=region"];
    let sql = run_on(&py, "duckdb", &args, REPEAT_TABLES, None);
    let audit = native(&args);
    let groups = |t: &Table| -> Vec<(String, String)> {
        t[1..4]
            .iter()
            .map(|r| (r[6].clone(), r[7].clone()))
            .collect()
    };
    let pairs = |v: [(&str, &str); 3]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        groups(&sql),
        pairs([("north", "3"), ("south", "2"), ("", "5")])
    );
    assert_eq!(
        groups(&audit),
        pairs([("north", "4"), ("south", "1"), ("", "5")])
    );
}

#[test]
fn the_query_names_its_steps_and_the_calendar_engine_s_days() {
    let clock = [
        "\ntimes_of_day AS MATERIALIZED (",
        // Tuesday 22 December 2026 is the 254th open day from 1 March (Mondays to Saturdays),
        // closing at 18:00 CET (17:00Z); 17:00 CET is 16:00Z.
        "('desk', 1020, 254, 1797958800, 1797955200)",
        "\nclock_changes AS MATERIALIZED (",
        // 02:30 on 29 March is skipped: the change, 01:00Z; on 25 October repeated: 01:30Z.
        "('Europe/Berlin', 150, 20541, 1774746000)",
        "('Europe/Berlin', 150, 20751, 1792891800)",
    ];
    let repeat = [
        "  -- standard repeat-customers: 40-60% of last year's customers buy again this year\n",
        "s1_period AS MATERIALIZED (",
        "s1_visits AS MATERIALIZED (",
        "s1_customers AS MATERIALIZED (",
        "s3_outcomes AS MATERIALIZED (",
    ];
    let queries: [(&str, &str, &[&str], &[&str]); 2] = [
        (CLOCK, "duckdb", &CLOCK_YEAR, &clock),
        (REPEAT, "postgres", &YEAR_2026, &repeat),
    ];
    for (standards, dialect, period, parts) in queries {
        let mut args = vec!["sql", "-s", standards, "--dialect", dialect];
        args.extend_from_slice(period);
        let o = crate::common::run(&args);
        assert_eq!(crate::common::code(&o), 0, "{}", crate::common::stderr(&o));
        let sql = crate::common::stdout(&o);
        for part in parts {
            assert!(sql.contains(part), "{part:?} in the query");
        }
    }
}

/// The steps this module adds are named like the other shared steps, so a table of one of
/// those names is refused as theirs are (it would be hidden by the step).
#[test]
fn a_table_named_like_a_time_of_day_step_is_refused() {
    for step in ["times_of_day", "CLOCK_CHANGES"] {
        let table = format!("tickets={step}");
        let o = crate::common::run(&[
            "sql",
            "-s",
            CLOCK,
            "--dialect",
            "duckdb",
            "--table",
            &table,
            CLOCK_YEAR[0],
            CLOCK_YEAR[1],
        ]);
        assert_eq!(crate::common::code(&o), 2);
        assert_eq!(
            crate::common::stderr(&o),
            format!("error: --table tickets={step}: the query names a step \"{step}\", which would hide the table; give the table with its schema (SCHEMA.{step})\n")
        );
        assert!(crate::common::stdout(&o).is_empty());
    }
}
