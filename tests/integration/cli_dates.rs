//! A deadline column whose every value is at 00:00:00 holds dates: "by 5 March" is kept by a
//! delivery at 15:00 on 5 March. Read so with a warning naming the opt-out (`time_columns`),
//! decided after the last row (one pass), with the same numbers as a declared `date_columns`.

use crate::common;

use common::*;

const AUTO: &str = "tests/fixtures/midnight-dates/standards.toml";
const TIMES: &str = "tests/fixtures/midnight-dates/time-columns.toml";

/// (met, breached, open) of a standard.
fn mbo(report: &serde_json::Value, id: &str) -> (u64, u64, u64) {
    let s = standard(report, id);
    let n = |k: &str| s[k].as_u64().unwrap();
    (n("met"), n("breached"), n("open"))
}

/// Five orders (America/Sao_Paulo): O1 delivered 15:00 on its due day, O2 the morning after,
/// O3 the day before, O4 at 23:59 on its due day, O5 not yet (due 20 March, as-of 10 March).
#[test]
fn a_column_of_midnights_is_read_as_dates_with_a_warning() {
    let out = run(&["audit", "-s", AUTO, "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // O1, O3, O4 met; O2 late by 9h01s past the end of 5 March.
    assert_eq!(mbo(&report, "delivered-by-due"), (3, 1, 1));
    assert_eq!(standard(&report, "delivered-by-due")["max_s"], 9 * 3600 + 1);
    // `slot` has a value at 12:00: times, so O1 (15:00 after a 00:00 slot) and O3 are late.
    assert_eq!(mbo(&report, "delivered-by-slot"), (2, 2, 1));
    assert_eq!(
        stderr(&out),
        "warning: source \"orders\": every value of \"due\" is at 00:00:00 (5 of them), so it \
         is read as dates: a deadline there lasts until the end of its day; if midnight itself \
         is meant, add time_columns = [\"due\"] to [sources.orders]\n"
    );
    // The breach's deadline is the last second of 5 March in São Paulo (-03:00).
    let (b, _) = json(&[
        "breaches",
        "-s",
        AUTO,
        "--only",
        "delivered-by-due",
        "--format",
        "json",
    ]);
    assert_eq!(b["breaches"][0]["case"], "O2");
    assert_eq!(b["breaches"][0]["deadline"], "2026-03-06T02:59:59Z");
}

#[test]
fn time_columns_keeps_the_midnights_and_the_warning_away() {
    let out = run(&["audit", "-s", TIMES, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    // Only O3 (delivered the day before) is on time; O4's 23:59 is after its 00:00.
    assert_eq!(mbo(&report, "delivered-by-due"), (1, 3, 1));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_column_both_dates_and_times_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(TIMES))
        .unwrap()
        .replace(
            "time_columns = [\"due\"]",
            "time_columns = [\"due\"]\ndate_columns = [\"due\"]",
        );
    let path = dir.path().join("both.toml");
    std::fs::write(&path, text).unwrap();
    let out = run(&["check", "-s", &path_str(&path)]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(
            "source \"orders\": \"due\" is in both `date_columns` (read as dates) and \
             `time_columns` (read as times); keep it in one"
        ),
        "{}",
        stderr(&out)
    );
}

/// Olist's estimated delivery dates are all at 00:00:00: without `date_columns` they are read
/// as dates all the same, and `time_columns` gives back the 48 orders delivered on the
/// promised day as late (tests/reference/real_data.py: 3691/379/1 and 3643/427/1).
#[test]
fn olist_estimated_dates_without_date_columns() {
    let base = match std::env::var_os("YARDSTICK_DATA") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => root().join("..").join("shared").join("data"),
    };
    let orders = base.join("olist/olist_orders_dataset.csv");
    if !orders.is_file() {
        skip(&format!("{} is not here", orders.display()));
        return;
    }
    let shipped =
        std::fs::read_to_string(root().join("standards/examples/olist-orders.toml")).unwrap();
    let declared = "date_columns = [\"order_estimated_delivery_date\"]\n";
    assert!(shipped.contains(declared));
    let dir = tempfile::tempdir().unwrap();
    for (name, replacement, want, warned) in [
        ("auto.toml", "", (3691, 379, 1), true),
        (
            "times.toml",
            "time_columns = [\"estimated\"]\n",
            (3643, 427, 1),
            false,
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, shipped.replace(declared, replacement)).unwrap();
        let log = format!("orders={}", path_str(&orders));
        let out = run(&[
            "audit",
            "-s",
            &path_str(&path),
            "--log",
            &log,
            "--only",
            "delivered-by-estimate",
            "--format",
            "json",
        ]);
        let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(mbo(&report, "delivered-by-estimate"), want, "{name}");
        assert_eq!(
            stderr(&out).contains(
                "every value of \"order_estimated_delivery_date\" is at 00:00:00 (4071 of them)"
            ),
            warned,
            "{name}: {}",
            stderr(&out)
        );
    }
}
