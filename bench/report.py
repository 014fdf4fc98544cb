#!/usr/bin/python3
"""The table of bench/run.sh: our timings (Google Benchmark JSON, one file per
thread count) beside PyTorch's and numpy's (bench/torch_anchor.py's output).

  report.py --torch torch.txt --ours "1 thread=ours_1.json" --ours "2 threads=ours_2.json"

Ratio = ours / theirs (below 1: ours is faster). Times are medians of the
repetitions, wall clock. Only the standard library.
"""
import argparse
import json
import os
import re

# Our benchmark -> the anchor row it is compared with.
ANCHOR = {
    "mlp_10_iters_course_deep_nn": "mlp_10_iters",
    "naive_conv_forward_8x16x16x8": "numpy_naive_conv_forward_8x16x16x8",
}
TARGET = {"naive_conv_forward_8x16x16x8": "<= 0.01 (100x)"}


def read_ours(path):
    """{(workload, dtype): (median ms, GFLOP per iteration or None)}, load average."""
    with open(path) as f:
        data = json.load(f)
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
    rows, singles = {}, {}
    for b in data.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        name = re.sub(r"/real_time$", "", name)
        workload, _, dtype = name.rpartition("/")
        ms = b["real_time"] * scale[b.get("time_unit", "ns")]
        entry = (ms, b.get("GFLOP"))
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                rows[(workload, dtype)] = entry
        else:  # no repetitions: the single run
            singles.setdefault((workload, dtype), entry)
    for key, entry in singles.items():
        rows.setdefault(key, entry)
    load = data.get("context", {}).get("load_avg", [])
    return rows, load


def read_anchor(path):
    """{(name, dtype): ms} from torch_anchor.py's lines 'name dtype 12.34 ms'."""
    rows = {}
    if not path or not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            m = re.match(r"^(\S+)\s+(\S+)\s+([0-9.]+) ms\s*$", line)
            if m:
                rows[(m.group(1), m.group(2))] = float(m.group(3))
    return rows


def fmt(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--torch", help="torch_anchor.py's output")
    ap.add_argument("--ours", action="append", required=True,
                    help="LABEL=benchmark.json (one per thread count)")
    args = ap.parse_args()

    runs = []
    for spec in args.ours:
        label, _, path = spec.partition("=")
        rows, load = read_ours(path)
        runs.append((label, rows, load))
    anchor = read_anchor(args.torch)

    keys = []
    for _, rows, _ in runs:
        for k in rows:
            if k not in keys:
                keys.append(k)

    header = ["workload", "dtype"]
    for label, _, _ in runs:
        header += [f"ours {label} (ms)", "GFLOP/s"]
    # The machine's ceiling: OpenBLAS's own 1024^3 product (its own
    # threads), GFLOP/s per dtype, on 1 and 2 threads.
    ceiling = {}
    for _, rows, _ in runs:
        for (workload, dtype), (ms, gflop) in rows.items():
            m = re.match(r"^openblas_gemm_1024_(\d)t$", workload)
            if m and ms and gflop:
                ceiling.setdefault(dtype, {})[int(m.group(1))] = gflop / (ms / 1e3)
    header += ["OpenBLAS 1t/2t GFLOP/s"]
    header += ["PyTorch/numpy (ms)"]
    header += [f"ratio {label}" for label, _, _ in runs]
    header += ["target"]
    table = [header]
    for workload, dtype in keys:
        name = ANCHOR.get(workload, workload)
        theirs = anchor.get((name, dtype))
        line = [workload, dtype]
        ratios = []
        for _, rows, _ in runs:
            ms, gflop = rows.get((workload, dtype), (None, None))
            rate = gflop / (ms / 1e3) if ms and gflop else None
            line += [fmt(ms, 2), fmt(rate)]
            ratios.append(ms / theirs if ms and theirs else None)
        top = ceiling.get(dtype, {})
        line += [f"{fmt(top.get(1), 0)} / {fmt(top.get(2), 0)}"]
        line += [fmt(theirs, 2)]
        line += [fmt(r, 3) for r in ratios]
        line += [TARGET.get(workload, "<= 1.0") if theirs else ""]
        table.append(line)

    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for k, row in enumerate(table):
        cells = [c.ljust(w) if i < 2 else c.rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("ratio = ours / theirs (below 1: ours is faster); medians of the "
          "repetitions, wall clock.")
    if "mlp_10_iters_course_deep_nn" in [k[0] for k in keys]:
        print("mlp_10_iters_course_deep_nn: the course's own code "
              "(course1_nn/deep_nn), against PyTorch's mlp_10_iters.")
    print("naive_conv_forward: the course's loop conv_forward against the "
          "notebook's numpy loops (target: 100x faster).")
    print("OpenBLAS 1t/2t: the machine's ceiling, OpenBLAS's own 1024^3 "
          "product on 1 and 2 of its threads.")
    for label, rows, _ in runs:
        threads = 2 if label.startswith("2") else 1
        for dtype in ("float64", "float32"):
            ms, gflop = rows.get(("eigen_gemm_1024", dtype), (None, None))
            top = ceiling.get(dtype, {}).get(threads)
            if ms and gflop and top:
                print(f"our 1024^3 product, {label}, {dtype}: "
                      f"{100 * gflop / (ms / 1e3) / top:.0f} % of OpenBLAS's "
                      f"on {threads} thread{'s' if threads > 1 else ''} "
                      "(target: >= 80 %)")
    for label, _, load in runs:
        if load:
            busy = " (busy machine: timings are noisy, compare the ratios)" \
                if load[0] > 1.5 else ""
            print(f"load average at the start of ours {label}: "
                  f"{load[0]:.2f}{busy}")
    if not anchor:
        print("No PyTorch timings: sudo apt-get install python3-torch "
              "python3-numpy, then run bench/run.sh again.")


if __name__ == "__main__":
    main()
