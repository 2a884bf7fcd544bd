"""Spike-train statistics (Brian 1's brian.tools.statistics).

A spike train is an ascending sequence of times in seconds (a list, an
array or a Quantity array).  Results carry no units, as in Brian 1: rates
in Hz, correlation functions in Hz or Hz**2.  The loops over spikes run in
C (brianc._core); everything else is NumPy.

As in Brian 1, ``firing_rate``, ``CV``, ``correlogram`` (and the functions
built on it) and ``total_correlation`` return ``NaN`` for empty trains;
brianc also warns (RuntimeWarning) so that the NaN is never silent.  Other
bad input (unsorted trains, non-positive widths or bins, a duration too
short for the window) raises ValueError.
"""
from __future__ import annotations

import warnings
from operator import itemgetter

import numpy as np

from .. import _core
from ..magic import user_stacklevel
from ..units import DimensionMismatchError, Quantity, get_dimensions, \
    second

__all__ = ['firing_rate', 'CV', 'correlogram', 'autocorrelogram', 'CCF',
           'ACF', 'CCVF', 'ACVF', 'group_correlations', 'sort_spikes',
           'total_correlation', 'vector_strength', 'gamma_factor',
           'get_gamma_factor_matrix', 'get_gamma_factor',
           'spike_triggered_average']

_MS = 1e-3


def _seconds(x, what: str) -> float:
    """A duration as float seconds; Quantities must be times."""
    if isinstance(x, Quantity) or hasattr(x, "dim"):
        if get_dimensions(x) != second.dim:
            raise DimensionMismatchError(f"{what} must be a time",
                                         get_dimensions(x))
    value = float(x)
    if not np.isfinite(value):
        raise ValueError(f"{what} must be finite, got {x!r}")
    return value


def _positive(x, what: str) -> float:
    value = _seconds(x, what)
    if value <= 0:
        raise ValueError(f"{what} must be positive, got {x!r}")
    return value


def _check_sorted(n_down: int, what: str) -> None:
    if n_down:
        raise ValueError(f"{what} must be sorted in ascending time "
                         f"({n_down} decreasing intervals)")


def _train(spikes, what: str = "spike train",
           check_order: bool = True) -> np.ndarray:
    """The train as a 1-D float64 array of seconds, checked ascending."""
    t = np.asarray(spikes, dtype=np.float64)
    if t.ndim != 1:
        raise ValueError(f"{what} must be a 1-D sequence of spike times, "
                         f"got shape {t.shape}")
    if check_order and t.size > 1:
        _check_sorted(_core.isi_deviation(t, 0.0)[1], what)
    return t


def _nan_for_empty(function: str, *trains) -> bool:
    """Brian 1 answers NaN for empty trains: warn that it did."""
    if any(len(t) == 0 for t in trains):
        warnings.warn(f"{function}: empty spike train, the result is NaN",
                      RuntimeWarning, stacklevel=user_stacklevel())
        return True
    return False


# ---------------------------------------------------------------------------
# First-order statistics

def firing_rate(spikes):
    """Rate of a spike train in Hz: ``(n - 1) / (t[-1] - t[0])``.  NaN
    (with a RuntimeWarning) for fewer than two spikes."""
    t = _train(spikes)
    if len(t) < 2:
        warnings.warn("firing_rate: fewer than two spikes, the rate is NaN",
                      RuntimeWarning, stacklevel=user_stacklevel())
        return np.nan
    span = t[-1] - t[0]
    if span <= 0:
        raise ValueError("firing_rate: all spikes at the same time, the "
                         "rate is undefined")
    return (len(t) - 1) / span


def CV(spikes):
    """Coefficient of variation of the interspike intervals
    (population standard deviation over mean).  NaN (with a
    RuntimeWarning) for fewer than two spikes."""
    t = _train(spikes, check_order=False)  # checked in the same pass
    if len(t) < 2:
        warnings.warn("CV: fewer than two spikes, the CV is NaN",
                      RuntimeWarning, stacklevel=user_stacklevel())
        return np.nan
    n_isi = len(t) - 1
    mean = (t[-1] - t[0]) / n_isi   # the intervals telescope
    sum_sq, n_down = _core.isi_deviation(t, mean)
    _check_sorted(n_down, "CV: spike train")
    if mean <= 0:
        raise ValueError("CV: all spikes at the same time, the mean "
                         "interval is zero")
    return np.sqrt(sum_sq / n_isi) / mean


