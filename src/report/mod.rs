//! The report: outcomes -> one serialisable model per command (summary rows, breach rows),
//! shared by every renderer. Owns aggregation (compliance, quantiles, variance, grouping);
//! knows nothing of any output format.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::evaluate::{nearest_rank_tallied, Outcome, Verdict};
use crate::ingest::{InputStats, SourceData};
pub use crate::standards::StandardKind;
use crate::standards::{Catalog, Kind, Level, Standard};
use crate::time::calendar::Calendar;
use crate::time::stamp::{local_to_utc, rfc3339};

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

    /// A number for the bucket of a clock start, ordered as the buckets are (see
    /// [`Dim::bucket_label`]): a day's days from the common era, a week's ISO year x 100 +
    /// week, a month's year x 100 + month; `i64::MIN` for an instant past chrono's dates.
    fn bucket_id(&self, t: i64, tz: Tz) -> i64 {
        let Some(utc) = DateTime::from_timestamp(t, 0) else {
            return i64::MIN;
        };
        let local = utc.with_timezone(&tz);
        match self {
            Dim::Day => i64::from(local.num_days_from_ce()),
            Dim::Week => {
                let w = local.iso_week();
                i64::from(w.year()) * 100 + i64::from(w.week())
            }
            Dim::Month => i64::from(local.year()) * 100 + i64::from(local.month()),
            Dim::Attr(_) => i64::MIN,
        }
    }

    /// The label of a [`Dim::bucket_id`]: "2026-11-16", "2026-W47", "2026-11".
    fn bucket_label(&self, id: i64) -> String {
        if id == i64::MIN {
            return String::new();
        }
        let (year, n) = (id.div_euclid(100) as i32, id.rem_euclid(100) as u32);
        match self {
            Dim::Day => NaiveDate::from_num_days_from_ce_opt(id as i32)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Dim::Week => format!("{year}-W{n:02}"),
            Dim::Month => NaiveDate::from_ymd_opt(year, n, 1)
                .map(|d| d.format("%Y-%m").to_string())
                .unwrap_or_default(),
            Dim::Attr(_) => String::new(),
        }
    }
}

/// Group values in `--by` order; serialised as a JSON object in that order. The standard's
/// totals row (all groups) has no values and is serialised as `null`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group(pub Vec<(String, String)>);

impl Group {
    /// The totals row of a standard with `--by`: every group together.
    pub fn total() -> Group {
        Group(Vec::new())
    }

    pub fn is_total(&self) -> bool {
        self.0.is_empty()
    }

    /// "department=Support, week=2026-W47", for messages; "all groups" for the totals row.
    pub fn label(&self) -> String {
        if self.is_total() {
            return "all groups".to_string();
        }
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Serialize for Group {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_total() {
            return s.serialize_none();
        }
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
    /// The breaches behind the rows, for the workbook's Breaches sheet: filled only when an
    /// xlsx is written; not in the JSON schema (`yardstick breaches` lists them).
    #[serde(skip)]
    pub breaches: Vec<Breach>,
}

/// One standard, or one group of a standard with `--by`.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub title: Option<String>,
    pub level: Level,
    pub source: String,
    pub kind: StandardKind,
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
    /// The report time zone of the standard's file (IANA name).
    #[serde(skip)]
    pub timezone: String,
    /// Distribution of the measured values, for charts (HTML); not in the JSON schema.
    #[serde(skip)]
    pub histogram: Option<Histogram>,
    /// Compliance per ISO week of clock start, for trend charts (HTML); filled on the row of the
    /// whole standard (no `--by`, or the totals row); not in the JSON schema.
    #[serde(skip)]
    pub weekly: Vec<PeriodPoint>,
}

/// How a standard's measured values (seconds) are spread: `counts[i]` values fall in
/// `[start + i * width, start + (i + 1) * width)`, `above` at or past the last bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Histogram {
    pub start: i64,
    pub width: i64,
    pub counts: Vec<u64>,
    pub above: u64,
}

/// Bucket widths that read well on an axis: seconds, minutes, hours, days.
const NICE_WIDTHS: [i64; 22] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200,
    86_400, 172_800, 604_800, 2_592_000, 31_536_000,
];

