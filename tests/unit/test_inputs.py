"""Input groups: PoissonGroup, SpikeGeneratorGroup, PulsePacket,
PoissonInput, TimedArray and the correlated trains, checked against exact
timings and the laws of their distributions."""
import math

import numpy as np
import pytest

import brianc as b
from brianc import (Hz, Network, NeuronGroup, PoissonGroup, PoissonInput,
                    PulsePacket, SpikeCounter, SpikeGeneratorGroup,
                    SpikeMonitor, StateMonitor, TimedArray, mV, ms, second)


@pytest.fixture(autouse=True)
def _fresh():
    b.seed(1234)
    b.defaultclock.dt = 0.1 * ms
    b.defaultclock.reinit()
    yield
    b.clear(True, all=True)


def _run(duration, *objs):
    net = Network(*objs)
    net.run(duration)
    return net


def _spike_array(monitor):
    return np.array([(i, float(t)) for i, t in monitor.spikes]).reshape(-1, 2)


# -- PoissonGroup ---------------------------------------------------------

def test_poisson_counts_follow_binomial_law():
    n, steps, rate = 4000, 1000, 50.0
    P = PoissonGroup(n, rate * Hz)
    C = SpikeCounter(P)
    _run(steps * 0.1 * ms, P, C)
    counts = np.asarray(C.count, dtype=float)
    p = rate * 1e-4
    mean, var = steps * p, steps * p * (1 - p)
    # mean of 4000 counts: standard error sqrt(var/n) = 0.035
    assert abs(counts.mean() - mean) < 5 * math.sqrt(var / n)
    # sample variance: relative standard error sqrt(2/n) = 2.2 %
    assert abs(counts.var() / var - 1) < 5 * math.sqrt(2 / n)


def test_poisson_isis_are_geometric_exponential():
    P = PoissonGroup(500, 200 * Hz)
    M = SpikeMonitor(P)
    _run(200 * ms, P, M)
    s = _spike_array(M)
    isis = []
    for i in range(500):
        t = np.sort(s[s[:, 0] == i, 1])
        isis.extend(np.diff(t))
    isis = np.array(isis) / 1e-4            # in steps, geometric law
    p = 200 * 1e-4
    assert np.allclose(isis, np.round(isis))
    assert abs(isis.mean() - 1 / p) < 5 * math.sqrt((1 - p) / p ** 2
                                                     / isis.size)
    # the memoryless tail: P(ISI > k) = (1 - p)^k
    for k in (20, 50, 100):
        assert abs(np.mean(isis > k) - (1 - p) ** k) < 0.02


def test_rate_zero_never_fires_and_one_over_dt_always():
    P = PoissonGroup(20, np.r_[np.zeros(10), np.full(10, 1e4)] * Hz)
    C = SpikeCounter(P)
    _run(10 * ms, P, C)
    assert list(C.count) == [0] * 10 + [100] * 10


def test_subgroup_rates_and_bad_rates():
    P = PoissonGroup(10, 50 * Hz)
    P[:5].rate = 5 * Hz
    assert list(P.rate) == [5.0] * 5 + [50.0] * 5
    P.subgroup(2).rate = 1 * Hz
    assert P.rate[0] == 1.0
    with pytest.raises(ValueError):
        P[5:].rate = -1 * Hz
    with pytest.raises(ValueError):
        PoissonGroup(3, -1 * Hz)
    with pytest.raises(ValueError):
        PoissonGroup(3, np.array([1.0, np.nan, 2.0]) * Hz)
    with pytest.raises(b.DimensionMismatchError):
        PoissonGroup(3, 5 * mV)
    with pytest.raises(ValueError):
        PoissonGroup(3, np.ones(4) * Hz)


def test_time_varying_rates_follow_the_function():
    # 1/dt during odd ms, 0 during even ms: spikes exactly in odd ms.
    def rates(t):
        return np.full(4, 1e4 if int(round(float(t) / 1e-3, 6)) % 2 else 0.)
    P = PoissonGroup(4, rates)
    M = SpikeMonitor(P)
    _run(4 * ms, P, M)
    s = _spike_array(M)
    steps = np.unique(np.round(s[:, 1] / 1e-4).astype(int))
    assert list(steps) == list(range(10, 20)) + list(range(30, 40))
    assert len(s) == 4 * 20


