"""Synapses networks, brianc against Brian 2 (cython target, warm cache),
side by side, one core each:

* cuba: Brian 1's examples/synapses/CUBA.py (4000 neurons, p = 0.02,
  per-synapse delays rand()*ms);
* stdp1: the Song, Miller & Abbott STDP model (1000 Poisson inputs at
  15 Hz onto one neuron, event-driven traces);
* stdp1000: the same model scaled to 1000 neurons
  (the 1000 Poisson inputs at 15 Hz onto each of them: 10^6 synapses,
  event-driven traces);
* gap: 1000 neurons with random gap junctions (p = 0.01) summed into the
  target (Brian 1's gapjunctions.py, a lumped variable; Brian 2's
  ``(summed)``).

Each model runs in its own fresh process (Brian 2: the model's script in
brian2_models/, run by its _common.py driver); the table gives, per model
and simulator, the medians over the repetitions of the whole process's
CPU and wall time and of the construction (objects and synapses made,
before the run).  Both run once first, unmeasured: Brian 2 fills its
cython cache (warm), brianc writes its bytecode cache (Brian 2's is
installed with it).

With --hand-c, stdp1000 also runs baseline_c/stdp1000.c, the whole model
written by hand (one thread), in two layouts: its best ("hand C": the
synapses onto one neuron consecutive, one array per variable) and
brianc's ("hand C, brianc's layout": synapses from one input consecutive,
the variables of a synapse interleaved), each a process of its own, in
the same rotation; and gap runs baseline_c/gap_junctions.c ("hand C":
each neuron's Igap one reduction over its junctions stored by target).

    python benchmarks/bench_synapses_brian2.py [--repeats 3] [--ms 1000]
        [--brian2-python benchmarks/.venv-brian2/bin/python]
        [--baseline DIR] [--hand-c]
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

# The STDP model (Song, Miller & Abbott) with {n} neurons fed by the same
# 1000 Poisson inputs.
_STDP = """
taupre = taupost = 20*ms; gmax = 0.01
dApre = 0.01 * gmax; dApost = -0.01 * 1.05 * gmax
inp = PoissonGroup(1000, rates=15*Hz)
G = NeuronGroup({n}, '''dv/dt = (ge*(0*mV-(-60*mV))+(-74*mV)-v)/(10*ms) : volt
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
"""

# Each model: its brianc code (Brian 1 syntax; sets M) and its Brian 2
# version: a script of brian2_models/ and its arguments.
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
""", ["cuba_synapses.py"]),
    "stdp1": (_STDP.format(n=1), ["stdp1.py"]),
    "stdp1000": (_STDP.format(n=1000), ["stdp1.py", "--scale", "1000"]),
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
""", ["gap_junctions.py"]),
}

BRIANC = """
import time
from brianc import *
seed(1)
t1, c1 = time.perf_counter(), time.process_time()
{code}
net = MagicNetwork()
t2, c2 = time.perf_counter(), time.process_time()
net.run({ms}*ms)
t3, c3 = time.perf_counter(), time.process_time()
print("RESULT", t2 - t1, c2 - c1, t3 - t2, M.nspikes, c3 - c2)
"""


def _env(path: str | None = None) -> dict:
    env = dict(os.environ, BRIANC_THREADS="1", OMP_NUM_THREADS="1")
    if path:                # another brianc tree (built in place) first
        env["PYTHONPATH"] = path
    # bytecode cached, as for a user (Brian 2's venv has its .pyc files)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(cmd: list, path: str | None = None) -> tuple[float, float, str]:
    """Run cmd; (wall s, CPU s of the child, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # (run outside the source tree: `python -c` puts the working directory
    # first on sys.path, which would shadow a --baseline tree)
    out = subprocess.run(cmd, capture_output=True, text=True, env=_env(path),
                         check=False, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                before.ru_stime)
    if out.returncode != 0:
        raise RuntimeError(f"{cmd[:2]} failed:\n{out.stderr[-3000:]}")
    return wall, cpu, out.stdout


def _brianc(code: str, ms: float, path: str | None = None) -> dict:
    wall, cpu, stdout = _run([sys.executable, "-c",
                              BRIANC.format(code=code, ms=ms)], path)
    line = [x for x in stdout.splitlines() if x.startswith("RESULT")][-1]
    _, build, build_cpu, run, spikes, *run_cpu = line.split()
    return {"wall": wall, "cpu": cpu, "build": float(build),
            "build_cpu": float(build_cpu), "run": float(run),
            "spikes": int(float(spikes)),
            "run_cpu": float(run_cpu[0]) if run_cpu else float("nan")}


def _brian2(python: str, script: list, ms: float, cache: str) -> dict:
    cmd = [python, str(HERE / "brian2_models" / script[0]), *script[1:],
           "--target", "cython", "--cache-dir", cache,
           "--duration-ms", repr(ms)]
    wall, cpu, stdout = _run(cmd)
    out = json.loads(stdout.strip().splitlines()[-1])
    return {"wall": wall, "cpu": cpu, "build": out["setup_s"],
            "build_cpu": out["setup_cpu_s"], "run": out["run_s"],
            "spikes": out["spikes"], "run_cpu": float("nan")}


KEYS = ("wall", "cpu", "build", "build_cpu", "run", "spikes", "run_cpu")

# The hand-written C builds of a model: {model: {name: (source, defines)}}
# (stdp1000.c: its best layout and brianc's)
HAND_C = {
    "stdp1000": {"hand C": ("stdp1000.c", []),
                 "hand C, brianc's layout": (
                     "stdp1000.c", ["-DPRE_MAJOR=1", "-DINTERLEAVED=1"])},
    "gap": {"hand C": ("gap_junctions.c", [])},
}
HAND_C_NAMES = ("hand C", "hand C, brianc's layout")
C_FLAGS = ["-O3", "-march=native", "-ffast-math", "-std=c11",
           "-D_GNU_SOURCE", "-I", str(HERE / "baseline_c")]


def _build_hand_c(out_dir: str, models: list) -> dict:
    """Compile the hand C of the models; {model: {name: binary}}."""
    bins: dict = {}
    for model in models:
        for k, (name, (source, defines)) in enumerate(
                HAND_C.get(model, {}).items()):
            binary = os.path.join(out_dir, f"{model}_{k}")
            subprocess.run(["gcc", *C_FLAGS, *defines,
                            str(HERE / "baseline_c" / source), "-o",
                            binary, "-lm"], check=True)
            bins.setdefault(model, {})[name] = binary
    return bins


def _hand_c(binary: str, ms: float) -> dict:
    wall, cpu, stdout = _run([binary, repr(ms / 1000.0)])
    out = json.loads(stdout.strip().splitlines()[-1])
    return {"wall": wall, "cpu": cpu, "build": out["setup_cpu_s"],
            "build_cpu": out["setup_cpu_s"], "run": out["run_cpu_s"],
            "spikes": out["spikes"], "run_cpu": out["run_cpu_s"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ms", type=float, default=1000.0)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--brian2-python", default=str(
        HERE / ".venv-brian2" / "bin" / "python"))
    ap.add_argument("--baseline", default=None, metavar="DIR",
                    help="also run the brianc of this source tree (built "
                         "in place), e.g. an older commit, side by side")
    ap.add_argument("--hand-c", action="store_true",
                    help="stdp1000, gap: also run their hand C "
                         "(baseline_c/)")
    args = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="b2cache_")
    hand_all = _build_hand_c(cache, args.models.split(",")) \
        if args.hand_c else {}
    rows = []
    for name in args.models.split(","):
        ours, theirs = MODELS[name]
        _brianc(ours, args.ms)                      # writes brianc's .pyc
        _brian2(args.brian2_python, theirs, args.ms, cache)  # fills cache
        res: dict = {"brianc": [], "brian2": []}
        if args.baseline:
            _brianc(ours, args.ms, args.baseline)
            res["baseline"] = []
        hand = hand_all.get(name, {})
        for sim in hand:
            res[sim] = []
        runs = {"brianc": lambda: _brianc(ours, args.ms),
                "brian2": lambda: _brian2(args.brian2_python, theirs,
                                          args.ms, cache),
                "baseline": lambda: _brianc(ours, args.ms, args.baseline),
                **{sim: (lambda b=b: _hand_c(b, args.ms))
                   for sim, b in hand.items()}}
        order = list(res)
        for rep in range(args.repeats):     # side by side, order rotated
            for sim in order[rep % len(order):] + order[:rep % len(order)]:
                res[sim].append(runs[sim]())
        med = {sim: {k: statistics.median(r[k] for r in runs)
                     for k in KEYS} for sim, runs in res.items()}
        rows.append((name, med))
        print(json.dumps({"model": name, **med}), flush=True)
    print(f"\nmedians of {args.repeats} side-by-side runs, {args.ms:g} ms "
          f"simulated, one core; CPU seconds (wall in brackets)")
    print("| model | brianc process | Brian 2 cython warm process | ratio "
          "| brianc construction | Brian 2 construction | ratio "
          "| spikes brianc / Brian 2 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, m in rows:
        c, b = m["brianc"], m["brian2"]
        if "baseline" in m:
            a = m["baseline"]
            print(f"| {name} (baseline) | {a['cpu']:.2f} ({a['wall']:.2f}) "
                  f"| | {b['cpu'] / a['cpu']:.1f}x "
                  f"({b['wall'] / a['wall']:.1f}x) | "
                  f"{a['build_cpu']:.3f} ({a['build']:.3f}) | | "
                  f"{b['build_cpu'] / a['build_cpu']:.1f}x "
                  f"({b['build'] / a['build']:.1f}x) | {a['spikes']:.0f} |")
        for sim in (x for x in HAND_C_NAMES if x in m):
            a = m[sim]
            print(f"| {name} ({sim}) | {a['cpu']:.2f} ({a['wall']:.2f}) "
                  f"| | {b['cpu'] / a['cpu']:.1f}x "
                  f"({b['wall'] / a['wall']:.1f}x) | "
                  f"{a['build_cpu']:.3f} | | | {a['spikes']:.0f} |")
        if any(x in m for x in HAND_C_NAMES):
            print(f"| {name}: run loop CPU | brianc {c['run_cpu']:.3f} | "
                  + " | ".join(f"{x} {m[x]['run_cpu']:.3f}"
                               for x in HAND_C_NAMES if x in m) + " |")
        print(f"| {name} | {c['cpu']:.2f} ({c['wall']:.2f}) | "
              f"{b['cpu']:.2f} ({b['wall']:.2f}) | "
              f"{b['cpu'] / c['cpu']:.1f}x ({b['wall'] / c['wall']:.1f}x) | "
              f"{c['build_cpu']:.3f} ({c['build']:.3f}) | "
              f"{b['build_cpu']:.3f} ({b['build']:.3f}) | "
              f"{b['build_cpu'] / c['build_cpu']:.1f}x "
              f"({b['build'] / c['build']:.1f}x) | "
              f"{c['spikes']:.0f} / {b['spikes']:.0f} |")


if __name__ == "__main__":
    main()
