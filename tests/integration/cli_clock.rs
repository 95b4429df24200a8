//! Deadlines at a time of day (`within = "same day by 17:00"`, `"next business day by
//! 16:00"`, `"N business days by HH:MM"`) on `tests/fixtures/clock-time/`: every case is
//! also computed by tests/reference/reference.py (tests/cli_reference.rs); the numbers here
//! are hand-checked from `tickets.csv` (Berlin, UTC+1 in December; office Mon-Fri
//! 09:00-18:00, Thu 24 Dec 09:00-13:00, Fri 25 Dec a holiday; as-of: the last row, C6
//! solved Tue 29 Dec 16:30).
//!
//! reply-same-day-by-17 (web cases):
//! - C1 created Mon 21 10:00, reply 16:30: due Mon 17:00, met (6h30m of open time).
//! - C2 created Mon 21 17:30, past 17:00: due Tue 22 17:00; reply Tue 16:00, met (7h30m).
//! - C3 created Sat 19 11:00 (closed): due Mon 21 17:00; reply at 17:00:00, met (8h00m).
//! - C4 created Tue 22 07:00 (before opening): due Tue 17:00; reply 17:00:01, breached.
//! - C5 created Wed 23 17:15: due Thu 24 17:00 (the eve's 13:00 close does not clip it);
//!   reply Thu 12:00, met.
//! - C6 created Thu 24 14:00, after the eve's close: over the holiday and the weekend, due
//!   Mon 28 17:00; reply 17:30, breached.
//! - C7 created Thu 24 12:00, no reply: breached at the as-of (due Thu 24 17:00).
//! - C8 created Tue 29 10:00, no reply: open (due Tue 29 17:00, after the as-of).
//!
//! Met 4, breached 3, open 1: 4/7 = 57.1%. Stopped values 23400, 27000, 28800, 28801, 13500,
//! 30600: median (rank 3 of 6) 27000, p90 (rank 6) 30600.

use crate::common;

use common::*;

const S: &str = "tests/fixtures/clock-time/standards.toml";

#[test]
fn same_day_by_17_counts_by_hand() {
    let (r, code) = json(&["audit", "-s", S, "--format", "json"]);
    assert_eq!(code, 1);
    let s = standard(&r, "reply-same-day-by-17");
    let got = [
        "cases", "met", "breached", "open", "median_s", "p90_s", "max_s",
    ]
    .map(|k| s[k].as_i64().unwrap());
    assert_eq!(got, [8, 4, 3, 1, 27000, 30600, 30600]);
    // The limit's length depends on the day: no fixed limit, as for "same day".
    assert!(s["limit_s"].is_null(), "{s}");
    assert_eq!(s["kind"], "elapsed");
    assert_eq!(s["rule"], "created -> agent_reply within same day by 17:00");
    assert_eq!(s["compliance"].as_f64(), Some(4.0 / 7.0 * 100.0));
}

#[test]
fn each_standards_and_the_always_calendar_take_a_time_of_day() {
    let (r, _) = json(&["audit", "-s", S, "--format", "json"]);
    let counts = |id: &str| {
        let s = standard(&r, id);
        ["met", "breached", "open"].map(|k| s[k].as_i64().unwrap())
    };
    // C1's message Mon 16:45 waits for Tue 09:15: breached (due Mon 17:00). C2's message Tue
    // 17:05 is past 17:00: due Wed 17:00, answered Wed 10:00, met.
    assert_eq!(counts("each-message-by-17"), [1, 1, 0]);
    // Round the clock, Saturday is a day like any: C3 (Sat 11:00) is due Sat 17:00 and its
    // Monday reply is late; C1, C2, C5 met; C3, C4, C6, C7 breached; C8 open.
    assert_eq!(counts("reply-by-17-any-day"), [3, 4, 1]);
    // P1 and P2 start on 29 March before 02:30, a time that does not exist that night: the
    // deadline is the change (01:00Z); P1's reply at 01:00:00Z is in time, P2's a second late.
    // On 25 October 02:30 happens twice: the later one (01:30Z), so P3 (01:20Z) is met.
    assert_eq!(counts("night-call-by-0230"), [2, 1, 0]);
}

#[test]
fn next_business_day_by_16_moves_past_the_cut_off() {
    // C2 is created Mon 17:30, past 16:00: its day is Tue, due Wed 23 16:00; solved Wed 15:59.
    let o = run(&[
        "breaches",
        "-s",
        S,
        "--only",
        "solved-next-day-by-16",
        "--format",
        "csv",
    ]);
    let (_, rows) = csv_records(&stdout(&o));
    let got: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| {
            [
                r["case"].as_str(),
                r["deadline"].as_str(),
                r["limit_s"].as_str(),
                r["over_by_s"].as_str(),
            ]
        })
        .collect();
    // C3 (Sat): Mon is its day, due Tue 22 16:00 = 16h of open time; solved Wed 12:30 (21h30m).
    // C4 (Tue 07:00): due Wed 16:00, 16h from the opening; solved Thu 10:00 (19h).
    // C6 (Thu 14:00, closed): Mon 28 is its day, due Tue 29 16:00 (16h); solved 16:30.
    // C7 (Thu 12:00, before 16:00 on the eve): due Mon 28 16:00: 1h + 7h, open at the as-of.
    assert_eq!(
        got,
        [
            ["C3", "2026-12-22T15:00:00Z", "57600", "19800"],
            ["C4", "2026-12-23T15:00:00Z", "57600", "10800"],
            ["C6", "2026-12-29T15:00:00Z", "57600", "1800"],
            ["C7", "2026-12-28T15:00:00Z", "28800", "34200"],
        ],
        "{}",
        stdout(&o)
    );
}

