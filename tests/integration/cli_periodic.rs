//! Periodic updates: in an `each` standard the `each` event's own row never stops its own
//! clock, so `each = "agent_update"`, `to = ["agent_update", "solved"]` asks that every update
//! be followed by another update or the solve within 24 hours
//! (`tests/fixtures/periodic-update/`).
//!
//! Hand-checked from `tickets.csv` (as-of: the last row, T-3's update, 18 Nov 08:00):
//! - T-1: update 16 Nov 10:00, next update 17 Nov 09:00 (23h, met, 82800 s); that update's
//!   clock runs to the solve at 20:00 (11h, met, 39600 s).
//! - T-2: update 16 Nov 12:00, next 17 Nov 12:00:01 (one second over 24h: breached, 86401 s);
//!   the two updates at 12:00:01 stop each other's clock (met, 0 s each), not their own.
//! - T-4: one update 16 Nov 08:00, nothing after: breached without a stop (due 17 Nov 08:00).
//! - T-3: one update 18 Nov 08:00 = the as-of: open (due 19 Nov 08:00).
//!
//! Met 4, breached 2, open 1: compliance 4/6 = 66.7%. The stopped decided values are
//! 0, 0, 39600, 82800, 86401: median (rank 3) 39600, p90 (rank 5) 86401, max 86401.

use crate::common;

use common::*;

const S: &str = "tests/fixtures/periodic-update/standards.toml";

#[test]
fn every_update_is_followed_by_another_or_the_solve() {
    let (r, code) = json(&["audit", "-s", S, "--format", "json"]);
    assert_eq!(code, 1, "66.7% is short of 90%");
    let s = standard(&r, "update-every-24h");
    let got = [
        "cases", "met", "breached", "open", "median_s", "p90_s", "max_s",
    ]
    .map(|k| s[k].as_i64().unwrap());
    assert_eq!(got, [7, 4, 2, 1, 39600, 86401, 86401]);
    assert_eq!(s["compliance"].as_f64(), Some(4.0 / 6.0 * 100.0));
}

#[test]
fn the_breaches_are_the_late_update_and_the_last_one() {
    let o = run(&["breaches", "-s", S, "--format", "csv"]);
    let (_, rows) = csv_records(&stdout(&o));
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["case"].as_str(),
                r["occurrence"].as_str(),
                r["clock_stop"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("T-2", "1", "2026-11-17T12:00:01Z"), ("T-4", "1", "")],
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_no_longer_calls_a_shared_each_and_to_futile() {
    let o = run(&["check", "-s", S]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("can never fail"), "{}", stderr(&o));
    let o = run(&["audit", "-s", S]);
    assert!(!stderr(&o).contains("can never fail"), "{}", stderr(&o));
}

#[test]
fn explain_shows_two_updates_at_one_instant_stopping_each_other() {
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "update-every-24h",
        "--case",
        "T-2",
    ]);
    let text = stdout(&o);
    let clocks: Vec<&str> = text.split("\nclock ").skip(1).collect();
    assert_eq!(clocks.len(), 3, "{text}");
    assert!(
        clocks[0].contains("verdict   BREACHED, 1 s (1s) over"),
        "{text}"
    );
    for c in &clocks[1..] {
        assert!(
            c.contains("stops     Tue 2026-11-17 12:00:01 UTC"),
            "{text}"
        );
        assert!(c.contains("verdict   MET"), "{text}");
    }
}
