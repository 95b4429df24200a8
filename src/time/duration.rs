//! Time limits as written in standards files ("45s", "1h30m", "same day", "2 business days"):
//! text -> limit.
//! Knows nothing of calendars; a calendar decides what a limit means in business time.

use std::fmt;

/// Accepted forms, for error messages.
pub const FORMS: &str =
    "a duration such as \"45s\", \"10m\", \"4h\", \"1h30m\", \"2d\" or \"1w\" (units w, d, h, m, s, \
     largest first), \"same day\", \"1 business day\" or \"N business days\", or a time of day on \
     such a day: \"same day by 17:00\", \"next business day by 16:00\" or \"N business days by \
     HH:MM\" (HH:MM from 00:00 to 23:59)";

/// How long a case may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within {
    /// A fixed amount of (calendar) time in seconds.
    Span(i64),
    /// Before the close of the calendar day on which the clock started; the same as
    /// `BusinessDays(0)`.
    SameDay,
    /// Before the close of the nth open day after the one on which the clock started.
    BusinessDays(u32),
    /// By a time of day (`minute` after local midnight, the calendar's zone) on the nth open
    /// day after the clock's day ("same day by 17:00" is n = 0, "next business day by 16:00"
    /// n = 1). The clock's day is the one "same day" picks, or the open day after it when the
    /// clock starts at or after that day's `minute` (a cut-off: a request that comes after it
    /// counts as received on the next open day). See [`crate::time::calendar::Calendar::deadline`].
    ClockTime { days: u32, minute: u16 },
}

impl Within {
    pub fn parse(text: &str) -> Result<Within, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("same day") {
            return Ok(Within::SameDay);
        }
        if let Some(n) = parse_business_days(t) {
            return Ok(Within::BusinessDays(n));
        }
        if let Some(by) = clock_time(t) {
            return by.map_err(|why| format!("{text:?}: {why}; expected {FORMS}"));
        }
        parse_span(t)
            .map(Within::Span)
            .ok_or_else(|| format!("{text:?} is not a duration; expected {FORMS}"))
    }

    /// Seconds for a fixed span; `None` for limits whose length depends on the day.
    pub fn seconds(self) -> Option<i64> {
        match self {
            Within::Span(s) => Some(s),
            Within::SameDay | Within::BusinessDays(_) | Within::ClockTime { .. } => None,
        }
    }
}

impl fmt::Display for Within {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Within::Span(s) => f.write_str(&human(*s)),
            Within::SameDay => f.write_str("same day"),
            Within::BusinessDays(1) => f.write_str("1 business day"),
            Within::BusinessDays(n) => write!(f, "{n} business days"),
            Within::ClockTime { days, minute } => {
                match days {
                    0 => f.write_str("same day")?,
                    1 => f.write_str("next business day")?,
                    n => write!(f, "{n} business days")?,
                }
                write!(f, " by {:02}:{:02}", minute / 60, minute % 60)
            }
        }
    }
}

/// True when `text` is a span written with a day or week unit ("2d", "1w", "1d12h"). On a
/// business calendar such a span could mean open days rather than hours of open time, while the
/// same length in hours ("48h") cannot, so the written form matters, not just the seconds.
pub fn uses_day_units(text: &str) -> bool {
    let t = text.trim();
    parse_span(t).is_some()
        && t.bytes()
            .any(|b| matches!(b.to_ascii_lowercase(), b'd' | b'w'))
}

/// "N business days" / "1 business day", any case, any spacing; singular and plural are both
/// taken for any N because people write "2 business day" and mean it.
fn parse_business_days(t: &str) -> Option<u32> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n = t[..digits].parse().ok()?;
    let mut words = t[digits..].split_whitespace();
    let business = words.next()?.eq_ignore_ascii_case("business");
    let day = words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("day") || w.eq_ignore_ascii_case("days"));
    (business && day && words.next().is_none()).then_some(n)
}

