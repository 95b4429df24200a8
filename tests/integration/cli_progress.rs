//! A large log on standard input shows its progress (rows and rows per second) on a
//! terminal's stderr, as a large file does. Needs `script` (util-linux) for a terminal.

use crate::common;

use std::io::Write;

use common::*;

#[test]
fn a_large_log_on_standard_input_shows_rows_and_rows_per_second() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        skip("no `script` on PATH (util-linux) to give yardstick a terminal");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("big.csv");
    // Past the 64 MiB from which a file gets a bar.
    let mut f = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    writeln!(
        f,
        "ticket_id,timestamp,event,department,channel,agent,customer_type"
    )
    .unwrap();
    let events = ["created", "agent_reply", "solved"];
    let mut written = 0usize;
    let mut n = 0usize;
    while written < 66 << 20 {
        let line = format!(
            "T-{},2026-11-16T{:02}:00:00Z,{},Support,web,ana,business\n",
            n / 3,
            n % 24,
            events[n % 3]
        );
        written += line.len();
        f.write_all(line.as_bytes()).unwrap();
        n += 1;
    }
    f.flush().unwrap();
    drop(f);
    let typescript = dir.path().join("typescript");
    let out = dir.path().join("out.txt");
    let command = format!(
        "{} audit -s standards/ticket-desk.toml --only first-reply-10m --tickets - < {} > {}",
        env!("CARGO_BIN_EXE_yardstick"),
        log.display(),
        out.display()
    );
    let status = std::process::Command::new("script")
        .current_dir(root())
        .args(["-qec", &command])
        .arg(&typescript)
        .env_remove("NO_COLOR")
        .status()
        .unwrap();
    // Exit 1: the made-up log falls short; what matters is what stderr showed.
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
    let shown = String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned();
    assert!(shown.contains(" rows "), "{shown}");
    assert!(shown.contains("rows/s"), "{shown}");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("first-reply-10m"));
}

/// CLICOLOR_FORCE colours the table through a pipe; "0" does not force; NO_COLOR and
/// `--color never` still win.
#[test]
fn clicolor_force_colours_a_pipe() {
    let escapes = |env: &[(&str, &str)], extra: &[&str]| {
        let mut cmd = ys();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd
            .args(["audit", "-s", "standards/ticket-desk.toml"])
            .args(extra)
            .output()
            .unwrap();
        stdout(&out).contains("\x1b[")
    };
    assert!(!escapes(&[], &[]));
    assert!(escapes(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!escapes(&[("CLICOLOR_FORCE", "0")], &[]));
    assert!(!escapes(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!escapes(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
}
