//! The hot inner pieces of an audit (issue 6): `cargo bench`.
//!
//! - `timestamp`: one RFC 3339 timestamp, bytes -> instant;
//! - `ingest`: 20 000 generated events read from memory into cases (per-case state update),
//!   on one thread (`Reader::read`) and on every core (`Reader::read_path`);
//! - `open_between`: open time over two years on an office-hours calendar with holidays;
//! - `each_unanswered`, `each_thread_replies`: an `each` standard on one case of 20 000 and of
//!   160 000 messages, nearly all unanswered (events and threads layouts), evaluated: the cost
//!   must grow linearly with the messages;
//! - `wide_header`: a log of 12 500 and of 100 000 columns (every other name used twice), a
//!   header and four rows, read into cases with every column an attribute;
//! - `load_standards`: a standards file of 2 500 and of 20 000 standards parsed and checked.

#[path = "../bench/workload.rs"]
mod workload;

use std::path::Path;

use chrono_tz::Tz;
use divan::{black_box, Bencher};
use yardstick::evaluate::{self, Period};
use yardstick::ingest::{Needs, Reader, SourceData};
use yardstick::standards::{self, Catalog};
use yardstick::time::stamp::{self, TimeFormat};

fn main() {
    divan::main();
}

#[divan::bench(args = ["2026-11-16T09:03:12Z", "2026-11-16T11:03:12.250+02:00", "2026-11-16 09:03"])]
fn timestamp(text: &str) -> Option<stamp::Stamp> {
    stamp::parse(black_box(text.as_bytes()), &TimeFormat::Auto, Tz::UTC)
}

#[divan::bench]
fn timestamp_local_berlin(bencher: Bencher) {
    bencher.bench(|| {
        stamp::parse(
            black_box(b"2026-11-16 09:03:12"),
            &TimeFormat::Auto,
            Tz::Europe__Berlin,
        )
    });
}

fn bench_catalog() -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/standards.toml");
    standards::load(&path).expect("bench/standards.toml")
}

const ROWS: u64 = 20_000;

#[divan::bench(sample_count = 30)]
fn ingest_one_thread(bencher: Bencher) {
    let catalog = bench_catalog();
    let mut csv = Vec::new();
    workload::write(&mut csv, ROWS, 42).unwrap();
    let needs = Needs::of(&catalog, 0, &[0], &["department".to_string()]);
    bencher
        .counter(divan::counter::ItemsCount::new(ROWS))
        .bench(|| {
            let mut r = Reader::new(&catalog, 0, needs.clone(), false);
            r.read(&csv[..], "bench.csv").unwrap();
            r.finish().cases.len()
        });
}

#[divan::bench(sample_count = 30)]
fn ingest_parallel(bencher: Bencher) {
    let catalog = bench_catalog();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.csv");
    let mut csv = Vec::new();
    workload::write(&mut csv, ROWS, 42).unwrap();
    std::fs::write(&path, &csv).unwrap();
    let path = path.to_str().unwrap().to_string();
    let needs = Needs::of(&catalog, 0, &[0], &["department".to_string()]);
    bencher
        .counter(divan::counter::ItemsCount::new(ROWS))
        .bench(|| {
            let mut r = Reader::new(&catalog, 0, needs.clone(), false);
            r.read_path(&path).unwrap();
            r.finish().cases.len()
        });
}

const OFFICE: &str = r#"version = 1
timezone = "Europe/Berlin"
[sources.t]
layout = "events"
case = "id"
time = "at"
event = "ev"
[calendars.office]
mon = ["09:00-13:00", "14:00-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-17:00"]
holidays = ["2026-12-25", "01-01", "2027-04-02"]
[calendars.office.overrides]
"2026-12-24" = ["09:00-13:00"]
[[standard]]
id = "x"
from = "created"
to = "reply"
within = "4h"
calendar = "office"
"#;

#[divan::bench]
fn open_between_two_years(bencher: Bencher) {
    let mut catalog = Catalog {
        files: vec![],
        sources: vec![],
        standards: vec![],
        calendars: vec![],
    };
    standards::add_file(&mut catalog, Path::new("office.toml"), OFFICE).unwrap();
    let cal = catalog.calendars[0].calendar.clone();
    // Tuesday 2026-03-03 10:17:05 UTC to two years later.
    let a = 1_772_533_025;
    let b = a + 2 * 365 * 86_400 + 3_600;
    bencher.bench(|| cal.open_between(black_box(a), black_box(b)));
}

/// One source `t` of the given layout lines and one `each` standard on it.
fn each_catalog(source: &str) -> Catalog {
    let text = format!(
        "version = 1\n[sources.t]\n{source}\n[[standard]]\nid = \"x\"\neach = \"msg\"\n\
         to = \"reply\"\nwithin = \"1h\"\n"
    );
    let mut catalog = Catalog {
        files: vec![],
        sources: vec![],
        standards: vec![],
        calendars: vec![],
    };
    standards::add_file(&mut catalog, Path::new("each.toml"), &text).unwrap();
    catalog
}