/// A limit with a time of day: `Some(Ok)` for "same day by HH:MM", "next business day by
/// HH:MM" and "N business day(s) by HH:MM" (any case and spacing); `Some(Err(why))` for text
/// that is meant as one (it has a word "by") but is not; `None` for anything else.
fn clock_time(t: &str) -> Option<Result<Within, String>> {
    let lower = t.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "by")?;
    let (day, time) = (&words[..at], &words[at + 1..]);
    let days = match day {
        [] => return Some(Err("names no day before \"by\"".to_string())),
        ["same", "day"] => Some(0),
        ["next", "business", "day"] => Some(1),
        _ => parse_business_days(&day.join(" ")),
    };
    let Some(days) = days else {
        return Some(Err(format!(
            "{:?} is not a day (\"same day\", \"next business day\" or \"N business days\")",
            day.join(" ")
        )));
    };
    let minute = match time {
        [] => return Some(Err("names no time of day after \"by\"".to_string())),
        [hm] => parse_time_of_day(hm),
        _ => None,
    };
    Some(match minute {
        Some(minute) => Ok(Within::ClockTime { days, minute }),
        None => Err(format!(
            "{:?} is not a time of day (HH:MM from 00:00 to 23:59)",
            time.join(" ")
        )),
    })
}

/// "HH:MM" (or "H:MM") from 00:00 to 23:59, as minutes after midnight.
fn parse_time_of_day(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    let number = |x: &str, max: u16| {
        x.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| x.parse::<u16>().ok())
            .flatten()
            .filter(|&v| v <= max)
    };
    if !(1..=2).contains(&h.len()) || m.len() != 2 {
        return None;
    }
    Some(number(h, 23)? * 60 + number(m, 59)?)
}

fn parse_span(t: &str) -> Option<i64> {
    const UNITS: [(u8, i64); 5] = [
        (b'w', 604_800),
        (b'd', 86_400),
        (b'h', 3_600),
        (b'm', 60),
        (b's', 1),
    ];
    let bytes = t.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    let mut next_unit = 0; // index into UNITS: units must come largest first, each at most once
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i == bytes.len() {
            return None;
        }
        let n: i64 = t[start..i].parse().ok()?;
        let unit = bytes[i].to_ascii_lowercase();
        let pos = UNITS[next_unit..].iter().position(|(u, _)| *u == unit)? + next_unit;
        total = total.checked_add(n.checked_mul(UNITS[pos].1)?)?;
        next_unit = pos + 1;
        i += 1;
    }
    Some(total)
}

