//! A `time_format` pattern -> a regular expression with one group per field, and the rules
//! chrono applies when it reads the pattern (`time::stamp::parse`), so that `source` can read
//! the same times in SQL: the text must match the whole expression, and the fields then pass
//! the checks chrono makes (month 1-12, a 12-hour clock with its AM/PM, the weekday the date
//! has, a fraction only after seconds, ...). Knows chrono's parser, not SQL.
//!
//! chrono reads a pattern from left to right without going back: a number takes up to its
//! width in digits (after any white space), a space in the pattern takes any white space (or
//! none), a literal must be there as written. A regular expression may try another split
//! when the first fails; the expressions here are written so that the only split they can
//! find is chrono's: a number directly followed by another number is read at its full width
//! (or, shorter, only when white space follows, which the next number skips).

use chrono::format::{Fixed, Item, Numeric, StrftimeItems};

use crate::time::names::{short, MONTHS, WEEKDAYS};

/// A field a pattern reads, each a group of the expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `%Y`: digits, or a sign and digits.
    Year,
    /// `%y`: two digits, 1970-2069.
    YearMod100,
    /// `%m`.
    Month,
    /// `%b`, `%B`: an English month name (three letters, any case; or the whole name).
    MonthName,
    /// `%d`, `%e`.
    Day,
    /// `%H`, `%k`.
    Hour,
    /// `%I`, `%l`: 1-12, with `%p`.
    Hour12,
    /// `%M`.
    Minute,
    /// `%S`: 0-60 (a leap second is the last second of its minute).
    Second,
    /// `%p`: `AM` or `PM`, any case.
    AmPm,
    /// `%a`, `%A`: an English weekday name, which must be the date's.
    Weekday,
    /// `%z`, `%:z`, `%#z`: the sign of the offset (`+`, `-` or U+2212).
    OffsetSign,
    OffsetHour,
    OffsetMinute,
    /// `%#z`: `Z` or `z`, an offset of zero.
    Zulu,
    /// `%.f`, `%.3f`, ... in a pattern without seconds, where chrono refuses a fraction.
    Fraction,
    /// `%s`: seconds since 1970-01-01T00:00:00Z.
    Timestamp,
}

/// One piece of the expression.
#[derive(Debug, Clone)]
enum Piece {
    Raw(String),
    /// A field's group; `optional` when the text may leave it out.
    Group {
        field: Field,
        body: String,
        optional: bool,
    },
}

/// How chrono builds the instant from the fields (`TimeFormat::Pattern`'s `has_offset` and
/// `has_time`, the native reader's choice of parser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// `DateTime::parse_from_str`: a date, a time and an offset (or `%s`).
    Offset,
    /// `NaiveDateTime::parse_from_str`: a local date and time; an offset read is ignored.
    Local,
    /// `NaiveDate::parse_from_str`: a date; a time read is ignored.
    Date,
}

/// A pattern compiled.
#[derive(Debug, Clone)]
pub struct Compiled {
    pieces: Vec<Piece>,
    pub reading: Reading,
    /// No text can be read with it: chrono refuses every value (a date without a year, a
    /// time without minutes, an offset form without an offset), so every row is skipped.
    pub never: bool,
}

impl Compiled {
    /// The fields the expression reads, in order.
    pub fn fields(&self) -> Vec<Field> {
        self.pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Group { field, .. } => Some(*field),
                Piece::Raw(_) => None,
            })
            .collect()
    }

    /// Whether the field's text may end in white space (a shorter number side by side with
    /// the next, see [`number`]).
    pub fn padded(&self, field: Field) -> bool {
        self.pieces.iter().any(|p| {
            matches!(p, Piece::Group { field: f, body, .. } if *f == field && body.contains("\\s"))
        })
    }

    pub fn has(&self, field: Field) -> bool {
        self.fields().contains(&field)
    }

    /// The expression of the whole text, with `field`'s group the only capturing one (none:
    /// no capturing group), so that every engine's "first group" function can extract it.
    pub fn regex(&self, field: Option<Field>) -> String {
        let mut out = String::from("^");
        for p in &self.pieces {
            match p {
                Piece::Raw(s) => out.push_str(s),
                Piece::Group {
                    field: f,
                    body,
                    optional,
                } => {
                    out.push_str(if Some(*f) == field { "(" } else { "(?:" });
                    out.push_str(body);
                    out.push(')');
                    if *optional {
                        out.push('?');
                    }
                }
            }
        }
        out.push('$');
        out
    }
}

