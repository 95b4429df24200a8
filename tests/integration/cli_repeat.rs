//! Repeat-rate standards (`returns`, `within`, `customer`) through the binary, on
//! `tests/fixtures/repeat/` and on the training provider's registrations log.
//!
//! Hand-checked from `tests/fixtures/repeat/visits.csv` (UTC), audited for 2026 with a 365d
//! look-back (2025 exactly): the customers with a purchase in 2025 are A (V01, the first
//! second of 2025), C (V05, its last second), D (V07 and V08), E (V09) and G (V13); B's V03 is
//! a second before 2025 and F's 2025 visit (V11) is an enquiry, so neither is a case. In 2026
//! A returns on 06-01 (V02), E at its first second (V10), G on 12-20 (V14); C's V06 is a
//! second after 2026 and D never returns. Met 3 (A, E, G), breached 2 (C, D): 60%, the top of
//! the 40-60% range, which passes. `repeat-north` counts only the visits in the north: A
//! (met), D (breached), G (met); C and E's look-back visits are in the south, so 2 of 3,
//! 66.7%, above the range. `repeat-cases` reads the same log with the customer as the case:
//! the same five customers, the same verdicts.

use crate::common;

use common::*;

const S: &str = "tests/fixtures/repeat/standards.toml";
const YEAR: [&str; 4] = ["--since", "2026-01-01", "--until", "2027-01-01"];
const SAMPLE: &str = "standards/training-provider.toml";

fn audit_json(extra: &[&str]) -> (serde_json::Value, i32) {
    let mut args = vec!["audit", "-s", S, "--format", "json"];
    args.extend(extra);
    json(&args)
}

/// (cases, met, breached, open, excluded, compliance, passed) of a row.
fn counts(r: &serde_json::Value) -> (u64, u64, u64, u64, u64, Option<f64>, Option<bool>) {
    let n = |k: &str| r[k].as_u64().unwrap();
    (
        n("cases"),
        n("met"),
        n("breached"),
        n("open"),
        n("excluded"),
        r["compliance"].as_f64(),
        r["passed"].as_bool(),
    )
}

#[test]
fn a_year_of_customers_by_hand() {
    let (r, code) = audit_json(&YEAR);
    assert_eq!(code, 1, "repeat-north is above its range");
    let s = standard(&r, "repeat-customers");
    assert_eq!(s["kind"], "repeat");
    assert_eq!(counts(s), (5, 3, 2, 0, 0, Some(60.0), Some(true)));
    assert_eq!(
        (s["target"].as_f64(), s["target_max"].as_f64()),
        (Some(40.0), Some(60.0))
    );
    assert_eq!(s["compliance_variance"].as_f64(), Some(0.0));
    // A repeat rate measures no time.
    for k in ["limit_s", "median_s", "p90_s", "max_s", "count_median"] {
        assert!(s[k].is_null(), "{k}: {}", s[k]);
    }
    assert_eq!(
        s["rule"],
        "purchase in the 365d before the period -> purchase again in it, per customer (customer)"
    );
    assert_eq!(
        s["repeat"],
        serde_json::json!({
            "look_back": "2025-01-01T00:00:00Z",
            "since": "2026-01-01T00:00:00Z",
            "until": "2027-01-01T00:00:00Z",
            "default_period": false
        })
    );
    let north = standard(&r, "repeat-north");
    assert_eq!(
        counts(north),
        (3, 2, 1, 0, 0, Some(2.0 / 3.0 * 100.0), Some(false))
    );
    assert_eq!(
        counts(standard(&r, "repeat-cases")),
        (5, 3, 2, 0, 0, Some(60.0), Some(true))
    );
    // Only repeat rows carry `repeat`: the other kinds' JSON is as it was.
    let (t, _) = json(&[
        "audit",
        "-s",
        "tests/fixtures/target-range/standards.toml",
        "--format",
        "json",
    ]);
    assert!(t["standards"][0].get("repeat").is_none());
}

