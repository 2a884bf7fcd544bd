"""Connection benchmarks: construction rate and propagation cost of brianc,
side by side with Brian 2 (Cython target) and hand-written C.

    python benchmarks/bench_connections.py [--quick] [--brian2-python PATH]

Construction: ``Connection(P, P, 'v', weight=w, sparseness=0.02)`` plus the
compression a run does, for N = 4000 and 20000 (synapses per second);
Brian 2 times ``Synapses.connect(p=0.02)`` after a warm-up that compiles
its code; the C column is ``bl_csr_random`` of benchmarks/baseline_c.
Propagation: ns per synaptic event in the connection phase, (a) on the
random_network model (1 s, 4000 CUBA neurons, exc/inh subgroups,
p = 0.02) for brianc and Brian 2 (its profiled ``*_pre_*`` code objects),
(b) alone, Poisson sources at 20 Hz into the same connectivity, for
brianc and the hand C micro-benchmark (``micro.c propagation``).
Each figure is the best of ``--repeats`` runs; each simulator runs in its
own process.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SIZES = [4000, 20000]
P_CONN = 0.02

# -- brianc (run in a child of this interpreter) --------------------------------

BRIANC_CONSTRUCTION = """
import json, sys, time
from brianc import Connection, NeuronGroup, mV
n, p, repeats = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
P = NeuronGroup(n, model='v : volt')
best, nnz, mem = 1e30, 0, 0
for _ in range(repeats):
    t0 = time.perf_counter()
    C = Connection(P, P, 'v', weight=1.62*mV, sparseness=p)
    C.compress()
    best = min(best, time.perf_counter() - t0)
    nnz, mem = C.W.nnz, C._c.memory_bytes
    del C
print(json.dumps({"seconds": best, "synapses": nnz, "bytes": mem}))
"""

BRIANC_RANDOM_NETWORK = """
import json, sys
import numpy as np
from brianc import (Connection, Network, NeuronGroup, SpikeMonitor, mV, ms,
                    rand, second, seed)

def best_run(net, M, deg, repeats):
    # Run 1 s `repeats` times; keep the run with the least propagation
    # time per synaptic event (events: that run's spikes x out-degree).
    best = None
    for _ in range(repeats):
        before = len(M.spikes)
        net.run(1*second, profile=True)
        i = np.array([s[0] for s in M.spikes[before:]], dtype=int)
        r = {"seconds": net.profile["propagate"],
             "events": int(deg[i].sum()), "spikes": len(i)}
        if best is None or r["seconds"] / max(r["events"], 1) < \
                best["seconds"] / max(best["events"], 1):
            best = r
    return best
seed(1)
eqs = '''
dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt
'''
P = NeuronGroup(4000, eqs, threshold=-50*mV, reset=-60*mV)
P.v = -60*mV + 10*mV*rand(len(P))
Pe = P.subgroup(3200)
Pi = P.subgroup(800)
Ce = Connection(Pe, P, 'ge', weight=1.62*mV, sparseness=0.02)
Ci = Connection(Pi, P, 'gi', weight=-9*mV, sparseness=0.02)
M = SpikeMonitor(P)
net = Network(P, Ce, Ci, M)
deg = np.concatenate([np.bincount(C._c.synapses()[0], minlength=len(g))
                      for C, g in ((Ce, Pe), (Ci, Pi))])
print(json.dumps(best_run(net, M, deg, int(sys.argv[1]))))
"""

BRIANC_PROPAGATION = """
import json, sys
import numpy as np
from brianc import (Connection, Hz, Network, NeuronGroup, PoissonGroup,
                    SpikeMonitor, mV, second, seed)

def best_run(net, M, deg, repeats):
    # Run 1 s `repeats` times; keep the run with the least propagation
    # time per synaptic event (events: that run's spikes x out-degree).
    best = None
    for _ in range(repeats):
        before = len(M.spikes)
        net.run(1*second, profile=True)
        i = np.array([s[0] for s in M.spikes[before:]], dtype=int)
        r = {"seconds": net.profile["propagate"],
             "events": int(deg[i].sum()), "spikes": len(i)}
        if best is None or r["seconds"] / max(r["events"], 1) < \
                best["seconds"] / max(best["events"], 1):
            best = r
    return best
