"""DRNL: the dual resonance nonlinear filterbank (Lopez-Poveda & Meddis,
JASA 2001), a linear and a compressive nonlinear pathway summed, fused
in C (drnl.h)."""
from __future__ import annotations

import numpy as np

from ... import _core
from .filterbank import CombinedFilterbank, Filterbank
from .filterbanklibrary import ApproximateGammatone, Cascade, LowPass

__all__ = ["DRNL"]

# Each parameter p is 10**(p0 + m*log10(cf)); the pairs (p0, m) fitted
# for human listeners and for the guinea pig.
_FITS = {
    "human": {
        "cf_lin": (-0.067, 1.016), "bw_lin": (0.037, 0.785),
        "cf_nl": (-0.052, 1.016), "bw_nl": (-0.031, 0.774),
        "a": (1.402, 0.819), "b": (1.619, -0.818), "c": (-0.602, 0.0),
        "g": (4.2, 0.48), "lp_lin_cutoff": (-0.067, 1.016),
        "lp_nl_cutoff": (-0.052, 1.016)},
    "guinea pig": {
        "cf_lin": (0.339, 0.339), "bw_lin": (1.3, 0.53),
        "cf_nl": (0.0, 1.0), "bw_nl": (0.8, 0.58),
        "a": (1.87, 0.45), "b": (-5.65, 0.875), "c": (-1.0, 0.0),
        "g": (5.68, -0.97), "lp_lin_cutoff": (0.339, 0.339),
        "lp_nl_cutoff": (0.0, 1.0)},
}


def _parameters(kind: str, param) -> dict:
    if kind not in _FITS:
        raise ValueError(f"DRNL: type must be 'human' or 'guinea pig', got "
                         f"{kind!r}")
    params = {"stape_scale": 0.00014, "order_linear": 3,
              "order_nonlinear": 3}
    for name, (p0, m) in _FITS[kind].items():
        params[name + "_p0"] = p0
        params[name + "_m"] = m
    if param:
        if not isinstance(param, dict):
            raise TypeError("DRNL: param must be a dict")
        for key, value in param.items():
            if key not in params:
                raise KeyError(f"DRNL: {key!r} is not a DRNL parameter")
            params[key] = value
    return params


class _FusedDRNL(Filterbank):
    """Both DRNL paths over one buffer in C (_core.drnl_apply): the
    filterbanks given hold the coefficients and the state of each stage
    (they are never fetched themselves)."""

    def __init__(self, source, scale, stages, gain, a, b, c):
        Filterbank.__init__(self, source)
        self.nchannels = stages[0].nchannels
        self._scale = float(scale)
        self._stages = stages

        def per_channel(value):
            return np.ascontiguousarray(np.broadcast_to(
                np.asarray(value, dtype=np.float64), (self.nchannels,)))
        self._gain, self._a, self._b, self._c = (
            per_channel(v) for v in (gain, a, b, c))

    def buffer_init(self) -> None:
        Filterbank.buffer_init(self)
        for stage in self._stages:
            stage.filt_state[:] = 0
        # the stages are the model's own and fixed: their arrays, checked
        # and normalised once per run rather than once per buffer
        self._banks = tuple(stage._coefficients() + (stage.filt_state,)
                            for stage in self._stages)

    def buffer_apply(self, input):
        # a mono input (width 1) is shared by every channel in C
        return _core.drnl_apply(self._scale, self._banks, self._gain,
                                self._a, self._b, self._c, input)


class DRNL(CombinedFilterbank):
    """Dual resonance nonlinear filterbank (Brian 1 API).

    ``DRNL(source, cf, type='human', param={})``: the input (pascals) is
    scaled to stapes velocity; the linear path is a gammatone (order 3),
    a gain g and four first-order low-pass filters; the nonlinear path a
    gammatone, the broken-stick compression
    sign(x) min(a|x|, b|x|**c), a second gammatone and three low-pass
    filters.  ``param`` overrides entries such as 'a_p0' or 'c_m'.  The
    two paths run fused in C, one buffer at a time.
    """

    def __init__(self, source, cf, type="human", param=None):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        cf = np.atleast_1d(np.asarray(cf, dtype=np.float64))
        p = _parameters(type, param)

        def fit(name):
            return 10 ** (p[name + "_p0"] + p[name + "_m"] * np.log10(cf))

        # the stages' filterbanks (coefficients and state only)
        gt_linear = ApproximateGammatone(source, fit("cf_lin"),
                                         fit("bw_lin"),
                                         order=p["order_linear"])
        lp_linear = Cascade(gt_linear, LowPass(gt_linear,
                                               fit("lp_lin_cutoff")), 4)
        cf_nl, bw_nl = fit("cf_nl"), fit("bw_nl")
        gt_nl = ApproximateGammatone(source, cf_nl, bw_nl,
                                     order=p["order_nonlinear"])
        gt_nl2 = ApproximateGammatone(gt_nl, cf_nl, bw_nl,
                                      order=p["order_nonlinear"])
        lp_nl = Cascade(gt_nl2, LowPass(gt_nl2, fit("lp_nl_cutoff")), 3)
        self.set_output(_FusedDRNL(
            source, p["stape_scale"],
            (gt_linear, lp_linear, gt_nl, gt_nl2, lp_nl),
            fit("g"), fit("a"), fit("b"), fit("c")))
