"""Thresholds, resets and refractoriness against Brian 1's rules (spec 6):
exact spike steps of an LIF neuron under constant input, each threshold
and reset kind, the refractory clamp and suppression counts."""
import math

import numpy as np
import pytest

from brianc import (CustomRefractoriness, EmpiricalThreshold, Equations,
                    FunReset, FunThreshold, HomogeneousPoissonThreshold, Hz,
                    Network, NeuronGroup, NoReset, NoThreshold,
                    PoissonThreshold, Refractoriness,
                    SimpleCustomRefractoriness, SimpleFunThreshold,
                    SpikeMonitor, StateMonitor, StringThreshold, Threshold,
                    VariableReset, VariableThreshold, amp, mV, ms, second,
                    reinit_default_clock, seed, volt)
from brianc.units import DimensionMismatchError


@pytest.fixture(autouse=True)
def fresh_clock():
    """Each test starts at t = 0 on the default clock."""
    reinit_default_clock()
    yield

# dv/dt = (drive - v)/tau crosses theta = 1 mV after T = tau ln(d/(d-1mV)).
# The linear update is exact, so the state after step n is v((n+1) dt) and
# the first spike is at step ceil(T/dt) - 1.
TAU = 10 * ms


def lif(n=1, drive=2 * mV, **kwds):
    eqs = Equations("dv/dt = (drive_ - v)/tau_ : volt", drive_=drive,
                    tau_=TAU)
    kwds.setdefault("threshold", 1 * mV)
    return NeuronGroup(n, eqs, **kwds)


def spike_steps(P, duration=30 * ms, i=0, extra=()):
    """Steps of neuron i's spikes in a run of duration from t = 0."""
    reinit_default_clock()
    M = SpikeMonitor(P)
    net = Network(P, M, *extra)
    net.run(duration)
    return [int(round(t / (0.1 * ms))) for t in M[i]]


def crossing_steps(drive_mV):
    T = float(TAU) * math.log(drive_mV / (drive_mV - 1.0))
    return math.ceil(T / 1e-4)          # steps from rest to a spike


def test_lif_spike_steps_match_analytic_period():
    m = crossing_steps(2.0)             # 70 steps: T = 6.93 ms
    assert m == 70
    steps = spike_steps(lif(reset=0 * mV))
    assert steps == [m - 1, 2 * m - 1, 3 * m - 1, 4 * m - 1]


def test_lif_scalar_reset_with_refractory_clamps_int_R_over_dt_plus_1():
    # reset held at the end of steps n0..n0+20, free integration after
    m = crossing_steps(2.0)
    steps = spike_steps(lif(reset=0 * mV, refractory=2 * ms))
    assert steps == [m - 1, m - 1 + 20 + m, m - 1 + 2 * (20 + m)]


def test_strong_drive_suppression_only_for_string_reset():
    # 6 steps to threshold; a string reset is not clamped, only
    # suppressed: the next spike comes round(R/dt) = 20 steps later.
    m = crossing_steps(20.0)
    assert m == 6
    P = lif(drive=20 * mV, reset="v = 0*mV\nv += 0*mV", refractory=2 * ms)
    assert spike_steps(P, 5 * ms) == [5, 25, 45]
    # without refractoriness it fires every 6 steps
    P = lif(drive=20 * mV, reset="v = 0*mV\nv += 0*mV")
    assert spike_steps(P, 2 * ms) == [5, 11, 17]


def test_strong_drive_scalar_reset_clamps_then_integrates():
    P = lif(drive=20 * mV, reset=0 * mV, refractory=2 * ms)
    assert spike_steps(P, 6 * ms) == [5, 31, 57]


def test_refractory_step_count_truncates_like_brian1():
    # int(0.3 ms / 0.1 ms) == 2 in floating point: 3 clamped phases
    P = lif(drive=20 * mV, reset=0 * mV, refractory=0.3 * ms)
    assert spike_steps(P, 2.2 * ms) == [5, 13, 21]


def test_string_reset_that_is_a_plain_reset_is_clamped():
    P = lif(drive=20 * mV, reset="v = 0*mV", refractory=2 * ms)
    assert spike_steps(P, 6 * ms) == [5, 31, 57]


def test_explicit_refractoriness_clamps_without_suppression_arg():
    P = lif(drive=20 * mV, reset=Refractoriness(0 * mV, 2 * ms))
    assert spike_steps(P, 6 * ms) == [5, 31, 57]


