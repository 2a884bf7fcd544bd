"""Resets and refractoriness (Brian 1's reset classes and ``refractory=``).

Refractory periods become step counts here, once (spec 6.4): a spike
survives ``round(R/dt)`` steps after the last one (Brian 1's
``t + R - dt/2`` test) and a scalar reset clamps its variable for
``int(R/dt) + 1`` reset phases.  Resets written in Python (FunReset and the
custom refractoriness classes) run as an operation in the resets phase.
"""
from __future__ import annotations

import math
import numbers
import types

import numpy as np

from . import magic
from ._program import core_program
from ._python_inputs import refresher
from .base import attributes_repr
from .threshold import _time_in_seconds, check_value_units
from .units import Quantity, get_dimensions, second

__all__ = ["Reset", "StringReset", "VariableReset", "FunReset", "NoReset",
           "Refractoriness", "SimpleCustomRefractoriness",
           "CustomRefractoriness"]


def _period_steps(period, dt: float) -> int:
    """Brian 1's ``int(period/dt) + 1`` reset phases (truncating in
    floating point: 0.3 ms at 0.1 ms gives 3)."""
    return int(_time_in_seconds(period, "refractory period") / dt) + 1


def _recent_spikes(group, phases: int) -> np.ndarray:
    """Brian 1's ``P.LS[0:phases]``: the neurons that spiked in this step
    or the ``phases - 1`` before, each once, ascending."""
    c = group._c
    parts = [c.spikes(d) for d in range(phases)]
    return np.unique(np.concatenate(parts)).astype(np.int64)


class Reset:
    """Set ``state`` to ``resetvalue`` on a spike.

    Parameters
    ----------
    resetvalue : Quantity
        In the unit of ``state`` (default 0).
    state : int or str
        The variable reset (default state 0).
    """

    def __init__(self, resetvalue=0.0, state=0):
        self.resetvalue = resetvalue
        self.state = state

    def _install(self, group) -> list:
        """Configure the group's C reset; returns the Python operations
        (slot, function) the reset needs each step."""
        row = group._row(self.state, "Reset")
        value = check_value_units(group, row, self.resetvalue, "reset")
        group._c.set_reset("scalar", var=row, value=value)
        return []

    def __repr__(self) -> str:
        return attributes_repr(self)


class Refractoriness(Reset):
    """Reset ``state`` to ``resetvalue`` and hold it there for ``period``
    after each spike (``int(period/dt) + 1`` reset phases, the spike's
    included).  ``resetvalue`` may be an array of N values."""

    def __init__(self, resetvalue=0.0, period=0.005, state=0):
        self.resetvalue = resetvalue
        self.period = period
        self.state = state
        _time_in_seconds(period, "Refractoriness period")

    def _install(self, group) -> list:
        row = group._row(self.state, "Refractoriness")
        if np.ndim(self.resetvalue) == 0:
            return super()._install(group)
        values = np.asarray(self.resetvalue, dtype=np.float64)
        if values.shape != (len(group),):
            raise ValueError(f"{group._name}: Refractoriness needs a scalar "
                             f"or {len(group)} reset values, got shape "
                             f"{values.shape}")
        group._c.set_reset("none")
        phases = _period_steps(self.period, float(group.clock.dt))
        group._c.reserve_history(phases)
        x = group._state[row]

        def clamp(step: int) -> None:
            held = _recent_spikes(group, phases)
            x[held] = values[held]
        return [("reset", clamp)]


class VariableReset(Reset):
    """Set ``state`` to the value of ``resetvaluestate`` on a spike (never
    clamped by refractoriness, as in Brian 1)."""

    def __init__(self, resetvaluestate=1, state=0):
        self.resetvaluestate = resetvaluestate
        self.state = state

    def _install(self, group) -> list:
        row = group._row(self.state, "VariableReset")
        row2 = group._row(self.resetvaluestate, "VariableReset")
        group._c.set_reset("variable", var=row, var2=row2)
        return []

    def __repr__(self) -> str:
        return (f"VariableReset({self.resetvaluestate!r}, "
                f"state={self.state!r})")


