//! The binary against the independent reference (`tests/reference/`): every field of every
//! standard in `expected/*.json`, the breached cases of `expected/*-cases.csv` through
//! `yardstick breaches`, and every case's verdict and values of `expected/*-cases.csv` through
//! the library (no command prints met and open cases).

use crate::common;

use common::*;
use serde_json::Value;

/// The fields the reference reports per standard.
const FIELDS: &[&str] = &[
    "cases",
    "met",
    "breached",
    "open",
    "excluded",
    "compliance",
    "target",
    "target_max",
    "passed",
    "compliance_variance",
    "limit_s",
    "median_s",
    "p90_s",
    "max_s",
    "group",
    // Value standards only (the reference writes them for value standards alone).
    "value_at_least",
    "value_at_most",
    "median_value",
    "p90_value",
    "max_value",
    "no_value",
];

/// JSON values equal, numbers compared as numbers (600 == 600.0).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Compares every reference field of every standard; `skip(kind, field)` leaves out the
/// fields where the binary knowingly differs (each such difference is a decision with its own test).
fn compare(expected: &str, args: &[&str], skip: &dyn Fn(&str, &str) -> bool) {
    let reference = read_json(&format!("tests/reference/expected/{expected}"));
    let mut full = args.to_vec();
    full.extend(["--format", "json"]);
    let (got, _) = json(&full);
    let want = reference["standards"].as_array().unwrap();
    // The reference has no totals rows (`"group": null` with --by); those are checked in
    // tests/integration/cli_reports.rs.
    let have: Vec<&Value> = got["standards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| !(s.get("group") == Some(&Value::Null)))
        .collect();
    assert_eq!(
        have.len(),
        want.len(),
        "{expected}: number of standard rows (yardstick {args:?})"
    );
    let mut problems = Vec::new();
    for (w, h) in want.iter().zip(have) {
        let what = format!("{} {}", w["id"], w.get("group").unwrap_or(&Value::Null));
        assert_eq!(h["id"], w["id"], "{expected}: order of the rows");
        let kind = w["kind"].as_str().unwrap_or("");
        for f in FIELDS {
            let Some(wv) = w.get(*f) else { continue };
            if skip(kind, f) {
                continue;
            }
            let hv = h.get(*f).unwrap_or(&Value::Null);
            if !same(wv, hv) {
                problems.push(format!("{what} {f}: reference {wv}, yardstick {hv}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{expected} vs yardstick {args:?}:\n{}",
        problems.join("\n")
    );
}

/// limit_s of deadline and count standards: see `limit_s_of_deadline_and_count_standards`.
/// Deadline standards: yardstick reports `limit_s` 0 (the value is lateness against the
/// deadline, so the limit is zero lateness; README, "How cases are judged"); the reference
/// leaves it null.
fn known_limit_difference(kind: &str, field: &str) -> bool {
    field == "limit_s" && kind == "deadline"
}

#[test]
fn ticket_desk_whole_log_matches_reference() {
    compare(
        "ticket-desk.json",
        &["audit", "-s", "standards/ticket-desk.toml"],
        &known_limit_difference,
    );
}

#[test]
fn target_ranges_match_reference() {
    compare(
        "target-range.json",
        &["audit", "-s", "tests/fixtures/target-range/standards.toml"],
        &known_limit_difference,
    );
}

#[test]
fn training_provider_whole_log_matches_reference() {
    compare(
        "training-provider.json",
        &["audit", "-s", "standards/training-provider.toml"],
        &known_limit_difference,
    );
}

#[test]
fn order_cycle_whole_log_matches_reference() {
    compare(
        "order-cycle.json",
        &["audit", "-s", "standards/order-cycle.toml"],
        &known_limit_difference,
    );
}

#[test]
fn ticket_desk_week_47_matches_reference() {
    compare(
        "ticket-desk-w47.json",
        &[
            "audit",
            "-s",
            "standards/ticket-desk.toml",
            "--week",
            "2026-W47",
        ],
        &known_limit_difference,
    );
}

#[test]
fn ticket_desk_by_department_matches_reference() {
    compare(
        "ticket-desk-by-department.json",
        &[
            "audit",
            "-s",
            "standards/ticket-desk.toml",
            "--by",
            "department",
        ],
        &known_limit_difference,
    );
}

#[test]
fn broken_sample_matches_reference() {
    compare(
        "broken-tickets-bad-rows.json",
        &[
            "audit",
            "-s",
            "standards/ticket-desk.toml",
            "--log",
            "tickets=samples/broken/tickets-bad-rows.csv",
        ],
        &known_limit_difference,
    );
}

#[test]
fn limit_s_is_zero_lateness_for_deadlines_and_the_window_for_counts() {
    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "json",
    ]);
    assert_eq!(standard(&r, "reply-before-closing")["limit_s"], 0);
    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/order-cycle.toml",
        "--format",
        "json",
    ]);
    assert_eq!(standard(&r, "delivered-by-deadline")["limit_s"], 0);
    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/training-provider.toml",
        "--format",
        "json",
    ]);
    assert_eq!(standard(&r, "three-follow-ups")["limit_s"], 604800);
}

