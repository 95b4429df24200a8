"""What every engine runner shares: a CSV export read as it would land in a warehouse (every
column text, cells as the file has them, an empty cell the empty string, an optional line
number column), and one way to write a result cell, so that the runners of DuckDB,
PostgreSQL and Spark print identical CSV for identical results.

A result is printed as CSV: a header, then one line per row; NULL is an empty cell, booleans
are true/false, numbers as Python writes them (the repr of a float reads back as the same
double; an exact decimal is written as the double nearest to it, as the native audit's
numbers are doubles).
"""
import csv
import decimal
import sys


def parse_args(argv):
    """`[--line-column NAME] TABLE=FILE.csv ...` -> (line_column, [(table, path)])."""
    line_column = None
    tables = []
    args = iter(argv)
    for a in args:
        if a == "--line-column":
            line_column = next(args)
        else:
            name, path = a.split("=", 1)
            tables.append((name, path))
    return line_column, tables


def read(path, line_column):
    """(header, rows) of a CSV file; each row as wide as the header (a short row padded with
    NULL, a long one cut), with its line number appended when `line_column` is given (the
    header is line 1)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    out = []
    for i, r in enumerate(body):
        r = (list(r) + [None] * (len(header) - len(r)))[: len(header)]
        if line_column:
            r.append(i + 2)
        out.append(r)
    return header, out


def quote(name):
    """An SQL identifier in double quotes (PostgreSQL, DuckDB)."""
    return '"%s"' % name.replace('"', '""')


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, decimal.Decimal):
        return repr(float(v))
    if isinstance(v, float):
        return repr(v)
    return str(v)


def write(names, rows, out=sys.stdout):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(names)
    for row in rows:
        w.writerow([cell(v) for v in row])
