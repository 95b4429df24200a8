"""Runs the query `yardstick sql --dialect duckdb` compiled from a standards file over the
benchmark workload, as a warehouse would hold it: a table `tickets` with every column text.

usage: python duckdb_compiled.py EVENTS.csv QUERY.sql  -> the query's result as CSV on stdout

The table is a view over the CSV file read with every column as VARCHAR, so the run reads
and parses the file inside the query as bench/duckdb_audit.py does; what differs is that
the compiled query parses the text times itself (as it must on a raw landing table) and
computes every column of `yardstick audit --format csv` for every standard of the file.
"""
import csv
import decimal
import sys

import duckdb


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (float, decimal.Decimal)):
        return repr(float(v))
    return str(v)


def main():
    events, query = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    # A view cannot take a prepared parameter: the path as a quoted literal.
    path = "'%s'" % events.replace("'", "''")
    con.execute(
        "CREATE VIEW tickets AS SELECT * FROM read_csv(%s, header = true, all_varchar = true)"
        % path
    )
    result = con.execute(open(query).read())
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow([d[0] for d in result.description])
    for row in result.fetchall():
        w.writerow([cell(v) for v in row])


if __name__ == "__main__":
    main()