#[test]
fn explain_shows_the_computed_deadline_and_the_cut_off() {
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "solved-next-day-by-16",
        "--case",
        "C2",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    let tail: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("  elapsed"))
        .collect();
    assert_eq!(
        tail,
        [
            "  elapsed   59340 s (16h29m) of open time",
            "  limit     next business day by 16:00: 16h30m of open time to the deadline",
            "  deadline  Wed 2026-12-23 16:00:00 CET (2026-12-23T15:00:00Z), 16:00 on the 1st \
             open day after Tue 2026-12-22, the clock's day (the clock started at or past 16:00 \
             on its first open day, so its day is the next one); a stop at that instant meets it",
            "  verdict   MET",
        ],
        "{text}"
    );
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "reply-same-day-by-17",
        "--case",
        "C3",
    ]);
    let text = stdout(&o);
    assert!(
        text.contains(
            "\n  deadline  Mon 2026-12-21 17:00:00 CET (2026-12-21T16:00:00Z), 17:00 on Mon \
             2026-12-21, the clock's day; a stop at that instant meets it\n  verdict   MET\n"
        ),
        "{text}"
    );
}

/// A standards file whose one standard has `within = WITHIN` (line 9) and `extra` lines.
fn standards_with(within: &str, extra: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(
        &path,
        format!(
            "version = 1\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\ntime = \"t\"\n\
             event = \"e\"\n[[standard]]\nid = \"x\"\nwithin = \"{within}\"\nfrom = \"a\"\n\
             to = \"b\"\n{extra}"
        ),
    )
    .unwrap();
    let shown = path.display().to_string();
    (dir, shown)
}

#[test]
fn bad_clock_times_are_errors_with_their_place_and_the_forms() {
    let forms = "; expected a duration such as \"45s\", \"10m\", \"4h\", \"1h30m\", \"2d\" or \
                 \"1w\" (units w, d, h, m, s, largest first), \"same day\", \"1 business day\" or \
                 \"N business days\", or a time of day on such a day: \"same day by 17:00\", \
                 \"next business day by 16:00\" or \"N business days by HH:MM\" (HH:MM from \
                 00:00 to 23:59)";
    for (within, why) in [
        (
            "same day by 25:00",
            "\"25:00\" is not a time of day (HH:MM from 00:00 to 23:59)",
        ),
        ("same day by", "names no time of day after \"by\""),
        ("by 17:00", "names no day before \"by\""),
    ] {
        let (_dir, path) = standards_with(within, "");
        let o = run(&["check", "-s", &path]);
        assert_eq!(code(&o), 2, "{within}");
        let first = stderr(&o).lines().next().unwrap_or_default().to_string();
        assert_eq!(
            first,
            format!("error: {path}:9:10: standard \"x\": within: {within:?}: {why}{forms}"),
            "{within}"
        );
    }
}

#[test]
fn a_pause_cannot_move_a_time_of_day() {
    let (_dir, path) = standards_with(
        "next business day by 16:00",
        "pause_on = \"p\"\nresume_on = \"r\"\n",
    );
    let o = run(&["check", "-s", &path]);
    assert_eq!(code(&o), 2);
    let first = stderr(&o).lines().next().unwrap_or_default().to_string();
    assert_eq!(
        first,
        format!(
            "error: {path}:12:12: standard \"x\": `pause_on` does not apply to a deadline at a \
             time of day (\"next business day by 16:00\"): it is a fixed instant on the wall \
             clock that a pause does not move; give a duration such as \"4h\" to stop the \
             clock while waiting"
        )
    );
}

#[test]
fn tables_show_the_rule_as_written() {
    let o = run(&["check", "-s", S]);
    let text = stdout(&o);
    assert!(
        text.contains(
            "  solved-2-days-by-12          operational   target    80%  created -> solved \
             within 2 business days by 12:00\n"
        ),
        "{text}"
    );
}

#[test]
fn explain_names_the_nth_open_day_and_a_skipped_time() {
    // C7 is created Thu 24 12:00, at the cut-off: its day is Mon 28, two open days on is Wed 30.
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "solved-2-days-by-12",
        "--case",
        "C7",
    ]);
    assert!(
        stdout(&o).contains(
            "\n  deadline  Wed 2026-12-30 12:00:00 CET (2026-12-30T11:00:00Z), 12:00 on the 2nd \
             open day after Mon 2026-12-28, the clock's day (the clock started at or past 12:00 \
             on its first open day, so its day is the next one); a stop at that instant meets \
             it\n  verdict   OPEN: not decided at as-of\n"
        ),
        "{}",
        stdout(&o)
    );
    // P2: 02:30 is skipped on 29 March in Berlin; one second after the change is late.
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "night-call-by-0230",
        "--case",
        "P2",
    ]);
    assert!(
        stdout(&o).contains(
            "\n  deadline  Sun 2026-03-29 03:00:00 CEST (2026-03-29T01:00:00Z), 02:30 on Sun \
             2026-03-29, the clock's day (02:30 does not exist that night: the clocks change \
             then); a stop at that instant meets it\n  verdict   BREACHED, 1 s (1s) over\n"
        ),
        "{}",
        stdout(&o)
    );
}
