#!/usr/bin/env python3
"""Peak memory and time of every training application (issue 7).

Builds every `train` program with the reference solution, runs each one
with its README's default flags (one after the other: the figures are not
disturbed by another run) and prints a table: program, wall time, CPU time
(all threads), peak resident memory, and the size of the data set as the
program holds it in memory, where it is more than a few kilobytes.

    bench/peak_memory.py                 # every program, about 8 minutes
    bench/peak_memory.py cnn_app resnet  # only these

The pictures and what each program printed go to a temporary folder (its
path is printed at the end), not to output/. The peak is the
kernel's "maximum resident set size" of the process (os.wait4), so it
includes the program's code and libraries (about 10 MB).
"""

import os
import subprocess
import sys
import tempfile
import time

# (package, extra flags, data set as the program holds it, its bytes).
# SIGNS: 1080 + 120 pictures of 64x64x3; the cat pictures: 209 + 50.
SIGNS = 1200 * 64 * 64 * 3
CATS = 259 * 64 * 64 * 3
APPS = [
    ("course1_nn/linear_regression", [], "", 0),
    ("course1_nn/logistic_regression", [], "cats, float64", CATS * 8),
    ("course1_nn/shallow_nn", [], "", 0),
    ("course1_nn/deep_nn_app", [], "cats, float64", CATS * 8),
    ("course2_tuning/initialization", [], "", 0),
    ("course2_tuning/regularization", [], "", 0),
    ("course2_tuning/gradient_checking", [], "", 0),
    ("course2_tuning/optimization", [], "", 0),
    ("course2_tuning/batch_norm_softmax", [], "SIGNS, float64", SIGNS * 8),
    ("course2_tuning/model_selection", [], "", 0),
    ("course3_cnn/cnn_app", [], "SIGNS + 750 faces, float32",
     (SIGNS + 750 * 64 * 64 * 3) * 4),
    ("course3_cnn/classic_nets", [], "7000 digits 32x32, float32",
     7000 * 32 * 32 * 4),
    ("course3_cnn/resnet", [], "SIGNS, float32", SIGNS * 4),
    ("course3_cnn/transfer_learning", [], "640 pictures 32 x 32, float32",
     640 * 32 * 32 * 3 * 4),
    ("course3_cnn/unet", [], "500 scenes 48 x 64, float32",
     500 * 48 * 64 * 3 * 4),
    ("course3_cnn/face_recognition", [], "", 0),
    ("course3_cnn/car_detection", [], "2000 scenes 64 x 64, float32",
     2000 * 64 * 64 * 3 * 4),
    ("course3_cnn/style_transfer", [], "", 0),
    ("course3_cnn/detection_and_style", [], "", 0),
    ("course4_seq/char_lm", [], "", 0),
    ("course4_seq/gru_and_deep_rnn", [], "", 0),
    ("course4_seq/jazz", [], "", 0),
    ("course4_seq/word_vectors", [], "", 0),
    ("course4_seq/emojify", [], "", 0),
    ("course4_seq/seq2seq_attention", [], "", 0),
    ("course4_seq/trigger_word", [], "120 spectrograms 5511 x 101, float32",
     120 * 5511 * 101 * 4),
    ("course4_seq/transformer", [], "", 0),
]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    wanted = sys.argv[1:]
    apps = [a for a in APPS
            if not wanted or os.path.basename(a[0]) in wanted]
    if not apps:
        sys.exit("peak_memory.py: no program named " + " ".join(wanted))
    targets = ["//%s:train" % a[0] for a in apps]
    subprocess.run(["bazel", "build", "--config=reference"] + targets,
                   check=True)
    bazel_bin = subprocess.run(
        ["bazel", "info", "--config=reference", "bazel-bin"], check=True,
        capture_output=True, text=True).stdout.strip()
    out = tempfile.mkdtemp(prefix="peak_memory_")
    env = dict(os.environ, BUILD_WORKSPACE_DIRECTORY=root,
               DL_OUTPUT_DIR=out)
    rows = []
    for package, flags, data, data_bytes in apps:
        program = os.path.join(bazel_bin, package, "train")
        start = time.monotonic()
        log_path = os.path.join(out, package.replace("/", "_") + ".log")
        with open(log_path, "w") as log:
            child = subprocess.Popen([program] + flags, env=env, stdout=log,
                                     stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - start
        code = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        peak_mb = usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
        data_mb = data_bytes / 2**20
        rows.append((package, wall, cpu, peak_mb, data, data_mb, code))
        print("%-36s %6.1f s %6.1f s CPU %7.1f MB%s" %
              (package, wall, cpu, peak_mb,
               "" if code == 0 else "  (exit code %d)" % code),
              file=sys.stderr, flush=True)
    print()
    print("| program | wall (s) | CPU (s) | peak memory (MB) | data set in "
          "memory (MB) | peak / data |")
    print("|---|---:|---:|---:|---|---:|")
    failed = 0
    for package, wall, cpu, peak_mb, data, data_mb, code in rows:
        ratio = "%.1f" % (peak_mb / data_mb) if data_mb else ""
        note = "" if code == 0 else " (exit code %d)" % code
        failed += code != 0
        print("| %s%s | %.1f | %.1f | %.0f | %s | %s |" %
              (package, note, wall, cpu, peak_mb,
               "%.0f (%s)" % (data_mb, data) if data_mb else "< 1", ratio))
    load = os.getloadavg()[0]
    print("\nload average at the end: %.2f" % load)
    print("what each program printed: %s/<course>_<unit>.log" % out)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
