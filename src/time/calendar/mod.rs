//! Business time: how much open time lies between two instants on a calendar, when a limit
//! measured in open time runs out, and which day is "the Nth business day". Owns opening hours,
//! holidays, date overrides, day boundaries in a time zone and the rule for local times around
//! daylight-saving changes. Knows nothing of standards files, CSV logs or reports: spans, dates
//! and schedules arrive already split into values, and errors are plain messages that the caller
//! places in a file.
//!
//! # Semantics
//!
//! * A business calendar has a time zone, per-weekday lists of [`Span`]s (a weekday without spans
//!   is closed), [`Holiday`]s (dated or yearly) and date overrides (a date -> spans replacing that
//!   date's spans; an empty list closes the date).
//! * A span whose end is before its start runs past midnight and belongs to the day on which it
//!   opens: `"22:00-06:00"` on Monday is Monday 22:00 to Tuesday 06:00, and a holiday or override
//!   on Monday removes or replaces all of it, the part after midnight included. A holiday on
//!   Tuesday does not touch it.
//! * An override for a date wins over a holiday on the same date: the explicit entry beats the
//!   general one, so "open 09:00-13:00 on the 24th" works even if the 24th is a yearly holiday.
//! * Local times become instants through the zone's rules for that instant, never a fixed offset.
//!   A local time that does not exist (spring-forward gap) becomes the first instant that does
//!   exist (the transition), for openings and closings alike. An ambiguous local time (fall back)
//!   opens at the earlier instant and closes at the later one, so the repeated hour is open.
//!   `24:00` is the next date's `00:00`.
//! * Open time is the union of all windows: if daylight saving makes two windows overlap, the
//!   overlap counts once.
//! * Instants are `i64` Unix seconds. Business calculations clamp instants to the years
//!   1000-8999, far outside any log, so that walking day by day always terminates.

use chrono::{DateTime, Days, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::time::duration::{uses_day_units, Within};
use crate::time::stamp::local_to_utc;

mod schedule;
mod walk;

use schedule::weekday_short;
pub use schedule::{
    parse_date, parse_holiday, parse_span, parse_weekday, Closed, Holiday, Schedule, Span,
    HOLIDAY_FORMS, SPAN_FORM,
};
use walk::{at_minute, clamp, resolve, Walk};

const DAY: i64 = 86_400;
const MINUTES_PER_DAY: u16 = 1_440;
/// How far ahead `add` and the business-day rule look for open time before giving up.
const HORIZON_DAYS: u64 = 20 * 366;
/// 1000-01-01T00:00:00Z and 9000-01-01T00:00:00Z: the range business calculations work in.
const MIN_INSTANT: i64 = -30_610_224_000;
const MAX_INSTANT: i64 = 221_845_392_000;

/// A stretch of open time in UTC instants, `[open, close)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub open: i64,
    pub close: i64,
}

impl Window {
    pub fn seconds(self) -> i64 {
        self.close - self.open
    }
}

/// One local date in an explanation of open time, see [`Calendar::days`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayTrace {
    pub date: NaiveDate,
    /// The date has opening hours (its windows may still be clipped away by the range, or lie in
    /// a daylight-saving gap).
    pub open: bool,
    /// Why the date is closed, when it is.
    pub closed: Option<Closed>,
    /// The hours come from a date override rather than the weekday.
    pub from_override: bool,
    /// The date's spans as written (empty when closed).
    pub spans: Vec<Span>,
    /// Open windows belonging to the date, clipped to the range and non-empty.
    pub windows: Vec<Window>,
}

impl DayTrace {
    /// Open seconds of this date inside the range.
    pub fn seconds(&self) -> i64 {
        self.windows.iter().map(|w| w.seconds()).sum()
    }
}

/// A calendar a standard is measured on: `always` runs round the clock in a time zone (the zone
/// matters for "same day" and for reporting); a business calendar runs only in its opening hours.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub name: String,
    pub tz: Tz,
    schedule: Schedule,
    always: bool,
}

impl Calendar {
    pub fn always(tz: Tz) -> Calendar {
        Calendar {
            name: "always".to_string(),
            tz,
            schedule: Schedule::round_the_clock(),
            always: true,
        }
    }

    /// A calendar that runs only in `schedule`'s opening hours, read as local times in `tz`.
    pub fn business(name: impl Into<String>, tz: Tz, schedule: Schedule) -> Calendar {
        Calendar {
            name: name.into(),
            tz,
            schedule,
            always: false,
        }
    }

    /// True for the round-the-clock calendar made by [`Calendar::always`].
    pub fn is_always(&self) -> bool {
        self.always
    }

    /// The opening hours (every day 00:00-24:00 for `always`).
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The last instant (inclusive) at which a clock started at `start` still meets `within`:
    /// the case meets the limit iff it stops at or before this instant.
    ///
    /// * `Span(d)`: [`Calendar::add`]`(start, d)` — `d` seconds of open time.
    /// * `SameDay` / `BusinessDays(n)`: one second before the close of the nth open day after the
    ///   start day (n = 0 for `SameDay`). The start day is the open day whose open time holds
    ///   `start`, or else the one with the next open time after `start`: a clock started before
    ///   opening counts that day, one started after the close or on a closed day counts from the
    ///   next open day. A day's close is the end of its last span, past midnight if it runs
    ///   there. On `always` every date is open from local midnight to the next local midnight.
    ///
    /// * `ClockTime { days, minute }`: the local time `minute` (the instant itself meets it) on
    ///   the `days`th open day after the clock's day. The clock's day is the start day above,
    ///   unless the clock starts at or after that day's `minute`: then it is the next open day
    ///   (a cut-off), or the first open day after whose `minute` is after the start. The time of day is a wall-clock promise, not clipped to the day's hours
    ///   ("by 17:00" on a day that closes at 13:00 is 17:00). A time in a spring-forward gap is
    ///   the transition; a repeated one the later instant ([`super::local::boundary_to_utc`]).
    ///
    /// `i64::MAX` when the calendar has no such open time within about 20 years.
    pub fn deadline(&self, start: i64, within: Within) -> i64 {
        match within {
            Within::Span(secs) => self.add(start, secs),
            Within::SameDay => self.business_day_close(start, 0),
            Within::BusinessDays(n) => self.business_day_close(start, n),
            Within::ClockTime { days, minute } => self.by_time_of_day(start, days, minute).0,
        }
    }

    /// Open time from `a` to `b`; see [`Calendar::open_between`].
    pub fn elapsed(&self, a: i64, b: i64) -> i64 {
        self.open_between(a, b)
    }

    /// Seconds of open time in `[a, b)`; negative when `b < a` (`-open_between(b, a)`). On
    /// `always` this is `b - a`.
    ///
    /// Costs one step per week of the range: weeks without holidays, overrides or daylight-saving
    /// changes count the schedule's weekly total without looking at their days.
    pub fn open_between(&self, a: i64, b: i64) -> i64 {
        if self.always {
            // Saturating: a deadline no calendar reaches is `i64::MAX`, and a clock may start
            // before 1970.
            return b.saturating_sub(a);
        }
        if b < a {
            return -self.open_between(b, a);
        }
        self.between(a, b, true)
    }

    fn between(&self, a: i64, b: i64, skip_weeks: bool) -> i64 {
        let (a, b) = (clamp(a), clamp(b));
        if b <= a {
            return 0;
        }
        // A date's windows lie within two local days of its midnight, so two dates back covers
        // every window reaching `a`.
        let mut walk = Walk::new(self, self.date_of(a) - Days::new(2));
        let last = self.date_of(b) + Days::new(1);
        let mut total = 0;
        while walk.date <= last {
            if skip_weeks {
                if let Some(secs) = walk.skip_week(a, b) {
                    total += secs;
                    continue;
                }
            }
            for (s, e) in walk.next_day().1 {
                total += (e.min(b) - s.max(a)).max(0);
            }
        }
        total
    }