def test_variable_refractoriness_array_and_variable():
    # next_allowed = t + R_i; the clamp holds while next_allowed > t - dt/4
    # R = 0.75 ms: held for steps n0..n0+7, spike 6 steps after;
    # R = 1.55 ms: held for n0..n0+15.
    P = lif(n=2, drive=20 * mV, reset=0 * mV,
            refractory=np.array([0.75, 1.55]) * ms)
    M = SpikeMonitor(P)
    Network(P, M).run(5 * ms)
    assert [round(t / 1e-4) for t in M[0]] == [5, 18, 31, 44]
    assert [round(t / 1e-4) for t in M[1]] == [5, 26, 47]
    reinit_default_clock()
    eqs = Equations("dv/dt = (20*mV - v)/(10*ms) : volt\nR : second")
    Q = NeuronGroup(2, eqs, threshold=1 * mV, reset=0 * mV, refractory="R",
                    max_refractory=2 * ms)
    Q.R = np.array([0.75, 1.55]) * ms
    M = SpikeMonitor(Q)
    Network(Q, M).run(5 * ms)
    assert [round(t / 1e-4) for t in M[1]] == [5, 26, 47]
    with pytest.raises(ValueError, match="max_refractory"):
        NeuronGroup(2, eqs, threshold=1 * mV, reset=0 * mV, refractory="R")
    with pytest.raises(ValueError):
        NeuronGroup(2, eqs, threshold=1 * mV, reset="v=0*mV;R=0*ms",
                    refractory=np.array([1, 2]) * ms)


def test_scalar_threshold_is_strict_and_ge_string_too():
    P = NeuronGroup(1, "v : volt", threshold="v >= 1*mV")
    P.v = 1 * mV
    assert spike_steps(P, 1 * ms) == []
    P.v = 1.0000001 * mV
    assert spike_steps(P, 0.3 * ms) == [0, 1, 2]
    Q = NeuronGroup(1, "v : volt", threshold=StringThreshold("v >= 1*mV"))
    Q.v = 1 * mV
    assert spike_steps(Q, 0.3 * ms) == [0, 1, 2]


def test_variable_threshold_strict():
    P = NeuronGroup(2, "v : volt\nvt : volt", threshold="v > vt")
    assert isinstance(P._threshold, VariableThreshold)
    P.v = [1, 2] * mV
    P.vt = 1 * mV
    M = SpikeMonitor(P)
    Network(P, M).run(0.2 * ms)
    assert [i for i, _ in M.spikes] == [1, 1]


def test_no_threshold_and_none():
    for th in (None, NoThreshold()):
        P = NeuronGroup(1, "v : volt", threshold=th)
        P.v = 1 * volt
        assert spike_steps(P, 1 * ms) == []


def test_empirical_threshold_spikes_every_refractory_period():
    # spec 6.5: held above threshold with 0.5 ms: spikes at 0, 0.5, 1, 1.5
    P = NeuronGroup(1, "v : volt",
                    threshold=EmpiricalThreshold(threshold=0 * mV,
                                                 refractory=0.5 * ms))
    P.v = 10 * mV
    assert spike_steps(P, 2 * ms) == [0, 5, 10, 15]
    assert EmpiricalThreshold(refractory=3 * ms).steps(1e-4) == 29
    assert EmpiricalThreshold(refractory=0.35 * ms).steps(1e-4) == 3


def test_empirical_threshold_on_hh_like_neuron():
    # a self-resetting spike: v jumps above threshold and decays within
    # the refractory window; a constant push keeps it re-crossing.
    eqs = "dv/dt = (40*mV - v)/(0.2*ms) : volt"
    P = NeuronGroup(1, eqs, threshold=EmpiricalThreshold(
        threshold=20 * mV, refractory=0.5 * ms))
    steps = spike_steps(P, 2 * ms)
    # crosses 20 mV when 1 - exp(-(n+1) dt/0.2ms) > 1/2: n = 1
    assert steps == [1, 6, 11, 16]


def test_poisson_threshold_edges():
    P = NeuronGroup(3, "rate : Hz", threshold=PoissonThreshold())
    P.rate = [0, 1e4, 2e4] * Hz
    M = SpikeMonitor(P)
    Network(P, M).run(1 * ms)
    i = np.array([a for a, _ in M.spikes])
    assert (i == 0).sum() == 0 and (i == 1).sum() == 10 and \
        (i == 2).sum() == 10


def test_homogeneous_poisson_threshold_uses_rate_of_neuron_0():
    seed(3)
    P = NeuronGroup(5, "rate : Hz", threshold=HomogeneousPoissonThreshold())
    M = SpikeMonitor(P)
    net = Network(P, M)
    net.run(1 * ms)
    assert M.nspikes == 0
    P.rate = [1e9, 0, 0, 0, 0] * Hz       # capped at N per step
    net.run(1 * ms)
    assert M.nspikes == 50
    P.rate = [100, 0, 0, 0, 0] * Hz       # mean 0.05 per step
    P._c.reinit()
    before = M.nspikes
    net.run(100 * ms)
    assert 20 < M.nspikes - before < 90
    assert len(set(i for i, _ in M.spikes)) == 5


