"""TimedArray inside equations: ``dv/dt = (I(t) - v)/tau`` reads the
nearest sample of I at each step's t_n (Brian 1: time-dependent, hence
integrated by forward Euler)."""
import numpy as np
import pytest

from brianc import (DimensionMismatchError, NeuronGroup, StateMonitor,
                    TimedArray, defaultclock, mV, ms, reinit_default_clock, run,
                    volt)


def euler_reference(values, sample_dt, dt, tau, steps):
    x, out = 0.0, []
    for n in range(steps):
        i = int(np.clip(np.rint(n * dt / sample_dt), 0, len(values) - 1))
        x = x + dt * (values[i] - x) / tau
        out.append(x)
    return np.array(out)


def test_timed_array_drives_the_equation_step_by_step():
    reinit_default_clock()
    values = np.linspace(0, 1, 11) * mV
    I = TimedArray(values, dt=1 * ms)
    # I(t) is a plain number (values in SI), as in Brian 1: times volt.
    G = NeuronGroup(3, "dv/dt = (I(t)*volt - v)/(10*ms) : volt")
    assert G._update_info.method == "euler"        # t makes it nonlinear
    M = StateMonitor(G, "v", record=True)
    run(15 * ms)                  # past the last sample: it is held
    want = euler_reference(np.asarray(values), 1e-3, 1e-4, 0.01, 150)
    for i in range(3):
        assert np.allclose(M[i], want, rtol=1e-12, atol=1e-21)


def test_timed_array_call_is_dimensionless():
    # Arrays carry no units in Brian 1, so neither does a TimedArray:
    # I(t) in a voltage equation needs a unit.
    I = TimedArray(np.ones(5) * mV, dt=1 * ms)
    with pytest.raises(DimensionMismatchError):
        NeuronGroup(1, "dv/dt = (I(t) - v)/(10*ms) : volt")
    NeuronGroup(1, "dv/dt = (I(t)*volt - v)/(10*ms) : volt")


def test_timed_array_of_any_expression():
    # Brian 1 allowed ta(expression); brianc samples it from Python once a
    # step (tests/unit/test_python_functions.py has the details).
    I = TimedArray(np.arange(5) * 1.0, dt=1 * ms)
    G = NeuronGroup(1, "y = I(2*t) : 1")
    defaultclock.t = 1.5 * ms
    assert G.y[0] == 3.0
    defaultclock.t = 0 * ms


def test_explicit_network_runs_a_groups_timed_array_setter():
    from brianc import Clock, Network
    clock = Clock(dt=0.1 * ms)
    G = NeuronGroup(2, "v : volt", clock=clock)
    G.v = TimedArray(np.arange(5) * mV, dt=1 * ms)
    M = StateMonitor(G, "v", record=0, clock=clock)
    Network(G, M).run(5 * ms)               # the setter comes with G
    assert np.allclose(M[0][::10], np.arange(5) * 1e-3)
