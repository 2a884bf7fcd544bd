"""Spike-train metrics computed from spikes recorded in C (Brian 1's
VanRossumMetric, CoincidenceCounter and CoincidenceMatrixCounter).

Brian 1 computed these online, in Python, at every step; brianc records
the spikes with a SpikeMonitor and computes the same quantities from them
when they are read, so that the simulation loop stays in C.
"""
from __future__ import annotations

import numpy as np

from . import _core
from .monitor import _SpikeRecorder
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["VanRossumMetric", "CoincidenceCounter",
           "CoincidenceMatrixCounter"]


def _seconds(x, what: str) -> float:
    if isinstance(x, Quantity) and get_dimensions(x) != second.dim:
        raise DimensionMismatchError(f"{what} must be a time",
                                     get_dimensions(x))
    return float(x)


class _StepSpikes(_SpikeRecorder):
    """Records a group's spikes as steps counted from the monitor's
    creation (Brian 1's monitors start recording when they are made)."""

    def __init__(self, source, delay=0):
        super().__init__(source, record=True, delay=delay)
        self.N = len(source)
        self._start = self._clock_step()

    def _clock_step(self) -> int:
        return int(self._owner.clock._c.step)

    def _recorded_steps(self) -> int:
        """Steps simulated since the monitor was made (all steps if the
        clock was reset since)."""
        now = self._clock_step()
        return now - self._start if now >= self._start else now

    def _spikes(self):
        """(neuron indices, steps relative to the start), in step order."""
        now = self._clock_step()
        start = self._start if now >= self._start else 0
        return (self._c.indices().astype(np.int32),
                self._c.steps().astype(np.int64) - start)

    def reinit(self) -> None:
        super().reinit()
        self._start = self._clock_step()


class VanRossumMetric(_StepSpikes):
    """van Rossum distances between the spike trains of a group (van Rossum
    2001), as Brian 1 defined them: each train filtered by an exponential
    kernel of time constant ``tau`` (a jump of 1 per spike), sampled at
    every step of the group's clock, and
    ``distance[i, j] = dt / tau * sum over steps of (x_i - x_j)**2``.

    The sum is exact: it comes from the recorded spikes in closed form (a
    geometric series per pair of spikes), with no trace stored.
    """

    def __init__(self, source, tau=2e-3):
        super().__init__(source)
        self.tau = tau
        self._tau = _seconds(tau, "VanRossumMetric tau")
        if not self._tau > 0:
            raise ValueError(f"VanRossumMetric: tau must be positive, got "
                             f"{tau!r}")
        self.dt = self._dt
        self.nbr_neurons = self.N

    def get_distance(self) -> np.ndarray:
        """The (N, N) symmetric distance matrix."""
        neurons, steps = self._spikes()
        q = np.exp(-self._dt / self._tau)
        gram = _core.van_rossum_gram(self.N, neurons, steps,
                                     self._recorded_steps(), q)
        norms = np.diag(gram)
        distance = (norms[:, None] + norms[None, :] - 2 * gram) * (
            self._dt / self._tau)
        np.maximum(distance, 0.0, out=distance)   # rounding below zero
        np.fill_diagonal(distance, 0.0)
        return distance

    distance = property(get_distance)

    def __repr__(self) -> str:
        return f"<VanRossumMetric of {self.N} neurons, tau={self.tau!r}>"


