"""Offline Lp electrode compensation (Rossant et al. 2012, "A
calibration-free electrode compensation method", J Neurophysiol), with
its spike detection and trace quality measures.

The model is a passive neuron (R, tau, rest Vr) behind an RC electrode
(Re, taue); its response to the injected current is computed exactly as a
linear filter, and its parameters are fitted to the raw trace by
minimising the Lp norm of the difference.
"""
from __future__ import annotations

import logging

import numpy as np

__all__ = ["ElectrodeCompensation", "Lp_compensate", "find_peak_threshold",
           "find_spikes", "confusion_matrix", "get_scores",
           "get_trace_quality"]

_log = logging.getLogger("brianc.electrophysiology")


def compute_filter(A, row=0):
    """(b, a) of the 1-D linear filter giving component ``row`` of the
    system Y(n) = A Y(n-1) + X(n), X(n) nonzero only in component 0."""
    A = np.asarray(A, dtype=float)
    d = len(A)
    a = np.poly(A)
    b = np.zeros(d + 1)
    T = np.eye(d)
    b[0] = T[row, 0]
    for k in range(1, d + 1):
        T = a[k] * np.eye(d) + A @ T
        b[k] = T[row, 0]
    return b, a


def _system(R, tau, Vr, Re, taue):
    """M and B of dY/dt = M (Y - B) for Y = (full potential V, neuron
    potential V0), the current entering through the electrode."""
    M = np.array([[-1. / taue, 1. / taue],
                  [R / (Re * tau), -(1. + R / Re) / tau]])
    return M, np.array([Vr, Vr])


class ElectrodeCompensation:
    """The state of one Lp compensation: the traces cut into slices of
    ``durslice``, the error criterion and the fitted parameters (R, tau,
    Vr, Re, taue) per slice.

    ``criterion(raw, model)`` or ``criterion(raw, model, electrode)`` may
    replace the default Lp error ``(dt * sum(|raw - model|**p))**(1/p)``.
    """

    def __init__(self, I, Vraw, dt, durslice=1.0, p=1.0, criterion=None,
                 *params):
        I = np.asarray(I, dtype=float).ravel()
        Vraw = np.asarray(Vraw, dtype=float).ravel()
        if len(I) != len(Vraw) or len(I) == 0:
            raise ValueError(f"Lp compensation: the current has {len(I)} "
                             f"samples and the trace {len(Vraw)}; they must "
                             f"be equal and nonzero")
        self.I, self.Vraw, self.p = I, Vraw, float(p)
        self.dt = self.dt_ = float(dt)
        if not self.dt > 0 or not float(durslice) > 0:
            raise ValueError("Lp compensation: dt and the slice duration "
                             "must be positive")
        self.x0 = self.params_to_vector(*params)
        self.duration = len(I) * self.dt
        self.durslice = min(float(durslice), self.duration)
        self.slicesteps = max(int(round(self.durslice / self.dt)), 1)
        self.nslices = int(np.ceil(len(I) / self.slicesteps))
        self.criterion = criterion or self.Lp_error
        try:
            self._criterion_args = criterion.__code__.co_argcount
        except AttributeError:
            self._criterion_args = 2
        self.islice = 0
        cut = [slice(self.slicesteps * k, self.slicesteps * (k + 1))
               for k in range(self.nslices)]
        self.I_list = [I[c] for c in cut]
        self.Vraw_list = [Vraw[c] for c in cut]

    @staticmethod
    def vector_to_params(*x):
        """Parameters from the optimiser's coordinates, which keep R, Re,
        taue positive and tau > taue."""
        R, taudiff, Vr, Re, taue = x
        taue = taue * taue
        return R * R, taue + taudiff * taudiff, Vr, Re * Re, taue

    @staticmethod
    def params_to_vector(*params):
        R, tau, Vr, Re, taue = (float(v) for v in params)
        if not tau > taue:
            raise ValueError(f"Lp compensation: tau ({tau}) must exceed taue "
                             f"({taue})")
        return [np.sqrt(R), np.sqrt(tau - taue), Vr, np.sqrt(Re),
                np.sqrt(taue)]

    def get_model_trace(self, row, *x):
        """Component ``row`` (0: full, 1: neuron) of the model's response
        to the current of the current slice, for coordinates x."""
        from scipy.linalg import expm
        from scipy.signal import lfilter
        R, tau, Vr, Re, taue = self.vector_to_params(*x)
        M, B = _system(R, tau, Vr, Re, taue)
        b, a = compute_filter(expm(M * self.dt), row=row)
        drive = self.I_list[self.islice] * (Re / taue) * self.dt
        return lfilter(b, a, drive) + B[row]

    def get_trace(self, islice, *params):
        """(neuron, electrode) potentials on slice ``islice`` for the
        parameters (R, tau, Vr, Re, taue)."""
        self.islice = islice
        x = self.params_to_vector(*params)
        full = self.get_model_trace(0, *x)
        neuron = self.get_model_trace(1, *x)
        return neuron, full - neuron

    def Lp_error(self, raw, model):
        return (self.dt_ * np.sum(np.abs(raw - model) ** self.p)) ** \
            (1. / self.p)

    def fitness(self, x):
        model = self.get_model_trace(0, *x)
        raw = self.Vraw_list[self.islice]
        if self._criterion_args >= 3 and self.criterion != self.Lp_error:
            electrode = model - self.get_model_trace(1, *x)
            return self.criterion(raw, model, electrode)
        return self.criterion(raw, model)

    def compensate_slice(self, x0):
        from scipy.optimize import fmin
        return fmin(self.fitness, x0, maxiter=10000, maxfun=10000, disp=0)

    def compensate(self):
        """Fits every slice, each from the initial parameters."""
        self.params_list = []
        self.xlist = []
        for self.islice in range(self.nslices):
            x = self.compensate_slice(self.x0)
            self.xlist.append(x)
            self.params_list.append(self.vector_to_params(*x))
            _log.info("slice %d/%d compensated", self.islice + 1,
                      self.nslices)
        return self.xlist

    def get_compensated_trace(self):
        """The raw trace minus the fitted electrode potential, all slices;
        also sets Vneuron and Velec."""
        comp, neuron, elec = [], [], []
        for self.islice in range(self.nslices):
            x = self.xlist[self.islice]
            full = self.get_model_trace(0, *x)
            v0 = self.get_model_trace(1, *x)
            neuron.append(v0)
            elec.append(full - v0)
            comp.append(self.Vraw_list[self.islice] - (full - v0))
        self.Vcomp = np.hstack(comp)
        self.Vneuron = np.hstack(neuron)
        self.Velec = np.hstack(elec)
        return self.Vcomp


