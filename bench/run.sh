#!/usr/bin/env bash
# The benchmark of issue 6, in one command:   bench/run.sh
#
# Builds yardstick (release), generates the reference workload (1M and 10M events, seed 42)
# into bench/data/, installs DuckDB from pip into bench/.venv when missing, then for each size
# runs, with the file in the page cache:
#   cat                  reading the file
#   csvparse             one-thread csv ByteRecord loop (examples/csvparse.rs), the floor
#   yardstick            audit --by department --format csv, 1 standard (bench/standards.toml)
#   yardstick-5          the same with 5 standards and a value standard (bench/standards-5.toml)
#   duckdb               the same audit as one SQL query (bench/duckdb_audit.py)
#   duckdb-sql           the query `yardstick sql --dialect duckdb` compiles from
#                        bench/standards.toml (and -5), over the file as a text table
#                        (bench/duckdb_compiled.py)
# checks that yardstick and DuckDB give identical per-department numbers (and that each
# compiled query gives every column of the audit's CSV), and prints wall
# time, CPU time (user + system) and peak RSS of each, with the ratios the issue sets.
#
# Environment: SIZES (default "1000000 10000000"), SEED (42), REPS (5: each command runs
# REPS times and the run with the lowest wall time is kept), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
SIZES=${SIZES:-"1000000 10000000"}
SEED=${SEED:-42}
REPS=${REPS:-5}
DATA=$ROOT/bench/data
OUT=$DATA/out
mkdir -p "$DATA" "$OUT"

if [ -z "${EPOCHREALTIME:-}" ]; then
    echo "bench/run.sh needs bash 5 or later (for \$EPOCHREALTIME, the wall-clock timer)" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "bench/run.sh needs GNU time at /usr/bin/time for CPU time and peak memory:" >&2
    echo "  sudo apt-get install time      (Debian/Ubuntu)   or   sudo dnf install time" >&2
    exit 2
fi

echo "== build (release)"
cargo build --release --quiet --bin yardstick --example generate --example csvparse
BIN=$CARGO_TARGET_DIR/release
YS=$BIN/yardstick

if [ ! -x bench/.venv/bin/python ] || ! bench/.venv/bin/python -c "import duckdb" 2>/dev/null; then
    echo "== installing DuckDB into bench/.venv"
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install --quiet duckdb
fi
PY=bench/.venv/bin/python

# measure NAME CMD...: runs CMD REPS times (stdout to $OUT/NAME.out), keeps the fastest run's
# "wall cpu rss_kib" in $OUT/NAME.time. Wall time is taken by the shell to the millisecond
# (GNU time's %e has hundredths: too coarse for the 1M-event runs of about 0.1 s).
measure() {
    local name=$1; shift
    local best=""
    for _ in $(seq "$REPS"); do
        local t0=$EPOCHREALTIME
        /usr/bin/time -f "%U %S %M" -o "$OUT/$name.t" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" || true
        local t1=$EPOCHREALTIME
        local line
        line=$(tail -n 1 "$OUT/$name.t" | awk -v a="${t0/,/.}" -v b="${t1/,/.}" '{printf "%.3f %.2f %d\n", b - a, $1 + $2, $3}')
        if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1])}'; then
            best=$line
        fi
    done
    echo "$best" > "$OUT/$name.time"
}

row() { # row LABEL NAME
    read -r wall cpu rss < "$OUT/$2.time"
    printf "| %-44s | %7s s | %7s s | %8.0f MiB |\n" "$1" "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"
}

ratio() { # ratio NAME_A NAME_B FIELD(1 wall, 2 cpu, 3 rss)
    awk -v f="$3" 'NR==FNR{split($0,a," ");next}{split($0,b," ");printf "%.2f", a[f]/b[f]}' "$OUT/$1.time" "$OUT/$2.time"
}

echo "== machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== yardstick $($YS --version 2>/dev/null | head -1), duckdb $($PY -c 'import duckdb; print(duckdb.__version__)'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# The compiled queries: the same audit as the yardstick rows, --by department.
"$YS" sql -s bench/standards.toml --dialect duckdb --by department > "$OUT/compiled-1.sql"
compiled5=""
if "$YS" sql -s bench/standards-5.toml --dialect duckdb --by department > "$OUT/compiled-5.sql" 2> "$OUT/compiled-5.err"; then
    compiled5=yes
