//! SMART measured: `check` with a log (`--log`, or the source's own `path`) judges every
//! standard on the log's history through the audit's pipeline, and warns when a standard has
//! no case at all (relevant), when no week reached its target (achievable), and when every
//! week is at 100% (a target that measures nothing). `tests/fixtures/smart-history/`, by hand
//! (UTC; one clock per ticket, two tickets a week):
//!
//! | week     | ticket | reply after | solved after |
//! |----------|--------|-------------|--------------|
//! | 2026-W46 | T1     | 5m          | 3h           |
//! | 2026-W46 | T2     | 20m         | 6h           |
//! | 2026-W47 | T3     | 40m         | 1h           |
//! | 2026-W47 | T4     | 8m          | 2h           |
//! | 2026-W48 | T5     | 15m         | 30m          |
//! | 2026-W48 | T6     | 2m          | 8h           |
//!
//! - reply-10m (target 90%): T1, T4, T6 met; 50% every week, 3 of 6: no week reached 90%.
//! - solved-1d (target 95%): all six met, 100% every week.
//! - escalation-1h: no row has `escalated`, so no case at all.
//! - reply-30m (target 75%): only T3 breached: W46 100%, W47 50%, W48 100%, 5 of 6 = 83.3%;
//!   it reached its target in two weeks and fell short in one: no warning.

use crate::common;

use common::*;

const S: &str = "tests/fixtures/smart-history/standards.toml";

const WARNINGS: [&str; 4] = [
    "warning: source \"tickets\": no row has the event \"escalated\" that the standards use",
    "warning: tests/fixtures/smart-history/standards.toml:14: standard \"reply-10m\" did not \
     reach its target of 90% in any week of the log (3 with a decided case; nearest: 2026-W46 \
     at 50.0%): not achievable as set (achievable)",
    "warning: tests/fixtures/smart-history/standards.toml:22: standard \"solved-1d\" was at \
     100% in every week of the log (3 with a decided case; 6 cases met, none breached): a \
     standard no case falls short of measures nothing (measurable)",
    "warning: tests/fixtures/smart-history/standards.toml:30: standard \"escalation-1h\" has \
     no case in the log of source \"tickets\": it is not relevant to this export, or an event \
     or `where` value it names is spelt differently there (relevant)",
];

const HISTORY: &str = "history of the logs (decided cases; ISO weeks of clock start):
  reply-10m                    50.0% over the log (3 of 6 met); 3 weeks: best 2026-W46 50.0%, worst 2026-W46 50.0%
  solved-1d                    100.0% over the log (6 of 6 met); 3 weeks: best 2026-W46 100.0%, worst 2026-W46 100.0%
  escalation-1h                no case in the log
  reply-30m                    83.3% over the log (5 of 6 met); 3 weeks: best 2026-W46 100.0%, worst 2026-W47 50.0%
";

#[test]
fn check_with_its_own_log_measures_achievable_and_relevant() {
    let o = run(&["check", "-s", S]);
    // Warnings, not failures: the file is valid and the log fits it (see README, `check`).
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().collect::<Vec<_>>(), WARNINGS);
    let text = stdout(&o);
    assert!(text.ends_with(HISTORY), "{text}");
}

#[test]
fn check_with_log_gives_the_same_history() {
    let o = run(&[
        "check",
        "-s",
        S,
        "--log",
        "tickets=tests/fixtures/smart-history/tickets.csv",
    ]);
    assert_eq!(code(&o), 0);
    assert_eq!(stderr(&o).lines().collect::<Vec<_>>(), WARNINGS);
    assert!(stdout(&o).ends_with(HISTORY), "{}", stdout(&o));
}

#[test]
fn check_json_has_each_standard_s_history_per_week() {
    let (doc, status) = json(&["check", "-s", S, "--format", "json"]);
    assert_eq!(status, 0);
    let messages: Vec<String> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| format!("warning: {}", w["message"].as_str().unwrap()))
        .collect();
    assert_eq!(messages, WARNINGS);
    let h = &doc["standards"][3]["history"];
    assert_eq!(doc["standards"][3]["id"], "reply-30m");
    let counts = ["cases", "met", "breached", "open", "excluded"].map(|k| h[k].as_i64().unwrap());
    assert_eq!(counts, [6, 5, 1, 0, 0]);
    assert_eq!(h["compliance"].as_f64(), Some(5.0 / 6.0 * 100.0));
    let weeks: Vec<(&str, i64, i64, f64)> = h["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["period"].as_str().unwrap(),
                w["met"].as_i64().unwrap(),
                w["breached"].as_i64().unwrap(),
                w["compliance"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-W46", 2, 0, 100.0),
            ("2026-W47", 1, 1, 50.0),
            ("2026-W48", 2, 0, 100.0)
        ]
    );
    let none = &doc["standards"][2]["history"];
    assert_eq!(none["cases"], 0);
    assert_eq!(none["weeks"], serde_json::json!([]));
}

