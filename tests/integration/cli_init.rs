//! `yardstick init` on unlike exports: the shipped samples, the real data sets in
//! `../shared/data/` (or `$YARDSTICK_DATA`) and hand-made files (semicolons and day-first
//! dates, pipes, month-first AM/PM times, epoch milliseconds in a tab-separated file, a BOM and
//! CRLF, a German header). For each: the draft passes `check`, its audit reads every row with
//! none skipped, and a figure worked out by hand from the file (the latest time, which is the
//! as-of; met and breached counts) shows the dates were read right, not only parsed.
use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A draft of `export` written with `-o` into `dir`, checked and audited.
struct Drafted {
    text: String,
    report: Value,
}

fn draft(export: &Path, dir: &Path) -> Drafted {
    let out = dir.join("draft.toml");
    let _ = std::fs::remove_file(&out);
    let o = run(&["init", &path_str(export), "-o", &path_str(&out)]);
    assert_eq!(code(&o), 0, "init {}: {}", export.display(), stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let o = run(&["check", "-s", &path_str(&out)]);
    assert_eq!(code(&o), 0, "check of\n{text}\n{}", stderr(&o));
    let (report, status) = json(&["audit", "-s", &path_str(&out), "--format", "json"]);
    assert!(status == 0 || status == 1, "audit exit {status}:\n{text}");
    for input in report["inputs"].as_array().unwrap() {
        assert_eq!(input["skipped"], 0, "{input}\n{text}");
    }
    Drafted { text, report }
}

impl Drafted {
    fn rows(&self) -> u64 {
        self.report["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["rows"].as_u64().unwrap())
            .sum()
    }
    fn as_of(&self) -> &str {
        self.report["period"]["as_of"].as_str().unwrap()
    }
    /// (cases, met, breached, open) of the standard `id`.
    fn counts(&self, id: &str) -> (i64, i64, i64, i64) {
        let s = standard(&self.report, id);
        let n = |k: &str| s[k].as_i64().unwrap();
        (n("cases"), n("met"), n("breached"), n("open"))
    }
    fn has(&self, line: &str) -> bool {
        self.text.lines().any(|l| l.starts_with(line))
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn shipped_samples() {
    let dir = tempfile::tempdir().unwrap();
    let d = draft(&root().join("samples/ticket-desk.csv"), dir.path());
    assert_eq!(d.rows(), 329);
    assert!(d.has("layout = \"events\"") && d.has("case = \"ticket_id\""));
    assert!(d.has("event = \"event\"") && d.has("time = \"timestamp\""));
    // RFC 3339 with Z: no zone is needed, and the latest event is the as-of.
    assert!(!d
        .text
        .contains("timezone = \"UTC\"   # guess: the times carry no offset"));
    assert_eq!(d.as_of(), "2026-11-23T07:59:41Z");
    let d = draft(&root().join("samples/training-provider.csv"), dir.path());
    assert_eq!(d.rows(), 274);
    assert_eq!(d.as_of(), "2026-11-27T16:23:46Z");
    let d = draft(&root().join("samples/order-cycle.csv"), dir.path());
    assert_eq!(d.rows(), 120);
    assert!(d.has("layout = \"cases\"") && d.has("case = \"order_id\""));
    assert!(d.has("deadlines = [\"deadline\"]"));
    assert!(d.has("placed = \"placed_at\""));
    // The deadline column is declared, so the latest delivery sets the as-of, not a promise.
    assert_eq!(d.as_of(), "2026-11-29T17:50:00Z");
}

#[test]
fn semicolons_and_day_first_dates() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "semi.csv",
        b"case;time;event;team\n\
          A;31/01/2026 23:50;opened;north\n\
          A;01/02/2026 00:10;answered;north\n\
          B;13/02/2026 09:00;opened;south\n\
          B;13/02/2026 11:30;answered;south\n\
          C;02/03/2026 08:00;opened;north\n\
          C;02/03/2026 08:45;answered;north\n",
    );
    let d = draft(&f, dir.path());
    assert!(d.has("delimiter = \";\""), "{}", d.text);
    assert!(d.has("time_format = \"%d/%m/%Y %H:%M\""), "{}", d.text);
    assert!(
        d.text.contains("day first: \"31/01/2026 23:50\""),
        "{}",
        d.text
    );
    assert!(d.has("timezone = \"UTC\"   # guess: the times carry no offset"));
    assert_eq!(d.rows(), 6);
    // 20 minutes across midnight, 2h30, 45 minutes: the median is 45m, so the limit is 1h.
    assert!(d.has("within = \"1h\""), "{}", d.text);
    assert_eq!(d.counts("first-response"), (3, 2, 1, 0));
    assert_eq!(d.as_of(), "2026-03-02T08:45:00Z");
}

#[test]
fn pipes_and_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "pipes.csv",
        b"id|opened|first_reply|closed|queue\n\
          1|2026-05-04T09:00:00+02:00|2026-05-04T09:25:00+02:00|2026-05-04T12:00:00+02:00|billing\n\
          2|2026-05-04T10:00:00+02:00|2026-05-04T12:00:00+02:00||billing\n\
          3|2026-05-05T09:00:00+02:00|2026-05-05T09:10:00+02:00|2026-05-05T10:00:00+02:00|tech\n",
    );
    let d = draft(&f, dir.path());
    assert!(d.has("delimiter = \"|\"") && d.has("layout = \"cases\""));
    assert!(d.has("case = \"id\"") && d.has("first_reply = \"first_reply\""));
    assert!(d.text.contains("carry their offset"), "{}", d.text);
    assert!(!d.has("time_format"));
    // 25m, 2h, 10m: median 25m, limit 30m.
    assert!(d.has("within = \"30m\""), "{}", d.text);
    assert_eq!(d.counts("opened-to-first-reply"), (3, 2, 1, 0));
    assert_eq!(d.as_of(), "2026-05-05T08:00:00Z");
}

