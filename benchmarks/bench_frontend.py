"""Front-end cost of the demos in fresh processes: the time of each
statement that makes an Equations or a NeuronGroup, the first time in a
process (every script is a fresh process, so that is the cost that counts).

    python benchmarks/bench_frontend.py [--repeat 15] [--demos DIR]
        [--only hh_network,...] [TREE ...]

Each TREE is a source tree holding a built brianc (default: this one);
with several, their runs alternate so that machine load hits them alike.
Prints per demo and tree the medians (ms) of Equations(...) and
NeuronGroup(...) statements and of their sum, plus the ratio to the first
tree.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMOS = ("hh_network", "random_network", "synfire_chain",
         "sparse_inhibitory", "topographic_map", "adaptive_threshold")
TIMED = ("Equations", "NeuronGroup")


def _called(stmt: ast.stmt) -> str | None:
    """'Equations' or 'NeuronGroup' if the statement calls it."""
    for node in ast.walk(stmt):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in TIMED):
            return node.func.id
    return None


def instrument(source: str) -> ast.Module:
    """The demo up to its last NeuronGroup statement, each timed
    statement bracketed by perf_counter() calls."""
    body = ast.parse(source).body
    last = max(i for i, s in enumerate(body) if _called(s) == "NeuronGroup")
    out = []
    for stmt in body[:last + 1]:
        what = _called(stmt)
        if what is None:
            out.append(stmt)
            continue
        out += ast.parse("__t0 = __clock()").body
        out.append(stmt)
        out += ast.parse(f"__times.append(({what!r}, __clock() - __t0))"
                         ).body
    return ast.fix_missing_locations(ast.Module(out, type_ignores=[]))


def child(path: str) -> None:
    """Run one instrumented demo; print its times (s) as JSON."""
    import time
    os.environ.setdefault("BRIANC_PLOTTING", "off")
    code = compile(instrument(Path(path).read_text()), path, "exec")
    times: list = []
    namespace = {"__name__": "__main__", "__file__": path,
                 "__clock": time.perf_counter, "__times": times}
    exec(code, namespace)
    totals = {what: 0.0 for what in TIMED}
    for what, dt in times:
        totals[what] += dt
    totals["file"] = sys.modules["brianc"].__file__
    print(json.dumps(totals))


def run_once(tree: Path, demo: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree), BRIANC_PLOTTING="off",
               MPLBACKEND="Agg")
    # Installed packages come with bytecode; without it each run would
    # time the compilation of brianc's lazily imported modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, __file__, "--child", str(demo)],
                         env=env, cwd="/tmp", capture_output=True,
                         text=True, check=True)
    result = json.loads(out.stdout.splitlines()[-1])
    if not Path(result["file"]).is_relative_to(tree.resolve()):
        raise RuntimeError(f"{tree} ran the brianc of {result['file']}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[ROOT])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--demos", type=Path,
                        default=ROOT / "examples")
    parser.add_argument("--only", default=",".join(DEMOS),
                        help="comma-separated demo names")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    for name in args.only.split(","):
        demo = args.demos / f"{name}.py"
        samples = {tree: [] for tree in args.trees}
        for tree in args.trees:     # writes bytecode, warms file caches
            run_once(tree, demo)
        for _ in range(args.repeat):
            for tree in args.trees:
                samples[tree].append(run_once(tree, demo))
        base = None
        for tree in args.trees:
            med = {what: 1e3 * statistics.median(s[what]
                                                 for s in samples[tree])
                   for what in TIMED}
            total = 1e3 * statistics.median(
                sum(s[what] for what in TIMED) for s in samples[tree])
            base = total if base is None else base
            print(f"{name:20s} {str(tree):28s} Equations "
                  f"{med['Equations']:6.2f}  NeuronGroup "
                  f"{med['NeuronGroup']:6.2f}  total {total:6.2f} ms  "
                  f"x{base / total:4.2f}", flush=True)


if __name__ == "__main__":
    main()
