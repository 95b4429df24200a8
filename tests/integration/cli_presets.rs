//! Helpdesk presets on hand-made exports that follow each vendor's documented header exactly
//! (the column lists of issue 14), with audit numbers worked out by hand from the rows; the
//! same exports with columns missing, which `check --log` names; the table's own keys over the
//! preset's; and the real ServiceNow event log read with its preset.
use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const ZENDESK: &[&str] = &[
    "Id",
    "Requester",
    "Assignee",
    "Group",
    "Subject",
    "Tags",
    "Status",
    "Priority",
    "Via",
    "Ticket type",
    "Created at",
    "Updated at",
    "Assigned at",
    "Organization",
    "Due date",
    "Initially assigned at",
    "Solved at",
    "Satisfaction Score",
    "Reopens",
    "Replies",
    "First reply time in minutes",
    "First reply time in minutes within business hours",
    "First resolution time in minutes",
    "First resolution time in minutes within business hours",
    "Full resolution time in minutes",
    "Full resolution time in minutes within business hours",
    "Agent wait time in minutes",
    "Agent wait time in minutes within business hours",
    "Requester wait time in minutes",
    "Requester wait time in minutes within business hours",
    "On hold time in minutes",
    "On hold time in minutes within business hours",
    "Product [list]",
];

const FRESHDESK: &[&str] = &[
    "Ticket ID",
    "Subject",
    "Status",
    "Priority",
    "Source",
    "Type",
    "Agent",
    "Group",
    "Created time",
    "Due by Time",
    "Resolved time",
    "Closed time",
    "Last update time",
    "Initial response time",
    "Time tracked",
    "First response time (in hrs)",
    "Resolution time (in hrs)",
    "Agent interactions",
    "Customer interactions",
    "Tags",
];

const JIRA: &[&str] = &[
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Priority",
    "Resolution",
    "Assignee",
    "Reporter",
    "Created",
    "Updated",
    "Resolved",
    "Due Date",
    "Custom field (Team)",
];

const ZAMMAD: &[&str] = &[
    "number",
    "title",
    "state",
    "priority",
    "group",
    "owner",
    "customer",
    "organization",
    "created_at",
    "first_response_at",
    "close_at",
    "updated_at",
];

/// The header of the real ServiceNow incident event log (`../shared/data`).
const SERVICENOW: &[&str] = &[
    "number",
    "incident_state",
    "active",
    "reassignment_count",
    "reopen_count",
    "sys_mod_count",
    "made_sla",
    "caller_id",
    "opened_by",
    "opened_at",
    "sys_created_by",
    "sys_created_at",
    "sys_updated_by",
    "sys_updated_at",
    "contact_type",
    "location",
    "category",
    "subcategory",
    "u_symptom",
    "cmdb_ci",
    "impact",
    "urgency",
    "priority",
    "assignment_group",
    "assigned_to",
    "knowledge",
    "u_priority_confirmation",
    "notify",
    "problem_id",
    "rfc",
    "vendor",
    "caused_by",
    "closed_code",
    "resolved_by",
    "resolved_at",
    "closed_at",
];

/// CSV text with `header`, one line per row; a row names the cells it fills, the others are
/// empty (`?` for ServiceNow, which writes no value so).
fn csv(header: &[&str], rows: &[&[(&str, &str)]], empty: &str) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = header
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    for row in rows {
        for (k, _) in row.iter() {
            assert!(header.contains(k), "{k} is not in the header");
        }
        let cells: Vec<String> = header
            .iter()
            .map(|h| {
                row.iter()
                    .find(|(k, _)| k == h)
                    .map_or(empty.to_string(), |(_, v)| quote(v))
            })
            .collect();
        out += &(cells.join(",") + "\n");
    }
    out
}

