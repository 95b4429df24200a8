//! Hostile input through the binary: what real exports do to a CSV reader. Every row read is
//! accounted for (used, or skipped under a reason), nothing panics, and the numbers on the rows
//! that could be used stay exact.
use crate::common;
#[path = "../hostile/harness.rs"]
mod harness;

use common::*;
use serde_json::Value;

const STANDARDS: &str = r#"version = 1
timezone = "Europe/Berlin"

[sources.t]
layout = "events"
case = "id"
time = "ts"
event = "ev"
timezone = "Europe/Berlin"

[[standard]]
id = "reply-1h"
title = "Every ticket is answered within an hour"
from = "created"
to = "reply"
within = "1h"

[[standard]]
id = "two-follow-ups"
title = "Every ticket is followed up twice within a day"
from = "created"
count = "follow_up"
at_least = 2
within = "1d"
"#;

/// A standards file and a log in a folder of their own, the log bound to `source`.
struct Case {
    _dir: tempfile::TempDir,
    standards: String,
    source: &'static str,
    log: String,
}

/// `csv` as the log of source `t` of `STANDARDS`.
fn case(csv: &[u8]) -> Case {
    Case::new(STANDARDS, "t", csv)
}

impl Case {
    fn new(standards: &str, source: &'static str, csv: &[u8]) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let s = dir.path().join("s.toml");
        std::fs::write(&s, standards).unwrap();
        let l = dir.path().join("log.csv");
        std::fs::write(&l, csv).unwrap();
        Case {
            standards: path_str(&s),
            source,
            log: path_str(&l),
            _dir: dir,
        }
    }

    /// `args[0]` (the command) with the standards and the log, then the rest of `args`.
    fn run(&self, args: &[&str]) -> std::process::Output {
        let log = format!("{}={}", self.source, self.log);
        let mut all = vec![args[0], "-s", &self.standards, "--log", &log];
        all.extend(&args[1..]);
        run(&all)
    }

    fn json(&self, args: &[&str]) -> Value {
        let o = self.run(args);
        assert!(
            code(&o) == 0 || code(&o) == 1,
            "exit {}: {}",
            code(&o),
            stderr(&o)
        );
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    }

    fn breaches(&self) -> Vec<Value> {
        self.json(&["breaches", "--format", "json", "--allow-bad-rows"])["breaches"]
            .as_array()
            .unwrap()
            .clone()
    }
}

fn input(r: &Value) -> &Value {
    &r["inputs"][0]
}

