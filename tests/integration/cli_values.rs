//! Value standards (`value = "COLUMN"` with `at_least` / `at_most`): a number on the case
//! within bounds (`tests/fixtures/values/`; the reference's numbers are compared in
//! `cli_reference::value_standards_match_reference`).
//!
//! Hand-checked from `calls.csv` (UTC; as-of: the last row, C-8's call_ended at 23 Nov 09:08):
//! - `rings-3` (rings <= 3, read on the row of the first `call_answered`): C-1 2 met; C-2 4
//!   breached; C-3 answered with an empty cell: no value, not scored; C-4 never answered: no
//!   case; C-5 answered at 11:05 (rings 1, first in the file) and 11:02 (rings 5): the first in
//!   time counts, 5, breached; C-6's answer row says "three": the row is used, only the cell is
//!   not a number, so C-6 is a case not scored ("not a number"); C-7 0 met; C-8 3 met (at the
//!   bound). Met 3, breached 2, excluded 2 (both counted in no_value): 60% against 80%. Decided numbers 0, 2, 3, 4, 5: median (rank 3) 3, p90 (rank 5) 5, max 5.
//! - `csat-4` (csat >= 4, no `on`: the case's own value, the latest number in file order, in
//!   the period of its first row): C-1 5 met; C-2 3.5 breached; C-3 4 met (at the bound); C-4
//!   no number; C-5 4.5 (the later row in the file) met; C-6 no number; C-7's latest cell is
//!   "4,5", not a number, so no number (its row, the call_ended, is used); C-8 2 breached. Met 3, breached 2, excluded 3: 60% against 75%.
//!   Numbers 2, 3.5, 4, 4.5, 5: median 4, p90 5, max 5.
//! - Rows: 22, all used; 2 cells are not numbers (lines 17 and 20), a warning.
//!
//! From `surveys.csv` (a cases layout; the case's row, in the period of its first milestone),
//! `survey-score` (4.5 <= score <= 5): S-1 5 met, S-2 4.4 breached, S-3 empty (no value), S-4
//! 4.5 met, S-5 5.5 breached: 50% against 50%, passed. Numbers 4.4, 4.5, 5, 5.5: median (rank
//! 2) 4.5, p90 (rank 4) 5.5.

use crate::common;

use common::*;
use serde_json::Value;

const S: &str = "tests/fixtures/values/standards.toml";

fn numbers(s: &Value, keys: &[&str]) -> Vec<Value> {
    keys.iter().map(|k| s[*k].clone()).collect()
}

#[test]
fn value_standards_judge_each_case_by_its_number() {
    let (r, code) = json(&["audit", "-s", S, "--format", "json"]);
    assert_eq!(code, 1, "rings-3 and csat-4 fall short");
    let keys = [
        "kind", "cases", "met", "breached", "open", "excluded", "no_value",
    ];
    let want: [(&str, Value); 3] = [
        ("rings-3", serde_json::json!(["value", 5, 3, 2, 0, 2, 2])),
        ("csat-4", serde_json::json!(["value", 5, 3, 2, 0, 3, 3])),
        (
            "survey-score",
            serde_json::json!(["value", 4, 2, 2, 0, 1, 1]),
        ),
    ];
    for (id, w) in want {
        assert_eq!(Value::Array(numbers(standard(&r, id), &keys)), w, "{id}");
    }
    let s = standard(&r, "rings-3");
    assert_eq!(s["rule"], "rings <= 3 on call_answered");
    assert_eq!(s["compliance"].as_f64(), Some(60.0));
    assert_eq!(s["passed"], false);
    assert_eq!(
        numbers(
            s,
            &[
                "median_value",
                "p90_value",
                "max_value",
                "value_at_least",
                "value_at_most"
            ]
        ),
        serde_json::json!([3.0, 5.0, 5.0, null, 3.0])
            .as_array()
            .unwrap()
            .clone()
    );
    // Times are not what a value standard measures: every `_s` field is null, and the
    // count bounds stay a count's.
    for k in [
        "limit_s",
        "median_s",
        "p90_s",
        "max_s",
        "median_variance_s",
        "p90_variance_s",
        "at_least",
        "at_most",
        "count_median",
    ] {
        assert!(s[k].is_null(), "{k}: {}", s[k]);
    }
    let s = standard(&r, "csat-4");
    assert_eq!(s["rule"], "csat >= 4");
    assert_eq!(
        numbers(
            s,
            &["median_value", "p90_value", "max_value", "value_at_least"]
        ),
        serde_json::json!([4.0, 5.0, 5.0, 4.0])
            .as_array()
            .unwrap()
            .clone()
    );
    let s = standard(&r, "survey-score");
    assert_eq!(s["rule"], "score 4.5 to 5");
    assert_eq!(s["passed"], true);
    assert_eq!(
        numbers(
            s,
            &[
                "median_value",
                "p90_value",
                "max_value",
                "value_at_least",
                "value_at_most"
            ]
        ),
        serde_json::json!([4.5, 5.5, 5.5, 4.5, 5.0])
            .as_array()
            .unwrap()
            .clone()
    );
    // Every row accounted for: a cell that is not a number does not cost its row.
    let calls = &r["inputs"][0];
    assert_eq!(
        (&calls["rows"], &calls["used"], &calls["skipped"]),
        (&Value::from(22), &Value::from(22), &Value::from(0))
    );
    // Other kinds keep null in the value fields.
    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "json",
    ]);
    let s = standard(&r, "first-reply-10m");
    for k in [
        "value_at_least",
        "median_value",
        "p90_value",
        "max_value",
        "no_value",
    ] {
        assert!(s[k].is_null(), "{k}");
    }
}