def Lp_compensate(I, Vraw, dt, slice_duration=1.0, p=1.0, criterion=None,
                  full=False, docompensation=True, **initial_params):
    """Lp electrode compensation of the raw trace ``Vraw`` (V) recorded
    while injecting ``I`` (A), sampled every ``dt`` (s).

    Each slice of ``slice_duration`` is fitted on its own, from the
    initial parameters ``R`` (100 Mohm), ``tau`` (20 ms), ``Vr`` (-70 mV),
    ``Re`` (50 Mohm), ``taue`` (0.5 ms).  Returns (compensated trace,
    parameters: one column (R, tau, Vr, Re, taue) per slice), or with
    ``full`` a dict with Vcompensated, Vneuron, Vfull, Velectrode, params
    and instance; with ``docompensation=False`` only {'instance': ...}.
    """
    get = initial_params.get
    comp = ElectrodeCompensation(
        I, Vraw, dt, slice_duration, p, criterion, get("R", 100e6),
        get("tau", 20e-3), get("Vr", -70e-3), get("Re", 50e6),
        get("taue", .5e-3))
    if not docompensation:
        return dict(instance=comp)
    comp.compensate()
    Vcomp = comp.get_compensated_trace()
    params = np.array(comp.params_list, dtype=float).T
    if not full:
        return Vcomp, params
    return dict(Vcompensated=Vcomp, Vneuron=comp.Vneuron,
                Vfull=comp.Vneuron + comp.Velec, Velectrode=comp.Velec,
                params=params, instance=comp)


def find_peaks(v):
    """Indices of the local extrema of v."""
    dv = np.diff(v)
    return ((dv[1:] * dv[:-1]) <= 0).nonzero()[0] + 1


def find_peak_threshold(v, nbins=20, full=False):
    """A separatrix between spike peaks and subthreshold extrema: a local
    minimum of the histogram of the extrema above their median (the
    middle of the longest run of such minima)."""
    v = np.asarray(v, dtype=float).ravel()
    peaks = find_peaks(v)
    if len(peaks) == 0:
        raise ValueError("find_peak_threshold: the trace has no extremum")
    values = v[peaks]
    m = np.median(values)
    h0, b = np.histogram(values, np.linspace(m, values.max(), nbins))
    dh = np.diff(h0[:-5])
    candidates = np.nonzero((dh[:-1] <= 0) & (dh[1:] >= 0))[0] + 1
    if len(candidates) > 1:
        steps = np.diff(candidates)
        steps[steps != 1] = 0
        i1 = int(np.argmax(np.cumsum(steps))) + 1
        breaks = np.nonzero(steps[:i1 + 1] != 1)[0]
        i0 = int(breaks[0]) if len(breaks) else 0
        vc = np.mean(b[candidates[i0:i1 + 1]])
    elif len(candidates) == 1:
        vc = b[candidates[0]]
    else:
        vc = (m + values.max()) / 2
    if full:
        return dict(separatrix=vc, peak_values=values, allminima=candidates,
                    histogram=h0, bins=b, peaks=peaks)
    return vc


