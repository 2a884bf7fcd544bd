"""The random_network model end to end through the C engine (issue 2's
vertical slice): rate against the Brian 2 reference, reproducibility,
in-place state access and clear errors on bad input."""
import json
from pathlib import Path

import numpy as np
import pytest

from brianc import (Connection, DimensionMismatchError, NeuronGroup,
                    SpikeMonitor, mV, ms, reinit_default_clock, run, second,
                    seed)

# The demo tests keep a copy of shared/reference's statistics (checked
# against the original when shared/ is present).
REFERENCE = Path(__file__).resolve().parents[1] / "demos" / \
    "brian2-demo-stats.json"

EQS = '''
dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt
'''


def random_network(s: int, duration=1 * second):
    """The demo's model, seeded, from t = 0; returns (group, monitor)."""
    seed(s)
    reinit_default_clock()      # runs continue in time otherwise
    P = NeuronGroup(4000, EQS, threshold=-50 * mV, reset=-60 * mV)
    P.v = -60 * mV + 10 * mV * np.random.rand(len(P))
    Pe = P.subgroup(3200)
    Pi = P.subgroup(800)
    Ce = Connection(Pe, P, 'ge', weight=1.62 * mV, sparseness=0.02)
    Ci = Connection(Pi, P, 'gi', weight=-9 * mV, sparseness=0.02)
    M = SpikeMonitor(P)
    run(duration)
    assert Ce.W.getnnz() > 0 and Ci.W.getnnz() > 0
    return P, M


def reference(stat: str) -> dict:
    if not REFERENCE.exists():
        pytest.skip(f"reference statistics not found at {REFERENCE}")
    return json.loads(REFERENCE.read_text())["random_network"][stat]


def test_mean_rate_inside_reference_distribution():
    ref = reference("mean_rate_hz")
    bound = max(4 * ref["sd"], ref.get("rel", 0.08) * abs(ref["mean"]),
                ref.get("abs", 0.0))
    for s in (1, 2):
        _, M = random_network(s)
        rate = M.nspikes / (4000 * 1.0)
        assert abs(rate - ref["mean"]) <= bound, (s, rate, ref["mean"])


def test_same_seed_same_spikes_other_seed_other_spikes():
    _, a = random_network(7, 200 * ms)
    _, b = random_network(7, 200 * ms)
    _, c = random_network(8, 200 * ms)
    ia, ta = a.it
    ib, tb = b.it
    assert a.nspikes > 100
    assert np.array_equal(ia, ib) and np.array_equal(ta, tb)
    assert not (len(c.it[0]) == len(ia) and np.array_equal(c.it[0], ia))


def test_state_is_read_and_written_in_place():
    seed(3)
    P = NeuronGroup(10, EQS, threshold=-50 * mV, reset=-60 * mV)
    view = P.v
    P.v = -55 * mV
    assert np.all(view == pytest.approx(-0.055))     # same memory
    view[3] = -0.0499                                  # write through
    run(0.1 * ms)                                      # one step
    # Neuron 3 starts above threshold (strict >) and is reset in step 0.
    assert P.v[3] == pytest.approx(-0.060)
    assert np.all(P.v[:3] < -0.054)
    with pytest.raises(ValueError):
        P.v = np.zeros(7) * mV
    with pytest.raises(ValueError, match="NaN"):
        P.v = np.array([0.0, np.nan] * 5) * mV
    assert not np.isnan(P.v).any()      # nothing was written


def test_spike_times_are_step_labels():
    seed(4)
    _, M = random_network(4, 50 * ms)
    i, t = M.it
    steps = t / 1e-4
    assert np.allclose(steps, np.round(steps))
    assert np.all(np.diff(t) >= 0)
    assert i.min() >= 0 and i.max() < 4000


@pytest.mark.parametrize("bad", [0, -3, 2.5, float("nan"), "10"])
def test_group_size_must_be_a_positive_integer(bad):
    with pytest.raises((ValueError, TypeError), match="N"):
        NeuronGroup(bad, EQS)


def test_unit_mismatch_in_an_equation_is_reported():
    with pytest.raises(DimensionMismatchError) as err:
        NeuronGroup(3, "dv/dt = (ge - v)/(20*ms) : volt\nge : amp")
    assert "v" in str(err.value)


def test_unknown_name_is_reported():
    with pytest.raises(NameError, match="tau_undefined"):
        NeuronGroup(3, "dv/dt = -v/tau_undefined : volt")


def test_threshold_with_wrong_units_is_refused():
    with pytest.raises(DimensionMismatchError):
        NeuronGroup(3, EQS, threshold=-50 * ms)
