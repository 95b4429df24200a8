//! The standards in `standards/examples/` on the real public exports in `../shared/data/`
//! (never copied into the project). Every number here was computed independently by
//! `tests/reference/real_data.py` (plain Python, written from the data sets' SOURCE.md and the
//! standards files' comments). A test whose data set is absent says so and passes, or fails
//! with `YARDSTICK_NO_SKIP=1` (`common::skip`).
use crate::common;

use std::path::PathBuf;

use common::*;
use serde_json::Value;

/// The real exports: `$YARDSTICK_DATA`, else `../shared/data` beside the project.
fn data(rel: &str) -> Option<String> {
    let base: PathBuf = match std::env::var_os("YARDSTICK_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("..").join("shared").join("data"),
    };
    let p = base.join(rel);
    if p.is_file() {
        Some(path_str(&p))
    } else {
        skip(&format!("{} is not here", p.display()));
        None
    }
}

/// (cases, met, breached, open, median, p90, max) of each standard, in file order.
type Counts = (i64, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>);

fn audit(standards: &str, logs: &[(&str, &str)], extra: &[&str]) -> (Value, i32) {
    let mut args: Vec<String> = vec![
        "audit".into(),
        "-s".into(),
        format!("standards/examples/{standards}.toml"),
        "--format".into(),
        "json".into(),
    ];
    for (name, path) in logs {
        args.push("--log".into());
        args.push(format!("{name}={path}"));
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    json(&refs)
}

fn counts(r: &Value, id: &str) -> Counts {
    let s = standard(r, id);
    let n = |k: &str| s[k].as_i64().unwrap_or_else(|| panic!("{id} {k}: {s}"));
    (
        n("cases"),
        n("met"),
        n("breached"),
        n("open"),
        s["median_s"].as_i64(),
        s["p90_s"].as_i64(),
        s["max_s"].as_i64(),
    )
}

fn all_rows_used(r: &Value, rows: u64) {
    for input in r["inputs"].as_array().unwrap() {
        assert_eq!(input["skipped"], 0, "{input}");
    }
    let total: u64 = r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rows"].as_u64().unwrap())
        .sum();
    assert_eq!(total, rows);
}

#[test]
fn twitter_each_customer_tweet_gets_a_reply_to_it() {
    let Some(tweets) = data("twcs-head/twcs.csv") else {
        return;
    };
    let (r, status) = audit("twitter-support", &[("tweets", &tweets)], &[]);
    assert_eq!(status, 1);
    // 5,000 records: a bare CR inside an unquoted text cell (tweet 3399) is data, not a line
    // break; records end at LF.
    all_rows_used(&r, 5000);
    assert_eq!(
        counts(&r, "reply-within-1h"),
        (2778, 1613, 1165, 0, Some(692), Some(22815), Some(1097403))
    );
}

#[test]
fn twitter_by_the_company_that_replied() {
    let Some(tweets) = data("twcs-head/twcs.csv") else {
        return;
    };
    let (r, _) = audit(
        "twitter-support",
        &[("tweets", &tweets)],
        &["--by", "author_id", "--only", "reply-within-1h"],
    );
    let rows = r["standards"].as_array().unwrap();
    let apple = rows
        .iter()
        .find(|s| s["group"]["author_id"] == "AppleSupport")
        .expect("an AppleSupport group");
    assert_eq!(
        (apple["met"].as_i64(), apple["breached"].as_i64()),
        (Some(132), Some(31))
    );
    // Every customer tweet is in exactly one group, and the totals row (group null) has them
    // all.
    let (groups, totals): (Vec<&Value>, Vec<&Value>) =
        rows.iter().partition(|s| s["group"].is_object());
    let total: i64 = groups.iter().map(|s| s["cases"].as_i64().unwrap()).sum();
    assert_eq!(total, 2778);
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0]["cases"], 2778);
}

#[test]
fn olist_orders_and_surveys() {
    let (Some(orders), Some(reviews)) = (
        data("olist/olist_orders_dataset.csv"),
        data("olist/olist_order_reviews_dataset.csv"),
    ) else {
        return;
    };
    let (r, status) = audit(
        "olist-orders",
        &[("orders", &orders), ("reviews", &reviews)],
        &[],
    );
    assert_eq!(status, 1);
    // 237 survey records hold CRLF line breaks inside quoted comments: still 6,123 records.
    all_rows_used(&r, 4071 + 6123);
    assert_eq!(
        counts(&r, "approved-within-24h"),
        (4071, 3335, 735, 1, Some(1263), Some(125702), Some(944335))
    );
    // The estimated date is a date: delivered by the end of that day.
    assert_eq!(
        counts(&r, "delivered-by-estimate"),
        (
            4071,
            3691,
            379,
            1,
            Some(-1078690),
            Some(-178996),
            Some(9640459)
        )
    );
    let c = counts(&r, "to-carrier-2-business-days");
    assert_eq!((c.0, c.1, c.2, c.3), (4063, 3015, 1048, 0));
    // Two review ids appear on two rows each: 6,121 surveys.
    assert_eq!(
        counts(&r, "survey-answered-2d"),
        (
            6121,
            3430,
            2691,
            0,
            Some(145004),
            Some(418598),
            Some(19437295)
        )
    );
}