# -- SpikeGeneratorGroup ----------------------------------------------------

def test_spikes_fire_at_ceil_of_t_over_dt():
    spikes = [(0, 0 * ms), (1, 0.25 * ms), (2, 1.0 * ms), (0, 1.01 * ms),
              ([1, 2], 3 * ms)]
    G = SpikeGeneratorGroup(3, spikes)
    M = SpikeMonitor(G)
    _run(5 * ms, G, M)
    got = [(i, round(float(t) / 1e-4)) for i, t in M.spikes]
    assert got == [(0, 0), (1, 3), (2, 10), (0, 11), (1, 30), (2, 30)]


@pytest.mark.parametrize("form", ["tuple", "array", "generator", "callable"])
def test_all_spike_formats_agree(form):
    idx = np.array([2, 0, 1, 0])
    times = np.array([0.3e-3, 0.5e-3, 0.5e-3, 2e-3])
    pairs = sorted(zip(idx.tolist(), times.tolist()), key=lambda p: p[1])
    spec = {"tuple": (idx, times),
            "array": np.column_stack([idx, times]),
            "generator": iter(pairs),
            "callable": lambda: iter(pairs)}[form]
    G = SpikeGeneratorGroup(3, spec)
    M = SpikeMonitor(G)
    _run(3 * ms, G, M)
    got = [(i, round(float(t) / 1e-4)) for i, t in M.spikes]
    assert got == [(2, 3), (0, 5), (1, 5), (0, 20)]


def test_endless_generator_is_read_lazily():
    def every_third_step():
        k = 0
        while True:
            yield (k % 2, (3 * k + 0.5) * 1e-4)
            k += 1
    G = SpikeGeneratorGroup(2, every_third_step())
    M = SpikeMonitor(G)
    _run(300 * ms, G, M)
    steps = np.round(_spike_array(M)[:, 1] / 1e-4).astype(int)
    assert list(steps) == [3 * k + 1 for k in range(1000)]


def test_period_repeats_pattern():
    G = SpikeGeneratorGroup(2, [(0, 0 * ms), (1, 0.4 * ms)], period=2 * ms)
    M = SpikeMonitor(G)
    _run(6 * ms, G, M)
    got = [(i, round(float(t) / 1e-4)) for i, t in M.spikes]
    assert got == [(0, 0), (1, 4), (0, 20), (1, 24), (0, 40), (1, 44)]


def test_a_spike_beyond_the_period_is_refused():
    # Brian 1 kept it and it never fired
    with pytest.raises(ValueError, match="0.005 s falls at or after"):
        SpikeGeneratorGroup(2, [(0, 0 * ms), (1, 5 * ms)], period=2 * ms)


def test_past_spikes_never_fire_and_spiketimes_roundtrip():
    G = SpikeGeneratorGroup(2, [(0, 1 * ms)])
    M = SpikeMonitor(G)
    net = _run(2 * ms, G, M)
    G.spiketimes = [(1, 0.5 * ms), (0, 2.5 * ms), (1, 3 * ms)]
    assert G.spiketimes == [(1, 5e-4), (0, 2.5e-3), (1, 3e-3)]
    net.run(2 * ms)
    got = [(i, round(float(t) / 1e-4)) for i, t in M.spikes]
    assert got == [(0, 10), (0, 25), (1, 30)]


def test_clock_set_back_replays_the_schedule():
    """The spikes are a function of the clock's step (Brian 1): after
    reinit_default_clock() alone, a later run fires them again, and a
    periodic pattern resumes at the right phase."""
    G = SpikeGeneratorGroup(2, [(0, 1 * ms), (1, 3 * ms)])
    P = SpikeGeneratorGroup(1, [(0, 0.5 * ms)], period=2 * ms)
    M, MP = SpikeMonitor(G), SpikeMonitor(P)
    net = _run(4 * ms, G, P, M, MP)
    b.reinit_default_clock()
    net.run(2 * ms)
    b.reinit_default_clock(3 * ms)
    net.run(2 * ms)
    got = [(i, round(float(t) / 1e-4)) for i, t in M.spikes]
    assert got == [(0, 10), (1, 30), (0, 10), (1, 30)]
    phases = [round(float(t) / 1e-4) for _, t in MP.spikes]
    assert phases == [5, 25, 5, 45]


