//! SQL expressions the compiler writes again and again: literals, identifiers, integer
//! arithmetic and the time-zone rules, each in one place so that a dialect's spelling is
//! decided once. Knows nothing of standards.

use chrono_tz::Tz;

use super::Dialect;

/// A string literal: `'it''s'`. Standard SQL quoting, as every piece of the query is written;
/// a dialect whose lexer reads literals otherwise (Spark: a backslash escapes) respells the
/// finished query ([`Dialect::respell`]).
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An optional string literal, `NULL` for none.
pub fn lit_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_string(), lit)
}

/// A quoted identifier: `"First reply"` (standard SQL; respelled like [`lit`]).
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

    /// The type of text, for a cast (Spark has no `VARCHAR` without a length).
    pub fn text(self) -> &'static str {
        match self {
            Dialect::Spark => "STRING",
            _ => "VARCHAR",
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
            // `/` is always a double there; `DIV` truncates to a BIGINT.
            Dialect::Spark => format!("(({a}) DIV ({b}))"),
            _ => format!("(({a}) // ({b}))"),
        }
    }

    /// Whether text matches a regular expression (written for RE2, POSIX and Java alike,
    /// anchored with `^` and `$`).
    pub fn matches(self, expr: &str, pattern: &str) -> String {
        match self {
            Dialect::Postgres => format!("({expr} ~ {})", lit(pattern)),
            // Java's `RLIKE` searches, and its `$` also matches before a final line
            // terminator (U+2028 survives the trim): `\z` is the end of the text only.
            Dialect::Spark => format!("({expr} RLIKE {})", lit(&format!("^(?:{pattern})\\z"))),
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
        // Spark has no `MATERIALIZED`; its optimizer does not merge a projection into the
        // next when that would repeat an expression.
        match self {
            Dialect::Postgres | Dialect::Duckdb => "MATERIALIZED ",
            _ => "",
        }
    }

    /// A CTE, `name AS (body)`, read `reads` times by the rest of the query. Spark inlines
    /// every CTE at each place it is read: a source's parse stages would be planned and run
    /// again for every CTE that reads its rows, and compiled into expressions too large for
    /// its code generator. A `REPARTITION` hint ends the stage there (the optimizer does not
    /// merge expressions across it), and the shuffle it plans is the same at every place the
    /// CTE is read, so Spark reuses it: the CTE is computed once.
    pub fn cte(self, name: &str, body: &str, reads: usize) -> String {
        match self {
            Dialect::Spark if reads > 1 => {
                format!("{name} AS (\n  SELECT /*+ REPARTITION */ * FROM (\n{body}\n  ) {name}\n)")
            }
            _ => format!("{name} AS {}(\n{body}\n)", self.materialized()),
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

    /// How group values sort: by their bytes, as the native report sorts them (DuckDB's and
    /// Spark's default collation is binary).
    pub fn bytewise(self, expr: &str) -> String {
        match self {
            Dialect::Postgres => format!("{expr} COLLATE \"C\""),
            _ => expr.to_string(),
        }
    }

    /// Whether an aggregate in a correlated subquery may read the outer row's columns. Spark
    /// lets the outer row into a subquery's `WHERE` only, so the business-time sums are then
    /// written with the outer terms outside the aggregates (`kinds::Clock`).
    pub fn outer_in_aggregate(self) -> bool {
        !matches!(self, Dialect::Spark)
    }

    /// A condition that holds when table `table` (as `--table` names it) has none of the
    /// columns `names`, and otherwise stops the query with `message`: a text that does not
    /// convert to an integer (the one error plain SQL can raise everywhere), on a value counted
    /// at run time so that no planner folds it; Spark, whose cast may give NULL instead, raises
    /// it (`raise_error`). The columns are looked up in `information_schema`; Spark has none
    /// for every table (a temporary view, a plain Hive catalogue), so there they are the keys
    /// of the table's first row written as JSON with its NULL fields (an empty table has no
    /// case for the difference to matter).
    pub fn no_columns_named(self, table: &str, names: &[String], message: &str) -> String {
        if self == Dialect::Spark {
            let list: Vec<String> = names.iter().map(|n| lit(n)).collect();
            return format!(
                "(SELECT COALESCE(MAX(CASE WHEN arrays_overlap(json_object_keys(to_json(struct(*), map('ignoreNullFields', 'false'))), array({})) THEN CAST(raise_error({}) AS INT) END), 0) FROM (SELECT * FROM {} LIMIT 1) probe) = 0",
                list.join(", "),
                lit(message),
                self::table(table)
            );
        }
        let parts: Vec<&str> = table.split('.').collect();
        let (schema, name) = match parts[..] {
            [.., schema, name] => (lit(schema), lit(name)),
            _ => ("current_schema()".to_string(), lit(table)),
        };
        format!(
            "(SELECT COALESCE(CAST(CASE WHEN COUNT(*) > 0 THEN {} END AS INTEGER), 0) FROM information_schema.columns WHERE table_schema = {schema} AND table_name = {name} AND {}) = 0",
            lit(message),
            is_in("column_name", names)
        )
    }

    /// The finished query in the dialect's lexemes. Every piece of it is written with
    /// standard SQL's ([`lit`], [`ident`]): `'...'` literals with `''`, `"..."` identifiers
    /// with `""`, `--` comments to the end of the line. Spark reads a backslash in a literal
    /// as an escape and a double-quoted text as a literal: there a literal escapes `\` and
    /// `'` with a backslash (as every Spark version reads it), and an identifier is
    /// backquoted. Respelling the whole text once keeps every construct of every kind right
    /// for it, whoever writes the construct.
    pub fn respell(self, sql: String) -> String {
        match self {
            Dialect::Spark => backslash_and_backquote(&sql),
            _ => sql,
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
            // The wall clock of the instant in `tz`, read as UTC: independent of the session's
            // time zone.
            Dialect::Spark => format!(
                "unix_seconds(from_utc_timestamp(timestamp_seconds({t}), {}))",
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
            // From the local date (a DATE has no zone; the session's time zone never enters).
            Dialect::Spark => {
                let day = format!(
                    "date_from_unix_date({})",
                    self.floor_div(&self.local(tz, t), 86_400)
                );
                match bucket {
                    Bucket::Day => format!("CAST({day} AS STRING)"),
                    Bucket::Month => format!("SUBSTR(CAST({day} AS STRING), 1, 7)"),
                    Bucket::Week => format!(
                        "concat(CAST(extract(YEAROFWEEK FROM {day}) AS STRING), '-W', lpad(CAST(weekofyear({day}) AS STRING), 2, '0'))"
                    ),
                }
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

/// The lexemes of standard SQL (see [`Dialect::respell`]) in Spark's.
fn backslash_and_backquote(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + sql.len() / 16);
    let mut chars = sql.chars().peekable();
    // The text of a quoted lexeme, its doubled quote read as one.
    fn quoted(chars: &mut std::iter::Peekable<std::str::Chars>, q: char) -> String {
        let mut text = String::new();
        while let Some(c) = chars.next() {
            if c == q {
                if chars.peek() == Some(&q) {
                    chars.next();
                } else {
                    break;
                }
            }
            text.push(c);
        }
        text
    }
    while let Some(c) = chars.next() {
        match c {
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for c in chars.by_ref() {
                    out.push(c);
                    if c == '\n' {
                        break;
                    }
                }
            }
            '\'' => {
                let text = quoted(&mut chars, '\'');
                out.push('\'');
                out.push_str(&text.replace('\\', "\\\\").replace('\'', "\\'"));
                out.push('\'');
            }
            '"' => {
                let text = quoted(&mut chars, '"');
                out.push('`');
                out.push_str(&text.replace('`', "``"));
                out.push('`');
            }
            c => out.push(c),
        }
    }
    out
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
    fn spark_reads_literals_with_backslashes_and_backquotes_identifiers() {
        let sql = format!(
            "SELECT {} AS {} -- it's \"x\"\nFROM {}",
            lit(r"C:\desk's"),
            ident("Team's \"name\" `x`"),
            table("raw.tickets")
        );
        assert_eq!(
            Dialect::Spark.respell(sql.clone()),
            r#"SELECT 'C:\\desk\'s' AS `Team's "name" ``x``` -- it's "x"
FROM `raw`.`tickets`"#
        );
        assert_eq!(Dialect::Duckdb.respell(sql.clone()), sql);
        // A comment's quote opens nothing; a literal's `--` is no comment.
        assert_eq!(
            Dialect::Spark.respell("'a--b' -- 'c\n\"d\"".into()),
            "'a--b' -- 'c\n`d`"
        );
    }

    #[test]
    fn utc_needs_no_conversion() {
        assert_eq!(Dialect::Duckdb.local_to_utc(Tz::UTC, "l"), "l");
        assert_eq!(Dialect::Duckdb.local(Tz::UTC, "t"), "t");
    }
}
