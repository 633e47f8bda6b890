#!/usr/bin/env bash
# Broadsheet against what a researcher would otherwise use in Python, on the same generated
# corpus and in the same run: Python's sqlite3 with an FTS5 table vs `broadsheet import`,
# scikit-learn's CountVectorizer top 100 vs `broadsheet terms`, a pandas month × source
# timeline of the planted concept vs `broadsheet timeline`. Medians of RUNS; prints the ratios.
#
#   usage: scripts/side-by-side.sh N [RUNS]
#   env:   BROADSHEET_BENCH_DATA  corpora, projects and the venv (default: ../bench-data)
#          CARGO_TARGET_DIR, SEED (default 1), PYTHON (default python3)
#
# The Python side is installed from PyPI into $BROADSHEET_BENCH_DATA/venv (python3 -m venv;
# pip install scikit-learn pandas) on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:?usage: scripts/side-by-side.sh N [RUNS]}"
RUNS="${2:-3}"
SEED="${SEED:-1}"
DATA="${BROADSHEET_BENCH_DATA:-$(cd .. && pwd)/bench-data}"
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"

VENV="$DATA/venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sklearn, pandas" 2>/dev/null; then
    "${PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/pip" install -q scikit-learn pandas
fi
PY="$VENV/bin/python"

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
CONCEPT="$("$GEN" concept)"
WORK="$DATA/side-by-side-n$N-s$SEED"
rm -rf "$WORK"
mkdir -p "$WORK"
echo "corpus: $CORPUS ($N articles); $RUNS runs each; machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"

secs() { # runs "$@" quietly, prints the wall time in seconds
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    awk -v ns=$((e - s)) 'BEGIN {printf "%.3f\n", ns / 1e9}'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Broadsheet.
P="$WORK/project"
import_times=""
for i in $(seq 1 "$RUNS"); do
    rm -rf "$P"
    "$BS" new "$P" >/dev/null
    import_times="$import_times $(secs "$BS" -p "$P" import "$CORPUS")"
done
# Near-duplicate clustering runs once, before the first analysis: not counted below.
first=$(secs "$BS" -p "$P" duplicates)
terms_times=""
timeline_times=""
for i in $(seq 1 "$RUNS"); do
    terms_times="$terms_times $(secs "$BS" -p "$P" terms --limit 100 --stopwords none --min-length 2 --json)"
    timeline_times="$timeline_times $(secs "$BS" -p "$P" timeline --match "$CONCEPT" --by source --period month --json)"
done
"$BS" -p "$P" terms --limit 100 --stopwords none --min-length 2 --json >"$WORK/terms.json"
"$BS" -p "$P" timeline --match "$CONCEPT" --by source --period month --json >"$WORK/timeline.json"
bs_import=$(echo $import_times | tr ' ' '\n' | median)
bs_terms=$(echo $terms_times | tr ' ' '\n' | median)
bs_timeline=$(echo $timeline_times | tr ' ' '\n' | median)

# Python.
"$PY" scripts/side_by_side.py "$CORPUS" "$WORK" "$RUNS" "$CONCEPT" >"$WORK/python.jsonl"

"$PY" - "$WORK" "$bs_import" "$bs_terms" "$bs_timeline" "$first" <<'PY'
import json, sys
work, bs_import, bs_terms, bs_timeline, first = sys.argv[1], *map(float, sys.argv[2:])
py = {r["step"]: r for r in map(json.loads, open(f"{work}/python.jsonl"))}
terms = [r["term"] for r in json.load(open(f"{work}/terms.json"))["rows"]]
timeline = json.load(open(f"{work}/timeline.json"))["rows"]
matching = sum(r["count"] for r in timeline if r.get("count") is not None)
overlap = len(set(terms) & set(py["terms"]["top100"]))
print(f"(Broadsheet: whole processes, wall time; near-duplicate clustering before the first analysis: {first:.2f} s, not counted)")
print(f"(Python: texts loaded from JSON Lines in {py['load']['median_s']:.2f} s, not counted in its terms and timeline)")
print(f"{'':10} {'Python':>10} {'Broadsheet':>11} {'ratio':>7}")
for name, p, b in [("import", py["import"]["median_s"], bs_import),
                   ("terms", py["terms"]["median_s"], bs_terms),
                   ("timeline", py["timeline"]["median_s"], bs_timeline)]:
    print(f"{name:10} {p:9.2f}s {b:10.2f}s {p / b:6.1f}x")
print(f"top-100 overlap: {overlap}/100; concept articles: pandas {py['timeline']['matching']}, Broadsheet {matching}")
PY
