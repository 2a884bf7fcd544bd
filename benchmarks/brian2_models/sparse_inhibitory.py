"""Brian 2 translation of demos/sparse_inhibitory.py (Brunel-style network).

Forward Euler with noise, as Brian 1 integrates this model; 5000*scale
neurons with the connection probability divided by scale (C = 1000 inputs).
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import NeuronGroup, SpikeMonitor, Synapses, mV, ms

    n = int(round(5000 * scale))
    Vr = 10 * mV
    theta = 20 * mV
    tau = 20 * ms
    delta = 2 * ms
    taurefr = 2 * ms
    C = 1000
    sparseness = float(C) / n
    J = 0.1 * mV
    muext = 25 * mV
    sigmaext = 1 * mV
    ns = {"Vr": Vr, "theta": theta, "tau": tau, "J": J, "muext": muext,
          "sigmaext": sigmaext}
    eqs = ("dV/dt = (-V+muext+sigmaext*sqrt(tau)*xi)/tau : volt "
           "(unless refractory)")
    group = NeuronGroup(n, eqs, threshold="V>theta", reset="V=Vr",
                        refractory=taurefr, method="euler", namespace=ns)
    group.V = Vr
    # Brian 1 holds V at Vr for the whole refractory period, so input that
    # arrives meanwhile is lost: mask it with not_refractory.
    conn = Synapses(group, group, on_pre="V += -J*int(not_refractory_post)",
                    delay=delta, namespace=ns)
    conn.connect(p=sparseness)
    M = SpikeMonitor(group)
    return n, [M], [group, conn, M]


if __name__ == "__main__":
    main(build, default_duration_ms=100.0, scalable=True)
