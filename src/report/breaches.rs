//! Breach rows and breach counts: breached outcomes -> one row each with the case's
//! attributes, the worst first; or counts per combination of attribute values.

use super::*;

/// `yardstick breaches`.
#[derive(Debug, Clone, Serialize)]
pub struct BreachReport {
    pub schema_version: u32,
    pub period: PeriodInfo,
    pub breaches: Vec<Breach>,
    pub inputs: Vec<InputStats>,
    /// Per standard id, the attributes the table shows (its `where` columns and
    /// `--columns`); the machine formats carry every attribute, so this is not serialised.
    #[serde(skip)]
    pub shown: std::collections::BTreeMap<String, Vec<String>>,
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
    /// A standard with versions by date: the version that judged the case (in force when its
    /// clock started); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<JudgedBy>,
    /// A value standard's number for the case (`required` holds its bounds).
    pub value: Option<f64>,
    /// The standard's report time zone, in which the table shows times. Every time above is
    /// UTC (`Z`): one offset per column, whatever files a folder mixes, so that pandas'
    /// `parse_dates` and spreadsheets read them as times.
    #[serde(skip)]
    pub zone: chrono_tz::Tz,
    /// A value standard's breach: how far its number lies outside the judging version's
    /// bounds and on which side ("over", "under"), for the table's "Over by" (JSON and CSV
    /// have the number and the bounds).
    #[serde(skip)]
    pub outside: Option<(f64, &'static str)>,
}

/// The version of a standard that judged a breach: its dates (null for an open end), title,
/// and where it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JudgedBy {
    pub effective_from: Option<String>,
    pub effective_until: Option<String>,
    pub title: Option<String>,
    pub file: String,
    pub line: usize,
}

impl JudgedBy {
    /// The version of `head` in force at `start`, if it has versions.
    pub(crate) fn of<'s>(
        catalog: &Catalog,
        head: &'s Standard,
        start: i64,
    ) -> Option<(&'s Standard, JudgedBy)> {
        let v = &head.versions[head.version_at(start)?];
        Some((v, JudgedBy::of_version(catalog, v)))
    }

    /// Version `v` of a standard with versions by date.
    pub(crate) fn of_version(catalog: &Catalog, v: &Standard) -> JudgedBy {
        JudgedBy {
            effective_from: v.effective.from_text(),
            effective_until: v.effective.until_text(),
            title: v.title.clone(),
            file: catalog.files[v.file].path.display().to_string(),
            line: v.line,
        }
    }
}

/// Breach rows of one standard, in case order.
pub fn breaches(
    catalog: &Catalog,
    s: &Standard,
    data: &SourceData,
    outcomes: &[Outcome],
) -> Vec<Breach> {
    let tz = catalog.files[s.file].timezone;
    // A repeat standard's case is a customer: with a `customer` column, its value (the
    // outcome's case is the customer's first visit in the look-back, shown in the attributes).
    let customer = match &s.kind {
        Kind::Repeat {
            customer: Some(c), ..
        } => data.attr_index(c),
        _ => None,
    };
    outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Breached)
        .map(|o| {
            let case = &data.cases[o.case];
            // A standard with versions by date: the version that judged it speaks.
            let (s, version) = match JudgedBy::of(catalog, s, o.start) {
                Some((v, by)) => (v, Some(by)),
                None => (s, None),
            };
            let timed = !matches!(
                s.kind,
                Kind::Count { .. } | Kind::Value { .. } | Kind::Repeat { .. }
            );
            let required = match &s.kind {
                Kind::Count {
                    at_least, at_most, ..
                } => Some(match (at_least, at_most) {
                    (Some(a), Some(b)) => format!("{a}-{b}"),
                    (Some(a), None) => format!(">={a}"),
                    (None, Some(b)) => format!("<={b}"),
                    (None, None) => String::new(),
                }),
                Kind::Value {
                    at_least, at_most, ..
                } => Some(crate::standards::value_bounds(*at_least, *at_most)),
                _ => None,
            };
            Breach {
                standard: s.id.clone(),
                level: s.level,
                source: catalog.sources[s.source].name.clone(),
                case: match customer {
                    Some(col) if data.attr(o.case, col) != 0 => {
                        data.attr_value(o.case, col).to_string()
                    }
                    _ => case.id.to_string(),
                },
                occurrence: o.occurrence,
                clock_start: rfc3339(o.start, Tz::UTC),
                clock_stop: o.stop.map(|t| rfc3339(t, Tz::UTC)),
                deadline: o.deadline.map(|t| rfc3339(t, Tz::UTC)),
                zone: tz,
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
                        .map(|(i, c)| (c.clone(), data.attr_value(o.case, i).to_string()))
                        .collect(),
                ),
                version,
                value: o.number,
                outside: match (&s.kind, o.number) {
                    (
                        Kind::Value {
                            at_least, at_most, ..
                        },
                        Some(v),
                    ) => outside_by(v, *at_least, *at_most).map(|d| {
                        (
                            d,
                            if at_least.is_some_and(|lo| v < lo) {
                                "under"
                            } else {
                                "over"
                            },
                        )
                    }),
                    _ => None,
                },
            }
        })
        .collect()
}

