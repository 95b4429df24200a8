//! The English names of weekdays and months, lower case, in order: the one list that the
//! business calendar's keys (`mon` .. `sun`, or the whole name) and the SQL reading of
//! `time_format`'s `%a`/`%A`/`%b`/`%B` (`sql::pattern`, as chrono reads them) are written
//! from. Each name's first three letters are its short form.

/// Monday first, as `chrono::Weekday::num_days_from_monday` counts.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A name's short form: its first three letters (`mon`, `jan`).
pub fn short(name: &'static str) -> &'static str {
    &name[..3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_forms_are_chrono_s() {
        let weekdays: Vec<&str> = WEEKDAYS.iter().map(|n| short(n)).collect();
        assert_eq!(weekdays, ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
        // chrono's `%b` writes the same three letters, capitalised.
        for (i, m) in MONTHS.iter().enumerate() {
            let date = chrono::NaiveDate::from_ymd_opt(2026, i as u32 + 1, 1).unwrap();
            assert_eq!(date.format("%b").to_string().to_lowercase(), short(m));
            assert_eq!(date.format("%B").to_string().to_lowercase(), *m);
        }
    }
}