/// A standards file of one source with `preset`, its log `export`, and `standards`.
fn standards(dir: &Path, preset: &str, export: &Path, extra: &str, standards: &str) -> PathBuf {
    let p = dir.join("s.toml");
    std::fs::write(
        &p,
        format!(
            "version = 1\ntimezone = \"UTC\"\n\n[sources.t]\npreset = \"{preset}\"\npath = {:?}\ntimezone = \"UTC\"\n{extra}\n{standards}",
            path_str(export)
        ),
    )
    .unwrap();
    p
}

fn standard_toml(id: &str, from: &str, to: &str, limit: &str) -> String {
    let rule = match limit.strip_prefix("by ") {
        Some(by) => format!("by = \"{by}\""),
        None => format!("within = \"{limit}\""),
    };
    format!("[[standard]]\nid = \"{id}\"\ntitle = \"{id}\"\nlevel = \"operational\"\nsource = \"t\"\nfrom = \"{from}\"\nto = \"{to}\"\n{rule}\ntarget = 80\n\n")
}

/// Audits `file`; every row read, none skipped.
fn audit(file: &Path, rows: u64, extra: &[&str]) -> Value {
    let f = path_str(file);
    let mut args = vec!["audit", "-s", &f, "--format", "json"];
    args.extend(extra);
    let (r, status) = json(&args);
    assert!(status == 0 || status == 1, "{r}");
    assert_eq!(r["inputs"][0]["rows"], rows, "{r}");
    assert_eq!(r["inputs"][0]["skipped"], 0, "{r}");
    r
}

fn counts(r: &Value, id: &str) -> (i64, i64, i64, i64) {
    let s = standard(r, id);
    let n = |k: &str| s[k].as_i64().unwrap();
    (n("cases"), n("met"), n("breached"), n("open"))
}

/// `init` on `export` writes `preset = "..."`, and its draft reads every row.
fn init_recognises(dir: &Path, export: &Path, preset: &str, rows: u64) -> Value {
    let out = dir.join("draft.toml");
    let o = run(&["init", &path_str(export), "-o", &path_str(&out), "--force"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(&format!("\npreset = \"{preset}\"")), "{text}");
    assert!(!text.contains(".milestones]"), "{text}");
    let o = run(&["check", "-s", &path_str(&out)]);
    assert_eq!(code(&o), 0, "{text}\n{}", stderr(&o));
    audit(&out, rows, &[])
}

/// `check --log` on `export` without `dropped` columns names every one of them.
fn missing_columns_are_named(dir: &Path, file: &Path, text: &str, dropped: &[&str], preset: &str) {
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !dropped.contains(&header[i].as_str()))
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(keep.iter().map(|&i| &header[i])).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(keep.iter().map(|&i| &rec[i])).unwrap();
    }
    let short = dir.join("short.csv");
    std::fs::write(&short, w.into_inner().unwrap()).unwrap();
    let log = format!("t={}", path_str(&short));
    let o = run(&["check", "-s", &path_str(file), "--log", &log]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    for d in dropped {
        assert!(err.contains(&format!("{d:?}")), "{d}: {err}");
    }
    assert!(err.contains(&format!("preset {preset:?}")), "{err}");
}

