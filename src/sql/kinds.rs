//! One standard -> its CTEs: the clocks (one per case, or per occurrence of an `each`
//! event), their limits, verdicts and outcomes, by the rules of `evaluate` (each rule's
//! native home is named beside it). Knows the SQL of the source only by its CTE names.

use chrono_tz::Tz;

use crate::evaluate::Period;
use crate::report::Dim;
use crate::standards::{CalendarChoice, Due, Kind, Standard};
use crate::time::duration::Within;

use super::expr::{Bucket, NEVER};
use super::source::SourceSql;
use super::Dialect;

/// The CTEs of standard number `k` (its place in the selection, from 1).
pub struct StandardSql {
    pub ctes: Vec<(String, String)>,
    /// The CTE of its outcomes: `std`, the group columns `g_1`.., `verdict`, `value`, `cnt`.
    pub outcomes: String,
}

/// The calendar a standard's clock runs on, as the query knows it: `always` in a zone, or a
/// business calendar whose open windows (in UTC, for the audit's range) are rows of the
/// `open_time` CTE and whose open days are rows of `open_days` (`super::calendar`).
pub enum Clock {
    Always(Tz),
    Business(String),
    /// A business calendar per case, chosen by an attribute (`calendar.by`): its name is the
    /// clock's `cal` column (NULL: no calendar, the case is not scored).
    PerCase,
}

impl Clock {
    fn of(d: Dialect, s: &Standard) -> Clock {
        match &s.calendar {
            CalendarChoice::Fixed(c) if c.is_always() => Clock::Always(c.tz),
            CalendarChoice::Fixed(c) => Clock::Business(d.lit(&c.name)),
            CalendarChoice::ByAttribute { .. } => Clock::PerCase,
        }
    }

    /// The calendar's name in SQL: a literal, or the clock's `cal` column.
    pub(super) fn cal(&self) -> String {
        match self {
            Clock::Business(name) => name.clone(),
            _ => "cal".into(),
        }
    }

    /// The calendar of a case, by its attribute (`CalendarChoice::pick`): NULL when the
    /// value has no calendar and there is no default.
    fn per_case(src: &SourceSql, s: &Standard) -> Option<String> {
        let d = src.dialect;
        let CalendarChoice::ByAttribute {
            column,
            map,
            default,
        } = &s.calendar
        else {
            return None;
        };
        let arms: Vec<String> = map
            .iter()
            .map(|(v, c)| format!("WHEN {} THEN {}", d.lit(v), d.lit(&c.name)))
            .collect();
        let default = default
            .as_ref()
            .map_or(format!("CAST(NULL AS {})", d.text()), |c| d.lit(&c.name));
        Some(format!(
            "CASE COALESCE(c.{}, '') {} ELSE {default} END",
            src.attr(column),
            arms.join(" ")
        ))
    }

    /// Open time from the range's start to instant `t`: the windows up to `t`, the one
    /// holding `t` to `t` (`Calendar::open_between` is a difference of two of these).
    fn open_to(&self, t: &str) -> String {
        match self {
            Clock::Always(_) => t.to_string(),
            Clock::Business(_) | Clock::PerCase => format!(
                "(SELECT COALESCE(MAX(w.open_before + LEAST({t}, w.closes) - w.opens), 0) FROM open_time w WHERE w.calendar = {} AND w.opens <= {t})",
                self.cal()
            ),
        }
    }

    /// The columns computed from `started` (a clock's start; not `start`, which Snowflake
    /// reserves) that the deadline needs: `f_start` (open time to the start) and
    /// `start_day` (the start's open day).
    fn prep(&self, d: Dialect, within: Option<Within>) -> String {
        if let Some(Within::ClockTime { minute, .. }) = within {
            return self.prep(d, None) + &super::clock::day(d, self, minute);
        }
        match self {
            Clock::Always(tz) if needs_day(within) => format!(
                ", {} AS start_day",
                d.floor_div(&d.local(*tz, "started"), 86_400)
            ),
            Clock::Always(_) => String::new(),
            Clock::Business(_) | Clock::PerCase => {
                let mut out = format!(", {} AS f_start", self.open_to("started"));
                if needs_day(within) {
                    // `Calendar::business_day_close`: the first open day whose open time ends
                    // after the start.
                    out.push_str(&format!(
                        ", (SELECT MIN(o.day_no) FROM open_days o WHERE o.calendar = {} AND o.closes > started) AS start_day",
                        self.cal()
                    ));
                }
                out
            }
        }
    }

