//! Snapshot tests of every renderer on one shared fixture report, built here in code so that
//! a change in a renderer, not in the audit, is what a snapshot diff shows.

use std::collections::BTreeMap;

use super::*;
use crate::ingest::InputStats;
use crate::report::{Breach, Group, Histogram, PeriodInfo, PeriodPoint, Row, SCHEMA_VERSION};
use crate::standards::Level;

fn base(id: &str, level: Level, kind: StandardKind, rule: &str, line: usize) -> Row {
    Row {
        id: id.to_string(),
        title: None,
        level,
        source: "tickets".to_string(),
        kind,
        lateness: kind == StandardKind::Deadline,
        rule: rule.to_string(),
        calendar: "always".to_string(),
        group: None,
        cases: 0,
        met: 0,
        breached: 0,
        open: 0,
        excluded: 0,
        compliance: None,
        target: 100.0,
        target_max: None,
        passed: None,
        compliance_variance: None,
        limit_s: None,
        median_s: None,
        p90_s: None,
        max_s: None,
        median_variance_s: None,
        p90_variance_s: None,
        at_least: None,
        at_most: None,
        count_median: None,
        file: "standards/desk.toml".to_string(),
        line,
        timezone: "Europe/Kyiv".to_string(),
        compliance_low: None,
        compliance_high: None,
        value_at_least: None,
        value_at_most: None,
        median_value: None,
        p90_value: None,
        max_value: None,
        no_value: None,
        histogram: None,
        weekly: Vec::new(),
        repeat: None,
        versions: Vec::new(),
        effective_from: None,
        effective_until: None,
    }
}

/// Sets the counts and everything derived from them, as `report::rows` would.
fn scored(mut r: Row, met: u64, breached: u64, open: u64, target: f64) -> Row {
    r.met = met;
    r.breached = breached;
    r.open = open;
    r.cases = met + breached + open;
    r.target = target;
    let decided = met + breached;
    r.compliance = (decided > 0).then(|| met as f64 / decided as f64 * 100.0);
    r.passed = r.compliance.map(|c| c >= target);
    r.compliance_variance = r.compliance.map(|c| c - target);
    let interval = crate::report::wilson(met, decided);
    r.compliance_low = interval.map(|(lo, _)| lo);
    r.compliance_high = interval.map(|(_, hi)| hi);
    r
}

fn timed(mut r: Row, limit: Option<i64>, median: i64, p90: i64, max: i64) -> Row {
    r.limit_s = limit;
    r.median_s = Some(median);
    r.p90_s = Some(p90);
    r.max_s = Some(max);
    r.median_variance_s = limit.map(|l| median - l);
    r.p90_variance_s = limit.map(|l| p90 - l);
    r
}

fn week(period: &str, met: u64, breached: u64, open: u64) -> PeriodPoint {
    let decided = met + breached;
    PeriodPoint {
        period: period.to_string(),
        cases: decided + open,
        met,
        breached,
        open,
        compliance: (decided > 0).then(|| met as f64 / decided as f64 * 100.0),
    }
}

