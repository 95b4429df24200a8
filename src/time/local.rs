//! Local wall-clock times that a clock change skips (a spring-forward gap) or repeats (a
//! fall-back fold): the one home of both rules, side by side, because they serve two different
//! uses and must differ.
//!
//! - A **log's time stamp** in a gap (`02:30` on a night the clocks jump from 02:00 to 03:00)
//!   was most likely written by a clock that was not changed yet: it is read with the offset in
//!   force before the change, so it becomes 03:30 of the new offset, the instant an unchanged
//!   clock would have shown 02:30 ([`stamp_to_utc`]). A repeated time is the first of the two.
//! - A **calendar boundary** in a gap (office hours "02:00-03:00", a day that opens at 02:30)
//!   is a rule about the wall clock: it takes effect at the transition, the first instant whose
//!   local time is at or after it, so an opening is never moved an hour late
//!   ([`boundary_to_utc`]). A repeated boundary is the earlier or the later instant, as the
//!   caller asks (an opening the earlier, a closing the later, so no open time is lost).
//!
//! Knows nothing of logs or calendars beyond these two rules.

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// The instant of a log's local time stamp (see the module's doc).
pub fn stamp_to_utc(naive: NaiveDateTime, tz: Tz) -> i64 {
    if tz == Tz::UTC {
        return naive.and_utc().timestamp();
    }
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(dt) => dt.timestamp(),
        LocalResult::Ambiguous(first, _) => first.timestamp(),
        LocalResult::None => {
            // No transition lies within 12 hours of another, so the offset 12 hours earlier is
            // the offset in force just before the gap.
            let before = naive - chrono::Duration::hours(12);
            let offset = tz.offset_from_utc_datetime(&before).fix();
            naive.and_utc().timestamp() - i64::from(offset.local_minus_utc())
        }
    }
}

/// The instant of a calendar boundary at local time `local` (see the module's doc): a time in
/// a gap becomes the transition instant; a repeated time the later instant when `late`, else
/// the earlier.
pub fn boundary_to_utc(tz: Tz, local: NaiveDateTime, late: bool) -> i64 {
    if tz == Tz::UTC {
        return local.and_utc().timestamp();
    }
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.timestamp(),
        LocalResult::Ambiguous(early, later) => if late { later } else { early }.timestamp(),
        LocalResult::None => {
            // Local time jumps forward past `local` at the transition; find that instant. No zone
            // has two transitions within 16 hours, so local time rises across this range.
            let n = local.and_utc().timestamp();
            let (mut lo, mut hi) = (n - 16 * 3600, n + 16 * 3600);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if local_time(tz, mid) > local {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            hi
        }
    }
}

/// The local wall-clock time of instant `t`.
pub fn local_time(tz: Tz, t: i64) -> NaiveDateTime {
    DateTime::from_timestamp(t, 0)
        .map(|u| u.with_timezone(&tz).naive_local())
        .unwrap_or(NaiveDateTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(t: i64) -> String {
        DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%dT%H:%MZ")
            .to_string()
    }

    #[test]
    fn the_two_rules_differ_in_a_gap_and_agree_elsewhere() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00Z).
        let gap = at("2026-03-29 02:30");
        // A stamp keeps the offset before the change: 02:30 +01:00 = 01:30Z (03:30 CEST).
        assert_eq!(utc(stamp_to_utc(gap, tz)), "2026-03-29T01:30Z");
        // A boundary takes effect at the transition, 03:00 CEST = 01:00Z.
        assert_eq!(utc(boundary_to_utc(tz, gap, false)), "2026-03-29T01:00Z");
        // A repeated time (2026-10-25 02:30 happens at 00:30Z and 01:30Z).
        let fold = at("2026-10-25 02:30");
        assert_eq!(utc(stamp_to_utc(fold, tz)), "2026-10-25T00:30Z");
        assert_eq!(utc(boundary_to_utc(tz, fold, false)), "2026-10-25T00:30Z");
        assert_eq!(utc(boundary_to_utc(tz, fold, true)), "2026-10-25T01:30Z");
        let plain = at("2026-06-01 09:00");
        assert_eq!(stamp_to_utc(plain, tz), boundary_to_utc(tz, plain, true));
    }
}
