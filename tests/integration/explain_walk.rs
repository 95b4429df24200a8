//! `explain` judges exactly as `audit` does: for every case of every standard of every
//! shipped sample and fixture, the verdicts `explain` prints (one per clock, in order) are the
//! outcomes the audit's pipeline gives that case. The two take different paths (the audit
//! folds slices of cases on every core; explain judges one case and words it), so a rule
//! re-implemented on either side shows here.

use crate::common;

use yardstick::app::{self, Diagnostics, Request};
use yardstick::evaluate::Verdict;

fn word(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "MET",
        Verdict::Breached => "BREACHED",
        Verdict::Open => "OPEN",
        Verdict::Excluded(_) => "EXCLUDED",
    }
}

/// Walks every case of every standard of `standards`; returns how many cases were compared.
fn walk(standards: &std::path::Path) -> usize {
    let catalog = yardstick::standards::load(standards).unwrap();
    let mut compared = 0;
    for s in &catalog.standards {
        let req = Request {
            standards: standards.to_path_buf(),
            only: vec![s.id.clone()],
            only_flag: "--standard",
            allow_bad_rows: true,
            all_attributes: true,
            ..Request::default()
        };
        let l = app::load(&req, |_| Ok(()), &mut Diagnostics::default()).unwrap();
        let outcomes = &app::outcomes(&l)[0];
        let data = &l.data[&s.source];
        // A repeat standard with a `customer` column explains a case as its customer, whose
        // one outcome is on the case of its first visit: any case of the customer shows it.
        let customer = match &s.kind {
            yardstick::standards::Kind::Repeat {
                customer: Some(c), ..
            } => data.attr_index(c),
            _ => None,
        };
        let same = |a: usize, b: usize| {
            a == b
                || customer
                    .is_some_and(|c| data.attr(a, c) != 0 && data.attr(a, c) == data.attr(b, c))
        };
        for (ci, case) in data.cases.iter().enumerate() {
            let audit: Vec<&str> = outcomes
                .iter()
                .filter(|o| same(o.case, ci))
                .map(|o| word(o.verdict))
                .collect();
            let text = app::explain(&l, &case.id).unwrap();
            let explained: Vec<&str> = text
                .lines()
                .filter_map(|line| line.strip_prefix("  verdict   "))
                .map(|v| v.split([':', ',']).next().unwrap().trim())
                .collect();
            assert_eq!(
                explained,
                audit,
                "{} standard {:?} case {:?}:\n{text}",
                standards.display(),
                s.id,
                &*case.id
            );
            compared += 1;
        }
    }
    compared
}

#[test]
fn explain_agrees_with_audit_on_every_case_of_every_sample_and_fixture() {
    let root = common::root();
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("standards"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    for fixture in [
        "business-calendar",
        "clock-time",
        "office-hours",
        "minimal",
        "bom-crlf",
        "naive-tz",
        "time-format",
    ] {
        files.push(
            root.join("tests/fixtures")
                .join(fixture)
                .join("standards.toml"),
        );
    }
    files.sort();
    let mut total = 0;
    for f in &files {
        let n = walk(f);
        assert!(n > 0, "{}: no case walked", f.display());
        total += n;
    }
    // Every case of the samples: ticket desk, order cycle, training provider, three fixtures.
    assert!(total > 500, "{total} cases compared");
}
