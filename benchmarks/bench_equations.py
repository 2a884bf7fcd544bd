"""Build time of big models: NeuronGroups of n independent linear
equations (``dv_k/dt = -v_k/tau_k``) and one equation holding a long sum,
each built in a fresh process.

    python benchmarks/bench_equations.py [--repeat 3]
        [--sizes 1000,3000,10000] [--terms 10000] [TREE ...]

Each TREE is a source tree holding a built brianc (default: this one);
with several, their runs alternate so that machine load hits them alike.
Prints per case and tree the median build time (s) of ``NeuronGroup(...)``
and the ratio to the first tree.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def model(case: str) -> str:
    kind, size = case.split(":")
    n = int(size)
    if kind == "equations":
        return "\n".join(f"dv{k}/dt = -v{k}/({k % 50 + 1}*ms) : volt"
                         for k in range(n))
    return ("dv/dt = (" + "+".join(["v"] * n) + f")/(10*ms)/{n} : volt")


def child(case: str) -> None:
    from brianc import NeuronGroup
    eqs = model(case)
    t0 = time.perf_counter()
    NeuronGroup(4, eqs)
    seconds = time.perf_counter() - t0
    print(json.dumps({"s": seconds,
                      "file": sys.modules["brianc"].__file__}))


def run_once(tree: Path, case: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree), BRIANC_PLOTTING="off")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, __file__, "--child", case],
                         env=env, cwd="/tmp", capture_output=True,
                         text=True, check=True)
    result = json.loads(out.stdout.splitlines()[-1])
    if not Path(result["file"]).is_relative_to(tree.resolve()):
        raise RuntimeError(f"{tree} ran the brianc of {result['file']}")
    return result["s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1000,3000,10000",
                        help="numbers of equations, comma-separated")
    parser.add_argument("--terms", type=int, default=10000,
                        help="terms of the long sum (0: none)")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    cases = [f"equations:{n}" for n in args.sizes.split(",") if n]
    if args.terms:
        cases.append(f"sum:{args.terms}")
    for case in cases:
        samples: dict = {tree: [] for tree in args.trees}
        for _ in range(args.repeat):
            for tree in args.trees:
                samples[tree].append(run_once(tree, case))
        base = None
        for tree in args.trees:
            med = statistics.median(samples[tree])
            base = med if base is None else base
            print(f"{case:16s} {str(tree):28s} {med:7.2f} s  "
                  f"x{base / med:5.2f}", flush=True)


if __name__ == "__main__":
    main()
