#!/usr/bin/env bash
# Builds the desktop app's UI into ui/dist, which the app crate (src-tauri) embeds when it
# compiles: run it before any cargo command that builds or checks broadsheet-app.
set -euo pipefail
cd "$(dirname "$0")/../ui"
npm run --silent build -- --logLevel warn
