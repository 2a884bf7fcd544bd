"""Synapses pickle with their connectivity, variables, delays, lumped
variables and the events in flight, and run on identically."""
import pickle

import numpy as np
import pytest

from brianc import (Network, NeuronGroup, SpikeGeneratorGroup, Synapses, ms,
                    reinit_default_clock, seed)


@pytest.fixture(autouse=True)
def _clock():
    reinit_default_clock()
    yield


def _network(delay):
    seed(11)
    P = SpikeGeneratorGroup(4, [(0, 6 * ms), (1, 6.5 * ms), (3, 2 * ms),
                                (2, 9 * ms)])
    Q = NeuronGroup(3, "dv/dt = -v/(10*ms) : 1\ns : 1")
    S = Synapses(P, Q, model="""w : 1
                                dA/dt = -A/(5*ms) : 1 (event-driven)
                                g = 2 * w : 1""",
                 pre="v += w * rand(); A += 1; w += 0.1 * A")
    S[:, :] = "(i + j) % 2 == 0"
    S.w = "0.5 + i + 0.25 * j"
    if delay == "heterogeneous":
        S.delay = "(1 + i + j) * ms"
    Q.s = S.g
    return Network(P, Q, S), Q, S


def _parts(net):
    Q = next(o for o in net.objects if isinstance(o, NeuronGroup)
             and not isinstance(o, SpikeGeneratorGroup))
    S = next(o for o in net.objects if isinstance(o, Synapses))
    return Q, S


@pytest.mark.parametrize("delay", ["none", "heterogeneous"])
def test_pickled_synapses_run_on_identically(delay):
    net, Q, S = _network(delay)
    net.run(7 * ms)
    if delay == "heterogeneous":      # events are in flight
        assert sum(len(x) for x in S._c.queue(0)) > 0
    blob = pickle.dumps(net)
    net.run(8 * ms)
    expected = (Q.v.copy(), Q.s.copy(), S.w[:].copy(), S.A[:].copy())
    reinit_default_clock(7 * ms)
    net2 = pickle.loads(blob)
    Q2, S2 = _parts(net2)
    assert len(S2) == len(S)
    assert np.array_equal(S2.presynaptic, S.presynaptic)
    assert np.array_equal(S2.postsynaptic, S.postsynaptic)
    assert np.array_equal(S2.delay[:], S.delay[:])
    net2.run(8 * ms)
    got = (Q2.v, Q2.s, S2.w[:], S2.A[:])
    for a, b in zip(expected, got):
        assert np.array_equal(a, b)


def test_unpickled_synapses_before_any_run_can_still_grow():
    _, Q, S = _network("none")
    S2 = pickle.loads(pickle.dumps(S))
    assert len(S2) == len(S)
    assert np.array_equal(S2.w[:], S.w[:])
    S2[0, 1] = True
    assert len(S2) == len(S) + 1
