#!/usr/bin/env bash
# Refreshes the committed screenshots in docs/screenshots (the README's hero image among them):
# builds the app as the tests do and runs the end-to-end test with its screenshots written there.
# The test suite itself writes them to a temporary folder and never changes committed files.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/ui.sh
cargo build --quiet --workspace --all-targets
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/run.mjs --app "$TARGET/debug/broadsheet-app" --shots docs/screenshots
scripts/story.sh "$TARGET/debug"
xvfb-run -a -s "-screen 0 1280x800x24" node ui/e2e/story.mjs --app "$TARGET/debug/broadsheet-app" --shots docs/screenshots
echo "==> docs/screenshots refreshed: look at them, then commit the ones that changed"
