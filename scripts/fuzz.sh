#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ (or
# $LODE_FUZZ_BUILD_DIR) and runs each for SECONDS (default 20), starting from
# the seed corpus in tests/fuzz/corpus/<target> plus what earlier runs found
# (kept in the build dir, so the committed corpus stays small).
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Targets: wal_reader version_edit table blob_file db_ops (default: all).
# Prints executions and coverage per target; exits non-zero on any finding
# (the crashing input is left in the build dir as crash-*).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(wal_reader version_edit table blob_file db_ops)
dir=${LODE_FUZZ_BUILD_DIR:-build-fuzz}
LODE_NEED_CLANG=1 bash scripts/setup.sh
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DLODE_FUZZ=ON -DLODE_BUILD_TESTS=OFF \
    -DLODE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
fi
cmake --build "$dir" -j "$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
status=0
root=$PWD
for t in "${targets[@]}"; do
  work="$root/$dir/corpus/$t"
  mkdir -p "$work" "$root/$dir/artifacts"
  log="$root/$dir/fuzz_$t.log"
  set +e
  (cd "$root/$dir/artifacts" && nice -n "${LODE_FUZZ_NICE:-0}" "$root/$dir/tests/fuzz/fuzz_$t" \
    -max_total_time="$secs" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048 \
    -artifact_prefix="$root/$dir/artifacts/$t-" "$work" "$root/tests/fuzz/corpus/$t") >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
  echo "fuzz_$t: ${secs}s, execs ${execs}, ${cov:-cov: ?}, exit ${rc}"
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -m5 -E 'ERROR|SUMMARY|fuzz_db_ops:|deadly' "$log" || true
  fi
done
exit $status
