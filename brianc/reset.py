"""Resets and refractoriness (Brian 1's reset classes and ``refractory=``).

Refractory periods become step counts here, once: a spike survives only
``suppress`` steps after the last one (Brian 1's ``t + R - dt/2`` test),
and a scalar reset clamps its variable for ``int(R/dt) + 1`` reset phases.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["Reset", "StringReset", "VariableReset", "FunReset", "NoReset",
           "Refractoriness", "SimpleCustomRefractoriness",
           "CustomRefractoriness", "install_reset"]


class Reset:
    """Set ``state`` to ``resetvalue`` on a spike."""

    def __init__(self, resetvalue=0.0, state=0):
        self.resetvalue = resetvalue
        self.state = state

    def _value(self, group, row: int) -> float:
        unit = group._unit_of_row(row)
        dim = get_dimensions(self.resetvalue)
        if isinstance(self.resetvalue, Quantity) and \
                dim != get_dimensions(unit):
            name = group._model.state_names[row]
            raise DimensionMismatchError(
                f"{group._name}: reset has units of {dim}, expected "
                f"{get_dimensions(unit)} (the unit of {name})",
                dim, get_dimensions(unit))
        value = float(self.resetvalue)
        if math.isnan(value):
            raise ValueError(f"{group._name}: reset value is NaN")
        return value

    def _install(self, group) -> bool:
        """Install; True if refractoriness may clamp this reset."""
        row = group._row(self.state, "Reset")
        group._c.set_reset("scalar", var=row, value=self._value(group, row))
        return True


class Refractoriness(Reset):
    """A scalar reset held for ``period`` after each spike."""

    def __init__(self, resetvalue=0.0, period=0.005, state=0):
        self.resetvalue = resetvalue
        self.period = period
        self.state = state


class VariableReset(Reset):
    """Set ``state`` to the value of ``resetvaluestate`` on a spike."""

    def __init__(self, resetvaluestate=1, state=0):
        self.resetvaluestate = resetvaluestate
        self.state = state

    def _install(self, group) -> bool:
        row = group._row(self.state, "VariableReset")
        row2 = group._row(self.resetvaluestate, "VariableReset")
        group._c.set_reset("variable", var=row, var2=row2)
        return False


class StringReset(Reset):
    """Statements run on the neurons that spiked (``v = 0*mV; vt += 3*mV``)."""

    def __init__(self, expr: str, level: int = 0):
        from . import _magic
        self.expr = expr
        self._namespace = _magic.caller_namespace(level)

    def _install(self, group) -> bool:
        from .neurongroup import core_program
        program = group._model.compile_statements(self.expr, self._namespace)
        group._c.set_reset("program", program=core_program(program))
        return False


class NoReset(Reset):
    """Do nothing on a spike."""

    def __init__(self):
        pass

    def _install(self, group) -> bool:
        group._c.set_reset("none")
        return False


class FunReset(Reset):
    """A Python function ``f(P, spikes)`` (not yet supported in the C
    loop)."""

    def __init__(self, resetfun):
        self.resetfun = resetfun

    def _install(self, group) -> bool:
        raise NotImplementedError("FunReset is not supported yet: use a "
                                  "string reset")


class SimpleCustomRefractoriness(FunReset):
    def __init__(self, resetfun, period=0.005, state=0):
        self.resetfun = resetfun
        self.period = period
        self.state = state


class CustomRefractoriness(FunReset):
    def __init__(self, resetfun, period=0.005, refracfunc=None):
        self.resetfun = resetfun
        self.period = period
        self.refracfunc = refracfunc


class _CompiledReset(Reset):
    """A string reset already compiled by the model."""

    def __init__(self, program):
        self.program = program

    def _install(self, group) -> bool:
        from .neurongroup import core_program
        group._c.set_reset("program", program=core_program(self.program))
        return False


def _seconds(value, what: str) -> float:
    if isinstance(value, Quantity) and get_dimensions(value) != second.dim:
        raise DimensionMismatchError(f"{what} must be a time",
                                     get_dimensions(value))
    x = float(value)
    if math.isnan(x) or x < 0:
        raise ValueError(f"{what} must be a non-negative time, got {value!r}")
    return x


def install_reset(group, reset, refractory, max_refractory=None) -> None:
    """Brian 1's reset selection (spec 6.2) and refractoriness (6.4)."""
    if reset is None:
        reset = NoReset()
    elif isinstance(reset, str):
        kind = group._model.select_reset(reset, group._namespace)
        if kind[0] == "variable":
            reset = VariableReset(kind[2], kind[1])
        elif kind[0] == "scalar":
            reset = Reset(kind[2], kind[1])
        else:
            reset = _CompiledReset(kind[1])
    elif isinstance(reset, (numbers.Real, np.number)):
        reset = Reset(reset, 0)
    elif callable(reset) and not isinstance(reset, Reset):
        reset = FunReset(reset)
    if not isinstance(reset, Reset):
        raise TypeError(f"{group._name}: cannot use {reset!r} as a reset")
    if np.ndim(refractory) != 0 or isinstance(refractory, str):
        raise NotImplementedError("variable refractoriness is not supported "
                                  "yet")
    period = _seconds(refractory, "refractory")
    dt = float(group.clock.dt)
    clampable = reset._install(group)
    suppress = 0
    clamp = 0
    if period > 0.9 * dt:
        # next_allowed = t_spike + R - dt/2 <= t  <=>  steps >= R/dt - 1/2
        suppress = max(math.ceil(period / dt - 0.5 - 1e-9), 1)
        if clampable:
            clamp = int(period / dt) + 1
    if isinstance(reset, Refractoriness):
        # An explicit Refractoriness clamps for its own period.
        clamp = int(_seconds(reset.period, "period") / dt) + 1
    group._c.set_refractory(suppress, clamp)
    group.__dict__["_reset"] = reset
