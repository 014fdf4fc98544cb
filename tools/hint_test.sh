#!/usr/bin/env bash
# hint shows a function's hints one at a time, remembers how far it got,
# asks which unit when two units share a name, and starts over on --reset.
set -euo pipefail
hint="$PWD/tools/hint"
ws="${TEST_TMPDIR:-$(mktemp -d)}/ws"
rm -rf "$ws" && mkdir -p "$ws/course1_nn/a" "$ws/course3_cnn/b" && touch "$ws/WORKSPACE"
printf '# Hints: a\n\n## sigmoid\n1. first\n   still first\n2. second\n\n## relu\n1. r1\n2. r2\n' > "$ws/course1_nn/a/hints.md"
printf '# Hints: b\n\n## relu\n1. other\n2. other 2\n' > "$ws/course3_cnn/b/hints.md"
run() { BUILD_WORKSPACE_DIRECTORY="$ws" "$hint" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

out=$(run sigmoid);   grep -q "Hint 1 of 2" <<< "$out" && grep -q "still first" <<< "$out" || fail "first hint: $out"
out=$(run sigmoid);   grep -q "Hint 2 of 2" <<< "$out" && grep -q "second" <<< "$out" || fail "second hint: $out"
out=$(run sigmoid);   grep -q "Hint 2 of 2" <<< "$out" && grep -q "last hint" <<< "$out" || fail "stays at the last: $out"
out=$(run relu) && fail "ambiguous name accepted"
grep -q "a:relu" <<< "$out" && grep -q "b:relu" <<< "$out" || fail "ambiguity not explained: $out"
out=$(run b:relu);    grep -q "other" <<< "$out" || fail "unit:function: $out"
out=$(run --all a:relu); grep -q "r1" <<< "$out" && grep -q "r2" <<< "$out" || fail "--all: $out"
run nothing > /dev/null 2>&1 && fail "unknown function accepted"
run --reset > /dev/null
out=$(run sigmoid);   grep -q "Hint 1 of 2" <<< "$out" || fail "--reset: $out"
echo "hint_test: passed"
