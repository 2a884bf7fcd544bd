"""Arrays made from a quantity (``ones(n)*second``) are plain arrays with a
quiet unit tag: arithmetic drops it, write paths read it and refuse wrong
units, naming the object, the variable and both units.  Values that carry
no units (plain and derived arrays) are stored as in Brian 1."""
import copy
import pickle

import numpy as np
import pytest

from brianc import (Connection, DimensionMismatchError, Network, NeuronGroup,
                    TimedArray, Hz, defaultclock, mV, ms, nA, nS, second,
                    set_group_var_by_array, volt)
from brianc.units import array_unit_tag, known_dimensions

VOLT = volt.dim


def tag(x):
    return array_unit_tag(x)


def test_products_and_quotients_of_plain_arrays_are_tagged():
    assert tag(np.ones(3) * mV) == VOLT
    assert tag(mV * np.ones(3)) == VOLT
    assert tag(5 * nS * np.random.rand(3)) == nS.dim
    assert tag(np.arange(3) / ms) == Hz.dim
    assert tag(mV / np.ones(3)) == VOLT
    assert tag(mV * [1, 2]) == VOLT
    assert tag(np.ones((2, 3)) * second) == second.dim


def test_the_tag_is_quiet():
    a = np.ones(3) * mV
    assert isinstance(a, np.ndarray)
    assert repr(a) == repr(np.full(3, 1e-3)) and str(a) == str(a.view(
        np.ndarray))
    assert np.array_equal(a, [1e-3] * 3)
    assert float(np.sin(a).sum()) == pytest.approx(3 * np.sin(1e-3))


def test_derived_arrays_carry_no_tag():
    a = np.ones(4) * mV
    derived = [a * 2, a + 1 * mV, a[:2], a[1], a.copy(), copy.deepcopy(a),
               pickle.loads(pickle.dumps(a)), np.asarray(a), np.sin(a),
               a * mV, a.sum(), -a]
    assert all(tag(d) is None for d in derived)


def test_only_values_known_to_be_plain_get_a_tag():
    G = NeuronGroup(3, "dv/dt = -v/(10*ms) : volt")
    # state values are SI values of volts: their products are unknown
    assert tag(G.v * nS) is None and tag((G.v - 1 * mV) * nS) is None
    assert tag((np.ones(3) * mV + 1 * mV) * nS) is None
    assert tag(np.ones(3) * (mV / mV)) is None      # dimensionless
    assert tag([1 * mV, 2 * mV] * mV) is None
    assert known_dimensions(np.ones(3)) is None
    assert known_dimensions(3 * mV) == VOLT


def test_in_place_products_update_or_drop_the_tag():
    a = np.ones(3) * mV
    a *= 2
    assert tag(a) == VOLT and a[0] == 2e-3
    a *= mV
    assert tag(a) is None


def test_brian1_array_semantics_are_unchanged():
    x = np.sin(2 * np.pi * (50 * Hz) * np.linspace(0 * second, 1 * second,
                                                    3))
    assert type(x) is not float and x.shape == (3,)
    y = np.arange(3) * defaultclock.dt + 1
    assert np.allclose(y, [1, 1.0001, 1.0002])
    w = [v * volt for v in np.linspace(0, 3.5, 2) * mV]    # elements: plain
    assert w[1].dim == VOLT


def pair():
    A = NeuronGroup(10, "dv/dt = -v/(10*ms) : volt")
    B = NeuronGroup(20, "dv/dt = -v/(10*ms) : volt")
    return A, B, Connection(A, B, "v")


def test_connect_weight_matrix_in_wrong_units_is_refused():
    A, B, C = pair()
    with pytest.raises(DimensionMismatchError, match=r"NeuronGroup\.v \(in V, the "
                       r"weights are in s\)"):
        C.connect(A, B, W=np.ones((10, 20)) * second)
    C.connect(A, B, W=np.ones((10, 20)) * 2 * mV)
    assert C[3, 4] == pytest.approx(2e-3)


