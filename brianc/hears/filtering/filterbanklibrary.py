"""Standard linear filterbanks: gammatones, gammachirps, Butterworth and
other IIR designs, first-order low-pass, cascades, asymmetric
compensation (Brian 1's Brian Hears library)."""
from __future__ import annotations

import numpy as np

from ...units import DimensionMismatchError, Quantity, get_dimensions
from ...stdunits import Hz
from .firfilterbank import FIRFilterbank
from .linearfilterbank import LinearFilterbank

__all__ = ["Cascade", "Gammatone", "ApproximateGammatone", "LogGammachirp",
           "LinearGammachirp", "LinearGaborchirp", "IIRFilterbank",
           "Butterworth", "BiQuadratic", "LowPass", "AsymmetricCompensation",
           "asymmetric_compensation_coeffs"]


def _scipy_signal(what: str):
    try:
        from scipy import signal
    except ImportError:
        raise ImportError(f"{what} designs its filters with SciPy: pip "
                          f"install 'brianc[hears]' (or scipy)") from None
    return signal


def _hz(value, what: str) -> np.ndarray:
    """Frequencies as a float array in Hz (a Quantity must be in Hz)."""
    if isinstance(value, Quantity) and get_dimensions(value) != Hz.dim:
        raise DimensionMismatchError(f"{what} must be in Hz",
                                     get_dimensions(value))
    return np.atleast_1d(np.asarray(value, dtype=np.float64))


def _per_channel(value, n: int) -> np.ndarray:
    v = np.atleast_1d(np.asarray(value, dtype=np.float64))
    return np.repeat(v, n) if v.size == 1 else v


def _response_at(b, a, w) -> np.ndarray:
    """|H(e^{jw})| of each channel's cascade: b, a of shape (n, m, p),
    w of shape (n,) in radians per sample."""
    m = b.shape[1]
    z = np.exp(-1j * np.outer(w, np.arange(m)))[:, :, None]
    return np.abs(np.prod(np.sum(b * z, axis=1) / np.sum(a * z, axis=1),
                          axis=1))


class Gammatone(LinearFilterbank):
    """Gammatone filterbank, Slaney's (1993) implementation as a cascade
    of four second-order sections per channel, unit gain at the centre
    frequency.

    The bandwidth is ``b`` times the equivalent rectangular bandwidth
    ``((cf/ear_Q)**erb_order + min_bw**erb_order)**(1/erb_order)``
    (Glasberg & Moore's ERB for the defaults).  ``cascade`` merges the
    sections into that many higher-order filters (see ``decascade``).
    """

    def __init__(self, source, cf, b=1.019, erb_order=1, ear_Q=9.26449,
                 min_bw=24.7, cascade=None):
        cf = _hz(cf, "Gammatone cf")
        self.cf = cf
        self.samplerate = source.samplerate
        self.b, self.erb_order, self.EarQ, self.min_bw = \
            b, erb_order, ear_Q, min_bw
        T = 1.0 / float(self.samplerate)
        erb = ((cf / ear_Q) ** erb_order + min_bw ** erb_order) ** \
            (1.0 / erb_order)
        B = 2 * np.pi * b * erb
        n = len(cf)
        theta = 2 * np.pi * cf * T
        decay = np.exp(-B * T)
        # the four sections share their poles; their zeros differ
        a = np.zeros((n, 3, 4))
        a[:, 0, :] = 1.0
        a[:, 1, :] = (-2 * np.cos(theta) * decay)[:, None]
        a[:, 2, :] = (decay ** 2)[:, None]
        bb = np.zeros((n, 3, 4))
        bb[:, 0, :] = T
        for k, (s1, s2) in enumerate(((1, 1), (-1, 1), (1, -1), (-1, -1))):
            root = np.sqrt(3 + s2 * 2 ** 1.5)
            bb[:, 1, k] = -T * decay * (np.cos(theta) +
                                        s1 * root * np.sin(theta))
        gain = _response_at(bb, a, theta)
        bb[:, :, 0] /= gain[:, None]
        LinearFilterbank.__init__(self, source, bb, a)
        if cascade is not None:
            self.decascade(cascade)


