//! Reading logs: row accounting, standard input, several files per source, BOM/CRLF/quoted
//! newlines, naive timestamps in the source's time zone, and `time_format`.

use crate::common;

use common::*;
use serde_json::{json, Value};

const BROKEN: &str = "tickets=samples/broken/tickets-bad-rows.csv";

/// (cases, met, breached, open) and (median, max) of the standards, in order.
fn summary(report: &Value) -> Vec<(String, Vec<Value>)> {
    report["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                [
                    "cases",
                    "met",
                    "breached",
                    "open",
                    "excluded",
                    "compliance",
                    "median_s",
                    "p90_s",
                    "max_s",
                ]
                .iter()
                .map(|k| s[*k].clone())
                .collect(),
            )
        })
        .collect()
}

#[test]
fn skipped_rows_are_accounted_for_by_reason() {
    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        BROKEN,
        "--format",
        "json",
    ]);
    let inputs = r["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 1);
    let i = &inputs[0];
    assert_eq!(i["source"], "tickets");
    assert_eq!(i["path"], "samples/broken/tickets-bad-rows.csv");
    assert_eq!(i["rows"], 10);
    assert_eq!(i["used"], 7);
    assert_eq!(i["skipped"], 3);
    assert_eq!(
        i["rows"].as_u64().unwrap(),
        i["used"].as_u64().unwrap() + i["skipped"].as_u64().unwrap()
    );
    assert_eq!(
        i["skipped_reasons"],
        json!({
            "unparseable timestamp": 1,
            "missing case id": 1,
            "missing timestamp": 1
        })
    );
}

#[test]
fn every_row_of_the_samples_is_used() {
    for name in ["ticket-desk", "training-provider", "order-cycle"] {
        let (r, _) = json(&[
            "audit",
            "-s",
            &format!("standards/{name}.toml"),
            "--format",
            "json",
        ]);
        let i = &r["inputs"][0];
        assert_eq!(i["skipped"], 0, "{name}");
        assert_eq!(i["rows"], i["used"], "{name}");
        assert_eq!(i["skipped_reasons"], json!({}), "{name}");
        if name == "ticket-desk" {
            assert_eq!(i["rows"], 329);
        }
        // the number of data lines in the sample (no quoted newlines in the samples)
        let text = std::fs::read_to_string(root().join(format!("samples/{name}.csv"))).unwrap();
        assert_eq!(
            i["rows"].as_u64().unwrap() as usize,
            text.lines().count() - 1
        );
    }
}

#[test]
fn skipped_rows_summary_on_stderr() {
    for cmd in ["audit", "breaches"] {
        let o = run(&[cmd, "-s", "standards/ticket-desk.toml", "--log", BROKEN]);
        let err = stderr(&o);
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines.contains(
                &"warning: samples/broken/tickets-bad-rows.csv: skipped 3 of 10 rows (source \"tickets\"):"
            ),
            "{err}"
        );
        for (reason, place) in [
            ("missing case id", "samples/broken/tickets-bad-rows.csv:7:"),
            (
                "missing timestamp",
                "samples/broken/tickets-bad-rows.csv:9:",
            ),
            (
                "unparseable timestamp",
                "samples/broken/tickets-bad-rows.csv:5:",
            ),
        ] {
            let line = lines
                .iter()
                .find(|l| l.contains(&format!("1 × {reason}")))
                .unwrap_or_else(|| panic!("no summary line for {reason}: {err}"));
            assert!(line.contains(place), "{line}");
        }
        // and nothing of it on stdout
        assert!(!stdout(&o).contains("skipped"), "{cmd}");
    }
}