#[test]
fn a_cell_that_is_not_a_number_costs_only_its_case_a_number() {
    let o = run(&["audit", "-s", S]);
    let err = stderr(&o);
    assert!(!err.contains("skipped"), "{err}");
    assert!(
        err.contains("warning: tests/fixtures/values/calls.csv: 2 cell(s) of value standards' columns are not numbers, first at tests/fixtures/values/calls.csv:17: column \"rings\": \"three\" is not a number; expected a number such as 3, 4.5 or -2 (a point for decimals, no thousands separators); their rows are used, and a case whose number is such a cell is not scored (\"not a number\")\n"),
        "{err}"
    );
    assert!(
        err.contains("standard \"rings-3\": 1 case(s) have no number in rings and are not scored (\"no value\"; `yardstick explain` shows a case)"),
        "{err}"
    );
    assert!(
        err.contains("standard \"rings-3\": 1 case(s) have text that is not a number in rings and are not scored (\"not a number\"; `yardstick explain` shows a case)"),
        "{err}"
    );
    assert!(
        err.contains("standard \"csat-4\": 2 case(s) have no number in csat"),
        "{err}"
    );
    assert!(
        err.contains("standard \"csat-4\": 1 case(s) have text that is not a number in csat"),
        "{err}"
    );
    // --strict stops at the first such cell instead.
    let o = run(&["audit", "-s", S, "--strict"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("calls.csv:17: column \"rings\": \"three\" is not a number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_cell_that_is_not_a_number_changes_no_other_standard() {
    // The reviewer's case: A's answer row says rings "three", B's first row csat "n/a".
    // answer-fast (received -> answered within 30s) has A and B, both answered in 10s, met,
    // whether the value standards are selected, alone or absent from the file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calls.csv"),
        "call_id,timestamp,event,rings,csat\n\
         A,2026-11-16T09:00:00Z,call_received,,\n\
         A,2026-11-16T09:00:10Z,call_answered,three,\n\
         A,2026-11-16T09:01:00Z,call_ended,,5\n\
         B,2026-11-16T09:00:00Z,call_received,,n/a\n\
         B,2026-11-16T09:00:10Z,call_answered,2,\n\
         B,2026-11-16T09:01:00Z,call_ended,,4\n",
    )
    .unwrap();
    let head = "version = 1\ntimezone = \"UTC\"\n[sources.calls]\npath = \"calls.csv\"\nlayout = \"events\"\ncase = \"call_id\"\ntime = \"timestamp\"\nevent = \"event\"\n";
    let fast = "[[standard]]\nid = \"answer-fast\"\ntitle = \"t\"\nfrom = \"call_received\"\nto = \"call_answered\"\nwithin = \"30s\"\n";
    let values = "[[standard]]\nid = \"rings\"\ntitle = \"t\"\nvalue = \"rings\"\non = \"call_answered\"\nat_most = 3\n[[standard]]\nid = \"csat\"\ntitle = \"t\"\nvalue = \"csat\"\nat_least = 4\n";
    std::fs::write(dir.path().join("all.toml"), format!("{head}{values}{fast}")).unwrap();
    std::fs::write(dir.path().join("time.toml"), format!("{head}{fast}")).unwrap();
    let all = dir.path().join("all.toml");
    let all = all.to_str().unwrap();
    let time = dir.path().join("time.toml");
    let time = time.to_str().unwrap();
    let keys = ["cases", "met", "breached", "excluded", "no_value"];
    for args in [
        vec!["audit", "-s", all, "--format", "json"],
        vec![
            "audit",
            "-s",
            all,
            "--only",
            "answer-fast",
            "--format",
            "json",
        ],
        vec!["audit", "-s", time, "--format", "json"],
    ] {
        let (r, _) = json(&args);
        let s = standard(&r, "answer-fast");
        assert_eq!(
            Value::Array(numbers(s, &keys[..4])),
            serde_json::json!([2, 2, 0, 0]),
            "{args:?}"
        );
        assert_eq!(r["inputs"][0]["used"], 6, "{args:?}");
    }
    let (r, _) = json(&["audit", "-s", all, "--format", "json"]);
    // rings: A's cell is not a number (excluded), B 2 met. csat: A 5 met; B's latest number
    // is 4 (n/a came first), met.
    assert_eq!(
        Value::Array(numbers(standard(&r, "rings"), &keys)),
        serde_json::json!([1, 1, 0, 1, 1])
    );
    assert_eq!(
        Value::Array(numbers(standard(&r, "csat"), &keys)),
        serde_json::json!([2, 2, 0, 0, 0])
    );
    // explain names the reason.
    let o = run(&["explain", "-s", all, "--standard", "rings", "--case", "A"]);
    assert!(stdout(&o).contains("not a number"), "{}", stdout(&o));
}

#[test]
fn a_number_from_a_row_after_the_as_of_does_not_count() {
    // A (Berlin): received 22:59Z, answered 23:01Z with rings 2, surveyed at 10:00Z next day
    // with csat 5. As of 2026-11-16T00:00Z the survey has not happened: csat has no number
    // yet (excluded, "no value"), and appending rows later never changes that audit.
    let dir = tempfile::tempdir().unwrap();
    let rows = "call_id,timestamp,event,rings,csat\n\
                A,2026-11-15T22:59:00Z,call_received,,\n\
                A,2026-11-15T23:01:00Z,call_answered,2,\n\
                A,2026-11-16T10:00:00Z,survey,,5\n";
    std::fs::write(dir.path().join("calls.csv"), rows).unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "version = 1\ntimezone = \"Europe/Berlin\"\n[sources.calls]\npath = \"calls.csv\"\nlayout = \"events\"\ncase = \"call_id\"\ntime = \"timestamp\"\nevent = \"event\"\n[[standard]]\nid = \"rings\"\ntitle = \"t\"\nvalue = \"rings\"\non = \"call_answered\"\nat_most = 3\n[[standard]]\nid = \"csat\"\ntitle = \"t\"\nvalue = \"csat\"\nat_least = 4\n",
    )
    .unwrap();
    let s = dir.path().join("s.toml");
    let s = s.to_str().unwrap();
    let keys = ["cases", "met", "excluded", "no_value"];
    let at = |args: &[&str]| {
        let mut a = vec!["audit", "-s", s, "--format", "json"];
        a.extend_from_slice(args);
        let (r, _) = json(&a);
        (
            Value::Array(numbers(standard(&r, "rings"), &keys)),
            Value::Array(numbers(standard(&r, "csat"), &keys)),
        )
    };
    let early = (
        serde_json::json!([1, 1, 0, 0]),
        serde_json::json!([0, 0, 1, 1]),
    );
    assert_eq!(at(&["--as-of", "2026-11-16T00:00:00Z"]), early);
    // --until 2026-11-16 (Berlin midnight, 23:00Z) judges as of its end: the answer at 23:01Z
    // is after it, so rings has no case, and csat no number.
    let until = (
        serde_json::json!([0, 0, 0, 0]),
        serde_json::json!([0, 0, 1, 1]),
    );
    assert_eq!(at(&["--until", "2026-11-16"]), until);
    // Without an as-of, the log's end: both numbers count.
    let end = (
        serde_json::json!([1, 1, 0, 0]),
        serde_json::json!([1, 1, 0, 0]),
    );
    assert_eq!(at(&[]), end);
    // A later row with another csat changes nothing as of then.
    std::fs::write(
        dir.path().join("calls.csv"),
        format!("{rows}A,2026-11-17T10:00:00Z,survey,,1\n"),
    )
    .unwrap();
    assert_eq!(at(&["--as-of", "2026-11-16T00:00:00Z"]), early);
}

#[test]
fn a_period_takes_the_cases_whose_number_was_read_in_it() {
    // Week 47 (16-22 Nov, UTC) leaves out C-8 (23 Nov) and S-5 (24 Nov).
    let (r, _) = json(&["audit", "-s", S, "--week", "2026-W47", "--format", "json"]);
    let s = standard(&r, "rings-3");
    assert_eq!(
        (s["met"].as_u64(), s["breached"].as_u64()),
        (Some(2), Some(2))
    );
    let s = standard(&r, "csat-4");
    assert_eq!(
        (s["met"].as_u64(), s["breached"].as_u64()),
        (Some(3), Some(1))
    );
    let s = standard(&r, "survey-score");
    assert_eq!(
        (s["met"].as_u64(), s["breached"].as_u64()),
        (Some(2), Some(1))
    );
}

#[test]
fn people_read_numbers_against_bounds_in_every_format() {
    // Per format (the table is the default), the lines its output must hold.
    let wants: [(&str, &[&str]); 6] = [
        ("table", &[
            "rings-3       oper     80%     60%   3/2/0       3 (<= 3)   5 -20.0 FAIL",
            "survey-score  oper     50%     50%   2/2/0 4.5 (4.5 to 5) 5.5  +0.0 PASS",
            "  rings-3: compliance 60% against 80% (-20.0 pts); median 3 against <= 3; p90 5",
        ]),
        ("markdown", &[
            "| csat-4 | Customers rate us 4 or better | oper | 75% | 60% | 3 | 2 | 0 | 4 (>= 4) | 5 | -15.0 pts | FAIL |",
        ]),
        ("html", &["<td class=\"num\">3 (&lt;= 3)</td><td class=\"num\">5</td>"]),
        ("github", &[
            "title=rings-3 falls short of 80%25::The phone is answered within three rings (operational): compliance 60%25 against 80%25 (-20.0 pts); median 3 against <= 3; p90 5 against <= 3",
        ]),
        ("junit", &[
            "message=\"The phone is answered within three rings: compliance 60% against target 80% (3 met, 2 breached, 0 open); variance -20.00 pts\">rings &lt;= 3 on call_answered</failure>",
        ]),
        ("ndjson", &[
            "\"kind\":\"value\",\"rule\":\"rings <= 3 on call_answered\"",
            "\"value_at_least\":null,\"value_at_most\":3.0,\"median_value\":3.0,\"p90_value\":5.0,\"max_value\":5.0,\"no_value\":2,\"timezone\":\"UTC\"}",
        ]),
    ];
    for (format, lines) in wants {
        let args: &[&str] = match format {
            "table" => &["audit", "-s", S],
            _ => &["audit", "-s", S, "--format", format],
        };
        let out = stdout(&run(args));
        for want in lines {
            assert!(out.contains(want), "{format}: {want}\n{out}");
        }
    }
    for (format, sep) in [("csv", ","), ("tsv", "\t")] {
        let text = stdout(&run(&["audit", "-s", S, "--format", format]));
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        // The new columns come after every existing one.
        assert!(
            header.ends_with(
                &[
                    "compliance_low",
                    "compliance_high",
                    "value_at_least",
                    "value_at_most",
                    "median_value",
                    "p90_value",
                    "max_value",
                    "no_value",
                    "effective_from",
                    "effective_until",
                    "timezone"
                ]
                .join(sep)
            ),
            "{header}"
        );
        let rings = lines.next().unwrap();
        assert!(
            rings.ends_with(&["", "3", "3", "5", "5", "2", "", "", "UTC"].join(sep)),
            "{rings}"
        );
        assert!(rings.contains(&format!("{sep}value{sep}")), "{rings}");
    }
}

#[test]
fn breaches_show_the_number_and_the_bounds() {
    let o = run(&["breaches", "-s", S, "--format", "csv"]);
    assert_eq!(code(&o), 0);
    let (header, rows) = csv_records(&stdout(&o));
    // `value`, then the versions' dates (added after it).
    assert_eq!(
        header[header.len() - 3..],
        ["value", "effective_from", "effective_until"]
    );
    let got: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r["standard"].as_str(),
                r["case"].as_str(),
                r["clock_start"].as_str(),
                r["required"].as_str(),
                r["value"].as_str(),
                r["elapsed_s"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["rings-3", "C-2", "2026-11-16T09:10:40Z", "<= 3", "4", ""],
            ["rings-3", "C-5", "2026-11-16T11:02:00Z", "<= 3", "5", ""],
            ["csat-4", "C-2", "2026-11-16T09:10:00Z", ">= 4", "3.5", ""],
            ["csat-4", "C-8", "2026-11-23T09:00:00Z", ">= 4", "2", ""],
            [
                "survey-score",
                "S-2",
                "2026-11-17T10:00:00Z",
                "4.5 to 5",
                "4.4",
                ""
            ],
            [
                "survey-score",
                "S-5",
                "2026-11-24T10:00:00Z",
                "4.5 to 5",
                "5.5",
                ""
            ],
        ]
    );
    let table = stdout(&run(&["breaches", "-s", S, "--only", "rings-3"]));
    assert!(
        table.contains("rings-3  C-2  2026-11-16 09:10 4 (<= 3)"),
        "{table}"
    );
    let (j, _) = json(&["breaches", "-s", S, "--only", "csat-4", "--format", "json"]);
    let b = &j["breaches"][0];
    assert_eq!(
        (&b["value"], &b["required"]),
        (&Value::from(3.5), &Value::from(">= 4"))
    );
    assert!(b["paused_s"].is_null() && b["elapsed_s"].is_null(), "{b}");
}

