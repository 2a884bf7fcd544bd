"""Per-step overhead of brianc's run loop: an almost empty network, 100
small groups, and the random_network demo with and without monitors.

    python benchmarks/bench_overhead.py [--repeat 3]

Prints one line per case: wall time of run() (best of --repeat) and the
time per simulated step.
"""
from __future__ import annotations

import argparse
import time

from brianc import (Connection, Network, NeuronGroup, PopulationRateMonitor,
                    SpikeMonitor, StateMonitor, mV, ms, rand,
                    reinit_default_clock, second, seed)


def lif_group(n: int) -> NeuronGroup:
    return NeuronGroup(n, "dv/dt = (-v + 20*mV)/(10*ms) : volt",
                       threshold=15 * mV, reset=0 * mV)


def empty_network() -> Network:
    """One neuron without dynamics or threshold: the loop itself."""
    return Network(NeuronGroup(1, "v : volt"))


def small_groups() -> Network:
    """100 groups of 10 LIF neurons, each with a threshold and reset."""
    return Network([lif_group(10) for _ in range(100)])


def random_network(monitors: bool) -> Network:
    """demos/random_network.py (4000 neurons, 2 connections)."""
    seed(1)
    eqs = """
    dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
    dge/dt = -ge/(5*ms) : volt
    dgi/dt = -gi/(10*ms) : volt
    """
    P = NeuronGroup(4000, eqs, threshold=-50 * mV, reset=-60 * mV)
    P.v = -60 * mV + 10 * mV * rand(len(P))
    Pe = P.subgroup(3200)
    Pi = P.subgroup(800)
    objects = [P,
               Connection(Pe, P, "ge", weight=1.62 * mV, sparseness=0.02),
               Connection(Pi, P, "gi", weight=-9 * mV, sparseness=0.02)]
    if monitors:
        objects += [SpikeMonitor(P), PopulationRateMonitor(P),
                    StateMonitor(P, "v", record=[0, 1, 2])]
    return Network(*objects)


def time_run(make, duration, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        reinit_default_clock()
        net = make()
        net.run(1 * ms)             # first run: compression, warm-up
        start = time.perf_counter()
        net.run(duration)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [
        ("empty network", empty_network, 10 * second),
        ("100 groups of 10", small_groups, 1 * second),
        ("random_network, no monitors", lambda: random_network(False),
         1 * second),
        ("random_network, 3 monitors", lambda: random_network(True),
         1 * second),
    ]
    for name, make, duration in cases:
        wall = time_run(make, duration, args.repeat)
        steps = int(round(float(duration) / 1e-4))
        print(f"{name:32s} {wall:8.3f} s  {1e9 * wall / steps:10.1f} "
              f"ns/step  ({steps} steps)")


if __name__ == "__main__":
    main()
