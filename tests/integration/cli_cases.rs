//! The hand-checked cases of tests/reference/README.md, one by one. A met or open case is
//! isolated with a one-second period around its clock start (and `--as-of` set to the
//! whole log's as_of, so that it is judged as in the whole-log audit); a breached case is
//! looked up in `yardstick breaches --format json`.

use crate::common;

use common::*;
use serde_json::Value;

const TICKETS: &str = "standards/ticket-desk.toml";
const TRAINING: &str = "standards/training-provider.toml";
const ORDERS: &str = "standards/order-cycle.toml";
const TICKETS_AS_OF: &str = "2026-11-23T07:59:41Z";
const TRAINING_AS_OF: &str = "2026-11-27T22:23:46Z";
const ORDERS_AS_OF: &str = "2026-11-29T17:50:00Z";

/// The audit row of standard `id` for the cases whose clock starts in [since, until).
fn audit_window(file: &str, id: &str, since: &str, until: &str, as_of: &str) -> Value {
    let (r, _) = json(&[
        "audit", "-s", file, "--only", id, "--since", since, "--until", until, "--as-of", as_of,
        "--format", "json",
    ]);
    standard(&r, id).clone()
}

/// (cases, met, breached, open, excluded) of an audit row.
type Counts = (i64, i64, i64, i64, i64);

fn counts(row: &Value) -> Counts {
    let n = |k: &str| row[k].as_i64().unwrap_or_else(|| panic!("{k} in {row:#}"));
    (
        n("cases"),
        n("met"),
        n("breached"),
        n("open"),
        n("excluded"),
    )
}

/// Asserts the audit row of standard `id` for the cases whose clock starts in [since,
/// until): its counts and, when given, its `max_s`; returns it for further checks.
fn window_is(
    file: &str,
    id: &str,
    (since, until): (&str, &str),
    as_of: &str,
    want: Counts,
    max_s: Option<i64>,
) -> Value {
    let row = audit_window(file, id, since, until, as_of);
    assert_eq!(counts(&row), want, "{id} in [{since}, {until})");
    if let Some(max) = max_s {
        assert_eq!(row["max_s"], max, "{id} in [{since}, {until})");
    }
    row
}

/// The one breach of standard `id` for `case` (occurrence ignored unless given).
fn breach(args: &[&str], id: &str, case: &str, occurrence: Option<i64>) -> Value {
    let mut full = vec!["breaches"];
    full.extend(args);
    full.extend(["--format", "json"]);
    let (r, code) = json(&full);
    assert_eq!(code, 0);
    let hits: Vec<&Value> = r["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| {
            b["standard"] == id
                && b["case"] == case
                && occurrence.is_none_or(|n| b["occurrence"] == n)
        })
        .collect();
    assert_eq!(hits.len(), 1, "breaches of {id} for {case}: {hits:#?}");
    hits[0].clone()
}

fn no_breach(args: &[&str], id: &str, case: &str) {
    let mut full = vec!["breaches"];
    full.extend(args);
    full.extend(["--format", "json"]);
    let (r, _) = json(&full);
    let hits = r["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["standard"] == id && b["case"] == case)
        .count();
    assert_eq!(hits, 0, "{case} must not be a breach of {id}");
}

// --- ticket-desk ------------------------------------------------------------------------

#[test]
fn t48213_met_at_exactly_600_s() {
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-16T09:03:12Z", "2026-11-16T09:03:13Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(600),
    );
    no_breach(&["-s", TICKETS], "first-reply-10m", "T-48213");
}

#[test]
fn t48214_breached_at_601_s() {
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-16T13:47:05Z", "2026-11-16T13:47:06Z"),
        TICKETS_AS_OF,
        (1, 0, 1, 0, 0),
        Some(601),
    );
    let b = breach(&["-s", TICKETS], "first-reply-10m", "T-48214", None);
    assert_eq!(b["elapsed_s"], 601);
    assert_eq!(b["limit_s"], 600);
    assert_eq!(b["over_by_s"], 1);
}

