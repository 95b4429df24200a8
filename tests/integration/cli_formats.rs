//! Output formats: exact headers, shapes, JSON conventions, JUnit structure, `-o`,
//! determinism, colour, and a reader that goes away early (broken pipe).

use crate::common;

use std::io::Read;
use std::process::Stdio;

use common::*;
use serde_json::Value;

const TICKETS: &str = "standards/ticket-desk.toml";

const AUDIT_COLUMNS: &str = "id,title,level,source,kind,calendar,cases,met,breached,open,\
excluded,compliance,target,passed,compliance_variance,limit_s,median_s,p90_s,max_s,\
median_variance_s,p90_variance_s,at_least,at_most,count_median,rule,file,line,target_max,\
compliance_low,compliance_high,value_at_least,value_at_most,median_value,p90_value,max_value,\
no_value,effective_from,effective_until,timezone";

const BREACH_COLUMNS: &str = "standard,level,source,case,occurrence,clock_start,clock_stop,\
deadline,elapsed_s,limit_s,over_by_s,paused_s,count,required";

fn out(args: &[&str]) -> String {
    stdout(&run(args))
}

#[test]
fn csv_header_and_one_row_per_standard() {
    let text = out(&["audit", "-s", TICKETS, "--format", "csv"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], AUDIT_COLUMNS);
    assert_eq!(lines.len(), 1 + 4, "{text}");
    let (_, rows) = csv_records(&text);
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "first-reply-10m",
            "no-message-waits",
            "reply-before-closing",
            "email-same-day"
        ]
    );
    // numbers are not rounded in machine formats
    assert_eq!(rows[0]["compliance"], "92.5925925925926");
    assert_eq!(rows[0]["median_s"], "369");
    assert_eq!(rows[0]["passed"], "false");
    assert_eq!(rows[3]["limit_s"], "", "\"same day\" has no fixed limit");
    // training-provider: ten standards (the front desk's two and the repeat rate among them)
    let text = out(&[
        "audit",
        "-s",
        "standards/training-provider.toml",
        "--format",
        "csv",
    ]);
    assert_eq!(text.lines().next().unwrap(), AUDIT_COLUMNS);
    assert_eq!(text.lines().count(), 1 + 10);
}

#[test]
fn csv_with_by_puts_the_group_columns_after_calendar() {
    let text = out(&[
        "audit",
        "-s",
        TICKETS,
        "--format",
        "csv",
        "--by",
        "department",
    ]);
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        // `total` came before the interval columns, which were appended after it.
        AUDIT_COLUMNS
            .replace("calendar,cases", "calendar,department,cases")
            .replace(
                "target_max,compliance_low",
                "target_max,total,compliance_low"
            )
    );
    // 4 standards x (3 departments + the totals row)
    assert_eq!(text.lines().count(), 1 + 16);
    let (_, rows) = csv_records(&text);
    let totals: Vec<&str> = rows
        .iter()
        .filter(|r| r["total"] == "true")
        .map(|r| r["id"].as_str())
        .collect();
    assert_eq!(
        totals,
        [
            "first-reply-10m",
            "no-message-waits",
            "reply-before-closing",
            "email-same-day"
        ]
    );
    for r in &rows {
        assert_eq!(r["department"].is_empty(), r["total"] == "true", "{r:?}");
    }
}

#[test]
fn tsv_header_is_the_csv_header_with_tabs() {
    let text = out(&["audit", "-s", TICKETS, "--format", "tsv"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], AUDIT_COLUMNS.replace(',', "\t"));
    assert_eq!(lines.len(), 5);
    for l in &lines {
        assert_eq!(l.split('\t').count(), 39, "{l:?}");
    }
}

#[test]
fn breaches_csv_and_tsv_headers() {
    let text = out(&["breaches", "-s", TICKETS, "--format", "csv"]);
    // A value standard's number comes after the attributes (added after them), then the
    // version columns (added after it).
    let attrs = ",department,channel,agent,customer_type,value,effective_from,effective_until";
    assert_eq!(
        text.lines().next().unwrap(),
        format!("{BREACH_COLUMNS}{attrs}")
    );
    assert_eq!(text.lines().count(), 1 + 12);
    let text = out(&["breaches", "-s", TICKETS, "--format", "tsv"]);
    assert_eq!(
        text.lines().next().unwrap(),
        format!("{BREACH_COLUMNS}{attrs}").replace(',', "\t")
    );
}