#[test]
fn headline_numbers_of_the_readme() {
    // A few headline figures spelled out, so that a change in the reference files alone
    // cannot make the comparison above pass vacuously.
    let (r, code) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let s = standard(&r, "first-reply-10m");
    assert_eq!(
        (&s["cases"], &s["met"], &s["breached"], &s["open"]),
        (
            &Value::from(82),
            &Value::from(75),
            &Value::from(6),
            &Value::from(1)
        )
    );
    assert_eq!(s["median_s"], 369);
    assert_eq!(s["p90_s"], 579);
    assert_eq!(s["max_s"], 6900);
    assert_eq!(s["passed"], false);
    assert!((s["compliance"].as_f64().unwrap() - 75.0 / 81.0 * 100.0).abs() < 1e-9);
    let s = standard(&r, "reply-before-closing");
    assert_eq!(
        (&s["median_s"], &s["p90_s"], &s["max_s"]),
        (&Value::from(-43880), &Value::from(-7634), &Value::from(300))
    );

    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/training-provider.toml",
        "--format",
        "json",
    ]);
    let s = standard(&r, "three-follow-ups");
    assert_eq!(
        (
            &s["cases"],
            &s["met"],
            &s["breached"],
            &s["open"],
            &s["excluded"]
        ),
        (
            &Value::from(36),
            &Value::from(13),
            &Value::from(7),
            &Value::from(16),
            &Value::from(5)
        )
    );
    assert_eq!(s["compliance"].as_f64(), Some(65.0));
    assert_eq!(s["median_s"], Value::Null);

    let (r, _) = json(&[
        "audit",
        "-s",
        "standards/order-cycle.toml",
        "--format",
        "json",
    ]);
    let s = standard(&r, "delivered-by-deadline");
    assert_eq!(
        (
            &s["cases"],
            &s["met"],
            &s["breached"],
            &s["open"],
            &s["excluded"]
        ),
        (
            &Value::from(115),
            &Value::from(97),
            &Value::from(12),
            &Value::from(6),
            &Value::from(5)
        )
    );
    assert_eq!(
        (&s["median_s"], &s["p90_s"], &s["max_s"]),
        (
            &Value::from(-50039),
            &Value::from(-59),
            &Value::from(102300)
        )
    );
}

// ---------------------------------------------------------------------------------------
// Breached cases: `yardstick breaches --format csv` against expected/*-cases.csv.

type Key = (String, String, String, String, String);

fn reference_breaches(cases_csv: &str) -> Vec<(Key, bool)> {
    let text = std::fs::read_to_string(root().join("tests/reference/expected").join(cases_csv))
        .expect("cases csv");
    let (_, rows) = csv_records(&text);
    rows.into_iter()
        .filter(|r| r["verdict"] == "breached")
        .map(|r| {
            let is_count = !r["count"].is_empty();
            (
                (
                    r["standard"].clone(),
                    r["case"].clone(),
                    r["start"].clone(),
                    r["stop"].clone(),
                    r["deadline"].clone(),
                ),
                is_count,
            )
        })
        .collect()
}

