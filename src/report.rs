//! The report: outcomes -> one serialisable model per command (summary rows, breach rows),
//! shared by every renderer. Owns aggregation (compliance, quantiles, variance, grouping);
//! knows nothing of any output format.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike};
use chrono_tz::Tz;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::evaluate::{nearest_rank, Outcome, Verdict};
use crate::ingest::{InputStats, SourceData};
use crate::standards::{Catalog, Kind, Level, Standard};
use crate::timefmt::rfc3339;

/// Version of the JSON, CSV and TSV layouts; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A `--by` dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dim {
    Attr(String),
    Day,
    Week,
    Month,
}

impl Dim {
    pub fn parse_list(text: &str) -> Result<Vec<Dim>, String> {
        let mut dims = Vec::new();
        for part in text.split(',').map(str::trim) {
            let dim = match part {
                "" => return Err(format!("--by {text:?}: empty name; expected attribute columns and/or day, week, month, separated by commas")),
                "day" => Dim::Day,
                "week" => Dim::Week,
                "month" => Dim::Month,
                col => Dim::Attr(col.to_string()),
            };
            if dims.contains(&dim) {
                return Err(format!("--by {text:?}: {part:?} is given twice"));
            }
            dims.push(dim);
        }
        Ok(dims)
    }

    pub fn name(&self) -> &str {
        match self {
            Dim::Attr(c) => c,
            Dim::Day => "day",
            Dim::Week => "week",
            Dim::Month => "month",
        }
    }

    fn is_time(&self) -> bool {
        !matches!(self, Dim::Attr(_))
    }

    /// The bucket of a clock start: "2026-11-16", "2026-W47", "2026-11".
    fn bucket(&self, t: i64, tz: Tz) -> String {
        let Some(utc) = DateTime::from_timestamp(t, 0) else {
            return String::new();
        };
        let local = utc.with_timezone(&tz);
        match self {
            Dim::Day => local.format("%Y-%m-%d").to_string(),
            Dim::Week => {
                let w = local.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Dim::Month => local.format("%Y-%m").to_string(),
            Dim::Attr(_) => String::new(),
        }
    }
}

/// Group values in `--by` order; serialised as a JSON object in that order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group(pub Vec<(String, String)>);

impl Serialize for Group {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    pub since: Option<String>,
    pub until: Option<String>,
    pub as_of: Option<String>,
}

/// `yardstick audit`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub passed: bool,
    pub period: PeriodInfo,
    pub standards: Vec<Row>,
    pub inputs: Vec<InputStats>,
}

/// One standard, or one group of a standard with `--by`.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub title: Option<String>,
    pub level: Level,
    pub source: String,
    pub kind: &'static str,
    pub rule: String,
    pub calendar: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    pub cases: u64,
    pub met: u64,
    pub breached: u64,
    pub open: u64,
    pub excluded: u64,
    pub compliance: Option<f64>,
    pub target: f64,
    pub passed: Option<bool>,
    /// compliance - target, in percentage points.
    pub compliance_variance: Option<f64>,
    pub limit_s: Option<i64>,
    pub median_s: Option<i64>,
    pub p90_s: Option<i64>,
    pub max_s: Option<i64>,
    pub median_variance_s: Option<i64>,
    pub p90_variance_s: Option<i64>,
    pub at_least: Option<u64>,
    pub at_most: Option<u64>,
    pub count_median: Option<u64>,
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub line: usize,
}

#[derive(Default)]
struct Acc {
    met: u64,
    breached: u64,
    open: u64,
    excluded: u64,
    values: Vec<i64>,
    counts: Vec<u64>,
}

impl Acc {
    fn merge(&mut self, other: Acc) {
        self.met += other.met;
        self.breached += other.breached;
        self.open += other.open;
        self.excluded += other.excluded;
        self.values.extend(other.values);
        self.counts.extend(other.counts);
    }

    fn add(&mut self, o: &Outcome) {
        match o.verdict {
            Verdict::Met => self.met += 1,
            Verdict::Breached => self.breached += 1,
            Verdict::Open => self.open += 1,
            Verdict::Excluded(_) => {
                self.excluded += 1;
                return;
            }
        }
        if matches!(o.verdict, Verdict::Met | Verdict::Breached) {
            if let Some(v) = o.value {
                self.values.push(v);
            }
            if let Some(c) = o.count {
                self.counts.push(c);
            }
        }
    }
}