/// What chrono's item is, for an error naming it.
fn describe(item: &Item) -> String {
    match item {
        Item::Numeric(n, _) => match n {
            Numeric::YearDiv100 => "%C (the century)".into(),
            Numeric::IsoYear | Numeric::IsoYearDiv100 | Numeric::IsoYearMod100 => {
                "%G or %g (the ISO week year)".into()
            }
            Numeric::Quarter => "%q (the quarter)".into(),
            Numeric::WeekFromSun | Numeric::WeekFromMon | Numeric::IsoWeek => {
                "%U, %W or %V (a week number)".into()
            }
            Numeric::NumDaysFromSun | Numeric::WeekdayFromMon => {
                "%w or %u (the weekday as a number)".into()
            }
            Numeric::Ordinal => "%j (the day of the year)".into(),
            other => format!("{other:?}"),
        },
        Item::Fixed(Fixed::RFC2822) => "RFC 2822 (%+ or similar)".into(),
        Item::Fixed(Fixed::RFC3339) => "%+ (RFC 3339)".into(),
        other => format!("{other:?}"),
    }
}

/// The one item of a pattern, to tell chrono's internal items apart (their kind is private).
fn item_of(spec: &'static str) -> Item<'static> {
    StrftimeItems::new(spec).next().expect("one item")
}

/// Does the item read digits first (after any white space, `skips_space`)?
fn starts_with_digit(item: &Item) -> Option<bool> {
    match item {
        Item::Numeric(..) => Some(true),
        Item::Literal(s) => s.starts_with(|c: char| c.is_ascii_digit()).then_some(false),
        Item::OwnedLiteral(s) => s.starts_with(|c: char| c.is_ascii_digit()).then_some(false),
        Item::Fixed(_) if *item == item_of("%3f") || *item == item_of("%6f") => Some(false),
        Item::Fixed(_) if *item == item_of("%9f") => Some(false),
        _ => None,
    }
}

/// Escapes text for a regular expression (RE2, POSIX ARE and Java alike).
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.^$|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Letters in either case: `[Jj][Aa][Nn]`.
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase()))
        .collect()
}

/// English names, three letters and optionally the rest: `[Jj][Aa][Nn](?:[Uu][Aa][Rr][Yy])?|...`.
fn names(list: &[&str], long: bool) -> String {
    let alts: Vec<String> = list
        .iter()
        .map(|n| {
            let (head, rest) = n.split_at(3);
            if long && !rest.is_empty() {
                format!("{}(?:{})?", any_case(head), any_case(rest))
            } else {
                any_case(head)
            }
        })
        .collect();
    alts.join("|")
}

/// The three-letter prefixes in order, for the SQL that turns a name into its number.
pub fn month_prefixes() -> impl Iterator<Item = (usize, &'static str)> {
    MONTHS.iter().enumerate().map(|(i, n)| (i + 1, short(n)))
}

/// Weekdays numbered from Monday = 0.
pub fn weekday_prefixes() -> impl Iterator<Item = (usize, &'static str)> {
    WEEKDAYS.iter().enumerate().map(|(i, n)| (i, short(n)))
}

/// A number of up to `width` digits after any white space; `next_is_number` when the next item
/// reads digits (`Some(true)`: after white space of its own).
fn number(width: usize, next: Option<bool>) -> String {
    let w = width;
    match next {
        None if w == 1 => "[0-9]".into(),
        None => format!("[0-9]{{1,{w}}}"),
        Some(_) if w == 1 => "[0-9]".into(),
        // A shorter number ends at white space, which the next number skips.
        Some(true) => format!("[0-9]{{{w}}}|[0-9]{{1,{}}}\\s", w - 1),
        Some(false) => format!("[0-9]{{{w}}}"),
    }
}

/// Compiles `pattern` as the native reader reads it (`has_offset`, `has_time` as
/// `TimeFormat::pattern` decided them); the error names an element the SQL does not read.
pub fn compile(pattern: &str, has_offset: bool, has_time: bool) -> Result<Compiled, String> {
    let items: Vec<Item> = StrftimeItems::new(pattern).collect();
    let has_second = items
        .iter()
        .any(|i| matches!(i, Item::Numeric(Numeric::Second, _)));
    let (pieces, fraction_without_second) = pieces(pattern, &items, has_second)?;
    rules(
        pattern,
        pieces,
        has_offset,
        has_time,
        has_second,
        fraction_without_second,
    )
}

fn refusal(pattern: &str, what: String) -> String {
    format!("time_format {pattern:?} has {what}, which `yardstick sql` does not read")
}

