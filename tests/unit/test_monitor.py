"""Monitors recording in C: spikes, counts, rates, state traces (spec 7.1
timing, spec 10 shapes and units)."""
import numpy as np
import pytest

from brianc import (ISIHistogramMonitor, MultiStateMonitor, Network,
                    NeuronGroup, PopulationRateMonitor,
                    PopulationSpikeCounter, RecentStateMonitor, SpikeCounter,
                    SpikeMonitor, StateMonitor, StateSpikeMonitor, Hz, mV,
                    ms, reinit_default_clock, second)
from brianc.units import Quantity


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()
    yield


def clocked(n=3):
    """Neuron i spikes every (i+2) steps: a counter c increases by 1 per
    step (c after step n is n + 1) and resets at c > i + 1.5."""
    P = NeuronGroup(n, "dc/dt = 1/(0.1*ms) : 1\nk : 1",
                    threshold="c > k", reset="c = 0")
    P.k = np.arange(n) + 1.5
    return P


def test_spike_monitor_spikes_times_and_counts():
    P = clocked()
    M = SpikeMonitor(P)
    Mn = SpikeMonitor(P, record=False)
    C = SpikeCounter(P)
    PC = PopulationSpikeCounter(P)
    Network(P, M, Mn, C, PC).run(1.2 * ms)          # 12 steps
    # neuron 0 spikes at steps 1, 3, 5, ...; neuron 1 at 2, 5, 8, 11
    assert list(np.round(M[0] / 1e-4)) == [1, 3, 5, 7, 9, 11]
    assert list(np.round(M[1] / 1e-4)) == [2, 5, 8, 11]
    assert list(np.round(M[2] / 1e-4)) == [3, 7, 11]
    i, t = M.it
    assert i.dtype.kind == "i" and np.all(np.diff(t) >= 0)
    assert M.nspikes == Mn.nspikes == PC.nspikes == 13 and Mn.spikes == []
    assert list(C.count) == [6, 4, 3] and C[1] == 4
    first = M.spikes[0]
    assert first[0] == 0 and isinstance(first[1], Quantity)
    assert float(first[1]) == pytest.approx(1e-4)
    # within a step, index order
    at11 = [a for a, b in M.spikes if abs(float(b) - 11e-4) < 1e-9]
    assert at11 == [0, 1, 2]
    assert set(M.spiketimes) == {0, 1, 2}
    assert np.array_equal(M.spiketimes[1], M[1])
    M.reinit()
    assert M.nspikes == 0 and M.spikes == []


def test_spike_monitor_delay_and_function():
    P = clocked(1)
    seen = []
    M = SpikeMonitor(P, delay=0.3 * ms)     # int(2.99...) = 2 steps
    F = SpikeMonitor(P, function=lambda s: seen.append(list(s)))
    Network(P, M, F).run(1 * ms)
    # spikes at 1, 3, 5, 7, 9 recorded 2 steps late
    assert list(np.round(M[0] / 1e-4)) == [3, 5, 7, 9]
    assert len(seen) == 10 and seen[1] == [0] and seen[2] == []


def test_subgroup_monitors_use_local_indices():
    P = clocked(3)
    M = SpikeMonitor(P[1:3])
    Network(P, M).run(0.4 * ms)
    assert [i for i, _ in M.spikes] == [0, 1]     # steps 2 and 3


def test_state_monitor_times_values_and_record_forms():
    P = NeuronGroup(3, "dv/dt = 1*mV/ms : volt")
    P.v = [0, 1, 2] * mV
    Mall = StateMonitor(P, "v", record=True)
    M1 = StateMonitor(P, "v", record=1)
    Ml = StateMonitor(P, "v", record=[0, 2], timestep=2)
    Mn = StateMonitor(P, "v")
    Network(P, Mall, M1, Ml, Mn).run(0.5 * ms)
    # spec 7.1: the sample labelled t_n is the state after step n
    assert np.allclose(Mall.times, np.arange(5) * 1e-4)
    assert Mall.values.shape == (3, 5)
    assert np.allclose(Mall[0], (np.arange(5) + 1) * 1e-4)
    assert np.allclose(Mall[2], 2e-3 + (np.arange(5) + 1) * 1e-4)
    assert M1.values.shape == (1, 5) and np.allclose(M1[1], Mall[1])
    assert np.allclose(Ml.times, [0, 2e-4, 4e-4])
    assert np.allclose(Ml[2], Mall[2][::2])
    with pytest.raises(IndexError):
        Ml[1]
    with pytest.raises(IndexError):
        Mn[0]
    expected = Mall.values
    assert np.allclose(Mn.mean, expected.mean(axis=1))
    assert np.allclose(Mn.var, expected.var(axis=1, ddof=1))
    assert np.allclose(Mn.std, expected.std(axis=1, ddof=1))
    Mall.reinit()
    assert Mall.values.shape == (3, 0)


