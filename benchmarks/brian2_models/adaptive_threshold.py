"""Brian 2 translation of demos/adaptive_threshold.py.

One IF neuron whose threshold vt jumps by 3 mV at each spike and relaxes to
10 mV, driven by a 500 Hz Poisson source; v and vt recorded every step.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import (Hz, NeuronGroup, PoissonGroup, SpikeMonitor,
                        StateMonitor, Synapses, mV)

    eqs = """
    dv/dt = -v/(10*ms) : volt
    dvt/dt = (10*mV-vt)/(15*ms) : volt
    """
    IF = NeuronGroup(1, eqs, threshold="v>vt", reset="v=0*mV; vt+=3*mV",
                     method="exact")
    IF.v = 0 * mV     # IF.rest(): the fixed point of the equations
    IF.vt = 10 * mV
    PG = PoissonGroup(1, 500 * Hz)
    C = Synapses(PG, IF, on_pre="v += 3*mV")
    C.connect()
    Mv = StateMonitor(IF, "v", record=True)
    Mvt = StateMonitor(IF, "vt", record=True)
    M = SpikeMonitor(IF)
    return 1, [M], [IF, PG, C, Mv, Mvt, M]


if __name__ == "__main__":
    main(build, default_duration_ms=100.0, scalable=False)