#[test]
fn explain_shows_the_number_its_row_and_the_comparison() {
    let trace = |standard: &str, case: &str| {
        stdout(&run(&[
            "explain",
            "-s",
            S,
            "--standard",
            standard,
            "--case",
            case,
        ]))
    };
    let t = trace("rings-3", "C-5");
    assert!(t.contains("  Mon 2026-11-16 11:02:00 UTC  call_answered\n  Mon 2026-11-16 11:05:00 UTC  call_answered\n"), "{t}");
    assert!(
        t.contains("  starts    Mon 2026-11-16 11:02:00 UTC (2026-11-16T11:02:00Z)\n  value     5 in rings, on the row of the case's first call_answered, Mon 2026-11-16 11:02:00 UTC\n  bounds    <= 3\n  check     5 <= 3: no, 2 over\n  verdict   BREACHED\n"),
        "{t}"
    );
    let t = trace("rings-3", "C-3");
    assert!(
        t.contains("  value     none: no number in rings, on the row of the case's first call_answered\n  bounds    <= 3\n  verdict   EXCLUDED: no value\n"),
        "{t}"
    );
    let t = trace("rings-3", "C-4");
    assert!(
        t.contains("no clock: the case has no call_answered event at or before as-of"),
        "{t}"
    );
    let t = trace("csat-4", "C-5");
    assert!(
        t.contains("  value     4.5 in csat, the case's own value (the latest number in the column)\n  bounds    >= 4\n  check     4.5 >= 4: yes\n  verdict   MET\n"),
        "{t}"
    );
    // A difference of decimals reads as people write it (4.5 - 4.4 is 0.1).
    let t = trace("survey-score", "S-2");
    assert!(
        t.contains("  check     4.5 <= 4.4 <= 5: no, 0.1 under\n  verdict   BREACHED\n"),
        "{t}"
    );
}

