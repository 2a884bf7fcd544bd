"""Brian 2 translation of demos/synfire_chain.py (Diesmann et al. 1999).

Ten groups of 100 noisy IF neurons (Euler with noise), fully connected group
to group; a PulsePacket of 85 spikes (t = 50 ms, sigma = 1 ms) feeds group 0.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import (NeuronGroup, SpikeGeneratorGroup, SpikeMonitor,
                        Synapses, ms, mV, second)
    import numpy as np

    ns = dict(Vr=-70 * mV, Vt=-55 * mV, taum=10 * ms, taupsp=0.325 * ms,
              weight=4.86 * mV)
    eqs = """
    dV/dt=(-(V-Vr)+x)*(1./taum) : volt (unless refractory)
    dx/dt=(-x+y)*(1./taupsp) : volt
    dy/dt=-y*(1./taupsp)+25.27*mV/ms+(39.24*mV/ms**0.5)*xi : volt
    """
    P = NeuronGroup(1000, eqs, threshold="V>Vt", reset="V=Vr",
                    refractory=1 * ms, method="euler", namespace=ns)
    # PulsePacket: n sources, one spike each at t + sigma*N(0, 1)
    n_in = 85
    times = np.maximum(50e-3 + 1e-3 * np.random.randn(n_in), 0.0) * second
    Pinput = SpikeGeneratorGroup(n_in, np.arange(n_in), times)
    # connect_full(Pgp[i], Pgp[i+1]) for i in 0..8: each group to the next
    pre = np.repeat(np.arange(900), 100)
    post = (pre // 100 + 1) * 100 + np.tile(np.arange(100), 900)
    C = Synapses(P, P, on_pre="y += weight", namespace=ns)
    C.connect(i=pre, j=post)
    Cinput = Synapses(Pinput, P, on_pre="y += weight", namespace=ns)
    Cinput.connect(i=np.repeat(np.arange(n_in), 100),
                   j=np.tile(np.arange(100), n_in))
    M = SpikeMonitor(P)
    Minput = SpikeMonitor(Pinput)
    P.V = ns["Vr"] + np.random.rand(1000) * (ns["Vt"] - ns["Vr"])
    return 1000, [M, Minput], [P, Pinput, C, Cinput, M, Minput]


if __name__ == "__main__":
    main(build, default_duration_ms=100.0, scalable=False)
