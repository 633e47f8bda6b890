#!/usr/bin/env bash
# Builds Broadsheet's desktop app and opens it on the story project datasets/central-asia, on its
# saved timeline: the first time, scripts/story.sh generates the story corpus (four invented
# outlets, 2019-2024, in English, Russian, Persian and Kyrgyz) and imports it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
echo "==> building the UI"
scripts/ui.sh
START=$SECONDS
echo "==> building the app and the broadsheet command (the first build compiles about 550 crates:"
echo "    about 12 minutes on an idle 2-core machine, and 3.5 GB of disk in target/; cargo shows its"
echo "    progress below; later builds take seconds)"
cargo build -p broadsheet -p broadsheet-app -p broadsheet-gen
echo "==> built in $((SECONDS - START)) s"
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
PROJECT=datasets/central-asia
echo "==> the story project $PROJECT (generated and imported the first time, about 10 s)"
scripts/story.sh "$TARGET/debug"
echo "==> starting Broadsheet on $PROJECT"
exec "$TARGET/debug/broadsheet-app" "$PWD/$PROJECT"