def test_state_monitor_when_slot_and_static_equation():
    P = NeuronGroup(1, "dv/dt = 1*mV/ms : volt\nI = 3*v : volt",
                    threshold=0.25 * mV, reset=0 * mV)
    start = StateMonitor(P, "v", record=True, when="start")
    end = StateMonitor(P, "v", record=True)
    static = StateMonitor(P, "I", record=True)
    Network(P, start, end, static).run(0.5 * ms)
    # start sees the state before the update, end after update and reset
    assert np.allclose(start[0], [0, 1e-4, 2e-4, 0, 1e-4])
    assert np.allclose(end[0], [1e-4, 2e-4, 0, 1e-4, 2e-4])
    assert np.allclose(static[0], 3 * end[0])
    with pytest.raises(ValueError):
        StateMonitor(P, "v", when="sometime")
    with pytest.raises(KeyError):
        StateMonitor(P, "u")


def test_state_monitor_insert_spikes():
    P = NeuronGroup(1, "dv/dt = 1*mV/ms : volt", threshold=0.25 * mV,
                    reset=0 * mV)
    S = StateMonitor(P, "v", record=True)
    M = SpikeMonitor(P)
    Network(P, S, M).run(0.5 * ms)
    S.insert_spikes(M, value=40 * mV)
    assert np.allclose(S[0], [1e-4, 2e-4, 0.04, 1e-4, 2e-4])


def test_population_rate_monitor_bins_and_partial_bin():
    P = clocked(2)
    R1 = PopulationRateMonitor(P)
    R3 = PopulationRateMonitor(P, bin=0.35 * ms)    # 3 steps
    Network(P, R1, R3).run(1 * ms)
    # per step: neuron 0 at 1,3,5,7,9; neuron 1 at 2,5,8
    counts = np.array([0, 1, 1, 1, 0, 2, 0, 1, 1, 1])
    assert np.allclose(R1.rate, counts / (1e-4 * 2))
    assert np.allclose(R1.times, np.arange(10) * 1e-4)
    assert np.allclose(R3.times, [0, 3e-4, 6e-4, 9e-4])
    # the last bin holds one step but is normalised as a full bin
    assert np.allclose(R3.rate, np.array([2, 3, 2, 1]) / (3e-4 * 2))
    flat = R1.smooth_rate(0.35 * ms, filter="flat")    # 3 bins
    assert np.allclose(flat, np.convolve(R1.rate, np.ones(3) / 3, "same"))
    gauss = R1.smooth_rate(0.1 * ms)
    k = np.arange(-2, 3)
    window = np.exp(-k ** 2 / 2.0)
    assert np.allclose(gauss, np.convolve(R1.rate, window / window.sum(),
                                          "same"))
    assert R1.smooth_rate(None, filter="flat").shape == R1.rate.shape


def test_multi_state_monitor():
    P = NeuronGroup(2, "dv/dt = 1*mV/ms : volt\nw : 1")
    P.w = [3, 4]
    M = MultiStateMonitor(P, record=True)
    Network(P, M).run(0.3 * ms)
    assert sorted(M.vars) == ["v", "w"]
    assert np.allclose(M["w", 1], [4, 4, 4])
    assert np.allclose(M["v"][0], [1e-4, 2e-4, 3e-4])
    assert np.allclose(M.times, [0, 1e-4, 2e-4])
    assert dict(M.items()).keys() == {"v", "w"}


def test_state_spike_monitor_values_before_reset():
    P = NeuronGroup(1, "dv/dt = 1*mV/ms : volt\nw : volt",
                    threshold=0.25 * mV, reset="v = 0*mV\nw += 1*mV")
    M = StateSpikeMonitor(P, ("v", "w"))
    Network(P, M).run(0.6 * ms)
    # spikes at steps 2 and 5, v read after the update and before reset
    assert np.allclose(M.times(), [2e-4, 5e-4])
    assert np.allclose(M.values("v"), [3e-4, 3e-4])
    assert np.allclose(M.values("w", 0), [0, 1e-3])
    i, t, v, w = M.spikes[1]
    assert i == 0 and isinstance(v, Quantity) and float(w) == pytest.approx(
        1e-3)


def test_isi_histogram_monitor():
    P = clocked(2)
    H = ISIHistogramMonitor(P, [0, 0.25 * ms, 0.35 * ms, 1 * ms])
    Network(P, H).run(1 * ms)
    # neuron 0: ISIs 0.2 ms x4; neuron 1: 0.3 ms x2; first spikes -> last
    assert list(H.count) == [4, 2, 0, 2]


def test_recent_state_monitor_keeps_last_duration_sorted():
    P = NeuronGroup(2, "dv/dt = 1*mV/ms : volt")
    R = RecentStateMonitor(P, "v", duration=0.3 * ms)
    Network(P, R).run(1 * ms)
    # int(0.3 ms/0.1 ms) + 1 = 3 samples (the quotient is 2.99...)
    assert R.num_duration == 3
    assert np.allclose(R.times, [7e-4, 8e-4, 9e-4])
    assert R.values.shape == (3, 2)
    assert np.allclose(R[1], [8e-4, 9e-4, 1e-3])
