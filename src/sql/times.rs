//! A source's time cells -> instants, in SQL, by the native reader's rules
//! (`time::stamp::parse`): the default forms, `time_format` patterns (one or several, the
//! first that reads a value wins) and `%s%3f` milliseconds. Each way of reading a column is
//! a *slot*: its text is matched against the whole expression, its fields extracted as
//! integers, checked as chrono checks them, and made an instant with civil-calendar
//! arithmetic and the `time::local` rule for local times. Knows nothing of rows or standards:
//! it turns the `c_N` cells of `{stem}_cells` into `t_N`, `day_end_N` and `date_only_N`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

use crate::time::stamp::TimeFormat;

use super::pattern::{self, Compiled, Field, Reading};
use super::Dialect;

/// The pattern of the forms `TimeFormat::Auto` reads (`time::stamp::parse_auto`): a date,
/// then optionally a time to the minute, seconds, a fraction and an offset.
const AUTO: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|z| UTC| Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$";

/// `%s%3f`: at most 18 digits, so that the number fits a BIGINT.
const MILLIS: &str = "^-?[0-9]{1,18}$";

/// One way of reading a column.
enum Reader {
    Auto,
    Pattern(Compiled),
    Millis,
}

struct Slot {
    /// The time column it reads (0-based: `c_{column + 1}`).
    column: usize,
    reader: Reader,
}

/// The readers of a source's time format, in the order the native reader tries them; the
/// error names an element the SQL does not read.
fn readers(format: &TimeFormat) -> Result<Vec<Reader>, String> {
    Ok(match format {
        TimeFormat::Auto => vec![Reader::Auto],
        TimeFormat::EpochMillis => vec![Reader::Millis],
        TimeFormat::Pattern {
            pattern,
            has_offset,
            has_time,
        } => vec![Reader::Pattern(pattern::compile(
            pattern,
            *has_offset,
            *has_time,
        )?)],
        TimeFormat::Any(list) => {
            let mut all = Vec::new();
            for f in list {
                all.extend(readers(f)?);
            }
            all
        }
    })
}

/// Checks that the SQL reads `format` (for `check`, before any SQL is written).
pub fn readable(format: &TimeFormat) -> Result<(), String> {
    readers(format).map(|_| ())
}

/// The CTEs that read `columns` time cells of `{stem}_cells` (as `c_1` ...), and the name of
/// the last, which has every column before and `t_N`, `day_end_N` and `date_only_N`. One
/// column is read where it is; several (the cases layout) are read once per distinct text,
/// in `{stem}_stamps`, and looked up, so that the query has one expression per form, not per
/// form and column; where the dialect unpivots them instead ([`Dialect::unpivot_cells`]),
/// parsed one per row and put together again.
pub fn ctes(
    d: Dialect,
    stem: &str,
    format: &TimeFormat,
    tz: Tz,
    columns: usize,
) -> Result<(Vec<(String, String)>, String), String> {
    if columns <= 1 {
        return pipeline(d, stem, &format!("{stem}_cells"), format, tz, columns);
    }
    let whats = ["t", "day_end", "date_only"];
    let cells = format!("{stem}_cells");
    // The cells to parse: each row's cells unpivoted where the dialect does so, else every
    // distinct text, to be looked up.
    let (stamps, unpivoted) = match d.unpivot_cells(&cells, columns) {
        Some(body) => (body, true),
        None => {
            let texts: Vec<String> = (1..=columns)
                .map(|n| format!("SELECT c_{n} AS c_1 FROM {cells}"))
                .collect();
            let body = format!(
                "  -- every distinct text of the time columns, read once\n  SELECT DISTINCT c_1\n  FROM ({}) u\n  WHERE c_1 IS NOT NULL",
                texts.join(" UNION ALL ")
            );
            (body, false)
        }
    };
    let mut ctes = vec![(format!("{stem}_stamps"), stamps)];
    let stamp = format!("{stem}_stamp");
    let (parsed, read) = pipeline(d, &stamp, &format!("{stem}_stamps"), format, tz, 1)?;
    ctes.extend(parsed);
    let times = if unpivoted {
        d.regroup(&read, columns, &whats)
    } else {
        let mut cols = vec!["x.*".to_string()];
        let mut joins = Vec::new();
        for n in 1..=columns {
            for what in whats {
                cols.push(format!("s{n}.{what}_1 AS {what}_{n}"));
            }
            joins.push(format!("  LEFT JOIN {read} s{n} ON s{n}.c_1 = x.c_{n}"));
        }
        format!(
            "  -- each time cell's instant, looked up\n  SELECT {}\n  FROM {cells} x\n{}",
            cols.join(", "),
            joins.join("\n")
        )
    };
    ctes.push((format!("{stem}_times"), times));
    Ok((ctes, format!("{stem}_times")))
}

