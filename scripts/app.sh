#!/usr/bin/env bash
# Builds Broadsheet's desktop app and opens it on the demo project: creates ./demo-project from
# datasets/demo (as scripts/demo.sh does) when it is not there yet, then starts the app on it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
echo "==> building the UI and the app"
scripts/ui.sh
cargo build --quiet -p broadsheet -p broadsheet-app
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
if [ ! -f demo-project/broadsheet.toml ]; then
    echo "==> creating ./demo-project from datasets/demo"
    B="$TARGET/debug/broadsheet"
    rm -rf demo-project
    "$B" new demo-project --name "Regional security coverage (demo)" >/dev/null
    "$B" -p demo-project import --json datasets/demo/steppe_herald.jsonl datasets/demo/caspian_wire.csv \
        datasets/demo/novosti_evrazii.json >/dev/null
    "$B" -p demo-project import --json datasets/demo/payam_asia.jsonl --recipe payam_asia >/dev/null
    "$B" -p demo-project import --json datasets/demo/tien_shan_times --source "Tien Shan Times" >/dev/null
fi
echo "==> starting Broadsheet on ./demo-project"
exec "$TARGET/debug/broadsheet-app" "$PWD/demo-project"
