"""Tan & Carney's (2003) auditory nerve model: the middle ear filter and
the nonlinear cochlear filterbank with a frequency glide (a signal path
whose band-pass poles move with the output of a control path, which
also controls its own bandwidth), followed by the inner hair cell."""
from __future__ import annotations

import warnings

import numpy as np

from ... import _core
from .filterbank import (CombinedFilterbank, Filterbank, FunctionFilterbank,
                         RestructureFilterbank)
from .filterbanklibrary import _scipy_signal
from .linearfilterbank import LinearFilterbank

__all__ = ["TanCarney", "MiddleEar"]

TWO_PI = 2 * np.pi


class MiddleEar(LinearFilterbank):
    """The middle ear of Tan & Carney (2003): the bilinear transform of an
    analog filter with a double zero at -200 rad/s and pole pairs at
    2 pi (-250 +/- 400j) and 2 pi (-2000 +/- 6000j), unit gain at 1 kHz
    (analog),
    times ``gain`` (one value, or one per channel: a mono source is then
    repeated)."""

    def __init__(self, source, gain=1, **kwds):
        signal = _scipy_signal("MiddleEar")
        gain = np.atleast_1d(np.asarray(gain, dtype=np.float64))
        if len(gain) != 1 and len(gain) != source.nchannels:
            if source.nchannels != 1:
                raise ValueError(f"MiddleEar: {len(gain)} gains for a source "
                                 f"of {source.nchannels} channels (only mono "
                                 f"sources are repeated)")
            source = RestructureFilterbank(source, len(gain))
        # the model's double zero is at -200 rad/s; its poles are in Hz
        zeros = np.array([-200.0, -200.0])
        poles = 2 * np.pi * np.array([-250 + 400j, -250 - 400j,
                                      -2000 + 6000j, -2000 - 6000j])
        b, a = signal.zpk2tf(zeros, poles, 1.0)
        b = b / np.abs(signal.freqs(b, a, [2 * np.pi * 1000.0])[1][0])
        bd, ad = signal.bilinear(b, a, float(source.samplerate))
        n = source.nchannels
        gains = np.broadcast_to(gain, (n,))
        LinearFilterbank.__init__(self, source,
                                  np.outer(gains, bd)[:, :, None],
                                  np.tile(ad, (n, 1))[:, :, None])


def _parameters(cf, param) -> dict:
    """The model's CF-dependent constants (Tan & Carney 2003), with the
    entries of ``param`` overriding them."""
    log_cf = np.log10(cf)
    params = {"fc_LP_control": 800.0, "fc_LP_fb": 500.0,
              "fp1": 1.0854 * cf - 106.0034,
              "ta": 10 ** (log_cf * 1.0230 + 0.1607),
              "tb": 10 ** (log_cf * 1.4292 - 1.1550) - 1000,
              "gain80": 10 ** (log_cf * 0.5732 + 1.5220),
              "rgain": 10 ** (log_cf * 0.4 + 1.9),
              "average_control": 0.3357,
              "zero_r": -10 ** (log_cf * 1.5 - 0.9)}
    if param:
        if not isinstance(param, dict):
            raise TypeError("TanCarney: param must be a dict")
        for key, value in param.items():
            if key != "nlgain" and key not in params:
                raise KeyError(f"TanCarney: {key!r} is not a parameter of "
                               f"the model")
            params[key] = value
    params["nlgain"] = (params["gain80"] - params["rgain"]) / \
        params["average_control"]
    return params


def _channel_constants(cf, samplerate, params) -> np.ndarray:
    """The rows of _core.tan_carney_apply's params (tan_carney.h): the
    channels' constants of both paths and of the hair cell's low-pass."""
    fs2 = 2.0 * float(samplerate)
    n = len(cf)
    table = np.empty((n, 18))

    def column(k, value):
        table[:, k] = np.broadcast_to(np.asarray(value, dtype=np.float64),
                                      (n,))

    # control path: three pole pairs at cf + f_shift, wbw = cf/4 at rest
    x_cf = 11.9 * np.log10(0.8 + cf / 456)
    f_shift = (10 ** ((x_cf + 1.2) / 11.9) - 0.8) * 456 - cf
    column(0, cf)
    column(1, f_shift)
    column(2, -TWO_PI * cf / 4.0)
    column(3, TWO_PI * (cf + f_shift))
    # signal path: ten pole pairs around fp1, gain 1 at cf at rest
    for k, name in ((4, "rgain"), (5, "ta"), (6, "tb"), (7, "fp1"),
                    (8, "zero_r")):
        column(k, params[name])
    column(9, _signal_gain(cf, *(table[:, k] for k in range(4, 9))))
    column(10, params["nlgain"])

    def lowpass(fc):
        w = TWO_PI * np.asarray(fc, dtype=np.float64)
        return 1.0 / (fs2 + w), -(fs2 - w) / (fs2 + w)

    # control low-pass (three sections, the third with a gain) and the
    # feedback low-pass (one section with a gain), both bilinear
    fc_control, fc_fb = params["fc_LP_control"], params["fc_LP_fb"]
    b, a1 = lowpass(fc_control)
    column(11, b)
    column(12, b * ((TWO_PI * fc_control) ** 3 * 1.5))
    column(13, a1)
    b, a1 = lowpass(fc_fb)
    column(14, b * (fc_fb * TWO_PI * 10))
    column(15, a1)
    # hair cell: seven sections at 3.8 kHz
    w = TWO_PI * 3800.0
    column(16, w / (w + fs2))
    column(17, -(fs2 - w) / (fs2 + w))
    return table


