//! A repeat standard's period and customers: the period (the audit's, or the last `within`
//! before the as-of), each customer's first look-back visit and first return, folded once over
//! the cases already read, and the customer's outcome. Knows cases and attribute ids, not
//! clocks or calendars.

use crate::ingest::Event;

use super::{Exclusion, Outcome, Prepared, Verdict};

/// A repeat standard's period `[since, until)` and the start of its look-back (`since -
/// within`); see [`Repeat::new`] for the default when the audit gives no period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatPeriod {
    pub look_back: i64,
    pub since: i64,
    pub until: i64,
    /// Whether `since` and `until` are the audit's own (`--since`/`--until`/`--week`) rather
    /// than defaulted.
    pub given: [bool; 2],
}

impl RepeatPeriod {
    /// How the period was chosen, when the audit did not give both ends: `within` is the
    /// look-back as written ("365d").
    pub fn default_words(&self, within: &str) -> Option<String> {
        match self.given {
            [true, true] => None,
            [false, false] => Some(format!(
                "the default period: no --since/--until, so the {within} before the as-of"
            )),
            [true, false] => Some(format!("the period ends {within} after --since")),
            [false, true] => Some(format!("the period starts {within} before --until")),
        }
    }
}

/// One customer of a repeat standard as the cases' events show it: the case and time of its
/// first `returns` event in the look-back (`case` is `u32::MAX` without one), and the first
/// inside the period.
#[derive(Debug, Clone, Copy)]
pub(super) struct Visit {
    pub(super) case: u32,
    pub(super) first: i64,
    pub(super) returned: Option<i64>,
}

impl Visit {
    pub(super) const NONE: Visit = Visit {
        case: u32::MAX,
        first: i64::MAX,
        returned: None,
    };

    /// Takes case `ci`'s `returns` events (visible ones, in time order). Cases are taken in
    /// case order, so the first look-back event of a customer is the earliest, ties going to
    /// the first case.
    pub(super) fn take(&mut self, ci: usize, events: &[Event], ids: &[u16], p: &RepeatPeriod) {
        for e in events.iter().filter(|e| ids.contains(&e.name())) {
            let t = e.t();
            if t < p.look_back {
                continue;
            }
            if t < p.since {
                if t < self.first {
                    (self.case, self.first) = (ci as u32, t);
                }
            } else if t < p.until {
                if self.returned.is_none_or(|r| t < r) {
                    self.returned = Some(t);
                }
                // Events are in time order: nothing later in this case can matter.
                break;
            } else {
                break;
            }
        }
    }
}

/// A repeat standard made ready: its period, and with a `customer` column each customer's
/// [`Visit`], folded once over the cases already read (the file is not read again), one slot
/// per distinct value of the column (its interned ids), nothing per row.
pub(super) struct Repeat {
    pub(super) period: RepeatPeriod,
    pub(super) customers: Option<(usize, Vec<Visit>)>,
}

impl Repeat {
    /// Without a period the repeat rate is that of the last `within` before the as-of:
    /// `[as_of - within, as_of)`, its customers those of the `within` before that. With one
    /// end given the period is `within` long from it; with both, it is the audit's.
    pub(super) fn new(p: &Prepared, within: i64, customer: Option<&str>) -> Repeat {
        let (since, until) = match (p.period.since, p.period.until) {
            (Some(s), Some(u)) => (s, u),
            (Some(s), None) => (s, s.saturating_add(within)),
            (None, Some(u)) => (u.saturating_sub(within), u),
            (None, None) => (p.as_of.saturating_sub(within), p.as_of),
        };
        let period = RepeatPeriod {
            look_back: since.saturating_sub(within),
            since,
            until,
            given: [p.period.since.is_some(), p.period.until.is_some()],
        };
        let data = p.data;
        let customers = customer.map(|column| {
            let col = data
                .attr_index(column)
                .expect("a customer column is checked at ingest");
            let mut first = vec![Visit::NONE; data.attr_values[col].len()];
            for ci in 0..data.cases.len() {
                let v = data.attr(ci, col) as usize;
                if v == 0 || !p.admits(ci) {
                    continue;
                }
                first[v].take(ci, p.visible(ci), &p.ids.from, &period);
            }
            (col, first)
        });
        Repeat { period, customers }
    }

    /// The outcome case `ci` stands for: its own customer's without a `customer` column;
    /// with one, its customer's when it is the case of that customer's first look-back event,
    /// and an excluded outcome when it has a look-back event but no customer.
    pub(super) fn case(&self, p: &Prepared, ci: usize) -> Option<Outcome> {
        let visit = match &self.customers {
            None => {
                let mut own = Visit::NONE;
                own.take(ci, p.visible(ci), &p.ids.from, &self.period);
                own
            }
            Some((col, first)) => match p.data.attr(ci, *col) as usize {
                0 => {
                    let mut own = Visit::NONE;
                    own.take(ci, p.visible(ci), &p.ids.from, &self.period);
                    if own.case == u32::MAX {
                        return None;
                    }
                    return Some(Outcome {
                        verdict: Verdict::Excluded(Exclusion::NoCustomer),
                        ..Outcome::new(ci, None, own.first)
                    });
                }
                v if first[v].case == ci as u32 => first[v],
                _ => return None,
            },
        };
        if visit.case == u32::MAX {
            return None;
        }
        let verdict = match visit.returned {
            Some(_) => Verdict::Met,
            None if p.as_of >= self.period.until => Verdict::Breached,
            None => Verdict::Open,
        };
        Some(Outcome {
            stop: visit.returned,
            // The last instant at which a return still counts.
            deadline: Some(self.period.until - 1),
            verdict,
            ..Outcome::new(ci, None, visit.first)
        })
    }
}
