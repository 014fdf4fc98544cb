#!/usr/bin/env bash
# Grades each file of mistakes/ (built through the real compile path, see
# BUILD) and checks what a learner would read: the broken function graded
# DOES NOT COMPILE with its line, the explanation of the mistake's family,
# the other functions graded as usual, short output without Eigen's types;
# and that compiling never changes the learner's file.
set -uo pipefail

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# check <mistake> <expected exit code> <pattern>...: every pattern (a grep
# -E regular expression) must be in the grader's output.
check() {
  local mistake=$1 want=$2
  shift 2
  local out rc
  out=$(tests/compile_errors/${mistake}_grader 2>&1)
  rc=$?
  [ "$rc" -eq "$want" ] || fail "$mistake: exit code $rc, expected $want"
  for pattern in "$@"; do
    grep -qE -- "$pattern" <<< "$out" || fail "$mistake: no /$pattern/ in:
$out"
  done
  # Eigen's own type names never reach the learner (the name of the header
  # where its check failed, e.g. CwiseBinaryOp.h, may).
  if grep -qE 'Eigen::|internal::|CwiseBinaryOp<|aka ' <<< "$out"; then
    fail "$mistake: Eigen's types in the output:
$out"
  fi
  # At most about eight lines per broken function, and short overall.
  local longest
  longest=$(awk '/^\[(DOES NOT COMPILE|NOT GRADED)\]/ {n = 0; inside = 1; next}
                 inside && /^    / {n++; if (n > max) max = n; next}
                 {inside = 0}
                 END {print max + 0}' <<< "$out")
  [ "$longest" -le 9 ] || fail "$mistake: a message of $longest lines"
  [ "${#out}" -le 2600 ] || fail "$mistake: ${#out} bytes of output"
  echo "$mistake: ${#out} bytes, exit $rc"
}

fixture=tests/compile_errors/mistakes
check none 0 "5 of 5 functions pass"
check exp_on_matrix 1 \
  "^\[DOES NOT COMPILE\] sigmoid, at $fixture/exp_on_matrix.cc:9:31" \
  "^ +9 \|   return 1.0 / \(1.0 \+ \(-z\).exp\(\)\);" \
  "MATRIX function, not numpy's entry-by-entry np.exp" \
  "sigmoid +DOES NOT COMPILE +exp_on_matrix.cc:9" \
  "initialize_with_zeros +PASS" "total +PASS" "update +PASS" "cost +PASS" \
  "4 of 5 functions pass" "Next: make sigmoid compile"
check number_over_matrix 1 "sigmoid, at $fixture/number_over_matrix.cc:9" \
  "operand types are ‘double’ and ‘const Matrix expression’" \
  "A number / a Matrix is an entry-by-entry operation" "cost +PASS"
check np_exp 1 "‘np’ was not declared" "There is no numpy in C\+\+"
check std_exp_matrix 1 "std::exp works on one number"
check vector_zero 1 "initialize_with_zeros, at $fixture/vector_zero.cc:14" \
  "Matrix::Zero\(n, 1\)" "sigmoid +PASS"
check missing_semicolon 1 "initialize_with_zeros, at $fixture/missing_semicolon.cc" \
  "^ +15 \|   p.b = 0$" "A ; is missing"
check python_true 1 "C\+\+ writes true and false"
check tensor_sum 1 "total, at $fixture/tensor_sum.cc:20" \
  "Tensor<0> s = t.sum\(\); double x = s\(\);"
check const_argument 1 "update, at $fixture/const_argument.cc:26" \
  "‘parameters.w’ is read-only" "Work on a copy"
check numpy_shape 1 ".shape is numpy's; in Eigen: x.rows\(\) and x.cols\(\)"
check numpy_T 1 ".T is numpy's; in Eigen: x.transpose\(\)"
check array_times_matrix 1 "An Array and a Matrix in one expression"
check matrix_as_number 1 "A Matrix is not a number, even a 1x1 one"
check dot_on_matrix 1 "a.dot\(b\) is for vectors"
check power_operator 1 "C\+\+ has no \*\* power"
check python_loop 1 "for \(int i = 0; i < n; \+\+i\)"
# Errors outside a graded function: one message naming the line; what it
# blocks is NOT GRADED, the rest graded as usual.
check missing_brace 1 "^\[DOES NOT COMPILE\] update, at $fixture/missing_brace.cc:24" \
  "A \{ has no matching \} in update" "Probably this one:" \
  "^ +27 \|   if \(learning_rate > 0\) \{" "cost +PASS" "sigmoid +PASS"
check broken_helper 1 \
  "^\[DOES NOT COMPILE\] $fixture/broken_helper.cc:31:51" \
  "Your helper examples does not compile" \
  "it uses your helper examples \($fixture/broken_helper.cc:31\)" \
  "cost +NOT GRADED" "update +PASS"
check bad_include 1 "^\[DOES NOT COMPILE\] $fixture/bad_include.cc:3:10" \
  "^ +3 \| #include <numpy>" "names a file that does not exist" \
  "sigmoid +PASS" "does not compile as written"
check old_include 1 "^\[DOES NOT COMPILE\] $fixture/old_include.cc:4:10" \
  "#include \"common/grading/not_implemented.h\"" "sigmoid +PASS"
check wrong_signature 1 "total, at $fixture/wrong_signature.cc:19" \
  "differs from the header's declaration" "double total\(const Tensor<3>& t\)"
check deleted_function 1 "total is not in $fixture/deleted_function.cc" \
  "double total\(const Tensor<3>& t\)" "cost +PASS"

# A mistake that compiles: a standard-library exception names its line.
check runtime_vector_at 1 \
  "total threw std::out_of_range at $fixture/runtime_vector_at.cc:25: vector::_M_range_check" \
  "An index past the end of a std::vector or std::string \(.at\(i\) needs 0 <= i < size\(\)\): index 5, size 3" \
  "total +FAIL" "cost +PASS"

check runtime_bias_reset 1 \
  "^    update: b must stay as it was \(3\), got 0$" "update +FAIL"
if tests/compile_errors/runtime_bias_reset_grader 2>&1 | grep -qE "Value of:|Expected: true"; then
  fail "runtime_bias_reset: Google Test's own wording in the output"
fi
check runtime_shape_error 1 \
  "cost: shape error inside the function, at $fixture/runtime_shape_error.cc:36: a matrix product" \
  "cost +FAIL" "total +PASS"
# A given function called with a wrong shape: the learner's line first.
check runtime_given_shape_error 1 \
  "cost: shape error inside the function, at $fixture/runtime_given_shape_error.cc:35, in a call that failed at tests/compile_errors/reference.cc:33: an elementwise operation" \
  "cost +FAIL" "total +PASS"

# The learner's file is only read: compile a read-only copy through the
# driver (split, then one part) and compare it byte for byte.
root=$(dirname "$(dirname "$(dirname "$(readlink -f tests/compile_errors/fixture.h)")")")
work=${TEST_TMPDIR:-$(mktemp -d)}/readonly
mkdir -p "$work/u"
cp "$fixture/exp_on_matrix.cc" "$work/u/exercise.cc"
chmod 0444 "$work/u/exercise.cc"
before=$(sha256sum < "$work/u/exercise.cc"; stat -c %Y "$work/u/exercise.cc")
driver=tools/compile_exercise/compile_exercise
(
  cd "$work" &&
    "$OLDPWD/$driver" --split --source=u/exercise.cc \
      --header="$root/tests/compile_errors/fixture.h" --namespace=fixture \
      --compiled=parts.cc -- s0.cc s1.cc s2.cc s3.cc s4.cc &&
    "$OLDPWD/$driver" --source=u/exercise.cc --slot=s0.cc --slot_index=0 \
      --slots=5 --header="$root/tests/compile_errors/fixture.h" \
      --namespace=fixture --compiled=c0.cc --compiler_output=log0.txt -- \
      g++ -std=c++17 -O0 -I"$root" -isystem /usr/include/eigen3 -c c0.cc -o s0.o
) || fail "the driver failed on a read-only exercise.cc"
after=$(sha256sum < "$work/u/exercise.cc"; stat -c %Y "$work/u/exercise.cc")
[ "$before" = "$after" ] || fail "exercise.cc changed while it was compiled"
grep -q "does_not_compile(\"sigmoid\")" "$work/c0.cc" ||
  fail "the compiled copy has no stand-in for sigmoid"
[ -s "$work/s0.o" ] || fail "no object file for the part with sigmoid"

if [ "$failures" -gt 0 ]; then
  echo "$failures failed"
  exit 1
fi
echo "All compile-error checks pass."