def test_duplicate_spikes_fire_twice_and_reach_targets_twice():
    G = SpikeGeneratorGroup(3, [(0, 1 * ms), (0, 1 * ms), (2, 1 * ms)])
    H = NeuronGroup(1, "v : volt")
    C = b.Connection(G, H, "v")
    C[0, 0] = 1 * mV
    M = SpikeMonitor(G)
    _run(2 * ms, G, H, C, M)
    assert [i for i, _ in M.spikes] == [0, 0, 2]
    assert float(H.v[0]) == pytest.approx(2e-3)


def test_bad_spike_lists():
    with pytest.raises(IndexError):
        SpikeGeneratorGroup(2, [(2, 1 * ms)])
    with pytest.raises(IndexError):
        SpikeGeneratorGroup(2, [(-1, 1 * ms)])
    with pytest.raises(ValueError):
        SpikeGeneratorGroup(2, [(0, 2 * ms), (1, 1 * ms)], sort=False)
    with pytest.raises(ValueError):
        SpikeGeneratorGroup(2, [(0, -1 * ms)])
    with pytest.raises(ValueError):
        SpikeGeneratorGroup(1, [(0, 1 * ms), (0, 1 * ms)])
    with pytest.raises(b.DimensionMismatchError):
        SpikeGeneratorGroup(1, [(0, 1 * mV)])


# -- PulsePacket --------------------------------------------------------------

def test_pulse_packet_times():
    P = PulsePacket(10 * ms, 2000, 1 * ms)
    M = SpikeMonitor(P)
    _run(20 * ms, P, M)
    s = _spike_array(M)
    assert sorted(s[:, 0].astype(int)) == list(range(2000))   # once each
    # ceil() moves each time up by dt/2 on average
    assert abs(s[:, 1].mean() - 10.05e-3) < 5 * 1e-3 / math.sqrt(2000)
    assert abs(s[:, 1].std() / 1e-3 - 1) < 0.06
    assert (P.t, P.n, P.sigma) == (10 * ms, 2000, 1 * ms)
    P.generate(5 * ms, 2000, 0 * ms)
    assert {t for _, t in P.spiketimes} == {5e-3}


# -- PoissonInput -------------------------------------------------------------

def test_poisson_input_adds_binomial_counts():
    G = NeuronGroup(3000, "v : volt")
    P = PoissonInput(G, N=100, rate=20 * Hz, weight=0.5 * mV, state="v")
    _run(50 * ms, G, P)
    k = np.asarray(G.v) / 0.5e-3
    p = 20 * 1e-4
    mean, var = 500 * 100 * p, 500 * 100 * p * (1 - p)
    assert np.allclose(k, np.round(k))
    assert abs(k.mean() - mean) < 5 * math.sqrt(var / 3000)
    assert abs(k.var() / var - 1) < 5 * math.sqrt(2 / 3000)


def test_poisson_input_frozen_record_and_subgroup():
    G = NeuronGroup(20, "v : volt")
    F = PoissonInput(G[10:], N=50, rate=100 * Hz, weight=1 * mV,
                     state=0, freeze=True)
    R = PoissonInput(G[:10], N=50, rate=100 * Hz, weight=1 * mV,
                     state="v", record=True)
    _run(20 * ms, G, F, R)
    v = np.asarray(G.v)
    assert np.all(v[10:] == v[10])                    # one shared draw
    assert v[10] >= 1e-3 * len(F.events)
    recorded = {}
    for i, t in R.recorded_events:
        assert 0 <= i < 10 and 0 <= float(t) < 20e-3
        recorded[i] = recorded.get(i, 0) + 1
    assert all(v[i] >= recorded.get(i, 0) * 1e-3 for i in range(10))


