//! Helpdesk presets: `preset = "zendesk-tickets"` in a `[sources.NAME]` table stands for the
//! source keys of that vendor's documented export (layout, case column, milestones under
//! canonical names, time formats, null values). Keys the table sets itself win, key by key;
//! a `[milestones]` entry replaces the preset's entry of that name and keeps the others.
//! Attributes keep the export's own column names. Knows nothing of logs.

use std::ops::Range;

use toml::Spanned;

use super::raw::{Ordered, RawSource};
use super::Fail;
use crate::error::Result;
use crate::time::stamp::TimeFormat;

/// One helpdesk's export.
pub struct Preset {
    pub name: &'static str,
    /// The export it reads, in words.
    pub export: &'static str,
    /// Notes on its formats (variants accepted, what to set when the values are ambiguous).
    pub notes: &'static str,
    /// The standards-file lines it stands for (keys of a `[sources.NAME]` table; its
    /// `[milestones]` or `[events]` sub-table as `[milestones]`).
    pub lines: &'static str,
    /// The vendor writes numeric dates in an order each instance sets, and the preset reads
    /// day first: a log must show it (see `Source::ask_date_order`) unless the table sets its
    /// own `time_format`.
    pub asks_date_order: bool,
}

/// ISO 8601 with or without an offset (`Z`, `+02:00`, `+0200`, ` -0700`), with `T` or a space,
/// with or without seconds and fractions, and a bare date: the forms these vendors write.
/// Without an offset a time is local to the source's `timezone`.
const ISO: &str = r#"time_format = ["%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f %#z", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]"#;

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "zendesk-tickets",
        export: "Zendesk Support's ticket CSV export (Admin Center > Account > Tools > Reports > Export)",
        notes: "Zendesk's CSV export writes times in the account's default time zone as it was at the export, without an offset (\"2009-09-01 19:02\"): set `timezone` to that zone. ISO 8601 with an offset (the JSON export, the API) reads too. The export has no first-reply time stamp: first_reply is created plus \"First reply time in minutes\" (wall-clock minutes; an empty cell means no reply yet), and so are first_resolution and full_resolution. Custom fields (\"Name [list]\") and every other column are attributes under their own names.",
        lines: concat!(
            "layout = \"cases\"\n",
            "case = \"Id\"\n",
            "deadlines = [\"due\"]\n",
            "TIME_FORMAT\n",
            "[milestones]\n",
            "created = \"Created at\"\n",
            "initially_assigned = \"Initially assigned at\"\n",
            "assigned = \"Assigned at\"\n",
            "solved = \"Solved at\"\n",
            "due = \"Due date\"\n",
            "first_reply = { after = \"created\", minutes = \"First reply time in minutes\" }\n",
            "first_resolution = { after = \"created\", minutes = \"First resolution time in minutes\" }\n",
            "full_resolution = { after = \"created\", minutes = \"Full resolution time in minutes\" }\n",
        ),
        asks_date_order: false,
    },
    Preset {
        name: "freshdesk-tickets",
        export: "Freshdesk's ticket CSV export (Tickets > Export)",
        notes: "Freshdesk does not document the export's time format; the preset reads ISO 8601 and YYYY-MM-DD HH:MM[:SS], in the account's zone without an offset (set `timezone`). An account whose date format setting writes another form sets `time_format`. first_reply is \"Initial response time\", a time stamp. The \"(in hrs)\" columns are business-hour durations, often empty, so they stay attributes rather than milestones.",
        lines: concat!(
            "layout = \"cases\"\n",
            "case = \"Ticket ID\"\n",
            "deadlines = [\"due\"]\n",
            "TIME_FORMAT\n",
            "[milestones]\n",
            "created = \"Created time\"\n",
            "first_reply = \"Initial response time\"\n",
            "solved = \"Resolved time\"\n",
            "closed = \"Closed time\"\n",
            "due = \"Due by Time\"\n",
        ),
        asks_date_order: false,
    },
    Preset {
        name: "jira-issues",
        export: "Jira's issue CSV export (Filters > Export > CSV)",
        notes: "Jira writes dates in its look-and-feel formats, by default dd/MMM/yy h:mm a (\"12/Mar/24 3:45 PM\") and dd/MMM/yy for the due date (\"12/Mar/24\"); two- or four-digit years, a 12- or 24-hour clock and ISO 8601 are accepted too. An administrator can change those formats and month names follow the instance's language: then set `time_format`. Set `timezone` to the exporting user's zone. \"Custom field (...)\" columns are attributes under their own names.",
        lines: concat!(
            "layout = \"cases\"\n",
            "case = \"Issue key\"\n",
            "deadlines = [\"due\"]\n",
            "date_columns = [\"due\"]\n",
            "time_format = [\"%d/%b/%y %I:%M %p\", \"%d/%b/%Y %I:%M %p\", \"%d/%b/%y %H:%M\", \"%d/%b/%Y %H:%M\", \"%d/%b/%y\", \"%d/%b/%Y\", \"%Y-%m-%dT%H:%M:%S%.f%#z\", \"%Y-%m-%d %H:%M:%S%.f\", \"%Y-%m-%d %H:%M\", \"%Y-%m-%d\"]\n",
            "[milestones]\n",
            "created = \"Created\"\n",
            "solved = \"Resolved\"\n",
            "due = \"Due Date\"\n",
        ),
        asks_date_order: false,
    },
    Preset {
        name: "servicenow-incidents",
        export: "ServiceNow's incident event log (one row per update of an incident: number, incident_state, sys_updated_at, opened_at, resolved_at, closed_at, ...)",
        notes: "ServiceNow writes dates in the system format (by default yyyy-MM-dd HH:mm:ss, read) or in a user's own (dd-MM-yyyy, MM-dd-yyyy, ...): this preset reads day first (\"29/2/2016 01:16\", and the spreadsheet re-save \"29-02-2016 01:16\") and ISO \"YYYY-MM-DD HH:MM:SS\"; an instance that writes month first must set `time_format` (say \"%m/%d/%Y %H:%M\"). Dates such as 03/04/2016 read both ways, so the first 64 KiB of each log decide: a date there whose first field is above 12 shows day first and the read goes on; otherwise (month first, or no date that can tell) the read stops, names a line and asks for `time_format`. \"?\" is no value. The states New, Resolved and Closed are the events created, solved and closed; the other states keep their names (Active, Awaiting User Info, ...).",
        lines: concat!(
            "layout = \"events\"\n",
            "case = \"number\"\n",
            "time = \"sys_updated_at\"\n",
            "event = \"incident_state\"\n",
            "time_format = [\"%d/%m/%Y %H:%M\", \"%d/%m/%Y %H:%M:%S\", \"%d-%m-%Y %H:%M\", \"%d-%m-%Y %H:%M:%S\", \"%Y-%m-%d %H:%M:%S\"]\n",
            "null_values = [\"?\"]\n",
            "[events]\n",
            "\"New\" = \"created\"\n",
            "\"Resolved\" = \"solved\"\n",
            "\"Closed\" = \"closed\"\n",
        ),
        asks_date_order: true,
    },
    Preset {
        name: "zammad-tickets",
        export: "Zammad's ticket CSV export (reporting or the tickets API: number, created_at, first_response_at, close_at, group, owner, priority, state, ...)",
        notes: "The columns are the tickets API's, whose times are UTC with Z (\"2025-03-21T10:34:03.945Z\"). Zammad's reporting download is a workbook with other headers (\"Created At\", \"First Response At\", \"Closed At\") and times as YYYY-MM-DD HH:MM:SS in the zone of the browser that asked for it: saved as CSV, it reads with those columns named in `[milestones]` and `timezone` set to that zone.",
        lines: concat!(
            "layout = \"cases\"\n",
            "case = \"number\"\n",
            "TIME_FORMAT\n",
            "[milestones]\n",
            "created = \"created_at\"\n",
            "first_reply = \"first_response_at\"\n",
            "closed = \"close_at\"\n",
        ),
        asks_date_order: false,
    },
];