#[test]
fn month_first_am_pm_and_a_due_date() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "us.csv",
        b"Request No,Created,Resolved,Due,Category\n\
          R-1,03/14/2026 09:15:00 AM,03/14/2026 01:05:00 PM,03/15/2026 12:00:00 AM,Water\n\
          R-2,03/14/2026 11:00:00 PM,03/16/2026 02:00:00 AM,03/15/2026 12:00:00 AM,Noise\n\
          R-3,04/01/2026 08:00:00 AM,,04/03/2026 12:00:00 AM,Water\n",
    );
    let d = draft(&f, dir.path());
    assert!(
        d.has("time_format = \"%m/%d/%Y %I:%M:%S %p\""),
        "{}",
        d.text
    );
    assert!(d.text.contains("month first: \"03/14/2026"), "{}", d.text);
    assert!(d.has("deadlines = [\"due\"]"), "{}", d.text);
    // Created -> Resolved: 3h50 and 27h, median 3h50, limit 4h; R-3 is still open.
    assert_eq!(d.counts("created-to-resolved"), (3, 1, 1, 1));
    // Resolved by Due: R-1 before midnight of the 15th, R-2 after it, R-3 open.
    assert_eq!(d.counts("resolved-by-due"), (3, 1, 1, 1));
    // The as-of is the latest time that is not a promise: R-3's creation.
    assert_eq!(d.as_of(), "2026-04-01T08:00:00Z");
}

#[test]
fn epoch_milliseconds_in_a_tab_separated_file() {
    let dir = tempfile::tempdir().unwrap();
    // 1767261600 is 2026-01-01T10:00:00Z.
    let f = write(
        dir.path(),
        "epoch.tsv",
        b"ticket\tts\tkind\n\
          T1\t1767261600000\tcreated\n\
          T1\t1767262200999\treplied\n\
          T2\t1767265200000\tcreated\n\
          T2\t1767268800000\treplied\n\
          T3\t1767272400000\tcreated\n\
          T3\t1767273300000\treplied\n",
    );
    let d = draft(&f, dir.path());
    assert!(d.has("delimiter = \"\\t\""), "{}", d.text);
    assert!(d.has("time_format = \"%s%3f\""), "{}", d.text);
    assert!(d.has("event = \"kind\""));
    // 10m, 1h, 15m: median 15m, limit 30m.
    assert!(d.has("within = \"30m\""), "{}", d.text);
    assert_eq!(d.counts("first-response"), (3, 2, 1, 0));
    // T3 replied at 1767273300 s: 13:15 on 2026-01-01 (47,700 s after midnight).
    assert_eq!(d.as_of(), "2026-01-01T13:15:00Z");
}

