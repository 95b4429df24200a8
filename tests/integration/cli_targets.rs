//! Target ranges (`target = [30, 50]`, `target = "30%..50%"`) through the binary, in every
//! output format, on `tests/fixtures/target-range/`.
//!
//! Hand-checked from `tickets.csv`: replies after 5m (T-1), 20m (T-2), 10m (T-3, at the
//! limit), 10m01s (T-4), 2m (T-5), none for T-6 (created 14:00, the last row, so the as-of;
//! its deadline 14:10 is after it: open). Met 3, breached 2, open 1: compliance 3/5 = 60%.
//! Against [30, 50]: above by 10 points; "50%..80%": inside, variance 0; [70, 90.5]: below by
//! 10; ["40%", "60%"]: 60 is the top of the range, inside. The error budget of [30, 50] is
//! its low end's: floor(70% x 5) = 3 breaches allowed, 2 used.

use crate::common;

use common::*;

const S: &str = "tests/fixtures/target-range/standards.toml";

#[test]
fn json_keeps_the_low_end_as_target_and_adds_target_max() {
    let (r, code) = json(&["audit", "-s", S, "--format", "json"]);
    assert_eq!(code, 1, "a standard above its range fails the run");
    let want = [
        ("above-range", 30.0, 50.0, false, 10.0),
        ("inside-range", 50.0, 80.0, true, 0.0),
        ("below-range", 70.0, 90.5, false, -10.0),
        ("at-the-top", 40.0, 60.0, true, 0.0),
    ];
    for (id, lo, hi, passed, variance) in want {
        let s = standard(&r, id);
        assert_eq!(
            (
                s["met"].as_u64(),
                s["breached"].as_u64(),
                s["open"].as_u64()
            ),
            (Some(3), Some(2), Some(1)),
            "{id}"
        );
        assert_eq!(s["compliance"].as_f64(), Some(60.0), "{id}");
        assert_eq!(s["target"].as_f64(), Some(lo), "{id}");
        assert_eq!(s["target_max"].as_f64(), Some(hi), "{id}");
        assert_eq!(s["passed"].as_bool(), Some(passed), "{id}");
        assert_eq!(s["compliance_variance"].as_f64(), Some(variance), "{id}");
    }
    // Without a range, target_max is there and null.
    let (plain, _) = json(&[
        "audit",
        "-s",
        "tests/fixtures/minimal/standards.toml",
        "--format",
        "json",
    ]);
    assert!(plain["standards"][0]["target_max"].is_null(), "{plain:#}");
}

#[test]
fn csv_and_tsv_append_target_max_after_the_existing_columns() {
    for (format, sep) in [("csv", ","), ("tsv", "\t")] {
        let o = run(&["audit", "-s", S, "--format", format]);
        let text = stdout(&o);
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(sep).collect();
        // target_max after `line`; the confidence interval (appended after it), then the
        // value standards' columns, the versions' dates, then the zone.
        assert_eq!(
            &header[header.len() - 3..],
            ["effective_from", "effective_until", "timezone"],
            "{format}"
        );
        let header = &header[..header.len() - 9];
        assert_eq!(
            &header[header.len() - 5..],
            [
                "file",
                "line",
                "target_max",
                "compliance_low",
                "compliance_high"
            ],
            "{format}"
        );
        let above: Vec<&str> = lines.next().unwrap().split(sep).collect();
        assert_eq!(above[0], "above-range");
        assert_eq!(above[header.len() - 3], "50", "{format}");
        let at = |c: &str| above[header.iter().position(|h| *h == c).unwrap()];
        assert_eq!(
            (at("target"), at("passed"), at("compliance_variance")),
            ("30", "false", "10")
        );
    }
}

#[test]
fn people_read_the_range_and_above_it_in_words() {
    let table = stdout(&run(&["audit", "-s", S]));
    assert!(table.contains("30-50%"), "{table}");
    assert!(table.contains("70-90.5%"), "{table}");
    assert!(
        table.contains("compliance 60% against 30-50% (+10.0 pts, above the range)"),
        "{table}"
    );
    assert!(
        table.contains("compliance 60% against 70-90.5% (-10.0 pts, below the range)"),
        "{table}"
    );
    let md = stdout(&run(&["audit", "-s", S, "--format", "markdown"]));
    assert!(md.contains("| nonneg | 30-50% | 60% |"), "{md}");
    assert!(md.contains("above the range"), "{md}");
    let junit = stdout(&run(&["audit", "-s", S, "--format", "junit"]));
    assert!(
        junit.contains("compliance 60% against target 30-50%"),
        "{junit}"
    );
    assert!(
        junit.contains("variance +10.00 pts, above the range"),
        "{junit}"
    );
    assert_eq!(junit.matches("<failure").count(), 2, "{junit}");
    let gh = stdout(&run(&["audit", "-s", S, "--format", "github"]));
    assert!(
        gh.contains("title=above-range is above the range 30-50%25::"),
        "{gh}"
    );
    assert!(
        gh.contains("title=below-range falls short of 70-90.5%25::"),
        "{gh}"
    );
    let ndjson = stdout(&run(&["audit", "-s", S, "--format", "ndjson"]));
    assert!(
        ndjson.contains(r#""target":30.0,"target_max":50.0,"passed":false"#),
        "{ndjson}"
    );
    let html = stdout(&run(&["audit", "-s", S, "--format", "html"]));
    assert!(html.contains("<td class=\"num\">30-50%</td>"), "{html}");
    // One tick per end of each of the four ranges.
    assert_eq!(html.matches("<line class=\"target\"").count(), 8, "{html}");
}

#[test]
fn the_error_budget_of_a_range_is_its_low_end() {
    let (t, _) = json(&["trend", "-s", S, "--format", "json"]);
    let row = t["trend"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "above-range" && r["cases"] == 6)
        .expect("the week with the cases");
    assert_eq!(row["target"].as_f64(), Some(30.0));
    assert_eq!(row["target_max"].as_f64(), Some(50.0));
    assert_eq!(row["passed"].as_bool(), Some(false));
    assert_eq!(row["budget_allowed"].as_u64(), Some(3));
    assert_eq!(row["budget_left"].as_i64(), Some(1));
    let csv = stdout(&run(&["trend", "-s", S, "--format", "csv"]));
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",budget_left,target_max,effective_from,effective_until,timezone,partial"),
        "{csv}"
    );
}

#[test]
fn check_refuses_a_range_upside_down_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(S))
        .unwrap()
        .replace("target = [30, 50]", "target = [50, 30]");
    std::fs::copy(
        fixture("target-range").join("tickets.csv"),
        dir.path().join("tickets.csv"),
    )
    .unwrap();
    let file = dir.path().join("standards.toml");
    std::fs::write(&file, text).unwrap();
    let o = run(&["check", "-s", &path_str(&file)]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(":21:10: standard \"above-range\": target range 50..30 has its low end above its high end; write [30, 50]"),
        "{}",
        stderr(&o)
    );
    let listing = stdout(&run(&["check", "-s", S]));
    assert!(listing.contains("target 30-50%"), "{listing}");
}
