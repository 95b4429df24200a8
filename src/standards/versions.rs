//! Versions of a standard in force by date: `[[standard]]` tables that share an `id` and say
//! with `effective_from` / `effective_until` when each is in force. Owns the dates (read as
//! TOML dates or `"YYYY-MM-DD"`, half-open, cut at local midnight in the file's `timezone`),
//! the rules that let tables share an id, and the choice of a version by instant. Knows
//! nothing of logs or reports.
//!
//! # Semantics
//!
//! - A version is in force from the start of `effective_from` (local midnight in the file's
//!   time zone; a midnight that a clock change skips takes effect at the transition, as a
//!   calendar boundary does) until the start of `effective_until`, excluded. A missing date is
//!   an open end.
//! - Tables may share an id only when every one has a date and no two are in force at the same
//!   instant; a shared id without dates is the duplicate-id error it always was.
//! - Versions of one id are in one file (one time zone cuts their dates, and one file is
//!   where a policy's history is read), of one source and one kind, and start their clocks on
//!   the same events (`from`, `each`, or a value's `on`): the version that judges a case is the one in force
//!   when its clock starts, so every version must agree on that instant. Everything else
//!   (title, level, target, limit, `to`, `where`, calendar, pauses, `unless`) may change.
//! - The catalogue keeps one entry per id: the latest version (by date), with every version,
//!   in date order, in [`Standard::versions`].

use std::ops::Range;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use toml::Spanned;

use super::raw::{DateText, RawStandard};
use super::{Catalog, Fail, Kind, Standard};
use crate::error::Result;
use crate::time::local::boundary_to_utc;

/// When a version is in force: `[from, until)`, each end a date and the instant it starts
/// at (UTC seconds); `None` is an open end. Both `None`: a standard without dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Effective {
    pub from: Option<(NaiveDate, i64)>,
    pub until: Option<(NaiveDate, i64)>,
}

impl Effective {
    /// Whether any date was given.
    pub fn is_dated(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }

    /// Whether instant `t` is in force.
    #[inline]
    pub fn contains(&self, t: i64) -> bool {
        self.from.is_none_or(|(_, f)| t >= f) && self.until.is_none_or(|(_, u)| t < u)
    }

    fn overlaps(&self, other: &Effective) -> bool {
        let before = |a: &Effective, b: &Effective| match (a.until, b.from) {
            (Some((_, u)), Some((_, f))) => u <= f,
            _ => false,
        };
        !before(self, other) && !before(other, self)
    }

    /// `effective_from` as written, `YYYY-MM-DD` (a date in the file's time zone).
    pub fn from_text(&self) -> Option<String> {
        self.from.map(|(d, _)| d.to_string())
    }

    /// `effective_until` as written.
    pub fn until_text(&self) -> Option<String> {
        self.until.map(|(d, _)| d.to_string())
    }

    /// "from 2026-01-01 until 2026-07-01", "from 2026-07-01", "until 2026-07-01".
    pub fn describe(&self) -> String {
        match (self.from_text(), self.until_text()) {
            (Some(f), Some(u)) => format!("from {f} until {u}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(u)) => format!("until {u}"),
            (None, None) => "always".to_string(),
        }
    }
}

/// The dates of one `[[standard]]` table, checked: each a date, the start before the end.
pub(super) fn effective(
    r: &RawStandard,
    timezone: Tz,
    ctx: &dyn Fn(String) -> String,
    fail: &Fail,
) -> Result<Effective> {
    let day = |field: &Option<Spanned<DateText>>, key: &str| -> Result<Option<(NaiveDate, i64)>> {
        let Some(f) = field else { return Ok(None) };
        let text = f.get_ref().0.trim();
        let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 10)
            .ok_or_else(|| {
                fail(
                    Some(f.span()),
                    ctx(format!(
                        "{key}: {text:?} is not a date; expected a date such as 2026-07-01 or \"2026-07-01\" (the first day in force, in the file's time zone)"
                    )),
                )
            })?;
        // Local midnight is a wall-clock rule: one a clock change skips starts at the change.
        Ok(Some((
            date,
            boundary_to_utc(timezone, date.and_time(NaiveTime::MIN), false),
        )))
    };
    let from = day(&r.effective_from, "effective_from")?;
    let until = day(&r.effective_until, "effective_until")?;
    if let (Some((f, _)), Some((u, _)), Some(span)) = (from, until, &r.effective_until) {
        if u <= f {
            return Err(fail(
                Some(span.span()),
                ctx(format!(
                    "effective_until {u} is not after effective_from {f}; a version is in force from its first day up to, not including, effective_until"
                )),
            ));
        }
    }
    Ok(Effective { from, until })
}

