"""Brian 1's smaller public pieces: utils, inspection, the magic
functions, clock attributes, reprs, run()'s return value and
contained_objects."""
from __future__ import annotations

import numpy as np
import pytest

from brianc import (Clock, Connection, CustomRefractoriness, FunThreshold,
                    InstanceTracker, MultiStateMonitor, NeuronGroup,
                    PoissonGroup, PopulationRateMonitor, Refractoriness,
                    SpikeCounter, SpikeGeneratorGroup, SpikeMonitor,
                    StateMonitor, Threshold, defaultclock, find_all_instances,
                    find_instances, get_default_clock, get_instances,
                    magic_register, magic_return, ms, run)
from brianc.inspection import (clean_text, get_identifiers,
                               modified_variables, namespace)
from brianc.utils.approximatecomparisons import (is_approx_equal,
                                                 is_equal,
                                                 is_within_absolute_tolerance)
from brianc.utils.dynamicarray import DynamicArray, DynamicArray1D


# -- utils ------------------------------------------------------------------

def test_dynamic_array_keeps_values_and_zero_fills_growth():
    x = DynamicArray((2, 2), dtype=int)
    x[:] = 7
    x.resize((3, 4))
    assert x.shape == (3, 4)
    assert (x.data == [[7, 7, 0, 0], [7, 7, 0, 0], [0, 0, 0, 0]]).all()
    capacity = x._data.shape
    x.resize((3, 3))                # within capacity: no reallocation
    assert x._data.shape == capacity and len(x) == 3


def test_dynamic_array_grows_geometrically():
    x = DynamicArray1D(0)
    reallocations = 0
    for n in range(1, 10001):
        before = x._data
        x.resize(n)
        x[n - 1] = n
        reallocations += x._data is not before
    assert reallocations < 20       # log2(10000) + a few, not 10000
    assert (x.data == np.arange(1, 10001)).all()
    x.resize(5)                     # a 1-d array never shrinks by resize
    assert x.shape == (10000,)


def test_dynamic_array_shrink_reallocates_and_checks():
    x = DynamicArray((4, 4))
    x[:] = np.arange(16).reshape(4, 4)
    x.shrink((2, 3))
    assert x._data.shape == (2, 3)
    assert (x.data == [[0, 1, 2], [4, 5, 6]]).all()
    x.shrink((3, 3))                # larger: nothing happens (Brian 1)
    assert x.shape == (2, 3)
    with pytest.raises(ValueError, match="2-d"):
        x.resize(5)


def test_approximate_comparisons():
    assert is_equal(1.0, 1.0 + 2 ** -53)
    assert not is_equal(1.0, 1.0 + 1e-12)
    assert is_approx_equal(1.0, 1.0 + 1e-12)
    assert not is_approx_equal(1.0, 1.0001)
    assert is_within_absolute_tolerance(1.0, 1.0 + 1e-9)
    assert not is_within_absolute_tolerance(1.0, 1.0 + 1e-7)


# -- inspection -------------------------------------------------------------

def test_identifiers_skip_strings_and_comments():
    code = 'a += b * 2  # c\nf(d, \\\n  "e")'
    assert get_identifiers(code) == ("a", "b", "f", "d")
    assert modified_variables(code) == ["a", "f"]
    assert clean_text("x = 1; y = 2 # z").splitlines() == ["x = 1", " y = 2 "]


def test_namespace_reads_the_callers_names():
    local_value = 3.5
    found = namespace("local_value * np + unknown_name")
    assert found == {"local_value": 3.5, "np": np}


# -- magic ------------------------------------------------------------------

class _Tracked(InstanceTracker):
    def __init__(self, label):
        self.label = label


class _Untracked(_Tracked):
    @staticmethod
    def _track_instances():
        return False


def _make_two():
    inner = _Tracked("inner")
    return inner, get_instances(_Tracked, 0)[0], get_instances(_Tracked, 1)[0]


