#!/usr/bin/env bash
# bazel run //tools:reset -- course1_nn/logistic_regression
#
# Restores a unit's exercise.cc to the original stubs (the committed version
# in git), after saving your file as exercise.cc.<date-time>.bak next to it.
# Nothing is lost: the backup is written (and checked) before the restore.
set -euo pipefail
cd "${BUILD_WORKSPACE_DIRECTORY:-.}"

unit=${1:-}
unit=${unit#//}
unit=${unit%/}
unit=${unit%/...}
if [ -z "$unit" ] || [ ! -f "$unit/exercise.cc" ]; then
  echo "usage: bazel run //tools:reset -- <unit folder>, e.g. course1_nn/logistic_regression" >&2
  [ -n "$unit" ] && echo "error: $unit/exercise.cc does not exist" >&2
  exit 2
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if ! git show "HEAD:$unit/exercise.cc" > "$tmp" 2>/dev/null; then
  echo "error: git has no committed $unit/exercise.cc to restore" >&2
  exit 2
fi
if cmp -s "$tmp" "$unit/exercise.cc"; then
  echo "$unit/exercise.cc is already the original; nothing to do."
  exit 0
fi
backup="$unit/exercise.cc.$(date +%Y%m%d-%H%M%S).bak"
n=1
while [ -e "$backup" ]; do backup="$unit/exercise.cc.$(date +%Y%m%d-%H%M%S).$n.bak"; n=$((n + 1)); done
cp -p "$unit/exercise.cc" "$backup"
cmp -s "$unit/exercise.cc" "$backup" || { echo "error: could not save $backup; nothing changed" >&2; exit 1; }
cp "$tmp" "$unit/exercise.cc"
echo "Saved your file as $backup"
echo "Restored $unit/exercise.cc to the original stubs."
