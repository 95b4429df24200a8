//! SQL expressions the compiler writes again and again: literals, identifiers, integer
//! arithmetic and the time-zone rules, each in one place so that a dialect's spelling is
//! decided once. Knows nothing of standards.

use chrono_tz::Tz;

use super::Dialect;

/// A string literal: `'it''s'`. Standard SQL quoting; the dialects compiled here do not
/// treat a backslash specially in it.
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An optional string literal, `NULL` for none.
pub fn lit_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_string(), lit)
}

/// A quoted identifier: `"First reply"`.
pub fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A table name as `--table` gives it: each dot-separated part quoted (`raw.tickets` is
/// schema `raw`, table `tickets`).
pub fn table(s: &str) -> String {
    s.split('.').map(ident).collect::<Vec<_>>().join(".")
}

/// `IN (...)` of string literals; an empty list is never true.
pub fn is_in(expr: &str, values: &[String]) -> String {
    if values.is_empty() {
        return "FALSE".to_string();
    }
    let list: Vec<String> = values.iter().map(|v| lit(v)).collect();
    format!("{expr} IN ({})", list.join(", "))
}

/// An integer literal, `NULL` for none.
pub fn int_opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "NULL".to_string(), |v| v.to_string())
}

/// A `--by` time bucket.
#[derive(Debug, Clone, Copy)]
pub enum Bucket {
    Day,
    Week,
    Month,
}

/// A dialect's fast path of the commonest time form (`Dialect::fast_time`).
pub struct FastTime {
    /// The instant of the cell, NULL when the general parse must read it.
    pub instant: String,
    /// The set operation that appends rows with fewer columns, by name.
    pub union: &'static str,
}

/// A group's values as a sorted list (`Dialect::sorted_list`, DuckDB's `LIST`).
pub struct SortedList {
    /// The aggregate that makes the list.
    pub aggregate: String,
}

impl SortedList {
    /// The element at nearest rank `ceil(num / den x n)` (at least 1) of list column `l`,
    /// NULL for an empty list (DuckDB lists are 1-based; past the end is NULL).
    pub fn nearest_rank(l: &str, num: i64, den: i64) -> String {
        format!(
            "{l}[GREATEST(({num} * len({l}) + {}) // {den}, 1)]",
            den - 1
        )
    }
}

/// Which end of a text [`Dialect::trim_zeros`] trims.
#[derive(Debug, Clone, Copy)]
pub enum Side {
    Leading,
    Trailing,
}

/// The largest instant, standing for "never" (an `unless` that any time beats).
pub const NEVER: &str = "9223372036854775807";

