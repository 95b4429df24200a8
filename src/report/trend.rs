//! `trend`: the last N weeks or months, outcomes counted per period, the change from the period
//! before and the error budget.

use super::*;

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
    /// The zone the period is cut in (IANA name): the standards file's `timezone`, or
    /// `--timezone`; one label may stand for two spans when standards use two zones.
    pub timezone: String,
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
                // Machine formats carry every time in UTC (see report::Breach).
                since: rfc3339(since_s, Tz::UTC),
                until: rfc3339(until_s, Tz::UTC),
                timezone: tz.name().to_string(),
            })
        })
        .collect()
}

/// The last `n` periods as [`last_periods`] gives them, less those that end before `first`
/// (the earliest time in the data): a log of three weeks has a trend of three weeks, not of
/// five empty ones and three. The period holding `as_of` always stays.
pub fn fitted_periods(every: Every, n: u32, as_of: i64, tz: Tz, first: Option<i64>) -> Vec<Span> {
    let mut spans = last_periods(every, n, as_of, tz);
    if let Some(first) = first {
        let last = spans.len().saturating_sub(1);
        let mut k = 0;
        spans.retain(|p| {
            k += 1;
            k - 1 == last || p.until_s > first
        });
    }
    spans
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
    /// The target, or the low end of a target range (the error budget's).
    pub target: f64,
    /// The high end of a target range; null without one.
    pub target_max: Option<f64>,
    pub passed: Option<bool>,
    /// compliance minus the previous period's, in points; null when either has no data.
    pub change: Option<f64>,
    /// "up", "down" or "flat" with `change`.
    pub direction: Option<&'static str>,
    /// floor((100 - target) / 100 x decided): breaches the target allows in this period (the
    /// low end of a range: the high end caps successes, not breaches).
    pub budget_allowed: u64,
    /// breached / budget_allowed x 100; null when no breach is allowed but some happened.
    pub budget_used: Option<f64>,
    /// budget_allowed - breached: more breaches the period could have absorbed (negative: over).
    pub budget_left: i64,
    /// A standard with versions by date: the version the period shows and is judged against
    /// (in force at the period's end, or at the as-of); absent from the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<JudgedBy>,
    /// The zone the period is cut in (the standards file's `timezone`, or `--timezone`).
    pub timezone: String,
    /// The period runs past the as-of: it is not over, so its figures may still change.
    pub partial: bool,
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
        self.rows_by(|_| (s, None))
    }

    /// [`TrendCounts::rows`] of a standard that may have versions by date: each period shows
    /// (and is judged against the target of) the version in force at its end, or at `as_of`
    /// when that is earlier.
    pub fn rows_shown(self, catalog: &Catalog, head: &Standard, as_of: i64) -> Vec<TrendRow> {
        self.rows_by(|span| {
            let s = head.shown_at((span.until_s - 1).min(as_of));
            let version = (!head.versions.is_empty()).then(|| JudgedBy::of_version(catalog, s));
            (s, version)
        })
    }

    /// The rows, each period judged against the standard (and version) `pick` gives for it.
    fn rows_by<'s>(
        self,
        pick: impl Fn(&Span) -> (&'s Standard, Option<JudgedBy>),
    ) -> Vec<TrendRow> {
        let mut previous: Option<f64> = None;
        self.spans
            .iter()
            .zip(self.counts)
            .map(|(span, counts)| {
                let (s, version) = pick(span);
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
                    target_max: s.target_max,
                    passed: p.compliance.map(|c| s.passes(c)),
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
                    version,
                    timezone: span.timezone.clone(),
                    partial: false,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-25T12:00:00Z, a Wednesday of 2026-W48 (Monday 23 November).
    const AS_OF: i64 = 1_795_953_600 - 4 * 86_400;

    fn labels(spans: &[Span]) -> Vec<&str> {
        spans.iter().map(|s| s.period.as_str()).collect()
    }

    #[test]
    fn fitted_periods_start_at_the_first_times_period() {
        let utc = Tz::UTC;
        // The first time on Tuesday 10 November (2026-W46): W46 to W48, not eight weeks.
        let first = 1_794_312_000; // 2026-11-10T12:00:00Z
        let spans = fitted_periods(Every::Week, 8, AS_OF, utc, Some(first));
        assert_eq!(labels(&spans), ["2026-W46", "2026-W47", "2026-W48"]);
        assert!(spans[0].since_s <= first && first < spans[0].until_s);
        // Fewer periods than the data has: counted back from the as-of.
        assert_eq!(
            labels(&fitted_periods(Every::Week, 2, AS_OF, utc, Some(first))),
            ["2026-W47", "2026-W48"]
        );
        // A first time at the very start of a period keeps that period.
        let w47 = spans[1].since_s;
        assert_eq!(
            labels(&fitted_periods(Every::Week, 8, AS_OF, utc, Some(w47))),
            ["2026-W47", "2026-W48"]
        );
        // No time at all, or one after the as-of: the as-of's period stays.
        assert_eq!(
            labels(&fitted_periods(Every::Week, 8, AS_OF, utc, None)).len(),
            8
        );
        assert_eq!(
            labels(&fitted_periods(
                Every::Month,
                3,
                AS_OF,
                utc,
                Some(AS_OF + 86_400 * 40)
            )),
            ["2026-11"]
        );
        assert!(spans.iter().all(|s| s.timezone == "UTC"));
    }
}