#[test]
fn zendesk_tickets() {
    let dir = tempfile::tempdir().unwrap();
    // 1: replied after 30 minutes, solved after 2h. 2: replied after 90 minutes (written with
    // a Z offset), solved after 25h. 3: opened 15 minutes before the as-of (the latest time,
    // ticket 2's solve at 2024-03-13 11:00), nothing yet.
    let text = csv(
        ZENDESK,
        &[
            &[
                ("Id", "1"),
                ("Group", "Billing"),
                ("Status", "Solved"),
                ("Created at", "2024-03-12 09:00:00"),
                ("Solved at", "2024-03-12 11:00:00"),
                ("First reply time in minutes", "30"),
                ("Full resolution time in minutes", "120"),
                ("Product [list]", "Widget"),
            ],
            &[
                ("Id", "2"),
                ("Group", "Tech"),
                ("Status", "Solved"),
                ("Created at", "2024-03-12T10:00:00Z"),
                ("Solved at", "2024-03-13T11:00:00Z"),
                ("First reply time in minutes", "90"),
                ("Full resolution time in minutes", "1500"),
            ],
            &[
                ("Id", "3"),
                ("Group", "Billing"),
                ("Status", "Open"),
                ("Created at", "2024-03-13 10:45:00"),
            ],
        ],
        "",
    );
    let export = dir.path().join("zendesk.csv");
    std::fs::write(&export, &text).unwrap();
    let file = standards(
        dir.path(),
        "zendesk-tickets",
        &export,
        "",
        &(standard_toml("reply-1h", "created", "first_reply", "1h")
            + &standard_toml("solved-1d", "created", "solved", "1d")
            + &standard_toml("full-1d", "created", "full_resolution", "1d")),
    );
    let r = audit(&file, 3, &[]);
    assert_eq!(r["period"]["as_of"], "2024-03-13T11:00:00Z");
    assert_eq!(counts(&r, "reply-1h"), (3, 1, 1, 1));
    assert_eq!(counts(&r, "solved-1d"), (3, 1, 1, 1));
    // The duration milestone agrees with the time stamp it mirrors.
    assert_eq!(counts(&r, "full-1d"), counts(&r, "solved-1d"));
    assert_eq!(standard(&r, "reply-1h")["median_s"], 1800);
    // Attributes keep the export's names.
    let r = audit(&file, 3, &["--by", "Group", "--only", "reply-1h"]);
    let billing = r["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"]["Group"] == "Billing")
        .unwrap_or_else(|| panic!("{r}"));
    assert_eq!(billing["met"], 1);
    missing_columns_are_named(
        dir.path(),
        &file,
        &text,
        &["Solved at", "First reply time in minutes"],
        "zendesk-tickets",
    );
    let d = init_recognises(dir.path(), &export, "zendesk-tickets", 3);
    assert_eq!(counts(&d, "first-reply-1h"), (3, 1, 1, 1));
    assert_eq!(counts(&d, "solved-by-due"), (0, 0, 0, 0));
}

#[test]
fn freshdesk_tickets() {
    let dir = tempfile::tempdir().unwrap();
    // 101: answered in 20 minutes, resolved before its due time. 102: answered after 2h,
    // resolved the next morning, after its due time. 103: opened 30 minutes before the
    // as-of (102's close, 2024-05-07 10:00), due later that day.
    let text = csv(
        FRESHDESK,
        &[
            &[
                ("Ticket ID", "101"),
                ("Group", "Support"),
                ("Created time", "2024-05-06 09:00:00"),
                ("Due by Time", "2024-05-06 17:00:00"),
                ("Resolved time", "2024-05-06 15:00:00"),
                ("Closed time", "2024-05-06 16:00:00"),
                ("Initial response time", "2024-05-06 09:20:00"),
                ("First response time (in hrs)", "00:20:00"),
            ],
            &[
                ("Ticket ID", "102"),
                ("Group", "Sales"),
                ("Created time", "2024-05-06 10:00:00"),
                ("Due by Time", "2024-05-06 18:00:00"),
                ("Resolved time", "2024-05-07 09:00:00"),
                ("Closed time", "2024-05-07 10:00:00"),
                ("Initial response time", "2024-05-06 12:00:00"),
            ],
            &[
                ("Ticket ID", "103"),
                ("Group", "Support"),
                ("Created time", "2024-05-07 09:30:00"),
                ("Due by Time", "2024-05-07 17:30:00"),
            ],
        ],
        "",
    );
    let export = dir.path().join("freshdesk.csv");
    std::fs::write(&export, &text).unwrap();
    let file = standards(
        dir.path(),
        "freshdesk-tickets",
        &export,
        "",
        &(standard_toml("reply-1h", "created", "first_reply", "1h")
            + &standard_toml("solved-by-due", "created", "solved", "by due")),
    );
    let r = audit(&file, 3, &[]);
    // The due time is a promise: the as-of is the latest thing that happened.
    assert_eq!(r["period"]["as_of"], "2024-05-07T10:00:00Z");
    assert_eq!(counts(&r, "reply-1h"), (3, 1, 1, 1));
    assert_eq!(counts(&r, "solved-by-due"), (3, 1, 1, 1));
    missing_columns_are_named(
        dir.path(),
        &file,
        &text,
        &["Initial response time", "Due by Time"],
        "freshdesk-tickets",
    );
    let d = init_recognises(dir.path(), &export, "freshdesk-tickets", 3);
    assert_eq!(counts(&d, "first-reply-1h"), (3, 1, 1, 1));
    assert_eq!(counts(&d, "solved-by-due"), (3, 1, 1, 1));
}