/// A duration for people: "45s", "6m12s", "2h01m", "3d4h". Negative values get a minus sign.
pub fn human(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    let body = if d > 0 {
        // Days and hours, to the nearest hour: 24h58m reads "1d1h", not "1d".
        let hours = (s + 1_800) / 3_600;
        let (d, h) = (hours / 24, hours % 24);
        if h > 0 {
            format!("{d}d{h}h")
        } else {
            format!("{d}d")
        }
    } else if h > 0 {
        format!("{h}h{m:02}m")
    } else if m > 0 {
        if sec > 0 {
            format!("{m}m{sec:02}s")
        } else {
            format!("{m}m")
        }
    } else {
        format!("{sec}s")
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        for (text, secs) in [
            ("45s", 45),
            ("10m", 600),
            ("4h", 14_400),
            ("1h30m", 5_400),
            ("2d", 172_800),
            ("1w", 604_800),
            ("1d2h3m4s", 93_784),
            ("0s", 0),
            (" 10M ", 600),
        ] {
            assert_eq!(Within::parse(text), Ok(Within::Span(secs)), "{text}");
        }
        assert_eq!(Within::parse("Same Day"), Ok(Within::SameDay));
        for (text, n) in [
            ("1 business day", 1),
            ("2 business days", 2),
            ("0 business days", 0),
            ("  10   Business\tDAYS ", 10),
            ("3business days", 3),
        ] {
            assert_eq!(Within::parse(text), Ok(Within::BusinessDays(n)), "{text}");
        }
    }

    #[test]
    fn business_days_display_round_trips() {
        for w in [
            Within::BusinessDays(0),
            Within::BusinessDays(1),
            Within::BusinessDays(5),
            Within::SameDay,
        ] {
            assert_eq!(Within::parse(&w.to_string()), Ok(w));
        }
        assert_eq!(Within::BusinessDays(1).to_string(), "1 business day");
        assert_eq!(Within::BusinessDays(3).to_string(), "3 business days");
        assert_eq!(Within::BusinessDays(3).seconds(), None);
    }

    #[test]
    fn rejected_forms() {
        for text in [
            "",
            "10",
            "m",
            "1.5h",
            "30m1h",
            "1h1h",
            "10 m",
            "-5m",
            "10x",
            "99999999999999999w",
            "business days",
            "2 business",
            "2 working days",
            "2 business days ago",
            "-1 business days",
            "99999999999 business days",
        ] {
            let err = Within::parse(text).unwrap_err();
            assert!(err.contains("expected a duration such as"), "{text}: {err}");
        }
    }

    #[test]
    fn clock_time_forms() {
        for (text, days, minute) in [
            ("same day by 17:00", 0, 1020),
            ("Same Day  by 9:05", 0, 545),
            ("next business day by 16:00", 1, 960),
            ("1 business day by 00:00", 1, 0),
            ("3 business days by 23:59", 3, 1439),
            ("0 business days by 12:30", 0, 750),
        ] {
            assert_eq!(
                Within::parse(text),
                Ok(Within::ClockTime { days, minute }),
                "{text}"
            );
        }
        let w = Within::ClockTime {
            days: 2,
            minute: 545,
        };
        assert_eq!(w.to_string(), "2 business days by 09:05");
        assert_eq!(Within::parse(&w.to_string()), Ok(w));
        assert_eq!(w.seconds(), None);
        assert_eq!(
            Within::ClockTime {
                days: 1,
                minute: 960
            }
            .to_string(),
            "next business day by 16:00"
        );
    }

    #[test]
    fn bad_clock_times_say_why_and_list_the_forms() {
        let forms = format!("; expected {FORMS}");
        for (text, why) in [
            ("same day by 25:00", "\"25:00\" is not a time of day (HH:MM from 00:00 to 23:59)"),
            ("same day by 17:60", "\"17:60\" is not a time of day (HH:MM from 00:00 to 23:59)"),
            ("same day by 5pm", "\"5pm\" is not a time of day (HH:MM from 00:00 to 23:59)"),
            ("same day by 17:0", "\"17:0\" is not a time of day (HH:MM from 00:00 to 23:59)"),
            ("same day by 17:00 sharp", "\"17:00 sharp\" is not a time of day (HH:MM from 00:00 to 23:59)"),
            ("same day by", "names no time of day after \"by\""),
            ("by 17:00", "names no day before \"by\""),
            ("tomorrow by 17:00", "\"tomorrow\" is not a day (\"same day\", \"next business day\" or \"N business days\")"),
        ] {
            assert_eq!(
                Within::parse(text),
                Err(format!("{text:?}: {why}{forms}")),
                "{text}"
            );
        }
        assert!(FORMS.ends_with(
            "or a time of day on such a day: \"same day by 17:00\", \"next business day by \
             16:00\" or \"N business days by HH:MM\" (HH:MM from 00:00 to 23:59)"
        ));
    }

    #[test]
    fn day_units() {
        for (text, days) in [
            ("2d", true),
            (" 1W ", true),
            ("1d12h", true),
            ("48h", false),
            ("90m", false),
            ("same day", false),
            ("2 business days", false),
            ("nonsense d", false),
        ] {
            assert_eq!(uses_day_units(text), days, "{text}");
        }
    }

    #[test]
    fn human_units() {
        assert_eq!(human(45), "45s");
        assert_eq!(human(600), "10m");
        assert_eq!(human(372), "6m12s");
        assert_eq!(human(7_260), "2h01m");
        assert_eq!(human(273_600), "3d4h");
        assert_eq!(human(-86_400), "-1d");
        assert_eq!(human(89_880), "1d1h"); // 24h58m: rounded, never cut to "1d"
        assert_eq!(human(88_199), "1d"); // 24h29m59s rounds down
    }
}
