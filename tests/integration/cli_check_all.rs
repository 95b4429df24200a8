//! `check` reports every error it can find in one run: each broken `[[standard]]` of a file
//! (a key TOML refuses, a value the format refuses, a repeated id), and each broken file of a
//! folder, each at its file:line:col with the line and a caret, in file order; exit 2.

use crate::common;

use common::*;

const SEVERAL: &str = "tests/fixtures/check-several/several.toml";
const FOLDER: &str = "tests/fixtures/check-several/folder";

#[test]
fn every_broken_standard_of_a_file() {
    let out = run(&["check", "-s", SEVERAL]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    // The sound standard between them is not an error; its repeat is.
    assert_eq!(
        stderr(&out),
        r#"error: tests/fixtures/check-several/several.toml:15:1: unknown field `withn`, expected one of `id`, `title`, `level`, `source`, `where`, `from`, `to`, `each`, `count`, `unless`, `within`, `at_least`, `at_most`, `value`, `on`, `by`, `calendar`, `pause_on`, `resume_on`, `target`, `returns`, `customer`, `effective_from`, `effective_until`
   |
15 | withn = "10m"
   | ^^^^^
help: did you mean `within`?
error: tests/fixtures/check-several/several.toml:23:10: standard "bad-duration": within: "10 parsecs" is not a duration; expected a duration such as "45s", "10m", "4h", "1h30m", "2d" or "1w" (units w, d, h, m, s, largest first), "same day", "1 business day" or "N business days", or a time of day on such a day: "same day by 17:00", "next business day by 16:00" or "N business days by HH:MM" (HH:MM from 00:00 to 23:59)
   |
23 | within = "10 parsecs"
   |          ^^^^^^^^^^^^
error: tests/fixtures/check-several/several.toml:35:6: duplicate standard id "sound"; it is already used at tests/fixtures/check-several/several.toml:27
   |
35 | id = "sound"
   |      ^^^^^^^
error: tests/fixtures/check-several/several.toml:44:9: standard "bad-target": unknown level "urgent"; expected one of nonnegotiable, operational, experiential
   |
44 | level = "urgent"
   |         ^^^^^^^^
"#
    );
}

#[test]
fn every_broken_file_of_a_folder() {
    let out = run(&["check", "-s", FOLDER]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        r#"error: tests/fixtures/check-several/folder/a-version.toml:1:11: unsupported version 2; this yardstick reads version 1
  |
1 | version = 2
  |           ^
error: tests/fixtures/check-several/folder/b-zone.toml:2:12: unknown time zone "Europe/Kyev"; expected an IANA zone name such as "UTC", "Europe/Kyiv" or "America/New_York"
  |
2 | timezone = "Europe/Kyev"
  |            ^^^^^^^^^^^^^
help: did you mean "Europe/Kiev"?
error: tests/fixtures/check-several/folder/c-sound.toml:23:1: unknown field `targett`, expected one of `id`, `title`, `level`, `source`, `where`, `from`, `to`, `each`, `count`, `unless`, `within`, `at_least`, `at_most`, `value`, `on`, `by`, `calendar`, `pause_on`, `resume_on`, `target`, `returns`, `customer`, `effective_from`, `effective_until`
   |
23 | targett = 80
   | ^^^^^^^
help: did you mean `target`?
"#
    );
}

#[test]
fn json_and_github_list_every_error() {
    let (doc, status) = json(&["check", "-s", FOLDER, "--format", "json"]);
    assert_eq!(status, 2);
    assert_eq!(doc["ok"], false);
    let places: Vec<(String, u64, u64)> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                e["line"].as_u64().unwrap(),
                e["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("a-version.toml".to_string(), 1, 11),
            ("b-zone.toml".to_string(), 2, 12),
            ("c-sound.toml".to_string(), 23, 1),
        ]
    );
    let out = run(&["check", "-s", SEVERAL, "--format", "github"]);
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    // Each annotation up to its message (`::error file=...,col=N::message`).
    let lines: Vec<&str> = text
        .lines()
        .map(|l| &l[..l[2..].find("::").unwrap() + 2])
        .collect();
    assert_eq!(
        lines,
        [
            "::error file=tests/fixtures/check-several/several.toml,line=15,col=1",
            "::error file=tests/fixtures/check-several/several.toml,line=23,col=10",
            "::error file=tests/fixtures/check-several/several.toml,line=35,col=6",
            "::error file=tests/fixtures/check-several/several.toml,line=44,col=9",
        ]
    );
}

/// `audit` still stops at the first error (the first `check` reports).
#[test]
fn audit_stops_at_the_first() {
    let out = run(&["audit", "-s", FOLDER]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert_eq!(err.matches("error: ").count(), 1, "{err}");
    assert!(err.starts_with(
        "error: tests/fixtures/check-several/folder/a-version.toml:1:11: unsupported version 2"
    ));
}

/// Each log whose header lacks what its source needs, not only the first.
#[test]
fn every_log_without_its_columns() {
    let out = run(&[
        "check",
        "-s",
        "standards/",
        "--log",
        "tickets=samples/order-cycle.csv",
        "--log",
        "orders=samples/ticket-desk.csv",
    ]);
    assert_eq!(code(&out), 2);
    let text = stderr(&out);
    let errors: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("error: "))
        .map(|l| &l[..l.find(':').unwrap() + 1 + l[l.find(':').unwrap() + 1..].find(':').unwrap()])
        .collect::<Vec<_>>();
    assert_eq!(text.matches(": missing column").count(), 2, "{text}");
    // Each names its file (the message, which names the columns, is the header check's).
    assert_eq!(
        errors,
        [
            "error: samples/ticket-desk.csv",
            "error: samples/order-cycle.csv",
        ]
    );
}

/// A key TOML refuses outside a standard ends the file, after the standards' own such keys:
/// both are named, in line order; the other standards are not validated (their source table
/// did not load).
#[test]
fn a_broken_source_and_a_broken_standard() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(SEVERAL))
        .unwrap()
        .replace("event = \"event\"\n", "event = \"event\"\nevnt = \"x\"\n");
    let path = dir.path().join("mixed.toml");
    std::fs::write(&path, text).unwrap();
    let out = run(&["check", "-s", &path_str(&path)]);
    assert_eq!(code(&out), 2);
    let text = stderr(&out);
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 2, "{text}");
    assert!(
        errors[0].contains("mixed.toml:9:1: unknown field `evnt`, expected one of `preset`,"),
        "{text}"
    );
    assert!(errors[1].contains("mixed.toml:16:1: unknown field `withn`"));
}