def test_weight_rows_and_elements_in_wrong_units_are_refused():
    A, B, C = pair()
    C.connect_full(A, B, weight=1 * mV)
    with pytest.raises(DimensionMismatchError, match="NeuronGroup.v"):
        C.W[1, :] = np.ones(20) * second
    with pytest.raises(DimensionMismatchError, match="NeuronGroup.v"):
        C[0, 0] = 1 * second
    C.W[1, :] = np.ones(20) * 3 * mV
    C.W[2, :] = np.ones(20) * 4e-3          # plain: SI values
    assert C[1, 5] == pytest.approx(3e-3) and C[2, 5] == pytest.approx(4e-3)


def test_random_and_full_weights_in_wrong_units_are_refused():
    A, B, C = pair()
    with pytest.raises(DimensionMismatchError):
        C.connect_random(A, B, 0.5, weight=1 * second)
    with pytest.raises(DimensionMismatchError):
        C.connect_full(A, B, weight=1 * second)


def driven():
    return NeuronGroup(4, "dv/dt = (I - v)/(1*ms) : volt\nI : volt")


def test_timed_array_in_wrong_units_is_refused():
    G = driven()
    with pytest.raises(DimensionMismatchError,
                       match=r"NeuronGroup\.I is in V, the TimedArray is in s"):
        G.I = TimedArray(np.ones(10) * second)
    with pytest.raises(DimensionMismatchError, match="NeuronGroup.I"):
        set_group_var_by_array(G, "I", np.ones(10) * second)
    G.I = TimedArray(np.full(10, 2.0) * mV)
    H = driven()
    H.I = TimedArray(np.full(10, 2e-3))     # plain: no units
    Network(G, H).run(0.3 * ms)
    assert np.all(G.I == 2e-3) and np.all(H.I == 2e-3)


def test_timed_array_in_equations_stays_plain():
    ta = TimedArray(np.ones(5) * nA, dt=1 * ms)
    G = NeuronGroup(1, "dv/dt = (ta(t)*1e9 - v)/ms : 1")
    Network(G).run(1 * ms)
    assert G.v[0] > 0


@pytest.mark.parametrize("write", [
    lambda G: setattr(G, "v", 1 * second),
    lambda G: G.v.__setitem__(0, 1 * second),
    lambda G: setattr(G, "v", np.ones(4) * second),
    lambda G: G.v.__setitem__(slice(1, 3), np.ones(2) * second),
    lambda G: setattr(G, "v", 5 * nS * np.ones(4)),
])
def test_state_writes_in_wrong_units_are_refused(write):
    G = driven()
    G.v = 1 * mV
    with pytest.raises(DimensionMismatchError,
                       match="NeuronGroup: v is in V, the value assigned is in"):
        write(G)
    assert np.all(G.v == 1e-3)


def test_initial_values_in_wrong_units_are_refused():
    with pytest.raises(DimensionMismatchError, match="v is in V"):
        NeuronGroup(1, "dv/dt = -v/ms : volt", init={"v": 1 * second})


def test_state_writes_of_unknown_units_are_stored():
    G = driven()
    G.v = 3e-3                              # plain number
    G.I[0] = 0.5                            # plain number
    G.v[1:3] = np.ones(2) * 2 * mV          # right units
    G.I = np.ones(4) * 5 * nS * 10 * mV / nS  # derived: unknown units
    G.v_[3] = 5 * second                    # v_ never checks
    assert list(G.v) == [3e-3, 2e-3, 2e-3, 5.0]
    assert np.allclose(G.I, 0.05)


def test_linspace_and_arange_of_quantities_are_tagged():
    from brianc import arange, linspace
    assert tag(linspace(0 * second, 1 * second, 3)) == second.dim
    assert tag(linspace(0, 2 * mV, 3)) == VOLT
    assert tag(arange(0 * ms, 3 * ms, 1 * ms)) == second.dim
    assert tag(linspace(0, 1, 3)) is None and type(arange(3)) is np.ndarray
    assert tag(linspace(0 * second, 1 * second, 3)[::-1]) is None
    values, step = linspace(1 * mV, 2 * mV, 3, retstep=True)
    assert step == pytest.approx(5e-4)
    G = driven()
    with pytest.raises(DimensionMismatchError, match="TimedArray is in s"):
        G.I = TimedArray(linspace(0 * second, 1 * second, 10))
    G.I = linspace(0 * mV, 3 * mV, 4)
    assert np.allclose(G.I, [0, 1e-3, 2e-3, 3e-3])
