#!/usr/bin/env bash
# The repository's maintainer check (in the spirit of `rustlings dev check`):
#   1. every unit folder (course*/<unit>/ with a BUILD) has its parts:
#      <unit>.h, exercise.cc, reference.cc, <unit>_test.cc, README.md, hints.md;
#   2. every graded function (the header's `namespace reference` list) has a
#      stub in exercise.cc that calls not_implemented("<name>") under a
#      `// TODO:`, a definition in reference.cc, a check in the grading
#      test (Call("<name>", ...)) and staged hints in hints.md (tools/hint.cc);
#   3. only common/core/eigen.h includes Eigen's headers (it makes Eigen's checks
#      throw instead of abort, which only works if it comes first).
# It reads the source tree itself (found through this script's runfile), so
# it is tagged "external": Bazel never caches its result.
set -euo pipefail

script="$0"
[ -L "$script" ] && script=$(readlink -f "$script")
root=$(cd "$(dirname "$script")/.." && pwd)
[ -f "$root/WORKSPACE" ] || { echo "repo_check: cannot find the workspace from $0"; exit 2; }
cd "$root"

problems=()
problem() { problems+=("$*"); }

units=$(find course1_nn course2_tuning course3_cnn course4_seq -mindepth 2 -maxdepth 2 -name BUILD 2>/dev/null | sort | xargs -r -n1 dirname)
count=0
for unit in $units; do
  count=$((count + 1))
  name=$(basename "$unit")
  for part in "$name.h" exercise.cc reference.cc "${name}_test.cc" README.md hints.md; do
    [ -f "$unit/$part" ] || problem "$unit has no $part"
  done
  [ -f "$unit/$name.h" ] || continue
  # The graded functions: `decltype(<ns>::f) f;` lines in the header.
  functions=$(sed -n 's/^decltype([a-z_0-9]*::\([A-Za-z_0-9]*\)) \1;$/\1/p' "$unit/$name.h")
  [ -n "$functions" ] || problem "$unit/$name.h declares no graded functions (namespace reference { decltype(...) f; })"
  for f in $functions; do
    grep -q "not_implemented<.*>(\"$f\")" "$unit/exercise.cc" 2>/dev/null ||
      problem "$unit/exercise.cc: no stub for $f (return dl::not_implemented<T>(\"$f\"))"
    grep -qE "^[A-Za-z].*[ :*&]$f\(" "$unit/reference.cc" 2>/dev/null ||
      problem "$unit/reference.cc: no definition of $f"
    grep -q "Call(\"$f\"" "$unit/${name}_test.cc" 2>/dev/null ||
      problem "$unit/${name}_test.cc: no check calls $f (Call(\"$f\", ...))"
    # hints.md: a "## f" section with at least two numbered hints.
    hints=$(awk -v f="## $f" '$0 == f { on = 1; next } /^## / { on = 0 } on && /^[0-9]+\. / { n++ } END { print n + 0 }' "$unit/hints.md" 2>/dev/null || echo 0)
    [ "$hints" -ge 2 ] || problem "$unit/hints.md: $f needs at least two hints (## $f, then 1. ..., 2. ...)"
  done
  stubs=$(grep -c "not_implemented<" "$unit/exercise.cc" 2>/dev/null || true)
  todos=$(grep -c "// TODO" "$unit/exercise.cc" 2>/dev/null || true)
  [ "${todos:-0}" -ge "${stubs:-0}" ] || problem "$unit/exercise.cc: $stubs stubs but only $todos '// TODO' comments"
done

while IFS= read -r file; do
  [ "$file" = "common/core/eigen.h" ] && continue
  # The FFT module, included after eigen.h (dl::PowerSpectrum).
  [ "$file" = "common/core/fft.cc" ] && continue
  problem "$file includes Eigen directly: include \"common/core/eigen.h\" instead"
done < <(grep -rlE '#include [<"](Eigen/|unsupported/Eigen/)' --include='*.h' --include='*.cc' common course* tools tests bench 2>/dev/null || true)

if [ ${#problems[@]} -gt 0 ]; then
  echo "repo_check: ${#problems[@]} problem(s) in $count units:"
  printf '  - %s\n' "${problems[@]}"
  exit 1
fi
echo "repo_check: $count units, all with their parts; every graded function has a stub, a reference and a check."