/// The stages that read `columns` time cells of CTE `from` (as `c_1` ...), named after
/// `stem`: the commonest form by the engine where the dialect can, the rest by the general
/// stages ([`Slots`], [`Columns`], [`general_ctes`]).
fn pipeline(
    d: Dialect,
    stem: &str,
    from: &str,
    format: &TimeFormat,
    tz: Tz,
    columns: usize,
) -> Result<(Vec<(String, String)>, String), String> {
    let kinds = readers(format)?;
    let per_column = kinds.len();
    // The commonest form read by the engine where the dialect can (`Dialect::fast_time`);
    // the general stages then read only the rest of the cells.
    let fast = match (columns, &kinds[..]) {
        (1, [Reader::Auto]) => d.fast_time("c_1", tz),
        _ => None,
    };
    let general = match &fast {
        Some(_) => format!("(SELECT * FROM {stem}_fast WHERE fast_1 IS NULL) slow"),
        None => from.to_string(),
    };
    let slots = Slots::of(d, format, columns)?;
    let cols = Columns::of(d, tz, &slots.may_be_a_date, per_column);
    let general_ctes = general_ctes(stem, &general, format, tz, &slots, &cols);
    let Some(fast) = fast else {
        return Ok((general_ctes, format!("{stem}_instants")));
    };
    let mut ctes = vec![(
        format!("{stem}_fast"),
        format!(
            "  -- times: the commonest form read by the engine (the rest by the stages below)\n  SELECT *, {} AS fast_1\n  FROM {from}",
            fast.instant
        ),
    )];
    ctes.extend(general_ctes);
    ctes.push((
        format!("{stem}_read"),
        format!(
            "  -- every row with its instant: the general parse's, then the commonest form's\n  SELECT * FROM {stem}_instants\n  {}\n  SELECT *, fast_1 AS t_1, CAST(NULL AS BIGINT) AS day_end_1, FALSE AS date_only_1\n  FROM {stem}_fast\n  WHERE fast_1 IS NOT NULL",
            fast.union
        ),
    ));
    Ok((ctes, format!("{stem}_read")))
}

/// The columns of the stages that read each slot (a time column read one way), in slot
/// order: its cell when it has the shape, its fields' text, their numbers, whether it read a
/// valid value; and per time column whether a slot may read a date alone there.
struct Slots {
    shapes: Vec<String>,
    fields: Vec<String>,
    parts: Vec<String>,
    local: Vec<String>,
    may_be_a_date: Vec<bool>,
}