#[test]
fn nyc311_due_dates_and_both_export_shapes() {
    let (Some(web2013), Some(web2022), Some(api2024)) = (
        data("nyc311-2013-christmas/311_Service_Requests_from_2010_to_Present.csv"),
        data("nyc311-2022-may/311_Service_Requests_from_2010_to_Present.csv"),
        data("nyc311-2024-api/311_Service_Requests.csv"),
    ) else {
        return;
    };
    let (r, _) = audit(
        "nyc311",
        &[("requests", &web2013), ("requests_api", &api2024)],
        &[],
    );
    all_rows_used(&r, 2386 + 1000);
    assert_eq!(
        counts(&r, "closed-by-due-date"),
        (445, 372, 62, 11, Some(-23524), Some(379), Some(7558548))
    );
    // Requests without a due date are not scored.
    assert_eq!(standard(&r, "closed-by-due-date")["excluded"], 1941);
    assert_eq!(
        counts(&r, "noise-closed-8h"),
        (68, 66, 2, 0, Some(5028), Some(16224), Some(35426))
    );
    assert_eq!(
        counts(&r, "api-closed-7d"),
        (1000, 292, 0, 708, Some(2026), Some(5027), Some(7974))
    );
    // 12-hour clock times around midnight ("12:00:03 AM") in the 2022 export.
    let (r, _) = audit(
        "nyc311",
        &[("requests", &web2022)],
        &["--only", "noise-closed-8h"],
    );
    assert_eq!(
        counts(&r, "noise-closed-8h"),
        (727, 416, 0, 311, Some(1959), Some(4670), Some(7426))
    );
}

#[test]
fn servicenow_pauses_and_both_date_spellings() {
    let (Some(original), Some(excel)) = (
        data("servicenow-incident-log/incident_event_log.csv"),
        data("servicenow-incident-log-excel/incident_event_log.csv"),
    ) else {
        return;
    };
    let (r, _) = audit("servicenow-incidents", &[("incidents", &original)], &[]);
    all_rows_used(&r, 198);
    assert_eq!(
        counts(&r, "acknowledged-1h"),
        (24, 4, 20, 0, Some(30300), Some(194220), Some(199860))
    );
    assert_eq!(
        counts(&r, "resolved-8h-excluding-waits"),
        (24, 7, 17, 0, Some(87780), Some(195540), Some(290760))
    );
    // made_sla = true in the standards file matches the export's "true".
    assert_eq!(
        counts(&r, "sla-made-resolved-24h"),
        (22, 9, 13, 0, Some(104100), Some(195540), Some(290760))
    );
    // The spreadsheet re-save (29-02-2016, TRUE) of the same first 198 events gives the same
    // numbers.
    let text = std::fs::read_to_string(&excel).unwrap();
    let head: String = text.split_inclusive('\n').take(199).collect();
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), head).unwrap();
    let (r2, _) = audit(
        "servicenow-incidents",
        &[("incidents", &path_str(f.path()))],
        &[],
    );
    for id in [
        "acknowledged-1h",
        "resolved-8h-excluding-waits",
        "sla-made-resolved-24h",
    ] {
        assert_eq!(counts(&r, id), counts(&r2, id), "{id}");
    }
}

#[test]
fn italian_helpdesk_and_volvo_event_codes() {
    let (Some(helpdesk), Some(volvo)) = (
        data("helpdesk-italian/helpdesk.csv"),
        data("bpic2013-volvo-incidents/bpi_13_incidents.csv"),
    ) else {
        return;
    };
    let (r, _) = audit("italian-helpdesk", &[("tickets", &helpdesk)], &[]);
    let c = counts(&r, "closed-5-business-days");
    assert_eq!((c.0, c.1, c.2, c.3), (3749, 2464, 1285, 0));
    let (r, _) = audit("volvo-incidents", &[("incidents", &volvo)], &[]);
    all_rows_used(&r, 65533);
    assert_eq!(
        counts(&r, "second-status-1d"),
        (7536, 3789, 3747, 0, Some(420), Some(4920), Some(7762980))
    );
}

