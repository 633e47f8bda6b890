#!/usr/bin/env bash
# Whole-process timings of the interactive analyses on a project made by
# scripts/bench-import.sh: each `broadsheet` command RUNS times, medians printed. These include
# process start and loading the corpus metadata (what a command-line user waits for); the
# criterion benches (crates/analysis/benches/analyses.rs) time the same analyses in-process.
#
#   usage: scripts/bench-analyses.sh N [RUNS]      (the project of scripts/bench-import.sh N)
#   env:   BROADSHEET_BENCH_DATA (default ../bench-data), CARGO_TARGET_DIR, SEED (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:?usage: scripts/bench-analyses.sh N [RUNS]}"
RUNS="${2:-3}"
SEED="${SEED:-1}"
DATA="${BROADSHEET_BENCH_DATA:-$(cd .. && pwd)/bench-data}"
cargo build --release -q -p broadsheet -p broadsheet-gen
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
BS="$TARGET/release/broadsheet"
P="$DATA/project-n$N-s$SEED"
[ -f "$P/broadsheet.toml" ] || { echo "run scripts/bench-import.sh $N first" >&2; exit 1; }
CONCEPT="$("$TARGET/release/broadsheet-gen" concept)"
# About 10,000 articles: the generator spreads articles evenly over the 3,653 days of 2015-2024.
DAYS=$(( (3653 * 10000 + N - 1) / N )); [ "$DAYS" -gt 3653 ] && DAYS=3653
TO="$(date -u -d "2015-01-01 + $((DAYS - 1)) days" +%F)"

ms() {
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
run() {
    local name="$1" t times=""
    shift
    for _ in $(seq 1 "$RUNS"); do
        t=$(ms "$BS" -p "$P" "$@")
        times="$times $t"
    done
    printf '%-40s median %6s ms  (runs:%s)\n' "$name" "$(echo $times | tr ' ' '\n' | median)" "$times"
}
echo "project: $P; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first command (near-duplicate clustering, once per corpus): $(ms "$BS" -p "$P" duplicates) ms"
echo "subcorpus of ~10k articles: 2015-01-01 to $TO: $("$BS" -p "$P" list --from 2015-01 --to "$TO" --json --limit 1 | sed -n 's/.*"total": *\([0-9]*\).*/\1/p' | head -1) articles"
run "sources (per-source counts and date ranges over every article)" sources
run "timeline concept x month x source" timeline --match "$CONCEPT" --by source --period month --json
run "terms top 100, all" terms --limit 100 --json
run "terms top 100, ~10k subcorpus" terms --limit 100 --from 2015-01-01 --to "$TO" --json
run "kwic first page (government)" kwic government --limit 50 --json
run "keyness 2021 vs 2020" keyness --from 2021 --to 2021 --ref-from 2020 --ref-to 2020 --json
