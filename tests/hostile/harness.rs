//! Hostile input, one fixture folder per case under `tests/hostile/` (this file is the
//! driver, a module of `cli_hostile`): the folder's files are
//! copied to a fresh temporary folder, `case.toml` lists the commands to run there (from that
//! folder, so `./log.csv` and `log.csv` are two spellings of one file) and what each must give:
//! the exit status, fragments of stderr and stdout, the `inputs` counts and standards' numbers
//! of a JSON report, files that must or must not exist afterwards. After every command each
//! file the folder started with must be byte for byte what it was: yardstick never harms an
//! input.

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Files of the folder that a run may change (reports it replaces); every other file is an
    /// input and must stay as it was.
    #[serde(default)]
    changes: Vec<String>,
    #[serde(default)]
    setup: Setup,
    run: Vec<Run>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Setup {
    /// [link, target]: symbolic links made before the runs.
    #[serde(default)]
    symlinks: Vec<[String; 2]>,
    /// [link, target]: hard links.
    #[serde(default)]
    hardlinks: Vec<[String; 2]>,
    /// Folders made before the runs.
    #[serde(default)]
    dirs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Run {
    args: Vec<String>,
    exit: i32,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    not_stderr: Vec<String>,
    #[serde(default)]
    stdout: Vec<String>,
    #[serde(default)]
    not_stdout: Vec<String>,
    /// Per input of the JSON report, in order: rows, used, skipped (any subset).
    #[serde(default)]
    inputs: Vec<BTreeMap<String, u64>>,
    /// Rows of the JSON report's `standards`, found by `id`, with the numbers they must hold.
    #[serde(default)]
    standards: Vec<BTreeMap<String, toml::Value>>,
    /// Files that must not exist after the run.
    #[serde(default)]
    absent: Vec<String>,
    /// Files that must exist after the run, with a fragment each must hold.
    #[serde(default)]
    files: BTreeMap<String, String>,
}

fn copy_folder(from: &Path, to: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut kept = Vec::new();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name == "case.toml" {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(to.join(name), &bytes).unwrap();
        kept.push((to.join(name), bytes));
    }
    kept
}

fn check_run(name: &str, dir: &Path, k: usize, run: &Run) -> Vec<String> {
    let mut failures = Vec::new();
    let o = common::ys()
        .current_dir(dir)
        .args(&run.args)
        .output()
        .expect("yardstick runs");
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    let mut fail = |what: String| {
        failures.push(format!(
            "{name} run {k} ({}): {what}\n--- stdout:\n{}\n--- stderr:\n{err}",
            run.args.join(" "),
            &out[..out.len().min(3000)]
        ))
    };
    if o.status.code() != Some(run.exit) {
        fail(format!("exit {:?}, expected {}", o.status.code(), run.exit));
    }
    for f in &run.stderr {
        if !err.contains(f.as_str()) {
            fail(format!("stderr lacks {f:?}"));
        }
    }
    for f in &run.not_stderr {
        if err.contains(f.as_str()) {
            fail(format!("stderr holds {f:?}"));
        }
    }
    for f in &run.stdout {
        if !out.contains(f.as_str()) {
            fail(format!("stdout lacks {f:?}"));
        }
    }
    for f in &run.not_stdout {
        if out.contains(f.as_str()) {
            fail(format!("stdout holds {f:?}"));
        }
    }
    if !run.inputs.is_empty() || !run.standards.is_empty() {
        match serde_json::from_str::<serde_json::Value>(&out) {
            Err(e) => fail(format!("stdout is not JSON: {e}")),
            Ok(report) => {
                let inputs = report["inputs"].as_array().cloned().unwrap_or_default();
                if inputs.len() != run.inputs.len() && !run.inputs.is_empty() {
                    fail(format!(
                        "{} inputs, expected {}",
                        inputs.len(),
                        run.inputs.len()
                    ));
                }
                for (i, want) in run.inputs.iter().enumerate() {
                    for (key, n) in want {
                        let got = inputs.get(i).and_then(|x| x[key].as_u64());
                        if got != Some(*n) {
                            fail(format!("inputs[{i}].{key} = {got:?}, expected {n}"));
                        }
                    }
                }
                for want in &run.standards {
                    let id = want["id"].as_str().expect("a standards entry names its id");
                    let row = report["standards"]
                        .as_array()
                        .and_then(|rows| rows.iter().find(|r| r["id"] == id));
                    let Some(row) = row else {
                        fail(format!("no standard {id:?} in the report"));
                        continue;
                    };
                    for (key, value) in want.iter().filter(|(k, _)| *k != "id") {
                        let expected: serde_json::Value =
                            serde_json::to_value(value).expect("a TOML value is JSON");
                        let matches = match (&row[key], &expected) {
                            (serde_json::Value::Number(a), serde_json::Value::Number(b)) => {
                                (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-9
                            }
                            (a, b) => a == b,
                        };
                        if !matches {
                            fail(format!(
                                "standard {id:?} {key} = {}, expected {expected}",
                                row[key]
                            ));
                        }
                    }
                }
            }
        }
    }
    for a in &run.absent {
        if dir.join(a).symlink_metadata().is_ok() {
            fail(format!("{a} exists"));
        }
    }
    for (file, fragment) in &run.files {
        match std::fs::read_to_string(dir.join(file)) {
            Ok(text) if text.contains(fragment.as_str()) => {}
            Ok(_) => fail(format!("{file} lacks {fragment:?}")),
            Err(e) => fail(format!("{file}: {e}")),
        }
    }
    failures
}

#[test]
fn hostile_fixture_folders() {
    let root = common::root().join("tests").join("hostile");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the hostile cases are there");
    let mut failures = Vec::new();
    for case_dir in &cases {
        let name = case_dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(case_dir.join("case.toml")).unwrap();
        let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let originals = copy_folder(case_dir, dir);
        for d in &case.setup.dirs {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        for [link, target] in &case.setup.symlinks {
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, dir.join(link)).unwrap();
            #[cfg(not(unix))]
            let _ = (link, target);
        }
        for [link, target] in &case.setup.hardlinks {
            std::fs::hard_link(dir.join(target), dir.join(link)).unwrap();
        }
        for (k, run) in case.run.iter().enumerate() {
            failures.extend(check_run(&name, dir, k, run));
            for (path, bytes) in &originals {
                let name = path.file_name().unwrap().to_string_lossy();
                if case.changes.iter().any(|c| *c == name) {
                    continue;
                }
                if std::fs::read(path).ok().as_ref() != Some(bytes) {
                    failures.push(format!(
                        "{name} run {k}: the input {} was changed",
                        path.file_name().unwrap().to_string_lossy()
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
