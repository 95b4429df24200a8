"""The benchmark's audit written as one DuckDB query (bench/README.md).

usage: python duckdb_audit.py EVENTS.csv  -> CSV on stdout:
department,cases,met,breached,open,compliance,median_s,p90_s

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
"""
import sys

import duckdb

QUERY = """
WITH ev AS (
    SELECT ticket_id, epoch("timestamp")::BIGINT AS t, event, department
    FROM read_csv(?, header = true, auto_detect = false,
                  columns = {'ticket_id': 'VARCHAR', 'timestamp': 'TIMESTAMP',
                             'event': 'VARCHAR', 'department': 'VARCHAR',
                             'channel': 'VARCHAR', 'agent': 'VARCHAR'})
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
)
SELECT c.department, count(*) AS cases,
       count(*) FILTER (WHERE verdict = 'met') AS met,
       count(*) FILTER (WHERE verdict = 'breached') AS breached,
       count(*) FILTER (WHERE verdict = 'open') AS open,
       100.0 * count(*) FILTER (WHERE verdict = 'met')
             / count(*) FILTER (WHERE verdict <> 'open') AS compliance,
       any_value(q.median_s) AS median_s, any_value(q.p90_s) AS p90_s
FROM cases c JOIN quantiles q ON c.department = q.department
GROUP BY c.department ORDER BY c.department
"""

# (9n + 9) // 10 = ceil(0.9 n) for integers and (n + 1) // 2 = ceil(n / 2).

def main():
    con = duckdb.connect()
    rows = con.execute(QUERY, [sys.argv[1]]).fetchall()
    print("department,cases,met,breached,open,compliance,median_s,p90_s")
    for r in rows:
        print(",".join(str(x) for x in r))


if __name__ == "__main__":
    main()
