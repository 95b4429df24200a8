//! Deadlines at a time of day (`"same day by 17:00"`, `"next business day by 16:00"`, `"N
//! business days by HH:MM"`) in the query, by the rule of `Calendar::by_time_of_day`: the
//! deadline is the local time HH:MM on the Nth open day after the clock's day, which is the
//! day "same day" picks, or the next open day when the clock starts at or after that day's
//! HH:MM (a cut-off).
//!
//! - On a business calendar the open days come from yardstick's own calendar engine, for the
//!   audit's range, as rows of `times_of_day` (calendar, minute, day_no, closes, due): each open
//!   day numbered, the close of its last window, and the instant of HH:MM on it (a time the
//!   clocks skip is the change itself, one they repeat the later instant), so holidays,
//!   overrides and daylight-saving changes are already in them.
//! - On `always` every date is a day, and the instant of HH:MM on a date is worked out in SQL
//!   with the engine's time-zone database, except on the dates where the zone skips or
//!   repeats that local time: those few are rows of `clock_changes` (zone, minute, day, due),
//!   from yardstick's zone database, so that the boundary rule (`time::local`) holds there too.

use chrono::{LocalResult, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::evaluate::Period;
use crate::time::calendar::Calendar;
use crate::time::duration::Within;
use crate::time::local::boundary_to_utc;

use super::expr::Ty;
use super::kinds::Clock;
use super::{Dialect, Request};

/// The CTE of the open days of business calendars, with each time of day on them.
const BUSINESS: &str = "times_of_day";
/// The CTE of the dates on which a zone skips or repeats a time of day.
const CHANGES: &str = "clock_changes";

/// The shared CTEs' names, so that `--table` cannot hide them.
pub const NAMES: [&str; 2] = [BUSINESS, CHANGES];

/// The dates scanned for clock changes without a period: 1900-01-01 to 2199-12-31, in days
/// since 1970-01-01.
const FIRST_DAY: i64 = -25_567;
const LAST_DAY: i64 = 84_005;

/// The column that `deadline` reads, computed from `start` beside the clock (`Clock::prep`):
/// on `always` the local date of the start (days since 1970-01-01); on a business calendar
/// the clock's day, cut-off applied (the `day_no` of `times_of_day`).
pub fn day(d: Dialect, clock: &Clock, minute: u16) -> String {
    match clock {
        Clock::Always(tz) => format!(
            ", {} AS start_day",
            d.floor_div(&d.local(*tz, "started"), 86_400)
        ),
        // `by_time_of_day`: the first open day whose open time ends after the start and whose
        // time of day is still ahead of it.
        Clock::Business(_) | Clock::PerCase => format!(
            ", (SELECT MIN(o.day_no) FROM {BUSINESS} o WHERE o.calendar = {} AND o.minute = {minute} AND o.closes > started AND o.due > started) AS start_day",
            clock.cal()
        ),
    }
}

/// The deadline of a clock started at `start` (with the column of [`day`]): the time of day
/// `minute` on the `days`th open day after the clock's day; a stop at that instant meets it.
/// Each lookup finds one row; it is aggregated all the same, as engines that plan a
/// correlated scalar subquery only when it is (Spark) require.
pub fn deadline(d: Dialect, clock: &Clock, days: u32, minute: u16) -> String {
    match clock {
        Clock::Always(tz) => {
            let at = |day: &str| at_minute(d, *tz, day, minute);
            format!(
                "(CASE WHEN started >= {} THEN {} ELSE {} END)",
                at("start_day"),
                at(&format!("start_day + {}", days + 1)),
                at(&format!("start_day + {days}"))
            )
        }
        Clock::Business(_) | Clock::PerCase => format!(
            "(SELECT MAX(o.due) FROM {BUSINESS} o WHERE o.calendar = {} AND o.minute = {minute} AND o.day_no = start_day + {days})",
            clock.cal()
        ),
    }
}

/// The instant of local time `minute` on local date `day` (days since 1970-01-01) in `tz`:
/// the engine's conversion, and on a date where the zone skips or repeats that time the
/// instant of `clock_changes` (none listed: the conversion alone).
fn at_minute(d: Dialect, tz: Tz, day: &str, minute: u16) -> String {
    let wall = d.local_to_utc(
        tz,
        &format!("(({day}) * 86400 + {})", i64::from(minute) * 60),
    );
    if changes(tz, minute, (FIRST_DAY, LAST_DAY)).is_empty() {
        return wall;
    }
    format!(
        "COALESCE((SELECT MAX(z.due) FROM {CHANGES} z WHERE z.zone = {} AND z.minute = {minute} AND z.day = {day}), {wall})",
        d.lit(tz.name())
    )
}

/// The dates (days since 1970-01-01) on which `tz` skips or repeats local time `minute`, each
/// with the instant the calendar engine gives it (`boundary_to_utc`, the later of a repeated
/// time).
fn changes(tz: Tz, minute: u16, days: (i64, i64)) -> Vec<(i64, i64)> {
    if tz == Tz::UTC {
        return Vec::new();
    }
    let time = NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0)
        .expect("a time of day is below 24:00");
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
    let mut out = Vec::new();
    for day in days.0..=days.1 {
        let Some(date) = epoch.checked_add_signed(chrono::Duration::days(day)) else {
            continue;
        };
        let local = date.and_time(time);
        if !matches!(tz.from_local_datetime(&local), LocalResult::Single(_)) {
            out.push((day, boundary_to_utc(tz, local, true)));
        }
    }
    out
}

