#!/bin/bash
# Benchmarks against PyTorch on an optimised BLAS: builds bench:course_bench
# (the default build, as the programs run), runs it on 1 and 2 threads,
# runs bench/torch_anchor.py (PyTorch with 2 threads, and the notebooks'
# numpy loops) right after, and prints the table (bench/report.py): ours,
# the machine's ceiling (OpenBLAS's own product), theirs, ours / theirs.
# It first prints which BLAS PyTorch and numpy load (bench/blas_check.py)
# and stops when it is the unoptimised reference BLAS.
#
#   bench/run.sh            5 repetitions of every workload (medians)
#   bench/run.sh 3          3 repetitions
#
# Environment:
#   BENCH_THREADS="1 2"     DL_THREADS values to run ours with, one column
#                           each (default "1 2")
#   BENCH_ALLOW_REFERENCE_BLAS=1   compare even with a reference BLAS
#   BENCH_BAZEL_FLAGS=...   more build flags
#   BENCH_OUT=output/bench  where the JSON and the anchor's output go
#   COURSE_BENCH=/path      use this binary instead of building one
#   PYTHON=python3          the Python that has torch and numpy
set -euo pipefail
cd "$(dirname "$0")/.."

reps="${1:-5}"
threads="${BENCH_THREADS:-1 2}"
out="${BENCH_OUT:-output/bench}"
mkdir -p "$out"

if [[ -n "${COURSE_BENCH:-}" ]]; then
  bin="$COURSE_BENCH"
else
  # shellcheck disable=SC2086  # BENCH_BAZEL_FLAGS: words
  bazel build ${BENCH_BAZEL_FLAGS:-} //bench:course_bench
  # shellcheck disable=SC2086
  bin="$(bazel info ${BENCH_BAZEL_FLAGS:-} bazel-bin)/bench/course_bench"
fi

python="${PYTHON:-python3}"
if ! "$python" -c "import torch, numpy" 2>/dev/null &&
  /usr/bin/python3 -c "import torch, numpy" 2>/dev/null; then
  python=/usr/bin/python3
fi

have_torch=0
if "$python" -c "import torch, numpy" 2>/dev/null; then
  have_torch=1
  if ! "$python" bench/blas_check.py | tee "$out/blas.txt" >&2; then
    if [[ "${BENCH_ALLOW_REFERENCE_BLAS:-0}" != 1 ]]; then
      echo "bench/run.sh: stopped (BENCH_ALLOW_REFERENCE_BLAS=1 to go on)." >&2
      exit 1
    fi
  fi
fi

ours=()
for t in $threads; do
  label="${t}t"
  echo "ours, DL_THREADS=$t, $reps repetitions ..." >&2
  DL_THREADS="$t" "$bin" --benchmark_repetitions="$reps" \
    --benchmark_report_aggregates_only=true --benchmark_format=json \
    >"$out/ours_$label.json"
  ours+=(--ours "$label=$out/ours_$label.json")
done

anchor="$out/torch_anchor.txt"
rm -f "$anchor"
if [[ "$have_torch" == 1 ]]; then
  echo "PyTorch and numpy, $reps repetitions ..." >&2
  "$python" bench/torch_anchor.py "$reps" >"$anchor"
else
  echo "No PyTorch: sudo apt-get install python3-torch python3-numpy" >&2
fi

{
  [[ -f "$out/blas.txt" ]] && cat "$out/blas.txt" && echo
  "$python" bench/report.py --torch "$anchor" "${ours[@]}"
} | tee "$out/table.txt"