    /// The last instant that still meets `within` from `start` (`Calendar::deadline`).
    fn deadline(&self, d: Dialect, within: Within) -> String {
        match (self, within) {
            (Clock::Always(_), Within::Span(secs)) => format!("started + {secs}"),
            (Clock::Always(tz), Within::SameDay) => {
                Clock::Always(*tz).deadline(d, Within::BusinessDays(0))
            }
            // One second before the local midnight N + 1 days after the start's date.
            (Clock::Always(tz), Within::BusinessDays(n)) => format!(
                "{} - 1",
                d.local_to_utc(*tz, &format!("((start_day + {}) * 86400)", n + 1))
            ),
            // `Calendar::add`: the first window whose open time ends past the target, at
            // the target's point in it (a limit that runs out at a close is the next opening).
            (Clock::Business(_) | Clock::PerCase, Within::Span(secs)) => format!(
                "(SELECT MIN(w.opens + (f_start + {secs}) - w.open_before) FROM open_time w WHERE w.calendar = {} AND w.open_before + (w.closes - w.opens) > f_start + {secs})",
                self.cal()
            ),
            (Clock::Business(_) | Clock::PerCase, Within::SameDay) => {
                self.deadline(d, Within::BusinessDays(0))
            }
            (_, Within::ClockTime { days, minute }) => super::clock::deadline(d, self, days, minute),
            // An aggregate, though one row matches: Snowflake takes a correlated scalar
            // subquery only when it is sure to give one row.
            (Clock::Business(_) | Clock::PerCase, Within::BusinessDays(n)) => format!(
                "(SELECT MIN(o.closes) - 1 FROM open_days o WHERE o.calendar = {} AND o.day_no = start_day + {n})",
                self.cal()
            ),
        }
    }

    /// The clock's time from `start` to `stop`: open time on a business calendar.
    fn elapsed(&self) -> String {
        match self {
            Clock::Always(_) => "stop - started".into(),
            Clock::Business(_) | Clock::PerCase => format!(
                "CASE WHEN stop IS NOT NULL THEN {} - f_start END",
                self.open_to("stop")
            ),
        }
    }
}

fn needs_day(within: Option<Within>) -> bool {
    matches!(within, Some(Within::SameDay | Within::BusinessDays(_)))
}

/// `where`: every column must hold one of its values; `true` and `false` match the
/// spellings of `evaluate::value_matches`, any case.
pub(super) fn filter(src: &SourceSql, s: &Standard) -> String {
    let d = src.dialect;
    let mut all = Vec::new();
    for (col, values) in &s.filter {
        let v = format!("COALESCE(c.{}, '')", src.attr(col));
        let mut any = Vec::new();
        for w in values {
            any.push(match w.as_str() {
                "true" => format!("LOWER({v}) IN ('true', 't', 'yes', 'y', '1')"),
                "false" => format!("LOWER({v}) IN ('false', 'f', 'no', 'n', '0')"),
                w => format!("{v} = {}", d.lit(w)),
            });
        }
        all.push(format!("({})", any.join(" OR ")));
    }
    if all.is_empty() {
        "TRUE".to_string()
    } else {
        all.join(" AND ")
    }
}

fn period(p: Period) -> String {
    let mut parts = vec!["started IS NOT NULL".to_string()];
    if let Some(s) = p.since {
        parts.push(format!("started >= {s}"));
    }
    if let Some(u) = p.until {
        parts.push(format!("started < {u}"));
    }
    parts.join(" AND ")
}

