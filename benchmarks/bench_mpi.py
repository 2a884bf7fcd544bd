"""brianc.mpi: one network split over MPI ranks against one process with
one and with two threads, and against the split as it was before the
exchange per minimum delay and the construction of local targets only.

    python benchmarks/bench_mpi.py [--scales 4 16] [--duration-ms 200]
                                   [--repeats 3] [--latency-only]

For random_network and sparse_inhibitory (benchmarks/brianc_models) at each
scale, four configurations run in turn, round after round (so a change in
the machine's load touches them alike): one process with BRIANC_THREADS=1,
one with BRIANC_THREADS=2, ``mpiexec -n 2 python -m brianc.mpi`` (one
thread per rank) as before (BRIANC_MPI_MAX_WINDOW=1: an exchange every
step; BRIANC_MPI_WHOLE_CONNECTIONS=1: every rank builds every connection
whole, then cuts it), and the same as built now (an exchange per shortest
delay, each rank building its own targets' synapses).  Printed: median
construction and run() times (rank 0's), the speed-up over one thread,
the share of the run spent in the spike exchange (rank 0: collectives
and the spike import) and its time per exchange, the window, peak memory per process (max RSS)
and the synapses each process holds (MB).

The latency part times the exchange's collective alone between 2 ranks:
one Allgather of a record of one count and 256 (the default capacity),
4096 or 65536 spike slots per rank, mpi4py buffers: the figures
docs/MPI.md extrapolates from.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "benchmarks" / "brianc_models"

# Run under brianc.mpi (or plainly): the model, then this process's figures.
DRIVER = """
import json, resource, runpy, sys, time
model, args = sys.argv[1], sys.argv[2:]
sys.argv = [model] + args
try:
    # mpiexec starts the ranks seconds apart on a loaded machine: line
    # them up, so rank 0's first collective does not time the other's
    # start.
    from mpi4py import MPI
    MPI.COMM_WORLD.Barrier()
except ImportError:
    pass
import io, contextlib
out = io.StringIO()
with contextlib.redirect_stdout(out):
    names = runpy.run_path(model, run_name="__main__")
report = json.loads(out.getvalue().strip().splitlines()[-1])
from brianc.connections.connection import Connection
synapse_mb = sum(c._c.memory_bytes for c in names.values()
                 if isinstance(c, Connection)) / 2**20
try:
    from mpi4py import MPI
    import brianc.mpi
    comm = MPI.COMM_WORLD
    mine = dict(brianc.mpi.exchange_totals(), synapse_mb=synapse_mb,
                setup_s=report.get("setup_s"),
                rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                / 1024)
    report["ranks"] = comm.allgather(mine)
except ImportError:
    report["ranks"] = [{"synapse_mb": synapse_mb,
                        "rss_mb": resource.getrusage(
                            resource.RUSAGE_SELF).ru_maxrss / 1024}]
print(json.dumps(report))
"""

LATENCY = """
import json, time
import numpy as np
from mpi4py import MPI
comm = MPI.COMM_WORLD
size = comm.Get_size()
out = {}
for ints in (1 + 256, 1 + 4096, 1 + 65536):
    record = np.zeros(ints, dtype=np.int32)
    records = np.zeros((size, ints), dtype=np.int32)
    times = []
    for rep in range(5):
        comm.Barrier()
        t0 = time.perf_counter()
        for _ in range(1000):
            comm.Allgather(record, records)
        times.append((time.perf_counter() - t0) / 1000)
    out[ints] = sorted(times)[2]
if comm.Get_rank() == 0:
    print(json.dumps(out))
"""


# The exchange's own work, with a stand-in for the communicator (2 ranks,
# the other sending nothing): an 80,000-neuron group with 25 spikes in
# each of the 16 steps of its history; CPU time per exchange of a window
# of 1 and of 16 steps, and per call that returns at once (the other
# steps of a window).
BOOKKEEPING = """
import json, time
import numpy as np
import brianc
from brianc.mpi._split import SpikeExchange

class StandIn:
    def Get_size(self):
        return 2
    def Allgather(self, send, recv):
        recv[0] = send
        recv[1] = 0

G = brianc.NeuronGroup(80000, "v : 1")
G._c.reserve_history(17)
rng = np.random.default_rng(1)
for lag in range(16):
    G._c.import_spikes(np.sort(rng.choice(80000, 25, replace=False))
                       .astype(np.int32), lag)
out = {}
for window in (1, 16):
    x = SpikeExchange(StandIn(), [G], brianc.defaultclock, window=window,
                      capacity=1024)
    times = []
    for rep in range(5):
        t0 = time.process_time()
        for _ in range(2000):
            x._first = 1 - window       # the clock is at step 0
            x()
        times.append((time.process_time() - t0) / 2000)
    out[f"exchange of {window} steps"] = sorted(times)[2]
x = SpikeExchange(StandIn(), [G], brianc.defaultclock, window=16)
x._first = 0
x.clock._c.end = 100
times = []
for rep in range(5):
    t0 = time.process_time()
    for _ in range(20000):
        x()
    times.append((time.process_time() - t0) / 20000)
