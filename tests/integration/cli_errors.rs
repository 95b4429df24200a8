//! Exit statuses, and the errors that stop an audit (status 2) with a message that says
//! where the problem is and what is accepted. Also `yardstick check`.

use crate::common;

use common::*;

const FIX: &str = "tests/fixtures";

fn fixture_std(case: &str) -> String {
    format!("{FIX}/{case}/standards.toml")
}

/// Runs, asserts status 2, nothing on stdout, and returns stderr.
fn fails_with_2(args: &[&str]) -> String {
    let o = run(args);
    let err = stderr(&o);
    assert_eq!(code(&o), 2, "yardstick {args:?}: stderr {err}");
    assert!(
        o.stdout.is_empty(),
        "stdout must stay empty on error: {}",
        stdout(&o)
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn contains_all(text: &str, parts: &[&str]) {
    for p in parts {
        assert!(text.contains(p), "expected {p:?} in:\n{text}");
    }
}

// --- exit statuses of a completed audit --------------------------------------------------

#[test]
fn every_shipped_standards_file_fails_the_audit() {
    for name in ["ticket-desk", "training-provider", "order-cycle"] {
        let file = format!("standards/{name}.toml");
        let o = run(&["audit", "-s", &file]);
        assert_eq!(code(&o), 1, "{name}: {}", stderr(&o));
        let o = run(&["audit", "-s", &file, "--fail-on", "any"]);
        assert_eq!(code(&o), 1, "{name} --fail-on any");
        let o = run(&["audit", "-s", &file, "--fail-on", "none"]);
        assert_eq!(code(&o), 0, "{name} --fail-on none");
        assert!(!o.stdout.is_empty(), "the report is still printed");
    }
}

#[test]
fn week_47_passes_with_only_the_standards_that_met_their_target() {
    let o = run(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--only",
        "email-same-day,no-message-waits",
        "--week",
        "2026-W47",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // on the whole log email-same-day falls short (96% < 98%)
    let o = run(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--only",
        "email-same-day",
    ]);
    assert_eq!(code(&o), 1);
}

#[test]
fn fail_on_levels() {
    let status = |file: &str, level: &str| {
        code(&run(&[
            "audit",
            "-s",
            &format!("standards/{file}.toml"),
            "--fail-on",
            level,
        ]))
    };
    // ticket-desk: three non-negotiable standards fall short
    assert_eq!(status("ticket-desk", "nonnegotiable"), 1);
    // order-cycle: revision-turnaround (operational) and delivered-by-deadline
    // (non-negotiable) fall short
    assert_eq!(status("order-cycle", "operational"), 1);
    assert_eq!(status("order-cycle", "nonnegotiable"), 1);
    // training-provider: registration-confirmed (non-negotiable) falls short
    assert_eq!(status("training-provider", "nonnegotiable"), 1);
    // only operational standards selected: below the nonnegotiable bar, at the operational bar
    let only = |level: &str| {
        code(&run(&[
            "audit",
            "-s",
            "standards/order-cycle.toml",
            "--only",
            "revision-turnaround",
            "--fail-on",
            level,
        ]))
    };
    assert_eq!(only("nonnegotiable"), 0);
    assert_eq!(only("operational"), 1);
    assert_eq!(only("any"), 1);
    // ticket-desk email-same-day is experiential: only `any` counts it
    let exp = |level: &str| {
        code(&run(&[
            "audit",
            "-s",
            "standards/ticket-desk.toml",
            "--only",
            "email-same-day",
            "--fail-on",
            level,
        ]))
    };
    assert_eq!(exp("operational"), 0);
    assert_eq!(exp("nonnegotiable"), 0);
    assert_eq!(exp("any"), 1);
}

#[test]
fn unknown_fail_on_level_is_a_usage_error() {
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--fail-on",
        "sometimes",
    ]);
    contains_all(&err, &["sometimes", "nonnegotiable", "operational", "none"]);
}

// --- invalid standards files -------------------------------------------------------------

#[test]
fn unknown_key_names_file_line_column_and_key() {
    let file = fixture_std("unknown-key");
    for cmd in ["check", "audit"] {
        let err = fails_with_2(&[cmd, "-s", &file]);
        contains_all(
            &err,
            &[
                "tests/fixtures/unknown-key/standards.toml:16:1:",
                "`tagret`",
                "`target`",
            ],
        );
    }
}

#[test]
fn unknown_source() {
    let err = fails_with_2(&["check", "-s", &fixture_std("unknown-source")]);
    contains_all(
        &err,
        &[
            "tests/fixtures/unknown-source/standards.toml:12:10:",
            "unknown source \"tikets\"",
            "tickets",
        ],
    );
}

#[test]
fn unknown_calendar() {
    let err = fails_with_2(&["check", "-s", &fixture_std("unknown-calendar")]);
    contains_all(
        &err,
        &[
            "tests/fixtures/unknown-calendar/standards.toml:16:12:",
            "unknown calendar \"office\"",
            "always",
        ],
    );
}

