"""Brian 1's plotting helpers on matplotlib: raster plots of spike monitors,
histogram-monitor bar charts and StateMonitor traces, with Brian 1's options
and defaults.  matplotlib is imported only when one of them is called."""
from __future__ import annotations

import numpy as np

from . import magic
from ._live_plot import EDGE, add_refresh
from ._pylab import plotting_off, pyplot, show
from .monitor import Monitor, SpikeMonitor

__all__ = ["raster_plot", "raster_plot_spiketimes", "hist_plot"]

_MS = 1e-3
_DENSE_RASTER = 10000    # spikes above which dots are drawn small

# Brian 1's raster_plot options and their defaults; every other keyword
# goes to pyplot.plot.  ylabel's default depends on the number of monitors.
_RASTER_DEFAULTS = {"showplot": False, "newfigure": False,
                    "xlabel": "Time (ms)", "ylabel": None, "title": "",
                    "showgrouplines": False, "grouplinecol": "k",
                    "spacebetweengroups": 0.0, "refresh": None,
                    "showlast": None, "redraw": True}
_HIST_DEFAULTS = {"showplot": False, "newfigure": True,
                  "xlabel": "Time (ms)", "ylabel": "Count", "title": ""}


def _take_options(defaults: dict, given: dict) -> dict:
    """Brian 1's option split: the known keys leave ``given``."""
    return {key: given.pop(key, value) for key, value in defaults.items()}


def _instances_in_caller(predicate) -> list:
    """Objects of the user's frame (locals, then globals) that satisfy
    predicate, each once, in namespace order (Brian 1's magic search)."""
    local_ns, global_ns = magic.caller_namespace(0)
    found = []
    for ns in (local_ns, global_ns):
        for value in ns.values():
            if predicate(value) and all(value is not f for f in found):
                found.append(value)
    return found


def _spike_monitors_in_caller() -> list:
    return _instances_in_caller(lambda v: isinstance(v, SpikeMonitor))


def _seconds(value) -> float:
    return float(value)


def _monitor_it(monitor) -> tuple[np.ndarray, np.ndarray]:
    """(neuron indices, spike times in seconds) of a spike monitor or of
    anything with Brian 1's ``spikes`` list of (i, t) pairs."""
    it = getattr(monitor, "it", None)
    if it is not None:
        i, t = it
        return np.asarray(i, dtype=float), np.asarray(t, dtype=float)
    return _pairs_to_it(monitor.spikes)


def _pairs_to_it(spikes) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(spikes, np.ndarray) and spikes.ndim == 2:
        return (np.asarray(spikes[:, 0], dtype=float),
                np.asarray(spikes[:, 1], dtype=float))
    pairs = list(spikes)
    i = np.array([float(p[0]) for p in pairs], dtype=float)
    t = np.array([_seconds(p[1]) for p in pairs], dtype=float)
    return i, t


def _raster_coords(sources: list, space: float, window=None):
    """x = t/ms and y for every spike of every source, stacked as Brian 1
    stacks them: y = i for one source, g + (1 - space) i / N_g for many.
    ``window`` = (tmin, tmax) in seconds keeps only spikes inside it."""
    xs, ys = [], []
    for g, (i, t, n) in enumerate(src() for src in sources):
        if window is not None:
            keep = (t >= window[0] - EDGE) & (t <= window[1] + EDGE)
            i, t = i[keep], t[keep]
        xs.append(t / _MS)
        if len(sources) == 1:
            ys.append(i)
        else:
            ys.append(g + (1.0 - space) * i / n)
    if not xs:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(xs), np.concatenate(ys)


def _draw_raster(sources: list, options: dict):
    """The common part of raster_plot and raster_plot_spiketimes.  Each
    source is a function returning (i, t in s, number of neurons)."""
    plt = pyplot()
    opts = _take_options(_RASTER_DEFAULTS, options)
    if opts["ylabel"] is None:
        opts["ylabel"] = ("Neuron number" if len(sources) == 1
                          else "Group number")
    space = float(opts["spacebetweengroups"])
    refresh, showlast = opts["refresh"], opts["showlast"]
    # Brian 1 calls plot(x, y, '.', mew=0, **options).  Giving the '.' as
    # keywords lets a caller's marker= or linestyle= replace it without
    # matplotlib's "redundantly defined" warning.
    plot_kwds = {"mew": 0}
    plot_kwds.update(options)
    plot_kwds.setdefault("marker", ".")
    if "ls" not in plot_kwds:
        plot_kwds.setdefault("linestyle", "None")
    if opts["newfigure"]:
        plt.figure()
    x, y = _raster_coords(sources, space)
    if "ms" not in plot_kwds and "markersize" not in plot_kwds and \
            len(x) > _DENSE_RASTER:
        # Brian 1 kept matplotlib's marker size; past ~10^4 spikes those
        # dots merge into a solid block, so dense rasters get small dots.
        plot_kwds["ms"] = 2
    (line,) = plt.plot(x, y, **plot_kwds)
    ax = plt.gca()
    if refresh is not None:
        nmax = sources[0]()[2] if len(sources) == 1 else len(sources)
        ax.set_ylim(0, nmax)
        if showlast is not None:
            ax.set_xlim(-_seconds(showlast) / _MS, 0)
        add_refresh(refresh, lambda t: _refresh_raster(
            line, ax, sources, space, showlast, t), opts["redraw"], line)
    if opts["showgrouplines"]:
        for g in range(len(sources)):
            ax.axhline(g, color=opts["grouplinecol"])
            ax.axhline(g + (1.0 - space), color=opts["grouplinecol"])
    ax.set_ylabel(opts["ylabel"])
    ax.set_xlabel(opts["xlabel"])
    # Brian 1 always sets the title, so the default '' clears an old one.
    ax.set_title(opts["title"])
    if opts["showplot"]:
        show()
    return line


