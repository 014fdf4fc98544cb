"""fixture_grader(): grades one file of mistakes/ as the fixture unit's
exercise.cc, through the same path as a course unit (graded_exercise)."""

load("//tools/compile_exercise:exercise.bzl", "graded_exercise")

def fixture_grader(name):
    """Declares :<mistake>_grader, the fixture's grading program for it.

    Args:
      name: the mistake: the name of a file in mistakes/, without ".cc".
    """
    mistake = name
    graded_exercise(
        name = mistake + "_objects",
        testonly = True,
        src = "mistakes/" + mistake + ".cc",
        header = "fixture.h",
        namespace = "fixture",
        copts = ["-g1"],
        slots = 5,
        deps = [
            ":api",
            "//common/grading:not_implemented",
        ],
    )
    native.cc_library(
        name = mistake + "_exercise",
        testonly = True,
        srcs = [":" + mistake + "_objects"],
        alwayslink = True,
        deps = [
            ":api",
            "//common/grading:not_implemented",
            "//common/core:source_lines",
        ],
    )

    # A program, not a test: most of them fail on purpose.
    native.cc_binary(
        name = mistake + "_grader",
        testonly = True,
        srcs = ["fixture_test.cc"],
        deps = [
            ":api",
            ":reference",
            ":" + mistake + "_exercise",
            "//common/grading:grading",
            "//common/grading:grading_main",
        ],
    )