impl Histogram {
    /// About 20 buckets from the lowest value (or 0) to past both the limit and the p90; values
    /// beyond, the long tail, are counted in `above`. `sorted`: (value, how often), ascending.
    pub(crate) fn of(
        sorted: &[(i64, u64)],
        limit: Option<i64>,
        p90: Option<i64>,
    ) -> Option<Histogram> {
        let (&(min, _), &(max, _)) = (sorted.first()?, sorted.last()?);
        let lo = min.min(0);
        let reach = limit
            .map_or(0, |l| l + l / 2)
            .max(p90.unwrap_or(max))
            .max(lo + 1);
        let hi = reach.min(max.max(limit.unwrap_or(max))).max(lo + 1);
        let raw = ((hi - lo + 19) / 20).max(1);
        let width = NICE_WIDTHS
            .iter()
            .copied()
            .find(|&w| w >= raw)
            .unwrap_or(raw);
        let start = lo.div_euclid(width) * width;
        let n = ((hi - start) / width + 1) as usize;
        let mut counts = vec![0u64; n];
        let mut above = 0;
        for &(v, n) in sorted {
            let i = ((v - start) / width) as usize;
            match counts.get_mut(i) {
                Some(c) => *c += n,
                None => above += n,
            }
        }
        Some(Histogram {
            start,
            width,
            counts,
            above,
        })
    }
}

/// One period (an ISO week "2026-W47" or a month "2026-11") of one standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodPoint {
    pub period: String,
    pub cases: u64,
    pub met: u64,
    pub breached: u64,
    pub open: u64,
    pub compliance: Option<f64>,
}

/// Counts a verdict in `[met, breached, open]` (an excluded outcome counts in none).
fn count_verdict(counts: &mut [u64; 3], verdict: Verdict) {
    match verdict {
        Verdict::Met => counts[0] += 1,
        Verdict::Breached => counts[1] += 1,
        Verdict::Open => counts[2] += 1,
        Verdict::Excluded(_) => {}
    }
}

/// A period's point from its met, breached and open outcomes.
fn point(period: String, [met, breached, open]: [u64; 3]) -> PeriodPoint {
    let decided = met + breached;
    PeriodPoint {
        period,
        cases: decided + open,
        met,
        breached,
        open,
        compliance: (decided > 0).then(|| met as f64 / decided as f64 * 100.0),
    }
}

#[derive(Default)]
struct Acc {
    met: u64,
    breached: u64,
    open: u64,
    excluded: u64,
    values: Tally,
    counts: Tally,
}

/// A multiset of measured values: each distinct value with how often it occurred. Values
/// from 0 to 16,383 (times in seconds up to four and a half hours: most first replies,
/// counts) are counted in place in a 64 KiB array; the rest go to a buffer that is sorted and
/// folded into runs of equal values when it grows as large as the runs. So an audit keeps far
/// less than one number per case, and a standard whose values rarely repeat costs at most
/// twice a plain list.
#[derive(Default)]
struct Tally {
    /// How often each value below `DENSE` occurred (empty until one does).
    dense: Vec<u32>,
    buf: Vec<i64>,
    /// (value, how often), values ascending and distinct.
    runs: Vec<(i64, u64)>,
}

const DENSE: usize = 1 << 14;

impl Tally {
    #[inline]
    fn push(&mut self, v: i64) {
        if !self.dense.is_empty() && (0..DENSE as i64).contains(&v) {
            let n = &mut self.dense[v as usize];
            match n.checked_add(1) {
                Some(m) => *n = m,
                // Four billion times one value: the rest of them go to the buffer.
                None => self.buf.push(v),
            }
            return;
        }
        self.buf.push(v);
        // A group with few values keeps them in the buffer (an audit --by day,agent has tens
        // of thousands of groups): the array pays only once it replaces as many values.
        if self.dense.is_empty() && self.buf.len() >= DENSE / 4 {
            self.dense = vec![0; DENSE];
            let dense = &mut self.dense;
            self.buf.retain(|&v| {
                let inside = (0..DENSE as i64).contains(&v);
                if inside {
                    dense[v as usize] += 1;
                }
                !inside
            });
        }
        if self.buf.len() >= self.runs.len().max(1 << 16) {
            self.fold();
        }
    }

    /// Sorts the buffer into runs and merges them with the runs so far.
    fn fold(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        self.buf.sort_unstable();
        let fresh = runs_of(self.buf.drain(..).map(|v| (v, 1)));
        self.runs = merge_runs(std::mem::take(&mut self.runs), fresh);
    }

    fn merge(&mut self, other: Tally) {
        self.buf.extend(other.buf);
        self.fold();
        self.runs = merge_runs(std::mem::take(&mut self.runs), other.runs);
        self.runs = merge_runs(std::mem::take(&mut self.runs), dense_runs(&other.dense));
    }

    /// (value, how often), values ascending.
    fn sorted(mut self) -> Vec<(i64, u64)> {
        self.fold();
        merge_runs(dense_runs(&self.dense), self.runs)
    }

    /// Everything in runs: the form [`Tally::sum`] takes.
    fn settle(&mut self) {
        self.runs = std::mem::take(self).sorted();
    }