/// The SQL of standard number `k`.
pub fn compile(
    d: Dialect,
    k: usize,
    s: &Standard,
    src: &SourceSql,
    dims: &[Dim],
    report_tz: Tz,
    p: Period,
) -> StandardSql {
    let cases = src.cte("cases");
    let events = src.cte("events");
    let as_of = src.cte("as_of");
    let clock = Clock::of(d, s);
    // The attribute group columns ride along with each clock.
    let attr_dims: Vec<(usize, String)> = dims
        .iter()
        .enumerate()
        .filter_map(|(j, dim)| match dim {
            Dim::Attr(a) => Some((j + 1, a.clone())),
            _ => None,
        })
        .collect();
    let carry_in: String = attr_dims
        .iter()
        .map(|(j, a)| format!(", COALESCE(c.{}, '') AS g_{j}", src.attr(a)))
        .collect();
    let mut carry: String = attr_dims.iter().map(|(j, _)| format!(", g_{j}")).collect();
    // A calendar per case rides along as `cal`.
    let carry_in = match Clock::per_case(src, s) {
        Some(cal) => {
            carry.push_str(", cal");
            format!("{carry_in}, {cal} AS cal")
        }
        None => carry_in,
    };
    let from = format!(
        "FROM {cases} c\n        CROSS JOIN {as_of} a\n        LEFT JOIN {events} e ON e.case_id = c.case_id AND e.t <= a.as_of\n        WHERE {}",
        filter(src, s)
    );
    // The cases with the clock's start beside each, and of their events only those named
    // `read` (at least one row per case, NULL when none): the start is the first of the
    // `names` events by the as-of, found by a hash GROUP BY and joined, where a MIN(...)
    // OVER (PARTITION BY case_id) sorted every event (1M events: the window's 1.3 s of
    // operator time gone for 0.2 s of aggregate and join); a case without such an event has
    // no clock, and no row. The clocks read nothing else of the events.
    let from_started = |names: &[String], read: &[String]| {
        format!(
            "FROM {cases} c\n        CROSS JOIN {as_of} a\n        JOIN (SELECT f.case_id, MIN(f.t) AS started FROM {events} f CROSS JOIN {as_of} fa WHERE {} AND f.t <= fa.as_of GROUP BY f.case_id) st ON st.case_id = c.case_id\n        LEFT JOIN {events} e ON e.case_id = c.case_id AND e.t <= a.as_of AND {}\n        WHERE {}",
            d.is_in("f.name", names),
            d.is_in("e.name", read),
            filter(src, s)
        )
    };
    let unless = d.is_in("name", &s.unless);
    let name = |what: &str| format!("s{k}_{what}");
    let mut ctes = Vec::new();
    // (clocks body, the limit of each clock, the verdict before `unless`, its value, count)
    let (clocks, limit, verdict, value, count): (String, String, String, String, String) = match &s
        .kind
    {
        Kind::Elapsed {
            from: f,
            to,
            within,
        } => {
            let clocks = format!(
                    "  -- the clock starts at the first {} event and stops at the first {} at or after it (events after the as-of have not happened yet)\n  SELECT case_id{carry}, MIN(started) AS started,\n         MIN(CASE WHEN {} AND t >= started THEN t END) AS stop,\n         MIN(CASE WHEN {unless} AND t >= started THEN t END) AS unless_at\n  FROM (SELECT c.case_id{carry_in}, e.t, e.name, st.started\n        {}) x\n  WHERE started IS NOT NULL\n  GROUP BY case_id{carry}",
                    f.join("|"),
                    to.join("|"),
                    d.is_in("name", to),
                    from_started(f, &[to.as_slice(), s.unless.as_slice()].concat()),
                );
            (
                clocks,
                clock.deadline(d, *within),
                timed_verdict(),
                clock.elapsed(),
                "CAST(NULL AS BIGINT)".into(),
            )
        }
        Kind::Each {
            each,
            to,
            due: Due::Within(within),
        } => {
            // `evaluate::each_stops`: the first `to` event at or after the occurrence,
            // never the occurrence's own row; at its very instant another `to` row
            // counts, else the first one after it.
            let clocks = format!(
                    "  -- one clock per {} event, stopped by the first {} at or after it on another row\n  SELECT case_id{carry}, t AS started,\n         CASE WHEN to_here - (CASE WHEN is_to THEN 1 ELSE 0 END) > 0 THEN t ELSE to_after END AS stop,\n         unless_at\n  FROM (SELECT c.case_id{carry_in}, e.t, {} AS is_each, {} AS is_to,\n               SUM(CASE WHEN {} THEN 1 ELSE 0 END) OVER (PARTITION BY c.case_id, e.t) AS to_here,\n               MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id ORDER BY e.t RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS to_after,\n               MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id ORDER BY e.t RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS unless_at\n        {from}) x\n  WHERE is_each",
                    each.join("|"),
                    to.join("|"),
                    d.is_in("e.name", each),
                    d.is_in("e.name", to),
                    d.is_in("e.name", to),
                    d.is_in("e.name", to),
                    d.is_in("e.name", &s.unless),
                );
            (
                clocks,
                clock.deadline(d, *within),
                timed_verdict(),
                clock.elapsed(),
                "CAST(NULL AS BIGINT)".into(),
            )
        }
        Kind::Each {
            each,
            to,
            due: Due::By(by),
        } => {
            // `evaluate::promised`: the clocks of `each` (stopped as `each_stops` stops them),
            // each against the time promised on its own row; none promised: not scored.
            let promise = src
                .promise(by)
                .expect("the promise columns of the events layout are read");
            let clocks = format!(
                    "  -- one clock per {} event, stopped by the first {} at or after it on another row, against the time promised on its row ({by:?})\n  SELECT case_id{carry}, t AS started,\n         CASE WHEN to_here - (CASE WHEN is_to THEN 1 ELSE 0 END) > 0 THEN t ELSE to_after END AS stop,\n         due, unless_at\n  FROM (SELECT c.case_id{carry_in}, e.t, e.{promise} AS due, {} AS is_each, {} AS is_to,\n               SUM(CASE WHEN {} THEN 1 ELSE 0 END) OVER (PARTITION BY c.case_id, e.t) AS to_here,\n               MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id ORDER BY e.t RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS to_after,\n               MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id ORDER BY e.t RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS unless_at\n        {from}) x\n  WHERE is_each",
                    each.join("|"),
                    to.join("|"),
                    d.is_in("e.name", each),
                    d.is_in("e.name", to),
                    d.is_in("e.name", to),
                    d.is_in("e.name", to),
                    d.is_in("e.name", &s.unless),
                );
            let verdict = "CASE WHEN due IS NULL THEN 'excluded'\n              WHEN stop IS NOT NULL THEN (CASE WHEN stop <= due THEN 'met' ELSE 'breached' END)\n              WHEN as_of > due THEN 'breached'\n              ELSE 'open' END".to_string();
            (
                clocks,
                "due".into(),
                verdict,
                "stop - due".into(),
                "CAST(NULL AS BIGINT)".into(),
            )
        }
        Kind::Value { .. } | Kind::Repeat { .. } => {
            unreachable!("refused before compiling")
        }
        Kind::Count {
            from: f,
            count,
            at_least,
            at_most,
            within,
        } => {
            // `evaluate::counted`: the count events from the start to the window's close
            // (inclusive), the instant the at_least-th came and the at_most+1-th.
            let starts = format!(
                    "SELECT case_id{carry}, MIN(started) AS started,\n                 MIN(CASE WHEN {unless} AND t >= started THEN t END) AS unless_at\n          FROM (SELECT c.case_id{carry_in}, e.t, e.name, st.started\n                {}) x\n          WHERE started IS NOT NULL\n          GROUP BY case_id{carry}",
                    from_started(f, &s.unless)
                );
            let close = match within {
                Some(w) => clock.deadline(d, *w),
                None => "CAST(NULL AS BIGINT)".into(),
            };
            let day = clock.prep(d, *within);
            let rank = |n: u64| format!("MIN(CASE WHEN e.rn = {n} THEN e.t END)");
            let reached = match at_least {
                Some(0) => "MIN(k.started)".to_string(),
                Some(n) => rank(*n),
                None => "CAST(NULL AS BIGINT)".into(),
            };
            let exceeded = match at_most {
                Some(n) => rank(n + 1),
                None => "CAST(NULL AS BIGINT)".into(),
            };
            let mut carry_k: String = attr_dims
                .iter()
                .map(|(j, _)| format!(", k.g_{j}"))
                .collect();
            if matches!(clock, Clock::PerCase) {
                carry_k.push_str(", k.cal");
            }
            ctes.push((
                    name("starts"),
                    format!(
                        "  -- the clock starts at the first {} event, the window closes at the limit\n  SELECT w.*, {close} AS close\n  FROM (SELECT *{day} FROM ({starts}) s) w",
                        f.join("|")
                    ),
                ));
            let clocks = format!(
                    "  -- the {} events from the started to the window's close, and when the count was reached or exceeded\n  SELECT k.case_id{carry_k}, k.started, k.unless_at, k.close,\n         COUNT(e.t) AS cnt, {reached} AS reached, {exceeded} AS exceeded\n  FROM {starts_cte} k\n  LEFT JOIN (SELECT k2.case_id, e.t, ROW_NUMBER() OVER (PARTITION BY k2.case_id ORDER BY e.t) AS rn\n             FROM {starts_cte} k2\n             CROSS JOIN {as_of} a\n             JOIN {events} e ON e.case_id = k2.case_id AND e.t <= a.as_of\n             WHERE {} AND e.t >= k2.started AND (k2.close IS NULL OR e.t <= k2.close)) e\n    ON e.case_id = k.case_id\n  GROUP BY k.case_id{carry_k}, k.started, k.unless_at, k.close",
                    count.join("|"),
                    d.is_in("e.name", count),
                    starts_cte = name("starts"),
                );
            let met_at_close = match at_least {
                Some(n) => format!("cnt >= {n}"),
                None => "TRUE".into(),
            };
            let no_most = at_most.is_none();
            let verdict = format!(
                    "CASE WHEN exceeded IS NOT NULL THEN 'breached'\n              WHEN {no_most} AND reached IS NOT NULL THEN 'met'\n              WHEN close IS NULL OR as_of > close THEN (CASE WHEN {met_at_close} THEN 'met' ELSE 'breached' END)\n              ELSE 'open' END"
                );
            ctes.push((name("clocks"), clocks));
            // The stop is the event that made the verdict final.
            let limits = format!(
                    "  SELECT k.*, a.as_of, k.close AS deadline,\n         CASE WHEN k.exceeded IS NOT NULL THEN k.exceeded WHEN {no_most} THEN k.reached END AS stop\n  FROM {} k CROSS JOIN {as_of} a\n  WHERE {}",
                    name("clocks"),
                    period(p).replace("started", "k.started")
                );
            ctes.push((name("limits"), limits));
            return finish(
                d,
                k,
                s,
                ctes,
                &name,
                dims,
                report_tz,
                &verdict,
                "CAST(NULL AS BIGINT)",
                "cnt",
            );
        }
        Kind::Deadline { from: f, to, by } => {
            // `evaluate::deadline`: a deadline column of the case (cases layout), or the
            // first `by` event at or after the start (events layout).
            let started = match f {
                Some(f) => format!(
                    "MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id)",
                    d.is_in("e.name", f)
                ),
                None => "CASE WHEN c.first_seen <= a.as_of THEN c.first_seen END".to_string(),
            };
            let (due_in, due, by_event) = match src.deadline(by) {
                Some(col) => (
                    format!(", c.{col} AS due_at"),
                    "MAX(due_at)".to_string(),
                    false,
                ),
                None => (
                    String::new(),
                    format!(
                        "MIN(CASE WHEN name = {} AND t >= started THEN t END)",
                        d.lit(by)
                    ),
                    true,
                ),
            };
            let clocks = format!(
                    "  -- from {} to the first {} at or after it, against the deadline {by:?}\n  SELECT case_id{carry}, MIN(started) AS started,\n         MIN(CASE WHEN {} AND t >= started THEN t END) AS stop,\n         {due} AS due,\n         MIN(CASE WHEN {unless} AND t >= started THEN t END) AS unless_at\n  FROM (SELECT c.case_id{carry_in}{due_in}, e.t, e.name, {started} AS started\n        {from}) x\n  WHERE started IS NOT NULL\n  GROUP BY case_id{carry}",
                    f.as_ref()
                        .map_or("the case's first time".to_string(), |f| f.join("|")),
                    to.join("|"),
                    d.is_in("name", to),
                );
            let none = if by_event {
                "CASE WHEN stop IS NOT NULL THEN 'met' ELSE 'open' END"
            } else {
                "'excluded'"
            };
            let verdict = format!(
                    "CASE WHEN due IS NULL THEN {none}\n              WHEN stop IS NOT NULL THEN (CASE WHEN stop <= due THEN 'met' ELSE 'breached' END)\n              WHEN as_of > due THEN 'breached'\n              ELSE 'open' END"
                );
            (
                clocks,
                "due".into(),
                verdict,
                "stop - due".into(),
                "CAST(NULL AS BIGINT)".into(),
            )
        }
    };
    let within = s.kind.within();
    let day = if matches!(s.kind, Kind::Deadline { .. }) {
        String::new()
    } else {
        clock.prep(d, within)
    };
    ctes.push((name("clocks"), clocks));
    if let (false, Some(Within::Span(limit_secs))) = (s.pause_on.is_empty(), within) {
        let value = paused(
            d, s, &clock, &name, &mut ctes, &as_of, &events, limit_secs, p,
        );
        return finish(
            d, k, s, ctes, &name, dims, report_tz, &verdict, &value, &count,
        );
    }
    ctes.push((
        name("limits"),
        format!(
            "  -- the last instant that still meets the standard\n  SELECT k.*, a.as_of, {limit} AS deadline\n  FROM (SELECT *{day} FROM {} WHERE {}) k CROSS JOIN {as_of} a",
            name("clocks"),
            period(p)
        ),
    ));
    finish(
        d, k, s, ctes, &name, dims, report_tz, &verdict, &value, &count,
    )
}