def test_get_instances_by_frame_level():
    outer = _Tracked("outer")
    hidden = _Untracked("hidden")
    inner, here, caller = _make_two()
    assert here == [inner]
    assert outer in caller and inner not in caller and hidden not in caller
    objs, names = get_instances(_Tracked, 0)
    assert names == [str(id(o)) for o in objs]


def test_find_instances_walks_out_to_the_first_frame_with_any():
    outer = _Tracked("outer")

    def search():
        return find_instances(_Tracked, 0)[0]

    def search_all():
        mine = _Tracked("mine")
        return mine, find_all_instances(_Tracked, 0)[0]
    assert search() == [outer]
    mine, found = search_all()
    assert mine in found and outer in found


def test_magic_register_and_return_hand_objects_to_the_caller():
    defaultclock.reinit()

    def make_group():
        group = NeuronGroup(1, "dv/dt = 1/(10*ms) : 1")
        magic_register(group)
        return group

    @magic_return
    def make_monitor(group):
        return StateMonitor(group, "v", record=True)
    group = make_group()
    monitor = make_monitor(group)
    run(1 * ms)
    assert group.v[0] == pytest.approx(0.1)
    assert len(monitor.times) == 10


# -- clocks, reprs, run, monitors ------------------------------------------

def test_clock_float_attributes_and_defaultclock_equality():
    clock = Clock(dt=0.25 * ms)
    assert clock._dt == 0.25e-3 and clock._t == 0.0
    assert get_default_clock() == defaultclock
    assert defaultclock == get_default_clock()
    assert clock != defaultclock and clock == clock
    assert len({clock, clock}) == 1


def test_every_threshold_reset_and_monitor_has_a_repr():
    group = NeuronGroup(2, "dv/dt = -v/(10*ms) : 1", threshold=1, reset=0)
    objects = [Threshold(1), FunThreshold(lambda v: v > 1),
               Refractoriness(), CustomRefractoriness(lambda P, s: None),
               SpikeCounter(group), PopulationRateMonitor(group),
               MultiStateMonitor(group), group]
    for obj in objects:
        assert type(obj).__name__ in repr(obj)
    assert "threshold=1" in repr(Threshold(1))


def test_run_returns_none_and_rate_accessors_are_si():
    defaultclock.reinit()
    group = PoissonGroup(10, 100 * 1 / ms)     # a spike every step
    rate = PopulationRateMonitor(group)
    assert run(1 * ms) is None
    assert np.all(rate.rate_ == rate.rate) and np.all(rate.rate == 1e4)
    assert np.all(rate.times_ == rate.times)


class _DrivenGroup(NeuronGroup):
    """A subclass that makes its own input, as Brian 1's using_classes."""

    def __init__(self, n):
        super().__init__(n, "dv/dt = -v/(10*ms) : 1", threshold=0.5,
                         reset=0)
        self.source = SpikeGeneratorGroup(1, [(0, 0.5 * ms)], gather=True)
        self.conn = Connection(self.source, self, "v")
        self.conn.connect_full(weight=1.0)
        self.contained_objects += [self.source, self.conn]


def test_contained_objects_are_simulated_with_their_group():
    defaultclock.reinit()
    group = _DrivenGroup(3)
    spikes = SpikeMonitor(group)
    run(2 * ms)
    assert spikes.nspikes == 3


def test_reinit_restarts_a_generator_source_from_time_zero():
    from brianc import Network

    def source():
        yield (0, 0 * ms)
        yield (1, 1 * ms)
        yield (0, 3 * ms)
    group = SpikeGeneratorGroup(2, source, clock=Clock(dt=0.1 * ms))
    monitor = SpikeMonitor(group)
    net = Network(group, monitor)
    net.run(5 * ms)
    first = list(monitor.spikes)
    net.reinit()
    net.run(5 * ms)
    assert len(first) == 3 and len(monitor.spikes) == 3
    assert [i for i, _ in monitor.spikes] == [0, 1, 0]


