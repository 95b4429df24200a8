//! Summary rows of `audit`: outcomes of a standard -> one row per group (attribute values,
//! day/week/month buckets in the report time zone) and a totals row, with compliance,
//! quantiles and variance; the weekly points of the HTML page.

use super::*;

/// The limit that times are compared with: the fixed span, or 0 for lateness against a deadline.
pub fn limit_s(s: &Standard) -> Option<i64> {
    match &s.kind {
        // Lateness against a deadline (or a promised time): the limit is 0.
        Kind::Deadline { .. }
        | Kind::Each {
            due: Due::By(_), ..
        } => Some(0),
        // A repeat rate measures no time: its look-back says who counts, not how fast.
        Kind::Repeat { .. } => None,
        // A count's limit is its window, when the window is a fixed span.
        k => k.within().and_then(|w| w.seconds()),
    }
}

/// Builds the summary rows of one standard from a list of its outcomes, in one go: one row
/// without `dims`; with `dims`, one row per group (time buckets ascending, then attribute
/// values by name) and then the totals row. The audit folds outcomes into a [`Summary`] as
/// they come instead; this is the sequential form that tests hold the audit against (it is
/// the same `Summary`, fed in case order on one thread).
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
pub(super) struct DayBuckets {
    tz: Tz,
    /// Finds the local day of an instant.
    clock: Calendar,
    /// The last day (`[start, end)`) and its day, week and month ids.
    day: (i64, i64, [i64; 3]),
}

impl DayBuckets {
    pub(super) fn new(tz: Tz) -> DayBuckets {
        DayBuckets {
            tz,
            clock: Calendar::always(tz),
            day: (0, 0, [0; 3]),
        }
    }

