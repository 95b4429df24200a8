//! One `[sources.NAME]` table -> a [`Source`]: its layout and the columns that layout reads,
//! its CSV dialect, time format and zone, null values, date columns and declared deadlines.
//! Keys that belong to another layout are errors naming the layouts they belong to.

use std::path::Path;

use chrono_tz::Tz;
use toml::Spanned;

use super::calendars::parse_tz;
use super::raw::{RawMilestone, RawSource};
use super::{Fail, Layout, Source};
use crate::error::{LineIndex, Result};
use crate::time::stamp::TimeFormat;

/// The source `name` of a standards file (its index `file_index`, its folder `base`, its
/// report zone `timezone`).
pub(super) fn parse(
    name: &Spanned<String>,
    r: &RawSource,
    file_index: usize,
    timezone: Tz,
    base: &Path,
    lines: &LineIndex,
    fail: &Fail,
) -> Result<Source> {
    // A preset's keys under the table's own.
    let preset = r.preset.as_ref().map(|p| p.get_ref().clone());
    let ask_date_order = r.time_format.is_none()
        && preset
            .as_deref()
            .and_then(super::presets::find)
            .is_some_and(|p| p.asks_date_order);
    let merged = super::presets::apply(name.get_ref(), r, fail)?;
    let r = merged.as_ref().unwrap_or(r);
    let t = Table { name, r, fail };
    let layout_name = r.layout.as_ref().ok_or_else(|| {
        fail(Some(name.span()), format!("source {:?}: missing `layout`; expected \"events\" (one row per event), \"cases\" (one row per case) or \"threads\" (one row per message, replies linked by id)", name.get_ref()))
    })?;
    t.layout_keys(layout_name.get_ref())?;
    let (layout, derived) = t.layout(layout_name)?;
    let time_format = match &r.time_format {
        Some(f) => TimeFormat::patterns(&f.get_ref().0).map_err(|m| fail(Some(f.span()), m))?,
        None => TimeFormat::Auto,
    };
    let (quote, delimiter, skip_lines) = t.dialect()?;
    let source_tz = match &r.timezone {
        Some(s) => parse_tz(s, fail)?,
        None => timezone,
    };
    // In a threads layout a case is a thread, named after the message that starts it.
    let case = match &layout {
        Layout::Threads { message, .. } => {
            if let Some(c) = &r.case {
                return Err(fail(Some(c.span()), format!("source {:?}: a threads layout has no `case` column: a case is a thread, found by following `reply_to` to its first message", name.get_ref())));
            }
            message.clone()
        }
        _ => t.need(&r.case, "case", layout_name.get_ref())?,
    };
    // Milestone names stand for their columns; the reader compares column names.
    let date_columns = column_names(&r.date_columns, &layout);
    let time_columns = column_names(&r.time_columns, &layout);
    if let Some(both) = time_columns.iter().find(|c| date_columns.contains(c)) {
        return Err(fail(
            r.time_columns.as_ref().map(|v| v.span()),
            format!(
                "source {:?}: {both:?} is in both `date_columns` (read as dates) and \
                 `time_columns` (read as times); keep it in one",
                name.get_ref()
            ),
        ));
    }
    let deadlines = t.deadlines(&layout)?;
    Ok(Source {
        name: name.get_ref().clone(),
        file: file_index,
        layout,
        case,
        time_format,
        timezone: source_tz,
        path: r.path.as_ref().map(|p| base.join(p.get_ref())),
        delimiter,
        line: lines.position(name.span().start).line,
        quote,
        skip_lines,
        null_values: r
            .null_values
            .as_ref()
            .map(|v| v.get_ref().iter().map(|s| s.trim().to_string()).collect())
            .unwrap_or_default(),
        date_columns,
        time_columns,
        deadlines,
        derived,
        preset,
        ask_date_order,
    })
}

/// A `[sources.NAME]` table (its preset merged in) being read, with the way to fail at a key.
struct Table<'a> {
    name: &'a Spanned<String>,
    r: &'a RawSource,
    fail: &'a Fail<'a>,
}