# ---------------------------------------------------------------------------
# Second-order statistics

def _pair_setup(function, T1, T2, width, T):
    t1 = _train(T1, f"{function}: first spike train")
    t2 = _train(T2, f"{function}: second spike train")
    if _nan_for_empty(function, t1, t2):
        return None
    width = _positive(width, f"{function}: width")
    if T is None:
        T = max(t1[-1], t2[-1]) - min(t1[0], t2[0])
    else:
        T = _seconds(T, f"{function}: T")
    return t1, t2, width, T


def correlogram(T1, T2, width=20 * _MS, bin=1 * _MS, T=None):
    """Cross-correlogram of T2 relative to T1 in Hz: coincidences per
    second at lags in [-width, width], in ``2 * ceil(width / bin)`` bins
    of ``bin``, each divided by the overlap duration at its lag.  ``T`` is
    the recording duration (default: from the first to the last spike of
    both trains)."""
    setup = _pair_setup("correlogram", T1, T2, width, T)
    if setup is None:
        return np.nan
    t1, t2, width, T = setup
    bin = _positive(bin, "correlogram: bin")
    n = int(np.ceil(width / bin))
    edges = np.arange(2 * n + 1) * bin - n * bin
    counts = _core.correlogram_counts(t1, t2, width, edges)
    # Overlap of two recordings of duration T shifted by each bin's lag.
    overlap = np.empty(2 * n)
    overlap[:n] = T - bin * np.arange(n - 1, -1, -1)
    overlap[n:] = T - bin * np.arange(n)
    if overlap.min() <= 0:
        raise ValueError(f"correlogram: duration T={T!r} s is too short "
                         f"for lags up to {n * bin!r} s")
    return counts / overlap


def autocorrelogram(T0, width=20 * _MS, bin=1 * _MS, T=None):
    """The correlogram of a train with itself (Hz)."""
    return correlogram(T0, T0, width, bin, T)


def CCF(T1, T2, width=20 * _MS, bin=1 * _MS, T=None):
    """Cross-correlation function <T1(t) T2(t+s)> in Hz**2."""
    return correlogram(T1, T2, width, bin, T) / _positive(bin, "CCF: bin")


def ACF(T0, width=20 * _MS, bin=1 * _MS, T=None):
    """Autocorrelation function <T0(t) T0(t+s)> in Hz**2."""
    return CCF(T0, T0, width, bin, T)


def CCVF(T1, T2, width=20 * _MS, bin=1 * _MS, T=None):
    """Cross-covariance function <T1(t) T2(t+s)> - <T1><T2> in Hz**2."""
    return CCF(T1, T2, width, bin, T) - firing_rate(T1) * firing_rate(T2)


def ACVF(T0, width=20 * _MS, bin=1 * _MS, T=None):
    """Autocovariance function <T0(t) T0(t+s)> - <T0>**2 in Hz**2."""
    return CCVF(T0, T0, width, bin, T)


def total_correlation(T1, T2, width=20 * _MS, T=None):
    """Total correlation coefficient: the integral of CCVF(T1, T2) over
    lags in [-width, width], divided by the rate of T1."""
    setup = _pair_setup("total_correlation", T1, T2, width, T)
    if setup is None:
        return np.nan
    t1, t2, width, T = setup
    if T <= width:
        raise ValueError(f"total_correlation: duration T={T!r} s must "
                         f"exceed the width {width!r} s")
    x = _core.windowed_pair_sum(t1, t2, width, T)
    return float(x / firing_rate(t1)) - float(firing_rate(t2) * 2 * width)