#[test]
fn without_a_period_it_is_the_within_before_the_as_of() {
    // The as-of is the log's latest row, V06 at 2027-01-01T00:00:00Z: the 365d before it are
    // 2026 (not a leap year), so the numbers are the year's; V06 itself, at the as-of, is
    // after the period (its end is exclusive).
    let (r, code) = audit_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(r["period"]["since"], serde_json::Value::Null);
    let s = standard(&r, "repeat-customers");
    assert_eq!(counts(s), (5, 3, 2, 0, 0, Some(60.0), Some(true)));
    assert_eq!(s["repeat"]["since"], "2026-01-01T00:00:00Z");
    assert_eq!(s["repeat"]["until"], "2027-01-01T00:00:00Z");
    assert_eq!(s["repeat"]["default_period"], true);
    // One end given: the period is one `within` long from it.
    for flags in [["--since", "2026-01-01"], ["--until", "2027-01-01"]] {
        let (r, _) = audit_json(&flags);
        let s = standard(&r, "repeat-customers");
        assert_eq!(
            counts(s),
            (5, 3, 2, 0, 0, Some(60.0), Some(true)),
            "{flags:?}"
        );
        assert_eq!(
            s["repeat"]["look_back"], "2025-01-01T00:00:00Z",
            "{flags:?}"
        );
        assert_eq!(s["repeat"]["until"], "2027-01-01T00:00:00Z", "{flags:?}");
    }
    // The table says how the period was chosen, once per standard.
    let o = run(&["audit", "-s", S, "--only", "repeat-customers"]);
    assert_eq!(
        stdout(&o)
            .lines()
            .skip_while(|l| !l.starts_with("Repeat rate"))
            .collect::<Vec<_>>(),
        [
            "Repeat rate repeat-customers: customers of 2025-01-01 to 2026-01-01 returning",
            "  2026-01-01 to 2027-01-01 (UTC), the default period: no --since/--until, so the",
            "  365d before the as-of.",
        ]
    );
    let o = run(&[
        "audit",
        "-s",
        S,
        "--only",
        "repeat-customers",
        "--since",
        "2026-01-01",
    ]);
    assert!(
        stdout(&o).contains("(UTC), the period ends 365d after --since.\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn customers_not_back_yet_are_open_until_the_period_ends() {
    // At 2026-07-01 A (06-01) and E (01-01) are back; G's return (12-20) and C's (2027) have
    // not happened yet, and D may still come: open, not breached. 2 met of 2 decided: 100%,
    // above the range.
    let (r, code) = audit_json(&["--until", "2027-01-01", "--as-of", "2026-07-01"]);
    assert_eq!(code, 1);
    let s = standard(&r, "repeat-customers");
    assert_eq!(counts(s), (5, 2, 0, 3, 0, Some(100.0), Some(false)));
    // A second before the period's end, still open; at its end, decided.
    let (r, _) = audit_json(&["--until", "2027-01-01", "--as-of", "2026-12-31T23:59:59Z"]);
    assert_eq!(
        counts(standard(&r, "repeat-customers")),
        (5, 3, 0, 2, 0, Some(100.0), Some(false))
    );
    let (r, _) = audit_json(&["--until", "2027-01-01", "--as-of", "2027-01-01T00:00:00Z"]);
    assert_eq!(
        counts(standard(&r, "repeat-customers")),
        (5, 3, 2, 0, 0, Some(60.0), Some(true))
    );
}

#[test]
fn breaches_list_the_customers_who_did_not_return() {
    let mut args = vec![
        "breaches",
        "-s",
        S,
        "--only",
        "repeat-customers",
        "--format",
        "csv",
    ];
    args.extend(YEAR);
    let o = run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "standard,level,source,case,occurrence,clock_start,clock_stop,deadline,elapsed_s,limit_s,over_by_s,paused_s,count,required,customer,region,value,effective_from,effective_until\n\
         repeat-customers,experiential,visits,C,,2025-12-31T23:59:59Z,,2026-12-31T23:59:59Z,,,,,,,C,south,,,\n\
         repeat-customers,experiential,visits,D,,2025-03-01T09:00:00Z,,2026-12-31T23:59:59Z,,,,,,,D,north,,,\n"
    );
    // The same customers when the case is the customer.
    let mut args = vec![
        "breaches",
        "-s",
        S,
        "--only",
        "repeat-cases",
        "--format",
        "json",
    ];
    args.extend(YEAR);
    let (b, _) = json(&args);
    let cases: Vec<&str> = b["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["case"].as_str().unwrap())
        .collect();
    assert_eq!(cases, ["C", "D"]);
}

#[test]
fn by_an_attribute_a_customer_has_its_first_visits_value() {
    // With `customer`, E belongs to the south (its look-back visit V09), though it returned in
    // the north; with the customer as the case, a case's attribute is its last row's (V10).
    let mut args = vec!["audit", "-s", S, "--format", "csv", "--by", "region"];
    args.extend(YEAR);
    let (_, rows) = csv_records(&stdout(&run(&args)));
    let got: Vec<(String, String, String, String)> = rows
        .iter()
        .filter(|r| r["id"] != "repeat-north")
        .map(|r| {
            (
                r["id"].clone(),
                r["region"].clone(),
                r["met"].clone(),
                r["breached"].clone(),
            )
        })
        .collect();
    let want = [
        ("repeat-customers", "north", "2", "1"),
        ("repeat-customers", "south", "1", "1"),
        ("repeat-customers", "", "3", "2"),
        ("repeat-cases", "north", "3", "1"),
        ("repeat-cases", "south", "0", "1"),
        ("repeat-cases", "", "3", "2"),
    ]
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()));
    assert_eq!(got, want);
}

