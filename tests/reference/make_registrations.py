#!/usr/bin/env python3
"""Write samples/training-registrations.csv: two years (2025 and 2026, to 2026-11-27) of a
training provider's course registrations, for the repeat-rate standard of
standards/training-provider.toml (deterministic: a fixed seed, byte-identical output).

    python3 tests/reference/make_registrations.py

One row per registration (`registration_id` is the case), `customer_id` names the customer
(the standard's `customer`), times are naive America/Chicago wall clock. Audited for 2026
(`--since 2026-01-01 --until 2027-01-01`, look-back 365d = 2025 exactly), 40 customers
registered in 2025 and 11 of them again in 2026: a repeat rate of 27.5%, short of the
30-50% target. Placed on purpose (tests/integration/cli_repeat.rs checks them by hand):

  C-101  registered 2025-01-01 00:00:00, the first second of the look-back: a case;
         returns 2026-03-02: met
  C-102  registered 2025-12-31 23:59:59, the last second of the look-back; returns
         2026-01-01 00:00:00, the first second of the period: met
  C-103  registered 2024-12-31 23:59:59, a second before the look-back, and in 2026:
         not a case of the 2026 audit
  C-104  registered twice in 2025 and never since: one case, breached
  C-105  registered in 2025, returns on the log's last row (2026-11-27 16:00:00): met
  one 2025 registration with an empty customer_id: excluded ("no customer")
"""

import csv
import datetime as dt
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "samples", "training-registrations.csv")
COURSES = ["first-aid", "forklift", "food-hygiene", "fire-safety", "manual-handling"]
CHANNELS = ["web", "phone", "walk-in", "email"]


def main():
    rng = random.Random(17)
    rows = []  # (time, customer, course, channel)

    def at(text):
        return dt.datetime.fromisoformat(text)

    def some_time(year, first_month=1, last_month=12, last_day=None):
        while True:
            month = rng.randint(first_month, last_month)
            day = rng.randint(1, 28)
            t = dt.datetime(year, month, day, rng.randint(8, 17), rng.randint(0, 59),
                            rng.randint(0, 59))
            if last_day is None or t < last_day:
                return t

    end_of_log = at("2026-11-27 16:00:00")
    # The hand-placed customers.
    rows.append((at("2025-01-01 00:00:00"), "C-101", "first-aid", "web"))
    rows.append((at("2026-03-02 10:15:00"), "C-101", "forklift", "web"))
    rows.append((at("2025-12-31 23:59:59"), "C-102", "fire-safety", "web"))
    rows.append((at("2026-01-01 00:00:00"), "C-102", "fire-safety", "web"))
    rows.append((at("2024-12-31 23:59:59"), "C-103", "food-hygiene", "phone"))
    rows.append((at("2026-05-11 09:30:00"), "C-103", "food-hygiene", "phone"))
    rows.append((at("2025-02-03 11:00:00"), "C-104", "manual-handling", "walk-in"))
    rows.append((at("2025-09-15 14:20:00"), "C-104", "first-aid", "walk-in"))
    rows.append((at("2025-06-06 13:00:00"), "C-105", "forklift", "email"))
    rows.append((end_of_log, "C-105", "forklift", "email"))
    rows.append((at("2025-07-14 10:05:00"), "", "first-aid", "walk-in"))
    # 36 more 2025 customers (C-106..C-141): 8 of them come back in 2026 (with C-101, C-102
    # and C-105: 11 of 40), a few register twice in 2025.
    for k in range(106, 142):
        who = f"C-{k}"
        rows.append((some_time(2025), who, rng.choice(COURSES), rng.choice(CHANNELS)))
        if k % 7 == 0:
            rows.append((some_time(2025), who, rng.choice(COURSES), rng.choice(CHANNELS)))
        if k in (108, 111, 115, 119, 124, 128, 133, 137):
            rows.append((some_time(2026, last_month=11, last_day=end_of_log), who,
                         rng.choice(COURSES), rng.choice(CHANNELS)))
    # 14 customers new in 2026 (C-201..C-214): not cases of the 2026 audit.
    for k in range(201, 215):
        rows.append((some_time(2026, last_month=11, last_day=end_of_log), f"C-{k}",
                     rng.choice(COURSES), rng.choice(CHANNELS)))
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["registration_id", "timestamp", "event", "customer_id", "course", "channel"])
        for n, (t, who, course, channel) in enumerate(rows, 1):
            w.writerow([f"REG-{n:04d}", t.strftime("%Y-%m-%d %H:%M:%S"), "registered", who,
                        course, channel])


if __name__ == "__main__":
    main()
