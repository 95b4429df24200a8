//! The issue 15 proof at scale: the benchmark workload at 1M events (`bench/workload.rs`,
//! seed 42, generated into a temporary folder), audited by `yardstick audit --format csv`
//! and by the compiled DuckDB query over it as a text table (`tests/sql/duck.py --bulk`):
//! the same rows, cell for cell (numbers to 1e-9), for `bench/standards.toml` and the six
//! standards of `bench/standards-5.toml`, both `--by department`. Skips without DuckDB
//! (`common::skip`; a failure under `YARDSTICK_NO_SKIP`).

use std::path::PathBuf;

use crate::fast_path::workload;
use crate::sql_duckdb::{assert_same, attempt_with, cell, engine, native, Table};

/// The compiled query of `args` run on DuckDB over `tickets` (loaded by DuckDB's reader).
fn on_duckdb(py: &PathBuf, args: &[&str], tickets: &str) -> Table {
    attempt_with(py, "duckdb", args, &[("tickets", tickets)], &["--bulk"])
        .unwrap_or_else(|e| panic!("DuckDB refused the query of {args:?}:\n{e}"))
}

/// The benchmark workload of `events` events from `seed` (`bench/workload.rs`), written
/// into a temporary folder, which holds it while it lives, and the file's path.
pub(super) fn generated_log(events: u64, seed: u64) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join(format!("events-{events}-s{seed}.csv"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    workload::write(&mut out, events, seed).unwrap();
    out.into_inner().unwrap().sync_all().unwrap();
    let log = log.to_str().expect("a UTF-8 path").to_string();
    (dir, log)
}

#[test]
fn the_benchmark_workload_at_1m_events_gives_the_audit_s_rows() {
    let Some(py) = engine() else { return };
    let (_dir, log) = generated_log(1_000_000, 42);
    let log = log.as_str();
    for (file, rows) in [("bench/standards.toml", 4), ("bench/standards-5.toml", 24)] {
        let args = ["-s", file, "--by", "department"];
        let audit = native(&[&args[..], &["--tickets", log]].concat());
        let sql = on_duckdb(&py, &args, log);
        // Three departments and the totals row per standard: the comparison is not of
        // two empty tables.
        assert_eq!(audit.len(), rows + 1, "{file}");
        assert_same(&sql, &audit, file);
        assert_eq!(cell(&sql, "first-reply-10m", "skipped"), "0", "{file}");
    }
}