#[test]
fn by_month_is_the_cohort_of_the_first_visit() {
    let mut args = vec![
        "audit",
        "-s",
        S,
        "--only",
        "repeat-customers",
        "--format",
        "csv",
        "--by",
        "month",
    ];
    args.extend(YEAR);
    let (_, rows) = csv_records(&stdout(&run(&args)));
    let got: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}/{}", r["month"], r["met"], r["breached"]))
        .collect();
    // A (January), D (March), E (May), G (August), C (December).
    assert_eq!(
        got,
        [
            "2025-01 1/0",
            "2025-03 0/1",
            "2025-05 1/0",
            "2025-08 1/0",
            "2025-12 0/1",
            " 3/2"
        ]
    );
}

#[test]
fn explain_shows_a_customer_its_first_visit_and_its_return() {
    let mut args = vec![
        "explain",
        "-s",
        S,
        "--standard",
        "repeat-customers",
        "--case",
        "E",
    ];
    args.extend(YEAR);
    let o = run(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "standard  repeat-customers (experiential)
          40-60% of last year's customers buy again this year
rule      purchase in the 365d before the period -> purchase again in it, per customer (customer)
customer  E (customer = \"E\"; 2 case(s): V09, V10)
period    Thu 2026-01-01 00:00:00 UTC to Fri 2027-01-01 00:00:00 UTC
look-back Wed 2025-01-01 00:00:00 UTC to Thu 2026-01-01 00:00:00 UTC (365d before the period)
as of     Fri 2027-01-01 00:00:00 UTC (2027-01-01T00:00:00Z)

purchase events of the customer (UTC)
  Mon 2025-05-05 12:00:00 UTC  V09  in the look-back
  Thu 2026-01-01 00:00:00 UTC  V10  in the period

  first visit in the look-back  Mon 2025-05-05 12:00:00 UTC (2025-05-05T12:00:00Z), case V09
  returned  Thu 2026-01-01 00:00:00 UTC (2026-01-01T00:00:00Z)
  verdict   MET, a repeat customer
"
    );
    // A visit's id names its customer too; half-way through the year D is still open.
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "repeat-customers",
        "--case",
        "V08",
        "--until",
        "2027-01-01",
        "--as-of",
        "2026-07-01",
    ]);
    let text = stdout(&o);
    for line in [
        "customer  D (customer = \"D\"; 2 case(s): V07, V08)\n",
        "period    Thu 2026-01-01 00:00:00 UTC to Fri 2027-01-01 00:00:00 UTC (the period starts 365d before --until)\n",
        "  Sat 2025-03-01 09:00:00 UTC  V07  in the look-back\n  Mon 2025-09-01 09:00:00 UTC  V08  in the look-back\n",
        "  first visit in the look-back  Sat 2025-03-01 09:00:00 UTC (2025-03-01T09:00:00Z), case V07\n",
        "  returned  not yet; the period is still running at the as-of\n  verdict   OPEN: not decided at as-of\n",
    ] {
        assert!(text.contains(line), "{line:?} in:\n{text}");
    }
    // B's 2025 visit is a second before the look-back: not a customer of the standard.
    let mut args = vec![
        "explain",
        "-s",
        S,
        "--standard",
        "repeat-cases",
        "--case",
        "B",
    ];
    args.extend(YEAR);
    let text = stdout(&run(&args));
    assert!(
        text.contains("customer  B (the case is the customer)\n"),
        "{text}"
    );
    assert!(text.contains("  Tue 2024-12-31 23:59:59 UTC  B  before the look-back\n  Sun 2026-02-01 00:00:00 UTC  B  in the period\n"), "{text}");
    assert!(text.ends_with("\nnot a case of this standard: no purchase at or before as-of in the look-back, Wed 2025-01-01 00:00:00 UTC to Thu 2026-01-01 00:00:00 UTC\n"), "{text}");
    // Neither a customer nor a visit.
    let o = run(&[
        "explain",
        "-s",
        S,
        "--standard",
        "repeat-customers",
        "--case",
        "Z",
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(
            "no customer (customer) or case \"Z\" among the 14 cases of source \"visits\""
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn trend_leaves_a_repeat_rate_out_and_refuses_it_alone() {
    let o = run(&["trend", "-s", SAMPLE, "--format", "csv"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: standard \"repeat-rate\" is a repeat rate, one figure for a whole period: trend leaves it out (audit it per period with --since and --until)"), "{}", stderr(&o));
    assert!(!stdout(&o).contains("repeat-rate"));
    assert!(stdout(&o).contains("inquiry-24h"));
    let o = run(&["trend", "-s", S]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("error: trend: standard \"repeat-customers\" is a repeat rate, one figure for a whole period whose customers are those of the look-back before it, so it has no weekly or monthly trend; audit it per period instead: yardstick audit --only repeat-customers --since DATE --until DATE"), "{}", stderr(&o));
}

#[test]
fn check_names_the_key_with_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    let head = "version = 1\n[sources.visits]\nlayout = \"events\"\ncase = \"visit_id\"\ntime = \"time\"\nevent = \"event\"\n[[standard]]\nid = \"r\"\nreturns = \"purchase\"\n";
    for (body, want) in [
        ("to = \"purchase\"\nwithin = \"365d\"\n", "s.toml:10:6: standard \"r\": `to` does not belong to a repeat (returns/within, optional customer) standard"),
        ("", "s.toml:7:1: standard \"r\": missing `within` (a repeat (returns/within) standard needs its look-back"),
        ("within = \"365 days\"\n", "s.toml:10:10: standard \"r\": within: \"365 days\" is not a duration"),
    ] {
        std::fs::write(&file, format!("{head}{body}")).unwrap();
        let o = run(&["check", "-s", file.to_str().unwrap()]);
        assert_eq!(code(&o), 2, "{body}");
        assert!(stderr(&o).contains(want), "{body}\n got: {}\nwant: {want}", stderr(&o));
    }
    // The customer column must be in the log, and be an attribute.
    let log = dir.path().join("log.csv");
    std::fs::write(
        &log,
        "visit_id,time,event,who\nV1,2026-01-01T00:00:00Z,purchase,A\n",
    )
    .unwrap();
    for (customer, want) in [
        ("client", "log.csv: missing column \"client\" (`customer` of standard \"r\"); the header has: \"visit_id\", \"time\", \"event\", \"who\""),
        ("time", "log.csv: column \"time\" (`customer` of standard \"r\") is one the source reads as its case, time, event or a milestone, not an attribute"),
    ] {
        std::fs::write(&file, format!("{head}within = \"365d\"\ncustomer = {customer:?}\n")).unwrap();
        let o = run(&["check", "-s", &path_str(&file), "--log", &format!("visits={}", path_str(&log))]);
        assert_eq!(code(&o), 2, "{customer}");
        assert!(stderr(&o).contains(want), "{customer}\n got: {}\nwant: {want}", stderr(&o));
    }
    // A valid repeat standard is listed with its rule.
    let o = run(&["check", "-s", S]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("  repeat-customers             experiential  target 40-60%  purchase in the 365d before the period -> purchase again in it, per customer (customer)\n"), "{}", stdout(&o));
}

#[test]
fn every_format_shows_a_repeat_rate() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "audit",
        "-s",
        S,
        "--only",
        "repeat-customers",
        "--since",
        "2026-01-01",
        "--until",
        "2027-01-01",
    ];
    let with = |extra: &[&str]| {
        let mut a = base.to_vec();
        a.extend(extra);
        run(&a)
    };
    let table = stdout(&with(&[]));
    assert!(
        table.contains("repeat-customers  exper 40-60%     60%   3/2/0             +0.0 PASS\n"),
        "{table}"
    );
    let csv = stdout(&with(&["--format", "csv"]));
    let (_, rows) = csv_records(&csv);
    assert_eq!(
        (
            rows[0]["kind"].as_str(),
            rows[0]["cases"].as_str(),
            rows[0]["compliance"].as_str(),
            rows[0]["limit_s"].as_str()
        ),
        ("repeat", "5", "60", "")
    );
    let tsv = stdout(&with(&["--format", "tsv"]));
    assert!(tsv.lines().nth(1).unwrap().starts_with("repeat-customers\t40-60% of last year's customers buy again this year\texperiential\tvisits\trepeat\talways\t5\t3\t2\t0\t0\t60\t40\ttrue\t0\t"), "{tsv}");
    let nd = stdout(&with(&["--format", "ndjson"]));
    let row: serde_json::Value = serde_json::from_str(nd.lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        (
            row["kind"].as_str(),
            row["repeat"]["default_period"].as_bool()
        ),
        (Some("repeat"), Some(false))
    );
    let md = stdout(&with(&["--format", "markdown"]));
    assert!(md.contains("| repeat-customers | 40-60% of last year's customers buy again this year | exper | 40-60% | 60% | 3 | 2 | 0 |  |  | +0.0 pts | PASS |\n"), "{md}");
    assert!(md.contains("\nRepeat rate `repeat-customers`: customers of 2025-01-01 to 2026-01-01 returning 2026-01-01 to 2027-01-01 (UTC).\n"), "{md}");
    let junit = stdout(&with(&["--format", "junit"]));
    assert!(
        junit.contains(
            "<testcase classname=\"yardstick.visits.experiential\" name=\"repeat-customers\""
        ),
        "{junit}"
    );
    assert!(!junit.contains("<failure"), "{junit}");
    // Falling short, in CI: the repeat-north standard, above its range.
    let o = run(&[
        "audit",
        "-s",
        S,
        "--only",
        "repeat-north",
        "--since",
        "2026-01-01",
        "--until",
        "2027-01-01",
        "--format",
        "github",
    ]);
    assert_eq!(code(&o), 1);
    assert!(
        stdout(&o).contains("title=repeat-north is above the range 40-60%25::"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("compliance 66.7%25 against 40-60%25 (+6.7 pts, above the range)"),
        "{}",
        stdout(&o)
    );
    let html = dir.path().join("r.html");
    assert_eq!(
        code(&with(&["--format", "html", "-o", html.to_str().unwrap()])),
        0
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<p class=\"meta\">customers of 2025-01-01 to 2026-01-01 returning 2026-01-01 to 2027-01-01 (UTC)</p>"), "{page}");
    let xlsx = dir.path().join("r.xlsx");
    assert_eq!(
        code(&with(&["--format", "xlsx", "-o", xlsx.to_str().unwrap()])),
        0
    );
    let strings = shared_strings(&workbook_parts(&xlsx));
    for s in ["repeat-customers", "repeat", "C", "D"] {
        assert!(strings.iter().any(|x| x == s), "{s} in {strings:?}");
    }
}