out["call returning at once"] = sorted(times)[2]
print(json.dumps(out))
"""


def _mpiexec() -> str:
    return shutil.which("mpiexec") or str(Path(sys.executable).parent /
                                          "mpiexec")


def _run(command: list, threads: int, extra_env=None) -> dict:
    env = dict(os.environ, BRIANC_THREADS=str(threads),
               PYTHONPATH=str(ROOT))
    env.update(extra_env or {})
    # From a temporary directory: `python -m` puts the current directory
    # first on sys.path, which would shadow PYTHONPATH's tree.
    done = subprocess.run(command, capture_output=True, text=True, env=env,
                          timeout=1800, cwd=tempfile.gettempdir())
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def configurations(driver: str, model: Path, scale: float, duration: float,
                   baseline=None):
    args = [str(model), "--scale", str(scale), "--duration-ms",
            str(duration)]
    plain = [sys.executable, driver] + args
    split = [_mpiexec(), "-n", "2", sys.executable, "-m", "brianc.mpi",
             driver] + args
    configs = {"1 process, 1 thread": (plain, 1, None),
               "1 process, 2 threads": (plain, 2, None)}
    if baseline is None:
        configs["2 ranks, before"] = (split, 1, {
            "BRIANC_MPI_MAX_WINDOW": "1",
            "BRIANC_MPI_WHOLE_CONNECTIONS": "1"})
    else:
        old = {"PYTHONPATH": str(baseline)}
        configs["1 process, 1 thread, baseline"] = (plain, 1, old)
        configs["2 ranks, baseline"] = (split, 1, old)
    configs["2 ranks, now"] = (split, 1, None)
    return configs


def bench_model(driver: str, name: str, scale: float, duration: float,
                repeats: int, baseline=None) -> None:
    configs = configurations(driver, MODELS / f"{name}.py", scale, duration,
                             baseline)
    results: dict = {k: [] for k in configs}
    for _ in range(repeats):
        for label, (command, threads, env) in configs.items():
            results[label].append(_run(command, threads, env))
    base = statistics.median(r["run_s"] for r in results[
        "1 process, 1 thread"])
    first = results["1 process, 1 thread"][0]
    steps = duration / 0.1
    print(f"\n{name} x{scale:g}: {first['n']} neurons, {duration:g} ms, "
          f"{first['spikes'] / steps:.1f} spikes per step")
    for label, runs in results.items():
        spikes = {r["spikes"] for r in runs}
        run_s = statistics.median(r["run_s"] for r in runs)
        setup_s = statistics.median(r["setup_s"] for r in runs)
        ranks = runs[0]["ranks"]
        rss = " / ".join(f"{r['rss_mb']:.0f}" for r in ranks)
        if len(ranks) > 1 and ranks[0].get("setup_s") is not None:
            # every rank's construction time (medians over the rounds)
            setup_s = " / ".join(
                f"{statistics.median(r['ranks'][k]['setup_s'] for r in runs):.3f}"
                for k in range(len(ranks)))
        else:
            setup_s = f"{setup_s:.3f}"
        synapses = " / ".join(f"{r['synapse_mb']:.1f}" for r in ranks)
        share = ""
        if "seconds" in ranks[0] and ranks[0]["calls"]:
            comm = statistics.median(r["ranks"][0]["seconds"] for r in runs)
            calls = ranks[0]["calls"]
            share = (f", exchange {100 * comm / run_s:.0f} % of run, "
                     f"{calls} exchanges (one per {steps / calls:.1f} "
                     f"steps), {1e6 * comm / calls:.0f} us each")
        print(f"  {label:30s} build {setup_s} s  run {run_s:7.3f} s"
              f"  speed-up "
              f"{base / run_s:4.2f}  max RSS {rss} MB, synapses "
              f"{synapses} MB per process{share}  spikes {sorted(spikes)}")


def bench_latency() -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(LATENCY)
    try:
        out = _run([_mpiexec(), "-n", "2", sys.executable, f.name], 1)
    finally:
        os.unlink(f.name)
    print("exchange alone, 2 ranks (one Allgather of a record per rank, "
          "median of 5 x 1000):")
    for ints, seconds in out.items():
        print(f"  record of {int(ints):6d} int32 ({4 * int(ints):7d} bytes "
              f"per rank): {1e6 * seconds:7.1f} us")


def bench_bookkeeping(baseline=None, rounds: int = 3) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(BOOKKEEPING)
    trees = {"now": None}
    if baseline is not None:
        trees["baseline"] = {"PYTHONPATH": str(baseline)}
    results: dict = {k: [] for k in trees}
    try:
        for _ in range(rounds):
            for label, env in trees.items():
                results[label].append(_run([sys.executable, f.name], 1, env))
    finally:
        os.unlink(f.name)
    print("exchange bookkeeping (stand-in communicator, 80,000 neurons, 25 "
          "spikes a step; CPU time, median of rounds):")
    for label, runs in results.items():
        cells = ", ".join(
            f"{key} {1e6 * statistics.median(r[key] for r in runs):.1f} us"
            for key in runs[0])
        print(f"  {label:9s} {cells}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--scales", type=float, nargs="+", default=[4, 16])
    p.add_argument("--models", nargs="+",
                   default=["random_network", "sparse_inhibitory"])
    p.add_argument("--duration-ms", type=float, default=200.0)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--latency-only", action="store_true")
    p.add_argument("--bookkeeping-only", action="store_true")
    p.add_argument("--baseline", default=None,
                   help="another brianc tree (built in place) to run "
                        "beside this one, in place of the env-var 'before'")
    a = p.parse_args()
    if not a.bookkeeping_only:
        bench_latency()
    bench_bookkeeping(a.baseline)
    if a.latency_only or a.bookkeeping_only:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(DRIVER)
    try:
        for name in a.models:
            for scale in a.scales:
                bench_model(f.name, name, scale, a.duration_ms, a.repeats,
                            a.baseline)
    finally:
        os.unlink(f.name)


if __name__ == "__main__":
    main()
