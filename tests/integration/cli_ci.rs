//! What CI systems and shells get: GitHub annotations for a standards file that does not
//! load, `check --format json|github`, shell completions and the manual page.

use crate::common;

use common::*;

/// A standards file with a typo (`withn`) on line 12, column 1.
fn broken() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(
        &path,
        "version = 1\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\ntime = \"t\"\nevent = \"e\"\n\
         [[standard]]\nid = \"x\"\nsource = \"t\"\nfrom = \"a\"\nto = \"b\"\nwithn = \"10m\"\n",
    )
    .unwrap();
    let shown = path.display().to_string();
    (dir, shown)
}

#[test]
fn audit_github_annotates_a_standards_file_that_does_not_load() {
    let (_dir, path) = broken();
    let out = run(&["audit", "-s", &path, "--format", "github"]);
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    let expected = format!("::error file={path},line=12,col=1::unknown field `withn`");
    assert!(text.starts_with(&expected), "{text}");
    // The stderr line stays for a person reading the log.
    assert!(stderr(&out).contains(&format!("{path}:12:1: unknown field")));
    // Other formats print no annotation.
    let out = run(&["audit", "-s", &path, "--format", "json"]);
    assert_eq!(code(&out), 2);
    assert!(!stdout(&out).contains("::error"));
}

#[test]
fn check_json_lists_standards_and_errors() {
    let (doc, status) = json(&[
        "check",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "json",
    ]);
    assert_eq!(status, 0);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["standards"].as_array().unwrap().len(), 4);
    assert_eq!(doc["standards"][0]["id"], "first-reply-10m");
    assert_eq!(doc["standards"][0]["line"], 25);
    assert_eq!(doc["logs"][0]["source"], "tickets");
    assert_eq!(doc["errors"].as_array().unwrap().len(), 0);
    assert!(doc["warnings"].is_array());

    let (_dir, path) = broken();
    let (doc, status) = json(&["check", "-s", &path, "--format", "json"]);
    assert_eq!(status, 2);
    assert_eq!(doc["ok"], false);
    let e = &doc["errors"][0];
    assert_eq!(e["file"], path.as_str());
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(12), Some(1))
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown field `withn`"),
        "{e}"
    );
}

#[test]
fn check_json_reports_a_malformed_log_binding_as_an_error() {
    let (doc, status) = json(&[
        "check",
        "-s",
        "standards/ticket-desk.toml",
        "--log",
        "tickets",
        "--format",
        "json",
    ]);
    assert_eq!(status, 2);
    assert_eq!(doc["ok"], false);
    assert!(doc["errors"][0]["file"].is_null());
    assert!(
        doc["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected NAME=PATH"),
        "{doc}"
    );
}

#[test]
fn check_github_annotates_errors_and_warnings() {
    let (_dir, path) = broken();
    let out = run(&["check", "-s", &path, "--format", "github"]);
    assert_eq!(code(&out), 2);
    assert!(
        stdout(&out).starts_with(&format!("::error file={path},line=12,col=1::")),
        "{}",
        stdout(&out)
    );
    let out = run(&[
        "check",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "github",
    ]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("ok: 4 standards"), "{text}");
    assert!(!text.contains("::error"), "{text}");
}

#[test]
fn completions_for_every_shell() {
    let out = run(&["completions", "bash"]);
    assert_eq!(code(&out), 0);
    let bash = stdout(&out);
    assert!(bash.contains("audit"), "{bash}");
    assert!(bash.contains("--format"), "{bash}");
    assert!(
        bash.contains("complete -F"),
        "a bash `complete` registration"
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        let text = stdout(&out);
        assert!(
            text.contains("breaches") && text.contains("format"),
            "{shell}: {text}"
        );
    }
    assert_eq!(code(&run(&["completions", "tcsh"])), 2);
}

#[test]
fn man_page_is_roff() {
    let out = run(&["man"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    // clap_mangen first defines the apostrophe string (.ie/.el), then the title.
    let first_macro = text
        .lines()
        .find(|l| l.starts_with('.') && !l.starts_with(".ie") && !l.starts_with(".el"))
        .unwrap();
    assert!(first_macro.starts_with(".TH yardstick 1"), "{text}");
    assert!(text.contains(".SH NAME"), "{text}");
    assert!(text.contains("audit"), "{text}");
}
