#!/usr/bin/env bash
# Whole-process import benchmark: generates N synthetic articles (cached), builds the release
# `broadsheet`, imports them into a fresh project RUNS times, and reports each run's wall time,
# MB/s of input and peak RSS (from /usr/bin/time -v, or by polling VmHWM), then the medians.
# After the last run it times the first analysis (`broadsheet duplicates`: near-duplicate
# clustering, done once per corpus) and leaves the project for the criterion benches.
#
#   usage: scripts/bench-import.sh N [RUNS]
#   env:   BROADSHEET_BENCH_DATA  where corpora and projects go (default: ../bench-data, outside
#                                 the repository)
#          CARGO_TARGET_DIR       as for cargo
#          SEED                   the generator's seed (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:?usage: scripts/bench-import.sh N [RUNS]}"
RUNS="${2:-3}"
SEED="${SEED:-1}"
DATA="${BROADSHEET_BENCH_DATA:-$(cd .. && pwd)/bench-data}"
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

cargo build --release -q -p broadsheet -p broadsheet-gen
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
BS="$TARGET/release/broadsheet"
GEN="$TARGET/release/broadsheet-gen"

CORPUS="$DATA/synth-n$N-s$SEED"
if [ ! -f "$CORPUS/.manifest.json" ]; then
    rm -rf "$CORPUS"
    "$GEN" synth --articles "$N" --seed "$SEED" --out "$CORPUS.tmp"
    mv "$CORPUS.tmp" "$CORPUS"
fi
BYTES=$(cat "$CORPUS"/*.jsonl | wc -c)
echo "corpus: $CORPUS, $N articles, $((BYTES / 1000000)) MB in $(ls "$CORPUS"/*.jsonl | wc -l) files"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1e6}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"

PROJECT="$DATA/project-n$N-s$SEED"
LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT

# Runs "$@" and prints "wall_seconds peak_rss_kb cpu_seconds" (cpu: user + system, "-" when
# unknown). On a shared machine CPU time says what the run needed when wall time is inflated
# by other work.
measure() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v "$@" >/dev/null 2>"$LOG"
        local wall rss cpu
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$LOG" |
            awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$LOG")
        cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$LOG")
        echo "$wall $rss $cpu"
    else
        local start end pid hwm=0 v
        start=$(date +%s%N)
        "$@" >/dev/null 2>"$LOG" &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
            [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
            sleep 0.05
        done
        wait "$pid"
        end=$(date +%s%N)
        echo "$(awk -v ns=$((end - start)) 'BEGIN {printf "%.2f", ns / 1e9}') $hwm -"
    fi
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

walls=""
rsss=""
for i in $(seq 1 "$RUNS"); do
    rm -rf "$PROJECT"
    "$BS" new "$PROJECT" >/dev/null
    sync
    read -r wall rss cpu < <(measure "$BS" -p "$PROJECT" import "$CORPUS")
    mbs=$(awk -v b="$BYTES" -v w="$wall" 'BEGIN {printf "%.1f", b / 1e6 / w}')
    echo "run $i: import ${wall} s, ${mbs} MB/s, peak RSS $((rss / 1024)) MB, CPU ${cpu} s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    walls="$walls $wall"
    rsss="$rsss $rss"
done
mw=$(echo "$walls" | tr ' ' '\n' | grep . | median)
mr=$(echo "$rsss" | tr ' ' '\n' | grep . | median)
echo "median of $RUNS: import ${mw} s, $(awk -v b="$BYTES" -v w="$mw" 'BEGIN {printf "%.1f", b / 1e6 / w}') MB/s, peak RSS $(awk -v r="$mr" 'BEGIN {printf "%.0f", r / 1024}') MB"
echo "per 1M articles (linear): $(awk -v w="$mw" -v n="$N" 'BEGIN {printf "%.0f", w * 1e6 / n}') s"
echo "database: $(du -sm "$PROJECT" | cut -f1) MB"
read -r wall rss cpu < <(measure "$BS" -p "$PROJECT" duplicates)
echo "first analysis after import (near-duplicate clustering): ${wall} s, peak RSS $((rss / 1024)) MB, CPU ${cpu} s"
echo "project kept: $PROJECT (BROADSHEET_BENCH_CORPUS=$PROJECT/corpus.sqlite for the criterion benches)"
