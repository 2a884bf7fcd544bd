"""Thresholds: when a neuron spikes (Brian 1's threshold classes).

Every comparison is strict (``x > theta``), as in Brian 1, even for a
string that says ``>=`` and was turned into a Threshold.
"""
from __future__ import annotations

import numbers

import numpy as np

from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["Threshold", "StringThreshold", "VariableThreshold",
           "EmpiricalThreshold", "NoThreshold", "PoissonThreshold",
           "HomogeneousPoissonThreshold", "FunThreshold",
           "SimpleFunThreshold", "install_threshold"]


def _check_value_units(group, row: int, value, what: str) -> float:
    unit = group._unit_of_row(row)
    dim = get_dimensions(value)
    if isinstance(value, Quantity) and dim != get_dimensions(unit):
        raise DimensionMismatchError(
            f"{group._name}: {what} has units of {dim}, the variable "
            f"{group._model.state_names[row]} has {get_dimensions(unit)}",
            dim, get_dimensions(unit))
    value = float(value)
    if np.isnan(value):
        raise ValueError(f"{group._name}: {what} is NaN")
    return value


class Threshold:
    """Spike when ``state > threshold``."""

    def __init__(self, threshold=0.001, state=0):
        self.threshold = threshold
        self.state = state

    def _install(self, group) -> None:
        row = group._row(self.state, "Threshold")
        value = _check_value_units(group, row, self.threshold, "threshold")
        group._c.set_threshold("scalar", var=row, value=value)


class VariableThreshold(Threshold):
    """Spike when ``state > threshold_state`` (both state variables)."""

    def __init__(self, threshold_state=1, state=0):
        self.threshold_state = threshold_state
        self.state = state

    def _install(self, group) -> None:
        row = group._row(self.state, "VariableThreshold")
        row2 = group._row(self.threshold_state, "VariableThreshold")
        group._c.set_threshold("variable", var=row, var2=row2)


class EmpiricalThreshold(Threshold):
    """Spike when ``state > threshold`` and the neuron did not spike in the
    last ``refractory`` (for self-resetting models such as HH)."""

    def __init__(self, threshold=0.001, refractory=0.001, state=0,
                 clock=None):
        self.threshold = threshold
        self.refractory = refractory
        self.state = state
        self.clock = clock

    def _install(self, group) -> None:
        row = group._row(self.state, "EmpiricalThreshold")
        value = _check_value_units(group, row, self.threshold, "threshold")
        refractory = self.refractory
        if isinstance(refractory, Quantity) and \
                get_dimensions(refractory) != second.dim:
            raise DimensionMismatchError("EmpiricalThreshold refractory must "
                                         "be a time",
                                         get_dimensions(refractory))
        dt = float((self.clock or group.clock).dt)
        # Brian 1: int(refractory/dt), minus one when that is exact.
        steps = int(float(refractory) / dt)
        if steps > 0 and abs(steps * dt - float(refractory)) < 1e-9 * dt:
            steps -= 1
        group._c.set_threshold("empirical", var=row, value=value,
                               steps=steps)


class NoThreshold(Threshold):
    """Never spike."""

    def __init__(self):
        pass

    def _install(self, group) -> None:
        group._c.set_threshold("none")


class PoissonThreshold(Threshold):
    """Spike with probability ``state * dt`` per step (state in Hz)."""

    def __init__(self, state=0):
        self.state = state

    def _install(self, group) -> None:
        group._c.set_threshold("poisson", var=group._row(self.state,
                                                         "PoissonThreshold"))


class HomogeneousPoissonThreshold(PoissonThreshold):
    """Brian 1 draws a Poisson number of spikers at the rate of neuron 0;
    in distribution each neuron then spikes with probability rate*dt, which
    is what this does (with the rate of every neuron set alike)."""


class StringThreshold(Threshold):
    """A free-form condition on the model's variables, run as written."""

    def __init__(self, expr: str, level: int = 0):
        self.expr = expr
        from . import _magic
        self._namespace = _magic.caller_namespace(level)

    def _install(self, group) -> None:
        from .neurongroup import core_program
        program = group._model.compile_condition(self.expr, self._namespace)
        group._c.set_threshold("program", program=core_program(program))


class FunThreshold(Threshold):
    """A Python function of all state rows (not yet supported in the C
    loop)."""

    def __init__(self, thresholdfun):
        self.thresholdfun = thresholdfun

    def _install(self, group) -> None:
        raise NotImplementedError("FunThreshold and SimpleFunThreshold are "
                                  "not supported yet: use a string "
                                  "threshold")


class SimpleFunThreshold(FunThreshold):
    def __init__(self, thresholdfun, state=0):
        self.thresholdfun = thresholdfun
        self.state = state


class _CompiledThreshold(Threshold):
    """A string threshold already compiled by the model."""

    def __init__(self, program):
        self.program = program

    def _install(self, group) -> None:
        from .neurongroup import core_program
        group._c.set_threshold("program", program=core_program(self.program))


def install_threshold(group, threshold) -> None:
    """Brian 1's threshold selection (spec 6.1), then installation."""
    if threshold is None:
        threshold = NoThreshold()
    elif isinstance(threshold, str):
        kind = group._model.select_threshold(threshold,
                                             group._namespace)
        if kind[0] == "variable":
            threshold = VariableThreshold(kind[2], kind[1])
        elif kind[0] == "scalar":
            threshold = Threshold(kind[2], kind[1])
        else:
            threshold = _CompiledThreshold(kind[1])
    elif isinstance(threshold, (numbers.Real, np.number)):
        threshold = Threshold(threshold, 0)
    elif callable(threshold) and not isinstance(threshold, Threshold):
        threshold = FunThreshold(threshold)
    if not isinstance(threshold, Threshold):
        raise TypeError(f"{group._name}: cannot use {threshold!r} as a "
                        f"threshold")
    threshold._install(group)
    group.__dict__["_threshold"] = threshold