/// Pauses (`evaluate::pauses`, `run_out`, `paused_open`): the clock stands still from each
/// `pause_on` event while running to the next `resume_on` event; the limit runs out in the
/// open time outside the pauses; the measured time leaves them out. Events at one instant
/// keep the `--row-order` (else a pause comes before a resume). Pushes the pause CTEs and
/// the limits, and returns the measured value.
#[allow(clippy::too_many_arguments)]
fn paused(
    d: Dialect,
    s: &Standard,
    clock: &Clock,
    name: &dyn Fn(&str) -> String,
    ctes: &mut Vec<(String, String)>,
    as_of: &str,
    events: &str,
    limit: i64,
    p: Period,
) -> String {
    let per_case_cal = if matches!(clock, Clock::PerCase) {
        ", cal"
    } else {
        ""
    };
    let is_pause = d.is_in("e.name", &s.pause_on);
    let is_resume = d.is_in("e.name", &s.resume_on);
    let fq = format!(
        "CASE WHEN resumed IS NOT NULL THEN {} END",
        clock.open_to("resumed")
    );
    let k_cal = if per_case_cal.is_empty() {
        ""
    } else {
        ", k.cal"
    };
    if s.pause_on.iter().any(|n| s.resume_on.contains(n)) {
        ctes.push((
            name("pauses"),
            toggled_pauses(
                d,
                s,
                clock,
                &name("clocks"),
                as_of,
                events,
                per_case_cal,
                k_cal,
                &fq,
            ),
        ));
    } else {
        ctes.push((
        name("pauses"),
        format!(
            "  -- the pauses of each clock: from a {} event while running to the next {} event (never, when none came)\n  SELECT case_id, started{cal}, t AS p, resumed AS q, {} AS fp, {} AS fq\n  FROM (SELECT k.case_id, k.started{k_cal}, e.t, {is_resume} AS is_resume,\n               LAG({is_resume}) OVER (PARTITION BY k.case_id, k.started ORDER BY e.t, e.row_order, e.col_no, {is_resume}) AS after_resume,\n               MIN(CASE WHEN {is_resume} THEN e.t END) OVER (PARTITION BY k.case_id, k.started ORDER BY e.t, e.row_order, e.col_no, {is_resume} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS resumed\n        FROM (SELECT DISTINCT case_id, started{cal} FROM {}) k\n        CROSS JOIN {as_of} a\n        JOIN {events} e ON e.case_id = k.case_id AND e.t >= k.started AND e.t <= a.as_of\n        WHERE {is_pause} OR {is_resume}) x\n  WHERE NOT is_resume AND (after_resume IS NULL OR after_resume)",
            s.pause_on.join("|"),
            s.resume_on.join("|"),
            clock.open_to("t"),
            fq,
            name("clocks"),
            cal = per_case_cal,
        ),
    ));
    }
    // The running stretches before each pause, and the open time they add up to.
    let f_start = clock.open_to("started");
    ctes.push((
        name("runs"),
        format!(
            "  SELECT z.*,\n         CASE WHEN cum > {limit} AND cum - seg <= {limit} THEN f_prev + {limit} - (cum - seg) END AS target_in,\n         CASE WHEN last_one AND fq IS NOT NULL THEN fq + {limit} - cum END AS target_after,\n         CASE WHEN last_one AND fq IS NULL THEN 1 ELSE 0 END AS paused_for_good\n  FROM (SELECT y.*, SUM(seg) OVER (PARTITION BY case_id, started ORDER BY p ROWS UNBOUNDED PRECEDING) AS cum\n        FROM (SELECT x.*, fp - f_prev AS seg\n              FROM (SELECT pz.*, COALESCE(LAG(fq) OVER (PARTITION BY case_id, started ORDER BY p), {f_start}) AS f_prev,\n                           ROW_NUMBER() OVER (PARTITION BY case_id, started ORDER BY p DESC) = 1 AS last_one\n                    FROM {} pz) x) y) z",
            name("pauses"),
        ),
    ));
    ctes.push((
        name("run_out"),
        format!(
            "  -- where the limit runs out: inside the stretch before the first pause it does not fit, else after the last resume; never while a pause lasts\n  SELECT case_id, started, COALESCE(MAX(target_in), MAX(target_after)) AS target,\n         MAX(target_in) IS NULL AND MAX(paused_for_good) = 1 AS never\n  FROM {}\n  GROUP BY case_id, started",
            name("runs"),
        ),
    ));
    let plain = clock.deadline(d, Within::Span(limit));
    let at_target = match clock {
        Clock::Always(_) => "target".to_string(),
        Clock::Business(_) | Clock::PerCase => format!(
            "(SELECT MIN(w.opens + target - w.open_before) FROM open_time w WHERE w.calendar = {} AND w.open_before + (w.closes - w.opens) > target)",
            clock.cal()
        ),
    };
    let f_end = clock.open_to("COALESCE(stop, as_of)");
    ctes.push((
        name("limits"),
        format!(
            "  -- the last instant that still meets the standard, and the open time paused up to the clock's end\n  SELECT l.*,\n         (SELECT COALESCE(SUM(LEAST(COALESCE(z.fq, l.f_end), l.f_end) - z.fp), 0) FROM {pauses} z\n          WHERE z.case_id = l.case_id AND z.started = l.started AND z.p < COALESCE(l.stop, l.as_of)) AS paused\n  FROM (SELECT k.*, {f_end} AS f_end,\n               CASE WHEN NOT has_pauses THEN {plain} WHEN never THEN NULL ELSE {at_target} END AS deadline\n        FROM (SELECT c.*, a.as_of, {f_start_c} AS f_start, r.target, COALESCE(r.never, FALSE) AS never, r.case_id IS NOT NULL AS has_pauses\n              FROM {clocks} c\n              CROSS JOIN {as_of} a\n              LEFT JOIN {run_out} r ON r.case_id = c.case_id AND r.started = c.started\n              WHERE {period}) k) l",
            pauses = name("pauses"),
            f_start_c = clock.open_to("c.started"),
            clocks = name("clocks"),
            run_out = name("run_out"),
            period = period(p).replace("started", "c.started"),
        ),
    ));
    format!(
        "CASE WHEN stop IS NOT NULL THEN {} - f_start - paused END",
        clock.open_to("stop")
    )
}

