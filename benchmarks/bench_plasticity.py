"""Plasticity side by side, single-threaded: Brian 1's STDP1 (Song, Miller
& Abbott: 1000 Poisson inputs, one neuron, all synapses plastic) and
Vogels et al. 2011 (inhibitory STDP, 10,000 neurons) on brianc, on Brian 2
(Synapses with event-driven traces; Cython after a discarded warm-up run,
and C++ standalone) and, for STDP1, on hand-written C (baseline_c/
stdp1.c).  Brian 1 itself needs Python 2, which this machine lacks.

    python benchmarks/bench_plasticity.py [--only stdp1,vogels]
        [--stdp1-ms 10000] [--vogels-ms 2000] [--repeats 3]
        [--brian2-python PATH] [--no-standalone] [--standalone-dir DIR]
        [--other-tree DIR]

Every measurement is a fresh process; within a repetition the simulators
alternate, so drifts of a shared machine hit all alike.  Each contender
first runs once, discarded: Brian 2 fills its caches, brianc writes its
bytecode (caching is on, as after an install, whatever
PYTHONDONTWRITEBYTECODE says; without it every brianc process compiled
its modules from source, 0.15 s of CPU).  Standalone projects are built in
--standalone-dir when given and kept there, so that a second invocation
finds them compiled (a cold compile takes minutes on a loaded machine).
--other-tree adds another brianc (a source tree with its extension built,
e.g. an earlier commit) as the contender "brianc_other", run the same way,
for before/after figures measured side by side.  Reported: medians
of the whole process's CPU time (the fair figure on a shared machine) and
wall time, and of the simulation loop (brianc: CPU of its run() calls;
Brian 2 Cython: wall time of run() after a zero-length run compiled or
loaded everything; standalone: the binary's own loop timer; hand C: its
loop in CPU seconds), their ratios, spike counts, brianc's bytes per
plastic synapse and, for STDP1, the final weight distribution.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_B2 = BENCH / ".venv-brian2" / "bin" / "python"
CFLAGS = ["-O3", "-march=native", "-ffast-math", "-std=c11",
          "-D_GNU_SOURCE", "-I", str(BENCH / "baseline_c")]


def timed(cmd, env=None, cwd=None) -> tuple[float, dict]:
    """Whole-process wall seconds and the last JSON line printed, with the
    process's CPU seconds (user + system, its children included) added
    as "cpu_s": on a shared machine the CPU figures are the ones to
    compare."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         env=env, cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["cpu_s"] = (after.ru_utime - before.ru_utime +
                       after.ru_stime - before.ru_stime)
    return wall, result


def child_env() -> dict:
    env = dict(os.environ, BRIANC_THREADS="1", OMP_NUM_THREADS="1",
               BRIANC_PLOTTING="off", MPLBACKEND="Agg")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(model: str, ms: float, repeats: int, brian2: str | None,
            standalone: bool, hand_c: Path | None,
            standalone_dir: str | None = None,
            other_tree: str | None = None) -> dict:
    env = child_env()
    runs: dict[str, list] = {}

    def add(name, wall, result):
        result["wall_s"] = wall
        runs.setdefault(name, []).append(result)
    b2 = [brian2, str(BENCH / "brian2_models" / f"{model}.py"),
          "--duration-ms", str(ms)]
    brianc = [sys.executable, str(BENCH / "brianc_models" / f"{model}.py"),
              "--duration-ms", str(ms)]
    b2_sa = b2 + ["--target", "cpp_standalone"]
    if standalone_dir:
        b2_sa += ["--build-dir", str(Path(standalone_dir) / model)]
    timed(brianc, env)          # warm-up (writes the bytecode), discarded
    other_env = dict(env, PYTHONPATH=str(other_tree)) if other_tree else None
    if other_tree:
        timed(brianc, other_env)
    if brian2:
        timed(b2, env)          # warm-up (fills Brian 2's cache), discarded
        if standalone and standalone_dir:
            timed(b2_sa, env)   # warm-up (compiles the project), discarded
    for _ in range(repeats):
        add("brianc", *timed(brianc, env))
        if other_tree:
            add("brianc_other", *timed(brianc, other_env))
        if brian2:
            add("brian2_cython", *timed(b2, env))
            if standalone:
                add("brian2_standalone", *timed(b2_sa, env))
        if hand_c is not None:
            add("hand_c", *timed([str(hand_c), str(ms / 1000.0), "1"], env))
    summary = {}
    for name, results in runs.items():
        entry = {k: statistics.median(r[k] for r in results)
                 for k in ("wall_s", "cpu_s", "run_s", "spikes")}
        for k in ("near_wmax", "near_zero", "bytes_per_plastic_synapse",
                  "run_cpu_s", "build_s"):
            if k in results[0]:
                entry[k] = statistics.median(r[k] for r in results)
        entry["all"] = results
        summary[name] = entry
    base = summary["brianc"]
    base["loop_s"] = base["run_cpu_s"]
    for name, entry in summary.items():
        entry.setdefault("loop_s", entry.get("run_cpu_s", entry["run_s"]))
        if name != "brianc":
            entry["brianc_over_this_loop"] = base["loop_s"] / entry["loop_s"]
            entry["brianc_over_this_cpu"] = base["cpu_s"] / entry["cpu_s"]
    return summary


