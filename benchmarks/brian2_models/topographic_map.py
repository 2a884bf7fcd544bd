"""Brian 2 translation of demos/topographic_map.py.

100 Poisson sources (30 Hz for 40..59) project with sparseness 0.5 and weights
3 mV * exp(-|i-j|/10) onto 100 IF neurons with sparse lateral connections.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import (Hz, NeuronGroup, PoissonGroup, SpikeMonitor,
                        Synapses, ms, mV)
    import numpy as np

    N = 100
    ns = dict(tau=10 * ms, tau_e=2 * ms)
    eqs = """
    dv/dt=(I-v)/tau : volt
    dI/dt=-I/tau_e : volt
    """
    rates = np.zeros(N) * Hz
    rates[N // 2 - 10:N // 2 + 10] = np.ones(20) * 30 * Hz
    layer1 = PoissonGroup(N, rates=rates)
    layer2 = NeuronGroup(N, eqs, threshold="v>10*mV", reset="v=0*mV",
                         method="exact", namespace=ns)
    # A Connection without a state name targets the first variable, v.
    feedforward = Synapses(layer1, layer2, "w : volt", on_pre="v += w")
    feedforward.connect(p=0.5)
    feedforward.w = "exp(-abs(i-j)*.1)*3*mV"
    recurrent = Synapses(layer2, layer2, "w : volt", on_pre="v += w")
    recurrent.connect(p=0.5)
    recurrent.w = "exp(-abs(i-j)*.05)*0.5*mV"
    spikes = SpikeMonitor(layer2)
    return N, [spikes], [layer1, layer2, feedforward, recurrent, spikes]


if __name__ == "__main__":
    main(build, default_duration_ms=1000.0, scalable=False)
