"""Broadsheet's Spark driver: runs the Spark SQL of one plan over a Parquet export.

Usage: python driver.py PLAN.json

The plan (written by the Rust crate broadsheet-spark, which embeds this file) names the master,
the export folder and its tables (Hive-partitioned Parquet: DATA/<table>/year=/month=/), small
JSON Lines views, Spark settings, and the SQL queries to run in order. Each query's result is
collected to the driver and written to OUT/<name>.jsonl, one JSON object per row with the
columns in order; OUT/_run.json then tells the master, Spark's version, the number of executors
and each query's rows and seconds. Spark only runs SQL here (no Python UDFs), so executors
never need Python.

Exit codes: 0 success; 2 a bad plan, a missing table or a SQL error (stderr says
"error: query NAME: ..."); 1 anything else. Progress goes to stderr; stdout stays empty.
Needs Python 3.9+ and pyspark, nothing else.
"""

import datetime
import decimal
import json
import math
import os
import re
import sys
import time

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Settings that every run gets; the plan's `conf` may override them.
DEFAULT_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}


class DriverError(Exception):
    """An error to report as `error: <message>` with an exit code (2 = the plan or its SQL)."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.code = code


def log(message):
    print(message, file=sys.stderr, flush=True)


def load_plan(path):
    """Reads and checks the plan: required keys, and query names usable as file names."""
    try:
        with open(path, encoding="utf-8") as f:
            plan = json.load(f)
    except (OSError, ValueError) as e:
        raise DriverError(f"plan {path}: {e}")
    for key in ("data", "queries", "out"):
        if key not in plan:
            raise DriverError(f"plan {path}: no '{key}'")
    seen = set()
    for query in plan["queries"]:
        name = query.get("name", "")
        if not NAME.match(name) or name in seen or "sql" not in query:
            raise DriverError(f"plan {path}: query {name!r} needs a unique file-safe name and sql")
        seen.add(name)
    return plan


def start_session(plan):
    """Builds the SparkSession with the default settings, then the plan's `conf`."""
    master = plan.get("master", "local[*]")
    # Timestamps come back as naive datetimes in the Python process's zone: make that UTC.
    os.environ["TZ"] = "UTC"
    if hasattr(time, "tzset"):  # not on Windows
        time.tzset()
    if master.startswith("local") or re.match(r"^spark://(127\.0\.0\.1|localhost)[:/]", master):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(plan.get("app_name", "broadsheet")).master(master)
    for key, value in {**DEFAULT_CONF, **plan.get("conf", {})}.items():
        builder = builder.config(key, str(value))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def register_sources(spark, plan):
    """Registers each export table and each JSON Lines view as a temp view of its name."""
    from pyspark.errors import AnalysisException

    data = plan["data"]
    for table in plan.get("tables", []):
        path = os.path.join(data, table)
        if not os.path.isdir(path):
            raise DriverError(f"table {table}: no folder {path} in the export")
        try:
            spark.read.option("basePath", path).parquet(path).createOrReplaceTempView(table)
        except AnalysisException as e:
            raise DriverError(f"table {table} ({path}): {first_lines(e)}")
    for view in plan.get("views", []):
        name, path = view["name"], view["path"]
        if not os.path.isfile(path):
            raise DriverError(f"view {name}: no file {path}")
        spark.read.schema(view["schema"]).json(path).createOrReplaceTempView(name)


def first_lines(error):
    """A short message: a Java error's root cause, or Spark's message without the logical plan
    that analysis errors append after ';'."""
    java = getattr(error, "java_exception", None)
    if java is not None:  # py4j's Py4JJavaError: the text is the whole Java stack
        while java.getCause() is not None:
            java = java.getCause()
        return str(java.toString())
    text = str(error).strip()
    lines = []
    for line in text.splitlines():
        if line.startswith(("'", "+- ", ":- ", "== Physical")) or (lines and line == ";"):
            break
        lines.append(line.rstrip())
    return "\n".join(lines).rstrip(";").strip() or text


def to_json(value, where):
    """Converts one collected value to a JSON value; `where` names query and column in errors."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
        raise DriverError(f"{where}: DECIMAL value {value} is not integral; CAST it to DOUBLE")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)) and not hasattr(value, "asDict"):
        return [to_json(v, where) for v in value]
    if hasattr(value, "asDict"):  # a struct (Row)
        return {k: to_json(v, where) for k, v in value.asDict().items()}
    if isinstance(value, dict):
        return {str(k): to_json(v, where) for k, v in value.items()}
    raise DriverError(f"{where}: unsupported value type {type(value).__name__}")


def run_query(spark, query, out):
    """Runs one query, writes OUT/<name>.jsonl and returns its rows and seconds."""
    from pyspark.errors import AnalysisException

    name = query["name"]
    started = time.monotonic()
    try:
        df = spark.sql(query["sql"])
    except AnalysisException as e:
        raise DriverError(f"query {name}: {first_lines(e)}")
    columns = df.columns
    duplicate = sorted({c for c in columns if columns.count(c) > 1})
    if duplicate:
        raise DriverError(f"query {name}: duplicate column names {', '.join(duplicate)}")
    try:
        rows = df.collect()
    except AnalysisException as e:
        raise DriverError(f"query {name}: {first_lines(e)}")
    except Exception as e:
        raise DriverError(f"query {name}: {first_lines(e)}", code=1)
    path = os.path.join(out, name + ".jsonl")
    with open(path + ".part", "w", encoding="utf-8") as f:
        for row in rows:
            record = {c: to_json(v, f"query {name}, column {c}") for c, v in zip(columns, row)}
            f.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    os.replace(path + ".part", path)
    seconds = round(time.monotonic() - started, 3)
    log(f"query {name}: {len(rows)} rows in {seconds} s")
    return {"name": name, "rows": len(rows), "seconds": seconds}


def executor_count(sc):
    """Executors registered with the driver, not counting the driver itself (0 in local mode)."""
    return sc._jsc.sc().getExecutorMemoryStatus().size() - 1


def run(plan):
    out = plan["out"]
    os.makedirs(out, exist_ok=True)
    run_file = os.path.join(out, "_run.json")
    if os.path.exists(run_file):
        os.remove(run_file)
    started = time.monotonic()
    spark = start_session(plan)
    try:
        sc = spark.sparkContext
        session_seconds = round(time.monotonic() - started, 3)
        log(f"session: {sc.master}, Spark {spark.version}, started in {session_seconds} s")
        registered = time.monotonic()
        register_sources(spark, plan)
        log(f"sources registered in {time.monotonic() - registered:.3f} s")
        queries = [run_query(spark, q, out) for q in plan["queries"]]
        summary = {
            "master": sc.master,
            "spark_version": spark.version,
            "executors": executor_count(sc),
            "default_parallelism": sc.defaultParallelism,
            "session_seconds": session_seconds,
            "queries": queries,
        }
        with open(run_file, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1)
            f.write("\n")
    finally:
        spark.stop()


def main(argv):
    if len(argv) != 2:
        log("usage: driver.py PLAN.json")
        return 2
    try:
        run(load_plan(argv[1]))
    except DriverError as e:
        log(f"error: {e}")
        return e.code
    except Exception as e:  # anything else: Java errors, I/O, a missing pyspark
        log(f"error: {type(e).__name__}: {first_lines(e)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