/// The expression's pieces, item by item; and whether a fraction is always read in a pattern
/// without seconds (which chrono then refuses).
fn pieces(pattern: &str, items: &[Item], has_second: bool) -> Result<(Vec<Piece>, bool), String> {
    let mut out = Pieces {
        pattern,
        has_second,
        pieces: Vec::new(),
        fraction_without_second: false,
    };
    for (k, item) in items.iter().enumerate() {
        let next = items.get(k + 1).and_then(starts_with_digit);
        match item {
            Item::Literal(s) => out.pieces.push(Piece::Raw(escape(s))),
            Item::OwnedLiteral(s) => out.pieces.push(Piece::Raw(escape(s))),
            Item::Space(_) | Item::OwnedSpace(_) => out.pieces.push(ws()),
            Item::Numeric(n, _) => out.numeric(item, n, next)?,
            Item::Fixed(f) => out.fixed(item, f)?,
            Item::Error => return out.refuse("an element that is not strftime".into()),
        }
    }
    Ok((out.pieces, out.fraction_without_second))
}

/// White space, any or none: what a space in the pattern (and chrono before a number) skips.
fn ws() -> Piece {
    Piece::Raw("\\s*".into())
}

fn group(field: Field, body: String) -> Piece {
    Piece::Group {
        field,
        body,
        optional: false,
    }
}

/// The pieces of a pattern so far, item by item ([`pieces`]).
struct Pieces<'a> {
    pattern: &'a str,
    has_second: bool,
    pieces: Vec<Piece>,
    fraction_without_second: bool,
}

impl Pieces<'_> {
    fn refuse<T>(&self, what: String) -> Result<T, String> {
        Err(refusal(self.pattern, what))
    }

    /// A number item (`%Y`, `%m`, ... `%f`, `%s`); `next` as [`number`] takes it.
    fn numeric(&mut self, item: &Item, n: &Numeric, next: Option<bool>) -> Result<(), String> {
        let pieces = &mut self.pieces;
        let (field, width) = match n {
            Numeric::Year => (Field::Year, 4),
            Numeric::YearMod100 => (Field::YearMod100, 2),
            Numeric::Month => (Field::Month, 2),
            Numeric::Day => (Field::Day, 2),
            Numeric::Hour => (Field::Hour, 2),
            Numeric::Hour12 => (Field::Hour12, 2),
            Numeric::Minute => (Field::Minute, 2),
            Numeric::Second => (Field::Second, 2),
            Numeric::Nanosecond => {
                // `%f`: digits that are always a fraction.
                if !self.has_second {
                    self.fraction_without_second = true;
                }
                pieces.push(ws());
                pieces.push(Piece::Raw(format!("(?:{})", number(9, next))));
                return Ok(());
            }
            Numeric::Timestamp => {
                if next.is_some() {
                    return self.refuse("%s followed by digits".into());
                }
                pieces.push(ws());
                pieces.push(group(Field::Timestamp, "[0-9]{1,13}".into()));
                return Ok(());
            }
            _ => return self.refuse(describe(item)),
        };
        pieces.push(ws());
        let digits = number(width, next);
        let body = if field == Field::Year && next.is_none() {
            // With a sign, chrono reads every digit.
            format!("[+-][0-9]{{1,9}}|{digits}")
        } else {
            digits
        };
        pieces.push(group(field, body));
        Ok(())
    }

    /// A fixed item: names, AM/PM, fractions, zone names and offsets.
    fn fixed(&mut self, item: &Item, f: &Fixed) -> Result<(), String> {
        let permissive = item_of("%#z");
        let (no_dot3, no_dot6, no_dot9) = (item_of("%3f"), item_of("%6f"), item_of("%9f"));
        let pieces = &mut self.pieces;
        match f {
            Fixed::ShortMonthName => pieces.push(group(Field::MonthName, names(&MONTHS, false))),
            Fixed::LongMonthName => pieces.push(group(Field::MonthName, names(&MONTHS, true))),
            Fixed::ShortWeekdayName => pieces.push(group(Field::Weekday, names(&WEEKDAYS, false))),
            Fixed::LongWeekdayName => pieces.push(group(Field::Weekday, names(&WEEKDAYS, true))),
            Fixed::LowerAmPm | Fixed::UpperAmPm => {
                pieces.push(group(Field::AmPm, "[AaPp][Mm]".into()))
            }
            Fixed::Nanosecond | Fixed::Nanosecond3 | Fixed::Nanosecond6 | Fixed::Nanosecond9 => {
                let digits = match f {
                    Fixed::Nanosecond => "[0-9]+".to_string(),
                    Fixed::Nanosecond3 => "[0-9]{3}".into(),
                    Fixed::Nanosecond6 => "[0-9]{6}".into(),
                    _ => "[0-9]{9}".into(),
                };
                // Optional: chrono reads it only when a dot is there.
                pieces.push(Piece::Group {
                    field: Field::Fraction,
                    body: format!("\\.{digits}"),
                    optional: true,
                });
            }
            Fixed::TimezoneName => pieces.push(Piece::Raw("\\S*".into())),
            Fixed::TimezoneOffset
            | Fixed::TimezoneOffsetColon
            | Fixed::TimezoneOffsetDoubleColon
            | Fixed::TimezoneOffsetTripleColon => {
                pieces.push(ws());
                offset(pieces, false);
            }
            Fixed::TimezoneOffsetColonZ | Fixed::TimezoneOffsetZ => zulu_or_offset(pieces, false),
            Fixed::Internal(_) if *item == permissive => zulu_or_offset(pieces, true),
            Fixed::Internal(_) if [&no_dot3, &no_dot6, &no_dot9].contains(&item) => {
                let n = if *item == no_dot3 {
                    3
                } else if *item == no_dot6 {
                    6
                } else {
                    9
                };
                if !self.has_second {
                    self.fraction_without_second = true;
                }
                self.pieces.push(Piece::Raw(format!("[0-9]{{{n}}}")));
            }
            _ => return self.refuse(describe(item)),
        }
        Ok(())
    }
}