def spike_triggered_average(spikes, stimulus, max_interval, dt, onset=None,
                            display=False):
    """Spike-triggered average of a sampled stimulus.

    Parameters
    ----------
    spikes : spike times (s)
    stimulus : the stimulus sampled every ``dt``
    max_interval : length of the averaging window (s)
    dt : sampling period of the stimulus (s)
    onset : spikes at or before it are left out (default and minimum:
        ``max_interval``, so that every window lies inside the stimulus)

    Returns
    -------
    (sta, time_axis) : ``sta[k]`` is the mean stimulus ``k`` samples
        before the spikes' samples; ``time_axis`` spans [0, max_interval].
        The average is over the spikes used (Brian 1 divided by the total
        number of spikes minus one).
    """
    stimulus = np.asarray(stimulus, dtype=np.float64).ravel()
    max_interval = _positive(max_interval, "spike_triggered_average: "
                                           "max_interval")
    dt = _positive(dt, "spike_triggered_average: dt")
    onset = max_interval if onset is None else max(
        _seconds(onset, "spike_triggered_average: onset"), max_interval)
    t = np.asarray(spikes, dtype=np.float64).ravel()
    length = int(max_interval / dt)
    if length < 1:
        raise ValueError("spike_triggered_average: max_interval is shorter "
                         "than one sample")
    used = t[t > onset]
    if len(used) == 0:
        raise ValueError("spike_triggered_average: no spike after the "
                         f"onset {onset!r} s")
    sample = (used / dt).astype(np.int64)
    if sample.max() > len(stimulus):
        raise ValueError(f"spike_triggered_average: a spike at "
                         f"{used.max()!r} s is after the stimulus ends "
                         f"({len(stimulus) * dt!r} s)")
    if display:
        print(f"spike_triggered_average: {len(used)} of {len(t)} spikes")
    before = sample[:, None] - 1 - np.arange(length)[None, :]
    sta = stimulus[before].mean(axis=0)
    return sta, np.linspace(0.0, max_interval, length)


def sort_spikes(spikes):
    """The (i, t) list sorted by time (stable)."""
    return sorted(spikes, key=itemgetter(1))


def _pairs_within(t: np.ndarray, i: np.ndarray, delta: float):
    """For each spike k and each later spike m (in list order) up to and
    including the next spike of the same neuron, with t[m] <= t[k] +
    delta: the index arrays (k, m)."""
    n = len(t)
    # The next spike of the same neuron, in list order (n if none).
    order = np.lexsort((np.arange(n), i))
    nxt_sorted = np.full(n, n)
    same = i[order][1:] == i[order][:-1]
    nxt_sorted[:-1][same] = order[1:][same]
    nxt = np.empty(n, dtype=np.int64)
    nxt[order] = nxt_sorted
    window_end = np.searchsorted(t, t + delta, side="right")
    stop = np.minimum(window_end, nxt + 1)
    start = np.arange(n) + 1
    length = np.maximum(stop - start, 0)
    k = np.repeat(np.arange(n), length)
    offsets = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length,
                                                  length)
    return k, start[k] + offsets


def group_correlations(spikes, delta=None):
    """Pairwise correlation strength ``S`` and timescale ``tauc`` of a pool
    of trains given as a time-sorted (i, t) list: a spike of j counts as
    a target of neuron i when it falls within ``delta`` (default 10 ms)
    after i's most recent spike; ``S[i, j]`` is the number of targets per
    spike of i minus the chance level ``rate_j * delta``, ``tauc[i, j]``
    their mean delay."""
    if len(spikes) == 0:
        raise ValueError("group_correlations: no spikes")
    a = np.asarray([(float(i), float(t)) for i, t in spikes])
    i = a[:, 0].astype(np.int64)
    t = a[:, 1]
    if np.any(np.diff(t) < 0):
        raise ValueError("group_correlations: spikes must be sorted by time "
                         "(use sort_spikes)")
    delta = 10 * _MS if delta is None else _positive(
        delta, "group_correlations: delta")
    N = int(i.max()) + 1
    T = t.max()
    if T <= 0:
        raise ValueError("group_correlations: the last spike must be after "
                         "t = 0 to give rates")
    k, m = _pairs_within(t, i, delta)
    flat = i[k] * N + i[m]
    S = np.bincount(flat, minlength=N * N).reshape(N, N).astype(float)
    tau_sum = np.bincount(flat, weights=t[m] - t[k],
                          minlength=N * N).reshape(N, N)
    with np.errstate(invalid="ignore", divide="ignore"):
        tauc = tau_sum / S
        counts = np.bincount(i, minlength=N).astype(float)
        S = S / counts[:, None]
    S = S - (counts / T)[None, :] * delta
    S[np.isnan(S)] = 0.0
    tauc[np.isnan(tauc)] = 0.0
    return S, tauc


