#!/usr/bin/env bash
# reset never loses a learner's work: the backup holds the learner's file,
# exercise.cc holds the committed stubs, a second reset makes no new backup,
# and two resets in the same second keep both backups.
set -euo pipefail
reset="$PWD/tools/reset.sh"
repo="${TEST_TMPDIR:-$(mktemp -d)}/repo"
rm -rf "$repo" && mkdir -p "$repo/course1_nn/unit"
cd "$repo"
git init -q . && git config user.email t@t && git config user.name t
printf 'stub\n' > course1_nn/unit/exercise.cc
git add . && git commit -qm stubs

printf 'my work 1\n' > course1_nn/unit/exercise.cc
BUILD_WORKSPACE_DIRECTORY="$repo" "$reset" course1_nn/unit > /dev/null
[ "$(cat course1_nn/unit/exercise.cc)" = stub ] || { echo "FAIL: not restored"; exit 1; }
[ "$(cat course1_nn/unit/exercise.cc.*.bak)" = "my work 1" ] || { echo "FAIL: backup"; exit 1; }

BUILD_WORKSPACE_DIRECTORY="$repo" "$reset" course1_nn/unit | grep -q "nothing to do" || { echo "FAIL: second reset"; exit 1; }
[ "$(ls course1_nn/unit/*.bak | wc -l)" -eq 1 ] || { echo "FAIL: extra backup"; exit 1; }

printf 'my work 2\n' > course1_nn/unit/exercise.cc
BUILD_WORKSPACE_DIRECTORY="$repo" "$reset" course1_nn/unit > /dev/null
printf 'my work 3\n' > course1_nn/unit/exercise.cc
BUILD_WORKSPACE_DIRECTORY="$repo" "$reset" course1_nn/unit > /dev/null
for w in "my work 1" "my work 2" "my work 3"; do
  grep -lx "$w" course1_nn/unit/*.bak > /dev/null || { echo "FAIL: lost '$w'"; exit 1; }
done

if BUILD_WORKSPACE_DIRECTORY="$repo" "$reset" course1_nn/nothing 2>/dev/null; then
  echo "FAIL: a missing unit must be an error"; exit 1
fi
echo "reset_test: passed"