impl Dialect {
    /// The type of a double (IEEE 754 binary64).
    pub fn float(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            _ => "DOUBLE",
        }
    }

    /// A double literal with the exact value of `x` (Rust prints the shortest text that reads
    /// back as the same double, and the engines read it back so).
    pub fn double(self, x: f64) -> String {
        format!("CAST({x} AS {})", self.float())
    }

    /// `a` divided by `b`, rounded down, for integers (`b` > 0).
    pub fn floor_div(self, a: &str, b: i64) -> String {
        // Integer division truncates toward zero: the floor of a double is exact for
        // instants (below 2^53 seconds).
        format!("CAST(FLOOR(CAST({a} AS {}) / {b}) AS BIGINT)", self.float())
    }

    /// Integer division of non-negative integers (an integer, so that times stay BIGINT).
    pub fn idiv(self, a: &str, b: &str) -> String {
        match self {
            // `/` of two integers is integer division there (`div` would give a numeric).
            Dialect::Postgres => format!("(({a}) / ({b}))"),
            _ => format!("(({a}) // ({b}))"),
        }
    }

    /// Whether text matches a regular expression (written for RE2 and POSIX alike).
    pub fn matches(self, expr: &str, pattern: &str) -> String {
        match self {
            Dialect::Postgres => format!("({expr} ~ {})", lit(pattern)),
            _ => format!("regexp_full_match({expr}, {})", lit(pattern)),
        }
    }

    /// `expr` without its leading (`Side::Leading`) or trailing zeros ('0' characters).
    pub fn trim_zeros(self, expr: &str, side: Side) -> String {
        let (sql, short) = match side {
            Side::Leading => ("LEADING", "LTRIM"),
            Side::Trailing => ("TRAILING", "RTRIM"),
        };
        match self {
            // Run on these; the others' spellings are from their documentation.
            Dialect::Duckdb | Dialect::Postgres | Dialect::Spark => {
                format!("TRIM({sql} '0' FROM {expr})")
            }
            Dialect::Bigquery | Dialect::Snowflake => format!("{short}({expr}, '0')"),
        }
    }

    /// The text of the one capturing group of `pattern` in `expr` (a pattern written for RE2,
    /// POSIX ARE and Java alike, with one group, so that every engine's "first group"
    /// function serves); NULL or `''` when the text does not match or the group took no part.
    pub fn capture(self, expr: &str, pattern: &str) -> String {
        match self {
            Dialect::Postgres => format!("substring({expr} from {})", lit(pattern)),
            Dialect::Duckdb | Dialect::Spark => {
                format!("regexp_extract({expr}, {}, 1)", lit(pattern))
            }
            Dialect::Bigquery => format!("REGEXP_EXTRACT({expr}, {})", lit(pattern)),
            Dialect::Snowflake => {
                format!("REGEXP_SUBSTR({expr}, {}, 1, 1, 'e', 1)", lit(pattern))
            }
        }
    }

    /// How a CTE is written: PostgreSQL inlines a CTE read once, and the parse stages'
    /// expressions, each naming the one before several times, would multiply into one
    /// expression too large to plan; each step is computed once instead. DuckDB inlines a
    /// CTE into each of its readers, so the parsed rows (read by the skipped count, the
    /// events, the as-of, the cases and each attribute) were parsed five times over: there
    /// too each step is computed once (bench/README.md, "compiled query": 1M events, CPU
    /// 4.7 s -> 2.8 s with one thread).
    pub fn materialized(self) -> &'static str {
        match self {
            Dialect::Postgres | Dialect::Duckdb => "MATERIALIZED ",
            _ => "",
        }
    }

    /// `TRIM(BOTH <the five ASCII white-space characters> FROM x)`, the native reader's trim
    /// of a cell. On DuckDB a cell whose first and last characters are none of them
    /// (each at most `' '`, so `>= '!'`, a byte comparison there, tells) is its own trim,
    /// and the trim itself (a scan against a five-character set, 1.7 s of 5.7 s at 1M
    /// events) runs only on the rest: four columns of 1M cells, CPU 0.90 s -> 0.10 s.
    pub fn trim_ws(self, x: &str) -> String {
        let trim = format!("TRIM(BOTH ' ' || CHR(9) || CHR(10) || CHR(12) || CHR(13) FROM {x})");
        match self {
            Dialect::Duckdb => {
                format!("(CASE WHEN {x} >= '!' AND {x}[-1] >= '!' THEN {x} ELSE {trim} END)")
            }
            _ => trim,
        }
    }

    /// The fast path of the default time forms (`TimeFormat::Auto`): the instant (BIGINT
    /// seconds) of a trimmed time cell `x` in the commonest form, `YYYY-MM-DDTHH:MM:SSZ` (and,
    /// on a UTC source, `YYYY-MM-DD HH:MM:SS`), read by the engine's own cast; NULL for any
    /// other cell, which the general parse (`sql::times`) then reads. The cast and a print
    /// back are the check: a cell that prints back as itself is in that form exactly, with a
    /// real date, hour <= 23, minute and second <= 59 (`24:00`, `:60`, a day that does not
    /// exist, lowercase `t`/`z` all differ or do not cast, and take the general parse); the
    /// length and a first character `>= '0'` keep out the years the native reader refuses
    /// (a sign, five digits) that DuckDB prints back. None: no fast path, every cell takes
    /// the general parse. The rows it reads join the general parse's, which have more
    /// columns, by `FastTime::union` (by name, the missing ones NULL). DuckDB, 1M cells,
    /// one thread: the general parse 0.50 s of CPU, this 0.13 s (bench/README.md, "The
    /// compiled query").
    pub fn fast_time(self, x: &str, tz: Tz) -> Option<FastTime> {
        match self {
            Dialect::Duckdb => {
                let ts = format!("TRY_CAST({x} AS TIMESTAMP)");
                let zulu =
                    format!("(LENGTH({x}) = 20 AND strftime({ts}, '%Y-%m-%dT%H:%M:%SZ') = {x})");
                let check = if tz == Tz::UTC {
                    format!(
                        "{x} >= '0' AND ({zulu} OR (LENGTH({x}) = 19 AND strftime({ts}, '%Y-%m-%d %H:%M:%S') = {x}))"
                    )
                } else {
                    format!("{x} >= '0' AND {zulu}")
                };
                Some(FastTime {
                    instant: format!("CASE WHEN {check} THEN epoch_ms({ts}) // 1000 END"),
                    union: "UNION ALL BY NAME",
                })
            }
            _ => None,
        }
    }

    /// Nearest-rank quantiles of a group by a sorted list of its values (`value` where
    /// `when`), an aggregate of the summary's `GROUP BY`, where the dialect has one; None:
    /// the summary ranks every outcome with a `ROW_NUMBER()` window instead. DuckDB, 1M
    /// events, one thread: the window 0.35 s of CPU, the lists 0.17 s (bench/README.md).
    pub fn sorted_list(self, value: &str, when: &str) -> Option<SortedList> {
        match self {
            Dialect::Duckdb => Some(SortedList {
                aggregate: format!("list_sort(list({value}) FILTER (WHERE {when}))"),
            }),
            _ => None,
        }
    }

    /// The body of a CTE `(case_id, v)`: for each case the `value` of the used row of
    /// `rows` that sorts first by `order` (then the greatest value), among the rows where
    /// `value` is not NULL. Everywhere a `ROW_NUMBER()` window, which sorts every row; on
    /// DuckDB an ordered aggregate in a hash `GROUP BY`, the same rows and order (DuckDB
    /// plans it as an `arg_min` over the keys), CPU 0.31 s -> 0.13 s at 1M rows.
    pub fn latest_per_case(self, value: &str, order: &str, rows: &str) -> String {
        match self {
            Dialect::Duckdb => format!(
                "  SELECT case_id, first({value} ORDER BY {order}, {value} DESC) AS v\n  FROM {rows}\n  WHERE used AND {value} IS NOT NULL\n  GROUP BY case_id"
            ),
            _ => format!(
                "  SELECT case_id, v\n  FROM (SELECT case_id, {value} AS v,\n               ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY {order}, {value} DESC) AS rn\n        FROM {rows}\n        WHERE used AND {value} IS NOT NULL) latest\n  WHERE rn = 1"
            ),
        }
    }

    /// How group values sort: by their bytes, as the native report sorts them.
    pub fn bytewise(self, expr: &str) -> String {
        match self {
            Dialect::Postgres => format!("{expr} COLLATE \"C\""),
            _ => expr.to_string(),
        }
    }

    /// The local wall-clock time of instant `t` in `tz`, as seconds since 1970-01-01 00:00
    /// of that wall clock (the engine's time-zone database, never a fixed offset).
    pub fn local(self, tz: Tz, t: &str) -> String {
        if tz == Tz::UTC {
            return t.to_string();
        }
        match self {
            Dialect::Postgres => format!(
                "CAST(EXTRACT(EPOCH FROM (to_timestamp({t}) AT TIME ZONE {})) AS BIGINT)",
                lit(tz.name())
            ),
            _ => format!(
                "CAST(epoch(timezone({}, to_timestamp({t}))) AS BIGINT)",
                lit(tz.name())
            ),
        }
    }

    /// The instant of a log's local time `l` (wall-clock seconds) in `tz`, by the native
    /// reader's rule (`time::local`): a time that exists once is that instant; a repeated
    /// time the first of the two; a time in a spring-forward gap keeps the offset before the
    /// change. With `o(x)` the offset at instant `x`: `u1 = l - o(l - 12h)` uses the offset
    /// in force 12 hours earlier (no zone changes twice within 12 hours), which is right
    /// unless a change lies between; then `u2 = l - o(u1)` is. A time neither reads back to
    /// is in a gap, and `u1` is the native reading of it.
    pub fn local_to_utc(self, tz: Tz, l: &str) -> String {
        if tz == Tz::UTC {
            return l.to_string();
        }
        let before = format!("(({l}) - 43200)");
        let u1 = format!("(({l}) - ({} - {before}))", self.local(tz, &before));
        let u2 = format!("(({l}) - ({} - {u1}))", self.local(tz, &u1));
        format!(
            "CASE WHEN {} = ({l}) THEN {u1} WHEN {} = ({l}) THEN {u2} ELSE {u1} END",
            self.local(tz, &u1),
            self.local(tz, &u2)
        )
    }

    /// The label of the `--by day|week|month` bucket of instant `t` in `tz`: `2026-11-16`,
    /// `2026-W47` (ISO week), `2026-11`.
    pub fn bucket(self, tz: Tz, t: &str, bucket: Bucket) -> String {
        match self {
            Dialect::Postgres => {
                let format = match bucket {
                    Bucket::Day => "YYYY-MM-DD",
                    Bucket::Week => "IYYY-\"W\"IW",
                    Bucket::Month => "YYYY-MM",
                };
                format!(
                    "to_char(to_timestamp({t}) AT TIME ZONE {}, {})",
                    lit(tz.name()),
                    lit(format)
                )
            }
            _ => {
                let format = match bucket {
                    Bucket::Day => "%Y-%m-%d",
                    Bucket::Week => "%G-W%V",
                    Bucket::Month => "%Y-%m",
                };
                format!(
                    "strftime(timezone({}, to_timestamp({t})), {})",
                    lit(tz.name()),
                    lit(format)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_identifiers_are_quoted() {
        assert_eq!(lit("it's"), "'it''s'");
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(table("raw.tickets"), "\"raw\".\"tickets\"");
        assert_eq!(is_in("x", &[]), "FALSE");
        assert_eq!(is_in("x", &["a".into(), "b'".into()]), "x IN ('a', 'b''')");
        assert_eq!(Dialect::Duckdb.double(95.0), "CAST(95 AS DOUBLE)");
        assert_eq!(
            Dialect::Postgres.double(99.5),
            "CAST(99.5 AS DOUBLE PRECISION)"
        );
    }

    #[test]
    fn utc_needs_no_conversion() {
        assert_eq!(Dialect::Duckdb.local_to_utc(Tz::UTC, "l"), "l");
        assert_eq!(Dialect::Duckdb.local(Tz::UTC, "t"), "t");
    }
}
