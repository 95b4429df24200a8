//! Property-based fuzzing of the two parsers users feed by hand: CSV logs and standards files.
//! No input may panic; every CSV read accounts for each row (rows = used + skipped); and
//! evaluating what was read never panics either. Mostly valid event logs reach the evaluator
//! (`valid_enough_event_logs`: a third of them at least stop a clock, checked on a fixed
//! sample), and each evaluated outcome is checked: verdict counts, over-by, met within the
//! limit, and the verdict `explain` gives. The default run is quick; for a long run:
//! `PROPTEST_CASES=20000 cargo test --release --test integration fuzz_inputs`. Cases proptest finds are
//! kept in `proptest-regressions/` and replayed first on every run.

use std::path::Path;

use proptest::prelude::*;
use yardstick::evaluate::{evaluate, Period};
use yardstick::ingest::{Needs, Reader};
use yardstick::standards::{add_file, Catalog};

const STANDARDS: &str = r#"version = 1
timezone = "Europe/Berlin"

[calendars.office]
mon = ["09:00-13:00", "14:00-18:00"]
tue = ["22:00-06:00"]
fri = ["09:00-17:00"]
holidays = ["2024-12-25", "01-01"]

[sources.ev]
layout = "events"
case = "id"
time = "ts"
event = "ev"
null_values = ["?"]

[sources.cs]
layout = "cases"
case = "id"
date_columns = ["due"]
[sources.cs.milestones]
a = "a"
b = "b"
due = "due"

[sources.th]
layout = "threads"
message = "id"
reply_to = "re"
time = "ts"
event = "ev"
attributes_from = "r"

[[standard]]
id = "e1"
source = "ev"
from = ["c", "x"]
to = "r"
within = "1h"
calendar = "office"
pause_on = "p"
resume_on = "c"

[[standard]]
id = "e2"
source = "ev"
each = "x"
to = "r"
within = "same day"
calendar = { by = "team", map = { a = "office" }, default = "always" }

[[standard]]
id = "e3"
source = "ev"
from = "c"
count = "f"
at_least = 2
at_most = 4
within = "2 business days"
calendar = "office"
unless = "s"

[[standard]]
id = "c1"
source = "cs"
from = "a"
to = "b"
by = "due"

[[standard]]
id = "t1"
source = "th"
each = "c"
to = "r"
within = "10m"
"#;

fn catalog() -> Catalog {
    let mut c = Catalog {
        files: vec![],
        sources: vec![],
        standards: vec![],
        calendars: vec![],
    };
    add_file(&mut c, Path::new("fuzz.toml"), STANDARDS).expect("the fuzz standards are valid");
    c
}

/// Reads `bytes` as a log of `source` and evaluates every standard on it.
fn read_and_evaluate(c: &Catalog, source: usize, bytes: &[u8], strict: bool) {
    let all: Vec<usize> = (0..c.standards.len()).collect();
    let needs = Needs::of(c, source, &all, &["team".to_string()]);
    let data = if c.sources[source].name == "th" {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, bytes).unwrap();
        yardstick::ingest::threads::read(
            c,
            source,
            needs,
            strict,
            &[p.to_str().unwrap().to_string()],
        )
    } else {
        let mut r = Reader::new(c, source, needs, strict);
        r.read(bytes, "f.csv").map(|()| r.finish())
    };
    let Ok(data) = data else { return };
    for i in &data.inputs {
        assert_eq!(i.rows, i.used + i.skipped, "{i:?}");
        assert_eq!(i.skipped, i.skipped_reasons.values().sum::<u64>());
    }
    let as_of = data.latest.unwrap_or(0);
    for s in c.standards.iter().filter(|s| s.source == source) {
        for o in evaluate(s, &data, Period::default(), as_of) {
            let _ = o.over_by();
        }
    }
}

/// Cells that are mostly plausible, sometimes hostile.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("?".to_string()),
        "[cxrpfs]",
        "[a-z]{1,3}",
        "T-[0-9]{1,2}",
        "2024-(0[1-9]|1[0-2])-([0-2][0-9]) ([01][0-9]|2[0-3]):[0-5][0-9]",
        "2024-03-31 0[1-3]:[0-5][0-9]",
        "2024-10-27 0[1-3]:[0-5][0-9]",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "\"[a-z,\\n\\r ]{0,6}\"",
        "[\\x00-\\x7f]{0,4}",
        any::<String>(),
    ]
}