#[test]
fn check_without_a_log_is_unchanged() {
    // The standards alone, their log not beside them: no history, no new warning, and no
    // `history` key in the JSON.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("standards.toml");
    std::fs::copy(root().join(S), &copy).unwrap();
    let copy = copy.display().to_string();
    let o = run(&["check", "-s", &copy]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stderr(&o),
        format!(
            "warning: source \"tickets\": its path {} is not there, so its columns were not \
             checked; pass --log tickets=PATH\n",
            dir.path().join("tickets.csv").display()
        )
    );
    assert!(
        !stdout(&o).contains("history of the logs"),
        "{}",
        stdout(&o)
    );
    let (doc, _) = json(&["check", "-s", &copy, "--format", "json"]);
    assert!(doc["standards"][0].get("history").is_none(), "{doc}");
}

#[test]
fn check_reading_standard_input_says_it_measured_nothing() {
    let log = std::fs::read(root().join("tests/fixtures/smart-history/tickets.csv")).unwrap();
    let o = ys()
        .args(["check", "-s", S, "--log", "tickets=-"])
        .write_stdin(log)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(
        stderr(&o),
        "warning: the history of the logs was not measured: standard input can be read only \
         once, and it was read for its columns; give the log as a file to measure it\n"
    );
    assert!(!stdout(&o).contains("history of the logs"));
}

#[test]
fn a_range_no_week_falls_in_is_not_achievable_and_the_nearest_week_is_named() {
    // reply-30m against 60-80%: W46 100% (20 above), W47 50% (10 below), W48 100%: no week
    // inside, the nearest is W47. Its log is the fixture's, by an absolute path.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let log = root().join("tests/fixtures/smart-history/tickets.csv");
    std::fs::write(
        &path,
        format!(
            "version = 1\n[sources.tickets]\npath = {:?}\nlayout = \"events\"\n\
             case = \"ticket_id\"\ntime = \"timestamp\"\nevent = \"event\"\n[[standard]]\n\
             id = \"reply-30m\"\ntitle = \"t\"\nfrom = \"created\"\nto = \"agent_reply\"\n\
             within = \"30m\"\ntarget = [60, 80]\n",
            log.display().to_string()
        ),
    )
    .unwrap();
    let o = run(&["check", "-s", &path.display().to_string()]);
    assert_eq!(code(&o), 0);
    assert_eq!(
        stderr(&o),
        format!(
            "warning: {}:9: standard \"reply-30m\" did not reach its target of 60-80% in any \
             week of the log (3 with a decided case; nearest: 2026-W47 at 50.0%): not \
             achievable as set (achievable)\n",
            path.display()
        )
    );
}

#[test]
fn a_log_audit_would_refuse_is_a_warning_of_check() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("bad.csv");
    std::fs::write(
        &log,
        "ticket_id,timestamp,event\nT1,soon,created\nT1,later,agent_reply\nT1,2026-11-10T12:00:00Z,solved\n",
    )
    .unwrap();
    let log = log.display().to_string();
    let o = run(&["check", "-s", S, "--log", &format!("tickets={log}")]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    let refused: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("warning: `audit` stops"))
        .collect();
    assert_eq!(refused.len(), 1, "{err}");
    assert!(
        refused[0].starts_with(&format!(
            "warning: `audit` stops at this log (exit 2): {log}: 2 of 3 rows could not be used, \
             2 of them for unparseable timestamp (first at {log}:2: "
        )),
        "{err}"
    );
    // What is left is measured: T1's solve has no `created`, so nothing has a case.
    assert!(stdout(&o).contains("  reply-10m                    no case in the log\n"));
}

#[test]
fn a_log_of_a_source_without_standards_measures_nothing() {
    // Source "a" has a log and no standard; "b" has the standard and no log: nothing to
    // measure, and no error about b's missing log.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    let log = root().join("tests/fixtures/smart-history/tickets.csv");
    let source = |name: &str, path: &str| {
        format!(
            "[sources.{name}]\npath = {path:?}\nlayout = \"events\"\ncase = \"ticket_id\"\n\
             time = \"timestamp\"\nevent = \"event\"\n"
        )
    };
    std::fs::write(
        &path,
        format!(
            "version = 1\n{}{}[[standard]]\nid = \"x\"\ntitle = \"t\"\nsource = \"b\"\n\
             from = \"created\"\nto = \"solved\"\nwithin = \"1h\"\n",
            source("a", &log.display().to_string()),
            source("b", "nothere.csv")
        ),
    )
    .unwrap();
    let o = run(&["check", "-s", &path.display().to_string()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "warning: source \"b\": its path {} is not there, so its columns were not checked; \
             pass --log b=PATH\n",
            dir.path().join("nothere.csv").display()
        )
    );
    assert!(
        !stdout(&o).contains("history of the logs"),
        "{}",
        stdout(&o)
    );
}
