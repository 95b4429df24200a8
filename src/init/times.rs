//! The draft's time columns and the one `time_format` that reads every sampled value of them
//! (day or month first decided from the sample's span), or why none is needed. Knows the
//! sample's columns and the reader's time formats, not the layout or the standards.

use chrono_tz::Tz;

use crate::time::stamp::{self, TimeFormat};

use super::sniff;
use super::sniff::{Order, Sample, CANDIDATES};

/// The time columns of a source and the one `time_format` that reads them all.
pub(super) struct Times {
    /// Column indexes, in file order.
    pub(super) columns: Vec<usize>,
    /// The source's format (`None`: the default reading).
    pub(super) patterns: Option<Vec<&'static str>>,
    pub(super) format: TimeFormat,
    /// Why the order was chosen, for the comment.
    pub(super) order_why: String,
    /// Every value carries an offset (or is epoch time).
    pub(super) offsets: bool,
    /// Time columns left out and why.
    pub(super) dropped: Vec<(usize, String)>,
    pub(super) nulls: Vec<String>,
}

impl Times {
    pub(super) fn decide(sample: &Sample) -> Times {
        let cols = &sample.columns;
        let timed: Vec<usize> = (0..cols.len())
            .filter(|&c| cols[c].time.is_some())
            .collect();
        let (order, order_why) = Times::order(sample, &timed);
        let mut columns = Vec::new();
        let mut chosen = Vec::new();
        let mut dropped = Vec::new();
        for &c in &timed {
            let fit = cols[c].time.as_ref().expect("timed");
            let pick = fit
                .fits
                .iter()
                .copied()
                .find(|&i| CANDIDATES[i].1 == Order::Neutral || CANDIDATES[i].1 == order);
            match pick {
                Some(i) => {
                    columns.push(c);
                    chosen.push(i);
                }
                None => dropped.push((c, "its dates are written in the other order".to_string())),
            }
        }
        // The default reading when it reads every column, else one pattern per column.
        let patterns = if chosen.iter().all(|&i| CANDIDATES[i].0 == "auto") {
            None
        } else {
            let mut keep = Vec::new();
            let mut pats: Vec<&'static str> = Vec::new();
            for (k, &c) in columns.iter().enumerate() {
                let fit = cols[c].time.as_ref().expect("timed");
                let pattern = fit.fits.iter().copied().find(|&i| {
                    CANDIDATES[i].0 != "auto"
                        && (CANDIDATES[i].1 == Order::Neutral || CANDIDATES[i].1 == order)
                });
                match pattern {
                    Some(i) => {
                        chosen[k] = i;
                        keep.push(k);
                        if !pats.contains(&CANDIDATES[i].0) {
                            pats.push(CANDIDATES[i].0);
                        }
                    }
                    None => dropped.push((
                        c,
                        "no strftime pattern reads it beside the other columns' formats".into(),
                    )),
                }
            }
            columns = keep.iter().map(|&k| columns[k]).collect();
            chosen = keep.iter().map(|&k| chosen[k]).collect();
            Some(pats)
        };
        let format = match &patterns {
            None => TimeFormat::Auto,
            Some(p) => TimeFormat::patterns(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .expect("candidates are valid patterns"),
        };
        // A list of patterns is tried in order: a column's value must read the same with the
        // list as with its own pattern, or the column is left out.
        let mut keep = Vec::new();
        for (k, &c) in columns.iter().enumerate() {
            let own = sniff::format_of(chosen[k]);
            let same = cols[c].values.iter().all(|(v, _)| {
                let a = stamp::parse(v.as_bytes(), &format, Tz::UTC);
                a.is_some() && a == stamp::parse(v.as_bytes(), &own, Tz::UTC)
            });
            if same {
                keep.push(k);
            } else {
                dropped.push((
                    c,
                    "another column's pattern reads its values differently".into(),
                ));
            }
        }
        let columns: Vec<usize> = keep.iter().map(|&k| columns[k]).collect();
        let offsets = columns.iter().all(|&c| {
            cols[c]
                .values
                .iter()
                .all(|(v, _)| sniff::carries_offset(v, &format))
        });
        let mut nulls: Vec<String> = Vec::new();
        for &c in &columns {
            for n in &cols[c].time.as_ref().expect("timed").nulls {
                if !nulls.contains(n) {
                    nulls.push(n.clone());
                }
            }
        }
        Times {
            columns,
            patterns,
            format,
            order_why,
            offsets,
            dropped,
            nulls,
        }
    }

    /// Day first or month first, and why, for the draft's comment.
    pub(super) fn order(sample: &Sample, timed: &[usize]) -> (Order, String) {
        let cols = &sample.columns;
        // Day-first or month-first: a value whose first field is above 12 settles it for
        // day-first, one whose second field is for month-first.
        let mut day_evidence = None;
        let mut month_evidence = None;
        let mut ambiguous = false;
        for &c in timed {
            let fit = cols[c].time.as_ref().expect("timed");
            let has = |o: Order| fit.fits.iter().any(|&i| CANDIDATES[i].1 == o);
            if has(Order::DayFirst) || has(Order::MonthFirst) {
                let neutral = fit.fits.iter().any(|&i| CANDIDATES[i].1 == Order::Neutral);
                if neutral {
                    continue;
                }
                match (has(Order::DayFirst), has(Order::MonthFirst)) {
                    (true, false) => {
                        let v = cols[c].values.iter().find(|(v, _)| sniff::day_above_12(v));
                        day_evidence.get_or_insert((c, v.map(|v| v.0.clone()).unwrap_or_default()));
                    }
                    (false, true) => {
                        let v = cols[c]
                            .values
                            .iter()
                            .find(|(v, _)| sniff::second_above_12(v));
                        month_evidence
                            .get_or_insert((c, v.map(|v| v.0.clone()).unwrap_or_default()));
                    }
                    _ => ambiguous = true,
                }
            }
        }
        match (&day_evidence, &month_evidence) {
            (Some((c, v)), None) if v.is_empty() => (
                Order::DayFirst,
                format!(
                    "day first: {:?} is written DD.MM.YYYY, which is day first by convention (no sampled day is above 12 to prove it)",
                    cols[*c].name
                ),
            ),
            (Some((c, v)), None) => (
                Order::DayFirst,
                format!("day first: {:?} in {:?} has no month-first reading", v, cols[*c].name),
            ),
            (None, Some((c, v))) => (
                Order::MonthFirst,
                format!("month first: {:?} in {:?} has no day-first reading", v, cols[*c].name),
            ),
            (Some((c, v)), Some((c2, v2))) => (
                Order::DayFirst,
                format!(
                    "day first, as {:?} in {:?}; but {:?} in {:?} is month first: that column is left out",
                    v, cols[*c].name, v2, cols[*c2].name
                ),
            ),
            (None, None) if ambiguous => {
                // No value settles it: the reading that keeps the sampled dates closer together
                // is likelier (a May export read day first spreads over the whole year).
                let day = span(sample, timed, Order::DayFirst);
                let month = span(sample, timed, Order::MonthFirst);
                let days = |s: i64| s / 86_400;
                // An even span: a 12-hour clock with AM/PM is the United States' habit, and
                // they write the month first.
                let am_pm = timed.iter().any(|&c| {
                    let fit = cols[c].time.as_ref().expect("timed");
                    fit.fits.iter().any(|&i| CANDIDATES[i].0.contains("%p"))
                });
                let (order, why) = if month < day {
                    (Order::MonthFirst, format!("month first, since it spreads the sampled dates over {} days and day first over {}", days(month), days(day)))
                } else if day < month {
                    (Order::DayFirst, format!("day first, since it spreads the sampled dates over {} days and month first over {}", days(day), days(month)))
                } else if am_pm {
                    (Order::MonthFirst, "month first, as the AM/PM clock is mostly American".to_string())
                } else {
                    (Order::DayFirst, "day first, as most of the world writes dates".to_string())
                };
                (
                    order,
                    format!(
                        "THE SAMPLE CANNOT DECIDE between day first and month first (no day or month above 12); read {why}: if that is wrong, swap %d and %m"
                    ),
                )
            }
            (None, None) => (Order::Neutral, String::new()),
        }
    }

    pub(super) fn is_time(&self, c: usize) -> bool {
        self.columns.contains(&c)
    }

    pub(super) fn date_only(&self, sample: &Sample, c: usize) -> bool {
        sample.columns[c].values.iter().all(|(v, _)| {
            stamp::parse(v.as_bytes(), &self.format, Tz::UTC).is_some_and(|s| s.date_only)
        })
    }

    /// The instant of row `r`'s cell in column `c`, if it has one.
    pub(super) fn at(&self, sample: &Sample, r: usize, c: usize) -> Option<i64> {
        stamp::parse(sample.rows[r][c].as_bytes(), &self.format, Tz::UTC).map(|s| s.secs)
    }
}

/// The time from the first to the last sampled value of the columns that can be read in the
/// `order` given, read in it.
pub(super) fn span(sample: &Sample, timed: &[usize], order: Order) -> i64 {
    let (mut low, mut high) = (i64::MAX, i64::MIN);
    for &c in timed {
        let col = &sample.columns[c];
        let fit = col.time.as_ref().expect("timed");
        let Some(&i) = fit.fits.iter().find(|&&i| CANDIDATES[i].1 == order) else {
            continue;
        };
        let format = sniff::format_of(i);
        for (v, _) in &col.values {
            if let Some(s) = stamp::parse(v.as_bytes(), &format, Tz::UTC) {
                low = low.min(s.secs);
                high = high.max(s.secs);
            }
        }
    }
    high.saturating_sub(low).max(0)
}
