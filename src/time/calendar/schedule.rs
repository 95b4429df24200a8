//! A calendar's hours as a standards file writes them: spans (`HH:MM-HH:MM`, past midnight
//! too), holidays (dated or yearly), dates and weekdays, and the weekly `Schedule` with its
//! overrides, checked for overlaps. Knows local wall-clock minutes and dates, not instants or
//! time zones (those are `Calendar`'s).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::time::names::{short, WEEKDAYS};

use super::MINUTES_PER_DAY;

/// The accepted form of a span, for error messages.
pub const SPAN_FORM: &str = "\"HH:MM-HH:MM\" such as \"09:00-17:00\" (hours 00-24, minutes 00-59, \
     24:00 only as an end; an end before the start runs past midnight, as in \"22:00-06:00\")";

/// The accepted forms of a holiday, for error messages.
pub const HOLIDAY_FORMS: &str =
    "a date \"YYYY-MM-DD\" such as \"2024-12-25\" or a yearly date \"MM-DD\" such as \"12-25\"";

/// Opening hours on one day: from `start` to `end`, local wall-clock time.
///
/// `end` may be `24:00` (the next date's midnight). An end before the start runs past midnight
/// into the next date, and the whole span still belongs to the date it opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    // Minutes after local midnight; start < 1440, end <= 1440, start != end.
    pub(super) start: u16,
    pub(super) end: u16,
}

impl Span {
    /// `"00:00-24:00"`.
    pub const WHOLE_DAY: Span = Span {
        start: 0,
        end: MINUTES_PER_DAY,
    };

    /// A span from minutes after midnight: `start` in 0..1440, `end` in 0..=1440, not equal.
    pub fn new(start: u16, end: u16) -> Result<Span, String> {
        if start >= MINUTES_PER_DAY || end > MINUTES_PER_DAY {
            return Err(format!(
                "a span opens at 00:00-23:59 and closes at 00:00-24:00; got minutes {start} and {end}"
            ));
        }
        if start == end {
            return Err(format!(
                "\"{}-{}\" is empty; a span must close at a different time than it opens \
                 (\"00:00-24:00\" is the whole day)",
                hm(start),
                hm(end)
            ));
        }
        Ok(Span { start, end })
    }

    /// Minutes after local midnight at which the span opens.
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// Minutes after local midnight at which the span closes (1440 for `24:00`; on the next date
    /// when [`Span::crosses_midnight`]).
    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// True when the span closes on the date after the one it opens on.
    pub fn crosses_midnight(self) -> bool {
        self.end < self.start
    }

    /// Length in seconds on a day without a daylight-saving change.
    pub fn seconds(self) -> i64 {
        i64::from(self.close_minute() - u32::from(self.start)) * 60
    }

    /// Minutes after the opening date's midnight at which the span closes (past 1440 when it
    /// runs into the next date).
    pub(super) fn close_minute(self) -> u32 {
        if self.crosses_midnight() {
            u32::from(self.end) + u32::from(MINUTES_PER_DAY)
        } else {
            u32::from(self.end)
        }
    }

    /// Minutes of the next date this span occupies (0 unless it crosses midnight).
    pub(super) fn spill_minutes(self) -> u32 {
        self.close_minute()
            .saturating_sub(u32::from(MINUTES_PER_DAY))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hm(self.start), hm(self.end))
    }
}

pub(super) fn hm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Reads `"HH:MM-HH:MM"` (spaces around the dash allowed). See [`SPAN_FORM`].
pub fn parse_span(text: &str) -> Result<Span, String> {
    let bad = || format!("{text:?} is not a span of opening hours; expected {SPAN_FORM}");
    let (a, b) = text.trim().split_once('-').ok_or_else(bad)?;
    let start = parse_hm(a.trim()).ok_or_else(bad)?;
    let end = parse_hm(b.trim()).ok_or_else(bad)?;
    if start == MINUTES_PER_DAY {
        return Err(format!(
            "{text:?}: 24:00 can only close a span; write 00:00 to open at midnight"
        ));
    }
    if start == end {
        return Err(format!(
            "{text:?} is empty; a span must close at a different time than it opens \
             (\"00:00-24:00\" is the whole day)"
        ));
    }
    Ok(Span { start, end })
}

pub(super) fn parse_hm(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' {
        return None;
    }
    let two = |i: usize| -> Option<u16> {
        let (x, y) = (b[i], b[i + 1]);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| u16::from(x - b'0') * 10 + u16::from(y - b'0'))
    };
    let (h, m) = (two(0)?, two(3)?);
    if h > 24 || m > 59 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// A closed date: one calendar date, or the same month and day every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Holiday {
    Date(NaiveDate),
    /// Every year on this month and day; `02-29` only in leap years.
    Yearly {
        month: u32,
        day: u32,
    },
}

impl fmt::Display for Holiday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Holiday::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Holiday::Yearly { month, day } => write!(f, "{month:02}-{day:02}"),
        }
    }
}

