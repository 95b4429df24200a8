//! Timestamps in logs and on the command line: text -> instant (seconds since the Unix epoch).
//! Owns the accepted forms and the rule for local times around daylight-saving changes; knows
//! nothing of CSV, standards or calendars.

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;

/// The forms accepted without a `time_format`, for error messages.
pub const AUTO_FORMS: &str = "RFC 3339 (2026-11-16T09:03:12Z, 2026-11-16T11:03:12+02:00), \
     \"YYYY-MM-DD HH:MM[:SS]\" or \"YYYY-MM-DDTHH:MM[:SS]\" (local time, optional fraction), \
     or a date \"YYYY-MM-DD\"";

/// How a source writes its times.
#[derive(Debug, Clone)]
pub enum TimeFormat {
    /// RFC 3339, ISO local date-times and dates (see [`AUTO_FORMS`]).
    Auto,
    /// A chrono strftime pattern.
    Pattern {
        pattern: String,
        has_offset: bool,
        has_time: bool,
    },
    /// Several patterns, tried in order (an export that changed its format over time, or two
    /// exports of one system).
    Any(Vec<TimeFormat>),
    /// Milliseconds since the Unix epoch, written `"%s%3f"`: chrono's `%s` reads every digit
    /// as seconds, so the pattern cannot be handed to chrono.
    EpochMillis,
}

/// The `time_format` spelling of [`TimeFormat::EpochMillis`].
pub const EPOCH_MILLIS: &str = "%s%3f";

impl TimeFormat {
    /// Validates a strftime pattern; the error says what is wrong in words.
    pub fn pattern(pattern: &str) -> Result<TimeFormat, String> {
        if pattern == EPOCH_MILLIS {
            return Ok(TimeFormat::EpochMillis);
        }
        if StrftimeItems::new(pattern).any(|item| matches!(item, Item::Error)) {
            return Err(format!(
                "time_format {pattern:?} is not a valid strftime pattern \
                 (for example \"%d/%m/%Y %H:%M\" or \"%a %b %d %H:%M:%S %z %Y\")"
            ));
        }
        let has = |specs: &[&str]| specs.iter().any(|s| pattern.contains(s));
        let has_date = has(&["%Y", "%y", "%d", "%e", "%F", "%D", "%x", "%c", "%s", "%j"]);
        if !has_date {
            return Err(format!(
                "time_format {pattern:?} has no date in it (use %Y, %m, %d, %F, ...)"
            ));
        }
        Ok(TimeFormat::Pattern {
            pattern: pattern.to_string(),
            has_offset: has(&["%z", "%:z", "%::z", "%#z", "%s"]),
            has_time: has(&[
                "%H", "%k", "%I", "%l", "%M", "%S", "%T", "%R", "%X", "%c", "%s",
            ]),
        })
    }

    /// Several patterns, tried in order; one pattern stays itself.
    pub fn patterns(patterns: &[String]) -> Result<TimeFormat, String> {
        let mut list = patterns
            .iter()
            .map(|p| TimeFormat::pattern(p))
            .collect::<Result<Vec<_>, _>>()?;
        match list.len() {
            0 => Err("time_format is an empty list; give one pattern or more".into()),
            1 => Ok(list.remove(0)),
            _ => Ok(TimeFormat::Any(list)),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            TimeFormat::Auto => AUTO_FORMS.to_string(),
            TimeFormat::Pattern { pattern, .. } => format!("time_format {pattern:?}"),
            TimeFormat::EpochMillis => {
                format!("time_format {EPOCH_MILLIS:?} (milliseconds since 1970-01-01T00:00:00Z)")
            }
            TimeFormat::Any(list) => {
                let p: Vec<String> = list
                    .iter()
                    .filter_map(|f| match f {
                        TimeFormat::Pattern { pattern, .. } => Some(format!("{pattern:?}")),
                        TimeFormat::EpochMillis => Some(format!("{EPOCH_MILLIS:?}")),
                        TimeFormat::Auto | TimeFormat::Any(_) => None,
                    })
                    .collect();
                format!("one of time_format [{}]", p.join(", "))
            }
        }
    }
}

/// An instant read from text; `date_only` when the text had no time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Seconds since 1970-01-01T00:00:00Z; fractions of a second are dropped.
    pub secs: i64,
    pub date_only: bool,
}