impl Preset {
    /// The lines, with the shared time formats written out.
    pub fn text(&self) -> String {
        self.lines.replace("TIME_FORMAT", ISO)
    }

    /// The columns it reads, in the order its lines name them.
    pub fn columns(&self) -> Vec<String> {
        let raw: RawSource = toml::from_str(&self.text()).expect("presets are valid");
        let mut out: Vec<String> = Vec::new();
        let mut add = |c: &str| {
            if !out.iter().any(|o| o == c) {
                out.push(c.to_string());
            }
        };
        for key in [&raw.case, &raw.time, &raw.event].into_iter().flatten() {
            add(key.get_ref());
        }
        for (_, m) in raw.milestones.iter().flat_map(|m| &m.get_ref().0) {
            match m.get_ref() {
                super::raw::RawMilestone::Column(c) => add(c),
                super::raw::RawMilestone::After { column, .. } => add(column),
            }
        }
        out
    }
}

/// What a preset reads, for `init` to match an export against it.
pub struct Reading {
    pub layout: String,
    /// The columns holding times (the event time, or the milestones read from columns).
    pub time_columns: Vec<String>,
    pub time_format: TimeFormat,
    pub null_values: Vec<String>,
    /// Milestone names (cases) in the preset's order.
    pub milestones: Vec<String>,
    /// Event values renamed (events layout).
    pub renames: Vec<(String, String)>,
    /// The event column (events layout).
    pub event: Option<String>,
}

