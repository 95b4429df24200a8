"""Checks that yardstick's `audit --by department --format csv` and bench/duckdb_audit.py give
the same per-department numbers. usage: compare.py YARDSTICK.csv DUCKDB.csv [YARDSTICK-5.csv]

With the third file (the run of bench/standards-5.toml), also the value standard `csat-4`:
cases, met, breached, excluded, median and p90 of the scores (DuckDB's csat_ columns)."""
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


VALUE_FIELDS = ["cases", "met", "breached", "excluded", "median_value", "p90_value"]


def load_value(path):
    """yardstick's csat-4 rows, per department."""
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["id"] == "csat-4" and row.get("total") != "true":
                out[row["department"]] = [float(row[k]) for k in VALUE_FIELDS]
    return out


def load_duckdb_value(path):
    out = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            out[row["department"]] = [float(row["csat_" + k]) for k in
                                      ["cases", "met", "breached", "excluded", "median", "p90"]]
    return out


def main():
    ys = load(sys.argv[1], "first-reply-10m")
    db = load(sys.argv[2])
    ok = sorted(ys) == sorted(db) and len(ys) > 0
    if len(sys.argv) > 3:
        ysv, dbv = load_value(sys.argv[3]), load_duckdb_value(sys.argv[2])
        ok = ok and sorted(ysv) == sorted(dbv) and len(ysv) > 0
        for dept in sorted(set(ysv) | set(dbv)):
            a, b = ysv.get(dept), dbv.get(dept)
            same = a is not None and a == b
            ok = ok and same
            print(f"  {'same' if same else 'DIFFERENT'}  {dept} csat-4 {VALUE_FIELDS}: "
                  f"yardstick {a}  duckdb {b}")
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
