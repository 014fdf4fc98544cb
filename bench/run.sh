#!/bin/bash
# Benchmarks against PyTorch: builds bench:course_bench (--config=bench),
# runs it (single-threaded), runs bench/torch_anchor.py (PyTorch with 2
# threads, and the notebooks' numpy loops) right after, and prints the table
# (bench/report.py): ours, theirs, ours / theirs, GFLOP/s.
#
#   bench/run.sh            5 repetitions of every workload (medians)
#   bench/run.sh 3          3 repetitions
#
# Environment:
#   BENCH_THREADS="1 2"     OMP_NUM_THREADS values to run ours with, one
#                           column each (default 1)
#   BENCH_BAZEL_FLAGS=--config=avx2   more build flags (AVX2 + FMA)
#   BENCH_OUT=output/bench  where the JSON and the anchor's output go
#   COURSE_BENCH=/path      use this binary instead of building one
#   PYTHON=python3          the Python that has torch and numpy
set -euo pipefail
cd "$(dirname "$0")/.."

reps="${1:-5}"
threads="${BENCH_THREADS:-1}"
out="${BENCH_OUT:-output/bench}"
mkdir -p "$out"

if [[ -n "${COURSE_BENCH:-}" ]]; then
  bin="$COURSE_BENCH"
else
  # shellcheck disable=SC2086  # BENCH_BAZEL_FLAGS: words
  bazel build --config=bench ${BENCH_BAZEL_FLAGS:-} //bench:course_bench
  # shellcheck disable=SC2086
  bin="$(bazel info --config=bench ${BENCH_BAZEL_FLAGS:-} bazel-bin)/bench/course_bench"
fi

python="${PYTHON:-python3}"
if ! "$python" -c "import torch, numpy" 2>/dev/null &&
  /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  python=/usr/bin/python3
fi

ours=()
for t in $threads; do
  label="${t}t"
  echo "ours, OMP_NUM_THREADS=$t, $reps repetitions ..." >&2
  OMP_NUM_THREADS="$t" "$bin" --benchmark_repetitions="$reps" \
    --benchmark_report_aggregates_only=true --benchmark_format=json \
    >"$out/ours_$label.json"
  ours+=(--ours "$label=$out/ours_$label.json")
done

anchor="$out/torch_anchor.txt"
rm -f "$anchor"
if "$python" -c "import torch, numpy" 2>/dev/null; then
  echo "PyTorch and numpy, $reps repetitions ..." >&2
  "$python" bench/torch_anchor.py "$reps" >"$anchor"
else
  echo "No PyTorch: sudo apt-get install python3-torch python3-numpy" >&2
fi

"$python" bench/report.py --torch "$anchor" "${ours[@]}" | tee "$out/table.txt"
