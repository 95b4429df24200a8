"""The benchmark's audit written as one DuckDB query (bench/README.md).

usage: python duckdb_audit.py EVENTS.csv  -> CSV on stdout:
department,cases,met,breached,open,compliance,median_s,p90_s,
csat_cases,csat_met,csat_breached,csat_excluded,csat_median,csat_p90

Same rules as yardstick's elapsed standard `from = "created"`, `to = "agent_reply"`,
`within = "10m"` on the `always` calendar:
- a case is a ticket with a `created` event; the clock starts at its first `created`;
- it stops at the first `agent_reply` at or after the start;
- met when stop - start <= 600 s; breached when it is more, or when there is no reply and
  600 s have passed at the as-of instant (the latest timestamp in the file); else open;
- compliance = met / (met + breached) * 100;
- median and p90 are nearest-rank (the value at rank ceil(q * n) of the n sorted values of
  the cases whose clock stopped), computed with row_number(): DuckDB's quantile_disc picks
  rank floor((n - 1) * q) + 1, which differs from nearest-rank for p90 (n = 12: 10 vs 11);
- the department is the ticket's department (the generated data has one per ticket).

The csat_ columns are the value standard `csat-4` of bench/standards-5.toml (`value =
"csat"`, `on = "solved"`, `at_least = 4`): a case is a ticket with a `solved` event, its
number the csat cell of the first such row (earliest time; the generated data has one per
ticket); met when it is 4 or more, breached when less, excluded ("no value") when the cell is
empty; cases = met + breached; median and p90 nearest-rank over the decided cases' numbers.
"""
import sys

import duckdb

QUERY = """
WITH ev AS (
    SELECT ticket_id, epoch("timestamp")::BIGINT AS t, event, department, csat
    FROM read_csv(?, header = true, auto_detect = false,
                  columns = {'ticket_id': 'VARCHAR', 'timestamp': 'TIMESTAMP',
                             'event': 'VARCHAR', 'department': 'VARCHAR',
                             'channel': 'VARCHAR', 'agent': 'VARCHAR',
                             'csat': 'DOUBLE'})
),
as_of AS (SELECT max(t) AS as_of FROM ev),
starts AS (
    SELECT ticket_id, min(t) AS start, any_value(department) AS department
    FROM ev WHERE event = 'created' GROUP BY ticket_id
),
stops AS (
    SELECT s.ticket_id, min(e.t) AS stop
    FROM ev e JOIN starts s ON e.ticket_id = s.ticket_id
    WHERE e.event = 'agent_reply' AND e.t >= s.start
    GROUP BY s.ticket_id
),
cases AS (
    SELECT s.department, st.stop - s.start AS value,
           CASE WHEN st.stop IS NOT NULL AND st.stop - s.start <= 600 THEN 'met'
                WHEN st.stop IS NOT NULL OR a.as_of - s.start > 600 THEN 'breached'
                ELSE 'open' END AS verdict
    FROM starts s LEFT JOIN stops st ON s.ticket_id = st.ticket_id, as_of a
),
ranked AS (
    SELECT department, value,
           row_number() OVER (PARTITION BY department ORDER BY value) AS rn,
           count(*) OVER (PARTITION BY department) AS n
    FROM cases WHERE value IS NOT NULL
),
quantiles AS (
    SELECT department,
           max(value) FILTER (WHERE rn = (n + 1) // 2) AS median_s,
           max(value) FILTER (WHERE rn = (9 * n + 9) // 10) AS p90_s
    FROM ranked GROUP BY department
),
valued AS (
    SELECT ticket_id, arg_min(csat, t) AS csat, any_value(department) AS department
    FROM ev WHERE event = 'solved' GROUP BY ticket_id
),
value_ranked AS (
    SELECT department, csat,
           row_number() OVER (PARTITION BY department ORDER BY csat) AS rn,
           count(*) OVER (PARTITION BY department) AS n
    FROM valued WHERE csat IS NOT NULL
),
value_stats AS (
    SELECT v.department,
           count(*) FILTER (WHERE csat IS NOT NULL) AS csat_cases,
           count(*) FILTER (WHERE csat >= 4) AS csat_met,
           count(*) FILTER (WHERE csat < 4) AS csat_breached,
           count(*) FILTER (WHERE csat IS NULL) AS csat_excluded,
           (SELECT max(csat) FROM value_ranked r
             WHERE r.department = v.department AND rn = (n + 1) // 2) AS csat_median,
           (SELECT max(csat) FROM value_ranked r
             WHERE r.department = v.department AND rn = (9 * n + 9) // 10) AS csat_p90
    FROM valued v GROUP BY v.department
),
elapsed AS (
SELECT c.department, count(*) AS cases,
       count(*) FILTER (WHERE verdict = 'met') AS met,
       count(*) FILTER (WHERE verdict = 'breached') AS breached,
       count(*) FILTER (WHERE verdict = 'open') AS open,
       100.0 * count(*) FILTER (WHERE verdict = 'met')
             / count(*) FILTER (WHERE verdict <> 'open') AS compliance,
       any_value(q.median_s) AS median_s, any_value(q.p90_s) AS p90_s
FROM cases c JOIN quantiles q ON c.department = q.department
GROUP BY c.department
)
SELECT e.*, v.csat_cases, v.csat_met, v.csat_breached, v.csat_excluded, v.csat_median,
       v.csat_p90
FROM elapsed e JOIN value_stats v ON e.department = v.department
ORDER BY e.department
"""

# (9n + 9) // 10 = ceil(0.9 n) for integers and (n + 1) // 2 = ceil(n / 2).

def main():
    con = duckdb.connect()
    rows = con.execute(QUERY, [sys.argv[1]]).fetchall()
    print("department,cases,met,breached,open,compliance,median_s,p90_s,"
          "csat_cases,csat_met,csat_breached,csat_excluded,csat_median,csat_p90")
    for r in rows:
        print(",".join(str(x) for x in r))


if __name__ == "__main__":
    main()