/// Reads `"YYYY-MM-DD"` (one date) or `"MM-DD"` (every year). See [`HOLIDAY_FORMS`].
pub fn parse_holiday(text: &str) -> Result<Holiday, String> {
    let t = text.trim();
    let bad = |why: &str| format!("{text:?} is not a holiday{why}; expected {HOLIDAY_FORMS}");
    if t.len() == 5 {
        let (m, d) = month_day(t).ok_or_else(|| bad(""))?;
        // 2000 is a leap year, so 02-29 counts as a real day.
        return match NaiveDate::from_ymd_opt(2000, m, d) {
            Some(_) => Ok(Holiday::Yearly { month: m, day: d }),
            None => Err(bad(" (no such day)")),
        };
    }
    match full_date(t) {
        Ok(d) => Ok(Holiday::Date(d)),
        Err(true) => Err(bad(" (no such day)")),
        Err(false) => Err(bad("")),
    }
}

/// Reads a date `"YYYY-MM-DD"`, as used for date overrides.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    full_date(text.trim()).map_err(|no_such_day| {
        let why = if no_such_day { " (no such day)" } else { "" };
        format!("{text:?} is not a date{why}; expected \"YYYY-MM-DD\" such as \"2024-12-24\"")
    })
}

/// Reads a weekday: `mon`..`sun` or the full English name, any case.
pub fn parse_weekday(text: &str) -> Result<Weekday, String> {
    let t = text.trim().to_ascii_lowercase();
    (0..7)
        .find(|&i| t == weekday_short(i) || t == WEEKDAYS[i])
        .map(weekday_from_index)
        .ok_or_else(|| {
            format!("{text:?} is not a weekday; expected one of mon, tue, wed, thu, fri, sat, sun")
        })
}

/// The short form of weekday `i` (Monday = 0), as the standards file writes it.
pub(super) fn weekday_short(i: usize) -> &'static str {
    short(WEEKDAYS[i])
}

pub(super) fn weekday_from_index(i: usize) -> Weekday {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ][i]
}

pub(super) fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub(super) fn month_day(t: &str) -> Option<(u32, u32)> {
    let (m, d) = t.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    Some((digits(m)?, digits(d)?))
}

/// `Err(true)` when the form is right but the day does not exist.
pub(super) fn full_date(t: &str) -> Result<NaiveDate, bool> {
    if t.len() != 10 || t.as_bytes()[4] != b'-' {
        return Err(false);
    }
    let y = digits(&t[..4]).ok_or(false)?;
    let (m, d) = month_day(&t[5..]).ok_or(false)?;
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(true)
}

/// Why a date has no open hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Its weekday has no spans.
    NotAWorkingDay,
    /// A dated holiday.
    Holiday,
    /// A yearly holiday.
    YearlyHoliday,
    /// An override with no spans.
    ByOverride,
}

impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Closed::NotAWorkingDay => "not a working day",
            Closed::Holiday => "holiday",
            Closed::YearlyHoliday => "yearly holiday",
            Closed::ByOverride => "closed by override",
        })
    }
}

/// Validated opening hours: a week of spans, holidays and date overrides, independent of any
/// time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub(super) week: [Vec<Span>; 7],
    pub(super) holidays: Vec<Holiday>,
    pub(super) overrides: BTreeMap<NaiveDate, Vec<Span>>,
    pub(super) dated: BTreeSet<NaiveDate>,
    // Bit `d` of `yearly[m]` is set when month `m`, day `d` is a yearly holiday.
    pub(super) yearly: [u32; 13],
    pub(super) weekly_seconds: i64,
}

