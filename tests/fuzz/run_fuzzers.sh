#!/usr/bin/env bash
# Builds every fuzz target with --config=fuzz and runs each for a bounded time
# on a copy of its committed corpus:   tests/fuzz/run_fuzzers.sh [seconds]
# A crash, a leak, an input slower than 10 s or a run over 2 GB fails it; the
# input is left in /tmp/dlcourse-fuzz/<target>/ (copy it into
# tests/fuzz/corpus/<name>/ to keep it as a regression input).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-30}"
targets=(image image_folder names)
bazel build --config=fuzz $(printf '//tests/fuzz:%s_fuzzer ' "${targets[@]}")
status=0
for t in "${targets[@]}"; do
  work="/tmp/dlcourse-fuzz/$t"
  rm -rf "$work" && mkdir -p "$work/corpus"
  cp tests/fuzz/corpus/"$t"/* "$work/corpus/"
  echo "== fuzzing $t for $seconds s"
  if ! bazel-bin/tests/fuzz/"$t"_fuzzer -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$work/" "$work/corpus" 2> "$work/log"; then
    tail -30 "$work/log"
    echo "FAIL: $t: see $work/"
    status=1
  else
    grep -E "DONE" "$work/log" || tail -2 "$work/log"
  fi
done
exit $status
