//! Business calendars through the binary, on `tests/fixtures/office-hours/`: office minutes,
//! a limit that ends exactly at closing, "same day", "N business days", pauses, a calendar
//! per team, and `explain`. Every number was worked out by hand from `tickets.csv` (December
//! 2024: Berlin = UTC+1, New York = UTC-5; Mon-Fri 09:00-17:00 in Berlin, the 24th open
//! 09:00-13:00, the 25th and 26th holidays; New York 09:00-12:00 and 13:00-17:00, 12-25 a
//! yearly holiday). The log's latest event, and so the as-of, is Fri 27 Dec 09:20 Berlin.
use crate::common;

use common::*;
use serde_json::Value;

const STD: &str = "tests/fixtures/office-hours/standards.toml";

fn audit() -> Value {
    let (r, status) = json(&["audit", "-s", STD, "--format", "json"]);
    assert_eq!(
        status, 1,
        "every standard of the fixture falls short of 100%"
    );
    r
}

/// (met, breached, open) of a standard.
fn mbo(r: &Value, id: &str) -> (i64, i64, i64) {
    let s = standard(r, id);
    (
        s["met"].as_i64().unwrap(),
        s["breached"].as_i64().unwrap(),
        s["open"].as_i64().unwrap(),
    )
}

fn breaches() -> Vec<Value> {
    let o = run(&["breaches", "-s", STD, "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["breaches"].as_array().unwrap().clone()
}

fn breach<'a>(all: &'a [Value], id: &str, case: &str) -> &'a Value {
    all.iter()
        .find(|b| b["standard"] == id && b["case"] == case)
        .unwrap_or_else(|| panic!("no breach of {id} for {case}"))
}

fn not_breached(all: &[Value], id: &str, case: &str) {
    assert!(
        !all.iter().any(|b| b["standard"] == id && b["case"] == case),
        "{case} must not breach {id}"
    );
}

#[test]
fn office_minutes_skip_nights_weekends_and_holidays() {
    let r = audit();
    assert_eq!(mbo(&r, "first-reply-30m"), (2, 3, 0));
    let s = standard(&r, "first-reply-30m");
    assert_eq!(s["calendar"], "berlin");
    // Stopped clocks: T-5 1800, T-2 1200, T-3 2700, T-1 3600 -> sorted 1200 1800 2700 3600.
    assert_eq!(s["median_s"], 1800);
    assert_eq!(s["max_s"], 3600);
    let b = breaches();
    // T-2: created Tue 24 Dec 16:55, after the 13:00 close of Christmas Eve; the 25th and
    // 26th are holidays; the reply at Fri 27 09:20 is 20 office minutes in: met.
    not_breached(&b, "first-reply-30m", "T-2");
    // T-5: Thu 09:00 -> 09:30 is exactly the limit: met.
    not_breached(&b, "first-reply-30m", "T-5");
}

#[test]
fn a_limit_that_ends_exactly_at_closing_runs_to_the_next_opening() {
    // T-1: created Fri 20 Dec 16:30; 30 office minutes end at the 17:00 close. No office time
    // passes over the weekend, so the last instant that still meets the limit is the next
    // opening, Mon 23 Dec 09:00. The reply at 09:30 is 3600 s of office time: 1800 s over.
    let b = breaches();
    let t1 = breach(&b, "first-reply-30m", "T-1");
    assert_eq!(
        utc(t1["deadline"].as_str().unwrap()),
        "2024-12-23T08:00:00Z"
    );
    assert_eq!(t1["elapsed_s"], 3600);
    assert_eq!(t1["limit_s"], 1800);
    assert_eq!(t1["over_by_s"], 1800);
}

#[test]
fn an_unanswered_case_is_measured_to_as_of() {
    // T-4: created Wed 18 Dec 09:00, never answered. To Fri 27 09:20: Wed, Thu, Fri, Mon
    // 8h each, Tue 24 4h (override), 25-26 holidays, Fri 27 20m = 36h20m = 130800 s.
    let b = breaches();
    let t4 = breach(&b, "first-reply-30m", "T-4");
    assert!(t4["clock_stop"].is_null());
    assert_eq!(t4["elapsed_s"], 130800);
    assert_eq!(t4["over_by_s"], 130800 - 1800);
    assert_eq!(
        utc(t4["deadline"].as_str().unwrap()),
        "2024-12-18T08:30:00Z"
    );
}

