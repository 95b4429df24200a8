//! The one runner of the comparisons of `yardstick sql` with `yardstick audit --format csv`
//! that every dialect's tests make. A [`Case`] is a standards file, the tables the query
//! reads, the options of both commands, and whether the tables carry their line numbers;
//! [`Case::check`] runs the query on a dialect (its runner in `tests/sql/`) and holds the
//! result against the audit row for row (`sql_duckdb::assert_same`). The comparisons that
//! `sql_duckdb` and `sql_cloud` both make are here, each taking the dialect and that file's
//! list of variants: the shipped samples, the fixtures and bad rows, times around clock
//! changes, a business calendar across both changes, pauses, and a real export; each with
//! the numbers worked out by hand, checked on every dialect it runs on.

use std::path::PathBuf;

use super::sql_duckdb::{assert_same, cell, native, run_on, Table, INQUIRIES, TIMES, TIMES_TABLES};
use crate::common::{root, skip};

/// One comparison of the compiled query with the native audit.
#[derive(Clone, Copy)]
pub(super) struct Case<'a> {
    /// What it is, for a failure's message.
    pub what: &'a str,
    pub standards: &'a str,
    /// (table, CSV file): the query reads the file as that table.
    pub tables: &'a [(&'a str, &'a str)],
    /// The options of both `sql` and `audit`.
    pub args: &'a [&'a str],
    /// Each table gets a `line` column holding the row's line in its file, and the query
    /// orders a case's rows by it (`--row-order=line`), so that a tie at one instant is
    /// broken as the file breaks it.
    pub line: bool,
}

impl<'a> Case<'a> {
    /// `-s STANDARDS ARGS`: the options of both commands.
    pub fn options(&self) -> Vec<&'a str> {
        let mut args = vec!["-s", self.standards];
        args.extend_from_slice(self.args);
        args
    }

    /// The compiled query's result on `dialect`.
    pub fn query(&self, py: &PathBuf, dialect: &str) -> Table {
        self.query_ordered(py, dialect, self.line.then_some("line"))
    }

    /// The compiled query's result on `dialect`, the tables given a line-number column named
    /// `line` and the query ordering a case's rows by it (`--row-order=COLUMN`).
    pub fn query_ordered(&self, py: &PathBuf, dialect: &str, line: Option<&str>) -> Table {
        let order = line.map(|c| format!("--row-order={c}"));
        let mut args = self.options();
        args.extend(order.as_deref());
        run_on(py, dialect, &args, self.tables, line)
    }

    /// The query's result on `dialect`, held against `audit --format csv` with the same
    /// options.
    pub fn check(&self, py: &PathBuf, dialect: &str) -> Table {
        self.check_against(
            py,
            dialect,
            self.line.then_some("line"),
            &native(&self.options()),
        )
    }

    /// [`Case::check`] against the audit's result `audit` (of other options: the logs
    /// named), with the line column `line`.
    pub fn check_against(
        &self,
        py: &PathBuf,
        dialect: &str,
        line: Option<&str>,
        audit: &Table,
    ) -> Table {
        let sql = self.query_ordered(py, dialect, line);
        assert_same(
            &sql,
            audit,
            &format!("{dialect}: {} {:?}", self.what, self.args),
        );
        sql
    }
}

/// A case of `standards` on `tables` with `args` (no line numbers).
fn plain<'a>(
    standards: &'a str,
    tables: &'a [(&'a str, &'a str)],
    args: &'a [&'a str],
) -> Case<'a> {
    Case {
        what: standards,
        standards,
        tables,
        args,
        line: false,
    }
}

/// The shipped samples: standards, table, file, and the attribute a variant's `{attr}` is.
const SAMPLES: [(&str, &str, &str, &str); 3] = [
    (
        "standards/ticket-desk.toml",
        "tickets",
        "samples/ticket-desk.csv",
        "department",
    ),
    (
        "standards/order-cycle.toml",
        "orders",
        "samples/order-cycle.csv",
        "writer",
    ),
    (
        "standards/training-provider.toml",
        "inquiries",
        "samples/training-provider.csv",
        "channel",
    ),
];

/// Each sample with each of `variants` (`{attr}` in an option: the sample's attribute), and
/// the ticket desk alone by hand (README): 75 of 81 decided first replies within 10 minutes,
/// no row skipped.
pub(super) fn samples(py: &PathBuf, dialect: &str, variants: &[&[&str]]) {
    for (standards, table, csv, attr) in SAMPLES {
        for extra in variants {
            let extra: Vec<String> = extra.iter().map(|a| a.replace("{attr}", attr)).collect();
            let mut args: Vec<&str> = Vec::new();
            // The inquiries; the front desk (a value standard) is in sql_kinds.
            if standards.ends_with("training-provider.toml") {
                args.push(INQUIRIES);
            }
            args.extend(extra.iter().map(String::as_str));
            plain(standards, &[(table, csv)], &args).check(py, dialect);
        }
    }
    let desk = plain(
        "standards/ticket-desk.toml",
        &[("tickets", "samples/ticket-desk.csv")],
        &[],
    )
    .check(py, dialect);
    for (column, value) in [("met", "75"), ("breached", "6"), ("skipped", "0")] {
        assert_eq!(
            cell(&desk, "first-reply-10m", column),
            value,
            "{dialect}: {column}"
        );
    }
}