class CoincidenceCounter(_StepSpikes):
    """Coincidences between each neuron's spikes and a target train (Brian
    1's CoincidenceCounter, used to fit models to recorded spikes).

    Parameters
    ----------
    source : NeuronGroup
    data : 1-D array of target spike times (s); several trains one after
        the other, each starting with a spike long before the run and
        ending with one long after it (as in Brian 1).
    spiketimes_offset : index in ``data`` of each neuron's train (default
        0 for all).
    spikedelays : delay (s) added to each neuron's spikes (default 0).
    coincidence_count_algorithm : 'exclusive' (a target spike matches at
        most one model spike) or 'inclusive'.
    onset : spikes before it are not counted (s, default 0).
    delta : half-width of the coincidence window (s, default 4 ms).

    ``coincidences``, ``model_length`` and ``target_length`` hold, per
    neuron, the coincidence count, the number of model spikes and the
    number of target spikes passed by the model spikes.
    """

    def __init__(self, source, data, spiketimes_offset=None, spikedelays=None,
                 coincidence_count_algorithm='exclusive', onset=None,
                 delta=4e-3):
        super().__init__(source)
        if coincidence_count_algorithm not in ('exclusive', 'inclusive'):
            raise ValueError(f"coincidence_count_algorithm must be "
                             f"'exclusive' or 'inclusive', got "
                             f"{coincidence_count_algorithm!r}")
        self.coincidence_count_algorithm = coincidence_count_algorithm
        self.data = np.asarray(data, dtype=np.float64).ravel()
        self.spiketimes_offset = np.zeros(self.N, dtype=np.int64) if \
            spiketimes_offset is None else np.asarray(spiketimes_offset,
                                                      dtype=np.int64)
        self.spikedelays = np.zeros(self.N) if spikedelays is None else \
            np.asarray(spikedelays, dtype=np.float64)
        for name, arr in (("spiketimes_offset", self.spiketimes_offset),
                          ("spikedelays", self.spikedelays)):
            if arr.shape != (self.N,):
                raise ValueError(f"CoincidenceCounter: {name} needs one "
                                 f"entry per neuron ({self.N}), got shape "
                                 f"{arr.shape}")
        if len(self.data) < 2 or self.spiketimes_offset.min() < 0 or \
                self.spiketimes_offset.max() + 1 >= len(self.data):
            raise ValueError("CoincidenceCounter: each neuron's target train "
                             "must hold at least two spikes of data")
        self.onset = 0.0 if onset is None else _seconds(onset, "onset")
        self.delta = int(np.rint(_seconds(delta, "delta") / self._dt))

    def _count(self):
        dt = self._dt
        neurons, steps = self._spikes()
        t = (steps + self._start) * dt
        target = np.rint(self.data / dt).astype(np.int64)
        model_length = np.zeros(self.N, dtype=int)
        target_length = np.zeros(self.N, dtype=int)
        coincidences = np.zeros(self.N, dtype=int)
        exclusive = self.coincidence_count_algorithm == 'exclusive'
        order = np.argsort(neurons, kind="stable")
        bounds = np.searchsorted(neurons[order], np.arange(self.N + 1))
        for i in range(self.N):
            rows = order[bounds[i]:bounds[i + 1]]
            if len(rows) == 0:
                continue
            times = t[rows]
            counted = times >= self.onset
            T = np.rint((times + self.spikedelays[i]) / dt).astype(np.int64)
            model_length[i] = int(counted.sum())
            k = int(self.spiketimes_offset[i])
            last_ok = next_ok = True
            n_target = hits = 0
            for Ti, count in zip(T.tolist(), counted.tolist()):
                while Ti > target[k + 1]:
                    n_target += 1
                    k += 1
                    if k + 1 >= len(target):
                        raise ValueError(
                            f"CoincidenceCounter: neuron {i}'s target train "
                            f"ends before its spike at step {Ti}; end each "
                            f"train with a spike after the run")
                    if exclusive:
                        last_ok, next_ok = next_ok, True
                near_last = target[k] + self.delta >= Ti
                near_next = target[k + 1] - self.delta <= Ti
                if count and ((near_last and last_ok) or
                              (near_next and next_ok)):
                    hits += 1
                if exclusive:
                    both = near_last and last_ok and near_next and next_ok
                    last_ok = last_ok and not near_last
                    next_ok = (next_ok and not near_next) or both
            target_length[i] = n_target
            coincidences[i] = hits
        return coincidences, model_length, target_length

    @property
    def coincidences(self) -> np.ndarray:
        return self._count()[0]

    @property
    def model_length(self) -> np.ndarray:
        return self._count()[1]

    @property
    def target_length(self) -> np.ndarray:
        return self._count()[2]


class CoincidenceMatrixCounter(_StepSpikes):
    """Coincidences between every pair of neurons of a group: for each
    spike of i, each neuron j whose latest spike is within ``delta`` steps
    before it (or at the same step) counts one coincidence for (i, j)
    (Brian 1's CoincidenceMatrixCounter).  ``coincidences`` is the
    symmetric matrix, ``model_length`` the spike counts."""

    def __init__(self, source, onset=None, delta=4e-3):
        super().__init__(source)
        self.onset = 0.0 if onset is None else _seconds(onset, "onset")
        self.delta = int(np.rint(_seconds(delta, "delta") / self._dt))

    @property
    def model_length(self) -> np.ndarray:
        neurons, steps = self._spikes()
        keep = (steps + self._start) * self._dt >= self.onset
        return np.bincount(neurons[keep], minlength=self.N)

    @property
    def coincidences(self) -> np.ndarray:
        neurons, steps = self._spikes()
        n = len(steps)
        # Spikes (k, m) with steps[k] - delta <= steps[m] <= steps[k]:
        # m runs over a contiguous range of the step-ordered spikes.
        lo = np.searchsorted(steps, steps - self.delta, side="left")
        hi = np.searchsorted(steps, steps, side="right")
        length = hi - lo
        k = np.repeat(np.arange(n), length)
        m = lo[k] + np.arange(length.sum()) - np.repeat(
            np.cumsum(length) - length, length)
        keep = (steps[k] + self._start) * self._dt >= self.onset
        k, m = k[keep], m[keep]
        j = neurons[m].astype(np.int64)
        # One count per (spike, neuron) whatever the number of its spikes.
        pairs = np.unique(k.astype(np.int64) * self.N + j)
        i = neurons[pairs // self.N]
        j = (pairs % self.N).astype(np.int64)
        upper = i <= j
        flat = np.concatenate([i[upper] * self.N + j[upper],
                               j[upper] * self.N + i[upper]])
        M = np.bincount(flat, minlength=self.N * self.N).reshape(
            self.N, self.N).astype(float)
        M -= np.diag(M.diagonal() / 2)
        return M
