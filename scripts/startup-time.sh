#!/usr/bin/env bash
# Measures the desktop app's cold start: from starting the process to a usable window showing
# the demo project's library (the UI reports when its first rows are on screen), N times under
# Xvfb; prints each run and the median. Run scripts/app.sh once first (it builds the app and
# ./demo-project).   usage: scripts/startup-time.sh [RUNS] [PROJECT]
# PROJECT defaults to ./demo-project; e.g. ../bench-data/project-n1000000-s1 (made by
# scripts/bench-import.sh) times the start with a million-article project open.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
PROJECT="$(cd "${2:-demo-project}" 2>/dev/null && pwd || echo "${2:-demo-project}")"
if [ -z "${DISPLAY:-}" ]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$RUNS" "$PROJECT"
fi
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
APP="$TARGET/debug/broadsheet-app"
[ -x "$APP" ] && [ -f "$PROJECT/broadsheet.toml" ] || { echo "run scripts/app.sh first (or name a project folder)" >&2; exit 1; }
CFG="$(mktemp -d)"
trap 'rm -rf "$CFG"' EXIT
run_all() {
    for i in $(seq 1 "$RUNS"); do
        start=$(date +%s%N)
        if BROADSHEET_CONFIG_DIR="$CFG" BROADSHEET_STARTUP_TIMING=1 BROADSHEET_EXIT_WHEN_READY=1 \
            timeout 60 "$APP" "$PROJECT" 2>/dev/null | grep -m1 -q "ready after"; then
            end=$(date +%s%N)
            echo $(( (end - start) / 1000000 ))
        else
            echo "run $i: the app did not report a usable window" >&2
        fi
    done
}
times=$(run_all)
echo "cold start to a usable window, ms: $(echo $times)"
echo "median: $(echo "$times" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}') ms"
