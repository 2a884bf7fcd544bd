"""STDP benchmarks: Song, Miller & Abbott's STDP1 (Brian 1's
examples/plasticity/STDP1.py) and the cost of a plastic synaptic event
against hand-written C.

    python benchmarks/bench_stdp.py [--stdp1-seconds 100] [--n 1000]
                                    [--event-seconds 1] [--repeats 7]

STDP1 (brianc_models/stdp1.py, the model bench_plasticity.py times too):
1000 Poisson inputs at 15 Hz onto one conductance-based neuron, all
synapses plastic (additive, all pairs), 100 s simulated; reported: wall and
CPU seconds of run(), and the final weight distribution (fraction of
weights within 10 % of wmax and of 0: bimodal, as in Song et al. 2000).

Plastic events: n Poisson sources at 10 Hz, n targets made to fire at
10 Hz by a Poisson driver, a dense n x n connection onto a variable nothing
reads, with ExponentialSTDP (additive, all pairs).  The network runs with
and without the STDP; the difference of CPU time is the cost of the
plasticity (trace updates and weight updates).  The recorded spike trains
are replayed by baseline_c/stdp.c (the same rule on a dense matrix, written
by hand), whose final weights must equal brianc's.  A plastic event is one
synapse updated by a pre or post spike.  Both run single-threaded and are
timed in CPU seconds (the machine may be shared), each run in a process of
its own.  A repetition runs the three (plastic, static, hand C) one after
the other, so that a drift of the machine's load hits them alike, and
gives one ratio; reported are the median ratio over --repeats repetitions
and its spread, and the medians of the times.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
CFLAGS = ["-O3", "-march=native", "-ffast-math", "-std=c11", "-D_GNU_SOURCE",
          "-I", str(BENCH / "baseline_c")]

EVENTS = """
import json, sys, time
import numpy as np
from brianc import *
set_num_threads(1)
n, seconds, plastic, out = (int(sys.argv[1]), float(sys.argv[2]),
                            sys.argv[3] == '1', sys.argv[4])
seed(11)
wmax = 0.01
pre = PoissonGroup(n, rates=10 * Hz)
driver = PoissonGroup(n, rates=10 * Hz)
post = NeuronGroup(n, 'v : 1\\nx : 1', threshold=0.5, reset=0.0)
drive = IdentityConnection(driver, post, 'v', weight=1.0)
W0 = np.random.RandomState(3).rand(n, n) * wmax
C = Connection(pre, post, 'x', weight=W0, structure='dense')
objects = [pre, driver, post, drive, C]
Mpre, Mpost = SpikeMonitor(pre), SpikeMonitor(post)
objects += [Mpre, Mpost]
if plastic:
    stdp = ExponentialSTDP(C, 20 * ms, 20 * ms, 0.01, -0.0105, wmax=wmax)
    objects.append(stdp)
net = Network(*objects)
wall, cpu = time.perf_counter(), time.process_time()
net.run(seconds * second)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
result = {"wall": wall, "cpu": cpu, "pre_spikes": Mpre.nspikes,
          "post_spikes": Mpost.nspikes}
if plastic:
    dt = float(defaultclock.dt)
    a_pre = float(stdp.pre_group._update_info.A[0, 0])
    a_post = float(stdp.post_group._update_info.A[0, 0])
    def trains(M):
        idx = np.array([i for i, t in M.spikes], dtype=np.int32)
        steps = np.array([int(round(float(t) / dt)) for i, t in M.spikes],
                         dtype=np.int64)
        order = np.lexsort((idx, steps))
        return steps[order], idx[order]
    ps, pi = trains(Mpre)
    qs, qi = trains(Mpost)
    with open(out + '.spikes', 'wb') as f:
        np.array([n, n, int(round(seconds / dt)), len(ps), len(qs)],
                 dtype=np.int64).tofile(f)
        np.array([a_pre, a_post, stdp.Ap, stdp.Am, wmax]).tofile(f)
        ps.tofile(f); pi.tofile(f); qs.tofile(f); qi.tofile(f)
    W0.tofile(out + '.w0')
    C.W.todense().tofile(out + '.brianc')
    result["bytes_connection"] = C._c.memory_bytes
    result["bytes_stdp"] = stdp.nbytes
    result["trace_bytes"] = stdp.pre_group._state.nbytes + \\
        stdp.post_group._state.nbytes
    result["synapses"] = C.W.nnz