    /// The union of settled tallies: merged one by one when they are few (the usual handful
    /// of departments), else one sort of all their runs (a totals row over tens of thousands
    /// of groups).
    fn sum<'t>(parts: impl ExactSizeIterator<Item = &'t Tally>) -> Tally {
        const FEW: usize = 8;
        let few = parts.len() <= FEW;
        let mut all: Vec<(i64, u64)> = Vec::new();
        for t in parts {
            debug_assert!(t.buf.is_empty() && t.dense.is_empty(), "settled");
            if few {
                all = merge_runs(all, t.runs.clone());
            } else {
                all.extend_from_slice(&t.runs);
            }
        }
        if few {
            return Tally {
                runs: all,
                ..Tally::default()
            };
        }
        all.sort_unstable_by_key(|&(v, _)| v);
        Tally {
            runs: runs_of(all),
            ..Tally::default()
        }
    }
}

/// (value, how often) pairs sorted by value, with equal values summed into one.
fn runs_of(sorted: impl IntoIterator<Item = (i64, u64)>) -> Vec<(i64, u64)> {
    let mut runs: Vec<(i64, u64)> = Vec::new();
    for (v, n) in sorted {
        match runs.last_mut() {
            Some((w, m)) if *w == v => *m += n,
            _ => runs.push((v, n)),
        }
    }
    runs
}

/// The non-zero counts of a dense tally as runs.
fn dense_runs(dense: &[u32]) -> Vec<(i64, u64)> {
    dense
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(v, &n)| (v as i64, u64::from(n)))
        .collect()
}

/// Two ascending lists of (value, how often) as one.
fn merge_runs(a: Vec<(i64, u64)>, b: Vec<(i64, u64)>) -> Vec<(i64, u64)> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                let n = x.1 + y.1;
                let v = x.0;
                a.next();
                b.next();
                (v, n)
            }
            (Some(x), Some(y)) if x.0 < y.0 => a.next().expect("peeked"),
            (Some(_), Some(_)) => b.next().expect("peeked"),
            (Some(_), None) => a.next().expect("peeked"),
            (None, Some(_)) => b.next().expect("peeked"),
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

impl Acc {
    fn merge(&mut self, other: Acc) {
        self.met += other.met;
        self.breached += other.breached;
        self.open += other.open;
        self.excluded += other.excluded;
        self.values.merge(other.values);
        self.counts.merge(other.counts);
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
                self.counts.push(c as i64);
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

/// Builds the summary rows of one standard: one row without `dims`; with `dims`, one row per
/// group (time buckets ascending, then attribute values by name) and then the totals row.
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

/// [`Dim::bucket_id`] of clock starts, remembering the last local day: outcomes come in case
/// order, so most share their day with the one before, and finding the day costs a time-zone
/// conversion.
struct DayBuckets {
    tz: Tz,
    /// Finds the local day of an instant.
    clock: Calendar,
    /// The last day (`[start, end)`) and its day, week and month ids.
    day: (i64, i64, [i64; 3]),
}

impl DayBuckets {
    fn new(tz: Tz) -> DayBuckets {
        DayBuckets {
            tz,
            clock: Calendar::always(tz),
            day: (0, 0, [0; 3]),
        }
    }

    /// The id of the `--by` time bucket `d` (day, week, month) of instant `t`.
    fn id(&mut self, d: &Dim, t: i64) -> i64 {
        let slot = match d {
            Dim::Day => 0,
            Dim::Week => 1,
            _ => 2,
        };
        let (start, end, ids) = self.day;
        if start <= t && t < end {
            return ids[slot];
        }
        let ids = [Dim::Day, Dim::Week, Dim::Month].map(|d| d.bucket_id(t, self.tz));
        let (start, end) = (self.clock.start_of_day(t), self.clock.start_of_next_day(t));
        // Kept only for a plain day: 24 hours holding `t`, on the same date from its first
        // second to its last. Where clocks changed at midnight (Newfoundland until 2010) a date
        // can come back after the next one began, and a day can begin in a clock gap; those
        // few days are bucketed instant by instant (as is an instant past chrono's dates).
        let plain = start <= t
            && t < end
            && end - start == 86_400
            && Dim::Day.bucket_id(start, self.tz) == ids[0]
            && Dim::Day.bucket_id(end - 1, self.tz) == ids[0];
        self.day = if plain {
            (start, end, ids)
        } else {
            (0, 0, ids)
        };
        ids[slot]
    }
}

/// The summary rows of one standard, built one outcome at a time (no memory per case beyond
/// the measured values that the quantiles need).
pub struct Summary<'a> {
    catalog: &'a Catalog,
    standard: &'a Standard,
    data: &'a SourceData,
    dims: &'a [Dim],
    attr_cols: Vec<Option<usize>>,
    /// (key, counts): the key has one number per `--by` dimension (an attribute value index,
    /// `u32::MAX` for a column the source lacks; a time bucket's [`Dim::bucket_id`]). Found
    /// by a scan while there are few (the usual handful of departments or channels: cheaper
    /// than hashing a list per outcome), through `index` past `FEW_GROUPS`.
    groups: Vec<(Vec<i64>, Acc)>,
    index: hashbrown::HashMap<Vec<i64>, usize>,
    key: Vec<i64>,
    buckets: DayBuckets,
    /// With [`Summary::with_weekly`]: per ISO week of clock start (its bucket id), the met,
    /// breached and open outcomes, for the whole standard's trend.
    weekly: Option<Vec<(i64, [u64; 3])>>,
    /// With one attribute dimension and nothing else (`--by department`, the usual audit):
    /// its column, and each value's group + 1 (0: not seen yet), so that an outcome finds its
    /// group by one index.
    single: Option<(usize, Vec<u32>)>,
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
            .collect::<Vec<_>>();
        let single = match attr_cols[..] {
            [Some(c)] => Some((c, Vec::new())),
            _ => None,
        };
        Summary {
            single,
            catalog,
            standard,
            data,
            dims,
            attr_cols,
            groups: Vec::new(),
            index: hashbrown::HashMap::new(),
            key: Vec::new(),
            buckets: DayBuckets::new(catalog.files[standard.file].timezone),
            weekly: None,
        }
    }

