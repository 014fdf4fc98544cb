#!/usr/bin/python3
"""Which BLAS PyTorch and numpy load: the peer must run on an optimised one.

Debian's python3-torch and python3-numpy do their matrix products through
libblas.so.3, which is the unoptimised reference BLAS unless an optimised
one is installed (libopenblas0-pthread switches it to OpenBLAS). Against
the reference BLAS, PyTorch is 4-8 times slower on matrix products: not the
PyTorch a user runs. Prints the libraries and exits 1 when a reference BLAS
is loaded (bench/run.sh then stops, unless BENCH_ALLOW_REFERENCE_BLAS=1).
"""
import sys

import numpy as np
import torch

a = np.ones((64, 64))
a @ a
t = torch.ones(64, 64, dtype=torch.float64)
t @ t
libs = set()
with open("/proc/self/maps") as maps:
    for line in maps:
        path = line.split()[-1] if len(line.split()) >= 6 else ""
        if "blas" in path.lower() or "lapack" in path.lower():
            libs.add(path)
reference = [p for p in libs if "/blas/" in p or "/lapack/" in p]
openblas = [p for p in libs if "openblas" in p.lower()]
print("PyTorch %s and numpy %s load:" % (torch.__version__, np.__version__))
for path in sorted(libs):
    print("  " + path)
if reference:
    print("WARNING: the REFERENCE BLAS (%s) is loaded: PyTorch's matrix "
          "products are 4-8x slower than with an optimised BLAS, so the "
          "comparison would flatter us. Install OpenBLAS:\n"
          "  sudo apt-get install libopenblas0-pthread" % reference[0])
    sys.exit(1)
print("BLAS: %s" % ("OpenBLAS" if openblas else "optimised (not OpenBLAS)"))
