"""Runs the SQL that `yardstick sql` prints (on stdin) on DuckDB, over CSV exports loaded
as they would land in a warehouse: one table per source, every column VARCHAR, cells as the
file has them (an empty cell is the empty string). Prints the result as CSV: a header, then
one line per row; NULL is an empty cell, booleans are true/false, numbers as Python writes
them (repr of a float reads back as the same double).

usage: run.py [--line-column NAME] TABLE=FILE.csv ... < query.sql

--line-column adds a BIGINT column NAME holding each row's line number in its file (the
header is line 1), for `yardstick sql --row-order NAME`.
"""
import csv
import sys

import duckdb


def load(con, name, path, line_column):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    cols = ", ".join('"%s" VARCHAR' % h.replace('"', '""') for h in header)
    if line_column:
        cols += ', "%s" BIGINT' % line_column
    con.execute('CREATE TABLE "%s" (%s)' % (name, cols))
    width = len(header) + (1 if line_column else 0)
    marks = ", ".join("?" for _ in range(width))
    data = []
    for i, r in enumerate(body):
        r = list(r) + [None] * (len(header) - len(r))
        r = r[: len(header)]
        if line_column:
            r.append(i + 2)
        data.append(r)
    if data:
        con.executemany('INSERT INTO "%s" VALUES (%s)' % (name, marks), data)


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def main(argv):
    line_column = None
    tables = []
    args = iter(argv)
    for a in args:
        if a == "--line-column":
            line_column = next(args)
        else:
            name, path = a.split("=", 1)
            tables.append((name, path))
    con = duckdb.connect()
    for name, path in tables:
        load(con, name, path, line_column)
    result = con.execute(sys.stdin.read())
    names = [d[0] for d in result.description]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(names)
    for row in result.fetchall():
        out.writerow([cell(v) for v in row])


if __name__ == "__main__":
    main(sys.argv[1:])