fn yardstick_breaches(args: &[&str]) -> Vec<Key> {
    let mut full = vec!["breaches"];
    full.extend(args);
    full.extend(["--format", "csv"]);
    let o = run(&full);
    assert_eq!(code(&o), 0, "breaches exits 0; stderr: {}", stderr(&o));
    let (_, rows) = csv_records(&stdout(&o));
    rows.into_iter()
        .map(|r| {
            // The reference names the n-th occurrence of an `each` standard `CASE#n`.
            let case = if r["occurrence"].is_empty() {
                r["case"].clone()
            } else {
                format!("{}#{}", r["case"], r["occurrence"])
            };
            (
                r["standard"].clone(),
                case,
                utc(&r["clock_start"]),
                utc(&r["clock_stop"]),
                utc(&r["deadline"]),
            )
        })
        .collect()
}

/// `strict_count_stop`: also compare clock_stop of count standards (a count's clock_stop is empty by design; see the test below).
fn compare_breaches(cases_csv: &str, args: &[&str], strict_count_stop: bool) {
    let want = reference_breaches(cases_csv);
    let have = yardstick_breaches(args);
    assert!(!want.is_empty());
    assert_eq!(
        have.len(),
        want.len(),
        "{cases_csv}: number of breached cases\nyardstick: {have:#?}"
    );
    for ((w, is_count), h) in want.iter().zip(&have) {
        if *is_count && !strict_count_stop {
            assert_eq!(
                (&h.0, &h.1, &h.2, &h.4),
                (&w.0, &w.1, &w.2, &w.4),
                "{cases_csv}: (standard, case, clock_start, deadline)"
            );
        } else {
            assert_eq!(
                h, w,
                "{cases_csv}: (standard, case, clock_start, clock_stop, deadline)"
            );
        }
    }
}

#[test]
fn ticket_desk_breaches_match_reference() {
    compare_breaches(
        "ticket-desk-cases.csv",
        &["-s", "standards/ticket-desk.toml"],
        true,
    );
}

#[test]
fn ticket_desk_week_47_breaches_match_reference() {
    compare_breaches(
        "ticket-desk-w47-cases.csv",
        &["-s", "standards/ticket-desk.toml", "--week", "2026-W47"],
        true,
    );
}

#[test]
fn training_provider_breaches_match_reference() {
    compare_breaches(
        "training-provider-cases.csv",
        &["-s", "standards/training-provider.toml"],
        false,
    );
}

#[test]
fn order_cycle_breaches_match_reference() {
    compare_breaches(
        "order-cycle-cases.csv",
        &["-s", "standards/order-cycle.toml"],
        true,
    );
}