def test_fun_thresholds_match_scalar_threshold():
    ref = spike_steps(lif(reset=0 * mV, refractory=1 * ms))
    calls = []

    def simple(v):
        calls.append(1)
        return v > 0.001
    P = lif(reset=0 * mV, refractory=1 * ms, threshold=simple)
    assert isinstance(P._threshold, SimpleFunThreshold)
    assert spike_steps(P) == ref
    assert len(calls) == 300            # once per step
    P = lif(reset=0 * mV, refractory=1 * ms,
            threshold=FunThreshold(lambda v: v > 0.001))
    assert spike_steps(P) == ref


def test_fun_threshold_applies_refractory_filter():
    P = NeuronGroup(1, "v : volt", threshold=SimpleFunThreshold(
        lambda v: np.ones(len(v), dtype=bool)), reset="v = v",
        refractory=1 * ms)
    assert spike_steps(P, 3 * ms) == [0, 10, 20]


def test_fun_reset_called_every_step_with_spikes():
    seen = []

    def reset(P, spikes):
        seen.append(list(spikes))
        P.v[spikes] = 0 * mV
    ref = spike_steps(lif(reset=0 * mV), 15 * ms)
    P = lif(reset=reset)
    assert isinstance(P._reset, FunReset)
    assert spike_steps(P, 15 * ms) == ref
    assert len(seen) == 150 and seen[69] == [0]
    assert sum(len(s) for s in seen) == len(ref)


def test_fun_reset_with_refractory_raises():
    with pytest.raises(ValueError):
        lif(reset=lambda P, s: None, refractory=1 * ms)
    # an explicit FunReset gets suppression only, as in Brian 1
    lif(reset=FunReset(lambda P, s: None), refractory=1 * ms)


def test_variable_reset_and_multi_statement_string_reset():
    eqs = "dv/dt = (20*mV - v)/(10*ms) : volt\nvr : volt\nw : 1"
    P = NeuronGroup(1, eqs, threshold=1 * mV, reset="v = vr")
    assert isinstance(P._reset, VariableReset)
    P.vr = -1 * mV
    # from -1 mV, 21/19 ratio: T = 10 ms ln(21/19)
    first = spike_steps(P, 2 * ms)
    assert first[0] == 5
    Q = NeuronGroup(1, eqs, threshold=1 * mV, reset="v = 0*mV\nw += 1")
    steps = spike_steps(Q, 2 * ms)
    assert Q.w[0] == len(steps) == 3


def test_no_reset_keeps_value():
    P = NeuronGroup(1, "v : volt", threshold=1 * mV, reset=NoReset())
    P.v = 2 * mV
    spike_steps(P, 0.5 * ms)
    assert P.v[0] == pytest.approx(0.002)


def test_simple_custom_refractoriness_holds_value_set_by_function():
    def reset(P, spikes):
        P.v[spikes] = -1 * mV
    P = lif(drive=20 * mV, reset=SimpleCustomRefractoriness(reset, 1 * ms))
    S = StateMonitor(P, "v", record=True)
    steps = spike_steps(P, 3 * ms, extra=(S,))
    v = S[0]
    n0 = steps[0]
    assert np.all(v[n0:n0 + 11] == -0.001)      # int(1ms/dt)+1 phases
    assert v[n0 + 11] > -0.001


def test_custom_refractoriness_calls_refracfunc_on_recent_spikers():
    log = []
    P = lif(drive=20 * mV, reset=CustomRefractoriness(
        lambda P, s: P.v.__setitem__(s, 0.0), 0.5 * ms,
        lambda P, idx: log.append(list(idx))))
    spike_steps(P, 1 * ms)
    # spike at step 5: int(0.5 ms/0.1 ms) + 1 = 5 phases (the float
    # quotient is 4.999...), so refracfunc sees [0] in steps 5..9
    assert [k for k, x in enumerate(log) if x == [0]] == list(range(5, 10))


def test_unit_errors_and_bad_values():
    with pytest.raises(DimensionMismatchError):
        NeuronGroup(1, "v : volt", threshold=1 * second)
    with pytest.raises(DimensionMismatchError):
        NeuronGroup(1, "v : volt", threshold=1 * mV, reset=2 * amp)
    with pytest.raises(DimensionMismatchError):
        NeuronGroup(1, "v : volt", threshold=0.5)
    with pytest.raises(ValueError, match="NaN"):
        NeuronGroup(1, "v : volt", threshold=float("nan") * mV)
    with pytest.raises(KeyError, match="no state variable 'u'"):
        NeuronGroup(1, "v : volt", threshold=Threshold(1 * mV, state="u"))
    with pytest.raises(DimensionMismatchError):
        NeuronGroup(1, "v : volt", threshold=1 * mV, refractory=1 * mV)
    with pytest.raises(ValueError):
        NeuronGroup(1, "v : volt", threshold=1 * mV, refractory=-1 * ms)
    with pytest.raises(TypeError):
        NeuronGroup(1, "v : volt", threshold=[1, 2])
