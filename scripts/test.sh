#!/usr/bin/env bash
# Runs the whole test suite: every crate's unit and integration tests (including the imports
# of the shared research corpora when they can be found), the UI's Vitest tests, and the
# end-to-end test that drives the real desktop app through WebDriver under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ -z "${BROADSHEET_CORPORA:-}" ] && [ ! -d ../shared/corpora ]; then
    echo "!! The shared corpora (../shared/corpora) are not here: the tests that import them will"
    echo "!! print SKIPPED. Set BROADSHEET_CORPORA=/path/to/corpora to run them."
    export BROADSHEET_SKIP_SHARED=1
fi
echo "==> building the UI (ui/dist, embedded by the app)"
scripts/ui.sh
echo "==> cargo test"
cargo test --workspace --all-targets --quiet
echo "==> Spark on a standalone cluster of two workers: the example project and 100,000 generated articles"
cargo test --workspace --quiet --test spark_cluster -- --ignored
echo "==> UI tests (Vitest)"
(cd ui && npx vitest run)
echo "==> end-to-end test of the app (WebKitWebDriver under Xvfb)"
# The same targets and features as `cargo test` above, so nothing is rebuilt with other features.
cargo build --quiet --workspace --all-targets
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/run.mjs --app "$TARGET/debug/broadsheet-app"
echo "==> end-to-end test: article text never runs in the app (hostile markup)"
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/hostile.mjs --app "$TARGET/debug/broadsheet-app"
echo "==> end-to-end test: the first minute on the story project (opens on its timeline)"
scripts/story.sh "$TARGET/debug"
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/story.mjs --app "$TARGET/debug/broadsheet-app"
