"""The exercise/reference switch: `bazel test --config=reference //...`."""

def _string_flag_impl(_ctx):
    return []

# A string-valued command-line flag (Bazel 4 has no skylib here).
string_flag = rule(
    implementation = _string_flag_impl,
    build_setting = config.string(flag = True),
)