#[test]
fn t48225_clock_starts_at_the_email() {
    let b = breach(&["-s", TICKETS], "first-reply-10m", "T-48225", None);
    assert_eq!(
        utc(b["clock_start"].as_str().unwrap()),
        "2026-11-17T09:01:10Z"
    );
    assert_eq!(
        utc(b["clock_stop"].as_str().unwrap()),
        "2026-11-17T09:19:40Z"
    );
    assert_eq!(b["elapsed_s"], 1110);
    // reply-before-closing starts at `created` and is met, 9620 s before the close.
    window_is(
        TICKETS,
        "reply-before-closing",
        ("2026-11-17T09:15:22Z", "2026-11-17T09:15:23Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(-9620),
    );
}

#[test]
fn t48226_breached_without_a_stop() {
    for id in ["reply-before-closing", "first-reply-10m"] {
        let b = breach(&["-s", TICKETS], id, "T-48226", None);
        assert_eq!(b["clock_stop"], Value::Null, "{id}");
        assert_eq!(
            utc(b["clock_start"].as_str().unwrap()),
            "2026-11-17T10:12:40Z"
        );
    }
    let b = breach(&["-s", TICKETS], "first-reply-10m", "T-48226", None);
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-17T10:22:40Z");
    let b = breach(&["-s", TICKETS], "reply-before-closing", "T-48226", None);
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-17T12:05:00Z");
}

#[test]
fn t48235_met_first_reply_but_replied_after_the_close() {
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-18T08:30:00Z", "2026-11-18T08:30:01Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(420),
    );
    let b = breach(&["-s", TICKETS], "reply-before-closing", "T-48235", None);
    assert_eq!(b["over_by_s"], 300);
    assert_eq!(
        utc(b["clock_stop"].as_str().unwrap()),
        "2026-11-18T08:37:00Z"
    );
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-18T08:32:00Z");
}

#[test]
fn t48242_each_customer_message_is_a_case() {
    let log = subset("samples/ticket-desk.csv", &["T-48242"]);
    let log_arg = format!("tickets={}", path_str(log.path()));
    let (r, _) = json(&[
        "audit",
        "-s",
        TICKETS,
        "--log",
        &log_arg,
        "--only",
        "no-message-waits",
        "--format",
        "json",
    ]);
    let row = standard(&r, "no-message-waits");
    assert_eq!(counts(row), (3, 3, 0, 0, 0));
    // sorted 1260, 1500, 3600: nearest-rank median = rank 2, p90 = rank 3.
    assert_eq!(row["median_s"], 1500);
    assert_eq!(row["p90_s"], 3600);
    assert_eq!(row["max_s"], 3600);
    for (since, until, value) in [
        ("2026-11-18T12:10:00Z", "2026-11-18T12:10:01Z", 1500),
        ("2026-11-18T12:14:00Z", "2026-11-18T12:14:01Z", 1260),
        ("2026-11-18T15:00:00Z", "2026-11-18T15:00:01Z", 3600),
    ] {
        let (r, _) = json(&[
            "audit",
            "-s",
            TICKETS,
            "--log",
            &log_arg,
            "--only",
            "no-message-waits",
            "--since",
            since,
            "--until",
            until,
            "--as-of",
            TICKETS_AS_OF,
            "--format",
            "json",
        ]);
        let row = standard(&r, "no-message-waits");
        assert_eq!(counts(row), (1, 1, 0, 0, 0), "{since}");
        assert_eq!(row["max_s"], value, "{since}");
    }
}

#[test]
fn t48252_met_at_the_last_second_of_the_kyiv_day() {
    window_is(
        TICKETS,
        "email-same-day",
        ("2026-11-18T21:40:00Z", "2026-11-18T21:40:01Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(1199),
    );
    let b = breach(&["-s", TICKETS], "first-reply-10m", "T-48252", None);
    assert_eq!(b["elapsed_s"], 1199);
    no_breach(&["-s", TICKETS], "email-same-day", "T-48252");
}

#[test]
fn t48260_same_kyiv_day_although_not_the_same_utc_day() {
    window_is(
        TICKETS,
        "email-same-day",
        ("2026-11-19T22:10:00Z", "2026-11-19T22:10:01Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(6900),
    );
}

#[test]
fn t48210_next_kyiv_day_breaches_same_day() {
    let b = breach(&["-s", TICKETS], "email-same-day", "T-48210", None);
    assert_eq!(b["elapsed_s"], 570);
    assert_eq!(
        utc(b["clock_start"].as_str().unwrap()),
        "2026-11-15T21:52:00Z"
    );
    // the end of Sunday 15 Nov in Kyiv
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-15T21:59:59Z");
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-15T21:52:00Z", "2026-11-15T21:52:01Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(570),
    );
}

#[test]
fn t48210_in_week_47_only_reply_before_closing_is_a_case() {
    // Periods given as local (Kyiv) times: Monday 16 Nov 00:00 .. 00:01.
    let args = |id: &'static str| {
        let (r, _) = json(&[
            "audit",
            "-s",
            TICKETS,
            "--only",
            id,
            "--since",
            "2026-11-16 00:00",
            "--until",
            "2026-11-16 00:01",
            "--as-of",
            TICKETS_AS_OF,
            "--format",
            "json",
        ]);
        standard(&r, id).clone()
    };
    assert_eq!(counts(&args("first-reply-10m")), (0, 0, 0, 0, 0));
    assert_eq!(counts(&args("email-same-day")), (0, 0, 0, 0, 0));
    assert_eq!(counts(&args("reply-before-closing")), (1, 1, 0, 0, 0));
    no_breach(
        &["-s", TICKETS, "--week", "2026-W47"],
        "email-same-day",
        "T-48210",
    );
}

