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
use crate::standards::{Catalog, Due, Kind, Level, Standard};
use crate::time::calendar::Calendar;
use crate::time::stamp::{local_to_utc, rfc3339};

mod breaches;
mod summary;
mod tally;
mod trend;
mod versions;

pub use breaches::*;
pub use summary::*;
use tally::*;
pub use trend::*;
pub use versions::VersionRow;

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
    /// The measured values are lateness against a deadline (`to - deadline`, negative when
    /// early): deadline standards, and each standards with a promised time (`by`).
    #[serde(skip)]
    pub lateness: bool,
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
    /// The target, or the low end of a target range.
    pub target: f64,
    /// The high end of a target range; null without one.
    pub target_max: Option<f64>,
    pub passed: Option<bool>,
    /// compliance - target, in percentage points; with a range, the distance to it (0 inside,
    /// negative below, positive above).
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
    /// The 95% Wilson score interval of `compliance` (percent), from met of decided cases:
    /// how far the figure may be from the rate behind it, so that nobody is ranked on noise.
    pub compliance_low: Option<f64>,
    pub compliance_high: Option<f64>,
    /// Value standards (`value = "COLUMN"`; null for other kinds): the bounds, decimals
    /// allowed (`at_least` and `at_most` above stay a count's whole numbers).
    pub value_at_least: Option<f64>,
    pub value_at_most: Option<f64>,
    /// Value standards: the nearest-rank median, p90 and maximum of the decided cases'
    /// numbers (the `_s` fields, which are times, are null for them).
    pub median_value: Option<f64>,
    pub p90_value: Option<f64>,
    pub max_value: Option<f64>,
    /// Value standards: the cases without a number in the column, not scored (counted in
    /// `excluded`).
    pub no_value: Option<u64>,
    #[serde(skip)]
    pub file: String,
    #[serde(skip)]
    pub line: usize,
    /// Distribution of the measured values, for charts (HTML); not in the JSON schema.
    #[serde(skip)]
    pub histogram: Option<Histogram>,
    /// Compliance per ISO week of clock start, for trend charts (HTML); filled on the row of the
    /// whole standard (no `--by`, or the totals row); not in the JSON schema.
    #[serde(skip)]
    pub weekly: Vec<PeriodPoint>,
    /// A standard with versions by date: every version, with the row's cases each judged (the
    /// row shows the one in force at the end of its period); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionRow>,
    /// The shown version's `effective_from` and `effective_until` (CSV, tables); none without
    /// versions.
    #[serde(skip)]
    pub effective_from: Option<String>,
    #[serde(skip)]
    pub effective_until: Option<String>,
    /// The zone the standard's periods, days, weeks and months are cut in (IANA name): its
    /// file's `timezone`, or `--timezone`. Serialised (it was once only the workbook's), and
    /// so here, last, after every key the JSON had before it.
    pub timezone: String,
    /// A repeat standard's look-back and period as the audit used them; absent (not null) on
    /// the rows of other kinds, whose JSON is unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<RepeatWindow>,
}

/// Who a repeat standard's customers are and when they must return: `[look_back, since)` and
/// `[since, until)`, UTC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatWindow {
    pub look_back: String,
    pub since: String,
    pub until: String,
    /// Whether the period is the default (the audit gave no `--since` and `--until`).
    pub default_period: bool,
    /// The same three instants in seconds, for renderers that show local dates.
    #[serde(skip)]
    pub instants: [i64; 3],
    /// Which ends of the period the audit gave (`--since`, `--until`).
    #[serde(skip)]
    pub given: [bool; 2],
    /// The look-back as written ("365d"), for the words of a default period.
    #[serde(skip)]
    pub within: String,
}

impl RepeatWindow {
    pub fn new(p: crate::evaluate::RepeatPeriod, within: &str) -> RepeatWindow {
        RepeatWindow {
            look_back: rfc3339(p.look_back, Tz::UTC),
            since: rfc3339(p.since, Tz::UTC),
            until: rfc3339(p.until, Tz::UTC),
            default_period: p.given != [true, true],
            instants: [p.look_back, p.since, p.until],
            given: p.given,
            within: within.to_string(),
        }
    }
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

    proptest! {
        /// Numbers sort as their keys do, and a key gives its number back (-0 as 0), so that
        /// a tally of keys has the numbers' nearest-rank quantiles.
        #[test]
        fn number_keys_keep_the_order_of_numbers(
            a in prop_oneof![-1e6f64..1e6, any::<f64>().prop_filter("finite", |v| v.is_finite())],
            b in prop_oneof![-10f64..10.0, Just(0.0), Just(-0.0)],
        ) {
            prop_assert_eq!(a < b, number_key(a) < number_key(b));
            prop_assert_eq!(a == b, number_key(a) == number_key(b));
            prop_assert_eq!(key_number(number_key(a)), a + 0.0);
        }
    }

    #[test]
    fn number_keys_by_hand() {
        let keys: Vec<i64> = [-2.5, -0.0, 0.0, 0.1, 4.0, 4.5].map(number_key).to_vec();
        assert_eq!(keys[1], keys[2], "-0 is 0");
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
        let mut t = Tally::default();
        for v in [5.0, 4.5, 4.0, 3.5, 2.0] {
            t.push(number_key(v));
        }
        let sorted = t.sorted();
        assert_eq!(
            nearest_rank_tallied(&sorted, 1, 2).map(key_number),
            Some(4.0)
        );
        assert_eq!(
            nearest_rank_tallied(&sorted, 9, 10).map(key_number),
            Some(5.0)
        );
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
            number: None,
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
