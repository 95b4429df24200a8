//! The JUnit report as a CI server meets it: `yardstick audit --format junit` on the shipped
//! samples (the `standards/` folder, and each file in it on its own) validates against
//! `tests/junit/junit.xsd` with `xmllint --schema`, and its totals add up: one suite per
//! standards file, each suite's counts those of its cases, the root's the sum of the suites'.
//! Skips, saying so, without xmllint (Debian: libxml2-utils), or fails with YARDSTICK_NO_SKIP=1
//! (`common::skip`; .ci/run installs it).

use crate::common;

use std::process::Command;

use common::*;

fn xmllint() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The standards the samples ship: the folder, and each of its `*.toml` files.
fn samples() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("standards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| format!("standards/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "the shipped standards files: {files:?}");
    let mut all = vec!["standards/".to_string()];
    all.extend(files);
    all
}

/// Validates `xml` against the schema; the error output of xmllint when it does not.
fn validate(xml: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let o = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(root().join("tests/junit/junit.xsd"))
        .arg(&file)
        .output()
        .expect("xmllint runs");
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

fn count(node: roxmltree::Node, attr: &str) -> usize {
    node.attribute(attr)
        .unwrap_or_else(|| panic!("<{}> has no {attr}", node.tag_name().name()))
        .parse()
        .unwrap()
}

/// (tests, failures, skipped) of a suite's cases.
fn of_cases(suite: roxmltree::Node) -> (usize, usize, usize) {
    let cases: Vec<_> = suite
        .children()
        .filter(|c| c.has_tag_name("testcase"))
        .collect();
    let with = |tag: &str| {
        cases
            .iter()
            .filter(|c| c.children().any(|o| o.has_tag_name(tag)))
            .count()
    };
    (cases.len(), with("failure"), with("skipped"))
}

#[test]
fn the_junit_report_of_every_shipped_sample_validates_and_adds_up() {
    if !xmllint() {
        skip("no xmllint on PATH (apt-get install -y libxml2-utils) to validate the JUnit report");
        return;
    }
    for standards in samples() {
        let o = run(&["audit", "-s", &standards, "--format", "junit"]);
        assert!(code(&o) <= 1, "{standards}: {}", stderr(&o));
        let xml = stdout(&o);
        if let Err(e) = validate(&xml) {
            panic!("{standards}: the JUnit report does not validate:\n{e}\n{xml}");
        }
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        let suites: Vec<_> = root
            .children()
            .filter(|c| c.has_tag_name("testsuite"))
            .collect();
        // one suite per standards file, named after it, every case from that file
        let mut files: Vec<&str> = Vec::new();
        for s in &suites {
            let name = s.attribute("name").unwrap();
            assert!(!files.contains(&name), "{standards}: two suites for {name}");
            files.push(name);
            for c in s.children().filter(|c| c.has_tag_name("testcase")) {
                assert_eq!(c.attribute("file"), Some(name), "{standards}");
            }
            assert_eq!(
                (
                    count(*s, "tests"),
                    count(*s, "failures"),
                    count(*s, "skipped")
                ),
                of_cases(*s),
                "{standards}: suite {name}"
            );
            assert_eq!(count(*s, "errors"), 0);
        }
        let expected = if standards.ends_with('/') {
            samples().len() - 1
        } else {
            1
        };
        assert_eq!(files.len(), expected, "{standards}: suites {files:?}");
        if !standards.ends_with('/') {
            assert_eq!(files, [standards.as_str()]);
        }
        for attr in ["tests", "failures", "errors", "skipped"] {
            let sum: usize = suites.iter().map(|s| count(*s, attr)).sum();
            assert_eq!(count(root, attr), sum, "{standards}: root {attr}");
        }
        // the same run, the same bytes: the timestamp is the as-of instant, not the clock
        let again = run(&["audit", "-s", &standards, "--format", "junit"]);
        assert_eq!(stdout(&again), xml, "{standards}: a rerun differs");
    }
}

/// The schema is not a formality: what strict readers reject, it rejects.
#[test]
fn the_schema_rejects_what_strict_readers_reject() {
    if !xmllint() {
        skip("no xmllint on PATH (apt-get install -y libxml2-utils) to validate the JUnit report");
        return;
    }
    let o = run(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--format",
        "junit",
    ]);
    let xml = stdout(&o);
    validate(&xml).unwrap();
    let broken = [
        (
            "a case without time",
            xml.replacen(r#" time="0" file="#, r#" file="#, 1),
        ),
        (
            "a suite without timestamp",
            xml.replacen(" timestamp=", " stamp=", 1),
        ),
        (
            "a timestamp with an offset",
            xml.replacen(r#"" file="standards"#, r#"+02:00" file="standards"#, 1),
        ),
        (
            "a count that is not a number",
            xml.replacen(r#"tests="4""#, r#"tests="four""#, 1),
        ),
    ];
    for (what, bad) in broken {
        assert_ne!(bad, xml, "{what}: the replacement changed nothing");
        assert!(validate(&bad).is_err(), "{what} validates:\n{bad}");
    }
}
