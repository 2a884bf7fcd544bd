"""Tick marks for logarithmic frequency axes."""
from __future__ import annotations

import numpy as np

__all__ = ["log_frequency_xaxis_labels", "log_frequency_yaxis_labels"]

# The first of these tick sets that covers the axis range is used.
_TICK_SETS = ([1, 2, 4, 8, 16, 32, 64],
              [50, 75, 100, 150, 200, 300, 400],
              [10, 20, 40, 80, 160, 320],
              [1, 2, 4, 8, 16, 32, 64, 100, 200, 400, 800],
              [125, 250, 500, 1000, 2000, 4000, 8000, 16000],
              [100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000])


def _label_log_frequencies(axis, freqs=None) -> None:
    from matplotlib.ticker import (FixedLocator, LogLocator, NullLocator,
                                   ScalarFormatter)
    if freqs is None:
        low, high = axis.get_view_interval()
        freqs = next((ticks for ticks in _TICK_SETS
                      if low >= min(ticks) * 0.9999 and
                      high <= max(ticks) * 1.0001), None)
    if freqs is None:
        axis.set_major_locator(LogLocator(base=2))
    else:
        axis.set_major_locator(FixedLocator(np.asarray(freqs, dtype=float)))
    axis.set_major_formatter(ScalarFormatter())
    axis.set_minor_locator(NullLocator())


def log_frequency_xaxis_labels(ax=None, freqs=None) -> None:
    """Ticks at round frequencies (written 100, not 10^2) on a log-scaled
    x axis of ``ax`` (default: the current axes), or at ``freqs``."""
    import matplotlib.pyplot as plt
    _label_log_frequencies((ax or plt.gca()).xaxis, freqs)


def log_frequency_yaxis_labels(ax=None, freqs=None) -> None:
    """The same for the y axis."""
    import matplotlib.pyplot as plt
    _label_log_frequencies((ax or plt.gca()).yaxis, freqs)