impl Slots {
    fn of(d: Dialect, format: &TimeFormat, columns: usize) -> Result<Slots, String> {
        let mut slots = Vec::new();
        for column in 0..columns {
            for reader in readers(format)? {
                slots.push(Slot { column, reader });
            }
        }
        let mut shapes = vec!["*".to_string()];
        let mut fields = vec!["*".to_string()];
        let mut parts = vec!["*".to_string()];
        let mut local = vec!["*".to_string()];
        let mut may_be_a_date = vec![false; columns];
        for (j, slot) in slots.iter().enumerate() {
            let p = format!("p{}", j + 1);
            let cell = format!("c_{}", slot.column + 1);
            shapes.push(shape(d, &p, &cell, &slot.reader));
            match &slot.reader {
                Reader::Auto => fields.extend(auto_fields(&p)),
                Reader::Pattern(c) => fields.extend(captures(d, &p, c)),
                Reader::Millis => {}
            }
            parts.extend(match &slot.reader {
                Reader::Auto => auto_parts(&p),
                Reader::Pattern(c) => pattern_parts(d, &p, c),
                Reader::Millis => millis_parts(d, &p),
            });
            let dated = match &slot.reader {
                Reader::Auto => true,
                Reader::Pattern(c) => !c.has(Field::Timestamp),
                Reader::Millis => false,
            };
            let weekday = matches!(&slot.reader, Reader::Pattern(c) if c.has(Field::Weekday));
            local.push(valid(d, &p, dated, weekday));
            if match &slot.reader {
                Reader::Auto => true,
                Reader::Pattern(c) => c.reading == Reading::Date && !c.never,
                Reader::Millis => false,
            } {
                may_be_a_date[slot.column] = true;
            }
        }
        Ok(Slots {
            shapes,
            fields,
            parts,
            local,
            may_be_a_date,
        })
    }
}

/// The columns of the stages that make each time column's instant: the fields of the first
/// slot that reads it, its wall-clock seconds, then its instant, so that the zone rule is
/// written once per column.
struct Columns {
    chosen: Vec<String>,
    walls: Vec<String>,
    /// The zone rule's first reading of each wall-clock time (`Dialect::local_to_utc_first`),
    /// which the rule then names rather than writing it out five times; none on UTC.
    firsts: Vec<String>,
    instants: Vec<String>,
}

impl Columns {
    fn of(d: Dialect, tz: Tz, may_be_a_date: &[bool], per_column: usize) -> Columns {
        let mut chosen = vec!["*".to_string()];
        let mut walls = vec!["*".to_string()];
        let mut firsts = Vec::new();
        let mut instants = vec!["*".to_string()];
        for (column, &may_be_a_date) in may_be_a_date.iter().enumerate() {
            let n = column + 1;
            let mine: Vec<String> = (0..per_column)
                .map(|a| format!("p{}", column * per_column + a + 1))
                .collect();
            let first = |what: &str| match &mine[..] {
                // One form: its fields as they are (`ok_N` says whether they hold a value).
                [one] => format!("{one}_{what}"),
                _ => {
                    let arms: Vec<String> = mine
                        .iter()
                        .map(|p| format!("WHEN {p}_valid THEN {p}_{what}"))
                        .collect();
                    format!("CASE {} END", arms.join(" "))
                }
            };
            let any: Vec<String> = mine.iter().map(|p| format!("{p}_valid")).collect();
            chosen.push(format!("{} AS ok_{n}", any.join(" OR ")));
            for what in ["y", "mo", "d", "h", "mi", "s", "off", "epoch", "date_only"] {
                chosen.push(format!("{} AS {what}_{n}", first(what)));
            }
            let days = days_from_civil(d, &format!("y_{n}"), &format!("mo_{n}"), &format!("d_{n}"));
            // The wall-clock seconds (and the next day's start), named so that the zone rule,
            // which repeats its argument, repeats a name.
            walls.push(format!(
                "{days} * 86400 + h_{n} * 3600 + mi_{n} * 60 + LEAST(s_{n}, 59) AS wall_{n}"
            ));
            walls.push(format!("({days} + 1) * 86400 AS next_day_{n}"));
            if tz != Tz::UTC {
                firsts.push(format!(
                    "CASE WHEN ok_{n} AND epoch_{n} IS NULL AND off_{n} IS NULL THEN {} END AS first_{n}",
                    d.local_to_utc_first(tz, &format!("wall_{n}"))
                ));
                if may_be_a_date {
                    firsts.push(format!(
                        "CASE WHEN ok_{n} AND date_only_{n} THEN {} END AS next_first_{n}",
                        d.local_to_utc_first(tz, &format!("next_day_{n}"))
                    ));
                }
            }
            instants.extend(instant(d, n, tz, may_be_a_date));
        }
        Columns {
            chosen,
            walls,
            firsts,
            instants,
        }
    }
}