#[test]
fn t48211_starts_inside_week_47_although_it_is_sunday_in_utc() {
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-16 00:00", "2026-11-16 00:21"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(270),
    );
}

#[test]
fn t48285_met_in_the_whole_log_open_in_week_47() {
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-22T21:56:00Z", "2026-11-22T21:56:01Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(430),
    );
    // Within W47 the reply (after 22:00:00Z, the end of the week) is not seen.
    let (r, _) = json(&[
        "audit",
        "-s",
        TICKETS,
        "--only",
        "first-reply-10m",
        "--since",
        "2026-11-22 23:56",
        "--until",
        "2026-11-23",
        "--format",
        "json",
    ]);
    assert_eq!(counts(standard(&r, "first-reply-10m")), (1, 0, 0, 1, 0));
}

#[test]
fn t48256_attribute_is_the_latest_value_and_met_without_deadline() {
    let log = subset("samples/ticket-desk.csv", &["T-48256"]);
    let log_arg = format!("tickets={}", path_str(log.path()));
    let (r, _) = json(&[
        "audit",
        "-s",
        TICKETS,
        "--log",
        &log_arg,
        "--only",
        "reply-before-closing",
        "--by",
        "department",
        "--format",
        "json",
    ]);
    let rows = r["standards"].as_array().unwrap();
    // the one group, then the standard's totals row (group null)
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(
        rows[0]["group"],
        serde_json::json!({"department": "Support"})
    );
    assert_eq!(rows[1]["group"], Value::Null);
    assert_eq!(counts(&rows[0]), (1, 1, 0, 0, 0));
    assert_eq!(counts(&rows[1]), (1, 1, 0, 0, 0));
    assert_eq!(rows[0]["median_s"], Value::Null);
    assert_eq!(rows[0]["max_s"], Value::Null);
}

#[test]
fn t48286_breached_without_stop_and_open_for_closing() {
    let b = breach(&["-s", TICKETS], "first-reply-10m", "T-48286", None);
    assert_eq!(b["clock_stop"], Value::Null);
    assert_eq!(
        utc(b["clock_start"].as_str().unwrap()),
        "2026-11-23T04:31:00Z"
    );
    window_is(
        TICKETS,
        "reply-before-closing",
        ("2026-11-23T04:31:00Z", "2026-11-23T04:31:01Z"),
        TICKETS_AS_OF,
        (1, 0, 0, 1, 0),
        None,
    );
}

#[test]
fn t48289_customer_message_still_open() {
    window_is(
        TICKETS,
        "no-message-waits",
        ("2026-11-23T07:24:00Z", "2026-11-23T07:24:01Z"),
        TICKETS_AS_OF,
        (1, 0, 0, 1, 0),
        None,
    );
}

#[test]
fn t48290_sets_the_default_as_of() {
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-23T07:50:00Z", "2026-11-23T07:50:01Z"),
        TICKETS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(581),
    );
    let (r, _) = json(&["audit", "-s", TICKETS, "--format", "json"]);
    assert_eq!(utc(r["period"]["as_of"].as_str().unwrap()), TICKETS_AS_OF);
}

#[test]
fn t48291_open_at_the_default_as_of() {
    window_is(
        TICKETS,
        "first-reply-10m",
        ("2026-11-23T07:55:30Z", "2026-11-23T07:55:31Z"),
        TICKETS_AS_OF,
        (1, 0, 0, 1, 0),
        None,
    );
    no_breach(&["-s", TICKETS], "first-reply-10m", "T-48291");
}

// --- training-provider (periods in Chicago local time) -----------------------------------

#[test]
fn inq3105_met_at_exactly_24h_and_three_follow_ups_at_the_window_end() {
    window_is(
        TRAINING,
        "inquiry-24h",
        ("2026-11-16 16:40", "2026-11-16 16:40:01"),
        TRAINING_AS_OF,
        (1, 1, 0, 0, 0),
        Some(86400),
    );
    let row = window_is(
        TRAINING,
        "three-follow-ups",
        ("2026-11-16 16:40", "2026-11-16 16:40:01"),
        TRAINING_AS_OF,
        (1, 1, 0, 0, 0),
        None,
    );
    assert_eq!(row["count_median"].as_f64(), Some(3.0));
}

