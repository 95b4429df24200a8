//! The standards file as TOML gives it: one struct per table, every key optional and spanned
//! (so that an error points at its line and column), unknown keys refused; and the value forms
//! the format accepts (a name or a list of names, a percent as a number or a string, a map in
//! the file's order). Knows nothing of what the keys mean: `source` and `validate` judge them.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) version: Option<Spanned<i64>>,
    pub(super) timezone: Option<Spanned<String>>,
    #[serde(default = "Ordered::empty")]
    pub(super) calendars: Ordered<Spanned<String>, Spanned<RawCalendar>>,
    #[serde(default = "Ordered::empty")]
    pub(super) sources: Ordered<Spanned<String>, Spanned<RawSource>>,
    #[serde(default)]
    pub(super) standard: Vec<Spanned<RawStandard>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    /// A helpdesk preset whose keys this table starts from (`presets.rs`).
    pub(super) preset: Option<Spanned<String>>,
    pub(super) layout: Option<Spanned<String>>,
    pub(super) case: Option<Spanned<String>>,
    pub(super) time: Option<Spanned<String>>,
    pub(super) event: Option<Spanned<String>>,
    pub(super) timezone: Option<Spanned<String>>,
    pub(super) time_format: Option<Spanned<Names>>,
    pub(super) path: Option<Spanned<String>>,
    pub(super) delimiter: Option<Spanned<String>>,
    pub(super) quote: Option<Spanned<String>>,
    pub(super) skip_lines: Option<Spanned<i64>>,
    pub(super) null_values: Option<Spanned<Vec<String>>>,
    pub(super) date_columns: Option<Spanned<Vec<String>>>,
    /// Deadline columns read as times even when every value is at 00:00:00 (the opt-out of
    /// reading such a column as dates).
    pub(super) time_columns: Option<Spanned<Vec<String>>>,
    pub(super) deadlines: Option<Spanned<Vec<String>>>,
    pub(super) message: Option<Spanned<String>>,
    pub(super) reply_to: Option<Spanned<String>>,
    pub(super) attributes_from: Option<Spanned<Names>>,
    pub(super) events: Option<Spanned<Ordered<String, String>>>,
    pub(super) milestones: Option<Spanned<Ordered<Spanned<String>, Spanned<RawMilestone>>>>,
}

/// A milestone: its column (`paid = "paid_at"`), or another milestone plus a duration column
/// (`first_reply = { after = "created", minutes = "First reply time in minutes" }`).
#[derive(Clone)]
pub(super) enum RawMilestone {
    Column(String),
    After {
        after: String,
        /// `minutes`, `hours` or `seconds`, and the column.
        unit: String,
        column: String,
    },
}