/// The limit that times are compared with: the fixed span, or 0 for lateness against a deadline.
fn limit_s(s: &Standard) -> Option<i64> {
    match &s.kind {
        Kind::Deadline { .. } => Some(0),
        // A count's limit is its window, when the window is a fixed span.
        k => k.within().and_then(|w| w.seconds()),
    }
}

/// Builds the summary rows of one standard.
pub fn rows(
    catalog: &Catalog,
    standard: &Standard,
    data: &SourceData,
    outcomes: &[Outcome],
    dims: &[Dim],
) -> Vec<Row> {
    let mut summary = Summary::new(catalog, standard, data, dims);
    for o in outcomes {
        summary.add(o);
    }
    summary.finish()
}

/// The summary rows of one standard, built one outcome at a time (no memory per case beyond
/// the measured values that the quantiles need).
pub struct Summary<'a> {
    catalog: &'a Catalog,
    standard: &'a Standard,
    data: &'a SourceData,
    dims: &'a [Dim],
    tz: Tz,
    attr_cols: Vec<Option<usize>>,
    /// Time buckets -> attribute value indexes (`u32::MAX`: no such column) -> counts.
    groups: HashMap<Vec<String>, HashMap<Vec<u32>, Acc>>,
    attr_key: Vec<u32>,
}

impl<'a> Summary<'a> {
    pub fn new(
        catalog: &'a Catalog,
        standard: &'a Standard,
        data: &'a SourceData,
        dims: &'a [Dim],
    ) -> Summary<'a> {
        let attr_cols = dims
            .iter()
            .map(|d| match d {
                Dim::Attr(c) => data.attr_index(c),
                _ => None,
            })
            .collect();
        Summary {
            catalog,
            standard,
            data,
            dims,
            tz: catalog.files[standard.file].timezone,
            attr_cols,
            groups: HashMap::new(),
            attr_key: Vec::new(),
        }
    }

    pub fn add(&mut self, o: &Outcome) {
        let mut time_key = Vec::new();
        self.attr_key.clear();
        for (d, col) in self.dims.iter().zip(&self.attr_cols) {
            match col {
                Some(c) => self.attr_key.push(self.data.cases[o.case].attrs[*c]),
                None if d.is_time() => time_key.push(d.bucket(o.start, self.tz)),
                None => self.attr_key.push(u32::MAX),
            }
        }
        let by_attr = self.groups.entry(time_key).or_default();
        match by_attr.get_mut(self.attr_key.as_slice()) {
            Some(acc) => acc.add(o),
            None => by_attr.entry(self.attr_key.clone()).or_default().add(o),
        }
    }

    /// Adds the outcomes summarised by `other` (a summary of the same standard and data).
    pub fn merge(&mut self, other: Summary) {
        for (time_key, by_attr) in other.groups {
            let mine = self.groups.entry(time_key).or_default();
            for (attr_key, acc) in by_attr {
                mine.entry(attr_key).or_default().merge(acc);
            }
        }
    }

    pub fn finish(self) -> Vec<Row> {
        let (data, dims) = (self.data, self.dims);
        // Sort key: time buckets first (ascending), then attribute values by name.
        let mut groups: BTreeMap<(Vec<String>, Vec<String>), Acc> = BTreeMap::new();
        for (time_key, by_attr) in self.groups {
            for (attr_ids, acc) in by_attr {
                let cols = dims
                    .iter()
                    .zip(&self.attr_cols)
                    .filter(|(d, c)| c.is_some() || !d.is_time())
                    .map(|(_, c)| *c);
                let attr_key: Vec<String> = attr_ids
                    .iter()
                    .zip(cols)
                    .map(|(&v, c)| match c {
                        Some(c) => data.attr_values[c][v as usize].to_string(),
                        None => String::new(),
                    })
                    .collect();
                groups
                    .entry((time_key.clone(), attr_key))
                    .or_default()
                    .merge(acc);
            }
        }
        if dims.is_empty() && groups.is_empty() {
            groups.insert((vec![], vec![]), Acc::default());
        }
        groups
            .into_iter()
            .map(|((time_key, attr_key), acc)| {
                let group = (!dims.is_empty()).then(|| {
                    let (mut t, mut a) = (time_key.into_iter(), attr_key.into_iter());
                    Group(
                        dims.iter()
                            .map(|d| {
                                let v = if d.is_time() { t.next() } else { a.next() };
                                (d.name().to_string(), v.unwrap_or_default())
                            })
                            .collect(),
                    )
                });
                row(self.catalog, self.standard, group, acc)
            })
            .collect()
    }
}