    /// Also counts the outcomes per ISO week, for the trend of the whole standard
    /// ([`Row::weekly`] of its totals row, or of its only row without `--by`).
    pub fn with_weekly(mut self) -> Summary<'a> {
        self.weekly = Some(Vec::new());
        self
    }

    fn add_to_week(&mut self, o: &Outcome) {
        let week = self.buckets.id(&Dim::Week, o.start);
        let Some(weeks) = &mut self.weekly else {
            return;
        };
        // Outcomes come in case order, so mostly in the week of the one before: look from the
        // newest week back.
        let i = match weeks.iter().rposition(|(w, _)| *w == week) {
            Some(i) => i,
            None => {
                weeks.push((week, [0; 3]));
                weeks.len() - 1
            }
        };
        count_verdict(&mut weeks[i].1, o.verdict);
    }

    pub fn add(&mut self, o: &Outcome) {
        if self.weekly.is_some() {
            self.add_to_week(o);
        }
        if let Some((c, known)) = &self.single {
            let v = self.data.attr(o.case, *c) as usize;
            if let Some(&g) = known.get(v).filter(|&&g| g != 0) {
                self.groups[g as usize - 1].1.add(o);
                return;
            }
        }
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        let dims = self.dims;
        for (k, d) in dims.iter().enumerate() {
            key.push(match self.attr_cols[k] {
                Some(c) => i64::from(self.data.attr(o.case, c)),
                None if d.is_time() => self.buckets.id(d, o.start),
                None => i64::from(u32::MAX),
            });
        }
        let g = self.group(&key);
        // One attribute dimension: the key is that value's index; remember its group.
        if let Some((_, known)) = &mut self.single {
            let v = key[0] as usize;
            if known.len() <= v {
                known.resize(v + 1, 0);
            }
            known[v] = g as u32 + 1;
        }
        self.key = key;
        self.groups[g].1.add(o);
    }

    /// The index of the group with this key, added when new.
    fn group(&mut self, key: &[i64]) -> usize {
        const FEW_GROUPS: usize = 16;
        if self.groups.len() <= FEW_GROUPS {
            if let Some(g) = self
                .groups
                .iter()
                // Element by element: a call to memcmp costs more than these few numbers.
                .position(|(k, _)| k.len() == key.len() && k.iter().zip(key).all(|(x, y)| x == y))
            {
                return g;
            }
        } else if let Some(&g) = self.index.get(key) {
            return g;
        }
        self.groups.push((key.to_vec(), Acc::default()));
        if self.groups.len() > FEW_GROUPS {
            // Every group not yet in the index: all of them when it starts, then the new one.
            for g in self.index.len()..self.groups.len() {
                self.index.insert(self.groups[g].0.clone(), g);
            }
        }
        self.groups.len() - 1
    }

    /// Sorts the values kept so far, so that [`Summary::merge`] only interleaves sorted lists.
    pub fn settle(&mut self) {
        for (_, acc) in &mut self.groups {
            acc.values.settle();
            acc.counts.settle();
        }
    }

    /// Adds the outcomes summarised by `other` (a summary of the same standard and data).
    pub fn merge(&mut self, other: Summary) {
        for (key, acc) in other.groups {
            let g = self.group(&key);
            self.groups[g].1.merge(acc);
        }
        if let (Some(mine), Some(theirs)) = (&mut self.weekly, other.weekly) {
            for (week, counts) in theirs {
                match mine.iter_mut().find(|(w, _)| *w == week) {
                    Some((_, n)) => n.iter_mut().zip(counts).for_each(|(a, b)| *a += b),
                    None => mine.push((week, counts)),
                }
            }
        }
    }

    pub fn finish(self) -> Vec<Row> {
        let (data, dims) = (self.data, self.dims);
        // Sort key: time buckets first (in time order, by id), then attribute values by name.
        let mut groups: BTreeMap<(Vec<i64>, Vec<String>), Acc> = BTreeMap::new();
        for (key, acc) in self.groups {
            let (mut time_key, mut attr_key) = (Vec::new(), Vec::new());
            for ((d, col), &v) in dims.iter().zip(&self.attr_cols).zip(&key) {
                match col {
                    Some(c) => attr_key.push(data.attr_values[*c][v as usize].to_string()),
                    None if d.is_time() => time_key.push(v),
                    None => attr_key.push(String::new()),
                }
            }
            groups.entry((time_key, attr_key)).or_default().merge(acc);
        }
        if dims.is_empty() && groups.is_empty() {
            groups.insert((vec![], vec![]), Acc::default());
        }
        // The totals row: every group's outcomes (summed here, not counted twice as they come).
        for acc in groups.values_mut() {
            acc.values.settle();
            acc.counts.settle();
        }
        let total = (!dims.is_empty()).then(|| Acc {
            met: groups.values().map(|a| a.met).sum(),
            breached: groups.values().map(|a| a.breached).sum(),
            open: groups.values().map(|a| a.open).sum(),
            excluded: groups.values().map(|a| a.excluded).sum(),
            values: Tally::sum(groups.values().map(|a| &a.values)),
            counts: Tally::sum(groups.values().map(|a| &a.counts)),
        });
        let mut out = groups
            .into_iter()
            .map(|((time_key, attr_key), acc)| {
                let group = (!dims.is_empty()).then(|| {
                    let (mut t, mut a) = (time_key.into_iter(), attr_key.into_iter());
                    Group(
                        dims.iter()
                            .map(|d| {
                                let v = match d.is_time() {
                                    true => t.next().map(|id| d.bucket_label(id)),
                                    false => a.next(),
                                };
                                (d.name().to_string(), v.unwrap_or_default())
                            })
                            .collect(),
                    )
                });
                row(self.catalog, self.standard, group, acc)
            })
            .collect::<Vec<Row>>();
        if let Some(total) = total {
            out.push(row(
                self.catalog,
                self.standard,
                Some(Group::total()),
                total,
            ));
        }
        if let (Some(mut weeks), Some(whole)) = (self.weekly, out.last_mut()) {
            weeks.sort_unstable_by_key(|(w, _)| *w);
            whole.weekly = weeks
                .into_iter()
                .map(|(w, counts)| point(Dim::Week.bucket_label(w), counts))
                .collect();
        }
        out
    }
}

