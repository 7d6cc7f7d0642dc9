#!/usr/bin/env bash
# Sets up, builds and runs lode's main job: the demo stores large objects in a
# DB directory, overwrites and deletes some, runs GC and prints the GC report.
# Usage: bash scripts/demo.sh [DIR]   (default ./lode-demo-db)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir=${1:-$PWD/lode-demo-db}
build=${LODE_BUILD_DIR:-$root/build}
options=()
# A fresh tree skips tests and benches to build fast. An existing one keeps its
# settings: turning tests off there would leave ctest running stale binaries.
[ -f "$build/CMakeCache.txt" ] || options=(-DLODE_BUILD_TESTS=OFF -DLODE_BUILD_BENCH=OFF)
LODE_BUILD_DIR=$build bash "$root/scripts/build.sh" "${options[@]}" >&2
exec "$build/lode" demo "$dir"
