"""Histograms of a state variable per neuron (Brian 1's
StateHistogramMonitor), from samples recorded in C every ``period``."""
from __future__ import annotations

import numpy as np

from .monitor import StateMonitor, _window
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["StateHistogramMonitor"]


class StateHistogramMonitor(StateMonitor):
    """Per-neuron histogram of ``varname`` sampled every ``period``.

    ``range`` is (min, max) of the ``nbins`` equal bins (in SI units).
    ``hist[i]`` (also ``M[i]``) is the fraction of neuron i's samples in
    each bin (samples outside the range count in no bin), ``bins`` the bin
    centres, ``bin_edges`` the edges; ``mean``, ``var`` (over the samples,
    not unbiased, as in Brian 1) and ``std`` per neuron."""

    def __init__(self, group, varname, range, period=1e-3, nbins=20):
        owner = _window(group)[0]
        if isinstance(period, Quantity) and \
                get_dimensions(period) != second.dim:
            raise DimensionMismatchError("period must be a time",
                                         get_dimensions(period))
        dt = float(owner.clock.dt)
        timestep = max(int(round(float(period) / dt)), 1)
        super().__init__(group, varname, clock=owner.clock, record=True,
                         timestep=timestep)
        lo, hi = float(range[0]), float(range[1])
        if not hi > lo or int(nbins) != nbins or nbins < 1:
            raise ValueError(f"StateHistogramMonitor needs min < max and "
                             f"nbins >= 1, got range={range!r}, "
                             f"nbins={nbins!r}")
        self.nbins = int(nbins)
        self.bin_edges = np.linspace(lo, hi, self.nbins + 1)

    def _samples_count(self):
        values = self._samples()          # (samples, neurons)
        if len(values) == 0:
            raise ValueError("StateHistogramMonitor: nothing recorded yet")
        return values, len(values)

    @property
    def hist(self) -> np.ndarray:
        values, n = self._samples_count()
        bins = np.digitize(values, self.bin_edges)    # 1..nbins inside
        neurons = np.broadcast_to(np.arange(values.shape[1]), values.shape)
        counts = np.zeros((values.shape[1], self.nbins + 2))
        np.add.at(counts, (neurons.ravel(), bins.ravel()), 1)
        return counts[:, 1:-1] / n

    @property
    def bins(self) -> np.ndarray:
        return (self.bin_edges[:-1] + self.bin_edges[1:]) / 2

    def __getitem__(self, i) -> np.ndarray:
        return self.hist[i, :]

    @property
    def mean(self) -> np.ndarray:
        values, _ = self._samples_count()
        return values.mean(axis=0)

    @property
    def var(self) -> np.ndarray:
        values, _ = self._samples_count()
        return values.var(axis=0)

    @property
    def std(self) -> np.ndarray:
        return np.sqrt(self.var)