/// Every object key is snake_case, except the keys of maps whose keys are data
/// (skip reasons, group values, case attributes).
fn assert_snake_case(v: &Value, path: &str) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let data_map = ["skipped_reasons", "group", "attributes"].contains(&k.as_str());
                assert!(
                    !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "key {k:?} at {path} is not snake_case"
                );
                if !data_map {
                    assert_snake_case(child, &format!("{path}.{k}"));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_snake_case(item, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

fn assert_rfc3339(v: &Value, what: &str) {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what} is a string: {v}"));
    assert!(
        chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        "{what} = {s:?} is not RFC 3339"
    );
}

#[test]
fn json_report_conventions() {
    let (r, _) = json(&[
        "audit",
        "-s",
        TICKETS,
        "--format",
        "json",
        "--by",
        "department",
    ]);
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["passed"], false);
    assert_snake_case(&r, "$");
    assert_rfc3339(&r["period"]["as_of"], "period.as_of");
    // 3 departments and the totals row (group null) per standard
    assert_eq!(r["standards"].as_array().unwrap().len(), 16);
    for (i, s) in r["standards"].as_array().unwrap().iter().enumerate() {
        // cases = met + breached + open
        let n = |k: &str| s[k].as_i64().unwrap();
        assert_eq!(n("cases"), n("met") + n("breached") + n("open"), "{s}");
        if i % 4 == 3 {
            assert_eq!(s["group"], Value::Null, "{s}");
        } else {
            assert!(s["group"]["department"].is_string(), "{s}");
        }
    }
    // without --by there is no group
    let (r, _) = json(&["audit", "-s", TICKETS, "--format", "json"]);
    for s in r["standards"].as_array().unwrap() {
        assert!(s.get("group").is_none(), "{s}");
    }
    // with a period, since and until are RFC 3339 too, in UTC: the Kyiv week 2026-W47
    // starts at 2026-11-16T00:00:00+02:00
    let (r, _) = json(&[
        "audit", "-s", TICKETS, "--format", "json", "--week", "2026-W47",
    ]);
    assert_eq!(r["period"]["since"], "2026-11-15T22:00:00Z");
    assert_eq!(r["period"]["until"], "2026-11-22T22:00:00Z");
    assert_rfc3339(&r["period"]["as_of"], "period.as_of");
}

#[test]
fn json_no_data_is_null_and_does_not_fail() {
    let (r, status) = json(&[
        "audit",
        "-s",
        TICKETS,
        "--log",
        "tickets=samples/broken/tickets-bad-rows.csv",
        "--only",
        "no-message-waits,email-same-day",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0);
    for id in ["no-message-waits", "email-same-day"] {
        let s = standard(&r, id);
        assert_eq!(s["compliance"], Value::Null, "{id}");
        assert_eq!(s["passed"], Value::Null, "{id}");
    }
}

#[test]
fn breaches_json_conventions() {
    let (r, status) = json(&["breaches", "-s", TICKETS, "--format", "json"]);
    assert_eq!(status, 0);
    assert_eq!(r["schema_version"], 1);
    assert_snake_case(&r, "$");
    let list = r["breaches"].as_array().unwrap();
    assert_eq!(list.len(), 12);
    for b in list {
        assert_rfc3339(&b["clock_start"], "clock_start");
        assert_rfc3339(&b["deadline"], "deadline");
        if !b["clock_stop"].is_null() {
            assert_rfc3339(&b["clock_stop"], "clock_stop");
        }
        if let (Some(e), Some(l), Some(o)) = (
            b["elapsed_s"].as_i64(),
            b["limit_s"].as_i64(),
            b["over_by_s"].as_i64(),
        ) {
            assert_eq!(e - l, o, "over_by = elapsed - limit: {b}");
            assert!(o > 0, "a breach is over its limit: {b}");
        }
    }
}

#[test]
fn markdown_table_shape() {
    let text = out(&["audit", "-s", TICKETS, "--format", "markdown"]);
    // the table, then a blank line and the "Falling short" list
    let (table, words) = text.split_once("\n\n").unwrap();
    assert!(
        words.starts_with(
            "**Falling short**\n\n- `first-reply-10m`: compliance 92.6% against 95% (-2.4 pts); "
        ),
        "{words}"
    );
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "| Standard | Title | Level | Target | Compliance | Met | Breached | Open | Median | p90 | Variance | Status |"
    );
    assert_eq!(
        lines[1],
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    assert_eq!(lines.len(), 2 + 4, "{text}");
    let cells = |l: &str| l.matches('|').count();
    for l in &lines {
        assert!(l.starts_with("| ") || l.starts_with("|-"), "{l}");
        assert!(l.ends_with('|'), "{l}");
        assert_eq!(cells(l), cells(lines[0]), "{l}");
    }
    // rounded for people
    assert!(lines[2].starts_with("| first-reply-10m | "), "{}", lines[2]);
    assert!(lines[2].contains("| 92.6% |"), "{}", lines[2]);
    assert!(lines[2].ends_with("| FAIL |"), "{}", lines[2]);
    assert!(lines[3].ends_with("| PASS |"), "{}", lines[3]);
}

// --- JUnit -----------------------------------------------------------------------------------

/// An element of a tiny XML tree: name, attributes, children, text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.all(name, out);
        }
    }
}