class StringReset(Reset):
    """Statements run on the neurons that spiked (``v = 0*mV; vt += 3*mV``),
    compiled to a C program; model variables override caller names."""

    def __init__(self, expr: str, level: int = 0):
        self.expr = expr
        self._namespace = magic.caller_names(expr, level)

    def _install(self, group) -> list:
        program = group._model.compile_statements(self.expr, self._namespace)
        return _CompiledReset(program)._install(group)

    def __repr__(self) -> str:
        return f"StringReset({self.expr!r})"


class NoReset(Reset):
    """Do nothing on a spike."""

    def __init__(self):
        pass

    def _install(self, group) -> list:
        group._c.set_reset("none")
        return []

    def __repr__(self) -> str:
        return "NoReset()"


class FunReset(Reset):
    """A Python function ``f(P, spikes)`` called in every reset phase with
    the group and this step's spikes (an int array, possibly empty)."""

    def __init__(self, resetfun):
        if not callable(resetfun):
            raise TypeError(f"FunReset needs a function, got {resetfun!r}")
        self.resetfun = resetfun

    def _install(self, group) -> list:
        group._c.set_reset("none")
        function = self.resetfun
        c = group._c

        def reset(step: int) -> None:
            function(group, c.spikes(0).astype(np.int64))
        return [("reset", reset)]


class SimpleCustomRefractoriness(Refractoriness):
    """``resetfun(P, spikes)`` resets ``state``; the values it set are then
    held for ``period`` (Brian 1)."""

    def __init__(self, resetfun, period=0.005, state=0):
        self.resetfun = resetfun
        self.period = period
        self.state = state
        _time_in_seconds(period, "SimpleCustomRefractoriness period")

    def _install(self, group) -> list:
        row = group._row(self.state, "SimpleCustomRefractoriness")
        group._c.set_reset("none")
        phases = _period_steps(self.period, float(group.clock.dt))
        group._c.reserve_history(phases)
        x = group._state[row]
        held_values = np.zeros(len(group))
        function = self.resetfun
        c = group._c

        def reset(step: int) -> None:
            spikes = c.spikes(0).astype(np.int64)
            function(group, spikes)
            held_values[spikes] = x[spikes]
            held = _recent_spikes(group, phases)
            x[held] = held_values[held]
        return [("reset", reset)]


class CustomRefractoriness(Refractoriness):
    """``resetfun(P, spikes)`` on new spikes, then ``refracfunc(P,
    indices)`` on every neuron within ``period`` of its last spike
    (``refracfunc`` defaults to ``resetfun``)."""

    def __init__(self, resetfun, period=0.005, refracfunc=None):
        self.resetfun = resetfun
        self.period = period
        self.refracfunc = resetfun if refracfunc is None else refracfunc
        _time_in_seconds(period, "CustomRefractoriness period")

    def _install(self, group) -> list:
        group._c.set_reset("none")
        phases = _period_steps(self.period, float(group.clock.dt))
        group._c.reserve_history(phases)
        function, refractory_function = self.resetfun, self.refracfunc
        c = group._c

        def reset(step: int) -> None:
            function(group, c.spikes(0).astype(np.int64))
            refractory_function(group, _recent_spikes(group, phases))
        return [("reset", reset)]


class _CompiledReset(Reset):
    """A string reset already compiled by the model."""

    def __init__(self, program):
        self.program = program

    def __repr__(self) -> str:
        return "StringReset(<compiled>)"

    def _install(self, group) -> list:
        group._c.set_reset("program", program=core_program(self.program))
        if not self.program.python_inputs:
            return []
        # Its Python calls are computed just before the resets run.
        return [("reset_inputs",
                 refresher(self.program.python_inputs, group))]