def test_poisson_input_jitter_zero_equals_copies():
    G = NeuronGroup(500, "v : volt")
    J = PoissonInput(G, N=10, rate=100 * Hz, weight=1 * mV, state="v",
                     jitter=0 * ms, copies=3, record=True)
    _run(5 * ms, G, J)
    # every event arrives as 3 simultaneous copies
    k = np.asarray(G.v) / 1e-3
    assert np.all(np.round(k) % 3 == 0)
    assert k.sum() > 0


def test_poisson_input_rejects_bad_arguments():
    G = NeuronGroup(2, "v : volt")
    with pytest.raises(ValueError):
        PoissonInput(G, N=1, rate=2e4 * Hz, weight=1 * mV, state="v")
    with pytest.raises(ValueError):
        PoissonInput(G, N=1, rate=1 * Hz, weight=1 * mV, state="v",
                     jitter=1 * ms, reliability=0.5)
    with pytest.raises(b.DimensionMismatchError):
        PoissonInput(G, N=1, rate=1 * Hz, weight=1 * ms, state="v")
    with pytest.raises(KeyError):
        PoissonInput(G, N=1, rate=1 * Hz, weight=1 * mV, state="w")


# -- TimedArray ---------------------------------------------------------------

def test_timed_array_nearest_sample_clipped():
    ta = TimedArray(np.array([0.0, 2.0, 4.0, 6.0]), dt=0.5 * ms)
    assert ta(0.74 * ms) == 2.0            # rint(1.48) = 1
    assert ta(0.76 * ms) == 4.0
    assert ta(-1 * ms) == 0.0 and ta(1 * second) == 6.0
    assert list(ta(np.array([0.0, 0.5e-3, 9.0]))) == [0.0, 2.0, 6.0]
    ta2 = TimedArray(np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]))
    assert list(ta2(np.array([0.0, 0.2e-3]))) == [0.0, 5.0]
    with pytest.raises(ValueError):
        TimedArray([1.0, 2.0], times=np.array([0.0, 1.0]))(0.5)


def test_timed_array_sets_group_variable_each_step():
    values = np.arange(50) * 3.0
    G = NeuronGroup(2, "p : 1")
    G.p = TimedArray(values)
    mon = StateMonitor(G, "p", record=0)
    b.run(5 * ms)
    assert np.array_equal(mon[0], values)


def test_timed_array_irregular_times_and_2d():
    G = NeuronGroup(2, "p : 1")
    b.set_group_var_by_array(G, "p", TimedArray(np.array([1.0, 5.0]),
                                                times=np.array([0, 3e-3])))
    H = NeuronGroup(2, "q : 1")
    H.q = TimedArray(np.array([[1.0, 2.0], [3.0, 4.0]]), dt=1 * ms)
    mg = StateMonitor(G, "p", record=0)
    mh = StateMonitor(H, "q", record=[0, 1])
    b.run(5 * ms)
    t = mg.times
    assert np.all(mg[0][t < 3e-3] == 1) and np.all(mg[0][t >= 3e-3] == 5)
    # nearest of samples 0 ms and 1 ms: switch after 0.5 ms (rint of 0.5
    # is 0), then clipped
    assert list(mh[1][:7]) == [2.0] * 6 + [4.0]
    assert mh[0][-1] == 3.0


# -- correlated trains --------------------------------------------------------

def test_mixture_trains_rate_and_synchrony():
    X = b.MixtureHomogeneousCorrelatedSpikeTrains(200, 20 * Hz, 0.5)
    M = SpikeMonitor(X)
    _run(500 * ms, X, M)
    s = _spike_array(M)
    steps = np.round(s[:, 1] / 1e-4).astype(int)
    # every step with spikes is a source spike: about c*N = 100 copies
    per_step = np.bincount(steps)
    per_step = per_step[per_step > 0]
    assert abs(per_step.mean() - 100) < 5 * math.sqrt(50 / per_step.size)
    # source rate r/c = 40 Hz over 0.5 s: 20 source spikes expected
    assert 5 <= per_step.size <= 40
