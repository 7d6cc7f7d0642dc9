#!/usr/bin/env python3
"""Table of bench/space_ceiling.sh runs: space as a multiple of the fully
compacted store (the size after the final full GC), total write
amplification, and put latency of the overwrites."""
import json
import os
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def summarize(path):
    rows = load(path)
    by = {}
    for r in rows:
        by.setdefault(r["benchmark"], []).append(r)
    writes = by.get("fillseq", []) + by.get("overwrite", [])
    compacted = by["gc"][-1]["disk_bytes"]
    overwrites = by.get("overwrite", [])
    idle = by.get("idle", [{}])[-1]
    user = sum(r["user_bytes_written"] for r in writes)
    device = sum(r.get("device_write_bytes") or 0 for r in writes + by.get("idle", []))
    lat99 = max(r["latency_us"]["p99"] for r in overwrites)
    lat999 = max(r["latency_us"]["p999"] for r in overwrites)
    ops = sum(r["ops"] for r in overwrites) / max(1e-9, sum(r["seconds"] for r in overwrites))
    return {
        "run": os.path.basename(path)[:-5],
        "compacted_mb": compacted / 2**20,
        "max": max(r["max_disk_bytes"] for r in writes) / compacted,
        "final": overwrites[-1]["disk_bytes"] / compacted,
        "idle": idle.get("disk_bytes", 0) / compacted,
        "wa": device / user if user else float("nan"),
        "ops": ops,
        "p99": lat99,
        "p999": lat999,
    }


def main(paths):
    cols = ["run", "compacted_mb", "max", "final", "idle", "wa", "ops", "p99", "p999"]
    heads = ["run", "compacted MiB", "max x", "final x", "after idle x", "total WA",
             "overwrite ops/s", "put p99 us", "put p99.9 us"]
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    for p in sorted(paths):
        try:
            s = summarize(p)
        except (KeyError, ValueError, IndexError) as e:
            print(f"| {os.path.basename(p)} | incomplete: {e} |")
            continue
        cells = []
        for c in cols:
            v = s[c]
            if isinstance(v, str):
                cells.append(v)
            elif c in ("ops", "p99", "p999", "compacted_mb"):
                cells.append(f"{v:.0f}")
            else:
                cells.append(f"{v:.2f}")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
