"""Cost of synaptic events through Synapses, side by side with what they
are measured against:

* a static event (``v += w``) through Synapses against the same network
  through Connection (target: at most 1.3x);
* a plastic event (pair-based STDP with event-driven traces, as in Brian
  1's examples/synapses/STDP1.py) against a hand-written C loop replaying
  the same spikes (baseline_c/stdp_events.c; target: at most 1.5x), both
  in CPU time: brianc's is the CPU time of the run with the Synapses less
  that of the same run without them (the same spikes), so it holds every
  per-step cost of the Synapses, and the C loop's is its own CPU time.
  1000 inputs onto 1 target (STDP1), 20 targets and 1000 targets (10^6
  synapses: the STDP network scaled to 1000 neurons), and the C loop with
  each variable in an array of its own ("rows") and with the variables of
  a synapse side by side ("interleaved", -DINTERLEAVED=1);
* memory per synapse with one weight and per-synapse delays (target: at
  most 16 bytes), and per extra synaptic variable.

    python benchmarks/bench_synapses.py [--repeats 3] [--seconds 1]
        [--targets 1,20,1000] [--no-static]

Static event costs are the time the run loop spends in the propagation
phases (connections, and the 'synapses' phase; run(profile=True)) divided
by the events, so the inputs' own cost is left out.  That is wall-clock
time, which a loaded machine inflates: the plastic events, compared with
C, are measured in CPU time instead (the wall-clock propagation time is
printed beside, for comparison with earlier figures).  Each repetition
runs every variant once, and the table gives the medians.
Single-threaded (BRIANC_THREADS=1).
"""
from __future__ import annotations

import argparse
import os
import statistics
import struct
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("BRIANC_THREADS", "1")

HERE = Path(__file__).resolve().parent
STDP_C = HERE / "baseline_c" / "stdp_events.c"
C_FLAGS = ["-O3", "-march=native"]


def _timed_run(net, duration) -> float:
    """Seconds spent propagating (connections and synapses phases)."""
    net.run(duration, profile=True)
    return net.profile["propagate"]


# -- static events ----------------------------------------------------------
def static_events(kind: str, seconds: float, n=2000, p=0.2, rate=40.0,
                  uniform=True):
    """Propagation seconds of a run of `seconds` of 2000 Poisson sources
    onto 2000 linear neurons (p = 0.2: some 3e7 events a second, so that
    the events, not the per-step overhead, are measured) through `kind` ('connection' or 'synapses'),
    and the number of synaptic events.  uniform: every weight 0.1 mV
    (stored once by both), else weights drawn per synapse."""
    import brianc as b
    b.reinit_default_clock()
    b.seed(7)
    P = b.PoissonGroup(n, rates=rate * b.Hz)
    G = b.NeuronGroup(n, "dv/dt = -v/(10*ms) : volt")
    objs = [P, G]
    if kind == "connection":
        weight = 0.1 * b.mV if uniform else \
            (lambda i, j: 0.1 * b.mV * (0.5 + b.rand()))
        C = b.Connection(P, G, "v", sparseness=p, weight=weight)
        objs.append(C)
    elif kind == "synapses":
        S = b.Synapses(P, G, model="w : volt", pre="v += w")
        S.connect_random(sparseness=p)
        S.w = 0.1 * b.mV if uniform else "0.1 * mV * (0.5 + rand())"
        objs.append(S)
    counter = b.PopulationSpikeCounter(P)
    net = b.Network(*objs, counter)
    net.run(1 * b.ms)           # builds everything outside the timing
    elapsed = _timed_run(net, seconds * b.second)
    events = counter.nspikes * n * p
    return elapsed, events


# -- plastic events -----------------------------------------------------------
TAUPRE = TAUPOST = 20e-3
GMAX = 0.01
DAPRE = 0.01 * GMAX
DAPOST = -DAPRE * 1.05


