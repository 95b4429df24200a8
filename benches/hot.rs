//! The hot inner pieces of an audit (issue 6): `cargo bench`.
//!
//! - `timestamp`: one RFC 3339 timestamp, bytes -> instant;
//! - `ingest`: 20 000 generated events read from memory into cases (per-case state update),
//!   on one thread (`Reader::read`) and on every core (`Reader::read_path`);
//! - `open_between`: open time over two years on an office-hours calendar with holidays.

#[path = "../bench/workload.rs"]
mod workload;

use std::path::Path;

use chrono_tz::Tz;
use divan::{black_box, Bencher};
use yardstick::ingest::{Needs, Reader};
use yardstick::standards::{self, Catalog};
use yardstick::timefmt::{self, TimeFormat};

fn main() {
    divan::main();
}

#[divan::bench(args = ["2026-11-16T09:03:12Z", "2026-11-16T11:03:12.250+02:00", "2026-11-16 09:03"])]
fn timestamp(text: &str) -> Option<timefmt::Stamp> {
    timefmt::parse(black_box(text.as_bytes()), &TimeFormat::Auto, Tz::UTC)
}

#[divan::bench]
fn timestamp_local_berlin(bencher: Bencher) {
    bencher.bench(|| {
        timefmt::parse(
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
