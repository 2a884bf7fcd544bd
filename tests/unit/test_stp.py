"""STP (Tsodyks-Markram short-term plasticity) on Connection: the jumps a
train of presynaptic spikes gives the target against the model's
recursion, with delays, per-neuron parameters and bad input."""
import math

import numpy as np
import pytest

from brianc import (Connection, DelayConnection, Network, NeuronGroup, STP,
                    SpikeGeneratorGroup, StateMonitor, ms,
                    reinit_default_clock)


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()


def tsodyks_markram(times_ms, U, taud_ms, tauf_ms):
    """u*x of each spike: u and x relax exactly between spikes from their
    values after the previous jump (u = U, x = 1 at t = 0)."""
    u, x, last = U, 1.0, 0.0
    out = []
    for t in times_ms:
        u = U + (u - U) * math.exp(-(t - last) / tauf_ms)
        x = 1 + (x - 1) * math.exp(-(t - last) / taud_ms)
        out.append(u * x)
        x *= 1 - u
        u += U * (1 - u)
        last = t
    return np.array(out)


def jumps(times_ms, w, stp_args, delay=0 * ms, n=1, index=0):
    """The increments of the target variable at each spike step."""
    pre = SpikeGeneratorGroup(n, [(index, (t - 0.05) * ms)
                                  for t in times_ms])
    target = NeuronGroup(n, "v : 1")
    C = Connection(pre, target, "v", delay=delay)
    C.connect_one_to_one(weight=w)
    stp = STP(C, **stp_args)
    M = StateMonitor(target, "v", record=True, when="end")
    Network(pre, target, C, stp, M).run((max(times_ms) + 5) * ms)
    trace = M[index]
    steps = [int(round(t * 10)) + int(round(float(delay) * 1e4))
             for t in times_ms]
    return np.array([trace[k] - (trace[k - 1] if k else 0.0)
                     for k in steps]), stp


@pytest.mark.parametrize("params", [
    dict(taud=1 * ms, tauf=100 * ms, U=0.1),       # facilitation
    dict(taud=100 * ms, tauf=10 * ms, U=0.6),      # depression
])
def test_jumps_follow_the_recursion(params):
    times = [2.0, 7.0, 9.5, 30.0, 31.0, 80.0]
    got, stp = jumps(times, 2.0, params)
    want = 2.0 * tsodyks_markram(times, params["U"],
                                 float(params["taud"]) * 1e3,
                                 float(params["tauf"]) * 1e3)
    assert np.allclose(got, want, rtol=1e-12, atol=0)
    assert stp.vars.ux[0] == pytest.approx(want[-1] / 2.0, rel=1e-12)


def test_connection_delay_delays_the_modulated_spike():
    times = [2.0, 4.0]
    got, _ = jumps(times, 1.0, dict(taud=50 * ms, tauf=20 * ms, U=0.3),
                   delay=1.5 * ms)
    # the spikes reach the target 1.5 ms late; u and x relax over the
    # same intervals, so the efficacies are those of the undelayed train
    want = tsodyks_markram([3.5, 5.5], 0.3, 50.0, 20.0)
    assert np.allclose(got, want, rtol=1e-12)


def test_per_neuron_parameters_and_only_spiking_neurons_change():
    U = np.array([0.2, 0.5, 0.8])
    got, stp = jumps([3.0, 6.0], 1.0, dict(taud=40 * ms, tauf=[10 * ms] * 3,
                                            U=U), n=3, index=1)
    assert np.allclose(got, tsodyks_markram([3.0, 6.0], 0.5, 40.0, 10.0),
                       rtol=1e-12)
    assert stp.vars.x[0] == 1.0 and stp.vars.u[2] == 0.8


def test_errors():
    G = NeuronGroup(2, "v : 1")
    C = Connection(G, G, "v", weight=1.0)
    with pytest.raises(ValueError, match="U"):
        STP(C, taud=10 * ms, tauf=10 * ms, U=1.5)
    with pytest.raises(ValueError, match="positive"):
        STP(C, taud=0 * ms, tauf=10 * ms, U=0.5)
    with pytest.raises(ValueError, match="per presynaptic neuron"):
        STP(C, taud=10 * ms, tauf=10 * ms, U=[0.5, 0.5, 0.5])
    D = DelayConnection(G, G, "v", weight=1.0, delay=(0 * ms, 2 * ms))
    with pytest.raises(AttributeError, match="heterogeneous"):
        STP(D, taud=10 * ms, tauf=10 * ms, U=0.5)
