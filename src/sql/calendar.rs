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

use super::expr::Ty;
use super::Dialect;

/// The two CTEs for `calendars` over `[from, to)`; none without a calendar.
pub fn ctes(d: Dialect, calendars: &[&Calendar], from: i64, to: i64) -> Vec<(String, String)> {
    if calendars.is_empty() {
        return Vec::new();
    }
    let mut windows = Vec::new();
    let mut days = Vec::new();
    for cal in calendars {
        let name = d.lit(&cal.name);
        let mut before = 0i64;
        let mut day_no = 0u32;
        for day in cal.days(from, to) {
            let Some(last) = day.windows.last() else {
                continue;
            };
            day_no += 1;
            days.push(vec![
                name.clone(),
                day_no.to_string(),
                last.close.to_string(),
            ]);
            for w in &day.windows {
                windows.push(vec![
                    name.clone(),
                    w.open.to_string(),
                    w.close.to_string(),
                    before.to_string(),
                ]);
                before += w.seconds();
            }
        }
    }
    let names: Vec<String> = calendars.iter().map(|c| c.name.clone()).collect();
    let int = Ty::Int;
    let open_time = d.rows(
        &[
            ("calendar", Ty::Text),
            ("opens", int),
            ("closes", int),
            ("open_before", int),
        ],
        &windows,
        "  ",
    );
    let open_days = d.rows(
        &[("calendar", Ty::Text), ("day_no", int), ("closes", int)],
        &days,
        "  ",
    );
    vec![
        (
            "open_time".into(),
            format!(
                "  -- the open windows of {} in UTC for the audit's range, from yardstick's calendar engine\n  {open_time}",
                names.join(", ")
            ),
        ),
        (
            "open_days".into(),
            format!(
                "  -- the open days, numbered, with the close of each (\"same day\", \"N business days\")\n  {open_days}"
            ),
        ),
    ]
}