def select_reset(group, reset) -> Reset:
    """Brian 1's reset selection (spec 6.2)."""
    if reset is None:
        return NoReset()
    if isinstance(reset, Reset):
        return reset
    if isinstance(reset, str):
        if not hasattr(group._model, "select_reset"):
            raise TypeError(f"{group._name}: a string reset needs a model "
                            f"with equations")
        kind = group._model.select_reset(reset, group._namespace)
        if kind[0] == "variable":
            return VariableReset(kind[2], kind[1])
        if kind[0] == "scalar":
            return Reset(kind[2], kind[1])
        return _CompiledReset(kind[1])
    if isinstance(reset, (numbers.Real, np.number, Quantity)) and \
            np.ndim(reset) == 0:
        return Reset(reset, 0)
    if callable(reset):
        return FunReset(reset)
    raise TypeError(f"{group._name}: cannot use {reset!r} as a reset")


def _variable_periods(group, refractory, max_refractory, dt: float):
    """(periods for the core, longest period in seconds) of Brian 1's
    variable refractoriness: a state variable's name or N times."""
    if isinstance(refractory, str):
        if max_refractory is None:
            raise ValueError(f"{group._name}: variable refractoriness "
                             f"({refractory!r}) needs max_refractory")
        row = group._row(refractory, "refractory")
        if get_dimensions(group._unit_of_row(row)) != second.dim:
            raise ValueError(f"{group._name}: refractory variable "
                             f"{refractory!r} must be a time")
        return row, _time_in_seconds(max_refractory, "max_refractory")
    if (isinstance(refractory, Quantity) or hasattr(refractory, "dim")) and \
            get_dimensions(refractory) != second.dim:
        raise ValueError(f"{group._name}: refractory must be a time")
    periods = np.asarray(refractory, dtype=np.float64)
    if periods.shape != (len(group),):
        raise ValueError(f"{group._name}: refractory needs a scalar or "
                         f"{len(group)} periods, got shape {periods.shape}")
    if np.isnan(periods).any() or (periods < 0).any():
        raise ValueError(f"{group._name}: refractory periods must be "
                         f"non-negative times")
    # Brian 1 takes the longest period here, whatever max_refractory says.
    return periods, float(periods.max())


def install_reset(group, reset, refractory, max_refractory=None) -> list:
    """Select the reset, install it and the refractoriness (spec 6.4);
    returns the reset's Python operations."""
    dt = float(group.clock.dt)
    plain_function = isinstance(reset, (types.FunctionType,
                                        types.BuiltinFunctionType,
                                        types.MethodType))
    reset = select_reset(group, reset)
    # Only a scalar reset (or a string that became one) is clamped by
    # refractory=; VariableReset and the others are suppressed only.
    clampable = type(reset) is Reset
    variable = isinstance(refractory, str) or np.ndim(refractory) > 0
    if variable:
        if not clampable:
            raise ValueError(f"{group._name}: variable refractoriness needs "
                             f"a scalar reset, got {reset!r}")
        periods, longest = _variable_periods(group, refractory,
                                             max_refractory, dt)
        ops = reset._install(group)
        clamp = int(longest / dt) + 1 if longest > 0.9 * dt else 0
        group._c.set_variable_refractory(periods, clamp)
    else:
        period = _time_in_seconds(refractory, f"{group._name}: refractory")
        if plain_function and period > 0.9 * dt:
            raise ValueError(f"{group._name}: refractoriness is not "
                             f"supported with a reset function (as in "
                             f"Brian 1); use CustomRefractoriness")
        if not math.isfinite(period / dt) or period / dt > 2.0**62:
            raise ValueError(f"{group._name}: refractory period {refractory!r}"
                             f" is too long for dt = {dt!r} s")
        ops = reset._install(group)
        suppress = clamp = 0
        if period >= 0.9 * dt:
            # next_allowed = t_spike + R - dt/2 <= t  <=>  k >= R/dt - 1/2
            suppress = max(math.ceil(period / dt - 0.5 - 1e-9), 1)
        if clampable and period > 0.9 * dt:
            clamp = int(period / dt) + 1
        if isinstance(reset, Refractoriness) and type(reset) is \
                Refractoriness and np.ndim(reset.resetvalue) == 0:
            # An explicit Refractoriness clamps for its own period.
            clamp = _period_steps(reset.period, dt)
        group._c.set_refractory(suppress, clamp)
    group.__dict__["_reset"] = reset
    return ops