impl<'de> Deserialize<'de> for RawMilestone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawMilestone;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a column name, or a table { after = \"MILESTONE\", minutes = \"COLUMN\" } (or hours, seconds)",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(RawMilestone::Column(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                const FIELDS: &[&str] = &["after", "minutes", "hours", "seconds"];
                let mut after = None;
                let mut unit: Option<(String, String)> = None;
                while let Some(key) = m.next_key::<String>()? {
                    match key.as_str() {
                        "after" => after = Some(m.next_value::<String>()?),
                        "minutes" | "hours" | "seconds" => {
                            if let Some((other, _)) = &unit {
                                return Err(de::Error::custom(format!(
                                    "a milestone takes one duration column: `{other}` or `{key}`, not both"
                                )));
                            }
                            unit = Some((key.clone(), m.next_value::<String>()?));
                        }
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                let after = after.ok_or_else(|| de::Error::missing_field("after"))?;
                let (unit, column) = unit.ok_or_else(|| {
                    de::Error::custom(
                        "a milestone after another needs its duration column: minutes = \"COLUMN\", hours = \"COLUMN\" or seconds = \"COLUMN\"",
                    )
                })?;
                Ok(RawMilestone::After {
                    after,
                    unit,
                    column,
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStandard {
    pub(super) id: Option<Spanned<String>>,
    pub(super) title: Option<Spanned<String>>,
    pub(super) level: Option<Spanned<String>>,
    pub(super) source: Option<Spanned<String>>,
    #[serde(rename = "where")]
    pub(super) filter: Option<Spanned<Ordered<String, Values>>>,
    pub(super) from: Option<Spanned<Names>>,
    pub(super) to: Option<Spanned<Names>>,
    pub(super) each: Option<Spanned<Names>>,
    pub(super) count: Option<Spanned<Names>>,
    pub(super) unless: Option<Spanned<Names>>,
    pub(super) within: Option<Spanned<String>>,
    pub(super) at_least: Option<Spanned<Bound>>,
    pub(super) at_most: Option<Spanned<Bound>>,
    /// A value standard's column (`value = "rings"`), and the events whose row it is read on.
    pub(super) value: Option<Spanned<String>>,
    pub(super) on: Option<Spanned<Names>>,
    pub(super) by: Option<Spanned<String>>,
    pub(super) calendar: Option<Spanned<RawCalendarRef>>,
    pub(super) pause_on: Option<Spanned<Names>>,
    pub(super) resume_on: Option<Spanned<Names>>,
    pub(super) target: Option<Spanned<Target>>,
    /// A repeat standard's event (`returns = "registered"`) and customer column.
    pub(super) returns: Option<Spanned<Names>>,
    pub(super) customer: Option<Spanned<String>>,
    /// The first day this version of the standard is in force (`versions.rs`).
    pub(super) effective_from: Option<Spanned<DateText>>,
    /// The first day it is no longer in force.
    pub(super) effective_until: Option<Spanned<DateText>>,
}

pub(super) type SpanList = Spanned<Vec<Spanned<String>>>;
pub(super) type Spans = Option<SpanList>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalendar {
    pub(super) timezone: Option<Spanned<String>>,
    pub(super) mon: Spans,
    pub(super) tue: Spans,
    pub(super) wed: Spans,
    pub(super) thu: Spans,
    pub(super) fri: Spans,
    pub(super) sat: Spans,
    pub(super) sun: Spans,
    pub(super) holidays: Option<Spanned<Vec<Spanned<DateText>>>>,
    pub(super) overrides: Option<Spanned<Ordered<Spanned<String>, SpanList>>>,
}

/// `calendar = "office"` or `calendar = { by = "team", map = { ... }, default = "..." }`.
pub(super) enum RawCalendarRef {
    Name(String),
    ByAttribute {
        by: Spanned<String>,
        map: Spanned<Ordered<String, Spanned<String>>>,
        default: Option<Spanned<String>>,
    },
}

impl<'de> Deserialize<'de> for RawCalendarRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCalendarRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a calendar name, or a table { by = \"COLUMN\", map = { VALUE = \"CALENDAR\" }, default = \"CALENDAR\" }",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(RawCalendarRef::Name(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                const FIELDS: &[&str] = &["by", "map", "default"];
                let (mut by, mut map, mut default) = (None, None, None);
                while let Some(key) = m.next_key::<String>()? {
                    match key.as_str() {
                        "by" => by = Some(m.next_value()?),
                        "map" => map = Some(m.next_value()?),
                        "default" => default = Some(m.next_value()?),
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(RawCalendarRef::ByAttribute {
                    by: by.ok_or_else(|| de::Error::missing_field("by"))?,
                    map: map.ok_or_else(|| de::Error::missing_field("map"))?,
                    default,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A TOML table with its keys in the order they are written (milestones, renames, filters).
#[derive(Clone)]
pub(super) struct Ordered<K, V>(pub(super) Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V2<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for V2<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

impl<K, V> Ordered<K, V> {
    fn empty() -> Self {
        Ordered(Vec::new())
    }
}

/// One event name or a list of them.
#[derive(Clone)]
pub(super) struct Names(pub(super) Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an event name or a list of event names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Names, E> {
                Ok(Names(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Names, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(Names(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A percentage: `95`, `99.5` or `"95%"` (also each end of a target range).
pub(super) struct Percent(pub(super) f64);

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Percent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a percentage such as 95, 99.5 or \"95%\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Percent, E> {
                Ok(Percent(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Percent, E> {
                Ok(Percent(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Percent, E> {
                percent_text(v)
                    .map(Percent)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// `at_least` / `at_most`: a whole number (a count's bound) or a decimal (a value's bound,
/// `at_least = 4.5`); `validate` says which kind takes which, so that the error points at the
/// key.
#[derive(Clone, Copy)]
pub(super) enum Bound {
    Whole(i64),
    Decimal(f64),
}

impl Bound {
    pub(super) fn as_f64(self) -> f64 {
        match self {
            Bound::Whole(n) => n as f64,
            Bound::Decimal(x) => x,
        }
    }
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Bound;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number such as 3 or 4.5")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Bound, E> {
                Ok(Bound::Whole(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Bound, E> {
                i64::try_from(v)
                    .map(Bound::Whole)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Bound, E> {
                if v.is_finite() {
                    Ok(Bound::Decimal(v))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A target: one percentage (`95`, `"95%"`), or a range of them, `[30, 50]` or `"30%..50%"`
/// (low end first; `validate` checks the order, so that the error can point at the key).
pub(super) enum Target {
    Single(f64),
    Range(f64, f64),
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Target;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a percentage such as 95, 99.5 or \"95%\", or a range such as [30, 50] or \"30%..50%\"",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Target, E> {
                Ok(Target::Single(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Target, E> {
                Ok(Target::Single(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Target, E> {
                let bad = || E::invalid_value(de::Unexpected::Str(v), &self);
                match v.split_once("..") {
                    None => percent_text(v).map(Target::Single).ok_or_else(bad),
                    Some((lo, hi)) => match (percent_text(lo), percent_text(hi)) {
                        (Some(lo), Some(hi)) => Ok(Target::Range(lo, hi)),
                        _ => Err(bad()),
                    },
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Target, A::Error> {
                let mut ends = Vec::new();
                while let Some(p) = seq.next_element::<Percent>()? {
                    ends.push(p.0);
                }
                match ends[..] {
                    [lo, hi] => Ok(Target::Range(lo, hi)),
                    _ => Err(de::Error::invalid_length(
                        ends.len(),
                        &"two percentages, [low, high]",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// `"95%"`, `"95"` or `" 95 % "` as a finite number.
fn percent_text(v: &str) -> Option<f64> {
    let t = v.trim();
    t.strip_suffix('%')
        .unwrap_or(t)
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// A date, written as a string (`"2026-12-25"`, or what the key also allows, such as a
/// recurring `"12-25"`) or as a TOML date (`2026-12-25`, no quotes), as text for the key's
/// own parser. A TOML date with a time of day is refused: a date key takes a whole day.
pub(super) struct DateText(pub(super) String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2026-12-25 or \"2026-12-25\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            // The toml crate hands a TOML date or time to a visitor as a one-entry map.
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<DateText, A::Error> {
                let dt =
                    toml::value::Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match (dt.date, dt.time, dt.offset) {
                    (Some(date), None, None) => Ok(DateText(date.to_string())),
                    _ => Err(de::Error::invalid_value(
                        de::Unexpected::Other(&format!("the date and time {dt}")),
                        &self,
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// One attribute value or a list of them; numbers and booleans are compared as written.
pub(super) struct Values(pub(super) Vec<String>);

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            S(String),
            I(i64),
            F(f64),
            B(bool),
        }
        impl Scalar {
            fn text(self) -> String {
                match self {
                    Scalar::S(s) => s,
                    Scalar::I(i) => i.to_string(),
                    Scalar::F(f) => f.to_string(),
                    Scalar::B(b) => b.to_string(),
                }
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Values;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or a list of values")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Values, E> {
                Ok(Values(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Values, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<Scalar>()? {
                    out.push(s.text());
                }
                Ok(Values(out))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------------------------
// Loading and validation.
