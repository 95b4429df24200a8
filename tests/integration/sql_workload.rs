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

#[test]
fn the_benchmark_workload_at_1m_events_gives_the_audit_s_rows() {
    let Some(py) = engine() else { return };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events-1000000-s42.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    workload::write(&mut out, 1_000_000, 42).unwrap();
    out.into_inner().unwrap().sync_all().unwrap();
    let log = log.to_str().expect("a UTF-8 path");
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