/// Parses one timestamp. Times without an offset are local times in `tz`.
pub fn parse(text: &[u8], format: &TimeFormat, tz: Tz) -> Option<Stamp> {
    let text = text.trim_ascii();
    match format {
        TimeFormat::Auto => parse_auto(text, tz),
        TimeFormat::Any(list) => list.iter().find_map(|f| parse(text, f, tz)),
        TimeFormat::EpochMillis => {
            let (sign, digits_part) = match text.split_first() {
                Some((b'-', rest)) => (-1, rest),
                _ => (1, text),
            };
            // At most 18 digits, so the number fits an i64.
            if digits_part.is_empty()
                || digits_part.len() > 18
                || !digits_part.iter().all(u8::is_ascii_digit)
            {
                return None;
            }
            let ms = sign * std::str::from_utf8(digits_part).ok()?.parse::<i64>().ok()?;
            Some(Stamp {
                secs: ms.div_euclid(1000),
                date_only: false,
            })
        }
        TimeFormat::Pattern {
            pattern,
            has_offset,
            has_time,
        } => {
            let text = std::str::from_utf8(text).ok()?;
            if *has_offset {
                let dt = DateTime::parse_from_str(text, pattern).ok()?;
                Some(Stamp {
                    secs: dt.timestamp(),
                    date_only: false,
                })
            } else if *has_time {
                let naive = NaiveDateTime::parse_from_str(text, pattern).ok()?;
                Some(Stamp {
                    secs: local_to_utc(naive, tz),
                    date_only: false,
                })
            } else {
                let date = NaiveDate::parse_from_str(text, pattern).ok()?;
                Some(Stamp {
                    secs: local_to_utc(date.and_time(NaiveTime::MIN), tz),
                    date_only: true,
                })
            }
        }
    }
}

/// The instant of a log's local time stamp; see [`local::stamp_to_utc`], the rule's home.
pub fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> i64 {
    super::local::stamp_to_utc(naive, tz)
}

fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0')),
    )
}

thread_local! {
    /// The last date built on this thread: a log's rows mostly share their day with the row
    /// before, and checking a calendar date costs more than the rest of the parse.
    static LAST_DATE: std::cell::Cell<(u32, Option<(NaiveDate, i64)>)> =
        const { std::cell::Cell::new((0, None)) };
}

/// `NaiveDate::from_ymd_opt` with the UTC instant the date starts at, remembering the last
/// answer.
fn date_of(y: i32, m: u32, d: u32) -> Option<(NaiveDate, i64)> {
    // Four-digit years, so the key is unique (and never 0 for a real date).
    let key = y as u32 * 10_000 + m * 100 + d;
    LAST_DATE.with(|last| {
        let (k, date) = last.get();
        if k == key {
            return date;
        }
        let date = NaiveDate::from_ymd_opt(y, m, d)
            .map(|date| (date, date.and_time(NaiveTime::MIN).and_utc().timestamp()));
        last.set((key, date));
        date
    })
}

/// RFC 3339 and ISO 8601 forms without going through `String`: this runs once per row.
fn parse_auto(s: &[u8], tz: Tz) -> Option<Stamp> {
    if s.len() < 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let (date, day_start) = date_of(
        digits(&s[0..4])? as i32,
        digits(&s[5..7])?,
        digits(&s[8..10])?,
    )?;
    if s.len() == 10 {
        return Some(Stamp {
            secs: local_to_utc(date.and_time(NaiveTime::MIN), tz),
            date_only: true,
        });
    }
    if !(s[10] == b'T' || s[10] == b't' || s[10] == b' ') || s.len() < 16 || s[13] != b':' {
        return None;
    }
    let hour = digits(&s[11..13])?;
    let minute = digits(&s[14..16])?;
    let mut rest = &s[16..];
    let mut second = 0;
    if rest.first() == Some(&b':') {
        second = digits(rest.get(1..3)?)?;
        rest = &rest[3..];
        if let Some(b'.' | b',') = rest.first() {
            let n = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            rest = &rest[1 + n..];
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // A leap second (:60) is read as the last second of its minute.
    let second = second.min(59);
    let offset: Option<i64> = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [b' ', b'U', b'T', b'C'] | [b' ', b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (h, m) = match tail {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                }
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i64::from(h * 3600 + m * 60);
            Some(if *sign == b'-' { -secs } else { secs })
        }
        _ => return None,
    };
    let secs = match offset {
        // The day's start is remembered, so this is arithmetic (it runs once per row).
        Some(offset) => day_start + i64::from(hour * 3600 + minute * 60 + second) - offset,
        None => local_to_utc(date.and_hms_opt(hour, minute, second)?, tz),
    };
    Some(Stamp {
        secs,
        date_only: false,
    })
}

/// Which order a numeric date writes its day and month in, as far as one value can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// The first field is above 12 (`29/02/2016`).
    DayFirst,
    /// The second field is above 12 (`02/29/2016`).
    MonthFirst,
    /// Both fields are 12 or less (`03/04/2016`): either reading is a date.
    Either,
}

