#!/usr/bin/env bash
# bazel run //tools:watch [-- <unit>]
# Re-grades a unit as soon as its exercise.cc is saved, and prints the score
# table. Without an argument it watches every unit's exercise.cc. Stop it
# with Ctrl-C. Uses inotifywait (Debian's inotify-tools) when it is there,
# otherwise checks the files' times once a second.
set -uo pipefail
cd "${BUILD_WORKSPACE_DIRECTORY:-.}" || exit 2
[ -f WORKSPACE ] || { echo "error: run it with: bazel run //tools:watch [-- <unit>]" >&2; exit 2; }

if [ $# -gt 1 ]; then
  echo "usage: bazel run //tools:watch [-- <unit>]" >&2; exit 2
fi
if [ $# -eq 1 ]; then
  unit="${1%/}"; unit="${unit#//}"; unit="${unit%/...}"
  # A bare unit name ("conv_step_by_step") is looked up in the course folders.
  if [ ! -f "$unit/exercise.cc" ]; then
    found=$(ls -d course*/"$unit" 2>/dev/null | head -1)
    [ -n "$found" ] && unit="$found"
  fi
  [ -f "$unit/exercise.cc" ] || { echo "error: no unit '$1' (e.g. course1_nn/logistic_regression)" >&2; exit 2; }
  files=("$unit/exercise.cc")
else
  mapfile -t files < <(ls course*/*/exercise.cc)
fi

grade() {
  local u
  u=$(dirname "$1")
  echo
  echo "== $(date +%H:%M:%S) $1 saved: bazel test //$u/..."
  bazel test --test_output=summary "//$u/..." > /dev/null 2>&1
  local log
  log=$(ls bazel-testlogs/"$u"/*_test/test.log 2>/dev/null | head -1)
  if [ -n "$log" ] && grep -q "^Score" "$log"; then
    # The grade as bazel test shows it: what does not compile, what fails,
    # the score table.
    sed -n '/^Grading/,$p' "$log"
  else
    echo "It does not compile (or the test did not run). The compiler's message:"
    bazel build "//$u/..." 2>&1 | grep -E "error|note" | head -20
  fi
}

stamp() { stat -c '%Y %n' "${files[@]}" 2>/dev/null; }

echo "Watching ${#files[@]} exercise file(s); save one to grade it. Ctrl-C stops."
if command -v inotifywait > /dev/null; then
  # Watch the folders, not the files: editors that save through a new file
  # and a rename would otherwise end the watch.
  mapfile -t dirs < <(printf '%s\n' "${files[@]}" | xargs -n1 dirname)
  while true; do
    changed=$(inotifywait -q -e close_write,moved_to --format '%w%f' "${dirs[@]}" 2>/dev/null) || continue
    changed="${changed#./}"
    [ "$(basename "$changed")" = exercise.cc ] && grade "$changed"
  done
else
  before=$(stamp)
  while sleep 1; do
    now=$(stamp)
    if [ "$now" != "$before" ]; then
      changed=$(diff <(echo "$before") <(echo "$now") | sed -n 's/^> [0-9]* //p' | head -1)
      before="$now"
      [ -n "$changed" ] && grade "$changed"
    fi
  done
fi