fn row(catalog: &Catalog, s: &Standard, group: Option<Group>, acc: Acc) -> Row {
    let decided = acc.met + acc.breached;
    // In the contract's order of operations, so that the last digit matches met / (met + breached) x 100.
    let compliance = (decided > 0).then(|| acc.met as f64 / decided as f64 * 100.0);
    let values = acc.values.sorted();
    let counts = acc.counts.sorted();
    let limit = limit_s(s);
    let median = nearest_rank_tallied(&values, 1, 2);
    let p90 = nearest_rank_tallied(&values, 9, 10);
    let (at_least, at_most) = match &s.kind {
        Kind::Count {
            at_least, at_most, ..
        } => (*at_least, *at_most),
        _ => (None, None),
    };
    let count_median = nearest_rank_tallied(&counts, 1, 2).map(|c| c as u64);
    Row {
        id: s.id.clone(),
        title: s.title.clone(),
        level: s.level,
        source: catalog.sources[s.source].name.clone(),
        kind: s.kind.kind(),
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
        max_s: values.last().map(|&(v, _)| v),
        median_variance_s: median.zip(limit).map(|(m, l)| m - l),
        p90_variance_s: p90.zip(limit).map(|(p, l)| p - l),
        at_least,
        at_most,
        count_median,
        file: catalog.files[s.file].path.display().to_string(),
        line: s.line,
        timezone: catalog.files[s.file].timezone.name().to_string(),
        histogram: Histogram::of(&values, limit, p90),
        weekly: Vec::new(),
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
                        .map(|(i, c)| (c.clone(), data.attr_value(o.case, i).to_string()))
                        .collect(),
                ),
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

/// `trend --every`: the length of a trend period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    /// ISO weeks, Monday 00:00 to the next Monday.
    Week,
    /// Calendar months.
    Month,
}