def stdp_network(seconds: float, with_synapses: bool, n=1000, n_post=20,
                 rate=15.0, post_rate=20.0, record=False):
    """n Poisson inputs onto n_post Poisson 'neurons', all to all, through
    STDP synapses (the spikes do not depend on the weights, so a C loop
    can replay them).  Returns the wall-clock propagation time, the CPU
    time of the whole run (objects prepared before: run(0 ms)), S, the
    monitors and the initial weights."""
    import brianc as b
    b.reinit_default_clock()
    b.seed(11)
    P = b.PoissonGroup(n, rates=rate * b.Hz)
    Q = b.PoissonGroup(n_post, rates=post_rate * b.Hz)
    objs = [P, Q]
    S = None
    if with_synapses:
        ns = {"taupre": TAUPRE * b.second, "taupost": TAUPOST * b.second,
              "dApre": DAPRE, "dApost": DAPOST, "gmax": GMAX}
        S = b.Synapses(P, Q, model="""w : 1
                dApre/dt = -Apre/taupre : 1 (event-driven)
                dApost/dt = -Apost/taupost : 1 (event-driven)""",
                       pre="""Apre += dApre
                       w = clip(w + Apost, 0, gmax)""",
                       post="""Apost += dApost
                       w = clip(w + Apre, 0, gmax)""", code_namespace=ns)
        S[:, :] = True
        S.w = np.random.rand(len(S)) * GMAX
        objs.append(S)
    mons = []
    if record:
        mons = [b.SpikeMonitor(P), b.SpikeMonitor(Q)]
    net = b.Network(*objs, *mons)
    w0 = S.w[:].copy() if S is not None else None
    net.run(0 * b.ms)           # prepares everything, runs no step
    cpu = time.process_time()
    elapsed = _timed_run(net, seconds * b.second)
    cpu = time.process_time() - cpu
    return elapsed, cpu, S, mons, w0


