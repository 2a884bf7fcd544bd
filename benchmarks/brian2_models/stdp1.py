"""Brian 2 translation of Brian 1's examples/plasticity/STDP1.py (Song,
Miller & Abbott 2000): 1000 Poisson inputs at 15 Hz onto one neuron,
additive all-pairs STDP on every synapse, written the Brian 2 way
(Synapses with event-driven traces).  --scale K gives K such neurons,
all fed by the same 1000 inputs (K = 1000: the 10^6 plastic synapses of
bench_synapses_brian2.py).  Timings as in _common.py."""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import (NeuronGroup, PoissonGroup, SpikeMonitor, Synapses,
                        Hz, mV, ms)
    N = 1000
    ns = {"taum": 10 * ms, "taupre": 20 * ms, "taupost": 20 * ms,
          "taue": 5 * ms, "Ee": 0 * mV, "vt": -54 * mV, "vr": -60 * mV,
          "El": -74 * mV, "gmax": .01}
    ns["dApre"] = .01 * ns["gmax"]
    ns["dApost"] = -.01 * 1.05 * ns["gmax"]
    eqs = """
    dv/dt = (ge * (Ee-vr) + El - v) / taum : volt
    dge/dt = -ge / taue : 1
    """
    inputs = PoissonGroup(N, rates=15 * Hz)
    n_neurons = int(round(scale))
    neurons = NeuronGroup(n_neurons, eqs, threshold="v>vt", reset="v = vr",
                          method="exact", namespace=ns)
    neurons.v = ns["vr"]
    S = Synapses(inputs, neurons, """
        w : 1
        dApre/dt = -Apre / taupre : 1 (event-driven)
        dApost/dt = -Apost / taupost : 1 (event-driven)""",
                 on_pre="""ge += w
        Apre += dApre
        w = clip(w + Apost, 0, gmax)""",
                 on_post="""Apost += dApost
        w = clip(w + Apre, 0, gmax)""", namespace=ns)
    S.connect()
    S.w = "rand() * gmax"
    M = SpikeMonitor(neurons)
    return n_neurons, [M], [inputs, neurons, S, M]


if __name__ == "__main__":
    main(build, default_duration_ms=10000.0, scalable=True)
