"""Checks the SQL that `yardstick sql --dialect bigquery|snowflake` prints (on stdin) without
the vendor: sqlglot parses it in that dialect (any error stops the run), transpiles it to
DuckDB, and DuckDB runs it over CSV exports loaded as text tables (see landing.py); the
result is printed as landing.py writes it. The closest check of those dialects that can run
here: a query that sqlglot reads and whose DuckDB translation gives yardstick's numbers.

DuckDB's session time zone is set to the vendor's default (BigQuery's functions default to
UTC, a Snowflake session to America/Los_Angeles), so that a translation that leant on the
session's zone would show. On BigQuery a dataset has its own INFORMATION_SCHEMA.COLUMNS
view, which sqlglot names as one table ("INFORMATION_SCHEMA.COLUMNS") on DuckDB: such a view
over DuckDB's own information_schema stands in for it.

usage: transpile.py --read bigquery|snowflake [--line-column NAME] TABLE=FILE.csv ... < query.sql
"""
import sys

import duckdb
import sqlglot
from sqlglot.errors import ErrorLevel

import duck
import landing

SESSION_ZONE = {"bigquery": "UTC", "snowflake": "America/Los_Angeles"}


def translate(sql, dialect):
    """The DuckDB text of `sql`, read in `dialect`; an error when sqlglot cannot read it or
    has no DuckDB form for a part of it."""
    tree = sqlglot.parse_one(sql, read=dialect, error_level=ErrorLevel.RAISE)
    return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)


def main(argv):
    if len(argv) < 2 or argv[0] != "--read" or argv[1] not in SESSION_ZONE:
        sys.exit(__doc__)
    dialect = argv[1]
    line_column, tables = landing.parse_args(argv[2:])
    query = translate(sys.stdin.read(), dialect)
    con = duckdb.connect()
    con.execute("SET TimeZone = '%s'" % SESSION_ZONE[dialect])
    duck.load(con, tables, line_column)
    if dialect == "bigquery":
        con.execute(
            'CREATE VIEW "INFORMATION_SCHEMA.COLUMNS" AS SELECT table_name, column_name '
            "FROM information_schema.columns WHERE table_schema = current_schema()"
        )
    result = con.execute(query)
    landing.write([d[0] for d in result.description], result.fetchall())


if __name__ == "__main__":
    main(sys.argv[1:])