/// The local dates (days since 1970-01-01) whose time of day a clock started in period `p`
/// can be due at, for a limit of `days` open days: from two days before the period to three
/// more than `days` after it (a clock's day is its start's or the next); every date of three
/// centuries without a period.
fn scanned(p: Period, days: u32) -> (i64, i64) {
    let first = p.since.map_or(FIRST_DAY, |t| t.div_euclid(86_400) - 2);
    let last = p
        .until
        .map_or(LAST_DAY, |t| t.div_euclid(86_400) + i64::from(days) + 3);
    (first, last)
}

/// The time-of-day limits (minute after midnight) of the selected standards on `choice`.
fn minutes_on(req: &Request, on: impl Fn(&Calendar) -> bool) -> Vec<(Tz, String, u16, u32)> {
    let mut out: Vec<(Tz, String, u16, u32)> = Vec::new();
    // Every version by date of a standard: each may have its own limit.
    for s in req
        .selected
        .iter()
        .flat_map(|&i| req.catalog.standards[i].each_version())
    {
        let Some(Within::ClockTime { minute, days }) = s.kind.within() else {
            continue;
        };
        // Every calendar the standard can run on (`calendar.by` picks one per case).
        for c in s.calendar.all() {
            let key = (c.tz, c.name.clone(), minute, days);
            if on(c) && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// `times_of_day` for the business calendars of the time-of-day limits, over `[from, to)`
/// (the range whose open windows the query carries); none without such a limit.
pub fn business_ctes(
    req: &Request,
    calendars: &[&Calendar],
    from: i64,
    to: i64,
) -> Vec<(String, String)> {
    let d = req.dialect;
    let wanted = minutes_on(req, |c| !c.is_always());
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for (_, name, minute) in dedup_minutes(&wanted) {
        let cal = calendars
            .iter()
            .find(|c| c.name == name)
            .expect("every business calendar of a selected standard is carried");
        let time = NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0)
            .expect("a time of day is below 24:00");
        let mut day_no = 0u32;
        for day in cal.days(from, to) {
            let Some(last) = day.windows.last() else {
                continue;
            };
            day_no += 1;
            let due = boundary_to_utc(cal.tz, day.date.and_time(time), true);
            rows.push(vec![
                d.lit(&name),
                minute.to_string(),
                day_no.to_string(),
                last.close.to_string(),
                due.to_string(),
            ]);
        }
    }
    let int = Ty::Int;
    let table = d.rows(
        &[
            ("calendar", Ty::Text),
            ("minute", int),
            ("day_no", int),
            ("closes", int),
            ("due", int),
        ],
        &rows,
        "  ",
    );
    let body = format!(
        "  -- the open days of each calendar with a deadline at a time of day, numbered, with the close of each and the instant of that time on it, from yardstick's calendar engine\n  {table}"
    );
    vec![(BUSINESS.to_string(), body)]
}

/// `clock_changes` for the time-of-day limits on `always` calendars whose zone skips or
/// repeats that time on some date; none when no zone does.
pub fn zone_ctes(req: &Request) -> Vec<(String, String)> {
    let d = req.dialect;
    let mut rows = Vec::new();
    let mut any = false;
    for (tz, _, minute, days) in minutes_on(req, Calendar::is_always) {
        // `at_minute` reads the CTE wherever the zone changes at that time on some date.
        any |= !changes(tz, minute, (FIRST_DAY, LAST_DAY)).is_empty();
        let zone = d.lit(tz.name());
        for (day, due) in changes(tz, minute, scanned(req.period, days)) {
            let row = vec![
                zone.clone(),
                minute.to_string(),
                day.to_string(),
                due.to_string(),
            ];
            if !rows.contains(&row) {
                rows.push(row);
            }
        }
    }
    if !any {
        return Vec::new();
    }
    let int = Ty::Int;
    let table = d.rows(
        &[
            ("zone", Ty::Text),
            ("minute", int),
            ("day", int),
            ("due", int),
        ],
        &rows,
        "  ",
    );
    let body = format!(
        "  -- the dates on which a zone skips or repeats a time of day, with the instant it stands for (a skipped time is the change itself, a repeated one the later), from yardstick's zone database\n  {table}"
    );
    vec![(CHANGES.to_string(), body)]
}

/// The (calendar, minute) pairs of `wanted`, each once.
fn dedup_minutes(wanted: &[(Tz, String, u16, u32)]) -> Vec<(Tz, String, u16)> {
    let mut out: Vec<(Tz, String, u16)> = Vec::new();
    for (tz, name, minute, _) in wanted {
        let key = (*tz, name.clone(), *minute);
        if !out.contains(&key) {
            out.push(key);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_covers_three_centuries() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let day = |n: i64| (epoch + chrono::Duration::days(n)).to_string();
        assert_eq!(day(FIRST_DAY), "1900-01-01");
        assert_eq!(day(LAST_DAY), "2199-12-31");
    }

    #[test]
    fn a_zone_lists_the_dates_it_skips_or_repeats_a_time_on() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // 2026-03-29 02:30 is skipped: the change itself, 01:00Z (day 20541); 2026-10-25
        // 02:30 is repeated: the later one, 01:30Z (day 20751).
        let c = changes(berlin, 150, (FIRST_DAY, LAST_DAY));
        assert!(c.contains(&(20_541, 1_774_746_000)), "{c:?}");
        assert!(c.contains(&(20_751, 1_792_891_800)), "{c:?}");
        // 17:00 is never skipped or repeated there, nor any time in UTC.
        assert!(changes(berlin, 1020, (FIRST_DAY, LAST_DAY)).is_empty());
        assert!(changes(Tz::UTC, 150, (FIRST_DAY, LAST_DAY)).is_empty());
        // With a period, the dates about it only.
        let march = Period {
            since: Some(1_774_047_600),
            until: Some(1_775_512_800),
        };
        assert_eq!(scanned(march, 1), (20_530, 20_553));
        assert_eq!(
            changes(berlin, 150, scanned(march, 1)),
            [(20_541, 1_774_746_000)]
        );
    }
}
