//! Business calendars in the query: the open windows of each calendar the selected
//! standards run on, in UTC, over the audit's range, computed by yardstick's own calendar
//! engine (`time::calendar`) and written as rows, so that business time in SQL is a sum of
//! overlaps and can never disagree with the native audit (holidays, overrides, split shifts,
//! spans past midnight and daylight-saving changes are already in the windows).
//!
//! `open_time` (calendar, opens, closes, open_before): each window, disjoint and in order,
//! with the open seconds of the calendar's windows before it. `open_days` (calendar, day_no,
//! closes): each open date in order, numbered, with the close of its last window.

use crate::time::calendar::Calendar;

use super::expr::lit;
use super::Dialect;

/// The two CTEs for `calendars` over `[from, to)`; none without a calendar.
pub fn ctes(d: Dialect, calendars: &[&Calendar], from: i64, to: i64) -> Vec<(String, String)> {
    if calendars.is_empty() {
        return Vec::new();
    }
    let mut windows = Vec::new();
    let mut days = Vec::new();
    for cal in calendars {
        let mut before = 0i64;
        let mut day_no = 0u32;
        for day in cal.days(from, to) {
            let Some(last) = day.windows.last() else {
                continue;
            };
            day_no += 1;
            days.push(format!("({}, {day_no}, {})", lit(&cal.name), last.close));
            for w in &day.windows {
                windows.push(format!(
                    "({}, {}, {}, {before})",
                    lit(&cal.name),
                    w.open,
                    w.close
                ));
                before += w.seconds();
            }
        }
    }
    // A calendar without a window in the range still needs a row for the query to be typed.
    let empty = |cols: &str| format!("  SELECT * FROM (VALUES {cols}) AS v WHERE FALSE");
    let names: Vec<String> = calendars.iter().map(|c| c.name.clone()).collect();
    vec![
        (
            "open_time".into(),
            if windows.is_empty() {
                empty(&format!("(CAST(NULL AS {}), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT))", d.text()))
                    .replace(" AS v ", " AS v(calendar, opens, closes, open_before) ")
            } else {
                format!(
                    "  -- the open windows of {} in UTC for the audit's range, from yardstick's calendar engine\n  SELECT * FROM (VALUES\n    {}\n  ) AS v(calendar, opens, closes, open_before)",
                    names.join(", "),
                    windows.join(",\n    ")
                )
            },
        ),
        (
            "open_days".into(),
            if days.is_empty() {
                empty(&format!(
                    "(CAST(NULL AS {}), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT))",
                    d.text()
                ))
                .replace(" AS v ", " AS v(calendar, day_no, closes) ")
            } else {
                format!(
                    "  -- the open days, numbered, with the close of each (\"same day\", \"N business days\")\n  SELECT * FROM (VALUES\n    {}\n  ) AS v(calendar, day_no, closes)",
                    days.join(",\n    ")
                )
            },
        ),
    ]
}
