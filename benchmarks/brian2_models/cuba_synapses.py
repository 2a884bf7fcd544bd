"""Brian 2 translation of Brian 1's examples/synapses/CUBA.py: 4000
integrate-and-fire neurons (3200 excitatory, 800 inhibitory), each pair
connected with probability 0.02 through Synapses with per-synapse delays
rand()*ms.  Timings as in _common.py."""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import NeuronGroup, SpikeMonitor, Synapses, mV, ms, rand
    P = NeuronGroup(4000, """
        dv/dt = (ge+gi-(v-(-49*mV)))/(20*ms) : volt (unless refractory)
        dge/dt = -ge/(5*ms) : volt
        dgi/dt = -gi/(10*ms) : volt""", threshold="v>-50*mV",
                    reset="v=-60*mV", refractory=5 * ms, method="exact")
    Pe, Pi = P[:3200], P[3200:]
    Se = Synapses(Pe, P, model="w : 1", on_pre="ge += 1.62*mV")
    Si = Synapses(Pi, P, model="w : 1", on_pre="gi += -9*mV")
    Se.connect(p=0.02)
    Si.connect(p=0.02)
    Se.delay = "rand()*ms"
    Si.delay = "rand()*ms"
    P.v = -60 * mV + rand(len(P)) * 10 * mV
    M = SpikeMonitor(P)
    return 4000, [M], [P, Se, Si, M]


if __name__ == "__main__":
    main(build, default_duration_ms=1000.0, scalable=False)