#[test]
fn a_count_breach_has_no_clock_stop_and_its_window_close_as_deadline() {
    // No event stopped INQ-3103's clock: the window's close decided it, so clock_stop stays
    // empty (README, `breaches`) and the close is the deadline (the reference's "stop").
    let out = run(&[
        "breaches",
        "-s",
        "standards/training-provider.toml",
        "--only",
        "three-follow-ups",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let b = v["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["case"] == "INQ-3103")
        .expect("INQ-3103 is breached");
    assert!(b["clock_stop"].is_null(), "{b}");
    assert_eq!(utc(b["deadline"].as_str().unwrap()), "2026-11-23T17:00:00Z");
    assert_eq!(b["required"], ">=3");
}

// ---------------------------------------------------------------------------------------
// Every case, whatever its verdict, against expected/*-cases.csv.
//
// No command lists every case: `breaches` shows the breached ones, `explain` one case at a
// time (a process per case for ~900 rows), the xlsx workbook only breaches. So the cases are
// judged through the library, with what `load` in src/cli.rs does for these runs: the
// standards file's default logs, the period, and as-of = the end of the period, else the
// source's latest time (`SourceData::latest`). That the CLI's audit counts equal these same
// cases is what the tests above check: each side matches the reference.

use std::collections::BTreeMap;
use yardstick::evaluate::{evaluate, Exclusion, Period, Verdict};
use yardstick::ingest::{Needs, Reader};

/// (standard, case) -> [start, stop, deadline, verdict, value_s, count, reason, number], as
/// the reference writes them (UTC times, empty for none; `number` is a value standard's, as
/// Python writes a float, and its column is there only in files with value standards).
type Cases = BTreeMap<(String, String), [String; 8]>;

fn reference_cases(cases_csv: &str) -> Cases {
    let text = std::fs::read_to_string(root().join("tests/reference/expected").join(cases_csv))
        .expect("cases csv");
    let (_, rows) = csv_records(&text);
    let mut out = Cases::new();
    for r in rows {
        let key = (r["standard"].clone(), r["case"].clone());
        let v = [
            "start", "stop", "deadline", "verdict", "value_s", "count", "reason", "number",
        ]
        .map(|k| r.get(k).cloned().unwrap_or_default());
        assert!(out.insert(key.clone(), v).is_none(), "{key:?} twice");
    }
    out
}

/// A float as Python's `repr` writes it: both write the shortest digits that read back the
/// same, Python with ".0" on a whole number.
fn python_float(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.1}")
    } else {
        v.to_string()
    }
}

fn utc_secs(t: Option<i64>) -> String {
    t.map_or(String::new(), |t| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    })
}

fn yardstick_cases(standards_file: &str, period: Period) -> Cases {
    let catalog = yardstick::standards::load(&root().join(standards_file)).expect("standards");
    let mut out = Cases::new();
    for source in 0..catalog.sources.len() {
        let mine: Vec<usize> = (0..catalog.standards.len())
            .filter(|&i| catalog.standards[i].source == source)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let path = catalog.sources[source].path.clone().expect("a default log");
        let mut reader = Reader::new(
            &catalog,
            source,
            Needs::of(&catalog, source, &mine, &[]),
            false,
        );
        reader
            .read_path(path.to_str().unwrap())
            .expect("the sample reads");
        let data = reader.finish();
        let as_of = period.until.or(data.latest).expect("a latest time");
        for &i in &mine {
            let s = &catalog.standards[i];
            // A repeat standard's case is its customer: the `customer` value when it has one.
            let customer = match &s.kind {
                yardstick::standards::Kind::Repeat {
                    customer: Some(c), ..
                } => data.attr_index(c),
                _ => None,
            };
            for o in evaluate(s, &data, period, as_of) {
                let id = match customer {
                    Some(c) if data.attr(o.case, c) != 0 => data.attr_value(o.case, c),
                    _ => &*data.cases[o.case].id,
                };
                // The reference names the n-th occurrence of an `each` standard `CASE#n`.
                let case = match o.occurrence {
                    Some(n) => format!("{id}#{n}"),
                    None => id.to_string(),
                };
                let (verdict, reason) = match o.verdict {
                    Verdict::Met => ("met", ""),
                    Verdict::Breached => ("breached", ""),
                    Verdict::Open => ("open", ""),
                    // The reference's names for the two reasons the samples have.
                    Verdict::Excluded(Exclusion::Unless) => ("excluded", "unless"),
                    Verdict::Excluded(why) => ("excluded", why.as_str()),
                };
                let text = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
                let row = [
                    utc_secs(Some(o.start)),
                    utc_secs(o.stop),
                    utc_secs(o.deadline),
                    verdict.to_string(),
                    text(o.value),
                    text(o.count.map(|c| c as i64)),
                    reason.to_string(),
                    o.number.map_or(String::new(), python_float),
                ];
                let key = (s.id.clone(), case);
                assert!(out.insert(key.clone(), row).is_none(), "{key:?} twice");
            }
        }
    }
    out
}

/// Every case of the reference is a case of yardstick's with the same start, stop, deadline,
/// verdict, value, count and reason, and yardstick has no case the reference lacks.
fn compare_cases(cases_csv: &str, standards_file: &str, period: Period) {
    compare_cases_of(cases_csv, standards_file, period, 101)
}

