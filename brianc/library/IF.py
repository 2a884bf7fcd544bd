"""Integrate-and-fire models as membrane equations (Brian 1's
``brian.library.IF``).

Every model is a MembraneEquation over the membrane potential ``vm``; the
two-dimensional ones add the adaptation variable ``w``, reset by
AdaptiveReset.  A parameter given as a string names a model variable
instead (``leaky_IF(10*ms, 'V0') + Equations('V0 : volt')``).
"""
from __future__ import annotations

from ..membrane_equations import Current, IonicCurrent, MembraneEquation
from .._program import core_program
from ..reset import Reset
from ..stdunits import mV, ms, nA, nS, pF
from ..units import check_units, farad, second, siemens, volt

__all__ = ["leaky_IF", "perfect_IF", "exp_IF", "quadratic_IF",
           "Brette_Gerstner", "Izhikevich", "AdaptiveReset", "aEIF"]


# -- one-dimensional models -------------------------------------------------

@check_units(tau=second, El=volt)
def leaky_IF(tau, El):
    """``tau dvm/dt = El - vm``."""
    return MembraneEquation(tau) + Current("Im = El - vm : volt",
                                           current_name="Im", El=El)


@check_units(tau=second)
def perfect_IF(tau):
    """``tau dvm/dt = (the currents added later)``."""
    return MembraneEquation(tau)


@check_units(C=farad, gL=siemens, EL=volt, VT=volt, DeltaT=volt)
def exp_IF(C, gL, EL, VT, DeltaT):
    """``C dvm/dt = gL (EL - vm) + gL DeltaT exp((vm - VT)/DeltaT)``."""
    return MembraneEquation(C) + Current(
        "Im = gL*(EL - vm) + gL*DeltaT*exp((vm - VT)/DeltaT) : amp",
        gL=gL, EL=EL, VT=VT, DeltaT=DeltaT)


@check_units(C=farad, a=siemens / volt, EL=volt, VT=volt)
def quadratic_IF(C, a, EL, VT):
    """``C dvm/dt = a (vm - EL)(vm - VT)``."""
    return MembraneEquation(C) + Current("Im = a*(vm - EL)*(vm - VT) : amp",
                                         a=a, EL=EL, VT=VT)


# -- two-dimensional models -------------------------------------------------

@check_units(a=1 / second, b=1 / second)
def Izhikevich(a=0.02 / ms, b=0.2 / ms):
    """Izhikevich's model in vm (volt) and w (volt/second):
    ``dvm/dt = 0.04/(ms mV) vm^2 + 5/ms vm + 140 mV/ms - w``,
    ``dw/dt = a (b vm - w)``."""
    return MembraneEquation(1.0) + Current("""
        Im = (0.04/ms/mV)*vm**2 + (5/ms)*vm + 140*mV/ms - w : volt/second
        dw/dt = a*(b*vm - w) : volt/second
        """, current_name="Im", a=a, b=b)


@check_units(C=farad, gL=siemens, EL=volt, VT=volt, DeltaT=volt,
             tauw=second, a=siemens)
def Brette_Gerstner(C=281 * pF, gL=30 * nS, EL=-70.6 * mV, VT=-50.4 * mV,
                    DeltaT=2 * mV, tauw=144 * ms, a=4 * nS):
    """The adaptive exponential integrate-and-fire model (Brette and
    Gerstner 2005), by default a regular-spiking cortical cell: exp_IF
    plus the adaptation current ``tauw dw/dt = a (vm - EL) - w``."""
    return exp_IF(C, gL, EL, VT, DeltaT) + IonicCurrent(
        "dw/dt = (a*(vm - EL) - w)/tauw : amp", a=a, EL=EL, tauw=tauw)


aEIF = Brette_Gerstner
AdEx = Brette_Gerstner


class AdaptiveReset(Reset):
    """The reset of the two-dimensional models: ``vm = Vr`` and
    ``w += b`` for the neurons that spiked (run in C)."""

    def __init__(self, Vr=-70.6 * mV, b=0.0805 * nA):
        self.Vr = Vr
        self.b = b

    def _install(self, group) -> list:
        namespace = {"_adaptive_Vr": self.Vr, "_adaptive_b": self.b}
        program = group._model.compile_statements(
            "vm = _adaptive_Vr\nw += _adaptive_b", namespace)
        group._c.set_reset("program", program=core_program(program))
        return []

    def __repr__(self) -> str:
        return f"AdaptiveReset(Vr={self.Vr!r}, b={self.b!r})"