#[test]
fn the_sample_falls_short_in_2026() {
    // 40 customers registered in 2025 (C-101..C-102, C-104..C-141); 11 of them again in 2026:
    // C-101, C-102 (2025-12-31 23:59:59, back at 2026-01-01 00:00:00), C-105 (on the log's last
    // row) and eight more (tests/reference/make_registrations.py). One 2025 registration has
    // no customer: excluded. 11/40 = 27.5%, short of 30-50%.
    let mut args = vec![
        "audit",
        "-s",
        SAMPLE,
        "--only",
        "repeat-rate",
        "--format",
        "json",
    ];
    args.extend(YEAR);
    let o = run(&args);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("warning: standard \"repeat-rate\": 1 case(s) with a `returns` event in the look-back have an empty customer_id and belong to no customer; they are not scored\n"), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let s = standard(&r, "repeat-rate");
    assert_eq!(
        counts(s),
        (40, 11, 29, 0, 1, Some(27.500000000000004), Some(false))
    );
    assert_eq!(
        s["repeat"]["look_back"], "2025-01-01T06:00:00Z",
        "midnight in Chicago"
    );
    // Without a period: the 365d before the log's last row (2026-11-27 16:00 Chicago). C-103
    // (2024-12-31) is a customer of that look-back and came back; C-102 and C-109 (December
    // 2025) are not; C-105's return is at the as-of itself, after the period: 10 of 39.
    let (r, _) = json(&[
        "audit",
        "-s",
        SAMPLE,
        "--only",
        "repeat-rate",
        "--format",
        "json",
    ]);
    let s = standard(&r, "repeat-rate");
    assert_eq!(
        counts(s),
        (39, 10, 29, 0, 1, Some(10.0 / 39.0 * 100.0), Some(false))
    );
    // (case, over the year or the default period, lines the trace holds, its last line)
    let traces: [(&str, bool, &[&str], Option<&str>); 3] = [
        (
            "C-105",
            true,
            &["  Fri 2026-11-27 16:00:00 CST  REG-0074  in the period\n"],
            None,
        ),
        (
            "C-105",
            false,
            &[
                "  Fri 2026-11-27 16:00:00 CST  REG-0074  after the period\n",
                "  verdict   BREACHED, did not return in the period\n",
            ],
            None,
        ),
        (
            "REG-0022",
            false,
            &["case      REG-0022 (its customer_id is empty: it belongs to no customer)\n"],
            Some("  verdict   EXCLUDED: no customer\n"),
        ),
    ];
    for (case, year, lines, last) in traces {
        let mut args = vec![
            "explain",
            "-s",
            SAMPLE,
            "--standard",
            "repeat-rate",
            "--case",
            case,
        ];
        if year {
            args.extend(YEAR);
        }
        let text = stdout(&run(&args));
        for want in lines {
            assert!(text.contains(want), "{case}: {want}\n{text}");
        }
        if let Some(last) = last {
            assert!(text.ends_with(last), "{case}: {text}");
        }
    }
}

