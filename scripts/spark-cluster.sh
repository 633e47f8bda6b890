#!/usr/bin/env bash
# A standalone Spark cluster on loopback, for the Spark back end's tests and for trying the
# cluster path: one master on 127.0.0.1 and SPARK_WORKERS (default 2) workers of 1 core and 1g
# each, run with the Spark that the pyspark of scripts/install-deps.sh bundles.
#
#   scripts/spark-cluster.sh start [DIR]   start (or find running) and print the master URL last
#   scripts/spark-cluster.sh status [DIR]  print the master URL and workers alive; exit 3 if down
#   scripts/spark-cluster.sh stop [DIR]    stop the workers and the master, and wait for them
#
# DIR (default ${TMPDIR:-/tmp}/broadsheet-spark-cluster) holds the logs, pid files, the web UI's
# port and the workers' and Spark's scratch folders. The master listens on 127.0.0.1:7077
# (SPARK_MASTER_PORT), its web UI on 127.0.0.1 at a free port (SPARK_MASTER_WEBUI_PORT) whose
# /json/ tells the workers alive. Spark's Python: BROADSHEET_PYTHON, else the venv
# BROADSHEET_SPARK_VENV (default ~/.cache/broadsheet/spark-venv).
set -euo pipefail
cmd="${1:-}"
DIR="${2:-${TMPDIR:-/tmp}/broadsheet-spark-cluster}"
PORT="${SPARK_MASTER_PORT:-7077}"
WORKERS="${SPARK_WORKERS:-2}"
PY="${BROADSHEET_PYTHON:-${BROADSHEET_SPARK_VENV:-$HOME/.cache/broadsheet/spark-venv}/bin/python}"
URL="spark://127.0.0.1:$PORT"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Workers alive according to the master's JSON, or nothing when the master does not answer.
alive_workers() {
    curl -fsS --max-time 2 "http://127.0.0.1:$(cat "$DIR/master.ui-port")/json/" 2>/dev/null |
        "$PY" -c 'import json, sys; print(sum(w["state"] == "ALIVE" for w in json.load(sys.stdin)["workers"]))' \
            2>/dev/null || true
}

# TERM to every daemon of DIR, then wait for them (10 s, then KILL).
stop() {
    local pidfile pids=()
    for pidfile in "$DIR"/worker-*.pid "$DIR"/master.pid; do
        [ -f "$pidfile" ] || continue
        alive "$pidfile" && pids+=("$(cat "$pidfile")")
        rm -f "$pidfile"
    done
    [ ${#pids[@]} -gt 0 ] || return 0
    kill "${pids[@]}" 2>/dev/null || true
    local pid running
    for _ in $(seq 50); do
        running=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
        [ "$running" = 1 ] || return 0
        sleep 0.2
    done
    kill -9 "${pids[@]}" 2>/dev/null || true
}

start() {
    if alive "$DIR/master.pid"; then
        [ "$(alive_workers)" = "$WORKERS" ] && { echo "$URL"; return; }
        echo "a cluster in $DIR is running but not with $WORKERS workers alive: stop it first" >&2
        exit 1
    fi
    stop # leftovers of a cluster that died
    [ -x "$PY" ] || { echo "no Python with pyspark at $PY: run scripts/install-deps.sh" >&2; exit 1; }
    if [ -z "${JAVA_HOME:-}" ]; then
        command -v java >/dev/null || { echo "no java: run scripts/install-deps.sh" >&2; exit 1; }
        JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    fi
    SPARK_HOME="$("$PY" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "port $PORT on 127.0.0.1 is taken: set SPARK_MASTER_PORT" >&2
        exit 1
    fi
    mkdir -p "$DIR/conf" "$DIR/local"
    local ui="${SPARK_MASTER_WEBUI_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
    echo "$ui" >"$DIR/master.ui-port"
    # SPARK_LOCAL_IP binds every port (RPC and web UIs) to loopback; an empty conf folder keeps
    # out any spark-defaults.conf; maxRetries=0: a taken port is an error, not the next port.
    export JAVA_HOME SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 SPARK_CONF_DIR="$DIR/conf" \
        SPARK_LOCAL_DIRS="$DIR/local" SPARK_DAEMON_JAVA_OPTS="-Dspark.port.maxRetries=0"
    nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
        --host 127.0.0.1 --port "$PORT" --webui-port "$ui" \
        </dev/null >"$DIR/master.log" 2>&1 &
    echo $! >"$DIR/master.pid"
    for i in $(seq "$WORKERS"); do
        mkdir -p "$DIR/work-$i"
        nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
            --host 127.0.0.1 --cores 1 --memory 1g --work-dir "$DIR/work-$i" --webui-port 0 "$URL" \
            </dev/null >"$DIR/worker-$i.log" 2>&1 &
        echo $! >"$DIR/worker-$i.pid"
    done
    for _ in $(seq 120); do
        if [ "$(alive_workers)" = "$WORKERS" ]; then
            echo "$URL"
            return
        fi
        alive "$DIR/master.pid" || break
        sleep 0.5
    done
    echo "the cluster did not come up with $WORKERS workers in 60 s; logs in $DIR:" >&2
    tail -n 5 "$DIR"/*.log >&2 || true
    stop
    exit 1
}

case "$cmd" in
start) start ;;
stop) stop ;;
status)
    if alive "$DIR/master.pid"; then
        echo "master $URL (pid $(cat "$DIR/master.pid")), web UI http://127.0.0.1:$(cat "$DIR/master.ui-port")/, workers alive: $(alive_workers)"
    else
        echo "no cluster running in $DIR"
        exit 3
    fi
    ;;
*)
    echo "usage: $0 start|stop|status [DIR]" >&2
    exit 2
    ;;
esac
