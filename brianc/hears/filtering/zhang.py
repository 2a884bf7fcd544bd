"""ZhangSynapse: the inner hair cell - auditory nerve synapse of Zhang et
al. (2001): a three-store diffusion model turning the hair cell potential
into a firing rate ``s``, and Poisson spikes with absolute and relative
refractoriness."""
from __future__ import annotations

import numpy as np

from ... import _core, magic
from ...clock import Clock
from ...equations import Equations
from ...neurongroup import NeuronGroup
from ...operation import NetworkOperation
from ...reset import CustomRefractoriness, _period_steps
from ...stdunits import Hz, ms
from ...threshold import PoissonThreshold
from .filterbankgroup import FilterbankGroup

__all__ = ["ZhangSynapse", "ZhangSynapseRate", "ZhangSynapseSpikes"]

_DEFAULTS = {"spont": 50 * Hz, "A_SS": 130 * Hz, "tau_ST": 60 * ms,
             "tau_R": 2 * ms, "A_RST": 6, "PTS": 8.627, "P_Imax": 0.6,
             "c_0": 0.5, "c_1": 0.5, "R_A": 0.75 * ms, "s_0": 1 * ms,
             "s_1": 12.5 * ms}


def _parameters(params=None) -> dict:
    values = dict(_DEFAULTS)
    for key, value in (params or {}).items():
        if key not in values:
            raise KeyError(f"{key!r} is not a ZhangSynapse parameter (one of "
                           f"{', '.join(sorted(values))})")
        values[key] = value
    return values


def _store_constants(p: dict) -> dict:
    """The permeabilities, volumes and concentrations of the three stores
    that give the onset, rapid and short-term adaptation of the paper
    (Zhang et al. 2001, appendix)."""
    spont, a_ss, p_imax = p["spont"], p["A_SS"], p["P_Imax"]
    a_on = p["PTS"] * a_ss                            # onset rate
    a_r = (a_on - a_ss) * p["A_RST"] / (1 + p["A_RST"])   # rapid part
    a_st = a_on - a_ss - a_r                          # short-term part
    p_rest = p_imax * spont / a_on                    # resting permeability
    c_g = spont * (a_on - spont) / (a_on * p_rest * (1 - spont / a_ss))
    g1, g2 = c_g / spont, c_g / a_ss
    k1, k2 = -1 / p["tau_R"], -1 / p["tau_ST"]
    v_i0 = (1 - p_imax / p_rest) / (g1 * (a_r * (k1 - k2) / (c_g * p_imax) +
                                         k2 / (p_rest * g1) -
                                         k2 / (p_imax * g2)))
    v_i1 = (1 - p_imax / p_rest) / (g1 * (a_st * (k2 - k1) / (c_g * p_imax) +
                                         k1 / (p_rest * g1) -
                                         k1 / (p_imax * g2)))
    v_i = 0.5 * (v_i0 + v_i1)                         # immediate volume
    alpha = g2 / (k1 * k2)
    beta = -(k1 + k2) * alpha
    th1, th2, th3 = alpha * p_imax / v_i, v_i / p_imax, g2 - 1 / p_imax
    p_l = ((beta - th2 * th3) / th1 - 1) * p_imax     # local permeability
    p_g = 1 / (th3 - 1 / p_l)                         # global permeability
    c_irest = spont / p_rest
    return {"P_rest": p_rest, "C_G": c_g, "V_I": v_i, "P_L": p_l,
            "P_G": p_g, "C_Irest": c_irest,
            "C_Lrest": c_irest * (p_rest + p_l) / p_l}


class _CoreHeldRefractoriness(CustomRefractoriness):
    """ZhangSynapse's CustomRefractoriness (e_0 = e_1 = 1 within R_A of a
    spike) whose hold runs as its group's core task (_core.ZhangHold):
    here only the spike history it reads is set up."""

    def phases(self, dt: float) -> int:
        return _period_steps(self.period, dt)

    def _install(self, group) -> list:
        group._c.set_reset("none")
        group._c.reserve_history(self.phases(float(group.clock.dt)))
        return []


