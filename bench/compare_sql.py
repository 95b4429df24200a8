"""Checks that the compiled query's result equals `yardstick audit --format csv` with the same
options: the same rows in the same order, every column of the audit equal (numbers within
1e-9: the engines print doubles their own way), and the query's last column `skipped`.

usage: compare_sql.py YARDSTICK.csv QUERY.csv"""
import csv
import sys


def same(a, b):
    if a == b:
        return True
    try:
        return abs(float(a) - float(b)) <= 1e-9
    except ValueError:
        return False


def main(native_path, sql_path):
    with open(native_path, newline="") as f:
        native = list(csv.reader(f))
    with open(sql_path, newline="") as f:
        sql = list(csv.reader(f))
    if not sql or sql[0][-1] != "skipped" or sql[0][:-1] != native[0]:
        print("   columns differ:\n   audit %s\n   query %s" % (native[:1], sql[:1]))
        return 1
    if len(sql) != len(native):
        print("   %d rows from the audit, %d from the query" % (len(native) - 1, len(sql) - 1))
        return 1
    bad = 0
    for r, (a, b) in enumerate(zip(native[1:], sql[1:]), 1):
        for k, (x, y) in enumerate(zip(a, b)):
            if not same(x, y):
                print("   row %d (%s), %s: audit %r, query %r" % (r, a[0], native[0][k], x, y))
                bad += 1
    print("   %d rows, %d columns: %s" % (len(native) - 1, len(native[0]),
                                         "identical" if not bad else "%d cells differ" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