    /// The latest instant `t` with `open_between(start, t) <= d`, for `d >= 0` (negative `d`
    /// counts as 0).
    ///
    /// When the `d`th second of open time ends at a closing time, the result is the next opening:
    /// the clock does not run while closed, so a reply in that stretch is still within `d`. With
    /// `d = 0` and `start` outside open hours the result is the next opening. Hence "stop <=
    /// add(start, d)" holds exactly when "open_between(start, stop) <= d". On `always` this is
    /// `start + d`. `i64::MAX` when no such instant exists within about 20 years.
    pub fn add(&self, start: i64, d: i64) -> i64 {
        if self.always {
            return start.saturating_add(d);
        }
        if start >= MAX_INSTANT {
            return i64::MAX;
        }
        let start = clamp(start);
        let mut rest = d.max(0);
        let weekly = self.schedule.weekly_seconds;
        let mut walk = Walk::new(self, self.date_of(start) - Days::new(2));
        let horizon = self.date_of(start) + Days::new(HORIZON_DAYS);
        while walk.date <= horizon {
            if rest >= weekly {
                if let Some(secs) = walk.skip_week(start, i64::MAX) {
                    rest -= secs;
                    continue;
                }
            }
            for (s, e) in walk.next_day().1 {
                let s = s.max(start);
                if e <= s {
                    continue;
                }
                if e - s > rest {
                    return s + rest;
                }
                rest -= e - s;
            }
        }
        i64::MAX
    }

    /// The first open instant at or after `t`; `None` when there is none within about 20 years.
    pub fn next_open(&self, t: i64) -> Option<i64> {
        Some(self.add(t, 0)).filter(|&x| x != i64::MAX)
    }

    /// True when the clock runs at `t`.
    pub fn is_open(&self, t: i64) -> bool {
        self.next_open(t) == Some(t)
    }

    /// The first instant of the local day holding `t`.
    pub fn start_of_day(&self, t: i64) -> i64 {
        match DateTime::from_timestamp(t, 0) {
            Some(utc) => local_to_utc(
                utc.with_timezone(&self.tz)
                    .date_naive()
                    .and_time(NaiveTime::MIN),
                self.tz,
            ),
            None => t,
        }
    }

    /// The first instant of the local day after the one holding `t`.
    pub fn start_of_next_day(&self, t: i64) -> i64 {
        let Some(utc) = DateTime::from_timestamp(t, 0) else {
            return t;
        };
        let date = utc.with_timezone(&self.tz).date_naive();
        match date.checked_add_days(Days::new(1)) {
            Some(next) => local_to_utc(next.and_time(NaiveTime::MIN), self.tz),
            None => t,
        }
    }

    /// Rejects limits whose meaning on this calendar is unclear. `written` is the limit as the
    /// user wrote it, because "2d" and "48h" are the same [`Within::Span`] but only the first is
    /// ambiguous: on a business calendar a whole number of days or weeks written in `d`/`w` units
    /// could mean open days or 24-hour blocks of open time. Spans in hours, minutes and seconds
    /// are open time; everything is fine on `always`.
    pub fn check_within(&self, within: Within, written: &str) -> Result<(), String> {
        let Within::Span(d) = within else {
            return Ok(());
        };
        if self.always || d <= 0 || d % DAY != 0 || !uses_day_units(written) {
            return Ok(());
        }
        const WEEK: i64 = 7 * DAY;
        // A written week is a week of open days ("1w" on Mon-Fri is 5), a written day one day.
        let days = if written.to_ascii_lowercase().contains('w') {
            d / WEEK * self.schedule.open_weekdays() as i64 + d % WEEK / DAY
        } else {
            d / DAY
        };
        let hours = d / 3600;
        let unit = if days == 1 { "day" } else { "days" };
        Err(format!(
            "{:?} is ambiguous on business calendar {:?}: write \"{days} business {unit}\" \
             (by the close of the {} open day) or \"{hours}h\" ({hours} hours of open time)",
            written.trim(),
            self.name,
            ordinal(days)
        ))
    }

    /// Each local date from the one holding `a` to the one holding the last second of `[a, b)`,
    /// with its open windows clipped to `[a, b)`. The date before `a`'s is listed first when a
    /// span of it runs past midnight into the range. `a` and `b` are swapped when `b < a`. The
    /// windows' seconds add up to `open_between(a, b)` (for `always`, `b - a`).
    pub fn days(&self, a: i64, b: i64) -> Vec<DayTrace> {
        let (a, b) = if b < a { (b, a) } else { (a, b) };
        let (a, b) = (clamp(a), clamp(b));
        let first = self.date_of(a);
        let last = self.date_of((b - 1).max(a));
        let mut walk = Walk::new(self, first - Days::new(1));
        let mut out = Vec::new();
        while walk.date <= last {
            let (date, raw) = walk.next_day();
            let windows: Vec<Window> = raw
                .into_iter()
                .map(|(s, e)| Window {
                    open: s.max(a),
                    close: e.min(b),
                })
                .filter(|w| w.close > w.open)
                .collect();
            if date < first && windows.is_empty() {
                continue;
            }
            let hours = self.schedule.hours(date);
            out.push(DayTrace {
                date,
                open: hours.is_ok(),
                closed: hours.err(),
                from_override: hours.is_ok_and(|(_, o)| o),
                spans: hours.map_or_else(|_| Vec::new(), |(s, _)| s.to_vec()),
                windows,
            });
        }
        out
    }

    /// A one-line summary, e.g. `office (Europe/Kyiv): mon 09:00-13:00,14:00-18:00;
    /// tue-thu 09:00-18:00; fri 09:00-17:00; 2 holidays`.
    pub fn describe(&self) -> String {
        if self.always {
            return format!("{} ({}): round the clock", self.name, self.tz.name());
        }
        let week = &self.schedule.week;
        let mut parts = Vec::new();
        let mut i = 0;
        while i < 7 {
            let mut j = i;
            while j + 1 < 7 && week[j + 1] == week[i] {
                j += 1;
            }
            if !week[i].is_empty() {
                let days = if i == j {
                    weekday_short(i).to_string()
                } else {
                    format!("{}-{}", weekday_short(i), weekday_short(j))
                };
                let spans: Vec<String> = week[i].iter().map(Span::to_string).collect();
                parts.push(format!("{days} {}", spans.join(",")));
            }
            i = j + 1;
        }
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if !self.schedule.holidays.is_empty() {
            parts.push(count(self.schedule.holidays.len(), "holiday", "holidays"));
        }
        if !self.schedule.overrides.is_empty() {
            parts.push(count(
                self.schedule.overrides.len(),
                "override",
                "overrides",
            ));
        }
        format!("{} ({}): {}", self.name, self.tz.name(), parts.join("; "))
    }

    /// One second before the close of the nth open day after the start day (see `deadline`).
    fn business_day_close(&self, start: i64, n: u32) -> i64 {
        if self.always {
            let Some(utc) = DateTime::from_timestamp(start, 0) else {
                return start;
            };
            let date = utc.with_timezone(&self.tz).date_naive();
            return match date.checked_add_days(Days::new(u64::from(n) + 1)) {
                Some(end) => local_to_utc(end.and_time(NaiveTime::MIN), self.tz) - 1,
                None => i64::MAX,
            };
        }
        if start >= MAX_INSTANT {
            return i64::MAX;
        }
        let start = clamp(start);
        let mut walk = Walk::new(self, self.date_of(start) - Days::new(2));
        let horizon = self.date_of(start) + Days::new(HORIZON_DAYS);
        let mut left = None;
        while walk.date <= horizon {
            let windows = walk.next_day().1;
            let Some(&(_, close)) = windows.last() else {
                continue;
            };
            let left = match left.as_mut() {
                Some(l) => l,
                // Windows come in time order, so the first date with open time ending after
                // `start` owns the open time holding `start` or the next one after it.
                None if close > start => left.insert(n),
                None => continue,
            };
            if *left == 0 {
                return close - 1;
            }
            *left -= 1;
        }
        i64::MAX
    }

