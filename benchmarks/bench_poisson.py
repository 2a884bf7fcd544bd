"""Poisson input speed: 10,000 Poisson sources at 10 Hz driving 1,000 leaky
neurons (connection probability 2 %), as a PoissonGroup + Connection and as
the equivalent PoissonInput (200 inputs per neuron), in brianc and in
Brian 2 (cython target, compilation excluded).  Prints ns per source-step.

    python benchmarks/bench_poisson.py [--duration 1.0] [--no-brian2]
    python benchmarks/bench_poisson.py --group-cost [--repeats 5]

--group-cost: a PoissonGroup of 100,000 sources at 50 Hz alone (one rate
for all: the spiking sources are drawn as geometric gaps), in seconds of
CPU and of wall time per simulated second, single-threaded, median of the
repeats; CPU time is the figure to quote on a shared machine.

Brian 2 runs in benchmarks/.venv-brian2 (benchmarks/setup_brian2_env.sh)
when the current interpreter cannot import it (NumPy 2.4 broke Brian 2.9).
"""
import argparse
import json
import os
import subprocess
import sys
import time

N_SOURCES, N_TARGETS, P_CONNECT, RATE_HZ = 10_000, 1_000, 0.02, 10.0


def brianc_run(duration: float, kind: str) -> tuple[float, int]:
    import brianc as b
    b.clear(True, all=True)
    b.seed(1)
    b.defaultclock.dt = 0.1 * b.ms
    b.defaultclock.reinit()
    G = b.NeuronGroup(N_TARGETS, "dv/dt = -v/(10*ms) : volt")
    objs = [G]
    if kind == "group":
        P = b.PoissonGroup(N_SOURCES, RATE_HZ * b.Hz)
        C = b.Connection(P, G, "v")
        C.connect_random(P, G, P_CONNECT, weight=0.1 * b.mV)
        objs += [P, C]
    else:
        objs.append(b.PoissonInput(G, N=int(N_SOURCES * P_CONNECT),
                                   rate=RATE_HZ * b.Hz, weight=0.1 * b.mV,
                                   state="v"))
    net = b.Network(*objs)
    net.run(10 * b.ms)                  # builds and compresses once
    start = time.perf_counter()
    net.run(duration * b.second)
    return time.perf_counter() - start, int(round(duration / 1e-4))


def brian2_run(duration: float, kind: str) -> tuple[float, int]:
    import brian2 as b2
    b2.start_scope()
    b2.prefs.codegen.target = "cython"
    b2.defaultclock.dt = 0.1 * b2.ms
    b2.seed(1)
    G = b2.NeuronGroup(N_TARGETS, "dv/dt = -v/(10*ms) : volt",
                       method="exact")
    objs = [G]
    if kind == "group":
        P = b2.PoissonGroup(N_SOURCES, RATE_HZ * b2.Hz)
        S = b2.Synapses(P, G, on_pre="v += 0.1*mV")
        S.connect(p=P_CONNECT)
        objs += [P, S]
    else:
        objs.append(b2.PoissonInput(G, "v", int(N_SOURCES * P_CONNECT),
                                    RATE_HZ * b2.Hz, weight=0.1 * b2.mV))
    net = b2.Network(*objs)
    net.run(10 * b2.ms)                 # compiles
    start = time.perf_counter()
    net.run(duration * b2.second)
    return time.perf_counter() - start, int(round(duration / 1e-4))


def brian2_timed(duration: float, kind: str) -> tuple[float, int]:
    """brian2_run here if brian2 imports, else in the Brian 2 venv."""
    try:
        import brian2  # noqa: F401
        return brian2_run(duration, kind)
    except Exception:
        pass
    python = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          ".venv-brian2", "bin", "python")
    out = subprocess.run([python, os.path.abspath(__file__), "--brian2-only",
                          kind, "--duration", str(duration)],
                         capture_output=True, text=True, check=True).stdout
    wall, steps = json.loads(out.strip().splitlines()[-1])
    return wall, steps


def group_cost(repeats: int) -> None:
    import statistics

    import brianc as b
    walls, cpus = [], []
    for _ in range(repeats):
        b.clear(True, all=True)
        b.seed(1)
        b.defaultclock.dt = 0.1 * b.ms
        b.defaultclock.reinit()
        net = b.Network(b.PoissonGroup(100_000, 50 * b.Hz))
        net.run(1 * b.ms)               # builds the C network
        wall, cpu = time.perf_counter(), time.process_time()
        net.run(1 * b.second)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"PoissonGroup(100000, 50 Hz), 1 s at dt = 0.1 ms, median of "
          f"{repeats}: {statistics.median(cpus):.3f} s CPU, "
          f"{statistics.median(walls):.3f} s wall per simulated second")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=1.0)
    ap.add_argument("--no-brian2", action="store_true")
    ap.add_argument("--brian2-only", choices=("group", "input"))
    ap.add_argument("--group-cost", action="store_true")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    if args.group_cost:
        os.environ.setdefault("BRIANC_THREADS", "1")
        group_cost(args.repeats)
        return
    if args.brian2_only:
        print(json.dumps(brian2_run(args.duration, args.brian2_only)))
        sys.exit(0)
    print(f"{N_SOURCES} sources at {RATE_HZ} Hz -> {N_TARGETS} neurons, "
          f"{args.duration} s at dt = 0.1 ms; ns per source-step")
    print(f"{'variant':<28}{'brianc':>10}{'brian2':>10}{'ratio':>8}")
    for kind, label in (("group", "PoissonGroup + Connection"),
                        ("input", "PoissonInput (binomial)")):
        wall, steps = brianc_run(args.duration, kind)
        ns = wall / (N_SOURCES * steps) * 1e9
        line = f"{label:<28}{ns:>10.2f}"
        if not args.no_brian2:
            wall2, steps2 = brian2_timed(args.duration, kind)
            ns2 = wall2 / (N_SOURCES * steps2) * 1e9
            line += f"{ns2:>10.2f}{ns2 / ns:>7.1f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