#[test]
fn bad_duration_lists_the_accepted_forms() {
    let err = fails_with_2(&["check", "-s", &fixture_std("bad-duration")]);
    contains_all(
        &err,
        &[
            "tests/fixtures/bad-duration/standards.toml:15:10:",
            "\"10 minutes\" is not a duration",
            "\"45s\"",
            "\"10m\"",
            "\"4h\"",
            "\"1h30m\"",
            "\"2d\"",
            "\"same day\"",
        ],
    );
}

#[test]
fn duplicate_id_names_both_places() {
    let err = fails_with_2(&["check", "-s", &fixture_std("duplicate-id")]);
    contains_all(
        &err,
        &[
            "tests/fixtures/duplicate-id/standards.toml:18:6:",
            "duplicate standard id \"first-reply\"",
            "tests/fixtures/duplicate-id/standards.toml:10",
        ],
    );
}

#[test]
fn duplicate_id_across_the_files_of_a_folder() {
    // a-desk.toml and b-desk.toml both define first-reply-10m
    let err = fails_with_2(&["check", "-s", "tests/fixtures/duplicate-across-files"]);
    contains_all(
        &err,
        &[
            "duplicate standard id \"first-reply-10m\"",
            "a-desk.toml:13",
            "b-desk.toml:11:6",
        ],
    );
}

#[test]
fn the_shipped_standards_folder_is_one_catalogue() {
    let out = run(&["check", "-s", "standards"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("ok: 18 standards and 5 sources in 3 files\n"),
        "{text}"
    );
}

#[test]
fn version_missing() {
    let err = fails_with_2(&["check", "-s", &fixture_std("no-version")]);
    contains_all(
        &err,
        &[
            "tests/fixtures/no-version/standards.toml:1:1:",
            "missing `version = 1`",
        ],
    );
}

#[test]
fn version_wrong() {
    let err = fails_with_2(&["check", "-s", &fixture_std("wrong-version")]);
    contains_all(
        &err,
        &[
            "tests/fixtures/wrong-version/standards.toml:1:11:",
            "unsupported version 2",
            "version 1",
        ],
    );
}

#[test]
fn unreadable_standards_file() {
    let err = fails_with_2(&["check", "-s", "tests/fixtures/nothing-here.toml"]);
    contains_all(&err, &["tests/fixtures/nothing-here.toml"]);
}

#[test]
fn business_calendar_counts_only_open_time() {
    let file = fixture_std("business-calendar");
    let o = run(&["check", "-s", &file]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // T-1: Mon 12:00 -> 16:30 = 1h + 2h30 open = 12600 s; T-2: Mon 17:00 -> Tue 11:30 =
    // 1h + 2h30 = 12600 s. On the wall clock T-2 would take 18h30 and breach.
    let (r, status) = json(&["audit", "-s", &file, "--format", "json"]);
    assert_eq!(status, 0);
    let s = standard(&r, "reply-4h-office");
    assert_eq!(s["met"], 2);
    assert_eq!(s["breached"], 0);
    assert_eq!(s["max_s"], 12600);
}

// --- invalid inputs and arguments ----------------------------------------------------------

#[test]
fn missing_column_names_it_and_lists_the_headers() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    std::fs::write(
        &csv,
        "ticket_id,ts,event\nT-1,2026-11-16T09:00:00Z,created\n",
    )
    .unwrap();
    let arg = format!("tickets={}", path_str(&csv));
    for cmd in ["audit", "breaches", "check"] {
        let err = fails_with_2(&[cmd, "-s", "standards/ticket-desk.toml", "--log", &arg]);
        contains_all(
            &err,
            &[
                &path_str(&csv),
                "missing column \"timestamp\"",
                "\"ticket_id\", \"ts\", \"event\"",
            ],
        );
    }
}

#[test]
fn unreadable_log() {
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        "tickets=tests/fixtures/no-such-log.csv",
    ]);
    contains_all(&err, &["tests/fixtures/no-such-log.csv"]);
}

#[test]
fn bad_log_argument() {
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        "samples/ticket-desk.csv",
    ]);
    contains_all(&err, &["--log", "NAME=PATH"]);
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        "orders=samples/order-cycle.csv",
    ]);
    contains_all(&err, &["no source \"orders\"", "tickets"]);
}

#[test]
fn bad_week() {
    for week in ["2026-47", "2026-W54", "W47", "2026-Wxx"] {
        let err = fails_with_2(&["audit", "-s", "standards/ticket-desk.toml", "--week", week]);
        contains_all(&err, &[&format!("--week \"{week}\""), "2026-W47"]);
    }
}

#[test]
fn bad_since_lists_the_accepted_forms() {
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--since",
        "16/11/2026",
    ]);
    contains_all(&err, &["--since", "16/11/2026", "RFC 3339", "YYYY-MM-DD"]);
}

