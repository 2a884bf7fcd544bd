"""Declares the brianc._core extension; metadata lives in pyproject.toml."""
import glob
import os

import numpy
from setuptools import Extension, setup

# -ffp-contract=off: a*b+c is never fused behind our back, so every CPU
# clone of a kernel (vmath.h) gives bit-identical results.
cflags = ["-std=c11", "-Wall", "-Wextra", "-fno-math-errno",
          "-fno-trapping-math", "-ffp-contract=off", "-pthread"]
ldflags = ["-pthread"]      # the core's thread pool (thread_pool.c)
# Warnings are errors in development and CI builds only (tools/test.sh and
# .ci/run set BRIANC_WERROR=1): a user's `pip install` must not fail
# because a newer compiler warns about something new.
if os.environ.get("BRIANC_WERROR") == "1":
    cflags.append("-Werror")
if os.environ.get("BRIANC_DEBUG") == "1":
    cflags += ["-O0", "-g", "-UNDEBUG"]
else:
    cflags += ["-O3"]
if os.environ.get("BRIANC_SANITIZE") == "1":
    # AddressSanitizer + UBSan; pytest must then run with libasan preloaded
    # (see the Makefile's asan target).
    san = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer",
           "-fno-sanitize-recover=undefined"]
    cflags += san + ["-g", "-UNDEBUG"]
    ldflags += san
elif os.environ.get("BRIANC_SANITIZE") == "thread":
    # ThreadSanitizer (tools/tsan.sh).  No CPU clones: their ifunc
    # resolvers run before the sanitizer's runtime is up.
    san = ["-fsanitize=thread"]
    cflags += san + ["-g", "-UNDEBUG", "-DBC_NO_CLONES"]
    ldflags += san

sources = sorted(glob.glob("csrc/core/*.c")) + sorted(glob.glob("csrc/py/*.c"))

setup(
    ext_modules=[
        Extension(
            "brianc._core",
            sources=sources,
            include_dirs=[numpy.get_include(), "csrc/core", "csrc/py"],
            extra_compile_args=cflags,
            extra_link_args=ldflags,
            depends=glob.glob("csrc/*/*.h") + glob.glob("csrc/*/*.def"),
        )
    ],
)