/// The order of a `DD/MM/YYYY`, `MM/DD/YYYY` (or `.` or `-` separated) value, from its first
/// two fields; `None` for any other value (ISO dates, which start with the year, names of
/// months, epoch numbers).
pub fn date_order(value: &str) -> Option<DateOrder> {
    let mut fields = value.trim().splitn(3, ['/', '.', '-']);
    let field = |f: Option<&str>| {
        f.filter(|f| (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|f| f.parse::<u32>().ok())
    };
    let (a, b) = (field(fields.next())?, field(fields.next())?);
    // The third field starts with the year: two or four digits.
    fields.next()?.bytes().next().filter(u8::is_ascii_digit)?;
    Some(match (a > 12, b > 12) {
        (true, false) => DateOrder::DayFirst,
        (false, true) => DateOrder::MonthFirst,
        (false, false) => DateOrder::Either,
        // Neither field is a month: not a date at all.
        (true, true) => return None,
    })
}

/// RFC 3339 text of an instant in `tz`, to the second (`2026-11-16T11:03:12+02:00`, or `Z` in UTC).
pub fn rfc3339(secs: i64, tz: Tz) -> String {
    match DateTime::from_timestamp(secs, 0) {
        Some(utc) if tz == Tz::UTC => utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(utc) => utc
            .with_timezone(&tz)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        None => secs.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_order_of_one_value() {
        use DateOrder::*;
        for (v, want) in [
            ("29/2/2016 01:16", Some(DayFirst)),
            ("29-02-2016 01:16", Some(DayFirst)),
            ("02/29/2016 1:16 PM", Some(MonthFirst)),
            ("03/04/2016 10:00", Some(Either)),
            ("3.4.16", Some(Either)),
            ("2016-03-04 10:00:00", None),
            ("12/Mar/24 3:45 PM", None),
            ("13/13/2016", None),
            ("1457049600", None),
            ("", None),
        ] {
            assert_eq!(date_order(v), want, "{v:?}");
        }
    }
    use proptest::prelude::*;

    proptest! {
        /// The hand-made RFC 3339 path agrees with chrono's parser, whatever the date, time
        /// and offset, and whatever date the thread saw before (the remembered day).
        #[test]
        fn rfc3339_agrees_with_chrono(
            days in -40_000i64..60_000,
            secs in 0i64..86_400,
            offset_min in -(14 * 60i64)..=14 * 60,
            before in -40_000i64..60_000,
        ) {
            let text = |d: i64, s: i64, off: i64| {
                let t = chrono::DateTime::from_timestamp(d * 86_400 + s, 0).unwrap().naive_utc();
                let sign = if off < 0 { '-' } else { '+' };
                format!("{}{sign}{:02}:{:02}", t.format("%Y-%m-%dT%H:%M:%S"), off.abs() / 60, off.abs() % 60)
            };
            let _ = auto(&text(before, 0, 0), Tz::UTC);
            let t = text(days, secs, offset_min);
            let want = chrono::DateTime::parse_from_rfc3339(&t).unwrap().timestamp();
            prop_assert_eq!(auto(&t, Tz::UTC).map(|s| s.secs), Some(want), "{}", t);
            let z = text(days, secs, 0).replace("+00:00", "Z");
            prop_assert_eq!(auto(&z, Tz::Europe__Berlin).map(|s| s.secs), Some(days * 86_400 + secs));
        }
    }

    fn auto(s: &str, tz: Tz) -> Option<Stamp> {
        parse(s.as_bytes(), &TimeFormat::Auto, tz)
    }

    fn utc(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn rfc3339_forms() {
        let want = utc("2026-11-16T09:03:12Z");
        for text in [
            "2026-11-16T09:03:12Z",
            "2026-11-16t09:03:12z",
            "2026-11-16T11:03:12+02:00",
            "2026-11-16T11:03:12+0200",
            "2026-11-16T11:03:12+02",
            "2026-11-16T04:03:12.999-05:00",
            " 2026-11-16 09:03:12Z ",
        ] {
            assert_eq!(
                auto(text, Tz::Europe__Kyiv).map(|s| s.secs),
                Some(want),
                "{text}"
            );
        }
    }

    #[test]
    fn naive_times_are_local_to_the_zone() {
        let s = auto("2026-11-16 11:03:12", Tz::Europe__Kyiv).unwrap();
        assert_eq!(s.secs, utc("2026-11-16T09:03:12Z"));
        assert!(!s.date_only);
        let s = auto("2026-11-16T11:03", Tz::UTC).unwrap();
        assert_eq!(s.secs, utc("2026-11-16T11:03:00Z"));
        let s = auto("2026-11-16", Tz::America__New_York).unwrap();
        assert_eq!(s.secs, utc("2026-11-16T05:00:00Z"));
        assert!(s.date_only);
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for text in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-02-30 10:00",
            "2026-11-16 25:00",
            "2026-11-16 10:00:00 +25:00",
            "16/11/2026",
            "2026-11-16 10",
            "2026-11-16T10:00:00.",
            "2026-11-16T10:00:00 CET",
            "2026-11-16T10:60:00Z",
            "2026-11-16T10:00:61Z",
        ] {
            assert_eq!(auto(text, Tz::UTC), None, "{text}");
        }
        // A leap second is the last second of its minute.
        assert_eq!(
            auto("2026-12-31T23:59:60Z", Tz::UTC),
            auto("2026-12-31T23:59:59Z", Tz::UTC)
        );
    }

    #[test]
    fn daylight_saving_gaps_and_overlaps() {
        // Berlin, 2024-03-31: 02:00 -> 03:00. 02:30 does not exist; read with the winter offset.
        let s = auto("2024-03-31 02:30", Tz::Europe__Berlin).unwrap();
        assert_eq!(s.secs, utc("2024-03-31T01:30:00Z"));
        // Berlin, 2024-10-27: 03:00 -> 02:00. 02:30 happens twice; the first is taken.
        let s = auto("2024-10-27 02:30", Tz::Europe__Berlin).unwrap();
        assert_eq!(s.secs, utc("2024-10-27T00:30:00Z"));
    }

    #[test]
    fn patterns() {
        let f = TimeFormat::pattern("%d/%m/%Y %H:%M").unwrap();
        let s = parse(b"25/12/2013 14:05", &f, Tz::UTC).unwrap();
        assert_eq!(s.secs, utc("2013-12-25T14:05:00Z"));
        let f = TimeFormat::pattern("%a %b %d %H:%M:%S %z %Y").unwrap();
        let s = parse(b"Tue Oct 31 22:10:47 +0000 2017", &f, Tz::Europe__Kyiv).unwrap();
        assert_eq!(s.secs, utc("2017-10-31T22:10:47Z"));
        let f = TimeFormat::pattern("%m/%d/%Y").unwrap();
        let s = parse(b"12/25/2013", &f, Tz::UTC).unwrap();
        assert!(s.date_only);
        let f = TimeFormat::pattern(EPOCH_MILLIS).unwrap();
        let s = parse(b"1700000000999", &f, Tz::Europe__Kyiv).unwrap();
        assert_eq!(s.secs, utc("2023-11-14T22:13:20Z"));
        assert_eq!(parse(b"-1500", &f, Tz::UTC).unwrap().secs, -2);
        assert_eq!(parse(b"17000x", &f, Tz::UTC), None);
        assert!(TimeFormat::pattern("%H:%M").is_err());
        assert!(TimeFormat::pattern("%Q").is_err());
    }

    #[test]
    fn formats_rfc3339_in_zone() {
        let t = utc("2026-11-16T09:03:12Z");
        assert_eq!(rfc3339(t, Tz::UTC), "2026-11-16T09:03:12Z");
        assert_eq!(rfc3339(t, Tz::Europe__Kyiv), "2026-11-16T11:03:12+02:00");
    }
}
