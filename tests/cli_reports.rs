//! The reporting features through the binary: `--on-empty`, totals rows, variance in words,
//! breach rankings and counts, ndjson, github, exports, html, trend and xlsx.

mod common;

use common::*;
use serde_json::Value;

const TICKETS: &str = "standards/ticket-desk.toml";
const BAD_ROWS: &str = "tickets=samples/broken/tickets-bad-rows.csv";

// --- --on-empty ----------------------------------------------------------------------------

/// Both standards have no decided case in the broken sample.
fn no_data_run(extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "audit",
        "-s",
        TICKETS,
        "--log",
        BAD_ROWS,
        "--only",
        "no-message-waits,email-same-day",
        "--format",
        "json",
    ];
    args.extend(extra);
    run(&args)
}

#[test]
fn on_empty_warn_is_the_default_and_does_not_fail() {
    let o = no_data_run(&[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    for id in ["no-message-waits", "email-same-day"] {
        assert!(
            err.contains(&format!(
                "warning: standard {id:?}: no decided case in the period"
            )),
            "{err}"
        );
    }
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["passed"], true);
    let o = no_data_run(&["--on-empty", "warn"]);
    assert_eq!(code(&o), 0);
}

#[test]
fn on_empty_pass_is_silent_and_does_not_fail() {
    let o = no_data_run(&["--on-empty", "pass"]);
    assert_eq!(code(&o), 0);
    assert!(!stderr(&o).contains("no decided case"), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["passed"], true);
}

#[test]
fn on_empty_fail_fails_the_run_at_the_fail_on_level() {
    let o = no_data_run(&["--on-empty", "fail"]);
    assert_eq!(code(&o), 1);
    assert!(!stderr(&o).contains("no decided case"), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["passed"], false);
    // the rows themselves still say "no data"
    assert_eq!(standard(&r, "email-same-day")["passed"], Value::Null);
    // email-same-day is experiential: it does not count under --fail-on operational
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--log",
        BAD_ROWS,
        "--only",
        "email-same-day",
        "--on-empty",
        "fail",
        "--fail-on",
        "operational",
    ]);
    assert_eq!(code(&o), 0);
    // no-message-waits is non-negotiable: it does
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--log",
        BAD_ROWS,
        "--only",
        "no-message-waits",
        "--on-empty",
        "fail",
        "--fail-on",
        "nonnegotiable",
    ]);
    assert_eq!(code(&o), 1);
}

#[test]
fn on_empty_rejects_other_values() {
    let o = no_data_run(&["--on-empty", "maybe"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--on-empty"), "{}", stderr(&o));
}
