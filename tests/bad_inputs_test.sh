#!/usr/bin/env bash
# Bad input to a training program gets a clear error and exit code 2, never a
# crash, a hang or a silent run: flags out of range, a missing, empty or
# unreadable data folder, a non-image among the images, an empty or
# non-UTF-8 corpus, an output folder that cannot be written.
# Each case: the program, its arguments, and words the error must contain.
set -uo pipefail
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
export DL_OUTPUT_DIR="$tmp/output"
failures=0
cases=0

# expect_error <words> <program> <args...>
expect_error() {
  local words="$1" program="$2"
  shift 2
  cases=$((cases + 1))
  local err code
  err=$(timeout 60 "$program" "$@" 2>&1 > /dev/null)
  code=$?
  if [ "$code" -ne 2 ]; then
    echo "FAIL: $program $* exited with $code (expected 2): $err"
    failures=$((failures + 1))
  elif ! grep -qiF -- "$words" <<< "$err"; then
    echo "FAIL: $program $*: the error does not mention '$words': $err"
    failures=$((failures + 1))
  fi
}

# expect_loads <program> <args...>: not an error. The program reads its data
# and trains (exit code 0), or, in exercise mode, reads its data and stops
# at the learner's stubs (exit code 2, "not implemented").
expect_loads() {
  local program="$1"
  shift
  cases=$((cases + 1))
  local err code
  err=$(timeout 60 "$program" "$@" 2>&1 > /dev/null)
  code=$?
  if [ "$code" -eq 0 ]; then
    return
  fi
  if [ "$code" -eq 2 ] && grep -qi "not implemented" <<< "$err"; then
    return
  fi
  echo "FAIL: $program $* exited with $code (expected 0): $err"
  failures=$((failures + 1))
}

# Data folders: missing, empty, with a non-image file, unreadable.
mkdir -p "$tmp/empty" "$tmp/notimage/train/cat" "$tmp/notimage/test/cat"
echo "not a picture" > "$tmp/notimage/train/cat/photo.png"
echo "not a picture" > "$tmp/notimage/test/cat/photo.png"
: > "$tmp/empty_corpus.txt"
printf 'abc\n\xff\xfe\xfd\n' > "$tmp/latin1_corpus.txt"

c1=course1_nn
expect_error "num_iterations" $c1/logistic_regression/train --num_iterations=-5
expect_error "learning_rate" $c1/logistic_regression/train --learning_rate=nan
expect_error "learning_rate" $c1/logistic_regression/train --learning_rate=0
expect_error "/nonexistent" $c1/logistic_regression/train --data_dir=/nonexistent
expect_error "$tmp/empty" $c1/logistic_regression/train --data_dir="$tmp/empty"
expect_error "photo.png" $c1/logistic_regression/train --data_dir="$tmp/notimage"
# A file where the folder should be; a folder without read permission (only
# as a normal user: root reads it anyway).
expect_error "$tmp/empty_corpus.txt" $c1/logistic_regression/train \
  --data_dir="$tmp/empty_corpus.txt"
if [ "$(id -u)" -ne 0 ]; then
  mkdir -p "$tmp/locked/train/cat" "$tmp/locked/test/cat"
  chmod 000 "$tmp/locked/train"
  expect_error "$tmp/locked" $c1/logistic_regression/train --data_dir="$tmp/locked"
  chmod 755 "$tmp/locked/train"
fi
# Pictures of mixed sizes (8x8 to 100x30) and channel counts (grey, grey +
# alpha, RGB, RGBA) are not an error for the programs: each one is resized
# and converted to 64x64 RGB as it is read.
expect_loads $c1/logistic_regression/train \
  --data_dir=tests/testdata/mixed_pictures --num_iterations=5
expect_error "learning_rate" $c1/deep_nn_app/train --learning_rate=-1
expect_error "model" $c1/deep_nn_app/train --model=three_layer
expect_error "/nonexistent" $c1/deep_nn_app/train --data_dir=/nonexistent
expect_error "n_h" $c1/shallow_nn/train --n_h=0
expect_error "num_iterations" $c1/shallow_nn/train --num_iterations=-1
expect_error "batch_size" $c1/linear_regression/train --batch_size=0
expect_error "batch_size" $c1/linear_regression/train --batch_size=100000000
expect_error "lr" $c1/linear_regression/train --lr=nan
expect_error "num_epochs" $c1/linear_regression/train --num_epochs=-1