class ApproximateGammatone(LinearFilterbank):
    """A cascade of ``order`` identical resonators, each with unit gain
    at ``cf`` and bandwidth parameter ``bandwidth`` (Hz): Hohmann's
    all-pole approximation of the gammatone."""

    def __init__(self, source, cf, bandwidth, order=4):
        cf = _hz(cf, "ApproximateGammatone cf")
        bandwidth = _per_channel(_hz(bandwidth, "bandwidth"), len(cf))
        self.cf = cf
        self.samplerate = source.samplerate
        dt = 1.0 / float(self.samplerate)
        phi = 2 * np.pi * bandwidth * dt
        theta = 2 * np.pi * cf * dt
        alpha = -np.exp(-phi) * np.cos(theta)
        n = len(cf)
        a = np.zeros((n, 3, order))
        a[:, 0, :] = 1.0
        a[:, 1, :] = (2 * alpha)[:, None]
        a[:, 2, :] = np.exp(-2 * phi)[:, None]
        b = np.zeros((n, 3, order))
        b[:, 0, :] = 1.0
        b[:, 1, :] = alpha[:, None]
        # scale each resonator to unit gain at cf
        gain = _response_at(b[:, :, :1], a[:, :, :1], theta)
        b[:, :2, :] /= gain[:, None, None]
        self.order = order
        LinearFilterbank.__init__(self, source, b, a)


def asymmetric_compensation_coeffs(samplerate, fr, filt_b, filt_a, b, c, p0,
                                   p1, p2, p3, p4, ncascades=None):
    """Fill filt_b and filt_a (n, 3, ncascades) with the sections of the
    asymmetric compensation filter of Unoki et al. (2001) at centre
    frequencies fr; returns (filt_b, filt_a)."""
    fs = float(samplerate)
    fr = np.asarray(fr, dtype=np.float64)
    erbw = 24.7 * (4.37e-3 * fr + 1.0)
    ncascades = filt_b.shape[2] if ncascades is None else ncascades
    z = np.exp(1j * 2 * np.pi * fr / fs)
    powers = np.stack((np.ones_like(z), z, z ** 2), axis=1)
    for k in range(ncascades):
        r = np.exp(-p1 * (p0 / p4) ** k * 2 * np.pi * b * erbw / fs)
        shift = (p0 * p4) ** k * p2 * c * b * erbw
        phi = 2 * np.pi * np.maximum(fr + shift, 0) / fs
        psi = 2 * np.pi * np.maximum(fr - shift, 0) / fs
        poles = np.stack((np.ones_like(r), -2 * r * np.cos(phi), r ** 2),
                         axis=1)
        zeros = np.stack((np.ones_like(r), -2 * r * np.cos(psi), r ** 2),
                         axis=1)
        # unit gain at fr
        norm = np.abs(np.sum(powers * poles, axis=1) /
                      np.sum(powers * zeros, axis=1))
        filt_b[:, :, k] = zeros * norm[:, None]
        filt_a[:, :, k] = poles
    return filt_b, filt_a


def _compensation_parameters(b, c) -> tuple:
    c = np.abs(c)
    p0 = 2
    p1 = 1.7818 * (1 - 0.0791 * b) * (1 - 0.1655 * c)
    p2 = 0.5689 * (1 - 0.1620 * b) * (1 - 0.0857 * c)
    p3 = 0.2523 * (1 - 0.0244 * b) * (1 + 0.0574 * c)
    p4 = 1.0724
    return p0, p1, p2, p3, p4


class AsymmetricCompensation(LinearFilterbank):
    """Asymmetric compensation filters (Unoki et al. 2001): after a
    gammatone they approximate a gammachirp with chirp ``c``."""

    def __init__(self, source, f, b=1.019, c=1, ncascades=4):
        f = _hz(f, "AsymmetricCompensation f")
        self.f = f
        self.samplerate = source.samplerate
        fb = np.zeros((len(f), 3, ncascades))
        fa = np.zeros((len(f), 3, ncascades))
        c_arr = np.asarray(c, dtype=np.float64)
        b_arr = np.asarray(b, dtype=np.float64)
        asymmetric_compensation_coeffs(
            self.samplerate, f, fb, fa, b_arr, c_arr,
            *_compensation_parameters(b_arr, c_arr))
        LinearFilterbank.__init__(self, source, fb, fa)