/// The general stages over `general` (the source CTE, or the cells the fast form left),
/// one CTE per step, each reading the one before.
fn general_ctes(
    stem: &str,
    general: &str,
    format: &TimeFormat,
    tz: Tz,
    slots: &Slots,
    cols: &Columns,
) -> Vec<(String, String)> {
    // The first readings in a derived table of the instants' own FROM: a stage of their own
    // would be materialized, one more copy of every row (6% more memory on DuckDB at 1M).
    let walls = if cols.firsts.is_empty() {
        format!("{stem}_walls")
    } else {
        format!(
            "(SELECT *,\n               {}\n        FROM {stem}_walls) w",
            cols.firsts.join(",\n               ")
        )
    };
    let stage = |name: &str, comment: &str, list: &[String], before: &str| {
        let before = match before {
            "" => general.to_string(),
            "walls" => walls.clone(),
            _ => format!("{stem}_{before}"),
        };
        (
            format!("{stem}_{name}"),
            format!(
                "{comment}  SELECT {}\n  FROM {before}",
                list.join(",\n         ")
            ),
        )
    };
    let general_ctes = [
        stage(
            "shapes",
            &format!("  -- times: the cells of a shape {} reads\n", one_line(&format.describe())),
            &slots.shapes,
            "",
        ),
        stage("fields", "", &slots.fields, "shapes"),
        stage(
            "parts",
            "  -- the fields as numbers, and the offset written (none: a local time)\n",
            &slots.parts,
            "fields",
        ),
        stage(
            "checked",
            "  -- whether each form read a value: a real date and time, and the checks chrono makes\n",
            &slots.local,
            "parts",
        ),
        stage(
            "chosen",
            "  -- each column's fields: the first form that reads it\n",
            &cols.chosen,
            "checked",
        ),
        stage(
            "walls",
            "  -- the wall-clock seconds since 1970-01-01 (civil-calendar arithmetic, no engine date function)\n",
            &cols.walls,
            "chosen",
        ),
        stage(
            "instants",
            &format!("  -- local times in {} by the native rule: a repeated time is the first, a time in a gap keeps the offset before the change\n", tz.name()),
            &cols.instants,
            "walls",
        ),
    ];
    general_ctes.into()
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The cell when it has the slot's shape, else NULL.
fn shape(d: Dialect, p: &str, cell: &str, reader: &Reader) -> String {
    let re = match reader {
        Reader::Auto => AUTO.to_string(),
        Reader::Millis => MILLIS.to_string(),
        Reader::Pattern(c) if c.never => {
            return format!("CAST(NULL AS {}) AS {p}_m", d.text());
        }
        Reader::Pattern(c) => c.regex(None),
    };
    format!(
        "CASE WHEN {} THEN {cell} END AS {p}_m",
        d.matches(cell, &re)
    )
}

/// The default forms' fields, at their fixed places.
fn auto_fields(p: &str) -> Vec<String> {
    let v = format!("{p}_m");
    vec![
        format!("CAST(SUBSTR({v}, 1, 4) AS BIGINT) AS {p}_y"),
        format!("CAST(SUBSTR({v}, 6, 2) AS BIGINT) AS {p}_mo"),
        format!("CAST(SUBSTR({v}, 9, 2) AS BIGINT) AS {p}_d"),
        format!("CASE WHEN LENGTH({v}) > 10 THEN CAST(SUBSTR({v}, 12, 2) AS BIGINT) ELSE 0 END AS {p}_h"),
        format!("CASE WHEN LENGTH({v}) > 10 THEN CAST(SUBSTR({v}, 15, 2) AS BIGINT) ELSE 0 END AS {p}_mi"),
        format!("CASE WHEN SUBSTR({v}, 17, 1) = ':' THEN CAST(SUBSTR({v}, 18, 2) AS BIGINT) ELSE 0 END AS {p}_s"),
        format!("regexp_replace(SUBSTR({v}, 17), '^(:[0-9]{{2}}([.,][0-9]+)?)?', '') AS {p}_tail"),
    ]
}

/// The default forms' offset (`Z`, ` UTC`, `+HH`, `+HHMM`, `+HH:MM`) and its check.
fn auto_parts(p: &str) -> Vec<String> {
    let tail = format!("{p}_tail");
    let minutes = format!(
        "(CASE LENGTH({tail}) WHEN 3 THEN 0 WHEN 6 THEN CAST(SUBSTR({tail}, 5, 2) AS BIGINT) \
         ELSE CAST(SUBSTR({tail}, 4, 2) AS BIGINT) END)"
    );
    vec![
        format!(
            "CASE WHEN {tail} IN ('Z', 'z', ' UTC', ' Z') THEN 0 \
             WHEN SUBSTR({tail}, 1, 1) IN ('+', '-') THEN \
             (CASE WHEN SUBSTR({tail}, 1, 1) = '-' THEN -1 ELSE 1 END) * \
             (CAST(SUBSTR({tail}, 2, 2) AS BIGINT) * 3600 + {minutes} * 60) END AS {p}_off"
        ),
        format!(
            "CASE WHEN SUBSTR({tail}, 1, 1) IN ('+', '-') THEN \
             CAST(SUBSTR({tail}, 2, 2) AS BIGINT) <= 23 AND {minutes} <= 59 \
             ELSE TRUE END AS {p}_ok"
        ),
        format!("LENGTH({p}_m) = 10 AS {p}_date_only"),
        format!("CAST(NULL AS BIGINT) AS {p}_epoch"),
        format!("CAST(NULL AS BIGINT) AS {p}_wd"),
    ]
}

fn field_name(f: Field) -> &'static str {
    match f {
        Field::Year => "year",
        Field::YearMod100 => "yy",
        Field::Month => "month",
        Field::MonthName => "month_name",
        Field::Day => "day",
        Field::Hour => "hour",
        Field::Hour12 => "hour12",
        Field::Minute => "minute",
        Field::Second => "second",
        Field::AmPm => "ampm",
        Field::Weekday => "weekday",
        Field::OffsetSign => "off_sign",
        Field::OffsetHour => "off_hour",
        Field::OffsetMinute => "off_minute",
        Field::Zulu => "zulu",
        Field::Fraction => "fraction",
        Field::Timestamp => "epoch_s",
    }
}

