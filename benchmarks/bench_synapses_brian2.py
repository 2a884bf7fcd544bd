"""Synapses networks, brianc against Brian 2 (cython target, warm cache),
side by side, one core each:

* cuba: Brian 1's examples/synapses/CUBA.py (4000 neurons, p = 0.02,
  per-synapse delays rand()*ms);
* stdp1000: the Song, Miller & Abbott STDP model scaled to 1000 neurons
  (the 1000 Poisson inputs at 15 Hz onto each of them: 10^6 synapses,
  event-driven traces);
* gap: 1000 neurons with random gap junctions (p = 0.01) summed into the
  target (Brian 1's gapjunctions.py, a lumped variable; Brian 2's
  ``(summed)``).

Each model runs in its own fresh process; the table gives, per model and
simulator, the medians over the repetitions of the whole process's wall
time and CPU time (user + system, of the process and its children: the
machine is shared, and CPU time is what a loaded machine inflates
least) and of the construction (objects and synapses made, before the
run).  Brian 2 runs once first to fill its cython cache (warm), then
every repetition reuses it; brianc runs once first too, which writes its
bytecode cache (Brian 2's was written when it was installed).

    python benchmarks/bench_synapses_brian2.py [--repeats 3] [--ms 1000]
        [--brian2-python benchmarks/.venv-brian2/bin/python]
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

HERE = Path(__file__).resolve().parent

# Each model: (brianc code, Brian 2 code); both set `build_s` and run for
# DURATION ms.  Written in each simulator's own syntax.
MODELS = {
    "cuba": ("""
P = NeuronGroup(4000, '''dv/dt = (ge+gi-(v-(-49*mV)))/(20*ms) : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt''', threshold=-50*mV, reset=-60*mV,
                refractory=5*ms)
Pe = P.subgroup(3200); Pi = P.subgroup(800)
Se = Synapses(Pe, P, model='w : 1', pre='ge += 1.62*mV')
Si = Synapses(Pi, P, model='w : 1', pre='gi += -9*mV')
Se[:, :] = 0.02
Si[:, :] = 0.02
Se.delay = 'rand()*ms'
Si.delay = 'rand()*ms'
P.v = -60*mV + rand(len(P)) * 10*mV
M = SpikeMonitor(P)
""", """
P = NeuronGroup(4000, '''dv/dt = (ge+gi-(v-(-49*mV)))/(20*ms) : volt (unless refractory)
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt''', threshold='v>-50*mV', reset='v=-60*mV',
                refractory=5*ms, method='exact')
Pe = P[:3200]; Pi = P[3200:]
Se = Synapses(Pe, P, model='w : 1', on_pre='ge += 1.62*mV')
Si = Synapses(Pi, P, model='w : 1', on_pre='gi += -9*mV')
Se.connect(p=0.02)
Si.connect(p=0.02)
Se.delay = 'rand()*ms'
Si.delay = 'rand()*ms'
P.v = -60*mV + rand(len(P)) * 10*mV
M = SpikeMonitor(P)
"""),
    "stdp1000": ("""
taupre = taupost = 20*ms; gmax = 0.01
dApre = 0.01 * gmax; dApost = -0.01 * 1.05 * gmax
inp = PoissonGroup(1000, rates=15*Hz)
G = NeuronGroup(1000, '''dv/dt = (ge*(0*mV-(-60*mV))+(-74*mV)-v)/(10*ms) : volt
dge/dt = -ge/(5*ms) : 1''', threshold=-54*mV, reset=-60*mV)
G.v = -60*mV
S = Synapses(inp, G, model='''w : 1
dApre/dt = -Apre/taupre : 1 (event-driven)
dApost/dt = -Apost/taupost : 1 (event-driven)''',
             pre='''ge += w
Apre += dApre
w = clip(w + Apost, 0, gmax)''',
             post='''Apost += dApost
w = clip(w + Apre, 0, gmax)''')
S[:, :] = True
S.w = 'rand()*gmax'
M = SpikeMonitor(G)
""", """
taupre = taupost = 20*ms; gmax = 0.01
dApre = 0.01 * gmax; dApost = -0.01 * 1.05 * gmax
inp = PoissonGroup(1000, rates=15*Hz)
G = NeuronGroup(1000, '''dv/dt = (ge*(0*mV-(-60*mV))+(-74*mV)-v)/(10*ms) : volt
dge/dt = -ge/(5*ms) : 1''', threshold='v>-54*mV', reset='v=-60*mV',
                method='exact')
G.v = -60*mV
S = Synapses(inp, G, model='''w : 1
dApre/dt = -Apre/taupre : 1 (event-driven)
dApost/dt = -Apost/taupost : 1 (event-driven)''',
             on_pre='''ge += w
Apre += dApre
w = clip(w + Apost, 0, gmax)''',
             on_post='''Apost += dApost
w = clip(w + Apre, 0, gmax)''')
S.connect()
S.w = 'rand()*gmax'
M = SpikeMonitor(G)
"""),
    "gap": ("""
