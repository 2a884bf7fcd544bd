"""Python functions of arrays in equations, thresholds and resets, and
TimedArrays called with any expression (Brian 1 allowed both)."""
from __future__ import annotations

import numpy as np
import pytest

from brianc import (Inf, NeuronGroup, SpikeMonitor, TimedArray, clip,
                    defaultclock, ms, run, volt)


@pytest.fixture(autouse=True)
def _fresh_clock():
    defaultclock.reinit()
    defaultclock.dt = 0.1 * ms
    yield
    defaultclock.reinit()


def hill(c, K=1.0, n=3.0):
    return c ** n / (c ** n + K ** n)


def test_function_in_an_equation_is_called_once_a_step_on_the_state():
    calls = []

    def tracked(c):
        calls.append(np.array(c))
        return hill(c)
    tau = 10 * ms
    G = NeuronGroup(3, """dv/dt = (tracked(c) - v)/tau : 1
                          c : 1""")
    G.c = [0.5, 1.0, 2.0]
    run(1 * ms)
    assert len(calls) == 10 and all((a == [0.5, 1.0, 2.0]).all()
                                    for a in calls)
    # Euler with a constant drive: v_n = h (1 - (1 - dt/tau)^n)
    expected = hill(np.array([0.5, 1.0, 2.0])) * (1 - 0.99 ** 10)
    assert np.allclose(G.v, expected, rtol=1e-12)


def test_unit_aware_user_function_as_in_brian1_scripts():
    rectify = lambda x: clip(x / volt, 0, Inf) * volt    # noqa: E731
    G = NeuronGroup(2, """dw/dt = (rectify(v - 1*volt) - w)/(1*ms) : volt
                          v : volt""")
    G.v = [0.5, 3.0] * volt
    run(20 * ms)
    assert G.w[0] == 0.0 and G.w[1] == pytest.approx(2.0, rel=1e-6)


def test_threshold_and_reset_calling_python():
    G = NeuronGroup(1, "dv/dt = 1/ms : 1", threshold="hill(v) > 0.5 + 1e-9",
                    reset="v = -hill(v)")
    M = SpikeMonitor(G)
    run(3 * ms)
    # hill(v) > 0.5 first when v > 1: v = 1.1 after the update of the
    # step at 1.0 ms.  The reset sets v = -hill(1.1) = -0.5709, from where
    # 16 more steps bring v above 1 again: the next spike 1.6 ms later.
    times = np.array([t for _, t in M.spikes])
    assert times.size == 2
    assert times[0] == pytest.approx(1.0e-3, abs=1e-9)
    assert times[1] - times[0] == pytest.approx(1.6e-3, abs=1e-9)


def test_timed_array_of_a_per_neuron_delay():
    ta = TimedArray(np.arange(100.0), dt=1 * ms)
    G = NeuronGroup(2, """y = ta(t - d) : 1
                          d : second""")
    G.d = [0 * ms, 5 * ms]
    run(20 * ms)
    assert list(G.y) == [20.0, 15.0]


def test_a_function_that_fails_on_arrays_is_named():
    def scalar_only(x):
        return 1.0 if x > 0 else 0.0
    G = NeuronGroup(2, "dv/dt = scalar_only(v)/ms : 1")
    with pytest.raises(RuntimeError, match=r"scalar_only\(\) failed on "
                                           r"arrays of 2 values"):
        run(1 * ms)


def test_a_function_returning_the_wrong_shape_is_named():
    G = NeuronGroup(3, "dv/dt = wrong(v)/ms : 1")
    with pytest.raises(ValueError, match=r"wrong\(\) returned shape \(2,\)"):
        run(1 * ms)


def wrong(x):
    return x[:2]


def test_second_order_runge_kutta_is_refused():
    with pytest.raises(ValueError, match="Euler"):
        NeuronGroup(1, "dv/dt = -hill(v)*v/ms : 1", order=2)