#[test]
fn a_bom_crlf_and_a_date_only_promise() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "bom.csv",
        b"\xEF\xBB\xBForder,placed,shipped,promised\r\n\
          O-1,2026-06-01 10:00,2026-06-02 09:00,2026-06-03\r\n\
          O-2,2026-06-01 12:00,2026-06-05 12:00,2026-06-03\r\n\
          O-3,2026-06-02 08:00,2026-06-02 20:00,2026-06-04\r\n",
    );
    let d = draft(&f, dir.path());
    assert!(d
        .text
        .contains("a UTF-8 byte-order mark and CRLF line ends"));
    assert!(d.has("case = \"order\""), "{}", d.text);
    assert!(d.has("date_columns = [\"promised\"]"), "{}", d.text);
    assert!(d.has("deadlines = [\"promised\"]"), "{}", d.text);
    // 23h, 96h, 12h: median 23h, limit 1d.
    assert_eq!(d.counts("placed-to-shipped"), (3, 2, 1, 0));
    // A bare date is a promise until the end of that day.
    assert_eq!(d.counts("shipped-by-promised"), (3, 2, 1, 0));
    assert_eq!(d.as_of(), "2026-06-05T12:00:00Z");
}

#[test]
fn a_german_header_and_dotted_dates() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "vorgaenge.csv",
        "Vorgangsnummer;Zeitpunkt;Ereignis;Kanal\n\
         V-1;03.02.2026 08:00;Eröffnet;Telefon\n\
         V-1;03.02.2026 08:20;Antwort;Telefon\n\
         V-2;04.02.2026 09:00;Eröffnet;E-Mail\n\
         V-2;04.02.2026 13:00;Antwort;E-Mail\n\
         V-3;05.02.2026 10:00;Eröffnet;Telefon\n\
         V-3;05.02.2026 10:40;Antwort;Telefon\n\
         V-3;05.02.2026 11:00;Geschlossen;Telefon\n"
            .as_bytes(),
    );
    let d = draft(&f, dir.path());
    assert!(d.has("case = \"Vorgangsnummer\"") && d.has("event = \"Ereignis\""));
    assert!(d.has("time_format = \"%d.%m.%Y %H:%M\""), "{}", d.text);
    // No day above 12: the draft says day first is the dotted form's convention, not proven.
    assert!(
        d.text
            .contains("day first by convention (no sampled day is above 12 to prove it)"),
        "{}",
        d.text
    );
    assert!(d.has("from = \"Eröffnet\""), "{}", d.text);
    assert!(d.text.contains("\"Eröffnet\" (3)"));
    assert_eq!(d.counts("first-response"), (3, 2, 1, 0));
    assert_eq!(d.as_of(), "2026-02-05T11:00:00Z");
}

/// Slashed dates with no day or month above 12: the draft says the sample cannot decide, and
/// reads them in the order that keeps the dates nearer together.
#[test]
fn dates_the_values_cannot_order() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "slashes.csv",
        b"ref,opened,answered
          K1,01/03/2026 09:00,01/03/2026 09:20
          K2,02/03/2026 09:00,02/03/2026 10:30
          K3,03/03/2026 09:00,03/03/2026 09:40
",
    );
    let d = draft(&f, dir.path());
    assert!(d.text.contains("THE SAMPLE CANNOT DECIDE"), "{}", d.text);
    // Day first: 1 to 3 March (2 days); month first would be 3 January to 3 March.
    assert!(d.has("time_format = \"%d/%m/%Y %H:%M\""), "{}", d.text);
    assert!(
        d.text.contains("over 2 days and month first over 59"),
        "{}",
        d.text
    );
    assert_eq!(d.as_of(), "2026-03-03T09:40:00Z");
    assert_eq!(d.counts("opened-to-answered"), (3, 2, 1, 0));
}

#[test]
fn refuses_what_it_cannot_read_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 3] = [
        ("utf16.csv", b"\xFF\xFEa\0,\0b\0\n\0", "UTF-16"),
        (
            "latin.csv",
            b"name,time\nCaf\xE9,2026-01-01\n",
            "line 2 holds bytes that are not UTF-8",
        ),
        ("one.csv", b"just one column\nvalue\n", "one column only"),
    ];
    for (name, bytes, want) in cases {
        let f = write(dir.path(), name, bytes);
        let o = run(&["init", &path_str(&f)]);
        assert_eq!(code(&o), 2, "{name}");
        assert!(stderr(&o).contains(want), "{name}: {}", stderr(&o));
        assert!(stdout(&o).is_empty());
    }
}