def hand_c(seconds: float, mons, w0, workdir: Path, n_post: int,
           interleaved: bool):
    exe = workdir / f"stdp_events{int(interleaved)}"
    if not exe.exists():
        subprocess.run(["gcc", *C_FLAGS, f"-DINTERLEAVED={int(interleaved)}",
                        "-o", str(exe), str(STDP_C), "-lm"], check=True)
    dt = 1e-4
    pre = np.array([(int(round(t / dt)), i) for i, t in mons[0].spikes],
                   dtype=np.float64).reshape(-1, 2)
    post = np.array([(int(round(t / dt)), j) for j, t in mons[1].spikes],
                    dtype=np.float64).reshape(-1, 2)
    n_steps = int(round(seconds / dt))
    head = [len(w0) // n_post, n_post, n_steps, dt, TAUPRE, TAUPOST, DAPRE,
            DAPOST, GMAX, len(pre), len(post)]
    data = workdir / "spikes.bin"
    with open(data, "wb") as f:
        f.write(struct.pack(f"<{len(head)}d", *head))
        f.write(pre.astype("<f8").tobytes())
        f.write(post.astype("<f8").tobytes())
        f.write(np.asarray(w0, dtype="<f8").tobytes())
    out = subprocess.run([str(exe), str(data)], check=True,
                         capture_output=True, text=True).stdout.split()
    events = len(pre) * n_post + len(post) * (len(w0) // n_post)
    return float(out[0]), float(out[1]), events


# -- memory ---------------------------------------------------------------
def memory_per_synapse():
    import brianc as b
    P = b.NeuronGroup(1000, "v : 1")
    out = {}
    for model in ("w : 1", "w : 1\nu : 1"):
        S = b.Synapses(P, P, model=model, pre="v += w")
        S.connect_random(sparseness=0.1)
        S.delay = "rand() * 5 * ms"
        S.compress()            # as for a run
        out[model.count(":")] = S.memory_bytes / len(S)
    return out


def plastic_events(seconds: float, n_post: int, workdir: Path,
                   first_with: bool) -> dict:
    """One repetition of the plastic events onto n_post targets: seconds
    per event of brianc (CPU), of its propagation phase (wall) and of the
    two hand-written C loops, and the weight sums' relative difference."""
    runs = {}
    for with_s in ((True, False) if first_with else (False, True)):
        runs[with_s] = stdp_network(seconds, with_s, n_post=n_post,
                                    record=True)
    wall, cpu_with, S, mons, w0 = runs[True]
    cpu_without = runs[False][1]
    if [len(m.spikes) for m in mons] != [len(m.spikes)
                                         for m in runs[False][3]]:
        raise RuntimeError("the runs without Synapses gave other spikes")
    out = {}
    for interleaved in (False, True):
        c_time, c_sum, n_ev = hand_c(seconds, mons, w0, workdir, n_post,
                                     interleaved)
        out["c_interleaved" if interleaved else "c_rows"] = c_time / n_ev
    out["brianc"] = (cpu_with - cpu_without) / n_ev
    out["wall"] = wall / n_ev
    out["events"] = n_ev
    out["rel"] = abs(S.w[:].sum() - c_sum) / c_sum
    return out


def print_plastic(n_post: int, reps: list) -> None:
    med = {k: statistics.median(r[k] for r in reps) * 1e9
           for k in ("brianc", "wall", "c_rows", "c_interleaved")}
    print(f"plastic STDP event, 1000 inputs onto {n_post} target(s) "
          f"({reps[0]['events']} events, CPU time, median of {len(reps)}):")
    print(f"  brianc Synapses        {med['brianc']:7.2f} ns/event (run with "
          f"less run without; wall-clock propagation phase "
          f"{med['wall']:.2f} ns/event)")
    for key, what in (("c_rows", "rows"), ("c_interleaved", "interleaved")):
        ratios = [r["brianc"] / r[key] for r in reps]
        print(f"  hand C, {what:<14} {med[key]:7.2f} ns/event: brianc / C "
              f"{med['brianc'] / med[key]:.2f}x (paired ratios "
              f"{min(ratios):.2f}-{max(ratios):.2f})")
    print(f"  (weight sums agree to {max(r['rel'] for r in reps):.1e})")


def print_static(static: dict, n_events: float, repeats: int) -> None:
    med = {k: statistics.median(v) for k, v in static.items()}
    per = {k: v / n_events * 1e9 for k, v in med.items()}
    print(f"static event ({n_events:.3g} events, median of {repeats}):")
    for uniform in (True, False):
        what = "one weight" if uniform else "a weight per synapse"
        c, s_ = per["connection", uniform], per["synapses", uniform]
        ratios = [b / a for a, b in zip(static["connection", uniform],
                                        static["synapses", uniform])]
        print(f"  {what:<20} Connection {c:6.2f} ns/event, Synapses "
              f"{s_:6.2f} ns/event: {s_ / c:.2f}x (paired ratios "
              f"{min(ratios):.2f}-{max(ratios):.2f}, median "
              f"{statistics.median(ratios):.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--targets", default="1,20,1000",
                    help="targets of the plastic networks (comma-separated)")
    ap.add_argument("--no-static", action="store_true",
                    help="skip the static events")
    args = ap.parse_args()
    static = {(k, u): [] for u in (True, False)
              for k in ("connection", "synapses")}
    targets = [int(x) for x in args.targets.split(",") if x]
    plastic = {n: [] for n in targets}
    events = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.repeats):
            # the two kinds alternate in which runs first (the machine's
            # load drifts); ratios are taken within a repetition
            order = list(static) if rep % 2 == 0 else list(static)[::-1]
            for kind, uniform in ([] if args.no_static else order):
                t, ev = static_events(kind, args.seconds, uniform=uniform)
                static[kind, uniform].append(t)
                events["static"] = ev
            # with and without the Synapses, alternating which goes first
            for n_post in targets:
                plastic[n_post].append(plastic_events(
                    args.seconds, n_post, Path(tmp), rep % 2 == 0))
    if not args.no_static:
        print_static(static, events["static"], args.repeats)
    for n_post in targets:
        print_plastic(n_post, plastic[n_post])
    mem = memory_per_synapse()
    print(f"memory: {mem[1]:.2f} bytes/synapse with one weight and "
          f"per-synapse delays; {mem[2] - mem[1]:.2f} per extra variable")


if __name__ == "__main__":
    main()
