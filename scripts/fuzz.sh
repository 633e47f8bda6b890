#!/usr/bin/env bash
# Fuzzes Broadsheet's readers and parsers with cargo-fuzz (libFuzzer): one target, or all of
# them one after the other, for SECONDS each. Crashes land in fuzz/artifacts/<target>/; copy a
# crashing input to fuzz/regressions/<target>/ once fixed, and `cargo test` replays it for good.
#
#   scripts/fuzz.sh                 # every target, 60 s each
#   scripts/fuzz.sh json 600        # one target for ten minutes
#   scripts/fuzz.sh list            # the targets
#
# Environment: FUZZ_SANITIZER (none | address; default none, the faster), FUZZ_JOBS (default 1),
# FUZZ_ARGS (more libFuzzer flags). cargo-fuzz is installed if missing; a nightly toolchain is
# used when rustup has one, else the stable one with RUSTC_BOOTSTRAP=1. See docs/HARDENING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
TARGETS=(text csv json sgml feed html archive date encoding query)
what="${1:-all}"
secs="${2:-60}"
if [ "$what" = list ]; then
    printf '%s\n' "${TARGETS[@]}"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi
TOOLCHAIN=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    TOOLCHAIN=(+nightly)
else
    export RUSTC_BOOTSTRAP=1
fi
# The fuzz build goes to its own target triple's folder under the usual target folder (its
# compiler flags differ from normal builds); FUZZ_TARGET_DIR puts it elsewhere.
if [ -n "${FUZZ_TARGET_DIR:-}" ]; then
    export CARGO_TARGET_DIR="$FUZZ_TARGET_DIR"
fi
jobs=()
if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then
    jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS")
fi
sanitizer="${FUZZ_SANITIZER:-none}"
if [ "$what" = all ]; then
    run=("${TARGETS[@]}")
else
    run=("$what")
fi
for t in "${run[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" "fuzz/seeds/$t" "fuzz/regressions/$t"
    echo "==> fuzzing $t for ${secs}s (sanitizer: $sanitizer)"
    # shellcheck disable=SC2086
    cargo "${TOOLCHAIN[@]}" fuzz run --fuzz-dir fuzz -s "$sanitizer" -a "$t" \
        "fuzz/corpus/$t" "fuzz/seeds/$t" "fuzz/regressions/$t" -- \
        -max_total_time="$secs" -timeout=10 -max_len=65536 -rss_limit_mb=2048 \
        -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 "${jobs[@]}" ${FUZZ_ARGS:-}
done
