#!/usr/bin/env bash
# Sets up a Debian 12 machine for dlcourse-cpp. Idempotent: run it again at
# any time. Works as root or as a user with sudo.
#
#   ./setup.sh
#
# Installs from Debian: Bazel 4.2.3 (bazel-bootstrap), Eigen, OpenBLAS (the
# matrix products under Eigen; see common/core/blas.h), oneDNN (the float32
# convolutions; common/nn/onednn_conv.h), libsmf and libsndfile (MIDI and
# WAV files of course4_seq/jazz and trigger_word), espeak-ng (the speech
# synthesizer of course4_seq/trigger_word), Abseil,
# GoogleTest/GoogleMock, stb, Google Benchmark, clang-format, npm; and
# buildifier (the BUILD-file formatter) from npm. After this, the build needs
# no network at all.
set -euo pipefail

packages=(
  bazel-bootstrap
  libeigen3-dev
  libopenblas-dev
  libopenblas0-pthread
  libopenblas-pthread-dev
  libdnnl-dev
  libsmf-dev
  libsndfile1-dev
  espeak-ng
  libabsl-dev
  libgtest-dev
  libgmock-dev
  libstb-dev
  libbenchmark-dev
  clang-format
  g++
  inotify-tools
  clang
  libclang-rt-14-dev
)
# npm installs buildifier; take Debian's only if the machine has none (a
# Node.js from elsewhere brings its own npm, which Debian's would clash with).
command -v npm >/dev/null 2>&1 || packages+=(npm)
buildifier_version=8.2.1

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup.sh: run as root, or install sudo." >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  "${as_root[@]}" apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup.sh: Debian packages already installed."
fi

if command -v buildifier >/dev/null 2>&1; then
  echo "setup.sh: buildifier already installed ($(command -v buildifier))."
else
  echo "setup.sh: installing buildifier $buildifier_version from npm"
  "${as_root[@]}" npm install -g --no-fund --no-audit "@bazel/buildifier@$buildifier_version"
fi

echo "setup.sh: done. Next: bazel test --config=reference //..."