/// The small fixtures; a log of which three rows of ten cannot be used (no case id, no time,
/// a time that does not parse: left out and counted); and names that need quoting (a source
/// "help desk", columns with spaces and quotes, values and null_values with quotes, a title
/// over two lines, one line in the query's comment).
pub(super) fn fixtures(py: &PathBuf, dialect: &str) {
    for f in [
        "minimal",
        "naive-tz",
        "periodic-update",
        "target-range",
        "bom-crlf",
    ] {
        let standards = format!("tests/fixtures/{f}/standards.toml");
        let csv = format!("tests/fixtures/{f}/tickets.csv");
        plain(&standards, &[("tickets", &csv)], &[]).check(py, dialect);
    }
    let bad = "samples/broken/tickets-bad-rows.csv";
    let desk = "standards/ticket-desk.toml";
    let sql = plain(desk, &[("tickets", bad)], &[]).check_against(
        py,
        dialect,
        None,
        &native(&["-s", desk, "--tickets", bad]),
    );
    assert_eq!(cell(&sql, "first-reply-10m", "skipped"), "3", "{dialect}");
    let names = "tests/fixtures/sql-names/standards.toml";
    let sql = plain(
        names,
        &[("help desk", "tests/fixtures/sql-names/tickets.csv")],
        &["--by=Team's name"],
    )
    .check(py, dialect);
    assert_eq!(cell(&sql, "ten.minutes", "skipped"), "1", "{dialect}");
}

/// Every standard of the times fixture but the orders' (`--only`).
pub(super) const TIMES_TICKETS: &str = "--only=reply-30m,reply-same-day,vip-reply-next-day,customer-answered,few-follow-ups,reply-before-due";

/// The times fixture (local times in a gap and a fold, offsets, leap seconds, dates alone,
/// date columns) with each of `variants`, in the file's order (line numbers), then whole
/// with the numbers worked out by hand.
pub(super) fn times(py: &PathBuf, dialect: &str, variants: &[&[&str]]) {
    for extra in variants {
        times_case(extra).check(py, dialect);
    }
    let sql = times_case(&[]).check(py, dialect);
    // By hand (Berlin, standards.toml): within 30 minutes, B (02:30 of the repeated hour is
    // its first, 00:30Z, to 00:50Z), D (a fraction dropped; 09:00:00Z to 09:05:30Z), E
    // (+05:30 to " UTC", 600 s), F (a leap second is :59, 600 s) and H (a date alone is
    // local midnight, 22:00Z, to 22:05Z) are met; A (01:30 to 02:30 in the gap, which keeps
    // +01:00: 3600 s), C, G, I, K, L, M and N are not. The measured values, sorted: 300,
    // 330, 600, 600, 1200, 3600, 3600, 8400, 80940, 87000.
    let reply = [
        ("met", "5"),
        ("breached", "8"),
        ("median_s", "1200"),
        ("p90_s", "80940"),
        ("max_s", "87000"),
        ("skipped", "8"),
    ];
    // The same day: M starts 00:30 CET on the 29th (23:30Z on the 28th) and is answered
    // at 23:59 CEST (21:59Z), one second inside that 23-hour day.
    let same_day = [("met", "9"), ("breached", "4")];
    // Orders: a due date is the end of that day; O4's second row moves it a day earlier
    // (90000 s late); O5 has none; O6's row does not parse; O7 is open.
    let by_due = [
        ("met", "1"),
        ("breached", "3"),
        ("open", "1"),
        ("excluded", "1"),
        ("median_s", "601"),
        ("p90_s", "90000"),
        ("skipped", "1"),
    ];
    // placed_at is a date column: O1 counts from 28 March 00:00 CET (23:00Z on the 27th) to
    // 21:30Z on the 29th, 167400 s; O2 169800 s (both met within 2 days); O4 and O5 from
    // 24 October 00:00 CEST (22:00Z on the 23rd), 176399 and 176400 s; O3 undelivered;
    // O7 open.
    let in_2_days = [
        ("met", "2"),
        ("breached", "3"),
        ("open", "1"),
        ("median_s", "169800"),
        ("max_s", "176400"),
    ];
    assert_cells(&sql, "reply-30m", &reply, dialect);
    assert_cells(&sql, "reply-same-day", &same_day, dialect);
    assert_cells(&sql, "delivered-by-due-date", &by_due, dialect);
    assert_cells(&sql, "delivered-in-2-days", &in_2_days, dialect);
}