def _signal_gain(cf, rgain, ta, tb, fp1, zero_r) -> np.ndarray:
    """The signal path's gain for unit gain at cf at rest: its 20 poles
    against its 10 zeros."""
    p0 = -rgain
    p4 = p0 - ta
    q0 = TWO_PI * fp1
    q4 = q0 - tb
    preal = np.stack([p0, p0, 0.5 * (p0 + p4), 0.5 * (p0 + p4), p4, p4, p0,
                      p0, p4, p4], axis=1)
    pimg = np.stack([q0, -q0, 0.5 * (q0 + q4), -0.5 * (q0 + q4), q4, -q4,
                     q0, -q0, q4, -q4], axis=1)
    preal, pimg = np.tile(preal, 2), np.tile(pimg, 2)
    cfm = cf[:, None]
    return np.sqrt(np.prod((TWO_PI * cfm - pimg) ** 2 + preal ** 2,
                           axis=1)) / \
        np.sqrt((TWO_PI * cf) ** 2 + zero_r ** 2) ** 10


# the control path's sigmoid (Tan & Carney 2003): asymmetry 7, s0 = 8,
# x1 = 5, s1 = 3
_SHIFT = 1.0 / (1.0 + 7.0)
_X0 = 8.0 * np.log((1.0 / _SHIFT - 1) / (1 + np.exp(5.0 / 3.0)))


class _TanCarneyCore(Filterbank):
    """Both paths of the model (and, with ``with_ihc``, the hair cell) in
    C, one buffer at a time (_core.tan_carney_apply): the signal path's
    poles and the control path's own are retuned every
    ``update_interval`` samples, counted from the start of each segment
    fetched, from the control path's last output."""

    def __init__(self, source, cf, update_interval, param, with_ihc):
        Filterbank.__init__(self, source)
        cf = np.atleast_1d(np.asarray(cf, dtype=np.float64))
        if source.nchannels != len(cf) and source.nchannels != 1:
            raise ValueError(f"TanCarney: {len(cf)} characteristic "
                             f"frequencies for a source of "
                             f"{source.nchannels} channels (only mono "
                             f"sources are repeated)")
        interval = int(update_interval)
        if interval < 1:
            raise ValueError(f"TanCarney: update_interval must be at least "
                             f"1 sample, got {update_interval}")
        self.nchannels = len(cf)
        self.update_interval = interval
        self._params = np.ascontiguousarray(_channel_constants(
            cf, source.samplerate, _parameters(cf, param)))
        self._state = np.zeros((len(cf), 45))
        self._with_ihc = bool(with_ihc)

    def buffer_init(self) -> None:
        Filterbank.buffer_init(self)
        self._state[:] = 0

    def buffer_apply(self, input):
        return _core.tan_carney_apply(
            self._params, self._state, 2.0 * float(self.samplerate), _X0,
            _SHIFT, self._with_ihc, self.update_interval, input)


def _ihc_saturation(x, A0=0.1, B=2000.0, C=1.74, D=6.87e-9):
    """The inner hair cell's asymmetric logarithmic compression."""
    y = np.empty_like(x)
    pos = x >= 0
    y[pos] = A0 * np.log(x[pos] * B + 1.0)
    neg = ~pos
    d = (-x[neg]) ** C
    y[neg] = -A0 * (d + D) / (3 * d + D) * np.log(np.abs(x[neg]) * B + 1.0)
    return y


class TanCarneySignal(CombinedFilterbank):
    """The cochlear part of Tan & Carney's model, without the inner hair
    cell: the signal path's band-pass, retuned every ``update_interval``
    samples by the control path (whose own band-pass widens with its
    output through a feedback low-pass); computed in C."""

    def __init__(self, source, cf, update_interval=1, param=None):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        if int(source.samplerate) != 50000:
            warnings.warn("TanCarney: the model expects a samplerate of "
                          "50 kHz", stacklevel=2)
        self.set_output(_TanCarneyCore(source, cf, update_interval, param,
                                       with_ihc=False))


class TanCarneyIHC(CombinedFilterbank):
    """The model's inner hair cell: an asymmetric logarithmic saturation
    and seven first-order low-pass sections at 3.8 kHz."""

    def __init__(self, source, cf):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        n = source.nchannels
        fs2 = 2.0 * float(source.samplerate)
        w = TWO_PI * 3800.0
        b = np.zeros((n, 2, 7))
        a = np.zeros((n, 2, 7))
        b[:, :, :] = w / (w + fs2)
        a[:, 0, :] = 1.0
        a[:, 1, :] = -(fs2 - w) / (fs2 + w)
        saturated = FunctionFilterbank(source, _ihc_saturation)
        self.set_output(LinearFilterbank(saturated, b, a))


class TanCarney(CombinedFilterbank):
    """Tan & Carney's (2003) nonlinear cochlear filterbank with a
    frequency glide, followed by the inner hair cell (Brian 1 API).

    ``TanCarney(source, cf, update_interval=1, param=None)``: the signal
    path's 10 pole pairs and the control path's own band-pass are
    recomputed every ``update_interval`` samples from the control path's
    output; ``param`` overrides the model's constants ('fp1', 'ta', 'tb',
    'rgain', 'gain80', ...).  The model was fitted at 50 kHz.  Both paths
    and the hair cell run in C, sample by sample.
    """

    def __init__(self, source, cf, update_interval=1, param=None):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        if int(source.samplerate) != 50000:
            warnings.warn("TanCarney: the model expects a samplerate of "
                          "50 kHz", stacklevel=2)
        self.set_output(_TanCarneyCore(source, cf, update_interval, param,
                                       with_ihc=True))