G = NeuronGroup(1000, '''dv/dt = (1.05-v+Igap)/(10*ms) : 1
Igap : 1''', threshold=1, reset=0)
G.v = rand(1000)
S = Synapses(G, model='''w : 1
Igap = w*(v_pre-v_post) : 1''')
S[:, :] = 0.01
G.Igap = S.Igap
S.w = .02
M = SpikeMonitor(G)
""", """
G = NeuronGroup(1000, '''dv/dt = (1.05-v+Igap)/(10*ms) : 1
Igap : 1''', threshold='v>1', reset='v=0', method='euler')
G.v = 'rand()'
S = Synapses(G, G, model='''w : 1
Igap_post = w*(v_pre-v_post) : 1 (summed)''')
S.connect(p=0.01)
S.w = .02
M = SpikeMonitor(G)
"""),
}

BRIANC = """
import time
t0 = time.perf_counter()
from brianc import *
seed(1)
t1 = time.perf_counter()
{code}
net = MagicNetwork()
t2 = time.perf_counter()
net.run({ms}*ms)
t3 = time.perf_counter()
print("RESULT", t2 - t1, t3 - t2, M.nspikes)
"""

BRIAN2 = """
import time
t0 = time.perf_counter()
from brian2 import *
prefs.codegen.target = 'cython'
prefs.codegen.runtime.cython.cache_dir = {cache!r}
prefs.logging.file_log = False
seed(1)
defaultclock.dt = 0.1*ms
t1 = time.perf_counter()
{code}
net = Network(collect())
t2 = time.perf_counter()
net.run({ms}*ms)
t3 = time.perf_counter()
print("RESULT", t2 - t1, t3 - t2, M.num_spikes)
"""


def _process(python: str, source: str) -> dict:
    env = dict(os.environ, BRIANC_THREADS="1", OMP_NUM_THREADS="1")
    # Both import from their bytecode caches, as installed packages do
    # (Brian 2's came with its install; brianc's are written by the
    # warm-up run): with PYTHONDONTWRITEBYTECODE set, brianc's whole
    # package would be compiled from source in every process.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run([python, "-c", source], capture_output=True,
                         text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime
                                                 - before.ru_stime)
    lines = [x for x in out.stdout.splitlines() if x.startswith("RESULT")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"{python} failed:\n{out.stderr[-3000:]}")
    _, build, run, spikes = lines[-1].split()
    return {"wall": wall, "cpu": cpu, "build": float(build),
            "run": float(run), "spikes": int(float(spikes))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ms", type=float, default=1000.0)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--brian2-python", default=str(
        HERE / ".venv-brian2" / "bin" / "python"))
    args = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="b2cache_")
    rows = []
    for name in args.models.split(","):
        ours, theirs = MODELS[name]
        c_src = BRIANC.format(code=ours, ms=args.ms)
        b_src = BRIAN2.format(code=theirs, ms=args.ms, cache=cache)
        _process(args.brian2_python, b_src)         # fills the cache
        _process(sys.executable, c_src)             # brianc's bytecode
        res: dict = {"brianc": [], "brian2": []}
        for _ in range(args.repeats):               # side by side
            res["brianc"].append(_process(sys.executable, c_src))
            res["brian2"].append(_process(args.brian2_python, b_src))
        med = {sim: {k: statistics.median(r[k] for r in runs)
                     for k in ("wall", "cpu", "build", "run", "spikes")}
               for sim, runs in res.items()}
        rows.append((name, med))
        print(json.dumps({"model": name, **med}), flush=True)
    print(f"\nmedians of {args.repeats} side-by-side runs, {args.ms:g} ms "
          f"simulated, one core")
    print("| model | brianc process s | Brian 2 cython warm process s | "
          "ratio | brianc process CPU s | Brian 2 process CPU s | ratio "
          "| brianc construction s | Brian 2 construction s | ratio "
          "| spikes brianc / Brian 2 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, m in rows:
        c, b = m["brianc"], m["brian2"]
        print(f"| {name} | {c['wall']:.2f} | {b['wall']:.2f} | "
              f"{b['wall'] / c['wall']:.1f}x | {c['cpu']:.2f} | "
              f"{b['cpu']:.2f} | {b['cpu'] / c['cpu']:.1f}x | "
              f"{c['build']:.3f} | "
              f"{b['build']:.3f} | {b['build'] / c['build']:.1f}x | "
              f"{c['spikes']:.0f} / {b['spikes']:.0f} |")


if __name__ == "__main__":
    main()
