"""DCGC: the dynamic compressive gammachirp filterbank (Irino & Patterson,
JASA 2006): a passive gammachirp followed by asymmetric compensation
filters whose frequency ratio follows the level measured by a control
path."""
from __future__ import annotations

import numpy as np

from ...stdunits import ms
from .filterbank import (CombinedFilterbank, ControlFilterbank,
                         RestructureFilterbank)
from .filterbanklibrary import (AsymmetricCompensation, LogGammachirp,
                                _compensation_parameters,
                                asymmetric_compensation_coeffs)

__all__ = ["DCGC"]


def _parameters(cf, param) -> dict:
    params = {"b1": 1.81, "c1": -2.96, "b2": 2.17, "c2": 2.2,
              "decay_tcst": 0.5 * ms, "lev_weight": 0.5, "level_ref": 50.0,
              "level_pwr1": 1.5, "level_pwr2": 0.5, "RMStoSPL": 30.0,
              "frat0": 0.2330, "frat1": 0.005, "lct_ERB": 1.5,
              "frat_control": 1.08, "order_gc": 4,
              "ERBrate": 21.4 * np.log10(4.37 * cf / 1000 + 1),
              "ERBwidth": 24.7 * (4.37 * cf / 1000 + 1)}
    if param:
        if not isinstance(param, dict):
            raise TypeError("DCGC: param must be a dict")
        for key, value in param.items():
            if key not in params:
                raise KeyError(f"DCGC: {key!r} is not a DCGC parameter")
            params[key] = value
    return params


class _LevelControl:
    """Moves the signal path's compensation filters to the frequency
    ratio of the level estimated from the control path's two outputs
    (peak-held with a half-life of decay_tcst)."""

    def __init__(self, target, samplerate, fp1, p):
        self.target = target
        self.samplerate = samplerate
        self.fp1 = np.atleast_1d(fp1)
        self.decay = np.exp(-np.log(2) / (float(p["decay_tcst"]) *
                                          float(samplerate)))
        self.level_min = 10 ** (-p["RMStoSPL"] / 20)
        self.level_ref = p["level_ref"]
        self.b, self.c = p["b2"], p["c2"]
        self.p = p
        self.coeffs = _compensation_parameters(self.b, self.c)
        self.reinit()

    def reinit(self) -> None:
        self.level1_prev = -100
        self.level2_prev = -100

    def __call__(self, *inputs):
        p = self.p
        level1 = np.maximum(np.maximum(inputs[0][-1, :], 0),
                            self.level1_prev * self.decay)
        level2 = np.maximum(np.maximum(inputs[1][-1, :], 0),
                            self.level2_prev * self.decay)
        self.level1_prev, self.level2_prev = level1, level2
        ref = self.level_ref
        w = p["lev_weight"]
        total = w * ref * (level1 / ref) ** p["level_pwr1"] + \
            (1 - w) * ref * (level2 / ref) ** p["level_pwr2"]
        level_db = 20 * np.log10(np.maximum(total, self.level_min)) + \
            p["RMStoSPL"]
        fr2 = self.fp1 * (p["frat0"] + p["frat1"] * level_db)
        asymmetric_compensation_coeffs(self.samplerate, fr2,
                                       self.target.filt_b,
                                       self.target.filt_a, self.b, self.c,
                                       *self.coeffs)


class DCGC(CombinedFilterbank):
    """Dynamic compressive gammachirp filterbank (Brian 1 API).

    ``DCGC(source, cf, update_interval=1, param={})``: the signal path's
    compensation filters are recomputed every ``update_interval`` samples
    from the level of a control path tuned ``lct_ERB`` ERBs higher.
    """

    def __init__(self, source, cf, update_interval=1, param=None):
        CombinedFilterbank.__init__(self, source)
        source = self.get_modified_source()
        cf = np.atleast_1d(np.asarray(cf, dtype=np.float64))
        p = _parameters(cf, param)
        n = len(cf)
        erb_step = np.mean(np.diff(p["ERBrate"])) if n > 1 else np.inf
        passive = LogGammachirp(source, cf, b=p["b1"], c=p["c1"])
        fp1 = cf + p["c1"] * p["ERBwidth"] * p["b1"] / p["order_gc"]
        # control path: the channels lct_ERB higher
        shift = int(round(p["lct_ERB"] / erb_step)) if n > 1 else 0
        index = np.clip(np.arange(n) + shift, 0, n - 1)
        passive_control = RestructureFilterbank(passive, indexmapping=index)
        control_comp = AsymmetricCompensation(
            passive_control, p["frat_control"] * fp1[index], b=p["b2"],
            c=p["c2"])
        # signal path
        signal_path = AsymmetricCompensation(passive, fp1 * p["frat0"],
                                             b=p["b2"], c=p["c2"])
        updater = _LevelControl(signal_path, source.samplerate, fp1, p)
        control = ControlFilterbank(signal_path,
                                    [passive_control, control_comp],
                                    signal_path, updater, update_interval)
        self.set_output(control)
