//! One standard -> its CTEs: the clocks (one per case, or per occurrence of an `each`
//! event), their limits, verdicts and outcomes, by the rules of `evaluate` (each rule's
//! native home is named beside it). Knows the SQL of the source only by its CTE names.
//!
//! A standard with versions by date is judged once per span of the period that a version
//! judges (`evaluate::version_spans`, the native choice): each version on the clocks that
//! start while it is in force, and a neighbouring one on the clocks that start while none
//! is, whose outcomes are not scored ("no version in force"); the outcomes of all of them
//! are the standard's.
//!
//! The hook points for a kind: [`Judging::rule`] dispatches on the kind (a new kind is an
//! arm there, a `fn` of its own beside the others, returning a [`Rule`]; a repeat rate is
//! `super::repeat`'s, tried before this); a limit is [`Clock::deadline`] and [`Clock::prep`]
//! (a new form of `within` is an arm there: a time of day is `super::clock`'s).

use chrono_tz::Tz;

use crate::evaluate::{version_spans, Period};
use crate::report::Dim;
use crate::standards::{CalendarChoice, Due, Kind, Standard};
use crate::time::duration::Within;

use super::expr::{Bucket, NEVER};
use super::source::SourceSql;
use super::Dialect;

/// The CTEs of standard number `k` (its place in the selection, from 1).
pub struct StandardSql {
    pub ctes: Vec<(String, String)>,
    /// The CTE of its outcomes: `std`, the group columns `g_1`.., `verdict`, `value`, `cnt`,
    /// `num` (a value standard's number), `no_value` (1 when excluded without a number).
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
    fn open_to(&self, d: Dialect, t: &str) -> String {
        match self {
            Clock::Always(_) => t.to_string(),
            Clock::Business(_) | Clock::PerCase if d.outer_in_aggregate() => format!(
                "(SELECT COALESCE(MAX(w.open_before + LEAST({t}, w.closes) - w.opens), 0) FROM open_time w WHERE w.calendar = {} AND w.opens <= {t})",
                self.cal()
            ),
            // The same with `t` outside the aggregates: the last window opened by `t` has the
            // least `open_before - opens` (a closed gap lowers it) and the most open time at
            // its close.
            Clock::Business(_) | Clock::PerCase => {
                let over = |agg: &str| {
                    format!(
                        "(SELECT {agg} FROM open_time w WHERE w.calendar = {} AND w.opens <= {t})",
                        self.cal()
                    )
                };
                format!(
                    "COALESCE(LEAST({t} + {}, {}), 0)",
                    over("MIN(w.open_before - w.opens)"),
                    over("MAX(w.open_before + w.closes - w.opens)")
                )
            }
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
                let mut out = format!(", {} AS f_start", self.open_to(d, "started"));
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
            // (The target outside the aggregate, as Spark needs: `Dialect::outer_in_aggregate`.)
            (Clock::Business(_) | Clock::PerCase, Within::Span(secs)) => format!(
                "(f_start + {secs}) + (SELECT MIN(w.opens - w.open_before) FROM open_time w WHERE w.calendar = {} AND w.open_before + (w.closes - w.opens) > f_start + {secs})",
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
    fn elapsed(&self, d: Dialect) -> String {
        match self {
            Clock::Always(_) => "stop - started".into(),
            Clock::Business(_) | Clock::PerCase => format!(
                "CASE WHEN stop IS NOT NULL THEN {} - f_start END",
                self.open_to(d, "stop")
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

const NULL_INT: &str = "CAST(NULL AS BIGINT)";

/// The SQL of standard number `k`: judged as it is, or, with versions by date, by the
/// version of each span of the period.
pub fn compile(
    d: Dialect,
    k: usize,
    s: &Standard,
    src: &SourceSql,
    dims: &[Dim],
    report_tz: Tz,
    p: Period,
) -> StandardSql {
    let judging = |version, prefix, period, scored| Judging {
        d,
        k,
        s: version,
        src,
        dims,
        report_tz,
        period,
        prefix,
        scored,
    };
    if s.versions.is_empty() {
        return judging(s, format!("s{k}"), p, true).compile();
    }
    let mut ctes = Vec::new();
    let mut parts = Vec::new();
    for (n, span) in version_spans(s, p).into_iter().enumerate() {
        let what = if span.in_force { "v" } else { "none" };
        let j = judging(
            span.version,
            format!("s{k}_{what}{}", n + 1),
            span.period,
            span.in_force,
        );
        let compiled = j.compile();
        ctes.extend(compiled.ctes);
        parts.push(format!("  SELECT * FROM {}", compiled.outcomes));
    }
    let outcomes = format!("s{k}_outcomes");
    ctes.push((
        outcomes.clone(),
        format!(
            "  -- every version's outcomes: each judges the clocks that start while it is in force\n{}",
            parts.join("\n  UNION ALL\n")
        ),
    ));
    StandardSql { ctes, outcomes }
}

/// What a kind's rule gives the steps every kind shares: the clocks, and expressions over a
/// clock's row (after its limits) for the verdict and what is measured.
struct Rule {
    /// The clocks CTE: a row per clock with `case_id`, the group carry, `start`, `stop`,
    /// `unless_at` and what the kind needs.
    clocks: String,
    /// The last instant that still meets the standard.
    deadline: String,
    /// The limits CTE, when the kind writes its own (else the shared one, with pauses).
    limits: Option<String>,
    verdict: String,
    /// Measured seconds; events counted; a value standard's number; 1 when excluded for
    /// want of a number.
    value: String,
    count: String,
    number: Option<String>,
    no_value: String,
}

impl Rule {
    /// A timed rule: met by the deadline, measured in seconds.
    fn timed(clocks: String, deadline: String, value: String) -> Rule {
        Rule {
            clocks,
            deadline,
            limits: None,
            verdict: timed_verdict(),
            value,
            count: NULL_INT.into(),
            number: None,
            no_value: "0".into(),
        }
    }
}

/// One standard (or one version on one span) being compiled: its CTEs' names start with
/// `prefix`; the clocks that start in `period` are kept; unscored outcomes are excluded.
struct Judging<'a> {
    d: Dialect,
    k: usize,
    s: &'a Standard,
    src: &'a SourceSql,
    dims: &'a [Dim],
    report_tz: Tz,
    period: Period,
    prefix: String,
    scored: bool,
}

impl Judging<'_> {
    fn name(&self, what: &str) -> String {
        format!("{}_{what}", self.prefix)
    }

    /// The attribute group columns, which ride along with each clock: (`g_` number, column).
    fn attr_dims(&self) -> Vec<(usize, String)> {
        self.dims
            .iter()
            .enumerate()
            .filter_map(|(j, dim)| match dim {
                Dim::Attr(a) => Some((j + 1, a.clone())),
                _ => None,
            })
            .collect()
    }

    /// The group columns taken from a case (`c`), as a select list's tail; a calendar per
    /// case rides along as `cal`.
    fn carry_in(&self) -> String {
        let mut out: String = self
            .attr_dims()
            .iter()
            .map(|(j, a)| format!(", COALESCE(c.{}, '') AS g_{j}", self.src.attr(a)))
            .collect();
        if let Some(cal) = Clock::per_case(self.src, self.s) {
            out.push_str(&format!(", {cal} AS cal"));
        }
        out
    }

    /// The group columns (and `cal`) passed on, as a select list's tail; `of` prefixes them
    /// (`k.`).
    fn carry(&self, of: &str) -> String {
        let mut out: String = self
            .attr_dims()
            .iter()
            .map(|(j, _)| format!(", {of}g_{j}"))
            .collect();
        if matches!(Clock::of(self.d, self.s), Clock::PerCase) {
            out.push_str(&format!(", {of}cal"));
        }
        out
    }

    /// The cases the standard admits (`where`) and their events up to the as-of.
    fn from(&self) -> String {
        format!(
            "FROM {} c\n        CROSS JOIN {} a\n        LEFT JOIN {} e ON e.case_id = c.case_id AND e.t <= a.as_of\n        WHERE {}",
            self.src.cte("cases"),
            self.src.cte("as_of"),
            self.src.cte("events"),
            filter(self.src, self.s)
        )
    }

    /// The cases with the clock's start beside each (`st.start`), and of their events only
    /// those named `read` (at least one row per case, NULL when none): the start is the first
    /// of the `names` events by the as-of, found by a hash GROUP BY and joined, where a
    /// MIN(...) OVER (PARTITION BY case_id) sorted every event (1M events: the window's 1.3 s
    /// of operator time gone for 0.2 s of aggregate and join); a case without such an event
    /// has no clock, and no row. The clocks read nothing else of the events.
    fn started_from(&self, names: &[String], read: &[String]) -> String {
        let (cases, as_of, events) = (
            self.src.cte("cases"),
            self.src.cte("as_of"),
            self.src.cte("events"),
        );
        format!(
            "FROM {cases} c\n        CROSS JOIN {as_of} a\n        JOIN (SELECT f.case_id, MIN(f.t) AS started FROM {events} f CROSS JOIN {as_of} fa WHERE {} AND f.t <= fa.as_of GROUP BY f.case_id) st ON st.case_id = c.case_id\n        LEFT JOIN {events} e ON e.case_id = c.case_id AND e.t <= a.as_of AND {}\n        WHERE {}",
            self.d.is_in("f.name", names),
            self.d.is_in("e.name", read),
            filter(self.src, self.s)
        )
    }

    /// The CTEs, ending with the outcomes.
    fn compile(&self) -> StandardSql {
        let mut ctes = Vec::new();
        let rule = self.rule(&mut ctes);
        ctes.push((self.name("clocks"), rule.clocks.clone()));
        let within = self.s.kind.within();
        let value = match (&rule.limits, self.s.pause_on.is_empty(), within) {
            (Some(limits), _, _) => {
                ctes.push((self.name("limits"), limits.clone()));
                rule.value.clone()
            }
            (None, false, Some(Within::Span(limit))) => self.paused(&mut ctes, limit),
            (None, _, _) => {
                let day = match self.s.kind {
                    Kind::Deadline { .. } => String::new(),
                    _ => Clock::of(self.d, self.s).prep(self.d, within),
                };
                ctes.push((
                    self.name("limits"),
                    format!(
                        "  -- the last instant that still meets the standard\n  SELECT k.*, a.as_of, {} AS deadline\n  FROM (SELECT *{day} FROM {} WHERE {}) k CROSS JOIN {} a",
                        rule.deadline,
                        self.name("clocks"),
                        period(self.period),
                        self.src.cte("as_of"),
                    ),
                ));
                rule.value.clone()
            }
        };
        let outcomes = self.finish(&mut ctes, &rule, &value);
        StandardSql { ctes, outcomes }
    }

    /// The kind's rule. Hook: a kind `sql::check` refuses is unreachable here until it has a
    /// `fn` of its own.
    fn rule(&self, ctes: &mut Vec<(String, String)>) -> Rule {
        match &self.s.kind {
            Kind::Elapsed { from, to, within } => self.elapsed(from, to, *within),
            Kind::Each {
                each,
                to,
                due: Due::Within(within),
            } => self.each(each, to, *within),
            Kind::Count {
                from,
                count,
                at_least,
                at_most,
                within,
            } => self.count(ctes, from, count, *at_least, *at_most, *within),
            Kind::Deadline { from, to, by } => self.deadline(from.as_deref(), to, by),
            Kind::Value {
                column,
                on,
                at_least,
                at_most,
            } => self.value(column, on.as_deref(), *at_least, *at_most),
            Kind::Each {
                each,
                to,
                due: Due::By(by),
            } => self.promised(each, to, by),
            // Compiled by `super::repeat`, which `sql::compile` tries first.
            Kind::Repeat { .. } => unreachable!("a repeat rate is compiled by sql::repeat"),
        }
    }

    /// `evaluate` `Kind::Elapsed`: from the first `from` event to the first `to` at or after it.
    fn elapsed(&self, from: &[String], to: &[String], within: Within) -> Rule {
        let (carry, unless) = (self.carry(""), self.d.is_in("name", &self.s.unless));
        let clocks = format!(
            "  -- the clock starts at the first {} event and stops at the first {} at or after it (events after the as-of have not happened yet)\n  SELECT case_id{carry}, MIN(started) AS started,\n         MIN(CASE WHEN {} AND t >= started THEN t END) AS stop,\n         MIN(CASE WHEN {unless} AND t >= started THEN t END) AS unless_at\n  FROM (SELECT c.case_id{}, e.t, e.name, st.started\n        {}) x\n  WHERE started IS NOT NULL\n  GROUP BY case_id{carry}",
            from.join("|"),
            to.join("|"),
            self.d.is_in("name", to),
            self.carry_in(),
            self.started_from(from, &[to, self.s.unless.as_slice()].concat()),
        );
        let clock = Clock::of(self.d, self.s);
        Rule::timed(
            clocks,
            clock.deadline(self.d, within),
            clock.elapsed(self.d),
        )
    }

    /// `evaluate::each_stops`: the first `to` event at or after the occurrence, never the
    /// occurrence's own row; at its very instant another `to` row counts, else the first one
    /// after it.
    fn each(&self, each: &[String], to: &[String], within: Within) -> Rule {
        let clock = Clock::of(self.d, self.s);
        Rule::timed(
            self.each_clocks(each, to, None),
            clock.deadline(self.d, within),
            clock.elapsed(self.d),
        )
    }

    /// The clocks of `each` as `evaluate::each_stops` stops them, one per occurrence; with a
    /// promise `(by, column)`, each row's promised time beside it as `due`.
    fn each_clocks(&self, each: &[String], to: &[String], promise: Option<(&str, &str)>) -> String {
        let (against, due, due_in) = match promise {
            Some((by, column)) => (
                format!(", against the time promised on its row ({by:?})"),
                "due, ",
                format!(", e.{column} AS due"),
            ),
            None => (String::new(), "", String::new()),
        };
        format!(
            "  -- one clock per {} event, stopped by the first {} at or after it on another row{against}\n  SELECT case_id{}, t AS started,\n         CASE WHEN to_here - (CASE WHEN is_to THEN 1 ELSE 0 END) > 0 THEN t ELSE to_after END AS stop,\n         {due}unless_at\n  FROM (SELECT c.case_id{}, e.t{due_in}, {} AS is_each, {} AS is_to,\n               SUM(CASE WHEN {} THEN 1 ELSE 0 END) OVER (PARTITION BY c.case_id, e.t) AS to_here,\n               MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id ORDER BY e.t RANGE BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS to_after,\n               MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id ORDER BY e.t RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS unless_at\n        {}) x\n  WHERE is_each",
            each.join("|"),
            to.join("|"),
            self.carry(""),
            self.carry_in(),
            self.d.is_in("e.name", each),
            self.d.is_in("e.name", to),
            self.d.is_in("e.name", to),
            self.d.is_in("e.name", to),
            self.d.is_in("e.name", &self.s.unless),
            self.from(),
        )
    }

    /// `evaluate::promised`: the clocks of `each` (stopped as `each_stops` stops them), each
    /// against the time promised on its own row; none promised: not scored.
    fn promised(&self, each: &[String], to: &[String], by: &str) -> Rule {
        let promise = self
            .src
            .promise(by)
            .expect("the promise columns of the events layout are read");
        let clocks = self.each_clocks(each, to, Some((by, &promise)));
        Rule {
            verdict: "CASE WHEN due IS NULL THEN 'excluded'\n              WHEN stop IS NOT NULL THEN (CASE WHEN stop <= due THEN 'met' ELSE 'breached' END)\n              WHEN as_of > due THEN 'breached'\n              ELSE 'open' END".into(),
            ..Rule::timed(clocks, "due".into(), "stop - due".into())
        }
    }

    /// `evaluate::counted`: the count events from the start to the window's close
    /// (inclusive), the instant the at_least-th came and the at_most+1-th. Writes its own
    /// starts and limits.
    fn count(
        &self,
        ctes: &mut Vec<(String, String)>,
        from: &[String],
        count: &[String],
        at_least: Option<u64>,
        at_most: Option<u64>,
        within: Option<Within>,
    ) -> Rule {
        let (d, clock) = (self.d, Clock::of(self.d, self.s));
        let (carry, carry_k) = (self.carry(""), self.carry("k."));
        let (as_of, events) = (self.src.cte("as_of"), self.src.cte("events"));
        let starts = format!(
            "SELECT case_id{carry}, MIN(started) AS started,\n                 MIN(CASE WHEN {} AND t >= started THEN t END) AS unless_at\n          FROM (SELECT c.case_id{}, e.t, e.name, st.started\n                {}) x\n          WHERE started IS NOT NULL\n          GROUP BY case_id{carry}",
            d.is_in("name", &self.s.unless),
            self.carry_in(),
            self.started_from(from, &self.s.unless),
        );
        let close = match within {
            Some(w) => clock.deadline(d, w),
            None => NULL_INT.into(),
        };
        let rank = |n: u64| format!("MIN(CASE WHEN e.rn = {n} THEN e.t END)");
        let reached = match at_least {
            Some(0) => "MIN(k.started)".to_string(),
            Some(n) => rank(n),
            None => NULL_INT.into(),
        };
        let exceeded = at_most.map_or_else(|| NULL_INT.into(), |n| rank(n + 1));
        let starts_cte = self.name("starts");
        ctes.push((
            starts_cte.clone(),
            format!(
                "  -- the clock starts at the first {} event, the window closes at the limit\n  SELECT w.*, {close} AS close\n  FROM (SELECT *{} FROM ({starts}) s) w",
                from.join("|"),
                clock.prep(d, within),
            ),
        ));
        let clocks = format!(
            "  -- the {} events from the start to the window's close, and when the count was reached or exceeded\n  SELECT k.case_id{carry_k}, k.started, k.unless_at, k.close,\n         COUNT(e.t) AS cnt, {reached} AS reached, {exceeded} AS exceeded\n  FROM {starts_cte} k\n  LEFT JOIN (SELECT k2.case_id, e.t, ROW_NUMBER() OVER (PARTITION BY k2.case_id ORDER BY e.t) AS rn\n             FROM {starts_cte} k2\n             CROSS JOIN {as_of} a\n             JOIN {events} e ON e.case_id = k2.case_id AND e.t <= a.as_of\n             WHERE {} AND e.t >= k2.started AND (k2.close IS NULL OR e.t <= k2.close)) e\n    ON e.case_id = k.case_id\n  GROUP BY k.case_id{carry_k}, k.started, k.unless_at, k.close",
            count.join("|"),
            d.is_in("e.name", count),
        );
        let met_at_close = at_least.map_or_else(|| "TRUE".into(), |n| format!("cnt >= {n}"));
        let no_most = at_most.is_none();
        // The stop is the event that made the verdict final.
        let limits = format!(
            "  SELECT k.*, a.as_of, k.close AS deadline,\n         CASE WHEN k.exceeded IS NOT NULL THEN k.exceeded WHEN {no_most} THEN k.reached END AS stop\n  FROM {} k CROSS JOIN {as_of} a\n  WHERE {}",
            self.name("clocks"),
            period(self.period).replace("started", "k.started")
        );
        Rule {
            clocks,
            deadline: "close".into(),
            limits: Some(limits),
            verdict: format!(
                "CASE WHEN exceeded IS NOT NULL THEN 'breached'\n              WHEN {no_most} AND reached IS NOT NULL THEN 'met'\n              WHEN close IS NULL OR as_of > close THEN (CASE WHEN {met_at_close} THEN 'met' ELSE 'breached' END)\n              ELSE 'open' END"
            ),
            value: NULL_INT.into(),
            count: "cnt".into(),
            number: None,
            no_value: "0".into(),
        }
    }

    /// `evaluate::deadline`: a deadline column of the case (cases layout), or the first `by`
    /// event at or after the start (events layout).
    fn deadline(&self, from: Option<&[String]>, to: &[String], by: &str) -> Rule {
        let started = match from {
            Some(f) => format!(
                "MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id)",
                self.d.is_in("e.name", f)
            ),
            None => "CASE WHEN c.first_seen <= a.as_of THEN c.first_seen END".to_string(),
        };
        let (due_in, due, by_event) = match self.src.deadline(by) {
            Some(col) => (
                format!(", c.{col} AS due_at"),
                "MAX(due_at)".to_string(),
                false,
            ),
            None => (
                String::new(),
                format!(
                    "MIN(CASE WHEN name = {} AND t >= started THEN t END)",
                    self.d.lit(by)
                ),
                true,
            ),
        };
        let carry = self.carry("");
        let clocks = format!(
            "  -- from {} to the first {} at or after it, against the deadline {by:?}\n  SELECT case_id{carry}, MIN(started) AS started,\n         MIN(CASE WHEN {} AND t >= started THEN t END) AS stop,\n         {due} AS due,\n         MIN(CASE WHEN {} AND t >= started THEN t END) AS unless_at\n  FROM (SELECT c.case_id{}{due_in}, e.t, e.name, {started} AS started\n        {}) x\n  WHERE started IS NOT NULL\n  GROUP BY case_id{carry}",
            from.map_or("the case's first time".to_string(), |f| f.join("|")),
            to.join("|"),
            self.d.is_in("name", to),
            self.d.is_in("name", &self.s.unless),
            self.carry_in(),
            self.from(),
        );
        let none = if by_event {
            "CASE WHEN stop IS NOT NULL THEN 'met' ELSE 'open' END"
        } else {
            "'excluded'"
        };
        Rule {
            verdict: format!(
                "CASE WHEN due IS NULL THEN {none}\n              WHEN stop IS NOT NULL THEN (CASE WHEN stop <= due THEN 'met' ELSE 'breached' END)\n              WHEN as_of > due THEN 'breached'\n              ELSE 'open' END"
            ),
            ..Rule::timed(clocks, "due".into(), "stop - due".into())
        }
    }

    /// `evaluate` `Kind::Value` and `valued`: the case starts at its first `on` event (else
    /// its first row, up to the as-of); met when its number is within the bounds, breached
    /// otherwise, never open; without a number not scored (`no value`, or `not a number`:
    /// both counted in `no_value`).
    fn value(
        &self,
        column: &str,
        on: Option<&[String]>,
        at_least: Option<f64>,
        at_most: Option<f64>,
    ) -> Rule {
        let d = self.d;
        let (started, what) = match on {
            Some(on) => (
                format!(
                    "MIN(CASE WHEN {} THEN e.t END) OVER (PARTITION BY c.case_id)",
                    d.is_in("e.name", on)
                ),
                format!("its first {} event", on.join("|")),
            ),
            None => (
                "CASE WHEN c.first_seen <= a.as_of THEN c.first_seen END".to_string(),
                "its first row".to_string(),
            ),
        };
        let numbers = self.src.number(column, on.unwrap_or(&[]));
        let carry = self.carry("");
        let clocks = format!(
            "  -- a case from {what}, with its number in {}\n  SELECT x.*, n.num, COALESCE(n.not_a_number, FALSE) AS not_a_number\n  FROM (SELECT case_id{carry}, MIN(started) AS started\n        FROM (SELECT c.case_id{}, {started} AS started\n              {}) y\n        WHERE started IS NOT NULL\n        GROUP BY case_id{carry}) x\n  LEFT JOIN {numbers} n ON n.case_id = x.case_id",
            d.lit(column),
            self.carry_in(),
            self.from().replace("\n        ", "\n              "),
        );
        let mut within = vec![];
        if let Some(lo) = at_least {
            within.push(format!("num >= {}", d.double(lo)));
        }
        if let Some(hi) = at_most {
            within.push(format!("num <= {}", d.double(hi)));
        }
        let within = match within.is_empty() {
            true => "TRUE".to_string(),
            false => within.join(" AND "),
        };
        let limits = format!(
            "  -- decided the moment the number is read: no deadline\n  SELECT k.*, a.as_of, {NULL_INT} AS deadline, k.started AS stop\n  FROM {} k CROSS JOIN {} a\n  WHERE {}",
            self.name("clocks"),
            self.src.cte("as_of"),
            period(self.period).replace("started", "k.started"),
        );
        Rule {
            clocks,
            deadline: NULL_INT.into(),
            limits: Some(limits),
            verdict: format!(
                "CASE WHEN num IS NULL THEN 'excluded' WHEN {within} THEN 'met' ELSE 'breached' END"
            ),
            value: NULL_INT.into(),
            count: NULL_INT.into(),
            number: Some("num".into()),
            no_value: "CASE WHEN num IS NULL THEN 1 ELSE 0 END".into(),
        }
    }

    /// Pauses (`evaluate::pauses`, `run_out`, `paused_open`): the clock stands still from
    /// each `pause_on` event while running to the next `resume_on` event; the limit runs out
    /// in the open time outside the pauses; the measured time leaves them out. Events at one
    /// instant keep the `--row-order` (else a pause comes before a resume). Pushes the pause
    /// CTEs and the limits, and returns the measured value.
    fn paused(&self, ctes: &mut Vec<(String, String)>, limit: i64) -> String {
        let (d, s, clock) = (self.d, self.s, Clock::of(self.d, self.s));
        let (as_of, events) = (self.src.cte("as_of"), self.src.cte("events"));
        let (cal, k_cal) = match clock {
            Clock::PerCase => (", cal", ", k.cal"),
            _ => ("", ""),
        };
        let is_pause = self.d.is_in("e.name", &s.pause_on);
        let is_resume = self.d.is_in("e.name", &s.resume_on);
        let fq = format!(
            "CASE WHEN resumed IS NOT NULL THEN {} END",
            clock.open_to(d, "resumed")
        );
        let pauses = if s.pause_on.iter().any(|n| s.resume_on.contains(n)) {
            toggled_pauses(
                self.d,
                s,
                &clock,
                &self.name("clocks"),
                &as_of,
                &events,
                cal,
                k_cal,
                &fq,
            )
        } else {
            format!(
                "  -- the pauses of each clock: from a {} event while running to the next {} event (never, when none came)\n  SELECT case_id, started{cal}, t AS p, resumed AS q, {} AS fp, {} AS fq\n  FROM (SELECT k.case_id, k.started{k_cal}, e.t, {is_resume} AS is_resume,\n               LAG({is_resume}) OVER (PARTITION BY k.case_id, k.started ORDER BY e.t, e.row_order, e.col_no, {is_resume}) AS after_resume,\n               MIN(CASE WHEN {is_resume} THEN e.t END) OVER (PARTITION BY k.case_id, k.started ORDER BY e.t, e.row_order, e.col_no, {is_resume} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS resumed\n        FROM (SELECT DISTINCT case_id, started{cal} FROM {}) k\n        CROSS JOIN {as_of} a\n        JOIN {events} e ON e.case_id = k.case_id AND e.t >= k.started AND e.t <= a.as_of\n        WHERE {is_pause} OR {is_resume}) x\n  WHERE NOT is_resume AND (after_resume IS NULL OR after_resume)",
                s.pause_on.join("|"),
                s.resume_on.join("|"),
                clock.open_to(d, "t"),
                fq,
                self.name("clocks"),
            )
        };
        ctes.push((self.name("pauses"), pauses));
        // The running stretches before each pause, and the open time they add up to.
        let f_start = clock.open_to(d, "started");
        ctes.push((
            self.name("runs"),
            format!(
                "  SELECT z.*,\n         CASE WHEN cum > {limit} AND cum - seg <= {limit} THEN f_prev + {limit} - (cum - seg) END AS target_in,\n         CASE WHEN last_one AND fq IS NOT NULL THEN fq + {limit} - cum END AS target_after,\n         CASE WHEN last_one AND fq IS NULL THEN 1 ELSE 0 END AS paused_for_good\n  FROM (SELECT y.*, SUM(seg) OVER (PARTITION BY case_id, started ORDER BY p ROWS UNBOUNDED PRECEDING) AS cum\n        FROM (SELECT x.*, fp - f_prev AS seg\n              FROM (SELECT pz.*, COALESCE(LAG(fq) OVER (PARTITION BY case_id, started ORDER BY p), {f_start}) AS f_prev,\n                           ROW_NUMBER() OVER (PARTITION BY case_id, started ORDER BY p DESC) = 1 AS last_one\n                    FROM {} pz) x) y) z",
                self.name("pauses"),
            ),
        ));
        ctes.push((
            self.name("run_out"),
            format!(
                "  -- where the limit runs out: inside the stretch before the first pause it does not fit, else after the last resume; never while a pause lasts\n  SELECT case_id, started, COALESCE(MAX(target_in), MAX(target_after)) AS target,\n         MAX(target_in) IS NULL AND MAX(paused_for_good) = 1 AS never\n  FROM {}\n  GROUP BY case_id, started",
                self.name("runs"),
            ),
        ));
        let plain = clock.deadline(self.d, Within::Span(limit));
        let at_target = match &clock {
            Clock::Always(_) => "target".to_string(),
            Clock::Business(_) | Clock::PerCase => format!(
                "target + (SELECT MIN(w.opens - w.open_before) FROM open_time w WHERE w.calendar = {} AND w.open_before + (w.closes - w.opens) > target)",
                clock.cal()
            ),
        };
        let f_end = clock.open_to(d, "COALESCE(stop, as_of)");
        ctes.push((
            self.name("limits"),
            format!(
                "  -- the last instant that still meets the standard, and the open time paused up to the clock's end\n  SELECT l.*,\n         {paused_sum} AS paused\n  FROM (SELECT k.*, {f_end} AS f_end,\n               CASE WHEN NOT has_pauses THEN {plain} WHEN never THEN NULL ELSE {at_target} END AS deadline\n        FROM (SELECT c.*, a.as_of, {f_start_c} AS f_start, r.target, COALESCE(r.never, FALSE) AS never, r.case_id IS NOT NULL AS has_pauses\n              FROM {clocks} c\n              CROSS JOIN {as_of} a\n              LEFT JOIN {run_out} r ON r.case_id = c.case_id AND r.started = c.started\n              WHERE {period}) k) l",
                paused_sum = paused_sum(d, &self.name("pauses")),
                f_start_c = clock.open_to(d, "c.started"),
                clocks = self.name("clocks"),
                run_out = self.name("run_out"),
                period = period(self.period).replace("started", "c.started"),
            ),
        ));
        format!(
            "CASE WHEN stop IS NOT NULL THEN {} - f_start - paused END",
            clock.open_to(d, "stop")
        )
    }

    /// The verdicts, `unless` (`evaluate::exempt_next`: an exempting event before the
    /// verdict was final), and the outcome rows with their group values; a span with no
    /// version in force gives its clocks as not scored (`Exclusion::NoVersion`). Returns
    /// the outcomes CTE.
    fn finish(&self, ctes: &mut Vec<(String, String)>, rule: &Rule, value: &str) -> String {
        let d = self.d;
        // A case whose attribute picks no calendar is not scored (`Outcome::uncalendared`).
        let verdict = match &self.s.calendar {
            CalendarChoice::ByAttribute { .. } => {
                format!(
                    "CASE WHEN cal IS NULL THEN 'excluded' ELSE {} END",
                    rule.verdict
                )
            }
            CalendarChoice::Fixed(_) => rule.verdict.clone(),
        };
        ctes.push((
            self.name("verdicts"),
            format!(
                "  SELECT l.*,\n         {} AS verdict0,\n         {value} AS value0,\n         {} AS cnt0,\n         {} AS num0,\n         {} AS no_value0\n  FROM {} l",
                verdict,
                rule.count,
                rule.number
                    .clone()
                    .unwrap_or_else(|| format!("CAST(NULL AS {})", d.float())),
                rule.no_value,
                self.name("limits")
            ),
        ));
        let timeout = format!("COALESCE(deadline + 1, {NEVER})");
        let exempt = if self.s.unless.is_empty() {
            "verdict0".to_string()
        } else {
            format!(
                "CASE WHEN verdict0 <> 'excluded' AND unless_at IS NOT NULL AND unless_at < (CASE WHEN verdict0 = 'open' THEN {NEVER} ELSE LEAST(COALESCE(stop, {timeout}), {timeout}) END) THEN 'excluded' ELSE verdict0 END"
            )
        };
        let groups: String = self
            .dims
            .iter()
            .enumerate()
            .map(|(j, dim)| {
                let g = match dim {
                    Dim::Attr(_) => format!("g_{}", j + 1),
                    Dim::Day => d.bucket(self.report_tz, "started", Bucket::Day),
                    Dim::Week => d.bucket(self.report_tz, "started", Bucket::Week),
                    Dim::Month => d.bucket(self.report_tz, "started", Bucket::Month),
                };
                format!(", {g} AS g_{}", j + 1)
            })
            .collect();
        let (comment, outcome) = match self.scored {
            true => (
                "met, breached, open or excluded (exempt when an `unless` event came before the verdict was final)",
                format!("{exempt} AS verdict, value0 AS value, cnt0 AS cnt, num0 AS num, no_value0 AS no_value"),
            ),
            false => (
                "no version in force when these clocks start: not scored",
                format!(
                    "'excluded' AS verdict, {NULL_INT} AS value, {NULL_INT} AS cnt, CAST(NULL AS {}) AS num, 0 AS no_value",
                    d.float()
                ),
            ),
        };
        let name = self.name("outcomes");
        ctes.push((
            name.clone(),
            format!(
                "  -- {comment}\n  SELECT {} AS std{groups}, {outcome}\n  FROM {}",
                self.k,
                self.name("verdicts")
            ),
        ));
        name
    }
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
        clock.open_to(d, "t"),
    )
}

/// The open time clock `l` stood still in the pauses of CTE `pauses` up to its end
/// (`l.f_end`): each pause that began before the end adds its open time to its resume, or to
/// the end when it lasted past it (or never ended).
fn paused_sum(d: Dialect, pauses: &str) -> String {
    let key = "z.case_id = l.case_id AND z.started = l.started AND z.p < COALESCE(l.stop, l.as_of)";
    // A whole number of seconds on every engine (PostgreSQL sums integers as `numeric`,
    // DuckDB as a 128-bit integer), as the measured values are.
    let int = d.int();
    if d.outer_in_aggregate() {
        return format!(
            "CAST((SELECT COALESCE(SUM(LEAST(COALESCE(z.fq, l.f_end), l.f_end) - z.fp), 0) FROM {pauses} z\n          WHERE {key}) AS {int})"
        );
    }
    // The same with the end outside the aggregates: the pauses that ended before it, and
    // the others counted, each adding the end less its start.
    let over = |agg: &str, when: &str| {
        format!("COALESCE((SELECT {agg} FROM {pauses} z WHERE {key} AND {when}), 0)")
    };
    let ended = "z.fq < l.f_end";
    let lasted = "(z.fq IS NULL OR z.fq >= l.f_end)";
    format!(
        "CAST(({}\n          + {} * l.f_end - {}) AS {int})",
        over("SUM(z.fq - z.fp)", ended),
        over("COUNT(*)", lasted),
        over("SUM(z.fp)", lasted)
    )
}

/// `Clock::timed`: (a NULL deadline is never: a pause that has not ended) met when the clock stopped by the deadline; breached when it stopped
/// later, or has not stopped and the as-of is past the deadline; else open.
fn timed_verdict() -> String {
    "CASE WHEN stop IS NOT NULL THEN (CASE WHEN deadline IS NULL OR stop <= deadline THEN 'met' ELSE 'breached' END)\n              WHEN as_of > deadline THEN 'breached'\n              ELSE 'open' END".into()
}