#[test]
fn same_day_ends_at_the_close_of_the_open_day() {
    let r = audit();
    assert_eq!(mbo(&r, "email-same-day"), (1, 1, 0));
    let b = breaches();
    // T-1: created Fri 16:30, the day closes at 17:00; answered Monday: breached. The last
    // second that counts is 16:59:59 (29m59s of office time); Monday's 30 minutes and the
    // one second at 16:59:59 make 1801 s over.
    let t1 = breach(&b, "email-same-day", "T-1");
    assert_eq!(
        utc(t1["deadline"].as_str().unwrap()),
        "2024-12-20T15:59:59Z"
    );
    assert_eq!(t1["limit_s"], 1799);
    assert_eq!(t1["over_by_s"], 1801);
    // T-2: created after Christmas Eve's 13:00 close, so its day is the next open one,
    // Fri 27; answered Fri 09:20: met.
    not_breached(&b, "email-same-day", "T-2");
}

#[test]
fn n_business_days_end_at_the_close_of_the_nth_open_day() {
    let r = audit();
    // T-1 (Fri -> Mon 23, Tue 24 closes 13:00; solved Mon 11:00), T-3 (Mon 16 -> Wed 18
    // 17:00; solved Tue) and T-5 (Thu 19 -> Mon 23 17:00; solved Fri) are met. T-2 started
    // after the close of the 24th: its day is Fri 27 and its deadline Tue 31 17:00, still
    // open at as-of. T-4 is unsolved past Fri 20 17:00: breached.
    assert_eq!(mbo(&r, "resolved-2-business-days"), (3, 1, 1));
    let b = breaches();
    let t4 = breach(&b, "resolved-2-business-days", "T-4");
    assert_eq!(
        utc(t4["deadline"].as_str().unwrap()),
        "2024-12-20T15:59:59Z"
    );
    // Wed 8h + Thu 8h + Fri up to 16:59:59 = 86399 s.
    assert_eq!(t4["limit_s"], 86399);
}

#[test]
fn pauses_stop_the_clock_until_the_customer_answers() {
    let r = audit();
    // T-1 met (2h30), T-3 met (14h of office time - 7h waiting = 7h), T-5 breached, T-2 and
    // T-4 open (T-2 unsolved and young; T-4 waiting on the customer ever since Wed 10:00).
    assert_eq!(mbo(&r, "resolution-8h-paused"), (2, 1, 2));
    let s = standard(&r, "resolution-8h-paused");
    assert_eq!(s["median_s"], 25200);
    let b = breaches();
    not_breached(&b, "resolution-8h-paused", "T-3");
    // T-5: Thu 09:00 -> Fri 15:00 is 14h of office time, 3h of it waiting (10:00-13:00):
    // 11h against 8h. With 1h used before the pause, 7h remain from 13:00: Thu 4h + Fri 3h,
    // so the clock runs out at Fri 12:00.
    let t5 = breach(&b, "resolution-8h-paused", "T-5");
    assert_eq!(t5["elapsed_s"], 39600);
    assert_eq!(t5["paused_s"], 10800);
    assert_eq!(t5["over_by_s"], 10800);
    assert_eq!(
        utc(t5["deadline"].as_str().unwrap()),
        "2024-12-20T11:00:00Z"
    );
}

