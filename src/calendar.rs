//! Calendar time: when a limit runs out and how much time lies between two instants on a
//! calendar. Owns day boundaries in a time zone; knows nothing of standards files or logs.

use chrono::{DateTime, Days, NaiveTime};
use chrono_tz::Tz;

use crate::duration::Within;
use crate::timefmt::local_to_utc;

/// A calendar a standard is measured on. `always` runs round the clock in a time zone; the zone
/// matters for "same day" and for reporting.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    pub name: String,
    pub tz: Tz,
}

impl Calendar {
    pub fn always(tz: Tz) -> Calendar {
        Calendar {
            name: "always".to_string(),
            tz,
        }
    }

    /// The last instant (inclusive) at which a clock started at `start` still meets `within`.
    pub fn deadline(&self, start: i64, within: Within) -> i64 {
        match within {
            Within::Span(secs) => start.saturating_add(secs),
            Within::SameDay => self.start_of_next_day(start) - 1,
        }
    }

    /// Time on this calendar from `a` to `b` (negative when `b` is before `a`).
    pub fn elapsed(&self, a: i64, b: i64) -> i64 {
        b - a
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
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
    }
}
