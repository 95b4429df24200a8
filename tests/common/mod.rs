//! Shared helpers for the CLI tests: run the built `yardstick` binary from the crate root,
//! read its JSON/CSV output, and normalise times to UTC for comparison with the reference.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// A test that cannot run here (a missing export, browser or tool) says so and returns, except
/// with `YARDSTICK_NO_SKIP=1` (`.ci/run` sets it), where it fails: in CI a skip would be a green
/// test that checked nothing.
pub fn skip(reason: &str) {
    if std::env::var_os("YARDSTICK_NO_SKIP").is_some_and(|v| v == "1") {
        panic!("YARDSTICK_NO_SKIP=1, and this test would skip: {reason}");
    }
    eprintln!("skipped: {reason}");
}

/// The crate root (where `standards/`, `samples/` and `tests/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(case: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(case)
}

/// `yardstick` run from the crate root with a predictable environment.
pub fn ys() -> Command {
    let mut cmd = Command::cargo_bin("yardstick").expect("the yardstick binary is built");
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .env("TZ", "UTC");
    cmd
}

/// Runs `yardstick` with `args` and returns its output (never panics on a non-zero exit).
pub fn run(args: &[&str]) -> Output {
    ys().args(args).output().expect("yardstick runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited with a status, not a signal")
}

/// Runs a command that must print a JSON document, returning it and the exit status.
pub fn json(args: &[&str]) -> (Value, i32) {
    let o = run(args);
    let text = stdout(&o);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "stdout of yardstick {args:?} is not JSON ({e}):\n{text}\nstderr:\n{}",
            stderr(&o)
        )
    });
    (v, code(&o))
}

/// The JSON row of standard `id` (first match; use `rows_by_group` with `--by`).
pub fn standard<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["standards"]
        .as_array()
        .expect("standards is an array")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no standard {id:?} in {report:#}"))
}

/// Reads a JSON file relative to the crate root.
pub fn read_json(rel: &str) -> Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// CSV text -> (header, rows as maps from column to value).
pub fn csv_records(text: &str) -> (Vec<String>, Vec<std::collections::BTreeMap<String, String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .expect("a header line")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("a CSV record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

/// An RFC 3339 time with any offset -> `YYYY-MM-DDTHH:MM:SSZ` in UTC ("" stays "").
pub fn utc(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text:?} is not RFC 3339: {e}"))
        .with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Writes the header and the rows of `sample` (relative to the crate root) whose first
/// column is one of `cases` to a temporary file, to audit a few cases on their own.
pub fn subset(sample: &str, cases: &[&str]) -> tempfile::NamedTempFile {
    let text = std::fs::read_to_string(root().join(sample)).expect("sample readable");
    let mut lines = text.lines();
    let mut out = String::new();
    out.push_str(lines.next().expect("header"));
    out.push('\n');
    for line in lines {
        let first = line.split(',').next().unwrap_or("");
        if cases.contains(&first) {
            out.push_str(line);
            out.push('\n');
        }
    }
    let f = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(f.path(), out).expect("temp file written");
    f
}

pub fn path_str(p: &Path) -> String {
    p.to_str().expect("UTF-8 path").to_string()
}

/// An xlsx workbook's parts (XML text) by name.
#[cfg(feature = "xlsx")]
pub fn workbook_parts(path: &Path) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut parts = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        parts.insert(f.name().to_string(), text);
    }
    parts
}

/// A workbook's shared strings, in order (cells of type `s` hold an index into them).
#[cfg(feature = "xlsx")]
pub fn shared_strings(parts: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    let strings = roxmltree::Document::parse(&parts["xl/sharedStrings.xml"]).unwrap();
    strings
        .descendants()
        .filter(|n| n.has_tag_name("si"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}
