"""Speed of the neuron update alone: brianc's NeuronGroup step against the
hand-written C kernels of benchmarks/baseline_c/micro.c, in ns per
neuron-step, for the three scalable demo models without synapses.

    python benchmarks/bench_update.py [--repeats 5] [--steps 10000] [--perf]
                                      [--json FILE] [--no-breakdown]

BRIANC_ISA=baseline|avx2|avx512 runs brianc on that vector-kernel path
(the table's header names the path); the hand C is the same in each.

Each repetition runs every model through brianc (best of three runs of
--steps steps, timed inside run() only, without the profiler; the phase
columns come from one more, profiled, run) and then through micro.c (which
reports its own best of three), so machine drift hits both alike; the table
shows the medians over the repetitions.  Wall times and CPU times (of the
process: one thread) are both reported; on a shared machine the wall
times stretch with the other load and the CPU ratio is the one to quote.  --perf adds a perf profile of
brianc's HH and noisy updates and the opcode mix of their VM programs.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MICRO_C = HERE / "baseline_c" / "micro.c"
C_FLAGS = ["-O3", "-march=native", "-ffast-math"]
DT = 1e-4                   # s: every demo runs at Brian's default 0.1 ms
INNER = 3                   # brianc runs per repetition, as micro.c's best of 3


# -- the models: each demo's NeuronGroup with its threshold/reset, no synapses

def hh_network():
    """demos/hh_network.py: 4000 HH neurons, exponential Euler."""
    from brianc import (EmpiricalThreshold, Equations, NeuronGroup, cm, mV,
                        ms, msiemens, nS, randn, siemens, ufarad, umetre)
    area = 20000 * umetre ** 2
    Cm = (1 * ufarad * cm ** -2) * area                 # noqa: F841
    gl = (5e-5 * siemens * cm ** -2) * area             # noqa: F841
    El = -60 * mV
    EK, ENa = -90 * mV, 50 * mV                         # noqa: F841
    g_na = (100 * msiemens * cm ** -2) * area           # noqa: F841
    g_kd = (30 * msiemens * cm ** -2) * area            # noqa: F841
    VT = -63 * mV                                       # noqa: F841
    taue, taui = 5 * ms, 10 * ms                        # noqa: F841
    Ee, Ei = 0 * mV, -80 * mV                           # noqa: F841
    eqs = Equations('''
dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpham*(1-m)-betam*m : 1
dn/dt = alphan*(1-n)-betan*n : 1
dh/dt = alphah*(1-h)-betah*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpham = 0.32*(mV**-1)*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
betam = 0.28*(mV**-1)*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
alphah = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
betah = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alphan = 0.032*(mV**-1)*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
betan = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
''')
    P = NeuronGroup(4000, model=eqs,
                    threshold=EmpiricalThreshold(threshold=-20 * mV,
                                                 refractory=3 * ms),
                    implicit=True, freeze=True)
    P.v = El + (randn(len(P)) * 5 - 5) * mV
    P.ge = (randn(len(P)) * 1.5 + 4) * 10. * nS
    P.gi = (randn(len(P)) * 12 + 20) * 10. * nS
    return P, dict(implicit=True)


def random_network():
    """demos/random_network.py: 4000 CUBA neurons, exact linear update."""
    from brianc import NeuronGroup, mV, rand
    eqs = '''
dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt
'''
    P = NeuronGroup(4000, eqs, threshold=-50 * mV, reset=-60 * mV)
    P.v = -60 * mV + 10 * mV * rand(len(P))
    return P, {}


def sparse_inhibitory():
    """demos/sparse_inhibitory.py: 5000 noisy LIF neurons, forward Euler
    plus one normal draw per neuron-step, 2 ms refractory clamp."""
    from brianc import NeuronGroup, mV, ms
    Vr, theta = 10 * mV, 20 * mV
    tau, taurefr = 20 * ms, 2 * ms                      # noqa: F841
    muext, sigmaext = 25 * mV, 1 * mV                   # noqa: F841
    eqs = "dV/dt=(-V+muext+sigmaext*sqrt(tau)*xi)/tau : volt"
    group = NeuronGroup(5000, eqs, threshold=theta, reset=Vr,
                        refractory=taurefr)
    group.V = Vr
    return group, {}


# name, builder, micro.c benchmark key
MODELS = [("hh_network", hh_network, "hh"),
          ("random_network", random_network, "cuba"),
          ("sparse_inhibitory", sparse_inhibitory, "noisy")]


def time_brianc(build, n_steps: int, profile: bool = False) -> dict:
    """One fresh group run for n_steps; seconds of run() and, with
    profile, of its phases.  The profiler reads the clock several times a
    step (about 0.08 ns per neuron-step of random_network here), so the
    timed runs go without it and the phases come from a run of their
    own."""
    from brianc import Network, reinit_default_clock, second, seed
    reinit_default_clock()
    seed(1)
    group, _ = build()
    net = Network(group)
    net.run(DT * second)            # first run builds the C network
    started, cpu = time.perf_counter(), time.process_time()
    net.run(n_steps * DT * second, profile=profile)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    prof = dict(net.profile) if profile else {}
    return {"run": wall, "cpu": cpu, "update": prof.get("update"),
            "reset": prof.get("reset"), "n": len(group)}


def count_spikes(build, n_steps: int) -> int:
    """Spikes over n_steps (untimed run with a SpikeMonitor): a check that
    brianc and the C kernel do comparable work."""
    from brianc import (Network, SpikeMonitor, reinit_default_clock, second,
                        seed)
    reinit_default_clock()
    seed(1)
    group, _ = build()
    mon = SpikeMonitor(group)
    Network(group, mon).run((n_steps + 1) * DT * second)
    return int(mon.nspikes)


def build_micro(workdir: Path) -> Path:
    exe = workdir / "micro"
    subprocess.run(["gcc", *C_FLAGS, "-o", str(exe), str(MICRO_C), "-lm"],
                   check=True)
    return exe


def time_c(exe: Path, key: str) -> dict:
    out = subprocess.run([str(exe), key], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[0])


def measure(repeats: int, n_steps: int) -> dict:
    results = {name: {"brianc": [], "c": []} for name, _, _ in MODELS}
    loads = [os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        exe = build_micro(Path(tmp))
        for rep in range(repeats):
            for name, build, key in MODELS:
                runs = [time_brianc(build, n_steps) for _ in range(INNER)]
                best = dict(min(runs, key=lambda r: r["run"]))
                best["cpu"] = min(r["cpu"] for r in runs)   # as micro.c
                phases = time_brianc(build, n_steps, profile=True)
                best["update"], best["reset"] = (phases["update"],
                                                 phases["reset"])
                results[name]["brianc"].append(best)
                results[name]["c"].append(time_c(exe, key))
            loads.append(os.getloadavg())
            print(f"repetition {rep + 1}/{repeats} done, load "
                  f"{loads[-1][0]:.2f}", file=sys.stderr)
    for name, build, _ in MODELS:
        results[name]["spikes"] = count_spikes(build, n_steps)
    results["_load"] = loads
    return results


def table(results: dict, n_steps: int) -> str:
    rows = ["| model | N | brianc run() | brianc update phase | "
            "brianc reset phase | hand C | brianc/C (run) | "
            "brianc/C (update+reset) | brianc run() CPU | hand C CPU | "
            "brianc/C (CPU) | spikes brianc / C |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, _, _ in MODELS:
        r = results[name]
        n = r["brianc"][0]["n"]
        per = 1e9 / (n * n_steps)
        run = statistics.median(b["run"] for b in r["brianc"]) * per
        upd = statistics.median(b["update"] for b in r["brianc"]) * per
        rst = statistics.median(b["reset"] for b in r["brianc"]) * per
        upd_rst = statistics.median(b["update"] + b["reset"]
                                    for b in r["brianc"]) * per
        c = statistics.median(x["ns_per_unit"] for x in r["c"])
        cpu = statistics.median(b["cpu"] for b in r["brianc"]) * per
        c_cpu = statistics.median(x["ns_per_unit_cpu"] for x in r["c"])
        rows.append(f"| {name} | {n} | {run:.2f} | {upd:.2f} | {rst:.3f} | "
                    f"{c:.2f} | {run / c:.2f} | {upd_rst / c:.2f} | "
                    f"{cpu:.2f} | {c_cpu:.2f} | {cpu / c_cpu:.2f} | "
                    f"{r['spikes']} / {r['c'][0]['spikes']} |")
    return "\n".join(rows)


# -- where brianc's update time goes ------------------------------------------
#
# Marginal costs by duplication: a variant of the update program runs a
# copy of every selected instruction just before the original, writing to
# an extra scratch register.  The copy reads exactly the original's
# operands, so the dynamics (and the values fed to exp, the divisions and
# the branches of the kernels) stay those of the real run, and the extra
# update time is what those instructions cost.

def with_duplicates(program, keep):
    """program plus, before each instruction op with keep(op), a copy
    writing to a fresh TEMP register."""
    import dataclasses

    from brianc import _core
    from brianc._expr_compiler import REG_TEMP
    scratch = program.n_regs
    rows = []
    for ins in program.code:
        if keep(int(ins[0])):
            dup = ins.copy()
            dup[1] = scratch
            rows.append(dup)
        rows.append(ins)
    # RAND/RANDN copies draw from a sub-stream the program does not use
    randn = _core.OPCODES["RANDN"], _core.OPCODES["RAND"]
    code = np.array(rows, dtype=np.int32).reshape(-1, 5)
    for row in code:
        if row[1] == scratch and row[0] in randn:
            row[2] = 255
    return dataclasses.replace(
        program, code=code,
        reg_kind=np.append(program.reg_kind, np.int32(REG_TEMP)),
        reg_index=np.append(program.reg_index, np.int32(0)),
        reg_const=np.append(program.reg_const, 0.0))


def opcode_mix(program, info) -> collections.Counter:
    """Instructions of an update program by opcode (each one is a pass
    over a 256-neuron block)."""
    from brianc import _core
    names = {v: k for k, v in _core.OPCODES.items()}
    mix = collections.Counter(names[int(op)] for op in program.code[:, 0])
    if program.linear is not None:
        mix[f"linear prologue ({info.method}, "
            f"{len(program.linear[1])} rows)"] += 1
    return mix


def update_time(build, n_steps: int, variant) -> float:
    """Update-phase seconds of one run with the program variant(program)."""
    from brianc import Network, reinit_default_clock, second, seed
    from brianc._program import core_program
    reinit_default_clock()
    seed(1)
    group, kwargs = build()
    program, _ = group._model.compile_update(DT, **kwargs)
    if variant is not None:
        group._c.set_update(core_program(variant(program)))
    net = Network(group)
    net.run(DT * second)
    net.run(n_steps * DT * second, profile=True)
    return net.profile["update"]


def ablation(name: str, build, n_steps: int, repeats: int) -> str:
    from brianc import _core, reinit_default_clock
    ops = _core.OPCODES
    reinit_default_clock()
    group, kwargs = build()
    program, info = group._model.compile_update(DT, **kwargs)
    mix = opcode_mix(program, info)
    n = len(group)
    groups = {
        "exp family (EXP[M1|REL][A])": {ops[k] for k in (
            "EXP", "EXPM1", "EXPREL", "EXPA", "EXPM1A", "EXPRELA")},
        "divisions (DIV)": {ops["DIV"]},
        "normal draws (RANDN)": {ops["RANDN"]},
        "A == 0 guards (NE, WHERE)": {ops["NE"], ops["WHERE"]},
        "fused pairs (FMS, FNMA, ...)": {ops[k] for k in (
            "FMS", "FNMA", "SUBMUL", "ADDMUL", "MUL3")},
        "all other arithmetic": {ops[k] for k in
                                 ("ADD", "SUB", "MUL", "FMA", "NEG", "MOV")},
    }
    groups = {k: v for k, v in groups.items()
              if any(int(op) in v for op in program.code[:, 0])}
    variants = {"as compiled": None}
    variants.update({k: (lambda p, v=v: with_duplicates(
        p, lambda op: op in v)) for k, v in groups.items()})
    times: dict = {k: [] for k in variants}
    for _ in range(repeats):             # alternate the variants
        for k, var in variants.items():
            times[k].append(update_time(build, n_steps, var))
    per = 1e9 / (n * n_steps)
    # fastest of the repetitions: contention on the shared machine only
    # ever adds time, so minima estimate the intrinsic costs best
    base = min(times["as compiled"]) * per
    lines = [f"{name}: update program of {sum(mix.values())} instructions "
             "(" + ", ".join(f"{k} {v}" for k, v in mix.most_common())
             + f"); update phase {base:.2f} ns/neuron-step (fastest of "
             f"{repeats}), of which, by running each kind twice:"]
    for k in groups:
        extra = min(times[k]) * per - base
        count = sum(int(op) in groups[k] for op in program.code[:, 0])
        lines.append(f"  {k:28s} {count:3d} instr  {extra:6.2f} ns "
                     f"({100 * extra / base:4.1f} %, "
                     f"{extra / count:.3f} ns per instruction)")
    return "\n".join(lines)


def child(model: str, n_steps: int) -> None:
    """--child: run one model's brianc update for perf to sample."""
    build = dict((name, b) for name, b, _ in MODELS)[model]
    for _ in range(2):
        time_brianc(build, n_steps)


