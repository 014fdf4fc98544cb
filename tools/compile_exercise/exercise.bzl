"""graded_exercise(): compiles a learner's exercise.cc so that a compile error
is a grade, not a failed build, and re-grading after an edit is quick.

  1. A split action (the compile_exercise driver, --split) writes one copy of
     exercise.cc per graded function ("slot"): every line kept in place, the
     other graded functions blanked. Editing one function changes one slot;
     Bazel recompiles only that one (the others are byte for byte the same).
  2. One compile action per slot (the driver again): compiles it with the
     build's own flags and a precompiled header of Eigen and the common
     headers; if it does not compile, compiles it once more with the broken
     function replaced by `return dl::does_not_compile("f");`, and registers
     the error in plain words for the grader (tools/compile_exercise/main.cc).
  3. The objects go into the unit's `:exercise` library (tools/unit.bzl),
     with parts.cc: where each part of exercise.cc starts. Each part is
     numbered from its own first line, so that adding a line to one
     function changes no other slot; the runtime turns the parts' lines back
     into the file's (common/core/source_lines.h).
The learner's exercise.cc is only ever read.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

# Slots per unit: at least the largest number of graded functions in a unit
# (word_vectors has 18). A unit with more shares slots (still correct, less
# incremental).
SLOTS = 20

_CPP_COMPILE = "c++-compile"

def _two_digits(i):
    return ("0" if i < 10 else "") + str(i)

def _compile_command(ctx, cc_toolchain, feature_configuration, compilation_context, source, output, extra_flags):
    variables = cc_common.create_compile_variables(
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        user_compile_flags = ctx.fragments.cpp.copts + ctx.fragments.cpp.cxxopts + ctx.attr.copts + extra_flags,
        source_file = source,
        output_file = output,
        include_directories = compilation_context.includes,
        quote_include_directories = compilation_context.quote_includes,
        system_include_directories = compilation_context.system_includes,
        preprocessor_defines = compilation_context.defines,
        use_pic = True,
    )
    return [cc_common.get_tool_for_action(
        feature_configuration = feature_configuration,
        action_name = _CPP_COMPILE,
    )] + cc_common.get_memory_inefficient_command_line(
        feature_configuration = feature_configuration,
        action_name = _CPP_COMPILE,
        variables = variables,
    ), cc_common.get_environment_variables(
        feature_configuration = feature_configuration,
        action_name = _CPP_COMPILE,
        variables = variables,
    )

def _setup(ctx):
    cc_toolchain = find_cpp_toolchain(ctx)
    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    compilation_context = cc_common.merge_cc_infos(
        cc_infos = [d[CcInfo] for d in ctx.attr.deps],
    ).compilation_context
    return cc_toolchain, feature_configuration, compilation_context

# ---------------------------------------------------------------------------
# The precompiled header: Eigen, the standard library and the common
# headers, compiled once with the same flags as the slots.

def _exercise_pch_impl(ctx):
    cc_toolchain, feature_configuration, compilation_context = _setup(ctx)
    header = ctx.actions.declare_file(ctx.label.name + ".h")
    gch = ctx.actions.declare_file(ctx.label.name + ".h.gch")
    ctx.actions.expand_template(
        template = ctx.file.header,
        output = header,
        substitutions = {},
    )
    command, env = _compile_command(
        ctx,
        cc_toolchain,
        feature_configuration,
        compilation_context,
        ctx.file.header.path,
        gch.path,
        ["-x", "c++-header"],
    )
    ctx.actions.run(
        executable = command[0],
        arguments = command[1:],
        env = env,
        inputs = depset(
            [ctx.file.header],
            transitive = [compilation_context.headers, cc_toolchain.all_files],
        ),
        outputs = [gch],
        mnemonic = "ExercisePch",
        progress_message = "Precompiling the exercises' headers",
    )
    return [DefaultInfo(files = depset([header, gch]))]

exercise_pch = rule(
    implementation = _exercise_pch_impl,
    attrs = {
        "header": attr.label(allow_single_file = [".h"], mandatory = True),
        "deps": attr.label_list(providers = [CcInfo]),
        "copts": attr.string_list(),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    fragments = ["cpp"],
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    incompatible_use_toolchain_transition = True,
)

# ---------------------------------------------------------------------------
# The exercise, slot by slot.

def _graded_exercise_impl(ctx):
    cc_toolchain, feature_configuration, compilation_context = _setup(ctx)
    src = ctx.file.src
    header = ctx.file.header
    prefix = ctx.label.name + "/"
    slot_count = ctx.attr.slots
    slots = [ctx.actions.declare_file(prefix + "slot_" + _two_digits(i) + ".cc") for i in range(slot_count)]

    parts = ctx.actions.declare_file(prefix + "parts.cc")
    split_args = ctx.actions.args()
    split_args.add("--split")
    split_args.add("--source=" + src.path)
    split_args.add("--header=" + header.path)
    split_args.add("--namespace=" + ctx.attr.namespace)
    split_args.add("--compiled=" + parts.path)
    split_args.add("--")
    split_args.add_all(slots)
    ctx.actions.run(
        executable = ctx.executable._driver,
        arguments = [split_args],
        inputs = [src, header],
        outputs = slots + [parts],
        mnemonic = "ExerciseSplit",
        progress_message = "Reading %s" % src.short_path,
    )

    pch_files = ctx.files.pch
    pch_header = [f for f in pch_files if f.path.endswith(".h")]
    pch_flags = ["-include", pch_header[0].path] if pch_header else []
    log_name = src.basename[:-len(".cc")] + ".compiler.txt"
    shown = "bazel-bin/%s/%s" % (ctx.label.package, log_name)
    objects = []
    logs = []
    for i in range(slot_count):
        compiled = ctx.actions.declare_file(prefix + "slot_" + _two_digits(i) + ".compiled.cc")
        obj = ctx.actions.declare_file(prefix + "slot_" + _two_digits(i) + ".pic.o")
        log = ctx.actions.declare_file(prefix + "slot_" + _two_digits(i) + ".compiler.txt")
        command, env = _compile_command(
            ctx,
            cc_toolchain,
            feature_configuration,
            compilation_context,
            compiled.path,
            obj.path,
            pch_flags,
        )
        args = ctx.actions.args()
        args.add("--source=" + src.path)
        args.add("--slot=" + slots[i].path)
        args.add("--slot_index=%d" % i)
        args.add("--slots=%d" % slot_count)
        args.add("--header=" + header.path)
        args.add("--namespace=" + ctx.attr.namespace)
        args.add("--compiled=" + compiled.path)
        args.add("--compiler_output=" + log.path)
        args.add("--shown_output=" + shown)
        args.add("--")
        args.add_all(command)
        ctx.actions.run(
            executable = ctx.executable._driver,
            arguments = [args],
            env = env,
            inputs = depset(
                [slots[i], header] + pch_files,
                transitive = [compilation_context.headers, cc_toolchain.all_files],
            ),
            outputs = [compiled, obj, log],
            mnemonic = "ExerciseCompile",
            progress_message = "Compiling %s (part %d)" % (src.short_path, i + 1),
        )
        objects.append(obj)
        logs.append(log)

    # The compiler's whole text, every slot's, in one file.
    merged = ctx.actions.declare_file(log_name)
    merge_args = ctx.actions.args()
    merge_args.add("--merge")
    merge_args.add("--source=" + src.path)
    merge_args.add("--slot=" + parts.path)
    merge_args.add("--compiler_output=" + merged.path)
    merge_args.add("--")
    merge_args.add_all(logs)
    ctx.actions.run(
        executable = ctx.executable._driver,
        arguments = [merge_args],
        inputs = logs + [parts],
        outputs = [merged],
        mnemonic = "ExerciseLog",
        progress_message = "Collecting the compiler's messages",
    )

    # The objects, and parts.cc (compiled by the unit's cc_library).
    return [
        DefaultInfo(files = depset(objects + [parts])),
        OutputGroupInfo(compiler_output = depset([merged])),
    ]

graded_exercise = rule(
    implementation = _graded_exercise_impl,
    attrs = {
        "src": attr.label(allow_single_file = [".cc"], mandatory = True),
        "header": attr.label(allow_single_file = [".h"], mandatory = True),
        "namespace": attr.string(mandatory = True),
        "deps": attr.label_list(providers = [CcInfo]),
        "copts": attr.string_list(),
        "pch": attr.label(default = "//tools/compile_exercise:exercise_pch"),
        # At least the number of graded functions (see SLOTS).
        "slots": attr.int(default = SLOTS),
        "_driver": attr.label(
            default = "//tools/compile_exercise:compile_exercise",
            executable = True,
            cfg = "exec",
        ),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    fragments = ["cpp"],
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    incompatible_use_toolchain_transition = True,
)