#[test]
fn kaggle_synthetic_tickets_and_their_impossible_order() {
    let Some(tickets) =
        data("kaggle-customer-support-tickets-synthetic/customer_support_tickets.csv")
    else {
        return;
    };
    let (r, _) = audit("kaggle-synthetic-tickets", &[("tickets", &tickets)], &[]);
    // Multi-line quoted descriptions: still 8,469 tickets.
    all_rows_used(&r, 8469);
    assert_eq!(
        counts(&r, "resolved-24h"),
        (5650, 1404, 186, 4060, Some(22740), Some(57600), Some(84480))
    );
    assert_eq!(
        counts(&r, "critical-resolved-4h"),
        (1437, 138, 1145, 154, Some(21540), Some(54780), Some(82320))
    );
    let log = format!("tickets={tickets}");
    let o = run(&[
        "audit",
        "-s",
        "standards/examples/kaggle-synthetic-tickets.toml",
        "--log",
        &log,
        "--only",
        "resolved-24h",
    ]);
    assert!(
        stderr(&o).contains(
            "standard \"resolved-24h\": 1365 case(s) have their `to` milestone before the clock's start"
        ),
        "{}",
        stderr(&o)
    );
}

/// On NYC 311's export (about 40 columns), a breach in the table is its line and at most two
/// lines of attributes at 80 columns (before, each took some 70 lines): the `where` column of
/// `noise-closed-8h`, else what fits and how many more the machine formats have.
#[test]
fn nyc311_breaches_table_keeps_a_breach_to_three_lines() {
    let Some(web2013) = data("nyc311-2013-christmas/311_Service_Requests_from_2010_to_Present.csv")
    else {
        return;
    };
    let log = format!("requests={web2013}");
    let out = ys()
        .env("COLUMNS", "80")
        .args([
            "breaches",
            "-s",
            "standards/examples/nyc311.toml",
            "--log",
            &log,
            "--top",
            "3",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let breaches: usize = lines
        .last()
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a count of breaches ends the table");
    assert!(breaches >= 3, "{text}");
    // The header, its rule and the count, then at most three lines a breach.
    assert!(lines.len() - 3 <= 3 * breaches, "{text}");
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{text}");
    assert!(text.contains("more)"), "{text}");
    assert!(text.contains("Complaint Type=Noise"), "{text}");
}

/// `standards/examples/olist-versioned.toml`: the payment-approval promise tightened on
/// 2017-10-15, a day São Paulo began at 01:00 (daylight saving time started at midnight).
/// Numbers from `tests/reference/reference.py` (which implements versions) on the export:
/// 1,182 orders placed before the change judged by 24h (939 met), 2,889 from it by 12h
/// (2,080 met, 1 open); in October 2017, 74 and 99.
#[test]
fn olist_a_promise_that_changed_on_a_date() {
    let Some(orders) = data("olist/olist_orders_dataset.csv") else {
        return;
    };
    let versions = |r: &Value| -> Vec<(i64, i64, i64, i64, bool)> {
        standard(r, "payment-approved")["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let n = |k: &str| v[k].as_i64().unwrap();
                (
                    n("cases"),
                    n("met"),
                    n("breached"),
                    n("open"),
                    v["shown"] == true,
                )
            })
            .collect()
    };
    let (r, status) = audit("olist-versioned", &[("orders", &orders)], &[]);
    assert_eq!(status, 1);
    all_rows_used(&r, 4071);
    assert_eq!(
        counts(&r, "payment-approved"),
        (4071, 3019, 1051, 1, Some(1263), Some(125702), Some(944335))
    );
    let s = standard(&r, "payment-approved");
    assert_eq!(
        (&s["title"], &s["target"], &s["limit_s"]),
        (
            &Value::from("Payment is approved within 12 hours of the purchase"),
            &Value::from(90.0),
            &Value::from(43200)
        )
    );
    assert_eq!(
        versions(&r),
        [(1182, 939, 243, 0, false), (2889, 2080, 808, 1, true)]
    );
    let (r, _) = audit(
        "olist-versioned",
        &[("orders", &orders)],
        &["--since", "2017-10-01", "--until", "2017-11-01"],
    );
    assert_eq!(
        counts(&r, "payment-approved"),
        (173, 138, 33, 2, Some(1062), Some(89371), Some(390825))
    );
    assert_eq!(
        versions(&r),
        [(74, 61, 13, 0, false), (99, 77, 20, 2, true)]
    );
}
