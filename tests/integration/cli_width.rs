//! Every table command on the shipped samples, as an 80-column terminal shows it: pinned as
//! snapshots (tests/snapshots/), with no line wider than the terminal (display width, so a
//! wide character counts twice), and the breaches table never cutting a word in two.

use crate::common;

use common::*;
use unicode_width::UnicodeWidthStr;

/// The table output of `args` with `COLUMNS=width`.
fn table(width: u16, args: &[&str]) -> String {
    let out = ys()
        .env("COLUMNS", width.to_string())
        .args(args)
        .output()
        .expect("yardstick runs");
    assert!(
        code(&out) < 2,
        "{args:?} could not be done: {}",
        stderr(&out)
    );
    stdout(&out)
}

fn assert_fits(width: usize, args: &[&str], text: &str) {
    for line in text.lines() {
        assert!(
            line.width() <= width,
            "{args:?}: a line of {} columns at COLUMNS={width}:\n{line}",
            line.width()
        );
    }
}

/// Every table command on every shipped standards file and on the folder.
fn commands() -> Vec<(String, Vec<&'static str>)> {
    let mut list = Vec::new();
    for (name, standards) in [
        ("ticket_desk", "standards/ticket-desk.toml"),
        ("order_cycle", "standards/order-cycle.toml"),
        ("training_provider", "standards/training-provider.toml"),
        ("folder", "standards/"),
    ] {
        list.push((format!("audit_{name}"), vec!["audit", "-s", standards]));
        list.push((
            format!("audit_by_week_{name}"),
            vec!["audit", "-s", standards, "--by", "week"],
        ));
        list.push((
            format!("breaches_{name}"),
            vec!["breaches", "-s", standards],
        ));
        list.push((format!("trend_{name}"), vec!["trend", "-s", standards]));
    }
    // --by needs an attribute column every selected source has.
    for (name, standards, by) in [
        ("ticket_desk", "standards/ticket-desk.toml", "department"),
        ("order_cycle", "standards/order-cycle.toml", "customer_type"),
        (
            "training_provider",
            "standards/training-provider.toml",
            "channel",
        ),
    ] {
        list.push((
            format!("audit_by_{by}_{name}"),
            vec!["audit", "-s", standards, "--by", by],
        ));
        list.push((
            format!("breaches_by_{by}_{name}"),
            vec!["breaches", "-s", standards, "--by", by],
        ));
    }
    list
}

#[test]
fn every_table_fits_80_columns() {
    for (name, args) in commands() {
        let text = table(80, &args);
        assert_fits(80, &args, &text);
        insta::assert_snapshot!(name, text);
    }
}

/// Every id, case, and `name=value` pair of every breach is on one line of the table at 80
/// columns; at 50, where a breach shows only the pairs that fit in two lines, every pair
/// shown is still whole (its value up to two spaces or the end of the line).
#[test]
fn breaches_table_never_splits_a_word() {
    for standards in [
        "standards/ticket-desk.toml",
        "standards/order-cycle.toml",
        "standards/training-provider.toml",
    ] {
        let (doc, _) = json(&["breaches", "-s", standards, "--format", "json"]);
        let breaches = doc["breaches"].as_array().unwrap();
        assert!(!breaches.is_empty(), "{standards} has breaches to show");
        let mut values: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for b in breaches {
            for (k, v) in b["attributes"].as_object().unwrap() {
                values
                    .entry(k.clone())
                    .or_default()
                    .push(v.as_str().unwrap().to_string());
            }
        }
        for width in [80, 50] {
            let text = table(width, &["breaches", "-s", standards]);
            let lines: Vec<&str> = text.lines().collect();
            let whole = |piece: &str| lines.iter().any(|l| l.contains(piece));
            for b in breaches {
                let case = b["case"].as_str().unwrap();
                assert!(whole(case), "case {case} whole at {width}:\n{text}");
                let id = b["standard"].as_str().unwrap();
                // The id may wrap at a hyphen between letters, never elsewhere.
                for piece in id.split('-') {
                    assert!(whole(piece), "{id} piece {piece} whole at {width}");
                }
                if width == 80 {
                    for (k, v) in b["attributes"].as_object().unwrap() {
                        let v = v.as_str().unwrap();
                        if !v.is_empty() {
                            let pair = format!("{k}={v}");
                            assert!(whole(&pair), "{pair} whole at {width}:\n{text}");
                        }
                    }
                }
            }
            for line in &lines {
                for (k, vs) in &values {
                    let Some(at) = line.find(&format!("{k}=")) else {
                        continue;
                    };
                    let rest = &line[at + k.len() + 1..];
                    let shown = rest.split("  ").next().unwrap();
                    assert!(
                        vs.iter().any(|v| v == shown),
                        "{k}={shown} is not a whole value at {width}:\n{text}"
                    );
                }
            }
        }
    }
}

/// `--columns` chooses the attributes under each breach; the others stay in the machine
/// formats.
#[test]
fn breaches_columns_choose_the_attributes_shown() {
    let text = table(
        80,
        &[
            "breaches",
            "-s",
            "standards/ticket-desk.toml",
            "--only",
            "first-reply-10m",
            "--columns",
            "channel",
        ],
    );
    assert!(text.contains("channel="), "{text}");
    assert!(!text.contains("agent="), "{text}");
    assert!(!text.contains("department="), "{text}");
    let out = run(&[
        "breaches",
        "-s",
        "standards/ticket-desk.toml",
        "--columns",
        "chanel",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(
            "--columns \"chanel\": no selected standard's log has this attribute column (did you mean \"channel\"?)"
        ),
        "{}",
        stderr(&out)
    );
}
