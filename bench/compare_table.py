#!/usr/bin/env python3
"""Table of lode vs RocksDB from lode_bench JSON lines (see compare.sh).

usage: compare_table.py --a-name lode --b-name rocksdb-blob \
           --a RUN1.json RUN2.json ... --b RUN1.json RUN2.json ...

Run i of A and run i of B form a pair (they ran back to back). For every
benchmark and metric it prints the median of A, the median of B and the
median over pairs of A/B. Benchmarks are matched by their position in
--benchmarks, so a list may repeat a name (readrandom before and after gc).
"""
import argparse
import json
import statistics
import sys

# (JSON field or path, label, format)
METRICS = [
    ("ops_per_sec", "ops/s", "{:.0f}"),
    ("mb_per_sec", "MB/s", "{:.1f}"),
    ("latency_us.p50", "p50 us", "{:.1f}"),
    ("latency_us.p99", "p99 us", "{:.1f}"),
    ("latency_us.p999", "p99.9 us", "{:.1f}"),
    ("seconds", "seconds", "{:.2f}"),
    ("device_write_bytes", "device MB written", "mb"),
    ("write_syscall_bytes", "write() MB", "mb"),
    ("write_amp", "write-amp", "{:.2f}"),
    ("disk_bytes", "disk MB", "mb"),
    ("space_amp", "space-amp", "{:.2f}"),
    ("cpu_seconds", "cpu s", "{:.2f}"),
]
# Metrics shown only where they mean something.
ONLY_FOR = {
    "write-amp": lambda r: r.get("user_bytes_written", 0) > 0,
    "device MB written": lambda r: r.get("user_bytes_written", 0) > 0 or r["benchmark"] in ("gc", "compact"),
    "write() MB": lambda r: r.get("user_bytes_written", 0) > 0 or r["benchmark"] in ("gc", "compact"),
    "ops/s": lambda r: r["benchmark"] not in ("gc", "compact"),
    "MB/s": lambda r: r["benchmark"] not in ("gc", "compact"),
    "p50 us": lambda r: r["benchmark"] not in ("gc", "compact"),
    "p99 us": lambda r: r["benchmark"] not in ("gc", "compact"),
    "p99.9 us": lambda r: r["benchmark"] not in ("gc", "compact"),
    "seconds": lambda r: r["benchmark"] in ("gc", "compact"),
}


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if not r.get("ok", False):
                sys.exit(f"{path}: benchmark {r.get('benchmark')} failed: {r.get('error')}")
            rows[(r["index"], r["benchmark"])] = r
    return rows


def get(r, path):
    v = r
    for part in path.split("."):
        if not isinstance(v, dict) or part not in v:
            return None
        v = v[part]
    return v


def fmt(v, f):
    if v is None:
        return "-"
    if f == "mb":
        return "{:.1f}".format(v / 1048576.0)
    return f.format(v)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--a-name", default="lode")
    p.add_argument("--b-name", default="rocksdb")
    p.add_argument("--a", nargs="+", required=True)
    p.add_argument("--b", nargs="+", required=True)
    args = p.parse_args()
    if len(args.a) != len(args.b):
        sys.exit("need as many runs of A as of B")
    runs_a = [load(x) for x in args.a]
    runs_b = [load(x) for x in args.b]
    keys = sorted(set(runs_a[0]) & set(runs_b[0]))

    print(f"{len(args.a)} pairs; medians; ratio = median over pairs of {args.a_name}/{args.b_name}")
    print()
    head = ["benchmark", "metric", args.a_name, args.b_name, f"{args.a_name}/{args.b_name}"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] * 2 + ["---:"] * 3) + "|")
    for key in keys:
        name = key[1] if sum(1 for k in keys if k[1] == key[1]) == 1 else f"{key[1]} #{key[0]}"
        first = True
        for path, label, f in METRICS:
            if label in ONLY_FOR and not ONLY_FOR[label](runs_a[0][key]):
                continue
            va, vb, ratios = [], [], []
            for ra, rb in zip(runs_a, runs_b):
                if key not in ra or key not in rb:
                    continue
                a, b = get(ra[key], path), get(rb[key], path)
                if a is not None:
                    va.append(a)
                if b is not None:
                    vb.append(b)
                if a is not None and b is not None and b != 0:
                    ratios.append(a / b)
            if not va and not vb:
                continue
            ma = statistics.median(va) if va else None
            mb = statistics.median(vb) if vb else None
            mr = statistics.median(ratios) if ratios else None
            print("| " + " | ".join([name if first else "", label, fmt(ma, f), fmt(mb, f),
                                     "-" if mr is None else "{:.2f}".format(mr)]) + " |")
            first = False
    return 0


if __name__ == "__main__":
    sys.exit(main())
