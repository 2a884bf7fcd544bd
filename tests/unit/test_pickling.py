"""Pickling: objects come back able to run on, with the same results, and
what cannot be pickled says which object it is."""
from __future__ import annotations

import multiprocessing
import pickle

import numpy as np
import pytest

from brianc import (Clock, Connection, Equations, Hz, IdentityConnection,
                    ISIHistogramMonitor, LazyStateUpdater,
                    MultiStateMonitor, Network, NeuronGroup, PoissonGroup,
                    PopulationRateMonitor, PopulationSpikeCounter,
                    RecentStateMonitor, SpikeCounter, SpikeGeneratorGroup,
                    SpikeMonitor, StateMonitor, StateSpikeMonitor,
                    TimedArray, VanRossumMetric, defaultclock, mV, ms,
                    network_operation, seed)


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
    # A brianc monitor defined outside monitor.py is not picklable yet.
    with pytest.raises(pickle.PicklingError, match="VanRossumMetric"):
        pickle.dumps(VanRossumMetric(NeuronGroup(1, "v : 1")))
    with pytest.raises(pickle.PicklingError, match="SpikeMonitor"):
        pickle.dumps(SpikeMonitor(NeuronGroup(1, "v : 1"),
                                  function=lambda spikes: None))


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


# -- monitors ---------------------------------------------------------------

def _monitored_network():
    """Poisson input onto a refractory integrate-and-fire group with
    delayed recurrent connections, and every monitor of monitor.py
    recording it (odd timesteps and bins, so that the pickled run stops
    inside a bin, between two samples, with spikes in flight)."""
    defaultclock.reinit()
    seed(3)
    inputs = PoissonGroup(30, 200 * Hz)
    group = NeuronGroup(10, "dv/dt = -v/(10*ms) : volt",
                        threshold="v > 2*mV", reset="v = 0*mV",
                        refractory=2 * ms)
    feed = Connection(inputs, group, "v", weight=0.6 * mV, sparseness=0.5)
    spread = Connection(group, group, "v", delay=True, max_delay=3 * ms)
    spread.connect_random(group, group, 0.3, weight=0.3 * mV,
                          delay=(0 * ms, 2.5 * ms))
    late = Connection(group, group, "v", weight=0.2 * mV, delay=1.5 * ms,
                      sparseness=0.4)
    monitors = {
        "late_spikes": SpikeMonitor(group, delay=1 * ms),
        "spikes": SpikeMonitor(group),
        "trace": StateMonitor(group, "v", record=[0, 3], timestep=3),
        "stats": StateMonitor(group, "v"),
        "rate": PopulationRateMonitor(inputs, bin=0.7 * ms),
        "counter": SpikeCounter(group),
        "population": PopulationSpikeCounter(inputs),
        "state_spikes": StateSpikeMonitor(group, "v"),
        "isi": ISIHistogramMonitor(group, [0, 1 * ms, 5 * ms, 10 * ms]),
        "multi": MultiStateMonitor(group, record=True),
        "recent": RecentStateMonitor(group, "v", duration=2 * ms),
    }
    return (Network(inputs, group, feed, spread, late, *monitors.values()),
            monitors)


def _readings(monitors) -> dict:
    m = monitors
    return {"spikes": m["spikes"].it, "late": m["late_spikes"].it,
            "trace": (m["trace"].times,
                                                m["trace"].values),
            "stats": (m["stats"].mean, m["stats"].var),
            "rate": (m["rate"].times, m["rate"].rate),
            "counter": m["counter"].count,
            "population": m["population"].nspikes,
            "state_spikes": (m["state_spikes"].times(),
                             m["state_spikes"].values("v")),
            "isi": m["isi"].count, "multi": m["multi"]["v"].values,
            "recent": (m["recent"].times, m["recent"].values)}


def _same(a, b) -> bool:
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return np.array_equal(a, b)


def test_monitors_in_a_pickled_network_record_on_as_if_uninterrupted():
    net, monitors = _monitored_network()
    net.run(13.3 * ms)
    saved = pickle.dumps((net, monitors))
    net.run(17 * ms)
    expected = _readings(monitors)
    net2, monitors2 = pickle.loads(saved)
    assert monitors2["spikes"].nspikes < monitors["spikes"].nspikes
    net2.run(17 * ms)
    got = _readings(monitors2)
    for name in expected:
        assert _same(got[name], expected[name]), name
    assert monitors["spikes"].nspikes > 20      # the test saw spikes
    assert len(monitors["recent"].times) == 20 + 1   # the ring is full


def test_a_monitor_pickled_alone_keeps_its_records_and_source():
    defaultclock.reinit()
    gen = SpikeGeneratorGroup(3, [(0, 1 * ms), (2, 1 * ms), (1, 4 * ms)])
    spikes, counter = SpikeMonitor(gen), SpikeCounter(gen)
    trace = StateMonitor(NeuronGroup(2, "dv/dt = 1/ms : 1"), "v",
                         record=True)
    Network(gen, spikes, counter, trace.P, trace).run(2 * ms)
    trace.insert_spikes(spikes, value=-1.0)    # (neurons 0 and 2 here)
    spikes.note = "kept"
    back, back_counter, back_trace = roundtrip((spikes, counter, trace))
    assert back.spikes == spikes.spikes and back.note == "kept"
    assert back_counter.source is back.source
    assert list(back_counter.count) == [1, 0, 1]
    assert np.array_equal(back_trace.values, trace.values)
    assert back_trace[0][10] == -1.0
    Network(back.source, back, back_counter).run(3 * ms)
    assert [i for i, _ in back.spikes] == [0, 2, 1]
    assert list(back_counter.count) == [1, 1, 1]


def test_a_snapshot_that_does_not_fit_is_refused():
    group = NeuronGroup(2, "v : 1")
    spikes = SpikeMonitor(group)
    records = list(spikes._c.snapshot())
    records[0] = np.array([5], dtype=np.int32)      # neuron 5 of 2
    records[1] = np.array([0], dtype=np.int64)
    with pytest.raises(ValueError, match="does not fit"):
        spikes._c.restore(tuple(records))
    records[1] = np.zeros(2, dtype=np.int64)        # lengths differ
    with pytest.raises(ValueError, match="steps"):
        spikes._c.restore(tuple(records))
    recent = RecentStateMonitor(group, "v", duration=0.2 * ms)  # 3 samples
    values, steps, calls, stats = recent._c.snapshot()
    with pytest.raises(ValueError, match="does not fit"):
        recent._c.restore((np.zeros((4, 2)), np.arange(4), 4, stats))
    assert spikes.nspikes == 0 and len(recent.times) == 0


def test_a_spiking_state_that_does_not_fit_is_refused():
    group = NeuronGroup(3, "v : 1", threshold="v > 1", refractory=1 * ms)
    last, allowed, counts, indices = group._c.spiking_state()
    with pytest.raises(ValueError, match="sizes"):
        group._c.restore_spiking_state((last[:2], allowed, counts, indices))
    counts = counts.copy()
    counts[0] = 2
    with pytest.raises(ValueError, match="does not fit"):    # 3 of 3
        group._c.restore_spiking_state(
            (last, allowed, counts, np.array([2, 1], dtype=np.int32)))
    conn = Connection(group, group, "v", delay=True)
    assert conn._c.ring() is None          # built with the network
    with pytest.raises(ValueError, match="does not fit"):
        conn._c.restore_ring((0, np.zeros((2, 3))))
