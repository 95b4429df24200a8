"""Runs the SQL that `yardstick sql --dialect postgres` prints (on stdin) on PostgreSQL, over
CSV exports loaded as text tables (see landing.py), in a schema of its own that is dropped
afterwards, so that tests can run side by side on one server. The server is the one
`.ci/run` starts on a loopback port: its libpq connection string is $YARDSTICK_PG.

usage: postgres.py [--line-column NAME] TABLE=FILE.csv ... < query.sql
"""
import os
import sys
import uuid

import psycopg

import landing


def main(argv):
    line_column, tables = landing.parse_args(argv)
    query = sys.stdin.read()
    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(os.environ["YARDSTICK_PG"], autocommit=True) as con:
        con.execute("CREATE SCHEMA %s" % schema)
        try:
            con.execute("SET search_path TO %s" % schema)
            for name, path in tables:
                header, rows = landing.read(path, line_column)
                cols = ", ".join("%s text" % landing.quote(h) for h in header)
                if line_column:
                    cols += ", %s bigint" % landing.quote(line_column)
                con.execute("CREATE TABLE %s (%s)" % (landing.quote(name), cols))
                with con.cursor().copy("COPY %s FROM STDIN" % landing.quote(name)) as copy:
                    for r in rows:
                        copy.write_row(r)
            cur = con.execute(query)
            names = [d.name for d in cur.description]
            landing.write(names, cur.fetchall())
        finally:
            con.execute("SET search_path TO public")
            con.execute("DROP SCHEMA %s CASCADE" % schema)


if __name__ == "__main__":
    main(sys.argv[1:])
