#!/usr/bin/env bash
# Sets up, builds and runs every test: the normal build, then the whole suite
# under ASan+UBSan (build-asan/), then each fuzz target for a short bounded
# time (build-fuzz/, clang). Idempotent: reruns reuse the build directories.
#   LODE_TEST_STAGES="normal asan fuzz" (default) picks stages;
#   LODE_SANITIZE=1 runs only the ASan+UBSan stage (as before);
#   LODE_FUZZ_SECONDS (default 20) per fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${LODE_TEST_STAGES:-normal asan fuzz}
if [ "${LODE_SANITIZE:-0}" = 1 ]; then stages=asan; fi
for stage in $stages; do
  start=$(date +%s)
  case $stage in
    normal)
      LODE_BUILD_DIR=${LODE_BUILD_DIR:-build} bash scripts/build.sh -DLODE_WERROR=ON
      (cd "${LODE_BUILD_DIR:-build}" && ctest --output-on-failure -j "$(nproc)" --timeout 900)
      ;;
    asan)
      LODE_BUILD_DIR=build-asan bash scripts/build.sh -DLODE_WERROR=ON -DLODE_SANITIZE=ON \
        -DLODE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
      (cd build-asan && ctest --output-on-failure -j "$(nproc)" --timeout 900)
      ;;
    fuzz)
      bash scripts/fuzz.sh "${LODE_FUZZ_SECONDS:-20}"
      ;;
    *)
      echo "test.sh: unknown stage $stage" >&2
      exit 2
      ;;
  esac
  echo "test.sh: stage $stage passed in $(($(date +%s) - start)) s"
done