/// One trend period: `[since, until)` in the report time zone, labelled like `--by week|month`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub period: String,
    #[serde(skip)]
    pub since_s: i64,
    #[serde(skip)]
    pub until_s: i64,
    pub since: String,
    pub until: String,
}

/// The last `n` periods, the last one holding `as_of`, oldest first.
pub fn last_periods(every: Every, n: u32, as_of: i64, tz: Tz) -> Vec<Span> {
    let Some(utc) = DateTime::from_timestamp(as_of, 0) else {
        return Vec::new();
    };
    let day = utc.with_timezone(&tz).date_naive();
    let first: NaiveDate = match every {
        Every::Week => day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday())),
        Every::Month => day.with_day(1).unwrap_or(day),
    };
    let back = |k: u32| -> Option<NaiveDate> {
        match every {
            Every::Week => first.checked_sub_days(chrono::Days::new(7 * u64::from(k))),
            Every::Month => first.checked_sub_months(Months::new(k)),
        }
    };
    let next = |d: NaiveDate| -> Option<NaiveDate> {
        match every {
            Every::Week => d.checked_add_days(chrono::Days::new(7)),
            Every::Month => d.checked_add_months(Months::new(1)),
        }
    };
    (0..n)
        .rev()
        .filter_map(|k| {
            let start = back(k)?;
            let end = next(start)?;
            let since_s = local_to_utc(start.and_time(NaiveTime::MIN), tz);
            let until_s = local_to_utc(end.and_time(NaiveTime::MIN), tz);
            let period = match every {
                Every::Week => {
                    let w = start.iso_week();
                    format!("{}-W{:02}", w.year(), w.week())
                }
                Every::Month => start.format("%Y-%m").to_string(),
            };
            Some(Span {
                period,
                since_s,
                until_s,
                since: rfc3339(since_s, tz),
                until: rfc3339(until_s, tz),
            })
        })
        .collect()
}

/// `yardstick trend`.
#[derive(Debug, Clone, Serialize)]
pub struct TrendReport {
    pub schema_version: u32,
    pub every: Every,
    pub as_of: String,
    pub periods: Vec<Span>,
    pub trend: Vec<TrendRow>,
    pub inputs: Vec<InputStats>,
}

/// One standard in one period, with the change against the period before and the error
/// budget: the breaches the target allows among the decided cases, and how much of it is used.
#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    pub id: String,
    pub title: Option<String>,
    pub level: Level,
    pub period: String,
    pub cases: u64,
    pub met: u64,
    pub breached: u64,
    pub open: u64,
    pub compliance: Option<f64>,
    pub target: f64,
    pub passed: Option<bool>,
    /// compliance minus the previous period's, in points; null when either has no data.
    pub change: Option<f64>,
    /// "up", "down" or "flat" with `change`.
    pub direction: Option<&'static str>,
    /// floor((100 - target) / 100 x decided): breaches the target allows in this period.
    pub budget_allowed: u64,
    /// breached / budget_allowed x 100; null when no breach is allowed but some happened.
    pub budget_used: Option<f64>,
    /// budget_allowed - breached: more breaches the period could have absorbed (negative: over).
    pub budget_left: i64,
}

/// Breaches a target allows among `decided` cases: floor((100 - target)% of them). Computed
/// from the points below 100 so that 90% of 10 allows exactly 1.
pub fn allowed_breaches(target: f64, decided: u64) -> u64 {
    let x = (100.0 - target).max(0.0) * decided as f64 / 100.0;
    (x + 1e-9).floor() as u64
}

/// The trend of one standard over `spans`: its met, breached and open outcomes per period
/// (by clock start), counted as they come.
pub struct TrendCounts<'a> {
    spans: &'a [Span],
    counts: Vec<[u64; 3]>,
}