#[test]
fn a_cases_layout_groups_its_rows_by_the_customer_column() {
    // The order cycle's writers as customers: every writer with an order placed in the week
    // of 2026-11-16 got another in the week of 2026-11-23 (8 of 8), and one order of the first
    // week has no writer. Numbers from tests/reference/reference.py on the same file.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    let log = root().join("samples/order-cycle.csv");
    std::fs::write(
        &file,
        format!(
            "version = 1\ntimezone = \"UTC\"\n[sources.orders]\npath = {:?}\nlayout = \"cases\"\ncase = \"order_id\"\n[sources.orders.milestones]\nplaced = \"placed_at\"\npaid = \"paid_at\"\n[[standard]]\nid = \"writer-again\"\nsource = \"orders\"\nreturns = \"placed\"\nwithin = \"7d\"\ncustomer = \"writer\"\ntarget = [30, 50]\n",
            path_str(&log)
        ),
    )
    .unwrap();
    let f = path_str(&file);
    let (r, code) = json(&[
        "audit",
        "-s",
        &f,
        "--since",
        "2026-11-23",
        "--until",
        "2026-11-30",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "100% is above the range");
    assert_eq!(
        counts(standard(&r, "writer-again")),
        (8, 8, 0, 0, 1, Some(100.0), Some(false))
    );
}

// A repeat rate against its definition, on random logs: the library's outcomes (the audit's
// pipeline, slices of cases on every core) equal a direct reading of the contract over the
// rows, customers spread over many visits, times around both ends of the look-back and of the
// period, rows without a customer, events after the as-of.

use proptest::prelude::*;
use yardstick::app::{self, Diagnostics, Request};
use yardstick::evaluate::Verdict;

/// A customer's (id, verdict, first visit, return) by the contract, from rows (visit,
/// customer (6: none), second, bought?) with the look-back [100, 200) and the period
/// [200, 300). A visit's customer is its latest non-empty one, as for every attribute.
type Judged = (String, &'static str, i64, Option<i64>);

fn by_definition(rows: &[(u8, u8, i64, bool)], as_of: i64) -> Vec<Judged> {
    let mut owner = std::collections::BTreeMap::new();
    for &(visit, who, _, _) in rows {
        if who != 6 {
            owner.insert(visit, who);
        }
    }
    let mut out = Vec::new();
    for who in 0..6u8 {
        let bought = |lo: i64, hi: i64| {
            rows.iter()
                .filter(|r| owner.get(&r.0) == Some(&who) && r.3)
                .map(|r| r.2)
                .filter(|&t| t >= lo && t < hi && t <= as_of)
                .min()
        };
        let Some(first) = bought(100, 200) else {
            continue;
        };
        let back = bought(200, 300);
        let verdict = match back {
            Some(_) => "met",
            None if as_of >= 300 => "breached",
            None => "open",
        };
        out.push((format!("c{who}"), verdict, first, back));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn outcomes_follow_the_definition(
        rows in proptest::collection::vec((0u8..12, 0u8..7, 90i64..310, any::<bool>()), 0..40),
        as_of in prop_oneof![Just(299i64), Just(300), 150i64..320],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("visit,who,t,ev\n");
        for (visit, who, t, bought) in &rows {
            let who = if *who == 6 { String::new() } else { format!("c{who}") };
            let ev = if *bought { "bought" } else { "asked" };
            csv.push_str(&format!("v{visit},{who},{t},{ev}\n"));
        }
        std::fs::write(dir.path().join("log.csv"), csv).unwrap();
        std::fs::write(
            dir.path().join("s.toml"),
            "version = 1\ntimezone = \"UTC\"\n[sources.s]\npath = \"log.csv\"\nlayout = \"events\"\ncase = \"visit\"\ntime = \"t\"\nevent = \"ev\"\ntime_format = \"%s\"\n[[standard]]\nid = \"r\"\nreturns = \"bought\"\nwithin = \"100s\"\ncustomer = \"who\"\n",
        )
        .unwrap();
        let instant = |t: i64| format!("1970-01-01T00:{:02}:{:02}Z", t / 60, t % 60);
        let req = Request {
            standards: dir.path().join("s.toml"),
            since: Some(instant(200)),
            until: Some(instant(300)),
            as_of: Some(instant(as_of)),
            allow_bad_rows: true,
            ..Request::default()
        };
        let l = app::load(&req, |_| Ok(()), &mut Diagnostics::default()).unwrap();
        let Some(data) = l.data.values().next() else {
            return Err(TestCaseError::fail("the source was read"));
        };
        let col = data.attr_index("who").unwrap();
        let mut got: Vec<Judged> = app::outcomes(&l)[0]
            .iter()
            .filter(|o| !matches!(o.verdict, Verdict::Excluded(_)))
            .map(|o| {
                let verdict = match o.verdict {
                    Verdict::Met => "met",
                    Verdict::Breached => "breached",
                    _ => "open",
                };
                (data.attr_value(o.case, col).to_string(), verdict, o.start, o.stop)
            })
            .collect();
        got.sort();
        prop_assert_eq!(got, by_definition(&rows, as_of));
    }
}