impl Schedule {
    /// Checks and builds a schedule. `week[0]` is Monday, `week[6]` Sunday.
    ///
    /// Rejected: spans overlapping within a day; a span past midnight overlapping the next
    /// weekday's spans (Sunday runs into Monday); the same for override dates against the dates
    /// around them; a week with no open time at all.
    pub fn new(
        week: [Vec<Span>; 7],
        holidays: Vec<Holiday>,
        overrides: BTreeMap<NaiveDate, Vec<Span>>,
    ) -> Result<Schedule, String> {
        let mut week = week;
        for (i, spans) in week.iter_mut().enumerate() {
            spans.sort();
            no_overlap(spans).map_err(|e| format!("{}: {e}", weekday_short(i)))?;
        }
        for i in 0..7 {
            let next = (i + 1) % 7;
            spill_clear(&week[i], &week[next]).map_err(|(a, b)| {
                format!(
                    "{} \"{a}\" runs past midnight into {} \"{b}\"",
                    weekday_short(i),
                    weekday_short(next)
                )
            })?;
        }
        if week.iter().all(Vec::is_empty) {
            return Err(
                "no weekday has open hours; give at least one weekday a span such as \
                 \"09:00-17:00\""
                    .to_string(),
            );
        }
        let mut holidays = holidays;
        holidays.sort();
        holidays.dedup();
        let mut overrides = overrides;
        for (date, spans) in overrides.iter_mut() {
            spans.sort();
            no_overlap(spans).map_err(|e| format!("override for {date}: {e}"))?;
        }
        let mut dated = BTreeSet::new();
        let mut yearly = [0u32; 13];
        for h in &holidays {
            match *h {
                Holiday::Date(d) => {
                    dated.insert(d);
                }
                Holiday::Yearly { month, day } => yearly[month as usize] |= 1 << day,
            }
        }
        let weekly_seconds = week.iter().flatten().map(|s| s.seconds()).sum();
        let schedule = Schedule {
            week,
            holidays,
            overrides,
            dated,
            yearly,
            weekly_seconds,
        };
        for date in schedule.overrides.keys() {
            let before = date.pred_opt().map_or(&[][..], |d| schedule.spans_of(d));
            let here = schedule.spans_of(*date);
            let after = date.succ_opt().map_or(&[][..], |d| schedule.spans_of(d));
            for (from, to, a_date, b_date) in [
                (before, here, date.pred_opt(), Some(*date)),
                (here, after, Some(*date), date.succ_opt()),
            ] {
                spill_clear(from, to).map_err(|(a, b)| {
                    let name = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
                    format!(
                        "override for {date}: \"{a}\" on {} runs past midnight into \"{b}\" on {}",
                        name(a_date),
                        name(b_date)
                    )
                })?;
            }
        }
        Ok(schedule)
    }

    /// Open round the clock every day, no holidays.
    pub fn round_the_clock() -> Schedule {
        let week: [Vec<Span>; 7] = std::array::from_fn(|_| vec![Span::WHOLE_DAY]);
        Schedule::new(week, Vec::new(), BTreeMap::new()).expect("a whole-day week is valid")
    }

    /// Spans per weekday, Monday first, each list sorted by opening time.
    pub fn week(&self) -> &[Vec<Span>; 7] {
        &self.week
    }

    /// Holidays, sorted (dated before yearly) and without repeats.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    pub fn overrides(&self) -> &BTreeMap<NaiveDate, Vec<Span>> {
        &self.overrides
    }

    /// Open seconds in a week without holidays, overrides or daylight-saving changes.
    pub fn weekly_seconds(&self) -> i64 {
        self.weekly_seconds
    }

    /// Number of weekdays with open hours.
    pub fn open_weekdays(&self) -> usize {
        self.week.iter().filter(|s| !s.is_empty()).count()
    }

    /// The spans of `date` and whether they come from an override, or why it is closed. An
    /// override wins over a holiday on the same date.
    pub fn hours(&self, date: NaiveDate) -> Result<(&[Span], bool), Closed> {
        if let Some(spans) = self.overrides.get(&date) {
            return if spans.is_empty() {
                Err(Closed::ByOverride)
            } else {
                Ok((spans, true))
            };
        }
        if self.dated.contains(&date) {
            return Err(Closed::Holiday);
        }
        if self.is_yearly_holiday(date) {
            return Err(Closed::YearlyHoliday);
        }
        let spans = &self.week[date.weekday().num_days_from_monday() as usize];
        if spans.is_empty() {
            Err(Closed::NotAWorkingDay)
        } else {
            Ok((spans, false))
        }
    }

    pub(super) fn spans_of(&self, date: NaiveDate) -> &[Span] {
        self.hours(date).map_or(&[], |(s, _)| s)
    }

    pub(super) fn is_yearly_holiday(&self, date: NaiveDate) -> bool {
        self.yearly[date.month() as usize] & (1 << date.day()) != 0
    }

    /// True when no date in `from..=to` is a holiday or has an override.
    pub(super) fn plain(&self, from: NaiveDate, to: NaiveDate) -> bool {
        if self.dated.range(from..=to).next().is_some()
            || self.overrides.range(from..=to).next().is_some()
        {
            return false;
        }
        if self.yearly.iter().all(|&m| m == 0) {
            return true;
        }
        from.iter_days()
            .take_while(|d| *d <= to)
            .all(|d| !self.is_yearly_holiday(d))
    }
}

/// Sorted spans must not overlap (touching is fine).
pub(super) fn no_overlap(spans: &[Span]) -> Result<(), String> {
    for pair in spans.windows(2) {
        if u32::from(pair[1].start) < pair[0].close_minute() {
            return Err(format!("\"{}\" overlaps \"{}\"", pair[0], pair[1]));
        }
    }
    Ok(())
}

/// The after-midnight part of `today`'s spans must end before `tomorrow`'s spans open.
pub(super) fn spill_clear(today: &[Span], tomorrow: &[Span]) -> Result<(), (Span, Span)> {
    for a in today.iter().filter(|s| s.crosses_midnight()) {
        if let Some(b) = tomorrow
            .iter()
            .find(|b| u32::from(b.start) < a.spill_minutes())
        {
            return Err((*a, *b));
        }
    }
    Ok(())
}