/// Each field's text (NULL when the text leaves it out).
fn captures(d: Dialect, p: &str, c: &Compiled) -> Vec<String> {
    if c.never {
        return Vec::new();
    }
    c.fields()
        .into_iter()
        .map(|f| {
            format!(
                "NULLIF({}, '') AS {p}_{}",
                d.capture(&format!("{p}_m"), &c.regex(Some(f))),
                field_name(f)
            )
        })
        .collect()
}

/// A number field's text as an integer (a shorter number side by side with the next keeps
/// the white space after it, see `pattern::number`).
fn num(d: Dialect, c: &Compiled, p: &str, f: Field) -> String {
    if !c.padded(f) {
        return format!("CAST({p}_{} AS BIGINT)", field_name(f));
    }
    let ws = "' ' || CHR(9) || CHR(10) || CHR(11) || CHR(12) || CHR(13)";
    format!(
        "CAST({} AS BIGINT)",
        d.trim_chars(&format!("{p}_{}", field_name(f)), ws)
    )
}

/// A name's number: `CASE LOWER(SUBSTR(x, 1, 3)) WHEN 'jan' THEN 1 ... END`.
fn name_number(
    d: Dialect,
    p: &str,
    f: Field,
    names: impl Iterator<Item = (usize, &'static str)>,
) -> String {
    let arms: Vec<String> = names
        .map(|(n, name)| format!("WHEN {} THEN {n}", d.lit(name)))
        .collect();
    format!(
        "CASE LOWER(SUBSTR({p}_{}, 1, 3)) {} END",
        field_name(f),
        arms.join(" ")
    )
}

/// A pattern's fields as the numbers of a date and time, with every check chrono makes on
/// them when it reads (`Parsed::set_*`) and builds (`Parsed::to_naive_time`, `to_datetime`).
fn pattern_parts(d: Dialect, p: &str, c: &Compiled) -> Vec<String> {
    if c.never {
        return ["y", "mo", "d", "h", "mi", "s", "off", "epoch", "wd"]
            .iter()
            .map(|x| format!("CAST(NULL AS BIGINT) AS {p}_{x}"))
            .chain([
                format!("FALSE AS {p}_ok"),
                format!("FALSE AS {p}_date_only"),
            ])
            .collect();
    }
    // The checks, in the order they are written: the year's, each field's range, the
    // offset's, the timestamp's.
    let mut parts = Parts {
        d,
        p,
        c,
        ok: Vec::new(),
    };
    let (year, month, day) = parts.date();
    parts.ranges();
    let timed = c.reading != Reading::Date;
    let hour = parts.hour(timed);
    let part = |f: Field| {
        if timed && c.has(f) {
            num(d, c, p, f)
        } else {
            "0".into()
        }
    };
    let (minute, second) = (part(Field::Minute), part(Field::Second));
    let offset = parts.offset();
    let epoch = parts.epoch();
    let weekday = if c.has(Field::Weekday) {
        name_number(d, p, Field::Weekday, pattern::weekday_prefixes())
    } else {
        "CAST(NULL AS BIGINT)".into()
    };
    let ok = if parts.ok.is_empty() {
        "TRUE".to_string()
    } else {
        parts.ok.join(" AND ")
    };
    vec![
        format!("{year} AS {p}_y"),
        format!("{month} AS {p}_mo"),
        format!("{day} AS {p}_d"),
        format!("{hour} AS {p}_h"),
        format!("{minute} AS {p}_mi"),
        format!("{second} AS {p}_s"),
        format!("{offset} AS {p}_off"),
        format!("{ok} AS {p}_ok"),
        format!("{} AS {p}_date_only", if timed { "FALSE" } else { "TRUE" }),
        format!("{epoch} AS {p}_epoch"),
        format!("{weekday} AS {p}_wd"),
    ]
}

/// The numbers of slot `p`'s pattern `c`, with the checks chrono makes on them (`ok`).
struct Parts<'a> {
    d: Dialect,
    p: &'a str,
    c: &'a Compiled,
    ok: Vec<String>,
}

