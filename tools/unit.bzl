"""course_unit(): the same five targets in every course unit.

A unit folder holds <unit>.h (the API), exercise.cc (the learner's stubs),
reference.cc (our solution, in namespace <unit>::reference), <unit>_test.cc
(the grader) and README.md. This macro declares:

  :api        the header
  :exercise   exercise.cc: what `bazel test` grades
  :reference  reference.cc: what `bazel test --config=reference` grades
  :<unit>_test  the grading test. It always links the reference (the seeded
              comparisons need it) and, in the default mode, the exercise.
              In reference mode it is compiled with DL_GRADE_REFERENCE, and
              the test grades the reference's functions instead.

A learner's exercise.cc goes through tools/compile_exercise (exercise.bzl):
compiled function by function, so that a function that does not compile is
graded DOES NOT COMPILE while the others are graded as usual, and an edit
recompiles only the function that changed.
"""

load("//tools/compile_exercise:exercise.bzl", "graded_exercise")

# For a unit's other programs (e.g. `:train`): the solution being graded,
# and the define that tells the program which one it is.
def graded_impl():
    return select({
        "//tools:grade_reference": [":reference"],
        "//conditions:default": [":exercise"],
    })

def grade_defines():
    return select({
        "//tools:grade_reference": ["DL_GRADE_REFERENCE"],
        "//conditions:default": [],
    })

# What every training program uses: the unit's API, the stub and
# compile-error messages (common/grading, common/viz:app), the name of the
# solution it runs (//tools:solution) and Abseil's flags.
_APP_DEPS = [
    ":api",
    "//common/grading:not_implemented",
    "//common/viz:app",
    "//tools:solution",
    "@com_google_absl//:flags",
    "@com_google_absl//:status",
]

def course_app(name = "train", deps = [], data = []):
    """A unit's training program: `bazel run //<unit>:train`.

    Built from <name>.cc with the solution being graded (exercise.cc, or
    reference.cc under --config=reference) and DL_GRADE_REFERENCE defined in
    reference mode; visible to tests/ (bad_inputs_test, determinism_test).

    Args:
      name: the program's name; its source is name + ".cc".
      deps: what it uses beyond the unit's API, flags and messages.
      data: files it reads at run time.
    """
    native.cc_binary(
        name = name,
        srcs = [name + ".cc"],
        data = data,
        local_defines = grade_defines(),
        visibility = ["//tests:__pkg__"],
        deps = _APP_DEPS + deps + graded_impl(),
    )

def course_unit(name, srcs = [], deps = [], test_deps = [], test_size = "small", test_data = []):
    """Declares the targets of one course unit.

    Args:
      name: the unit's name; also the header's name (name + ".h").
      srcs: the unit's given code (not graded), e.g. ["given.cc"]: compiled
        with the header into :api.
      deps: libraries both exercise.cc and reference.cc use.
      test_deps: extra libraries the grading test uses.
      test_size: Bazel test size of the grading test.
      test_data: data files the grading test reads.
    """
    native.cc_library(
        name = "api",
        srcs = srcs,
        hdrs = [name + ".h"],
        visibility = ["//visibility:public"],
        deps = ["//common/core:tensor"] + deps,
    )

    # -g1: line tables (with the inlined calls), so that a failed Eigen check
    # names the line of exercise.cc (EigenAssertionError::SourceLine). The
    # generated code is the same. (The same flag as the precompiled header,
    # //tools/compile_exercise:exercise_pch.)
    graded_exercise(
        name = "exercise_objects",
        src = "exercise.cc",
        header = name + ".h",
        namespace = name,
        copts = ["-g1"],
        deps = [
            ":api",
            "//common/grading:not_implemented",
        ] + deps,
    )
    native.cc_library(
        name = "exercise",
        srcs = [":exercise_objects"],
        # parts.cc only registers (nothing calls it): keep it in every
        # program.
        alwayslink = True,
        deps = [
            ":api",
            "//common/grading:not_implemented",
            "//common/core:source_lines",
        ] + deps,
    )

    # The compiler's whole text about exercise.cc:
    # bazel-bin/<unit>/exercise.compiler.txt (the grader names it).
    native.filegroup(
        name = "exercise_compiler_output",
        srcs = [":exercise_objects"],
        output_group = "compiler_output",
    )

    # Public: later units use earlier units' reference solutions as the
    # course's given code (e.g. deep_nn_app uses deep_nn's).
    native.cc_library(
        name = "reference",
        srcs = ["reference.cc"],
        copts = ["-g1"],
        visibility = ["//visibility:public"],
        deps = [":api"] + deps,
    )
    native.cc_test(
        name = name + "_test",
        size = test_size,
        srcs = [name + "_test.cc"],
        data = test_data + select({
            "//tools:grade_reference": [],
            "//conditions:default": [":exercise_compiler_output"],
        }),
        local_defines = grade_defines(),
        deps = [
            ":api",
            ":reference",
            "//common/grading:grading",
            "//common/grading:grading_main",
            "//common/core:random",
        ] + test_deps + select({
            "//tools:grade_reference": [],
            "//conditions:default": [":exercise"],
        }),
    )
