//! The README's table "From your helpdesk's metric to a yardstick standard": every standard
//! it shows is in `standards/examples/helpdesk-metrics.toml` (every code span of the table is
//! a line of that file), the file passes `check`, and its audit of the fixtures in
//! `tests/fixtures/helpdesk-metrics/` gives these numbers, by hand (UTC; office Mon-Fri
//! 09:00-17:00; 2026-11-16 is a Monday):
//!
//! Zendesk
//! - Z1: created Mon 09:00, reply 09:30 (first reply 30m: met); customer 10:00, reply 13:00
//!   (3h: met); pending 13:05 to open Tue 10:01; customer Tue 10:00, reply 11:00 (1h: met);
//!   solved Tue 12:00. Updates 09:30 -> 13:00 -> Tue 11:00 -> solved 12:00: 3h30m, 22h, 1h,
//!   all met. Requester wait: 27h - 20h56m pending = 6h04m (met). Agent work: 11h of office
//!   time - 3h55m - 1h01m pending = 6h04m (met). Solved on the 2nd day: met.
//! - Z2: created Tue 16:30, reply Wed 10:00 (30m + 1h = 1h30m of office time: breached);
//!   customer Wed 11:00, reply 16:00 (5h: breached); on hold Wed 12:00 to open Fri 09:00;
//!   solved Fri 16:00. Updates Wed 10:00 -> 16:00 (met), Wed 16:00 -> Fri 16:00 (48h:
//!   breached). Requester wait 71h30m (on hold counts: breached). Agent work 23h30m of office
//!   time - 13h on hold = 10h30m (breached). Solved on the 3rd open day after Tue: met.
//!
//! Jira Service Management
//! - SUP-1: created Mon 09:00, public comment 12:00 (3h: met); waiting for customer Mon
//!   14:00 to the customer's comment Tue 14:00 (8h of office time); resolved Wed 12:00:
//!   19h - 8h = 11h (met).
//! - SUP-2: created Mon 15:00, public comment Tue 12:00 (2h + 3h = 5h: breached); resolved
//!   Thu 10:00: 19h (breached).
//!
//! ServiceNow (as-of: the log's last row, Tue 24 16:30)
//! - INC001: New Mon 10:00: taken up Tue 15:00 (due Tue 16:00: met); resolved Wed 11:00
//!   (due Wed 12:00: met).
//! - INC002: New Mon 16:30, past 16:00, so its day is Tue: taken up Wed 15:30 (due Wed 16:00:
//!   met); resolved Thu 12:30 (due Thu 12:00: breached).
//! - INC003: New Fri 17:30, after the close: its day is Mon 23; taken up Tue 24 16:30 (due
//!   Tue 16:00: breached); not resolved, due Wed 25 12:00: open.
//! - Before the close of the next business day (Tue 16:59:59 for INC001 and INC002, Tue 24
//!   for INC003): INC001 (Wed) and INC002 (Thu) breached, INC003 open.

use crate::common;

use common::*;

const S: &str = "standards/examples/helpdesk-metrics.toml";

#[test]
fn every_row_of_the_readme_table_is_a_standard_of_the_example_file() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let file = std::fs::read_to_string(root().join(S)).unwrap();
    // Each [[standard]] table's lines, comments left out.
    let standards: Vec<Vec<&str>> = file
        .split("[[standard]]")
        .skip(1)
        .map(|t| {
            t.lines()
                .map(|l| l.split(" #").next().unwrap().trim())
                .take_while(|l| !l.starts_with('['))
                .collect()
        })
        .collect();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("### From your helpdesk's metric to a yardstick standard"))
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| helpdesk") && !l.starts_with("| ---"))
        .collect();
    assert_eq!(table.len(), standards.len(), "{table:?}");
    for row in &table {
        let cells: Vec<&str> = row.split(" | ").collect();
        let spans: Vec<&str> = cells
            .last()
            .unwrap()
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        assert!(spans.len() >= 3, "{row}");
        assert!(
            standards
                .iter()
                .any(|lines| spans.iter().all(|s| lines.contains(s))),
            "README row {row}: no standard of {S} has all of {spans:?}"
        );
    }
}

#[test]
fn the_example_file_checks() {
    let o = run(&["check", "-s", S]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("ok: 11 standards and 3 sources in 1 file\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_example_file_audits_the_fixtures_by_hand() {
    let (r, status) = json(&["audit", "-s", S, "--format", "json"]);
    assert_eq!(status, 1);
    let got: Vec<(String, [i64; 3], Option<i64>)> = r["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                ["met", "breached", "open"].map(|k| s[k].as_i64().unwrap()),
                s["max_s"].as_i64(),
            )
        })
        .collect();
    let want: Vec<(String, [i64; 3], Option<i64>)> = [
        ("zd-first-reply-1h", [1, 1, 0], 5400),
        ("zd-next-reply-4h", [2, 1, 0], 18000),
        ("zd-periodic-update-24h", [4, 1, 0], 172800),
        ("zd-requester-wait-24h", [1, 1, 0], 257400),
        ("zd-agent-work-8h", [1, 1, 0], 37800),
        ("zd-resolution-3-days", [2, 0, 0], 84600),
        ("jsm-time-to-first-response-4h", [1, 1, 0], 18000),
        ("jsm-time-to-resolution-16h", [1, 1, 0], 68400),
        ("snow-response-next-day-by-16", [2, 1, 0], 55800),
        ("snow-resolution-2-days-by-12", [1, 1, 1], 72000),
        ("snow-resolution-next-day-end", [0, 2, 1], 72000),
    ]
    .into_iter()
    .map(|(id, c, max)| (id.to_string(), c, Some(max)))
    .collect();
    assert_eq!(got, want);
    // The pauses: 6h04m of requester wait and of agent work for Z1.
    let median = |id: &str| standard(&r, id)["median_s"].as_i64().unwrap();
    assert_eq!(median("zd-requester-wait-24h"), 21840);
    assert_eq!(median("zd-agent-work-8h"), 21840);
}
