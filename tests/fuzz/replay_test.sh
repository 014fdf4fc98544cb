#!/usr/bin/env bash
# Replays a fuzz corpus through a fuzz target built as a replay tool:
#   replay_test.sh <target> <corpus folder>
set -euo pipefail
"$1" "$2"
