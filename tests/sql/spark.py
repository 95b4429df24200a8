"""Runs the SQL that `yardstick sql --dialect spark` prints (on stdin) on Apache Spark in local
mode, over CSV exports loaded as string columns (see landing.py), each request in a session
of its own (its own temporary views) on one shared Spark context.

Starting Spark takes seconds, so `.ci/engines` starts one server for the whole test run:

    spark.py --serve PORT_FILE     listen on 127.0.0.1 (a free port, written to PORT_FILE)

and a test sends its request to it ($YARDSTICK_SPARK is 127.0.0.1:PORT):

    spark.py [--line-column NAME] TABLE=FILE.csv ... < query.sql

Without $YARDSTICK_SPARK the request runs in a Spark of its own. Spark listens on the
loopback interface only (SPARK_LOCAL_IP, spark.driver.host and spark.driver.bindAddress).
"""
import json
import os
import socket
import socketserver
import sys
import threading

import landing

os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def session():
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("yardstick-tests")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        # The default 1g of heap is too little for the 100,000-event log's query.
        .config("spark.driver.memory", "4g")
        # The plans of the compiled queries are deep trees, which the optimizer walks
        # recursively: the default thread stack overflowed on the pauses fixture.
        .config("spark.driver.extraJavaOptions", "-Xss64m")
        .config("spark.ui.enabled", "false")
        # The status store keeps each query's plan (the compiled queries' are large) for a
        # UI that is off: a few hundred of them filled the heap of the one server.
        .config("spark.sql.ui.retainedExecutions", "1")
        .config("spark.ui.retainedJobs", "10")
        .config("spark.ui.retainedStages", "10")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        # The compiled query is a long chain of CTEs with large expressions over small test
        # tables: planning, not reading, is its cost. Without these its plan takes minutes on
        # 2 cores (constraint propagation over the time parsing's expressions, Java code
        # generated and compiled for each stage, adaptive re-planning); docs/sql.md.
        .config("spark.sql.constraintPropagation.enabled", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(spark, request):
    """The result of one request as CSV text."""
    import io

    from pyspark import StorageLevel
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    s = spark.newSession()
    line_column = request.get("line_column")
    cached = []
    try:
        for name, path in request["tables"]:
            header, rows = landing.read(path, line_column)
            fields = [StructField(h, StringType(), True) for h in header]
            if line_column:
                fields.append(StructField(line_column, LongType(), True))
            # Held in the JVM's memory: the query reads its table many times, and a scan of
            # rows made in Python would unpickle them in a Python worker each time.
            df = s.createDataFrame(rows, StructType(fields)).persist(StorageLevel.MEMORY_ONLY)
            df.count()
            cached.append(df)
            # Backquoted: Spark reads the name as an identifier (one with a space or a dot too).
            df.createOrReplaceTempView("`%s`" % name.replace("`", "``"))
        df = s.sql(request["sql"])
        out = io.StringIO()
        landing.write(df.columns, [tuple(r) for r in df.collect()], out)
        return out.getvalue()
    finally:
        for df in cached:
            df.unpersist()


def serve(port_file):
    spark = session()
    lock = threading.Lock()

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            request = json.loads(self.rfile.readline())
            try:
                # One query at a time: two at once on 2 cores stalled each other for minutes
                # (each plans and runs on every core); the tests wait their turn.
                with lock:
                    reply = {"ok": True, "csv": run(spark, request)}
            except Exception as e:  # the test shows the engine's words
                reply = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
            self.wfile.write((json.dumps(reply) + "\n").encode())

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), Handler) as server:
        with lock:
            tmp = port_file + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d\n" % server.server_address[1])
            os.replace(tmp, port_file)
        server.serve_forever()


def main(argv):
    if argv[:1] == ["--serve"]:
        serve(argv[1])
        return
    line_column, tables = landing.parse_args(argv)
    # The server reads the files from its own working directory.
    tables = [(name, os.path.abspath(path)) for name, path in tables]
    request = {"tables": tables, "line_column": line_column, "sql": sys.stdin.read()}
    address = os.environ.get("YARDSTICK_SPARK")
    if address:
        host, port = address.rsplit(":", 1)
        with socket.create_connection((host, int(port))) as c:
            c.sendall((json.dumps(request) + "\n").encode())
            reply = json.loads(c.makefile().readline())
    else:
        try:
            reply = {"ok": True, "csv": run(session(), request)}
        except Exception as e:
            reply = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
    if not reply["ok"]:
        sys.stderr.write(reply["error"] + "\n")
        sys.exit(1)
    sys.stdout.write(reply["csv"])


if __name__ == "__main__":
    main(sys.argv[1:])