print(json.dumps(result))
"""


def child_env() -> dict:
    env = dict(os.environ, BRIANC_THREADS="1", OMP_NUM_THREADS="1",
               BRIANC_PLOTTING="off", MPLBACKEND="Agg")
    env.pop("PYTHONDONTWRITEBYTECODE", None)    # as after an install
    return env


def last_json(cmd: list) -> dict:
    out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                         env=child_env())
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(code: str, *args) -> dict:
    return last_json([sys.executable, "-c", code, *map(str, args)])


def bench_stdp1(seconds: float) -> dict:
    r = last_json([sys.executable, str(BENCH / "brianc_models" / "stdp1.py"),
                   "--duration-ms", str(1000.0 * seconds)])
    return {"simulated_seconds": seconds, "wall": r["run_s"],
            "cpu": r["run_cpu_s"], "spikes": r["spikes"],
            "near_wmax": r["near_wmax"], "near_zero": r["near_zero"],
            "histogram": r["histogram"]}


def build_hand_c(tmp: Path) -> Path:
    exe = tmp / "stdp"
    subprocess.run(["gcc", *CFLAGS, str(BENCH / "baseline_c" / "stdp.c"),
                    "-o", str(exe), "-lm"], check=True)
    return exe


def bench_events(n: int, seconds: float, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        exe = build_hand_c(tmp)
        out = str(tmp / "run")
        child(EVENTS, n, seconds, 0, out)       # warm-up, discarded
        plastic, static, hand, ratios = [], [], [], []
        for _ in range(repeats):
            plastic.append(child(EVENTS, n, seconds, 1, out))
            static.append(child(EVENTS, n, seconds, 0, out))
            res = subprocess.run([str(exe), out + ".spikes", out + ".w0",
                                  out + ".hand"], check=True,
                                 capture_output=True, text=True)
            hand.append(float(res.stdout))
            ratios.append((plastic[-1]["cpu"] - static[-1]["cpu"]) /
                          hand[-1])
        w_brianc = np.fromfile(out + ".brianc")
        w_hand = np.fromfile(out + ".hand")
    p = plastic[0]
    events = (p["pre_spikes"] + p["post_spikes"]) * n
    with_stdp = statistics.median(r["cpu"] for r in plastic)
    without = statistics.median(r["cpu"] for r in static)
    return {
        "n": n, "seconds": seconds, "synaptic_events": events,
        "repeats": repeats,
        "brianc_cpu_with_stdp": with_stdp,
        "brianc_cpu_without_stdp": without,
        "brianc_ns_per_event": 1e9 * (with_stdp - without) / events,
        "hand_c_ns_per_event": 1e9 * statistics.median(hand) / events,
        "ratio_median": statistics.median(ratios),
        "ratio_quartiles": statistics.quantiles(ratios, n=4)
        if len(ratios) > 1 else ratios * 3,
        "ratios": ratios,
        "weights_equal_hand_c": bool(np.array_equal(w_brianc, w_hand)),
        "max_weight_difference": float(np.max(np.abs(w_brianc - w_hand))),
        "bytes_per_plastic_synapse":
            (p["bytes_connection"] + p["bytes_stdp"]) / p["synapses"],
        "trace_bytes": p["trace_bytes"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stdp1-seconds", type=float, default=100.0)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--event-seconds", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--skip-stdp1", action="store_true")
    args = ap.parse_args()
    results = {}
    if not args.skip_stdp1:
        results["stdp1"] = bench_stdp1(args.stdp1_seconds)
    results["events"] = bench_events(args.n, args.event_seconds,
                                     args.repeats)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
