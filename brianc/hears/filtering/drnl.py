"""DRNL: the dual resonance nonlinear filterbank (Lopez-Poveda & Meddis,
JASA 2001), a linear and a compressive nonlinear pathway summed."""
from __future__ import annotations

import numpy as np

from .filterbank import CombinedFilterbank, FunctionFilterbank
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


class DRNL(CombinedFilterbank):
    """Dual resonance nonlinear filterbank (Brian 1 API).

    ``DRNL(source, cf, type='human', param={})``: the input (pascals) is
    scaled to stapes velocity; the linear path is a gammatone (order 3),
    a gain g and four first-order low-pass filters; the nonlinear path a
    gammatone, the broken-stick compression
    sign(x) min(a|x|, b|x|**c), a second gammatone and three low-pass
    filters.  ``param`` overrides entries such as 'a_p0' or 'c_m'.
    """

    def __init__(self, source, cf, type="human", param=None):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        cf = np.atleast_1d(np.asarray(cf, dtype=np.float64))
        p = _parameters(type, param)

        def fit(name):
            return 10 ** (p[name + "_p0"] + p[name + "_m"] * np.log10(cf))

        source = source * p["stape_scale"]
        # linear path
        linear = ApproximateGammatone(source, fit("cf_lin"), fit("bw_lin"),
                                      order=p["order_linear"])
        g = fit("g")
        linear = FunctionFilterbank(linear, lambda x: g * x)
        linear = Cascade(linear, LowPass(linear, fit("lp_lin_cutoff")), 4)
        # nonlinear path
        cf_nl, bw_nl = fit("cf_nl"), fit("bw_nl")
        a, b, c = fit("a"), fit("b"), fit("c")
        nonlinear = ApproximateGammatone(source, cf_nl, bw_nl,
                                         order=p["order_nonlinear"])
        nonlinear = FunctionFilterbank(
            nonlinear, lambda x: np.sign(x) * np.minimum(a * np.abs(x),
                                                         b * np.abs(x) ** c))
        nonlinear = ApproximateGammatone(nonlinear, cf_nl, bw_nl,
                                         order=p["order_nonlinear"])
        nonlinear = Cascade(nonlinear,
                            LowPass(nonlinear, fit("lp_nl_cutoff")), 3)
        self.set_output(linear + nonlinear)
