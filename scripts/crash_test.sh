#!/usr/bin/env bash
# Long crash test: lode_stress forks a child running a GC-heavy workload,
# SIGKILLs it at random moments, reopens, verifies every key, the files and
# VerifyDB. Usage: scripts/crash_test.sh [--cycles N] [--duration SECONDS]
# [--seed S] [--db DIR] [--max-kill-ms MS] (defaults: 1000 cycles, 1 hour max).
# Uses build/ (or $LODE_BUILD_DIR); builds lode_stress if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${LODE_BUILD_DIR:-build}
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja -DLODE_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$dir" --target lode_stress -j "$(nproc)" >/dev/null
args=(--cycles 1000 --duration 3600 --seed "$(date +%s)")
exec "$dir/tests/lode_stress" "${args[@]}" "$@"