class LogGammachirp(LinearFilterbank):
    """Logarithmic gammachirp (Irino & Patterson): a Gammatone cascaded
    with asymmetric compensation filters, in one bank."""

    def __init__(self, source, f, b=1.019, c=1, ncascades=4):
        f = _hz(f, "LogGammachirp f")
        self.f = f
        self.samplerate = source.samplerate
        self.c, self.b = c, b
        gammatone = Gammatone(source, f, b)
        self.gammatone_filt_b = gammatone.filt_b
        self.gammatone_filt_a = gammatone.filt_a
        fb = np.zeros((len(f), 3, ncascades))
        fa = np.zeros((len(f), 3, ncascades))
        c_arr = np.asarray(c, dtype=np.float64)
        b_arr = np.asarray(b, dtype=np.float64)
        asymmetric_compensation_coeffs(
            self.samplerate, f, fb, fa, b_arr, c_arr,
            *_compensation_parameters(b_arr, c_arr))
        self.asymmetric_filt_b, self.asymmetric_filt_a = fb, fa
        LinearFilterbank.__init__(
            self, source, np.concatenate((gammatone.filt_b, fb), axis=2),
            np.concatenate((gammatone.filt_a, fa), axis=2))


def _chirp_arguments(f, time_constant, c, phase):
    f = _hz(f, "chirp f")
    n = len(f)
    return (f, _per_channel(time_constant, n), _per_channel(c, n),
            _per_channel(phase, n))


class LinearGammachirp(FIRFilterbank):
    """Linear gammachirp FIR filters: impulse response
    t**3 exp(-t/time_constant) cos(2 pi (f t + c t**2 / 2) + phase),
    normalised to a unit sum of absolute values."""

    def __init__(self, source, f, time_constant, c, phase=0):
        f, tau, c, phase = _chirp_arguments(f, time_constant, c, phase)
        self.f, self.c, self.phase, self.time_constant = f, c, phase, tau
        self.samplerate = source.samplerate
        t_start = -3 * np.max(tau)
        t = np.arange(t_start, -4 * t_start, 1.0 / float(self.samplerate))
        ir = np.zeros((len(f), len(t)))
        for i in range(len(f)):
            u = t - t_start
            envelope = u ** 3 * np.exp(-u / tau[i])
            ir[i] = envelope * np.cos(2 * np.pi * (f[i] * t + c[i] / 2 *
                                                   t ** 2) + phase[i])
            ir[i] /= np.sum(np.abs(ir[i]))
        self.impulse_response = ir
        FIRFilterbank.__init__(self, source, ir)


class LinearGaborchirp(FIRFilterbank):
    """Linear Gabor chirp FIR filters: a Gaussian envelope
    exp(-(t / (2 time_constant))**2) times a linear chirp, unit
    energy."""

    def __init__(self, source, f, time_constant, c, phase=0):
        f, tau, c, phase = _chirp_arguments(f, time_constant, c, phase)
        self.f, self.c, self.phase, self.time_constant = f, c, phase, tau
        self.samplerate = source.samplerate
        t_start = -6 * np.max(tau)
        t = np.arange(t_start, -t_start, 1.0 / float(self.samplerate))
        ir = np.zeros((len(f), len(t)))
        for i in range(len(f)):
            envelope = np.exp(-(t / (2 * tau[i])) ** 2)
            ir[i] = envelope * np.cos(2 * np.pi * (f[i] * t + c[i] / 2 *
                                                   t ** 2) + phase[i])
            ir[i] /= np.sqrt(np.sum(ir[i] ** 2))
        self.impulse_response = ir
        FIRFilterbank.__init__(self, source, ir)


def _stack_designs(designs) -> tuple:
    """Per-channel (b, a) pairs padded to one (n, m) pair of arrays."""
    m = max(max(len(b), len(a)) for b, a in designs)
    B = np.zeros((len(designs), m))
    A = np.zeros((len(designs), m))
    for i, (b, a) in enumerate(designs):
        B[i, :len(b)] = b
        A[i, :len(a)] = a
    return B, A


