#!/bin/bash
# Our workloads on 1 and 2 threads while another CPU-bound program runs on
# the machine (a shell loop): with 2 threads, no workload should take longer
# than with 1 (README, "Benchmarks": a busy machine).
#
#   bench/busy_machine.sh         9 repetitions (medians)
#   bench/busy_machine.sh 5       5 repetitions
#
# Environment: COURSE_BENCH=/path uses this binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-9}"
if [[ -n "${COURSE_BENCH:-}" ]]; then
  bin="$COURSE_BENCH"
else
  bazel build //bench:course_bench
  bin="$(bazel info bazel-bin)/bench/course_bench"
fi
sh -c 'while :; do :; done' &
busy=$!
trap 'kill $busy 2>/dev/null' EXIT
sleep 1
for t in 1 2; do
  echo "== DL_THREADS=$t, with a busy loop on the machine"
  DL_THREADS="$t" "$bin" --benchmark_repetitions="$reps" \
    --benchmark_report_aggregates_only=true \
    --benchmark_filter='mlp|cnn|conv_fwd|lstm|encoder|eigen_gemm' 2>/dev/null |
    awk '/_median/ { sub("/real_time_median", "", $1); printf "  %-40s %10s ms\n", $1, $2 }'
done
