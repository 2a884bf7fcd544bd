"""Python functions called in synaptic codes and equations (Brian 1 ran
``v += binomial(nvesicles, p) * w`` or ``f(t)`` in a pre code as NumPy code
on the synapses of each spike batch).

The C engine cannot call Python inside its loop, so a call becomes a row
of the synapses' row space (after the groups' rows) that Python fills:

- in a pre or post code, the pathway keeps its due events instead of
  running them (csrc/core/synapses.h, bc_synapses_defer); right after the
  synapses phase Python takes them, evaluates each call's arguments with
  the C engine on those synapses only, calls the function once on the
  arrays, stores the result in the call's row and runs the code on them
  in C.  A code that writes target variables runs in rounds whose target
  neurons are distinct (as Brian 1), and the arguments are evaluated per
  round, so a call sees the target as the events before it left it;
- in a clock-driven equation, the calls are computed over every synapse
  before the synapses phase, from the state at the start of the step
  (exact for Euler and exponential Euler, as for groups).
"""
from __future__ import annotations

import numpy as np

from .._program import core_program

__all__: list[str] = []


class SynapticCall:
    """One call ``function(args...)`` of a synaptic program, whose value
    is read from row ``row`` of the row space (its position among the
    call rows: ``slot``)."""

    def __init__(self, function, text: str, arguments: list, slot: int,
                 row: int):
        self.function = function
        self.text = text
        # Each argument: a float, or a CompiledProgram whose out_reg
        # holds it (built into a core program on first use).
        self.arguments = arguments
        self.slot = slot
        self.row = row
        self._core = None

    def values(self, c, step: int, ids, n: int, owner: str) -> np.ndarray:
        """The call's result for the synapses ids (None: all n)."""
        if self._core is None:
            self._core = [a if isinstance(a, float) else core_program(a)
                          for a in self.arguments]
        args = [a if isinstance(a, float) else c.evaluate(a, step, ids)
                for a in self._core]
        try:
            result = _call(self.function, args)
        except Exception as exc:
            raise RuntimeError(
                f"{owner}: the Python function {self.text}() failed on "
                f"arrays of {n} synapses ({type(exc).__name__}: {exc}); "
                f"functions in synaptic codes must accept NumPy arrays"
            ) from exc
        try:
            result = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{owner}: {self.text}() returned "
                            f"{type(result).__name__}, not numbers") from None
        if result.shape not in ((), (n,)):
            raise ValueError(f"{owner}: {self.text}() returned shape "
                             f"{result.shape}, expected a scalar or {n} "
                             f"values (one per synapse)")
        return result


def _integral(value):
    """value as int64 if it is a float array of whole numbers."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and \
            np.all(np.isfinite(value)) and np.all(value == np.round(value)):
        return value.astype(np.int64)
    return value


def _call(function, args):
    """function(*args); when it refuses float arrays with a TypeError
    (NumPy's binomial(n, p) no longer casts a float n, as the NumPy of
    Brian 1's time did), once more with whole-number arrays as integers
    (synaptic variables are stored as floats)."""
    try:
        return function(*args)
    except TypeError:
        whole = [_integral(a) for a in args]
        if all(w is a for w, a in zip(whole, args)):
            raise
        return function(*whole)


def distinct_rounds(ids: np.ndarray, post: np.ndarray) -> list:
    """ids split into rounds in which no two events share a target
    neuron: the k-th event onto a neuron goes to round k (the order the
    C engine runs them in)."""
    targets = post[ids]
    order = np.argsort(targets, kind="stable")
    sorted_targets = targets[order]
    starts = np.r_[True, sorted_targets[1:] != sorted_targets[:-1]]
    group_start = np.maximum.accumulate(
        np.where(starts, np.arange(len(ids)), 0))
    rank = np.empty(len(ids), np.int64)
    rank[order] = np.arange(len(ids)) - group_start
    return [ids[rank == r] for r in range(int(rank.max()) + 1)]


class CallRunner:
    """What a Synapses object with Python calls runs each step: the
    update's calls before the synapses phase, the deferred pathways'
    events after it."""

    def __init__(self, synapses):
        self.synapses = synapses

    def _fill(self, calls: list, step: int, ids) -> None:
        S = self.synapses
        table = S._call_rows
        n = len(S) if ids is None else len(ids)
        for call in calls:
            value = call.values(S._c, step, ids, n, repr(S))
            if ids is None:
                table[call.slot, :] = value
            else:
                table[call.slot, ids] = value

    def before(self) -> None:
        S = self.synapses
        self._fill(S._update_program.python_inputs, S._clock._c.step, None)

    def after(self) -> None:
        S = self.synapses
        step = S._clock._c.step
        post = S._post
        for k, code in enumerate(S._codes):
            if code.program is None or not code.program.python_inputs:
                continue
            ids = S._c.take_pending(k)
            if len(ids) == 0:
                continue
            rounds = distinct_rounds(ids, post) if code.writes_target \
                else [ids]
            for batch in rounds:
                self._fill(code.program.python_inputs, step, batch)
                S._c.run_events(k, step, batch)