    /// The instant of local time `minute` on the `n`th open day after the clock's day (see
    /// `deadline`); the clock's day (the day "same day" picks, or the first open day after it
    /// whose `minute` is after the start, when the clock started at or past `minute` on it);
    /// and whether it was moved so. The open days are found as `business_day_close` finds
    /// them.
    pub fn by_time_of_day(&self, start: i64, n: u32, minute: u16) -> (i64, NaiveDate, bool) {
        let at = |date: NaiveDate| resolve(self.tz, at_minute(date, minute), true);
        if self.always {
            let date = self.date_of(start);
            let cut = start >= at(date);
            let day = if cut {
                date.succ_opt().unwrap_or(date)
            } else {
                date
            };
            let due = day
                .checked_add_days(Days::new(u64::from(n)))
                .map_or(i64::MAX, at);
            return (due, day, cut);
        }
        let mut day = self.date_of(start);
        if start >= MAX_INSTANT {
            return (i64::MAX, day, false);
        }
        let start = clamp(start);
        let mut walk = Walk::new(self, self.date_of(start) - Days::new(2));
        let horizon = self.date_of(start) + Days::new(HORIZON_DAYS);
        let mut left: Option<u32> = None;
        let mut cut = false;
        while walk.date <= horizon {
            let (date, windows) = walk.next_day();
            let Some(&(_, close)) = windows.last() else {
                continue;
            };
            let left = match left.as_mut() {
                Some(l) => l,
                // The clock's day: the first open day whose open time ends after the start and
                // whose time of day is still ahead. Past it, the next open day; and the one
                // after that when a span past midnight puts that day's time before the start
                // too (Thursday 06:15-02:45, a clock at Friday 00:01, "by 00:00").
                None if close > start && start < at(date) => {
                    day = date;
                    left.insert(n)
                }
                None => {
                    cut |= close > start;
                    continue;
                }
            };
            if *left == 0 {
                return (at(date), day, cut);
            }
            *left -= 1;
        }
        (i64::MAX, day, cut)
    }

    fn date_of(&self, t: i64) -> NaiveDate {
        DateTime::from_timestamp(t, 0)
            .map(|u| u.with_timezone(&self.tz).date_naive())
            .unwrap_or(NaiveDate::MIN)
    }

    /// The windows of `date`'s spans as instants, in order, each at least as long as empty.
    fn raw_windows(&self, date: NaiveDate) -> Vec<(i64, i64)> {
        let spans = self.schedule.spans_of(date);
        let next = date + Days::new(1);
        spans
            .iter()
            .map(|s| {
                let open = resolve(self.tz, at_minute(date, s.start), false);
                let close_date = if s.crosses_midnight() { next } else { date };
                let close = resolve(self.tz, at_minute(close_date, s.end), true);
                (open, close.max(open))
            })
            .collect()
    }
}