/// `Z` (or `z`) or an offset, after any white space; `missing_minutes` as [`offset`] takes it.
fn zulu_or_offset(pieces: &mut Vec<Piece>, missing_minutes: bool) {
    pieces.push(ws());
    pieces.push(Piece::Raw("(?:".into()));
    pieces.push(group(Field::Zulu, "[Zz]".into()));
    pieces.push(Piece::Raw("|".into()));
    offset(pieces, missing_minutes);
    pieces.push(Piece::Raw(")".into()));
}

/// The rules chrono applies to the fields read: each once, `%s` alone, what a value needs to
/// be built at all (else [`Compiled::never`]).
fn rules(
    pattern: &str,
    pieces: Vec<Piece>,
    has_offset: bool,
    has_time: bool,
    has_second: bool,
    fraction_without_second: bool,
) -> Result<Compiled, String> {
    let refuse = |what: String| Err(refusal(pattern, what));
    let mut compiled = Compiled {
        pieces,
        reading: if has_offset {
            Reading::Offset
        } else if has_time {
            Reading::Local
        } else {
            Reading::Date
        },
        never: false,
    };
    let fields = compiled.fields();
    for (k, f) in fields.iter().enumerate() {
        // chrono accepts a field read twice only with one value; the SQL reads each once.
        let same = |g: &Field| {
            g == f
                || matches!(
                    (f, g),
                    (Field::Month, Field::MonthName)
                        | (Field::MonthName, Field::Month)
                        | (Field::Year, Field::YearMod100)
                        | (Field::YearMod100, Field::Year)
                        | (Field::Hour, Field::Hour12)
                        | (Field::Hour12, Field::Hour)
                )
        };
        if fields[..k].iter().any(same) && !matches!(f, Field::Fraction) {
            return refuse(format!("a field read twice ({f:?})"));
        }
    }
    if compiled.has(Field::Timestamp)
        && fields.iter().any(|f| {
            !matches!(
                f,
                Field::Timestamp
                    | Field::Fraction
                    | Field::OffsetSign
                    | Field::OffsetHour
                    | Field::OffsetMinute
                    | Field::Zulu
            )
        })
    {
        return refuse("%s with date or time fields".into());
    }
    // What chrono needs to build a value at all.
    let has = |f| compiled.has(f);
    let date = has(Field::Timestamp)
        || ((has(Field::Year) || has(Field::YearMod100))
            && (has(Field::Month) || has(Field::MonthName))
            && has(Field::Day));
    let time = has(Field::Timestamp)
        || ((has(Field::Hour) || (has(Field::Hour12) && has(Field::AmPm))) && has(Field::Minute));
    let zone = has(Field::Timestamp) || has(Field::OffsetSign);
    compiled.never = !date
        || match compiled.reading {
            Reading::Offset => !time || !zone,
            Reading::Local => !time || fraction_without_second,
            Reading::Date => false,
        }
        || (compiled.reading == Reading::Offset && fraction_without_second);
    // A fraction is a field only where it can make the value fail.
    if has_second || compiled.reading == Reading::Date {
        for p in &mut compiled.pieces {
            if let Piece::Group {
                field: Field::Fraction,
                body,
                ..
            } = p
            {
                *p = Piece::Raw(format!("(?:{body})?"));
            }
        }
    }
    Ok(compiled)
}