/// The span an error about a table's dates points at: its first date key, else its id.
fn dates_span(r: &RawStandard) -> Option<Range<usize>> {
    r.effective_from
        .as_ref()
        .map(|s| s.span())
        .or_else(|| r.effective_until.as_ref().map(|s| s.span()))
        .or_else(|| r.id.as_ref().map(|s| s.span()))
}

/// The events a standard's clock starts on: versions must agree on them.
fn clock_start(kind: &Kind) -> Option<&Vec<String>> {
    match kind {
        Kind::Elapsed { from, .. } | Kind::Count { from, .. } => Some(from),
        Kind::Each { each, .. } => Some(each),
        Kind::Deadline { from, .. } => from.as_ref(),
        // A value's case belongs to the period of its `on` event, else of its first row.
        Kind::Value { on, .. } => on.as_ref(),
        // Refused with dates (`validate::repeat_only`); its customers start on `returns`.
        Kind::Repeat { returns, .. } => Some(returns),
    }
}

/// Adds `new`, a table with dates whose id is that of `catalog.standards[at]` (which has
/// dates too), as another version of it.
pub(super) fn add(
    catalog: &mut Catalog,
    at: usize,
    new: Standard,
    raw: &RawStandard,
    fail: &Fail,
) -> Result<()> {
    let head = &catalog.standards[at];
    let ctx = |msg: String| format!("standard {:?}: {msg}", new.id);
    let here = |s: &Standard| format!("{}:{}", catalog.files[s.file].path.display(), s.line);
    let span = dates_span(raw);
    if head.file != new.file {
        return Err(fail(
            span,
            ctx(format!(
                "versions of one standard must be in one file (one time zone cuts their dates); its other versions are in {}",
                here(head)
            )),
        ));
    }
    if head.source != new.source {
        return Err(fail(
            raw.source.as_ref().map(|s| s.span()).or(span),
            ctx(format!(
                "a version must read the source of the version at {} ({:?}); a standard of another source needs an id of its own",
                here(head),
                catalog.sources[head.source].name,
            )),
        ));
    }
    if head.kind.kind() != new.kind.kind() {
        return Err(fail(
            raw.id.as_ref().map(|s| s.span()).or(span),
            ctx(format!(
                "a version must be of the kind of the version at {} ({}, this table is {}); a standard of another kind needs an id of its own",
                here(head),
                head.kind.kind().as_str(),
                new.kind.kind().as_str()
            )),
        ));
    }
    if clock_start(&head.kind) != clock_start(&new.kind) {
        let (key, span) = match (&new.kind, &raw.each, &raw.from, &raw.on) {
            (Kind::Each { .. }, Some(e), _, _) => ("each", Some(e.span())),
            (Kind::Value { .. }, _, _, Some(on)) => ("on", Some(on.span())),
            (Kind::Value { .. }, _, _, None) => ("on", span),
            (_, _, Some(f), _) => ("from", Some(f.span())),
            _ => ("from", span),
        };
        let was = clock_start(&head.kind).map_or("the case's first row".to_string(), |v| {
            format!("{:?}", v.join("|"))
        });
        return Err(fail(
            span,
            ctx(format!(
                "a version must start its clock on the same events as the version at {} (`{key}` {was}): the version in force when a clock starts judges the case",
                here(head)
            )),
        ));
    }
    if let Some(other) = head
        .versions
        .iter()
        .find(|v| v.effective.overlaps(&new.effective))
    {
        return Err(fail(
            span,
            ctx(format!(
                "in force {}, which overlaps its version at {} (in force {}); versions of one id must not overlap",
                new.effective.describe(),
                here(other),
                other.effective.describe()
            )),
        ));
    }
    let mut versions = std::mem::take(&mut catalog.standards[at].versions);
    versions.extend(new.versions);
    // Date order; an open start is the earliest.
    versions.sort_by_key(|v| v.effective.from.map_or(i64::MIN, |(_, t)| t));
    let mut head = versions.last().expect("two versions").clone();
    head.versions = versions;
    catalog.standards[at] = head;
    Ok(())
}