/// `check` refuses the forms that cannot mean anything, naming file, line and column.
#[test]
fn check_validates_value_standards() {
    let head = "version = 1\n[sources.calls]\nlayout = \"events\"\ncase = \"call_id\"\ntime = \"timestamp\"\nevent = \"event\"\n[sources.surveys]\nlayout = \"cases\"\ncase = \"survey_id\"\n[sources.surveys.milestones]\nsent = \"sent_at\"\n[[standard]]\nid = \"x\"\n";
    // The standard's keys start on line 14.
    let cases = [
        (
            "source = \"calls\"\nvalue = \"csat\"\nat_least = 4.5\nat_most = 3",
            "s.toml:17:11: standard \"x\": at_most (3) is less than at_least (4.5), so no value could meet the standard; a case is met when at_least <= value <= at_most",
        ),
        (
            "source = \"calls\"\nfrom = \"created\"\ncount = \"follow_up\"\nat_least = 2.5",
            "s.toml:17:12: standard \"x\": `at_least` = 2.5: a count standard counts events, so its bound is a whole number of events: write a whole number, 0 or more (decimals are for value standards, `value = \"COLUMN\"`)",
        ),
        (
            "source = \"calls\"\nvalue = \"csat\"",
            "s.toml:12:1: standard \"x\": a value standard needs `at_least`, `at_most` or both (numbers such as 3 or 4.5)",
        ),
        (
            "source = \"surveys\"\nvalue = \"score\"\non = \"sent\"\nat_least = 4",
            "s.toml:16:6: standard \"x\": `on` picks the event whose row holds the number, which needs an events layout; source \"surveys\" is cases, whose case row holds it (remove `on`)",
        ),
        (
            "source = \"calls\"\nvalue = \"csat\"\nat_least = 4\nwithin = \"1h\"",
            "s.toml:17:10: standard \"x\": `within` does not belong to a value (value/on/at_least/at_most) standard",
        ),
        (
            "source = \"calls\"\nvalue = \"csat\"\nat_least = 4\nunless = \"call_abandoned\"",
            "s.toml:17:10: standard \"x\": a value standard is decided by the number it reads, with no clock, so `unless` does not apply; remove it",
        ),
        (
            "source = \"calls\"\nvalue = \"timestamp\"\nat_least = 4",
            "s.toml:15:9: standard \"x\": `value`: \"timestamp\" is a column source \"calls\" reads as its case, time, event or a milestone; a value standard reads a number from another column",
        ),
        (
            "source = \"calls\"\nvalue = \"csat\"\nat_least = \"4\"",
            "s.toml:16:12: invalid type: string \"4\", expected a number such as 3 or 4.5",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    for (body, want) in cases {
        std::fs::write(&file, format!("{head}{body}\n")).unwrap();
        let o = run(&["check", "-s", &path_str(&file)]);
        assert_eq!(code(&o), 2, "{body}");
        let err = stderr(&o).replace(&path_str(&file), "s.toml");
        assert!(err.contains(want), "{body}\n got: {err}\nwant: {want}");
    }
    // A threads layout has no row per case to read a number from.
    std::fs::write(
        &file,
        "version = 1\n[sources.mail]\nlayout = \"threads\"\nmessage = \"id\"\nreply_to = \"re\"\ntime = \"ts\"\nevent = \"ev\"\n[[standard]]\nid = \"x\"\nvalue = \"score\"\nat_least = 4\n",
    )
    .unwrap();
    let o = run(&["check", "-s", &path_str(&file)]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(":10:9: standard \"x\": a value standard reads an events or a cases layout; source \"mail\" is threads"),
        "{}",
        stderr(&o)
    );
    // A valid one lists its rule.
    std::fs::write(
        &file,
        format!(
            "{head}source = \"calls\"\nvalue = \"rings\"\non = \"call_answered\"\nat_most = 3\n"
        ),
    )
    .unwrap();
    let o = run(&["check", "-s", &path_str(&file)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("rings <= 3 on call_answered"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_warns_when_no_row_has_the_on_event() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    let text = std::fs::read_to_string(root().join(S))
        .unwrap()
        .replace("on = \"call_answered\"", "on = \"call_answerd\"")
        .replace(
            "path = \"",
            &format!("path = \"{}/", path_str(&fixture("values"))),
        );
    std::fs::write(&file, text).unwrap();
    let o = run(&["check", "-s", &path_str(&file)]);
    assert_eq!(code(&o), 0, "a warning, not an error: {}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "warning: {}:22: source \"calls\": no row of ",
            path_str(&file)
        )),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("calls.csv has the event \"call_answerd\" that value standard \"rings-3\" reads its number on (`on`); it would have no case (did you mean \"call_answered\"?)\n"),
        "{}",
        stderr(&o)
    );
    // The audit says so too, with the spelling the log has.
    let o = run(&["audit", "-s", &path_str(&file), "--only", "rings-3"]);
    assert!(
        stderr(&o).contains(
            "source \"calls\": no row has the event \"call_answerd\" that the standards use"
        ) && stderr(&o).contains("help: did you mean \"call_answered\"?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_log_without_the_value_column_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls.csv");
    std::fs::write(
        &log,
        "call_id,timestamp,event,csat\nC-1,2026-11-16T09:00:00Z,call_answered,5\n",
    )
    .unwrap();
    let o = run(&[
        "audit",
        "-s",
        S,
        "--only",
        "rings-3",
        "--log",
        &format!("calls={}", path_str(&log)),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("missing column \"rings\" (the value of standard \"rings-3\")"),
        "{}",
        stderr(&o)
    );
    // Another standard's column may be missing: csat-4 alone reads this log.
    let o = run(&[
        "audit",
        "-s",
        S,
        "--only",
        "csat-4",
        "--log",
        &format!("calls={}", path_str(&log)),
        "--format",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// The workbook: the value columns after the Summary's others, numbers as number cells; the
/// Breaches sheet's `value` after the attributes.
#[cfg(feature = "xlsx")]
#[test]
fn the_workbook_has_the_numbers_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("audit.xlsx");
    let o = run(&["audit", "-s", S, "--format", "xlsx", "-o", &path_str(&book)]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let parts = workbook_parts(&book);
    let shared = shared_strings(&parts);
    let cell = |sheet: usize, r: &str| -> (Option<String>, String) {
        let doc =
            roxmltree::Document::parse(&parts[&format!("xl/worksheets/sheet{sheet}.xml")]).unwrap();
        let c = doc
            .descendants()
            .find(|n| n.has_tag_name("c") && n.attribute("r") == Some(r))
            .unwrap_or_else(|| panic!("no cell {r}"));
        let text: String = c
            .descendants()
            .filter(|v| v.is_text())
            .filter_map(|v| v.text())
            .collect();
        match c.attribute("t") {
            Some("s") => (
                Some("s".into()),
                shared[text.parse::<usize>().unwrap()].clone(),
            ),
            t => (t.map(str::to_string), text),
        }
    };
    // Summary: 28 columns, then value_at_least (AC) .. no_value (AH); row 2 is rings-3.
    assert_eq!(cell(1, "AE1").1, "median_value");
    assert_eq!(cell(1, "AE2"), (None, "3".to_string()));
    assert_eq!(cell(1, "AH2"), (None, "2".to_string()));
    // Breaches: 14 columns, the attribute agent (O), then value (P); row 2 is rings-3's C-2.
    assert_eq!(cell(2, "P1").1, "value");
    assert_eq!(cell(2, "N2").1, "<= 3");
    assert_eq!(cell(2, "P2"), (None, "4".to_string()));
}

#[test]
fn check_counts_the_cells_that_are_not_numbers() {
    let o = run(&["check", "-s", S]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("warning: tests/fixtures/values/calls.csv: 2 cell(s) of value standards' columns are not numbers, first at tests/fixtures/values/calls.csv:17: column \"rings\": \"three\" is not a number; expected a number such as 3, 4.5 or -2 (a point for decimals, no thousands separators); their rows are used, and a case whose number is such a cell is not scored (\"not a number\")\n"),
        "{err}"
    );
    assert_eq!(err.matches("are not numbers").count(), 1, "{err}");
}

#[test]
fn breaches_top_puts_the_furthest_outside_the_bounds_first() {
    // rings-3 (<= 3) breaches C-2 (4: 1 over) and C-5 (5: 2 over); csat-4 (>= 4) C-2 (3.5: 0.5
    // under) and C-8 (2: 2 under). In case order C-2 would come first in both.
    let o = run(&["breaches", "-s", S, "--top", "1", "--format", "csv"]);
    let text = stdout(&o);
    let rows: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[3].to_string())
        })
        .collect();
    let want = [
        ("rings-3", "C-5"),
        ("csat-4", "C-8"),
        ("survey-score", "S-5"),
    ];
    assert_eq!(
        rows,
        want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec(),
        "{text}"
    );
}

#[test]
fn each_version_of_a_value_standard_carries_its_bounds_in_json() {
    // C1 (16 Nov) 3 rings and C2 (17 Nov) 4 are judged by "<= 3" (until 18 Nov): met, breached;
    // C3 (18 Nov) 3 rings by "<= 2": breached.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calls.csv"),
        "call_id,timestamp,event,rings\n\
         C1,2026-11-16T09:00:00Z,call_answered,3\n\
         C2,2026-11-17T09:00:00Z,call_answered,4\n\
         C3,2026-11-18T09:00:00Z,call_answered,3\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "version = 1\ntimezone = \"UTC\"\n[sources.calls]\npath = \"calls.csv\"\nlayout = \"events\"\ncase = \"call_id\"\ntime = \"timestamp\"\nevent = \"event\"\n\
         [[standard]]\nid = \"r\"\ntitle = \"3 rings\"\nvalue = \"rings\"\non = \"call_answered\"\nat_most = 3\neffective_until = 2026-11-18\n\
         [[standard]]\nid = \"r\"\ntitle = \"2 to 2.5 rings\"\nvalue = \"rings\"\non = \"call_answered\"\nat_least = 2\nat_most = 2.5\neffective_from = 2026-11-18\n",
    )
    .unwrap();
    let s = dir.path().join("s.toml");
    let (r, _) = json(&["audit", "-s", s.to_str().unwrap(), "--format", "json"]);
    let v = &standard(&r, "r")["versions"];
    let keys = [
        "title",
        "cases",
        "met",
        "breached",
        "value_at_least",
        "value_at_most",
    ];
    assert_eq!(
        Value::Array(numbers(&v[0], &keys)),
        serde_json::json!(["3 rings", 2, 1, 1, null, 3.0])
    );
    assert_eq!(
        Value::Array(numbers(&v[1], &keys)),
        serde_json::json!(["2 to 2.5 rings", 1, 0, 1, 2.0, 2.5])
    );
    // Other kinds keep them null.
    let (r, _) = json(&[
        "audit",
        "-s",
        "tests/fixtures/versions/standards.toml",
        "--format",
        "json",
    ]);
    let first = &r["standards"][0]["versions"][0];
    assert!(
        first["value_at_most"].is_null() && first["value_at_least"].is_null(),
        "{first}"
    );
}

#[test]
fn a_value_column_in_where_or_by_is_named_as_such() {
    // `where` on a value standard's number column: the standard whose column it is, why it is
    // not an attribute, the standards file and line of the `where`, and the columns left.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calls.csv"),
        "call_id,timestamp,event,rings,csat\nA,2026-11-16T09:00:10Z,call_answered,2,4\n",
    )
    .unwrap();
    let head = "version = 1\ntimezone = \"UTC\"\n[sources.calls]\npath = \"calls.csv\"\nlayout = \"events\"\ncase = \"call_id\"\ntime = \"timestamp\"\nevent = \"event\"\n";
    std::fs::write(
        dir.path().join("w.toml"),
        format!("{head}[[standard]]\nid = \"rings\"\ntitle = \"t\"\nvalue = \"rings\"\non = \"call_answered\"\nat_most = 3\nwhere = {{ csat = \"4\" }}\n[[standard]]\nid = \"csat\"\ntitle = \"t\"\nvalue = \"csat\"\nat_least = 4\n"),
    )
    .unwrap();
    let w = dir.path().join("w.toml");
    let o = run(&["audit", "-s", &path_str(&w)]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("calls.csv: column \"csat\" (`where` of standard \"rings\", {}:10) holds the numbers of value standard \"csat\" (`value = \"csat\"`), read as numbers, not as an attribute; `where`, --by and `calendar.by` take the other columns: this log has none", path_str(&w))),
        "{err}"
    );
    // --by names no standard: it is the command line's.
    let o = run(&[
        "audit",
        "-s",
        &path_str(&w),
        "--only",
        "csat",
        "--by",
        "csat",
    ]);
    assert!(
        stderr(&o)
            .contains("column \"csat\" (--by csat) holds the numbers of value standard \"csat\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn on_without_value_says_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let head = "version = 1\n[sources.calls]\nlayout = \"events\"\ncase = \"call_id\"\ntime = \"timestamp\"\nevent = \"event\"\n[[standard]]\nid = \"c\"\ntitle = \"t\"\n";
    for body in [
        "on = \"call_answered\"\n",
        "on = \"call_answered\"\nat_least = 1\n",
    ] {
        let f = dir.path().join("s.toml");
        std::fs::write(&f, format!("{head}{body}")).unwrap();
        let o = run(&["check", "-s", &path_str(&f)]);
        assert_eq!(code(&o), 2);
        assert!(
            stderr(&o).contains("s.toml:10:6: standard \"c\": `on` needs `value = \"COLUMN\"`: it names the event on whose row a value standard reads its number\n"),
            "{}",
            stderr(&o)
        );
    }
    // A decimal in a count standard is quoted as written, with the whole number to write.
    let f = dir.path().join("s.toml");
    std::fs::write(
        &f,
        format!("{head}from = \"a\"\ncount = \"b\"\nat_least = 1.0\n"),
    )
    .unwrap();
    let o = run(&["check", "-s", &path_str(&f)]);
    assert!(
        stderr(&o).contains("s.toml:12:12: standard \"c\": `at_least` = 1.0: a count standard counts events, so its bound is a whole number of events: write 1 (decimals"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_breaches_table_says_how_far_outside_and_falling_short_no_high_tail_for_a_floor() {
    // The distances, hand-checked: 4 - 3, 5 - 3, 4 - 3.5, 4 - 2, 4.5 - 4.4, 5.5 - 5.
    let t = stdout(&run(&["breaches", "-s", S]));
    for want in [
        "rings-3      C-2  2026-11-16 09:10       4 (<= 3)    1 over\n",
        "             C-5  2026-11-16 11:02       5 (<= 3)    2 over\n",
        "csat-4       C-2  2026-11-16 09:10     3.5 (>= 4) 0.5 under\n",
        "             C-8  2026-11-23 09:00       2 (>= 4)   2 under\n",
        "survey-score S-2  2026-11-17 10:00 4.4 (4.5 to 5) 0.1 under\n",
        "             S-5  2026-11-24 10:00 5.5 (4.5 to 5)  0.5 over\n",
    ] {
        assert!(t.contains(want), "{want}\n{t}");
    }
    // csat-4 has a floor only: its p90 (the high tail) says nothing about it.
    let t = stdout(&run(&["audit", "-s", S]));
    assert!(
        t.contains("  csat-4: compliance 60% against 75% (-15.0 pts); median 4 against >= 4\n"),
        "{t}"
    );
}

#[test]
fn numbers_at_the_edges_are_shown_compactly() {
    // -0 is 0; -1e308 is not 309 digits.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("calls.csv"),
        "call_id,timestamp,event,rings\nA,2026-11-16T09:00:00Z,call_answered,-0\nB,2026-11-16T09:01:00Z,call_answered,-1e308\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "version = 1\ntimezone = \"UTC\"\n[sources.calls]\npath = \"calls.csv\"\nlayout = \"events\"\ncase = \"call_id\"\ntime = \"timestamp\"\nevent = \"event\"\n[[standard]]\nid = \"r\"\ntitle = \"t\"\nvalue = \"rings\"\non = \"call_answered\"\nat_most = 3\n",
    )
    .unwrap();
    let s = dir.path().join("s.toml");
    let s = path_str(&s);
    let t = stdout(&run(&[
        "explain",
        "-s",
        &s,
        "--standard",
        "r",
        "--case",
        "A",
    ]));
    assert!(t.contains("  value     0 in rings,"), "{t}");
    assert!(t.contains("  check     0 <= 3: yes"), "{t}");
    let t = stdout(&run(&[
        "explain",
        "-s",
        &s,
        "--standard",
        "r",
        "--case",
        "B",
    ]));
    assert!(t.contains("  value     -1e308 in rings,"), "{t}");
}
