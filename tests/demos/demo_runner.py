"""Runs one Brian 1 demo verbatim in a fresh Python process with a fixed
seed and returns the statistics defined in brian2-demo-stats.json, computed
from the demo's own objects, plus a description of the figure it drew.

Parent side: ``run_demo(demo, seed, png)``.  Child side (this file run as a
script): ``python demo_runner.py DEMO SEED`` prints one ``STATS {json}`` line.
"""
from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

__all__ = ["DEMOS", "EXAMPLES", "REFERENCE", "load_reference", "matches",
           "run_demo", "follow_packet", "cv_isi", "oscillation_peak_hz"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
REFERENCE = Path(__file__).resolve().with_name("brian2-demo-stats.json")
DEMOS = ("random_network", "synfire_chain", "sparse_inhibitory",
         "topographic_map", "adaptive_threshold", "hh_network")
DT = 1e-4           # every demo runs on the default clock, 0.1 ms
MS = 1e-3
MV = 1e-3

# Demos whose reference needs spikes the script does not record: the child
# adds a SpikeMonitor on this group just before the script's run() (an
# observer draws no random numbers, so the simulation is unchanged).
OBSERVED_GROUP = {"hh_network": "P", "adaptive_threshold": "IF"}


# -- the reference and its matching rule ------------------------------------

def load_reference() -> dict:
    with open(REFERENCE) as f:
        return json.load(f)


def matches(x: float, entry: dict) -> tuple[bool, float]:
    """The README's rule |x - mean| <= max(4 sd, rel |mean|, abs), rel 0.08
    unless the entry sets it; returns (ok, allowed distance)."""
    rel = entry.get("rel", 0.08)
    allowed = max(4 * entry["sd"], rel * abs(entry["mean"]),
                  entry.get("abs", 0.0))
    return abs(x - entry["mean"]) <= allowed, allowed


# -- statistics, as brian2-demo-stats.json defines them ---------------------

def cv_isi(indices: np.ndarray, times: np.ndarray, min_spikes: int = 3
           ) -> float:
    """Mean over neurons with >= min_spikes spikes of std(ISI)/mean(ISI)."""
    order = np.lexsort((times, indices))
    i, t = indices[order], times[order]
    cvs = []
    for neuron in np.unique(i):
        ts = t[i == neuron]
        if len(ts) >= min_spikes:
            isi = np.diff(ts)
            cvs.append(isi.std() / isi.mean())
    return float(np.mean(cvs)) if cvs else float("nan")


def follow_packet(group_times_ms: list, start_ms: float, search_ms=15.0,
                  cluster_ms=1.0, window_ms=5.0) -> list:
    """Follow a synfire packet group by group.

    In each group the packet is the densest +-cluster_ms cluster of spikes
    in (previous centre, previous centre + search_ms]; its centre is the
    mean time of that cluster, and the packet is every spike of the group
    within +-window_ms of the centre.  Returns (n, mean time) per group,
    (0, nan) from the first group with no spike in its search window.
    """
    centre = start_ms
    result = []
    for times in group_times_ms:
        times = np.sort(np.asarray(times, dtype=float))
        cand = times[(times > centre) & (times <= centre + search_ms)]
        if cand.size == 0:
            result += [(0, float("nan"))] * (len(group_times_ms) - len(result))
            break
        counts = (np.searchsorted(cand, cand + cluster_ms, side="right")
                  - np.searchsorted(cand, cand - cluster_ms, side="left"))
        best = cand[np.argmax(counts)]
        centre = float(cand[np.abs(cand - best) <= cluster_ms].mean())
        packet = times[np.abs(times - centre) <= window_ms]
        result.append((int(packet.size), float(packet.mean())))
    return result


def oscillation_peak_hz(steps: np.ndarray, first_step: int, n_steps: int,
                        dt: float = DT, pad_s: float = 4.0,
                        band=(20.0, 1000.0)) -> float:
    """Peak frequency in band of the power spectrum of the population spike
    count per step from first_step on (mean removed, Hann window, zero
    padded to the power of two at or above pad_s; the reference's values
    sit on that frequency grid, 1/(65536 dt))."""
    counts = np.bincount(steps[steps >= first_step] - first_step,
                         minlength=n_steps - first_step).astype(float)
    x = (counts - counts.mean()) * np.hanning(counts.size)
    nfft = 1 << int(np.ceil(np.log2(pad_s / dt)))
    power = np.abs(np.fft.rfft(x, nfft)) ** 2
    freqs = np.fft.rfftfreq(nfft, dt)
    inside = (freqs >= band[0]) & (freqs <= band[1])
    return float(freqs[inside][np.argmax(power[inside])])


def _steps(times: np.ndarray) -> np.ndarray:
    return np.rint(np.asarray(times) / DT).astype(np.int64)


def _stats_random_network(ns: dict, extra: dict) -> dict:
    i, t = ns["M"].it
    return {"mean_rate_hz": len(i) / (4000 * 1.0),
            "cv_isi": cv_isi(i, t)}


def _stats_synfire_chain(ns: dict, extra: dict) -> dict:
    input_t = ns["Minput"].it[1] / MS
    groups = [m.it[1] / MS for m in ns["Mgp"]]
    packets = follow_packet(groups, float(np.mean(input_t)))
    n_last, t_last = packets[-1]
    return {"input_spikes": int(ns["Minput"].nspikes),
            "packet_n_last": n_last,
            "packet_t_last_ms": t_last,
            "n_groups_with_packet": sum(n >= 10 for n, _ in packets),
            "_packets": packets}


def _stats_sparse_inhibitory(ns: dict, extra: dict) -> dict:
    steps = _steps(ns["M"].it[1])
    return {"mean_rate_hz": len(steps) / (5000 * 0.1),
            "rate_after_30ms_hz": int((steps >= 300).sum()) / (5000 * 0.07),
            "osc_freq_spectrum_hz": oscillation_peak_hz(steps, 300, 1000)}


def _stats_topographic_map(ns: dict, extra: dict) -> dict:
    import matplotlib.pyplot as plt
    i, _ = ns["spikes"].it
    images = [np.asarray(im.get_array(), dtype=float)
              for ax in plt.gcf().axes for im in ax.images]
    weights = [np.asarray(ns[name].W.todense(), dtype=float)
               for name in ("feedforward", "recurrent")]
    near = np.abs(np.subtract.outer(np.arange(100), np.arange(100))) <= 5
    return {"mean_rate_hz": len(i) / (100 * 1.0),
            "rate_band_40_59_hz": int(((i >= 40) & (i <= 59)).sum())
            / (20 * 1.0),
            "_images_are_W": len(images) == 2 and all(
                np.array_equal(a, w) for a, w in zip(images, weights)),
            # Mean weight within 5 of the diagonal over the mean elsewhere.
            "_band_contrast": [float(w[near].mean() / w[~near].mean())
                               for w in weights]}


def _stats_adaptive_threshold(ns: dict, extra: dict) -> dict:
    vt = ns["Mvt"][0]
    # Each spike raises vt by 3 mV; between spikes vt only relaxes.
    jumps = int((np.diff(vt) > 1 * MV).sum())
    return {"mean_v_mV": float(np.mean(ns["Mv"][0]) / MV),
            "mean_vt_mV": float(np.mean(vt) / MV),
            "n_spikes": int(extra["observer"].nspikes),
            "n_samples": len(ns["Mv"].times),
            "_vt_jumps": jumps,
            "_n_samples_vt": len(ns["Mvt"].times)}


def _stats_hh_network(ns: dict, extra: dict) -> dict:
    trace = ns["trace"]
    observer = extra["observer"]
    i, t = observer.it
    return {"mean_v_traces_mV": float(np.mean(trace.values) / MV),
            "final_mean_v_mV": float(np.mean(np.asarray(ns["P"].v,
                                                        dtype=float)) / MV),
            "mean_rate_hz": len(i) / (4000 * 1.0),
            "_n_trace_samples": len(trace.times),
            "_spike_steps_1_10_100": {
                str(k): _steps(t[i == k]).tolist() for k in (1, 10, 100)},
            "_trace_1_10_100": {str(k): trace[k].tolist()
                                for k in (1, 10, 100)}}


STATS = {name: globals()[f"_stats_{name}"] for name in DEMOS}


# -- child: run the demo and describe what it left behind -------------------

def _describe_figure() -> list:
    """Axes of the current figure: labels, titles, images, lines."""
    import matplotlib.pyplot as plt
    axes = []
    for ax in plt.gcf().axes:
        lines = []
        for line in ax.get_lines():
            x = np.asarray(line.get_xdata(), dtype=float)
            y = np.asarray(line.get_ydata(), dtype=float)
            # axhline: x spans the axes [0, 1] at one constant y.
            is_hline = (len(x) == 2 and x.tolist() == [0.0, 1.0]
                        and y[0] == y[1])
            lines.append({"n": int(len(x)), "marker": str(line.get_marker()),
                          "linestyle": str(line.get_linestyle()),
                          "hline": bool(is_hline),
                          "y0": float(y[0]) if len(y) else None})
        axes.append({"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                     "title": ax.get_title(), "n_images": len(ax.images),
                     "image_shapes": [list(im.get_array().shape)
                                      for im in ax.images],
                     "lines": lines})
    return axes


def _raster_data(ns: dict, demo: str):
    """(x, y) of the raster line drawn and (x, y) expected from the
    monitors (Brian 1: x = t/ms; y = i for one monitor, g + i/N stacked)."""
    import matplotlib.pyplot as plt
    if demo == "synfire_chain":
        monitors = ns["monitors"]
    elif demo in ("random_network", "sparse_inhibitory"):
        monitors = [ns["M"]]
    elif demo == "topographic_map":
        monitors = [ns["spikes"]]
    else:
        return None
    xs, ys = [], []
    for g, m in enumerate(monitors):
        i, t = m.it
        xs.append(t / MS)
        ys.append(i if len(monitors) == 1 else g + i / len(m.source))
    expected = np.concatenate(xs), np.concatenate(ys)
    for ax in plt.gcf().axes:
        for line in ax.get_lines():
            if line.get_marker() == "." and len(line.get_xdata()) == \
                    len(expected[0]):
                drawn = (np.asarray(line.get_xdata(), dtype=float),
                         np.asarray(line.get_ydata(), dtype=float))
                return bool(np.allclose(drawn[0], expected[0], rtol=0,
                                        atol=1e-9)
                            and np.allclose(drawn[1], expected[1], rtol=0,
                                            atol=1e-12))
    return False


def _install_observer(group_name: str, extra: dict) -> None:
    """Wrap brianc.run so that a SpikeMonitor on the script's group joins
    the script's own objects when the script calls run()."""
    import brianc
    from brianc import magic
    original = brianc.run

    def run(*args, **kwds):
        script = sys._getframe(1)
        monitor = brianc.SpikeMonitor(script.f_globals[group_name])
        # Belong to the script's frame, where run() collects its objects.
        magic.retag(monitor, 1)
        extra["observer"] = monitor
        return original(*args, **kwds)

    brianc.run = run


def _child(demo: str, seed: int) -> None:
    import brianc
    extra: dict = {}
    if demo in OBSERVED_GROUP:
        _install_observer(OBSERVED_GROUP[demo], extra)
    brianc.seed(seed)
    start = time.perf_counter()
    ns = runpy.run_path(str(EXAMPLES / f"{demo}.py"), run_name="__main__")
    wall = time.perf_counter() - start
    stats = STATS[demo](ns, extra)
    stats["_wall_s"] = wall
    stats["_figure"] = _describe_figure()
    stats["_raster_matches"] = _raster_data(ns, demo)
    print("STATS " + json.dumps(stats))


# -- parent ------------------------------------------------------------------

def run_demo(demo: str, seed: int, png: Path, timeout: float = 300) -> dict:
    """Run examples/<demo>.py verbatim in a fresh process (MPLBACKEND=Agg,
    brianc.seed(seed) first), save its figure to png, return its stats."""
    env = dict(os.environ, MPLBACKEND="Agg", BRIANC_SAVEFIG=str(png),
               PYTHONPATH=os.pathsep.join(
                   [str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")]
                                  if p]))
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()),
                           demo, str(seed)], env=env, capture_output=True,
                          text=True, timeout=timeout, cwd=str(png.parent))
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("STATS ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"demo {demo} (seed {seed}) failed with exit "
                           f"status {proc.returncode}:\n{proc.stderr[-3000:]}")
    stats = json.loads(lines[-1][len("STATS "):])
    stats["_stderr"] = proc.stderr
    return stats


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
