//! One `[[standard]]` table -> a [`Standard`]: its id, level, source, filter, calendar,
//! target, and its kind, told apart by its keys; a key of another kind is an error naming the
//! kind it belongs to.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;
use toml::Spanned;

use super::raw::{Bound, Names, RawCalendarRef, RawStandard, Target};
use super::{CalendarChoice, Catalog, Due, Fail, Kind, Layout, Level, Standard};
use crate::error::{LineIndex, Result};
use crate::time::calendar::Calendar;
use crate::time::duration::Within;

/// The message prefix naming the standard (`standard "ID": ...`).
type Ctx<'a> = dyn Fn(String) -> String + 'a;

/// A key's event names, read and checked against the standard's source (`event_names`).
type NamesOf<'a> = dyn Fn(&Option<Spanned<Names>>, &str) -> Result<Option<Vec<String>>> + 'a;

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the list
pub(super) fn standard(
    catalog: &Catalog,
    raw: &Spanned<RawStandard>,
    sources: &BTreeMap<String, usize>,
    calendars: &[(String, Arc<Calendar>)],
    file: usize,
    timezone: Tz,
    lines: &LineIndex,
    fail: &Fail,
) -> Result<Standard> {
    let table = Some(raw.span());
    let r = raw.get_ref();
    let id = standard_id(r, table.clone(), fail)?;
    let id_text = id.get_ref().clone();
    let ctx = |msg: String| format!("standard {id_text:?}: {msg}");
    let level = level(r, &ctx, fail)?;
    let source = source(r, sources, table.clone(), &ctx, fail)?;
    let src = &catalog.sources[source];
    let names =
        |field: &Option<Spanned<Names>>, key: &str| event_names(field, key, src, &ctx, fail);

    let (keys, unless) = keys(r, &names, &ctx, fail)?;
    let kind = kind(r, src, keys, table.clone(), &ctx, fail)?;
    if let Kind::Repeat { .. } = &kind {
        repeat_only(r, &ctx, fail)?;
    }
    let calendar = calendar(r, calendars, timezone, &ctx, fail)?;
    check_clock_keys(r, &kind, &calendar, &ctx, fail)?;

    let pause_on = names(&r.pause_on, "pause_on")?.unwrap_or_default();
    let resume_on = names(&r.resume_on, "resume_on")?.unwrap_or_default();
    check_pauses(r, &kind, &ctx, fail)?;

    let (target, target_max) = target(r, &ctx, fail)?;

    let filter = filter(r, &ctx, fail)?;
    let effective = super::versions::effective(r, timezone, &ctx, fail)?;

    let standard = Standard {
        id: id_text.clone(),
        title: r
            .title
            .as_ref()
            .map(|t| t.get_ref().trim().to_string())
            .filter(|t| !t.is_empty()),
        level,
        source,
        filter,
        kind,
        unless,
        calendar,
        pause_on,
        resume_on,
        target,
        target_max,
        file,
        line: lines.position(id.span().start).line,
        target_given: r.target.is_some(),
        within_text: r.within.as_ref().map(|w| w.get_ref().trim().to_string()),
        effective,
        versions: Vec::new(),
    };
    // A standard with dates is a version, the first of its id until another table joins it.
    Ok(match effective.is_dated() {
        true => Standard {
            versions: vec![standard.clone()],
            ..standard
        },
        false => standard,
    })
}

/// The `id`: present, non-empty, letters, digits, '-', '_' and '.'.
fn standard_id<'r>(
    r: &'r RawStandard,
    table: Option<std::ops::Range<usize>>,
    fail: &Fail,
) -> Result<&'r Spanned<String>> {
    let id = r.id.as_ref().ok_or_else(|| fail(table, "[[standard]] without an `id`; every standard needs a unique id such as \"first-reply-10m\"".into()))?;
    let id_text = id.get_ref();
    if id_text.is_empty()
        || !id_text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(fail(Some(id.span()), format!("standard id {id_text:?} must be non-empty and use only letters, digits, '-', '_' and '.'")));
    }
    Ok(id)
}