#[test]
fn inq3103_two_follow_ups_breach() {
    let b = breach(&["-s", TRAINING], "three-follow-ups", "INQ-3103", None);
    assert_eq!(b["count"], 2);
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-23T17:00:00Z");
}

#[test]
fn inq3107_registered_first_is_excluded() {
    window_is(
        TRAINING,
        "three-follow-ups",
        ("2026-11-17 10:05", "2026-11-17 10:05:01"),
        TRAINING_AS_OF,
        (0, 0, 0, 0, 1),
        None,
    );
}

#[test]
fn inq3102_registered_after_the_count_is_not_exempt() {
    window_is(
        TRAINING,
        "three-follow-ups",
        ("2026-11-16 09:12", "2026-11-16 09:12:01"),
        TRAINING_AS_OF,
        (1, 1, 0, 0, 0),
        None,
    );
    let b = breach(
        &["-s", TRAINING],
        "registration-confirmed",
        "INQ-3102",
        None,
    );
    assert_eq!(b["elapsed_s"], 3601);
    assert_eq!(b["over_by_s"], 1);
}

#[test]
fn inq3120_met_at_the_last_second_of_the_chicago_day() {
    window_is(
        TRAINING,
        "email-answered-same-day",
        ("2026-11-18 21:15", "2026-11-18 21:15:01"),
        TRAINING_AS_OF,
        (1, 1, 0, 0, 0),
        Some(9899),
    );
}

#[test]
fn inq3136_and_inq3137_breached_over_the_weekend() {
    for id in ["email-answered-same-day", "inquiry-24h"] {
        let b = breach(&["-s", TRAINING], id, "INQ-3136", None);
        assert_eq!(b["elapsed_s"], 226200, "{id}");
        assert_eq!(
            utc(b["clock_start"].as_str().unwrap()),
            "2026-11-20T23:30:00Z"
        );
    }
    let b = breach(&["-s", TRAINING], "voicemail-returned", "INQ-3137", None);
    assert_eq!(b["elapsed_s"], 46500);
}

#[test]
fn inq3148_refund_still_open() {
    window_is(
        TRAINING,
        "refund-processed",
        ("2026-11-24 13:30", "2026-11-24 13:30:01"),
        TRAINING_AS_OF,
        (1, 0, 0, 1, 0),
        None,
    );
}

// --- order-cycle ---------------------------------------------------------------------------

#[test]
fn ord58242_boundaries_are_met() {
    window_is(
        ORDERS,
        "payment-confirmed",
        ("2026-11-17T10:05:00Z", "2026-11-17T10:05:01Z"),
        ORDERS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(1800),
    );
    window_is(
        ORDERS,
        "delivered-by-deadline",
        ("2026-11-17T10:05:00Z", "2026-11-17T10:05:01Z"),
        ORDERS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(-59),
    );
    window_is(
        ORDERS,
        "feedback-after-approval",
        ("2026-11-21T09:00:00Z", "2026-11-21T09:00:01Z"),
        ORDERS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(172800),
    );
}

#[test]
fn ord58252_one_second_after_a_date_deadline() {
    let b = breach(&["-s", ORDERS], "delivered-by-deadline", "ORD-58252", None);
    assert_eq!(b["over_by_s"], 1);
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-21T23:59:59Z");
    assert_eq!(
        utc(b["clock_stop"].as_str().unwrap()),
        "2026-11-22T00:00:00Z"
    );
}

#[test]
fn ord58232_revision_met_at_exactly_24h() {
    window_is(
        ORDERS,
        "revision-turnaround",
        ("2026-11-18T20:15:00Z", "2026-11-18T20:15:01Z"),
        ORDERS_AS_OF,
        (1, 1, 0, 0, 0),
        Some(86400),
    );
}

#[test]
fn ord58269_and_ord58318_breached_without_a_stop() {
    for id in ["payment-confirmed", "delivered-by-deadline"] {
        let b = breach(&["-s", ORDERS], id, "ORD-58269", None);
        assert_eq!(b["clock_stop"], Value::Null, "{id}");
    }
    let b = breach(&["-s", ORDERS], "delivered-by-deadline", "ORD-58269", None);
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-24T23:59:59Z");
    let b = breach(&["-s", ORDERS], "delivered-by-deadline", "ORD-58318", None);
    assert_eq!(b["clock_stop"], Value::Null);
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-27T12:00:00Z");
}