/// Evaluates the catalog's one standard on every case; the number of outcomes.
fn evaluate_all(catalog: &Catalog, data: &SourceData) -> usize {
    let as_of = data.latest.unwrap_or(0);
    let mut n = 0;
    evaluate::evaluate_each(
        &catalog.standards[0],
        data,
        Period::default(),
        as_of,
        |_| n += 1,
    );
    n
}

/// `k` seconds after 2026-01-01 00:00 UTC, as RFC 3339.
fn at(k: u64) -> String {
    chrono::DateTime::from_timestamp(1_767_225_600 + k as i64, 0)
        .unwrap()
        .to_rfc3339()
}

/// One case of `n` messages a second apart, with a reply only after the last one.
#[divan::bench(args = [20_000, 160_000], sample_count = 10)]
fn each_unanswered(bencher: Bencher, n: u64) {
    let catalog = each_catalog("layout = \"events\"\ncase = \"id\"\ntime = \"at\"\nevent = \"ev\"");
    let mut csv = String::from("id,at,ev\n");
    for k in 0..n {
        csv.push_str(&format!("c,{},msg\n", at(k)));
    }
    csv.push_str(&format!("c,{},reply\n", at(n)));
    let mut r = Reader::new(&catalog, 0, Needs::of(&catalog, 0, &[0], &[]), false);
    r.read(csv.as_bytes(), "each.csv").unwrap();
    let data = r.finish();
    assert_eq!(evaluate_all(&catalog, &data), n as usize);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| evaluate_all(&catalog, black_box(&data)));
}

/// One thread of `n` messages answering its first, and `n / 10` replies, each answering one
/// of the messages (spread over the thread, at the same second as it or later).
#[divan::bench(args = [20_000, 160_000], sample_count = 10)]
fn each_thread_replies(bencher: Bencher, n: u64) {
    let catalog = each_catalog(
        "layout = \"threads\"\nmessage = \"id\"\nreply_to = \"to\"\ntime = \"at\"\nevent = \"ev\"",
    );
    let mut csv = String::from("id,to,at,ev\n");
    for k in 0..n {
        let to = if k == 0 { String::new() } else { "m0".into() };
        csv.push_str(&format!("m{k},{to},{},msg\n", at(k)));
    }
    for k in 0..n / 10 {
        // Message 7919 k mod n: a prime stride visits the thread out of order.
        let m = (7_919 * k) % n;
        csv.push_str(&format!("r{k},m{m},{},reply\n", at(m + k % 3)));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("threads.csv");
    std::fs::write(&path, csv).unwrap();
    let needs = Needs::of(&catalog, 0, &[0], &[]);
    let data = yardstick::ingest::threads::read(
        &catalog,
        0,
        needs,
        false,
        &[path.to_str().unwrap().to_string()],
    )
    .unwrap();
    assert_eq!(evaluate_all(&catalog, &data), n as usize);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| evaluate_all(&catalog, black_box(&data)));
}

/// A log whose header has `n` columns (the case, time and event, then attribute names each
/// used twice), and four rows.
#[divan::bench(args = [12_500, 100_000], sample_count = 10)]
fn wide_header(bencher: Bencher, n: usize) {
    let catalog = each_catalog("layout = \"events\"\ncase = \"id\"\ntime = \"at\"\nevent = \"ev\"");
    let mut csv = String::from("id,at,ev");
    for k in 3..n {
        csv.push_str(&format!(",c{}", k % (n / 2)));
    }
    csv.push('\n');
    for (row, ev) in ["msg", "reply", "msg", "reply"].iter().enumerate() {
        csv.push_str(&format!("c{},{},{ev}", row / 2, at(row as u64 * 60)));
        for k in 3..n {
            csv.push_str(&format!(",v{}", (row + k) % 7));
        }
        csv.push('\n');
    }
    let needs = Needs::of(&catalog, 0, &[0], &[]);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| {
            let mut r = Reader::new(&catalog, 0, needs.clone(), false);
            r.read(black_box(csv.as_bytes()), "wide.csv").unwrap();
            let data = r.finish();
            assert_eq!(data.attr_columns.len(), n - 3);
            data.cases.len()
        });
}

/// A standards file of `n` standards on one source, each with a title and its own limit.
#[divan::bench(args = [2_500, 20_000], sample_count = 10)]
fn load_standards(bencher: Bencher, n: usize) {
    let mut text = String::from(
        "version = 1\ntimezone = \"UTC\"\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\n\
         time = \"at\"\nevent = \"ev\"\n",
    );
    for k in 0..n {
        text.push_str(&format!(
            "\n[[standard]]\nid = \"s-{k}\"\ntitle = \"Standard number {k}\"\nfrom = \"created\"\n\
             to = \"reply\"\nwithin = \"{}m\"\ntarget = 95\n",
            k % 50 + 1
        ));
    }
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| {
            let mut catalog = Catalog {
                files: vec![],
                sources: vec![],
                standards: vec![],
                calendars: vec![],
            };
            standards::add_file(&mut catalog, Path::new("many.toml"), black_box(&text)).unwrap();
            catalog.standards.len()
        });
}
