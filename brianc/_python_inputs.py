"""Python functions called in equations, thresholds and resets (Brian 1
allowed any function of arrays, ``rectify(v - vt)``, ``hill(c)``).

The C engine cannot call Python inside its loop, so a call becomes an
input array of the program: before the code that reads it runs, Python
evaluates the call's arguments with the C engine (one program per
argument, over the whole group), calls the function once on those
arrays, and stores the result.  Everything else in the model stays
native.  For a state update this gives the values at the start of the
step, which is what Euler and exponential Euler integration use.
"""
from __future__ import annotations

import numpy as np

from ._program import core_program

__all__: list[str] = []


class PythonInput:
    """One call ``function(args...)`` of a program, computed into
    ``hidden`` (an input array of the program) by ``refresh``."""

    def __init__(self, function, text: str, arguments: list, n: int):
        self.function = function
        self.text = text
        # Each argument: a float (a constant) or a CompiledProgram whose
        # out_reg holds its value; built into core programs on first use.
        self.arguments = arguments
        self.hidden = np.zeros(n)
        self._core = None

    def _argument_values(self, group, step: int) -> list:
        if self._core is None:
            self._core = [a if isinstance(a, float) else core_program(a)
                          for a in self.arguments]
        return [a if isinstance(a, float) else group._c.evaluate(a, step)
                for a in self._core]

    def refresh(self, group, step: int) -> None:
        values = self._argument_values(group, step)
        try:
            result = self.function(*values)
        except Exception as exc:
            raise RuntimeError(
                f"{group._name}: the Python function {self.text}() failed "
                f"on arrays of {len(self.hidden)} values ({type(exc).__name__}"
                f": {exc}); functions in equations must accept NumPy "
                f"arrays") from exc
        try:
            result = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{group._name}: {self.text}() returned "
                            f"{type(result).__name__}, not numbers") from None
        if result.shape not in ((), self.hidden.shape):
            raise ValueError(f"{group._name}: {self.text}() returned shape "
                             f"{result.shape}, expected a scalar or "
                             f"{len(self.hidden)} values")
        self.hidden[...] = result


def refresher(inputs: list, group):
    """A function of the step that refreshes every input, in order (a call
    may read the result of an earlier one)."""
    def refresh(step: int) -> None:
        for item in inputs:
            item.refresh(group, step)
    return refresh