fn level(r: &RawStandard, ctx: &Ctx, fail: &Fail) -> Result<Level> {
    match &r.level {
        None => Ok(Level::Operational),
        Some(l) => Level::parse(l.get_ref()).ok_or_else(|| {
            fail(
                Some(l.span()),
                ctx(format!(
                    "unknown level {:?}; expected one of {}",
                    l.get_ref(),
                    Level::NAMES
                )),
            )
        }),
    }
}

/// The source's index: the one named, or the file's only source.
fn source(
    r: &RawStandard,
    sources: &BTreeMap<String, usize>,
    table: Option<std::ops::Range<usize>>,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<usize> {
    match &r.source {
        Some(s) => sources.get(s.get_ref()).copied().ok_or_else(|| {
            let known: Vec<&str> = sources.keys().map(String::as_str).collect();
            fail(
                Some(s.span()),
                ctx(format!(
                    "unknown source {:?}; this file defines {}",
                    s.get_ref(),
                    if known.is_empty() {
                        "no sources ([sources.NAME])".to_string()
                    } else {
                        known.join(", ")
                    }
                )),
            )
        }),
        None if sources.len() == 1 => Ok(*sources.values().next().expect("one source")),
        None => Err(fail(
            table,
            ctx(format!(
                "missing `source`; this file defines {}",
                if sources.is_empty() {
                    "no sources ([sources.NAME])".to_string()
                } else {
                    sources.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            )),
        )),
    }
}

/// A key's event names: one or more, none empty; in a cases layout, each a milestone.
fn event_names(
    field: &Option<Spanned<Names>>,
    key: &str,
    src: &super::Source,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<Option<Vec<String>>> {
    let Some(f) = field else { return Ok(None) };
    let list = &f.get_ref().0;
    if list.is_empty() || list.iter().any(|s| s.trim().is_empty()) {
        return Err(fail(
            Some(f.span()),
            ctx(format!("`{key}` needs one or more non-empty event names")),
        ));
    }
    // In a cases layout the events are the milestones, so a typo can be caught now.
    if let Layout::Cases { milestones } = &src.layout {
        for name in list {
            if !milestones.iter().any(|(m, _)| m == name)
                && !src.derived.iter().any(|d| d.name == *name)
            {
                let known: Vec<&str> = milestones
                    .iter()
                    .map(|(m, _)| m.as_str())
                    .chain(src.derived.iter().map(|d| d.name.as_str()))
                    .collect();
                return Err(fail(
                    Some(f.span()),
                    ctx(format!(
                    "`{key}`: {name:?} is not a milestone of source {:?}; its milestones are {}",
                    src.name,
                    known.join(", ")
                )),
                ));
            }
        }
    }
    Ok(Some(list.clone()))
}

/// The event and limit keys, each read on its own (which kind they make is `kind`'s), and
/// the `unless` events, read in this order so that the first error found stays the same.
fn keys(r: &RawStandard, names: &NamesOf, ctx: &Ctx, fail: &Fail) -> Result<(Keys, Vec<String>)> {
    let from = names(&r.from, "from")?;
    let to = names(&r.to, "to")?;
    let each = names(&r.each, "each")?;
    let count = names(&r.count, "count")?;
    let unless = names(&r.unless, "unless")?.unwrap_or_default();
    let returns = names(&r.returns, "returns")?;
    let within = match &r.within {
        Some(w) => Some(
            Within::parse(w.get_ref())
                .map_err(|m| fail(Some(w.span()), ctx(format!("within: {m}"))))?,
        ),
        None => None,
    };
    // A count's bounds are whole numbers of events; a value standard reads its own (decimals
    // allowed) in `value_kind`, and on any other kind the keys do not belong (said in `kind`).
    let bound = |f: &Option<Spanned<Bound>>, key: &str| -> Result<Option<u64>> {
        match f {
            _ if r.count.is_none() || r.value.is_some() => Ok(None),
            None => Ok(None),
            Some(n) => match *n.get_ref() {
                Bound::Whole(k) if k >= 0 => Ok(Some(k as u64)),
                Bound::Whole(_) => Err(fail(
                    Some(n.span()),
                    ctx(format!(
                        "`{key}` must be a whole number of events, 0 or more"
                    )),
                )),
                Bound::Decimal(x) => Err(fail(Some(n.span()), ctx(count_decimal(key, x)))),
            },
        }
    };
    let keys = Keys {
        returns,
        from,
        to,
        each,
        count,
        within,
        at_least: bound(&r.at_least, "at_least")?,
        at_most: bound(&r.at_most, "at_most")?,
    };
    Ok((keys, unless))
}

/// The keys that only a clock can use: a deadline's comes from the data, a value standard
/// has none; a limit must fit every calendar the standard may be measured on.
fn check_clock_keys(
    r: &RawStandard,
    kind: &Kind,
    calendar: &CalendarChoice,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<()> {
    let calendar_span = r.calendar.as_ref().map(|c| c.span());
    if let (Some(span), Kind::Deadline { .. }) = (&calendar_span, kind) {
        return Err(fail(
            Some(span.clone()),
            ctx("a deadline standard takes its deadline from the data, so `calendar` does not apply; remove it".into()),
        ));
    }
    if let Kind::Value { .. } = kind {
        // The number decides the case when it is read: no clock, so nothing for a calendar
        // to measure and no verdict for an `unless` event to come before.
        for (key, span) in [
            ("calendar", calendar_span.clone()),
            ("unless", r.unless.as_ref().map(|u| u.span())),
        ] {
            if let Some(span) = span {
                return Err(fail(
                    Some(span),
                    ctx(format!("a value standard is decided by the number it reads, with no clock, so `{key}` does not apply; remove it")),
                ));
            }
        }
    }
    if let (Some(w), Some(within)) = (&r.within, kind.within()) {
        for cal in calendar.all() {
            cal.check_within(within, w.get_ref())
                .map_err(|m| fail(Some(w.span()), ctx(format!("within: {m}"))))?;
        }
    }
    Ok(())
}

/// The keys a repeat standard refuses besides those of other kinds: a repeat rate counts
/// customers over a period cut in wall-clock time, so no calendar, pause or exemption moves it.
fn repeat_only(r: &RawStandard, ctx: &Ctx, fail: &Fail) -> Result<()> {
    let spans = [
        ("calendar", r.calendar.as_ref().map(|s| s.span())),
        ("pause_on", r.pause_on.as_ref().map(|s| s.span())),
        ("resume_on", r.resume_on.as_ref().map(|s| s.span())),
        ("unless", r.unless.as_ref().map(|s| s.span())),
    ];
    for (key, span) in spans {
        if let Some(span) = span {
            return Err(fail(
                Some(span),
                ctx(format!("`{key}` does not apply to a repeat (returns/within) standard: its period and look-back are wall-clock time and every customer in the look-back counts; remove it")),
            ));
        }
    }
    // Versions judge each case by the version in force at its clock start; a customer's
    // first visit lies before the period, so the rate would mix versions within one figure.
    let dates = [
        (
            "effective_from",
            r.effective_from.as_ref().map(|s| s.span()),
        ),
        (
            "effective_until",
            r.effective_until.as_ref().map(|s| s.span()),
        ),
    ];
    for (key, span) in dates {
        if let Some(span) = span {
            return Err(fail(
                Some(span),
                ctx(format!("`{key}` does not apply to a repeat (returns/within) standard: a repeat rate is one figure for its whole period, with no versions by date; audit each period with --since and --until, or give a changed target an id of its own")),
            ));
        }
    }
    Ok(())
}

/// The calendar a standard is measured on: `always` in the file's zone, a named calendar of
/// its file, or one per value of an attribute column.
fn calendar(
    r: &RawStandard,
    calendars: &[(String, Arc<Calendar>)],
    timezone: Tz,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<CalendarChoice> {
    let always = || Arc::new(Calendar::always(timezone));
    let find_calendar = |name: &str, span: std::ops::Range<usize>| -> Result<Arc<Calendar>> {
        if name == "always" {
            return Ok(always());
        }
        calendars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .ok_or_else(|| {
                let mut known = vec!["always".to_string()];
                known.extend(calendars.iter().map(|(n, _)| format!("{n:?}")));
                fail(
                    Some(span),
                    ctx(format!(
                        "unknown calendar {name:?}; the calendars available are: {} (define others with [calendars.NAME] in this file)",
                        known.join(", ")
                    )),
                )
            })
    };
    let calendar = match &r.calendar {
        None => CalendarChoice::Fixed(always()),
        Some(c) => match c.get_ref() {
            RawCalendarRef::Name(name) => CalendarChoice::Fixed(find_calendar(name, c.span())?),
            RawCalendarRef::ByAttribute { by, map, default } => {
                if map.get_ref().0.is_empty() {
                    return Err(fail(
                        Some(map.span()),
                        ctx("calendar.map is empty; map attribute values to calendars, e.g. { emea = \"kyiv\" }".into()),
                    ));
                }
                let mut pairs = Vec::new();
                for (value, name) in &map.get_ref().0 {
                    pairs.push((value.clone(), find_calendar(name.get_ref(), name.span())?));
                }
                CalendarChoice::ByAttribute {
                    column: by.get_ref().clone(),
                    map: pairs,
                    default: match default {
                        Some(d) => Some(find_calendar(d.get_ref(), d.span())?),
                        None => None,
                    },
                }
            }
        },
    };
    Ok(calendar)
}

/// `pause_on` and `resume_on` come together, and only where a pause can move the limit.
fn check_pauses(r: &RawStandard, kind: &Kind, ctx: &Ctx, fail: &Fail) -> Result<()> {
    match (&r.pause_on, &r.resume_on) {
        (Some(p), None) => {
            return Err(fail(
                Some(p.span()),
                ctx("`pause_on` needs `resume_on`: the events that start the clock again".into()),
            ))
        }
        (None, Some(p)) => {
            return Err(fail(
                Some(p.span()),
                ctx("`resume_on` needs `pause_on`: the events that stop the clock".into()),
            ))
        }
        (Some(p), Some(_)) => {
            if let Some(w @ Within::ClockTime { .. }) = kind.within() {
                return Err(fail(
                    Some(p.span()),
                    ctx(format!("`pause_on` does not apply to a deadline at a time of day (\"{w}\"): it is a fixed instant on the wall clock that a pause does not move; give a duration such as \"4h\" to stop the clock while waiting")),
                ));
            }
            if !matches!(kind.within(), Some(Within::Span(_))) || matches!(kind, Kind::Count { .. })
            {
                return Err(fail(
                    Some(p.span()),
                    ctx("`pause_on` applies to elapsed and each standards with a duration such as \"4h\"; \"same day\", business days, counts and deadlines end at a fixed instant that a pause does not move".into()),
                ));
            }
        }
        (None, None) => {}
    }

    Ok(())
}

/// The target, a percentage or a range of them (default 100).
fn target(r: &RawStandard, ctx: &Ctx, fail: &Fail) -> Result<(f64, Option<f64>)> {
    Ok(match &r.target {
        None => (100.0, None),
        Some(t) => {
            let (lo, hi) = match *t.get_ref() {
                Target::Single(v) => (v, None),
                Target::Range(lo, hi) => (lo, Some(hi)),
            };
            for v in std::iter::once(lo).chain(hi) {
                if !(0.0..=100.0).contains(&v) {
                    return Err(fail(
                        Some(t.span()),
                        ctx(format!("target {v} is not a percentage between 0 and 100")),
                    ));
                }
            }
            if let Some(hi) = hi.filter(|&hi| hi < lo) {
                return Err(fail(
                    Some(t.span()),
                    ctx(format!(
                        "target range {lo}..{hi} has its low end above its high end; write [{hi}, {lo}]"
                    )),
                ));
            }
            (lo, hi)
        }
    })
}

/// The `where` filter: every column with one or more values.
fn filter(r: &RawStandard, ctx: &Ctx, fail: &Fail) -> Result<Vec<(String, Vec<String>)>> {
    Ok(match &r.filter {
        None => Vec::new(),
        Some(f) => {
            for (col, values) in &f.get_ref().0 {
                if values.0.is_empty() {
                    return Err(fail(
                        Some(f.span()),
                        ctx(format!(
                            "where: column {col:?} has an empty list of values; give at least one"
                        )),
                    ));
                }
            }
            f.get_ref()
                .0
                .iter()
                .map(|(k, v)| (k.clone(), v.0.clone()))
                .collect()
        }
    })
}

/// The event and limit keys of a standard, read; which kind they make is decided by [`kind`].
struct Keys {
    returns: Option<Vec<String>>,
    from: Option<Vec<String>>,
    to: Option<Vec<String>>,
    each: Option<Vec<String>>,
    count: Option<Vec<String>>,
    within: Option<Within>,
    at_least: Option<u64>,
    at_most: Option<u64>,
}

/// The standard's kind, told apart by its keys (`value`, `returns`, `each`, `count`, `by`,
/// else elapsed): each kind's keys in one list, and a key of another kind an error naming
/// the kind.
fn kind(
    r: &RawStandard,
    src: &super::Source,
    keys: Keys,
    table: Option<std::ops::Range<usize>>,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<Kind> {
    let (name, allowed) = kind_keys(r, &keys);
    refuse_foreign_keys(r, name, allowed, ctx, fail)?;
    let missing = Missing {
        name,
        allowed,
        table: table.clone(),
        ctx,
        fail,
    };
    let Keys {
        returns,
        from,
        to,
        each,
        count,
        within,
        at_least,
        at_most,
    } = keys;
    if let Some(column) = &r.value {
        return value_kind(r, src, column, table, ctx, fail);
    }
    if let Some(returns) = returns {
        return repeat(r, src, returns, within, table, ctx, fail);
    }
    if each.is_some() {
        return Ok(Kind::Each {
            due: each_due(r, src, within, &missing, ctx, fail)?,
            each: missing.required(each, "each")?,
            to: missing.required(to, "to")?,
        });
    }
    if count.is_some() {
        check_count_bounds(r, at_least, at_most, table, ctx, fail)?;
        return Ok(Kind::Count {
            from: missing.required(from, "from")?,
            count: missing.required(count, "count")?,
            at_least,
            at_most,
            within,
        });
    }
    if let Some(by) = &r.by {
        let by_name = by.get_ref().trim().to_string();
        if by_name.is_empty() {
            return Err(fail(
                Some(by.span()),
                ctx("`by` needs a milestone, column or event name".into()),
            ));
        }
        return Ok(Kind::Deadline {
            from,
            to: missing.required(to, "to")?,
            by: by_name,
        });
    }
    Ok(Kind::Elapsed {
        from: missing.required(from, "from")?,
        to: missing.required(to, "to")?,
        within: missing.within(within)?,
    })
}

/// Every key that tells a kind or belongs to one.
const KIND_KEYS: [&str; 11] = [
    "from", "to", "each", "count", "within", "at_least", "at_most", "by", "on", "returns",
    "customer",
];

/// The kind the keys make, as errors name it, and the keys (of `KIND_KEYS`) it takes.
fn kind_keys(r: &RawStandard, keys: &Keys) -> (&'static str, &'static [&'static str]) {
    if r.value.is_some() {
        (
            "value (value/on/at_least/at_most)",
            &["at_least", "at_most", "on"],
        )
    } else if keys.returns.is_some() {
        (
            "repeat (returns/within, optional customer)",
            &["returns", "within", "customer"],
        )
    } else if keys.each.is_some() {
        ("each (each/to/within)", &["each", "to", "within", "by"])
    } else if keys.count.is_some() {
        (
            "count (from/count/at_least/at_most/within)",
            &["from", "count", "at_least", "at_most", "within"],
        )
    } else if r.by.is_some() {
        ("deadline (to/by, optional from)", &["from", "to", "by"])
    } else {
        ("elapsed (from/to/within)", &["from", "to", "within"])
    }
}

/// Where key `key` (one of `KIND_KEYS`) is written, if it is.
fn key_span(r: &RawStandard, key: &str) -> Option<std::ops::Range<usize>> {
    match key {
        "from" => r.from.as_ref().map(|s| s.span()),
        "to" => r.to.as_ref().map(|s| s.span()),
        "each" => r.each.as_ref().map(|s| s.span()),
        "count" => r.count.as_ref().map(|s| s.span()),
        "within" => r.within.as_ref().map(|s| s.span()),
        "at_least" => r.at_least.as_ref().map(|s| s.span()),
        "at_most" => r.at_most.as_ref().map(|s| s.span()),
        "by" => r.by.as_ref().map(|s| s.span()),
        "returns" => r.returns.as_ref().map(|s| s.span()),
        "customer" => r.customer.as_ref().map(|s| s.span()),
        "on" => r.on.as_ref().map(|s| s.span()),
        _ => None,
    }
}

/// The first key written that the kind does not take, as an error naming the kind.
fn refuse_foreign_keys(
    r: &RawStandard,
    kind_name: &str,
    allowed: &[&str],
    ctx: &Ctx,
    fail: &Fail,
) -> Result<()> {
    // `on` says where a value standard reads its number: without `value` it has no meaning,
    // whatever the other keys make the standard (a repeat standard is told by `returns`,
    // and `on` does not belong to it).
    if let (None, None, Some(span)) = (&r.value, &r.returns, key_span(r, "on")) {
        return Err(fail(
            Some(span),
            ctx("`on` needs `value = \"COLUMN\"`: it names the event on whose row a value standard reads its number".to_string()),
        ));
    }
    for key in KIND_KEYS {
        if !allowed.contains(&key) {
            if let Some(span) = key_span(r, key) {
                return Err(fail(
                    Some(span),
                    ctx(format!("`{key}` does not belong to a {kind_name} standard")),
                ));
            }
        }
    }
    Ok(())
}

/// The errors of a kind's missing keys, naming the kind and what it needs.
struct Missing<'a> {
    name: &'static str,
    allowed: &'static [&'static str],
    table: Option<std::ops::Range<usize>>,
    ctx: &'a Ctx<'a>,
    fail: &'a Fail<'a>,
}

impl Missing<'_> {
    fn required(&self, v: Option<Vec<String>>, key: &str) -> Result<Vec<String>> {
        v.ok_or_else(|| {
            (self.fail)(
                self.table.clone(),
                (self.ctx)(format!(
                    "missing `{key}` (a {} standard needs {})",
                    self.name,
                    self.allowed.join(", ")
                )),
            )
        })
    }

    fn within(&self, w: Option<Within>) -> Result<Within> {
        w.ok_or_else(|| (self.fail)(self.table.clone(), (self.ctx)(format!("missing `within` (a {} standard needs a time limit such as \"10m\" or \"same day\")", self.name))))
    }
}

/// When an each standard's occurrence is due: `within` of it, or at the time its row
/// promises (`by`, an events layout only).
fn each_due(
    r: &RawStandard,
    src: &super::Source,
    within: Option<Within>,
    missing: &Missing,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<Due> {
    Ok(match (&r.by, within) {
        (Some(by), Some(_)) => {
            return Err(fail(
                Some(by.span()),
                ctx("an each standard takes `within` (a limit from each occurrence) or `by` (the column of each occurrence's row that holds the time promised), not both".into()),
            ))
        }
        (Some(by), None) => {
            let col = by.get_ref().trim().to_string();
            if col.is_empty() {
                return Err(fail(
                    Some(by.span()),
                    ctx("`by` needs the column that holds the time promised".into()),
                ));
            }
            // Only an events log has a row per occurrence to read the promise from.
            if !matches!(src.layout, Layout::Events { .. }) {
                return Err(fail(
                    Some(by.span()),
                    ctx(format!(
                        "`by` in an each standard reads the promised time from each occurrence's row, which needs an events layout; source {:?} is {}",
                        src.name,
                        src.layout.name()
                    )),
                ));
            }
            Due::By(col)
        }
        (None, w) => Due::Within(missing.within(w)?),
    })
}

/// A count standard has `at_least`, `at_most` or both, in order.
fn check_count_bounds(
    r: &RawStandard,
    at_least: Option<u64>,
    at_most: Option<u64>,
    table: Option<std::ops::Range<usize>>,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<()> {
    if at_least.is_none() && at_most.is_none() {
        return Err(fail(
            table,
            ctx("a count standard needs `at_least`, `at_most` or both".into()),
        ));
    }
    if let (Some(lo), Some(hi)) = (at_least, at_most) {
        if lo > hi {
            return Err(fail(
                r.at_least.as_ref().map(|s| s.span()),
                ctx(format!("at_least ({lo}) is more than at_most ({hi})")),
            ));
        }
    }
    Ok(())
}

/// A value standard: its column, the events whose row holds the number (`on`, events layout
/// only) and its bounds, decimals allowed, `at_least <= at_most`.
fn value_kind(
    r: &RawStandard,
    src: &super::Source,
    column: &Spanned<String>,
    table: Option<std::ops::Range<usize>>,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<Kind> {
    let name = column.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(fail(
            Some(column.span()),
            ctx("`value` needs the column that holds the number, such as \"rings\"".into()),
        ));
    }
    let read: Vec<&str> = src.columns_read().collect();
    if read.contains(&name.as_str()) {
        return Err(fail(
            Some(column.span()),
            ctx(format!(
                "`value`: {name:?} is a column source {:?} reads as its case, time, event or a milestone; a value standard reads a number from another column",
                src.name
            )),
        ));
    }
    if let Layout::Threads { .. } = src.layout {
        return Err(fail(
            Some(column.span()),
            ctx(format!(
                "a value standard reads an events or a cases layout; source {:?} is threads",
                src.name
            )),
        ));
    }
    let on = match &r.on {
        None => None,
        Some(o) => {
            if !matches!(src.layout, Layout::Events { .. }) {
                return Err(fail(
                    Some(o.span()),
                    ctx(format!(
                        "`on` picks the event whose row holds the number, which needs an events layout; source {:?} is {}, whose case row holds it (remove `on`)",
                        src.name,
                        src.layout.name()
                    )),
                ));
            }
            let list = &o.get_ref().0;
            if list.is_empty() || list.iter().any(|n| n.trim().is_empty()) {
                return Err(fail(
                    Some(o.span()),
                    ctx("`on` needs one or more non-empty event names".into()),
                ));
            }
            Some(list.clone())
        }
    };
    let at_least = r.at_least.as_ref().map(|b| b.get_ref().as_f64());
    let at_most = r.at_most.as_ref().map(|b| b.get_ref().as_f64());
    match (at_least, at_most, &r.at_most) {
        (None, None, _) => {
            return Err(fail(
                table,
                ctx("a value standard needs `at_least`, `at_most` or both (numbers such as 3 or 4.5)".into()),
            ))
        }
        (Some(lo), Some(hi), Some(span)) if hi < lo => {
            return Err(fail(
                Some(span.span()),
                ctx(format!(
                    "at_most ({hi}) is less than at_least ({lo}), so no value could meet the standard; a case is met when at_least <= value <= at_most"
                )),
            ))
        }
        _ => {}
    }
    Ok(Kind::Value {
        column: name,
        on,
        at_least,
        at_most,
    })
}

/// A repeat standard from its keys (the kind's other keys are already refused): a look-back
/// that is a positive duration, and a customer column that is not the case.
fn repeat(
    r: &RawStandard,
    src: &super::Source,
    returns: Vec<String>,
    within: Option<Within>,
    table: Option<std::ops::Range<usize>>,
    ctx: &Ctx,
    fail: &Fail,
) -> Result<Kind> {
    let w_span = r.within.as_ref().map(|w| w.span());
    let within = match within {
        None => return Err(fail(table, ctx("missing `within` (a repeat (returns/within) standard needs its look-back, such as \"365d\": its cases are the customers with a `returns` event in that time before the period)".into()))),
        Some(Within::Span(s)) if s > 0 => s,
        Some(Within::Span(_)) => return Err(fail(w_span, ctx("within: a repeat standard's look-back must be longer than 0s, such as \"365d\"".into()))),
        Some(_) => {
            let written = r.within.as_ref().map_or("", |w| w.get_ref().trim());
            return Err(fail(w_span, ctx(format!("within: a repeat standard's look-back is a duration such as \"365d\" or \"52w\", not {written:?}: it is wall-clock time, as the period is"))));
        }
    };
    let customer = match &r.customer {
        None => None,
        Some(c) => {
            let col = c.get_ref().trim().to_string();
            if col.is_empty() {
                return Err(fail(
                    Some(c.span()),
                    ctx("`customer` needs the column that names the customer".into()),
                ));
            }
            if col == src.case {
                return Err(fail(Some(c.span()), ctx(format!("`customer` = {col:?} is the case column of source {:?}; leave `customer` out, and each case is a customer", src.name))));
            }
            Some(col)
        }
    };
    // A case row holds each milestone once, so a case alone could never return.
    if customer.is_none() && matches!(src.layout, Layout::Cases { .. }) {
        return Err(fail(r.returns.as_ref().map(|s| s.span()), ctx(format!("a repeat standard on source {:?} (a cases layout, one `returns` milestone per row) needs `customer = \"COLUMN\"`: the column whose rows belong to one customer", src.name))));
    }
    Ok(Kind::Repeat {
        returns,
        within,
        customer,
    })
}

/// The error of a decimal bound in a count standard, quoting it as written in TOML (`1.0`, not
/// `1`), and saying what to write instead when it is a whole number.
fn count_decimal(key: &str, x: f64) -> String {
    let fix = if x.fract() == 0.0 && (0.0..1e15).contains(&x) {
        format!("write {}", x as i64)
    } else {
        "write a whole number, 0 or more".to_string()
    };
    format!(
        "`{key}` = {x:?}: a count standard counts events, so its bound is a whole number of events: {fix} (decimals are for value standards, `value = \"COLUMN\"`)"
    )
}

#[cfg(test)]
mod count_decimal_tests {
    #[test]
    fn a_decimal_bound_is_quoted_as_written_and_the_fix_named() {
        assert_eq!(
            super::count_decimal("at_least", 1.0),
            "`at_least` = 1.0: a count standard counts events, so its bound is a whole number of events: write 1 (decimals are for value standards, `value = \"COLUMN\"`)"
        );
        assert!(super::count_decimal("at_most", 2.5).contains("= 2.5: "));
        assert!(super::count_decimal("at_most", 2.5).contains("write a whole number, 0 or more"));
    }
}