#[test]
fn ord58275_without_deadline_is_excluded() {
    let log = subset("samples/order-cycle.csv", &["ORD-58275"]);
    let o = run(&[
        "audit",
        "-s",
        ORDERS,
        "--orders",
        &path_str(log.path()),
        "--only",
        "delivered-by-deadline",
        "--format",
        "json",
    ]);
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        counts(standard(&r, "delivered-by-deadline")),
        (0, 0, 0, 0, 1)
    );
    assert_eq!(
        standard(&r, "delivered-by-deadline")["compliance"],
        Value::Null
    );
    // no decided case: "no data" does not fail the run
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("\"delivered-by-deadline\": 1 case(s) have no deadline"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn ord58349_open_and_sets_the_as_of() {
    window_is(
        ORDERS,
        "payment-confirmed",
        ("2026-11-29T17:50:00Z", "2026-11-29T17:50:01Z"),
        ORDERS_AS_OF,
        (1, 0, 0, 1, 0),
        None,
    );
    let (r, _) = json(&["audit", "-s", ORDERS, "--format", "json"]);
    assert_eq!(utc(r["period"]["as_of"].as_str().unwrap()), ORDERS_AS_OF);
}

// --- the broken sample -----------------------------------------------------------------

#[test]
fn broken_sample_cases_without_the_bad_rows() {
    let log = ["--log", "tickets=samples/broken/tickets-bad-rows.csv"];
    let mut args = vec!["-s", TICKETS];
    args.extend(log);
    let b = breach(&args, "first-reply-10m", "T-90002", None);
    assert_eq!(b["clock_stop"], Value::Null);
    let b = breach(&args, "first-reply-10m", "T-90004", None);
    assert_eq!(b["elapsed_s"], 900);
    assert_eq!(
        utc(b["clock_start"].as_str().unwrap()),
        "2026-11-16T09:40:00Z"
    );
    let mut audit = vec!["audit"];
    audit.extend(&args);
    audit.extend(["--only", "first-reply-10m", "--format", "json"]);
    let (r, _) = json(&audit);
    let row = standard(&r, "first-reply-10m");
    assert_eq!(counts(row), (4, 2, 2, 0, 0));
    assert_eq!(row["compliance"].as_f64(), Some(50.0));
    // stopped clocks 250, 390, 900
    assert_eq!(row["median_s"], 390);
    assert_eq!(row["max_s"], 900);
    for (since, value) in [("2026-11-16T09:00:00Z", 250), ("2026-11-16T09:20:00Z", 390)] {
        let mut a = vec!["audit"];
        a.extend(&args);
        a.extend([
            "--only",
            "first-reply-10m",
            "--since",
            since,
            "--format",
            "json",
            "--until",
        ]);
        let until = format!("{}01Z", &since[..since.len() - 3]);
        a.push(&until);
        a.extend(["--as-of", "2026-11-16T09:55:00Z"]);
        let (r, _) = json(&a);
        let row = standard(&r, "first-reply-10m");
        assert_eq!(counts(row), (1, 1, 0, 0, 0), "{since}");
        assert_eq!(row["max_s"], value, "{since}");
    }
}

#[test]
fn t48291_as_of_decides_open_or_breached() {
    // deadline 08:05:30Z: still open at exactly the deadline, breached a second later
    for (as_of, want) in [
        ("2026-11-23T08:05:30Z", (1, 0, 0, 1, 0)),
        ("2026-11-23T08:05:31Z", (1, 0, 1, 0, 0)),
    ] {
        let row = audit_window(
            TICKETS,
            "first-reply-10m",
            "2026-11-23T07:55:30Z",
            "2026-11-23T07:55:31Z",
            as_of,
        );
        assert_eq!(counts(&row), want, "as of {as_of}");
    }
}

#[test]
fn by_week_splits_the_whole_log_in_kyiv_weeks() {
    let (r, _) = json(&[
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
    let rows: Vec<(String, Counts)> = r["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let week = s["group"]["week"].as_str().unwrap_or("(all)");
            (week.to_string(), counts(s))
        })
        .collect();
    // T-48210 starts on Sunday 23:52 Kyiv (W46); the rest of the whole log as of its end
    assert_eq!(
        rows,
        [
            ("2026-W46".to_string(), (1, 1, 0, 0, 0)),
            ("2026-W47".to_string(), (75, 70, 5, 0, 0)),
            ("2026-W48".to_string(), (6, 4, 1, 1, 0)),
            ("(all)".to_string(), (82, 75, 6, 1, 0)),
        ]
    );
}