impl Standard {
    /// Every version of the standard, in date order; the standard itself when it has one table.
    pub fn each_version(&self) -> impl Iterator<Item = &Standard> {
        let own = self.versions.is_empty().then_some(self);
        own.into_iter().chain(self.versions.iter())
    }

    /// The index in [`Standard::versions`] of the version in force at `t`, if any.
    #[inline]
    pub fn version_at(&self, t: i64) -> Option<usize> {
        // Versions are few: a scan (a comparison or two each) at a clock start.
        self.versions.iter().position(|v| v.effective.contains(t))
    }

    /// The version a report shows for a period ending at `end` (its last instant): the one in
    /// force then, else the last one in force before it, else the first. The standard itself
    /// without versions.
    pub fn shown_at(&self, end: i64) -> &Standard {
        if self.versions.is_empty() {
            return self;
        }
        let started = self
            .versions
            .iter()
            .rposition(|v| v.effective.from.is_none_or(|(_, f)| f <= end));
        &self.versions[started.unwrap_or(0)]
    }
}

#[cfg(test)]
mod tests {
    use crate::standards::add_file;
    use crate::standards::tests::{err, parse};
    use std::path::Path;

    // Lines 1-12; a standard's table starts on line 13 (its id on 14).
    const HEAD: &str = "version = 1\ntimezone = \"Europe/Berlin\"\n[sources.t]\nlayout = \"events\"\ncase = \"id\"\ntime = \"t\"\nevent = \"e\"\n[sources.u]\nlayout = \"events\"\ncase = \"id\"\ntime = \"t\"\nevent = \"e\"\n";

    /// A table of standard `x` on source t, with `extra` lines (dates) after `within`.
    fn table(extra: &str) -> String {
        format!("[[standard]]\nid = \"x\"\nsource = \"t\"\nfrom = \"a\"\nto = \"b\"\nwithin = \"1h\"\n{extra}\n")
    }

    #[test]
    fn versions_are_kept_in_date_order_under_the_latest() {
        // Written out of order: the later version first.
        let c = parse(&format!(
            "{HEAD}{}{}",
            table("effective_from = 2026-07-01\ntarget = 90"),
            table("effective_from = \"2026-01-01\"\neffective_until = 2026-07-01\ntarget = 80"),
        ))
        .unwrap();
        assert_eq!(c.standards.len(), 1);
        let s = &c.standards[0];
        assert_eq!((s.target, s.line), (90.0, 14));
        let dates: Vec<(Option<String>, Option<String>, f64, usize)> = s
            .versions
            .iter()
            .map(|v| {
                (
                    v.effective.from_text(),
                    v.effective.until_text(),
                    v.target,
                    v.line,
                )
            })
            .collect();
        assert_eq!(
            dates,
            [
                (
                    Some("2026-01-01".into()),
                    Some("2026-07-01".into()),
                    80.0,
                    22
                ),
                (Some("2026-07-01".into()), None, 90.0, 14),
            ]
        );
        // Local midnight in Berlin: CET (+1) in January, CEST (+2) in July.
        assert_eq!(s.versions[0].effective.from.unwrap().1, 1_767_222_000); // 2025-12-31T23:00Z
        assert_eq!(s.versions[1].effective.from.unwrap().1, 1_782_856_800); // 2026-06-30T22:00Z
                                                                            // Half-open: the instant of the change is the new version's.
        assert_eq!(s.version_at(1_782_856_799), Some(0));
        assert_eq!(s.version_at(1_782_856_800), Some(1));
        assert_eq!(s.version_at(1_767_221_999), None);
        // Shown: in force at the end, else the last before it, else the first.
        assert_eq!(s.shown_at(1_782_856_799).target, 80.0);
        assert_eq!(s.shown_at(i64::MAX).target, 90.0);
        assert_eq!(s.shown_at(0).target, 80.0);
        assert_eq!(s.each_version().count(), 2);
    }

    #[test]
    fn a_midnight_that_a_clock_change_skips_starts_at_the_change() {
        // Sao Paulo moved from -03 to -02 at 2017-10-15 00:00 local: there was no midnight;
        // the day began at 01:00 -02, the instant 03:00Z.
        let text = format!("{HEAD}{}", table("effective_from = 2017-10-15"))
            .replace("Europe/Berlin", "America/Sao_Paulo");
        let c = parse(&text).unwrap();
        assert_eq!(c.standards[0].effective.from.unwrap().1, 1_508_036_400);
    }

