"""Brian 2 translation of Brian 1's examples/frompapers/Vogels_et_al_2011
.py: 10,000 conductance-based neurons, 2 % connectivity, inhibitory STDP
on the inhibitory-to-excitatory synapses (Synapses with event-driven
traces).  Brian 1 turns the plasticity on after 1 s; here it is on from
the start through a flag switched on after 1 s by a run_regularly, so
that one run() covers the whole duration (see _common.py)."""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import (NeuronGroup, SpikeMonitor, Synapses, Hz, mV, ms,
                        nS, pA, pF, second)
    NE, NI = 8000, 2000
    ns = {"w": 1. * nS, "tau_ampa": 5.0 * ms, "tau_gaba": 10.0 * ms,
          "eta": 1e-2, "tau_stdp": 20 * ms, "gl": 10.0 * nS,
          "el": -60 * mV, "er": -80 * mV, "vt": -50. * mV,
          "memc": 200.0 * pF, "bgcurrent": 200 * pA, "gmax": 100}
    ns["alpha"] = 3 * Hz * ns["tau_stdp"] * 2
    eqs = """
    dv/dt = (-gl*(v-el) - (g_ampa*w*v + g_gaba*(v-er)*w) + bgcurrent)/memc
        : volt (unless refractory)
    dg_ampa/dt = -g_ampa/tau_ampa : 1
    dg_gaba/dt = -g_gaba/tau_gaba : 1
    """
    # Brian 1 integrates this nonlinear model with forward Euler
    neurons = NeuronGroup(NE + NI, eqs, threshold="v>vt", reset="v=el",
                          refractory=5 * ms, method="euler", namespace=ns)
    neurons.v = 0 * mV
    Pe, Pi = neurons[:NE], neurons[NE:]
    con_e = Synapses(Pe, neurons, on_pre="g_ampa += 0.3", namespace=ns)
    con_e.connect(p=0.02)
    con_ii = Synapses(Pi, Pi, on_pre="g_gaba += 3", namespace=ns)
    con_ii.connect(p=0.02)
    con_ie = Synapses(Pi, Pe, """
        wie : 1
        plastic : boolean (shared)
        dApre/dt = -Apre / tau_stdp : 1 (event-driven)
        dApost/dt = -Apost / tau_stdp : 1 (event-driven)""",
                      on_pre="""g_gaba_post += wie
        Apre += 1.
        wie = clip(wie + int(plastic) * (Apost - alpha) * eta, 0, gmax)""",
                      on_post="""Apost += 1.
        wie = clip(wie + int(plastic) * Apre * eta, 0, gmax)""",
                      namespace=ns)
    con_ie.connect(p=0.02)
    con_ie.wie = 1e-10
    con_ie.plastic = False
    con_ie.run_regularly("plastic = t >= 1*second", dt=1 * ms)
    M = SpikeMonitor(neurons)
    return NE + NI, [M], [neurons, con_e, con_ii, con_ie, M]


if __name__ == "__main__":
    main(build, default_duration_ms=2000.0, scalable=False)
