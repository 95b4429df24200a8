//! The integration tests, in one binary: each module drives the built `yardstick` (or the
//! library) over one area; `common` holds the shared helpers, `tests/fixtures/` and
//! `tests/hostile/` the fixture folders, `tests/reference/` the independent reference.

#[path = "../common/mod.rs"]
mod common;

mod cli_calendar;
mod cli_cases;
mod cli_check_all;
mod cli_ci;
mod cli_clock;
mod cli_commitments;
mod cli_compressed;
mod cli_dates;
mod cli_diagnostics;
mod cli_errors;
mod cli_formats;
mod cli_helpdesk_metrics;
mod cli_hostile;
mod cli_init;
mod cli_inputs;
mod cli_periodic;
mod cli_presets;
mod cli_progress;
mod cli_real_data;
mod cli_reference;
mod cli_repeat;
mod cli_reports;
mod cli_smart_history;
mod cli_targets;
mod cli_utc;
mod cli_values;
mod cli_versions;
mod cli_width;
mod cli_zones;
mod explain_walk;
mod fast_path;
mod fuzz_inputs;
mod html_browser;
mod junit_schema;
mod sql_cloud;
mod sql_common;
mod sql_duckdb;
mod sql_kinds;
mod sql_postgres;
mod sql_repeat;
mod sql_source;
mod sql_spark;
mod sql_workload;
