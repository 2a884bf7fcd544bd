"""Active Electrode Compensation, offline (Brette et al. 2008, Neuron
59(3):379-91): the full kernel of the electrode and the membrane from a
white-noise injection, its split into electrode and membrane kernels, and
the compensation of a recording.  Kernels are in the units of v / i."""
from __future__ import annotations

import numpy as np

__all__ = ['full_kernel', 'full_kernel_from_step', 'electrode_kernel_soma',
           'electrode_kernel_dendrite', 'solve_convolution',
           'electrode_kernel', 'AEC_compensate']


def _traces(v, i):
    v = np.asarray(v, dtype=float).ravel()
    i = np.asarray(i, dtype=float).ravel()
    if len(v) != len(i):
        raise ValueError(f"the recording has {len(v)} samples and the "
                         f"current {len(i)}; they must be equal")
    return v, i


def full_kernel(v, i, ksize, full_output=False):
    """The kernel K (``ksize`` samples) such that v = v0 + K * i, from a
    recording ``v`` of the response to the injected current ``i`` (white
    noise), by solving the Wiener-Hopf equations.  ``full_output`` also
    returns the resting potential v0."""
    v, i = _traces(v, i)
    ksize = int(ksize)
    if not 0 < ksize < len(v):
        raise ValueError(f"full_kernel: ksize must be in [1, {len(v)}), got "
                         f"{ksize}")
    from scipy.linalg import solve_toeplitz
    n = len(v)
    vref = v.mean()
    dv = v - vref
    # <v(n) i(n-k)> and <i(n) i(n-k)> for lags k < ksize.
    vi = np.array([np.dot(dv[k:], i[:n - k]) / (n - k)
                   for k in range(ksize)])
    ii = np.array([np.dot(i[k:], i[:n - k]) / (n - k)
                   for k in range(ksize)])
    vi -= i.mean() ** 2
    K = solve_toeplitz(ii, vi)
    if full_output:
        return K, vref - i.mean() * K.sum()
    return K


def full_kernel_from_step(V, I):
    """The full kernel from the response ``V`` to a current step of
    amplitude ``I``."""
    return np.diff(np.asarray(V, dtype=float)) / float(I)


def solve_convolution(K, Km):
    """Ke solving Ke = K - Km * Ke / Re (discrete convolution, Re = sum(K)
    - sum(Km)): a lower-triangular Toeplitz system."""
    from scipy.linalg import solve_triangular, toeplitz
    K = np.asarray(K, dtype=float)
    Km = np.asarray(Km, dtype=float)
    Re = K.sum() - Km.sum()
    if Re == 0:
        raise ValueError("solve_convolution: the full and membrane kernels "
                         "have the same sum, so the electrode has no "
                         "resistance")
    A = toeplitz(Km / Re, np.zeros(len(Km)))
    A[np.diag_indices(len(Km))] += 1.0
    return solve_triangular(A, K, lower=True)


def _fit_tail(K, start_tail, dendritic):
    """The membrane kernel fitted to K's tail (samples from start_tail):
    a exp(-b^2 (t+1)), or a (t+1)^-1/2 exp(-b^2 (t+1)) for a dendrite."""
    from scipy.optimize import leastsq
    t = np.arange(len(K)) + 1.0
    tail = np.arange(start_tail, len(K))
    if len(tail) < 2:
        raise ValueError(f"the kernel has {len(K)} samples, too few for a "
                         f"tail starting at {start_tail}")
    shape = (lambda x: x ** -.5) if dendritic else (lambda x: 1.0)

    def residual(p):
        return p[0] * shape(t[tail]) * np.exp(-p[1] ** 2 * t[tail]) - K[tail]
    p, _ = leastsq(residual, np.array([1., .03 if dendritic else .3]))
    return p[0] * shape(t) * np.exp(-p[1] ** 2 * t)


def _remove_membrane(K, Km, start_tail, full_output):
    """Ke from K once the tail is replaced by the membrane kernel: the
    scale z of Km in [0.5, 1] that leaves the least tail in Ke."""
    from scipy.optimize import fminbound
    K = np.array(K, dtype=float)
    tail = slice(start_tail, None)
    K[tail] = Km[tail]
    z = fminbound(lambda x: np.sum(solve_convolution(K, x * Km)[tail] ** 2),
                  .5, 1.)
    Ke = solve_convolution(K, z * Km)
    if full_output:
        return Ke[:start_tail], z * Km
    return Ke[:start_tail]


def electrode_kernel_soma(Karg, start_tail, full_output=False):
    """The electrode kernel (the first ``start_tail`` samples) from a full
    kernel recorded at the soma: the membrane kernel, an exponential
    fitted to the samples from ``start_tail`` on, is removed.
    ``full_output`` also returns the membrane kernel."""
    K = np.asarray(Karg, dtype=float)
    return _remove_membrane(K, _fit_tail(K, start_tail, False), start_tail,
                            full_output)


def electrode_kernel_dendrite(Karg, start_tail, full_output=False):
    """As electrode_kernel_soma, for a recording in a dendrite (membrane
    kernel ~ t^-1/2 exp(-t/tau))."""
    K = np.asarray(Karg, dtype=float)
    return _remove_membrane(K, _fit_tail(K, start_tail, True), start_tail,
                            full_output)


def electrode_kernel(Karg, start_tail, full_output=False):
    """As electrode_kernel_soma or electrode_kernel_dendrite, whichever
    membrane kernel fits the tail better."""
    K = np.asarray(Karg, dtype=float)
    tail = slice(start_tail, None)
    soma = _fit_tail(K, start_tail, False)
    dendrite = _fit_tail(K, start_tail, True)
    better = soma if np.sum((soma[tail] - K[tail]) ** 2) < \
        np.sum((dendrite[tail] - K[tail]) ** 2) else dendrite
    return _remove_membrane(K, better, start_tail, full_output)


def AEC_compensate(v, i, ke):
    """The recording ``v`` minus the electrode's response to the injected
    current ``i`` (the convolution with the electrode kernel ``ke``)."""
    v, i = _traces(v, i)
    ke = np.asarray(ke, dtype=float).ravel()
    if len(ke) == 0:
        raise ValueError("AEC_compensate: empty electrode kernel")
    return v - np.convolve(ke, i)[:len(v)]