fn unescape(s: &str) -> String {
    // only the five predefined entities and numeric references are allowed
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find(';').expect("an entity ends with ;") + i;
        let ent = &rest[i + 1..end];
        out.push_str(match ent {
            "lt" => "<",
            "gt" => ">",
            "amp" => "&",
            "quot" => "\"",
            "apos" => "'",
            _ if ent.starts_with('#') => "?",
            _ => panic!("unknown entity &{ent};"),
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    assert!(!out.contains('<') || s.contains("&lt;"), "raw < in text");
    out
}

/// A strict-enough parser for the JUnit XML: declaration, nested elements, quoted
/// attributes, entities. Panics on anything malformed.
fn parse_xml(text: &str) -> Element {
    let body = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .expect("an XML declaration");
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut rest = body;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').expect("a tag ends with >");
            let tag = &after[..end];
            rest = &after[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let done = stack.pop().expect("an open element");
                assert_eq!(done.name, name.trim(), "closing tag matches");
                stack.last_mut().expect("a parent").children.push(done);
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, mut attrs_text) = tag.split_once(' ').unwrap_or((tag, ""));
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "element name {name:?}"
            );
            let mut el = Element {
                name: name.to_string(),
                ..Element::default()
            };
            loop {
                attrs_text = attrs_text.trim_start();
                if attrs_text.is_empty() {
                    break;
                }
                let eq = attrs_text.find("=\"").expect("attr=\"value\"");
                let key = attrs_text[..eq].to_string();
                let v = &attrs_text[eq + 2..];
                let close = v.find('"').expect("a closing quote");
                el.attrs.push((key, unescape(&v[..close])));
                attrs_text = &v[close + 1..];
            }
            if self_closing {
                stack.last_mut().unwrap().children.push(el);
            } else {
                stack.push(el);
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let t = unescape(&rest[..end]);
            stack.last_mut().unwrap().text.push_str(&t);
            rest = &rest[end..];
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    let mut doc = stack.pop().unwrap();
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().unwrap()
}

#[test]
fn junit_one_testcase_per_standard_and_a_failure_for_each_failing_one() {
    let o = run(&["audit", "-s", TICKETS, "--format", "junit"]);
    assert_eq!(code(&o), 1);
    let root = parse_xml(&stdout(&o));
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("tests"), Some("4"));
    assert_eq!(root.attr("failures"), Some("3"));
    let mut cases = Vec::new();
    root.all("testcase", &mut cases);
    let names: Vec<&str> = cases.iter().map(|c| c.attr("name").unwrap()).collect();
    assert_eq!(
        names,
        [
            "first-reply-10m",
            "no-message-waits",
            "reply-before-closing",
            "email-same-day"
        ]
    );
    let failing: Vec<&str> = cases
        .iter()
        .filter(|c| c.children.iter().any(|f| f.name == "failure"))
        .map(|c| c.attr("name").unwrap())
        .collect();
    assert_eq!(
        failing,
        ["first-reply-10m", "reply-before-closing", "email-same-day"]
    );
    let f = &cases[0].children[0];
    assert_eq!(f.name, "failure");
    assert!(
        f.attr("message").unwrap().contains("92.6%"),
        "{:?}",
        f.attr("message")
    );
    // the escaped "->" of the rule round-trips
    assert_eq!(f.text, "email_received|created -> agent_reply within 10m");
}

#[test]
fn junit_no_data_is_skipped_not_failed() {
    let o = run(&[
        "audit",
        "-s",
        TICKETS,
        "--log",
        "tickets=samples/broken/tickets-bad-rows.csv",
        "--format",
        "junit",
    ]);
    let root = parse_xml(&stdout(&o));
    assert_eq!(root.attr("tests"), Some("4"));
    assert_eq!(root.attr("failures"), Some("1"));
    assert_eq!(root.attr("skipped"), Some("2"));
    let mut failures = Vec::new();
    root.all("failure", &mut failures);
    assert_eq!(failures.len(), 1);
    let mut skipped = Vec::new();
    root.all("skipped", &mut skipped);
    assert_eq!(skipped.len(), 2);
}

#[test]
fn junit_is_for_audit_only() {
    let o = run(&["breaches", "-s", TICKETS, "--format", "junit"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--format junit is for `yardstick audit`"));
}

// --- -o, determinism, colour -----------------------------------------------------------------

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    for (cmd, format) in [
        ("audit", "json"),
        ("audit", "csv"),
        ("audit", "junit"),
        ("audit", "table"),
        ("breaches", "csv"),
        ("breaches", "markdown"),
    ] {
        let file = dir.path().join(format!("{cmd}.{format}"));
        let o = run(&[
            cmd,
            "-s",
            TICKETS,
            "--format",
            format,
            "-o",
            &path_str(&file),
        ]);
        let expected_status = if cmd == "audit" { 1 } else { 0 };
        assert_eq!(code(&o), expected_status, "{cmd} {format}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{cmd} {format}: stdout {}", stdout(&o));
        let written = std::fs::read(&file).unwrap();
        let direct = run(&[cmd, "-s", TICKETS, "--format", format]);
        assert_eq!(written, direct.stdout, "{cmd} {format}");
    }
}

#[test]
fn output_is_byte_identical_across_runs() {
    for cmd in ["audit", "breaches"] {
        for format in ["table", "csv", "tsv", "json", "markdown", "junit"] {
            if cmd == "breaches" && format == "junit" {
                continue;
            }
            for file in [
                "standards/ticket-desk.toml",
                "standards/training-provider.toml",
                "standards/order-cycle.toml",
            ] {
                let args = [cmd, "-s", file, "--format", format];
                let a = run(&args);
                let b = run(&args);
                assert!(!a.stdout.is_empty());
                assert_eq!(a.stdout, b.stdout, "{args:?}");
            }
        }
    }
}

fn has_ansi(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn no_colour_when_stdout_is_not_a_terminal() {
    for cmd in ["audit", "breaches"] {
        let o = run(&[cmd, "-s", TICKETS]);
        assert!(!has_ansi(&o.stdout), "{cmd}");
        assert!(!has_ansi(&o.stderr), "{cmd}");
    }
}

#[test]
fn no_colour_with_no_color_set() {
    let o = ys()
        .args(["audit", "-s", TICKETS])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!has_ansi(&o.stdout));
    let o = ys()
        .args(["audit", "-s", TICKETS, "--color", "never"])
        .output()
        .unwrap();
    assert!(!has_ansi(&o.stdout));
}

#[test]
fn colour_always_colours_the_table_only() {
    let o = run(&["audit", "-s", TICKETS, "--color", "always"]);
    assert!(has_ansi(&o.stdout), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("\x1b["), "an SGR sequence");
    assert!(text.contains("FAIL"));
    // machine formats never carry escape codes
    for format in ["csv", "tsv", "json", "markdown", "junit"] {
        let o = run(&[
            "audit", "-s", TICKETS, "--color", "always", "--format", format,
        ]);
        assert!(!has_ansi(&o.stdout), "{format}");
    }
}

// --- broken pipe -----------------------------------------------------------------------------

fn spawn(args: &[&str]) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("yardstick"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn yardstick")
}

fn finish(mut child: std::process::Child) -> (std::process::ExitStatus, String) {
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap(), err)
}

#[test]
fn reader_closed_before_any_output() {
    for format in ["table", "csv", "json"] {
        let mut child = spawn(&["breaches", "-s", TICKETS, "--format", format]);
        drop(child.stdout.take());
        let (status, err) = finish(child);
        assert!(!err.contains("panicked"), "{format}: {err}");
        assert!(!err.contains("Broken pipe"), "{format}: {err}");
        assert_eq!(status.code(), Some(0), "{format}: {err}");
    }
}

#[test]
fn reader_goes_away_after_ten_bytes() {
    // A log large enough that the report does not fit into a pipe's buffer.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("big.csv");
    let mut text =
        String::from("ticket_id,timestamp,event,department,channel,agent,customer_type\n");
    for i in 0..6000 {
        let (h, m) = (i / 60 % 24, i % 60);
        text.push_str(&format!(
            "T-{i},2026-11-16T{h:02}:{m:02}:00Z,created,Support,web,,new\n"
        ));
    }
    std::fs::write(&log, text).unwrap();
    let arg = format!("tickets={}", path_str(&log));
    let mut child = spawn(&[
        "breaches",
        "-s",
        TICKETS,
        "--log",
        &arg,
        "--only",
        "first-reply-10m",
        "--format",
        "csv",
    ]);
    let mut first = [0u8; 10];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    assert_eq!(&first, b"standard,l");
    drop(child.stdout.take());
    let (status, err) = finish(child);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
    assert_eq!(status.code(), Some(0), "{err}");
}
