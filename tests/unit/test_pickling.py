"""Pickling: objects come back able to run on, with the same results, and
what cannot be pickled says which object it is."""
from __future__ import annotations

import multiprocessing
import pickle

import numpy as np
import pytest

from brianc import (Clock, Connection, Equations, IdentityConnection,
                    LazyStateUpdater, Network, NeuronGroup, PoissonGroup,
                    SpikeGeneratorGroup, SpikeMonitor, TimedArray,
                    defaultclock, mV, ms, network_operation, seed)


def roundtrip(obj):
    return pickle.loads(pickle.dumps(obj))


def test_timed_array_keeps_its_time_grid():
    ta = TimedArray(np.arange(4.0), clock=Clock(dt=0.2 * ms))
    back = roundtrip(ta)
    assert (back == ta).all() and back._dt == ta._dt == 2e-4
    assert back.clock.dt == ta.clock.dt and back.times.tolist() == \
        ta.times.tolist()
    assert back(0.45e-3) == ta(0.45e-3) == 2.0


def test_clock_keeps_dt_time_and_order():
    clock = Clock(dt=0.5 * ms, order=3)
    clock.t = 2 * ms
    back = roundtrip(clock)
    assert back.dt == 0.5 * ms and back.t == 2 * ms and back.order == 3


def _network():
    seed(11)
    inputs = PoissonGroup(20, 300 * 1 / (1000 * ms))
    group = NeuronGroup(10, """dv/dt = -(v - w)/(10*ms) : volt
                               w : volt""",
                        threshold="v > 4*mV", reset=0 * mV)
    group.w = np.linspace(0, 3, 10) * mV
    conn = Connection(inputs, group, "v", delay=True, max_delay=3 * ms)
    conn.connect_random(inputs, group, 0.3, weight=1 * mV,
                        delay=(0 * ms, 2 * ms))
    ident = IdentityConnection(group[:5], group[5:], "v", weight=0.5 * mV)
    return Network(inputs, group, conn, ident), group


def test_a_network_pickled_before_running_runs_the_same():
    defaultclock.reinit()
    net, group = _network()
    saved = pickle.dumps((net, group))
    net.run(30 * ms)
    net2, group2 = pickle.loads(saved)
    defaultclock.reinit()
    net2.run(30 * ms)
    assert np.array_equal(group.v, group2.v)
    assert group.v.any()


def test_a_network_pickled_mid_run_keeps_its_state():
    defaultclock.reinit()
    net, group = _network()
    net.run(10 * ms)
    net2, group2 = roundtrip((net, group))
    assert np.array_equal(group2.v, group.v)
    assert np.array_equal(group2.w, group.w)


def test_state_subgroups_and_attributes_survive():
    group = NeuronGroup(6, "x : 1")
    group.x = np.arange(6.0)
    sub = group.subgroup(2)
    group.name = "G1"
    back_group, back_sub = roundtrip((group, sub))
    assert back_group.name == "G1" and back_sub._owner is back_group
    assert list(back_sub.x) == [0.0, 1.0]
    assert len(roundtrip(Network(NeuronGroup(42,
                                             LazyStateUpdater())))) == 42


def test_modules_in_equations_are_pickled_by_name():
    eqs = Equations("dv/dt = -v/(np.exp(1.0)*ms) : 1")
    back = roundtrip(eqs)
    group = NeuronGroup(1, back)
    group.v = 1.0
    Network(group).run(1 * ms)
    assert group.v[0] == pytest.approx(np.exp(-1 / np.e))   # exact, linear


def test_spike_generator_keeps_its_schedule():
    defaultclock.reinit()
    gen = SpikeGeneratorGroup(2, [(0, 1 * ms), (1, 2 * ms)])
    back = roundtrip(gen)
    monitor = SpikeMonitor(back)
    Network(back, monitor).run(3 * ms)
    assert [i for i, _ in monitor.spikes] == [0, 1]


def test_unpicklable_objects_are_named():
    group = NeuronGroup(1, "v : 1", threshold=lambda v: v > 1)
    with pytest.raises(pickle.PicklingError, match="NeuronGroup"):
        pickle.dumps(group)

    @network_operation
    def local_operation():
        pass
    with pytest.raises(pickle.PicklingError, match="local_operation"):
        pickle.dumps(local_operation)
    with pytest.raises(pickle.PicklingError, match="SpikeMonitor"):
        pickle.dumps(SpikeMonitor(NeuronGroup(1, "v : 1")))


def _simulate(rate_hz):
    """A worker's own network, as in Brian 1's multiprocessing examples."""
    from brianc import (Network, PoissonGroup, SpikeMonitor, ms,
                        reinit_default_clock, seed)
    reinit_default_clock()      # a worker may run several in turn
    seed(5)
    inputs = PoissonGroup(100, rate_hz * 1 / (1000 * ms))
    monitor = SpikeMonitor(inputs)
    Network(inputs, monitor).run(100 * ms)
    return monitor.nspikes


@pytest.mark.slow
def test_a_pool_of_spawned_workers_runs_networks():
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        counts = pool.map(_simulate, [10, 50])
    assert counts == [_simulate(10), _simulate(50)]
    assert counts[0] < counts[1]
