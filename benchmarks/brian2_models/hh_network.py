"""Brian 2 translation of demos/hh_network.py (COBA Hodgkin-Huxley network).

Exponential Euler; Brian 1's EmpiricalThreshold(-20 mV, 3 ms) becomes
threshold v > -20 mV with a 3 ms refractory period that does not clamp v.
4000*scale neurons, connection probability divided by scale.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import (NeuronGroup, SpikeMonitor, StateMonitor, Synapses,
                        cm, msiemens, mV, ms, nS, siemens, ufarad, umetre)
    import numpy as np

    n = int(round(4000 * scale))
    n_exc = int(round(3200 * scale))
    p = 0.02 / scale
    area = 20000 * umetre**2
    ns = dict(
        Cm=(1 * ufarad * cm**-2) * area,
        gl=(5e-5 * siemens * cm**-2) * area,
        El=-60 * mV, EK=-90 * mV, ENa=50 * mV,
        g_na=(100 * msiemens * cm**-2) * area,
        g_kd=(30 * msiemens * cm**-2) * area,
        VT=-63 * mV, taue=5 * ms, taui=10 * ms, Ee=0 * mV, Ei=-80 * mV,
        we=6 * nS, wi=67 * nS)
    eqs = """
    dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
    dm/dt = alpham*(1-m)-betam*m : 1
    dn/dt = alphan*(1-n)-betan*n : 1
    dh/dt = alphah*(1-h)-betah*h : 1
    dge/dt = -ge*(1./taue) : siemens
    dgi/dt = -gi*(1./taui) : siemens
    alpham = 0.32*(mV**-1)*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
    betam = 0.28*(mV**-1)*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
    alphah = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
    betah = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
    alphan = 0.032*(mV**-1)*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
    betan = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
    """
    P = NeuronGroup(n, eqs, threshold="v>-20*mV", refractory=3 * ms,
                    method="exponential_euler", namespace=ns)
    Pe = P[:n_exc]
    Pi = P[n_exc:]
    Ce = Synapses(Pe, P, on_pre="ge += we", namespace=ns)
    Ce.connect(p=p)
    Ci = Synapses(Pi, P, on_pre="gi += wi", namespace=ns)
    Ci.connect(p=p)
    P.v = ns["El"] + (np.random.randn(n) * 5 - 5) * mV
    P.ge = (np.random.randn(n) * 1.5 + 4) * 10. * nS
    P.gi = (np.random.randn(n) * 12 + 20) * 10. * nS
    trace = StateMonitor(P, "v", record=[1, 10, 100])
    # The demo has no SpikeMonitor; this one supplies the spike count.
    M = SpikeMonitor(P)
    return n, [M], [P, Ce, Ci, trace, M]


if __name__ == "__main__":
    main(build, default_duration_ms=1000.0, scalable=True)