#[test]
fn jira_issues() {
    let dir = tempfile::tempdir().unwrap();
    // SUP-1: created 12 March 3:45 PM, resolved the next morning, due the 14th. SUP-2:
    // resolved on the 15th, after its due date. SUP-3: open, created 30 minutes before the
    // as-of (SUP-2's resolution, 15 March 10:00 AM).
    let text = csv(
        JIRA,
        &[
            &[
                ("Issue key", "SUP-1"),
                ("Issue id", "10001"),
                ("Issue Type", "Bug"),
                ("Status", "Done"),
                ("Created", "12/Mar/24 3:45 PM"),
                ("Updated", "13/Mar/24 9:00 AM"),
                ("Resolved", "13/Mar/24 9:00 AM"),
                ("Due Date", "14/Mar/24"),
                ("Custom field (Team)", "Alpha"),
            ],
            &[
                ("Issue key", "SUP-2"),
                ("Issue id", "10002"),
                ("Issue Type", "Task"),
                ("Status", "Done"),
                ("Created", "12/Mar/24 4:00 PM"),
                ("Updated", "15/Mar/24 10:00 AM"),
                ("Resolved", "15/Mar/24 10:00 AM"),
                ("Due Date", "14/Mar/24"),
                ("Custom field (Team)", "Beta"),
            ],
            &[
                ("Issue key", "SUP-3"),
                ("Issue id", "10003"),
                ("Issue Type", "Bug"),
                ("Status", "Open"),
                ("Created", "15/Mar/24 9:30 AM"),
                ("Updated", "15/Mar/24 9:30 AM"),
                ("Due Date", "20/Mar/24"),
            ],
        ],
        "",
    );
    let export = dir.path().join("jira.csv");
    std::fs::write(&export, &text).unwrap();
    let file = standards(
        dir.path(),
        "jira-issues",
        &export,
        "",
        &(standard_toml("solved-1d", "created", "solved", "1d")
            + &standard_toml("solved-by-due", "created", "solved", "by due")),
    );
    let r = audit(&file, 3, &[]);
    assert_eq!(r["period"]["as_of"], "2024-03-15T10:00:00Z");
    // 17h15 (met), 66h (breached), open.
    assert_eq!(counts(&r, "solved-1d"), (3, 1, 1, 1));
    assert_eq!(standard(&r, "solved-1d")["median_s"], 17 * 3600 + 15 * 60);
    // A bare due date lasts to the end of its day: the 13th is before the end of the 14th.
    assert_eq!(counts(&r, "solved-by-due"), (3, 1, 1, 1));
    missing_columns_are_named(
        dir.path(),
        &file,
        &text,
        &["Resolved", "Due Date"],
        "jira-issues",
    );
    let d = init_recognises(dir.path(), &export, "jira-issues", 3);
    assert_eq!(counts(&d, "solved-by-due"), (3, 1, 1, 1));
}