    #[test]
    fn a_standard_with_one_dated_table_is_one_version() {
        let c = parse(&format!("{HEAD}{}", table("effective_until = 2026-07-01"))).unwrap();
        let s = &c.standards[0];
        assert_eq!(s.versions.len(), 1);
        assert_eq!(s.versions[0].effective, s.effective);
        assert!(s.versions[0].versions.is_empty());
        // Without dates, no versions.
        let c = parse(&format!("{HEAD}{}", table(""))).unwrap();
        assert!(c.standards[0].versions.is_empty() && !c.standards[0].effective.is_dated());
    }

    #[test]
    fn errors_name_the_key_and_both_tables() {
        let cases = [
            (
                format!("{}{}", table("effective_from = 2026-01-01\neffective_until = 2026-07-01"), table("effective_from = 2026-03-01")),
                "s.toml:27:18: standard \"x\": in force from 2026-03-01, which overlaps its version at s.toml:14 (in force from 2026-01-01 until 2026-07-01); versions of one id must not overlap",
            ),
            (
                format!("{}{}", table("effective_until = 2026-07-01"), table("effective_until = 2026-03-01")),
                "s.toml:26:19: standard \"x\": in force until 2026-03-01, which overlaps its version at s.toml:14 (in force until 2026-07-01)",
            ),
            (
                format!("{}{}", table("effective_from = 2026-01-01"), table("")),
                "s.toml:21:6: duplicate standard id \"x\"; it is already used at s.toml:14 (tables may share an id as versions only when every one of them has effective_from or effective_until)",
            ),
            (
                format!("{}{}", table("effective_until = 2026-01-01"), table("effective_from = 2026-01-01").replace("source = \"t\"", "source = \"u\"")),
                "s.toml:22:10: standard \"x\": a version must read the source of the version at s.toml:14 (\"t\")",
            ),
            (
                format!("{}{}", table("effective_until = 2026-01-01"), table("effective_from = 2026-01-01").replace("from = \"a\"", "from = \"c\"")),
                "s.toml:23:8: standard \"x\": a version must start its clock on the same events as the version at s.toml:14 (`from` \"a\")",
            ),
            (
                format!("{}[[standard]]\nid = \"x\"\nsource = \"t\"\nfrom = \"a\"\ncount = \"b\"\nat_least = 1\neffective_from = 2026-01-01\n", table("effective_until = 2026-01-01")),
                "s.toml:21:6: standard \"x\": a version must be of the kind of the version at s.toml:14 (elapsed, this table is count)",
            ),
            (
                table("effective_from = \"2026-02-30\""),
                "s.toml:19:18: standard \"x\": effective_from: \"2026-02-30\" is not a date; expected a date such as 2026-07-01 or \"2026-07-01\"",
            ),
            (
                table("effective_from = \"1 July\""),
                "s.toml:19:18: standard \"x\": effective_from: \"1 July\" is not a date",
            ),
            (
                table("effective_until = 2026-07-01T12:00:00"),
                "s.toml:19:19: invalid value: the date and time 2026-07-01T12:00:00, expected a date such as 2026-12-25 or \"2026-12-25\"",
            ),
            (
                table("effective_from = 2026-07-01\neffective_until = 2026-07-01"),
                "s.toml:20:19: standard \"x\": effective_until 2026-07-01 is not after effective_from 2026-07-01",
            ),
            (
                table("effective_form = 2026-07-01"),
                "s.toml:19:1: unknown field `effective_form`",
            ),
        ];
        for (body, want) in cases {
            let e = err(&format!("{HEAD}{body}"));
            assert!(e.contains(want), "\n got: {e}\nwant: {want}");
        }
    }

    #[test]
    fn versions_of_one_id_stay_in_one_file() {
        let mut c = parse(&format!("{HEAD}{}", table("effective_until = 2026-07-01"))).unwrap();
        let e = add_file(
            &mut c,
            Path::new("t.toml"),
            &format!("{HEAD}{}", table("effective_from = 2026-07-01")),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("t.toml:19:18: standard \"x\": versions of one standard must be in one file (one time zone cuts their dates); its other versions are in s.toml:14"),
            "{e}"
        );
    }
}