def _refresh_raster(line, ax, sources, space, showlast, t: float) -> None:
    if showlast is None:
        x, y = _raster_coords(sources, space)
        ax.set_xlim(0, max(float(x.max()) if x.size else 0.0, t / _MS))
    else:
        last = _seconds(showlast)
        x, y = _raster_coords(sources, space, (t - last, t))
        ax.set_xlim((t - last) / _MS, t / _MS)
    line.set_data(x, y)


def raster_plot(*monitors, **options):
    """Raster plot of one or more spike monitors (Brian 1 API).

    With no monitor given, the SpikeMonitors of the calling script are
    used; if there are none, nothing is drawn.  One monitor: neuron ``i`` at
    ``y = i``.  Several: neuron ``i`` of monitor ``g`` (argument order) at
    ``y = g + (1 - spacebetweengroups) * i / len(source)``.  x is in ms.

    Options (Brian 1 defaults): ``showplot=False`` (call ``show()``),
    ``newfigure=False`` (call ``figure()`` first), ``xlabel='Time (ms)'``,
    ``ylabel='Neuron number'`` (``'Group number'`` for several monitors),
    ``title=''``, ``showgrouplines=False`` (lines at ``g`` and
    ``g + 1 - spacebetweengroups``), ``grouplinecol='k'``,
    ``spacebetweengroups=0.0``, ``refresh=None`` (update the plot every
    ``refresh`` of simulated time during later runs), ``showlast=None``
    (with refresh: show only that last time window), ``redraw=True``.
    Every other keyword goes to ``pyplot.plot`` (``marker='.'``,
    ``mew=0`` preset, and ``ms=2`` for more than 10000 spikes).  Returns
    the Line2D drawn, or None.
    """
    if plotting_off():
        return None
    if not monitors:
        monitors = tuple(_spike_monitors_in_caller())
        if not monitors:
            return None
    sources = [(lambda m=m: (*_monitor_it(m), len(m.source)))
               for m in monitors]
    return _draw_raster(sources, options)


def raster_plot_spiketimes(spiketimes, **options):
    """Raster plot of a list of ``(i, t)`` pairs (t in seconds or a time
    Quantity), or of an array of shape (n, 2); raster_plot's options."""
    if plotting_off():
        return None
    i, t = _pairs_to_it(spiketimes)
    n = int(i.max()) + 1 if i.size else 0
    return _draw_raster([lambda: (i, t, n)], options)


def _histogram_monitors_in_caller() -> list:
    return _instances_in_caller(
        lambda v: isinstance(v, Monitor) and hasattr(v, "bins")
        and hasattr(v, "count"))


def hist_plot(histmon=None, **plotoptions):
    """Bar chart of a histogram monitor (Brian 1 API): bars
    ``bar(bins[:-1]/ms, count[:-1], diff(bins)/ms)``; the last count (values
    outside the bins) is not drawn.

    With no monitor given, the first histogram monitor of the calling script
    is used.  Options: ``showplot=False``, ``newfigure=True``,
    ``xlabel='Time (ms)'``, ``ylabel='Count'``, ``title=''``; every other
    keyword goes to ``pyplot.bar`` (bars start at their left edge, as in
    the matplotlib Brian 1 used).  Returns the bar container.
    """
    if plotting_off():
        return None
    if histmon is None:
        found = _histogram_monitors_in_caller()
        if not found:
            raise TypeError("hist_plot: no histogram monitor given and none "
                            "found in the calling script")
        histmon = found[0]
    plt = pyplot()
    opts = _take_options(_HIST_DEFAULTS, plotoptions)
    plotoptions.setdefault("align", "edge")
    if opts["newfigure"]:
        plt.figure()
    bins = np.asarray(histmon.bins, dtype=float)
    count = np.asarray(histmon.count, dtype=float)
    if len(count) != len(bins):
        raise ValueError(f"hist_plot: {histmon!r} has {len(bins)} bins but "
                         f"{len(count)} counts, expected as many")
    bars = plt.bar(bins[:-1] / _MS, count[:-1], np.diff(bins) / _MS,
                   **plotoptions)
    ax = plt.gca()
    ax.set_ylabel(opts["ylabel"])
    ax.set_xlabel(opts["xlabel"])
    ax.set_title(opts["title"])
    if opts["showplot"]:
        show()
    return bars
