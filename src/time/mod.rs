//! Time: reading timestamps (`stamp`), durations and limits (`duration`), business calendars
//! (`calendar`), the one home of the rules for local times that a clock change skips or
//! repeats (`local`), and of the English weekday and month names (`names`). Knows nothing of
//! logs, standards or reports.

pub mod calendar;
pub mod duration;
pub mod local;
pub mod names;
pub mod stamp;
