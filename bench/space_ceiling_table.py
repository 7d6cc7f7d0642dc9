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


def chart(paths, width=56, height=14):
    """ASCII scatter of final size (x) against total write amplification (y)."""
    pts = []
    for p in sorted(paths):
        try:
            s = summarize(p)
        except (KeyError, ValueError, IndexError):
            continue
        pts.append((s["final"], s["wa"], s["run"]))
    if not pts:
        return
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1 = min(1.0, min(xs)), max(xs) * 1.05
    y0, y1 = min(ys) * 0.95, max(ys) * 1.05
    grid = [[" "] * width for _ in range(height)]
    legend = []
    for i, (x, y, name) in enumerate(pts):
        mark = chr(ord("A") + i)
        cx = int((x - x0) / (x1 - x0) * (width - 1))
        cy = height - 1 - int((y - y0) / (y1 - y0) * (height - 1))
        grid[cy][cx] = mark
        legend.append(f"  {mark} = {name}: final {x:.2f}x, WA {y:.2f}")
    print("```")
    print("total write amplification")
    for r, row in enumerate(grid):
        label = y1 - (y1 - y0) * r / (height - 1)
        print(f"{label:5.2f} |" + "".join(row))
    print("      +" + "-" * width)
    print(f"       {x0:.2f}x" + " " * (width - 14) + f"{x1:.2f}x")
    print("       final size / fully compacted size")
    print("\n".join(legend))
    print("```")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--chart"]:
        chart(sys.argv[2:])
    else:
        main(sys.argv[1:])
