"""NeuronGroup: constructor arguments, state access in SI, subgroups
sharing the parent's state, rest(), and clear errors for bad input."""
import numpy as np
import pytest

from brianc import (DimensionMismatchError, Equations, Network, NeuronGroup,
                    SpikeMonitor, mV, ms, nS, reinit_default_clock, second,
                    volt)
from brianc.stateupdater import LazyStateUpdater


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()
    yield


EQS = """
dv/dt = (w - v)/(10*ms) : volt
w : volt
I = 2*v : volt
"""


def test_init_dict_and_reinit_restores_it():
    P = NeuronGroup(3, EQS, init={"v": 1 * mV, "w": [1, 2, 3] * mV})
    assert np.allclose(P.v, 0.001) and np.allclose(P.w, [0.001, 0.002,
                                                          0.003])
    P.v = 5 * mV
    Network(P).run(1 * ms)
    P.reinit()
    assert np.allclose(P.v, 0.001)
    with pytest.raises(KeyError, match="'u'"):
        NeuronGroup(1, EQS, init={"u": 1 * mV})

    # Brian 1 stored an initial value of the wrong unit as its SI value;
    # brianc refuses it, like every write of a value in other units.
    with pytest.raises(DimensionMismatchError, match="v is in V"):
        NeuronGroup(1, EQS, init={"v": 1 * second})


def test_reinit_without_init_restores_zeros():
    P = NeuronGroup(3, EQS)
    P.v = 5 * mV
    P.w = [1, 2, 3] * mV
    P.reinit()
    assert np.array_equal(P._state, np.zeros_like(P._state))
    P.v = 5 * mV
    P.reinit(states=False)
    assert np.allclose(P.v, 0.005)


def test_state_is_a_live_si_view():
    P = NeuronGroup(4, EQS)
    v = P.v
    P.v = 3 * mV
    assert v[0] == 0.003 and isinstance(v, np.ndarray)
    assert P.v_ is not None and np.shares_memory(P.v_, P.state("v"))
    assert np.shares_memory(P.state(0), P.v)
    P.v_ = 0.004                          # x_ writes without unit checks
    assert P.v[1] == 0.004
    P.v = np.arange(4) * mV
    assert list(P.v) == [0.0, 0.001, 0.002, 0.003]
    assert np.allclose(P.I, 2 * P.v)       # static equation, computed
    assert P.unit("v") == volt and P.unit("I") == volt
    assert len(P) == 4


@pytest.mark.parametrize("N", [1, 3, 4000, 24001])
def test_state_starts_on_a_cache_line_zeroed(N):
    # whole rows of vectors stay within cache lines (the update's speed)
    P = NeuronGroup(N, EQS)
    assert P._state.ctypes.data % 64 == 0
    assert P._state.shape == (2, N) and P._state.flags.c_contiguous
    assert not P._state.any()


def test_state_errors_are_clear():
    P = NeuronGroup(3, EQS)
    with pytest.raises(ValueError, match="needs a scalar or 3 values"):
        P.v = [1, 2] * mV
    with pytest.raises(ValueError, match="static equation"):
        P.I = 1 * mV
    with pytest.raises(AttributeError, match="'u'"):
        P.u
    with pytest.raises(KeyError, match="no state variable 'u'"):
        P.state("u")
    with pytest.raises(IndexError):
        P.state(7)


def test_wrong_units_are_refused_and_plain_values_stored():
    # Brian 1 stored anything as its SI value; brianc refuses a value
    # known to be in other units (see test_unit_tags) and stores plain
    # numbers and arrays, which carry none.
    P = NeuronGroup(3, EQS)
    with pytest.raises(DimensionMismatchError, match="v is in V, the value "
                       "assigned is in s"):
        P.v = 3 * second
    with pytest.raises(DimensionMismatchError):
        P.v[0] = 4 * second
    with pytest.raises(DimensionMismatchError):
        P.v = 5 * nS * np.ones(3)
    P.v = np.full(3, 5e-9)
    assert np.allclose(P.v, 5e-9)
    P.v_ = 2.0                                # v_ never checks
    assert np.allclose(P.v, 2.0)


