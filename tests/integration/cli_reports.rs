//! The reporting features through the binary: `--on-empty`, totals rows, variance in words,
//! breach rankings and counts, ndjson, github, exports, html, trend and xlsx.

use crate::common;

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

// --- totals rows with --by -----------------------------------------------------------------

#[test]
fn by_adds_a_totals_row_per_standard_equal_to_the_ungrouped_row() {
    let (plain, _) = json(&["audit", "-s", TICKETS, "--format", "json"]);
    let (grouped, _) = json(&[
        "audit",
        "-s",
        TICKETS,
        "--format",
        "json",
        "--by",
        "department,week",
    ]);
    let rows = grouped["standards"].as_array().unwrap();
    for p in plain["standards"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        let mine: Vec<&Value> = rows.iter().filter(|r| r["id"] == id).collect();
        // the totals row comes last and is the ungrouped row with "group": null
        let (total, groups) = mine.split_last().unwrap();
        let mut want = p.clone();
        want["group"] = Value::Null;
        assert_eq!(*total, &want, "{id}");
        // groups: week ascending, then department by name
        let keys: Vec<(String, String)> = groups
            .iter()
            .map(|g| {
                (
                    g["group"]["week"].as_str().unwrap().to_string(),
                    g["group"]["department"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{id}");
        // and the group keys are in --by order
        let first: Vec<&String> = groups[0]["group"].as_object().unwrap().keys().collect();
        assert_eq!(first, ["department", "week"]);
    }
    // without --by the output has no group key at all (unchanged)
    assert!(plain["standards"][0].get("group").is_none());
}

#[test]
fn table_and_markdown_label_the_totals_row_all() {
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--only",
        "first-reply-10m",
        "--by",
        "department",
    ]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[3].starts_with("first-    Development "), "{text}");
    // 81 columns unwrapped: the id wraps after its hyphen into the blank cell below.
    assert!(lines[4].starts_with("reply-10m Sales "), "{text}");
    assert!(lines[5].starts_with("          Support "), "{text}");
    assert_eq!(
        lines[6],
        "          (all)        nonneg    95%   92.6%  75/6/1  6m09s 9m39s  -2.4 FAIL"
    );
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--only",
        "first-reply-10m",
        "--by",
        "department",
        "--format",
        "markdown",
    ]);
    let text = stdout(&o);
    assert!(
        text.lines()
            .nth(5)
            .unwrap()
            .starts_with("| first-reply-10m | Every query is answered within 10 minutes of being initiated | (all) | nonneg | 95% | 92.6% | 75 | 6 | 1 |"),
        "{text}"
    );
}

// --- variance in words ---------------------------------------------------------------------

#[test]
fn table_says_the_variance_of_each_failing_standard_in_words() {
    let text = stdout(&run(&["audit", "-s", TICKETS]));
    let (_, words) = text.split_once("Falling short:\n").unwrap();
    assert_eq!(
        words,
        "  first-reply-10m: compliance 92.6% against 95% (-2.4 pts); median 6m09s against
    10m (3m51s under); p90 9m39s against 10m (21s under)
  reply-before-closing: compliance 97.5% against 100% (-2.5 pts); median 12h11m
    early; p90 2h07m early
  email-same-day: compliance 96% against 98% (-2.0 pts); median 7m19s; p90
    18m30s
"
    );
    for line in words.lines() {
        assert!(line.chars().count() <= 80, "{line:?}");
    }
}

// --- breaches --top and --by ---------------------------------------------------------------