/// Pauses when an event name both pauses and resumes (`evaluate::pauses`): running, a pause
/// event pauses; paused, a resume event resumes; so a name in both toggles. Followed in the
/// events' order (time, `--row-order`, milestone column): each event after the last one
/// that only pauses or only resumes flips the state that one set.
#[allow(clippy::too_many_arguments)]
fn toggled_pauses(
    d: Dialect,
    s: &Standard,
    clock: &Clock,
    clocks: &str,
    as_of: &str,
    events: &str,
    cal: &str,
    k_cal: &str,
    fq: &str,
) -> String {
    let is_pause = d.is_in("e.name", &s.pause_on);
    let is_resume = d.is_in("e.name", &s.resume_on);
    let order = "ORDER BY t, row_order, col_no";
    let part = "PARTITION BY case_id, started";
    // Paused after an odd number of toggles since the last plain pause or resume.
    let now_paused = d.modulo(
        &format!("(COALESCE(MAX(fixed_state) OVER ({part}, grp), 0) + SUM(is_toggle) OVER ({part}, grp {order} ROWS UNBOUNDED PRECEDING))"),
        "2",
    );
    format!(
        "  -- the pauses of each clock: a {} event pauses it while running, a {} event resumes it while paused (a name in both toggles), in the events' order\n  SELECT case_id, started{cal}, t AS p, resumed AS q, {} AS fp, {fq} AS fq\n  FROM (SELECT y.*, MIN(CASE WHEN was_paused = 1 AND now_paused = 0 THEN t END) OVER ({part} {order} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS resumed\n        FROM (SELECT w.*, COALESCE(LAG(now_paused) OVER ({part} {order}), 0) AS was_paused\n              FROM (SELECT v.*, {now_paused} AS now_paused\n                    FROM (SELECT u.*, SUM(1 - is_toggle) OVER ({part} {order} ROWS UNBOUNDED PRECEDING) AS grp\n                          FROM (SELECT k.case_id, k.started{k_cal}, e.t, e.row_order, e.col_no,\n                                       CASE WHEN {is_pause} AND {is_resume} THEN 1 ELSE 0 END AS is_toggle,\n                                       CASE WHEN {is_pause} AND NOT {is_resume} THEN 1 WHEN {is_resume} AND NOT {is_pause} THEN 0 END AS fixed_state\n                                FROM (SELECT DISTINCT case_id, started{cal} FROM {clocks}) k\n                                CROSS JOIN {as_of} a\n                                JOIN {events} e ON e.case_id = k.case_id AND e.t >= k.started AND e.t <= a.as_of\n                                WHERE {is_pause} OR {is_resume}) u) v) w) y) z\n  WHERE was_paused = 0 AND now_paused = 1",
        s.pause_on.join("|"),
        s.resume_on.join("|"),
        clock.open_to("t"),
    )
}

