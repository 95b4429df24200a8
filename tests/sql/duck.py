"""Runs the SQL that `yardstick sql --dialect duckdb` prints (on stdin) on DuckDB (in memory),
over CSV exports loaded as text tables (see landing.py), and prints the result as landing.py
writes it. (Not duckdb.py: a script of that name would hide the duckdb package from itself.)

usage: duck.py [--line-column NAME] TABLE=FILE.csv ... < query.sql
"""
import sys

import duckdb

import landing


def load(con, tables, line_column):
    """Each (table, CSV file) as a table of VARCHAR columns (and the BIGINT line column)."""
    for name, path in tables:
        header, rows = landing.read(path, line_column)
        cols = ", ".join("%s VARCHAR" % landing.quote(h) for h in header)
        if line_column:
            cols += ", %s BIGINT" % landing.quote(line_column)
        con.execute("CREATE TABLE %s (%s)" % (landing.quote(name), cols))
        if rows:
            marks = ", ".join("?" for _ in rows[0])
            con.executemany("INSERT INTO %s VALUES (%s)" % (landing.quote(name), marks), rows)


def main(argv):
    line_column, tables = landing.parse_args(argv)
    con = duckdb.connect()
    load(con, tables, line_column)
    result = con.execute(sys.stdin.read())
    landing.write([d[0] for d in result.description], result.fetchall())


if __name__ == "__main__":
    main(sys.argv[1:])
