#!/bin/sh
# Recompute tests/reference/expected/ from the shipped standards and samples.
# Run from anywhere; needs only python3 (3.11+).
set -eu
cd "$(dirname "$0")/../.."
R=tests/reference/reference.py
E=tests/reference/expected
mkdir -p "$E"
for name in ticket-desk training-provider order-cycle; do
    python3 "$R" "standards/$name.toml" --cases-csv "$E/$name-cases.csv" > "$E/$name.json"
done
python3 "$R" standards/ticket-desk.toml --week 2026-W47 --cases-csv "$E/ticket-desk-w47-cases.csv" > "$E/ticket-desk-w47.json"
python3 "$R" standards/ticket-desk.toml --by department > "$E/ticket-desk-by-department.json"
python3 "$R" standards/ticket-desk.toml --log tickets=samples/broken/tickets-bad-rows.csv > "$E/broken-tickets-bad-rows.json"
python3 "$R" tests/fixtures/target-range/standards.toml > "$E/target-range.json"
python3 "$R" tests/fixtures/periodic-update/standards.toml --cases-csv "$E/periodic-update-cases.csv" > "$E/periodic-update.json"
python3 "$R" tests/fixtures/commitments/standards.toml --cases-csv "$E/commitments-cases.csv" > "$E/commitments.json"
python3 "$R" tests/fixtures/repeat/standards.toml --since 2026-01-01 --until 2027-01-01 --cases-csv "$E/repeat-cases.csv" > "$E/repeat.json"
python3 "$R" tests/fixtures/repeat/standards.toml --until 2027-01-01 --as-of 2026-07-01 --cases-csv "$E/repeat-midyear-cases.csv" > "$E/repeat-midyear.json"
python3 "$R" standards/training-provider.toml --since 2026-01-01 --until 2027-01-01 --cases-csv "$E/training-provider-2026-cases.csv" > "$E/training-provider-2026.json"
python3 "$R" tests/fixtures/clock-time/standards.toml --cases-csv "$E/clock-time-cases.csv" > "$E/clock-time.json"
python3 "$R" tests/fixtures/midnight-dates/standards.toml > "$E/midnight-dates.json"
python3 "$R" tests/fixtures/midnight-dates/time-columns.toml > "$E/midnight-dates-time-columns.json"
python3 "$R" tests/fixtures/values/standards.toml --cases-csv "$E/values-cases.csv" > "$E/values.json"
python3 "$R" tests/fixtures/values/standards.toml --week 2026-W47 --cases-csv "$E/values-w47-cases.csv" > "$E/values-w47.json"
python3 "$R" tests/fixtures/versions/standards.toml --cases-csv "$E/versions-cases.csv" > "$E/versions.json"
python3 "$R" tests/fixtures/versions/standards.toml --by department > "$E/versions-by-department.json"
python3 "$R" tests/fixtures/versions/standards.toml --until 2026-03-30 --cases-csv "$E/versions-until-cases.csv" > "$E/versions-until.json"
python3 "$R" tests/fixtures/versions-each/standards.toml --cases-csv "$E/versions-each-cases.csv" > "$E/versions-each.json"
python3 "$R" tests/fixtures/versions-value/standards.toml --cases-csv "$E/versions-value-cases.csv" > "$E/versions-value.json"