/// Five standards, one of each kind and outcome: an elapsed-time standard that falls short
/// (with a histogram and three weeks), an occurrence standard that passes, a deadline
/// standard and a count standard that fall short, and a "same day" standard with no data.
pub fn fixture() -> Report {
    let mut first = timed(
        scored(
            base(
                "first-reply-10m",
                Level::Nonnegotiable,
                StandardKind::Elapsed,
                "email_received|created -> agent_reply within 10m",
                18,
            ),
            75,
            6,
            1,
            95.0,
        ),
        Some(600),
        369,
        579,
        5_400,
    );
    first.title = Some("Every query is answered within 10 minutes".to_string());
    // 80 values: the 75 met (under 600 s) and 5 of the 6 breaches (one never stopped); the
    // 40th (median, 369) falls in 360-420 and the 72nd (p90, 579) in 540-600; the max (5400)
    // is one of the 2 above 960. The sum of the two groups of `fixture_grouped`, bucket by bucket.
    first.histogram = Some(Histogram {
        start: 0,
        width: 60,
        counts: vec![2, 3, 5, 7, 9, 10, 9, 11, 8, 11, 1, 1, 0, 1, 0, 0],
        above: 2,
    });
    first.weekly = vec![
        week("2026-W46", 20, 0, 0),
        week("2026-W47", 41, 4, 0),
        week("2026-W48", 14, 2, 1),
    ];
    let mut waits = timed(
        scored(
            base(
                "no-message-waits",
                Level::Operational,
                StandardKind::Each,
                "each customer_reply -> agent_reply within 1h",
                29,
            ),
            42,
            3,
            1,
            90.0,
        ),
        Some(3_600),
        1_461,
        2_967,
        7_800,
    );
    waits.title = Some("No customer message waits more than an hour".to_string());
    // 45 values, one per decided case: 42 met under 3600 s, 3 breaches (one in 5100-5400, two
    // above 5700, the max 7800 among them); the 23rd (median, 1461) in 1200-1500 and the 41st
    // (p90, 2967) in 2700-3000. 19 buckets: to 1.5 times the limit, as `Histogram::of` cuts.
    waits.histogram = Some(Histogram {
        start: 0,
        width: 300,
        counts: vec![3, 5, 6, 8, 6, 5, 4, 2, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0],
        above: 2,
    });
    let mut closing = timed(
        scored(
            base(
                "reply-before-closing",
                Level::Nonnegotiable,
                StandardKind::Deadline,
                "agent_reply by solved",
                38,
            ),
            78,
            2,
            2,
            100.0,
        ),
        Some(0),
        -43_860,
        -7_620,
        3_600,
    );
    closing.title = Some("No ticket is closed without a reply".to_string());
    let mut follow = scored(
        base(
            "three-follow-ups",
            Level::Experiential,
            StandardKind::Count,
            "from inquiry_received count follow_up >= 3 within 7d unless registered",
            46,
        ),
        13,
        7,
        16,
        80.0,
    );
    follow.title =
        Some("Every inquiry is followed up three times, unless the customer registers".to_string());
    follow.limit_s = Some(604_800);
    follow.at_least = Some(3);
    follow.count_median = Some(2);
    follow.excluded = 4;
    let mut email = scored(
        base(
            "email-same-day",
            Level::Experiential,
            StandardKind::Elapsed,
            "email_received -> agent_reply within same day",
            57,
        ),
        0,
        0,
        2,
        98.0,
    );
    email.title = Some("E-mail | answered <the same day> & \"politely\"".to_string());
    email.calendar = "office".to_string();
    let standards = vec![first, waits, closing, follow, email];
    Report {
        schema_version: SCHEMA_VERSION,
        passed: false,
        period: PeriodInfo {
            since: Some("2026-11-16T00:00:00+02:00".to_string()),
            until: Some("2026-11-30T00:00:00+02:00".to_string()),
            as_of: Some("2026-11-30T00:00:00+02:00".to_string()),
        },
        standards,
        inputs: vec![InputStats {
            source: "tickets".to_string(),
            path: "samples/desk.csv".to_string(),
            rows: 1_000,
            used: 990,
            skipped: 10,
            skipped_reasons: BTreeMap::from([
                ("missing case id".to_string(), 3),
                ("unparseable timestamp".to_string(), 7),
            ]),
            ..InputStats::default()
        }],
        breaches: Vec::new(),
    }
}

/// The fixture's first standard `--by department`: two groups and the totals row. Each group
/// has its own median, p90, max and histogram, consistent with its counts, and the groups add
/// up to the totals row (counts and histogram buckets), so that a renderer showing one group's
/// numbers in another's row, or the totals' in a group's, is seen in the snapshot.
pub fn fixture_grouped() -> Report {
    let mut r = fixture();
    let whole = r.standards[0].clone();
    let group = |name: &str| Some(Group(vec![("department".to_string(), name.to_string())]));
    // 34 values: 30 met and all 4 breaches; the 17th (377) in 360-420, the 31st (612) in
    // 600-660, the max the whole log's 5400.
    let mut sales = timed(
        scored(whole.clone(), 30, 4, 1, 95.0),
        Some(600),
        377,
        612,
        5_400,
    );
    sales.group = group("Sales");
    sales.weekly.clear();
    sales.histogram = Some(Histogram {
        start: 0,
        width: 60,
        counts: vec![1, 1, 2, 3, 4, 4, 4, 5, 3, 3, 1, 0, 0, 1, 0, 0],
        above: 2,
    });
    // 46 values: 45 met and one of the two breaches (the other never stopped); the 23rd (362)
    // in 360-420, the 42nd (571) in 540-600, the max 694; 12 buckets, to past the max.
    let mut support = timed(
        scored(whole.clone(), 45, 2, 0, 95.0),
        Some(600),
        362,
        571,
        694,
    );
    support.group = group("Support");
    support.weekly.clear();
    support.histogram = Some(Histogram {
        start: 0,
        width: 60,
        counts: vec![1, 2, 3, 4, 5, 6, 5, 6, 5, 8, 0, 1],
        above: 0,
    });
    let mut total = whole;
    total.group = Some(Group::total());
    r.standards = vec![sales, support, total];
    r
}

/// A breach of a timed standard on the "always" calendar, its times worked out from its start:
/// deadline = start + limit, stop = start + elapsed (none when `stopped` is false: then
/// `elapsed` runs to the fixture's as-of), over by = elapsed - limit.
#[allow(clippy::too_many_arguments)]
fn breach(
    standard: &str,
    case: &str,
    start: &str,
    limit: i64,
    elapsed: i64,
    stopped: bool,
    agent: &str,
    dept: &str,
) -> Breach {
    let start_at = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    let at = |s: i64| (start_at + chrono::Duration::seconds(s)).to_rfc3339();
    Breach {
        standard: standard.to_string(),
        level: Level::Nonnegotiable,
        source: "tickets".to_string(),
        case: case.to_string(),
        occurrence: None,
        clock_start: start.to_string(),
        clock_stop: stopped.then(|| at(elapsed)),
        deadline: Some(at(limit)),
        elapsed_s: Some(elapsed),
        limit_s: Some(limit),
        over_by_s: Some(elapsed - limit),
        paused_s: Some(0),
        count: None,
        required: None,
        attributes: Group(vec![
            ("agent".to_string(), agent.to_string()),
            ("department".to_string(), dept.to_string()),
        ]),
        value: None,
        zone: chrono_tz::Europe::Kyiv,
        version: None,
        outside: None,
    }
}