impl<'a> TrendCounts<'a> {
    pub fn new(spans: &'a [Span]) -> TrendCounts<'a> {
        TrendCounts {
            spans,
            counts: vec![[0; 3]; spans.len()],
        }
    }

    /// Adds another count of the same periods (from another thread).
    pub fn merge(&mut self, other: TrendCounts) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    /// Counts an outcome in the period its clock started in (none: not counted).
    pub fn add(&mut self, o: &Outcome) {
        let Some(i) = self
            .spans
            .iter()
            .position(|p| o.start >= p.since_s && o.start < p.until_s)
        else {
            return;
        };
        count_verdict(&mut self.counts[i], o.verdict);
    }

    /// The standard's trend rows, periods in order, with the change from the period before
    /// and the error budget.
    pub fn rows(self, s: &Standard) -> Vec<TrendRow> {
        let mut previous: Option<f64> = None;
        self.spans
            .iter()
            .zip(self.counts)
            .map(|(span, counts)| {
                let p = point(span.period.clone(), counts);
                let change = p.compliance.zip(previous).map(|(c, b)| c - b);
                previous = p.compliance;
                let allowed = allowed_breaches(s.target, p.met + p.breached);
                TrendRow {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    level: s.level,
                    period: p.period,
                    cases: p.cases,
                    met: p.met,
                    breached: p.breached,
                    open: p.open,
                    compliance: p.compliance,
                    target: s.target,
                    passed: p.compliance.map(|c| c >= s.target),
                    change,
                    direction: change.map(|d| {
                        if d > 1e-9 {
                            "up"
                        } else if d < -1e-9 {
                            "down"
                        } else {
                            "flat"
                        }
                    }),
                    budget_allowed: allowed,
                    budget_used: if allowed > 0 {
                        Some(p.breached as f64 / allowed as f64 * 100.0)
                    } else {
                        (p.breached == 0).then_some(0.0)
                    },
                    budget_left: allowed as i64 - p.breached as i64,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The multiset as a plain list would give it.
    fn naive(values: &[i64]) -> Vec<(i64, u64)> {
        let mut v = values.to_vec();
        v.sort_unstable();
        let mut out: Vec<(i64, u64)> = Vec::new();
        for x in v {
            match out.last_mut() {
                Some((y, n)) if *y == x => *n += 1,
                _ => out.push((x, 1)),
            }
        }
        out
    }

    /// A clock start's bucket label, formatted straight from the instant: the reference for
    /// `bucket_label(bucket_id(t))`.
    fn bucket(d: &Dim, t: i64, tz: Tz) -> String {
        let Some(utc) = DateTime::from_timestamp(t, 0) else {
            return String::new();
        };
        let local = utc.with_timezone(&tz);
        match d {
            Dim::Day => local.format("%Y-%m-%d").to_string(),
            Dim::Week => {
                let w = local.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            Dim::Month => local.format("%Y-%m").to_string(),
            Dim::Attr(_) => String::new(),
        }
    }

    fn tally(values: &[i64]) -> Tally {
        let mut t = Tally::default();
        for &v in values {
            t.push(v);
        }
        t
    }

    #[test]
    fn a_tally_keeps_every_value_past_many_folds() {
        // Values in the dense range, negative (lateness) and large (days), in a scrambled
        // order, enough of them for the buffer to be folded into runs several times.
        let values: Vec<i64> = (0..300_000i64)
            .map(|i| match i % 3 {
                0 => (i * 7919) % 20_000,
                1 => -((i * 104_729) % 5_000),
                _ => 100_000 + (i * 31) % 250_000,
            })
            .collect();
        let (a, b) = values.split_at(123_457);
        let mut t = tally(a);
        t.merge(tally(b));
        assert_eq!(t.sorted(), naive(&values));
    }

    proptest! {
        #[test]
        fn tallies_merged_equal_the_sorted_values(
            parts in proptest::collection::vec(
                proptest::collection::vec(
                    prop_oneof![-50i64..50, 0i64..20_000, 16_000i64..17_000, any::<i64>()],
                    0..300,
                ),
                1..4,
            )
        ) {
            let mut all = Vec::new();
            let mut t = Tally::default();
            for part in &parts {
                all.extend_from_slice(part);
                t.merge(tally(part));
            }
            prop_assert_eq!(t.sorted(), naive(&all));
        }

        #[test]
        fn a_sum_of_settled_tallies_equals_the_sorted_values(
            // Up to 8 parts are merged one by one, more are sorted together: both ways.
            parts in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![-50i64..50, 0i64..40_000], 0..200),
                0..20,
            )
        ) {
            let settled: Vec<Tally> = parts
                .iter()
                .map(|p| {
                    let mut t = tally(p);
                    t.settle();
                    t
                })
                .collect();
            let all: Vec<i64> = parts.concat();
            prop_assert_eq!(Tally::sum(settled.iter()).sorted(), naive(&all));
        }

        #[test]
        fn remembered_days_give_the_buckets_of_each_instant(
            // Instants around 2026 and around DST changes, in runs that stay near each other
            // (as outcomes in case order do) and jumps.
            steps in proptest::collection::vec(prop_oneof![0i64..7_200, -90_000i64..90_000, -400_000_000i64..400_000_000], 1..200),
            zone in 0usize..4,
        ) {
            let tz: Tz = ["Europe/Berlin", "America/Sao_Paulo", "Pacific/Apia", "UTC"][zone].parse().unwrap();
            let mut buckets = DayBuckets::new(tz);
            // 2011-12-29, the day Samoa skipped, and on.
            let mut t = 1_325_000_000i64;
            for step in steps {
                t = (t + step).clamp(0, 4_000_000_000);
                for d in [Dim::Day, Dim::Week, Dim::Month] {
                    let id = buckets.id(&d, t);
                    prop_assert_eq!(id, d.bucket_id(t, tz));
                    prop_assert_eq!(d.bucket_label(id), bucket(&d, t, tz));
                }
            }
        }
    }

    #[test]
    fn days_with_a_clock_change_at_midnight_are_not_remembered() {
        // St John's fell back at 00:01 on 2010-11-07 (02:31 UTC): 00:00-00:01 of the 7th was
        // followed by 23:01 of the 6th. Casey (Antarctica) went from +11 to +8 at 2010-03-04
        // 16:00 local.
        let cases: [(&str, &[i64]); 2] = [
            (
                "America/St_Johns",
                &[1_289_097_030, 1_289_097_060, 1_289_097_600, 1_289_100_000],
            ),
            (
                "Antarctica/Casey",
                &[1_267_713_000, 1_267_716_600, 1_267_720_200, 1_267_740_000],
            ),
        ];
        for (zone, instants) in cases {
            let tz: Tz = zone.parse().unwrap();
            let mut buckets = DayBuckets::new(tz);
            for &t in instants {
                for d in [Dim::Day, Dim::Week, Dim::Month] {
                    assert_eq!(buckets.id(&d, t), d.bucket_id(t, tz), "{zone} {t}");
                }
            }
        }
    }

    #[test]
    fn remembered_days_match_around_every_clock_change_since_1970() {
        use chrono::{Offset, TimeZone};
        let offset = |tz: Tz, t: i64| {
            tz.offset_from_utc_datetime(&DateTime::from_timestamp(t, 0).unwrap().naive_utc())
                .fix()
                .local_minus_utc()
        };
        let mut wrong = Vec::new();
        for tz in chrono_tz::TZ_VARIANTS {
            // The changes of offset from 1970 to 2040 (those a week apart or more: all but a
            // few), found to the second.
            let (mut t, end) = (0i64, 2_208_988_800i64);
            while t < end {
                let next = t + 7 * 86_400;
                if offset(tz, next) != offset(tz, t) {
                    let (mut a, mut b) = (t, next);
                    while b - a > 1 {
                        let m = (a + b) / 2;
                        if offset(tz, m) == offset(tz, t) {
                            a = m;
                        } else {
                            b = m;
                        }
                    }
                    // Instants every hour for 12 hours either side, and at the change.
                    let mut instants: Vec<i64> = (-12..=12).map(|k| b + k * 3600).collect();
                    instants.extend([b - 1, b + 1]);
                    instants.sort();
                    let mut buckets = DayBuckets::new(tz);
                    for &u in &instants {
                        for d in [Dim::Day, Dim::Week, Dim::Month] {
                            if buckets.id(&d, u) != d.bucket_id(u, tz) {
                                wrong.push((tz.name(), u));
                            }
                        }
                    }
                }
                t = next;
            }
        }
        assert!(
            wrong.is_empty(),
            "{} wrong, e.g. {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
    }

    #[test]
    fn worst_first_keeps_the_furthest_over_then_case_order() {
        let o = |case: usize, verdict: Verdict, elapsed: Option<i64>| Outcome {
            case,
            occurrence: None,
            start: 0,
            stop: None,
            deadline: None,
            value: None,
            count: None,
            verdict,
            elapsed,
            limit: elapsed.map(|_| 600),
            paused: 0,
            stop_before_start: false,
        };
        // Over by 721, 3400, 721 and 10 seconds, and a count breach (no over-by).
        let mut list = vec![
            o(1, Verdict::Breached, Some(1321)),
            o(2, Verdict::Breached, None),
            o(4, Verdict::Breached, Some(4000)),
            o(5, Verdict::Breached, Some(1321)),
            o(8, Verdict::Breached, Some(610)),
        ];
        let mut top = list.clone();
        worst_first(&mut top, 3);
        assert_eq!(top.iter().map(|o| o.case).collect::<Vec<_>>(), [4, 1, 5]);
        worst_first(&mut list, 10);
        assert_eq!(
            list.iter().map(|o| o.case).collect::<Vec<_>>(),
            [4, 1, 5, 8, 2]
        );
    }

    #[test]
    fn bucket_labels_by_hand() {
        let t = 1_795_468_000; // 2026-11-23T21:06:40Z
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(bucket(&Dim::Day, t, berlin), "2026-11-23");
        assert_eq!(bucket(&Dim::Day, t + 3 * 3600, berlin), "2026-11-24");
        for (d, label) in [
            (Dim::Day, "2026-11-23"),
            (Dim::Week, "2026-W48"),
            (Dim::Month, "2026-11"),
        ] {
            assert_eq!(d.bucket_label(d.bucket_id(t, berlin)), label);
        }
        assert_eq!(
            Dim::Week.bucket_label(Dim::Week.bucket_id(1_767_225_600, Tz::UTC)),
            "2026-W01"
        );
    }
}
