"""Memory over a loop that rebuilds a network by rebinding its names.

    python benchmarks/bench_rebind_memory.py [--iterations 200] [--n 4000]

A Brian 1 script's loop at module level (``G = NeuronGroup(...)``, a
CUBA-like network with random connections and monitors, a short run,
nothing deleted) in a child process; prints the resident set size after
the first 10 iterations and at the end, and the growth per iteration
between them.  Every earlier network must be freed when its names are
rebound: the growth should stay well under 50 KB per iteration.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap

CHILD = """
import gc
from brianc import *

def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 // 1024

N, ITERATIONS = {n}, {iterations}
marks = []
for k in range(ITERATIONS):
    P = NeuronGroup(N, '''dv/dt = (ge + gi - (v + 49*mV))/(20*ms) : volt
                          dge/dt = -ge/(5*ms) : volt
                          dgi/dt = -gi/(10*ms) : volt''',
                    threshold='v > -50*mV', reset='v = -60*mV')
    P.v = -60*mV + 10*mV * rand(N)
    Pe = P.subgroup(int(0.8 * N))
    Pi = P.subgroup(N - int(0.8 * N))
    Ce = Connection(Pe, P, 'ge', weight=1.62*mV, sparseness=0.02)
    Ci = Connection(Pi, P, 'gi', weight=-9*mV, sparseness=0.02)
    M = SpikeMonitor(P)
    S = StateMonitor(P, 'v', record=[0, 1])
    run(10*ms)
    reinit_default_clock()
    if k in (9, ITERATIONS - 1):
        gc.collect()
        marks.append(rss_kb())
print(marks[0], marks[1])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--n", type=int, default=4000)
    args = parser.parse_args()
    if args.iterations < 11:
        parser.error("--iterations must be at least 11")
    code = textwrap.dedent(CHILD.format(n=args.n,
                                        iterations=args.iterations))
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         capture_output=True, text=True).stdout.split()
    first, last = int(out[0]), int(out[1])
    per = (last - first) / (args.iterations - 10)
    print(f"rebind loop, N = {args.n}: RSS {first / 1024:.1f} MB after 10 "
          f"iterations, {last / 1024:.1f} MB after {args.iterations}: "
          f"{per:+.1f} KB per iteration")


if __name__ == "__main__":
    main()