fn row(catalog: &Catalog, s: &Standard, group: Option<Group>, mut acc: Acc) -> Row {
    let decided = acc.met + acc.breached;
    // In the contract's order of operations, so that the last digit matches met / (met + breached) x 100.
    let compliance = (decided > 0).then(|| acc.met as f64 / decided as f64 * 100.0);
    acc.values.sort_unstable();
    acc.counts.sort_unstable();
    let limit = limit_s(s);
    let median = nearest_rank(&acc.values, 1, 2);
    let p90 = nearest_rank(&acc.values, 9, 10);
    let (at_least, at_most) = match &s.kind {
        Kind::Count {
            at_least, at_most, ..
        } => (*at_least, *at_most),
        _ => (None, None),
    };
    let count_median =
        (!acc.counts.is_empty()).then(|| acc.counts[acc.counts.len().div_ceil(2) - 1]);
    Row {
        id: s.id.clone(),
        title: s.title.clone(),
        level: s.level,
        source: catalog.sources[s.source].name.clone(),
        kind: s.kind.name(),
        rule: s.rule(),
        calendar: s.calendar.label(),
        group,
        cases: acc.met + acc.breached + acc.open,
        met: acc.met,
        breached: acc.breached,
        open: acc.open,
        excluded: acc.excluded,
        compliance,
        target: s.target,
        passed: compliance.map(|c| c >= s.target),
        compliance_variance: compliance.map(|c| c - s.target),
        limit_s: limit,
        median_s: median,
        p90_s: p90,
        max_s: acc.values.last().copied(),
        median_variance_s: median.zip(limit).map(|(m, l)| m - l),
        p90_variance_s: p90.zip(limit).map(|(p, l)| p - l),
        at_least,
        at_most,
        count_median,
        file: catalog.files[s.file].path.display().to_string(),
        line: s.line,
    }
}

/// `yardstick breaches`.
#[derive(Debug, Clone, Serialize)]
pub struct BreachReport {
    pub schema_version: u32,
    pub period: PeriodInfo,
    pub breaches: Vec<Breach>,
    pub inputs: Vec<InputStats>,
}

/// One breached case of one standard.
#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    pub standard: String,
    pub level: Level,
    pub source: String,
    pub case: String,
    pub occurrence: Option<u32>,
    pub clock_start: String,
    pub clock_stop: Option<String>,
    pub deadline: Option<String>,
    pub elapsed_s: Option<i64>,
    pub limit_s: Option<i64>,
    pub over_by_s: Option<i64>,
    /// Open time the clock stood still (pause_on .. resume_on); 0 without pauses.
    pub paused_s: Option<i64>,
    pub count: Option<u64>,
    pub required: Option<String>,
    pub attributes: Group,
}

/// Breach rows of one standard, in case order.
pub fn breaches(
    catalog: &Catalog,
    s: &Standard,
    data: &SourceData,
    outcomes: &[Outcome],
) -> Vec<Breach> {
    let tz = catalog.files[s.file].timezone;
    outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Breached)
        .map(|o| {
            let case = &data.cases[o.case];
            let timed = !matches!(s.kind, Kind::Count { .. });
            let required = match &s.kind {
                Kind::Count {
                    at_least, at_most, ..
                } => Some(match (at_least, at_most) {
                    (Some(a), Some(b)) => format!("{a}-{b}"),
                    (Some(a), None) => format!(">={a}"),
                    (None, Some(b)) => format!("<={b}"),
                    (None, None) => String::new(),
                }),
                _ => None,
            };
            Breach {
                standard: s.id.clone(),
                level: s.level,
                source: catalog.sources[s.source].name.clone(),
                case: case.id.to_string(),
                occurrence: o.occurrence,
                clock_start: rfc3339(o.start, tz),
                clock_stop: o.stop.map(|t| rfc3339(t, tz)),
                deadline: o.deadline.map(|t| rfc3339(t, tz)),
                elapsed_s: o.elapsed,
                limit_s: o.limit,
                over_by_s: o.over_by(),
                paused_s: timed.then_some(o.paused),
                count: o.count,
                required,
                attributes: Group(
                    data.attr_columns
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (c.clone(), data.attr_value(case, i).to_string()))
                        .collect(),
                ),
            }
        })
        .collect()
}
