#!/usr/bin/env bash
# Maintainer check of the exercise stubs (run by .ci/run; run it yourself
# before you commit a new unit):
#   - in the default (exercise) mode everything builds: bazel build //...
#   - the library and repository checks pass;
#   - every unit's grading test fails (Bazel exit code 3, "tests failed", not
#     1, "build failed"), and every one of its checks is graded
#     NOT IMPLEMENTED: no crash, no timeout, no stub that already passes.
# Do not run it with exercises you have solved: it expects untouched stubs.
set -uo pipefail
cd "$(dirname "$0")/.."

fail() { echo "check_stubs: $*" >&2; exit 1; }

bazel build //... || fail "bazel build //... failed in the default (exercise) mode"
bazel test //common/... //tests/... || fail "the library or repository checks failed"

bazel test -- //... -//common/... -//tests/...
rc=$?
[ "$rc" -eq 3 ] || fail "expected exit code 3 (grading tests fail on the stubs), got $rc"

logs=$(bazel info bazel-testlogs 2>/dev/null)
problems=0
units=0
for xml in $(find -L "$logs"/course* -path '*_test/test.xml' 2>/dev/null | sort); do
  # Only grading tests (their XML carries grade="..."); a unit's plain
  # library tests (e.g. planar_utils_test) pass in both modes.
  grep -q ' grade="' "$xml" || continue
  units=$((units + 1))
  unit=${xml#"$logs"/}
  unit=${unit%/*/test.xml}
  total=$(grep -c '<testcase ' "$xml")
  stub=$(grep -c 'grade="NOT IMPLEMENTED"' "$xml")
  if [ "$total" -eq 0 ] || [ "$stub" -ne "$total" ]; then
    echo "check_stubs: $unit: $stub of $total checks say NOT IMPLEMENTED; the others:" >&2
    grep '<testcase ' "$xml" | grep -v 'grade="NOT IMPLEMENTED"' | sed 's/^ */    /' >&2
    problems=$((problems + 1))
  fi
done
[ "$units" -gt 0 ] || fail "found no grading results under $logs"
[ "$problems" -eq 0 ] || fail "$problems unit(s) with stubs that do not report NOT IMPLEMENTED"
echo "check_stubs: $units units; every check of every stub reports NOT IMPLEMENTED."
