//! Periods: each standard's periods follow its own file's `timezone`, whichever other files are
//! loaded beside it (the shipped folder mixes UTC, Kyiv and Chicago, UTC first), and
//! `--timezone` overrides them all; `trend` fits its periods to the data, marks the running
//! one and has an HTML page. Expected counts come from tests/reference/reference.py:
//! `standards/ticket-desk.toml --week 2026-W47 [--as-of 2026-11-26T12:32:00Z]` (Kyiv) and the
//! same on a copy of the file with `timezone = "UTC"` (what the folder used to give).

use crate::common;

use common::*;

/// The CSV rows of `args` whose standard is one of ticket-desk.toml's.
fn ticket_desk_rows(args: &[&str]) -> Vec<std::collections::BTreeMap<String, String>> {
    let out = run(args);
    assert!(code(&out) < 2, "{args:?}: {}", stderr(&out));
    let (_, rows) = csv_records(&stdout(&out));
    rows.into_iter()
        .filter(|r| {
            [
                "first-reply-10m",
                "no-message-waits",
                "reply-before-closing",
                "email-same-day",
            ]
            .contains(&r["id"].as_str())
        })
        .collect()
}

fn counts(rows: &[std::collections::BTreeMap<String, String>], id: &str, period: &str) -> String {
    let key = if rows[0].contains_key("period") {
        "period"
    } else {
        "week"
    };
    let r = rows
        .iter()
        .find(|r| r["id"] == id && r[key] == period)
        .unwrap_or_else(|| panic!("no row {id} {period} in {rows:?}"));
    format!("{}/{}/{}", r["met"], r["breached"], r["open"])
}

#[test]
fn a_folder_gives_a_standard_the_buckets_it_has_alone() {
    for command in [
        &["audit", "--by", "week", "--format", "csv"][..],
        &["trend", "--format", "csv"],
        &["audit", "--week", "2026-W47", "--format", "csv"],
    ] {
        let with = |standards: &'static str| {
            let mut args = vec![command[0], "-s", standards];
            args.extend(&command[1..]);
            ticket_desk_rows(&args)
        };
        let (alone, folder) = (with("standards/ticket-desk.toml"), with("standards/"));
        assert!(!alone.is_empty());
        assert_eq!(alone, folder, "{command:?}");
        assert!(folder.iter().all(|r| r["timezone"] == "Europe/Kyiv"));
    }
    // The week of Kyiv, as the reference counts it (the folder's first file is UTC's).
    let trend = ticket_desk_rows(&["trend", "-s", "standards/", "--format", "csv"]);
    assert_eq!(counts(&trend, "first-reply-10m", "2026-W47"), "70/5/0");
    let by_week = ticket_desk_rows(&[
        "audit",
        "-s",
        "standards/",
        "--by",
        "week",
        "--format",
        "csv",
    ]);
    assert_eq!(counts(&by_week, "first-reply-10m", "2026-W47"), "70/5/0");
    // --week is cut in the standard's zone too, and its end judges the open cases.
    let week = ticket_desk_rows(&[
        "audit",
        "-s",
        "standards/",
        "--week",
        "2026-W47",
        "--format",
        "csv",
    ]);
    let first = week.iter().find(|r| r["id"] == "first-reply-10m").unwrap();
    assert_eq!(
        (
            first["met"].as_str(),
            first["breached"].as_str(),
            first["open"].as_str()
        ),
        ("69", "5", "1")
    );
}

#[test]
fn timezone_flag_cuts_every_standard_in_one_zone() {
    let trend = ticket_desk_rows(&[
        "trend",
        "-s",
        "standards/",
        "--timezone",
        "UTC",
        "--format",
        "csv",
    ]);
    assert_eq!(counts(&trend, "first-reply-10m", "2026-W47"), "69/5/0");
    assert_eq!(counts(&trend, "no-message-waits", "2026-W47"), "41/3/0");
    assert_eq!(counts(&trend, "reply-before-closing", "2026-W47"), "72/2/0");
    let w47 = trend
        .iter()
        .find(|r| r["id"] == "first-reply-10m" && r["period"] == "2026-W47")
        .unwrap();
    assert_eq!(
        (
            w47["since"].as_str(),
            w47["until"].as_str(),
            w47["timezone"].as_str()
        ),
        ("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z", "UTC")
    );
    // Only the report's periods move: "same day" keeps its calendar's Kyiv day, so
    // email-same-day stays 24/0 where a UTC file would give 23/1.
    let (report, _) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--timezone",
        "UTC",
        "--as-of",
        "2026-11-26T12:32:00Z",
        "--week",
        "2026-W47",
        "--format",
        "json",
    ]);
    let same_day = standard(&report, "email-same-day");
    assert_eq!(
        (same_day["met"].as_u64(), same_day["breached"].as_u64()),
        (Some(24), Some(0))
    );
    assert_eq!(same_day["timezone"], "UTC");
    assert_eq!(report["period"]["since"], "2026-11-16T00:00:00Z");
}

