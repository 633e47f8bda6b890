#!/usr/bin/env bash
# Sets up Broadsheet and opens it on the demo corpus: builds the `broadsheet` command, creates
# ./demo-project from datasets/demo, and shows what is in it. Safe to run again (the project is
# rebuilt from scratch each time).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
echo "==> building broadsheet"
cargo build --quiet -p broadsheet
TARGET="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
B="$TARGET/debug/broadsheet"
rm -rf demo-project
"$B" new demo-project --name "Regional security coverage (demo)"
echo "==> importing datasets/demo"
"$B" -p demo-project import datasets/demo/steppe_herald.jsonl datasets/demo/caspian_wire.csv \
    datasets/demo/novosti_evrazii.json
"$B" -p demo-project import datasets/demo/payam_asia.jsonl --recipe payam_asia
"$B" -p demo-project import datasets/demo/tien_shan_times --source "Tien Shan Times"
echo "==> what is in it"
"$B" -p demo-project stats
echo "==> a search: (security OR militant* OR Daesh OR Taliban) AND Kyrgyz*"
"$B" -p demo-project search '(security OR militant* OR Daesh OR Taliban) AND Kyrgyz*' --limit 5
echo
echo "Try: $B -p demo-project search 'NEAR(border Afghanistan, 8)'"
