#!/usr/bin/env bash
# How long a learner waits for a grade after an edit (issue 14).
#
#   bench/regrade.sh [units...]     (default: every unit)
#
# For each unit: its reference solution is written into exercise.cc as a
# whole solution and graded once; then five edits, each adding a line to
# one graded function (the 1st, 2nd, ... in turn), are each graded with
# `bazel test //<unit>/...` and timed (wall clock); then one edit that does
# not compile (a missing ";") is timed the same way. Prints the median of
# the five and the compile error's time per unit.
#
# It edits exercise.cc files, so it runs only when every one of them is the
# committed stub (it refuses otherwise: your work is never touched), and it
# puts the stubs back when it ends, also on Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! git diff --quiet HEAD -- 'course*/*/exercise.cc'; then
  echo "bench/regrade.sh: an exercise.cc differs from the committed stubs;" >&2
  echo "it would be overwritten, so nothing was run." >&2
  exit 2
fi
restore() { git checkout -q HEAD -- $(git ls-files 'course*/*/exercise.cc'); }
trap restore EXIT

if [ $# -gt 0 ]; then
  units=("$@")
else
  mapfile -t units < <(ls -d course*/*/ | sed 's|/$||')
fi

seconds() {  # seconds of wall clock for the command
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f\n", b - a}' 
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

printf '%-36s %10s %10s  %s\n' unit "edit (s)" "error (s)" "the five edits (s)"
for unit in "${units[@]}"; do
  unit=${unit%/}
  name=$(basename "$unit")
  [ -f "$unit/reference.cc" ] || continue
  ex="$unit/exercise.cc"
  # The whole solution: reference.cc without its `namespace reference`.
  sed -e '/^namespace reference {/d' -e '/^}  \/\/ namespace reference/d' \
    "$unit/reference.cc" > "$ex"
  bazel test "//$unit/..." > /dev/null 2>&1
  # The graded functions, in the header's order, and their first lines.
  mapfile -t functions < <(grep -o "decltype($name::[A-Za-z0-9_]*)" \
    "$unit/$name.h" | sed 's/.*:://; s/)//')
  times=()
  for k in 0 1 2 3 4; do
    f=${functions[$((k % ${#functions[@]}))]}
    line=$(grep -nE "^[^ /#].*[ *&]$f\(" "$ex" | head -1 | cut -d: -f1)
    [ -n "$line" ] || continue
    # A line added after the function's first line.
    sed -i "${line}a\\  // edit $k" "$ex"
    times+=("$(seconds bazel test "//$unit/...")")
  done
  edit=$(printf '%s\n' "${times[@]}" | median)
  # A compile error in the first function.
  f=${functions[0]}
  line=$(grep -nE "^[^ /#].*[ *&]$f\(" "$ex" | head -1 | cut -d: -f1)
  sed -i "${line}a\\  int broken = 1" "$ex"
  error=$(seconds bazel test "//$unit/...")
  printf '%-36s %10.2f %10.2f  %s\n' "$unit" "$edit" "$error" "${times[*]}"
  git checkout -q HEAD -- "$ex"
done
