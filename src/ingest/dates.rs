//! Deadline columns that hold dates written as times: an export that writes a promised date
//! as `2018-01-02 00:00:00` means "by the end of 2 January", not "by the midnight that starts
//! it" (Olist's `order_estimated_delivery_date`). A deadline column whose every value is at
//! 00:00:00 local time is read as dates, unless the source lists it in `time_columns` (or
//! already in `date_columns`, which the row parser applies itself).
//!
//! One pass cannot know at a row whether a later row will have a time of day, so each value
//! is stored as written and the column's date-ness is decided at the end of the source: a
//! value at a local midnight then becomes the last second of its day, exactly what a bare
//! date gives. The check costs a time-zone lookup per value only while every value so far
//! has been at midnight; the first other time stops it.

use chrono::{DateTime, NaiveTime};
use chrono_tz::Tz;

use super::SourceData;
use crate::time::stamp::local_to_utc;

/// What has been seen of one deadline column.
#[derive(Debug, Clone, Copy)]
pub(super) struct Column {
    /// Every value so far is at a local midnight or already the end of a day (a bare date);
    /// false also for a column the source reads as dates or times by name.
    pub(super) open: bool,
    /// Values at a local midnight.
    midnights: u64,
}

impl Column {
    /// A column named `name` of `source`'s deadlines.
    pub(super) fn new(name: &str, date_columns: &[String], time_columns: &[String]) -> Column {
        let named = |list: &[String]| list.iter().any(|c| c == name);
        Column {
            open: !named(date_columns) && !named(time_columns),
            midnights: 0,
        }
    }

    /// Notes a value; called only while `open`.
    #[inline]
    pub(super) fn see(&mut self, t: i64, tz: Tz) {
        // The common case first, with one zone lookup: a midnight on a day with no clock
        // change at its start; then a day that starts in a gap.
        if local_seconds(t, tz).is_some_and(|l| l.rem_euclid(86_400) == 0)
            || start_of_day(t, tz) == Some(t)
        {
            self.midnights += 1;
        } else if start_of_day(t + 1, tz) != Some(t + 1) {
            // Neither a midnight nor the last second of a day (a bare date): a time.
            self.open = false;
        }
    }
}

/// `t` as seconds since 1970-01-01T00:00:00 on the wall clock of `tz`.
fn local_seconds(t: i64, tz: Tz) -> Option<i64> {
    use chrono::{Offset, TimeZone};
    let utc = DateTime::from_timestamp(t, 0)?;
    let offset = tz.offset_from_utc_datetime(&utc.naive_utc()).fix();
    Some(t + i64::from(offset.local_minus_utc()))
}

/// The first instant of the local day holding `t` (a day that starts in a clock change's gap
/// starts at the transition, as the parser reads a midnight in the gap).
fn start_of_day(t: i64, tz: Tz) -> Option<i64> {
    let utc = DateTime::from_timestamp(t, 0)?;
    let date = utc.with_timezone(&tz).date_naive();
    Some(local_to_utc(date.and_time(NaiveTime::MIN), tz))
}

/// The first instant of the local day after the one holding `t`.
fn start_of_next_day(t: i64, tz: Tz) -> Option<i64> {
    let utc = DateTime::from_timestamp(t, 0)?;
    let next = utc.with_timezone(&tz).date_naive().succ_opt()?;
    Some(local_to_utc(next.and_time(NaiveTime::MIN), tz))
}

/// Reads as dates the deadline columns whose every value was at a midnight: each such value
/// (in the cases and in the `each` promises) becomes the last second of its day. Returns the
/// columns read so, with how many values they had at midnight, for the note that says so.
pub(super) fn resolve(
    data: &mut SourceData,
    columns: &[Column],
    names: &[String],
    tz: Tz,
) -> Vec<(String, u64)> {
    let stride = data.deadline_columns;
    let mut read = Vec::new();
    for (k, c) in columns.iter().enumerate() {
        if !c.open || c.midnights == 0 {
            continue;
        }
        let end_of_day = |t: i64| match start_of_day(t, tz) {
            Some(s) if s == t => start_of_next_day(t, tz).map_or(t, |n| n - 1),
            _ => t,
        };
        let values = data.deadlines.iter_mut().skip(k).step_by(stride.max(1));
        for t in values.flatten() {
            *t = end_of_day(*t);
        }
        for p in data
            .promises
            .iter_mut()
            .filter(|p| usize::from(p.column) == k)
        {
            if let Some(t) = &mut p.due {
                *t = end_of_day(*t);
            }
        }
        read.push((names[k].clone(), c.midnights));
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_of_midnights_stays_open_and_any_other_time_closes_it() {
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let mut c = Column::new("due", &[], &[]);
        // 2018-01-02 00:00 at -02:00 (summer time) and 2017-10-15 00:00, a day that starts in
        // a gap (clocks went from 00:00 to 01:00): the parser keeps the offset before it.
        for t in [1_514_858_400, 1_508_036_400] {
            c.see(t, sp);
            assert!(c.open, "{t}");
        }
        // The last second of a day (a bare date read as a deadline) is a date too.
        c.see(1_514_858_400 + 86_399, sp);
        assert!(c.open);
        assert_eq!(c.midnights, 2);
        c.see(1_514_858_400 + 3600, sp);
        assert!(!c.open);
        assert!(!Column::new("due", &[], &["due".into()]).open);
        assert!(!Column::new("due", &["due".into()], &[]).open);
    }

    #[test]
    fn resolve_turns_midnights_into_the_end_of_their_day() {
        let mut d = SourceData::new(0, Vec::new());
        d.deadline_columns = 2;
        let midnight = 1_514_858_400; // 2018-01-02T00:00:00-02:00
        let end = midnight + 86_399;
        // Per case: due, at.
        d.deadlines = vec![
            Some(midnight),
            Some(midnight),
            None,
            Some(7),
            Some(end),
            None,
        ];
        let sp: Tz = "America/Sao_Paulo".parse().unwrap();
        let mut open = Column::new("due", &[], &[]);
        open.see(midnight, sp);
        let mut closed = Column::new("at", &[], &[]);
        closed.see(7, sp);
        let names = ["due".to_string(), "at".to_string()];
        let read = resolve(&mut d, &[open, closed], &names, sp);
        assert_eq!(read, [("due".to_string(), 1)]);
        assert_eq!(
            d.deadlines,
            [Some(end), Some(midnight), None, Some(7), Some(end), None]
        );
    }
}
