"""Python functions called in synaptic codes and equations: per spike
batch, with the arguments of the synapses hit, exact as Brian 1's NumPy
code."""
import numpy as np
import pytest

from brianc import (Network, NeuronGroup, SpikeGeneratorGroup, Synapses,
                    ms, reinit_default_clock, second, seed)


@pytest.fixture(autouse=True)
def _clock():
    reinit_default_clock()
    yield


def square(x):
    return np.asarray(x) ** 2


def test_call_sees_only_the_synapses_hit_with_their_values():
    seen = []

    def record(w):
        seen.append(np.array(w))
        return w * 10

    src = SpikeGeneratorGroup(3, [(0, 1 * ms), (2, 1 * ms), (1, 2 * ms)])
    tgt = NeuronGroup(3, "v : 1")
    S = Synapses(src, tgt, model="w : 1", pre="v += record(w) + square(w)")
    S.connect_one_to_one()
    S.w = [1.0, 2.0, 3.0]
    Network(src, tgt, S).run(3 * ms)
    assert [sorted(a.tolist()) for a in seen] == [[1.0, 3.0], [2.0]]
    assert np.allclose(tgt.v, [11.0, 24.0, 39.0])


def test_target_arguments_are_read_round_by_round():
    # Two synapses onto one neuron: the second event's call sees the
    # target as the first left it (v -> 2 v + 1, twice).
    src = SpikeGeneratorGroup(2, [(0, 1 * ms), (1, 1 * ms)])
    tgt = NeuronGroup(1, "v : 1")
    tgt.v = 1.0
    S = Synapses(src, tgt, model="", pre="v += plus_one(v)")
    S[:, 0] = True

    def plus_one(x):
        return x + 1
    Network(src, tgt, S).run(2 * ms)
    assert tgt.v[0] == 7.0          # 1 -> 3 -> 7


def test_call_of_t_and_delays():
    def rate(t):
        return 1000.0 * t
    src = SpikeGeneratorGroup(1, [(0, 1 * ms)])
    tgt = NeuronGroup(2, "v : 1")
    S = Synapses(src, tgt, model="", pre="v += rate(t)")
    S[0, :] = True
    S.delay[0, 1] = 2 * ms
    Network(src, tgt, S).run(5 * ms)
    assert np.allclose(tgt.v, [1.0, 3.0])


def test_binomial_of_float_synaptic_variables():
    from numpy.random import binomial
    seed(7)
    np.random.seed(7)
    P = NeuronGroup(1, "v : 1", threshold=-1, reset=0)
    G = NeuronGroup(1, "v : 1")
    S = Synapses(P, G, model="n : 1\np : 1", pre="v += binomial(n, p)")
    S[:, :] = True
    S.n = 20
    S.p = 0.25
    assert binomial is not None
    Network(P, G, S).run(2000 * 0.1 * ms)
    # 2000 draws of Binomial(20, 1/4): mean 5, sd sqrt(3.75 / 2000)
    assert abs(G.v[0] / 2000 - 5.0) < 5 * np.sqrt(3.75 / 2000)


def test_call_in_a_clock_driven_equation():
    def drive(x):
        return 2.0 + 0 * x
    P = NeuronGroup(1, "v : 1")
    S = Synapses(P, P, model="dx/dt = drive(x) / second : 1")
    S[0, 0] = True
    Network(P, S).run(10 * ms)
    assert np.isclose(S.x[0], 0.02)


def test_bad_function_results_are_clear_errors():
    def wrong_length(w):
        return np.zeros(len(np.atleast_1d(w)) + 1)
    src = SpikeGeneratorGroup(1, [(0, 1 * ms)])
    tgt = NeuronGroup(2, "v : 1")
    S = Synapses(src, tgt, model="w : 1", pre="v += wrong_length(w)")
    S[0, :] = True
    with pytest.raises(ValueError, match="wrong_length"):
        Network(src, tgt, S).run(2 * ms)

    def scalar_only(w):
        return float(w)
    reinit_default_clock()
    src = SpikeGeneratorGroup(1, [(0, 1 * ms)])
    tgt = NeuronGroup(2, "v : 1")
    S = Synapses(src, tgt, model="w : 1", pre="v += scalar_only(w)")
    S[0, :] = True
    with pytest.raises(RuntimeError, match="NumPy arrays"):
        Network(src, tgt, S).run(2 * ms)
