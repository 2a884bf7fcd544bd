"""Ionic currents (Brian 1's ``brian.library.ionic_currents``): a leak and
Hodgkin and Huxley's K+ and Na+ currents, with the resting potential at
0 mV as in their paper.  Each is a Current named ``current_name`` (a fresh
name if None), to add to a MembraneEquation."""
from __future__ import annotations

from ..equations import unique_id
from ..membrane_equations import Current
from ..units import check_units, volt

__all__ = ["leak_current", "K_current_HH", "Na_current_HH"]


@check_units(El=volt)
def leak_current(gl, El, current_name=None):
    """``gl (El - vm)``."""
    current_name = current_name or unique_id()
    return Current("I = gl*(El - vm) : amp", gl=gl, El=El, I=current_name,
                   current_name=current_name)


def K_current_HH(gmax, EK, current_name=None):
    """The delayed-rectifier K+ current ``gmax n^4 (EK - vm)``.  The gating
    variable and its rates are named n, alphan, betan."""
    current_name = current_name or unique_id()
    return Current("""
        I = gmax*n**4*(EK - vm) : amp
        dn/dt = alphan*(1 - n) - betan*n : 1
        alphan = .01*(10*mV - vm)/(exp(1 - .1*vm/mV) - 1)/mV/ms : Hz
        betan = .125*exp(-.0125*vm/mV)/ms : Hz
        """, gmax=gmax, EK=EK, I=current_name, current_name=current_name)


def Na_current_HH(gmax, ENa, current_name=None):
    """The Na+ current ``gmax m^3 h (ENa - vm)``; gating variables m and h,
    rates alpham, betam, alphah, betah."""
    current_name = current_name or unique_id()
    return Current("""
        I = gmax*m**3*h*(ENa - vm) : amp
        dm/dt = alpham*(1 - m) - betam*m : 1
        dh/dt = alphah*(1 - h) - betah*h : 1
        alpham = .1*(25*mV - vm)/(exp(2.5 - .1*vm/mV) - 1)/mV/ms : Hz
        betam = 4*exp(-.0556*vm/mV)/ms : Hz
        alphah = .07*exp(-.05*vm/mV)/ms : Hz
        betah = 1./(1 + exp(3. - .1*vm/mV))/ms : Hz
        """, gmax=gmax, ENa=ENa, I=current_name, current_name=current_name)
