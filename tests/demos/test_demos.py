"""Acceptance tests: the six Brian 1 demos run verbatim (fresh process,
MPLBACKEND=Agg, fixed seeds) and their statistics match Brian 2's reference
(brian2-demo-stats.json, copied from shared/reference), their figures look
as Brian 1 drew them, and exact counts are exact."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import demo_runner
from demo_runner import DEMOS, EXAMPLES, REFERENCE

SHARED = Path("/work/shared")
REFERENCE_DATA = demo_runner.load_reference()
STATISTICS = [(demo, name) for demo in DEMOS
              for name in REFERENCE_DATA[demo] if not name.startswith("_")]


# -- the inputs are what they claim to be (fast) ----------------------------

@pytest.mark.skipif(not (SHARED / "demos").is_dir(),
                    reason="shared/demos not available")
@pytest.mark.parametrize("demo", DEMOS)
def test_examples_are_the_demos_verbatim(demo):
    assert (EXAMPLES / f"{demo}.py").read_bytes() == \
        (SHARED / "demos" / f"{demo}.py").read_bytes()


@pytest.mark.skipif(not (SHARED / "reference").is_dir(),
                    reason="shared/reference not available")
def test_reference_copy_is_current():
    shared = json.loads((SHARED / "reference" / REFERENCE.name).read_text())
    assert shared == REFERENCE_DATA


def test_matching_rule():
    entry = {"mean": 10.0, "sd": 1.0}
    assert demo_runner.matches(14.0, entry) == (True, 4.0)
    assert not demo_runner.matches(14.01, entry)[0]
    assert demo_runner.matches(0.0, {"mean": 100.0, "sd": 0.1})[1] == 8.0
    exact = {"mean": 85.0, "sd": 0.0, "rel": 0, "abs": 0}
    assert demo_runner.matches(85, exact)[0]
    assert not demo_runner.matches(86, exact)[0]


def test_follow_packet_on_synthetic_chain():
    rng = np.random.default_rng(0)
    groups = []
    for g in range(4):
        packet = 52.0 + 0.6 * g + rng.normal(0, 0.2, 100)
        background = np.array([5.0, 30.0, 80.0])
        groups.append(np.concatenate([packet, background]))
    result = demo_runner.follow_packet(groups, 50.0)
    assert [n for n, _ in result] == [100] * 4
    for g, (_, t) in enumerate(result):
        assert abs(t - (52.0 + 0.6 * g)) < 0.1
    # A chain that dies: the packet is lost in the third group.
    groups[2] = np.array([5.0, 90.0])
    result = demo_runner.follow_packet(groups, 50.0)
    assert [n for n, _ in result] == [100, 100, 0, 0]


def test_oscillation_peak_of_a_sine_rate():
    steps = np.arange(1000)
    rate = 1 + np.sin(2 * np.pi * 125.0 * steps * 1e-4)
    spikes = np.repeat(steps, np.rint(10 * rate).astype(int))
    peak = demo_runner.oscillation_peak_hz(spikes, 300, 1000)
    assert abs(peak - 125.0) < 0.5


def test_cv_isi_of_regular_and_known_trains():
    i = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2])
    t = np.array([0.0, 1.0, 2.0, 3.0, 0.0, 1.0, 4.0, 0.0, 1.0])
    # Neuron 0: CV 0; neuron 1: ISIs 1, 3 -> std 1 / mean 2; neuron 2 has
    # too few spikes.
    assert demo_runner.cv_isi(i, t) == pytest.approx(0.25)


# -- the science: every reference statistic, every seed ---------------------

@pytest.mark.slow
@pytest.mark.parametrize("demo,name", STATISTICS,
                         ids=[f"{d}-{n}" for d, n in STATISTICS])
def test_statistic_matches_brian2_reference(demo_runs, demo, name):
    entry = REFERENCE_DATA[demo][name]
    failures = []
    for run in demo_runs(demo):
        ok, allowed = demo_runner.matches(run[name], entry)
        if not ok:
            failures.append(f"seed {run['_seed']}: {name} = {run[name]:.6g}, "
                            f"reference {entry['mean']:.6g} +- "
                            f"{allowed:.3g}")
    assert not failures, "\n".join(failures)


# -- exact counts ------------------------------------------------------------

@pytest.mark.slow
def test_pulse_packet_has_exactly_85_spikes(demo_runs):
    assert [r["input_spikes"] for r in demo_runs("synfire_chain")] == \
        [85] * len(demo_runs("synfire_chain"))


@pytest.mark.slow
def test_synfire_packet_moves_up_the_chain(demo_runs):
    for run in demo_runs("synfire_chain"):
        times = [t for _, t in run["_packets"]]
        # Each group fires after the one feeding it, within a few ms.
        steps = np.diff(times)
        assert np.all(steps > 0.1) and np.all(steps < 3.0), times


@pytest.mark.slow
def test_state_monitor_samples_one_per_step(demo_runs):
    for run in demo_runs("adaptive_threshold"):
        assert run["n_samples"] == 1000          # 100 ms / 0.1 ms
        assert run["_n_samples_vt"] == 1000
    for run in demo_runs("hh_network"):
        assert run["_n_trace_samples"] == 10000  # 1 s / 0.1 ms


@pytest.mark.slow
def test_adaptive_threshold_spikes_are_the_threshold_jumps(demo_runs):
    # The added SpikeMonitor and the 3 mV jumps of vt count the same spikes.
    for run in demo_runs("adaptive_threshold"):
        assert run["n_spikes"] == run["_vt_jumps"] > 0


def empirical_threshold_spikes(v, theta: float, blocked: int) -> list:
    """Brian 1's EmpiricalThreshold replayed on a recorded trace: a spike
    where v > theta and no spike in the previous ``blocked`` steps."""
    spikes, last = [], None
    for n, x in enumerate(v):
        if x > theta and (last is None or n - last > blocked):
            spikes.append(n)
            last = n
    return spikes


@pytest.mark.slow
def test_hh_spikes_are_the_threshold_crossings(demo_runs):
    # EmpiricalThreshold(-20 mV, 3 ms): 3 ms at 0.1 ms blocks 29 steps
    # (int(R/dt), minus one as R/dt is whole).  Usually that is one spike
    # per excursion above -20 mV; in fast bursts a crossing within 3 ms of
    # the last spike fires on the first step the block has passed.
    for run in demo_runs("hh_network"):
        for k, v in run["_trace_1_10_100"].items():
            want = empirical_threshold_spikes(np.asarray(v), -20e-3, 29)
            assert run["_spike_steps_1_10_100"][k] == want, k


# -- the figures -------------------------------------------------------------

def _png_shape(path: str) -> tuple:
    import matplotlib.image
    return matplotlib.image.imread(path).shape


@pytest.mark.slow
@pytest.mark.parametrize("demo", DEMOS)
def test_demo_saves_its_figure(demo_runs, demo):
    run = demo_runs(demo)[0]
    assert Path(run["_png"]).stat().st_size > 5000
    assert _png_shape(run["_png"])[:2] == (480, 640)   # 6.4 x 4.8 in, 100 dpi


@pytest.mark.slow
@pytest.mark.parametrize("demo", ["random_network", "sparse_inhibitory"])
def test_single_raster_is_labelled_and_exact(demo_runs, demo):
    run = demo_runs(demo)[0]
    (ax,) = run["_figure"]
    assert ax["xlabel"] == "Time (ms)"
    assert ax["ylabel"] == "Neuron number"
    assert [line["marker"] for line in ax["lines"]] == ["."]
    assert run["_raster_matches"] is True


@pytest.mark.slow
def test_synfire_raster_stacks_groups_with_lines(demo_runs):
    run = demo_runs("synfire_chain")[0]
    (ax,) = run["_figure"]
    assert (ax["xlabel"], ax["ylabel"]) == ("Time (ms)", "Group number")
    hlines = sorted(line["y0"] for line in ax["lines"] if line["hline"])
    # axhline(g) and axhline(g + 1) for each of the 11 monitors.
    assert hlines == sorted([float(g) for g in range(11)] +
                            [float(g + 1) for g in range(11)])
    assert run["_raster_matches"] is True


@pytest.mark.slow
def test_topographic_map_shows_raster_and_two_matrices(demo_runs):
    run = demo_runs("topographic_map")[0]
    raster, ff, rec = run["_figure"]
    assert (raster["xlabel"], raster["ylabel"]) == ("Time (ms)",
                                                    "Neuron number")
    assert run["_raster_matches"] is True
    assert ff["title"] == "Feedforward connection strengths"
    assert rec["title"] == "Recurrent connection strengths"
    assert ff["image_shapes"] == rec["image_shapes"] == [[100, 100]]
    assert run["_images_are_W"] is True
    # The band: weights exp(-|i-j|/10) * 3 mV and exp(-|i-j|/20) * 0.5 mV
    # are several times larger near the diagonal than away from it.
    ff_contrast, rec_contrast = run["_band_contrast"]
    assert ff_contrast > 4 and rec_contrast > 2


@pytest.mark.slow
@pytest.mark.parametrize("demo", DEMOS)
def test_demo_runs_without_warnings(demo_runs, demo):
    for run in demo_runs(demo):
        assert run["_stderr"] == "", run["_stderr"][-2000:]


@pytest.mark.slow
@pytest.mark.parametrize("demo,n_lines,n_points",
                         [("adaptive_threshold", 2, 1000),
                          ("hh_network", 3, 10000)])
def test_trace_demos_plot_every_sample(demo_runs, demo, n_lines, n_points):
    (ax,) = demo_runs(demo)[0]["_figure"]
    assert [line["n"] for line in ax["lines"]] == [n_points] * n_lines
