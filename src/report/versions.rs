//! The versions of a standard with versions by date in a report: which version a row shows
//! (the one in force at the end of the row's period) and each version's own counts.

use super::*;

/// One version of a standard, in a row of its report (JSON `versions`): its dates (`null` for
/// an open end; dates in its file's time zone, as written), what it promises, where it is
/// written, and the row's cases that it judged (those whose clock started while it was in
/// force).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionRow {
    pub effective_from: Option<String>,
    pub effective_until: Option<String>,
    pub title: Option<String>,
    pub target: f64,
    pub target_max: Option<f64>,
    pub limit_s: Option<i64>,
    pub file: String,
    pub line: usize,
    pub cases: u64,
    pub met: u64,
    pub breached: u64,
    pub open: u64,
    /// The version the row shows (title, target, level, file and line).
    pub shown: bool,
    /// A value standard's version: its bounds (null for other kinds, and for an open end).
    pub value_at_least: Option<f64>,
    pub value_at_most: Option<f64>,
    /// The version's level and rule in words, for the workbook's Definitions sheet (JSON has
    /// them through the fields above).
    #[serde(skip)]
    pub level: Level,
    #[serde(skip)]
    pub rule: String,
}

/// The version rows of `head`'s versions, from their `[met, breached, open]` counts (indexed
/// as `head.versions`; missing: none), `shown` being the one the row shows.
pub(super) fn version_rows(
    catalog: &Catalog,
    head: &Standard,
    counts: &[[u64; 3]],
    shown: &Standard,
) -> Vec<VersionRow> {
    head.versions
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let [met, breached, open] = counts.get(k).copied().unwrap_or_default();
            let (value_at_least, value_at_most) = match &v.kind {
                Kind::Value {
                    at_least, at_most, ..
                } => (*at_least, *at_most),
                _ => (None, None),
            };
            VersionRow {
                effective_from: v.effective.from_text(),
                effective_until: v.effective.until_text(),
                title: v.title.clone(),
                target: v.target,
                target_max: v.target_max,
                limit_s: summary::limit_s(v),
                file: catalog.files[v.file].path.display().to_string(),
                line: v.line,
                cases: met + breached + open,
                met,
                breached,
                open,
                shown: std::ptr::eq(v, shown),
                value_at_least,
                value_at_most,
                level: v.level,
                rule: v.rule(),
            }
        })
        .collect()
}

/// The first instant after a `--by` time bucket ([`Dim::bucket_id`]), cut in `tz` as periods
/// are; `None` for an attribute or an id past chrono's dates.
pub(super) fn bucket_end(d: &Dim, id: i64, tz: Tz) -> Option<i64> {
    let (year, n) = (id.div_euclid(100) as i32, id.rem_euclid(100) as u32);
    let next = match d {
        Dim::Day => NaiveDate::from_num_days_from_ce_opt(i32::try_from(id).ok()?)?.succ_opt()?,
        Dim::Week => NaiveDate::from_isoywd_opt(year, n, chrono::Weekday::Mon)?
            .checked_add_days(chrono::Days::new(7))?,
        Dim::Month => NaiveDate::from_ymd_opt(year, n, 1)?.checked_add_months(Months::new(1))?,
        Dim::Attr(_) => return None,
    };
    Some(local_to_utc(next.and_time(NaiveTime::MIN), tz))
}