#[test]
fn a_misspelt_timezone_is_refused_with_the_closest_name() {
    let out = run(&["audit", "-s", "standards/", "--timezone", "Europe/Berln"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "error: --timezone \"Europe/Berln\": unknown time zone (did you mean \"Europe/Berlin\"?); \
         expected an IANA zone name such as \"UTC\", \"Europe/Kyiv\" or \"America/New_York\"\n"
    );
}

#[test]
fn the_tables_say_which_zone_each_standard_used() {
    let out = ys()
        .env("COLUMNS", "80")
        .args(["trend", "-s", "standards/ticket-desk.toml"])
        .output()
        .unwrap();
    assert!(
        stdout(&out).ends_with("Periods in Europe/Kyiv time.\n"),
        "{}",
        stdout(&out)
    );
    let out = ys()
        .env("COLUMNS", "80")
        .args([
            "audit",
            "-s",
            "standards/",
            "--by",
            "week",
            "--timezone",
            "America/Chicago",
        ])
        .output()
        .unwrap();
    assert!(
        stdout(&out).contains("\nWeeks in America/Chicago time.\n"),
        "{}",
        stdout(&out)
    );
}

/// `(period, partial)` of each trend row of first-reply-10m.
fn trend_periods(extra: &[&str]) -> Vec<(String, bool)> {
    let mut args = vec![
        "trend",
        "-s",
        "standards/ticket-desk.toml",
        "--only",
        "first-reply-10m",
        "--format",
        "json",
    ];
    args.extend(extra);
    let (v, _) = json(&args);
    v["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap().to_string(),
                r["partial"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// The log runs from 2026-11-15T21:52:00Z (Sunday 23:52 in Kyiv: W46) to
/// 2026-11-23T07:59:41Z (Monday of W48).
#[test]
fn trend_starts_at_the_first_event_and_marks_the_running_period() {
    let p = |list: &[(&str, bool)]| -> Vec<(String, bool)> {
        list.iter().map(|(s, b)| (s.to_string(), *b)).collect()
    };
    // Eight periods asked for, three in the data: no five empty weeks before the first event.
    assert_eq!(
        trend_periods(&["--periods", "8"]),
        p(&[("2026-W46", false), ("2026-W47", false), ("2026-W48", true)])
    );
    assert_eq!(
        trend_periods(&["--periods", "2"]),
        p(&[("2026-W47", false), ("2026-W48", true)])
    );
    // An as-of inside W47: W47 is the running period, W48 not yet.
    assert_eq!(
        trend_periods(&["--as-of", "2026-11-20T12:00:00Z"]),
        p(&[("2026-W46", false), ("2026-W47", true)])
    );
    let csv = stdout(&run(&[
        "trend",
        "-s",
        "standards/ticket-desk.toml",
        "--only",
        "first-reply-10m",
        "--format",
        "csv",
    ]));
    let (header, rows) = csv_records(&csv);
    assert_eq!(&header[header.len() - 2..], ["timezone", "partial"]);
    let partial: Vec<&str> = rows.iter().map(|r| r["partial"].as_str()).collect();
    assert_eq!(partial, ["false", "false", "true"]);
}

#[test]
fn trend_has_an_html_page_and_no_junit() {
    let out = run(&[
        "trend",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "html",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<title>yardstick trend</title>"));
    assert_eq!(page.matches("<figure class=\"trend\">").count(), 4);
    let out = run(&[
        "trend",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "junit",
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "error: --format junit is for `yardstick audit`; trend supports table, csv, tsv, json, \
         markdown, ndjson, html\n"
    );
}