class ZhangSynapseRate(FilterbankGroup):
    """The firing rate ``s`` (no refractoriness) of Zhang et al.'s synapse
    driven by a filterbank giving the hair cell potential ``V_ihc`` (e.g.
    TanCarney), one neuron per channel; CF sets the saturation."""

    def __init__(self, source, CF, params=None):
        p = _parameters(params)
        k = _store_constants(p)
        spont = p["spont"]
        eqs = Equations("""
        V_ihc : 1
        CF_param : 1
        V_sat2 = 2 + 3*log10(CF_param / 1000.0) : 1
        V_sat = sat_gain*((V_sat2 > 1.5)*(V_sat2 - 1.5) + 1.5) : 1
        p_2_exponent = log(2) * V_sat / P_rest : 1
        p_2 = clip(log(exp(p_2_exponent) - 1), -big, abs(p_2_exponent)) : 1
        P_I_exponent = p_2 * V_ihc : 1
        P_I = p_1 * clip(log(1 + exp(P_I_exponent)), -big,
                         abs(P_I_exponent) + 1) : 1
        dC_I/dt = (-P_I*C_I + P_L*(C_L - C_I))/V_I : Hz
        dC_L/dt = (-P_L*(C_L - C_I) + P_G*(C_G - C_L))/V_I : Hz
        s = C_I * P_I : Hz
        """, sat_gain=float(20.0 * (spont + 1 * Hz) / (spont + 5 * Hz) *
                            p["P_Imax"]),
            P_rest=float(k["P_rest"]), p_1=float(k["P_rest"]) / np.log(2),
            big=1e300, log=np.log, log10=np.log10, exp=np.exp,
            clip=np.clip, abs=np.abs, P_L=float(k["P_L"]), P_G=float(k["P_G"]),
            C_G=k["C_G"], V_I=k["V_I"])
        FilterbankGroup.__init__(self, source, "V_ihc", model=eqs)
        self.CF_param_ = np.asarray(CF, dtype=np.float64)   # in Hz
        self.C_I = k["C_Irest"]
        self.C_L = k["C_Lrest"]
        # the constants of s per channel, for the spike group's core task
        # (and _rate_now, the same s in NumPy: reading the equation ``s``
        # through the group compiles it each time)
        p_rest = float(k["P_rest"])
        sat2 = 2 + 3 * np.log10(self.CF_param_ / 1000.0)
        sat = float(20.0 * (spont + 1 * Hz) / (spont + 5 * Hz) *
                    p["P_Imax"]) * ((sat2 > 1.5) * (sat2 - 1.5) + 1.5)
        e2 = np.log(2) * sat / p_rest
        with np.errstate(over="ignore"):    # high CFs: log(inf) > |e2|
            p_2 = np.minimum(np.log(np.expm1(e2)), np.abs(e2))
        self.__dict__["_rate_constants"] = (p_2, p_rest / np.log(2))

    def _coupling_task(self, s, r, e_0, e_1, k_0, k_1, repeat):
        """The core task writing a spike group's rows ``s`` and ``r`` (R)
        from this group's V_ihc and C_I at the start of each step, for
        ``repeat`` fibres per channel whose refractory terms are ``e_0``
        and ``e_1``, scaled by ``k_0`` and ``k_1``."""
        p_2, p_1 = self._rate_constants
        p_2 = np.ascontiguousarray(np.broadcast_to(p_2, len(self)),
                                   dtype=np.float64)
        return _core.ZhangRate(self._state[self._rows["V_ihc"]],
                               self._state[self._rows["C_I"]], p_2, e_0, e_1,
                               s, r, float(p_1), k_0, k_1, repeat)

    def _rate_now(self) -> np.ndarray:
        """s (Hz) from the current V_ihc and C_I."""
        p_2, p_1 = self._rate_constants
        e = p_2 * self.V_ihc_
        with np.errstate(over="ignore"):
            p_i = p_1 * np.minimum(np.log1p(np.exp(e)), np.abs(e) + 1)
        return self.C_I_ * p_i