impl Table<'_> {
    /// A key the layout requires.
    fn need(&self, field: &Option<Spanned<String>>, key: &str, layout: &str) -> Result<String> {
        field.as_ref().map(|s| s.get_ref().clone()).ok_or_else(|| {
            (self.fail)(
                Some(self.name.span()),
                format!(
                    "source {:?}: missing `{key}` (required for layout = \"{layout}\")",
                    self.name.get_ref()
                ),
            )
        })
    }

    /// The `[events]` renames (export value -> event name).
    fn renames(&self) -> Vec<(String, String)> {
        self.r
            .events
            .as_ref()
            .map(|m| {
                m.get_ref()
                    .0
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Keys that belong to another layout than `layout_name` are errors naming the layouts
    /// they belong to.
    fn layout_keys(&self, layout_name: &str) -> Result<()> {
        let (r, name, fail) = (self.r, self.name, self.fail);
        // Keys that belong to one layout only.
        type Foreign<'k> = (&'k str, Option<std::ops::Range<usize>>, &'k [&'k str]);
        let foreign: [Foreign; 7] = [
            (
                "milestones",
                r.milestones.as_ref().map(|m| m.span()),
                &["cases"],
            ),
            (
                "deadlines",
                r.deadlines.as_ref().map(|m| m.span()),
                &["cases"],
            ),
            (
                "time",
                r.time.as_ref().map(|m| m.span()),
                &["events", "threads"],
            ),
            (
                "event",
                r.event.as_ref().map(|m| m.span()),
                &["events", "threads"],
            ),
            (
                "events",
                r.events.as_ref().map(|m| m.span()),
                &["events", "threads"],
            ),
            (
                "message",
                r.message.as_ref().map(|m| m.span()),
                &["threads"],
            ),
            (
                "reply_to",
                r.reply_to.as_ref().map(|m| m.span()),
                &["threads"],
            ),
        ];
        for (key, span, layouts) in foreign {
            if let Some(span) = span {
                if !layouts.contains(&layout_name) {
                    let list: Vec<String> = layouts
                        .iter()
                        .map(|l| format!("layout = \"{l}\""))
                        .collect();
                    return Err(fail(
                        Some(span),
                        format!(
                            "source {:?}: `{key}` belongs to {}, not layout = {:?}",
                            name.get_ref(),
                            list.join(" or "),
                            layout_name
                        ),
                    ));
                }
            }
        }
        if let Some(a) = &r.attributes_from {
            if layout_name != "threads" {
                return Err(fail(
                    Some(a.span()),
                    format!(
                        "source {:?}: `attributes_from` belongs to layout = \"threads\"",
                        name.get_ref()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The layout and the columns it reads; for a case table, its milestones from a duration
    /// column too.
    fn layout(&self, layout_name: &Spanned<String>) -> Result<(Layout, Vec<super::Derived>)> {
        let (r, name, fail) = (self.r, self.name, self.fail);
        let table_span = Some(name.span());
        let mut derived = Vec::new();
        let layout = match layout_name.get_ref().as_str() {
            "threads" => Layout::Threads {
                message: self.need(&r.message, "message", "threads")?,
                reply_to: self.need(&r.reply_to, "reply_to", "threads")?,
                time: self.need(&r.time, "time", "threads")?,
                event: self.need(&r.event, "event", "threads")?,
                renames: self.renames(),
                attributes_from: r
                    .attributes_from
                    .as_ref()
                    .map(|a| a.get_ref().0.clone())
                    .unwrap_or_default(),
            },
            "events" => Layout::Events {
                time: self.need(&r.time, "time", "events")?,
                event: self.need(&r.event, "event", "events")?,
                renames: self.renames(),
            },
            "cases" => {
                let mut milestones: Vec<(String, String)> = Vec::new();
                for (k, v) in r.milestones.iter().flat_map(|m| &m.get_ref().0) {
                    if let RawMilestone::Column(c) = v.get_ref() {
                        milestones.push((k.get_ref().clone(), c.clone()));
                    }
                }
                for (k, v) in r.milestones.iter().flat_map(|m| &m.get_ref().0) {
                    let RawMilestone::After {
                        after,
                        unit,
                        column,
                    } = v.get_ref()
                    else {
                        continue;
                    };
                    let Some((_, after_column)) = milestones.iter().find(|(m, _)| m == after)
                    else {
                        return Err(fail(
                            Some(v.span()),
                            format!(
                                "source {:?}: milestone {:?} is after {after:?}, which is not a milestone read from a column ({})",
                                name.get_ref(),
                                k.get_ref(),
                                milestones.iter().map(|(m, _)| format!("{m:?}")).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                    };
                    derived.push(super::Derived {
                        name: k.get_ref().clone(),
                        after_column: after_column.clone(),
                        column: column.clone(),
                        unit_secs: match unit.as_str() {
                            "minutes" => 60.0,
                            "hours" => 3600.0,
                            _ => 1.0,
                        },
                    });
                }
                if milestones.is_empty() {
                    return Err(fail(table_span.clone(), format!(
                        "source {:?}: a cases layout needs [sources.{}.milestones] mapping event names to time columns, e.g. paid = \"paid_at\"",
                        name.get_ref(), name.get_ref()
                    )));
                }
                Layout::Cases { milestones }
            }
            other => {
                return Err(fail(Some(layout_name.span()), format!("source {:?}: unknown layout {other:?}; expected \"events\" (one row per event), \"cases\" (one row per case) or \"threads\" (one row per message, replies linked by id)", name.get_ref())));
            }
        };
        Ok((layout, derived))
    }

    /// The CSV dialect: quote, delimiter and the lines before the header.
    fn dialect(&self) -> Result<(u8, u8, usize)> {
        let (r, name, fail) = (self.r, self.name, self.fail);
        let at = |s: &Spanned<String>| Some(s.span());
        let quote = match &r.quote {
            None => b'"',
            Some(q) => match q.get_ref().as_bytes() {
                [c] if c.is_ascii() => *c,
                _ => {
                    return Err(fail(
                        at(q),
                        format!(
                            "source {:?}: quote must be one ASCII character such as '\"' or \"'\"",
                            name.get_ref()
                        ),
                    ))
                }
            },
        };
        let skip_lines = match &r.skip_lines {
            None => 0,
            Some(n) if (0..=10_000).contains(n.get_ref()) => *n.get_ref() as usize,
            Some(n) => {
                return Err(fail(
                    Some(n.span()),
                    format!(
                        "source {:?}: skip_lines must be a number of lines from 0 to 10000",
                        name.get_ref()
                    ),
                ))
            }
        };
        let delimiter = match &r.delimiter {
            None => b',',
            Some(d) => match d.get_ref().as_str() {
                "\\t" | "\t" | "tab" => b'\t',
                s if s.len() == 1 && s.is_ascii() => s.as_bytes()[0],
                _ => return Err(fail(at(d), format!("source {:?}: delimiter must be one ASCII character such as \",\", \";\", \"|\" or \"\\t\"", name.get_ref()))),
            },
        }; // One byte cannot be both, and a line end cannot be either: the reader would split rows
           // where the export does not.
        if quote == delimiter
            || matches!(quote, b'\n' | b'\r')
            || matches!(delimiter, b'\n' | b'\r')
        {
            return Err(fail(
                r.quote.as_ref().or(r.delimiter.as_ref()).map(|s| s.span()),
                format!(
                    "source {:?}: the quote ({:?}) and the delimiter ({:?}) must be two different characters, neither a line end",
                    name.get_ref(),
                    quote as char,
                    delimiter as char
                ),
            ));
        }
        Ok((quote, delimiter, skip_lines))
    }

    /// Promised times (`deadlines`), by milestone name, kept as their columns.
    fn deadlines(&self, layout: &Layout) -> Result<Vec<String>> {
        let (r, name, fail) = (self.r, self.name, self.fail);
        let mut deadlines = Vec::new();
        if let (Some(list), Layout::Cases { milestones }) = (&r.deadlines, layout) {
            for wanted in list.get_ref() {
                match milestones.iter().find(|(m, _)| m == wanted) {
                    Some((_, col)) => deadlines.push(col.clone()),
                    None => {
                        return Err(fail(
                            Some(list.span()),
                            format!(
                                "source {:?}: `deadlines` names {wanted:?}, which is not one of its milestones ({})",
                                name.get_ref(),
                                milestones
                                    .iter()
                                    .map(|(m, _)| format!("{m:?}"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ))
                    }
                }
            }
        }
        Ok(deadlines)
    }
}

fn column_names(list: &Option<Spanned<Vec<String>>>, layout: &Layout) -> Vec<String> {
    let Some(list) = list else {
        return Vec::new();
    };
    list.get_ref()
        .iter()
        .map(|name| match layout {
            Layout::Cases { milestones } => milestones
                .iter()
                .find(|(m, _)| m == name)
                .map_or_else(|| name.clone(), |(_, c)| c.clone()),
            _ => name.clone(),
        })
        .collect()
}
