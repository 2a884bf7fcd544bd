"""Parameter sweeps: wall time of ``map_tasks`` over 8 small networks in
this process, on 1 and on 2 worker processes, and its cost per task.

    python benchmarks/bench_sweeps.py [--repeats 3] [--start-method fork]
                                       [--neurons 4000] [--duration 0.5]

Each task builds and runs multiple_runs_simple's network (a random
excitatory/inhibitory LIF network, p = 0.02) at one excitatory weight.
Each brianc process uses one thread, so the worker processes are the only
parallelism.  The configurations run in turn, round after round, so a
change in the machine's load touches them alike; the medians are printed
side by side with the speed-up over the in-process run.  The overhead per
task is the median wall time of a sweep of 8 empty tasks divided by 8
(the pool's start, the pickling and the per-task seeding and clock).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from brianc import (Connection, NeuronGroup, SpikeMonitor, mV, ms,  # noqa
                    rand, run, second, set_num_threads)
from brianc.tools.taskfarm import map_tasks  # noqa: E402

TASKS = 8
SIZE = {"neurons": 4000, "duration": 0.5}


def spike_count(weight_mv: float) -> int:
    """multiple_runs_simple's network at one excitatory weight."""
    n = SIZE["neurons"]
    eqs = """dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
             dge/dt = -ge/(5*ms) : volt
             dgi/dt = -gi/(10*ms) : volt"""
    P = NeuronGroup(n, eqs, threshold=-50 * mV, reset=-60 * mV)
    P.v = -60 * mV + 10 * mV * rand(n)
    Pe, Pi = P.subgroup(4 * n // 5), P.subgroup(n // 5)
    Ce = Connection(Pe, P, "ge", weight=weight_mv * mV, sparseness=0.02)
    Ci = Connection(Pi, P, "gi", weight=-9 * mV, sparseness=0.02)
    M = SpikeMonitor(P)
    run(SIZE["duration"] * second)
    del Ce, Ci
    return M.nspikes


def nothing(item):
    return item


def set_size(neurons: int, duration: float) -> None:
    SIZE.update(neurons=neurons, duration=duration)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(function, items, processes, start_method) -> tuple:
    """(wall seconds, CPU seconds, results) of one sweep."""
    c0, t0 = cpu_seconds(), time.perf_counter()
    results = map_tasks(function, items, processes=processes, seed=1,
                        start_method=start_method, threads=1)
    return time.perf_counter() - t0, cpu_seconds() - c0, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--start-method", default="fork")
    parser.add_argument("--neurons", type=int, default=SIZE["neurons"])
    parser.add_argument("--duration", type=float, default=SIZE["duration"])
    args = parser.parse_args()
    set_size(args.neurons, args.duration)
    set_num_threads(1)
    weights = [0.5 + 0.4 * k for k in range(TASKS)]
    configs = [("in this process", 0), ("1 worker process", 1),
               ("2 worker processes", 2)]
    # Workers started by spawn import this file afresh: they need the
    # size too, so only fork and forkserver honour --neurons/--duration.
    sweep = {name: [] for name, _ in configs}
    cpus = {name: [] for name, _ in configs}
    empty = {name: [] for name, _ in configs}
    reference = None
    for _ in range(args.repeats):
        for name, processes in configs:
            wall, cpu, results = timed(spike_count, weights, processes,
                                       args.start_method)
            if reference is None:
                reference = results
            assert results == reference, "a sweep gave other results"
            sweep[name].append(wall)
            cpus[name].append(cpu / wall)
            wall, _, _ = timed(nothing, list(range(TASKS)), processes,
                            args.start_method)
            empty[name].append(wall)
    serial = statistics.median(sweep[configs[0][0]])
    print(f"{TASKS} networks of {SIZE['neurons']} neurons, "
          f"{SIZE['duration']} s each; start method "
          f"{args.start_method}; medians of {args.repeats} rounds")
    print(f"spikes per task: {reference}")
    # CPUs busy: CPU seconds over wall seconds, what the machine granted
    # the sweep (a busy machine may give two workers less than two).
    print(f"{'':20s} {'sweep (s)':>10s} {'speed-up':>9s} {'CPUs busy':>10s} "
          f"{'overhead/task (ms)':>19s}")
    for name, _ in configs:
        wall = statistics.median(sweep[name])
        busy = statistics.median(cpus[name])
        overhead = statistics.median(empty[name]) / TASKS * 1e3
        print(f"{name:20s} {wall:10.3f} {serial / wall:9.2f} {busy:10.2f} "
              f"{overhead:19.2f}")


if __name__ == "__main__":
    main()
