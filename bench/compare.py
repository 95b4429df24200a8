"""Checks that yardstick's `audit --by department --format csv` and bench/duckdb_audit.py give
the same per-department numbers. usage: compare.py YARDSTICK.csv DUCKDB.csv"""
import csv
import sys

FIELDS = ["cases", "met", "breached", "open", "compliance", "median_s", "p90_s"]


def load(path, standard=None):
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if standard and row["id"] != standard:
                continue
            # The totals row after the groups (`total` = true) is not a department.
            if row.get("total") == "true":
                continue
            out[row["department"]] = {k: row[k] for k in FIELDS}
    return out


def main():
    ys = load(sys.argv[1], "first-reply-10m")
    db = load(sys.argv[2])
    ok = sorted(ys) == sorted(db) and len(ys) > 0
    for dept in sorted(set(ys) | set(db)):
        a, b = ys.get(dept), db.get(dept)
        same = a is not None and b is not None and all(
            abs(float(a[k]) - float(b[k])) < 1e-9 if k == "compliance" else int(a[k]) == int(b[k])
            for k in FIELDS
        )
        ok = ok and same
        print(f"  {'same' if same else 'DIFFERENT'}  {dept}: yardstick {a}  duckdb {b}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