#[test]
fn standard_input_as_a_log() {
    let args = |log: &str| {
        vec![
            "audit".to_string(),
            "-s".into(),
            "standards/ticket-desk.toml".into(),
            "--log".into(),
            log.to_string(),
            "--format".into(),
            "json".into(),
        ]
    };
    let from_file = ys()
        .args(args("tickets=samples/ticket-desk.csv"))
        .output()
        .unwrap();
    let from_stdin = ys()
        .args(args("tickets=-"))
        .pipe_stdin(root().join("samples/ticket-desk.csv"))
        .unwrap()
        .output()
        .unwrap();
    assert_eq!(code(&from_stdin), 1, "{}", stderr(&from_stdin));
    let a: Value = serde_json::from_slice(&from_file.stdout).unwrap();
    let b: Value = serde_json::from_slice(&from_stdin.stdout).unwrap();
    assert_eq!(summary(&a), summary(&b));
    assert_eq!(b["inputs"][0]["path"], "-");
    assert_eq!(b["inputs"][0]["rows"], 329);
    assert_eq!(standard(&b, "first-reply-10m")["met"], 75);
}

#[test]
fn standard_input_only_once() {
    let o = ys()
        .args([
            "audit",
            "-s",
            "standards/ticket-desk.toml",
            "--log",
            "tickets=-",
            "--tickets",
            "-",
        ])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("standard input (-) can be read only once"));
}

#[test]
fn one_source_split_over_two_files_gives_the_same_numbers() {
    let text = std::fs::read_to_string(root().join("samples/ticket-desk.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    // split in the middle: tickets that straddle the cut have rows in both files
    let (first, second) = rows.split_at(rows.len() / 2);
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("week-a.csv");
    let b = dir.path().join("week-b.csv");
    std::fs::write(&a, format!("{header}\n{}\n", first.join("\n"))).unwrap();
    std::fs::write(&b, format!("{header}\n{}\n", second.join("\n"))).unwrap();
    let (whole, _) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "json",
    ]);
    let la = format!("tickets={}", path_str(&a));
    let lb = format!("tickets={}", path_str(&b));
    let (split, status) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        &la,
        "--log",
        &lb,
        "--format",
        "json",
    ]);
    assert_eq!(status, 1);
    assert_eq!(summary(&split), summary(&whole));
    let inputs = split["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["rows"].as_u64().unwrap() as usize, first.len());
    assert_eq!(inputs[1]["rows"].as_u64().unwrap() as usize, second.len());
    // the shorthand --tickets, repeated, reads the same way
    let (short, _) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--tickets",
        &path_str(&a),
        "--tickets",
        &path_str(&b),
        "--format",
        "json",
    ]);
    assert_eq!(summary(&short), summary(&whole));
}

#[test]
fn bom_crlf_and_a_quoted_newline() {
    let raw = std::fs::read(fixture("bom-crlf").join("tickets.csv")).unwrap();
    assert!(raw.starts_with(b"\xef\xbb\xbf"), "the fixture has a BOM");
    assert!(raw.windows(2).any(|w| w == b"\r\n"), "and CRLF line ends");
    let (r, status) = json(&[
        "audit",
        "-s",
        "tests/fixtures/bom-crlf/standards.toml",
        "--format",
        "json",
    ]);
    // 1 of 2 met against a target of 50%: passes
    assert_eq!(status, 0);
    let s = standard(&r, "first-reply-10m");
    assert_eq!(s["cases"], 2);
    assert_eq!(s["met"], 1);
    assert_eq!(s["breached"], 1);
    assert_eq!(s["max_s"], 1200);
    let i = &r["inputs"][0];
    // 4 records, although the file has 5 lines after the header
    assert_eq!((&i["rows"], &i["used"]), (&json!(4), &json!(4)));
    let o = run(&[
        "breaches",
        "-s",
        "tests/fixtures/bom-crlf/standards.toml",
        "--format",
        "json",
    ]);
    let b: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(b["breaches"][0]["case"], "T-2");
    assert_eq!(b["breaches"][0]["attributes"]["note"], "a, \"quoted\" note");
}

