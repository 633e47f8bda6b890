#!/usr/bin/env bash
# Builds the story project the app opens on at first run: generates the story corpus
# (`broadsheet-gen story`: four invented outlets in English, Russian, Persian and Kyrgyz,
# 2019-2024, whose security coverage rises around border clashes, the Afghanistan withdrawal,
# the unrest in Kazakhstan and exercises) into datasets/story, and makes the project
# datasets/central-asia on it with the `security` concept and a saved timeline by outlet.
# Usage: scripts/story.sh [BIN_DIR] (default: the workspace's target/debug). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug}"
DATA=datasets/story
PROJECT=datasets/central-asia
if [ -f "$PROJECT/corpus.sqlite" ] && [ -f "$PROJECT/broadsheet.toml" ]; then
    exit 0
fi
rm -rf "$DATA" "$PROJECT"
"$BIN/broadsheet-gen" story "$DATA" >/dev/null
"$BIN/broadsheet" new "$PROJECT" --name "Security coverage of Central Asia, 2019-2024 (generated)" >/dev/null
"$BIN/broadsheet" import -p "$PROJECT" "$DATA"/* >/dev/null
"$BIN/broadsheet" concepts add -p "$PROJECT" security "$("$BIN/broadsheet-gen" concept story)" \
    --description "Security, militancy, borders and exercises, in English, Russian, Persian and Kyrgyz." >/dev/null
"$BIN/broadsheet" timeline -p "$PROJECT" --concept security --by source --period month \
    --save security-by-outlet >/dev/null
"$BIN/broadsheet" terms -p "$PROJECT" --save words >/dev/null
echo "    the story project $PROJECT: $("$BIN/broadsheet" stats -p "$PROJECT" --json 2>/dev/null | grep -o '"articles": *[0-9]*' | head -1 | grep -o '[0-9]*' || echo '?') articles"