/// `compare_cases` on a file of at least `min_cases` cases (a fixture has fewer than a sample).
pub(crate) fn compare_cases_of(
    cases_csv: &str,
    standards_file: &str,
    period: Period,
    min_cases: usize,
) {
    const NAMES: [&str; 8] = [
        "start", "stop", "deadline", "verdict", "value_s", "count", "reason", "number",
    ];
    let want = reference_cases(cases_csv);
    let have = yardstick_cases(standards_file, period);
    assert!(want.len() >= min_cases, "{cases_csv}: {} cases", want.len());
    let mut problems = Vec::new();
    for (key, w) in &want {
        match have.get(key) {
            None => problems.push(format!("{key:?}: not a case of yardstick's")),
            Some(h) => {
                for ((name, wv), hv) in NAMES.iter().zip(w).zip(h) {
                    // A count decided by its window's close: the reference writes the close as
                    // its stop, yardstick has no stop (no event stopped it; see
                    // `a_count_breach_has_no_clock_stop_and_its_window_close_as_deadline`).
                    let window_closed =
                        *name == "stop" && !w[5].is_empty() && wv == &w[2] && hv.is_empty();
                    if wv != hv && !window_closed {
                        problems.push(format!(
                            "{key:?} {name}: reference {wv:?}, yardstick {hv:?}"
                        ));
                    }
                }
            }
        }
    }
    for key in have.keys().filter(|k| !want.contains_key(*k)) {
        problems.push(format!("{key:?}: not a case of the reference's"));
    }
    assert!(
        problems.is_empty(),
        "{cases_csv}: {} of {} cases differ:\n{}",
        problems.len(),
        want.len(),
        problems.join("\n")
    );
}

#[test]
fn ticket_desk_every_case_matches_reference() {
    compare_cases(
        "ticket-desk-cases.csv",
        "standards/ticket-desk.toml",
        Period::default(),
    );
}

#[test]
fn ticket_desk_week_47_every_case_matches_reference() {
    // 2026-W47 in Europe/Kyiv (UTC+2): Monday 00:00 to Monday 00:00 (tests/reference/README.md).
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp();
    compare_cases(
        "ticket-desk-w47-cases.csv",
        "standards/ticket-desk.toml",
        Period {
            since: Some(at("2026-11-15T22:00:00Z")),
            until: Some(at("2026-11-22T22:00:00Z")),
        },
    );
}

#[test]
fn training_provider_every_case_matches_reference() {
    compare_cases(
        "training-provider-cases.csv",
        "standards/training-provider.toml",
        Period::default(),
    );
}

#[test]
fn order_cycle_every_case_matches_reference() {
    compare_cases(
        "order-cycle-cases.csv",
        "standards/order-cycle.toml",
        Period::default(),
    );
}

// Periodic updates (`each` and `to` sharing a name): tests/fixtures/periodic-update/, whose
// numbers are hand-checked in tests/cli_periodic.rs.

#[test]
fn periodic_updates_match_reference() {
    let s = "tests/fixtures/periodic-update/standards.toml";
    compare(
        "periodic-update.json",
        &["audit", "-s", s],
        &known_limit_difference,
    );
    compare_breaches("periodic-update-cases.csv", &["-s", s], true);
    compare_cases_of("periodic-update-cases.csv", s, Period::default(), 7);
}

// Commitments kept by the time promised (`each` with `by`): tests/fixtures/commitments/,
// hand-checked in tests/cli_commitments.rs. The reference reports no limit_s for them (it
// has no `within`); yardstick's is 0, lateness against the promise, as for deadlines.
#[test]
fn commitments_match_reference() {
    let s = "tests/fixtures/commitments/standards.toml";
    compare("commitments.json", &["audit", "-s", s], &|_, f| {
        f == "limit_s"
    });
    compare_breaches("commitments-cases.csv", &["-s", s], true);
    compare_cases_of("commitments-cases.csv", s, Period::default(), 8);
}

// Repeat rates: tests/fixtures/repeat/ (hand-checked in tests/integration/cli_repeat.rs) and
// the training provider's registrations log, audited for 2026.