c2=course2_tuning
expect_error "learning_rate" $c2/initialization/train --learning_rate=inf
expect_error "num_iterations" $c2/initialization/train --num_iterations=-1
expect_error "keep_prob" $c2/regularization/train --keep_prob=0
expect_error "keep_prob" $c2/regularization/train --keep_prob=1.5
expect_error "lambd" $c2/regularization/train --lambd=-1
expect_error "epsilon" $c2/gradient_checking/train --epsilon=0
expect_error "mini_batch_size" $c2/optimization/train --mini_batch_size=0
expect_error "num_epochs" $c2/optimization/train --num_epochs=-1
expect_error "minibatch_size" $c2/batch_norm_softmax/train --minibatch_size=0
expect_error "learning_rate" $c2/batch_norm_softmax/train --learning_rate=nan
expect_error "/nonexistent" $c2/batch_norm_softmax/train --data_dir=/nonexistent
expect_error "k" $c2/model_selection/train --k=1
expect_error "lambd" $c2/model_selection/train --lambd=-1

c3=course3_cnn
expect_error "iou_threshold" $c3/detection_and_style/train --iou_threshold=2
expect_error "max_boxes" $c3/detection_and_style/train --max_boxes=0

expect_error "model" $c3/cnn_app/train --model=vgg
expect_error "signs_learning_rate" $c3/cnn_app/train --signs_learning_rate=nan
expect_error "signs_batch_size" $c3/cnn_app/train --signs_batch_size=0
expect_error "num_epochs" $c3/resnet/train --num_epochs=0
expect_error "learning_rate" $c3/resnet/train --learning_rate=nan
expect_error "n_filters" $c3/unet/train --n_filters=0
expect_error "pictures" $c3/face_recognition/train --pictures=0
expect_error "fine_tune_at" $c3/transfer_learning/train --fine_tune_at=46
expect_error "initial_epochs" $c3/transfer_learning/train --initial_epochs=0
expect_error "test_scenes" $c3/car_detection/train --test_scenes=0
expect_error "score_threshold" $c3/car_detection/train --score_threshold=2
expect_error "num_steps" $c3/style_transfer/train --num_steps=0
expect_error "multiple of 16" $c3/style_transfer/train --size=40
expect_error "total_variation_weight" $c3/style_transfer/train --total_variation_weight=-1
expect_error "learning_rate" $c3/style_transfer/train --learning_rate=nan
expect_error "train_size" $c3/unet/train --train_size=-3
expect_error "drop_after" $c3/resnet/train --drop_after=-1
expect_error "/nonexistent" $c3/resnet/train --data_dir=/nonexistent
expect_error "$tmp/empty" $c3/resnet/train --data_dir="$tmp/empty"
expect_error "photo.png" $c3/resnet/train --data_dir="$tmp/notimage"
expect_error "batch_size" $c3/classic_nets/train --batch_size=0
expect_error "train_size" $c3/classic_nets/train --train_size=5
expect_error "learning_rate" $c3/classic_nets/train --learning_rate=inf

c4=course4_seq
expect_error "beam_width" $c4/seq2seq_attention/train --beam_width=0
expect_error "learning_rate" $c4/seq2seq_attention/train --learning_rate=-1
expect_error "threads" $c4/seq2seq_attention/train --threads=0
expect_error "/nonexistent" $c4/char_lm/train --data=/nonexistent/dinos.txt
expect_error "empty" $c4/char_lm/train --data="$tmp/empty_corpus.txt"
expect_error "latin1_corpus.txt" $c4/char_lm/train --data="$tmp/latin1_corpus.txt"
expect_error "n_a" $c4/char_lm/train --n_a=0
expect_error "num_epochs" $c4/emojify/train --num_epochs=0
expect_error "segments" $c4/jazz/train --segments=0
expect_error "dropout_rate" $c4/trigger_word/train --dropout_rate=1
expect_error "threshold" $c4/trigger_word/train --threshold=0
expect_error "Ty" $c4/jazz/train --Ty=100000
expect_error "learning_rate" $c4/emojify/train --learning_rate=-1
expect_error "n_a" $c4/gru_and_deep_rnn/train --n_a=0
expect_error "window_size" $c4/word_vectors/train --window_size=0
expect_error "num_steps" $c4/transformer/train --num_steps=0
expect_error "task" $c4/transformer/train --task=copy
expect_error "dropout_rate" $c4/transformer/train --dropout_rate=1
expect_error "learning_rate" $c4/word_vectors/train --learning_rate=-0.1
expect_error "learning_rate" $c4/gru_and_deep_rnn/train --learning_rate=nan

# An output folder that cannot be written (a file stands where it should be).
echo "a file" > "$tmp/output_is_a_file"
DL_OUTPUT_DIR="$tmp/output_is_a_file" expect_error "output" $c1/linear_regression/train

if [ "$failures" -gt 0 ]; then
  echo "bad_inputs_test: $failures of $cases cases failed"
  exit 1
fi
echo "bad_inputs_test: all $cases bad inputs gave a clear error (exit code 2) or were read as they should be"
