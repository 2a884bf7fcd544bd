"""Analysis of membrane potential traces: spike detection, onsets, peaks,
shapes and thresholds (Brian 1's trace_analysis).  A trace is a 1-D array
sampled at a fixed step; indices are sample numbers."""
from __future__ import annotations

import numpy as np

__all__ = ['find_spike_criterion', 'spike_peaks', 'spike_onsets',
           'find_onset_criterion', 'slope_threshold', 'vm_threshold',
           'spike_shape', 'spike_duration', 'reset_potential', 'spike_mask',
           'lowpass', 'spike_onsets_dv2', 'spike_onsets_dv3']


def _trace(v) -> np.ndarray:
    v = np.asarray(v, dtype=float).ravel()
    if len(v) < 3:
        raise ValueError(f"a trace needs at least 3 samples, got {len(v)}")
    return v


def lowpass(x, tau, dt=1.):
    """x filtered by a first-order low-pass of time constant tau."""
    from scipy.signal import lfilter
    a = np.exp(-float(dt) / float(tau))
    return lfilter([1. - a], [1., -a], np.asarray(x, dtype=float))


def _next_minimum(dv, start, stop):
    """Samples from start to the next local minimum before stop."""
    return int(((dv[start:stop - 1] <= 0) & (dv[start + 1:stop] > 0))
               .argmax())


def _bounds(events, n):
    """(start, stop) of each event's interval up to the next event."""
    events = [int(e) for e in events]
    return zip(events, events[1:] + [n])


def spike_duration(v, onsets=None, full=False):
    """Mean samples from spike onset to the next minimum; with ``full``,
    (time to peak, spike width, total duration) means and their standard
    deviations."""
    v = _trace(v)
    if onsets is None:
        onsets = spike_onsets(v)
    if len(onsets) == 0:
        raise ValueError("spike_duration: no spikes")
    dv = np.diff(v)
    total, to_peak, width = [], [], []
    for spike, next_spike in _bounds(onsets, len(dv)):
        total.append(_next_minimum(dv, spike, next_spike))
        to_peak.append(int((dv[spike:next_spike] <= 0).argmax()))
        width.append(int((v[spike + 1:next_spike] <= v[spike]).argmax()))
    if full:
        return (np.mean(to_peak), np.mean(width), np.mean(total),
                np.std(to_peak), np.std(width), np.std(total))
    return np.mean(total)


def reset_potential(v, peaks=None, full=False):
    """Mean potential at the minimum following each spike peak (and its
    standard deviation with ``full``)."""
    v = _trace(v)
    if peaks is None:
        peaks = spike_peaks(v)
    if len(peaks) == 0:
        raise ValueError("reset_potential: no spikes")
    dv = np.diff(v)
    reset = [v[p + _next_minimum(dv, p, nxt) + 1]
             for p, nxt in _bounds(peaks, len(dv))]
    if full:
        return np.mean(reset), np.std(reset)
    return np.mean(reset)


def find_spike_criterion(v):
    """A voltage above which the trace is in a spike: the middle of the
    widest gap between the values where dv/dt changes sign (there the
    potential cannot rest)."""
    v = _trace(v)
    dv = np.diff(v)
    turning = ((dv[1:] * dv[:-1]) <= 0).nonzero()[0]
    if len(turning) < 2:
        raise ValueError("find_spike_criterion: the trace has fewer than "
                         "two turning points")
    vc = v[turning + 1]
    i = int(np.argmax(np.diff(vc)))
    return .5 * (vc[i] + vc[i + 1])


def spike_peaks(v, vc=None):
    """Indices of the spike peaks: after each upward crossing of ``vc``
    (default: find_spike_criterion), the first sample where v stops
    rising."""
    v = _trace(v)
    if vc is None:
        vc = find_spike_criterion(v)
    vc = float(vc)
    dv = np.diff(v)
    crossings = ((v[1:] > vc) & (v[:-1] < vc)).nonzero()[0]
    peaks = []
    for start, stop in zip(crossings, list(crossings[1:]) + [len(dv)]):
        falling = (dv[start:stop] <= 0).nonzero()[0]
        peaks.append(start + falling[0] if len(falling) else len(dv))
    return np.array(peaks, dtype=int)