else
    echo "== bench/standards-5.toml does not compile: $(head -n 1 "$OUT/compiled-5.err")"
fi
for n in $SIZES; do
    file=$DATA/events-$n-s$SEED.csv
    # A file from before the workload gained its csat column is made again.
    if [ ! -s "$file" ] || ! head -n 1 "$file" | grep -q ',csat'; then
        echo "== generating $n events (seed $SEED)"
        "$BIN/examples/generate" --events "$n" --seed "$SEED" > "$file.tmp" && mv "$file.tmp" "$file"
    fi
    size=$(( $(stat -c %s "$file") / 1000000 ))
    cat "$file" > /dev/null # into the page cache
    echo
    echo "== $n events, $size MB, best of $REPS runs"
    measure cat-$n cat "$file"
    measure parse-$n "$BIN/examples/csvparse" "$file"
    measure ys-$n "$YS" audit -s bench/standards.toml --log "tickets=$file" --by department --format csv
    measure ys5-$n "$YS" audit -s bench/standards-5.toml --log "tickets=$file" --by department --format csv
    measure duckdb-$n "$PY" bench/duckdb_audit.py "$file"
    measure sql-$n "$PY" bench/duckdb_compiled.py "$file" "$OUT/compiled-1.sql"
    if [ -n "$compiled5" ]; then
        measure sql5-$n "$PY" bench/duckdb_compiled.py "$file" "$OUT/compiled-5.sql"
    fi
    rm -f "$OUT/cat-$n.out"
    echo "-- same per-department cases, met, breached, open, compliance, median, p90 (and the value standard's):"
    if ! "$PY" bench/compare.py "$OUT/ys-$n.out" "$OUT/duckdb-$n.out" "$OUT/ys5-$n.out"; then
        echo "!! yardstick and DuckDB DISAGREE"; status=1
    fi
    echo "-- the compiled query's result equals the audit's CSV (1 standard, then 5 if compiled):"
    if ! "$PY" bench/compare_sql.py "$OUT/ys-$n.out" "$OUT/sql-$n.out"; then
        echo "!! yardstick and its compiled query DISAGREE"; status=1
    fi
    if [ -n "$compiled5" ] && ! "$PY" bench/compare_sql.py "$OUT/ys5-$n.out" "$OUT/sql5-$n.out"; then
        echo "!! yardstick and its compiled query DISAGREE (5 standards)"; status=1
    fi
    echo
    echo "| $n events | wall | CPU | peak memory |"
    echo "| --- | ---: | ---: | ---: |"
    row "reading the file (cat)" cat-$n
    row "csv ByteRecord loop, one thread (csvparse)" parse-$n
    row "yardstick audit, 1 standard" ys-$n
    row "yardstick audit, 5 standards" ys5-$n
    row "DuckDB $($PY -c 'import duckdb; print(duckdb.__version__)') SQL" duckdb-$n
    row "yardstick sql on DuckDB, 1 standard" sql-$n
    if [ -n "$compiled5" ]; then
        row "yardstick sql on DuckDB, 5 standards" sql5-$n
    fi
    echo
    echo "| ratio | measured | goal |"
    echo "| --- | ---: | ---: |"
    echo "| yardstick wall / DuckDB wall | $(ratio ys-$n duckdb-$n 1) | <= 0.50 |"
    echo "| yardstick wall / one-thread parse wall | $(ratio ys-$n parse-$n 1) | <= 1.20 |"
    echo "| yardstick peak memory / DuckDB peak memory | $(ratio ys-$n duckdb-$n 3) | <= 0.20 |"
    echo "| yardstick CPU / DuckDB CPU | $(ratio ys-$n duckdb-$n 2) | |"
    echo "| 5 standards wall / 1 standard wall | $(ratio ys5-$n ys-$n 1) | <= 1.30 |"
    echo "| compiled query wall / hand-written DuckDB wall, 1 standard | $(ratio sql-$n duckdb-$n 1) | <= 1.50 |"
    echo "| compiled query peak memory / hand-written DuckDB peak memory | $(ratio sql-$n duckdb-$n 3) | |"
    if [ -n "$compiled5" ]; then
        echo "| compiled query wall / hand-written DuckDB wall, 5 standards | $(ratio sql5-$n duckdb-$n 1) | |"
    fi
done
exit $status
