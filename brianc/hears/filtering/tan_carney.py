"""Tan & Carney's (2003) auditory nerve model: the middle ear filter and
the nonlinear cochlear filterbank with a frequency glide (a signal path
whose band-pass poles move with the output of a control path, which
also controls its own bandwidth), followed by the inner hair cell."""
from __future__ import annotations

import warnings

import numpy as np

from .filterbank import (CombinedFilterbank, ControlFilterbank,
                         FunctionFilterbank, RestructureFilterbank)
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


def _bilinear_pole_pair(fs2, preal, pimg):
    """Digital (b-denominator, a) of one analog conjugate pole pair by the
    bilinear transform, fs2 = 2 * samplerate."""
    temp = (fs2 - preal) ** 2 + pimg ** 2
    a1 = -2 * (fs2 ** 2 - preal ** 2 - pimg ** 2) / temp
    a2 = ((fs2 + preal) ** 2 + pimg ** 2) / temp
    return temp, a1, a2


class _ControlPathFilter:
    """Coefficients of the control path's band-pass: three pole pairs at
    cf + f_shift whose damping grows with the feedback signal, a
    differentiator and a gain."""

    def __init__(self, cf, samplerate):
        self.cf = cf
        self.fs2 = 2.0 * float(samplerate)
        x_cf = 11.9 * np.log10(0.8 + cf / 456)
        self.f_shift = (10 ** ((x_cf + 1.2) / 11.9) - 0.8) * 456 - cf
        self.preal0 = -TWO_PI * cf / 4.0          # wbw = cf/4 at rest
        self.pimg = TWO_PI * (cf + self.f_shift)
        n = len(cf)
        self.filt_b = np.zeros((n, 3, 5), order="F")
        self.filt_a = np.zeros((n, 3, 5), order="F")

    def coefficients(self, control):
        cf, fs2 = self.cf, self.fs2
        wbw = -(self.preal0 - control) / TWO_PI
        gain = (TWO_PI ** 2 * np.sqrt(wbw ** 2 + self.f_shift ** 2) *
                np.sqrt((2 * cf + self.f_shift) ** 2 + wbw ** 2)) ** 3 / \
            np.sqrt(TWO_PI ** 2 * cf ** 2)
        temp, a1, a2 = _bilinear_pole_pair(fs2, self.preal0 - control,
                                           self.pimg)
        b, a = self.filt_b, self.filt_a
        for k in range(3):
            a[:, 0, k], a[:, 1, k], a[:, 2, k] = 1.0, a1, a2
            b[:, 0, k], b[:, 1, k], b[:, 2, k] = 1 / temp, 2 / temp, \
                1 / temp
        a[:, :, 3] = [1.0, 1.0, 0.0]
        b[:, 0, 3], b[:, 1, 3], b[:, 2, 3] = fs2, -fs2, 0.0
        a[:, 0, 4] = 1.0
        b[:, 0, 4] = gain
        return b, a


class _SignalPathFilter:
    """Coefficients of the signal path: ten pole pairs around fp1 (three
    damping and frequency offsets set by ta and tb), all damped by the
    control signal, each with a real zero at zero_r, and a gain
    normalising the response at cf."""

    def __init__(self, cf, samplerate, params):
        self.cf = cf
        self.fs2 = 2.0 * float(samplerate)
        self.rgain = params["rgain"]
        self.fp1 = params["fp1"]
        self.ta, self.tb = params["ta"], params["tb"]
        self.zero = params["zero_r"][:, None]
        n = len(cf)
        self.filt_b = np.zeros((n, 3, 11), order="F")
        self.filt_a = np.zeros((n, 3, 11), order="F")
        preal, pimg = self.poles(0.0)
        # unit gain at cf at rest: the 20 poles against the 10 zeros
        cfm = cf[:, None]
        self.gain = np.sqrt(np.prod((TWO_PI * cfm - pimg) ** 2 + preal ** 2,
                                    axis=1)) / \
            np.sqrt((TWO_PI * cf) ** 2 + params["zero_r"] ** 2) ** 10

    def poles(self, control):
        """(real, imaginary) parts of the 20 analog poles: the pattern of
        10 (pairs at fp1, fp1 - tb/2, fp1 - tb, repeated) twice."""
        p0 = -self.rgain - control
        p4 = p0 - self.ta
        p2 = 0.5 * (p0 + p4)
        q0 = TWO_PI * self.fp1
        q4 = q0 - self.tb
        q2 = 0.5 * (q0 + q4)
        real = np.stack([p0, p0, p2, p2, p4, p4, p0, p0, p4, p4], axis=1)
        imag = np.stack([q0, -q0, q2, -q2, q4, -q4, q0, -q0, q4, -q4],
                        axis=1)
        return np.tile(real, 2), np.tile(imag, 2)

    def coefficients(self, control):
        preal, pimg = self.poles(control)
        # one section per conjugate pair: poles 1, 3, ..., 19
        temp, a1, a2 = _bilinear_pole_pair(self.fs2, preal[:, 1::2],
                                           pimg[:, 1::2])
        b, a = self.filt_b, self.filt_a
        z, fs2 = self.zero, self.fs2
        a[:, 0, :10], a[:, 1, :10], a[:, 2, :10] = 1.0, a1, a2
        b[:, 0, :10] = (fs2 - z) / temp
        b[:, 1, :10] = -2 * z / temp
        b[:, 2, :10] = (-z - fs2) / temp
        a[:, 0, 10] = 1.0
        b[:, 0, 10] = self.gain / 3.0
        return b, a


