// What every exercise.cc includes (through its unit's header), compiled once
// into a precompiled header so that re-grading one function does not parse
// Eigen again (tools/compile_exercise/exercise.bzl). Only a cache: every
// exercise.cc still includes what it uses.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "common/core/tensor.h"
#include "common/grading/not_implemented.h"