/// `Clock::timed`: (a NULL deadline is never: a pause that has not ended) met when the clock stopped by the deadline; breached when it stopped
/// later, or has not stopped and the as-of is past the deadline; else open.
fn timed_verdict() -> String {
    "CASE WHEN stop IS NOT NULL THEN (CASE WHEN deadline IS NULL OR stop <= deadline THEN 'met' ELSE 'breached' END)\n              WHEN as_of > deadline THEN 'breached'\n              ELSE 'open' END".into()
}

/// The verdicts, `unless` (`evaluate::exempt_next`: an exempting event before the verdict
/// was final), and the outcome rows with their group values.
#[allow(clippy::too_many_arguments)]
fn finish(
    d: Dialect,
    k: usize,
    s: &Standard,
    mut ctes: Vec<(String, String)>,
    name: &dyn Fn(&str) -> String,
    dims: &[Dim],
    report_tz: Tz,
    verdict: &str,
    value: &str,
    count: &str,
) -> StandardSql {
    // A case whose attribute picks no calendar is not scored (`Outcome::uncalendared`).
    let verdict = match &s.calendar {
        CalendarChoice::ByAttribute { .. } => {
            format!("CASE WHEN cal IS NULL THEN 'excluded' ELSE {verdict} END")
        }
        CalendarChoice::Fixed(_) => verdict.to_string(),
    };
    ctes.push((
        name("verdicts"),
        format!(
            "  SELECT l.*,\n         {verdict} AS verdict0,\n         {value} AS value0,\n         {count} AS cnt0\n  FROM {} l",
            name("limits")
        ),
    ));
    let timeout = format!("COALESCE(deadline + 1, {NEVER})");
    let exempt = if s.unless.is_empty() {
        "verdict0".to_string()
    } else {
        format!(
            "CASE WHEN verdict0 <> 'excluded' AND unless_at IS NOT NULL AND unless_at < (CASE WHEN verdict0 = 'open' THEN {NEVER} ELSE LEAST(COALESCE(stop, {timeout}), {timeout}) END) THEN 'excluded' ELSE verdict0 END"
        )
    };
    let groups: Vec<String> = dims
        .iter()
        .enumerate()
        .map(|(j, dim)| {
            let g = match dim {
                Dim::Attr(_) => format!("g_{}", j + 1),
                Dim::Day => d.bucket(report_tz, "started", Bucket::Day),
                Dim::Week => d.bucket(report_tz, "started", Bucket::Week),
                Dim::Month => d.bucket(report_tz, "started", Bucket::Month),
            };
            format!("{g} AS g_{}", j + 1)
        })
        .collect();
    let groups: String = groups.iter().map(|g| format!(", {g}")).collect();
    ctes.push((
        name("outcomes"),
        format!(
            "  -- met, breached, open or excluded (exempt when an `unless` event came before the verdict was final)\n  SELECT {k} AS std{groups}, {exempt} AS verdict, value0 AS value, cnt0 AS cnt\n  FROM {}",
            name("verdicts")
        ),
    ));
    StandardSql {
        ctes,
        outcomes: name("outcomes"),
    }
}
