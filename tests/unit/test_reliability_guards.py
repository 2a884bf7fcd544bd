"""Every write path checks NaN and infinity, and the units of the values
that carry units, with an error naming the object and the variable.
Plain arrays carry no units, as in Brian 1; arrays made from a quantity
(``np.ones(n)*second``) are checked too (see test_unit_tags)."""
import numpy as np
import pytest

from brianc import (Connection, DimensionMismatchError, Network, NeuronGroup,
                    PoissonGroup, TimedArray, Hz, mV, ms, second)


def pair():
    A = NeuronGroup(10, "dv/dt = -v/(10*ms) : volt")
    B = NeuronGroup(20, "dv/dt = -v/(10*ms) : volt")
    return A, B, Connection(A, B, "v")


def driven():
    return NeuronGroup(4, "dv/dt = (I - v)/(1*ms) : volt\nI : volt")


def test_plain_weight_matrix_carries_no_units():
    A, B, C = pair()
    C.connect(A, B, W=np.full((10, 20), 2e-3))
    assert C.W[3, 4] == 2e-3


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_weight_matrix_must_be_finite(bad):
    A, B, C = pair()
    W = np.ones((10, 20)) * 1e-3
    W[2, 3] = bad
    with pytest.raises(ValueError, match="finite"):
        C.connect(A, B, W=W)


def test_element_and_row_writes_are_checked():
    A, B, C = pair()
    C.connect_full(A, B, weight=1 * mV)
    with pytest.raises(DimensionMismatchError):
        C[0, 0] = 1 * second
    with pytest.raises(ValueError, match="NaN"):
        C[0, 0] = np.nan
    with pytest.raises(ValueError, match="inf"):
        C.W[1, :] = np.full(20, np.inf)
    C.W[:, 2] = np.ones(10)                # a plain array: SI values
    C[0, 0] = 2 * mV
    C.W[1, :] = np.full(20, 3e-3)
    assert C[0, 0] == pytest.approx(2e-3) and C[1, 5] == pytest.approx(3e-3)
    assert C[4, 2] == 1.0


@pytest.mark.parametrize("weight", [np.inf * mV, -np.inf * mV, np.nan * mV])
def test_random_and_full_weights_must_be_finite(weight):
    A, B, C = pair()
    with pytest.raises(ValueError):
        C.connect_random(A, B, 0.5, weight=weight)
    with pytest.raises(ValueError):
        C.connect_full(A, B, weight=weight)


def test_weight_function_returning_inf_is_refused():
    A, B, C = pair()
    with pytest.raises(ValueError, match="finite"):
        C.connect_full(A, B, weight=lambda i, j: np.inf * mV + 0 * j * mV)


def test_timed_array_values_are_si():
    # Brian 1: a TimedArray of plain values holds SI values.
    G = driven()
    G.I = TimedArray(np.ones(10))
    Network(G).run(0.1 * ms)
    assert np.all(G.I == 1.0)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_timed_array_must_be_finite(bad):
    G = driven()
    values = np.ones(10) * 1e-3
    values[4] = bad
    with pytest.raises(ValueError, match="finite"):
        G.I = TimedArray(values * mV)


def test_timed_array_of_plain_values_or_right_units_drives_the_variable():
    G = driven()
    G.I = TimedArray(np.full(10, 2.0) * mV)
    H = driven()
    H.I = TimedArray(np.full(10, 2e-3))         # plain: no units
    Network(G, H).run(0.3 * ms)
    assert np.all(G.I == 2e-3) and np.all(H.I == 2e-3)


def test_element_writes_check_finiteness():
    G = NeuronGroup(10, "dv/dt = -v/(10*ms) : volt")
    with pytest.raises(ValueError, match="NaN"):
        G.v[:] = np.nan * mV
    with pytest.raises(ValueError, match="inf"):
        G.v[2:4] = [0.0, np.inf]
    sub = G.v[5:]
    with pytest.raises(ValueError):
        sub[0] = np.nan
    assert np.all(G.v == 0)
    G.v[0] = 3 * mV             # right units
    G.v[1] = 0.004              # a plain number carries no units
    G.v_[2] = 5 * second        # v_ is Brian 1's unchecked access
    assert list(G.v[:3]) == [3e-3, 4e-3, 5.0]


def test_state_views_compute_as_plain_arrays():
    G = NeuronGroup(3, "dv/dt = -v/(10*ms) : volt")
    G.v = [1e-3, 2e-3, 3e-3]
    assert type(G.v * 2) is np.ndarray
    assert G.v.sum() == pytest.approx(6e-3)
    view = G.v
    G.v = 0 * mV
    assert np.all(view == 0)        # still the live state


@pytest.mark.parametrize("value", [np.inf * mV, -np.inf * mV])
def test_whole_variable_writes_refuse_infinity(value):
    G = NeuronGroup(10, "dv/dt = -v/(10*ms) : volt")
    with pytest.raises(ValueError, match="finite"):
        G.v = value


def test_poisson_rates_must_be_finite():
    with pytest.raises(ValueError, match="finite"):
        PoissonGroup(10, rates=np.inf * Hz)
    P = PoissonGroup(10, rates=5 * Hz)
    with pytest.raises(ValueError, match="finite"):
        P.rate = np.inf * Hz