#[test]
fn never_replaces_a_draft_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = write(dir.path(), "draft.toml", b"# my edits\n");
    let export = path_str(&root().join("samples/ticket-desk.csv"));
    let o = run(&["init", &export, "-o", &path_str(&out)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "# my edits\n");
    let o = run(&[
        "init",
        &export,
        "-o",
        &path_str(&out),
        "--force",
        "--name",
        "desk",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("[sources.desk]"), "{text}");
    // Nor over the export itself.
    let copy = write(dir.path(), "export.csv", b"a,b\n1,2026-01-01\n");
    let o = run(&["init", &path_str(&copy), "-o", &path_str(&copy), "--force"]);
    assert_eq!(code(&o), 2);
    assert_eq!(std::fs::read(&copy).unwrap(), b"a,b\n1,2026-01-01\n");
}

/// On standard output, `path` is relative to the current folder.
#[test]
fn a_draft_on_standard_output_names_the_export_from_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    std::fs::copy(
        root().join("samples/ticket-desk.csv"),
        dir.path().join("exports/desk.csv"),
    )
    .unwrap();
    let o = ys()
        .current_dir(dir.path())
        .args(["init", "exports/desk.csv"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("path = \"exports/desk.csv\""), "{text}");
    std::fs::write(dir.path().join("draft.toml"), &text).unwrap();
    let (r, _) = json(&[
        "audit",
        "-s",
        &path_str(&dir.path().join("draft.toml")),
        "--format",
        "json",
    ]);
    assert_eq!(r["inputs"][0]["rows"], 329);
}

/// The real exports: `$YARDSTICK_DATA`, else `../shared/data` beside the project.
fn data(rel: &str) -> Option<PathBuf> {
    let base: PathBuf = match std::env::var_os("YARDSTICK_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("..").join("shared").join("data"),
    };
    let p = base.join(rel);
    if p.is_file() {
        Some(p)
    } else {
        skip(&format!("{} is not here", p.display()));
        None
    }
}

/// Each real export: (file, rows the audit reads, the as-of, a line the draft must hold).
/// The rows were counted and the latest times found with Python's csv and strptime, apart
/// from yardstick; the as-of of a day-first or month-first export shows the order was read
/// right (ServiceNow's 17/04, New York's May 1st written 05/01).
const REAL: &[(&str, u64, &str, &str)] = &[
    (
        "servicenow-incident-log/incident_event_log.csv",
        198,
        "2016-04-17T15:07:00Z",
        "preset = \"servicenow-incidents\"",
    ),
    (
        "servicenow-incident-log-excel/incident_event_log.csv",
        5998,
        "2017-02-04T19:00:00Z",
        "preset = \"servicenow-incidents\"",
    ),
    (
        "bpic2013-volvo-incidents/bpi_13_incidents.csv",
        65533,
        "2012-05-23T09:22:00Z",
        "event = \"ActivityID\"",
    ),
    (
        "helpdesk-italian/helpdesk.csv",
        13710,
        "2012-11-06T01:41:28Z",
        "case = \"CaseID\"",
    ),
    (
        "kaggle-customer-support-tickets-synthetic/customer_support_tickets.csv",
        8469,
        "2023-06-02T00:55:33Z",
        "date_columns = [\"date_of_purchase\"]",
    ),
    (
        "nyc311-2013-christmas/311_Service_Requests_from_2010_to_Present.csv",
        2386,
        "2014-04-24T17:54:27Z",
        "time_format = \"%m/%d/%Y %I:%M:%S %p\"",
    ),
    (
        "nyc311-2022-may/311_Service_Requests_from_2010_to_Present.csv",
        924,
        "2022-05-01T02:06:52Z",
        "time_format = \"%m/%d/%Y %I:%M:%S %p\"",
    ),
    (
        "nyc311-2024-api/311_Service_Requests.csv",
        1000,
        "2024-04-16T03:03:15Z",
        "deadlines = [\"due\"]",
    ),
    (
        "olist/olist_orders_dataset.csv",
        4071,
        "2018-09-20T13:54:16Z",
        "deadlines = [\"order_estimated_delivery\"]",
    ),
    (
        "olist/olist_order_reviews_dataset.csv",
        6123,
        "2018-10-18T12:22:20Z",
        "case = \"review_id\"",
    ),
    (
        "twcs-head/twcs.csv",
        5000,
        "2017-12-03T18:52:36Z",
        "reply_to = \"in_response_to_tweet_id\"",
    ),
    (
        "twcs/sample.csv",
        93,
        "2017-10-12T12:09:13Z",
        "layout = \"threads\"",
    ),
];

#[test]
fn real_exports() {
    let dir = tempfile::tempdir().unwrap();
    for (rel, rows, as_of, line) in REAL {
        let Some(export) = data(rel) else {
            continue;
        };
        let d = draft(&export, dir.path());
        assert_eq!(d.rows(), *rows, "{rel}");
        // A large export is drafted from a sample, and still read whole.
        if *rows > 10_000 {
            assert!(d.text.contains("its first 10000 rows"), "{rel}");
        }
        assert_eq!(d.as_of(), *as_of, "{rel}");
        assert!(d.has(line), "{rel}: no {line:?} in\n{}", d.text);
    }
}