#[test]
fn repeat_rates_match_reference() {
    let s = "tests/fixtures/repeat/standards.toml";
    let year = ["--since", "2026-01-01", "--until", "2027-01-01"];
    let mut audit = vec!["audit", "-s", s];
    audit.extend(year);
    compare("repeat.json", &audit, &known_limit_difference);
    let mut breaches = vec!["-s", s];
    breaches.extend(year);
    compare_breaches("repeat-cases.csv", &breaches, true);
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp();
    let period = Period {
        since: Some(at("2026-01-01T00:00:00Z")),
        until: Some(at("2027-01-01T00:00:00Z")),
    };
    compare_cases_of("repeat-cases.csv", s, period, 13);
    // Half-way through the year: the customers not back yet are open, not breached.
    compare(
        "repeat-midyear.json",
        &[
            "audit",
            "-s",
            s,
            "--until",
            "2027-01-01",
            "--as-of",
            "2026-07-01",
        ],
        &known_limit_difference,
    );
}

#[test]
fn training_provider_2026_matches_reference() {
    let s = "standards/training-provider.toml";
    let year = ["--since", "2026-01-01", "--until", "2027-01-01"];
    let mut audit = vec!["audit", "-s", s];
    audit.extend(year);
    compare(
        "training-provider-2026.json",
        &audit,
        &known_limit_difference,
    );
    let mut breaches = vec!["-s", s];
    breaches.extend(year);
    compare_breaches("training-provider-2026-cases.csv", &breaches, false);
    // 2026-01-01 and 2027-01-01 at midnight in Chicago (UTC-6).
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp();
    compare_cases(
        "training-provider-2026-cases.csv",
        s,
        Period {
            since: Some(at("2026-01-01T06:00:00Z")),
            until: Some(at("2027-01-01T06:00:00Z")),
        },
    );
}

// Deadlines at a time of day ("same day by 17:00"): tests/fixtures/clock-time/, hand-checked
// in tests/cli_clock.rs, and a count whose window closes at one. Neither side has a fixed
// limit for them (limit_s null); a count decided by its window has no clock_stop (see
// `a_count_breach_has_no_clock_stop_and_its_window_close_as_deadline`).
#[test]
fn clock_time_deadlines_match_reference() {
    let s = "tests/fixtures/clock-time/standards.toml";
    compare("clock-time.json", &["audit", "-s", s], &|_, _| false);
    compare_breaches("clock-time-cases.csv", &["-s", s], false);
    compare_cases_of("clock-time-cases.csv", s, Period::default(), 45);
}

// Deadline columns at 00:00:00 read as dates: tests/fixtures/midnight-dates/, hand-checked in
// tests/integration/cli_dates.rs.
#[test]
fn midnight_deadlines_match_reference() {
    for (expected, file) in [
        ("midnight-dates.json", "standards.toml"),
        ("midnight-dates-time-columns.json", "time-columns.toml"),
    ] {
        let s = format!("tests/fixtures/midnight-dates/{file}");
        compare(expected, &["audit", "-s", &s], &|_, f| f == "limit_s");
    }
}

// Value standards (`value = COLUMN`): tests/fixtures/values/, hand-checked in
// tests/integration/cli_values.rs; the whole log and week 47 (which leaves out C-8 and S-5).
#[test]
fn value_standards_match_reference() {
    let s = "tests/fixtures/values/standards.toml";
    compare("values.json", &["audit", "-s", s], &known_limit_difference);
    compare(
        "values-w47.json",
        &["audit", "-s", s, "--week", "2026-W47"],
        &known_limit_difference,
    );
    compare_breaches("values-cases.csv", &["-s", s], true);
    compare_cases_of("values-cases.csv", s, Period::default(), 20);
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp();
    compare_cases_of(
        "values-w47-cases.csv",
        s,
        Period {
            since: Some(at("2026-11-16T00:00:00Z")),
            until: Some(at("2026-11-23T00:00:00Z")),
        },
        17,
    );
}