    /// The id of the `--by` time bucket `d` (day, week, month) of instant `t`.
    pub(super) fn id(&mut self, d: &Dim, t: i64) -> i64 {
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
    /// The last instant of the audited period (see [`Summary::with_end`]).
    end: i64,
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
            end: i64::MAX,
        }
    }

    /// The last instant of the audited period: a standard with versions by date shows, in each
    /// row, the version in force then (in a `--by` day, week or month, at the end of that
    /// bucket, if earlier). Without it, the latest version.
    pub fn with_end(mut self, end: i64) -> Summary<'a> {
        self.end = end;
        self
    }

    /// The version of the standard a row shows: the one in force at the end of its period,
    /// the row's time buckets (ids, in `--by` order of the time dimensions) cut from the audit's.
    fn shown(&self, time_key: &[i64]) -> &'a Standard {
        let tz = self.catalog.files[self.standard.file].timezone;
        let time_dims = self.dims.iter().filter(|d| d.is_time());
        let end = time_dims
            .zip(time_key)
            .filter_map(|(d, &id)| versions::bucket_end(d, id, tz))
            .map(|t| t - 1)
            .fold(self.end, i64::min);
        self.standard.shown_at(end)
    }

    /// The summary row of a group, with the version it shows and the counts of every version.
    fn versioned_row(&self, group: Option<Group>, time_key: &[i64], mut acc: Acc) -> Row {
        if self.standard.versions.is_empty() {
            return row(self.catalog, self.standard, group, acc);
        }
        let shown = self.shown(time_key);
        let counts = std::mem::take(&mut acc.versions);
        Row {
            versions: versions::version_rows(self.catalog, self.standard, &counts, shown),
            effective_from: shown.effective.from_text(),
            effective_until: shown.effective.until_text(),
            ..row(self.catalog, shown, group, acc)
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
        // A repeat rate is one figure for its whole period: a customer's week would be that of
        // its visit before the period, so it has no weekly trend.
        if self.weekly.is_some() && !matches!(self.standard.kind, Kind::Repeat { .. }) {
            self.add_to_week(o);
        }
        // A standard with versions by date: the one in force at the clock start judged it.
        let version = match self.standard.versions.is_empty() {
            true => None,
            false => self.standard.version_at(o.start),
        };
        if let Some((c, known)) = &self.single {
            let v = self.data.attr(o.case, *c) as usize;
            if let Some(&g) = known.get(v).filter(|&&g| g != 0) {
                self.groups[g as usize - 1].1.add_judged(o, version);
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
        self.groups[g].1.add_judged(o, version);
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
            acc.numbers.settle();
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

    pub fn finish(mut self) -> Vec<Row> {
        let (data, dims) = (self.data, self.dims);
        // Sort key: time buckets first (in time order, by id), then attribute values by name.
        let mut groups: BTreeMap<(Vec<i64>, Vec<String>), Acc> = BTreeMap::new();
        for (key, acc) in std::mem::take(&mut self.groups) {
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
            acc.numbers.settle();
        }
        let total = (!dims.is_empty()).then(|| Acc {
            met: groups.values().map(|a| a.met).sum(),
            breached: groups.values().map(|a| a.breached).sum(),
            open: groups.values().map(|a| a.open).sum(),
            excluded: groups.values().map(|a| a.excluded).sum(),
            values: Tally::sum(groups.values().map(|a| &a.values)),
            counts: Tally::sum(groups.values().map(|a| &a.counts)),
            versions: groups.values().fold(Vec::new(), |mut all, a| {
                Acc::merge_versions_into(&mut all, &a.versions);
                all
            }),
            numbers: Tally::sum(groups.values().map(|a| &a.numbers)),
            no_value: groups.values().map(|a| a.no_value).sum(),
        });
        let mut out = groups
            .into_iter()
            .map(|((time_key, attr_key), acc)| {
                let times = time_key.clone();
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
                self.versioned_row(group, &times, acc)
            })
            .collect::<Vec<Row>>();
        if let Some(total) = total {
            out.push(self.versioned_row(Some(Group::total()), &[], total));
        }
        if let (Some(mut weeks), Some(whole)) = (self.weekly.take(), out.last_mut()) {
            weeks.sort_unstable_by_key(|(w, _)| *w);
            whole.weekly = weeks
                .into_iter()
                .map(|(w, counts)| point(Dim::Week.bucket_label(w), counts))
                .collect();
        }
        out
    }
}

/// The 95% Wilson score interval, in percent, of `met` successes in `decided` trials; none
/// without a decided case. Unlike the normal approximation it stays inside 0-100 and is not
/// empty at 0% or 100%, where small groups often are.
pub fn wilson(met: u64, decided: u64) -> Option<(f64, f64)> {
    if decided == 0 {
        return None;
    }
    // The 97.5th percentile of the standard normal distribution.
    const Z: f64 = 1.959_963_984_540_054;
    let n = decided as f64;
    let p = met as f64 / n;
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some((
        ((centre - half) * 100.0).max(0.0),
        ((centre + half) * 100.0).min(100.0),
    ))
}

pub(super) fn row(catalog: &Catalog, s: &Standard, group: Option<Group>, acc: Acc) -> Row {
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
    let numbers = acc.numbers.sorted();
    let (value_at_least, value_at_most, no_value) = match &s.kind {
        Kind::Value {
            at_least, at_most, ..
        } => (*at_least, *at_most, Some(acc.no_value)),
        _ => (None, None, None),
    };
    Row {
        id: s.id.clone(),
        title: s.title.clone(),
        level: s.level,
        source: catalog.sources[s.source].name.clone(),
        kind: s.kind.kind(),
        lateness: matches!(
            s.kind,
            Kind::Deadline { .. }
                | Kind::Each {
                    due: Due::By(_),
                    ..
                }
        ),
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
        target_max: s.target_max,
        passed: compliance.map(|c| s.passes(c)),
        compliance_variance: compliance.map(|c| s.target_variance(c)),
        limit_s: limit,
        median_s: median,
        p90_s: p90,
        max_s: values.last().map(|&(v, _)| v),
        median_variance_s: median.zip(limit).map(|(m, l)| m - l),
        p90_variance_s: p90.zip(limit).map(|(p, l)| p - l),
        at_least,
        at_most,
        count_median,
        compliance_low: wilson(acc.met, acc.met + acc.breached).map(|(lo, _)| lo),
        compliance_high: wilson(acc.met, acc.met + acc.breached).map(|(_, hi)| hi),
        value_at_least,
        value_at_most,
        median_value: nearest_rank_tallied(&numbers, 1, 2).map(key_number),
        p90_value: nearest_rank_tallied(&numbers, 9, 10).map(key_number),
        max_value: numbers.last().map(|&(k, _)| key_number(k)),
        no_value,
        file: catalog.files[s.file].path.display().to_string(),
        line: s.line,
        timezone: catalog.files[s.file].timezone.name().to_string(),
        histogram: Histogram::of(&values, limit, p90),
        weekly: Vec::new(),
        repeat: None,
        versions: Vec::new(),
        effective_from: None,
        effective_until: None,
    }
}

#[cfg(test)]
mod wilson_tests {
    use super::wilson;

    /// By hand for 75 met of 81 decided (first-reply-10m on the ticket desk): p = 0.925926,
    /// z^2 = 3.841459, z^2/n = 0.047425; centre = (p + 0.023713) / 1.047425 = 0.906641;
    /// half = 1.959964 x sqrt(0.00084675 + 0.00014637) / 1.047425 = 0.058969; so
    /// 84.767% to 96.561%.
    #[test]
    fn wilson_interval_by_hand() {
        let (lo, hi) = wilson(75, 81).unwrap();
        assert!((lo - 84.767).abs() < 0.001, "{lo}");
        assert!((hi - 96.561).abs() < 0.001, "{hi}");
        // All met in a small group: not a certain 100%.
        let (lo, hi) = wilson(5, 5).unwrap();
        assert!((lo - 56.552).abs() < 0.001 && hi == 100.0, "{lo} {hi}");
        let (lo, hi) = wilson(0, 5).unwrap();
        assert!(lo == 0.0 && (hi - 43.448).abs() < 0.001, "{lo} {hi}");
        assert_eq!(wilson(0, 0), None);
        // More cases, a narrower interval around the same rate.
        let (a, b) = wilson(9, 10).unwrap();
        let (c, d) = wilson(900, 1000).unwrap();
        assert!(b - a > 5.0 * (d - c));
    }
}