impl Preset {
    pub fn reading(&self) -> Reading {
        let raw: RawSource = toml::from_str(&self.text()).expect("presets are valid");
        let mut time_columns: Vec<String> = raw.time.iter().map(|t| t.get_ref().clone()).collect();
        let mut milestones = Vec::new();
        for (k, m) in raw.milestones.iter().flat_map(|m| &m.get_ref().0) {
            milestones.push(k.get_ref().clone());
            if let super::raw::RawMilestone::Column(c) = m.get_ref() {
                time_columns.push(c.clone());
            }
        }
        Reading {
            layout: raw.layout.map(|l| l.into_inner()).unwrap_or_default(),
            time_columns,
            time_format: match raw.time_format {
                Some(f) => TimeFormat::patterns(&f.into_inner().0).expect("presets are valid"),
                None => TimeFormat::Auto,
            },
            null_values: raw.null_values.map(|n| n.into_inner()).unwrap_or_default(),
            milestones,
            renames: raw.events.map(|e| e.into_inner().0).unwrap_or_default(),
            event: raw.event.map(|e| e.into_inner()),
        }
    }
}

impl Preset {
    /// Its `time_format` patterns as written (empty when it reads the default forms).
    pub fn time_patterns(&self) -> Vec<String> {
        let raw: RawSource = toml::from_str(&self.text()).expect("presets are valid");
        raw.time_format
            .map(|f| f.into_inner().0)
            .unwrap_or_default()
    }
}

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// `r` merged over its preset: the table's own keys first, the preset's where it has none.
/// The preset's values point at the `preset` key in errors.
pub(super) fn apply(source: &str, r: &RawSource, fail: &Fail) -> Result<Option<RawSource>> {
    let Some(key) = &r.preset else {
        return Ok(None);
    };
    let preset = find(key.get_ref()).ok_or_else(|| {
        fail(
            Some(key.span()),
            format!(
                "source {source:?}: unknown preset {:?}; the presets are {} (`yardstick presets` lists them)",
                key.get_ref(),
                PRESETS.iter().map(|p| format!("{:?}", p.name)).collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let base: RawSource = toml::from_str(&preset.text()).expect("presets are valid");
    let at = key.span();
    fn re<T>(v: Option<Spanned<T>>, at: &Range<usize>) -> Option<Spanned<T>> {
        v.map(|s| Spanned::new(at.clone(), s.into_inner()))
    }
    macro_rules! merged {
        ($($field:ident),*) => {
            RawSource {
                preset: None,
                $($field: r.$field.clone().or_else(|| re(base.$field, &at)),)*
                events: merge(r.events.clone(), re(base.events, &at)),
                milestones: merge_spanned(r.milestones.clone(), base.milestones, &at),
            }
        };
    }
    Ok(Some(merged!(
        layout,
        case,
        time,
        event,
        timezone,
        time_format,
        path,
        delimiter,
        quote,
        skip_lines,
        null_values,
        date_columns,
        time_columns,
        deadlines,
        message,
        reply_to,
        attributes_from
    )))
}

/// The table's entries over the preset's, entry by entry.
fn merge<V: Clone>(
    own: Option<Spanned<Ordered<String, V>>>,
    preset: Option<Spanned<Ordered<String, V>>>,
) -> Option<Spanned<Ordered<String, V>>> {
    match (own, preset) {
        (Some(o), Some(p)) => {
            let span = o.span();
            let mut list = p.into_inner().0;
            for (k, v) in o.into_inner().0 {
                match list.iter_mut().find(|(pk, _)| *pk == k) {
                    Some(entry) => entry.1 = v,
                    None => list.push((k, v)),
                }
            }
            Some(Spanned::new(span, Ordered(list)))
        }
        (o, p) => o.or(p),
    }
}

type Milestones = Spanned<Ordered<Spanned<String>, Spanned<super::raw::RawMilestone>>>;

fn merge_spanned(
    own: Option<Milestones>,
    preset: Option<Milestones>,
    at: &Range<usize>,
) -> Option<Milestones> {
    let preset = preset.map(|p| {
        let list = p
            .into_inner()
            .0
            .into_iter()
            .map(|(k, v)| {
                (
                    Spanned::new(at.clone(), k.into_inner()),
                    Spanned::new(at.clone(), v.into_inner()),
                )
            })
            .collect();
        Spanned::new(at.clone(), Ordered(list))
    });
    match (own, preset) {
        (Some(o), Some(p)) => {
            let span = o.span();
            let mut list = p.into_inner().0;
            for (k, v) in o.into_inner().0 {
                match list.iter_mut().find(|(pk, _)| pk.get_ref() == k.get_ref()) {
                    Some(entry) => *entry = (k, v),
                    None => list.push((k, v)),
                }
            }
            Some(Spanned::new(span, Ordered(list)))
        }
        (o, p) => o.or(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_a_valid_source_table() {
        for p in PRESETS {
            let raw: RawSource =
                toml::from_str(&p.text()).unwrap_or_else(|e| panic!("{}: {e}", p.name));
            assert!(raw.layout.is_some() && raw.case.is_some(), "{}", p.name);
            if let Some(f) = &raw.time_format {
                crate::time::stamp::TimeFormat::patterns(&f.get_ref().0).unwrap();
            }
        }
        assert_eq!(
            find("zendesk-tickets").unwrap().columns()[..3],
            ["Id", "Created at", "Initially assigned at"]
        );
    }

    #[test]
    fn iso_variants_read() {
        use crate::time::stamp::{parse, TimeFormat};
        let raw: RawSource = toml::from_str(&find("zammad-tickets").unwrap().text()).unwrap();
        let f = TimeFormat::patterns(&raw.time_format.unwrap().into_inner().0).unwrap();
        let at = |s: &str| parse(s.as_bytes(), &f, chrono_tz::Tz::UTC).map(|s| s.secs);
        let want = at("2024-03-12T15:45:12Z");
        assert!(want.is_some());
        for v in [
            "2024-03-12T15:45:12.250Z",
            "2024-03-12T17:45:12+02:00",
            "2024-03-12 17:45:12 +0200",
            "2024-03-12 15:45:12",
        ] {
            assert_eq!(at(v), want, "{v}");
        }
        assert_eq!(at("2024-03-12 15:45"), Some(want.unwrap() - 12));
    }
}
