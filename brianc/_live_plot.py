"""Plots that follow a running simulation (Brian 1's ``refresh`` option)
and StateMonitor traces; matplotlib is imported only when one is drawn."""
from __future__ import annotations

import numpy as np

from . import magic
from ._pylab import plotting_off, pyplot
from .clock import EventClock, get_default_clock
from .operation import NetworkOperation

__all__: list[str] = []

# Slack (s) at the edges of a showlast window: t - showlast is computed in
# floating point and must not drop a sample that lies exactly on the edge.
EDGE = 1e-12


def add_refresh(refresh, update, redraw: bool, artist) -> None:
    """Brian 1's live plots: every ``refresh`` of simulated time during
    later runs, update the artists, and redraw if matplotlib is interactive.
    The data are updated in any case, so a non-interactive figure shows the
    whole run at the end instead of staying empty."""
    clock = EventClock(dt=refresh, t=get_default_clock().t)

    def refresh_plot(clk) -> None:
        import matplotlib
        update(float(clk.t))
        if redraw and matplotlib.is_interactive():
            plt = pyplot()
            plt.draw()
            plt.pause(0.001)
    op = NetworkOperation(refresh_plot, clock=clock)
    # The operation belongs to the script that asked for the live plot, so
    # its run() collects it.  run() only holds objects weakly: the artist
    # keeps the operation alive exactly as long as the plot exists.
    magic.retag(op, 0)
    artist._brianc_refresh = op


def _recorded_indices(monitor) -> list:
    get = getattr(monitor, "get_record_indices", None)
    if get is not None:
        return [int(i) for i in get()]
    return list(monitor._rec_pos)


def plot_traces(monitor, indices=None, cmap=None, refresh=None,
                showlast=None, redraw=True) -> list:
    """StateMonitor.plot (Brian 1): each trace in raw SI units against time
    in seconds, labelled ``varname[i]``; no axis labels or legend.

    ``indices``: None for every recorded neuron, an int, or a sequence.
    ``cmap``: colours the k-th of n traces ``cmap(k / (n - 1))``.
    ``refresh``/``showlast``/``redraw``: live update during later runs, as
    for raster_plot.  Returns the Line2D objects.
    """
    if plotting_off():
        return None
    plt = pyplot()
    single = isinstance(indices, (int, np.integer))
    if indices is None:
        chosen = _recorded_indices(monitor)
    elif single:
        chosen = [int(indices)]
    else:
        chosen = [int(i) for i in indices]
    times = np.asarray(monitor.times, dtype=float)
    lines = []
    for k, i in enumerate(chosen):
        kwds = {"label": f"{monitor.varname}[{i}]"}
        if cmap is not None and not single:
            # Brian 1 divided by n - 1; one trace takes the map's start.
            kwds["color"] = cmap(k / (len(chosen) - 1) if len(chosen) > 1
                                 else 0.0)
        (line,) = plt.plot(times, np.asarray(monitor[i], dtype=float),
                           **kwds)
        lines.append(line)
    if refresh is not None and lines:
        ax = plt.gca()
        add_refresh(refresh, lambda t: _refresh_traces(
            monitor, lines, chosen, ax, showlast, t), redraw, lines[0])
    return lines


def _refresh_traces(monitor, lines, chosen, ax, showlast, t: float) -> None:
    times = np.asarray(monitor.times, dtype=float)
    if times.size == 0:
        return
    keep = slice(None)
    if showlast is not None:
        keep = times >= t - float(showlast) - EDGE
    lo, hi = np.inf, -np.inf
    for line, i in zip(lines, chosen):
        y = np.asarray(monitor[i], dtype=float)[keep]
        line.set_data(times[keep], y)
        if y.size:
            lo, hi = min(lo, float(y.min())), max(hi, float(y.max()))
    start = 0.0 if showlast is None else t - float(showlast)
    ax.set_xlim(start, max(t, start + 1e-12))
    if lo < hi:
        ax.set_ylim(lo, hi)