#[test]
fn zammad_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let text = csv(
        ZAMMAD,
        &[
            &[
                ("number", "31001"),
                ("group", "Users"),
                ("state", "closed"),
                ("created_at", "2024-06-03T08:00:00Z"),
                ("first_response_at", "2024-06-03T08:30:00Z"),
                ("close_at", "2024-06-03T12:00:00Z"),
            ],
            &[
                ("number", "31002"),
                ("group", "Users"),
                ("state", "open"),
                ("created_at", "2024-06-03T09:00:00.000Z"),
                ("first_response_at", "2024-06-03T13:00:00+02:00"),
            ],
            &[
                ("number", "31003"),
                ("group", "Sales"),
                ("state", "new"),
                ("created_at", "2024-06-04 07:45:00"),
            ],
        ],
        "",
    );
    let export = dir.path().join("zammad.csv");
    std::fs::write(&export, &text).unwrap();
    let file = standards(
        dir.path(),
        "zammad-tickets",
        &export,
        "",
        &standard_toml("reply-1h", "created", "first_reply", "1h"),
    );
    let r = audit(&file, 3, &[]);
    assert_eq!(r["period"]["as_of"], "2024-06-04T07:45:00Z");
    // 30 minutes; 2 hours (13:00 at +02:00 is 11:00Z); 31003 has just opened.
    assert_eq!(counts(&r, "reply-1h"), (3, 1, 1, 1));
    missing_columns_are_named(
        dir.path(),
        &file,
        &text,
        &["first_response_at", "close_at"],
        "zammad-tickets",
    );
    let d = init_recognises(dir.path(), &export, "zammad-tickets", 3);
    assert_eq!(counts(&d, "first-reply-1h"), (3, 1, 1, 1));
}

/// One row of a ServiceNow incident event log: an update of incident `n` to `state` at `at`.
fn incident(
    n: &'static str,
    state: &'static str,
    at: &'static str,
) -> Vec<(&'static str, &'static str)> {
    vec![
        ("number", n),
        ("incident_state", state),
        ("opened_at", "1/3/2016 09:00"),
        ("sys_updated_at", at),
        ("priority", "3 - Moderate"),
    ]
}

#[test]
fn servicenow_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let row = incident;
    let rows = [
        row("INC1", "New", "1/3/2016 09:00"),
        row("INC1", "Active", "1/3/2016 09:30"),
        row("INC1", "Resolved", "1/3/2016 15:00"),
        row("INC1", "Closed", "6/3/2016 15:00"),
        row("INC2", "New", "2/3/2016 10:00"),
        row("INC2", "Active", "2/3/2016 12:00"),
        row("INC2", "Resolved", "13/3/2016 12:00"),
    ];
    let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
    let text = csv(SERVICENOW, &rows, "?");
    let export = dir.path().join("incidents.csv");
    std::fs::write(&export, &text).unwrap();
    let file = standards(
        dir.path(),
        "servicenow-incidents",
        &export,
        "",
        &(standard_toml("ack-1h", "created", "Active", "1h")
            + &standard_toml("solved-1d", "created", "solved", "1d")),
    );
    let r = audit(&file, 7, &[]);
    // Day first: 13/3 is the 13th of March.
    assert_eq!(r["period"]["as_of"], "2016-03-13T12:00:00Z");
    assert_eq!(counts(&r, "ack-1h"), (2, 1, 1, 0));
    assert_eq!(counts(&r, "solved-1d"), (2, 1, 1, 0));
    missing_columns_are_named(
        dir.path(),
        &file,
        &text,
        &["sys_updated_at", "incident_state"],
        "servicenow-incidents",
    );
    let d = init_recognises(dir.path(), &export, "servicenow-incidents", 7);
    assert_eq!(counts(&d, "taken-up-1h"), (2, 1, 1, 0));
}

