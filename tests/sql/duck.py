"""Runs the SQL that `yardstick sql --dialect duckdb` prints (on stdin) on DuckDB (in memory),
over CSV exports loaded as text tables (see landing.py), and prints the result as landing.py
writes it. (Not duckdb.py: a script of that name would hide the duckdb package from itself.)

usage: duck.py [--bulk] [--line-column NAME] TABLE=FILE.csv ... < query.sql

--bulk loads each file with DuckDB's own CSV reader instead (every column VARCHAR, an empty
cell the empty string, a short row padded with NULL), for files too large to insert row by
row (1M events: about a second, against minutes); a row longer than the header is an error
there, not cut. No line column with it.
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


def bulk_load(con, tables):
    """Each (table, CSV file) as a table of VARCHAR columns, read by DuckDB (see --bulk). NULL
    is spelled as a control character no export holds, so that an empty cell stays ''."""
    for name, path in tables:
        con.execute(
            "CREATE TABLE %s AS SELECT * FROM read_csv(?, header = true, all_varchar = true, "
            "delim = ',', quote = '\"', escape = '\"', nullstr = '\x01', null_padding = true)"
            % landing.quote(name),
            [path],
        )


def main(argv):
    bulk = "--bulk" in argv
    line_column, tables = landing.parse_args([a for a in argv if a != "--bulk"])
    if bulk and line_column:
        sys.exit("duck.py: --bulk reads no line column")
    con = duckdb.connect()
    if bulk:
        bulk_load(con, tables)
    else:
        load(con, tables, line_column)
    result = con.execute(sys.stdin.read())
    landing.write([d[0] for d in result.description], result.fetchall())


if __name__ == "__main__":
    main(sys.argv[1:])