/// Four breaches of three standards, each with its own times: one that stopped 721 s late,
/// one that never stopped (4000 s to the as-of, 2026-11-30 00:00), one per occurrence, one of
/// a count (decided by its window's close, its deadline).
pub fn breach_fixture() -> BreachReport {
    let mut waits = breach(
        "no-message-waits",
        "T-7",
        "2026-11-19T11:40:00+02:00",
        3_600,
        3_720,
        true,
        "ana",
        "Support",
    );
    waits.level = Level::Operational;
    waits.occurrence = Some(2);
    let mut count = breach(
        "three-follow-ups",
        "T-9",
        "2026-11-20T10:05:00+02:00",
        604_800,
        604_800,
        false,
        "bo",
        "",
    );
    count.level = Level::Experiential;
    count.clock_stop = None;
    count.elapsed_s = None;
    count.over_by_s = None;
    count.paused_s = None;
    count.count = Some(1);
    count.required = Some(">=3".to_string());
    let f = fixture();
    BreachReport {
        schema_version: SCHEMA_VERSION,
        period: f.period,
        breaches: vec![
            breach(
                "first-reply-10m",
                "T-1",
                "2026-11-17T09:03:12+02:00",
                600,
                1_321,
                true,
                "ana",
                "Sales",
            ),
            breach(
                "first-reply-10m",
                "T-4",
                "2026-11-29T22:53:20+02:00",
                600,
                4_000,
                false,
                "bo",
                "Support",
            ),
            waits,
            count,
        ],
        inputs: f.inputs,
        shown: Default::default(),
    }
}

fn plain() -> Style {
    Style {
        color: false,
        width: 80,
        formula_safe: false,
    }
}