class IIRFilterbank(LinearFilterbank):
    """IIR filters designed by ``scipy.signal.iirdesign`` from passband
    and stopband edges (Hz), the maximum passband loss ``gpass`` and the
    minimum stopband attenuation ``gstop`` (dB); ``btype`` 'low', 'high',
    'bandpass' or 'bandstop'; ``ftype`` 'ellip', 'butter', 'cheby1',
    'cheby2' or 'bessel'.  One edge (pair) for all channels or one per
    channel (band edges of shape (2, nchannels))."""

    def __init__(self, source, nchannels, passband, stopband, gpass, gstop,
                 btype, ftype):
        signal = _scipy_signal("IIRFilterbank")
        self.samplerate = source.samplerate
        nyquist = float(self.samplerate) / 2
        wp = _hz(passband, "IIRFilterbank passband") / nyquist
        ws = _hz(stopband, "IIRFilterbank stopband") / nyquist
        if wp.shape != ws.shape:
            raise ValueError("IIRFilterbank: passband and stopband need the "
                             "same shape")
        gpass = _per_channel(gpass, nchannels)
        gstop = _per_channel(gstop, nchannels)
        band = btype not in ("low", "high", "lowpass", "highpass")
        shared = wp.size == (2 if band else 1)
        designs = []
        for i in range(nchannels):
            if shared:
                p, s = (wp, ws) if band else (wp[0], ws[0])
            else:
                p, s = (wp[:, i], ws[:, i]) if band else (wp[i], ws[i])
            designs.append(signal.iirdesign(p, s, gpass[i], gstop[i],
                                            ftype=ftype))
        b, a = _stack_designs(designs)
        self.passband, self.stopband = passband, stopband
        self.gpass, self.gstop, self.ftype = gpass, gstop, ftype
        self.order = a.shape[1] - 1
        LinearFilterbank.__init__(self, source, b[:, :, None],
                                  a[:, :, None])


class Butterworth(LinearFilterbank):
    """Butterworth filters of ``order`` (scipy.signal.butter); ``fc`` in
    Hz: one value (or pair for 'bandpass'/'bandstop') for all channels or
    one per channel (pairs of shape (2, nchannels))."""

    def __init__(self, source, nchannels, order, fc, btype="low"):
        signal = _scipy_signal("Butterworth")
        self.samplerate = source.samplerate
        wn = _hz(fc, "Butterworth fc") / (float(self.samplerate) / 2)
        band = btype not in ("low", "high", "lowpass", "highpass")
        shared = wn.size == (2 if band else 1)
        designs = []
        for i in range(nchannels):
            if shared:
                w = wn if band else wn[0]
            else:
                w = wn[:, i] if band else wn[i]
            designs.append(signal.butter(order, w, btype=btype))
        b, a = _stack_designs(designs)
        LinearFilterbank.__init__(self, source, b[:, :, None],
                                  a[:, :, None])


class BiQuadratic(LinearFilterbank):
    """Second-order band-pass filters at ``cf`` with quality factor Q
    (the audio-EQ-cookbook constant-peak band-pass)."""

    def __init__(self, source, cf, Q):
        cf = _hz(cf, "BiQuadratic cf")
        Q = _per_channel(Q, len(cf))
        self.samplerate = source.samplerate
        w0 = 2 * np.pi * cf / float(self.samplerate)
        alpha = np.sin(w0) / (2 * Q)
        n = len(cf)
        b = np.zeros((n, 3, 1))
        a = np.zeros((n, 3, 1))
        b[:, 0, 0], b[:, 2, 0] = alpha, -alpha
        a[:, 0, 0], a[:, 1, 0], a[:, 2, 0] = 1 + alpha, -2 * np.cos(w0), \
            1 - alpha
        LinearFilterbank.__init__(self, source, b / (1 + alpha)[:, None,
                                                                None],
                                  a / (1 + alpha)[:, None, None])


class LowPass(LinearFilterbank):
    """First-order low-pass filters with cut-off ``fc`` (one value for
    every source channel, or one per channel): Euler's discretisation of
    tau dy/dt = x - y, tau = 1/(2 pi fc)."""

    def __init__(self, source, fc):
        fc = _hz(fc, "LowPass fc")
        if fc.size == 1:
            fc = np.repeat(fc, source.nchannels)
        n = len(fc)
        self.samplerate = source.samplerate
        dt = 1.0 / float(self.samplerate)
        tau = 1 / (2 * np.pi * fc)
        b = np.zeros((n, 2, 1))
        a = np.zeros((n, 2, 1))
        b[:, 0, 0] = dt / tau
        a[:, 0, 0] = 1.0
        a[:, 1, 0] = -(1 - dt / tau)
        LinearFilterbank.__init__(self, source, b, a)


class Cascade(LinearFilterbank):
    """``n`` copies in series of the (first) filter of a linear
    filterbank."""

    def __init__(self, source, filterbank, n):
        b, a = filterbank.filt_b, filterbank.filt_a
        self.samplerate = source.samplerate
        LinearFilterbank.__init__(self, source,
                                  np.repeat(b[:, :, :1], n, axis=2),
                                  np.repeat(a[:, :, :1], n, axis=2))
