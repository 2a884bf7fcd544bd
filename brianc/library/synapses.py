"""Synapse kernels (Brian 1's ``brian.library.synapses``): spikes act on
an *input* variable, the kernel's *output* variable is the current or
conductance.

After a unit jump of the input the output is ``exp(-t/tau)`` for
``exp``, ``(t/tau) exp(-t/tau)`` for ``alpha`` (peak 1/e at ``t = tau``:
the equations Brian 1 integrated, although its documentation promised a
peak of 1) and, for ``biexp``, a difference of exponentials scaled to peak
at 1 at ``t = tau1 tau2/(tau2 - tau1) log(tau2/tau1)``.  The ``*_current``
and ``*_conductance`` forms return Currents to add to a MembraneEquation.
"""
from __future__ import annotations

from ..equations import Equations, unique_id
from ..membrane_equations import Current
from ..units import amp, check_units, second, siemens

__all__ = ["exp_current", "alpha_current", "biexp_current",
           "exp_conductance", "alpha_conductance", "biexp_conductance",
           "exp_synapse", "alpha_synapse", "biexp_synapse"]


# -- kernels ----------------------------------------------------------------

@check_units(tau=second)
def exp_synapse(input, tau, unit, output=None):
    """``dx/dt = -x/tau`` with the input an alias of the output ``x``
    (named ``input + '_out'`` unless given)."""
    if output is None:
        output = input + "_out"
    return Equations("""
        dx/dt = -x*invtau : unit
        y = x
        """, x=output, y=input, unit=unit, invtau=1.0 / tau)


@check_units(tau=second)
def alpha_synapse(input, tau, unit, output=None):
    """``dx/dt = (y - x)/tau, dy/dt = -y/tau``: a unit jump of the input
    y gives the output x = (t/tau) exp(-t/tau)."""
    if output is None:
        output = input + "_out"
    return Equations("""
        dx/dt = (y - x)*invtau : unit
        dy/dt = -y*invtau : unit
        """, x=output, y=input, unit=unit, invtau=1.0 / tau)


@check_units(tau1=second, tau2=second)
def biexp_synapse(input, tau1, tau2, unit, output=None):
    """``dx/dt = (p y - x)/tau1, dy/dt = -y/tau2`` with p such that the
    output x peaks at 1 after a unit jump of the input y."""
    if output is None:
        output = input + "_out"
    invpeak = (tau2 / tau1) ** (tau1 / (tau2 - tau1))
    return Equations("""
        dx/dt = (invpeak*y - x)*invtau1 : unit
        dy/dt = -y*invtau2 : unit
        """, x=output, y=input, unit=unit, invtau1=1.0 / tau1,
                     invtau2=1.0 / tau2, invpeak=invpeak)


# -- synaptic currents ------------------------------------------------------

def _current(kernel_eqs, current_name: str) -> Current:
    current = Current() + kernel_eqs
    current.set_current_name(current_name)
    return current


@check_units(tau=second)
def exp_current(input, tau, current_name=None, unit=amp):
    """An exponential synaptic current (named ``current_name``, a fresh
    name if None) driven by spikes on ``input``."""
    current_name = current_name or unique_id()
    return _current(exp_synapse(input, tau, unit, current_name),
                    current_name)


@check_units(tau=second)
def alpha_current(input, tau, current_name=None, unit=amp):
    """An alpha synaptic current (see exp_current)."""
    current_name = current_name or unique_id()
    return _current(alpha_synapse(input, tau, unit, current_name),
                    current_name)


@check_units(tau1=second, tau2=second)
def biexp_current(input, tau1, tau2, current_name=None, unit=amp):
    """A biexponential synaptic current (see exp_current)."""
    current_name = current_name or unique_id()
    return _current(biexp_synapse(input, tau1, tau2, unit, current_name),
                    current_name)


# -- synaptic conductances --------------------------------------------------

def _conductance(input, E, conductance_name: str) -> Current:
    """The current ``g (E - vm)`` through conductance ``g``, named
    ``input + '_current'``."""
    return Current("I = g*(E - vm) : amp", I=input + "_current",
                   g=conductance_name, E=E)


@check_units(tau=second)
def exp_conductance(input, E, tau, conductance_name=None, unit=siemens):
    """An exponential synaptic conductance with reversal potential E."""
    conductance_name = conductance_name or unique_id()
    return _conductance(input, E, conductance_name) + \
        exp_synapse(input, tau, unit, conductance_name)


@check_units(tau=second)
def alpha_conductance(input, E, tau, conductance_name=None, unit=siemens):
    """An alpha synaptic conductance with reversal potential E."""
    conductance_name = conductance_name or unique_id()
    return _conductance(input, E, conductance_name) + \
        alpha_synapse(input, tau, unit, conductance_name)


@check_units(tau1=second, tau2=second)
def biexp_conductance(input, E, tau1, tau2, conductance_name=None,
                      unit=siemens):
    """A biexponential synaptic conductance with reversal potential E."""
    conductance_name = conductance_name or unique_id()
    return _conductance(input, E, conductance_name) + \
        biexp_synapse(input, tau1, tau2, unit, conductance_name)