#[test]
fn line_ends_bom_quotes_and_bare_cr() {
    // BOM, CRLF and LF mixed, a quoted cell with a CRLF inside, and a bare CR inside an
    // unquoted cell (data, not a line break: records end at LF).
    let csv = b"\xEF\xBB\xBFid,ts,ev,note\r\n\
        T-1,2024-05-06 09:00,created,\"two\r\nlines\"\r\n\
        T-1,2024-05-06 09:10,reply,plain\n\
        T-2,2024-05-06 10:00,created,a bare\rCR\r\n\
        T-2,2024-05-06 12:00,reply,\r\n";
    let c = case(csv);
    let r = c.json(&["audit", "--format", "json"]);
    assert_eq!(input(&r)["rows"], 4);
    assert_eq!(input(&r)["used"], 4);
    let s = standard(&r, "reply-1h");
    assert_eq!(
        (s["met"].as_i64(), s["breached"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["max_s"], 7200);
}

#[test]
fn bad_rows_are_skipped_and_counted_by_reason() {
    let mut csv = b"id,ts,ev\n\
        T-1,2024-05-06 09:00,created\n\
        T-1,2024-05-06 09:10,reply,extra\n\
        T-2,2024-05-06 09:00\n"
        .to_vec();
    csv.extend_from_slice(b"T-3,2024-05-06 09:00,cr\xE9ated\n");
    csv.extend_from_slice(
        b",2024-05-06 09:00,created\nT-4,,created\nT-5,yesterday,created\nT-6,2024-05-06 09:00,\n",
    );
    csv.extend_from_slice(b"T-1,2024-05-06 09:20,reply\n");
    let c = case(&csv);
    let r = c.json(&["audit", "--format", "json", "--allow-bad-rows"]);
    let i = input(&r);
    assert_eq!(
        (
            i["rows"].as_u64(),
            i["used"].as_u64(),
            i["skipped"].as_u64()
        ),
        (Some(9), Some(2), Some(7))
    );
    let reasons = &i["skipped_reasons"];
    assert_eq!(reasons["wrong number of fields"], 2);
    assert_eq!(reasons["invalid UTF-8"], 1);
    assert_eq!(reasons["missing case id"], 1);
    assert_eq!(reasons["missing timestamp"], 1);
    assert_eq!(reasons["unparseable timestamp"], 1);
    assert_eq!(reasons["missing event name"], 1);
    // T-1 is still measured from the rows that could be used: 09:00 -> 09:20.
    assert_eq!(standard(&r, "reply-1h")["max_s"], 1200);

    // Without --allow-bad-rows, a file most of whose rows are bad stops the audit.
    let o = c.run(&["audit"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("7 of 9 rows could not be used"), "{err}");
    assert!(err.contains("--allow-bad-rows"), "{err}");

    // --strict names the file, the line and the column of the first bad row.
    let o = c.run(&["audit", "--strict"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("log.csv:3"), "{}", stderr(&o));
}

#[test]
fn empty_and_header_only_files() {
    let c = case(b"");
    let o = c.run(&["audit"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("the file is empty"), "{}", stderr(&o));

    let c = case(b"id,ts,ev\r\n");
    let r = c.json(&["audit", "--format", "json"]);
    assert_eq!(input(&r)["rows"], 0);
    let s = standard(&r, "reply-1h");
    assert_eq!(s["cases"], 0);
    assert!(s["compliance"].is_null());
    assert!(s["passed"].is_null());
}

#[test]
fn duplicate_header_names_become_distinct_attributes() {
    let c = case(
        b"id,ts,ev,team,team\n\
          T-1,2024-05-06 09:00,created,emea,first-line\n\
          T-1,2024-05-06 09:30,reply,emea,first-line\n",
    );
    let r = c.json(&[
        "audit", "--format", "json", "--by", "team_2", "--only", "reply-1h",
    ]);
    assert_eq!(r["standards"][0]["group"]["team_2"], "first-line");
    // A column a standard needs must not be ambiguous.
    let c = case(b"id,ts,ts,ev\nT-1,2024-05-06 09:00,2024-05-06 09:00,created\n");
    let o = c.run(&["audit"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("\"ts\""), "{}", stderr(&o));
    assert!(stderr(&o).contains("more than once"), "{}", stderr(&o));
}

#[test]
fn order_duplicates_and_a_reply_before_the_start() {
    // T-1's rows are out of time order; T-2 has a reply before it was created (ignored: the
    // clock stops at the first reply at or after its start); T-3's follow-up row is exported
    // twice, and a count counts rows as they are (documented: duplicates are not guessed at).
    let c = case(
        b"id,ts,ev\n\
          T-1,2024-05-06 09:40,reply\n\
          T-1,2024-05-06 09:00,created\n\
          T-2,2024-05-06 08:00,reply\n\
          T-2,2024-05-06 09:00,created\n\
          T-2,2024-05-06 09:30,reply\n\
          T-3,2024-05-06 09:00,created\n\
          T-3,2024-05-06 10:00,follow_up\n\
          T-3,2024-05-06 10:00,follow_up\n\
          T-3,2024-05-06 10:05,reply\n",
    );
    let r = c.json(&["audit", "--format", "json"]);
    let s = standard(&r, "reply-1h");
    assert_eq!(
        (s["met"].as_i64(), s["breached"].as_i64()),
        (Some(2), Some(1))
    );
    // 1800 (T-2), 2400 (T-1), 3900 (T-3, breached) -> median 2400
    assert_eq!(s["median_s"], 2400);
    // T-3's duplicated row makes two follow-ups: met. T-1 and T-2 have none, but their day is
    // not over at the as-of (the log's last event, 10:05): open.
    let f = standard(&r, "two-follow-ups");
    assert_eq!(
        (
            f["met"].as_i64(),
            f["breached"].as_i64(),
            f["open"].as_i64()
        ),
        (Some(1), Some(0), Some(2))
    );
}

#[test]
fn daylight_saving_gaps_and_repeats_in_local_times() {
    // Berlin, 31 March 2024: 02:00 -> 03:00. 01:50 is 00:50Z and 03:10 is 01:10Z: 20 minutes
    // passed although the wall clock moved 1h20. 27 October 2024: 02:00-03:00 happens twice;
    // the earlier reading (CEST) is taken, so 02:30 -> 02:50 is 20 minutes.
    // A time inside the gap (02:30 on 31 March) is read with the offset before the change.
    let c = case(
        b"id,ts,ev\n\
          S-1,2024-03-31 01:50,created\n\
          S-1,2024-03-31 03:10,reply\n\
          A-1,2024-10-27 02:30,created\n\
          A-1,2024-10-27 02:50,reply\n\
          G-1,2024-03-31 02:30,created\n\
          G-1,2024-03-31 03:40,reply\n",
    );
    let r = c.json(&["audit", "--format", "json", "--only", "reply-1h"]);
    let s = standard(&r, "reply-1h");
    assert_eq!(s["met"], 3, "{s}");
    // G-1: 02:30 is read as 01:30Z (03:30 CEST): to 03:40 CEST is 600 s.
    assert_eq!(s["median_s"], 1200);
    assert_eq!(s["max_s"], 1200);
    let o = c.run(&[
        "breaches",
        "--format",
        "json",
        "--only",
        "reply-1h",
        "--as-of",
        "2025-01-01",
    ]);
    assert_eq!(code(&o), 0);
}

#[test]
fn far_dates_leading_zeros_and_huge_fields() {
    let huge = "x".repeat(2_000_000);
    let csv = format!(
        "id,ts,ev,note\n\
         007,1900-01-01 00:00,created,{huge}\n\
         007,1900-01-01 02:00,reply,\n\
         7,9999-12-31 22:00,created,\n\
         7,9999-12-31 22:30,reply,\n"
    );
    let c = case(csv.as_bytes());
    let b: Vec<Value> = c
        .breaches()
        .into_iter()
        .filter(|x| x["standard"] == "reply-1h")
        .collect();
    let ids: Vec<&str> = b.iter().map(|x| x["case"].as_str().unwrap()).collect();
    // "007" and "7" are different tickets; only 007 (2 hours) is breached.
    assert_eq!(ids, ["007"]);
    assert_eq!(b[0]["elapsed_s"], 7200);
    assert_eq!(
        b[0]["attributes"]["note"].as_str().unwrap().len(),
        2_000_000
    );
}

#[test]
fn a_case_row_with_every_milestone_empty_is_read_but_is_no_case() {
    let c = Case::new(
        "version = 1\n[sources.o]\nlayout = \"cases\"\ncase = \"order\"\n[sources.o.milestones]\nplaced = \"placed_at\"\npaid = \"paid_at\"\n\
         [[standard]]\nid = \"paid-1h\"\ntitle = \"Paid within an hour\"\nfrom = \"placed\"\nto = \"paid\"\nwithin = \"1h\"\n",
        "o",
        b"order,placed_at,paid_at\nA,2024-05-06 09:00,2024-05-06 09:30\nB,,\nC,2024-05-06 10:00,\n",
    );
    let r = c.json(&["audit", "--format", "json"]);
    assert_eq!(r["inputs"][0]["rows"], 3);
    assert_eq!(r["inputs"][0]["used"], 3);
    let st = standard(&r, "paid-1h");
    // A is met; C was never paid but the log ends at 10:00, so it is open; B is no case.
    assert_eq!(
        (
            st["cases"].as_i64(),
            st["met"].as_i64(),
            st["open"].as_i64()
        ),
        (Some(2), Some(1), Some(1))
    );
}

#[test]
fn a_misspelt_where_value_is_reported_not_passed_as_no_data() {
    let c = Case::new(
        &format!("{STANDARDS}\n[[standard]]\nid = \"critical\"\ntitle = \"t\"\nwhere = {{ prio = \"critical\" }}\nfrom = \"created\"\nto = \"reply\"\nwithin = \"1h\"\n"),
        "t",
        b"id,ts,ev,prio\nT-1,2024-05-06 09:00,created,Critical\nT-1,2024-05-06 09:10,reply,Critical\n",
    );
    let o = c.run(&["audit", "--only", "critical"]);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains(
            "standard \"critical\": `where` prio = \"critical\" matches no case in the log; the values of prio are: \"Critical\""
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_milestone_before_the_clock_start_is_flagged() {
    let c = Case::new(
        "version = 1\n[sources.o]\nlayout = \"cases\"\ncase = \"t\"\n[sources.o.milestones]\nresponded = \"first_response\"\nresolved = \"resolved_at\"\n\
         [[standard]]\nid = \"resolve-1d\"\ntitle = \"Resolved within a day of the first response\"\nfrom = \"responded\"\nto = \"resolved\"\nwithin = \"1d\"\n",
        "o",
        b"t,first_response,resolved_at\n1,2023-06-01 10:00,2023-06-01 09:00\n2,2023-06-01 10:00,2023-06-01 11:00\n3,2023-06-03 10:00,\n",
    );
    let r = c.json(&["audit", "--format", "json"]);
    // Ticket 1 was resolved before its first response: its clock never stops.
    assert_eq!(standard(&r, "resolve-1d")["breached"], 1);
    let o = c.run(&["audit"]);
    assert!(
        stderr(&o).contains(
            "standard \"resolve-1d\": 1 case(s) have their `to` milestone before the clock's start"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_period_that_ends_after_the_log_is_said() {
    let c = case(b"id,ts,ev\nT-1,2024-05-06 09:00,created\n");
    let o = c.run(&["audit", "--week", "2024-W19"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("the period ends at 2024-05-13T00:00:00+02:00 but the latest time in source \"t\" is 2024-05-06T09:00:00+02:00"), "{err}");
    assert!(err.contains("--as-of"), "{err}");
    // With --as-of at the export's time, T-1 is judged then: still open, nothing is said.
    let o = c.run(&["audit", "--week", "2024-W19", "--as-of", "2024-05-06 09:30"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!stderr(&o).contains("the period ends"), "{}", stderr(&o));
}

/// Writes `files` (name, text) into a temporary folder.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const ORDERS: &str = "version = 1\n[sources.o]\nlayout = \"cases\"\ncase = \"order\"\n\
    date_columns = [\"deadline\"]\ndeadlines = [\"deadline\"]\n[sources.o.milestones]\nplaced = \"placed_at\"\n\
    delivered = \"delivered_at\"\ndeadline = \"due\"\n\
    [[standard]]\nid = \"deliver-3d\"\ntitle = \"x\"\nfrom = \"placed\"\nto = \"delivered\"\nwithin = \"3d\"\n\
    [[standard]]\nid = \"by-deadline\"\ntitle = \"x\"\nfrom = \"placed\"\nto = \"delivered\"\nby = \"deadline\"\n";

#[test]
fn a_blank_line_in_a_crlf_file_is_no_row() {
    let c = case(b"id,ts,ev\r\nT-1,2024-05-06 09:00,created\r\n\r\nT-1,2024-05-06 09:05,reply\r\n");
    let r = c.json(&["audit", "--format", "json", "--strict"]);
    assert_eq!(
        (input(&r)["rows"].as_u64(), input(&r)["skipped"].as_u64()),
        (Some(2), Some(0))
    );
}

#[test]
fn date_columns_take_milestone_names_and_promises_never_move_the_as_of() {
    // A's deadline is the date 2026-11-05 (written with 00:00:00): delivered at 20:00 that
    // day is in time. B is undelivered; the log's latest time is A's delivery, not the
    // promised dates, whichever standards are selected.
    let dir = folder(&[
        ("s.toml", ORDERS),
        (
            "o.csv",
            "order,placed_at,delivered_at,due\n\
             A,2026-11-01 10:00:00,2026-11-05 20:00:00,2026-11-05 00:00:00\n\
             B,2026-11-04 10:00:00,,2026-11-20 00:00:00\n",
        ),
    ]);
    let s = path_str(&dir.path().join("s.toml"));
    let log = format!("o={}", path_str(&dir.path().join("o.csv")));
    let (all, _) = json(&["audit", "-s", &s, "--log", &log, "--format", "json"]);
    assert_eq!(standard(&all, "by-deadline")["met"], 1);
    assert_eq!(
        utc(all["period"]["as_of"].as_str().unwrap()),
        "2026-11-05T20:00:00Z"
    );
    let (only, _) = json(&[
        "audit",
        "-s",
        &s,
        "--log",
        &log,
        "--format",
        "json",
        "--only",
        "deliver-3d",
    ]);
    assert_eq!(only["period"]["as_of"], all["period"]["as_of"]);
    assert_eq!(
        standard(&only, "deliver-3d")["open"],
        standard(&all, "deliver-3d")["open"]
    );
    let o = run(&[
        "explain",
        "-s",
        &s,
        "--log",
        &log,
        "--standard",
        "deliver-3d",
        "--case",
        "B",
    ]);
    assert!(stdout(&o).contains("verdict   OPEN"), "{}", stdout(&o));
}

#[test]
fn where_and_by_take_attribute_columns_only() {
    let dir = folder(&[
        ("s.toml", ORDERS),
        (
            "o.csv",
            "order,placed_at,delivered_at,due,shop\nA,2026-11-01 10:00:00,,2026-11-05,x\n",
        ),
    ]);
    let s = path_str(&dir.path().join("s.toml"));
    let log = format!("o={}", path_str(&dir.path().join("o.csv")));
    let o = run(&["audit", "-s", &s, "--log", &log, "--by", "order"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("column \"order\""), "{err}");
    assert!(err.contains("not an attribute"), "{err}");
    assert!(err.contains("\"shop\""), "{err}");
    assert!(!err.contains("internal error"), "{err}");
}

// Readers: data never becomes commands. Values that try to drive a terminal (ESC sequences,
// an OSC 8 link, C1 controls), to move the cursor (a bare CR), to break a table (a tab) or to
// start a GitHub workflow command on a line of its own (`\n::error::...`), in a log and in a
// standards file.

const HOSTILE_STANDARDS: &str = "version = 1
timezone = \"UTC\"

[sources.t]
layout = \"events\"
case = \"id\"
time = \"ts\"
event = \"ev\"
timezone = \"UTC\"

[[standard]]
id = \"reply-1h\"
title = \"Answered \\u001b[31mfast\\u001b[0m, <script>alert(1)</script>\\n::error::pwned\"
from = \"created\"
to = \"reply\"
within = \"1h\"

[[standard]]
id = \"two-follow-ups\"
title = \"Followed up twice\"
from = \"created\"
count = \"follow_up\"
at_least = 2
within = \"1d\"
";

/// The `team` values, each on both rows of its case; every case is answered late.
const TEAMS: [&str; 7] = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",
    "bare\rCR",
    "x\n::error::pwned",
    "<script>alert(1)</script>",
    "tab\there \u{9b}31m\u{85}",
    "wrap me ::error::pwned",
];

fn hostile() -> (tempfile::TempDir, String, String) {
    let mut csv = String::from("id,ts,ev,team\n");
    for (i, team) in TEAMS.iter().enumerate() {
        let quoted = format!("\"{}\"", team.replace('"', "\"\""));
        csv.push_str(&format!("T-{i},2026-11-16 09:00,created,{quoted}\n"));
        csv.push_str(&format!("T-{i},2026-11-16 11:00,reply,{quoted}\n"));
    }
    // A case id with an ESC, an event value that no standard reads (the warning about the
    // missing `follow_up` lists it) and a time that cannot be read (the skip example quotes it).
    csv.push_str("\"E\x1b[2J\",2026-11-16 09:00,created,plain\n");
    csv.push_str("\"E\x1b[2J\",2026-11-16 12:00,reply,plain\n");
    csv.push_str("N-1,2026-11-16 10:00,\"note\n::error::pwned\",plain\n");
    csv.push_str("N-2,\"\x1b[31m\n::error::pwned\",created,plain\n");
    let dir = folder(&[("s.toml", HOSTILE_STANDARDS), ("log.csv", &csv)]);
    let s = path_str(&dir.path().join("s.toml"));
    let log = format!("t={}", path_str(&dir.path().join("log.csv")));
    (dir, s, log)
}

/// No control character but the line breaks, and no line that GitHub's runner would take for
/// a workflow command (it trims leading whitespace first), unless `own` says it is one of
/// yardstick's.
fn assert_inert(what: &str, bytes: &[u8], own: impl Fn(&str) -> bool) {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what}: a control character got through:\n{text:?}"
    );
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("::") || own(line),
            "{what}: a line passes for a workflow command: {line:?}\n{text}"
        );
    }
}

fn no_command(_: &str) -> bool {
    false
}

#[test]
fn tables_explain_and_stderr_show_control_characters_escaped() {
    let (_dir, s, log) = hostile();
    let base = ["-s", s.as_str(), "--log", log.as_str()];
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("audit --by team", vec!["audit", "--by", "team"]),
        ("audit", vec!["audit"]),
        ("breaches", vec!["breaches"]),
        ("breaches --by team", vec!["breaches", "--by", "team"]),
        ("trend", vec!["trend"]),
        (
            "explain",
            vec!["explain", "--standard", "reply-1h", "--case", "T-3"],
        ),
        (
            "explain (escaped case id)",
            vec!["explain", "--standard", "reply-1h", "--case", "E\x1b[2J"],
        ),
        ("check", vec!["check"]),
    ];
    for (what, args) in runs {
        let mut all = vec![args[0]];
        all.extend(base);
        all.extend(&args[1..]);
        let o = run(&all);
        assert!(code(&o) < 2 || what == "check", "{what}: {}", stderr(&o));
        if what != "check" {
            assert_inert(what, &o.stdout, no_command);
        }
        assert_inert(&format!("{what} (stderr)"), &o.stderr, no_command);
    }

    // The values are shown, escaped, not dropped.
    let table = stdout(&run(&["audit", "-s", &s, "--log", &log, "--by", "team"]));
    assert!(table.contains("\\u{1b}[31mred"), "{table}");
    assert!(table.contains("x\\n::error::pwned"), "{table}");
    assert!(table.contains("bare\\rCR"), "{table}");
    assert!(table.contains("Answered \\u{1b}[31mfast"), "{table}");
    let trace = stdout(&run(&[
        "explain",
        "-s",
        &s,
        "--log",
        &log,
        "--standard",
        "reply-1h",
        "--case",
        "T-5",
    ]));
    assert!(
        trace.contains("team=tab\\there \\u{9b}31m\\u{85}"),
        "{trace}"
    );
    assert!(
        trace.contains("<script>alert(1)</script>\\n::error::pwned"),
        "{trace}"
    );
    let warnings = stderr(&run(&["audit", "-s", &s, "--log", &log]));
    assert!(warnings.contains("note\\n::error::pwned"), "{warnings}");
    assert!(warnings.contains("\\u{1b}[31m"), "{warnings}");
}

#[test]
fn github_annotations_keep_values_inside_them() {
    let (_dir, s, log) = hostile();
    let o = run(&[
        "audit", "-s", &s, "--log", &log, "--by", "team", "--format", "github",
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let own = |l: &str| {
        ["::error file=", "::warning file=", "::notice file="]
            .iter()
            .any(|p| l.starts_with(p))
    };
    assert_inert("github", &o.stdout, own);
    assert!(out.lines().all(own), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("::error::pwned")),
        "{out}"
    );
    // One annotation per row of each standard: 8 teams ("plain" too) and the total.
    assert_eq!(out.lines().count(), 18, "{out}");
    assert!(out.contains("x%0A%3A%3Aerror%3A%3Apwned"), "{out}");
    assert!(out.contains("bare%0DCR"), "{out}");
}

#[test]
fn markdown_cells_hold_no_html_and_no_row_break() {
    let (_dir, s, log) = hostile();
    for args in [
        vec!["audit", "--by", "team"],
        vec!["breaches"],
        vec!["breaches", "--by", "team"],
    ] {
        let mut all = vec![args[0], "-s", &s, "--log", &log, "--format", "markdown"];
        all.extend(&args[1..]);
        let out = stdout(&run(&all));
        assert!(
            out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{out}"
        );
        // Outside code spans, where Markdown shows text as it is (the shortfall list's subject).
        let outside: String = out.split('`').step_by(2).collect();
        assert!(!outside.contains("<script>"), "{out}");
        // Every line of a table is a whole row.
        for line in out.lines().filter(|l| l.starts_with('|')) {
            assert!(line.ends_with('|'), "{args:?}: {line:?}\n{out}");
        }
        assert!(
            !out.lines().any(|l| l.trim_start().starts_with("::")),
            "{out}"
        );
    }
}

#[test]
fn formula_safe_quotes_what_a_spreadsheet_would_run() {
    let csv = "id,ts,ev,team\n\
        T-1,2026-11-16 09:00,created,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n\
        T-1,2026-11-16 11:00,reply,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n\
        T-2,2026-11-16 09:00,created,-5\n\
        T-2,2026-11-16 11:00,reply,-5\n\
        T-3,2026-11-16 09:00,created,+3.2\n\
        T-3,2026-11-16 11:00,reply,+3.2\n\
        T-4,2026-11-16 09:00,created,@SUM(A1)\n\
        T-4,2026-11-16 11:00,reply,@SUM(A1)\n";
    let c = case(csv.as_bytes());
    let plain_header = "standard,level,source,case,occurrence,clock_start,clock_stop,deadline,elapsed_s,limit_s,over_by_s,paused_s,count,required,team,value,effective_from,effective_until\n";
    let row = |case: &str, team: &str| {
        format!(
            "reply-1h,operational,t,{case},,2026-11-16T08:00:00Z,2026-11-16T10:00:00Z,2026-11-16T09:00:00Z,7200,3600,3600,0,,,{team},,,\n"
        )
    };
    let unchanged = format!(
        "{plain_header}{}{}{}{}",
        row("T-1", "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        row("T-2", "-5"),
        row("T-3", "+3.2"),
        row("T-4", "@SUM(A1)")
    );
    let safe = format!(
        "{plain_header}{}{}{}{}",
        row("T-1", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        row("T-2", "-5"),
        row("T-3", "+3.2"),
        row("T-4", "'@SUM(A1)")
    );
    let args = ["breaches", "--only", "reply-1h", "--format", "csv"];
    let o = c.run(&args);
    assert_eq!(stdout(&o), unchanged, "{}", stderr(&o));
    let o = c.run(&[&args[..], &["--formula-safe"]].concat());
    assert_eq!(stdout(&o), safe, "{}", stderr(&o));

    // Group labels in audit and the values of every delimited command, TSV too.
    let audit = stdout(&c.run(&["audit", "--by", "team", "--format", "tsv", "--formula-safe"]));
    assert!(
        audit.contains("\t\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\t"),
        "{audit}"
    );
    assert!(
        audit.contains("\t-5\t") && audit.contains("\t+3.2\t"),
        "{audit}"
    );
    assert!(
        !audit.contains("\t=") && !audit.contains("\t\"=") && !audit.contains("\t@"),
        "{audit}"
    );
    let counts = stdout(&c.run(&[
        "breaches",
        "--by",
        "team",
        "--format",
        "csv",
        "--formula-safe",
    ]));
    assert!(counts.contains(",'@SUM(A1),"), "{counts}");
    let o = c.run(&["trend", "--format", "csv", "--formula-safe"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// A failing audit whose reader closes the pipe after a few bytes (`| head -1` under
/// `pipefail`) still exits 1: the verdict does not depend on who reads the output.
#[test]
fn a_closed_pipe_keeps_the_verdict() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::from("id,ts,ev,agent\n");
    for i in 0..3000 {
        // Every ticket answered after 2 hours, by an agent of its own: 3000 failing groups.
        log.push_str(&format!(
            "T-{i},2024-05-06 09:00,created,A-{i}\nT-{i},2024-05-06 11:00,reply,A-{i}\n"
        ));
    }
    let log_path = dir.path().join("log.csv");
    std::fs::write(&log_path, log).unwrap();
    let std_path = dir.path().join("s.toml");
    std::fs::write(&std_path, STANDARDS).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(["audit", "-s", &path_str(&std_path), "--only", "reply-1h"])
        .args(["--log", &format!("t={}", path_str(&log_path))])
        .args(["--by", "agent", "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the pipe is closed with most of the report (3000 rows) unread.
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
}

/// A log read from standard input that is a redirected file (`< log.csv`) is that file: an
/// output naming it is refused, and so is standard output redirected onto a log.
#[test]
fn standard_input_and_output_redirected_files_are_inputs() {
    use std::process::{Command, Stdio};
    let c = case(b"id,ts,ev\nT-1,2024-05-06 09:00,created\nT-1,2024-05-06 09:30,reply\n");
    let before = std::fs::read(&c.log).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args(["audit", "-s", &c.standards, "--log", "t=-", "-o", &c.log])
        .stdin(Stdio::from(std::fs::File::open(&c.log).unwrap()))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("the same file as the input standard input"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let appended = std::fs::OpenOptions::new()
        .append(true)
        .open(&c.log)
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args([
            "audit",
            "-s",
            &c.standards,
            "--log",
            &format!("t={}", c.log),
        ])
        .stdout(Stdio::from(appended))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("standard output is the file"));
    assert_eq!(
        std::fs::read(&c.log).unwrap(),
        before,
        "the log is untouched"
    );
}

/// A reader of stderr that goes away (`2>&1 | head -c1`) changes nothing: no abort, the exit
/// status stays the verdict's.
#[test]
fn a_closed_stderr_keeps_the_verdict() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let c = case(b"id,ts,ev\nT-1,2024-05-06 09:00,created\nT-1,2024-05-06 11:00,reply\n,x,y\n");
    let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args([
            "audit",
            "-s",
            &c.standards,
            "--log",
            &format!("t={}", c.log),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut one = [0u8; 1];
    child.stderr.take().unwrap().read_exact(&mut one).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

/// `GITHUB_STEP_SUMMARY` is an output too: it may not be a file the run reads.
#[test]
fn the_step_summary_is_never_an_input() {
    let c = case(b"id,ts,ev\nT-1,2024-05-06 09:00,created\nT-1,2024-05-06 09:30,reply\n");
    let before = std::fs::read(&c.log).unwrap();
    let o = ys()
        .args([
            "audit",
            "-s",
            &c.standards,
            "--log",
            &format!("t={}", c.log),
        ])
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &c.log)
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("GITHUB_STEP_SUMMARY"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&c.log).unwrap(), before);
}

/// A report to a FIFO is written to it (checking it opens nothing, which would wait for a
/// writer that never comes).
#[cfg(unix)]
#[test]
fn a_report_to_a_fifo_is_written_without_waiting() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let c = case(b"id,ts,ev\nT-1,2024-05-06 09:00,created\nT-1,2024-05-06 09:30,reply\n");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        })
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_yardstick"))
        .args([
            "audit",
            "-s",
            &c.standards,
            "--log",
            &format!("t={}", c.log),
        ])
        .args([
            "--only",
            "reply-1h",
            "--format",
            "csv",
            "-o",
            &path_str(&fifo),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > std::time::Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("yardstick hung writing to a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    assert!(reader.join().unwrap().starts_with("id,title,"));
}