def table(model: str, ms: float, summary: dict) -> str:
    lines = [f"### {model}, {ms / 1000:g} s simulated (medians)", "",
             "| simulator | process CPU s | process wall s | loop s | "
             "brianc/this process CPU | brianc/this loop | spikes |",
             "|---|---|---|---|---|---|---|"]
    for name, e in summary.items():
        lines.append(
            f"| {name} | {e['cpu_s']:.2f} | {e['wall_s']:.2f} | "
            f"{e['loop_s']:.3f} | "
            f"{e.get('brianc_over_this_cpu', 1.0):.3g} | "
            f"{e.get('brianc_over_this_loop', 1.0):.3g} | "
            f"{e['spikes']:.0f} |")
    lines += ["", "loop: brianc (and brianc_other) and hand C in CPU "
              "seconds; Brian 2 Cython the wall time of run(), standalone "
              "the binary's own timer (wall)."]
    b = summary["brianc"]
    extra = [f"brianc bytes per plastic synapse: "
             f"{b['bytes_per_plastic_synapse']:.1f}"]
    for name in ("brianc", "hand_c"):
        if name in summary and "near_wmax" in summary[name]:
            extra.append(f"{name} final weights: "
                         f"{100 * summary[name]['near_wmax']:.1f}% within "
                         f"10% of wmax, {100 * summary[name]['near_zero']:.1f}"
                         f"% within 10% of 0")
    return "\n".join(lines + [""] + extra) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="stdp1,vogels")
    ap.add_argument("--stdp1-ms", type=float, default=10000.0)
    ap.add_argument("--vogels-ms", type=float, default=2000.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--brian2-python", default=None)
    ap.add_argument("--no-standalone", action="store_true")
    ap.add_argument("--other-tree", default=None,
                    help="another brianc source tree, run as brianc_other")
    ap.add_argument("--standalone-dir", default=None,
                    help="keep the standalone projects here (compiled once)")
    ap.add_argument("--json", default=None, help="write every value here")
    args = ap.parse_args()
    brian2 = args.brian2_python or os.environ.get(
        "BRIANC_BENCH_BRIAN2_PYTHON") or (
        str(DEFAULT_B2) if DEFAULT_B2.exists() else None)
    if brian2 is None:
        print("Brian 2 not found (benchmarks/setup_brian2_env.sh): its "
              "columns are skipped", file=sys.stderr)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        hand = Path(tmp) / "stdp1"
        subprocess.run(["gcc", *CFLAGS, str(BENCH / "baseline_c" /
                                            "stdp1.c"), "-o", str(hand),
                        "-lm"], check=True)
        for model in args.only.split(","):
            ms = args.stdp1_ms if model == "stdp1" else args.vogels_ms
            results[model] = measure(model, ms, args.repeats, brian2,
                                     not args.no_standalone,
                                     hand if model == "stdp1" else None,
                                     args.standalone_dir, args.other_tree)
            print(table(model, ms, results[model]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
