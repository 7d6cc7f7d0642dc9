#!/usr/bin/env bash
# space_ceiling.sh: how much space GC lets a uniform overwrite workload take,
# lode against rocksdb-blob, in one run.
#
#   bench/space_ceiling.sh [--size-mb N] [--values "16384 65536"]
#                          [--ceilings "1.2"] [--sweep "1.1 1.5 2.0"]
#                          [--idle S] [--no-slowdown] [--bin PATH] [--out DIR]
#                          [--db-root DIR]
#
# Per value size: load N MiB with fillseq, overwrite it 5 times with uniform
# random keys, stay idle S seconds, then a full GC (the fully compacted store).
# WAL on, sync off, 64 MiB write buffers, LZ4, min_blob_size 4 KiB on both
# engines; the DB directory is sampled every second. lode runs at each
# --ceilings value, rocksdb-blob once with its integrated BlobDB GC
# (age cutoff 0.25); --sweep adds lode runs at other ceilings for the first
# value size only; --no-slowdown adds, per value size, lode at each ceiling
# with blob_gc_slowdown_writes off; lode with GC off runs once per value
# size (the put latency baseline). bench/space_ceiling_table.py prints the
# table.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
size_mb=1024
values="16384 65536"
ceilings="1.2"
sweep=""
idle=60
slowdown=0
bin=""
out=""
db_root="${TMPDIR:-/tmp}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --values) values="$2"; shift 2 ;;
    --ceilings) ceilings="$2"; shift 2 ;;
    --sweep) sweep="$2"; shift 2 ;;
    --idle) idle="$2"; shift 2 ;;
    --no-slowdown) slowdown=1; shift ;;
    --bin) bin="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --db-root) db_root="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "space_ceiling.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
bin="${bin:-$here/../build/bench/lode_bench}"
out="${out:-$(mktemp -d "${TMPDIR:-/tmp}/space_ceiling.XXXXXX")}"
mkdir -p "$out"
[[ -x "$bin" ]] || { echo "space_ceiling.sh: no lode_bench at $bin (build with -DLODE_BUILD_BENCH=ON)" >&2; exit 2; }

run() {  # name value_size engine extra-flags...
  local name="$1" vs="$2" engine="$3"; shift 3
  local num=$(( size_mb * 1024 * 1024 / vs ))
  echo "== $name (value $vs, $num keys, engine $engine $*)" >&2
  "$bin" --engine="$engine" --db="$db_root/space_ceiling-$engine" --json="$out/$name.json" \
    --benchmarks=fillseq,overwrite,overwrite,overwrite,overwrite,overwrite,idle,gc \
    --num="$num" --value_size="$vs" --compression_ratio=0.5 --write_buffer_size=67108864 \
    --min_blob_size=4096 --blob_compression=lz4 --compression=lz4 --idle_seconds="$idle" \
    --gc_full=true --space_sample_ms=1000 "$@" > "$out/$name.txt"
  rm -rf "$db_root/space_ceiling-$engine"
}

first=1
for vs in $values; do
  for c in $ceilings; do run "lode-$vs-c$c" "$vs" lode --max_space_amplification="$c"; done
  if [[ $slowdown == 1 ]]; then
    for c in $ceilings; do
      run "lode-$vs-c$c-noslowdown" "$vs" lode --max_space_amplification="$c" \
        --blob_gc_slowdown_writes=false
    done
  fi
  run "rocksdb-blob-$vs" "$vs" rocksdb-blob
  if [[ $first == 1 ]]; then
    for c in $sweep; do run "lode-$vs-c$c" "$vs" lode --max_space_amplification="$c"; done
  fi
  # The baseline of the put latency target, per value size.
  run "lode-$vs-gcoff" "$vs" lode --max_space_amplification=0 --enable_blob_gc=false \
    --blob_gc_idle_seconds=0
  first=0
done
python3 "$here/space_ceiling_table.py" "$out"/*.json
echo "JSON lines and logs: $out" >&2