# ---------------------------------------------------------------------------
# Phase locking and precision

def vector_strength(spikes, period):
    """|mean(exp(2 pi i t / period))| over the spikes (1 for perfect
    phase locking)."""
    t = np.asarray(spikes, dtype=np.float64).ravel()
    if len(t) == 0:
        raise ValueError("vector_strength: empty spike train")
    period = _positive(period, "vector_strength: period")
    phase = 2 * np.pi * np.mod(t, period) / period
    return float(np.hypot(np.cos(phase).mean(), np.sin(phase).mean()))


def get_gamma_factor(coincidence_count, model_length, target_length,
                     target_rates, delta):
    """Normalise a coincidence count into the gamma factor (Jolivet et al.
    2008)."""
    delta = float(delta)
    expected = 2 * delta * target_length * target_rates
    norm = .5 * (1 - 2 * delta * target_rates)
    return (coincidence_count - expected) / (norm * (target_length +
                                                     model_length))


def get_gamma_factor_matrix(coincidence_matrix, model_length, target_length,
                            target_rates, delta):
    """The gamma factor of every (model, target) pair of a coincidence
    matrix, symmetrised from its upper triangle."""
    model_length = np.asarray(model_length, dtype=float)
    target_length = np.asarray(target_length, dtype=float)
    target_rates = np.asarray(target_rates, dtype=float)
    coincidence_matrix = np.asarray(coincidence_matrix, dtype=float)
    shape = (len(model_length), len(target_length))
    if coincidence_matrix.shape != shape:
        raise ValueError(f"get_gamma_factor_matrix: the coincidence matrix "
                         f"has shape {coincidence_matrix.shape}, expected "
                         f"{shape}")
    gamma = get_gamma_factor(coincidence_matrix, model_length[:, None],
                             target_length[None, :], target_rates[None, :],
                             delta)
    return np.triu(gamma, 0) + np.triu(gamma, 1).T


def gamma_factor(source, target, delta, normalize=True, dt=None):
    """Gamma precision factor between a model train ``source`` and a data
    train ``target`` with precision ``delta`` (Jolivet et al. 2008): the
    number of target spikes within ``delta`` of their nearest source spike,
    normalised unless ``normalize`` is False.  With ``dt``, times are first
    rounded to steps of ``dt``.  0 if either train is empty."""
    delta_s = _positive(delta, "gamma_factor: delta")
    source = np.asarray(source, dtype=np.float64).ravel()
    target = np.asarray(target, dtype=np.float64).ravel()
    if len(source) == 0 or len(target) == 0:
        return 0
    if normalize and len(target) < 2:
        raise ValueError("gamma_factor: the target train needs at least two "
                         "spikes to estimate its rate")
    target_rate = firing_rate(np.sort(target)) if normalize else 0.0
    if dt is None:
        window = delta_s
    else:
        dt = _positive(dt, "gamma_factor: dt")
        source = np.rint(source / dt).astype(np.int64)
        target = np.rint(target / dt).astype(np.int64)
        window = int(np.rint(delta_s / dt))
    source = np.sort(source)
    if len(source) > 1:
        nearest = np.digitize(target, .5 * (source[1:] + source[:-1]))
    else:
        nearest = np.zeros(len(target), dtype=np.int64)
    coincidences = int(np.sum(np.abs(target - source[nearest]) <= window))
    if not normalize:
        return coincidences
    return get_gamma_factor(coincidences, len(source), len(target),
                            target_rate, delta_s)
