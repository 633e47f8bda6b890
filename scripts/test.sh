#!/usr/bin/env bash
# Runs the whole test suite: every crate's unit and integration tests, including the imports
# of the shared research corpora when they can be found.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ -z "${BROADSHEET_CORPORA:-}" ] && [ ! -d ../shared/corpora ]; then
    echo "!! The shared corpora (../shared/corpora) are not here: the tests that import them will"
    echo "!! print SKIPPED. Set BROADSHEET_CORPORA=/path/to/corpora to run them."
    export BROADSHEET_SKIP_SHARED=1
fi
cargo test --workspace --all-targets --quiet
