"""Import time of ``from brianc import *`` next to ``import numpy``, in
fresh processes whose runs alternate, so that machine load hits them alike.

    python benchmarks/bench_import.py [--repeat 15] [TREE ...]

Each TREE is a source tree holding a built brianc (default: this one).
Bytecode caching is on (as for a user), whatever PYTHONDONTWRITEBYTECODE
says.  Prints the median CPU time of each import (measured inside the
process, interpreter start-up excluded; CPU rather than wall time, which
the machine's load inflates), its minimum, the median wall time, brianc's
ratio to NumPy's, and the CPU time brianc adds to NumPy; also checks that
matplotlib stayed unloaded.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYCACHE = os.path.join(tempfile.gettempdir(), "brianc-bench-import-pycache")

PROBE = """
import sys, time
t0, c0 = time.perf_counter(), time.process_time()
{statement}
t1, c1 = time.perf_counter(), time.process_time()
print(t1 - t0, c1 - c0, int('matplotlib' in sys.modules))
"""


def measure(statement: str, tree: Path) -> tuple[float, float, bool]:
    # Users' imports read cached bytecode: allow writing it (a warm-up run
    # below writes it), whatever this shell says, into a folder of its own
    # so that no source tree is written to.
    env = dict(os.environ, PYTHONPATH=str(tree),
               PYTHONPYCACHEPREFIX=PYCACHE)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, "-c",
                          PROBE.format(statement=statement)],
                         cwd=tree, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return float(out[0]), float(out[1]), out[2] == "1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT])
    args = parser.parse_args()
    cases = [("numpy", "import numpy", ROOT)] + [
        (f"brianc {tree}", "from brianc import *", tree)
        for tree in args.trees]
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    matplotlib = False
    for _, statement, tree in cases:
        measure(statement, tree)        # warm-up: bytecode written
    for rep in range(args.repeat):
        for name, statement, tree in (cases if rep % 2 else cases[::-1]):
            seconds, cpu_seconds, loaded = measure(statement, tree)
            times[name].append(seconds)
            cpu[name].append(cpu_seconds)
            matplotlib |= loaded and statement.startswith("from brianc")
    numpy_median = statistics.median(cpu["numpy"])
    for name, _, _ in cases:
        median = statistics.median(cpu[name])
        print(f"{name:40s} CPU median {median * 1e3:6.1f} ms "
              f"(min {min(cpu[name]) * 1e3:6.1f}), wall median "
              f"{statistics.median(times[name]) * 1e3:6.1f} ms  "
              f"({median / numpy_median:4.2f} x numpy, "
              f"+{(median - numpy_median) * 1e3:5.1f} ms)")
    print("matplotlib loaded by brianc:", matplotlib)


if __name__ == "__main__":
    main()
