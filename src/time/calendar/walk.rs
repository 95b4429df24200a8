//! From local dates and minutes to instants (the calendar-boundary rule of `time::local`,
//! clamped to the years business time works in), and the walk over a calendar's windows in
//! time order with overlaps counted once. Knows a `Calendar`'s days, not limits or deadlines.

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Weekday,
};
use chrono_tz::Tz;

use super::{Calendar, DAY, MAX_INSTANT, MINUTES_PER_DAY, MIN_INSTANT};

pub(super) fn clamp(t: i64) -> i64 {
    t.clamp(MIN_INSTANT, MAX_INSTANT)
}

/// Local wall-clock time `minute` minutes after `date`'s midnight; 1440 is the next midnight.
pub(super) fn at_minute(date: NaiveDate, minute: u16) -> NaiveDateTime {
    if minute >= MINUTES_PER_DAY {
        return (date + Days::new(1)).and_time(NaiveTime::MIN);
    }
    let t = NaiveTime::from_hms_opt(u32::from(minute / 60), u32::from(minute % 60), 0)
        .expect("minute < 1440");
    date.and_time(t)
}

/// The instant of a calendar boundary at local time `local`; see
/// [`local::boundary_to_utc`], the rule's home.
pub(super) fn resolve(tz: Tz, local: NaiveDateTime, late: bool) -> i64 {
    crate::time::local::boundary_to_utc(tz, local, late)
}

pub(super) fn offset_at(tz: Tz, t: i64) -> i32 {
    DateTime::from_timestamp(t, 0).map_or(0, |u| {
        tz.offset_from_utc_datetime(&u.naive_utc())
            .fix()
            .local_minus_utc()
    })
}

/// Walks a calendar's windows date by date, in time order, each window cut to start no earlier
/// than the latest close before it so that overlaps made by daylight saving count once.
pub(super) struct Walk<'a> {
    pub(super) cal: &'a Calendar,
    /// The next date to visit.
    pub(super) date: NaiveDate,
    /// The latest close seen so far.
    pub(super) reach: i64,
}

impl<'a> Walk<'a> {
    pub(super) fn new(cal: &'a Calendar, date: NaiveDate) -> Walk<'a> {
        let mut walk = Walk {
            cal,
            date: date - Days::new(2),
            reach: i64::MIN,
        };
        walk.next_day();
        walk.next_day();
        walk
    }

    /// The non-empty windows of the next date, then moves on.
    pub(super) fn next_day(&mut self) -> (NaiveDate, Vec<(i64, i64)>) {
        let date = self.date;
        let mut out = self.cal.raw_windows(date);
        out.retain_mut(|(s, e)| {
            *s = (*s).max(self.reach);
            if *e <= *s {
                return false;
            }
            self.reach = *e;
            true
        });
        self.date = date + Days::new(1);
        (date, out)
    }

    /// When the walk stands on a Monday whose week is plain (no holiday, override or offset
    /// change near it) and lies wholly within `[lo, hi]`, steps over it and returns its open
    /// seconds.
    pub(super) fn skip_week(&mut self, lo: i64, hi: i64) -> Option<i64> {
        let monday = self.date;
        if monday.weekday() != Weekday::Mon {
            return None;
        }
        // The week's windows lie between local Monday 00:00 and the following Tuesday 00:00;
        // offsets stay within a day of UTC.
        let first = utc_midnight(monday) - DAY;
        let last = utc_midnight(monday) + 9 * DAY;
        if first < lo || last > hi {
            return None;
        }
        let sched = &self.cal.schedule;
        if !sched.plain(monday - Days::new(1), monday + Days::new(7)) {
            return None;
        }
        let tz = self.cal.tz;
        if tz != Tz::UTC {
            let o = offset_at(tz, first);
            if offset_at(tz, first + 5 * DAY) != o || offset_at(tz, last) != o {
                return None;
            }
        }
        // Visit Sunday for real: its windows set `reach` for the week after.
        self.date = monday + Days::new(6);
        self.next_day();
        Some(sched.weekly_seconds)
    }
}

pub(super) fn utc_midnight(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp()
}