seed(7)
n, n_exc = 4000, 3200
src = PoissonGroup(n, rates=20*Hz)
tgt = NeuronGroup(n, model='ge : volt\\ngi : volt')
Ce = Connection(src[:n_exc], tgt, 'ge', weight=1.62*mV, sparseness=0.02)
Ci = Connection(src[n_exc:], tgt, 'gi', weight=-9*mV, sparseness=0.02)
M = SpikeMonitor(src)
net = Network(src, tgt, Ce, Ci, M)
deg = np.concatenate([np.bincount(C._c.synapses()[0], minlength=m)
                      for C, m in ((Ce, n_exc), (Ci, n - n_exc))])
print(json.dumps(best_run(net, M, deg, int(sys.argv[1]))))
"""

# -- Brian 2 (run with an interpreter that imports brian2) ----------------------

BRIAN2_PRELUDE = """
import json, sys, time
import numpy as np
import brian2 as b2
b2.prefs.codegen.target = 'cython'
b2.prefs.logging.console_log_level = 'WARNING'
b2.prefs.logging.file_log = False
"""

BRIAN2_CONSTRUCTION = BRIAN2_PRELUDE + """
n, p, repeats = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
# warm-up: compiles (or loads) the synapse creation code once
G = b2.NeuronGroup(100, 'v : volt', threshold='v > 1*volt')
S = b2.Synapses(G, G, 'w : volt', on_pre='v += w')
S.connect(p=p)
best, nnz = 1e30, 0
for _ in range(repeats):
    G = b2.NeuronGroup(n, 'v : volt', threshold='v > 1*volt')
    S = b2.Synapses(G, G, 'w : volt', on_pre='v += w')
    t0 = time.perf_counter()
    S.connect(p=p)
    S.w = 1.62*b2.mV
    best = min(best, time.perf_counter() - t0)
    nnz = len(S)
print(json.dumps({"seconds": best, "synapses": nnz}))
"""

BRIAN2_RANDOM_NETWORK = BRIAN2_PRELUDE + """
from brian2 import mV, ms, second
b2.seed(1)
eqs = '''
dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt
'''
P = b2.NeuronGroup(4000, eqs, threshold='v>-50*mV', reset='v=-60*mV',
                   method='exact')
P.v = -60*mV + 10*mV*np.random.rand(4000)
Ce = b2.Synapses(P[:3200], P, on_pre='ge += 1.62*mV')
Ce.connect(p=0.02)
Ci = b2.Synapses(P[3200:], P, on_pre='gi += -9*mV')
Ci.connect(p=0.02)
M = b2.SpikeMonitor(P)
net = b2.Network(P, Ce, Ci, M)
net.run(0*ms)                       # code generation and compilation
net.run(1*second, profile=True)
prop = sum(float(t) for name, t in net.profiling_info
           if name.startswith('synapses') and '_pre' in name)
i = np.asarray(M.i[:])
deg = np.concatenate([np.bincount(np.asarray(Ce.i[:]), minlength=3200),
                      np.bincount(np.asarray(Ci.i[:]), minlength=800)])
print(json.dumps({"seconds": prop, "events": int(deg[i].sum()),
                  "spikes": len(i)}))