impl Parts<'_> {
    fn num(&self, f: Field) -> String {
        num(self.d, self.c, self.p, f)
    }

    fn pm(&self) -> String {
        format!("(LOWER({}_ampm) = 'pm')", self.p)
    }

    /// The year (`%Y` in chrono's range, or `%y` as 1970-2069), month (a number or a name)
    /// and day; NULL where the pattern has none.
    fn date(&mut self) -> (String, String, String) {
        let has = |f| self.c.has(f);
        let null = || "CAST(NULL AS BIGINT)".to_string();
        let year = if has(Field::Year) {
            let (lo, hi) = (NaiveDate::MIN.year(), NaiveDate::MAX.year());
            self.ok
                .push(format!("{} BETWEEN {lo} AND {hi}", self.num(Field::Year)));
            self.num(Field::Year)
        } else if has(Field::YearMod100) {
            let yy = self.num(Field::YearMod100);
            format!("({yy} + CASE WHEN {yy} < 70 THEN 2000 ELSE 1900 END)")
        } else {
            null()
        };
        let month = if has(Field::Month) {
            self.num(Field::Month)
        } else if has(Field::MonthName) {
            name_number(self.d, self.p, Field::MonthName, pattern::month_prefixes())
        } else {
            null()
        };
        let day = if has(Field::Day) {
            self.num(Field::Day)
        } else {
            null()
        };
        (year, month, day)
    }

    /// Ranges checked as each field is read, whatever the value is built from.
    fn ranges(&mut self) {
        let has = |f| self.c.has(f);
        let p = self.p;
        if has(Field::Hour) {
            self.ok.push(format!("{} <= 23", self.num(Field::Hour)));
        }
        if has(Field::Hour12) {
            self.ok
                .push(format!("{} BETWEEN 1 AND 12", self.num(Field::Hour12)));
        }
        if has(Field::Minute) {
            self.ok.push(format!("{} <= 59", self.num(Field::Minute)));
        }
        if has(Field::Second) {
            self.ok.push(format!("{} <= 60", self.num(Field::Second)));
        }
        if has(Field::Hour) && has(Field::AmPm) {
            // `%H` with `%p`: the hour must be on the side of noon the text says.
            self.ok
                .push(format!("({} >= 12) = {}", self.num(Field::Hour), self.pm()));
        }
        if has(Field::Fraction) {
            // A fraction without seconds: chrono refuses it.
            self.ok.push(format!("{p}_fraction IS NULL"));
        }
    }

    /// The hour of the day (0 for a date alone): `%H`, or `%I` with `%p`.
    fn hour(&self, timed: bool) -> String {
        if !timed {
            "0".to_string()
        } else if self.c.has(Field::Hour) {
            self.num(Field::Hour)
        } else if self.c.has(Field::Hour12) {
            let h = self.num(Field::Hour12);
            format!(
                "((CASE WHEN {h} = 12 THEN 0 ELSE {h} END) + CASE WHEN {} THEN 12 ELSE 0 END)",
                self.pm()
            )
        } else {
            "0".into()
        }
    }

    /// The offset written, in seconds (`Z` is 0); NULL for a local time.
    fn offset(&mut self) -> String {
        let (c, p) = (self.c, self.p);
        if c.reading == Reading::Offset && c.has(Field::OffsetSign) {
            let oh = self.num(Field::OffsetHour);
            self.ok
                .push(format!("({p}_off_hour IS NULL OR {oh} <= 23)"));
            let zulu = if c.has(Field::Zulu) {
                format!("WHEN {p}_zulu IS NOT NULL THEN 0 ")
            } else {
                String::new()
            };
            format!(
                "CASE {zulu}WHEN {p}_off_sign IS NOT NULL THEN (CASE WHEN {p}_off_sign = '+' THEN 1 ELSE -1 END) * ({oh} * 3600 + COALESCE({}, 0) * 60) END",
                self.num(Field::OffsetMinute)
            )
        } else if c.reading == Reading::Offset && c.has(Field::Zulu) {
            "0".into()
        } else {
            "CAST(NULL AS BIGINT)".into()
        }
    }

    /// `%s`: seconds since the epoch, within chrono's range.
    fn epoch(&mut self) -> String {
        if !self.c.has(Field::Timestamp) {
            return "CAST(NULL AS BIGINT)".into();
        }
        let max = NaiveDateTime::MAX.and_utc().timestamp();
        self.ok
            .push(format!("{} <= {max}", self.num(Field::Timestamp)));
        self.num(Field::Timestamp)
    }
}