def spike_onsets(v, criterion=None, vc=None):
    """Indices of the spike onsets: before each peak, the last sample
    where dv (per sample) is below ``criterion`` (default:
    find_onset_criterion) ahead of the spike's last inflexion point."""
    v = _trace(v)
    if vc is None:
        vc = find_spike_criterion(v)
    if criterion is None:
        criterion = find_onset_criterion(v, vc=vc)
    criterion = float(criterion)
    peaks = spike_peaks(v, vc)
    dv = np.diff(v)
    d2v = np.diff(dv)
    previous, j, onsets = 0, 0, []
    for i in peaks:
        bends = np.where(d2v[previous:i - 2] * d2v[previous + 1:i - 1]
                         < 0)[0]
        if len(bends) == 0:
            raise ValueError(f"spike_onsets: no inflexion before the peak at "
                             f"sample {i}")
        inflexion = bends[-1] + 2 + previous
        below = (dv[j:inflexion] < criterion).nonzero()[0]
        if len(below) == 0:
            raise ValueError(f"spike_onsets: dv never below the criterion "
                             f"{criterion} before the peak at sample {i}")
        j += int(below.max()) + 1
        onsets.append(j)
        previous = i
    return np.array(onsets, dtype=int)


def spike_onsets_dv2(v, vc=None):
    """Spike onsets at the last maximum of the second derivative before
    each spike's inflexion."""
    v = _trace(v)
    if vc is None:
        vc = find_spike_criterion(v)
    peaks = spike_peaks(v, vc)
    d2v = np.diff(np.diff(v))
    d3v = np.diff(d2v)
    previous, j, onsets = 0, 0, []
    for i in peaks:
        inflexion = np.where(d2v[previous:i - 1] * d2v[previous + 1:i]
                             < 0)[0][-1] + 2 + previous
        j += int(((d3v[j:inflexion - 1] > 0) &
                  (d3v[j + 1:inflexion] < 0)).nonzero()[0].max())
        onsets.append(j)
        previous = i
    return np.array(onsets, dtype=int)


def spike_onsets_dv3(v, vc=None):
    """Spike onsets at the last maximum of the third derivative before
    each peak."""
    v = _trace(v)
    if vc is None:
        vc = find_spike_criterion(v)
    peaks = spike_peaks(v, vc)
    d4v = np.diff(v, 4)
    j, onsets = 0, []
    for i in peaks:
        j += int(((d4v[j:i - 1] > 0) & (d4v[j + 1:i] < 0)).nonzero()[0]
                 .max()) + 3
        onsets.append(j)
    return np.array(onsets, dtype=int)


def find_onset_criterion(v, guess=0.0001, vc=None):
    """The dv criterion of spike_onsets that makes the onset potentials
    least variable."""
    from scipy.optimize import fmin
    v = _trace(v)
    if vc is None:
        vc = find_spike_criterion(v)
    return float(fmin(lambda x: np.std(v[spike_onsets(v, x[0], vc)]),
                      guess, disp=0)[0])


def spike_shape(v, onsets=None, before=100, after=100):
    """Mean trace around the spikes: ``before`` samples before each onset
    to ``after`` after it (pass the peaks as ``onsets`` to align on
    peaks)."""
    v = _trace(v)
    if onsets is None:
        onsets = spike_onsets(v)
    if len(onsets) == 0:
        raise ValueError("spike_shape: no spikes")
    shape = np.zeros(after + before)
    for i in onsets:
        piece = v[max(0, i - before):i + after]
        shape[len(shape) - len(piece):] += piece
    return shape / len(onsets)


def vm_threshold(v, onsets=None, T=None):
    """Mean potential over the ``T`` samples before each onset."""
    v = _trace(v)
    if onsets is None:
        onsets = spike_onsets(v)
    if T is None or int(T) < 1:
        raise ValueError(f"vm_threshold: T must be a number of samples >= 1, "
                         f"got {T!r}")
    return np.array([np.mean(v[max(0, i - T):i]) for i in onsets])


def slope_threshold(v, onsets=None, T=None):
    """Slope (per sample) of the potential over the ``T`` samples before
    each onset, by least squares through the onset value."""
    v = _trace(v)
    if onsets is None:
        onsets = spike_onsets(v)
    if T is None or int(T) < 1:
        raise ValueError(f"slope_threshold: T must be a number of samples "
                         f">= 1, got {T!r}")
    slopes = []
    for i in onsets:
        piece = v[max(0, i - T):i]
        x = np.arange(len(piece)) - len(piece) + 1
        slopes.append(np.sum((piece - v[i]) * x) / np.sum(x ** 2))
    return np.array(slopes)


def spike_mask(v, spikes=None, T=None):
    """Boolean mask of the samples inside spikes: from each start in
    ``spikes`` (default: the onsets) for ``T`` samples, or up to the next
    minimum when T is None.  ``v[~spike_mask(v)]`` is the subthreshold
    trace."""
    v = _trace(v)
    if spikes is None:
        spikes = spike_onsets(v)
    mask = np.zeros(len(v), dtype=bool)
    if T is None:
        dv = np.diff(v)
        for spike, nxt in _bounds(spikes, len(dv)):
            mask[spike:spike + _next_minimum(dv, spike, nxt) + 1] = True
    else:
        for i in spikes:
            mask[i:i + T] = True
    return mask
