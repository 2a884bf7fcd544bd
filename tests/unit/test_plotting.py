"""Tests of brianc.plotting on the Agg backend: the data each Brian 1 helper
draws (line x/y, bars, group lines), its labels and its options."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import brianc  # noqa: E402
from brianc import _live_plot, plotting  # noqa: E402
from brianc import ms, mV, second  # noqa: E402


class FakeSpikeMonitor:
    """Just what raster_plot reads: it = (i, t in s) and the source size."""

    def __init__(self, i, t, n):
        self.it = (np.asarray(i), np.asarray(t, dtype=float))
        self.source = range(n)


class FakeHistogram(brianc.Monitor):
    def __init__(self, bins, count):
        self.bins = np.asarray(bins, dtype=float)
        self.count = np.asarray(count)


class FakeStateMonitor:
    varname = "v"

    def __init__(self, records: dict, times):
        self._records = records
        self.times = np.asarray(times, dtype=float)

    def get_record_indices(self):
        return list(self._records)

    def __getitem__(self, i):
        return self._records[i]


@pytest.fixture(autouse=True)
def fresh_figures():
    # Each test starts at t = 0 with no figure open.
    plt.close("all")
    brianc.reinit_default_clock()
    yield
    plt.close("all")
    brianc.reinit_default_clock()


def hlines(ax) -> list:
    return sorted(float(line.get_ydata()[0]) for line in ax.get_lines()
                  if list(line.get_xdata()) == [0, 1])


# -- raster_plot --------------------------------------------------------------

def test_single_monitor_draws_index_against_ms():
    m = FakeSpikeMonitor([3, 0, 7], [0.001, 0.0025, 0.010], 10)
    line = plotting.raster_plot(m)
    ax = plt.gca()
    assert np.allclose(line.get_xdata(), [1.0, 2.5, 10.0])
    assert np.array_equal(line.get_ydata(), [3, 0, 7])
    assert line.get_marker() == "." and line.get_linestyle() == "None"
    assert line.get_markeredgewidth() == 0
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == \
        ("Time (ms)", "Neuron number", "")
    assert ax.get_lines() == [line]


def test_several_monitors_are_stacked_by_group():
    a = FakeSpikeMonitor([0, 3], [0.001, 0.002], 4)
    b = FakeSpikeMonitor([5], [0.003], 10)
    line = plotting.raster_plot(a, b)
    # neuron i of monitor g at g + i / N_g
    assert np.allclose(line.get_ydata(), [0.0, 0.75, 1.5])
    assert np.allclose(line.get_xdata(), [1.0, 2.0, 3.0])
    assert plt.gca().get_ylabel() == "Group number"
    assert hlines(plt.gca()) == []


def test_group_lines_and_space_between_groups():
    a = FakeSpikeMonitor([2], [0.001], 4)
    b = FakeSpikeMonitor([2], [0.001], 4)
    line = plotting.raster_plot(a, b, showgrouplines=True,
                                spacebetweengroups=0.2, grouplinecol="r")
    assert np.allclose(line.get_ydata(), [0.8 * 0.5, 1 + 0.8 * 0.5])
    ax = plt.gca()
    assert np.allclose(hlines(ax), [0.0, 0.8, 1.0, 1.8])
    colours = {line.get_color() for line in ax.get_lines()[1:]}
    assert colours == {"r"}


def test_keyword_order_of_the_synfire_call():
    # raster_plot(showgrouplines=True, *monitors) is valid Python 3.
    monitors = [FakeSpikeMonitor([0], [0.05], 1) for _ in range(3)]
    plotting.raster_plot(showgrouplines=True, *monitors)
    assert hlines(plt.gca()) == [0.0, 1.0, 1.0, 2.0, 2.0, 3.0]


def test_labels_title_and_plot_keywords():
    m = FakeSpikeMonitor([1], [0.002], 2)
    line = plotting.raster_plot(m, xlabel="t", ylabel="cell",
                                title="Spikes", marker="|", ms=7,
                                color="k")
    ax = plt.gca()
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == \
        ("t", "cell", "Spikes")
    assert line.get_marker() == "|"
    assert line.get_markersize() == 7
    assert line.get_color() == "k"


def test_default_title_clears_an_old_one_as_brian1_did():
    plt.title("old")
    plotting.raster_plot(FakeSpikeMonitor([0], [0.0], 1))
    assert plt.gca().get_title() == ""


def test_dense_raster_gets_small_dots_unless_told():
    n = 20000
    m = FakeSpikeMonitor(np.arange(n) % 100, np.linspace(0, 1, n), 100)
    assert plotting.raster_plot(m).get_markersize() == 2
    sparse = FakeSpikeMonitor([0], [0.0], 1)
    default = matplotlib.rcParams["lines.markersize"]
    assert plotting.raster_plot(sparse).get_markersize() == default
    assert plotting.raster_plot(m, markersize=5).get_markersize() == 5


def test_newfigure_opens_a_figure():
    m = FakeSpikeMonitor([0], [0.0], 1)
    first = plt.figure()
    plotting.raster_plot(m)
    assert plt.gcf() is first
    plotting.raster_plot(m, newfigure=True)
    assert plt.gcf() is not first
    assert len(plt.get_fignums()) == 2


def test_showplot_calls_brianc_show(tmp_path, monkeypatch):
    target = tmp_path / "raster.png"
    monkeypatch.setenv("BRIANC_SAVEFIG", str(target))
    plotting.raster_plot(FakeSpikeMonitor([0], [0.0], 1), showplot=True)
    assert target.stat().st_size > 0


def test_empty_monitor_draws_an_empty_line():
    line = plotting.raster_plot(FakeSpikeMonitor([], [], 5))
    assert len(line.get_xdata()) == 0


def test_magic_finds_the_callers_spike_monitors():
    G = brianc.SpikeGeneratorGroup(3, [(0, 1 * ms), (2, 2 * ms)])
    M = brianc.SpikeMonitor(G)
    brianc.run(3 * ms)
    line = plotting.raster_plot()
    assert np.allclose(line.get_xdata(), [1.0, 2.0])
    assert np.array_equal(line.get_ydata(), [0, 2])
    assert M.nspikes == 2


def test_no_monitor_found_draws_nothing():
    assert plotting.raster_plot() is None
    assert plt.get_fignums() == []


def test_refresh_updates_the_line_during_the_run():
    G = brianc.SpikeGeneratorGroup(
        2, [(0, 1 * ms), (1, 4 * ms), (0, 8 * ms)])
    M = brianc.SpikeMonitor(G)
    line = plotting.raster_plot(M, refresh=1 * ms, showlast=5 * ms)
    ax = plt.gca()
    assert len(line.get_xdata()) == 0            # nothing recorded yet
    assert ax.get_ylim() == (0, 2)
    brianc.run(10 * ms)
    # At the last refresh (t = 9 ms) the window is [4, 9] ms.
    assert np.allclose(line.get_xdata(), [4.0, 8.0])
    assert np.array_equal(line.get_ydata(), [1, 0])
    assert np.allclose(ax.get_xlim(), (4.0, 9.0))


# -- raster_plot_spiketimes -------------------------------------------------

def test_raster_plot_spiketimes_takes_pairs_and_options():
    line = plotting.raster_plot_spiketimes(
        [(2, 1 * ms), (0, 0.003), (5, 4.5 * ms)], title="pairs",
        xlabel="ms")
    assert np.allclose(line.get_xdata(), [1.0, 3.0, 4.5])
    assert np.array_equal(line.get_ydata(), [2, 0, 5])
    ax = plt.gca()
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == \
        ("ms", "Neuron number", "pairs")


def test_raster_plot_spiketimes_takes_an_array():
    line = plotting.raster_plot_spiketimes(np.array([[1, 0.002],
                                                     [4, 0.001]]))
    assert np.allclose(line.get_xdata(), [2.0, 1.0])
    assert np.array_equal(line.get_ydata(), [1, 4])


# -- hist_plot ----------------------------------------------------------------

def test_hist_plot_draws_all_but_the_overflow_bin():
    h = FakeHistogram([0.0, 0.002, 0.005, 0.010], [3, 1, 4, 99])
    first = plt.figure()
    bars = plotting.hist_plot(h)
    assert plt.gcf() is not first                    # newfigure=True
    assert [b.get_x() for b in bars] == pytest.approx([0.0, 2.0, 5.0])
    assert [b.get_width() for b in bars] == pytest.approx([2.0, 3.0, 5.0])
    assert [b.get_height() for b in bars] == [3, 1, 4]
    ax = plt.gca()
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == \
        ("Time (ms)", "Count", "")


def test_hist_plot_options_and_magic():
    histmon = FakeHistogram([0.0, 0.001, 0.002], [1, 2, 0])
    bars = plotting.hist_plot(newfigure=False, title="ISI", ylabel="n",
                              color="g")
    assert [b.get_height() for b in bars] == [1, 2]
    assert plt.gca().get_title() == "ISI"
    assert plt.gca().get_ylabel() == "n"
    assert bars[0].get_facecolor()[:3] == pytest.approx((0, 0.5, 0))
    assert len(plt.get_fignums()) == 1
    del histmon


def test_hist_plot_without_any_monitor_raises():
    with pytest.raises(TypeError, match="no histogram monitor"):
        plotting.hist_plot()


# -- StateMonitor traces ------------------------------------------------------

def test_plot_traces_draws_raw_si_values_with_labels():
    times = np.arange(4) * 1e-4
    m = FakeStateMonitor({3: times * 2, 7: times * 5}, times)
    lines = _live_plot.plot_traces(m)
    assert [line.get_label() for line in lines] == ["v[3]", "v[7]"]
    assert np.allclose(lines[1].get_xdata(), times)
    assert np.allclose(lines[1].get_ydata(), times * 5)
    ax = plt.gca()
    assert ax.get_xlabel() == "" and ax.get_legend() is None


def test_plot_traces_indices_and_cmap():
    times = np.arange(3) * 1e-4
    m = FakeStateMonitor({0: times, 1: times + 1, 2: times + 2}, times)
    (only,) = _live_plot.plot_traces(m, indices=2)
    assert np.allclose(only.get_ydata(), times + 2)
    cmap = matplotlib.colormaps["viridis"]
    lines = _live_plot.plot_traces(m, indices=[2, 0], cmap=cmap)
    assert [line.get_label() for line in lines] == ["v[2]", "v[0]"]
    assert lines[0].get_color() == cmap(0.0)
    assert lines[1].get_color() == cmap(1.0)


def test_state_monitor_plot_on_a_real_run():
    G = brianc.NeuronGroup(2, "dv/dt = -v/(10*ms) : volt")
    G.v = [1, 2] * mV
    M = brianc.StateMonitor(G, "v", record=True)
    brianc.run(1 * ms)
    M.plot()
    lines = plt.gca().get_lines()
    assert [line.get_label() for line in lines] == ["v[0]", "v[1]"]
    assert len(lines[1].get_xdata()) == 10
    assert np.allclose(lines[1].get_xdata(), np.arange(10) * 1e-4)
    assert np.allclose(lines[1].get_ydata(), M[1])
    assert lines[1].get_ydata()[-1] < 2e-3


def test_state_monitor_plot_refresh_follows_the_run():
    G = brianc.NeuronGroup(1, "dv/dt = -v/(10*ms) : volt")
    G.v = 1 * mV
    M = brianc.StateMonitor(G, "v", record=True)
    (line,) = _live_plot.plot_traces(M, refresh=0.5 * ms, showlast=0.3 * ms)
    assert len(line.get_xdata()) == 0
    brianc.run(1 * ms)
    # Last refresh at t = 0.5 ms, after the monitor recorded that step:
    # the samples of [0.2, 0.5] ms.
    assert np.allclose(line.get_xdata(), [2e-4, 3e-4, 4e-4, 5e-4])
    assert np.allclose(line.get_ydata(), M[0][2:6])


def test_names_exported_by_star_import():
    namespace: dict = {}
    exec("from brianc import *", namespace)
    for name in ("raster_plot", "raster_plot_spiketimes", "hist_plot"):
        # a stand-in until brianc.plotting is loaded, equal to the function
        assert namespace[name] == getattr(plotting, name)
        assert namespace[name].__name__ == name
    assert float(1 * second) == 1.0