class _Retune:
    """ControlFilterbank updater: new coefficients of ``target`` from the
    last sample of the control input."""

    def __init__(self, target, design):
        self.target = target
        self.design = design

    def __call__(self, control):
        b, a = self.design.coefficients(control[-1, :])
        self.target.filt_b, self.target.filt_a = b, a


def _lowpass_bank(source, n, fc, gain, order, gain_stage):
    """``order`` first-order bilinear low-pass sections at fc (Hz), the
    section ``gain_stage`` scaled by ``gain``."""
    fs2 = 2.0 * float(source.samplerate)
    w = TWO_PI * fc
    b = np.zeros((n, 2, order))
    a = np.zeros((n, 2, order))
    b[:, 0, :] = b[:, 1, :] = 1.0 / (fs2 + w)
    a[:, 0, :] = 1.0
    a[:, 1, :] = -(fs2 - w) / (fs2 + w)
    b[:, :, gain_stage] *= gain
    return LinearFilterbank(source, b, a)


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
    output through a feedback low-pass)."""

    def __init__(self, source, cf, update_interval=1, param=None):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        cf = np.atleast_1d(np.asarray(cf, dtype=np.float64))
        n = len(cf)
        params = _parameters(cf, param)
        if int(source.samplerate) != 50000:
            warnings.warn("TanCarney: the model expects a samplerate of "
                          "50 kHz", stacklevel=2)
        # control path: band-pass, two nonlinearities, low-pass, and a
        # feedback low-pass that widens its own band-pass
        control_design = _ControlPathFilter(cf, source.samplerate)
        bp_control = LinearFilterbank(source,
                                      *control_design.coefficients(0.0))
        nl1 = FunctionFilterbank(
            bp_control,
            lambda x: np.sign(x) * 2.5 * np.log(1.0 + 100.0 *
                                                np.abs(x) ** 0.6))
        asym, s0, x1, s1 = 7.0, 8.0, 5.0, 3.0
        shift = 1.0 / (1.0 + asym)
        x0 = s0 * np.log((1.0 / shift - 1) / (1 + np.exp(x1 / s1)))
        nlgain = params["nlgain"]
        nl2 = FunctionFilterbank(
            nl1, lambda x: (1.0 / (1.0 + np.exp(-(x - x0) / s0) *
                                   (1.0 + np.exp(-(x - x1) / s1))) - shift)
            * nlgain)
        fc_control = params["fc_LP_control"]
        lp_control = _lowpass_bank(nl2, n, fc_control,
                                   (TWO_PI * fc_control) ** 3 * 1.5, 3, 2)
        fc_fb = params["fc_LP_fb"]
        feedback = _lowpass_bank(lp_control, n, fc_fb, fc_fb * TWO_PI * 10,
                                 1, 0)
        control = ControlFilterbank(lp_control, feedback, bp_control,
                                    _Retune(bp_control, control_design),
                                    update_interval)
        # signal path, retuned by the control path's output
        signal_design = _SignalPathFilter(cf, source.samplerate, params)
        bp_signal = LinearFilterbank(source,
                                     *signal_design.coefficients(0.0))
        self.set_output(ControlFilterbank(bp_signal, control, bp_signal,
                                          _Retune(bp_signal, signal_design),
                                          update_interval))


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
    'rgain', 'gain80', ...).  The model was fitted at 50 kHz.
    """

    def __init__(self, source, cf, update_interval=1, param=None):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        signal = TanCarneySignal(source, cf, update_interval, param)
        self.set_output(TanCarneyIHC(signal, cf))
