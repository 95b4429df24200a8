//! Versions by date in the query's rows: which version a report row shows, by the native
//! rule (`Standard::shown_at`, `report::summary::Summary::shown`): the version in force at
//! the end of the row's period (the period's last second, or the as-of when earlier; in a
//! `--by day|week|month` row, the end of its bucket when earlier), else the last one in
//! force before it, else the first. How each case is judged is `kinds::compile`'s.
//!
//! Each version is a row of the `standards` CTE (`ver` 0, 1, ... in date order; a standard
//! without dates is one row, `ver` 0) with the instant it comes into force (`eff_from`),
//! that instant's bucket label for each time dimension (`from_g_J`: a version has started by
//! a bucket's end exactly when its start's bucket is that bucket or an earlier one, and
//! labels sort as buckets do) and the end of the period (`period_end`, from the as-of the
//! query may find). The `shown` CTE picks, per row of `scored`, the version it shows.

use chrono_tz::Tz;

use crate::evaluate::Period;
use crate::report::Dim;
use crate::standards::Standard;

use super::expr::{int_opt, Bucket};
use super::Dialect;

/// The columns of version `v`'s row in the `standards` CTE that say when it starts, as a
/// select list's tail (after a comma): `eff_from`, `from_g_J` for each time dimension, and
/// `period_end` (read from the source's `as_of` CTE).
pub fn columns(
    d: Dialect,
    tz: Tz,
    dims: &[Dim],
    v: &Standard,
    period: Period,
    as_of: &str,
) -> String {
    let from = v.effective.from.map(|(_, t)| t);
    let mut out = vec![format!("CAST({} AS BIGINT) AS eff_from", int_opt(from))];
    for (j, dim) in dims.iter().enumerate() {
        let bucket = match dim {
            Dim::Attr(_) => continue,
            Dim::Day => Bucket::Day,
            Dim::Week => Bucket::Week,
            Dim::Month => Bucket::Month,
        };
        let label = match from {
            Some(t) => d.bucket(tz, &t.to_string(), bucket),
            None => format!("CAST(NULL AS {})", d.text()),
        };
        out.push(format!("{label} AS from_g_{}", j + 1));
    }
    // `app::Loaded::period_end`: the period's last second, or the as-of when earlier.
    let end = match period.until {
        Some(u) => d.least(&[(u - 1).to_string(), "as_of".to_string()]),
        None => "as_of".to_string(),
    };
    out.push(format!("(SELECT {end} FROM {as_of}) AS period_end"));
    out.join(", ")
}

/// The `shown` CTE: each row of `scored` with `ver`, the version it shows.
pub fn shown(d: Dialect, dims: &[Dim]) -> (String, String) {
    let mut started = vec!["v.eff_from <= v.period_end".to_string()];
    for (j, dim) in dims.iter().enumerate() {
        if !matches!(dim, Dim::Attr(_)) {
            let n = j + 1;
            started.push(format!(
                "(m.is_total OR {} <= {})",
                d.bytewise(&format!("v.from_g_{n}")),
                d.bytewise(&format!("m.g_{n}"))
            ));
        }
    }
    (
        "shown".into(),
        format!(
            "  -- the version each row shows: the last one in force by the end of its period (of its bucket, with --by day|week|month), else the first\n  SELECT m.*,\n         (SELECT COALESCE(MAX(v.ver), 0) FROM standards v\n          WHERE v.ord = m.std AND (v.eff_from IS NULL OR ({}))) AS ver\n  FROM scored m",
            started.join(" AND ")
        ),
    )
}
