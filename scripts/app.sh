#!/usr/bin/env bash
# Builds Broadsheet's desktop app and opens it on the example project datasets/regional-security:
# the first time, `broadsheet run` builds its corpus from datasets/demo and writes its analyses.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
echo "==> building the UI"
scripts/ui.sh
START=$SECONDS
echo "==> building the app and the broadsheet command (the first build compiles about 800 crates:"
echo "    10 to 40 minutes on 2 cores; cargo shows its progress below; later builds take seconds)"
cargo build -p broadsheet -p broadsheet-app
echo "==> built in $((SECONDS - START)) s"
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
PROJECT=datasets/regional-security
if [ ! -f "$PROJECT/corpus.sqlite" ]; then
    # The example project: its corpus is built from datasets/demo, and its analyses (the
    # "regional security" timeline by outlet, regions, keyness, KWIC, …) written to outputs/.
    echo "==> building the example project $PROJECT from datasets/demo (broadsheet run)"
    "$TARGET/debug/broadsheet" run "$PROJECT" >/dev/null
fi
echo "==> starting Broadsheet on $PROJECT"
exec "$TARGET/debug/broadsheet-app" "$PWD/$PROJECT"
