//! Errors in the manner of rustc: the first line as before (file:line:col: message), then
//! the offending line with a caret under the key or value, then a "did you mean".

use crate::common;

use common::*;

fn write(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let shown = path.display().to_string();
    (dir, shown)
}

#[test]
fn unknown_key_shows_its_line_a_caret_and_the_closest_key() {
    let (_dir, path) = write(
        "s.toml",
        "version = 1\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\ntime = \"t\"\nevent = \"e\"\n\
         [[standard]]\nid = \"x\"\nsource = \"t\"\nfrom = \"a\"\nto = \"b\"\n  withn = \"10m\"\n",
    );
    let out = run(&["check", "-s", &path]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "error: {path}:12:3: unknown field `withn`, expected one of `id`,"
        )),
        "{err}"
    );
    assert_eq!(
        lines[1..],
        [
            "   |",
            "12 |   withn = \"10m\"",
            "   |   ^^^^^",
            "help: did you mean `within`?"
        ],
        "{err}"
    );
}

#[test]
fn unknown_time_zone_and_event_and_column_get_suggestions() {
    let standards = std::fs::read_to_string(root().join("standards/ticket-desk.toml"))
        .unwrap()
        .replace("\"Europe/Kyiv\"", "\"Europe/Kyiw\"")
        .replace("../samples", &root().join("samples").display().to_string());
    let (_dir, path) = write("tz.toml", &standards);
    let err = stderr(&run(&["audit", "-s", &path]));
    assert!(err.contains("unknown time zone \"Europe/Kyiw\""), "{err}");
    assert!(err.contains("help: did you mean \"Europe/Kyiv\"?"), "{err}");

    let standards = standards
        .replace("\"Europe/Kyiw\"", "\"Europe/Kyiv\"")
        .replace("to = \"agent_reply\"", "to = \"agent_replied\"");
    let (_dir, path) = write("ev.toml", &standards);
    let err = stderr(&run(&["audit", "-s", &path]));
    assert!(
        err.contains("no row has the event \"agent_replied\"")
            && err.contains("help: did you mean \"agent_reply\"?"),
        "{err}"
    );

    let err = stderr(&run(&[
        "audit",
        "-s",
        "standards/ticket-desk.toml",
        "--by",
        "departmnt",
    ]));
    assert!(err.contains("missing column \"departmnt\""), "{err}");
    assert!(err.contains("help: did you mean \"department\"?"), "{err}");
}