class ZhangSynapseSpikes(NeuronGroup):
    """Poisson spikes at rate ``R = s*(1 - H)`` (relative refractoriness
    H = c_0 e_0 + c_1 e_1, the e decaying after each spike with time
    constants s_0, s_1) and an absolute refractory period R_A; ``s`` is
    copied each step from the rate group ``source`` (``n_per_channel``
    fibres per channel) and R computed from it at the start of the step,
    with e as the state update will leave it."""

    def __init__(self, source, n_per_channel=1, params=None):
        p = _parameters(params)
        eqs = Equations("""
        s : Hz
        H = c_0*e_0 + c_1*e_1 : 1
        de_0/dt = -e_0/s_0 : 1
        de_1/dt = -e_1/s_1 : 1
        R : Hz
        """, c_0=p["c_0"], c_1=p["c_1"], s_0=p["s_0"], s_1=p["s_1"])

        def refractory_reset(P, spikes):
            P.e_0[spikes] = 1.0
            P.e_1[spikes] = 1.0

        in_core = isinstance(source, ZhangSynapseRate)
        refractoriness = (_CoreHeldRefractoriness if in_core else
                          CustomRefractoriness)(resetfun=refractory_reset,
                                                period=p["R_A"])
        clock = Clock(dt=source.clock.dt, t=source.clock.t,
                      order=source.clock.order + 1)
        NeuronGroup.__init__(self, len(source) * n_per_channel, model=eqs,
                             threshold=PoissonThreshold("R"),
                             reset=refractoriness, clock=clock)
        repeat = int(n_per_channel)
        dt = float(clock.dt)
        k_0 = float(p["c_0"]) * np.exp(-dt / float(p["s_0"]))
        k_1 = float(p["c_1"]) * np.exp(-dt / float(p["s_1"]))
        if in_core:
            # in C: core tasks at the start of each step (zhang_rate.h)
            # and after the resets (zhang_hold.h)
            e_0, e_1 = self._state_row("e_0"), self._state_row("e_1")
            self.__dict__["_rate_task"] = source._coupling_task(
                self._state_row("s"), self._state_row("R"), e_0, e_1, k_0,
                k_1, repeat)
            self.__dict__["_hold_task"] = _core.ZhangHold(
                self._c, e_0, e_1, refractoriness.phases(dt))
            return
        self.__dict__["_rate_task"] = self.__dict__["_hold_task"] = None

        def copy_rate():
            # R = s*(1 - H) as the threshold sees it, after this step's
            # decay of e_0 and e_1 (brianc's PoissonThreshold reads a state
            # variable, not an equation)
            s = np.repeat(np.asarray(source.s_), repeat)
            self.s_[:] = s
            self.R_[:] = s * (1 - k_0 * self.e_0_ - k_1 * self.e_1_)

        op = NetworkOperation(copy_rate, clock=clock, when="start")
        magic.retag(op, 0)
        self.__dict__.setdefault("contained_objects", []).append(op)

    def _state_row(self, name: str) -> np.ndarray:
        """The state row of variable ``name`` (a view)."""
        return self._state[self._rows[name]]

    def _core_objects(self):
        entries = NeuronGroup._core_objects(self)
        if self._rate_task is not None:
            entries.insert(0, ("task", self._rate_task, self._clock))
            # first in its slot, where the Python refractoriness would be
            entries.append(("task", self._hold_task, self._clock, None,
                            True))
        return entries


class ZhangSynapse(ZhangSynapseSpikes):
    """Zhang et al.'s (2001) IHC-AN synapse (Brian 1 API): spikes (state
    variables ``s``, the rate without refractoriness, and ``R``) from a
    filterbank giving the hair cell potential.  ``CF``: characteristic
    frequencies; ``params`` overrides the paper's values ('spont', 'A_SS',
    'tau_ST', 'tau_R', 'A_RST', 'PTS', 'P_Imax', 'c_0', 'c_1', 'R_A',
    's_0', 's_1')."""

    def __init__(self, source, CF, n_per_channel=1, params=None):
        rate = ZhangSynapseRate(source, CF, params)
        ZhangSynapseSpikes.__init__(self, rate, n_per_channel, params)
        self.__dict__["rate_model"] = rate
        self.contained_objects.append(rate)