#[test]
fn breaches_top_keeps_each_standards_worst_first() {
    let (all, _) = json(&["breaches", "-s", TICKETS, "--format", "json"]);
    let (top, status) = json(&["breaches", "-s", TICKETS, "--top", "2", "--format", "json"]);
    assert_eq!(status, 0);
    let pick = |v: &Value| -> Vec<(String, String, i64)> {
        v["breaches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| {
                (
                    b["standard"].as_str().unwrap().to_string(),
                    b["case"].as_str().unwrap().to_string(),
                    b["over_by_s"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let top = pick(&top);
    // the same as sorting each standard's breaches by over_by_s descending and keeping two
    let mut want = Vec::new();
    for id in [
        "first-reply-10m",
        "no-message-waits",
        "reply-before-closing",
        "email-same-day",
    ] {
        let mut mine: Vec<_> = pick(&all).into_iter().filter(|b| b.0 == id).collect();
        mine.sort_by_key(|b| std::cmp::Reverse(b.2));
        want.extend(mine.into_iter().take(2));
    }
    assert_eq!(top, want);
    assert_eq!(top.len(), 7);
    assert_eq!(
        top[0],
        (
            "first-reply-10m".to_string(),
            "T-48226".to_string(),
            509_821
        )
    );
}

#[test]
fn breaches_by_counts_per_attribute_value_per_standard() {
    let text = stdout(&run(&[
        "breaches",
        "-s",
        TICKETS,
        "--by",
        "department,agent",
        "--format",
        "csv",
    ]));
    assert_eq!(
        text,
        "standard,level,department,agent,breaches,share
first-reply-10m,nonnegotiable,Sales,Sofiia Tkachenko,2,33.33333333333333
first-reply-10m,nonnegotiable,Support,Iryna Shevchenko,2,33.33333333333333
first-reply-10m,nonnegotiable,Development,,1,16.666666666666664
first-reply-10m,nonnegotiable,Support,Taras Bondarenko,1,16.666666666666664
no-message-waits,nonnegotiable,Development,Kateryna Moroz,2,66.66666666666666
no-message-waits,nonnegotiable,Support,Maksym Melnyk,1,33.33333333333333
reply-before-closing,nonnegotiable,Sales,Sofiia Tkachenko,1,50
reply-before-closing,nonnegotiable,Support,Olena Kovalenko,1,50
email-same-day,experiential,Support,Taras Bondarenko,1,100
"
    );
    let (v, _) = json(&[
        "breaches", "-s", TICKETS, "--by", "agent", "--format", "json",
    ]);
    assert_eq!(v["by"], serde_json::json!(["agent"]));
    assert_eq!(
        v["counts"][0],
        serde_json::json!({"standard": "first-reply-10m", "level": "nonnegotiable",
            "group": {"agent": "Iryna Shevchenko"}, "breaches": 2, "share": 2.0 / 6.0 * 100.0})
    );
    let table = stdout(&run(&["breaches", "-s", TICKETS, "--by", "agent"]));
    assert!(
        table.contains("\nfirst-reply-10m      Iryna Shevchenko         2 33.3%\n"),
        "{table}"
    );
}

#[test]
fn breaches_by_rejects_time_buckets_unknown_columns_and_top() {
    let o = run(&["breaches", "-s", TICKETS, "--by", "week"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("\"week\" is a time bucket"),
        "{}",
        stderr(&o)
    );
    let o = run(&["breaches", "-s", TICKETS, "--by", "team"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("missing column \"team\""),
        "{}",
        stderr(&o)
    );
    let o = run(&["breaches", "-s", TICKETS, "--by", "agent", "--top", "3"]);
    assert_eq!(code(&o), 2);
    let o = run(&["breaches", "-s", TICKETS, "--top", "0"]);
    assert_eq!(code(&o), 2);
}

// --- ndjson and github ---------------------------------------------------------------------

fn ndjson_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn ndjson_audit_is_the_json_report_one_typed_record_a_line() {
    let (whole, _) = json(&["audit", "-s", TICKETS, "--format", "json"]);
    let o = run(&["audit", "-s", TICKETS, "--format", "ndjson"]);
    assert_eq!(code(&o), 1);
    let lines = ndjson_lines(&stdout(&o));
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["report", "standard", "standard", "standard", "standard", "input"]
    );
    assert_eq!(
        lines[0],
        serde_json::json!({"type": "report", "schema_version": 1, "passed": false,
            "period": whole["period"]})
    );
    for (i, s) in whole["standards"].as_array().unwrap().iter().enumerate() {
        let mut want = s.clone();
        want["type"] = "standard".into();
        assert_eq!(lines[1 + i], want);
    }
    let mut input = whole["inputs"][0].clone();
    input["type"] = "input".into();
    assert_eq!(lines[5], input);
    // the type comes first on every line
    for l in stdout(&o).lines() {
        assert!(l.starts_with("{\"type\":\""), "{l}");
    }
}

#[test]
fn ndjson_breaches_and_counts() {
    let (whole, _) = json(&["breaches", "-s", TICKETS, "--format", "json"]);
    let lines = ndjson_lines(&stdout(&run(&[
        "breaches", "-s", TICKETS, "--format", "ndjson",
    ])));
    assert_eq!(lines.len(), 1 + 12 + 1);
    assert_eq!(lines[0]["type"], "report");
    assert!(lines[0].get("passed").is_none());
    let mut first = whole["breaches"][0].clone();
    first["type"] = "breach".into();
    assert_eq!(lines[1], first);
    assert_eq!(lines[13]["type"], "input");
    let lines = ndjson_lines(&stdout(&run(&[
        "breaches", "-s", TICKETS, "--by", "agent", "--format", "ndjson",
    ])));
    assert_eq!(lines[0]["by"], serde_json::json!(["agent"]));
    assert_eq!(lines[1]["type"], "breach_count");
    assert_eq!(
        lines[1]["group"],
        serde_json::json!({"agent": "Iryna Shevchenko"})
    );
}

#[test]
fn github_annotates_each_failing_standard_on_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let o = ys()
        .args(["audit", "-s", TICKETS, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert_eq!(
        stdout(&o),
        "::error file=standards/ticket-desk.toml,line=25,title=first-reply-10m falls short of 95%25::\
Every query is answered within 10 minutes of being initiated (nonnegotiable): compliance 92.6%25 \
against 95%25 (-2.4 pts); median 6m09s against 10m (3m51s under); p90 9m39s against 10m (21s under)
::error file=standards/ticket-desk.toml,line=45,title=reply-before-closing falls short of 100%25::\
No ticket is closed or abandoned without a reply (nonnegotiable): compliance 97.5%25 against 100%25 \
(-2.5 pts); median 12h11m early; p90 2h07m early
::warning file=standards/ticket-desk.toml,line=55,title=email-same-day falls short of 98%25::\
Every e-mail to the support mailbox is answered the same day (experiential): compliance 96%25 \
against 98%25 (-2.0 pts); median 7m19s; p90 18m30s
"
    );
    // the lines are those of the standards' ids
    let toml = std::fs::read_to_string(root().join(TICKETS)).unwrap();
    let lines: Vec<&str> = toml.lines().collect();
    assert_eq!(lines[24], "id = \"first-reply-10m\"");
    assert_eq!(lines[44], "id = \"reply-before-closing\"");
    assert_eq!(lines[54], "id = \"email-same-day\"");
    // the step summary: appended, the Markdown report under a heading
    let markdown = stdout(&run(&["audit", "-s", TICKETS, "--format", "markdown"]));
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        format!("earlier step\n## yardstick audit\n\n{markdown}\n")
    );
}

#[test]
fn github_without_a_step_summary_and_no_data_notices() {
    let o = ys()
        .args([
            "audit",
            "-s",
            TICKETS,
            "--log",
            BAD_ROWS,
            "--only",
            "email-same-day",
            "--format",
            "github",
        ])
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert_eq!(
        stdout(&o),
        "::notice file=standards/ticket-desk.toml,line=55,title=email-same-day%3A no data::\
Every e-mail to the support mailbox is answered the same day (experiential): no decided case (target 98%25)\n"
    );
    let o = run(&["breaches", "-s", TICKETS, "--format", "github"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--format github is for `yardstick audit`"));
}

// --- exports -------------------------------------------------------------------------------

#[test]
fn exports_write_the_other_formats_beside_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).display().to_string();
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--format",
        "csv",
        "--export-json",
        &p("r.json"),
        "--export-junit",
        &p("r.xml"),
        "--export-markdown",
        &p("r.md"),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    // stdout is what --format asks for, unchanged by the exports
    assert_eq!(
        stdout(&o),
        stdout(&run(&["audit", "-s", TICKETS, "--format", "csv"]))
    );
    for (file, format) in [("r.json", "json"), ("r.xml", "junit"), ("r.md", "markdown")] {
        assert_eq!(
            std::fs::read_to_string(p(file)).unwrap(),
            stdout(&run(&["audit", "-s", TICKETS, "--format", format])),
            "{file}"
        );
    }
}

#[test]
fn export_paths_are_checked_before_any_log_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("ok.json").display().to_string();
    let missing = dir.path().join("nope/r.md").display().to_string();
    // the log does not exist either: the export error comes first
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--log",
        "tickets=no-such-log.csv",
        "--export-json",
        &good,
        "--export-markdown",
        &missing,
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        format!(
            "error: --export-markdown {missing}: the folder {} does not exist\n",
            dir.path().join("nope").display()
        )
    );
    assert!(
        !std::path::Path::new(&good).exists(),
        "checking leaves no file behind"
    );
    // a folder, and the same file twice
    let folder = dir.path().display().to_string();
    let o = run(&["audit", "-s", TICKETS, "--export-junit", &folder]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));
    let o = run(&["audit", "-s", TICKETS, "-o", &good, "--export-json", &good]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("--export-json") && stderr(&o).contains("-o writes the same file"),
        "{}",
        stderr(&o)
    );
    assert!(!std::path::Path::new(&good).exists());
}

#[cfg(unix)]
#[test]
fn an_export_into_a_read_only_folder_is_refused_before_reading() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    // Reachable for an unprivileged user too (a temporary folder is 0700).
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let target = ro.join("r.json").display().to_string();
    let bin = assert_cmd::cargo::cargo_bin("yardstick");
    // Root may write anywhere (and CI runs as root): then the binary runs as `nobody`
    // (setpriv, util-linux), for whom the folder is read-only as for any other user. The
    // permission check itself is what is tested, so the path stays an ordinary one.
    let as_root = std::fs::write(ro.join("probe"), "").is_ok();
    let setpriv = std::path::Path::new("/usr/bin/setpriv");
    if as_root && !setpriv.exists() {
        skip("running as root and no setpriv(1) to drop to an unprivileged user");
        return;
    }
    let _ = std::fs::remove_file(ro.join("probe"));
    let command = |program: &std::path::Path| {
        let mut cmd = if as_root {
            let mut c = std::process::Command::new(setpriv);
            c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
                .arg(program);
            c
        } else {
            std::process::Command::new(program)
        };
        cmd.current_dir(root()).env("TZ", "UTC");
        cmd
    };
    // The user the binary runs as cannot write there, or this test proves nothing.
    let probe = command(std::path::Path::new("/bin/sh"))
        .args(["-c", ": > \"$0\"", &ro.join("probe").display().to_string()])
        .output()
        .unwrap();
    assert!(
        !probe.status.success(),
        "the folder is writable for the user the binary runs as"
    );
    // The log does not exist: had the log been read first, the error would be about it.
    let o = command(&bin)
        .args([
            "audit",
            "-s",
            TICKETS,
            "--log",
            "tickets=no-such-log.csv",
            "--export-json",
            &target,
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be written"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("no-such-log"), "{}", stderr(&o));
    assert!(!ro.join("r.json").exists());
}

// --- html ----------------------------------------------------------------------------------

#[test]
fn html_is_one_self_contained_page_with_table_and_charts() {
    let o = run(&["audit", "-s", TICKETS, "--format", "html"]);
    assert_eq!(code(&o), 1);
    let text = stdout(&o);
    assert!(
        text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{text}"
    );
    // no network, no JavaScript
    for banned in [
        "<script", "http://", "https://", "<link", "<img", "@import", "url(",
    ] {
        assert!(!text.contains(banned), "{banned}");
    }
    // well-formed (polyglot) markup, checked with a real XML parser
    let doc = roxmltree::Document::parse_with_options(
        &text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap();
    let all = |name: &str| -> Vec<roxmltree::Node> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == name)
            .collect()
    };
    let with_class = |name: &str, class: &str| -> usize {
        all(name)
            .iter()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == class))
            })
            .count()
    };
    assert_eq!(all("title")[0].text(), Some("yardstick audit"));
    assert_eq!(all("style").len(), 1);
    // the summary table: one row per standard, and the inputs table
    let tables = all("table");
    assert_eq!(tables.len(), 2);
    let body_rows = |t: &roxmltree::Node| {
        t.descendants()
            .filter(|n| {
                n.tag_name().name() == "tr" && n.parent().unwrap().tag_name().name() == "tbody"
            })
            .count()
    };
    assert_eq!(body_rows(&tables[0]), 4);
    assert_eq!(body_rows(&tables[1]), 1);
    // what falls short, in words
    assert_eq!(all("li").len(), 3);
    // charts: compliance bars with a target tick per standard; a histogram per timed standard
    // with the limit marked (not for "same day"); weekly trends (the sample spans three weeks)
    assert_eq!(with_class("figure", "compliance"), 1);
    assert_eq!(with_class("rect", "bar"), 4);
    assert_eq!(with_class("line", "target"), 4 + 4);
    assert_eq!(with_class("figure", "histogram"), 4);
    assert_eq!(with_class("line", "limit"), 3);
    assert_eq!(with_class("figure", "trend"), 4);
    for svg in all("svg") {
        assert!(svg.attribute("viewBox").is_some());
        assert!(svg.children().any(|c| c.tag_name().name() == "title"));
    }
    // deterministic
    assert_eq!(
        text,
        stdout(&run(&["audit", "-s", TICKETS, "--format", "html"]))
    );
}