def find_spikes(v, vc=None, dt=0.1e-3, refractory=5e-3, check_quality=False):
    """Indices of the spike peaks of a trace: upward crossings of the
    separatrix ``vc`` (default: find_peak_threshold), the peak being the
    maximum within ``refractory`` after the crossing, peaks closer than
    ``refractory`` merged.  ``check_quality`` also returns the detection
    scores (get_scores of confusion_matrix)."""
    v = np.asarray(v, dtype=float).ravel()
    refractory = int(float(refractory) / float(dt))
    if vc is None:
        vc = find_peak_threshold(v)
    dv = np.diff(v)
    crossings = ((v[1:] > vc) & (v[:-1] < vc)).nonzero()[0]
    peaks: list = []
    for c in crossings[:-1]:
        spike = c + int(np.argmax(v[c:c + max(refractory, 1)]))
        if peaks and spike - peaks[-1] < refractory:
            continue
        peaks.append(spike)
    if len(crossings):
        falling = (dv[crossings[-1]:] <= 0).nonzero()[0]
        peaks.append(crossings[-1] + falling[0] if len(falling) else len(dv))
    spikes = np.array(peaks, dtype=int)
    if check_quality:
        return spikes, get_scores(*confusion_matrix(v, vc))
    return spikes


def confusion_matrix(v, vc, full=False):
    """Detection rates (TP, FP, FN, TN) of the separatrix vc, with the
    extrema below and above it taken as two Gaussian clusters."""
    from scipy.special import ndtr
    values = np.sort(np.asarray(v, dtype=float)[find_peaks(v)])
    low, high = values[values <= vc], values[values >= vc]
    if len(low) < 2 or len(high) < 2:
        raise ValueError("confusion_matrix: each side of the separatrix "
                         "needs at least two extrema")
    mu1, s1, mu2, s2 = low.mean(), low.std(), high.mean(), high.std()
    TP = 1 - ndtr((vc - mu2) / s2)
    FP = 1 - ndtr((vc - mu1) / s1)
    FN = ndtr((vc - mu2) / s2)
    TN = ndtr((vc - mu1) / s1)
    if full:
        return dict(TP=TP, FP=FP, FN=FN, TN=TN, mu1=mu1, s1=s1, mu2=mu2,
                    s2=s2)
    return TP, FP, FN, TN


def get_scores(TP, FP, FN, TN):
    """TPR, FPR, accuracy, Matthews correlation and F1 of a confusion
    matrix, in a dict with the four counts."""
    P, N = TP + FN, FP + TN
    P2, N2 = TP + FP, FN + TN
    return dict(TP=TP, FP=FP, FN=FN, TN=TN, TPR=TP / P, FPR=FP / N,
                ACC=(TP + TN) / (P + N),
                MCC=(TP * TN - FP * FN) / np.sqrt(P * N * P2 * N2),
                F1=2 * TP / (P + P2))


def current_before_spikes(v, I, spikes, full=False):
    """Per spike: the linear fit (slope, intercept) of v over samples 100
    to 20 before the peak, and the mean current from 20 before to 10
    after it."""
    before, onset, after = -100, -20, 10
    t = np.arange(onset - before)
    fits, currents = [], []
    for s in spikes:
        if s + before < 0 or s + after > len(v):
            continue
        currents.append(np.mean(I[s + onset:s + after]))
        fits.append(np.polyfit(t, v[s + before:s + onset], 1))
    fits, currents = np.array(fits), np.array(currents)
    if full:
        return dict(coefficients=fits, after_onsets=currents,
                    spike_before=before, spike_onset=onset,
                    spike_after=after)
    return fits, currents


def best_peak_prediction(cs, peaks):
    """The least-squares prediction of the peaks from the fits."""
    u, *_ = np.linalg.lstsq(cs, peaks, rcond=None)
    return cs @ u


def get_trace_quality(v, I, full=False):
    """Quality of a compensated trace: |correlation| between the spike
    peaks left unexplained by the pre-spike potential and the current
    during the spikes (an uncompensated electrode makes them
    correlated)."""
    v = np.asarray(v, dtype=float).ravel()
    I = np.asarray(I, dtype=float).ravel()
    spikes = find_spikes(v, find_peak_threshold(v))
    spikes = spikes[(spikes >= 100) & (spikes + 10 <= len(v))]
    if len(spikes) < 3:
        raise ValueError(f"get_trace_quality: {len(spikes)} spikes away "
                         f"from the trace's ends, at least 3 needed")
    r = current_before_spikes(v, I, spikes, True)
    cs, currents = r["coefficients"], r["after_onsets"]
    prediction = best_peak_prediction(cs, v[spikes])
    c = abs(np.corrcoef(v[spikes] - prediction, currents)[0, 1])
    if not full:
        return c
    result = dict(r)
    result.update(correlation=c, spikes=spikes, cs=cs,
                  peaks_prediction=prediction)
    return result
