//! `yardstick sql --dialect spark`: the compiled query, run on Apache Spark in local mode over
//! the samples, the fixtures and a generated 100,000-event log loaded as string columns
//! (`tests/sql/spark.py`), gives the rows of `yardstick audit --format csv`, as on DuckDB
//! (`sql_duckdb`). The server is the one `$YARDSTICK_SPARK` names (`127.0.0.1:PORT`):
//! `.ci/engines` starts one Spark for the whole run, bound to the loopback interface, and
//! stops it after. Without it the comparisons skip (`common::skip`).

use std::path::PathBuf;

use super::sql_duckdb::{a_by_column_stops_the_query, assert_same, native, run_on, served, Table};
use super::sql_repeat::CASES;

pub(super) fn server() -> Option<PathBuf> {
    served(
        "YARDSTICK_SPARK",
        "a Spark server's 127.0.0.1:PORT",
        "pyspark",
    )
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
    // Each sample by week and its attribute (the events and cases layouts; the plain audit
    // is their totals rows), and the ticket desk alone with its numbers by hand.
    super::sql_common::samples(&server, "spark", &[&["--by=week,{attr}"]]);
}

#[test]
fn spark_reads_times_calendars_and_pauses_as_the_native_engine() {
    let Some(server) = server() else { return };
    let line = Some("line");
    // Local times in the gaps and folds of the zones' clock changes, every form of time, on
    // the events and cases layouts, with the numbers worked out by hand.
    super::sql_common::times(&server, "spark", &[]);
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
    let (_dir, csv) = super::sql_workload::generated_log(100_000, 7);
    let csv = csv.as_str();
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

/// The length of query `sql` with each CTE written out at every place a later step reads it
/// (comments left out): the plan Spark's analyzer builds when it checks the query, which
/// inlines every CTE whatever the query asks. The last step counts with the final `SELECT`.
fn expanded(sql: &str) -> usize {
    let body = &sql[sql.find("\nWITH\n").expect("a WITH") + 6..];
    let mut steps: Vec<(&str, String)> = Vec::new();
    for line in body.lines() {
        match line.strip_suffix(" AS (").filter(|n| !n.starts_with(' ')) {
            Some(name) => steps.push((name, String::new())),
            None => {
                let code = line.split("--").next().unwrap_or("");
                let last = steps.last_mut().expect("a step first");
                last.1.push_str(code);
                last.1.push('\n');
            }
        }
    }
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut sizes: Vec<usize> = Vec::new();
    for (i, (_, text)) in steps.iter().enumerate() {
        let copies: usize = steps[..i]
            .iter()
            .zip(&sizes)
            .map(|((name, _), size)| {
                let reads = text
                    .match_indices(name)
                    .filter(|(at, _)| {
                        !text[..*at].chars().next_back().is_some_and(word)
                            && !text[at + name.len()..].chars().next().is_some_and(word)
                    })
                    .count();
                reads * size
            })
            .sum();
        sizes.push(text.len() + copies);
    }
    *sizes.last().expect("a step")
}

#[test]
fn the_cases_layout_plans_small_on_spark() {
    // The order-cycle sample's query, its nine time columns looked up one join each and its
    // events a union of nine reads of the rows, came to 27.5 MB written out so, and ran
    // Spark's analyzer out of a 4 GB heap; the calendar fixture's 1.3 MB took about two
    // minutes to plan. Unpivoted (`Dialect::unpivot_cells`), with one read of the outcomes
    // for a `--by`, it is about 0.6 MB.
    for by in [None, Some("--by=week,writer")] {
        let mut args = vec![
            "sql",
            "--dialect",
            "spark",
            "-s",
            "standards/order-cycle.toml",
        ];
        args.extend(by);
        let o = crate::common::run(&args);
        assert_eq!(crate::common::code(&o), 0, "{by:?}");
        let size = expanded(&crate::common::stdout(&o));
        assert!((400_000..1_000_000).contains(&size), "{by:?}: {size} bytes");
    }
}

#[test]
fn a_query_is_measured_with_each_step_written_out_at_each_read() {
    let sql = "-- head\nWITH\na AS (\n  SELECT 1 -- one\n),\nb AS (\n  SELECT * FROM a, a a2, ab\n)\nSELECT * FROM b, b b2;";
    // a: "  SELECT 1 " (its comment left out) and "),", with their newlines, 15 bytes; b:
    // its two lines and the final SELECT, 53, and a twice (not ab, which is no step).
    assert_eq!(expanded(sql), 53 + 2 * 15);
}