#[test]
fn export_html_beside_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("audit.html");
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--export-html",
        &page.display().to_string(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).starts_with("Standard "));
    assert_eq!(
        std::fs::read_to_string(&page).unwrap(),
        stdout(&run(&["audit", "-s", TICKETS, "--format", "html"]))
    );
    let o = run(&["breaches", "-s", TICKETS, "--format", "html"]);
    assert_eq!(code(&o), 2);
}

// --- trend ---------------------------------------------------------------------------------

#[test]
fn trend_weeks_with_change_and_error_budget() {
    let (v, status) = json(&[
        "trend",
        "-s",
        TICKETS,
        "--only",
        "first-reply-10m",
        "--periods",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["every"], "week");
    assert_eq!(
        v["periods"],
        serde_json::json!([
            // Kyiv weeks (Monday 00:00 at +02:00), written in UTC.
            {"period": "2026-W46", "since": "2026-11-08T22:00:00Z", "until": "2026-11-15T22:00:00Z", "timezone": "Europe/Kyiv"},
            {"period": "2026-W47", "since": "2026-11-15T22:00:00Z", "until": "2026-11-22T22:00:00Z", "timezone": "Europe/Kyiv"},
            {"period": "2026-W48", "since": "2026-11-22T22:00:00Z", "until": "2026-11-29T22:00:00Z", "timezone": "Europe/Kyiv"},
        ])
    );
    let rows = v["trend"].as_array().unwrap();
    let pick = |r: &Value| {
        (
            r["period"].as_str().unwrap().to_string(),
            r["met"].as_u64().unwrap(),
            r["breached"].as_u64().unwrap(),
            r["direction"].clone(),
            r["budget_allowed"].as_u64().unwrap(),
            r["budget_left"].as_i64().unwrap(),
        )
    };
    let got: Vec<_> = rows.iter().map(pick).collect();
    assert_eq!(
        got,
        [
            ("2026-W46".to_string(), 1, 0, Value::Null, 0, 0),
            ("2026-W47".to_string(), 70, 5, "down".into(), 3, -2),
            ("2026-W48".to_string(), 4, 1, "down".into(), 0, -1),
        ]
    );
    // the same counts as audit --by week
    let (by_week, _) = json(&[
        "audit",
        "-s",
        TICKETS,
        "--only",
        "first-reply-10m",
        "--by",
        "week",
        "--format",
        "json",
    ]);
    assert_eq!(by_week["standards"][1]["met"], rows[1]["met"]);
    // 75 decided at 95%: floor(3.75) = 3 allowed, 5 used = 166.7%
    assert_eq!(
        rows[1]["change"].as_f64().unwrap(),
        70.0 / 75.0 * 100.0 - 100.0
    );
    assert_eq!(rows[1]["budget_used"].as_f64().unwrap(), 5.0 / 3.0 * 100.0);
    // no breach allowed, one happened: used is null, left is negative
    assert_eq!(rows[2]["budget_used"], Value::Null);
}

#[test]
fn trend_table_months_and_formats() {
    let text = stdout(&run(&[
        "trend",
        "-s",
        TICKETS,
        "--only",
        "first-reply-10m,no-message-waits",
        "--periods",
        "2",
    ]));
    assert_eq!(
        text,
        "Standard         Period     Compli- Target  Change Met/Br/    Error budget
                               ance          (pts)    Open            used
──────────────────────────────────────────────────────────────────────────
first-reply-10m  2026-W47     93.3%    95%          70/5/0 5 of 3 (166.7%)
                 2026-W48*      80%    95% ▼ -13.3   4/1/1   1 of 0 (over)
no-message-waits 2026-W47     92.9%    90%          39/3/0    3 of 4 (75%)
                 2026-W48*     100%    90%  ▲ +7.1   3/0/1     0 of 0 (0%)
Error budget used: breaches of floor((100 - target)% x decided cases) allowed.
*: partial, the period runs past the as-of (its figures may still change).
Periods in Europe/Kyiv time.
"
    );
    let (v, _) = json(&[
        "trend",
        "-s",
        TICKETS,
        "--every",
        "month",
        "--periods",
        "2",
        "--format",
        "json",
    ]);
    let periods: Vec<&str> = v["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    // The log starts in November: no empty October before its first event.
    assert_eq!(periods, ["2026-11"]);
    let csv = stdout(&run(&[
        "trend",
        "-s",
        TICKETS,
        "--periods",
        "1",
        "--format",
        "csv",
    ]));
    assert_eq!(
        csv.lines().next().unwrap(),
        "id,title,level,period,since,until,cases,met,breached,open,compliance,target,passed,\
change,direction,budget_allowed,budget_used,budget_left,target_max,effective_from,effective_until,timezone,partial"
    );
    assert_eq!(csv.lines().count(), 1 + 4);
    let lines = stdout(&run(&[
        "trend",
        "-s",
        TICKETS,
        "--periods",
        "2",
        "--format",
        "ndjson",
    ]));
    let types: Vec<String> = lines
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        types,
        [
            "report", "period", "period", "trend", "trend", "trend", "trend", "trend", "trend",
            "trend", "trend", "input"
        ]
    );
    assert_eq!(code(&run(&["trend", "-s", TICKETS, "--periods", "0"])), 2);
    assert_eq!(
        code(&run(&["trend", "-s", TICKETS, "--format", "junit"])),
        2
    );
}

// --- xlsx ----------------------------------------------------------------------------------

/// The parts of the audit of `TICKETS` written as a workbook with `-o` (exit 1: a standard
/// falls short; nothing on standard output).
#[cfg(feature = "xlsx")]
fn tickets_workbook() -> std::collections::BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("audit.xlsx");
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--format",
        "xlsx",
        "-o",
        &book.display().to_string(),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    workbook_parts(&book)
}

