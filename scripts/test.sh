#!/usr/bin/env bash
# Sets up, builds and runs every test. LODE_SANITIZE=1 uses the ASan+UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-DLODE_WERROR=ON)
if [ "${LODE_SANITIZE:-0}" = 1 ]; then
  export LODE_BUILD_DIR=${LODE_BUILD_DIR:-build-asan}
  args+=(-DLODE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
bash scripts/build.sh "${args[@]}"
cd "${LODE_BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)" --timeout 900