/// `%s%3f`: milliseconds, rounded down to the second.
fn millis_parts(d: Dialect, p: &str) -> Vec<String> {
    let mut out: Vec<String> = ["y", "mo", "d", "h", "mi", "s", "off", "wd"]
        .iter()
        .map(|x| format!("CAST(NULL AS BIGINT) AS {p}_{x}"))
        .collect();
    out.push(format!("TRUE AS {p}_ok"));
    out.push(format!("FALSE AS {p}_date_only"));
    out.push(format!(
        "{} AS {p}_epoch",
        d.floor_div(&format!("CAST({p}_m AS BIGINT)"), 1000)
    ));
    out
}

/// The days since 1970-01-01 of a date (days_from_civil, H. Hinnant: years from March,
/// eras of 400 years): integer arithmetic, no engine date function.
fn days_from_civil(d: Dialect, y: &str, mo: &str, dd: &str) -> String {
    let yy = format!("({y} - CASE WHEN {mo} <= 2 THEN 1 ELSE 0 END)");
    let era = d.floor_div(&yy, 400);
    let yoe = format!("({yy} - {era} * 400)");
    let doy = format!(
        "({} + {dd} - 1)",
        d.idiv(
            &format!("153 * ({}) + 2", d.modulo(&format!("({mo} + 9)"), "12")),
            "5"
        )
    );
    let doe = format!(
        "({yoe} * 365 + {} - {} + {doy})",
        d.idiv(&yoe, "4"),
        d.idiv(&yoe, "100")
    );
    format!("({era} * 146097 + {doe} - 719468)")
}