fn csv_text(header: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let width = header.split(',').count();
    proptest::collection::vec(
        proptest::collection::vec(cell(), width - 1..=width + 1),
        0..30,
    )
    .prop_map(move |rows| {
        let mut out = format!("{header}\n").into_bytes();
        for r in rows {
            out.extend_from_slice(r.join(",").as_bytes());
            out.extend_from_slice(if r.len() % 2 == 0 { b"\r\n" } else { b"\n" });
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), source in 0usize..3, strict: bool) {
        let c = catalog();
        read_and_evaluate(&c, source, &bytes, strict);
    }

    #[test]
    fn plausible_event_logs_never_panic(bytes in csv_text("id,ts,ev,team"), strict: bool) {
        let c = catalog();
        read_and_evaluate(&c, 0, &bytes, strict);
    }

    #[test]
    fn plausible_case_tables_never_panic(bytes in csv_text("id,a,b,due,team"), strict: bool) {
        let c = catalog();
        read_and_evaluate(&c, 1, &bytes, strict);
    }

    #[test]
    fn plausible_threads_never_panic(bytes in csv_text("id,re,ts,ev,team"), strict: bool) {
        let c = catalog();
        read_and_evaluate(&c, 2, &bytes, strict);
    }

    #[test]
    fn mutated_standards_files_never_panic(cuts in proptest::collection::vec((0usize..STANDARDS.len(), 0usize..8, "[\\[\\]=\"a-z0-9.,{}\\n :-]{0,6}"), 1..6)) {
        let mut text = STANDARDS.to_string();
        for (at, len, insert) in cuts {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.replace_range(at..end, &insert);
        }
        let mut c = Catalog { files: vec![], sources: vec![], standards: vec![], calendars: vec![] };
        match add_file(&mut c, Path::new("m.toml"), &text) {
            Ok(()) => {}
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn arbitrary_standards_text_never_panics(text in any::<String>()) {
        let mut c = Catalog { files: vec![], sources: vec![], standards: vec![], calendars: vec![] };
        let _ = add_file(&mut c, Path::new("r.toml"), &text);
    }
}

/// The records the csv crate reads from `bytes` after the header, with yardstick's line-end
/// rule (LF, or CR for a file whose first 64 KiB hold a CR and no LF); blank CRLF lines are no
/// records. `None` when a quoted field is still open at the end: told by a sentinel line
/// appended to the input, which an open quote swallows.
fn reference_records(bytes: &[u8]) -> Option<u64> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(1 << 16)];
    let cr = !head.contains(&b'\n') && head.contains(&b'\r');
    let t = if cr { b'\r' } else { b'\n' };
    let read = |input: &[u8]| -> Vec<csv::ByteRecord> {
        let mut r = csv::ReaderBuilder::new()
            .terminator(csv::Terminator::Any(t))
            .flexible(true)
            .has_headers(true)
            .from_reader(input);
        r.byte_records()
            .map(|r| r.expect("the csv crate reads any bytes"))
            .filter(|r| !(r.len() == 1 && &r[0] == b"\r"))
            .collect()
    };
    let mut with_sentinel = body.to_vec();
    with_sentinel.extend_from_slice(&[t]);
    with_sentinel.extend_from_slice(b"ZZSENTINEL");
    with_sentinel.push(t);
    let closed = read(&with_sentinel)
        .last()
        .is_some_and(|r| r.len() == 1 && &r[0] == b"ZZSENTINEL");
    closed.then(|| read(body).len() as u64)
}

/// Bytes that make CSV hard: quotes, both line ends, NUL, delimiters, invalid UTF-8.
fn hostile_body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            4 => Just(b"T-1,2024-05-06 09:00,c,a".to_vec()),
            2 => Just(b"T-2,2024-05-06 09:30,r,b".to_vec()),
            3 => Just(b"\"".to_vec()),
            3 => Just(b"\n".to_vec()),
            2 => Just(b"\r".to_vec()),
            1 => Just(b"\r\n".to_vec()),
            2 => Just(b",".to_vec()),
            1 => Just(b"\0".to_vec()),
            1 => Just(b"\xff\xfe".to_vec()),
            2 => "[a-z ]{1,4}".prop_map(String::into_bytes),
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every row read is a record the csv crate reads, used or counted as skipped; a quote
    /// open at the end is an error, never rows silently lost. With a long quote-free start,
    /// the parallel reader hands over to the sequential one mid-file.
    #[test]
    fn every_record_is_a_row_or_the_read_fails(body in hostile_body(), long_start: bool, strict: bool) {
        let c = catalog();
        let mut bytes = b"id,ts,ev,team\n".to_vec();
        if long_start {
            for i in 0..12_000 {
                bytes.extend_from_slice(format!("T-{i},2024-05-06 09:00,c,a\n").as_bytes());
            }
        }
        bytes.extend_from_slice(&body);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, &bytes).unwrap();
        let all: Vec<usize> = (0..c.standards.len()).collect();
        let mut r = Reader::new(&c, 0, Needs::of(&c, 0, &all, &[]), strict);
        let read = r.read_path(path.to_str().unwrap()).map(|()| r.finish());
        let reference = reference_records(&bytes);
        match read {
            Ok(data) => {
                let i = &data.inputs[0];
                prop_assert_eq!(i.rows, i.used + i.skipped);
                prop_assert_eq!(Some(i.rows), reference, "rows read against the csv crate's records");
            }
            Err(e) => {
                let e = e.to_string();
                // An error is a strict stop at a bad row, or a quote that never closes.
                prop_assert!(
                    (strict && e.contains("--strict")) || (reference.is_none() && e.contains("is never closed"))
                        || e.contains("line ends change here"),
                    "{}", e
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Inputs that reach the evaluator. Random cells hardly ever make a usable row (a valid
// time, a known event) of a case with both a start and a stop, so the checks above never see
// a stopped clock. These logs are mostly valid: few case ids, valid times, the standards' own
// event names, the right column count; random bytes behind a valid header are a minority.

use yardstick::evaluate::{Outcome, Prepared, Verdict};

const EVENT_HEADER: &str = "id,ts,ev,team";

fn valid_row() -> impl Strategy<Value = String> {
    (
        "T-[1-4]",
        // Two days around a Berlin working week, at every hour: open and closed office time.
        "2024-05-0[6-7] ([01][0-9]|2[0-3]):[0-5][0-9]",
        prop_oneof![3 => Just("c"), 2 => Just("x"), 3 => Just("r"), 1 => Just("p"), 2 => Just("f"), 1 => Just("s")],
        prop_oneof![Just("a"), Just("b"), Just("")],
    )
        .prop_map(|(id, ts, ev, team)| format!("{id},{ts},{ev},{team}"))
}

fn valid_enough_event_logs() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::collection::vec(valid_row(), 1..40).prop_map(|rows| {
            let mut out = format!("{EVENT_HEADER}\n");
            for r in rows {
                out.push_str(&r);
                out.push('\n');
            }
            out.into_bytes()
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..400).prop_map(|bytes| {
            let mut out = format!("{EVENT_HEADER}\n").into_bytes();
            out.extend(bytes);
            out
        }),
    ]
}

/// What an input reached: (outcomes, clocks stopped, cases met).
#[derive(Default, Debug)]
struct Reached {
    outcomes: usize,
    stopped: usize,
    met: usize,
}

/// Reads an event log, evaluates every standard on it and checks each outcome; panics (with
/// what failed) on a broken property.
fn evaluate_and_check(c: &Catalog, bytes: &[u8]) -> Reached {
    let all: Vec<usize> = (0..c.standards.len()).collect();
    let mut r = Reader::new(c, 0, Needs::of(c, 0, &all, &["team".to_string()]), false);
    let mut reached = Reached::default();
    let Ok(data) = r.read(bytes, "f.csv").map(|()| r.finish()) else {
        return reached;
    };
    let as_of = data.latest.unwrap_or(0);
    for s in c.standards.iter().filter(|s| s.source == 0) {
        let outcomes = evaluate(s, &data, Period::default(), as_of);
        // The report's counts are the outcomes' verdicts, and its cases are met + breached +
        // open.
        let row = &yardstick::report::rows(c, s, &data, &outcomes, &[])[0];
        let n = |v: fn(&Verdict) -> bool| outcomes.iter().filter(|o| v(&o.verdict)).count() as u64;
        assert_eq!(row.met, n(|v| *v == Verdict::Met), "{}", s.id);
        assert_eq!(row.breached, n(|v| *v == Verdict::Breached), "{}", s.id);
        assert_eq!(row.open, n(|v| *v == Verdict::Open), "{}", s.id);
        assert_eq!(row.cases, row.met + row.breached + row.open, "{}", s.id);
        for o in &outcomes {
            check_outcome(s.id.as_str(), o);
            reached.outcomes += 1;
            reached.stopped += usize::from(o.stop.is_some());
            reached.met += usize::from(o.verdict == Verdict::Met);
        }
        // The verdicts `yardstick explain` shows for the first few cases are the audit's.
        let prepared = Prepared::new(s, &data, Period::default(), as_of);
        for case in 0..data.cases.len().min(4) {
            let text = yardstick::explain::trace(c, s, &data, &prepared, case, as_of);
            let shown: Vec<&str> = text
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("verdict   "))
                .map(|v| v.split([',', ':']).next().unwrap())
                .collect();
            let judged: Vec<&str> = outcomes
                .iter()
                .filter(|o| o.case == case)
                .map(|o| match o.verdict {
                    Verdict::Met => "MET",
                    Verdict::Breached => "BREACHED",
                    Verdict::Open => "OPEN",
                    Verdict::Excluded(_) => "EXCLUDED",
                })
                .collect();
            assert_eq!(shown, judged, "{} case {case}:\n{text}", s.id);
        }
    }
    reached
}

/// One outcome on its own: a breach is over by its elapsed minus its limit, which is more
/// than nothing; a met case's elapsed is within the limit; a stopped clock's value is its
/// elapsed time (the fuzz standards have no deadline kind, whose value is lateness).
fn check_outcome(id: &str, o: &Outcome) {
    let timed = o.count.is_none();
    match (o.verdict, o.elapsed, o.limit) {
        (Verdict::Breached, Some(e), Some(l)) => {
            assert_eq!(o.over_by(), Some(e - l), "{id} {o:?}");
            assert!(e > l, "{id}: breached within the limit: {o:?}");
        }
        (Verdict::Met, Some(e), Some(l)) => assert!(e <= l, "{id}: met past the limit: {o:?}"),
        (Verdict::Met | Verdict::Breached, _, _) => {
            assert!(
                !timed,
                "{id}: a timed verdict without elapsed and limit: {o:?}"
            )
        }
        _ => {}
    }
    if let (true, Some(stop)) = (timed, o.stop) {
        assert!(stop >= o.start || o.stop_before_start, "{id} {o:?}");
        assert_eq!(
            o.value, o.elapsed,
            "{id}: value and elapsed of a stopped clock: {o:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn evaluated_outcomes_are_consistent(bytes in valid_enough_event_logs()) {
        let c = catalog();
        evaluate_and_check(&c, &bytes);
    }
}

/// The inputs above reach the evaluator: on a fixed-seed sample of the same strategy, at
/// least a third of the logs stop a clock and some cases are met (else the properties above
/// would check nothing).
#[test]
fn most_generated_logs_reach_the_evaluator() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let c = catalog();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = valid_enough_event_logs();
    let (mut inputs, mut stopping, mut meeting, mut outcomes) = (0, 0, 0, 0);
    for _ in 0..256 {
        let bytes = strategy.new_tree(&mut runner).unwrap().current();
        let r = evaluate_and_check(&c, &bytes);
        inputs += 1;
        stopping += usize::from(r.stopped > 0);
        meeting += usize::from(r.met > 0);
        outcomes += r.outcomes;
    }
    eprintln!(
        "{inputs} inputs: {stopping} stop a clock, {meeting} meet a case, {outcomes} outcomes"
    );
    assert!(
        stopping * 3 >= inputs,
        "{stopping} of {inputs} inputs stop a clock"
    );
    assert!(
        meeting * 3 >= inputs,
        "{meeting} of {inputs} inputs meet a case"
    );
}