/// `1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`: how a business day or a count is named.
pub(crate) fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn at(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    fn date(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn schedule(
        week: [&[&str]; 7],
        holidays: &[&str],
        overrides: &[(&str, &[&str])],
    ) -> Result<Schedule, String> {
        let spans =
            |list: &[&str]| -> Vec<Span> { list.iter().map(|s| parse_span(s).unwrap()).collect() };
        Schedule::new(
            week.map(spans),
            holidays.iter().map(|h| parse_holiday(h).unwrap()).collect(),
            overrides.iter().map(|(d, s)| (date(d), spans(s))).collect(),
        )
    }

    fn business(
        tz: Tz,
        week: [&[&str]; 7],
        holidays: &[&str],
        overrides: &[(&str, &[&str])],
    ) -> Calendar {
        Calendar::business("office", tz, schedule(week, holidays, overrides).unwrap())
    }

    const NINE_TO_FIVE: &[&str] = &["09:00-17:00"];
    const NIGHT: &[&str] = &["22:00-06:00"];
    const ALL_DAY: &[&str] = &["00:00-24:00"];
    const SPLIT: &[&str] = &["09:00-13:00", "14:00-18:00"];

    /// Mon-Fri 09:00-17:00 in Berlin.
    fn berlin_office() -> Calendar {
        let d = NINE_TO_FIVE;
        business(Tz::Europe__Berlin, [d, d, d, d, d, &[], &[]], &[], &[])
    }

    /// Berlin office hours; Christmas Eve 2024 shortened, 25th and 26th off.
    fn berlin_christmas() -> Calendar {
        let d = NINE_TO_FIVE;
        business(
            Tz::Europe__Berlin,
            [d, d, d, d, d, &[], &[]],
            &["2024-12-25", "2024-12-26"],
            &[("2024-12-24", &["09:00-13:00"])],
        )
    }

    /// Round the clock every day in Berlin, as a business calendar.
    fn berlin_all_day() -> Calendar {
        let d = ALL_DAY;
        business(Tz::Europe__Berlin, [d; 7], &[], &[])
    }

    /// Kyiv, Mon-Fri with a lunch break, New Year's Day and 8 March off.
    fn kyiv_split() -> Calendar {
        let d = SPLIT;
        business(
            Tz::Europe__Kyiv,
            [d, d, d, d, d, &[], &[]],
            &["2024-01-01", "03-08"],
            &[],
        )
    }

    /// Night shifts Mon-Fri 22:00-06:00 in Berlin; 1 May yearly and Friday 3 May 2024 off.
    fn berlin_nights() -> Calendar {
        let n = NIGHT;
        business(
            Tz::Europe__Berlin,
            [n, n, n, n, n, &[], &[]],
            &["05-01", "2024-05-03"],
            &[],
        )
    }

    /// New York: weekday office hours plus early-morning Sunday spans around the DST changes.
    fn new_york(sunday: &'static [&'static str]) -> Calendar {
        let d = NINE_TO_FIVE;
        business(
            Tz::America__New_York,
            [d, d, d, d, d, &[], sunday],
            &[],
            &[],
        )
    }

    enum Op {
        /// open_between(a, b) == seconds
        Between(&'static str, &'static str, i64),
        /// add(start, seconds) == t
        Add(&'static str, i64, &'static str),
        /// deadline(start, within) == t
        Deadline(&'static str, Within, &'static str),
        /// next_open(t) == t'
        NextOpen(&'static str, &'static str),
    }
    use Op::*;

    const H: i64 = 3600;
    const M: i64 = 60;

    #[test]
    fn hand_checked_cases() {
        let office = berlin_office();
        let xmas = berlin_christmas();
        let all_day = berlin_all_day();
        let kyiv = kyiv_split();
        let nights = berlin_nights();
        let ny_gap = new_york(&["02:00-03:00"]);
        let ny_half = new_york(&["02:30-04:00"]);
        let ny_early = new_york(&["00:00-01:30"]);
        let ny_one_to_three = new_york(&["01:00-03:00"]);
        let kyiv_yearly_override = business(
            Tz::Europe__Kyiv,
            [SPLIT, SPLIT, SPLIT, SPLIT, SPLIT, &[], &[]],
            &["03-08"],
            &[("2024-03-08", &["10:00-12:00"])],
        );
        let berlin_small_hours = business(Tz::Europe__Berlin, [&["02:30-04:00"]; 7], &[], &[]);
        let always = Calendar::always(Tz::Europe__Berlin);
        let cases: Vec<(&str, &Calendar, Op)> = vec![
            // Fri 16:30 -> 17:00 is 30m; Monday 09:00 + the other 30m = 09:30 (CET, +01:00).
            (
                "friday into monday",
                &office,
                Add("2024-03-08T16:30:00+01:00", H, "2024-03-11T09:30:00+01:00"),
            ),
            // Saturday and Sunday are closed; Monday 09:00-10:00 is 1h.
            (
                "weekend",
                &office,
                Between("2024-03-09T11:00:00+01:00", "2024-03-11T10:00:00+01:00", H),
            ),
            // Backwards is the negative.
            (
                "backwards",
                &office,
                Between("2024-03-11T10:00:00+01:00", "2024-03-09T11:00:00+01:00", -H),
            ),
            // Spring forward: 00:00 CET (23:00Z on the 30th) to 00:00 CEST (22:00Z on the 31st).
            (
                "23-hour day",
                &all_day,
                Between(
                    "2024-03-31T00:00:00+01:00",
                    "2024-04-01T00:00:00+02:00",
                    23 * H,
                ),
            ),
            // Fall back: 00:00 CEST (22:00Z on the 26th) to 00:00 CET (23:00Z on the 27th).
            (
                "25-hour day",
                &all_day,
                Between(
                    "2024-10-27T00:00:00+02:00",
                    "2024-10-28T00:00:00+01:00",
                    25 * H,
                ),
            ),
            // 16:55 is after the 24th's 13:00 close; 25th and 26th are holidays;
            // Friday 27th 09:00 + 10m = 09:10.
            (
                "christmas",
                &xmas,
                Add(
                    "2024-12-24T16:55:00+01:00",
                    10 * M,
                    "2024-12-27T09:10:00+01:00",
                ),
            ),
            // The override gives 09:00-13:00 on the 24th: 10:00-13:00 is 3h, then Friday 09:00-10:00.
            (
                "override shortens",
                &xmas,
                Between(
                    "2024-12-24T10:00:00+01:00",
                    "2024-12-27T10:00:00+01:00",
                    4 * H,
                ),
            ),
            // Starting on a holiday: the clock waits for Friday 09:00.
            (
                "start on holiday",
                &xmas,
                Add("2024-12-25T10:00:00+01:00", H, "2024-12-27T10:00:00+01:00"),
            ),
            // Nights: Friday 22:00 to Saturday 06:00 belongs to Friday: 23:00-06:00 is 7h, then
            // Monday 22:00 + 1h = Monday 23:00.
            (
                "night across weekend",
                &nights,
                Add(
                    "2024-05-10T23:00:00+02:00",
                    8 * H,
                    "2024-05-13T23:00:00+02:00",
                ),
            ),
            // Tue 30 Apr 22:00 - Wed 06:00 is 8h; Wed 1 May (yearly holiday) loses its own night,
            // Thursday's night starts at 22:00, after the end.
            (
                "night before yearly holiday",
                &nights,
                Between(
                    "2024-04-30T20:00:00+02:00",
                    "2024-05-02T12:00:00+02:00",
                    8 * H,
                ),
            ),
            // Thu 2 May 22:00 - Fri 06:00 runs into the holiday on Friday 3 May and still counts
            // (8h); Friday's own night is gone; nothing at the weekend; Monday opens at 22:00.
            (
                "night into holiday",
                &nights,
                Between(
                    "2024-05-02T12:00:00+02:00",
                    "2024-05-06T12:00:00+02:00",
                    8 * H,
                ),
            ),
            // Saturday 02:00 lies in Friday's night, which closes Saturday 06:00.
            (
                "same day in a night span",
                &nights,
                Deadline(
                    "2024-05-11T02:00:00+02:00",
                    Within::SameDay,
                    "2024-05-11T05:59:59+02:00",
                ),
            ),
            // Lunch: 12:30-13:00 is 30m, 14:00-14:30 the other 30m (Kyiv winter, +02:00).
            (
                "across lunch",
                &kyiv,
                Add("2024-01-15T12:30:00+02:00", H, "2024-01-15T14:30:00+02:00"),
            ),
            // Ends exactly at the 13:00 close: the latest instant is the 14:00 reopening.
            (
                "ends at lunch",
                &kyiv,
                Add("2024-01-15T12:00:00+02:00", H, "2024-01-15T14:00:00+02:00"),
            ),
            // Ends exactly at Friday's 17:00 close: the result is Monday's 09:00 opening.
            (
                "ends at friday close",
                &office,
                Add("2024-03-08T16:00:00+01:00", H, "2024-03-11T09:00:00+01:00"),
            ),
            // Zero durations: inside hours nothing moves; outside, the next opening.
            (
                "zero inside",
                &kyiv,
                Add("2024-01-15T10:00:00+02:00", 0, "2024-01-15T10:00:00+02:00"),
            ),
            (
                "zero at lunch",
                &kyiv,
                Add("2024-01-15T13:30:00+02:00", 0, "2024-01-15T14:00:00+02:00"),
            ),
            (
                "zero on saturday",
                &office,
                Add("2024-03-09T10:00:00+01:00", 0, "2024-03-11T09:00:00+01:00"),
            ),
            (
                "zero range",
                &office,
                Between("2024-03-11T10:00:00+01:00", "2024-03-11T10:00:00+01:00", 0),
            ),
            // A span deadline is add: Fri 16:30 + 1h -> Mon 09:30.
            (
                "span deadline",
                &office,
                Deadline(
                    "2024-03-08T16:30:00+01:00",
                    Within::Span(H),
                    "2024-03-11T09:30:00+01:00",
                ),
            ),
            // Same day before opening counts that day: close 18:00, minus a second.
            (
                "same day before opening",
                &kyiv,
                Deadline(
                    "2024-01-15T07:00:00+02:00",
                    Within::SameDay,
                    "2024-01-15T17:59:59+02:00",
                ),
            ),
            (
                "same day at lunch",
                &kyiv,
                Deadline(
                    "2024-01-15T13:30:00+02:00",
                    Within::SameDay,
                    "2024-01-15T17:59:59+02:00",
                ),
            ),
            // After the close the start day is Tuesday.
            (
                "same day after close",
                &kyiv,
                Deadline(
                    "2024-01-15T19:00:00+02:00",
                    Within::SameDay,
                    "2024-01-16T17:59:59+02:00",
                ),
            ),
            (
                "same day is 0 business days",
                &kyiv,
                Deadline(
                    "2024-01-15T19:00:00+02:00",
                    Within::BusinessDays(0),
                    "2024-01-16T17:59:59+02:00",
                ),
            ),
            // Before opening Monday: start day Monday, 1 business day -> Tuesday's close.
            (
                "1 business day before opening",
                &kyiv,
                Deadline(
                    "2024-01-15T07:00:00+02:00",
                    Within::BusinessDays(1),
                    "2024-01-16T17:59:59+02:00",
                ),
            ),
            // During lunch Monday: Monday, Tuesday, Wednesday -> Wednesday's close.
            (
                "2 business days at lunch",
                &kyiv,
                Deadline(
                    "2024-01-15T13:30:00+02:00",
                    Within::BusinessDays(2),
                    "2024-01-17T17:59:59+02:00",
                ),
            ),
            // After the close Monday: start day Tuesday, +1 -> Wednesday.
            (
                "1 business day after close",
                &kyiv,
                Deadline(
                    "2024-01-15T19:00:00+02:00",
                    Within::BusinessDays(1),
                    "2024-01-17T17:59:59+02:00",
                ),
            ),
            // Saturday: start day Monday 22nd, +1 -> Tuesday 23rd.
            (
                "business day on weekend",
                &kyiv,
                Deadline(
                    "2024-01-20T10:00:00+02:00",
                    Within::BusinessDays(1),
                    "2024-01-23T17:59:59+02:00",
                ),
            ),
            // Monday 1 January is a holiday: start day Tuesday 2nd, +1 -> Wednesday 3rd.
            (
                "business day on holiday",
                &kyiv,
                Deadline(
                    "2024-01-01T10:00:00+02:00",
                    Within::BusinessDays(1),
                    "2024-01-03T17:59:59+02:00",
                ),
            ),
            // Fri 5 Jan 17:00 + 5 business days: start day Friday; Mon-Fri 8-12 Jan -> Fri 12th.
            (
                "5 business days over a weekend",
                &kyiv,
                Deadline(
                    "2024-01-05T17:00:00+02:00",
                    Within::BusinessDays(5),
                    "2024-01-12T17:59:59+02:00",
                ),
            ),
            // Yearly holiday 8 March (Friday 2024): Thu 7 Mar 17:00-18:00 is 1h, then Mon 11th
            // 09:00-10:00 is 1h.
            (
                "yearly holiday",
                &kyiv,
                Between(
                    "2024-03-07T17:00:00+02:00",
                    "2024-03-11T10:00:00+02:00",
                    2 * H,
                ),
            ),
            // An override on a yearly holiday wins: 10:00-12:00 on 8 March 2024 is open (2h).
            (
                "override beats holiday",
                &kyiv_yearly_override,
                Between(
                    "2024-03-08T00:00:00+02:00",
                    "2024-03-09T00:00:00+02:00",
                    2 * H,
                ),
            ),
            // New York, 10 March 2024: 02:00-03:00 does not exist, so "02:00-03:00" opens and
            // closes at the transition (07:00Z): no open time on that Sunday.
            (
                "ny gap span is empty",
                &ny_gap,
                Between("2024-03-09T12:00:00-05:00", "2024-03-11T08:00:00-04:00", 0),
            ),
            (
                "ny gap next open",
                &ny_gap,
                NextOpen("2024-03-10T00:00:00-05:00", "2024-03-11T09:00:00-04:00"),
            ),
            // 3 November 2024: 02:00 EST exists once (the repeated hour is 01:00-02:00), so
            // "02:00-03:00" is 07:00Z-08:00Z: 1h.
            (
                "ny fall back plain hour",
                &ny_gap,
                Between("2024-11-03T00:00:00-04:00", "2024-11-04T00:00:00-05:00", H),
            ),
            // "02:30-04:00" on 10 March opens at the first existing instant, 03:00 EDT (07:00Z),
            // and closes at 04:00 EDT: 1h.
            (
                "ny gap opening at 02:30",
                &ny_half,
                Between("2024-03-10T00:00:00-05:00", "2024-03-11T00:00:00-04:00", H),
            ),
            (
                "ny gap opening instant",
                &ny_half,
                NextOpen("2024-03-10T00:00:00-05:00", "2024-03-10T03:00:00-04:00"),
            ),
            // On 3 March it is 02:30-04:00 EST: 1h30m.
            (
                "ny ordinary sunday",
                &ny_half,
                Between(
                    "2024-03-03T00:00:00-05:00",
                    "2024-03-04T00:00:00-05:00",
                    H + 30 * M,
                ),
            ),
            // 3 November "00:00-01:30": 01:30 is ambiguous and closes at the later instant,
            // 01:30 EST = 06:30Z; opens 00:00 EDT = 04:00Z: 2h30m.
            (
                "ny ambiguous close",
                &ny_early,
                Between(
                    "2024-11-03T00:00:00-04:00",
                    "2024-11-04T00:00:00-05:00",
                    2 * H + 30 * M,
                ),
            ),
            // 3 November "01:00-03:00": opens at the earlier 01:00 (EDT, 05:00Z), closes 03:00 EST
            // (08:00Z): 3h.
            (
                "ny ambiguous open",
                &ny_one_to_three,
                Between(
                    "2024-11-03T00:00:00-04:00",
                    "2024-11-04T00:00:00-05:00",
                    3 * H,
                ),
            ),
            (
                "ny ambiguous opening instant",
                &ny_one_to_three,
                NextOpen("2024-11-03T00:00:00-04:00", "2024-11-03T01:00:00-04:00"),
            ),
            // 10 March "01:00-03:00": 01:00 EST (06:00Z) to 03:00 EDT (07:00Z): 1h.
            (
                "ny short sunday",
                &ny_one_to_three,
                Between("2024-03-10T00:00:00-05:00", "2024-03-11T00:00:00-04:00", H),
            ),
            // "00:00-01:30" on the fall-back Sunday is 04:00Z-06:30Z, the repeated hour included:
            // 00:30 EDT is 04:30Z, + 1h30m = 06:00Z = the second 01:00 (EST).
            (
                "ny add over repeated hour",
                &ny_early,
                Add(
                    "2024-11-03T00:30:00-04:00",
                    H + 30 * M,
                    "2024-11-03T01:00:00-05:00",
                ),
            ),
            // + 2h ends exactly at the 06:30Z close, so the result is Monday's 09:00 EST opening.
            (
                "ny add to the ambiguous close",
                &ny_early,
                Add(
                    "2024-11-03T00:30:00-04:00",
                    2 * H,
                    "2024-11-04T09:00:00-05:00",
                ),
            ),
            // Berlin "02:30-04:00" every day, 31 March: opens at the transition 03:00 CEST
            // (01:00Z), closes 04:00 CEST (02:00Z): 1h.
            (
                "berlin gap",
                &berlin_small_hours,
                Between("2024-03-31T00:00:00+01:00", "2024-04-01T00:00:00+02:00", H),
            ),
            // 27 October: opens at the earlier 02:30 (CEST, 00:30Z), closes 04:00 CET (03:00Z): 2h30m.
            (
                "berlin fall back",
                &berlin_small_hours,
                Between(
                    "2024-10-27T00:00:00+02:00",
                    "2024-10-28T00:00:00+01:00",
                    2 * H + 30 * M,
                ),
            ),
            // Office hours do not notice the change: Fri 29 Mar 16:00 + 2h = Mon 1 Apr 10:00 CEST.
            (
                "berlin office over dst",
                &office,
                Add(
                    "2024-03-29T16:00:00+01:00",
                    2 * H,
                    "2024-04-01T10:00:00+02:00",
                ),
            ),
            // Two years of office hours, 104 plain weeks of 40h (2024-01-01 and 2025-12-29 are
            // Mondays).
            (
                "two years",
                &office,
                Between(
                    "2024-01-01T00:00:00+01:00",
                    "2025-12-29T00:00:00+01:00",
                    104 * 40 * H,
                ),
            ),
            // On always, add is plain addition and same day ends at local midnight.
            (
                "always add",
                &always,
                Add("2024-03-30T23:30:00+01:00", H, "2024-03-31T00:30:00+01:00"),
            ),
            (
                "always 2 business days",
                &always,
                Deadline(
                    "2024-03-30T12:00:00+01:00",
                    Within::BusinessDays(2),
                    "2024-04-01T23:59:59+02:00",
                ),
            ),
        ];
        for (name, cal, op) in cases {
            match op {
                Between(a, b, secs) => {
                    assert_eq!(cal.open_between(at(a), at(b)), secs, "{name}");
                    assert_eq!(cal.elapsed(at(a), at(b)), secs, "{name}");
                }
                Add(a, d, t) => assert_eq!(cal.add(at(a), d), at(t), "{name}"),
                Deadline(a, w, t) => assert_eq!(cal.deadline(at(a), w), at(t), "{name}"),
                NextOpen(a, t) => assert_eq!(cal.next_open(at(a)), Some(at(t)), "{name}"),
            }
        }
    }

    #[test]
    fn span_deadline_is_start_plus_limit() {
        let c = Calendar::always(Tz::UTC);
        assert_eq!(
            c.deadline(at("2026-11-16T23:55:00Z"), Within::Span(600)),
            at("2026-11-17T00:05:00Z")
        );
    }

    #[test]
    fn same_day_ends_at_local_midnight() {
        let c = Calendar::always(Tz::Europe__Kyiv);
        // 23:30 Kyiv time is 21:30Z; the Kyiv day ends at 22:00Z.
        assert_eq!(
            c.deadline(at("2026-11-16T21:30:00Z"), Within::SameDay),
            at("2026-11-16T21:59:59Z")
        );
        // 00:30 Kyiv time on the 17th belongs to the 17th.
        assert_eq!(
            c.deadline(at("2026-11-16T22:30:00Z"), Within::SameDay),
            at("2026-11-17T21:59:59Z")
        );
    }

    #[test]
    fn same_day_on_a_23_hour_day() {
        // Berlin springs forward on 2024-03-31: the day is 23 hours long.
        let c = Calendar::always(Tz::Europe__Berlin);
        let start = at("2024-03-30T23:00:00Z"); // 00:00 local on the 31st
        assert_eq!(c.deadline(start, Within::SameDay) + 1 - start, 23 * 3600);
        assert_eq!(c.start_of_next_day(start), at("2024-03-31T22:00:00Z"));
    }

    #[test]
    fn always_is_plain_arithmetic() {
        let c = Calendar::always(Tz::America__New_York);
        let (a, b) = (at("2024-03-09T12:00:00Z"), at("2024-03-12T12:00:00Z"));
        assert_eq!(c.elapsed(a, b), b - a);
        assert_eq!(c.elapsed(b, a), a - b);
        assert_eq!(c.add(a, 3), a + 3);
        assert_eq!(c.next_open(a), Some(a));
        assert!(c.is_always());
        assert_eq!(c.check_within(Within::Span(2 * DAY), "2d"), Ok(()));
        assert_eq!(c.describe(), "always (America/New_York): round the clock");
        let days = c.days(a, b);
        assert_eq!(days.len(), 4);
        assert_eq!(days.iter().map(DayTrace::seconds).sum::<i64>(), b - a);
    }

    #[test]
    fn limits_beyond_the_horizon_terminate() {
        let c = berlin_office();
        let start = at("2024-01-01T00:00:00Z");
        // More open time than 20 years hold.
        assert_eq!(c.add(start, i64::MAX), i64::MAX);
        assert_eq!(c.deadline(start, Within::BusinessDays(u32::MAX)), i64::MAX);
        // Starts past the supported range saturate instead of walking.
        assert_eq!(c.add(i64::MAX, 10), i64::MAX);
        assert_eq!(c.deadline(i64::MAX - 5, Within::SameDay), i64::MAX);
        assert_eq!(c.next_open(i64::MAX), None);
        // Negative limits count as none.
        assert_eq!(c.add(start, -5), at("2024-01-01T09:00:00+01:00"));
    }

    #[test]
    fn trace_lists_each_date() {
        let c = berlin_christmas();
        let (a, b) = (
            at("2024-12-24T08:00:00+01:00"),
            at("2024-12-27T12:00:00+01:00"),
        );
        let days = c.days(a, b);
        let summary: Vec<(String, bool, Option<Closed>, bool, i64)> = days
            .iter()
            .map(|d| {
                (
                    d.date.to_string(),
                    d.open,
                    d.closed,
                    d.from_override,
                    d.seconds(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("2024-12-24".to_string(), true, None, true, 4 * H),
                (
                    "2024-12-25".to_string(),
                    false,
                    Some(Closed::Holiday),
                    false,
                    0
                ),
                (
                    "2024-12-26".to_string(),
                    false,
                    Some(Closed::Holiday),
                    false,
                    0
                ),
                ("2024-12-27".to_string(), true, None, false, 3 * H),
            ]
        );
        assert_eq!(
            days[3].windows,
            [Window {
                open: at("2024-12-27T09:00:00+01:00"),
                close: b
            }]
        );
        assert_eq!(
            days.iter().map(DayTrace::seconds).sum::<i64>(),
            c.open_between(a, b)
        );
        let reasons: Vec<String> = kyiv_split()
            .days(
                at("2024-03-08T12:00:00+02:00"),
                at("2024-03-10T12:00:00+02:00"),
            )
            .iter()
            .filter_map(|d| d.closed.map(|c| c.to_string()))
            .collect();
        assert_eq!(
            reasons,
            ["yearly holiday", "not a working day", "not a working day"]
        );
        let closed = business(Tz::UTC, [NINE_TO_FIVE; 7], &[], &[("2024-06-03", &[])]);
        let d = closed.days(at("2024-06-03T10:00:00Z"), at("2024-06-03T11:00:00Z"));
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].closed.map(|c| c.to_string()).as_deref(),
            Some("closed by override")
        );
        // A night span reaching into the range lists the date it belongs to first.
        let d = berlin_nights().days(
            at("2024-05-07T03:00:00+02:00"),
            at("2024-05-07T12:00:00+02:00"),
        );
        assert_eq!(d[0].date, date("2024-05-06"));
        assert_eq!(d[0].seconds(), 3 * H);
        assert_eq!(d[1].date, date("2024-05-07"));
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn describe_groups_weekdays() {
        let c = Calendar::business(
            "office",
            Tz::Europe__Kyiv,
            schedule(
                [
                    SPLIT,
                    &["09:00-18:00"],
                    &["09:00-18:00"],
                    &["09:00-18:00"],
                    &["09:00-17:00"],
                    &[],
                    &[],
                ],
                &["2024-01-01", "03-08", "2024-01-01"],
                &[],
            )
            .unwrap(),
        );
        assert_eq!(
            c.describe(),
            "office (Europe/Kyiv): mon 09:00-13:00,14:00-18:00; tue-thu 09:00-18:00; \
             fri 09:00-17:00; 2 holidays"
        );
        assert_eq!(
            berlin_christmas().describe(),
            "office (Europe/Berlin): mon-fri 09:00-17:00; 2 holidays; 1 override"
        );
    }

    #[test]
    fn check_within_rejects_whole_days_on_business_calendars() {
        let c = berlin_office();
        let check = |text: &str| c.check_within(Within::parse(text).unwrap(), text);
        assert_eq!(
            check("2d").unwrap_err(),
            "\"2d\" is ambiguous on business calendar \"office\": write \"2 business days\" \
             (by the close of the 2nd open day) or \"48h\" (48 hours of open time)"
        );
        assert_eq!(
            check(" 1D ").unwrap_err(),
            "\"1D\" is ambiguous on business calendar \"office\": write \"1 business day\" \
             (by the close of the 1st open day) or \"24h\" (24 hours of open time)"
        );
        // A week of a Mon-Fri calendar is 5 open days.
        assert_eq!(
            check("1w").unwrap_err(),
            "\"1w\" is ambiguous on business calendar \"office\": write \"5 business days\" \
             (by the close of the 5th open day) or \"168h\" (168 hours of open time)"
        );
        assert_eq!(
            check("1w2d").unwrap_err(),
            "\"1w2d\" is ambiguous on business calendar \"office\": write \"7 business days\" \
             (by the close of the 7th open day) or \"216h\" (216 hours of open time)"
        );
        assert!(check("7d")
            .unwrap_err()
            .contains("write \"7 business days\""));
        assert!(check("11d").unwrap_err().contains("the 11th open day"));
        assert!(check("23d").unwrap_err().contains("the 23rd open day"));
        // The suggested alternatives, hours and partial days are open time and fine.
        for ok in [
            "48h",
            "168h",
            "36h",
            "1d12h",
            "0d",
            "90m",
            "same day",
            "2 business days",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        let always = Calendar::always(Tz::UTC);
        assert_eq!(always.check_within(Within::Span(2 * DAY), "2d"), Ok(()));
    }

    #[test]
    fn spans_parse() {
        for (text, start, end, crosses, secs) in [
            ("09:00-17:00", 540, 1020, false, 8 * H),
            (" 22:00 - 06:00 ", 1320, 360, true, 8 * H),
            ("00:00-24:00", 0, 1440, false, 24 * H),
            ("18:00-00:00", 1080, 0, true, 6 * H),
            ("23:59-23:58", 1439, 1438, true, 24 * H - 60),
        ] {
            let s = parse_span(text).unwrap();
            assert_eq!((s.start_minute(), s.end_minute()), (start, end), "{text}");
            assert_eq!(s.crosses_midnight(), crosses, "{text}");
            assert_eq!(s.seconds(), secs, "{text}");
        }
        assert_eq!(
            parse_span("00:00-24:00").unwrap().to_string(),
            "00:00-24:00"
        );
        assert_eq!(Span::new(540, 1020).unwrap().to_string(), "09:00-17:00");
    }

    #[test]
    fn span_errors_say_what_is_accepted() {
        let form = "expected \"HH:MM-HH:MM\" such as \"09:00-17:00\" (hours 00-24, minutes 00-59, \
                    24:00 only as an end; an end before the start runs past midnight, as in \
                    \"22:00-06:00\")";
        for text in [
            "9-17",
            "9:00-17:00",
            "09:00",
            "09:60-17:00",
            "25:00-26:00",
            "09:00-24:30",
            "ab:cd-ef:gh",
            "09:00-17:00-18:00",
            "",
        ] {
            assert_eq!(
                parse_span(text).unwrap_err(),
                format!("{text:?} is not a span of opening hours; {form}"),
                "{text}"
            );
        }
        assert_eq!(
            parse_span("24:00-06:00").unwrap_err(),
            "\"24:00-06:00\": 24:00 can only close a span; write 00:00 to open at midnight"
        );
        assert_eq!(
            parse_span("09:00-09:00").unwrap_err(),
            "\"09:00-09:00\" is empty; a span must close at a different time than it opens \
             (\"00:00-24:00\" is the whole day)"
        );
        assert!(Span::new(540, 540).unwrap_err().contains("is empty"));
        assert!(Span::new(1440, 60).is_err());
        assert!(Span::new(0, 1441).is_err());
    }

    #[test]
    fn holidays_dates_and_weekdays_parse() {
        assert_eq!(
            parse_holiday("2024-12-25"),
            Ok(Holiday::Date(date("2024-12-25")))
        );
        assert_eq!(
            parse_holiday(" 12-25 "),
            Ok(Holiday::Yearly { month: 12, day: 25 })
        );
        assert_eq!(
            parse_holiday("02-29"),
            Ok(Holiday::Yearly { month: 2, day: 29 })
        );
        assert_eq!(parse_holiday("12-25").unwrap().to_string(), "12-25");
        assert_eq!(
            parse_holiday("2024-01-05").unwrap().to_string(),
            "2024-01-05"
        );
        let form = "expected a date \"YYYY-MM-DD\" such as \"2024-12-25\" or a yearly date \
                    \"MM-DD\" such as \"12-25\"";
        for text in ["25.12.2024", "2024-1-5", "12/25", "christmas", ""] {
            assert_eq!(
                parse_holiday(text).unwrap_err(),
                format!("{text:?} is not a holiday; {form}")
            );
        }
        for text in ["2024-02-30", "2023-02-29", "13-01", "02-30", "2024-00-10"] {
            assert_eq!(
                parse_holiday(text).unwrap_err(),
                format!("{text:?} is not a holiday (no such day); {form}")
            );
        }
        assert_eq!(
            parse_date("2024-12-24"),
            Ok(NaiveDate::from_ymd_opt(2024, 12, 24).unwrap())
        );
        assert_eq!(
            parse_date("24.12.2024").unwrap_err(),
            "\"24.12.2024\" is not a date; expected \"YYYY-MM-DD\" such as \"2024-12-24\""
        );
        assert_eq!(
            parse_date("2024-04-31").unwrap_err(),
            "\"2024-04-31\" is not a date (no such day); expected \"YYYY-MM-DD\" such as \
             \"2024-12-24\""
        );
        assert_eq!(parse_weekday("Mon"), Ok(Weekday::Mon));
        assert_eq!(parse_weekday("sunday"), Ok(Weekday::Sun));
        assert_eq!(
            parse_weekday("funday").unwrap_err(),
            "\"funday\" is not a weekday; expected one of mon, tue, wed, thu, fri, sat, sun"
        );
    }

    #[test]
    fn schedule_errors() {
        let none: &[&str] = &[];
        type Week<'a> = [&'a [&'a str]; 7];
        type Overrides<'a> = Vec<(&'a str, &'a [&'a str])>;
        let cases: Vec<(Week, Overrides, &str)> = vec![
            (
                [&["09:00-13:00", "12:00-18:00"], none, none, none, none, none, none],
                vec![],
                "mon: \"09:00-13:00\" overlaps \"12:00-18:00\"",
            ),
            (
                [none, none, &["20:00-02:00", "22:00-23:00"], none, none, none, none],
                vec![],
                "wed: \"20:00-02:00\" overlaps \"22:00-23:00\"",
            ),
            (
                [&["22:00-06:00"], &["05:00-09:00"], none, none, none, none, none],
                vec![],
                "mon \"22:00-06:00\" runs past midnight into tue \"05:00-09:00\"",
            ),
            (
                [&["00:00-24:00"], none, none, none, none, none, &["23:00-01:00"]],
                vec![],
                "sun \"23:00-01:00\" runs past midnight into mon \"00:00-24:00\"",
            ),
            (
                [none; 7],
                vec![("2024-12-24", &["09:00-13:00"])],
                "no weekday has open hours; give at least one weekday a span such as \"09:00-17:00\"",
            ),
            (
                [NINE_TO_FIVE; 7],
                vec![("2024-12-24", &["09:00-13:00", "10:00-11:00"])],
                "override for 2024-12-24: \"09:00-13:00\" overlaps \"10:00-11:00\"",
            ),
            (
                [NINE_TO_FIVE; 7],
                vec![("2024-12-24", &["20:00-10:00"])],
                "override for 2024-12-24: \"20:00-10:00\" on 2024-12-24 runs past midnight into \
                 \"09:00-17:00\" on 2024-12-25",
            ),
            (
                [NIGHT; 7],
                vec![("2024-12-24", &["05:00-12:00"])],
                "override for 2024-12-24: \"22:00-06:00\" on 2024-12-23 runs past midnight into \
                 \"05:00-12:00\" on 2024-12-24",
            ),
        ];
        for (week, overrides, message) in cases {
            assert_eq!(schedule(week, &[], &overrides).unwrap_err(), message);
        }
        // Touching spans and a holiday making room for an override are fine.
        assert!(schedule(
            [
                &["22:00-06:00"],
                &["06:00-09:00"],
                none,
                none,
                none,
                none,
                none
            ],
            &[],
            &[]
        )
        .is_ok());
        assert!(schedule(
            [NIGHT; 7],
            &["2024-12-23"],
            &[("2024-12-24", &["05:00-12:00"])]
        )
        .is_ok());
    }

    /// A calendar's definitions as written, before `Schedule::new` sorts and indexes them: what
    /// the minute-by-minute oracle reads, so that it shares no lookup with the code under test.
    #[derive(Debug, Clone)]
    struct Raw {
        week: [Vec<Span>; 7],
        holidays: Vec<Holiday>,
        overrides: BTreeMap<NaiveDate, Vec<Span>>,
    }

    /// The spans of `date` read from the raw definitions: an override wins (empty = closed),
    /// then a dated or yearly holiday closes the day, else the weekday's spans.
    fn raw_spans(raw: &Raw, date: NaiveDate) -> &[Span] {
        if let Some(spans) = raw.overrides.get(&date) {
            return spans;
        }
        let holiday = raw.holidays.iter().any(|h| match *h {
            Holiday::Date(d) => d == date,
            Holiday::Yearly { month, day } => date.month() == month && date.day() == day,
        });
        if holiday {
            return &[];
        }
        &raw.week[date.weekday().num_days_from_monday() as usize]
    }

    /// Open seconds by looking at every minute, with UTC so that wall clock and instants agree:
    /// an independent reading of spans, past-midnight ownership, holidays and overrides (from
    /// `raw`, not from the schedule's own lookup, so that a bug there shows).
    fn minute_oracle(raw: &Raw, a: i64, b: i64) -> i64 {
        let open_at = |t: i64| {
            let date = DateTime::from_timestamp(t, 0).unwrap().date_naive();
            let minute = ((t.rem_euclid(DAY)) / 60) as u16;
            // A span whose end is not after its start runs to midnight and on into the next date.
            let today = raw_spans(raw, date).iter().any(|s| {
                let (start, end) = (s.start_minute(), s.end_minute());
                start <= minute && (minute < end || end < start)
            });
            let yesterday = raw_spans(raw, date.pred_opt().unwrap()).iter().any(|s| {
                let (start, end) = (s.start_minute(), s.end_minute());
                end < start && minute < end
            });
            today || yesterday
        };
        (a..b).step_by(60).filter(|&t| open_at(t)).count() as i64 * 60
    }

    fn quarters_to_spans(points: Vec<u16>, spill: Option<u16>) -> Vec<Span> {
        let mut spans: Vec<Span> = points
            .chunks_exact(2)
            .map(|p| Span::new(p[0] * 15, p[1] * 15).unwrap())
            .collect();
        if let (Some(end), Some(&last)) = (spill, points.last()) {
            if points.len() % 2 == 1 && last < 96 && end * 15 < last * 15 {
                spans.push(Span::new(last * 15, end * 15).unwrap());
            }
        }
        spans
    }

    fn day_spans() -> impl Strategy<Value = Vec<Span>> {
        (
            prop::collection::btree_set(0u16..=96, 0..=5),
            prop::option::of(0u16..=24),
        )
            .prop_map(|(points, spill)| quarters_to_spans(points.into_iter().collect(), spill))
    }

    const ZONES: [Tz; 6] = [
        Tz::UTC,
        Tz::Europe__Berlin,
        Tz::America__New_York,
        Tz::Australia__Lord_Howe,
        Tz::America__Santiago,
        Tz::Asia__Kolkata,
    ];

    /// 2023-07-01 .. 2026-07-01.
    const T0: i64 = 1_688_169_600;
    const T1: i64 = 1_782_864_000;

    fn calendars(zones: &'static [Tz]) -> impl Strategy<Value = Calendar> {
        calendars_with_raw(zones).prop_map(|(cal, _)| cal)
    }

    /// A random valid calendar and the definitions it was built from.
    fn calendars_with_raw(zones: &'static [Tz]) -> impl Strategy<Value = (Calendar, Raw)> {
        let week = prop::array::uniform7(day_spans());
        let holidays = prop::collection::vec(
            prop_oneof![
                (0i64..1100).prop_map(|d| Holiday::Date(
                    DateTime::from_timestamp(T0 + d * DAY, 0)
                        .unwrap()
                        .date_naive()
                )),
                (1u32..=12, 1u32..=28).prop_map(|(month, day)| Holiday::Yearly { month, day }),
            ],
            0..6,
        );
        let overrides = prop::collection::btree_map(
            (0i64..1100).prop_map(|d| {
                DateTime::from_timestamp(T0 + d * DAY, 0)
                    .unwrap()
                    .date_naive()
            }),
            day_spans(),
            0..4,
        );
        (
            prop::sample::select(zones),
            week,
            holidays,
            overrides,
            any::<bool>(),
        )
            .prop_filter_map(
                "valid schedule",
                |(tz, week, mut holidays, overrides, clash)| {
                    // A holiday on an override's date, which the override wins over: drawn
                    // independently, the two would hardly ever meet.
                    if let (true, Some(&date)) = (clash, overrides.keys().next()) {
                        holidays.push(Holiday::Date(date));
                    }
                    let raw = Raw {
                        week: week.clone(),
                        holidays: holidays.clone(),
                        overrides: overrides.clone(),
                    };
                    Schedule::new(week, holidays, overrides)
                        .ok()
                        .map(|s| (Calendar::business("random", tz, s), raw))
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn a_time_of_day_is_later_than_the_start_and_that_time_on_its_date(
            cal in calendars(&ZONES),
            start in T0..T1,
            days in 0u32..4,
            minute in 0u16..1440,
        ) {
            let due = cal.deadline(start, Within::ClockTime { days, minute });
            prop_assume!(due != i64::MAX);
            prop_assert!(due > start);
            let date = super::super::local::local_time(cal.tz, due).date();
            prop_assert_eq!(due, resolve(cal.tz, at_minute(date, minute), true));
            let later = cal.deadline(start, Within::ClockTime { days: days + 1, minute });
            prop_assert!(later > due);
        }

        #[test]
        fn open_time_is_bounded_and_additive(
            cal in calendars(&ZONES),
            mut ts in prop::array::uniform3(T0..T1 - 40 * DAY),
            spread in prop::array::uniform3(0i64..40 * DAY),
        ) {
            for (t, s) in ts.iter_mut().zip(spread) {
                *t += s;
            }
            ts.sort();
            let [a, b, c] = ts;
            let ab = cal.open_between(a, b);
            prop_assert!(0 <= ab && ab <= b - a);
            prop_assert_eq!(cal.open_between(b, a), -ab);
            prop_assert_eq!(cal.open_between(a, c), ab + cal.open_between(b, c));
            let days = cal.days(a, c);
            prop_assert_eq!(days.iter().map(DayTrace::seconds).sum::<i64>(), cal.open_between(a, c));
        }

        #[test]
        fn add_is_the_latest_instant_within_the_limit(
            cal in calendars(&ZONES),
            a in T0..T1,
            d in prop_oneof![0i64..4 * H, 0i64..400 * H, Just(0i64)],
        ) {
            let t = cal.add(a, d);
            prop_assert!(t != i64::MAX);
            prop_assert!(t >= a);
            prop_assert_eq!(cal.open_between(a, t), d);
            prop_assert!(cal.open_between(a, t + 1) > d);
            prop_assert_eq!(cal.deadline(a, Within::Span(d)), t);
            let next = cal.next_open(a).unwrap();
            prop_assert!(cal.is_open(next));
            prop_assert_eq!(cal.open_between(a, next), 0);
        }

        #[test]
        fn week_skipping_matches_day_by_day(
            cal in calendars(&ZONES),
            a in T0..T1,
            len in 0i64..(T1 - T0),
        ) {
            let b = a + len;
            prop_assert_eq!(cal.between(a, b, true), cal.between(a, b, false));
        }

        #[test]
        fn utc_agrees_with_a_minute_by_minute_count(
            (cal, raw) in calendars_with_raw(&[Tz::UTC]),
            a in (T0 / 60)..(T1 / 60),
            len in 0i64..(10 * DAY / 60),
            near: Option<(prop::sample::Index, u16)>,
        ) {
            // A random start rarely meets one of a few holidays or overrides in three years;
            // often start up to two days before one of them instead.
            let special: Vec<NaiveDate> = raw
                .holidays
                .iter()
                .filter_map(|h| match *h {
                    Holiday::Date(d) => Some(d),
                    Holiday::Yearly { month, day } => NaiveDate::from_ymd_opt(2024, month, day),
                })
                .chain(raw.overrides.keys().copied())
                .collect();
            let a = match near {
                Some((i, back)) if !special.is_empty() => {
                    let d = *i.get(&special);
                    d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() / 60
                        - i64::from(back % 2880)
                }
                _ => a,
            };
            let (a, b) = (a * 60, (a + len) * 60);
            prop_assert_eq!(cal.open_between(a, b), minute_oracle(&raw, a, b));
        }

        #[test]
        fn business_day_deadlines_close_open_days(
            cal in calendars(&ZONES),
            a in T0..T1,
            n in 0u32..8,
        ) {
            let d0 = cal.deadline(a, Within::BusinessDays(n));
            let d1 = cal.deadline(a, Within::BusinessDays(n + 1));
            prop_assert!(d0 < d1 && d0 >= a);
            prop_assert!(cal.is_open(d0));
            // Counted another way: the dates with open time after `a`, from the trace.
            let open_days: Vec<DayTrace> = cal
                .days(a, a + 200 * DAY)
                .into_iter()
                .filter(|d| !d.windows.is_empty())
                .collect();
            prop_assume!(open_days.len() > n as usize);
            let close = open_days[n as usize].windows.last().unwrap().close;
            prop_assert_eq!(d0, close - 1);
            prop_assert_eq!(cal.deadline(a, Within::SameDay), cal.deadline(a, Within::BusinessDays(0)));
        }
    }

    #[test]
    fn a_time_of_day_on_the_clock_s_day_with_a_cut_off() {
        let cal = berlin_christmas(); // 09:00-17:00 Mon-Fri; 24 Dec 2024 09:00-13:00; 25/26 off
        let by = |days, hh: u16| Within::ClockTime {
            days,
            minute: hh * 60,
        };
        let due = |start: &str, w| cal.deadline(at(start), w);
        // Before the time on an open day: that day.
        assert_eq!(
            due("2024-12-23T10:00:00+01:00", by(0, 17)),
            at("2024-12-23T17:00:00+01:00")
        );
        // Before opening: still that day.
        assert_eq!(
            due("2024-12-23T07:00:00+01:00", by(0, 17)),
            at("2024-12-23T17:00:00+01:00")
        );
        // A closed day: the next open day.
        assert_eq!(
            due("2024-12-21T10:00:00+01:00", by(0, 17)),
            at("2024-12-23T17:00:00+01:00")
        );
        // At the time itself: the next open day, whose early close does not clip the time.
        assert_eq!(
            due("2024-12-23T17:00:00+01:00", by(0, 17)),
            at("2024-12-24T17:00:00+01:00")
        );
        assert_eq!(
            due("2024-12-23T16:59:59+01:00", by(0, 17)),
            at("2024-12-23T17:00:00+01:00")
        );
        // After the eve's close: over the two holidays and the weekend... to Friday the 27th.
        assert_eq!(
            due("2024-12-24T14:00:00+01:00", by(0, 17)),
            at("2024-12-27T17:00:00+01:00")
        );
        // Past 16:00 on Monday: Tuesday is the clock's day, Friday the next open day.
        let (d, day, cut) = cal.by_time_of_day(at("2024-12-23T16:30:00+01:00"), 1, 960);
        assert_eq!(
            (d, day, cut),
            (at("2024-12-27T16:00:00+01:00"), date("2024-12-24"), true)
        );
        assert_eq!(
            due("2024-12-23T15:30:00+01:00", by(1, 16)),
            at("2024-12-24T16:00:00+01:00")
        );
        // Two open days after Monday: Tuesday, then Friday.
        assert_eq!(
            due("2024-12-23T10:00:00+01:00", by(2, 12)),
            at("2024-12-27T12:00:00+01:00")
        );
        // Night shifts (22:00-06:00 Mon-Fri): a clock at Tuesday 00:30 is in Monday's span,
        // past Monday's 00:00 and past Tuesday's too: its day is Wednesday.
        let nights = berlin_nights();
        let (d, day, cut) = nights.by_time_of_day(at("2024-06-04T00:30:00+02:00"), 0, 0);
        assert_eq!(
            (d, day, cut),
            (at("2024-06-05T00:00:00+02:00"), date("2024-06-05"), true)
        );
    }

    #[test]
    fn a_time_of_day_round_the_clock_and_across_clock_changes() {
        let cal = Calendar::always(Tz::Europe__Berlin);
        let w = |days, minute| Within::ClockTime { days, minute };
        // Every date is open: a Saturday evening past 17:00 is due on Sunday.
        let (d, day, cut) = cal.by_time_of_day(at("2024-12-21T18:00:00+01:00"), 0, 1020);
        assert_eq!(
            (d, day, cut),
            (at("2024-12-22T17:00:00+01:00"), date("2024-12-22"), true)
        );
        assert_eq!(
            cal.deadline(at("2024-12-21T18:00:00+01:00"), w(2, 1020)),
            at("2024-12-24T17:00:00+01:00")
        );
        // 02:30 does not exist on 2026-03-29: the deadline is the change, 03:00 CEST.
        assert_eq!(
            cal.deadline(at("2026-03-29T00:00:00Z"), w(0, 150)),
            at("2026-03-29T01:00:00Z")
        );
        // 02:30 happens twice on 2026-10-25: the later one, as for a closing time.
        assert_eq!(
            cal.deadline(at("2026-10-25T00:00:00Z"), w(0, 150)),
            at("2026-10-25T01:30:00Z")
        );
        // Business calendars follow the same rule.
        let cal = berlin_all_day();
        assert_eq!(
            cal.deadline(at("2026-03-29T00:00:00Z"), w(0, 150)),
            at("2026-03-29T01:00:00Z")
        );
    }
}
