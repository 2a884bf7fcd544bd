"""Brian 1's plotting helpers on matplotlib: raster_plot, hist_plot and
state traces.  matplotlib is imported only when one is called."""
from __future__ import annotations

import numpy as np

from . import _magic
from ._pylab import pyplot

__all__ = ["raster_plot", "raster_plot_spiketimes", "hist_plot"]

_MS = 1e-3


def _spike_monitors_in_caller() -> list:
    from .monitor import SpikeMonitor
    local_ns, global_ns = _magic.caller_namespace(0)
    found = []
    for ns in (local_ns, global_ns):
        for value in ns.values():
            if isinstance(value, SpikeMonitor) and \
                    all(value is not f for f in found):
                found.append(value)
    return found


def raster_plot(*monitors, **options):
    """Raster plot of one or more SpikeMonitors (Brian 1 API).

    Options: ``showplot``, ``newfigure``, ``xlabel``, ``ylabel``, ``title``,
    ``showgrouplines``, ``grouplinecol``, ``spacebetweengroups``; other
    keywords go to ``pylab.plot`` (``mew=0`` preset, ``'.'`` markers).
    """
    plt = pyplot()
    if not monitors:
        monitors = tuple(_spike_monitors_in_caller())
    showplot = options.pop("showplot", False)
    newfigure = options.pop("newfigure", False)
    xlabel = options.pop("xlabel", "Time (ms)")
    ylabel = options.pop("ylabel", "Neuron number" if len(monitors) == 1
                         else "Group number")
    title = options.pop("title", "")
    showgrouplines = options.pop("showgrouplines", False)
    grouplinecol = options.pop("grouplinecol", "k")
    space = float(options.pop("spacebetweengroups", 0.0))
    for unused in ("refresh", "showlast", "redraw"):
        options.pop(unused, None)
    options.setdefault("mew", 0)
    if newfigure:
        plt.figure()
    xs, ys = [], []
    for g, monitor in enumerate(monitors):
        i, t = monitor.it
        xs.append(t / _MS)
        if len(monitors) == 1:
            ys.append(i.astype(float))
        else:
            ys.append(g + (1 - space) * i / len(monitor.source))
    x = np.concatenate(xs) if xs else np.zeros(0)
    y = np.concatenate(ys) if ys else np.zeros(0)
    marker = options.pop("marker", ".")
    if "ms" not in options and "markersize" not in options:
        options["ms"] = 2 if len(x) > 10000 else 4
    line = plt.plot(x, y, marker, linestyle="None", **options)
    if showgrouplines:
        for g in range(len(monitors)):
            plt.axhline(g, color=grouplinecol)
            plt.axhline(g + 1 - space, color=grouplinecol)
    plt.xlabel(xlabel)
    plt.ylabel(ylabel)
    if title:
        plt.title(title)
    if showplot:
        plt.show()
    return line


def raster_plot_spiketimes(spiketimes, **options):
    """Raster plot of a list of (i, t) pairs."""
    plt = pyplot()
    pairs = list(spiketimes)
    i = np.array([p[0] for p in pairs], dtype=float)
    t = np.array([float(p[1]) for p in pairs])
    options.setdefault("mew", 0)
    line = plt.plot(t / _MS, i, ".", **options)
    plt.xlabel(options.pop("xlabel", "Time (ms)"))
    plt.ylabel("Neuron number")
    return line


def hist_plot(histmon=None, showplot=False, newfigure=True,
              xlabel="Time (ms)", ylabel="Count", title="", **baropts):
    """Bar chart of an ISIHistogramMonitor's counts."""
    plt = pyplot()
    if newfigure:
        plt.figure()
    bins = np.asarray(histmon.bins, dtype=float)
    count = np.asarray(histmon.count)
    bars = plt.bar(bins[:-1] / _MS, count[:-1], np.diff(bins) / _MS,
                   align="edge", **baropts)
    plt.xlabel(xlabel)
    plt.ylabel(ylabel)
    if title:
        plt.title(title)
    if showplot:
        plt.show()
    return bars


def plot_traces(monitor, indices=None, cmap=None) -> None:
    """StateMonitor.plot: raw SI values against seconds, one line each."""
    plt = pyplot()
    recorded = list(monitor._rec_pos)
    chosen = recorded if indices is None else list(np.atleast_1d(indices))
    times = monitor.times
    for k, i in enumerate(chosen):
        color = None
        if cmap is not None:
            color = cmap(k / max(len(chosen) - 1, 1))
        plt.plot(times, monitor[i], color=color,
                 label=f"{monitor.varname}[{i}]")