def test_state_monitor_private_values_layout():
    defaultclock.reinit()
    group = NeuronGroup(3, "dv/dt = 1/ms : 1")
    monitor = StateMonitor(group, "v", record=[0, 2])
    run(0.5 * ms)
    assert monitor._values.shape == (5, 2)
    assert np.allclose(monitor._values, monitor.values.T)


def test_rate_functions_below_zero_give_no_spikes_and_S_is_the_state():
    from brianc import Hz, PoissonGroup
    defaultclock.reinit()
    group = PoissonGroup(50, lambda t: (1000 - 2e6 * float(t)) * Hz)
    monitor = SpikeMonitor(group)
    run(2 * ms)         # the rate falls below 0 at 0.5 ms
    assert all(float(t) < 0.5e-3 + 1e-12 for _, t in monitor.spikes)
    assert len(monitor.spikes) > 0
    with pytest.raises(ValueError, match="NaN|finite"):
        PoissonGroup(2, lambda t: float("nan") * Hz)
    neurons = NeuronGroup(2, "v : 1\nw : 1")
    neurons._S[1] = 3.0
    assert list(neurons.w) == [3.0, 3.0]


def test_connection_alldata_reads_and_writes_every_weight():
    from brianc import mV
    group = NeuronGroup(3, "v : volt")
    conn = Connection(group, group, "v")
    conn.connect_full(group, group, weight=1 * mV)
    conn.W.alldata[:] = conn.W.alldata * 2
    conn.W.alldata += conn.W.alldata * 0.5
    assert np.allclose(conn.W.todense(), 3e-3)
    with pytest.raises(ValueError, match="finite"):
        conn.W.alldata[0] = np.nan
    with pytest.raises(ValueError, match="9 values"):
        conn.W.alldata = np.ones(4)


def test_matplotlib2_keywords_of_brian1_scripts_are_translated():
    from brianc._pylab import _matplotlib3_keywords
    assert _matplotlib3_keywords("imshow", {"origin": "lower left"}) == \
        {"origin": "lower"}
    assert _matplotlib3_keywords("hist", {"normed": 1, "bins": 3}) == \
        {"density": True, "bins": 3}
    assert _matplotlib3_keywords("plot", {"origin": "lower left"}) == \
        {"origin": "lower left"}


def test_run_reports_through_a_progress_reporter():
    import io
    from brianc import Network
    from brianc.utils.progressreporting import ProgressReporter
    stream = io.StringIO()
    reporter = ProgressReporter(stream)
    net = Network(NeuronGroup(1, "v : 1"))
    net.run(1 * ms, report=reporter)
    assert stream.getvalue().startswith("100% complete")


def test_forget_takes_lists_and_same_clocks_compares_clocks():
    from brianc import MagicNetwork, Network, forget, recall
    group = NeuronGroup(3, "v : 1")
    forget([group])
    assert group not in MagicNetwork().objects
    recall([group])
    assert group in MagicNetwork().objects
    same = NeuronGroup(2, "v : 1")
    # (made before a Clock exists here: Brian 1's clock guess would pick it)
    clock = Clock(dt=0.5 * ms)
    other = NeuronGroup(3, "v : 1", clock=clock)
    assert Network(group, same).same_clocks()
    assert not Network(group, other).same_clocks()


def test_a_subgroup_sees_the_script_attributes_of_the_group_sliced():
    """Brian 1's subgroup was a shallow copy of the group: attributes a
    script set on it come along, whole and as they were then."""
    from brianc import NeuronGroup
    group = NeuronGroup(4, "v : 1")
    group.position = np.arange(8.0).reshape(4, 2)
    low = group[0:2]
    assert low.position is group.position          # the whole array
    group.label = "later"
    assert not hasattr(low, "label")
    inner = low[1:2]
    assert inner.position is group.position
    low.mark = 1
    assert not hasattr(group, "mark")
    assert not hasattr(low, "contained_objects")