@pytest.mark.parametrize("N", [0, -1, 2.5, float("nan"), "3", None])
def test_bad_sizes(N):
    with pytest.raises((ValueError, TypeError)):
        NeuronGroup(N, EQS)


def test_model_is_required_and_lazy_state_updater():
    with pytest.raises(TypeError, match="model"):
        NeuronGroup(3)
    P = NeuronGroup(3, model=LazyStateUpdater(2), threshold=0.5)
    P.state(1)[:] = 7
    P.state(0)[:] = [0, 1, 0]
    M = SpikeMonitor(P)
    Network(P, M).run(0.2 * ms)
    assert [i for i, _ in M.spikes] == [1, 1]
    assert P.state(1)[0] == 7


def test_subgroups_see_attributes_set_on_their_group():
    # Brian 1 scripts hang data on a group (positions for distance-
    # dependent wiring) and read it back through subgroups.
    P = NeuronGroup(10, EQS)
    P.position = np.arange(20.0).reshape(10, 2)
    A = P.subgroup(4)
    assert A.position is P.position
    A.label = "excitatory"
    assert A.label == "excitatory" and not hasattr(P, "label")
    with pytest.raises(AttributeError, match="no attribute or state"):
        A.nothing_here


def test_subgroups_share_state_and_spikes():
    P = NeuronGroup(10, EQS, threshold=1 * mV)
    A = P.subgroup(4)
    B = P.subgroup(6)
    with pytest.raises(IndexError):
        P.subgroup(1)
    B.v = 2 * mV
    assert list(P.v[:4]) == [0] * 4 and np.all(P.v[4:] == 0.002)
    A.w[1] = 5 * mV
    assert P.w[1] == 0.005
    C = B[2:4]
    C.v = 0 * mV
    assert np.all(P.v[6:8] == 0) and P.v[5] == 0.002
    assert len(C) == 2 and C.origin == 6 and len(P[-1]) == 1
    assert P[-1].origin == 9
    M = SpikeMonitor(B)
    Network(P, M).run(0.1 * ms)
    assert sorted(i for i, _ in M.spikes) == [0, 1, 4, 5]
    assert list(B.get_spikes()) == [0, 1, 4, 5]
    with pytest.raises(IndexError):
        P[10:12]
    with pytest.raises(IndexError):
        P[0:6:2]
    assert "subgroup [6:8]" in repr(C)


def test_network_ignores_subgroups():
    P = NeuronGroup(4, EQS)
    net = Network(P, P[0:2])
    assert net.objects == [P] and len(net) == 4


def test_rest_linear_fixed_point():
    eqs = """dv/dt = -v/(10*ms) : volt
    dvt/dt = (10*mV - vt)/(15*ms) : volt"""
    P = NeuronGroup(2, eqs)
    P.v = 5 * mV
    P.rest()
    assert np.allclose(P.v, 0) and np.allclose(P.vt, 0.01)


def test_max_delay_reserves_history_and_repr():
    P = NeuronGroup(2, EQS, max_delay=3 * ms)
    assert len(P._c.spikes(31)) == 0        # int(3 ms/dt) + 2 = 32 slots
    with pytest.raises(ValueError):
        NeuronGroup(2, EQS, max_delay=-1 * ms)
    r = repr(P)
    assert "2 neurons" in r and "v, w" in r


def test_compile_freeze_and_method_accepted():
    P = NeuronGroup(2, Equations("dv/dt = -v/(10*ms) : volt"),
                    compile=True, freeze=True, implicit=False, order=1)
    P.v = 1 * mV
    Network(P).run(1 * ms)
    assert np.allclose(P.v, 0.001 * np.exp(-0.1))
