//! One offset per time column for analysts: every time in every machine format of the
//! folder of shipped standards (whose files use Kyiv, UTC and Chicago) is UTC, `Z`.

use crate::common;

use common::*;

/// Every `YYYY-MM-DDTHH:MM:SS[.f]` in `text` with what follows it (its offset).
fn times(text: &str) -> Vec<(String, String)> {
    let b = text.as_bytes();
    let shape = b"dddd-dd-ddTdd:dd:dd";
    let mut found = Vec::new();
    let mut i = 0;
    while i + shape.len() <= b.len() {
        let fits = shape.iter().zip(&b[i..]).all(|(&s, &c)| match s {
            b'd' => c.is_ascii_digit(),
            _ => s == c,
        });
        if !fits {
            i += 1;
            continue;
        }
        let mut end = i + shape.len();
        if b.get(end) == Some(&b'.') {
            end += 1;
            while b.get(end).is_some_and(u8::is_ascii_digit) {
                end += 1;
            }
        }
        let offset = match b.get(end) {
            Some(b'Z') => "Z".to_string(),
            Some(b'+' | b'-') => text[end..(end + 6).min(text.len())].to_string(),
            _ => String::new(),
        };
        found.push((text[i..end].to_string(), offset));
        i = end;
    }
    found
}

#[test]
fn every_time_of_every_machine_format_is_utc() {
    for command in [
        &["audit", "-s", "standards/"][..],
        &[
            "audit",
            "-s",
            "standards/",
            "--by",
            "week",
            "--week",
            "2026-W47",
        ],
        &["breaches", "-s", "standards/"],
        &["trend", "-s", "standards/"],
    ] {
        let mut seen = 0;
        for format in ["csv", "tsv", "json", "ndjson"] {
            let mut args = command.to_vec();
            args.extend(["--format", format]);
            let out = run(&args);
            assert!(code(&out) < 2, "{args:?}: {}", stderr(&out));
            let text = stdout(&out);
            let found = times(&text);
            seen += found.len();
            for (t, offset) in found {
                assert_eq!(offset, "Z", "{args:?}: {t} has offset {offset:?}");
            }
        }
        // The audit's csv has no time column, its json the period's as-of.
        assert!(seen > 0, "{command:?} has times");
    }
}

#[test]
fn the_scan_sees_offsets() {
    let found = times("a,2026-11-16T00:00:00+02:00,2026-11-15T22:00:00.5Z,2026-11-16 09:00");
    assert_eq!(
        found,
        [
            ("2026-11-16T00:00:00".to_string(), "+02:00".to_string()),
            ("2026-11-15T22:00:00.5".to_string(), "Z".to_string())
        ]
    );
}