#[test]
fn naive_timestamps_are_in_the_source_time_zone() {
    // 17:30 and 18:10 in Chicago are 23:30 and 00:10 (next day) in UTC: on the report's
    // (UTC) day the reply is late; read as UTC it would be the same day.
    let o = run(&[
        "breaches",
        "-s",
        "tests/fixtures/naive-tz/standards.toml",
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let b: Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = b["breaches"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["clock_start"], "2026-11-16T23:30:00Z");
    assert_eq!(list[0]["clock_stop"], "2026-11-17T00:10:00Z");
    assert_eq!(list[0]["deadline"], "2026-11-16T23:59:59Z");
    assert_eq!(list[0]["elapsed_s"], 2400);
    // The training-provider sample is naive Chicago time too: INQ-3105's inquiry at
    // 16:40 local is 22:40 UTC.
    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/training-provider.toml",
        "--only",
        "inquiry-24h",
        "--since",
        "2026-11-16T22:40:00Z",
        "--until",
        "2026-11-16T22:40:01Z",
        "--as-of",
        "2026-11-27T22:23:46Z",
        "--format",
        "json",
    ]);
    assert_eq!(standard(&r, "inquiry-24h")["cases"], 1);
}

#[test]
fn time_format_pattern() {
    // "%d/%m/%Y %H:%M" in Kyiv time (UTC+2): T-1 9 min, T-2 15 min across midnight.
    let (r, status) = json(&[
        "audit",
        "-s",
        "tests/fixtures/time-format/standards.toml",
        "--format",
        "json",
    ]);
    assert_eq!(status, 1);
    let s = standard(&r, "first-reply-10m");
    assert_eq!((&s["met"], &s["breached"]), (&json!(1), &json!(1)));
    assert_eq!(s["median_s"], 540);
    assert_eq!(s["max_s"], 900);
    assert_eq!(r["inputs"][0]["skipped"], 0);
    let o = run(&[
        "breaches",
        "-s",
        "tests/fixtures/time-format/standards.toml",
        "--format",
        "json",
    ]);
    let b: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(b["breaches"][0]["clock_start"], "2026-12-01T21:50:00Z");
}

#[test]
fn default_path_is_relative_to_the_standards_file() {
    let (r, status) = json(&[
        "audit",
        "-s",
        "tests/fixtures/minimal/standards.toml",
        "--format",
        "json",
    ]);
    // 1 of 2 met = 50% against a target of 50%: passes
    assert_eq!(status, 0);
    let s = standard(&r, "first-reply-10m");
    assert_eq!(s["compliance"].as_f64(), Some(50.0));
    assert_eq!(s["passed"], true);
    assert_eq!(r["inputs"][0]["path"], "tests/fixtures/minimal/tickets.csv");
}

#[test]
fn a_later_file_without_a_deadline_column_has_no_deadline_values() {
    // first.csv has due_a and due_b; second.csv only due_b, and as its first column. Its
    // case has no due_a deadline (a warning says so), rather than another column's values.
    let dir = "tests/fixtures/deadlines-two-files";
    let first = format!("orders={dir}/first.csv");
    let second = format!("orders={dir}/second.csv");
    let standards = format!("{dir}/standards.toml");
    let args = [
        "audit", "-s", &standards, "--log", &first, "--log", &second, "--format", "json",
    ];
    let o = run(&args);
    assert!(
        stderr(&o).contains("standard \"due-a\": 1 case(s) have no deadline value"),
        "{}",
        stderr(&o)
    );
    let (r, status) = json(&args);
    assert_eq!(status, 1, "due-b falls short");
    let a = standard(&r, "due-a");
    // Case 1: replied at 00:30 on Jan 1, due by the end of Jan 2: 47h29m59s early.
    assert_eq!(
        (&a["cases"], &a["met"], &a["median_s"]),
        (&json!(1), &json!(1), &json!(-170_999))
    );
    let b = standard(&r, "due-b");
    // Case 2: due at 00:10, replied at 00:30: 20 minutes late.
    assert_eq!(
        (&b["cases"], &b["met"], &b["breached"]),
        (&json!(2), &json!(1), &json!(1))
    );
    assert_eq!(
        (&b["median_s"], &b["p90_s"]),
        (&json!(-170_999), &json!(1200))
    );
}
