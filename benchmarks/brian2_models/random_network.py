"""Brian 2 translation of demos/random_network.py (CUBA network, exact linear).

4000*scale neurons, 80 % excitatory; the connection probability is divided by
scale so every neuron keeps ~80 presynaptic partners.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import NeuronGroup, SpikeMonitor, Synapses, mV
    import numpy as np

    n = int(round(4000 * scale))
    n_exc = int(round(3200 * scale))
    p = 0.02 / scale
    eqs = """
    dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
    dge/dt = -ge/(5*ms) : volt
    dgi/dt = -gi/(10*ms) : volt
    """
    P = NeuronGroup(n, eqs, threshold="v>-50*mV", reset="v=-60*mV",
                    method="exact")
    P.v = -60 * mV + 10 * mV * np.random.rand(n)
    Pe = P[:n_exc]
    Pi = P[n_exc:]
    # Brian 1 adds a Connection's weight in the step after the spike's
    # threshold, as Brian 2's on_pre does with no delay.
    Ce = Synapses(Pe, P, on_pre="ge += 1.62*mV")
    Ce.connect(p=p)
    Ci = Synapses(Pi, P, on_pre="gi += -9*mV")
    Ci.connect(p=p)
    M = SpikeMonitor(P)
    return n, [M], [P, Ce, Ci, M]


if __name__ == "__main__":
    main(build, default_duration_ms=1000.0, scalable=True)