"""

# -- hand-written C -------------------------------------------------------------

C_CONSTRUCTION = r"""
#include "bench.h"
int
main(int argc, char **argv)
{
    int32_t n = atoi(argv[1]);
    double p = atof(argv[2]);
    int reps = atoi(argv[3]);
    double best = 1e30;
    int64_t nnz = 0;
    for (int r = 0; r < reps; r++) {
        bl_rng rng = {bl_mix64(1 + (uint64_t)r)};
        bl_csr c;
        double t0 = bl_now();
        bl_csr_random(&c, n, n, p, 1.62e-3, &rng);
        double t = bl_now() - t0;
        best = t < best ? t : best;
        nnz = c.row_start[n];
        bl_csr_free(&c);
    }
    printf("{\"seconds\": %.6f, \"synapses\": %lld}\n", best,
           (long long)nnz);
    return 0;
}
"""

# brianc's core propagating micro.c's workload (same spike statistics and
# connectivity), built with the extension's own flags (setup.py): the
# connection phase alone, as the time of (update + propagate) minus the
# time of the generator update alone.
CORE_PROPAGATION = r"""
#include "bench.h"
#include "connection.h"
#define N_STEPS 10000
int
main(void)
{
    const int32_t n = 4000, n_exc = 3200;
    bl_rng rng = {7};
    int64_t cap = (int64_t)(n * 20.0 * BL_DT * N_STEPS * 1.5) + 1000, k = 0;
    int64_t *steps = malloc(sizeof(int64_t) * (size_t)cap);
    int32_t *idx = malloc(sizeof(int32_t) * (size_t)cap);
    for (int64_t s = 0; s < N_STEPS; s++) {
        for (int32_t i = 0; i < n && k < cap; i++) {
            if (bl_uniform(&rng) < 20.0 * BL_DT) {
                steps[k] = s;
                idx[k++] = i;
            }
        }
    }
    double *src_state = calloc(1, sizeof(double));
    double *tgt_state = calloc(2 * (size_t)n, sizeof(double));
    bc_group src, tgt;
    bc_group_init(&src, n, 0, src_state, BL_DT, 1, 0);
    bc_group_init(&tgt, n, 2, tgt_state, BL_DT, 1, 256);
    bc_group_set_schedule(&src, k, steps, idx, 0);
    bc_connection ce, ci;
    bc_count m;
    bc_connection_init(&ce, &src, 0, n_exc, &tgt, 0, n, 0);
    bc_connection_init(&ci, &src, n_exc, n - n_exc, &tgt, 0, n, 1);
    bc_connection_add_random(&ce, 3, 512, 0, n_exc, 0, n, 0.02, 1.62e-3, -1,
                             1, &m);
    bc_connection_add_random(&ci, 3, 513, 0, n - n_exc, 0, n, 0.02, -9e-3,
                             -1, 1, &m);
    bc_connection_compress(&ce);
    bc_connection_compress(&ci);
    double best = 1e30;
    int64_t events = 0;
    for (int rep = 0; rep < 3; rep++) {
        double t_both = 0.0, t_update = 0.0;
        for (int with = 0; with < 2; with++) {
            bc_group_reset_history(&src);
            src.schedule_pos = 0;
            events = 0;
            double t0 = bl_now();
            for (int64_t s = 0; s < N_STEPS; s++) {
                bc_group_update(&src, s, NULL);
                if (with) {
                    bc_connection_propagate(&ce);
                    bc_connection_propagate(&ci);
                }
            }
            double t = bl_now() - t0;
            if (with) {
                t_both = t;
            } else {
                t_update = t;
            }
        }
        best = t_both - t_update < best ? t_both - t_update : best;
    }
    for (int64_t s = 0; s < k; s++) {
        const bc_connection *c = idx[s] < n_exc ? &ce : &ci;
        int32_t i = idx[s] < n_exc ? idx[s] : idx[s] - n_exc;
        events += c->row_start[i + 1] - c->row_start[i];
    }
    printf("{\"seconds\": %.6f, \"events\": %lld}\n", best,
           (long long)events);
    return 0;
}
"""

C_FLAGS = ["-O3", "-march=native", "-ffast-math", "-std=c11", "-D_GNU_SOURCE"]


def run_json(cmd: list, env: dict | None = None) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd[:3]))} failed:\n"
                           f"{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_env() -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def find_brian2(requested: str | None) -> str | None:
    candidates = [requested, os.environ.get("BRIANC_BENCH_BRIAN2_PYTHON"),
                  sys.executable, str(BENCH / ".venv-brian2" / "bin" /
                                      "python")]
    for py in candidates:
        if py and Path(py).exists():
            ok = subprocess.run([py, "-c", "import brian2"],
                                capture_output=True).returncode == 0
            if ok:
                return py
    return None


def compile_c(tmp: Path) -> tuple[Path, Path]:
    src = tmp / "construct.c"
    src.write_text(C_CONSTRUCTION)
    construct = tmp / "construct"
    micro = tmp / "micro"
    inc = ["-I", str(BENCH / "baseline_c")]
    subprocess.run(["gcc", *C_FLAGS, *inc, str(src), "-o", str(construct),
                    "-lm"], check=True)
    subprocess.run(["gcc", *C_FLAGS, *inc, str(BENCH / "baseline_c" /
                                               "micro.c"), "-o", str(micro),
                    "-lm"], check=True)
    core = tmp / "core_propagation"
    src = tmp / "core_propagation.c"
    src.write_text(CORE_PROPAGATION)
    core_src = sorted(str(p) for p in (ROOT / "csrc" / "core").glob("*.c"))
    subprocess.run(["gcc", "-O3", "-std=c11", "-D_GNU_SOURCE",
                    "-fno-math-errno", "-fno-trapping-math", *inc, "-I",
                    str(ROOT / "csrc" / "core"), str(src), *core_src, "-o",
                    str(core), "-lm", "-pthread"], check=True)
    return construct, micro, core


def best_of(repeats: int, cmd: list, env=None) -> dict:
    """The run with the smallest time per unit among repeats."""
    runs = [run_json(cmd, env) for _ in range(repeats)]
    key = "events" if "events" in runs[0] else "synapses"
    return min(runs, key=lambda r: r["seconds"] / max(r[key], 1))


def compare_construction(baseline: str, repeats: int,
                         rounds: int = 3) -> str:
    """brianc's construction rate on this tree and on another (built in
    place), rounds alternating the two, for N = 4000, 20000 and 80000
    (one and several column blocks a row) on 1 and 2 threads: the median
    over rounds of each round's best of `repeats`.  Children run from a
    temporary directory, so `python -c` does not put this tree first."""
    trees = {"this tree": str(ROOT), "baseline": str(baseline)}
    lines = ["## Construction rate, this tree against a baseline "
             "(Msyn/s, median of rounds)", "",
             "| N | threads | synapses | this tree | baseline | ratio |",
             "|---|---|---|---|---|---|"]
    for n in (4000, 20000, 80000):
        for threads in (1, 2):
            rates: dict = {k: [] for k in trees}
            synapses = {}
            for _ in range(rounds):
                for label, root in trees.items():
                    env = dict(os.environ, BRIANC_THREADS=str(threads),
                               PYTHONPATH=root)
                    out = subprocess.run(
                        [sys.executable, "-c", BRIANC_CONSTRUCTION, str(n),
                         str(P_CONN), str(repeats)], capture_output=True,
                        text=True, env=env, cwd=tempfile.gettempdir())
                    if out.returncode != 0:
                        raise RuntimeError(out.stderr[-2000:])
                    r = json.loads(out.stdout.strip().splitlines()[-1])
                    rates[label].append(r["synapses"] / r["seconds"] / 1e6)
                    synapses[label] = r["synapses"]
            now = statistics.median(rates["this tree"])
            old = statistics.median(rates["baseline"])
            lines.append(f"| {n} | {threads} | {synapses['this tree']} | "
                         f"{now:.1f} | {old:.1f} | {now / old:.2f} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="only N = 4000, one repetition")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--brian2-python", default=None)
    ap.add_argument("--json", default=None, help="also write results here")
    ap.add_argument("--construction-baseline", default=None,
                    help="only brianc's construction, against this other "
                         "brianc tree (built in place)")
    opt = ap.parse_args(argv)
    if opt.construction_baseline:
        print(compare_construction(opt.construction_baseline, opt.repeats))
        return
    repeats = 1 if opt.quick else opt.repeats
    sizes = SIZES[:1] if opt.quick else SIZES
    env = child_env()
    b2py = find_brian2(opt.brian2_python)
    results: dict = {"construction": {}, "propagation": {}}
    with tempfile.TemporaryDirectory() as tmpdir:
        construct, micro, core = compile_c(Path(tmpdir))
        for n in sizes:
            row = {}
            row["brianc"] = run_json([sys.executable, "-c",
                                      BRIANC_CONSTRUCTION, str(n),
                                      str(P_CONN), str(repeats)], env)
            row["c"] = run_json([str(construct), str(n), str(P_CONN),
                                 str(repeats)])
            if b2py:
                row["brian2"] = run_json([b2py, "-c", BRIAN2_CONSTRUCTION,
                                          str(n), str(P_CONN), str(repeats)],
                                         env)
            results["construction"][n] = row
        prop = results["propagation"]
        prop["brianc_random_network"] = run_json(
            [sys.executable, "-c", BRIANC_RANDOM_NETWORK, str(repeats)], env)
        prop["brianc_alone"] = run_json(
            [sys.executable, "-c", BRIANC_PROPAGATION, str(repeats)], env)
        prop["brianc_core_alone"] = run_json([str(core)])
        c_micro = run_json([str(micro), "propagation"])
        prop["c_alone"] = {"seconds": c_micro["best_s"],
                           "events": int(c_micro["units"])}
        if b2py:
            prop["brian2_random_network"] = best_of(
                repeats, [b2py, "-c", BRIAN2_RANDOM_NETWORK], env)
    print(report(results, b2py))
    if opt.json:
        Path(opt.json).write_text(json.dumps(results, indent=1))


def report(results: dict, b2py: str | None) -> str:
    lines = ["## Construction (Connection with sparseness=0.02, compressed)",
             "",
             "| N | synapses | brianc (Msyn/s) | Brian 2 cython (Msyn/s) | "
             "hand C (Msyn/s) | brianc / Brian 2 speed-up | "
             "brianc bytes/synapse |",
             "|---|---|---|---|---|---|---|"]
    for n, row in results["construction"].items():
        rate = {k: v["synapses"] / v["seconds"] / 1e6 for k, v in row.items()}
        b2 = f"{rate['brian2']:.1f}" if "brian2" in rate else "n/a"
        speed = (f"{rate['brianc'] / rate['brian2']:.0f}x"
                 if "brian2" in rate else "n/a")
        per_syn = row["brianc"]["bytes"] / row["brianc"]["synapses"]
        lines.append(f"| {n} | {row['brianc']['synapses']} | "
                     f"{rate['brianc']:.1f} | {b2} | {rate['c']:.1f} | "
                     f"{speed} | {per_syn:.2f} |")
    prop = results["propagation"]

    def ns(key: str) -> str:
        if key not in prop:
            return "n/a"
        r = prop[key]
        return f"{1e9 * r['seconds'] / max(r['events'], 1):.2f}"

    lines += ["", "## Propagation (ns per synaptic event, connection phase)",
              "", "| workload | brianc | Brian 2 cython | hand C |",
              "|---|---|---|---|",
              f"| random_network model, 1 s | "
              f"{ns('brianc_random_network')} | "
              f"{ns('brian2_random_network')} | |",
              f"| Poisson 20 Hz -> same connectivity, propagation alone | "
              f"{ns('brianc_alone')} | | {ns('c_alone')} |",
              f"| the same, brianc's C core alone (no interleaved group "
              f"update) | {ns('brianc_core_alone')} | | {ns('c_alone')} |"]
    if "c_alone" in prop:
        c_ns = prop["c_alone"]["seconds"] / prop["c_alone"]["events"]
        lines.append("")
        for key, what in (("brianc_alone", "in a network run"),
                          ("brianc_core_alone", "core loop")):
            ratio = prop[key]["seconds"] / prop[key]["events"] / c_ns
            lines.append(f"brianc / hand C, propagation alone ({what}): "
                         f"{ratio:.2f}")
    if b2py is None:
        lines.append("\nBrian 2 not found (see benchmarks/README.md).")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