#[test]
fn unknown_only_id_lists_the_ids() {
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--only",
        "first-reply",
    ]);
    contains_all(
        &err,
        &["\"first-reply\"", "first-reply-10m", "email-same-day"],
    );
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        "tickets=samples/broken/tickets-bad-rows.csv",
        "--strict",
    ]);
    contains_all(
        &err,
        &[
            "samples/broken/tickets-bad-rows.csv:5:",
            "column \"timestamp\"",
            "\"16/11/2026 09:15\"",
        ],
    );
}

#[test]
fn output_into_a_missing_folder_is_checked_before_reading() {
    // The log does not exist either: the -o error must come first.
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        "tickets=tests/fixtures/no-such-log.csv",
        "-o",
        "tests/fixtures/no-such-folder/report.json",
    ]);
    contains_all(
        &err,
        &[
            "tests/fixtures/no-such-folder/report.json",
            "does not exist",
        ],
    );
    assert!(!err.contains("no-such-log"), "{err}");
    assert!(!root().join("tests/fixtures/no-such-folder").exists());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let err = fails_with_2(&["audit", "-s", "standards/ticket-desk.toml", "--bogus"]);
    contains_all(&err, &["--bogus", "Usage"]);
    let err = fails_with_2(&["audit"]);
    contains_all(&err, &["--standards"]);
    let err = fails_with_2(&["frobnicate"]);
    contains_all(&err, &["frobnicate"]);
}

#[test]
fn help_and_version_exit_0() {
    for args in [
        vec!["--help"],
        vec!["audit", "--help"],
        vec!["breaches", "--help"],
        vec!["check", "--help"],
    ] {
        let o = run(&args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(stdout(&o).contains("Usage: yardstick"), "{args:?}");
    }
    let o = run(&["audit", "--help"]);
    contains_all(
        &stdout(&o),
        &[
            "--standards",
            "--log",
            "--week",
            "--by",
            "--format",
            "--fail-on",
        ],
    );
    let o = run(&["--version"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).starts_with("yardstick "));
}

// --- check ---------------------------------------------------------------------------------

#[test]
fn check_lists_the_standards_of_a_valid_file() {
    let o = run(&["check", "-s", "standards/ticket-desk.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("ok: 4 standards and 1 source in 1 file\n"),
        "{out}"
    );
    for id in [
        "first-reply-10m",
        "no-message-waits",
        "reply-before-closing",
        "email-same-day",
    ] {
        assert!(out.contains(id), "{id} in {out}");
    }
    assert!(stderr(&o).is_empty(), "no warnings: {}", stderr(&o));
    for name in ["training-provider", "order-cycle"] {
        let o = run(&["check", "-s", &format!("standards/{name}.toml")]);
        assert_eq!(code(&o), 0, "{name}: {}", stderr(&o));
    }
    let o = run(&["check", "-s", "standards/training-provider.toml"]);
    assert!(stdout(&o).starts_with("ok: 10 standards and 3 sources in 1 file\n"));
}

#[test]
fn check_with_a_log_reports_its_columns() {
    let o = run(&[
        "check",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        "tickets=samples/ticket-desk.csv",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o)
        .contains("samples/ticket-desk.csv: the 7 columns have what source \"tickets\" needs"));
}

#[test]
fn check_warns_about_standards_that_are_not_smart() {
    let file = fixture_std("smart-warnings");
    let o = run(&["check", "-s", &file]);
    assert_eq!(code(&o), 0, "warnings do not fail the check");
    let err = stderr(&o);
    contains_all(
        &err,
        &[
            "warning: tests/fixtures/smart-warnings/standards.toml:",
            "standard \"untitled\" has no title",
            "standard \"follow-ups\" has no time bound",
            "standard \"toothless\" has a target of 0%",
        ],
    );
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(
        !stdout(&o).contains("warning"),
        "warnings go to stderr only"
    );
    assert!(stdout(&o).starts_with("ok: 3 standards"));
}

#[test]
fn empty_log_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("empty.csv");
    std::fs::write(&csv, "").unwrap();
    let arg = format!("tickets={}", path_str(&csv));
    let err = fails_with_2(&["audit", "-s", "standards/ticket-desk.toml", "--log", &arg]);
    contains_all(&err, &[&path_str(&csv), "empty", "header"]);
}

#[test]
fn by_an_unknown_column() {
    let err = fails_with_2(&["audit", "-s", "standards/ticket-desk.toml", "--by", "team"]);
    contains_all(
        &err,
        &["missing column \"team\"", "--by team", "\"department\""],
    );
}

#[test]
fn empty_period_and_output_to_a_folder() {
    let err = fails_with_2(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--since",
        "2026-11-20",
        "--until",
        "2026-11-18",
    ]);
    contains_all(&err, &["the period is empty"]);
    let err = fails_with_2(&["audit", "-s", "standards/ticket-desk.toml", "-o", "tests"]);
    contains_all(&err, &["-o tests", "is a folder"]);
}
