#!/usr/bin/env bash
# Sets up, builds and runs lode's main job: the demo stores large objects in a
# DB directory, overwrites and deletes some, runs GC and prints the GC report.
# Usage: bash scripts/demo.sh [DIR]   (default ./lode-demo-db)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir=${1:-$PWD/lode-demo-db}
LODE_BUILD_DIR=${LODE_BUILD_DIR:-$root/build} bash "$root/scripts/build.sh" -DLODE_BUILD_TESTS=OFF -DLODE_BUILD_BENCH=OFF >&2
exec "${LODE_BUILD_DIR:-$root/build}/lode" demo "$dir"
