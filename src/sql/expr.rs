//! SQL expressions the compiler writes again and again: literals, identifiers, types,
//! integer arithmetic, rows written into the query and the time-zone rules, each in one
//! place so that a dialect's spelling is decided once (every `match` here names each
//! dialect, so that a new one is asked for its spelling of each). Knows nothing of standards.

use chrono_tz::Tz;

use super::Dialect;

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

/// A column type of a table written into the query ([`Dialect::rows`]).
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Text,
    Int,
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
    /// A string literal: `'it''s'` in standard SQL; BigQuery and Spark escape with a
    /// backslash (`''` would be two literals there, which they join), and Snowflake reads a
    /// backslash as an escape.
    pub fn lit(self, s: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Postgres => {
                format!("'{}'", s.replace('\'', "''"))
            }
            Dialect::Bigquery | Dialect::Spark => format!(
                "'{}'",
                s.replace('\\', "\\\\")
                    .replace('\'', "\\'")
                    .replace('\n', "\\n")
                    .replace('\r', "\\r")
            ),
            Dialect::Snowflake => {
                format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))
            }
        }
    }

    /// An optional string literal, `NULL` for none.
    pub fn lit_opt(self, s: Option<&str>) -> String {
        s.map_or_else(|| "NULL".to_string(), |s| self.lit(s))
    }

    /// `IN (...)` of string literals; an empty list is never true.
    pub fn is_in(self, expr: &str, values: &[String]) -> String {
        if values.is_empty() {
            return "FALSE".to_string();
        }
        let list: Vec<String> = values.iter().map(|v| self.lit(v)).collect();
        format!("{expr} IN ({})", list.join(", "))
    }

    /// A quoted identifier: `"First reply"`; BigQuery and Spark quote with backquotes (a
    /// double-quoted text is a literal on Spark).
    pub fn ident(self, s: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Postgres | Dialect::Snowflake => {
                format!("\"{}\"", s.replace('"', "\"\""))
            }
            Dialect::Spark => format!("`{}`", s.replace('`', "``")),
            Dialect::Bigquery => format!("`{}`", s.replace('\\', "\\\\").replace('`', "\\`")),
        }
    }

    /// The name of a result column: as written, except on Snowflake, where an unquoted
    /// name comes back in capitals.
    pub fn alias(self, s: &str) -> String {
        match self {
            Dialect::Snowflake => self.ident(s),
            Dialect::Duckdb | Dialect::Spark | Dialect::Postgres | Dialect::Bigquery => {
                s.to_string()
            }
        }
    }

    /// A table name as `--table` gives it: each dot-separated part quoted (`raw.tickets` is
    /// schema `raw`, table `tickets`; on BigQuery `project.dataset.table`).
    pub fn table(self, s: &str) -> String {
        s.split('.')
            .map(|p| self.ident(p))
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The type of text (Spark has no `VARCHAR` without a length).
    pub fn text(self) -> &'static str {
        match self {
            Dialect::Bigquery | Dialect::Spark => "STRING",
            Dialect::Duckdb | Dialect::Postgres | Dialect::Snowflake => "VARCHAR",
        }
    }

    /// The type of a double (IEEE 754 binary64).
    pub fn float(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::Bigquery => "FLOAT64",
            Dialect::Duckdb | Dialect::Spark | Dialect::Snowflake => "DOUBLE",
        }
    }

    /// The type of a time or a count, 64 bits (BIGINT is an alias of BigQuery's INT64, so
    /// the query may write either there).
    pub fn int(self) -> &'static str {
        match self {
            Dialect::Bigquery => "INT64",
            Dialect::Duckdb | Dialect::Spark | Dialect::Postgres | Dialect::Snowflake => "BIGINT",
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
        format!(
            "CAST(FLOOR(CAST({a} AS {}) / {b}) AS {})",
            self.float(),
            self.int()
        )
    }

    /// Integer division of non-negative integers (an integer, so that times stay BIGINT).
    pub fn idiv(self, a: &str, b: &str) -> String {
        match self {
            // `/` of two integers is integer division there (`div` would give a numeric).
            Dialect::Postgres => format!("(({a}) / ({b}))"),
            // Each argument in parentheses of its own: sqlglot (30.31) turns `DIV(a + 1, 2)`
            // into DuckDB's `a + 1 // 2`, another number, and the check would fail a right
            // query; BigQuery reads both forms alike.
            Dialect::Bigquery => format!("DIV(({a}), ({b}))"),
            // `/` gives a number with six decimals: its floor is the quotient for the small
            // divisors used here (a remainder of at least 1/b is never rounded away).
            Dialect::Snowflake => format!("CAST(FLOOR(({a}) / ({b})) AS BIGINT)"),
            // `/` is always a double there; `DIV` truncates to a BIGINT.
            Dialect::Spark => format!("(({a}) DIV ({b}))"),
            Dialect::Duckdb => format!("(({a}) // ({b}))"),
        }
    }

    /// The remainder of `a` divided by `b`, for non-negative integers.
    pub fn modulo(self, a: &str, b: &str) -> String {
        match self {
            // BigQuery has no `%` operator.
            Dialect::Bigquery => format!("MOD({a}, {b})"),
            Dialect::Duckdb | Dialect::Spark | Dialect::Postgres | Dialect::Snowflake => {
                format!("{a} % {b}")
            }
        }
    }

    /// Whether text matches a regular expression anchored at both ends (written for RE2 and
    /// POSIX alike).
    pub fn matches(self, expr: &str, pattern: &str) -> String {
        let p = self.lit(pattern);
        match self {
            Dialect::Postgres => format!("({expr} ~ {p})"),
            Dialect::Bigquery => format!("REGEXP_CONTAINS({expr}, {p})"),
            // REGEXP_LIKE matches the whole text.
            Dialect::Snowflake => format!("REGEXP_LIKE({expr}, {p})"),
            // Java's `RLIKE` searches, and its `$` also matches before a final line
            // terminator (U+2028 survives the trim): `\z` is the end of the text only.
            Dialect::Spark => format!("({expr} RLIKE {})", self.lit(&format!("^(?:{pattern})\\z"))),
            Dialect::Duckdb => format!("regexp_full_match({expr}, {p})"),
        }
    }

    /// Text trimmed at both ends of the characters of `chars` (an SQL text expression).
    pub fn trim_chars(self, expr: &str, chars: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Spark | Dialect::Postgres => {
                format!("TRIM(BOTH {chars} FROM {expr})")
            }
            Dialect::Bigquery | Dialect::Snowflake => format!("TRIM({expr}, {chars})"),
        }
    }

    /// The least of `xs` that are not NULL (NULL when all are). DuckDB's and PostgreSQL's
    /// LEAST skip NULLs; BigQuery's and Snowflake's are NULL when any argument is, so each
    /// argument stands in for the missing ones there.
    pub fn least(self, xs: &[String]) -> String {
        self.extreme("LEAST", xs)
    }

    /// The greatest of `xs` that are not NULL (see [`Dialect::least`]).
    pub fn greatest(self, xs: &[String]) -> String {
        self.extreme("GREATEST", xs)
    }

    fn extreme(self, f: &str, xs: &[String]) -> String {
        match self {
            Dialect::Duckdb | Dialect::Spark | Dialect::Postgres => {
                format!("{f}({})", xs.join(", "))
            }
            Dialect::Bigquery | Dialect::Snowflake => {
                let each: Vec<String> = (0..xs.len())
                    .map(|i| {
                        let mut order = vec![xs[i].as_str()];
                        order.extend(
                            xs.iter()
                                .enumerate()
                                .filter(|(j, _)| *j != i)
                                .map(|(_, x)| x.as_str()),
                        );
                        format!("COALESCE({})", order.join(", "))
                    })
                    .collect();
                format!("{f}({})", each.join(", "))
            }
        }
    }

    /// A table of `rows` written into the query, with the named and typed `columns`: a
    /// VALUES list, or on BigQuery (which has none) an array of STRUCTs unnested. Each row
    /// on a line of its own after `indent`.
    pub fn rows(self, columns: &[(&str, Ty)], rows: &[Vec<String>], indent: &str) -> String {
        let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
        let tuples: Vec<String> = rows.iter().map(|r| format!("({})", r.join(", "))).collect();
        let sep = format!(",\n{indent}  ");
        match self {
            Dialect::Bigquery => {
                let fields: Vec<String> = columns
                    .iter()
                    .map(|(n, t)| format!("{n} {}", self.ty(*t)))
                    .collect();
                let body = if tuples.is_empty() {
                    String::new()
                } else {
                    format!("\n{indent}  {}\n{indent}", tuples.join(&sep))
                };
                format!(
                    "SELECT * FROM UNNEST(ARRAY<STRUCT<{}>>[{body}])",
                    fields.join(", ")
                )
            }
            Dialect::Duckdb | Dialect::Spark | Dialect::Postgres | Dialect::Snowflake => {
                if tuples.is_empty() {
                    // A typed row that no row passes: the table is typed, and empty.
                    let nulls: Vec<String> = columns
                        .iter()
                        .map(|(_, t)| format!("CAST(NULL AS {})", self.ty(*t)))
                        .collect();
                    format!(
                        "SELECT * FROM (VALUES ({})) AS v({}) WHERE FALSE",
                        nulls.join(", "),
                        names.join(", ")
                    )
                } else {
                    format!(
                        "SELECT * FROM (VALUES\n{indent}  {}\n{indent}) AS v({})",
                        tuples.join(&sep),
                        names.join(", ")
                    )
                }
            }
        }
    }

    fn ty(self, t: Ty) -> &'static str {
        match t {
            Ty::Text => self.text(),
            Ty::Int => self.int(),
        }
    }

    /// The view of the columns of table `name` (as `--table` gives it), and the condition
    /// that picks the table's rows in it: `information_schema.columns` of the table's schema
    /// (the current one for a bare name); on Snowflake a database's own when one is named;
    /// on BigQuery the dataset's `INFORMATION_SCHEMA.COLUMNS` (for a bare name, the default
    /// dataset's, as the table's own name is read).
    pub fn columns_of(self, name: &str) -> (String, String) {
        let parts: Vec<&str> = name.split('.').collect();
        let n = parts.len();
        let table = self.lit(parts[n - 1]);
        let schema = (n >= 2).then(|| self.lit(parts[n - 2]));
        match self {
            Dialect::Bigquery => {
                let view = if n >= 2 {
                    format!(
                        "{}.INFORMATION_SCHEMA.COLUMNS",
                        self.table(&parts[..n - 1].join("."))
                    )
                } else {
                    "INFORMATION_SCHEMA.COLUMNS".to_string()
                };
                (view, format!("table_name = {table}"))
            }
            Dialect::Snowflake => {
                let view = if n >= 3 {
                    format!("{}.information_schema.columns", self.ident(parts[n - 3]))
                } else {
                    "information_schema.columns".to_string()
                };
                let schema = schema.unwrap_or_else(|| "CURRENT_SCHEMA()".to_string());
                (
                    view,
                    format!("table_schema = {schema} AND table_name = {table}"),
                )
            }
            Dialect::Duckdb | Dialect::Spark | Dialect::Postgres => {
                let schema = schema.unwrap_or_else(|| "current_schema()".to_string());
                (
                    "information_schema.columns".to_string(),
                    format!("table_schema = {schema} AND table_name = {table}"),
                )
            }
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
            Dialect::Postgres => format!("substring({expr} from {})", self.lit(pattern)),
            Dialect::Duckdb | Dialect::Spark => {
                format!("regexp_extract({expr}, {}, 1)", self.lit(pattern))
            }
            Dialect::Bigquery => format!("REGEXP_EXTRACT({expr}, {})", self.lit(pattern)),
            Dialect::Snowflake => {
                format!("REGEXP_SUBSTR({expr}, {}, 1, 1, 'e', 1)", self.lit(pattern))
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
            // No such hint on BigQuery and Snowflake.
            // Spark has no `MATERIALIZED` ([`Dialect::cte`]).
            Dialect::Spark | Dialect::Bigquery | Dialect::Snowflake => "",
        }
    }

    /// A CTE, `name AS (body)`, read `reads` times by the rest of the query, with its
    /// dialect's hint ([`Dialect::cte_hint`]). Spark inlines every deterministic CTE at each
    /// place it is read, and its optimizer then works on every copy: the calendar fixture's
    /// plan ran out of a 3 GB heap. A CTE that is not deterministic is planned once and
    /// shared (its references become one shuffle, reused), so a CTE read more than once is
    /// written with `WHERE rand() >= 0`, always true (`rand()` is in [0, 1)).
    pub fn cte(self, name: &str, body: &str, reads: usize) -> String {
        match self {
            Dialect::Spark if reads > 1 => {
                format!(
                    "{name} AS (\n  SELECT * FROM (\n{body}\n  ) {name}\n  WHERE rand() >= 0\n)"
                )
            }
            Dialect::Duckdb
            | Dialect::Spark
            | Dialect::Postgres
            | Dialect::Bigquery
            | Dialect::Snowflake => format!("{name} AS {}(\n{body}\n)", self.cte_hint(reads)),
        }
    }

    /// How a CTE that later steps name `reads` times is written. DuckDB computes a
    /// `MATERIALIZED` step into a buffer and reads it back even when one step reads it; a
    /// step read once is `NOT MATERIALIZED` there, computed inside its reader, so that the
    /// parse stages (one reader each) are one pipeline from the table to the parsed rows
    /// (bench/README.md, "The compiled query", round 3). A step read more than once stays
    /// computed once. The other dialects write every step as [`Dialect::materialized`].
    pub fn cte_hint(self, reads: usize) -> &'static str {
        match self {
            Dialect::Duckdb if reads <= 1 => "NOT MATERIALIZED ",
            Dialect::Duckdb
            | Dialect::Postgres
            | Dialect::Spark
            | Dialect::Bigquery
            | Dialect::Snowflake => self.materialized(),
        }
    }

    /// `TRIM(BOTH <the five ASCII white-space characters> FROM x)`, the native reader's trim
    /// of a cell. On DuckDB a cell whose first and last characters are none of them
    /// (each at most `' '`, so `>= '!'`, a byte comparison there, tells) is its own trim,
    /// and the trim itself (a scan against a five-character set, 1.7 s of 5.7 s at 1M
    /// events) runs only on the rest: four columns of 1M cells, CPU 0.90 s -> 0.10 s.
    pub fn trim_ws(self, x: &str) -> String {
        let trim = self.trim_chars(x, "' ' || CHR(9) || CHR(10) || CHR(12) || CHR(13)");
        match self {
            Dialect::Duckdb => {
                format!("(CASE WHEN {x} >= '!' AND {x}[-1] >= '!' THEN {x} ELSE {trim} END)")
            }
            Dialect::Spark | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => trim,
        }
    }

    /// The fast path of the default time forms (`TimeFormat::Auto`): the instant (BIGINT
    /// seconds) of a trimmed time cell `x` in the commonest form, `YYYY-MM-DDTHH:MM:SSZ` (and,
    /// on a UTC source, `YYYY-MM-DD HH:MM:SS`), read by the engine; NULL for any other cell,
    /// which the general parse (`sql::times`) then reads. None: no fast path, every cell
    /// takes the general parse. The rows it reads join the general parse's, which have more
    /// columns, by `FastTime::union` (by name, the missing ones NULL).
    ///
    /// DuckDB: a cell of 20 characters that ends in `Z` and whose first character is `>=
    /// '0'` is read by `try_strptime` with the exact format `%Y-%m-%dT%H:%M:%SZ`, which
    /// refuses a separator out of place, a field that is not digits, a day that does not
    /// exist, hour 24, minute or second 60 and lowercase `t`/`z`; it takes a field of fewer
    /// digits, which the length then leaves no room for, and skips a leading blank, which the
    /// first character keeps out (the `Z` last keeps out a trailing one). The space form is
    /// read the same way but kept only when `strftime` prints it back as the same text, since
    /// a space in the format takes any run of white space there. Held against round 2's
    /// print-back of a `TRY_CAST` on 419,522 cells (each ASCII character and four others at
    /// each position of nine stamps, random two-character substitutions, insertions and
    /// deletions): no cell differs; and against `audit` by `tests/fixtures/sql-fast`.
    /// DuckDB, one thread, per Z cell: the print-back about 2,800 instructions, this about
    /// 1,200 (bench/README.md, "The compiled query").
    pub fn fast_time(self, x: &str, tz: Tz) -> Option<FastTime> {
        match self {
            Dialect::Duckdb => {
                // `epoch` of a whole second is an exact double: the cast keeps it.
                let zulu = format!(
                    "WHEN {x} >= '0' AND LENGTH({x}) = 20 AND ends_with({x}, 'Z') THEN CAST(epoch(try_strptime({x}, '%Y-%m-%dT%H:%M:%SZ')) AS BIGINT)"
                );
                let space = if tz == Tz::UTC {
                    let ts = format!("try_strptime({x}, '%Y-%m-%d %H:%M:%S')");
                    format!(
                        " WHEN {x} >= '0' AND LENGTH({x}) = 19 AND strftime({ts}, '%Y-%m-%d %H:%M:%S') = {x} THEN CAST(epoch({ts}) AS BIGINT)"
                    )
                } else {
                    String::new()
                };
                Some(FastTime {
                    instant: format!("CASE {zulu}{space} END"),
                    union: "UNION ALL BY NAME",
                })
            }
            Dialect::Spark | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => None,
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
            Dialect::Spark | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => None,
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
            Dialect::Spark | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => format!(
                "  SELECT case_id, v\n  FROM (SELECT case_id, {value} AS v,\n               ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY {order}, {value} DESC) AS rn\n        FROM {rows}\n        WHERE used AND {value} IS NOT NULL) latest\n  WHERE rn = 1"
            ),
        }
    }

    /// The aggregate of a `GROUP BY case_id` over the used rows that gives what
    /// [`Dialect::latest_per_case`] gives for `value`: the value of the row that sorts first
    /// by `order` (then the greatest value) among the rows where it is not NULL, so that a
    /// case's attributes come from the one group that finds its first time. DuckDB: the
    /// ordered aggregate with a `FILTER`; one hash table over the rows instead of one per
    /// attribute and a join (bench/README.md, "The compiled query", round 3). None: a step
    /// of its own per attribute, joined.
    pub fn latest_in_group(self, value: &str, order: &str) -> Option<String> {
        match self {
            Dialect::Duckdb => Some(format!(
                "first({value} ORDER BY {order}, {value} DESC) FILTER (WHERE {value} IS NOT NULL)"
            )),
            Dialect::Spark | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => None,
        }
    }

    /// How group values sort: by their bytes, as the native report sorts them (BigQuery
    /// compares strings byte by byte, Snowflake without a collation by their UTF-8 bytes,
    /// DuckDB's and Spark's default collation is binary).
    pub fn bytewise(self, expr: &str) -> String {
        match self {
            Dialect::Postgres => format!("{expr} COLLATE \"C\""),
            Dialect::Duckdb | Dialect::Spark | Dialect::Bigquery | Dialect::Snowflake => {
                expr.to_string()
            }
        }
    }

    /// Each row of `from` that is `used` as one event per non-empty time column (`columns`:
    /// the time, the event's name as a literal, the column's number), written as one
    /// unpivot where that keeps the plan small, else None (a `UNION ALL` per column). Spark
    /// expands every read of a CTE when it checks a plan, so nine reads of the rows (one per
    /// milestone) copy the whole time parsing nine times; `stack` reads them once.
    pub fn unpivot_events(self, from: &str, columns: &[(String, String, usize)]) -> Option<String> {
        match self {
            Dialect::Spark => {
                let args: Vec<String> = columns
                    .iter()
                    .map(|(t, name, k)| format!("{name}, {k}, {t}"))
                    .collect();
                Some(format!(
                    "  SELECT case_id, t, name, row_order, col_no\n  FROM {from}\n  LATERAL VIEW stack({}, {}) milestones AS name, col_no, t\n  WHERE used AND t IS NOT NULL",
                    columns.len(),
                    args.join(", ")
                ))
            }
            Dialect::Duckdb | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => None,
        }
    }

    /// Whether the engine copies a CTE at every place it is read when it checks a plan, so
    /// that the plan grows with the number of paths from the query to each CTE, not with the
    /// query's length. Spark's analyzer inlines every CTE to check the plan's shape (whatever
    /// [`Dialect::cte`] does); on it the query keeps such paths few where it can at no cost
    /// to the numbers ([`Dialect::unpivot_cells`], [`Dialect::unpivot_events`], one read of
    /// the outcomes for a `--by`'s groups and totals).
    pub fn expands_ctes(self) -> bool {
        match self {
            Dialect::Spark => true,
            Dialect::Duckdb | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => false,
        }
    }

    /// How several time columns (the cases layout's, or an events table's time with its
    /// deadline and promise columns) of `from` (`c_1` ... `c_{columns}`) are
    /// read where the dialect does not look them up once per distinct text: one row per cell,
    /// each row's cells kept whole in `cell` and numbered by `row_id`, the cell's column in
    /// `k` and its text in `c_1`, so that the parsing reads one column; [`Dialect::regroup`]
    /// puts each row together again. None: looked up, one join per column, which writes one
    /// expression per form, not per form and column.
    ///
    /// Spark expands every read of a CTE when it checks a plan (its analyzer inlines them all,
    /// whatever `Dialect::cte` does), so nine lookups of the parsed texts copied the whole
    /// parsing nine times: the order-cycle sample's query ran its analyzer out of a 4 GB heap
    /// that way. Unpivoted it is parsed once, and a row's id needs to be unique only within
    /// one computation of the chain, which reads each of its steps once (so a dialect with
    /// this has no [`Dialect::fast_time`], whose step is read twice: a test holds it).
    pub fn unpivot_cells(self, from: &str, columns: usize) -> Option<String> {
        match self {
            Dialect::Spark => {
                let cells: Vec<String> = (1..=columns)
                    .map(|n| format!("{n}, x.cell.c_{n}"))
                    .collect();
                Some(format!(
                    "  -- one row per time cell, its row's cells kept whole, so that the parsing reads one column\n  SELECT x.cell, x.row_id, s.k, s.c_1\n  FROM (SELECT struct(*) AS cell, monotonically_increasing_id() AS row_id FROM {from}) x\n  LATERAL VIEW stack({columns}, {}) s AS k, c_1",
                    cells.join(", ")
                ))
            }
            Dialect::Duckdb | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => None,
        }
    }

    /// Each row of [`Dialect::unpivot_cells`] again, from the parsed cells of `from`: the
    /// row's cells and `what_N` of each column `N` (`what` of `whats`, read as `what_1`).
    pub fn regroup(self, from: &str, columns: usize, whats: &[&str]) -> String {
        let mut names = Vec::new();
        let mut cols = Vec::new();
        for n in 1..=columns {
            for what in whats {
                names.push(format!("{what}_{n}"));
                cols.push(format!(
                    "MAX(CASE WHEN k = {n} THEN {what}_1 END) AS {what}_{n}"
                ));
            }
        }
        format!(
            "  -- each row again, with each time cell's instant\n  SELECT g.cell.*, {}\n  FROM (SELECT first(cell) AS cell,\n               {}\n        FROM {from}\n        GROUP BY row_id) g",
            names.join(", "),
            cols.join(",\n               ")
        )
    }

    /// Whether an aggregate in a correlated subquery may read the outer row's columns. Spark
    /// lets the outer row into a subquery's `WHERE` only, so the business-time sums are then
    /// written with the outer terms outside the aggregates (`kinds::Clock`).
    pub fn outer_in_aggregate(self) -> bool {
        match self {
            Dialect::Spark => false,
            Dialect::Duckdb | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => true,
        }
    }

    /// A condition that holds when table `table` (as `--table` names it) has none of the
    /// columns `names`, and otherwise stops the query with `message`: a text that does not
    /// convert to an integer (the one error plain SQL can raise everywhere), on a value
    /// counted at run time so that no planner folds it, the columns looked up in the
    /// table's `information_schema` view ([`Dialect::columns_of`]). Spark, whose cast may
    /// give NULL instead, raises it (`raise_error`); it has no `information_schema` for
    /// every table (a temporary view, a plain Hive catalogue), so there the columns are the
    /// keys of the table's first row written as JSON with its NULL fields (an empty table has
    /// no case for the difference to matter).
    pub fn no_columns_named(self, table: &str, names: &[String], message: &str) -> String {
        match self {
            Dialect::Spark => {
                let list: Vec<String> = names.iter().map(|n| self.lit(n)).collect();
                format!(
                    "(SELECT COALESCE(MAX(CASE WHEN arrays_overlap(json_object_keys(to_json(struct(*), map('ignoreNullFields', 'false'))), array({})) THEN CAST(raise_error({}) AS INT) END), 0) FROM (SELECT * FROM {} LIMIT 1) probe) = 0",
                    list.join(", "),
                    self.lit(message),
                    self.table(table)
                )
            }
            Dialect::Duckdb | Dialect::Postgres | Dialect::Bigquery | Dialect::Snowflake => {
                let (view, this_table) = self.columns_of(table);
                format!(
                    "(SELECT COALESCE(CAST(CASE WHEN COUNT(*) > 0 THEN {} END AS INTEGER), 0) FROM {view} WHERE {this_table} AND {}) = 0",
                    self.lit(message),
                    self.is_in("column_name", names)
                )
            }
        }
    }

    /// The local wall-clock time of instant `t` in `tz`, as seconds since 1970-01-01 00:00
    /// of that wall clock (the engine's time-zone database, never a fixed offset). Only
    /// instants are converted, never a wall-clock time, so that no engine's own reading of a
    /// time in a gap or a fold enters the query ([`Dialect::local_to_utc`]).
    pub fn local(self, tz: Tz, t: &str) -> String {
        if tz == Tz::UTC {
            return t.to_string();
        }
        let z = self.lit(tz.name());
        match self {
            Dialect::Postgres => {
                format!("CAST(EXTRACT(EPOCH FROM (to_timestamp({t}) AT TIME ZONE {z})) AS BIGINT)")
            }
            // The civil time in the zone, read back as a time in UTC.
            Dialect::Bigquery => format!(
                "UNIX_SECONDS(TIMESTAMP(DATETIME(TIMESTAMP_SECONDS({t}), {z}), 'UTC'))"
            ),
            // TO_TIMESTAMP_NTZ(n, 0) reads n as seconds whatever its size (without the
            // scale, a large n would be read as milliseconds); converted from UTC it is the
            // wall clock, whose epoch reads it as UTC.
            Dialect::Snowflake => format!(
                "CAST(DATE_PART(epoch_second, CONVERT_TIMEZONE('UTC', {z}, TO_TIMESTAMP_NTZ({t}, 0))) AS BIGINT)"
            ),
            // The wall clock of the instant in `tz`, read as UTC: independent of the session's
            // time zone.
            Dialect::Spark => {
                format!("unix_seconds(from_utc_timestamp(timestamp_seconds({t}), {z}))")
            }
            Dialect::Duckdb => {
                format!("CAST(epoch(timezone({z}, to_timestamp({t}))) AS BIGINT)")
            }
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
        self.local_to_utc_from(tz, l, &self.local_to_utc_first(tz, l))
    }

    /// The first reading `u1` of local time `l` in `tz` (see [`Dialect::local_to_utc`]), for
    /// a query that names it once, as a CTE column, and finishes with
    /// [`Dialect::local_to_utc_from`]: written out, `u1` is five times in the instant.
    pub fn local_to_utc_first(self, tz: Tz, l: &str) -> String {
        let before = format!("(({l}) - 43200)");
        format!("(({l}) - ({} - {before}))", self.local(tz, &before))
    }

    /// The instant of local time `l` in `tz` from its first reading `u1`
    /// ([`Dialect::local_to_utc_first`]).
    pub fn local_to_utc_from(self, tz: Tz, l: &str, u1: &str) -> String {
        let u2 = format!("(({l}) - ({} - {u1}))", self.local(tz, u1));
        format!(
            "CASE WHEN {} = ({l}) THEN {u1} WHEN {} = ({l}) THEN {u2} ELSE {u1} END",
            self.local(tz, u1),
            self.local(tz, &u2)
        )
    }

    /// The label of the `--by day|week|month` bucket of instant `t` in `tz`: `2026-11-16`,
    /// `2026-W47` (ISO week), `2026-11`.
    pub fn bucket(self, tz: Tz, t: &str, bucket: Bucket) -> String {
        let z = self.lit(tz.name());
        let strftime = match bucket {
            Bucket::Day => "%Y-%m-%d",
            Bucket::Week => "%G-W%V",
            Bucket::Month => "%Y-%m",
        };
        match self {
            Dialect::Postgres => {
                let format = match bucket {
                    Bucket::Day => "YYYY-MM-DD",
                    Bucket::Week => "IYYY-\"W\"IW",
                    Bucket::Month => "YYYY-MM",
                };
                format!(
                    "to_char(to_timestamp({t}) AT TIME ZONE {z}, {})",
                    self.lit(format)
                )
            }
            // The civil time in the zone, formatted. (FORMAT_TIMESTAMP with a zone says the
            // same, but sqlglot drops its zone on the way to DuckDB, which would blind the
            // check.)
            Dialect::Bigquery => format!(
                "FORMAT_DATETIME({}, DATETIME(TIMESTAMP_SECONDS({t}), {z}))",
                self.lit(strftime)
            ),
            // Built from the date's parts: TO_CHAR's format has no ISO week.
            Dialect::Snowflake => {
                let w = format!("CONVERT_TIMEZONE('UTC', {z}, TO_TIMESTAMP_NTZ({t}, 0))");
                let two = |part: &str| format!("LPAD(CAST({part}({w}) AS VARCHAR), 2, '0')");
                match bucket {
                    Bucket::Day => format!(
                        "CAST(YEAR({w}) AS VARCHAR) || '-' || {} || '-' || {}",
                        two("MONTH"),
                        two("DAY")
                    ),
                    Bucket::Week => format!(
                        "CAST(YEAROFWEEKISO({w}) AS VARCHAR) || '-W' || {}",
                        two("WEEKISO")
                    ),
                    Bucket::Month => {
                        format!("CAST(YEAR({w}) AS VARCHAR) || '-' || {}", two("MONTH"))
                    }
                }
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
            Dialect::Duckdb => format!(
                "strftime(timezone({z}, to_timestamp({t})), {})",
                self.lit(strftime)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn a_dialect_that_unpivots_the_time_cells_has_no_fast_time_step() {
        // The row ids of `unpivot_cells` are unique within one computation of the chain;
        // the fast time's step is read twice (its rows and the rest), which Spark would
        // compute twice, numbering the rows anew.
        for &d in Dialect::value_variants() {
            let unpivots = d.unpivot_cells("cells", 2).is_some();
            let fast = d.fast_time("c_1", Tz::UTC).is_some();
            assert!(!(unpivots && fast), "{}", d.name());
            assert_eq!(unpivots, d.expands_ctes(), "{}", d.name());
        }
    }

    #[test]
    fn literals_and_identifiers_are_quoted() {
        let d = Dialect::Duckdb;
        assert_eq!(d.lit("it's"), "'it''s'");
        assert_eq!(d.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(d.table("raw.tickets"), "\"raw\".\"tickets\"");
        assert_eq!(d.is_in("x", &[]), "FALSE");
        assert_eq!(
            d.is_in("x", &["a".into(), "b'".into()]),
            "x IN ('a', 'b''')"
        );
        assert_eq!(d.double(95.0), "CAST(95 AS DOUBLE)");
        assert_eq!(
            Dialect::Postgres.double(99.5),
            "CAST(99.5 AS DOUBLE PRECISION)"
        );
    }

    #[test]
    fn bigquery_and_snowflake_escape_with_a_backslash() {
        let b = Dialect::Bigquery;
        assert_eq!(b.lit("it's a\\b\nc"), r"'it\'s a\\b\nc'");
        assert_eq!(b.ident("Team's `x`"), r"`Team's \`x\``");
        assert_eq!(
            b.table("my-project.raw.tickets"),
            "`my-project`.`raw`.`tickets`"
        );
        assert_eq!(b.double(95.0), "CAST(95 AS FLOAT64)");
        let s = Dialect::Snowflake;
        assert_eq!(s.lit(r"it's a\b"), r"'it''s a\\b'");
        assert_eq!(s.alias("id"), "\"id\"");
        assert_eq!(Dialect::Duckdb.alias("id"), "id");
    }

    #[test]
    fn spark_escapes_with_a_backslash_and_backquotes_identifiers() {
        let d = Dialect::Spark;
        assert_eq!(d.lit(r"C:\desk's"), r"'C:\\desk\'s'");
        assert_eq!(d.ident("Team's \"name\" `x`"), r#"`Team's "name" ``x```"#);
        assert_eq!(d.table("raw.tickets"), "`raw`.`tickets`");
        assert_eq!(d.text(), "STRING");
    }

    #[test]
    fn least_and_greatest_skip_nulls_everywhere() {
        let xs = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(Dialect::Duckdb.least(&xs), "LEAST(a, b, c)");
        assert_eq!(
            Dialect::Bigquery.greatest(&xs),
            "GREATEST(COALESCE(a, b, c), COALESCE(b, a, c), COALESCE(c, a, b))"
        );
    }

    #[test]
    fn rows_are_values_or_an_array_of_structs() {
        let cols = [("calendar", Ty::Text), ("opens", Ty::Int)];
        let rows = vec![vec!["'x'".to_string(), "1".to_string()]];
        assert_eq!(
            Dialect::Duckdb.rows(&cols, &rows, ""),
            "SELECT * FROM (VALUES\n  ('x', 1)\n) AS v(calendar, opens)"
        );
        assert_eq!(
            Dialect::Bigquery.rows(&cols, &rows, ""),
            "SELECT * FROM UNNEST(ARRAY<STRUCT<calendar STRING, opens INT64>>[\n  ('x', 1)\n])"
        );
        assert_eq!(
            Dialect::Bigquery.rows(&cols, &[], ""),
            "SELECT * FROM UNNEST(ARRAY<STRUCT<calendar STRING, opens INT64>>[])"
        );
        assert_eq!(
            Dialect::Snowflake.rows(&cols, &[], ""),
            "SELECT * FROM (VALUES (CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT))) AS v(calendar, opens) WHERE FALSE"
        );
    }

    #[test]
    fn the_columns_of_a_table_are_in_its_schemas_view() {
        assert_eq!(
            Dialect::Bigquery.columns_of("proj.raw.tickets"),
            (
                "`proj`.`raw`.INFORMATION_SCHEMA.COLUMNS".to_string(),
                "table_name = 'tickets'".to_string()
            )
        );
        assert_eq!(
            Dialect::Snowflake.columns_of("DB.RAW.TICKETS"),
            (
                "\"DB\".information_schema.columns".to_string(),
                "table_schema = 'RAW' AND table_name = 'TICKETS'".to_string()
            )
        );
        assert_eq!(
            Dialect::Duckdb.columns_of("tickets").1,
            "table_schema = current_schema() AND table_name = 'tickets'"
        );
    }

    #[test]
    fn utc_needs_no_conversion() {
        assert_eq!(Dialect::Duckdb.local_to_utc(Tz::UTC, "l"), "l");
        assert_eq!(Dialect::Duckdb.local(Tz::UTC, "t"), "t");
    }
}
