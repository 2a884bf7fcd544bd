"""Thresholds: when a neuron spikes (Brian 1's threshold classes).

Every comparison is strict (``x > theta``), as in Brian 1, even for a
string that says ``>=`` and was turned into a Threshold.  Thresholds that
run Python (FunThreshold, HomogeneousPoissonThreshold) switch the C
threshold off and install their spikes right after the groups phase.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import magic
from ._program import core_program
from ._python_inputs import refresher
from .base import attributes_repr
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["Threshold", "StringThreshold", "VariableThreshold",
           "EmpiricalThreshold", "NoThreshold", "PoissonThreshold",
           "HomogeneousPoissonThreshold", "FunThreshold",
           "SimpleFunThreshold"]


def check_value_units(group, row: int, value, what: str) -> float:
    """value as a float in the SI unit of state row ``row``: a Quantity
    must have that row's dimensions, a bare number is taken as SI (Brian 1
    accepted a bare 0 for any variable; other bare numbers only for
    dimensionless variables)."""
    unit = group._unit_of_row(row)
    want = get_dimensions(unit)
    dim = get_dimensions(value)
    name = group._model.state_names[row]
    if np.ndim(value) != 0:
        raise TypeError(f"{group._name}: {what} must be a scalar, got an "
                        f"array of shape {np.shape(value)}")
    has_units = isinstance(value, Quantity) or hasattr(value, "dim")
    bad = (dim != want) if has_units else (
        not want.is_dimensionless() and float(value) != 0.0)
    if bad:
        raise DimensionMismatchError(
            f"{group._name}: {what} has units of {dim}, expected those of "
            f"{name} ({want})", dim, want)
    x = float(value)
    if math.isnan(x):
        raise ValueError(f"{group._name}: {what} is NaN")
    return x


def _time_in_seconds(value, what: str) -> float:
    if (isinstance(value, Quantity) or hasattr(value, "dim")) and \
            get_dimensions(value) != second.dim:
        raise DimensionMismatchError(f"{what} must be a time, got "
                                     f"{value!r}", get_dimensions(value))
    x = float(value)
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"{what} must be a finite, non-negative time, got "
                         f"{value!r}")
    return x


class Threshold:
    """Spike when ``state > threshold`` (strict, as Brian 1).

    Parameters
    ----------
    threshold : Quantity
        In the unit of ``state`` (default 1 mV).
    state : int or str
        The variable compared (default state 0).
    """

    def __init__(self, threshold=0.001, state=0):
        self.threshold = threshold
        self.state = state

    def _install(self, group) -> list:
        """Configure the group's C threshold; returns the Python operations
        (slot, function) the threshold needs each step."""
        row = group._row(self.state, "Threshold")
        value = check_value_units(group, row, self.threshold, "threshold")
        group._c.set_threshold("scalar", var=row, value=value)
        return []

    def __repr__(self) -> str:
        return attributes_repr(self)


class VariableThreshold(Threshold):
    """Spike when ``state > threshold_state`` (both state variables)."""

    def __init__(self, threshold_state=1, state=0):
        self.threshold_state = threshold_state
        self.state = state

    def _install(self, group) -> list:
        row = group._row(self.state, "VariableThreshold")
        row2 = group._row(self.threshold_state, "VariableThreshold")
        a, b = group._unit_of_row(row), group._unit_of_row(row2)
        if get_dimensions(a) != get_dimensions(b):
            raise DimensionMismatchError(
                f"{group._name}: VariableThreshold compares variables of "
                f"different units", get_dimensions(a), get_dimensions(b))
        group._c.set_threshold("variable", var=row, var2=row2)
        return []

    def __repr__(self) -> str:
        return (f"VariableThreshold({self.threshold_state!r}, "
                f"state={self.state!r})")


class EmpiricalThreshold(Threshold):
    """Spike when ``state > threshold`` and the neuron did not spike in the
    last ``refractory`` (for self-resetting models such as HH).

    The period becomes ``r = int(refractory/dt)`` steps, minus one when
    ``r*dt`` equals ``refractory`` (Brian 1), with the dt of ``clock`` (or
    of the group's clock); a neuron held above threshold then spikes once
    every ``refractory``."""

    def __init__(self, threshold=0.001, refractory=0.001, state=0,
                 clock=None):
        self.threshold = threshold
        self.refractory = refractory
        self.state = state
        self.clock = clock
        _time_in_seconds(refractory, "EmpiricalThreshold refractory")

    def steps(self, dt: float) -> int:
        refractory = _time_in_seconds(self.refractory,
                                      "EmpiricalThreshold refractory")
        steps = int(refractory / dt)
        if steps > 0 and abs(steps * dt - refractory) <= 1e-9 * dt:
            steps -= 1
        return steps

    def _install(self, group) -> list:
        row = group._row(self.state, "EmpiricalThreshold")
        value = check_value_units(group, row, self.threshold, "threshold")
        dt = float((self.clock or group.clock).dt)
        group._c.set_threshold("empirical", var=row, value=value,
                               steps=self.steps(dt))
        return []


class NoThreshold(Threshold):
    """Never spike."""

    def __init__(self):
        pass

    def _install(self, group) -> list:
        group._c.set_threshold("none")
        return []

    def __repr__(self) -> str:
        return "NoThreshold()"


class PoissonThreshold(Threshold):
    """Each neuron spikes with probability ``state * dt`` per step (state a
    rate in Hz; no ``1 - exp``, so a rate of 1/dt spikes every step)."""

    def __init__(self, state=0):
        self.state = state

    def _install(self, group) -> list:
        group._c.set_threshold("poisson", var=group._row(self.state,
                                                         "PoissonThreshold"))
        return []


class HomogeneousPoissonThreshold(PoissonThreshold):
    """A Poisson number of spikes, mean ``N * dt * max(rate[0], 0)`` capped
    at N, on distinct neurons chosen uniformly (Brian 1).  Drawn with
    NumPy's global generator, which ``seed()`` seeds."""

    def _install(self, group) -> list:
        row = group._row(self.state, "HomogeneousPoissonThreshold")
        group._c.set_threshold("none")
        n = len(group)
        dt = float(group.clock.dt)
        state = group._state

        def spikes(step: int) -> np.ndarray:
            rate = max(float(state[row, 0]), 0.0)
            k = min(int(np.random.poisson(n * dt * rate)), n)
            return np.sort(np.random.choice(n, k, replace=False))
        return [("threshold", spikes)]


class StringThreshold(Threshold):
    """A free-form condition on the model's variables, run as written (in C,
    compiled by the model); caller names shadow model variables."""

    def __init__(self, expr: str, level: int = 0):
        self.expr = expr
        self._namespace = magic.caller_names(expr, level)

    def _install(self, group) -> list:
        program = group._model.compile_condition(self.expr, self._namespace)
        return _CompiledThreshold(program)._install(group)

    def __repr__(self) -> str:
        return f"StringThreshold({self.expr!r})"


class FunThreshold(Threshold):
    """A Python function of every state row, in state order:
    ``f(*rows)`` returns a boolean array (or indices) of the spikers.  It
    is called once per step, right after the group's update."""

    def __init__(self, thresholdfun):
        if not callable(thresholdfun):
            raise TypeError(f"FunThreshold needs a function, got "
                            f"{thresholdfun!r}")
        self.thresholdfun = thresholdfun

    def _arguments(self, group) -> list:
        return list(group._state)

    def _install(self, group) -> list:
        group._c.set_threshold("none")
        arguments = self._arguments(group)
        n = len(group)
        function = self.thresholdfun

        def spikes(step: int) -> np.ndarray:
            result = np.asarray(function(*arguments))
            if result.dtype == bool:
                if result.shape != (n,):
                    raise ValueError(f"{group._name}: threshold function "
                                     f"returned shape {result.shape}, "
                                     f"expected ({n},)")
                return result.nonzero()[0]
            return np.unique(result.astype(np.int64))
        return [("threshold", spikes)]


class SimpleFunThreshold(FunThreshold):
    """A Python function of one variable: ``f(x)`` returns a boolean array
    of the spikers (``x`` is state 0 by default)."""

    def __init__(self, thresholdfun, state=0):
        super().__init__(thresholdfun)
        self.state = state

    def _arguments(self, group) -> list:
        return [group._state[group._row(self.state, "SimpleFunThreshold")]]


class _CompiledThreshold(Threshold):
    """A string threshold already compiled by the model."""

    def __init__(self, program):
        self.program = program

    def _install(self, group) -> list:
        program = self.program
        if not program.python_inputs:
            group._c.set_threshold("program", program=core_program(program))
            return []
        # The condition calls Python: evaluated after the update, once its
        # calls have been computed from the updated state.
        group._c.set_threshold("none")
        refresh = refresher(program.python_inputs, group)
        condition = core_program(program)

        def spikes(step: int) -> np.ndarray:
            refresh(step)
            return np.flatnonzero(group._c.evaluate(condition, step))
        return [("threshold", spikes)]


def select_threshold(group, threshold) -> Threshold:
    """Brian 1's threshold selection (spec 6.1)."""
    if threshold is None:
        return NoThreshold()
    if isinstance(threshold, Threshold):
        return threshold
    if isinstance(threshold, str):
        if not hasattr(group._model, "select_threshold"):
            raise TypeError(f"{group._name}: a string threshold needs a "
                            f"model with equations")
        kind = group._model.select_threshold(threshold, group._namespace)
        if kind[0] == "variable":
            return VariableThreshold(kind[2], kind[1])
        if kind[0] == "scalar":
            return Threshold(kind[2], kind[1])
        return _CompiledThreshold(kind[1])
    if isinstance(threshold, (numbers.Real, np.number, Quantity)) and \
            np.ndim(threshold) == 0:
        return Threshold(threshold, 0)
    if callable(threshold):
        try:
            n_args = threshold.__code__.co_argcount
        except AttributeError:
            n_args = 2
        if n_args == 1:
            return SimpleFunThreshold(threshold)
        return FunThreshold(threshold)
    raise TypeError(f"{group._name}: cannot use {threshold!r} as a "
                    f"threshold")


def install_threshold(group, threshold) -> list:
    """Select and install; returns the threshold's Python operations."""
    threshold = select_threshold(group, threshold)
    ops = threshold._install(group)
    group.__dict__["_threshold"] = threshold
    return ops