#[cfg(feature = "xlsx")]
#[test]
fn xlsx_workbook_has_typed_cells_frozen_headers_and_filters() {
    let parts = tickets_workbook();
    let workbook = roxmltree::Document::parse(&parts["xl/workbook.xml"]).unwrap();
    let sheets: Vec<&str> = workbook
        .descendants()
        .filter(|n| n.has_tag_name("sheet"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(sheets, ["Summary", "Breaches", "Definitions"]);
    let shared = shared_strings(&parts);
    // (sheet, rows, columns) and the value of a cell
    for (i, rows, first_header) in [(1, 1 + 4, "id"), (2, 1 + 12, "standard"), (3, 1 + 4, "id")] {
        let xml = &parts[&format!("xl/worksheets/sheet{i}.xml")];
        let doc = roxmltree::Document::parse(xml).unwrap();
        let pane = doc.descendants().find(|n| n.has_tag_name("pane")).unwrap();
        assert_eq!(pane.attribute("state"), Some("frozen"), "sheet {i}");
        assert_eq!(pane.attribute("ySplit"), Some("1"));
        assert!(
            doc.descendants().any(|n| n.has_tag_name("autoFilter")),
            "sheet {i}"
        );
        let row_count = doc.descendants().filter(|n| n.has_tag_name("row")).count();
        assert_eq!(row_count, rows, "sheet {i}");
        let a1 = doc
            .descendants()
            .find(|n| n.has_tag_name("c") && n.attribute("r") == Some("A1"))
            .unwrap();
        let idx: usize = a1
            .descendants()
            .find_map(|v| v.text())
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(shared[idx], first_header);
    }
    let cell = |sheet: usize, r: &str| -> (Option<String>, Option<String>, String) {
        let doc =
            roxmltree::Document::parse(&parts[&format!("xl/worksheets/sheet{sheet}.xml")]).unwrap();
        let c = doc
            .descendants()
            .find(|n| n.has_tag_name("c") && n.attribute("r") == Some(r))
            .unwrap_or_else(|| panic!("no cell {r}"));
        (
            c.attribute("t").map(str::to_string),
            c.attribute("s").map(str::to_string),
            c.descendants()
                .filter(|v| v.is_text())
                .filter_map(|v| v.text())
                .collect(),
        )
    };
    // Summary L2: compliance of first-reply-10m, a number cell, not rounded
    let (t, _, v) = cell(1, "L2");
    assert_eq!(t, None, "a number cell");
    assert!((v.parse::<f64>().unwrap() - 75.0 / 81.0 * 100.0).abs() < 1e-12);
    // Summary N2: passed, a boolean cell
    assert_eq!(
        cell(1, "N2"),
        (Some("b".to_string()), None, "0".to_string())
    );
    // Breaches F2: clock_start, a date cell (a serial number with a date format)
    let (t, s, v) = cell(2, "F2");
    assert_eq!(t, None);
    assert!(s.is_some(), "a date format");
    assert!(v.parse::<f64>().unwrap() > 46_000.0, "{v}");
    // Definitions H2: the time zone
    let (t, _, v) = cell(3, "H2");
    assert_eq!(t.as_deref(), Some("s"));
    assert_eq!(shared[v.parse::<usize>().unwrap()], "Europe/Kyiv");
}

/// A workbook's cells by reference ("M2") on one sheet: (type, style index, value text).
#[cfg(feature = "xlsx")]
fn sheet_cells(
    xml: &str,
) -> std::collections::BTreeMap<String, (Option<String>, Option<usize>, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("c"))
        .map(|c| {
            (
                c.attribute("r").unwrap().to_string(),
                (
                    c.attribute("t").map(str::to_string),
                    c.attribute("s").map(|s| s.parse().unwrap()),
                    c.descendants()
                        .filter(|v| v.is_text())
                        .filter_map(|v| v.text())
                        .collect(),
                ),
            )
        })
        .collect()
}

/// The column letters of a cell reference: "AB12" -> "AB".
#[cfg(feature = "xlsx")]
fn letters(reference: &str) -> &str {
    reference.trim_end_matches(|c: char| c.is_ascii_digit())
}

/// What an analyst sees on opening the workbook, read from its parts: compliance and target
/// hold the JSON's numbers (92.5925925925926, not 0.926 or 92.6) and show as percentages by
/// the format `0.0"%"`, seconds show as seconds, each column is at least as wide as its
/// header and its longest text, and a conditional format colours compliance, target and
/// passed green or red by the row's `passed`.
#[cfg(feature = "xlsx")]
#[test]
fn xlsx_shows_percentages_seconds_and_the_verdict_at_a_glance() {
    let parts = tickets_workbook();
    let (report, _) = json(&["audit", "-s", TICKETS, "--format", "json"]);
    let json_text = stdout(&run(&["audit", "-s", TICKETS, "--format", "json"]));
    // each standard's `"compliance": 92.5925925925926` and `"target": 95.0`, in order, as text
    let json_numbers: std::collections::BTreeMap<&str, Vec<String>> = ["compliance", "target"]
        .into_iter()
        .map(|key| {
            let tag = format!("\"{key}\": ");
            let values = json_text
                .split(&tag)
                .skip(1)
                .map(|rest| {
                    let end = rest.find([',', '\n', '}']).unwrap();
                    let v = &rest[..end];
                    // Excel (and the xlsx writer) write a whole number without ".0"
                    v.strip_suffix(".0").unwrap_or(v).to_string()
                })
                .collect();
            (key, values)
        })
        .collect();
    let shared = shared_strings(&parts);

    // styles: cell format index -> number format code
    let styles = roxmltree::Document::parse(&parts["xl/styles.xml"]).unwrap();
    let codes: std::collections::BTreeMap<&str, &str> = styles
        .descendants()
        .filter(|n| n.has_tag_name("numFmt"))
        .map(|n| {
            (
                n.attribute("numFmtId").unwrap(),
                n.attribute("formatCode").unwrap(),
            )
        })
        .collect();
    let xfs: Vec<&str> = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .map(|n| n.attribute("numFmtId").unwrap_or("0"))
        .collect();
    let code_of = |style: Option<usize>| -> &str {
        let id = style.map_or("0", |s| xfs[s]);
        codes.get(id).copied().unwrap_or("General")
    };

    let xml = &parts["xl/worksheets/sheet1.xml"];
    let cells = sheet_cells(xml);
    let text = |(t, _, v): &(Option<String>, Option<usize>, String)| match t.as_deref() {
        Some("s") => shared[v.parse::<usize>().unwrap()].clone(),
        _ => v.clone(),
    };
    // header name -> column letters
    let header: std::collections::BTreeMap<String, String> = cells
        .iter()
        .filter(|(r, _)| r[letters(r).len()..] == *"1")
        .map(|(r, c)| (text(c), letters(r).to_string()))
        .collect();
    let col = |name: &str| header[name].clone();
    let standards = report["standards"].as_array().unwrap();
    assert_eq!(standards.len(), 4);
    for (i, s) in standards.iter().enumerate() {
        let row = i + 2;
        assert_eq!(text(&cells[&format!("A{row}")]), s["id"].as_str().unwrap());
        for name in ["compliance", "target"] {
            let c = &cells[&format!("{}{row}", col(name))];
            assert_eq!(c.0, None, "{name} is a number cell");
            assert_eq!(code_of(c.1), r#"0.0"%""#, "{name} of row {row}");
            // the number as the JSON writes it, digit for digit (serde_json's own parser may
            // be an ulp off, so the text is compared, not a parsed f64)
            assert_eq!(
                c.2, json_numbers[name][i],
                "{name} of row {row}: the JSON's number"
            );
        }
        let c = &cells[&format!("{}{row}", col("compliance_variance"))];
        assert_eq!(code_of(c.1), r#"+0.0" pts";-0.0" pts";0.0" pts""#);
        for name in ["limit_s", "median_s", "p90_s", "max_s"] {
            let cell = cells.get(&format!("{}{row}", col(name)));
            match (cell, s[name].as_i64()) {
                (Some(c), Some(seconds)) => {
                    assert_eq!(code_of(c.1), r##"#,##0" s""##, "{name} of row {row}");
                    assert_eq!(c.2, seconds.to_string(), "{name} of row {row}");
                }
                // a limit that depends on the day ("same day"): no number, no cell
                (None, None) => {}
                (c, v) => panic!("{name} of row {row}: cell {c:?}, JSON {v:?}"),
            }
        }
    }
    // first-reply-10m: 75 of 81, shown as 92.6%
    assert_eq!(
        cells[&format!("{}2", col("compliance"))].2,
        "92.5925925925926"
    );

    // widths: every column fits its header (with the filter button) and its longest text
    let doc = roxmltree::Document::parse(xml).unwrap();
    let widths: Vec<(u32, u32, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("col"))
        .map(|n| {
            (
                n.attribute("min").unwrap().parse().unwrap(),
                n.attribute("max").unwrap().parse().unwrap(),
                n.attribute("width").unwrap().parse().unwrap(),
            )
        })
        .collect();
    let number = |letters: &str| {
        letters
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
    };
    for (name, column) in &header {
        let n = number(column);
        let width = widths
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&n))
            .map(|w| w.2)
            .unwrap_or_else(|| panic!("no width for column {name}"));
        assert!(width >= name.len() as f64 + 2.0, "{name}: {width}");
        let longest = cells
            .iter()
            .filter(|(r, c)| letters(r) == column.as_str() && c.0.as_deref() == Some("s"))
            .map(|(_, c)| text(c).chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            width >= (longest as f64).min(60.0),
            "{name}: {width} < {longest}"
        );
    }

    // the verdict at a glance: compliance..passed of every row, coloured by passed
    let cf = doc
        .descendants()
        .find(|n| n.has_tag_name("conditionalFormatting"))
        .expect("a conditional format on the Summary");
    assert_eq!(
        cf.attribute("sqref"),
        Some(format!("{}2:{}5", col("compliance"), col("passed")).as_str())
    );
    let passed = col("passed");
    let rules: Vec<(String, usize)> = cf
        .children()
        .filter(|n| n.has_tag_name("cfRule"))
        .map(|r| {
            (
                r.descendants().find_map(|f| f.text()).unwrap().to_string(),
                r.attribute("dxfId").unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        [
            format!("AND(ISLOGICAL(${passed}2),${passed}2)"),
            format!("AND(ISLOGICAL(${passed}2),NOT(${passed}2))"),
        ]
    );
    let fills: Vec<String> = styles
        .descendants()
        .find(|n| n.has_tag_name("dxfs"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("dxf"))
        .map(|d| {
            d.descendants()
                .find(|n| n.has_tag_name("bgColor"))
                .and_then(|n| n.attribute("rgb"))
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(fills[rules[0].1], "FFC6EFCE", "pass is green");
    assert_eq!(fills[rules[1].1], "FFFFC7CE", "fail is red");
}

#[cfg(feature = "xlsx")]
#[test]
fn xlsx_export_beside_the_table_and_never_to_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("a.xlsx");
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--export-xlsx",
        &book.display().to_string(),
    ]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).starts_with("Standard "));
    // the same bytes as --format xlsx: byte-identical runs
    let piped = run(&["audit", "-s", TICKETS, "--format", "xlsx"]);
    assert_eq!(std::fs::read(&book).unwrap(), piped.stdout);
    assert_eq!(&piped.stdout[..2], b"PK");
    // breaches has no workbook of its own
    assert_eq!(
        code(&run(&["breaches", "-s", TICKETS, "--format", "xlsx"])),
        2
    );
    // on a terminal (script(1) gives the binary one), standard output is refused
    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        skip("the terminal check: no script(1)");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("yardstick");
    let o = std::process::Command::new(script)
        .current_dir(root())
        .args([
            "-qec",
            &format!("{} audit -s {TICKETS} --format xlsx", bin.display()),
            "/dev/null",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains("--format xlsx is a binary file: give -o FILE"),
        "{shown}"
    );
    assert!(!shown.contains("PK"), "{shown}");
}

/// Time buckets come in time order in the table and in the HTML trend alike, also where a
/// year has fewer than four digits (text order would put 1000 before 998).
#[test]
fn time_buckets_in_time_order_whatever_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let standards = dir.path().join("s.toml");
    std::fs::write(
        &standards,
        r#"version = 1
timezone = "UTC"
[sources.tickets]
layout = "events"
case = "ticket_id"
time = "timestamp"
event = "event"
[[standard]]
id = "r10"
title = "reply 10m"
from = "created"
to = "agent_reply"
within = "10m"
"#,
    )
    .unwrap();
    let log = dir.path().join("t.csv");
    std::fs::write(
        &log,
        "ticket_id,timestamp,event\n\
         A,0999-12-20T09:00:00Z,created\nA,0999-12-20T09:05:00Z,agent_reply\n\
         B,1000-01-06T09:00:00Z,created\nB,1000-01-06T09:30:00Z,agent_reply\n\
         C,0998-06-01T09:00:00Z,created\nC,0998-06-01T09:01:00Z,agent_reply\n\
         D,2026-11-16T09:00:00Z,created\nD,2026-11-16T09:20:00Z,agent_reply\n",
    )
    .unwrap();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = vec!["audit".into(), "-s".into(), path_str(&standards)];
        a.extend(["--log".into(), format!("tickets={}", path_str(&log))]);
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run_args = |a: Vec<String>| run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let (_, rows) = csv_records(&stdout(&run_args(args(&[
        "--by", "week", "--format", "csv",
    ]))));
    let weeks: Vec<&str> = rows.iter().map(|r| r["week"].as_str()).collect();
    assert_eq!(weeks, ["998-W22", "999-W51", "1000-W02", "2026-W47", ""]);
    let page = stdout(&run_args(args(&["--format", "html"])));
    let points: Vec<&str> = page
        .split("<circle")
        .skip(1)
        .map(|c| &c[c.find("<title>").unwrap() + 7..c.find(": ").unwrap()])
        .collect();
    assert_eq!(points, ["998-W22", "999-W51", "1000-W02", "2026-W47"]);
}
