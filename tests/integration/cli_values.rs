//! Value standards (`value = "COLUMN"` with `at_least` / `at_most`): a number on the case
//! within bounds (`tests/fixtures/values/`; the reference's numbers are compared in
//! `cli_reference::value_standards_match_reference`).
//!
//! Hand-checked from `calls.csv` (UTC; as-of: the last row, C-8's call_ended at 23 Nov 09:08):
//! - `rings-3` (rings <= 3, read on the row of the first `call_answered`): C-1 2 met; C-2 4
//!   breached; C-3 answered with an empty cell: no value, not scored; C-4 never answered: no
//!   case; C-5 answered at 11:05 (rings 1, first in the file) and 11:02 (rings 5): the first in
//!   time counts, 5, breached; C-6's answer row says "three": that row is skipped, so C-6 has
//!   no answer and no case; C-7 0 met; C-8 3 met (at the bound). Met 3, breached 2, excluded 1:
//!   60% against 80%. Decided numbers 0, 2, 3, 4, 5: median (rank 3) 3, p90 (rank 5) 5, max 5.
//! - `csat-4` (csat >= 4, no `on`: the case's own value, the latest number in file order, in
//!   the period of its first row): C-1 5 met; C-2 3.5 breached; C-3 4 met (at the bound); C-4
//!   no number; C-5 4.5 (the later row in the file) met; C-6 no number; C-7's "4,5" row is
//!   skipped, so no number; C-8 2 breached. Met 3, breached 2, excluded 3: 60% against 75%.
//!   Numbers 2, 3.5, 4, 4.5, 5: median 4, p90 5, max 5.
//! - Rows: 22, 20 used, 2 skipped as "unparseable number" (lines 17 and 20).
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
        ("rings-3", serde_json::json!(["value", 5, 3, 2, 0, 1, 1])),
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
    // Every row accounted for: the two cells that are not numbers are counted skips.
    let calls = &r["inputs"][0];
    assert_eq!(
        (&calls["rows"], &calls["used"], &calls["skipped"]),
        (&Value::from(22), &Value::from(20), &Value::from(2))
    );
    assert_eq!(calls["skipped_reasons"]["unparseable number"], 2);
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
fn a_cell_that_is_not_a_number_is_a_counted_skip_and_cases_without_one_are_named() {
    let o = run(&["audit", "-s", S]);
    let err = stderr(&o);
    assert!(
        err.contains("tests/fixtures/values/calls.csv: skipped 2 of 22 rows (source \"calls\"):\n  2 × unparseable number; first at tests/fixtures/values/calls.csv:17: column \"rings\": \"three\" is not a number; expected a number such as 3, 4.5 or -2 (a point for decimals, no thousands separators)"),
        "{err}"
    );
    assert!(
        err.contains("standard \"rings-3\": 1 case(s) have no number in rings and are not scored (\"no value\"; `yardstick explain` shows a case)"),
        "{err}"
    );
    assert!(
        err.contains("standard \"csat-4\": 3 case(s) have no number in csat"),
        "{err}"
    );
    // --strict stops at the first such row instead.
    let o = run(&["audit", "-s", S, "--strict"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("calls.csv:17: column \"rings\": \"three\" is not a number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn which_rows_are_skipped_does_not_depend_on_the_standards_selected() {
    // Only csat-4 selected: the rings cells are still read where rings-3 reads them, so the
    // same two rows are skipped and csat-4 keeps its numbers.
    let (r, _) = json(&["audit", "-s", S, "--only", "csat-4", "--format", "json"]);
    assert_eq!(r["inputs"][0]["skipped"], 2);
    let s = standard(&r, "csat-4");
    assert_eq!(
        (s["met"].as_u64(), s["breached"].as_u64()),
        (Some(3), Some(2))
    );
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
    let table = stdout(&run(&["audit", "-s", S]));
    for want in [
        "rings-3       oper     80%     60%   3/2/0       3 (<= 3)   5 -20.0 FAIL",
        "survey-score  oper     50%     50%   2/2/0 4.5 (4.5 to 5) 5.5  +0.0 PASS",
        "  rings-3: compliance 60% against 80% (-20.0 pts); median 3 against <= 3; p90 5",
    ] {
        assert!(table.contains(want), "{want}\n{table}");
    }
    let md = stdout(&run(&["audit", "-s", S, "--format", "markdown"]));
    assert!(
        md.contains("| csat-4 | Customers rate us 4 or better | oper | 75% | 60% | 3 | 2 | 0 | 4 (>= 4) | 5 | -15.0 pts | FAIL |"),
        "{md}"
    );
    let html = stdout(&run(&["audit", "-s", S, "--format", "html"]));
    assert!(
        html.contains("<td class=\"num\">3 (&lt;= 3)</td><td class=\"num\">5</td>"),
        "{html}"
    );
    let gh = stdout(&run(&["audit", "-s", S, "--format", "github"]));
    assert!(
        gh.contains("title=rings-3 falls short of 80%25::The phone is answered within three rings (operational): compliance 60%25 against 80%25 (-20.0 pts); median 3 against <= 3; p90 5 against <= 3"),
        "{gh}"
    );
    let junit = stdout(&run(&["audit", "-s", S, "--format", "junit"]));
    assert!(
        junit.contains("message=\"The phone is answered within three rings: compliance 60% against target 80% (3 met, 2 breached, 0 open); variance -20.00 pts\">rings &lt;= 3 on call_answered</failure>"),
        "{junit}"
    );
    let nd = stdout(&run(&["audit", "-s", S, "--format", "ndjson"]));
    assert!(
        nd.contains("\"kind\":\"value\",\"rule\":\"rings <= 3 on call_answered\""),
        "{nd}"
    );
    assert!(
        nd.contains("\"value_at_least\":null,\"value_at_most\":3.0,\"median_value\":3.0,\"p90_value\":5.0,\"max_value\":5.0,\"no_value\":1,\"timezone\":\"UTC\"}"),
        "{nd}"
    );
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
            rings.ends_with(&["", "3", "3", "5", "5", "1", "", "", "UTC"].join(sep)),
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
            "s.toml:17:12: standard \"x\": `at_least` = 2.5: a count standard counts events, so its bound is a whole number, 0 or more (decimals are for value standards, `value = \"COLUMN\"`)",
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
        stderr(&o).contains("warning: source \"calls\": no row of "),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("calls.csv has the event \"call_answerd\" that value standard \"rings-3\" reads its number on; it would have no case"),
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
    assert_eq!(cell(1, "AH2"), (None, "1".to_string()));
    // Breaches: 14 columns, the attribute agent (O), then value (P); row 2 is rings-3's C-2.
    assert_eq!(cell(2, "P1").1, "value");
    assert_eq!(cell(2, "N2").1, "<= 3");
    assert_eq!(cell(2, "P2"), (None, "4".to_string()));
}

#[test]
fn check_counts_the_cells_that_are_not_numbers() {
    let o = run(&["check", "-s", S]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: tests/fixtures/values/calls.csv: 2 row(s) hold a value that is not a number where a value standard reads it; an audit skips them (\"unparseable number\"); first at tests/fixtures/values/calls.csv:17: column \"rings\": \"three\" is not a number"),
        "{}",
        stderr(&o)
    );
}
