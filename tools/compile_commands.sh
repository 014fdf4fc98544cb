#!/usr/bin/env bash
# bazel run //tools:compile_commands
#
# Writes compile_commands.json at the repository's root, so that clangd (and
# VS Code's clangd or C/C++ extension) finds Eigen, Abseil, GoogleTest and the
# project's own headers in every exercise.cc. The flags are the build's
# (.bazelrc): C++17, -O2, the repository root and Eigen on the include path,
# and bazel-bin for the headers the build generates (each unit's graded.h,
# there after a first bazel build or test).
set -euo pipefail
cd "${BUILD_WORKSPACE_DIRECTORY:-.}"
[ -f WORKSPACE ] || { echo "error: run it with bazel run //tools:compile_commands" >&2; exit 2; }
root=$(pwd)
out=compile_commands.json
{
  echo "["
  first=1
  while IFS= read -r file; do
    [ $first -eq 1 ] || echo ","
    first=0
    printf '  {"directory": "%s", "file": "%s", "arguments": ["g++", "-std=c++17", "-O2", "-Wall", "-I%s", "-I%s/bazel-bin", "-I/usr/include/eigen3", "-c", "%s"]}' \
      "$root" "$root/$file" "$root" "$root" "$root/$file"
  done < <(git ls-files '*.cc' 2>/dev/null || find . -name '*.cc' -not -path './bazel-*' | sed 's|^\./||')
  echo
  echo "]"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "Wrote $root/$out ($(grep -c '"file"' "$out") files). Open the repository in an editor with clangd."
