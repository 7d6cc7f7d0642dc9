#!/usr/bin/env bash
# compare.sh: lode against a RocksDB engine, same workload, alternating runs.
#
#   bench/compare.sh [--pairs N] [--engine rocksdb-blob|rocksdb] [--bin PATH]
#                    [--out DIR] [--db-root DIR] [lode_bench flags...]
#
# Runs lode_bench N times for lode and N times for the RocksDB engine,
# alternating (lode, rocksdb, lode, rocksdb, ...) so that drift of the machine
# hits both alike, each run on a fresh DB, then prints a table of medians and
# of median lode/rocksdb ratios (bench/compare_table.py). Every other flag goes
# to lode_bench unchanged (both engines get the same ones). JSON lines of each
# run stay in --out.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pairs=3
engine=rocksdb-blob
bin=""
out=""
db_root="${TMPDIR:-/tmp}"
flags=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pairs) pairs="$2"; shift 2 ;;
    --pairs=*) pairs="${1#*=}"; shift ;;
    --engine) engine="$2"; shift 2 ;;
    --engine=*) engine="${1#*=}"; shift ;;
    --bin) bin="$2"; shift 2 ;;
    --bin=*) bin="${1#*=}"; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --db-root) db_root="$2"; shift 2 ;;
    --db-root=*) db_root="${1#*=}"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    --db=*|--json=*|--use_existing_db*)
      echo "compare.sh: $1 is set by compare.sh itself" >&2; exit 2 ;;
    *) flags+=("$1"); shift ;;
  esac
done
case "$engine" in rocksdb|rocksdb-blob) ;; *) echo "compare.sh: --engine must be rocksdb or rocksdb-blob" >&2; exit 2 ;; esac
if ! [[ "$pairs" =~ ^[0-9]+$ ]] || (( pairs < 1 )); then
  echo "compare.sh: --pairs must be a positive number" >&2; exit 2
fi
if [[ -z "$bin" ]]; then
  for candidate in "$here/../build/bench/lode_bench" "$PWD/bench/lode_bench" "$PWD/lode_bench"; do
    if [[ -x "$candidate" ]]; then bin="$candidate"; break; fi
  done
fi
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "compare.sh: lode_bench not found; build it or pass --bin PATH" >&2; exit 2
fi
if [[ ${#flags[@]} -eq 0 ]]; then
  # A small default that finishes in a minute or two.
  flags=(--benchmarks=fillrandom,overwrite,readrandom,seekrandom,gc,readrandom
         --num=20000 --value_size=16384 --reads=10000 --seek_nexts=10)
fi
out="${out:-$(mktemp -d "${TMPDIR:-/tmp}/lode_compare.XXXXXX")}"
mkdir -p "$out"
echo "compare.sh: $pairs pairs, lode vs $engine, results in $out"
echo "compare.sh: flags: ${flags[*]}"

a_files=()
b_files=()
for ((i = 1; i <= pairs; i++)); do
  for e in lode "$engine"; do
    json="$out/$e.$i.json"
    db="$db_root/lode_compare-$e-$$"
    echo "== pair $i/$pairs: $e"
    "$bin" --engine="$e" --db="$db" --json="$json" "${flags[@]}" > "$out/$e.$i.txt" 2>&1 || {
      echo "compare.sh: $e run $i failed:" >&2; tail -5 "$out/$e.$i.txt" >&2; rm -rf "$db"; exit 1; }
    rm -rf "$db"
    if [[ "$e" == lode ]]; then a_files+=("$json"); else b_files+=("$json"); fi
  done
done
echo
python3 "$here/compare_table.py" --a-name lode --b-name "$engine" --a "${a_files[@]}" --b "${b_files[@]}" \
  | tee "$out/table.md"
