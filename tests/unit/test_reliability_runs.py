"""Runs started inside a running network are refused; independent
networks may still run from a network_operation."""
import pytest

from brianc import (Clock, Network, NeuronGroup, defaultclock, mV, ms,
                    network_operation, reinit_default_clock, run)


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()
    yield
    reinit_default_clock()


def ramp():
    return NeuronGroup(1, "dv/dt = 1*mV/ms : volt")


def test_an_operation_running_its_own_network_raises():
    G = ramp()
    net = Network(G)

    @network_operation
    def nested():
        net.run(1 * ms)
    net.add(nested)
    with pytest.raises(RuntimeError, match="already running"):
        net.run(1 * ms)
    # The failed nesting stopped the outer run at its first step; the
    # network can run again afterwards.
    net.remove(nested)
    t0 = float(defaultclock.t)
    net.run(1 * ms)
    assert float(defaultclock.t) == pytest.approx(t0 + 1e-3)


def test_magic_run_inside_a_running_magic_network_raises():
    G = ramp()

    @network_operation
    def nested():
        Network(G).run(defaultclock.dt)
    with pytest.raises(RuntimeError, match="running network"):
        run(1 * ms)


def independent_network():
    """A group on a clock of its own, in a network of its own (made in a
    function, so that the caller's clock guess does not see the clock)."""
    H = NeuronGroup(1, "dv/dt = 2*mV/ms : volt", clock=Clock(dt=0.1 * ms))
    return H, Network(H)


def test_an_independent_network_may_run_inside_an_operation():
    G = ramp()
    H, inner = independent_network()
    calls = []

    @network_operation
    def side_run():
        inner.run(0.5 * ms)
        calls.append(1)
    Network(G, side_run).run(1 * ms)
    assert float(defaultclock.t) == pytest.approx(1e-3)
    assert float(G.v[0]) == pytest.approx(1e-3)
    assert float(H.v[0]) == pytest.approx(len(calls) * 1e-3)
    assert len(calls) == 10


def test_a_nested_network_on_the_running_clock_raises():
    G = ramp()
    H = ramp()

    @network_operation
    def nested():
        Network(H).run(1 * ms)
    with pytest.raises(RuntimeError, match="clock"):
        Network(G, nested).run(1 * ms)


# -- a clock's dt changed after objects were built for it ------------------

@pytest.fixture
def restore_dt():
    dt = defaultclock.dt
    yield
    defaultclock.dt = dt


def test_dt_changed_after_a_group_is_refused_naming_it(restore_dt):
    G = ramp()
    defaultclock.dt = 1 * ms
    with pytest.raises(RuntimeError, match=r"NeuronGroup \(built for dt = "
                                           r"0.1 ms\)"):
        run(10 * ms)
    assert float(G.v[0]) == 0.0 and float(defaultclock.t) == 0.0


def test_dt_changed_between_runs_is_refused(restore_dt):
    G = ramp()
    run(5 * ms)
    defaultclock.dt = 1 * ms
    with pytest.raises(RuntimeError, match="dt changed to 1 ms"):
        run(5 * ms)
    assert float(G.v[0]) == pytest.approx(5e-3)


def test_objects_built_after_the_change_run_with_the_new_dt(restore_dt):
    defaultclock.dt = 1 * ms
    G = ramp()
    run(10 * ms)
    assert float(G.v[0]) == pytest.approx(10e-3)
    assert float(defaultclock.t) == pytest.approx(10e-3)


def test_a_dt_set_back_to_its_old_value_is_accepted(restore_dt):
    G = ramp()
    defaultclock.dt = 1 * ms
    defaultclock.dt = 0.1 * ms
    run(1 * ms)
    assert float(G.v[0]) == pytest.approx(1e-3)


def test_a_group_clock_changed_names_every_dependent_object():
    from brianc import SpikeMonitor, StateMonitor
    clock = Clock(dt=0.1 * ms)
    G = NeuronGroup(2, "dv/dt = 1*mV/ms : volt", clock=clock,
                    threshold="v > 0.5*mV", reset="v = 0*mV")
    S = StateMonitor(G, "v", record=True)
    M = SpikeMonitor(G)
    clock.dt = 0.5 * ms
    with pytest.raises(RuntimeError) as info:
        Network(G, S, M).run(1 * ms)
    message = str(info.value)
    assert "NeuronGroup" in message and "StateMonitor" in message
    assert "0.5 ms" in message