/// ServiceNow writes dates in each instance's order and the preset reads day first: a log
/// whose first 64 KiB do not show day first stops with the line to look at and the
/// `time_format` to set, and `init` writes that key out with its reason.
#[test]
fn servicenow_dates_that_do_not_show_day_first() {
    let dir = tempfile::tempdir().unwrap();
    let row = incident;
    let write = |name: &str, rows: &[Vec<(&str, &str)>]| {
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
        let export = dir.path().join(name);
        std::fs::write(&export, csv(SERVICENOW, &rows, "?")).unwrap();
        export
    };
    let standard = standard_toml("ack-1h", "created", "Active", "1h");
    // Every day is 12 or less: either order reads every date.
    let either = write(
        "either.csv",
        &[
            row("INC1", "New", "1/3/2016 09:00"),
            row("INC1", "Active", "1/3/2016 09:30"),
            row("INC2", "New", "2/3/2016 10:00"),
        ],
    );
    // The audit stops with `message`, naming the line.
    let refused = |export: &Path, message: String| {
        let file = standards(dir.path(), "servicenow-incidents", export, "", &standard);
        let o = run(&["audit", "-s", &path_str(&file)]);
        assert_eq!(code(&o), 2);
        assert!(stderr(&o).contains(&message), "{}", stderr(&o));
        file
    };
    let file = refused(&either, format!(
        "{}:2: column \"sys_updated_at\": \"1/3/2016 09:00\" reads both day first and month first, and no date in the first 64 KiB has a first or second field above 12 to tell which this export writes (preset \"servicenow-incidents\" would read day first): set `time_format` in [sources.t] to the order your instance writes: time_format = [\"%d/%m/%Y %H:%M:%S\", \"%d/%m/%Y %H:%M\"] for day first or [\"%m/%d/%Y %H:%M:%S\", \"%m/%d/%Y %H:%M\"] for month first",
        path_str(&either)
    ));
    // `check --log` reads the log the same way.
    let o = run(&[
        "check",
        "-s",
        &path_str(&file),
        "--log",
        &format!("t={}", path_str(&either)),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("reads both day first and month first"),
        "{}",
        stderr(&o)
    );
    // The draft says which order it reads, and why it cannot tell.
    let d = init_recognises(dir.path(), &either, "servicenow-incidents", 3);
    assert_eq!(counts(&d, "taken-up-1h"), (2, 1, 0, 1));
    let draft = std::fs::read_to_string(dir.path().join("draft.toml")).unwrap();
    assert!(draft.contains("time_format = [\"%d/%m/%Y %H:%M\", \"%d/%m/%Y %H:%M:%S\", \"%d-%m-%Y %H:%M\", \"%d-%m-%Y %H:%M:%S\", \"%Y-%m-%d %H:%M:%S\"]   # check: no sampled date tells day first from month first (every day is 12 or less); this reads day first, as the preset does; if your instance writes month first, use [\"%m/%d/%Y %H:%M\", \"%m/%d/%Y %H:%M:%S\", \"%m-%d-%Y %H:%M\", \"%m-%d-%Y %H:%M:%S\", \"%Y-%m-%d %H:%M:%S\"]\n"), "{draft}");

    // Month first: 3/13 is the 13th of March; the preset would have read 3/1 as the 3rd of January.
    let month = write(
        "month.csv",
        &[
            row("INC1", "New", "3/1/2016 09:00"),
            row("INC1", "Active", "3/1/2016 09:30"),
            row("INC2", "New", "3/13/2016 10:00"),
        ],
    );
    refused(&month, format!(
        "{}:4: column \"sys_updated_at\": \"3/13/2016 10:00\" is month first (its second field is above 12), but preset \"servicenow-incidents\" reads day first: set `time_format` in [sources.t] to the order your instance writes, say time_format = [\"%m/%d/%Y %H:%M:%S\", \"%m/%d/%Y %H:%M\"]",
        path_str(&month)
    ));
    // Told the order, it reads every row: INC1 taken up in 30 minutes, INC2 still open.
    let file = standards(
        dir.path(),
        "servicenow-incidents",
        &month,
        "time_format = \"%m/%d/%Y %H:%M\"",
        &standard,
    );
    let r = audit(&file, 3, &[]);
    assert_eq!(r["period"]["as_of"], "2016-03-13T10:00:00Z");
    assert_eq!(counts(&r, "ack-1h"), (2, 1, 0, 1));

    // The day-first draft names the value that shows its order.
    let day = write(
        "day.csv",
        &[
            row("INC1", "New", "1/3/2016 09:00"),
            row("INC1", "Active", "13/3/2016 09:30"),
        ],
    );
    init_recognises(dir.path(), &day, "servicenow-incidents", 2);
    let draft = std::fs::read_to_string(dir.path().join("draft.toml")).unwrap();
    assert!(draft.contains("   # guess: day first, as \"sys_updated_at\" has \"13/3/2016 09:30\" (month first: [\"%m/%d/%Y %H:%M\""), "{draft}");
}

/// The real ServiceNow event log reads with the preset alone, both spellings of its dates; the
/// numbers are those of `standards/examples/servicenow-incidents.toml` (whose mapping is
/// written out by hand), computed independently by `tests/reference/real_data.py`.
#[test]
fn the_real_servicenow_log_reads_with_its_preset() {
    let base: PathBuf = match std::env::var_os("YARDSTICK_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("..").join("shared").join("data"),
    };
    let (original, excel) = (
        base.join("servicenow-incident-log/incident_event_log.csv"),
        base.join("servicenow-incident-log-excel/incident_event_log.csv"),
    );
    if !original.is_file() || !excel.is_file() {
        skip("the ServiceNow incident logs are not here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let to =
        "to = [\"Active\", \"Awaiting User Info\", \"Awaiting Problem\", \"solved\", \"closed\"]";
    let file = standards(
        dir.path(),
        "servicenow-incidents",
        &original,
        "",
        &format!(
            "[[standard]]\nid = \"acknowledged-1h\"\ntitle = \"t\"\nlevel = \"operational\"\nfrom = \"created\"\n{to}\nwithin = \"1h\"\ntarget = 80\n\n\
             [[standard]]\nid = \"resolved-8h-excluding-waits\"\ntitle = \"t\"\nlevel = \"operational\"\nfrom = \"created\"\nto = \"solved\"\nwithin = \"8h\"\npause_on = [\"Awaiting User Info\", \"Awaiting Problem\"]\nresume_on = \"Active\"\ntarget = 80\n"
        ),
    );
    let r = audit(&file, 198, &[]);
    let full = |id: &str| {
        let s = standard(&r, id);
        (counts(&r, id), s["median_s"].as_i64())
    };
    assert_eq!(full("acknowledged-1h"), ((24, 4, 20, 0), Some(30300)));
    assert_eq!(
        full("resolved-8h-excluding-waits"),
        ((24, 7, 17, 0), Some(87780))
    );
    let log = format!("t={}", path_str(&excel));
    let r = audit(&file, 5998, &["--log", &log]);
    assert_eq!(r["inputs"][0]["skipped"], 0);
}

/// The table's own keys win, key by key; a milestone entry replaces the preset's of that name
/// and keeps the others.
#[test]
fn own_keys_are_merged_over_the_preset() {
    let dir = tempfile::tempdir().unwrap();
    // An export whose creation column was renamed: only `created` is remapped.
    let header: Vec<&str> = ZAMMAD
        .iter()
        .map(|h| if *h == "created_at" { "opened" } else { h })
        .collect();
    let text = csv(
        &header,
        &[&[
            ("number", "1"),
            ("opened", "03.06.2024 08:00"),
            ("first_response_at", "03.06.2024 08:40"),
        ]],
        "",
    );
    let export = dir.path().join("z.csv");
    std::fs::write(&export, &text).unwrap();
    let file = standards(
        dir.path(),
        "zammad-tickets",
        &export,
        "time_format = \"%d.%m.%Y %H:%M\"\n\n[sources.t.milestones]\ncreated = \"opened\"\n",
        &standard_toml("reply-1h", "created", "first_reply", "1h"),
    );
    let r = audit(&file, 1, &[]);
    assert_eq!(counts(&r, "reply-1h"), (1, 1, 0, 0));
    assert_eq!(standard(&r, "reply-1h")["median_s"], 2400);
    // An unknown preset names the known ones, at its line.
    std::fs::write(
        &file,
        "version = 1\n[sources.t]\npreset = \"zendesk\"\n\n[[standard]]\nid = \"x\"\ntitle = \"x\"\nlevel = \"operational\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\ntarget = 80\n",
    )
    .unwrap();
    let o = run(&["check", "-s", &path_str(&file)]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(":3:") && stderr(&o).contains("\"zendesk-tickets\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn presets_lists_and_shows() {
    let o = run(&["presets"]);
    assert_eq!(code(&o), 0);
    for name in [
        "zendesk-tickets",
        "freshdesk-tickets",
        "jira-issues",
        "servicenow-incidents",
        "zammad-tickets",
    ] {
        assert!(stdout(&o).contains(name), "{name}");
    }
    let o = run(&["presets", "zendesk-tickets"]);
    let text = stdout(&o);
    assert!(text.contains("  First reply time in minutes\n"), "{text}");
    assert!(text.contains(
        "first_reply = { after = \"created\", minutes = \"First reply time in minutes\" }"
    ));
    let o = run(&["presets", "nope"]);
    assert_eq!(code(&o), 2);
}

/// A milestone from a duration column, in any cases-layout source: minutes, hours (a number or
/// H:MM:SS), an empty cell meaning not yet, a bad cell a counted skip, an unknown base an error.
#[test]
fn a_milestone_from_a_duration_column() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("d.csv");
    std::fs::write(
        &export,
        "id,opened,reply_min,fix_hrs\n\
         a,2026-01-05 09:00,45,1.5\n\
         b,2026-01-05 10:00,75,02:30:00\n\
         c,2026-01-05 11:00,,\n\
         d,2026-01-05 11:30,soon,1\n",
    )
    .unwrap();
    let file = dir.path().join("s.toml");
    let head = format!(
        "version = 1\n[sources.t]\npath = {:?}\nlayout = \"cases\"\ncase = \"id\"\ntimezone = \"UTC\"\n\n[sources.t.milestones]\nopened = \"opened\"\n",
        path_str(&export)
    );
    std::fs::write(
        &file,
        format!(
            "{head}reply = {{ after = \"opened\", minutes = \"reply_min\" }}\nfixed = {{ after = \"opened\", hours = \"fix_hrs\" }}\n\n{}{}",
            standard_toml("reply-1h", "opened", "reply", "1h"),
            standard_toml("fixed-2h", "opened", "fixed", "2h")
        )
        .replace("source = \"t\"\n", ""),
    )
    .unwrap();
    let (r, _) = json(&["audit", "-s", &path_str(&file), "--format", "json"]);
    // d's "soon" is no duration: its row is skipped and counted, the rest read.
    assert_eq!(r["inputs"][0]["rows"], 4);
    assert_eq!(r["inputs"][0]["skipped"], 1, "{r}");
    assert!(r["inputs"][0]["skipped_reasons"]
        .to_string()
        .contains("unparseable duration"));
    // As-of: b's fix at 12:30. a: 45m (met), b: 75m (breached), c: open 1h30 at the as-of
    // (breached: past the hour).
    assert_eq!(r["period"]["as_of"], "2026-01-05T12:30:00Z");
    assert_eq!(counts(&r, "reply-1h"), (3, 1, 2, 0));
    // a: 1h30 (met), b: 2h30 (breached), c: 1h30 at the as-of, still open.
    assert_eq!(counts(&r, "fixed-2h"), (3, 1, 1, 1));
    // A base that is not a column milestone is an error at its line.
    std::fs::write(
        &file,
        format!(
            "{head}reply = {{ after = \"created\", minutes = \"reply_min\" }}\n\n{}",
            standard_toml("reply-1h", "opened", "reply", "1h")
        ),
    )
    .unwrap();
    let o = run(&["check", "-s", &path_str(&file)]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(":10:") && stderr(&o).contains("is after \"created\""),
        "{}",
        stderr(&o)
    );
}
