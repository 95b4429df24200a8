//! `[calendars.NAME]` tables -> business calendars (weekly hours, holidays, overrides, zone),
//! and zone names -> time zones, with the file's line and column on error.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use toml::Spanned;

use super::raw::RawCalendar;
use super::Fail;
use crate::error::Result;
use crate::time::calendar::{self, Calendar};

pub(super) fn parse_tz(s: &Spanned<String>, fail: &Fail) -> Result<Tz> {
    s.get_ref().parse::<Tz>().map_err(|_| {
        fail(
            Some(s.span()),
            format!(
                "unknown time zone {:?}; expected an IANA zone name such as \"UTC\", \"Europe/Kyiv\" or \"America/New_York\"",
                s.get_ref()
            ),
        )
    })
}

/// `[calendars.NAME]` -> a business calendar; every span, date and zone checked in place.
pub(super) fn build(
    name: &Spanned<String>,
    raw: &Spanned<RawCalendar>,
    file_tz: Tz,
    fail: &Fail,
) -> Result<Calendar> {
    let n = name.get_ref();
    let ctx = |m: String| format!("calendar {n:?}: {m}");
    if n == "always" {
        return Err(fail(
            Some(name.span()),
            ctx(
                "\"always\" is the built-in round-the-clock calendar; give yours another name"
                    .into(),
            ),
        ));
    }
    let r = raw.get_ref();
    let tz = match &r.timezone {
        Some(s) => parse_tz(s, fail)?,
        None => file_tz,
    };
    let spans = |list: &Spanned<Vec<Spanned<String>>>, key: &str| -> Result<Vec<calendar::Span>> {
        list.get_ref()
            .iter()
            .map(|s| {
                calendar::parse_span(s.get_ref())
                    .map_err(|m| fail(Some(s.span()), ctx(format!("{key}: {m}"))))
            })
            .collect()
    };
    let days = [&r.mon, &r.tue, &r.wed, &r.thu, &r.fri, &r.sat, &r.sun];
    let mut week: [Vec<calendar::Span>; 7] = Default::default();
    let keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for (i, (day, key)) in days.iter().zip(keys).enumerate() {
        if let Some(list) = day {
            week[i] = spans(list, key)?;
        }
    }
    let mut holidays = Vec::new();
    if let Some(list) = &r.holidays {
        for h in list.get_ref() {
            holidays.push(
                calendar::parse_holiday(&h.get_ref().0)
                    .map_err(|m| fail(Some(h.span()), ctx(format!("holidays: {m}"))))?,
            );
        }
    }
    let mut overrides = BTreeMap::new();
    if let Some(table) = &r.overrides {
        for (date, list) in &table.get_ref().0 {
            let d = calendar::parse_date(date.get_ref())
                .map_err(|m| fail(Some(date.span()), ctx(format!("overrides: {m}"))))?;
            overrides.insert(d, spans(list, &format!("overrides.{}", date.get_ref()))?);
        }
    }
    // Point a clash of spans at the weekday that has it: each day alone, then each day with
    // the next (a span past midnight runs into it).
    for i in 0..7 {
        let j = (i + 1) % 7;
        let Some(list) = days[i] else { continue };
        for with_next in [false, true] {
            let mut pair: [Vec<calendar::Span>; 7] = Default::default();
            pair[i] = week[i].clone();
            if with_next {
                pair[j] = week[j].clone();
            }
            if let Err(m) = calendar::Schedule::new(pair, Vec::new(), BTreeMap::new()) {
                return Err(fail(Some(list.span()), ctx(m)));
            }
        }
    }
    let schedule = calendar::Schedule::new(week, holidays, overrides)
        .map_err(|m| fail(Some(name.span()), ctx(m)))?;
    Ok(Calendar::business(n.clone(), tz, schedule))
}
