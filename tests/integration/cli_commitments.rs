//! Commitments kept by the time promised: an `each` standard with `by` judges every
//! occurrence against the time promised on its own row (`tests/fixtures/commitments/`).
//!
//! Hand-checked from `calls.csv` (UTC; as-of: the last event, C-5's commitment at 18 Nov
//! 10:00; `promised_at` cells are promises, not events, so they never set the as-of):
//! - C-1 #1: made 16 Nov 09:00, promised 15:00, kept 14:30: met, 30m early (-1800 s).
//! - C-1 #2: made 16:00, promised 17 Nov 10:00, kept 10:00:01: breached, 1 s late.
//! - C-2 #1: promised the date 2026-11-16 = 23:59:59, kept 23:59:59: met, on time (0 s).
//! - C-3 #1: promised 17 Nov 13:00, never kept, as-of past it: breached without a stop.
//! - C-4 #1: no promised time on its row: not scored (excluded, "no deadline").
//! - C-5 #1: promised 18 Nov 12:00, after the as-of: open.
//! - C-6: rows out of time order. The 08:00 commitment (second in the file) promised 08:15
//!   and was kept 08:30: breached, 900 s late; the 15:00 one (first in the file) promised
//!   16:00, kept 15:30: met, -1800 s. Read in file order, the promises would swap.
//!
//! Met 3, breached 3, open 1, excluded 1: compliance 50%. Lateness of the stopped decided
//! cases: -1800, -1800, 0, 1, 900: median (rank 3) 0, p90 (rank 5) 900, max 900.

use crate::common;

use common::*;

const S: &str = "tests/fixtures/commitments/standards.toml";

#[test]
fn each_promise_is_judged_by_the_time_on_its_own_row() {
    let o = run(&["audit", "-s", S, "--format", "json"]);
    assert_eq!(code(&o), 1, "50% is short of 80%");
    assert!(
        stderr(&o).contains("standard \"callback-as-promised\": 1 case(s) have no deadline value and are not scored"),
        "{}",
        stderr(&o)
    );
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let s = standard(&r, "callback-as-promised");
    assert_eq!(s["kind"], "each");
    assert_eq!(
        s["rule"],
        "each commitment_made -> commitment_kept by promised_at"
    );
    let got = [
        "cases", "met", "breached", "open", "excluded", "limit_s", "median_s", "p90_s", "max_s",
    ]
    .map(|k| s[k].as_i64().unwrap());
    assert_eq!(got, [7, 3, 3, 1, 1, 0, 0, 900, 900]);
    assert_eq!(s["compliance"].as_f64(), Some(50.0));
    assert_eq!(r["period"]["as_of"], "2026-11-18T10:00:00Z");
}

#[test]
fn breaches_list_each_broken_promise_with_its_promised_time() {
    let o = run(&["breaches", "-s", S, "--format", "csv"]);
    let (_, rows) = csv_records(&stdout(&o));
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                r["case"].as_str(),
                r["occurrence"].as_str(),
                r["clock_stop"].as_str(),
                r["deadline"].as_str(),
                r["over_by_s"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            [
                "C-1",
                "2",
                "2026-11-17T10:00:01Z",
                "2026-11-17T10:00:00Z",
                "1"
            ],
            ["C-3", "1", "", "2026-11-17T13:00:00Z", "75600"],
            [
                "C-6",
                "1",
                "2026-11-17T08:30:00Z",
                "2026-11-17T08:15:00Z",
                "900"
            ],
        ]
    );
}

#[test]
fn people_read_lateness_against_the_promise() {
    let table = stdout(&run(&["audit", "-s", S]));
    assert!(
        table.contains("compliance 50% against 80% (-30.0 pts); median on time;"),
        "{table}"
    );
    assert!(table.contains("p90 15m late"), "{table}");
    for format in [
        "markdown", "junit", "github", "html", "csv", "tsv", "ndjson",
    ] {
        let o = run(&["audit", "-s", S, "--format", format]);
        assert_eq!(code(&o), 1, "{format}: {}", stderr(&o));
        assert!(stdout(&o).contains("callback-as-promised"), "{format}");
    }
    let html = stdout(&run(&["audit", "-s", S, "--format", "html"]));
    assert!(html.contains("lateness against the deadline"), "{html}");
}

#[test]
fn explain_shows_the_promised_time_of_each_occurrence() {
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "callback-as-promised",
        "--case",
        "C-6",
    ]);
    let text = stdout(&o);
    assert!(text.contains("promised  Tue 2026-11-17 08:15:00 UTC (2026-11-17T08:15:00Z) in promised_at on the occurrence's row\n  lateness  900 s (15m) (late)\n  verdict   BREACHED, 900 s (15m) over"), "{text}");
    assert!(text.contains("promised  Tue 2026-11-17 16:00:00 UTC (2026-11-17T16:00:00Z) in promised_at on the occurrence's row\n  lateness  -1800 s (-30m) (early)\n  verdict   MET"), "{text}");
    // A promise is a wall-clock instant: no open windows are counted for it.
    assert!(!text.contains("open time counted"), "{text}");
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "callback-as-promised",
        "--case",
        "C-4",
    ]);
    assert!(
        stdout(&o).contains("promised  nothing: the occurrence's promised_at is empty\n  verdict   EXCLUDED: no deadline"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_log_without_the_promised_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls.csv");
    std::fs::write(
        &log,
        "case_id,timestamp,event\nC-1,2026-11-16T09:00:00Z,commitment_made\n",
    )
    .unwrap();
    let o = run(&[
        "audit",
        "-s",
        S,
        "--log",
        &format!("calls={}", path_str(&log)),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("promised_at"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the promised time `by` of standard \"callback-as-promised\""),
        "{}",
        stderr(&o)
    );
}