/// An offset: a sign, two digits of hours, any colons or white space, two digits of minutes
/// (`missing_minutes`: or nothing more, at the end of the text).
fn offset(pieces: &mut Vec<Piece>, missing_minutes: bool) {
    let group = |field, body: &str| Piece::Group {
        field,
        body: body.into(),
        optional: false,
    };
    pieces.push(group(Field::OffsetSign, "\\+|-|\u{2212}"));
    pieces.push(group(Field::OffsetHour, "[0-9]{2}"));
    pieces.push(Piece::Raw("[:\\s]*".into()));
    if missing_minutes {
        pieces.push(Piece::Raw("(?:".into()));
        pieces.push(group(Field::OffsetMinute, "[0-5][0-9]"));
        pieces.push(Piece::Raw("|$)".into()));
    } else {
        pieces.push(group(Field::OffsetMinute, "[0-5][0-9]"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::stamp::TimeFormat;

    fn compiled(p: &str) -> Result<Compiled, String> {
        match TimeFormat::pattern(p).unwrap() {
            TimeFormat::Pattern {
                pattern,
                has_offset,
                has_time,
            } => compile(&pattern, has_offset, has_time),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn expressions_of_common_patterns() {
        let c = compiled("%d/%m/%Y %H:%M").unwrap();
        assert_eq!(c.reading, Reading::Local);
        assert!(!c.never);
        assert_eq!(
            c.regex(None),
            "^\\s*(?:[0-9]{1,2})/\\s*(?:[0-9]{1,2})/\\s*(?:[+-][0-9]{1,9}|[0-9]{1,4})\\s*\\s*(?:[0-9]{1,2}):\\s*(?:[0-9]{1,2})$"
        );
        assert_eq!(
            c.regex(Some(Field::Month)),
            "^\\s*(?:[0-9]{1,2})/\\s*([0-9]{1,2})/\\s*(?:[+-][0-9]{1,9}|[0-9]{1,4})\\s*\\s*(?:[0-9]{1,2}):\\s*(?:[0-9]{1,2})$"
        );
        // Numbers side by side: full width, or shorter before white space.
        let c = compiled("%Y%m%d").unwrap();
        assert_eq!(
            c.regex(None),
            "^\\s*(?:[0-9]{4}|[0-9]{1,3}\\s)\\s*(?:[0-9]{2}|[0-9]{1,1}\\s)\\s*(?:[0-9]{1,2})$"
        );
        let c = compiled("%a %b %d %H:%M:%S %z %Y").unwrap();
        assert_eq!(c.reading, Reading::Offset);
        assert_eq!(
            c.fields(),
            [
                Field::Weekday,
                Field::MonthName,
                Field::Day,
                Field::Hour,
                Field::Minute,
                Field::Second,
                Field::OffsetSign,
                Field::OffsetHour,
                Field::OffsetMinute,
                Field::Year
            ]
        );
        let c = compiled("%Y-%m-%dT%H:%M:%S%.f%#z").unwrap();
        assert!(c.regex(None).ends_with("(?:\\.[0-9]+)?\\s*(?:(?:[Zz])|(?:\\+|-|\u{2212})(?:[0-9]{2})[:\\s]*(?:(?:[0-5][0-9])|$))$"));
    }

    #[test]
    fn what_chrono_can_never_read_and_what_the_sql_refuses() {
        assert!(compiled("%d/%m %H:%M").unwrap().never);
        assert!(compiled("%Y-%m-%d %H").unwrap().never);
        assert!(compiled("%Y-%m-%d %I:%M").unwrap().never);
        assert!(!compiled("%Y-%m-%d %I:%M %p").unwrap().never);
        assert!(compiled("%Y-%m-%d %z").unwrap().never);
        assert!(compiled("%Y-%m-%d %H:%M%3f").unwrap().never);
        assert!(!compiled("%Y-%m-%d").unwrap().never);
        assert!(!compiled("%s").unwrap().never);
        assert_eq!(
            compiled("%Y-%j").unwrap_err(),
            "time_format \"%Y-%j\" has %j (the day of the year), which `yardstick sql` does not read"
        );
        assert_eq!(
            compiled("%Y-%m-%d %s").unwrap_err(),
            "time_format \"%Y-%m-%d %s\" has %s with date or time fields, which `yardstick sql` does not read"
        );
        assert!(compiled("%Y %m %d %Y")
            .unwrap_err()
            .contains("a field read twice (Year)"));
    }
}