/// The times fixture with `args`, in the file's order.
fn times_case<'a>(args: &'a [&'a str]) -> Case<'a> {
    Case {
        what: "sql-times",
        standards: TIMES,
        tables: &TIMES_TABLES,
        args,
        line: true,
    }
}

/// The cells of standard `id`'s first row in `t`, by column.
pub(super) fn assert_cells(t: &Table, id: &str, want: &[(&str, &str)], what: &str) {
    for (column, value) in want {
        assert_eq!(cell(t, id, column), *value, "{what}: {id} {column}");
    }
}

pub(super) const CALENDAR: &str = "tests/fixtures/sql-calendar/standards.toml";
const CALENDAR_TABLES: [(&str, &str); 1] = [("tickets", "tests/fixtures/sql-calendar/tickets.csv")];
/// The calendar fixture's period: both clock changes and Easter.
pub(super) const CALENDAR_YEAR: [&str; 2] = ["--since=2026-03-01", "--until=2026-11-01"];

/// The business calendar fixture across both clock changes, with Easter Monday closed, with
/// each of `variants`, then over [`CALENDAR_YEAR`] with the numbers worked out by hand.
pub(super) fn calendar(py: &PathBuf, dialect: &str, variants: &[&[&str]]) {
    for extra in variants {
        plain(CALENDAR, &CALENDAR_TABLES, extra).check(py, dialect);
    }
    let sql = plain(CALENDAR, &CALENDAR_TABLES, &CALENDAR_YEAR).check(py, dialect);
    // By hand: A2 starts Saturday 24 October 21:30 CEST, before the 22:00 shift (20:00Z),
    // which closes at the second 02:00 (01:00Z); answered at 00:50Z: 4h50m of desk time, a
    // breach. S3 starts Friday 3 April 16:00 CEST: 1h that day, 4h on Saturday night,
    // Easter Monday closed, 30 minutes on Tuesday: 19800 s. The other six are met.
    let reply = [
        ("met", "6"),
        ("breached", "2"),
        ("p90_s", "19800"),
        ("max_s", "19800"),
    ];
    assert_cells(&sql, "reply-4h", &reply, dialect);
    // S2's update at 01:00Z on 29 March is the instant the spring gap closes the Saturday
    // shift; the clock waits for Monday 08:00 CEST (06:00Z), and the 06:30Z reply is met.
    assert_cells(&sql, "each-update-1h", &[("median_s", "1800")], dialect);
}

const PAUSES: &str = "tests/fixtures/sql-pauses/standards.toml";
const PAUSES_TABLES: [(&str, &str); 1] = [("tickets", "tests/fixtures/sql-pauses/tickets.csv")];

/// The pauses fixture with each of `variants`, in the file's order (line numbers), then its
/// week without the line numbers (no tie there needs them) with the numbers worked out by
/// hand.
pub(super) fn pauses(py: &PathBuf, dialect: &str, variants: &[&[&str]]) {
    for extra in variants {
        Case {
            what: PAUSES,
            standards: PAUSES,
            tables: &PAUSES_TABLES,
            args: extra,
            line: true,
        }
        .check(py, dialect);
    }
    let sql = plain(PAUSES, &PAUSES_TABLES, &["--week=2026-W23"]).query(py, dialect);
    // By hand, 2 hours on `always`: P1 waits 09:00-11:00 (on_hold while paused changes
    // nothing) and is solved at 11:45, 6300 s: met. P2's pause before its start does not
    // count; paused from 13:00 for good, its limit ran out at 12:30 and its 18:00 solve is
    // 9000 s of clock: breached. P3 waits 17 hours overnight, 17100 s: breached. P4 has
    // 40 minutes before its second resume (Friday 09:00), so its limit runs out at 10:20
    // Friday, before the week's end: breached. P5 is paused for good: open.
    let solved = [
        ("met", "1"),
        ("breached", "3"),
        ("open", "1"),
        ("median_s", "9000"),
        ("max_s", "17100"),
    ];
    assert_cells(&sql, "solved-2h", &solved, dialect);
}

/// A real export: `$YARDSTICK_DATA/REL`, else `../shared/data/REL` beside the project; none
/// (a skip) when it is not there.
pub(super) fn data(rel: &str) -> Option<String> {
    let base: PathBuf = match std::env::var_os("YARDSTICK_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("..").join("shared").join("data"),
    };
    let p = base.join(rel);
    if p.is_file() {
        Some(p.display().to_string())
    } else {
        skip(&format!("{} is not here", p.display()));
        None
    }
}

/// The Kaggle synthetic tickets (cases layout, a date column, names with spaces, cells over
/// several lines), with each of `variants` ([`data`]).
pub(super) fn real_export(py: &PathBuf, dialect: &str, variants: &[&[&str]]) {
    let Some(csv) = data("kaggle-customer-support-tickets-synthetic/customer_support_tickets.csv")
    else {
        return;
    };
    let standards = "standards/examples/kaggle-synthetic-tickets.toml";
    let tables = [("tickets", csv.as_str())];
    for extra in variants {
        let case = plain(standards, &tables, extra);
        let mut native_args = case.options();
        native_args.extend(["--tickets", &csv]);
        case.check_against(py, dialect, None, &native(&native_args));
    }
}