#[test]
fn each_team_is_measured_on_its_own_calendar() {
    let r = audit();
    // emea T-1 (1h) and T-3 (45m) on Berlin time, apac T-5 (unmapped: the default, Berlin,
    // 30m) are met; amer T-2 on New York time and T-4 (no team: the default) are breached.
    assert_eq!(mbo(&r, "reply-4h-by-team"), (3, 2, 0));
    assert_eq!(standard(&r, "reply-4h-by-team")["calendar"], "by team");
    let b = breaches();
    // T-2 in New York: created Tue 24 10:55 EST; Tue 10:55-12:00 and 13:00-17:00 (5h05m),
    // Wed 25 a holiday, Thu 26 7h, Fri 27 03:20 before opening: 12h05m = 43500 s. The 4h ran
    // out on Tue at 15:55 EST (20:55Z).
    let t2 = breach(&b, "reply-4h-by-team", "T-2");
    assert_eq!(t2["elapsed_s"], 43500);
    assert_eq!(t2["over_by_s"], 43500 - 14400);
    assert_eq!(
        utc(t2["deadline"].as_str().unwrap()),
        "2024-12-24T20:55:00Z"
    );
}

#[test]
fn explain_shows_the_working() {
    let o = run(&[
        "explain",
        "-s",
        STD,
        "--standard",
        "resolution-8h-paused",
        "--case",
        "T-5",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    for line in [
        "calendar  berlin (Europe/Berlin): mon-fri 09:00-17:00; 2 holidays; 1 override",
        "  Thu 2024-12-19 10:00:00 CET  waiting_on_customer",
        "  starts    Thu 2024-12-19 09:00:00 CET (2024-12-19T08:00:00Z)",
        "  stops     Fri 2024-12-20 15:00:00 CET (2024-12-20T14:00:00Z)",
        "    Thu 2024-12-19  09:00:00-17:00:00  8h00m  running total 8h00m",
        "    Fri 2024-12-20  09:00:00-15:00:00  6h00m  running total 14h00m",
        "  paused    Thu 2024-12-19 10:00:00 CET -> Thu 2024-12-19 13:00:00 CET: 3h00m of open time not counted",
        "  elapsed   39600 s (11h00m) of open time (14h00m counted - 3h00m paused)",
        "  limit     28800 s (8h00m)",
        "  deadline  Fri 2024-12-20 12:00:00 CET (2024-12-20T11:00:00Z), the last instant that meets the limit",
        "  verdict   BREACHED, 10800 s (3h00m) over",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing line {line:?} in:\n{text}"
        );
    }
}

#[test]
fn explain_lists_closed_days_and_overrides() {
    let o = run(&[
        "explain",
        "-s",
        STD,
        "--standard",
        "first-reply-30m",
        "--case",
        "T-2",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    for line in [
        "    Tue 2024-12-24  open 09:00-13:00 (override): none of it inside the clock",
        "    Wed 2024-12-25  closed: holiday",
        "    Thu 2024-12-26  closed: holiday",
        "    Fri 2024-12-27  09:00:00-09:20:00  20m  running total 20m",
        "  verdict   MET",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing line {line:?} in:\n{text}"
        );
    }
}

#[test]
fn explain_of_an_unknown_case_or_a_filtered_case() {
    let o = run(&[
        "explain",
        "-s",
        STD,
        "--standard",
        "email-same-day",
        "--case",
        "T-9",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no case \"T-9\""), "{}", stderr(&o));
    let o = run(&[
        "explain",
        "-s",
        STD,
        "--standard",
        "email-same-day",
        "--case",
        "T-3",
    ]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).contains("not a case of this standard: its `where` wants channel in [email]"),
        "{}",
        stdout(&o)
    );
}

fn check_err(toml_body: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.toml");
    std::fs::write(&p, toml_body).unwrap();
    let o = run(&["check", "-s", &path_str(&p)]);
    assert_eq!(code(&o), 2, "stdout: {}", stdout(&o));
    stderr(&o).replace(&path_str(&p), "s.toml")
}

const HEAD: &str =
    "version = 1\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\ntime = \"ts\"\nevent = \"ev\"\n";

#[test]
fn calendar_errors_point_at_the_line_and_say_what_is_accepted() {
    let e = check_err(&format!(
        "{HEAD}[calendars.office]\nmon = [\"09:00-13:00\", \"12:00-18:00\"]\n"
    ));
    assert!(e.contains("s.toml:8:7:"), "{e}"); // the `mon` list that has the clash
    assert!(e.contains("calendar \"office\""), "{e}");
    assert!(e.contains("overlap"), "{e}");

    let e = check_err(&format!("{HEAD}[calendars.office]\nmon = [\"9-17\"]\n"));
    assert!(e.contains("s.toml:8:8"), "{e}");
    assert!(e.contains("\"09:00-17:00\""), "{e}");

    let e = check_err(&format!(
        "{HEAD}[calendars.office]\ntimezone = \"Europe/Kiev-ish\"\nmon = [\"09:00-17:00\"]\n"
    ));
    assert!(e.contains("s.toml:8:12"), "{e}");
    assert!(e.contains("unknown time zone"), "{e}");

    let e = check_err(&format!(
        "{HEAD}[calendars.office]\nmon = [\"09:00-17:00\"]\nholidays = [\"2026-02-30\"]\n"
    ));
    assert!(e.contains("s.toml:9:"), "{e}");
    assert!(e.contains("2026-02-30"), "{e}");

    let e = check_err(&format!(
        "{HEAD}[calendars.office]\nmon = [\"09:00-17:00\"]\nfriday = [\"09:00-17:00\"]\n"
    ));
    assert!(e.contains("s.toml:9:1"), "{e}");
    assert!(e.contains("unknown field `friday`"), "{e}");
}

#[test]
fn days_on_a_business_calendar_must_be_spelled_out() {
    let e = check_err(&format!(
        "{HEAD}[calendars.office]\nmon = [\"09:00-17:00\"]\n[[standard]]\nid = \"x\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"2d\"\ncalendar = \"office\"\n"
    ));
    assert!(e.contains("s.toml:13:10"), "{e}");
    assert!(e.contains("\"2 business days\""), "{e}");
    assert!(e.contains("\"48h\""), "{e}");
}

#[test]
fn pauses_need_both_ends_and_a_duration() {
    let e = check_err(&format!(
        "{HEAD}[[standard]]\nid = \"x\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\npause_on = \"p\"\n"
    ));
    assert!(e.contains("`pause_on` needs `resume_on`"), "{e}");
    let e = check_err(&format!(
        "{HEAD}[[standard]]\nid = \"x\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"same day\"\npause_on = \"p\"\nresume_on = \"r\"\n"
    ));
    assert!(e.contains("s.toml:12:12"), "{e}");
    assert!(e.contains("duration"), "{e}");
}

#[test]
fn unused_calendar_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("s.toml");
    std::fs::write(
        &p,
        format!("{HEAD}[calendars.office]\nmon = [\"09:00-17:00\"]\n[[standard]]\nid = \"x\"\ntitle = \"t\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\n"),
    )
    .unwrap();
    let o = run(&["check", "-s", &path_str(&p)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(":7: calendar \"office\" is not used by any standard"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_span_past_midnight_into_the_next_days_hours_points_at_its_day() {
    let e = check_err(&format!(
        "{HEAD}[calendars.office]\nmon = [\"22:00-06:00\"]\ntue = [\"05:00-12:00\"]\n"
    ));
    assert!(e.contains("s.toml:8:7:"), "{e}");
    assert!(
        e.contains("mon \"22:00-06:00\" runs past midnight into tue \"05:00-12:00\""),
        "{e}"
    );
}

#[test]
fn holidays_may_be_toml_dates() {
    // The fixture's Berlin holidays as TOML dates (no quotes) judge every case as the strings do.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(STD)).unwrap();
    let dated = text.replace(
        "holidays = [\"2024-12-25\", \"2024-12-26\"]",
        "holidays = [2024-12-25, 2024-12-26]",
    );
    assert_ne!(dated, text, "the fixture's holidays line");
    std::fs::write(dir.path().join("standards.toml"), dated).unwrap();
    std::fs::copy(
        fixture("office-hours").join("tickets.csv"),
        dir.path().join("tickets.csv"),
    )
    .unwrap();
    let file = path_str(&dir.path().join("standards.toml"));
    let o = run(&["check", "-s", &file]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let (r, status) = json(&["audit", "-s", &file, "--format", "json"]);
    assert_eq!(status, 1);
    assert_eq!(r["standards"], audit()["standards"]);
}
