#!/usr/bin/env bash
# The same seed gives the same results: each program runs twice and its
# standard output must be identical, except for timings ("Done in 2.3 s",
# "... s left"). The pictures it writes must be byte-identical too.
# (In exercise mode the programs stop at the stubs; the check is then only
# that they stop the same way.)
set -uo pipefail
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0

strip_times() { sed -E 's/[0-9]+(\.[0-9]+)? ?(s|ms|min)\b/<time>/g'; }

check() {
  local program="$1"
  shift
  # Both runs write to the same folder (the paths they print are equal); the
  # first run's pictures are moved aside before the second.
  local out="$tmp/output" out1="$tmp/run1" out2="$tmp/run2"
  rm -rf "$out" "$out1" "$out2"
  DL_OUTPUT_DIR="$out" "$program" "$@" 2> /dev/null | strip_times > "$tmp/stdout1"
  [ -d "$out" ] && mv "$out" "$out1"
  DL_OUTPUT_DIR="$out" "$program" "$@" 2> /dev/null | strip_times > "$tmp/stdout2"
  [ -d "$out" ] && mv "$out" "$out2"
  if ! diff -q "$tmp/stdout1" "$tmp/stdout2" > /dev/null; then
    echo "FAIL: $program $* printed different results in two runs:"
    diff "$tmp/stdout1" "$tmp/stdout2" | head -10
    failures=$((failures + 1))
  fi
  if [ -d "$out1" ] && ! diff -r "$out1" "$out2" > /dev/null; then
    echo "FAIL: $program $* wrote different pictures in two runs:"
    diff -rq "$out1" "$out2" | head -5
    failures=$((failures + 1))
  fi
}

check course1_nn/shallow_nn/train --num_iterations=2000 --nosweep
check course2_tuning/initialization/train --num_iterations=2000
check course2_tuning/optimization/train --num_epochs=500
check course2_tuning/regularization/train --num_iterations=3000
check course2_tuning/gradient_checking/train
check course2_tuning/model_selection/train
check course3_cnn/detection_and_style/train
check course3_cnn/unet/train --train_size=16 --test_size=8 --num_epochs=1
check course4_seq/char_lm/train --num_iterations=2001
check course4_seq/gru_and_deep_rnn/train --num_iterations=200
check course4_seq/emojify/train --num_epochs=3
check course4_seq/jazz/train --num_epochs=5 --segments=2
# Two threads, each on its share of every mini-batch (in both programs):
# the gradients are summed in a fixed order, so the result does not depend
# on which thread finishes first (it does depend on --threads: README,
# "Threads and determinism").
check course4_seq/seq2seq_attention/train --num_epochs=1 --m=400 \
  --test_size=50 --threads=2
check course4_seq/transformer/train --num_steps=30 --test_size=50 --threads=2
# trigger_word synthesizes its words on its first run, and
# transfer_learning, car_detection and style_transfer train their networks
# (each says so): a first run fills the cache in $tmp/workspace/data, the
# compared runs read it.
export BUILD_WORKSPACE_DIRECTORY="$tmp/workspace"
mkdir -p "$BUILD_WORKSPACE_DIRECTORY"
DL_OUTPUT_DIR="$tmp/warmup" course4_seq/trigger_word/train --train_clips=1 \
  --dev_clips=1 --num_epochs=1 > /dev/null 2>&1
DL_OUTPUT_DIR="$tmp/warmup" course3_cnn/transfer_learning/train \
  --initial_epochs=1 --fine_tune_epochs=0 > /dev/null 2>&1
DL_OUTPUT_DIR="$tmp/warmup" course3_cnn/car_detection/train --test_scenes=1 \
  --pictures=1 > /dev/null 2>&1
DL_OUTPUT_DIR="$tmp/warmup" course3_cnn/style_transfer/train --num_steps=1 \
  --size=32 > /dev/null 2>&1
check course3_cnn/transfer_learning/train --initial_epochs=2 \
  --fine_tune_epochs=1
check course3_cnn/car_detection/train --test_scenes=50 --pictures=4
check course3_cnn/style_transfer/train --num_steps=60 --size=32
check course4_seq/trigger_word/train --train_clips=6 --dev_clips=2 --num_epochs=1

if [ "$failures" -gt 0 ]; then
  echo "determinism_test: $failures failure(s)"
  exit 1
fi
echo "determinism_test: every program gave the same output twice"