fn audit_text(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    audit(report, format, plain(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn breaches_text(report: &BreachReport, format: Format) -> String {
    let mut out = Vec::new();
    breaches(report, format, plain(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn audit_table() {
    insta::assert_snapshot!(audit_text(&fixture(), Format::Table));
    insta::assert_snapshot!(
        "audit_table_grouped",
        audit_text(&fixture_grouped(), Format::Table)
    );
}

#[test]
fn audit_csv_and_tsv() {
    insta::assert_snapshot!(audit_text(&fixture(), Format::Csv));
    insta::assert_snapshot!(
        "audit_csv_grouped",
        audit_text(&fixture_grouped(), Format::Csv)
    );
    // TSV is CSV with tabs (no field here holds a comma, tab or quote).
    let tsv = audit_text(&fixture(), Format::Tsv);
    let csv = audit_text(&fixture(), Format::Csv);
    assert_eq!(tsv.lines().count(), csv.lines().count());
    assert_eq!(
        tsv.lines().next().unwrap(),
        csv.lines().next().unwrap().replace(',', "\t")
    );
}

#[test]
fn audit_json() {
    insta::assert_snapshot!(audit_text(&fixture(), Format::Json));
    insta::assert_snapshot!(
        "audit_json_grouped",
        audit_text(&fixture_grouped(), Format::Json)
    );
}

#[test]
fn audit_markdown() {
    insta::assert_snapshot!(audit_text(&fixture(), Format::Markdown));
    insta::assert_snapshot!(
        "audit_markdown_grouped",
        audit_text(&fixture_grouped(), Format::Markdown)
    );
}

/// Two standards files, their standards interleaved (a report lists them as `--only` or a
/// folder gives them): one suite per file, in the order each first appears, each with its own
/// counts; the root has the totals.
#[test]
fn audit_junit() {
    let mut report = fixture();
    for i in [1, 3] {
        report.standards[i].file = "standards/more & other.toml".to_string();
    }
    insta::assert_snapshot!(audit_text(&report, Format::Junit));
}

/// The as-of instant in UTC without an offset (the Ant schema's pattern), and the Unix epoch
/// (the instant the audit judged as of) when there is none.
#[test]
fn junit_timestamp_is_the_as_of_instant_in_utc() {
    let mut report = fixture();
    let text = audit_text(&report, Format::Junit);
    assert!(
        text.contains(r#"timestamp="2026-11-29T22:00:00""#),
        "{text}"
    );
    report.period.as_of = None;
    let text = audit_text(&report, Format::Junit);
    assert!(
        text.contains(r#"timestamp="1970-01-01T00:00:00""#),
        "{text}"
    );
}

/// A breach of a wide export (40 attribute columns) takes its line and two of attributes,
/// then says how many more there are; with the columns named (`where`, `--columns`), only
/// those, each whole however long.
#[test]
fn breaches_table_keeps_a_wide_breach_to_three_lines() {
    let mut b = breach_fixture();
    b.breaches.truncate(1);
    b.breaches[0].attributes = Group(
        (0..40)
            .map(|i| (format!("column_{i}"), format!("value {i}")))
            .collect(),
    );
    let text = breaches_text(&b, Format::Table);
    let lines: Vec<&str> = text.lines().collect();
    // Header, rule, the breach, two lines of attributes, the count.
    assert_eq!(lines.len(), 6, "{text}");
    assert!(lines[4].ends_with("more)"), "{text}");
    let shown = lines[3].matches('=').count() + lines[4].matches('=').count();
    assert!(
        lines[4].contains(&format!("(+{} more)", 40 - shown)),
        "{text}"
    );
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{text}");

    let long = "a description of the problem that runs on and on for far more than one line of \
                an eighty-column terminal";
    b.breaches[0].attributes.0[7].1 = long.to_string();
    b.shown.insert(
        b.breaches[0].standard.clone(),
        vec!["column_7".to_string(), "column_3".to_string()],
    );
    let text = breaches_text(&b, Format::Table);
    assert!(!text.contains("column_0="), "{text}");
    assert!(!text.contains("more)"), "{text}");
    // The long value wraps between its words; put together again it is whole.
    let attrs: Vec<&str> = text
        .lines()
        .skip(3)
        .take_while(|l| l.starts_with(' '))
        .collect();
    let joined = attrs.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
    assert!(joined.contains(&format!("column_7={long}")), "{text}");
    assert!(joined.ends_with("column_3=value 3"), "{text}");
    assert!(attrs.iter().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn breaches_every_format() {
    let b = breach_fixture();
    insta::assert_snapshot!("breaches_table", breaches_text(&b, Format::Table));
    insta::assert_snapshot!("breaches_csv", breaches_text(&b, Format::Csv));
    insta::assert_snapshot!("breaches_json", breaches_text(&b, Format::Json));
    insta::assert_snapshot!("breaches_markdown", breaches_text(&b, Format::Markdown));
}

#[test]
fn variance_in_words() {
    let f = fixture();
    let words: Vec<String> = f.standards.iter().map(variance_words).collect();
    assert_eq!(
        words,
        [
            "compliance 92.6% against 95% (-2.4 pts); median 6m09s against 10m (3m51s under); p90 9m39s against 10m (21s under)",
            "compliance 93.3% against 90% (+3.3 pts); median 24m21s against 1h00m (35m39s under); p90 49m27s against 1h00m (10m33s under)",
            "compliance 97.5% against 100% (-2.5 pts); median 12h11m early; p90 2h07m early",
            "compliance 65% against 80% (-15.0 pts); median count 2 against at least 3",
            "no decided case (target 98%)",
        ]
    );
    let mut over = f.standards[0].clone();
    over.p90_s = Some(600 + 7_260);
    over.median_s = Some(600);
    assert_eq!(
        variance_words(&over),
        "compliance 92.6% against 95% (-2.4 pts); median 10m against 10m (at the limit); p90 2h11m against 10m (2h01m over)"
    );
}

#[test]
fn breach_counts_every_format() {
    let b = breach_fixture();
    let by = vec!["department".to_string()];
    let counts = crate::report::BreachCounts {
        schema_version: SCHEMA_VERSION,
        period: b.period.clone(),
        counts: count_breaches(&b.breaches, &by),
        by,
        inputs: Vec::new(),
    };
    let text = |format| {
        let mut out = Vec::new();
        breach_counts(&counts, format, plain(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    insta::assert_snapshot!("counts_table", text(Format::Table));
    insta::assert_snapshot!("counts_csv", text(Format::Csv));
    insta::assert_snapshot!("counts_json", text(Format::Json));
    insta::assert_snapshot!("counts_markdown", text(Format::Markdown));
}

#[test]
fn audit_ndjson_and_github() {
    insta::assert_snapshot!("audit_ndjson", audit_text(&fixture(), Format::Ndjson));
    insta::assert_snapshot!("audit_github", audit_text(&fixture(), Format::Github));
    insta::assert_snapshot!(
        "audit_github_grouped",
        audit_text(&fixture_grouped(), Format::Github)
    );
    insta::assert_snapshot!(
        "breaches_ndjson",
        breaches_text(&breach_fixture(), Format::Ndjson)
    );
}

#[test]
fn audit_html() {
    insta::assert_snapshot!("audit_html", audit_text(&fixture(), Format::Html));
    insta::assert_snapshot!(
        "audit_html_grouped",
        audit_text(&fixture_grouped(), Format::Html)
    );
}

/// Two years of ISO weeks from 2025-W01: 104 weeks but for `missing` (no case at all), the
/// week at `open_only` with open cases only, every other week 9 met and 1 breached.
fn two_years(missing: std::ops::Range<i64>, open_only: i64) -> Vec<PeriodPoint> {
    use chrono::Datelike;
    let monday = chrono::NaiveDate::from_ymd_opt(2024, 12, 30).unwrap();
    (0..104)
        .filter(|k| !missing.contains(k))
        .map(|k| {
            let w = (monday + chrono::Days::new(7 * k as u64)).iso_week();
            let label = format!("{}-W{:02}", w.year(), w.week());
            if k == open_only {
                week(&label, 0, 0, 3)
            } else {
                week(&label, 9, 1, 0)
            }
        })
        .collect()
}

/// The numbers of `attr="..."` on each of the `element`s of an SVG with `class` (document order).
fn svg_numbers(html: &str, element: &str, class: Option<&str>, attr: &str) -> Vec<f64> {
    let open = match class {
        Some(c) => format!("<{element} class=\"{c}\" "),
        None => format!("<{element} "),
    };
    html.split(&open)
        .skip(1)
        .map(|rest| {
            let tag = &rest[..rest.find('>').unwrap()];
            let at = tag.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
            tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

/// The weekly chart of a long period, as a reader needs it: a few axis labels that do not
/// overlap (at most 20, here six at most in the 370-unit plot), weeks placed by time (a
/// stretch without cases is as wide as its weeks, shown grey, the line broken across it), and
/// the line broken at a week with open cases only.
#[test]
fn html_trend_over_two_years_thins_labels_and_shows_gaps() {
    let mut report = fixture();
    report.standards[0].weekly = two_years(19..35, 60);
    let html = audit_text(&report, Format::Html);
    let trend = &html[html.find("<figure class=\"trend\">").unwrap()..];
    let trend = &trend[..trend.find("</figure>").unwrap()];

    let labels = svg_numbers(trend, "text", Some("week"), "x");
    assert!((3..=6).contains(&labels.len()), "{} labels", labels.len());
    assert!(labels.len() <= 20);
    for pair in labels.windows(2) {
        assert!(pair[1] - pair[0] >= 60.0, "labels {pair:?} overlap");
    }
    // 103 weeks from the first to the last across 370 units: every 26 weeks (a half-year)
    assert!(trend.contains(">2025-W01</text>"), "{trend}");
    assert!(trend.contains(">2025-W27</text>"), "{trend}");
    assert!(trend.contains(">2026-W01</text>"), "{trend}");

    // by time: the week after the gap is 17 weeks after the week before it
    let circles = svg_numbers(trend, "circle", None, "cx");
    assert_eq!(
        circles.len(),
        104 - 16 - 1,
        "a dot per week with a decided case"
    );
    let step = 370.0 / 103.0;
    assert!(
        (circles[19] - circles[18] - 17.0 * step).abs() < 0.2,
        "{circles:?}"
    );
    assert!((circles[1] - circles[0] - step).abs() < 0.2);

    // the gap: one band over the 16 missing weeks, named in its tooltip
    let gaps = svg_numbers(trend, "rect", Some("gap"), "width");
    assert_eq!(gaps.len(), 1, "{trend}");
    assert!((gaps[0] - 16.0 * step).abs() < 0.2, "{gaps:?}");
    assert!(trend.contains("<title>no case from 2025-W20 to 2025-W35</title>"));
    assert!(trend.contains("grey: weeks without a case"));

    // the line: three runs (before the gap, to the open-only week, after it)
    let d = trend.split("<path class=\"line\" d=\"").nth(1).unwrap();
    let d = &d[..d.find('"').unwrap()];
    assert_eq!(d.matches('M').count(), 3, "{d}");
    assert_eq!(d.matches('L').count(), circles.len() - 3);

    // a short period keeps a label per week, and no band
    let html = audit_text(&fixture(), Format::Html);
    assert_eq!(
        svg_numbers(&html, "text", Some("week"), "x"),
        [60.0, 245.0, 430.0]
    );
    assert!(!html.contains("class=\"gap\""));
}

#[test]
fn histogram_buckets() {
    // 20-odd buckets of a round width from 0, past the limit; the tail above
    let values = [30, 90, 200, 369, 420, 579, 600, 601, 5_400];
    let tallied: Vec<(i64, u64)> = values.iter().map(|&v| (v, 1)).collect();
    let h = Histogram::of(&tallied, Some(600), Some(601)).unwrap();
    assert_eq!((h.start, h.width), (0, 60));
    assert_eq!(h.counts.len(), 16);
    assert_eq!(h.counts.iter().sum::<u64>() + h.above, values.len() as u64);
    assert_eq!(h.above, 1);
    assert_eq!(h.counts[0], 1);
    assert_eq!(h.counts[10], 2, "600 and 601");
    // lateness: negative values start the axis
    let h = Histogram::of(
        &[(-7_200, 1), (-60, 1), (0, 3), (300, 1)],
        Some(0),
        Some(300),
    )
    .unwrap();
    assert_eq!((h.start, h.width), (-7_200, 600));
    assert_eq!(h.above, 0);
    assert_eq!(
        h.counts.iter().sum::<u64>(),
        6,
        "a value seen three times counts three times"
    );
    assert_eq!(h.counts[12], 4, "[0, 600): 0 three times and 300");
    assert_eq!(Histogram::of(&[], Some(600), None), None);
}

fn trend_fixture() -> crate::report::TrendReport {
    use crate::report::{last_periods, Every, TrendReport};
    let f = fixture();
    let first = &f.standards[0];
    // 2026-11-29T12:00:00Z: the weeks 2026-W46 to W48 in Kyiv
    let spans = last_periods(Every::Week, 3, 1_795_953_600, chrono_tz::Europe::Kyiv);
    let mut rows = Vec::new();
    let mut previous: Option<f64> = None;
    for (span, w) in spans.iter().zip(&first.weekly) {
        let allowed = crate::report::allowed_breaches(first.target, w.met + w.breached);
        let change = w.compliance.zip(previous).map(|(c, p)| c - p);
        previous = w.compliance;
        rows.push(crate::report::TrendRow {
            id: first.id.clone(),
            title: first.title.clone(),
            level: first.level,
            period: span.period.clone(),
            cases: w.cases,
            met: w.met,
            breached: w.breached,
            open: w.open,
            compliance: w.compliance,
            target: first.target,
            target_max: first.target_max,
            passed: w.compliance.map(|c| c >= first.target),
            change,
            direction: change.map(|c| if c > 0.0 { "up" } else { "down" }),
            budget_allowed: allowed,
            budget_used: (allowed > 0).then(|| w.breached as f64 / allowed as f64 * 100.0),
            budget_left: allowed as i64 - w.breached as i64,
            version: None,
            timezone: span.timezone.clone(),
            // The as-of falls in the last week.
            partial: span.until_s > 1_795_953_600,
        });
    }
    TrendReport {
        schema_version: SCHEMA_VERSION,
        every: Every::Week,
        as_of: "2026-11-29T14:00:00+02:00".to_string(),
        periods: spans,
        trend: rows,
        inputs: f.inputs,
    }
}

#[test]
fn trend_every_format() {
    let t = trend_fixture();
    assert_eq!(
        t.periods
            .iter()
            .map(|p| p.period.as_str())
            .collect::<Vec<_>>(),
        ["2026-W46", "2026-W47", "2026-W48"]
    );
    let text = |format| {
        let mut out = Vec::new();
        trend(&t, format, plain(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    insta::assert_snapshot!("trend_table", text(Format::Table));
    insta::assert_snapshot!("trend_csv", text(Format::Csv));
    insta::assert_snapshot!("trend_json", text(Format::Json));
    insta::assert_snapshot!("trend_markdown", text(Format::Markdown));
    insta::assert_snapshot!("trend_ndjson", text(Format::Ndjson));
}

#[test]
fn error_budget_allowance() {
    use crate::report::allowed_breaches;
    // floor((1 - T/100) x D), without the float error of 1 - 0.9
    assert_eq!(allowed_breaches(90.0, 10), 1);
    assert_eq!(allowed_breaches(95.0, 75), 3);
    assert_eq!(allowed_breaches(95.0, 19), 0);
    assert_eq!(allowed_breaches(95.0, 20), 1);
    assert_eq!(allowed_breaches(99.9, 1_000), 1);
    assert_eq!(allowed_breaches(100.0, 500), 0);
    assert_eq!(allowed_breaches(0.0, 7), 7);
}

/// The XML of each part of a workbook, by name.
#[cfg(feature = "xlsx")]
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        parts.insert(f.name().to_string(), text);
    }
    parts
}

#[cfg(feature = "xlsx")]
#[test]
fn audit_xlsx() {
    let mut report = fixture_grouped();
    report.breaches = breach_fixture().breaches;
    let mut bytes = Vec::new();
    audit(&report, Format::Xlsx, plain(), &mut bytes).unwrap();
    let parts = unzip(&bytes);
    insta::assert_snapshot!("xlsx_workbook", parts["xl/workbook.xml"]);
    insta::assert_snapshot!("xlsx_summary", parts["xl/worksheets/sheet1.xml"]);
    insta::assert_snapshot!("xlsx_breaches", parts["xl/worksheets/sheet2.xml"]);
    insta::assert_snapshot!("xlsx_definitions", parts["xl/worksheets/sheet3.xml"]);
    insta::assert_snapshot!("xlsx_strings", parts["xl/sharedStrings.xml"]);
    // the same report, the same bytes
    let mut again = Vec::new();
    audit(&report, Format::Xlsx, plain(), &mut again).unwrap();
    assert_eq!(bytes, again);
}

/// The fixtures are consistent, so that a snapshot shows real arithmetic: a histogram holds
/// at most one value per decided case, the groups add up to the totals row (counts and
/// buckets), and each breach's times agree with its elapsed, limit and over-by.
#[test]
fn fixture_numbers_add_up() {
    for r in fixture()
        .standards
        .iter()
        .chain(&fixture_grouped().standards)
    {
        assert_eq!(r.cases, r.met + r.breached + r.open, "{}", r.id);
        if let Some(h) = &r.histogram {
            let values = h.counts.iter().sum::<u64>() + h.above;
            assert!(values <= r.met + r.breached, "{} {:?}", r.id, r.group);
        }
    }
    let g = fixture_grouped().standards;
    let (parts, total) = (&g[..2], &g[2]);
    let sum = |f: fn(&Row) -> u64| parts.iter().map(f).sum::<u64>();
    assert_eq!(
        (sum(|r| r.met), sum(|r| r.breached), sum(|r| r.open)),
        (total.met, total.breached, total.open)
    );
    let hist = |r: &Row| r.histogram.clone().unwrap();
    let whole = hist(total);
    for (i, &n) in whole.counts.iter().enumerate() {
        let of_parts: u64 = parts
            .iter()
            .map(|r| hist(r).counts.get(i).copied().unwrap_or(0))
            .sum();
        assert_eq!(of_parts, n, "bucket {i}");
    }
    assert_eq!(
        parts.iter().map(|r| hist(r).above).sum::<u64>(),
        whole.above
    );
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp();
    for b in breach_fixture().breaches {
        let start = at(&b.clock_start);
        let limit = b.limit_s.unwrap();
        assert_eq!(
            b.deadline.as_deref().map(at),
            Some(start + limit),
            "{}",
            b.case
        );
        if let Some(elapsed) = b.elapsed_s {
            assert_eq!(b.over_by_s, Some(elapsed - limit), "{}", b.case);
            if let Some(stop) = &b.clock_stop {
                assert_eq!(at(stop), start + elapsed, "{}", b.case);
            }
        }
    }
}

/// The fixture's breach counts, counted from its breach rows (the report counts from
/// outcomes, `report::count_breached`, which needs a log): per standard in the order of
/// `list`, the most breaches first, then by value.
fn count_breaches(list: &[Breach], by: &[String]) -> Vec<crate::report::BreachCount> {
    let mut out = Vec::new();
    for mine in list.chunk_by(|a, b| a.standard == b.standard) {
        let mut counts: BTreeMap<Vec<String>, u64> = BTreeMap::new();
        for b in mine {
            let key = by
                .iter()
                .map(|c| {
                    b.attributes
                        .0
                        .iter()
                        .find(|(k, _)| k == c)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                })
                .collect();
            *counts.entry(key).or_default() += 1;
        }
        out.extend(crate::report::count_rows(
            &mine[0].standard,
            mine[0].level,
            counts,
            by,
        ));
    }
    out
}

/// A repeat rate in every format with a table of rows: no times measured, its customers and
/// period in words where people read the report (the period defaulted: no --since/--until),
/// in `repeat` where machines do. Kyiv midnights: 2025-01-01 and 2026-01-01 are 22:00Z the
/// day before (UTC+2), 2026-12-31 16:00 local is 14:00Z.
fn repeat_report() -> Report {
    let mut r = fixture();
    let mut row = scored(
        base(
            "repeat-rate",
            Level::Experiential,
            StandardKind::Repeat,
            "registered in the 365d before the period -> registered again in it, per customer (customer_id)",
            40,
        ),
        11,
        29,
        0,
        30.0,
    );
    row.title = Some("30-50% of last year's customers register again".to_string());
    row.target_max = Some(50.0);
    row.passed = Some(false);
    row.compliance_variance = row.compliance.map(|c| c - 30.0);
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp();
    row.repeat = Some(crate::report::RepeatWindow::new(
        crate::evaluate::RepeatPeriod {
            look_back: at("2024-12-31T22:00:00Z"),
            since: at("2025-12-31T22:00:00Z"),
            until: at("2026-12-31T14:00:00Z"),
            given: [false, false],
        },
        "365d",
    ));
    r.standards = vec![row];
    r.passed = false;
    r
}

#[test]
fn a_repeat_rate_in_every_format() {
    let r = repeat_report();
    for (name, format) in [
        ("audit_repeat_table", Format::Table),
        ("audit_repeat_markdown", Format::Markdown),
        ("audit_repeat_csv", Format::Csv),
        ("audit_repeat_json", Format::Json),
        ("audit_repeat_junit", Format::Junit),
    ] {
        insta::assert_snapshot!(name, audit_text(&r, format));
    }
    let html = audit_text(&r, Format::Html);
    assert!(
        html.contains("<p class=\"meta\">customers of 2025-01-01 to 2026-01-01 returning 2026-01-01 to 2026-12-31 16:00:00 (Europe/Kyiv), the default period: no --since/--until, so the 365d before the as-of</p>"),
        "{html}"
    );
    // No histogram: a repeat rate measures no time.
    assert!(!html.contains("Distribution of"), "{html}");
}

/// A value standard's row: numbers against bounds wherever a time would be, rounded for
/// people (a p90 of 0.1 + 0.2 reads 0.3), exact in the machine formats.
#[test]
fn value_rows_show_numbers_against_bounds() {
    let mut rings = scored(
        base(
            "three-rings",
            Level::Operational,
            StandardKind::Value,
            "rings <= 3 on call_answered",
            9,
        ),
        3,
        2,
        0,
        80.0,
    );
    rings.excluded = 1;
    rings.no_value = Some(1);
    rings.value_at_most = Some(3.0);
    rings.median_value = Some(3.0);
    rings.p90_value = Some(0.1 + 0.2);
    rings.max_value = Some(5.0);
    let mut report = fixture();
    report.standards = vec![rings];
    let table = audit_text(&report, Format::Table);
    assert!(
        table.contains("three-rings  oper     80%     60%   3/2/0 3 (<= 3) 0.3 -20.0 FAIL"),
        "{table}"
    );
    assert!(
        table.contains("three-rings: compliance 60% against 80% (-20.0 pts); median 3 against <= 3;\n    p90 0.3 against <= 3"),
        "{table}"
    );
    let md = audit_text(&report, Format::Markdown);
    assert!(md.contains("| 3 (<= 3) | 0.3 | -20.0 pts | FAIL |"), "{md}");
    let csv = audit_text(&report, Format::Csv);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            // The value columns, the versions' (empty without versions), the zone.
            .ends_with(",,3,3,0.30000000000000004,5,1,,,Europe/Kyiv"),
        "{csv}"
    );
    let json = audit_text(&report, Format::Json);
    assert!(json.contains("\"kind\": \"value\""), "{json}");
    assert!(
        json.contains("\"p90_value\": 0.30000000000000004,"),
        "{json}"
    );
}

/// The (x1, x2) of each horizontal whisker (`<g class="whisker">`, its first line) in `html`.
fn whiskers(html: &str) -> Vec<(f64, f64)> {
    html.split("<g class=\"whisker\"")
        .skip(1)
        .map(|g| {
            let line = &g[g.find("<line ").unwrap()..];
            let x1 = svg_numbers(line, "line", None, "x1")[0];
            let x2 = svg_numbers(line, "line", None, "x2")[0];
            (x1, x2)
        })
        .collect()
}

/// first-reply-10m: 75 met of 81 decided, whose 95% Wilson interval is 84.767% to 96.561%
/// (worked by hand in report::summary's test): on the 560-unit bar from x = 220, the whisker
/// runs from 220 + 5.6 x 84.767 = 694.7 to 220 + 5.6 x 96.561 = 760.7.
#[test]
fn html_whiskers_draw_each_figures_interval() {
    let html = audit_text(&fixture(), Format::Html);
    let chart = &html[html.find("<figure class=\"compliance\">").unwrap()..];
    let chart = &chart[..chart.find("</figure>").unwrap()];
    assert_eq!(whiskers(chart)[0], (694.7, 760.7));
    assert!(chart.contains("<title>95% interval: 84.8% to 96.6%</title>"));
    // One per standard with a decided case (email-same-day has none).
    let decided = fixture()
        .standards
        .iter()
        .filter(|r| r.met + r.breached > 0)
        .count();
    assert_eq!(whiskers(chart).len(), decided);
    // Groups: a bar and a whisker each; under 20 decided cases grey, "too few".
    let mut grouped = fixture_grouped();
    let whole = grouped.standards[0].clone();
    grouped.standards[0] = Row {
        group: whole.group.clone(),
        ..scored(whole, 10, 2, 0, 95.0)
    };
    let html = audit_text(&grouped, Format::Html);
    let groups = &html[html.find("<figure class=\"groups\">").unwrap()..];
    let groups = &groups[..groups.find("</figure>").unwrap()];
    assert_eq!(whiskers(groups).len(), 2);
    assert_eq!(groups.matches("<rect class=\"bar few\"").count(), 1);
    assert!(groups.contains(">83.3% (n=12, too few)</text>"), "{groups}");
    // 10 of 12: 55.2% to 95.3%, on the 400-unit bar from 220.
    let (lo, hi) = crate::report::wilson(10, 12).unwrap();
    assert_eq!(
        whiskers(groups)[0],
        (
            (2200.0 + 40.0 * lo).round() / 10.0,
            (2200.0 + 40.0 * hi).round() / 10.0
        )
    );
    assert!(
        (lo - 55.2).abs() < 0.05 && (hi - 95.3).abs() < 0.05,
        "{lo} {hi}"
    );
}

/// `trend --format html`: a row per period with the running one marked, and a line per
/// standard whose points carry their 95% intervals, the running period's point hollow.
#[test]
fn trend_html_marks_the_running_period_and_draws_intervals() {
    let t = trend_fixture();
    let mut out = Vec::new();
    trend(&t, Format::Html, plain(), &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert_eq!(html.matches(" (partial)</td>").count(), 1);
    assert!(html.contains("<td>2026-W48 (partial)</td>"));
    let decided = t.trend.iter().filter(|r| r.met + r.breached > 0).count();
    assert_eq!(html.matches("<line class=\"whisker\"").count(), decided);
    let last_decided = t.trend.last().is_some_and(|r| r.compliance.is_some());
    assert_eq!(
        html.matches("<circle class=\"partial\"").count(),
        usize::from(last_decided)
    );
    assert!(!html.contains("<script"));
    insta::assert_snapshot!("trend_html", html);
}
