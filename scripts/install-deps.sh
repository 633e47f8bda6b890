#!/usr/bin/env bash
# Installs what building and testing Broadsheet needs and is missing, quietly and idempotently:
# Debian packages for the engine, the desktop app (WebKitGTK) and its end-to-end tests (Xvfb,
# WebKitWebDriver), a Java runtime and a Python venv with PySpark for the Spark back end, then the
# UI's npm packages when ui/node_modules is missing or stale.
# On a warm machine this takes a fraction of a second.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
    build-essential pkg-config curl wget file
    libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
    xvfb xauth webkit2gtk-driver
    openjdk-17-jre-headless python3-venv
)
need_apt=()
for pkg in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        need_apt+=("$pkg")
    fi
done
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "==> installing ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# PySpark for the Spark back end (crates/spark): a venv of its own with the pinned version, made
# or replaced only when its stamp file does not name that version. Broadsheet finds Spark's Python
# through BROADSHEET_PYTHON, else this venv's bin/python. pyspark bundles Spark's jars (the venv
# takes 371 MB); Debian's Java 17 runs it. 3.5.x is the last line that leaves ANSI SQL mode off by
# default (4.0 turns it on); it supports Java 17 and Python 3.11. Measured: the first install took
# 22 s here (pyspark ships only a source archive, so pip downloads it and builds a wheel).
PYSPARK_VERSION=3.5.9
SPARK_VENV="${BROADSHEET_SPARK_VENV:-$HOME/.cache/broadsheet/spark-venv}"
if [ "$(cat "$SPARK_VENV/.pyspark-version" 2>/dev/null)" != "$PYSPARK_VERSION" ]; then
    echo "==> pyspark $PYSPARK_VERSION into $SPARK_VENV"
    BASE_PYTHON=/usr/bin/python3
    [ -x "$BASE_PYTHON" ] || BASE_PYTHON=python3
    [ -x "$SPARK_VENV/bin/python" ] || "$BASE_PYTHON" -m venv "$SPARK_VENV"
    "$SPARK_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-cache-dir --use-pep517 \
        "pyspark==$PYSPARK_VERSION"
    echo "$PYSPARK_VERSION" >"$SPARK_VENV/.pyspark-version"
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "Rust is not installed: install it from https://rustup.rs (curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh), then run this again." >&2
    exit 1
fi
# rust-toolchain.toml pins Rust 1.95.0. Where rustup's stable toolchain is that release under
# another name (a machine that cannot download toolchains), it is linked under the pinned name
# instead of rustup trying to fetch it.
PINNED="$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml 2>/dev/null || true)"
if [ -n "$PINNED" ] && command -v rustup >/dev/null 2>&1 \
    && ! rustup toolchain list | grep -q "^$PINNED"; then
    if rustc +stable --version 2>/dev/null | grep -q "^rustc $PINNED "; then
        echo "==> linking the installed stable Rust ($PINNED) as toolchain $PINNED"
        rustup toolchain link "$PINNED" "$(rustc +stable --print sysroot)"
    else
        echo "Rust $PINNED is needed (rust-toolchain.toml): rustup toolchain install $PINNED" >&2
        exit 1
    fi
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "Node.js (20 or later) with npm is needed for the desktop app's UI: install it from Debian (apt-get install nodejs npm) or https://nodejs.org, then run this again." >&2
    exit 1
fi
NODE_MAJOR="$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\).*/\1/p')"
if [ -n "$NODE_MAJOR" ] && [ "$NODE_MAJOR" -lt 20 ]; then
    echo "Node.js $(node --version) is too old for the UI's build (Vite needs 20 or later). Debian 12's apt has 18:" >&2
    echo "install Node.js 20 from https://nodejs.org or NodeSource (https://github.com/nodesource/distributions), then run this again." >&2
    exit 1
fi
# The UI's packages: `npm ci` when node_modules is missing or package-lock.json changed since
# the last install (npm writes its own copy of the lock into node_modules).
if [ -f ui/package-lock.json ]; then
    if [ ! -d ui/node_modules ] || ! cmp -s ui/package-lock.json ui/node_modules/.package-lock.stamp; then
        echo "==> npm ci (ui/)"
        (cd ui && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
        cp ui/package-lock.json ui/node_modules/.package-lock.stamp
    fi
fi
