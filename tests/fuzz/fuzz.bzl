"""fuzz_target(): one fuzz target and the test that replays its corpus."""

def fuzz_target(name, deps, decodes_images = False):
    """Declares :<name>_fuzzer (from <name>_fuzzer.cc) and :<name>_corpus_test.

    Normal builds: <name>_fuzzer is a replay tool (replay_main.cc), and
    <name>_corpus_test replays corpus/<name>/ through it. With
    --config=fuzz it is a libFuzzer fuzzer.

    Args:
      name: the target's name: its source is <name>_fuzzer.cc, its corpus
        corpus/<name>/.
      deps: the code under test.
      decodes_images: with --config=fuzz, compile stb's decoder into the
        fuzzer (stb_image_instrumented.c), so that it is instrumented too.
    """
    fuzz_srcs = ["stb_image_instrumented.c"] if decodes_images else []
    native.cc_binary(
        name = name + "_fuzzer",
        srcs = [name + "_fuzzer.cc"] + select({
            ":fuzzing": fuzz_srcs,
            "//conditions:default": ["replay_main.cc"],
        }),
        linkopts = select({
            ":fuzzing": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = deps,
    )
    native.sh_test(
        name = name + "_corpus_test",
        size = "small",
        srcs = ["replay_test.sh"],
        args = [
            "$(location :%s_fuzzer)" % name,
            "tests/fuzz/corpus/" + name,
        ],
        data = [":%s_fuzzer" % name] + native.glob(["corpus/%s/*" % name]),
    )
