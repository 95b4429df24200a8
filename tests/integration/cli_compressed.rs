//! Compressed exports: a `.csv.gz` or `.csv.zst` audits exactly as the plain file does, on
//! standard input too, `init` drafts from it, and a cut-off archive is an error, not a short
//! audit.
use crate::common;

use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::Value;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The audit of the ticket desk's standards on `log`, without the inputs' paths.
fn audit(log: &Path) -> (Value, i32) {
    let arg = format!("tickets={}", path_str(log));
    let (mut r, status) = json(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        &arg,
        "--format",
        "json",
    ]);
    for input in r["inputs"].as_array_mut().unwrap() {
        input["path"] = Value::Null;
    }
    (r, status)
}

#[test]
fn gzip_and_zstd_audit_as_the_plain_file() {
    let plain = std::fs::read(root().join("samples/ticket-desk.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("desk.csv.gz");
    std::fs::write(&gz, gzip(&plain)).unwrap();
    let zst = dir.path().join("desk.csv.zst");
    std::fs::write(&zst, zstd::encode_all(&plain[..], 3).unwrap()).unwrap();
    let want = audit(&root().join("samples/ticket-desk.csv"));
    assert_eq!(want.0["inputs"][0]["rows"], 329);
    assert_eq!(audit(&gz), want);
    assert_eq!(audit(&zst), want);
    // On standard input, told by its bytes.
    let o = ys()
        .args([
            "audit",
            "-s",
            "standards/ticket-desk.toml",
            "--tickets",
            "-",
            "--format",
            "json",
        ])
        .write_stdin(gzip(&plain))
        .output()
        .unwrap();
    let mut r: Value = serde_json::from_slice(&o.stdout).unwrap();
    r["inputs"][0]["path"] = Value::Null;
    assert_eq!(r, want.0);
}

#[test]
fn init_reads_a_compressed_export() {
    let plain = std::fs::read(root().join("samples/order-cycle.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let zst = dir.path().join("orders.csv.zst");
    std::fs::write(&zst, zstd::encode_all(&plain[..], 3).unwrap()).unwrap();
    let out = dir.path().join("orders.toml");
    let o = run(&["init", &path_str(&zst), "-o", &path_str(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("[sources.orders]"), "{text}");
    assert!(text.contains("path = \"orders.csv.zst\""), "{text}");
    let (r, _) = json(&["audit", "-s", &path_str(&out), "--format", "json"]);
    assert_eq!(r["inputs"][0]["rows"], 120);
    assert_eq!(r["inputs"][0]["skipped"], 0);
    assert_eq!(r["period"]["as_of"], "2026-11-29T17:50:00Z");
}

#[test]
fn a_cut_off_archive_is_an_error() {
    let plain = std::fs::read(root().join("samples/ticket-desk.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gz = gzip(&plain);
    let cut = dir.path().join("cut.csv.gz");
    std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    let arg = format!("tickets={}", path_str(&cut));
    let o = run(&["audit", "-s", "standards/ticket-desk.toml", "--log", &arg]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("cut.csv.gz"), "{}", stderr(&o));
}

/// A file whose lines end in CR alone is told so from the decompressed bytes too.
#[test]
fn a_compressed_file_with_cr_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("samples/ticket-desk.csv"))
        .unwrap()
        .replace('\n', "\r");
    let gz = dir.path().join("cr.csv.gz");
    std::fs::write(&gz, gzip(text.as_bytes())).unwrap();
    let want = audit(&root().join("samples/ticket-desk.csv"));
    assert_eq!(audit(&gz), want);
}