def perf_profile(model: str, n_steps: int, tmp: Path) -> str:
    """perf record (software cpu-clock: no hardware counters on this VM)
    of a child running the model; shares of the samples in brianc's own
    extension (construction and the interpreter left out)."""
    data = tmp / f"{model}.perf"
    subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", "2000",
                    "-o", str(data), "--", sys.executable, __file__,
                    "--child", model, "--steps", str(n_steps)],
                   check=True, capture_output=True)
    report = subprocess.run(["perf", "report", "-i", str(data), "--stdio",
                             "--sort", "dso,symbol", "--percent-limit",
                             "0.5"], check=True, capture_output=True,
                            text=True).stdout
    rows = []
    for ln in report.splitlines():
        m = re.match(r"\s*([0-9.]+)%\s+(\S+)\s+\[\.\]\s+(\S+)", ln)
        if m and m.group(2).startswith("_core"):
            rows.append((float(m.group(1)), m.group(3)))
    total = sum(r[0] for r in rows) or 1.0
    return (f"perf, {model}: samples in brianc's _core (= 100 %): "
            + ", ".join(f"{sym} {100 * pct / total:.0f} %"
                        for pct, sym in rows))


def breakdown(n_steps: int, repeats: int, use_perf: bool) -> str:
    out = []
    # 3000 steps per variant keep the breakdown to about a minute
    for name, build, _ in MODELS:
        if name != "random_network":
            out.append(ablation(name, build, min(n_steps, 3000), repeats))
    if use_perf:
        if shutil.which("perf") is None:
            out.append("perf not found: no profile")
        else:
            with tempfile.TemporaryDirectory() as tmp:
                for name in ("hh_network", "sparse_inhibitory"):
                    out.append(perf_profile(name, n_steps, Path(tmp)))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10000)
    parser.add_argument("--perf", action="store_true")
    parser.add_argument("--no-breakdown", action="store_true",
                        help="the table only (no per-opcode breakdown)")
    parser.add_argument("--json", type=Path,
                        help="also write every measurement to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.steps)
        return
    results = measure(args.repeats, args.steps)
    from brianc import _core
    # BRIANC_ISA=baseline|avx2|avx512 runs brianc on one kernel path
    print(f"brianc vector kernels: {_core.ISA} (this CPU runs: "
          f"{_core.ISA_AVAILABLE}; choose with BRIANC_ISA)")
    print(f"ns per neuron-step, median of {args.repeats} repetitions "
          f"(brianc: best of {INNER} runs of {args.steps} steps each; hand "
          f"C: micro.c's best of 3, gcc {' '.join(C_FLAGS)})")
    print(table(results, args.steps))
    if args.steps != 10000:
        print("(micro.c always runs 10000 steps: spike counts differ)")
    loads = np.array(results["_load"])
    print(f"load average (1 min) during the runs: {loads[0, 0]:.2f} at "
          f"start, {loads[1:, 0].min():.2f}-{loads[1:, 0].max():.2f} after "
          f"each repetition; {os.cpu_count()} cpus")
    text = "" if args.no_breakdown else breakdown(args.steps, args.repeats,
                                                   args.perf)
    print(text)
    if args.json is not None:
        results["_breakdown"] = text
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