/// Whether the slot read a valid value: a real date and time of day, the checks of its
/// reader, and a weekday written that is the date's (Monday = 0; 1970-01-01 was a Thursday).
/// `dated`: the value is a date and time (else an instant given as a number).
fn valid(d: Dialect, p: &str, dated: bool, weekday: bool) -> String {
    if !dated {
        return format!("COALESCE({p}_m IS NOT NULL AND {p}_ok, FALSE) AS {p}_valid");
    }
    let (y, mo, dd) = (format!("{p}_y"), format!("{p}_mo"), format!("{p}_d"));
    let leap = format!(
        "(({} = 0 AND {} <> 0) OR {} = 0)",
        d.modulo(&y, "4"),
        d.modulo(&y, "100"),
        d.modulo(&y, "400")
    );
    let wd = if weekday {
        let days = format!("({})", days_from_civil(d, &y, &mo, &dd));
        let shifted = format!("({} + 10)", d.modulo(&days, "7"));
        format!(" AND {} = {p}_wd", d.modulo(&shifted, "7"))
    } else {
        String::new()
    };
    format!(
        "COALESCE({p}_m IS NOT NULL AND {p}_ok AND {mo} BETWEEN 1 AND 12 AND {dd} >= 1 AND {dd} <= \
         (CASE WHEN {mo} = 2 THEN (CASE WHEN {leap} THEN 29 ELSE 28 END) \
         WHEN {mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END) \
         AND {p}_h <= 23 AND {p}_mi <= 59 AND {p}_s <= 60{wd}, FALSE) AS {p}_valid"
    )
}

/// The instant column `n` holds, and (for a date alone) the last second of its day. A time
/// without an offset is wall-clock time in the source's zone; a leap second (:60) is the last
/// second of its minute.
fn instant(d: Dialect, n: usize, tz: Tz, may_be_a_date: bool) -> Vec<String> {
    let wall = format!("wall_{n}");
    // The zone rule from the first reading the walls stage named (`Columns::walls`).
    let utc = |l: &str, first: &str| {
        if tz == Tz::UTC {
            l.to_string()
        } else {
            d.local_to_utc_from(tz, l, first)
        }
    };
    vec![
        format!(
            "CASE WHEN ok_{n} THEN (CASE WHEN epoch_{n} IS NOT NULL THEN epoch_{n} \
             WHEN off_{n} IS NULL THEN {} ELSE {wall} - off_{n} END) END AS t_{n}",
            utc(&wall, &format!("first_{n}"))
        ),
        // As a deadline, a date alone means the end of that day.
        if may_be_a_date {
            format!(
                "CASE WHEN ok_{n} AND date_only_{n} THEN {} - 1 END AS day_end_{n}",
                utc(&format!("next_day_{n}"), &format!("next_first_{n}"))
            )
        } else {
            format!("CAST(NULL AS BIGINT) AS day_end_{n}")
        },
    ]
}