/// `breaches --top N`: of one standard's breached outcomes (in case order), the `n` worst,
/// the furthest over first (then by case); outcomes without an over-by (counts) come last.
/// Ranked before they become [`Breach`] rows, so that only the `n` kept are written out.
pub fn worst_first(breached: &mut Vec<Outcome>, n: usize) {
    // Stable: equal over-by keeps case order.
    breached.sort_by_key(|o| std::cmp::Reverse(o.over_by().map_or(i64::MIN, |v| v)));
    breached.truncate(n);
}

/// How far a value standard's number lies outside its bounds (`at_least` .. `at_most`): the
/// distance `explain` shows ("3 under"), none when it is within them.
pub fn outside_by(v: f64, at_least: Option<f64>, at_most: Option<f64>) -> Option<f64> {
    let low = at_least.filter(|&lo| v < lo).map(|lo| lo - v);
    let high = at_most.filter(|&hi| v > hi).map(|hi| v - hi);
    low.or(high)
}

/// [`worst_first`] for a value standard, which has no over-by in seconds: the furthest outside
/// the bounds of the version that judged the case first (then case order; a breach without
/// a number, which cannot be, last).
pub fn worst_first_valued(catalog: &Catalog, s: &Standard, breached: &mut Vec<Outcome>, n: usize) {
    let distance = |o: &Outcome| {
        let v = match JudgedBy::of(catalog, s, o.start) {
            Some((v, _)) => v,
            None => s,
        };
        match (&v.kind, o.number) {
            (
                Kind::Value {
                    at_least, at_most, ..
                },
                Some(x),
            ) => outside_by(x, *at_least, *at_most).unwrap_or(f64::NEG_INFINITY),
            _ => f64::NEG_INFINITY,
        }
    };
    // Stable: equal distances keep case order.
    breached.sort_by(|a, b| distance(b).total_cmp(&distance(a)));
    breached.truncate(n);
}

/// `breaches --by COLUMNS`: how many breaches each attribute value has, per standard.
#[derive(Debug, Clone, Serialize)]
pub struct BreachCounts {
    pub schema_version: u32,
    pub period: PeriodInfo,
    /// The attribute columns counted by, in `--by` order.
    pub by: Vec<String>,
    pub counts: Vec<BreachCount>,
    pub inputs: Vec<InputStats>,
}

/// The breaches of one standard with one combination of attribute values.
#[derive(Debug, Clone, Serialize)]
pub struct BreachCount {
    pub standard: String,
    pub level: Level,
    pub group: Group,
    pub breaches: u64,
    /// Percent of the standard's breaches.
    pub share: f64,
}

/// Breach counts of one standard per combination of `by` values, straight from its breached
/// outcomes, without making a [`Breach`] row of each.
pub fn count_breached(
    s: &Standard,
    data: &SourceData,
    breached: &[Outcome],
    by: &[String],
) -> Vec<BreachCount> {
    let cols: Vec<Option<usize>> = by.iter().map(|c| data.attr_index(c)).collect();
    // By value index first: one string per distinct combination, not per breach.
    let mut by_index: BTreeMap<Vec<Option<u32>>, u64> = BTreeMap::new();
    for o in breached.iter().filter(|o| o.verdict == Verdict::Breached) {
        let key = cols
            .iter()
            .map(|c| c.map(|c| data.attr(o.case, c)))
            .collect();
        *by_index.entry(key).or_default() += 1;
    }
    let mut counts: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for (key, n) in by_index {
        let values = key
            .iter()
            .zip(&cols)
            .map(|(v, c)| match (v, c) {
                (Some(v), Some(c)) => data.attr_values[*c][*v as usize].to_string(),
                _ => String::new(),
            })
            .collect();
        *counts.entry(values).or_default() += n;
    }
    count_rows(&s.id, s.level, counts, by).collect()
}

/// One standard's count rows: the most breaches first, then by value, each with its share.
pub(crate) fn count_rows<'a>(
    standard: &'a str,
    level: Level,
    counts: BTreeMap<Vec<String>, u64>,
    by: &'a [String],
) -> impl Iterator<Item = BreachCount> + 'a {
    let total = counts.values().sum::<u64>() as f64;
    let mut rows: Vec<(Vec<String>, u64)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.into_iter().map(move |(key, n)| BreachCount {
        standard: standard.to_string(),
        level,
        group: Group(by.iter().cloned().zip(key).collect()),
        breaches: n,
        share: n as f64 / total * 100.0,
    })
}
